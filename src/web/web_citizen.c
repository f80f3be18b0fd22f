/*
 * web_citizen: the pages of citizens and businesses (see web.h for the
 * layout and the rules of pages).
 *
 *   GET  /signup             registration of a citizen (12-digit ID number) or a business
 *                            (tax code): the same service as POST /api/v1/accounts
 *   POST /signup             on success logs the new account in (session cookie) and
 *                            answers 303 to /me/dossiers?done=signup; a validation error
 *                            shows the form again with the message next to the field
 *   GET  /me/dossiers        the logged-in applicant's own dossiers (code, procedure,
 *                            state, appointment), newest first, each linking to
 *                            /dossiers/{id}: worklist_search() as the applicant
 *   GET  /file/{procedure}   online filing: applicant data prefilled from the account,
 *                            the components checklist, the branch of collection or post
 *   POST /file/{procedure}   intake_submit(), as POST /api/v1/dossiers for a citizen;
 *                            303 to /dossiers/{id}?done=submitted
 *
 * Which checks hold is the services' business (service/account.h,
 * service/intake.h): the pages call the pure checks the account service
 * exposes to put a message next to each field at once, then the service
 * itself, and map what it still refuses to the field it names. The ID
 * number or tax code of an online filing is always the account's own.
 * Passwords are never written back into a page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "base/vntime.h"
#include "domain/cccd.h"
#include "domain/lifecycle.h"
#include "service/files.h"
#include "service/catalog.h"
#include "service/intake.h"
#include "service/worklist.h"
#include "web/web.h"

#define CIT_SCAN_MAX 5000   /* rows of reference data read whole for a select */
#define CIT_SEQ_MAX  1000   /* largest component number accepted (as the API) */
#define CIT_PAGE_MAX 100000 /* largest page number */

/* ---- small helpers ---- */

static bool is_applicant(const struct web_page *p)
{
	return p->user->authenticated &&
	       (p->actor->kind == ACTOR_CITIZEN || p->actor->kind == ACTOR_BUSINESS);
}

/* For pages of applicants: a visitor logs in first; staff get a 403 page. */
static bool need_applicant(struct web_page *p)
{
	if (!web_need_login(p))
		return false;
	if (is_applicant(p))
		return true;
	web_fail_code(p, ERR_FORBIDDEN,
	              T(p, "Trang này dành cho tài khoản công dân và doanh nghiệp.",
	                "This page is for citizen and business accounts."));
	return false;
}

static int64_t today(const struct web_page *p)
{
	int64_t days;
	vntime_split(service_now(p->w->svc), &days, NULL);
	return days;
}

/* ---- sign-up ---- */

struct signup {
	const char *kind, *id_number, *tax_code, *full_name, *phone, *email;
	const char *e_kind, *e_id, *e_tax, *e_name, *e_phone, *e_email, *e_password, *e_password2;
	const char *error; /* at the top */
};

static void signup_page(struct web_page *p, const struct signup *f)
{
	struct html *h = &p->h;
	web_begin(p, T(p, "Đăng ký tài khoản", "Sign up"));
	html_elem(h, "p",
	          T(p,
	            "Tài khoản dùng để nộp hồ sơ trực tuyến, theo dõi hồ sơ và đánh giá mức độ "
	            "hài lòng. Công dân đăng ký bằng số định danh cá nhân; doanh nghiệp, tổ chức "
	            "bằng mã số thuế. Tên đăng nhập là số đó.",
	            "An account lets you file online, follow your dossiers and rate the service. "
	            "Citizens sign up with their personal ID number, businesses and organisations "
	            "with their tax code; that number is the username."),
	          "class", "lead", NULL);
	web_form_errors(p, f->error);
	html_open(h, "form", "method", "post", "action", "/signup", "id", "signup-form", "class",
	          "narrow", "novalidate", HTML_BOOL, NULL);
	web_csrf_input(p);
	const struct web_option kinds[] = {
	        {"citizen", T(p, "Công dân", "Citizen")},
	        {"business", T(p, "Doanh nghiệp, tổ chức", "Business or organisation")},
	};
	web_select(p, "kind", T(p, "Loại tài khoản", "Account for"), kinds, 2,
	           *f->kind ? f->kind : "citizen", f->e_kind, true);
	web_input(p, &(struct web_input){
	                     .name = "id_number",
	                     .label = T(p, "Số định danh cá nhân", "Personal ID number"),
	                     .value = f->id_number,
	                     .error = f->e_id,
	                     .hint = T(p, "Công dân: 12 chữ số trên thẻ căn cước",
	                               "Citizens: the 12 digits on the identity card"),
	                     .autocomplete = "off",
	                     .inputmode = "numeric",
	                     .maxlength = 12,
	             });
	web_input(p,
	          &(struct web_input){
	                  .name = "tax_code",
	                  .label = T(p, "Mã số thuế", "Tax code"),
	                  .value = f->tax_code,
	                  .error = f->e_tax,
	                  .hint = T(p, "Doanh nghiệp, tổ chức: 10 chữ số, hoặc 10 chữ số-3 chữ số",
	                            "Businesses: 10 digits, or 10 digits-3 digits"),
	                  .autocomplete = "off",
	                  .maxlength = 14,
	          });
	web_input(p, &(struct web_input){
	                     .name = "full_name",
	                     .label = T(p, "Họ và tên (hoặc tên doanh nghiệp, tổ chức)",
	                                "Full name (or name of the business)"),
	                     .value = f->full_name,
	                     .error = f->e_name,
	                     .autocomplete = "name",
	                     .maxlength = ACCOUNT_NAME_MAX - 1,
	                     .required = true,
	             });
	web_input(p, &(struct web_input){
	                     .name = "phone",
	                     .label = T(p, "Số điện thoại", "Phone"),
	                     .type = "tel",
	                     .value = f->phone,
	                     .error = f->e_phone,
	                     .hint = T(p, "Cần số điện thoại hoặc thư điện tử để nhận thông báo",
	                               "A phone number or an e-mail address is needed for notices"),
	                     .autocomplete = "tel",
	                     .maxlength = 20,
	             });
	web_input(p, &(struct web_input){.name = "email",
	                                 .label = T(p, "Thư điện tử", "E-mail"),
	                                 .type = "email",
	                                 .value = f->email,
	                                 .error = f->e_email,
	                                 .autocomplete = "email",
	                                 .maxlength = ACCOUNT_EMAIL_MAX - 1});
	char hint[160];
	snprintf(
	        hint, sizeof hint, "%s %d %s", T(p, "Ít nhất", "At least"),
	        p->w->acc->min_password_len,
	        T(p, "ký tự, không chứa tên đăng nhập", "characters, not containing the username"));
	web_input(p, &(struct web_input){.name = "password",
	                                 .label = T(p, "Mật khẩu", "Password"),
	                                 .type = "password",
	                                 .error = f->e_password,
	                                 .hint = hint,
	                                 .autocomplete = "new-password",
	                                 .maxlength = ACCOUNT_PASSWORD_MAX,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "password2",
	                                 .label = T(p, "Nhập lại mật khẩu", "Repeat the password"),
	                                 .type = "password",
	                                 .error = f->e_password2,
	                                 .autocomplete = "new-password",
	                                 .maxlength = ACCOUNT_PASSWORD_MAX,
	                                 .required = true});
	web_submit(p, T(p, "Đăng ký", "Sign up"), NULL);
	html_close(h, "form");
	html_raw(h, "<p>");
	html_text(h, T(p, "Đã có tài khoản? ", "Already registered? "));
	html_elem(h, "a", T(p, "Đăng nhập", "Log in"), "href", "/login", NULL);
	html_raw(h, "</p>");
	web_end(p);
}

