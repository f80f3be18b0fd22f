/*
 * db_pg: the PostgreSQL driver of the db API (db_driver.h), through libpq.
 *
 * The SQL text is the project's portable text ($N placeholders, the common
 * subset of SQLite 3.40 and PostgreSQL 15) and goes to the server unchanged;
 * it is only checked with the same scanner the SQLite driver uses, so that
 * text which SQLite would refuse (::, ?N, ...) is refused here too.
 *
 * Statements are prepared once per connection under a name of their own
 * ("motcua_N") and kept in a cache keyed by the SQL text; the least recently
 * used one is deallocated when the cache is full. At preparation the server
 * infers the type of every parameter (PQdescribePrepared), and values are
 * sent in the form that type reads: an integer as a binary int8, int4 or int2
 * (a value that does not fit an int4 or int2 parameter is refused here,
 * never truncated) and as text for any other type; text as text, or as raw
 * bytes for a bytea parameter; a blob as raw bytes (binary format). Results
 * come back as text: integers are parsed, bytea is decoded from its hex form,
 * and booleans read as 1 / 0, as SQLite gives them.
 *
 * A statement runs (PQexecPrepared) at its first db_step(), and its whole
 * result is held by the client, so that other statements may run on the
 * connection while its rows are read, as on SQLite.
 *
 * Transactions: DB_TXN_READ is REPEATABLE READ READ ONLY (one snapshot),
 * DB_TXN_WRITE is READ COMMITTED, DB_TXN_SERIALIZABLE is SERIALIZABLE. The
 * SQLSTATEs 40001 (serialization failure), 40P01 (deadlock) and 55P03 (lock
 * not available) become ERR_DB_BUSY, which db_run_txn() retries; 23505
 * (unique violation) ERR_DB_CONFLICT (but ERR_DB_BUSY when it is in the system
 * catalogs: two transactions created the same object at once), the other
 * integrity violations (23xxx)
 * ERR_DB_CONSTRAINT, anything else ERR_DB_ERROR. On PostgreSQL a failed
 * statement aborts its transaction: COMMIT after it is refused here (the
 * server would silently roll back).
 *
 * Connection loss (the server restarted, the backend was terminated): a
 * connection found broken is reset (PQreset) before its next transaction,
 * and its prepared statements are prepared again on first use. A BEGIN that
 * fails because the connection had died meanwhile reconnects and begins once
 * more; a statement that fails inside a transaction because the connection
 * died reports ERR_DB_BUSY, since the server rolled the transaction back and
 * running it again is safe; a COMMIT whose answer was lost reports
 * ERR_DB_ERROR, since it may have been applied. When the server cannot be
 * reached the error is ERR_DB_ERROR with libpq's message (which names the
 * host and port, never the password).
 */
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "db/db_driver.h"
#include "db/sql_rewrite.h"

/* Type OIDs of the built-in types (src/include/catalog/pg_type.dat of PostgreSQL). */
#define PG_OID_BOOL        16
#define PG_OID_BYTEA       17
#define PG_OID_INT8        20
#define PG_OID_INT2        21
#define PG_OID_INT4        23
#define PG_OID_FLOAT4      700
#define PG_OID_FLOAT8      701
#define PG_OID_NUMERIC     1700

#define PG_CONNECT_TIMEOUT "10" /* seconds, unless the URL says otherwise */
#define PG_MSG_MAX         200  /* bytes of a server message kept in an error detail */

/* A statement prepared on the server, shared by every db_stmt running its SQL. */
struct pg_prep {
	char *sql; /* the cache key */
	uint64_t hash;
	char name[32];
	int nparams;
	Oid *types; /* nparams types inferred by the server */
	int users;  /* db_stmts using it now */
	uint64_t used_at;
	uint64_t gen; /* the connection generation it was prepared in */
	bool cached;  /* false: a temporary one, deallocated with its last user */
};

struct pg_conn {
	struct db_conn base;
	PGconn *h;
	struct pg_prep **cache; /* ncache slots, NULL when free */
	int ncache;
	uint64_t tick;
	uint64_t next_name;
	uint64_t gen; /* +1 at every reconnection: older prepared statements are gone */
};

