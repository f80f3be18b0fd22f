/*
 * api_dossiers: dossiers over HTTP.
 *
 *   POST /api/v1/dossiers               a new dossier: counter intake by an officer (or a
 *                                       refusal at reception with "refusal_reason"), online
 *                                       filing by a citizen or business
 *   GET  /api/v1/dossiers?code=&name=&id_number=&phone=&limit=&offset=
 *                                       staff search within the caller's scope (audited)
 *   GET  /api/v1/dossiers/{id}          one dossier ({id}: internal id or code) with the
 *                                       actions the caller may perform now
 *   GET  /api/v1/dossiers/{id}/events   the process control form
 *   POST /api/v1/dossiers/{id}/{action} an action of the lifecycle (domain/lifecycle.def);
 *                                       the dossier's version in If-Match or "version"
 *
 * Responses that show one dossier carry its version as ETag ("3"); an
 * action sent with a stale version gets 409 version_conflict and changes
 * nothing. Scope, roles, states and guards are the service's
 * (service/intake.h, action.h, lookup.h, worklist.h).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/api_files.h"
#include "base/str.h"
#include "domain/lifecycle.h"
#include "service/files.h"
#include "service/lookup.h"
#include "service/worklist.h"

#define DOSSIER_SEQ_MAX 1000 /* largest component number accepted */

static void set_etag(struct http_response *res, int64_t version)
{
	char tag[32];
	snprintf(tag, sizeof tag, "\"%lld\"", (long long)version);
	http_response_header(res, "ETag", tag);
}

/* The actions actor may perform now on dossier, as a JSON array (empty on failure). */
static json_t *allowed_json(struct api *api, const struct actor *actor, const char *dossier)
{
	json_t *arr = json_array();
	struct action_allowed al;
	struct err e;
	if (action_allowed(api->svc, actor, dossier, &al, &e) != ERR_OK)
		return arr;
	for (size_t i = 0; i < al.count; i++)
		json_array_append_new(arr, json_string(lifecycle_action_name(al.actions[i])));
	return arr;
}

/*
 * The start of reading the array field name: arr absent or null holds no
 * items (*items NULL, *n 0); otherwise it must be an array of at most max
 * items, and *items gets room for them, item_size each (request arena
 * memory). Returns 0, or -1 after answering.
 */
static int array_alloc(struct http_request *req, struct http_response *res, json_t *arr,
                       const char *name, int max, size_t item_size, void **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		http_response_error(res, ERR_JSON_FIELD_TYPE, "'%s' must be an array", name);
		return -1;
	}
	size_t count = json_array_size(arr);
	if (count > (size_t)max) {
		http_response_error(res, ERR_JSON_FIELD_RANGE, "'%s' holds more than %d items",
		                    name, max);
		return -1;
	}
	*items = http_request_alloc(req, (count ? count : 1) * item_size);
	if (!*items) {
		http_response_error(res, ERR_NO_MEMORY, NULL);
		return -1;
	}
	*n = count;
	return 0;
}

/* Checks component number seq of components[i]. Returns 0, or -1 after answering. */
static int component_seq_check(struct http_response *res, json_int_t seq, size_t i)
{
	if (seq < 1 || seq > DOSSIER_SEQ_MAX) {
		http_response_error(res, ERR_JSON_FIELD_RANGE,
		                    "'components[%zu]' is not between 1 and %d", i,
		                    DOSSIER_SEQ_MAX);
		return -1;
	}
	return 0;
}

/* ---- creation ---- */

static const char *const applicant_kinds[] = {"person", "organisation", NULL};