static void get_signup(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (is_applicant(&p)) {
		web_redirect(&p, "/me/dossiers");
		return;
	}
	struct signup f = {.kind = "",
	                   .id_number = "",
	                   .tax_code = "",
	                   .full_name = "",
	                   .phone = "",
	                   .email = ""};
	signup_page(&p, &f);
}

static void post_signup(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_post_begin(&p))
		return;
	struct signup f = {
	        .kind = web_field(&p, "kind"),
	        .id_number = web_field(&p, "id_number"),
	        .tax_code = web_field(&p, "tax_code"),
	        .full_name = web_field(&p, "full_name"),
	        .phone = web_field(&p, "phone"),
	        .email = web_field(&p, "email"),
	};
	const char *password = web_field(&p, "password");
	const char *password2 = web_field(&p, "password2");
	bool business = str_eq(f.kind, "business");
	struct err e;
	err_clear(&e);
	char username[SERVICE_USERNAME_MAX] = "";
	char phone[ACCOUNT_PHONE_MAX];

	/* the service's own checks, field by field, so that every message shows at once */
	if (!business && !str_eq(f.kind, "citizen")) {
		f.e_kind = T(&p, "Chọn công dân hoặc doanh nghiệp.", "Choose citizen or business.");
	} else if (!business) {
		struct cccd id;
		if (!*f.id_number)
			f.e_id = T(&p, "Nhập số định danh cá nhân (12 chữ số).",
			           "Enter your personal ID number (12 digits).");
		else if (cccd_parse(f.id_number, today(&p), &id, &e) != ERR_OK)
			f.e_id = T(&p,
			           "Số định danh cá nhân không hợp lệ: cần đúng 12 chữ số như trên "
			           "thẻ "
			           "căn cước.",
			           "Not a valid personal ID number: 12 digits as on the identity "
			           "card.");
		else
			str_copy(username, sizeof username, id.number);
	} else {
		if (!*f.tax_code)
			f.e_tax = T(&p, "Nhập mã số thuế.", "Enter the tax code.");
		else if (account_tax_code_check(f.tax_code, &e) != ERR_OK)
			f.e_tax = T(&p,
			            "Mã số thuế không hợp lệ: 10 chữ số, hoặc 10 chữ số, dấu gạch "
			            "ngang "
			            "và 3 chữ số.",
			            "Not a valid tax code: 10 digits, or 10 digits, a hyphen and 3 "
			            "digits.");
		else
			str_copy(username, sizeof username, f.tax_code);
	}
	if (!*f.full_name)
		f.e_name = T(&p, "Nhập họ và tên.", "Enter the name.");
	else if (strlen(f.full_name) >= ACCOUNT_NAME_MAX)
		f.e_name = T(&p, "Tên quá dài.", "The name is too long.");
	if (!*f.phone && !*f.email)
		f.e_phone = T(&p, "Nhập số điện thoại hoặc thư điện tử.",
		              "Enter a phone number or an e-mail address.");
	else if (*f.phone && account_phone_normalize(f.phone, phone, &e) != ERR_OK)
		f.e_phone = T(&p, "Số điện thoại không hợp lệ (10 chữ số, ví dụ 0912345678).",
		              "Not a valid phone number (10 digits, e.g. 0912345678).");
	if (*f.email && account_email_check(f.email, &e) != ERR_OK)
		f.e_email =
		        T(&p, "Địa chỉ thư điện tử không hợp lệ.", "Not a valid e-mail address.");
	if (account_password_check(p.w->acc, username[0] ? username : NULL, password, &e) != ERR_OK)
		f.e_password = T(&p, "Mật khẩu quá ngắn hoặc chứa tên đăng nhập.",
		                 "The password is too short or contains the username.");
	else if (!str_eq(password, password2))
		f.e_password2 = T(&p, "Hai lần nhập mật khẩu không giống nhau.",
		                  "The two passwords differ.");
	if (f.e_kind || f.e_id || f.e_tax || f.e_name || f.e_phone || f.e_email || f.e_password ||
	    f.e_password2) {
		p.status = 400;
		f.error = T(&p, "Chưa đăng ký được. Hãy sửa các ô được đánh dấu bên dưới.",
		            "Not registered yet. Please correct the fields marked below.");
		signup_page(&p, &f);
		return;
	}

	struct account_registration in = {
	        .kind = business ? ACTOR_BUSINESS : ACTOR_CITIZEN,
	        .id_number = business ? NULL : f.id_number,
	        .tax_code = business ? f.tax_code : NULL,
	        .full_name = f.full_name,
	        .phone = web_nonempty(f.phone),
	        .email = web_nonempty(f.email),
	        .password = password,
	};
	err_clear(&e);
	enum err_code rc = account_register(p.w->acc, &in, NULL, &e);
	if (rc == ERR_DB_CONFLICT) {
		const char *msg = T(&p, "Số này đã có tài khoản. Hãy đăng nhập.",
		                    "An account with this number exists. Please log in.");
		if (business)
			f.e_tax = msg;
		else
			f.e_id = msg;
		p.status = 409;
		f.error = msg;
		signup_page(&p, &f);
		return;
	}
	if (rc != ERR_OK) {
		int status = err_http_status(rc);
		if (status >= 500 || status == 403 || status == 429) {
			web_fail(&p, &e);
			return;
		}
		p.status = status;
		f.error = err_hint(rc, p.lang);
		signup_page(&p, &f);
		return;
	}

	struct session_new s;
	int64_t retry = 0;
	err_clear(&e);
	if (account_login(p.w->acc, username, password, req->client, &s, &retry, &e) != ERR_OK) {
		web_redirect(&p, "/login?next=/me/dossiers");
		return;
	}
	int64_t now = service_now(p.w->svc);
	api_set_session_cookie(p.w->api, res, s.secret,
	                       s.expires_at > now ? s.expires_at - now : 1);
	web_redirect(&p, "/me/dossiers?done=signup");
}

