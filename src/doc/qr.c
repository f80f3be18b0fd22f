/*
 * qr: libqrencode behind a small matrix type (see qr.h).
 */
#include "doc/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

enum err_code qr_encode(const char *text, struct qr_code *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!text || !*text)
		return err_set(e, ERR_INVALID_ARGUMENT, "nothing to encode in a QR code");
	if (strlen(text) > QR_TEXT_MAX)
		return err_set(e, ERR_TOO_LONG, "a QR code holds at most %d bytes here",
		               QR_TEXT_MAX);
	errno = 0;
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return errno == ERANGE
		               ? err_set(e, ERR_TOO_LONG, "the text does not fit a QR code")
		               : err_set(e, ERR_NO_MEMORY, "out of memory encoding a QR code");
	size_t n = (size_t)q->width * (size_t)q->width;
	out->modules = malloc(n);
	if (!out->modules) {
		QRcode_free(q);
		return err_set(e, ERR_NO_MEMORY, "out of memory encoding a QR code");
	}
	for (size_t i = 0; i < n; i++)
		out->modules[i] = q->data[i] & 1;
	out->width = q->width;
	out->version = q->version;
	QRcode_free(q);
	return ERR_OK;
}

bool qr_dark(const struct qr_code *q, int x, int y)
{
	if (!q->modules || x < 0 || y < 0 || x >= q->width || y >= q->width)
		return false;
	return q->modules[(size_t)y * (size_t)q->width + (size_t)x] != 0;
}

void qr_release(struct qr_code *q)
{
	free(q->modules);
	memset(q, 0, sizeof *q);
}
