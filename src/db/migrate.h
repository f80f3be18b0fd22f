/*
 * migrate: numbered schema migrations and the check that the database and
 * the program agree on the schema.
 *
 * A migration is a numbered SQL script (db/migrations/NNNN.sql, built into
 * the binary by scripts/embed-migrations.py); versions run 1..N without gaps.
 * The table schema_migrations records, for each applied version, its name,
 * the SHA-256 of its text and when it was applied. Applying runs every
 * pending migration in order, each in its own write transaction together
 * with its schema_migrations row, so that a failing migration leaves nothing
 * behind and the version unchanged. Migrations must not contain BEGIN or
 * COMMIT themselves; on SQLite, PRAGMA foreign_keys cannot change inside them.
 *
 * The verdict of a database against a list of migrations:
 *   ERR_OK                  every migration of the list is applied, nothing else;
 *   ERR_SCHEMA_BEHIND       some are pending (run `motcua db migrate`);
 *   ERR_SCHEMA_AHEAD        the database has a version the list does not know
 *                           (it was migrated by a newer program);
 *   ERR_MIGRATION_MISMATCH  an applied migration's text changed since, or a
 *                           version is missing below the highest applied one.
 * Applying refuses to run on AHEAD and MISMATCH. The server refuses to start
 * unless db_schema_check() says ERR_OK.
 *
 * Every function here runs its own transactions on the connection given, so
 * none may be called inside a transaction.
 */
#ifndef MOTCUA_DB_MIGRATE_H
#define MOTCUA_DB_MIGRATE_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "db/db.h"

struct migration {
	int version;      /* 1, 2, ... */
	const char *name; /* e.g. "0001.sql" */
	const char *sql;  /* the script */
};

/* The migrations built into the binary, ascending; *count gets how many (maybe 0). */
const struct migration *migrate_embedded(int *count);

/* Hex SHA-256 (FIPS 180-4) of text, 64 digits and a NUL. */
#define MIGRATE_CHECKSUM_LEN 65
void migrate_checksum(const char *text, char out[MIGRATE_CHECKSUM_LEN]);

/* Largest migration text (bytes). */
#define MIGRATE_MAX_TEXT (4u << 20)

/*
 * Keeps the parts of a migration's text meant for one engine. A line
 * "-- dialect: sqlite" starts a section for SQLite only, "-- dialect:
 * postgresql" one for PostgreSQL only, "-- dialect: all" returns to SQL for
 * both; the marker lines themselves are dropped. dialect is the driver's name
 * ("sqlite" or "postgresql"). Appends to out. Returns ERR_OK, ERR_INTERNAL for
 * an unknown section name, or ERR_NO_MEMORY.
 */
enum err_code migrate_select_dialect(const char *sql, const char *dialect, struct buf *out,
                                     struct err *e);

enum migration_state {
	MIGRATION_PENDING, /* in the list, not applied */
	MIGRATION_APPLIED, /* applied, same text */
	MIGRATION_CHANGED, /* applied, but the text in the list differs */
	MIGRATION_UNKNOWN  /* applied, not in the list (database ahead) */
};

/* Name of a state: "pending", "applied", "changed", "unknown". */
const char *migration_state_name(enum migration_state s);

struct migration_info {
	int version;
	char name[64];
	enum migration_state state;
	int64_t applied_at; /* epoch seconds; 0 when pending */
};

struct migrate_status {
	int db_version;   /* highest version applied (0: none) */
	int code_version; /* highest version in the list (0: empty list) */
	int pending;      /* how many of the list are not applied */
	enum err_code
	        verdict; /* ERR_OK, ERR_SCHEMA_BEHIND, ERR_SCHEMA_AHEAD, ERR_MIGRATION_MISMATCH */
	struct migration_info *items; /* every version of the list and of the database, ascending */
	int count;
};

/*
 * Compares the database with list[0..n) (read-only; a database without
 * schema_migrations has nothing applied). Fills *out (release it with
 * migrate_status_release()). Returns ERR_OK when the status could be read
 * (the verdict is in out->verdict), ERR_INTERNAL when the list is not
 * numbered 1..n, or a database error.
 */
enum err_code migrate_status(struct db_conn *c, const struct migration *list, int n,
                             struct migrate_status *out, struct err *e);
void migrate_status_release(struct migrate_status *s);

/* The verdict alone, as an error with a detail (ERR_OK when current). */
enum err_code migrate_check(struct db_conn *c, const struct migration *list, int n, struct err *e);

/*
 * Applies the pending migrations of list[0..n) in order, recording now
 * (epoch seconds) as their time. *applied (when not NULL) gets how many were
 * applied by this call. Creates schema_migrations when missing. Refuses
 * (ERR_SCHEMA_AHEAD, ERR_MIGRATION_MISMATCH) before changing anything.
 * Stops at the first failing migration: it is rolled back, the earlier ones
 * stay applied, and its error names it. Safe to run from two processes at
 * once (each migration re-checks its row inside its transaction).
 */
enum err_code migrate_apply(struct db_conn *c, const struct migration *list, int n, int64_t now,
                            int *applied, struct err *e);

/* migrate_check() of the calling thread's connection against the built-in migrations. */
enum err_code db_schema_check(struct db *db, struct err *e);

#endif
