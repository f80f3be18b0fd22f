/*
 * db_copy: copies the tables of motcua's schema between two databases of any
 * engines (see db_copy.h). The only engine-specific SQL here reads the
 * catalogs (columns and self-references of a table) and, on a PostgreSQL
 * source, walks the rows with a cursor so that a large table is never held
 * in memory at once.
 */
#include "db/db_copy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "db/migrate.h"

#define COPY_MAX_COLUMNS 128
#define COPY_SQL_MAX     (64 * 1024)
#define COPY_FETCH_ROWS  "1000" /* rows per FETCH from a PostgreSQL source */

enum col_kind { COL_TEXT, COL_INT, COL_BLOB };

struct table_shape {
	int ncols;
	char names[COPY_MAX_COLUMNS][DB_COPY_NAME_MAX];
	enum col_kind kinds[COPY_MAX_COLUMNS];
	int self_from, self_to; /* a one-column reference to the table itself, or -1 */
};

/* One value of a row, as bytes (an integer as its decimal text). */
struct cell {
	const char *p;
	size_t len;
	bool null;
};

/* ---- URL redaction ---- */

void db_url_redacted(const char *url, char *out, size_t outsz)
{
	struct buf b = BUF_INIT(outsz > 1 ? outsz - 1 : 1);
	const char *s = url ? url : "";
	const char *scheme = strstr(s, "://");
	const char *p = s;
	if (scheme) {
		const char *auth = scheme + 3;
		const char *end = auth + strcspn(auth, "/?");
		const char *at = memchr(auth, '@', (size_t)(end - auth));
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon) {
			buf_append(&b, s, (size_t)(colon + 1 - s));
			buf_puts(&b, "***");
			p = at;
		}
	}
	for (;;) {
		const char *pw = strstr(p, "password=");
		if (!pw) {
			buf_puts(&b, p);
			break;
		}
		buf_append(&b, p, (size_t)(pw + 9 - p));
		buf_puts(&b, "***");
		p = pw + 9 + strcspn(pw + 9, "&");
	}
	str_copy(out, outsz, buf_str(&b));
	buf_release(&b);
}

/* ---- the table list, from the migrations ---- */

static bool ident_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

/* The next word of SQL text at *p (lower-cased into w), skipping comments and literals.
 * Returns false at the end. A word followed by '.' is marked qualified. */
static bool next_word(const char **p, char *w, size_t wsz, bool *qualified)
{
	const char *s = *p;
	for (;;) {
		while (*s && !ident_char(*s) && *s != '-' && *s != '\'' && *s != '$' && *s != '"')
			s++;
		if (!*s)
			return false;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
			continue;
		}
		if (*s == '-') {
			s++;
			continue;
		}
		if (*s == '\'' || *s == '"') {
			char q = *s++;
			while (*s && *s != q)
				s++;
			if (*s)
				s++;
			continue;
		}
		if (s[0] == '$' && s[1] == '$') { /* a function body: skip to its end */
			const char *end = strstr(s + 2, "$$");
			s = end ? end + 2 : s + strlen(s);
			continue;
		}
		if (*s == '$') {
			s++;
			continue;
		}
		break;
	}
	size_t n = 0;
	while (ident_char(*s)) {
		if (n + 1 < wsz)
			w[n++] = (char)tolower((unsigned char)*s);
		s++;
	}
	w[n] = '\0';
	*qualified = *s == '.';
	*p = s;
	return true;
}

