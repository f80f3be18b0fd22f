/*
 * report_csv: reports as RFC 4180 CSV (see report_csv.h).
 */
#include "doc/report_csv.h"

#include <stdio.h>
#include <string.h>

#include "base/vntime.h"

/* Appends one field, quoted when needed; guard: prefix a formula-like text. */
static int put_field(struct buf *b, const char *s, bool guard)
{
	size_t n = strlen(s);
	bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
	for (const char *p = s; *p && !quote; p++)
		quote = *p == ',' || *p == '"' || *p == '\r' || *p == '\n';
	bool prefix = guard && n > 0 && strchr("=+-@\t\r", s[0]) != NULL;
	if (quote && buf_putc(b, '"'))
		return -1;
	if (prefix && buf_putc(b, '\''))
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p == '"' && buf_putc(b, '"'))
			return -1;
		if (buf_putc(b, *p))
			return -1;
	}
	return quote ? buf_putc(b, '"') : 0;
}

static int put_cell(struct buf *b, const struct report_column *col, const struct report_cell *c,
                    enum err_lang lang)
{
	if (!c->set)
		return 0;
	char t[64];
	switch (col->kind) {
	case REPORT_TEXT:
		return put_field(b, report_cell_text(c, lang), true);
	case REPORT_INTEGER:
		return buf_printf(b, "%lld", (long long)c->n);
	case REPORT_PERCENT:
		return buf_printf(b, "%.1f", c->x * 100.0);
	case REPORT_DATETIME: {
		int64_t day;
		int sec;
		vntime_split(c->n, &day, &sec);
		vntime_format_date(day, t);
		return buf_printf(b, "%s %02d:%02d", t, sec / 3600, sec / 60 % 60);
	}
	case REPORT_DURATION:
		return buf_printf(b, "%.2f", (double)c->n / 3600.0);
	}
	return 0;
}

static int put_row(struct buf *b, const struct report_section *s, const struct report_row *row,
                   enum err_lang lang)
{
	for (size_t i = 0; i < s->ncols; i++) {
		if ((i > 0 && buf_putc(b, ',')) || put_cell(b, &s->cols[i], &row->cells[i], lang))
			return -1;
	}
	return buf_puts(b, "\r\n");
}

static int put_section(struct buf *b, const struct report_section *s, enum err_lang lang)
{
	if (put_field(b, report_caption(s, lang), true) || buf_puts(b, "\r\n"))
		return -1;
	for (size_t i = 0; i < s->ncols; i++) {
		char head[256];
		snprintf(head, sizeof head, "%s%s", report_col_header(&s->cols[i], lang),
		         s->cols[i].kind == REPORT_PERCENT ? " (%)" : "");
		if ((i > 0 && buf_putc(b, ',')) || put_field(b, head, false))
			return -1;
	}
	if (buf_puts(b, "\r\n"))
		return -1;
	for (size_t i = 0; i < s->nrows; i++)
		if (put_row(b, s, &s->rows[i], lang))
			return -1;
	if (s->has_total && put_row(b, s, &s->total, lang))
		return -1;
	return 0;
}

enum err_code report_csv_write(const struct report *r, enum err_lang lang, struct buf *out,
                               struct err *e)
{
	if (buf_puts(out, "\xEF\xBB\xBF"))
		return err_set(e, ERR_TOO_LONG, "the CSV file is too large");
	for (size_t k = 0; k < r->nsections; k++) {
		if ((k > 0 && buf_puts(out, "\r\n")) || put_section(out, &r->sections[k], lang))
			return err_set(e, ERR_TOO_LONG, "the CSV file is larger than %zu bytes",
			               out->max);
	}
	return ERR_OK;
}
