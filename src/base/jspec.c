/*
 * jspec: declarative validation of JSON request bodies (see jspec.h).
 *
 * jspec_load() bounds and parses the text; jspec_parse() walks a spec array,
 * first refusing keys the spec does not list, then checking each listed field
 * in order. The path of the field being checked is kept in a small buffer so
 * that every error detail can name it ("applicant.birth_date"). Error details
 * are always valid UTF-8 without control characters, whatever the input, so
 * that they can be put in a JSON or HTML answer as they are.
 */
#include "base/jspec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"

/*
 * The path of the field being checked, e.g. "applicant.documents[2]". A path
 * that did not fit ends in "..." and has len > JPATH_ROOM; nothing more is
 * appended to it until it is popped back.
 */
struct jpath {
	char text[JSPEC_PATH_MAX];
	size_t len;
};

#define JPATH_ROOM (JSPEC_PATH_MAX - 4) /* keeps space for "..." and the NUL */

/* Length of the longest prefix of s[0..n] that ends on a UTF-8 character boundary. */
static size_t utf8_floor(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/*
 * Appends seglen bytes of seg to the path, after a "." unless the path is
 * empty or seg starts with "[". Control characters become '?'. When the path
 * would overflow, it is cut on a character boundary and ends with "...".
 * Returns the previous length, for jpath_pop.
 */
static size_t jpath_push(struct jpath *p, const char *seg, size_t seglen)
{
	size_t old = p->len;
	if (p->len > JPATH_ROOM)
		return old;
	if (p->len > 0 && seglen > 0 && seg[0] != '[' && p->len < JPATH_ROOM)
		p->text[p->len++] = '.';
	size_t n = seglen;
	bool cut = p->len + n > JPATH_ROOM;
	if (cut)
		n = utf8_floor(seg, JPATH_ROOM - p->len);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)seg[i];
		p->text[p->len++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
	}
	if (cut) {
		memcpy(p->text + p->len, "...", 3);
		p->len = JPATH_ROOM + 3; /* marks the path as cut */
		p->text[p->len] = '\0';
		return old;
	}
	p->text[p->len] = '\0';
	return old;
}

static void jpath_pop(struct jpath *p, size_t old)
{
	p->len = old;
	p->text[old] = '\0';
}

static bool flag(const struct jspec *f, unsigned fl)
{
	return (f->flags & fl) != 0;
}

/* Checks that a spec is well formed (recursively). */
static enum err_code spec_check(const struct jspec *spec, int depth, struct err *e)
{
	if (!spec || depth > JSPEC_MAX_DEPTH)
		return err_set(e, ERR_INTERNAL, "bad json spec: missing or too deep");
	for (const struct jspec *f = spec; f->type != JSPEC_T_END; f++) {
		bool ok = !str_empty(f->name);
		switch (f->type) {
		case JSPEC_T_STRING:
			ok = ok && f->target.str && f->max_len > 0;
			break;
		case JSPEC_T_INT64:
			ok = ok && f->target.i64 && f->min <= f->max;
			break;
		case JSPEC_T_DATE:
		case JSPEC_T_DATETIME:
			ok = ok && f->target.i64;
			break;
		case JSPEC_T_BOOL:
			ok = ok && f->target.b;
			break;
		case JSPEC_T_ENUM:
			ok = ok && f->target.index && f->choices && f->choices[0];
			break;
		case JSPEC_T_OBJECT:
			ok = ok && f->fields;
			break;
		case JSPEC_T_STRINGS:
			ok = ok && f->target.strings && f->max_len > 0;
			break;
		case JSPEC_T_JSON:
			ok = ok && f->target.json;
			break;
		default:
			ok = false;
		}
		if (!ok)
			return err_set(e, ERR_INTERNAL, "bad json spec for field '%.64s'",
			               f->name ? f->name : "(null)");
		if (f->type == JSPEC_T_OBJECT) {
			enum err_code rc = spec_check(f->fields, depth + 1, e);
			if (rc)
				return rc;
		}
	}
	return ERR_OK;
}

/* Sets every array target of the spec (recursively) empty. */
static void spec_reset_arrays(const struct jspec *spec)
{
	for (const struct jspec *f = spec; f->type != JSPEC_T_END; f++) {
		if (f->type == JSPEC_T_STRINGS) {
			f->target.strings->items = NULL;
			f->target.strings->count = 0;
		} else if (f->type == JSPEC_T_OBJECT) {
			spec_reset_arrays(f->fields);
		}
	}
}

void jspec_free(const struct jspec *spec)
{
	if (!spec)
		return;
	for (const struct jspec *f = spec; f->type != JSPEC_T_END; f++) {
		if (f->type == JSPEC_T_STRINGS && f->target.strings) {
			free(f->target.strings->items);
			f->target.strings->items = NULL;
			f->target.strings->count = 0;
		} else if (f->type == JSPEC_T_OBJECT) {
			jspec_free(f->fields);
		}
	}
}

