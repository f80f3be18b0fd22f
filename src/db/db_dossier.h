/*
 * db_dossier: every SQL statement about dossiers -- the dossier row, its
 * applicants and components, the process control form (dossier_event),
 * ratings, complaints, the daily sequence counters -- and the few read-only
 * look-ups of reference data the lifecycle needs inside its transaction
 * (procedure rules, steps and components, units, communes, the population
 * registry, staff accounts).
 *
 * Rows are copied into fixed-size structs: no allocation except for lists,
 * which the caller frees with the matching *_free(). Text columns that are
 * NULL read as ""; integer columns that are NULL read as DB_NONE. When
 * writing, "" and DB_NONE are stored as NULL (so that foreign keys hold).
 *
 * Every function takes a connection inside a transaction opened by the
 * service layer (db_run_txn) and returns ERR_OK, ERR_NOT_FOUND where said,
 * or a database error.
 */
#ifndef MOTCUA_DB_DB_DOSSIER_H
#define MOTCUA_DB_DB_DOSSIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

#define DB_NONE        INT64_MIN /* a NULL integer column */

#define DBD_ID_SIZE    17   /* 16 hex digits + NUL */
#define DBD_KEY_SIZE   64   /* codes: units, procedures, communes, dossier codes, accounts */
#define DBD_SHORT_SIZE 32   /* states, kinds, ID numbers, tax codes, phones */
#define DBD_NAME_SIZE  256  /* names, e-mail addresses */
#define DBD_TEXT_SIZE  1024 /* addresses, documents, notes */

/* The dossier row (table dossier of migration 0002). */
struct db_dossier {
	char id[DBD_ID_SIZE];
	char code[DBD_KEY_SIZE];
	char procedure_code[DBD_KEY_SIZE];
	char state[DBD_SHORT_SIZE];
	char outcome[DBD_SHORT_SIZE]; /* "", "granted", "refused" */
	int64_t version;
	char channel[DBD_SHORT_SIZE]; /* "online", "counter" */
	char receiving_unit[DBD_KEY_SIZE];
	char competent_unit[DBD_KEY_SIZE];
	char competent_chosen_by[DBD_KEY_SIZE];
	char collection_unit[DBD_KEY_SIZE];
	int by_post;
	char post_address[DBD_TEXT_SIZE];
	char holder_account[DBD_KEY_SIZE];
	char owner_account[DBD_KEY_SIZE];
	char applicant_kind[DBD_SHORT_SIZE]; /* "person", "organisation" */
	char applicant_name[DBD_NAME_SIZE];
	char applicant_name_folded[DBD_NAME_SIZE];
	char applicant_id_number[DBD_SHORT_SIZE];
	char applicant_tax_code[DBD_SHORT_SIZE];
	int64_t applicant_birth_day;
	char applicant_phone[DBD_SHORT_SIZE];
	char applicant_email[DBD_NAME_SIZE];
	char applicant_address[DBD_TEXT_SIZE];
	char residence_commune[DBD_SHORT_SIZE];
	char property_commune[DBD_SHORT_SIZE];
	int population_verified;
	char representative_name[DBD_NAME_SIZE];
	char representative_id_number[DBD_SHORT_SIZE];
	char authorisation_doc[DBD_TEXT_SIZE];
	int64_t submitted_at, received_at, due_at, original_due_at, paused_at, remaining_at_pause;
	int64_t resolved_at, delivered_at;
	int64_t step_seq;
	int64_t step_started_at, step_due_at;
	int64_t supplements_used, extensions_used;
	int64_t fee_vnd, paid_at;
	char paid_channel[DBD_SHORT_SIZE];
	int rated;
	char custody[DBD_KEY_SIZE];
	int64_t updated_at;
	int received_by_post; /* a counter dossier that came by post (migration 0008) */
};

/* Sets every text to "" and every nullable integer to DB_NONE (others to 0). */
void db_dossier_clear(struct db_dossier *d);

