/*
 * migrate: applies numbered migrations and compares the database with the
 * program (see migrate.h). The checksum is the SHA-256 (libsodium) of the
 * whole file, dialect sections included, so that one file has one checksum on
 * every engine.
 */
#include "db/migrate.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "db/db_driver.h"
#include "embedded_migrations.h"

/* ---- checksum and dialect sections ---- */

void migrate_checksum(const char *text, char out[MIGRATE_CHECKSUM_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	if (sodium_init() < 0)
		abort(); /* cannot happen: libsodium only fails without a usable CPU/RNG */
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, MIGRATE_CHECKSUM_LEN, h, sizeof h);
}

enum err_code migrate_select_dialect(const char *sql, const char *dialect, struct buf *out,
                                     struct err *e)
{
	static const char marker[] = "-- dialect:";
	bool keep = true;
	const char *p = sql;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p + 1) : strlen(p);
		if (strncmp(p, marker, sizeof marker - 1) == 0) {
			const char *name = p + sizeof marker - 1;
			while (*name == ' ')
				name++;
			size_t n = strcspn(name, " \r\n");
			if (n == 3 && strncmp(name, "all", 3) == 0)
				keep = true;
			else if (n == 6 && strncmp(name, "sqlite", 6) == 0)
				keep = str_eq(dialect, "sqlite");
			else if (n == 10 && strncmp(name, "postgresql", 10) == 0)
				keep = str_eq(dialect, "postgresql");
			else
				return err_set(e, ERR_INTERNAL, "unknown dialect section '%.*s'",
				               (int)n, name);
		} else if (keep && buf_append(out, p, len)) {
			return err_set(e, ERR_NO_MEMORY, "migration text too large");
		}
		p += len;
	}
	if (!out->data && buf_puts(out, ""))
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	return ERR_OK;
}

/* ---- the built-in list ---- */

#define MIGRATE_MAX_EMBEDDED 100 /* meson.build embeds 0001.sql .. 0099.sql */

static struct migration embedded[MIGRATE_MAX_EMBEDDED];
static int embedded_count;
static pthread_once_t embedded_once = PTHREAD_ONCE_INIT;

static void embedded_load(void)
{
	for (int i = 0; i < embedded_migrations_count && i < MIGRATE_MAX_EMBEDDED; i++) {
		embedded[i].version = embedded_migrations[i].version;
		embedded[i].name = embedded_migrations[i].name;
		embedded[i].sql = embedded_migrations[i].sql;
		embedded_count = i + 1;
	}
}

const struct migration *migrate_embedded(int *count)
{
	pthread_once(&embedded_once, embedded_load);
	*count = embedded_count;
	return embedded;
}

const char *migration_state_name(enum migration_state s)
{
	switch (s) {
	case MIGRATION_APPLIED:
		return "applied";
	case MIGRATION_CHANGED:
		return "changed";
	case MIGRATION_UNKNOWN:
		return "unknown";
	default:
		return "pending";
	}
}

/* ---- status ---- */

static const char sql_create[] = "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                                 "  version INTEGER PRIMARY KEY,\n"
                                 "  name TEXT NOT NULL,\n"
                                 "  checksum TEXT NOT NULL,\n"
                                 "  applied_at BIGINT NOT NULL\n"
                                 ")";
static const char sql_rows[] =
        "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version";
static const char sql_row[] = "SELECT checksum FROM schema_migrations WHERE version = $1";
static const char sql_insert[] = "INSERT INTO schema_migrations (version, name, checksum, "
                                 "applied_at) VALUES ($1, $2, $3, $4)";

static enum err_code check_list(const struct migration *list, int n, struct err *e)
{
	if (n < 0 || (n > 0 && !list))
		return err_set(e, ERR_INTERNAL, "bad migration list");
	for (int i = 0; i < n; i++)
		if (list[i].version != i + 1 || !list[i].name || !list[i].sql)
			return err_set(e, ERR_INTERNAL,
			               "migration list must be numbered 1..%d in order (entry %d)",
			               n, i + 1);
	return ERR_OK;
}

struct status_ctx {
	const struct migration *list;
	int n;
	struct migrate_status *st;
};

static struct migration_info *add_item(struct migrate_status *st, int cap)
{
	if (st->count >= cap)
		return NULL;
	struct migration_info *m = &st->items[st->count++];
	memset(m, 0, sizeof *m);
	return m;
}

