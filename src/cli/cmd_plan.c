/*
 * cmd_plan: `motcua plan`, site selection and coverage of the service
 * network (src/plan/).
 *
 *   motcua plan mclp|lscp|coverage|pmedian|pcenter --demand FILE [--sites FILE]
 *        [--matrix FILE] [--radius R] [--p P] [--fixed FILE] [--seed N]
 *        [--iterations K] [--time-limit S] [--minutes T] [--circuity C]
 *        [--speeds U,S,R] [--top K]
 *   motcua plan pmed FILE [--seed N] [--iterations K] [--time-limit S]
 *
 * This file reads the files and hands their text to the parsers of
 * plan/instance.h; distances and the radius are in metres for coordinates,
 * in the matrix's own unit otherwise. `coverage` analyses the sites of
 * --fixed FILE, or every site. The time limit is a safety cap kept here
 * with the monotonic clock; the search budget itself is in iterations, so
 * a seed gives the same answer on any machine. Prints one JSON object.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "cli/cli.h"
#include "plan/coverage.h"
#include "plan/geo.h"
#include "plan/hanoi.h"
#include "plan/instance.h"
#include "plan/lscp.h"
#include "plan/mclp.h"
#include "plan/pcenter.h"
#include "plan/pmedian.h"
#include "plan/solver_util.h"

#define PLAN_FILE_MAX    ((size_t)1 << 30) /* largest input file read (1 GiB) */
#define PLAN_TOP_DEFAULT 10                /* worst-served places listed by default */
#define PLAN_TOP_MAX     100000
#define PLAN_ITER_MAX    INT64_C(1000000000)
#define PLAN_TIME_MAX    86400.0 /* a day */

/* Error details are short (ERR_DETAIL_MAX): they point to the full usage. */
#define USAGE "see 'motcua help plan'"

enum model { M_MCLP, M_LSCP, M_COVERAGE, M_PMEDIAN, M_PCENTER, M_PMED, M__COUNT };
static const char *const model_names[M__COUNT] = {"mclp",    "lscp",    "coverage",
                                                  "pmedian", "pcenter", "pmed"};

enum opt {
	OPT_DEMAND,
	OPT_SITES,
	OPT_MATRIX,
	OPT_RADIUS,
	OPT_P,
	OPT_FIXED,
	OPT_SEED,
	OPT_ITERATIONS,
	OPT_TIME_LIMIT,
	OPT_MINUTES,
	OPT_CIRCUITY,
	OPT_SPEEDS,
	OPT_TOP,
	OPT__COUNT
};

static const char *const opt_names[OPT__COUNT] = {
        "demand",     "sites",      "matrix",  "radius",   "p",      "fixed", "seed",
        "iterations", "time-limit", "minutes", "circuity", "speeds", "top",
};

/* Options each model accepts (bit per enum opt). */
#define B(o)   (1u << (o))
#define COMMON (B(OPT_DEMAND) | B(OPT_SITES) | B(OPT_MATRIX))
#define SEARCH (B(OPT_SEED) | B(OPT_ITERATIONS) | B(OPT_TIME_LIMIT))
static const unsigned model_opts[M__COUNT] = {
        [M_MCLP] = COMMON | SEARCH | B(OPT_RADIUS) | B(OPT_P) | B(OPT_FIXED),
        [M_LSCP] = COMMON | SEARCH | B(OPT_RADIUS) | B(OPT_FIXED),
        [M_COVERAGE] = COMMON | B(OPT_RADIUS) | B(OPT_FIXED) | B(OPT_MINUTES) | B(OPT_CIRCUITY) |
                       B(OPT_SPEEDS) | B(OPT_TOP),
        [M_PMEDIAN] = COMMON | SEARCH | B(OPT_RADIUS) | B(OPT_P) | B(OPT_FIXED),
        [M_PCENTER] = COMMON | SEARCH | B(OPT_RADIUS) | B(OPT_P) | B(OPT_FIXED),
        [M_PMED] = SEARCH,
};

