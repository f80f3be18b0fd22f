/*
 * admin: the use cases of the administration pages (web/web_admin.c), for
 * administrators (ROLE_ADMIN; the system actor may too): procedures with
 * their components and steps, the centre's branches and service points,
 * staff accounts (a thin layer over service/account.h that says which form
 * field is wrong), and the days off and make-up working days announced after
 * the release of data/holidays.csv.
 *
 * Every change is one transaction that checks the input with the importer's
 * rules (the checks of service/import.h and the domain's holiday parser, not
 * a second set), writes through the catalogue's upserts (db/db_catalog.h) or
 * db/db_admin.h, and appends an audit row (service/audit.h) in the same
 * transaction: procedure.update, procedure.components, procedure.steps,
 * unit.update, holiday.announce, holiday.withdraw (accounts: account.*).
 * Invalid input gives ERR_INVALID_ARGUMENT and, per form field, what is
 * wrong in struct admin_errors, so that a page can show each message next
 * to its field; e->detail holds the first one.
 *
 * Changes take effect for what is computed afterwards. Legal times, fees,
 * steps and holidays already used for a dossier (its appointment, its step
 * dues) stay as they were computed.
 *
 * The calendar. The civil-service calendar is built at start-up from the
 * holiday data (service/calendar.h) and shared read-only by every server
 * thread. The days announced by administrators live in the table
 * holiday_announcement; the calendar in force is the data plus these rows.
 * An announcement (or its withdrawal) builds a NEW calendar inside its
 * transaction -- so the rows are checked by the same parser and resolver as
 * the file's, and a rejected one changes nothing -- and after the commit
 * publishes it with an atomic pointer store (service_calendar_publish):
 * requests in flight finish with the table they loaded, later ones get the
 * new one, and no table is freed before shutdown. A process-wide lock
 * orders the rebuilds. A date that the bundled data also lists is ignored
 * in the announcements (the data of a newer release wins; the page marks
 * the row), so a new release cannot stop the server from starting. Other
 * nodes sharing a PostgreSQL database see a change when they call
 * admin_calendar_sync() (at start-up, on the holidays page, or from a
 * periodic task): the counter 'calendar.announcements' tells them whether
 * their calendar is current.
 */
#ifndef MOTCUA_SERVICE_ADMIN_H
#define MOTCUA_SERVICE_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db_admin.h"
#include "db/db_dossier.h"
#include "service/account.h"
#include "service/import.h"
#include "service/service.h"

#define ADMIN_ERRORS_MAX       32   /* field errors kept for one form */
#define ADMIN_FIELD_NAME_MAX   32   /* bytes of a form field's name + NUL */
#define ADMIN_NAME_MAX         1000 /* bytes of a procedure's or component's name */
#define ADMIN_SHORT_MAX        250  /* bytes of a sector, a step's name, an announcement's name */
#define ADMIN_SOURCE_MAX       IMPORT_TEXT_MAX /* bytes of a procedure's source, as the importer */
#define ADMIN_LIST_MAX         100             /* rows of one page of procedures */
#define ADMIN_HOLIDAY_DAYS     16              /* dates in one announcement */
#define ADMIN_CALENDAR_COUNTER "calendar.announcements"

/* ---- errors per form field ---- */

enum admin_issue {
	ADMIN_REQUIRED, /* the field is empty */
	ADMIN_INVALID,  /* the value breaks a rule (detail says which) */
	ADMIN_CONFLICT  /* the value clashes with stored data (detail says which) */
};

struct admin_field_error {
	char field[ADMIN_FIELD_NAME_MAX]; /* the form field's name, e.g. "fee_vnd", "c3_name" */
	enum admin_issue issue;
	char detail[IMPORT_WHY_MAX]; /* English, from the shared checks */
};

struct admin_errors {
	struct admin_field_error items[ADMIN_ERRORS_MAX];
	size_t count;
};

void admin_errors_clear(struct admin_errors *fe);

/* The first error of a field, or NULL. */
const struct admin_field_error *admin_error_of(const struct admin_errors *fe, const char *field);

/* ---- procedures ---- */

/* One page of procedures (active or not), in code order. */
struct admin_procedure_page {
	struct db_admin_procedure *items; /* malloc'd */
	size_t count;
	int64_t total; /* all that match */
};

/*
 * Procedures whose name (diacritics ignored, word prefix) or code (prefix)
 * matches q (NULL or "": all); limit 1..ADMIN_LIST_MAX. ERR_FORBIDDEN unless
 * by is an administrator. Release with admin_procedure_page_release().
 */
