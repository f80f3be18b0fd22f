/*
 * dossier_code: makes, formats and parses dossier codes in the short layout
 * of Circular 01/2018/TT-VPCP (UNIT-YYMMDD-NNNN) and the long layout
 * (UNIT-YYYYMMDD-NNNNNNN); see dossier_code.h for the rules.
 */
#include "domain/dossier_code.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"

/* Lengths of the four groups of a unit identifier: V1V2V3.Z1Z2.Y1Y2.MX1X2. */
static const size_t unit_groups[4] = {3, 2, 2, 3};

#define SHORT_DATE_DIGITS 6
#define LONG_DATE_DIGITS  8
#define SHORT_SEQ_DIGITS  4
#define LONG_SEQ_DIGITS   7

const char *dossier_layout_str(enum dossier_layout layout)
{
	return layout == DOSSIER_LAYOUT_LONG ? "long" : "short";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Checks the unit identifier held in s[0..len); the detail names the fault. */
static enum err_code unit_check_n(const char *s, size_t len, enum err_code code, struct err *e)
{
	if (len != DOSSIER_UNIT_LEN)
		return err_set(
		        e, code,
		        "the unit identifier must have %d characters like 000.00.01.H26, not %zu",
		        DOSSIER_UNIT_LEN, len);
	size_t pos = 0;
	for (int g = 0; g < 4; g++) {
		if (g > 0) {
			if (s[pos] != '.')
				return err_set(e, code,
				               "character %zu of the unit identifier must be a dot "
				               "(form 000.00.01.H26)",
				               pos + 1);
			pos++;
		}
		for (size_t k = 0; k < unit_groups[g]; k++, pos++) {
			char c = s[pos];
			if (c >= 'a' && c <= 'z')
				return err_set(
				        e, code,
				        "character %zu of the unit identifier is a lower-case "
				        "letter; use capitals",
				        pos + 1);
			bool ok = is_digit(c) || is_upper(c);
			/* The last group is MX1X2: a letter, then two digits. */
			if (g == 3)
				ok = k == 0 ? is_upper(c) : is_digit(c);
			if (!ok)
				return err_set(e, code,
				               "character %zu of the unit identifier must be %s",
				               pos + 1,
				               g < 3    ? "a digit or a capital letter"
				               : k == 0 ? "a capital letter"
				                        : "a digit");
		}
	}
	return ERR_OK;
}

enum err_code dossier_unit_check(const char *unit, struct err *e)
{
	if (!unit || !*unit)
		return err_set(e, ERR_INVALID_ARGUMENT, "the unit identifier is empty");
	return unit_check_n(unit, strnlen(unit, DOSSIER_UNIT_LEN + 1), ERR_INVALID_ARGUMENT, e);
}

/* The last hyphen in s[0..n), or NULL. */
static const char *last_hyphen(const char *s, size_t n)
{
	while (n > 0)
		if (s[--n] == '-')
			return s + n;
	return NULL;
}

/* True when s[0..n) are all digits; *v receives their value. n <= 9. */
static bool digits_value(const char *s, size_t n, int64_t *v)
{
	int64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

static bool year_ok(int year, enum dossier_layout layout)
{
	return year >= DOSSIER_MIN_YEAR &&
	       year <= (layout == DOSSIER_LAYOUT_SHORT ? DOSSIER_SHORT_MAX_YEAR : VNTIME_MAX_YEAR);
}

enum err_code dossier_code_make(const char *unit, int64_t date, int64_t sequence, int64_t long_from,
                                struct dossier_code *out, struct err *e)
{
	enum err_code rc = dossier_unit_check(unit, e);
	if (rc != ERR_OK)
		return rc;
	/* Guard the day count before converting it, so that any int64 is safe. */
	if (date < vntime_days_from_civil(DOSSIER_MIN_YEAR, 1, 1) ||
	    date > vntime_days_from_civil(VNTIME_MAX_YEAR, 12, 31))
		return err_set(e, ERR_INVALID_DATE,
		               "the reception date must lie between %d-01-01 and %d-12-31",
		               DOSSIER_MIN_YEAR, VNTIME_MAX_YEAR);
	if (sequence < 1)
		return err_set(e, ERR_OUT_OF_RANGE,
		               "the sequence number must be at least 1, not %lld",
		               (long long)sequence);
	if (sequence > DOSSIER_LONG_SEQ_MAX)
		return err_set(e, ERR_SEQUENCE_EXHAUSTED,
		               "sequence number %lld exceeds the daily maximum of %d",
		               (long long)sequence, DOSSIER_LONG_SEQ_MAX);

	struct vndate d = vntime_civil_from_days(date);
	struct dossier_code c;
	memset(&c, 0, sizeof c);
	memcpy(c.unit, unit, DOSSIER_UNIT_LEN);
	c.date = date;
	c.sequence = (int32_t)sequence;
	c.layout = DOSSIER_LAYOUT_SHORT;
	if (date >= long_from || sequence > DOSSIER_SHORT_SEQ_MAX ||
	    d.year > DOSSIER_SHORT_MAX_YEAR)
		c.layout = DOSSIER_LAYOUT_LONG;
	*out = c;
	return ERR_OK;
}

enum err_code dossier_code_format(const struct dossier_code *c, char *out, size_t size,
                                  struct err *e)
{
	if (size > 0)
		out[0] = '\0';
	if (unit_check_n(c->unit, strnlen(c->unit, sizeof c->unit), ERR_INVALID_ARGUMENT, e) !=
	    ERR_OK)
		return ERR_INVALID_ARGUMENT;
	if (c->layout != DOSSIER_LAYOUT_SHORT && c->layout != DOSSIER_LAYOUT_LONG)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown dossier code layout %d",
		               (int)c->layout);
	bool is_long = c->layout == DOSSIER_LAYOUT_LONG;
	int32_t max = is_long ? DOSSIER_LONG_SEQ_MAX : DOSSIER_SHORT_SEQ_MAX;
	if (c->sequence < 1 || c->sequence > max)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "sequence number %ld does not fit the %s layout (1..%ld)",
		               (long)c->sequence, dossier_layout_str(c->layout), (long)max);
	if (c->date < vntime_days_from_civil(DOSSIER_MIN_YEAR, 1, 1) ||
	    c->date > vntime_days_from_civil(VNTIME_MAX_YEAR, 12, 31))
		return err_set(e, ERR_INVALID_ARGUMENT, "reception date out of range");
	struct vndate d = vntime_civil_from_days(c->date);
	if (!year_ok(d.year, c->layout))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "year %d cannot be written in the %s layout", d.year,
		               dossier_layout_str(c->layout));

	int n;
	if (is_long)
		n = snprintf(out, size, "%s-%04d%02d%02d-%07ld", c->unit, d.year, d.month, d.day,
		             (long)c->sequence);
	else
		n = snprintf(out, size, "%s-%02d%02d%02d-%04ld", c->unit, d.year % 100, d.month,
		             d.day, (long)c->sequence);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			out[0] = '\0';
		return err_set(e, ERR_TOO_LONG,
		               "a buffer of %zu bytes is too small for a dossier code", size);
	}
	return ERR_OK;
}

