/*
 * web_admin: the administration pages, for administrators (ROLE_ADMIN).
 *
 *   GET  /admin                              the four areas
 *   GET  /admin/procedures                   procedures, active or not (?q= name or code, ?page=)
 *   GET  /admin/procedures/{code}            its fields, components and steps (?done=)
 *   POST /admin/procedures/{code}            the fields (admin_procedure_update)
 *   POST /admin/procedures/{code}/components the components (admin_procedure_set_components)
 *   POST /admin/procedures/{code}/steps      the steps (admin_procedure_set_steps)
 *   GET  /admin/users                        staff accounts (?page=) and the form to add one
 *   POST /admin/users                        a new staff account (admin_user_create)
 *   GET  /admin/users/{username}             one account: new password, disable or enable
 *   POST /admin/users/{username}/password    admin_user_password
 *   POST /admin/users/{username}/disable     account_set_disabled (and .../enable)
 *   GET  /admin/branches                     the centre, its branches and service points
 *   GET  /admin/branches/{code}              address, opening hours, coordinates, phone
 *   POST /admin/branches/{code}              admin_unit_update
 *   GET  /admin/holidays                     the calendar of a year (?year=), the announcements
 *                                            added here, and the form to add one
 *   POST /admin/holidays                     admin_holiday_announce
 *   POST /admin/holidays/{batch}/withdraw    admin_holiday_withdraw
 *
 * Every rule and every audit row is the service's (service/admin.h,
 * service/account.h); this file turns forms into its inputs and its
 * answers into pages. A refused form comes back with the status of the
 * error, a summary at the top, the message next to each field and what was
 * typed; a change answers 303 to the page with ?done= for the notice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/holidays.h"
#include "domain/lifecycle.h"
#include "service/admin.h"
#include "service/intake.h"
#include "web/web.h"

#define ADMIN_ROWS_MAX  (IMPORT_COMPONENTS_MAX + 1) /* rows of a components or steps form */
#define ADMIN_PAGE_MAX  100000                      /* largest ?page= */
#define ADMIN_QUERY_MAX 200                         /* bytes of a search text */

/* ---- small helpers ---- */

/* A URL path segment from the route ("" when absent). */
static const char *param(struct web_page *p, const char *name)
{
	const char *v = http_request_param(p->req, name);
	return v ? v : "";
}

/* ?page= (1 when absent or invalid). */
static int64_t page_of(struct web_page *p)
{
	int64_t page = 1;
	const char *s = web_query(p, "page");
	if (*s && (!str_all_digits(s) || str_parse_int64(s, 1, ADMIN_PAGE_MAX, &page) != 0))
		page = 1;
	return page;
}

/* Checks the role; on false the page has been answered. */
static bool admin_only(struct web_page *p)
{
	return web_need_role(p, ROLE_ADMIN);
}

/* The message shown next to a field, in the page's language, or NULL. */
static const char *ferr(struct web_page *p, const struct admin_errors *fe, const char *field)
{
	const struct admin_field_error *x = admin_error_of(fe, field);
	if (!x)
		return NULL;
	switch (x->issue) {
	case ADMIN_REQUIRED:
		return str_eq(x->detail, "empty")
		               ? T(p, "Bắt buộc nhập.", "Required.")
		               : web_strf(p, "%s %s", T(p, "Bắt buộc:", "Required:"), x->detail);
	case ADMIN_CONFLICT:
		return web_strf(
		        p, "%s %s",
		        T(p, "Trùng hoặc xung đột với dữ liệu đã có:", "Clashes with stored data:"),
		        x->detail);
	default:
		return web_strf(p, "%s %s", T(p, "Không hợp lệ:", "Invalid:"), x->detail);
	}
}

/* The summary at the top of a refused form. */
static void form_summary(struct web_page *p, const struct admin_errors *fe, const struct err *e)
{
	const char *whole = ferr(p, fe, "form"); /* an error about no field in particular */
	if (whole)
		web_form_errors(p,
		                web_strf(p, "%s %s", T(p, "Chưa lưu được.", "Not saved."), whole));
	else if (fe && fe->count > 0)
		web_form_errors(
		        p, T(p, "Chưa lưu được: biểu mẫu có lỗi, xem thông báo cạnh từng trường.",
		             "Not saved: the form has errors; see the message next to each "
		             "field."));
	else if (e && e->code != ERR_OK)
		web_form_errors(p, web_strf(p, "%s %s", err_hint(e->code, p->lang), e->detail));
}

/*
 * A POST the service refused: true when the form is at fault (form_error),
 * with p->status set for the form to be shown again with its messages;
 * otherwise answers the error page and returns false.
 */
static bool form_refused(struct web_page *p, enum err_code rc, bool form_error, const struct err *e)
{
	if (!form_error) {
		web_fail(p, e);
		return false;
	}
	p->status = err_http_status(rc);
	return true;
}

/* A notice for ?done=, when it is one of the known values. */
struct done_text {
	const char *done, *vi, *en;
};

static void done_notice(struct web_page *p, const struct done_text *list, size_t n)
{
	const char *done = web_query(p, "done");
	for (size_t i = 0; i < n; i++)
		if (str_eq(done, list[i].done))
			web_notice(p, T(p, list[i].vi, list[i].en));
}

/* A back link above a page's title area. */
static void back_link(struct web_page *p, const char *path, const char *text)
{
	html_raw(&p->h, "<p class=\"back\">");
	html_elem(&p->h, "a", text, "href", path, NULL);
	html_raw(&p->h, "</p>");
}

/* ---- labels of the catalogue's words ---- */

struct word_label {
	const char *word, *vi, *en;
};

static const struct word_label word_labels[] = {
        {"city", "Cấp thành phố", "City level"},
        {"commune", "Cấp xã, phường", "Commune level"},
        {"police", "Công an", "Police"},
        {"centre", "Trung tâm", "Centre"},
        {"branch", "Chi nhánh", "Branch"},
        {"point", "Điểm phục vụ", "Service point"},
        {"city_committee", "UBND thành phố", "City People's Committee"},
        {"office", "Văn phòng", "Office"},
        {"department", "Sở, ban, ngành", "Department"},
        {"commune_committee", "UBND xã, phường", "Commune People's Committee"},
        {"commune_police", "Công an xã, phường", "Commune police"},
        {"fixed", "Cơ quan cố định", "A fixed agency"},
        {"residence", "Theo nơi cư trú của người nộp", "By the applicant's residence"},
        {"property", "Theo nơi có tài sản, nơi kinh doanh", "By the property's location"},
        {"full", "Toàn trình", "Fully online"},
        {"partial", "Một phần", "Partly online"},
        {"none", "Không trực tuyến", "Not online"},
        {"restart", "Tính lại từ đầu", "Restarts"},
        {"continue", "Tính tiếp thời gian còn lại", "Continues"},
        {"officer", "Bộ phận một cửa (cán bộ tiếp nhận)", "One-stop desk (officer)"},
        {"specialist", "Chuyên viên cơ quan giải quyết", "Specialist of the agency"},
        {"approver", "Lãnh đạo cơ quan ký duyệt", "Head of the agency (sign-off)"},
};

static const char *word_label(struct web_page *p, const char *word)
{
	for (size_t i = 0; i < sizeof word_labels / sizeof word_labels[0]; i++)
		if (str_eq(word_labels[i].word, word))
			return T(p, word_labels[i].vi, word_labels[i].en);
	return word ? word : "";
}

/* The options of one of the importer's word lists, labelled. */
static const struct web_option *word_options(struct web_page *p, enum import_words w, size_t *n)
{
	const char *const *words = import_words(w, n);
	struct web_option *o = http_request_alloc(p->req, (*n ? *n : 1) * sizeof *o);
	if (!o) {
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < *n; i++)
		o[i] = (struct web_option){words[i], word_label(p, words[i])};
	return o;
}

static void word_select(struct web_page *p, const char *name, const char *label,
                        enum import_words w, const char *value, const char *error)
{
	size_t n;
	const struct web_option *o = word_options(p, w, &n);
	web_select(p, name, label, o, n, value, error, true);
}

/* ---- the index ---- */

static void get_index(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	struct html *h = &p.h;
	web_begin(&p, T(&p, "Quản trị hệ thống", "Administration"));
	html_elem(h, "p",
	          T(&p,
	            "Mọi thay đổi ở đây được kiểm tra theo cùng quy tắc với dữ liệu nhập khẩu và "
	            "được ghi vào nhật ký kiểm tra (ai, lúc nào, thay đổi gì).",
	            "Every change here is checked under the same rules as the imported data and "
	            "recorded in the audit log (who, when, what changed)."),
	          NULL);
	static const struct {
		const char *path, *vi, *en, *dvi, *den;
	} areas[] = {
	        {"/admin/procedures", "Thủ tục hành chính", "Procedures",
	         "Tên, thời hạn, phí, mức độ trực tuyến, cơ quan có thẩm quyền, thành phần hồ sơ "
	         "và "
	         "các bước xử lý.",
	         "Names, legal time, fees, online level, competent agency, dossier components "
	         "and processing steps."},
	        {"/admin/users", "Tài khoản cán bộ", "Staff accounts",
	         "Tạo tài khoản với vai trò và đơn vị, khóa hoặc mở khóa, đặt lại mật khẩu.",
	         "Create accounts with roles and a unit, disable or enable them, reset passwords."},
	        {"/admin/branches", "Chi nhánh và điểm phục vụ", "Branches and service points",
	         "Địa chỉ, giờ mở cửa, tọa độ và số điện thoại.",
	         "Address, opening hours, coordinates and phone."},
	        {"/admin/holidays", "Ngày nghỉ lễ, làm bù", "Holidays and make-up days",
	         "Lịch nghỉ của cơ quan hành chính và các thông báo hoán đổi ngày làm việc.",
	         "The civil-service calendar and the announced swaps of working days."},
	};
	html_raw(h, "<ul class=\"cards admin-areas\">");
	for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
		html_raw(h, "<li class=\"card\"><h2>");
		html_elem(h, "a", T(&p, areas[i].vi, areas[i].en), "href", areas[i].path, NULL);
		html_raw(h, "</h2>");
		html_elem(h, "p", T(&p, areas[i].dvi, areas[i].den), NULL);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul>");
	web_end(&p);
}

/* ---- procedures: the list ---- */

static void legal_time(struct web_page *p, int64_t days, int64_t hours)
{
	if (days != DB_NONE)
		html_textf(&p->h, "%lld %s", (long long)days,
		           T(p, "ngày làm việc", "working days"));
	else if (hours != DB_NONE)
		html_textf(&p->h, "%lld %s", (long long)hours,
		           T(p, "giờ làm việc", "working hours"));
}

