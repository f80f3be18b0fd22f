/*
 * indicators: counting (live and in batches), reading, verifying and
 * scoring the service-quality indicators (see indicators.h; the rules of
 * what each event counts are in domain/indicator_rules.c, the SQL in
 * db/db_indicators.c, the meaning of each figure in docs/indicators.md).
 */
#include "service/indicators.h"

#include "embedded_data.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "db/db_indicators.h"
#include "domain/indicator_rules.h"
#include "domain/lifecycle.h"

_Static_assert((int)IND_DIM_CITY == (int)INDR_CITY && (int)IND_DIM_AGENCY == (int)INDR_AGENCY &&
                       (int)IND_DIM_BRANCH == (int)INDR_BRANCH &&
                       (int)IND_DIM_COMMUNE == (int)INDR_COMMUNE &&
                       (int)IND_DIM_OFFICER == (int)INDR_OFFICER &&
                       (int)IND_DIM_PROCEDURE == (int)INDR_PROCEDURE &&
                       (int)IND_DIM_SECTOR == (int)INDR_SECTOR &&
                       (int)IND_DIM_STEP == (int)INDR_STEP && (int)IND_N_DIMS == (int)INDR_N_DIMS,
               "enum ind_dim and enum indr_dim differ");
_Static_assert((int)IND_COMPONENT_DIGITISED == (int)INDR_DIG_COMPONENT &&
                       (int)IND_COMPONENT_REUSED == (int)INDR_DIG_REUSED &&
                       (int)IND_RESULT_ELECTRONIC == (int)INDR_DIG_RESULT,
               "enum ind_digitisation and enum indr_digitisation differ");

/* The 766 rules are built in from data/indicators-766.json (embedded_data.h). */

const char *indicators_dim_name(enum ind_dim d)
{
	return indr_dim_name((int)d);
}

enum err_code indicators_dim_from_name(const char *s, enum ind_dim *out, struct err *e)
{
	for (int d = 0; s && d < IND_N_DIMS; d++) {
		if (str_eq(indr_dim_name(d), s)) {
			*out = (enum ind_dim)d;
			return ERR_OK;
		}
	}
	return err_set(e, ERR_INVALID_ARGUMENT, "unknown grouping '%.40s'", s ? s : "");
}

/* ---- figures ---- */

#define FIG(field) offsetof(struct ind_figures, field)

/* The counts of struct ind_figures in output order, with the flow metric each sums (-1: none). */
static const struct {
	const char *name;
	size_t off;
	int metric;
} counts[] = {
        {"received", FIG(received), INDR_RECEIVED},
        {"received_online", FIG(received_online), INDR_RECEIVED_ONLINE},
        {"received_counter", FIG(received_counter), INDR_RECEIVED_COUNTER},
        {"received_postal", FIG(received_postal), INDR_RECEIVED_POSTAL},
        {"received_fully_online", FIG(received_fully_online), INDR_RECEIVED_FULLY_ONLINE},
        {"carried_over", FIG(carried_over), -1},
        {"resolved", FIG(resolved), -1},
        {"resolved_early", FIG(resolved_early), INDR_RESOLVED_EARLY},
        {"resolved_on_time", FIG(resolved_on_time), INDR_RESOLVED_ON_TIME},
        {"resolved_late", FIG(resolved_late), INDR_RESOLVED_LATE},
        {"open_end", FIG(open_end), -1},
        {"open_end_on_time", FIG(open_end_on_time), -1},
        {"open_end_late", FIG(open_end_late), -1},
        {"refused_reception", FIG(refused_reception), INDR_REFUSED_RECEPTION},
        {"refused", FIG(refused), INDR_REFUSED},
        {"withdrawn", FIG(withdrawn), INDR_WITHDRAWN},
        {"stopped", FIG(stopped), INDR_STOPPED},
        {"supplements", FIG(supplements), INDR_SUPPLEMENTS},
        {"extensions", FIG(extensions), INDR_EXTENSIONS},
        {"paid", FIG(paid), INDR_PAID},
        {"paid_online", FIG(paid_online), INDR_PAID_ONLINE},
        {"components_digitised", FIG(components_digitised), INDR_COMPONENTS_DIGITISED},
        {"components_reused", FIG(components_reused), INDR_COMPONENTS_REUSED},
        {"results_electronic", FIG(results_electronic), INDR_RESULTS_ELECTRONIC},
        {"rated", FIG(rated), INDR_RATED},
        {"rated_dissatisfied", FIG(rated_dissatisfied), INDR_RATED_DISSATISFIED},
        {"complained", FIG(complained), INDR_COMPLAINED},
        {"unsatisfied", FIG(unsatisfied), INDR_UNSATISFIED},
        {"steps_done", FIG(steps_done), INDR_STEPS_DONE},
        {"steps_late", FIG(steps_late), INDR_STEPS_LATE},
};
#define N_COUNTS (sizeof counts / sizeof counts[0])

static const struct {
	const char *name;
	size_t off;
} rates[] = {
        {"on_time_rate", FIG(on_time_rate)},
        {"online_share", FIG(online_share)},
        {"fully_online_share", FIG(fully_online_share)},
        {"epayment_share", FIG(epayment_share)},
        {"satisfaction_766", FIG(satisfaction_766)},
};

static int64_t *count_at(struct ind_figures *f, size_t i)
{
	return (int64_t *)(void *)((char *)f + counts[i].off);
}

static int64_t count_of(const struct ind_figures *f, size_t i)
{
	return *(const int64_t *)(const void *)((const char *)f + counts[i].off);
}

static double rate_of(const struct ind_figures *f, size_t i)
{
	return *(const double *)(const void *)((const char *)f + rates[i].off);
}

/* The count named s, or -1 for an unknown name. */
static int count_index(const char *s)
{
	for (size_t i = 0; i < N_COUNTS; i++)
		if (str_eq(counts[i].name, s))
			return (int)i;
	return -1;
}

static double ratio(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : -1.0;
}

