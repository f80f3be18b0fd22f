/*
 * db: what every engine shares (see db.h): choosing the driver from the URL,
 * one connection per thread, argument and UTF-8 checks, the transaction
 * runner with bounded, randomized back-off, the online backup's file
 * handling, and counters. The engines live in db_<engine>.c behind
 * struct db_driver (db_driver.h).
 */
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"
#include "db/db_driver.h"

#define DB_TARGET_MAX 4096

struct db {
	const struct db_driver *drv;
	char target[DB_TARGET_MAX];
	struct db_options opt;
	pthread_key_t key;
	pthread_mutex_t lock;  /* guards conns */
	struct db_conn *conns; /* thread connections still open */
	atomic_uint_fast64_t txns, retries, busy_fail, opened;
};

static const struct db_driver *const drivers[] = {&db_sqlite_driver, &db_pg_driver};

/* ---- options, URL, lifecycle ---- */

static void options_fill(struct db_options *o, const struct db_options *in)
{
	struct db_options d = {0};
	if (in)
		d = *in;
	o->busy_timeout_ms = d.busy_timeout_ms > 0 ? d.busy_timeout_ms : DB_DEFAULT_BUSY_TIMEOUT_MS;
	o->stmt_cache_size = d.stmt_cache_size > 0 ? d.stmt_cache_size : DB_DEFAULT_STMT_CACHE_SIZE;
	o->txn_max_attempts =
	        d.txn_max_attempts > 0 ? d.txn_max_attempts : DB_DEFAULT_TXN_MAX_ATTEMPTS;
	o->backoff_max_ms = d.backoff_max_ms > 0 ? d.backoff_max_ms : DB_DEFAULT_BACKOFF_MAX_MS;
}

static const struct db_driver *find_driver(const char *url, const char **rest)
{
	for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
		for (const char *const *p = drivers[i]->prefixes; *p; p++)
			if (str_has_prefix(url, *p)) {
				*rest = url + strlen(*p);
				return drivers[i];
			}
	return NULL;
}

