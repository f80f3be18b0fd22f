/*
 * csv: a small pull reader of comma-separated values (RFC 4180) held in
 * memory, for the reference data and the population registry.
 *
 * The dialect, exactly:
 *   - fields are separated by commas, records by CRLF or LF; the last record
 *     may end without a line break;
 *   - a field may be quoted with '"'; inside quotes, commas, CR, LF and
 *     doubled quotes ("") are data, and a doubled quote stands for one quote;
 *   - a quote inside an unquoted field, anything but a comma or a line break
 *     after a closing quote, an unclosed quote, a CR not followed by LF
 *     outside quotes, a NUL byte and a field that is not valid UTF-8 are
 *     errors;
 *   - a UTF-8 byte-order mark at the very start is skipped; lines that are
 *     completely empty (outside quotes) are skipped, so a file may end with
 *     blank lines;
 *   - nothing is trimmed: spaces around commas belong to the fields.
 * Every limit is explicit (struct csv_limits): bytes of one field, fields of
 * one record, bytes of one record. Errors are ERR_INVALID_DATA_FILE with a
 * detail "line L, column C: what" (L the physical line where the problem is,
 * counting from 1; C the field number, counting from 1).
 *
 * Pure: the reader parses text it is given and never reads files.
 */
#ifndef MOTCUA_BASE_CSV_H
#define MOTCUA_BASE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define CSV_DEFAULT_FIELD_MAX  8192        /* bytes of one field */
#define CSV_DEFAULT_FIELDS_MAX 64          /* fields of one record */
#define CSV_DEFAULT_RECORD_MAX (64 * 1024) /* bytes of one record's fields together */

struct csv_limits {
	size_t field_max;
	size_t fields_max;
	size_t record_max;
};

/* A reader over one text. Fields are read through csv_field(). */
struct csv_reader {
	const char *text; /* borrowed; must outlive the reader */
	size_t len;
	size_t pos;
	int line; /* physical line at pos */
	struct csv_limits lim;
	/* the current record */
	int record_line; /* line where it starts */
	size_t count;    /* its fields */
	char *store;     /* its fields, each followed by a NUL */
	size_t store_len, store_cap;
	size_t *offsets; /* start of each field in store */
	size_t offsets_cap;
	bool failed; /* an error stopped the reader; it is kept in fail */
	struct err fail;
};

/*
 * Prepares a reader of len bytes at text (which need not be NUL-terminated
 * and must stay valid while the reader is used). lim may be NULL for the
 * defaults; a zero field of *lim takes its default. Release with
 * csv_reader_release().
 */
void csv_reader_init(struct csv_reader *r, const char *text, size_t len,
                     const struct csv_limits *lim);

/* Frees the reader's storage. */
void csv_reader_release(struct csv_reader *r);

/*
 * Reads the next record. Returns ERR_OK with *got = true and the record in
 * r (r->count fields, r->record_line), ERR_OK with *got = false at the end of
 * the text, ERR_INVALID_DATA_FILE for malformed text or a limit exceeded, or
 * ERR_NO_MEMORY. After an error the reader stays at the error (every further
 * call fails the same way).
 */
enum err_code csv_read(struct csv_reader *r, bool *got, struct err *e);

/*
 * Field i (from 0) of the current record, NUL-terminated, or NULL when i is
 * not below r->count. Valid until the next csv_read() or the release.
 */
const char *csv_field(const struct csv_reader *r, size_t i);

/*
 * Checks that the current record is a header naming names[0..required) in
 * this order, optionally followed by names[required..total) in this order
 * (a prefix of them). Returns ERR_OK or ERR_INVALID_DATA_FILE with a detail
 * naming the line, the column and the expected names.
 */
enum err_code csv_expect_header(const struct csv_reader *r, const char *const *names,
                                size_t required, size_t total, struct err *e);

#endif
