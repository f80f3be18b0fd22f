/*
 * web_public: the pages of the citizen portal that anyone may open without
 * logging in (see web.h for the layout and the rules of pages).
 *
 *   GET /                   home: procedure search (q, sector, agency, level = the online
 *                           level full / partial, page), results with name, competent agency,
 *                           legal time, fee, online level and whether any branch receives it
 *   GET /procedures/{code}  one procedure: components (those the population database
 *                           replaces marked), legal time, fee, competent agency, where to
 *                           file, online level, the steps, and "Nộp trực tuyến" when allowed
 *   GET /branches           branches and service points with address and opening hours;
 *                           ?commune=CODE sorts them by great-circle distance from that
 *                           commune's centre (plan/geo.h), ?kind= centre | commune | all
 *   GET /lookup             status look-up by dossier code and the last 4 digits of the
 *                           applicant's ID number or phone (code, last4): the same service
 *                           as GET /api/v1/lookup, rate limits included; no personal data
 *
 * Reads go through the catalogue service (service/catalog.h) like the JSON
 * API's, so the search is the API's: folded text (base/fold.h), "khai sinh"
 * finds "Đăng ký khai sinh" and "giay phep xay dung" finds "Cấp giấy phép xây
 * dựng ...". Lists of reference data are small (tens to a few hundred rows)
 * and are read whole, with a cap, when a page needs them for a select or a
 * sort by distance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "plan/geo.h"
#include "service/catalog.h"
#include "service/lookup.h"
#include "api/api_files.h"
#include "service/files.h"
#include "web/web.h"

#define PUB_QUERY_MAX 200  /* bytes of a search text (as the API's q) */
#define PUB_FACET_MAX 200  /* sectors or agencies offered in a filter */
#define PUB_SCAN_MAX  5000 /* rows of reference data read whole for a select or a sort */
#define PUB_PAGE_MAX  100000
#define PUB_AGENCY_XA "xa" /* agency filter value: the commune people's committees */

/* ---- small helpers shared by the pages of this file ---- */

/* A code from a query: printable ASCII without spaces, at most max bytes. */
static bool code_ok(const char *s, size_t max)
{
	if (strlen(s) > max)
		return false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c <= 0x20 || *c >= 0x7f)
			return false;
	return true;
}

/* Folds s into an arena copy; NULL when it cannot be folded. */
static const char *folded(struct web_page *p, const char *s)
{
	struct buf b = BUF_INIT(strlen(s) + 1);
	struct err e;
	err_clear(&e);
	const char *out = NULL;
	if (fold_text(s, strlen(s), &b, &e) == ERR_OK)
		out = http_request_strdup(p->req, buf_str(&b));
	buf_release(&b);
	return out;
}

static const char *online_label(const struct web_page *p, const char *online)
{
	if (str_eq(online, "full"))
		return T(p, "Trực tuyến toàn trình", "Fully online");
	if (str_eq(online, "partial"))
		return T(p, "Trực tuyến một phần", "Partly online");
	return T(p, "Không nộp trực tuyến", "Not online");
}

static const char *level_label(const struct web_page *p, const char *level)
{
	if (str_eq(level, "city"))
		return T(p, "Cấp thành phố", "City level");
	if (str_eq(level, "commune"))
		return T(p, "Cấp xã, phường", "Commune level");
	if (str_eq(level, "police"))
		return T(p, "Cơ quan công an", "Police");
	return level;
}

/* The competent agency of a procedure routed by residence or property (no fixed unit). */
static const char *routed_agency(const struct web_page *p, const char *level, const char *route_by)
{
	bool police = str_eq(level, "police");
	if (str_eq(route_by, "property"))
		return police ? T(p, "Công an xã, phường nơi có bất động sản",
		                  "Commune police where the property is")
		              : T(p, "Ủy ban nhân dân xã, phường nơi có đất, công trình",
		                  "People's Committee of the commune where the property is");
	return police ? T(p, "Công an xã, phường nơi cư trú",
	                  "Commune police where the applicant lives")
	              : T(p, "Ủy ban nhân dân xã, phường nơi cư trú",
	                  "People's Committee of the commune where the applicant lives");
}

/* The legal time: "3 ngày làm việc", "24 giờ làm việc", "Trong ngày (...)". */
static void legal_time(struct web_page *p, int64_t days, int64_t hours, int64_t cutoff)
{
	struct html *h = &p->h;
	if (days != DBQ_NONE && days > 0) {
		html_int(h, days);
		html_text(h, T(p, " ngày làm việc", days == 1 ? " working day" : " working days"));
	} else if (days != DBQ_NONE) {
		html_text(h, T(p, "Trong ngày làm việc", "The same working day"));
		if (cutoff != DBQ_NONE && cutoff > 0) {
			html_text(h, T(p, " (nhận sau ", " (received after "));
			html_textf(h, "%02d:%02d", (int)(cutoff / 3600 % 24),
			           (int)(cutoff / 60 % 60));
			html_text(h, T(p, " thì trả ngày làm việc tiếp theo)",
			               ": the next working day)"));
		}
	} else if (hours != DBQ_NONE) {
		html_int(h, hours);
		html_text(h,
		          T(p, " giờ làm việc", hours == 1 ? " working hour" : " working hours"));
	} else {
		html_text(h, T(p, "Chưa quy định", "Not set"));
	}
}

static void fee(struct web_page *p, int64_t vnd)
{
	if (vnd <= 0) {
		html_text(&p->h, T(p, "Không thu phí", "Free"));
		return;
	}
	html_int(&p->h, vnd);
	html_text(&p->h, T(p, " đồng", " VND"));
}

/* A select with an empty first option (label first) and the given options. */
static void select_with_any(struct web_page *p, const char *name, const char *label,
                            const char *any, const struct web_option *opts, size_t n,
                            const char *selected)
{
	struct web_option *all = http_request_alloc(p->req, (n + 1) * sizeof *all);
	if (!all) {
		p->h.failed = true;
		return;
	}
	all[0].value = "";
	all[0].label = any;
	for (size_t i = 0; i < n; i++)
		all[i + 1] = opts[i];
	web_select(p, name, label, all, n + 1, selected, NULL, false);
}

/* A page number from the query: 1 when absent; 0 when malformed. */
static int64_t page_number(const struct web_page *p)
{
	const char *s = web_query(p, "page");
	int64_t n;
	if (!*s)
		return 1;
	return str_parse_int64(s, 1, PUB_PAGE_MAX, &n) == 0 ? n : 0;
}

/* ---- reading all rows of reference data ---- */

/* Agencies (units) by code, for names in lists. */
struct unit_name {
	char code[DBD_KEY_SIZE];
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
};

struct unit_names {
	const char *const *codes; /* the codes wanted */
	size_t ncodes;
	struct unit_name *items; /* ncodes of them, found or not */
};

static int keep_unit_name(void *ctx, const struct dbq_unit *u)
{
	struct unit_names *x = ctx;
	for (size_t i = 0; i < x->ncodes; i++) {
		if (str_eq(x->codes[i], u->code)) {
			str_copy(x->items[i].name_vi, sizeof x->items[i].name_vi, u->name_vi);
			str_copy(x->items[i].name_en, sizeof x->items[i].name_en, u->name_en);
		}
	}
	return 0;
}

static void clear_unit_names(void *ctx)
{
	struct unit_names *x = ctx;
	for (size_t i = 0; i < x->ncodes; i++)
		x->items[i].name_vi[0] = x->items[i].name_en[0] = '\0';
}

