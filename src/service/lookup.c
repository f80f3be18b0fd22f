/*
 * lookup: the public status look-up and the full view of a dossier (see
 * lookup.h).
 *
 * The public look-up is one write transaction: the rate-limit check, the
 * read, and on failure the counted hit. A failure must still commit its hit,
 * so the transaction body always returns ERR_OK and reports the look-up's
 * own answer through its context.
 */
#include "service/lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "domain/lifecycle.h"
#include "service/action.h"
#include "service/audit.h"
#include "service/ratelimit.h"

/* str_copy() that takes NULL for "". */
static void scopy(char *dst, size_t n, const char *src)
{
	str_copy(dst, n, src ? src : "");
}

#define LOOKUP_MISS "no dossier matches this code and these digits"

void lookup_public_release(struct lookup_public *p)
{
	free(p->steps);
	p->steps = NULL;
	p->nsteps = 0;
}

/* True when s ends with the 4 digits of last4 (and holds at least 4 characters). */
static bool ends_with(const char *s, const char *last4)
{
	size_t n = strlen(s);
	if (n < LOOKUP_SECRET_LEN)
		return false;
	unsigned diff = 0;
	for (size_t i = 0; i < LOOKUP_SECRET_LEN; i++)
		diff |= (unsigned)(s[n - LOOKUP_SECRET_LEN + i] ^ last4[i]);
	return diff == 0;
}

struct public_ctx {
	struct service *svc;
	const char *addr, *code, *last4;
	struct lookup_public *out;
	enum err_code answer; /* the look-up's own answer */
	struct err answer_err;
};

static enum err_code fill_public(struct db_conn *c, const struct db_dossier *d,
                                 struct lookup_public *out, struct err *e)
{
	enum err_code rc;
	scopy(out->code, sizeof out->code, d->code);
	scopy(out->procedure_code, sizeof out->procedure_code, d->procedure_code);
	scopy(out->state, sizeof out->state, d->state);
	enum dossier_state s = STATE_NONE;
	lifecycle_state_from_name(d->state, &s);
	out->portal_code = lifecycle_portal_code(s);
	scopy(out->outcome, sizeof out->outcome, d->outcome);
	out->received_at = d->received_at;
	out->due_at = d->due_at;
	out->by_post = d->by_post != 0;
	struct db_procedure_rules p;
	if ((rc = db_dossier_procedure(c, d->procedure_code, &p, e)))
		return rc;
	scopy(out->procedure_name_vi, sizeof out->procedure_name_vi, p.name_vi);
	scopy(out->procedure_name_en, sizeof out->procedure_name_en, p.name_en);
	struct db_unit_info u;
	if (!d->by_post && !str_empty(d->collection_unit)) {
		if ((rc = db_dossier_unit(c, d->collection_unit, &u, e)))
			return rc;
		scopy(out->collection_unit, sizeof out->collection_unit, u.code);
		scopy(out->collection_name, sizeof out->collection_name, u.name_vi);
		scopy(out->collection_address, sizeof out->collection_address, u.address);
	}
	struct db_event_list evs;
	if ((rc = db_dossier_events(c, d->id, &evs, e)))
		return rc;
	out->steps = calloc(evs.count ? evs.count : 1, sizeof *out->steps);
	if (!out->steps) {
		db_event_list_free(&evs);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	for (size_t i = 0; i < evs.count; i++) {
		const struct db_dossier_event *ev = &evs.items[i];
		struct lookup_step *st = &out->steps[out->nsteps++];
		st->at = ev->at;
		scopy(st->action, sizeof st->action, ev->action);
		scopy(st->state, sizeof st->state, ev->to_state);
		enum dossier_state es = STATE_NONE;
		lifecycle_state_from_name(ev->to_state, &es);
		st->portal_code = lifecycle_portal_code(es);
		scopy(st->step_result, sizeof st->step_result, ev->step_result);
		st->due_at = ev->due_at;
		/* the unit, never the person */
		if (!str_empty(ev->actor_unit)) {
			scopy(st->unit, sizeof st->unit, ev->actor_unit);
			if (db_dossier_unit(c, ev->actor_unit, &u, NULL) == ERR_OK)
				scopy(st->unit_name, sizeof st->unit_name, u.name_vi);
		}
	}
	db_event_list_free(&evs);
	return ERR_OK;
}

static enum err_code public_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct public_ctx *x = ctx;
	int64_t now = service_now(x->svc);
	lookup_public_release(x->out);
	memset(x->out, 0, sizeof *x->out);
	x->out->received_at = x->out->due_at = DB_NONE;
	x->answer = ERR_OK;
	err_clear(&x->answer_err);

	static const struct ratelimit_policy policy = {LOOKUP_FAIL_MAX, LOOKUP_FAIL_WINDOW};
	char bucket[256];
	enum err_code rc = ratelimit_bucket(bucket, sizeof bucket, "lookup",
	                                    str_empty(x->addr) ? "-" : x->addr, e);
	if (rc != ERR_OK)
		return rc;
	struct ratelimit_state rl;
	if ((rc = ratelimit_check(c, bucket, &policy, now, &rl, e)))
		return rc;
	struct db_dossier *d = calloc(1, sizeof *d);
	if (!d)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	bool found = false;
	if (!str_empty(x->code) && strlen(x->code) < DBD_KEY_SIZE) {
		rc = db_dossier_get_by_code(c, x->code, d, e);
		if (rc == ERR_OK)
			found = ends_with(d->applicant_id_number, x->last4) ||
			        ends_with(d->applicant_phone, x->last4);
		else if (rc == ERR_NOT_FOUND)
			err_clear(e);
		else
			goto out;
	}
	if (!found) {
		/* A throttled address keeps being answered 429 for every failure, and each
		 * failure extends its count; a correct look-up is never throttled. */
		if ((rc = ratelimit_hit(c, bucket, &policy, now, NULL, e)))
			goto out;
		if (!rl.allowed) {
			x->out->retry_after = rl.retry_after;
			x->answer = err_set(&x->answer_err, ERR_RATE_LIMITED,
			                    "too many failed look-ups; retry in %lld seconds",
			                    (long long)rl.retry_after);
		} else {
			x->answer = err_set(&x->answer_err, ERR_NOT_FOUND, LOOKUP_MISS);
		}
		rc = ERR_OK;
		goto out;
	}
	rc = fill_public(c, d, x->out, e);
out:
	free(d);
	return rc;
}