struct pg_stmt {
	struct db_stmt base;
	struct pg_prep *prep;
	/* Bound values: parameter i is len[i] bytes at buf + off[i] (NUL-terminated when its
	 * format is text), or SQL NULL when isnull[i]. */
	char *buf;
	size_t buflen, bufcap;
	size_t *off;
	int *len;
	int *fmt;
	bool *isnull;
	const char **values;
	PGresult *res;
	int row; /* current row, -1 before the first */
	int nrows, ncols;
	char **decoded; /* per column of the current row: bytea decoded, or NULL */
	size_t *decoded_len;
};

static const char *const pg_prefixes[] = {"postgresql://", "postgres://", NULL};

static struct pg_conn *pgc(struct db_conn *c)
{
	return (struct pg_conn *)c;
}

static struct pg_stmt *pgs(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

static const struct pg_stmt *cpgs(const struct db_stmt *st)
{
	return (const struct pg_stmt *)st;
}

/* ---- messages and errors ---- */

/* Copies msg into out on one line (newlines and tabs become spaces, trailing space cut). */
static void one_line(const char *msg, char *out, size_t outsz)
{
	size_t n = 0;
	for (const char *p = msg ? msg : ""; *p && n + 1 < outsz; p++) {
		char ch = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
		if (ch == ' ' && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = ch;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* True when the connection is known to be broken. */
static bool lost(const struct pg_conn *c)
{
	return !c->h || PQstatus(c->h) != CONNECTION_OK;
}

/* The class of a SQLSTATE (Appendix A of the PostgreSQL manual). */
static enum err_code code_of_state(const char *state)
{
	if (!state || strlen(state) != 5)
		return ERR_DB_ERROR;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return ERR_DB_BUSY;
	if (strcmp(state, "23505") == 0)
		return ERR_DB_CONFLICT;
	if (strncmp(state, "23", 2) == 0)
		return ERR_DB_CONSTRAINT;
	if (strcmp(state, "53200") == 0)
		return ERR_NO_MEMORY;
	return ERR_DB_ERROR;
}

/*
 * Turns a failed result (res may be NULL) into an error: the class from the
 * SQLSTATE, the server's message and its detail. A connection that broke
 * meanwhile gives lost_code (ERR_DB_BUSY inside a transaction, where running
 * it again is safe; ERR_DB_ERROR otherwise).
 */
static enum err_code fail(struct pg_conn *c, const PGresult *res, enum err_code lost_code,
                          struct err *e, const char *what)
{
	char msg[PG_MSG_MAX], detail[PG_MSG_MAX];
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!primary)
		primary = res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
		                                            : PQerrorMessage(c->h);
	one_line(primary, msg, sizeof msg);
	one_line(res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL, detail,
	         sizeof detail);
	if (lost(c))
		return err_set(e, lost_code, "%s: connection to the database lost: %s", what,
		               msg[0] ? msg : "no answer");
	enum err_code code = code_of_state(state);
	/* A unique violation in the system catalogs comes from two transactions creating the
	 * same object at once (CREATE TABLE IF NOT EXISTS, two migrators): the loser runs
	 * again and finds the object there. */
	const char *schema = res ? PQresultErrorField(res, PG_DIAG_SCHEMA_NAME) : NULL;
	if (code == ERR_DB_CONFLICT && schema && strcmp(schema, "pg_catalog") == 0)
		code = ERR_DB_BUSY;
	if (detail[0])
		return err_set(e, code, "%s: %s (%s)", what, msg, detail);
	return err_set(e, code, "%s: %s", what, msg[0] ? msg : "failed");
}

/* ERR_DB_BUSY inside a transaction (a lost connection there is safe to run again). */
static enum err_code lost_code_of(const struct pg_conn *c)
{
	return c->base.in_txn ? ERR_DB_BUSY : ERR_DB_ERROR;
}

/* Runs a command without parameters and checks that it succeeded. */
static enum err_code run_command(struct pg_conn *c, const char *sql, enum err_code lost_code,
                                 struct err *e, const char *what)
{
	PGresult *res = PQexec(c->h, sql);
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	enum err_code code = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK
	                             ? ERR_OK
	                             : fail(c, res, lost_code, e, what);
	PQclear(res);
	return code;
}

/* ---- URL, connect, reconnect ---- */

/*
 * Removes the password of url (userinfo "user:PASSWORD@" or "password=" in the
 * query) from msg, in place, so that a libpq message quoting part of a bad URL
 * never shows it.
 */
static void redact(const char *url, char *msg)
{
	const char *secret[2] = {NULL, NULL};
	size_t slen[2] = {0, 0};
	const char *s = strstr(url, "://");
	if (s) {
		s += 3;
		const char *end = s + strcspn(s, "/?");
		const char *at = memchr(s, '@', (size_t)(end - s));
		const char *colon = at ? memchr(s, ':', (size_t)(at - s)) : NULL;
		if (colon) {
			secret[0] = colon + 1;
			slen[0] = (size_t)(at - colon - 1);
		}
	}
	const char *q = strstr(url, "password=");
	if (q) {
		secret[1] = q + 9;
		slen[1] = strcspn(secret[1], "&");
	}
	for (int i = 0; i < 2; i++) {
		if (!secret[i] || slen[i] == 0)
			continue;
		for (char *t = msg; *t; t++)
			if (strncmp(t, secret[i], slen[i]) == 0) {
				memset(t, '*', slen[i]);
				t += slen[i] - 1;
			}
	}
}

static enum err_code pg_setup(const char *rest, char *target, size_t targetsz, struct err *e)
{
	/* libpq reads both prefixes; keep one spelling. */
	int n = snprintf(target, targetsz, "postgresql://%s", rest);
	if (n < 0 || (size_t)n >= targetsz)
		return err_set(e, ERR_TOO_LONG, "database url is too long");
	char *errmsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(target, &errmsg);
	if (!opts) {
		char msg[PG_MSG_MAX];
		one_line(errmsg ? errmsg : "out of memory", msg, sizeof msg);
		redact(target, msg);
		PQfreemem(errmsg);
		return err_set(e, ERR_CONFIG_INVALID, "invalid postgresql url: %s", msg);
	}
	PQconninfoFree(opts);
	return ERR_OK;
}

/* Notices (e.g. "relation already exists, skipping") are not for the terminal. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Where the connection goes, for messages: "host:port/db" (no user, no password). */
static void where(PGconn *h, char *out, size_t outsz)
{
	const char *host = h ? PQhost(h) : NULL;
	const char *port = h ? PQport(h) : NULL;
	const char *dbn = h ? PQdb(h) : NULL;
	snprintf(out, outsz, "%s:%s/%s", host && *host ? host : "(default)",
	         port && *port ? port : "5432", dbn ? dbn : "");
}

/* Checks a new or reset connection: status, UTF-8, notices. */
static enum err_code check_new(struct pg_conn *c, const char *target, struct err *e)
{
	char at[160], msg[PG_MSG_MAX];
	where(c->h, at, sizeof at);
	if (!c->h)
		return err_set(e, ERR_NO_MEMORY, "out of memory connecting to the database");
	if (PQstatus(c->h) != CONNECTION_OK) {
		one_line(PQerrorMessage(c->h), msg, sizeof msg);
		redact(target, msg);
		return err_set(e, ERR_DB_ERROR, "cannot connect to the database at '%s': %s", at,
		               msg);
	}
	PQsetNoticeProcessor(c->h, quiet, NULL);
	const char *enc = PQparameterStatus(c->h, "server_encoding");
	if (!enc || strcmp(enc, "UTF8") != 0)
		return err_set(e, ERR_DB_ERROR,
		               "database at '%s' has encoding '%s'; motcua needs UTF8 (CREATE "
		               "DATABASE ... ENCODING 'UTF8')",
		               at, enc ? enc : "unknown");
	enc = PQparameterStatus(c->h, "client_encoding");
	if (!enc || strcmp(enc, "UTF8") != 0)
		return err_set(e, ERR_DB_ERROR, "the connection to '%s' does not speak UTF8", at);
	return ERR_OK;
}

static void prep_free(struct pg_prep *p)
{
	if (!p)
		return;
	free(p->sql);
	free(p->types);
	free(p);
}

static void pg_free(struct pg_conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->ncache; i++)
		prep_free(c->cache[i]);
	free(c->cache);
	PQfinish(c->h);
	free(c);
}

static enum err_code pg_connect(const char *target, const struct db_options *opt,
                                struct db_conn **out, struct err *e)
{
	struct pg_conn *c = calloc(1, sizeof *c);
	if (!c)
		return err_set(e, ERR_NO_MEMORY, "out of memory connecting to the database");
	c->ncache = opt->stmt_cache_size;
	c->cache = calloc((size_t)c->ncache, sizeof *c->cache);
	if (!c->cache) {
		free(c);
		return err_set(e, ERR_NO_MEMORY, "out of memory connecting to the database");
	}
	c->gen = 1;
	/* Keywords are read in order and the last one wins: the URL may change the
	 * timeout and the application name, never the encoding. */
	const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname",
	                            "client_encoding", NULL};
	const char *const vals[] = {PG_CONNECT_TIMEOUT, "motcua", target, "UTF8", NULL};
	c->h = PQconnectdbParams(keys, vals, 1);
	enum err_code code = check_new(c, target, e);
	if (code != ERR_OK) {
		pg_free(c);
		return code;
	}
	*out = &c->base;
	return ERR_OK;
}

static void pg_disconnect(struct db_conn *c)
{
	pg_free(pgc(c));
}

/* Reconnects a broken connection (outside a transaction). Its prepared statements are gone. */
static enum err_code reconnect(struct pg_conn *c, struct err *e)
{
	PQreset(c->h);
	c->gen++;
	return check_new(c, "", e);
}

/* Makes sure the connection is usable before a statement or a transaction. */
static enum err_code ensure_conn(struct pg_conn *c, struct err *e)
{
	if (!lost(c))
		return ERR_OK;
	if (c->base.in_txn)
		return err_set(e, ERR_DB_BUSY,
		               "connection to the database lost during the "
		               "transaction");
	return reconnect(c, e);
}

static enum err_code pg_exec_script(struct db_conn *dc, const char *sql, struct err *e)
{
	struct pg_conn *c = pgc(dc);
	enum err_code code = ensure_conn(c, e);
	if (code != ERR_OK)
		return code;
	return run_command(c, sql, lost_code_of(c), e, "script");
}

/* ---- prepared statements and their cache ---- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* Deallocates p on the server (best effort: in an aborted transaction it stays until the
 * connection closes, under a name that is never used again). */
static void deallocate(struct pg_conn *c, const struct pg_prep *p)
{
	if (p->gen != c->gen || lost(c))
		return;
	char sql[64];
	snprintf(sql, sizeof sql, "DEALLOCATE %s", p->name);
	PGresult *res = PQexec(c->h, sql);
	PQclear(res);
}

/* Prepares p->sql on the server under p->name; with describe, learns the parameter types. */
static enum err_code prepare_on_server(struct pg_conn *c, struct pg_prep *p, bool describe,
                                       struct err *e)
{
	PGresult *res = PQprepare(c->h, p->name, p->sql, 0, NULL);
	enum err_code code = ERR_OK;
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
		code = fail(c, res, lost_code_of(c), e, "prepare");
	PQclear(res);
	if (code != ERR_OK)
		return code;
	c->base.stats.prepares++;
	p->gen = c->gen;
	if (!describe)
		return ERR_OK;
	res = PQdescribePrepared(c->h, p->name);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		code = fail(c, res, lost_code_of(c), e, "describe");
		PQclear(res);
		return code;
	}
	int n = PQnparams(res);
	if (n != p->nparams) {
		PQclear(res);
		return err_set(e, ERR_INTERNAL, "the server counts %d parameters, the text %d", n,
		               p->nparams);
	}
	for (int i = 0; i < n; i++)
		p->types[i] = PQparamtype(res, i);
	PQclear(res);
	return ERR_OK;
}

