/*
 * demo_city: the city-scale demonstration (see demo_city.h, docs/demo.md).
 *
 * Three parts:
 *   1. set-up, in ordinary transactions: the reference data read back
 *      (units, procedures with their steps and components, communes), the
 *      population registry (population_generate), the staff of every
 *      receiving unit and competent agency (account_create; only the
 *      accounts printed for logging in get passwords);
 *   2. the arrivals: N dossiers, each with a day (weighted by weekday and
 *      channel), a second of the day, a procedure (weighted to the common
 *      ones), an applicant (an adult resident), a branch or service point
 *      and its plan (its fate drawn once from its own random stream);
 *   3. the simulation: arrivals and each dossier's next event in one time
 *      order (a binary heap keyed by instant and insertion number), every
 *      event performed by the live use case on one connection, many events
 *      per transaction. The next event of a dossier is planned from what
 *      the use case answered (its due, its state), in working time of the
 *      calendar in force for staff work and in opening hours for the
 *      counters.
 *
 * The probabilities below are our estimates for a believable demonstration,
 * not statistics of Hanoi; docs/demo.md lists them.
 */
#include "service/demo_city.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "base/vntime.h"
#include "db/db_account.h"
#include "db/db_catalog.h"
#include "db/db_dossier.h"
#include "db/db_outbox.h"
#include "domain/lifecycle.h"
#include "domain/worktime.h"
#include "service/action.h"
#include "service/indicators.h"
#include "service/intake.h"
#include "service/population.h"

/* Set to 1 once service/indicators.c links (batch mode of the counters). */
/* ---- pure parts ---- */

uint64_t demo_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

double demo_rng_unit(uint64_t *state)
{
	return (double)(demo_rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

double demo_rng_range(uint64_t *state, double lo, double hi)
{
	return lo + (hi - lo) * demo_rng_unit(state);
}

bool demo_rng_chance(uint64_t *state, double p)
{
	return demo_rng_unit(state) < p;
}

size_t demo_pick(const double *cum, size_t n, double u)
{
	if (n == 0)
		return 0;
	double x = u * cum[n - 1];
	size_t lo = 0, hi = n - 1;
	while (lo < hi) { /* the first i with x < cum[i] */
		size_t mid = lo + (hi - lo) / 2;
		if (x < cum[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	/* u so close to 1 that x rounded up to the total: the last non-zero weight */
	while (lo > 0 && cum[lo] == cum[lo - 1])
		lo--;
	return lo;
}

double demo_cumulate(double *w, size_t n)
{
	double t = 0;
	for (size_t i = 0; i < n; i++) {
		t += w[i] > 0 ? w[i] : 0;
		w[i] = t;
	}
	return t;
}

double demo_day_weight(enum demo_day_kind kind, int weekday, bool online)
{
	/* Monday .. Friday: the Monday rush, a quieter Friday afternoon */
	static const double counter_week[7] = {0, 1.20, 1.05, 1.00, 1.00, 0.90, 0};
	if (online) {
		switch (kind) {
		case DEMO_DAY_WORKING:
			return 0.70 * (weekday >= 1 && weekday <= 5 ? counter_week[weekday] : 1.0);
		case DEMO_DAY_SATURDAY:
			return 0.30;
		case DEMO_DAY_CLOSED:
			return 0.15;
		}
		return 0;
	}
	switch (kind) {
	case DEMO_DAY_WORKING:
		return weekday >= 1 && weekday <= 5 ? counter_week[weekday] : 1.0;
	case DEMO_DAY_SATURDAY:
		return 0.35;
	case DEMO_DAY_CLOSED:
		return 0;
	}
	return 0;
}

/* Arrivals per hour of the day (relative). */
static const double counter_hours[24] = {
        [8] = 0.8,  [9] = 1.4,  [10] = 1.4, [11] = 1.0, [12] = 0.3,
        [13] = 0.6, [14] = 1.2, [15] = 1.1, [16] = 0.6,
};
static const double saturday_hours[24] = {[8] = 0.9, [9] = 1.3, [10] = 1.2, [11] = 0.8};
static const double online_hours[24] = {
        0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.3, 0.6, 1.2, 1.6, 1.6, 1.3,
        0.9, 1.0,  1.4, 1.4,  1.2,  1.0, 0.9, 1.0, 1.3, 1.3, 0.9, 0.5,
};

int demo_arrival_second(enum demo_day_kind kind, bool online, double u1, double u2)
{
	const double *w = online                      ? online_hours
	                  : kind == DEMO_DAY_SATURDAY ? saturday_hours
	                                              : counter_hours;
	double cum[24];
	for (int h = 0; h < 24; h++)
		cum[h] = w[h];
	demo_cumulate(cum, 24);
	int h = (int)demo_pick(cum, 24, u1);
	int s = (int)(u2 * 3600.0);
	if (s < 0)
		s = 0;
	if (s > 3599)
		s = 3599;
	return h * 3600 + s;
}

/* ---- the city ---- */

/* Relative frequency of procedures (our estimate: the everyday ones first). */
static const struct {
	const char *code;
	double weight;
} proc_weights[] = {
        {"2.000815", 20},  /* certified copies from originals */
        {"1.001193", 10},  /* birth registration */
        {"2.000884", 6},   /* signature certification */
        {"1.004873", 6},   /* certificate of marital status */
        {"1.013831", 6},   /* land transfer registration */
        {"2.000635", 5},   /* copies of civil-status extracts */
        {"1.000894", 4},   /* marriage registration */
        {"1.011441", 4},   /* mortgage registration */
        {"1.000656", 3},   /* death registration */
        {"1.011443", 3},   /* mortgage deregistration */
        {"1.014748", 3},   /* unemployment benefit */
        {"1.001612", 3},   /* household business registration */
        {"1.012783", 2},   /* exchange of land-use certificate */
        {"2.002041", 2},   /* change of enterprise registration */
        {"2.001035", 2},   /* certification of contracts on movables */
        {"2.001406", 2},   /* estate division agreements */
        {"2.001583", 1.5}, /* single-member LLC */
        {"2.000720", 1.5}, /* change of household business */
        {"1.013225", 1.5}, /* construction permit */
        {"3.000465", 1},   /* diploma copies */
};
#define PROC_OTHER_WEIGHT 0.4

/* Probabilities of a dossier's fate (docs/demo.md). */
#define P_REFUSE_COUNTER  0.015
#define P_REFUSE_ONLINE   0.025
#define P_WITHDRAW_EARLY  0.01
#define P_SUPPLEMENT      0.08
#define P_SUPPL_GIVE_UP   0.15
#define P_WITHDRAW        0.015
#define P_STOP            0.003
#define P_REFUSE          0.02
#define P_LATE            0.04
#define P_EXTEND          0.6 /* of the late ones */
#define P_REWORK          0.05
#define P_PAY_ONLINE_WEB  0.8
#define P_PAY_ONLINE_DESK 0.25
#define P_POST_WEB        0.08
#define P_POST_DESK       0.03
#define P_POSTAL_INTAKE   0.04 /* of the dossiers an officer receives: they came by post */
#define P_RATE            0.45
#define P_DISSATISFIED    0.02
#define P_DISSAT_LATE     0.3
#define P_COMPLAIN        0.006
#define P_COMPLAIN_LATE   0.12
#define ONLINE_WEIGHT     1.0 /* scales demo_day_weight(online) */

#define MAX_COMPONENTS    16
#define HOUR              3600

struct unit {
	char code[DBD_KEY_SIZE];
	char kind[DBD_SHORT_SIZE];
	bool desk;           /* branch or service point: receives at the counter */
	int off0, noff;      /* officers in staff[] */
	int spec0, nspec;    /* specialists */
	int appr0, nappr;    /* approvers */
	bool competent_used; /* some chosen procedure goes to it */
};

struct proc {
	char code[DBD_KEY_SIZE];
	char competent_unit[DBD_KEY_SIZE];
	bool online_ok, signoff, fee;
	int comps[MAX_COMPONENTS];
	size_t ncomps;
};

/* The stages (the next event of a dossier). */
enum stage {
	ST_ARRIVE,
	ST_ACCEPT,
	ST_REFUSE_ONLINE,
	ST_WITHDRAW_EARLY,
	ST_TAKE,
	ST_REQ_SUPPL,
	ST_ANSWER_SUPPL,
	ST_GIVE_UP,
	ST_REQ_FEE,
	ST_PAY,
	ST_WITHDRAW,
	ST_STOP,
	ST_EXTEND,
	ST_SUBMIT_SIGNOFF,
	ST_REWORK,
	ST_DECIDE, /* sign_off / complete / refuse */
	ST_SEND,
	ST_RECV_RESULT,
	ST_DELIVER,
	ST_POST,
	ST_CONFIRM,
	ST_RATE,
	ST_COMPLAIN,
	ST_DONE
};

enum {
	F_ONLINE = 1u << 0,
	F_POST = 1u << 1,
	F_LATE = 1u << 2,
	F_EXTEND = 1u << 3,
	F_SUPPL = 1u << 4,
	F_GIVE_UP = 1u << 5,
	F_FEE = 1u << 6,
	F_PAY_ONLINE = 1u << 7,
	F_WITHDRAW = 1u << 8,
	F_STOP = 1u << 9,
	F_REFUSE = 1u << 10,
	F_REWORK = 1u << 11,
	F_RATE = 1u << 12,
	F_COMPLAIN = 1u << 13,
	F_REFUSE_RECEPTION = 1u << 14,
	F_WITHDRAW_EARLY = 1u << 15,
	F_SUPPL_DONE = 1u << 16,
	F_FEE_DONE = 1u << 17,
	F_EXT_DONE = 1u << 18,
	F_REWORK_DONE = 1u << 19,
	F_QUIT_DONE = 1u << 20,     /* the planned withdrawal or stop happened or was dropped */
	F_POSTAL_INTAKE = 1u << 21, /* a counter dossier that came by post */
};

struct sim {
	int64_t at;      /* arrival instant */
	int64_t version; /* the dossier's version */
	int64_t due;     /* its appointment now */
	int64_t target;  /* planned end of processing */
	int64_t start;   /* reception, or the last resumption */
	uint64_t rng;    /* the dossier's own random stream */
	uint32_t flags;
	int32_t person;
	uint16_t proc;
	int16_t desk;   /* receiving unit (counter) or unit of collection (online) */
	int16_t comp;   /* competent unit */
	int16_t holder; /* specialist holding it (index in staff[]) */
	uint8_t stage;
	uint8_t state; /* enum dossier_state */
	float frac;    /* planned processing time / legal time */
	char id[DBD_ID_SIZE];
};

struct qitem {
	int64_t at;
	uint32_t idx, seq;
};

struct city {
	struct service *svc;
	struct accounts *acc;
	const struct demo_city_options *o;
	struct demo_city_report *r;
	const struct worktime_calendar *cal;
	struct db_conn *c;
	struct actor sys;
	uint64_t seed;
	/* reference data */
	struct unit *units;
	size_t nunits;
	struct proc *procs;
	size_t nprocs;
	double *proc_cum;
	char (*communes)[8];
	const char **commune_ptrs;
	size_t ncommunes;
	int *desks; /* units with desk */
	size_t ndesks;
	double *desk_cum;
	/* people */
	int population;
	int own; /* the resident whose citizen account can log in (an adult) */
	char (*person_account)[DBD_ID_SIZE];
	/* staff */
	struct actor *staff;
	size_t nstaff, staff_cap;
	/* dossiers */
	struct sim *sims;
	size_t nsims;
	struct qitem *heap;
	size_t nheap, heap_cap;
	uint32_t seq;
	int64_t batch_events;
};

/* ---- the heap ---- */

static bool q_less(const struct qitem *a, const struct qitem *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static enum err_code q_push(struct city *C, int64_t at, uint32_t idx, struct err *e)
{
	if (C->nheap == C->heap_cap) {
		size_t cap = C->heap_cap ? C->heap_cap * 2 : 4096;
		struct qitem *p = realloc(C->heap, cap * sizeof *p);
		if (!p)
			return err_set(e, ERR_NO_MEMORY, "out of memory for the event queue");
		C->heap = p;
		C->heap_cap = cap;
	}
	size_t i = C->nheap++;
	struct qitem it = {at, idx, C->seq++};
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!q_less(&it, &C->heap[parent]))
			break;
		C->heap[i] = C->heap[parent];
		i = parent;
	}
	C->heap[i] = it;
	return ERR_OK;
}

static struct qitem q_pop(struct city *C)
{
	struct qitem top = C->heap[0];
	struct qitem last = C->heap[--C->nheap];
	size_t i = 0, n = C->nheap;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct qitem *best = &last;
		if (l < n && q_less(&C->heap[l], best)) {
			m = l;
			best = &C->heap[l];
		}
		if (r < n && q_less(&C->heap[r], best))
			m = r;
		if (m == i)
			break;
		C->heap[i] = C->heap[m];
		i = m;
	}
	if (n > 0)
		C->heap[i] = last;
	return top;
}

/* ---- time ---- */

static enum demo_day_kind day_kind(const struct city *C, int64_t day)
{
	if (worktime_is_working_day(C->cal, day))
		return DEMO_DAY_WORKING;
	struct worktime_day info;
	if (vntime_weekday(day) == 6 && worktime_day_info(C->cal, day, &info, NULL) == ERR_OK &&
	    info.kind == WORKTIME_WEEKEND)
		return DEMO_DAY_SATURDAY;
	return DEMO_DAY_CLOSED;
}

/* The instant `secs` working seconds after t (strictly later than t). */
static int64_t work_after(const struct city *C, int64_t t, double secs)
{
	int64_t out;
	if (secs < 60)
		secs = 60;
	if (worktime_add_seconds(C->cal, t, (int64_t)secs, &out, NULL) != ERR_OK)
		return INT64_MAX;
	return out > t ? out : t + 60;
}

/* Working seconds from a to b (at least 1800 so that plans have room). */
static double span(const struct city *C, int64_t a, int64_t b)
{
	int64_t s = 0;
	if (a == DB_NONE || b == DB_NONE || worktime_between(C->cal, a, b, &s, NULL) != ERR_OK)
		return 8 * HOUR;
	return s < 1800 ? 1800 : (double)s;
}

/* An instant when the counters are open, `days` days after t or later, after t. */
static int64_t desk_after(const struct city *C, int64_t t, int days, uint64_t *rng)
{
	int64_t day;
	vntime_split(t, &day, NULL);
	day += days;
	for (int i = 0; i < 60; i++, day++) {
		enum demo_day_kind k = day_kind(C, day);
		if (k == DEMO_DAY_CLOSED)
			continue;
		int64_t at = vntime_join(
		        day, demo_arrival_second(k, false, demo_rng_unit(rng), demo_rng_unit(rng)));
		if (at > t + 60)
			return at;
	}
	return INT64_MAX;
}

/* An instant when an applicant acts online, `days` days after t or later, after t. */
static int64_t web_after(const struct city *C, int64_t t, int days, uint64_t *rng)
{
	int64_t day;
	vntime_split(t, &day, NULL);
	day += days;
	for (int i = 0; i < 10; i++, day++) {
		int64_t at = vntime_join(day, demo_arrival_second(day_kind(C, day), true,
		                                                  demo_rng_unit(rng),
		                                                  demo_rng_unit(rng)));
		if (at > t + 60)
			return at;
	}
	return t + 3600;
}

/* ---- reference data ---- */

static int unit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct unit *)a)->code, ((const struct unit *)b)->code);
}

