/*
 * db_sqlite: the SQLite driver of the db API (db_driver.h).
 *
 * Every connection is set up for durability and for SQL that PostgreSQL
 * would read the same way:
 *   journal_mode=WAL       readers never block the writer nor the writer them;
 *   synchronous=FULL       the WAL is fsync'ed at every commit, so a commit that
 *                          returned is on disk and survives a crash or a power
 *                          cut (NORMAL would only sync at checkpoints);
 *   foreign_keys=ON        references are enforced as in PostgreSQL;
 *   busy timeout           a connection waits for the write lock instead of
 *                          failing at once (then ERR_DB_BUSY, retried by db_run_txn);
 *   double-quoted strings  refused (SQLITE_DBCONFIG_DQS_*), as in PostgreSQL;
 *   defensive mode         no writes to the schema table, no dangerous PRAGMAs.
 * Writes begin with BEGIN IMMEDIATE (the write lock is taken at the start, so
 * a transaction never fails half-way for want of it); reads with BEGIN.
 *
 * Statements are compiled once per connection and kept in a small cache
 * keyed by the SQL text (least recently used is evicted); the text is
 * rewritten from $N to ?N (sql_rewrite.h) only when it is compiled.
 */
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"
#include "db/db_driver.h"
#include "db/sql_rewrite.h"

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *stmt;
	int slot; /* index in the cache, or -1 for a statement freed by finish */
};

struct sq_slot {
	struct sq_stmt st;
	char *sql; /* the SQL text as given (the cache key); NULL when the slot is free */
	uint64_t hash;
	bool in_use;
	uint64_t used_at;
};

#define SQ_HINTS 512 /* a power of two */

struct sq_conn {
	struct db_conn base;
	sqlite3 *h;
	sqlite3_stmt *begin_read, *begin_write, *commit, *rollback;
	struct sq_slot *slots;
	int nslots;
	uint64_t tick;
	/* slot + 1 last served for the SQL text at an address (0: none), by address bits:
	 * most SQL is a literal at a fixed address, so the cache is found without
	 * hashing the text nor scanning the slots; the text is still compared. */
	int hint[SQ_HINTS];
};

static const char *const sqlite_prefixes[] = {"sqlite:", NULL};

/* Maps an SQLite result code to the project's classes and records the engine's message. */
static enum err_code fail(sqlite3 *h, int rc, struct err *e, const char *what)
{
	enum err_code code;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = ERR_DB_BUSY;
		break;
	case SQLITE_CONSTRAINT:
		code = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
		                       rc == SQLITE_CONSTRAINT_ROWID
		               ? ERR_DB_CONFLICT
		               : ERR_DB_CONSTRAINT;
		break;
	case SQLITE_NOMEM:
		code = ERR_NO_MEMORY;
		break;
	default:
		code = ERR_DB_ERROR;
	}
	return err_set(e, code, "%s: %s", what, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
}

static struct sq_conn *sq(struct db_conn *c)
{
	return (struct sq_conn *)c;
}

static struct sq_stmt *sqs(struct db_stmt *st)
{
	return (struct sq_stmt *)st;
}

static const struct sq_stmt *csqs(const struct db_stmt *st)
{
	return (const struct sq_stmt *)st;
}

/* ---- URL, open, close ---- */

/* Creates every missing directory above the file path (like mkdir -p of its dirname). */
static enum err_code make_parents(const char *path, struct err *e)
{
	char dir[4096];
	if (str_copy(dir, sizeof dir, path) != 0)
		return err_set(e, ERR_TOO_LONG, "database path '%s' is too long", path);
	char *end = strrchr(dir, '/');
	if (!end || end == dir)
		return ERR_OK;
	*end = '\0';
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			return err_set(e, ERR_IO, "cannot create directory '%s': %s", dir,
			               strerror(errno));
		*p = saved;
		if (!saved)
			break;
	}
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, ERR_IO, "'%s' is not a directory", dir);
	return ERR_OK;
}

static enum err_code sq_setup(const char *rest, char *target, size_t targetsz, struct err *e)
{
	if (str_empty(rest))
		return err_set(e, ERR_CONFIG_INVALID, "sqlite url without a path; use sqlite:PATH");
	if (strcmp(rest, ":memory:") == 0 || str_has_prefix(rest, "file:"))
		return err_set(e, ERR_CONFIG_INVALID,
		               "sqlite url '%s' is not a file path (each connection would see "
		               "another database)",
		               rest);
	int n;
	if (rest[0] == '/') {
		n = snprintf(target, targetsz, "%s", rest);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return err_set(e, ERR_IO, "cannot read the working directory: %s",
			               strerror(errno));
		n = snprintf(target, targetsz, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, rest);
	}
	if (n < 0 || (size_t)n >= targetsz)
		return err_set(e, ERR_TOO_LONG, "database path '%s' is too long", rest);
	return make_parents(target, e);
}