/* Reads the co_applicants array into r (arena memory). Returns 0 or -1 after answering. */
static int read_co_applicants(struct http_request *req, struct http_response *res, json_t *arr,
                              struct intake_request *r)
{
	void *items;
	size_t n;
	if (array_alloc(req, res, arr, "co_applicants", API_MAX_CO_APPLICANTS,
	                sizeof(struct intake_person), &items, &n))
		return -1;
	if (!items)
		return 0;
	struct intake_person *p = items;
	for (size_t i = 0; i < n; i++) {
		p[i].birth_day = INTAKE_NO_DAY;
		const struct jspec spec[] = {
		        JSPEC_STRING("full_name", &p[i].full_name, API_NAME_MAX, JSPEC_NONEMPTY),
		        JSPEC_STRING("id_number", &p[i].id_number, 32, JSPEC_NONEMPTY),
		        JSPEC_DATE("birth_date", &p[i].birth_day, JSPEC_OPTIONAL | JSPEC_NULLABLE),
		        JSPEC_END,
		};
		json_t *item = json_array_get(arr, i);
		struct err e;
		err_clear(&e);
		if (!json_is_object(item)) {
			http_response_error(res, ERR_JSON_FIELD_TYPE,
			                    "'co_applicants[%zu]' must be an object", i);
			return -1;
		}
		if (jspec_parse(item, spec, &e) != ERR_OK) {
			http_response_error(res, e.code, "co_applicants[%zu]: %s", i, e.detail);
			return -1;
		}
	}
	r->co_applicants = p;
	r->n_co_applicants = n;
	return 0;
}

/* Reads the components array (numbers, or {"seq","original_kept"} objects) into r. */
static int read_components(struct http_request *req, struct http_response *res, json_t *arr,
                           struct intake_request *r)
{
	void *items;
	size_t n;
	if (array_alloc(req, res, arr, "components", API_MAX_COMPONENTS,
	                sizeof(struct intake_component), &items, &n))
		return -1;
	if (!items)
		return 0;
	struct intake_component *k = items;
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(arr, i);
		int64_t seq = 0;
		bool kept = false;
		if (json_is_integer(item)) {
			seq = json_integer_value(item);
			if (component_seq_check(res, seq, i) != 0)
				return -1;
		} else if (json_is_object(item)) {
			const struct jspec spec[] = {
			        JSPEC_INT64("seq", &seq, 1, DOSSIER_SEQ_MAX, 0),
			        JSPEC_BOOL("original_kept", &kept, JSPEC_OPTIONAL),
			        JSPEC_END,
			};
			struct err e;
			err_clear(&e);
			if (jspec_parse(item, spec, &e) != ERR_OK) {
				http_response_error(res, e.code, "components[%zu]: %s", i,
				                    e.detail);
				return -1;
			}
		} else {
			http_response_error(res, ERR_JSON_FIELD_TYPE,
			                    "'components[%zu]' must be a number or an object", i);
			return -1;
		}
		k[i].seq = (int)seq;
		k[i].original_kept = kept;
	}
	r->components = k;
	r->n_components = n;
	return 0;
}

static json_t *intake_json(const struct intake_result *x)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(x->id));
	json_object_set_new(o, "code", api_text(x->code));
	json_object_set_new(o, "state", json_string(x->state));
	json_object_set_new(o, "portal_code", json_integer(x->portal_code));
	json_object_set_new(o, "version", json_integer(x->version));
	json_object_set_new(o, "received_at", api_time(x->received_at));
	json_object_set_new(o, "due_at", api_time(x->due_at));
	json_object_set_new(o, "receiving_unit", api_text(x->receiving_unit));
	json_object_set_new(o, "competent_unit", api_text(x->competent_unit));
	json_object_set_new(o, "competent_chosen", json_boolean(x->competent_chosen));
	json_object_set_new(o, "collection_unit", api_text(x->collection_unit));
	json_object_set_new(o, "population_verified", json_boolean(x->population_verified));
	json_object_set_new(o, "residence_commune", api_text(x->residence_commune));
	if (x->step_seq == DB_NONE || x->step_seq < 1) {
		json_object_set_new(o, "step", json_null());
	} else {
		json_t *s = json_object();
		json_object_set_new(s, "seq", json_integer(x->step_seq));
		json_object_set_new(s, "due_at", api_time(x->step_due_at));
		json_object_set_new(o, "step", s);
	}
	return o;
}

/* An error that may say where to file a procedure that is not boundary-free. */
static void fail_refer(struct http_response *res, const struct err *e, const char *refer_unit,
                       const char *refer_name)
{
	if (e->code != ERR_GUARD_FAILED || str_empty(refer_unit)) {
		http_response_err(res, e);
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "message", http_json_text(e->detail));
	json_object_set_new(d, "refer_unit", http_json_text(refer_unit));
	json_object_set_new(d, "refer_name", api_text(refer_name));
	http_response_error_json(res, e->code, d);
}