void indicators_derive(struct ind_figures *f)
{
	f->resolved = f->resolved_early + f->resolved_on_time + f->resolved_late;
	f->open_end_on_time = f->open_end - f->open_end_late;
	f->on_time_rate = ratio(f->resolved_early + f->resolved_on_time, f->resolved);
	f->online_share = ratio(f->received_online, f->received);
	f->fully_online_share = ratio(f->received_fully_online, f->received);
	f->epayment_share = ratio(f->paid_online, f->paid);
	f->satisfaction_766 = ratio(f->resolved - f->unsatisfied, f->resolved);
}

static bool figures_zero(const struct ind_figures *f)
{
	for (size_t i = 0; i < N_COUNTS; i++)
		if (count_of(f, i))
			return false;
	return true;
}

json_t *indicators_figures_json(const struct ind_figures *f)
{
	json_t *o = json_object();
	for (size_t i = 0; i < N_COUNTS; i++)
		json_object_set_new(o, counts[i].name, json_integer(count_of(f, i)));
	for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
		double v = rate_of(f, i);
		json_object_set_new(o, rates[i].name,
		                    v < 0 ? json_null() : json_real(round(v * 1e6) / 1e6));
	}
	return o;
}

json_t *indicators_table_json(const struct ind_table *t)
{
	char from[VNTIME_DATE_LEN], to[VNTIME_DATE_LEN];
	vntime_format_date(t->from_day, from);
	vntime_format_date(t->to_day, to);
	json_t *o = json_object();
	json_object_set_new(o, "by", json_string(indicators_dim_name(t->dim)));
	json_object_set_new(o, "from", json_string(from));
	json_object_set_new(o, "to", json_string(to));
	json_object_set_new(o, "total", indicators_figures_json(&t->total));
	json_t *groups = json_array();
	for (size_t i = 0; i < t->n; i++) {
		json_t *g = json_object();
		json_object_set_new(g, "key", json_string(t->rows[i].key));
		json_object_set_new(g, "name", json_string(t->rows[i].name));
		json_object_set_new(g, "figures", indicators_figures_json(&t->rows[i].f));
		json_array_append_new(groups, g);
	}
	json_object_set_new(o, "groups", groups);
	return o;
}

/* ---- recording ---- */

/* A procedure's attributes the counters need. */
struct proc_info {
	char code[DBD_KEY_SIZE];
	char sector[INDR_KEY_SIZE];
	char online[DBD_SHORT_SIZE];
};

#define PROC_CACHE      1024 /* procedures cached in batch mode (a power of two) */
#define STATE_CACHE_MIN 1024

struct state_slot {
	char id[DBD_ID_SIZE]; /* "" empty */
	bool dirty;
	struct indr_state st;
};

/* Batch mode: the calling thread's pending counts (see indicators_batch_begin()). */
struct batch {
	bool on;
	struct indr_sums *sums;
	struct state_slot *states; /* open addressing by dossier id */
	size_t states_cap, states_used;
	struct proc_info *procs; /* PROC_CACHE slots, by code */
};

static _Thread_local struct batch tl_batch;

static uint64_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

/* The procedure's sector and online level (cached in batch mode). */
static enum err_code proc_get(struct db_conn *c, const char *code, struct proc_info *out,
                              struct err *e)
{
	struct batch *b = &tl_batch;
	size_t h = 0;
	if (b->on && b->procs) {
		h = (size_t)str_hash(code) & (PROC_CACHE - 1);
		for (size_t k = 0; k < PROC_CACHE; k++) {
			struct proc_info *p = &b->procs[(h + k) & (PROC_CACHE - 1)];
			if (!p->code[0])
				break;
			if (str_eq(p->code, code)) {
				*out = *p;
				return ERR_OK;
			}
		}
	}
	memset(out, 0, sizeof *out);
	str_copy(out->code, sizeof out->code, code);
	enum err_code rc = db_ind_procedure(c, code, out->sector, out->online, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		rc = ERR_OK;
	}
	if (rc != ERR_OK)
		return rc;
	if (b->on && b->procs && code[0]) {
		for (size_t k = 0; k < PROC_CACHE / 2; k++) {
			struct proc_info *p = &b->procs[(h + k) & (PROC_CACHE - 1)];
			if (!p->code[0]) {
				*p = *out;
				break;
			}
		}
	}
	return ERR_OK;
}

static struct state_slot *state_slot(struct batch *b, const char *id, bool add)
{
	if (!b->states)
		return NULL;
	size_t h = (size_t)str_hash(id) & (b->states_cap - 1);
	for (;;) {
		struct state_slot *s = &b->states[h];
		if (!s->id[0]) {
			if (!add)
				return NULL;
			str_copy(s->id, sizeof s->id, id);
			b->states_used++;
			return s;
		}
		if (str_eq(s->id, id))
			return s;
		h = (h + 1) & (b->states_cap - 1);
	}
}

static int states_grow(struct batch *b)
{
	size_t ncap = b->states_cap ? b->states_cap * 2 : STATE_CACHE_MIN;
	struct state_slot *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	struct state_slot *old = b->states;
	size_t ocap = b->states_cap;
	b->states = ns;
	b->states_cap = ncap;
	b->states_used = 0;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i].id[0])
			continue;
		struct state_slot *s = state_slot(b, old[i].id, true);
		s->dirty = old[i].dirty;
		s->st = old[i].st;
	}
	free(old);
	return 0;
}

/* The dossier's state before the event (first event: none). */
static enum err_code state_get(struct db_conn *c, const char *id, bool first,
                               struct indr_state *out, struct err *e)
{
	struct batch *b = &tl_batch;
	if (b->on) {
		struct state_slot *s = state_slot(b, id, false);
		if (s) {
			*out = s->st;
			return ERR_OK;
		}
	}
	memset(out, 0, sizeof *out);
	if (first)
		return ERR_OK;
	enum err_code rc = db_ind_dossier_get(c, id, out, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		memset(out, 0, sizeof *out);
		rc = ERR_OK;
	}
	return rc;
}

