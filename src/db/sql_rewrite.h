/*
 * sql_rewrite: turns the project's portable SQL text into what SQLite needs.
 *
 * All SQL in src/db/ is written once with PostgreSQL-style placeholders $1,
 * $2, ... so that the PostgreSQL driver passes it through unchanged. SQLite
 * reads "$2" as a *named* parameter and numbers named parameters by their
 * first appearance, so "... a = $2 AND b = $1" would bind the first value to
 * $2. This module rewrites each $N into ?N (same length, so byte offsets are
 * kept), which SQLite binds by number.
 *
 * The scanner skips string literals ('...' with '' inside), quoted
 * identifiers ("..." with "" inside), line comments (-- to the end of the
 * line) and block comments. It refuses SQL that would be read differently by
 * the two engines or bound wrongly: other parameter styles (?, ?N, :name,
 * @name, $name), the PostgreSQL cast operator ::, SQLite-only quoting ([...]
 * and backquotes), nested block comments (PostgreSQL nests them, SQLite does
 * not) and unterminated literals or comments.
 */
#ifndef MOTCUA_DB_SQL_REWRITE_H
#define MOTCUA_DB_SQL_REWRITE_H

#include <stddef.h>

#include "base/error.h"

/* The largest placeholder number accepted ($1 .. $999). */
#define SQL_REWRITE_MAX_PARAM 999

/*
 * Rewrites sql into out (outsz bytes, at least strlen(sql) + 1: the result
 * has the same length as the input). On success *max_param (when not NULL)
 * is the highest N of the $N placeholders found (0 when none).
 * Returns ERR_OK, or ERR_INVALID_ARGUMENT with the byte offset and the
 * reason in *e (out then holds an unspecified, NUL-terminated prefix), or
 * ERR_TOO_LONG when out is too small.
 */
enum err_code sql_rewrite_sqlite(const char *sql, char *out, size_t outsz, int *max_param,
                                 struct err *e);

#endif
