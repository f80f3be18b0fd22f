/*
 * intake: how a dossier comes into the system.
 *
 *   intake_receive()  counter intake by an officer at any receiving unit
 *                     (state received, code and appointment given at once);
 *   intake_submit()   online filing by a logged-in citizen or business
 *                     (state submitted, no code yet);
 *   intake_accept()   acceptance of an online dossier by an officer of any
 *                     branch (action "accept": the code takes that unit's
 *                     identifier);
 *   intake_refuse()   refusal at the counter of a dossier that cannot be
 *                     received (state refused_at_reception, no code);
 *   intake_population_check()  the population registry check of the form.
 *
 * Each is one transaction writing the dossier, its applicants and components,
 * the first event of the process control form, the audit entries (also one
 * per population look-up) and the outbox row. The rules (routing to the
 * competent unit, which units may receive a procedure that is not
 * boundary-free, the reception instant, the appointment and the step dues)
 * are in docs/lifecycle.md.
 */
#ifndef MOTCUA_SERVICE_INTAKE_H
#define MOTCUA_SERVICE_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"
#include "domain/dossier_code.h"
#include "service/action.h"
#include "service/service.h"

#define INTAKE_NO_DAY            INT64_MIN /* no date of birth given */
#define INTAKE_MAX_CO_APPLICANTS 8         /* applicants besides the first (e.g. the spouse) */
#define INTAKE_MAX_COMPONENTS    64
#define INTAKE_NAME_MAX          (DBD_NAME_SIZE - 1)
#define INTAKE_TEXT_MAX          (DBD_TEXT_SIZE - 1)

enum intake_applicant_kind { INTAKE_PERSON = 0, INTAKE_ORGANISATION = 1 };

/* A further applicant (a person). */
struct intake_person {
	const char *full_name;
	const char *id_number; /* 12-digit personal identification number */
	int64_t birth_day;     /* days since 1970-01-01, or INTAKE_NO_DAY */
};

/* A component handed in (by its number in the procedure). */
struct intake_component {
	int seq;
	bool original_kept; /* the paper original stays with the centre */
};

/* The form of a new dossier. Strings are borrowed; NULL or "" means not given. */
struct intake_request {
	const char *procedure_code;
	enum intake_applicant_kind applicant_kind;
	const char *applicant_name; /* the person's full name or the organisation's name */
	const char *id_number;      /* person: required */
	const char *tax_code;       /* organisation: required (10 digits, or 10-3) */
	int64_t birth_day;          /* person: for the population check, or INTAKE_NO_DAY */
	const char *phone;
	const char *email;
	const char *address;
	const char *residence_commune; /* declared; the registry's wins when it confirms one */
	const char *property_commune;  /* for procedures routed by the property's location */
	const struct intake_person *co_applicants;
	size_t n_co_applicants;
	const char *representative_name;      /* an authorised representative, if any */
	const char *representative_id_number; /* required with a representative */
	const char *authorisation_doc;        /* required with a representative */
	const struct intake_component *components;
	size_t n_components;
	const char *competent_unit;  /* the officer's choice when it cannot be determined */
	const char *collection_unit; /* where the result is returned; counter default: here */
	bool by_post;
	const char *post_address;  /* required with by_post */
	bool received_by_post;     /* counter: the dossier came by post (not for submit) */
	const char *owner_account; /* counter: the citizen's account id to link, optional */
	const char *note;
};

/* Sets every field to "not given" (birth_day = INTAKE_NO_DAY). */
void intake_request_init(struct intake_request *r);

/* What intake did. */
struct intake_result {
	char id[DBD_ID_SIZE];
	char code[DBD_KEY_SIZE]; /* "" until accepted */
	char state[DBD_SHORT_SIZE];
	int portal_code;
	int64_t version;
	int64_t received_at; /* legal reception instant, DB_NONE when not received */
	int64_t due_at;      /* appointment, DB_NONE when not received */
	char receiving_unit[DBD_KEY_SIZE];
	char competent_unit[DBD_KEY_SIZE];
	bool competent_chosen; /* chosen by the officer, not determined */
	char collection_unit[DBD_KEY_SIZE];
	bool population_verified; /* every applicant person matched the registry */
	char residence_commune[DBD_SHORT_SIZE];
	int64_t step_seq;
	int64_t step_due_at;
	/* refused because the procedure is not boundary-free here: where to go */
	char refer_unit[DBD_KEY_SIZE];
	char refer_name[DBD_TEXT_SIZE];
};

/*
 * Counter intake by an officer (actor) at the actor's unit. Errors:
 * ERR_FORBIDDEN (not an officer, or the unit does not receive), ERR_NOT_FOUND
 * (unknown or inactive procedure), ERR_INVALID_ARGUMENT / ERR_MISSING_ARGUMENT
 * / ERR_INVALID_CCCD / ERR_CCCD_MISMATCH (the form; a required component
 * missing), ERR_COMPETENT_UNIT_REQUIRED, ERR_GUARD_FAILED (not boundary-free
 * and not receivable here: out->refer_unit / refer_name say where to go),
 * database errors.
 */
