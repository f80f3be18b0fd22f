/*
 * lookup: reading one dossier.
 *
 * lookup_public() is the status look-up anyone may make without logging in:
 * the dossier code and the last 4 digits of the applicant's ID number or
 * phone give the state, the portal status code, the appointment, where to
 * collect the result and the step history -- never staff names, never the
 * applicant's personal data. A wrong code and a wrong secret give the same
 * error (ERR_NOT_FOUND, same detail). Failed look-ups are counted per client
 * address in the database (service/ratelimit.h, bucket "lookup:ADDR"): an
 * address with LOOKUP_FAIL_MAX failures in LOOKUP_FAIL_WINDOW seconds gets
 * ERR_RATE_LIMITED for every look-up until the window ends -- correct ones
 * too, or the 429 / 200 difference would let a guesser go on at full speed.
 * Correct look-ups never count, so an address that only makes correct
 * look-ups is never throttled.
 *
 * lookup_dossier() is the full view for staff in scope and the owner
 * (audited for staff: it shows personal data).
 */
#ifndef MOTCUA_SERVICE_LOOKUP_H
#define MOTCUA_SERVICE_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db_dossier.h"
#include "service/service.h"

#define LOOKUP_SECRET_LEN  4   /* digits */
#define LOOKUP_FAIL_MAX    10  /* failed look-ups per address ... */
#define LOOKUP_FAIL_WINDOW 600 /* ... per this many seconds */

/* One line of the public history. */
struct lookup_step {
	int64_t at;
	char action[DBD_SHORT_SIZE];
	char state[DBD_SHORT_SIZE];
	int portal_code;
	char unit[DBD_KEY_SIZE]; /* the unit that acted ("" for the applicant) */
	char unit_name[DBD_TEXT_SIZE];
	char step_result[DBD_SHORT_SIZE];
	int64_t due_at; /* the appointment after this step, DB_NONE when none */
};

struct lookup_public {
	char code[DBD_KEY_SIZE];
	char procedure_code[DBD_KEY_SIZE];
	char procedure_name_vi[DBD_TEXT_SIZE];
	char procedure_name_en[DBD_TEXT_SIZE];
	char state[DBD_SHORT_SIZE];
	int portal_code;
	char outcome[DBD_SHORT_SIZE]; /* "", granted, refused */
	int64_t received_at, due_at;  /* DB_NONE when not set */
	bool by_post;
	char collection_unit[DBD_KEY_SIZE];
	char collection_name[DBD_TEXT_SIZE];
	char collection_address[DBD_TEXT_SIZE];
	struct lookup_step *steps;
	size_t nsteps;
	int64_t retry_after; /* with ERR_RATE_LIMITED: seconds to wait */
};

void lookup_public_release(struct lookup_public *p);

/*
 * The public look-up from client address addr (for the rate limit; "" is
 * one shared bucket). ERR_INVALID_ARGUMENT when last4 is not 4 digits;
 * ERR_NOT_FOUND for a wrong code or secret; ERR_RATE_LIMITED (out->retry_after
 * set) when the address failed too often. Release out in every case.
 */
enum err_code lookup_public(struct service *svc, const char *addr, const char *code,
                            const char *last4, struct lookup_public *out, struct err *e);

/* The full view of a dossier. */
struct lookup_view {
	struct db_dossier dossier;
	struct db_applicant_list applicants;
	struct db_component_list components;
	struct db_event_list events;
};

void lookup_view_release(struct lookup_view *v);

/*
 * The dossier (internal id or code) as actor may see it: ERR_NOT_FOUND when
 * absent (or another person's, for citizens), ERR_FORBIDDEN for staff out of
 * scope (action_may_read()). Staff reads are audited ("dossier.read").
 */
enum err_code lookup_dossier(struct service *svc, const struct actor *actor, const char *dossier,
                             struct lookup_view *out, struct err *e);

/* A staff account named in a process control form. */
struct lookup_staff {
	char username[DBD_KEY_SIZE]; /* "" when the account is unknown */
};

/*
 * The usernames of the accounts ids[0..n) (the actors and holders named in a
 * dossier's events) into out[0..n), for a staff reader of the process control
 * form (one read transaction; nothing else of the accounts is shown). Empty
 * ids give empty names. ERR_FORBIDDEN for actors other than staff and the
 * system, ERR_OUT_OF_RANGE for more than LOOKUP_STAFF_MAX ids.
 */
#define LOOKUP_STAFF_MAX 256
enum err_code lookup_staff_names(struct service *svc, const struct actor *actor,
                                 const char *const *ids, size_t n, struct lookup_staff *out,
                                 struct err *e);

#endif
