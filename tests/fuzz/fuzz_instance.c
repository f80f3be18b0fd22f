/*
 * Fuzz target for the planning CSV parsers (plan/instance.h).
 *
 * The input is split at the first two 0x1E bytes into the demand, sites
 * and matrix texts (a missing part means "not given"). Invariants checked
 * with abort(): a refusal leaves the instance empty and explains itself;
 * an accepted instance has at least one demand point and one site,
 * non-empty distinct ids of valid UTF-8, finite weights >= 0, coordinates
 * in range, distances >= 0 or PLAN_UNREACHABLE; its coverage lists for a
 * radius taken from the input match a brute-force scan; a site list parsed
 * from the sites text names known sites once each.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "plan/instance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cover(const struct plan_instance *in, double r)
{
	struct plan_cover c;
	if (plan_cover_build(&c, in, r, NULL) != ERR_OK)
		abort();
	size_t pairs = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		size_t q = c.d_start[i];
		for (size_t j = 0; j < in->n_sites; j++)
			if (plan_instance_dist(in, i, j) <= r) {
				if (q >= c.d_start[i + 1] || c.d_sites[q] != j)
					abort();
				q++;
				pairs++;
			}
		if (q != c.d_start[i + 1])
			abort();
	}
	if (pairs != c.n_pairs || c.s_start[in->n_sites] != pairs)
		abort();
	plan_cover_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *part[3] = {buf, NULL, NULL};
	for (int k = 1; k < 3; k++) {
		char *sep = part[k - 1] ? memchr(part[k - 1], 0x1E, strlen(part[k - 1])) : NULL;
		if (!sep)
			break;
		*sep = '\0';
		part[k] = sep + 1;
	}
	struct plan_instance in;
	struct err e;
	err_clear(&e);
	enum err_code rc = plan_instance_parse(&in, part[0], part[1], part[2], &e);
	if (rc != ERR_OK) {
		if (in.demand || in.sites || in.dist || in.n_demand || in.n_sites || !e.detail[0] ||
		    e.code != rc)
			abort();
		free(buf);
		return 0;
	}
	if (in.n_demand == 0 || in.n_sites == 0)
		abort();
	for (size_t i = 0; i < in.n_demand + in.n_sites; i++) {
		const struct plan_point *pt =
		        i < in.n_demand ? &in.demand[i] : &in.sites[i - in.n_demand];
		if (!pt->id[0] || !str_valid_utf8(pt->id, PLAN_ID_MAX))
			abort();
		if (!isfinite(pt->weight) || pt->weight < 0 || !isfinite(pt->x) || !isfinite(pt->y))
			abort();
		if (in.coords == PLAN_COORDS_LATLON && (fabs(pt->x) > 90 || fabs(pt->y) > 180))
			abort();
	}
	for (size_t i = 0; i < in.n_demand; i++) {
		if (plan_instance_find_demand(&in, in.demand[i].id) != i)
			abort(); /* ids are distinct */
		for (size_t j = 0; j < in.n_sites; j++) {
			double d = plan_instance_dist(&in, i, j);
			if (!(d >= 0) || (in.coords == PLAN_COORDS_MATRIX && d > PLAN_UNREACHABLE))
				abort();
		}
	}
	for (size_t j = 0; j < in.n_sites; j++)
		if (plan_instance_find_site(&in, in.sites[j].id) != j)
			abort();
	if (in.n_demand * in.n_sites <= 4096) {
		double r = size ? (double)data[0] * (in.coords == PLAN_COORDS_LATLON ? 1000.0 : 1.0)
		                : 0;
		check_cover(&in, r);
	}
	size_t *list = NULL, n = 0;
	if (part[1] && plan_instance_parse_site_list(&in, part[1], &list, &n, NULL) == ERR_OK) {
		for (size_t k = 0; k < n; k++) {
			if (list[k] >= in.n_sites)
				abort();
			for (size_t q = 0; q < k; q++)
				if (list[q] == list[k])
					abort();
		}
	}
	free(list);
	plan_instance_release(&in);
	free(buf);
	return 0;
}
