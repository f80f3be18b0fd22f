/*
 * web: registration, the page layout, forms and CSRF, errors, login and
 * logout, the language switch, static files and the HTML 404 (see web.h).
 */
#include "web/web.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "base/vntime.h"
#include "db/db.h"
#include "domain/lifecycle.h"
#include "service/calendar.h"
#include "embedded_web.h"

/* No inline script or style anywhere; forms post only to this origin. */
#define WEB_CSP                                                                                    \
	"default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "          \
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/* ---- static files: the pieces of each, in order ---- */

struct web_static {
	const char *name;
	const char *type;
	char *data;
	size_t len;
};

struct web_private {
	struct web pub;
	struct web_static files[2];
};

struct web_part {
	const unsigned char *data;
	const size_t *len;
};

static const struct web_part css_parts[] = {
        {embedded_base_css, &embedded_base_css_len},
        {embedded_public_css, &embedded_public_css_len},
        {embedded_citizen_css, &embedded_citizen_css_len},
        {embedded_dossier_css, &embedded_dossier_css_len},
        {embedded_desk_css, &embedded_desk_css_len},
        {embedded_inbox_css, &embedded_inbox_css_len},
        {embedded_leader_css, &embedded_leader_css_len},
        {embedded_admin_css, &embedded_admin_css_len},
        {embedded_plan_css, &embedded_plan_css_len},
        {embedded_reports_css, &embedded_reports_css_len},
        {embedded_print_css, &embedded_print_css_len},
};

static const struct web_part js_parts[] = {
        {embedded_motcua_js, &embedded_motcua_js_len},
};

static char *concat(const struct web_part *parts, size_t n, size_t *len)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += *parts[i].len + 1;
	char *out = malloc(total + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(out + o, parts[i].data, *parts[i].len);
		o += *parts[i].len;
		out[o++] = '\n';
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* ---- a page ---- */

static const struct api_user anonymous_user = {.actor = {.kind = ACTOR_ANONYMOUS}};

void web_page_init(struct web_page *p, struct http_request *req, struct http_response *res,
                   void *ctx)
{
	memset(p, 0, sizeof *p);
	p->req = req;
	p->res = res;
	p->w = ctx;
	const struct api_user *u = api_user_of(req);
	p->user = u ? u : &anonymous_user;
	p->actor = &p->user->actor;
	p->lang = req->lang;
	p->status = 200;
	html_init(&p->h, HTML_MAX);
}

void web_page_release(struct web_page *p)
{
	html_release(&p->h);
	p->begun = false;
}

const char *web_tr(const struct web_page *p, const char *vi, const char *en)
{
	return p->lang == ERR_LANG_EN ? en : vi;
}

bool web_has_role(const struct web_page *p, unsigned roles)
{
	return p->user->authenticated && (p->actor->roles & roles) != 0;
}

/* ---- small values in the request's arena ---- */

const char *web_strf(struct web_page *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return "";
	char *s = http_request_alloc(p->req, (size_t)n + 1);
	if (!s)
		return "";
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

const char *web_num(struct web_page *p, int64_t v)
{
	return web_strf(p, "%lld", (long long)v);
}

const char *web_strdup(struct web_page *p, const char *s)
{
	const char *d = http_request_strdup(p->req, s ? s : "");
	return d ? d : "";
}

const char *web_nonempty(const char *s)
{
	return str_empty(s) ? NULL : s;
}

const char *web_pick(const struct web_page *p, const char *vi, const char *en)
{
	return p->lang == ERR_LANG_EN && en && en[0] ? en : vi;
}

void web_fold_key(char *out, size_t size, const char *s, const char *fallback)
{
	struct buf b = BUF_INIT(size);
	struct err e;
	err_clear(&e);
	str_copy(out, size, fold_text(s, strlen(s), &b, &e) == ERR_OK ? buf_str(&b) : fallback);
	buf_release(&b);
}

int web_unit_kind_rank(const char *kind)
{
	if (str_eq(kind, "centre"))
		return 0;
	if (str_eq(kind, "branch"))
		return 1;
	if (str_eq(kind, "point"))
		return 2;
	return 3;
}

const char *web_path(struct web_page *p, const char *prefix, const char *seg)
{
	size_t n = strlen(prefix) + strlen(seg) + 1;
	char *s = http_request_alloc(p->req, n);
	if (!s)
		return "/";
	snprintf(s, n, "%s%s", prefix, seg);
	return web_url(p, s, NULL);
}

/* ---- URLs ---- */

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

static void url_encode(struct buf *b, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (unreserved(*c) || (keep_slash && *c == '/')) {
			buf_putc(b, (char)*c);
		} else {
			char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
			buf_append(b, e, 3);
		}
	}
}

const char *web_url(struct web_page *p, const char *path, ...)
{
	struct buf b = BUF_INIT(HTTP_MAX_TARGET);
	url_encode(&b, path, true);
	va_list ap;
	va_start(ap, path);
	char sep = '?';
	for (;;) {
		const char *name = va_arg(ap, const char *);
		if (!name)
			break;
		const char *value = va_arg(ap, const char *);
		if (str_empty(value))
			continue;
		buf_putc(&b, sep);
		url_encode(&b, name, false);
		buf_putc(&b, '=');
		url_encode(&b, value, false);
		sep = '&';
	}
	va_end(ap);
	const char *out = b.data ? http_request_strdup(p->req, b.data) : NULL;
	buf_release(&b);
	return out ? out : "/";
}

const char *web_self(struct web_page *p)
{
	const char *t = p->req->target;
	return t && t[0] == '/' && t[1] != '/' ? t : "/";
}

/* A path we may send the browser back to: local, not "//host", no backslash or control. */
static bool local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			return false;
	return strlen(s) < 1024;
}