/* ---- my dossiers ---- */

/* The names of the procedures whose codes are given (one read of the catalogue). */
struct proc_names {
	const char *const *codes;
	size_t n;
	char (*vi)[DBD_TEXT_SIZE];
	char (*en)[DBD_TEXT_SIZE];
};

static int keep_proc_name(void *ctx, const struct dbq_procedure *row)
{
	struct proc_names *x = ctx;
	for (size_t i = 0; i < x->n; i++) {
		if (str_eq(x->codes[i], row->code)) {
			str_copy(x->vi[i], DBD_TEXT_SIZE, row->name_vi);
			str_copy(x->en[i], DBD_TEXT_SIZE, row->name_en);
		}
	}
	return 0;
}

static void clear_proc_names(void *ctx)
{
	struct proc_names *x = ctx;
	for (size_t i = 0; i < x->n; i++)
		x->vi[i][0] = x->en[i][0] = '\0';
}

static const char *proc_name(const struct web_page *p, const struct proc_names *x, size_t i)
{
	return x->vi[i][0] ? web_pick(p, x->vi[i], x->en[i]) : x->codes[i];
}

static const char *me_url(struct web_page *p, int64_t page)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)page);
	return web_url(p, "/me/dossiers", "page", page > 1 ? s : NULL, NULL);
}