static bool state_same(const struct indr_state *a, const struct indr_state *b)
{
	return a->known == b->known && a->resolved == b->resolved &&
	       a->unsatisfied == b->unsatisfied && indr_sig_equal(&a->sig, &b->sig);
}

static enum err_code state_put(struct db_conn *c, const char *id, const struct indr_state *prev,
                               const struct indr_state *next, struct err *e)
{
	struct batch *b = &tl_batch;
	if (b->on) {
		if ((b->states_used + 1) * 2 > b->states_cap && states_grow(b))
			return err_set(e, ERR_NO_MEMORY, "out of memory counting indicators");
		struct state_slot *s = state_slot(b, id, true);
		if (!s->dirty)
			s->dirty = !state_same(prev, next);
		s->st = *next;
		return ERR_OK;
	}
	if (state_same(prev, next))
		return ERR_OK;
	return db_ind_dossier_put(c, id, next, e);
}

/* Writes (or, in batch mode, sums) the deltas of one dossier. */
static enum err_code deltas_apply(struct db_conn *c, const char *dossier_id, struct indr_delta *d,
                                  size_t n, struct err *e)
{
	struct batch *b = &tl_batch;
	enum err_code rc = ERR_OK;
	if (n > INDR_MAX_DELTAS)
		return err_set(e, ERR_INTERNAL, "too many indicator counts for one event");
	if (b->on) {
		for (size_t i = 0; i < n && rc == ERR_OK; i++)
			rc = indr_sums_add(b->sums, d[i].dim, d[i].key, d[i].day, d[i].metric,
			                   indr_shard(dossier_id, d[i].dim), 0, d[i].n, e);
		return rc;
	}
	indr_deltas_sort(d, n);
	for (size_t i = 0; i < n && rc == ERR_OK; i++)
		rc = db_ind_add(c, indr_metric_is_stock(d[i].metric), d[i].dim, d[i].key, d[i].day,
		                d[i].metric, indr_shard(dossier_id, d[i].dim), d[i].n, e);
	return rc;
}

/*
 * The rules' event of a dossier event: its own fields (action, states, instant,
 * actor, step); the caller sets the rest (legal due, pause, payment channel,
 * rating, the dossier's groups).
 */
static struct indr_event event_of(const struct db_dossier_event *ev)
{
	struct indr_event x = {
	        .action = ev->action,
	        .from_state = ev->from_state,
	        .to_state = ev->to_state,
	        .at = ev->at,
	        .actor_account = ev->actor_account,
	        .actor_unit = ev->actor_unit,
	        .step_seq = ev->step_seq,
	        .step_result = ev->step_result,
	};
	return x;
}

enum err_code indicators_record(struct db_conn *c, const struct service *svc,
                                const struct db_dossier *d, const struct db_dossier_event *ev,
                                struct err *e)
{
	(void)svc;
	if (!c || !d || !ev)
		return err_set(e, ERR_INTERNAL, "no connection, dossier or event");
	struct proc_info p;
	enum err_code rc = proc_get(c, d->procedure_code, &p, e);
	if (rc != ERR_OK)
		return rc;
	char rating[DBD_SHORT_SIZE] = "";
	if (str_eq(ev->action, "rate")) {
		rc = db_ind_rating(c, d->id, rating, e);
		if (rc == ERR_NOT_FOUND || rc == ERR_TOO_LONG) {
			err_clear(e);
			rc = ERR_OK;
		}
		if (rc != ERR_OK)
			return rc;
	}
	struct indr_event x = event_of(ev);
	x.legal_due = d->original_due_at;
	x.paused_at = d->paused_at;
	x.pay_channel = str_eq(ev->action, "record_payment") ? d->paid_channel : "";
	x.rating = rating;
	x.channel = indr_channel(d->channel, d->received_by_post != 0);
	x.procedure = d->procedure_code;
	x.sector = p.sector;
	x.online_level = p.online;
	x.agency = d->competent_unit;
	x.branch = d->receiving_unit;
	x.commune = d->residence_commune;
	struct indr_state prev, next;
	if ((rc = state_get(c, d->id, ev->version <= 1, &prev, e)))
		return rc;
	struct indr_delta *deltas = malloc(INDR_MAX_DELTAS * sizeof *deltas);
	if (!deltas)
		return err_set(e, ERR_NO_MEMORY, "out of memory counting indicators");
	size_t n = indr_event_deltas(&prev, &x, &next, deltas, INDR_MAX_DELTAS);
	rc = deltas_apply(c, d->id, deltas, n, e);
	free(deltas);
	if (rc == ERR_OK)
		rc = state_put(c, d->id, &prev, &next, e);
	return rc;
}

enum err_code indicators_digitisation(struct db_conn *c, const char *dossier_id, int64_t at,
                                      enum ind_digitisation what, struct err *e)
{
	if (!c || str_empty(dossier_id))
		return err_set(e, ERR_INTERNAL, "no connection or dossier");
	if ((int)what < INDR_DIG_COMPONENT || (int)what > INDR_DIG_RESULT)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown digitisation fact %d", (int)what);
	struct db_ind_groups g;
	enum err_code rc = db_ind_dossier_groups(c, dossier_id, &g, e);
	if (rc != ERR_OK)
		return rc;
	char id[SERVICE_ID_LEN];
	service_new_id(id);
	if ((rc = db_ind_fact_insert(c, id, dossier_id, at, (int)what, &g, e)))
		return rc;
	struct indr_groups gr = {g.agency, g.branch, g.commune, g.procedure, g.sector};
	struct indr_delta d[8];
	size_t n = indr_digitisation_deltas(&gr, (int)what, at, d, 8);
	return deltas_apply(c, dossier_id, d, n, e);
}

/* ---- batch mode ---- */

static void batch_reset(struct batch *b)
{
	indr_sums_clear(b->sums);
	if (b->states)
		memset(b->states, 0, b->states_cap * sizeof *b->states);
	b->states_used = 0;
}

