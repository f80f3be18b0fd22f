/*
 * web_desk: the counter desk of an officer at a branch, a service point or
 * a commune's one-stop desk.
 *
 *   GET  /desk              today's dossiers received here (?all=1: every open one;
 *                           ?page=N)
 *   GET  /desk/intake       the intake form (?q= narrows the procedures, ?procedure=)
 *   POST /desk/intake       step=check: the population check (intake_population_check),
 *                           the residence filled, the waived components ticked and the
 *                           appointment computed (intake_appointment), nothing saved;
 *                           step=receive: intake_receive, then 303 to the dossier page;
 *                           step=refuse: intake_refuse with refusal_reason
 *   GET  /desk/online       online filings waiting for acceptance (?all=1: every branch's)
 *   GET  /desk/collection   results waiting for collection here
 *   GET  /desk/search       search by code, name, ID number or phone (worklist_search)
 *
 * Lists link to /dossiers/{id}, where the actions are. The work lists and the
 * search are the services' (worklist.h): scope, order and audit are theirs.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "base/vntime.h"
#include "db/db_catalog_query.h"
#include "service/catalog.h"
#include "service/intake.h"
#include "service/worklist.h"
#include "web/web_dossier.h"

#define DESK_PROCS_MAX    1000 /* procedures read for the intake form and the lists */
#define DESK_COMMUNES_MAX 1000
#define DESK_PAGE_MAX     100000
#define DESK_SEARCH_MAX   200 /* bytes of a search field */
#define DESK_ERRORS_MAX   8   /* field errors shown at once */

/* ---- reference data ---- */

struct desk_proc {
	const char *code, *name_vi, *name_en, *level, *route_by, *online;
	int64_t legal_days, legal_hours, fee_vnd;
	bool boundary_free;
};

struct desk_procs {
	struct desk_proc *items;
	size_t n;
	struct web_page *p;
};

static void procs_reset(void *ctx)
{
	((struct desk_procs *)ctx)->n = 0;
}

static int procs_row(void *ctx, const struct dbq_procedure *row)
{
	struct desk_procs *x = ctx;
	if (x->n >= DESK_PROCS_MAX)
		return 0;
	struct desk_proc *d = &x->items[x->n++];
	d->code = web_strdup(x->p, row->code);
	d->name_vi = web_strdup(x->p, row->name_vi);
	d->name_en = web_strdup(x->p, row->name_en);
	d->level = web_strdup(x->p, row->level);
	d->route_by = web_strdup(x->p, row->route_by);
	d->online = web_strdup(x->p, row->online);
	d->legal_days = row->legal_days;
	d->legal_hours = row->legal_hours;
	d->fee_vnd = row->fee_vnd;
	d->boundary_free = row->boundary_free;
	return 0;
}

/* Active procedures (those matching q when given: name words or code prefix). */
static void procs_load(struct web_page *p, const char *q, struct desk_procs *out)
{
	out->p = p;
	out->n = 0;
	out->items = http_request_alloc(p->req, DESK_PROCS_MAX * sizeof *out->items);
	if (!out->items)
		return;
	struct dbq_procedure_filter f;
	memset(&f, 0, sizeof f);
	struct buf folded = BUF_INIT(DESK_SEARCH_MAX * 4);
	if (!str_empty(q)) {
		if (fold_text(q, strlen(q), &folded, NULL) != ERR_OK) {
			buf_release(&folded);
			return;
		}
		f.q_folded = buf_str(&folded);
		f.code_prefix = q;
	}
	int64_t total;
	if (catalog_procedures(p->w->svc, &f, DESK_PROCS_MAX, 0, &total, procs_reset, procs_row,
	                       out, NULL) != ERR_OK)
		out->n = 0;
	buf_release(&folded);
}

static const struct desk_proc *procs_find(const struct desk_procs *ps, const char *code)
{
	for (size_t i = 0; ps && i < ps->n; i++)
		if (str_eq(ps->items[i].code, code))
			return &ps->items[i];
	return NULL;
}

static const char *proc_label(const struct web_page *p, const struct desk_proc *d)
{
	return web_pick(p, d->name_vi, d->name_en);
}

struct desk_commune {
	const char *code, *name;
};

struct desk_communes {
	struct desk_commune *items;
	size_t n;
	struct web_page *p;
};

static void communes_reset(void *ctx)
{
	((struct desk_communes *)ctx)->n = 0;
}

static int communes_row(void *ctx, const struct dbq_commune *row)
{
	struct desk_communes *x = ctx;
	if (x->n >= DESK_COMMUNES_MAX)
		return 0;
	x->items[x->n].code = web_strdup(x->p, row->code);
	x->items[x->n].name = web_strdup(x->p, row->name_vi);
	x->n++;
	return 0;
}

static void communes_load(struct web_page *p, struct desk_communes *out)
{
	out->p = p;
	out->n = 0;
	out->items = http_request_alloc(p->req, DESK_COMMUNES_MAX * sizeof *out->items);
	if (!out->items)
		return;
	struct dbq_commune_filter f;
	memset(&f, 0, sizeof f);
	int64_t total;
	if (catalog_communes(p->w->svc, &f, DESK_COMMUNES_MAX, 0, &total, communes_reset,
	                     communes_row, out, NULL) != ERR_OK)
		out->n = 0;
}

static const char *commune_label(const struct desk_communes *c, const char *code)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (str_eq(c->items[i].code, code))
			return c->items[i].name;
	return code;
}

/* ---- layout of the desk ---- */

static const struct {
	const char *path, *vi, *en;
} desk_nav[] = {
        {"/desk", "Hồ sơ hôm nay", "Today"},
        {"/desk/intake", "Tiếp nhận hồ sơ", "Receive a dossier"},
        {"/desk/online", "Hồ sơ trực tuyến chờ tiếp nhận", "Online filings"},
        {"/desk/collection", "Kết quả chờ trả", "Results to hand over"},
        {"/desk/search", "Tìm kiếm", "Search"},
};

/* web_begin() and the desk's own navigation; current is one of desk_nav's paths. */
static void desk_begin(struct web_page *p, const char *title, const char *current)
{
	struct html *h = &p->h;
	web_begin(p, title);
	html_open(h, "nav", "class", "subnav", "aria-label", T(p, "Quầy tiếp nhận", "Counter desk"),
	          NULL);
	html_raw(h, "<ul>");
	for (size_t i = 0; i < sizeof desk_nav / sizeof desk_nav[0]; i++) {
		html_raw(h, "<li>");
		html_elem(h, "a", T(p, desk_nav[i].vi, desk_nav[i].en), "href", desk_nav[i].path,
		          "aria-current", str_eq(current, desk_nav[i].path) ? "page" : NULL, NULL);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul></nav>");
}

/* The page number of ?page= (1 when absent or bad). */
static int64_t page_number(struct web_page *p)
{
	int64_t n;
	if (str_parse_int64(web_query(p, "page"), 1, DESK_PAGE_MAX, &n) != 0)
		return 1;
	return n;
}

/* ---- a list of dossiers ---- */

struct list_opts {
	const char *path;          /* for the pager links */
	const char *keep_name;     /* one query parameter kept by the pager (or NULL) */
	const char *keep_value;    /* its value */
	const char *const *search; /* for the search page: name, value pairs kept (NULL-ended) */
	bool show_collection;      /* a column with the branch of collection */
	bool submitted_time;       /* show the filing time rather than the reception */
};

static void remaining_cell(struct web_page *p, const struct worklist_item *it, const char *label)
{
	struct html *h = &p->h;
	const char *cls = NULL;
	if (it->has_remaining)
		cls = it->overdue || it->remaining < 0     ? "due-late"
		      : it->remaining < web_working_day(p) ? "due-soon"
		                                           : "due-ok";
	html_open(h, "td", "data-label", label, "class", cls, NULL);
	if (it->has_remaining) {
		if (it->overdue && it->remaining >= 0)
			html_text(h, T(p, "Đã quá hạn", "Overdue"));
		else
			web_worktime(p, it->remaining);
		if (it->paused)
			html_text(h, T(p, " (tạm dừng)", " (paused)"));
	}
	html_close(h, "td");
}

static const char *pager_url(struct web_page *p, const struct list_opts *o, int64_t page)
{
	const char *pg = web_strf(p, "%lld", (long long)page);
	if (o->search) {
		const char *const *s = o->search;
		return web_url(p, o->path, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], "page",
		               pg, NULL);
	}
	return web_url(p, o->path, o->keep_name ? o->keep_name : "page",
	               o->keep_name ? o->keep_value : NULL, "page", pg, NULL);
}