static void sq_free(struct sq_conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nslots; i++) {
		sqlite3_finalize(c->slots[i].st.stmt);
		free(c->slots[i].sql);
	}
	free(c->slots);
	sqlite3_finalize(c->begin_read);
	sqlite3_finalize(c->begin_write);
	sqlite3_finalize(c->commit);
	sqlite3_finalize(c->rollback);
	sqlite3_close_v2(c->h);
	free(c);
}

/* Runs a PRAGMA that returns one text value and checks it. */
static enum err_code pragma_check(sqlite3 *h, const char *sql, const char *want, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum err_code code = fail(h, rc, e, sql);
		sqlite3_finalize(st);
		return code;
	}
	const char *got = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	enum err_code code = ERR_OK;
	if (want && !str_eq(got, want))
		code = err_set(e, ERR_DB_ERROR, "%s gave '%s', expected '%s'", sql, got ? got : "",
		               want);
	sqlite3_finalize(st);
	return code;
}

static enum err_code prepare_fixed(sqlite3 *h, const char *sql, sqlite3_stmt **out, struct err *e)
{
	int rc = sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	return rc == SQLITE_OK ? ERR_OK : fail(h, rc, e, sql);
}

static enum err_code sq_connect(const char *target, const struct db_options *opt,
                                struct db_conn **out, struct err *e)
{
	struct sq_conn *c = calloc(1, sizeof *c);
	if (!c)
		return err_set(e, ERR_NO_MEMORY, "out of memory opening '%s'", target);
	c->nslots = opt->stmt_cache_size;
	c->slots = calloc((size_t)c->nslots, sizeof *c->slots);
	if (!c->slots) {
		free(c);
		return err_set(e, ERR_NO_MEMORY, "out of memory opening '%s'", target);
	}
	int rc = sqlite3_open_v2(target, &c->h,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		enum err_code code = err_set(e, rc == SQLITE_NOMEM ? ERR_NO_MEMORY : ERR_DB_ERROR,
		                             "cannot open '%s': %s", target,
		                             c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
		sq_free(c);
		return code;
	}
	sqlite3_extended_result_codes(c->h, 1);
	sqlite3_busy_timeout(c->h, opt->busy_timeout_ms);
	sqlite3_db_config(c->h, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(c->h, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_db_config(c->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	enum err_code code = pragma_check(c->h, "PRAGMA journal_mode=WAL", "wal", e);
	if (code == ERR_OK)
		code = pragma_check(c->h, "PRAGMA synchronous=FULL", NULL, e);
	if (code == ERR_OK)
		code = pragma_check(c->h, "PRAGMA foreign_keys=ON", NULL, e);
	if (code == ERR_OK)
		code = prepare_fixed(c->h, "BEGIN", &c->begin_read, e);
	if (code == ERR_OK)
		code = prepare_fixed(c->h, "BEGIN IMMEDIATE", &c->begin_write, e);
	if (code == ERR_OK)
		code = prepare_fixed(c->h, "COMMIT", &c->commit, e);
	if (code == ERR_OK)
		code = prepare_fixed(c->h, "ROLLBACK", &c->rollback, e);
	if (code != ERR_OK) {
		if (e && !strstr(e->detail, target)) {
			char detail[ERR_DETAIL_MAX];
			str_copy(detail, sizeof detail, e->detail);
			err_set(e, code, "'%s': %s", target, detail);
		}
		sq_free(c);
		return code;
	}
	*out = &c->base;
	return ERR_OK;
}

static void sq_disconnect(struct db_conn *c)
{
	sq_free(sq(c));
}

static enum err_code sq_exec_script(struct db_conn *dc, const char *sql, struct err *e)
{
	struct sq_conn *c = sq(dc);
	int rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? ERR_OK : fail(c->h, rc, e, "script");
}

/* ---- statements and their cache ---- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* Compiles sql (rewritten) into *out, refusing text with more than one statement. */
static enum err_code compile(struct sq_conn *c, const char *sql, bool persistent,
                             sqlite3_stmt **out, int *nparams, struct err *e)
{
	size_t len = strlen(sql);
	char small[1024];
	char *text = len < sizeof small ? small : malloc(len + 1);
	if (!text)
		return err_set(e, ERR_NO_MEMORY, "out of memory compiling sql");
	enum err_code code = sql_rewrite_sqlite(sql, text, len + 1, nparams, e);
	if (code != ERR_OK)
		goto out;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(c->h, text, (int)len + 1,
	                            persistent ? SQLITE_PREPARE_PERSISTENT : 0, out, &tail);
	if (rc != SQLITE_OK) {
		code = fail(c->h, rc, e, "prepare");
		goto out;
	}
	c->base.stats.prepares++;
	if (!*out) {
		code = err_set(e, ERR_INTERNAL, "empty sql statement");
		goto out;
	}
	if (tail && *tail) {
		sqlite3_stmt *more = NULL;
		rc = sqlite3_prepare_v2(c->h, tail, -1, &more, NULL);
		if (more || rc != SQLITE_OK) {
			sqlite3_finalize(more);
			sqlite3_finalize(*out);
			*out = NULL;
			code = err_set(e, ERR_INTERNAL, "more than one statement in one call");
			goto out;
		}
	}
out:
	if (text != small)
		free(text);
	return code;
}

static enum err_code sq_prepare(struct db_conn *dc, const char *sql, struct db_stmt **out,
                                struct err *e)
{
	struct sq_conn *c = sq(dc);
	size_t h = ((uintptr_t)sql >> 3) & (SQ_HINTS - 1);
	if (c->hint[h] > 0 && c->hint[h] <= c->nslots) {
		struct sq_slot *s = &c->slots[c->hint[h] - 1];
		if (s->sql && !s->in_use && strcmp(s->sql, sql) == 0) {
			s->in_use = true;
			s->used_at = ++c->tick;
			c->base.stats.cache_hits++;
			*out = &s->st.base;
			return ERR_OK;
		}
	}
	uint64_t hash = fnv1a(sql);
	int free_slot = -1, lru = -1;
	for (int i = 0; i < c->nslots; i++) {
		struct sq_slot *s = &c->slots[i];
		if (!s->sql) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (s->in_use)
			continue;
		if (s->hash == hash && strcmp(s->sql, sql) == 0) {
			s->in_use = true;
			s->used_at = ++c->tick;
			c->base.stats.cache_hits++;
			c->hint[h] = i + 1;
			*out = &s->st.base;
			return ERR_OK;
		}
		if (lru < 0 || s->used_at < c->slots[lru].used_at)
			lru = i;
	}
	int slot = free_slot >= 0 ? free_slot : lru;
	char *key = slot >= 0 ? strdup(sql) : NULL;
	if (slot >= 0 && !key)
		return err_set(e, ERR_NO_MEMORY, "out of memory caching sql");
	sqlite3_stmt *stmt = NULL;
	int nparams = 0;
	enum err_code code = compile(c, sql, slot >= 0, &stmt, &nparams, e);
	if (code != ERR_OK) {
		free(key);
		return code;
	}
	struct sq_stmt *st;
	if (slot >= 0) {
		struct sq_slot *s = &c->slots[slot];
		sqlite3_finalize(s->st.stmt);
		free(s->sql);
		s->sql = key;
		s->hash = hash;
		s->in_use = true;
		s->used_at = ++c->tick;
		st = &s->st;
		st->slot = slot;
		c->hint[h] = slot + 1;
	} else {
		st = calloc(1, sizeof *st);
		if (!st) {
			sqlite3_finalize(stmt);
			return err_set(e, ERR_NO_MEMORY, "out of memory preparing sql");
		}
		st->slot = -1;
	}
	st->stmt = stmt;
	st->base.conn = dc;
	st->base.nparams = nparams;
	*out = &st->base;
	return ERR_OK;
}

static enum err_code sq_bind(struct db_stmt *dst, int idx, const struct db_param *p, struct err *e)
{
	struct sq_stmt *st = sqs(dst);
	int rc;
	switch (p->type) {
	case DB_T_INT64:
		rc = sqlite3_bind_int64(st->stmt, idx, p->i);
		break;
	case DB_T_TEXT:
		rc = sqlite3_bind_text(st->stmt, idx, p->p, (int)p->len, SQLITE_TRANSIENT);
		break;
	case DB_T_BLOB:
		rc = sqlite3_bind_blob(st->stmt, idx, p->len ? p->p : "", (int)p->len,
		                       SQLITE_TRANSIENT);
		break;
	default:
		rc = sqlite3_bind_null(st->stmt, idx);
	}
	return rc == SQLITE_OK ? ERR_OK : fail(sq(dst->conn)->h, rc, e, "bind");
}

static enum err_code sq_step(struct db_stmt *dst, bool *row, struct err *e)
{
	struct sq_stmt *st = sqs(dst);
	struct db_conn *c = dst->conn;
	if (c->in_txn && c->mode == DB_TXN_READ && !sqlite3_stmt_readonly(st->stmt))
		return err_set(e, ERR_DB_ERROR, "a statement that writes in a read transaction");
	int rc = sqlite3_step(st->stmt);
	if (rc == SQLITE_ROW) {
		*row = true;
		return ERR_OK;
	}
	*row = false;
	if (rc == SQLITE_DONE) {
		dst->changes = sqlite3_stmt_readonly(st->stmt) ? 0 : sqlite3_changes64(sq(c)->h);
		return ERR_OK;
	}
	return fail(sq(c)->h, rc, e, "step");
}

static int sq_col_count(const struct db_stmt *st)
{
	return sqlite3_data_count(csqs(st)->stmt);
}

static bool sq_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(sqs(st)->stmt, col) == SQLITE_NULL;
}

static int64_t sq_col_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(sqs(st)->stmt, col);
}

static const char *sq_col_text(struct db_stmt *st, int col, size_t *len)
{
	const char *s = (const char *)sqlite3_column_text(sqs(st)->stmt, col);
	if (len)
		*len = s ? (size_t)sqlite3_column_bytes(sqs(st)->stmt, col) : 0;
	return s;
}

static const void *sq_col_blob(struct db_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(sqs(st)->stmt, col);
	*len = p ? (size_t)sqlite3_column_bytes(sqs(st)->stmt, col) : 0;
	return p;
}

static void sq_finish(struct db_stmt *dst)
{
	struct sq_stmt *st = sqs(dst);
	if (st->slot < 0) {
		sqlite3_finalize(st->stmt);
		free(st);
		return;
	}
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
	sq(dst->conn)->slots[st->slot].in_use = false;
}

/* ---- transactions ---- */

static enum err_code run_fixed(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? ERR_OK : fail(c->h, rc, e, what);
}

static enum err_code sq_begin(struct db_conn *dc, enum db_txn_mode mode, struct err *e)
{
	struct sq_conn *c = sq(dc);
	return mode == DB_TXN_READ ? run_fixed(c, c->begin_read, "begin", e)
	                           : run_fixed(c, c->begin_write, "begin immediate", e);
}

static enum err_code sq_commit(struct db_conn *dc, struct err *e)
{
	struct sq_conn *c = sq(dc);
	return run_fixed(c, c->commit, "commit", e);
}

static void sq_rollback(struct db_conn *dc)
{
	struct sq_conn *c = sq(dc);
	/* SQLite may have rolled back by itself already (e.g. after SQLITE_FULL). */
	if (!sqlite3_get_autocommit(c->h))
		run_fixed(c, c->rollback, "rollback", NULL);
}

/* ---- introspection and backup ---- */

static enum err_code sq_table_exists(struct db_conn *c, const char *name, bool *exists,
                                     struct err *e)
{
	int64_t n = 0;
	enum err_code code = db_query_int64(
	        c, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $1",
	        DB_ARGS(db_text(name)), &n, e);
	*exists = code == ERR_OK && n > 0;
	return code;
}

static enum err_code sq_backup(struct db_conn *dc, const char *path, struct err *e)
{
	struct sq_conn *c = sq(dc);
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		enum err_code code = err_set(e, ERR_IO, "cannot create '%s': %s", path,
		                             dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close_v2(dst);
		return code;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->h, "main");
	if (!b) {
		enum err_code code = fail(dst, sqlite3_errcode(dst), e, "backup");
		sqlite3_close_v2(dst);
		return code;
	}
	/*
	 * One step copying every page: the source is read inside a single read
	 * transaction, i.e. one consistent snapshot, while writers go on in the WAL.
	 * (Copying in several steps would restart whenever another connection writes.)
	 */
	for (int tries = 0;; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= 100)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	sqlite3_backup_finish(b);
	enum err_code code = ERR_OK;
	if (rc != SQLITE_DONE)
		code = fail(c->h, rc, e, "backup");
	/* A self-contained copy: rollback-journal mode, no -wal file needed to read it. */
	if (code == ERR_OK)
		code = pragma_check(dst, "PRAGMA journal_mode=DELETE", "delete", e);
	rc = sqlite3_close_v2(dst);
	if (code == ERR_OK && rc != SQLITE_OK)
		code = err_set(e, ERR_IO, "cannot close '%s'", path);
	return code;
}

const struct db_driver db_sqlite_driver = {
        .name = "sqlite",
        .prefixes = sqlite_prefixes,
        .setup = sq_setup,
        .connect = sq_connect,
        .disconnect = sq_disconnect,
        .exec_script = sq_exec_script,
        .prepare = sq_prepare,
        .bind = sq_bind,
        .step = sq_step,
        .col_count = sq_col_count,
        .col_is_null = sq_col_is_null,
        .col_int64 = sq_col_int64,
        .col_text = sq_col_text,
        .col_blob = sq_col_blob,
        .finish = sq_finish,
        .begin = sq_begin,
        .commit = sq_commit,
        .rollback = sq_rollback,
        .table_exists = sq_table_exists,
        .backup = sq_backup,
};