/* A decimal number: digits, sign, point, exponent; finite. Returns 0 or -1. */
static int parse_number(const char *s, double *out)
{
	if (str_empty(s) || strlen(s) > 64)
		return -1;
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	char *end = NULL;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(v))
		return -1;
	*out = v == 0.0 ? 0.0 : v;
	return 0;
}

/* Reads a whole text file (NUL-terminated, no NUL inside). Caller frees *out. */
static enum err_code read_text(const char *path, char **out, size_t *len, struct err *e)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot open '%s': %s",
		               path, strerror(errno));
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	enum err_code rc = ERR_OK;
	if (!buf) {
		rc = err_set(e, ERR_NO_MEMORY, "reading '%s'", path);
		goto out;
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= PLAN_FILE_MAX) {
				rc = err_set(e, ERR_TOO_LONG, "file '%s' is larger than %zu bytes",
				             path, PLAN_FILE_MAX);
				goto out;
			}
			char *b = realloc(buf, cap * 2);
			if (!b) {
				rc = err_set(e, ERR_NO_MEMORY, "reading '%s'", path);
				goto out;
			}
			buf = b;
			cap *= 2;
		}
		size_t k = fread(buf + n, 1, cap - n - 1, f);
		n += k;
		if (k == 0)
			break;
	}
	if (ferror(f)) {
		rc = err_set(e, ERR_IO, "cannot read '%s'", path);
		goto out;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "file '%s' contains a NUL byte", path);
		goto out;
	}
out:
	fclose(f);
	if (rc != ERR_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	if (len)
		*len = n;
	return ERR_OK;
}

struct deadline {
	struct timespec end;
};

static bool deadline_passed(void *ctx)
{
	const struct deadline *d = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > d->end.tv_sec ||
	       (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec);
}

static double since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) * 1e-9;
}

static json_t *site_ids(const struct plan_instance *in, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, json_string(in->sites[idx[k]].id));
	return a;
}

static const char *coords_name(enum plan_coords c)
{
	return c == PLAN_COORDS_LATLON ? "latlon" : c == PLAN_COORDS_METRES ? "metres" : "matrix";
}

/* Everything a run needs, released in one place. */
struct run {
	struct cli *cli;
	enum model model;
	const char *val[OPT__COUNT];
	double radius, minutes;
	int64_t p, seed, iterations, top;
	double time_limit;
	struct geo_travel travel;
	struct plan_instance in;
	size_t *fixed;
	size_t n_fixed;
	struct plan_budget budget;
	struct deadline dl;
	struct timespec t0;
	struct err e;
};

/* Parses --speeds U,S,R (km/h). */
static int parse_speeds(const char *s, struct geo_travel *t)
{
	char buf[128];
	if (str_copy(buf, sizeof buf, s) != 0)
		return -1;
	char *p = buf;
	for (int z = 0; z < GEO_ZONE__COUNT; z++) {
		char *comma = strchr(p, ',');
		if ((z < GEO_ZONE__COUNT - 1) != (comma != NULL))
			return -1;
		if (comma)
			*comma = '\0';
		if (parse_number(p, &t->speed_kmh[z]) != 0 || !(t->speed_kmh[z] > 0))
			return -1;
		p = comma ? comma + 1 : p;
	}
	return 0;
}

