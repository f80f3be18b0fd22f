/*
 * reports: the period report, the late dossiers and the satisfaction report
 * as generic report tables (see reports.h; docs/reports.md).
 */
#include "service/reports.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "db/db_reports.h"
#include "domain/lifecycle.h"
#include "domain/worktime.h"
#include "service/audit.h"
#include "service/indicators.h"

/* ---- the generic table ---- */

static const char *const kind_names[] = {
        [REPORT_TEXT] = "text",         [REPORT_INTEGER] = "integer",
        [REPORT_PERCENT] = "percent",   [REPORT_DATETIME] = "datetime",
        [REPORT_DURATION] = "duration",
};

const char *report_kind_name(enum report_kind k)
{
	return (unsigned)k <= REPORT_DURATION ? kind_names[k] : "text";
}

static const char *const type_names[REPORT_N_TYPES] = {
        [REPORT_PERIOD] = "period",
        [REPORT_LATE] = "late",
        [REPORT_SATISFACTION] = "satisfaction",
};

const char *reports_type_name(enum report_type t)
{
	return (unsigned)t < REPORT_N_TYPES ? type_names[t] : NULL;
}

enum err_code reports_type_from_name(const char *s, enum report_type *out, struct err *e)
{
	for (int t = 0; s && t < REPORT_N_TYPES; t++) {
		if (str_eq(s, type_names[t])) {
			*out = (enum report_type)t;
			return ERR_OK;
		}
	}
	return err_set(e, ERR_INVALID_ARGUMENT,
	               "unknown report '%.40s' (period, late or satisfaction)", s ? s : "");
}

static const struct {
	const char *vi, *en;
} titles[REPORT_N_TYPES] = {
        [REPORT_PERIOD] = {"Báo cáo tình hình tiếp nhận và giải quyết hồ sơ thủ tục hành chính",
                           "Report on the reception and resolution of administrative dossiers"},
        [REPORT_LATE] = {"Danh sách hồ sơ quá hạn", "Late dossiers"},
        [REPORT_SATISFACTION] = {"Báo cáo mức độ hài lòng", "Satisfaction report"},
};

void report_init(struct report *r, enum report_type type)
{
	memset(r, 0, sizeof *r);
	r->type = type;
	if ((unsigned)type < REPORT_N_TYPES) {
		r->title_vi = titles[type].vi;
		r->title_en = titles[type].en;
	}
}

static void row_release(struct report_row *row, size_t ncols)
{
	if (!row->cells)
		return;
	for (size_t i = 0; i < ncols; i++) {
		free(row->cells[i].s);
		free(row->cells[i].s_en);
	}
	free(row->cells);
	row->cells = NULL;
}

void report_release(struct report *r)
{
	for (size_t k = 0; k < r->nsections; k++) {
		struct report_section *s = &r->sections[k];
		for (size_t i = 0; i < s->nrows; i++)
			row_release(&s->rows[i], s->ncols);
		free(s->rows);
		row_release(&s->total, s->ncols);
		memset(s, 0, sizeof *s);
	}
	r->nsections = 0;
}

struct report_section *report_section_add(struct report *r, const char *key, const char *vi,
                                          const char *en, const struct report_column *cols,
                                          size_t ncols)
{
	if (r->nsections >= REPORTS_MAX_SECTIONS)
		return NULL;
	struct report_section *s = &r->sections[r->nsections++];
	memset(s, 0, sizeof *s);
	s->key = key;
	s->vi = vi;
	s->en = en;
	s->cols = cols;
	s->ncols = ncols;
	return s;
}

struct report_row *report_row_add(struct report_section *s, const char *id)
{
	if (s->nrows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct report_row *rows = realloc(s->rows, cap * sizeof *rows);
		if (!rows)
			return NULL;
		s->rows = rows;
		s->cap = cap;
	}
	struct report_cell *cells = calloc(s->ncols ? s->ncols : 1, sizeof *cells);
	if (!cells)
		return NULL;
	struct report_row *row = &s->rows[s->nrows++];
	memset(row, 0, sizeof *row);
	str_copy(row->id, sizeof row->id, id ? id : "");
	row->cells = cells;
	return row;
}

struct report_row *report_total(struct report_section *s)
{
	if (!s->total.cells) {
		s->total.cells = calloc(s->ncols ? s->ncols : 1, sizeof *s->total.cells);
		if (!s->total.cells)
			return NULL;
	}
	s->has_total = true;
	return &s->total;
}

void report_set_int(struct report_row *row, size_t col, int64_t v)
{
	row->cells[col].set = true;
	row->cells[col].n = v;
}

void report_set_pct(struct report_row *row, size_t col, double fraction)
{
	row->cells[col].set = true;
	row->cells[col].x = fraction;
}

void report_set_time(struct report_row *row, size_t col, int64_t epoch)
{
	if (epoch == DB_NONE)
		return;
	row->cells[col].set = true;
	row->cells[col].n = epoch;
}

