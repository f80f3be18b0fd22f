/*
 * libFuzzer target for base/jspec (and base/fold on the strings it yields):
 * arbitrary bytes go through jspec_load and then jspec_parse with a fixed
 * spec that has every field type, a nested object and an array. Invariants
 * checked (abort() on violation): the codes are the documented ones, error
 * details are non-empty valid UTF-8 without control characters, parsed
 * values respect the spec's bounds, and folding a parsed string succeeds, is
 * no longer than its input and is idempotent. Leaks are caught by ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/jspec.h"
#include "base/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_detail(const struct err *e)
{
	check(e->code != ERR_OK && e->detail[0] != '\0');
	check(str_valid_utf8(e->detail, sizeof e->detail));
	for (const char *p = e->detail; *p; p++)
		check((unsigned char)*p >= 0x20 && *p != 0x7F);
}

static void check_string(const char *s, size_t max)
{
	check(s != NULL && str_valid_utf8(s, max));
	size_t len = strlen(s);
	struct buf a = BUF_INIT(len), b = BUF_INIT(len);
	check(fold_text(s, len, &a, NULL) == ERR_OK);
	check(a.len <= len);
	check(fold_text(buf_str(&a), a.len, &b, NULL) == ERR_OK);
	check(strcmp(buf_str(&a), buf_str(&b)) == 0);
	check(fold_contains(buf_str(&a), buf_str(&a)));
	const char *f = buf_str(&a);
	check(f[0] != ' ' && (a.len == 0 || f[a.len - 1] != ' ') && !strstr(f, "  "));
	buf_release(&a);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const channels[] = {"online", "counter", "post", NULL};
	const char *name = NULL, *note = NULL, *code = NULL;
	int64_t count = 0, born = 0, at = 0;
	bool urgent = false;
	int channel = -1;
	struct jspec_strings docs, phones;
	json_t *extra = NULL;
	const struct jspec person[] = {
	        JSPEC_STRING("name", &name, 100, JSPEC_NONEMPTY),
	        JSPEC_DATE("birth_date", &born, JSPEC_OPTIONAL),
	        JSPEC_STRINGS("phones", &phones, 3, 15, JSPEC_OPTIONAL),
	        JSPEC_END,
	};
	const struct jspec spec[] = {
	        JSPEC_STRING("procedure", &code, 32, 0),
	        JSPEC_STRING("note", &note, 200, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_INT64("count", &count, -10, 1000, JSPEC_OPTIONAL),
	        JSPEC_BOOL("urgent", &urgent, JSPEC_OPTIONAL),
	        JSPEC_DATETIME("received_at", &at, JSPEC_OPTIONAL),
	        JSPEC_ENUM("channel", &channel, channels, JSPEC_OPTIONAL),
	        JSPEC_OBJECT("applicant", person, JSPEC_OPTIONAL),
	        JSPEC_STRINGS("documents", &docs, 10, 64, JSPEC_OPTIONAL),
	        JSPEC_JSON("extra", &extra, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_END,
	};
	struct err e;
	json_t *root = NULL;

	/* The raw bytes go through the folder too: no crash, an error or a bounded result. */
	struct buf f = BUF_INIT(size);
	enum err_code frc = fold_text((const char *)data, size, &f, NULL);
	check(frc == ERR_OK || frc == ERR_INVALID_ARGUMENT);
	check(frc != ERR_OK || f.len <= size);
	if (frc == ERR_OK)
		check_string(buf_str(&f), size);
	else
		check(f.len == 0);
	buf_release(&f);

	err_clear(&e);
	enum err_code rc = jspec_load((const char *)data, size, &root, &e);
	if (rc != ERR_OK) {
		check(root == NULL);
		check(rc == ERR_INVALID_JSON || rc == ERR_JSON_DUPLICATE_KEY ||
		      rc == ERR_PAYLOAD_TOO_LARGE);
		check(e.code == rc);
		check_detail(&e);
		return 0;
	}
	check(json_is_object(root));
	rc = jspec_parse(root, spec, &e);
	if (rc != ERR_OK) {
		check(e.code == rc);
		check(rc == ERR_JSON_FIELD_UNKNOWN || rc == ERR_JSON_FIELD_MISSING ||
		      rc == ERR_JSON_FIELD_TYPE || rc == ERR_JSON_FIELD_RANGE ||
		      rc == ERR_INVALID_DATE || rc == ERR_INVALID_TIME || rc == ERR_NO_MEMORY);
		check_detail(&e);
		check(docs.items == NULL && phones.items == NULL);
	} else {
		check_string(code, 32);
		if (note)
			check_string(note, 200);
		check(count >= -10 && count <= 1000);
		check(channel >= -1 && channel <= 2);
		if (name)
			check_string(name, 100);
		check(docs.count <= 10 && phones.count <= 3);
		for (size_t i = 0; i < docs.count; i++)
			check_string(docs.items[i], 64);
		check(docs.count == 0 || docs.items[docs.count] == NULL);
		for (size_t i = 0; i < phones.count; i++)
			check_string(phones.items[i], 15);
	}
	jspec_free(spec);
	json_decref(root);
	return 0;
}
