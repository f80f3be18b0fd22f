/*
 * admin: the use cases of the administration pages (see admin.h).
 *
 * Each change follows the same shape: the pure checks of the input (the
 * importer's, service/import.h) run first and fill struct admin_errors; the
 * transaction then reads what it needs, runs the checks that need the
 * database (a competent unit exists and is of its kind, dossiers do not
 * refer to a component about to be renumbered, a date is not taken), writes,
 * and appends its audit row. A transaction may run more than once (db.h), so
 * everything it fills is reset at its start.
 */
#include "service/admin.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "base/vntime.h"
#include "db/db_account.h"
#include "db/db_catalog.h"
#include "domain/holidays.h"
#include "domain/lifecycle.h"
#include "domain/worktime.h"
#include "service/audit.h"
#include "service/calendar.h"

/* ---- shared helpers ---- */

static bool is_admin(const struct actor *by)
{
	return by && (by->kind == ACTOR_SYSTEM ||
	              (by->kind == ACTOR_STAFF && (by->roles & ROLE_ADMIN) != 0));
}

static enum err_code need_admin(const struct actor *by, struct err *e)
{
	if (!is_admin(by))
		return err_set(e, ERR_FORBIDDEN, "only an administrator may do this");
	return ERR_OK;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

void admin_errors_clear(struct admin_errors *fe)
{
	if (fe)
		fe->count = 0;
}

const struct admin_field_error *admin_error_of(const struct admin_errors *fe, const char *field)
{
	for (size_t i = 0; fe && i < fe->count; i++)
		if (str_eq(fe->items[i].field, field))
			return &fe->items[i];
	return NULL;
}

/*
 * The start of every change by an administrator: *fe (local when NULL)
 * cleared, then the actor's role checked.
 */
static enum err_code admin_begin(const struct actor *by, struct admin_errors **fe,
                                 struct admin_errors *local, struct err *e)
{
	if (!*fe)
		*fe = local;
	admin_errors_clear(*fe);
	return need_admin(by, e);
}

static void fe_add(struct admin_errors *fe, const char *field, enum admin_issue issue,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fe_add(struct admin_errors *fe, const char *field, enum admin_issue issue,
                   const char *fmt, ...)
{
	if (fe->count >= ADMIN_ERRORS_MAX || admin_error_of(fe, field))
		return;
	struct admin_field_error *f = &fe->items[fe->count++];
	str_copy(f->field, sizeof f->field, field);
	f->issue = issue;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof f->detail, fmt, ap);
	va_end(ap);
}

/* A field name with a row number: "c3_name". */
static const char *row_field(char out[ADMIN_FIELD_NAME_MAX], char prefix, size_t row,
                             const char *what)
{
	snprintf(out, ADMIN_FIELD_NAME_MAX, "%c%zu_%s", prefix, row, what);
	return out;
}

/* ERR_INVALID_ARGUMENT naming the first field error, or ERR_OK when there is none. */
static enum err_code fe_result(const struct admin_errors *fe, struct err *e)
{
	if (fe->count == 0)
		return ERR_OK;
	return err_set(e, ERR_INVALID_ARGUMENT, "%s: %s", fe->items[0].field, fe->items[0].detail);
}

/* The importer's text rule, valid UTF-8, and a length cap for the form. */
static void check_text(struct admin_errors *fe, const char *field, const char *s, bool required,
                       size_t max)
{
	char why[IMPORT_WHY_MAX];
	const char *p = import_text_problem(s, required, why);
	if (p)
		fe_add(fe, field, str_eq(p, "empty") ? ADMIN_REQUIRED : ADMIN_INVALID, "%s", p);
	else if (s && strlen(s) > max)
		fe_add(fe, field, ADMIN_INVALID, "longer than %zu bytes", max);
	else if (s && !str_valid_utf8(s, max))
		fe_add(fe, field, ADMIN_INVALID, "not valid UTF-8");
}

/* One of the importer's words; *index gets its position (0 when invalid). */
static void check_word(struct admin_errors *fe, const char *field, const char *s,
                       enum import_words w, size_t *index)
{
	char why[IMPORT_WHY_MAX];
	*index = 0;
	if (str_empty(s)) {
		fe_add(fe, field, ADMIN_REQUIRED, "empty");
		return;
	}
	const char *p = import_word_problem(s, w, index, why);
	if (p)
		fe_add(fe, field, ADMIN_INVALID, "%s", p);
}

/* A whole number in [min, max]; "" gives dflt when allow_empty. */
static void check_int(struct admin_errors *fe, const char *field, const char *s, int64_t min,
                      int64_t max, bool allow_empty, int64_t dflt, int64_t *out)
{
	char why[IMPORT_WHY_MAX];
	*out = dflt;
	if (str_empty(s)) {
		if (!allow_empty)
			fe_add(fe, field, ADMIN_REQUIRED, "empty");
		return;
	}
	const char *p = import_int_problem(s, min, max, out, why);
	if (p)
		fe_add(fe, field, ADMIN_INVALID, "%s", p);
}

/* The folded form of s into out (size bytes); "" when it cannot be folded (checked before). */
static void fold_into(const char *s, char *out, size_t size)
{
	struct buf b = BUF_INIT(size);
	struct err fe;
	out[0] = '\0';
	if (fold_text(s, strlen(s), &b, &fe) == ERR_OK)
		str_copy(out, size, buf_str(&b));
	buf_release(&b);
}

/* The compact JSON text of o (consumed); NULL when out of memory or too long for the log. */
static char *json_text(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (s && strlen(s) >= AUDIT_DETAIL_MAX) {
		free(s);
		s = NULL;
	}
	return s;
}

/* Appends the audit row; detail (may be NULL: "{}") is a JSON object. */
static enum err_code audit(struct db_conn *c, const struct actor *by, int64_t now,
                           const char *action, const char *kind, const char *key,
                           const char *detail, struct err *e)
{
	char object[AUDIT_OBJECT_MAX];
	snprintf(object, sizeof object, "%s:%.200s", kind, key);
	return audit_append(c, by, now, action, object, detail, e);
}

/* JSON null for DB_NONE, else the integer. */
static json_t *opt_json(int64_t v)
{
	return v == DB_NONE ? json_null() : json_integer(v);
}

/* Records [old, new] under name in changed when they differ. */
static void diff_text(json_t *changed, const char *name, const char *old, const char *now)
{
	if (!str_eq(nz(old), nz(now)))
		json_object_set_new(changed, name, json_pack("[ss]", nz(old), nz(now)));
}

static void diff_int(json_t *changed, const char *name, int64_t old, int64_t now)
{
	if (old != now) {
		json_t *pair = json_array();
		json_array_append_new(pair, opt_json(old));
		json_array_append_new(pair, opt_json(now));
		json_object_set_new(changed, name, pair);
	}
}

/* ---- procedures: reading ---- */

struct list_ctx {
	const char *q_folded, *code_prefix;
	int64_t limit, offset;
	struct admin_procedure_page *out;
	size_t cap;
};

static int list_add(void *vctx, const struct db_admin_procedure *row)
{
	struct list_ctx *x = vctx;
	struct admin_procedure_page *pg = x->out;
	if (pg->count == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		struct db_admin_procedure *items = realloc(pg->items, cap * sizeof *items);
		if (!items)
			return -1;
		pg->items = items;
		x->cap = cap;
	}
	pg->items[pg->count++] = *row;
	return 0;
}

static enum err_code list_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct list_ctx *x = vctx;
	x->out->count = 0;
	enum err_code rc = db_admin_procedures(c, x->q_folded, x->code_prefix, x->limit, x->offset,
	                                       &x->out->total, list_add, x, e);
	if (rc == ERR_INTERNAL && str_eq(e ? e->detail : "", "stopped"))
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
	return rc;
}

