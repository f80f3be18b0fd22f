/*
 * db_catalog: the SQL of the reference data -- communes, units, procedures
 * with their components and steps, holidays (tables of migration 0001).
 *
 * Writes are upserts that say what they did: a row is inserted, updated
 * (some column differed) or left unchanged (every column equal, so the
 * upsert's DO UPDATE ... WHERE is false and nothing is written). Rows that
 * are no longer in the data are deactivated (units, procedures: `active` = 0,
 * since dossiers and accounts refer to them), trimmed (components and steps
 * past the new last one), deleted (holidays) or, for communes, deleted only
 * when nothing refers to them.
 *
 * Every function runs on a connection inside the caller's transaction
 * (db_run_txn) and returns ERR_OK or a database error (db.h).
 */
#ifndef MOTCUA_DB_DB_CATALOG_H
#define MOTCUA_DB_DB_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

/* What an upsert did. */
enum db_upsert { DB_UPSERT_UNCHANGED = 0, DB_UPSERT_INSERTED = 1, DB_UPSERT_UPDATED = 2 };

/* A commune or ward (table commune). Strings are borrowed. */
struct db_commune {
	const char *code; /* 5 digits */
	const char *name_vi;
	const char *name_folded;
	const char *kind; /* "ward" or "commune" */
	int64_t lat_e6, lon_e6, area_m2;
};

/* An organisational unit (table unit). NULL strings are SQL NULL. */
struct db_unit {
	const char *code;
	const char *kind; /* centre, branch, point, city_committee, office, department, police,
	                     commune_committee, commune_police */
	const char *identifier; /* unit identifier for dossier codes, or NULL */
	const char *name_vi;
	const char *name_en;
	const char *name_folded;
	const char *parent_code;
	const char *commune_code;
	const char *address;
	bool has_coords;
	int64_t lat_e6, lon_e6;
	const char *coord_note;
	const char *opening_hours;
	const char *serves;
	bool receives;
	const char *source;
};

/* An administrative procedure (table procedure). */
struct db_procedure {
	const char *code;
	const char *name_vi;
	const char *name_en;
	const char *name_folded;
	const char *sector;
	const char *sector_folded;
	const char *level;          /* city, commune, police */
	const char *competent_kind; /* a unit kind */
	const char *competent_unit; /* a unit code, or NULL (found by route_by) */
	const char *route_by;       /* fixed, residence, property */
	int legal_days;             /* -1 when the legal time is in hours */
	int legal_hours;            /* -1 when it is in days */
	int64_t fee_vnd;
	const char *online; /* full, partial, none */
	bool boundary_free;
	int cutoff_sec;              /* seconds of day, or -1 for none */
	const char *supplement_rule; /* restart, continue */
	int max_supplements;
	int max_extensions;
	bool needs_signoff;
	const char *source;
};

/* One component of a procedure's dossier (table procedure_component). */
struct db_component {
	const char *procedure_code;
	int seq; /* 1, 2, ... */
	const char *name_vi;
	bool required;
	bool population_replaces;
};

/* One processing step (table procedure_step). */
struct db_step {
	const char *procedure_code;
	int seq; /* 1, 2, ... */
	const char *name_vi;
	const char *name_en;
	int share_pct;
	const char *role; /* officer, specialist, approver */
};

/* One announced day (table holiday). */
struct db_holiday {
	int64_t day;      /* days since 1970-01-01 */
	const char *kind; /* off, work */
	const char *status;
	const char *occasion;
	const char *name_vi;
	const char *name_en;
	const char *source;
};

/* Upserts: insert the row, or update it when a column differs; *res says which. */
enum err_code db_catalog_upsert_commune(struct db_conn *c, const struct db_commune *r,
                                        enum db_upsert *res, struct err *e);
/* Also sets active = 1 (a unit that comes back is reactivated, counted as updated). */
enum err_code db_catalog_upsert_unit(struct db_conn *c, const struct db_unit *r,
                                     enum db_upsert *res, struct err *e);
/* Also sets active = 1, as for units. */
enum err_code db_catalog_upsert_procedure(struct db_conn *c, const struct db_procedure *r,
                                          enum db_upsert *res, struct err *e);
enum err_code db_catalog_upsert_component(struct db_conn *c, const struct db_component *r,
                                          enum db_upsert *res, struct err *e);
enum err_code db_catalog_upsert_step(struct db_conn *c, const struct db_step *r,
                                     enum db_upsert *res, struct err *e);
enum err_code db_catalog_upsert_holiday(struct db_conn *c, const struct db_holiday *r,
                                        enum db_upsert *res, struct err *e);

/* The tables whose keys can be listed. */
enum db_catalog_table {
	DB_CATALOG_COMMUNE,   /* every code */
	DB_CATALOG_UNIT,      /* codes of active units */
	DB_CATALOG_PROCEDURE, /* codes of active procedures */
	DB_CATALOG_HOLIDAY    /* "YYYY-MM-DD/kind" of every row */
};

/*
 * Calls fn(ctx, key) for every key of the table, in ascending order. fn
 * returns 0 to go on or -1 to stop (the listing then returns ERR_INTERNAL
 * with the detail "stopped"). The key is valid during the call only.
 */
typedef int db_catalog_key_fn(void *ctx, const char *key);
enum err_code db_catalog_list_keys(struct db_conn *c, enum db_catalog_table t,
                                   db_catalog_key_fn *fn, void *ctx, struct err *e);

/* Sets active = 0; *changed (may be NULL) tells whether the row was active. */
enum err_code db_catalog_deactivate_unit(struct db_conn *c, const char *code, bool *changed,
                                         struct err *e);
enum err_code db_catalog_deactivate_procedure(struct db_conn *c, const char *code, bool *changed,
                                              struct err *e);

/*
 * Deletes the components (or steps) of a procedure numbered above last_seq;
 * *deleted (may be NULL) gets how many.
 */
enum err_code db_catalog_trim_components(struct db_conn *c, const char *procedure_code,
                                         int last_seq, int64_t *deleted, struct err *e);
enum err_code db_catalog_trim_steps(struct db_conn *c, const char *procedure_code, int last_seq,
                                    int64_t *deleted, struct err *e);

/* Deletes one holiday row; *deleted (may be NULL) says whether it existed. */
enum err_code db_catalog_delete_holiday(struct db_conn *c, int64_t day, const char *kind,
                                        bool *deleted, struct err *e);

/*
 * Deletes a commune unless a unit, a population record or a dossier refers
 * to it; *deleted (may be NULL) says whether it was deleted.
 */
enum err_code db_catalog_delete_commune_if_unused(struct db_conn *c, const char *code,
                                                  bool *deleted, struct err *e);

/* *out = rows of a table (active rows only for units and procedures). */
enum err_code db_catalog_count(struct db_conn *c, enum db_catalog_table t, int64_t *out,
                               struct err *e);

#endif
