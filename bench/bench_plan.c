/*
 * bench_plan: MCLP and LSCP on the San José dos Campos instances
 * (bench/data/sjc, Lorena and Pereira 2002; coverage = Euclidean distance
 * <= S metres, every demand point a candidate site), printing time,
 * objective and gap to the optimum as a table.
 *
 * The optima below were computed for this project with COIN-OR CBC 2.10
 * (Debian's coinor-cbc) on the textbook integer programmes (Church and
 * ReVelle's MCLP: max sum w_i y_i, y_i <= sum_{j covers i} x_j,
 * sum x_j = p; Toregas et al.'s LSCP: min sum x_j, sum_{j covers i} x_j >= 1),
 * every run ending with "Optimal solution found".
 *
 * Times are processor seconds of this single-threaded process (cover
 * lists included), so that a busy machine does not inflate them.
 *
 * A last section times a synthetic instance of Hanoi's size: 13,000 demand
 * points x 1,000 candidates drawn uniformly (seeded) in Hanoi's bounding
 * box (20.56-21.39 N, 105.29-106.02 E), weights 1-2,000: building the
 * 5 km coverage lists, MCLP with p = 30, LSCP.
 *
 * Usage: bench_plan [--seed N] [--iterations K]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan/instance.h"
#include "plan/lscp.h"
#include "plan/mclp.h"
#include "plan/solver_util.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

struct mcase {
	int n;
	double s;
	size_t p;
	double opt; /* CBC */
};

static const struct mcase mcases[] = {
        {324, 800, 1, 5461},   {324, 800, 2, 8790},   {324, 800, 3, 11604},  {324, 800, 4, 12106},
        {324, 1200, 1, 9932},  {324, 1200, 2, 11555}, {402, 800, 1, 6555},   {402, 800, 2, 11339},
        {402, 800, 3, 14690},  {402, 800, 4, 15658},  {402, 800, 5, 15970},  {402, 1200, 1, 10607},
        {402, 1200, 2, 14832}, {500, 800, 2, 12454},  {500, 800, 4, 17794},  {500, 800, 6, 19525},
        {500, 800, 7, 19692},  {500, 1200, 1, 10726}, {500, 1200, 2, 18070}, {500, 1200, 3, 19393},
        {708, 800, 2, 13306},  {708, 800, 4, 20338},  {708, 800, 6, 22504},  {708, 800, 8, 23684},
        {708, 800, 10, 24190}, {708, 1200, 2, 20376}, {708, 1200, 3, 22422}, {708, 1200, 4, 23884},
        {708, 1200, 5, 24142}, {818, 800, 2, 13306},  {818, 800, 4, 21428},  {818, 800, 6, 25908},
        {818, 800, 8, 27813},  {818, 800, 10, 28838}, {818, 800, 12, 29159}, {818, 1200, 2, 20290},
        {818, 1200, 3, 25211}, {818, 1200, 4, 27029}, {818, 1200, 5, 28513}, {818, 1200, 6, 29137},
};

struct lcase {
	int n;
	double s;
	size_t opt; /* CBC */
};

