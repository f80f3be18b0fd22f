/*
 * Fuzz target for domain/dossier_code. Arbitrary bytes are parsed as a code;
 * when parsing succeeds, formatting the result must give back exactly the
 * input, and parsing that again the same parts. The same bytes also drive
 * dossier_code_make (unit from a fixed list, date, sequence and long_from
 * from the bytes): make -> format -> parse must round-trip as well.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/dossier_code.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Field by field: struct padding may differ after a struct copy. */
static bool same(const struct dossier_code *a, const struct dossier_code *b)
{
	return strcmp(a->unit, b->unit) == 0 && a->date == b->date && a->sequence == b->sequence &&
	       a->layout == b->layout;
}

static int64_t take(const uint8_t *data, size_t size, size_t at, int bytes)
{
	int64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = v * 256 + (at + (size_t)i < size ? data[at + (size_t)i] : 0);
	return v;
}

static void check_make(const uint8_t *data, size_t size)
{
	static const char *units[] = {"000.00.01.H26", "000.A0.01.H26", "ZZZ.99.A0.B01"};
	const char *unit = units[take(data, size, 0, 1) % 3];
	int64_t base = vntime_days_from_civil(1999, 1, 1);
	int64_t date = base + take(data, size, 1, 3) % 3000000;
	int64_t seq = take(data, size, 4, 4) % 10000002;
	int64_t long_from = take(data, size, 8, 1) % 2 ? DOSSIER_LONG_NEVER
	                                               : base + take(data, size, 9, 3) % 3000000;
	struct dossier_code c, back;
	char out[DOSSIER_CODE_SIZE];
	enum err_code rc = dossier_code_make(unit, date, seq, long_from, &c, NULL);
	if (rc != ERR_OK) {
		struct vndate d = vntime_civil_from_days(date);
		bool expected = seq < 1 || seq > DOSSIER_LONG_SEQ_MAX ||
		                d.year < DOSSIER_MIN_YEAR || d.year > VNTIME_MAX_YEAR;
		if (!expected)
			abort();
		return;
	}
	if (dossier_code_format(&c, out, sizeof out, NULL) != ERR_OK)
		abort();
	if (dossier_code_parse(out, &back, NULL) != ERR_OK || !same(&back, &c))
		abort();
	if (c.layout == DOSSIER_LAYOUT_SHORT && (seq > DOSSIER_SHORT_SEQ_MAX || date >= long_from))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	struct dossier_code c, again;
	struct err e;
	if (dossier_code_parse(s, &c, &e) == ERR_OK) {
		char out[DOSSIER_CODE_SIZE];
		if (dossier_code_format(&c, out, sizeof out, NULL) != ERR_OK)
			abort();
		if (strcmp(out, s) != 0)
			abort();
		if (dossier_code_parse(out, &again, NULL) != ERR_OK || !same(&again, &c))
			abort();
	} else if (e.code != ERR_INVALID_DOSSIER_CODE || e.detail[0] == '\0') {
		abort();
	}
	check_make(data, size);
	free(s);
	return 0;
}