enum err_code admin_procedures(struct service *svc, const struct actor *by, const char *q,
                               int64_t limit, int64_t offset, struct admin_procedure_page *out,
                               struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = need_admin(by, e);
	if (rc != ERR_OK)
		return rc;
	if (limit < 1 || limit > ADMIN_LIST_MAX || offset < 0)
		return err_set(e, ERR_OUT_OF_RANGE, "limit 1..%d and offset >= 0", ADMIN_LIST_MAX);
	char folded[512] = "";
	if (!str_empty(q)) {
		if (strlen(q) > 200 || !str_valid_utf8(q, 200))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "search text too long or not UTF-8");
		fold_into(q, folded, sizeof folded);
	}
	struct list_ctx x = {
	        folded[0] ? folded : NULL, str_empty(q) ? NULL : q, limit, offset, out, 0};
	rc = db_run_txn(svc->db, DB_TXN_READ, list_txn, &x, e);
	if (rc != ERR_OK)
		admin_procedure_page_release(out);
	return rc;
}

void admin_procedure_page_release(struct admin_procedure_page *pg)
{
	free(pg->items);
	memset(pg, 0, sizeof *pg);
}

struct get_ctx {
	const char *code;
	struct admin_procedure_view *v;
};

static enum err_code get_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct get_ctx *x = vctx;
	admin_procedure_view_release(x->v);
	enum err_code rc = db_admin_procedure_get(c, x->code, &x->v->p, e);
	if (rc == ERR_OK)
		rc = db_dossier_proc_components(c, x->code, &x->v->components, e);
	if (rc == ERR_OK)
		rc = db_dossier_steps(c, x->code, &x->v->steps, e);
	return rc;
}

enum err_code admin_procedure_get(struct service *svc, const struct actor *by, const char *code,
                                  struct admin_procedure_view *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = need_admin(by, e);
	if (rc != ERR_OK)
		return rc;
	if (str_empty(code) || strlen(code) >= DBD_KEY_SIZE)
		return err_set(e, ERR_NOT_FOUND, "no procedure '%.64s'", nz(code));
	struct get_ctx x = {code, out};
	rc = db_run_txn(svc->db, DB_TXN_READ, get_txn, &x, e);
	if (rc != ERR_OK)
		admin_procedure_view_release(out);
	return rc;
}

void admin_procedure_view_release(struct admin_procedure_view *v)
{
	db_proc_component_list_free(&v->components);
	db_step_list_free(&v->steps);
}

/* ---- procedures: the fields ---- */

struct proc_ctx {
	const struct actor *by;
	int64_t now;
	const char *code;
	struct db_procedure p; /* points into the input and the arrays below */
	char name_folded[DBD_TEXT_SIZE * 2];
	char sector_folded[DBD_NAME_SIZE * 2];
	bool active;
	struct admin_errors *fe;
	bool changed;
};

/* The pure checks of the fields into x->p (strings borrowed from in). */
static void procedure_check(const struct admin_procedure_input *in, struct proc_ctx *x)
{
	struct admin_errors *fe = x->fe;
	struct db_procedure *p = &x->p;
	char why[IMPORT_WHY_MAX];
	size_t level = 0, ckind = 0, route = 0, online = 0, rule = 0;
	int64_t v;
	memset(p, 0, sizeof *p);
	p->code = x->code;
	check_text(fe, "name_vi", in->name_vi, true, ADMIN_NAME_MAX);
	check_text(fe, "name_en", in->name_en, true, ADMIN_NAME_MAX);
	check_text(fe, "sector", in->sector, true, ADMIN_SHORT_MAX);
	p->name_vi = nz(in->name_vi);
	p->name_en = nz(in->name_en);
	p->sector = nz(in->sector);
	check_word(fe, "level", in->level, IMPORT_W_LEVEL, &level);
	check_word(fe, "competent_kind", in->competent_kind, IMPORT_W_UNIT_KIND, &ckind);
	check_word(fe, "route_by", in->route_by, IMPORT_W_ROUTE, &route);
	const char *cp = import_code_problem(in->competent_unit, false, why);
	if (cp)
		fe_add(fe, "competent_unit", ADMIN_INVALID, "%s", cp);
	size_t n;
	p->level = import_words(IMPORT_W_LEVEL, &n)[level];
	p->competent_kind = import_words(IMPORT_W_UNIT_KIND, &n)[ckind];
	p->route_by = import_words(IMPORT_W_ROUTE, &n)[route];
	p->competent_unit = str_empty(in->competent_unit) ? NULL : in->competent_unit;
	/* the rule of levels, kinds and routes once each of them is valid */
	if (!admin_error_of(fe, "level") && !admin_error_of(fe, "competent_kind") &&
	    !admin_error_of(fe, "route_by") && !cp) {
		const char *rp = import_route_problem(p->level, p->competent_kind,
		                                      p->competent_unit, p->route_by);
		if (rp)
			fe_add(fe, "competent_kind", ADMIN_INVALID, "%s", rp);
	}
	/* legal time: days or hours, as the importer bounds them */
	bool days = str_eq(in->legal_unit, "days"), hours = str_eq(in->legal_unit, "hours");
	p->legal_days = p->legal_hours = -1;
	if (!days && !hours)
		fe_add(fe, "legal_unit", ADMIN_INVALID, "'%.20s' is not one of: days, hours",
		       nz(in->legal_unit));
	else if (days) {
		check_int(fe, "legal_amount", in->legal_amount, 0, WORKTIME_MAX_DAYS, false, 0, &v);
		p->legal_days = (int)v;
	} else {
		check_int(fe, "legal_amount", in->legal_amount, 1, WORKTIME_MAX_HOURS, false, 1,
		          &v);
		p->legal_hours = (int)v;
	}
	p->cutoff_sec = -1;
	if (!str_empty(in->cutoff)) {
		if (vntime_parse_hhmm(in->cutoff, &p->cutoff_sec) != 0 || strlen(in->cutoff) != 5)
			fe_add(fe, "cutoff", ADMIN_INVALID, "'%.20s' is not a time HH:MM",
			       in->cutoff);
		else if (hours)
			fe_add(fe, "cutoff", ADMIN_INVALID,
			       "a cut-off applies to a legal time in days only");
	}
	check_int(fe, "fee_vnd", in->fee_vnd, 0, IMPORT_FEE_MAX_VND, true, 0, &p->fee_vnd);
	check_word(fe, "online", in->online, IMPORT_W_ONLINE, &online);
	p->online = import_words(IMPORT_W_ONLINE, &n)[online];
	p->boundary_free = in->boundary_free;
	check_word(fe, "supplement_rule", in->supplement_rule, IMPORT_W_SUPPLEMENT, &rule);
	p->supplement_rule = import_words(IMPORT_W_SUPPLEMENT, &n)[rule];
	check_int(fe, "max_supplements", in->max_supplements, 0, IMPORT_LIMIT_COUNT_MAX, false, 1,
	          &v);
	p->max_supplements = (int)v;
	check_int(fe, "max_extensions", in->max_extensions, 0, IMPORT_LIMIT_COUNT_MAX, false, 1,
	          &v);
	p->max_extensions = (int)v;
	check_text(fe, "source", in->source, false, ADMIN_SOURCE_MAX);
	p->source = str_empty(in->source) ? NULL : in->source;
	x->active = in->active;
	if (fe->count == 0) {
		fold_into(p->name_vi, x->name_folded, sizeof x->name_folded);
		fold_into(p->sector, x->sector_folded, sizeof x->sector_folded);
		p->name_folded = x->name_folded;
		p->sector_folded = x->sector_folded;
	}
}

