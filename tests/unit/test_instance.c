/*
 * Unit tests for plan/instance: the CSV parsers (accepted forms and every
 * refusal, with the line and column named), distances, and the coverage
 * lists. Expected values: the files written here by hand (the formats of
 * issue 8: id,x,y,weight / id,lat,lon,weight / id,x,y / demand_id,site_id,
 * distance; RFC 4180 for quoting), and for the grid-built coverage lists a
 * brute-force check of every pair with the same distance function on
 * seeded random instances (metres, latitude/longitude near Hanoi, across
 * the antimeridian, near a pole).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/geo.h"
#include "plan/instance.h"
#include "plan/solver_util.h"

/* Parses and expects a refusal whose detail contains every fragment given. */
static void refused(const char *demand, const char *sites, const char *matrix, const char *frag1,
                    const char *frag2)
{
	struct plan_instance in;
	struct err e;
	err_clear(&e);
	enum err_code rc = plan_instance_parse(&in, demand, sites, matrix, &e);
	if (rc == ERR_OK || (frag1 && !strstr(e.detail, frag1)) ||
	    (frag2 && !strstr(e.detail, frag2)))
		print_error("detail: '%s' (want '%s' and '%s')\n", e.detail, frag1 ? frag1 : "",
		            frag2 ? frag2 : "");
	assert_int_equal(rc, ERR_INVALID_PLAN_DATA);
	assert_int_equal(e.code, ERR_INVALID_PLAN_DATA);
	if (frag1)
		assert_non_null(strstr(e.detail, frag1));
	if (frag2)
		assert_non_null(strstr(e.detail, frag2));
	/* left empty */
	assert_null(in.demand);
	assert_null(in.sites);
	assert_null(in.dist);
	assert_int_equal(in.n_demand, 0);
}

static void test_parse_metres(void **state)
{
	(void)state;
	struct plan_instance in;
	struct err e;
	const char *d = "id,x,y,weight\nA,0,0,10\nB,300,400,2.5\n\nC,1000,0,0\n";
	assert_int_equal(plan_instance_parse(&in, d, NULL, NULL, &e), ERR_OK);
	assert_int_equal(in.coords, PLAN_COORDS_METRES);
	assert_int_equal(in.n_demand, 3);
	assert_int_equal(in.n_sites, 3); /* every demand point is a candidate */
	assert_string_equal(in.demand[1].id, "B");
	assert_string_equal(in.sites[2].id, "C");
	assert_true(in.demand[1].weight == 2.5);
	assert_true(in.sites[1].weight == 0);
	assert_null(in.dist);
	assert_true(plan_instance_dist(&in, 0, 1) == 500.0);
	assert_true(plan_instance_dist(&in, 2, 0) == 1000.0);
	assert_true(plan_instance_total_weight(&in) == 12.5);
	assert_int_equal(plan_instance_find_site(&in, "C"), 2);
	assert_int_equal(plan_instance_find_site(&in, "c"), SIZE_MAX);
	assert_int_equal(plan_instance_find_demand(&in, "A"), 0);
	/* precompute gives the same distances */
	assert_int_equal(plan_instance_precompute(&in, &e), ERR_OK);
	assert_non_null(in.dist);
	assert_true(plan_instance_dist(&in, 0, 1) == 500.0);
	assert_int_equal(in.coords, PLAN_COORDS_METRES);
	plan_instance_release(&in);
	assert_null(in.demand);
	plan_instance_release(&in); /* twice is harmless */
}

