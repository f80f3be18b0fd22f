/*
 * worklist: what staff have to do, and staff search.
 *
 * A work list is the set of open dossiers in one scope -- an agency's (its
 * competent unit), a specialist's (the dossiers they hold), a branch's
 * (results waiting for collection there, online filings waiting for
 * acceptance, dossiers it received) or, for leaders and supervisors, the
 * city's -- optionally one state, due within N working hours, or overdue.
 * Items are sorted by remaining working time (computed with the civil-service
 * calendar: W(due) - W(now) for a running clock, the time left at the pause
 * for a paused one), the most urgent first; items without a running or
 * paused clock follow, oldest first. Each list reports its total and is cut
 * by limit / offset.
 *
 * Staff search finds dossiers by code, applicant name (folded, word
 * prefix), ID number (of any applicant or the representative) or phone,
 * within the searcher's scope. Work lists and searches show personal data,
 * so each read is audited ("worklist.read", "dossier.search").
 */
#ifndef MOTCUA_SERVICE_WORKLIST_H
#define MOTCUA_SERVICE_WORKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db_dossier.h"
#include "service/service.h"

#define WORKLIST_DEFAULT_LIMIT 50
#define WORKLIST_MAX_LIMIT     500
#define WORKLIST_SCAN_MAX      5000 /* dossiers of one scope sorted in memory */

enum worklist_kind {
	WORKLIST_AGENCY,     /* specialist / approver: open dossiers of their competent unit */
	WORKLIST_MINE,       /* specialist / approver: open dossiers they hold */
	WORKLIST_COLLECTION, /* officer: results on their way to, or waiting at, this branch */
	WORKLIST_ONLINE,     /* officer: online filings waiting for acceptance (default: those
	                        whose chosen branch of collection is this one) */
	WORKLIST_RECEIVED,   /* officer: open dossiers this branch received */
	WORKLIST_CITY,       /* leader / supervisor / admin: every open dossier */
};

/* "agency", "mine", "collection", "online", "received", "city"; NULL when out of range. */
const char *worklist_kind_name(enum worklist_kind k);
/* Parses a kind name. Returns ERR_OK or ERR_INVALID_ARGUMENT. */
enum err_code worklist_kind_from_name(const char *name, enum worklist_kind *out, struct err *e);

struct worklist_query {
	enum worklist_kind kind;
	const char *state;        /* one state name, or NULL for the kind's open states */
	int64_t due_within_hours; /* >= 0: remaining working time at most N hours (overdue
	                             included); < 0: no such filter */
	bool overdue;             /* only dossiers past their appointment */
	bool all_branches;        /* WORKLIST_ONLINE: every branch's filings */
	int64_t received_from;    /* > 0: only dossiers whose legal reception is at or after
	                             this instant (e.g. the start of today); 0: no such filter */
	int64_t limit;            /* 0: WORKLIST_DEFAULT_LIMIT; at most WORKLIST_MAX_LIMIT */
	int64_t offset;
};

/* Sets the defaults (due_within_hours = -1, limit 0). */
void worklist_query_init(struct worklist_query *q, enum worklist_kind kind);

struct worklist_item {
	char id[DBD_ID_SIZE];
	char code[DBD_KEY_SIZE];
	char procedure_code[DBD_KEY_SIZE];
	char state[DBD_SHORT_SIZE];
	int portal_code;
	int64_t version;
	char applicant_name[DBD_NAME_SIZE];
	char receiving_unit[DBD_KEY_SIZE];
	char competent_unit[DBD_KEY_SIZE];
	char collection_unit[DBD_KEY_SIZE];
	char holder_account[DBD_KEY_SIZE];
	int64_t submitted_at, received_at, due_at; /* DB_NONE when not set */
	bool has_remaining;                        /* the clock runs or is paused */
	bool paused;
	int64_t remaining; /* working seconds to the appointment; negative: late */
	bool overdue;
	int64_t step_seq, step_due_at;
};

struct worklist {
	struct worklist_item *items;
	size_t count;
	int64_t total;  /* items matching, before limit / offset */
	bool truncated; /* the scope held more than WORKLIST_SCAN_MAX open dossiers */
};

/* Frees the items. */
void worklist_free(struct worklist *w);

/*
 * The work list q for actor. ERR_FORBIDDEN when the actor's roles do not
 * have that kind of list; ERR_UNKNOWN_STATE for an unknown state;
 * ERR_OUT_OF_RANGE for a bad limit or offset.
 */
enum err_code worklist_get(struct service *svc, const struct actor *actor,
                           const struct worklist_query *q, struct worklist *out, struct err *e);

struct worklist_search {
	const char *code;
	const char *name; /* any part starting a word of the applicant's name, any accents */
	const char *id_number;
	const char *phone;
	int64_t limit, offset;
};

/*
 * Search within the actor's scope (officers: their branch's receiving and
 * collection; specialists and approvers: their competent unit; leaders,
 * supervisors and admins: the city; a citizen or business: the dossiers of
 * their own account, "my dossiers"), newest first. Staff give at least one
 * criterion (ERR_MISSING_ARGUMENT otherwise) and their search is audited;
 * an applicant may give none (all their dossiers). ERR_FORBIDDEN for other
 * actors.
 */
enum err_code worklist_search(struct service *svc, const struct actor *actor,
                              const struct worklist_search *q, struct worklist *out, struct err *e);

#endif