void report_set_duration(struct report_row *row, size_t col, int64_t seconds)
{
	row->cells[col].set = true;
	row->cells[col].n = seconds;
}

int report_set_text(struct report_row *row, size_t col, const char *vi, const char *en)
{
	struct report_cell *c = &row->cells[col];
	free(c->s);
	free(c->s_en);
	c->s = c->s_en = NULL;
	c->set = false;
	if (!vi)
		return 0;
	c->s = strdup(vi);
	if (!c->s)
		return -1;
	if (en && en[0] && strcmp(en, vi) != 0 && !(c->s_en = strdup(en)))
		return -1;
	c->set = true;
	return 0;
}

const char *report_cell_text(const struct report_cell *c, enum err_lang lang)
{
	if (!c->set || !c->s)
		return "";
	return lang == ERR_LANG_EN && c->s_en ? c->s_en : c->s;
}

const char *report_col_header(const struct report_column *c, enum err_lang lang)
{
	return lang == ERR_LANG_EN ? c->en : c->vi;
}

const char *report_title(const struct report *r, enum err_lang lang)
{
	const char *t = lang == ERR_LANG_EN ? r->title_en : r->title_vi;
	return t ? t : "";
}

const char *report_caption(const struct report_section *s, enum err_lang lang)
{
	const char *t = lang == ERR_LANG_EN ? s->en : s->vi;
	return t ? t : "";
}

void report_filename(const struct report *r, const char *ext, char out[REPORTS_FILENAME_SIZE])
{
	char from[VNTIME_DATE_LEN], to[VNTIME_DATE_LEN];
	vntime_format_date(r->from_day, from);
	vntime_format_date(r->to_day, to);
	const char *t = reports_type_name(r->type);
	snprintf(out, REPORTS_FILENAME_SIZE, "report-%s-%s-%s.%s", t ? t : "x", from, to,
	         ext ? ext : "txt");
}

static json_t *cell_json(const struct report_column *col, const struct report_cell *c,
                         enum err_lang lang)
{
	if (!c->set)
		return json_null();
	char t[VNTIME_DATETIME_LEN];
	switch (col->kind) {
	case REPORT_TEXT:
		return json_string(report_cell_text(c, lang));
	case REPORT_PERCENT:
		return json_real(round(c->x * 10000.0) / 10000.0);
	case REPORT_DATETIME:
		vntime_format_datetime(c->n, t);
		return json_string(t);
	default:
		return json_integer((json_int_t)c->n);
	}
}

static json_t *row_json(const struct report_section *s, const struct report_row *row,
                        enum err_lang lang)
{
	json_t *o = json_object();
	if (row->id[0])
		json_object_set_new(o, "id", json_string(row->id));
	for (size_t i = 0; i < s->ncols; i++)
		json_object_set_new(o, s->cols[i].key,
		                    cell_json(&s->cols[i], &row->cells[i], lang));
	return o;
}

json_t *report_json(const struct report *r, enum err_lang lang)
{
	char from[VNTIME_DATE_LEN], to[VNTIME_DATE_LEN], gen[VNTIME_DATETIME_LEN],
	        asof[VNTIME_DATETIME_LEN];
	vntime_format_date(r->from_day, from);
	vntime_format_date(r->to_day, to);
	vntime_format_datetime(r->generated_at, gen);
	vntime_format_datetime(r->as_of, asof);
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "report", json_string(reports_type_name(r->type)));
	json_object_set_new(o, "title", json_string(report_title(r, lang)));
	json_object_set_new(o, "from", json_string(from));
	json_object_set_new(o, "to", json_string(to));
	json_object_set_new(o, "generated_at", json_string(gen));
	json_object_set_new(o, "as_of", json_string(asof));
	if (r->type == REPORT_LATE) {
		json_object_set_new(o, "total_rows", json_integer(r->total_rows));
		json_object_set_new(o, "offset", json_integer(r->offset));
		json_object_set_new(o, "limit", json_integer(r->limit));
	}
	json_t *secs = json_array();
	for (size_t k = 0; k < r->nsections; k++) {
		const struct report_section *s = &r->sections[k];
		json_t *so = json_object();
		json_object_set_new(so, "key", json_string(s->key));
		json_object_set_new(so, "caption", json_string(report_caption(s, lang)));
		json_t *cols = json_array();
		for (size_t i = 0; i < s->ncols; i++) {
			json_t *c = json_object();
			json_object_set_new(c, "key", json_string(s->cols[i].key));
			json_object_set_new(c, "header",
			                    json_string(report_col_header(&s->cols[i], lang)));
			json_object_set_new(c, "kind",
			                    json_string(report_kind_name(s->cols[i].kind)));
			json_array_append_new(cols, c);
		}
		json_object_set_new(so, "columns", cols);
		json_t *rows = json_array();
		for (size_t i = 0; i < s->nrows; i++)
			json_array_append_new(rows, row_json(s, &s->rows[i], lang));
		json_object_set_new(so, "rows", rows);
		json_object_set_new(so, "total",
		                    s->has_total ? row_json(s, &s->total, lang) : json_null());
		json_array_append_new(secs, so);
	}
	json_object_set_new(o, "sections", secs);
	return o;
}