static void dossier_table(struct web_page *p, const struct worklist *w,
                          const struct desk_procs *procs, const struct web_units *units,
                          const struct list_opts *o, int64_t page)
{
	struct html *h = &p->h;
	html_open(h, "p", "class", "list-total", NULL);
	html_text(h, T(p, "Tổng số: ", "Total: "));
	html_int(h, w->total);
	html_text(h, T(p, " hồ sơ", " dossiers"));
	html_close(h, "p");
	if (w->count == 0) {
		html_elem(h, "p", T(p, "Không có hồ sơ nào.", "No dossiers."), "class",
		          "muted empty", NULL);
		return;
	}
	const char *lab[8] = {
	        T(p, "Mã hồ sơ", "Code"),
	        T(p, "Người nộp", "Applicant"),
	        T(p, "Thủ tục", "Procedure"),
	        T(p, "Trạng thái", "State"),
	        o->submitted_time ? T(p, "Nộp lúc", "Filed") : T(p, "Tiếp nhận", "Received"),
	        T(p, "Hẹn trả", "Appointment"),
	        T(p, "Còn lại", "Time left"),
	        T(p, "Nơi trả kết quả", "Collect at"),
	};
	size_t ncols = o->show_collection ? 8 : 7;
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack dossier-list\"><thead><tr>");
	for (size_t i = 0; i < ncols; i++)
		html_elem(h, "th", lab[i], "scope", "col", NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < w->count; i++) {
		const struct worklist_item *it = &w->items[i];
		html_open(h, "tr", "class",
		          it->overdue                                               ? "due-late"
		          : it->has_remaining && it->remaining < web_working_day(p) ? "due-soon"
		                                                                    : NULL,
		          NULL);
		html_open(h, "td", "data-label", lab[0], NULL);
		html_open(h, "a", "href", web_url(p, web_strf(p, "/dossiers/%s", it->id), NULL),
		          NULL);
		if (it->code[0]) {
			html_text(h, it->code);
		} else {
			html_text(h, T(p, "Chưa có mã", "No code yet"));
			html_elem(h, "span", web_strf(p, " (%s)", it->applicant_name), "class",
			          "visually-hidden", NULL);
		}
		html_close(h, "a");
		html_close(h, "td");
		html_elem(h, "td", it->applicant_name, "data-label", lab[1], NULL);
		const struct desk_proc *d = procs_find(procs, it->procedure_code);
		html_elem(h, "td", d ? proc_label(p, d) : it->procedure_code, "data-label", lab[2],
		          NULL);
		html_open(h, "td", "data-label", lab[3], NULL);
		web_state_badge(p, it->state);
		html_close(h, "td");
		html_open(h, "td", "data-label", lab[4], NULL);
		web_time(p, o->submitted_time || it->received_at == DB_NONE ? it->submitted_at
		                                                            : it->received_at);
		html_close(h, "td");
		html_open(h, "td", "data-label", lab[5], NULL);
		web_time(p, it->due_at);
		html_close(h, "td");
		remaining_cell(p, it, lab[6]);
		if (o->show_collection)
			html_elem(h, "td", web_unit_name(p, units, it->collection_unit),
			          "data-label", lab[7], NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
	web_pager(p, page, w->total, pager_url(p, o, page - 1), pager_url(p, o, page + 1),
	          WEB_PAGER_ARROWS);
}

/* ---- the work lists ---- */

/*
 * The branch's tracking book (sổ theo dõi hồ sơ) for a period, as signed PDF
 * from the documents API (GET /api/v1/branches/{code}/tracking-book.pdf).
 */
static void tracking_book_form(struct web_page *p)
{
	struct html *h = &p->h;
	if (str_empty(p->actor->unit_code))
		return;
	char from[VNTIME_DATE_LEN], to[VNTIME_DATE_LEN];
	int64_t today;
	int sec;
	vntime_split(service_now(p->w->svc), &today, &sec);
	vntime_format_date(today - 30, from);
	vntime_format_date(today, to);
	html_raw(h, "<section aria-labelledby=\"h-book\" id=\"tracking-book\">");
	html_elem(h, "h2", T(p, "Sổ theo dõi hồ sơ của điểm", "The branch's tracking book"), "id",
	          "h-book", NULL);
	html_open(h, "form", "method", "get", "action",
	          web_strf(p, API_PREFIX "/branches/%s/tracking-book.pdf", p->actor->unit_code),
	          "class", "filters", NULL);
	web_input(p, &(struct web_input){.name = "from",
	                                 .label = T(p, "Từ ngày", "From"),
	                                 .type = "date",
	                                 .value = from,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "to",
	                                 .label = T(p, "Đến ngày", "To"),
	                                 .type = "date",
	                                 .value = to,
	                                 .required = true});
	html_raw(h, "<div class=\"field\">");
	web_submit(p, T(p, "Tải sổ (PDF)", "Download (PDF)"), NULL);
	html_raw(h, "</div></form></section>");
}

static void worklist_page(struct web_page *p, enum worklist_kind kind, const char *path,
                          const char *title)
{
	if (!web_need_role(p, ROLE_OFFICER))
		return;
	struct html *h = &p->h;
	bool all = str_eq(web_query(p, "all"), "1");
	int64_t page = page_number(p);
	struct worklist_query q;
	worklist_query_init(&q, kind);
	q.limit = WEB_PAGE_SIZE;
	q.offset = (page - 1) * WEB_PAGE_SIZE;
	if (kind == WORKLIST_ONLINE)
		q.all_branches = all;
	if (kind == WORKLIST_RECEIVED && !all) {
		int64_t today;
		vntime_split(service_now(p->w->svc), &today, NULL);
		q.received_from = vntime_join(today, 0);
	}
	struct worklist w;
	struct err e;
	err_clear(&e);
	if (worklist_get(p->w->svc, p->actor, &q, &w, &e) != ERR_OK) {
		web_fail(p, &e);
		return;
	}
	struct web_units units;
	if (web_units_load(p, &units, NULL) != ERR_OK)
		units.n = 0;
	struct desk_procs procs;
	procs_load(p, NULL, &procs);

	desk_begin(p, title, path);
	html_open(h, "p", "class", "desk-unit", NULL);
	html_text(h, T(p, "Điểm tiếp nhận: ", "Your desk: "));
	html_elem(h, "strong", web_unit_name(p, &units, p->actor->unit_code), NULL);
	html_close(h, "p");
	if (kind == WORKLIST_RECEIVED) {
		html_raw(h, "<p class=\"desk-actions\">");
		html_elem(h, "a", T(p, "Tiếp nhận hồ sơ mới", "Receive a new dossier"), "href",
		          "/desk/intake", "class", "button", NULL);
		html_elem(h, "a",
		          all ? T(p, "Chỉ hồ sơ tiếp nhận hôm nay", "Only today's")
		              : T(p, "Mọi hồ sơ đang giải quyết đã tiếp nhận tại đây",
		                  "Every open dossier received here"),
		          "href", all ? "/desk" : "/desk?all=1", "class", "button secondary", NULL);
		html_raw(h, "</p>");
		html_elem(h, "h2",
		          all ? T(p, "Hồ sơ đang giải quyết đã tiếp nhận tại đây",
		                  "Open dossiers received here")
		              : T(p, "Hồ sơ tiếp nhận hôm nay", "Dossiers received today"),
		          NULL);
	} else if (kind == WORKLIST_ONLINE) {
		html_raw(h, "<p class=\"desk-actions\">");
		html_elem(h, "a",
		          all ? T(p, "Chỉ hồ sơ chọn nhận kết quả tại đây",
		                  "Only those to be collected here")
		              : T(p, "Hồ sơ của mọi điểm", "Every branch's filings"),
		          "href", all ? "/desk/online" : "/desk/online?all=1", "class",
		          "button secondary", NULL);
		html_raw(h, "</p>");
		html_elem(h, "h2",
		          T(p, "Mở hồ sơ để tiếp nhận hoặc từ chối",
		            "Open a filing to accept or refuse it"),
		          NULL);
	} else {
		html_elem(h, "h2",
		          T(p, "Mở hồ sơ để nhận kết quả về điểm hoặc trả cho công dân",
		            "Open a dossier to receive the result or hand it over"),
		          NULL);
	}
	if (w.truncated)
		html_elem(h, "p",
		          T(p, "Danh sách quá dài; chỉ một phần được sắp xếp.",
		            "The list is too long; only part of it is sorted."),
		          "class", "muted", NULL);
	struct list_opts o = {.path = path,
	                      .keep_name = all ? "all" : NULL,
	                      .keep_value = all ? "1" : NULL,
	                      .show_collection = kind == WORKLIST_ONLINE && all,
	                      .submitted_time = kind == WORKLIST_ONLINE};
	dossier_table(p, &w, &procs, &units, &o, page);
	worklist_free(&w);
	if (kind == WORKLIST_RECEIVED)
		tracking_book_form(p);
	web_end(p);
}

static void get_desk(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	worklist_page(&p, WORKLIST_RECEIVED, "/desk", T(&p, "Quầy tiếp nhận", "Counter desk"));
}

static void get_online(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	worklist_page(&p, WORKLIST_ONLINE, "/desk/online",
	              T(&p, "Hồ sơ trực tuyến chờ tiếp nhận", "Online filings waiting"));
}

static void get_collection(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	worklist_page(&p, WORKLIST_COLLECTION, "/desk/collection",
	              T(&p, "Kết quả chờ trả tại điểm", "Results waiting for collection"));
}

/* ---- search ---- */

static const char *search_field_of(const struct err *e)
{
	if (strstr(e->detail, "name"))
		return "name";
	if (strstr(e->detail, "id_number"))
		return "id_number";
	if (strstr(e->detail, "phone"))
		return "phone";
	if (strstr(e->detail, "code"))
		return "code";
	return NULL;
}

static void get_search(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_role(&p, ROLE_OFFICER))
		return;
	struct html *h = &p.h;
	const char *code = web_query(&p, "code"), *name = web_query(&p, "name"),
	           *id_number = web_query(&p, "id_number"), *phone = web_query(&p, "phone");
	bool asked = *code || *name || *id_number || *phone;
	int64_t page = page_number(&p);
	struct worklist w;
	memset(&w, 0, sizeof w);
	struct err e;
	err_clear(&e);
	const char *bad_field = NULL, *bad_msg = NULL;
	bool searched = false;
	if (asked) {
		struct worklist_search q = {.code = web_nonempty(code),
		                            .name = web_nonempty(name),
		                            .id_number = web_nonempty(id_number),
		                            .phone = web_nonempty(phone),
		                            .limit = WEB_PAGE_SIZE,
		                            .offset = (page - 1) * WEB_PAGE_SIZE};
		if (strlen(code) > DESK_SEARCH_MAX || strlen(name) > DESK_SEARCH_MAX ||
		    strlen(id_number) > DESK_SEARCH_MAX || strlen(phone) > DESK_SEARCH_MAX) {
			err_set(&e, ERR_TOO_LONG, "a search field is longer than %d bytes",
			        DESK_SEARCH_MAX);
		} else if (worklist_search(p.w->svc, p.actor, &q, &w, &e) == ERR_OK) {
			searched = true;
		}
		if (!searched) {
			if (err_http_status(e.code) >= 500 || e.code == ERR_FORBIDDEN) {
				web_fail(&p, &e);
				return;
			}
			p.status = err_http_status(e.code);
			bad_field = search_field_of(&e);
			bad_msg = strstr(e.detail, "2 letters")
			                  ? T(&p, "Nhập ít nhất 2 chữ cái của tên.",
			                      "Type at least 2 letters of the name.")
			                  : err_hint(e.code, p.lang);
		}
	}
	struct web_units units;
	if (web_units_load(&p, &units, NULL) != ERR_OK)
		units.n = 0;
	struct desk_procs procs;
	procs_load(&p, NULL, &procs);
	desk_begin(&p, T(&p, "Tìm kiếm hồ sơ", "Search dossiers"), "/desk/search");
	if (bad_msg)
		web_form_errors(&p, web_strf(&p, "%s (%s)", bad_msg, e.detail));
	html_elem(h, "p",
	          T(&p,
	            "Tìm theo mã hồ sơ, tên người nộp (không cần dấu), số định danh hoặc số điện "
	            "thoại, trong phạm vi hồ sơ của điểm này.",
	            "Search by dossier code, applicant name (accents optional), ID number or "
	            "phone, among the dossiers of this desk."),
	          "class", "muted", NULL);
	html_open(h, "form", "method", "get", "action", "/desk/search", "id", "search-form",
	          "class", "filters", "role", "search", NULL);
	web_input(&p, &(struct web_input){.name = "code",
	                                  .label = T(&p, "Mã hồ sơ", "Dossier code"),
	                                  .value = code,
	                                  .error = str_eq(bad_field, "code") ? bad_msg : NULL,
	                                  .maxlength = DESK_SEARCH_MAX});
	web_input(&p, &(struct web_input){.name = "name",
	                                  .label = T(&p, "Tên người nộp", "Applicant's name"),
	                                  .type = "search",
	                                  .value = name,
	                                  .error = str_eq(bad_field, "name") ? bad_msg : NULL,
	                                  .maxlength = DESK_SEARCH_MAX});
	web_input(&p, &(struct web_input){.name = "id_number",
	                                  .label = T(&p, "Số định danh", "ID number"),
	                                  .value = id_number,
	                                  .inputmode = "numeric",
	                                  .error = str_eq(bad_field, "id_number") ? bad_msg : NULL,
	                                  .maxlength = DESK_SEARCH_MAX});
	web_input(&p, &(struct web_input){.name = "phone",
	                                  .label = T(&p, "Số điện thoại", "Phone"),
	                                  .type = "tel",
	                                  .value = phone,
	                                  .error = str_eq(bad_field, "phone") ? bad_msg : NULL,
	                                  .maxlength = DESK_SEARCH_MAX});
	html_raw(h, "<div class=\"field\">");
	web_submit(&p, T(&p, "Tìm", "Search"), NULL);
	html_raw(h, "</div></form>");
	if (searched) {
		html_elem(h, "h2", T(&p, "Kết quả", "Results"), NULL);
		const char *keep[] = {"code",      code,      "name",  name,
		                      "id_number", id_number, "phone", phone};
		struct list_opts o = {.path = "/desk/search", .search = keep};
		dossier_table(&p, &w, &procs, &units, &o, page);
	}
	worklist_free(&w);
	web_end(&p);
}

