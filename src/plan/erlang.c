/*
 * erlang: desks and staff for a service point by the Erlang C model.
 *
 * Everything is computed from Erlang B through the recursion
 *   B(0) = 1,  B(k) = A B(k-1) / (k + A B(k-1)),
 * whose terms stay in [0, 1] (no factorials, no powers), so thousands or a
 * million desks cost no more than a loop and never overflow. Erlang C
 * follows from B by C = n B / (n - A (1 - B)), valid for n > A. Sizing walks
 * n upwards from the first stable count, updating B in one step per desk, so
 * the smallest count meeting a target costs O(desks) in all.
 *
 * The formulas are the textbook results for the M/M/n queue (e.g. Gross and
 * Harris, Fundamentals of Queueing Theory, on the multi-server Markovian
 * queue); the tests check them against published worked examples.
 */
#include "plan/erlang.h"

#include <limits.h>
#include <math.h>

double erlang_load(double arrivals, double period, double aht)
{
	return arrivals * aht / period;
}

/* One step of the recursion: B(k) from B(k-1). */
static double b_next(long k, double load, double b_prev)
{
	double ab = load * b_prev;
	return ab / ((double)k + ab);
}

double erlang_b(long n, double load)
{
	double b = 1.0;
	if (!(load > 0.0))
		return n <= 0 ? 1.0 : 0.0;
	for (long k = 1; k <= n; k++)
		b = b_next(k, load, b);
	return b;
}

/* Erlang C from Erlang B of the same n and load (n > load > 0). */
static double c_from_b(long n, double load, double b)
{
	double c = (double)n * b / ((double)n - load * (1.0 - b));
	if (c < 0.0)
		return 0.0;
	return c > 1.0 ? 1.0 : c;
}

static bool is_stable(long n, double load)
{
	return load == 0.0 || (double)n > load;
}

double erlang_c(long n, double load)
{
	if (!(load > 0.0))
		return 0.0;
	if (!is_stable(n, load))
		return 1.0;
	return c_from_b(n, load, erlang_b(n, load));
}

/* Service level from a known C (n > load > 0). */
static double sl_from_c(long n, double load, double aht, double within, double c)
{
	double sl = 1.0 - c * exp(-((double)n - load) * within / aht);
	if (sl < 0.0)
		return 0.0;
	return sl > 1.0 ? 1.0 : sl;
}

double erlang_service_level(long n, double load, double aht, double within)
{
	if (!(load > 0.0))
		return 1.0;
	if (!is_stable(n, load))
		return 0.0;
	return sl_from_c(n, load, aht, within, erlang_c(n, load));
}

double erlang_asa(long n, double load, double aht)
{
	if (!(load > 0.0))
		return 0.0;
	if (!is_stable(n, load))
		return INFINITY;
	return erlang_c(n, load) * aht / ((double)n - load);
}

long erlang_staff(long desks, double shrinkage)
{
	if (desks < 0 || desks > ERLANG_MAX_DESKS || !(shrinkage >= 0.0 && shrinkage < 1.0))
		return -1;
	double avail = 1.0 - shrinkage;
	double x = ceil((double)desks / avail);
	if (!(x <= (double)LONG_MAX / 2))
		return -1;
	long m = (long)x;
	/* Drop a person added only by rounding: m - 1 people already cover the desks. */
	while (m > desks && (double)(m - 1) * avail >= (double)desks - 1e-9)
		m--;
	return m;
}