static bool plain_identifier(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

enum err_code db_copy_tables(const struct migration *list, int n, char names[][DB_COPY_NAME_MAX],
                             int max, int *count, struct err *e)
{
	*count = 0;
	for (int m = 0; m < n; m++) {
		const char *p = list[m].sql;
		char prev[DB_COPY_NAME_MAX] = "", w[DB_COPY_NAME_MAX], name[DB_COPY_NAME_MAX];
		bool qual = false;
		while (next_word(&p, w, sizeof w, &qual)) {
			/* CREATE TABLE [IF NOT EXISTS] name, DROP TABLE [IF EXISTS] name */
			bool create = str_eq(prev, "create") && str_eq(w, "table");
			bool drop = str_eq(prev, "drop") && str_eq(w, "table");
			str_copy(prev, sizeof prev, w);
			if (!create && !drop)
				continue;
			prev[0] = '\0';
			if (!next_word(&p, name, sizeof name, &qual))
				break;
			if (str_eq(name, "if")) {
				bool ok =
				        next_word(&p, name, sizeof name, &qual); /* not / exists */
				if (ok && str_eq(name, "not"))
					ok = next_word(&p, name, sizeof name, &qual);
				if (!ok || !next_word(&p, name, sizeof name, &qual))
					break;
			}
			if (qual || !plain_identifier(name))
				return err_set(
				        e, ERR_INTERNAL,
				        "migration '%s': table name '%s' is not a plain identifier",
				        list[m].name, name);
			if (str_eq(name, "schema_migrations"))
				continue;
			int at = -1;
			for (int i = 0; i < *count; i++)
				if (str_eq(names[i], name))
					at = i;
			if (drop && at >= 0) {
				memmove(names[at], names[at + 1],
				        sizeof names[0] * (size_t)(*count - at - 1));
				(*count)--;
			} else if (create && at < 0) {
				if (*count >= max)
					return err_set(e, ERR_TOO_LONG, "more than %d tables", max);
				str_copy(names[(*count)++], DB_COPY_NAME_MAX, name);
			}
		}
	}
	return ERR_OK;
}

/* ---- catalogs ---- */

static bool is_pg(struct db_conn *c, struct db *db)
{
	(void)c;
	return str_eq(db_driver_name(db), "postgresql");
}

static enum col_kind kind_of(const char *type)
{
	char up[64];
	size_t i = 0;
	for (; type && type[i] && i + 1 < sizeof up; i++)
		up[i] = (char)toupper((unsigned char)type[i]);
	up[i] = '\0';
	if (strstr(up, "INT"))
		return COL_INT;
	if (strstr(up, "BYTEA") || strstr(up, "BLOB"))
		return COL_BLOB;
	return COL_TEXT;
}

static enum err_code read_shape(struct db *db, struct db_conn *c, const char *table,
                                struct table_shape *out, struct err *e)
{
	const char *sql_cols =
	        is_pg(c, db) ? "SELECT column_name, data_type FROM information_schema.columns "
	                       "WHERE table_schema = current_schema() AND table_name = $1 "
	                       "ORDER BY ordinal_position"
	                     : "SELECT name, type FROM pragma_table_info($1) ORDER BY cid";
	struct db_stmt *st;
	bool row;
	memset(out, 0, sizeof *out);
	out->self_from = out->self_to = -1;
	enum err_code rc = db_query(c, sql_cols, DB_ARGS(db_text(table)), &st, e);
	while (rc == ERR_OK && (rc = db_step(st, &row, e)) == ERR_OK && row) {
		const char *name = db_col_text(st, 0, NULL);
		if (out->ncols >= COPY_MAX_COLUMNS) {
			rc = err_set(e, ERR_TOO_LONG, "table '%s' has more than %d columns", table,
			             COPY_MAX_COLUMNS);
			break;
		}
		if (!name || !plain_identifier(name) || strlen(name) >= DB_COPY_NAME_MAX) {
			rc = err_set(e, ERR_INVALID_ARGUMENT,
			             "table '%s': column '%s' is not a plain identifier", table,
			             name ? name : "");
			break;
		}
		str_copy(out->names[out->ncols], DB_COPY_NAME_MAX, name);
		out->kinds[out->ncols++] = kind_of(db_col_text(st, 1, NULL));
	}
	db_finish(st);
	if (rc != ERR_OK)
		return rc;
	if (out->ncols == 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "table '%s' is missing", table);

	/* A one-column foreign key from the table to itself. */
	const char *sql_self =
	        is_pg(c, db)
	                ? "SELECT min(k.column_name), min(u.column_name) FROM "
	                  "information_schema.table_constraints t JOIN "
	                  "information_schema.key_column_usage k ON k.constraint_schema = "
	                  "t.constraint_schema AND k.constraint_name = t.constraint_name JOIN "
	                  "information_schema.constraint_column_usage u ON u.constraint_schema = "
	                  "t.constraint_schema AND u.constraint_name = t.constraint_name WHERE "
	                  "t.constraint_type = 'FOREIGN KEY' AND t.table_schema = current_schema() "
	                  "AND t.table_name = $1 AND u.table_schema = current_schema() AND "
	                  "u.table_name = $1 GROUP BY t.constraint_name HAVING count(*) = 1"
	                : "SELECT \"from\", \"to\" FROM pragma_foreign_key_list($1) f WHERE "
	                  "\"table\" = $1 AND NOT EXISTS (SELECT 1 FROM "
	                  "pragma_foreign_key_list($1) g "
	                  "WHERE g.id = f.id AND g.seq > 0)";
	rc = db_query(c, sql_self, DB_ARGS(db_text(table)), &st, e);
	while (rc == ERR_OK && (rc = db_step(st, &row, e)) == ERR_OK && row) {
		const char *from = db_col_text(st, 0, NULL), *to = db_col_text(st, 1, NULL);
		for (int i = 0; i < out->ncols; i++) {
			if (str_eq(out->names[i], from))
				out->self_from = i;
			if (str_eq(out->names[i], to))
				out->self_to = i;
		}
	}
	db_finish(st);
	if (out->self_from < 0 || out->self_to < 0)
		out->self_from = out->self_to = -1;
	return rc;
}

static enum err_code count_of(struct db_conn *c, const char *table, int64_t *n, struct err *e)
{
	char sql[DB_COPY_NAME_MAX + 32];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return db_query_int64(c, sql, DB_NOARGS, n, e);
}

/* ---- rows ---- */

struct copier {
	struct db_conn *dst;
	const char *table;
	const struct table_shape *shape;
	const char *insert_sql;
	int64_t rows;
	struct db_param params[COPY_MAX_COLUMNS];
};

/* Writes one row (cells in the source's column order) into the destination. */
static enum err_code put_row(struct copier *k, const struct cell *cells, struct err *e)
{
	const struct table_shape *sh = k->shape;
	for (int i = 0; i < sh->ncols; i++) {
		const struct cell *v = &cells[i];
		if (v->null) {
			k->params[i] = db_null();
			continue;
		}
		switch (sh->kinds[i]) {
		case COL_INT: {
			char num[32];
			char *end = NULL;
			if (v->len == 0 || v->len >= sizeof num)
				goto not_int;
			memcpy(num, v->p, v->len);
			num[v->len] = '\0';
			errno = 0;
			long long x = strtoll(num, &end, 10);
			if (errno || *end)
				goto not_int;
			k->params[i] = db_int(x);
			break;
		not_int:
			return err_set(
			        e, ERR_INVALID_ARGUMENT,
			        "table '%s' row %lld: column '%s' holds '%.*s', not an integer",
			        k->table, (long long)k->rows + 1, sh->names[i],
			        (int)(v->len > 40 ? 40 : v->len), v->p);
		}
		case COL_BLOB:
			k->params[i] = db_blob(v->len ? v->p : "", v->len);
			break;
		default:
			k->params[i] = db_textn(v->p, v->len);
		}
	}
	enum err_code rc = db_exec(k->dst, k->insert_sql, k->params, sh->ncols, NULL, e);
	if (rc != ERR_OK) {
		char detail[ERR_DETAIL_MAX];
		str_copy(detail, sizeof detail, e ? e->detail : "");
		return err_set(e, rc, "table '%s' row %lld: %s", k->table, (long long)k->rows + 1,
		               detail);
	}
	k->rows++;
	return ERR_OK;
}

/* The cells of the current row of st. */
static void get_cells(struct db_stmt *st, const struct table_shape *sh, struct cell *cells)
{
	for (int i = 0; i < sh->ncols; i++) {
		struct cell *v = &cells[i];
		v->null = db_col_is_null(st, i);
		v->len = 0;
		v->p = NULL;
		if (v->null)
			continue;
		if (sh->kinds[i] == COL_BLOB)
			v->p = db_col_blob(st, i, &v->len);
		else
			v->p = db_col_text(st, i, &v->len);
		if (!v->p)
			v->p = "";
	}
}

/* Streams the rows of a statement into the destination. */
static enum err_code stream(struct copier *k, struct db_stmt *st, int64_t *seen, struct err *e)
{
	struct cell cells[COPY_MAX_COLUMNS];
	bool row;
	enum err_code rc;
	*seen = 0;
	while ((rc = db_step(st, &row, e)) == ERR_OK && row) {
		get_cells(st, k->shape, cells);
		(*seen)++;
		if ((rc = put_row(k, cells, e)) != ERR_OK)
			break;
	}
	return rc;
}

/* ---- a table that references itself: parents first ---- */

struct held_row {
	struct cell cells[COPY_MAX_COLUMNS];
	int state; /* 0 new, 1 being placed, 2 written */
};

struct keyed {
	const struct cell *key; /* the row's value of the referenced column */
	size_t row;
};

struct held {
	struct held_row *rows;
	size_t n, cap;
	struct keyed *by_key; /* rows sorted by the referenced column */
	int key;              /* the referenced column */
};

static int cell_cmp(const struct cell *a, const struct cell *b)
{
	if (a->null || b->null)
		return (int)b->null - (int)a->null;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->p, b->p, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int by_key_cmp(const void *x, const void *y)
{
	return cell_cmp(((const struct keyed *)x)->key, ((const struct keyed *)y)->key);
}

static void held_free(struct held *h, int ncols)
{
	for (size_t i = 0; i < h->n; i++)
		for (int c = 0; c < ncols; c++)
			free((void *)h->rows[i].cells[c].p);
	free(h->rows);
	free(h->by_key);
}

/* Writes row i after the row it references (when that row is in the table). */
static enum err_code place(struct copier *k, struct held *h, size_t i, size_t depth, struct err *e)
{
	struct held_row *r = &h->rows[i];
	if (r->state == 2)
		return ERR_OK;
	if (r->state == 1 || depth > h->n)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "table '%s': rows reference each other in a cycle", k->table);
	r->state = 1;
	const struct cell *ref = &r->cells[k->shape->self_from];
	if (!ref->null) {
		size_t lo = 0, hi = h->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = cell_cmp(h->by_key[mid].key, ref);
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < h->n && cell_cmp(h->by_key[lo].key, ref) == 0 && h->by_key[lo].row != i) {
			enum err_code rc = place(k, h, h->by_key[lo].row, depth + 1, e);
			if (rc != ERR_OK)
				return rc;
		}
	}
	r->state = 2;
	return put_row(k, r->cells, e);
}

