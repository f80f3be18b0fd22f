/*
 * fuzz_vntime: the date and time parsers of base/vntime on arbitrary bytes.
 * Invariants: a parsed date formats back to the same text; a parsed instant
 * formats (in Vietnam time) to text that parses to the same instant; HH:MM
 * stays within a day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	int64_t days;
	if (vntime_parse_date(s, &days) == 0) {
		char out[VNTIME_DATE_LEN];
		vntime_format_date(days, out);
		if (strcmp(out, s) != 0)
			abort();
	}
	int64_t t;
	if (vntime_parse_datetime(s, &t) == 0) {
		char out[VNTIME_DATETIME_LEN];
		int64_t back;
		vntime_format_datetime(t, out);
		if (vntime_parse_datetime(out, &back) != 0 || back != t)
			abort();
	}
	int sec;
	if (vntime_parse_hhmm(s, &sec) == 0 && (sec < 0 || sec > 86400))
		abort();
	return 0;
}