enum err_code erlang_check(const struct erlang_input *in, bool sizing, struct err *e)
{
	if (!isfinite(in->arrivals) || in->arrivals < 0.0)
		return err_set(e, ERR_OUT_OF_RANGE, "arrivals '%g' must be a number >= 0",
		               in->arrivals);
	if (!isfinite(in->period) || !(in->period > 0.0))
		return err_set(e, ERR_OUT_OF_RANGE, "period '%g' must be more than 0 seconds",
		               in->period);
	if (!isfinite(in->aht) || !(in->aht > 0.0))
		return err_set(e, ERR_OUT_OF_RANGE,
		               "handling time '%g' must be more than 0 seconds", in->aht);
	if (!isfinite(in->within) || in->within < 0.0)
		return err_set(e, ERR_OUT_OF_RANGE, "answer time '%g' must be 0 seconds or more",
		               in->within);
	if (sizing && !(in->target > 0.0 && in->target < 1.0))
		return err_set(e, ERR_OUT_OF_RANGE,
		               "service-level target '%g' must lie strictly between 0 and 1",
		               in->target);
	if (!(in->max_occupancy > 0.0 && in->max_occupancy <= 1.0))
		return err_set(e, ERR_OUT_OF_RANGE,
		               "maximum occupancy '%g' must be more than 0 and at most 1",
		               in->max_occupancy);
	if (!(in->shrinkage >= 0.0 && in->shrinkage < 1.0))
		return err_set(e, ERR_OUT_OF_RANGE,
		               "shrinkage '%g' must be at least 0 and less than 1", in->shrinkage);
	if (in->min_desks < 0 || in->min_desks > ERLANG_MAX_DESKS)
		return err_set(e, ERR_OUT_OF_RANGE, "minimum desks '%ld' must be 0 to %ld",
		               in->min_desks, ERLANG_MAX_DESKS);
	double load = erlang_load(in->arrivals, in->period, in->aht);
	if (!isfinite(load))
		return err_set(e, ERR_OUT_OF_RANGE, "offered load of '%g' arrivals is too large",
		               in->arrivals);
	return ERR_OK;
}

/* Fills *out for n desks given B(n) (b is ignored when the load is 0 or n <= load). */
static void fill(const struct erlang_input *in, double load, long n, double b,
                 struct erlang_result *out)
{
	out->load = load;
	out->desks = n;
	out->staff = erlang_staff(n, in->shrinkage);
	out->limit = ERLANG_LIMIT_NONE;
	if (load == 0.0) {
		out->stable = true;
		out->p_wait = 0.0;
		out->service_level = 1.0;
		out->asa = 0.0;
		out->occupancy = 0.0;
		return;
	}
	if (!is_stable(n, load)) {
		out->stable = false;
		out->p_wait = 1.0;
		out->service_level = 0.0;
		out->asa = INFINITY;
		out->occupancy = 1.0;
		return;
	}
	double c = c_from_b(n, load, b);
	out->stable = true;
	out->p_wait = c;
	out->service_level = sl_from_c(n, load, in->aht, in->within, c);
	out->asa = c * in->aht / ((double)n - load);
	out->occupancy = load / (double)n;
}

enum err_code erlang_evaluate(const struct erlang_input *in, long desks, struct erlang_result *out,
                              struct err *e)
{
	enum err_code rc = erlang_check(in, false, e);
	if (rc != ERR_OK)
		return rc;
	if (desks < 0 || desks > ERLANG_MAX_DESKS)
		return err_set(e, ERR_OUT_OF_RANGE, "desks '%ld' must be 0 to %ld", desks,
		               ERLANG_MAX_DESKS);
	double load = erlang_load(in->arrivals, in->period, in->aht);
	fill(in, load, desks, erlang_b(desks, load), out);
	return ERR_OK;
}

/* The smallest n with load / n <= max_occupancy, as compared in floating point. */
static long occupancy_floor(double load, double max_occupancy)
{
	double x = ceil(load / max_occupancy);
	if (!(x <= (double)ERLANG_MAX_DESKS))
		return ERLANG_MAX_DESKS + 1;
	long n = (long)x;
	if (n < 1)
		n = 1;
	while (load / (double)n > max_occupancy)
		n++;
	while (n > 1 && load / (double)(n - 1) <= max_occupancy)
		n--;
	return n;
}

enum err_code erlang_size(const struct erlang_input *in, struct erlang_result *out, struct err *e)
{
	enum err_code rc = erlang_check(in, true, e);
	if (rc != ERR_OK)
		return rc;
	double load = erlang_load(in->arrivals, in->period, in->aht);
	if (load == 0.0) {
		fill(in, load, in->min_desks, 1.0, out);
		out->limit = ERLANG_LIMIT_MINIMUM;
		return ERR_OK;
	}
	if (load >= (double)ERLANG_MAX_DESKS)
		goto too_many;

	/* The service level alone: walk up from the first stable count. */
	long n = (long)floor(load) + 1;
	double b = erlang_b(n, load);
	while (sl_from_c(n, load, in->aht, in->within, c_from_b(n, load, b)) < in->target) {
		if (n >= ERLANG_MAX_DESKS)
			goto too_many;
		n++;
		b = b_next(n, load, b);
	}
	enum erlang_limit limit = ERLANG_LIMIT_SERVICE_LEVEL;

