/*
 * indicator_rules: which counters one event moves (see indicator_rules.h
 * and docs/indicators.md for the meaning of each figure).
 */
#include "domain/indicator_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/lifecycle.h"
#include "domain/worktime.h"

static const char *const metric_names[INDR_N_METRICS] = {
        [INDR_RECEIVED] = "received",
        [INDR_RECEIVED_ONLINE] = "received_online",
        [INDR_RECEIVED_COUNTER] = "received_counter",
        [INDR_RECEIVED_POSTAL] = "received_postal",
        [INDR_RECEIVED_FULLY_ONLINE] = "received_fully_online",
        [INDR_RESOLVED_EARLY] = "resolved_early",
        [INDR_RESOLVED_ON_TIME] = "resolved_on_time",
        [INDR_RESOLVED_LATE] = "resolved_late",
        [INDR_REFUSED_RECEPTION] = "refused_reception",
        [INDR_REFUSED] = "refused",
        [INDR_WITHDRAWN] = "withdrawn",
        [INDR_STOPPED] = "stopped",
        [INDR_SUPPLEMENTS] = "supplements",
        [INDR_EXTENSIONS] = "extensions",
        [INDR_PAID] = "paid",
        [INDR_PAID_ONLINE] = "paid_online",
        [INDR_COMPONENTS_DIGITISED] = "components_digitised",
        [INDR_COMPONENTS_REUSED] = "components_reused",
        [INDR_RESULTS_ELECTRONIC] = "results_electronic",
        [INDR_RATED] = "rated",
        [INDR_RATED_DISSATISFIED] = "rated_dissatisfied",
        [INDR_COMPLAINED] = "complained",
        [INDR_UNSATISFIED] = "unsatisfied",
        [INDR_STEPS_DONE] = "steps_done",
        [INDR_STEPS_LATE] = "steps_late",
        [INDR_OPEN] = "open",
        [INDR_OPEN_LATE] = "open_late",
};

static const char *const dim_names[INDR_N_DIMS] = {
        "city", "agency", "branch", "commune", "officer", "procedure", "sector", "step",
};

const char *indr_metric_name(int metric)
{
	return metric >= 0 && metric < INDR_N_METRICS ? metric_names[metric] : NULL;
}

bool indr_metric_is_stock(int metric)
{
	return metric == INDR_OPEN || metric == INDR_OPEN_LATE;
}

const char *indr_dim_name(int dim)
{
	return dim >= 0 && dim < INDR_N_DIMS ? dim_names[dim] : NULL;
}

int64_t indr_day(int64_t at)
{
	int64_t day;
	vntime_split(at, &day, NULL);
	return day;
}

/* FNV-1a, 64 bits. */
static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211u;
	}
	return h;
}

#define FNV_SEED 14695981039346656037u