/* ---- layout ---- */

struct nav_item {
	const char *path;
	const char *vi, *en;
	unsigned roles; /* 0: everyone; else any of these roles (logged in) */
	bool citizen;   /* citizens and businesses */
};

static const struct nav_item nav[] = {
        {"/", "Thủ tục", "Procedures", 0, false},
        {"/lookup", "Tra cứu hồ sơ", "Track a dossier", 0, false},
        {"/branches", "Điểm phục vụ", "Service points", 0, false},
        {"/me/dossiers", "Hồ sơ của tôi", "My dossiers", 0, true},
        {"/desk", "Quầy tiếp nhận", "Counter desk", ROLE_OFFICER, false},
        {"/inbox", "Hồ sơ cần xử lý", "Inbox", ROLE_SPECIALIST | ROLE_APPROVER, false},
        {"/overview", "Tổng quan", "Overview", ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN, false},
        {"/reports", "Báo cáo", "Reports", ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN, false},
        {"/plan", "Quy hoạch mạng lưới", "Network planning", 0, false},
        {"/admin", "Quản trị", "Administration", ROLE_ADMIN, false},
};

static bool nav_shown(const struct web_page *p, const struct nav_item *n)
{
	bool citizen = p->user->authenticated &&
	               (p->actor->kind == ACTOR_CITIZEN || p->actor->kind == ACTOR_BUSINESS);
	if (n->citizen)
		return citizen;
	return n->roles == 0 || web_has_role(p, n->roles);
}

static bool nav_current(const struct web_page *p, const char *path)
{
	const char *here = p->req->raw_path ? p->req->raw_path : "/";
	if (str_eq(path, "/"))
		return str_eq(here, "/") || str_has_prefix(here, "/procedures");
	size_t n = strlen(path);
	return strncmp(here, path, n) == 0 && (here[n] == '\0' || here[n] == '/');
}

void web_begin(struct web_page *p, const char *title)
{
	struct html *h = &p->h;
	p->title = title;
	p->begun = true;
	html_raw(h, "<!doctype html>\n");
	html_open(h, "html", "lang", T(p, "vi", "en"), NULL);
	html_raw(h, "<head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<title>");
	html_text(h, title);
	html_raw(h, " · ");
	html_text(h, T(p, "Trung tâm Phục vụ hành chính công Hà Nội",
	               "Hanoi Public Administration Service Centre"));
	html_raw(h, "</title><link rel=\"stylesheet\" href=\"/static/motcua.css\">"
	            "<script src=\"/static/motcua.js\" defer></script></head>\n<body>");
	html_elem(h, "a", T(p, "Bỏ qua, tới nội dung chính", "Skip to main content"), "class",
	          "skip", "href", "#main", NULL);
	html_raw(h, "<header class=\"site\"><div class=\"bar\">");
	html_open(h, "a", "class", "brand", "href", "/", NULL);
	html_elem(h, "span", T(p, "Một cửa Hà Nội", "Hanoi one-stop"), "class", "brand-name", NULL);
	html_close(h, "a");

	html_raw(h, "<div class=\"account\">");
	const char *other = p->lang == ERR_LANG_EN ? "vi" : "en";
	html_open(h, "a", "class", "lang", "href",
	          web_url(p, "/lang", "to", other, "back", web_self(p), NULL), "lang", other,
	          "hreflang", other, NULL);
	html_text(h, p->lang == ERR_LANG_EN ? "Tiếng Việt" : "English");
	html_close(h, "a");
	if (p->user->authenticated) {
		const struct account_info *a = &p->user->session.account;
		html_elem(h, "span", a->full_name[0] ? a->full_name : a->username, "class", "who",
		          NULL);
		web_form_open_class(p, "/logout", "inline");
		web_submit(p, T(p, "Đăng xuất", "Log out"), "link");
		web_form_close(p);
	} else {
		html_elem(h, "a", T(p, "Đăng nhập", "Log in"), "href",
		          web_url(p, "/login", "next", web_self(p), NULL), NULL);
		html_elem(h, "a", T(p, "Đăng ký", "Sign up"), "href", "/signup", NULL);
	}
	html_raw(h, "</div></div>");

	html_open(h, "nav", "aria-label", T(p, "Điều hướng chính", "Main navigation"), NULL);
	html_raw(h, "<ul>");
	for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
		if (!nav_shown(p, &nav[i]))
			continue;
		html_raw(h, "<li>");
		html_elem(h, "a", T(p, nav[i].vi, nav[i].en), "href", nav[i].path, "aria-current",
		          nav_current(p, nav[i].path) ? "page" : NULL, NULL);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul></nav></header>\n<main id=\"main\">");
	html_elem(h, "h1", title, NULL);
}

static void send_page(struct web_page *p)
{
	size_t len;
	if (p->h.failed) {
		web_page_release(p);
		http_response_error(p->res, ERR_INTERNAL, "the page could not be written");
		return;
	}
	char *body = html_detach(&p->h, &len);
	web_page_release(p);
	if (!body) {
		http_response_error(p->res, ERR_NO_MEMORY, NULL);
		return;
	}
	http_response_take(p->res, p->status, "text/html; charset=utf-8", body, len);
	http_response_set_header(p->res, "Content-Security-Policy", WEB_CSP);
}

void web_end(struct web_page *p)
{
	struct html *h = &p->h;
	html_raw(h, "</main>\n<footer class=\"site\"><p>");
	html_text(h, T(p,
	               "Trung tâm Phục vụ hành chính công thành phố Hà Nội · Tiếp nhận không phụ "
	               "thuộc địa giới hành chính · Đường dây nóng 1022",
	               "Hanoi City Public Administration Service Centre · Any procedure at any "
	               "branch · Hotline 1022"));
	html_raw(h, "</p><p>");
	html_elem(h, "a", T(p, "Tra cứu hồ sơ", "Track a dossier"), "href", "/lookup", NULL);
	html_raw(h, " · ");
	html_elem(h, "a", T(p, "Xác thực văn bản", "Verify a document"), "href", "/verify", NULL);
	html_raw(h, " · ");
	html_elem(h, "a", "API", "href", "/api/v1/procedures", NULL);
	html_raw(h, "</p></footer></body></html>\n");
	send_page(p);
}

