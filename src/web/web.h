/*
 * web: the server-rendered pages (everything outside /api/ and the built-in
 * /healthz and /metrics).
 *
 * Pages are HTML written through the escaping builder (web/html.h), in
 * Vietnamese by default and English when the `lang` cookie says so (the
 * switch at /lang remembers the choice for a year). They work without
 * JavaScript; /static/motcua.js only adds conveniences. Every page carries
 * a Content-Security-Policy without inline script or style, so pages use
 * classes from /static/motcua.css, never style="" attributes or <script>
 * blocks.
 *
 * One file per area, each with its own route table:
 *   web.c          layout, forms, CSRF, errors, login/logout, /lang, /static, 404
 *   web_public.c   home and procedure search, procedure page, branches, status lookup
 *   web_citizen.c  sign-up, online filing, my dossiers
 *   web_dossier.c  the dossier page for every role, its action forms, the receipt slip
 *   web_desk.c     counter desk: intake, today's dossiers, online filings, collection, search
 *   web_inbox.c    agency inbox: work lists with filters, sign-off queue
 *   web_leader.c   leader overview with SVG charts and the lists behind the numbers
 *   web_admin.c    administration: procedures, users, branches, holidays
 *   web_plan.c     network planning: coverage map and scenarios
 *   web_verify.c   verification of an issued document by its code
 *   web_reports.c  periodic reports: period, late dossiers, satisfaction (with downloads)
 *
 * Sessions are the API's (api/api.h): the same cookie motcua_session, read
 * by the same hook. Every POST form carries a hidden field `_csrf`: the
 * session's CSRF token when logged in, else the value of the cookie
 * motcua_csrf (double submit; set by the first page that shows a form).
 * Handlers call web_post_begin() first, which parses the form and checks it.
 */
#ifndef MOTCUA_WEB_WEB_H
#define MOTCUA_WEB_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"
#include "base/error.h"
#include "http/server.h"
#include "service/account.h"
#include "service/service.h"
#include "web/html.h"

#define WEB_FORM_MAX     (64u * 1024u) /* bytes of a posted form */
#define WEB_FORM_FIELDS  256           /* fields of a posted form */
#define WEB_CSRF_FIELD   "_csrf"
#define WEB_CSRF_COOKIE  "motcua_csrf"
#define WEB_LANG_COOKIE  "lang"
#define WEB_LANG_MAX_AGE (365 * 24 * 3600)
#define WEB_PAGE_SIZE    50 /* rows of a list page */

/* Shared by every page handler: built once, read-only afterwards. */
struct web {
	struct service *svc;
	struct accounts *acc;
	struct api *api;
};

/* One page being answered. */
struct web_page {
	struct http_request *req;
	struct http_response *res;
	struct web *w;
	const struct api_user *user; /* never NULL once web_page_init ran */
	const struct actor *actor;   /* the user's actor (ACTOR_ANONYMOUS when not logged in) */
	enum err_lang lang;
	struct html h;
	struct http_params form; /* the posted fields (after web_post_begin) */
	int status;              /* of the page; 200 unless set */
	const char *title;
	bool begun;
	char csrf_anon[40]; /* the double-submit token of a visitor, once known */
	bool csrf_cookie_set;
};

/* ---- registration ---- */

/*
 * Registers every page route, /static and the HTML 404 on srv. Must be
 * called after api_register() (the session hook is the API's). *out gets
 * the context to free with web_free() after the server is freed.
 */
enum err_code web_register(struct http_server *srv, struct service *svc, struct accounts *acc,
                           struct api *api, struct web **out, struct err *e);
void web_free(struct web *w);

/* Number of page routes web_register() adds (for tests). */
size_t web_route_count(void);

/* ---- a page ---- */

/* Prepares p for req/res; ctx is the struct web of the route table. */
void web_page_init(struct web_page *p, struct http_request *req, struct http_response *res,
                   void *ctx);

/* vi or en by the page's language. */
const char *web_tr(const struct web_page *p, const char *vi, const char *en);
#define T(p, vi, en) web_tr((p), (vi), (en))

/*
 * Writes the head of the document, the site header (navigation by role,
 * language switch, login or logout), then opens <main>, and an <h1> with
 * title. title is a value (escaped).
 */
void web_begin(struct web_page *p, const char *title);

/* Closes <main>, writes the footer, and sends the page with p->status. Releases p. */
void web_end(struct web_page *p);

/*
 * Sends a whole error page for e (its code's status, hint in the page's
 * language and the detail), whether or not web_begin() ran. Releases p.
 */
void web_fail(struct web_page *p, const struct err *e);
void web_fail_code(struct web_page *p, enum err_code code, const char *detail);

/* Answers 303 See Other to path (a local path, may come from web_url()). Releases p. */
void web_redirect(struct web_page *p, const char *path);

