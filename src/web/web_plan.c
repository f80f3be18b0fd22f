/*
 * web_plan: the network planning page, GET /plan (public: aggregate data
 * only, no login).
 *
 * It shows the Hanoi report of `motcua plan hanoi` (plan/hanoi.h) for one
 * scenario at a time: today's service points, the fewest points that keep
 * the promise (LSCP), or the best p points (MCLP), by distance R or by
 * travel time T; the covered share of the population within R km and
 * within T minutes, the selected points, the worst-served communes, and an
 * SVG map drawn here: the 126 commune boundaries (simplified) shaded by the
 * population-weighted distance to the nearest open point, the points and
 * their R km circles. A GET form tries scenarios; bad values answer 400
 * with the form, the message next to each field and the values kept.
 *
 * The model (demand grid, candidate sites, map paths) is built once per
 * process from the copies of data/'s files built into the binary, under
 * pthread_once, and is read-only afterwards, so every server thread shares
 * it. Solver runs are bounded (a fixed iteration budget, deterministic for a
 * seed, plus a time cap as a safety net), at most PLAN_SOLVES_MAX run at
 * once (more answer 503 "busy"), and their answers are kept in a small
 * cache keyed by the scenario.
 */
#include "web/web.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "embedded_data.h"
#include "base/str.h"
#include "plan/coverage.h"
#include "plan/hanoi.h"
#include "plan/lscp.h"
#include "plan/mclp.h"

#define PLAN_FILE_MAX    (8u << 20) /* bytes of one data file */
#define PLAN_RADIUS_MIN  0.5        /* km */
#define PLAN_RADIUS_MAX  50.0
#define PLAN_MINUTES_MIN 5.0
#define PLAN_MINUTES_MAX 180.0
#define PLAN_P_MIN       1
#define PLAN_P_MAX       200
#define PLAN_SEED_MAX    INT64_C(2147483647)
#define PLAN_FIELD_MAX   32 /* characters of a form value we try to read as a number */

/* Search budgets of the page (the command line's defaults are larger). */
#define PLAN_MCLP_ITERATIONS 1000u
#define PLAN_LSCP_ITERATIONS 1000u
#define PLAN_SOLVE_SECONDS   5.0 /* safety cap; results say when it fired */
#define PLAN_SOLVES_MAX      2   /* solver runs at once in the process */
#define PLAN_CACHE_SIZE      16  /* scenarios whose solutions are kept */
#define PLAN_WORST           10  /* worst-served communes listed next to the map */
#define PLAN_LIST_MAX        200 /* points listed and named on the map (an LSCP of small R has more) */

/* The map: metres per SVG unit, simplification tolerance, margin. */
#define MAP_UNIT_M     25.0
#define MAP_SIMPLIFY_M 60.0
#define MAP_MARGIN_M   1500.0
#define MAP_POINT_R    14 /* marker radius in SVG units */

/* Distance classes of the map (km, upper bounds; the last class is open). */
static const double class_km[] = {2, 5, 10};
#define N_CLASSES 4

/* ---- the model, built once ---- */

struct plan_model {
	struct hanoi_grid g;
	struct plan_instance in;
	struct hanoi_sites s;
	size_t *site_commune; /* per site: the commune it lies in, or SIZE_MAX */
	char **unit_vi;       /* per site below n_points + n_branches: its name, or NULL */
	char **unit_en;
	char **path;              /* per commune: SVG path data */
	double x0, y1;            /* projected metres of the map's left and top edges */
	long view_w, view_h;      /* viewBox in map units */
	struct geo_travel travel; /* the report's travel assumptions */
};

static struct plan_model model;
static struct err model_err;
static pthread_once_t model_once = PTHREAD_ONCE_INIT;

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * A copy of one of the bundled files built into the binary (meson.build's
 * embedded_data: data/communes-2025.geojson, districts-2019.csv, units.csv,
 * communes.csv), so the page works whatever the server's working directory.
 */
static enum err_code read_data(const char *name, char **out, struct err *e)
{
	static const struct {
		const char *name;
		const unsigned char *data;
		const size_t *len;
	} bundled[] = {
	        {"communes-2025.geojson", embedded_communes_2025_geojson,
	         &embedded_communes_2025_geojson_len},
	        {"districts-2019.csv", embedded_districts_2019_csv,
	         &embedded_districts_2019_csv_len},
	        {"units.csv", embedded_units_csv, &embedded_units_csv_len},
	        {"communes.csv", embedded_communes_csv, &embedded_communes_csv_len},
	};
	*out = NULL;
	for (size_t i = 0; i < sizeof bundled / sizeof bundled[0]; i++) {
		if (!str_eq(bundled[i].name, name))
			continue;
		size_t n = *bundled[i].len;
		if (n > PLAN_FILE_MAX || memchr(bundled[i].data, '\0', n))
			return err_set(e, ERR_INVALID_PLAN_DATA,
			               "'%s' is not a text of at most %u bytes", name,
			               PLAN_FILE_MAX);
		char *buf = malloc(n + 1);
		if (!buf)
			return err_set(e, ERR_NO_MEMORY, "reading '%s'", name);
		memcpy(buf, bundled[i].data, n);
		buf[n] = '\0';
		*out = buf;
		return ERR_OK;
	}
	return err_set(e, ERR_IO, "no bundled file '%s'", name);
}

/* Column of name in the header record r, or -1. */
static int csv_column(const struct csv_reader *r, const char *name)
{
	for (size_t i = 0; i < r->count; i++)
		if (str_eq(csv_field(r, i), name))
			return (int)i;
	return -1;
}

/* Names of the service points and branches (the first sites) from units.csv. */
static enum err_code load_unit_names(struct plan_model *m, const char *units, struct err *e)
{
	size_t n = m->s.n_points + m->s.n_branches;
	m->unit_vi = calloc(n ? n : 1, sizeof *m->unit_vi);
	m->unit_en = calloc(n ? n : 1, sizeof *m->unit_en);
	if (!m->unit_vi || !m->unit_en)
		return err_set(e, ERR_NO_MEMORY, "unit names");
	struct csv_reader r;
	csv_reader_init(&r, units, strlen(units), NULL);
	bool got = false;
	enum err_code rc = csv_read(&r, &got, e);
	int c_code = got ? csv_column(&r, "code") : -1;
	int c_vi = got ? csv_column(&r, "name_vi") : -1;
	int c_en = got ? csv_column(&r, "name_en") : -1;
	if (rc == ERR_OK && (c_code < 0 || c_vi < 0 || c_en < 0))
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "units: missing code, name_vi or name_en");
	while (rc == ERR_OK) {
		rc = csv_read(&r, &got, e);
		if (rc != ERR_OK || !got)
			break;
		const char *code = csv_field(&r, (size_t)c_code);
		const char *vi = csv_field(&r, (size_t)c_vi), *en = csv_field(&r, (size_t)c_en);
		for (size_t j = 0; code && vi && en && j < n; j++) {
			if (m->unit_vi[j] || !str_eq(m->in.sites[j].id, code))
				continue;
			m->unit_vi[j] = strdup(vi);
			m->unit_en[j] = strdup(en);
			if (!m->unit_vi[j] || !m->unit_en[j])
				rc = err_set(e, ERR_NO_MEMORY, "unit names");
		}
	}
	csv_reader_release(&r);
	return rc;
}