static void get_procedures(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	struct html *h = &p.h;
	const char *q = web_query(&p, "q");
	if (strlen(q) > ADMIN_QUERY_MAX) {
		web_fail_code(&p, ERR_TOO_LONG, "q");
		return;
	}
	int64_t page = page_of(&p);
	struct admin_procedure_page pg;
	struct err e;
	err_clear(&e);
	if (admin_procedures(p.w->svc, p.actor, q, WEB_PAGE_SIZE, (page - 1) * WEB_PAGE_SIZE, &pg,
	                     &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	web_begin(&p, T(&p, "Quản trị thủ tục hành chính", "Administer procedures"));
	back_link(&p, "/admin", T(&p, "« Quản trị", "« Administration"));
	html_open(h, "form", "method", "get", "action", "/admin/procedures", "class", "filters",
	          "role", "search", "id", "procedure-search", NULL);
	web_input(&p, &(struct web_input){.name = "q",
	                                  .label = T(&p, "Tên hoặc mã thủ tục", "Name or code"),
	                                  .type = "search",
	                                  .value = q,
	                                  .hint = T(&p, "Gõ có dấu hay không dấu đều được.",
	                                            "With or without diacritics."),
	                                  .maxlength = ADMIN_QUERY_MAX});
	web_submit(&p, T(&p, "Tìm", "Search"), NULL);
	html_close(h, "form");
	html_open(h, "p", "class", "muted", NULL);
	html_int(h, pg.total);
	html_text(h, T(&p, " thủ tục (kể cả thủ tục đã ngừng áp dụng).",
	               " procedures (inactive ones included)."));
	html_close(h, "p");
	if (pg.count > 0) {
		html_raw(h,
		         "<div class=\"table-wrap\"><table class=\"stack admin-list\"><thead><tr>");
		web_col_heads(&p, T(&p, "Mã", "Code"), T(&p, "Tên thủ tục", "Procedure"),
		              T(&p, "Thời hạn", "Legal time"), NULL);
		html_elem(h, "th", T(&p, "Phí (đồng)", "Fee (VND)"), "scope", "col", "class", "num",
		          NULL);
		web_col_heads(&p, T(&p, "Trạng thái", "Status"), NULL);
		html_raw(h, "</tr></thead><tbody>");
		for (size_t i = 0; i < pg.count; i++) {
			const struct db_admin_procedure *r = &pg.items[i];
			html_raw(h, "<tr>");
			html_elem(h, "td", r->code, "data-label", T(&p, "Mã", "Code"), NULL);
			html_open(h, "td", "data-label", T(&p, "Tên", "Name"), NULL);
			html_elem(h, "a", web_pick(&p, r->name_vi, r->name_en), "href",
			          web_url(&p, web_strf(&p, "/admin/procedures/%s", r->code), NULL),
			          NULL);
			html_close(h, "td");
			html_open(h, "td", "data-label", T(&p, "Thời hạn", "Legal time"), NULL);
			legal_time(&p, r->legal_days, r->legal_hours);
			html_close(h, "td");
			html_open(h, "td", "class", "num", "data-label", T(&p, "Phí", "Fee"), NULL);
			html_int(h, r->fee_vnd);
			html_close(h, "td");
			html_elem(h, "td",
			          r->active ? T(&p, "Đang áp dụng", "Active")
			                    : T(&p, "Ngừng áp dụng", "Inactive"),
			          "data-label", T(&p, "Trạng thái", "Status"), NULL);
			html_raw(h, "</tr>");
		}
		html_raw(h, "</tbody></table></div>");
	} else {
		html_elem(h, "p", T(&p, "Không có thủ tục nào khớp.", "No procedure matches."),
		          NULL);
	}
	web_pager(&p, page, pg.total,
	          web_url(&p, "/admin/procedures", "q", q, "page", web_num(&p, page - 1), NULL),
	          web_url(&p, "/admin/procedures", "q", q, "page", web_num(&p, page + 1), NULL),
	          WEB_PAGER_QUOTES);
	admin_procedure_page_release(&pg);
	web_end(&p);
}

/* ---- procedures: one procedure ---- */

enum posted { POSTED_NONE, POSTED_FIELDS, POSTED_COMPONENTS, POSTED_STEPS };

/* Which values a form shows: the stored ones, or those just posted (after a refusal). */
struct proc_form {
	enum posted posted;
	const struct admin_errors *fe;
	const struct err *e;
};

/* The stored value, or the posted field when this form was the one posted. */
static const char *val(struct web_page *p, const struct proc_form *f, enum posted which,
                       const char *name, const char *stored)
{
	return f->posted == which ? web_field(p, name) : stored;
}

static bool checked(struct web_page *p, const struct proc_form *f, enum posted which,
                    const char *name, bool stored)
{
	return f->posted == which ? *web_field(p, name) != '\0' : stored;
}

/* An input in a table cell, with a label for screen readers and its error under it. */
static void cell_input(struct web_page *p, const char *name, const char *label, const char *value,
                       const char *inputmode, const char *error, int maxlength)
{
	struct html *h = &p->h;
	const char *id = web_strf(p, "f-%s", name), *eid = web_strf(p, "e-%s", name);
	html_open(h, "td", "data-label", label, "class", error ? "has-error" : NULL, NULL);
	html_elem(h, "label", label, "for", id, "class", "visually-hidden", NULL);
	html_void(h, "input", "id", id, "name", name, "type", "text", "value", value, "maxlength",
	          maxlength > 0 ? web_num(p, maxlength) : NULL, "inputmode", inputmode,
	          "aria-invalid", error ? "true" : NULL, "aria-describedby", error ? eid : NULL,
	          NULL);
	if (error)
		html_elem(h, "p", error, "class", "field-error", "id", eid, NULL);
	html_close(h, "td");
}

static void cell_select(struct web_page *p, const char *name, const char *label,
                        enum import_words w, const char *value, const char *error)
{
	struct html *h = &p->h;
	const char *id = web_strf(p, "f-%s", name), *eid = web_strf(p, "e-%s", name);
	size_t n;
	const struct web_option *o = word_options(p, w, &n);
	html_open(h, "td", "data-label", label, "class", error ? "has-error" : NULL, NULL);
	html_elem(h, "label", label, "for", id, "class", "visually-hidden", NULL);
	html_open(h, "select", "id", id, "name", name, "aria-invalid", error ? "true" : NULL,
	          "aria-describedby", error ? eid : NULL, NULL);
	for (size_t i = 0; i < n; i++)
		html_elem(h, "option", o[i].label, "value", o[i].value, "selected",
		          str_eq(value, o[i].value) ? HTML_BOOL : NULL, NULL);
	html_close(h, "select");
	if (error)
		html_elem(h, "p", error, "class", "field-error", "id", eid, NULL);
	html_close(h, "td");
}

static void cell_check(struct web_page *p, const char *name, const char *label, bool on,
                       const char *error)
{
	struct html *h = &p->h;
	html_open(h, "td", "data-label", label, "class", error ? "has-error" : NULL, NULL);
	web_checkbox(p, name, "1", label, on);
	if (error)
		html_elem(h, "p", error, "class", "field-error", NULL);
	html_close(h, "td");
}

/* A message about a whole list (components, steps), when there is one. */
static void list_error(struct web_page *p, const struct admin_errors *fe, const char *field)
{
	const char *m = ferr(p, fe, field);
	if (m)
		html_elem(&p->h, "p", m, "class", "field-error", "role", "alert", NULL);
}

/* The number of rows a components or steps form posted (its hidden field "rows"). */
static size_t posted_rows(struct web_page *p)
{
	int64_t n = 0;
	const char *s = web_field(p, "rows");
	if (!str_all_digits(s) || str_parse_int64(s, 0, ADMIN_ROWS_MAX, &n) != 0)
		return 0;
	return (size_t)n;
}

static void fields_form(struct web_page *p, const struct db_admin_procedure *r,
                        const struct proc_form *f)
{
	const enum posted w = POSTED_FIELDS;
	const struct admin_errors *fe = f->posted == w ? f->fe : NULL;
	const char *path = web_strf(p, "/admin/procedures/%s", r->code);
	html_raw(&p->h, "<section aria-labelledby=\"h-fields\">");
	html_elem(&p->h, "h2", T(p, "Thông tin thủ tục", "Procedure"), "id", "h-fields", NULL);
	if (f->posted == w)
		form_summary(p, fe, f->e);
	html_open(&p->h, "form", "method", "post", "action", web_url(p, path, NULL), "id",
	          "procedure-form", "class", "admin-form", NULL);
	web_csrf_input(p);
	web_input(p, &(struct web_input){
	                     .name = "name_vi",
	                     .label = T(p, "Tên thủ tục (tiếng Việt)", "Name (Vietnamese)"),
	                     .type = "textarea",
	                     .value = val(p, f, w, "name_vi", r->name_vi),
	                     .error = ferr(p, fe, "name_vi"),
	                     .maxlength = ADMIN_NAME_MAX,
	                     .required = true});
	web_input(p, &(struct web_input){.name = "name_en",
	                                 .label = T(p, "Tên tiếng Anh", "Name (English)"),
	                                 .type = "textarea",
	                                 .value = val(p, f, w, "name_en", r->name_en),
	                                 .error = ferr(p, fe, "name_en"),
	                                 .maxlength = ADMIN_NAME_MAX,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "sector",
	                                 .label = T(p, "Lĩnh vực", "Sector"),
	                                 .value = val(p, f, w, "sector", r->sector),
	                                 .error = ferr(p, fe, "sector"),
	                                 .maxlength = ADMIN_SHORT_MAX,
	                                 .required = true});
	html_raw(&p->h, "<fieldset><legend>");
	html_text(&p->h, T(p, "Cơ quan có thẩm quyền", "Competent agency"));
	html_raw(&p->h, "</legend>");
	word_select(p, "level", T(p, "Cấp giải quyết", "Level"), IMPORT_W_LEVEL,
	            val(p, f, w, "level", r->level), ferr(p, fe, "level"));
	word_select(p, "competent_kind",
	            T(p, "Loại cơ quan giải quyết", "Kind of competent agency"), IMPORT_W_UNIT_KIND,
	            val(p, f, w, "competent_kind", r->competent_kind),
	            ferr(p, fe, "competent_kind"));
	web_input(p,
	          &(struct web_input){
	                  .name = "competent_unit",
	                  .label = T(p, "Mã cơ quan cố định", "Code of the fixed agency"),
	                  .value = val(p, f, w, "competent_unit", r->competent_unit),
	                  .error = ferr(p, fe, "competent_unit"),
	                  .hint = T(p,
	                            "Ví dụ SO_TU_PHAP. Để trống khi cơ quan được xác định theo nơi "
	                            "cư trú hoặc nơi có tài sản (cấp xã).",
	                            "E.g. SO_TU_PHAP. Leave empty when the agency is found by "
	                            "residence or property (commune level)."),
	                  .maxlength = IMPORT_CODE_MAX});
	word_select(p, "route_by", T(p, "Cách xác định cơ quan", "How the agency is found"),
	            IMPORT_W_ROUTE, val(p, f, w, "route_by", r->route_by), ferr(p, fe, "route_by"));
	html_raw(&p->h, "</fieldset><fieldset><legend>");
	html_text(&p->h, T(p, "Thời hạn giải quyết", "Legal time"));
	html_raw(&p->h, "</legend>");
	bool in_days = r->legal_days != DB_NONE;
	int64_t amount = in_days ? r->legal_days : r->legal_hours;
	web_input(p, &(struct web_input){
	                     .name = "legal_amount",
	                     .label = T(p, "Số ngày hoặc giờ làm việc", "Working days or hours"),
	                     .type = "number",
	                     .value = val(p, f, w, "legal_amount", web_num(p, amount)),
	                     .error = ferr(p, fe, "legal_amount"),
	                     .hint = T(p, "0 ngày: giải quyết trong ngày.",
	                               "0 days: the same working day."),
	                     .inputmode = "numeric",
	                     .min = "0",
	                     .required = true});
	const struct web_option units[] = {{"days", T(p, "ngày làm việc", "working days")},
	                                   {"hours", T(p, "giờ làm việc", "working hours")}};
	web_select(p, "legal_unit", T(p, "Đơn vị", "Unit"), units, 2,
	           val(p, f, w, "legal_unit", in_days ? "days" : "hours"),
	           ferr(p, fe, "legal_unit"), true);
	const char *cutoff = "";
	if (r->cutoff_sec != DB_NONE)
		cutoff = web_strf(p, "%02d:%02d", (int)(r->cutoff_sec / 3600),
		                  (int)(r->cutoff_sec / 60 % 60));
	web_input(p,
	          &(struct web_input){
	                  .name = "cutoff",
	                  .label = T(p, "Giờ chốt tiếp nhận trong ngày", "Same-day cut-off"),
	                  .value = val(p, f, w, "cutoff", cutoff),
	                  .error = ferr(p, fe, "cutoff"),
	                  .hint = T(p,
	                            "HH:MM, ví dụ 15:00: hồ sơ nhận sau giờ này tính là nhận ngày "
	                            "làm việc tiếp theo. Để trống nếu không có.",
	                            "HH:MM, e.g. 15:00: received later counts as received the next "
	                            "working day. Empty for none."),
	                  .pattern = "[0-2][0-9]:[0-5][0-9]",
	                  .maxlength = 5});
	word_select(p, "supplement_rule",
	            T(p, "Khi bổ sung hồ sơ, thời hạn", "After a supplement, the time"),
	            IMPORT_W_SUPPLEMENT, val(p, f, w, "supplement_rule", r->supplement_rule),
	            ferr(p, fe, "supplement_rule"));
	web_input(p, &(struct web_input){.name = "max_supplements",
	                                 .label = T(p, "Số lần yêu cầu bổ sung tối đa",
	                                            "Most supplement requests"),
	                                 .type = "number",
	                                 .value = val(p, f, w, "max_supplements",
	                                              web_num(p, r->max_supplements)),
	                                 .error = ferr(p, fe, "max_supplements"),
	                                 .inputmode = "numeric",
	                                 .min = "0",
	                                 .max = "100",
	                                 .required = true});
	web_input(p, &(struct web_input){
	                     .name = "max_extensions",
	                     .label = T(p, "Số lần gia hạn tối đa", "Most extensions"),
	                     .type = "number",
	                     .value = val(p, f, w, "max_extensions", web_num(p, r->max_extensions)),
	                     .error = ferr(p, fe, "max_extensions"),
	                     .inputmode = "numeric",
	                     .min = "0",
	                     .max = "100",
	                     .required = true});
	html_raw(&p->h, "</fieldset><fieldset><legend>");
	html_text(&p->h, T(p, "Nộp hồ sơ và phí", "Filing and fees"));
	html_raw(&p->h, "</legend>");
	web_input(p, &(struct web_input){.name = "fee_vnd",
	                                 .label = T(p, "Phí, lệ phí (đồng)", "Fee (VND)"),
	                                 .value = val(p, f, w, "fee_vnd", web_num(p, r->fee_vnd)),
	                                 .error = ferr(p, fe, "fee_vnd"),
	                                 .hint = T(p, "Chỉ gõ chữ số, ví dụ 50000.",
	                                           "Digits only, e.g. 50000."),
	                                 .inputmode = "numeric",
	                                 .pattern = "[0-9]*",
	                                 .maxlength = 13});
	word_select(p, "online", T(p, "Mức độ dịch vụ trực tuyến", "Online level"), IMPORT_W_ONLINE,
	            val(p, f, w, "online", r->online), ferr(p, fe, "online"));
	web_checkbox(p, "boundary_free", "1",
	             T(p, "Tiếp nhận không phụ thuộc địa giới hành chính (nộp ở điểm bất kỳ)",
	               "Can be filed at any branch (boundary-free)"),
	             checked(p, f, w, "boundary_free", r->boundary_free));
	web_checkbox(p, "active", "1", T(p, "Đang áp dụng", "Active"),
	             checked(p, f, w, "active", r->active));
	html_raw(&p->h, "</fieldset>");
	web_input(p, &(struct web_input){.name = "source",
	                                 .label = T(p, "Căn cứ, nguồn", "Legal basis, source"),
	                                 .type = "textarea",
	                                 .value = val(p, f, w, "source", r->source),
	                                 .error = ferr(p, fe, "source"),
	                                 .maxlength = ADMIN_SOURCE_MAX});
	html_open(&p->h, "p", "class", "muted", NULL);
	html_text(&p->h,
	          r->needs_signoff
	                  ? T(p, "Có bước lãnh đạo ký duyệt (theo các bước xử lý bên dưới).",
	                      "Has a sign-off step (from the steps below).")
	                  : T(p, "Không có bước ký duyệt riêng (theo các bước xử lý bên dưới).",
	                      "No separate sign-off step (from the steps below)."));
	html_close(&p->h, "p");
	web_submit(p, T(p, "Lưu thông tin thủ tục", "Save the procedure"), NULL);
	web_form_close(p);
	html_raw(&p->h, "</section>");
}

/*
 * The start of the section and form of a procedure's rows (part "components"
 * or "steps", posted as .../{part}): heading, the summary when this form was
 * the one posted (refused), help, the list's own error, the form with the hidden
 * count of rows, and the table up to its header cells.
 */
static void rows_form_begin(struct web_page *p, const char *part, const char *title,
                            const char *help, const struct proc_form *f, bool posted,
                            const struct admin_errors *fe, const char *code, size_t rows)
{
	struct html *h = &p->h;
	const char *hid = web_strf(p, "h-%s", part);
	html_open(h, "section", "aria-labelledby", hid, NULL);
	html_elem(h, "h2", title, "id", hid, NULL);
	if (posted)
		form_summary(p, fe, f->e);
	html_elem(h, "p", help, "class", "muted", NULL);
	list_error(p, fe, part);
	html_open(h, "form", "method", "post", "action",
	          web_url(p, web_strf(p, "/admin/procedures/%s/%s", code, part), NULL), "id",
	          web_strf(p, "%s-form", part), NULL);
	web_csrf_input(p);
	html_void(h, "input", "type", "hidden", "name", "rows", "value", web_num(p, (int64_t)rows),
	          NULL);
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack edit-rows\"><thead><tr>");
}

static void components_form(struct web_page *p, const struct admin_procedure_view *v,
                            const struct proc_form *f)
{
	struct html *h = &p->h;
	const enum posted w = POSTED_COMPONENTS;
	const struct admin_errors *fe = f->posted == w ? f->fe : NULL;
	size_t stored = v->components.count;
	size_t rows = f->posted == w ? posted_rows(p) : stored + 1;
	rows_form_begin(
	        p, "components", T(p, "Thành phần hồ sơ", "Dossier components"),
	        T(p,
	          "Thêm thành phần ở dòng cuối. Không xóa được thành phần mà hồ sơ đã tiếp nhận "
	          "đang "
	          "dùng (số thứ tự sẽ bị lệch); hãy sửa tên hoặc bỏ chọn \"Bắt buộc\".",
	          "Add a component on the last row. A component that received dossiers use cannot "
	          "be removed (their numbers would shift); rename it or untick \"Required\"."),
	        f, f->posted == w, fe, v->p.code, rows);
	web_col_heads(p, T(p, "Số", "No."), T(p, "Tên thành phần", "Component"),
	              T(p, "Bắt buộc", "Required"),
	              T(p, "Thay bằng CSDL dân cư", "Replaced by population data"),
	              T(p, "Xóa", "Remove"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 1; i <= rows; i++) {
		const struct db_procedure_component *c =
		        i <= stored ? &v->components.items[i - 1] : NULL;
		bool is_new = i > stored;
		const char *n = web_strf(p, "c%zu_name", i);
		html_open(h, "tr", "class", is_new ? "new-row" : NULL, NULL);
		html_elem(h, "th", is_new ? T(p, "Mới", "New") : web_num(p, (int64_t)i), "scope",
		          "row", NULL);
		cell_input(p, n,
		           is_new ? T(p, "Tên thành phần mới", "New component")
		                  : web_strf(p, "%s %zu", T(p, "Tên thành phần", "Component"), i),
		           val(p, f, w, n, c ? c->name_vi : ""), NULL, ferr(p, fe, n),
		           ADMIN_NAME_MAX);
		cell_check(
		        p, web_strf(p, "c%zu_required", i), T(p, "Bắt buộc", "Required"),
		        checked(p, f, w, web_strf(p, "c%zu_required", i), c ? c->required : true),
		        NULL);
		cell_check(p, web_strf(p, "c%zu_population", i),
		           T(p, "Thay bằng CSDL dân cư", "Replaced by population data"),
		           checked(p, f, w, web_strf(p, "c%zu_population", i),
		                   c ? c->population_replaces : false),
		           NULL);
		if (is_new)
			html_elem(h, "td", "", NULL);
		else
			cell_check(p, web_strf(p, "c%zu_remove", i), T(p, "Xóa", "Remove"),
			           checked(p, f, w, web_strf(p, "c%zu_remove", i), false),
			           ferr(p, fe, web_strf(p, "c%zu_remove", i)));
		html_close(h, "tr");
	}
	html_raw(h, "</tbody></table></div>");
	web_submit(p, T(p, "Lưu thành phần hồ sơ", "Save the components"), NULL);
	web_form_close(p);
	html_raw(h, "</section>");
}

static void steps_form(struct web_page *p, const struct admin_procedure_view *v,
                       const struct proc_form *f, int day_seconds)
{
	struct html *h = &p->h;
	const enum posted w = POSTED_STEPS;
	const struct admin_errors *fe = f->posted == w ? f->fe : NULL;
	size_t stored = v->steps.count;
	size_t rows = f->posted == w ? posted_rows(p) : stored + 1;
	int64_t total = v->p.legal_days != DB_NONE ? v->p.legal_days * day_seconds
	                                           : v->p.legal_hours * 3600;
	rows_form_begin(
	        p, "steps", T(p, "Các bước xử lý", "Processing steps"),
	        T(p,
	          "Mỗi bước có người thực hiện và phần thời hạn được dùng (tổng 100%). Có bước "
	          "\"Lãnh đạo cơ quan ký duyệt\" thì hồ sơ phải được ký duyệt. Thời gian mỗi bước "
	          "của hồ sơ đã tiếp nhận giữ nguyên.",
	          "Each step has who performs it and its share of the legal time (100% in all). "
	          "A \"head of the agency\" step means the result needs sign-off. Dossiers already "
	          "received keep their step times."),
	        f, f->posted == w, fe, v->p.code, rows);
	web_col_heads(p, T(p, "Bước", "Step"), T(p, "Tên bước (tiếng Việt)", "Name (Vietnamese)"),
	              T(p, "Tên tiếng Anh", "Name (English)"),
	              T(p, "Người thực hiện", "Performed by"),
	              T(p, "Phần thời hạn (%)", "Share of the time (%)"), T(p, "Thời gian", "Time"),
	              T(p, "Xóa", "Remove"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 1; i <= rows; i++) {
		const struct db_procedure_step *s = i <= stored ? &v->steps.items[i - 1] : NULL;
		bool is_new = i > stored;
		const char *nv = web_strf(p, "s%zu_name_vi", i),
		           *ne = web_strf(p, "s%zu_name_en", i);
		const char *ns = web_strf(p, "s%zu_share", i), *nr = web_strf(p, "s%zu_role", i);
		html_open(h, "tr", "class", is_new ? "new-row" : NULL, NULL);
		html_elem(h, "th", is_new ? T(p, "Mới", "New") : web_num(p, (int64_t)i), "scope",
		          "row", NULL);
		cell_input(p, nv,
		           web_strf(p, "%s %s",
		                    T(p, "Tên tiếng Việt, bước", "Vietnamese name, step"),
		                    is_new ? T(p, "mới", "new") : web_num(p, (int64_t)i)),
		           val(p, f, w, nv, s ? s->name_vi : ""), NULL, ferr(p, fe, nv),
		           ADMIN_SHORT_MAX);
		cell_input(p, ne,
		           web_strf(p, "%s %s", T(p, "Tên tiếng Anh, bước", "English name, step"),
		                    is_new ? T(p, "mới", "new") : web_num(p, (int64_t)i)),
		           val(p, f, w, ne, s ? s->name_en : ""), NULL, ferr(p, fe, ne),
		           ADMIN_SHORT_MAX);
		cell_select(p, nr, T(p, "Người thực hiện", "Performed by"), IMPORT_W_STEP_ROLE,
		            val(p, f, w, nr, s ? s->role : "specialist"), ferr(p, fe, nr));
		cell_input(p, ns, T(p, "Phần thời hạn (%)", "Share (%)"),
		           val(p, f, w, ns, s ? web_num(p, s->share_pct) : ""), "numeric",
		           ferr(p, fe, ns), 3);
		html_open(h, "td", "data-label", T(p, "Thời gian", "Time"), NULL);
		if (s && f->posted != w && total > 0)
			web_worktime(p, intake_step_budget(&v->steps, (int64_t)i, total));
		html_close(h, "td");
		if (is_new)
			html_elem(h, "td", "", NULL);
		else
			cell_check(p, web_strf(p, "s%zu_remove", i), T(p, "Xóa", "Remove"),
			           checked(p, f, w, web_strf(p, "s%zu_remove", i), false),
			           ferr(p, fe, web_strf(p, "s%zu_remove", i)));
		html_close(h, "tr");
	}
	html_raw(h, "</tbody></table></div>");
	web_submit(p, T(p, "Lưu các bước xử lý", "Save the steps"), NULL);
	web_form_close(p);
	html_raw(h, "</section>");
}

static const struct done_text procedure_done[] = {
        {"saved", "Đã lưu thông tin thủ tục.", "The procedure was saved."},
        {"unchanged", "Không có gì thay đổi.", "Nothing changed."},
        {"components", "Đã lưu thành phần hồ sơ.", "The components were saved."},
        {"steps", "Đã lưu các bước xử lý.", "The steps were saved."},
};

/* The page of one procedure; after a refused POST, f says which form to show as posted. */
static void procedure_page(struct web_page *p, const char *code, const struct proc_form *f)
{
	struct admin_procedure_view v;
	struct err e;
	err_clear(&e);
	if (admin_procedure_get(p->w->svc, p->actor, code, &v, &e) != ERR_OK) {
		web_fail(p, &e);
		return;
	}
	struct html *h = &p->h;
	web_begin(p, web_strf(p, "%s %s", T(p, "Thủ tục", "Procedure"), v.p.code));
	back_link(p, "/admin/procedures", T(p, "« Danh sách thủ tục", "« All procedures"));
	if (f->posted == POSTED_NONE)
		done_notice(p, procedure_done, sizeof procedure_done / sizeof procedure_done[0]);
	html_elem(h, "p", T(p, v.p.name_vi, v.p.name_en), "class", "lead", NULL);
	html_open(h, "p", "class", "admin-note", NULL);
	html_text(h,
	          T(p,
	            "Thay đổi áp dụng cho hồ sơ tiếp nhận sau khi lưu. Thời hạn, phí và các bước "
	            "của hồ sơ đã tiếp nhận giữ nguyên như đã tính.",
	            "Changes apply to dossiers received after saving. The appointments, fees and "
	            "steps of dossiers already received stay as they were computed."));
	html_close(h, "p");
	html_open(h, "p", NULL);
	html_elem(h, "a", T(p, "Xem trang công khai của thủ tục", "See the public page"), "href",
	          web_url(p, web_strf(p, "/procedures/%s", v.p.code), NULL), NULL);
	html_close(h, "p");
	fields_form(p, &v.p, f);
	components_form(p, &v, f);
	steps_form(p, &v, f, service_calendar(p->w->svc)->cal.hours.day_seconds);
	admin_procedure_view_release(&v);
	web_end(p);
}

static void get_procedure(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	struct proc_form f = {POSTED_NONE, NULL, NULL};
	procedure_page(&p, param(&p, "code"), &f);
}

static void post_procedure(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p) || !web_post_begin(&p))
		return;
	const char *code = param(&p, "code");
	struct admin_procedure_input in = {
	        .name_vi = web_field(&p, "name_vi"),
	        .name_en = web_field(&p, "name_en"),
	        .sector = web_field(&p, "sector"),
	        .level = web_field(&p, "level"),
	        .competent_kind = web_field(&p, "competent_kind"),
	        .competent_unit = web_field(&p, "competent_unit"),
	        .route_by = web_field(&p, "route_by"),
	        .legal_amount = web_field(&p, "legal_amount"),
	        .legal_unit = web_field(&p, "legal_unit"),
	        .cutoff = web_field(&p, "cutoff"),
	        .fee_vnd = web_field(&p, "fee_vnd"),
	        .online = web_field(&p, "online"),
	        .boundary_free = *web_field(&p, "boundary_free") != '\0',
	        .supplement_rule = web_field(&p, "supplement_rule"),
	        .max_supplements = web_field(&p, "max_supplements"),
	        .max_extensions = web_field(&p, "max_extensions"),
	        .active = *web_field(&p, "active") != '\0',
	        .source = web_field(&p, "source"),
	};
	struct admin_errors fe;
	struct err e;
	bool changed = false;
	err_clear(&e);
	enum err_code rc = admin_procedure_update(p.w->svc, p.actor, code, &in, &changed, &fe, &e);
	if (rc == ERR_OK) {
		web_redirect(&p, web_url(&p, web_strf(&p, "/admin/procedures/%s", code), "done",
		                         changed ? "saved" : "unchanged", NULL));
		return;
	}
	if (!form_refused(&p, rc, rc == ERR_INVALID_ARGUMENT, &e))
		return;
	struct proc_form f = {POSTED_FIELDS, &fe, &e};
	procedure_page(&p, code, &f);
}

static void post_procedure_part(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	const char *code = param(&p, "code"), *part = param(&p, "part");
	bool components = str_eq(part, "components");
	if (!components && !str_eq(part, "steps")) {
		web_fail_code(&p, ERR_NOT_FOUND, "components or steps");
		return;
	}
	if (!web_post_begin(&p))
		return;
	size_t rows = posted_rows(&p);
	struct admin_component_input comps[ADMIN_ROWS_MAX];
	struct admin_step_input steps[ADMIN_ROWS_MAX];
	for (size_t i = 1; i <= rows; i++) {
		const char *name =
		        web_field(&p, web_strf(&p, components ? "c%zu_name" : "s%zu_name_vi", i));
		/* the last row is the blank "new" row: left blank, it adds nothing */
		bool blank_new = i == rows && !*name &&
		                 (components || !*web_field(&p, web_strf(&p, "s%zu_name_en", i)));
		if (components)
			comps[i - 1] = (struct admin_component_input){
			        name, *web_field(&p, web_strf(&p, "c%zu_required", i)) != '\0',
			        *web_field(&p, web_strf(&p, "c%zu_population", i)) != '\0',
			        blank_new ||
			                *web_field(&p, web_strf(&p, "c%zu_remove", i)) != '\0'};
		else
			steps[i - 1] = (struct admin_step_input){
			        name, web_field(&p, web_strf(&p, "s%zu_name_en", i)),
			        web_field(&p, web_strf(&p, "s%zu_share", i)),
			        web_field(&p, web_strf(&p, "s%zu_role", i)),
			        blank_new ||
			                *web_field(&p, web_strf(&p, "s%zu_remove", i)) != '\0'};
	}
	struct admin_errors fe;
	struct err e;
	err_clear(&e);
	enum err_code rc = components ? admin_procedure_set_components(p.w->svc, p.actor, code,
	                                                               comps, rows, &fe, &e)
	                              : admin_procedure_set_steps(p.w->svc, p.actor, code, steps,
	                                                          rows, &fe, &e);
	if (rc == ERR_OK) {
		web_redirect(&p, web_url(&p, web_strf(&p, "/admin/procedures/%s", code), "done",
		                         part, NULL));
		return;
	}
	if (!form_refused(&p, rc, rc == ERR_INVALID_ARGUMENT, &e))
		return;
	struct proc_form f = {components ? POSTED_COMPONENTS : POSTED_STEPS, &fe, &e};
	procedure_page(&p, code, &f);
}

/* ---- staff accounts ---- */

static const struct {
	unsigned bit;
	const char *vi, *en;
} staff_roles[] = {
        {ROLE_ADMIN, "Quản trị hệ thống", "Administrator"},
        {ROLE_LEADER, "Lãnh đạo (xem toàn thành phố)", "Leader (whole city, read)"},
        {ROLE_SUPERVISOR, "Thanh tra, giám sát", "Supervisor"},
        {ROLE_OFFICER, "Cán bộ tiếp nhận (một cửa)", "Reception officer (one-stop desk)"},
        {ROLE_SPECIALIST, "Chuyên viên xử lý", "Specialist"},
        {ROLE_APPROVER, "Lãnh đạo ký duyệt", "Approver (sign-off)"},
};

/* The role names of a mask in the page's language, joined by ", ". */
static const char *roles_text(struct web_page *p, unsigned roles)
{
	const char *out = "";
	for (size_t i = 0; i < sizeof staff_roles / sizeof staff_roles[0]; i++)
		if (roles & staff_roles[i].bit)
			out = web_strf(p, "%s%s%s", out, *out ? ", " : "",
			               T(p, staff_roles[i].vi, staff_roles[i].en));
	if (roles & ROLE_SYSTEM)
		out = web_strf(p, "%s%s%s", out, *out ? ", " : "",
		               T(p, "Hệ thống khác", "Other system"));
	return out;
}

static void user_form(struct web_page *p, const struct admin_errors *fe, const struct err *e,
                      bool posted)
{
	struct html *h = &p->h;
	html_raw(h, "<section aria-labelledby=\"h-new-user\">");
	html_elem(h, "h2", T(p, "Thêm tài khoản cán bộ", "Add a staff account"), "id", "h-new-user",
	          NULL);
	if (posted)
		form_summary(p, fe, e);
	html_open(h, "form", "method", "post", "action", "/admin/users", "id", "user-form", "class",
	          "admin-form", NULL);
	web_csrf_input(p);
	web_input(p, &(struct web_input){.name = "username",
	                                 .label = T(p, "Tên đăng nhập", "Username"),
	                                 .value = posted ? web_field(p, "username") : "",
	                                 .error = ferr(p, fe, "username"),
	                                 .hint = T(p, "Chữ thường không dấu, số, dấu chấm, gạch.",
	                                           "Lower-case letters, digits, dots, hyphens."),
	                                 .autocomplete = "off",
	                                 .maxlength = SERVICE_USERNAME_MAX - 1,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "full_name",
	                                 .label = T(p, "Họ và tên", "Full name"),
	                                 .value = posted ? web_field(p, "full_name") : "",
	                                 .error = ferr(p, fe, "full_name"),
	                                 .autocomplete = "off",
	                                 .maxlength = ACCOUNT_NAME_MAX - 1,
	                                 .required = true});
	html_open(h, "fieldset", "class", ferr(p, fe, "roles") ? "has-error" : NULL, NULL);
	html_raw(h, "<legend>");
	html_text(h, T(p, "Vai trò", "Roles"));
	html_elem(h, "span", " *", "class", "req", "aria-hidden", "true", NULL);
	html_raw(h, "</legend>");
	const char *rerr = ferr(p, fe, "roles");
	if (rerr)
		html_elem(h, "p", rerr, "class", "field-error", NULL);
	const char *chosen[16];
	size_t nchosen = posted ? web_fields(p, "roles", chosen, 16) : 0;
	for (size_t i = 0; i < sizeof staff_roles / sizeof staff_roles[0]; i++) {
		const char *name = lifecycle_role_name(staff_roles[i].bit);
		bool on = false;
		for (size_t k = 0; k < nchosen; k++)
			on |= str_eq(chosen[k], name);
		web_checkbox(p, "roles", name, T(p, staff_roles[i].vi, staff_roles[i].en), on);
	}
	html_raw(h, "</fieldset>");
	web_input(
	        p,
	        &(struct web_input){
	                .name = "unit_code",
	                .label = T(p, "Mã đơn vị công tác", "Unit code"),
	                .value = posted ? web_field(p, "unit_code") : "",
	                .error = ferr(p, fe, "unit_code"),
	                .hint = T(p,
	                          "Cán bộ tiếp nhận: chi nhánh, điểm phục vụ hoặc bộ phận một cửa "
	                          "cấp xã (ví dụ CN01, UBND-00070). Chuyên viên, lãnh đạo ký "
	                          "duyệt: cơ quan giải quyết (ví dụ SO_TU_PHAP).",
	                          "Officers: a branch, service point or commune desk (e.g. CN01, "
	                          "UBND-00070). Specialists and approvers: their agency (e.g. "
	                          "SO_TU_PHAP)."),
	                .maxlength = IMPORT_CODE_MAX});
	web_input(p, &(struct web_input){.name = "password",
	                                 .label = T(p, "Mật khẩu ban đầu", "Initial password"),
	                                 .type = "password",
	                                 .error = ferr(p, fe, "password"),
	                                 .hint = T(p,
	                                           "Ít nhất 10 ký tự, không chứa tên đăng nhập. "
	                                           "Không hiển thị lại sau khi gửi.",
	                                           "At least 10 characters, not containing the "
	                                           "username. Never shown again."),
	                                 .autocomplete = "new-password",
	                                 .maxlength = ACCOUNT_PASSWORD_MAX,
	                                 .required = true});
	web_submit(p, T(p, "Tạo tài khoản", "Create the account"), NULL);
	web_form_close(p);
	html_raw(h, "</section>");
}

static void users_page(struct web_page *p, const struct admin_errors *fe, const struct err *e,
                       bool posted)
{
	struct html *h = &p->h;
	int64_t page = page_of(p);
	struct account_list list;
	struct err le;
	err_clear(&le);
	if (account_list(p->w->acc, p->actor, false, WEB_PAGE_SIZE, (page - 1) * WEB_PAGE_SIZE,
	                 &list, &le) != ERR_OK) {
		web_fail(p, &le);
		return;
	}
	web_begin(p, T(p, "Tài khoản cán bộ", "Staff accounts"));
	back_link(p, "/admin", T(p, "« Quản trị", "« Administration"));
	if (!posted)
		done_notice(p,
		            (const struct done_text[]){
		                    {"created", "Đã tạo tài khoản.", "The account was created."}},
		            1);
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack admin-list\"><thead><tr>");
	web_col_heads(p, T(p, "Tên đăng nhập", "Username"), T(p, "Họ và tên", "Full name"),
	              T(p, "Vai trò", "Roles"), T(p, "Đơn vị", "Unit"),
	              T(p, "Trạng thái", "Status"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < list.count; i++) {
		const struct account_info *a = &list.items[i];
		html_raw(h, "<tr>");
		html_open(h, "td", "data-label", T(p, "Tên đăng nhập", "Username"), NULL);
		html_elem(h, "a", a->username, "href",
		          web_url(p, web_strf(p, "/admin/users/%s", a->username), NULL), NULL);
		html_close(h, "td");
		html_elem(h, "td", a->full_name, "data-label", T(p, "Họ và tên", "Full name"),
		          NULL);
		html_elem(h, "td", roles_text(p, a->roles), "data-label", T(p, "Vai trò", "Roles"),
		          NULL);
		html_elem(h, "td", a->unit_code, "data-label", T(p, "Đơn vị", "Unit"), NULL);
		html_elem(h, "td",
		          a->disabled ? T(p, "Đã khóa", "Disabled") : T(p, "Hoạt động", "Active"),
		          "data-label", T(p, "Trạng thái", "Status"), "class",
		          a->disabled ? "status-off" : NULL, NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
	web_pager(p, page, list.total,
	          web_url(p, "/admin/users", "page", web_num(p, page - 1), NULL),
	          web_url(p, "/admin/users", "page", web_num(p, page + 1), NULL), WEB_PAGER_QUOTES);
	account_list_release(&list);
	user_form(p, fe, e, posted);
	web_end(p);
}

static void get_users(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	users_page(&p, NULL, NULL, false);
}

static void post_users(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p) || !web_post_begin(&p))
		return;
	const char *roles[16];
	size_t nroles = web_fields(&p, "roles", roles, 16);
	struct admin_user_input in = {web_field(&p, "username"),
	                              web_field(&p, "full_name"),
	                              web_field(&p, "unit_code"),
	                              web_field(&p, "password"),
	                              roles,
	                              nroles};
	struct admin_errors fe;
	struct account_info info;
	struct err e;
	err_clear(&e);
	enum err_code rc = admin_user_create(p.w->acc, p.actor, &in, &info, &fe, &e);
	if (rc == ERR_OK) {
		web_redirect(&p, web_url(&p, web_strf(&p, "/admin/users/%s", info.username), "done",
		                         "created", NULL));
		return;
	}
	if (form_refused(&p, rc, fe.count > 0 || rc == ERR_INVALID_ARGUMENT, &e))
		users_page(&p, &fe, &e, true);
}

static const struct done_text user_done[] = {
        {"created", "Đã tạo tài khoản.", "The account was created."},
        {"password", "Đã đặt mật khẩu mới; các phiên đăng nhập của tài khoản đã kết thúc.",
         "The new password is set; the account's login sessions were ended."},
        {"disable", "Đã khóa tài khoản; các phiên đăng nhập và khóa API đã bị hủy.",
         "The account was disabled; its sessions and API tokens were revoked."},
        {"enable", "Đã mở khóa tài khoản.", "The account was enabled."},
};

static void user_page(struct web_page *p, const char *username, const struct admin_errors *fe,
                      const struct err *e)
{
	struct html *h = &p->h;
	struct account_info a;
	struct err ge;
	err_clear(&ge);
	if (account_get(p->w->acc, username, &a, &ge) != ERR_OK) {
		web_fail(p, &ge);
		return;
	}
	if (a.kind != ACTOR_STAFF && a.kind != ACTOR_SYSTEM) {
		web_fail_code(
		        p, ERR_NOT_FOUND,
		        T(p, "Đây không phải tài khoản cán bộ.", "This is not a staff account."));
		return;
	}
	web_begin(p, web_strf(p, "%s %s", T(p, "Tài khoản", "Account"), a.username));
	back_link(p, "/admin/users", T(p, "« Tài khoản cán bộ", "« Staff accounts"));
	if (!fe)
		done_notice(p, user_done, sizeof user_done / sizeof user_done[0]);
	html_raw(h, "<dl class=\"facts\">");
	html_elem(h, "dt", T(p, "Họ và tên", "Full name"), NULL);
	html_elem(h, "dd", a.full_name, NULL);
	html_elem(h, "dt", T(p, "Vai trò", "Roles"), NULL);
	html_elem(h, "dd", roles_text(p, a.roles), NULL);
	html_elem(h, "dt", T(p, "Đơn vị", "Unit"), NULL);
	html_elem(h, "dd", a.unit_code[0] ? a.unit_code : T(p, "(toàn thành phố)", "(whole city)"),
	          NULL);
	html_elem(h, "dt", T(p, "Trạng thái", "Status"), NULL);
	html_elem(h, "dd", a.disabled ? T(p, "Đã khóa", "Disabled") : T(p, "Hoạt động", "Active"),
	          "id", "account-status", NULL);
	html_elem(h, "dt", T(p, "Tạo lúc", "Created"), NULL);
	html_open(h, "dd", NULL);
	web_time(p, a.created_at);
	html_close(h, "dd");
	html_raw(h, "</dl>");

	if (a.kind == ACTOR_STAFF) {
		html_raw(h, "<section aria-labelledby=\"h-password\">");
		html_elem(h, "h2", T(p, "Đặt lại mật khẩu", "Reset the password"), "id",
		          "h-password", NULL);
		if (fe)
			form_summary(p, fe, e);
		html_open(h, "form", "method", "post", "action",
		          web_url(p, web_strf(p, "/admin/users/%s/password", a.username), NULL),
		          "id", "password-form", "class", "admin-form", NULL);
		web_csrf_input(p);
		web_input(p,
		          &(struct web_input){
		                  .name = "password",
		                  .label = T(p, "Mật khẩu mới", "New password"),
		                  .type = "password",
		                  .error = ferr(p, fe, "password"),
		                  .hint = T(p,
		                            "Báo mật khẩu cho cán bộ qua kênh an toàn. Mọi phiên "
		                            "đăng nhập hiện có của tài khoản sẽ kết thúc.",
		                            "Give it to the person through a safe channel. The "
		                            "account's current sessions end."),
		                  .autocomplete = "new-password",
		                  .maxlength = ACCOUNT_PASSWORD_MAX,
		                  .required = true});
		web_submit(p, T(p, "Đặt mật khẩu mới", "Set the new password"), NULL);
		web_form_close(p);
		html_raw(h, "</section>");
	}
	html_raw(h, "<section aria-labelledby=\"h-state\">");
	html_elem(h, "h2",
	          a.disabled ? T(p, "Mở khóa", "Enable") : T(p, "Khóa tài khoản", "Disable"), "id",
	          "h-state", NULL);
	html_elem(h, "p",
	          a.disabled
	                  ? T(p, "Tài khoản có thể đăng nhập lại sau khi mở khóa.",
	                      "The account can log in again once enabled.")
	                  : T(p,
	                      "Tài khoản bị khóa không đăng nhập được; mọi phiên và khóa API bị "
	                      "hủy ngay.",
	                      "A disabled account cannot log in; its sessions and API tokens stop "
	                      "at once."),
	          NULL);
	html_open(h, "form", "method", "post", "action",
	          web_url(p,
	                  web_strf(p, "/admin/users/%s/%s", a.username,
	                           a.disabled ? "enable" : "disable"),
	                  NULL),
	          "id", "state-form", NULL);
	web_csrf_input(p);
	web_submit(p,
	           a.disabled ? T(p, "Mở khóa tài khoản", "Enable the account")
	                      : T(p, "Khóa tài khoản", "Disable the account"),
	           a.disabled ? NULL : "button danger");
	web_form_close(p);
	html_raw(h, "</section>");
	web_end(p);
}

static void get_user(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	user_page(&p, param(&p, "username"), NULL, NULL);
}

static void post_user_op(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	const char *username = param(&p, "username"), *op = param(&p, "op");
	if (!str_eq(op, "password") && !str_eq(op, "disable") && !str_eq(op, "enable")) {
		web_fail_code(&p, ERR_NOT_FOUND, "password, disable or enable");
		return;
	}
	if (!web_post_begin(&p))
		return;
	struct admin_errors fe;
	struct err e;
	err_clear(&e);
	admin_errors_clear(&fe);
	enum err_code rc;
	if (str_eq(op, "password"))
		rc = admin_user_password(p.w->acc, p.actor, username, web_field(&p, "password"),
		                         NULL, &fe, &e);
	else
		rc = account_set_disabled(p.w->acc, p.actor, username, str_eq(op, "disable"), NULL,
		                          &e);
	if (rc == ERR_OK) {
		web_redirect(&p, web_url(&p, web_strf(&p, "/admin/users/%s", username), "done", op,
		                         NULL));
		return;
	}
	if (form_refused(&p, rc, fe.count > 0, &e))
		user_page(&p, username, &fe, &e);
}

/* ---- branches and service points ---- */

/* Degrees with 6 decimals from millionths ("" when there are none). */
static const char *degrees(struct web_page *p, bool has, int64_t e6)
{
	if (!has)
		return "";
	int64_t a = e6 < 0 ? -e6 : e6;
	return web_strf(p, "%s%lld.%06lld", e6 < 0 ? "-" : "", (long long)(a / 1000000),
	                (long long)(a % 1000000));
}

static void get_branches(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	struct html *h = &p.h;
	struct db_admin_unit_list list;
	struct err e;
	err_clear(&e);
	if (admin_units(p.w->svc, p.actor, &list, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	web_begin(&p, T(&p, "Chi nhánh và điểm phục vụ", "Branches and service points"));
	back_link(&p, "/admin", T(&p, "« Quản trị", "« Administration"));
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack admin-list\"><thead><tr>");
	web_col_heads(&p, T(&p, "Tên", "Name"), T(&p, "Loại", "Kind"), T(&p, "Địa chỉ", "Address"),
	              T(&p, "Giờ mở cửa", "Opening hours"), T(&p, "Điện thoại", "Phone"),
	              T(&p, "Tọa độ", "Coordinates"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < list.count; i++) {
		const struct db_admin_unit *u = &list.items[i];
		html_raw(h, "<tr>");
		html_open(h, "td", "data-label", T(&p, "Tên", "Name"), NULL);
		html_elem(h, "a", T(&p, u->name_vi, u->name_en), "href",
		          web_url(&p, web_strf(&p, "/admin/branches/%s", u->code), NULL), NULL);
		if (!u->active)
			html_elem(h, "span", T(&p, " (ngừng hoạt động)", " (inactive)"), "class",
			          "muted", NULL);
		html_close(h, "td");
		html_elem(h, "td", word_label(&p, u->kind), "data-label", T(&p, "Loại", "Kind"),
		          NULL);
		html_elem(h, "td", u->address, "data-label", T(&p, "Địa chỉ", "Address"), NULL);
		html_elem(h, "td", u->opening_hours, "data-label", T(&p, "Giờ mở cửa", "Hours"),
		          NULL);
		html_elem(h, "td", u->phone, "data-label", T(&p, "Điện thoại", "Phone"), NULL);
		html_elem(h, "td",
		          u->has_coords ? web_strf(&p, "%s, %s", degrees(&p, true, u->lat_e6),
		                                   degrees(&p, true, u->lon_e6))
		                        : T(&p, "chưa có", "none"),
		          "data-label", T(&p, "Tọa độ", "Coordinates"), NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
	db_admin_unit_list_free(&list);
	web_end(&p);
}

static void branch_page(struct web_page *p, const char *code, const struct admin_errors *fe,
                        const struct err *e)
{
	struct html *h = &p->h;
	struct db_admin_unit u;
	struct err ge;
	err_clear(&ge);
	if (admin_unit_get(p->w->svc, p->actor, code, &u, &ge) != ERR_OK) {
		web_fail(p, &ge);
		return;
	}
	bool posted = fe != NULL;
	web_begin(p, T(p, u.name_vi, u.name_en));
	back_link(p, "/admin/branches",
	          T(p, "« Chi nhánh và điểm phục vụ", "« Branches and service points"));
	if (!posted)
		done_notice(p,
		            (const struct done_text[]){
		                    {"saved", "Đã lưu.", "Saved."},
		                    {"unchanged", "Không có gì thay đổi.", "Nothing changed."}},
		            2);
	html_raw(h, "<dl class=\"facts\">");
	html_elem(h, "dt", T(p, "Mã", "Code"), NULL);
	html_elem(h, "dd", u.code, NULL);
	html_elem(h, "dt", T(p, "Loại", "Kind"), NULL);
	html_elem(h, "dd", word_label(p, u.kind), NULL);
	html_elem(h, "dt", T(p, "Mã định danh", "Unit identifier"), NULL);
	html_elem(h, "dd", u.identifier, NULL);
	html_elem(h, "dt", T(p, "Xã, phường", "Commune"), NULL);
	html_elem(h, "dd", u.commune_code, NULL);
	html_raw(h, "</dl>");
	if (posted)
		form_summary(p, fe, e);
	html_open(h, "form", "method", "post", "action",
	          web_url(p, web_strf(p, "/admin/branches/%s", u.code), NULL), "id", "branch-form",
	          "class", "admin-form", NULL);
	web_csrf_input(p);
#define BV(name, stored) (posted ? web_field(p, name) : (stored))
	web_input(p, &(struct web_input){.name = "address",
	                                 .label = T(p, "Địa chỉ", "Address"),
	                                 .type = "textarea",
	                                 .value = BV("address", u.address),
	                                 .error = ferr(p, fe, "address"),
	                                 .maxlength = ADMIN_NAME_MAX});
	web_input(p, &(struct web_input){.name = "opening_hours",
	                                 .label = T(p, "Giờ mở cửa", "Opening hours"),
	                                 .value = BV("opening_hours", u.opening_hours),
	                                 .error = ferr(p, fe, "opening_hours"),
	                                 .hint = T(p, "Ví dụ: Mon-Fri 08:00-17:00; Sat 08:00-12:00",
	                                           "E.g. Mon-Fri 08:00-17:00; Sat 08:00-12:00"),
	                                 .maxlength = ADMIN_SHORT_MAX});
	web_input(p,
	          &(struct web_input){.name = "phone",
	                              .label = T(p, "Số điện thoại", "Phone"),
	                              .type = "tel",
	                              .value = BV("phone", u.phone),
	                              .error = ferr(p, fe, "phone"),
	                              .hint = T(p, "Ví dụ 024 3825 3536, 0912 345 678 hoặc 1022.",
	                                        "E.g. 024 3825 3536, 0912 345 678 or 1022."),
	                              .autocomplete = "off",
	                              .maxlength = 40});
	html_raw(h, "<fieldset><legend>");
	html_text(h, T(p, "Tọa độ (WGS84, độ thập phân)", "Coordinates (WGS84, decimal degrees)"));
	html_raw(h, "</legend>");
	web_input(p, &(struct web_input){.name = "lat",
	                                 .label = T(p, "Vĩ độ", "Latitude"),
	                                 .value = BV("lat", degrees(p, u.has_coords, u.lat_e6)),
	                                 .error = ferr(p, fe, "lat"),
	                                 .hint = T(p, "Ví dụ 21.028511 (trong Hà Nội).",
	                                           "E.g. 21.028511 (in Hanoi)."),
	                                 .inputmode = "decimal",
	                                 .maxlength = 16});
	web_input(p,
	          &(struct web_input){.name = "lon",
	                              .label = T(p, "Kinh độ", "Longitude"),
	                              .value = BV("lon", degrees(p, u.has_coords, u.lon_e6)),
	                              .error = ferr(p, fe, "lon"),
	                              .hint = T(p, "Ví dụ 105.854167. Để trống cả hai nếu chưa có.",
	                                        "E.g. 105.854167. Leave both empty if unknown."),
	                              .inputmode = "decimal",
	                              .maxlength = 16});
	web_input(p,
	          &(struct web_input){.name = "coord_note",
	                              .label = T(p, "Ghi chú về tọa độ", "Note on the coordinates"),
	                              .value = BV("coord_note", u.coord_note),
	                              .error = ferr(p, fe, "coord_note"),
	                              .maxlength = ADMIN_NAME_MAX});
#undef BV
	html_raw(h, "</fieldset>");
	web_submit(p, T(p, "Lưu", "Save"), NULL);
	web_form_close(p);
	web_end(p);
}

static void get_branch(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	branch_page(&p, param(&p, "code"), NULL, NULL);
}

static void post_branch(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p) || !web_post_begin(&p))
		return;
	const char *code = param(&p, "code");
	struct admin_unit_input in = {web_field(&p, "address"),    web_field(&p, "opening_hours"),
	                              web_field(&p, "lat"),        web_field(&p, "lon"),
	                              web_field(&p, "coord_note"), web_field(&p, "phone")};
	struct admin_errors fe;
	struct err e;
	bool changed = false;
	err_clear(&e);
	enum err_code rc = admin_unit_update(p.w->svc, p.actor, code, &in, &changed, &fe, &e);
	if (rc == ERR_OK) {
		web_redirect(&p, web_url(&p, web_strf(&p, "/admin/branches/%s", code), "done",
		                         changed ? "saved" : "unchanged", NULL));
		return;
	}
	if (form_refused(&p, rc, rc == ERR_INVALID_ARGUMENT, &e))
		branch_page(&p, code, &fe, &e);
}

/* ---- holidays ---- */

static const struct word_label holiday_labels[] = {
        {"new_year", "Tết Dương lịch", "New Year's Day"},
        {"tet", "Tết Nguyên đán", "Lunar New Year (Tết)"},
        {"hung_kings", "Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration"},
        {"reunification_labour", "Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5",
         "Reunification Day and Labour Day"},
        {"national_day", "Quốc khánh 2/9", "National Day"},
        {"other", "Dịp khác", "Other"},
        {"confirmed", "Đã xác nhận", "Confirmed"},
        {"provisional", "Dự kiến theo quy tắc", "Provisional (from the rule)"},
        {"uncertain", "Chưa chắc chắn", "Uncertain"},
        {"announced", "Theo thông báo", "Announced"},
        {"rule", "Theo Bộ luật Lao động", "By the Labour Code"},
        {"compensatory", "Nghỉ bù", "Compensatory day off"},
        {"off", "Nghỉ", "Day off"},
        {"work", "Làm bù", "Make-up working day"},
};

static const char *holiday_label(struct web_page *p, const char *word)
{
	for (size_t i = 0; i < sizeof holiday_labels / sizeof holiday_labels[0]; i++)
		if (str_eq(holiday_labels[i].word, word))
			return T(p, holiday_labels[i].vi, holiday_labels[i].en);
	return word ? word : "";
}

static const char *weekday_name(struct web_page *p, int64_t day)
{
	static const char *const vi[] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
	                                 "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};
	static const char *const en[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
	                                 "Thursday", "Friday", "Saturday"};
	int w = vntime_weekday(day);
	return T(p, vi[w], en[w]);
}

static void date_cell(struct web_page *p, int64_t day, const char *label)
{
	html_open(&p->h, "td", "data-label", label, NULL);
	html_text(&p->h, weekday_name(p, day));
	html_text(&p->h, " ");
	web_date(p, day);
	html_close(&p->h, "td");
}

/* The year of ?year= (else this year), within the calendar's years. */
static int holiday_year(struct web_page *p)
{
	int64_t days;
	int sec;
	vntime_split(service_now(p->w->svc), &days, &sec);
	int64_t y = vntime_civil_from_days(days).year;
	const char *s = web_query(p, "year");
	if (!*s)
		s = web_field(p, "year"); /* a refused announcement: the year it was for */
	int64_t q;
	if (*s && str_all_digits(s) &&
	    str_parse_int64(s, WORKTIME_FIRST_YEAR, WORKTIME_LAST_YEAR, &q) == 0)
		y = q;
	if (y < WORKTIME_FIRST_YEAR)
		y = WORKTIME_FIRST_YEAR;
	if (y > WORKTIME_LAST_YEAR)
		y = WORKTIME_LAST_YEAR;
	return (int)y;
}

/* True when an announcement added here sets this date. */
static bool added_here(const struct db_admin_holiday_list *list, int64_t day)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].day == day)
			return true;
	return false;
}