static void test_parse_forms(void **state)
{
	(void)state;
	struct plan_instance in;
	struct err e;
	/* BOM, CRLF, columns in another order, an extra column, quoting, zone */
	const char *d = "\xEF\xBB\xBF"
	                "weight,name,lat,lon,id,zone\r\n"
	                "5,\"Hoan Kiem, old quarter\",21.0285,105.8542,\"P \"\"1\"\"\",urban\r\n"
	                "7,x,21.1,105.5,P2,rural\r\n";
	const char *s = "lon,lat,id\n105.85,21.03,S1\n105.6,21.0,\"S,2\"\n";
	assert_int_equal(plan_instance_parse(&in, d, s, NULL, &e), ERR_OK);
	assert_int_equal(in.coords, PLAN_COORDS_LATLON);
	assert_int_equal(in.n_demand, 2);
	assert_int_equal(in.n_sites, 2);
	assert_string_equal(in.demand[0].id, "P \"1\"");
	assert_string_equal(in.sites[1].id, "S,2");
	assert_true(in.demand[0].x == 21.0285 && in.demand[0].y == 105.8542);
	assert_int_equal(in.demand[0].zone, GEO_ZONE_URBAN);
	assert_int_equal(in.demand[1].zone, GEO_ZONE_RURAL);
	assert_true(in.demand[1].weight == 7);
	assert_true(fabs(plan_instance_dist(&in, 0, 0) -
	                 geo_haversine(21.0285, 105.8542, 21.03, 105.85)) < 1e-9);
	plan_instance_release(&in);

	/* ids are kept as given: spaces and Vietnamese letters */
	d = "id,x,y,weight\n Phường Ba Đình ,1,2,3\n";
	assert_int_equal(plan_instance_parse(&in, d, NULL, NULL, &e), ERR_OK);
	assert_string_equal(in.demand[0].id, " Phường Ba Đình ");
	plan_instance_release(&in);

	/* no final newline, numbers with exponent and sign, spaces around numbers */
	d = "id,x,y,weight\nA,-1.5e3, +2 ,1E2";
	assert_int_equal(plan_instance_parse(&in, d, NULL, NULL, &e), ERR_OK);
	assert_true(in.demand[0].x == -1500 && in.demand[0].y == 2 && in.demand[0].weight == 100);
	plan_instance_release(&in);
}

static void test_parse_matrix(void **state)
{
	(void)state;
	struct plan_instance in;
	struct err e;
	const char *d = "id,weight\nd1,10\nd2,20\nd3,0\n";
	const char *s = "id\nstore1\nstore2\n";
	const char *m = "demand_id,site_id,distance\nd1,store1,5\nd2,store1,7.5\nd2,store2,0\n";
	assert_int_equal(plan_instance_parse(&in, d, s, m, &e), ERR_OK);
	assert_int_equal(in.coords, PLAN_COORDS_MATRIX);
	assert_non_null(in.dist);
	assert_true(plan_instance_dist(&in, 0, 0) == 5);
	assert_true(plan_instance_dist(&in, 1, 0) == 7.5);
	assert_true(plan_instance_dist(&in, 1, 1) == 0);
	assert_true(plan_instance_dist(&in, 0, 1) == PLAN_UNREACHABLE); /* not listed */
	assert_true(plan_instance_dist(&in, 2, 0) == PLAN_UNREACHABLE);
	plan_instance_release(&in);

	/* with a matrix and no sites file, the demand points are the candidates */
	m = "site_id,distance,demand_id\nd1,0,d1\nd2,3,d1\n";
	assert_int_equal(plan_instance_parse(&in, d, NULL, m, &e), ERR_OK);
	assert_int_equal(in.n_sites, 3);
	assert_true(plan_instance_dist(&in, 0, 1) == 3);
	assert_true(plan_instance_dist(&in, 1, 0) == PLAN_UNREACHABLE); /* directed as given */
	plan_instance_release(&in);

	/* a matrix also accepts files with coordinates */
	assert_int_equal(plan_instance_parse(&in, "id,x,y,weight\na,0,0,1\n", "id,x,y\nb,9,9\n",
	                                     "demand_id,site_id,distance\na,b,4\n", &e),
	                 ERR_OK);
	assert_true(plan_instance_dist(&in, 0, 0) == 4); /* the matrix wins over geometry */
	plan_instance_release(&in);
}

