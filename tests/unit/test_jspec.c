/*
 * Unit tests for base/jspec: loading JSON bodies and checking them against
 * declarative field lists. Expected behaviour comes from RFC 8259 (JSON
 * syntax; duplicate names make an object's meaning unpredictable, so they are
 * refused), from jansson 2.14's documented parser (integers beyond json_int_t
 * and reals beyond double are errors, "\u0000" needs JSON_ALLOW_NUL), from
 * the contract in jspec.h, and, for dates, from base/vntime (ISO 8601, Vietnam
 * time UTC+7: 2025-04-28T10:00+07:00 is 1745809200, i.e. 03:00Z).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jspec.h"
#include "base/str.h"
#include "base/vntime.h"

/* Loads text (which must load) and checks it against spec; returns the code. */
static enum err_code check(const char *text, const struct jspec *spec, struct err *e, json_t **root)
{
	err_clear(e);
	assert_int_equal(jspec_load(text, strlen(text), root, e), ERR_OK);
	enum err_code rc = jspec_parse(*root, spec, e);
	assert_int_equal(rc, e->code);
	assert_true(str_valid_utf8(e->detail, sizeof e->detail));
	if (rc)
		assert_true(e->detail[0] != '\0');
	return rc;
}

/* Same, for texts whose parse result is all that matters; frees everything. */
static enum err_code check_only(const char *text, const struct jspec *spec, struct err *e)
{
	json_t *root;
	enum err_code rc = check(text, spec, e, &root);
	jspec_free(spec);
	json_decref(root);
	return rc;
}

static enum err_code load(const char *text, size_t len, struct err *e)
{
	json_t *root = (json_t *)1;
	err_clear(e);
	enum err_code rc = jspec_load(text, len, &root, e);
	assert_int_equal(rc, e->code);
	assert_true(str_valid_utf8(e->detail, sizeof e->detail));
	if (rc)
		assert_null(root);
	else
		assert_non_null(root);
	json_decref(root);
	return rc;
}

static void test_load(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(load("{}", 2, &e), ERR_OK);
	assert_int_equal(load(" {\"a\": [1, {\"b\": null}]} \n", 26, &e), ERR_OK);
	/* Trailing text after the value (JSON_DISABLE_EOF_CHECK is off). */
	assert_int_equal(load("{} {}", 5, &e), ERR_INVALID_JSON);
	assert_non_null(strstr(e.detail, "line 1 column"));
	/* Line and column of the error are reported. */
	assert_int_equal(load("{\n\"a\": 1,\n\"b\": ?\n}", 18, &e), ERR_INVALID_JSON);
	assert_non_null(strstr(e.detail, "line 3 column"));
	/* The top level must be one object. */
	assert_int_equal(load("[1]", 3, &e), ERR_INVALID_JSON);
	assert_string_equal(e.detail, "the json text must be an object");
	assert_int_equal(load("\"s\"", 3, &e), ERR_INVALID_JSON);
	assert_int_equal(load("1", 1, &e), ERR_INVALID_JSON);
	assert_int_equal(load("null", 4, &e), ERR_INVALID_JSON);
	assert_int_equal(load("", 0, &e), ERR_INVALID_JSON);
	assert_int_equal(load("{", 1, &e), ERR_INVALID_JSON);
	/* len bounds the text: "{}" followed by bytes beyond len. */
	assert_int_equal(load("{}garbage", 2, &e), ERR_OK);
	/* An embedded NUL byte in the text itself. */
	assert_int_equal(load("{}\0", 3, &e), ERR_INVALID_JSON);
}