enum err_code admin_procedures(struct service *svc, const struct actor *by, const char *q,
                               int64_t limit, int64_t offset, struct admin_procedure_page *out,
                               struct err *e);
void admin_procedure_page_release(struct admin_procedure_page *pg);

/* A procedure with its components and steps. */
struct admin_procedure_view {
	struct db_admin_procedure p;
	struct db_proc_component_list components;
	struct db_step_list steps;
};

/* One procedure, active or not; ERR_NOT_FOUND. Release with admin_procedure_view_release(). */
enum err_code admin_procedure_get(struct service *svc, const struct actor *by, const char *code,
                                  struct admin_procedure_view *out, struct err *e);
void admin_procedure_view_release(struct admin_procedure_view *v);

/* The fields of a procedure as typed in the form (NULL counts as ""). */
struct admin_procedure_input {
	const char *name_vi, *name_en, *sector;
	const char *level;           /* city, commune, police */
	const char *competent_kind;  /* a unit kind */
	const char *competent_unit;  /* a unit code, or "" when found by route_by */
	const char *route_by;        /* fixed, residence, property */
	const char *legal_amount;    /* whole number of ... */
	const char *legal_unit;      /* "days" or "hours" */
	const char *cutoff;          /* HH:MM, or "" for none (days only) */
	const char *fee_vnd;         /* whole number, "" = 0 */
	const char *online;          /* full, partial, none */
	bool boundary_free;          /* may be filed at any branch */
	const char *supplement_rule; /* restart, continue */
	const char *max_supplements, *max_extensions;
	bool active;
	const char *source;
};

/*
 * Checks and stores the fields of procedure code (form fields: the member
 * names above). needs_signoff follows the steps and is not changed here.
 * *changed (may be NULL) says whether any column differed; only a change is
 * audited ("procedure.update", detail: the changed fields, old and new).
 * ERR_INVALID_ARGUMENT with fe filled, ERR_NOT_FOUND, ERR_FORBIDDEN.
 */
enum err_code admin_procedure_update(struct service *svc, const struct actor *by, const char *code,
                                     const struct admin_procedure_input *in, bool *changed,
                                     struct admin_errors *fe, struct err *e);

/* One row of the components form (NULL name counts as ""). */
struct admin_component_input {
	const char *name;
	bool required;            /* else optional */
	bool population_replaces; /* waived when the population database confirms the applicant */
	bool remove;
};

/*
 * Replaces the components of procedure code by the rows not marked remove,
 * numbered 1, 2, ... in order (form fields c<i>_name, c<i>_remove for row i
 * counted from 1). Names follow the importer's rules (the components column
 * of procedures.csv: no '|', no trailing [marker]); at least one component,
 * at most IMPORT_COMPONENTS_MAX. Removing row k is refused (ADMIN_CONFLICT on
 * c<k>_remove) when dossiers refer to components numbered k or above, since
 * they would be renumbered. Audited as "procedure.components".
 */
enum err_code admin_procedure_set_components(struct service *svc, const struct actor *by,
                                             const char *code,
                                             const struct admin_component_input *rows, size_t n,
                                             struct admin_errors *fe, struct err *e);

/* One row of the steps form. */
struct admin_step_input {
	const char *name_vi, *name_en;
	const char *share_pct; /* whole number 1..100: the share of the legal time */
	const char *role;      /* who performs it: officer (one-stop desk), specialist, approver */
	bool remove;
};

/*
 * Replaces the steps of procedure code as for components (form fields
 * s<i>_name_vi, s<i>_name_en, s<i>_share, s<i>_role, s<i>_remove; errors about
 * the whole list on "steps"): shares add up to 100 (the importer's rule),
 * at least one step, at most IMPORT_STEPS_MAX; removing a step that dossiers
 * or their events refer to is refused. needs_signoff becomes whether an
 * approver step remains. Audited as "procedure.steps".
 */
enum err_code admin_procedure_set_steps(struct service *svc, const struct actor *by,
                                        const char *code, const struct admin_step_input *rows,
                                        size_t n, struct admin_errors *fe, struct err *e);

/* ---- branches and service points ---- */

enum err_code admin_units(struct service *svc, const struct actor *by,
                          struct db_admin_unit_list *out, struct err *e);
enum err_code admin_unit_get(struct service *svc, const struct actor *by, const char *code,
                             struct db_admin_unit *out, struct err *e);

/* The branch form (NULL counts as ""). */
struct admin_unit_input {
	const char *address;
	const char *opening_hours;
	const char *lat, *lon; /* decimal degrees, both or neither */
	const char *coord_note;
	const char *phone;
};