/* ---- periods and readers ---- */

enum err_code reports_query_parse(const char *from, const char *to, int64_t now,
                                  struct report_query *q, struct err *e)
{
	memset(q, 0, sizeof *q);
	int sec;
	vntime_split(now, &q->to_day, &sec);
	if (to && vntime_parse_date(to, &q->to_day) != 0)
		return err_set(e, ERR_INVALID_DATE, "invalid date '%.40s' (YYYY-MM-DD)", to);
	struct vndate d = vntime_civil_from_days(q->to_day);
	q->from_day = vntime_days_from_civil(d.year, d.month, 1);
	if (from && vntime_parse_date(from, &q->from_day) != 0)
		return err_set(e, ERR_INVALID_DATE, "invalid date '%.40s' (YYYY-MM-DD)", from);
	if (q->to_day < q->from_day)
		return err_set(e, ERR_INVALID_DATE, "the period ends before it begins");
	if (q->to_day - q->from_day + 1 > REPORTS_MAX_DAYS)
		return err_set(e, ERR_OUT_OF_RANGE, "a period of at most %d days",
		               REPORTS_MAX_DAYS);
	return ERR_OK;
}

/* The city's readers: the system, and staff leaders, supervisors and admins. */
static enum err_code check_reader(const struct actor *a, struct err *e)
{
	return indicators_check_reader(a, "the reports", e);
}

static enum err_code check_query(const struct report_query *q, struct err *e)
{
	enum err_code rc = indicators_check_period(q->from_day, q->to_day, REPORTS_MAX_DAYS, e);
	if (rc != ERR_OK)
		return rc;
	if (q->limit < 0 || q->limit > REPORTS_PAGE_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "limit must be 0..%d", REPORTS_PAGE_MAX);
	if (q->offset < 0 || q->offset > REPORTS_OFFSET_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "offset must be 0..%d", REPORTS_OFFSET_MAX);
	return ERR_OK;
}

/* Common start of every report: checks, period, instants, calendar. */
static enum err_code begin(struct service *svc, const struct actor *actor,
                           const struct report_query *q, enum report_type type, struct report *out,
                           struct err *e)
{
	report_init(out, type);
	if (!svc || !actor || !q)
		return err_set(e, ERR_INTERNAL, "no service, actor or query");
	enum err_code rc;
	if ((rc = check_reader(actor, e)) || (rc = check_query(q, e)))
		return rc;
	out->from_day = q->from_day;
	out->to_day = q->to_day;
	out->generated_at = service_now(svc);
	int64_t end = vntime_join(q->to_day + 1, 0);
	out->as_of = end < out->generated_at ? end : out->generated_at;
	const struct worktime_calendar *cal = svc->cal;
	out->day_seconds = cal ? cal->hours.day_seconds : 8 * 3600;
	return ERR_OK;
}

enum err_code reports_build(struct service *svc, const struct actor *actor, enum report_type type,
                            const struct report_query *q, struct report *out, struct err *e)
{
	switch (type) {
	case REPORT_PERIOD:
		return reports_period(svc, actor, q, out, e);
	case REPORT_LATE:
		return reports_late(svc, actor, q, out, e);
	case REPORT_SATISFACTION:
		return reports_satisfaction(svc, actor, q, out, e);
	default:
		report_init(out, type);
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown report %d", (int)type);
	}
}

/* fraction num / den, or nothing when den is 0. */
static void set_share(struct report_row *row, size_t col, int64_t num, int64_t den)
{
	if (den > 0)
		report_set_pct(row, col, (double)num / (double)den);
}

/* ---- the period report ---- */

#define PERIOD_FIGURES                                                                             \
	{"total", "Tổng số hồ sơ nhận giải quyết", "Dossiers to resolve", REPORT_INTEGER, 12},     \
	        {"carried_over", "Kỳ trước chuyển qua", "Carried over", REPORT_INTEGER, 11},       \
	        {"received", "Mới tiếp nhận", "Newly received", REPORT_INTEGER, 11},               \
	        {"received_online", "Tiếp nhận trực tuyến", "Received online", REPORT_INTEGER,     \
	         11},                                                                              \
	        {"received_direct", "Tiếp nhận trực tiếp và bưu chính",                            \
	         "Received at a counter or by post", REPORT_INTEGER, 13},                          \
	        {"resolved", "Đã giải quyết", "Resolved", REPORT_INTEGER, 11},                     \
	        {"resolved_early", "Giải quyết trước hạn", "Resolved early", REPORT_INTEGER, 11},  \
	        {"resolved_on_time", "Giải quyết đúng hạn", "Resolved on time", REPORT_INTEGER,    \
	         11},                                                                              \
	        {"resolved_late", "Giải quyết quá hạn", "Resolved late", REPORT_INTEGER, 11},      \
	        {"open", "Đang giải quyết", "In progress", REPORT_INTEGER, 11},                    \
	        {"open_on_time", "Đang giải quyết trong hạn", "In progress, on time",              \
	         REPORT_INTEGER, 12},                                                              \
	        {"open_late", "Đang giải quyết quá hạn", "In progress, late", REPORT_INTEGER, 12}, \
	{                                                                                          \
		"on_time_rate", "Tỷ lệ giải quyết đúng hạn", "On-time rate", REPORT_PERCENT, 11    \
	}