static void test_load_duplicates(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(load("{\"a\":1,\"a\":2}", 13, &e), ERR_JSON_DUPLICATE_KEY);
	assert_non_null(strstr(e.detail, "duplicate"));
	assert_non_null(strstr(e.detail, "\"a\""));
	assert_non_null(strstr(e.detail, "line 1 column"));
	/* Also when nested, and even when both values are equal. */
	const char *nested = "{\"x\":{\"b\":true,\"b\":true}}";
	assert_int_equal(load(nested, strlen(nested), &e), ERR_JSON_DUPLICATE_KEY);
	/* The same key in two different objects is not a duplicate. */
	const char *two = "{\"x\":{\"b\":1},\"y\":{\"b\":1}}";
	assert_int_equal(load(two, strlen(two), &e), ERR_OK);
}

static void test_load_numbers_and_strings(void **state)
{
	(void)state;
	struct err e;
	const char *t;
	/* Integers beyond int64 and reals beyond double are refused by jansson. */
	t = "{\"n\":9223372036854775808}";
	assert_int_equal(load(t, strlen(t), &e), ERR_INVALID_JSON);
	assert_non_null(strstr(e.detail, "too big integer"));
	t = "{\"n\":-9223372036854775809}";
	assert_int_equal(load(t, strlen(t), &e), ERR_INVALID_JSON);
	t = "{\"n\":99999999999999999999999999999999999999}";
	assert_int_equal(load(t, strlen(t), &e), ERR_INVALID_JSON);
	t = "{\"n\":1e400}";
	assert_int_equal(load(t, strlen(t), &e), ERR_INVALID_JSON);
	t = "{\"n\":9223372036854775807,\"m\":-9223372036854775808}";
	assert_int_equal(load(t, strlen(t), &e), ERR_OK);
	/* "\u0000" inside a string or a key is refused. */
	t = "{\"s\":\"a\\u0000b\"}";
	assert_int_equal(load(t, strlen(t), &e), ERR_INVALID_JSON);
	assert_non_null(strstr(e.detail, "nul character"));
	t = "{\"a\\u0000b\":1}";
	assert_int_equal(load(t, strlen(t), &e), ERR_INVALID_JSON);
	/* Invalid UTF-8 and lone surrogates: refused, and the detail stays valid UTF-8. */
	assert_int_equal(load("{\"s\":\"\xff\xfe\"}", 10, &e), ERR_INVALID_JSON);
	assert_int_equal(load("{\"s\":\"\xc3\"}", 9, &e), ERR_INVALID_JSON);
	assert_int_equal(load("{\"s\xe1\xba\":1}", 10, &e), ERR_INVALID_JSON);
	t = "{\"s\":\"\\ud800\"}";
	assert_int_equal(load(t, strlen(t), &e), ERR_INVALID_JSON);
	/* Vietnamese text, raw and escaped, is fine. */
	t = "{\"s\":\"Đăng ký\",\"t\":\"\\u0110\\u0103ng\"}";
	assert_int_equal(load(t, strlen(t), &e), ERR_OK);
}