enum err_code intake_receive(struct service *svc, const struct actor *actor,
                             const struct intake_request *req, struct intake_result *out,
                             struct err *e);

/*
 * Online filing by a citizen or business actor (owner of the new dossier).
 * The collection unit (a receiving unit) or by_post is required. The
 * competent unit is determined when possible, else left for acceptance.
 * ERR_GUARD_FAILED when the procedure cannot be filed online.
 */
enum err_code intake_submit(struct service *svc, const struct actor *actor,
                            const struct intake_request *req, struct intake_result *out,
                            struct err *e);

/*
 * Refusal at the counter: records a dossier refused at reception with the
 * reason (required) and issues the refusal form. The form is checked as for
 * intake_receive() except components and routing.
 */
enum err_code intake_refuse(struct service *svc, const struct actor *actor,
                            const struct intake_request *req, const char *reason,
                            struct intake_result *out, struct err *e);

/*
 * Acceptance of an online dossier (action "accept") at the officer's unit.
 * competent_unit: the officer's choice when the dossier's competent unit
 * could not be determined (NULL otherwise).
 */
enum err_code intake_accept(struct service *svc, const struct actor *actor, const char *dossier,
                            int64_t expected_version, const char *competent_unit,
                            struct action_result *out, struct err *e);

/*
 * The same three intakes on a connection c inside a write transaction the
 * caller opened (bulk work: the demonstration generator), with the same
 * checks and effects as intake_receive(), intake_submit() and
 * intake_refuse(); nothing is committed here. ERR_INTERNAL when c is not in
 * a transaction. After any error the caller must roll back, except for a
 * refusal decided after population look-ups (the look-ups' audit rows are
 * then written and kept, as the public wrappers keep them).
 */
enum err_code intake_receive_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                                const struct intake_request *req, struct intake_result *out,
                                struct err *e);
enum err_code intake_submit_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                               const struct intake_request *req, struct intake_result *out,
                               struct err *e);
enum err_code intake_refuse_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                               const struct intake_request *req, const char *reason,
                               struct intake_result *out, struct err *e);

/* The answer of the population check: nothing but whether all three matched. */
struct intake_population {
	bool matched;
	char residence_commune[DBD_SHORT_SIZE]; /* only when matched ("" when outside Hanoi) */
};

/*
 * Checks an ID number, full name (compared folded) and date of birth against
 * the population registry, and audits the look-up. A missing row and a
 * mismatch give the same answer (matched = false). ERR_INVALID_CCCD for a
 * malformed number; ERR_FORBIDDEN for actors other than officers and
 * citizens / businesses.
 */
enum err_code intake_population_check(struct service *svc, const struct actor *actor,
                                      const char *id_number, const char *full_name,
                                      int64_t birth_day, struct intake_population *out,
                                      struct err *e);

/*
 * The legal reception instant (*received_at) and the appointment (*due_at)
 * that a counter intake of the procedure would get if it were received now,
 * for the preview of the intake form; nothing is written. ERR_NOT_FOUND for
 * an unknown or inactive procedure, ERR_INVALID_ARGUMENT for a malformed code.
 */
enum err_code intake_appointment(struct service *svc, const char *procedure_code,
                                 int64_t *received_at, int64_t *due_at, struct err *e);

/* ---- shared with action.c (inside its transaction) ---- */

/*
 * The acceptance of d at the actor's unit (counter receive and online
 * accept): the competent unit (routing, or competent_choice), the check that
 * the unit may receive the procedure, the dossier code from the unit's
 * identifier and the daily sequence, the legal reception instant, the
 * appointment, the first step and its due, custody of originals
 * (originals_kept). Fills refer_unit (may be NULL) when refused because the
 * procedure is not boundary-free.
 */
enum err_code intake_accept_effects(struct service *svc, struct db_conn *c,
                                    const struct actor *actor, const struct db_unit_info *unit,
                                    const struct db_procedure_rules *p, struct db_dossier *d,
                                    const char *competent_choice, bool originals_kept, int64_t now,
                                    char refer_unit[DBD_KEY_SIZE], struct err *e);

/* The legal-time limit of a procedure (cut-off: its own, else same_day_cutoff for 0 days). */
void intake_limit(const struct service *svc, const struct db_procedure_rules *p,
                  struct worktime_limit *out);

/* The budget in working seconds of step seq (1-based) of a dossier whose legal time is total. */
int64_t intake_step_budget(const struct db_step_list *steps, int64_t seq, int64_t total);

#endif