/* Parses the options after the model name (or the pmed file). Returns CLI_OK or a failure. */
static int parse_options(struct run *r, int argc, char **argv, int first, const char **pmed_file)
{
	struct cli *cli = r->cli;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (!str_has_prefix(a, "--") || a[2] == '\0') {
			if (r->model == M_PMED && !*pmed_file && a[0] != '-') {
				if (str_empty(a))
					return cli_fail(cli, ERR_INVALID_ARGUMENT,
					                "empty file name");
				*pmed_file = a;
				continue;
			}
			if (str_empty(a))
				return cli_fail(cli, ERR_INVALID_ARGUMENT,
				                "empty argument; " USAGE);
			return cli_fail(cli, ERR_USAGE, "unexpected argument '%s'; " USAGE, a);
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		int o = -1;
		for (int k = 0; k < OPT__COUNT; k++)
			if (strlen(opt_names[k]) == len && strncmp(opt_names[k], name, len) == 0)
				o = k;
		if (o < 0 || !(model_opts[r->model] & B(o)))
			return cli_fail(cli, ERR_USAGE, "unknown option '%s' for 'plan %s'; " USAGE,
			                a, model_names[r->model]);
		if (r->val[o])
			return cli_fail(cli, ERR_USAGE, "option '--%s' given twice", opt_names[o]);
		if (eq) {
			r->val[o] = eq + 1;
		} else {
			if (i + 1 >= argc)
				return cli_fail(cli, ERR_MISSING_ARGUMENT,
				                "option '--%s' needs a value", opt_names[o]);
			r->val[o] = argv[++i];
		}
		if (str_empty(r->val[o]))
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "option '--%s' has an empty value", opt_names[o]);
	}
	const char **v = r->val;
	if (v[OPT_RADIUS] && (parse_number(v[OPT_RADIUS], &r->radius) != 0 || r->radius < 0 ||
	                      r->radius >= PLAN_UNREACHABLE))
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--radius': '%s' is not a number >= 0", v[OPT_RADIUS]);
	if (v[OPT_MINUTES] && (parse_number(v[OPT_MINUTES], &r->minutes) != 0 || r->minutes < 0))
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--minutes': '%s' is not a number >= 0", v[OPT_MINUTES]);
	if (v[OPT_CIRCUITY] &&
	    (parse_number(v[OPT_CIRCUITY], &r->travel.circuity) != 0 || r->travel.circuity < 1))
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--circuity': '%s' is not a number >= 1", v[OPT_CIRCUITY]);
	if (v[OPT_SPEEDS] && parse_speeds(v[OPT_SPEEDS], &r->travel) != 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--speeds': '%s' is not three speeds > 0 in km/h "
		                "(urban,suburban,rural)",
		                v[OPT_SPEEDS]);
	if (v[OPT_P] && str_parse_int64(v[OPT_P], 1, INT64_C(1) << 31, &r->p) != 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--p': '%s' is not a whole number >= 1", v[OPT_P]);
	if (v[OPT_SEED] && str_parse_int64(v[OPT_SEED], 0, INT64_MAX, &r->seed) != 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--seed': '%s' is not a whole number >= 0", v[OPT_SEED]);
	if (v[OPT_ITERATIONS] &&
	    str_parse_int64(v[OPT_ITERATIONS], 1, PLAN_ITER_MAX, &r->iterations) != 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--iterations': '%s' is not a whole number from 1 to %lld",
		                v[OPT_ITERATIONS], (long long)PLAN_ITER_MAX);
	if (v[OPT_TOP] && str_parse_int64(v[OPT_TOP], 0, PLAN_TOP_MAX, &r->top) != 0)
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--top': '%s' is not a whole number from 0 to %d",
		                v[OPT_TOP], PLAN_TOP_MAX);
	if (v[OPT_TIME_LIMIT] && (parse_number(v[OPT_TIME_LIMIT], &r->time_limit) != 0 ||
	                          !(r->time_limit > 0) || r->time_limit > PLAN_TIME_MAX))
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--time-limit': '%s' is not a number of seconds in (0, %g]",
		                v[OPT_TIME_LIMIT], PLAN_TIME_MAX);
	return CLI_OK;
}

/* Reads the files and builds the instance (and the fixed list). */
static int load(struct run *r)
{
	struct cli *cli = r->cli;
	char *text[3] = {NULL, NULL, NULL};
	char *fixed_text = NULL;
	const int files[3] = {OPT_DEMAND, OPT_SITES, OPT_MATRIX};
	int rc = CLI_OK;
	for (int k = 0; k < 3; k++)
		if (r->val[files[k]] &&
		    read_text(r->val[files[k]], &text[k], NULL, &r->e) != ERR_OK) {
			rc = cli_fail_err(cli, &r->e);
			goto out;
		}
	if (plan_instance_parse(&r->in, text[0], text[1], text[2], &r->e) != ERR_OK) {
		rc = cli_fail_err(cli, &r->e);
		goto out;
	}
	if (r->val[OPT_FIXED]) {
		if (read_text(r->val[OPT_FIXED], &fixed_text, NULL, &r->e) != ERR_OK ||
		    plan_instance_parse_site_list(&r->in, fixed_text, &r->fixed, &r->n_fixed,
		                                  &r->e) != ERR_OK) {
			rc = cli_fail_err(cli, &r->e);
			goto out;
		}
	}
out:
	for (int k = 0; k < 3; k++)
		free(text[k]);
	free(fixed_text);
	return rc;
}

