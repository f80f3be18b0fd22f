/*
 * error: the error registry built from errors.def.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct err_entry {
	const char *code;
	int status;
	const char *hint[2];
};

static const struct err_entry err_table[ERR__COUNT] = {
#define ERR(id, code, status, vi, en) [ERR_##id] = {code, status, {vi, en}},
#include "base/errors.def"
#undef ERR
};

static const struct err_entry *entry(enum err_code code)
{
	if ((unsigned)code >= ERR__COUNT)
		return &err_table[ERR_INTERNAL];
	return &err_table[code];
}

const char *err_code_str(enum err_code code)
{
	return entry(code)->code;
}

int err_http_status(enum err_code code)
{
	return entry(code)->status;
}

const char *err_hint(enum err_code code, enum err_lang lang)
{
	return entry(code)->hint[lang == ERR_LANG_EN ? 1 : 0];
}

enum err_code err_from_str(const char *code)
{
	for (int i = 0; i < ERR__COUNT; i++)
		if (code && strcmp(err_table[i].code, code) == 0)
			return (enum err_code)i;
	return ERR__COUNT;
}

enum err_code err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		e->code = code;
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof e->detail, fmt, ap);
		va_end(ap);
	}
	return code;
}

void err_clear(struct err *e)
{
	if (e) {
		e->code = ERR_OK;
		e->detail[0] = '\0';
	}
}
