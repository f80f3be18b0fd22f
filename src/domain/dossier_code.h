/*
 * dossier_code: the code of an administrative-procedure dossier (mã số hồ
 * sơ), printed on the receipt and used in every exchange about the dossier.
 *
 * Short layout, Circular 01/2018/TT-VPCP Article 19:
 *     V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX     e.g. 000.00.01.H26-250425-0007
 *   the receiving unit's identifier (mã định danh, QCVN 102:2016/BTTTT, then
 *   Decision 20/2020/QĐ-TTg), the reception date (Vietnam time) and the
 *   4-digit sequence of the dossier among those the unit received that day.
 * Long layout, seen in newer systems (not confirmed in a legal text):
 *     UNIT-YYYYMMDD-NNNNNNN                   e.g. 000.00.01.H26-20250425-0000007
 *
 * Which layout a new code uses is chosen by reception date (configuration
 * dossier_code_long_from, passed in as long_from). A short-layout day that
 * receives more than 9,999 dossiers writes the 10,000th and later ones in the
 * long layout, so that codes stay unique and parseable; past 9,999,999 the
 * day's sequence is exhausted. The parser accepts both layouts.
 *
 * Each branch and service point has its own unit identifier, so the daily
 * sequence is per unit. The sequence itself is decided by the database.
 * Pure functions: no I/O, no clock.
 */
#ifndef MOTCUA_DOMAIN_DOSSIER_CODE_H
#define MOTCUA_DOMAIN_DOSSIER_CODE_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define DOSSIER_UNIT_LEN       13        /* "000.00.01.H26" */
#define DOSSIER_CODE_SIZE      31        /* longest code (long layout) + NUL */
#define DOSSIER_SHORT_SEQ_MAX  9999      /* 4 digits */
#define DOSSIER_LONG_SEQ_MAX   9999999   /* 7 digits */
#define DOSSIER_MIN_YEAR       2000      /* no code predates 2000 */
#define DOSSIER_SHORT_MAX_YEAR 2099      /* YY is read as 20YY */
#define DOSSIER_LONG_NEVER     INT64_MAX /* long_from value: never switch */

enum dossier_layout {
	DOSSIER_LAYOUT_SHORT = 0, /* UNIT-YYMMDD-NNNN */
	DOSSIER_LAYOUT_LONG = 1,  /* UNIT-YYYYMMDD-NNNNNNN */
};

/* A dossier code split into its parts. */
struct dossier_code {
	char unit[DOSSIER_UNIT_LEN + 1]; /* receiving unit's identifier */
	int64_t date;                    /* reception date, days since 1970-01-01 (Vietnam) */
	int32_t sequence;                /* 1..9999 (short) or 1..9999999 (long) */
	enum dossier_layout layout;
};

/*
 * Checks a unit identifier: four groups of 3, 2, 2 and 3 characters separated
 * by dots, digits and capital letters A-Z only, the last group a letter and
 * two digits (e.g. 000.00.01.H26, 000.A0.01.H26). Lower case is refused, not
 * folded. Returns ERR_OK or ERR_INVALID_ARGUMENT.
 */
enum err_code dossier_unit_check(const char *unit, struct err *e);

/*
 * Builds the code of a new dossier: unit, reception date (days, Vietnam
 * time), the day's sequence number (from 1) and long_from (the first
 * reception day of the long layout, or DOSSIER_LONG_NEVER). The layout is
 * long when date >= long_from, when sequence > 9999, or when the year is
 * after 2099; short otherwise.
 * Returns ERR_OK, ERR_INVALID_ARGUMENT (unit), ERR_INVALID_DATE (year outside
 * 2000..9999), ERR_OUT_OF_RANGE (sequence < 1) or ERR_SEQUENCE_EXHAUSTED
 * (sequence > 9999999).
 */
enum err_code dossier_code_make(const char *unit, int64_t date, int64_t sequence, int64_t long_from,
                                struct dossier_code *out, struct err *e);

/*
 * Writes the code into out (size bytes, DOSSIER_CODE_SIZE is always enough).
 * Returns ERR_OK, ERR_TOO_LONG when out is too small (out then holds ""), or
 * ERR_INVALID_ARGUMENT when *c is not a valid code.
 */
enum err_code dossier_code_format(const struct dossier_code *c, char *out, size_t size,
                                  struct err *e);

/*
 * Parses a code of either layout. The text is split at its last two hyphens:
 * the unit before, then the date (6 digits YYMMDD read as 20YY, or 8 digits
 * YYYYMMDD), then the sequence (4 digits with a 6-digit date, 7 with an
 * 8-digit one). The date must be real, the sequence at least 1. Nothing is
 * trimmed or folded, so that parse and format round-trip exactly.
 * Returns ERR_OK or ERR_INVALID_DOSSIER_CODE (also for NULL and "").
 */
enum err_code dossier_code_parse(const char *s, struct dossier_code *out, struct err *e);

/* "short" or "long". */
const char *dossier_layout_str(enum dossier_layout layout);

#endif
