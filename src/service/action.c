/*
 * action: the generic action on a dossier (see action.h), driven by the
 * lifecycle table.
 *
 * What the table decides: whether (state, action, roles, guard facts) is
 * allowed, and the next state. What this file adds, each as one rule in one
 * place: the SCOPE of each role (scope_ok), the parameters each action needs
 * (check_params), the effects of each action (apply_effects), the legal
 * clock, which follows the table's clock column (RUNNING -> PAUSED pauses,
 * PAUSED -> RUNNING resumes, -> DONE resolves), and the processing steps,
 * which advance when an action completes the work of the current step's
 * role (step_completes). docs/lifecycle.md states these rules.
 */
#include "service/action.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/worktime.h"
#include "service/audit.h"
#include "db/db_outbox.h"
#include "service/indicators.h"
#include "service/intake.h"

/* str_copy() that takes NULL for "". */
static void scopy(char *dst, size_t n, const char *src)
{
	str_copy(dst, n, src ? src : "");
}

void action_params_init(struct action_params *p)
{
	memset(p, 0, sizeof *p);
	p->fee_vnd = -1;
}

/* ---- who may do what ---- */

unsigned action_effective_roles(const struct actor *actor, const struct db_dossier *d)
{
	if (!actor)
		return 0;
	switch (actor->kind) {
	case ACTOR_STAFF:
		return actor->roles & ~(unsigned)(ROLE_APPLICANT | ROLE_SYSTEM);
	case ACTOR_SYSTEM:
		return actor->roles | ROLE_SYSTEM;
	case ACTOR_CITIZEN:
	case ACTOR_BUSINESS:
		if (str_empty(actor->account_id))
			return 0;
		if (!d || str_eq(d->owner_account, actor->account_id))
			return ROLE_APPLICANT;
		return 0;
	case ACTOR_ANONYMOUS:
		break;
	}
	return 0;
}

/*
 * The scope of one role for one action (docs/lifecycle.md, "Scope"):
 *   officer: works at a receiving unit; accept and refusal of an online
 *     dossier at any receiving unit (any branch accepts online filings);
 *     receive_result and deliver at any receiving unit, since the table's
 *     guard (actor at the branch of collection) decides; every other action
 *     at the dossier's receiving unit or branch of collection;
 *   specialist, approver: the dossier's competent unit;
 *   applicant: the owner (already folded into the roles);
 *   system: everything.
 */
static bool scope_ok(unsigned role, enum dossier_action a, const struct db_dossier *d,
                     const struct actor *actor, bool unit_receives)
{
	switch (role) {
	case ROLE_OFFICER:
		if (!unit_receives || str_empty(actor->unit_code))
			return false;
		if (a == ACTION_ACCEPT || a == ACTION_REFUSE_RECEPTION ||
		    a == ACTION_RECEIVE_RESULT || a == ACTION_DELIVER)
			return true;
		return str_eq(actor->unit_code, d->receiving_unit) ||
		       str_eq(actor->unit_code, d->collection_unit);
	case ROLE_SPECIALIST:
	case ROLE_APPROVER:
		return !str_empty(actor->unit_code) && str_eq(actor->unit_code, d->competent_unit);
	case ROLE_APPLICANT:
	case ROLE_SYSTEM:
		return true;
	default:
		return false;
	}
}

/* The roles whose scope covers the dossier for action a. */
static unsigned scoped_roles(unsigned roles, enum dossier_action a, const struct db_dossier *d,
                             const struct actor *actor, bool unit_receives)
{
	if (actor->kind == ACTOR_SYSTEM)
		return roles;
	unsigned out = 0;
	for (unsigned bit = 1; bit && bit <= roles; bit <<= 1)
		if ((roles & bit) && scope_ok(bit, a, d, actor, unit_receives))
			out |= bit;
	return out;
}

bool action_may_read(const struct actor *actor, const struct db_dossier *d,
                     bool actor_unit_receives)
{
	if (!actor || !d)
		return false;
	if (actor->kind == ACTOR_SYSTEM)
		return true;
	if (actor->kind == ACTOR_CITIZEN || actor->kind == ACTOR_BUSINESS)
		return action_effective_roles(actor, d) & ROLE_APPLICANT;
	if (actor->kind != ACTOR_STAFF)
		return false;
	if (actor->roles & (ROLE_ADMIN | ROLE_LEADER | ROLE_SUPERVISOR))
		return true;
	if (str_empty(actor->unit_code))
		return false;
	if ((actor->roles & ROLE_OFFICER) && actor_unit_receives &&
	    (str_eq(actor->unit_code, d->receiving_unit) ||
	     str_eq(actor->unit_code, d->collection_unit) || str_eq(d->state, "submitted")))
		return true;
	if ((actor->roles & (ROLE_SPECIALIST | ROLE_APPROVER)) &&
	    str_eq(actor->unit_code, d->competent_unit))
		return true;
	return false;
}

enum err_code action_decide(enum dossier_state from, enum dossier_action a, unsigned roles,
                            unsigned scoped_roles_mask, const struct lifecycle_facts *facts,
                            enum dossier_state *to, struct err *e)
{
	enum err_code rc = lifecycle_next(from, a, roles, facts, to, e);
	if (rc == ERR_ACTION_NOT_ALLOWED || rc == ERR_FORBIDDEN || rc == ERR_UNKNOWN_STATE ||
	    rc == ERR_UNKNOWN_ACTION)
		return rc;
	if (scoped_roles_mask == roles)
		return rc;
	rc = lifecycle_next(from, a, scoped_roles_mask, facts, to, e);
	if (rc == ERR_FORBIDDEN || (rc == ERR_ACTION_NOT_ALLOWED && !scoped_roles_mask))
		return err_set(e, ERR_FORBIDDEN, "the dossier is outside your scope for '%s'",
		               lifecycle_action_name(a));
	return rc;
}

