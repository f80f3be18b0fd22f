/*
 * api_catalog: the public catalogue of reference data, without login.
 *
 *   GET /api/v1/procedures?q=&sector=&agency=&level=&limit=&offset=
 *   GET /api/v1/procedures/{code}     with its components and steps
 *   GET /api/v1/communes?q=&kind=&limit=&offset=
 *   GET /api/v1/branches?q=&kind=&commune=&parent=&limit=&offset=
 *                                     units that receive dossiers (the centre's
 *                                     branches and points, commune committees)
 *   GET /api/v1/agencies?q=&kind=&commune=&parent=&limit=&offset=
 *                                     units that decide (departments, communes, police)
 *
 * Every list answers {"items":[...],"total":N,"limit":L,"offset":O}. Text
 * searches (q, sector) are folded (base/fold.h), so "giay phep xay dung"
 * finds "Cấp giấy phép xây dựng ...": q matches the start of a word of the
 * name (and may run on into the next words), or the start of the code.
 * Reads are one DB_TXN_READ transaction each over db/db_catalog_query.h.
 */
#include <string.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "service/catalog.h"

/* Folds a query parameter into out (an arena copy). Returns 0 or -1 after answering 400. */
static int fold_param(struct http_request *req, struct http_response *res, const char *name,
                      const char **out)
{
	const char *raw;
	*out = NULL;
	if (api_query_text(req, res, name, API_QUERY_TEXT_MAX, &raw) != 0)
		return -1;
	if (!raw)
		return 0;
	struct buf b = BUF_INIT(API_QUERY_TEXT_MAX + 1);
	struct err e;
	err_clear(&e);
	if (fold_text(raw, strlen(raw), &b, &e) != ERR_OK) {
		buf_release(&b);
		http_response_error(res, ERR_INVALID_ARGUMENT, "query parameter '%s': %s", name,
		                    e.detail);
		return -1;
	}
	*out = http_request_strdup(req, buf_str(&b));
	buf_release(&b);
	if (!*out) {
		http_response_error(res, ERR_NO_MEMORY, NULL);
		return -1;
	}
	return 0;
}

/* A code parameter: printable ASCII without spaces, at most API_CODE_MAX bytes. */
static int code_param(struct http_request *req, struct http_response *res, const char *name,
                      const char **out)
{
	if (api_query_text(req, res, name, API_CODE_MAX, out) != 0)
		return -1;
	for (const unsigned char *p = (const unsigned char *)(*out ? *out : ""); *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f) {
			http_response_error(res, ERR_INVALID_ARGUMENT, "invalid %s '%.64s'", name,
			                    *out);
			return -1;
		}
	}
	return 0;
}

/* The raw q when it could be a code (printable ASCII without spaces), else NULL. */
static int code_like_q(struct http_request *req, struct http_response *res, const char **out)
{
	if (api_query_text(req, res, "q", API_QUERY_TEXT_MAX, out) != 0)
		return -1;
	if (*out && strlen(*out) > API_CODE_MAX)
		*out = NULL;
	for (const unsigned char *p = (const unsigned char *)(*out ? *out : ""); *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f) {
			*out = NULL;
			break;
		}
	}
	return 0;
}

/* One of a list of words, or absent. */
static int choice_param(struct http_request *req, struct http_response *res, const char *name,
                        const char *const *choices, const char **out)
{
	if (api_query_text(req, res, name, API_CODE_MAX, out) != 0)
		return -1;
	if (!*out)
		return 0;
	for (const char *const *c = choices; *c; c++)
		if (str_eq(*c, *out))
			return 0;
	http_response_error(res, ERR_INVALID_ARGUMENT, "unknown %s '%.64s'", name, *out);
	return -1;
}

static json_t *degrees(int64_t e6)
{
	return json_real((double)e6 / 1e6);
}

/* ---- procedures ---- */

static json_t *procedure_json(const struct dbq_procedure *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name_vi", http_json_text(p->name_vi));
	json_object_set_new(o, "name_en", http_json_text(p->name_en));
	json_object_set_new(o, "sector", http_json_text(p->sector));
	json_object_set_new(o, "level", json_string(p->level));
	json_object_set_new(o, "competent_kind", json_string(p->competent_kind));
	json_object_set_new(o, "competent_unit", api_text(p->competent_unit));
	json_object_set_new(o, "route_by", json_string(p->route_by));
	json_object_set_new(o, "legal_days", api_int(p->legal_days));
	json_object_set_new(o, "legal_hours", api_int(p->legal_hours));
	json_object_set_new(o, "fee_vnd", json_integer(p->fee_vnd));
	json_object_set_new(o, "online", json_string(p->online));
	json_object_set_new(o, "boundary_free", json_boolean(p->boundary_free));
	if (p->cutoff_sec == DBQ_NONE) {
		json_object_set_new(o, "cutoff", json_null());
	} else {
		char hhmm[8];
		int m = (int)(p->cutoff_sec / 60);
		snprintf(hhmm, sizeof hhmm, "%02d:%02d", (m / 60) % 100, m % 60);
		json_object_set_new(o, "cutoff", json_string(hhmm));
	}
	json_object_set_new(o, "supplement_rule", json_string(p->supplement_rule));
	json_object_set_new(o, "max_supplements", json_integer(p->max_supplements));
	json_object_set_new(o, "max_extensions", json_integer(p->max_extensions));
	json_object_set_new(o, "needs_signoff", json_boolean(p->needs_signoff));
	return o;
}

