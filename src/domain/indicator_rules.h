/*
 * indicator_rules: the pure rules of the service-quality counters (issue 7,
 * docs/indicators.md). Given one event of a dossier's process control form
 * and the dossier's indicator state before it, they say which counters move
 * by how much on which day, and what the state becomes. The live hook
 * (service/indicators.c, inside the writing transaction) and `motcua report
 * verify` (which replays every dossier's events) call the same functions,
 * so that verify checks that nothing was lost or counted twice.
 *
 * Two kinds of counters, each a row (dimension, group key, day, metric,
 * shard) holding a sum:
 *   flows   counted on the Vietnam day of the event (received, resolved, ...)
 *   stocks  kept as day deltas: the stock at the end of day D is the sum of
 *           the deltas of the days <= D. A dossier's stock signature is
 *           (open, late day, agency, branch, commune, procedure, sector);
 *           when an event changes it, the old one is removed and the new one
 *           added on the event's day E:
 *             add:    open +1 @E; with a late day L: open_late +1 @max(L, E)
 *             remove: open -1 @E; with a late day L: open_late -1 @(L <= E ? E : L)
 *           so that "late at the end of D" = open at the end of D with L <= D.
 *
 * Also here: the shard of a counter row and a hash table of sums
 * (ind_sums) used for batch mode and for verification.
 *
 * No I/O; memory only for ind_sums.
 */
#ifndef MOTCUA_DOMAIN_INDICATOR_RULES_H
#define MOTCUA_DOMAIN_INDICATOR_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define INDR_NONE       INT64_MIN /* no instant, no day (the db layer's DB_NONE) */
#define INDR_KEY_SIZE   96        /* a group key: codes are < 64 bytes; steps "procedure#seq" */
#define INDR_MAX_DELTAS 160       /* deltas of one event, at most */
#define INDR_SHARDS     8         /* shards of the busiest dimensions */

/* The dimensions, in the order and numbering of enum ind_dim (service/indicators.h). */
enum indr_dim {
	INDR_CITY,
	INDR_AGENCY,
	INDR_BRANCH,
	INDR_COMMUNE,
	INDR_OFFICER,
	INDR_PROCEDURE,
	INDR_SECTOR,
	INDR_STEP,
	INDR_N_DIMS
};

/*
 * The metrics. The numbers are stored in the database: never renumber,
 * only append before INDR_N_METRICS. INDR_OPEN and INDR_OPEN_LATE are
 * stocks (day deltas, table ind_stock); the others are flows (ind_flow).
 */
enum indr_metric {
	INDR_RECEIVED = 0,
	INDR_RECEIVED_ONLINE = 1,
	INDR_RECEIVED_COUNTER = 2,
	INDR_RECEIVED_POSTAL = 3,
	INDR_RECEIVED_FULLY_ONLINE = 4,
	INDR_RESOLVED_EARLY = 5,
	INDR_RESOLVED_ON_TIME = 6,
	INDR_RESOLVED_LATE = 7,
	INDR_REFUSED_RECEPTION = 8,
	INDR_REFUSED = 9,
	INDR_WITHDRAWN = 10,
	INDR_STOPPED = 11,
	INDR_SUPPLEMENTS = 12,
	INDR_EXTENSIONS = 13,
	INDR_PAID = 14,
	INDR_PAID_ONLINE = 15,
	INDR_COMPONENTS_DIGITISED = 16,
	INDR_COMPONENTS_REUSED = 17,
	INDR_RESULTS_ELECTRONIC = 18,
	INDR_RATED = 19,
	INDR_RATED_DISSATISFIED = 20,
	INDR_COMPLAINED = 21,
	INDR_UNSATISFIED = 22,
	INDR_STEPS_DONE = 23,
	INDR_STEPS_LATE = 24,
	INDR_OPEN = 25,
	INDR_OPEN_LATE = 26,
	INDR_N_METRICS
};

/* "received", "open_late", ...; NULL out of range. */
const char *indr_metric_name(int metric);
/* True for the stock metrics (INDR_OPEN, INDR_OPEN_LATE). */
bool indr_metric_is_stock(int metric);
/* "city", "agency", ...; NULL out of range. */
const char *indr_dim_name(int dim);

/* The stock signature of a dossier. */
struct indr_sig {
	bool open;        /* in an in-progress state (legal clock running or paused) */
	int64_t late_day; /* Vietnam day of the legal due; INDR_NONE when none or paused in time */
	char agency[INDR_KEY_SIZE];
	char branch[INDR_KEY_SIZE];
	char commune[INDR_KEY_SIZE];
	char procedure[INDR_KEY_SIZE];
	char sector[INDR_KEY_SIZE];
};

