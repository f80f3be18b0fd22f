/*
 * Fuzz target for the OR-Library p-median reader (plan/pmedian.h).
 *
 * Invariants checked with abort(): a refusal leaves the instance empty, p
 * zero and a detail naming the pmed line; an accepted instance has n >= 1
 * vertices, each a demand point of weight 1 and a site with id "1".."n",
 * 1 <= p <= n, a symmetric matrix with a zero diagonal, distances >= 0 or
 * PLAN_UNREACHABLE, and the triangle inequality (these are shortest paths);
 * the p-median solver on it returns p sites and a total that its own
 * evaluation repeats. Inputs announcing more than FUZZ_MAX_N vertices are
 * skipped to keep runs fast.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/pmedian.h"

#define FUZZ_MAX_N 60

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	unsigned long n0 = 0;
	if (sscanf(text, "%lu", &n0) == 1 && n0 > FUZZ_MAX_N) {
		free(text);
		return 0;
	}
	struct plan_instance in;
	size_t p = 7;
	struct err e;
	err_clear(&e);
	enum err_code rc = pmedian_parse_orlib(text, size, &in, &p, &e);
	free(text);
	if (rc != ERR_OK) {
		if (in.dist || in.demand || in.sites || in.n_demand || p != 0)
			abort();
		if (e.code != rc || !strstr(e.detail, "pmed line "))
			abort();
		return 0;
	}
	size_t n = in.n_demand;
	if (n == 0 || n != in.n_sites || p == 0 || p > n || in.coords != PLAN_COORDS_MATRIX)
		abort();
	for (size_t a = 0; a < n; a++) {
		char id[32];
		snprintf(id, sizeof id, "%zu", a + 1);
		if (strcmp(in.demand[a].id, id) || strcmp(in.sites[a].id, id) ||
		    in.demand[a].weight != 1)
			abort();
		if (in.dist[a * n + a] != 0)
			abort();
		for (size_t b = 0; b < n; b++) {
			double d = in.dist[a * n + b];
			if (!(d >= 0) || d > PLAN_UNREACHABLE || d != in.dist[b * n + a])
				abort();
		}
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			for (size_t c = 0; c < n; c++) {
				double ab = in.dist[a * n + b], bc = in.dist[b * n + c];
				if (ab < PLAN_UNREACHABLE && bc < PLAN_UNREACHABLE &&
				    in.dist[a * n + c] > (ab + bc) * (1 + 1e-12))
					abort();
			}
	struct pmedian_opts o = {.p = p};
	struct plan_budget b = {.iterations = 20};
	struct pmedian_result r, v;
	if (pmedian_solve(&in, &o, &b, &r, NULL) != ERR_OK || r.n_selected != p)
		abort();
	if (pmedian_evaluate(&in, r.selected, p, &v, NULL) != ERR_OK ||
	    v.objective != r.objective || v.served_weight != r.served_weight)
		abort();
	pmedian_result_release(&v);
	pmedian_result_release(&r);
	plan_instance_release(&in);
	return 0;
}
