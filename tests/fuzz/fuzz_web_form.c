/*
 * Fuzz target for web_form_parse (web/web.h), the parser of posted
 * application/x-www-form-urlencoded bodies, and for the HTML escaper run
 * over whatever it accepted. Invariants checked (abort() on violation):
 *  - a refusal has a detail and one of the documented codes;
 *  - an accepted form has at most WEB_FORM_FIELDS fields, each name
 *    non-empty, names and values valid UTF-8 without NUL and without
 *    control characters in values other than CR, LF and tab;
 *  - the escaped text of every value holds none of < > " ' and no raw '&'
 *    that does not start a character reference written by the escaper.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "http/request.h"
#include "web/html.h"
#include "web/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_escaped(const char *s)
{
	struct html h;
	html_init(&h, HTML_MAX);
	html_text(&h, s);
	check(!h.failed);
	const char *out = html_str(&h, NULL);
	check(strpbrk(out, "<>\"'") == NULL);
	for (const char *a = strchr(out, '&'); a; a = strchr(a + 1, '&'))
		check(strncmp(a, "&amp;", 5) == 0 || strncmp(a, "&lt;", 4) == 0 ||
		      strncmp(a, "&gt;", 4) == 0 || strncmp(a, "&quot;", 6) == 0 ||
		      strncmp(a, "&#39;", 5) == 0);
	check(str_valid_utf8(out, strlen(out)));
	html_release(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > WEB_FORM_MAX)
		return 0;
	struct http_request req;
	http_request_init(&req, 0);
	struct http_params form;
	struct err e;
	err_clear(&e);
	enum err_code rc = web_form_parse(&req, (const char *)data, size, &form, &e);
	if (rc != ERR_OK) {
		check(rc == ERR_INVALID_ARGUMENT || rc == ERR_TOO_LONG || rc == ERR_NO_MEMORY);
		check(e.detail[0] != '\0' || rc == ERR_NO_MEMORY);
	} else {
		check(form.n <= WEB_FORM_FIELDS);
		for (size_t i = 0; i < form.n; i++) {
			const char *n = form.items[i].name, *v = form.items[i].value;
			check(n[0] != '\0');
			check(str_valid_utf8(n, strlen(n)) && str_valid_utf8(v, strlen(v)));
			for (const unsigned char *c = (const unsigned char *)v; *c; c++)
				check(*c >= 0x20 || *c == '\n' || *c == '\r' || *c == '\t');
			check_escaped(n);
			check_escaped(v);
		}
	}
	http_request_release(&req);
	return 0;
}