static void test_load_bounds(void **state)
{
	(void)state;
	struct err e;
	char text[256];
	/* JSPEC_MAX_DEPTH levels (the top object is 1) load; one more does not. */
	size_t n = (size_t)snprintf(text, sizeof text, "{\"a\":");
	for (int i = 1; i < JSPEC_MAX_DEPTH; i++)
		text[n++] = '[';
	text[n++] = '1';
	for (int i = 1; i < JSPEC_MAX_DEPTH; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	assert_int_equal(load(text, n, &e), ERR_OK);
	char deeper[300];
	snprintf(deeper, sizeof deeper, "{\"b\":[%s]}", text);
	assert_int_equal(load(deeper, strlen(deeper), &e), ERR_INVALID_JSON);
	assert_non_null(strstr(e.detail, "nested deeper than"));
	/* Brackets inside strings (even after an escaped quote) do not count. */
	char str[300];
	n = (size_t)snprintf(str, sizeof str, "{\"s\":\"\\\"");
	for (int i = 0; i < 100; i++)
		str[n++] = '[';
	n += (size_t)snprintf(str + n, sizeof str - n, "\"}");
	assert_int_equal(load(str, n, &e), ERR_OK);
	/* jansson's own limit (2048) is far above ours: 5000 levels stop early. */
	size_t big = 10000;
	char *deep = malloc(big + 1);
	assert_non_null(deep);
	memset(deep, '[', big / 2);
	memset(deep + big / 2, ']', big / 2);
	deep[0] = '{';
	assert_int_equal(load(deep, big, &e), ERR_INVALID_JSON);
	free(deep);
	/* Size: JSPEC_MAX_TEXT bytes are accepted, one more is not. */
	size_t max = JSPEC_MAX_TEXT;
	char *huge = malloc(max + 1);
	assert_non_null(huge);
	memset(huge, ' ', max + 1);
	huge[0] = '{';
	huge[max - 1] = '}';
	assert_int_equal(load(huge, max, &e), ERR_OK);
	assert_int_equal(load(huge, max + 1, &e), ERR_PAYLOAD_TOO_LARGE);
	free(huge);
}

static void test_string(void **state)
{
	(void)state;
	struct err e;
	json_t *root;
	const char *s = NULL;
	const struct jspec spec[] = {JSPEC_STRING("name", &s, 6, 0), JSPEC_END};
	const struct jspec ne[] = {JSPEC_STRING("name", &s, 6, JSPEC_NONEMPTY), JSPEC_END};

	assert_int_equal(check("{\"name\":\"Đức\"}", spec, &e, &root), ERR_OK);
	assert_string_equal(s, "Đức"); /* 6 bytes: exactly the maximum */
	/* Borrowed: the very bytes inside the json_t. */
	assert_ptr_equal(s, json_string_value(json_object_get(root, "name")));
	json_decref(root);
	assert_int_equal(check_only("{\"name\":\"Đứcc\"}", spec, &e), ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'name' is longer than 6 bytes");
	assert_int_equal(check_only("{\"name\":\"\"}", spec, &e), ERR_OK);
	assert_int_equal(check_only("{\"name\":\"\"}", ne, &e), ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'name' must not be empty");
	assert_int_equal(check_only("{\"name\":12}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_string_equal(e.detail, "field 'name' must be a string");
	assert_int_equal(check_only("{\"name\":null}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(check_only("{\"name\":[\"a\"]}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(check_only("{}", spec, &e), ERR_JSON_FIELD_MISSING);
	assert_string_equal(e.detail, "missing field 'name'");

	/* Values built by code rather than parsed: a NUL or invalid UTF-8 inside. */
	json_t *obj = json_object();
	json_object_set_new(obj, "name", json_stringn("a\0b", 3));
	assert_int_equal(jspec_parse(obj, spec, &e), ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'name' contains a nul character");
	json_object_set_new(obj, "name", json_stringn_nocheck("a\xff", 2));
	assert_int_equal(jspec_parse(obj, spec, &e), ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'name' is not valid utf-8");
	json_decref(obj);
}

static void test_int64(void **state)
{
	(void)state;
	struct err e;
	int64_t n = 0, big = 0;
	const struct jspec spec[] = {JSPEC_INT64("n", &n, -5, 10, 0), JSPEC_END};
	const struct jspec full[] = {JSPEC_INT64("n", &big, INT64_MIN, INT64_MAX, 0), JSPEC_END};

	assert_int_equal(check_only("{\"n\":10}", spec, &e), ERR_OK);
	assert_int_equal(n, 10);
	assert_int_equal(check_only("{\"n\":-5}", spec, &e), ERR_OK);
	assert_int_equal(n, -5);
	assert_int_equal(check_only("{\"n\":11}", spec, &e), ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'n' must be between -5 and 10");
	assert_int_equal(check_only("{\"n\":-6}", spec, &e), ERR_JSON_FIELD_RANGE);
	assert_int_equal(n, -5); /* untouched by a failure */
	assert_int_equal(check_only("{\"n\":3.0}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_string_equal(e.detail, "field 'n' must be an integer");
	assert_int_equal(check_only("{\"n\":\"3\"}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(check_only("{\"n\":true}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(check_only("{\"n\":9223372036854775807}", spec, &e), ERR_JSON_FIELD_RANGE);
	assert_int_equal(check_only("{\"n\":9223372036854775807}", full, &e), ERR_OK);
	assert_true(big == INT64_MAX);
	assert_int_equal(check_only("{\"n\":-9223372036854775808}", full, &e), ERR_OK);
	assert_true(big == INT64_MIN);
}

static void test_bool(void **state)
{
	(void)state;
	struct err e;
	bool b = false;
	const struct jspec spec[] = {JSPEC_BOOL("ok", &b, 0), JSPEC_END};
	assert_int_equal(check_only("{\"ok\":true}", spec, &e), ERR_OK);
	assert_true(b);
	assert_int_equal(check_only("{\"ok\":false}", spec, &e), ERR_OK);
	assert_false(b);
	assert_int_equal(check_only("{\"ok\":\"true\"}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_string_equal(e.detail, "field 'ok' must be true or false");
	assert_int_equal(check_only("{\"ok\":1}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(check_only("{\"ok\":null}", spec, &e), ERR_JSON_FIELD_TYPE);
}

static void test_dates(void **state)
{
	(void)state;
	struct err e;
	int64_t d = 0, t = 0;
	const struct jspec spec[] = {JSPEC_DATE("d", &d, 0),
	                             JSPEC_DATETIME("t", &t, JSPEC_OPTIONAL), JSPEC_END};
	assert_int_equal(check_only("{\"d\":\"2025-04-28\",\"t\":\"2025-04-28T10:00\"}", spec, &e),
	                 ERR_OK);
	assert_int_equal(d, vntime_days_from_civil(2025, 4, 28));
	assert_int_equal(t, 1745809200);
	assert_int_equal(
	        check_only("{\"d\":\"2024-02-29\",\"t\":\"2025-04-28T03:00:00Z\"}", spec, &e),
	        ERR_OK);
	assert_int_equal(t, 1745809200);
	assert_int_equal(check_only("{\"d\":\"2025-02-29\"}", spec, &e), ERR_INVALID_DATE);
	assert_string_equal(e.detail, "field 'd' is not a date (YYYY-MM-DD)");
	assert_int_equal(check_only("{\"d\":\"2025-04-28 \"}", spec, &e), ERR_INVALID_DATE);
	assert_int_equal(check_only("{\"d\":\"28/04/2025\"}", spec, &e), ERR_INVALID_DATE);
	assert_int_equal(check_only("{\"d\":\"\"}", spec, &e), ERR_INVALID_DATE);
	assert_int_equal(check_only("{\"d\":20250428}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(check_only("{\"d\":\"2025-04-28\",\"t\":\"2025-04-28\"}", spec, &e),
	                 ERR_INVALID_TIME);
	assert_non_null(strstr(e.detail, "field 't'"));
	assert_int_equal(check_only("{\"d\":\"2025-04-28\",\"t\":1745809200}", spec, &e),
	                 ERR_JSON_FIELD_TYPE);
	/* A long string is refused as a date without being parsed. */
	char text[200];
	snprintf(text, sizeof text, "{\"d\":\"2025-04-28%0100d\"}", 0);
	assert_int_equal(check_only(text, spec, &e), ERR_INVALID_DATE);
}

static void test_enum(void **state)
{
	(void)state;
	struct err e;
	int k = -1;
	static const char *const kinds[] = {"online", "counter", "post", NULL};
	const struct jspec spec[] = {JSPEC_ENUM("channel", &k, kinds, 0), JSPEC_END};
	assert_int_equal(check_only("{\"channel\":\"online\"}", spec, &e), ERR_OK);
	assert_int_equal(k, 0);
	assert_int_equal(check_only("{\"channel\":\"post\"}", spec, &e), ERR_OK);
	assert_int_equal(k, 2);
	assert_int_equal(check_only("{\"channel\":\"Post\"}", spec, &e), ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'channel' has a value that is not allowed");
	assert_int_equal(check_only("{\"channel\":\"\"}", spec, &e), ERR_JSON_FIELD_RANGE);
	assert_int_equal(check_only("{\"channel\":1}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(k, 2);
}

static void test_strings_array(void **state)
{
	(void)state;
	struct err e;
	json_t *root;
	struct jspec_strings docs = {(const char **)1, 99}; /* garbage: parse resets it */
	const struct jspec spec[] = {JSPEC_STRINGS("docs", &docs, 3, 4, JSPEC_NONEMPTY), JSPEC_END};

	assert_int_equal(check("{\"docs\":[\"a\",\"bb\",\"cccc\"]}", spec, &e, &root), ERR_OK);
	assert_int_equal(docs.count, 3);
	assert_string_equal(docs.items[0], "a");
	assert_string_equal(docs.items[2], "cccc");
	assert_null(docs.items[3]);
	jspec_free(spec);
	assert_null(docs.items);
	assert_int_equal(docs.count, 0);
	jspec_free(spec); /* twice is harmless */
	json_decref(root);

	assert_int_equal(check_only("{\"docs\":[]}", spec, &e), ERR_OK);
	assert_int_equal(check_only("{\"docs\":[\"a\",\"b\",\"c\",\"d\"]}", spec, &e),
	                 ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'docs' has more than 3 items");
	assert_int_equal(check_only("{\"docs\":[\"a\",2]}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_string_equal(e.detail, "field 'docs[1]' must be a string");
	assert_int_equal(check_only("{\"docs\":[\"a\",\"b\",\"ccccc\"]}", spec, &e),
	                 ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'docs[2]' is longer than 4 bytes");
	assert_int_equal(check_only("{\"docs\":[\"\"]}", spec, &e), ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'docs[0]' must not be empty");
	assert_int_equal(check_only("{\"docs\":\"a\"}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(check_only("{\"docs\":{}}", spec, &e), ERR_JSON_FIELD_TYPE);
	assert_null(docs.items);
}

static void test_raw_json(void **state)
{
	(void)state;
	struct err e;
	json_t *root, *raw = NULL;
	const struct jspec spec[] = {JSPEC_JSON("extra", &raw, 0), JSPEC_END};
	assert_int_equal(check("{\"extra\":{\"any\":[1,\"x\",null]}}", spec, &e, &root), ERR_OK);
	assert_ptr_equal(raw, json_object_get(root, "extra"));
	assert_int_equal(raw->refcount, 1); /* borrowed, not a new reference */
	json_decref(root);
	assert_int_equal(check_only("{\"extra\":null}", spec, &e), ERR_OK);
	assert_true(json_is_null(raw));
	assert_int_equal(check_only("{}", spec, &e), ERR_JSON_FIELD_MISSING);
}

/* The applicant of a dossier: a nested object with its own fields. */
struct applicant {
	const char *name;
	int64_t birth_date;
	struct jspec_strings phones;
};

static void test_nested(void **state)
{
	(void)state;
	struct err e;
	struct applicant a = {NULL, 0, {NULL, 0}};
	const char *code = NULL;
	const struct jspec person[] = {
	        JSPEC_STRING("name", &a.name, 100, JSPEC_NONEMPTY),
	        JSPEC_DATE("birth_date", &a.birth_date, 0),
	        JSPEC_STRINGS("phones", &a.phones, 2, 15, JSPEC_OPTIONAL),
	        JSPEC_END,
	};
	const struct jspec spec[] = {
	        JSPEC_STRING("procedure", &code, 32, 0),
	        JSPEC_OBJECT("applicant", person, 0),
	        JSPEC_END,
	};
	json_t *root;
	assert_int_equal(check("{\"procedure\":\"1.001\",\"applicant\":{\"name\":\"Lê Văn A\","
	                       "\"birth_date\":\"1990-01-02\",\"phones\":[\"0912345678\"]}}",
	                       spec, &e, &root),
	                 ERR_OK);
	assert_string_equal(code, "1.001");
	assert_string_equal(a.name, "Lê Văn A");
	assert_int_equal(a.birth_date, vntime_days_from_civil(1990, 1, 2));
	assert_int_equal(a.phones.count, 1);
	jspec_free(spec); /* frees the nested array too */
	assert_null(a.phones.items);
	json_decref(root);

	assert_int_equal(check_only("{\"procedure\":\"x\",\"applicant\":{\"name\":\"A\","
	                            "\"birth_date\":\"1990-02-30\"}}",
	                            spec, &e),
	                 ERR_INVALID_DATE);
	assert_string_equal(e.detail, "field 'applicant.birth_date' is not a date (YYYY-MM-DD)");
	assert_int_equal(
	        check_only("{\"procedure\":\"x\",\"applicant\":{\"name\":\"A\"}}", spec, &e),
	        ERR_JSON_FIELD_MISSING);
	assert_string_equal(e.detail, "missing field 'applicant.birth_date'");
	assert_int_equal(check_only("{\"procedure\":\"x\",\"applicant\":{\"name\":\"A\","
	                            "\"birth_date\":\"1990-01-02\",\"nick\":\"b\"}}",
	                            spec, &e),
	                 ERR_JSON_FIELD_UNKNOWN);
	assert_string_equal(e.detail, "unknown field 'applicant.nick'");
	assert_int_equal(
	        check_only("{\"procedure\":\"x\",\"applicant\":{\"name\":\"A\","
	                   "\"birth_date\":\"1990-01-02\",\"phones\":[\"1\",\"2\",\"3\"]}}",
	                   spec, &e),
	        ERR_JSON_FIELD_RANGE);
	assert_string_equal(e.detail, "field 'applicant.phones' has more than 2 items");
	assert_int_equal(check_only("{\"procedure\":\"x\",\"applicant\":{\"name\":\"A\","
	                            "\"birth_date\":\"1990-01-02\",\"phones\":[\"1\",7]}}",
	                            spec, &e),
	                 ERR_JSON_FIELD_TYPE);
	assert_string_equal(e.detail, "field 'applicant.phones[1]' must be a string");
	assert_int_equal(check_only("{\"procedure\":\"x\",\"applicant\":[]}", spec, &e),
	                 ERR_JSON_FIELD_TYPE);
	assert_string_equal(e.detail, "field 'applicant' must be an object");
	assert_int_equal(check_only("{\"procedure\":\"x\"}", spec, &e), ERR_JSON_FIELD_MISSING);
	assert_string_equal(e.detail, "missing field 'applicant'");
}

static void test_unknown_fields(void **state)
{
	(void)state;
	struct err e;
	const char *name = NULL;
	const struct jspec spec[] = {JSPEC_STRING("name", &name, 10, 0), JSPEC_END};
	/* Unknown keys are reported before missing ones (a misspelt key). */
	assert_int_equal(check_only("{\"nmae\":\"x\"}", spec, &e), ERR_JSON_FIELD_UNKNOWN);
	assert_string_equal(e.detail, "unknown field 'nmae'");
	assert_int_equal(check_only("{\"name\":\"x\",\"Name\":\"y\"}", spec, &e),
	                 ERR_JSON_FIELD_UNKNOWN);
	assert_string_equal(e.detail, "unknown field 'Name'");
	/* Control characters in a key are shown as '?'. */
	assert_int_equal(check_only("{\"a\\nb\\u0001\":1}", spec, &e), ERR_JSON_FIELD_UNKNOWN);
	assert_string_equal(e.detail, "unknown field 'a?b?'");
	/* A key built by code with a NUL inside is not taken for "name". */
	json_t *obj = json_object();
	json_object_setn_new(obj, "name\0x", 6, json_string("v"));
	assert_int_equal(jspec_parse(obj, spec, &e), ERR_JSON_FIELD_UNKNOWN);
	assert_string_equal(e.detail, "unknown field 'name?x'");
	json_decref(obj);
	/* A very long Vietnamese key is cut on a character boundary. */
	char text[1200];
	size_t n = (size_t)snprintf(text, sizeof text, "{\"");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "đ");
	snprintf(text + n, sizeof text - n, "x\":1}");
	assert_int_equal(check_only(text, spec, &e), ERR_JSON_FIELD_UNKNOWN);
	assert_non_null(strstr(e.detail, "đ...'"));
	assert_true(strlen(e.detail) < JSPEC_PATH_MAX + 20);
}

static void test_optional_and_null(void **state)
{
	(void)state;
	struct err e;
	const char *note = "default";
	int64_t n = 42;
	bool has_note = true, has_n = false;
	struct jspec spec[] = {
	        JSPEC_STRING("note", &note, 10, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_INT64("n", &n, 0, 100, JSPEC_OPTIONAL),
	        JSPEC_END,
	};
	spec[0].present = &has_note;
	spec[1].present = &has_n;
	assert_int_equal(check_only("{}", spec, &e), ERR_OK);
	assert_string_equal(note, "default"); /* untouched */
	assert_int_equal(n, 42);
	assert_false(has_note);
	assert_false(has_n);
	assert_int_equal(check_only("{\"note\":null,\"n\":7}", spec, &e), ERR_OK);
	assert_string_equal(note, "default");
	assert_false(has_note);
	assert_true(has_n);
	assert_int_equal(n, 7);
	/* null for a field without JSPEC_NULLABLE is a type error. */
	assert_int_equal(check_only("{\"n\":null}", spec, &e), ERR_JSON_FIELD_TYPE);
	/* A required nullable field that is null counts as missing. */
	const char *r = NULL;
	const struct jspec req[] = {JSPEC_STRING("r", &r, 10, JSPEC_NULLABLE), JSPEC_END};
	assert_int_equal(check_only("{\"r\":null}", req, &e), ERR_JSON_FIELD_MISSING);
	assert_int_equal(check_only("{\"r\":\"x\"}", req, &e), ERR_OK);
}

static void test_failure_frees(void **state)
{
	(void)state;
	struct err e;
	struct jspec_strings a1, a2;
	int64_t n = 0;
	const struct jspec spec[] = {
	        JSPEC_STRINGS("a1", &a1, 5, 5, 0),
	        JSPEC_STRINGS("a2", &a2, 5, 5, JSPEC_OPTIONAL),
	        JSPEC_INT64("n", &n, 0, 1, 0),
	        JSPEC_END,
	};
	json_t *root;
	/* a1 is filled, then n fails: a1 is freed (ASan checks for the leak). */
	assert_int_equal(check("{\"a1\":[\"x\",\"y\"],\"n\":5}", spec, &e, &root),
	                 ERR_JSON_FIELD_RANGE);
	assert_null(a1.items);
	assert_int_equal(a1.count, 0);
	assert_null(a2.items);
	jspec_free(spec);
	json_decref(root);
	/* jspec_parse on something that is not an object. */
	json_t *arr = json_array();
	assert_int_equal(jspec_parse(arr, spec, &e), ERR_JSON_FIELD_TYPE);
	assert_int_equal(jspec_parse(NULL, spec, &e), ERR_JSON_FIELD_TYPE);
	json_decref(arr);
	jspec_free(NULL);
}

static void test_bad_spec(void **state)
{
	(void)state;
	struct err e;
	const char *s;
	int64_t n;
	int k;
	static const char *const none[] = {NULL};
	const struct jspec zero_len[] = {JSPEC_STRING("s", &s, 0, 0), JSPEC_END};
	const struct jspec bad_bounds[] = {JSPEC_INT64("n", &n, 5, 4, 0), JSPEC_END};
	const struct jspec no_choices[] = {JSPEC_ENUM("k", &k, none, 0), JSPEC_END};
	const struct jspec no_target[] = {JSPEC_STRING("s", NULL, 5, 0), JSPEC_END};
	const struct jspec no_name[] = {JSPEC_STRING("", &s, 5, 0), JSPEC_END};
	const struct jspec no_sub[] = {JSPEC_OBJECT("o", NULL, 0), JSPEC_END};
	const struct jspec bad_sub_inner[] = {JSPEC_INT64("n", &n, 1, 0, 0), JSPEC_END};
	const struct jspec bad_sub[] = {JSPEC_OBJECT("o", bad_sub_inner, 0), JSPEC_END};
	const struct jspec *bad[] = {zero_len, bad_bounds, no_choices, no_target,
	                             no_name,  no_sub,     bad_sub};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *obj = json_object();
		assert_int_equal(jspec_parse(obj, bad[i], &e), ERR_INTERNAL);
		assert_non_null(strstr(e.detail, "bad json spec"));
		json_decref(obj);
	}
	json_t *obj = json_object();
	assert_int_equal(jspec_parse(obj, NULL, &e), ERR_INTERNAL);
	json_decref(obj);
}

static void test_long_paths(void **state)
{
	(void)state;
	struct err e;
	int64_t n = 0;
	/* Four levels of 40-byte names: the path does not fit and ends in "...". */
	const struct jspec l4[] = {
	        JSPEC_INT64("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", &n, 0, 1, 0), JSPEC_END};
	const struct jspec l3[] = {JSPEC_OBJECT("cccccccccccccccccccccccccccccccccccccccc", l4, 0),
	                           JSPEC_END};
	const struct jspec l2[] = {JSPEC_OBJECT("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", l3, 0),
	                           JSPEC_END};
	const struct jspec l1[] = {JSPEC_OBJECT("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", l2, 0),
	                           JSPEC_END};
	const char *text = "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":"
	                   "{\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\":"
	                   "{\"cccccccccccccccccccccccccccccccccccccccc\":"
	                   "{\"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\":9}}}}";
	assert_int_equal(check_only(text, l1, &e), ERR_JSON_FIELD_RANGE);
	assert_non_null(strstr(e.detail, "field 'aaaa"));
	assert_non_null(strstr(e.detail, "cccc.n...' must be between 0 and 1"));
	assert_int_equal(strlen(e.detail),
	                 strlen("field '' must be between 0 and 1") + JSPEC_PATH_MAX - 1);
	/* After a cut path, a shorter sibling path is shown whole again. */
	assert_int_equal(check_only("{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":{}}", l1, &e),
	                 ERR_JSON_FIELD_MISSING);
	assert_string_equal(e.detail, "missing field 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	                              "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_load),
	        cmocka_unit_test(test_load_duplicates),
	        cmocka_unit_test(test_load_numbers_and_strings),
	        cmocka_unit_test(test_load_bounds),
	        cmocka_unit_test(test_string),
	        cmocka_unit_test(test_int64),
	        cmocka_unit_test(test_bool),
	        cmocka_unit_test(test_dates),
	        cmocka_unit_test(test_enum),
	        cmocka_unit_test(test_strings_array),
	        cmocka_unit_test(test_raw_json),
	        cmocka_unit_test(test_nested),
	        cmocka_unit_test(test_unknown_fields),
	        cmocka_unit_test(test_optional_and_null),
	        cmocka_unit_test(test_failure_frees),
	        cmocka_unit_test(test_bad_spec),
	        cmocka_unit_test(test_long_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