static enum err_code status_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct status_ctx *ctx = vctx;
	struct migrate_status *st = ctx->st;
	bool exists = false;
	st->count = 0;
	enum err_code rc = db_table_exists(c, "schema_migrations", &exists, e);
	if (rc != ERR_OK)
		return rc;
	int64_t rows = 0;
	if (exists)
		rc = db_query_int64(c, "SELECT count(*) FROM schema_migrations", DB_NOARGS, &rows,
		                    e);
	if (rc != ERR_OK)
		return rc;
	int cap = ctx->n + (int)rows;
	free(st->items);
	st->items = calloc((size_t)cap + 1, sizeof *st->items);
	if (!st->items)
		return err_set(e, ERR_NO_MEMORY, "out of memory reading migrations");
	int next = 0; /* index in the list of the next migration not yet listed */
	if (exists) {
		struct db_stmt *q;
		bool row;
		rc = db_query(c, sql_rows, DB_NOARGS, &q, e);
		while (rc == ERR_OK && (rc = db_step(q, &row, e)) == ERR_OK && row) {
			int64_t v = db_col_int64(q, 0);
			while (next < ctx->n && ctx->list[next].version < v) {
				struct migration_info *m = add_item(st, cap);
				if (!m)
					break;
				m->version = ctx->list[next].version;
				str_copy(m->name, sizeof m->name, ctx->list[next].name);
				m->state = MIGRATION_PENDING;
				next++;
			}
			struct migration_info *m = add_item(st, cap);
			if (!m)
				break; /* rows were added since the count: ignore the newest */
			m->version = v < 0 || v > INT32_MAX ? -1 : (int)v;
			const char *name = db_col_text(q, 1, NULL);
			str_copy(m->name, sizeof m->name, name ? name : "");
			m->applied_at = db_col_int64(q, 3);
			if (next < ctx->n && ctx->list[next].version == v) {
				char sum[MIGRATE_CHECKSUM_LEN];
				migrate_checksum(ctx->list[next].sql, sum);
				m->state = str_eq(sum, db_col_text(q, 2, NULL)) ? MIGRATION_APPLIED
				                                                : MIGRATION_CHANGED;
				next++;
			} else {
				m->state = MIGRATION_UNKNOWN;
			}
		}
		db_finish(q);
		if (rc != ERR_OK)
			return rc;
	}
	for (; next < ctx->n; next++) {
		struct migration_info *m = add_item(st, cap);
		if (!m)
			break;
		m->version = ctx->list[next].version;
		str_copy(m->name, sizeof m->name, ctx->list[next].name);
		m->state = MIGRATION_PENDING;
	}
	return ERR_OK;
}

/* Fills the summary fields and the verdict from the items. */
static void judge(struct migrate_status *st, int n)
{
	bool ahead = false, changed = false, gap = false;
	st->code_version = n;
	st->db_version = 0;
	st->pending = 0;
	for (int i = 0; i < st->count; i++) {
		const struct migration_info *m = &st->items[i];
		if (m->state == MIGRATION_PENDING)
			st->pending++;
		else if (m->version > st->db_version)
			st->db_version = m->version;
		if (m->state == MIGRATION_UNKNOWN)
			ahead = ahead || m->version > n;
		if (m->state == MIGRATION_UNKNOWN && m->version <= n)
			changed = true; /* cannot happen with a list 1..n; kept for safety */
		if (m->state == MIGRATION_CHANGED)
			changed = true;
	}
	for (int i = 0; i < st->count; i++)
		if (st->items[i].state == MIGRATION_PENDING &&
		    st->items[i].version < st->db_version)
			gap = true;
	st->verdict = ahead            ? ERR_SCHEMA_AHEAD
	              : changed || gap ? ERR_MIGRATION_MISMATCH
	              : st->pending    ? ERR_SCHEMA_BEHIND
	                               : ERR_OK;
}

enum err_code migrate_status(struct db_conn *c, const struct migration *list, int n,
                             struct migrate_status *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum err_code rc = check_list(list, n, e);
	if (rc != ERR_OK)
		return rc;
	struct status_ctx ctx = {list, n, out};
	rc = db_conn_run_txn(c, DB_TXN_READ, status_fn, &ctx, e);
	if (rc != ERR_OK) {
		migrate_status_release(out);
		return rc;
	}
	judge(out, n);
	return ERR_OK;
}

void migrate_status_release(struct migrate_status *s)
{
	free(s->items);
	s->items = NULL;
	s->count = 0;
}

/* Turns a verdict into an error with a sentence for operators. */
static enum err_code verdict_error(const struct migrate_status *st, struct err *e)
{
	switch (st->verdict) {
	case ERR_OK:
		return ERR_OK;
	case ERR_SCHEMA_BEHIND:
		return err_set(e, ERR_SCHEMA_BEHIND,
		               "database schema at version %d, this program needs %d; run 'motcua "
		               "db migrate'",
		               st->db_version, st->code_version);
	case ERR_SCHEMA_AHEAD:
		return err_set(e, ERR_SCHEMA_AHEAD,
		               "database schema at version %d, newer than this program's %d",
		               st->db_version, st->code_version);
	default:
		for (int i = 0; i < st->count; i++) {
			const struct migration_info *m = &st->items[i];
			if (m->state == MIGRATION_CHANGED)
				return err_set(e, ERR_MIGRATION_MISMATCH,
				               "migration '%s' (version %d) was changed after it "
				               "was applied",
				               m->name, m->version);
			if (m->state == MIGRATION_PENDING && m->version < st->db_version)
				return err_set(e, ERR_MIGRATION_MISMATCH,
				               "migration '%s' (version %d) is missing below the "
				               "applied version %d",
				               m->name, m->version, st->db_version);
		}
		return err_set(e, ERR_MIGRATION_MISMATCH, "migrations differ");
	}
}