static int unit_find(const struct city *C, const char *code)
{
	struct unit key;
	str_copy(key.code, sizeof key.code, code);
	const struct unit *u = bsearch(&key, C->units, C->nunits, sizeof *C->units, unit_cmp);
	return u ? (int)(u - C->units) : -1;
}

struct keys {
	char (*k)[DBD_KEY_SIZE];
	size_t n, cap;
};

static int keys_add(void *ctx, const char *key)
{
	struct keys *ks = ctx;
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 128;
		void *p = realloc(ks->k, cap * sizeof *ks->k);
		if (!p)
			return -1;
		ks->k = p;
		ks->cap = cap;
	}
	str_copy(ks->k[ks->n++], DBD_KEY_SIZE, key);
	return 0;
}

static double proc_weight(const char *code)
{
	for (size_t i = 0; i < sizeof proc_weights / sizeof proc_weights[0]; i++)
		if (str_eq(proc_weights[i].code, code))
			return proc_weights[i].weight;
	return PROC_OTHER_WEIGHT;
}

static enum err_code load_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct city *C = ctx;
	struct keys units = {0}, procs = {0}, communes = {0};
	enum err_code rc;
	if ((rc = db_catalog_list_keys(c, DB_CATALOG_UNIT, keys_add, &units, e)) ||
	    (rc = db_catalog_list_keys(c, DB_CATALOG_PROCEDURE, keys_add, &procs, e)) ||
	    (rc = db_catalog_list_keys(c, DB_CATALOG_COMMUNE, keys_add, &communes, e)))
		goto out;
	C->units = calloc(units.n ? units.n : 1, sizeof *C->units);
	C->procs = calloc(procs.n ? procs.n : 1, sizeof *C->procs);
	C->proc_cum = calloc(procs.n ? procs.n : 1, sizeof *C->proc_cum);
	C->communes = calloc(communes.n ? communes.n : 1, sizeof *C->communes);
	C->commune_ptrs = calloc(communes.n ? communes.n : 1, sizeof *C->commune_ptrs);
	if (!C->units || !C->procs || !C->proc_cum || !C->communes || !C->commune_ptrs) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory reading the reference data");
		goto out;
	}
	for (size_t i = 0; i < communes.n; i++) {
		if (strlen(communes.k[i]) != 5)
			continue; /* as population_generate() */
		str_copy(C->communes[C->ncommunes], sizeof C->communes[0], communes.k[i]);
		C->commune_ptrs[C->ncommunes] = C->communes[C->ncommunes];
		C->ncommunes++;
	}
	for (size_t i = 0; i < units.n; i++) {
		struct db_unit_info u;
		if ((rc = db_dossier_unit(c, units.k[i], &u, e)))
			goto out;
		struct unit *x = &C->units[C->nunits++];
		str_copy(x->code, sizeof x->code, u.code);
		str_copy(x->kind, sizeof x->kind, u.kind);
		x->desk = u.receives && u.active &&
		          (str_eq(u.kind, "branch") || str_eq(u.kind, "point"));
	}
	qsort(C->units, C->nunits, sizeof *C->units, unit_cmp);
	for (size_t i = 0; i < procs.n; i++) {
		struct db_procedure_rules p;
		if ((rc = db_dossier_procedure(c, procs.k[i], &p, e)))
			goto out;
		/* only what any branch may receive: boundary-free, competent unit known */
		if (!p.active || !p.boundary_free ||
		    !(str_eq(p.route_by, "fixed") || str_eq(p.level, "commune")))
			continue;
		if (str_eq(p.route_by, "fixed") && unit_find(C, p.competent_unit) < 0)
			continue;
		struct proc *x = &C->procs[C->nprocs];
		memset(x, 0, sizeof *x);
		str_copy(x->code, sizeof x->code, p.code);
		str_copy(x->competent_unit, sizeof x->competent_unit, p.competent_unit);
		x->online_ok = !str_eq(p.online, "none");
		x->signoff = p.needs_signoff != 0;
		x->fee = p.fee_vnd > 0;
		struct db_proc_component_list pcs;
		if ((rc = db_dossier_proc_components(c, p.code, &pcs, e)))
			goto out;
		for (size_t k = 0; k < pcs.count && x->ncomps < MAX_COMPONENTS; k++)
			if (pcs.items[k].required && !pcs.items[k].population_replaces)
				x->comps[x->ncomps++] = (int)pcs.items[k].seq;
		db_proc_component_list_free(&pcs);
		C->proc_cum[C->nprocs] = proc_weight(p.code);
		if (!str_empty(x->competent_unit))
			C->units[unit_find(C, x->competent_unit)].competent_used = true;
		C->nprocs++;
	}
	demo_cumulate(C->proc_cum, C->nprocs);
	if (C->nprocs == 0 || C->ncommunes == 0)
		rc = err_set(
		        e, ERR_NOT_FOUND,
		        "no procedures or communes in the database; run 'motcua import' first");