/* ---- errors ---- */

static const char *error_title(const struct web_page *p, int status)
{
	switch (status) {
	case 400:
		return T(p, "Yêu cầu không hợp lệ", "Bad request");
	case 401:
		return T(p, "Cần đăng nhập", "Please log in");
	case 403:
		return T(p, "Không có quyền truy cập", "Access denied");
	case 404:
		return T(p, "Không tìm thấy trang", "Page not found");
	case 409:
		return T(p, "Xung đột dữ liệu", "Conflict");
	case 413:
		return T(p, "Dữ liệu quá lớn", "Too large");
	case 415:
		return T(p, "Định dạng không được hỗ trợ", "Unsupported format");
	case 429:
		return T(p, "Quá nhiều yêu cầu", "Too many requests");
	default:
		return status >= 500 ? T(p, "Lỗi hệ thống", "System error")
		                     : T(p, "Không thực hiện được", "Not possible");
	}
}

void web_fail(struct web_page *p, const struct err *e)
{
	enum err_code code = e->code == ERR_OK ? ERR_INTERNAL : e->code;
	int status = err_http_status(code);
	html_release(&p->h);
	html_init(&p->h, HTML_MAX);
	p->status = status;
	web_begin(p, error_title(p, status));
	html_raw(&p->h, "<div class=\"error-page\" role=\"alert\">");
	html_elem(&p->h, "p", err_hint(code, p->lang), "class", "hint", NULL);
	if (e->detail[0] && status < 500)
		html_elem(&p->h, "p", e->detail, "class", "detail", NULL);
	html_open(&p->h, "p", "class", "code", NULL);
	html_textf(&p->h, "%s: %s", T(p, "Mã lỗi", "Error code"), err_code_str(code));
	html_close(&p->h, "p");
	html_raw(&p->h, "<p>");
	html_elem(&p->h, "a", T(p, "Về trang chủ", "Back to the home page"), "href", "/", NULL);
	html_raw(&p->h, "</p></div>");
	web_end(p);
}

void web_fail_code(struct web_page *p, enum err_code code, const char *detail)
{
	struct err e;
	err_clear(&e);
	err_set(&e, code, "%s", detail ? detail : "");
	web_fail(p, &e);
}

void web_redirect(struct web_page *p, const char *path)
{
	web_page_release(p);
	http_response_redirect(p->res, 303, local_path(path) ? path : "/");
}

bool web_need_login(struct web_page *p)
{
	if (p->user->authenticated)
		return true;
	web_redirect(p, web_url(p, "/login", "next", web_self(p), NULL));
	return false;
}

bool web_need_role(struct web_page *p, unsigned roles)
{
	if (!web_need_login(p))
		return false;
	if (web_has_role(p, roles))
		return true;
	web_fail_code(p, ERR_FORBIDDEN,
	              T(p, "Tài khoản của bạn không có vai trò cần cho trang này.",
	                "Your account does not have the role this page needs."));
	return false;
}

/* ---- forms ---- */

enum err_code web_form_parse(struct http_request *req, const char *body, size_t len,
                             struct http_params *out, struct err *e)
{
	out->items = NULL;
	out->n = 0;
	size_t fields = 0;
	for (size_t i = 0; i < len; i++)
		if (body[i] == '&')
			fields++;
	fields++;
	if (fields > WEB_FORM_FIELDS * 2)
		return err_set(e, ERR_TOO_LONG, "more than %d form fields", WEB_FORM_FIELDS);
	struct http_param *items = http_request_alloc(req, fields * sizeof *items);
	if (!items)
		return err_set(e, ERR_NO_MEMORY, NULL);
	size_t n = 0, pos = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && body[end] != '&')
			end++;
		size_t eq = pos;
		while (eq < end && body[eq] != '=')
			eq++;
		if (end > pos && eq > pos) {
			if (n >= WEB_FORM_FIELDS)
				return err_set(e, ERR_TOO_LONG, "more than %d form fields",
				               WEB_FORM_FIELDS);
			size_t nlen = eq - pos, vlen = eq < end ? end - eq - 1 : 0;
			char *name = http_request_alloc(req, nlen + 1);
			char *value = http_request_alloc(req, vlen + 1);
			if (!name || !value)
				return err_set(e, ERR_NO_MEMORY, NULL);
			long dn = http_percent_decode(body + pos, nlen, true, name);
			long dv = eq < end ? http_percent_decode(body + eq + 1, vlen, true, value)
			                   : 0;
			if (dn < 0 || dv < 0)
				return err_set(e, ERR_INVALID_ARGUMENT,
				               "bad percent-encoding in the form");
			if ((size_t)dn != strlen(name) || (size_t)dv != strlen(value))
				return err_set(e, ERR_INVALID_ARGUMENT, "a NUL byte in the form");
			if (!str_valid_utf8(name, (size_t)dn) || !str_valid_utf8(value, (size_t)dv))
				return err_set(e, ERR_INVALID_ARGUMENT,
				               "the form is not valid UTF-8");
			for (const unsigned char *c = (const unsigned char *)value; *c; c++)
				if ((*c < 0x20 && *c != '\n' && *c != '\r' && *c != '\t') ||
				    *c == 0x7f)
					return err_set(e, ERR_INVALID_ARGUMENT,
					               "a control character in field '%s'", name);
			items[n].name = name;
			items[n].value = value;
			n++;
		}
		pos = end + 1;
	}
	out->items = items;
	out->n = n;
	return ERR_OK;
}

