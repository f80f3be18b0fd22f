/*
 * instance: facility-location instances built from CSV text, distances, and
 * sparse coverage lists.
 *
 * The parsers take the text of the files (the caller reads them) and check
 * every field, naming file, line and column in the message. Coverage lists
 * are built with a uniform grid over the sites whose cells are at least one
 * radius wide, so a demand point only looks at the 3 x 3 cells around it.
 */
#include "plan/instance.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "plan/geo.h"

#define CSV_FIELD_MAX  4096 /* longest field accepted */
#define CSV_MAX_FIELDS 64   /* most columns accepted on a line */

/* ------------------------------------------------------------------ */
/* CSV reader (RFC 4180 quoting, CRLF, BOM)                            */

struct csv {
	const char *name; /* "demand", "sites", "matrix" */
	const char *p;
	size_t line;      /* line where the current record starts */
	size_t next_line; /* line after the current record */
	size_t nf;
	char *field[CSV_MAX_FIELDS];
	char *store; /* field text, NUL-separated */
	size_t store_len, store_cap;
};

static void csv_init(struct csv *c, const char *name, const char *text)
{
	memset(c, 0, sizeof *c);
	c->name = name;
	c->p = text ? text : "";
	if ((unsigned char)c->p[0] == 0xEF && (unsigned char)c->p[1] == 0xBB &&
	    (unsigned char)c->p[2] == 0xBF)
		c->p += 3;
	c->next_line = 1;
}

static void csv_release(struct csv *c)
{
	free(c->store);
	c->store = NULL;
}

static int csv_putc(struct csv *c, char ch)
{
	if (c->store_len + 1 >= c->store_cap) {
		size_t cap = c->store_cap ? 2 * c->store_cap : 256;
		char *s = realloc(c->store, cap);
		if (!s)
			return -1;
		c->store = s;
		c->store_cap = cap;
	}
	c->store[c->store_len++] = ch;
	return 0;
}

static bool blank_line(const char *p)
{
	return *p == '\n' || (*p == '\r' && p[1] == '\n') || (*p == '\r' && p[1] == '\0');
}

/*
 * Reads the next non-blank record. Returns 1 with fields in c->field, 0 at
 * end of text, or an error code (with *e filled).
 */
static int csv_next(struct csv *c, struct err *e)
{
	/* skip blank lines */
	while (*c->p && blank_line(c->p)) {
		c->p += (*c->p == '\r' && c->p[1] == '\n') ? 2 : 1;
		c->next_line++;
	}
	if (!*c->p)
		return 0;
	c->line = c->next_line;
	c->nf = 0;
	c->store_len = 0;
	size_t starts[CSV_MAX_FIELDS];
	for (;;) {
		if (c->nf == CSV_MAX_FIELDS)
			return err_set(e, ERR_INVALID_PLAN_DATA,
			               "%s: line %zu: more than %d columns", c->name, c->line,
			               CSV_MAX_FIELDS);
		starts[c->nf] = c->store_len;
		size_t flen = 0;
		if (*c->p == '"') {
			c->p++;
			for (;;) {
				if (!*c->p)
					return err_set(e, ERR_INVALID_PLAN_DATA,
					               "%s: line %zu, column %zu: unterminated "
					               "quoted field",
					               c->name, c->line, c->nf + 1);
				if (*c->p == '"') {
					if (c->p[1] == '"') {
						c->p++;
					} else {
						c->p++;
						break;
					}
				} else if (*c->p == '\n') {
					c->next_line++;
				}
				if (++flen > CSV_FIELD_MAX)
					return err_set(e, ERR_INVALID_PLAN_DATA,
					               "%s: line %zu, column %zu: field longer "
					               "than %d bytes",
					               c->name, c->line, c->nf + 1, CSV_FIELD_MAX);
				if (csv_putc(c, *c->p) < 0)
					return err_set(e, ERR_NO_MEMORY, "%s: line %zu", c->name,
					               c->line);
				c->p++;
			}
			if (*c->p && *c->p != ',' && *c->p != '\n' &&
			    !(*c->p == '\r' && (c->p[1] == '\n' || !c->p[1])))
				return err_set(
				        e, ERR_INVALID_PLAN_DATA,
				        "%s: line %zu, column %zu: text after the closing quote",
				        c->name, c->line, c->nf + 1);
		} else {
			while (*c->p && *c->p != ',' && *c->p != '\n' &&
			       !(*c->p == '\r' && (c->p[1] == '\n' || !c->p[1]))) {
				if (++flen > CSV_FIELD_MAX)
					return err_set(e, ERR_INVALID_PLAN_DATA,
					               "%s: line %zu, column %zu: field longer "
					               "than %d bytes",
					               c->name, c->line, c->nf + 1, CSV_FIELD_MAX);
				if (csv_putc(c, *c->p) < 0)
					return err_set(e, ERR_NO_MEMORY, "%s: line %zu", c->name,
					               c->line);
				c->p++;
			}
		}
		if (csv_putc(c, '\0') < 0)
			return err_set(e, ERR_NO_MEMORY, "%s: line %zu", c->name, c->line);
		c->nf++;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		/* end of record */
		if (*c->p == '\r')
			c->p++;
		if (*c->p == '\n')
			c->p++;
		c->next_line++;
		break;
	}
	for (size_t i = 0; i < c->nf; i++)
		c->field[i] = c->store + starts[i];
	return 1;
}