/* True for 16 lower-case hex digits: an internal id rather than a code. */
static bool looks_like_id(const char *s)
{
	if (strlen(s) != DBD_ID_SIZE - 1)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

enum err_code action_load(struct db_conn *c, const struct actor *actor, const char *dossier,
                          struct db_dossier *out, struct err *e)
{
	if (str_empty(dossier) || strlen(dossier) >= DBD_KEY_SIZE)
		return err_set(e, ERR_NOT_FOUND, "no such dossier");
	enum err_code rc = looks_like_id(dossier) ? db_dossier_get(c, dossier, out, e)
	                                          : db_dossier_get_by_code(c, dossier, out, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "no such dossier");
	if (rc != ERR_OK)
		return rc;
	if (actor &&
	    (actor->kind == ACTOR_CITIZEN || actor->kind == ACTOR_BUSINESS ||
	     actor->kind == ACTOR_ANONYMOUS) &&
	    !(action_effective_roles(actor, out) & ROLE_APPLICANT))
		return err_set(e, ERR_NOT_FOUND, "no such dossier");
	return ERR_OK;
}

/* ---- recording ---- */

static const char *form_name(enum lifecycle_form f)
{
	switch (f) {
	case FORM_RECEIPT:
		return "receipt";
	case FORM_REFUSAL:
		return "refusal";
	case FORM_SUPPLEMENT:
		return "supplement";
	case FORM_APOLOGY:
		return "apology";
	case FORM_STOP_NOTICE:
		return "stop_notice";
	case FORM_NONE:
		break;
	}
	return "";
}

static json_t *opt_json_time(int64_t v)
{
	return v == DB_NONE ? json_null() : json_integer(v);
}

static json_t *opt_json_text(const char *s)
{
	return str_empty(s) ? json_null() : json_string(s);
}

enum err_code action_record(struct db_conn *c, const struct actor *actor, int64_t now,
                            const struct db_dossier *d, struct db_dossier_event *ev, struct err *e)
{
	enum err_code rc;
	ev->version = d->version;
	ev->at = now;
	scopy(ev->to_state, sizeof ev->to_state, d->state);
	if (actor->kind != ACTOR_ANONYMOUS)
		scopy(ev->actor_account, sizeof ev->actor_account, actor->account_id);
	if (actor->kind == ACTOR_STAFF)
		scopy(ev->actor_unit, sizeof ev->actor_unit, actor->unit_code);
	/* what the indicators' replay needs beyond the event (migration 0007) */
	ev->legal_due_at = d->original_due_at;
	scopy(ev->detail, sizeof ev->detail,
	      str_eq(ev->action, "record_payment") ? d->paid_channel : "");
	if ((rc = db_dossier_event_insert(c, d->id, ev, e)))
		return rc;

	enum dossier_state s = STATE_NONE;
	lifecycle_state_from_name(d->state, &s);
	enum dossier_action a = ACTION_SUBMIT;
	lifecycle_action_from_name(ev->action, &a);

	json_t *audit = json_object();
	json_object_set_new(audit, "action", json_string(ev->action));
	json_object_set_new(audit, "from", json_string(ev->from_state));
	json_object_set_new(audit, "to", json_string(ev->to_state));
	json_object_set_new(audit, "version", json_integer(d->version));
	json_object_set_new(audit, "code", opt_json_text(d->code));
	json_object_set_new(audit, "to_unit", opt_json_text(ev->to_unit));
	json_object_set_new(audit, "to_account", opt_json_text(ev->to_account));
	json_t *payload = json_object();
	json_object_set_new(payload, "dossier_id", json_string(d->id));
	json_object_set_new(payload, "code", opt_json_text(d->code));
	json_object_set_new(payload, "procedure", json_string(d->procedure_code));
	json_object_set_new(payload, "status", json_integer(lifecycle_portal_code(s)));
	json_object_set_new(payload, "state", json_string(d->state));
	json_object_set_new(payload, "action", json_string(ev->action));
	json_object_set_new(payload, "version", json_integer(d->version));
	json_object_set_new(payload, "at", json_integer(now));
	json_object_set_new(payload, "received_at", opt_json_time(d->received_at));
	json_object_set_new(payload, "due_at", opt_json_time(d->due_at));
	json_object_set_new(payload, "form", opt_json_text(form_name(lifecycle_action_form(a))));
	char *audit_text = json_dumps(audit, JSON_COMPACT);
	char *payload_text = json_dumps(payload, JSON_COMPACT);
	json_decref(audit);
	json_decref(payload);
	if (!audit_text || !payload_text) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory writing the event");
		goto out;
	}
	char action_name[DBD_KEY_SIZE], object[DBD_KEY_SIZE];
	snprintf(action_name, sizeof action_name, "dossier.%s", ev->action);
	snprintf(object, sizeof object, "dossier:%s", d->id);
	if ((rc = audit_append(c, actor, now, action_name, object, audit_text, e)))
		goto out;
	char id[SERVICE_ID_LEN];
	service_new_id(id);
	struct db_outbox_new m = {.id = id,
	                          .created_at = now,
	                          .topic = ACTION_OUTBOX_TOPIC,
	                          .dossier_id = d->id,
	                          .payload = payload_text,
	                          .next_attempt_at = now};
	rc = db_outbox_insert(c, &m, e);
	if (rc == ERR_OK)
		rc = indicators_record(c, NULL, d, ev, e);
out:
	free(audit_text);
	free(payload_text);
	return rc;
}