/* A new prepared statement for sql (checked like the SQLite driver checks it). */
static enum err_code prep_new(struct pg_conn *c, const char *sql, uint64_t hash,
                              struct pg_prep **out, struct err *e)
{
	size_t len = strlen(sql);
	char small[1024];
	char *scratch = len < sizeof small ? small : malloc(len + 1);
	if (!scratch)
		return err_set(e, ERR_NO_MEMORY, "out of memory preparing sql");
	int nparams = 0;
	enum err_code code = sql_rewrite_sqlite(sql, scratch, len + 1, &nparams, e);
	if (scratch != small)
		free(scratch);
	if (code != ERR_OK)
		return code;
	struct pg_prep *p = calloc(1, sizeof *p);
	if (p) {
		p->sql = strdup(sql);
		p->types = calloc((size_t)nparams + 1, sizeof *p->types);
	}
	if (!p || !p->sql || !p->types) {
		prep_free(p);
		return err_set(e, ERR_NO_MEMORY, "out of memory preparing sql");
	}
	p->hash = hash;
	p->nparams = nparams;
	snprintf(p->name, sizeof p->name, "motcua_%llu", (unsigned long long)++c->next_name);
	code = prepare_on_server(c, p, true, e);
	if (code != ERR_OK) {
		deallocate(c, p);
		prep_free(p);
		return code;
	}
	*out = p;
	return ERR_OK;
}