static enum err_code copy_held(struct copier *k, struct db_stmt *st, int64_t *seen, struct err *e)
{
	const struct table_shape *sh = k->shape;
	struct held h = {.key = sh->self_to};
	struct cell cells[COPY_MAX_COLUMNS];
	bool row;
	enum err_code rc;
	*seen = 0;
	while ((rc = db_step(st, &row, e)) == ERR_OK && row) {
		if (h.n == h.cap) {
			size_t cap = h.cap ? h.cap * 2 : 256;
			void *p = realloc(h.rows, cap * sizeof *h.rows);
			if (!p) {
				rc = err_set(e, ERR_NO_MEMORY, "out of memory copying '%s'",
				             k->table);
				break;
			}
			h.rows = p;
			h.cap = cap;
		}
		get_cells(st, sh, cells);
		struct held_row *r = &h.rows[h.n];
		memset(r, 0, sizeof *r);
		h.n++;
		for (int c = 0; c < sh->ncols; c++) {
			char *copy = malloc(cells[c].len + 1);
			if (!copy) {
				rc = err_set(e, ERR_NO_MEMORY, "out of memory copying '%s'",
				             k->table);
				break;
			}
			if (cells[c].len)
				memcpy(copy, cells[c].p, cells[c].len);
			copy[cells[c].len] = '\0';
			r->cells[c] = (struct cell){copy, cells[c].len, cells[c].null};
		}
		if (rc != ERR_OK)
			break;
		(*seen)++;
	}
	if (rc == ERR_OK && h.n) {
		h.by_key = malloc(h.n * sizeof *h.by_key);
		if (!h.by_key)
			rc = err_set(e, ERR_NO_MEMORY, "out of memory copying '%s'", k->table);
	}
	if (rc == ERR_OK && h.n) {
		for (size_t i = 0; i < h.n; i++)
			h.by_key[i] = (struct keyed){&h.rows[i].cells[h.key], i};
		qsort(h.by_key, h.n, sizeof *h.by_key, by_key_cmp);
		for (size_t i = 0; i < h.n && rc == ERR_OK; i++)
			rc = place(k, &h, i, 0, e);
	}
	held_free(&h, sh->ncols);
	return rc;
}

