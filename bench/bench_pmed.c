/*
 * bench_pmed: the p-median solver on OR-Library's pmed1-pmed40 (Beasley,
 * EJOR 21, 1985; bench/data/pmed/, optimal values in pmedopt.txt).
 *
 * For each instance prints n, p, the optimum, the value found, the gap in
 * per cent, the seconds to read the file (parse and Floyd-Warshall) and to
 * solve, then a summary: how many optima were reached, the largest gap and
 * the largest time. The target of the project is at least 38 optima of 40,
 * every gap within 0.1 % and at most 5 s per instance with default settings.
 *
 * Usage: bench_pmed [--iterations K] [--stall S [--stall-per-site T]] [--seed N]
 *                   [--only I] [--dir DIR]
 * (--stall S --stall-per-site T: stall limit S + T p instead of the default.)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "plan/pmedian.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

#define N_INSTANCES 40
#define FILE_MAX    (16u << 20)

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: unlike the wall clock, not inflated by other loads. */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads a whole file into a malloc'ed, NUL-terminated buffer. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, FILE_MAX, f) : 0;
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Reads pmedopt.txt: lines "pmedN value". Returns 0 or -1. */
static int read_optima(const char *dir, double *opt)
{
	char path[1024];
	size_t len;
	snprintf(path, sizeof path, "%s/pmedopt.txt", dir);
	char *text = read_file(path, &len);
	if (!text)
		return -1;
	for (int k = 0; k < N_INSTANCES; k++)
		opt[k] = -1;
	char *line = text;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		unsigned idx;
		double v;
		if (sscanf(line, " pmed%u %lf", &idx, &v) == 2 && idx >= 1 && idx <= N_INSTANCES)
			opt[idx - 1] = v;
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = SOURCE_DIR "/bench/data/pmed";
	struct plan_budget budget = {0};
	int64_t only = 0, stall = 0, stall_per_site = 0;
	for (int a = 1; a < argc; a++) {
		int64_t v;
		if (a + 1 < argc && strcmp(argv[a], "--iterations") == 0 &&
		    !str_parse_int64(argv[a + 1], 1, INT64_MAX, &v)) {
			budget.iterations = (uint64_t)v;
			a++;
		} else if (a + 1 < argc && strcmp(argv[a], "--seed") == 0 &&
		           !str_parse_int64(argv[a + 1], 0, INT64_MAX, &v)) {
			budget.seed = (uint64_t)v;
			a++;
		} else if (a + 1 < argc && strcmp(argv[a], "--only") == 0 &&
		           !str_parse_int64(argv[a + 1], 1, N_INSTANCES, &only)) {
			a++;
		} else if (a + 1 < argc && strcmp(argv[a], "--stall") == 0 &&
		           !str_parse_int64(argv[a + 1], 1, INT64_MAX, &stall)) {
			a++;
		} else if (a + 1 < argc && strcmp(argv[a], "--stall-per-site") == 0 &&
		           !str_parse_int64(argv[a + 1], 0, INT64_MAX / 100000, &stall_per_site)) {
			a++;
		} else if (a + 1 < argc && strcmp(argv[a], "--dir") == 0) {
			dir = argv[++a];
		} else {
			fprintf(stderr, "usage: bench_pmed [--iterations K] [--stall S "
			                "[--stall-per-site T]] "
			                "[--seed N] [--only I] [--dir DIR]\n");
			return 2;
		}
	}
	double opt[N_INSTANCES];
	if (read_optima(dir, opt)) {
		fprintf(stderr, "bench_pmed: cannot read %s/pmedopt.txt: %s\n", dir,
		        strerror(errno));
		return 1;
	}
	printf("%-7s %4s %4s %8s %8s %7s %7s %7s %7s %6s %6s\n", "name", "n", "p", "optimum",
	       "found", "gap%", "read_s", "solve_s", "cpu_s", "iters", "best@");
	int optimal = 0, runs = 0, failed = 0;
	double worst_gap = 0, worst_time = 0, worst_cpu = 0, sum_time = 0;
	for (int k = 1; k <= N_INSTANCES; k++) {
		if (only && k != only)
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/pmed%d.txt", dir, k);
		size_t len;
		char *text = read_file(path, &len);
		if (!text) {
			fprintf(stderr, "bench_pmed: cannot read %s: %s\n", path, strerror(errno));
			failed++;
			continue;
		}
		struct plan_instance in;
		struct pmedian_result res;
		struct err e;
		size_t p;
		double t0 = now_seconds(), c0 = cpu_seconds();
		if (pmedian_parse_orlib(text, len, &in, &p, &e)) {
			fprintf(stderr, "bench_pmed: %s: %s\n", path, e.detail);
			free(text);
			failed++;
			continue;
		}
		free(text);
		double t1 = now_seconds();
		struct pmedian_opts o = {.p = p};
		if (stall)
			o.stall = (uint64_t)stall + (uint64_t)stall_per_site * p;
		if (pmedian_solve(&in, &o, &budget, &res, &e)) {
			fprintf(stderr, "bench_pmed: pmed%d: %s\n", k, e.detail);
			plan_instance_release(&in);
			failed++;
			continue;
		}
		double t2 = now_seconds(), c2 = cpu_seconds();
		double gap = opt[k - 1] > 0 ? 100.0 * (res.objective - opt[k - 1]) / opt[k - 1] : 0;
		printf("pmed%-3d %4zu %4zu %8.0f %8.0f %7.3f %7.3f %7.3f %7.3f %6" PRIu64
		       " %6" PRIu64 "\n",
		       k, in.n_demand, p, opt[k - 1], res.objective, gap, t1 - t0, t2 - t1, c2 - c0,
		       res.iterations, res.best_iteration);
		fflush(stdout);
		runs++;
		if (res.objective <= opt[k - 1] + 1e-9)
			optimal++;
		if (gap > worst_gap)
			worst_gap = gap;
		if (t2 - t0 > worst_time)
			worst_time = t2 - t0;
		if (c2 - c0 > worst_cpu)
			worst_cpu = c2 - c0;
		sum_time += t2 - t0;
		pmedian_result_release(&res);
		plan_instance_release(&in);
	}
	printf("summary: %d/%d optimal, largest gap %.3f %%, largest time %.2f s (cpu %.2f s), "
	       "total %.1f s, iterations %" PRIu64 ", seed %" PRIu64 "%s\n",
	       optimal, runs, worst_gap, worst_time, worst_cpu, sum_time,
	       budget.iterations ? budget.iterations : (uint64_t)PMEDIAN_DEFAULT_ITERATIONS,
	       budget.seed, failed ? ", SOME FAILED" : "");
	return failed ? 1 : 0;
}