/* ------------------------------------------------------------------ */
/* Field checks                                                        */

static void trim_copy(char *dst, size_t n, const char *src)
{
	while (*src == ' ' || *src == '\t')
		src++;
	size_t len = strlen(src);
	while (len > 0 && (src[len - 1] == ' ' || src[len - 1] == '\t'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static enum err_code parse_number(const struct csv *c, size_t col, const char *what, double *out,
                                  struct err *e)
{
	const char *s = c->field[col];
	char tmp[128];
	trim_copy(tmp, sizeof tmp, s);
	if (strlen(s) >= sizeof tmp || !tmp[0])
		goto bad;
	/* digits, sign, point and exponent only: no "nan", "inf" or hex */
	for (const char *q = tmp; *q; q++)
		if (!isdigit((unsigned char)*q) && *q != '-' && *q != '+' && *q != '.' &&
		    *q != 'e' && *q != 'E')
			goto bad;
	char *end = NULL;
	double v = strtod(tmp, &end);
	if (!end || *end || end == tmp)
		goto bad;
	if (!isfinite(v))
		return err_set(e, ERR_INVALID_PLAN_DATA,
		               "%s: line %zu, column %zu (%s): value '%.40s' is not finite",
		               c->name, c->line, col + 1, what, s);
	*out = v;
	return ERR_OK;
bad:
	return err_set(e, ERR_INVALID_PLAN_DATA,
	               "%s: line %zu, column %zu (%s): '%.40s' is not a number", c->name, c->line,
	               col + 1, what, s);
}

static enum err_code check_id(const struct csv *c, size_t col, char *dst, struct err *e)
{
	const char *s = c->field[col];
	size_t len = strlen(s);
	if (len == 0)
		return err_set(e, ERR_INVALID_PLAN_DATA, "%s: line %zu, column %zu: empty id",
		               c->name, c->line, col + 1);
	if (len >= PLAN_ID_MAX)
		return err_set(e, ERR_INVALID_PLAN_DATA,
		               "%s: line %zu, column %zu: id '%.40s...' longer than %d bytes",
		               c->name, c->line, col + 1, s, PLAN_ID_MAX - 1);
	if (!str_valid_utf8(s, PLAN_ID_MAX))
		return err_set(e, ERR_INVALID_PLAN_DATA,
		               "%s: line %zu, column %zu: id is not valid UTF-8", c->name, c->line,
		               col + 1);
	memcpy(dst, s, len + 1);
	return ERR_OK;
}

/* ------------------------------------------------------------------ */
/* Id hash table (open addressing, FNV-1a)                             */

struct idmap {
	size_t cap;   /* power of two */
	size_t *slot; /* index + 1, 0 = empty */
	const struct plan_point *pts;
};

static uint64_t hash_id(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static int idmap_init(struct idmap *m, const struct plan_point *pts, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n + 2)
		cap *= 2;
	m->cap = cap;
	m->pts = pts;
	m->slot = calloc(cap, sizeof *m->slot);
	return m->slot ? 0 : -1;
}

static void idmap_release(struct idmap *m)
{
	free(m->slot);
	m->slot = NULL;
}

/* Returns the index of id, or SIZE_MAX. */
static size_t idmap_find(const struct idmap *m, const char *id)
{
	size_t h = (size_t)hash_id(id) & (m->cap - 1);
	while (m->slot[h]) {
		size_t k = m->slot[h] - 1;
		if (strcmp(m->pts[k].id, id) == 0)
			return k;
		h = (h + 1) & (m->cap - 1);
	}
	return SIZE_MAX;
}

/* Inserts index k (pts[k].id); returns the earlier index when the id exists, else SIZE_MAX. */
static size_t idmap_insert(struct idmap *m, size_t k)
{
	size_t h = (size_t)hash_id(m->pts[k].id) & (m->cap - 1);
	while (m->slot[h]) {
		size_t o = m->slot[h] - 1;
		if (strcmp(m->pts[o].id, m->pts[k].id) == 0)
			return o;
		h = (h + 1) & (m->cap - 1);
	}
	m->slot[h] = k + 1;
	return SIZE_MAX;
}

/* ------------------------------------------------------------------ */
/* Instance                                                            */

double plan_instance_dist(const struct plan_instance *in, size_t i, size_t j)
{
	if (in->dist)
		return in->dist[i * in->n_sites + j];
	const struct plan_point *a = &in->demand[i], *b = &in->sites[j];
	if (in->coords == PLAN_COORDS_LATLON)
		return geo_haversine(a->x, a->y, b->x, b->y);
	if (in->coords == PLAN_COORDS_METRES)
		return geo_euclid(a->x, a->y, b->x, b->y);
	return PLAN_UNREACHABLE;
}

void plan_instance_release(struct plan_instance *in)
{
	if (!in)
		return;
	free(in->demand);
	free(in->sites);
	free(in->dist);
	memset(in, 0, sizeof *in);
}

enum err_code plan_instance_alloc(struct plan_instance *in, enum plan_coords coords,
                                  size_t n_demand, size_t n_sites, struct err *e)
{
	memset(in, 0, sizeof *in);
	if (n_demand > PLAN_MAX_POINTS || n_sites > PLAN_MAX_POINTS)
		return err_set(e, ERR_OUT_OF_RANGE, "instance of %zu x %zu points is too large",
		               n_demand, n_sites);
	if (coords == PLAN_COORDS_MATRIX && n_sites && n_demand > PLAN_MAX_MATRIX_CELLS / n_sites)
		return err_set(e, ERR_OUT_OF_RANGE,
		               "distance matrix of %zu x %zu is larger than %u cells", n_demand,
		               n_sites, PLAN_MAX_MATRIX_CELLS);
	in->coords = coords;
	in->demand = calloc(n_demand ? n_demand : 1, sizeof *in->demand);
	in->sites = calloc(n_sites ? n_sites : 1, sizeof *in->sites);
	if (!in->demand || !in->sites)
		goto oom;
	if (coords == PLAN_COORDS_MATRIX) {
		size_t cells = n_demand * n_sites;
		in->dist = malloc((cells ? cells : 1) * sizeof *in->dist);
		if (!in->dist)
			goto oom;
		for (size_t k = 0; k < cells; k++)
			in->dist[k] = PLAN_UNREACHABLE;
	}
	in->n_demand = n_demand;
	in->n_sites = n_sites;
	return ERR_OK;
oom:
	plan_instance_release(in);
	return err_set(e, ERR_NO_MEMORY, "instance of %zu x %zu points", n_demand, n_sites);
}

enum err_code plan_instance_precompute(struct plan_instance *in, struct err *e)
{
	if (in->dist)
		return ERR_OK;
	if (in->n_sites && in->n_demand > PLAN_MAX_MATRIX_CELLS / in->n_sites)
		return err_set(e, ERR_OUT_OF_RANGE,
		               "distance matrix of %zu x %zu is larger than %u cells", in->n_demand,
		               in->n_sites, PLAN_MAX_MATRIX_CELLS);
	size_t cells = in->n_demand * in->n_sites;
	double *d = malloc((cells ? cells : 1) * sizeof *d);
	if (!d)
		return err_set(e, ERR_NO_MEMORY, "distance matrix of %zu x %zu", in->n_demand,
		               in->n_sites);
	for (size_t i = 0; i < in->n_demand; i++)
		for (size_t j = 0; j < in->n_sites; j++)
			d[i * in->n_sites + j] = plan_instance_dist(in, i, j);
	in->dist = d;
	return ERR_OK;
}

double plan_instance_total_weight(const struct plan_instance *in)
{
	double t = 0;
	for (size_t i = 0; i < in->n_demand; i++)
		t += in->demand[i].weight;
	return t;
}

size_t plan_instance_find_site(const struct plan_instance *in, const char *id)
{
	for (size_t j = 0; j < in->n_sites; j++)
		if (strcmp(in->sites[j].id, id) == 0)
			return j;
	return SIZE_MAX;
}

size_t plan_instance_find_demand(const struct plan_instance *in, const char *id)
{
	for (size_t i = 0; i < in->n_demand; i++)
		if (strcmp(in->demand[i].id, id) == 0)
			return i;
	return SIZE_MAX;
}

/* ------------------------------------------------------------------ */
/* Point files                                                         */

enum { COL_ID, COL_X, COL_Y, COL_LAT, COL_LON, COL_WEIGHT, COL_ZONE, COL__N };
static const char *const col_names[COL__N] = {"id", "x", "y", "lat", "lon", "weight", "zone"};

/* Kind of coordinates found in a header. */
enum kind { KIND_NONE, KIND_METRES, KIND_LATLON };

struct points {
	struct plan_point *pt;
	size_t n, cap;
	enum kind kind;
};

static enum err_code grow_points(struct points *ps, const char *name, struct err *e)
{
	if (ps->n < ps->cap)
		return ERR_OK;
	if (ps->n >= PLAN_MAX_POINTS)
		return err_set(e, ERR_OUT_OF_RANGE, "%s: more than %u rows", name, PLAN_MAX_POINTS);
	size_t cap = ps->cap ? 2 * ps->cap : 64;
	if (cap > PLAN_MAX_POINTS)
		cap = PLAN_MAX_POINTS;
	struct plan_point *p = realloc(ps->pt, cap * sizeof *p);
	if (!p)
		return err_set(e, ERR_NO_MEMORY, "%s: %zu rows", name, cap);
	ps->pt = p;
	ps->cap = cap;
	return ERR_OK;
}

/*
 * Parses a point file. demand: weight (and zone) columns; coords_optional:
 * the coordinate columns may be absent (a matrix gives the distances).
 */
static enum err_code parse_points(const char *name, const char *text, bool demand,
                                  bool coords_optional, struct points *ps, struct err *e)
{
	struct csv c;
	enum err_code rc = ERR_OK;
	size_t col[COL__N];
	struct idmap map = {0};
	memset(ps, 0, sizeof *ps);
	csv_init(&c, name, text);

	int r = csv_next(&c, e);
	if (r == 0) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "%s: empty file (no header line)", name);
		goto out;
	}
	if (r != 1) {
		rc = (enum err_code)r;
		goto out;
	}
	for (int k = 0; k < COL__N; k++)
		col[k] = SIZE_MAX;
	for (size_t f = 0; f < c.nf; f++) {
		char h[32];
		trim_copy(h, sizeof h, c.field[f]);
		for (int k = 0; k < COL__N; k++) {
			if (strcasecmp(h, col_names[k]) != 0)
				continue;
			if ((k == COL_WEIGHT || k == COL_ZONE) && !demand)
				continue;
			if (col[k] != SIZE_MAX) {
				rc = err_set(e, ERR_INVALID_PLAN_DATA,
				             "%s: line %zu, column %zu: column '%s' appears twice",
				             name, c.line, f + 1, col_names[k]);
				goto out;
			}
			col[k] = f;
		}
	}
	const char *want = demand ? "id,x,y,weight or id,lat,lon,weight" : "id,x,y or id,lat,lon";
	if (col[COL_ID] == SIZE_MAX) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "%s: line %zu: missing column 'id' (header %s)", name, c.line, want);
		goto out;
	}
	if (demand && col[COL_WEIGHT] == SIZE_MAX) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "%s: line %zu: missing column 'weight' (header %s)", name, c.line,
		             want);
		goto out;
	}
	bool has_xy = col[COL_X] != SIZE_MAX || col[COL_Y] != SIZE_MAX;
	bool has_ll = col[COL_LAT] != SIZE_MAX || col[COL_LON] != SIZE_MAX;
	if (has_xy && has_ll) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "%s: line %zu: both x,y and lat,lon columns; give one kind", name,
		             c.line);
		goto out;
	}
	if (has_xy) {
		ps->kind = KIND_METRES;
		const char *miss = col[COL_X] == SIZE_MAX   ? "x"
		                   : col[COL_Y] == SIZE_MAX ? "y"
		                                            : NULL;
		if (miss) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA, "%s: line %zu: missing column '%s'",
			             name, c.line, miss);
			goto out;
		}
	} else if (has_ll) {
		ps->kind = KIND_LATLON;
		const char *miss = col[COL_LAT] == SIZE_MAX   ? "lat"
		                   : col[COL_LON] == SIZE_MAX ? "lon"
		                                              : NULL;
		if (miss) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA, "%s: line %zu: missing column '%s'",
			             name, c.line, miss);
			goto out;
		}
	} else if (!coords_optional) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA,
		             "%s: line %zu: missing coordinate columns (header %s)", name, c.line,
		             want);
		goto out;
	}
	size_t ncols = c.nf;
	size_t cx = ps->kind == KIND_LATLON ? col[COL_LAT] : col[COL_X];
	size_t cy = ps->kind == KIND_LATLON ? col[COL_LON] : col[COL_Y];

	while ((r = csv_next(&c, e)) == 1) {
		if (c.nf != ncols) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "%s: line %zu: %zu columns where the header has %zu", name,
			             c.line, c.nf, ncols);
			goto out;
		}
		if ((rc = grow_points(ps, name, e)) != ERR_OK)
			goto out;
		struct plan_point *pt = &ps->pt[ps->n];
		memset(pt, 0, sizeof *pt);
		if ((rc = check_id(&c, col[COL_ID], pt->id, e)) != ERR_OK)
			goto out;
		if (ps->kind != KIND_NONE) {
			const char *wx = ps->kind == KIND_LATLON ? "lat" : "x";
			const char *wy = ps->kind == KIND_LATLON ? "lon" : "y";
			if ((rc = parse_number(&c, cx, wx, &pt->x, e)) != ERR_OK ||
			    (rc = parse_number(&c, cy, wy, &pt->y, e)) != ERR_OK)
				goto out;
			if (ps->kind == KIND_LATLON && (pt->x < -90 || pt->x > 90)) {
				rc = err_set(
				        e, ERR_INVALID_PLAN_DATA,
				        "%s: line %zu, column %zu (lat): %g is outside [-90, 90]",
				        name, c.line, cx + 1, pt->x);
				goto out;
			}
			if (ps->kind == KIND_LATLON && (pt->y < -180 || pt->y > 180)) {
				rc = err_set(
				        e, ERR_INVALID_PLAN_DATA,
				        "%s: line %zu, column %zu (lon): %g is outside [-180, 180]",
				        name, c.line, cy + 1, pt->y);
				goto out;
			}
		}
		if (demand) {
			if ((rc = parse_number(&c, col[COL_WEIGHT], "weight", &pt->weight, e)) !=
			    ERR_OK)
				goto out;
			if (pt->weight < 0) {
				rc = err_set(
				        e, ERR_INVALID_PLAN_DATA,
				        "%s: line %zu, column %zu (weight): negative weight %g",
				        name, c.line, col[COL_WEIGHT] + 1, pt->weight);
				goto out;
			}
			if (pt->weight == 0)
				pt->weight = 0; /* no negative zero */
			if (col[COL_ZONE] != SIZE_MAX) {
				char z[32];
				trim_copy(z, sizeof z, c.field[col[COL_ZONE]]);
				int zone = geo_zone_parse(z);
				if (zone < 0) {
					rc = err_set(
					        e, ERR_INVALID_PLAN_DATA,
					        "%s: line %zu, column %zu (zone): '%.40s' is not "
					        "urban, suburban or rural",
					        name, c.line, col[COL_ZONE] + 1,
					        c.field[col[COL_ZONE]]);
					goto out;
				}
				pt->zone = zone;
			}
		}
		ps->n++;
	}
	if (r != 0) {
		rc = (enum err_code)r;
		goto out;
	}
	if (ps->n == 0) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "%s: no data rows after the header", name);
		goto out;
	}
	/* duplicate ids: name both lines (data rows start on line 2 or later) */
	if (idmap_init(&map, ps->pt, ps->n) < 0) {
		rc = err_set(e, ERR_NO_MEMORY, "%s: id table", name);
		goto out;
	}
	for (size_t k = 0; k < ps->n; k++) {
		size_t o = idmap_insert(&map, k);
		if (o != SIZE_MAX) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "%s: duplicate id '%s' (data rows %zu and %zu), column %zu",
			             name, ps->pt[k].id, o + 1, k + 1, col[COL_ID] + 1);
			goto out;
		}
	}