/* Checks a JSON string against the string rules; on success *out is it. */
static enum err_code check_string(const json_t *v, const struct jspec *f, const struct jpath *p,
                                  const char **out, struct err *e)
{
	if (!json_is_string(v))
		return err_set(e, ERR_JSON_FIELD_TYPE, "field '%s' must be a string", p->text);
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (memchr(s, '\0', len))
		return err_set(e, ERR_JSON_FIELD_RANGE, "field '%s' contains a nul character",
		               p->text);
	if (len > f->max_len)
		return err_set(e, ERR_JSON_FIELD_RANGE, "field '%s' is longer than %zu bytes",
		               p->text, f->max_len);
	if (!str_valid_utf8(s, f->max_len))
		return err_set(e, ERR_JSON_FIELD_RANGE, "field '%s' is not valid utf-8", p->text);
	if (len == 0 && flag(f, JSPEC_NONEMPTY))
		return err_set(e, ERR_JSON_FIELD_RANGE, "field '%s' must not be empty", p->text);
	*out = s;
	return ERR_OK;
}

static enum err_code parse_object(const json_t *obj, const struct jspec *spec, struct jpath *p,
                                  struct err *e);

static enum err_code parse_strings(const json_t *v, const struct jspec *f, struct jpath *p,
                                   struct err *e)
{
	if (!json_is_array(v))
		return err_set(e, ERR_JSON_FIELD_TYPE, "field '%s' must be an array of strings",
		               p->text);
	size_t n = json_array_size(v);
	if (n > f->max_items)
		return err_set(e, ERR_JSON_FIELD_RANGE, "field '%s' has more than %zu items",
		               p->text, f->max_items);
	const char **items = calloc(n + 1, sizeof *items);
	if (!items)
		return err_set(e, ERR_NO_MEMORY, "no memory for field '%s'", p->text);
	for (size_t i = 0; i < n; i++) {
		char idx[32];
		int k = snprintf(idx, sizeof idx, "[%zu]", i);
		size_t old = jpath_push(p, idx, (size_t)k);
		enum err_code rc = check_string(json_array_get(v, i), f, p, &items[i], e);
		jpath_pop(p, old);
		if (rc) {
			free(items);
			return rc;
		}
	}
	f->target.strings->items = items;
	f->target.strings->count = n;
	return ERR_OK;
}

/* Checks one present, non-null value against its field and stores it. */
static enum err_code parse_value(const json_t *v, const struct jspec *f, struct jpath *p,
                                 struct err *e)
{
	const char *s = NULL;
	enum err_code rc;
	switch (f->type) {
	case JSPEC_T_STRING:
		return check_string(v, f, p, f->target.str, e);
	case JSPEC_T_INT64: {
		if (!json_is_integer(v))
			return err_set(e, ERR_JSON_FIELD_TYPE, "field '%s' must be an integer",
			               p->text);
		json_int_t n = json_integer_value(v);
		if (n < f->min || n > f->max)
			return err_set(e, ERR_JSON_FIELD_RANGE,
			               "field '%s' must be between %lld and %lld", p->text,
			               (long long)f->min, (long long)f->max);
		*f->target.i64 = (int64_t)n;
		return ERR_OK;
	}
	case JSPEC_T_BOOL:
		if (!json_is_boolean(v))
			return err_set(e, ERR_JSON_FIELD_TYPE, "field '%s' must be true or false",
			               p->text);
		*f->target.b = json_is_true(v);
		return ERR_OK;
	case JSPEC_T_DATE:
	case JSPEC_T_DATETIME: {
		struct jspec plain = {.max_len = 64};
		if (!json_is_string(v))
			return err_set(e, ERR_JSON_FIELD_TYPE, "field '%s' must be a string",
			               p->text);
		rc = check_string(v, &plain, p, &s, e);
		if (f->type == JSPEC_T_DATE) {
			if (rc || vntime_parse_date(s, f->target.i64))
				return err_set(e, ERR_INVALID_DATE,
				               "field '%s' is not a date (YYYY-MM-DD)", p->text);
		} else if (rc || vntime_parse_datetime(s, f->target.i64)) {
			return err_set(e, ERR_INVALID_TIME,
			               "field '%s' is not a date and time (YYYY-MM-DDTHH:MM)",
			               p->text);
		}
		return ERR_OK;
	}
	case JSPEC_T_ENUM: {
		struct jspec plain = {.max_len = SIZE_MAX};
		if ((rc = check_string(v, &plain, p, &s, e)))
			return rc;
		for (int i = 0; f->choices[i]; i++) {
			if (strcmp(f->choices[i], s) == 0) {
				*f->target.index = i;
				return ERR_OK;
			}
		}
		return err_set(e, ERR_JSON_FIELD_RANGE,
		               "field '%s' has a value that is not allowed", p->text);
	}
	case JSPEC_T_OBJECT:
		if (!json_is_object(v))
			return err_set(e, ERR_JSON_FIELD_TYPE, "field '%s' must be an object",
			               p->text);
		return parse_object(v, f->fields, p, e);
	case JSPEC_T_STRINGS:
		return parse_strings(v, f, p, e);
	case JSPEC_T_JSON:
		*f->target.json = (json_t *)v;
		return ERR_OK;
	default:
		return err_set(e, ERR_INTERNAL, "bad json spec for field '%s'", p->text);
	}
}

