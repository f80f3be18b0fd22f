/*
 * Fuzz target for domain/lunar. The bytes are read two ways:
 * - as text: when it is a valid "YYYY-MM-DD", solar -> lunar -> solar must give
 *   the same day inside LUNAR_MIN_YEAR..LUNAR_MAX_YEAR, and the lunar date must
 *   be well formed (day within its month's length, leap only in the leap month);
 *   outside the range the answer must be ERR_DATE_OUT_OF_CALENDAR;
 * - as binary fields (day, month, year as 32-bit integers and a leap byte):
 *   lunar_to_solar must never crash, and when it succeeds the day must convert
 *   back to the same lunar date; the can-chi and length functions take any value.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/lunar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
	int64_t days, back;
	struct lunar_date ld;
	char name[LUNAR_CANCHI_LEN];
	if (vntime_parse_date(s, &days) != 0)
		return;
	bool inside = days >= vntime_days_from_civil(LUNAR_MIN_YEAR, 1, 1) &&
	              days <= vntime_days_from_civil(LUNAR_MAX_YEAR, 12, 31);
	enum err_code rc = lunar_from_solar(days, &ld, NULL);
	if (!inside) {
		if (rc != ERR_DATE_OUT_OF_CALENDAR)
			abort();
		return;
	}
	if (rc != ERR_OK || ld.month < 1 || ld.month > 12 || ld.day < 1 ||
	    ld.day > lunar_month_length(ld.year, ld.month, ld.leap))
		abort();
	if (ld.leap && lunar_leap_month(ld.year) != ld.month)
		abort();
	if (lunar_to_solar(&ld, &back, NULL) != ERR_OK || back != days)
		abort();
	lunar_canchi_day(days, name);
	lunar_canchi_month(ld.year, ld.month, name);
	if (name[0] == '\0')
		abort();
}

static int32_t read_i32(const uint8_t *p)
{
	uint32_t v =
	        (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	int32_t out;
	memcpy(&out, &v, sizeof out);
	return out;
}

static void check_fields(const uint8_t *data, size_t size)
{
	if (size < 13)
		return;
	struct lunar_date ld = {read_i32(data), read_i32(data + 4), read_i32(data + 8),
	                        (data[12] & 1) != 0};
	char name[LUNAR_CANCHI_LEN];
	int64_t days = 0;
	struct err e;
	enum err_code rc = lunar_to_solar(&ld, &days, &e);
	if (rc == ERR_OK) {
		struct lunar_date back;
		if (lunar_from_solar(days, &back, NULL) != ERR_OK || back.day != ld.day ||
		    back.month != ld.month || back.year != ld.year || back.leap != ld.leap)
			abort();
	} else if (rc != ERR_INVALID_LUNAR_DATE && rc != ERR_DATE_OUT_OF_CALENDAR) {
		abort();
	}
	(void)lunar_month_length(ld.year, ld.month, ld.leap);
	(void)lunar_leap_month(ld.year);
	lunar_canchi_year(ld.year, name);
	lunar_canchi_month(ld.year, ld.month, name);
	int64_t any;
	memcpy(&any, data + (size >= 21 ? 13 : 0), sizeof any); /* size >= 13 */
	lunar_canchi_day(any, name);
	(void)lunar_from_solar(any, &ld, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_text(s);
	free(s);
	check_fields(data, size);
	return 0;
}
