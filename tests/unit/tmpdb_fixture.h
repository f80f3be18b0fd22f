/*
 * tmpdb_fixture: temporary directories and SQLite databases migrated with
 * the embedded migrations, for the unit tests that need a real database
 * (audit, ratelimit, account, db_sqlite, migrate, import, population and
 * dossier_fixture.h). Included by those test files only; every function is
 * static inline so that a test includes only what it uses.
 *
 * Use: tmpdb_setup() / tmpdb_teardown() as a group setup and teardown around
 * one database DIR/t.db, or tmpdb_mkdir() / tmpdb_rm_tree() around a
 * directory in which tests open databases of their own (tmpdb_open(),
 * tmpdb_new()).
 */
#ifndef MOTCUA_TESTS_TMPDB_FIXTURE_H
#define MOTCUA_TESTS_TMPDB_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"

/* Makes a new directory /tmp/motcua-test-NAME-XXXXXX and writes its path to
 * dir (size bytes). Returns 0, or -1 when it cannot be made. */
static inline int tmpdb_mkdir(char *dir, size_t size, const char *name)
{
	if ((size_t)snprintf(dir, size, "/tmp/motcua-test-%s-XXXXXX", name) >= size)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

/* Removes a file or a directory tree. Entries removed while reading a
 * directory may hide others from readdir(), so a directory is read again
 * until it can be removed. */
static inline void tmpdb_rm_tree(const char *path)
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
				tmpdb_rm_tree(sub);
		}
		closedir(d);
		if (rmdir(path) == 0)
			return;
	}
}

/* Opens the database at url and applies the embedded migrations, stamped
 * with now (seconds since 1970). On success *db is the open database (the
 * caller closes it); on failure *db is NULL and e (optional) says why. */
static inline enum err_code tmpdb_open(const char *url, int64_t now, struct db **db, struct err *e)
{
	struct db_conn *c;
	int n = 0;
	enum err_code rc;
	*db = NULL;
	rc = db_open(url, NULL, db, e);
	if (rc != ERR_OK) {
		*db = NULL;
		return rc;
	}
	const struct migration *list = migrate_embedded(&n);
	rc = db_thread_conn(*db, &c, e);
	if (rc == ERR_OK)
		rc = migrate_apply(c, list, n, now, NULL, e);
	if (rc != ERR_OK) {
		db_close(*db);
		*db = NULL;
	}
	return rc;
}

/* A fresh migrated database DIR/db<serial>.db (fails the test if it cannot
 * be made); the caller closes it. */
static inline struct db *tmpdb_new(const char *dir, int serial, int64_t now)
{
	char url[512];
	struct db *db = NULL;
	struct err e;
	err_clear(&e);
	snprintf(url, sizeof url, "sqlite:%s/db%d.db", dir, serial);
	if (tmpdb_open(url, now, &db, &e) != ERR_OK)
		fail_msg("tmpdb_open: %s", e.detail);
	return db;
}

/* Group setup: makes the directory (see tmpdb_mkdir) and opens DIR/t.db
 * migrated, stamped 0, into *db. Returns 0, or -1 (printing why). */
static inline int tmpdb_setup(char *dir, size_t size, const char *name, struct db **db)
{
	char url[512];
	struct err e;
	err_clear(&e);
	if (tmpdb_mkdir(dir, size, name) != 0)
		return -1;
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	if (tmpdb_open(url, 0, db, &e) != ERR_OK) {
		fprintf(stderr, "tmpdb_setup: %s\n", e.detail);
		return -1;
	}
	return 0;
}

/* Group teardown: closes db (may be NULL) and removes the directory. */
static inline void tmpdb_teardown(const char *dir, struct db *db)
{
	if (db)
		db_close(db);
	tmpdb_rm_tree(dir);
}

/* The calling thread's connection to db (fails the test if there is none). */
static inline struct db_conn *tmpdb_conn(struct db *db)
{
	struct db_conn *c = NULL;
	assert_int_equal(db_thread_conn(db, &c, NULL), ERR_OK);
	return c;
}

#endif
