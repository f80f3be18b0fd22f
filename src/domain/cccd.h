/*
 * cccd: the 12-digit personal identification number (số định danh cá nhân),
 * the number printed on the citizen identity card (thẻ căn cước công dân,
 * now thẻ căn cước).
 *
 * Layout (Decree 137/2015/NĐ-CP Article 13, Circular 07/2016/TT-BCA Article 7,
 * kept by Circular 59/2021/TT-BCA):
 *   digits 1-3   place where the birth was registered: a province code
 *                (provinces.def) or, for births registered abroad, a country
 *                code (cccd_abroad.def, unconfirmed);
 *   digit  4     century and sex: 0/1 = 1900s male/female, 2/3 = 2000s,
 *                4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s;
 *   digits 5-6   last two digits of the year of birth;
 *   digits 7-12  random. There is no check digit.
 * The Law on Identification 2023 (26/2023/QH15, Article 12) only says "12
 * digits"; see docs/identifiers.md for what that means for validation.
 *
 * Pure functions: no I/O, no clock. "Today" is a parameter.
 */
#ifndef MOTCUA_DOMAIN_CCCD_H
#define MOTCUA_DOMAIN_CCCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define CCCD_LEN        12        /* digits in a number */
#define CCCD_PLACE_LEN  3         /* digits of the place code */
#define CCCD_FIRST_YEAR 1900      /* century digit 0 */
#define CCCD_LAST_YEAR  2399      /* century digit 9 */
#define CCCD_NO_DATE    INT64_MIN /* "no date given" for day-count parameters */
#define CCCD_NO_SEX     (-1)      /* "no sex given" for cccd_check() */

enum cccd_sex { CCCD_MALE = 0, CCCD_FEMALE = 1 };

/* How sure we are of a place code's meaning. */
enum cccd_place_status {
	CCCD_PLACE_OFFICIAL = 0,    /* read in an official text */
	CCCD_PLACE_UNCONFIRMED = 1, /* known range, meaning not confirmed */
};

/* A decoded number. The strings point to static data; nothing to free. */
struct cccd {
	char number[CCCD_LEN + 1];           /* the 12 digits */
	char place_code[CCCD_PLACE_LEN + 1]; /* digits 1-3, e.g. "001" */
	int place;                           /* the same as an integer, 1..999 */
	bool registered_abroad;              /* place is a country code */
	const char *province;                /* Vietnamese name, NULL when abroad */
	const char *country;                 /* country name, NULL when not known */
	enum cccd_place_status place_status;
	enum cccd_sex sex;
	int century;    /* 20..24 (the 20th century is 1900-1999) */
	int birth_year; /* 1900..2399 */
};

/* One row of the province table. */
struct cccd_province {
	int code;         /* 1..96 */
	const char *name; /* with diacritics, e.g. "Hà Nội" */
};

/* One row of the table of codes for births registered abroad (a range). */
struct cccd_abroad_range {
	int first, last; /* inclusive, 1..999 */
	enum cccd_place_status status;
	const char *source;
};

/*
 * Checks and decodes s: exactly 12 ASCII digits, a known place code and a
 * birth year not after the year of today (days since 1970-01-01 in Vietnam
 * time, or CCCD_NO_DATE to skip that check). Fills *out on success.
 * Returns ERR_OK or ERR_INVALID_CCCD (also for NULL and "").
 * Error details name the rule that failed and never echo the whole number.
 */
enum err_code cccd_parse(const char *s, int64_t today, struct cccd *out, struct err *e);

/*
 * Checks a decoded number against a declared date of birth (days, or
 * CCCD_NO_DATE) and sex (enum cccd_sex, or CCCD_NO_SEX). Only the year of the
 * date can be compared: the number holds no month or day.
 * Returns ERR_OK or ERR_CCCD_MISMATCH (detail says which part differs), or
 * ERR_INVALID_ARGUMENT for a sex value out of range.
 */
enum err_code cccd_check(const struct cccd *c, int64_t birth_days, int sex, struct err *e);

/* Name of a province code (1..96), or NULL when the code is not a province. */
const char *cccd_province_name(int code);

/* The province table in ascending order of code; *n receives its length (63). */
const struct cccd_province *cccd_provinces(size_t *n);

/* The abroad table (cccd_abroad.def) in ascending order; *n receives its length. */
const struct cccd_abroad_range *cccd_abroad_ranges(size_t *n);

/* "male" or "female". */
const char *cccd_sex_str(enum cccd_sex sex);

/* Parses "male" / "female" (also "nam" / "nữ"). Returns 0 or -1. */
int cccd_sex_parse(const char *s, enum cccd_sex *out);

/* "official" or "unconfirmed". */
const char *cccd_place_status_str(enum cccd_place_status status);

#endif