static enum err_code proc_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct proc_ctx *x = vctx;
	struct db_procedure *p = &x->p;
	struct db_admin_procedure *cur = malloc(sizeof *cur);
	enum err_code rc;
	enum db_upsert res;
	x->fe->count = 0;
	x->changed = false;
	if (!cur)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	if ((rc = db_admin_procedure_get(c, x->code, cur, e)) != ERR_OK)
		goto out;
	/* the competent unit exists and is of its kind (the importer's messages) */
	if (p->competent_unit) {
		char kind[DBD_SHORT_SIZE];
		struct err ue;
		err_clear(&ue);
		rc = db_account_unit_kind(c, p->competent_unit, kind, sizeof kind, &ue);
		if (rc == ERR_NOT_FOUND)
			fe_add(x->fe, "competent_unit", ADMIN_INVALID, "no unit '%s'",
			       p->competent_unit);
		else if (rc != ERR_OK) {
			*e = ue;
			goto out;
		} else if (!str_eq(kind, p->competent_kind))
			fe_add(x->fe, "competent_kind", ADMIN_INVALID, "'%s' but unit '%s' is a %s",
			       p->competent_kind, p->competent_unit, kind);
		rc = fe_result(x->fe, e);
		if (rc != ERR_OK)
			goto out;
	}
	p->needs_signoff = cur->needs_signoff; /* follows the steps (admin_procedure_set_steps) */
	json_t *changed = json_object();
	diff_text(changed, "name_vi", cur->name_vi, p->name_vi);
	diff_text(changed, "name_en", cur->name_en, p->name_en);
	diff_text(changed, "sector", cur->sector, p->sector);
	diff_text(changed, "level", cur->level, p->level);
	diff_text(changed, "competent_kind", cur->competent_kind, p->competent_kind);
	diff_text(changed, "competent_unit", cur->competent_unit, p->competent_unit);
	diff_text(changed, "route_by", cur->route_by, p->route_by);
	diff_int(changed, "legal_days", cur->legal_days,
	         p->legal_days < 0 ? DB_NONE : p->legal_days);
	diff_int(changed, "legal_hours", cur->legal_hours,
	         p->legal_hours < 0 ? DB_NONE : p->legal_hours);
	diff_int(changed, "cutoff_sec", cur->cutoff_sec,
	         p->cutoff_sec < 0 ? DB_NONE : p->cutoff_sec);
	diff_int(changed, "fee_vnd", cur->fee_vnd, p->fee_vnd);
	diff_text(changed, "online", cur->online, p->online);
	diff_int(changed, "boundary_free", cur->boundary_free, p->boundary_free);
	diff_text(changed, "supplement_rule", cur->supplement_rule, p->supplement_rule);
	diff_int(changed, "max_supplements", cur->max_supplements, p->max_supplements);
	diff_int(changed, "max_extensions", cur->max_extensions, p->max_extensions);
	diff_int(changed, "active", cur->active, x->active);
	diff_text(changed, "source", cur->source, p->source);
	if (!changed || json_object_size(changed) == 0) {
		json_decref(changed);
		rc = changed ? ERR_OK : err_set(e, ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	json_t *d = json_object();
	json_object_set_new(d, "changed", changed);
	char *detail = json_text(d);
	rc = db_catalog_upsert_procedure(c, p, &res, e);
	if (rc == ERR_OK && !x->active)
		rc = db_catalog_deactivate_procedure(c, x->code, NULL, e);
	if (rc == ERR_OK)
		rc = audit(c, x->by, x->now, "procedure.update", "procedure", x->code,
		           detail ? detail : "{\"changed\":\"(too long to record)\"}", e);
	free(detail);
	x->changed = rc == ERR_OK;
out:
	free(cur);
	return rc;
}

enum err_code admin_procedure_update(struct service *svc, const struct actor *by, const char *code,
                                     const struct admin_procedure_input *in, bool *changed,
                                     struct admin_errors *fe, struct err *e)
{
	if (changed)
		*changed = false;
	struct admin_errors local;
	enum err_code rc = admin_begin(by, &fe, &local, e);
	if (rc != ERR_OK)
		return rc;
	struct proc_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	x->by = by;
	x->code = nz(code);
	x->fe = fe;
	x->now = service_now(svc);
	procedure_check(in, x);
	rc = fe_result(fe, e);
	if (rc == ERR_OK)
		rc = db_run_txn(svc->db, DB_TXN_WRITE, proc_txn, x, e);
	if (rc == ERR_OK && changed)
		*changed = x->changed;
	free(x);
	return rc;
}

/* ---- procedures: components ---- */

/*
 * Checks one component's name with the importer's splitter: one part (no
 * '|'), and no trailing marker -- the form has check boxes for [opt] and
 * [DC], and an unknown [marker] is the importer's error.
 */
struct one_part {
	int parts;
	size_t len; /* of the name once the markers are taken off */
};

static int count_part(void *ctx, int seq, const char *name, size_t name_len, bool required,
                      bool population_replaces)
{
	(void)seq, (void)name, (void)required, (void)population_replaces;
	struct one_part *k = ctx;
	k->parts++;
	k->len = name_len;
	return 0;
}

static void check_component_name(struct admin_errors *fe, const char *field, const char *name)
{
	check_text(fe, field, name, true, ADMIN_NAME_MAX);
	if (admin_error_of(fe, field))
		return;
	struct one_part k = {0};
	struct err se;
	err_clear(&se);
	if (import_split_components(name, count_part, &k, &se) != ERR_OK)
		fe_add(fe, field, ADMIN_INVALID, "%s", se.detail);
	else if (k.parts != 1)
		fe_add(fe, field, ADMIN_INVALID, "a component's name cannot hold '|'");
	else if (k.len != strlen(name))
		fe_add(fe, field, ADMIN_INVALID,
		       "a name cannot end with [opt] or [DC]; tick the boxes instead");
}

struct kept_row {
	size_t row; /* 1-based row of the form */
};

/*
 * The first position (1-based) from which the stored rows would be renumbered
 * or removed, when old rows are stored and kept[0..n) are the form rows kept;
 * old + 1 when the stored rows keep their numbers.
 */
static size_t first_shift(const struct kept_row *kept, size_t n, size_t old)
{
	for (size_t p = 0; p < n; p++)
		if (kept[p].row != p + 1)
			return p + 1 <= old ? p + 1 : old + 1;
	return n < old ? n + 1 : old + 1;
}

/*
 * Refuses a new list of components or steps (kind 'c' or 's') that would
 * renumber or remove stored rows dossiers refer to (count_refs counts the
 * references from a number on): a conflict on the "remove" box of the
 * first such row, "<why_pre><number><why_post>". ERR_OK when none.
 */
static enum err_code renumber_check(struct db_conn *c,
                                    enum err_code (*count_refs)(struct db_conn *, const char *,
                                                                int64_t, int64_t *, struct err *),
                                    const char *code, const struct kept_row *kept, size_t nkept,
                                    size_t nold, char kind, const char *why_pre,
                                    const char *why_post, struct admin_errors *fe, struct err *e)
{
	size_t k = first_shift(kept, nkept, nold);
	if (k > nold)
		return ERR_OK;
	int64_t refs = 0;
	enum err_code rc = count_refs(c, code, (int64_t)k, &refs, e);
	if (rc != ERR_OK || refs <= 0)
		return rc;
	char f[ADMIN_FIELD_NAME_MAX];
	fe_add(fe, row_field(f, kind, k, "remove"), ADMIN_CONFLICT, "%s%zu%s", why_pre, k,
	       why_post);
	return fe_result(fe, e);
}

/*
 * Audits a new list of the procedure code's components or steps: the detail
 * is {"before": [...], "after": [...]} (both taken) and "needs_signoff" when
 * signoff is not NULL; only the counts when that is too long.
 */
static enum err_code audit_list(struct db_conn *c, const struct actor *by, int64_t now,
                                const char *action, const char *code, json_t *before, json_t *after,
                                const bool *signoff, size_t nbefore, size_t nafter, struct err *e)
{
	json_t *d = json_object();
	json_object_set_new(d, "before", before);
	json_object_set_new(d, "after", after);
	if (signoff)
		json_object_set_new(d, "needs_signoff", json_boolean(*signoff));
	char *detail = json_text(d);
	char small[96];
	snprintf(small, sizeof small, "{\"before\":%zu,\"after\":%zu}", nbefore, nafter);
	enum err_code rc = audit(c, by, now, action, "procedure", code, detail ? detail : small, e);
	free(detail);
	return rc;
}

struct comp_ctx {
	const struct actor *by;
	int64_t now;
	const char *code;
	const struct admin_component_input *rows;
	size_t n;
	struct kept_row kept[IMPORT_COMPONENTS_MAX];
	size_t nkept;
	struct admin_errors *fe;
};

static enum err_code comp_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct comp_ctx *x = vctx;
	struct db_admin_procedure *cur = malloc(sizeof *cur);
	struct db_proc_component_list old = {0};
	enum err_code rc;
	x->fe->count = 0;
	if (!cur)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	if ((rc = db_admin_procedure_get(c, x->code, cur, e)) != ERR_OK ||
	    (rc = db_dossier_proc_components(c, x->code, &old, e)) != ERR_OK)
		goto out;
	if ((rc = renumber_check(c, db_admin_component_refs, x->code, x->kept, x->nkept, old.count,
	                         'c', "dossiers refer to components numbered ",
	                         " and above; they cannot be renumbered (edit the name or make it "
	                         "optional instead)",
	                         x->fe, e)) != ERR_OK)
		goto out;
	json_t *before = json_array(), *after = json_array();
	bool same = old.count == x->nkept;
	for (size_t i = 0; i < old.count; i++)
		json_array_append_new(before, json_pack("{s:s,s:b,s:b}", "name",
		                                        old.items[i].name_vi, "required",
		                                        old.items[i].required != 0, "population",
		                                        old.items[i].population_replaces != 0));
	for (size_t i = 0; i < x->nkept && rc == ERR_OK; i++) {
		const struct admin_component_input *r = &x->rows[x->kept[i].row - 1];
		struct db_component row = {x->code, (int)i + 1, r->name, r->required,
		                           r->population_replaces};
		if (same && (!str_eq(old.items[i].name_vi, r->name) ||
		             (old.items[i].required != 0) != r->required ||
		             (old.items[i].population_replaces != 0) != r->population_replaces))
			same = false;
		json_array_append_new(after,
		                      json_pack("{s:s,s:b,s:b}", "name", r->name, "required",
		                                r->required, "population", r->population_replaces));
		enum db_upsert res;
		rc = db_catalog_upsert_component(c, &row, &res, e);
	}
	if (rc == ERR_OK && !same)
		rc = db_catalog_trim_components(c, x->code, (int)x->nkept, NULL, e);
	if (rc == ERR_OK && !same) {
		rc = audit_list(c, x->by, x->now, "procedure.components", x->code, before, after,
		                NULL, old.count, x->nkept, e);
		before = after = NULL;
	}
	json_decref(before);
	json_decref(after);
out:
	db_proc_component_list_free(&old);
	free(cur);
	return rc;
}