enum err_code dossier_code_parse(const char *s, struct dossier_code *out, struct err *e)
{
	const enum err_code bad = ERR_INVALID_DOSSIER_CODE;
	if (!s || !*s)
		return err_set(e, bad, "the dossier code is empty");
	size_t len = strnlen(s, DOSSIER_CODE_SIZE);
	if (len >= DOSSIER_CODE_SIZE)
		return err_set(e, bad, "the dossier code is longer than %d characters",
		               DOSSIER_CODE_SIZE - 1);

	/* Split at the last two hyphens. */
	const char *h2 = last_hyphen(s, len);
	const char *h1 = h2 ? last_hyphen(s, (size_t)(h2 - s)) : NULL;
	if (!h1)
		return err_set(e, bad,
		               "the dossier code must have the form UNIT-YYMMDD-NNNN or "
		               "UNIT-YYYYMMDD-NNNNNNN");
	const char *date_s = h1 + 1, *seq_s = h2 + 1;
	size_t unit_len = (size_t)(h1 - s);
	size_t date_len = (size_t)(h2 - date_s);
	size_t seq_len = len - (size_t)(seq_s - s);

	struct err ue;
	if (unit_check_n(s, unit_len, bad, &ue) != ERR_OK) {
		if (memchr(s, '-', unit_len))
			return err_set(e, bad, "the dossier code has too many hyphens");
		return err_set(e, bad, "%s", ue.detail);
	}

	enum dossier_layout layout;
	if (date_len == SHORT_DATE_DIGITS)
		layout = DOSSIER_LAYOUT_SHORT;
	else if (date_len == LONG_DATE_DIGITS)
		layout = DOSSIER_LAYOUT_LONG;
	else
		return err_set(e, bad,
		               "the reception date of a dossier code has 6 digits (YYMMDD) or 8 "
		               "(YYYYMMDD), not %zu",
		               date_len);
	int64_t dv, sv;
	if (!digits_value(date_s, date_len, &dv))
		return err_set(e, bad, "the reception date of a dossier code must be digits only");
	size_t want_seq = layout == DOSSIER_LAYOUT_LONG ? LONG_SEQ_DIGITS : SHORT_SEQ_DIGITS;
	if (seq_len != want_seq)
		return err_set(e, bad,
		               "the sequence number must have %zu digits after the %zu-digit date, "
		               "not %zu",
		               want_seq, date_len, seq_len);
	if (!digits_value(seq_s, seq_len, &sv))
		return err_set(e, bad, "the sequence number of a dossier code must be digits only");
	if (sv < 1)
		return err_set(e, bad, "the sequence number of a dossier code starts at 1, not 0");

	int year, month = (int)(dv / 100 % 100), day = (int)(dv % 100);
	if (layout == DOSSIER_LAYOUT_SHORT)
		year = DOSSIER_MIN_YEAR + (int)(dv / 10000);
	else
		year = (int)(dv / 10000);
	if (!vntime_valid_date(year, month, day))
		return err_set(e, bad,
		               "the reception date '%.*s' of the dossier code is not a real date",
		               (int)date_len, date_s);
	if (!year_ok(year, layout))
		return err_set(e, bad, "the reception year %d of the dossier code is before %d",
		               year, DOSSIER_MIN_YEAR);

	struct dossier_code c;
	memset(&c, 0, sizeof c);
	memcpy(c.unit, s, DOSSIER_UNIT_LEN);
	c.date = vntime_days_from_civil(year, month, day);
	c.sequence = (int32_t)sv;
	c.layout = layout;
	*out = c;
	return ERR_OK;
}
