/*
 * worklist: work lists and staff search (see worklist.h).
 */
#include "service/worklist.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "domain/lifecycle.h"
#include "domain/worktime.h"
#include "service/audit.h"

/* str_copy() that takes NULL for "". */
static void scopy(char *dst, size_t n, const char *src)
{
	str_copy(dst, n, src ? src : "");
}

static const char *const kind_names[] = {
        [WORKLIST_AGENCY] = "agency",         [WORKLIST_MINE] = "mine",
        [WORKLIST_COLLECTION] = "collection", [WORKLIST_ONLINE] = "online",
        [WORKLIST_RECEIVED] = "received",     [WORKLIST_CITY] = "city",
};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

const char *worklist_kind_name(enum worklist_kind k)
{
	return (unsigned)k < N_KINDS ? kind_names[k] : NULL;
}

enum err_code worklist_kind_from_name(const char *name, enum worklist_kind *out, struct err *e)
{
	for (unsigned i = 0; name && i < N_KINDS; i++) {
		if (str_eq(kind_names[i], name)) {
			*out = (enum worklist_kind)i;
			return ERR_OK;
		}
	}
	return err_set(e, ERR_INVALID_ARGUMENT, "unknown work list '%.40s'", name ? name : "");
}

void worklist_query_init(struct worklist_query *q, enum worklist_kind kind)
{
	memset(q, 0, sizeof *q);
	q->kind = kind;
	q->due_within_hours = -1;
}

void worklist_free(struct worklist *w)
{
	free(w->items);
	memset(w, 0, sizeof *w);
}

/* Open states of each kind of list. */
static const char *const agency_states[] = {
        "received",     "processing", "awaiting_signoff", "supplement_requested", "fees_due",
        "result_ready", NULL};
static const char *const collection_states[] = {"result_in_transit", "result_at_branch", NULL};
static const char *const online_states[] = {"submitted", NULL};
static const char *const open_states[] = {
        "received",     "processing",        "awaiting_signoff", "supplement_requested", "fees_due",
        "result_ready", "result_in_transit", "result_at_branch", "result_posted",        NULL};

/* The staff unit's receiving flag. */
static enum err_code unit_receives(struct db_conn *c, const struct actor *a, bool *out,
                                   struct err *e)
{
	*out = false;
	if (str_empty(a->unit_code))
		return ERR_OK;
	struct db_unit_info u;
	enum err_code rc = db_dossier_unit(c, a->unit_code, &u, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		return ERR_OK;
	}
	if (rc == ERR_OK)
		*out = u.receives && u.active;
	return rc;
}

static void item_from_line(struct worklist_item *it, const struct db_dossier_line *l)
{
	memset(it, 0, sizeof *it);
	scopy(it->id, sizeof it->id, l->id);
	scopy(it->code, sizeof it->code, l->code);
	scopy(it->procedure_code, sizeof it->procedure_code, l->procedure_code);
	scopy(it->state, sizeof it->state, l->state);
	enum dossier_state s = STATE_NONE;
	lifecycle_state_from_name(l->state, &s);
	it->portal_code = lifecycle_portal_code(s);
	it->version = l->version;
	scopy(it->applicant_name, sizeof it->applicant_name, l->applicant_name);
	scopy(it->receiving_unit, sizeof it->receiving_unit, l->receiving_unit);
	scopy(it->competent_unit, sizeof it->competent_unit, l->competent_unit);
	scopy(it->collection_unit, sizeof it->collection_unit, l->collection_unit);
	scopy(it->holder_account, sizeof it->holder_account, l->holder_account);
	it->submitted_at = l->submitted_at;
	it->received_at = l->received_at;
	it->due_at = l->due_at;
	it->step_seq = l->step_seq;
	it->step_due_at = l->step_due_at;
}

/* The remaining working time and lateness of an item at now. */
static enum err_code item_clock(const struct worktime_calendar *cal, struct worklist_item *it,
                                const struct db_dossier_line *l, int64_t now, struct err *e)
{
	enum dossier_state s = STATE_NONE;
	lifecycle_state_from_name(l->state, &s);
	enum lifecycle_clock clk = lifecycle_clock_of(s);
	if (l->due_at == DB_NONE)
		return ERR_OK;
	if (clk == CLOCK_RUNNING) {
		it->has_remaining = true;
		it->overdue = now > l->due_at;
		return worktime_remaining(cal, l->due_at, now, &it->remaining, e);
	}
	if (clk == CLOCK_PAUSED && l->remaining_at_pause != DB_NONE) {
		it->has_remaining = true;
		it->paused = true;
		it->remaining = l->remaining_at_pause;
		it->overdue = l->paused_at != DB_NONE && l->paused_at > l->due_at;
	}
	return ERR_OK;
}