static void test_refusals(void **state)
{
	(void)state;
	const char *ok_d = "id,x,y,weight\na,0,0,1\nb,1,1,2\n";
	/* empty files */
	refused("", NULL, NULL, "demand: empty file", NULL);
	refused("\n\r\n\n", NULL, NULL, "empty file", NULL);
	refused("id,x,y,weight\n", NULL, NULL, "demand: no data rows", NULL);
	refused(ok_d, "id,x,y\n", NULL, "sites: no data rows", NULL);
	refused(ok_d, NULL, "demand_id,site_id,distance\n", "matrix: no data rows", NULL);
	/* missing columns, named with the line */
	refused("id,x,y\na,0,0\n", NULL, NULL, "line 1: missing column 'weight'", NULL);
	refused("name,x,y,weight\na,0,0,1\n", NULL, NULL, "missing column 'id'", NULL);
	refused("id,x,weight\na,0,1\n", NULL, NULL, "missing column 'y'", NULL);
	refused("id,lat,weight\na,0,1\n", NULL, NULL, "missing column 'lon'", NULL);
	refused("id,weight\na,1\n", NULL, NULL, "missing coordinate columns", NULL);
	refused(ok_d, "id\nS\n", NULL, "sites: line 1: missing coordinate columns", NULL);
	refused(ok_d, NULL, "demand_id,distance\na,1\n", "missing column 'site_id'", NULL);
	refused("id,x,y,lat,lon,weight\na,0,0,0,0,1\n", NULL, NULL, "both x,y and lat,lon", NULL);
	refused("id,x,y,weight,x\na,0,0,1,2\n", NULL, NULL, "column 'x' appears twice", NULL);
	/* rows with another number of fields */
	refused("id,x,y,weight\na,0,0,1\nb,0,0\n", NULL, NULL, "line 3: 3 columns", "has 4");
	/* negative weights, non-numeric values, NaN and infinities */
	refused("id,x,y,weight\na,0,0,1\nb,0,0,-1\n", NULL, NULL, "line 3, column 4 (weight)",
	        "negative");
	refused("id,x,y,weight\na,0,zero,1\n", NULL, NULL, "line 2, column 3 (y)", "not a number");
	refused("id,x,y,weight\na,0,0,\n", NULL, NULL, "line 2, column 4", "not a number");
	refused("id,x,y,weight\na,0,0,nan\n", NULL, NULL, "line 2, column 4", "not a number");
	refused("id,x,y,weight\na,inf,0,1\n", NULL, NULL, "line 2, column 2", "not a number");
	refused("id,x,y,weight\na,1e999,0,1\n", NULL, NULL, "line 2, column 2", "not finite");
	refused("id,x,y,weight\na,0x10,0,1\n", NULL, NULL, "column 2", "not a number");
	refused("id,x,y,weight\na,1.5.2,0,1\n", NULL, NULL, "column 2", "not a number");
	refused("id,lat,lon,weight\na,91,0,1\n", NULL, NULL, "column 2 (lat)", "outside [-90, 90]");
	refused("id,lat,lon,weight\na,0,-180.5,1\n", NULL, NULL, "column 3 (lon)", NULL);
	refused("id,x,y,weight,zone\na,0,0,1,city\n", NULL, NULL, "column 5 (zone)", "'city'");
	refused(ok_d, NULL, "demand_id,site_id,distance\na,b,-2\n", "line 2, column 3 (distance)",
	        "negative");
	refused(ok_d, NULL, "demand_id,site_id,distance\na,b,NaN\n", "line 2, column 3", NULL);
	/* ids: duplicates, empty, too long, not UTF-8 */
	refused("id,x,y,weight\na,0,0,1\nb,0,0,1\na,1,1,1\n", NULL, NULL, "duplicate id 'a'",
	        "rows 1 and 3");
	refused(ok_d, "id,x,y\ns,0,0\ns,1,1\n", NULL, "sites: duplicate id 's'", NULL);
	refused("id,x,y,weight\n,0,0,1\n", NULL, NULL, "line 2, column 1: empty id", NULL);
	refused("id,x,y,weight\n"
	        "0123456789012345678901234567890123456789012345678901234567890123,0,0,1\n",
	        NULL, NULL, "longer than 63 bytes", NULL);
	refused("id,x,y,weight\n\xC3\x28,0,0,1\n", NULL, NULL, "not valid UTF-8", NULL);
	/* unknown ids in the matrix, a pair twice */
	refused(ok_d, NULL, "demand_id,site_id,distance\na,b,1\nz,b,1\n",
	        "line 3, column 1: unknown demand id 'z'", NULL);
	refused(ok_d, NULL, "demand_id,site_id,distance\na,q,1\n",
	        "line 2, column 2: unknown site id 'q'", NULL);
	refused(ok_d, NULL, "demand_id,site_id,distance\na,b,1\nb,a,2\na,b,3\n",
	        "line 4: pair 'a','b' listed twice", NULL);
	/* mixed coordinate kinds between demand and sites */
	refused(ok_d, "id,lat,lon\ns,21,105\n", NULL, "sites: line 1", "lat,lon but the demand");
	refused("id,lat,lon,weight\na,21,105,1\n", "id,x,y\ns,0,0\n", NULL, "x,y but the demand",
	        NULL);
	/* quoting errors */
	refused("id,x,y,weight\n\"a,0,0,1\n", NULL, NULL, "line 2, column 1: unterminated", NULL);
	refused("id,x,y,weight\n\"a\"b,0,0,1\n", NULL, NULL, "text after the closing quote", NULL);
	/* the line count follows newlines inside quotes */
	refused("id,x,y,weight\n\"multi\nline\",0,0,1\nb,0,0,x\n", NULL, NULL, "line 4, column 4",
	        NULL);
}

