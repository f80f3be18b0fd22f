/*
 * web_inbox: the agency inbox of specialists and approvers.
 *
 *   GET /inbox?view=mine|agency&due=soon&overdue=1&state=&page=
 *       the work list (service/worklist.h): the dossiers the actor holds
 *       (mine) or every open dossier of the actor's agency (agency, the
 *       default), the most urgent first, with the remaining working time;
 *       due=soon keeps those due within INBOX_SOON_HOURS working hours
 *       (late ones included), overdue=1 the late ones, state= one state.
 *   GET /inbox/signoff?page=
 *       approvers: the agency's dossiers awaiting sign-off.
 *
 * Rows link to the dossier page /dossiers/{id} (web_dossier.c). A row is
 * marked late (.due-late) or due soon (.due-soon, within INBOX_SOON_HOURS)
 * by colour AND by its text. The applicant's name is shown (the agency
 * processes the dossier); no ID number, phone or address is. Reads are
 * audited by the work list service.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "domain/lifecycle.h"
#include "service/worklist.h"
#include "web/web.h"

#define INBOX_SOON_HOURS 8      /* one working day: "due soon" */
#define INBOX_PAGE_MAX   100000 /* largest page number */

/* The states an agency's list holds (worklist.c, agency_states), for the filter. */
static const char *const inbox_states[] = {"received",         "processing",
                                           "awaiting_signoff", "supplement_requested",
                                           "fees_due",         "result_ready"};
#define N_INBOX_STATES (sizeof inbox_states / sizeof inbox_states[0])

struct inbox_filter {
	const char *view;  /* "mine" or "agency" */
	const char *state; /* NULL: every state of the list */
	bool soon;
	bool overdue;
	int64_t page; /* from 1 */
};

/* The filter of the query; false after answering 400 for a bad value. */
static bool read_filter(struct web_page *p, struct inbox_filter *f)
{
	memset(f, 0, sizeof *f);
	const char *view = web_query(p, "view"), *due = web_query(p, "due");
	const char *overdue = web_query(p, "overdue"), *state = web_query(p, "state");
	if (!*view || str_eq(view, "agency")) {
		f->view = "agency";
	} else if (str_eq(view, "mine")) {
		f->view = "mine";
	} else {
		web_fail_code(p, ERR_INVALID_ARGUMENT,
		              T(p, "view: mine hoặc agency.", "view: mine or agency."));
		return false;
	}
	if (*due && !str_eq(due, "soon")) {
		web_fail_code(p, ERR_INVALID_ARGUMENT, T(p, "due: soon.", "due: soon."));
		return false;
	}
	f->soon = *due != '\0';
	if (*overdue && !str_eq(overdue, "1") && !str_eq(overdue, "0")) {
		web_fail_code(p, ERR_INVALID_ARGUMENT,
		              T(p, "overdue: 1 hoặc 0.", "overdue: 1 or 0."));
		return false;
	}
	f->overdue = str_eq(overdue, "1");
	f->state = *state ? state : NULL;
	struct err e;
	err_clear(&e);
	if (http_request_query_int(p->req, "page", 1, INBOX_PAGE_MAX, 1, &f->page, &e) != ERR_OK) {
		web_fail(p, &e);
		return false;
	}
	return true;
}

/* The URL of the inbox with filter f and another page (NULL values are left out). */
static const char *inbox_url(struct web_page *p, const struct inbox_filter *f, int64_t page)
{
	return web_url(p, "/inbox", "view", str_eq(f->view, "agency") ? NULL : f->view, "state",
	               f->state, "due", f->soon ? "soon" : NULL, "overdue", f->overdue ? "1" : NULL,
	               "page", page > 1 ? web_num(p, page) : NULL, NULL);
}