out:
	idmap_release(&map);
	csv_release(&c);
	if (rc != ERR_OK) {
		free(ps->pt);
		memset(ps, 0, sizeof *ps);
	}
	return rc;
}

static enum err_code parse_matrix(struct plan_instance *in, const char *text, struct err *e)
{
	struct csv c;
	enum err_code rc = ERR_OK;
	struct idmap dmap = {0}, smap = {0};
	csv_init(&c, "matrix", text);
	int r = csv_next(&c, e);
	if (r == 0) {
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "matrix: empty file (no header line)");
		goto out;
	}
	if (r != 1) {
		rc = (enum err_code)r;
		goto out;
	}
	static const char *const names[3] = {"demand_id", "site_id", "distance"};
	size_t col[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
	for (size_t f = 0; f < c.nf; f++) {
		char h[32];
		trim_copy(h, sizeof h, c.field[f]);
		for (int k = 0; k < 3; k++)
			if (strcasecmp(h, names[k]) == 0) {
				if (col[k] != SIZE_MAX) {
					rc = err_set(e, ERR_INVALID_PLAN_DATA,
					             "matrix: line %zu, column %zu: column '%s' "
					             "appears twice",
					             c.line, f + 1, names[k]);
					goto out;
				}
				col[k] = f;
			}
	}
	for (int k = 0; k < 3; k++)
		if (col[k] == SIZE_MAX) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "matrix: line %zu: missing column '%s' (header "
			             "demand_id,site_id,distance)",
			             c.line, names[k]);
			goto out;
		}
	size_t ncols = c.nf;
	if (idmap_init(&dmap, in->demand, in->n_demand) < 0 ||
	    idmap_init(&smap, in->sites, in->n_sites) < 0) {
		rc = err_set(e, ERR_NO_MEMORY, "matrix: id tables");
		goto out;
	}
	for (size_t k = 0; k < in->n_demand; k++)
		idmap_insert(&dmap, k);
	for (size_t k = 0; k < in->n_sites; k++)
		idmap_insert(&smap, k);
	size_t rows = 0;
	while ((r = csv_next(&c, e)) == 1) {
		if (c.nf != ncols) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "matrix: line %zu: %zu columns where the header has %zu",
			             c.line, c.nf, ncols);
			goto out;
		}
		size_t i = idmap_find(&dmap, c.field[col[0]]);
		if (i == SIZE_MAX) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "matrix: line %zu, column %zu: unknown demand id '%.63s'",
			             c.line, col[0] + 1, c.field[col[0]]);
			goto out;
		}
		size_t j = idmap_find(&smap, c.field[col[1]]);
		if (j == SIZE_MAX) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "matrix: line %zu, column %zu: unknown site id '%.63s'",
			             c.line, col[1] + 1, c.field[col[1]]);
			goto out;
		}
		double d;
		if ((rc = parse_number(&c, col[2], "distance", &d, e)) != ERR_OK)
			goto out;
		if (d < 0) {
			rc = err_set(
			        e, ERR_INVALID_PLAN_DATA,
			        "matrix: line %zu, column %zu (distance): negative distance %g",
			        c.line, col[2] + 1, d);
			goto out;
		}
		if (d >= PLAN_UNREACHABLE) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "matrix: line %zu, column %zu (distance): %g is too large",
			             c.line, col[2] + 1, d);
			goto out;
		}
		double *cell = &in->dist[i * in->n_sites + j];
		if (*cell != PLAN_UNREACHABLE) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "matrix: line %zu: pair '%s','%s' listed twice", c.line,
			             in->demand[i].id, in->sites[j].id);
			goto out;
		}
		*cell = d == 0 ? 0 : d;
		rows++;
	}
	if (r != 0) {
		rc = (enum err_code)r;
		goto out;
	}
	if (rows == 0)
		rc = err_set(e, ERR_INVALID_PLAN_DATA, "matrix: no data rows after the header");