enum err_code admin_procedure_set_components(struct service *svc, const struct actor *by,
                                             const char *code,
                                             const struct admin_component_input *rows, size_t n,
                                             struct admin_errors *fe, struct err *e)
{
	struct admin_errors local;
	enum err_code rc = admin_begin(by, &fe, &local, e);
	if (rc != ERR_OK)
		return rc;
	struct comp_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	x->by = by;
	x->now = service_now(svc);
	x->code = nz(code);
	x->rows = rows;
	x->n = n;
	x->fe = fe;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].remove)
			continue;
		char f[ADMIN_FIELD_NAME_MAX];
		check_component_name(fe, row_field(f, 'c', i + 1, "name"), rows[i].name);
		if (x->nkept >= IMPORT_COMPONENTS_MAX) {
			fe_add(fe, "components", ADMIN_INVALID, "more than %d components",
			       IMPORT_COMPONENTS_MAX);
			break;
		}
		x->kept[x->nkept++].row = i + 1;
	}
	if (x->nkept == 0 && fe->count == 0)
		fe_add(fe, "components", ADMIN_INVALID, "a procedure needs at least one component");
	rc = fe_result(fe, e);
	if (rc == ERR_OK)
		rc = db_run_txn(svc->db, DB_TXN_WRITE, comp_txn, x, e);
	free(x);
	return rc;
}

/* ---- procedures: steps ---- */

struct step_ctx {
	const struct actor *by;
	int64_t now;
	const char *code;
	const struct admin_step_input *rows;
	struct kept_row kept[IMPORT_STEPS_MAX];
	struct db_step steps[IMPORT_STEPS_MAX];
	size_t nkept;
	bool signoff;
	struct admin_errors *fe;
};

static enum err_code step_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct step_ctx *x = vctx;
	struct db_admin_procedure *cur = malloc(sizeof *cur);
	struct db_step_list old = {0};
	enum err_code rc;
	x->fe->count = 0;
	if (!cur)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	if ((rc = db_admin_procedure_get(c, x->code, cur, e)) != ERR_OK ||
	    (rc = db_dossier_steps(c, x->code, &old, e)) != ERR_OK)
		goto out;
	if ((rc = renumber_check(c, db_admin_step_refs, x->code, x->kept, x->nkept, old.count, 's',
	                         "dossiers or their process control forms refer to steps numbered ",
	                         " and above; they cannot be renumbered (edit the step instead)",
	                         x->fe, e)) != ERR_OK)
		goto out;
	bool same = old.count == x->nkept && cur->needs_signoff == x->signoff;
	json_t *before = json_array(), *after = json_array();
	for (size_t i = 0; i < old.count; i++) {
		const struct db_procedure_step *s = &old.items[i];
		json_array_append_new(before, json_pack("{s:s,s:s,s:I,s:s}", "name_vi", s->name_vi,
		                                        "name_en", s->name_en, "share_pct",
		                                        (json_int_t)s->share_pct, "role", s->role));
	}
	for (size_t i = 0; i < x->nkept && rc == ERR_OK; i++) {
		const struct db_step *s = &x->steps[i];
		if (same &&
		    (!str_eq(old.items[i].name_vi, s->name_vi) ||
		     !str_eq(old.items[i].name_en, s->name_en) ||
		     old.items[i].share_pct != s->share_pct || !str_eq(old.items[i].role, s->role)))
			same = false;
		json_array_append_new(after, json_pack("{s:s,s:s,s:I,s:s}", "name_vi", s->name_vi,
		                                       "name_en", s->name_en, "share_pct",
		                                       (json_int_t)s->share_pct, "role", s->role));
		enum db_upsert res;
		rc = db_catalog_upsert_step(c, s, &res, e);
	}
	if (rc == ERR_OK && !same)
		rc = db_catalog_trim_steps(c, x->code, (int)x->nkept, NULL, e);
	if (rc == ERR_OK && !same)
		rc = db_admin_set_needs_signoff(c, x->code, x->signoff, e);
	if (rc == ERR_OK && !same) {
		rc = audit_list(c, x->by, x->now, "procedure.steps", x->code, before, after,
		                &x->signoff, old.count, x->nkept, e);
		before = after = NULL;
	}
	json_decref(before);
	json_decref(after);
out:
	db_step_list_free(&old);
	free(cur);
	return rc;
}

