/*
 * web_leader: the leaders' overview and the lists behind its numbers.
 *
 *   GET /overview
 *       today and this month at a glance (service/stats.h says what each
 *       figure means): received, filed online and its share, resolved early
 *       / on time / late, in progress on time / late (now), satisfaction;
 *       with four server-drawn charts (web/svg.h), each followed by its data
 *       table: received per day of the month, on-time rate by agency, late
 *       dossiers by agency, load by receiving branch.
 *   GET /overview/list?metric=&from=YYYY-MM-DD&to=YYYY-MM-DD&unit=&page=
 *       the dossiers behind one number (metric: a name of stats_metric_name();
 *       from / to default to today; unit: the metric's unit, see stats.h),
 *       each linking to /dossiers/{id}; no personal data beyond the
 *       applicant's name. The read is audited by the service.
 *
 * For leaders, supervisors and admins. Every number of the overview is a
 * link to its list; charts hold no links (they are images for assistive
 * technology) and their tables carry the links instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/lifecycle.h"
#include "service/indicators.h"
#include "service/stats.h"
#include "web/svg.h"
#include "web/web.h"

#define LEADER_ROLES    (ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN)
#define LEADER_PAGE_MAX 100000

static const struct {
	const char *vi, *en;
} metric_labels[DB_STATS_N_METRICS] = {
        [DB_STATS_RECEIVED] = {"Hồ sơ tiếp nhận", "Dossiers received"},
        [DB_STATS_ONLINE] = {"Hồ sơ nộp trực tuyến", "Filed online"},
        [DB_STATS_RESOLVED] = {"Hồ sơ đã giải quyết", "Dossiers resolved"},
        [DB_STATS_RESOLVED_EARLY] = {"Giải quyết trước hạn", "Resolved early"},
        [DB_STATS_RESOLVED_ON_TIME] = {"Giải quyết đúng hạn", "Resolved on time"},
        [DB_STATS_RESOLVED_LATE] = {"Giải quyết quá hạn", "Resolved late"},
        [DB_STATS_OPEN] = {"Đang giải quyết", "In progress"},
        [DB_STATS_OPEN_ON_TIME] = {"Đang giải quyết trong hạn", "In progress, on time"},
        [DB_STATS_OPEN_LATE] = {"Đang giải quyết quá hạn", "In progress, late"},
        [DB_STATS_RATED] = {"Lượt đánh giá", "Ratings given"},
        [DB_STATS_SATISFIED] = {"Đánh giá hài lòng", "Satisfied ratings"},
};

static const char *metric_label(const struct web_page *p, enum db_stats_metric m)
{
	return T(p, metric_labels[m].vi, metric_labels[m].en);
}

static const char *rating_label(const struct web_page *p, const char *level)
{
	static const struct {
		const char *name, *vi, *en;
	} levels[] = {
	        {"very_satisfied", "Rất hài lòng", "Very satisfied"},
	        {"satisfied", "Hài lòng", "Satisfied"},
	        {"neutral", "Bình thường", "Neutral"},
	        {"dissatisfied", "Không hài lòng", "Dissatisfied"},
	};
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if (str_eq(levels[i].name, level))
			return T(p, levels[i].vi, levels[i].en);
	return level;
}

/* A day as "YYYY-MM-DD" in the request's arena (for URLs). */
static const char *day_param(struct web_page *p, int64_t day)
{
	char s[VNTIME_DATE_LEN];
	vntime_format_date(day, s);
	const char *out = http_request_strdup(p->req, s);
	return out ? out : "";
}

/* The URL of the list behind a number. */
static const char *list_url(struct web_page *p, enum db_stats_metric m, int64_t from, int64_t to,
                            const char *unit)
{
	return web_url(p, "/overview/list", "metric", stats_metric_name(m), "from",
	               day_param(p, from), "to", day_param(p, to), "unit", unit, NULL);
}

/* "92,3 %" / "92.3%" of num / den into out; "—" when den is 0. */
static const char *share(const struct web_page *p, int64_t num, int64_t den, char *out, size_t size)
{
	if (den <= 0) {
		snprintf(out, size, "—");
		return out;
	}
	int64_t tenths = (num * 1000 + den / 2) / den;
	snprintf(out, size, p->lang == ERR_LANG_EN ? "%lld.%lld%%" : "%lld,%lld %%",
	         (long long)(tenths / 10), (long long)(tenths % 10));
	return out;
}