/* Douglas–Peucker on xy[2a..2b] (projected metres): marks kept vertices in keep[]. */
static void simplify(const double *xy, size_t a, size_t b, double tol, bool *keep)
{
	if (b <= a + 1)
		return;
	double ax = xy[2 * a], ay = xy[2 * a + 1], bx = xy[2 * b], by = xy[2 * b + 1];
	double dx = bx - ax, dy = by - ay, len = hypot(dx, dy);
	double far = -1;
	size_t at = a;
	for (size_t k = a + 1; k < b; k++) {
		double px = xy[2 * k] - ax, py = xy[2 * k + 1] - ay;
		double d = len > 0 ? fabs(px * dy - py * dx) / len : hypot(px, py);
		if (d > far) {
			far = d;
			at = k;
		}
	}
	if (far <= tol)
		return;
	keep[at] = true;
	simplify(xy, a, at, tol, keep);
	simplify(xy, at, b, tol, keep);
}

static long map_x(const struct plan_model *m, double x)
{
	return lround((x - m->x0) / MAP_UNIT_M);
}

static long map_y(const struct plan_model *m, double y)
{
	return lround((m->y1 - y) / MAP_UNIT_M);
}

/* Appends one ring as "Mx y" and relative steps, closed with "z". */
static void ring_path(const struct plan_model *m, struct buf *b, const double *xy, size_t a,
                      size_t n, bool *keep, double tol)
{
	/* the ring is closed (first == last); split it at its farthest vertex */
	memset(keep + a, 0, n * sizeof *keep);
	keep[a] = keep[a + n - 1] = true;
	size_t mid = a;
	double far = -1;
	for (size_t k = a + 1; k < a + n - 1; k++) {
		double d = hypot(xy[2 * k] - xy[2 * a], xy[2 * k + 1] - xy[2 * a + 1]);
		if (d > far) {
			far = d;
			mid = k;
		}
	}
	keep[mid] = true;
	simplify(xy, a, mid, tol, keep);
	simplify(xy, mid, a + n - 1, tol, keep);
	long px = 0, py = 0;
	size_t written = 0;
	for (size_t k = a; k < a + n - 1; k++) {
		if (!keep[k])
			continue;
		long x = map_x(m, xy[2 * k]), y = map_y(m, xy[2 * k + 1]);
		if (written == 0) {
			buf_printf(b, "M%ld %ld", x, y);
		} else if (x != px || y != py) {
			/* relative steps; a minus sign separates numbers by itself */
			long dx = x - px, dy = y - py;
			buf_printf(b, "%s%ld%s%ld",
			           written == 1 ? "l"
			           : dx >= 0    ? " "
			                        : "",
			           dx, dy >= 0 ? " " : "", dy);
		} else {
			continue;
		}
		px = x;
		py = y;
		written++;
	}
	buf_puts(b, "z");
}

/* Projects and simplifies the commune polygons into SVG path data. */
static enum err_code build_paths(struct plan_model *m, struct err *e)
{
	const struct hanoi_grid *g = &m->g;
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (size_t c = 0; c < g->n_communes; c++) {
		x0 = fmin(x0, g->communes[c].min_x);
		y0 = fmin(y0, g->communes[c].min_y);
		x1 = fmax(x1, g->communes[c].max_x);
		y1 = fmax(y1, g->communes[c].max_y);
	}
	m->x0 = x0 - MAP_MARGIN_M;
	m->y1 = y1 + MAP_MARGIN_M;
	m->view_w = lround((x1 - x0 + 2 * MAP_MARGIN_M) / MAP_UNIT_M);
	m->view_h = lround((y1 - y0 + 2 * MAP_MARGIN_M) / MAP_UNIT_M);
	size_t n_vert = g->ring_start[g->n_rings];
	bool *keep = malloc((n_vert ? n_vert : 1) * sizeof *keep);
	m->path = calloc(g->n_communes, sizeof *m->path);
	if (!keep || !m->path) {
		free(keep);
		return err_set(e, ERR_NO_MEMORY, "map paths");
	}
	enum err_code rc = ERR_OK;
	for (size_t c = 0; c < g->n_communes && rc == ERR_OK; c++) {
		const struct hanoi_commune *cm = &g->communes[c];
		struct buf b = BUF_INIT(1u << 20);
		for (size_t r = cm->ring_start; r < cm->ring_start + cm->n_rings; r++) {
			size_t a = g->ring_start[r], n = g->ring_start[r + 1] - a;
			ring_path(m, &b, g->xy, a, n, keep, MAP_SIMPLIFY_M);
		}
		m->path[c] = buf_detach(&b);
		if (!m->path[c])
			rc = err_set(e, ERR_NO_MEMORY, "map paths");
	}
	free(keep);
	return rc;
}

static void model_build(void)
{
	struct plan_model *m = &model;
	err_clear(&model_err);
	static const char *const files[4] = {"communes-2025.geojson", "districts-2019.csv",
	                                     "units.csv", "communes.csv"};
	char *text[4] = {NULL, NULL, NULL, NULL};
	struct hanoi_params prm = hanoi_params_default();
	m->travel = prm.travel;
	enum err_code rc = ERR_OK;
	for (int k = 0; k < 4 && rc == ERR_OK; k++)
		rc = read_data(files[k], &text[k], &model_err);
	if (rc == ERR_OK)
		rc = hanoi_grid_build(&m->g, text[0], text[1], prm.cell_m, &model_err);
	if (rc == ERR_OK)
		rc = hanoi_instance_build(&m->in, &m->s, &m->g, text[2], text[3], prm.grid_m,
		                          &model_err);
	if (rc == ERR_OK)
		rc = load_unit_names(m, text[2], &model_err);
	if (rc == ERR_OK) {
		m->site_commune = malloc((m->in.n_sites ? m->in.n_sites : 1) * sizeof(size_t));
		if (!m->site_commune)
			rc = err_set(&model_err, ERR_NO_MEMORY, "sites");
		for (size_t j = 0; rc == ERR_OK && j < m->in.n_sites; j++)
			m->site_commune[j] =
			        hanoi_grid_locate(&m->g, m->in.sites[j].x, m->in.sites[j].y);
	}
	if (rc == ERR_OK)
		rc = build_paths(m, &model_err);
	for (int k = 0; k < 4; k++)
		free(text[k]);
	if (rc == ERR_OK && m->s.n_points == 0)
		rc = err_set(&model_err, ERR_INVALID_PLAN_DATA, "units: no service point");
	if (rc != ERR_OK && model_err.code == ERR_OK)
		err_set(&model_err, rc, "planning model");
	/* bad bundled data is the server's fault, not the visitor's: never a 4xx */
	if (rc != ERR_OK && err_http_status(model_err.code) < 500) {
		struct err bad = model_err;
		err_set(&model_err, ERR_INTERNAL, "planning data: %s", bad.detail);
	}
	/* on failure the half-built model stays unused (and reachable) until exit */
}

/* The shared model, or NULL with *e filled when the data could not be loaded. */
static const struct plan_model *model_get(struct err *e)
{
	pthread_once(&model_once, model_build);
	if (model_err.code != ERR_OK) {
		*e = model_err;
		return NULL;
	}
	return &model;
}

/* ---- scenarios ---- */

enum plan_kind { KIND_TODAY, KIND_LSCP, KIND_MCLP, KIND__COUNT };
enum plan_by { BY_KM, BY_MIN, BY__COUNT };

static const char *const kind_names[KIND__COUNT] = {"today", "lscp", "mclp"};
static const char *const by_names[BY__COUNT] = {"km", "min"};

struct scenario {
	enum plan_kind kind;
	enum plan_by by;
	double radius_km;
	double minutes;
	size_t p;
	uint64_t seed;
};

/* A solver's answer, as kept in the cache. */
struct solution {
	struct scenario key;
	bool used;
	uint64_t stamp; /* last use, for replacement */
	size_t n_open;
	size_t *open;
	size_t lower_bound;   /* LSCP: no cover has fewer sites */
	double upper_bound;   /* MCLP: no p sites cover more */
	size_t n_uncoverable; /* LSCP: cells no candidate reaches */
	bool proven, stopped;
	uint64_t iterations;
	double seconds;
};