/* Inserts a new dossier row. ERR_DB_CONFLICT when the id or the code exists. */
enum err_code db_dossier_insert(struct db_conn *c, const struct db_dossier *d, struct err *e);

/*
 * Writes the columns of d (all but id) where id = d->id AND version =
 * expected_version; d->version is the new version. old, when not NULL, is
 * the row as read at expected_version: then only the columns that differ
 * from it (and the version) are written, which leaves the indexes of the
 * unchanged columns alone; the result is the same. NULL writes every column.
 * 0 rows changed: ERR_VERSION_CONFLICT, nothing written.
 */
enum err_code db_dossier_update(struct db_conn *c, const struct db_dossier *d,
                                const struct db_dossier *old, int64_t expected_version,
                                struct err *e);

/* Loads a dossier by internal id, or by code. ERR_NOT_FOUND when absent. */
enum err_code db_dossier_get(struct db_conn *c, const char *id, struct db_dossier *out,
                             struct err *e);
enum err_code db_dossier_get_by_code(struct db_conn *c, const char *code, struct db_dossier *out,
                                     struct err *e);

/* ---- further applicants ---- */

struct db_dossier_applicant {
	int64_t seq;
	char full_name[DBD_NAME_SIZE];
	char id_number[DBD_SHORT_SIZE];
	int64_t birth_day; /* DB_NONE when unknown */
	int population_verified;
};

struct db_applicant_list {
	struct db_dossier_applicant *items;
	size_t count;
};

enum err_code db_dossier_applicant_insert(struct db_conn *c, const char *dossier_id,
                                          const struct db_dossier_applicant *a, struct err *e);
enum err_code db_dossier_applicants(struct db_conn *c, const char *dossier_id,
                                    struct db_applicant_list *out, struct err *e);
void db_applicant_list_free(struct db_applicant_list *l);

/* ---- components of a dossier ---- */

struct db_dossier_component {
	int64_t seq;
	char status[DBD_SHORT_SIZE]; /* received, population, missing, supplemented, not_applicable
	                              */
	int original_kept;
	char note[DBD_TEXT_SIZE];
};

struct db_component_list {
	struct db_dossier_component *items;
	size_t count;
};

/* Inserts or replaces the component (dossier_id, seq). */
enum err_code db_dossier_component_put(struct db_conn *c, const char *dossier_id,
                                       const struct db_dossier_component *k, struct err *e);
enum err_code db_dossier_components(struct db_conn *c, const char *dossier_id,
                                    struct db_component_list *out, struct err *e);
void db_component_list_free(struct db_component_list *l);

/* ---- the process control form ---- */

struct db_dossier_event {
	int64_t version;
	int64_t at;
	char action[DBD_SHORT_SIZE];
	char from_state[DBD_SHORT_SIZE];
	char to_state[DBD_SHORT_SIZE];
	char actor_account[DBD_KEY_SIZE];
	char actor_unit[DBD_KEY_SIZE];
	char to_unit[DBD_KEY_SIZE];
	char to_account[DBD_KEY_SIZE];
	int64_t step_seq;                 /* DB_NONE when no step */
	char step_result[DBD_SHORT_SIZE]; /* "", early, on_time, late */
	int64_t due_at;                   /* the appointment after the action, DB_NONE when none */
	char note[DBD_TEXT_SIZE];
	/* for the indicators' replay (migration 0007), filled by action_record() */
	int64_t legal_due_at;        /* the legal due after the action (original_due_at) */
	char detail[DBD_SHORT_SIZE]; /* record_payment: the payment channel; else "" */
};

struct db_event_list {
	struct db_dossier_event *items;
	size_t count;
};

/* Inserts an event (dossier_id, ev->version). ERR_DB_CONFLICT when that version exists. */
enum err_code db_dossier_event_insert(struct db_conn *c, const char *dossier_id,
                                      const struct db_dossier_event *ev, struct err *e);
/* The events of a dossier in version order. */
enum err_code db_dossier_events(struct db_conn *c, const char *dossier_id,
                                struct db_event_list *out, struct err *e);
