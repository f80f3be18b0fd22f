/*
 * libFuzzer target for the CSV reader (base/csv). Invariants: reading ends;
 * every record respects the limits, has valid UTF-8 fields and starts on a
 * line not before the previous one; writing the records back with every
 * field quoted (doubled quotes inside) and reading that again gives the same
 * records; the input's length bounds what is read (no byte past size).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

static const struct csv_limits lim = {.field_max = 64, .fields_max = 8, .record_max = 256};

/* Reads every record of text; writes them quoted into out. Returns the record count or -1. */
static long read_all(const char *text, size_t len, struct buf *out)
{
	struct csv_reader r;
	csv_reader_init(&r, text, len, &lim);
	long n = 0;
	int last_line = 0;
	for (;;) {
		bool got;
		if (csv_read(&r, &got, NULL) != ERR_OK) {
			csv_reader_release(&r);
			return -1;
		}
		if (!got)
			break;
		check(r.count >= 1 && r.count <= lim.fields_max);
		check(r.record_line >= last_line && r.record_line >= 1);
		last_line = r.record_line;
		for (size_t i = 0; i < r.count; i++) {
			const char *f = csv_field(&r, i);
			check(f != NULL && strlen(f) <= lim.field_max &&
			      str_valid_utf8(f, lim.field_max));
			check(buf_puts(out, i ? ",\"" : "\"") == 0);
			for (const char *p = f; *p; p++)
				check(buf_append(out, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1) ==
				      0);
			check(buf_putc(out, '"') == 0);
		}
		check(csv_field(&r, r.count) == NULL);
		check(buf_puts(out, "\r\n") == 0);
		n++;
	}
	csv_reader_release(&r);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy without a terminating NUL: the reader must stay within size */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	struct buf a = BUF_INIT(1 << 20), b = BUF_INIT(1 << 20);
	long n = read_all(text, size, &a);
	if (n >= 0) {
		/* the quoted copy holds the same field bytes, so it must read back the same */
		long m = read_all(a.data ? a.data : "", a.len, &b);
		check(m == n);
		check(a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0));
	}
	buf_release(&a);
	buf_release(&b);
	free(text);
	return 0;
}
