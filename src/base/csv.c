/*
 * csv: pull reader of RFC 4180 comma-separated values (see csv.h).
 *
 * The reader walks the text once, byte by byte, copying the bytes of the
 * current record's fields into one store (each field followed by a NUL), so
 * that fields can be handed out as C strings without touching the text.
 */
#include "base/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"

void csv_reader_init(struct csv_reader *r, const char *text, size_t len,
                     const struct csv_limits *lim)
{
	memset(r, 0, sizeof *r);
	r->text = text;
	r->len = text ? len : 0;
	r->line = 1;
	r->lim.field_max = CSV_DEFAULT_FIELD_MAX;
	r->lim.fields_max = CSV_DEFAULT_FIELDS_MAX;
	r->lim.record_max = CSV_DEFAULT_RECORD_MAX;
	if (lim) {
		if (lim->field_max)
			r->lim.field_max = lim->field_max;
		if (lim->fields_max)
			r->lim.fields_max = lim->fields_max;
		if (lim->record_max)
			r->lim.record_max = lim->record_max;
	}
	/* a UTF-8 byte-order mark */
	if (r->len >= 3 && memcmp(r->text, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	err_clear(&r->fail);
}

void csv_reader_release(struct csv_reader *r)
{
	free(r->store);
	free(r->offsets);
	r->store = NULL;
	r->offsets = NULL;
	r->store_len = r->store_cap = r->offsets_cap = 0;
	r->count = 0;
}

/* Records the error in the reader (later calls repeat it) and in *e. */
static enum err_code fail(struct csv_reader *r, struct err *e, enum err_code code, int line,
                          size_t column, const char *what)
{
	r->failed = true;
	r->count = 0;
	if (column)
		err_set(&r->fail, code, "line %d, column %zu: %s", line, column, what);
	else
		err_set(&r->fail, code, "line %d: %s", line, what);
	if (e)
		*e = r->fail;
	return code;
}

/* Appends one byte to the store. Returns 0 or -1 when out of memory. */
static int store_put(struct csv_reader *r, char c)
{
	if (r->store_len + 1 >= r->store_cap) {
		size_t cap = r->store_cap ? r->store_cap * 2 : 256;
		char *p = realloc(r->store, cap);
		if (!p)
			return -1;
		r->store = p;
		r->store_cap = cap;
	}
	r->store[r->store_len++] = c;
	return 0;
}

/* Starts a new field at the end of the store. Returns 0 or -1 when out of memory. */
static int field_begin(struct csv_reader *r)
{
	if (r->count == r->offsets_cap) {
		size_t cap = r->offsets_cap ? r->offsets_cap * 2 : 16;
		size_t *p = realloc(r->offsets, cap * sizeof *p);
		if (!p)
			return -1;
		r->offsets = p;
		r->offsets_cap = cap;
	}
	r->offsets[r->count++] = r->store_len;
	return 0;
}

enum err_code csv_read(struct csv_reader *r, bool *got, struct err *e)
{
	*got = false;
	if (r->failed) {
		if (e)
			*e = r->fail;
		return r->fail.code;
	}
	const char *t = r->text;
	/* skip empty lines */
	while (r->pos < r->len) {
		if (t[r->pos] == '\n') {
			r->pos++;
			r->line++;
		} else if (t[r->pos] == '\r' && r->pos + 1 < r->len && t[r->pos + 1] == '\n') {
			r->pos += 2;
			r->line++;
		} else {
			break;
		}
	}
	r->count = 0;
	r->store_len = 0;
	if (r->pos >= r->len)
		return ERR_OK;
	r->record_line = r->line;
	size_t record_bytes = 0;
	bool end_of_record = false;
	while (!end_of_record) {
		if (r->count == r->lim.fields_max)
			return fail(r, e, ERR_INVALID_DATA_FILE, r->line, 0,
			            "too many fields in one record");
		if (field_begin(r) != 0)
			return fail(r, e, ERR_NO_MEMORY, r->line, 0, "out of memory");
		size_t col = r->count;
		size_t field_bytes = 0;
		bool quoted = r->pos < r->len && t[r->pos] == '"';
		int quote_line = r->line;
		if (quoted)
			r->pos++;
		for (;;) {
			if (r->pos >= r->len) {
				if (quoted)
					return fail(r, e, ERR_INVALID_DATA_FILE, quote_line, col,
					            "quoted field not closed");
				end_of_record = true;
				break;
			}
			char c = t[r->pos];
			if (c == '\0')
				return fail(r, e, ERR_INVALID_DATA_FILE, r->line, col, "NUL byte");
			if (quoted) {
				if (c == '"') {
					if (r->pos + 1 < r->len && t[r->pos + 1] == '"') {
						r->pos += 2;
						goto data;
					}
					r->pos++;
					/* after the closing quote: a separator or the end */
					if (r->pos >= r->len) {
						end_of_record = true;
					} else if (t[r->pos] == ',') {
						r->pos++;
					} else if (t[r->pos] == '\n') {
						r->pos++;
						r->line++;
						end_of_record = true;
					} else if (t[r->pos] == '\r' && r->pos + 1 < r->len &&
					           t[r->pos + 1] == '\n') {
						r->pos += 2;
						r->line++;
						end_of_record = true;
					} else {
						return fail(r, e, ERR_INVALID_DATA_FILE, r->line,
						            col, "text after a closing quote");
					}
					break;
				}
				if (c == '\n')
					r->line++;
				r->pos++;
				goto data;
			}
			if (c == ',') {
				r->pos++;
				break;
			}
			if (c == '\n') {
				r->pos++;
				r->line++;
				end_of_record = true;
				break;
			}
			if (c == '\r') {
				if (r->pos + 1 < r->len && t[r->pos + 1] == '\n') {
					r->pos += 2;
					r->line++;
					end_of_record = true;
					break;
				}
				return fail(r, e, ERR_INVALID_DATA_FILE, r->line, col,
				            "carriage return not followed by a line feed");
			}
			if (c == '"')
				return fail(r, e, ERR_INVALID_DATA_FILE, r->line, col,
				            "quote inside an unquoted field");
			r->pos++;
		data:
			if (++field_bytes > r->lim.field_max)
				return fail(r, e, ERR_INVALID_DATA_FILE, r->line, col,
				            "field too long");
			if (++record_bytes > r->lim.record_max)
				return fail(r, e, ERR_INVALID_DATA_FILE, r->line, col,
				            "record too long");
			if (store_put(r, c) != 0)
				return fail(r, e, ERR_NO_MEMORY, r->line, col, "out of memory");
		}
		if (store_put(r, '\0') != 0)
			return fail(r, e, ERR_NO_MEMORY, r->line, col, "out of memory");
		const char *f = r->store + r->offsets[col - 1];
		if (!str_valid_utf8(f, r->lim.field_max))
			return fail(r, e, ERR_INVALID_DATA_FILE, quote_line, col,
			            "text is not valid UTF-8");
	}
	*got = true;
	return ERR_OK;
}

const char *csv_field(const struct csv_reader *r, size_t i)
{
	if (i >= r->count)
		return NULL;
	return r->store + r->offsets[i];
}

enum err_code csv_expect_header(const struct csv_reader *r, const char *const *names,
                                size_t required, size_t total, struct err *e)
{
	char want[ERR_DETAIL_MAX / 2];
	size_t n = 0;
	want[0] = '\0';
	for (size_t i = 0; i < total; i++) {
		int w = snprintf(want + n, sizeof want - n, "%s%s%s", i ? "," : "",
		                 i == required ? "[" : "", names[i]);
		if (w < 0 || (size_t)w >= sizeof want - n)
			break;
		n += (size_t)w;
	}
	if (total > required && n + 2 < sizeof want) {
		want[n++] = ']';
		want[n] = '\0';
	}
	if (r->count < required || r->count > total)
		return err_set(e, ERR_INVALID_DATA_FILE,
		               "line %d: the header has %zu columns; expected '%s'", r->record_line,
		               r->count, want);
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(csv_field(r, i), names[i]) != 0)
			return err_set(
			        e, ERR_INVALID_DATA_FILE,
			        "line %d, column %zu: header '%.40s' where '%s' was expected "
			        "(header '%s')",
			        r->record_line, i + 1, csv_field(r, i), names[i], want);
	return ERR_OK;
}