/* ---- parameters ---- */

static enum err_code check_note(const char *field, const char *s, bool required, struct err *e)
{
	if (str_empty(s))
		return required ? err_set(e, ERR_MISSING_ARGUMENT, "'%s' is required", field)
		                : ERR_OK;
	if (strlen(s) > ACTION_NOTE_MAX)
		return err_set(e, ERR_TOO_LONG, "'%s' is longer than %d bytes", field,
		               ACTION_NOTE_MAX);
	if (!str_valid_utf8(s, ACTION_NOTE_MAX))
		return err_set(e, ERR_INVALID_ARGUMENT, "'%s' is not valid UTF-8 text", field);
	return ERR_OK;
}

static enum err_code check_key(const char *field, const char *s, bool required, struct err *e)
{
	if (str_empty(s))
		return required ? err_set(e, ERR_MISSING_ARGUMENT, "'%s' is required", field)
		                : ERR_OK;
	if (strlen(s) >= DBD_KEY_SIZE)
		return err_set(e, ERR_TOO_LONG, "'%s' is too long", field);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid %s '%s'", field, s);
	return ERR_OK;
}

static bool one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (str_eq(s, *list))
			return true;
	return false;
}

static const char *const rating_levels[] = {"very_satisfied", "satisfied", "neutral",
                                            "dissatisfied", NULL};
static const char *const pay_channels[] = {"counter", "online", "post", NULL};

/* The parameters each action needs (checked before the transaction). */
static enum err_code check_params(enum dossier_action a, const struct action_params *p,
                                  struct err *e)
{
	enum err_code rc;
	if ((rc = check_note("note", p->note, false, e)) ||
	    (rc = check_key("to_unit", p->to_unit, false, e)) ||
	    (rc = check_key("to_account", p->to_account, false, e)) ||
	    (rc = check_key("competent_unit", p->competent_unit, false, e)) ||
	    (rc = check_note("comment", p->comment, false, e)) ||
	    (rc = check_note("complaint", p->complaint, false, e)) ||
	    (rc = check_note("post_address", p->post_address, false, e)))
		return rc;
	if (p->n_components > ACTION_MAX_COMPONENTS || (p->n_components && !p->components))
		return err_set(e, ERR_OUT_OF_RANGE, "at most %d components", ACTION_MAX_COMPONENTS);
	switch (a) {
	case ACTION_REFUSE_RECEPTION:
	case ACTION_REFUSE:
	case ACTION_STOP:
	case ACTION_REQUEST_SUPPLEMENT:
	case ACTION_RETURN_FOR_REWORK:
		return check_note("note", p->note, true, e);
	case ACTION_TRANSFER:
		if ((rc = check_note("note", p->note, true, e)))
			return rc;
		return check_key("to_unit", p->to_unit, true, e);
	case ACTION_EXTEND:
		if ((rc = check_note("note", p->note, true, e)))
			return rc;
		if (p->new_due <= 0)
			return err_set(e, ERR_MISSING_ARGUMENT, "'new_due' is required");
		return ERR_OK;
	case ACTION_REASSIGN:
		return check_key("to_account", p->to_account, true, e);
	case ACTION_RECORD_PAYMENT:
		if (!str_empty(p->payment_channel) && !one_of(p->payment_channel, pay_channels))
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid payment channel '%.20s'",
			               p->payment_channel);
		return ERR_OK;
	case ACTION_DELIVER:
		if (str_empty(p->collector_id_number))
			return err_set(e, ERR_MISSING_ARGUMENT,
			               "'collector_id_number' is required");
		if (strlen(p->collector_id_number) != 12 || !str_all_digits(p->collector_id_number))
			return err_set(e, ERR_INVALID_CCCD,
			               "the collector's ID number must be 12 digits");
		return ERR_OK;
	case ACTION_RATE:
		if (str_empty(p->rating))
			return err_set(e, ERR_MISSING_ARGUMENT, "'rating' is required");
		if (!one_of(p->rating, rating_levels))
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid rating '%.20s'",
			               p->rating);
		return ERR_OK;
	case ACTION_COMPLAIN:
		return check_note("complaint", p->complaint, true, e);
	case ACTION_CHANGE_COLLECTION:
		if (p->by_post) {
			if (!str_empty(p->to_unit))
				return err_set(e, ERR_INVALID_ARGUMENT,
				               "give either 'to_unit' or 'by_post', not both");
			return check_note("post_address", p->post_address, true, e);
		}
		return check_key("to_unit", p->to_unit, true, e);
	case ACTION_HANDOVER:
		if (str_empty(p->to_unit) &&
		    !(str_eq(p->custody, "courier") || str_eq(p->custody, "post")))
			return err_set(e, ERR_MISSING_ARGUMENT,
			               "'to_unit' or custody 'courier' / 'post' is required");
		return ERR_OK;
	case ACTION_REQUEST_FEE:
		if (p->fee_vnd == 0)
			return err_set(e, ERR_OUT_OF_RANGE,
			               "a fee request needs an amount above 0");
		return ERR_OK;
	default:
		return ERR_OK;
	}
}

/* ---- the work of one action ---- */

struct action_work {
	struct service *svc;
	const struct actor *actor;
	const struct action_params *params;
	enum dossier_action action;
	struct db_dossier d;
	struct db_dossier loaded; /* d as read, for db_dossier_update() */
	struct db_procedure_rules p;
	struct db_unit_info unit;
	bool have_unit, unit_receives;
	int64_t now;
	struct db_dossier_event ev;
	char refer_unit[DBD_KEY_SIZE];
};