void indicators_batch_begin(void)
{
	struct batch *b = &tl_batch;
	if (!b->sums)
		b->sums = indr_sums_new();
	if (!b->procs)
		b->procs = calloc(PROC_CACHE, sizeof *b->procs);
	if (!b->states && states_grow(b))
		b->states = NULL;
	batch_reset(b);
	/* without memory, counts are written at once (correct, slower) */
	b->on = b->sums && b->procs && b->states;
}

struct flush_ctx {
	struct db_conn *c;
	enum err_code rc;
	struct err *e;
};

static int flush_row(const struct indr_sum_row *r, void *ctx)
{
	struct flush_ctx *x = ctx;
	if (r->n[0] == 0)
		return 0;
	x->rc = db_ind_add(x->c, indr_metric_is_stock(r->metric), r->dim, r->key, r->day, r->metric,
	                   r->shard, r->n[0], x->e);
	return x->rc != ERR_OK;
}

enum err_code indicators_batch_flush(struct db_conn *c, struct err *e)
{
	struct batch *b = &tl_batch;
	if (!b->on)
		return ERR_OK;
	struct flush_ctx x = {c, ERR_OK, e};
	indr_sums_each(b->sums, flush_row, &x);
	for (size_t i = 0; i < b->states_cap && x.rc == ERR_OK; i++) {
		struct state_slot *s = &b->states[i];
		if (s->id[0] && s->dirty)
			x.rc = db_ind_dossier_put(c, s->id, &s->st, e);
	}
	batch_reset(b);
	return x.rc;
}

void indicators_batch_end(void)
{
	struct batch *b = &tl_batch;
	indr_sums_free(b->sums);
	free(b->states);
	free(b->procs);
	memset(b, 0, sizeof *b);
}

/* ---- reading ---- */

enum err_code indicators_check_reader(const struct actor *a, const char *what, struct err *e)
{
	if (a &&
	    (a->kind == ACTOR_SYSTEM ||
	     (a->kind == ACTOR_STAFF && (a->roles & (ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN)))))
		return ERR_OK;
	return err_set(e, ERR_FORBIDDEN, "%s are for leaders and supervisors", what);
}

enum err_code indicators_check_period(int64_t from_day, int64_t to_day, int max_days, struct err *e)
{
	struct vndate a = vntime_civil_from_days(from_day), b = vntime_civil_from_days(to_day);
	if (a.year < 1 || a.year > 9999 || b.year < 1 || b.year > 9999)
		return err_set(e, ERR_INVALID_DATE, "a day outside the years 1..9999");
	if (to_day < from_day)
		return err_set(e, ERR_INVALID_DATE, "the period ends before it begins");
	if (to_day - from_day + 1 > max_days)
		return err_set(e, ERR_OUT_OF_RANGE, "a period of at most %d days", max_days);
	return ERR_OK;
}

/* The readers of the indicators (indicators_check_reader). */
static enum err_code check_reader(const struct actor *a, struct err *e)
{
	return indicators_check_reader(a, "the indicators", e);
}

static enum err_code check_period(int64_t from_day, int64_t to_day, struct err *e)
{
	return indicators_check_period(from_day, to_day, IND_MAX_DAYS, e);
}

/* Rows of a read being built, sorted by key. */
struct read_acc {
	struct ind_row *rows;
	size_t n, cap;
	bool oom;
};

static struct ind_row *acc_row(struct read_acc *a, const char *key)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->rows[mid].key, key);
		if (c == 0)
			return &a->rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 16;
		struct ind_row *nr = realloc(a->rows, nc * sizeof *nr);
		if (!nr) {
			a->oom = true;
			return NULL;
		}
		a->rows = nr;
		a->cap = nc;
	}
	memmove(&a->rows[lo + 1], &a->rows[lo], (a->n - lo) * sizeof *a->rows);
	memset(&a->rows[lo], 0, sizeof *a->rows);
	str_copy(a->rows[lo].key, sizeof a->rows[lo].key, key);
	a->n++;
	return &a->rows[lo];
}

static int acc_flow(void *ctx, const char *key, int metric, int64_t a, int64_t b)
{
	(void)b;
	struct ind_row *r = acc_row(ctx, key);
	if (!r)
		return 1;
	for (size_t i = 0; i < N_COUNTS; i++)
		if (counts[i].metric == metric)
			*count_at(&r->f, i) += a;
	return 0;
}

static int acc_stock(void *ctx, const char *key, int metric, int64_t a, int64_t b)
{
	struct ind_row *r = acc_row(ctx, key);
	if (!r)
		return 1;
	if (metric == INDR_OPEN) {
		r->f.carried_over += a;
		r->f.open_end += b;
	} else if (metric == INDR_OPEN_LATE) {
		r->f.open_end_late += b;
	}
	return 0;
}

/* The figures of every group of dim (only key when not NULL) into acc. */
static enum err_code read_dim(struct db_conn *c, int dim, int64_t from_day, int64_t to_day,
                              const char *key, struct read_acc *acc, struct err *e)
{
	enum err_code rc = db_ind_read_flows(c, dim, from_day, to_day, key, acc_flow, acc, e);
	if (rc == ERR_OK)
		rc = db_ind_read_stocks(c, dim, from_day, to_day, key, acc_stock, acc, e);
	if (rc == ERR_OK && acc->oom)
		rc = err_set(e, ERR_NO_MEMORY, "out of memory reading the indicators");
	return rc;
}

struct read_ctx {
	const struct ind_query *q;
	struct ind_table *out;
};