/* Adds the coverage of the selected sites (radius, or every reachable point) to o. */
static int add_coverage(struct run *r, json_t *o, const size_t *sel, size_t n_sel,
                        struct coverage_report *cov)
{
	struct coverage_params cp = {.radius = r->val[OPT_RADIUS] ? r->radius : 1e299,
	                             .minutes = -1,
	                             .travel = r->travel,
	                             .top_k = 0};
	if (coverage_analyse(&r->in, sel, n_sel, &cp, cov, &r->e) != ERR_OK)
		return cli_fail_err(r->cli, &r->e);
	json_object_set_new(o, "covered_weight", json_real(cov->covered_weight));
	json_object_set_new(o, "total_weight", json_real(cov->total_weight));
	json_object_set_new(o, "covered_share", json_real(cov->covered_share));
	return CLI_OK;
}

static void add_distances(json_t *o, const struct coverage_report *cov)
{
	json_object_set_new(o, "mean_distance", json_real(cov->mean_distance));
	json_object_set_new(o, "max_distance", json_real(cov->max_distance));
	json_object_set_new(o, "unreachable_points", json_integer((json_int_t)cov->n_unreachable));
}

/* The parameters shared by every model's output. */
static json_t *head(struct run *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "model", json_string(model_names[r->model]));
	json_object_set_new(o, "coords", json_string(coords_name(r->in.coords)));
	json_object_set_new(o, "demand_points", json_integer((json_int_t)r->in.n_demand));
	json_object_set_new(o, "candidate_sites", json_integer((json_int_t)r->in.n_sites));
	json_object_set_new(o, "radius", r->val[OPT_RADIUS] ? json_real(r->radius) : json_null());
	return o;
}

