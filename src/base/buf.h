/*
 * buf: a growable byte buffer with a hard maximum size.
 *
 * The contents are always NUL-terminated (the NUL is not counted in len).
 * Appending past the maximum fails with -1 and leaves the buffer unchanged:
 * callers turn that into a clear error instead of growing without bound.
 */
#ifndef MOTCUA_BASE_BUF_H
#define MOTCUA_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NULL until the first append; then NUL-terminated */
	size_t len; /* bytes used, without the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed */
};

#define BUF_INIT(maxlen)                                                                           \
	{                                                                                          \
		NULL, 0, 0, (maxlen)                                                               \
	}

/* Prepares an empty buffer that may hold at most max bytes. */
void buf_init(struct buf *b, size_t max);

/* Frees the contents; the buffer is empty and reusable afterwards. */
void buf_release(struct buf *b);

/* Empties the buffer, keeping its allocation. */
void buf_reset(struct buf *b);

/* Appends n bytes. Returns 0, or -1 when the maximum or memory would be exceeded. */
int buf_append(struct buf *b, const void *data, size_t n);

/* Appends a NUL-terminated string. Returns 0 or -1. */
int buf_puts(struct buf *b, const char *s);

/* Appends one byte. Returns 0 or -1. */
int buf_putc(struct buf *b, char c);

/* Appends printf-formatted text. Returns 0 or -1. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The contents as a string ("" when nothing was appended). */
const char *buf_str(const struct buf *b);

/* Hands the contents over to the caller (free() it); the buffer becomes empty. */
char *buf_detach(struct buf *b);

#endif
