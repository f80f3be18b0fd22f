/*
 * action: every action on an existing dossier, through one generic function
 * driven by the lifecycle table (domain/lifecycle.def).
 *
 * action_perform() runs ONE transaction: it loads the dossier and its
 * procedure, builds the facts the table's guards read, asks lifecycle_next()
 * whether the actor's roles allow the action in the current state, checks
 * the actor's SCOPE (which dossiers a role may touch, docs/lifecycle.md),
 * applies the action's effects (legal clock, steps, custody, collection,
 * fees, ratings, complaints), bumps the dossier's version, and writes one
 * row of the process control form (dossier_event), one audit entry and one
 * outbox row for the national portal. The client's version must equal the
 * row's (optimistic concurrency): otherwise ERR_VERSION_CONFLICT and
 * nothing changes.
 *
 * Errors: ERR_NOT_FOUND (no such dossier, or a citizen's look at another
 * person's dossier: the same answer), ERR_UNKNOWN_ACTION, ERR_VERSION_CONFLICT,
 * ERR_ACTION_NOT_ALLOWED (not in this state), ERR_FORBIDDEN (role or scope),
 * ERR_GUARD_FAILED (a rule of the table or of the effects is not met),
 * ERR_MISSING_ARGUMENT / ERR_INVALID_ARGUMENT (params), ERR_COMPETENT_UNIT_REQUIRED
 * (accept), database errors.
 */
#ifndef MOTCUA_SERVICE_ACTION_H
#define MOTCUA_SERVICE_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"
#include "domain/dossier_code.h"
#include "domain/lifecycle.h"
#include "service/service.h"

#define ACTION_ANY_VERSION    (-1) /* expected version of system actors that skip the check */
#define ACTION_NOTE_MAX       1000 /* bytes of a note, reason, comment or complaint */
#define ACTION_MAX_COMPONENTS 64   /* component numbers in one action */

/* Parameters of an action; fields an action does not use are ignored. */
struct action_params {
	const char *note;            /* reason or note; required by refuse, refuse_reception, stop,
	                                extend, request_supplement, return_for_rework, transfer */
	int64_t new_due;             /* extend: the new appointment (epoch seconds); 0 = none */
	const char *to_unit;         /* transfer (new competent unit), change_collection (branch),
	                                handover (where the paper goes) */
	const char *to_account;      /* take (optional, default the actor), reassign */
	const char *competent_unit;  /* accept: the officer's choice when it cannot be determined */
	int64_t fee_vnd;             /* request_fee: < 0 takes the procedure's fee */
	const char *payment_channel; /* record_payment: counter, online, post (default: online
	                                for the applicant, counter for staff) */
	const char *collector_id_number; /* deliver: ID number of the person collecting */
	const char *rating;    /* rate: very_satisfied, satisfied, neutral, dissatisfied */
	const char *comment;   /* rate */
	const char *complaint; /* complain */
	const int *components; /* request_supplement: missing ones; receive_supplement:
	                          supplied ones (none given: all missing ones) */
	size_t n_components;
	bool by_post;             /* change_collection: return by post instead of at a branch */
	const char *post_address; /* change_collection with by_post */
	const char *custody;      /* handover without to_unit: "courier" or "post" */
};

/* Clears p (fee_vnd = -1: the procedure's fee). */
void action_params_init(struct action_params *p);

/* What an action did. */
struct action_result {
	char id[DBD_ID_SIZE];
	char code[DBD_KEY_SIZE];
	char from_state[DBD_SHORT_SIZE];
	char state[DBD_SHORT_SIZE];
	int portal_code;     /* national portal status 1-10 */
	int64_t version;     /* the dossier's new version */
	int64_t received_at; /* DB_NONE before acceptance */
	int64_t due_at;      /* the appointment now (DB_NONE before acceptance) */
	int64_t original_due_at;
	char step_result[DBD_SHORT_SIZE]; /* early / on_time / late when a step (or the dossier)
	                                     ended */
	char form[DBD_SHORT_SIZE];        /* form issued: receipt, refusal, supplement, apology,
	                                     stop_notice, or "" */
	char refer_unit[DBD_KEY_SIZE];    /* accept refused (not boundary-free): where to go */
};