/* The remaining working time of an item, marked by colour and words. */
static void remaining_cell(struct web_page *p, const struct worklist_item *it)
{
	struct html *h = &p->h;
	if (!it->has_remaining) {
		html_elem(h, "span", "—", "class", "muted", NULL);
		return;
	}
	if (it->overdue || it->remaining < 0) {
		html_open(h, "span", "class", "due-late", NULL);
		if (it->remaining < 0) {
			web_worktime(p, it->remaining);
		} else {
			html_text(h, T(p, "quá hạn", "late"));
		}
	} else if (it->remaining <= INBOX_SOON_HOURS * 3600) {
		html_open(h, "span", "class", "due-soon", NULL);
		html_text(h, T(p, "Sắp đến hạn: còn ", "Due soon: "));
		web_worktime(p, it->remaining);
		html_text(h, T(p, "", " left"));
	} else {
		html_open(h, "span", "class", "due-ok", NULL);
		html_text(h, T(p, "Còn ", ""));
		web_worktime(p, it->remaining);
		html_text(h, T(p, "", " left"));
	}
	html_close(h, "span");
	if (it->paused)
		html_elem(h, "span", T(p, " (tạm dừng tính thời gian)", " (clock paused)"), "class",
		          "muted", NULL);
}

static const char *row_class(const struct worklist_item *it)
{
	if (!it->has_remaining)
		return NULL;
	if (it->overdue || it->remaining < 0)
		return "due-late";
	if (it->remaining <= INBOX_SOON_HOURS * 3600)
		return "due-soon";
	return NULL;
}