static void test_site_list(void **state)
{
	(void)state;
	struct plan_instance in;
	struct err e;
	size_t *list, n;
	assert_int_equal(plan_instance_parse(&in, "id,x,y,weight\na,0,0,1\nb,1,1,1\nc,2,2,1\n",
	                                     NULL, NULL, &e),
	                 ERR_OK);
	assert_int_equal(plan_instance_parse_site_list(&in, "id\nc\n\na\n", &list, &n, &e), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0], 2);
	assert_int_equal(list[1], 0);
	free(list);
	assert_int_equal(plan_instance_parse_site_list(&in, "b\r\n", &list, &n, &e), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0], 1);
	free(list);
	assert_int_equal(plan_instance_parse_site_list(&in, "", &list, &n, &e), ERR_OK);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(plan_instance_parse_site_list(&in, "id\na\nzz\n", &list, &n, &e),
	                 ERR_INVALID_PLAN_DATA);
	assert_non_null(strstr(e.detail, "line 3, column 1: unknown site id 'zz'"));
	assert_null(list);
	assert_int_equal(plan_instance_parse_site_list(&in, "a\nb\na\n", &list, &n, &e),
	                 ERR_INVALID_PLAN_DATA);
	assert_non_null(strstr(e.detail, "line 3"));
	assert_non_null(strstr(e.detail, "listed twice"));
	plan_instance_release(&in);
}

static void test_alloc(void **state)
{
	(void)state;
	struct plan_instance in;
	struct err e;
	assert_int_equal(plan_instance_alloc(&in, PLAN_COORDS_MATRIX, 3, 2, &e), ERR_OK);
	assert_true(plan_instance_dist(&in, 2, 1) == PLAN_UNREACHABLE);
	assert_string_equal(in.demand[0].id, "");
	plan_instance_release(&in);
	assert_int_equal(plan_instance_alloc(&in, PLAN_COORDS_MATRIX, 100000, 100000, &e),
	                 ERR_OUT_OF_RANGE);
	assert_null(in.demand);
	assert_int_equal(plan_instance_alloc(&in, PLAN_COORDS_METRES, PLAN_MAX_POINTS + 1, 1, &e),
	                 ERR_OUT_OF_RANGE);
}

