/*
 * report_xlsx: a report (service/reports.h) as an Excel workbook, written
 * with libxlsxwriter: one worksheet per section, named by its caption.
 *
 * Layout of every sheet (rows counted from 0, as REPORT_XLSX_* below):
 *   row 0  the report's title (bold, large, merged across the columns)
 *   row 1  the period ("Kỳ báo cáo: từ ngày 01/08/2025 đến ngày 31/08/2025")
 *   row 2  the instant the stocks are read at and the time of the report
 *          (the late list: also how many dossiers it holds)
 *   row 3  the section's caption (bold)
 *   row 4  the header row: bold, wrapped, shaded, bordered, frozen, repeated
 *          on every printed page, with an autofilter
 *   row 5  the first data row; the total row (bold) after the last one.
 * Cells are typed: integers "#,##0", percentages "0.0%" (the value is the
 * fraction), instants as Excel date-times in Vietnam time "dd/mm/yyyy
 * hh:mm", working-time durations as a number of working hours "0.00";
 * texts as shared strings. Pages print landscape, one page wide.
 */
#ifndef MOTCUA_DOC_REPORT_XLSX_H
#define MOTCUA_DOC_REPORT_XLSX_H

#include <stddef.h>

#include "base/error.h"
#include "service/reports.h"

#define REPORT_XLSX_TITLE_ROW  0
#define REPORT_XLSX_HEADER_ROW 4
#define REPORT_XLSX_FIRST_ROW  5
#define REPORT_XLSX_MAX        (64u << 20) /* bytes of one workbook read back into memory */

/* Writes the workbook of r (headers and texts in lang) to the file path. ERR_IO on failure. */
enum err_code report_xlsx_write(const struct report *r, enum err_lang lang, const char *path,
                                struct err *e);

/*
 * The same into memory: writes a temporary file (in TMPDIR, else /tmp),
 * reads it back and removes it. *data (malloc'd, *len bytes) is the
 * caller's to free. ERR_IO, ERR_TOO_LONG or ERR_NO_MEMORY on failure.
 */
enum err_code report_xlsx_bytes(const struct report *r, enum err_lang lang, char **data,
                                size_t *len, struct err *e);

#endif
