/*
 * report_xlsx: reports as Excel workbooks on libxlsxwriter (see
 * report_xlsx.h).
 */
#include "doc/report_xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/str.h"
#include "base/vntime.h"

#define SHEET_NAME_MAX 31 /* characters of an Excel sheet name */

struct formats {
	lxw_format *title, *meta, *caption, *head;
	lxw_format *cell[REPORT_DURATION + 1];  /* by kind, in a data row */
	lxw_format *total[REPORT_DURATION + 1]; /* by kind, in the total row */
};

static lxw_format *cell_format(lxw_workbook *wb, enum report_kind k, bool bold)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (bold) {
		format_set_bold(f);
		format_set_bg_color(f, 0xF2F2F2);
	}
	switch (k) {
	case REPORT_TEXT:
		format_set_text_wrap(f);
		break;
	case REPORT_INTEGER:
		format_set_num_format(f, "#,##0");
		break;
	case REPORT_PERCENT:
		format_set_num_format(f, "0.0%");
		break;
	case REPORT_DATETIME:
		format_set_num_format(f, "dd/mm/yyyy hh:mm");
		break;
	case REPORT_DURATION:
		format_set_num_format(f, "0.00");
		break;
	}
	return f;
}

static void formats_make(lxw_workbook *wb, struct formats *fm)
{
	fm->title = workbook_add_format(wb);
	format_set_bold(fm->title);
	format_set_font_size(fm->title, 14);
	format_set_align(fm->title, LXW_ALIGN_CENTER);
	format_set_text_wrap(fm->title);
	fm->meta = workbook_add_format(wb);
	format_set_italic(fm->meta);
	fm->caption = workbook_add_format(wb);
	format_set_bold(fm->caption);
	format_set_font_size(fm->caption, 12);
	fm->head = workbook_add_format(wb);
	format_set_bold(fm->head);
	format_set_text_wrap(fm->head);
	format_set_border(fm->head, LXW_BORDER_THIN);
	format_set_align(fm->head, LXW_ALIGN_CENTER);
	format_set_align(fm->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(fm->head, 0xD9E2F3);
	for (int k = 0; k <= REPORT_DURATION; k++) {
		fm->cell[k] = cell_format(wb, (enum report_kind)k, false);
		fm->total[k] = cell_format(wb, (enum report_kind)k, true);
	}
}

/* A sheet name from the caption: at most 31 characters, none of []:*?/\ ; unique by index. */
static void sheet_name(const char *caption, size_t index, char *out, size_t size)
{
	size_t o = 0, chars = 0;
	for (const unsigned char *p = (const unsigned char *)caption;
	     *p && chars < SHEET_NAME_MAX - 3 && o + 5 < size; chars++) {
		size_t n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		bool bad = n == 1 && strchr("[]:*?/\\'", *p);
		for (size_t i = 0; i < n && p[i]; i++)
			out[o++] = bad ? '_' : (char)p[i];
		p += n;
	}
	out[o] = '\0';
	if (o == 0)
		snprintf(out, size, "Sheet%zu", index + 1);
}

/* An instant as an Excel serial date-time in Vietnam time. */
static double excel_time(int64_t epoch)
{
	return (double)(epoch + VNTIME_UTC_OFFSET) / 86400.0 + 25569.0;
}

static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                            const struct report_column *col, const struct report_cell *cell,
                            enum err_lang lang, lxw_format *f)
{
	if (!cell->set)
		return worksheet_write_blank(ws, r, c, f);
	switch (col->kind) {
	case REPORT_TEXT:
		return worksheet_write_string(ws, r, c, report_cell_text(cell, lang), f);
	case REPORT_PERCENT:
		return worksheet_write_number(ws, r, c, cell->x, f);
	case REPORT_DATETIME:
		return worksheet_write_number(ws, r, c, excel_time(cell->n), f);
	case REPORT_DURATION:
		return worksheet_write_number(ws, r, c, (double)cell->n / 3600.0, f);
	default:
		return worksheet_write_number(ws, r, c, (double)cell->n, f);
	}
}

/* "dd/mm/yyyy" */
static void dmy(int64_t day, char out[16])
{
	struct vndate d = vntime_civil_from_days(day);
	snprintf(out, 16, "%02d/%02d/%04d", d.day, d.month, d.year);
}

/* "dd/mm/yyyy hh:mm" */
static void dmy_hm(int64_t epoch, char out[32])
{
	int64_t day;
	int sec;
	vntime_split(epoch, &day, &sec);
	char d[16];
	dmy(day, d);
	snprintf(out, 32, "%s %02d:%02d", d, sec / 3600, sec / 60 % 60);
}

