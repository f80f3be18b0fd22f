/*
 * api_worklists: what staff have to do.
 *
 *   GET /api/v1/worklists/{kind}?state=&due_within_hours=&overdue=&all_branches=
 *                                &limit=&offset=
 *
 * kinds (service/worklist.h): agency (specialists and approvers: open
 * dossiers of their agency or commune), mine (the dossiers they hold),
 * collection (officers: results on their way to or waiting at their
 * branch), online or acceptance (officers: online filings waiting for
 * acceptance), received or branch (officers: open dossiers their branch
 * received), city (leaders, supervisors, admins). Items are sorted by
 * remaining working time, the most urgent first. Reads are audited.
 */
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "service/worklist.h"

json_t *api_worklist_item_json(const struct worklist_item *it)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(it->id));
	json_object_set_new(o, "code", api_text(it->code));
	json_object_set_new(o, "procedure", json_string(it->procedure_code));
	json_object_set_new(o, "state", json_string(it->state));
	json_object_set_new(o, "portal_code", json_integer(it->portal_code));
	json_object_set_new(o, "version", json_integer(it->version));
	json_object_set_new(o, "applicant_name", http_json_text(it->applicant_name));
	json_object_set_new(o, "receiving_unit", api_text(it->receiving_unit));
	json_object_set_new(o, "competent_unit", api_text(it->competent_unit));
	json_object_set_new(o, "collection_unit", api_text(it->collection_unit));
	json_object_set_new(o, "holder_account", api_text(it->holder_account));
	json_object_set_new(o, "submitted_at", api_time(it->submitted_at));
	json_object_set_new(o, "received_at", api_time(it->received_at));
	json_object_set_new(o, "due_at", api_time(it->due_at));
	json_object_set_new(o, "remaining_seconds",
	                    it->has_remaining ? json_integer(it->remaining) : json_null());
	json_object_set_new(o, "paused", json_boolean(it->paused));
	json_object_set_new(o, "overdue", json_boolean(it->overdue));
	json_object_set_new(o, "step", it->step_seq > 0 ? json_integer(it->step_seq) : json_null());
	json_object_set_new(o, "step_due_at", api_time(it->step_due_at));
	return o;
}

/* The API's names of the lists: the service's, plus two aliases of the brief. */
static const struct {
	const char *name;
	enum worklist_kind kind;
} kinds[] = {
        {"agency", WORKLIST_AGENCY},         {"mine", WORKLIST_MINE},
        {"collection", WORKLIST_COLLECTION}, {"online", WORKLIST_ONLINE},
        {"acceptance", WORKLIST_ONLINE},     {"received", WORKLIST_RECEIVED},
        {"branch", WORKLIST_RECEIVED},       {"city", WORKLIST_CITY},
};

static void get_worklist(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	const char *name = http_request_param(req, "kind");
	size_t i;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (str_eq(kinds[i].name, name))
			break;
	if (i == sizeof kinds / sizeof kinds[0]) {
		http_response_error(res, ERR_NOT_FOUND, "no work list '%.40s'", name);
		return;
	}
	struct worklist_query q;
	worklist_query_init(&q, kinds[i].kind);
	struct err e;
	err_clear(&e);
	int64_t due = -1;
	if (api_page(req, res, &q.limit, &q.offset) ||
	    api_query_text(req, res, "state", API_CODE_MAX, &q.state) ||
	    api_query_bool(req, res, "overdue", false, &q.overdue) ||
	    api_query_bool(req, res, "all_branches", false, &q.all_branches))
		return;
	if (http_request_query_int(req, "due_within_hours", 0, API_DUE_HOURS_MAX, -1, &due, &e) !=
	    ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	q.due_within_hours = due;
	struct worklist w;
	if (worklist_get(api->svc, actor, &q, &w, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t k = 0; k < w.count; k++)
		json_array_append_new(items, api_worklist_item_json(&w.items[k]));
	json_t *o = api_list(items, w.total, q.limit, q.offset);
	json_object_set_new(o, "kind", json_string(worklist_kind_name(q.kind)));
	json_object_set_new(o, "truncated", json_boolean(w.truncated));
	worklist_free(&w);
	http_response_json(res, 200, o);
}

const struct http_route api_worklist_routes[] = {
        {"GET", API_PREFIX "/worklists/{kind}", get_worklist, API_SMALL_BODY_MAX},
};
const size_t api_worklist_nroutes = sizeof api_worklist_routes / sizeof api_worklist_routes[0];