/* ---- one table ---- */

static enum err_code copy_table(struct db *from, struct db_conn *src, struct db *to,
                                struct db_conn *dst, const char *table, int64_t *rows,
                                struct err *e)
{
	struct table_shape *sh = malloc(sizeof *sh), *dsh = malloc(sizeof *dsh);
	struct buf select = BUF_INIT(COPY_SQL_MAX), insert = BUF_INIT(COPY_SQL_MAX);
	enum err_code rc = ERR_OK;
	int64_t before = -1, src_count = -1, dst_count = -1, seen = 0;
	bool cursor = false;
	if (!sh || !dsh) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory copying '%s'", table);
		goto out;
	}
	if ((rc = read_shape(from, src, table, sh, e)) != ERR_OK ||
	    (rc = read_shape(to, dst, table, dsh, e)) != ERR_OK)
		goto out;
	for (int i = 0; i < sh->ncols; i++) {
		bool found = false;
		for (int j = 0; j < dsh->ncols; j++)
			found = found || str_eq(sh->names[i], dsh->names[j]);
		if (!found || sh->ncols != dsh->ncols) {
			rc = err_set(
			        e, ERR_INVALID_ARGUMENT,
			        "table '%s' has other columns in the destination (%d against %d; "
			        "'%s')",
			        table, dsh->ncols, sh->ncols, sh->names[i]);
			goto out;
		}
	}
	if ((rc = count_of(dst, table, &before, e)) != ERR_OK)
		goto out;
	if (before != 0) {
		rc = err_set(
		        e, ERR_INVALID_ARGUMENT,
		        "destination table '%s' has %lld rows; db copy fills an empty database",
		        table, (long long)before);
		goto out;
	}
	bool bad = false;
	bad |= buf_puts(&select, "SELECT ") != 0;
	bad |= buf_printf(&insert, "INSERT INTO %s (", table) != 0;
	for (int i = 0; i < sh->ncols; i++) {
		bad |= buf_printf(&select, "%s%s", i ? ", " : "", sh->names[i]) != 0;
		bad |= buf_printf(&insert, "%s%s", i ? ", " : "", sh->names[i]) != 0;
	}
	bad |= buf_printf(&select, " FROM %s", table) != 0;
	bad |= buf_puts(&insert, ") VALUES (") != 0;
	for (int i = 0; i < sh->ncols; i++)
		bad |= buf_printf(&insert, "%s$%d", i ? ", " : "", i + 1) != 0;
	bad |= buf_puts(&insert, ")") != 0;
	if (bad) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory copying '%s'", table);
		goto out;
	}
	struct copier k = {.dst = dst, .table = table, .shape = sh, .insert_sql = buf_str(&insert)};
	struct db_stmt *st = NULL;
	if (is_pg(src, from) && sh->self_from < 0) {
		/* A cursor: the rows come in batches, never all at once. */
		struct buf decl = BUF_INIT(COPY_SQL_MAX);
		if (buf_printf(&decl, "DECLARE motcua_copy NO SCROLL CURSOR FOR %s",
		               buf_str(&select)))
			rc = err_set(e, ERR_NO_MEMORY, "out of memory copying '%s'", table);
		else
			rc = db_exec(src, buf_str(&decl), DB_NOARGS, NULL, e);
		buf_release(&decl);
		cursor = rc == ERR_OK;
		while (rc == ERR_OK) {
			int64_t got = 0;
			rc = db_query(src, "FETCH FORWARD " COPY_FETCH_ROWS " FROM motcua_copy",
			              DB_NOARGS, &st, e);
			if (rc == ERR_OK)
				rc = stream(&k, st, &got, e);
			db_finish(st);
			seen += got;
			if (got == 0)
				break;
		}
	} else {
		rc = db_query(src, buf_str(&select), DB_NOARGS, &st, e);
		if (rc == ERR_OK)
			rc = sh->self_from >= 0 ? copy_held(&k, st, &seen, e)
			                        : stream(&k, st, &seen, e);
		db_finish(st);
	}
	if (cursor) {
		enum err_code rc2 = db_exec(src, "CLOSE motcua_copy", DB_NOARGS, NULL, e);
		if (rc == ERR_OK)
			rc = rc2;
	}
	if (rc != ERR_OK)
		goto out;
	if ((rc = count_of(src, table, &src_count, e)) != ERR_OK ||
	    (rc = count_of(dst, table, &dst_count, e)) != ERR_OK)
		goto out;
	if (src_count != seen || dst_count != k.rows || k.rows != seen) {
		rc = err_set(
		        e, ERR_INTERNAL,
		        "table '%s': %lld rows in the source, %lld read, %lld in the destination",
		        table, (long long)src_count, (long long)seen, (long long)dst_count);
		goto out;
	}
	*rows = k.rows;