static const struct lcase lcases[] = {
        {324, 800, 5},  {324, 1200, 3}, {402, 800, 6},  {402, 1200, 3}, {500, 800, 8},
        {500, 1200, 4}, {708, 800, 11}, {708, 1200, 6}, {818, 800, 13}, {818, 1200, 7},
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *s = malloc(cap);
	size_t k;
	while (s && (k = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (n + 1 == cap) {
			char *t = realloc(s, cap *= 2);
			if (!t) {
				free(s);
				s = NULL;
			}
			s = t;
		}
	}
	fclose(f);
	if (s)
		s[n] = '\0';
	return s;
}

/* Reads SJC<n>.txt (count, then x y per line) and demand-SJC<n>.dat (one weight a line). */
static int load_sjc(int n, struct plan_instance *in)
{
	char p1[512], p2[512];
	snprintf(p1, sizeof p1, "%s/bench/data/sjc/SJC%d.txt", SOURCE_DIR, n);
	snprintf(p2, sizeof p2, "%s/bench/data/sjc/demand-SJC%d.dat", SOURCE_DIR, n);
	char *a = slurp(p1), *b = slurp(p2);
	int rc = -1;
	if (!a || !b)
		goto out;
	char *pa = a, *pb = b, *end;
	long m = strtol(pa, &end, 10);
	if (end == pa || m != n)
		goto out;
	pa = end;
	if (plan_instance_alloc(in, PLAN_COORDS_METRES, (size_t)m, (size_t)m, NULL) != ERR_OK)
		goto out;
	for (long i = 0; i < m; i++) {
		struct plan_point *d = &in->demand[i];
		d->x = strtod(pa, &end);
		pa = end;
		d->y = strtod(pa, &end);
		pa = end;
		d->weight = strtod(pb, &end);
		pb = end;
		snprintf(d->id, sizeof d->id, "%ld", i + 1);
		in->sites[i] = *d;
		in->sites[i].weight = 0;
	}
	rc = 0;
out:
	free(a);
	free(b);
	return rc;
}

/* Processor time of this process: stable on a shared machine (the solvers are single-threaded). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, iters = 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--seed") == 0)
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--iterations") == 0)
			iters = strtoull(argv[i + 1], NULL, 10);
	}
	struct plan_instance inst[5];
	const int sizes[5] = {324, 402, 500, 708, 818};
	for (int k = 0; k < 5; k++)
		if (load_sjc(sizes[k], &inst[k]) < 0) {
			fprintf(stderr, "bench_plan: cannot read SJC%d\n", sizes[k]);
			return 1;
		}
	int optimal = 0, total = 0;
	double worst_time = 0, sum_time = 0;
	printf("MCLP (seed %llu)\n%-8s %6s %4s %10s %10s %8s %8s %6s %7s\n",
	       (unsigned long long)seed, "instance", "S", "p", "optimum", "found", "gap%",
	       "seconds", "iters", "best_at");
	for (size_t t = 0; t < sizeof mcases / sizeof mcases[0]; t++) {
		const struct mcase *mc = &mcases[t];
		int k = 0;
		while (sizes[k] != mc->n)
			k++;
		double t0 = now();
		struct plan_cover c;
		struct mclp_result r;
		struct mclp_params prm = {.p = mc->p};
		prm.budget.seed = seed;
		prm.budget.iterations = iters;
		if (plan_cover_build(&c, &inst[k], mc->s, NULL) != ERR_OK ||
		    mclp_solve(&inst[k], &c, &prm, &r, NULL) != ERR_OK) {
			fprintf(stderr, "bench_plan: mclp failed\n");
			return 1;
		}
		double dt = now() - t0;
		double gap = 100.0 * (mc->opt - r.covered_weight) / mc->opt;
		printf("SJC%-5d %6.0f %4zu %10.0f %10.0f %8.3f %8.3f %6llu %7llu\n", mc->n, mc->s,
		       mc->p, mc->opt, r.covered_weight, gap, dt, (unsigned long long)r.iterations,
		       (unsigned long long)r.best_iteration);
		optimal += r.covered_weight >= mc->opt;
		total++;
		sum_time += dt;
		if (dt > worst_time)
			worst_time = dt;
		mclp_result_release(&r);
		plan_cover_release(&c);
	}
	printf("MCLP: optimal on %d of %d; time total %.3f s, worst %.3f s\n\n", optimal, total,
	       sum_time, worst_time);

	int loptimal = 0, ltotal = 0;
	double lworst = 0, lsum = 0;
	printf("LSCP (seed %llu)\n%-8s %6s %8s %8s %6s %8s %6s\n", (unsigned long long)seed,
	       "instance", "S", "optimum", "found", "bound", "seconds", "iters");
	for (size_t t = 0; t < sizeof lcases / sizeof lcases[0]; t++) {
		const struct lcase *lc = &lcases[t];
		int k = 0;
		while (sizes[k] != lc->n)
			k++;
		double t0 = now();
		struct plan_cover c;
		struct lscp_result r;
		struct lscp_params prm = {0};
		prm.budget.seed = seed;
		prm.budget.iterations = iters;
		if (plan_cover_build(&c, &inst[k], lc->s, NULL) != ERR_OK ||
		    lscp_solve(&c, &prm, &r, NULL) != ERR_OK) {
			fprintf(stderr, "bench_plan: lscp failed\n");
			return 1;
		}
		double dt = now() - t0;
		printf("SJC%-5d %6.0f %8zu %8zu %6zu %8.3f %6llu\n", lc->n, lc->s, lc->opt,
		       r.n_selected, r.lower_bound, dt, (unsigned long long)r.iterations);
		loptimal += r.n_selected <= lc->opt;
		ltotal++;
		lsum += dt;
		if (dt > lworst)
			lworst = dt;
		lscp_result_release(&r);
		plan_cover_release(&c);
	}
	printf("LSCP: optimal on %d of %d; time total %.3f s, worst %.3f s\n\n", loptimal, ltotal,
	       lsum, lworst);

	{
		struct plan_instance big;
		struct plan_rng rng;
		plan_rng_seed(&rng, 2019);
		if (plan_instance_alloc(&big, PLAN_COORDS_LATLON, 13000, 1000, NULL) != ERR_OK)
			return 1;
		for (size_t i = 0; i < 14000; i++) {
			struct plan_point *pt = i < 13000 ? &big.demand[i] : &big.sites[i - 13000];
			pt->x = 20.56 + 0.83 * plan_rng_unit(&rng);
			pt->y = 105.29 + 0.73 * plan_rng_unit(&rng);
			pt->weight = i < 13000 ? (double)(1 + plan_rng_below(&rng, 2000)) : 0;
			snprintf(pt->id, sizeof pt->id, "%zu", i);
		}
		struct plan_cover c;
		double t0 = now();
		if (plan_cover_build(&c, &big, 5000, NULL) != ERR_OK)
			return 1;
		double t1 = now();
		struct mclp_params prm = {.p = 30};
		prm.budget.seed = seed;
		prm.budget.iterations = iters;
		struct mclp_result r;
		if (mclp_solve(&big, &c, &prm, &r, NULL) != ERR_OK)
			return 1;
		double t2 = now();
		struct lscp_params lp = {0};
		lp.budget.seed = seed;
		lp.budget.iterations = iters;
		struct lscp_result lr;
		if (lscp_solve(&c, &lp, &lr, NULL) != ERR_OK)
			return 1;
		double t3 = now();
		printf("Synthetic Hanoi-sized instance, 13000 x 1000, R = 5 km (%zu pairs)\n",
		       c.n_pairs);
		printf("  coverage lists  %8.3f s\n", t1 - t0);
		printf("  MCLP p = 30     %8.3f s  covered %.5f of the weight, bound %.5f, %llu "
		       "iterations "
		       "(best at %llu)\n",
		       t2 - t1, r.covered_weight / r.total_weight, r.upper_bound / r.total_weight,
		       (unsigned long long)r.iterations, (unsigned long long)r.best_iteration);
		printf("  LSCP            %8.3f s  %zu sites (lower bound %zu), %llu iterations\n",
		       t3 - t2, lr.n_selected, lr.lower_bound, (unsigned long long)lr.iterations);
		mclp_result_release(&r);
		lscp_result_release(&lr);
		plan_cover_release(&c);
		plan_instance_release(&big);
	}
	for (int k = 0; k < 5; k++)
		plan_instance_release(&inst[k]);
	return optimal == total && loptimal == ltotal ? 0 : 1;
}
