/*
 * erlang: how many desks a service point needs, by the Erlang C model of a
 * queue (M/M/n: random arrivals, exponential service times, one shared queue,
 * nobody leaves the queue), and how many staff must be rostered for them.
 *
 * Offered load A = arrivals x AHT / period (in Erlangs). Erlang B comes from
 * the recursion B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), which never
 * overflows and is stable for any number of desks; Erlang C (the probability
 * that a citizen has to wait) is C = n B / (n - A (1 - B)) for n > A. From C:
 * service level P(wait <= t) = 1 - C exp(-(n - A) t / AHT), average speed of
 * answer ASA = C AHT / (n - A), occupancy A / n. With n <= A the queue grows
 * without bound: such a system is reported as unstable (service level 0,
 * p_wait 1, ASA infinite), never as a number.
 *
 * Times are in seconds throughout. The module is pure: no I/O, no globals.
 */
#ifndef MOTCUA_PLAN_ERLANG_H
#define MOTCUA_PLAN_ERLANG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* The largest number of desks the module will size or evaluate. */
#define ERLANG_MAX_DESKS 1000000L

/* What a point faces and what it promises. */
struct erlang_input {
	double arrivals;      /* arrivals in one period, >= 0 (an average: may be fractional) */
	double period;        /* length of the period in seconds, > 0 */
	double aht;           /* average handling time in seconds, > 0 */
	double target;        /* service-level target in (0, 1); sizing only */
	double within;        /* answer-time threshold of the target in seconds, >= 0 */
	double max_occupancy; /* highest allowed occupancy in (0, 1]; 1 = no limit */
	double shrinkage;     /* share of paid time away from the desk, in [0, 1) */
	long min_desks;       /* sizing never answers fewer desks, >= 0 (e.g. 1 per open point) */
};

/* Which rule decided the number of desks when sizing. */
enum erlang_limit {
	ERLANG_LIMIT_NONE = 0,      /* evaluated, not sized */
	ERLANG_LIMIT_SERVICE_LEVEL, /* the service-level target */
	ERLANG_LIMIT_OCCUPANCY,     /* the maximum occupancy */
	ERLANG_LIMIT_MINIMUM,       /* min_desks, or no arrivals at all */
};

struct erlang_result {
	double load;          /* offered load A in Erlangs */
	long desks;           /* n, desks open at the same time */
	long staff;           /* rostered staff: ceil(desks / (1 - shrinkage)) */
	bool stable;          /* n > A, or no arrivals */
	double p_wait;        /* Erlang C: probability of waiting at all (1 when unstable) */
	double service_level; /* P(wait <= within) (0 when unstable) */
	double asa;           /* average speed of answer in seconds (INFINITY when unstable) */
	double occupancy;     /* A / n, at most 1 (1 when unstable, 0 with no arrivals) */
	enum erlang_limit limit;
};

/* Offered load in Erlangs: arrivals x aht / period (period > 0). */
double erlang_load(double arrivals, double period, double aht);

/*
 * Erlang B blocking probability for n >= 0 servers and load >= 0, in [0, 1]
 * (B(0, A) = 1). Costs n steps; stable for any n.
 */
double erlang_b(long n, double load);

/*
 * Erlang C probability of waiting for n servers and load >= 0, in [0, 1]:
 * 0 when load is 0, 1 when n <= load (unstable).
 */
double erlang_c(long n, double load);

/*
 * Service level P(wait <= within) for n servers, load, aht > 0 and
 * within >= 0 seconds, in [0, 1]; 0 when unstable, 1 when load is 0.
 */
double erlang_service_level(long n, double load, double aht, double within);

/* Average speed of answer in seconds; INFINITY when unstable, 0 when load is 0. */
double erlang_asa(long n, double load, double aht);

/*
 * Rostered staff for a number of desks: the smallest m with
 * m (1 - shrinkage) >= desks (shrinkage in [0, 1); floating-point noise such
 * as 21 / (1 - 0.3) = 30.000000000000004 does not add a person). Returns -1 on
 * invalid arguments.
 */
long erlang_staff(long desks, double shrinkage);

/*
 * Checks an input: finite numbers in the ranges of struct erlang_input.
 * When sizing is true the target is checked too. Returns ERR_OK or
 * ERR_OUT_OF_RANGE with a detail naming the field.
 */
enum err_code erlang_check(const struct erlang_input *in, bool sizing, struct err *e);

/*
 * Evaluates a given number of desks (0 .. ERLANG_MAX_DESKS) under *in (the
 * target is not used). Fills *out. Returns ERR_OK or ERR_OUT_OF_RANGE.
 */
enum err_code erlang_evaluate(const struct erlang_input *in, long desks, struct erlang_result *out,
                              struct err *e);

/*
 * Sizes a point: the smallest number of desks whose service level reaches
 * in->target, whose occupancy is at most in->max_occupancy, and which is at
 * least in->min_desks; with no arrivals that is min_desks. Fills *out with
 * the figures of that number. Costs O(desks) steps. Returns ERR_OK,
 * ERR_OUT_OF_RANGE for a bad input, or ERR_OUT_OF_RANGE when more than
 * ERLANG_MAX_DESKS desks would be needed.
 */
enum err_code erlang_size(const struct erlang_input *in, struct erlang_result *out, struct err *e);

/*
 * Desks for each interval of a demand profile (e.g. each hour of a day):
 * arrivals[i] are the arrivals of interval i, each in->period seconds long;
 * in->arrivals is ignored. Fills desks[i] (count entries) and *peak with the
 * largest (peak may be NULL). Returns as erlang_size, naming the interval.
 */
enum err_code erlang_size_profile(const struct erlang_input *in, const double *arrivals,
                                  size_t count, long *desks, long *peak, struct err *e);

/*
 * Mean handling time of a mix of procedure groups: sum(arrivals[i] aht[i]) /
 * sum(arrivals[i]), the mean service time of the merged stream. Returns 0
 * when there are no arrivals, -1 when a value is negative or not finite.
 */
double erlang_mixed_aht(const double *arrivals, const double *aht, size_t count);

/* Many small desks against one pooled network, for the planning report. */
struct erlang_pooling {
	size_t points;             /* number of points compared */
	double load;               /* total offered load in Erlangs */
	long desks_separate;       /* sum of the desks each point needs on its own */
	long desks_pooled;         /* desks one shared queue needs for all the arrivals */
	long staff_separate;       /* sum of each point's rostered staff */
	long staff_pooled;         /* rostered staff of the pooled desks */
	double occupancy_separate; /* load / desks_separate (0 when no desks) */
	double occupancy_pooled;   /* load / desks_pooled (0 when no desks) */
};

/*
 * Compares K points each with its own arrivals (arrivals[i] per in->period;
 * in->arrivals is ignored, the other fields apply to every point and to the
 * pooled queue) against one queue serving all of them. When desks_each is
 * not NULL it receives each point's desks (count entries). Fills *out.
 * Returns as erlang_size, naming the point.
 */
enum err_code erlang_pooling(const struct erlang_input *in, const double *arrivals, size_t count,
                             long *desks_each, struct erlang_pooling *out, struct err *e);

/* "service_level", "occupancy", "minimum", or NULL for ERLANG_LIMIT_NONE. */
const char *erlang_limit_name(enum erlang_limit limit);

#endif