enum err_code admin_procedure_set_steps(struct service *svc, const struct actor *by,
                                        const char *code, const struct admin_step_input *rows,
                                        size_t n, struct admin_errors *fe, struct err *e)
{
	struct admin_errors local;
	enum err_code rc = admin_begin(by, &fe, &local, e);
	if (rc != ERR_OK)
		return rc;
	struct step_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	x->by = by;
	x->now = service_now(svc);
	x->code = nz(code);
	x->rows = rows;
	x->fe = fe;
	for (size_t i = 0; i < n; i++) {
		const struct admin_step_input *r = &rows[i];
		if (r->remove)
			continue;
		if (x->nkept >= IMPORT_STEPS_MAX) {
			fe_add(fe, "steps", ADMIN_INVALID, "more than %d steps", IMPORT_STEPS_MAX);
			break;
		}
		char f[ADMIN_FIELD_NAME_MAX];
		size_t role = 0, nroles;
		int64_t share = 0;
		check_text(fe, row_field(f, 's', i + 1, "name_vi"), r->name_vi, true,
		           ADMIN_SHORT_MAX);
		check_text(fe, row_field(f, 's', i + 1, "name_en"), r->name_en, true,
		           ADMIN_SHORT_MAX);
		check_int(fe, row_field(f, 's', i + 1, "share"), r->share_pct, 1, 100, false, 0,
		          &share);
		check_word(fe, row_field(f, 's', i + 1, "role"), r->role, IMPORT_W_STEP_ROLE,
		           &role);
		const char *role_name = import_words(IMPORT_W_STEP_ROLE, &nroles)[role];
		x->signoff |= str_eq(role_name, "approver");
		x->steps[x->nkept] =
		        (struct db_step){x->code,        (int)x->nkept + 1, nz(r->name_vi),
		                         nz(r->name_en), (int)share,        role_name};
		x->kept[x->nkept++].row = i + 1;
	}
	if (x->nkept == 0 && fe->count == 0)
		fe_add(fe, "steps", ADMIN_INVALID, "a procedure needs at least one step");
	if (fe->count == 0) {
		char why[IMPORT_WHY_MAX];
		const char *column = "";
		const char *sp = import_steps_problem(x->steps, x->nkept, x->signoff, &column, why);
		if (sp)
			fe_add(fe, "steps", ADMIN_INVALID, "%s", sp);
	}
	rc = fe_result(fe, e);
	if (rc == ERR_OK)
		rc = db_run_txn(svc->db, DB_TXN_WRITE, step_txn, x, e);
	free(x);
	return rc;
}

/* ---- branches and service points ---- */

struct units_ctx {
	struct db_admin_unit_list *list;
	const char *code;
	struct db_admin_unit *one;
};

static enum err_code units_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct units_ctx *x = vctx;
	if (x->list) {
		db_admin_unit_list_free(x->list);
		return db_admin_units(c, x->list, e);
	}
	return db_admin_unit_get(c, x->code, x->one, e);
}

enum err_code admin_units(struct service *svc, const struct actor *by,
                          struct db_admin_unit_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = need_admin(by, e);
	if (rc != ERR_OK)
		return rc;
	struct units_ctx x = {out, NULL, NULL};
	return db_run_txn(svc->db, DB_TXN_READ, units_txn, &x, e);
}

enum err_code admin_unit_get(struct service *svc, const struct actor *by, const char *code,
                             struct db_admin_unit *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = need_admin(by, e);
	if (rc != ERR_OK)
		return rc;
	if (str_empty(code) || strlen(code) >= DBD_KEY_SIZE)
		return err_set(e, ERR_NOT_FOUND, "no branch or service point '%.64s'", nz(code));
	struct units_ctx x = {NULL, code, out};
	return db_run_txn(svc->db, DB_TXN_READ, units_txn, &x, e);
}

enum err_code admin_phone_normalize(const char *in, char out[DB_ADMIN_PHONE_SIZE], struct err *e)
{
	char d[DB_ADMIN_PHONE_SIZE];
	size_t n = 0;
	const char *p = in ? in : "";
	while (*p == ' ')
		p++;
	bool plus = *p == '+';
	if (plus)
		p++;
	for (; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')')
			continue;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof d)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "a phone number holds digits (spaces, dots, hyphens and "
			               "brackets are allowed)");
		d[n++] = *p;
	}
	d[n] = '\0';
	const char *rest = d;
	char local[DB_ADMIN_PHONE_SIZE];
	if (plus || (n >= 11 && d[0] == '8' && d[1] == '4')) {
		/* +84 and the number without its leading 0 */
		if (n < 3 || d[0] != '8' || d[1] != '4' || d[2] == '0')
			return err_set(
			        e, ERR_INVALID_ARGUMENT,
			        "an international number must be +84 and a Vietnamese number");
		snprintf(local, sizeof local, "0%s", d + 2);
		rest = local;
		n -= 1;
	}
	bool mobile = n == 10 && rest[0] == '0' && strchr("35789", rest[1]);
	bool fixed = n == 11 && rest[0] == '0' && rest[1] == '2';
	bool hotline = (n == 4 && rest[0] == '1') ||
	               (n == 8 && (str_has_prefix(rest, "1800") || str_has_prefix(rest, "1900")));
	if (!mobile && !fixed && !hotline)
		return err_set(
		        e, ERR_INVALID_ARGUMENT,
		        "not a Vietnamese phone number: a mobile number (10 digits), a fixed "
		        "line (0, the area code such as 24, and 8 digits) or a hotline "
		        "(1022, 1800xxxx, 1900xxxx)");
	str_copy(out, DB_ADMIN_PHONE_SIZE, rest);
	return ERR_OK;
}

struct unit_ctx {
	const struct actor *by;
	int64_t now;
	const char *code;
	struct db_admin_unit_change u;
	char phone[DB_ADMIN_PHONE_SIZE];
	bool changed;
};

/* "21.028511" for a coordinate in millionths (or NULL when there is none). */
static json_t *coord_json(bool has, int64_t e6)
{
	if (!has)
		return json_null();
	char s[32];
	int64_t a = e6 < 0 ? -e6 : e6;
	snprintf(s, sizeof s, "%s%lld.%06lld", e6 < 0 ? "-" : "", (long long)(a / 1000000),
	         (long long)(a % 1000000));
	return json_string(s);
}

static enum err_code unit_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct unit_ctx *x = vctx;
	struct db_admin_unit *cur = malloc(sizeof *cur);
	enum err_code rc;
	x->changed = false;
	if (!cur)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	if ((rc = db_admin_unit_get(c, x->code, cur, e)) != ERR_OK ||
	    (rc = db_admin_unit_update(c, x->code, &x->u, &x->changed, e)) != ERR_OK || !x->changed)
		goto out;
	json_t *changed = json_object();
	diff_text(changed, "address", cur->address, x->u.address);
	diff_text(changed, "opening_hours", cur->opening_hours, x->u.opening_hours);
	diff_text(changed, "coord_note", cur->coord_note, x->u.coord_note);
	diff_text(changed, "phone", cur->phone, x->u.phone);
	if (cur->has_coords != x->u.has_coords || cur->lat_e6 != x->u.lat_e6 ||
	    cur->lon_e6 != x->u.lon_e6) {
		json_t *before = json_array(), *after = json_array();
		json_array_append_new(before, coord_json(cur->has_coords, cur->lat_e6));
		json_array_append_new(before, coord_json(cur->has_coords, cur->lon_e6));
		json_array_append_new(after, coord_json(x->u.has_coords, x->u.lat_e6));
		json_array_append_new(after, coord_json(x->u.has_coords, x->u.lon_e6));
		json_object_set_new(changed, "coordinates", json_pack("[oo]", before, after));
	}
	json_t *d = json_object();
	json_object_set_new(d, "changed", changed);
	char *detail = json_text(d);
	rc = audit(c, x->by, x->now, "unit.update", "unit", x->code,
	           detail ? detail : "{\"changed\":\"(too long to record)\"}", e);
	free(detail);
out:
	free(cur);
	return rc;
}

enum err_code admin_unit_update(struct service *svc, const struct actor *by, const char *code,
                                const struct admin_unit_input *in, bool *changed,
                                struct admin_errors *fe, struct err *e)
{
	if (changed)
		*changed = false;
	struct admin_errors local;
	enum err_code rc = admin_begin(by, &fe, &local, e);
	if (rc != ERR_OK)
		return rc;
	struct unit_ctx x;
	memset(&x, 0, sizeof x);
	x.by = by;
	x.now = service_now(svc);
	x.code = nz(code);
	check_text(fe, "address", in->address, false, ADMIN_NAME_MAX);
	check_text(fe, "opening_hours", in->opening_hours, false, ADMIN_SHORT_MAX);
	check_text(fe, "coord_note", in->coord_note, false, ADMIN_NAME_MAX);
	char why[IMPORT_WHY_MAX];
	int which = 0;
	const char *cp = import_coords_problem(in->lat, in->lon, &x.u.has_coords, &x.u.lat_e6,
	                                       &x.u.lon_e6, &which, why);
	if (cp)
		fe_add(fe, which ? "lon" : "lat", ADMIN_INVALID, "%s", cp);
	if (!str_empty(in->phone)) {
		struct err pe;
		err_clear(&pe);
		if (strlen(in->phone) > 40 ||
		    admin_phone_normalize(in->phone, x.phone, &pe) != ERR_OK)
			fe_add(fe, "phone", ADMIN_INVALID, "%s",
			       pe.detail[0] ? pe.detail : "too long for a phone number");
	}
	rc = fe_result(fe, e);
	if (rc != ERR_OK)
		return rc;
	x.u.address = nz(in->address);
	x.u.opening_hours = nz(in->opening_hours);
	x.u.coord_note = nz(in->coord_note);
	x.u.phone = x.phone;
	if (!x.u.has_coords)
		x.u.lat_e6 = x.u.lon_e6 = 0;
	rc = db_run_txn(svc->db, DB_TXN_WRITE, unit_txn, &x, e);
	if (rc == ERR_OK && changed)
		*changed = x.changed;
	return rc;
}

