/*
 * reports: the periodic reports of a one-stop unit (issue 7, docs/reports.md),
 * each defined once as a generic report table that the XLSX and CSV writers
 * (src/doc/report_xlsx.h, src/doc/report_csv.h), the JSON of the API and the
 * command line, and the HTML page all render:
 *
 *   period        the standard period report: received (online / direct),
 *                 carried over, resolved early / on time / late, in progress
 *                 on time / late at the end of the period, on-time rate; by
 *                 competent agency and by procedure, from the indicators'
 *                 counters (service/indicators.h)
 *   late          the late dossiers: resolved late in the period (after the
 *                 legal due) or in progress and late at its end, with the
 *                 officer who held the late step, the step, the delay in
 *                 working time and the stated reason
 *   satisfaction  ratings by level, complaints, and the satisfaction of
 *                 Decision 766/QĐ-TTg, by competent agency and by receiving
 *                 branch
 *
 * Who may read: leaders, supervisors and admins (the whole city) and the
 * system actor; others get ERR_FORBIDDEN. The late list names applicants and
 * officers and nothing else personal (no ID numbers, addresses or phones);
 * each read of it is audited ("reports.late").
 */
#ifndef MOTCUA_SERVICE_REPORTS_H
#define MOTCUA_SERVICE_REPORTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db_dossier.h"
#include "service/service.h"

#define REPORTS_MAX_DAYS      366   /* longest period, in days */
#define REPORTS_LATE_MAX      50000 /* rows of a whole late list (exports) */
#define REPORTS_PAGE_DEFAULT  50    /* rows of a late list page when no limit is given */
#define REPORTS_PAGE_MAX      500   /* largest limit of a late list page */
#define REPORTS_OFFSET_MAX    1000000
#define REPORTS_MAX_SECTIONS  2
#define REPORTS_FILENAME_SIZE 96

/* What a column holds, and so how every writer renders it. */
enum report_kind {
	REPORT_TEXT,     /* a string (Vietnamese, with an optional English variant) */
	REPORT_INTEGER,  /* a count */
	REPORT_PERCENT,  /* a fraction 0..1 shown as a percentage */
	REPORT_DATETIME, /* an instant (epoch seconds), shown in Vietnam time */
	REPORT_DURATION  /* working time in seconds (shown in working hours) */
};

/* "text", "integer", "percent", "datetime", "duration". */
const char *report_kind_name(enum report_kind k);

struct report_column {
	const char *key;     /* stable ASCII name: the JSON key of the column */
	const char *vi, *en; /* the header */
	enum report_kind kind;
	int width; /* XLSX width in characters */
};

/* One cell; a cell never set is empty (a blank, JSON null). */
struct report_cell {
	bool set;
	int64_t n;  /* INTEGER, DATETIME (epoch), DURATION (working seconds) */
	double x;   /* PERCENT */
	char *s;    /* TEXT (malloc'd) */
	char *s_en; /* TEXT in English when it differs (malloc'd), else NULL */
};

struct report_row {
	char id[DBD_ID_SIZE];      /* the dossier of the row ("" when the row is a group) */
	struct report_cell *cells; /* ncols of the section */
};

/* A table of the report: columns, rows and an optional total row. */
struct report_section {
	const char *key;                  /* "agency", "procedure", "branch", "dossiers" */
	const char *vi, *en;              /* its caption (and XLSX sheet name) */
	const struct report_column *cols; /* static */
	size_t ncols;
	struct report_row *rows;
	size_t nrows, cap;
	bool has_total;
	struct report_row total;
};

enum report_type { REPORT_PERIOD, REPORT_LATE, REPORT_SATISFACTION, REPORT_N_TYPES };

struct report {
	enum report_type type;
	const char *title_vi, *title_en;
	int64_t from_day, to_day; /* the period, Vietnam days, both included */
	int64_t generated_at;
	int64_t as_of;       /* the instant stocks are read at: end of to_day, or now if earlier */
	int64_t day_seconds; /* office seconds of a working day (to show durations) */
	int64_t total_rows;  /* late list: rows matching (rows of a page otherwise) */
	int64_t offset, limit; /* late list: the page (limit 0: whole list) */
	size_t nsections;
	struct report_section sections[REPORTS_MAX_SECTIONS];
};