static enum err_code read_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct read_ctx *x = ctx;
	const struct ind_query *q = x->q;
	struct ind_table *t = x->out;
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
	memset(&t->total, 0, sizeof t->total);
	struct read_acc acc = {0};
	enum err_code rc = read_dim(c, (int)q->dim, q->from_day, q->to_day,
	                            q->key[0] ? q->key : NULL, &acc, e);
	struct read_acc city = {0};
	if (rc == ERR_OK)
		rc = read_dim(c, INDR_CITY, q->from_day, q->to_day, "", &city, e);
	if (rc == ERR_OK && city.n)
		t->total = city.rows[0].f;
	free(city.rows);
	indicators_derive(&t->total);
	/* keep the groups with a figure, name them */
	size_t k = 0;
	for (size_t i = 0; i < acc.n && rc == ERR_OK; i++) {
		struct ind_row *r = &acc.rows[i];
		indicators_derive(&r->f);
		if (figures_zero(&r->f))
			continue;
		r->name[0] = '\0';
		rc = db_ind_name(c, (int)q->dim, r->key, r->name, sizeof r->name, e);
		if (q->dim == IND_DIM_CITY)
			str_copy(r->name, sizeof r->name, "Toàn thành phố");
		if (!r->name[0])
			str_copy(r->name, sizeof r->name, r->key);
		acc.rows[k++] = *r;
	}
	if (rc != ERR_OK) {
		free(acc.rows);
		return rc;
	}
	t->rows = acc.rows;
	t->n = k;
	return ERR_OK;
}

enum err_code indicators_read(struct service *svc, const struct actor *actor,
                              const struct ind_query *q, struct ind_table *out, struct err *e)
{
	if (!out)
		return err_set(e, ERR_INTERNAL, "no table");
	memset(out, 0, sizeof *out);
	if (!svc || !q)
		return err_set(e, ERR_INTERNAL, "no service or query");
	enum err_code rc;
	if ((rc = check_reader(actor, e)) || (rc = check_period(q->from_day, q->to_day, e)))
		return rc;
	if ((unsigned)q->dim >= IND_N_DIMS)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown grouping %d", (int)q->dim);
	if (!memchr(q->key, '\0', sizeof q->key))
		return err_set(e, ERR_TOO_LONG, "the group key is too long");
	if (!str_valid_utf8(q->key, sizeof q->key))
		return err_set(e, ERR_INVALID_ARGUMENT, "the group key is not valid UTF-8");
	out->dim = q->dim;
	out->from_day = q->from_day;
	out->to_day = q->to_day;
	struct read_ctx x = {q, out};
	rc = db_run_txn(svc->db, DB_TXN_READ, read_txn, &x, e);
	if (rc != ERR_OK)
		indicators_table_release(out);
	out->dim = q->dim;
	out->from_day = q->from_day;
	out->to_day = q->to_day;
	return rc;
}

void indicators_table_release(struct ind_table *t)
{
	if (!t)
		return;
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

struct daily_ctx {
	int metric;
	int64_t from_day, to_day;
	int64_t *per_day;
	size_t n;
};

static enum err_code daily_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct daily_ctx *x = ctx;
	return db_ind_city_daily(c, x->metric, x->from_day, x->to_day, x->per_day, x->n, e);
}

enum err_code indicators_daily(struct service *svc, const struct actor *actor, const char *figure,
                               int64_t from_day, int64_t to_day, int64_t *per_day, size_t n,
                               struct err *e)
{
	if (!svc || !per_day)
		return err_set(e, ERR_INTERNAL, "no service or output");
	enum err_code rc;
	if ((rc = check_reader(actor, e)) || (rc = check_period(from_day, to_day, e)))
		return rc;
	int k = count_index(figure ? figure : "");
	if (k < 0 || counts[k].metric < 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "'%.40s' is not a daily figure",
		               figure ? figure : "");
	struct daily_ctx x = {counts[k].metric, from_day, to_day, per_day, n};
	return db_run_txn(svc->db, DB_TXN_READ, daily_txn, &x, e);
}

/* ---- verification: replaying the events ---- */

#define VERIFY_PAGE 2000 /* dossiers replayed per page */

struct page_state {
	char id[DBD_ID_SIZE];
	bool seen;
	struct indr_state st;
};

struct replay {
	struct indr_sums *sums; /* slot 0: recomputed, slot 1: stored */
	struct ind_verify *out;
	bool write; /* rebuild: write the states */
	struct db_conn *c;
	/* the dossier being replayed */
	char id[DBD_ID_SIZE];
	struct indr_state st;
	char agency[DBD_KEY_SIZE], branch[DBD_KEY_SIZE];
	int64_t paused_at;
	/* the page's final states, by id */
	struct page_state *ps;
	size_t nps, cps;
	size_t next_cmp;
	struct indr_delta deltas[INDR_MAX_DELTAS];
};

static void mismatch(struct ind_verify *v, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void mismatch(struct ind_verify *v, const char *fmt, ...)
{
	if (v->mismatches < (int64_t)(sizeof v->first / sizeof v->first[0])) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(v->first[v->mismatches], sizeof v->first[0], fmt, ap);
		va_end(ap);
	}
	v->mismatches++;
}

static enum err_code replay_end_dossier(struct replay *r, struct err *e)
{
	if (!r->id[0])
		return ERR_OK;
	if (r->nps == r->cps) {
		size_t nc = r->cps ? r->cps * 2 : 256;
		struct page_state *n = realloc(r->ps, nc * sizeof *n);
		if (!n)
			return err_set(e, ERR_NO_MEMORY, "out of memory verifying the indicators");
		r->ps = n;
		r->cps = nc;
	}
	struct page_state *p = &r->ps[r->nps++];
	str_copy(p->id, sizeof p->id, r->id);
	p->seen = false;
	p->st = r->st;
	r->id[0] = '\0';
	if (r->write)
		return db_ind_dossier_put(r->c, p->id, &p->st, e);
	return ERR_OK;
}

static enum lifecycle_clock clock_of_name(const char *s)
{
	enum dossier_state st;
	return lifecycle_state_from_name(s, &st) == ERR_OK ? lifecycle_clock_of(st) : CLOCK_IDLE;
}

