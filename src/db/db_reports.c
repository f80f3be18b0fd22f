/*
 * db_reports: the SQL of the late list and of the satisfaction report (see
 * db_reports.h). Statements are assembled from the fixed fragments of this
 * file only (the names of the states whose clock runs come from the
 * lifecycle table); every value is bound as a parameter.
 */
#include "db/db_reports.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "domain/lifecycle.h"

#define REPORTS_SQL_MAX 8192

/* The legal due now. */
#define LEGAL_DUE "COALESCE(d.original_due_at, d.due_at)"
/* The legal due at $2 of a dossier whose last event before $2 is le. */
#define DUE_AT_T                                                                                   \
	"CASE WHEN le.due_at IS NOT NULL AND (" LEGAL_DUE " IS NULL OR le.due_at < " LEGAL_DUE     \
	") THEN le.due_at ELSE " LEGAL_DUE " END"

/* Appends the quoted names of the states whose legal clock runs. */
static int put_running_states(struct buf *b)
{
	bool first = true;
	for (int s = STATE_NONE + 1; s < STATE__COUNT; s++) {
		if (lifecycle_clock_of((enum dossier_state)s) != CLOCK_RUNNING)
			continue;
		if (buf_printf(b, "%s'%s'", first ? "" : ", ",
		               lifecycle_state_name((enum dossier_state)s)))
			return -1;
		first = false;
	}
	return first ? buf_puts(b, "''") : 0;
}

/*
 * The union of both kinds of late dossiers, with the columns id, code,
 * procedure_code, applicant_name, agency, due, resolved_at, step_seq,
 * version; $1 = from, $2 = to.
 */
static int put_late_union(struct buf *b)
{
	if (buf_puts(b, "SELECT d.id AS id, d.code AS code, d.procedure_code AS procedure_code, "
	                "d.applicant_name AS applicant_name, d.competent_unit AS agency, " LEGAL_DUE
	                " AS due, d.resolved_at AS resolved_at, d.step_seq AS step_seq, "
	                "d.version AS version FROM dossier d "
	                "WHERE (d.outcome IS NOT NULL OR d.state = 'stopped') "
	                "AND d.resolved_at >= $1 AND d.resolved_at < $2 "
	                "AND d.resolved_at > " LEGAL_DUE " "
	                "UNION ALL "
	                "SELECT d.id, d.code, d.procedure_code, d.applicant_name, "
	                "d.competent_unit, " DUE_AT_T
	                ", CAST(NULL AS BIGINT), d.step_seq, d.version FROM dossier d "
	                "JOIN dossier_event le ON le.dossier_id = d.id AND le.version = "
	                "(SELECT MAX(x.version) FROM dossier_event x WHERE x.dossier_id = d.id "
	                "AND x.at < $2) "
	                "WHERE d.received_at IS NOT NULL AND d.received_at < $2 "
	                "AND (d.resolved_at IS NULL OR d.resolved_at >= $2) AND le.to_state IN ("))
		return -1;
	if (put_running_states(b) || buf_puts(b, ") AND " DUE_AT_T " < $2"))
		return -1;
	return 0;
}

static void late_read(struct db_stmt *st, void *item)
{
	struct db_late_line *l = item;
	db_col_copy(st, 0, l->id, sizeof l->id);
	db_col_copy(st, 1, l->code, sizeof l->code);
	db_col_copy(st, 2, l->procedure_code, sizeof l->procedure_code);
	db_col_copy(st, 3, l->applicant_name, sizeof l->applicant_name);
	db_col_copy(st, 4, l->agency, sizeof l->agency);
	l->due_at = db_col_opt(st, 5);
	l->resolved_at = db_col_opt(st, 6);
	l->step_seq = db_col_opt(st, 7);
	l->version = db_col_int64(st, 8);
}

void db_late_list_free(struct db_late_list *l)
{
	db_free_items((void **)&l->items, &l->count);
}

