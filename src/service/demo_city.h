/*
 * demo_city: `motcua demo --dossiers N --days D --seed S` -- a whole city's
 * worth of demonstration data on a fresh database (after `motcua import`):
 * residents in the population registry, staff at every receiving unit and
 * competent agency, citizen accounts, and N dossiers that arrive over D days
 * by weekday and hour across the branches and service points, at the
 * counter or online, and live their lives up to the end instant: reception
 * or refusal, acceptance of online filings, processing with steps and
 * sign-off, supplement requests and answers, fees and payments, withdrawals,
 * stops, refusals, a small share of late dossiers with their apology and new
 * appointment or a stated reason, return of results (branch or post),
 * delivery, ratings and complaints. Dossiers whose next event falls after
 * the end are left where they are, in progress.
 *
 * Every dossier event goes through the live use cases (intake_*_in,
 * action_perform_in: the same checks, rules, event rows, audit chain,
 * outbox rows and indicator counters as the server), on one connection, in
 * large transactions, in time order: a priority queue of each dossier's next
 * event, with the service clock fixed (svc->clock) at the event's instant,
 * so that appointments and step dues come from the real calendar.
 *
 * Reproducible: the same seed, dossier count, days, end instant, population
 * and reference data give the same dossiers, codes, states, times and
 * figures. Internal ids (dossiers, accounts, outbox, audit) stay random.
 *
 * docs/demo.md describes what is generated, the outbox decision (the
 * portal messages of demo dossiers are settled as "demo data, not sent" in
 * the transaction that wrote them) and the bulk-load mode.
 */
#ifndef MOTCUA_SERVICE_DEMO_CITY_H
#define MOTCUA_SERVICE_DEMO_CITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "service/account.h"
#include "service/demo.h"
#include "service/service.h"

#define DEMO_CITY_MAX_DOSSIERS 20000000
#define DEMO_CITY_MAX_DAYS     3650
#define DEMO_CITY_MIN_PEOPLE   2000
#define DEMO_CITY_BATCH_EVENTS 40000 /* events per transaction by default */
#define DEMO_CITY_OUTBOX_NOTE  "demo data, not sent"

struct demo_city_options {
	int64_t dossiers; /* 1..DEMO_CITY_MAX_DOSSIERS */
	int days;         /* arrivals over the days ending on the end's day (1..MAX_DAYS) */
	uint64_t seed;
	int64_t end;      /* the instant the simulation stops (epoch seconds) */
	int population;   /* residents; 0: max(DEMO_CITY_MIN_PEOPLE, dossiers / 2), capped */
	int batch_events; /* events per transaction; 0: DEMO_CITY_BATCH_EVENTS */
	bool bulk;        /* SQLite: synchronous=OFF and a large cache on the demo's connection */
	FILE *progress;   /* a line per transaction when not NULL */
};

/* What was made. */
struct demo_city_report {
	struct demo_report login; /* the accounts with passwords (the demo's contract lines) */
	int64_t population, staff, citizens;
	int64_t dossiers, events, transactions;
	int64_t counter, online, refused_reception, withdrawn, stopped, refused;
	int64_t supplements, extensions, paid, paid_online, late, delivered, rated, complaints;
	int64_t in_progress; /* not resolved at the end */
	int64_t first_day, end;
	double seconds; /* wall-clock time of the simulation */
};

/*
 * Generates the city on svc's database (fresh: refused like demo_seed()
 * when accounts exist). svc's clock is moved event by event and restored at
 * the end. acc is used for the accounts that get passwords. Returns ERR_OK,
 * ERR_INVALID_ARGUMENT (options, database in use) or the first error of a
 * use case (everything of the failing transaction is rolled back; earlier
 * transactions stay: run it again on a fresh database).
 */
enum err_code demo_city_run(struct service *svc, struct accounts *acc,
                            const struct demo_city_options *o, struct demo_city_report *out,
                            struct err *e);

/* ---- pure parts (tests/unit/test_demo_city.c) ---- */

/* splitmix64: the next 64 random bits of *state. */
uint64_t demo_rng_next(uint64_t *state);
/* A uniform double in [0, 1). */
double demo_rng_unit(uint64_t *state);
/* A uniform double in [lo, hi). */
double demo_rng_range(uint64_t *state, double lo, double hi);
/* True with probability p. */
bool demo_rng_chance(uint64_t *state, double p);

/*
 * Weighted choice: cum[0..n) are cumulative non-negative weights (cum[n-1] >
 * 0); returns the first i with u * cum[n-1] < cum[i] for u in [0, 1), so
 * that i comes with probability (cum[i] - cum[i-1]) / cum[n-1]. Zero-weight
 * entries are never chosen.
 */
size_t demo_pick(const double *cum, size_t n, double u);

/* Turns weights w[0..n) into cumulative sums in place; returns the total. */
double demo_cumulate(double *w, size_t n);

/* The kind of a day for arrivals. */
enum demo_day_kind {
	DEMO_DAY_WORKING,  /* a working day of the calendar (Monday-Friday or a make-up day) */
	DEMO_DAY_SATURDAY, /* an ordinary Saturday: counters open in the morning */
	DEMO_DAY_CLOSED    /* Sunday, or a weekday off: online filings only */
};

/*
 * Relative volume of a day's arrivals by channel (counter, online) for its
 * kind and weekday (0 Sunday .. 6 Saturday): Monday busiest, counters
 * closed on days off, online filings every day (the centre receives online
 * 24/7).
 */
double demo_day_weight(enum demo_day_kind kind, int weekday, bool online);

/*
 * A second of the day for an arrival: counter arrivals within the opening
 * hours of the branches (08:00-17:00, Saturday 08:00-12:00) with the
 * morning and afternoon peaks; online filings at any hour, mostly in office
 * hours and in the evening. u1, u2 in [0, 1).
 */
int demo_arrival_second(enum demo_day_kind kind, bool online, double u1, double u2);

#endif
