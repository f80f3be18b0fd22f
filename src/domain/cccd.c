/*
 * cccd: checks and decodes the 12-digit personal identification number (see
 * cccd.h for the layout and its sources). The place tables are data files:
 * provinces.def (official) and cccd_abroad.def (unconfirmed ranges).
 */
#include "domain/cccd.h"

#include <string.h>

#include "base/vntime.h"

static const struct cccd_province provinces[] = {
#define PROVINCE(code, name) {code, name},
#include "domain/provinces.def"
#undef PROVINCE
};

#define N_PROVINCES (sizeof provinces / sizeof provinces[0])

static const struct cccd_abroad_range abroad[] = {
#define ABROAD(first, last, status, source) {first, last, status, source},
#include "domain/cccd_abroad.def"
#undef ABROAD
};

#define N_ABROAD (sizeof abroad / sizeof abroad[0])

const struct cccd_province *cccd_provinces(size_t *n)
{
	*n = N_PROVINCES;
	return provinces;
}

const struct cccd_abroad_range *cccd_abroad_ranges(size_t *n)
{
	*n = N_ABROAD;
	return abroad;
}

const char *cccd_province_name(int code)
{
	size_t lo = 0, hi = N_PROVINCES;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (provinces[mid].code == code)
			return provinces[mid].name;
		if (provinces[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct cccd_abroad_range *abroad_find(int code)
{
	for (size_t i = 0; i < N_ABROAD; i++)
		if (code >= abroad[i].first && code <= abroad[i].last)
			return &abroad[i];
	return NULL;
}

const char *cccd_sex_str(enum cccd_sex sex)
{
	return sex == CCCD_FEMALE ? "female" : "male";
}

int cccd_sex_parse(const char *s, enum cccd_sex *out)
{
	if (!s)
		return -1;
	if (strcmp(s, "male") == 0 || strcmp(s, "nam") == 0) {
		*out = CCCD_MALE;
		return 0;
	}
	if (strcmp(s, "female") == 0 || strcmp(s, "nữ") == 0) {
		*out = CCCD_FEMALE;
		return 0;
	}
	return -1;
}

const char *cccd_place_status_str(enum cccd_place_status status)
{
	return status == CCCD_PLACE_OFFICIAL ? "official" : "unconfirmed";
}

static int digit(char c)
{
	return c - '0';
}

enum err_code cccd_parse(const char *s, int64_t today, struct cccd *out, struct err *e)
{
	if (!s || !*s)
		return err_set(e, ERR_INVALID_CCCD, "the personal identification number is empty");

	/* Look at no more than one byte past the expected length. */
	size_t len = strnlen(s, CCCD_LEN + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			continue;
		if (c == ' ' || c == '\t')
			return err_set(
			        e, ERR_INVALID_CCCD,
			        "character %zu of the personal identification number is a space; "
			        "write the 12 digits without spaces",
			        i + 1);
		return err_set(e, ERR_INVALID_CCCD,
		               "character %zu of the personal identification number is not a digit "
		               "(0-9)",
		               i + 1);
	}
	if (len > CCCD_LEN)
		return err_set(e, ERR_INVALID_CCCD,
		               "the personal identification number has more than %d digits",
		               CCCD_LEN);
	if (len < CCCD_LEN)
		return err_set(e, ERR_INVALID_CCCD,
		               "the personal identification number has %zu digits, expected %d",
		               len, CCCD_LEN);

	struct cccd c;
	memset(&c, 0, sizeof c);
	memcpy(c.number, s, CCCD_LEN);
	memcpy(c.place_code, s, CCCD_PLACE_LEN);
	c.place = digit(s[0]) * 100 + digit(s[1]) * 10 + digit(s[2]);

	const char *province = cccd_province_name(c.place);
	const struct cccd_abroad_range *range = province ? NULL : abroad_find(c.place);
	if (province) {
		c.province = province;
		c.place_status = CCCD_PLACE_OFFICIAL;
	} else if (range) {
		c.registered_abroad = true;
		c.place_status = range->status;
	} else {
		return err_set(e, ERR_INVALID_CCCD,
		               "unknown place of birth registration code '%s' (digits 1-3)",
		               c.place_code);
	}

	int cs = digit(s[3]);
	c.sex = cs % 2 ? CCCD_FEMALE : CCCD_MALE;
	c.century = 20 + cs / 2;
	c.birth_year = CCCD_FIRST_YEAR + (cs / 2) * 100 + digit(s[4]) * 10 + digit(s[5]);

	if (today != CCCD_NO_DATE) {
		struct vndate t = vntime_civil_from_days(today);
		if (c.birth_year > t.year)
			return err_set(e, ERR_INVALID_CCCD,
			               "the year of birth %d (digits 4-6) is in the future",
			               c.birth_year);
	}
	*out = c;
	return ERR_OK;
}

enum err_code cccd_check(const struct cccd *c, int64_t birth_days, int sex, struct err *e)
{
	if (sex != CCCD_NO_SEX && sex != CCCD_MALE && sex != CCCD_FEMALE)
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid sex value %d", sex);

	bool year_differs = false, sex_differs = false;
	struct vndate born = {0, 0, 0};
	if (birth_days != CCCD_NO_DATE) {
		born = vntime_civil_from_days(birth_days);
		year_differs = born.year != c->birth_year;
	}
	if (sex != CCCD_NO_SEX)
		sex_differs = sex != (int)c->sex;

	if (year_differs && sex_differs)
		return err_set(
		        e, ERR_CCCD_MISMATCH,
		        "the number is of a %s born in %d, but the declared date of birth is "
		        "%04d-%02d-%02d and the declared sex is %s",
		        cccd_sex_str(c->sex), c->birth_year, born.year, born.month, born.day,
		        cccd_sex_str((enum cccd_sex)sex));
	if (year_differs)
		return err_set(
		        e, ERR_CCCD_MISMATCH,
		        "the number is of a person born in %d, but the declared date of birth "
		        "is %04d-%02d-%02d",
		        c->birth_year, born.year, born.month, born.day);
	if (sex_differs)
		return err_set(e, ERR_CCCD_MISMATCH,
		               "the number is of a %s, but the declared sex is %s",
		               cccd_sex_str(c->sex), cccd_sex_str((enum cccd_sex)sex));
	return ERR_OK;
}
