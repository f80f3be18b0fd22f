/*
 * db_catalog_query: the read-only SQL behind the public catalogue of the
 * JSON API -- pages of procedures, communes and units with filters and
 * their totals, one procedure by code -- and two small figures of the
 * server (dossiers per state for /metrics, a ping for /healthz).
 *
 * Lists are read row by row through a callback that receives a row of
 * borrowed strings (valid during the call only), so that nothing is copied
 * or truncated here. A filter left NULL (or "") does not restrict. Text
 * searches compare FOLDED text (base/fold.h): the caller folds the query and
 * passes it; a folded needle matches a name when it starts one of its words
 * (as fold_contains() does), which SQL expresses as
 *   name_folded LIKE needle || '%' OR name_folded LIKE '% ' || needle || '%'
 * Folded text holds no '%' or '_' (they are separators), so the needle
 * needs no escaping.
 *
 * Every function runs on a connection inside the caller's transaction
 * (db_run_txn, DB_TXN_READ is enough) and returns ERR_OK or a database
 * error; a callback returning non-zero stops the listing with ERR_INTERNAL
 * ("stopped").
 */
#ifndef MOTCUA_DB_DB_CATALOG_QUERY_H
#define MOTCUA_DB_DB_CATALOG_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

#define DBQ_NONE INT64_MIN /* a NULL integer column */

/* A procedure as listed. NULL text columns read as "". */
struct dbq_procedure {
	const char *code;
	const char *name_vi;
	const char *name_en;
	const char *sector;
	const char *level;          /* city, commune, police */
	const char *competent_kind; /* a unit kind */
	const char *competent_unit; /* "" when found by route_by */
	const char *route_by;       /* fixed, residence, property */
	int64_t legal_days;         /* DBQ_NONE when the legal time is in hours */
	int64_t legal_hours;        /* DBQ_NONE when it is in days */
	int64_t fee_vnd;
	const char *online; /* full, partial, none */
	bool boundary_free;
	int64_t cutoff_sec; /* DBQ_NONE: none of its own */
	const char *supplement_rule;
	int64_t max_supplements, max_extensions;
	bool needs_signoff;
	const char *source;
};

struct dbq_procedure_filter {
	const char *q_folded;      /* word-prefix match on the folded name */
	const char *code_prefix;   /* or the code starting with this (raw text) */
	const char *sector_folded; /* the folded sector equals this */
	const char *agency;        /* competent_unit equals this */
	const char *level;         /* level equals this */
	const char *online;        /* online equals this (full, partial, none); added for the
	                              citizen portal's filter by online level (web_public.c) */
};

typedef int dbq_procedure_fn(void *ctx, const struct dbq_procedure *row);

/*
 * *total = active procedures matching f; then fn for each of them in code
 * order, skipping offset rows and stopping after limit rows (limit >= 0).
 * When q_folded and code_prefix are both given, a row matches either.
 */
enum err_code dbq_procedures(struct db_conn *c, const struct dbq_procedure_filter *f, int64_t limit,
                             int64_t offset, int64_t *total, dbq_procedure_fn *fn, void *ctx,
                             struct err *e);

/* The active procedure with this code, through fn (called once). ERR_NOT_FOUND when none. */
enum err_code dbq_procedure_get(struct db_conn *c, const char *code, dbq_procedure_fn *fn,
                                void *ctx, struct err *e);

/* A commune or ward. */
struct dbq_commune {
	const char *code;
	const char *name_vi;
	const char *kind; /* ward, commune */
	int64_t lat_e6, lon_e6, area_m2;
};

struct dbq_commune_filter {
	const char *q_folded; /* word-prefix match on the folded name */
	const char *code;     /* or the code equals this */
	const char *kind;
};

typedef int dbq_commune_fn(void *ctx, const struct dbq_commune *row);

/* As dbq_procedures(), for communes in code order. */
enum err_code dbq_communes(struct db_conn *c, const struct dbq_commune_filter *f, int64_t limit,
                           int64_t offset, int64_t *total, dbq_commune_fn *fn, void *ctx,
                           struct err *e);

/* An organisational unit. */
struct dbq_unit {
	const char *code;
	const char *kind;
	const char *identifier; /* "" when none */
	const char *name_vi;
	const char *name_en;
	const char *parent_code;
	const char *commune_code;
	const char *address;
	bool has_coords;
	int64_t lat_e6, lon_e6;
	const char *opening_hours;
	const char *serves;
	bool receives;
};

/* Which units a list shows. */
enum dbq_unit_class {
	DBQ_UNITS_ANY,       /* every active unit */
	DBQ_UNITS_RECEIVING, /* units that receive dossiers (centre, branches, points) */
	DBQ_UNITS_AGENCY,    /* units that decide: city_committee, office, department, police,
	                        commune_committee, commune_police */
};

struct dbq_unit_filter {
	enum dbq_unit_class cls;
	const char *q_folded; /* word-prefix match on the folded name */
	const char *code;     /* or the code equals this */
	const char *kind;
	const char *commune; /* commune_code equals this */
	const char *parent;  /* parent_code equals this */
};

typedef int dbq_unit_fn(void *ctx, const struct dbq_unit *row);

/* As dbq_procedures(), for active units in code order. */
enum err_code dbq_units(struct db_conn *c, const struct dbq_unit_filter *f, int64_t limit,
                        int64_t offset, int64_t *total, dbq_unit_fn *fn, void *ctx, struct err *e);

/* Calls fn(ctx, state, count) for every state that has dossiers, in state order. */
typedef int dbq_state_count_fn(void *ctx, const char *state, int64_t count);
enum err_code dbq_dossier_states(struct db_conn *c, dbq_state_count_fn *fn, void *ctx,
                                 struct err *e);

/* One trivial statement: ERR_OK when the database answers. */
enum err_code dbq_ping(struct db_conn *c, struct err *e);

#endif