static struct solution cache[PLAN_CACHE_SIZE];
static uint64_t cache_clock;
static int solves_running;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static bool same_key(const struct scenario *a, const struct scenario *b)
{
	return a->kind == b->kind && a->by == b->by && a->radius_km == b->radius_km &&
	       (a->by != BY_MIN || a->minutes == b->minutes) &&
	       (a->kind != KIND_MCLP || a->p == b->p) && a->seed == b->seed;
}

static void solution_release(struct solution *s)
{
	free(s->open);
	memset(s, 0, sizeof *s);
}

/* Copies the cached solution of sc into *out (caller releases); false when absent. */
static bool cache_find(const struct scenario *sc, struct solution *out)
{
	bool found = false;
	pthread_mutex_lock(&cache_lock);
	for (size_t k = 0; k < PLAN_CACHE_SIZE && !found; k++) {
		struct solution *c = &cache[k];
		if (!c->used || !same_key(&c->key, sc))
			continue;
		*out = *c;
		out->open = malloc((c->n_open ? c->n_open : 1) * sizeof *out->open);
		if (out->open) {
			memcpy(out->open, c->open, c->n_open * sizeof *out->open);
			c->stamp = ++cache_clock;
			found = true;
		}
	}
	pthread_mutex_unlock(&cache_lock);
	return found;
}

/* Keeps a copy of s (a solution not stopped by the time cap), replacing the oldest. */
static void cache_store(const struct solution *s)
{
	size_t *open = malloc((s->n_open ? s->n_open : 1) * sizeof *open);
	if (!open)
		return;
	memcpy(open, s->open, s->n_open * sizeof *open);
	pthread_mutex_lock(&cache_lock);
	/* the same scenario (solved meanwhile by another thread), else a free slot, else the
	   least recently used */
	size_t at = PLAN_CACHE_SIZE;
	for (size_t k = 0; k < PLAN_CACHE_SIZE && at == PLAN_CACHE_SIZE; k++)
		if (cache[k].used && same_key(&cache[k].key, &s->key))
			at = k;
	for (size_t k = 0; k < PLAN_CACHE_SIZE && at == PLAN_CACHE_SIZE; k++)
		if (!cache[k].used)
			at = k;
	if (at == PLAN_CACHE_SIZE) {
		at = 0;
		for (size_t k = 1; k < PLAN_CACHE_SIZE; k++)
			if (cache[k].stamp < cache[at].stamp)
				at = k;
	}
	solution_release(&cache[at]);
	cache[at] = *s;
	cache[at].open = open;
	cache[at].used = true;
	cache[at].stamp = ++cache_clock;
	pthread_mutex_unlock(&cache_lock);
}

/* Takes one of the PLAN_SOLVES_MAX slots; false when all are busy. */
static bool solve_slot_take(void)
{
	pthread_mutex_lock(&cache_lock);
	bool ok = solves_running < PLAN_SOLVES_MAX;
	if (ok)
		solves_running++;
	pthread_mutex_unlock(&cache_lock);
	return ok;
}

static void solve_slot_give(void)
{
	pthread_mutex_lock(&cache_lock);
	solves_running--;
	pthread_mutex_unlock(&cache_lock);
}

struct deadline {
	struct timespec t0;
};

static bool deadline_passed(void *ctx)
{
	return since(&((struct deadline *)ctx)->t0) > PLAN_SOLVE_SECONDS;
}

/* Coverage lists of the scenario's criterion: R km, or T minutes at each cell's speed. */
static enum err_code scenario_cover(const struct plan_model *m, const struct scenario *sc,
                                    struct plan_cover *c, struct err *e)
{
	if (sc->by == BY_KM)
		return plan_cover_build(c, &m->in, sc->radius_km * 1000, e);
	double *reach = malloc((m->in.n_demand ? m->in.n_demand : 1) * sizeof *reach);
	if (!reach)
		return err_set(e, ERR_NO_MEMORY, "coverage lists");
	for (size_t i = 0; i < m->in.n_demand; i++)
		reach[i] = geo_travel_reach(&m->travel, sc->minutes,
		                            (enum geo_zone)m->in.demand[i].zone);
	enum err_code rc = plan_cover_build_radii(c, &m->in, reach, e);
	free(reach);
	return rc;
}

/* Runs the scenario's solver (bounded) into *s. */
static enum err_code solve(const struct plan_model *m, const struct scenario *sc,
                           struct solution *s, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->key = *sc;
	struct deadline dl;
	clock_gettime(CLOCK_MONOTONIC, &dl.t0);
	struct plan_budget b = {.seed = sc->seed, .stop = deadline_passed, .stop_ctx = &dl};
	struct plan_cover c = {0};
	enum err_code rc = scenario_cover(m, sc, &c, e);
	if (rc == ERR_OK && sc->kind == KIND_LSCP) {
		b.iterations = PLAN_LSCP_ITERATIONS;
		struct lscp_params lp = {.budget = b};
		struct lscp_result lr = {0};
		rc = lscp_solve(&c, &lp, &lr, e);
		if (rc == ERR_OK) {
			s->n_open = lr.n_selected;
			s->open = lr.selected;
			lr.selected = NULL;
			s->lower_bound = lr.lower_bound;
			s->n_uncoverable = lr.n_uncoverable;
			s->proven = lr.proven_optimal;
			s->stopped = lr.stopped;
			s->iterations = lr.iterations;
		}
		lscp_result_release(&lr);
	} else if (rc == ERR_OK) {
		b.iterations = PLAN_MCLP_ITERATIONS;
		struct mclp_params mp = {.p = sc->p, .budget = b};
		struct mclp_result mr = {0};
		rc = mclp_solve(&m->in, &c, &mp, &mr, e);
		if (rc == ERR_OK) {
			s->n_open = mr.n_selected;
			s->open = mr.selected;
			mr.selected = NULL;
			s->upper_bound = mr.upper_bound;
			s->proven = mr.proven_optimal;
			s->stopped = mr.stopped;
			s->iterations = mr.iterations;
		}
		mclp_result_release(&mr);
	}
	plan_cover_release(&c);
	s->seconds = since(&dl.t0);
	return rc;
}

/* Everything the page shows about one scenario. */
struct outcome {
	struct solution sol; /* open sites (today's points for KIND_TODAY) */
	bool cached;
	struct coverage_report cov;        /* by R km or T minutes */
	struct hanoi_commune_cover *rows;  /* by commune index */
	struct hanoi_commune_cover *worst; /* the same, worst first */
	size_t full, none;                 /* communes fully / not at all within R */
};

static void outcome_release(struct outcome *o)
{
	solution_release(&o->sol);
	coverage_report_release(&o->cov);
	free(o->rows);
	free(o->worst);
}