/*
 * Stores the address, opening hours, coordinates (in Hanoi's box), their
 * note and the phone of a centre, branch or point (form fields: the member
 * names). Audited as "unit.update" when something changed (*changed).
 */
enum err_code admin_unit_update(struct service *svc, const struct actor *by, const char *code,
                                const struct admin_unit_input *in, bool *changed,
                                struct admin_errors *fe, struct err *e);

/*
 * Normalizes a telephone number of an office into out: spaces, dots,
 * hyphens and parentheses are dropped and "+84" becomes "0"; the result is a
 * mobile number (10 digits, see account_phone_normalize), a fixed line
 * (11 digits starting 02: area code, e.g. 024 for Hanoi, and 8 digits) or a
 * hotline (1022, 1800xxxx, 1900xxxx). ERR_INVALID_ARGUMENT otherwise. Pure.
 */
enum err_code admin_phone_normalize(const char *in, char out[DB_ADMIN_PHONE_SIZE], struct err *e);

/* ---- staff accounts ---- */

struct admin_user_input {
	const char *username;
	const char *full_name;
	const char *unit_code; /* "" for none */
	const char *password;
	const char *const *roles; /* role names (domain/lifecycle.h) */
	size_t nroles;
};

/*
 * account_create() with the errors put on their form fields (username,
 * full_name, unit_code, password, roles).
 */
enum err_code admin_user_create(struct accounts *acc, const struct actor *by,
                                const struct admin_user_input *in, struct account_info *out,
                                struct admin_errors *fe, struct err *e);

/* account_set_password() with the errors on the field "password". */
enum err_code admin_user_password(struct accounts *acc, const struct actor *by,
                                  const char *username, const char *password,
                                  int64_t *sessions_ended, struct admin_errors *fe, struct err *e);

/* ---- announced days off and make-up working days ---- */

/* An announcement as typed in the form (NULL counts as ""). */
struct admin_holiday_input {
	const char *occasion;  /* new_year, tet, hung_kings, reunification_labour, national_day,
	                          other */
	const char *year;      /* the occasion's year (Tết: the lunar year) */
	const char *days_off;  /* weekdays off, YYYY-MM-DD separated by commas or spaces */
	const char *work_days; /* make-up working days (Saturdays or Sundays), the same way */
	const char *name_vi, *name_en; /* what the days are called */
	const char *source;            /* the announcement: number, date, link */
};

/*
 * Adds the days of an announcement (at most ADMIN_HOLIDAY_DAYS, at least
 * one) as one batch and makes them take effect in this process at once.
 * They pass the checks of the holiday data: an off day on a weekday, a
 * make-up day on a weekend, the year within one of the date, and, since an
 * announcement for an occasion and year replaces the rule, the statutory
 * weekday days of the occasion must be among its days off (list them all,
 * e.g. 2/9 with the adjacent day). A date already in the calendar's data
 * or announced before is refused (ADMIN_CONFLICT). Make-up days are named
 * "Làm bù: NAME" / "Make-up working day: NAME". batch (may be NULL) gets the
 * batch id. Audited as "holiday.announce".
 */
enum err_code admin_holiday_announce(struct service *svc, const struct actor *by,
                                     const struct admin_holiday_input *in,
                                     char batch[SERVICE_ID_LEN], struct admin_errors *fe,
                                     struct err *e);

/*
 * Withdraws the days of a batch and takes effect at once. ERR_NOT_FOUND;
 * ERR_GUARD_FAILED when the rest would break the rules above (another batch
 * of the same occasion needs these days). Audited as "holiday.withdraw".
 */
enum err_code admin_holiday_withdraw(struct service *svc, const struct actor *by, const char *batch,
                                     struct err *e);

/* Every announced row, by date (first syncs the calendar with the database). */
enum err_code admin_holidays(struct service *svc, const struct actor *by,
                             struct db_admin_holiday_list *out, struct err *e);

/* True when the bundled holiday data lists this date (an announced row for it is ignored). */
bool admin_holiday_superseded(const struct service *svc, int64_t day);

/*
 * Brings the calendar in force up to date with the announcements in the
 * database: when the counter 'calendar.announcements' differs from the
 * version of the calendar in force, builds and publishes a new one.
 * Nothing happens when the table does not exist yet (schema behind). Called
 * by service_init(); cheap when nothing changed (one read of the counter).
 */
enum err_code admin_calendar_sync(struct service *svc, struct err *e);

#endif