/* A number that links to its list, with the figure's name for screen readers. */
static void count_link(struct web_page *p, enum db_stats_metric m, int64_t value, int64_t from,
                       int64_t to, const char *unit, const char *context)
{
	struct html *h = &p->h;
	html_open(h, "a", "href", list_url(p, m, from, to, unit), "class", "figure", NULL);
	html_int(h, value);
	html_open(h, "span", "class", "visually-hidden", NULL);
	html_text(h, " – ");
	html_text(h, metric_label(p, m));
	if (context) {
		html_text(h, ", ");
		html_text(h, context);
	}
	html_close(h, "span");
	html_close(h, "a");
}

static const char *unit_name(const struct web_page *p, const struct db_stats_group *g)
{
	const char *n = T(p, g->name_vi, g->name_en);
	return n[0] ? n : g->code;
}

/* ---- the overview ---- */

static void figures_table(struct web_page *p, const struct stats_overview *o)
{
	struct html *h = &p->h;
	char today[32], month[32], a[24];
	struct vndate d = vntime_civil_from_days(o->today);
	snprintf(today, sizeof today, "%s %02d/%02d", T(p, "Hôm nay", "Today"), d.day, d.month);
	snprintf(month, sizeof month, "%s %d/%d", T(p, "Tháng", "Month"), d.month, d.year);
	static const enum db_stats_metric rows[] = {
	        DB_STATS_RECEIVED,       DB_STATS_ONLINE,           DB_STATS_RESOLVED,
	        DB_STATS_RESOLVED_EARLY, DB_STATS_RESOLVED_ON_TIME, DB_STATS_RESOLVED_LATE,
	        DB_STATS_RATED,          DB_STATS_SATISFIED,
	};
	html_raw(h, "<div class=\"table-wrap\">");
	html_open(h, "table", "class", "figures", "id", "overview-figures", NULL);
	html_elem(h, "caption", T(p, "Số liệu hôm nay và tháng này", "Today and this month"), NULL);
	html_raw(h, "<thead><tr>");
	web_col_heads(p, T(p, "Chỉ tiêu", "Figure"), NULL);
	html_elem(h, "th", today, "scope", "col", "class", "num", NULL);
	html_elem(h, "th", month, "scope", "col", "class", "num", NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum db_stats_metric m = rows[i];
		bool sub = m == DB_STATS_RESOLVED_EARLY || m == DB_STATS_RESOLVED_ON_TIME ||
		           m == DB_STATS_RESOLVED_LATE;
		char rid[48];
		snprintf(rid, sizeof rid, "fig-%s", stats_metric_name(m));
		html_open(h, "tr", "class", sub ? "sub" : NULL, "id", rid, NULL);
		html_elem(h, "th", metric_label(p, m), "scope", "row", NULL);
		const struct stats_figures *f[2] = {&o->day, &o->month};
		for (int k = 0; k < 2; k++) {
			html_raw(h, "<td class=\"num\">");
			count_link(p, m, f[k]->n[m], f[k]->from_day, f[k]->to_day, NULL,
			           k ? month : today);
			enum db_stats_metric of = m == DB_STATS_ONLINE      ? DB_STATS_RECEIVED
			                          : m == DB_STATS_SATISFIED ? DB_STATS_RATED
			                          : sub                     ? DB_STATS_RESOLVED
			                                                    : m;
			if (of != m) {
				html_open(h, "span", "class", "share", NULL);
				html_textf(h, " (%s)",
				           share(p, f[k]->n[m], f[k]->n[of], a, sizeof a));
				html_close(h, "span");
			}
			html_raw(h, "</td>");
		}
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void open_cards(struct web_page *p, const struct stats_overview *o)
{
	struct html *h = &p->h;
	static const enum db_stats_metric m[] = {DB_STATS_OPEN, DB_STATS_OPEN_ON_TIME,
	                                         DB_STATS_OPEN_LATE};
	static const char *const cls[] = {"card", "card ok", "card late"};
	char pct[24];
	html_open(h, "ul", "class", "cards figures-now", "id", "overview-open", NULL);
	for (size_t i = 0; i < 3; i++) {
		html_open(h, "li", "class", cls[i], NULL);
		html_elem(h, "p", metric_label(p, m[i]), "class", "card-label", NULL);
		html_raw(h, "<p class=\"card-value\">");
		count_link(p, m[i], o->day.n[m[i]], o->today, o->today, NULL, NULL);
		html_raw(h, "</p>");
		if (i > 0) {
			html_elem(
			        h, "p",
			        share(p, o->day.n[m[i]], o->day.n[DB_STATS_OPEN], pct, sizeof pct),
			        "class", "muted", NULL);
		}
		html_close(h, "li");
	}
	html_close(h, "ul");
}

/* Received per day of the month: columns and a table in <details>. */
static void chart_per_day(struct web_page *p, const struct stats_overview *o)
{
	struct html *h = &p->h;
	struct svg_item items[31];
	const char *hrefs[31];
	char labels[31][16];
	struct vndate d = vntime_civil_from_days(o->today);
	for (int i = 0; i < o->n_days && i < 31; i++) {
		int64_t day = o->month_first + i;
		struct vndate dd = vntime_civil_from_days(day);
		snprintf(labels[i], sizeof labels[i], "%02d/%02d", dd.day, dd.month);
		items[i] = (struct svg_item){labels[i], o->per_day[i], NULL};
		hrefs[i] = list_url(p, DB_STATS_RECEIVED, day, day, NULL);
	}
	char title[96], desc[200];
	snprintf(title, sizeof title, "%s %d/%d",
	         T(p, "Hồ sơ tiếp nhận theo ngày, tháng", "Dossiers received per day,"), d.month,
	         d.year);
	snprintf(desc, sizeof desc, "%s",
	         T(p, "Mỗi cột là số hồ sơ tiếp nhận trong một ngày, từ ngày 1 đến hôm nay.",
	           "Each column is the number of dossiers received on one day, from the 1st to "
	           "today."));
	html_elem(h, "h2", title, "id", "h-per-day", NULL);
	html_open(h, "figure", "class", "chart-box", NULL);
	/* the day labels under the columns: day numbers only */
	struct svg_item short_items[31];
	char short_labels[31][4];
	for (int i = 0; i < o->n_days && i < 31; i++) {
		snprintf(short_labels[i], sizeof short_labels[i], "%d", i + 1);
		short_items[i] = (struct svg_item){short_labels[i], o->per_day[i], NULL};
	}
	svg_columns(h,
	            &(struct svg_chart){.id = "chart-per-day",
	                                .title = title,
	                                .desc = desc,
	                                .empty = T(p, "Chưa có số liệu", "No data yet")},
	            short_items, (size_t)o->n_days);
	html_open(h, "details", NULL);
	html_elem(h, "summary", T(p, "Bảng số liệu theo ngày", "Table of the days"), NULL);
	svg_table(h, title, T(p, "Ngày", "Day"), T(p, "Hồ sơ tiếp nhận", "Received"), items, hrefs,
	          (size_t)o->n_days, "data");
	html_close(h, "details");
	html_close(h, "figure");
}

/* On-time rate by agency this month: bars of the share not late, and the counts. */
static void chart_on_time(struct web_page *p, const struct stats_overview *o)
{
	struct html *h = &p->h;
	size_t n = o->on_time.count;
	struct svg_item items[STATS_TOP];
	char pct[STATS_TOP][24];
	if (n > STATS_TOP)
		n = STATS_TOP;
	for (size_t i = 0; i < n; i++) {
		const struct db_stats_group *g = &o->on_time.items[i];
		int64_t ok = g->count - g->part;
		items[i] = (struct svg_item){
		        unit_name(p, g), g->count > 0 ? (ok * 1000 + g->count / 2) / g->count : 0,
		        share(p, ok, g->count, pct[i], sizeof pct[i])};
	}
	const char *title = T(p, "Tỉ lệ giải quyết đúng hạn theo cơ quan, tháng này",
	                      "On-time rate by agency, this month");
	html_elem(h, "h2", title, "id", "h-on-time", NULL);
	html_open(h, "figure", "class", "chart-box", NULL);
	svg_hbars(h,
	          &(struct svg_chart){
	                  .id = "chart-on-time",
	                  .title = title,
	                  .desc = T(p,
	                            "Phần trăm hồ sơ giải quyết trước hạn hoặc đúng hạn trong số "
	                            "hồ sơ đã giải quyết, theo cơ quan giải quyết (nhiều hồ sơ "
	                            "nhất trước).",
	                            "Share of dossiers resolved early or on time among those "
	                            "resolved, by competent agency (busiest first)."),
	                  .empty = T(p, "Chưa có hồ sơ nào được giải quyết trong tháng.",
	                             "No dossier resolved this month yet."),
	                  .max = 1000,
	                  .tone = SVG_TONE_GOOD},
	          items, n);
	if (n > 0) {
		const char *heads[] = {T(p, "Cơ quan", "Agency"), T(p, "Đã giải quyết", "Resolved"),
		                       T(p, "Quá hạn", "Late"),
		                       T(p, "Tỉ lệ đúng hạn", "On time or early")};
		html_raw(h, "<div class=\"table-wrap\">");
		html_open(h, "table", "class", "data stack", "id", "table-on-time", NULL);
		html_elem(h, "caption", title, "class", "visually-hidden", NULL);
		html_raw(h, "<thead><tr>");
		for (int k = 0; k < 4; k++)
			html_elem(h, "th", heads[k], "scope", "col", "class", k ? "num" : NULL,
			          NULL);
		html_raw(h, "</tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			const struct db_stats_group *g = &o->on_time.items[i];
			html_raw(h, "<tr>");
			html_elem(h, "th", unit_name(p, g), "scope", "row", NULL);
			html_open(h, "td", "class", "num", "data-label", heads[1], NULL);
			count_link(p, DB_STATS_RESOLVED, g->count, o->month_first, o->today,
			           g->code, unit_name(p, g));
			html_raw(h, "</td>");
			html_open(h, "td", "class", "num", "data-label", heads[2], NULL);
			count_link(p, DB_STATS_RESOLVED_LATE, g->part, o->month_first, o->today,
			           g->code, unit_name(p, g));
			html_raw(h, "</td>");
			html_elem(h, "td", pct[i], "class", "num", "data-label", heads[3], NULL);
			html_raw(h, "</tr>");
		}
		html_raw(h, "</tbody></table></div>");
	}
	html_close(h, "figure");
}

/*
 * Bars of counts by unit and their table (value linking to metric m of the
 * unit over [from, to]).
 */
static void chart_by_unit(struct web_page *p, const struct db_stats_group_list *l,
                          enum db_stats_metric m, int64_t from, int64_t to, const char *id,
                          const char *title, const char *desc, const char *empty,
                          const char *unit_head, enum svg_tone tone)
{
	struct html *h = &p->h;
	size_t n = l->count > STATS_TOP ? STATS_TOP : l->count;
	struct svg_item items[STATS_TOP];
	const char *hrefs[STATS_TOP];
	for (size_t i = 0; i < n; i++) {
		items[i] = (struct svg_item){unit_name(p, &l->items[i]), l->items[i].count, NULL};
		hrefs[i] = list_url(p, m, from, to, l->items[i].code);
	}
	char hid[48], cid[48], tid[48];
	snprintf(hid, sizeof hid, "h-%s", id);
	snprintf(cid, sizeof cid, "chart-%s", id);
	snprintf(tid, sizeof tid, "table-%s", id);
	html_elem(h, "h2", title, "id", hid, NULL);
	html_open(h, "figure", "class", "chart-box", NULL);
	svg_hbars(h,
	          &(struct svg_chart){
	                  .id = cid, .title = title, .desc = desc, .empty = empty, .tone = tone},
	          items, n);
	if (n > 0) {
		html_open(h, "div", "id", tid, NULL);
		svg_table(h, title, unit_head, metric_label(p, m), items, hrefs, n, "data");
		html_close(h, "div");
	}
	html_close(h, "figure");
}

static void points_text(double v, char *out, size_t n)
{
	snprintf(out, n, "%.2f", v);
	for (char *c = out; *c; c++)
		if (*c == '.')
			*c = ','; /* Vietnamese decimal comma, as share() */
}

/*
 * The Decision 766 group scores of the month (service/indicators.h): a
 * table of the five groups, the points measured and the total. Left out
 * when the rules are not built in.
 */
static void index_766(struct web_page *p, const struct stats_overview *o)
{
	struct ind766 *s = malloc(sizeof *s);
	if (!s)
		return;
	struct err e;
	err_clear(&e);
	if (indicators_766(p->w->svc, p->actor, o->month_first, o->today, s, &e) != ERR_OK) {
		free(s);
		return;
	}
	struct html *h = &p->h;
	char a[32], b[32], c[32];
	html_elem(h, "h2",
	          T(p, "Chỉ số phục vụ theo Quyết định 766/QĐ-TTg, tháng này",
	            "Service index of Decision 766/QĐ-TTg, this month"),
	          NULL);
	html_open(h, "div", "class", "table-wrap", NULL);
	html_open(h, "table", "class", "figures", "id", "overview-766", NULL);
	html_elem(h, "caption",
	          T(p, "Điểm theo nhóm chỉ số; chỉ tiêu chưa đo được không tính điểm.",
	            "Points by group; what is not measured scores nothing."),
	          NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", T(p, "Nhóm chỉ số", "Group"), "scope", "col", NULL);
	html_elem(h, "th", T(p, "Điểm tối đa", "Weight"), "scope", "col", "class", "num", NULL);
	html_elem(h, "th", T(p, "Điểm đo được", "Measured"), "scope", "col", "class", "num", NULL);
	html_elem(h, "th", T(p, "Điểm đạt", "Score"), "scope", "col", "class", "num", NULL);
	html_close(h, "tr");
	html_close(h, "thead");
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < s->n; i++) {
		const struct ind766_group *g = &s->groups[i];
		points_text(g->weight, a, sizeof a);
		points_text(g->measured_points, b, sizeof b);
		points_text(g->score, c, sizeof c);
		char rid[48];
		snprintf(rid, sizeof rid, "g766-%s", g->id);
		html_open(h, "tr", "id", rid, NULL);
		html_elem(h, "th", T(p, g->name_vi, g->name_en), "scope", "row", NULL);
		html_elem(h, "td", a, "class", "num", NULL);
		html_elem(h, "td", b, "class", "num", NULL);
		html_elem(h, "td", c, "class", "num", NULL);
		html_close(h, "tr");
	}
	points_text(s->max_points, a, sizeof a);
	points_text(s->measured_points, b, sizeof b);
	points_text(s->total, c, sizeof c);
	html_open(h, "tr", "class", "total", NULL);
	html_elem(h, "th", T(p, "Tổng", "Total"), "scope", "row", NULL);
	html_elem(h, "td", a, "class", "num", NULL);
	html_elem(h, "td", b, "class", "num", NULL);
	html_elem(h, "td", c, "class", "num", NULL);
	html_close(h, "tr");
	html_close(h, "tbody");
	html_close(h, "table");
	html_close(h, "div");
	free(s);
}

static void get_overview(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_role(&p, LEADER_ROLES))
		return;
	struct stats_overview o;
	struct err e;
	err_clear(&e);
	if (stats_overview_get(p.w->svc, p.actor, &o, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	struct html *h = &p.h;
	web_begin(&p, T(&p, "Tổng quan", "Overview"));
	html_open(h, "p", "class", "lead", "id", "overview-at", NULL);
	html_text(h, T(&p, "Số liệu lúc ", "Figures as of "));
	web_time(&p, o.now);
	html_text(h, T(&p, ". Mỗi con số dẫn tới danh sách hồ sơ tương ứng.",
	               ". Every number links to the dossiers behind it."));
	html_close(h, "p");

	html_elem(h, "h2", T(&p, "Hôm nay và tháng này", "Today and this month"), NULL);
	figures_table(&p, &o);
	html_elem(h, "h2", T(&p, "Hồ sơ đang giải quyết", "Dossiers in progress"), NULL);
	open_cards(&p, &o);

	chart_per_day(&p, &o);
	chart_on_time(&p, &o);
	chart_by_unit(&p, &o.overdue, DB_STATS_OPEN_LATE, o.today, o.today, "overdue",
	              T(&p, "Hồ sơ quá hạn theo cơ quan, tính đến hết hôm nay",
	                "Late dossiers by agency, by the end of today"),
	              T(&p,
	                "Số hồ sơ đang giải quyết đã quá hạn theo quy định, theo cơ quan giải "
	                "quyết (nhiều nhất trước).",
	                "Dossiers in progress past their legal due, by competent agency (most "
	                "first)."),
	              T(&p, "Không có hồ sơ nào quá hạn.", "No dossier is late."),
	              T(&p, "Cơ quan", "Agency"), SVG_TONE_BAD);
	chart_by_unit(
	        &p, &o.load, DB_STATS_RECEIVED, o.month_first, o.today, "load",
	        T(&p, "Hồ sơ tiếp nhận theo điểm tiếp nhận, tháng này",
	          "Dossiers received by branch, this month"),
	        T(&p,
	          "Số hồ sơ mỗi chi nhánh, điểm phục vụ đã tiếp nhận trong tháng (nhiều "
	          "nhất trước).",
	          "Dossiers each branch or service point received this month (most first)."),
	        T(&p, "Chưa tiếp nhận hồ sơ nào trong tháng.", "Nothing received this month."),
	        T(&p, "Điểm tiếp nhận", "Branch"), SVG_TONE_INFO);
	index_766(&p, &o);
	stats_overview_free(&o);
	web_end(&p);
}

/* ---- the list behind a number ---- */

/* A day of the query (default def); false after answering 400. */
static bool query_day(struct web_page *p, const char *name, int64_t def, int64_t *out)
{
	const char *s = web_query(p, name);
	if (!*s) {
		*out = def;
		return true;
	}
	if (vntime_parse_date(s, out) != 0) {
		char msg[80];
		snprintf(msg, sizeof msg, "%s: YYYY-MM-DD", name);
		web_fail_code(p, ERR_INVALID_DATE, msg);
		return false;
	}
	return true;
}

static void lines_table(struct web_page *p, const struct stats_list *l, enum db_stats_metric m)
{
	struct html *h = &p->h;
	bool rated = m == DB_STATS_RATED || m == DB_STATS_SATISFIED;
	const char *heads[] = {
	        T(p, "Mã hồ sơ", "Dossier code"),
	        T(p, "Người nộp", "Applicant"),
	        T(p, "Thủ tục", "Procedure"),
	        T(p, "Trạng thái", "State"),
	        T(p, "Nơi tiếp nhận", "Received at"),
	        T(p, "Cơ quan giải quyết", "Competent agency"),
	        T(p, "Tiếp nhận lúc", "Received on"),
	        T(p, "Hạn theo quy định", "Legal due"),
	        T(p, "Giải quyết lúc", "Resolved on"),
	        T(p, "Đánh giá", "Rating"),
	};
	size_t ncols = rated ? 10 : 9;
	html_raw(h, "<div class=\"table-wrap\">");
	html_open(h, "table", "class", "stack", "id", "overview-list", NULL);
	html_elem(h, "caption", metric_label(p, m), "class", "visually-hidden", NULL);
	html_raw(h, "<thead><tr>");
	for (size_t i = 0; i < ncols; i++)
		html_elem(h, "th", heads[i], "scope", "col", NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < l->lines.count; i++) {
		const struct db_stats_line *x = &l->lines.items[i];
		bool late_now = m == DB_STATS_OPEN_LATE || m == DB_STATS_RESOLVED_LATE;
		html_open(h, "tr", "class", late_now ? "due-late" : NULL, NULL);
		web_dossier_cell(p, heads[0], x->id, x->code);
		html_elem(h, "td", x->applicant_name, "data-label", heads[1], NULL);
		html_elem(h, "td", x->procedure_code, "data-label", heads[2], NULL);
		html_open(h, "td", "data-label", heads[3], NULL);
		web_state_badge(p, x->state);
		if (str_eq(x->outcome, "refused"))
			html_elem(h, "span", T(p, " (từ chối)", " (refused)"), "class", "muted",
			          NULL);
		html_raw(h, "</td>");
		html_elem(h, "td", x->receiving_unit, "data-label", heads[4], NULL);
		html_elem(h, "td", x->competent_unit, "data-label", heads[5], NULL);
		html_open(h, "td", "data-label", heads[6], NULL);
		web_time(p, x->received_at);
		html_raw(h, "</td>");
		html_open(h, "td", "data-label", heads[7], NULL);
		web_time(p, x->due_at);
		html_raw(h, "</td>");
		html_open(h, "td", "data-label", heads[8], NULL);
		web_time(p, x->resolved_at);
		html_raw(h, "</td>");
		if (rated)
			html_elem(h, "td", rating_label(p, x->rating), "data-label", heads[9],
			          NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void get_list(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_role(&p, LEADER_ROLES))
		return;
	struct err e;
	err_clear(&e);
	struct stats_list_query q;
	memset(&q, 0, sizeof q);
	if (stats_metric_from_name(web_query(&p, "metric"), &q.metric, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	int64_t today, page;
	int sec;
	vntime_split(service_now(p.w->svc), &today, &sec);
	if (!query_day(&p, "from", today, &q.from_day) ||
	    !query_day(&p, "to", q.from_day, &q.to_day))
		return;
	if (http_request_query_int(req, "page", 1, LEADER_PAGE_MAX, 1, &page, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	const char *unit = web_query(&p, "unit");
	q.unit = *unit ? unit : NULL;
	q.limit = WEB_PAGE_SIZE;
	q.offset = (page - 1) * WEB_PAGE_SIZE;
	struct stats_list l;
	if (stats_list_get(p.w->svc, p.actor, &q, &l, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	struct html *h = &p.h;
	web_begin(&p, metric_label(&p, q.metric));
	html_open(h, "p", "class", "lead", "id", "list-scope", NULL);
	if (db_stats_metric_is_snapshot(q.metric)) {
		html_text(h, T(&p, "Tại thời điểm ", "As of "));
		web_time(&p, l.now);
	} else {
		html_text(h, T(&p, "Từ ngày ", "From "));
		web_date(&p, q.from_day);
		html_text(h, T(&p, " đến ngày ", " to "));
		web_date(&p, q.to_day);
	}
	if (q.unit) {
		html_text(h, T(&p, " · Đơn vị: ", " · Unit: "));
		const char *name = T(&p, l.unit_name_vi, l.unit_name_en);
		if (name[0]) {
			html_text(h, name);
			html_text(h, " (");
			html_text(h, q.unit);
			html_text(h, ")");
		} else {
			html_text(h, q.unit);
		}
	}
	html_close(h, "p");
	html_open(h, "p", "class", "summary", "id", "list-count", NULL);
	html_int(h, l.total);
	html_text(h, T(&p, " hồ sơ", l.total == 1 ? " dossier" : " dossiers"));
	html_close(h, "p");
	if (l.lines.count > 0)
		lines_table(&p, &l, q.metric);
	const char *metric = stats_metric_name(q.metric);
	const char *from = day_param(&p, q.from_day), *to = day_param(&p, q.to_day);
	web_pager(&p, page, l.total,
	          web_url(&p, "/overview/list", "metric", metric, "from", from, "to", to, "unit",
	                  q.unit, "page", web_num(&p, page - 1), NULL),
	          web_url(&p, "/overview/list", "metric", metric, "from", from, "to", to, "unit",
	                  q.unit, "page", web_num(&p, page + 1), NULL),
	          WEB_PAGER_ARROWS);
	html_raw(h, "<p>");
	html_elem(h, "a", T(&p, "← Về trang tổng quan", "← Back to the overview"), "href",
	          "/overview", NULL);
	html_raw(h, "</p>");
	stats_list_free(&l);
	web_end(&p);
}

const struct http_route web_leader_routes[] = {
        {"GET", "/overview", get_overview, WEB_FORM_MAX},
        {"GET", "/overview/list", get_list, WEB_FORM_MAX},
};
const size_t web_leader_nroutes = sizeof web_leader_routes / sizeof web_leader_routes[0];