enum err_code migrate_check(struct db_conn *c, const struct migration *list, int n, struct err *e)
{
	struct migrate_status st;
	enum err_code rc = migrate_status(c, list, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = verdict_error(&st, e);
	migrate_status_release(&st);
	return rc;
}

/* ---- apply ---- */

/*
 * Makes concurrent migrators take turns. SQLite's BEGIN IMMEDIATE already lets one
 * writer in at a time; PostgreSQL runs write transactions side by side, so a
 * transaction-scoped advisory lock (released at commit or rollback) queues them,
 * and the statements after it (READ COMMITTED) see what the previous one committed.
 */
static enum err_code take_turn(struct db_conn *c, struct err *e)
{
	if (!str_eq(c->drv->name, "postgresql"))
		return ERR_OK;
	return db_exec(c, "SELECT pg_advisory_xact_lock(7236828229232075117)", DB_NOARGS, NULL, e);
}

static enum err_code create_fn(struct db_conn *c, void *ctx, struct err *e)
{
	(void)ctx;
	enum err_code rc = take_turn(c, e);
	return rc != ERR_OK ? rc : db_exec(c, sql_create, DB_NOARGS, NULL, e);
}

struct apply_ctx {
	const struct migration *m;
	int64_t now;
	bool applied;
};

static enum err_code apply_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct apply_ctx *ctx = vctx;
	char sum[MIGRATE_CHECKSUM_LEN], have[MIGRATE_CHECKSUM_LEN];
	migrate_checksum(ctx->m->sql, sum);
	ctx->applied = false;
	enum err_code rc = take_turn(c, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_query_text(c, sql_row, DB_ARGS(db_int(ctx->m->version)), have, sizeof have, e);
	if (rc == ERR_OK) /* applied meanwhile by another process */
		return str_eq(have, sum) ? ERR_OK
		                         : err_set(e, ERR_MIGRATION_MISMATCH,
		                                   "migration '%s' was applied with another text",
		                                   ctx->m->name);
	if (rc != ERR_NOT_FOUND)
		return rc;
	err_clear(e);
	struct buf sql = BUF_INIT(MIGRATE_MAX_TEXT);
	rc = migrate_select_dialect(ctx->m->sql, c->drv->name, &sql, e);
	if (rc == ERR_OK)
		rc = db_exec_script(c, buf_str(&sql), e);
	buf_release(&sql);
	if (rc != ERR_OK) {
		char detail[ERR_DETAIL_MAX];
		str_copy(detail, sizeof detail, e ? e->detail : "");
		return err_set(e, rc, "migration '%s' failed: %s", ctx->m->name, detail);
	}
	rc = db_exec(c, sql_insert,
	             DB_ARGS(db_int(ctx->m->version), db_text(ctx->m->name), db_text(sum),
	                     db_int(ctx->now)),
	             NULL, e);
	ctx->applied = rc == ERR_OK;
	return rc;
}

enum err_code migrate_apply(struct db_conn *c, const struct migration *list, int n, int64_t now,
                            int *applied, struct err *e)
{
	if (applied)
		*applied = 0;
	bool exists = false;
	enum err_code rc = check_list(list, n, e);
	if (rc == ERR_OK)
		rc = db_table_exists(c, "schema_migrations", &exists, e);
	/* Only a missing table takes the write lock here; with it present, concurrent
	 * migrators all read the status first and then queue for each migration. */
	if (rc == ERR_OK && !exists)
		rc = db_conn_run_txn(c, DB_TXN_WRITE, create_fn, NULL, e);
	if (rc != ERR_OK)
		return rc;
	struct migrate_status st;
	rc = migrate_status(c, list, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	if (st.verdict == ERR_SCHEMA_AHEAD || st.verdict == ERR_MIGRATION_MISMATCH) {
		rc = verdict_error(&st, e);
		migrate_status_release(&st);
		return rc;
	}
	for (int i = 0; i < st.count && rc == ERR_OK; i++) {
		if (st.items[i].state != MIGRATION_PENDING)
			continue;
		struct apply_ctx ctx = {&list[st.items[i].version - 1], now, false};
		rc = db_conn_run_txn(c, DB_TXN_WRITE, apply_fn, &ctx, e);
		if (rc == ERR_OK && ctx.applied && applied)
			(*applied)++;
	}
	migrate_status_release(&st);
	return rc;
}

enum err_code db_schema_check(struct db *db, struct err *e)
{
	struct db_conn *c;
	enum err_code rc = db_thread_conn(db, &c, e);
	if (rc != ERR_OK)
		return rc;
	int n;
	const struct migration *list = migrate_embedded(&n);
	return migrate_check(c, list, n, e);
}