enum err_code db_reports_late(struct db_conn *c, int64_t from, int64_t to, int64_t limit,
                              int64_t offset, struct db_late_list *out, int64_t *total,
                              struct err *e)
{
	out->items = NULL;
	out->count = 0;
	struct buf b;
	buf_init(&b, REPORTS_SQL_MAX);
	enum err_code rc = ERR_OK;
	if (total) {
		if (buf_puts(&b, "SELECT COUNT(*) FROM (") || put_late_union(&b) ||
		    buf_puts(&b, ") l")) {
			rc = err_set(e, ERR_INTERNAL, "the late list's statement is too long");
			goto out;
		}
		if ((rc = db_query_int64(c, buf_str(&b), DB_ARGS(db_int(from), db_int(to)), total,
		                         e)))
			goto out;
		buf_reset(&b);
	}
	if (buf_puts(&b,
	             "SELECT l.id, l.code, l.procedure_code, l.applicant_name, l.agency, l.due, "
	             "l.resolved_at, l.step_seq, l.version FROM (") ||
	    put_late_union(&b) ||
	    buf_puts(&b, ") l ORDER BY l.due, l.code, l.id LIMIT $3 OFFSET $4")) {
		rc = err_set(e, ERR_INTERNAL, "the late list's statement is too long");
		goto out;
	}
	rc = db_read_list(c, buf_str(&b),
	                  DB_ARGS(db_int(from), db_int(to), db_int(limit), db_int(offset)),
	                  sizeof *out->items, late_read, "the late dossiers", (size_t)limit, NULL,
	                  (void **)&out->items, &out->count, e);
out:
	buf_release(&b);
	return rc;
}

enum err_code db_reports_account_name(struct db_conn *c, const char *id, char *out, size_t size,
                                      struct err *e)
{
	out[0] = '\0';
	if (str_empty(id))
		return ERR_OK;
	enum err_code rc = db_query_text(c, "SELECT full_name FROM account WHERE id = $1",
	                                 DB_ARGS(db_text(id)), out, size, e);
	if (rc == ERR_NOT_FOUND || rc == ERR_TOO_LONG) {
		err_clear(e);
		if (rc == ERR_TOO_LONG)
			str_copy(out, size, id);
		return ERR_OK;
	}
	return rc;
}

enum err_code db_reports_step_name(struct db_conn *c, const char *procedure, int64_t seq, char *vi,
                                   char *en, size_t size, struct err *e)
{
	vi[0] = en[0] = '\0';
	struct db_stmt *st;
	enum err_code rc = db_query(c,
	                            "SELECT name_vi, name_en FROM procedure_step "
	                            "WHERE procedure_code = $1 AND seq = $2",
	                            DB_ARGS(db_text(procedure), db_int(seq)), &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no step %lld of procedure '%s'", (long long)seq,
		             procedure);
	if (rc == ERR_OK) {
		db_col_copy(st, 0, vi, size);
		db_col_copy(st, 1, en, size);
	}
	db_finish(st);
	return rc;
}

/* ---- satisfaction ---- */

void db_sat_list_free(struct db_sat_list *l)
{
	db_free_items((void **)&l->items, &l->count);
}