void db_event_list_free(struct db_event_list *l);

/* ---- ratings and complaints ---- */

enum err_code db_dossier_rating_insert(struct db_conn *c, const char *dossier_id, int64_t at,
                                       const char *level, const char *comment, struct err *e);
enum err_code db_dossier_complaint_insert(struct db_conn *c, const char *id, const char *dossier_id,
                                          int64_t at, const char *text, struct err *e);

/* ---- counters ---- */

/*
 * Advances the named counter and stores its new value (1 for a new counter)
 * in *value: INSERT ... ON CONFLICT (name) DO UPDATE SET value = counter.value
 * + 1 RETURNING value, so that two transactions never get the same number.
 */
enum err_code db_counter_next(struct db_conn *c, const char *name, int64_t *value, struct err *e);

/* The counter's value; ERR_NOT_FOUND when it was never advanced. */
enum err_code db_counter_get(struct db_conn *c, const char *name, int64_t *value, struct err *e);

/* ---- reference data read by the lifecycle ---- */

/* What the lifecycle needs of a procedure. */
struct db_procedure_rules {
	char code[DBD_KEY_SIZE];
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
	char level[DBD_SHORT_SIZE]; /* city, commune, police */
	char competent_kind[DBD_SHORT_SIZE];
	char competent_unit[DBD_KEY_SIZE]; /* "" when found by route_by */
	char route_by[DBD_SHORT_SIZE];     /* fixed, residence, property */
	int64_t legal_days;                /* DB_NONE when in hours */
	int64_t legal_hours;               /* DB_NONE when in days */
	int64_t fee_vnd;
	char online[DBD_SHORT_SIZE]; /* full, partial, none */
	int boundary_free;
	int64_t cutoff_sec;                   /* DB_NONE: none of its own */
	char supplement_rule[DBD_SHORT_SIZE]; /* restart, continue */
	int64_t max_supplements, max_extensions;
	int needs_signoff;
	int active;
};

enum err_code db_dossier_procedure(struct db_conn *c, const char *code,
                                   struct db_procedure_rules *out, struct err *e);

struct db_procedure_step {
	int64_t seq;
	char name_vi[DBD_NAME_SIZE];
	char name_en[DBD_NAME_SIZE];
	int64_t share_pct;
	char role[DBD_SHORT_SIZE]; /* officer, specialist, approver */
};

struct db_step_list {
	struct db_procedure_step *items;
	size_t count;
};

/* The steps of a procedure in order (maybe none). */
enum err_code db_dossier_steps(struct db_conn *c, const char *procedure_code,
                               struct db_step_list *out, struct err *e);
void db_step_list_free(struct db_step_list *l);

struct db_procedure_component {
	int64_t seq;
	char name_vi[DBD_TEXT_SIZE];
	int required;
	int population_replaces;
};

struct db_proc_component_list {
	struct db_procedure_component *items;
	size_t count;
};

enum err_code db_dossier_proc_components(struct db_conn *c, const char *procedure_code,
                                         struct db_proc_component_list *out, struct err *e);
void db_proc_component_list_free(struct db_proc_component_list *l);

/* What the lifecycle needs of a unit. */
struct db_unit_info {
	char code[DBD_KEY_SIZE];
	char kind[DBD_SHORT_SIZE];
	char identifier[DBD_KEY_SIZE]; /* "" when the unit has none */
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
	char parent_code[DBD_KEY_SIZE];
	char commune_code[DBD_SHORT_SIZE];
	char address[DBD_TEXT_SIZE];
	int receives;
	int active;
};

enum err_code db_dossier_unit(struct db_conn *c, const char *code, struct db_unit_info *out,
                              struct err *e);

/* *exists = whether a commune with this code exists. */
enum err_code db_dossier_commune_exists(struct db_conn *c, const char *code, bool *exists,
                                        struct err *e);

/* A row of the population registry. */
struct db_population_row {
	char id_number[DBD_SHORT_SIZE];
	char name_folded[DBD_NAME_SIZE];
	int64_t birth_day;
	char residence_commune[DBD_SHORT_SIZE];
};

