/*
 * lifecycle: the dossier state machine built from lifecycle.def.
 *
 * Two pseudo-states appear only in the table: ANY (every existing state) and
 * ANY_OPEN (every state that is not terminal). Rows are matched in table
 * order; the first row for (state, action) whose roles match wins, so a more
 * specific row can precede a general one.
 */
#include "domain/lifecycle.h"

#include <string.h>

struct state_info {
	const char *name;
	int portal;
	enum lifecycle_clock clock;
	bool terminal;
};

static const struct state_info states[STATE__COUNT] = {
        [STATE_NONE] = {"none", 0, CLOCK_IDLE, false},
#define STATE(id, name, portal, clock, terminal) [STATE_##id] = {name, portal, clock, terminal},
#include "domain/lifecycle.def"
#undef STATE
};

struct action_info {
	const char *name;
	enum lifecycle_form form;
	const char *summary;
};

static const struct action_info actions[ACTION__COUNT] = {
#define ACTION(id, name, form, summary) [ACTION_##id] = {name, form, summary},
#include "domain/lifecycle.def"
#undef ACTION
};

/* Table-only pseudo-states, numbered after the real ones. */
enum { FROM_ANY = STATE__COUNT, FROM_ANY_OPEN, TO_SAME };
#define STATE_ANY      FROM_ANY
#define STATE_ANY_OPEN FROM_ANY_OPEN
#define STATE_SAME     TO_SAME

struct transition {
	int from;
	enum dossier_action action;
	int to;
	unsigned roles;
	enum lifecycle_guard guard;
};