static void post_dossier(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	struct intake_request r;
	intake_request_init(&r);
	int akind = 0;
	json_t *co = NULL, *comps = NULL;
	const char *refusal = NULL;
	const struct jspec applicant[] = {
	        JSPEC_ENUM("kind", &akind, applicant_kinds, JSPEC_OPTIONAL),
	        JSPEC_STRING("full_name", &r.applicant_name, API_NAME_MAX, JSPEC_NONEMPTY),
	        JSPEC_STRING("id_number", &r.id_number, 32, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("tax_code", &r.tax_code, 32, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_DATE("birth_date", &r.birth_day, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("phone", &r.phone, 32, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("email", &r.email, API_NAME_MAX, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_STRING("address", &r.address, API_TEXT_MAX, JSPEC_OPTIONAL | JSPEC_NULLABLE),
	        JSPEC_END,
	};
	const struct jspec representative[] = {
	        JSPEC_STRING("full_name", &r.representative_name, API_NAME_MAX, JSPEC_NONEMPTY),
	        JSPEC_STRING("id_number", &r.representative_id_number, 32, JSPEC_NONEMPTY),
	        JSPEC_STRING("authorisation_doc", &r.authorisation_doc, API_TEXT_MAX,
	                     JSPEC_NONEMPTY),
	        JSPEC_END,
	};
	const unsigned opt = JSPEC_OPTIONAL | JSPEC_NULLABLE;
	const struct jspec spec[] = {
	        JSPEC_STRING("procedure", &r.procedure_code, API_CODE_MAX, JSPEC_NONEMPTY),
	        JSPEC_OBJECT("applicant", applicant, 0),
	        JSPEC_STRING("residence_commune", &r.residence_commune, API_CODE_MAX, opt),
	        JSPEC_STRING("property_commune", &r.property_commune, API_CODE_MAX, opt),
	        JSPEC_JSON("co_applicants", &co, opt),
	        JSPEC_OBJECT("representative", representative, opt),
	        JSPEC_JSON("components", &comps, opt),
	        JSPEC_STRING("competent_unit", &r.competent_unit, API_CODE_MAX, opt),
	        JSPEC_STRING("collection_unit", &r.collection_unit, API_CODE_MAX, opt),
	        JSPEC_BOOL("by_post", &r.by_post, opt),
	        JSPEC_STRING("post_address", &r.post_address, API_TEXT_MAX, opt),
	        JSPEC_BOOL("received_by_post", &r.received_by_post, opt),
	        JSPEC_STRING("owner_account", &r.owner_account, API_CODE_MAX, opt),
	        JSPEC_STRING("note", &r.note, API_NOTE_MAX, opt),
	        JSPEC_STRING("refusal_reason", &refusal, API_NOTE_MAX, opt | JSPEC_NONEMPTY),
	        JSPEC_END,
	};
	json_t *root;
	if (api_parse_body(req, res, spec, false, &root) != 0)
		return;
	r.applicant_kind = akind == 1 ? INTAKE_ORGANISATION : INTAKE_PERSON;
	if (read_co_applicants(req, res, co, &r) || read_components(req, res, comps, &r))
		goto out;

	struct intake_result x;
	struct err e;
	err_clear(&e);
	enum err_code rc;
	if (actor->kind == ACTOR_CITIZEN || actor->kind == ACTOR_BUSINESS) {
		if (refusal) {
			http_response_error(res, ERR_FORBIDDEN,
			                    "only an officer refuses a dossier at reception");
			goto out;
		}
		rc = intake_submit(api->svc, actor, &r, &x, &e);
	} else if (refusal) {
		rc = intake_refuse(api->svc, actor, &r, refusal, &x, &e);
	} else {
		rc = intake_receive(api->svc, actor, &r, &x, &e);
	}
	if (rc != ERR_OK) {
		fail_refer(res, &e, x.refer_unit, x.refer_name);
		goto out;
	}
	json_t *o = intake_json(&x);
	json_object_set_new(o, "actions", allowed_json(api, actor, x.id));
	char where[DBD_ID_SIZE + 32];
	snprintf(where, sizeof where, API_PREFIX "/dossiers/%s", x.id);
	http_response_header(res, "Location", where);
	set_etag(res, x.version);
	http_response_json(res, 201, o);
out:
	jspec_free(spec);
	json_decref(root);
}

/* ---- reading ---- */

static json_t *event_json(const struct db_dossier_event *ev, bool show_staff)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(ev->version));
	json_object_set_new(o, "at", api_time(ev->at));
	json_object_set_new(o, "action", json_string(ev->action));
	json_object_set_new(o, "from_state", api_text(ev->from_state));
	json_object_set_new(o, "to_state", api_text(ev->to_state));
	json_object_set_new(o, "actor_unit", api_text(ev->actor_unit));
	json_object_set_new(o, "actor_account",
	                    show_staff ? api_text(ev->actor_account) : json_null());
	json_object_set_new(o, "to_unit", api_text(ev->to_unit));
	json_object_set_new(o, "to_account", show_staff ? api_text(ev->to_account) : json_null());
	json_object_set_new(o, "step", api_int(ev->step_seq));
	json_object_set_new(o, "step_result", api_text(ev->step_result));
	json_object_set_new(o, "due_at", api_time(ev->due_at));
	json_object_set_new(o, "note", api_text(ev->note));
	return o;
}

static bool shows_staff(const struct actor *a)
{
	return a->kind == ACTOR_STAFF || a->kind == ACTOR_SYSTEM;
}

static json_t *view_json(const struct lookup_view *v, const struct actor *actor)
{
	const struct db_dossier *d = &v->dossier;
	enum dossier_state s = STATE_NONE;
	lifecycle_state_from_name(d->state, &s);
	bool staff = shows_staff(actor);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(d->id));
	json_object_set_new(o, "code", api_text(d->code));
	json_object_set_new(o, "procedure", json_string(d->procedure_code));
	json_object_set_new(o, "state", json_string(d->state));
	json_object_set_new(o, "portal_code", json_integer(lifecycle_portal_code(s)));
	json_object_set_new(o, "outcome", api_text(d->outcome));
	json_object_set_new(o, "version", json_integer(d->version));
	json_object_set_new(o, "channel", json_string(d->channel));
	json_object_set_new(o, "received_by_post", json_boolean(d->received_by_post));
	json_object_set_new(o, "receiving_unit", api_text(d->receiving_unit));
	json_object_set_new(o, "competent_unit", api_text(d->competent_unit));
	json_object_set_new(o, "competent_chosen",
	                    json_boolean(!str_empty(d->competent_chosen_by)));
	json_object_set_new(o, "collection_unit", api_text(d->collection_unit));
	json_object_set_new(o, "by_post", json_boolean(d->by_post));
	json_object_set_new(o, "post_address", api_text(d->post_address));
	json_object_set_new(o, "holder_account", staff ? api_text(d->holder_account) : json_null());
	json_object_set_new(o, "owner_account", api_text(d->owner_account));

	json_t *a = json_object();
	json_object_set_new(a, "kind", json_string(d->applicant_kind));
	json_object_set_new(a, "full_name", http_json_text(d->applicant_name));
	json_object_set_new(a, "id_number", api_text(d->applicant_id_number));
	json_object_set_new(a, "tax_code", api_text(d->applicant_tax_code));
	json_object_set_new(a, "birth_date", api_day(d->applicant_birth_day));
	json_object_set_new(a, "phone", api_text(d->applicant_phone));
	json_object_set_new(a, "email", api_text(d->applicant_email));
	json_object_set_new(a, "address", api_text(d->applicant_address));
	json_object_set_new(a, "population_verified", json_boolean(d->population_verified));
	json_object_set_new(o, "applicant", a);
	json_object_set_new(o, "residence_commune", api_text(d->residence_commune));
	json_object_set_new(o, "property_commune", api_text(d->property_commune));

	json_t *co = json_array();
	for (size_t i = 0; i < v->applicants.count; i++) {
		const struct db_dossier_applicant *p = &v->applicants.items[i];
		json_t *x = json_object();
		json_object_set_new(x, "seq", json_integer(p->seq));
		json_object_set_new(x, "full_name", http_json_text(p->full_name));
		json_object_set_new(x, "id_number", api_text(p->id_number));
		json_object_set_new(x, "birth_date", api_day(p->birth_day));
		json_object_set_new(x, "population_verified", json_boolean(p->population_verified));
		json_array_append_new(co, x);
	}
	json_object_set_new(o, "co_applicants", co);
	if (str_empty(d->representative_name)) {
		json_object_set_new(o, "representative", json_null());
	} else {
		json_t *r = json_object();
		json_object_set_new(r, "full_name", http_json_text(d->representative_name));
		json_object_set_new(r, "id_number", api_text(d->representative_id_number));
		json_object_set_new(r, "authorisation_doc", api_text(d->authorisation_doc));
		json_object_set_new(o, "representative", r);
	}
	json_t *ks = json_array();
	for (size_t i = 0; i < v->components.count; i++) {
		const struct db_dossier_component *k = &v->components.items[i];
		json_t *x = json_object();
		json_object_set_new(x, "seq", json_integer(k->seq));
		json_object_set_new(x, "status", json_string(k->status));
		json_object_set_new(x, "original_kept", json_boolean(k->original_kept));
		json_object_set_new(x, "note", api_text(k->note));
		json_array_append_new(ks, x);
	}
	json_object_set_new(o, "components", ks);

	json_object_set_new(o, "submitted_at", api_time(d->submitted_at));
	json_object_set_new(o, "received_at", api_time(d->received_at));
	json_object_set_new(o, "due_at", api_time(d->due_at));
	json_object_set_new(o, "original_due_at", api_time(d->original_due_at));
	json_object_set_new(o, "paused_at", api_time(d->paused_at));
	json_object_set_new(o, "resolved_at", api_time(d->resolved_at));
	json_object_set_new(o, "delivered_at", api_time(d->delivered_at));
	if (d->step_seq == DB_NONE || d->step_seq < 1) {
		json_object_set_new(o, "step", json_null());
	} else {
		json_t *st = json_object();
		json_object_set_new(st, "seq", json_integer(d->step_seq));
		json_object_set_new(st, "started_at", api_time(d->step_started_at));
		json_object_set_new(st, "due_at", api_time(d->step_due_at));
		json_object_set_new(o, "step", st);
	}
	json_object_set_new(o, "supplements_used", json_integer(d->supplements_used));
	json_object_set_new(o, "extensions_used", json_integer(d->extensions_used));
	json_object_set_new(o, "fee_vnd", api_int(d->fee_vnd));
	json_object_set_new(o, "paid_at", api_time(d->paid_at));
	json_object_set_new(o, "paid_channel", api_text(d->paid_channel));
	json_object_set_new(o, "rated", json_boolean(d->rated));
	json_object_set_new(o, "custody", api_text(d->custody));
	json_object_set_new(o, "updated_at", api_time(d->updated_at));
	return o;
}

/* The {id} capture, or NULL after answering 404 when it is too long. */
static const char *dossier_param(struct http_request *req, struct http_response *res)
{
	const char *id = http_request_param(req, "id");
	if (!id || strlen(id) > API_CODE_MAX) {
		http_response_error(res, ERR_NOT_FOUND, "no such dossier");
		return NULL;
	}
	return id;
}

/*
 * The dossier of the {id} capture as the caller sees it, into *v (release it
 * with lookup_view_release()). Returns the caller, or NULL after answering.
 */
static const struct actor *view_load(struct api *api, struct http_request *req,
                                     struct http_response *res, struct lookup_view *v)
{
	const struct actor *actor = api_require_actor(req, res);
	const char *id = actor ? dossier_param(req, res) : NULL;
	if (!id)
		return NULL;
	struct err e;
	err_clear(&e);
	if (lookup_dossier(api->svc, actor, id, v, &e) != ERR_OK) {
		http_response_err(res, &e);
		return NULL;
	}
	return actor;
}

static void get_dossier(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	struct lookup_view v;
	const struct actor *actor = view_load(api, req, res, &v);
	if (!actor)
		return;
	json_t *o = view_json(&v, actor);
	json_object_set_new(o, "actions", allowed_json(api, actor, v.dossier.id));
	struct db_files_figures fig;
	struct err fe;
	err_clear(&fe);
	if (files_figures(api->svc, actor, v.dossier.id, &fig, &fe) == ERR_OK)
		json_object_set_new(o, "digitisation", api_files_figures_json(&fig));
	set_etag(res, v.dossier.version);
	lookup_view_release(&v);
	http_response_json(res, 200, o);
}

static void get_events(struct http_request *req, struct http_response *res, void *ctx)
{
	struct lookup_view v;
	const struct actor *actor = view_load(ctx, req, res, &v);
	if (!actor)
		return;
	json_t *items = json_array();
	for (size_t i = 0; i < v.events.count; i++)
		json_array_append_new(items, event_json(&v.events.items[i], shows_staff(actor)));
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(v.dossier.id));
	json_object_set_new(o, "code", api_text(v.dossier.code));
	json_object_set_new(o, "version", json_integer(v.dossier.version));
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "total", json_integer((json_int_t)v.events.count));
	set_etag(res, v.dossier.version);
	lookup_view_release(&v);
	http_response_json(res, 200, o);
}