static void me_table(struct web_page *p, const struct worklist *wl, const struct proc_names *pn)
{
	struct html *h = &p->h;
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack my-dossiers\" "
	            "id=\"my-dossiers\"><thead><tr>");
	web_col_heads(p, T(p, "Mã hồ sơ", "Dossier code"), T(p, "Thủ tục", "Procedure"),
	              T(p, "Trạng thái", "State"), T(p, "Ngày nộp", "Filed"),
	              T(p, "Hẹn trả kết quả", "Appointment"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	struct db_files_counts results; /* dossiers with an electronic result (issue 6) */
	struct err fe;
	if (files_owner_results(p->w->svc, p->actor, &results, &fe) != ERR_OK)
		memset(&results, 0, sizeof results);
	for (size_t i = 0; i < wl->count; i++) {
		const struct worklist_item *it = &wl->items[i];
		html_raw(h, "<tr>");
		html_open(h, "td", "data-label", T(p, "Mã hồ sơ", "Dossier code"), NULL);
		html_elem(h, "a",
		          it->code[0] ? it->code
		                      : T(p, "Hồ sơ trực tuyến chờ tiếp nhận (chưa có mã)",
		                          "Online filing awaiting acceptance (no code yet)"),
		          "href", web_path(p, "/dossiers/", it->id), NULL);
		for (size_t k = 0; k < results.count; k++)
			if (str_eq(results.items[k].dossier_id, it->id))
				html_elem(h, "a", T(p, "Kết quả điện tử", "Electronic result"),
				          "href", web_strf(p, "/dossiers/%s#files", it->id),
				          "class", "result-link", NULL);
		html_close(h, "td");
		html_elem(h, "td", proc_name(p, pn, i), "data-label", T(p, "Thủ tục", "Procedure"),
		          NULL);
		html_open(h, "td", "data-label", T(p, "Trạng thái", "State"), NULL);
		web_state_badge(p, it->state);
		html_close(h, "td");
		html_open(h, "td", "data-label", T(p, "Ngày nộp", "Filed"), NULL);
		web_time(p, it->submitted_at);
		html_close(h, "td");
		html_open(h, "td", "data-label", T(p, "Hẹn trả kết quả", "Appointment"), NULL);
		if (it->due_at != DB_NONE)
			web_time(p, it->due_at);
		else
			html_text(h, "—");
		html_close(h, "td");
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
	db_files_counts_free(&results);
}

static void get_my_dossiers(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!need_applicant(&p))
		return;
	int64_t page = 1;
	const char *ps = web_query(&p, "page");
	if (*ps && str_parse_int64(ps, 1, CIT_PAGE_MAX, &page) != 0) {
		web_fail_code(&p, ERR_INVALID_ARGUMENT,
		              T(&p, "Số trang không hợp lệ.", "Invalid page number."));
		return;
	}
	struct worklist_search q = {.limit = WEB_PAGE_SIZE, .offset = (page - 1) * WEB_PAGE_SIZE};
	struct worklist wl;
	struct err e;
	err_clear(&e);
	if (worklist_search(p.w->svc, p.actor, &q, &wl, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	struct proc_names pn = {0};
	const char **codes = http_request_alloc(req, (wl.count + 1) * sizeof *codes);
	pn.vi = calloc(wl.count + 1, sizeof *pn.vi);
	pn.en = calloc(wl.count + 1, sizeof *pn.en);
	if (!codes || !pn.vi || !pn.en) {
		err_set(&e, ERR_NO_MEMORY, NULL);
		goto fail;
	}
	for (size_t i = 0; i < wl.count; i++)
		codes[i] = wl.items[i].procedure_code;
	pn.codes = codes;
	pn.n = wl.count;
	if (wl.count > 0) {
		struct dbq_procedure_filter none;
		memset(&none, 0, sizeof none);
		int64_t total;
		if (catalog_procedures(p.w->svc, &none, CIT_SCAN_MAX, 0, &total, clear_proc_names,
		                       keep_proc_name, &pn, &e) != ERR_OK)
			goto fail;
	}

	struct html *h = &p.h;
	web_begin(&p, T(&p, "Hồ sơ của tôi", "My dossiers"));
	if (str_eq(web_query(&p, "done"), "signup"))
		web_notice(&p, T(&p, "Đăng ký thành công. Bạn đã đăng nhập.",
		                 "You are registered and logged in."));
	html_raw(h, "<p>");
	html_elem(h, "a", T(&p, "Tìm thủ tục để nộp hồ sơ mới", "Find a procedure to file"), "href",
	          "/", NULL);
	html_text(h, " · ");
	html_elem(h, "a", T(&p, "Tra cứu hồ sơ bằng mã", "Track a dossier by code"), "href",
	          "/lookup", NULL);
	html_raw(h, "</p>");
	if (wl.total == 0) {
		html_elem(h, "p", T(&p, "Bạn chưa có hồ sơ nào.", "You have no dossiers yet."),
		          "class", "empty", "role", "status", NULL);
	} else {
		html_open(h, "p", "class", "result-count", "role", "status", NULL);
		html_int(h, wl.total);
		html_text(h, T(&p, " hồ sơ, mới nhất trước", " dossiers, newest first"));
		html_close(h, "p");
		me_table(&p, &wl, &pn);
		web_pager(&p, page, wl.total, me_url(&p, page - 1), me_url(&p, page + 1),
		          WEB_PAGER_QUOTES_OF);
	}
	free(pn.vi);
	free(pn.en);
	worklist_free(&wl);
	web_end(&p);
	return;
fail:
	free(pn.vi);
	free(pn.en);
	worklist_free(&wl);
	web_fail(&p, &e);
}

/* ---- online filing ---- */

/* The procedure of a filing. */
struct filing_proc {
	char code[DBD_KEY_SIZE];
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
	char online[DBD_SHORT_SIZE];
	char route_by[DBD_SHORT_SIZE];
	char level[DBD_SHORT_SIZE];
};

static int keep_filing_proc(void *ctx, const struct dbq_procedure *row)
{
	struct filing_proc *x = ctx;
	str_copy(x->code, sizeof x->code, row->code);
	str_copy(x->name_vi, sizeof x->name_vi, row->name_vi);
	str_copy(x->name_en, sizeof x->name_en, row->name_en);
	str_copy(x->online, sizeof x->online, row->online);
	str_copy(x->route_by, sizeof x->route_by, row->route_by);
	str_copy(x->level, sizeof x->level, row->level);
	return 0;
}

/* The fields of the filing form that may carry an error. */
enum filing_field {
	FF_NAME,
	FF_BIRTH,
	FF_PHONE,
	FF_EMAIL,
	FF_ADDRESS,
	FF_RESIDENCE,
	FF_PROPERTY,
	FF_REP_NAME,
	FF_REP_ID,
	FF_AUTH_DOC,
	FF_COMPONENTS,
	FF_COLLECTION,
	FF_POST_ADDRESS,
	FF_NOTE,
	FF__COUNT
};

/* What the applicant typed (or the account's data on the first view). */
struct filing {
	const char *full_name, *birth_date, *phone, *email, *address, *residence, *property;
	const char *rep_name, *rep_id, *auth_doc, *collection, *post_address, *note;
	bool by_post;
	const char *checked[INTAKE_MAX_COMPONENTS]; /* the component numbers ticked */
	size_t nchecked;
	const char *errors[FF__COUNT];
	const char *error;  /* at the top */
	const char *detail; /* the service's detail, under it */
};

/* Reference data of the form: communes and receiving units, as select options. */
struct filing_refs {
	struct web_option *communes;
	size_t ncommunes;
	struct web_option *units;
	size_t nunits;
};

struct commune_opt {
	char code[DBD_SHORT_SIZE];
	char label[DBD_NAME_SIZE];
	char key[DBD_NAME_SIZE];
};

struct commune_opts {
	struct commune_opt *items;
	size_t count, cap;
	const struct web_page *p;
};

static int add_commune_opt(void *ctx, const struct dbq_commune *m)
{
	struct commune_opts *x = ctx;
	if (x->count >= x->cap)
		return 0;
	struct commune_opt *c = &x->items[x->count++];
	str_copy(c->code, sizeof c->code, m->code);
	snprintf(c->label, sizeof c->label, "%s %s",
	         str_eq(m->kind, "ward") ? T(x->p, "Phường", "Ward") : T(x->p, "Xã", "Commune"),
	         m->name_vi);
	web_fold_key(c->key, sizeof c->key, m->name_vi, "");
	return 0;
}

static void clear_commune_opts(void *ctx)
{
	((struct commune_opts *)ctx)->count = 0;
}

static int commune_opt_cmp(const void *a, const void *b)
{
	const struct commune_opt *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->code, y->code);
}

struct unit_opt {
	char code[DBD_KEY_SIZE];
	char label[DBD_TEXT_SIZE];
	int rank;
};

struct unit_opts {
	struct unit_opt *items;
	size_t count, cap;
	const struct web_page *p;
};

static int add_unit_opt(void *ctx, const struct dbq_unit *u)
{
	struct unit_opts *x = ctx;
	if (x->count >= x->cap)
		return 0;
	struct unit_opt *o = &x->items[x->count++];
	str_copy(o->code, sizeof o->code, u->code);
	str_copy(o->label, sizeof o->label, web_pick(x->p, u->name_vi, u->name_en));
	o->rank = web_unit_kind_rank(u->kind);
	return 0;
}

static void clear_unit_opts(void *ctx)
{
	((struct unit_opts *)ctx)->count = 0;
}

static int unit_opt_cmp(const void *a, const void *b)
{
	const struct unit_opt *x = a, *y = b;
	return x->rank != y->rank ? x->rank - y->rank : strcmp(x->code, y->code);
}

/* Reads the communes and the receiving units into options (arena memory). */
static enum err_code filing_refs_read(struct web_page *p, struct filing_refs *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	struct commune_opts cm = {.cap = CIT_SCAN_MAX, .p = p};
	struct unit_opts un = {.cap = CIT_SCAN_MAX, .p = p};
	enum err_code rc = ERR_OK;
	cm.items = calloc(cm.cap, sizeof *cm.items);
	un.items = calloc(un.cap, sizeof *un.items);
	if (!cm.items || !un.items) {
		rc = err_set(e, ERR_NO_MEMORY, NULL);
		goto out;
	}
	struct dbq_commune_filter cf;
	memset(&cf, 0, sizeof cf);
	struct dbq_unit_filter uf = {.cls = DBQ_UNITS_RECEIVING};
	int64_t total;
	if ((rc = catalog_communes(p->w->svc, &cf, (int64_t)cm.cap, 0, &total, clear_commune_opts,
	                           add_commune_opt, &cm, e)) != ERR_OK ||
	    (rc = catalog_units(p->w->svc, &uf, (int64_t)un.cap, 0, &total, clear_unit_opts,
	                        add_unit_opt, &un, e)) != ERR_OK)
		goto out;
	qsort(cm.items, cm.count, sizeof cm.items[0], commune_opt_cmp);
	qsort(un.items, un.count, sizeof un.items[0], unit_opt_cmp);
	r->communes = http_request_alloc(p->req, (cm.count + 1) * sizeof *r->communes);
	r->units = http_request_alloc(p->req, (un.count + 2) * sizeof *r->units);
	if (!r->communes || !r->units) {
		rc = err_set(e, ERR_NO_MEMORY, NULL);
		goto out;
	}
	r->communes[0] = (struct web_option){"", T(p, "— Chọn xã, phường —", "— Choose —")};
	for (size_t i = 0; i < cm.count; i++) {
		r->communes[i + 1].value = http_request_strdup(p->req, cm.items[i].code);
		r->communes[i + 1].label = http_request_strdup(p->req, cm.items[i].label);
	}
	r->ncommunes = cm.count + 1;
	r->units[0] = (struct web_option){
	        "", T(p, "— Chọn điểm nhận kết quả —", "— Choose where to collect —")};
	for (size_t i = 0; i < un.count; i++) {
		r->units[i + 1].value = http_request_strdup(p->req, un.items[i].code);
		r->units[i + 1].label = http_request_strdup(p->req, un.items[i].label);
	}
	r->nunits = un.count + 1;
	for (size_t i = 1; i < r->ncommunes; i++)
		if (!r->communes[i].value || !r->communes[i].label)
			rc = err_set(e, ERR_NO_MEMORY, NULL);
	for (size_t i = 1; i < r->nunits; i++)
		if (!r->units[i].value || !r->units[i].label)
			rc = err_set(e, ERR_NO_MEMORY, NULL);
out:
	free(cm.items);
	free(un.items);
	return rc;
}

static bool is_checked(const struct filing *f, int64_t seq)
{
	for (size_t i = 0; i < f->nchecked; i++) {
		int64_t v;
		if (str_parse_int64(f->checked[i], 1, CIT_SEQ_MAX, &v) == 0 && v == seq)
			return true;
	}
	return false;
}

static void filing_page(struct web_page *p, const struct filing_proc *pr,
                        const struct db_proc_component_list *comps, const struct filing_refs *refs,
                        const struct filing *f)
{
	struct html *h = &p->h;
	const struct account_info *acc = &p->user->session.account;
	bool business = p->actor->kind == ACTOR_BUSINESS;
	web_begin(p, T(p, "Nộp hồ sơ trực tuyến", "File online"));
	html_open(h, "p", "class", "lead", NULL);
	html_text(h, T(p, "Thủ tục: ", "Procedure: "));
	html_elem(h, "a", web_pick(p, pr->name_vi, pr->name_en), "href",
	          web_path(p, "/procedures/", pr->code), "id", "file-procedure", NULL);
	html_close(h, "p");
	web_form_errors(p, f->error);
	if (f->detail)
		html_elem(h, "p", f->detail, "class", "form-detail muted", NULL);
	html_open(h, "form", "method", "post", "action", web_path(p, "/file/", pr->code), "id",
	          "file-form", "class", "filing", "novalidate", HTML_BOOL, NULL);
	web_csrf_input(p);

	html_raw(h, "<fieldset>");
	html_elem(h, "legend", T(p, "Người nộp hồ sơ", "Applicant"), NULL);
	web_input(p,
	          &(struct web_input){.name = "full_name",
	                              .label = business ? T(p, "Tên doanh nghiệp, tổ chức",
	                                                    "Name of the business or organisation")
	                                                : T(p, "Họ và tên", "Full name"),
	                              .value = f->full_name,
	                              .error = f->errors[FF_NAME],
	                              .autocomplete = business ? "organization" : "name",
	                              .maxlength = INTAKE_NAME_MAX,
	                              .required = true});
	if (business) {
		web_input(p, &(struct web_input){
		                     .name = "tax_code",
		                     .label = T(p, "Mã số thuế", "Tax code"),
		                     .value = acc->tax_code,
		                     .hint = T(p, "Theo tài khoản đăng nhập", "From your account"),
		                     .readonly = true});
	} else {
		web_input(p, &(struct web_input){
		                     .name = "id_number",
		                     .label = T(p, "Số định danh cá nhân", "Personal ID number"),
		                     .value = acc->id_number,
		                     .hint = T(p, "Theo tài khoản đăng nhập", "From your account"),
		                     .readonly = true});
		web_input(
		        p,
		        &(struct web_input){
		                .name = "birth_date",
		                .label = T(p, "Ngày sinh", "Date of birth"),
		                .type = "date",
		                .value = f->birth_date,
		                .error = f->errors[FF_BIRTH],
		                .hint = T(p,
		                          "Để đối chiếu với Cơ sở dữ liệu quốc gia về dân cư: khi "
		                          "khớp, các giấy tờ có thông tin trong đó không phải nộp",
		                          "To match the National Population Database: when it "
		                          "matches, documents it holds are not needed"),
		                .autocomplete = "bday"});
	}
	web_input(p, &(struct web_input){.name = "phone",
	                                 .label = T(p, "Số điện thoại", "Phone"),
	                                 .type = "tel",
	                                 .value = f->phone,
	                                 .error = f->errors[FF_PHONE],
	                                 .autocomplete = "tel",
	                                 .maxlength = 20});
	web_input(p, &(struct web_input){.name = "email",
	                                 .label = T(p, "Thư điện tử", "E-mail"),
	                                 .type = "email",
	                                 .value = f->email,
	                                 .error = f->errors[FF_EMAIL],
	                                 .autocomplete = "email",
	                                 .maxlength = INTAKE_NAME_MAX});
	web_input(p, &(struct web_input){.name = "address",
	                                 .label = business ? T(p, "Địa chỉ trụ sở", "Address")
	                                                   : T(p, "Địa chỉ liên hệ", "Address"),
	                                 .value = f->address,
	                                 .error = f->errors[FF_ADDRESS],
	                                 .autocomplete = "street-address",
	                                 .maxlength = INTAKE_TEXT_MAX});
	web_select(p, "residence_commune",
	           business ? T(p, "Xã, phường nơi đặt trụ sở", "Commune of the head office")
	                    : T(p, "Xã, phường nơi cư trú", "Commune of residence"),
	           refs->communes, refs->ncommunes, f->residence, f->errors[FF_RESIDENCE], false);
	if (str_eq(pr->route_by, "property"))
		web_select(
		        p, "property_commune",
		        T(p, "Xã, phường nơi có đất, công trình", "Commune where the property is"),
		        refs->communes, refs->ncommunes, f->property, f->errors[FF_PROPERTY], true);
	html_raw(h, "</fieldset>");

	if (business) {
		html_raw(h, "<fieldset>");
		html_elem(h, "legend", T(p, "Người đại diện nộp hồ sơ", "Representative"), NULL);
		web_input(p, &(struct web_input){.name = "representative_name",
		                                 .label = T(p, "Họ và tên người đại diện",
		                                            "Representative's full name"),
		                                 .value = f->rep_name,
		                                 .error = f->errors[FF_REP_NAME],
		                                 .autocomplete = "name",
		                                 .maxlength = INTAKE_NAME_MAX,
		                                 .required = true});
		web_input(p, &(struct web_input){
		                     .name = "representative_id_number",
		                     .label = T(p, "Số định danh cá nhân của người đại diện",
		                                "Representative's personal ID number"),
		                     .value = f->rep_id,
		                     .error = f->errors[FF_REP_ID],
		                     .autocomplete = "off",
		                     .inputmode = "numeric",
		                     .maxlength = 12,
		                     .required = true});
		web_input(p, &(struct web_input){.name = "authorisation_doc",
		                                 .label = T(p, "Văn bản ủy quyền (số, ngày)",
		                                            "Authorisation (number, date)"),
		                                 .value = f->auth_doc,
		                                 .error = f->errors[FF_AUTH_DOC],
		                                 .maxlength = INTAKE_TEXT_MAX,
		                                 .required = true});
		html_raw(h, "</fieldset>");
	}

	html_open(h, "fieldset", "id", "components", "aria-describedby",
	          f->errors[FF_COMPONENTS] ? "e-components" : NULL, NULL);
	html_elem(h, "legend", T(p, "Thành phần hồ sơ", "Documents"), NULL);
	html_elem(h, "p",
	          T(p,
	            "Đánh dấu các giấy tờ bạn nộp kèm hồ sơ. Giấy tờ bắt buộc phải có, trừ giấy tờ "
	            "mà dữ liệu dân cư thay thế khi thông tin của bạn khớp.",
	            "Tick the documents you provide. Required ones must be provided, except those "
	            "the population data replaces when your details match."),
	          "class", "field-hint", NULL);
	if (f->errors[FF_COMPONENTS])
		html_elem(h, "p", f->errors[FF_COMPONENTS], "class", "field-error", "id",
		          "e-components", NULL);
	for (size_t i = 0; i < comps->count; i++) {
		const struct db_procedure_component *c = &comps->items[i];
		char seq[24];
		snprintf(seq, sizeof seq, "%lld", (long long)c->seq);
		struct buf label = BUF_INIT(DBD_TEXT_SIZE + 256);
		buf_printf(&label, "%s", c->name_vi);
		if (c->required)
			buf_puts(&label, T(p, " (bắt buộc)", " (required)"));
		if (c->population_replaces)
			buf_puts(&label,
			         T(p, " — dữ liệu dân cư thay thế", " — population data replaces"));
		const char *text = http_request_strdup(p->req, buf_str(&label));
		buf_release(&label);
		web_checkbox(p, "components", seq, text ? text : c->name_vi, is_checked(f, c->seq));
	}
	html_raw(h, "</fieldset>");

	html_raw(h, "<fieldset>");
	html_elem(h, "legend", T(p, "Nhận kết quả", "Collecting the result"), NULL);
	web_select(p, "collection_unit",
	           T(p, "Điểm phục vụ nhận kết quả", "Service point to collect the result"),
	           refs->units, refs->nunits, f->collection, f->errors[FF_COLLECTION], false);
	web_checkbox(
	        p, "by_post", "1",
	        T(p, "Nhận kết quả qua dịch vụ bưu chính công ích (thay cho nhận tại điểm phục vụ)",
	          "Receive the result by post (instead of at a service point)"),
	        f->by_post);
	web_input(p, &(struct web_input){.name = "post_address",
	                                 .label = T(p, "Địa chỉ nhận qua bưu chính",
	                                            "Postal address for the result"),
	                                 .value = f->post_address,
	                                 .error = f->errors[FF_POST_ADDRESS],
	                                 .autocomplete = "street-address",
	                                 .maxlength = INTAKE_TEXT_MAX});
	html_raw(h, "</fieldset>");

	web_input(p, &(struct web_input){.name = "note",
	                                 .label = T(p, "Ghi chú", "Note"),
	                                 .type = "textarea",
	                                 .value = f->note,
	                                 .error = f->errors[FF_NOTE],
	                                 .maxlength = ACTION_NOTE_MAX});
	web_submit(p, T(p, "Nộp hồ sơ", "File the dossier"), NULL);
	html_close(h, "form");
	web_end(p);
}

/*
 * Loads what the filing page needs: the procedure (404 page when unknown;
 * a refusal page when it cannot be filed online), its components, the
 * communes and receiving units. Returns false after answering.
 */
static bool filing_load(struct web_page *p, const char *code, struct filing_proc *pr,
                        struct catalog_procedure_parts *parts, struct filing_refs *refs)
{
	struct err e;
	err_clear(&e);
	memset(pr, 0, sizeof *pr);
	memset(parts, 0, sizeof *parts);
	if (!code || strlen(code) >= DBD_KEY_SIZE) {
		web_fail_code(p, ERR_NOT_FOUND,
		              T(p, "Không có thủ tục với mã này.", "No procedure has this code."));
		return false;
	}
	if (catalog_procedure(p->w->svc, code, NULL, keep_filing_proc, pr, parts, &e) != ERR_OK) {
		web_fail(p, &e);
		return false;
	}
	if (str_eq(pr->online, "none") || !pr->online[0]) {
		catalog_procedure_release(parts);
		web_fail_code(
		        p, ERR_GUARD_FAILED,
		        T(p,
		          "Thủ tục này không hỗ trợ nộp hồ sơ trực tuyến. Hãy nộp hồ sơ trực "
		          "tiếp tại một điểm phục vụ (xem mục Điểm phục vụ).",
		          "This procedure cannot be filed online. Please file it in person at a "
		          "service point (see Service points)."));
		return false;
	}
	if (filing_refs_read(p, refs, &e) != ERR_OK) {
		catalog_procedure_release(parts);
		web_fail(p, &e);
		return false;
	}
	return true;
}

/*
 * filing_load() of the {procedure} of the route into a new filing_proc (to
 * free()); NULL after answering.
 */
static struct filing_proc *filing_open(struct web_page *p, struct catalog_procedure_parts *parts,
                                       struct filing_refs *refs)
{
	struct filing_proc *pr = calloc(1, sizeof *pr);
	if (!pr) {
		web_fail_code(p, ERR_NO_MEMORY, NULL);
		return NULL;
	}
	if (!filing_load(p, http_request_param(p->req, "procedure"), pr, parts, refs)) {
		free(pr);
		return NULL;
	}
	return pr;
}

static void get_file(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!need_applicant(&p))
		return;
	struct catalog_procedure_parts parts;
	struct filing_refs refs;
	struct filing_proc *pr = filing_open(&p, &parts, &refs);
	if (!pr)
		return;
	const struct account_info *acc = &p.user->session.account;
	struct filing f;
	memset(&f, 0, sizeof f);
	f.full_name = acc->full_name;
	f.phone = acc->phone;
	f.email = acc->email;
	f.birth_date = f.address = f.residence = f.property = f.rep_name = f.rep_id = "";
	f.auth_doc = f.collection = f.post_address = f.note = "";
	filing_page(&p, pr, &parts.components, &refs, &f);
	catalog_procedure_release(&parts);
	free(pr);
}

/* Which field a refusal of intake_submit() is about (by the field its detail names). */
static int filing_field_of(enum err_code rc, const char *detail, const struct filing *f)
{
	static const struct {
		const char *token;
		enum filing_field field;
	} names[] = {
	        {"representative_id_number", FF_REP_ID},
	        {"authorisation_doc", FF_AUTH_DOC},
	        {"representative", FF_REP_NAME},
	        {"post_address", FF_POST_ADDRESS},
	        {"'address'", FF_ADDRESS},
	        {"phone", FF_PHONE},
	        {"email", FF_EMAIL},
	        {"applicant_name", FF_NAME},
	        {"component", FF_COMPONENTS},
	        {"collect", FF_COLLECTION},
	        {"return results", FF_COLLECTION},
	        {"'note'", FF_NOTE},
	};
	if (rc == ERR_INVALID_DATE ||
	    (rc == ERR_CCCD_MISMATCH && !strstr(detail, "representative")))
		return FF_BIRTH;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strstr(detail, names[i].token))
			return (int)names[i].field;
	if (strstr(detail, "unit '") && *f->collection)
		return FF_COLLECTION;
	if (strstr(detail, "commune"))
		return *f->property && strstr(detail, f->property) ? FF_PROPERTY : FF_RESIDENCE;
	return -1;
}