struct proc_list {
	struct dbq_procedure_filter f;
	int64_t limit, offset, total;
	json_t *items;
};

static int add_procedure(void *ctx, const struct dbq_procedure *row)
{
	struct proc_list *x = ctx;
	return json_array_append_new(x->items, procedure_json(row));
}

static void clear_procedures(void *ctx)
{
	json_array_clear(((struct proc_list *)ctx)->items);
}

static const char *const levels[] = {"city", "commune", "police", NULL};

static void get_procedures(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	struct proc_list x;
	memset(&x, 0, sizeof x);
	const char *raw_q;
	if (api_page(req, res, &x.limit, &x.offset) || fold_param(req, res, "q", &x.f.q_folded) ||
	    code_like_q(req, res, &raw_q) || fold_param(req, res, "sector", &x.f.sector_folded) ||
	    code_param(req, res, "agency", &x.f.agency) ||
	    choice_param(req, res, "level", levels, &x.f.level))
		return;
	x.f.code_prefix = raw_q;
	x.items = json_array();
	struct err e;
	err_clear(&e);
	if (catalog_procedures(api->svc, &x.f, x.limit, x.offset, &x.total, clear_procedures,
	                       add_procedure, &x, &e) != ERR_OK) {
		json_decref(x.items);
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 200, api_list(x.items, x.total, x.limit, x.offset));
}

struct proc_one {
	const char *code;
	json_t *out;
};

static int keep_procedure(void *ctx, const struct dbq_procedure *row)
{
	struct proc_one *x = ctx;
	json_decref(x->out);
	x->out = procedure_json(row);
	json_object_set_new(x->out, "source", api_text(row->source));
	return 0;
}

/* The components and steps of a procedure as JSON, added to o. */
static void add_parts(json_t *o, const struct catalog_procedure_parts *parts)
{
	json_t *ca = json_array();
	for (size_t i = 0; i < parts->components.count; i++) {
		const struct db_procedure_component *k = &parts->components.items[i];
		json_t *c = json_object();
		json_object_set_new(c, "seq", json_integer(k->seq));
		json_object_set_new(c, "name_vi", http_json_text(k->name_vi));
		json_object_set_new(c, "required", json_boolean(k->required));
		json_object_set_new(c, "population_replaces", json_boolean(k->population_replaces));
		json_array_append_new(ca, c);
	}
	json_object_set_new(o, "components", ca);
	json_t *sa = json_array();
	for (size_t i = 0; i < parts->steps.count; i++) {
		const struct db_procedure_step *st = &parts->steps.items[i];
		json_t *c = json_object();
		json_object_set_new(c, "seq", json_integer(st->seq));
		json_object_set_new(c, "name_vi", http_json_text(st->name_vi));
		json_object_set_new(c, "name_en", http_json_text(st->name_en));
		json_object_set_new(c, "share_pct", json_integer(st->share_pct));
		json_object_set_new(c, "role", json_string(st->role));
		json_array_append_new(sa, c);
	}
	json_object_set_new(o, "steps", sa);
}

static void get_procedure(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	struct proc_one x = {.code = http_request_param(req, "code"), .out = NULL};
	struct err e;
	err_clear(&e);
	if (strlen(x.code) > API_CODE_MAX) {
		http_response_error(res, ERR_NOT_FOUND, "no procedure with such a long code");
		return;
	}
	struct catalog_procedure_parts parts;
	if (catalog_procedure(api->svc, x.code, NULL, keep_procedure, &x, &parts, &e) != ERR_OK) {
		json_decref(x.out);
		http_response_err(res, &e);
		return;
	}
	add_parts(x.out, &parts);
	catalog_procedure_release(&parts);
	http_response_json(res, 200, x.out);
}

/* ---- communes ---- */

struct commune_list {
	struct dbq_commune_filter f;
	int64_t limit, offset, total;
	json_t *items;
};

