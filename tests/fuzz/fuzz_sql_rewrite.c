/*
 * Fuzz target for db/sql_rewrite. Invariants on every input:
 *   - the output has the input's length and differs only where a '$' became '?';
 *   - *max_param is the highest number that follows a rewritten '?';
 *   - rewriting the output again is refused when it has a parameter ('?' is not
 *     portable) and is the identity otherwise;
 *   - oracle: when SQLite compiles every statement of the output, its parameters
 *     are exactly ?1..?max_param by number (no named "$x", ":x", "@x" slipped
 *     through), i.e. the scanner and SQLite's tokenizer agree on what is code.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sql_rewrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *mem;

static void check_with_sqlite(const char *sql, int max_param)
{
	if (!mem && sqlite3_open(":memory:", &mem) != SQLITE_OK)
		abort();
	sqlite3_db_config(mem, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(mem, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	int highest = 0;
	const char *p = sql;
	while (p && *p) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		if (sqlite3_prepare_v2(mem, p, -1, &st, &tail) != SQLITE_OK)
			return; /* not valid SQL: no oracle */
		if (st) {
			int n = sqlite3_bind_parameter_count(st);
			for (int i = 1; i <= n; i++) {
				const char *name = sqlite3_bind_parameter_name(st, i);
				char want[16];
				snprintf(want, sizeof want, "?%d", i);
				if (name && strcmp(name, want) != 0)
					abort(); /* a parameter SQLite sees that we did not number
					          */
			}
			if (n > highest)
				highest = n;
			sqlite3_finalize(st);
		}
		if (tail == p)
			break;
		p = tail;
	}
	if (highest > max_param)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *in = malloc(size + 1);
	char *out = malloc(size + 1);
	char *again = malloc(size + 1);
	if (!in || !out || !again)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	size_t n = strlen(in);
	int max = -1;
	struct err e;
	enum err_code rc = sql_rewrite_sqlite(in, out, n + 1, &max, &e);
	if (rc != ERR_OK) {
		if (rc != ERR_INVALID_ARGUMENT || max != -1 || strlen(out) > n)
			abort();
		goto done;
	}
	if (strlen(out) != n || max < 0 || max > SQL_REWRITE_MAX_PARAM)
		abort();
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (out[i] == in[i])
			continue;
		if (in[i] != '$' || out[i] != '?')
			abort();
		int v = 0;
		for (size_t j = i + 1; j < n && out[j] >= '0' && out[j] <= '9'; j++)
			v = v * 10 + (out[j] - '0');
		if (v < 1 || v > max)
			abort();
		if (v > seen)
			seen = v;
	}
	if (seen != max)
		abort();
	int max2 = -1;
	rc = sql_rewrite_sqlite(out, again, n + 1, &max2, NULL);
	if (max > 0 && rc != ERR_INVALID_ARGUMENT)
		abort();
	if (max == 0 && (rc != ERR_OK || strcmp(again, out) != 0 || max2 != 0))
		abort();
	check_with_sqlite(out, max);
done:
	free(in);
	free(out);
	free(again);
	return 0;
}