/* Finds or makes the prepared statement of sql; its user count is raised. */
static enum err_code prep_get(struct pg_conn *c, const char *sql, struct pg_prep **out,
                              struct err *e)
{
	uint64_t hash = fnv1a(sql);
	int free_slot = -1, lru = -1;
	for (int i = 0; i < c->ncache; i++) {
		struct pg_prep *p = c->cache[i];
		if (!p) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (p->hash == hash && strcmp(p->sql, sql) == 0) {
			p->users++;
			p->used_at = ++c->tick;
			c->base.stats.cache_hits++;
			*out = p;
			return ERR_OK;
		}
		if (p->users == 0 && (lru < 0 || p->used_at < c->cache[lru]->used_at))
			lru = i;
	}
	struct pg_prep *p;
	enum err_code code = prep_new(c, sql, hash, &p, e);
	if (code != ERR_OK)
		return code;
	int slot = free_slot >= 0 ? free_slot : lru;
	if (slot >= 0) {
		if (c->cache[slot]) {
			deallocate(c, c->cache[slot]);
			prep_free(c->cache[slot]);
		}
		c->cache[slot] = p;
		p->cached = true;
	}
	p->users = 1;
	p->used_at = ++c->tick;
	*out = p;
	return ERR_OK;
}

static void prep_release(struct pg_conn *c, struct pg_prep *p)
{
	if (--p->users > 0 || p->cached)
		return;
	deallocate(c, p);
	prep_free(p);
}