static enum err_code outcome_compute(const struct plan_model *m, const struct scenario *sc,
                                     struct outcome *o, struct err *e)
{
	memset(o, 0, sizeof *o);
	enum err_code rc = ERR_OK;
	if (sc->kind == KIND_TODAY) {
		o->sol.key = *sc;
		o->sol.n_open = m->s.n_points;
		o->sol.open = malloc(m->s.n_points * sizeof *o->sol.open);
		if (!o->sol.open)
			return err_set(e, ERR_NO_MEMORY, "today's points");
		for (size_t k = 0; k < m->s.n_points; k++)
			o->sol.open[k] = k; /* hanoi_instance_build puts today's points first */
	} else if (cache_find(sc, &o->sol)) {
		o->cached = true;
	} else {
		if (!solve_slot_take())
			return err_set(e, ERR_BUSY, "%d scenarios are being computed",
			               PLAN_SOLVES_MAX);
		rc = solve(m, sc, &o->sol, e);
		solve_slot_give();
		if (rc != ERR_OK)
			return rc;
		if (!o->sol.stopped)
			cache_store(&o->sol);
	}
	/* one pass gives both: the nearest site by distance is also the nearest by time */
	struct coverage_params cp = {.radius = sc->radius_km * 1000,
	                             .minutes = sc->minutes,
	                             .travel = m->travel,
	                             .top_k = 0};
	rc = coverage_analyse(&m->in, o->sol.open, o->sol.n_open, &cp, &o->cov, e);
	if (rc != ERR_OK)
		return rc;
	size_t nc = m->g.n_communes;
	o->rows = malloc(nc * sizeof *o->rows);
	o->worst = malloc(nc * sizeof *o->worst);
	if (!o->rows || !o->worst)
		return err_set(e, ERR_NO_MEMORY, "communes");
	hanoi_commune_coverage(&m->g, &o->cov, cp.radius, cp.minutes, o->rows);
	memcpy(o->worst, o->rows, nc * sizeof *o->worst);
	hanoi_commune_sort_worst(o->worst, nc);
	for (size_t c = 0; c < nc; c++) {
		o->full += o->rows[c].in_radius >= o->rows[c].population;
		o->none += o->rows[c].population > 0 && o->rows[c].in_radius == 0;
	}
	return ERR_OK;
}

/* ---- the form ---- */

struct form {
	const char *v_kind, *v_by, *v_radius, *v_minutes, *v_p, *v_seed; /* as typed */
	const char *e_kind, *e_by, *e_radius, *e_minutes, *e_p, *e_seed; /* messages or NULL */
	bool bad;
};