static bool same_token(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb || la == 0)
		return false;
	unsigned char d = 0;
	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static bool valid_anon_token(const char *s)
{
	return s && strlen(s) == 2 * (SERVICE_ID_LEN - 1) &&
	       strspn(s, "0123456789abcdef") == strlen(s);
}

bool web_post_begin(struct web_page *p)
{
	struct err e;
	err_clear(&e);
	if (p->req->body.len > 0 &&
	    !http_request_content_type_is(p->req, "application/x-www-form-urlencoded")) {
		web_fail_code(p, ERR_UNSUPPORTED_MEDIA_TYPE,
		              "send the form as application/x-www-form-urlencoded");
		return false;
	}
	if (web_form_parse(p->req, buf_str(&p->req->body), p->req->body.len, &p->form, &e) !=
	    ERR_OK) {
		web_fail(p, &e);
		return false;
	}
	return web_csrf_check(p, web_field(p, WEB_CSRF_FIELD));
}

bool web_csrf_check(struct web_page *p, const char *token)
{
	if (!token)
		token = "";
	bool ok = p->user->authenticated
	                  ? api_csrf_ok(p->req, token)
	                  : same_token(token, http_request_cookie(p->req, WEB_CSRF_COOKIE));
	if (!ok) {
		web_fail_code(p, ERR_FORBIDDEN,
		              T(p,
		                "Biểu mẫu đã hết hạn hoặc không hợp lệ (mã chống giả mạo). "
		                "Hãy tải lại trang và gửi lại.",
		                "The form expired or is not valid (anti-forgery token). Reload the "
		                "page and send it again."));
		return false;
	}
	return true;
}

const char *web_field(const struct web_page *p, const char *name)
{
	for (size_t i = 0; i < p->form.n; i++)
		if (str_eq(p->form.items[i].name, name))
			return p->form.items[i].value;
	return "";
}

size_t web_fields(const struct web_page *p, const char *name, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < p->form.n && n < max; i++)
		if (str_eq(p->form.items[i].name, name))
			out[n++] = p->form.items[i].value;
	return n;
}

const char *web_query(const struct web_page *p, const char *name)
{
	const char *v = http_request_query(p->req, name);
	return v ? v : "";
}

void web_csrf_input(struct web_page *p)
{
	const char *token;
	if (p->user->authenticated) {
		token = p->user->session.csrf;
	} else {
		if (!p->csrf_anon[0]) {
			const char *c = http_request_cookie(p->req, WEB_CSRF_COOKIE);
			if (valid_anon_token(c)) {
				str_copy(p->csrf_anon, sizeof p->csrf_anon, c);
			} else {
				char a[SERVICE_ID_LEN], b[SERVICE_ID_LEN];
				service_new_id(a);
				service_new_id(b);
				snprintf(p->csrf_anon, sizeof p->csrf_anon, "%s%s", a, b);
			}
		}
		if (!p->csrf_cookie_set) {
			struct http_cookie opt = {
			        .path = "/",
			        .max_age = -1,
			        .http_only = true,
			        .secure = config_bool(p->w->svc->cfg, CONFIG_OPT_cookie_secure),
			        .same_site = HTTP_SAME_SITE_STRICT,
			};
			http_response_cookie(p->res, WEB_CSRF_COOKIE, p->csrf_anon, &opt);
			p->csrf_cookie_set = true;
		}
		token = p->csrf_anon;
	}
	html_void(&p->h, "input", "type", "hidden", "name", WEB_CSRF_FIELD, "value", token, NULL);
}

void web_form_open_class(struct web_page *p, const char *action, const char *cls)
{
	html_open(&p->h, "form", "method", "post", "action", action, "class", cls, NULL);
	web_csrf_input(p);
}

void web_form_open(struct web_page *p, const char *action)
{
	web_form_open_class(p, action, NULL);
}

void web_form_close(struct web_page *p)
{
	html_close(&p->h, "form");
}

static const char *field_id(struct web_page *p, const char *prefix, const char *name)
{
	size_t n = strlen(prefix) + strlen(name) + 1;
	char *id = http_request_alloc(p->req, n);
	if (!id)
		return prefix;
	snprintf(id, n, "%s%s", prefix, name);
	for (char *c = id; *c; c++)
		if (!unreserved((unsigned char)*c))
			*c = '-';
	return id;
}

static void label_and_notes(struct web_page *p, const char *id, const char *label, bool required,
                            const char *hint, const char *hint_id, const char *error,
                            const char *err_id)
{
	struct html *h = &p->h;
	html_open(h, "label", "for", id, NULL);
	html_text(h, label);
	if (required)
		html_elem(h, "span", " *", "class", "req", "aria-hidden", "true", NULL);
	html_close(h, "label");
	if (hint)
		html_elem(h, "p", hint, "class", "field-hint", "id", hint_id, NULL);
	if (error)
		html_elem(h, "p", error, "class", "field-error", "id", err_id, NULL);
}

static const char *described_by(struct web_page *p, const char *hint_id, const char *err_id)
{
	if (hint_id && err_id) {
		size_t n = strlen(hint_id) + strlen(err_id) + 2;
		char *s = http_request_alloc(p->req, n);
		if (s) {
			snprintf(s, n, "%s %s", err_id, hint_id);
			return s;
		}
	}
	return err_id ? err_id : hint_id;
}