static void stmt_free(struct pg_stmt *st)
{
	free(st->buf);
	free(st);
}

static enum err_code pg_prepare(struct db_conn *dc, const char *sql, struct db_stmt **out,
                                struct err *e)
{
	struct pg_conn *c = pgc(dc);
	enum err_code code = ensure_conn(c, e);
	if (code != ERR_OK)
		return code;
	struct pg_prep *p;
	code = prep_get(c, sql, &p, e);
	if (code != ERR_OK)
		return code;
	size_t n = (size_t)p->nparams;
	/* One block: the statement, then its per-parameter arrays. */
	size_t size = sizeof(struct pg_stmt) +
	              n * (sizeof(size_t) + sizeof(const char *) + 2 * sizeof(int) + sizeof(bool));
	struct pg_stmt *st = calloc(1, size);
	if (!st) {
		prep_release(c, p);
		return err_set(e, ERR_NO_MEMORY, "out of memory preparing sql");
	}
	char *mem = (char *)(st + 1);
	st->off = (size_t *)(void *)mem;
	mem += n * sizeof(size_t);
	st->values = (const char **)(void *)mem;
	mem += n * sizeof(const char *);
	st->len = (int *)(void *)mem;
	mem += n * sizeof(int);
	st->fmt = (int *)(void *)mem;
	mem += n * sizeof(int);
	st->isnull = (bool *)(void *)mem;
	for (size_t i = 0; i < n; i++)
		st->isnull[i] = true;
	st->prep = p;
	st->row = -1;
	st->base.conn = dc;
	st->base.nparams = p->nparams;
	*out = &st->base;
	return ERR_OK;
}

/* Appends len bytes (and a NUL) to the statement's value buffer; *off gets where. */
static enum err_code buf_add(struct pg_stmt *st, const void *p, size_t len, size_t *off,
                             struct err *e)
{
	if (st->buflen + len + 1 > st->bufcap) {
		size_t cap = st->bufcap ? st->bufcap : 256;
		while (cap < st->buflen + len + 1)
			cap *= 2;
		char *nb = realloc(st->buf, cap);
		if (!nb)
			return err_set(e, ERR_NO_MEMORY, "out of memory binding a parameter");
		st->buf = nb;
		st->bufcap = cap;
	}
	*off = st->buflen;
	if (len)
		memcpy(st->buf + st->buflen, p, len);
	st->buf[st->buflen + len] = '\0';
	st->buflen += len + 1;
	return ERR_OK;
}