/* Releases what p holds without sending anything (the response was set otherwise). */
void web_page_release(struct web_page *p);

/*
 * Login and role checks. web_need_login() redirects an anonymous visitor
 * to /login?next=<this page> and returns false; web_need_role() does the
 * same, then answers a 403 page when the actor has none of the roles.
 * On false the page has been answered and released.
 */
bool web_need_login(struct web_page *p);
bool web_need_role(struct web_page *p, unsigned roles);

/* True when the actor has any of the roles. */
bool web_has_role(const struct web_page *p, unsigned roles);

/* ---- small values in the request's arena (shared by the page files) ---- */

/* A printf-formatted string in the request's arena ("" when out of memory). */
const char *web_strf(struct web_page *p, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* v in plain decimal ("1234", for attributes and URLs) in the request's arena. */
const char *web_num(struct web_page *p, int64_t v);

/* A copy of s ("" for NULL) in the request's arena ("" when out of memory). */
const char *web_strdup(struct web_page *p, const char *s);

/* s, or NULL when s is NULL or "" (an optional field not given). */
const char *web_nonempty(const char *s);

/* en when the page is in English and en is neither NULL nor "", else vi. */
const char *web_pick(const struct web_page *p, const char *vi, const char *en);

/*
 * The folded form of s (base/fold.h: lower case, no diacritics) copied into
 * out[size], to sort Vietnamese names; fallback when it cannot be folded
 * into size bytes.
 */
void web_fold_key(char *out, size_t size, const char *s, const char *fallback);

/* The order of a unit kind in lists: centre 0, branch 1, point 2, any other 3. */
int web_unit_kind_rank(const char *kind);

/* prefix followed by seg, as a local URL (seg percent-encoded by web_url); "/" when out of memory.
 */
const char *web_path(struct web_page *p, const char *prefix, const char *seg);

/* ---- URLs ---- */

/*
 * A local URL: path followed by the query pairs (name, value, ..., NULL);
 * pairs with a NULL or empty value are left out; values are percent-encoded.
 * Allocated in the request's arena; "/" when out of memory.
 */
const char *web_url(struct web_page *p, const char *path, ...) __attribute__((sentinel));

/* The request's own path and query, to come back to after a login or switch of language. */
const char *web_self(struct web_page *p);

/* ---- forms ---- */

/*
 * For a POST handler: parses the application/x-www-form-urlencoded body
 * into p->form and checks the CSRF field. On failure answers a 4xx page
 * (400 bad form, 403 bad token, 415 other media type) and returns false.
 */
bool web_post_begin(struct web_page *p);

/*
 * Checks an anti-forgery token (the session's for a logged-in user, else
 * the visitor's double-submit cookie); on failure answers the 403 page and
 * returns false. For streamed (multipart) forms, whose fields
 * web_post_begin() does not parse.
 */
bool web_csrf_check(struct web_page *p, const char *token);

/* A posted field ("" when absent), and all values of a repeated field (checkboxes). */
const char *web_field(const struct web_page *p, const char *name);
size_t web_fields(const struct web_page *p, const char *name, const char **out, size_t max);

/* A query parameter ("" when absent). */
const char *web_query(const struct web_page *p, const char *name);

/*
 * Parses application/x-www-form-urlencoded text into params allocated in
 * req's arena. Returns ERR_OK, ERR_INVALID_ARGUMENT (bad encoding, invalid
 * UTF-8, a control character other than CR, LF or tab), ERR_TOO_LONG (more
 * than WEB_FORM_FIELDS) or ERR_NO_MEMORY. Pure but for the arena; fuzzed.
 */
enum err_code web_form_parse(struct http_request *req, const char *body, size_t len,
                             struct http_params *out, struct err *e);

/* Writes <form method="post" action="..."> with the hidden CSRF field. */
void web_form_open(struct web_page *p, const char *action);
void web_form_open_class(struct web_page *p, const char *action, const char *cls);
void web_form_close(struct web_page *p);

/* The hidden CSRF field alone (sets the double-submit cookie for visitors). */
void web_csrf_input(struct web_page *p);

/* One form field with its label, hint and error message. */
struct web_input {
	const char *name;         /* form field name; the id is "f-<name>" */
	const char *label;        /* already in the page's language */
	const char *type;         /* "text" (NULL), "date", "tel", "email", "password", "number",
	                             "search", "hidden", "textarea" */
	const char *value;        /* shown again after a validation error */
	const char *error;        /* message next to the field, or NULL */
	const char *hint;         /* a line of help under the label, or NULL */
	const char *autocomplete; /* "name", "bday", "tel", "username", "current-password", ... */
	const char *pattern;      /* HTML pattern, or NULL */
	const char *inputmode;    /* "numeric", ... or NULL */
	const char *min, *max;    /* for date and number */
	int maxlength;            /* 0: none */
	bool required;
	bool readonly;
};
void web_input(struct web_page *p, const struct web_input *in);

/* An option of a select or a group of radio buttons. */
struct web_option {
	const char *value;
	const char *label;
};

/* <label> + <select name> with the options; selected is the value chosen (NULL: first). */
void web_select(struct web_page *p, const char *name, const char *label,
                const struct web_option *opts, size_t n, const char *selected, const char *error,
                bool required);

/* A checkbox with its label after it. */
void web_checkbox(struct web_page *p, const char *name, const char *value, const char *label,
                  bool checked);

/* A submit button; cls may be NULL ("button"), "button secondary", "button danger". */
void web_submit(struct web_page *p, const char *label, const char *cls);

/* A box with the messages of a failed form at the top (role="alert"), when msg is not NULL. */
void web_form_errors(struct web_page *p, const char *msg);

/* A success or information notice (role="status"). */
void web_notice(struct web_page *p, const char *msg);

/* ---- pieces of pages ---- */

/* Column headers <th scope="col">, one per text given (values, escaped) up to NULL. */
void web_col_heads(struct web_page *p, ...) __attribute__((sentinel));

/* A cell <td data-label> linking to /dossiers/{id}, named by code (id when code is ""). */
void web_dossier_cell(struct web_page *p, const char *label, const char *id, const char *code);

/* The wording of a pager (each list keeps the one it was written with). */
enum web_pager_style {
	WEB_PAGER_ARROWS,    /* "← Trang trước", "Trang 2 / 5", "Trang sau →" */
	WEB_PAGER_QUOTES,    /* "« Trang trước", "Trang 2 / 5", "Trang sau »" */
	WEB_PAGER_QUOTES_OF, /* the same but "Page 2 of 5" in English */
};

/*
 * A nav.pager of a list of total rows at WEB_PAGE_SIZE a page, on page:
 * a link to prev (the URL of page - 1) when page > 1, "page / pages", a
 * link to next (of page + 1) when there is a next page. Nothing when the
 * list fits on one page.
 */
void web_pager(struct web_page *p, int64_t page, int64_t total, const char *prev, const char *next,
               enum web_pager_style style);

/* A row <dt>term</dt><dd>value</dd> of a dl.facts; nothing when value is NULL or "". */
void web_fact(struct web_page *p, const char *term, const char *value);
/* The same with a time (web_time) as the value; nothing for DB_NONE. */
void web_fact_time(struct web_page *p, const char *term, int64_t at);

/* ---- values in the page's language ---- */

/* "27/11/2026 14:30" (Vietnam time); "" (nothing written) for DB_NONE / INT64_MIN. */
void web_time(struct web_page *p, int64_t epoch);
/* "27/11/2026" from days since 1970-01-01. */
void web_date(struct web_page *p, int64_t days);
/* Seconds of office time in a working day of the calendar in force (office_hours). */
int64_t web_working_day(const struct web_page *p);
/* Working time as "2 ngày 3 giờ" / "2 days 3 h" (a day: web_working_day()); late when < 0. */
void web_worktime(struct web_page *p, int64_t seconds);

/* The label of a dossier state or action name in the page's language (the name when unknown). */
const char *web_state_label(const struct web_page *p, const char *state);
const char *web_action_label(const struct web_page *p, const char *action);
/* The name of an issued document's form (receipt, supplement, ..., tracking_book, result). */
const char *web_form_label(const struct web_page *p, const char *form);
/* A CSS class for a state: "st-open", "st-paused", "st-done", "st-closed". */
const char *web_state_class(const char *state);

/* A badge <span class="badge ..."> with the state's label. */
void web_state_badge(struct web_page *p, const char *state);

/* ---- route tables of the page files ---- */

extern const struct http_route web_core_routes[];
extern const size_t web_core_nroutes;
extern const struct http_route web_public_routes[];
extern const size_t web_public_nroutes;
extern const struct http_route web_citizen_routes[];
extern const size_t web_citizen_nroutes;
extern const struct http_route web_dossier_routes[];
extern const size_t web_dossier_nroutes;
extern const struct http_route web_desk_routes[];
extern const size_t web_desk_nroutes;
extern const struct http_route web_inbox_routes[];
extern const size_t web_inbox_nroutes;
extern const struct http_route web_leader_routes[];
extern const size_t web_leader_nroutes;
extern const struct http_route web_admin_routes[];
extern const size_t web_admin_nroutes;
extern const struct http_route web_plan_routes[];
extern const size_t web_plan_nroutes;
extern const struct http_route web_verify_routes[];
extern const size_t web_verify_nroutes;
extern const struct http_route web_report_routes[];
extern const size_t web_report_nroutes;

#endif
