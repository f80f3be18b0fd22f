/*
 * web_reports: the periodic reports as pages (service/reports.h,
 * docs/reports.md).
 *
 *   GET /reports?report=period|late|satisfaction&from=YYYY-MM-DD&to=YYYY-MM-DD&page=N
 *       one report of a period (default: the period report of this month up
 *       to today) as HTML tables -- the same report tables the XLSX and CSV
 *       files hold -- with a form to choose the period, tabs for the three
 *       reports and links to download the report as XLSX or CSV (the API,
 *       GET /api/v1/reports/{report}?format=...). The late list is paginated
 *       (WEB_PAGE_SIZE rows) and each code links to /dossiers/{id}; reading
 *       it is audited by the service. A bad date re-renders the form with
 *       400 and the message next to the field.
 *
 * For leaders, supervisors and admins.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/lifecycle.h"
#include "service/reports.h"
#include "web/web.h"

#define REPORTS_WEB_ROLES (ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN)
#define REPORTS_WEB_PAGES 100000

static const struct {
	const char *name, *vi, *en;
} tabs[REPORT_N_TYPES] = {
        [REPORT_PERIOD] = {"period", "Tình hình giải quyết", "Period report"},
        [REPORT_LATE] = {"late", "Hồ sơ quá hạn", "Late dossiers"},
        [REPORT_SATISFACTION] = {"satisfaction", "Mức độ hài lòng", "Satisfaction"},
};

static const char *day_param(struct web_page *p, int64_t day)
{
	char s[VNTIME_DATE_LEN];
	vntime_format_date(day, s);
	return web_strdup(p, s);
}

/* "92,3 %" / "92.3%". */
static void percent(struct web_page *p, double x)
{
	int64_t tenths = (int64_t)(x * 1000.0 + 0.5);
	html_textf(&p->h, p->lang == ERR_LANG_EN ? "%lld.%lld%%" : "%lld,%lld %%",
	           (long long)(tenths / 10), (long long)(tenths % 10));
}

static void cell_value(struct web_page *p, const struct report_column *c,
                       const struct report_cell *v)
{
	if (!v->set)
		return;
	switch (c->kind) {
	case REPORT_TEXT:
		html_text(&p->h, report_cell_text(v, p->lang));
		break;
	case REPORT_INTEGER:
		html_int(&p->h, v->n);
		break;
	case REPORT_PERCENT:
		percent(p, v->x);
		break;
	case REPORT_DATETIME:
		web_time(p, v->n);
		break;
	case REPORT_DURATION:
		web_worktime(p, v->n);
		break;
	}
}

/* One row; the first column is the row's header (a group) or a dossier link. */
static void row_html(struct web_page *p, const struct report_section *s,
                     const struct report_row *row, bool total)
{
	struct html *h = &p->h;
	html_open(h, "tr", "class", total ? "total" : NULL, NULL);
	for (size_t i = 0; i < s->ncols; i++) {
		const struct report_column *c = &s->cols[i];
		const char *label = report_col_header(c, p->lang);
		const char *cls = c->kind == REPORT_TEXT ? NULL : "num";
		if (i == 0 && row->id[0]) {
			web_dossier_cell(p, label, row->id,
			                 report_cell_text(&row->cells[0], p->lang));
			continue;
		}
		if (i == 0)
			html_open(h, "th", "scope", "row", "data-label", label, NULL);
		else
			html_open(h, "td", "class", cls, "data-label", label, NULL);
		cell_value(p, c, &row->cells[i]);
		html_close(h, i == 0 ? "th" : "td");
	}
	html_raw(h, "</tr>");
}

