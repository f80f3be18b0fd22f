/*
 * str: small string helpers (see str.h).
 */
#include "base/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool str_has_prefix(const char *s, const char *prefix)
{
	return s && prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_empty(const char *s)
{
	return !s || !*s;
}

int str_copy(char *dst, size_t n, const char *src)
{
	if (n == 0)
		return -1;
	size_t len = strlen(src);
	if (len >= n) {
		memcpy(dst, src, n - 1);
		dst[n - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

int str_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (str_empty(s))
		return -1;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!str_all_digits(p))
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int str_parse_bool(const char *s, bool *out)
{
	static const char *yes[] = {"true", "yes", "on", "1"};
	static const char *no[] = {"false", "no", "off", "0"};
	if (!s)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

bool str_all_digits(const char *s)
{
	if (str_empty(s))
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool str_valid_utf8(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (p[n]) {
		if (n >= max)
			return false;
		unsigned c = p[n];
		size_t len;
		unsigned cp;
		if (c < 0x80) {
			n++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i < len; i++) {
			if ((p[n + i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[n + i] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		n += len;
	}
	return n <= max;
}