void web_input(struct web_page *p, const struct web_input *in)
{
	struct html *h = &p->h;
	const char *type = in->type ? in->type : "text";
	const char *id = field_id(p, "f-", in->name);
	if (str_eq(type, "hidden")) {
		html_void(h, "input", "type", "hidden", "name", in->name, "value", in->value, NULL);
		return;
	}
	const char *hint_id = in->hint ? field_id(p, "h-", in->name) : NULL;
	const char *err_id = in->error ? field_id(p, "e-", in->name) : NULL;
	char maxlen[16];
	snprintf(maxlen, sizeof maxlen, "%d", in->maxlength);
	html_open(h, "div", "class", in->error ? "field has-error" : "field", NULL);
	label_and_notes(p, id, in->label, in->required, in->hint, hint_id, in->error, err_id);
	const char *desc = described_by(p, hint_id, err_id);
	if (str_eq(type, "textarea")) {
		html_open(h, "textarea", "id", id, "name", in->name, "rows", "4", "required",
		          in->required ? HTML_BOOL : NULL, "readonly",
		          in->readonly ? HTML_BOOL : NULL, "maxlength",
		          in->maxlength > 0 ? maxlen : NULL, "aria-invalid",
		          in->error ? "true" : NULL, "aria-describedby", desc, NULL);
		html_text(h, in->value);
		html_close(h, "textarea");
	} else {
		html_void(h, "input", "id", id, "name", in->name, "type", type, "value", in->value,
		          "autocomplete", in->autocomplete, "pattern", in->pattern, "inputmode",
		          in->inputmode, "min", in->min, "max", in->max, "maxlength",
		          in->maxlength > 0 ? maxlen : NULL, "required",
		          in->required ? HTML_BOOL : NULL, "readonly",
		          in->readonly ? HTML_BOOL : NULL, "aria-invalid",
		          in->error ? "true" : NULL, "aria-describedby", desc, NULL);
	}
	html_close(h, "div");
}

void web_select(struct web_page *p, const char *name, const char *label,
                const struct web_option *opts, size_t n, const char *selected, const char *error,
                bool required)
{
	struct html *h = &p->h;
	const char *id = field_id(p, "f-", name);
	const char *err_id = error ? field_id(p, "e-", name) : NULL;
	html_open(h, "div", "class", error ? "field has-error" : "field", NULL);
	label_and_notes(p, id, label, required, NULL, NULL, error, err_id);
	html_open(h, "select", "id", id, "name", name, "required", required ? HTML_BOOL : NULL,
	          "aria-invalid", error ? "true" : NULL, "aria-describedby", err_id, NULL);
	for (size_t i = 0; i < n; i++)
		html_elem(h, "option", opts[i].label, "value", opts[i].value, "selected",
		          selected && str_eq(selected, opts[i].value) ? HTML_BOOL : NULL, NULL);
	html_close(h, "select");
	html_close(h, "div");
}

void web_checkbox(struct web_page *p, const char *name, const char *value, const char *label,
                  bool checked)
{
	struct html *h = &p->h;
	size_t n = strlen(name) + strlen(value) + 2;
	char *key = http_request_alloc(p->req, n);
	if (key)
		snprintf(key, n, "%s-%s", name, value);
	const char *id = field_id(p, "f-", key ? key : name);
	html_raw(h, "<div class=\"check\">");
	html_void(h, "input", "type", "checkbox", "id", id, "name", name, "value", value, "checked",
	          checked ? HTML_BOOL : NULL, NULL);
	html_elem(h, "label", label, "for", id, NULL);
	html_raw(h, "</div>");
}

void web_submit(struct web_page *p, const char *label, const char *cls)
{
	html_elem(&p->h, "button", label, "type", "submit", "class", cls ? cls : "button", NULL);
}

void web_form_errors(struct web_page *p, const char *msg)
{
	if (!msg)
		return;
	html_elem(&p->h, "div", msg, "class", "form-errors", "role", "alert", NULL);
}

void web_notice(struct web_page *p, const char *msg)
{
	if (!msg)
		return;
	html_elem(&p->h, "div", msg, "class", "notice", "role", "status", NULL);
}

/* ---- values ---- */

/* ---- pieces of pages ---- */

void web_col_heads(struct web_page *p, ...)
{
	va_list ap;
	va_start(ap, p);
	for (const char *t = va_arg(ap, const char *); t; t = va_arg(ap, const char *))
		html_elem(&p->h, "th", t, "scope", "col", NULL);
	va_end(ap);
}

void web_dossier_cell(struct web_page *p, const char *label, const char *id, const char *code)
{
	html_open(&p->h, "td", "data-label", label, NULL);
	html_elem(&p->h, "a", code[0] ? code : id, "href", web_path(p, "/dossiers/", id), NULL);
	html_close(&p->h, "td");
}

void web_pager(struct web_page *p, int64_t page, int64_t total, const char *prev, const char *next,
               enum web_pager_style style)
{
	int64_t pages = (total + WEB_PAGE_SIZE - 1) / WEB_PAGE_SIZE;
	if (pages <= 1)
		return;
	bool arrows = style == WEB_PAGER_ARROWS;
	struct html *h = &p->h;
	html_open(h, "nav", "class", "pager", "aria-label", T(p, "Phân trang", "Pages"), NULL);
	if (page > 1)
		html_elem(h, "a",
		          arrows ? T(p, "← Trang trước", "← Previous page")
		                 : T(p, "« Trang trước", "« Previous page"),
		          "href", prev, "rel", "prev", NULL);
	html_open(h, "span", NULL);
	if (style == WEB_PAGER_QUOTES_OF) {
		html_text(h, T(p, "Trang ", "Page "));
		html_int(h, page);
		html_text(h, T(p, " / ", " of "));
		html_int(h, pages);
	} else {
		html_textf(h, "%s %lld / %lld", T(p, "Trang", "Page"), (long long)page,
		           (long long)pages);
	}
	html_close(h, "span");
	if (page < pages)
		html_elem(h, "a",
		          arrows ? T(p, "Trang sau →", "Next page →")
		                 : T(p, "Trang sau »", "Next page »"),
		          "href", next, "rel", "next", NULL);
	html_close(h, "nav");
}