int indr_shard(const char *dossier_id, int dim)
{
	if (dim != INDR_CITY && dim != INDR_SECTOR)
		return 0;
	const char *s = dossier_id ? dossier_id : "";
	return (int)(hash_bytes(s, strlen(s), FNV_SEED) % INDR_SHARDS);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static enum lifecycle_clock clock_of(const char *state)
{
	enum dossier_state s;
	if (lifecycle_state_from_name(nz(state), &s) != ERR_OK)
		return CLOCK_IDLE;
	return lifecycle_clock_of(s);
}

void indr_signature(const struct indr_event *ev, struct indr_sig *out)
{
	memset(out, 0, sizeof *out);
	enum lifecycle_clock ck = clock_of(ev->to_state);
	out->open = ck == CLOCK_RUNNING || ck == CLOCK_PAUSED;
	out->late_day = INDR_NONE;
	if (out->open && ev->legal_due != INDR_NONE) {
		/* paused: late only when the pause began after the legal due */
		if (ck != CLOCK_PAUSED ||
		    (ev->paused_at != INDR_NONE && ev->paused_at > ev->legal_due))
			out->late_day = indr_day(ev->legal_due);
	}
	str_copy(out->agency, sizeof out->agency, nz(ev->agency));
	str_copy(out->branch, sizeof out->branch, nz(ev->branch));
	str_copy(out->commune, sizeof out->commune, nz(ev->commune));
	str_copy(out->procedure, sizeof out->procedure, nz(ev->procedure));
	str_copy(out->sector, sizeof out->sector, nz(ev->sector));
}

bool indr_sig_equal(const struct indr_sig *a, const struct indr_sig *b)
{
	return a->open == b->open && a->late_day == b->late_day && str_eq(a->agency, b->agency) &&
	       str_eq(a->branch, b->branch) && str_eq(a->commune, b->commune) &&
	       str_eq(a->procedure, b->procedure) && str_eq(a->sector, b->sector);
}

/* ---- building the list of deltas ---- */

struct out {
	struct indr_delta *d;
	size_t n, max;
};

static void put(struct out *o, int dim, const char *key, int64_t day, int metric, int64_t n)
{
	if (o->n < o->max) {
		struct indr_delta *x = &o->d[o->n];
		x->dim = dim;
		x->metric = metric;
		x->day = day;
		x->n = n;
		str_copy(x->key, sizeof x->key, nz(key));
	}
	o->n++;
}

/* The groups every counter of a dossier belongs to (not officer, not step). */
static void put_groups(struct out *o, const char *agency, const char *branch, const char *commune,
                       const char *procedure, const char *sector, int64_t day, int metric,
                       int64_t n)
{
	put(o, INDR_CITY, "", day, metric, n);
	put(o, INDR_AGENCY, agency, day, metric, n);
	put(o, INDR_BRANCH, branch, day, metric, n);
	put(o, INDR_COMMUNE, commune, day, metric, n);
	put(o, INDR_PROCEDURE, procedure, day, metric, n);
	put(o, INDR_SECTOR, sector, day, metric, n);
}

static void put_sig(struct out *o, const struct indr_sig *s, int64_t day, int metric, int64_t n)
{
	put_groups(o, s->agency, s->branch, s->commune, s->procedure, s->sector, day, metric, n);
}

/* A flow of the event: every group, and the officer when a staff account acted. */
static void put_flow(struct out *o, const struct indr_event *ev, int64_t day, int metric)
{
	put_groups(o, ev->agency, ev->branch, ev->commune, ev->procedure, ev->sector, day, metric,
	           1);
	if (!str_empty(ev->actor_unit) && !str_empty(ev->actor_account))
		put(o, INDR_OFFICER, ev->actor_account, day, metric, 1);
}

static bool is(const char *a, const char *b)
{
	return str_eq(nz(a), b);
}

const char *indr_channel(const char *channel, bool received_by_post)
{
	return received_by_post && !is(channel, "online") ? "postal" : channel;
}

size_t indr_event_deltas(const struct indr_state *prev, const struct indr_event *ev,
                         struct indr_state *next, struct indr_delta *out, size_t max)
{
	struct out o = {out, 0, max};
	struct indr_state st;
	if (prev && prev->known)
		st = *prev;
	else
		memset(&st, 0, sizeof st);
	int64_t day = indr_day(ev->at);
	bool moved = !str_eq(nz(ev->from_state), nz(ev->to_state));

	/* receptions */
	if (is(ev->action, "receive") || is(ev->action, "accept")) {
		bool online = is(ev->channel, "online");
		put_flow(&o, ev, day, INDR_RECEIVED);
		put_flow(&o, ev, day,
		         online                      ? INDR_RECEIVED_ONLINE
		         : is(ev->channel, "postal") ? INDR_RECEIVED_POSTAL
		                                     : INDR_RECEIVED_COUNTER);
		if (online && is(ev->online_level, "full"))
			put_flow(&o, ev, day, INDR_RECEIVED_FULLY_ONLINE);
	}
	if (moved && is(ev->to_state, "refused_at_reception"))
		put_flow(&o, ev, day, INDR_REFUSED_RECEPTION);
	/*
	 * resolutions: a result (granted or refused after processing), judged
	 * against the legal due as it stands after the event -- not against the
	 * step's own due that action.c records in step_result
	 */
	if (moved && is(ev->to_state, "result_ready")) {
		enum worktime_timeliness t = ev->legal_due == INDR_NONE
		                                     ? WORKTIME_ON_TIME
		                                     : worktime_judge(ev->legal_due, ev->at);
		put_flow(&o, ev, day,
		         t == WORKTIME_EARLY  ? INDR_RESOLVED_EARLY
		         : t == WORKTIME_LATE ? INDR_RESOLVED_LATE
		                              : INDR_RESOLVED_ON_TIME);
		st.resolved = true;
	}
	if (is(ev->action, "refuse"))
		put_flow(&o, ev, day, INDR_REFUSED);
	if (moved && is(ev->to_state, "withdrawn"))
		put_flow(&o, ev, day, INDR_WITHDRAWN);
	if (moved && is(ev->to_state, "stopped"))
		put_flow(&o, ev, day, INDR_STOPPED);
	if (is(ev->action, "request_supplement"))
		put_flow(&o, ev, day, INDR_SUPPLEMENTS);
	if (is(ev->action, "extend"))
		put_flow(&o, ev, day, INDR_EXTENSIONS);
	if (is(ev->action, "record_payment")) {
		put_flow(&o, ev, day, INDR_PAID);
		if (is(ev->pay_channel, "online"))
			put_flow(&o, ev, day, INDR_PAID_ONLINE);
	}
	bool unhappy = false;
	if (is(ev->action, "rate")) {
		put_flow(&o, ev, day, INDR_RATED);
		if (is(ev->rating, "dissatisfied")) {
			put_flow(&o, ev, day, INDR_RATED_DISSATISFIED);
			unhappy = true;
		}
	}
	if (is(ev->action, "complain")) {
		put_flow(&o, ev, day, INDR_COMPLAINED);
		unhappy = true;
	}
	if (unhappy && st.resolved && !st.unsatisfied) {
		put_flow(&o, ev, day, INDR_UNSATISFIED);
		st.unsatisfied = true;
	}
	/* steps */
	if (ev->step_seq != INDR_NONE && !str_empty(ev->step_result)) {
		char key[INDR_KEY_SIZE];
		snprintf(key, sizeof key, "%.63s#%lld", nz(ev->procedure), (long long)ev->step_seq);
		bool late = is(ev->step_result, "late");
		put_flow(&o, ev, day, INDR_STEPS_DONE);
		put(&o, INDR_STEP, key, day, INDR_STEPS_DONE, 1);
		if (late) {
			put_flow(&o, ev, day, INDR_STEPS_LATE);
			put(&o, INDR_STEP, key, day, INDR_STEPS_LATE, 1);
		}
	}

	/* stocks */
	struct indr_sig sig;
	indr_signature(ev, &sig);
	if (!st.known || !indr_sig_equal(&st.sig, &sig)) {
		if (st.known && st.sig.open) {
			put_sig(&o, &st.sig, day, INDR_OPEN, -1);
			if (st.sig.late_day != INDR_NONE)
				put_sig(&o, &st.sig, st.sig.late_day <= day ? day : st.sig.late_day,
				        INDR_OPEN_LATE, -1);
		}
		if (sig.open) {
			put_sig(&o, &sig, day, INDR_OPEN, 1);
			if (sig.late_day != INDR_NONE)
				put_sig(&o, &sig, sig.late_day > day ? sig.late_day : day,
				        INDR_OPEN_LATE, 1);
		}
	}
	st.known = true;
	st.sig = sig;
	if (next)
		*next = st;
	return o.n;
}

size_t indr_digitisation_deltas(const struct indr_groups *g, int what, int64_t at,
                                struct indr_delta *out, size_t max)
{
	struct out o = {out, 0, max};
	int m = what == INDR_DIG_COMPONENT ? INDR_COMPONENTS_DIGITISED
	        : what == INDR_DIG_REUSED  ? INDR_COMPONENTS_REUSED
	        : what == INDR_DIG_RESULT  ? INDR_RESULTS_ELECTRONIC
	                                   : -1;
	if (m < 0)
		return 0;
	put_groups(&o, g->agency, g->branch, g->commune, g->procedure, g->sector, indr_day(at), m,
	           1);
	return o.n;
}

static int delta_cmp(const void *pa, const void *pb)
{
	const struct indr_delta *a = pa, *b = pb;
	int sa = indr_metric_is_stock(a->metric), sb = indr_metric_is_stock(b->metric);
	if (sa != sb)
		return sa - sb;
	if (a->dim != b->dim)
		return a->dim < b->dim ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	return 0;
}

void indr_deltas_sort(struct indr_delta *d, size_t n)
{
	if (n > 1)
		qsort(d, n, sizeof *d, delta_cmp);
}

/* ---- sums ---- */

struct sum_entry {
	int64_t day;
	int64_t n[2];
	uint32_t key; /* interned key id + 1; 0: an empty slot */
	uint8_t dim, metric, shard;
};

struct indr_sums {
	/* rows */
	struct sum_entry *e;
	size_t cap, used; /* cap: a power of two */
	/* interned keys */
	char **keys;
	size_t nkeys, keys_cap;
	uint32_t *kslot; /* hash slots -> key id + 1 */
	size_t kcap;
};

struct indr_sums *indr_sums_new(void)
{
	return calloc(1, sizeof(struct indr_sums));
}

void indr_sums_clear(struct indr_sums *s)
{
	if (!s)
		return;
	if (s->e)
		memset(s->e, 0, s->cap * sizeof *s->e);
	s->used = 0;
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->keys[i]);
	s->nkeys = 0;
	if (s->kslot)
		memset(s->kslot, 0, s->kcap * sizeof *s->kslot);
}