static void get_dossiers(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	struct worklist_search q;
	memset(&q, 0, sizeof q);
	if (!actor || api_page(req, res, &q.limit, &q.offset) ||
	    api_query_text(req, res, "code", API_CODE_MAX, &q.code) ||
	    api_query_text(req, res, "name", API_QUERY_TEXT_MAX, &q.name) ||
	    api_query_text(req, res, "id_number", 32, &q.id_number) ||
	    api_query_text(req, res, "phone", 32, &q.phone))
		return;
	struct worklist w;
	struct err e;
	err_clear(&e);
	if (worklist_search(api->svc, actor, &q, &w, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < w.count; i++)
		json_array_append_new(items, api_worklist_item_json(&w.items[i]));
	json_t *o = api_list(items, w.total, q.limit, q.offset);
	worklist_free(&w);
	http_response_json(res, 200, o);
}

/* ---- actions ---- */

/*
 * The version in If-Match: "N", W/"N" or N. *out = 0 when the header is
 * absent. Returns 0, or -1 after answering 400.
 */
static int if_match_version(struct http_request *req, struct http_response *res, int64_t *out)
{
	*out = 0;
	const char *h = http_request_header(req, "If-Match");
	if (!h)
		return 0;
	char v[32];
	const char *p = h;
	while (*p == ' ')
		p++;
	if (strncmp(p, "W/", 2) == 0)
		p += 2;
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	if (n > 0 && n < sizeof v) {
		memcpy(v, p, n);
		v[n] = '\0';
		if (str_parse_int64(v, 1, INT64_MAX, out) == 0)
			return 0;
	}
	http_response_error(res, ERR_INVALID_ARGUMENT,
	                    "If-Match must hold the dossier's version, e.g. \"3\"");
	return -1;
}

/* The components of an action: an array of component numbers. */
static int action_components(struct http_request *req, struct http_response *res, json_t *arr,
                             struct action_params *p)
{
	void *items;
	size_t n;
	if (array_alloc(req, res, arr, "components", API_MAX_COMPONENTS, sizeof(int), &items, &n))
		return -1;
	if (!items)
		return 0;
	int *k = items;
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(arr, i);
		if (!json_is_integer(item)) {
			http_response_error(res, ERR_JSON_FIELD_TYPE,
			                    "'components[%zu]' must be an integer", i);
			return -1;
		}
		json_int_t v = json_integer_value(item);
		if (component_seq_check(res, v, i) != 0)
			return -1;
		k[i] = (int)v;
	}
	p->components = k;
	p->n_components = n;
	return 0;
}