/* ---- staff accounts ---- */

enum err_code admin_user_create(struct accounts *acc, const struct actor *by,
                                const struct admin_user_input *in, struct account_info *out,
                                struct admin_errors *fe, struct err *e)
{
	struct admin_errors local;
	enum err_code rc = admin_begin(by, &fe, &local, e);
	if (rc != ERR_OK)
		return rc;
	char name[SERVICE_USERNAME_MAX] = "";
	struct err ue;
	err_clear(&ue);
	if (str_empty(in->username))
		fe_add(fe, "username", ADMIN_REQUIRED, "empty");
	else if (account_username_normalize(in->username, name, &ue) != ERR_OK)
		fe_add(fe, "username", ADMIN_INVALID, "%s", ue.detail);
	check_text(fe, "full_name", in->full_name, true, ACCOUNT_NAME_MAX - 1);
	unsigned roles = 0;
	for (size_t i = 0; i < in->nroles; i++) {
		unsigned bit = lifecycle_role_from_name(in->roles[i]);
		if (!bit || (bit & (ROLE_APPLICANT | ROLE_SYSTEM)))
			fe_add(fe, "roles", ADMIN_INVALID, "'%.32s' is not a staff role",
			       in->roles[i]);
		roles |= bit;
	}
	if (in->nroles == 0)
		fe_add(fe, "roles", ADMIN_REQUIRED, "choose at least one role");
	char why[IMPORT_WHY_MAX];
	const char *cp = import_code_problem(in->unit_code, false, why);
	if (cp)
		fe_add(fe, "unit_code", ADMIN_INVALID, "%s", cp);
	err_clear(&ue);
	if (str_empty(in->password))
		fe_add(fe, "password", ADMIN_REQUIRED, "empty");
	else if (account_password_check(acc, name, in->password, &ue) != ERR_OK)
		fe_add(fe, "password", ADMIN_INVALID, "%s", ue.detail);
	if ((rc = fe_result(fe, e)) != ERR_OK)
		return rc;
	struct account_new n = {name, roles, str_empty(in->unit_code) ? NULL : in->unit_code,
	                        in->full_name, in->password};
	rc = account_create(acc, by, &n, out, e);
	const char *d = e ? e->detail : "";
	switch (rc) {
	case ERR_OK:
		break;
	case ERR_DB_CONFLICT:
		fe_add(fe, "username", ADMIN_CONFLICT, "%s", d);
		break;
	case ERR_NOT_FOUND:
	case ERR_MISSING_ARGUMENT:
		fe_add(fe, "unit_code", ADMIN_INVALID, "%s", d);
		break;
	case ERR_WEAK_PASSWORD:
	case ERR_TOO_LONG:
		fe_add(fe, "password", ADMIN_INVALID, "%s", d);
		break;
	case ERR_INVALID_ARGUMENT:
		fe_add(fe,
		       strstr(d, "unit '") ? "unit_code"
		       : strstr(d, "role") ? "roles"
		                           : "form",
		       ADMIN_INVALID, "%s", d);
		break;
	default:
		break;
	}
	return rc;
}

enum err_code admin_user_password(struct accounts *acc, const struct actor *by,
                                  const char *username, const char *password,
                                  int64_t *sessions_ended, struct admin_errors *fe, struct err *e)
{
	struct admin_errors local;
	enum err_code rc = admin_begin(by, &fe, &local, e);
	if (rc != ERR_OK)
		return rc;
	if (str_empty(password)) {
		fe_add(fe, "password", ADMIN_REQUIRED, "empty");
		return fe_result(fe, e);
	}
	rc = account_set_password(acc, by, username, password, sessions_ended, e);
	if (rc == ERR_WEAK_PASSWORD || rc == ERR_TOO_LONG || rc == ERR_INVALID_ARGUMENT)
		fe_add(fe, "password", ADMIN_INVALID, "%s", e ? e->detail : "invalid");
	return rc;
}

/* ---- announced days off and make-up working days ---- */

#define HOLIDAY_NAME_MAX 200 /* bytes of an announcement's name (the make-up days add a prefix) */

/* Appends a CSV field, quoted when it holds a comma or a quote. Returns 0 or -1. */
static int csv_put(struct buf *b, const char *s, bool last)
{
	int rc = 0;
	if (strpbrk(s, ",\"")) {
		rc |= buf_putc(b, '"');
		for (const char *p = s; *p; p++)
			rc |= *p == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *p);
		rc |= buf_putc(b, '"');
	} else {
		rc |= buf_puts(b, s);
	}
	return rc | buf_putc(b, last ? '\n' : ',');
}

/* One row of the holiday CSV (status confirmed). Returns 0 or -1. */
static int csv_row(struct buf *b, const struct db_admin_holiday *h)
{
	char date[VNTIME_DATE_LEN], year[24];
	vntime_format_date(h->day, date);
	snprintf(year, sizeof year, "%lld", (long long)h->year);
	return csv_put(b, date, false) | csv_put(b, h->kind, false) |
	       csv_put(b, h->occasion, false) | csv_put(b, year, false) |
	       csv_put(b, "confirmed", false) | csv_put(b, h->name_vi, false) |
	       csv_put(b, h->name_en, false) | csv_put(b, h->source, true);
}

/* The row of the bundled data at day, or NULL. */
static const struct holiday_row *base_row(const struct service *svc, int64_t day)
{
	const struct holiday_table *t = &svc->calendar.table;
	size_t lo = 0, hi = t->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->rows[mid].date < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->count && t->rows[lo].date == day ? &t->rows[lo] : NULL;
}

bool admin_holiday_superseded(const struct service *svc, int64_t day)
{
	return base_row(svc, day) != NULL;
}

/* What follows "line N: " in a message of the holiday parser (the line means nothing here). */
static const char *after_line(const char *detail)
{
	const char *p = detail;
	while ((p = strstr(p, "line ")) != NULL) {
		const char *q = p + 5;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p + 5 && q[0] == ':' && q[1] == ' ')
			return q + 2;
		p += 5;
	}
	return detail;
}

/*
 * Builds a calendar (malloc'd) from the bundled data and the rows of a and b
 * (either may be NULL), leaving out the rows of a batch skip and the dates
 * the bundled data lists.
 */
