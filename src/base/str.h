/*
 * str: small string helpers used across the code base.
 */
#ifndef MOTCUA_BASE_STR_H
#define MOTCUA_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when both are non-NULL and equal. */
bool str_eq(const char *a, const char *b);

/* True when s starts with prefix. */
bool str_has_prefix(const char *s, const char *prefix);

/* True when s is NULL or "". */
bool str_empty(const char *s);

/*
 * Copies src into dst of size n, always NUL-terminated. Returns 0, or -1 when
 * src did not fit (dst then holds a truncated copy).
 */
int str_copy(char *dst, size_t n, const char *src);

/*
 * Parses a whole decimal integer (optional sign, no spaces, no trailing text)
 * within [min, max]. Returns 0 or -1.
 */
int str_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Parses "true/false/yes/no/on/off/1/0" (any case). Returns 0 or -1. */
int str_parse_bool(const char *s, bool *out);

/* True when every byte is an ASCII digit and there is at least one. */
bool str_all_digits(const char *s);

/* True when s is valid UTF-8 of at most max bytes (no NUL inside, no overlongs or surrogates). */
bool str_valid_utf8(const char *s, size_t max);

#endif