/* ---- intake ---- */

struct field_error {
	const char *field, *msg;
};

/* The intake form: what was typed, and what the last step found. */
struct intake_form {
	const char *procedure, *q, *applicant_kind, *full_name, *id_number, *birth_date, *tax_code,
	        *phone, *email, *address, *residence_commune, *property_commune, *co_full_name,
	        *co_id_number, *co_birth_date, *representative_name, *representative_id_number,
	        *authorisation_doc, *competent_unit, *collection_unit, *post_address, *note,
	        *refusal_reason;
	bool by_post, received_by_post;
	const char *comps[INTAKE_MAX_COMPONENTS];
	size_t ncomps;
	const char *kept[INTAKE_MAX_COMPONENTS];
	size_t nkept;
	bool posted;
	/* what the page says */
	const char *message; /* at the top, an error */
	struct field_error errors[DESK_ERRORS_MAX];
	size_t nerrors;
	bool checked, matched; /* the population check ran, and matched */
	const char *pop_residence;
	bool co_checked, co_matched;
	bool show_competent;
};

static const char *form_error(const struct intake_form *f, const char *field)
{
	for (size_t i = 0; i < f->nerrors; i++)
		if (str_eq(f->errors[i].field, field))
			return f->errors[i].msg;
	return NULL;
}