static enum err_code replay_event(void *ctx, const struct db_ind_event *row, struct err *e)
{
	struct replay *r = ctx;
	const struct db_dossier_event *ev = &row->ev;
	enum err_code rc;
	if (!str_eq(r->id, row->dossier_id)) {
		if ((rc = replay_end_dossier(r, e)))
			return rc;
		str_copy(r->id, sizeof r->id, row->dossier_id);
		memset(&r->st, 0, sizeof r->st);
		r->agency[0] = r->branch[0] = '\0';
		r->paused_at = INDR_NONE;
		r->out->dossiers++;
	}
	r->out->events++;
	/* what the dossier row held after the event, from the events (see intake.c, action.c) */
	bool first = ev->version <= 1;
	if (first || str_eq(ev->action, "accept") || str_eq(ev->action, "transfer"))
		str_copy(r->agency, sizeof r->agency, ev->to_unit);
	if ((first && !str_eq(ev->action, "submit")) || str_eq(ev->action, "accept"))
		str_copy(r->branch, sizeof r->branch, ev->actor_unit);
	enum lifecycle_clock cf = clock_of_name(ev->from_state), ct = clock_of_name(ev->to_state);
	if (ct != CLOCK_PAUSED)
		r->paused_at = INDR_NONE;
	else if (cf != CLOCK_PAUSED)
		r->paused_at = ev->at;
	struct indr_event x = event_of(ev);
	x.legal_due = ev->legal_due_at;
	x.paused_at = r->paused_at;
	x.pay_channel = ev->detail;
	x.rating = row->rating;
	x.channel = indr_channel(row->channel, row->received_by_post);
	x.procedure = row->procedure;
	x.sector = row->sector;
	x.online_level = row->online;
	x.agency = r->agency;
	x.branch = r->branch;
	x.commune = row->commune;
	size_t n = indr_event_deltas(&r->st, &x, &r->st, r->deltas, INDR_MAX_DELTAS);
	if (n > INDR_MAX_DELTAS)
		return err_set(e, ERR_INTERNAL, "too many indicator counts for one event");
	for (size_t i = 0; i < n; i++) {
		const struct indr_delta *d = &r->deltas[i];
		if ((rc = indr_sums_add(r->sums, d->dim, d->key, d->day, d->metric,
		                        indr_shard(row->dossier_id, d->dim), 0, d->n, e)))
			return rc;
	}
	return ERR_OK;
}

static void state_text(const struct indr_state *s, char *out, size_t n)
{
	snprintf(out, n, "open=%d late=%lld agency='%.16s' branch='%.16s' r=%d u=%d", s->sig.open,
	         s->sig.late_day == INDR_NONE ? -1LL : (long long)s->sig.late_day, s->sig.agency,
	         s->sig.branch, s->resolved, s->unsatisfied);
}

static int ps_cmp(const void *a, const void *b)
{
	return strcmp(((const struct page_state *)a)->id, ((const struct page_state *)b)->id);
}

static enum err_code compare_state(void *ctx, const char *id, const struct indr_state *s,
                                   struct err *e)
{
	(void)e;
	struct replay *r = ctx;
	struct page_state key;
	str_copy(key.id, sizeof key.id, id);
	struct page_state *p = bsearch(&key, r->ps, r->nps, sizeof *r->ps, ps_cmp);
	char a[128], b[128];
	if (!p) {
		mismatch(r->out, "dossier %s: a stored state without events", id);
		return ERR_OK;
	}
	p->seen = true;
	if (!state_same(&p->st, s)) {
		state_text(s, a, sizeof a);
		state_text(&p->st, b, sizeof b);
		mismatch(r->out, "dossier %s: stored %s, recomputed %s", id, a, b);
	}
	return ERR_OK;
}

static int compare_row(const struct indr_sum_row *row, void *ctx)
{
	struct replay *r = ctx;
	r->out->rows++;
	if (row->n[0] != row->n[1]) {
		char day[VNTIME_DATE_LEN];
		vntime_format_date(row->day, day);
		mismatch(r->out, "%s '%.24s' %s %s shard %d: stored %lld, recomputed %lld",
		         indr_dim_name(row->dim), row->key, indr_metric_name(row->metric), day,
		         row->shard, (long long)row->n[1], (long long)row->n[0]);
	}
	return 0;
}

static enum err_code add_stored(void *ctx, bool stock, int dim, const char *key, int64_t day,
                                int metric, int shard, int64_t n, struct err *e)
{
	struct replay *r = ctx;
	if (dim < 0 || dim >= INDR_N_DIMS || metric < 0 || metric >= INDR_N_METRICS ||
	    indr_metric_is_stock(metric) != stock || shard < 0 || shard >= INDR_SHARDS) {
		mismatch(r->out, "a counter row of unknown dimension %d / metric %d / shard %d",
		         dim, metric, shard);
		return ERR_OK;
	}
	return indr_sums_add(r->sums, dim, key, day, metric, shard, 1, n, e);
}

static enum err_code add_fact(void *ctx, const char *dossier_id, int64_t at, int what,
                              const struct db_ind_groups *g, struct err *e)
{
	struct replay *r = ctx;
	struct indr_groups gr = {g->agency, g->branch, g->commune, g->procedure, g->sector};
	struct indr_delta d[8];
	size_t n = indr_digitisation_deltas(&gr, what, at, d, 8);
	enum err_code rc = ERR_OK;
	for (size_t i = 0; i < n && rc == ERR_OK; i++)
		rc = indr_sums_add(r->sums, d[i].dim, d[i].key, d[i].day, d[i].metric,
		                   indr_shard(dossier_id, d[i].dim), 0, d[i].n, e);
	return rc;
}

static int write_row(const struct indr_sum_row *row, void *ctx)
{
	struct flush_ctx *x = ctx;
	if (row->n[0] == 0)
		return 0;
	x->rc = db_ind_add(x->c, indr_metric_is_stock(row->metric), row->dim, row->key, row->day,
	                   row->metric, row->shard, row->n[0], x->e);
	return x->rc != ERR_OK;
}