/*
 * The names of the units whose codes are given (items allocated here, freed
 * by the caller with free()). A unit not found keeps an empty name.
 */
static enum err_code unit_names_read(struct web_page *p, const char *const *codes, size_t n,
                                     struct unit_names *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->codes = codes;
	out->ncodes = n;
	out->items = calloc(n ? n : 1, sizeof *out->items);
	if (!out->items)
		return err_set(e, ERR_NO_MEMORY, NULL);
	for (size_t i = 0; i < n; i++)
		str_copy(out->items[i].code, sizeof out->items[i].code, codes[i]);
	if (n == 0)
		return ERR_OK;
	struct dbq_unit_filter f = {.cls = DBQ_UNITS_ANY};
	int64_t total;
	return catalog_units(p->w->svc, &f, PUB_SCAN_MAX, 0, &total, clear_unit_names,
	                     keep_unit_name, out, e);
}

static const char *unit_name_of(const struct web_page *p, const struct unit_names *u,
                                const char *code)
{
	for (size_t i = 0; i < u->ncodes; i++)
		if (str_eq(u->items[i].code, code) && u->items[i].name_vi[0])
			return web_pick(p, u->items[i].name_vi, u->items[i].name_en);
	return code;
}

/* ---- home: the procedure search ---- */

struct sector {
	char name[DBD_NAME_SIZE];
	char key[DBD_NAME_SIZE]; /* folded, for sorting */
};

/* The sectors and the fixed competent agencies of every active procedure. */
struct facets {
	struct sector sectors[PUB_FACET_MAX];
	size_t nsectors;
	char agencies[PUB_FACET_MAX][DBD_KEY_SIZE];
	size_t nagencies;
	bool has_commune; /* some procedure is decided by a commune committee */
};

static int add_facet(void *ctx, const struct dbq_procedure *row)
{
	struct facets *f = ctx;
	if (row->sector[0]) {
		bool seen = false;
		for (size_t i = 0; i < f->nsectors && !seen; i++)
			seen = str_eq(f->sectors[i].name, row->sector);
		if (!seen && f->nsectors < PUB_FACET_MAX) {
			struct sector *s = &f->sectors[f->nsectors++];
			str_copy(s->name, sizeof s->name, row->sector);
			web_fold_key(s->key, sizeof s->key, row->sector, row->sector);
		}
	}
	if (row->competent_unit[0]) {
		bool seen = false;
		for (size_t i = 0; i < f->nagencies && !seen; i++)
			seen = str_eq(f->agencies[i], row->competent_unit);
		if (!seen && f->nagencies < PUB_FACET_MAX)
			str_copy(f->agencies[f->nagencies++], DBD_KEY_SIZE, row->competent_unit);
	} else if (str_eq(row->level, "commune")) {
		f->has_commune = true;
	}
	return 0;
}

static void clear_facets(void *ctx)
{
	struct facets *f = ctx;
	f->nsectors = f->nagencies = 0;
	f->has_commune = false;
}

static int sector_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sector *)a)->key, ((const struct sector *)b)->key);
}

/* A procedure as listed (copied out of the row callback). */
struct proc_item {
	char code[DBD_KEY_SIZE];
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
	char level[DBD_SHORT_SIZE];
	char competent_unit[DBD_KEY_SIZE];
	char route_by[DBD_SHORT_SIZE];
	char online[DBD_SHORT_SIZE];
	int64_t legal_days, legal_hours, cutoff_sec, fee_vnd;
	bool boundary_free;
};

static void proc_item_from(struct proc_item *it, const struct dbq_procedure *row)
{
	str_copy(it->code, sizeof it->code, row->code);
	str_copy(it->name_vi, sizeof it->name_vi, row->name_vi);
	str_copy(it->name_en, sizeof it->name_en, row->name_en);
	str_copy(it->level, sizeof it->level, row->level);
	str_copy(it->competent_unit, sizeof it->competent_unit, row->competent_unit);
	str_copy(it->route_by, sizeof it->route_by, row->route_by);
	str_copy(it->online, sizeof it->online, row->online);
	it->legal_days = row->legal_days;
	it->legal_hours = row->legal_hours;
	it->cutoff_sec = row->cutoff_sec;
	it->fee_vnd = row->fee_vnd;
	it->boundary_free = row->boundary_free;
}

struct proc_page {
	struct proc_item items[WEB_PAGE_SIZE];
	size_t count;
};

static int add_proc(void *ctx, const struct dbq_procedure *row)
{
	struct proc_page *x = ctx;
	if (x->count < WEB_PAGE_SIZE)
		proc_item_from(&x->items[x->count++], row);
	return 0;
}

static void clear_procs(void *ctx)
{
	((struct proc_page *)ctx)->count = 0;
}

/* The search as typed, for the form and the pager's links. */
struct search {
	const char *q, *sector, *agency, *level;
};

static const char *search_url(struct web_page *p, void *ctx, int64_t page)
{
	const struct search *s = ctx;
	return web_url(p, "/", "q", s->q, "sector", s->sector, "agency", s->agency, "level",
	               s->level, "page", page > 1 ? web_num(p, page) : NULL, NULL);
}

/* Options by label (byte order of UTF-8: "Ban ...", "Công an ...", "Sở ...", "Văn phòng ..."). */
static int option_cmp(const void *a, const void *b)
{
	return strcmp(((const struct web_option *)a)->label, ((const struct web_option *)b)->label);
}

static void search_form(struct web_page *p, const struct search *s, const struct facets *f,
                        const struct unit_names *names)
{
	struct html *h = &p->h;
	html_open(h, "form", "method", "get", "action", "/", "id", "search-form", "class",
	          "search-form", "role", "search", NULL);
	web_input(p,
	          &(struct web_input){
	                  .name = "q",
	                  .label = T(p, "Tên hoặc mã thủ tục", "Procedure name or code"),
	                  .type = "search",
	                  .value = s->q,
	                  .hint = T(p, "Có thể gõ không dấu, ví dụ: khai sinh, giay phep xay dung",
	                            "Accents are optional, e.g. khai sinh, giay phep xay dung"),
	                  .maxlength = PUB_QUERY_MAX,
	          });
	html_raw(h, "<div class=\"filters\">");
	struct web_option *opts = http_request_alloc(p->req, (PUB_FACET_MAX + 1) * sizeof *opts);
	if (!opts) {
		h->failed = true;
		return;
	}
	for (size_t i = 0; i < f->nsectors; i++) {
		opts[i].value = f->sectors[i].name;
		opts[i].label = f->sectors[i].name;
	}
	select_with_any(p, "sector", T(p, "Lĩnh vực", "Sector"),
	                T(p, "Tất cả lĩnh vực", "All sectors"), opts, f->nsectors, s->sector);
	size_t n = 0;
	if (f->has_commune) {
		opts[n].value = PUB_AGENCY_XA;
		opts[n].label = T(p, "Ủy ban nhân dân xã, phường", "Commune People's Committees");
		n++;
	}
	size_t first = n;
	for (size_t i = 0; i < f->nagencies && n < PUB_FACET_MAX + 1; i++) {
		opts[n].value = f->agencies[i];
		opts[n].label = unit_name_of(p, names, f->agencies[i]);
		n++;
	}
	qsort(opts + first, n - first, sizeof *opts, option_cmp);
	select_with_any(p, "agency", T(p, "Cơ quan giải quyết", "Competent agency"),
	                T(p, "Tất cả cơ quan", "All agencies"), opts, n, s->agency);
	const struct web_option levels[] = {
	        {"full", T(p, "Trực tuyến toàn trình", "Fully online")},
	        {"partial", T(p, "Trực tuyến một phần", "Partly online")},
	};
	select_with_any(p, "level", T(p, "Mức độ trực tuyến", "Online level"),
	                T(p, "Mọi mức độ", "Any level"), levels, 2, s->level);
	html_raw(h, "</div>");
	web_submit(p, T(p, "Tìm kiếm", "Search"), NULL);
	html_close(h, "form");
}