/*
 * Performs the action named `action` (lifecycle.def names, e.g. "take") on
 * the dossier whose internal id or code is `dossier`, as actor, if the
 * dossier is at expected_version (ACTION_ANY_VERSION only for system
 * actors). params may be NULL when the action needs none. Fills *out on
 * success (out may be NULL).
 */
enum err_code action_perform(struct service *svc, const struct actor *actor, const char *dossier,
                             const char *action, int64_t expected_version,
                             const struct action_params *params, struct action_result *out,
                             struct err *e);

/*
 * The same on a connection c inside a write transaction the caller opened
 * (bulk work: the demonstration generator): the same checks, decisions and
 * effects as action_perform(), nothing committed here. ERR_INTERNAL when c
 * is not in a transaction. After an error the caller must roll back.
 */
enum err_code action_perform_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                                const char *dossier, const char *action, int64_t expected_version,
                                const struct action_params *params, struct action_result *out,
                                struct err *e);

/* The actions an actor may perform now on a dossier (for buttons and the API). */
struct action_allowed {
	char id[DBD_ID_SIZE];
	char state[DBD_SHORT_SIZE];
	int64_t version;
	size_t count;
	enum dossier_action actions[ACTION__COUNT];
};

/*
 * Lists them (a read; not audited). ERR_NOT_FOUND as for action_perform();
 * a staff actor with no role on the dossier gets an empty list.
 */
enum err_code action_allowed(struct service *svc, const struct actor *actor, const char *dossier,
                             struct action_allowed *out, struct err *e);

/* ---- shared with intake, worklist and lookup (same transaction) ---- */

/*
 * Loads a dossier by internal id (16 hex digits) or by code. A citizen or
 * business actor who does not own it gets ERR_NOT_FOUND, as for a dossier
 * that does not exist.
 */
enum err_code action_load(struct db_conn *c, const struct actor *actor, const char *dossier,
                          struct db_dossier *out, struct err *e);

/*
 * The roles an actor holds for a dossier: staff roles (without applicant and
 * system bits); ROLE_APPLICANT for the owning citizen or business; ROLE_SYSTEM
 * (plus any roles set) for the system actor. d may be NULL (creation).
 */
unsigned action_effective_roles(const struct actor *actor, const struct db_dossier *d);

/*
 * True when the actor may read the dossier (view, search, work lists): the
 * owner; officers of its receiving or collection unit (and of any receiving
 * unit while it waits for acceptance); specialists and approvers of its
 * competent unit; leaders, supervisors, admins and the system.
 * actor_unit_receives: whether the actor's unit is a receiving unit.
 */
bool action_may_read(const struct actor *actor, const struct db_dossier *d,
                     bool actor_unit_receives);

/*
 * Writes what every change writes, in the caller's transaction: the event
 * row (its version is d->version, already bumped), the audit entry
 * ("dossier.<action>" on "dossier:<id>") and the outbox row (topic
 * "portal.status" with the portal status code of d->state).
 */
enum err_code action_record(struct db_conn *c, const struct actor *actor, int64_t now,
                            const struct db_dossier *d, struct db_dossier_event *ev, struct err *e);

/*
 * Decides an action with the lifecycle table: first with every role the
 * actor holds (ERR_ACTION_NOT_ALLOWED, ERR_FORBIDDEN for the role), then
 * with the roles whose scope covers the dossier (ERR_FORBIDDEN naming the
 * scope), then the guard (ERR_GUARD_FAILED).
 */
enum err_code action_decide(enum dossier_state from, enum dossier_action a, unsigned roles,
                            unsigned scoped_roles, const struct lifecycle_facts *facts,
                            enum dossier_state *to, struct err *e);

/* The portal topic of the outbox rows written by the lifecycle. */
#define ACTION_OUTBOX_TOPIC "portal.status"

#endif