static void year_calendar(struct web_page *p, int year, const struct db_admin_holiday_list *list)
{
	struct html *h = &p->h;
	const struct calendar *cal = service_calendar(p->w->svc);
	const struct holiday_set *set = &cal->set;
	int64_t from = vntime_days_from_civil(year, 1, 1),
	        to = vntime_days_from_civil(year + 1, 1, 1);
	html_raw(h, "<section aria-labelledby=\"h-year\">");
	html_elem(h, "h2", web_strf(p, "%s %d", T(p, "Lịch nghỉ lễ năm", "Holidays of"), year),
	          "id", "h-year", NULL);
	html_open(h, "nav", "class", "pager", "aria-label", T(p, "Chọn năm", "Choose the year"),
	          NULL);
	if (year > WORKTIME_FIRST_YEAR)
		html_elem(h, "a", web_strf(p, "« %d", year - 1), "href",
		          web_url(p, "/admin/holidays", "year", web_num(p, year - 1), NULL), "rel",
		          "prev", NULL);
	if (year < WORKTIME_LAST_YEAR)
		html_elem(h, "a", web_strf(p, "%d »", year + 1), "href",
		          web_url(p, "/admin/holidays", "year", web_num(p, year + 1), NULL), "rel",
		          "next", NULL);
	html_close(h, "nav");
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack holiday-year\" "
	            "id=\"holiday-year\"><thead><tr>");
	web_col_heads(p, T(p, "Ngày", "Date"), T(p, "Nghỉ hay làm", "Off or work"),
	              T(p, "Tên", "Name"), T(p, "Dịp", "Occasion"), T(p, "Căn cứ", "Basis"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	size_t shown = 0;
	for (size_t i = holidays_set_lower_bound(set, from);
	     i < set->count && set->entries[i].date < to; i++) {
		const struct holiday_entry *x = &set->entries[i];
		bool here = added_here(list, x->date) && x->origin == HOLIDAY_ANNOUNCED;
		const char *cls = x->kind == HOLIDAY_WORK ? "make-up"
		                  : x->weekend            ? "weekend"
		                                          : NULL;
		html_open(h, "tr", "class", cls, NULL);
		date_cell(p, x->date, T(p, "Ngày", "Date"));
		html_open(h, "td", "data-label", T(p, "Nghỉ hay làm", "Off or work"), NULL);
		html_text(h, holiday_label(p, holidays_kind_name(x->kind)));
		if (x->weekend)
			html_text(h, T(p, " (trùng cuối tuần)", " (on a weekend)"));
		html_close(h, "td");
		html_elem(h, "td", T(p, x->name_vi, x->name_en), "data-label", T(p, "Tên", "Name"),
		          NULL);
		html_elem(h, "td", holiday_label(p, holidays_occasion_name(x->occasion)),
		          "data-label", T(p, "Dịp", "Occasion"), NULL);
		html_open(h, "td", "data-label", T(p, "Căn cứ", "Basis"), NULL);
		html_text(h, holiday_label(p, holidays_origin_name(x->origin)));
		html_text(h, ", ");
		html_text(h, holiday_label(p, holidays_status_name(x->status)));
		if (here)
			html_elem(h, "span", T(p, " · thêm tại trang này", " · added here"),
			          "class", "badge st-open", NULL);
		html_close(h, "td");
		html_close(h, "tr");
		shown++;
	}
	html_raw(h, "</tbody></table></div>");
	if (!shown)
		html_elem(h, "p", T(p, "Không có ngày nghỉ lễ nào.", "No holidays."), NULL);
	html_open(h, "p", "class", "muted", NULL);
	html_text(h, T(p, "Nguồn dữ liệu: ", "Data: "));
	html_text(h, cal->data_source);
	html_close(h, "p");
	html_raw(h, "</section>");
}

static void announcements(struct web_page *p, const struct db_admin_holiday_list *list)
{
	struct html *h = &p->h;
	html_raw(h, "<section aria-labelledby=\"h-added\">");
	html_elem(h, "h2", T(p, "Thông báo đã thêm tại đây", "Announcements added here"), "id",
	          "h-added", NULL);
	if (list->count == 0) {
		html_elem(h, "p",
		          T(p, "Chưa có. Lịch đang dùng đúng theo dữ liệu phát hành kèm phần mềm.",
		            "None yet. The calendar is the one released with the software."),
		          NULL);
		html_raw(h, "</section>");
		return;
	}
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack\" id=\"announcements\"><thead>"
	            "<tr>");
	web_col_heads(p, T(p, "Các ngày", "Days"), T(p, "Dịp", "Occasion"),
	              T(p, "Văn bản", "Announcement"), T(p, "Người thêm", "Added by"),
	              T(p, "Thao tác", "Action"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < list->count; i++) {
		const struct db_admin_holiday *b = &list->items[i];
		bool first = true;
		for (size_t j = 0; j < i; j++)
			if (str_eq(list->items[j].batch, b->batch))
				first = false;
		if (!first)
			continue;
		html_raw(h, "<tr>");
		html_open(h, "td", "data-label", T(p, "Các ngày", "Days"), NULL);
		html_raw(h, "<ul class=\"plain\">");
		for (size_t j = i; j < list->count; j++) {
			const struct db_admin_holiday *d = &list->items[j];
			if (!str_eq(d->batch, b->batch))
				continue;
			html_raw(h, "<li>");
			html_text(h, holiday_label(p, d->kind));
			html_text(h, ": ");
			html_text(h, weekday_name(p, d->day));
			html_text(h, " ");
			web_date(p, d->day);
			if (admin_holiday_superseded(p->w->svc, d->day))
				html_elem(h, "span",
				          T(p,
				            " (dữ liệu phát hành đã có ngày này; dùng dữ liệu phát "
				            "hành)",
				            " (the released data has this date and wins)"),
				          "class", "muted", NULL);
			html_raw(h, "</li>");
		}
		html_raw(h, "</ul>");
		html_close(h, "td");
		html_elem(h, "td",
		          web_strf(p, "%s %lld", holiday_label(p, b->occasion), (long long)b->year),
		          "data-label", T(p, "Dịp", "Occasion"), NULL);
		html_open(h, "td", "data-label", T(p, "Văn bản", "Announcement"), NULL);
		html_elem(h, "strong", T(p, b->name_vi, b->name_en), NULL);
		html_raw(h, "<br>");
		html_text(h, b->source);
		html_close(h, "td");
		html_open(h, "td", "data-label", T(p, "Người thêm", "Added by"), NULL);
		html_text(h, b->created_by);
		html_raw(h, "<br>");
		web_time(p, b->created_at);
		html_close(h, "td");
		html_open(h, "td", "data-label", T(p, "Thao tác", "Action"), NULL);
		web_form_open_class(
		        p, web_url(p, web_strf(p, "/admin/holidays/%s/withdraw", b->batch), NULL),
		        "inline");
		html_elem(h, "button", T(p, "Rút lại thông báo", "Withdraw"), "type", "submit",
		          "class", "button danger", "aria-label",
		          web_strf(p, "%s: %s", T(p, "Rút lại thông báo", "Withdraw"),
		                   T(p, b->name_vi, b->name_en)),
		          NULL);
		web_form_close(p);
		html_close(h, "td");
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
	html_raw(h, "</section>");
}

static void announce_form(struct web_page *p, int year, const struct admin_errors *fe,
                          const struct err *e)
{
	struct html *h = &p->h;
	bool posted = fe != NULL;
	html_raw(h, "<section aria-labelledby=\"h-announce\">");
	html_elem(h, "h2",
	          T(p, "Thêm thông báo nghỉ lễ, hoán đổi ngày làm việc",
	            "Add an announced day off or swap"),
	          "id", "h-announce", NULL);
	html_elem(
	        h, "p",
	        T(p,
	          "Nhập theo thông báo của Thủ tướng Chính phủ (hoặc Bộ Nội vụ). Thông báo cho một "
	          "dịp thay thế quy tắc của dịp đó trong năm, nên hãy ghi đủ mọi ngày nghỉ trong "
	          "tuần của dịp, kể cả ngày lễ theo luật (ví dụ 2/9). Thông báo có hiệu lực ngay "
	          "cho các hồ sơ tiếp nhận sau đó; hạn giải quyết đã hẹn của hồ sơ đã tiếp nhận "
	          "giữ nguyên.",
	          "Enter it as the Prime Minister (or the Ministry of Home Affairs) announced it. "
	          "An announcement for an occasion replaces that year's rule for it, so list every "
	          "weekday off of the occasion, the statutory day included (e.g. 2 September). It "
	          "takes effect at once for dossiers received afterwards; the appointments of "
	          "dossiers already received stay as they are."),
	        NULL);
	if (posted)
		form_summary(p, fe, e);
	html_open(h, "form", "method", "post", "action", "/admin/holidays", "id", "holiday-form",
	          "class", "admin-form", NULL);
	web_csrf_input(p);
	static const char *const occasions[] = {
	        "new_year", "tet", "hung_kings", "reunification_labour", "national_day", "other"};
	struct web_option opts[6];
	for (size_t i = 0; i < 6; i++)
		opts[i] = (struct web_option){occasions[i], holiday_label(p, occasions[i])};
	web_select(p, "occasion", T(p, "Dịp", "Occasion"), opts, 6,
	           posted ? web_field(p, "occasion") : "national_day", ferr(p, fe, "occasion"),
	           true);
	web_input(p, &(struct web_input){.name = "year",
	                                 .label = T(p, "Năm của dịp", "Year of the occasion"),
	                                 .type = "number",
	                                 .value = posted ? web_field(p, "year") : web_num(p, year),
	                                 .error = ferr(p, fe, "year"),
	                                 .hint = T(p, "Tết: năm âm lịch.", "Tết: the lunar year."),
	                                 .inputmode = "numeric",
	                                 .min = web_num(p, WORKTIME_FIRST_YEAR),
	                                 .max = web_num(p, WORKTIME_LAST_YEAR),
	                                 .required = true});
	web_input(p, &(struct web_input){
	                     .name = "days_off",
	                     .label = T(p, "Các ngày nghỉ (ngày thường)", "Days off (weekdays)"),
	                     .value = posted ? web_field(p, "days_off") : "",
	                     .error = ferr(p, fe, "days_off"),
	                     .hint = T(p,
	                               "Ngày dạng 2027-09-02 hoặc 02/09/2027, cách nhau bằng dấu "
	                               "phẩy. Không ghi thứ Bảy, Chủ nhật.",
	                               "Dates as 2027-09-02 or 02/09/2027, separated by commas. No "
	                               "Saturdays or Sundays."),
	                     .maxlength = 400});
	web_input(p, &(struct web_input){.name = "work_days",
	                                 .label = T(p, "Các ngày làm bù (thứ Bảy, Chủ nhật)",
	                                            "Make-up working days (Saturdays, Sundays)"),
	                                 .value = posted ? web_field(p, "work_days") : "",
	                                 .error = ferr(p, fe, "work_days"),
	                                 .hint = T(p, "Để trống nếu không hoán đổi.",
	                                           "Empty when there is no swap."),
	                                 .maxlength = 400});
	web_input(p, &(struct web_input){.name = "name_vi",
	                                 .label = T(p, "Tên (tiếng Việt)", "Name (Vietnamese)"),
	                                 .value = posted ? web_field(p, "name_vi") : "",
	                                 .error = ferr(p, fe, "name_vi"),
	                                 .hint = T(p, "Ví dụ: Nghỉ lễ Quốc khánh 2027 (1-5/9/2027)",
	                                           "E.g. Nghỉ lễ Quốc khánh 2027 (1-5/9/2027)"),
	                                 .maxlength = 200,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "name_en",
	                                 .label = T(p, "Tên tiếng Anh", "Name (English)"),
	                                 .value = posted ? web_field(p, "name_en") : "",
	                                 .error = ferr(p, fe, "name_en"),
	                                 .maxlength = 200,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "source",
	                                 .label = T(p, "Văn bản thông báo", "The announcement"),
	                                 .type = "textarea",
	                                 .value = posted ? web_field(p, "source") : "",
	                                 .error = ferr(p, fe, "source"),
	                                 .hint = T(p, "Số, ngày của văn bản và đường dẫn nếu có.",
	                                           "Its number, date and a link if any."),
	                                 .maxlength = DB_ADMIN_SOURCE_SIZE - 1,
	                                 .required = true});
	web_submit(p, T(p, "Thêm vào lịch", "Add to the calendar"), NULL);
	web_form_close(p);
	html_raw(h, "</section>");
}

static void holidays_page(struct web_page *p, const struct admin_errors *fe, const struct err *e)
{
	struct db_admin_holiday_list list;
	struct err le;
	err_clear(&le);
	if (admin_holidays(p->w->svc, p->actor, &list, &le) != ERR_OK) {
		web_fail(p, &le);
		return;
	}
	int year = holiday_year(p);
	web_begin(p, T(p, "Ngày nghỉ lễ và ngày làm bù", "Holidays and make-up days"));
	back_link(p, "/admin", T(p, "« Quản trị", "« Administration"));
	if (!fe)
		done_notice(
		        p,
		        (const struct done_text[]){
		                {"announced",
		                 "Đã thêm thông báo; lịch mới có hiệu lực ngay cho hồ sơ tiếp nhận "
		                 "từ bây giờ. Hạn giải quyết đã hẹn của hồ sơ trước đó giữ "
		                 "nguyên.",
		                 "The announcement was added; the new calendar applies at once to "
		                 "dossiers received from now on. Appointments already given stay "
		                 "as they are."},
		                {"withdrawn", "Đã rút lại thông báo; lịch đã được cập nhật.",
		                 "The announcement was withdrawn; the calendar is updated."}},
		        2);
	html_open(&p->h, "p", "class", "admin-note", NULL);
	html_text(&p->h,
	          T(p,
	            "Hạn giải quyết của hồ sơ đã tiếp nhận được tính theo lịch tại thời điểm "
	            "tính và không thay đổi khi lịch thay đổi.",
	            "Appointments of dossiers already received were computed with the "
	            "calendar of that moment and do not change when the calendar does."));
	html_close(&p->h, "p");
	year_calendar(p, year, &list);
	announcements(p, &list);
	announce_form(p, year, fe, e);
	db_admin_holiday_list_free(&list);
	web_end(p);
}

static void get_holidays(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p))
		return;
	holidays_page(&p, NULL, NULL);
}