static enum err_code replay_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct replay *r = ctx;
	struct ind_verify *v = r->out;
	memset(v, 0, sizeof *v);
	indr_sums_clear(r->sums);
	r->c = c;
	enum err_code rc = ERR_OK;
	int64_t stored_states = 0, replayed_states = 0;
	if (!r->write && (rc = db_ind_state_count(c, &stored_states, e)))
		return rc;
	char after[DBD_ID_SIZE] = "", last[DBD_ID_SIZE];
	for (;;) {
		rc = db_ind_next_page(c, after, VERIFY_PAGE, last, e);
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			rc = ERR_OK;
			break;
		}
		if (rc != ERR_OK)
			return rc;
		r->nps = 0;
		r->id[0] = '\0';
		if ((rc = db_ind_scan_events(c, after, last, replay_event, r, e)) ||
		    (rc = replay_end_dossier(r, e)))
			return rc;
		replayed_states += (int64_t)r->nps;
		if (!r->write) {
			/* ids arrive in the database's order; search needs strcmp order */
			qsort(r->ps, r->nps, sizeof *r->ps, ps_cmp);
			if ((rc = db_ind_scan_states(c, after, last, compare_state, r, e)))
				return rc;
			for (size_t i = 0; i < r->nps; i++)
				if (!r->ps[i].seen)
					mismatch(v, "dossier %s: no stored state", r->ps[i].id);
		}
		str_copy(after, sizeof after, last);
	}
	if (!r->write && stored_states != replayed_states) {
		int64_t extra = stored_states - replayed_states;
		if (extra > 0)
			mismatch(v, "%lld stored states of dossiers that do not exist",
			         (long long)extra);
	}
	if ((rc = db_ind_scan_facts(c, add_fact, r, e)))
		return rc;
	if (r->write) {
		struct flush_ctx x = {c, ERR_OK, e};
		indr_sums_each(r->sums, write_row, &x);
		v->rows = (int64_t)indr_sums_count(r->sums);
		return x.rc;
	}
	if ((rc = db_ind_scan_counters(c, add_stored, r, e)))
		return rc;
	indr_sums_each(r->sums, compare_row, r);
	return ERR_OK;
}

static enum err_code rebuild_txn(struct db_conn *c, void *ctx, struct err *e)
{
	enum err_code rc = db_ind_clear(c, e);
	return rc ? rc : replay_txn(c, ctx, e);
}

static enum err_code replay_run(struct service *svc, bool write, struct ind_verify *out,
                                struct err *e)
{
	struct ind_verify tmp;
	if (!out)
		out = &tmp;
	memset(out, 0, sizeof *out);
	if (!svc)
		return err_set(e, ERR_INTERNAL, "no service");
	struct replay *r = calloc(1, sizeof *r);
	if (!r)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	r->sums = indr_sums_new();
	r->out = out;
	r->write = write;
	enum err_code rc;
	if (!r->sums) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory");
	} else {
		r->write = false;
		rc = db_run_txn(svc->db, DB_TXN_READ, replay_txn, r, e);
		if (rc == ERR_OK && write) {
			/* keep what differed before the recount */
			struct ind_verify before = *out;
			r->write = true;
			rc = db_run_txn(svc->db, DB_TXN_WRITE, rebuild_txn, r, e);
			out->mismatches = before.mismatches;
			memcpy(out->first, before.first, sizeof out->first);
		}
	}
	indr_sums_free(r->sums);
	free(r->ps);
	free(r);
	return rc;
}

enum err_code indicators_verify(struct service *svc, struct ind_verify *out, struct err *e)
{
	return replay_run(svc, false, out, e);
}

enum err_code indicators_rebuild(struct service *svc, struct ind_verify *out, struct err *e)
{
	return replay_run(svc, true, out, e);
}

/* ---- the 766 index ---- */

/* The sum of the named counts of a JSON array ("-name" subtracts). */
static enum err_code sum_terms(const json_t *arr, const struct ind_figures *f, int64_t *out,
                               struct err *e)
{
	*out = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "a 766 formula needs a list of figures");
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(v);
		if (!s)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "a 766 formula term is not a string");
		bool neg = s[0] == '-';
		int k = count_index(neg ? s + 1 : s);
		if (k < 0)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "unknown figure '%.40s' in the 766 rules", s);
		*out += neg ? -count_of(f, (size_t)k) : count_of(f, (size_t)k);
	}
	return ERR_OK;
}

static void copy_str(char *dst, size_t n, const json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));
	str_copy(dst, n, s ? s : "");
}

static void terms_text(const json_t *arr, char *out, size_t n)
{
	size_t used = strlen(out), i;
	const json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(v);
		if (!s)
			continue;
		int w = snprintf(out + used, n - used, "%s%s", i ? (s[0] == '-' ? " " : " + ") : "",
		                 s[0] == '-' && i ? s : s);
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
}

