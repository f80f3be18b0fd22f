/*
 * html: the escaping HTML builder (see html.h).
 */
#include "web/html.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char HTML_BOOL[] = "";

void html_init(struct html *h, size_t max)
{
	buf_init(&h->b, max);
	h->failed = false;
}

void html_release(struct html *h)
{
	buf_release(&h->b);
	h->failed = false;
}

static void put(struct html *h, const char *s, size_t n)
{
	if (!h->failed && buf_append(&h->b, s, n) != 0)
		h->failed = true;
}

void html_raw(struct html *h, const char *markup)
{
	if (markup)
		put(h, markup, strlen(markup));
}

void html_rawf(struct html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (!h->failed && buf_vprintf(&h->b, fmt, ap) != 0)
		h->failed = true;
	va_end(ap);
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when the
 * bytes there are not one (overlong forms, surrogates and code points past
 * U+10FFFF are invalid).
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void html_textn(struct html *h, const char *s, size_t n)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t start = 0, i = 0;
	while (i < n) {
		const char *ent = NULL;
		size_t step = 1;
		switch (p[i]) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		case 0:
			ent = "\xef\xbf\xbd";
			break;
		default:
			if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t' && p[i] != '\r') {
				ent = "\xef\xbf\xbd";
			} else if (p[i] >= 0x80) {
				step = utf8_len(p + i, n - i);
				if (step == 0) {
					ent = "\xef\xbf\xbd";
					step = 1;
				}
			}
		}
		if (ent) {
			put(h, s + start, i - start);
			put(h, ent, strlen(ent));
			i += step;
			start = i;
		} else {
			i += step;
		}
	}
	put(h, s + start, n - start);
}

void html_text(struct html *h, const char *s)
{
	if (s)
		html_textn(h, s, strlen(s));
}

void html_textf(struct html *h, const char *fmt, ...)
{
	char small[512];
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		h->failed = true;
	} else if ((size_t)n < sizeof small) {
		html_textn(h, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		if (!big) {
			h->failed = true;
		} else {
			vsnprintf(big, (size_t)n + 1, fmt, ap2);
			html_textn(h, big, (size_t)n);
			free(big);
		}
	}
	va_end(ap2);
}

void html_int(struct html *h, int64_t v)
{
	char digits[32], out[48];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = snprintf(digits, sizeof digits, "%" PRIu64, u);
	size_t o = 0;
	if (v < 0)
		out[o++] = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	put(h, out, o);
}

static bool is_url_attr(const char *name)
{
	return strcmp(name, "href") == 0 || strcmp(name, "src") == 0 ||
	       strcmp(name, "action") == 0 || strcmp(name, "formaction") == 0;
}

/* A path on this site ("/x", not the protocol-relative "//host") or a fragment. */
static bool local_url(const char *v)
{
	return v[0] == '#' || (v[0] == '/' && v[1] != '/' && v[1] != '\\');
}

static void attrs(struct html *h, va_list ap)
{
	for (;;) {
		const char *name = va_arg(ap, const char *);
		if (!name)
			break;
		const char *value = va_arg(ap, const char *);
		if (!value)
			continue;
		put(h, " ", 1);
		html_raw(h, name);
		if (value == HTML_BOOL)
			continue;
		if (is_url_attr(name) && !local_url(value)) {
			h->failed = true; /* a URL that is not local: a programming error */
			return;
		}
		put(h, "=\"", 2);
		html_text(h, value);
		put(h, "\"", 1);
	}
}

/* <tag name="value" ...> with the attribute pairs of ap. */
static void start_tag(struct html *h, const char *tag, va_list ap)
{
	put(h, "<", 1);
	html_raw(h, tag);
	attrs(h, ap);
	put(h, ">", 1);
}

void html_open(struct html *h, const char *tag, ...)
{
	va_list ap;
	va_start(ap, tag);
	start_tag(h, tag, ap);
	va_end(ap);
}

void html_void(struct html *h, const char *tag, ...)
{
	va_list ap;
	va_start(ap, tag);
	start_tag(h, tag, ap);
	va_end(ap);
}

void html_close(struct html *h, const char *tag)
{
	put(h, "</", 2);
	html_raw(h, tag);
	put(h, ">", 1);
}

void html_elem(struct html *h, const char *tag, const char *text, ...)
{
	va_list ap;
	va_start(ap, text);
	start_tag(h, tag, ap);
	va_end(ap);
	html_text(h, text);
	html_close(h, tag);
}

int html_escape(const char *s, char *out, size_t outsz)
{
	struct html h;
	html_init(&h, outsz > 0 ? outsz - 1 : 0);
	html_text(&h, s);
	int rc = h.failed ? -1 : 0;
	if (rc == 0 && outsz > 0) {
		memcpy(out, h.b.data ? h.b.data : "", h.b.len);
		out[h.b.len] = '\0';
	}
	html_release(&h);
	return rc;
}

const char *html_str(const struct html *h, size_t *len)
{
	if (len)
		*len = h->b.len;
	return h->b.data ? h->b.data : "";
}

char *html_detach(struct html *h, size_t *len)
{
	if (len)
		*len = h->b.len;
	char *d = buf_detach(&h->b);
	h->failed = false;
	return d;
}