void indr_sums_free(struct indr_sums *s)
{
	if (!s)
		return;
	indr_sums_clear(s);
	free(s->e);
	free(s->keys);
	free(s->kslot);
	free(s);
}

size_t indr_sums_count(const struct indr_sums *s)
{
	return s ? s->used : 0;
}

static uint64_t key_hash(const char *k)
{
	return hash_bytes(k, strlen(k), FNV_SEED);
}

static int kslots_grow(struct indr_sums *s)
{
	size_t ncap = s->kcap ? s->kcap * 2 : 256;
	uint32_t *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < s->nkeys; i++) {
		size_t h = (size_t)key_hash(s->keys[i]) & (ncap - 1);
		while (ns[h])
			h = (h + 1) & (ncap - 1);
		ns[h] = (uint32_t)(i + 1);
	}
	free(s->kslot);
	s->kslot = ns;
	s->kcap = ncap;
	return 0;
}

/* The key's id + 1, interning it; 0 out of memory. */
static uint32_t intern(struct indr_sums *s, const char *k)
{
	if (s->kcap == 0 || (s->nkeys + 1) * 2 > s->kcap)
		if (kslots_grow(s))
			return 0;
	size_t h = (size_t)key_hash(k) & (s->kcap - 1);
	while (s->kslot[h]) {
		if (str_eq(s->keys[s->kslot[h] - 1], k))
			return s->kslot[h];
		h = (h + 1) & (s->kcap - 1);
	}
	if (s->nkeys == s->keys_cap) {
		size_t nc = s->keys_cap ? s->keys_cap * 2 : 64;
		char **nk = realloc(s->keys, nc * sizeof *nk);
		if (!nk)
			return 0;
		s->keys = nk;
		s->keys_cap = nc;
	}
	size_t len = strlen(k);
	char *copy = malloc(len + 1);
	if (!copy)
		return 0;
	memcpy(copy, k, len + 1);
	s->keys[s->nkeys++] = copy;
	s->kslot[h] = (uint32_t)s->nkeys;
	return (uint32_t)s->nkeys;
}

