/*
 * qr: QR codes (ISO/IEC 18004) through libqrencode, as a plain matrix of
 * modules that src/doc/pdf.c draws as vector squares.
 *
 * Documents carry the public address of the dossier's status look-up
 * (PUBLIC_URL/lookup?code=CODE) or of the verification page; these are
 * short URLs, encoded in byte mode at error-correction level M (15 % of the
 * code may be damaged), the smallest version that holds them.
 */
#ifndef MOTCUA_DOC_QR_H
#define MOTCUA_DOC_QR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define QR_TEXT_MAX   1024 /* bytes of text encoded in one code */
#define QR_QUIET_ZONE 4    /* light modules around the code (the standard's minimum) */

/* A square of width x width modules, row by row; modules[i] is 1 for dark. */
struct qr_code {
	int width;
	int version; /* 1..40 */
	unsigned char *modules;
};

/*
 * Encodes text (1..QR_TEXT_MAX bytes) into *out. Returns ERR_OK,
 * ERR_INVALID_ARGUMENT for empty text, ERR_TOO_LONG when it is longer than
 * QR_TEXT_MAX, ERR_NO_MEMORY. Release with qr_release() in every case.
 */
enum err_code qr_encode(const char *text, struct qr_code *out, struct err *e);

/* True when the module at column x, row y is dark (false outside the code). */
bool qr_dark(const struct qr_code *q, int x, int y);

/* Frees the modules; q is empty afterwards. */
void qr_release(struct qr_code *q);

#endif