enum err_code lookup_public(struct service *svc, const char *addr, const char *code,
                            const char *last4, struct lookup_public *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->received_at = out->due_at = DB_NONE;
	if (!svc)
		return err_set(e, ERR_INTERNAL, "no service");
	if (str_empty(last4) || strlen(last4) != LOOKUP_SECRET_LEN || !str_all_digits(last4))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "give the last 4 digits of the applicant's ID number or phone");
	if (addr && strlen(addr) >= SERVICE_ADDR_MAX)
		return err_set(e, ERR_INVALID_ARGUMENT, "client address too long");
	struct public_ctx x = {.svc = svc, .addr = addr, .code = code, .last4 = last4, .out = out};
	enum err_code rc = db_run_txn(svc->db, DB_TXN_WRITE, public_txn, &x, e);
	if (rc != ERR_OK) {
		lookup_public_release(out);
		return rc;
	}
	if (x.answer != ERR_OK) {
		int64_t retry = out->retry_after;
		lookup_public_release(out);
		memset(out, 0, sizeof *out);
		out->received_at = out->due_at = DB_NONE;
		out->retry_after = retry;
		if (e)
			*e = x.answer_err;
		return x.answer;
	}
	return ERR_OK;
}

/* ---- the full view ---- */

void lookup_view_release(struct lookup_view *v)
{
	db_applicant_list_free(&v->applicants);
	db_component_list_free(&v->components);
	db_event_list_free(&v->events);
}

struct view_ctx {
	struct service *svc;
	const struct actor *actor;
	const char *dossier;
	struct lookup_view *out;
};

static enum err_code view_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct view_ctx *x = ctx;
	struct lookup_view *v = x->out;
	lookup_view_release(v);
	enum err_code rc = action_load(c, x->actor, x->dossier, &v->dossier, e);
	if (rc != ERR_OK)
		return rc;
	bool receives = false;
	if (x->actor->kind == ACTOR_STAFF && !str_empty(x->actor->unit_code)) {
		struct db_unit_info u;
		rc = db_dossier_unit(c, x->actor->unit_code, &u, e);
		if (rc == ERR_OK)
			receives = u.receives && u.active;
		else if (rc != ERR_NOT_FOUND)
			return rc;
		err_clear(e);
	}
	if (!action_may_read(x->actor, &v->dossier, receives))
		return err_set(e, ERR_FORBIDDEN, "the dossier is outside your scope");
	if ((rc = db_dossier_applicants(c, v->dossier.id, &v->applicants, e)) ||
	    (rc = db_dossier_components(c, v->dossier.id, &v->components, e)) ||
	    (rc = db_dossier_events(c, v->dossier.id, &v->events, e)))
		return rc;
	if (x->actor->kind != ACTOR_STAFF)
		return ERR_OK;
	char object[DBD_KEY_SIZE];
	snprintf(object, sizeof object, "dossier:%s", v->dossier.id);
	return audit_append(c, x->actor, service_now(x->svc), "dossier.read", object, NULL, e);
}

enum err_code lookup_dossier(struct service *svc, const struct actor *actor, const char *dossier,
                             struct lookup_view *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !actor)
		return err_set(e, ERR_INTERNAL, "no service or actor");
	struct view_ctx x = {svc, actor, dossier, out};
	enum err_code rc = db_run_txn(svc->db, DB_TXN_WRITE, view_txn, &x, e);
	if (rc != ERR_OK)
		lookup_view_release(out);
	return rc;
}

/* ---- staff names of the process control form ---- */

struct staff_ctx {
	const char *const *ids;
	size_t n;
	struct lookup_staff *out;
};

static enum err_code staff_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct staff_ctx *x = ctx;
	for (size_t i = 0; i < x->n; i++) {
		x->out[i].username[0] = '\0';
		if (str_empty(x->ids[i]))
			continue;
		struct db_account_brief a;
		enum err_code rc = db_dossier_account(c, x->ids[i], false, &a, e);
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			continue;
		}
		if (rc != ERR_OK)
			return rc;
		if (str_eq(a.kind, "staff") || str_eq(a.kind, "system"))
			scopy(x->out[i].username, sizeof x->out[i].username, a.username);
	}
	return ERR_OK;
}

enum err_code lookup_staff_names(struct service *svc, const struct actor *actor,
                                 const char *const *ids, size_t n, struct lookup_staff *out,
                                 struct err *e)
{
	if (!svc || !actor)
		return err_set(e, ERR_INTERNAL, "no service or actor");
	if (actor->kind != ACTOR_STAFF && actor->kind != ACTOR_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, "only staff see who acted on a dossier");
	if (n > LOOKUP_STAFF_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "at most %d accounts", LOOKUP_STAFF_MAX);
	if (n == 0)
		return ERR_OK;
	struct staff_ctx x = {ids, n, out};
	return db_run_txn(svc->db, DB_TXN_READ, staff_txn, &x, e);
}