/* A dossier's indicator state (a row of table ind_dossier). */
struct indr_state {
	bool known; /* false before the dossier's first event */
	struct indr_sig sig;
	bool resolved;    /* reached a result (entered result_ready) */
	bool unsatisfied; /* counted once as unsatisfied */
};

/*
 * One event, with the dossier as it is after it. Strings are never NULL
 * ("" when none); instants are epoch seconds, INDR_NONE when none.
 */
struct indr_event {
	const char *action;     /* lifecycle action name */
	const char *from_state; /* "none" for the creating event */
	const char *to_state;
	int64_t at;
	const char *actor_account; /* "" when none */
	const char *actor_unit;    /* "" unless staff: the officer dimension needs it */
	int64_t step_seq;          /* the step the event completed, INDR_NONE when none */
	const char *step_result;   /* "", early, on_time, late */
	int64_t legal_due;         /* the legal due after the event (original_due_at) */
	int64_t paused_at;         /* when the clock was paused, INDR_NONE unless paused */
	const char *pay_channel;   /* record_payment: counter, online, post */
	const char *rating;        /* rate: very_satisfied ... dissatisfied */
	/* the dossier */
	const char *channel;   /* online, counter, postal (a counter dossier that came by post) */
	const char *procedure; /* procedure code */
	const char *sector;    /* the procedure's sector */
	const char *online_level; /* the procedure's online level: full, partial, none */
	const char *agency;       /* competent unit after the event */
	const char *branch;       /* receiving unit after the event */
	const char *commune;      /* commune of residence */
};

/* A change of one counter. */
struct indr_delta {
	int dim;    /* enum indr_dim */
	int metric; /* enum indr_metric */
	int64_t day;
	int64_t n;
	char key[INDR_KEY_SIZE];
};

/* The signature of the dossier after ev. */
void indr_signature(const struct indr_event *ev, struct indr_sig *out);

/* True when two signatures are the same. */
bool indr_sig_equal(const struct indr_sig *a, const struct indr_sig *b);

/*
 * The counters that ev moves, given the state before it (prev; known false
 * for a dossier without one), into out[0..max) -- returns how many -- and
 * the state after it in *next (next may be prev). A result above max means
 * out was too small (never with INDR_MAX_DELTAS).
 */
size_t indr_event_deltas(const struct indr_state *prev, const struct indr_event *ev,
                         struct indr_state *next, struct indr_delta *out, size_t max);

enum indr_digitisation {
	INDR_DIG_COMPONENT = 0, /* a component digitised */
	INDR_DIG_REUSED = 1,    /* a component reused */
	INDR_DIG_RESULT = 2     /* a result issued electronically */
};

/* The dossier's groups for a digitisation fact. */
struct indr_groups {
	const char *agency, *branch, *commune, *procedure, *sector;
};

/* The flow deltas of one digitisation fact at instant at; returns how many (<= 6). */
size_t indr_digitisation_deltas(const struct indr_groups *g, int what, int64_t at,
                                struct indr_delta *out, size_t max);

/* The Vietnam day of an instant. */
int64_t indr_day(int64_t at);

/*
 * The channel the rules count a reception under (struct indr_event's
 * channel): "postal" for a counter dossier that came by post, else the
 * dossier's own ("online", "counter").
 */
const char *indr_channel(const char *channel, bool received_by_post);

/* The shard of a counter row of dossier_id in dimension dim (0 for quiet dimensions). */
int indr_shard(const char *dossier_id, int dim);

/* Sorts deltas by (stock?, dim, day, key, metric), so that writers lock rows in one order. */
void indr_deltas_sort(struct indr_delta *d, size_t n);

/* ---- sums ---- */

/*
 * A hash table of counter rows (dim, key, day, metric, shard) -> two sums
 * (slot 0 and slot 1: e.g. recomputed and stored). Keys are interned.
 */
struct indr_sums;

struct indr_sums *indr_sums_new(void);
void indr_sums_free(struct indr_sums *s);
/* Empties the table (keeps its memory). */
void indr_sums_clear(struct indr_sums *s);
/* Adds n to the slot's sum of the row. ERR_NO_MEMORY when it cannot grow. */
enum err_code indr_sums_add(struct indr_sums *s, int dim, const char *key, int64_t day, int metric,
                            int shard, int slot, int64_t n, struct err *e);
/* Rows held. */
size_t indr_sums_count(const struct indr_sums *s);

struct indr_sum_row {
	int dim, metric, shard;
	int64_t day;
	const char *key; /* valid until the table is cleared or freed */
	int64_t n[2];
};

/* Visits every row (in no particular order); stops when fn returns non-zero. */
void indr_sums_each(const struct indr_sums *s, int (*fn)(const struct indr_sum_row *r, void *ctx),
                    void *ctx);

#endif