/* Loads the actor's unit (staff) into w. */
static enum err_code load_actor_unit(struct db_conn *c, struct action_work *w, struct err *e)
{
	w->have_unit = w->unit_receives = false;
	if (w->actor->kind != ACTOR_STAFF || str_empty(w->actor->unit_code))
		return ERR_OK;
	enum err_code rc = db_dossier_unit(c, w->actor->unit_code, &w->unit, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		return ERR_OK;
	}
	if (rc != ERR_OK)
		return rc;
	w->have_unit = true;
	w->unit_receives = w->unit.receives && w->unit.active;
	return ERR_OK;
}

static void facts_of(const struct action_work *w, struct lifecycle_facts *f)
{
	memset(f, 0, sizeof *f);
	f->online_allowed = !str_eq(w->p.online, "none");
	f->receivable_here = true;
	f->supplements_used = (int)w->d.supplements_used;
	f->supplements_max = (int)w->p.max_supplements;
	f->extensions_used = (int)w->d.extensions_used;
	f->extensions_max = (int)w->p.max_extensions;
	f->needs_signoff = w->p.needs_signoff != 0;
	f->by_post = w->d.by_post != 0;
	f->actor_at_collection_branch = w->actor->kind == ACTOR_STAFF &&
	                                !str_empty(w->actor->unit_code) &&
	                                str_eq(w->actor->unit_code, w->d.collection_unit);
	f->rated = w->d.rated != 0;
}

/* A staff account of the dossier's competent unit that can process it. */
static enum err_code check_processor(struct db_conn *c, const struct action_work *w,
                                     const char *account, struct err *e)
{
	struct db_account_brief acc;
	enum err_code rc = db_dossier_account(c, account, false, &acc, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown account '%s'", account);
	if (rc != ERR_OK)
		return rc;
	if (!str_eq(acc.kind, "staff") || acc.disabled ||
	    !str_eq(acc.unit_code, w->d.competent_unit) ||
	    !(acc.roles & (ROLE_SPECIALIST | ROLE_APPROVER)))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "account '%s' is not a specialist or approver of '%s'", account,
		               w->d.competent_unit);
	return ERR_OK;
}

/* The roles whose steps an action completes (a step ends when its role's work is done). */
static const unsigned step_completes[ACTION__COUNT] = {
        [ACTION_TAKE] = ROLE_OFFICER, /* reception ends when the agency takes the dossier */
        [ACTION_SUBMIT_SIGNOFF] = ROLE_SPECIALIST,
        [ACTION_COMPLETE] = ROLE_SPECIALIST | ROLE_APPROVER,
        [ACTION_REFUSE] = ROLE_SPECIALIST | ROLE_APPROVER,
        [ACTION_SIGN_OFF] = ROLE_APPROVER,
        [ACTION_POST_RESULT] = ROLE_OFFICER,
        [ACTION_DELIVER] = ROLE_OFFICER,
};

/* The legal span (working seconds) of the procedure for a reception at `from`. */
static enum err_code legal_span(const struct action_work *w, int64_t from, int64_t *span,
                                struct err *e)
{
	struct worktime_limit lim;
	intake_limit(w->svc, &w->p, &lim);
	int64_t legal, due;
	enum err_code rc = worktime_due(w->svc->cal, &lim, from, &legal, &due, e);
	if (rc == ERR_OK)
		rc = worktime_between(w->svc->cal, legal, due, span, e);
	return rc;
}

/* Starts step seq (1-based) of steps at `start`. */
static enum err_code step_start(struct action_work *w, const struct db_step_list *steps,
                                int64_t seq, int64_t start, struct err *e)
{
	struct db_dossier *d = &w->d;
	if (seq < 1 || (size_t)seq > steps->count) {
		d->step_seq = (int64_t)steps->count + 1; /* all steps done */
		d->step_started_at = d->step_due_at = DB_NONE;
		return ERR_OK;
	}
	int64_t span, due;
	enum err_code rc =
	        legal_span(w, d->received_at == DB_NONE ? start : d->received_at, &span, e);
	if (rc == ERR_OK)
		rc = worktime_add_seconds(w->svc->cal, start, intake_step_budget(steps, seq, span),
		                          &due, e);
	if (rc != ERR_OK)
		return rc;
	d->step_seq = seq;
	d->step_started_at = start;
	d->step_due_at = due;
	return ERR_OK;
}

/* Ends the current step when action a completes its role's work; starts the next. */
static enum err_code steps_advance(struct db_conn *c, struct action_work *w, enum dossier_state to,
                                   struct err *e)
{
	struct db_dossier *d = &w->d;
	unsigned completes = step_completes[w->action];
	enum err_code rc = ERR_OK;
	if (!completes && w->action != ACTION_RETURN_FOR_REWORK)
		return ERR_OK;
	struct db_step_list steps;
	if ((rc = db_dossier_steps(c, d->procedure_code, &steps, e)))
		return rc;
	int64_t cur = d->step_seq;
	if (cur < 1 || (size_t)cur > steps.count)
		goto out;
	if (w->action == ACTION_RETURN_FOR_REWORK) {
		/* back to the last specialist step before this one */
		for (int64_t k = cur - 1; k >= 1; k--) {
			if (str_eq(steps.items[k - 1].role, "specialist")) {
				w->ev.step_seq = cur;
				rc = step_start(w, &steps, k, w->now, e);
				break;
			}
		}
		goto out;
	}
	unsigned role = lifecycle_role_from_name(steps.items[cur - 1].role);
	if (!(role & completes))
		goto out;
	w->ev.step_seq = cur;
	if (d->step_due_at != DB_NONE)
		scopy(w->ev.step_result, sizeof w->ev.step_result,
		      worktime_timeliness_name(worktime_judge(d->step_due_at, w->now)));
	int64_t next = cur + 1;
	if (lifecycle_clock_of(to) == CLOCK_DONE) /* processing is over: only return steps remain */
		while ((size_t)next <= steps.count &&
		       !str_eq(steps.items[next - 1].role, "officer"))
			next++;
	rc = step_start(w, &steps, next, w->now, e);
out:
	db_step_list_free(&steps);
	return rc;
}