static void section_html(struct web_page *p, const struct report *r, size_t k)
{
	struct html *h = &p->h;
	const struct report_section *s = &r->sections[k];
	const char *id = web_strf(p, "report-%s-%s", reports_type_name(r->type), s->key);
	html_elem(h, "h2", report_caption(s, p->lang), "id", web_strf(p, "%s-title", id), NULL);
	if (s->nrows == 0 && !s->has_total) {
		html_elem(h, "p", T(p, "Không có hồ sơ nào.", "No dossiers."), "class", "muted",
		          NULL);
		return;
	}
	html_raw(h, "<div class=\"table-wrap\">");
	html_open(h, "table", "class", "report stack", "id", id, "aria-labelledby",
	          web_strf(p, "%s-title", id), NULL);
	html_raw(h, "<thead><tr>");
	for (size_t i = 0; i < s->ncols; i++)
		html_elem(h, "th", report_col_header(&s->cols[i], p->lang), "scope", "col", "class",
		          s->cols[i].kind == REPORT_TEXT ? NULL : "num", NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < s->nrows; i++)
		row_html(p, s, &s->rows[i], false);
	html_raw(h, "</tbody>");
	if (s->has_total) {
		html_raw(h, "<tfoot>");
		row_html(p, s, &s->total, true);
		html_raw(h, "</tfoot>");
	}
	html_raw(h, "</table></div>");
}

struct form_state {
	const char *from, *to;         /* as typed */
	const char *from_err, *to_err; /* messages, or NULL */
};