/* A decimal number with '.' or ',' (as Vietnamese writes it) in [lo, hi]. */
static bool parse_decimal(const char *s, double lo, double hi, double *out)
{
	char tmp[PLAN_FIELD_MAX + 1];
	size_t n = strlen(s);
	if (n == 0 || n > PLAN_FIELD_MAX)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];
		if (c == ',')
			c = '.';
		else if (c != '\0' && c != '.' && (c < '0' || c > '9'))
			return false;
		tmp[i] = c;
	}
	char *end = NULL;
	double v = strtod(tmp, &end);
	if (end == tmp || *end != '\0' || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const char *value_or(const char *v, const char *def)
{
	return str_empty(v) ? def : v;
}

/* Reads and checks the query; on return sc holds the values (defaults where absent). */
static void form_read(struct web_page *p, struct form *f, struct scenario *sc)
{
	memset(f, 0, sizeof *f);
	sc->kind = KIND_TODAY;
	sc->by = BY_KM;
	sc->radius_km = 5;
	sc->minutes = 30;
	sc->p = 30;
	sc->seed = 1;
	f->v_kind = value_or(web_query(p, "model"), kind_names[KIND_TODAY]);
	f->v_by = value_or(web_query(p, "by"), by_names[BY_KM]);
	f->v_radius = value_or(web_query(p, "radius"), "5");
	f->v_minutes = value_or(web_query(p, "minutes"), "30");
	f->v_p = value_or(web_query(p, "p"), "30");
	f->v_seed = value_or(web_query(p, "seed"), "1");
	int k = -1;
	for (int i = 0; i < KIND__COUNT; i++)
		if (str_eq(f->v_kind, kind_names[i]))
			k = i;
	if (k < 0)
		f->e_kind =
		        T(p, "Chọn một mô hình trong danh sách.", "Choose a model from the list.");
	else
		sc->kind = (enum plan_kind)k;
	int b = -1;
	for (int i = 0; i < BY__COUNT; i++)
		if (str_eq(f->v_by, by_names[i]))
			b = i;
	if (b < 0)
		f->e_by = T(p, "Chọn một tiêu chí trong danh sách.",
		            "Choose a criterion from the list.");
	else
		sc->by = (enum plan_by)b;
	if (!parse_decimal(f->v_radius, PLAN_RADIUS_MIN, PLAN_RADIUS_MAX, &sc->radius_km))
		f->e_radius = T(p, "Nhập một số từ 0,5 đến 50 (km).",
		                "Enter a number from 0.5 to 50 (km).");
	if (!parse_decimal(f->v_minutes, PLAN_MINUTES_MIN, PLAN_MINUTES_MAX, &sc->minutes))
		f->e_minutes = T(p, "Nhập một số từ 5 đến 180 (phút).",
		                 "Enter a number from 5 to 180 (minutes).");
	int64_t v = 0;
	if (str_parse_int64(f->v_p, PLAN_P_MIN, PLAN_P_MAX, &v) != 0)
		f->e_p = T(p, "Nhập một số nguyên từ 1 đến 200.",
		           "Enter a whole number from 1 to 200.");
	else
		sc->p = (size_t)v;
	if (str_parse_int64(f->v_seed, 0, PLAN_SEED_MAX, &v) != 0)
		f->e_seed = T(p, "Nhập một số nguyên từ 0 đến 2147483647.",
		              "Enter a whole number from 0 to 2147483647.");
	else
		sc->seed = (uint64_t)v;
	f->bad = f->e_kind || f->e_by || f->e_radius || f->e_minutes || f->e_p || f->e_seed;
}

static void form_write(struct web_page *p, const struct form *f)
{
	struct html *h = &p->h;
	html_open(h, "form", "method", "get", "action", "/plan", "id", "plan-form", "class",
	          "plan-form", NULL);
	html_raw(h, "<fieldset>");
	html_elem(h, "legend", T(p, "Thử một phương án", "Try a scenario"), NULL);
	html_raw(h, "<div class=\"filters\">");
	const struct web_option kinds[KIND__COUNT] = {
	        {"today", T(p, "Các điểm phục vụ hiện nay", "Today's service points")},
	        {"lscp", T(p, "Ít điểm nhất giữ được cam kết (LSCP)",
	                   "Fewest points that keep the promise (LSCP)")},
	        {"mclp", T(p, "p điểm phủ được nhiều dân nhất (MCLP)", "Best p points (MCLP)")},
	};
	web_select(p, "model", T(p, "Mô hình", "Model"), kinds, KIND__COUNT, f->v_kind, f->e_kind,
	           true);
	const struct web_option bys[BY__COUNT] = {
	        {"km", T(p, "Khoảng cách (R km)", "Distance (R km)")},
	        {"min", T(p, "Thời gian đi lại (T phút)", "Travel time (T minutes)")},
	};
	web_select(p, "by", T(p, "Tiêu chí chọn điểm", "Criterion for choosing points"), bys,
	           BY__COUNT, f->v_by, f->e_by, true);
	web_input(p, &(struct web_input){.name = "radius",
	                                 .label = T(p, "Bán kính R (km)", "Radius R (km)"),
	                                 .value = f->v_radius,
	                                 .error = f->e_radius,
	                                 .hint = T(p, "Từ 0,5 đến 50", "0.5 to 50"),
	                                 .inputmode = "decimal",
	                                 .maxlength = PLAN_FIELD_MAX,
	                                 .required = true});
	web_input(p, &(struct web_input){.name = "minutes",
	                                 .label = T(p, "Thời gian T (phút)", "Time T (minutes)"),
	                                 .value = f->v_minutes,
	                                 .error = f->e_minutes,
	                                 .hint = T(p, "Từ 5 đến 180", "5 to 180"),
	                                 .inputmode = "decimal",
	                                 .maxlength = PLAN_FIELD_MAX,
	                                 .required = true});
	web_input(p,
	          &(struct web_input){.name = "p",
	                              .label = T(p, "Số điểm p", "Number of points p"),
	                              .value = f->v_p,
	                              .error = f->e_p,
	                              .hint = T(p, "Cho MCLP; từ 1 đến 200", "For MCLP; 1 to 200"),
	                              .inputmode = "numeric",
	                              .maxlength = PLAN_FIELD_MAX,
	                              .required = true});
	web_input(p, &(struct web_input){
	                     .name = "seed",
	                     .label = T(p, "Hạt giống ngẫu nhiên", "Random seed"),
	                     .value = f->v_seed,
	                     .error = f->e_seed,
	                     .hint = T(p, "Cùng hạt giống, cùng kết quả", "Same seed, same answer"),
	                     .inputmode = "numeric",
	                     .maxlength = PLAN_FIELD_MAX,
	                     .required = true});
	html_raw(h, "</div>");
	web_submit(p, T(p, "Tính", "Compute"), NULL);
	html_raw(h, "</fieldset></form>");
}

/* ---- writing numbers ---- */

/* v with d decimals, with the page's decimal separator. */
static void dec(struct web_page *p, double v, int d)
{
	char s[64];
	snprintf(s, sizeof s, "%.*f", d, v);
	if (p->lang != ERR_LANG_EN)
		for (char *c = s; *c; c++)
			if (*c == '.')
				*c = ',';
	html_text(&p->h, s);
}

/* v with at most two decimals, trailing zeros left out (5 km, 2,5 km). */
static void num(struct web_page *p, double v)
{
	char s[64];
	snprintf(s, sizeof s, "%.2f", v);
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	for (char *c = s; *c; c++)
		if (*c == '.' && p->lang != ERR_LANG_EN)
			*c = ',';
	html_text(&p->h, s);
}

static void percent(struct web_page *p, double share)
{
	dec(p, 100 * share, 1);
	html_text(&p->h, " %");
}

static void km(struct web_page *p, double metres)
{
	dec(p, metres / 1000, 1);
	html_text(&p->h, " km");
}

/* "5.314.637 người (66,0 %)" with the share in data-share for tests and scripts. */
static void share_dd(struct web_page *p, const char *id, double part, double total)
{
	char v[32];
	snprintf(v, sizeof v, "%.6f", total > 0 ? part / total : 0);
	html_open(&p->h, "dd", "id", id, "data-share", v, NULL);
	html_int(&p->h, llround(part));
	html_text(&p->h, T(p, " người (", " people ("));
	percent(p, total > 0 ? part / total : 0);
	html_text(&p->h, ")");
	html_close(&p->h, "dd");
}

static void dt(struct web_page *p, const char *vi, const char *en)
{
	html_elem(&p->h, "dt", T(p, vi, en), NULL);
}

/* ---- sites ---- */

static bool site_is_point(const struct plan_model *m, size_t j)
{
	return j < m->s.n_points;
}

static const char *site_kind(const struct web_page *p, const struct plan_model *m, size_t j)
{
	if (j < m->s.n_points)
		return T(p, "Điểm phục vụ hiện có", "Existing service point");
	if (j < m->s.n_points + m->s.n_branches)
		return T(p, "Chi nhánh hiện có", "Existing branch");
	if (j < m->s.n_points + m->s.n_branches + m->s.n_centroids)
		return T(p, "Tâm xã, phường", "Commune centre");
	return T(p, "Ô lưới 2 km", "2 km grid cell");
}

static const char *site_commune_name(const struct plan_model *m, size_t j)
{
	size_t c = m->site_commune[j];
	return c == SIZE_MAX ? "" : m->g.communes[c].name;
}

/* The name of site j: the unit's name, else its kind and commune. */
static void site_name(struct web_page *p, const struct plan_model *m, size_t j)
{
	if (j < m->s.n_points + m->s.n_branches && m->unit_vi[j]) {
		html_text(&p->h, p->lang == ERR_LANG_EN ? m->unit_en[j] : m->unit_vi[j]);
		return;
	}
	html_text(&p->h, site_kind(p, m, j));
	const char *c = site_commune_name(m, j);
	if (*c) {
		html_text(&p->h, " · ");
		html_text(&p->h, c);
	}
}

/* ---- the map ---- */

static int distance_class(double metres)
{
	int k = 0;
	while (k < N_CLASSES - 1 && metres >= class_km[k] * 1000)
		k++;
	return k;
}

static const char *class_label(const struct web_page *p, int k)
{
	static const char *const vi[N_CLASSES] = {"dưới 2 km", "2 đến 5 km", "5 đến 10 km",
	                                          "từ 10 km trở lên"};
	static const char *const en[N_CLASSES] = {"under 2 km", "2 to 5 km", "5 to 10 km",
	                                          "10 km or more"};
	return T(p, vi[k], en[k]);
}

static void map_write(struct web_page *p, const struct plan_model *m, const struct scenario *sc,
                      const struct outcome *o)
{
	struct html *h = &p->h;
	size_t counts[N_CLASSES] = {0};
	for (size_t c = 0; c < m->g.n_communes; c++)
		counts[distance_class(o->rows[c].mean_distance)]++;
	char vb[64];
	snprintf(vb, sizeof vb, "0 0 %ld %ld", m->view_w, m->view_h);
	html_raw(h, "<figure class=\"plan-figure\">");
	html_open(h, "svg", "id", "plan-map", "class", "plan-map", "viewBox", vb, "role", "img",
	          "aria-labelledby", "plan-map-title plan-map-desc", "xmlns",
	          "http://www.w3.org/2000/svg", NULL);
	html_open(h, "title", "id", "plan-map-title", NULL);
	html_text(h, T(p, "Bản đồ khoảng cách tới điểm phục vụ gần nhất",
	               "Map of the distance to the nearest service point"));
	html_close(h, "title");
	html_open(h, "desc", "id", "plan-map-desc", NULL);
	html_textf(h, "%zu ", m->g.n_communes);
	html_text(h, T(p,
	               "xã, phường tô màu theo khoảng cách trung bình (theo dân số) tới điểm "
	               "phục vụ gần nhất: ",
	               "communes and wards shaded by the population-weighted mean distance to "
	               "the nearest service point: "));
	for (int k = 0; k < N_CLASSES; k++) {
		html_textf(h, "%s%s %zu", k ? "; " : "", class_label(p, k), counts[k]);
	}
	html_textf(h, ". %zu ", o->sol.n_open);
	html_text(h, T(p, "điểm phục vụ, mỗi điểm có vòng tròn bán kính ",
	               "service points, each with a circle of radius "));
	num(p, sc->radius_km);
	html_text(h, T(p, " km. Bảng bên cạnh liệt kê các xã, phường được phục vụ kém nhất.",
	               " km. The table next to the map lists the worst-served communes."));
	html_close(h, "desc");

	html_raw(h, "<g class=\"communes\">");
	for (size_t c = 0; c < m->g.n_communes; c++) {
		const struct hanoi_commune_cover *r = &o->rows[c];
		static const char *const cls[N_CLASSES] = {"pd0", "pd1", "pd2", "pd3"};
		html_open(h, "path", "d", m->path[c], "class",
		          cls[distance_class(r->mean_distance)], NULL);
		html_open(h, "title", NULL);
		html_text(h, m->g.communes[c].name);
		html_text(h, ": ");
		km(p, r->mean_distance);
		html_close(h, "title");
		html_close(h, "path");
	}
	html_raw(h, "</g><g class=\"rings\">");
	long rr = lround(sc->radius_km * 1000 / MAP_UNIT_M);
	for (size_t k = 0; k < o->sol.n_open; k++) {
		const struct plan_point *s = &m->in.sites[o->sol.open[k]];
		double x, y;
		hanoi_project(s->x, s->y, &x, &y);
		html_rawf(h, "<circle cx=\"%ld\" cy=\"%ld\" r=\"%ld\"/>", map_x(m, x), map_y(m, y),
		          rr);
	}
	html_raw(h, "</g><g class=\"sites\">");
	for (size_t k = 0; k < o->sol.n_open; k++) {
		size_t j = o->sol.open[k];
		const struct plan_point *s = &m->in.sites[j];
		double x, y;
		hanoi_project(s->x, s->y, &x, &y);
		long cx = map_x(m, x), cy = map_y(m, y);
		if (site_is_point(m, j))
			html_rawf(h, "<circle class=\"today\" cx=\"%ld\" cy=\"%ld\" r=\"%d\">", cx,
			          cy, MAP_POINT_R);
		else
			html_rawf(h,
			          "<rect class=\"new\" x=\"%ld\" y=\"%ld\" width=\"%d\" "
			          "height=\"%d\">",
			          cx - MAP_POINT_R, cy - MAP_POINT_R, 2 * MAP_POINT_R,
			          2 * MAP_POINT_R);
		if (k < PLAN_LIST_MAX) {
			html_open(h, "title", NULL);
			site_name(p, m, j);
			html_close(h, "title");
		}
		html_raw(h, site_is_point(m, j) ? "</circle>" : "</rect>");
	}
	html_raw(h, "</g></svg>");

	/* the legend, as text */
	html_raw(h, "<figcaption>");
	html_elem(h, "p",
	          T(p, "Màu: khoảng cách trung bình (theo dân số) tới điểm phục vụ gần nhất.",
	            "Colour: population-weighted mean distance to the nearest service point."),
	          NULL);
	html_raw(h, "<ul class=\"plan-legend\">");
	for (int k = 0; k < N_CLASSES; k++) {
		html_raw(h, "<li>");
		html_rawf(h, "<span class=\"swatch pd%d\" aria-hidden=\"true\"></span>", k);
		html_text(h, class_label(p, k));
		html_textf(h, " (%zu)", counts[k]);
		html_raw(h, "</li>");
	}
	html_raw(h, "<li><span class=\"swatch mark-today\" aria-hidden=\"true\"></span>");
	html_text(h, T(p, "Điểm phục vụ hiện có", "Existing service point"));
	html_raw(h, "</li><li><span class=\"swatch mark-new\" aria-hidden=\"true\"></span>");
	html_text(h, T(p, "Điểm khác (chi nhánh, tâm xã, ô lưới)",
	               "Other point (branch, commune centre, grid cell)"));
	html_raw(h, "</li><li><span class=\"swatch mark-ring\" aria-hidden=\"true\"></span>");
	html_text(h, T(p, "Vòng tròn bán kính ", "Circle of radius "));
	num(p, sc->radius_km);
	html_text(h, " km");
	html_raw(h, "</li></ul></figcaption></figure>");
}

/* One row of a commune table; full adds the farthest cell and the map class. */
static void commune_row(struct web_page *p, const struct plan_model *m,
                        const struct hanoi_commune_cover *r, bool full)
{
	struct html *h = &p->h;
	double pop = r->population;
	html_raw(h, "<tr>");
	html_elem(h, "th", m->g.communes[r->commune].name, "scope", "row", NULL);
	html_open(h, "td", "class", "num", "data-label", T(p, "Dân số", "Population"), NULL);
	html_int(h, llround(pop));
	html_raw(h, "</td>");
	html_open(h, "td", "class", "num", "data-label", T(p, "Trong R km", "Within R km"), NULL);
	percent(p, pop > 0 ? r->in_radius / pop : 1);
	html_raw(h, "</td>");
	html_open(h, "td", "class", "num", "data-label", T(p, "Trong T phút", "Within T min"),
	          NULL);
	percent(p, pop > 0 ? r->in_minutes / pop : 1);
	html_raw(h, "</td>");
	html_open(h, "td", "class", "num", "data-label", T(p, "Trung bình", "Mean"), NULL);
	km(p, r->mean_distance);
	html_raw(h, "</td>");
	if (!full) {
		html_raw(h, "</tr>");
		return;
	}
	html_open(h, "td", "class", "num", "data-label", T(p, "Xa nhất", "Farthest"), NULL);
	km(p, r->max_distance);
	html_raw(h, "</td>");
	html_open(h, "td", "data-label", T(p, "Nhóm trên bản đồ", "Map class"), NULL);
	html_text(h, class_label(p, distance_class(r->mean_distance)));
	html_raw(h, "</td></tr>");
}

static void commune_table(struct web_page *p, const struct plan_model *m,
                          const struct hanoi_commune_cover *rows, size_t n, bool full,
                          const char *id, const char *caption)
{
	struct html *h = &p->h;
	html_raw(h, "<div class=\"table-wrap\">");
	html_open(h, "table", "id", id, "class", "stack plan-communes", NULL);
	html_elem(h, "caption", caption, NULL);
	html_raw(h, "<thead><tr>");
	web_col_heads(p, T(p, "Xã, phường", "Commune"), NULL);
	html_elem(h, "th", T(p, "Dân số", "Population"), "scope", "col", "class", "num", NULL);
	html_elem(h, "th", T(p, "Trong R km", "Within R km"), "scope", "col", "class", "num", NULL);
	html_elem(h, "th", T(p, "Trong T phút", "Within T min"), "scope", "col", "class", "num",
	          NULL);
	html_elem(h, "th", T(p, "Khoảng cách trung bình", "Mean distance"), "scope", "col", "class",
	          "num", NULL);
	if (full) {
		html_elem(h, "th", T(p, "Xa nhất", "Farthest"), "scope", "col", "class", "num",
		          NULL);
		web_col_heads(p, T(p, "Nhóm trên bản đồ", "Map class"), NULL);
	}
	html_raw(h, "</tr></thead><tbody>");
	for (size_t k = 0; k < n; k++)
		commune_row(p, m, &rows[k], full);
	html_raw(h, "</tbody></table></div>");
}

/* ---- the page ---- */

static const char *kind_label(const struct web_page *p, enum plan_kind k)
{
	switch (k) {
	case KIND_LSCP:
		return T(p, "Ít điểm nhất giữ được cam kết (LSCP)",
		         "Fewest points that keep the promise (LSCP)");
	case KIND_MCLP:
		return T(p, "p điểm phủ được nhiều dân nhất (MCLP)", "Best p points (MCLP)");
	default:
		return T(p, "Các điểm phục vụ hiện nay", "Today's service points");
	}
}

static void quick_links(struct web_page *p, const struct plan_model *m)
{
	struct html *h = &p->h;
	static const struct {
		const char *model, *by, *p, *vi, *en;
	} links[] = {
	        {"today", NULL, NULL, " điểm phục vụ hiện nay", " service points open today"},
	        {"lscp", "km", NULL, "Ít điểm nhất để ai cũng trong 5 km",
	         "Fewest points so that everyone is within 5 km"},
	        {"mclp", "km", "30", "30 điểm tốt nhất theo 5 km", "Best 30 points by 5 km"},
	        {"mclp", "min", "30", "30 điểm tốt nhất theo 30 phút",
	         "Best 30 points by 30 minutes"},
	};
	html_open(h, "nav", "class", "plan-quick", "aria-label",
	          T(p, "Các phương án mẫu", "Sample scenarios"), NULL);
	html_raw(h, "<ul>");
	for (size_t k = 0; k < sizeof links / sizeof links[0]; k++) {
		html_raw(h, "<li>");
		html_open(h, "a", "href",
		          web_url(p, "/plan", "model", links[k].model, "by", links[k].by, "p",
		                  links[k].p, NULL),
		          NULL);
		if (k == 0)
			html_textf(h, "%zu", m->s.n_points);
		html_text(h, T(p, links[k].vi, links[k].en));
		html_close(h, "a");
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul></nav>");
}

static void intro(struct web_page *p)
{
	html_elem(&p->h, "p",
	          T(p,
	            "Cam kết của Hà Nội: mọi người dân có một điểm phục vụ hành chính công "
	            "trong vòng 5 km hoặc 30 phút đi lại. Trang này kiểm tra cam kết đó với dân "
	            "số Tổng điều tra 2019 phân bổ trên lưới ô 500 m của 126 xã, phường (từ "
	            "1/7/2025), và cho thử các phương án đặt điểm. Chỉ dùng số liệu tổng hợp.",
	            "Hanoi's promise: every resident has a public administration service point "
	            "within 5 km or 30 minutes of travel. This page checks the promise against "
	            "the 2019 census population spread over a 500 m grid of the 126 communes "
	            "and wards (since 1 July 2025), and lets you try scenarios. Aggregate data "
	            "only."),
	          "class", "plan-lead", NULL);
}

static void results_write(struct web_page *p, const struct plan_model *m, const struct scenario *sc,
                          const struct outcome *o)
{
	struct html *h = &p->h;
	const struct solution *s = &o->sol;
	html_raw(h, "<section id=\"plan-results\" aria-labelledby=\"plan-results-h\">");
	html_elem(h, "h2", T(p, "Kết quả", "Results"), "id", "plan-results-h", NULL);
	html_raw(h, "<dl class=\"facts\">");
	dt(p, "Phương án", "Scenario");
	html_open(h, "dd", "id", "plan-model", "data-model", kind_names[sc->kind], NULL);
	html_text(h, kind_label(p, sc->kind));
	if (sc->kind == KIND_MCLP)
		html_textf(h, ", p = %zu", sc->p);
	if (sc->kind != KIND_TODAY) {
		html_text(h, sc->by == BY_KM ? T(p, ", theo khoảng cách ", ", by distance ")
		                             : T(p, ", theo thời gian ", ", by time "));
		if (sc->by == BY_KM) {
			num(p, sc->radius_km);
			html_text(h, " km");
		} else {
			num(p, sc->minutes);
			html_text(h, T(p, " phút", " minutes"));
		}
		html_text(h, T(p, ", hạt giống ", ", seed "));
		html_textf(h, "%llu", (unsigned long long)sc->seed);
	}
	html_close(h, "dd");
	dt(p, "Số điểm phục vụ", "Service points");
	char n[24];
	snprintf(n, sizeof n, "%zu", s->n_open);
	html_elem(h, "dd", n, "id", "plan-points", "data-count", n, NULL);
	html_open(h, "dt", NULL);
	html_text(h, T(p, "Dân số trong ", "Population within "));
	num(p, sc->radius_km);
	html_text(h, " km");
	html_close(h, "dt");
	share_dd(p, "share-radius", o->cov.radius_weight, o->cov.total_weight);
	html_open(h, "dt", NULL);
	html_text(h, T(p, "Dân số trong ", "Population within "));
	num(p, sc->minutes);
	html_text(h, T(p, " phút đi lại", " minutes of travel"));
	html_close(h, "dt");
	share_dd(p, "share-minutes", o->cov.minutes_weight, o->cov.total_weight);
	dt(p, "Trong R km hoặc T phút", "Within R km or T minutes");
	share_dd(p, "share-either", o->cov.covered_weight, o->cov.total_weight);
	dt(p, "Khoảng cách trung bình tới điểm gần nhất", "Mean distance to the nearest point");
	html_raw(h, "<dd>");
	km(p, o->cov.mean_distance);
	html_text(h, T(p, " (xa nhất ", " (farthest "));
	km(p, o->cov.max_distance);
	html_text(h, ")");
	html_raw(h, "</dd>");
	dt(p, "Xã, phường có toàn bộ dân trong R km", "Communes wholly within R km");
	html_open(h, "dd", NULL);
	html_textf(h, "%zu / %zu", o->full, m->g.n_communes);
	html_close(h, "dd");
	dt(p, "Xã, phường không có ai trong R km", "Communes with nobody within R km");
	html_open(h, "dd", NULL);
	html_textf(h, "%zu", o->none);
	html_close(h, "dd");
	if (sc->kind != KIND_TODAY) {
		dt(p, "Lời giải", "Solution");
		html_open(h, "dd", "id", "plan-solution", NULL);
		if (s->proven)
			html_text(h, T(p, "tối ưu (đã chứng minh)", "optimal (proven)"));
		else if (sc->kind == KIND_LSCP) {
			html_text(h, T(p, "tốt nhất tìm được; không phương án nào ít hơn ",
			               "best found; no cover has fewer than "));
			html_textf(h, "%zu", s->lower_bound);
			html_text(h, T(p, " điểm", " points"));
		} else {
			html_text(h, T(p, "tốt nhất tìm được; không phương án nào phủ quá ",
			               "best found; no choice covers more than "));
			html_int(h, llround(s->upper_bound));
			html_text(h, T(p, " người", " people"));
		}
		if (sc->kind == KIND_LSCP && s->n_uncoverable > 0) {
			html_textf(h, "; %zu", s->n_uncoverable);
			html_text(h, T(p, " ô lưới không điểm nào với tới",
			               " grid cells no candidate reaches"));
		}
		html_textf(h, "; %llu", (unsigned long long)s->iterations);
		html_text(h, T(p, " vòng lặp", " iterations"));
		if (o->cached) {
			html_text(h, T(p, "; lấy lại kết quả đã tính", "; answer from the cache"));
		} else {
			html_text(h, T(p, "; tính trong ", "; computed in "));
			dec(p, s->seconds, 2);
			html_text(h, " s");
		}
		if (s->stopped)
			html_text(h, T(p, " (dừng vì hết thời gian cho phép)",
			               " (stopped by the time limit)"));
		html_close(h, "dd");
	}
	html_raw(h, "</dl>");

	/* the bound by area: n discs of radius R cover at most n pi R^2 */
	double discs = (double)s->n_open * M_PI * sc->radius_km * sc->radius_km;
	double area = m->g.area_km2;
	html_open(h, "p", "class", "plan-limit", "id", "plan-limit", NULL);
	html_textf(h, "%zu ", s->n_open);
	html_text(h, T(p, "vòng tròn bán kính ", "discs of radius "));
	num(p, sc->radius_km);
	html_text(h, T(p, " km phủ tối đa ", " km cover at most "));
	html_int(h, llround(discs));
	html_text(h, T(p, " km² trên ", " km² of Hanoi's "));
	html_int(h, llround(area));
	html_text(h, T(p, " km² của Hà Nội (", " km² ("));
	percent(p, fmin(1, discs / area));
	html_text(h, discs < area ? T(p, "), nên không thể giữ cam kết về khoảng cách ở mọi nơi.",
	                              "), so the distance promise cannot hold everywhere.")
	                          : T(p, "); diện tích không loại trừ việc phủ hết.",
	                              "); area alone does not rule out a full cover."));
	html_close(h, "p");
	html_raw(h, "</section>");
}

static void sites_write(struct web_page *p, const struct plan_model *m, const struct outcome *o)
{
	struct html *h = &p->h;
	const struct solution *s = &o->sol;
	html_elem(h, "h2", T(p, "Các điểm của phương án", "The scenario's points"), NULL);
	html_open(h, "details", "class", "plan-sites", "open", s->n_open <= 30 ? HTML_BOOL : NULL,
	          NULL);
	html_open(h, "summary", NULL);
	html_textf(h, "%zu ", s->n_open);
	html_text(h, T(p, "điểm", "points"));
	html_close(h, "summary");
	html_raw(h, "<div class=\"table-wrap\">");
	html_open(h, "table", "id", "plan-sites", "class", "stack", NULL);
	html_raw(h, "<thead><tr>");
	web_col_heads(p, T(p, "Mã", "Code"), T(p, "Tên", "Name"), T(p, "Loại", "Kind"),
	              T(p, "Xã, phường", "Commune"), T(p, "Vĩ độ, kinh độ", "Latitude, longitude"),
	              NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t k = 0; k < s->n_open && k < PLAN_LIST_MAX; k++) {
		size_t j = s->open[k];
		const struct plan_point *pt = &m->in.sites[j];
		html_raw(h, "<tr>");
		html_elem(h, "th", pt->id, "scope", "row", NULL);
		html_open(h, "td", "data-label", T(p, "Tên", "Name"), NULL);
		site_name(p, m, j);
		html_raw(h, "</td>");
		html_elem(h, "td", site_kind(p, m, j), "data-label", T(p, "Loại", "Kind"), NULL);
		html_elem(h, "td", site_commune_name(m, j), "data-label",
		          T(p, "Xã, phường", "Commune"), NULL);
		html_open(h, "td", "data-label", T(p, "Vĩ độ, kinh độ", "Latitude, longitude"),
		          NULL);
		html_textf(h, "%.4f, %.4f", pt->x, pt->y);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table></div>");
	if (s->n_open > PLAN_LIST_MAX) {
		html_open(h, "p", "class", "muted", NULL);
		html_textf(h, "%s %d / %zu %s", T(p, "Chỉ liệt kê", "Only"), PLAN_LIST_MAX,
		           s->n_open, T(p, "điểm đầu tiên.", "first points are listed."));
		html_close(h, "p");
	}
	html_raw(h, "</details>");
}

static void about_write(struct web_page *p, const struct plan_model *m)
{
	struct html *h = &p->h;
	html_elem(h, "h2", T(p, "Về mô hình", "About the model"), NULL);
	html_raw(h, "<dl class=\"facts\" id=\"plan-model-facts\">");
	dt(p, "Dân số", "Population");
	html_raw(h, "<dd>");
	html_int(h, m->g.population);
	html_text(h, T(p, " người (Tổng điều tra 2019, theo ", " (2019 census, by "));
	html_textf(h, "%zu ", m->g.n_districts);
	html_text(h, T(p, "quận, huyện, thị xã cũ)", "former districts)"));
	html_raw(h, "</dd>");
	dt(p, "Lưới nhu cầu", "Demand grid");
	html_raw(h, "<dd>");
	html_int(h, (int64_t)m->g.n_cells);
	html_text(h, T(p, " ô 500 m trong ", " cells of 500 m in "));
	html_textf(h, "%zu ", m->g.n_communes);
	html_text(h, T(p, "xã, phường; tổng diện tích ", "communes and wards; area "));
	html_int(h, llround(m->g.area_km2));
	html_text(h, " km²");
	html_raw(h, "</dd>");
	dt(p, "Điểm có thể chọn", "Candidate points");
	html_raw(h, "<dd>");
	html_int(h, (int64_t)m->in.n_sites);
	html_textf(h, " (%zu %s, %zu %s, %zu %s, %zu %s)", m->s.n_points,
	           T(p, "điểm phục vụ", "service points"), m->s.n_branches,
	           T(p, "chi nhánh", "branches"), m->s.n_centroids,
	           T(p, "tâm xã, phường", "commune centres"), m->s.n_grid,
	           T(p, "ô lưới 2 km", "2 km grid cells"));
	html_raw(h, "</dd>");
	dt(p, "Thời gian đi lại", "Travel time");
	html_raw(h, "<dd>");
	html_text(h, T(p, "đường chim bay × ", "straight line × "));
	dec(p, m->travel.circuity, 1);
	html_text(h, T(p, ", tốc độ ", ", at "));
	dec(p, m->travel.speed_kmh[GEO_ZONE_URBAN], 0);
	html_text(h, " / ");
	dec(p, m->travel.speed_kmh[GEO_ZONE_SUBURBAN], 0);
	html_text(h, " / ");
	dec(p, m->travel.speed_kmh[GEO_ZONE_RURAL], 0);
	html_text(h, T(p, " km/h (nội đô / ven đô / nông thôn): giả định, chưa đo thực tế",
	               " km/h (urban / suburban / rural): assumptions, not measured"));
	html_raw(h, "</dd></dl>");
	html_elem(h, "p",
	          T(p,
	            "Dân số mỗi quận, huyện cũ được chia đều cho các ô gần trụ sở của nó nhất "
	            "(giữ đúng tổng); ranh giới xã, phường đã được đơn giản hoá. Cùng số liệu "
	            "với lệnh motcua plan hanoi.",
	            "Each former district's population is spread evenly over the cells nearest "
	            "its seat (totals kept exactly); commune boundaries are simplified. The same "
	            "data as the command motcua plan hanoi."),
	          "class", "muted", NULL);
}

static void page(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	struct form f;
	struct scenario sc;
	form_read(&p, &f, &sc);
	const char *title = T(&p, "Quy hoạch mạng lưới điểm phục vụ", "Service network planning");
	if (f.bad) {
		p.status = 400;
		web_begin(&p, title);
		intro(&p);
		web_form_errors(&p, T(&p, "Phương án chưa hợp lệ: hãy sửa các ô được đánh dấu.",
		                      "The scenario is not valid: correct the marked fields."));
		form_write(&p, &f);
		web_end(&p);
		return;
	}
	struct err e;
	err_clear(&e);
	const struct plan_model *m = model_get(&e);
	if (!m) {
		web_fail(&p, &e);
		return;
	}
	struct outcome o;
	if (outcome_compute(m, &sc, &o, &e) != ERR_OK) {
		outcome_release(&o);
		if (e.code == ERR_BUSY)
			http_response_header(res, "Retry-After", "5");
		web_fail(&p, &e);
		return;
	}
	web_begin(&p, title);
	intro(&p);
	quick_links(&p, m);
	form_write(&p, &f);
	results_write(&p, m, &sc, &o);
	html_elem(&p.h, "h2", T(&p, "Bản đồ", "Map"), NULL);
	html_raw(&p.h, "<div class=\"plan-map-wrap\">");
	map_write(&p, m, &sc, &o);
	html_raw(&p.h, "<div class=\"plan-worst\">");
	html_elem(&p.h, "h3", T(&p, "Xã, phường được phục vụ kém nhất", "Worst-served communes"),
	          NULL);
	size_t nw = m->g.n_communes < PLAN_WORST ? m->g.n_communes : PLAN_WORST;
	commune_table(&p, m, o.worst, nw, false, "plan-worst",
	              T(&p, "Tỉ lệ dân trong R km thấp nhất trước, rồi nơi xa nhất",
	                "Lowest share within R km first, then the farthest place"));
	html_raw(&p.h, "</div></div>");
	sites_write(&p, m, &o);
	html_elem(&p.h, "h2", T(&p, "Tất cả xã, phường", "All communes"), NULL);
	html_open(&p.h, "details", "class", "plan-all", NULL);
	html_open(&p.h, "summary", NULL);
	html_textf(&p.h, "%zu ", m->g.n_communes);
	html_text(&p.h, T(&p, "xã, phường, theo thứ tự trên bản đồ",
	                  "communes and wards, in the map's order"));
	html_close(&p.h, "summary");
	commune_table(&p, m, o.rows, m->g.n_communes, true, "plan-all",
	              T(&p, "Mức độ tiếp cận của từng xã, phường", "Access by commune"));
	html_close(&p.h, "details");
	about_write(&p, m);
	outcome_release(&o);
	web_end(&p);
}

const struct http_route web_plan_routes[] = {
        {"GET", "/plan", page, WEB_FORM_MAX},
};
const size_t web_plan_nroutes = sizeof web_plan_routes / sizeof web_plan_routes[0];