out:
	buf_release(&select);
	buf_release(&insert);
	free(sh);
	free(dsh);
	return rc;
}

/* ---- the whole copy ---- */

/* Prefixes the detail of *e with who (source / destination). */
static enum err_code with_side(enum err_code rc, const char *who, struct err *e)
{
	if (rc == ERR_OK || !e)
		return rc;
	char detail[ERR_DETAIL_MAX];
	str_copy(detail, sizeof detail, e->detail);
	return err_set(e, rc, "%s: %s", who, detail);
}

enum err_code db_copy(struct db *from, struct db *to, int64_t now, struct db_copy_report *out,
                      struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_conn *src, *dst;
	int n;
	const struct migration *list = migrate_embedded(&n);
	enum err_code rc = db_thread_conn(from, &src, e);
	if (rc != ERR_OK)
		return with_side(rc, "source", e);
	rc = db_thread_conn(to, &dst, e);
	if (rc != ERR_OK)
		return with_side(rc, "destination", e);
	if ((rc = migrate_check(src, list, n, e)) != ERR_OK)
		return with_side(rc, "source", e);
	if ((rc = migrate_apply(dst, list, n, now, &out->migrations_applied, e)) != ERR_OK ||
	    (rc = migrate_check(dst, list, n, e)) != ERR_OK)
		return with_side(rc, "destination", e);

	char(*names)[DB_COPY_NAME_MAX] = calloc(DB_COPY_MAX_TABLES, sizeof *names);
	int count = 0;
	if (!names)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	if ((rc = db_copy_tables(list, n, names, DB_COPY_MAX_TABLES, &count, e)) != ERR_OK) {
		free(names);
		return rc;
	}
	if ((rc = db_begin(src, DB_TXN_READ, e)) != ERR_OK) {
		free(names);
		return with_side(rc, "source", e);
	}
	if ((rc = db_begin(dst, DB_TXN_WRITE, e)) != ERR_OK) {
		db_rollback(src);
		free(names);
		return with_side(rc, "destination", e);
	}
	for (int i = 0; i < count && rc == ERR_OK; i++) {
		int64_t rows = 0;
		rc = copy_table(from, src, to, dst, names[i], &rows, e);
		if (rc == ERR_OK) {
			str_copy(out->tables[out->count].name, DB_COPY_NAME_MAX, names[i]);
			out->tables[out->count++].rows = rows;
			out->rows += rows;
		}
	}
	if (rc == ERR_OK)
		rc = with_side(db_commit(dst, e), "destination", e);
	db_rollback(dst);
	db_rollback(src);
	free(names);
	if (rc != ERR_OK) {
		out->count = 0;
		out->rows = 0;
	}
	return rc;
}