void web_fact(struct web_page *p, const char *term, const char *value)
{
	if (str_empty(value))
		return;
	html_elem(&p->h, "dt", term, NULL);
	html_elem(&p->h, "dd", value, NULL);
}

void web_fact_time(struct web_page *p, const char *term, int64_t at)
{
	if (at == DB_NONE)
		return;
	html_elem(&p->h, "dt", term, NULL);
	html_raw(&p->h, "<dd>");
	web_time(p, at);
	html_raw(&p->h, "</dd>");
}

void web_time(struct web_page *p, int64_t epoch)
{
	if (epoch == DB_NONE || epoch == INT64_MIN)
		return;
	int64_t days;
	int sec;
	vntime_split(epoch, &days, &sec);
	struct vndate d = vntime_civil_from_days(days);
	html_textf(&p->h, "%02d/%02d/%04d %02d:%02d", d.day, d.month, d.year, sec / 3600,
	           sec / 60 % 60);
}

void web_date(struct web_page *p, int64_t days)
{
	if (days == DB_NONE || days == INT64_MIN)
		return;
	struct vndate d = vntime_civil_from_days(days);
	html_textf(&p->h, "%02d/%02d/%04d", d.day, d.month, d.year);
}

int64_t web_working_day(const struct web_page *p)
{
	int day = service_calendar(p->w->svc)->cal.hours.day_seconds;
	return day > 0 ? day : 8 * 3600;
}

void web_worktime(struct web_page *p, int64_t seconds)
{
	bool late = seconds < 0;
	uint64_t s = late ? (uint64_t)0 - (uint64_t)seconds : (uint64_t)seconds;
	uint64_t day = (uint64_t)web_working_day(p);
	uint64_t d = s / day, hr = s % day / 3600, mi = s % 3600 / 60;
	if (late)
		html_text(&p->h, T(p, "quá hạn ", "late by "));
	if (d > 0)
		html_textf(&p->h, "%llu %s ", (unsigned long long)d, T(p, "ngày", "d"));
	if (d > 0 || hr > 0)
		html_textf(&p->h, "%llu %s", (unsigned long long)hr, T(p, "giờ", "h"));
	else
		html_textf(&p->h, "%llu %s", (unsigned long long)mi, T(p, "phút", "min"));
}

static const struct {
	const char *name, *vi, *en, *cls;
} states[] = {
        {"submitted", "Đã nộp trực tuyến, chờ tiếp nhận", "Filed online, awaiting acceptance",
         "st-open"},
        {"received", "Đã tiếp nhận", "Received", "st-open"},
        {"refused_at_reception", "Từ chối tiếp nhận", "Refused at reception", "st-closed"},
        {"processing", "Đang giải quyết", "Being processed", "st-open"},
        {"awaiting_signoff", "Chờ lãnh đạo phê duyệt", "Awaiting sign-off", "st-open"},
        {"supplement_requested", "Yêu cầu bổ sung hồ sơ", "Supplement requested", "st-paused"},
        {"fees_due", "Chờ nộp phí, lệ phí", "Fees due", "st-paused"},
        {"withdrawn", "Đã rút hồ sơ", "Withdrawn", "st-closed"},
        {"stopped", "Dừng xử lý", "Processing stopped", "st-closed"},
        {"result_ready", "Đã có kết quả", "Result ready", "st-done"},
        {"result_in_transit", "Kết quả đang chuyển về điểm trả", "Result on its way to the branch",
         "st-done"},
        {"result_at_branch", "Kết quả chờ trả tại điểm phục vụ", "Result waiting at the branch",
         "st-done"},
        {"result_posted", "Kết quả đã gửi qua bưu chính", "Result sent by post", "st-done"},
        {"delivered", "Đã trả kết quả", "Result delivered", "st-closed"},
};

static const struct {
	const char *name, *vi, *en;
} actions[] = {
        {"submit", "Nộp hồ sơ trực tuyến", "File online"},
        {"receive", "Tiếp nhận hồ sơ", "Receive the dossier"},
        {"accept", "Tiếp nhận hồ sơ trực tuyến", "Accept the online filing"},
        {"refuse_reception", "Từ chối tiếp nhận", "Refuse reception"},
        {"take", "Nhận xử lý", "Take for processing"},
        {"reassign", "Chuyển cho chuyên viên khác", "Reassign"},
        {"transfer", "Chuyển cơ quan có thẩm quyền", "Transfer to the competent agency"},
        {"request_supplement", "Yêu cầu bổ sung", "Request a supplement"},
        {"receive_supplement", "Nhận hồ sơ bổ sung", "Record the supplement"},
        {"request_fee", "Yêu cầu nộp phí", "Request fees"},
        {"record_payment", "Ghi nhận đã nộp phí", "Record the payment"},
        {"submit_signoff", "Trình lãnh đạo ký duyệt", "Submit for sign-off"},
        {"sign_off", "Ký duyệt", "Sign off"},
        {"return_for_rework", "Trả lại để xử lý lại", "Return for rework"},
        {"complete", "Hoàn thành, có kết quả", "Complete"},
        {"refuse", "Từ chối giải quyết", "Refuse the request"},
        {"extend", "Xin lỗi và gia hạn", "Apologise and extend"},
        {"stop", "Dừng xử lý", "Stop processing"},
        {"withdraw", "Rút hồ sơ", "Withdraw"},
        {"send_result", "Chuyển kết quả về điểm trả", "Send the result to the branch"},
        {"receive_result", "Nhận kết quả tại điểm", "Receive the result at the branch"},
        {"post_result", "Gửi kết quả qua bưu chính", "Send the result by post"},
        {"deliver", "Trả kết quả", "Hand over the result"},
        {"confirm_delivery", "Xác nhận bưu chính đã phát", "Confirm postal delivery"},
        {"change_collection", "Đổi nơi nhận kết quả", "Change where to collect"},
        {"rate", "Đánh giá mức độ hài lòng", "Rate the service"},
        {"complain", "Phản ánh, kiến nghị", "File a complaint"},
        {"handover", "Bàn giao hồ sơ giấy", "Record a paper hand-over"},
};