out:
	idmap_release(&dmap);
	idmap_release(&smap);
	csv_release(&c);
	return rc;
}

enum err_code plan_instance_parse(struct plan_instance *in, const char *demand_csv,
                                  const char *sites_csv, const char *matrix_csv, struct err *e)
{
	struct points dp = {0}, sp = {0};
	enum err_code rc;
	bool matrix = matrix_csv != NULL;
	memset(in, 0, sizeof *in);
	if ((rc = parse_points("demand", demand_csv, true, matrix, &dp, e)) != ERR_OK)
		goto out;
	if (sites_csv) {
		if ((rc = parse_points("sites", sites_csv, false, matrix, &sp, e)) != ERR_OK)
			goto out;
		if (dp.kind != KIND_NONE && sp.kind != KIND_NONE && dp.kind != sp.kind) {
			rc = err_set(
			        e, ERR_INVALID_PLAN_DATA,
			        "sites: line 1: coordinates are %s but the demand file's are %s",
			        sp.kind == KIND_LATLON ? "lat,lon" : "x,y",
			        dp.kind == KIND_LATLON ? "lat,lon" : "x,y");
			goto out;
		}
		if (!matrix && dp.kind == KIND_NONE) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "demand: missing coordinate columns");
			goto out;
		}
	}
	size_t ns = sites_csv ? sp.n : dp.n;
	enum plan_coords coords = matrix                   ? PLAN_COORDS_MATRIX
	                          : dp.kind == KIND_LATLON ? PLAN_COORDS_LATLON
	                                                   : PLAN_COORDS_METRES;
	if ((rc = plan_instance_alloc(in, coords, dp.n, ns, e)) != ERR_OK)
		goto out;
	memcpy(in->demand, dp.pt, dp.n * sizeof *dp.pt);
	if (sites_csv) {
		memcpy(in->sites, sp.pt, sp.n * sizeof *sp.pt);
	} else {
		for (size_t k = 0; k < dp.n; k++) {
			in->sites[k] = dp.pt[k];
			in->sites[k].weight = 0;
			in->sites[k].zone = 0;
		}
	}
	if (matrix && (rc = parse_matrix(in, matrix_csv, e)) != ERR_OK)
		plan_instance_release(in);