static json_t *action_json(const struct action_result *x, const char *action)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(x->id));
	json_object_set_new(o, "code", api_text(x->code));
	json_object_set_new(o, "action", json_string(action));
	json_object_set_new(o, "from_state", json_string(x->from_state));
	json_object_set_new(o, "state", json_string(x->state));
	json_object_set_new(o, "portal_code", json_integer(x->portal_code));
	json_object_set_new(o, "version", json_integer(x->version));
	json_object_set_new(o, "received_at", api_time(x->received_at));
	json_object_set_new(o, "due_at", api_time(x->due_at));
	json_object_set_new(o, "original_due_at", api_time(x->original_due_at));
	json_object_set_new(o, "step_result", api_text(x->step_result));
	json_object_set_new(o, "form", api_text(x->form));
	return o;
}

static void post_action(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	const char *id = actor ? dossier_param(req, res) : NULL;
	if (!id)
		return;
	const char *action = http_request_param(req, "action");
	int64_t header_version, body_version = 0;
	if (if_match_version(req, res, &header_version) != 0)
		return;
	struct action_params p;
	action_params_init(&p);
	json_t *comps = NULL;
	const unsigned opt = JSPEC_OPTIONAL | JSPEC_NULLABLE;
	const struct jspec spec[] = {
	        JSPEC_INT64("version", &body_version, 1, INT64_MAX, opt),
	        JSPEC_STRING("note", &p.note, API_NOTE_MAX, opt),
	        JSPEC_DATETIME("new_due", &p.new_due, opt),
	        JSPEC_STRING("to_unit", &p.to_unit, API_CODE_MAX, opt),
	        JSPEC_STRING("to_account", &p.to_account, API_CODE_MAX, opt),
	        JSPEC_STRING("competent_unit", &p.competent_unit, API_CODE_MAX, opt),
	        JSPEC_INT64("fee_vnd", &p.fee_vnd, 1, API_FEE_MAX, opt),
	        JSPEC_STRING("payment_channel", &p.payment_channel, 16, opt),
	        JSPEC_STRING("collector_id_number", &p.collector_id_number, 32, opt),
	        JSPEC_STRING("rating", &p.rating, 32, opt),
	        JSPEC_STRING("comment", &p.comment, API_NOTE_MAX, opt),
	        JSPEC_STRING("complaint", &p.complaint, API_NOTE_MAX, opt),
	        JSPEC_JSON("components", &comps, opt),
	        JSPEC_BOOL("by_post", &p.by_post, opt),
	        JSPEC_STRING("post_address", &p.post_address, API_TEXT_MAX, opt),
	        JSPEC_STRING("custody", &p.custody, 16, opt),
	        JSPEC_END,
	};
	json_t *root;
	if (api_parse_body(req, res, spec, true, &root) != 0)
		return;
	if (action_components(req, res, comps, &p) != 0)
		goto out;
	if (header_version && body_version && header_version != body_version) {
		http_response_error(res, ERR_INVALID_ARGUMENT,
		                    "If-Match (%lld) and 'version' (%lld) differ",
		                    (long long)header_version, (long long)body_version);
		goto out;
	}
	int64_t version = header_version ? header_version : body_version;
	struct action_result x;
	struct err e;
	err_clear(&e);
	if (action_perform(api->svc, actor, id, action, version, &p, &x, &e) != ERR_OK) {
		fail_refer(res, &e, x.refer_unit, NULL);
		goto out;
	}
	json_t *o = action_json(&x, action);
	json_object_set_new(o, "actions", allowed_json(api, actor, x.id));
	set_etag(res, x.version);
	http_response_json(res, 200, o);
out:
	jspec_free(spec);
	json_decref(root);
}

const struct http_route api_dossier_routes[] = {
        {"POST", API_PREFIX "/dossiers", post_dossier, API_BODY_MAX},
        {"GET", API_PREFIX "/dossiers", get_dossiers, API_SMALL_BODY_MAX},
        {"GET", API_PREFIX "/dossiers/{id}", get_dossier, API_SMALL_BODY_MAX},
        {"GET", API_PREFIX "/dossiers/{id}/events", get_events, API_SMALL_BODY_MAX},
        {"POST", API_PREFIX "/dossiers/{id}/{action}", post_action, API_SMALL_BODY_MAX},
};
const size_t api_dossier_nroutes = sizeof api_dossier_routes / sizeof api_dossier_routes[0];