/* Coverage lists must equal the brute-force lists. */
static void check_cover(const struct plan_instance *in, const double *radius)
{
	struct plan_cover c;
	struct err e;
	assert_int_equal(plan_cover_build_radii(&c, in, radius, &e), ERR_OK);
	assert_int_equal(c.n_demand, in->n_demand);
	assert_int_equal(c.n_sites, in->n_sites);
	size_t pairs = 0;
	for (size_t i = 0; i < in->n_demand; i++) {
		size_t q = c.d_start[i];
		for (size_t j = 0; j < in->n_sites; j++) {
			bool cov = radius[i] >= 0 && plan_instance_dist(in, i, j) <= radius[i];
			if (cov) {
				assert_true(q < c.d_start[i + 1]);
				assert_int_equal(c.d_sites[q], j);
				q++;
				pairs++;
			}
		}
		assert_int_equal(q, c.d_start[i + 1]);
	}
	assert_int_equal(pairs, c.n_pairs);
	/* the transpose */
	for (size_t j = 0; j < in->n_sites; j++) {
		size_t q = c.s_start[j];
		for (size_t i = 0; i < in->n_demand; i++) {
			bool cov = radius[i] >= 0 && plan_instance_dist(in, i, j) <= radius[i];
			if (cov) {
				assert_true(q < c.s_start[j + 1]);
				assert_int_equal(c.s_demand[q], i);
				q++;
			}
		}
		assert_int_equal(q, c.s_start[j + 1]);
	}
	plan_cover_release(&c);
}

static void random_instance(struct plan_instance *in, struct plan_rng *rng, enum plan_coords co,
                            size_t nd, size_t ns, double x0, double x1, double y0, double y1,
                            bool integer)
{
	assert_int_equal(plan_instance_alloc(in, co, nd, ns, NULL), ERR_OK);
	for (size_t i = 0; i < nd + ns; i++) {
		struct plan_point *pt = i < nd ? &in->demand[i] : &in->sites[i - nd];
		pt->x = x0 + (x1 - x0) * plan_rng_unit(rng);
		pt->y = y0 + (y1 - y0) * plan_rng_unit(rng);
		if (integer) {
			pt->x = floor(pt->x);
			pt->y = floor(pt->y);
		}
		if (pt->y > 180)
			pt->y -= 360;
		snprintf(pt->id, sizeof pt->id, "%zu", i);
		pt->weight = i < nd ? (double)plan_rng_below(rng, 100) : 0;
	}
}

static void test_cover_grid(void **state)
{
	(void)state;
	struct plan_rng rng;
	plan_rng_seed(&rng, 42);
	double *r = malloc(400 * sizeof *r);
	assert_non_null(r);
	for (int round = 0; round < 40; round++) {
		struct plan_instance in;
		size_t nd = 50 + plan_rng_below(&rng, 300), ns = 1 + plan_rng_below(&rng, 100);
		int kind = round % 5;
		if (kind == 0) /* metres, integer: distances exactly on the radius happen */
			random_instance(&in, &rng, PLAN_COORDS_METRES, nd, ns, 0, 30, 0, 30, true);
		else if (kind == 1) /* Hanoi-sized box in degrees */
			random_instance(&in, &rng, PLAN_COORDS_LATLON, nd, ns, 20.5, 21.4, 105.3,
			                106.0, false);
		else if (kind == 2) /* across the antimeridian: longitudes 179..181 wrap to -179 */
			random_instance(&in, &rng, PLAN_COORDS_LATLON, nd, ns, -1, 1, 179, 181,
			                false);
		else if (kind == 3) /* near the north pole */
			random_instance(&in, &rng, PLAN_COORDS_LATLON, nd, ns, 88, 90, -180, 180,
			                false);
		else /* a long thin strip */
			random_instance(&in, &rng, PLAN_COORDS_METRES, nd, ns, 0, 1e6, 0, 10,
			                false);
		double base = kind == 0   ? 5
		              : kind == 4 ? 20000
		                          : 20000 + 100000 * plan_rng_unit(&rng);
		for (size_t i = 0; i < nd; i++)
			r[i] = base;
		check_cover(&in, r);
		/* one radius per point, some negative (never covered), one zero */
		for (size_t i = 0; i < nd; i++)
			r[i] = base * (plan_rng_unit(&rng) * 2 - 0.3);
		r[0] = 0;
		check_cover(&in, r);
		/* the same with the dense matrix (scan path) */
		assert_int_equal(plan_instance_precompute(&in, NULL), ERR_OK);
		check_cover(&in, r);
		plan_instance_release(&in);
	}
	free(r);
}