out:
	free(units.k);
	free(procs.k);
	free(communes.k);
	if (rc == ERR_INTERNAL)
		rc = err_set(e, ERR_NO_MEMORY, "out of memory reading the reference data");
	return rc;
}

/* ---- accounts ---- */

static const char *const family_names[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng",
                                           "Vũ",     "Đặng", "Bùi", "Đỗ",   "Ngô"};
static const char *const given_names[] = {"Minh Anh", "Thu Hà",   "Quốc Hùng", "Thanh Hương",
                                          "Văn Nam",  "Ngọc Lan", "Đức Thắng", "Thị Mai",
                                          "Hải Yến",  "Tuấn Anh", "Thu Trang", "Mạnh Cường"};

/*
 * Creates one staff account (role bits, unit may be NULL) and appends its
 * actor to staff[] (when act). login_role: print it with a password.
 */
static enum err_code add_staff(struct city *C, const char *username, unsigned roles,
                               const char *unit, const char *login_role, bool act, uint64_t *rng,
                               struct err *e)
{
	char name[96];
	snprintf(name, sizeof name, "%s %s",
	         family_names[demo_rng_next(rng) % (sizeof family_names / sizeof *family_names)],
	         given_names[demo_rng_next(rng) % (sizeof given_names / sizeof *given_names)]);
	struct demo_account *d = NULL;
	if (login_role) {
		if (C->r->login.n_accounts >= DEMO_MAX_ACCOUNTS)
			return err_set(e, ERR_INTERNAL, "too many demo login accounts");
		d = &C->r->login.accounts[C->r->login.n_accounts];
		demo_random_password(d->password);
	}
	struct account_new in = {username, roles, unit, name, d ? d->password : NULL};
	struct account_info info;
	enum err_code rc = account_create(C->acc, &C->sys, &in, &info, e);
	if (rc != ERR_OK)
		return rc;
	C->r->staff++;
	if (d) {
		str_copy(d->role, sizeof d->role, login_role);
		str_copy(d->username, sizeof d->username, info.username);
		str_copy(d->unit_code, sizeof d->unit_code, unit ? unit : "");
		C->r->login.n_accounts++;
	}
	if (!act)
		return ERR_OK;
	if (C->nstaff == C->staff_cap) {
		size_t cap = C->staff_cap ? C->staff_cap * 2 : 256;
		struct actor *p = realloc(C->staff, cap * sizeof *p);
		if (!p)
			return err_set(e, ERR_NO_MEMORY, "out of memory for the staff");
		C->staff = p;
		C->staff_cap = cap;
	}
	demo_staff_actor(&C->staff[C->nstaff++], &info);
	return ERR_OK;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * The staff: officers at every branch (3) and service point (2);
 * specialists and approvers at every commune committee (2 + 1) and at every
 * agency competent for a chosen procedure (4 + 2). The first staff of a few
 * units get passwords and are printed (the same roles as the small demo).
 */
static enum err_code make_staff(struct city *C, const char *home_commune, struct err *e)
{
	uint64_t rng = C->seed ^ 0x5374616666u;
	enum err_code rc;
	if ((rc = add_staff(C, "admin", ROLE_ADMIN, NULL, "admin", false, &rng, e)) ||
	    (rc = add_staff(C, "lanhdao", ROLE_LEADER, NULL, "leader", false, &rng, e)) ||
	    (rc = add_staff(C, "thanhtra", ROLE_SUPERVISOR, NULL, "supervisor", false, &rng, e)))
		return rc;
	char home[DBD_KEY_SIZE];
	snprintf(home, sizeof home, "UBND-%s", home_commune);
	for (size_t i = 0; i < C->nunits; i++) {
		struct unit *u = &C->units[i];
		char low[DBD_KEY_SIZE], user[SERVICE_USERNAME_MAX];
		str_copy(low, sizeof low, u->code);
		lower(low);
		u->off0 = u->spec0 = u->appr0 = (int)C->nstaff;
		if (u->desk) {
			int n = str_eq(u->kind, "branch") ? 3 : 2;
			for (int k = 1; k <= n; k++) {
				const char *login = NULL;
				if (k == 1 &&
				    (str_eq(u->code, "CN01") || str_eq(u->code, "CN02"))) {
					snprintf(user, sizeof user, "canbo.%.40s", low);
					login = "officer";
				} else {
					snprintf(user, sizeof user, "canbo.%.40s.%d", low, k);
				}
				if ((rc = add_staff(C, user, ROLE_OFFICER, u->code, login, true,
				                    &rng, e)))
					return rc;
			}
			u->noff = n;
			continue;
		}
		bool commune = str_eq(u->kind, "commune_committee");
		if (!commune && !u->competent_used)
			continue;
		bool justice = str_eq(u->code, "SO_TU_PHAP"), is_home = str_eq(u->code, home);
		int ns = commune ? 2 : 4, na = commune ? 1 : 2;
		u->spec0 = (int)C->nstaff;
		for (int k = 1; k <= ns; k++) {
			const char *login = NULL;
			if (k == 1 && (justice || is_home)) {
				snprintf(user, sizeof user, "chuyenvien.%s",
				         justice ? "tuphap" : "xa");
				login = "specialist";
			} else {
				snprintf(user, sizeof user, "chuyenvien.%.40s.%d", low, k);
			}
			if ((rc = add_staff(C, user, ROLE_SPECIALIST, u->code, login, true, &rng,
			                    e)))
				return rc;
		}
		u->nspec = ns;
		u->appr0 = (int)C->nstaff;
		for (int k = 1; k <= na; k++) {
			const char *login = NULL;
			if (k == 1 && justice) {
				snprintf(user, sizeof user, "lanhdao.tuphap");
				login = "approver";
			} else if (k == 1 && is_home) {
				snprintf(user, sizeof user, "chutich.xa");
				login = "approver";
			} else {
				snprintf(user, sizeof user, "lanhdao.%.40s.%d", low, k);
			}
			if ((rc = add_staff(C, user, ROLE_APPROVER, u->code, login, true, &rng, e)))
				return rc;
		}
		u->nappr = na;
	}
	return ERR_OK;
}

/* The citizen account of a resident, made at first need (no password: no login). */
static enum err_code person_account(struct city *C, int person, const struct population_person *p,
                                    int64_t now, struct err *e)
{
	if (C->person_account[person][0])
		return ERR_OK;
	struct db_account a;
	memset(&a, 0, sizeof a);
	char id[SERVICE_ID_LEN];
	service_new_id(id);
	str_copy(a.id, sizeof a.id, id);
	str_copy(a.username, sizeof a.username, p->id_number);
	str_copy(a.kind, sizeof a.kind, "citizen");
	a.roles = ROLE_APPLICANT;
	str_copy(a.full_name, sizeof a.full_name, p->full_name);
	str_copy(a.id_number, sizeof a.id_number, p->id_number);
	snprintf(a.phone, sizeof a.phone, "09%08d", (int)(person % 100000000));
	a.created_at = a.updated_at = now;
	enum err_code rc = db_account_insert(C->c, &a, e);
	if (rc != ERR_OK)
		return rc;
	str_copy(C->person_account[person], DBD_ID_SIZE, id);
	C->r->citizens++;
	return ERR_OK;
}

static void citizen_actor(const struct city *C, const struct sim *s, struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_CITIZEN;
	a->roles = ROLE_APPLICANT;
	str_copy(a->account_id, sizeof a->account_id, C->person_account[s->person]);
	str_copy(a->addr, sizeof a->addr, "demo");
}

/* ---- the arrivals ---- */

static const char *const supplement_notes[] = {
        "Đề nghị bổ sung bản sao giấy tờ chứng minh quan hệ nhân thân",
        "Đề nghị bổ sung văn bản ủy quyền có chứng thực",
        "Thông tin trên tờ khai chưa khớp với giấy tờ kèm theo, đề nghị bổ sung",
};
static const char *const late_notes[] = {
        "Hồ sơ cần xác minh thêm với cơ quan có liên quan",
        "Số lượng hồ sơ tăng đột biến trong kỳ",
        "Chờ kết quả liên thông từ cơ quan khác",
        "Cán bộ thụ lý nghỉ ốm, chậm luân chuyển hồ sơ",
};
static const char *const refusal_notes[] = {
        "Hồ sơ không đủ thành phần theo quy định",
        "Giấy tờ nộp kèm không hợp lệ",
};
static const char *const complaint_notes[] = {
        "Giải quyết hồ sơ quá hạn, không được thông báo lý do",
        "Cán bộ hướng dẫn chưa rõ ràng, phải đi lại nhiều lần",
        "Thời gian chờ tại quầy quá lâu",
};
#define NOTE(list, rng) ((list)[demo_rng_next(rng) % (sizeof(list) / sizeof *(list))])

static int sim_cmp(const void *a, const void *b)
{
	const struct sim *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->rng < y->rng ? -1 : x->rng > y->rng;
}

/*
 * An adult resident (18 or older on day), from the dossier's stream. One
 * dossier in DEMO_CITY_OWN_SHARE is the demo citizen's (C->own, the
 * account that can log in), so that /me/dossiers shows a few.
 */
#define DEMO_CITY_OWN_SHARE 400

/* Is p an adult (18 or older) on day? */
static bool adult_on(const struct population_person *p, int64_t day)
{
	return p->birth_day <= day - 18 * 366;
}

static int pick_person(struct city *C, uint64_t *rng, int64_t day, struct population_person *p)
{
	int idx = 0;
	if (demo_rng_next(rng) % DEMO_CITY_OWN_SHARE == 0) {
		population_synth(C->seed, C->own, C->commune_ptrs, C->ncommunes, p);
		if (adult_on(p, day))
			return C->own;
	}
	for (int tries = 0; tries < 8; tries++) {
		idx = (int)(demo_rng_next(rng) % (uint64_t)C->population);
		population_synth(C->seed, idx, C->commune_ptrs, C->ncommunes, p);
		if (adult_on(p, day))
			break;
	}
	return idx;
}

static enum err_code make_arrivals(struct city *C, int64_t first_day, int64_t end, struct err *e)
{
	const struct demo_city_options *o = C->o;
	size_t ndays = (size_t)o->days;
	double *dcum = calloc(ndays, sizeof *dcum), *online_share = calloc(ndays, sizeof *dcum);
	C->sims = calloc((size_t)o->dossiers, sizeof *C->sims);
	C->ndesks = 0;
	C->desks = calloc(C->nunits, sizeof *C->desks);
	C->desk_cum = calloc(C->nunits, sizeof *C->desk_cum);
	if (!dcum || !online_share || !C->sims || !C->desks || !C->desk_cum) {
		free(dcum);
		free(online_share);
		return err_set(e, ERR_NO_MEMORY, "out of memory for %lld dossiers",
		               (long long)o->dossiers);
	}
	for (size_t i = 0; i < C->nunits; i++) {
		if (!C->units[i].desk)
			continue;
		C->desk_cum[C->ndesks] = str_eq(C->units[i].kind, "branch") ? 2.5 : 1.0;
		C->desks[C->ndesks++] = (int)i;
	}
	demo_cumulate(C->desk_cum, C->ndesks);
	for (size_t d = 0; d < ndays; d++) {
		int64_t day = first_day + (int64_t)d;
		enum demo_day_kind k = day_kind(C, day);
		int wd = vntime_weekday(day);
		double wc = demo_day_weight(k, wd, false),
		       wo = ONLINE_WEIGHT * demo_day_weight(k, wd, true);
		dcum[d] = wc + wo;
		online_share[d] = wc + wo > 0 ? wo / (wc + wo) : 0;
	}
	demo_cumulate(dcum, ndays);
	uint64_t rng = C->seed ^ 0x4172726976616cu;
	int64_t end_day;
	int end_sec;
	vntime_split(end, &end_day, &end_sec);
	for (int64_t i = 0; i < o->dossiers; i++) {
		struct sim *s = &C->sims[i];
		s->rng = demo_rng_next(&rng);
		size_t d = demo_pick(dcum, ndays, demo_rng_unit(&rng));
		int64_t day = first_day + (int64_t)d;
		enum demo_day_kind k = day_kind(C, day);
		s->proc = (uint16_t)demo_pick(C->proc_cum, C->nprocs, demo_rng_unit(&rng));
		bool online = demo_rng_chance(&rng, online_share[d]) && C->procs[s->proc].online_ok;
		if (k == DEMO_DAY_CLOSED && !online) { /* counters closed: online after all */
			online = C->procs[s->proc].online_ok;
			if (!online)
				k = DEMO_DAY_WORKING; /* rare: next working morning's counter */
		}
		int sec = demo_arrival_second(k, online, demo_rng_unit(&rng), demo_rng_unit(&rng));
		if (day == end_day && sec >= end_sec) /* the end's day: before the end */
			sec = (int)(demo_rng_unit(&rng) * (end_sec > 0 ? end_sec : 1));
		s->at = vntime_join(day, sec);
		if (!online && day_kind(C, day) == DEMO_DAY_CLOSED)
			s->at = desk_after(C, s->at, 0, &rng);
		s->flags = online ? F_ONLINE : 0;
		s->desk = (int16_t)C->desks[demo_pick(C->desk_cum, C->ndesks, demo_rng_unit(&rng))];
		s->stage = ST_ARRIVE;
		s->comp = -1;
		s->holder = -1;
	}
	free(dcum);
	free(online_share);
	qsort(C->sims, (size_t)o->dossiers, sizeof *C->sims, sim_cmp);
	C->nsims = (size_t)o->dossiers;
	return ERR_OK;
}

/* The fate of a dossier, drawn once at its arrival. */
static void plan_fate(struct sim *s, const struct proc *p)
{
	uint64_t *g = &s->rng;
	bool web = s->flags & F_ONLINE;
	if (demo_rng_chance(g, web ? P_REFUSE_ONLINE : P_REFUSE_COUNTER))
		s->flags |= F_REFUSE_RECEPTION;
	if (web && demo_rng_chance(g, P_WITHDRAW_EARLY))
		s->flags |= F_WITHDRAW_EARLY;
	if (demo_rng_chance(g, web ? P_POST_WEB : P_POST_DESK))
		s->flags |= F_POST;
	if (!web && demo_rng_chance(g, P_POSTAL_INTAKE))
		s->flags |= F_POSTAL_INTAKE;
	if (demo_rng_chance(g, P_SUPPLEMENT)) {
		s->flags |= F_SUPPL;
		if (demo_rng_chance(g, P_SUPPL_GIVE_UP))
			s->flags |= F_GIVE_UP;
	}
	if (p->fee) {
		s->flags |= F_FEE;
		if (demo_rng_chance(g, web ? P_PAY_ONLINE_WEB : P_PAY_ONLINE_DESK))
			s->flags |= F_PAY_ONLINE;
	}
	double u = demo_rng_unit(g);
	if (u < P_WITHDRAW)
		s->flags |= F_WITHDRAW;
	else if (u < P_WITHDRAW + P_STOP)
		s->flags |= F_STOP;
	else if (u < P_WITHDRAW + P_STOP + P_REFUSE)
		s->flags |= F_REFUSE;
	bool late = demo_rng_chance(g, P_LATE);
	if (late) {
		s->flags |= F_LATE;
		if (demo_rng_chance(g, P_EXTEND))
			s->flags |= F_EXTEND;
		s->frac = (float)demo_rng_range(g, 1.05, 1.8);
	} else {
		/* mostly well inside the legal time, some close to it */
		double v = demo_rng_unit(g);
		s->frac = (float)(0.1 + 0.85 * v * v);
	}
	if (p->signoff && demo_rng_chance(g, P_REWORK))
		s->flags |= F_REWORK;
	if (demo_rng_chance(g, P_RATE))
		s->flags |= F_RATE;
	if (demo_rng_chance(g, late ? P_COMPLAIN_LATE : P_COMPLAIN))
		s->flags |= F_COMPLAIN;
}

/* ---- the events ---- */

static struct actor *officer_at(struct city *C, int unit, uint64_t *rng)
{
	const struct unit *u = &C->units[unit];
	return &C->staff[u->off0 + (int)(demo_rng_next(rng) % (uint64_t)u->noff)];
}

static struct actor *approver_of(struct city *C, const struct sim *s)
{
	const struct unit *u = &C->units[s->comp];
	uint64_t r = s->rng;
	return &C->staff[u->appr0 + (int)(demo_rng_next(&r) % (uint64_t)u->nappr)];
}

static struct actor *specialist_of(struct city *C, struct sim *s)
{
	if (s->holder >= 0)
		return &C->staff[s->holder];
	const struct unit *u = &C->units[s->comp];
	s->holder = (int16_t)(u->spec0 + (int)(demo_rng_next(&s->rng) % (uint64_t)u->nspec));
	return &C->staff[s->holder];
}

/* Counts the states at the end. */
static void count_action(struct demo_city_report *r, const char *action, const struct sim *s)
{
	if (str_eq(action, "withdraw"))
		r->withdrawn++;
	else if (str_eq(action, "stop"))
		r->stopped++;
	else if (str_eq(action, "refuse"))
		r->refused++;
	else if (str_eq(action, "refuse_reception"))
		r->refused_reception++;
	else if (str_eq(action, "request_supplement"))
		r->supplements++;
	else if (str_eq(action, "extend"))
		r->extensions++;
	else if (str_eq(action, "record_payment")) {
		r->paid++;
		r->paid_online += (s->flags & F_PAY_ONLINE) != 0;
	} else if (str_eq(action, "deliver") || str_eq(action, "confirm_delivery"))
		r->delivered++;
	else if (str_eq(action, "rate"))
		r->rated++;
	else if (str_eq(action, "complain"))
		r->complaints++;
}

static enum err_code act(struct city *C, struct sim *s, const struct actor *a, const char *action,
                         const struct action_params *p, struct err *e)
{
	struct action_result ar;
	enum err_code rc = action_perform_in(C->c, C->svc, a, s->id, action, s->version, p, &ar, e);
	if (rc != ERR_OK) {
		char detail[ERR_DETAIL_MAX];
		str_copy(detail, sizeof detail, e ? e->detail : "");
		return err_set(e, rc, "demo dossier %s, action '%s' by '%s': %s", s->id, action,
		               a->username, detail);
	}
	s->version = ar.version;
	s->due = ar.due_at;
	enum dossier_state st;
	if (lifecycle_state_from_name(ar.state, &st) == ERR_OK)
		s->state = (uint8_t)st;
	if (str_eq(ar.step_result, "late") && (str_eq(ar.state, "result_ready")))
		C->r->late++;
	count_action(C->r, action, s);
	C->r->events++;
	C->batch_events++;
	return ERR_OK;
}

/* The request of a new dossier for the person. */
static void make_request(struct city *C, struct sim *s, const struct population_person *p,
                         struct intake_request *req, struct intake_component *comps, char *phone,
                         size_t phonesz, char *post)
{
	const struct proc *pr = &C->procs[s->proc];
	intake_request_init(req);
	req->procedure_code = pr->code;
	req->applicant_kind = INTAKE_PERSON;
	req->applicant_name = p->full_name;
	req->id_number = p->id_number;
	req->birth_day = p->birth_day;
	snprintf(phone, phonesz, "09%08llu", (unsigned long long)(s->rng % 100000000u));
	req->phone = phone;
	req->address = p->residence_address;
	req->residence_commune = p->residence_commune;
	if (demo_rng_chance(&s->rng, 0.85))
		req->property_commune = p->residence_commune;
	else
		req->property_commune =
		        C->commune_ptrs[demo_rng_next(&s->rng) % (uint64_t)C->ncommunes];
	for (size_t i = 0; i < pr->ncomps; i++) {
		comps[i].seq = pr->comps[i];
		comps[i].original_kept = false;
	}
	req->components = comps;
	req->n_components = pr->ncomps;
	req->owner_account = C->person_account[s->person];
	req->received_by_post = (s->flags & F_POSTAL_INTAKE) != 0;
	if (s->flags & F_POST) {
		snprintf(post, DBD_TEXT_SIZE, "%s", p->residence_address);
		req->by_post = true;
		req->post_address = post;
	} else if (s->flags & F_ONLINE) {
		req->collection_unit = C->units[s->desk].code;
	}
}

/* Plans the next event of processing (after take, a supplement, a payment). */
static void plan_processing(struct city *C, struct sim *s, int64_t now, int64_t *next)
{
	uint64_t *g = &s->rng;
	const struct proc *p = &C->procs[s->proc];
	double L = span(C, s->start, s->due);
	if (!s->target || s->target <= now)
		s->target = work_after(C, s->start, s->frac * L);
	if (s->target <= now + 600)
		s->target = work_after(C, now, demo_rng_range(g, 0.5, 3) * HOUR);
	double left = span(C, now, s->target);
	if ((s->flags & F_SUPPL) && !(s->flags & F_SUPPL_DONE)) {
		s->stage = ST_REQ_SUPPL;
		*next = work_after(C, now, left * demo_rng_range(g, 0.05, 0.3));
	} else if ((s->flags & F_FEE) && !(s->flags & F_FEE_DONE)) {
		s->stage = ST_REQ_FEE;
		*next = work_after(C, now, left * demo_rng_range(g, 0.05, 0.3));
	} else if ((s->flags & (F_WITHDRAW | F_STOP)) && !(s->flags & F_QUIT_DONE)) {
		s->stage = (s->flags & F_WITHDRAW) ? ST_WITHDRAW : ST_STOP;
		*next = work_after(C, now, left * demo_rng_range(g, 0.1, 0.8));
	} else if ((s->flags & F_EXTEND) && !(s->flags & F_EXT_DONE) && s->due != DB_NONE &&
	           s->target > s->due) {
		/* the apology and new appointment, a little before the due */
		int64_t at = s->due - (int64_t)(demo_rng_range(g, 1, 4) * HOUR);
		s->stage = ST_EXTEND;
		*next = at > now + 60 ? work_after(C, at, 0) : work_after(C, now, 600);
		if (*next >= s->target) {
			s->flags |= F_EXT_DONE; /* no room: late without an apology */
			plan_processing(C, s, now, next);
		}
	} else if (p->signoff && s->state == STATE_PROCESSING) {
		s->stage = ST_SUBMIT_SIGNOFF;
		*next = work_after(C, now, left * demo_rng_range(g, 0.6, 0.9));
	} else {
		s->stage = ST_DECIDE;
		*next = s->target > now ? s->target : work_after(C, now, HOUR);
	}
}

/* After the result is ready: its way back to the applicant. */
static void plan_return(struct city *C, struct sim *s, int64_t now, int64_t *next)
{
	uint64_t *g = &s->rng;
	s->stage = (s->flags & F_POST) ? ST_POST : ST_SEND;
	*next = work_after(C, now, demo_rng_range(g, 0.2, 6) * HOUR);
}

/* After delivery: a rating, a complaint, or nothing. */
static void plan_after(struct city *C, struct sim *s, int64_t now, int64_t *next)
{
	uint64_t *g = &s->rng;
	if ((s->flags & F_RATE) && s->state == STATE_DELIVERED) {
		s->stage = ST_RATE;
		*next = web_after(C, now, (int)(demo_rng_unit(g) * 3), g);
	} else if (s->flags & F_COMPLAIN) {
		s->stage = ST_COMPLAIN;
		*next = web_after(C, now, 1 + (int)(demo_rng_unit(g) * 5), g);
	} else {
		s->stage = ST_DONE;
		*next = INT64_MAX;
	}
}

/* Received (counter or accepted online): the agency takes it soon. */
static void plan_received(struct city *C, struct sim *s, int64_t now, int64_t received,
                          int64_t *next)
{
	s->start = received != DB_NONE ? received : now;
	s->target = 0;
	double L = span(C, s->start, s->due);
	s->stage = ST_TAKE;
	double t = L * demo_rng_range(&s->rng, 0.02, 0.12);
	*next = work_after(C, s->start > now ? s->start : now, t < 3 * HOUR ? t : 3 * HOUR);
}

static enum err_code arrive(struct city *C, struct sim *s, int64_t now, int64_t *next,
                            struct err *e)
{
	const struct proc *pr = &C->procs[s->proc];
	struct population_person p;
	int64_t today;
	vntime_split(now, &today, NULL);
	s->person = pick_person(C, &s->rng, today, &p);
	plan_fate(s, pr);
	enum err_code rc = person_account(C, s->person, &p, now, e);
	if (rc != ERR_OK)
		return rc;
	struct intake_request req;
	struct intake_component comps[MAX_COMPONENTS];
	char phone[16], post[DBD_TEXT_SIZE];
	make_request(C, s, &p, &req, comps, phone, sizeof phone, post);
	struct intake_result res;
	const char *what;
	struct actor citizen;
	const struct actor *by;
	if (s->flags & F_ONLINE) {
		citizen_actor(C, s, &citizen);
		by = &citizen;
		what = "submit";
		req.owner_account = NULL;
		C->r->online++;
		rc = intake_submit_in(C->c, C->svc, by, &req, &res, e);
	} else if (s->flags & F_REFUSE_RECEPTION) {
		by = officer_at(C, s->desk, &s->rng);
		what = "refuse_reception";
		C->r->counter++;
		rc = intake_refuse_in(C->c, C->svc, by, &req, NOTE(refusal_notes, &s->rng), &res,
		                      e);
	} else {
		by = officer_at(C, s->desk, &s->rng);
		what = "receive";
		C->r->counter++;
		rc = intake_receive_in(C->c, C->svc, by, &req, &res, e);
	}
	if (rc != ERR_OK) {
		char detail[ERR_DETAIL_MAX];
		str_copy(detail, sizeof detail, e ? e->detail : "");
		return err_set(e, rc, "demo intake '%s' of procedure '%s' by '%s': %s", what,
		               pr->code, by->username, detail);
	}
	str_copy(s->id, sizeof s->id, res.id);
	s->version = res.version;
	s->due = res.due_at;
	enum dossier_state st;
	if (lifecycle_state_from_name(res.state, &st) == ERR_OK)
		s->state = (uint8_t)st;
	s->comp = (int16_t)(str_empty(res.competent_unit) ? -1 : unit_find(C, res.competent_unit));
	C->r->dossiers++;
	C->r->events++;
	C->batch_events++;
	if (s->flags & F_ONLINE) {
		if (s->comp < 0 || C->units[s->comp].nspec == 0)
			return err_set(e, ERR_INTERNAL, "demo dossier %s has no competent unit",
			               s->id);
		uint64_t *g = &s->rng;
		if (s->flags & F_WITHDRAW_EARLY) {
			s->stage = ST_WITHDRAW_EARLY;
			*next = web_after(C, now, 0, g);
		} else {
			s->stage = (s->flags & F_REFUSE_RECEPTION) ? ST_REFUSE_ONLINE : ST_ACCEPT;
			*next = work_after(C, now, demo_rng_range(g, 0.2, 6) * HOUR);
		}
		return ERR_OK;
	}
	if (s->flags & F_REFUSE_RECEPTION) {
		C->r->refused_reception++;
		s->stage = ST_DONE;
		*next = INT64_MAX;
		return ERR_OK;
	}
	if (s->comp < 0 || C->units[s->comp].nspec == 0)
		return err_set(e, ERR_INTERNAL, "demo dossier %s has no staffed competent unit",
		               s->id);
	plan_received(C, s, now, res.received_at, next);
	return ERR_OK;
}

/* Performs the dossier's pending event at now and plans its next one (*next). */
static enum err_code step(struct city *C, struct sim *s, int64_t now, int64_t *next, struct err *e)
{
	uint64_t *g = &s->rng;
	struct action_params p;
	action_params_init(&p);
	struct actor citizen;
	citizen_actor(C, s, &citizen);
	bool web = s->flags & F_ONLINE;
	enum err_code rc = ERR_OK;
	*next = INT64_MAX;
	switch ((enum stage)s->stage) {
	case ST_ARRIVE:
		return arrive(C, s, now, next, e);
	case ST_ACCEPT: {
		struct action_result ar;
		const struct actor *a = officer_at(C, s->desk, g);
		rc = action_perform_in(C->c, C->svc, a, s->id, "accept", s->version, &p, &ar, e);
		if (rc != ERR_OK)
			return err_set(e, rc, "demo dossier %s, accept: %s", s->id,
			               e ? e->detail : "");
		s->version = ar.version;
		s->due = ar.due_at;
		s->state = STATE_RECEIVED;
		C->r->events++;
		C->batch_events++;
		plan_received(C, s, now, ar.received_at, next);
		return ERR_OK;
	}
	case ST_REFUSE_ONLINE:
		p.note = NOTE(refusal_notes, g);
		rc = act(C, s, officer_at(C, s->desk, g), "refuse_reception", &p, e);
		return rc;
	case ST_WITHDRAW_EARLY:
		return act(C, s, &citizen, "withdraw", &p, e);
	case ST_TAKE:
		if ((rc = act(C, s, specialist_of(C, s), "take", &p, e)))
			return rc;
		plan_processing(C, s, now, next);
		return ERR_OK;
	case ST_REQ_SUPPL:
		p.note = NOTE(supplement_notes, g);
		if ((rc = act(C, s, specialist_of(C, s), "request_supplement", &p, e)))
			return rc;
		s->flags |= F_SUPPL_DONE;
		if (s->flags & F_GIVE_UP) {
			s->stage = ST_GIVE_UP;
			*next = web_after(C, now, 15 + (int)(demo_rng_unit(g) * 20), g);
		} else {
			s->stage = ST_ANSWER_SUPPL;
			int days = 1 + (int)(demo_rng_unit(g) * 6);
			*next = web ? web_after(C, now, days, g) : desk_after(C, now, days, g);
		}
		return ERR_OK;
	case ST_ANSWER_SUPPL:
		if ((rc = act(C, s, web ? &citizen : officer_at(C, s->desk, g),
		              "receive_supplement", &p, e)))
			return rc;
		/* the legal time restarted: a new plan from now */
		s->start = now;
		s->target = 0;
		plan_processing(C, s, now, next);
		return ERR_OK;
	case ST_GIVE_UP:
		if (demo_rng_chance(g, 0.5))
			return act(C, s, web ? &citizen : officer_at(C, s->desk, g), "withdraw", &p,
			           e);
		p.note = "Quá thời hạn bổ sung hồ sơ mà người nộp không bổ sung";
		return act(C, s, approver_of(C, s), "stop", &p, e);
	case ST_REQ_FEE:
		if ((rc = act(C, s, specialist_of(C, s), "request_fee", &p, e)))
			return rc;
		s->flags |= F_FEE_DONE;
		s->stage = ST_PAY;
		*next = (s->flags & F_PAY_ONLINE)
		                ? web_after(C, now, (int)(demo_rng_unit(g) * 3), g)
		                : desk_after(C, now, (int)(demo_rng_unit(g) * 3), g);
		return ERR_OK;
	case ST_PAY:
		if (s->flags & F_PAY_ONLINE) {
			p.payment_channel = "online";
			rc = act(C, s, &citizen, "record_payment", &p, e);
		} else {
			p.payment_channel = "counter";
			rc = act(C, s, officer_at(C, s->desk, g), "record_payment", &p, e);
		}
		if (rc != ERR_OK)
			return rc;
		plan_processing(C, s, now, next);
		return ERR_OK;
	case ST_WITHDRAW:
		s->flags |= F_QUIT_DONE;
		return act(C, s, web ? &citizen : officer_at(C, s->desk, g), "withdraw", &p, e);
	case ST_STOP:
		s->flags |= F_QUIT_DONE;
		p.note = "Dừng xử lý theo đề nghị của cơ quan có thẩm quyền";
		return act(C, s, approver_of(C, s), "stop", &p, e);
	case ST_EXTEND: {
		s->flags |= F_EXT_DONE;
		p.note = NOTE(late_notes, g);
		p.new_due = work_after(C, s->target, demo_rng_range(g, 1, 16) * HOUR);
		if (s->due != DB_NONE && p.new_due <= s->due)
			p.new_due = work_after(C, s->due, 8 * HOUR);
		if ((rc = act(C, s, specialist_of(C, s), "extend", &p, e)))
			return rc;
		plan_processing(C, s, now, next);
		return ERR_OK;
	}
	case ST_SUBMIT_SIGNOFF:
		if ((rc = act(C, s, specialist_of(C, s), "submit_signoff", &p, e)))
			return rc;
		if ((s->flags & F_REWORK) && !(s->flags & F_REWORK_DONE)) {
			s->stage = ST_REWORK;
			*next = work_after(C, now, demo_rng_range(g, 0.5, 4) * HOUR);
		} else {
			s->stage = ST_DECIDE;
			*next = s->target > now + 600
			                ? s->target
			                : work_after(C, now, demo_rng_range(g, 0.3, 3) * HOUR);
		}
		return ERR_OK;
	case ST_REWORK:
		s->flags |= F_REWORK_DONE;
		p.note = "Đề nghị hoàn thiện lại dự thảo kết quả";
		if ((rc = act(C, s, approver_of(C, s), "return_for_rework", &p, e)))
			return rc;
		s->stage = ST_SUBMIT_SIGNOFF;
		*next = work_after(C, now, demo_rng_range(g, 1, 8) * HOUR);
		return ERR_OK;
	case ST_DECIDE: {
		bool refuse = s->flags & F_REFUSE;
		const struct actor *a = s->state == STATE_AWAITING_SIGNOFF ? approver_of(C, s)
		                                                           : specialist_of(C, s);
		const char *action = refuse                               ? "refuse"
		                     : s->state == STATE_AWAITING_SIGNOFF ? "sign_off"
		                                                          : "complete";
		if (refuse)
			p.note = "Hồ sơ không đủ điều kiện giải quyết theo quy định";
		else if ((s->flags & F_LATE) && !(s->flags & F_EXT_DONE))
			p.note = NOTE(late_notes, g); /* the reason of a late result */
		if ((rc = act(C, s, a, action, &p, e)))
			return rc;
		plan_return(C, s, now, next);
		return ERR_OK;
	}
	case ST_SEND:
		if ((rc = act(C, s, specialist_of(C, s), "send_result", &p, e)))
			return rc;
		s->stage = ST_RECV_RESULT;
		*next = work_after(C, now, demo_rng_range(g, 1, 8) * HOUR);
		return ERR_OK;
	case ST_RECV_RESULT:
		if ((rc = act(C, s, officer_at(C, s->desk, g), "receive_result", &p, e)))
			return rc;
		s->stage = ST_DELIVER;
		*next = desk_after(C, now, (int)(demo_rng_unit(g) * demo_rng_unit(g) * 8), g);
		return ERR_OK;
	case ST_DELIVER: {
		struct population_person pp;
		population_synth(C->seed, s->person, C->commune_ptrs, C->ncommunes, &pp);
		p.collector_id_number = pp.id_number;
		if ((rc = act(C, s, officer_at(C, s->desk, g), "deliver", &p, e)))
			return rc;
		plan_after(C, s, now, next);
		return ERR_OK;
	}
	case ST_POST:
		if ((rc = act(C, s, specialist_of(C, s), "post_result", &p, e)))
			return rc;
		s->stage = ST_CONFIRM;
		*next = web_after(C, now, 2 + (int)(demo_rng_unit(g) * 3), g);
		return ERR_OK;
	case ST_CONFIRM:
		if ((rc = act(C, s, &C->sys, "confirm_delivery", &p, e)))
			return rc;
		plan_after(C, s, now, next);
		return ERR_OK;
	case ST_RATE: {
		bool late = s->flags & F_LATE;
		double u = demo_rng_unit(g), bad = late ? P_DISSAT_LATE : P_DISSATISFIED;
		p.rating = u < bad                             ? "dissatisfied"
		           : u < bad + 0.06                    ? "neutral"
		           : u < bad + 0.06 + (1 - bad) * 0.35 ? "satisfied"
		                                               : "very_satisfied";
		if ((rc = act(C, s, &citizen, "rate", &p, e)))
			return rc;
		s->flags &= ~(uint32_t)F_RATE;
		plan_after(C, s, now, next);
		return ERR_OK;
	}
	case ST_COMPLAIN:
		p.complaint = NOTE(complaint_notes, g);
		if ((rc = act(C, s, &citizen, "complain", &p, e)))
			return rc;
		s->flags &= ~(uint32_t)F_COMPLAIN;
		s->stage = ST_DONE;
		return ERR_OK;
	case ST_DONE:
		return ERR_OK;
	}
	return ERR_OK;
}

/* ---- transactions ---- */

static enum err_code batch_begin(struct city *C, struct err *e)
{
	enum err_code rc = db_begin(C->c, DB_TXN_WRITE, e);
	if (rc == ERR_OK)
		indicators_batch_begin();
	C->batch_events = 0;
	return rc;
}

static enum err_code batch_commit(struct city *C, int64_t now, struct err *e)
{
	enum err_code rc = db_outbox_settle_unsent(C->c, ACTION_OUTBOX_TOPIC, now,
	                                           DEMO_CITY_OUTBOX_NOTE, NULL, e);
	if (rc == ERR_OK)
		rc = indicators_batch_flush(C->c, e);
	indicators_batch_end();
	if (rc == ERR_OK)
		rc = db_commit(C->c, e);
	if (rc != ERR_OK) {
		db_rollback(C->c);
		return rc;
	}
	C->r->transactions++;
	return ERR_OK;
}

static void batch_abort(struct city *C)
{
	indicators_batch_end();
	db_rollback(C->c);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum err_code simulate(struct city *C, int64_t end, struct err *e)
{
	enum err_code rc;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int64_t limit = C->o->batch_events > 0 ? C->o->batch_events : DEMO_CITY_BATCH_EVENTS;
	size_t next_arrival = 0;
	int64_t now = C->nsims ? C->sims[0].at : end;
	if ((rc = batch_begin(C, e)))
		return rc;
	for (;;) {
		uint32_t idx;
		bool from_heap = C->nheap > 0 && (next_arrival >= C->nsims ||
		                                  C->heap[0].at < C->sims[next_arrival].at);
		if (from_heap) {
			struct qitem it = q_pop(C);
			idx = it.idx;
			now = it.at;
		} else if (next_arrival < C->nsims) {
			idx = (uint32_t)next_arrival++;
			now = C->sims[idx].at;
		} else {
			break;
		}
		if (now >= end)
			break;
		C->svc->clock.at = now;
		int64_t next;
		if ((rc = step(C, &C->sims[idx], now, &next, e))) {
			batch_abort(C);
			return rc;
		}
		if (next < end && (rc = q_push(C, next, idx, e))) {
			batch_abort(C);
			return rc;
		}
		if (C->batch_events >= limit) {
			if ((rc = batch_commit(C, now, e)))
				return rc;
			if (C->o->progress) {
				char day[VNTIME_DATE_LEN];
				int64_t d;
				vntime_split(now, &d, NULL);
				vntime_format_date(d, day);
				fprintf(C->o->progress,
				        "demo city: %s, %zu/%zu dossiers arrived, %lld events, "
				        "%.1f s\n",
				        day, next_arrival, C->nsims, (long long)C->r->events,
				        seconds_since(&t0));
				fflush(C->o->progress);
			}
			if ((rc = batch_begin(C, e)))
				return rc;
		}
	}
	if ((rc = batch_commit(C, now < end ? now : end - 1, e)))
		return rc;
	C->r->seconds = seconds_since(&t0);
	return ERR_OK;
}

/* ---- the whole run ---- */

struct count_ctx {
	int64_t n;
};

static enum err_code count_accounts(struct db_conn *c, void *vctx, struct err *e)
{
	struct count_ctx *x = vctx;
	return db_dossier_count(c, "account", &x->n, e);
}

static enum err_code bulk_mode(struct db_conn *c, bool on, struct err *e)
{
	enum err_code rc = db_exec(c, on ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=FULL",
	                           DB_NOARGS, NULL, e);
	if (rc == ERR_OK)
		rc = db_exec(c, on ? "PRAGMA cache_size=-1048576" : "PRAGMA cache_size=-2000",
		             DB_NOARGS, NULL, e);
	if (rc == ERR_OK)
		rc = db_exec(c, on ? "PRAGMA foreign_keys=OFF" : "PRAGMA foreign_keys=ON",
		             DB_NOARGS, NULL, e);
	/* statement journals of a long transaction in memory, not in a temporary file */
	if (rc == ERR_OK)
		rc = db_exec(c, on ? "PRAGMA temp_store=MEMORY" : "PRAGMA temp_store=DEFAULT",
		             DB_NOARGS, NULL, e);
	return rc;
}

/*
 * The secondary indexes of the tables every event writes (dossier,
 * dossier_event, audit) are set aside during a bulk run on SQLite and built
 * again at the end from their SQL as stored (so the schema is the same as the
 * migrations made it): one sort at the end costs less than keeping a dozen
 * B-trees in order at every event. The indexes that the generation reads
 * through (primary keys, UNIQUE constraints, those of other tables) stay.
 */
#define BULK_MAX_INDEXES 32
#define BULK_INDEX_NAME  64

struct bulk_indexes {
	size_t n;
	char name[BULK_MAX_INDEXES][BULK_INDEX_NAME];
	char *sql[BULK_MAX_INDEXES];
};

static void indexes_release(struct bulk_indexes *bi)
{
	for (size_t i = 0; i < bi->n; i++)
		free(bi->sql[i]);
	bi->n = 0;
}

/* Whether name is a plain identifier that may be written into DROP INDEX. */
static bool plain_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static enum err_code indexes_read(struct db_conn *c, struct bulk_indexes *bi, struct err *e)
{
	struct db_stmt *st;
	enum err_code rc = db_query(c,
	                            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND "
	                            "sql IS NOT NULL AND tbl_name IN ('dossier', 'dossier_event', "
	                            "'audit') ORDER BY name",
	                            DB_NOARGS, &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row = false;
		if ((rc = db_step(st, &row, e)) || !row)
			break;
		size_t len = 0;
		const char *name = db_col_text(st, 0, &len);
		const char *sql = db_col_text(st, 1, NULL);
		if (bi->n == BULK_MAX_INDEXES || !name || len >= BULK_INDEX_NAME || !sql ||
		    !plain_name(name)) {
			rc = err_set(e, ERR_INTERNAL, "unexpected index '%.60s'", name ? name : "");
			break;
		}
		str_copy(bi->name[bi->n], BULK_INDEX_NAME, name);
		if (!(bi->sql[bi->n] = strdup(sql))) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
			break;
		}
		bi->n++;
	}
	db_finish(st);
	return rc;
}

/* Reads and drops the indexes, in one transaction; on failure nothing is dropped. */
static enum err_code indexes_set_aside(struct db_conn *c, struct bulk_indexes *bi, struct err *e)
{
	enum err_code rc = db_begin(c, DB_TXN_WRITE, e);
	if (rc != ERR_OK)
		return rc;
	rc = indexes_read(c, bi, e);
	for (size_t i = 0; rc == ERR_OK && i < bi->n; i++) {
		char sql[BULK_INDEX_NAME + 16];
		snprintf(sql, sizeof sql, "DROP INDEX %s", bi->name[i]);
		rc = db_exec(c, sql, DB_NOARGS, NULL, e);
	}
	if (rc == ERR_OK)
		rc = db_commit(c, e);
	if (rc != ERR_OK) {
		db_rollback(c);
		indexes_release(bi);
	}
	return rc;
}

/* Builds the indexes set aside again, in one transaction, and forgets them. */
static enum err_code indexes_restore(struct db_conn *c, struct bulk_indexes *bi, struct err *e)
{
	if (!bi->n)
		return ERR_OK;
	enum err_code rc = db_begin(c, DB_TXN_WRITE, e);
	for (size_t i = 0; rc == ERR_OK && i < bi->n; i++)
		rc = db_exec(c, bi->sql[i], DB_NOARGS, NULL, e);
	if (rc == ERR_OK)
		rc = db_commit(c, e);
	if (rc != ERR_OK)
		db_rollback(c);
	else
		indexes_release(bi);
	return rc;
}

static void city_release(struct city *C)
{
	free(C->units);
	free(C->procs);
	free(C->proc_cum);
	free(C->communes);
	free(C->commune_ptrs);
	free(C->desks);
	free(C->desk_cum);
	free(C->person_account);
	free(C->staff);
	free(C->sims);
	free(C->heap);
}

enum err_code demo_city_run(struct service *svc, struct accounts *acc,
                            const struct demo_city_options *o, struct demo_city_report *out,
                            struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!svc || !acc || !o)
		return err_set(e, ERR_INTERNAL, "no service, accounts or options");
	if (o->dossiers < 1 || o->dossiers > DEMO_CITY_MAX_DOSSIERS)
		return err_set(e, ERR_INVALID_ARGUMENT, "the dossiers must number 1 to %d",
		               DEMO_CITY_MAX_DOSSIERS);
	if (o->days < 1 || o->days > DEMO_CITY_MAX_DAYS)
		return err_set(e, ERR_INVALID_ARGUMENT, "the days must number 1 to %d",
		               DEMO_CITY_MAX_DAYS);
	if (o->population < 0 || o->population > POPULATION_GENERATE_MAX)
		return err_set(e, ERR_INVALID_ARGUMENT, "the population must be 0 to %d",
		               POPULATION_GENERATE_MAX);
	enum err_code rc;
	struct count_ctx cnt = {0};
	if ((rc = db_run_txn(svc->db, DB_TXN_READ, count_accounts, &cnt, e)) != ERR_OK)
		return rc;
	if (cnt.n > 0)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "the database already has %lld accounts; the demo runs on a fresh "
		               "database only",
		               (long long)cnt.n);

	struct city C;
	struct bulk_indexes aside = {0};
	memset(&C, 0, sizeof C);
	C.svc = svc;
	C.acc = acc;
	C.o = o;
	C.r = out;
	C.seed = o->seed;
	C.cal = svc->cal;
	service_system_actor(&C.sys, "demo");
	struct clock saved = svc->clock;
	bool sqlite = str_eq(db_driver_name(svc->db), "sqlite");
	int64_t end_day;
	vntime_split(o->end, &end_day, NULL);
	int64_t first_day = end_day - o->days + 1;
	out->first_day = first_day;
	out->end = o->end;
	if (first_day < worktime_first_day(C.cal) || end_day + 90 > worktime_last_day(C.cal))
		return err_set(e, ERR_INVALID_ARGUMENT, "the period is outside the calendar");
	svc->clock.fixed = true;
	svc->clock.at = vntime_join(first_day - 1, 7 * HOUR); /* the set-up, the day before */

	if ((rc = db_thread_conn(svc->db, &C.c, e)))
		goto out;
	if (o->bulk && sqlite && (rc = bulk_mode(C.c, true, e)))
		goto out;
	if ((rc = db_run_txn(svc->db, DB_TXN_READ, load_txn, &C, e)))
		goto out;

	/* residents */
	int64_t pop = o->population ? o->population : o->dossiers / 2;
	if (pop < DEMO_CITY_MIN_PEOPLE)
		pop = DEMO_CITY_MIN_PEOPLE;
	if (pop > POPULATION_GENERATE_MAX)
		pop = POPULATION_GENERATE_MAX;
	C.population = (int)pop;
	struct population_person first;
	struct population_report prep;
	if ((rc = population_generate(svc->db, C.population, C.seed, &first, 1, &prep, e)))
		goto out;
	out->population = pop;
	/* the citizen who logs in: the first resident who is an adult all period */
	for (int i = 0; i < C.population && i < 1000; i++) {
		struct population_person cand;
		population_synth(C.seed, i, C.commune_ptrs, C.ncommunes, &cand);
		if (adult_on(&cand, first_day)) {
			C.own = i;
			first = cand;
			break;
		}
	}
	C.person_account = calloc((size_t)pop, sizeof *C.person_account);
	if (!C.person_account) {
		rc = err_set(e, ERR_NO_MEMORY, "out of memory for %lld residents", (long long)pop);
		goto out;
	}

	/* staff, and the first resident as a citizen who can log in */
	if ((rc = make_staff(&C, first.residence_commune, e)))
		goto out;
	struct demo_account *cit = &out->login.accounts[out->login.n_accounts];
	demo_random_password(cit->password);
	struct account_registration reg = {ACTOR_CITIZEN,   first.id_number, NULL,
	                                   first.full_name, "0912345678",    NULL,
	                                   cit->password};
	struct account_info cinfo;
	if ((rc = account_register(acc, &reg, &cinfo, e)))
		goto out;
	str_copy(cit->role, sizeof cit->role, "citizen");
	str_copy(cit->username, sizeof cit->username, cinfo.username);
	out->login.n_accounts++;
	str_copy(C.person_account[C.own], DBD_ID_SIZE, cinfo.id);
	out->citizens++;
	out->login.population = C.population;

	/* the dossiers */
	if ((rc = make_arrivals(&C, first_day, o->end, e)))
		goto out;
	if (o->bulk && sqlite && (rc = indexes_set_aside(C.c, &aside, e)))
		goto out;
	rc = simulate(&C, o->end, e);
	if (rc == ERR_OK)
		rc = indexes_restore(C.c, &aside, e);
	for (size_t i = 0; i < C.nsims; i++) {
		enum dossier_state st = (enum dossier_state)C.sims[i].state;
		if (st != STATE_NONE && lifecycle_clock_of(st) != CLOCK_DONE)
			out->in_progress++;
	}
out:
	if (aside.n) {
		/* after a failure: the schema as the migrations made it, if at all possible */
		if (C.c && db_in_txn(C.c))
			db_rollback(C.c);
		if (C.c)
			indexes_restore(C.c, &aside, NULL);
		indexes_release(&aside);
	}
	if (o->bulk && sqlite && C.c)
		bulk_mode(C.c, false, NULL);
	svc->clock = saved;
	city_release(&C);
	return rc;
}