static void proc_table(struct web_page *p, const struct proc_page *x,
                       const struct unit_names *names)
{
	struct html *h = &p->h;
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack procedures\"><thead><tr>");
	web_col_heads(p, T(p, "Thủ tục", "Procedure"),
	              T(p, "Cơ quan giải quyết", "Competent agency"),
	              T(p, "Thời hạn giải quyết", "Legal time"), T(p, "Phí, lệ phí", "Fees"),
	              T(p, "Mức độ trực tuyến", "Online"),
	              T(p, "Nộp tại điểm bất kỳ", "File anywhere"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < x->count; i++) {
		const struct proc_item *it = &x->items[i];
		html_raw(h, "<tr>");
		html_open(h, "td", "data-label", T(p, "Thủ tục", "Procedure"), NULL);
		html_elem(h, "a", web_pick(p, it->name_vi, it->name_en), "href",
		          web_path(p, "/procedures/", it->code), NULL);
		html_elem(h, "span", it->code, "class", "proc-code muted", NULL);
		html_close(h, "td");
		html_elem(h, "td",
		          it->competent_unit[0] ? unit_name_of(p, names, it->competent_unit)
		                                : routed_agency(p, it->level, it->route_by),
		          "data-label", T(p, "Cơ quan", "Agency"), NULL);
		html_open(h, "td", "data-label", T(p, "Thời hạn", "Legal time"), NULL);
		legal_time(p, it->legal_days, it->legal_hours, DBQ_NONE);
		html_close(h, "td");
		html_open(h, "td", "data-label", T(p, "Phí, lệ phí", "Fees"), NULL);
		fee(p, it->fee_vnd);
		html_close(h, "td");
		html_elem(h, "td", online_label(p, it->online), "data-label",
		          T(p, "Trực tuyến", "Online"), NULL);
		html_elem(h, "td", it->boundary_free ? T(p, "Có", "Yes") : T(p, "Không", "No"),
		          "data-label", T(p, "Nộp tại điểm bất kỳ", "File anywhere"), NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void get_home(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	struct search s = {web_query(&p, "q"), web_query(&p, "sector"), web_query(&p, "agency"),
	                   web_query(&p, "level")};
	int64_t page = page_number(&p);
	struct dbq_procedure_filter f;
	memset(&f, 0, sizeof f);
	if (strlen(s.q) > PUB_QUERY_MAX || strlen(s.sector) > DBD_NAME_SIZE - 1 ||
	    !code_ok(s.agency, DBD_KEY_SIZE - 1) ||
	    !(str_empty(s.level) || str_eq(s.level, "full") || str_eq(s.level, "partial")) ||
	    page == 0) {
		web_fail_code(&p, ERR_INVALID_ARGUMENT,
		              T(&p, "Điều kiện tìm kiếm không hợp lệ.", "Invalid search."));
		return;
	}
	if (*s.q) {
		f.q_folded = folded(&p, s.q);
		if (!f.q_folded) {
			web_fail_code(&p, ERR_INVALID_ARGUMENT,
			              T(&p, "Từ khóa không hợp lệ.", "Invalid search text."));
			return;
		}
		/* as the API: a text that could be a code also matches the start of codes */
		if (code_ok(s.q, DBD_KEY_SIZE - 1))
			f.code_prefix = s.q;
		if (!*f.q_folded && !f.code_prefix)
			f.q_folded = NULL;
	}
	if (*s.sector)
		f.sector_folded = folded(&p, s.sector);
	if (str_eq(s.agency, PUB_AGENCY_XA))
		f.level = "commune"; /* decided by the commune of residence or property */
	else if (*s.agency)
		f.agency = s.agency;
	if (*s.level)
		f.online = s.level;

	struct err e;
	err_clear(&e);
	struct facets *fa = calloc(1, sizeof *fa);
	struct proc_page *x = calloc(1, sizeof *x);
	struct unit_names names = {0};
	int64_t total = 0, all = 0;
	struct dbq_procedure_filter none;
	memset(&none, 0, sizeof none);
	if (!fa || !x) {
		err_set(&e, ERR_NO_MEMORY, NULL);
		goto fail;
	}
	if (catalog_procedures(p.w->svc, &none, PUB_SCAN_MAX, 0, &all, clear_facets, add_facet, fa,
	                       &e) != ERR_OK ||
	    catalog_procedures(p.w->svc, &f, WEB_PAGE_SIZE, (page - 1) * WEB_PAGE_SIZE, &total,
	                       clear_procs, add_proc, x, &e) != ERR_OK)
		goto fail;
	qsort(fa->sectors, fa->nsectors, sizeof fa->sectors[0], sector_cmp);
	{
		const char **codes = http_request_alloc(req, (fa->nagencies + 1) * sizeof *codes);
		if (!codes) {
			err_set(&e, ERR_NO_MEMORY, NULL);
			goto fail;
		}
		size_t n = 0;
		for (size_t i = 0; i < fa->nagencies; i++)
			codes[n++] = fa->agencies[i];
		if (unit_names_read(&p, codes, n, &names, &e) != ERR_OK)
			goto fail;
	}

	web_begin(&p, T(&p, "Thủ tục hành chính", "Administrative procedures"));
	html_elem(&p.h, "p",
	          T(&p,
	            "Tìm thủ tục, xem hồ sơ cần chuẩn bị, thời hạn, phí và nơi nộp. Hầu hết thủ "
	            "tục được tiếp nhận tại bất kỳ chi nhánh, điểm tiếp nhận nào của Trung tâm, "
	            "không phụ thuộc nơi cư trú.",
	            "Find a procedure, the documents to prepare, the legal time, the fees and "
	            "where to file. Most procedures are received at any branch or service point "
	            "of the Centre, wherever you live."),
	          "class", "lead", NULL);
	search_form(&p, &s, fa, &names);
	html_open(&p.h, "section", "aria-labelledby", "results-title", "id", "results", NULL);
	html_elem(&p.h, "h2", T(&p, "Kết quả", "Results"), "id", "results-title", NULL);
	html_open(&p.h, "p", "class", "result-count", "role", "status", NULL);
	if (total == 0) {
		html_text(&p.h, T(&p,
		                  "Không tìm thấy thủ tục nào. Hãy thử từ khóa ngắn hơn hoặc bỏ "
		                  "bớt điều kiện lọc.",
		                  "No procedure found. Try a shorter text or fewer filters."));
	} else {
		html_text(&p.h, T(&p, "Tìm thấy ", "Found "));
		html_int(&p.h, total);
		html_text(&p.h, T(&p, " thủ tục", total == 1 ? " procedure" : " procedures"));
		if (total > WEB_PAGE_SIZE) {
			int64_t first = (page - 1) * WEB_PAGE_SIZE + 1;
			html_text(&p.h, T(&p, " (hiển thị ", " (showing "));
			html_int(&p.h, first);
			html_text(&p.h, "–");
			html_int(&p.h, first + (int64_t)x->count - 1);
			html_text(&p.h, ")");
		}
	}
	html_close(&p.h, "p");
	if (x->count > 0)
		proc_table(&p, x, &names);
	web_pager(&p, page, total, search_url(&p, &s, page - 1), search_url(&p, &s, page + 1),
	          WEB_PAGER_QUOTES_OF);
	html_close(&p.h, "section");
	free(names.items);
	free(fa);
	free(x);
	web_end(&p);
	return;
fail:
	free(names.items);
	free(fa);
	free(x);
	web_fail(&p, &e);
}

/* ---- one procedure ---- */

struct proc_one {
	struct proc_item it;
	char sector[DBD_NAME_SIZE];
	bool needs_signoff;
	int64_t max_supplements;
	bool found;
};

static int keep_proc(void *ctx, const struct dbq_procedure *row)
{
	struct proc_one *x = ctx;
	proc_item_from(&x->it, row);
	str_copy(x->sector, sizeof x->sector, row->sector);
	x->needs_signoff = row->needs_signoff;
	x->max_supplements = row->max_supplements;
	x->found = true;
	return 0;
}

static const char *step_role(const struct web_page *p, const char *role)
{
	if (str_eq(role, "officer"))
		return T(p, "Bộ phận một cửa", "One-stop desk");
	if (str_eq(role, "approver"))
		return T(p, "Lãnh đạo cơ quan", "Head of the agency");
	return T(p, "Chuyên viên cơ quan giải quyết", "Specialist of the agency");
}

static void components_table(struct web_page *p, const struct db_proc_component_list *l)
{
	struct html *h = &p->h;
	if (l->count == 0) {
		html_elem(h, "p", T(p, "Không có thành phần hồ sơ.", "No documents."), "class",
		          "muted", NULL);
		return;
	}
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack components\"><thead><tr>");
	html_elem(h, "th", T(p, "STT", "No."), "scope", "col", "class", "num", NULL);
	web_col_heads(p, T(p, "Giấy tờ", "Document"), T(p, "Bắt buộc", "Required"),
	              T(p, "Ghi chú", "Note"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < l->count; i++) {
		const struct db_procedure_component *c = &l->items[i];
		html_open(h, "tr", "class", c->population_replaces ? "waived" : NULL, NULL);
		html_open(h, "td", "class", "num", "data-label", T(p, "STT", "No."), NULL);
		html_int(h, c->seq);
		html_close(h, "td");
		html_elem(h, "td", c->name_vi, "data-label", T(p, "Giấy tờ", "Document"), NULL);
		html_elem(h, "td",
		          c->required ? T(p, "Bắt buộc", "Required")
		                      : T(p, "Khi cần (tùy trường hợp)", "When it applies"),
		          "data-label", T(p, "Bắt buộc", "Required"), NULL);
		html_open(h, "td", "data-label", T(p, "Ghi chú", "Note"), NULL);
		if (c->population_replaces) {
			html_elem(h, "span", T(p, "Dữ liệu dân cư thay thế", "Population data"),
			          "class", "badge waived-badge", NULL);
			html_text(h, " ");
			html_text(h,
			          T(p,
			            "Không phải nộp khi thông tin đã có trong Cơ sở dữ liệu quốc "
			            "gia về dân cư.",
			            "Not needed when the National Population Database holds the "
			            "information."));
		}
		html_close(h, "td");
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void get_procedure(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	const char *code = http_request_param(req, "code");
	if (!code || !code_ok(code, DBD_KEY_SIZE - 1)) {
		web_fail_code(&p, ERR_NOT_FOUND,
		              T(&p, "Không có thủ tục với mã này.", "No procedure has this code."));
		return;
	}
	struct proc_one *x = calloc(1, sizeof *x);
	struct catalog_procedure_parts parts;
	memset(&parts, 0, sizeof parts);
	struct unit_names names = {0};
	struct err e;
	err_clear(&e);
	if (!x) {
		err_set(&e, ERR_NO_MEMORY, NULL);
		goto fail;
	}
	if (catalog_procedure(p.w->svc, code, NULL, keep_proc, x, &parts, &e) != ERR_OK)
		goto fail;
	const struct proc_item *it = &x->it;
	const char *agency_codes[1] = {it->competent_unit};
	if (unit_names_read(&p, agency_codes, it->competent_unit[0] ? 1 : 0, &names, &e) != ERR_OK)
		goto fail;

	struct html *h = &p.h;
	bool online = !str_eq(it->online, "none") && it->online[0];
	web_begin(&p, web_pick(&p, it->name_vi, it->name_en));
	if (online) {
		html_raw(h, "<p class=\"proc-actions\">");
		html_elem(h, "a", T(&p, "Nộp trực tuyến", "File online"), "class", "button", "href",
		          web_path(&p, "/file/", it->code), "id", "file-online", NULL);
		html_raw(h, "</p>");
	}
	html_raw(h, "<dl class=\"facts\" id=\"procedure-facts\">");
	html_elem(h, "dt", T(&p, "Mã thủ tục", "Code"), NULL);
	html_elem(h, "dd", it->code, NULL);
	html_elem(h, "dt", T(&p, "Lĩnh vực", "Sector"), NULL);
	html_elem(h, "dd", x->sector, NULL);
	html_elem(h, "dt", T(&p, "Cấp thực hiện", "Level"), NULL);
	html_elem(h, "dd", level_label(&p, it->level), NULL);
	html_elem(h, "dt", T(&p, "Cơ quan có thẩm quyền", "Competent agency"), NULL);
	html_elem(h, "dd",
	          it->competent_unit[0] ? unit_name_of(&p, &names, it->competent_unit)
	                                : routed_agency(&p, it->level, it->route_by),
	          NULL);
	html_elem(h, "dt", T(&p, "Thời hạn giải quyết", "Legal time"), NULL);
	html_open(h, "dd", NULL);
	legal_time(&p, it->legal_days, it->legal_hours, it->cutoff_sec);
	html_close(h, "dd");
	html_elem(h, "dt", T(&p, "Phí, lệ phí", "Fees"), NULL);
	html_open(h, "dd", NULL);
	fee(&p, it->fee_vnd);
	html_close(h, "dd");
	html_elem(h, "dt", T(&p, "Mức độ dịch vụ công trực tuyến", "Online service"), NULL);
	html_elem(h, "dd", online_label(&p, it->online), NULL);
	html_elem(h, "dt", T(&p, "Nơi nộp hồ sơ", "Where to file"), NULL);
	html_open(h, "dd", NULL);
	if (it->boundary_free) {
		html_text(h, T(&p,
		               "Không phụ thuộc địa giới hành chính: nộp tại bất kỳ chi nhánh, "
		               "điểm tiếp nhận nào của Trung tâm. ",
		               "Any branch or service point of the Centre, wherever you live. "));
		html_elem(h, "a", T(&p, "Xem các điểm phục vụ", "See the service points"), "href",
		          "/branches", NULL);
	} else {
		html_text(h, T(&p, "Nộp tại cơ quan có thẩm quyền nêu trên.",
		               "At the competent agency above."));
	}
	html_close(h, "dd");
	html_raw(h, "</dl>");

	html_elem(h, "h2", T(&p, "Thành phần hồ sơ", "Documents to provide"), NULL);
	components_table(&p, &parts.components);

	html_elem(h, "h2", T(&p, "Trình tự thực hiện", "Steps"), NULL);
	html_raw(h, "<ol class=\"steps\">");
	html_open(h, "li", NULL);
	html_text(h, T(&p,
	               "Nộp hồ sơ tại điểm phục vụ hoặc trực tuyến; bộ phận một cửa kiểm tra và "
	               "tiếp nhận, hẹn ngày trả kết quả.",
	               "File at a service point or online; the one-stop desk checks, receives "
	               "and gives the appointment."));
	html_close(h, "li");
	for (size_t i = 0; i < parts.steps.count; i++) {
		const struct db_procedure_step *st = &parts.steps.items[i];
		html_open(h, "li", NULL);
		html_text(h, web_pick(&p, st->name_vi, st->name_en));
		html_open(h, "span", "class", "muted", NULL);
		html_textf(h, " — %s, %lld%% %s", step_role(&p, st->role), (long long)st->share_pct,
		           T(&p, "thời hạn", "of the legal time"));
		html_close(h, "span");
		html_close(h, "li");
	}
	html_open(h, "li", NULL);
	html_text(h, T(&p,
	               "Nhận kết quả tại điểm phục vụ đã chọn hoặc qua dịch vụ bưu chính; đánh "
	               "giá mức độ hài lòng.",
	               "Collect the result at the chosen service point or by post; rate the "
	               "service."));
	html_close(h, "li");
	html_raw(h, "</ol>");
	if (online) {
		html_raw(h, "<p class=\"proc-actions\">");
		html_elem(h, "a", T(&p, "Nộp trực tuyến", "File online"), "class", "button", "href",
		          web_path(&p, "/file/", it->code), NULL);
		html_raw(h, "</p>");
	} else {
		html_elem(h, "p",
		          T(&p, "Thủ tục này chưa hỗ trợ nộp hồ sơ trực tuyến.",
		            "This procedure cannot be filed online."),
		          "class", "muted", NULL);
	}
	catalog_procedure_release(&parts);
	free(names.items);
	free(x);
	web_end(&p);
	return;
fail:
	catalog_procedure_release(&parts);
	free(names.items);
	free(x);
	web_fail(&p, &e);
}

/* ---- branches and service points ---- */

struct commune_item {
	char code[DBD_SHORT_SIZE];
	char name[DBD_NAME_SIZE];
	char key[DBD_NAME_SIZE]; /* folded name, for sorting */
	char kind[DBD_SHORT_SIZE];
	double lat, lon;
};

struct commune_all {
	struct commune_item *items;
	size_t count, cap;
};

static int add_commune(void *ctx, const struct dbq_commune *m)
{
	struct commune_all *x = ctx;
	if (x->count >= x->cap)
		return 0;
	struct commune_item *c = &x->items[x->count++];
	str_copy(c->code, sizeof c->code, m->code);
	str_copy(c->name, sizeof c->name, m->name_vi);
	str_copy(c->kind, sizeof c->kind, m->kind);
	web_fold_key(c->key, sizeof c->key, m->name_vi, "");
	c->lat = (double)m->lat_e6 / 1e6;
	c->lon = (double)m->lon_e6 / 1e6;
	return 0;
}

static void clear_communes(void *ctx)
{
	((struct commune_all *)ctx)->count = 0;
}

static int commune_cmp(const void *a, const void *b)
{
	const struct commune_item *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->code, y->code);
}

struct branch_item {
	char code[DBD_KEY_SIZE];
	char kind[DBD_SHORT_SIZE];
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
	char commune[DBD_SHORT_SIZE];
	char address[DBD_TEXT_SIZE];
	char hours[DBD_NAME_SIZE];
	char serves[DBD_NAME_SIZE];
	bool has_coords;
	double lat, lon;
	double km; /* from the chosen commune; < 0 when unknown */
};

struct branch_all {
	struct branch_item *items;
	size_t count, cap;
	const char *want; /* "" centre's branches and points, "commune", "all" */
};

static bool branch_wanted(const char *want, const char *kind)
{
	if (str_eq(want, "all"))
		return true;
	if (str_eq(want, "commune"))
		return str_eq(kind, "commune_committee");
	return !str_eq(kind, "commune_committee");
}

static int add_branch(void *ctx, const struct dbq_unit *u)
{
	struct branch_all *x = ctx;
	if (x->count >= x->cap || !branch_wanted(x->want, u->kind))
		return 0;
	struct branch_item *b = &x->items[x->count++];
	str_copy(b->code, sizeof b->code, u->code);
	str_copy(b->kind, sizeof b->kind, u->kind);
	str_copy(b->name_vi, sizeof b->name_vi, u->name_vi);
	str_copy(b->name_en, sizeof b->name_en, u->name_en);
	str_copy(b->commune, sizeof b->commune, u->commune_code);
	str_copy(b->address, sizeof b->address, u->address);
	str_copy(b->hours, sizeof b->hours, u->opening_hours);
	str_copy(b->serves, sizeof b->serves, u->serves);
	b->has_coords = u->has_coords;
	b->lat = (double)u->lat_e6 / 1e6;
	b->lon = (double)u->lon_e6 / 1e6;
	b->km = -1;
	return 0;
}

static void clear_branches(void *ctx)
{
	((struct branch_all *)ctx)->count = 0;
}

/* Nearest first (unknown distances last), then centre, branches, points, communes, by code. */
static int branch_cmp(const void *a, const void *b)
{
	const struct branch_item *x = a, *y = b;
	if ((x->km >= 0) != (y->km >= 0))
		return x->km >= 0 ? -1 : 1;
	if (x->km >= 0 && x->km != y->km)
		return x->km < y->km ? -1 : 1;
	int r = web_unit_kind_rank(x->kind) - web_unit_kind_rank(y->kind);
	return r ? r : strcmp(x->code, y->code);
}

static const char *unit_kind_label(const struct web_page *p, const char *kind)
{
	if (str_eq(kind, "centre"))
		return T(p, "Trụ sở Trung tâm", "Centre headquarters");
	if (str_eq(kind, "branch"))
		return T(p, "Chi nhánh", "Branch");
	if (str_eq(kind, "point"))
		return T(p, "Điểm tiếp nhận", "Service point");
	if (str_eq(kind, "commune_committee"))
		return T(p, "Bộ phận một cửa UBND xã, phường", "Commune one-stop desk");
	return kind;
}

/* Opening hours as stored ("Mon-Fri 08:00-17:00; Sat 08:00-12:00"), days in the page's language. */
static void opening_hours(struct web_page *p, const char *s)
{
	static const struct {
		const char *en, *vi;
	} days[] = {
	        {"Mon", "Thứ Hai"}, {"Tue", "Thứ Ba"},  {"Wed", "Thứ Tư"},   {"Thu", "Thứ Năm"},
	        {"Fri", "Thứ Sáu"}, {"Sat", "Thứ Bảy"}, {"Sun", "Chủ nhật"},
	};
	if (!s[0]) {
		html_text(&p->h, T(p, "Giờ hành chính", "Office hours"));
		return;
	}
	if (p->lang == ERR_LANG_EN) {
		html_text(&p->h, s);
		return;
	}
	struct buf b = BUF_INIT(4 * strlen(s) + 1);
	for (size_t i = 0; s[i];) {
		bool done = false;
		bool word_start = i == 0 || !((s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
		                              (s[i - 1] >= 'A' && s[i - 1] <= 'Z'));
		for (size_t d = 0; word_start && !done && d < sizeof days / sizeof days[0]; d++) {
			if (strncmp(s + i, days[d].en, 3) == 0) {
				buf_puts(&b, days[d].vi);
				i += 3;
				done = true;
			}
		}
		if (!done)
			buf_putc(&b, s[i++]);
	}
	html_text(&p->h, buf_str(&b));
	buf_release(&b);
}

/* A distance in km with one decimal: "2,3 km" in Vietnamese, "2.3 km" in English. */
static void distance(struct web_page *p, double km)
{
	char s[32];
	snprintf(s, sizeof s, "%.1f km", km);
	if (p->lang != ERR_LANG_EN)
		for (char *c = s; *c; c++)
			if (*c == '.')
				*c = ',';
	html_text(&p->h, s);
}

struct branch_query {
	const char *commune, *kind;
};

static const char *branches_url(struct web_page *p, void *ctx, int64_t page)
{
	const struct branch_query *q = ctx;
	return web_url(p, "/branches", "commune", q->commune, "kind", q->kind, "page",
	               page > 1 ? web_num(p, page) : NULL, NULL);
}

/* "unit-CODE": a stable hook for the browser tests. */
static const char *unit_row_id(struct web_page *p, const char *code)
{
	size_t n = strlen(code) + 6;
	char *s = http_request_alloc(p->req, n);
	if (s)
		snprintf(s, n, "unit-%s", code);
	return s;
}

static const char *commune_label(struct web_page *p, const struct commune_item *c)
{
	size_t n = strlen(c->name) + 16;
	char *s = http_request_alloc(p->req, n);
	if (!s)
		return c->name;
	snprintf(s, n, "%s %s",
	         str_eq(c->kind, "ward") ? T(p, "Phường", "Ward") : T(p, "Xã", "Commune"), c->name);
	return s;
}

static void branches_form(struct web_page *p, const struct commune_all *cm,
                          const struct branch_query *q, const char *error)
{
	struct html *h = &p->h;
	html_open(h, "form", "method", "get", "action", "/branches", "id", "branches-form", "class",
	          "search-form", NULL);
	html_raw(h, "<div class=\"filters\">");
	struct web_option *opts = http_request_alloc(p->req, (cm->count + 1) * sizeof *opts);
	if (!opts) {
		h->failed = true;
		return;
	}
	opts[0].value = "";
	opts[0].label = T(p, "— Chọn xã, phường —", "— Choose a commune —");
	for (size_t i = 0; i < cm->count; i++) {
		opts[i + 1].value = cm->items[i].code;
		opts[i + 1].label = commune_label(p, &cm->items[i]);
	}
	web_select(p, "commune", T(p, "Khoảng cách từ xã, phường", "Distance from the commune"),
	           opts, cm->count + 1, q->commune, error, false);
	const struct web_option kinds[] = {
	        {"", T(p, "Chi nhánh và điểm tiếp nhận của Trung tâm",
	               "The Centre's branches and service points")},
	        {"commune", T(p, "Bộ phận một cửa UBND xã, phường", "Commune one-stop desks")},
	        {"all", T(p, "Tất cả", "All")},
	};
	web_select(p, "kind", T(p, "Loại điểm phục vụ", "Kind"), kinds, 3, q->kind, NULL, false);
	html_raw(h, "</div>");
	web_submit(p, T(p, "Xem", "Show"), NULL);
	html_close(h, "form");
}

static void branches_table(struct web_page *p, const struct branch_all *x, size_t from, size_t to,
                           const struct commune_all *cm, bool with_km)
{
	struct html *h = &p->h;
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack branches\"><thead><tr>");
	web_col_heads(p, T(p, "Điểm phục vụ", "Service point"), T(p, "Địa chỉ", "Address"),
	              T(p, "Giờ làm việc", "Opening hours"), NULL);
	if (with_km)
		html_elem(h, "th", T(p, "Khoảng cách", "Distance"), "scope", "col", "class", "num",
		          NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = from; i < to; i++) {
		const struct branch_item *b = &x->items[i];
		html_open(h, "tr", "id", unit_row_id(p, b->code), NULL);
		html_open(h, "td", "data-label", T(p, "Điểm phục vụ", "Service point"), NULL);
		html_elem(h, "strong", web_pick(p, b->name_vi, b->name_en), NULL);
		html_elem(h, "span", unit_kind_label(p, b->kind), "class", "unit-kind muted", NULL);
		if (b->serves[0]) {
			html_open(h, "span", "class", "unit-serves muted", NULL);
			html_text(h, T(p, "Phục vụ khu vực: ", "Serves: "));
			for (const char *c = b->serves; *c;) { /* "Ba Đình|Hoàn Kiếm" */
				size_t n = strcspn(c, "|");
				html_textn(h, c, n);
				c += n;
				if (*c == '|') {
					html_text(h, ", ");
					c++;
				}
			}
			html_close(h, "span");
		}
		html_close(h, "td");
		html_open(h, "td", "data-label", T(p, "Địa chỉ", "Address"), NULL);
		const char *commune = NULL;
		for (size_t k = 0; k < cm->count && !commune; k++)
			if (str_eq(cm->items[k].code, b->commune))
				commune = commune_label(p, &cm->items[k]);
		if (b->address[0]) {
			html_text(h, b->address);
			if (commune) {
				html_text(h, ", ");
				html_text(h, commune);
			}
		} else if (commune) {
			html_text(h, commune);
		} else {
			html_text(h, T(p, "Chưa cập nhật", "Not given"));
		}
		html_close(h, "td");
		html_open(h, "td", "data-label", T(p, "Giờ làm việc", "Opening hours"), NULL);
		opening_hours(p, b->hours);
		html_close(h, "td");
		if (with_km) {
			html_open(h, "td", "class", "num distance", "data-label",
			          T(p, "Khoảng cách", "Distance"), NULL);
			if (b->km >= 0)
				distance(p, b->km);
			else
				html_text(h, T(p, "Không rõ", "Unknown"));
			html_close(h, "td");
		}
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void get_branches(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	struct branch_query q = {web_query(&p, "commune"), web_query(&p, "kind")};
	int64_t page = page_number(&p);
	if (!(str_empty(q.kind) || str_eq(q.kind, "commune") || str_eq(q.kind, "all")) ||
	    page == 0) {
		web_fail_code(&p, ERR_INVALID_ARGUMENT,
		              T(&p, "Điều kiện lọc không hợp lệ.", "Invalid filter."));
		return;
	}
	struct err e;
	err_clear(&e);
	struct commune_all cm = {.cap = PUB_SCAN_MAX};
	struct branch_all br = {.cap = PUB_SCAN_MAX, .want = q.kind};
	cm.items = calloc(cm.cap, sizeof *cm.items);
	br.items = calloc(br.cap, sizeof *br.items);
	if (!cm.items || !br.items) {
		err_set(&e, ERR_NO_MEMORY, NULL);
		goto fail;
	}
	struct dbq_commune_filter cf;
	memset(&cf, 0, sizeof cf);
	struct dbq_unit_filter uf = {.cls = DBQ_UNITS_RECEIVING};
	int64_t total;
	if (catalog_communes(p.w->svc, &cf, (int64_t)cm.cap, 0, &total, clear_communes, add_commune,
	                     &cm, &e) != ERR_OK ||
	    catalog_units(p.w->svc, &uf, (int64_t)br.cap, 0, &total, clear_branches, add_branch,
	                  &br, &e) != ERR_OK)
		goto fail;
	qsort(cm.items, cm.count, sizeof cm.items[0], commune_cmp);

	const struct commune_item *from = NULL;
	const char *error = NULL;
	if (*q.commune) {
		for (size_t i = 0; i < cm.count && !from; i++)
			if (str_eq(cm.items[i].code, q.commune))
				from = &cm.items[i];
		if (!from) {
			error = T(&p, "Không có xã, phường với mã này.",
			          "No commune has this code.");
			p.status = 400;
		}
	}
	if (from)
		for (size_t i = 0; i < br.count; i++)
			if (br.items[i].has_coords)
				br.items[i].km = geo_haversine(from->lat, from->lon,
				                               br.items[i].lat, br.items[i].lon) /
				                 1000.0;
	qsort(br.items, br.count, sizeof br.items[0], branch_cmp);

	web_begin(&p, T(&p, "Điểm phục vụ", "Service points"));
	html_elem(&p.h, "p",
	          T(&p,
	            "Các chi nhánh, điểm tiếp nhận của Trung tâm Phục vụ hành chính công tiếp nhận "
	            "hồ sơ không phụ thuộc nơi cư trú. Chọn xã, phường của bạn để xem điểm gần "
	            "nhất (khoảng cách theo đường chim bay).",
	            "The Centre's branches and service points receive dossiers wherever you live. "
	            "Choose your commune to see the nearest (straight-line distance)."),
	          "class", "lead", NULL);
	web_form_errors(&p, error);
	branches_form(&p, &cm, &q, error);
	size_t first = (size_t)((page - 1) * WEB_PAGE_SIZE);
	size_t last = first + WEB_PAGE_SIZE < br.count ? first + WEB_PAGE_SIZE : br.count;
	html_open(&p.h, "p", "class", "result-count", "role", "status", NULL);
	html_int(&p.h, (int64_t)br.count);
	html_text(&p.h, T(&p, " điểm phục vụ", " service points"));
	if (from) {
		html_text(&p.h, T(&p, ", gần ", ", nearest to "));
		html_text(&p.h, commune_label(&p, from));
		html_text(&p.h, T(&p, " nhất trước", " first"));
	}
	html_close(&p.h, "p");
	if (first < br.count)
		branches_table(&p, &br, first, last, &cm, from != NULL);
	web_pager(&p, page, (int64_t)br.count, branches_url(&p, &q, page - 1),
	          branches_url(&p, &q, page + 1), WEB_PAGER_QUOTES_OF);
	free(cm.items);
	free(br.items);
	web_end(&p);
	return;
fail:
	free(cm.items);
	free(br.items);
	web_fail(&p, &e);
}

/* ---- status look-up ---- */

static const char *step_result_label(const struct web_page *p, const char *r)
{
	if (str_eq(r, "early"))
		return T(p, "trước hạn", "early");
	if (str_eq(r, "on_time"))
		return T(p, "đúng hạn", "on time");
	if (str_eq(r, "late"))
		return T(p, "quá hạn", "late");
	return NULL;
}

static void lookup_form(struct web_page *p, const char *code, const char *last4,
                        const char *code_error, const char *last4_error)
{
	html_open(&p->h, "form", "method", "get", "action", "/lookup", "id", "lookup-form", "class",
	          "narrow", NULL);
	web_input(p, &(struct web_input){.name = "code",
	                                 .label = T(p, "Mã hồ sơ", "Dossier code"),
	                                 .value = code,
	                                 .error = code_error,
	                                 .hint = T(p, "Ghi trên giấy tiếp nhận và hẹn trả kết quả",
	                                           "Printed on the receipt and appointment slip"),
	                                 .autocomplete = "off",
	                                 .maxlength = DBD_KEY_SIZE - 1,
	                                 .required = true});
	web_input(p, &(struct web_input){
	                     .name = "last4",
	                     .label = T(p, "4 chữ số cuối", "Last 4 digits"),
	                     .value = last4,
	                     .error = last4_error,
	                     .hint = T(p,
	                               "4 chữ số cuối của số định danh cá nhân hoặc số điện "
	                               "thoại của người nộp hồ sơ",
	                               "The last 4 digits of the applicant's ID number or phone "
	                               "number"),
	                     .autocomplete = "off",
	                     .pattern = "[0-9]{4}",
	                     .inputmode = "numeric",
	                     .maxlength = 4,
	                     .required = true});
	web_submit(p, T(p, "Tra cứu", "Look up"), NULL);
	html_close(&p->h, "form");
}

static void lookup_result(struct web_page *p, const struct lookup_public *r)
{
	struct html *h = &p->h;
	html_open(h, "section", "id", "lookup-result", "aria-labelledby", "lookup-result-title",
	          NULL);
	html_elem(h, "h2", T(p, "Tình trạng hồ sơ", "Status of the dossier"), "id",
	          "lookup-result-title", NULL);
	html_raw(h, "<dl class=\"facts\">");
	html_elem(h, "dt", T(p, "Mã hồ sơ", "Dossier code"), NULL);
	html_elem(h, "dd", r->code, NULL);
	html_elem(h, "dt", T(p, "Thủ tục", "Procedure"), NULL);
	html_open(h, "dd", NULL);
	html_elem(h, "a", web_pick(p, r->procedure_name_vi, r->procedure_name_en), "href",
	          web_path(p, "/procedures/", r->procedure_code), NULL);
	html_close(h, "dd");
	html_elem(h, "dt", T(p, "Trạng thái", "State"), NULL);
	html_open(h, "dd", NULL);
	web_state_badge(p, r->state);
	if (str_eq(r->outcome, "granted") || str_eq(r->outcome, "refused")) {
		html_text(h, " ");
		html_text(h, str_eq(r->outcome, "granted")
		                     ? T(p, "(được giải quyết)", "(granted)")
		                     : T(p, "(từ chối giải quyết)", "(refused)"));
	}
	html_close(h, "dd");
	if (r->received_at != DB_NONE) {
		html_elem(h, "dt", T(p, "Ngày tiếp nhận", "Received"), NULL);
		html_open(h, "dd", NULL);
		web_time(p, r->received_at);
		html_close(h, "dd");
	}
	html_elem(h, "dt", T(p, "Hẹn trả kết quả", "Appointment"), NULL);
	html_open(h, "dd", "id", "lookup-due", NULL);
	if (r->due_at != DB_NONE)
		web_time(p, r->due_at);
	else
		html_text(h, T(p, "Chưa có (hồ sơ chưa được tiếp nhận hoặc đang tạm dừng)",
		               "None yet (not received yet, or paused)"));
	html_close(h, "dd");
	html_elem(h, "dt", T(p, "Nơi nhận kết quả", "Where to collect"), NULL);
	html_open(h, "dd", "id", "lookup-collection", NULL);
	if (r->by_post) {
		html_text(h, T(p, "Qua dịch vụ bưu chính công ích", "By post"));
	} else if (r->collection_unit[0]) {
		html_text(h, r->collection_name[0] ? r->collection_name : r->collection_unit);
		if (r->collection_address[0]) {
			html_text(h, " — ");
			html_text(h, r->collection_address);
		}
	} else {
		html_text(h, T(p, "Chưa xác định", "Not decided yet"));
	}
	html_close(h, "dd");
	html_raw(h, "</dl>");

	html_elem(h, "h3", T(p, "Quá trình xử lý", "History"), NULL);
	html_raw(h, "<ol class=\"timeline\" id=\"lookup-timeline\">");
	int64_t due = DB_NONE;
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct lookup_step *s = &r->steps[i];
		html_raw(h, "<li>");
		html_open(h, "span", "class", "when", NULL);
		web_time(p, s->at);
		html_close(h, "span");
		html_text(h, " ");
		html_elem(h, "strong", web_action_label(p, s->action), NULL);
		html_text(h, " → ");
		html_text(h, web_state_label(p, s->state));
		if (s->unit_name[0] || s->unit[0]) {
			html_open(h, "span", "class", "muted", NULL);
			html_text(h, " · ");
			html_text(h, s->unit_name[0] ? s->unit_name : s->unit);
			html_close(h, "span");
		}
		const char *sr = step_result_label(p, s->step_result);
		if (sr) {
			html_text(h, " · ");
			html_text(h, T(p, "bước xử lý ", "step "));
			html_text(h, sr);
		}
		if (s->due_at != DB_NONE && s->due_at != due) {
			html_text(h, " · ");
			html_text(h, T(p, "hẹn trả ", "appointment "));
			web_time(p, s->due_at);
		}
		due = s->due_at != DB_NONE ? s->due_at : due;
		html_raw(h, "</li>");
	}
	html_raw(h, "</ol></section>");
}

/* The electronic results of the looked-up dossier, with links to download them (issue 6). */
static void lookup_files(struct web_page *p, const char *code, const char *last4)
{
	struct db_file_list l;
	struct err e;
	err_clear(&e);
	if (files_public_results(p->w->svc, p->req->client, code, last4, &l, NULL, &e) != ERR_OK ||
	    !l.count) {
		db_file_list_free(&l);
		return;
	}
	struct html *h = &p->h;
	html_open(h, "section", "id", "lookup-files", "aria-labelledby", "lookup-files-title",
	          NULL);
	html_elem(h, "h2", T(p, "Kết quả điện tử", "Electronic result"), "id", "lookup-files-title",
	          NULL);
	html_raw(h, "<ul class=\"files\">");
	for (size_t i = 0; i < l.count; i++) {
		const struct db_dossier_file *f = &l.items[i];
		html_raw(h, "<li>");
		html_elem(h, "a", web_strf(p, "%s %s", T(p, "Tải về", "Download"), f->filename),
		          "href",
		          web_url(p, web_path(p, "/lookup/results/", f->id), "code", code, "last4",
		                  last4, NULL),
		          "type", f->media_type, "class", "file-link", NULL);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul>");
	html_close(h, "section");
	db_file_list_free(&l);
}

/* GET /lookup/results/{file}?code=&last4=: a result of the look-up, for anyone with the secret. */
static void get_lookup_result(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	const char *code = web_query(&p, "code");
	struct db_dossier_file f;
	int fd;
	struct err e;
	err_clear(&e);
	if (files_open_public(p.w->svc, req->client, strlen(code) < DBD_KEY_SIZE ? code : "",
	                      web_query(&p, "last4"), http_request_param(req, "file"), &f, &fd,
	                      NULL, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	web_page_release(&p);
	api_send_file(res, &f, fd);
}

static void get_lookup(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	const char *code = web_query(&p, "code");
	const char *last4 = web_query(&p, "last4");
	bool asked = http_request_query(req, "code") || http_request_query(req, "last4");
	const char *title = T(&p, "Tra cứu hồ sơ", "Track a dossier");
	const char *intro = T(&p,
	                      "Nhập mã hồ sơ và 4 chữ số cuối của số định danh cá nhân hoặc số "
	                      "điện thoại của người nộp để xem hồ sơ đang ở bước nào và ngày hẹn "
	                      "trả kết quả.",
	                      "Enter the dossier code and the last 4 digits of the applicant's ID "
	                      "number or phone to see where the dossier stands and when the result "
	                      "is due.");
	if (!asked) {
		web_begin(&p, title);
		html_elem(&p.h, "p", intro, "class", "lead", NULL);
		lookup_form(&p, "", "", NULL, NULL);
		web_end(&p);
		return;
	}
	const char *code_error = NULL, *last4_error = NULL, *error = NULL;
	const char *bad_last4 = T(&p, "Nhập đúng 4 chữ số.", "Enter exactly 4 digits.");
	if (!*code)
		code_error = T(&p, "Nhập mã hồ sơ.", "Enter the dossier code.");
	if (strlen(last4) != LOOKUP_SECRET_LEN || !str_all_digits(last4))
		last4_error = bad_last4;
	struct lookup_public r;
	memset(&r, 0, sizeof r);
	struct err e;
	err_clear(&e);
	if (!code_error && !last4_error) {
		/* a code that cannot exist is answered (and counted) as a wrong one, as the API */
		enum err_code rc =
		        lookup_public(p.w->svc, req->client,
		                      strlen(code) < DBD_KEY_SIZE ? code : "", last4, &r, &e);
		if (rc == ERR_OK) {
			web_begin(&p, title);
			lookup_form(&p, code, last4, NULL, NULL);
			lookup_result(&p, &r);
			lookup_public_release(&r);
			lookup_files(&p, code, last4);
			web_end(&p);
			return;
		}
		int64_t retry = r.retry_after;
		lookup_public_release(&r);
		if (rc == ERR_INVALID_ARGUMENT) {
			last4_error = bad_last4;
		} else if (rc == ERR_NOT_FOUND) {
			p.status = 404;
			error = T(&p,
			          "Không tìm thấy hồ sơ với mã và 4 chữ số này. Hãy kiểm tra lại "
			          "mã hồ sơ "
			          "trên giấy hẹn và 4 chữ số cuối của số định danh hoặc số điện "
			          "thoại.",
			          "No dossier matches this code and these 4 digits. Check the code "
			          "on "
			          "the appointment slip and the last 4 digits of the ID number or "
			          "phone.");
		} else if (rc == ERR_RATE_LIMITED) {
			p.status = 429;
			int64_t minutes = retry > 0 ? (retry + 59) / 60 : 1;
			char msg[400];
			snprintf(msg, sizeof msg, "%s %lld %s",
			         T(&p,
			           "Bạn đã tra cứu sai quá nhiều lần. Để bảo vệ thông tin hồ sơ, "
			           "hãy thử "
			           "lại sau khoảng",
			           "Too many look-ups failed from your address. To protect "
			           "dossiers, "
			           "try again in about"),
			         (long long)minutes,
			         T(&p, "phút.", minutes == 1 ? "minute." : "minutes."));
			error = http_request_strdup(req, msg);
			if (retry > 0) {
				char ra[24];
				snprintf(ra, sizeof ra, "%lld", (long long)retry);
				http_response_header(res, "Retry-After", ra);
			}
		} else {
			web_fail(&p, &e);
			return;
		}
	}
	if (p.status == 200)
		p.status = 400;
	web_begin(&p, title);
	html_elem(&p.h, "p", intro, "class", "lead", NULL);
	web_form_errors(&p, error ? error
	                          : T(&p, "Hãy sửa các ô được đánh dấu bên dưới.",
	                              "Please correct the fields marked below."));
	lookup_form(&p, code, last4, code_error, last4_error);
	web_end(&p);
}

const struct http_route web_public_routes[] = {
        {"GET", "/", get_home, WEB_FORM_MAX},
        {"GET", "/procedures/{code}", get_procedure, WEB_FORM_MAX},
        {"GET", "/branches", get_branches, WEB_FORM_MAX},
        {"GET", "/lookup", get_lookup, WEB_FORM_MAX},
        {"GET", "/lookup/results/{file}", get_lookup_result, WEB_FORM_MAX},
};
const size_t web_public_nroutes = sizeof web_public_routes / sizeof web_public_routes[0];