static void post_holidays(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p) || !web_post_begin(&p))
		return;
	struct admin_holiday_input in = {web_field(&p, "occasion"), web_field(&p, "year"),
	                                 web_field(&p, "days_off"), web_field(&p, "work_days"),
	                                 web_field(&p, "name_vi"),  web_field(&p, "name_en"),
	                                 web_field(&p, "source")};
	struct admin_errors fe;
	struct err e;
	err_clear(&e);
	enum err_code rc = admin_holiday_announce(p.w->svc, p.actor, &in, NULL, &fe, &e);
	if (rc == ERR_OK) {
		web_redirect(&p, web_url(&p, "/admin/holidays", "done", "announced", "year",
		                         web_field(&p, "year"), NULL));
		return;
	}
	if (form_refused(&p, rc, rc == ERR_INVALID_ARGUMENT, &e))
		holidays_page(&p, &fe, &e);
}

static void post_withdraw(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!admin_only(&p) || !web_post_begin(&p))
		return;
	struct err e;
	err_clear(&e);
	if (admin_holiday_withdraw(p.w->svc, p.actor, param(&p, "batch"), &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	web_redirect(&p, web_url(&p, "/admin/holidays", "done", "withdrawn", NULL));
}

const struct http_route web_admin_routes[] = {
        {"GET", "/admin", get_index, WEB_FORM_MAX},
        {"GET", "/admin/procedures", get_procedures, WEB_FORM_MAX},
        {"GET", "/admin/procedures/{code}", get_procedure, WEB_FORM_MAX},
        {"POST", "/admin/procedures/{code}", post_procedure, WEB_FORM_MAX},
        {"POST", "/admin/procedures/{code}/{part}", post_procedure_part, WEB_FORM_MAX},
        {"GET", "/admin/users", get_users, WEB_FORM_MAX},
        {"POST", "/admin/users", post_users, WEB_FORM_MAX},
        {"GET", "/admin/users/{username}", get_user, WEB_FORM_MAX},
        {"POST", "/admin/users/{username}/{op}", post_user_op, WEB_FORM_MAX},
        {"GET", "/admin/branches", get_branches, WEB_FORM_MAX},
        {"GET", "/admin/branches/{code}", get_branch, WEB_FORM_MAX},
        {"POST", "/admin/branches/{code}", post_branch, WEB_FORM_MAX},
        {"GET", "/admin/holidays", get_holidays, WEB_FORM_MAX},
        {"POST", "/admin/holidays", post_holidays, WEB_FORM_MAX},
        {"POST", "/admin/holidays/{batch}/withdraw", post_withdraw, WEB_FORM_MAX},
};
const size_t web_admin_nroutes = sizeof web_admin_routes / sizeof web_admin_routes[0];