/* The legal clock, following the table's clock column from `from` to `to`. */
static enum err_code clock_follow(struct db_conn *c, struct action_work *w, enum dossier_state from,
                                  enum dossier_state to, struct err *e)
{
	struct db_dossier *d = &w->d;
	const struct worktime_calendar *cal = w->svc->cal;
	enum lifecycle_clock cf = lifecycle_clock_of(from), ct = lifecycle_clock_of(to);
	enum err_code rc = ERR_OK;
	if (cf == CLOCK_RUNNING && ct == CLOCK_PAUSED && d->due_at != DB_NONE) {
		d->paused_at = w->now;
		rc = worktime_remaining(cal, d->due_at, w->now, &d->remaining_at_pause, e);
	} else if (cf == CLOCK_PAUSED && ct == CLOCK_RUNNING && d->paused_at != DB_NONE) {
		struct worktime_limit lim;
		intake_limit(w->svc, &w->p, &lim);
		/* a supplement follows the procedure's rule; fees always continue */
		if (from != STATE_SUPPLEMENT_REQUESTED)
			lim.pause_mode = WORKTIME_PAUSE_CONTINUE;
		int64_t due = d->due_at, orig = d->original_due_at;
		if ((rc = worktime_resume(cal, &lim, d->due_at, d->paused_at, w->now, &due, e)))
			return rc;
		if (orig != DB_NONE &&
		    (rc = worktime_resume(cal, &lim, orig, d->paused_at, w->now, &orig, e)))
			return rc;
		if (d->step_due_at != DB_NONE && lim.pause_mode == WORKTIME_PAUSE_CONTINUE) {
			/* the step's working time left at the pause runs again */
			int64_t sd;
			if ((rc = worktime_resume(cal, &lim, d->step_due_at, d->paused_at, w->now,
			                          &sd, e)))
				return rc;
			d->step_due_at = sd;
		} else if (d->step_due_at != DB_NONE) {
			/* restart: the current step gets its whole budget again from the new
			 * legal reception */
			struct db_step_list steps;
			int64_t legal, span, sd = d->step_due_at;
			if ((rc = worktime_reception(cal, w->now, lim.cutoff, &legal, e)) ||
			    (rc = legal_span(w, legal, &span, e)) ||
			    (rc = db_dossier_steps(c, d->procedure_code, &steps, e)))
				return rc;
			rc = worktime_add_seconds(
			        cal, legal, intake_step_budget(&steps, d->step_seq, span), &sd, e);
			db_step_list_free(&steps);
			if (rc != ERR_OK)
				return rc;
			d->step_started_at = legal;
			d->step_due_at = sd;
		}
		d->due_at = due;
		d->original_due_at = orig == DB_NONE ? due : orig;
		d->paused_at = DB_NONE;
		d->remaining_at_pause = DB_NONE;
	} else if (ct == CLOCK_DONE && cf != CLOCK_DONE) {
		if (to == STATE_RESULT_READY || to == STATE_STOPPED || to == STATE_WITHDRAWN)
			d->resolved_at = w->now;
		d->paused_at = DB_NONE;
		d->remaining_at_pause = DB_NONE;
	}
	return rc;
}

/* Marks components of the dossier with a status (all of status `only` when none are listed). */
static enum err_code mark_components(struct db_conn *c, struct action_work *w, const char *only,
                                     const char *status, struct err *e)
{
	const struct action_params *p = w->params;
	struct db_component_list list;
	enum err_code rc = db_dossier_components(c, w->d.id, &list, e);
	if (rc != ERR_OK)
		return rc;
	for (size_t i = 0; i < p->n_components && rc == ERR_OK; i++) {
		bool known = false;
		for (size_t k = 0; k < list.count; k++)
			known = known || list.items[k].seq == p->components[i];
		if (!known)
			rc = err_set(e, ERR_INVALID_ARGUMENT, "the dossier has no component %d",
			             p->components[i]);
	}
	for (size_t k = 0; k < list.count && rc == ERR_OK; k++) {
		struct db_dossier_component *dc = &list.items[k];
		bool listed = false;
		for (size_t i = 0; i < p->n_components; i++)
			listed = listed || p->components[i] == dc->seq;
		if (p->n_components ? !listed : !(only && str_eq(dc->status, only)))
			continue;
		scopy(dc->status, sizeof dc->status, status);
		rc = db_dossier_component_put(c, w->d.id, dc, e);
	}
	db_component_list_free(&list);
	return rc;
}

/* Does the collector's ID number match an applicant or the representative? */
static enum err_code collector_ok(struct db_conn *c, const struct db_dossier *d, const char *id,
                                  bool *ok, struct err *e)
{
	*ok = str_eq(id, d->applicant_id_number) || str_eq(id, d->representative_id_number);
	if (*ok)
		return ERR_OK;
	struct db_applicant_list list;
	enum err_code rc = db_dossier_applicants(c, d->id, &list, e);
	if (rc != ERR_OK)
		return rc;
	for (size_t i = 0; i < list.count; i++)
		*ok = *ok || str_eq(id, list.items[i].id_number);
	db_applicant_list_free(&list);
	return ERR_OK;
}