static void thread_conn_free(void *p)
{
	struct db_conn *c = p;
	struct db *db = c->db;
	pthread_mutex_lock(&db->lock);
	for (struct db_conn **pp = &db->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pthread_mutex_unlock(&db->lock);
	if (c->in_txn)
		c->drv->rollback(c);
	c->drv->disconnect(c);
}

static enum err_code conn_new(struct db *db, struct db_conn **out, struct err *e)
{
	struct db_conn *c = NULL;
	enum err_code rc = db->drv->connect(db->target, &db->opt, &c, e);
	if (rc != ERR_OK)
		return rc;
	c->drv = db->drv;
	c->db = db;
	c->next = NULL;
	c->in_txn = false;
	c->cache_size = db->opt.stmt_cache_size;
	c->busy_timeout_ms = db->opt.busy_timeout_ms;
	atomic_fetch_add(&db->opened, 1);
	*out = c;
	return ERR_OK;
}

enum err_code db_open(const char *url, const struct db_options *opt, struct db **out, struct err *e)
{
	*out = NULL;
	if (str_empty(url))
		return err_set(e, ERR_CONFIG_INVALID, "empty database url");
	const char *rest = NULL;
	const struct db_driver *drv = find_driver(url, &rest);
	if (!drv)
		return err_set(e, ERR_CONFIG_INVALID,
		               "unknown database url; expected sqlite:PATH or postgresql://...");
	struct db *db = calloc(1, sizeof *db);
	if (!db)
		return err_set(e, ERR_NO_MEMORY, "out of memory opening the database");
	db->drv = drv;
	options_fill(&db->opt, opt);
	enum err_code rc = drv->setup(rest, db->target, sizeof db->target, e);
	if (rc != ERR_OK) {
		free(db);
		return rc;
	}
	if (pthread_key_create(&db->key, thread_conn_free) != 0) {
		free(db);
		return err_set(e, ERR_INTERNAL, "no thread-local key for the database");
	}
	pthread_mutex_init(&db->lock, NULL);
	struct db_conn *c;
	rc = db_thread_conn(db, &c, e);
	if (rc != ERR_OK) {
		db_close(db);
		return rc;
	}
	*out = db;
	return ERR_OK;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	pthread_setspecific(db->key, NULL);
	pthread_mutex_lock(&db->lock);
	struct db_conn *c = db->conns;
	db->conns = NULL;
	pthread_mutex_unlock(&db->lock);
	while (c) {
		struct db_conn *next = c->next;
		if (c->in_txn)
			c->drv->rollback(c);
		c->drv->disconnect(c);
		c = next;
	}
	pthread_key_delete(db->key);
	pthread_mutex_destroy(&db->lock);
	free(db);
}

const char *db_driver_name(const struct db *db)
{
	return db->drv->name;
}

enum err_code db_thread_conn(struct db *db, struct db_conn **out, struct err *e)
{
	struct db_conn *c = pthread_getspecific(db->key);
	if (c) {
		*out = c;
		return ERR_OK;
	}
	enum err_code rc = conn_new(db, &c, e);
	if (rc != ERR_OK)
		return rc;
	if (pthread_setspecific(db->key, c) != 0) {
		c->drv->disconnect(c);
		return err_set(e, ERR_NO_MEMORY, "cannot attach the connection to the thread");
	}
	pthread_mutex_lock(&db->lock);
	c->next = db->conns;
	db->conns = c;
	pthread_mutex_unlock(&db->lock);
	*out = c;
	return ERR_OK;
}

void db_thread_conn_close(struct db *db)
{
	struct db_conn *c = pthread_getspecific(db->key);
	if (!c)
		return;
	pthread_setspecific(db->key, NULL);
	thread_conn_free(c);
}

enum err_code db_conn_open(struct db *db, struct db_conn **out, struct err *e)
{
	return conn_new(db, out, e);
}

void db_conn_close(struct db_conn *c)
{
	if (!c)
		return;
	if (c->in_txn)
		c->drv->rollback(c);
	c->drv->disconnect(c);
}

/* ---- transactions ---- */

bool db_in_txn(const struct db_conn *c)
{
	return c->in_txn;
}

bool db_retryable(enum err_code code)
{
	return code == ERR_DB_BUSY;
}

enum err_code db_begin(struct db_conn *c, enum db_txn_mode mode, struct err *e)
{
	if (c->in_txn)
		return err_set(e, ERR_INTERNAL, "a transaction is already open on this connection");
	enum err_code rc = c->drv->begin(c, mode, e);
	if (rc == ERR_OK) {
		c->in_txn = true;
		c->mode = mode;
	}
	return rc;
}

enum err_code db_commit(struct db_conn *c, struct err *e)
{
	if (!c->in_txn)
		return err_set(e, ERR_INTERNAL, "commit without a transaction");
	enum err_code rc = c->drv->commit(c, e);
	if (rc == ERR_OK)
		c->in_txn = false;
	return rc;
}

void db_rollback(struct db_conn *c)
{
	if (!c->in_txn)
		return;
	c->drv->rollback(c);
	c->in_txn = false;
}

/* A small per-thread generator for the back-off jitter (xorshift64). */
static _Thread_local uint64_t jitter_state;

static uint64_t jitter_next(void)
{
	if (!jitter_state) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		jitter_state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
		               (uint64_t)(uintptr_t)&jitter_state;
		if (!jitter_state)
			jitter_state = 0x9e3779b97f4a7c15u;
	}
	uint64_t x = jitter_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	jitter_state = x;
	return x;
}

/* Sleeps before attempt number `attempt` (2, 3, ...): a random time between half and all of
 * min(2^(attempt-1) ms, cap). */