/* The group of unit in l (kept sorted by code), added when absent; NULL out of memory. */
static struct db_sat_group *group_of(struct db_sat_list *l, size_t *cap, const char *unit)
{
	size_t lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(l->items[mid].unit, unit);
		if (cmp == 0)
			return &l->items[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (db_grow((void **)&l->items, l->count, cap, sizeof *l->items))
		return NULL;
	memmove(&l->items[lo + 1], &l->items[lo], (l->count - lo) * sizeof *l->items);
	memset(&l->items[lo], 0, sizeof *l->items);
	str_copy(l->items[lo].unit, sizeof l->items[lo].unit, unit);
	l->count++;
	return &l->items[lo];
}

static const char *const sat_sql[2][3] = {
        [DB_SAT_AGENCY] =
                {
                        "SELECT COALESCE(d.competent_unit, ''), rt.level, COUNT(*) FROM "
                        "dossier_rating rt JOIN dossier d ON d.id = rt.dossier_id WHERE rt.at >= "
                        "$1 AND rt.at < $2 GROUP BY 1, 2",
                        "SELECT COALESCE(d.competent_unit, ''), '', COUNT(*) FROM "
                        "dossier_complaint k JOIN dossier d ON d.id = k.dossier_id WHERE k.at >= "
                        "$1 AND k.at < $2 GROUP BY 1",
                        "SELECT COALESCE(d.competent_unit, ''), COUNT(*), SUM(CASE WHEN EXISTS "
                        "(SELECT 1 FROM dossier_rating r WHERE r.dossier_id = d.id AND r.level = "
                        "'dissatisfied' AND r.at < $2) OR EXISTS (SELECT 1 FROM dossier_complaint "
                        "k WHERE k.dossier_id = d.id AND k.at < $2) THEN 1 ELSE 0 END) FROM "
                        "dossier d WHERE (d.outcome IS NOT NULL OR d.state = 'stopped') AND "
                        "d.resolved_at >= $1 AND d.resolved_at < $2 GROUP BY 1",
                },
        [DB_SAT_BRANCH] =
                {
                        "SELECT COALESCE(d.receiving_unit, ''), rt.level, COUNT(*) FROM "
                        "dossier_rating rt JOIN dossier d ON d.id = rt.dossier_id WHERE rt.at >= "
                        "$1 AND rt.at < $2 GROUP BY 1, 2",
                        "SELECT COALESCE(d.receiving_unit, ''), '', COUNT(*) FROM "
                        "dossier_complaint k JOIN dossier d ON d.id = k.dossier_id WHERE k.at >= "
                        "$1 AND k.at < $2 GROUP BY 1",
                        "SELECT COALESCE(d.receiving_unit, ''), COUNT(*), SUM(CASE WHEN EXISTS "
                        "(SELECT 1 FROM dossier_rating r WHERE r.dossier_id = d.id AND r.level = "
                        "'dissatisfied' AND r.at < $2) OR EXISTS (SELECT 1 FROM dossier_complaint "
                        "k WHERE k.dossier_id = d.id AND k.at < $2) THEN 1 ELSE 0 END) FROM "
                        "dossier d WHERE (d.outcome IS NOT NULL OR d.state = 'stopped') AND "
                        "d.resolved_at >= $1 AND d.resolved_at < $2 GROUP BY 1",
                },
};

enum err_code db_reports_satisfaction(struct db_conn *c, enum db_sat_unit by, int64_t from,
                                      int64_t to, struct db_sat_list *out, struct err *e)
{
	out->items = NULL;
	out->count = 0;
	if (by != DB_SAT_AGENCY && by != DB_SAT_BRANCH)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown grouping %d", (int)by);
	size_t cap = 0;
	enum err_code rc = ERR_OK;
	for (int k = 0; k < 3 && rc == ERR_OK; k++) {
		struct db_stmt *st;
		if ((rc = db_query(c, sat_sql[by][k], DB_ARGS(db_int(from), db_int(to)), &st, e)))
			break;
		for (;;) {
			bool row;
			if ((rc = db_step(st, &row, e)) || !row)
				break;
			struct db_sat_group *g =
			        group_of(out, &cap,
			                 db_col_text(st, 0, NULL) ? db_col_text(st, 0, NULL) : "");
			if (!g) {
				rc = err_set(e, ERR_NO_MEMORY, "out of memory reading the ratings");
				break;
			}
			if (k == 0) {
				const char *level = db_col_text(st, 1, NULL);
				int64_t n = db_col_int64(st, 2);
				g->rated += n;
				if (str_eq(level, "very_satisfied"))
					g->very_satisfied += n;
				else if (str_eq(level, "satisfied"))
					g->satisfied += n;
				else if (str_eq(level, "neutral"))
					g->neutral += n;
				else
					g->dissatisfied += n;
			} else if (k == 1) {
				g->complaints += db_col_int64(st, 2);
			} else {
				g->resolved += db_col_int64(st, 1);
				g->unsatisfied += db_col_int64(st, 2);
			}
		}
		db_finish(st);
	}
	if (rc != ERR_OK)
		db_sat_list_free(out);
	return rc;
}