static void add_search_params(struct run *r, json_t *o)
{
	json_object_set_new(o, "fixed", site_ids(&r->in, r->fixed, r->n_fixed));
	json_object_set_new(o, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(o, "iterations",
	                    r->val[OPT_ITERATIONS] ? json_integer((json_int_t)r->iterations)
	                                           : json_null());
	json_object_set_new(o, "time_limit",
	                    r->val[OPT_TIME_LIMIT] ? json_real(r->time_limit) : json_null());
}

static int run_mclp(struct run *r)
{
	struct plan_cover c;
	struct mclp_result res;
	struct coverage_report cov = {0};
	if (!r->val[OPT_RADIUS])
		return cli_fail(r->cli, ERR_MISSING_ARGUMENT,
		                "option '--radius' is required; " USAGE);
	if (!r->val[OPT_P])
		return cli_fail(r->cli, ERR_MISSING_ARGUMENT, "option '--p' is required; " USAGE);
	if ((size_t)r->p > r->in.n_sites)
		return cli_fail(r->cli, ERR_OUT_OF_RANGE,
		                "p = %lld is larger than the %zu candidate sites", (long long)r->p,
		                r->in.n_sites);
	if (plan_cover_build(&c, &r->in, r->radius, &r->e) != ERR_OK)
		return cli_fail_err(r->cli, &r->e);
	struct mclp_params prm = {
	        .p = (size_t)r->p, .fixed = r->fixed, .n_fixed = r->n_fixed, .budget = r->budget};
	enum err_code ec = mclp_solve(&r->in, &c, &prm, &res, &r->e);
	plan_cover_release(&c);
	if (ec != ERR_OK)
		return cli_fail_err(r->cli, &r->e);
	json_t *o = head(r);
	json_object_set_new(o, "p", json_integer((json_int_t)r->p));
	add_search_params(r, o);
	json_object_set_new(o, "selected", site_ids(&r->in, res.selected, res.n_selected));
	int rc = add_coverage(r, o, res.selected, res.n_selected, &cov);
	if (rc == CLI_OK) {
		json_object_set_new(o, "objective", json_real(res.covered_weight));
		add_distances(o, &cov);
		json_object_set_new(o, "upper_bound", json_real(res.upper_bound));
		json_object_set_new(o, "proven_optimal", json_boolean(res.proven_optimal));
		json_object_set_new(o, "iterations_done", json_integer((json_int_t)res.iterations));
		json_object_set_new(o, "stopped", json_boolean(res.stopped));
		json_object_set_new(o, "seconds", json_real(since(&r->t0)));
		rc = cli_print_json(o);
	} else {
		json_decref(o);
	}
	coverage_report_release(&cov);
	mclp_result_release(&res);
	return rc;
}

static int run_lscp(struct run *r)
{
	struct plan_cover c;
	struct lscp_result res;
	struct coverage_report cov = {0};
	if (!r->val[OPT_RADIUS])
		return cli_fail(r->cli, ERR_MISSING_ARGUMENT,
		                "option '--radius' is required; " USAGE);
	if (plan_cover_build(&c, &r->in, r->radius, &r->e) != ERR_OK)
		return cli_fail_err(r->cli, &r->e);
	struct lscp_params prm = {.fixed = r->fixed, .n_fixed = r->n_fixed, .budget = r->budget};
	enum err_code ec = lscp_solve(&c, &prm, &res, &r->e);
	plan_cover_release(&c);
	if (ec != ERR_OK)
		return cli_fail_err(r->cli, &r->e);
	json_t *o = head(r);
	add_search_params(r, o);
	json_object_set_new(o, "selected", site_ids(&r->in, res.selected, res.n_selected));
	int rc = add_coverage(r, o, res.selected, res.n_selected, &cov);
	if (rc == CLI_OK) {
		json_object_set_new(o, "objective", json_integer((json_int_t)res.n_selected));
		add_distances(o, &cov);
		json_t *un = json_array();
		for (size_t k = 0; k < res.n_uncoverable; k++)
			json_array_append_new(un, json_string(r->in.demand[res.uncoverable[k]].id));
		json_object_set_new(o, "uncoverable", un);
		json_object_set_new(o, "lower_bound", json_integer((json_int_t)res.lower_bound));
		json_object_set_new(o, "proven_optimal", json_boolean(res.proven_optimal));
		json_object_set_new(o, "iterations_done", json_integer((json_int_t)res.iterations));
		json_object_set_new(o, "stopped", json_boolean(res.stopped));
		json_object_set_new(o, "seconds", json_real(since(&r->t0)));
		rc = cli_print_json(o);
	} else {
		json_decref(o);
	}
	coverage_report_release(&cov);
	lscp_result_release(&res);
	return rc;
}

static json_t *minutes_or_null(double m)
{
	return m >= 0 ? json_real(m) : json_null();
}

/* One demand point of a coverage report: id, (weight), nearest open site,
 * distance, minutes, covered. */
static json_t *point_json(const struct plan_instance *in, const struct coverage_report *cov,
                          size_t i, bool with_weight)
{
	const struct coverage_point *pt = &cov->points[i];
	bool reached = pt->nearest != SIZE_MAX;
	json_t *w = json_object();
	json_object_set_new(w, "id", json_string(in->demand[i].id));
	if (with_weight)
		json_object_set_new(w, "weight", json_real(in->demand[i].weight));
	json_object_set_new(w, "nearest",
	                    reached ? json_string(in->sites[pt->nearest].id) : json_null());
	json_object_set_new(w, "distance", reached ? json_real(pt->distance) : json_null());
	json_object_set_new(w, "minutes", minutes_or_null(pt->minutes));
	json_object_set_new(w, "covered", json_boolean(pt->covered));
	return w;
}
static int run_coverage(struct run *r)
{
	struct coverage_report cov;
	size_t *open = r->fixed, n_open = r->n_fixed, *all = NULL;
	if (!r->val[OPT_RADIUS] && !r->val[OPT_MINUTES])
		return cli_fail(r->cli, ERR_MISSING_ARGUMENT,
		                "give '--radius' or '--minutes' (or both); " USAGE);
	if (!r->val[OPT_FIXED]) {
		all = malloc((r->in.n_sites ? r->in.n_sites : 1) * sizeof *all);
		if (!all)
			return cli_fail(r->cli, ERR_NO_MEMORY, "site list");
		for (size_t j = 0; j < r->in.n_sites; j++)
			all[j] = j;
		open = all;
		n_open = r->in.n_sites;
	}
	struct coverage_params cp = {.radius = r->val[OPT_RADIUS] ? r->radius : -1,
	                             .minutes = r->val[OPT_MINUTES] ? r->minutes : -1,
	                             .travel = r->travel,
	                             .top_k = (size_t)r->top};
	if (coverage_analyse(&r->in, open, n_open, &cp, &cov, &r->e) != ERR_OK) {
		free(all);
		return cli_fail_err(r->cli, &r->e);
	}
	const struct plan_instance *in = &r->in;
	json_t *o = head(r);
	json_object_set_new(o, "minutes",
	                    r->val[OPT_MINUTES] ? json_real(r->minutes) : json_null());
	if (r->val[OPT_MINUTES]) {
		json_t *sp = json_object();
		for (int z = 0; z < GEO_ZONE__COUNT; z++)
			json_object_set_new(sp, geo_zone_name((enum geo_zone)z),
			                    json_real(r->travel.speed_kmh[z]));
		json_object_set_new(o, "circuity", json_real(r->travel.circuity));
		json_object_set_new(o, "speeds_kmh", sp);
	}
	json_object_set_new(o, "selected", site_ids(in, open, n_open));
	json_object_set_new(o, "covered_weight", json_real(cov.covered_weight));
	json_object_set_new(o, "total_weight", json_real(cov.total_weight));
	json_object_set_new(o, "covered_share", json_real(cov.covered_share));
	json_object_set_new(o, "objective", json_real(cov.covered_share));
	json_object_set_new(o, "radius_weight",
	                    r->val[OPT_RADIUS] ? json_real(cov.radius_weight) : json_null());
	json_object_set_new(o, "minutes_weight",
	                    r->val[OPT_MINUTES] ? json_real(cov.minutes_weight) : json_null());
	add_distances(o, &cov);
	json_object_set_new(o, "max_minutes", minutes_or_null(cov.max_minutes));
	json_object_set_new(o, "unreachable_weight", json_real(cov.unreachable_weight));
	json_t *worst = json_array();
	for (size_t k = 0; k < cov.n_worst; k++) {
		json_array_append_new(worst, point_json(in, &cov, cov.worst[k], true));
	}
	json_object_set_new(o, "worst", worst);
	json_t *pts = json_array();
	for (size_t i = 0; i < cov.n_points; i++)
		json_array_append_new(pts, point_json(in, &cov, i, false));
	json_object_set_new(o, "points", pts);
	json_object_set_new(o, "seconds", json_real(since(&r->t0)));
	coverage_report_release(&cov);
	free(all);
	return cli_print_json(o);
}

/* p-median, p-center (src/plan/pmedian.h, pcenter.h) and OR-Library pmed files. */
static int run_median(struct run *r, size_t p)
{
	struct pmedian_result res;
	struct coverage_report cov = {0};
	struct pmedian_opts opts = {.p = p, .fixed = r->fixed, .n_fixed = r->n_fixed};
	enum err_code ec = r->model == M_PCENTER
	                           ? pcenter_solve(&r->in, &opts, &r->budget, &res, &r->e)
	                           : pmedian_solve(&r->in, &opts, &r->budget, &res, &r->e);
	if (ec != ERR_OK)
		return cli_fail_err(r->cli, &r->e);
	json_t *o = head(r);
	json_object_set_new(o, "p", json_integer((json_int_t)p));
	add_search_params(r, o);
	json_object_set_new(o, "selected", site_ids(&r->in, res.selected, res.n_selected));
	int rc = add_coverage(r, o, res.selected, res.n_selected, &cov);
	if (rc == CLI_OK) {
		json_object_set_new(o, "objective", json_real(res.objective));
		json_object_set_new(o, "mean_distance", json_real(res.mean_distance));
		json_object_set_new(o, "max_distance", json_real(res.max_distance));
		json_object_set_new(o, "unreachable_points",
		                    json_integer((json_int_t)cov.n_unreachable));
		json_object_set_new(o, "iterations_done", json_integer((json_int_t)res.iterations));
		json_object_set_new(o, "stopped", json_boolean(res.stopped));
		json_object_set_new(o, "seconds", json_real(since(&r->t0)));
		rc = cli_print_json(o);
	} else {
		json_decref(o);
	}
	coverage_report_release(&cov);
	pmedian_result_release(&res);
	return rc;
}

/*
 * `motcua plan hanoi [--radius KM] [--minutes T] [--p P] [--iterations K]
 * [--seed N] [--data DIR]`: the Hanoi report of plan/hanoi.h from the files
 * of DIR (default "data"). Written by the hanoi helper.
 */
static int run_hanoi(struct cli *cli, int argc, char **argv)
{
	static const char *const names[] = {"radius", "minutes", "p", "iterations", "seed", "data"};
	const char *val[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
	for (int i = 2; i < argc; i++) {
		int o = -1;
		for (int k = 0; k < 6; k++)
			if (str_has_prefix(argv[i], "--") && strcmp(argv[i] + 2, names[k]) == 0)
				o = k;
		if (o < 0)
			return cli_fail(cli, str_empty(argv[i]) ? ERR_INVALID_ARGUMENT : ERR_USAGE,
			                "unknown argument '%s' for 'plan hanoi'; " USAGE, argv[i]);
		if (val[o])
			return cli_fail(cli, ERR_USAGE, "option '--%s' given twice", names[o]);
		if (i + 1 >= argc)
			return cli_fail(cli, ERR_MISSING_ARGUMENT, "option '--%s' needs a value",
			                names[o]);
		val[o] = argv[++i];
		if (str_empty(val[o]))
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "option '--%s' has an empty value", names[o]);
	}
	struct hanoi_params prm = hanoi_params_default();
	int64_t v = 0;
	if (val[0] && (parse_number(val[0], &prm.radius_km) != 0 || !(prm.radius_km > 0) ||
	               prm.radius_km > 1000))
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--radius': '%s' is not a number of km in (0, 1000]",
		                val[0]);
	if (val[1] &&
	    (parse_number(val[1], &prm.minutes) != 0 || !(prm.minutes > 0) || prm.minutes > 1440))
		return cli_fail(cli, ERR_INVALID_ARGUMENT,
		                "option '--minutes': '%s' is not a number in (0, 1440]", val[1]);
	if (val[2]) {
		if (str_parse_int64(val[2], 1, 100000, &v) != 0)
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "option '--p': '%s' is not a whole number >= 1", val[2]);
		prm.p = (size_t)v;
	}
	if (val[3]) {
		if (str_parse_int64(val[3], 1, PLAN_ITER_MAX, &v) != 0)
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "option '--iterations': '%s' is not a whole number from 1 "
			                "to %lld",
			                val[3], (long long)PLAN_ITER_MAX);
		prm.iterations = (uint64_t)v;
	}
	if (val[4]) {
		if (str_parse_int64(val[4], 0, INT64_MAX, &v) != 0)
			return cli_fail(cli, ERR_INVALID_ARGUMENT,
			                "option '--seed': '%s' is not a whole number >= 0", val[4]);
		prm.seed = (uint64_t)v;
	}
	static const char *const files[4] = {"communes-2025.geojson", "districts-2019.csv",
	                                     "units.csv", "communes.csv"};
	char *text[4] = {NULL, NULL, NULL, NULL};
	struct err e;
	err_clear(&e);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = CLI_OK;
	for (int k = 0; k < 4 && rc == CLI_OK; k++) {
		char path[4096];
		if (snprintf(path, sizeof path, "%s/%s", val[5] ? val[5] : "data", files[k]) >=
		    (int)sizeof path)
			rc = cli_fail(cli, ERR_TOO_LONG, "option '--data' is too long");
		else if (read_text(path, &text[k], NULL, &e) != ERR_OK)
			rc = cli_fail_err(cli, &e);
	}
	json_t *o = NULL;
	if (rc == CLI_OK &&
	    hanoi_report(&prm, text[0], text[1], text[2], text[3], &o, &e) != ERR_OK)
		rc = cli_fail_err(cli, &e);
	for (int k = 0; k < 4; k++)
		free(text[k]);
	if (rc == CLI_OK) {
		json_object_set_new(o, "seconds", json_real(since(&t0)));
		cli_print_json(o);
	}
	return rc;
}