/* "period", "late", "satisfaction"; NULL out of range. */
const char *reports_type_name(enum report_type t);
/* Parses a type name: ERR_OK or ERR_INVALID_ARGUMENT. */
enum err_code reports_type_from_name(const char *s, enum report_type *out, struct err *e);

/* The query of every report. */
struct report_query {
	int64_t from_day, to_day; /* both included, at most REPORTS_MAX_DAYS */
	int64_t limit, offset;    /* late list only: limit 0 = the whole list (REPORTS_LATE_MAX) */
};

/*
 * Fills q's period from texts "YYYY-MM-DD" (NULL: the default): from
 * defaults to the first day of the month of to, to to the Vietnam day of
 * now. ERR_INVALID_DATE for a bad date or to < from, ERR_OUT_OF_RANGE for a
 * period longer than REPORTS_MAX_DAYS. limit and offset are set to 0.
 */
enum err_code reports_query_parse(const char *from, const char *to, int64_t now,
                                  struct report_query *q, struct err *e);

/*
 * Builds report `type` for q (reports_period / _late / _satisfaction).
 * Release out with report_release() whatever the result.
 */
enum err_code reports_build(struct service *svc, const struct actor *actor, enum report_type type,
                            const struct report_query *q, struct report *out, struct err *e);

/* The period report (by agency and by procedure) from the indicators' counters. */
enum err_code reports_period(struct service *svc, const struct actor *actor,
                             const struct report_query *q, struct report *out, struct err *e);

/* The late dossiers, one page (or the whole list when q->limit is 0); audited. */
enum err_code reports_late(struct service *svc, const struct actor *actor,
                           const struct report_query *q, struct report *out, struct err *e);

/* The satisfaction report (by agency and by branch). */
enum err_code reports_satisfaction(struct service *svc, const struct actor *actor,
                                   const struct report_query *q, struct report *out, struct err *e);

/* ---- the generic table (also used by the writers' tests) ---- */

/* Empties r (no sections). */
void report_init(struct report *r, enum report_type type);
/* Frees every row and text of r. */
void report_release(struct report *r);

/* Adds a section with the given static columns; NULL when full. */
struct report_section *report_section_add(struct report *r, const char *key, const char *vi,
                                          const char *en, const struct report_column *cols,
                                          size_t ncols);

/* Appends an empty row (id may be NULL); NULL when out of memory. */
struct report_row *report_row_add(struct report_section *s, const char *id);
/* The section's total row (empty cells), marking the section as having one; NULL out of memory. */
struct report_row *report_total(struct report_section *s);

/* Setters of a cell of row (col < the section's ncols). Texts are copied; 0 or -1 out of memory. */
void report_set_int(struct report_row *row, size_t col, int64_t v);
void report_set_pct(struct report_row *row, size_t col, double fraction);
void report_set_time(struct report_row *row, size_t col, int64_t epoch);
void report_set_duration(struct report_row *row, size_t col, int64_t seconds);
int report_set_text(struct report_row *row, size_t col, const char *vi, const char *en);

/* The text of a TEXT cell in lang ("" when empty). */
const char *report_cell_text(const struct report_cell *c, enum err_lang lang);

/* The header of a column, and the title and caption of the report, in lang. */
const char *report_col_header(const struct report_column *c, enum err_lang lang);
const char *report_title(const struct report *r, enum err_lang lang);
const char *report_caption(const struct report_section *s, enum err_lang lang);

/*
 * A file name for an export: "report-TYPE-FROM-TO.EXT" (ext "xlsx", "csv",
 * "json"), ASCII only.
 */
void report_filename(const struct report *r, const char *ext, char out[REPORTS_FILENAME_SIZE]);

/*
 * The report as JSON (texts in lang): {report, title, from, to,
 * generated_at, as_of, total_rows, offset, limit, sections: [{key, caption,
 * columns: [{key, header, kind}], rows: [{id?, <col key>: value...}],
 * total}]}. Integers and durations (seconds) are numbers, percentages
 * fractions rounded to 4 decimals, instants ISO 8601 (+07:00); empty
 * cells null. NULL when out of memory.
 */
json_t *report_json(const struct report *r, enum err_lang lang);

#endif