static enum err_code build_calendar(const struct service *svc, const struct db_admin_holiday *a,
                                    size_t na, const struct db_admin_holiday *b, size_t nb,
                                    const char *skip, struct calendar **out, struct err *e)
{
	struct buf csv = BUF_INIT(HOLIDAYS_CSV_MAX_BYTES);
	int bad = 0;
	*out = NULL;
	for (size_t i = 0; i < na; i++)
		if (!(skip && str_eq(a[i].batch, skip)) && !admin_holiday_superseded(svc, a[i].day))
			bad |= csv_row(&csv, &a[i]);
	for (size_t i = 0; i < nb; i++)
		bad |= csv_row(&csv, &b[i]);
	struct calendar *c = malloc(sizeof *c);
	if (bad || !c) {
		buf_release(&csv);
		free(c);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	enum err_code rc = calendar_load_with(svc->cfg, buf_str(&csv), csv.len, c, e);
	buf_release(&csv);
	if (rc != ERR_OK) {
		free(c);
		return rc;
	}
	*out = c;
	return ERR_OK;
}

static void calendar_free(struct calendar *c)
{
	if (c) {
		calendar_release(c);
		free(c);
	}
}

/* Splits a list of dates (YYYY-MM-DD or DD/MM/YYYY, separated by commas, semicolons or spaces). */
static size_t parse_dates(struct admin_errors *fe, const char *field, const char *s, int64_t *out,
                          size_t max)
{
	size_t n = 0;
	const char *p = nz(s);
	for (;;) {
		while (*p == ',' || *p == ';' || *p == ' ' || *p == '\t' || *p == '\r' ||
		       *p == '\n')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ",; \t\r\n");
		char tok[24], iso[VNTIME_DATE_LEN];
		snprintf(tok, sizeof tok, "%.*s", (int)(len < sizeof tok ? len : sizeof tok - 1),
		         p);
		int d, m, y, used = 0;
		const char *date = tok;
		if (len < sizeof tok && strchr(tok, '/') &&
		    sscanf(tok, "%2d/%2d/%4d%n", &d, &m, &y, &used) == 3 && (size_t)used == len) {
			snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
			date = iso;
		}
		if (len >= sizeof tok ||
		    vntime_parse_date(date, &out[n < max ? n : max - 1]) != 0) {
			fe_add(fe, field, ADMIN_INVALID, "'%.20s' is not a date (YYYY-MM-DD)", tok);
			return n;
		}
		if (++n > max) {
			fe_add(fe, field, ADMIN_INVALID, "more than %d dates", ADMIN_HOLIDAY_DAYS);
			return max;
		}
		p += len;
	}
	return n;
}

/* The decimal number at s (digits only; 0 when none, capped). */
static int line_number(const char *s)
{
	int n = 0;
	for (; *s >= '0' && *s <= '9' && n < 100000; s++)
		n = n * 10 + (*s - '0');
	return n;
}

struct announce_ctx {
	struct service *svc;
	const struct actor *by;
	int64_t now;
	struct db_admin_holiday rows[ADMIN_HOLIDAY_DAYS];
	size_t nrows, noff;
	const char *withdraw; /* withdrawing this batch rather than announcing */
	struct admin_errors *fe;
	struct calendar *built;
	int64_t version;
	char detail[AUDIT_DETAIL_MAX];
};

/* The field of new row i: the days off come first. */
static const char *row_field_of(const struct announce_ctx *x, size_t i)
{
	return i < x->noff ? "days_off" : "work_days";
}

static enum err_code announce_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct announce_ctx *x = vctx;
	struct db_admin_holiday_list list = {0};
	enum err_code rc;
	calendar_free(x->built);
	x->built = NULL;
	if (x->fe)
		x->fe->count = 0;
	if ((rc = db_admin_holidays(c, &list, e)) != ERR_OK)
		return rc;
	size_t nwithdrawn = 0;
	json_t *days = json_array();
	for (size_t i = 0; x->withdraw && i < list.count; i++)
		if (str_eq(list.items[i].batch, x->withdraw)) {
			char d[VNTIME_DATE_LEN];
			vntime_format_date(list.items[i].day, d);
			json_array_append_new(days,
			                      json_pack("{s:s,s:s,s:s,s:I}", "date", d, "kind",
			                                list.items[i].kind, "occasion",
			                                list.items[i].occasion, "year",
			                                (json_int_t)list.items[i].year));
			nwithdrawn++;
		}
	if (x->withdraw && nwithdrawn == 0) {
		rc = err_set(e, ERR_NOT_FOUND, "no announcement '%s'", x->withdraw);
		goto out;
	}
	/* a date is announced once, and never over the bundled data */
	for (size_t i = 0; i < x->nrows; i++) {
		char d[VNTIME_DATE_LEN];
		vntime_format_date(x->rows[i].day, d);
		const struct holiday_row *b = base_row(x->svc, x->rows[i].day);
		if (b) {
			fe_add(x->fe, row_field_of(x, i), ADMIN_CONFLICT,
			       "%s is in the holiday data already (%s)", d, b->name_en);
			continue;
		}
		for (size_t j = 0; j < list.count; j++)
			if (list.items[j].day == x->rows[i].day)
				fe_add(x->fe, row_field_of(x, i), ADMIN_CONFLICT,
				       "%s was announced already (%s)", d, list.items[j].source);
	}
	if (x->fe && (rc = fe_result(x->fe, e)) != ERR_OK)
		goto out;
	struct err be;
	err_clear(&be);
	rc = build_calendar(x->svc, list.items, list.count, x->rows, x->nrows, x->withdraw,
	                    &x->built, &be);
	if (rc == ERR_INVALID_HOLIDAY_DATA && x->withdraw) {
		rc = err_set(e, ERR_GUARD_FAILED,
		             "without these days the calendar would break a rule: %s",
		             after_line(be.detail));
		goto out;
	}
	if (rc == ERR_INVALID_HOLIDAY_DATA) {
		/* a rule across rows: an announced occasion lacks a statutory day off */
		fe_add(x->fe, "days_off", ADMIN_INVALID, "%s", after_line(be.detail));
		rc = fe_result(x->fe, e);
		goto out;
	}
	if (rc != ERR_OK) {
		*e = be;
		goto out;
	}
	int64_t deleted = 0;
	for (size_t i = 0; i < x->nrows && rc == ERR_OK; i++)
		rc = db_admin_holiday_insert(c, &x->rows[i], e);
	if (rc == ERR_OK && x->withdraw)
		rc = db_admin_holiday_delete_batch(c, x->withdraw, &deleted, e);
	if (rc == ERR_OK)
		rc = db_counter_next(c, ADMIN_CALENDAR_COUNTER, &x->version, e);
	if (rc == ERR_OK && x->withdraw) {
		json_t *d = json_object();
		json_object_set_new(d, "days", days);
		days = NULL;
		char *detail = json_text(d);
		rc = audit(c, x->by, x->now, "holiday.withdraw", "holidays", x->withdraw,
		           detail ? detail : "{}", e);
		free(detail);
	} else if (rc == ERR_OK) {
		rc = audit(c, x->by, x->now, "holiday.announce", "holidays", x->rows[0].batch,
		           x->detail, e);
	}
out:
	json_decref(days);
	db_admin_holiday_list_free(&list);
	if (rc != ERR_OK) {
		calendar_free(x->built);
		x->built = NULL;
	}
	return rc;
}

/* Runs x (an announcement or a withdrawal) and publishes its calendar, under the lock. */
static enum err_code announce_run(struct announce_ctx *x, struct err *e)
{
	struct service *svc = x->svc;
	service_calendar_lock(svc);
	enum err_code rc = db_run_txn(svc->db, DB_TXN_SERIALIZABLE, announce_txn, x, e);
	if (rc == ERR_OK) {
		rc = service_calendar_publish(svc, x->built, x->version, e);
		if (rc != ERR_OK)
			calendar_free(x->built); /* stored; admin_calendar_sync() will publish it */
		x->built = NULL;
	}
	service_calendar_unlock(svc);
	return rc;
}