/* ERR_NOT_FOUND when no row has this ID number. */
enum err_code db_dossier_population(struct db_conn *c, const char *id_number,
                                    struct db_population_row *out, struct err *e);

/* What the lifecycle needs of an account. */
struct db_account_brief {
	char id[DBD_KEY_SIZE];
	char username[DBD_KEY_SIZE];
	char kind[DBD_SHORT_SIZE]; /* staff, citizen, business, system */
	int64_t roles;
	char unit_code[DBD_KEY_SIZE];
	char id_number[DBD_SHORT_SIZE];
	char tax_code[DBD_SHORT_SIZE];
	int disabled;
};

/* By id, or by username when by_username. ERR_NOT_FOUND when absent. */
enum err_code db_dossier_account(struct db_conn *c, const char *key, bool by_username,
                                 struct db_account_brief *out, struct err *e);

/* ---- lists ---- */

/* A dossier as a line of a list. */
struct db_dossier_line {
	char id[DBD_ID_SIZE];
	char code[DBD_KEY_SIZE];
	char procedure_code[DBD_KEY_SIZE];
	char state[DBD_SHORT_SIZE];
	int64_t version;
	char applicant_name[DBD_NAME_SIZE];
	char receiving_unit[DBD_KEY_SIZE];
	char competent_unit[DBD_KEY_SIZE];
	char collection_unit[DBD_KEY_SIZE];
	char holder_account[DBD_KEY_SIZE];
	int by_post;
	int64_t submitted_at, received_at, due_at, original_due_at, paused_at, remaining_at_pause;
	int64_t step_seq, step_due_at;
};

struct db_line_list {
	struct db_dossier_line *items;
	size_t count;
	bool truncated; /* more rows matched than the cap */
};
void db_line_list_free(struct db_line_list *l);

/* Which column restricts a list (a work list's scope). */
enum db_scope_col {
	DB_SCOPE_NONE,         /* the whole city */
	DB_SCOPE_COMPETENT,    /* competent_unit = unit */
	DB_SCOPE_HOLDER,       /* holder_account = account */
	DB_SCOPE_COLLECTION,   /* collection_unit = unit */
	DB_SCOPE_RECEIVING,    /* receiving_unit = unit */
	DB_SCOPE_STAFF_BRANCH, /* receiving_unit = unit OR collection_unit = unit */
	DB_SCOPE_OWNER         /* owner_account = account (a citizen's own dossiers) */
};

/* A filter for db_dossier_scan() and db_dossier_search(). */
struct db_dossier_filter {
	enum db_scope_col scope;
	const char *scope_value;  /* the unit code or account id of the scope */
	enum db_scope_col scope2; /* a second scope OR-ed with the first (DB_SCOPE_NONE: none) */
	const char *scope2_value;
	const char *const *states; /* NULL-terminated list of state names; NULL: any */
	/* search criteria (each NULL or "" when unused; all given ones must hold) */
	const char *code;
	const char *name_folded; /* word-prefix match on applicant_name_folded */
	const char *id_number;   /* applicant, co-applicant or representative */
	const char *phone;
};

/*
 * Reads at most cap lines matching f, oldest submission first; sets
 * out->truncated when more matched. Free with db_line_list_free().
 */
enum err_code db_dossier_scan(struct db_conn *c, const struct db_dossier_filter *f, size_t cap,
                              struct db_line_list *out, struct err *e);

/*
 * One page of the lines matching f, newest submission first, and the total
 * number matching in *total.
 */
enum err_code db_dossier_search(struct db_conn *c, const struct db_dossier_filter *f, int64_t limit,
                                int64_t offset, struct db_line_list *out, int64_t *total,
                                struct err *e);

/* Number of rows of a table of the dossier aggregate (tests and figures). */
enum err_code db_dossier_count(struct db_conn *c, const char *table, int64_t *n, struct err *e);

#endif