/* The table of a work list. */
static void items_table(struct web_page *p, const struct worklist *w, const char *caption)
{
	struct html *h = &p->h;
	const char *heads[] = {
	        T(p, "Mã hồ sơ", "Dossier code"),  T(p, "Người nộp", "Applicant"),
	        T(p, "Thủ tục", "Procedure"),      T(p, "Trạng thái", "State"),
	        T(p, "Hẹn trả", "Appointment"),    T(p, "Thời gian còn lại", "Time left"),
	        T(p, "Người xử lý", "Handled by"),
	};
	html_raw(h, "<div class=\"table-wrap\">");
	html_open(h, "table", "class", "stack inbox", "id", "inbox-table", NULL);
	html_elem(h, "caption", caption, "class", "visually-hidden", NULL);
	html_raw(h, "<thead><tr>");
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
		html_elem(h, "th", heads[i], "scope", "col", NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < w->count; i++) {
		const struct worklist_item *it = &w->items[i];
		html_open(h, "tr", "class", row_class(it), NULL);
		web_dossier_cell(p, heads[0], it->id, it->code);
		html_elem(h, "td", it->applicant_name, "data-label", heads[1], NULL);
		html_elem(h, "td", it->procedure_code, "data-label", heads[2], NULL);
		html_open(h, "td", "data-label", heads[3], NULL);
		web_state_badge(p, it->state);
		html_raw(h, "</td>");
		html_open(h, "td", "data-label", heads[4], NULL);
		web_time(p, it->due_at);
		html_raw(h, "</td>");
		html_open(h, "td", "data-label", heads[5], NULL);
		remaining_cell(p, it);
		html_raw(h, "</td>");
		const char *holder = !it->holder_account[0] ? T(p, "Chưa phân công", "Not assigned")
		                     : str_eq(it->holder_account, p->actor->account_id)
		                             ? T(p, "Bạn", "You")
		                             : T(p, "Chuyên viên khác", "Another specialist");
		html_elem(h, "td", holder, "data-label", heads[6], NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

/* Runs the work list q for page f->page; false after answering the error page. */
static bool load(struct web_page *p, struct worklist_query *q, const struct inbox_filter *f,
                 struct worklist *w)
{
	struct err e;
	err_clear(&e);
	q->limit = WEB_PAGE_SIZE;
	q->offset = (f->page - 1) * WEB_PAGE_SIZE;
	if (worklist_get(p->w->svc, p->actor, q, w, &e) != ERR_OK) {
		web_fail(p, &e);
		return false;
	}
	return true;
}

/* The count line above a table ("12 hồ sơ · 1–50"), or that the list is empty. */
static void summary(struct web_page *p, const struct worklist *w, const struct inbox_filter *f,
                    const char *none)
{
	struct html *h = &p->h;
	if (w->total == 0) {
		html_elem(h, "p", none, "class", "empty", "id", "inbox-empty", NULL);
		return;
	}
	html_open(h, "p", "class", "summary", "id", "inbox-count", NULL);
	html_int(h, w->total);
	html_text(h, T(p, " hồ sơ", w->total == 1 ? " dossier" : " dossiers"));
	if (w->total > (int64_t)w->count && w->count > 0) {
		int64_t first = (f->page - 1) * WEB_PAGE_SIZE + 1;
		html_text(h, T(p, " · đang xem ", " · showing "));
		html_int(h, first);
		html_text(h, "–");
		html_int(h, first + (int64_t)w->count - 1);
	}
	html_close(h, "p");
	if (w->truncated) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s %d %s",
		         T(p, "Cơ quan có quá nhiều hồ sơ đang mở; danh sách chỉ xét",
		           "The agency has too many open dossiers; the list considers the"),
		         WORKLIST_SCAN_MAX, T(p, "hồ sơ nộp sớm nhất.", "filed first."));
		web_notice(p, msg);
	}
}

/* Links between the lists of the inbox (the current one marked). */
static void tabs(struct web_page *p, const char *current)
{
	struct html *h = &p->h;
	html_open(h, "nav", "class", "inbox-tabs", "aria-label", T(p, "Danh sách hồ sơ", "Lists"),
	          NULL);
	html_raw(h, "<ul>");
	html_raw(h, "<li>");
	html_elem(h, "a", T(p, "Cả cơ quan", "Whole agency"), "href", "/inbox", "aria-current",
	          str_eq(current, "agency") ? "page" : NULL, NULL);
	html_raw(h, "</li><li>");
	html_elem(h, "a", T(p, "Hồ sơ của tôi", "My dossiers"), "href", "/inbox?view=mine",
	          "aria-current", str_eq(current, "mine") ? "page" : NULL, NULL);
	html_raw(h, "</li>");
	if (web_has_role(p, ROLE_APPROVER)) {
		html_raw(h, "<li>");
		html_elem(h, "a", T(p, "Chờ ký duyệt", "Awaiting sign-off"), "href",
		          "/inbox/signoff", "aria-current",
		          str_eq(current, "signoff") ? "page" : NULL, NULL);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul>");
	html_close(h, "nav");
}

/* The filter form (GET: no CSRF field, nothing changes). */
static void filter_form(struct web_page *p, const struct inbox_filter *f)
{
	struct html *h = &p->h;
	html_open(h, "form", "method", "get", "action", "/inbox", "class", "filters", "id",
	          "inbox-filters", "role", "search", NULL);
	const struct web_option views[] = {
	        {"agency", T(p, "Cả cơ quan", "Whole agency")},
	        {"mine", T(p, "Hồ sơ của tôi", "My dossiers")},
	};
	web_select(p, "view", T(p, "Danh sách", "List"), views, 2, f->view, NULL, false);
	struct web_option states[N_INBOX_STATES + 1];
	states[0] = (struct web_option){"", T(p, "Mọi trạng thái", "Every state")};
	for (size_t i = 0; i < N_INBOX_STATES; i++)
		states[i + 1] =
		        (struct web_option){inbox_states[i], web_state_label(p, inbox_states[i])};
	web_select(p, "state", T(p, "Trạng thái", "State"), states, N_INBOX_STATES + 1,
	           f->state ? f->state : "", NULL, false);
	char soon[160];
	snprintf(soon, sizeof soon, "%s %d %s", T(p, "Đến hạn trong", "Due within"),
	         INBOX_SOON_HOURS,
	         T(p, "giờ làm việc (kể cả quá hạn)", "working hours (late ones included)"));
	const struct web_option dues[] = {
	        {"", T(p, "Mọi thời hạn", "Any time left")},
	        {"soon", soon},
	};
	web_select(p, "due", T(p, "Thời hạn", "Time left"), dues, 2, f->soon ? "soon" : "", NULL,
	           false);
	html_raw(h, "<div class=\"field\">");
	web_checkbox(p, "overdue", "1", T(p, "Chỉ hồ sơ quá hạn", "Late dossiers only"),
	             f->overdue);
	html_raw(h, "</div><div class=\"field\">");
	web_submit(p, T(p, "Lọc", "Filter"), NULL);
	html_raw(h, "</div>");
	html_close(h, "form");
}

static void get_inbox(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_role(&p, ROLE_SPECIALIST | ROLE_APPROVER))
		return;
	struct inbox_filter f;
	if (!read_filter(&p, &f))
		return;
	struct worklist_query q;
	worklist_query_init(&q, str_eq(f.view, "mine") ? WORKLIST_MINE : WORKLIST_AGENCY);
	q.state = f.state;
	q.overdue = f.overdue;
	q.due_within_hours = f.soon ? INBOX_SOON_HOURS : -1;
	struct worklist w;
	if (!load(&p, &q, &f, &w))
		return;
	web_begin(&p, T(&p, "Hồ sơ cần xử lý", "Inbox"));
	tabs(&p, f.view);
	filter_form(&p, &f);
	html_elem(&p.h, "h2",
	          str_eq(f.view, "mine") ? T(&p, "Hồ sơ tôi đang xử lý", "Dossiers I handle")
	                                 : T(&p, "Hồ sơ của cơ quan", "Dossiers of the agency"),
	          NULL);
	bool filtered = f.state || f.soon || f.overdue;
	summary(&p, &w, &f,
	        filtered
	                ? T(&p, "Không có hồ sơ nào khớp bộ lọc.", "No dossier matches the filter.")
	                : T(&p, "Không có hồ sơ nào cần xử lý.", "Nothing to do."));
	if (w.count > 0)
		items_table(&p, &w, T(&p, "Danh sách hồ sơ", "Dossiers"));
	web_pager(&p, f.page, w.total, inbox_url(&p, &f, f.page - 1), inbox_url(&p, &f, f.page + 1),
	          WEB_PAGER_ARROWS);
	worklist_free(&w);
	web_end(&p);
}

static const char *signoff_url(struct web_page *p, const struct inbox_filter *f, int64_t page)
{
	(void)f;
	return web_url(p, "/inbox/signoff", "page", page > 1 ? web_num(p, page) : NULL, NULL);
}

static void get_signoff(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_role(&p, ROLE_APPROVER))
		return;
	struct inbox_filter f = {.view = "agency", .page = 1};
	struct err e;
	err_clear(&e);
	if (http_request_query_int(req, "page", 1, INBOX_PAGE_MAX, 1, &f.page, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	struct worklist_query q;
	worklist_query_init(&q, WORKLIST_AGENCY);
	q.state = "awaiting_signoff";
	struct worklist w;
	if (!load(&p, &q, &f, &w))
		return;
	web_begin(&p, T(&p, "Hồ sơ chờ ký duyệt", "Awaiting sign-off"));
	tabs(&p, "signoff");
	summary(&p, &w, &f,
	        T(&p, "Không có hồ sơ nào chờ ký duyệt.", "No dossier awaits sign-off."));
	if (w.count > 0)
		items_table(&p, &w, T(&p, "Hồ sơ chờ ký duyệt", "Dossiers awaiting sign-off"));
	web_pager(&p, f.page, w.total, signoff_url(&p, &f, f.page - 1),
	          signoff_url(&p, &f, f.page + 1), WEB_PAGER_ARROWS);
	worklist_free(&w);
	web_end(&p);
}

const struct http_route web_inbox_routes[] = {
        {"GET", "/inbox", get_inbox, WEB_FORM_MAX},
        {"GET", "/inbox/signoff", get_signoff, WEB_FORM_MAX},
};
const size_t web_inbox_nroutes = sizeof web_inbox_routes / sizeof web_inbox_routes[0];