static void backoff(int attempt, int cap_ms)
{
	int64_t top = attempt >= 12 ? cap_ms : (int64_t)1 << (attempt - 1);
	if (top > cap_ms)
		top = cap_ms;
	int64_t us = top * 1000;
	us = us / 2 + (int64_t)(jitter_next() % (uint64_t)(us / 2 + 1));
	struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

enum err_code db_conn_run_txn(struct db_conn *c, enum db_txn_mode mode, db_txn_fn *fn, void *ctx,
                              struct err *e)
{
	struct db *db = c->db;
	if (c->in_txn)
		return err_set(e, ERR_INTERNAL, "nested transaction on one connection");
	int max = db->opt.txn_max_attempts;
	enum err_code rc = ERR_OK;
	for (int attempt = 1; attempt <= max; attempt++) {
		if (attempt > 1) {
			atomic_fetch_add(&db->retries, 1);
			backoff(attempt, db->opt.backoff_max_ms);
		}
		err_clear(e);
		rc = db_begin(c, mode, e);
		if (rc == ERR_OK) {
			rc = fn(c, ctx, e);
			if (rc == ERR_OK)
				rc = db_commit(c, e);
			if (rc != ERR_OK)
				db_rollback(c);
		}
		if (rc == ERR_OK) {
			atomic_fetch_add(&db->txns, 1);
			return ERR_OK;
		}
		if (!db_retryable(rc))
			return rc;
	}
	atomic_fetch_add(&db->busy_fail, 1);
	return rc;
}

enum err_code db_run_txn(struct db *db, enum db_txn_mode mode, db_txn_fn *fn, void *ctx,
                         struct err *e)
{
	struct db_conn *c;
	enum err_code rc = db_thread_conn(db, &c, e);
	if (rc != ERR_OK)
		return rc;
	return db_conn_run_txn(c, mode, fn, ctx, e);
}

/* ---- statements ---- */

/* True when s[0..n) is UTF-8 without NUL, overlong forms, surrogates or values past U+10FFFF. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		uint32_t cp, min;
		if ((c & 0xe0) == 0xc0)
			k = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			k = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			k = 3, cp = c & 0x07, min = 0x10000;
		else
			return false;
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

enum err_code db_query(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                       struct db_stmt **out, struct err *e)
{
	*out = NULL;
	if (n < 0 || (n > 0 && !params))
		return err_set(e, ERR_INTERNAL, "bad parameter list");
	struct db_stmt *st;
	enum err_code rc = c->drv->prepare(c, sql, &st, e);
	if (rc != ERR_OK)
		return rc;
	st->done = false;
	st->has_row = false;
	st->changes = 0;
	if (n != st->nparams) {
		int want = st->nparams; /* finish may free st */
		c->drv->finish(st);
		return err_set(e, ERR_INTERNAL, "statement takes %d parameters, %d given", want, n);
	}
	for (int i = 0; i < n; i++) {
		const struct db_param *p = &params[i];
		if (p->type == DB_T_TEXT && !utf8_ok(p->p, p->len)) {
			c->drv->finish(st);
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "parameter $%d is not valid UTF-8 text", i + 1);
		}
		if ((p->type == DB_T_TEXT || p->type == DB_T_BLOB) && p->len > INT32_MAX) {
			c->drv->finish(st);
			return err_set(e, ERR_TOO_LONG, "parameter $%d is too long", i + 1);
		}
		rc = c->drv->bind(st, i + 1, p, e);
		if (rc != ERR_OK) {
			c->drv->finish(st);
			return rc;
		}
	}
	*out = st;
	return ERR_OK;
}

enum err_code db_step(struct db_stmt *st, bool *row, struct err *e)
{
	*row = false;
	st->has_row = false;
	if (st->done)
		return ERR_OK;
	enum err_code rc = st->conn->drv->step(st, row, e);
	if (rc != ERR_OK || !*row) {
		st->done = true;
		*row = false;
	}
	st->has_row = *row;
	return rc;
}

void db_finish(struct db_stmt *st)
{
	if (st)
		st->conn->drv->finish(st);
}

int64_t db_changes(const struct db_stmt *st)
{
	return st->changes;
}

int db_col_count(const struct db_stmt *st)
{
	return st->conn->drv->col_count(st);
}

static bool col_ok(const struct db_stmt *st, int col)
{
	return st->has_row && col >= 0 && col < st->conn->drv->col_count(st);
}

bool db_col_is_null(struct db_stmt *st, int col)
{
	return !col_ok(st, col) || st->conn->drv->col_is_null(st, col);
}

int64_t db_col_int64(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->conn->drv->col_int64(st, col) : 0;
}

const char *db_col_text(struct db_stmt *st, int col, size_t *len)
{
	if (len)
		*len = 0;
	return col_ok(st, col) ? st->conn->drv->col_text(st, col, len) : NULL;
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *len)
{
	*len = 0;
	return col_ok(st, col) ? st->conn->drv->col_blob(st, col, len) : NULL;
}

enum err_code db_exec(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                      int64_t *changes, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c, sql, params, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row = true;
	while (rc == ERR_OK && row)
		rc = db_step(st, &row, e);
	if (changes)
		*changes = rc == ERR_OK ? st->changes : 0;
	db_finish(st);
	return rc;
}

enum err_code db_exec_script(struct db_conn *c, const char *sql, struct err *e)
{
	return c->drv->exec_script(c, sql, e);
}

/* ---- reading rows ---- */

void db_col_copy(struct db_stmt *st, int col, char *dst, size_t size)
{
	const char *s = db_col_text(st, col, NULL);
	str_copy(dst, size, s ? s : "");
}

int64_t db_col_opt(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? INT64_MIN : db_col_int64(st, col);
}

int db_grow(void **items, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*items, ncap * sz);
	if (!p)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}

void db_free_items(void **items, size_t *count)
{
	free(*items);
	*items = NULL;
	*count = 0;
}