/* The effects of each action on the dossier (beyond the state, clock and steps). */
static enum err_code apply_effects(struct db_conn *c, struct action_work *w,
                                   enum dossier_state from, struct err *e)
{
	struct db_dossier *d = &w->d;
	const struct action_params *p = w->params;
	const struct actor *actor = w->actor;
	struct db_unit_info u;
	enum err_code rc = ERR_OK;
	switch (w->action) {
	case ACTION_ACCEPT:
		if (!w->have_unit)
			return err_set(e, ERR_FORBIDDEN, "your account has no receiving unit");
		rc = intake_accept_effects(w->svc, c, actor, &w->unit, &w->p, d, p->competent_unit,
		                           false, w->now, w->refer_unit, e);
		scopy(w->ev.to_unit, sizeof w->ev.to_unit, d->competent_unit);
		return rc;
	case ACTION_TAKE: {
		const char *holder = !str_empty(p->to_account) ? p->to_account : actor->account_id;
		if (str_empty(holder))
			return err_set(e, ERR_MISSING_ARGUMENT, "'to_account' is required");
		if ((rc = check_processor(c, w, holder, e)))
			return rc;
		scopy(d->holder_account, sizeof d->holder_account, holder);
		scopy(w->ev.to_account, sizeof w->ev.to_account, holder);
		return ERR_OK;
	}
	case ACTION_REASSIGN:
		if (str_eq(p->to_account, d->holder_account))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "account '%s' already holds the dossier", p->to_account);
		if ((rc = check_processor(c, w, p->to_account, e)))
			return rc;
		scopy(d->holder_account, sizeof d->holder_account, p->to_account);
		scopy(w->ev.to_account, sizeof w->ev.to_account, p->to_account);
		return ERR_OK;
	case ACTION_TRANSFER:
		rc = db_dossier_unit(c, p->to_unit, &u, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INVALID_ARGUMENT, "unknown unit '%s'", p->to_unit);
		if (rc != ERR_OK)
			return rc;
		if (!u.active || str_eq(u.kind, "branch") || str_eq(u.kind, "point") ||
		    str_eq(u.kind, "centre"))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "unit '%s' is not an active competent agency", p->to_unit);
		if (str_eq(p->to_unit, d->competent_unit))
			return err_set(e, ERR_INVALID_ARGUMENT, "the dossier is already at '%s'",
			               p->to_unit);
		scopy(d->competent_unit, sizeof d->competent_unit, p->to_unit);
		scopy(d->competent_chosen_by, sizeof d->competent_chosen_by,
		      str_empty(actor->account_id) ? actor->username : actor->account_id);
		d->holder_account[0] = '\0';
		scopy(w->ev.to_unit, sizeof w->ev.to_unit, p->to_unit);
		return ERR_OK;
	case ACTION_REQUEST_SUPPLEMENT:
		d->supplements_used++;
		return p->n_components ? mark_components(c, w, NULL, "missing", e) : ERR_OK;
	case ACTION_RECEIVE_SUPPLEMENT:
		return mark_components(c, w, "missing", "supplemented", e);
	case ACTION_REQUEST_FEE: {
		int64_t fee = p->fee_vnd >= 0 ? p->fee_vnd : w->p.fee_vnd;
		if (fee <= 0)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "the procedure has no fee; give 'fee_vnd' above 0");
		d->fee_vnd = fee;
		return ERR_OK;
	}
	case ACTION_RECORD_PAYMENT:
		scopy(d->paid_channel, sizeof d->paid_channel,
		      !str_empty(p->payment_channel) ? p->payment_channel
		      : actor->kind == ACTOR_STAFF   ? "counter"
		                                     : "online");
		d->paid_at = w->now;
		return ERR_OK;
	case ACTION_SUBMIT_SIGNOFF:
		scopy(w->ev.to_unit, sizeof w->ev.to_unit, d->competent_unit);
		return ERR_OK;
	case ACTION_SIGN_OFF:
	case ACTION_COMPLETE:
		scopy(d->outcome, sizeof d->outcome, "granted");
		return ERR_OK;
	case ACTION_REFUSE:
		scopy(d->outcome, sizeof d->outcome, "refused");
		return ERR_OK;
	case ACTION_EXTEND: {
		int64_t w_new;
		if ((rc = worktime_clock(w->svc->cal, p->new_due, &w_new, e)))
			return rc;
		if (p->new_due <= w->now || (d->due_at != DB_NONE && p->new_due <= d->due_at))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "the new appointment must be later than the current one and "
			               "than now");
		d->extensions_used++;
		d->due_at = p->new_due;
		return ERR_OK;
	}
	case ACTION_SEND_RESULT:
		scopy(d->custody, sizeof d->custody, "courier");
		scopy(w->ev.to_unit, sizeof w->ev.to_unit, d->collection_unit);
		return ERR_OK;
	case ACTION_RECEIVE_RESULT:
		scopy(d->custody, sizeof d->custody, d->collection_unit);
		return ERR_OK;
	case ACTION_POST_RESULT:
		if (!str_empty(p->post_address)) { /* posted from the branch at the applicant's
			                              request */
			d->by_post = 1;
			scopy(d->post_address, sizeof d->post_address, p->post_address);
		}
		if (str_empty(d->post_address))
			return err_set(e, ERR_GUARD_FAILED, "the dossier has no postal address");
		scopy(d->custody, sizeof d->custody, "post");
		return ERR_OK;
	case ACTION_DELIVER: {
		bool ok;
		if ((rc = collector_ok(c, d, p->collector_id_number, &ok, e)))
			return rc;
		if (!ok)
			return err_set(e, ERR_GUARD_FAILED,
			               "the collector's ID number matches neither an applicant nor "
			               "the authorised representative");
		d->delivered_at = w->now;
		scopy(d->custody, sizeof d->custody, "applicant");
		return ERR_OK;
	}
	case ACTION_CONFIRM_DELIVERY:
		d->delivered_at = w->now;
		scopy(d->custody, sizeof d->custody, "applicant");
		return ERR_OK;
	case ACTION_CHANGE_COLLECTION:
		if (p->by_post) {
			if (from == STATE_RESULT_IN_TRANSIT || from == STATE_RESULT_AT_BRANCH)
				return err_set(e, ERR_GUARD_FAILED,
				               "the result is on its way to a branch; choose a "
				               "branch, or ask the branch to post it");
			d->by_post = 1;
			scopy(d->post_address, sizeof d->post_address, p->post_address);
			d->collection_unit[0] = '\0';
			return ERR_OK;
		}
		rc = db_dossier_unit(c, p->to_unit, &u, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INVALID_ARGUMENT, "unknown unit '%s'", p->to_unit);
		if (rc != ERR_OK)
			return rc;
		if (!u.receives || !u.active)
			return err_set(e, ERR_INVALID_ARGUMENT, "unit '%s' does not return results",
			               p->to_unit);
		if (!d->by_post && str_eq(p->to_unit, d->collection_unit))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "the result is already collected at '%s'", p->to_unit);
		d->by_post = 0;
		d->post_address[0] = '\0';
		scopy(d->collection_unit, sizeof d->collection_unit, p->to_unit);
		scopy(w->ev.to_unit, sizeof w->ev.to_unit, p->to_unit);
		return ERR_OK;
	case ACTION_RATE:
		d->rated = 1;
		return db_dossier_rating_insert(c, d->id, w->now, p->rating, p->comment, e);
	case ACTION_COMPLAIN: {
		char id[SERVICE_ID_LEN];
		service_new_id(id);
		return db_dossier_complaint_insert(c, id, d->id, w->now, p->complaint, e);
	}
	case ACTION_HANDOVER:
		if (!str_empty(p->to_unit)) {
			rc = db_dossier_unit(c, p->to_unit, &u, e);
			if (rc == ERR_NOT_FOUND)
				return err_set(e, ERR_INVALID_ARGUMENT, "unknown unit '%s'",
				               p->to_unit);
			if (rc != ERR_OK)
				return rc;
			scopy(d->custody, sizeof d->custody, p->to_unit);
			scopy(w->ev.to_unit, sizeof w->ev.to_unit, p->to_unit);
		} else {
			scopy(d->custody, sizeof d->custody, p->custody);
		}
		return ERR_OK;
	default:
		return ERR_OK;
	}
}