out:
	free(dp.pt);
	free(sp.pt);
	return rc;
}

enum err_code plan_instance_parse_site_list(const struct plan_instance *in, const char *text,
                                            size_t **out, size_t *n_out, struct err *e)
{
	struct csv c;
	enum err_code rc = ERR_OK;
	size_t *list = NULL, n = 0, cap = 0;
	bool *seen = calloc(in->n_sites ? in->n_sites : 1, sizeof *seen);
	*out = NULL;
	*n_out = 0;
	if (!seen)
		return err_set(e, ERR_NO_MEMORY, "site list");
	csv_init(&c, "fixed", text);
	int r;
	bool first = true;
	while ((r = csv_next(&c, e)) == 1) {
		const char *id = c.field[0];
		size_t j = plan_instance_find_site(in, id);
		if (first && j == SIZE_MAX && strcasecmp(id, "id") == 0) {
			first = false;
			continue;
		}
		first = false;
		if (j == SIZE_MAX) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "fixed: line %zu, column 1: unknown site id '%.63s'", c.line,
			             id);
			goto out;
		}
		if (seen[j]) {
			rc = err_set(e, ERR_INVALID_PLAN_DATA,
			             "fixed: line %zu, column 1: site '%s' listed twice", c.line,
			             id);
			goto out;
		}
		seen[j] = true;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			size_t *l = realloc(list, cap * sizeof *l);
			if (!l) {
				rc = err_set(e, ERR_NO_MEMORY, "site list");
				goto out;
			}
			list = l;
		}
		list[n++] = j;
	}
	if (r != 0)
		rc = (enum err_code)r;
