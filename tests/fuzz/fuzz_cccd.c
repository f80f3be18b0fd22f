/*
 * Fuzz target for domain/cccd: parses arbitrary bytes as a personal
 * identification number. When parsing succeeds, the decoded fields must
 * describe the input exactly (digits 1-6 rebuilt from the fields equal the
 * input), parsing again gives the same result, and the number is consistent
 * with its own birth year and sex but not with the next year.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/cccd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Field by field: struct padding may differ after a struct copy. */
static bool same(const struct cccd *a, const struct cccd *b)
{
	return strcmp(a->number, b->number) == 0 && strcmp(a->place_code, b->place_code) == 0 &&
	       a->place == b->place && a->registered_abroad == b->registered_abroad &&
	       a->province == b->province && a->country == b->country &&
	       a->place_status == b->place_status && a->sex == b->sex && a->century == b->century &&
	       a->birth_year == b->birth_year;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	/* "Today" from the first byte, so that the future-year rule is exercised too. */
	int64_t today =
	        size > 0 ? vntime_days_from_civil(1990 + data[0] % 200, 6, 15) : CCCD_NO_DATE;
	struct cccd c;
	struct err e;
	if (cccd_parse(s, CCCD_NO_DATE, &c, &e) == ERR_OK) {
		if (strlen(s) != CCCD_LEN || strcmp(c.number, s) != 0)
			abort();
		if (c.century < 20 || c.century > 24 || c.birth_year < CCCD_FIRST_YEAR ||
		    c.birth_year > CCCD_LAST_YEAR || c.birth_year / 100 != c.century - 1)
			abort();
		if ((c.province != NULL) == c.registered_abroad)
			abort();
		char head[8];
		snprintf(head, sizeof head, "%03d%d%02d", c.place,
		         (c.century - 20) * 2 + (int)c.sex, c.birth_year % 100);
		if (memcmp(head, s, 6) != 0 ||
		    strcmp(c.place_code, (char[4]){s[0], s[1], s[2], 0}) != 0)
			abort();
		struct cccd again;
		if (cccd_parse(c.number, CCCD_NO_DATE, &again, NULL) != ERR_OK || !same(&again, &c))
			abort();
		if (cccd_check(&c, vntime_days_from_civil(c.birth_year, 1, 1), (int)c.sex, NULL) !=
		            ERR_OK ||
		    cccd_check(&c, vntime_days_from_civil(c.birth_year + 1, 1, 1), CCCD_NO_SEX,
		               NULL) != ERR_CCCD_MISMATCH ||
		    cccd_check(&c, CCCD_NO_DATE, 1 - (int)c.sex, NULL) != ERR_CCCD_MISMATCH)
			abort();
		/* With a today, the only extra refusal is a birth year after today's year. */
		enum err_code rc = cccd_parse(s, today, &again, NULL);
		int year = vntime_civil_from_days(today).year;
		if ((rc == ERR_OK) != (c.birth_year <= year))
			abort();
	} else {
		if (e.code != ERR_INVALID_CCCD || e.detail[0] == '\0')
			abort();
	}
	free(s);
	return 0;
}
