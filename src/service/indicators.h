/*
 * indicators: the service-quality indicators of Decision 766/QĐ-TTg and the
 * one-stop unit's period figures, kept as counters in the same transaction
 * as every event (issue 7; docs/indicators.md says what each figure means
 * and which rules are official and which are ours).
 *
 * Counters are day rows per (dimension, group key, metric, shard): flows
 * (received, resolved, ...) are counted on the day they happen; stocks (in
 * progress, in progress and late) are kept as day deltas, so that a stock
 * at the end of day D is the sum of its deltas up to D. A read therefore
 * costs days x groups, never the number of dossiers. The shard (a hash of
 * the dossier id) spreads the rows of a busy day, so that no single row is
 * updated by every transaction.
 *
 * The contract below is shared by the reports (service/reports.c), the
 * demonstration generator (service/demo_city.c), the files service
 * (service/files.c) and the pages; keep it stable.
 */
#ifndef MOTCUA_SERVICE_INDICATORS_H
#define MOTCUA_SERVICE_INDICATORS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"
#include "service/service.h"

/* The groupings of every read. */
enum ind_dim {
	IND_DIM_CITY,      /* one group, key "" */
	IND_DIM_AGENCY,    /* the competent unit */
	IND_DIM_BRANCH,    /* the receiving unit */
	IND_DIM_COMMUNE,   /* the commune of residence of the applicant */
	IND_DIM_OFFICER,   /* the account that acted (flows only) */
	IND_DIM_PROCEDURE, /* the procedure code */
	IND_DIM_SECTOR,    /* the procedure's sector */
	IND_DIM_STEP,      /* "procedure#step" (step flows only) */
	IND_N_DIMS
};

/* "city", "agency", "branch", "commune", "officer", "procedure", "sector", "step". */
const char *indicators_dim_name(enum ind_dim d);
/* Parses a dimension name. ERR_OK or ERR_INVALID_ARGUMENT. */
enum err_code indicators_dim_from_name(const char *s, enum ind_dim *out, struct err *e);

/* The figures of one group over one period (days both included). */
struct ind_figures {
	int64_t received, received_online, received_counter, received_postal;
	int64_t received_fully_online; /* online, of a procedure offered fully online */
	int64_t carried_over;          /* in progress at the end of the day before from_day */
	int64_t resolved, resolved_early, resolved_on_time, resolved_late;
	int64_t open_end, open_end_on_time, open_end_late; /* in progress at the end of to_day */
	int64_t refused_reception, refused, withdrawn, stopped;
	int64_t supplements, extensions;
	int64_t paid, paid_online;
	int64_t components_digitised, components_reused, results_electronic;
	int64_t rated, rated_dissatisfied, complained;
	int64_t unsatisfied; /* resolved dossiers rated dissatisfied or complained about, each once
	                      */
	int64_t steps_done, steps_late;
	/* derived; -1 when the denominator is 0 */
	double on_time_rate;       /* (early + on time) / resolved */
	double online_share;       /* received_online / received */
	double fully_online_share; /* received_fully_online / received */
	double epayment_share;     /* paid_online / paid */
	double satisfaction_766;   /* (resolved - unsatisfied) / resolved */
};

struct ind_row {
	char key[64];   /* the group's key (unit code, account id, procedure code, ...) */
	char name[256]; /* its readable name when one is known, else the key */
	struct ind_figures f;
};

struct ind_table {
	enum ind_dim dim;
	int64_t from_day, to_day;
	size_t n;
	struct ind_row *rows;     /* groups with any non-zero figure, by key */
	struct ind_figures total; /* the whole city over the period */
};

struct ind_query {
	int64_t from_day, to_day; /* Vietnam day numbers (base/vntime.h), from <= to */
	enum ind_dim dim;
	char key[64]; /* "" every group; else only this one */
};

/*
 * The figures of every group of q->dim over the period. Leaders,
 * supervisors, admins and the system actor read the whole city; others get
 * ERR_FORBIDDEN. Release out with indicators_table_release().
 */
enum err_code indicators_read(struct service *svc, const struct actor *actor,
                              const struct ind_query *q, struct ind_table *out, struct err *e);
void indicators_table_release(struct ind_table *t);

/* ---- recording (called inside the writing transaction) ---- */

/*
 * Counts one event of the process control form: called by action_record()
 * after the event row is written, with the dossier as it is after the
 * event. Reads and updates the dossier's indicator state in the same
 * transaction.
 */
enum err_code indicators_record(struct db_conn *c, const struct service *svc,
                                const struct db_dossier *d, const struct db_dossier_event *ev,
                                struct err *e);

enum ind_digitisation {
	IND_COMPONENT_DIGITISED, /* a component's scan was stored for the dossier */
	IND_COMPONENT_REUSED,    /* a component was satisfied by an earlier file or result */
	IND_RESULT_ELECTRONIC    /* the dossier's result was issued electronically */
};

/* Counts a digitisation fact of dossier_id at instant at (files service). */
enum err_code indicators_digitisation(struct db_conn *c, const char *dossier_id, int64_t at,
                                      enum ind_digitisation what, struct err *e);