static const struct report_column period_agency_cols[] = {
        {"name", "Cơ quan giải quyết", "Competent agency", REPORT_TEXT, 40},
        {"code", "Mã đơn vị", "Unit code", REPORT_TEXT, 14},
        PERIOD_FIGURES,
};

static const struct report_column period_procedure_cols[] = {
        {"name", "Thủ tục hành chính", "Administrative procedure", REPORT_TEXT, 50},
        {"code", "Mã thủ tục", "Procedure code", REPORT_TEXT, 14},
        PERIOD_FIGURES,
};

#define PERIOD_NCOLS (sizeof period_agency_cols / sizeof period_agency_cols[0])

/* Fills the figures of a period row (columns 2...). */
static void period_figures(struct report_row *row, const struct ind_figures *f)
{
	report_set_int(row, 2, f->carried_over + f->received);
	report_set_int(row, 3, f->carried_over);
	report_set_int(row, 4, f->received);
	report_set_int(row, 5, f->received_online);
	report_set_int(row, 6, f->received - f->received_online);
	report_set_int(row, 7, f->resolved);
	report_set_int(row, 8, f->resolved_early);
	report_set_int(row, 9, f->resolved_on_time);
	report_set_int(row, 10, f->resolved_late);
	report_set_int(row, 11, f->open_end);
	report_set_int(row, 12, f->open_end_on_time);
	report_set_int(row, 13, f->open_end_late);
	set_share(row, 14, f->resolved_early + f->resolved_on_time, f->resolved);
}

static enum err_code period_section(struct service *svc, const struct actor *actor,
                                    const struct report_query *q, enum ind_dim dim,
                                    struct report_section *s, struct err *e)
{
	struct ind_query iq;
	memset(&iq, 0, sizeof iq);
	iq.from_day = q->from_day;
	iq.to_day = q->to_day;
	iq.dim = dim;
	struct ind_table t;
	memset(&t, 0, sizeof t);
	enum err_code rc = indicators_read(svc, actor, &iq, &t, e);
	if (rc != ERR_OK) {
		indicators_table_release(&t);
		return rc;
	}
	for (size_t i = 0; i < t.n && rc == ERR_OK; i++) {
		const struct ind_row *ir = &t.rows[i];
		struct report_row *row = report_row_add(s, NULL);
		const char *name = ir->name[0] ? ir->name : ir->key;
		if (!row ||
		    report_set_text(row, 0, ir->key[0] ? name : "(Chưa xác định)",
		                    ir->key[0] ? name : "(not known)") ||
		    report_set_text(row, 1, ir->key, NULL)) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory building the report");
			break;
		}
		period_figures(row, &ir->f);
	}
	struct report_row *tot = rc == ERR_OK ? report_total(s) : NULL;
	if (rc == ERR_OK && (!tot || report_set_text(tot, 0, "Tổng cộng", "Total")))
		rc = err_set(e, ERR_NO_MEMORY, "out of memory building the report");
	if (rc == ERR_OK)
		period_figures(tot, &t.total);
	indicators_table_release(&t);
	return rc;
}

enum err_code reports_period(struct service *svc, const struct actor *actor,
                             const struct report_query *q, struct report *out, struct err *e)
{
	enum err_code rc = begin(svc, actor, q, REPORT_PERIOD, out, e);
	if (rc != ERR_OK)
		return rc;
	/* the stocks of the indicators are read at the end of to_day */
	out->as_of = vntime_join(q->to_day + 1, 0);
	struct report_section *a =
	        report_section_add(out, "agency", "Theo cơ quan giải quyết", "By competent agency",
	                           period_agency_cols, PERIOD_NCOLS);
	struct report_section *p =
	        report_section_add(out, "procedure", "Theo thủ tục hành chính", "By procedure",
	                           period_procedure_cols, PERIOD_NCOLS);
	if ((rc = period_section(svc, actor, q, IND_DIM_AGENCY, a, e)) ||
	    (rc = period_section(svc, actor, q, IND_DIM_PROCEDURE, p, e)))
		return rc;
	return ERR_OK;
}

/* ---- the late dossiers ---- */

enum late_col {
	LATE_CODE,
	LATE_PROCEDURE,
	LATE_APPLICANT,
	LATE_AGENCY,
	LATE_STATUS,
	LATE_DUE,
	LATE_RESOLVED,
	LATE_STEP,
	LATE_OFFICER,
	LATE_DELAY,
	LATE_REASON,
	LATE_NCOLS
};