static enum err_code parse_object(const json_t *obj, const struct jspec *spec, struct jpath *p,
                                  struct err *e)
{
	const char *key;
	size_t keylen;
	const json_t *v;
	size_t old;

	/* Keys the spec does not list come first: a misspelt key is the likely cause. */
	json_object_keylen_foreach((json_t *)obj, key, keylen, v)
	{
		const struct jspec *f = spec;
		while (f->type != JSPEC_T_END &&
		       (strlen(f->name) != keylen || memcmp(f->name, key, keylen) != 0))
			f++;
		if (f->type == JSPEC_T_END) {
			old = jpath_push(p, key, keylen);
			err_set(e, ERR_JSON_FIELD_UNKNOWN, "unknown field '%s'", p->text);
			jpath_pop(p, old);
			return ERR_JSON_FIELD_UNKNOWN;
		}
	}
	for (const struct jspec *f = spec; f->type != JSPEC_T_END; f++) {
		enum err_code rc = ERR_OK;
		v = json_object_get(obj, f->name);
		bool given = v && !(json_is_null(v) && flag(f, JSPEC_NULLABLE));
		if (f->present)
			*f->present = given;
		old = jpath_push(p, f->name, strlen(f->name));
		if (given)
			rc = parse_value(v, f, p, e);
		else if (!flag(f, JSPEC_OPTIONAL))
			rc = err_set(e, ERR_JSON_FIELD_MISSING, "missing field '%s'", p->text);
		jpath_pop(p, old);
		if (rc)
			return rc;
	}
	return ERR_OK;
}

enum err_code jspec_parse(const json_t *obj, const struct jspec *spec, struct err *e)
{
	struct jpath p = {.len = 0};
	enum err_code rc = spec_check(spec, 0, e);
	if (rc)
		return rc;
	spec_reset_arrays(spec);
	if (!json_is_object(obj))
		return err_set(e, ERR_JSON_FIELD_TYPE, "the json value must be an object");
	rc = parse_object(obj, spec, &p, e);
	if (rc)
		jspec_free(spec);
	return rc;
}

/*
 * Finds how deep arrays and objects nest in text, skipping strings; stops
 * early once max is passed. Returns the depth and the offset where max was
 * passed (or len).
 */
static int nesting_depth(const char *text, size_t len, int max, size_t *at)
{
	int depth = 0, deepest = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > deepest)
				deepest = depth;
			if (deepest > max) {
				*at = i;
				return deepest;
			}
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	*at = len;
	return deepest;
}

/* Copies jansson's error text with every byte outside printable ASCII turned into '?'. */
static void sanitize(char *dst, size_t n, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < n; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = (c < 0x20 || c > 0x7E) ? '?' : (char)c;
	}
	dst[i] = '\0';
}

enum err_code jspec_load(const char *text, size_t len, json_t **out, struct err *e)
{
	json_error_t jerr;
	char msg[JSON_ERROR_TEXT_LENGTH];
	size_t at;

	*out = NULL;
	if (len > JSPEC_MAX_TEXT)
		return err_set(e, ERR_PAYLOAD_TOO_LARGE, "json text longer than %d bytes",
		               JSPEC_MAX_TEXT);
	if (nesting_depth(text, len, JSPEC_MAX_DEPTH, &at) > JSPEC_MAX_DEPTH)
		return err_set(e, ERR_INVALID_JSON, "json nested deeper than %d levels at byte %zu",
		               JSPEC_MAX_DEPTH, at);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		sanitize(msg, sizeof msg, jerr.text);
		if (strstr(jerr.text, "duplicate"))
			return err_set(e, ERR_JSON_DUPLICATE_KEY, "%s at line %d column %d", msg,
			               jerr.line, jerr.column);
		if (strstr(jerr.text, "JSON_ALLOW_NUL") || strstr(jerr.text, "NUL byte"))
			snprintf(msg, sizeof msg, "nul character (\\u0000) in a string");
		return err_set(e, ERR_INVALID_JSON, "malformed json at line %d column %d: %s",
		               jerr.line, jerr.column, msg);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return err_set(e, ERR_INVALID_JSON, "the json text must be an object");
	}
	*out = root;
	return ERR_OK;
}
