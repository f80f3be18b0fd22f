/*
 * lifecycle: the dossier state machine of the one-stop mechanism (Decree
 * 118/2025/NĐ-CP), as one declarative table (lifecycle.def).
 *
 * Internal states are richer than the national portal's ten status codes;
 * each maps to one code. An action is allowed when the table has a row for
 * (current state, action), the actor holds one of the row's roles, and the
 * row's guard holds for the dossier and its procedure. Scope (which branch,
 * agency or commune the actor belongs to) is checked by the service layer;
 * this module knows only roles and the facts passed in struct lifecycle_facts.
 */
#ifndef MOTCUA_DOMAIN_LIFECYCLE_H
#define MOTCUA_DOMAIN_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

enum dossier_state {
	STATE_NONE = 0, /* before the dossier exists */
#define STATE(id, name, portal, clock, terminal) STATE_##id,
#include "domain/lifecycle.def"
#undef STATE
	STATE__COUNT
};

enum dossier_action {
#define ACTION(id, name, form, summary) ACTION_##id,
#include "domain/lifecycle.def"
#undef ACTION
	ACTION__COUNT
};

/* What the legal clock does in a state. */
enum lifecycle_clock { CLOCK_IDLE, CLOCK_RUNNING, CLOCK_PAUSED, CLOCK_DONE };

/* Forms of Circular 01/2018/TT-VPCP (and 03/2025/TT-VPCP) issued by actions. */
enum lifecycle_form {
	FORM_NONE,
	FORM_RECEIPT,     /* receipt and appointment slip */
	FORM_REFUSAL,     /* refusal of reception */
	FORM_SUPPLEMENT,  /* supplement request */
	FORM_APOLOGY,     /* apology and new appointment */
	FORM_STOP_NOTICE, /* notice that processing stopped */
};

/* Roles, as bits so that a row can allow several and a user can hold several. */
enum lifecycle_role {
	ROLE_ADMIN = 1u << 0,      /* administers users and reference data */
	ROLE_LEADER = 1u << 1,     /* whole city, read */
	ROLE_SUPERVISOR = 1u << 2, /* inspection: read + audit log */
	ROLE_OFFICER = 1u << 3,    /* a branch or point: receives and returns */
	ROLE_SPECIALIST = 1u << 4, /* an agency or commune: processes */
	ROLE_APPROVER = 1u << 5,   /* head or deputy of an agency: signs off */
	ROLE_APPLICANT = 1u << 6,  /* the citizen or business of the dossier */
	ROLE_SYSTEM = 1u << 7,     /* other systems (post, national portal) */
};

#define R_OFFICER    ROLE_OFFICER
#define R_SPECIALIST ROLE_SPECIALIST
#define R_APPROVER   ROLE_APPROVER
#define R_APPLICANT  ROLE_APPLICANT
#define R_SYSTEM     ROLE_SYSTEM

/* Guards: rules checked against the facts of a dossier and its procedure. */
enum lifecycle_guard {
	GUARD_NONE,
	GUARD_ONLINE_ALLOWED,       /* the procedure can be filed online */
	GUARD_RECEIVABLE_HERE,      /* boundary-free, or this unit may receive it */
	GUARD_SUPPLEMENT_LEFT,      /* fewer supplement requests than the maximum */
	GUARD_EXTENSION_LEFT,       /* fewer extensions than the maximum */
	GUARD_NEEDS_SIGNOFF,        /* the procedure has a sign-off step */
	GUARD_NO_SIGNOFF,           /* the procedure has no sign-off step */
	GUARD_COLLECT_AT_BRANCH,    /* the result is collected at a branch */
	GUARD_BY_POST,              /* the result goes by post */
	GUARD_AT_COLLECTION_BRANCH, /* the actor works at the branch of collection */
	GUARD_NOT_RATED,            /* the applicant has not rated yet */
};

/* Facts the guards read. The service layer fills them from the database. */
struct lifecycle_facts {
	bool online_allowed;
	bool receivable_here;
	int supplements_used, supplements_max;
	int extensions_used, extensions_max;
	bool needs_signoff;
	bool by_post;
	bool actor_at_collection_branch;
	bool rated;
};

/* Names ("processing", "request_supplement"); NULL when out of range. */
const char *lifecycle_state_name(enum dossier_state s);
const char *lifecycle_action_name(enum dossier_action a);
const char *lifecycle_action_summary(enum dossier_action a);
const char *lifecycle_role_name(enum lifecycle_role r);

/* Look-ups by name. Return ERR_OK, ERR_UNKNOWN_STATE or ERR_UNKNOWN_ACTION. */
enum err_code lifecycle_state_from_name(const char *name, enum dossier_state *out);
enum err_code lifecycle_action_from_name(const char *name, enum dossier_action *out);

/* Parses a role name ("officer") into its bit; 0 when unknown. */
unsigned lifecycle_role_from_name(const char *name);

/* National portal status code (1-10) of a state; 0 for STATE_NONE. */
int lifecycle_portal_code(enum dossier_state s);

/* What the legal clock does in a state. */
enum lifecycle_clock lifecycle_clock_of(enum dossier_state s);

/* True when no action but complaints (and rating) can follow. */
bool lifecycle_is_terminal(enum dossier_state s);

/* The form an action issues. */
enum lifecycle_form lifecycle_action_form(enum dossier_action a);

/* True when the guard holds for the facts (a NULL facts pointer holds no guard but GUARD_NONE). */
bool lifecycle_guard_ok(enum lifecycle_guard g, const struct lifecycle_facts *f);

/*
 * Decides whether an actor holding the roles in role_mask may perform action
 * a on a dossier in state from. On success stores the next state in *to and
 * returns ERR_OK. Otherwise returns ERR_ACTION_NOT_ALLOWED (no such
 * transition from this state), ERR_FORBIDDEN (the transition exists but not
 * for these roles) or ERR_GUARD_FAILED (a rule is not met; the detail says
 * which), and leaves *to untouched.
 */
enum err_code lifecycle_next(enum dossier_state from, enum dossier_action a, unsigned role_mask,
                             const struct lifecycle_facts *facts, enum dossier_state *to,
                             struct err *e);

/*
 * Lists the actions the roles may perform now (for buttons and the API's
 * "actions" field). Writes at most max actions to out; returns how many.
 */
size_t lifecycle_allowed(enum dossier_state from, unsigned role_mask,
                         const struct lifecycle_facts *facts, enum dossier_action *out, size_t max);

#endif