/* ---- action_perform ---- */

struct perform_ctx {
	struct service *svc;
	const struct actor *actor;
	const char *dossier;
	enum dossier_action action;
	int64_t expected_version;
	const struct action_params *params;
	struct action_result *out;
};

static enum err_code perform_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct perform_ctx *x = ctx;
	enum err_code rc;
	struct action_work *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	w->svc = x->svc;
	w->actor = x->actor;
	w->params = x->params;
	w->action = x->action;
	w->now = service_now(x->svc);
	struct db_dossier *d = &w->d;
	struct action_result *out = x->out;
	memset(out, 0, sizeof *out);
	out->received_at = out->due_at = out->original_due_at = DB_NONE;

	if ((rc = action_load(c, x->actor, x->dossier, d, e)))
		goto out;
	w->loaded = *d;
	if (x->expected_version != d->version &&
	    !(x->expected_version == ACTION_ANY_VERSION && x->actor->kind == ACTOR_SYSTEM)) {
		rc = err_set(e, ERR_VERSION_CONFLICT,
		             "the dossier is at version %lld, not %lld; reload it",
		             (long long)d->version, (long long)x->expected_version);
		goto out;
	}
	if ((rc = db_dossier_procedure(c, d->procedure_code, &w->p, e)) ||
	    (rc = load_actor_unit(c, w, e)))
		goto out;
	enum dossier_state from, to;
	if ((rc = lifecycle_state_from_name(d->state, &from))) {
		rc = err_set(e, ERR_INTERNAL, "dossier '%s' has unknown state '%s'", d->id,
		             d->state);
		goto out;
	}
	struct lifecycle_facts facts;
	facts_of(w, &facts);
	unsigned roles = action_effective_roles(x->actor, d);
	unsigned scoped = scoped_roles(roles, x->action, d, x->actor, w->unit_receives);
	if ((rc = action_decide(from, x->action, roles, scoped, &facts, &to, e)))
		goto out;

	int64_t old_version = d->version;
	memset(&w->ev, 0, sizeof w->ev);
	scopy(w->ev.action, sizeof w->ev.action, lifecycle_action_name(x->action));
	scopy(w->ev.from_state, sizeof w->ev.from_state, d->state);
	scopy(w->ev.note, sizeof w->ev.note, x->params->note ? x->params->note : "");
	w->ev.step_seq = DB_NONE;
	if ((rc = apply_effects(c, w, from, e))) {
		scopy(out->refer_unit, sizeof out->refer_unit, w->refer_unit);
		goto out;
	}
	if ((rc = clock_follow(c, w, from, to, e)) || (rc = steps_advance(c, w, to, e)))
		goto out;
	/* a resolution without a step of its own is judged against the legal due */
	if (!w->ev.step_result[0] && (to == STATE_RESULT_READY || to == STATE_STOPPED) &&
	    from != to && d->original_due_at != DB_NONE)
		scopy(w->ev.step_result, sizeof w->ev.step_result,
		      worktime_timeliness_name(worktime_judge(d->original_due_at, w->now)));
	scopy(d->state, sizeof d->state, lifecycle_state_name(to));
	d->version = old_version + 1;
	d->updated_at = w->now;
	w->ev.due_at = d->due_at;
	if ((rc = db_dossier_update(c, d, &w->loaded, old_version, e)) ||
	    (rc = action_record(c, x->actor, w->now, d, &w->ev, e)))
		goto out;

	scopy(out->id, sizeof out->id, d->id);
	scopy(out->code, sizeof out->code, d->code);
	scopy(out->from_state, sizeof out->from_state, w->ev.from_state);
	scopy(out->state, sizeof out->state, d->state);
	out->portal_code = lifecycle_portal_code(to);
	out->version = d->version;
	out->received_at = d->received_at;
	out->due_at = d->due_at;
	out->original_due_at = d->original_due_at;
	scopy(out->step_result, sizeof out->step_result, w->ev.step_result);
	scopy(out->form, sizeof out->form, form_name(lifecycle_action_form(x->action)));