out:
	csv_release(&c);
	free(seen);
	if (rc != ERR_OK) {
		free(list);
		return rc;
	}
	*out = list;
	*n_out = n;
	return ERR_OK;
}

/* ------------------------------------------------------------------ */
/* Coverage lists                                                      */

void plan_cover_release(struct plan_cover *c)
{
	if (!c)
		return;
	free(c->d_start);
	free(c->d_sites);
	free(c->s_start);
	free(c->s_demand);
	memset(c, 0, sizeof *c);
}

struct pairs {
	uint32_t *a;
	size_t n, cap;
};

static int pairs_push(struct pairs *p, uint32_t j)
{
	if (p->n == p->cap) {
		if (p->n >= PLAN_COVER_MAX_PAIRS)
			return -2;
		size_t cap = p->cap ? 2 * p->cap : 1024;
		if (cap > PLAN_COVER_MAX_PAIRS)
			cap = PLAN_COVER_MAX_PAIRS;
		uint32_t *a = realloc(p->a, cap * sizeof *a);
		if (!a)
			return -1;
		p->a = a;
		p->cap = cap;
	}
	p->a[p->n++] = j;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Grid over the sites: cells of w x h (in the grid's coordinates), CSR by cell. */
struct grid {
	double x0, y0, w, h;
	size_t nx, ny;
	size_t *start;  /* nx * ny + 1 */
	uint32_t *site; /* n_sites */
};

static void grid_release(struct grid *g)
{
	free(g->start);
	free(g->site);
}

static size_t cell_of(double v, double v0, double size, size_t n)
{
	double c = floor((v - v0) / size);
	if (!(c >= 0))
		return 0;
	if (c >= (double)(n - 1))
		return n - 1;
	return (size_t)c;
}

/* Builds a grid with cells at least w wide and h high (w, h > 0, or 0 = one cell). */
static int grid_build(struct grid *g, const struct plan_instance *in, double w, double h)
{
	memset(g, 0, sizeof *g);
	size_t ns = in->n_sites;
	double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
	for (size_t j = 0; j < ns; j++) {
		x0 = fmin(x0, in->sites[j].x);
		x1 = fmax(x1, in->sites[j].x);
		y0 = fmin(y0, in->sites[j].y);
		y1 = fmax(y1, in->sites[j].y);
	}
	double sx = x1 - x0, sy = y1 - y0;
	/* at most about 4 cells per site: larger cells stay correct, only slower */
	double maxcells = 4.0 * (double)ns + 16.0;
	if (!(w > 0) || !isfinite(sx))
		w = INFINITY; /* one column */
	if (!(h > 0) || !isfinite(sy))
		h = INFINITY;
	double nxd = floor(sx / w) + 1;
	double nyd = floor(sy / h) + 1;
	while (nxd * nyd > maxcells) {
		if (nxd >= nyd) {
			w = w * 2;
			nxd = floor(sx / w) + 1;
		} else {
			h = h * 2;
			nyd = floor(sy / h) + 1;
		}
	}
	g->x0 = x0;
	g->y0 = y0;
	g->nx = (size_t)nxd;
	g->ny = (size_t)nyd;
	g->w = g->nx > 1 ? w : INFINITY;
	g->h = g->ny > 1 ? h : INFINITY;
	size_t ncell = g->nx * g->ny;
	g->start = calloc(ncell + 1, sizeof *g->start);
	g->site = malloc((ns ? ns : 1) * sizeof *g->site);
	if (!g->start || !g->site)
		return -1;
	for (size_t j = 0; j < ns; j++) {
		size_t k = cell_of(in->sites[j].y, y0, g->h, g->ny) * g->nx +
		           cell_of(in->sites[j].x, x0, g->w, g->nx);
		g->start[k + 1]++;
	}
	for (size_t k = 0; k < ncell; k++)
		g->start[k + 1] += g->start[k];
	size_t *fill = malloc((ncell ? ncell : 1) * sizeof *fill);
	if (!fill)
		return -1;
	memcpy(fill, g->start, ncell * sizeof *fill);
	for (size_t j = 0; j < ns; j++) {
		size_t k = cell_of(in->sites[j].y, y0, g->h, g->ny) * g->nx +
		           cell_of(in->sites[j].x, x0, g->w, g->nx);
		g->site[fill[k]++] = (uint32_t)j;
	}
	free(fill);
	return 0;
}

/* Range of cells [lo, hi] within one cell of v; false when none. */
static bool cell_range(double v, double v0, double size, size_t n, size_t *lo, size_t *hi)
{
	if (n == 1) {
		*lo = *hi = 0;
		return true;
	}
	double c = floor((v - v0) / size);
	double l = c - 1, u = c + 1;
	if (u < 0 || l > (double)(n - 1) || !(c == c))
		return false;
	*lo = l < 0 ? 0 : (size_t)l;
	*hi = u > (double)(n - 1) ? n - 1 : (size_t)u;
	return true;
}

#define RAD_TO_DEG (180.0 / 3.14159265358979323846)

enum err_code plan_cover_build_radii(struct plan_cover *c, const struct plan_instance *in,
                                     const double *radius, struct err *e)
{
	enum err_code rc = ERR_OK;
	struct pairs pr = {0};
	struct grid g = {0};
	size_t nd = in->n_demand, ns = in->n_sites;
	memset(c, 0, sizeof *c);
	if (nd > UINT32_MAX || ns > UINT32_MAX)
		return err_set(e, ERR_OUT_OF_RANGE, "instance too large for coverage lists");
	double rmax = -1;
	for (size_t i = 0; i < nd; i++) {
		if (isnan(radius[i]) || radius[i] >= PLAN_UNREACHABLE)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "radius %g of demand '%s' is invalid", radius[i],
			               in->demand[i].id);
		rmax = fmax(rmax, radius[i]);
	}
	c->n_demand = nd;
	c->n_sites = ns;
	c->d_start = calloc(nd + 1, sizeof *c->d_start);
	c->s_start = calloc(ns + 1, sizeof *c->s_start);
	if (!c->d_start || !c->s_start)
		goto oom;

	bool geometry = !in->dist && in->coords != PLAN_COORDS_MATRIX && rmax >= 0 && ns > 0;
	bool latlon = in->coords == PLAN_COORDS_LATLON;
	if (geometry) {
		double w, h;
		if (!latlon) {
			w = h = rmax * (1 + 1e-9) + 1e-9;
		} else {
			/*
			 * Two points within angle t of each other differ by at most t in
			 * latitude, and (haversine) by at most 2 asin(sin(t/2) / cos(phi))
			 * in longitude, phi the largest |latitude| of the two.
			 */
			double t = rmax / GEO_EARTH_RADIUS_M;
			double phi = 0, lo0 = INFINITY, lo1 = -INFINITY;
			for (size_t i = 0; i < nd; i++) {
				phi = fmax(phi, fabs(in->demand[i].x));
				lo0 = fmin(lo0, in->demand[i].y);
				lo1 = fmax(lo1, in->demand[i].y);
			}
			for (size_t j = 0; j < ns; j++) {
				phi = fmax(phi, fabs(in->sites[j].x));
				lo0 = fmin(lo0, in->sites[j].y);
				lo1 = fmax(lo1, in->sites[j].y);
			}
			double cphi = cos(phi / RAD_TO_DEG);
			double s = t >= 3.14159265358979323846 ? 2
			                                       : sin(t / 2) / (cphi > 0 ? cphi : 0);
			double dlon = s >= 1 || !isfinite(s) ? 360 : 2 * asin(s) * RAD_TO_DEG;
			h = t * RAD_TO_DEG * (1 + 1e-9) + 1e-12;
			if (h >= 180)
				h = 0;
			/* near the antimeridian a pair may be close the other way round: one column
			 */
			if (dlon >= 180 || 360 - (lo1 - lo0) <= dlon * (1 + 1e-9))
				w = 0;
			else
				w = dlon * (1 + 1e-9) + 1e-12;
		}
		/* the grid's x is the point's x (latitude for lat/lon), its y the y (longitude) */
		if (grid_build(&g, in, latlon ? h : w, latlon ? w : h) < 0)
			goto oom;
	}

	for (size_t i = 0; i < nd; i++) {
		double r = radius[i];
		size_t first = pr.n;
		if (r >= 0 && ns > 0) {
			if (geometry) {
				const struct plan_point *d = &in->demand[i];
				size_t xl, xh, yl, yh;
				if (cell_range(d->x, g.x0, g.w, g.nx, &xl, &xh) &&
				    cell_range(d->y, g.y0, g.h, g.ny, &yl, &yh)) {
					for (size_t cy = yl; cy <= yh; cy++)
						for (size_t cx = xl; cx <= xh; cx++) {
							size_t k = cy * g.nx + cx;
							for (size_t q = g.start[k];
							     q < g.start[k + 1]; q++) {
								uint32_t j = g.site[q];
								if (plan_instance_dist(in, i, j) <=
								    r) {
									int pe = pairs_push(&pr, j);
									if (pe == -1)
										goto oom;
									if (pe == -2)
										goto toomany;
								}
							}
						}
				}
				if (pr.n - first > 1)
					qsort(pr.a + first, pr.n - first, sizeof *pr.a, cmp_u32);
			} else {
				for (size_t j = 0; j < ns; j++)
					if (plan_instance_dist(in, i, j) <= r) {
						int pe = pairs_push(&pr, (uint32_t)j);
						if (pe == -1)
							goto oom;
						if (pe == -2)
							goto toomany;
					}
			}
		}
		c->d_start[i + 1] = pr.n;
	}
	c->n_pairs = pr.n;
	c->d_sites = pr.a ? pr.a : malloc(sizeof *c->d_sites);
	pr.a = NULL;
	c->s_demand = malloc((c->n_pairs ? c->n_pairs : 1) * sizeof *c->s_demand);
	if (!c->d_sites || !c->s_demand)
		goto oom;
	for (size_t q = 0; q < c->n_pairs; q++)
		c->s_start[c->d_sites[q] + 1]++;
	for (size_t j = 0; j < ns; j++)
		c->s_start[j + 1] += c->s_start[j];
	{
		size_t *fill = malloc((ns ? ns : 1) * sizeof *fill);
		if (!fill)
			goto oom;
		memcpy(fill, c->s_start, ns * sizeof *fill);
		for (size_t i = 0; i < nd; i++)
			for (size_t q = c->d_start[i]; q < c->d_start[i + 1]; q++)
				c->s_demand[fill[c->d_sites[q]]++] = (uint32_t)i;
		free(fill);
	}
	goto out;
toomany:
	rc = err_set(e, ERR_OUT_OF_RANGE,
	             "coverage lists longer than %u pairs; use a smaller radius",
	             PLAN_COVER_MAX_PAIRS);
	goto fail;
oom:
	rc = err_set(e, ERR_NO_MEMORY, "coverage lists");
fail:
	free(pr.a);
	plan_cover_release(c);
out:
	grid_release(&g);
	return rc;
}

enum err_code plan_cover_build(struct plan_cover *c, const struct plan_instance *in, double radius,
                               struct err *e)
{
	memset(c, 0, sizeof *c);
	if (!isfinite(radius) || radius < 0 || radius >= PLAN_UNREACHABLE)
		return err_set(e, ERR_INVALID_ARGUMENT, "radius %g must be finite and >= 0",
		               radius);
	double *r = malloc((in->n_demand ? in->n_demand : 1) * sizeof *r);
	if (!r)
		return err_set(e, ERR_NO_MEMORY, "coverage radii");
	for (size_t i = 0; i < in->n_demand; i++)
		r[i] = radius;
	enum err_code rc = plan_cover_build_radii(c, in, r, e);
	free(r);
	return rc;
}