static const struct report_column late_cols[LATE_NCOLS] = {
        [LATE_CODE] = {"code", "Mã hồ sơ", "Dossier code", REPORT_TEXT, 26},
        [LATE_PROCEDURE] = {"procedure", "Thủ tục hành chính", "Procedure", REPORT_TEXT, 40},
        [LATE_APPLICANT] = {"applicant", "Người nộp hồ sơ", "Applicant", REPORT_TEXT, 24},
        [LATE_AGENCY] = {"agency", "Cơ quan giải quyết", "Competent agency", REPORT_TEXT, 30},
        [LATE_STATUS] = {"status", "Tình trạng", "Status", REPORT_TEXT, 22},
        [LATE_DUE] = {"due_at", "Hạn giải quyết theo quy định", "Legal due", REPORT_DATETIME, 17},
        [LATE_RESOLVED] = {"resolved_at", "Thời điểm giải quyết", "Resolved at", REPORT_DATETIME,
                           17},
        [LATE_STEP] = {"step", "Bước xử lý trễ hạn", "Late step", REPORT_TEXT, 18},
        [LATE_OFFICER] = {"officer", "Cán bộ xử lý", "Officer", REPORT_TEXT, 24},
        [LATE_DELAY] = {"delay", "Thời gian trễ (giờ làm việc)", "Delay (working hours)",
                        REPORT_DURATION, 12},
        [LATE_REASON] = {"reason", "Lý do", "Stated reason", REPORT_TEXT, 40},
};

/* Names of procedures and units looked up once per report. */
struct name_entry {
	char code[DBD_KEY_SIZE];
	char vi[DBD_TEXT_SIZE], en[DBD_TEXT_SIZE];
};

struct name_cache {
	struct name_entry *items;
	size_t n, cap;
};

static void name_cache_free(struct name_cache *nc)
{
	free(nc->items);
	memset(nc, 0, sizeof *nc);
}

/* The names of a unit (procedure when is_procedure); the code when unknown. */
static enum err_code cached_name(struct db_conn *c, struct name_cache *nc, bool is_procedure,
                                 const char *code, const char **vi, const char **en, struct err *e)
{
	for (size_t i = 0; i < nc->n; i++) {
		if (str_eq(nc->items[i].code, code)) {
			*vi = nc->items[i].vi;
			*en = nc->items[i].en;
			return ERR_OK;
		}
	}
	if (nc->n == nc->cap) {
		size_t cap = nc->cap ? nc->cap * 2 : 16;
		void *p = realloc(nc->items, cap * sizeof *nc->items);
		if (!p)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		nc->items = p;
		nc->cap = cap;
	}
	struct name_entry *it = &nc->items[nc->n];
	str_copy(it->code, sizeof it->code, code);
	str_copy(it->vi, sizeof it->vi, code);
	str_copy(it->en, sizeof it->en, code);
	enum err_code rc = ERR_OK;
	if (!str_empty(code)) {
		if (is_procedure) {
			struct db_procedure_rules *p = malloc(sizeof *p);
			if (!p)
				return err_set(e, ERR_NO_MEMORY, "out of memory");
			rc = db_dossier_procedure(c, code, p, e);
			if (rc == ERR_OK) {
				str_copy(it->vi, sizeof it->vi, p->name_vi);
				str_copy(it->en, sizeof it->en, p->name_en);
			}
			free(p);
		} else {
			struct db_unit_info *u = malloc(sizeof *u);
			if (!u)
				return err_set(e, ERR_NO_MEMORY, "out of memory");
			rc = db_dossier_unit(c, code, u, e);
			if (rc == ERR_OK) {
				str_copy(it->vi, sizeof it->vi, u->name_vi);
				str_copy(it->en, sizeof it->en, u->name_en);
			}
			free(u);
		}
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			rc = ERR_OK;
		}
	}
	if (rc != ERR_OK)
		return rc;
	nc->n++;
	*vi = it->vi;
	*en = it->en;
	return ERR_OK;
}

static bool is_resolution(const struct db_dossier_event *ev)
{
	return !str_eq(ev->from_state, ev->to_state) &&
	       (str_eq(ev->to_state, "result_ready") || str_eq(ev->to_state, "stopped"));
}

/* What the events say about a late dossier: the step, its officer, the reason. */
struct late_facts {
	int64_t step_seq; /* DB_NONE when unknown */
	const char *officer_account;
	const char *reason;
};

/*
 * A dossier resolved late: the first late step up to the resolution, else
 * the resolution's event; the reason of the last extension up to then,
 * else the note of that event.
 */
