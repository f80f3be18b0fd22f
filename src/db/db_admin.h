/*
 * db_admin: the SQL of the administration pages that the other query files
 * do not already have -- procedures read whatever their `active` flag (for
 * editing), how far dossiers refer to a procedure's numbered components and
 * steps, the units that receive the public (centre, branches, service points)
 * with their telephone number, and the days off announced by an
 * administrator (table holiday_announcement of migration 0004).
 *
 * Writes of procedures, components and steps go through db_catalog.h (the
 * importer's upserts), so that both paths store the same columns the same way.
 *
 * Rows are copied into fixed-size structs (text NULL reads as "", integers
 * NULL as DB_NONE); lists are malloc'd and freed with the matching *_free().
 * Every function runs on a connection inside the caller's transaction
 * (db_run_txn) and returns ERR_OK, ERR_NOT_FOUND where said, or a database
 * error (db.h).
 */
#ifndef MOTCUA_DB_DB_ADMIN_H
#define MOTCUA_DB_DB_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"

/* ---- procedures ---- */

#define DB_ADMIN_LONG_SIZE 4097 /* a procedure's source: the importer takes 4096 bytes */

/* A procedure as the edit form shows it (all columns but the folded ones). */
struct db_admin_procedure {
	char code[DBD_KEY_SIZE];
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
	char sector[DBD_NAME_SIZE];
	char level[DBD_SHORT_SIZE];
	char competent_kind[DBD_SHORT_SIZE];
	char competent_unit[DBD_KEY_SIZE]; /* "" when found by route_by */
	char route_by[DBD_SHORT_SIZE];
	int64_t legal_days;  /* DB_NONE when the legal time is in hours */
	int64_t legal_hours; /* DB_NONE when it is in days */
	int64_t fee_vnd;
	char online[DBD_SHORT_SIZE];
	bool boundary_free;
	int64_t cutoff_sec; /* DB_NONE: none */
	char supplement_rule[DBD_SHORT_SIZE];
	int64_t max_supplements, max_extensions;
	bool needs_signoff;
	bool active;
	char source[DB_ADMIN_LONG_SIZE];
};

/* The procedure with this code, active or not. ERR_NOT_FOUND when none. */
enum err_code db_admin_procedure_get(struct db_conn *c, const char *code,
                                     struct db_admin_procedure *out, struct err *e);

typedef int db_admin_procedure_fn(void *ctx, const struct db_admin_procedure *row);

/*
 * Procedures, active or not, in code order: those whose folded name has a
 * word starting with q_folded or whose code starts with code_prefix (either
 * may be NULL or ""; both empty: all). *total = how many match; fn is called
 * for at most limit of them after skipping offset. fn returning non-zero
 * stops with ERR_INTERNAL ("stopped").
 */
enum err_code db_admin_procedures(struct db_conn *c, const char *q_folded, const char *code_prefix,
                                  int64_t limit, int64_t offset, int64_t *total,
                                  db_admin_procedure_fn *fn, void *ctx, struct err *e);

/* Sets needs_signoff of a procedure (it follows its steps: an approver step or not). */
enum err_code db_admin_set_needs_signoff(struct db_conn *c, const char *code, bool needs_signoff,
                                         struct err *e);

/*
 * *count = rows of dossiers of this procedure that refer to its components
 * numbered from_seq or above (dossier_component rows).
 */
enum err_code db_admin_component_refs(struct db_conn *c, const char *code, int64_t from_seq,
                                      int64_t *count, struct err *e);

/*
 * *count = dossiers of this procedure, and events of their process control
 * forms, that refer to its steps numbered from_seq or above.
 */
enum err_code db_admin_step_refs(struct db_conn *c, const char *code, int64_t from_seq,
                                 int64_t *count, struct err *e);

/* ---- units that receive the public ---- */

#define DB_ADMIN_PHONE_SIZE 24

/* A centre, branch or service point. */
struct db_admin_unit {
	char code[DBD_KEY_SIZE];
	char kind[DBD_SHORT_SIZE]; /* centre, branch, point */
	char identifier[DBD_KEY_SIZE];
	char name_vi[DBD_TEXT_SIZE];
	char name_en[DBD_TEXT_SIZE];
	char commune_code[DBD_KEY_SIZE];
	char address[DBD_TEXT_SIZE];
	bool has_coords;
	int64_t lat_e6, lon_e6;
	char coord_note[DBD_TEXT_SIZE];
	char opening_hours[DBD_TEXT_SIZE];
	char phone[DB_ADMIN_PHONE_SIZE];
	bool receives;
	bool active;
};

struct db_admin_unit_list {
	struct db_admin_unit *items;
	size_t count;
};

/* The centre, branches and points (kind centre, branch, point), by kind then code. */
enum err_code db_admin_units(struct db_conn *c, struct db_admin_unit_list *out, struct err *e);
void db_admin_unit_list_free(struct db_admin_unit_list *l);

/* One unit of those kinds; ERR_NOT_FOUND when none (or of another kind). */
enum err_code db_admin_unit_get(struct db_conn *c, const char *code, struct db_admin_unit *out,
                                struct err *e);

/* What the branch form changes ("" stores NULL; coordinates only when has_coords). */
struct db_admin_unit_change {
	const char *address;
	bool has_coords;
	int64_t lat_e6, lon_e6;
	const char *coord_note;
	const char *opening_hours;
	const char *phone;
};

/* Writes the change; *changed (may be NULL) says whether a column differed. */
enum err_code db_admin_unit_update(struct db_conn *c, const char *code,
                                   const struct db_admin_unit_change *u, bool *changed,
                                   struct err *e);

/* ---- announced days off and make-up working days ---- */

#define DB_ADMIN_SOURCE_SIZE 1024

/* One row of holiday_announcement. */
struct db_admin_holiday {
	char id[DBD_ID_SIZE];
	char batch[DBD_ID_SIZE]; /* the rows entered together share it */
	int64_t day;             /* days since 1970-01-01 */
	char kind[8];            /* off, work */
	char occasion[DBD_SHORT_SIZE];
	int64_t year;
	char name_vi[DBD_NAME_SIZE];
	char name_en[DBD_NAME_SIZE];
	char source[DB_ADMIN_SOURCE_SIZE];
	int64_t created_at;
	char created_by[DBD_KEY_SIZE];
};

struct db_admin_holiday_list {
	struct db_admin_holiday *items;
	size_t count;
};

/* Every announced row, by date. */
enum err_code db_admin_holidays(struct db_conn *c, struct db_admin_holiday_list *out,
                                struct err *e);
void db_admin_holiday_list_free(struct db_admin_holiday_list *l);

/* Inserts one row; ERR_DB_CONFLICT when its date (or id) is taken. */
enum err_code db_admin_holiday_insert(struct db_conn *c, const struct db_admin_holiday *h,
                                      struct err *e);

/* Deletes the rows of a batch; *deleted gets how many. */
enum err_code db_admin_holiday_delete_batch(struct db_conn *c, const char *batch, int64_t *deleted,
                                            struct err *e);

#endif