static void test_cover_edges(void **state)
{
	(void)state;
	struct plan_instance in;
	struct plan_cover c;
	struct err e;
	/* a radius of exactly the distance covers (distance <= R) */
	assert_int_equal(plan_instance_parse(&in, "id,x,y,weight\na,0,0,1\nb,800,0,1\nc,0,801,1\n",
	                                     NULL, NULL, &e),
	                 ERR_OK);
	assert_int_equal(plan_cover_build(&c, &in, 800, &e), ERR_OK);
	assert_int_equal(c.d_start[1] - c.d_start[0], 2); /* a: a, b */
	assert_int_equal(c.d_sites[0], 0);
	assert_int_equal(c.d_sites[1], 1);
	assert_int_equal(c.s_start[3] - c.s_start[2], 1); /* c covers only itself */
	assert_int_equal(c.n_pairs, 5);
	plan_cover_release(&c);
	/* bad radii */
	assert_int_equal(plan_cover_build(&c, &in, -1, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(plan_cover_build(&c, &in, NAN, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(plan_cover_build(&c, &in, INFINITY, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(plan_cover_build(&c, &in, 0, &e), ERR_OK);
	assert_int_equal(c.n_pairs, 3);
	plan_cover_release(&c);
	/* a huge radius covers everything */
	assert_int_equal(plan_cover_build(&c, &in, 1e12, &e), ERR_OK);
	assert_int_equal(c.n_pairs, 9);
	plan_cover_release(&c);
	plan_instance_release(&in);
	/* matrix: unreachable pairs are never covered */
	assert_int_equal(plan_instance_parse(&in, "id,weight\nd,1\ne,1\n", "id\ns\n",
	                                     "demand_id,site_id,distance\nd,s,10\n", &e),
	                 ERR_OK);
	assert_int_equal(plan_cover_build(&c, &in, 1e200, &e), ERR_OK);
	assert_int_equal(c.n_pairs, 1);
	assert_int_equal(c.d_start[2] - c.d_start[1], 0);
	plan_cover_release(&c);
	plan_instance_release(&in);
}

/* A 13,000 x 1,000 instance over Hanoi's extent builds in one go (speed is for bench/). */
static void test_cover_large(void **state)
{
	(void)state;
	struct plan_rng rng;
	struct plan_instance in;
	struct plan_cover c;
	plan_rng_seed(&rng, 7);
	random_instance(&in, &rng, PLAN_COORDS_LATLON, 13000, 1000, 20.56, 21.39, 105.29, 106.02,
	                false);
	assert_int_equal(plan_cover_build(&c, &in, 5000, NULL), ERR_OK);
	/* spot-check a few points against brute force */
	for (size_t i = 0; i < 13000; i += 997) {
		size_t n = 0;
		for (size_t j = 0; j < 1000; j++)
			n += plan_instance_dist(&in, i, j) <= 5000;
		assert_int_equal(n, c.d_start[i + 1] - c.d_start[i]);
	}
	assert_true(c.n_pairs > 13000);
	plan_cover_release(&c);
	plan_instance_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_metres), cmocka_unit_test(test_parse_forms),
	        cmocka_unit_test(test_parse_matrix), cmocka_unit_test(test_refusals),
	        cmocka_unit_test(test_site_list),    cmocka_unit_test(test_alloc),
	        cmocka_unit_test(test_cover_grid),   cmocka_unit_test(test_cover_edges),
	        cmocka_unit_test(test_cover_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