static void facts_resolved(const struct db_event_list *evs, int64_t resolved_at,
                           struct late_facts *f)
{
	const struct db_dossier_event *late = NULL, *res = NULL, *ext = NULL;
	for (size_t i = 0; i < evs->count; i++) {
		const struct db_dossier_event *ev = &evs->items[i];
		if (ev->at > resolved_at)
			break;
		if (!late && str_eq(ev->step_result, "late"))
			late = ev;
		if (is_resolution(ev))
			res = ev;
		if (str_eq(ev->action, "extend"))
			ext = ev;
	}
	const struct db_dossier_event *pick = late ? late : res;
	f->step_seq = pick ? pick->step_seq : DB_NONE;
	f->officer_account = pick ? pick->actor_account : "";
	f->reason = ext && ext->note[0] ? ext->note : pick ? pick->note : "";
}

/*
 * A dossier in progress and late at t: who held it (the last take or
 * reassign before t, none after a transfer), the step in progress (the
 * dossier's own when nothing happened since t, else the one after the last
 * step finished before t), the reason of the last extension before t.
 */
static void facts_open(const struct db_event_list *evs, int64_t t, const struct db_late_line *l,
                       struct late_facts *f)
{
	const struct db_dossier_event *ext = NULL, *last = NULL;
	const char *holder = "";
	int64_t step = DB_NONE;
	for (size_t i = 0; i < evs->count; i++) {
		const struct db_dossier_event *ev = &evs->items[i];
		if (ev->at >= t)
			break;
		last = ev;
		if (str_eq(ev->action, "take") || str_eq(ev->action, "reassign"))
			holder = ev->to_account;
		else if (str_eq(ev->action, "transfer"))
			holder = "";
		if (str_eq(ev->action, "extend"))
			ext = ev;
		if (ev->step_result[0] && ev->step_seq != DB_NONE)
			step = ev->step_seq + 1;
	}
	f->step_seq = last && last->version == l->version ? l->step_seq : step;
	f->officer_account = holder;
	f->reason = ext ? ext->note : "";
}

static enum err_code late_row(struct db_conn *c, const struct worktime_calendar *cal,
                              struct name_cache *procs, struct name_cache *units, int64_t as_of,
                              const struct db_late_line *l, struct report_section *s, struct err *e)
{
	struct db_event_list evs;
	enum err_code rc = db_dossier_events(c, l->id, &evs, e);
	if (rc != ERR_OK)
		return rc;
	bool resolved = l->resolved_at != DB_NONE;
	struct late_facts f;
	if (resolved)
		facts_resolved(&evs, l->resolved_at, &f);
	else
		facts_open(&evs, as_of, l, &f);
	char officer[DBD_NAME_SIZE], step_vi[DBD_NAME_SIZE], step_en[DBD_NAME_SIZE];
	char reason[DBD_TEXT_SIZE];
	str_copy(reason, sizeof reason, f.reason);
	step_vi[0] = step_en[0] = '\0';
	const char *pvi, *pen, *uvi, *uen;
	if ((rc = db_reports_account_name(c, f.officer_account, officer, sizeof officer, e)) ||
	    (rc = cached_name(c, procs, true, l->procedure_code, &pvi, &pen, e)) ||
	    (rc = cached_name(c, units, false, l->agency, &uvi, &uen, e)))
		goto out;
	if (f.step_seq != DB_NONE && f.step_seq >= 1) {
		rc = db_reports_step_name(c, l->procedure_code, f.step_seq, step_vi, step_en,
		                          sizeof step_vi, e);
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			rc = ERR_OK;
		}
		if (rc != ERR_OK)
			goto out;
	}
	struct report_row *row = report_row_add(s, l->id);
	if (!row || report_set_text(row, LATE_CODE, l->code[0] ? l->code : l->id, NULL) ||
	    report_set_text(row, LATE_PROCEDURE, pvi, pen) ||
	    report_set_text(row, LATE_APPLICANT, l->applicant_name, NULL) ||
	    report_set_text(row, LATE_AGENCY, l->agency[0] ? uvi : NULL, uen) ||
	    report_set_text(row, LATE_STATUS,
	                    resolved ? "Đã giải quyết, quá hạn" : "Đang giải quyết, quá hạn",
	                    resolved ? "Resolved late" : "In progress, late") ||
	    report_set_text(row, LATE_STEP, step_vi[0] ? step_vi : NULL, step_en) ||
	    report_set_text(row, LATE_OFFICER, officer[0] ? officer : NULL, NULL) ||
	    report_set_text(row, LATE_REASON, reason[0] ? reason : NULL, NULL)) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory building the report");
		goto out;
	}
	report_set_time(row, LATE_DUE, l->due_at);
	report_set_time(row, LATE_RESOLVED, l->resolved_at);
	int64_t delay;
	struct err ignored = {0};
	if (cal && l->due_at != DB_NONE &&
	    worktime_between(cal, l->due_at, resolved ? l->resolved_at : as_of, &delay, &ignored) ==
	            ERR_OK)
		report_set_duration(row, LATE_DELAY, delay < 0 ? 0 : delay);
out:
	db_event_list_free(&evs);
	return rc;
}

struct late_ctx {
	const struct worktime_calendar *cal;
	const struct report_query *q;
	struct report *out;
	int64_t limit;
};