static uint64_t row_hash(uint32_t key, int dim, int64_t day, int metric, int shard)
{
	uint64_t h = FNV_SEED;
	int64_t v[5] = {key, dim, day, metric, shard};
	return hash_bytes(v, sizeof v, h);
}

static int rows_grow(struct indr_sums *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 1024;
	struct sum_entry *ne = calloc(ncap, sizeof *ne);
	if (!ne)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		struct sum_entry *x = &s->e[i];
		if (!x->key)
			continue;
		size_t h =
		        (size_t)row_hash(x->key, x->dim, x->day, x->metric, x->shard) & (ncap - 1);
		while (ne[h].key)
			h = (h + 1) & (ncap - 1);
		ne[h] = *x;
	}
	free(s->e);
	s->e = ne;
	s->cap = ncap;
	return 0;
}

enum err_code indr_sums_add(struct indr_sums *s, int dim, const char *key, int64_t day, int metric,
                            int shard, int slot, int64_t n, struct err *e)
{
	if (!s || dim < 0 || dim >= INDR_N_DIMS || metric < 0 || metric >= INDR_N_METRICS ||
	    shard < 0 || shard > 255 || slot < 0 || slot > 1)
		return err_set(e, ERR_INTERNAL, "bad counter row");
	uint32_t k = intern(s, nz(key));
	if (!k)
		return err_set(e, ERR_NO_MEMORY, "out of memory counting indicators");
	if ((s->used + 1) * 4 > s->cap * 3 && rows_grow(s))
		return err_set(e, ERR_NO_MEMORY, "out of memory counting indicators");
	size_t h = (size_t)row_hash(k, dim, day, metric, shard) & (s->cap - 1);
	for (;;) {
		struct sum_entry *x = &s->e[h];
		if (!x->key) {
			x->key = k;
			x->dim = (uint8_t)dim;
			x->metric = (uint8_t)metric;
			x->shard = (uint8_t)shard;
			x->day = day;
			x->n[slot] = n;
			s->used++;
			return ERR_OK;
		}
		if (x->key == k && x->dim == dim && x->metric == metric && x->shard == shard &&
		    x->day == day) {
			x->n[slot] += n;
			return ERR_OK;
		}
		h = (h + 1) & (s->cap - 1);
	}
}

void indr_sums_each(const struct indr_sums *s, int (*fn)(const struct indr_sum_row *r, void *ctx),
                    void *ctx)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++) {
		const struct sum_entry *x = &s->e[i];
		if (!x->key)
			continue;
		struct indr_sum_row r = {x->dim, x->metric,           x->shard,
		                         x->day, s->keys[x->key - 1], {x->n[0], x->n[1]}};
		if (fn(&r, ctx))
			return;
	}
}