static void tabs_html(struct web_page *p, enum report_type cur, const char *from, const char *to)
{
	struct html *h = &p->h;
	html_open(h, "nav", "class", "report-tabs", "aria-label", T(p, "Các báo cáo", "Reports"),
	          NULL);
	html_raw(h, "<ul>");
	for (int t = 0; t < REPORT_N_TYPES; t++) {
		html_raw(h, "<li>");
		html_elem(h, "a", T(p, tabs[t].vi, tabs[t].en), "href",
		          web_url(p, "/reports", "report", tabs[t].name, "from", from, "to", to,
		                  NULL),
		          "aria-current", (int)cur == t ? "page" : NULL, "id",
		          web_strf(p, "tab-%s", tabs[t].name), NULL);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul></nav>");
}

static void form_html(struct web_page *p, enum report_type type, const struct form_state *f)
{
	struct html *h = &p->h;
	html_open(h, "form", "method", "get", "action", "/reports", "class",
	          "filters report-period", "id", "report-form", NULL);
	html_void(h, "input", "type", "hidden", "name", "report", "value", reports_type_name(type),
	          NULL);
	web_input(p, &(struct web_input){.name = "from",
	                                 .label = T(p, "Từ ngày", "From"),
	                                 .type = "date",
	                                 .value = f->from,
	                                 .error = f->from_err});
	web_input(p, &(struct web_input){.name = "to",
	                                 .label = T(p, "Đến ngày", "To"),
	                                 .type = "date",
	                                 .value = f->to,
	                                 .error = f->to_err});
	web_submit(p, T(p, "Xem báo cáo", "Show the report"), NULL);
	html_close(h, "form");
}

static void downloads_html(struct web_page *p, enum report_type type, const char *from,
                           const char *to)
{
	struct html *h = &p->h;
	const char *path = web_strf(p, "/api/v1/reports/%s", reports_type_name(type));
	const char *lang = p->lang == ERR_LANG_EN ? "en" : "vi";
	html_open(h, "p", "class", "report-downloads", "id", "report-downloads", NULL);
	html_elem(h, "a", T(p, "Tải về Excel (XLSX)", "Download as Excel (XLSX)"), "href",
	          web_url(p, path, "format", "xlsx", "from", from, "to", to, "lang", lang, NULL),
	          "class", "button secondary", "id", "download-xlsx", "download", HTML_BOOL, NULL);
	html_text(h, " ");
	html_elem(h, "a", T(p, "Tải về CSV", "Download as CSV"), "href",
	          web_url(p, path, "format", "csv", "from", from, "to", to, "lang", lang, NULL),
	          "class", "button secondary", "id", "download-csv", "download", HTML_BOOL, NULL);
	html_close(h, "p");
}

static void get_reports(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_role(&p, REPORTS_WEB_ROLES))
		return;
	struct err e;
	err_clear(&e);
	enum report_type type = REPORT_PERIOD;
	const char *name = web_query(&p, "report");
	if (name[0] && reports_type_from_name(name, &type, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	int64_t page;
	if (http_request_query_int(req, "page", 1, REPORTS_WEB_PAGES, 1, &page, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	struct form_state f = {web_nonempty(web_query(&p, "from")),
	                       web_nonempty(web_query(&p, "to")), NULL, NULL};
	int64_t day;
	if (f.from && vntime_parse_date(f.from, &day) != 0)
		f.from_err = T(&p, "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
		               "Invalid date; use YYYY-MM-DD.");
	if (f.to && vntime_parse_date(f.to, &day) != 0)
		f.to_err = T(&p, "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
		             "Invalid date; use YYYY-MM-DD.");
	struct report_query q;
	enum err_code rc = ERR_OK;
	if (!f.from_err && !f.to_err) {
		rc = reports_query_parse(f.from, f.to, service_now(p.w->svc), &q, &e);
		if (rc == ERR_INVALID_DATE || rc == ERR_OUT_OF_RANGE)
			f.to_err = rc == ERR_OUT_OF_RANGE
			                   ? T(&p, "Kỳ báo cáo dài tối đa 366 ngày.",
			                       "A period of at most 366 days.")
			                   : T(&p, "Ngày kết thúc phải sau ngày bắt đầu.",
			                       "The end must not be before the start.");
		else if (rc != ERR_OK) {
			web_fail(&p, &e);
			return;
		}
	}
	struct html *h = &p.h;
	if (f.from_err || f.to_err) {
		p.status = 400;
		web_begin(&p, T(&p, "Báo cáo", "Reports"));
		tabs_html(&p, type, f.from, f.to);
		web_form_errors(&p, T(&p, "Kỳ báo cáo chưa hợp lệ.", "The period is not valid."));
		form_html(&p, type, &f);
		web_end(&p);
		return;
	}
	q.limit = type == REPORT_LATE ? WEB_PAGE_SIZE : 0;
	q.offset = type == REPORT_LATE ? (page - 1) * WEB_PAGE_SIZE : 0;
	struct report r;
	if (reports_build(p.w->svc, p.actor, type, &q, &r, &e) != ERR_OK) {
		report_release(&r);
		web_fail(&p, &e);
		return;
	}
	const char *from = day_param(&p, q.from_day), *to = day_param(&p, q.to_day);
	f.from = from;
	f.to = to;
	web_begin(&p, T(&p, "Báo cáo", "Reports"));
	tabs_html(&p, type, from, to);
	form_html(&p, type, &f);
	html_elem(h, "h2", report_title(&r, p.lang), "class", "report-title", "id", "report-title",
	          NULL);
	html_open(h, "p", "class", "lead", "id", "report-scope", NULL);
	html_text(h, T(&p, "Từ ngày ", "From "));
	web_date(&p, q.from_day);
	html_text(h, T(&p, " đến ngày ", " to "));
	web_date(&p, q.to_day);
	html_text(h, T(&p, " · hồ sơ đang giải quyết tính đến ", " · in progress as at "));
	web_time(&p, r.as_of);
	html_close(h, "p");
	if (type == REPORT_LATE) {
		html_open(h, "p", "class", "summary", "id", "report-count", NULL);
		html_int(h, r.total_rows);
		html_text(h, T(&p, " hồ sơ quá hạn",
		               r.total_rows == 1 ? " late dossier" : " late dossiers"));
		html_close(h, "p");
	}
	downloads_html(&p, type, from, to);
	for (size_t k = 0; k < r.nsections; k++)
		section_html(&p, &r, k);
	if (type == REPORT_LATE)
		web_pager(&p, page, r.total_rows,
		          web_url(&p, "/reports", "report", "late", "from", from, "to", to, "page",
		                  web_num(&p, page - 1), NULL),
		          web_url(&p, "/reports", "report", "late", "from", from, "to", to, "page",
		                  web_num(&p, page + 1), NULL),
		          WEB_PAGER_ARROWS);
	report_release(&r);
	web_end(&p);
}

const struct http_route web_report_routes[] = {
        {"GET", "/reports", get_reports, WEB_FORM_MAX},
};
const size_t web_report_nroutes = sizeof web_report_routes / sizeof web_report_routes[0];