static const struct transition transitions[] = {
#define TR(from, action, to, roles, guard)                                                         \
	{STATE_##from, ACTION_##action, STATE_##to, roles, guard},
#include "domain/lifecycle.def"
#undef TR
};

#define N_TRANSITIONS (sizeof transitions / sizeof transitions[0])

static const char *const role_names[] = {"admin",      "leader",   "supervisor", "officer",
                                         "specialist", "approver", "applicant",  "system"};

static const char *const guard_reasons[] = {
        [GUARD_NONE] = "",
        [GUARD_ONLINE_ALLOWED] = "the procedure cannot be filed online",
        [GUARD_RECEIVABLE_HERE] = "the procedure is not boundary-free and cannot be received here",
        [GUARD_SUPPLEMENT_LEFT] = "the maximum number of supplement requests has been reached",
        [GUARD_EXTENSION_LEFT] = "the maximum number of extensions has been reached",
        [GUARD_NEEDS_SIGNOFF] = "the procedure has no sign-off step",
        [GUARD_NO_SIGNOFF] = "the procedure needs the sign-off of the head of the agency",
        [GUARD_COLLECT_AT_BRANCH] = "the result goes by post, not to a branch",
        [GUARD_BY_POST] = "the applicant chose to collect the result at a branch",
        [GUARD_AT_COLLECTION_BRANCH] = "only the branch of collection can do this",
        [GUARD_NOT_RATED] = "the dossier has been rated already",
};

const char *lifecycle_state_name(enum dossier_state s)
{
	return (unsigned)s < STATE__COUNT ? states[s].name : NULL;
}

const char *lifecycle_action_name(enum dossier_action a)
{
	return (unsigned)a < ACTION__COUNT ? actions[a].name : NULL;
}

const char *lifecycle_action_summary(enum dossier_action a)
{
	return (unsigned)a < ACTION__COUNT ? actions[a].summary : NULL;
}

const char *lifecycle_role_name(enum lifecycle_role r)
{
	for (unsigned i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if ((unsigned)r == 1u << i)
			return role_names[i];
	return NULL;
}

unsigned lifecycle_role_from_name(const char *name)
{
	for (unsigned i = 0; name && i < sizeof role_names / sizeof role_names[0]; i++)
		if (strcmp(role_names[i], name) == 0)
			return 1u << i;
	return 0;
}

enum err_code lifecycle_state_from_name(const char *name, enum dossier_state *out)
{
	for (int i = 1; name && i < STATE__COUNT; i++) {
		if (strcmp(states[i].name, name) == 0) {
			*out = (enum dossier_state)i;
			return ERR_OK;
		}
	}
	return ERR_UNKNOWN_STATE;
}

enum err_code lifecycle_action_from_name(const char *name, enum dossier_action *out)
{
	for (int i = 0; name && i < ACTION__COUNT; i++) {
		if (strcmp(actions[i].name, name) == 0) {
			*out = (enum dossier_action)i;
			return ERR_OK;
		}
	}
	return ERR_UNKNOWN_ACTION;
}

int lifecycle_portal_code(enum dossier_state s)
{
	return (unsigned)s < STATE__COUNT ? states[s].portal : 0;
}

enum lifecycle_clock lifecycle_clock_of(enum dossier_state s)
{
	return (unsigned)s < STATE__COUNT ? states[s].clock : CLOCK_IDLE;
}

bool lifecycle_is_terminal(enum dossier_state s)
{
	return (unsigned)s < STATE__COUNT && states[s].terminal;
}

enum lifecycle_form lifecycle_action_form(enum dossier_action a)
{
	return (unsigned)a < ACTION__COUNT ? actions[a].form : FORM_NONE;
}

bool lifecycle_guard_ok(enum lifecycle_guard g, const struct lifecycle_facts *f)
{
	if (g == GUARD_NONE)
		return true;
	if (!f)
		return false;
	switch (g) {
	case GUARD_ONLINE_ALLOWED:
		return f->online_allowed;
	case GUARD_RECEIVABLE_HERE:
		return f->receivable_here;
	case GUARD_SUPPLEMENT_LEFT:
		return f->supplements_used < f->supplements_max;
	case GUARD_EXTENSION_LEFT:
		return f->extensions_used < f->extensions_max;
	case GUARD_NEEDS_SIGNOFF:
		return f->needs_signoff;
	case GUARD_NO_SIGNOFF:
		return !f->needs_signoff;
	case GUARD_COLLECT_AT_BRANCH:
		return !f->by_post;
	case GUARD_BY_POST:
		return f->by_post;
	case GUARD_AT_COLLECTION_BRANCH:
		return f->actor_at_collection_branch;
	case GUARD_NOT_RATED:
		return !f->rated;
	case GUARD_NONE:
		break;
	}
	return true;
}

/* True when a row's from-state covers state s. */
static bool from_matches(int from, enum dossier_state s)
{
	if (from == FROM_ANY)
		return s != STATE_NONE;
	if (from == FROM_ANY_OPEN)
		return s != STATE_NONE && !states[s].terminal;
	return from == (int)s;
}

enum err_code lifecycle_next(enum dossier_state from, enum dossier_action a, unsigned role_mask,
                             const struct lifecycle_facts *facts, enum dossier_state *to,
                             struct err *e)
{
	if ((unsigned)from >= STATE__COUNT)
		return err_set(e, ERR_UNKNOWN_STATE, "unknown state %d", (int)from);
	if ((unsigned)a >= ACTION__COUNT)
		return err_set(e, ERR_UNKNOWN_ACTION, "unknown action %d", (int)a);
	const struct transition *row = NULL;
	bool exists = false;
	for (size_t i = 0; i < N_TRANSITIONS; i++) {
		const struct transition *t = &transitions[i];
		if (t->action != a || !from_matches(t->from, from))
			continue;
		exists = true;
		if (t->roles & role_mask) {
			row = t;
			break;
		}
	}
	if (!exists)
		return err_set(e, ERR_ACTION_NOT_ALLOWED,
		               "action '%s' is not allowed in state '%s'", actions[a].name,
		               states[from].name);
	if (!row)
		return err_set(e, ERR_FORBIDDEN, "your role may not '%s' a dossier in state '%s'",
		               actions[a].name, states[from].name);
	if (!lifecycle_guard_ok(row->guard, facts))
		return err_set(e, ERR_GUARD_FAILED, "cannot '%s': %s", actions[a].name,
		               guard_reasons[row->guard]);
	*to = row->to == TO_SAME ? from : (enum dossier_state)row->to;
	return ERR_OK;
}

size_t lifecycle_allowed(enum dossier_state from, unsigned role_mask,
                         const struct lifecycle_facts *facts, enum dossier_action *out, size_t max)
{
	size_t n = 0;
	for (int a = 0; a < ACTION__COUNT && n < max; a++) {
		enum dossier_state to;
		if (lifecycle_next(from, (enum dossier_action)a, role_mask, facts, &to, NULL) ==
		    ERR_OK)
			out[n++] = (enum dossier_action)a;
	}
	return n;
}
