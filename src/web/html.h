/*
 * html: an escaping HTML builder.
 *
 * Every page of the web layer is written through these functions, so that
 * text that came from a person or a database can only ever land in a page
 * as text. Two kinds of input exist:
 *   - markup: tag and attribute names, and html_raw()'s argument, which must
 *     be string literals or other text written by the programmers;
 *   - values: everything else (names, addresses, notes, query strings,
 *     numbers), written with html_text(), as attribute values of
 *     html_open() / html_void() / html_elem(), or with html_textf().
 * Values are escaped for both text and double-quoted attribute contexts
 * (& < > " ' become entities) and bytes that are not valid UTF-8 become
 * U+FFFD, so a name like <script>alert(1)</script> or " onmouseover=
 * shows as the characters typed. URLs in href/src/action attributes are
 * built by web_url() (web.h) from a local path and percent-encoded query
 * values; html_open() refuses an href, src or action value that does not
 * start with '/' or '#' (no javascript: or foreign links from data).
 *
 * The builder has a size cap; once a write fails the builder is marked
 * failed and ignores further writes, so callers check once at the end.
 */
#ifndef MOTCUA_WEB_HTML_H
#define MOTCUA_WEB_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define HTML_MAX (4u << 20) /* bytes of one page */

/* Pass as an attribute value for a boolean attribute (required, checked, ...). */
extern const char HTML_BOOL[];

struct html {
	struct buf b;
	bool failed; /* a write did not fit (cap or memory) or markup was refused */
};

void html_init(struct html *h, size_t max);
void html_release(struct html *h);

/* Trusted markup, written as is (a literal of the programmer's). */
void html_raw(struct html *h, const char *markup);

/* Trusted markup from a format with numeric or trusted-literal arguments. */
void html_rawf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A value, escaped. NULL writes nothing. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t n);

/* A formatted value, escaped after formatting. */
void html_textf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An integer, with '.' between groups of three digits as Vietnamese writes 1.234.567. */
void html_int(struct html *h, int64_t v);

/*
 * <tag name="value" ...>: the variadic arguments are name, value pairs
 * ended by NULL. A NULL value skips its attribute; HTML_BOOL writes the name
 * alone. Names must be literals.
 */
void html_open(struct html *h, const char *tag, ...) __attribute__((sentinel));

/* </tag> */
void html_close(struct html *h, const char *tag);

/* <tag attrs>text</tag> with text escaped (NULL: empty element). */
void html_elem(struct html *h, const char *tag, const char *text, ...) __attribute__((sentinel));

/* <tag attrs> for a void element (input, img, br, meta, link). */
void html_void(struct html *h, const char *tag, ...) __attribute__((sentinel));

/* Writes s escaped into out (NUL-terminated, at most outsz bytes); for tests. Returns 0 or -1. */
int html_escape(const char *s, char *out, size_t outsz);

/* The page so far (NUL-terminated) and its length. */
const char *html_str(const struct html *h, size_t *len);

/* Takes the page's memory (malloc'd, NUL-terminated); the builder is empty afterwards. */
char *html_detach(struct html *h, size_t *len);

#endif