static void add_error(struct intake_form *f, const char *field, const char *msg)
{
	if (f->nerrors < DESK_ERRORS_MAX && !form_error(f, field))
		f->errors[f->nerrors++] = (struct field_error){field, msg};
}

static bool listed(const char *const *vals, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(vals[i], v))
			return true;
	return false;
}

/* "|<ID number>|<date of birth>|<name>": who the population check was about. */
static const char *pop_key(struct web_page *p, const struct intake_form *f)
{
	return web_strf(p, "|%s|%s|%s", f->id_number, f->birth_date, f->full_name);
}

static void intake_read(struct web_page *p, struct intake_form *f)
{
	memset(f, 0, sizeof *f);
	f->posted = true;
	f->procedure = web_field(p, "procedure");
	f->applicant_kind = web_field(p, "applicant_kind");
	f->full_name = web_field(p, "full_name");
	f->id_number = web_field(p, "id_number");
	f->birth_date = web_field(p, "birth_date");
	f->tax_code = web_field(p, "tax_code");
	f->phone = web_field(p, "phone");
	f->email = web_field(p, "email");
	f->address = web_field(p, "address");
	f->residence_commune = web_field(p, "residence_commune");
	f->property_commune = web_field(p, "property_commune");
	f->co_full_name = web_field(p, "co_full_name");
	f->co_id_number = web_field(p, "co_id_number");
	f->co_birth_date = web_field(p, "co_birth_date");
	f->representative_name = web_field(p, "representative_name");
	f->representative_id_number = web_field(p, "representative_id_number");
	f->authorisation_doc = web_field(p, "authorisation_doc");
	f->competent_unit = web_field(p, "competent_unit");
	f->collection_unit = web_field(p, "collection_unit");
	f->by_post = !str_empty(web_field(p, "by_post"));
	f->received_by_post = !str_empty(web_field(p, "received_by_post"));
	f->post_address = web_field(p, "post_address");
	f->note = web_field(p, "note");
	f->refusal_reason = web_field(p, "refusal_reason");
	f->ncomps = web_fields(p, "components", f->comps, INTAKE_MAX_COMPONENTS);
	f->nkept = web_fields(p, "original_kept", f->kept, INTAKE_MAX_COMPONENTS);
	/* the last check's answer holds while the person checked stays the same */
	const char *pop = web_field(p, "pop");
	const char *who = pop_key(p, f);
	size_t n = strlen(who);
	bool same = strlen(pop) > n && strcmp(pop + strlen(pop) - n, who) == 0;
	f->checked = same && (str_has_prefix(pop, "matched|") || str_has_prefix(pop, "unmatched|"));
	f->matched = f->checked && str_has_prefix(pop, "matched|");
	f->show_competent = !str_empty(f->competent_unit);
}

static bool is_org(const struct intake_form *f)
{
	return str_eq(f->applicant_kind, "organisation");
}

/* A date field: INTAKE_NO_DAY when empty; false when it is not a date. */
static bool form_day(const char *s, int64_t *out)
{
	*out = INTAKE_NO_DAY;
	if (str_empty(s))
		return true;
	return vntime_parse_date(s, out) == 0;
}

/* The components of the procedure (for the checklist). */
struct intake_parts {
	struct catalog_procedure_parts parts;
	bool have;
};

static int ignore_row(void *ctx, const struct dbq_procedure *row)
{
	(void)ctx;
	(void)row;
	return 0;
}

static void intake_input(struct web_page *p, const struct intake_form *f, const char *name,
                         const char *label, const char *value, const char *type, const char *hint,
                         const char *autocomplete, int maxlength, bool required)
{
	web_input(p,
	          &(struct web_input){.name = name,
	                              .label = label,
	                              .type = type,
	                              .value = value,
	                              .error = form_error(f, name),
	                              .hint = hint,
	                              .autocomplete = autocomplete,
	                              .inputmode = str_eq(name, "id_number") ||
	                                                           str_eq(name, "co_id_number") ||
	                                                           str_eq(name, "representative_id_"
	                                                                        "number")
	                                                   ? "numeric"
	                                                   : NULL,
	                              .maxlength = maxlength,
	                              .required = required});
}

static void commune_select(struct web_page *p, const struct intake_form *f,
                           const struct desk_communes *c, const char *name, const char *label,
                           const char *selected)
{
	struct html *h = &p->h;
	const char *err = form_error(f, name);
	const char *id = web_strf(p, "f-%s", name);
	const char *err_id = err ? web_strf(p, "e-%s", name) : NULL;
	html_open(h, "div", "class", err ? "field has-error" : "field", NULL);
	html_elem(h, "label", label, "for", id, NULL);
	if (err)
		html_elem(h, "p", err, "class", "field-error", "id", err_id, NULL);
	html_open(h, "select", "id", id, "name", name, "aria-invalid", err ? "true" : NULL,
	          "aria-describedby", err_id, NULL);
	html_elem(h, "option", T(p, "(không rõ / ngoài Hà Nội)", "(unknown / outside Hanoi)"),
	          "value", "", NULL);
	for (size_t i = 0; i < c->n; i++)
		html_elem(h, "option", web_strf(p, "%s (%s)", c->items[i].name, c->items[i].code),
		          "value", c->items[i].code, "selected",
		          str_eq(selected, c->items[i].code) ? HTML_BOOL : NULL, NULL);
	html_close(h, "select");
	html_close(h, "div");
}

static void procedure_select(struct web_page *p, const struct intake_form *f,
                             const struct desk_procs *procs, const struct desk_procs *all)
{
	struct html *h = &p->h;
	const char *err = form_error(f, "procedure");
	const char *err_id = err ? "e-procedure" : NULL;
	html_open(h, "div", "class", err ? "field has-error" : "field", NULL);
	html_raw(h, "<label for=\"f-procedure\">");
	html_text(h, T(p, "Thủ tục hành chính", "Procedure"));
	html_raw(h, "<span class=\"req\" aria-hidden=\"true\"> *</span></label>");
	if (err)
		html_elem(h, "p", err, "class", "field-error", "id", err_id, NULL);
	html_open(h, "select", "id", "f-procedure", "name", "procedure", "required", HTML_BOOL,
	          "aria-invalid", err ? "true" : NULL, "aria-describedby", err_id, NULL);
	html_elem(h, "option", T(p, "— Chọn thủ tục —", "— Choose a procedure —"), "value", "",
	          NULL);
	bool chosen_listed = false;
	for (size_t i = 0; i < procs->n; i++)
		chosen_listed = chosen_listed || str_eq(procs->items[i].code, f->procedure);
	const struct desk_proc *chosen = procs_find(all, f->procedure);
	if (chosen && !chosen_listed)
		html_elem(h, "option", web_strf(p, "%s — %s", chosen->code, proc_label(p, chosen)),
		          "value", chosen->code, "selected", HTML_BOOL, NULL);
	for (size_t i = 0; i < procs->n; i++) {
		const struct desk_proc *d = &procs->items[i];
		html_elem(h, "option", web_strf(p, "%s — %s", d->code, proc_label(p, d)), "value",
		          d->code, "selected", str_eq(f->procedure, d->code) ? HTML_BOOL : NULL,
		          NULL);
	}
	html_close(h, "select");
	html_close(h, "div");
}