/* Big-endian bytes of v, as the binary forms of int2/int4/int8 are sent. */
static void put_be(unsigned char *out, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static enum err_code bind_int(struct pg_stmt *st, int i, Oid type, int64_t v, struct err *e)
{
	unsigned char be[8];
	char text[32];
	int bytes = type == PG_OID_INT8 ? 8 : type == PG_OID_INT4 ? 4 : type == PG_OID_INT2 ? 2 : 0;
	if (bytes == 4 && (v < INT32_MIN || v > INT32_MAX))
		return err_set(e, ERR_DB_ERROR,
		               "parameter $%d is an integer (int4) on postgresql and %lld does not "
		               "fit; make the column BIGINT or write CAST($%d AS BIGINT)",
		               i + 1, (long long)v, i + 1);
	if (bytes == 2 && (v < INT16_MIN || v > INT16_MAX))
		return err_set(e, ERR_DB_ERROR,
		               "parameter $%d is a smallint on postgresql and %lld does not fit",
		               i + 1, (long long)v);
	if (bytes) {
		put_be(be, (uint64_t)v, bytes);
		st->fmt[i] = 1;
		st->len[i] = bytes;
		return buf_add(st, be, (size_t)bytes, &st->off[i], e);
	}
	int n;
	if (type == PG_OID_BOOL)
		n = snprintf(text, sizeof text, "%s", v ? "true" : "false");
	else
		n = snprintf(text, sizeof text, "%lld", (long long)v);
	st->fmt[i] = 0;
	st->len[i] = n;
	return buf_add(st, text, (size_t)n, &st->off[i], e);
}

static enum err_code pg_bind(struct db_stmt *dst, int idx, const struct db_param *p, struct err *e)
{
	struct pg_stmt *st = pgs(dst);
	int i = idx - 1;
	if (i < 0 || i >= st->prep->nparams)
		return err_set(e, ERR_INTERNAL, "no parameter $%d", idx);
	if (st->res)
		return err_set(e, ERR_INTERNAL, "binding a statement that has run");
	Oid type = st->prep->types[i];
	enum err_code code = ERR_OK;
	st->isnull[i] = false;
	switch (p->type) {
	case DB_T_INT64:
		code = bind_int(st, i, type, p->i, e);
		break;
	case DB_T_TEXT:
		/* Text format for every type (the server parses it), raw bytes for bytea. */
		st->fmt[i] = type == PG_OID_BYTEA ? 1 : 0;
		st->len[i] = (int)p->len;
		code = buf_add(st, p->p, p->len, &st->off[i], e);
		break;
	case DB_T_BLOB:
		st->fmt[i] = 1;
		st->len[i] = (int)p->len;
		code = buf_add(st, p->len ? p->p : "", p->len, &st->off[i], e);
		break;
	default:
		st->isnull[i] = true;
	}
	if (code != ERR_OK)
		st->isnull[i] = true;
	return code;
}

/* Frees what was decoded for the current row. */
static void row_clear(struct pg_stmt *st)
{
	if (!st->decoded)
		return;
	for (int i = 0; i < st->ncols; i++) {
		free(st->decoded[i]);
		st->decoded[i] = NULL;
	}
}

/* The number of rows changed, from the command tag ("INSERT 0 3", "UPDATE 2"); 0 for
 * statements that change no rows (SELECT, FETCH, DDL), as on SQLite. */
static int64_t changes_of(PGresult *res)
{
	const char *tag = PQcmdStatus(res);
	if (!tag || !(str_has_prefix(tag, "INSERT ") || str_has_prefix(tag, "UPDATE ") ||
	              str_has_prefix(tag, "DELETE ") || str_has_prefix(tag, "MERGE ")))
		return 0;
	const char *n = PQcmdTuples(res);
	return n && *n ? strtoll(n, NULL, 10) : 0;
}

/* Runs the statement with its bound values and keeps the whole result. */
static enum err_code execute(struct pg_stmt *st, struct err *e)
{
	struct pg_conn *c = pgc(st->base.conn);
	struct pg_prep *p = st->prep;
	enum err_code code = ensure_conn(c, e);
	if (code == ERR_OK && p->gen != c->gen)
		code = prepare_on_server(c, p, false, e);
	if (code != ERR_OK)
		return code;
	for (int i = 0; i < p->nparams; i++)
		st->values[i] = st->isnull[i] ? NULL : st->buf + st->off[i];
	PGresult *res = PQexecPrepared(c->h, p->name, p->nparams, st->values, st->len, st->fmt, 0);
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		/* The statement vanished on the server (DISCARD, a pooler) or its result type
		 * changed under it (ALTER TABLE): prepare it again at its next use. */
		if (state && (strcmp(state, "26000") == 0 || strcmp(state, "0A000") == 0))
			p->gen = 0;
		code = fail(c, res, lost_code_of(c), e, "step");
		PQclear(res);
		return code;
	}
	st->res = res;
	st->nrows = PQntuples(res);
	st->ncols = PQnfields(res);
	st->row = -1;
	st->base.changes = changes_of(res);
	if (st->ncols > 0) {
		st->decoded = calloc((size_t)st->ncols, sizeof *st->decoded);
		st->decoded_len = calloc((size_t)st->ncols, sizeof *st->decoded_len);
		if (!st->decoded || !st->decoded_len)
			return err_set(e, ERR_NO_MEMORY, "out of memory reading a result");
	}
	return ERR_OK;
}