/*
 * Batch mode for bulk work on one connection (the demonstration generator):
 * between begin and end, counts are summed in memory for the calling thread
 * and written by flush, which must run inside the transaction before its
 * commit. Outside batch mode every count is written at once.
 */
void indicators_batch_begin(void);
enum err_code indicators_batch_flush(struct db_conn *c, struct err *e);
void indicators_batch_end(void);

/* ---- checking ---- */

struct ind_verify {
	int64_t dossiers, events; /* replayed */
	int64_t rows;             /* counter rows compared */
	int64_t mismatches;
	char first[8][160]; /* the first mismatches, readable */
};

/*
 * Recomputes every counter from the dossiers' events and compares it with
 * the stored counters: out->mismatches == 0 when they agree exactly.
 * Returns ERR_OK whether or not they agree (errors are database errors).
 */
enum err_code indicators_verify(struct service *svc, struct ind_verify *out, struct err *e);

/* ---- additions (indicators helper) ---- */

/*
 * Recounts every counter and dossier state from the events (as verify
 * does) and replaces the stored ones, in one transaction: for a database
 * whose dossiers predate migration 0007, or after a repair. out (may be
 * NULL) gets what was replayed and, in mismatches, how many rows differed
 * before.
 */
enum err_code indicators_rebuild(struct service *svc, struct ind_verify *out, struct err *e);

#define IND_MAX_DAYS 3700 /* longest period of a read, in days (ten years) */

/*
 * Whether a may read the city's figures (the system, and staff leaders,
 * supervisors and admins): ERR_OK, or ERR_FORBIDDEN "<what> are for leaders
 * and supervisors" (what: "the indicators", "the reports", ...).
 */
enum err_code indicators_check_reader(const struct actor *a, const char *what, struct err *e);

/*
 * Whether [from_day, to_day] is a period of at most max_days days within the
 * years 1..9999: ERR_OK, ERR_INVALID_DATE (a day out of range, or the end
 * before the beginning) or ERR_OUT_OF_RANGE (too long).
 */
enum err_code indicators_check_period(int64_t from_day, int64_t to_day, int max_days,
                                      struct err *e);

/* The figures as a JSON object: every count, then the rates (null when undefined). */
json_t *indicators_figures_json(const struct ind_figures *f);
/* A table as JSON: {"dim", "from", "to", "total": {...}, "groups": [{"key", "name", ...}]}. */
json_t *indicators_table_json(const struct ind_table *t);

/*
 * The city's count named figure (a flow: "received", "resolved_late", ...)
 * per day of [from_day, to_day] into per_day[0..n) (days past n are left
 * out). Access as indicators_read(); ERR_INVALID_ARGUMENT for a name that
 * is not a flow.
 */
enum err_code indicators_daily(struct service *svc, const struct actor *actor, const char *figure,
                               int64_t from_day, int64_t to_day, int64_t *per_day, size_t n,
                               struct err *e);

/* Fills the derived rates of f from its counts. */
void indicators_derive(struct ind_figures *f);

/* ---- the 766 index (Decision 766/QĐ-TTg of 23 June 2022) ---- */

#define IND766_MAX_GROUPS 8
#define IND766_MAX_ITEMS  8

struct ind766_item {
	char id[16];
	char name_vi[256], name_en[256];
	double points;  /* the item's share of its group's weight */
	bool measured;  /* we compute it (else "not measured") */
	bool has_data;  /* measured and its denominator was not 0 in the period */
	bool official;  /* the formula is the annex's; else our interpretation */
	double rate;    /* 0..1; -1 when not measured or no data */
	double score;   /* points x rate; 0 when no data */
	char rule[256]; /* the formula, readable */
};

struct ind766_group {
	char id[32];
	char name_vi[256], name_en[256];
	double weight;          /* official points of the group */
	double measured_points; /* points of its items measured with data */
	double score;
	size_t n;
	struct ind766_item items[IND766_MAX_ITEMS];
};

struct ind766 {
	int64_t from_day, to_day;
	char source[512];
	size_t n;
	struct ind766_group groups[IND766_MAX_GROUPS];
	double total;           /* sum of the scores */
	double measured_points; /* out of how many points it was measured */
	double max_points;      /* sum of the weights (100) */
	struct ind_figures f;   /* the city's figures it was computed from */
};

/*
 * Computes the 766 scores of figures f with the rules of rules_json (the
 * format of data/indicators-766.json). ERR_INVALID_ARGUMENT for bad rules.
 */
enum err_code indicators_766_compute(const char *rules_json, size_t len,
                                     const struct ind_figures *f, struct ind766 *out,
                                     struct err *e);
/* The 766 scores of the city over [from_day, to_day] with the built-in rules (access as read). */
enum err_code indicators_766(struct service *svc, const struct actor *actor, int64_t from_day,
                             int64_t to_day, struct ind766 *out, struct err *e);
json_t *indicators_766_json(const struct ind766 *s);

#endif