static int add_commune(void *ctx, const struct dbq_commune *m)
{
	struct commune_list *x = ctx;
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(m->code));
	json_object_set_new(o, "name_vi", http_json_text(m->name_vi));
	json_object_set_new(o, "kind", json_string(m->kind));
	json_object_set_new(o, "committee", json_sprintf("UBND-%s", m->code));
	json_object_set_new(o, "lat", degrees(m->lat_e6));
	json_object_set_new(o, "lon", degrees(m->lon_e6));
	json_object_set_new(o, "area_km2", json_real((double)m->area_m2 / 1e6));
	return json_array_append_new(x->items, o);
}

static void clear_communes(void *ctx)
{
	json_array_clear(((struct commune_list *)ctx)->items);
}

static const char *const commune_kinds[] = {"ward", "commune", NULL};

static void get_communes(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	struct commune_list x;
	memset(&x, 0, sizeof x);
	if (api_page(req, res, &x.limit, &x.offset) || fold_param(req, res, "q", &x.f.q_folded) ||
	    code_like_q(req, res, &x.f.code) ||
	    choice_param(req, res, "kind", commune_kinds, &x.f.kind))
		return;
	x.items = json_array();
	struct err e;
	err_clear(&e);
	if (catalog_communes(api->svc, &x.f, x.limit, x.offset, &x.total, clear_communes,
	                     add_commune, &x, &e) != ERR_OK) {
		json_decref(x.items);
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 200, api_list(x.items, x.total, x.limit, x.offset));
}

/* ---- units ---- */

struct unit_list {
	struct dbq_unit_filter f;
	int64_t limit, offset, total;
	json_t *items;
};

static int add_unit(void *ctx, const struct dbq_unit *u)
{
	struct unit_list *x = ctx;
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(u->code));
	json_object_set_new(o, "kind", json_string(u->kind));
	json_object_set_new(o, "identifier", api_text(u->identifier));
	json_object_set_new(o, "name_vi", http_json_text(u->name_vi));
	json_object_set_new(o, "name_en", http_json_text(u->name_en));
	json_object_set_new(o, "parent", api_text(u->parent_code));
	json_object_set_new(o, "commune", api_text(u->commune_code));
	json_object_set_new(o, "address", api_text(u->address));
	json_object_set_new(o, "lat", u->has_coords ? degrees(u->lat_e6) : json_null());
	json_object_set_new(o, "lon", u->has_coords ? degrees(u->lon_e6) : json_null());
	json_object_set_new(o, "opening_hours", api_text(u->opening_hours));
	json_object_set_new(o, "serves", api_text(u->serves));
	json_object_set_new(o, "receives", json_boolean(u->receives));
	return json_array_append_new(x->items, o);
}

static void clear_units(void *ctx)
{
	json_array_clear(((struct unit_list *)ctx)->items);
}

static const char *const branch_kinds[] = {"centre", "branch", "point", "commune_committee", NULL};
static const char *const agency_kinds[] = {
        "city_committee",    "office",         "department", "police",
        "commune_committee", "commune_police", NULL};

static void get_units(struct http_request *req, struct http_response *res, struct api *api,
                      enum dbq_unit_class cls, const char *const *kinds)
{
	struct unit_list x;
	memset(&x, 0, sizeof x);
	x.f.cls = cls;
	if (api_page(req, res, &x.limit, &x.offset) || fold_param(req, res, "q", &x.f.q_folded) ||
	    code_like_q(req, res, &x.f.code) || choice_param(req, res, "kind", kinds, &x.f.kind) ||
	    code_param(req, res, "commune", &x.f.commune) ||
	    code_param(req, res, "parent", &x.f.parent))
		return;
	x.items = json_array();
	struct err e;
	err_clear(&e);
	if (catalog_units(api->svc, &x.f, x.limit, x.offset, &x.total, clear_units, add_unit, &x,
	                  &e) != ERR_OK) {
		json_decref(x.items);
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 200, api_list(x.items, x.total, x.limit, x.offset));
}

static void get_branches(struct http_request *req, struct http_response *res, void *ctx)
{
	get_units(req, res, ctx, DBQ_UNITS_RECEIVING, branch_kinds);
}

static void get_agencies(struct http_request *req, struct http_response *res, void *ctx)
{
	get_units(req, res, ctx, DBQ_UNITS_AGENCY, agency_kinds);
}

const struct http_route api_catalog_routes[] = {
        {"GET", API_PREFIX "/procedures", get_procedures, 0},
        {"GET", API_PREFIX "/procedures/{code}", get_procedure, 0},
        {"GET", API_PREFIX "/communes", get_communes, 0},
        {"GET", API_PREFIX "/branches", get_branches, 0},
        {"GET", API_PREFIX "/agencies", get_agencies, 0},
};
const size_t api_catalog_nroutes = sizeof api_catalog_routes / sizeof api_catalog_routes[0];
