/*
 * report_csv: a report (service/reports.h) as CSV for spreadsheets and
 * scripts: RFC 4180 (fields separated by commas, quoted with double quotes
 * when they hold a comma, a quote, a line break or leading or trailing
 * spaces; quotes doubled; CRLF line ends), UTF-8 with a byte order mark so
 * that Excel reads Vietnamese correctly.
 *
 * Layout: for each section, a line with its caption alone, the header line,
 * the rows, the total row when the section has one, and an empty line
 * between sections. Values: integers in plain decimal; percentages as a
 * percentage with one decimal ("92.3", the header ends in " (%)"); instants
 * as "YYYY-MM-DD HH:MM" in Vietnam time; working-time durations in working
 * hours with two decimals; empty cells empty. A text beginning with '=',
 * '+', '-', '@', a tab or a carriage return gets a leading apostrophe, so
 * that a spreadsheet never runs it as a formula (data typed by applicants
 * reaches these files).
 */
#ifndef MOTCUA_DOC_REPORT_CSV_H
#define MOTCUA_DOC_REPORT_CSV_H

#include "base/buf.h"
#include "base/error.h"
#include "service/reports.h"

#define REPORT_CSV_MAX (64u << 20) /* bytes of one CSV file */

/*
 * Appends the CSV of r with headers and texts in lang to out (which the
 * caller initialised, e.g. buf_init(out, REPORT_CSV_MAX)). ERR_TOO_LONG when
 * it does not fit in out's maximum.
 */
enum err_code report_csv_write(const struct report *r, enum err_lang lang, struct buf *out,
                               struct err *e);

#endif