static lxw_error write_sheet(lxw_workbook *wb, const struct formats *fm, const struct report *r,
                             size_t k, enum err_lang lang)
{
	const struct report_section *s = &r->sections[k];
	char name[128];
	sheet_name(report_caption(s, lang), k, name, sizeof name);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	if (!ws)
		return LXW_ERROR_SHEETNAME_ALREADY_USED;
	bool en = lang == ERR_LANG_EN;
	lxw_col_t last = (lxw_col_t)(s->ncols > 0 ? s->ncols - 1 : 0);
	lxw_error rc = LXW_NO_ERROR;
	for (size_t i = 0; i < s->ncols; i++)
		(void)worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
		                           s->cols[i].width > 0 ? s->cols[i].width : 12, NULL);
	char line[512], a[16], b[16], c[32], g[32];
	if (last > 0)
		rc = worksheet_merge_range(ws, REPORT_XLSX_TITLE_ROW, 0, REPORT_XLSX_TITLE_ROW,
		                           last, report_title(r, lang), fm->title);
	else
		rc = worksheet_write_string(ws, REPORT_XLSX_TITLE_ROW, 0, report_title(r, lang),
		                            fm->title);
	(void)worksheet_set_row(ws, REPORT_XLSX_TITLE_ROW, 36, NULL);
	dmy(r->from_day, a);
	dmy(r->to_day, b);
	snprintf(line, sizeof line, en ? "Period: %s to %s" : "Kỳ báo cáo: từ ngày %s đến ngày %s",
	         a, b);
	if (rc == LXW_NO_ERROR)
		rc = worksheet_write_string(ws, 1, 0, line, fm->meta);
	dmy_hm(r->as_of, c);
	dmy_hm(r->generated_at, g);
	if (r->type == REPORT_LATE)
		snprintf(line, sizeof line,
		         en ? "%lld dossiers; in progress as at %s; made at %s"
		            : "%lld hồ sơ; đang giải quyết tính đến %s; lập lúc %s",
		         (long long)r->total_rows, c, g);
	else
		snprintf(line, sizeof line,
		         en ? "In progress as at %s; made at %s"
		            : "Số hồ sơ đang giải quyết tính đến %s; lập lúc %s",
		         c, g);
	if (rc == LXW_NO_ERROR)
		rc = worksheet_write_string(ws, 2, 0, line, fm->meta);
	if (rc == LXW_NO_ERROR)
		rc = worksheet_write_string(ws, 3, 0, report_caption(s, lang), fm->caption);
	for (size_t i = 0; i < s->ncols && rc == LXW_NO_ERROR; i++)
		rc = worksheet_write_string(ws, REPORT_XLSX_HEADER_ROW, (lxw_col_t)i,
		                            report_col_header(&s->cols[i], lang), fm->head);
	(void)worksheet_set_row(ws, REPORT_XLSX_HEADER_ROW, 48, NULL);
	lxw_row_t row = REPORT_XLSX_FIRST_ROW;
	for (size_t j = 0; j < s->nrows && rc == LXW_NO_ERROR; j++, row++)
		for (size_t i = 0; i < s->ncols && rc == LXW_NO_ERROR; i++)
			rc = write_cell(ws, row, (lxw_col_t)i, &s->cols[i], &s->rows[j].cells[i],
			                lang, fm->cell[s->cols[i].kind]);
	if (s->has_total) {
		for (size_t i = 0; i < s->ncols && rc == LXW_NO_ERROR; i++)
			rc = write_cell(ws, row, (lxw_col_t)i, &s->cols[i], &s->total.cells[i],
			                lang, fm->total[s->cols[i].kind]);
		row++;
	}
	worksheet_freeze_panes(ws, REPORT_XLSX_FIRST_ROW, 1);
	(void)worksheet_repeat_rows(ws, REPORT_XLSX_HEADER_ROW, REPORT_XLSX_HEADER_ROW);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	if (rc == LXW_NO_ERROR && s->ncols > 0)
		rc = worksheet_autofilter(
		        ws, REPORT_XLSX_HEADER_ROW, 0,
		        row > REPORT_XLSX_FIRST_ROW ? row - 1 : REPORT_XLSX_HEADER_ROW, last);
	return rc;
}

enum err_code report_xlsx_write(const struct report *r, enum err_lang lang, const char *path,
                                struct err *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return err_set(e, ERR_IO, "cannot create the workbook '%s'", path);
	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	props.title = (char *)report_title(r, lang);
	props.author = (char *)"motcua";
	props.created = (time_t)r->generated_at;
	(void)workbook_set_properties(wb, &props);
	struct formats fm;
	formats_make(wb, &fm);
	lxw_error rc = LXW_NO_ERROR;
	for (size_t k = 0; k < r->nsections && rc == LXW_NO_ERROR; k++)
		rc = write_sheet(wb, &fm, r, k, lang);
	if (r->nsections == 0 && !workbook_add_worksheet(wb, NULL))
		rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
	lxw_error closed = workbook_close(wb);
	if (rc == LXW_NO_ERROR)
		rc = closed;
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_IO, "cannot write the workbook '%s': %s", path,
		               lxw_strerror(rc));
	return ERR_OK;
}

enum err_code report_xlsx_bytes(const struct report *r, enum err_lang lang, char **data,
                                size_t *len, struct err *e)
{
	*data = NULL;
	*len = 0;
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/motcua-report-XXXXXX", str_empty(dir) ? "/tmp" : dir);
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot create a temporary file: %s", strerror(errno));
	close(fd);
	enum err_code rc = report_xlsx_write(r, lang, path, e);
	FILE *f = rc == ERR_OK ? fopen(path, "rb") : NULL;
	if (rc == ERR_OK && !f)
		rc = err_set(e, ERR_IO, "cannot read the workbook back: %s", strerror(errno));
	if (f) {
		struct buf b;
		buf_init(&b, REPORT_XLSX_MAX);
		char chunk[65536];
		size_t n;
		while (rc == ERR_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
			if (buf_append(&b, chunk, n))
				rc = err_set(e, ERR_TOO_LONG,
				             "the workbook is larger than %u bytes",
				             REPORT_XLSX_MAX);
		if (rc == ERR_OK && ferror(f))
			rc = err_set(e, ERR_IO, "cannot read the workbook back");
		fclose(f);
		if (rc == ERR_OK) {
			*len = b.len;
			*data = buf_detach(&b);
			if (!*data)
				rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		}
		buf_release(&b);
	}
	unlink(path);
	return rc;
}
