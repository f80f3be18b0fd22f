/*
 * sql_rewrite: $N placeholders to SQLite's ?N, refusing non-portable SQL
 * (see sql_rewrite.h). A single left-to-right scan; no allocation.
 *
 * The token rules follow SQLite's tokenizer (tokenize.c in the SQLite
 * sources, documented at https://sqlite.org/lang_expr.html#varparam and
 * https://sqlite.org/lang_keywords.html): identifier characters are ASCII
 * letters, digits, '_', '$' and every byte >= 0x80, so "a$1" is one
 * identifier and not a parameter.
 */
#include "db/sql_rewrite.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	       c == '$' || c >= 0x80;
}

static enum err_code refuse(struct err *e, size_t at, const char *why)
{
	return err_set(e, ERR_INVALID_ARGUMENT, "sql at byte %zu: %s", at, why);
}

/* Skips a quoted run starting at sql[i] == q (the quote doubled inside). Returns the
 * index after the closing quote, or 0 when unterminated. */
static size_t skip_quoted(const char *sql, size_t n, size_t i, char q)
{
	for (i++; i < n; i++) {
		if (sql[i] != q)
			continue;
		if (i + 1 < n && sql[i + 1] == q) {
			i++;
			continue;
		}
		return i + 1;
	}
	return 0;
}

enum err_code sql_rewrite_sqlite(const char *sql, char *out, size_t outsz, int *max_param,
                                 struct err *e)
{
	size_t n = strlen(sql);
	if (outsz < n + 1) {
		if (outsz)
			out[0] = '\0';
		return err_set(e, ERR_TOO_LONG, "sql of %zu bytes does not fit in %zu", n, outsz);
	}
	memcpy(out, sql, n + 1);
	int maxp = 0;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)sql[i];
		unsigned char next = i + 1 < n ? (unsigned char)sql[i + 1] : '\0';
		if (c == '\'' || c == '"') {
			size_t end = skip_quoted(sql, n, i, (char)c);
			if (!end)
				return refuse(e, i,
				              c == '\'' ? "unterminated string literal"
				                        : "unterminated quoted identifier");
			i = end;
		} else if (c == '-' && next == '-') {
			while (i < n && sql[i] != '\n')
				i++;
		} else if (c == '/' && next == '*') {
			size_t start = i;
			for (i += 2;; i++) {
				if (i + 1 >= n)
					return refuse(e, start, "unterminated block comment");
				if (sql[i] == '*' && sql[i + 1] == '/')
					break;
				if (sql[i] == '/' && sql[i + 1] == '*')
					return refuse(e, i,
					              "nested block comment (engines differ)");
			}
			i += 2;
		} else if (c == '$') {
			size_t start = i++;
			if (i >= n || !is_digit((unsigned char)sql[i]))
				return refuse(e, start,
				              "'$' must be followed by a parameter number");
			if (sql[i] == '0')
				return refuse(e, start,
				              "parameter numbers start at $1, without leading 0");
			int v = 0;
			while (i < n && is_digit((unsigned char)sql[i])) {
				v = v * 10 + (sql[i] - '0');
				if (v > SQL_REWRITE_MAX_PARAM)
					return refuse(e, start, "parameter number above $999");
				i++;
			}
			if (i < n && is_ident((unsigned char)sql[i]))
				return refuse(e, start, "parameter number runs into a name");
			out[start] = '?';
			if (v > maxp)
				maxp = v;
		} else if (is_ident(c)) {
			while (i < n && is_ident((unsigned char)sql[i]))
				i++;
		} else if (c == '?') {
			return refuse(e, i, "'?' placeholder; write $1, $2, ...");
		} else if (c == ':') {
			return refuse(e, i,
			              next == ':' ? "'::' cast; write CAST(x AS type)"
			                          : "':' (named parameter); write $1, $2, ...");
		} else if (c == '@' || c == '#') {
			return refuse(e, i,
			              "'@' or '#' (named parameter or operator of one engine)");
		} else if (c == '[' || c == '`') {
			return refuse(e, i, "'[' or '`' quoting; write \"name\"");
		} else {
			i++;
		}
	}
	if (max_param)
		*max_param = maxp;
	return ERR_OK;
}