static void components_checklist(struct web_page *p, const struct intake_form *f,
                                 const struct intake_parts *ip)
{
	struct html *h = &p->h;
	const char *err = form_error(f, "components");
	html_open(h, "fieldset", "class", err ? "components has-error" : "components", "id",
	          "components", NULL);
	html_elem(h, "legend", T(p, "Thành phần hồ sơ", "Components"), NULL);
	if (err)
		html_elem(h, "p", err, "class", "field-error", "id", "e-components", NULL);
	if (!ip->have || ip->parts.components.count == 0) {
		html_elem(h, "p",
		          ip->have ? T(p, "Thủ tục này không có thành phần nào.",
		                       "This procedure has no components.")
		                   : T(p, "Chọn thủ tục rồi bấm “Kiểm tra” để hiện danh mục.",
		                       "Choose a procedure and press “Check” to list them."),
		          "class", "muted", NULL);
		html_close(h, "fieldset");
		return;
	}
	html_raw(h, "<ul class=\"comp-list\">");
	for (size_t i = 0; i < ip->parts.components.count; i++) {
		const struct db_procedure_component *c = &ip->parts.components.items[i];
		const char *seq = web_strf(p, "%lld", (long long)c->seq);
		bool waived = c->population_replaces && f->matched;
		bool on = waived || listed(f->comps, f->ncomps, seq);
		const char *id = web_strf(p, "f-components-%s", seq);
		const char *kid = web_strf(p, "f-original_kept-%s", seq);
		html_open(h, "li", "class", waived ? "comp waived" : "comp", NULL);
		html_raw(h, "<div class=\"check\">");
		html_void(h, "input", "type", "checkbox", "id", id, "name", "components", "value",
		          seq, "checked", on ? HTML_BOOL : NULL, NULL);
		html_open(h, "label", "for", id, NULL);
		html_textf(h, "%s. %s", seq, c->name_vi);
		if (c->required)
			html_elem(h, "span", T(p, " (bắt buộc)", " (required)"), "class",
			          "comp-req", NULL);
		if (waived)
			html_elem(h, "span",
			          T(p,
			            " — không phải nộp: đã khai thác Cơ sở dữ liệu quốc gia về dân "
			            "cư",
			            " — not needed: taken from the national population database"),
			          "class", "comp-waived", NULL);
		else if (c->population_replaces)
			html_elem(h, "span",
			          T(p, " — có thể thay bằng dữ liệu dân cư khi đối chiếu khớp",
			            " — replaced by population data when the check matches"),
			          "class", "muted", NULL);
		html_close(h, "label");
		html_raw(h, "</div>");
		if (!waived) {
			html_raw(h, "<div class=\"check kept\">");
			html_void(h, "input", "type", "checkbox", "id", kid, "name",
			          "original_kept", "value", seq, "checked",
			          listed(f->kept, f->nkept, seq) ? HTML_BOOL : NULL, NULL);
			html_open(h, "label", "for", kid, NULL);
			html_text(h, T(p, "Lưu bản gốc", "Keep the original"));
			html_elem(h, "span",
			          web_strf(p, " (%s %s)", T(p, "thành phần", "component"), seq),
			          "class", "visually-hidden", NULL);
			html_close(h, "label");
			html_raw(h, "</div>");
		}
		html_close(h, "li");
	}
	html_raw(h, "</ul>");
	html_close(h, "fieldset");
}

static void competent_select(struct web_page *p, const struct intake_form *f,
                             const struct web_units *units, const struct desk_proc *proc)
{
	struct html *h = &p->h;
	const char *kind =
	        proc && str_eq(proc->level, "police") ? "commune_police" : "commune_committee";
	const char *err = form_error(f, "competent_unit");
	const char *err_id = err ? "e-competent_unit" : NULL;
	html_open(h, "div", "class", err ? "field has-error" : "field", NULL);
	html_elem(h, "label", T(p, "Cơ quan có thẩm quyền giải quyết", "Competent unit"), "for",
	          "f-competent_unit", NULL);
	html_elem(h, "p",
	          T(p,
	            "Không xác định được từ nơi cư trú hoặc nơi có tài sản: cán bộ chọn cơ quan "
	            "giải quyết.",
	            "It cannot be found from the residence or the property: choose it."),
	          "class", "field-hint", NULL);
	if (err)
		html_elem(h, "p", err, "class", "field-error", "id", err_id, NULL);
	html_open(h, "select", "id", "f-competent_unit", "name", "competent_unit", "aria-invalid",
	          err ? "true" : NULL, "aria-describedby", err_id, NULL);
	html_elem(h, "option", T(p, "(chưa chọn)", "(not chosen)"), "value", "", NULL);
	for (size_t i = 0; i < units->n; i++) {
		const struct web_unit *u = &units->items[i];
		if (!str_eq(u->kind, kind))
			continue;
		html_elem(h, "option", web_unit_name(p, units, u->code), "value", u->code,
		          "selected", str_eq(f->competent_unit, u->code) ? HTML_BOOL : NULL, NULL);
	}
	html_close(h, "select");
	html_close(h, "div");
}

static void step_button(struct web_page *p, const char *step, const char *label, const char *cls)
{
	html_elem(&p->h, "button", label, "type", "submit", "name", "step", "value", step, "class",
	          cls, "id", web_strf(p, "btn-%s", step), NULL);
}

