/*
 * db_copy: copies every table of motcua's schema from one database to another,
 * on any pair of engines (typically an office's SQLite file into the city's
 * PostgreSQL: `motcua db copy --from sqlite:... --to postgresql://...`).
 *
 * The source must be at the schema version of this program; the destination
 * is migrated to it first and must then hold no rows in any table (the copy
 * fills a new database, it does not merge). The tables are those that the
 * built-in migrations create, in the order they create them (so that a table
 * comes after the tables it references), schema_migrations excepted: the
 * destination keeps its own. Columns come from the source's catalog and must
 * match the destination's by name; values keep their kind (an integer column
 * must hold integers, a BYTEA column bytes). Rows of a table that references
 * itself (unit.parent_code) are ordered parents first.
 *
 * The source is read in one read transaction (one consistent snapshot; a
 * PostgreSQL source is read through a cursor, in batches), the destination is
 * written in one write transaction, and each table's row count is checked in
 * both before the commit: either everything is copied and counted, or nothing.
 */
#ifndef MOTCUA_DB_DB_COPY_H
#define MOTCUA_DB_DB_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/migrate.h"

#define DB_COPY_MAX_TABLES 128
#define DB_COPY_NAME_MAX   64

struct db_copy_table {
	char name[DB_COPY_NAME_MAX];
	int64_t rows; /* copied, and counted equal in source and destination */
};

struct db_copy_report {
	struct db_copy_table tables[DB_COPY_MAX_TABLES];
	int count;
	int64_t rows;           /* total */
	int migrations_applied; /* to the destination, before the copy */
};

/*
 * The tables created by the migrations list[0..n), in order of creation, without
 * schema_migrations: names[0..*count) (at most max). ERR_TOO_LONG when there are
 * more than max, ERR_INTERNAL for a table name that is not a plain identifier.
 */
enum err_code db_copy_tables(const struct migration *list, int n, char names[][DB_COPY_NAME_MAX],
                             int max, int *count, struct err *e);

/*
 * Copies from -> to as described above, recording now (epoch seconds) on the
 * destination's migrations. Fills *out. Errors: ERR_SCHEMA_BEHIND /
 * ERR_SCHEMA_AHEAD / ERR_MIGRATION_MISMATCH for a source not at this
 * program's version; ERR_INVALID_ARGUMENT for a destination that has rows or
 * other columns, or a value of the wrong kind (the detail names table, column
 * and row); database errors otherwise. from and to must be different
 * databases; both are used from the calling thread.
 */
enum err_code db_copy(struct db *from, struct db *to, int64_t now, struct db_copy_report *out,
                      struct err *e);

/* url with the password (user:PASSWORD@ or password=...) replaced by "***", into out. */
void db_url_redacted(const char *url, char *out, size_t outsz);

#endif