	/* Then the occupancy cap and the minimum; the service level only improves with n. */
	long n_occ = occupancy_floor(load, in->max_occupancy);
	if (n_occ > ERLANG_MAX_DESKS)
		goto too_many;
	long want = n;
	if (n_occ > want) {
		want = n_occ;
		limit = ERLANG_LIMIT_OCCUPANCY;
	}
	if (in->min_desks > want) {
		want = in->min_desks;
		limit = ERLANG_LIMIT_MINIMUM;
	}
	while (n < want) {
		n++;
		b = b_next(n, load, b);
	}
	fill(in, load, n, b, out);
	out->limit = limit;
	return ERR_OK;

too_many:
	return err_set(e, ERR_OUT_OF_RANGE,
	               "an offered load of '%g' Erlangs needs more than %ld desks", load,
	               ERLANG_MAX_DESKS);
}

enum err_code erlang_size_profile(const struct erlang_input *in, const double *arrivals,
                                  size_t count, long *desks, long *peak, struct err *e)
{
	long top = 0;
	for (size_t i = 0; i < count; i++) {
		struct erlang_input one = *in;
		struct erlang_result r;
		one.arrivals = arrivals[i];
		struct err sub;
		enum err_code rc = erlang_size(&one, &r, &sub);
		if (rc != ERR_OK)
			return err_set(e, rc, "interval '%zu': %s", i, sub.detail);
		desks[i] = r.desks;
		if (r.desks > top)
			top = r.desks;
	}
	if (peak)
		*peak = top;
	return ERR_OK;
}

double erlang_mixed_aht(const double *arrivals, const double *aht, size_t count)
{
	double sum_a = 0.0, sum_work = 0.0;
	for (size_t i = 0; i < count; i++) {
		if (!isfinite(arrivals[i]) || arrivals[i] < 0.0 || !isfinite(aht[i]) ||
		    aht[i] < 0.0)
			return -1.0;
		sum_a += arrivals[i];
		sum_work += arrivals[i] * aht[i];
	}
	if (!isfinite(sum_work))
		return -1.0;
	return sum_a > 0.0 ? sum_work / sum_a : 0.0;
}

enum err_code erlang_pooling(const struct erlang_input *in, const double *arrivals, size_t count,
                             long *desks_each, struct erlang_pooling *out, struct err *e)
{
	struct erlang_input one = *in;
	struct erlang_result r;
	struct err sub;
	double total = 0.0;
	long desks = 0, staff = 0;
	for (size_t i = 0; i < count; i++) {
		one.arrivals = arrivals[i];
		enum err_code rc = erlang_size(&one, &r, &sub);
		if (rc != ERR_OK)
			return err_set(e, rc, "point '%zu': %s", i, sub.detail);
		if (desks > LONG_MAX - r.desks || staff > LONG_MAX - r.staff)
			return err_set(e, ERR_OUT_OF_RANGE, "point '%zu': too many desks in all",
			               i);
		desks += r.desks;
		staff += r.staff;
		if (desks_each)
			desks_each[i] = r.desks;
		total += arrivals[i];
	}
	one.arrivals = total;
	enum err_code rc = erlang_size(&one, &r, &sub);
	if (rc != ERR_OK)
		return err_set(e, rc, "pooled network: %s", sub.detail);
	out->points = count;
	out->load = r.load;
	out->desks_separate = desks;
	out->desks_pooled = r.desks;
	out->staff_separate = staff;
	out->staff_pooled = r.staff;
	out->occupancy_separate = desks > 0 ? r.load / (double)desks : 0.0;
	out->occupancy_pooled = r.desks > 0 ? r.load / (double)r.desks : 0.0;
	return ERR_OK;
}

const char *erlang_limit_name(enum erlang_limit limit)
{
	switch (limit) {
	case ERLANG_LIMIT_SERVICE_LEVEL:
		return "service_level";
	case ERLANG_LIMIT_OCCUPANCY:
		return "occupancy";
	case ERLANG_LIMIT_MINIMUM:
		return "minimum";
	default:
		return NULL;
	}
}