enum err_code db_read_list(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                           size_t item_size, void (*fill)(struct db_stmt *st, void *item),
                           const char *what, size_t max, bool *truncated, void **items,
                           size_t *count, struct err *e)
{
	size_t cap = 0;
	struct db_stmt *st;
	enum err_code rc = db_query(c, sql, params, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) != ERR_OK || !row)
			break;
		if (*count >= max) {
			if (truncated)
				*truncated = true;
			break;
		}
		if (db_grow(items, *count, &cap, item_size)) {
			rc = what ? err_set(e, ERR_NO_MEMORY, "out of memory reading %s", what)
			          : err_set(e, ERR_NO_MEMORY, "out of memory");
			break;
		}
		void *item = (char *)*items + *count * item_size;
		(*count)++;
		memset(item, 0, item_size);
		fill(st, item);
	}
	db_finish(st);
	if (rc != ERR_OK)
		db_free_items(items, count);
	return rc;
}

enum err_code db_query_int64(struct db_conn *c, const char *sql, const struct db_param *params,
                             int n, int64_t *out, struct err *e)
{
	struct db_stmt *st;
	bool row;
	enum err_code rc = db_query(c, sql, params, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && (!row || db_col_is_null(st, 0)))
		rc = err_set(e, ERR_NOT_FOUND, "no value");
	else if (rc == ERR_OK)
		*out = db_col_int64(st, 0);
	db_finish(st);
	return rc;
}

enum err_code db_query_text(struct db_conn *c, const char *sql, const struct db_param *params,
                            int n, char *out, size_t outsz, struct err *e)
{
	struct db_stmt *st;
	bool row;
	if (outsz)
		out[0] = '\0';
	enum err_code rc = db_query(c, sql, params, n, &st, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_step(st, &row, e);
	const char *s = rc == ERR_OK && row ? db_col_text(st, 0, NULL) : NULL;
	if (rc == ERR_OK && !s)
		rc = err_set(e, ERR_NOT_FOUND, "no value");
	else if (rc == ERR_OK && str_copy(out, outsz, s) != 0)
		rc = err_set(e, ERR_TOO_LONG, "value of %zu bytes does not fit", strlen(s));
	db_finish(st);
	return rc;
}

enum err_code db_query_row(struct db_conn *c, const char *sql, const struct db_param *params, int n,
                           const char *what, const char *name, struct db_stmt **st, struct err *e)
{
	enum err_code rc = db_query(c, sql, params, n, st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(*st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no %s '%s'", what, name);
	if (rc != ERR_OK) {
		db_finish(*st);
		*st = NULL;
	}
	return rc;
}

/* ---- introspection, backup, figures ---- */

enum err_code db_table_exists(struct db_conn *c, const char *name, bool *exists, struct err *e)
{
	*exists = false;
	return c->drv->table_exists(c, name, exists, e);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

enum err_code db_backup(struct db *db, const char *path, int64_t *bytes, struct err *e)
{
	struct stat sb;
	if (str_empty(path))
		return err_set(e, ERR_MISSING_ARGUMENT, "no backup file given");
	if (!db->drv->backup)
		return err_set(e, ERR_CONFIG_INVALID,
		               "the %s driver has no online backup; use the engine's own tools",
		               db->drv->name);
	if (stat(path, &sb) == 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "backup file '%s' already exists", path);
	char partial[DB_TARGET_MAX];
	if ((size_t)snprintf(partial, sizeof partial, "%s.partial", path) >= sizeof partial)
		return err_set(e, ERR_TOO_LONG, "backup file name '%s' is too long", path);
	if (unlink(partial) != 0 && errno != ENOENT)
		return err_set(e, ERR_IO, "cannot remove '%s': %s", partial, strerror(errno));
	struct db_conn *c;
	enum err_code rc = db_conn_open(db, &c, e);
	if (rc != ERR_OK)
		return rc;
	rc = db->drv->backup(c, partial, e);
	db_conn_close(c);
	if (rc == ERR_OK && fsync_path(partial, O_RDONLY) != 0)
		rc = err_set(e, ERR_IO, "cannot sync '%s': %s", partial, strerror(errno));
	if (rc == ERR_OK && rename(partial, path) != 0)
		rc = err_set(e, ERR_IO, "cannot rename '%s' to '%s': %s", partial, path,
		             strerror(errno));
	if (rc != ERR_OK) {
		unlink(partial);
		return rc;
	}
	/* Make the rename itself durable. */
	char dir[DB_TARGET_MAX];
	str_copy(dir, sizeof dir, path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		str_copy(dir, sizeof dir, ".");
	fsync_path(dir, O_RDONLY | O_DIRECTORY);
	if (bytes)
		*bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
	return ERR_OK;
}

void db_conn_stats(const struct db_conn *c, struct db_conn_stats *out)
{
	*out = c->stats;
}

void db_stats(struct db *db, struct db_stats *out)
{
	out->txns = atomic_load(&db->txns);
	out->txn_retries = atomic_load(&db->retries);
	out->txn_busy_fail = atomic_load(&db->busy_fail);
	out->conns_opened = atomic_load(&db->opened);
}