static enum err_code pg_step(struct db_stmt *dst, bool *row, struct err *e)
{
	struct pg_stmt *st = pgs(dst);
	*row = false;
	if (!st->res) {
		enum err_code code = execute(st, e);
		if (code != ERR_OK)
			return code;
	}
	row_clear(st);
	if (st->row < st->nrows)
		st->row++;
	*row = st->row < st->nrows;
	return ERR_OK;
}

static int pg_col_count(const struct db_stmt *st)
{
	return cpgs(st)->res ? cpgs(st)->ncols : 0;
}

static bool pg_col_is_null(struct db_stmt *dst, int col)
{
	struct pg_stmt *st = pgs(dst);
	return PQgetisnull(st->res, st->row, col) != 0;
}

static int64_t pg_col_int64(struct db_stmt *dst, int col)
{
	struct pg_stmt *st = pgs(dst);
	if (PQgetisnull(st->res, st->row, col))
		return 0;
	const char *s = PQgetvalue(st->res, st->row, col);
	Oid type = PQftype(st->res, col);
	if (type == PG_OID_BOOL)
		return s[0] == 't';
	if (type == PG_OID_NUMERIC || type == PG_OID_FLOAT4 || type == PG_OID_FLOAT8) {
		/* Like SQLite: the value truncated toward zero, saturated at the int64 limits. */
		double d = strtod(s, NULL);
		if (d != d)
			return 0;
		if (d >= 9223372036854775807.0)
			return INT64_MAX;
		if (d <= -9223372036854775808.0)
			return INT64_MIN;
		return (int64_t)d;
	}
	return strtoll(s, NULL, 10);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The bytes of a bytea cell (decoded once per row, NUL-terminated), or NULL on failure. */
static const char *bytea_of(struct pg_stmt *st, int col, size_t *len)
{
	if (st->decoded[col]) {
		*len = st->decoded_len[col];
		return st->decoded[col];
	}
	const char *s = PQgetvalue(st->res, st->row, col);
	size_t n = (size_t)PQgetlength(st->res, st->row, col);
	char *out = NULL;
	size_t m = 0;
	if (n >= 2 && s[0] == '\\' && s[1] == 'x') { /* hex format (bytea_output = hex) */
		out = malloc((n - 2) / 2 + 1);
		if (!out)
			return NULL;
		for (size_t i = 2; i + 1 < n; i += 2) {
			int hi = hexval(s[i]), lo = hexval(s[i + 1]);
			if (hi < 0 || lo < 0) {
				free(out);
				return NULL;
			}
			out[m++] = (char)(hi << 4 | lo);
		}
	} else { /* escape format */
		unsigned char *raw = PQunescapeBytea((const unsigned char *)s, &m);
		if (!raw)
			return NULL;
		out = malloc(m + 1);
		if (out)
			memcpy(out, raw, m);
		PQfreemem(raw);
		if (!out)
			return NULL;
	}
	out[m] = '\0';
	st->decoded[col] = out;
	st->decoded_len[col] = m;
	*len = m;
	return out;
}

static const char *pg_col_text(struct db_stmt *dst, int col, size_t *len)
{
	struct pg_stmt *st = pgs(dst);
	size_t n = 0;
	const char *s = NULL;
	if (!PQgetisnull(st->res, st->row, col)) {
		Oid type = PQftype(st->res, col);
		if (type == PG_OID_BOOL) {
			s = PQgetvalue(st->res, st->row, col)[0] == 't' ? "1" : "0";
			n = 1;
		} else if (type == PG_OID_BYTEA) {
			s = bytea_of(st, col, &n);
		} else {
			s = PQgetvalue(st->res, st->row, col);
			n = (size_t)PQgetlength(st->res, st->row, col);
		}
	}
	if (len)
		*len = s ? n : 0;
	return s;
}

static const void *pg_col_blob(struct db_stmt *dst, int col, size_t *len)
{
	struct pg_stmt *st = pgs(dst);
	size_t n = 0;
	const char *p = NULL;
	*len = 0;
	if (PQgetisnull(st->res, st->row, col))
		return NULL;
	if (PQftype(st->res, col) == PG_OID_BYTEA)
		p = bytea_of(st, col, &n);
	else
		p = pg_col_text(dst, col, &n);
	if (!p || n == 0)
		return NULL;
	*len = n;
	return p;
}

static void pg_finish(struct db_stmt *dst)
{
	struct pg_stmt *st = pgs(dst);
	row_clear(st);
	free(st->decoded);
	free(st->decoded_len);
	PQclear(st->res);
	prep_release(pgc(dst->conn), st->prep);
	stmt_free(st);
}

/* ---- transactions ---- */

static const char *begin_sql(enum db_txn_mode mode)
{
	switch (mode) {
	case DB_TXN_READ:
		return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	case DB_TXN_SERIALIZABLE:
		return "BEGIN ISOLATION LEVEL SERIALIZABLE";
	default:
		return "BEGIN ISOLATION LEVEL READ COMMITTED";
	}
}

static enum err_code pg_begin(struct db_conn *dc, enum db_txn_mode mode, struct err *e)
{
	struct pg_conn *c = pgc(dc);
	enum err_code code = ensure_conn(c, e);
	if (code != ERR_OK)
		return code;
	code = run_command(c, begin_sql(mode), ERR_DB_ERROR, e, "begin");
	/* The connection had died since its last use (a restart, a terminated backend):
	 * nothing was done in it, so reconnect and begin once more. */
	if (code != ERR_OK && lost(c)) {
		code = reconnect(c, e);
		if (code == ERR_OK)
			code = run_command(c, begin_sql(mode), ERR_DB_ERROR, e, "begin");
	}
	return code;
}

static enum err_code pg_commit(struct db_conn *dc, struct err *e)
{
	struct pg_conn *c = pgc(dc);
	if (lost(c))
		return err_set(e, ERR_DB_BUSY,
		               "commit: connection to the database lost during "
		               "the transaction; it was rolled back");
	if (PQtransactionStatus(c->h) == PQTRANS_INERROR)
		return err_set(e, ERR_DB_ERROR,
		               "commit: a statement of the transaction failed; "
		               "postgresql rolls it back");
	PGresult *res = PQexec(c->h, "COMMIT");
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	enum err_code code = ERR_OK;
	if (s != PGRES_COMMAND_OK) {
		code = fail(c, res, ERR_DB_ERROR, e, "commit");
		if (lost(c))
			code = err_set(e, ERR_DB_ERROR,
			               "commit: connection to the database lost; the transaction "
			               "may or may not have been applied");
	} else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		code = err_set(e, ERR_DB_ERROR, "commit: the server rolled the transaction back");
	}
	PQclear(res);
	return code;
}