static void intake_render(struct web_page *p, struct intake_form *f)
{
	struct html *h = &p->h;
	struct service *svc = p->w->svc;
	struct desk_procs all, shown;
	procs_load(p, NULL, &all);
	if (!str_empty(f->q))
		procs_load(p, f->q, &shown);
	else
		shown = all;
	const struct desk_proc *proc = procs_find(&all, f->procedure);
	struct intake_parts ip;
	memset(&ip, 0, sizeof ip);
	if (proc &&
	    catalog_procedure(svc, proc->code, NULL, ignore_row, NULL, &ip.parts, NULL) == ERR_OK)
		ip.have = true;
	struct web_units units;
	if (web_units_load(p, &units, NULL) != ERR_OK)
		units.n = 0;
	struct desk_communes communes;
	communes_load(p, &communes);
	int64_t legal = DB_NONE, due = DB_NONE;
	if (proc && intake_appointment(svc, proc->code, &legal, &due, NULL) != ERR_OK)
		legal = due = DB_NONE;

	desk_begin(p, T(p, "Tiếp nhận hồ sơ", "Receive a dossier"), "/desk/intake");
	web_form_errors(p, f->message);

	/* narrowing the list of procedures (a GET form of its own) */
	html_open(h, "form", "method", "get", "action", "/desk/intake", "id",
	          "procedure-search-form", "class", "filters", "role", "search", NULL);
	web_input(p, &(struct web_input){.name = "q",
	                                 .label = T(p, "Tìm thủ tục (tên hoặc mã)",
	                                            "Find a procedure (name or code)"),
	                                 .type = "search",
	                                 .value = f->q,
	                                 .hint = T(p, "Không cần gõ dấu, ví dụ “khai sinh”.",
	                                           "Accents optional, e.g. “khai sinh”."),
	                                 .maxlength = DESK_SEARCH_MAX});
	html_raw(h, "<div class=\"field\">");
	web_submit(p, T(p, "Tìm thủ tục", "Find"), "button secondary");
	html_raw(h, "</div></form>");
	if (!str_empty(f->q))
		html_elem(h, "p",
		          web_strf(p, "%s: %zu", T(p, "Số thủ tục tìm thấy", "Procedures found"),
		                   shown.n),
		          "class", "muted", "role", "status", NULL);

	html_open(h, "form", "method", "post", "action", "/desk/intake", "id", "intake-form",
	          "class", "intake", NULL);
	web_csrf_input(p);
	/* what the last check found (it only changes what this page shows) */
	html_void(h, "input", "type", "hidden", "name", "pop", "value",
	          f->checked
	                  ? web_strf(p, "%s%s", f->matched ? "matched" : "unmatched", pop_key(p, f))
	                  : "",
	          "id", "intake-pop", NULL);

	html_raw(h, "<fieldset class=\"proc\"><legend>");
	html_text(h, T(p, "Thủ tục", "Procedure"));
	html_raw(h, "</legend>");
	procedure_select(p, f, &shown, &all);
	if (proc) {
		html_raw(h, "<dl class=\"facts proc-facts\">");
		const char *lt = proc->legal_days != DBQ_NONE && proc->legal_days > 0
		                         ? web_strf(p, "%lld %s", (long long)proc->legal_days,
		                                    T(p, "ngày làm việc", "working days"))
		                 : proc->legal_days == 0 ? T(p, "Trong ngày", "Same day")
		                 : proc->legal_hours != DBQ_NONE
		                         ? web_strf(p, "%lld %s", (long long)proc->legal_hours,
		                                    T(p, "giờ làm việc", "working hours"))
		                         : "";
		html_elem(h, "dt", T(p, "Thời hạn giải quyết", "Legal time"), NULL);
		html_elem(h, "dd", lt, NULL);
		html_elem(h, "dt", T(p, "Phí, lệ phí", "Fee"), NULL);
		html_raw(h, "<dd>");
		if (proc->fee_vnd != DBQ_NONE && proc->fee_vnd > 0) {
			html_int(h, proc->fee_vnd);
			html_text(h, " đ");
		} else {
			html_text(h, T(p, "Không", "None"));
		}
		html_raw(h, "</dd>");
		if (!proc->boundary_free) {
			html_elem(h, "dt", T(p, "Phi địa giới", "Any branch"), NULL);
			html_elem(h, "dd",
			          T(p, "Không: chỉ tiếp nhận tại cơ quan có thẩm quyền",
			            "No: only at the competent unit"),
			          NULL);
		}
		html_raw(h, "</dl>");
	}
	html_raw(h, "</fieldset>");

	/* the applicant */
	html_raw(h, "<fieldset class=\"applicant\"><legend>");
	html_text(h, T(p, "Người nộp hồ sơ", "Applicant"));
	html_raw(h, "</legend>");
	const struct web_option kinds[] = {{"person", T(p, "Cá nhân", "A person")},
	                                   {"organisation", T(p, "Tổ chức", "An organisation")}};
	web_select(p, "applicant_kind", T(p, "Loại người nộp", "Applicant is"), kinds, 2,
	           is_org(f) ? "organisation" : "person", form_error(f, "applicant_kind"), false);
	intake_input(p, f, "full_name", T(p, "Họ và tên (hoặc tên tổ chức)", "Full name"),
	             f->full_name, NULL, NULL, "off", INTAKE_NAME_MAX, true);
	intake_input(p, f, "id_number", T(p, "Số định danh cá nhân", "Personal ID number"),
	             f->id_number, NULL, T(p, "12 chữ số (cá nhân).", "12 digits (a person)."),
	             "off", 12, false);
	intake_input(p, f, "birth_date", T(p, "Ngày sinh", "Date of birth"), f->birth_date, "date",
	             NULL, "off", 0, false);
	if (f->checked) {
		if (f->matched) {
			html_open(h, "div", "class", "notice pop-result pop-yes", "role", "status",
			          "id", "pop-result", NULL);
			html_text(h,
			          T(p, "Đã đối chiếu: khớp với Cơ sở dữ liệu quốc gia về dân cư.",
			            "Checked: matches the national population database."));
			if (!str_empty(f->pop_residence))
				html_textf(h, " %s %s.", T(p, "Nơi thường trú:", "Residence:"),
				           commune_label(&communes, f->pop_residence));
			html_close(h, "div");
		} else {
			html_elem(
			        h, "div",
			        T(p,
			          "Không khớp với Cơ sở dữ liệu quốc gia về dân cư (số định danh, "
			          "họ tên "
			          "hoặc ngày sinh): kiểm tra lại giấy tờ; các thành phần phải nộp "
			          "đủ.",
			          "No match with the national population database (ID number, name "
			          "or date of birth): check the papers; every component must be "
			          "handed "
			          "in."),
			        "class", "pop-result pop-no", "role", "status", "id", "pop-result",
			        NULL);
		}
	}
	intake_input(p, f, "tax_code", T(p, "Mã số thuế (tổ chức)", "Tax code (organisation)"),
	             f->tax_code, NULL, NULL, "off", 14, false);
	intake_input(p, f, "phone", T(p, "Số điện thoại", "Phone"), f->phone, "tel", NULL, "off",
	             20, false);
	intake_input(p, f, "email", T(p, "Thư điện tử", "E-mail"), f->email, "email", NULL, "off",
	             INTAKE_NAME_MAX, false);
	intake_input(p, f, "address", T(p, "Địa chỉ liên hệ", "Address"), f->address, NULL, NULL,
	             "off", INTAKE_TEXT_MAX, false);
	commune_select(p, f, &communes, "residence_commune",
	               T(p, "Nơi thường trú (xã, phường)", "Residence (commune)"),
	               f->residence_commune);
	if ((proc && str_eq(proc->route_by, "property")) || !str_empty(f->property_commune))
		commune_select(p, f, &communes, "property_commune",
		               T(p, "Nơi có tài sản hoặc nơi xảy ra sự kiện",
		                 "Commune of the property or event"),
		               f->property_commune);
	html_raw(h, "</fieldset>");

	html_raw(h, "<fieldset class=\"co-applicant\"><legend>");
	html_text(h, T(p, "Người cùng nộp (nếu có)", "Further applicant (if any)"));
	html_raw(h, "</legend>");
	intake_input(p, f, "co_full_name", T(p, "Họ và tên", "Full name"), f->co_full_name, NULL,
	             NULL, "off", INTAKE_NAME_MAX, false);
	intake_input(p, f, "co_id_number", T(p, "Số định danh cá nhân", "Personal ID number"),
	             f->co_id_number, NULL, NULL, "off", 12, false);
	intake_input(p, f, "co_birth_date", T(p, "Ngày sinh", "Date of birth"), f->co_birth_date,
	             "date", NULL, "off", 0, false);
	if (f->co_checked)
		html_elem(h, "p",
		          f->co_matched ? T(p, "Người cùng nộp: khớp dữ liệu dân cư.",
		                            "Further applicant: matches the population data.")
		                        : T(p, "Người cùng nộp: không khớp dữ liệu dân cư.",
		                            "Further applicant: no match in the population data."),
		          "class", f->co_matched ? "pop-result pop-yes" : "pop-result pop-no",
		          "role", "status", NULL);
	html_raw(h, "</fieldset>");

	html_raw(h, "<fieldset class=\"representative\"><legend>");
	html_text(h, T(p, "Người được ủy quyền (nếu có)", "Authorised representative (if any)"));
	html_raw(h, "</legend>");
	intake_input(p, f, "representative_name", T(p, "Họ và tên", "Full name"),
	             f->representative_name, NULL, NULL, "off", INTAKE_NAME_MAX, false);
	intake_input(p, f, "representative_id_number",
	             T(p, "Số định danh cá nhân", "Personal ID number"),
	             f->representative_id_number, NULL, NULL, "off", 12, false);
	intake_input(p, f, "authorisation_doc", T(p, "Văn bản ủy quyền", "Authorisation document"),
	             f->authorisation_doc, NULL, NULL, "off", INTAKE_TEXT_MAX, false);
	html_raw(h, "</fieldset>");

	components_checklist(p, f, &ip);
	if (f->show_competent)
		competent_select(p, f, &units, proc);

	html_raw(h, "<fieldset class=\"collection\"><legend>");
	html_text(h, T(p, "Nơi trả kết quả", "Where the result is returned"));
	html_raw(h, "</legend>");
	web_collection_select(p, &units, "collection_unit", "f-",
	                      T(p, "Nhận kết quả tại", "Collect at"), p->actor->unit_code,
	                      f->collection_unit, form_error(f, "collection_unit"), false);
	web_checkbox(p, "by_post", "1", T(p, "Nhận qua bưu chính", "By post"), f->by_post);
	intake_input(p, f, "post_address", T(p, "Địa chỉ nhận qua bưu chính", "Postal address"),
	             f->post_address, NULL, NULL, "off", INTAKE_TEXT_MAX, false);
	html_raw(h, "</fieldset>");
	web_checkbox(p, "received_by_post", "1",
	             T(p, "Hồ sơ gửi đến qua dịch vụ bưu chính công ích",
	               "The dossier came by the public postal service"),
	             f->received_by_post);
	intake_input(p, f, "note", T(p, "Ghi chú", "Note"), f->note, "textarea", NULL, NULL,
	             ACTION_NOTE_MAX, false);

	if (due != DB_NONE) {
		html_raw(h, "<div class=\"appointment\" id=\"appointment\" role=\"status\"><p>");
		html_text(h, T(p, "Nếu tiếp nhận bây giờ — thời điểm tính hạn: ",
		               "If received now — legal reception: "));
		html_open(h, "strong", "id", "appointment-received", NULL);
		web_time(p, legal);
		html_close(h, "strong");
		html_text(h, T(p, "; hẹn trả kết quả: ", "; appointment: "));
		html_open(h, "strong", "id", "appointment-due", NULL);
		web_time(p, due);
		html_close(h, "strong");
		html_raw(h, "</p></div>");
	}

	html_raw(h, "<div class=\"intake-buttons\">");
	step_button(p, "check", T(p, "Kiểm tra", "Check"), "button secondary");
	step_button(p, "receive", T(p, "Tiếp nhận", "Receive"), "button");
	html_raw(h, "</div>");
	html_open(h, "details", "class", "refuse", "id", "refuse", "open",
	          form_error(f, "refusal_reason") ? HTML_BOOL : NULL, NULL);
	html_elem(h, "summary", T(p, "Từ chối tiếp nhận hồ sơ", "Refuse the dossier"), NULL);
	intake_input(p, f, "refusal_reason", T(p, "Lý do từ chối", "Why it is refused"),
	             f->refusal_reason, "textarea", NULL, NULL, ACTION_NOTE_MAX, false);
	step_button(p, "refuse", T(p, "Từ chối tiếp nhận", "Refuse reception"), "button danger");
	html_raw(h, "</details>");
	web_form_close(p);
	if (ip.have)
		catalog_procedure_release(&ip.parts);
	web_end(p);
}