int cmd_plan(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_fail(cli, ERR_USAGE,
		                "missing model (mclp, lscp, coverage, pmedian, "
		                "pcenter, pmed); " USAGE);
	struct run r;
	memset(&r, 0, sizeof r);
	r.cli = cli;
	r.seed = 1;
	r.top = PLAN_TOP_DEFAULT;
	r.travel = geo_travel_default();
	err_clear(&r.e);
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	if (strcmp(argv[1], "hanoi") == 0)
		return run_hanoi(cli, argc, argv);
	r.model = M__COUNT;
	for (int m = 0; m < M__COUNT; m++)
		if (strcmp(argv[1], model_names[m]) == 0)
			r.model = (enum model)m;
	if (r.model == M__COUNT) {
		if (str_empty(argv[1]))
			return cli_fail(cli, ERR_INVALID_ARGUMENT, "empty model name; " USAGE);
		return cli_fail(cli, ERR_USAGE, "unknown model '%s'; " USAGE, argv[1]);
	}
	const char *pmed_file = NULL;
	int rc = parse_options(&r, argc, argv, 2, &pmed_file);
	if (rc != CLI_OK)
		return rc;
	r.budget.seed = (uint64_t)r.seed;
	r.budget.iterations = (uint64_t)r.iterations;
	if (r.val[OPT_TIME_LIMIT]) {
		double whole = floor(r.time_limit);
		r.dl.end = r.t0;
		r.dl.end.tv_sec += (time_t)whole;
		r.dl.end.tv_nsec += (long)((r.time_limit - whole) * 1e9);
		if (r.dl.end.tv_nsec >= 1000000000L) {
			r.dl.end.tv_sec++;
			r.dl.end.tv_nsec -= 1000000000L;
		}
		r.budget.stop = deadline_passed;
		r.budget.stop_ctx = &r.dl;
	}

	if (r.model == M_PMED) {
		if (!pmed_file)
			return cli_fail(cli, ERR_MISSING_ARGUMENT, "missing FILE; " USAGE);
		char *text = NULL;
		size_t len = 0, p = 0;
		if (read_text(pmed_file, &text, &len, &r.e) != ERR_OK)
			return cli_fail_err(cli, &r.e);
		enum err_code ec = pmedian_parse_orlib(text, len, &r.in, &p, &r.e);
		free(text);
		if (ec != ERR_OK)
			return cli_fail_err(cli, &r.e);
		rc = run_median(&r, p);
		plan_instance_release(&r.in);
		return rc;
	}
	if (!r.val[OPT_DEMAND])
		return cli_fail(cli, ERR_MISSING_ARGUMENT, "option '--demand' is required; " USAGE);
	rc = load(&r);
	if (rc == CLI_OK) {
		switch (r.model) {
		case M_MCLP:
			rc = run_mclp(&r);
			break;
		case M_LSCP:
			rc = run_lscp(&r);
			break;
		case M_COVERAGE:
			rc = run_coverage(&r);
			break;
		default:
			if (!r.val[OPT_P])
				rc = cli_fail(cli, ERR_MISSING_ARGUMENT,
				              "option '--p' is required; " USAGE);
			else
				rc = run_median(&r, (size_t)r.p);
			break;
		}
	}
	free(r.fixed);
	plan_instance_release(&r.in);
	return rc;
}