static void pg_rollback(struct db_conn *dc)
{
	struct pg_conn *c = pgc(dc);
	if (lost(c) || PQtransactionStatus(c->h) == PQTRANS_IDLE)
		return; /* the server has ended it already */
	run_command(c, "ROLLBACK", ERR_DB_ERROR, NULL, "rollback");
}

/* ---- introspection ---- */

static enum err_code pg_table_exists(struct db_conn *c, const char *name, bool *exists,
                                     struct err *e)
{
	int64_t n = 0;
	enum err_code code = db_query_int64(
	        c,
	        "SELECT count(*) FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace s ON "
	        "s.oid = r.relnamespace WHERE s.nspname = current_schema() AND r.relname = $1 AND "
	        "r.relkind IN ('r', 'p')",
	        DB_ARGS(db_text(name)), &n, e);
	*exists = code == ERR_OK && n > 0;
	return code;
}

const struct db_driver db_pg_driver = {
        .name = "postgresql",
        .prefixes = pg_prefixes,
        .setup = pg_setup,
        .connect = pg_connect,
        .disconnect = pg_disconnect,
        .exec_script = pg_exec_script,
        .prepare = pg_prepare,
        .bind = pg_bind,
        .step = pg_step,
        .col_count = pg_col_count,
        .col_is_null = pg_col_is_null,
        .col_int64 = pg_col_int64,
        .col_text = pg_col_text,
        .col_blob = pg_col_blob,
        .finish = pg_finish,
        .begin = pg_begin,
        .commit = pg_commit,
        .rollback = pg_rollback,
        .table_exists = pg_table_exists,
        .backup = NULL,
};