static void get_intake(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_role(&p, ROLE_OFFICER))
		return;
	struct intake_form f;
	memset(&f, 0, sizeof f);
	f.q = web_query(&p, "q");
	if (strlen(f.q) > DESK_SEARCH_MAX)
		f.q = "";
	f.procedure = web_query(&p, "procedure");
	f.applicant_kind = "person";
	intake_render(&p, &f);
}

/* Which field of the intake form an error of the service belongs to. */
static const char *intake_error_field(const struct intake_form *f, const struct err *e)
{
	static const struct {
		const char *needle, *field;
	} map[] = {
	        {"co_applicant.full_name", "co_full_name"},
	        {"co_applicant.id_number", "co_id_number"},
	        {"further applicant", "co_id_number"},
	        {"representative_id_number", "representative_id_number"},
	        {"'representative_name'", "representative_name"},
	        {"'authorisation_doc'", "authorisation_doc"},
	        {"through a representative", "representative_name"},
	        {"'applicant_name'", "full_name"},
	        {"id_number", "id_number"},
	        {"tax_code", "tax_code"},
	        {"tax code", "tax_code"},
	        {"date of birth", "birth_date"},
	        {"phone", "phone"},
	        {"'email'", "email"},
	        {"'post_address'", "post_address"},
	        {"by_post", "post_address"},
	        {"collection", "collection_unit"},
	        {"return results", "collection_unit"},
	        {"component", "components"},
	        {"reason", "refusal_reason"},
	        {"competent unit", "competent_unit"},
	        {"'competent_unit'", "competent_unit"},
	        {"'address'", "address"},
	        {"'note'", "note"},
	        {"procedure", "procedure"},
	};
	if (e->code == ERR_COMPETENT_UNIT_REQUIRED)
		return "competent_unit";
	if (e->code == ERR_CCCD_MISMATCH)
		return strstr(e->detail, "co_applicant") ? "co_birth_date" : "birth_date";
	if (strstr(e->detail, "unknown commune"))
		return !str_empty(f->property_commune) && strstr(e->detail, f->property_commune)
		               ? "property_commune"
		               : "residence_commune";
	if (strstr(e->detail, "unknown unit"))
		return !str_empty(f->competent_unit) && strstr(e->detail, f->competent_unit)
		               ? "competent_unit"
		               : "collection_unit";
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strstr(e->detail, map[i].needle))
			return map[i].field;
	return NULL;
}

static const char *intake_field_message(struct web_page *p, const struct err *e)
{
	switch (e->code) {
	case ERR_MISSING_ARGUMENT:
		return strstr(e->detail, "component")
		               ? T(p, "Còn thiếu thành phần bắt buộc (xem thông báo ở đầu trang).",
		                   "A required component is missing (see the message at the top).")
		               : T(p, "Mục này là bắt buộc.", "This field is required.");
	case ERR_INVALID_CCCD:
		return T(p,
		         "Số định danh cá nhân không hợp lệ (12 chữ số, mã tỉnh và năm sinh đúng).",
		         "Invalid personal ID number (12 digits, a real province and birth year).");
	default:
		return err_hint(e->code, p->lang);
	}
}

/* After a failed step: the page again with the errors, everything typed kept. */
static void intake_failed(struct web_page *p, struct intake_form *f, const struct err *e,
                          const char *refer_unit, const char *refer_name)
{
	p->status = err_http_status(e->code);
	if (p->status >= 500 || e->code == ERR_FORBIDDEN) {
		web_fail(p, e);
		return;
	}
	if (e->code == ERR_GUARD_FAILED && !str_empty(refer_unit)) {
		f->message =
		        web_strf(p, "%s %s (%s).",
		                 T(p,
		                   "Thủ tục này không tiếp nhận phi địa giới tại đây. Hướng dẫn "
		                   "công dân nộp tại:",
		                   "This procedure cannot be received here. Send the applicant "
		                   "to:"),
		                 str_empty(refer_name) ? refer_unit : refer_name, refer_unit);
	} else {
		const char *hint = err_hint(e->code, p->lang);
		f->message = e->detail[0] ? web_strf(p, "%s (%s)", hint, e->detail) : hint;
	}
	if (e->code == ERR_COMPETENT_UNIT_REQUIRED)
		f->show_competent = true;
	const char *field = intake_error_field(f, e);
	if (str_eq(field, "competent_unit"))
		f->show_competent = true;
	if (field)
		add_error(f, field, intake_field_message(p, e));
	intake_render(p, f);
}