enum err_code indicators_766_compute(const char *rules_json, size_t len,
                                     const struct ind_figures *f, struct ind766 *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!rules_json)
		return err_set(e, ERR_INVALID_ARGUMENT, "no 766 rules");
	json_error_t je;
	json_t *root = json_loadb(rules_json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return err_set(e, ERR_INVALID_ARGUMENT, "the 766 rules are not JSON: %.80s",
		               je.text);
	enum err_code rc = ERR_OK;
	out->f = *f;
	copy_str(out->source, sizeof out->source, root, "source");
	const json_t *groups = json_object_get(root, "groups");
	if (!json_is_array(groups) || json_array_size(groups) == 0 ||
	    json_array_size(groups) > IND766_MAX_GROUPS) {
		rc = err_set(e, ERR_INVALID_ARGUMENT, "the 766 rules need 1..%d groups",
		             IND766_MAX_GROUPS);
		goto out;
	}
	size_t gi;
	const json_t *gj;
	json_array_foreach(groups, gi, gj)
	{
		struct ind766_group *g = &out->groups[out->n++];
		copy_str(g->id, sizeof g->id, gj, "id");
		copy_str(g->name_vi, sizeof g->name_vi, gj, "name_vi");
		copy_str(g->name_en, sizeof g->name_en, gj, "name_en");
		g->weight = json_number_value(json_object_get(gj, "weight"));
		const json_t *items = json_object_get(gj, "items");
		if (!g->id[0] || g->weight <= 0 || !json_is_array(items) ||
		    json_array_size(items) > IND766_MAX_ITEMS) {
			rc = err_set(e, ERR_INVALID_ARGUMENT,
			             "766 group %zu needs an id, a weight and at most %d items",
			             gi + 1, IND766_MAX_ITEMS);
			goto out;
		}
		double points = 0;
		size_t ii;
		const json_t *ij;
		json_array_foreach(items, ii, ij)
		{
			struct ind766_item *it = &g->items[g->n++];
			copy_str(it->id, sizeof it->id, ij, "id");
			copy_str(it->name_vi, sizeof it->name_vi, ij, "name_vi");
			copy_str(it->name_en, sizeof it->name_en, ij, "name_en");
			it->points = json_number_value(json_object_get(ij, "points"));
			it->official = json_is_true(json_object_get(ij, "official"));
			it->rate = -1;
			points += it->points;
			const json_t *num = json_object_get(ij, "numerator");
			const json_t *den = json_object_get(ij, "denominator");
			it->measured = num != NULL || den != NULL;
			if (!it->measured) {
				copy_str(it->rule, sizeof it->rule, ij, "rule");
				continue;
			}
			int64_t a, b;
			if ((rc = sum_terms(num, f, &a, e)) || (rc = sum_terms(den, f, &b, e)))
				goto out;
			it->rule[0] = '\0';
			str_copy(it->rule, sizeof it->rule, "(");
			terms_text(num, it->rule, sizeof it->rule);
			size_t u = strlen(it->rule);
			snprintf(it->rule + u, sizeof it->rule - u, ") / (");
			terms_text(den, it->rule, sizeof it->rule);
			u = strlen(it->rule);
			snprintf(it->rule + u, sizeof it->rule - u, ")");
			if (b <= 0)
				continue;
			it->has_data = true;
			double r = (double)a / (double)b;
			it->rate = r < 0 ? 0 : r > 1 ? 1 : r;
			it->score = it->points * it->rate;
			g->measured_points += it->points;
			g->score += it->score;
		}
		if (fabs(points - g->weight) > 1e-9) {
			rc = err_set(
			        e, ERR_INVALID_ARGUMENT,
			        "the items of 766 group '%s' make %g points, not its weight %g",
			        g->id, points, g->weight);
			goto out;
		}
		out->max_points += g->weight;
		out->measured_points += g->measured_points;
		out->total += g->score;
	}
out:
	json_decref(root);
	return rc;
}

enum err_code indicators_766(struct service *svc, const struct actor *actor, int64_t from_day,
                             int64_t to_day, struct ind766 *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct ind_query q;
	memset(&q, 0, sizeof q);
	q.from_day = from_day;
	q.to_day = to_day;
	q.dim = IND_DIM_CITY;
	struct ind_table t;
	enum err_code rc = indicators_read(svc, actor, &q, &t, e);
	if (rc != ERR_OK)
		return rc;
	rc = indicators_766_compute((const char *)embedded_indicators_766_json,
	                            embedded_indicators_766_json_len, &t.total, out, e);
	indicators_table_release(&t);
	out->from_day = from_day;
	out->to_day = to_day;
	return rc;
}

static json_t *points_json(double v)
{
	return json_real(round(v * 100) / 100);
}

json_t *indicators_766_json(const struct ind766 *s)
{
	char from[VNTIME_DATE_LEN], to[VNTIME_DATE_LEN];
	vntime_format_date(s->from_day, from);
	vntime_format_date(s->to_day, to);
	json_t *o = json_object();
	json_object_set_new(o, "from", json_string(from));
	json_object_set_new(o, "to", json_string(to));
	json_object_set_new(o, "source", json_string(s->source));
	json_object_set_new(o, "total", points_json(s->total));
	json_object_set_new(o, "measured_points", points_json(s->measured_points));
	json_object_set_new(o, "max_points", points_json(s->max_points));
	json_object_set_new(o, "total_of_measured",
	                    s->measured_points > 0
	                            ? points_json(s->total * s->max_points / s->measured_points)
	                            : json_null());
	json_t *groups = json_array();
	for (size_t i = 0; i < s->n; i++) {
		const struct ind766_group *g = &s->groups[i];
		json_t *gj = json_object();
		json_object_set_new(gj, "id", json_string(g->id));
		json_object_set_new(gj, "name_vi", json_string(g->name_vi));
		json_object_set_new(gj, "name_en", json_string(g->name_en));
		json_object_set_new(gj, "weight", points_json(g->weight));
		json_object_set_new(gj, "measured_points", points_json(g->measured_points));
		json_object_set_new(gj, "score", points_json(g->score));
		json_t *items = json_array();
		for (size_t k = 0; k < g->n; k++) {
			const struct ind766_item *it = &g->items[k];
			json_t *ij = json_object();
			json_object_set_new(ij, "id", json_string(it->id));
			json_object_set_new(ij, "name_vi", json_string(it->name_vi));
			json_object_set_new(ij, "name_en", json_string(it->name_en));
			json_object_set_new(ij, "points", points_json(it->points));
			json_object_set_new(ij, "measured", json_boolean(it->measured));
			json_object_set_new(ij, "official", json_boolean(it->official));
			json_object_set_new(ij, "rule", json_string(it->rule));
			json_object_set_new(ij, "rate",
			                    it->has_data ? json_real(round(it->rate * 1e6) / 1e6)
			                                 : json_null());
			json_object_set_new(ij, "score",
			                    it->has_data ? points_json(it->score) : json_null());
			json_array_append_new(items, ij);
		}
		json_object_set_new(gj, "items", items);
		json_array_append_new(groups, gj);
	}
	json_object_set_new(o, "groups", groups);
	json_object_set_new(o, "figures", indicators_figures_json(&s->f));
	return o;
}
