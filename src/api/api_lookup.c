/*
 * api_lookup: the public status look-up, without login.
 *
 *   GET /api/v1/lookup?code=DOSSIER_CODE&id_last4=DDDD
 *
 * id_last4 is the last 4 digits of the applicant's ID number or phone. The
 * answer: state, portal status code, outcome, appointment, where to collect
 * the result and the history by unit -- never a staff name, never the
 * applicant's personal data. A wrong code and a wrong secret get the same
 * 404 with the same body; an address with too many failed look-ups gets 429
 * with Retry-After (service/lookup.h decides, in the database).
 */
#include <string.h>

#include "api/api.h"
#include "service/lookup.h"

static json_t *public_json(const struct lookup_public *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(p->code));
	json_t *proc = json_object();
	json_object_set_new(proc, "code", json_string(p->procedure_code));
	json_object_set_new(proc, "name_vi", http_json_text(p->procedure_name_vi));
	json_object_set_new(proc, "name_en", http_json_text(p->procedure_name_en));
	json_object_set_new(o, "procedure", proc);
	json_object_set_new(o, "state", json_string(p->state));
	json_object_set_new(o, "portal_code", json_integer(p->portal_code));
	json_object_set_new(o, "outcome", api_text(p->outcome));
	json_object_set_new(o, "received_at", api_time(p->received_at));
	json_object_set_new(o, "due_at", api_time(p->due_at));
	json_object_set_new(o, "by_post", json_boolean(p->by_post));
	if (p->collection_unit[0]) {
		json_t *c = json_object();
		json_object_set_new(c, "unit", json_string(p->collection_unit));
		json_object_set_new(c, "name", http_json_text(p->collection_name));
		json_object_set_new(c, "address", api_text(p->collection_address));
		json_object_set_new(o, "collection", c);
	} else {
		json_object_set_new(o, "collection", json_null());
	}
	json_t *h = json_array();
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct lookup_step *s = &p->steps[i];
		json_t *x = json_object();
		json_object_set_new(x, "at", api_time(s->at));
		json_object_set_new(x, "action", json_string(s->action));
		json_object_set_new(x, "state", json_string(s->state));
		json_object_set_new(x, "portal_code", json_integer(s->portal_code));
		json_object_set_new(x, "unit", api_text(s->unit));
		json_object_set_new(x, "unit_name", api_text(s->unit_name));
		json_object_set_new(x, "step_result", api_text(s->step_result));
		json_object_set_new(x, "due_at", api_time(s->due_at));
		json_array_append_new(h, x);
	}
	json_object_set_new(o, "history", h);
	return o;
}

static void get_lookup(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const char *code = http_request_query(req, "code");
	const char *last4 = http_request_query(req, "id_last4");
	if (code && strlen(code) > API_CODE_MAX)
		code = ""; /* cannot exist: answered (and counted) as a wrong code */
	struct lookup_public p;
	struct err e;
	err_clear(&e);
	if (lookup_public(api->svc, req->client, code ? code : "", last4, &p, &e) != ERR_OK) {
		int64_t retry = p.retry_after;
		lookup_public_release(&p);
		api_fail(res, &e, retry);
		return;
	}
	json_t *o = public_json(&p);
	lookup_public_release(&p);
	http_response_json(res, 200, o);
}

const struct http_route api_lookup_routes[] = {
        {"GET", API_PREFIX "/lookup", get_lookup, API_SMALL_BODY_MAX},
};
const size_t api_lookup_nroutes = sizeof api_lookup_routes / sizeof api_lookup_routes[0];