/* The intake request from the form (arena memory). Returns false after adding field errors. */
static bool intake_request_of(struct web_page *p, struct intake_form *f, struct intake_request *r)
{
	intake_request_init(r);
	r->procedure_code = f->procedure;
	r->applicant_kind = is_org(f) ? INTAKE_ORGANISATION : INTAKE_PERSON;
	r->applicant_name = f->full_name;
	r->id_number = web_nonempty(f->id_number);
	r->tax_code = web_nonempty(f->tax_code);
	r->phone = web_nonempty(f->phone);
	r->email = web_nonempty(f->email);
	r->address = web_nonempty(f->address);
	r->residence_commune = web_nonempty(f->residence_commune);
	r->property_commune = web_nonempty(f->property_commune);
	r->representative_name = web_nonempty(f->representative_name);
	r->representative_id_number = web_nonempty(f->representative_id_number);
	r->authorisation_doc = web_nonempty(f->authorisation_doc);
	r->competent_unit = web_nonempty(f->competent_unit);
	r->by_post = f->by_post;
	r->received_by_post = f->received_by_post;
	r->collection_unit = f->by_post ? NULL : web_nonempty(f->collection_unit);
	r->post_address = web_nonempty(f->post_address);
	r->note = web_nonempty(f->note);
	bool ok = true;
	if (!form_day(f->birth_date, &r->birth_day)) {
		add_error(f, "birth_date", T(p, "Ngày không hợp lệ.", "Not a valid date."));
		ok = false;
	}
	if (!str_empty(f->co_full_name) || !str_empty(f->co_id_number) ||
	    !str_empty(f->co_birth_date)) {
		struct intake_person *co = http_request_alloc(p->req, sizeof *co);
		if (!co)
			return false;
		co->full_name = f->co_full_name;
		co->id_number = f->co_id_number;
		if (!form_day(f->co_birth_date, &co->birth_day)) {
			add_error(f, "co_birth_date",
			          T(p, "Ngày không hợp lệ.", "Not a valid date."));
			ok = false;
		}
		r->co_applicants = co;
		r->n_co_applicants = 1;
	}
	struct intake_component *k =
	        http_request_alloc(p->req, (f->ncomps ? f->ncomps : 1) * sizeof *k);
	if (!k)
		return false;
	for (size_t i = 0; i < f->ncomps; i++) {
		int64_t seq;
		if (str_parse_int64(f->comps[i], 1, 1000, &seq) != 0) {
			add_error(f, "components",
			          T(p, "Danh mục thành phần không hợp lệ.", "Invalid components."));
			return false;
		}
		k[i].seq = (int)seq;
		k[i].original_kept = listed(f->kept, f->nkept, f->comps[i]);
	}
	r->components = k;
	r->n_components = f->ncomps;
	return ok;
}

/* step=check: the population check and the appointment, nothing saved. */
static void intake_check(struct web_page *p, struct intake_form *f)
{
	struct service *svc = p->w->svc;
	if (str_empty(f->procedure))
		add_error(f, "procedure", T(p, "Hãy chọn thủ tục.", "Choose a procedure."));
	if (is_org(f)) {
		if (f->nerrors)
			p->status = 400;
		intake_render(p, f);
		return;
	}
	int64_t day = INTAKE_NO_DAY;
	if (str_empty(f->id_number))
		add_error(f, "id_number", T(p, "Mục này là bắt buộc.", "This field is required."));
	if (str_empty(f->full_name))
		add_error(f, "full_name", T(p, "Mục này là bắt buộc.", "This field is required."));
	if (str_empty(f->birth_date))
		add_error(f, "birth_date",
		          T(p, "Cần ngày sinh để đối chiếu dữ liệu dân cư.",
		            "The date of birth is needed for the population check."));
	else if (!form_day(f->birth_date, &day))
		add_error(f, "birth_date", T(p, "Ngày không hợp lệ.", "Not a valid date."));
	if (f->nerrors) {
		p->status = 400;
		f->message = T(p, "Chưa kiểm tra được: hãy sửa các mục được đánh dấu.",
		               "Not checked: correct the marked fields.");
		intake_render(p, f);
		return;
	}
	struct intake_population pop;
	struct err e;
	err_clear(&e);
	if (intake_population_check(svc, p->actor, f->id_number, f->full_name, day, &pop, &e) !=
	    ERR_OK) {
		f->checked = false;
		intake_failed(p, f, &e, NULL, NULL);
		return;
	}
	f->checked = true;
	f->matched = pop.matched;
	if (pop.matched && pop.residence_commune[0]) {
		f->pop_residence = web_strdup(p, pop.residence_commune);
		f->residence_commune = f->pop_residence;
	}
	int64_t coday;
	if (!str_empty(f->co_id_number) && !str_empty(f->co_full_name) &&
	    !str_empty(f->co_birth_date) && form_day(f->co_birth_date, &coday)) {
		struct intake_population cop;
		if (intake_population_check(svc, p->actor, f->co_id_number, f->co_full_name, coday,
		                            &cop, NULL) == ERR_OK) {
			f->co_checked = true;
			f->co_matched = cop.matched;
		}
	}
	intake_render(p, f);
}

static void post_intake(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_post_begin(&p) || !web_need_role(&p, ROLE_OFFICER))
		return;
	struct intake_form f;
	intake_read(&p, &f);
	const char *step = web_field(&p, "step");
	if (!str_eq(step, "receive") && !str_eq(step, "refuse")) {
		intake_check(&p, &f);
		return;
	}
	struct intake_request r;
	if (!intake_request_of(&p, &f, &r)) {
		p.status = 400;
		f.message = T(&p, "Hãy sửa các mục được đánh dấu.", "Correct the marked fields.");
		intake_render(&p, &f);
		return;
	}
	struct intake_result x;
	struct err e;
	err_clear(&e);
	enum err_code rc;
	if (str_eq(step, "refuse")) {
		if (str_empty(f.refusal_reason)) {
			p.status = 400;
			f.message = T(&p, "Hãy ghi lý do từ chối tiếp nhận.",
			              "Give the reason of the refusal.");
			add_error(&f, "refusal_reason",
			          T(&p, "Mục này là bắt buộc.", "This field is required."));
			intake_render(&p, &f);
			return;
		}
		rc = intake_refuse(p.w->svc, p.actor, &r, f.refusal_reason, &x, &e);
	} else {
		rc = intake_receive(p.w->svc, p.actor, &r, &x, &e);
	}
	if (rc != ERR_OK) {
		intake_failed(&p, &f, &e, x.refer_unit, x.refer_name);
		return;
	}
	web_redirect(&p, web_url(&p, web_strf(&p, "/dossiers/%s", x.id), "done",
	                         str_eq(step, "refuse") ? "refuse_reception" : "receive", NULL));
}

const struct http_route web_desk_routes[] = {
        {"GET", "/desk", get_desk, WEB_FORM_MAX},
        {"GET", "/desk/intake", get_intake, WEB_FORM_MAX},
        {"POST", "/desk/intake", post_intake, WEB_FORM_MAX},
        {"GET", "/desk/online", get_online, WEB_FORM_MAX},
        {"GET", "/desk/collection", get_collection, WEB_FORM_MAX},
        {"GET", "/desk/search", get_search, WEB_FORM_MAX},
};
const size_t web_desk_nroutes = sizeof web_desk_routes / sizeof web_desk_routes[0];
