/*
 * db_engine_fixture: fresh, isolated databases for unit tests, on the engine
 * that MOTCUA_TEST_DATABASE names, so that one test program runs against
 * SQLite (`make test`) and PostgreSQL (`make test-pg`) alike.
 *
 *   MOTCUA_TEST_DATABASE unset or empty   a temporary directory under /tmp;
 *                                          each fresh database is a new file;
 *   MOTCUA_TEST_DATABASE=postgresql://...  each fresh database is a new schema
 *                                          (t<pid>_<n>) of that database, made
 *                                          through an administrative connection
 *                                          and reached by adding
 *                                          options=-c search_path=<schema> to the
 *                                          URL; it is dropped (CASCADE) on release.
 *
 * Use: engine_init() in the group setup, engine_done() in the group teardown,
 * engine_fresh() / engine_release() around each test (or inside it). Every
 * function is static inline so that a test includes only what it uses.
 */
#ifndef MOTCUA_TESTS_DB_ENGINE_FIXTURE_H
#define MOTCUA_TESTS_DB_ENGINE_FIXTURE_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

#define ENGINE_URL_MAX 1200

struct engine_db {
	struct db *db;
	char url[ENGINE_URL_MAX + 128];
	char schema[64]; /* PostgreSQL: the schema; SQLite: "" */
};

static char engine_base[ENGINE_URL_MAX];
static char engine_tmpdir[256];
static struct db *engine_admin; /* PostgreSQL only */
static int engine_serial;

/* True when the tests run on PostgreSQL. */
static inline bool engine_is_pg(void)
{
	return strncmp(engine_base, "postgres", 8) == 0;
}

/* The URL of the whole test database (PostgreSQL) or "" (SQLite). */
static inline const char *engine_base_url(void)
{
	return engine_base;
}

/* The temporary directory of the SQLite files ("" on PostgreSQL). */
static inline const char *engine_dir(void)
{
	return engine_tmpdir;
}

static inline void engine_rm_tree(const char *path)
{
	for (int pass = 0; pass < 10; pass++) {
		DIR *d = opendir(path);
		if (!d) {
			unlink(path);
			return;
		}
		struct dirent *ent;
		while ((ent = readdir(d))) {
			if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
				continue;
			char sub[1024];
			if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, ent->d_name) <
			    sizeof sub)
				engine_rm_tree(sub);
		}
		closedir(d);
		if (rmdir(path) == 0)
			return;
	}
}

/* Group setup: reads MOTCUA_TEST_DATABASE. Returns 0, or -1 (printing why). */
static inline int engine_init(void)
{
	const char *url = getenv("MOTCUA_TEST_DATABASE");
	engine_base[0] = engine_tmpdir[0] = '\0';
	if (url && *url && strncmp(url, "sqlite:", 7) != 0) {
		if ((size_t)snprintf(engine_base, sizeof engine_base, "%s", url) >=
		    sizeof engine_base)
			return -1;
		struct err e;
		err_clear(&e);
		if (db_open(engine_base, NULL, &engine_admin, &e) != ERR_OK) {
			fprintf(stderr, "# cannot open MOTCUA_TEST_DATABASE: %s\n", e.detail);
			return -1;
		}
		return 0;
	}
	snprintf(engine_tmpdir, sizeof engine_tmpdir, "/tmp/motcua-test-engine-XXXXXX");
	return mkdtemp(engine_tmpdir) ? 0 : -1;
}

static inline void engine_done(void)
{
	db_close(engine_admin);
	engine_admin = NULL;
	if (engine_tmpdir[0])
		engine_rm_tree(engine_tmpdir);
}

static inline enum err_code engine_admin_fn(struct db_conn *c, void *ctx, struct err *e)
{
	return db_exec(c, ctx, DB_NOARGS, NULL, e);
}

/* Runs one statement on the administrative connection (PostgreSQL), in a transaction of
 * its own (so that a connection lost to a server restart is made again first). */
static inline enum err_code engine_admin_exec(const char *sql, struct err *e)
{
	return db_run_txn(engine_admin, DB_TXN_WRITE, engine_admin_fn, (void *)sql, e);
}

/* A new empty database, opened with opt (may be NULL). Returns ERR_OK or the error. */
static inline enum err_code engine_fresh(struct engine_db *x, const struct db_options *opt,
                                         struct err *e)
{
	memset(x, 0, sizeof *x);
	int n = ++engine_serial;
	if (engine_is_pg()) {
		char sql[128];
		snprintf(x->schema, sizeof x->schema, "t%ld_%d", (long)getpid(), n);
		snprintf(sql, sizeof sql, "CREATE SCHEMA %s", x->schema);
		enum err_code rc = engine_admin_exec(sql, e);
		if (rc != ERR_OK)
			return rc;
		int len = snprintf(x->url, sizeof x->url, "%s%soptions=-c%%20search_path%%3D%s",
		                   engine_base, strchr(engine_base, '?') ? "&" : "?", x->schema);
		if (len < 0 || (size_t)len >= sizeof x->url)
			return err_set(e, ERR_TOO_LONG, "test database url too long");
	} else {
		int len = snprintf(x->url, sizeof x->url, "sqlite:%s/t%d.db", engine_tmpdir, n);
		if (len < 0 || (size_t)len >= sizeof x->url)
			return err_set(e, ERR_TOO_LONG, "test database url too long");
	}
	return db_open(x->url, opt, &x->db, e);
}

/* Another handle on the same database (e.g. with other options). */
static inline enum err_code engine_reopen(const struct engine_db *x, const struct db_options *opt,
                                          struct db **out, struct err *e)
{
	return db_open(x->url, opt, out, e);
}

/* Closes x->db and drops the database. */
static inline void engine_release(struct engine_db *x)
{
	db_close(x->db);
	x->db = NULL;
	if (x->schema[0]) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", x->schema);
		engine_admin_exec(sql, NULL);
		x->schema[0] = '\0';
	}
}

#endif