const char *web_state_label(const struct web_page *p, const char *state)
{
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (str_eq(states[i].name, state))
			return T(p, states[i].vi, states[i].en);
	return state ? state : "";
}

const char *web_state_class(const char *state)
{
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (str_eq(states[i].name, state))
			return states[i].cls;
	return "st-open";
}

void web_state_badge(struct web_page *p, const char *state)
{
	char cls[64];
	snprintf(cls, sizeof cls, "badge %s", web_state_class(state));
	html_elem(&p->h, "span", web_state_label(p, state), "class", cls, NULL);
}

static const struct {
	const char *name, *vi, *en;
} form_names[] = {
        {"receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment slip"},
        {"supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Supplement request"},
        {"refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Refusal of reception"},
        {"apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Apology and new date"},
        {"stop", "Thông báo dừng giải quyết hồ sơ", "Notice that processing stopped"},
        {"control", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "Process control form"},
        {"tracking_book", "Sổ theo dõi hồ sơ", "Tracking book"},
        {"result", "Kết quả giải quyết (bản điện tử)", "Electronic result"},
};

const char *web_form_label(const struct web_page *p, const char *form)
{
	for (size_t i = 0; i < sizeof form_names / sizeof form_names[0]; i++)
		if (str_eq(form_names[i].name, form))
			return T(p, form_names[i].vi, form_names[i].en);
	return form ? form : "";
}

const char *web_action_label(const struct web_page *p, const char *action)
{
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (str_eq(actions[i].name, action))
			return T(p, actions[i].vi, actions[i].en);
	return action ? action : "";
}

/* ---- login, logout, language, static files, 404 ---- */

static const char *home_of(const struct web_page *p, const struct account_info *a)
{
	(void)p;
	unsigned r = a->roles;
	if (r & ROLE_OFFICER)
		return "/desk";
	if (r & (ROLE_SPECIALIST | ROLE_APPROVER))
		return "/inbox";
	if (r & (ROLE_LEADER | ROLE_SUPERVISOR))
		return "/overview";
	if (r & ROLE_ADMIN)
		return "/admin";
	if (a->kind == ACTOR_CITIZEN || a->kind == ACTOR_BUSINESS)
		return "/me/dossiers";
	return "/";
}

static void login_form(struct web_page *p, const char *username, const char *error)
{
	const char *next = web_query(p, "next");
	if (!*next)
		next = web_field(p, "next");
	web_begin(p, T(p, "Đăng nhập", "Log in"));
	web_form_errors(p, error);
	web_form_open_class(p, "/login", "narrow");
	if (local_path(next))
		html_void(&p->h, "input", "type", "hidden", "name", "next", "value", next, NULL);
	web_input(p, &(struct web_input){.name = "username",
	                                 .label = T(p, "Tên đăng nhập", "Username"),
	                                 .value = username,
	                                 .autocomplete = "username",
	                                 .maxlength = SERVICE_USERNAME_MAX - 1,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "password",
	                                 .label = T(p, "Mật khẩu", "Password"),
	                                 .type = "password",
	                                 .autocomplete = "current-password",
	                                 .maxlength = API_PASSWORD_MAX,
	                                 .required = true});
	web_submit(p, T(p, "Đăng nhập", "Log in"), NULL);
	web_form_close(p);
	html_raw(&p->h, "<p>");
	html_text(&p->h, T(p, "Chưa có tài khoản? ", "No account yet? "));
	html_elem(&p->h, "a",
	          T(p, "Đăng ký cho công dân, doanh nghiệp", "Sign up as a citizen or business"),
	          "href", "/signup", NULL);
	html_raw(&p->h, "</p>");
	web_end(p);
}

static void get_login(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	login_form(&p, "", NULL);
}

static void post_login(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_post_begin(&p))
		return;
	const char *username = web_field(&p, "username"), *password = web_field(&p, "password");
	if (!*username || !*password || strlen(username) >= SERVICE_USERNAME_MAX ||
	    strlen(password) > API_PASSWORD_MAX) {
		p.status = 400;
		login_form(&p, username,
		           T(&p, "Hãy nhập tên đăng nhập và mật khẩu.",
		             "Enter your username and password."));
		return;
	}
	struct session_new s;
	int64_t retry = 0;
	struct err e;
	err_clear(&e);
	enum err_code rc = account_login(p.w->acc, username, password, req->client, &s, &retry, &e);
	if (rc == ERR_RATE_LIMITED) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s %lld %s",
		         T(&p, "Quá nhiều lần đăng nhập sai. Hãy thử lại sau",
		           "Too many failed logins. Try again in"),
		         (long long)(retry > 0 ? (retry + 59) / 60 : 1),
		         T(&p, "phút.", "minutes."));
		if (retry > 0) {
			char ra[24];
			snprintf(ra, sizeof ra, "%lld", (long long)retry);
			http_response_header(res, "Retry-After", ra);
		}
		p.status = 429;
		login_form(&p, username, msg);
		return;
	}
	if (rc == ERR_LOGIN_FAILED || rc == ERR_UNAUTHORIZED) {
		p.status = 401;
		login_form(&p, username,
		           T(&p, "Tên đăng nhập hoặc mật khẩu không đúng.",
		             "Wrong username or password."));
		return;
	}
	if (rc != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	int64_t now = service_now(p.w->svc);
	api_set_session_cookie(p.w->api, res, s.secret,
	                       s.expires_at > now ? s.expires_at - now : 1);
	const char *next = web_field(&p, "next");
	web_redirect(&p, local_path(next) && !str_has_prefix(next, "/login")
	                         ? next
	                         : home_of(&p, &s.account));
}