struct sortable {
	struct worklist_item item;
	size_t order; /* position in the scan, for a stable sort */
};

static int by_urgency(const void *pa, const void *pb)
{
	const struct sortable *a = pa, *b = pb;
	if (a->item.has_remaining != b->item.has_remaining)
		return a->item.has_remaining ? -1 : 1;
	if (a->item.has_remaining && a->item.remaining != b->item.remaining)
		return a->item.remaining < b->item.remaining ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static enum err_code audit_read(struct db_conn *c, const struct actor *actor, int64_t now,
                                const char *action, const char *object, json_t *detail,
                                struct err *e)
{
	char *text = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	if (!text)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	enum err_code rc = audit_append(c, actor, now, action, object, text, e);
	free(text);
	return rc;
}

/* What an actor's roles and unit let it see. */
struct reach {
	bool processor; /* a specialist or approver of a unit */
	bool officer;   /* an officer of a unit that receives dossiers */
	bool city;      /* the system, or a leader, supervisor or admin */
};

/* Starts a list transaction: empties out and works out the reach of a. */
static enum err_code reach_start(struct db_conn *c, const struct actor *a, struct worklist *out,
                                 struct reach *r, struct err *e)
{
	worklist_free(out);
	bool receives;
	enum err_code rc = unit_receives(c, a, &receives, e);
	if (rc != ERR_OK)
		return rc;
	r->processor = a->kind == ACTOR_STAFF && (a->roles & (ROLE_SPECIALIST | ROLE_APPROVER)) &&
	               !str_empty(a->unit_code);
	r->officer = a->kind == ACTOR_STAFF && (a->roles & ROLE_OFFICER) && receives;
	r->city = a->kind == ACTOR_SYSTEM ||
	          (a->kind == ACTOR_STAFF &&
	           (a->roles & (ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN)));
	return ERR_OK;
}

struct get_ctx {
	struct service *svc;
	const struct actor *actor;
	const struct worklist_query *q;
	struct worklist *out;
};

static enum err_code get_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct get_ctx *x = ctx;
	const struct worklist_query *q = x->q;
	const struct actor *a = x->actor;
	int64_t now = service_now(x->svc);
	struct reach r;
	enum err_code rc = reach_start(c, a, x->out, &r, e);
	if (rc != ERR_OK)
		return rc;

	struct db_dossier_filter f;
	memset(&f, 0, sizeof f);
	const char *one_state[2] = {q->state, NULL};
	bool allowed = false;
	switch (q->kind) {
	case WORKLIST_AGENCY:
		allowed = r.processor;
		f.scope = DB_SCOPE_COMPETENT;
		f.scope_value = a->unit_code;
		f.states = agency_states;
		break;
	case WORKLIST_MINE:
		allowed = r.processor && !str_empty(a->account_id);
		f.scope = DB_SCOPE_HOLDER;
		f.scope_value = a->account_id;
		f.states = agency_states;
		break;
	case WORKLIST_COLLECTION:
		allowed = r.officer;
		f.scope = DB_SCOPE_COLLECTION;
		f.scope_value = a->unit_code;
		f.states = collection_states;
		break;
	case WORKLIST_ONLINE:
		allowed = r.officer;
		f.scope = q->all_branches ? DB_SCOPE_NONE : DB_SCOPE_COLLECTION;
		f.scope_value = a->unit_code;
		f.states = online_states;
		break;
	case WORKLIST_RECEIVED:
		allowed = r.officer;
		f.scope = DB_SCOPE_RECEIVING;
		f.scope_value = a->unit_code;
		f.states = open_states;
		break;
	case WORKLIST_CITY:
		allowed = r.city;
		f.scope = DB_SCOPE_NONE;
		f.states = open_states;
		break;
	}
	if (!allowed)
		return err_set(e, ERR_FORBIDDEN, "your role has no '%s' work list",
		               worklist_kind_name(q->kind));
	if (q->state)
		f.states = one_state;

	struct db_line_list lines;
	if ((rc = db_dossier_scan(c, &f, WORKLIST_SCAN_MAX, &lines, e)))
		return rc;
	struct sortable *all = calloc(lines.count ? lines.count : 1, sizeof *all);
	if (!all) {
		db_line_list_free(&lines);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	size_t n = 0;
	for (size_t i = 0; i < lines.count && rc == ERR_OK; i++) {
		struct sortable *s = &all[n];
		item_from_line(&s->item, &lines.items[i]);
		s->order = i;
		if ((rc = item_clock(x->svc->cal, &s->item, &lines.items[i], now, e)))
			break;
		if (q->overdue && !s->item.overdue)
			continue;
		if (q->received_from > 0 &&
		    (s->item.received_at == DB_NONE || s->item.received_at < q->received_from))
			continue;
		if (q->due_within_hours >= 0 &&
		    !(s->item.has_remaining && s->item.remaining <= q->due_within_hours * 3600))
			continue;
		n++;
	}
	x->out->truncated = lines.truncated;
	db_line_list_free(&lines);
	if (rc != ERR_OK) {
		free(all);
		return rc;
	}
	qsort(all, n, sizeof *all, by_urgency);
	int64_t limit = q->limit ? q->limit : WORKLIST_DEFAULT_LIMIT;
	x->out->total = (int64_t)n;
	size_t from = (size_t)q->offset < n ? (size_t)q->offset : n;
	size_t count = n - from < (size_t)limit ? n - from : (size_t)limit;
	x->out->items = calloc(count ? count : 1, sizeof *x->out->items);
	if (!x->out->items) {
		free(all);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	for (size_t i = 0; i < count; i++)
		x->out->items[i] = all[from + i].item;
	x->out->count = count;
	free(all);

	json_t *detail = json_object();
	json_object_set_new(detail, "kind", json_string(worklist_kind_name(q->kind)));
	json_object_set_new(detail, "state", q->state ? json_string(q->state) : json_null());
	json_object_set_new(detail, "total", json_integer(x->out->total));
	json_object_set_new(detail, "shown", json_integer((json_int_t)count));
	char object[DBD_KEY_SIZE + 16];
	snprintf(object, sizeof object, "worklist:%s", worklist_kind_name(q->kind));
	return audit_read(c, a, now, "worklist.read", object, detail, e);
}

static enum err_code check_page(int64_t limit, int64_t offset, struct err *e)
{
	if (limit < 0 || limit > WORKLIST_MAX_LIMIT)
		return err_set(e, ERR_OUT_OF_RANGE, "limit must be 1..%d", WORKLIST_MAX_LIMIT);
	if (offset < 0 || offset > INT32_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "offset must be 0 or more");
	return ERR_OK;
}

enum err_code worklist_get(struct service *svc, const struct actor *actor,
                           const struct worklist_query *q, struct worklist *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !actor || !q)
		return err_set(e, ERR_INTERNAL, "no service, actor or query");
	enum err_code rc = check_page(q->limit, q->offset, e);
	if (rc != ERR_OK)
		return rc;
	if ((unsigned)q->kind >= N_KINDS)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown work list %d", (int)q->kind);
	enum dossier_state s;
	if (q->state && (rc = lifecycle_state_from_name(q->state, &s)))
		return err_set(e, rc, "unknown state '%.40s'", q->state);
	struct get_ctx x = {svc, actor, q, out};
	rc = db_run_txn(svc->db, DB_TXN_WRITE, get_txn, &x, e);
	if (rc != ERR_OK)
		worklist_free(out);
	return rc;
}

/* ---- search ---- */

struct search_ctx {
	struct service *svc;
	const struct actor *actor;
	const struct worklist_search *q;
	const char *name_folded;
	struct worklist *out;
};

static enum err_code search_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct search_ctx *x = ctx;
	const struct actor *a = x->actor;
	const struct worklist_search *q = x->q;
	int64_t now = service_now(x->svc);
	struct reach r;
	enum err_code rc = reach_start(c, a, x->out, &r, e);
	if (rc != ERR_OK)
		return rc;
	struct db_dossier_filter f;
	memset(&f, 0, sizeof f);
	bool applicant = a->kind == ACTOR_CITIZEN || a->kind == ACTOR_BUSINESS;
	if (applicant) {
		/* a citizen or business sees the dossiers of their own account */
		f.scope = DB_SCOPE_OWNER;
		f.scope_value = a->account_id;
	} else if (!r.city) {
		if (!r.officer && !r.processor)
			return err_set(e, ERR_FORBIDDEN, "your role cannot search dossiers");
		f.scope = r.officer ? DB_SCOPE_STAFF_BRANCH : DB_SCOPE_COMPETENT;
		f.scope_value = a->unit_code;
		if (r.officer && r.processor) {
			f.scope2 = DB_SCOPE_COMPETENT;
			f.scope2_value = a->unit_code;
		}
	}
	f.code = q->code;
	f.name_folded = x->name_folded;
	f.id_number = q->id_number;
	f.phone = q->phone;
	struct db_line_list lines;
	int64_t limit = q->limit ? q->limit : WORKLIST_DEFAULT_LIMIT;
	if ((rc = db_dossier_search(c, &f, limit, q->offset, &lines, &x->out->total, e)))
		return rc;
	x->out->items = calloc(lines.count ? lines.count : 1, sizeof *x->out->items);
	if (!x->out->items) {
		db_line_list_free(&lines);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	for (size_t i = 0; i < lines.count && rc == ERR_OK; i++) {
		item_from_line(&x->out->items[i], &lines.items[i]);
		rc = item_clock(x->svc->cal, &x->out->items[i], &lines.items[i], now, e);
	}
	x->out->count = lines.count;
	db_line_list_free(&lines);
	if (rc != ERR_OK || applicant) /* staff reads of personal data are audited */
		return rc;
	json_t *detail = json_object();
	json_object_set_new(detail, "code", q->code ? json_string(q->code) : json_null());
	json_object_set_new(detail, "name",
	                    x->name_folded ? json_string(x->name_folded) : json_null());
	json_object_set_new(detail, "id_number",
	                    q->id_number ? json_string(q->id_number) : json_null());
	json_object_set_new(detail, "phone", q->phone ? json_string(q->phone) : json_null());
	json_object_set_new(detail, "total", json_integer(x->out->total));
	return audit_read(c, a, now, "dossier.search", "dossiers", detail, e);
}

/* A search value: printable ASCII without spaces, at most max bytes. */
static enum err_code check_term(const char *field, const char *s, size_t max, struct err *e)
{
	if (str_empty(s))
		return ERR_OK;
	if (strlen(s) > max)
		return err_set(e, ERR_TOO_LONG, "'%s' is too long", field);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid %s", field);
	return ERR_OK;
}

enum err_code worklist_search(struct service *svc, const struct actor *actor,
                              const struct worklist_search *q, struct worklist *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !actor || !q)
		return err_set(e, ERR_INTERNAL, "no service, actor or query");
	enum err_code rc;
	if ((rc = check_page(q->limit, q->offset, e)) ||
	    (rc = check_term("code", q->code, DBD_KEY_SIZE - 1, e)) ||
	    (rc = check_term("id_number", q->id_number, DBD_SHORT_SIZE - 1, e)) ||
	    (rc = check_term("phone", q->phone, DBD_SHORT_SIZE - 1, e)))
		return rc;
	struct buf folded = BUF_INIT(DBD_NAME_SIZE);
	if (!str_empty(q->name)) {
		if (strlen(q->name) >= DBD_NAME_SIZE)
			return err_set(e, ERR_TOO_LONG, "'name' is too long");
		if ((rc = fold_text(q->name, strlen(q->name), &folded, e)))
			return rc;
		if (folded.len < 2) {
			buf_release(&folded);
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "a name search needs 2 letters or more");
		}
	}
	bool applicant = actor->kind == ACTOR_CITIZEN || actor->kind == ACTOR_BUSINESS;
	if (!applicant && str_empty(q->code) && !folded.len && str_empty(q->id_number) &&
	    str_empty(q->phone)) {
		buf_release(&folded);
		return err_set(e, ERR_MISSING_ARGUMENT, "search by code, name, ID number or phone");
	}
	struct search_ctx x = {svc, actor, q, folded.len ? buf_str(&folded) : NULL, out};
	rc = db_run_txn(svc->db, DB_TXN_WRITE, search_txn, &x, e);
	buf_release(&folded);
	if (rc != ERR_OK)
		worklist_free(out);
	return rc;
}