static void section_clear(struct report_section *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		row_release(&s->rows[i], s->ncols);
	s->nrows = 0;
}

static enum err_code late_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct late_ctx *x = ctx;
	struct report *r = x->out;
	struct report_section *s = &r->sections[0];
	section_clear(s); /* a retried transaction starts again from nothing */
	struct db_late_list list;
	int64_t from = vntime_join(x->q->from_day, 0);
	enum err_code rc = db_reports_late(c, from, r->as_of, x->limit, x->q->offset, &list,
	                                   &r->total_rows, e);
	if (rc != ERR_OK)
		return rc;
	struct name_cache procs = {0}, units = {0};
	for (size_t i = 0; i < list.count && rc == ERR_OK; i++)
		rc = late_row(c, x->cal, &procs, &units, r->as_of, &list.items[i], s, e);
	name_cache_free(&procs);
	name_cache_free(&units);
	db_late_list_free(&list);
	return rc;
}

struct late_audit {
	const struct actor *actor;
	const struct report *r;
};

static enum err_code late_audit_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct late_audit *x = ctx;
	char from[VNTIME_DATE_LEN], to[VNTIME_DATE_LEN];
	vntime_format_date(x->r->from_day, from);
	vntime_format_date(x->r->to_day, to);
	json_t *detail = json_object();
	json_object_set_new(detail, "from", json_string(from));
	json_object_set_new(detail, "to", json_string(to));
	json_object_set_new(detail, "total", json_integer(x->r->total_rows));
	json_object_set_new(detail, "offset", json_integer(x->r->offset));
	json_object_set_new(detail, "shown", json_integer((json_int_t)x->r->sections[0].nrows));
	char *text = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	if (!text)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	enum err_code rc = audit_append(c, x->actor, x->r->generated_at, "reports.late",
	                                "reports:late", text, e);
	free(text);
	return rc;
}

enum err_code reports_late(struct service *svc, const struct actor *actor,
                           const struct report_query *q, struct report *out, struct err *e)
{
	enum err_code rc = begin(svc, actor, q, REPORT_LATE, out, e);
	if (rc != ERR_OK)
		return rc;
	out->offset = q->offset;
	out->limit = q->limit;
	if (!report_section_add(out, "dossiers", "Hồ sơ quá hạn", "Late dossiers", late_cols,
	                        LATE_NCOLS))
		return err_set(e, ERR_INTERNAL, "no room for a section");
	struct late_ctx x = {svc->cal, q, out, q->limit ? q->limit : REPORTS_LATE_MAX};
	/* read in a read transaction (an export may be long), then audit the read */
	if ((rc = db_run_txn(svc->db, DB_TXN_READ, late_txn, &x, e)))
		return rc;
	struct late_audit a = {actor, out};
	rc = db_run_txn(svc->db, DB_TXN_WRITE, late_audit_txn, &a, e);
	if (rc != ERR_OK)
		report_release(out);
	return rc;
}

/* ---- the satisfaction report ---- */

enum sat_col {
	SAT_NAME,
	SAT_CODE,
	SAT_RATED,
	SAT_VERY,
	SAT_SATISFIED,
	SAT_NEUTRAL,
	SAT_DISSATISFIED,
	SAT_SHARE,
	SAT_COMPLAINTS,
	SAT_RESOLVED,
	SAT_UNSATISFIED,
	SAT_766,
	SAT_NCOLS
};

#define SAT_FIGURES                                                                                \
	[SAT_CODE] = {"code", "Mã đơn vị", "Unit code", REPORT_TEXT, 14},                          \
	[SAT_RATED] = {"rated", "Số lượt đánh giá", "Ratings", REPORT_INTEGER, 11},                \
	[SAT_VERY] = {"very_satisfied", "Rất hài lòng", "Very satisfied", REPORT_INTEGER, 11},     \
	[SAT_SATISFIED] = {"satisfied", "Hài lòng", "Satisfied", REPORT_INTEGER, 11},              \
	[SAT_NEUTRAL] = {"neutral", "Bình thường", "Neutral", REPORT_INTEGER, 11},                 \
	[SAT_DISSATISFIED] = {"dissatisfied", "Không hài lòng", "Dissatisfied", REPORT_INTEGER,    \
	                      11},                                                                 \
	[SAT_SHARE] = {"satisfied_share", "Tỷ lệ đánh giá không phải không hài lòng",              \
	               "Share of ratings not dissatisfied", REPORT_PERCENT, 13},                   \
	[SAT_COMPLAINTS] = {"complaints", "Số phản ánh, kiến nghị", "Complaints", REPORT_INTEGER,  \
	                    11},                                                                   \
	[SAT_RESOLVED] = {"resolved", "Hồ sơ đã giải quyết", "Dossiers resolved", REPORT_INTEGER,  \
	                  11},                                                                     \
	[SAT_UNSATISFIED] = {"unsatisfied", "Hồ sơ không hài lòng hoặc bị phản ánh",               \
	                     "Resolved, rated dissatisfied or complained about", REPORT_INTEGER,   \
	                     14},                                                                  \
	[SAT_766] = {"satisfaction_766", "Mức độ hài lòng (QĐ 766/QĐ-TTg)",                        \
	             "Satisfaction (Decision 766/QĐ-TTg)", REPORT_PERCENT, 14}