out:
	free(w);
	return rc;
}

/*
 * action_perform() in its own write transaction (c NULL) or in the caller's
 * open transaction c (action_perform_in()).
 */
static enum err_code perform_run(struct db_conn *c, struct service *svc, const struct actor *actor,
                                 const char *dossier, const char *action, int64_t expected_version,
                                 const struct action_params *params, struct action_result *out,
                                 struct err *e)
{
	struct action_result tmp;
	struct action_params none;
	if (!out)
		out = &tmp;
	memset(out, 0, sizeof *out);
	if (!params) {
		action_params_init(&none);
		params = &none;
	}
	if (!svc || !actor)
		return err_set(e, ERR_INTERNAL, "no service or actor");
	enum dossier_action a;
	if (lifecycle_action_from_name(action, &a) != ERR_OK)
		return err_set(e, ERR_UNKNOWN_ACTION, "unknown action '%.40s'",
		               action ? action : "");
	if (a == ACTION_SUBMIT || a == ACTION_RECEIVE)
		return err_set(e, ERR_ACTION_NOT_ALLOWED,
		               "'%s' creates a dossier; use the intake of new dossiers",
		               lifecycle_action_name(a));
	if (expected_version < 1 &&
	    !(expected_version == ACTION_ANY_VERSION && actor->kind == ACTOR_SYSTEM))
		return err_set(e, ERR_MISSING_ARGUMENT, "the dossier's version is required");
	enum err_code rc = check_params(a, params, e);
	if (rc != ERR_OK)
		return rc;
	struct perform_ctx x = {svc, actor, dossier, a, expected_version, params, out};
	return c ? perform_txn(c, &x, e) : db_run_txn(svc->db, DB_TXN_WRITE, perform_txn, &x, e);
}

enum err_code action_perform(struct service *svc, const struct actor *actor, const char *dossier,
                             const char *action, int64_t expected_version,
                             const struct action_params *params, struct action_result *out,
                             struct err *e)
{
	return perform_run(NULL, svc, actor, dossier, action, expected_version, params, out, e);
}

enum err_code action_perform_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                                const char *dossier, const char *action, int64_t expected_version,
                                const struct action_params *params, struct action_result *out,
                                struct err *e)
{
	if (!c || !db_in_txn(c))
		return err_set(e, ERR_INTERNAL, "no open transaction for the action");
	return perform_run(c, svc, actor, dossier, action, expected_version, params, out, e);
}

/* ---- allowed actions ---- */

struct allowed_ctx {
	struct service *svc;
	const struct actor *actor;
	const char *dossier;
	struct action_allowed *out;
};

static enum err_code allowed_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct allowed_ctx *x = ctx;
	enum err_code rc;
	struct action_work *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	w->svc = x->svc;
	w->actor = x->actor;
	w->now = service_now(x->svc);
	memset(x->out, 0, sizeof *x->out);
	if ((rc = action_load(c, x->actor, x->dossier, &w->d, e)) ||
	    (rc = db_dossier_procedure(c, w->d.procedure_code, &w->p, e)) ||
	    (rc = load_actor_unit(c, w, e)))
		goto out;
	enum dossier_state from;
	if (lifecycle_state_from_name(w->d.state, &from) != ERR_OK) {
		rc = err_set(e, ERR_INTERNAL, "dossier '%s' has unknown state", w->d.id);
		goto out;
	}
	scopy(x->out->id, sizeof x->out->id, w->d.id);
	scopy(x->out->state, sizeof x->out->state, w->d.state);
	x->out->version = w->d.version;
	struct lifecycle_facts facts;
	facts_of(w, &facts);
	unsigned roles = action_effective_roles(x->actor, &w->d);
	for (int a = 0; a < ACTION__COUNT; a++) {
		if (a == ACTION_SUBMIT || a == ACTION_RECEIVE)
			continue;
		unsigned scoped = scoped_roles(roles, (enum dossier_action)a, &w->d, x->actor,
		                               w->unit_receives);
		enum dossier_state to;
		if (scoped && lifecycle_next(from, (enum dossier_action)a, scoped, &facts, &to,
		                             NULL) == ERR_OK)
			x->out->actions[x->out->count++] = (enum dossier_action)a;
	}
out:
	free(w);
	return rc;
}

enum err_code action_allowed(struct service *svc, const struct actor *actor, const char *dossier,
                             struct action_allowed *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !actor)
		return err_set(e, ERR_INTERNAL, "no service or actor");
	struct allowed_ctx x = {svc, actor, dossier, out};
	return db_run_txn(svc->db, DB_TXN_READ, allowed_txn, &x, e);
}