static void post_logout(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_post_begin(&p))
		return;
	if (p.user->authenticated) {
		struct err e;
		err_clear(&e);
		if (account_logout(p.w->acc, p.user->secret, req->client, &e) != ERR_OK) {
			web_fail(&p, &e);
			return;
		}
	}
	api_set_session_cookie(p.w->api, res, "", 0);
	web_redirect(&p, "/");
}

static void get_lang(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	const char *to = web_query(&p, "to");
	if (!str_eq(to, "vi") && !str_eq(to, "en")) {
		web_fail_code(&p, ERR_INVALID_ARGUMENT, "to: vi or en");
		return;
	}
	struct http_cookie opt = {
	        .path = "/",
	        .max_age = WEB_LANG_MAX_AGE,
	        .http_only = true,
	        .secure = config_bool(p.w->svc->cfg, CONFIG_OPT_cookie_secure),
	        .same_site = HTTP_SAME_SITE_LAX,
	};
	http_response_cookie(res, WEB_LANG_COOKIE, to, &opt);
	const char *back = web_query(&p, "back");
	web_redirect(&p, local_path(back) ? back : "/");
}

static void get_static(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_private *w = ctx;
	const char *file = http_request_param(req, "file");
	for (size_t i = 0; i < sizeof w->files / sizeof w->files[0]; i++) {
		if (str_eq(file, w->files[i].name)) {
			http_response_bytes(res, 200, w->files[i].type, w->files[i].data,
			                    w->files[i].len);
			http_response_set_header(res, "Cache-Control", "public, max-age=3600");
			return;
		}
	}
	http_response_error(res, ERR_NOT_FOUND, "no such static file");
}

static void not_found(struct http_request *req, struct http_response *res, void *ctx)
{
	if (req->raw_path && str_has_prefix(req->raw_path, "/api/")) {
		http_response_error(res, ERR_NOT_FOUND, "no such resource");
		return;
	}
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	web_fail_code(
	        &p, ERR_NOT_FOUND,
	        T(&p, "Địa chỉ này không có trang nào.", "There is no page at this address."));
}

const struct http_route web_core_routes[] = {
        {"GET", "/login", get_login, WEB_FORM_MAX},
        {"POST", "/login", post_login, WEB_FORM_MAX},
        {"POST", "/logout", post_logout, WEB_FORM_MAX},
        {"GET", "/lang", get_lang, WEB_FORM_MAX},
        {"GET", "/{path*}", not_found, WEB_FORM_MAX},
};
const size_t web_core_nroutes = sizeof web_core_routes / sizeof web_core_routes[0];

static const struct http_route static_routes[] = {
        {"GET", "/static/{file}", get_static, 1024},
};

/* ---- registration ---- */

static const struct {
	const struct http_route *routes;
	const size_t *n;
} tables[] = {
        {web_core_routes, &web_core_nroutes},       {web_public_routes, &web_public_nroutes},
        {web_citizen_routes, &web_citizen_nroutes}, {web_dossier_routes, &web_dossier_nroutes},
        {web_desk_routes, &web_desk_nroutes},       {web_inbox_routes, &web_inbox_nroutes},
        {web_leader_routes, &web_leader_nroutes},   {web_admin_routes, &web_admin_nroutes},
        {web_plan_routes, &web_plan_nroutes},       {web_verify_routes, &web_verify_nroutes},
        {web_report_routes, &web_report_nroutes},
};

size_t web_route_count(void)
{
	size_t n = 1; /* static */
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		n += *tables[i].n;
	return n;
}

void web_free(struct web *w)
{
	if (!w)
		return;
	struct web_private *wp = (struct web_private *)w;
	for (size_t i = 0; i < sizeof wp->files / sizeof wp->files[0]; i++)
		free(wp->files[i].data);
	free(wp);
}

enum err_code web_register(struct http_server *srv, struct service *svc, struct accounts *acc,
                           struct api *api, struct web **out, struct err *e)
{
	*out = NULL;
	struct web_private *wp = calloc(1, sizeof *wp);
	if (!wp)
		return err_set(e, ERR_NO_MEMORY, NULL);
	wp->pub.svc = svc;
	wp->pub.acc = acc;
	wp->pub.api = api;
	wp->files[0].name = "motcua.css";
	wp->files[0].type = "text/css; charset=utf-8";
	wp->files[0].data =
	        concat(css_parts, sizeof css_parts / sizeof css_parts[0], &wp->files[0].len);
	wp->files[1].name = "motcua.js";
	wp->files[1].type = "text/javascript; charset=utf-8";
	wp->files[1].data =
	        concat(js_parts, sizeof js_parts / sizeof js_parts[0], &wp->files[1].len);
	if (!wp->files[0].data || !wp->files[1].data) {
		web_free(&wp->pub);
		return err_set(e, ERR_NO_MEMORY, NULL);
	}
	enum err_code rc = http_server_add_routes(srv, static_routes, 1, wp, e);
	for (size_t i = 0; rc == ERR_OK && i < sizeof tables / sizeof tables[0]; i++)
		rc = http_server_add_routes(srv, tables[i].routes, *tables[i].n, &wp->pub, e);
	if (rc != ERR_OK) {
		web_free(&wp->pub);
		return rc;
	}
	*out = &wp->pub;
	return ERR_OK;
}