static const struct report_column sat_agency_cols[SAT_NCOLS] = {
        [SAT_NAME] = {"name", "Cơ quan giải quyết", "Competent agency", REPORT_TEXT, 40},
        SAT_FIGURES,
};

static const struct report_column sat_branch_cols[SAT_NCOLS] = {
        [SAT_NAME] = {"name", "Đơn vị tiếp nhận", "Receiving unit", REPORT_TEXT, 40},
        SAT_FIGURES,
};

static void sat_figures(struct report_row *row, const struct db_sat_group *g)
{
	report_set_int(row, SAT_RATED, g->rated);
	report_set_int(row, SAT_VERY, g->very_satisfied);
	report_set_int(row, SAT_SATISFIED, g->satisfied);
	report_set_int(row, SAT_NEUTRAL, g->neutral);
	report_set_int(row, SAT_DISSATISFIED, g->dissatisfied);
	set_share(row, SAT_SHARE, g->rated - g->dissatisfied, g->rated);
	report_set_int(row, SAT_COMPLAINTS, g->complaints);
	report_set_int(row, SAT_RESOLVED, g->resolved);
	report_set_int(row, SAT_UNSATISFIED, g->unsatisfied);
	set_share(row, SAT_766, g->resolved - g->unsatisfied, g->resolved);
}

struct sat_ctx {
	const struct report_query *q;
	struct report *out;
};

static enum err_code sat_section(struct db_conn *c, enum db_sat_unit by, int64_t from, int64_t to,
                                 struct report_section *s, struct err *e)
{
	struct db_sat_list l;
	enum err_code rc = db_reports_satisfaction(c, by, from, to, &l, e);
	if (rc != ERR_OK)
		return rc;
	struct db_sat_group tot;
	memset(&tot, 0, sizeof tot);
	struct name_cache units = {0};
	for (size_t i = 0; i < l.count && rc == ERR_OK; i++) {
		const struct db_sat_group *g = &l.items[i];
		const char *vi, *en;
		if ((rc = cached_name(c, &units, false, g->unit, &vi, &en, e)))
			break;
		struct report_row *row = report_row_add(s, NULL);
		if (!row ||
		    report_set_text(row, SAT_NAME, g->unit[0] ? vi : "(Chưa xác định)",
		                    g->unit[0] ? en : "(not known)") ||
		    report_set_text(row, SAT_CODE, g->unit, NULL)) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory building the report");
			break;
		}
		sat_figures(row, g);
		tot.rated += g->rated;
		tot.very_satisfied += g->very_satisfied;
		tot.satisfied += g->satisfied;
		tot.neutral += g->neutral;
		tot.dissatisfied += g->dissatisfied;
		tot.complaints += g->complaints;
		tot.resolved += g->resolved;
		tot.unsatisfied += g->unsatisfied;
	}
	name_cache_free(&units);
	db_sat_list_free(&l);
	if (rc != ERR_OK)
		return rc;
	struct report_row *t = report_total(s);
	if (!t || report_set_text(t, SAT_NAME, "Tổng cộng", "Total"))
		return err_set(e, ERR_NO_MEMORY, "out of memory building the report");
	sat_figures(t, &tot);
	return ERR_OK;
}

static enum err_code sat_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct sat_ctx *x = ctx;
	struct report *r = x->out;
	int64_t from = vntime_join(x->q->from_day, 0), to = r->as_of;
	for (size_t k = 0; k < r->nsections; k++) {
		section_clear(&r->sections[k]);
		r->sections[k].has_total = false;
	}
	enum err_code rc;
	if ((rc = sat_section(c, DB_SAT_AGENCY, from, to, &r->sections[0], e)) ||
	    (rc = sat_section(c, DB_SAT_BRANCH, from, to, &r->sections[1], e)))
		return rc;
	return ERR_OK;
}

enum err_code reports_satisfaction(struct service *svc, const struct actor *actor,
                                   const struct report_query *q, struct report *out, struct err *e)
{
	enum err_code rc = begin(svc, actor, q, REPORT_SATISFACTION, out, e);
	if (rc != ERR_OK)
		return rc;
	if (!report_section_add(out, "agency", "Theo cơ quan giải quyết", "By competent agency",
	                        sat_agency_cols, SAT_NCOLS) ||
	    !report_section_add(out, "branch", "Theo đơn vị tiếp nhận", "By receiving unit",
	                        sat_branch_cols, SAT_NCOLS))
		return err_set(e, ERR_INTERNAL, "no room for a section");
	struct sat_ctx x = {q, out};
	return db_run_txn(svc->db, DB_TXN_READ, sat_txn, &x, e);
}