enum err_code admin_holiday_announce(struct service *svc, const struct actor *by,
                                     const struct admin_holiday_input *in,
                                     char batch[SERVICE_ID_LEN], struct admin_errors *fe,
                                     struct err *e)
{
	struct admin_errors local;
	enum err_code rc = admin_begin(by, &fe, &local, e);
	if (rc != ERR_OK)
		return rc;
	enum holiday_occasion occ = HOLIDAY_OTHER;
	if (str_empty(in->occasion))
		fe_add(fe, "occasion", ADMIN_REQUIRED, "empty");
	else if (holidays_occasion_from_name(in->occasion, &occ) != 0)
		fe_add(fe, "occasion", ADMIN_INVALID, "'%.40s' is not an occasion", in->occasion);
	int64_t year = 0;
	check_int(fe, "year", in->year, WORKTIME_FIRST_YEAR, WORKTIME_LAST_YEAR, false, 0, &year);
	int64_t off[ADMIN_HOLIDAY_DAYS], work[ADMIN_HOLIDAY_DAYS];
	size_t noff = parse_dates(fe, "days_off", in->days_off, off, ADMIN_HOLIDAY_DAYS);
	size_t nwork = parse_dates(fe, "work_days", in->work_days, work, ADMIN_HOLIDAY_DAYS);
	if (!admin_error_of(fe, "days_off") && !admin_error_of(fe, "work_days")) {
		if (noff + nwork == 0)
			fe_add(fe, "days_off", ADMIN_REQUIRED, "give at least one date");
		else if (noff + nwork > ADMIN_HOLIDAY_DAYS)
			fe_add(fe, "work_days", ADMIN_INVALID, "more than %d dates in all",
			       ADMIN_HOLIDAY_DAYS);
	}
	check_text(fe, "name_vi", in->name_vi, true, HOLIDAY_NAME_MAX);
	check_text(fe, "name_en", in->name_en, true, HOLIDAY_NAME_MAX);
	check_text(fe, "source", in->source, true, DB_ADMIN_SOURCE_SIZE - 1);
	if ((rc = fe_result(fe, e)) != ERR_OK)
		return rc;

	struct announce_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	x->svc = svc;
	x->by = by;
	x->now = service_now(svc);
	x->fe = fe;
	x->noff = noff;
	char id[SERVICE_ID_LEN];
	service_new_id(id);
	json_t *d = json_object(), *joff = json_array(), *jwork = json_array();
	for (size_t i = 0; i < noff + nwork; i++) {
		struct db_admin_holiday *h = &x->rows[x->nrows++];
		bool is_off = i < noff;
		h->day = is_off ? off[i] : work[i - noff];
		service_new_id(h->id);
		str_copy(h->batch, sizeof h->batch, id);
		str_copy(h->kind, sizeof h->kind, is_off ? "off" : "work");
		str_copy(h->occasion, sizeof h->occasion, holidays_occasion_name(occ));
		h->year = year;
		if (is_off) {
			str_copy(h->name_vi, sizeof h->name_vi, in->name_vi);
			str_copy(h->name_en, sizeof h->name_en, in->name_en);
		} else {
			snprintf(h->name_vi, sizeof h->name_vi, "Làm bù: %s", in->name_vi);
			snprintf(h->name_en, sizeof h->name_en, "Make-up working day: %s",
			         in->name_en);
		}
		str_copy(h->source, sizeof h->source, in->source);
		h->created_at = x->now;
		str_copy(h->created_by, sizeof h->created_by, by->username);
		char date[VNTIME_DATE_LEN];
		vntime_format_date(h->day, date);
		json_array_append_new(is_off ? joff : jwork, json_string(date));
	}
	json_object_set_new(d, "occasion", json_string(holidays_occasion_name(occ)));
	json_object_set_new(d, "year", json_integer(year));
	json_object_set_new(d, "off", joff);
	json_object_set_new(d, "work", jwork);
	json_object_set_new(d, "name_vi", json_string(in->name_vi));
	json_object_set_new(d, "source", json_string(in->source));
	char *detail = json_text(d);
	str_copy(x->detail, sizeof x->detail, detail ? detail : "{}");
	free(detail);

	/*
	 * The rows alone through the holiday parser first: the checks of each
	 * row (a weekday off, a weekend make-up day, the year within one of the
	 * date, a date twice), with messages about this form rather than about
	 * the whole calendar.
	 */
	struct buf csv = BUF_INIT(64 * 1024);
	int bad = buf_puts(&csv, HOLIDAYS_CSV_HEADER "\n");
	for (size_t i = 0; i < x->nrows; i++)
		bad |= csv_row(&csv, &x->rows[i]);
	struct holiday_table t = {0};
	struct err pe;
	err_clear(&pe);
	rc = bad ? err_set(e, ERR_NO_MEMORY, "out of memory")
	         : holidays_parse_csv(buf_str(&csv), csv.len, &t, &pe);
	buf_release(&csv);
	holidays_table_release(&t);
	if (rc == ERR_INVALID_HOLIDAY_DATA) {
		/* "line N": the header is line 1, row i is line i + 2 */
		int line = 0;
		const char *l = strstr(pe.detail, "line ");
		if (l)
			line = line_number(l + 5);
		size_t i = line >= 2 ? (size_t)(line - 2) : 0;
		fe_add(fe, i < x->nrows ? row_field_of(x, i) : "days_off", ADMIN_INVALID, "%s",
		       after_line(pe.detail));
		rc = fe_result(fe, e);
	} else if (rc != ERR_OK && rc != ERR_NO_MEMORY) {
		*e = pe;
	}
	if (rc == ERR_OK)
		rc = announce_run(x, e);
	if (rc == ERR_OK && batch)
		str_copy(batch, SERVICE_ID_LEN, id);
	free(x);
	return rc;
}

enum err_code admin_holiday_withdraw(struct service *svc, const struct actor *by, const char *batch,
                                     struct err *e)
{
	enum err_code rc = need_admin(by, e);
	if (rc != ERR_OK)
		return rc;
	if (str_empty(batch) || strlen(batch) != SERVICE_ID_LEN - 1 ||
	    strspn(batch, "0123456789abcdef") != SERVICE_ID_LEN - 1)
		return err_set(e, ERR_NOT_FOUND, "no announcement '%.40s'", nz(batch));
	struct announce_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	x->svc = svc;
	x->by = by;
	x->now = service_now(svc);
	x->withdraw = batch;
	rc = announce_run(x, e);
	free(x);
	return rc;
}

struct sync_ctx {
	bool exists;
	int64_t version, have;
	struct db_admin_holiday_list list;
};

static enum err_code sync_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct sync_ctx *x = vctx;
	db_admin_holiday_list_free(&x->list);
	x->version = 0;
	enum err_code rc = db_table_exists(c, "holiday_announcement", &x->exists, e);
	if (rc != ERR_OK || !x->exists)
		return rc;
	rc = db_counter_get(c, ADMIN_CALENDAR_COUNTER, &x->version, e);
	if (rc == ERR_NOT_FOUND) {
		x->version = 0;
		rc = ERR_OK;
	}
	if (rc == ERR_OK && x->version != x->have)
		rc = db_admin_holidays(c, &x->list, e);
	return rc;
}

enum err_code admin_calendar_sync(struct service *svc, struct err *e)
{
	struct sync_ctx x;
	memset(&x, 0, sizeof x);
	service_calendar_lock(svc);
	x.have = service_calendar_version(svc);
	enum err_code rc = db_run_txn(svc->db, DB_TXN_READ, sync_txn, &x, e);
	if (rc == ERR_OK && x.exists && x.version != x.have) {
		struct calendar *c = NULL;
		struct err be;
		err_clear(&be);
		rc = build_calendar(svc, x.list.items, x.list.count, NULL, 0, NULL, &c, &be);
		if (rc != ERR_OK)
			err_set(e, rc,
			        "the holidays announced by administrators (table "
			        "holiday_announcement) "
			        "do not fit the holiday data: %s",
			        be.detail);
		else if ((rc = service_calendar_publish(svc, c, x.version, e)) != ERR_OK)
			calendar_free(c);
	}
	service_calendar_unlock(svc);
	db_admin_holiday_list_free(&x.list);
	return rc;
}

struct holidays_ctx {
	struct db_admin_holiday_list *out;
};

static enum err_code holidays_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct holidays_ctx *x = vctx;
	db_admin_holiday_list_free(x->out);
	return db_admin_holidays(c, x->out, e);
}

enum err_code admin_holidays(struct service *svc, const struct actor *by,
                             struct db_admin_holiday_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = need_admin(by, e);
	if (rc == ERR_OK)
		rc = admin_calendar_sync(svc, e);
	if (rc != ERR_OK)
		return rc;
	struct holidays_ctx x = {out};
	return db_run_txn(svc->db, DB_TXN_READ, holidays_txn, &x, e);
}
