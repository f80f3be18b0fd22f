/*
 * error: the registry of error codes (errors.def) and a small carrier for an
 * error with its detail text.
 *
 * Functions that can fail return an enum err_code (ERR_OK = 0) and, when the
 * caller passes a struct err, fill in a detail sentence naming the subject in
 * quotes, e.g.  invalid date '2025-02-30'.
 */
#ifndef MOTCUA_BASE_ERROR_H
#define MOTCUA_BASE_ERROR_H

#include <stddef.h>

enum err_code {
#define ERR(id, code, status, vi, en) ERR_##id,
#include "base/errors.def"
#undef ERR
	ERR__COUNT
};

#define ERR_DETAIL_MAX 256

struct err {
	enum err_code code;
	char detail[ERR_DETAIL_MAX];
};

enum err_lang { ERR_LANG_VI = 0, ERR_LANG_EN = 1 };

/* The stable string code, e.g. "invalid_date". */
const char *err_code_str(enum err_code code);

/* The HTTP status that goes with the code. */
int err_http_status(enum err_code code);

/* The hint in Vietnamese or English. */
const char *err_hint(enum err_code code, enum err_lang lang);

/* Looks a string code up; returns ERR__COUNT when unknown. */
enum err_code err_from_str(const char *code);

/*
 * Records code and a printf-style detail in *e (when e is not NULL) and
 * returns code, so that callers can write: return err_set(e, ERR_X, "...", ...);
 */
enum err_code err_set(struct err *e, enum err_code code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Clears *e to ERR_OK with an empty detail. */
void err_clear(struct err *e);

#endif