static const char *filing_message(const struct web_page *p, int field)
{
	switch (field) {
	case FF_NAME:
		return T(p, "Nhập tên người nộp hồ sơ.", "Enter the applicant's name.");
	case FF_BIRTH:
		return T(p, "Ngày sinh không hợp lệ hoặc không khớp với số định danh cá nhân.",
		         "The date of birth is not valid or does not match the ID number.");
	case FF_PHONE:
		return T(p, "Số điện thoại không hợp lệ (ví dụ 0912345678).",
		         "Not a valid phone number (e.g. 0912345678).");
	case FF_EMAIL:
		return T(p, "Địa chỉ thư điện tử không hợp lệ.", "Not a valid e-mail address.");
	case FF_ADDRESS:
		return T(p, "Địa chỉ không hợp lệ.", "Not a valid address.");
	case FF_RESIDENCE:
	case FF_PROPERTY:
		return T(p, "Chọn xã, phường trong danh sách.", "Choose a commune from the list.");
	case FF_REP_NAME:
		return T(p,
		         "Nhập họ tên người đại diện: doanh nghiệp, tổ chức nộp hồ sơ qua người "
		         "đại diện.",
		         "Enter the representative's name: a business files through a "
		         "representative.");
	case FF_REP_ID:
		return T(p, "Số định danh cá nhân của người đại diện không hợp lệ (12 chữ số).",
		         "The representative's ID number is not valid (12 digits).");
	case FF_AUTH_DOC:
		return T(p, "Nhập văn bản ủy quyền của người đại diện.",
		         "Enter the representative's authorisation.");
	case FF_COMPONENTS:
		return T(p, "Còn thiếu giấy tờ bắt buộc: hãy đánh dấu các giấy tờ bạn nộp kèm.",
		         "A required document is missing: tick the documents you provide.");
	case FF_COLLECTION:
		return T(p, "Chọn điểm phục vụ nhận kết quả, hoặc nhận qua bưu chính.",
		         "Choose where to collect the result, or receive it by post.");
	case FF_POST_ADDRESS:
		return T(p, "Nhập địa chỉ nhận kết quả qua bưu chính.",
		         "Enter the postal address for the result.");
	case FF_NOTE:
		return T(p, "Ghi chú không hợp lệ hoặc quá dài.",
		         "The note is not valid or too long.");
	default:
		return NULL;
	}
}

static void post_file(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!need_applicant(&p) || !web_post_begin(&p))
		return;
	struct catalog_procedure_parts parts;
	struct filing_refs refs;
	struct filing_proc *pr = filing_open(&p, &parts, &refs);
	if (!pr)
		return;
	const struct account_info *acc = &p.user->session.account;
	bool business = p.actor->kind == ACTOR_BUSINESS;
	struct filing f;
	memset(&f, 0, sizeof f);
	f.full_name = web_field(&p, "full_name");
	f.birth_date = web_field(&p, "birth_date");
	f.phone = web_field(&p, "phone");
	f.email = web_field(&p, "email");
	f.address = web_field(&p, "address");
	f.residence = web_field(&p, "residence_commune");
	f.property = web_field(&p, "property_commune");
	f.rep_name = web_field(&p, "representative_name");
	f.rep_id = web_field(&p, "representative_id_number");
	f.auth_doc = web_field(&p, "authorisation_doc");
	f.collection = web_field(&p, "collection_unit");
	f.by_post = *web_field(&p, "by_post") != '\0';
	f.post_address = web_field(&p, "post_address");
	f.note = web_field(&p, "note");
	f.nchecked = web_fields(&p, "components", f.checked, INTAKE_MAX_COMPONENTS);

	struct intake_request r;
	intake_request_init(&r);
	r.procedure_code = pr->code;
	if (business) {
		r.applicant_kind = INTAKE_ORGANISATION;
		r.tax_code = acc->tax_code;
		r.representative_name = web_nonempty(f.rep_name);
		r.representative_id_number = web_nonempty(f.rep_id);
		r.authorisation_doc = web_nonempty(f.auth_doc);
	} else {
		r.applicant_kind = INTAKE_PERSON;
		r.id_number = acc->id_number;
		if (*f.birth_date && vntime_parse_date(f.birth_date, &r.birth_day) != 0)
			f.errors[FF_BIRTH] =
			        T(&p, "Ngày sinh không hợp lệ; dùng dạng ngày/tháng/năm.",
			          "Not a valid date.");
	}
	r.applicant_name = f.full_name;
	char phone[ACCOUNT_PHONE_MAX];
	struct err e;
	err_clear(&e);
	r.phone = web_nonempty(f.phone);
	if (r.phone && account_phone_normalize(f.phone, phone, &e) == ERR_OK)
		r.phone = phone; /* "090 111 2233" as the account service writes it */
	r.email = web_nonempty(f.email);
	r.address = web_nonempty(f.address);
	r.residence_commune = web_nonempty(f.residence);
	r.property_commune = web_nonempty(f.property);
	r.by_post = f.by_post;
	if (f.by_post)
		r.post_address = web_nonempty(f.post_address);
	else
		r.collection_unit = web_nonempty(f.collection);
	r.note = web_nonempty(f.note);
	struct intake_component comps[INTAKE_MAX_COMPONENTS];
	size_t ncomps = 0;
	for (size_t i = 0; i < f.nchecked; i++) {
		int64_t seq;
		if (str_parse_int64(f.checked[i], 1, CIT_SEQ_MAX, &seq) != 0) {
			f.errors[FF_COMPONENTS] = filing_message(&p, FF_COMPONENTS);
			continue;
		}
		bool dup = false;
		for (size_t k = 0; k < ncomps; k++)
			dup = dup || comps[k].seq == (int)seq;
		if (!dup)
			comps[ncomps++] = (struct intake_component){.seq = (int)seq};
	}
	r.components = comps;
	r.n_components = ncomps;

	enum err_code rc = ERR_INVALID_ARGUMENT;
	struct intake_result x;
	err_clear(&e);
	bool form_ok = true;
	for (int i = 0; i < FF__COUNT; i++)
		form_ok = form_ok && !f.errors[i];
	if (form_ok) {
		rc = intake_submit(p.w->svc, p.actor, &r, &x, &e);
		if (rc == ERR_OK) {
			char where[DBD_ID_SIZE + 32];
			snprintf(where, sizeof where, "/dossiers/%s?done=submitted", x.id);
			catalog_procedure_release(&parts);
			free(pr);
			web_redirect(&p, where);
			return;
		}
		int status = err_http_status(rc);
		if (rc == ERR_GUARD_FAILED || rc == ERR_NOT_FOUND || status == 403 ||
		    status >= 500 || status == 429) {
			catalog_procedure_release(&parts);
			free(pr);
			web_fail(&p, &e);
			return;
		}
		int field = filing_field_of(rc, e.detail, &f);
		if (field >= 0 && field < FF__COUNT)
			f.errors[field] = filing_message(&p, field);
		/* the service's words only where they add something: which component, or
		   a refusal no field explains */
		if (e.detail[0] && (field < 0 || field == FF_COMPONENTS))
			f.detail = e.detail;
		p.status = status;
	} else {
		p.status = 400;
	}
	const char *first = NULL;
	for (int i = 0; i < FF__COUNT && !first; i++)
		first = f.errors[i];
	struct buf top = BUF_INIT(1024);
	buf_puts(&top, T(&p, "Hồ sơ chưa được gửi. ", "The dossier was not filed. "));
	buf_puts(&top, first ? first : err_hint(rc, p.lang));
	f.error = http_request_strdup(req, buf_str(&top));
	buf_release(&top);
	filing_page(&p, pr, &parts.components, &refs, &f);
	catalog_procedure_release(&parts);
	free(pr);
}

const struct http_route web_citizen_routes[] = {
        {"GET", "/signup", get_signup, WEB_FORM_MAX},
        {"POST", "/signup", post_signup, WEB_FORM_MAX},
        {"GET", "/me/dossiers", get_my_dossiers, WEB_FORM_MAX},
        {"GET", "/file/{procedure}", get_file, WEB_FORM_MAX},
        {"POST", "/file/{procedure}", post_file, WEB_FORM_MAX},
};
const size_t web_citizen_nroutes = sizeof web_citizen_routes / sizeof web_citizen_routes[0];
