/*
 * Unit tests for service/indicators and db/db_indicators: the counters kept
 * in the same transaction as every event, read back by period and group,
 * checked against a replay of the events (verify), rebuilt, counted in
 * batches, and scored with the 766 rules; on SQLite with the fixture world
 * of tests/unit/dossier_fixture.h.
 *
 * The hand-built workload is the one of test_stats.c, built by
 * fx_world_build of tests/unit/world_fixture.h (the expected figures are
 * worked out in test_stats.c from the calendar of data/holidays.csv and the
 * fixture's procedures), without its ratings (which are written straight
 * into dossier_rating, without an event):
 *   J  T.SAME  received 30/7 09:00, completed 30/7 10:00 (on time)
 *   A  T.SIGN  received 27/8 09:00, signed off 28/8 10:00: early
 *   B  T.SAME  received 27/8 10:00, completed 28/8 09:00: late
 *   C  T.SAME  received 28/8 09:00, completed 28/8 16:00: on time
 *   X  T.SAME  received 27/8 13:00, extended, completed 28/8 11:00: late
 *   D  T.CONT  received 27/8 11:00, open, due 5/9
 *   E  T.HOURS received 27/8 09:00 (agency SO-TP), open, due 29/8 09:00: late on 29/8
 *   F  T.SIGN  received 27/8 09:00, paused 28/8 09:00 (before its due)
 *   P  T.SAME  received 28/8 09:30, due 28/8 17:00, paused 29/8 09:00: late from 28/8
 *   W  T.CONT  received 28/8 11:00, withdrawn 28/8 14:00
 *   R  refused at reception 28/8 11:30
 *   G  T.SIGN  filed online 28/8 14:00, accepted at CN-C 29/8 09:00
 * Now = Fri 29/8/2025 10:00.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "db/db_indicators.h"
#include "service/indicators.h"
#include "world_fixture.h"

/* Reads dim over [from, to] (key "" for all) as the leader. */
static void read_table(struct fx *f, enum ind_dim dim, const char *from, const char *to,
                       const char *key, struct ind_table *t)
{
	struct actor leader;
	FX_LEADER(&leader);
	struct ind_query q;
	memset(&q, 0, sizeof q);
	q.dim = dim;
	q.from_day = fx_day(from);
	q.to_day = fx_day(to);
	str_copy(q.key, sizeof q.key, key ? key : "");
	struct err e = {0};
	assert_rc(indicators_read(&f->svc, &leader, &q, t, &e), ERR_OK);
}

static const struct ind_row *row_of(const struct ind_table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (str_eq(t->rows[i].key, key))
			return &t->rows[i];
	return NULL;
}

static void verify_ok(struct fx *f)
{
	struct ind_verify v;
	struct err e = {0};
	assert_rc(indicators_verify(&f->svc, &v, &e), ERR_OK);
	for (int64_t i = 0; i < v.mismatches && i < 8; i++)
		print_message("mismatch: %s\n", v.first[i]);
	assert_int_equal(v.mismatches, 0);
	assert_true(v.events == 0 || v.rows > 0);
}

/* Every count of every group of dim adds up to the city's (dims every counter has). */
static void assert_sums(const struct ind_table *t)
{
	const int64_t *tot = (const int64_t *)(const void *)&t->total;
	size_t n = offsetof(struct ind_figures, on_time_rate) / sizeof(int64_t);
	for (size_t k = 0; k < n; k++) {
		int64_t s = 0;
		for (size_t i = 0; i < t->n; i++)
			s += ((const int64_t *)(const void *)&t->rows[i].f)[k];
		assert_int_equal(s, tot[k]);
	}
}

static void test_world_figures(void **state)
{
	struct fx *f = *state;
	struct fx_world w;
	fx_world_build(f, &w, false);
	struct ind_table t;

	/* August: the figures of test_stats.c's overview */
	read_table(f, IND_DIM_CITY, "2025-08-01", "2025-08-29", NULL, &t);
	const struct ind_figures *m = &t.total;
	assert_int_equal(m->received, 10); /* A B C D E F G P W X */
	assert_int_equal(m->received_online, 1);
	assert_int_equal(m->received_counter, 9);
	assert_int_equal(m->received_postal, 0);
	assert_int_equal(m->received_fully_online, 1); /* G: T.SIGN is offered fully online */
	assert_int_equal(m->carried_over, 0);          /* J was resolved in July */
	assert_int_equal(m->resolved, 4);
	assert_int_equal(m->resolved_early, 1); /* A */
	assert_int_equal(m->resolved_on_time, 1);
	assert_int_equal(m->resolved_late, 2); /* B, X */
	assert_int_equal(m->open_end, 5);      /* D E F G P */
	assert_int_equal(m->open_end_late, 2); /* E, P */
	assert_int_equal(m->open_end_on_time, 3);
	assert_int_equal(m->refused_reception, 1);
	assert_int_equal(m->withdrawn, 1);
	assert_int_equal(m->extensions, 1);
	assert_int_equal(m->supplements, 2);
	assert_true(fabs(m->on_time_rate - 0.5) < 1e-9);
	assert_true(fabs(m->online_share - 0.1) < 1e-9);
	assert_true(m->epayment_share < 0); /* nothing paid: undefined */
	assert_true(fabs(m->satisfaction_766 - 1.0) < 1e-9);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.rows[0].f.received, 10);
	indicators_table_release(&t);

	/* July: J alone */
	read_table(f, IND_DIM_CITY, "2025-07-01", "2025-07-31", NULL, &t);
	assert_int_equal(t.total.received, 1);
	assert_int_equal(t.total.resolved_on_time, 1);
	assert_int_equal(t.total.open_end, 0);
	indicators_table_release(&t);

	/* 28-29/8: carried over = open at the end of 27/8 (A B D E F X) */
	read_table(f, IND_DIM_CITY, "2025-08-28", "2025-08-28", NULL, &t);
	assert_int_equal(t.total.carried_over, 6);
	assert_int_equal(t.total.received, 3); /* C P W */
	assert_int_equal(t.total.resolved, 4); /* A B C X */
	/* open at the end of 28/8: D E F P; late then: P only (E's due is 29/8 09:00) */
	assert_int_equal(t.total.open_end, 4);
	assert_int_equal(t.total.open_end_late, 1);
	/* stock identity of the day: carried + received - resolved - withdrawn = open */
	assert_int_equal(t.total.carried_over + t.total.received - t.total.resolved -
	                         t.total.withdrawn,
	                 t.total.open_end);
	indicators_table_release(&t);

	/* by agency: UBND-00070 resolved 4, 2 late; SO-TP holds E, late */
	read_table(f, IND_DIM_AGENCY, "2025-08-01", "2025-08-29", NULL, &t);
	assert_sums(&t);
	const struct ind_row *r = row_of(&t, "UBND-00070");
	assert_non_null(r);
	assert_string_equal(r->name, "UBND phường Hoàn Kiếm");
	assert_int_equal(r->f.resolved, 4);
	assert_int_equal(r->f.resolved_late, 2);
	r = row_of(&t, "SO-TP");
	assert_non_null(r);
	assert_int_equal(r->f.open_end_late, 1);
	assert_int_equal(r->f.received, 1);
	indicators_table_release(&t);

	/* by branch: 9 at CN-A, G at CN-C; the refusal R at CN-A */
	read_table(f, IND_DIM_BRANCH, "2025-08-01", "2025-08-29", NULL, &t);
	assert_sums(&t);
	assert_int_equal(row_of(&t, "CN-A")->f.received, 9);
	assert_int_equal(row_of(&t, "CN-A")->f.refused_reception, 1);
	assert_int_equal(row_of(&t, "CN-C")->f.received, 1);
	assert_int_equal(row_of(&t, "CN-C")->f.received_online, 1);
	indicators_table_release(&t);

	/* one key only */
	read_table(f, IND_DIM_BRANCH, "2025-08-01", "2025-08-29", "CN-C", &t);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.total.received, 10); /* the total stays the city's */
	indicators_table_release(&t);

	for (int d = IND_DIM_COMMUNE; d < IND_N_DIMS; d++) {
		if (d == IND_DIM_OFFICER || d == IND_DIM_STEP)
			continue;
		read_table(f, (enum ind_dim)d, "2025-07-01", "2025-08-29", NULL, &t);
		assert_sums(&t);
		indicators_table_release(&t);
	}
	/* officers: off-a received 9 at the counter, off-c accepted G */
	read_table(f, IND_DIM_OFFICER, "2025-08-01", "2025-08-29", NULL, &t);
	assert_int_equal(row_of(&t, "off-a")->f.received, 9);
	assert_int_equal(row_of(&t, "off-c")->f.received, 1);
	assert_int_equal(row_of(&t, "spec-b1")->f.resolved, 3); /* B C X; A by appr-b */
	assert_int_equal(row_of(&t, "appr-b")->f.resolved_early, 1);
	indicators_table_release(&t);
	/* steps: T.SIGN#3 (approver) done by A's sign-off */
	read_table(f, IND_DIM_STEP, "2025-08-01", "2025-08-29", NULL, &t);
	assert_non_null(row_of(&t, "T.SIGN#3"));
	assert_int_equal(row_of(&t, "T.SIGN#3")->f.steps_done, 1);
	indicators_table_release(&t);

	verify_ok(f);
}

static enum err_code exec_txn(struct db_conn *c, void *ctx, struct err *e)
{
	return db_exec_script(c, ctx, e);
}

static void exec_sql(struct fx *f, const char *sql)
{
	struct err e = {0};
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, exec_txn, (void *)sql, &e), ERR_OK);
}

static void test_corruption_detected(void **state)
{
	struct fx *f = *state;
	struct fx_world w;
	fx_world_build(f, &w, false);
	verify_ok(f);
	struct ind_verify v;
	struct err e = {0};

	/* one counter row off by one */
	exec_sql(f, "UPDATE ind_flow SET n = n + 1 WHERE dim = 1 AND metric = 0 AND key = "
	            "'SO-TP'");
	assert_rc(indicators_verify(&f->svc, &v, &e), ERR_OK);
	assert_int_equal(v.mismatches, 1);
	assert_non_null(strstr(v.first[0], "agency 'SO-TP' received"));
	assert_non_null(strstr(v.first[0], "stored 2, recomputed 1"));

	/* a lost stock row, a counter row that should not exist, a lost state */
	exec_sql(f, "DELETE FROM ind_stock WHERE dim = 0 AND metric = 26");
	exec_sql(f, "INSERT INTO ind_flow VALUES (5, 'T.NONE', 20000, 3, 0, 4)");
	char sql[160];
	snprintf(sql, sizeof sql, "DELETE FROM ind_dossier WHERE dossier_id = '%s'", w.d);
	exec_sql(f, sql);
	assert_rc(indicators_verify(&f->svc, &v, &e), ERR_OK);
	assert_true(v.mismatches >= 4);

	/* the rebuild recounts from the events */
	assert_rc(indicators_rebuild(&f->svc, &v, &e), ERR_OK);
	assert_true(v.mismatches >= 4); /* what differed before */
	verify_ok(f);
	struct ind_table t;
	read_table(f, IND_DIM_CITY, "2025-08-01", "2025-08-29", NULL, &t);
	assert_int_equal(t.total.open_end_late, 2);
	indicators_table_release(&t);
}

/* ---- randomised workloads ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(rng_state >> 33) % n;
}

/* A random allowed action by one of the fixture's actors, with plausible parameters. */
static void random_step(struct fx *f, const char *id)
{
	struct actor actors[7];
	FX_OFF_A(&actors[0]);
	FX_OFF_C(&actors[1]);
	FX_SPEC_B1(&actors[2]);
	FX_APPR_B(&actors[3]);
	fx_citizen(&actors[4], "cit-an");
	FX_SPEC_B2X(&actors[5]);
	fx_staff(&actors[6], "spec-tp", ROLE_SPECIALIST, "SO-TP");
	struct {
		int actor;
		enum dossier_action a;
	} opts[7 * ACTION__COUNT];
	size_t n = 0;
	struct err e = {0};
	int64_t version = 0;
	for (int k = 0; k < 7; k++) {
		struct action_allowed al;
		if (action_allowed(&f->svc, &actors[k], id, &al, &e) != ERR_OK)
			continue;
		version = al.version;
		for (size_t i = 0; i < al.count; i++) {
			opts[n].actor = k;
			opts[n].a = al.actions[i];
			n++;
		}
	}
	if (!n)
		return;
	size_t pick = rnd((uint32_t)n);
	enum dossier_action a = opts[pick].a;
	struct action_params p;
	action_params_init(&p);
	p.note = "Ghi chú";
	static const char *const levels[] = {"very_satisfied", "satisfied", "neutral",
	                                     "dissatisfied"};
	static const char *const pays[] = {"counter", "online", "post"};
	int64_t due = fx_int(f, "SELECT due_at FROM dossier WHERE id = $1", id);
	int64_t now = f->svc.clock.at;
	switch (a) {
	case ACTION_TRANSFER:
		p.to_unit = rnd(2) ? "UBND-00008" : "SO-TP";
		break;
	case ACTION_REASSIGN:
		p.to_account = "spec-b2";
		break;
	case ACTION_EXTEND:
		p.new_due = (due > now ? due : now) + 86400 * (1 + (int64_t)rnd(4));
		break;
	case ACTION_RECORD_PAYMENT:
		p.payment_channel = pays[rnd(3)];
		break;
	case ACTION_DELIVER:
		p.collector_id_number = FX_AN_ID;
		break;
	case ACTION_RATE:
		p.rating = levels[rnd(4)];
		break;
	case ACTION_COMPLAIN:
		p.complaint = "Chậm";
		break;
	case ACTION_CHANGE_COLLECTION:
		p.to_unit = rnd(2) ? "CN-C" : "CN-A";
		break;
	case ACTION_HANDOVER:
		p.custody = "courier";
		break;
	case ACTION_REQUEST_FEE:
		p.fee_vnd = 20000;
		break;
	default:
		break;
	}
	struct action_result r;
	/* failures (guards, scope of the to_unit, ...) are part of the workload */
	(void)action_perform(&f->svc, &actors[opts[pick].actor], id, lifecycle_action_name(a),
	                     version, &p, &r, &e);
}

static void random_workload(struct fx *f, uint64_t seed, int dossiers, int steps)
{
	rng_state = seed;
	static const char *const procs[] = {"T.SIGN", "T.CONT", "T.HOURS", "T.SAME"};
	char(*ids)[DBD_ID_SIZE] = calloc((size_t)dossiers, DBD_ID_SIZE);
	assert_non_null(ids);
	int made = 0;
	int64_t t = fx_time("2025-01-20T08:30"); /* Tết 2025 (28/1 - 2/2) comes soon */
	struct actor offa, cit;
	FX_OFF_A(&offa);
	fx_citizen(&cit, "cit-an");
	for (int s = 0; s < steps; s++) {
		t += 600 + (int64_t)rnd(4 * 3600);
		f->svc.clock.fixed = true;
		f->svc.clock.at = t;
		if (made < dossiers && (made == 0 || rnd(3) == 0)) {
			struct intake_request r;
			fx_an(&r, procs[rnd(4)]);
			struct intake_result out;
			struct err e = {0};
			enum err_code rc;
			uint32_t how = rnd(8);
			if (how == 0) {
				rc = intake_refuse(&f->svc, &offa, &r, "Thiếu giấy tờ", &out, &e);
			} else if (how < 3 && !str_eq(r.procedure_code, "T.HOURS")) {
				r.collection_unit = "CN-C";
				rc = intake_submit(&f->svc, &cit, &r, &out, &e);
			} else {
				rc = intake_receive(&f->svc, &offa, &r, &out, &e);
			}
			if (rc == ERR_OK)
				str_copy(ids[made++], DBD_ID_SIZE, out.id);
			continue;
		}
		random_step(f, ids[rnd((uint32_t)made)]);
	}
	free(ids);
}

/* The open dossiers and the late ones at the end of a day, counted naively from the table. */
static void naive_open(struct fx *f, int64_t day, int64_t *open, int64_t *late)
{
	struct db_conn *c;
	struct err e;
	assert_rc(db_thread_conn(f->db, &c, &e), ERR_OK);
	assert_rc(db_query_int64(c,
	                         "SELECT count(*) FROM dossier WHERE state IN ('received', "
	                         "'processing', 'awaiting_signoff', 'supplement_requested', "
	                         "'fees_due')",
	                         DB_NOARGS, open, &e),
	          ERR_OK);
	assert_rc(
	        db_query_int64(c,
	                       "SELECT count(*) FROM dossier WHERE (state IN ('received', "
	                       "'processing', 'awaiting_signoff') AND (original_due_at + 25200) / "
	                       "86400 <= $1) OR (state IN ('supplement_requested', 'fees_due') AND "
	                       "paused_at > original_due_at)",
	                       DB_ARGS(db_int(day)), late, &e),
	        ERR_OK);
}

static void test_random_workloads(void **state)
{
	struct fx *f = *state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		random_workload(f, seed * 7919, 40, 400);
		verify_ok(f);
		/* the workload did something: most actions of the table ran */
		int64_t kinds = fx_int(f,
		                       "SELECT count(DISTINCT action) FROM dossier_event WHERE "
		                       "dossier_id <> $1",
		                       "");
		print_message("seed %llu: %lld events of %lld kinds\n", (unsigned long long)seed,
		              (long long)fx_count(f, "dossier_event"), (long long)kinds);
		assert_true(kinds >= 15);
		/* stocks against the dossier table at the end of the last day */
		int64_t today = 0;
		vntime_split(f->svc.clock.at, &today, NULL);
		int64_t open, late;
		naive_open(f, today, &open, &late);
		struct ind_table t;
		struct actor leader;
		FX_LEADER(&leader);
		struct ind_query q;
		memset(&q, 0, sizeof q);
		q.dim = IND_DIM_AGENCY;
		q.from_day = fx_day("2025-01-01");
		q.to_day = today;
		struct err e = {0};
		assert_rc(indicators_read(&f->svc, &leader, &q, &t, &e), ERR_OK);
		assert_int_equal(t.total.open_end, open);
		assert_int_equal(t.total.open_end_late, late);
		assert_sums(&t);
		int64_t received = fx_int(f,
		                          "SELECT count(*) FROM dossier_event WHERE action IN "
		                          "('receive', 'accept') AND dossier_id <> $1",
		                          "");
		assert_int_equal(t.total.received, received);
		indicators_table_release(&t);
	}
}

/* ---- batch mode ---- */

struct batch_ctx {
	struct fx *f;
	int n;
};

static enum err_code batch_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct batch_ctx *x = ctx;
	struct actor offa, spec;
	FX_OFF_A(&offa);
	FX_SPEC_B1(&spec);
	indicators_batch_begin();
	enum err_code rc = ERR_OK;
	for (int i = 0; i < x->n && rc == ERR_OK; i++) {
		struct intake_request r;
		fx_an(&r, i % 2 ? "T.SAME" : "T.SIGN");
		struct intake_result out;
		rc = intake_receive_in(c, &x->f->svc, &offa, &r, &out, e);
		struct action_result ar;
		if (rc == ERR_OK)
			rc = action_perform_in(c, &x->f->svc, &spec, out.id, "take", 1, NULL, &ar,
			                       e);
		if (rc == ERR_OK && i % 6 == 3) /* T.SAME, no sign-off */
			rc = action_perform_in(c, &x->f->svc, &spec, out.id, "complete", 2, NULL,
			                       &ar, e);
	}
	if (rc == ERR_OK)
		rc = indicators_batch_flush(c, e);
	indicators_batch_end();
	return rc;
}

static void test_batch(void **state)
{
	struct fx *f = *state;
	fx_at(f, "2025-08-27T09:00");
	struct batch_ctx x = {f, 30};
	struct err e = {0};
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, batch_txn, &x, &e), ERR_OK);
	verify_ok(f);
	struct ind_table t;
	read_table(f, IND_DIM_CITY, "2025-08-27", "2025-08-27", NULL, &t);
	assert_int_equal(t.total.received, 30);
	assert_int_equal(t.total.resolved, 5); /* i = 3, 9, 15, 21, 27 */
	indicators_table_release(&t);
	/* a batch ended without a flush counts nothing */
	indicators_batch_begin();
	indicators_batch_end();
	verify_ok(f);
}

/* ---- digitisation facts ---- */

struct dig_ctx {
	const char *id;
	int64_t at;
	enum ind_digitisation what;
};

static enum err_code dig_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct dig_ctx *x = ctx;
	return indicators_digitisation(c, x->id, x->at, x->what, e);
}

static void test_digitisation(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE];
	fx_receive(f, "2025-08-27T09:00", "T.SIGN", NULL, id);
	struct err e = {0};
	struct dig_ctx x = {id, fx_time("2025-08-27T09:05"), IND_COMPONENT_DIGITISED};
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, dig_txn, &x, &e), ERR_OK);
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, dig_txn, &x, &e), ERR_OK);
	x.what = IND_COMPONENT_REUSED;
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, dig_txn, &x, &e), ERR_OK);
	x.what = IND_RESULT_ELECTRONIC;
	x.at = fx_time("2025-08-28T09:05");
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, dig_txn, &x, &e), ERR_OK);
	x.what = (enum ind_digitisation)9;
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, dig_txn, &x, &e), ERR_INVALID_ARGUMENT);
	x.id = "0000000000000000";
	x.what = IND_COMPONENT_REUSED;
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, dig_txn, &x, &e), ERR_NOT_FOUND);
	struct ind_table t;
	read_table(f, IND_DIM_AGENCY, "2025-08-27", "2025-08-27", NULL, &t);
	assert_int_equal(t.total.components_digitised, 2);
	assert_int_equal(t.total.components_reused, 1);
	assert_int_equal(t.total.results_electronic, 0); /* the next day */
	assert_int_equal(row_of(&t, "UBND-00070")->f.components_digitised, 2);
	indicators_table_release(&t);
	verify_ok(f);
}

/* ---- who may read, bad queries ---- */

static void test_readers_and_limits(void **state)
{
	struct fx *f = *state;
	struct ind_query q;
	memset(&q, 0, sizeof q);
	q.dim = IND_DIM_CITY;
	q.from_day = fx_day("2025-08-01");
	q.to_day = fx_day("2025-08-31");
	struct ind_table t;
	struct err e = {0};
	struct actor a;
	FX_OFF_A(&a);
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_FORBIDDEN);
	fx_citizen(&a, "cit-an");
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_FORBIDDEN);
	assert_rc(indicators_read(&f->svc, NULL, &q, &t, &e), ERR_FORBIDDEN);
	service_system_actor(&a, "test");
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_OK);
	assert_int_equal(t.n, 0); /* nothing happened */
	assert_int_equal(t.total.received, 0);
	assert_true(t.total.on_time_rate < 0);
	indicators_table_release(&t);
	q.to_day = q.from_day - 1;
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_INVALID_DATE);
	q.to_day = q.from_day + IND_MAX_DAYS;
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_OUT_OF_RANGE);
	q.to_day = q.from_day + IND_MAX_DAYS - 1;
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_OK);
	indicators_table_release(&t);
	q.dim = (enum ind_dim)IND_N_DIMS;
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_INVALID_ARGUMENT);
	q.dim = IND_DIM_BRANCH;
	memset(q.key, 'x', sizeof q.key);
	assert_rc(indicators_read(&f->svc, &a, &q, &t, &e), ERR_TOO_LONG);
	/* names of dimensions */
	enum ind_dim d;
	assert_rc(indicators_dim_from_name("procedure", &d, &e), ERR_OK);
	assert_int_equal(d, IND_DIM_PROCEDURE);
	assert_string_equal(indicators_dim_name(IND_DIM_STEP), "step");
	assert_rc(indicators_dim_from_name("Procedure", &d, &e), ERR_INVALID_ARGUMENT);
	assert_rc(indicators_dim_from_name(NULL, &d, &e), ERR_INVALID_ARGUMENT);
	/* an empty database verifies */
	verify_ok(f);
}

/* ---- the 766 scores ---- */

static void test_766_compute(void **state)
{
	(void)state;
	/* two groups; hand-computed: 10 x 6/8 = 7.5; 5 x 1 = 5; the unmeasured 5 points left out */
	static const char rules[] =
	        "{\"source\": \"test\", \"groups\": ["
	        "{\"id\": \"progress\", \"weight\": 15, \"items\": ["
	        "  {\"id\": \"2.1\", \"points\": 10, \"official\": true,"
	        "   \"numerator\": [\"resolved_early\", \"resolved_on_time\"],"
	        "   \"denominator\": [\"resolved\"]},"
	        "  {\"id\": \"2.2\", \"points\": 5, \"rule\": \"not measured\"}]},"
	        "{\"id\": \"satisfaction\", \"weight\": 5, \"items\": ["
	        "  {\"id\": \"5.1\", \"points\": 5, \"numerator\": [\"resolved\", "
	        "\"-unsatisfied\"],"
	        "   \"denominator\": [\"resolved\"]}]}]}";
	struct ind_figures fg;
	memset(&fg, 0, sizeof fg);
	fg.resolved_early = 2;
	fg.resolved_on_time = 4;
	fg.resolved_late = 2;
	indicators_derive(&fg);
	struct ind766 s;
	struct err e = {0};
	assert_rc(indicators_766_compute(rules, strlen(rules), &fg, &s, &e), ERR_OK);
	assert_int_equal(s.n, 2);
	assert_true(fabs(s.groups[0].score - 7.5) < 1e-9);
	assert_true(fabs(s.groups[0].measured_points - 10) < 1e-9);
	assert_false(s.groups[0].items[1].measured);
	assert_true(fabs(s.groups[1].score - 5) < 1e-9);
	assert_true(fabs(s.total - 12.5) < 1e-9);
	assert_true(fabs(s.measured_points - 15) < 1e-9);
	assert_true(fabs(s.max_points - 20) < 1e-9);
	assert_string_equal(s.groups[0].items[0].rule,
	                    "(resolved_early + resolved_on_time) / (resolved)");
	json_t *j = indicators_766_json(&s);
	assert_non_null(j);
	json_decref(j);
	/* no resolved dossier: no data, no points either way */
	memset(&fg, 0, sizeof fg);
	indicators_derive(&fg);
	assert_rc(indicators_766_compute(rules, strlen(rules), &fg, &s, &e), ERR_OK);
	assert_true(s.total == 0 && s.measured_points == 0);
	assert_false(s.groups[0].items[0].has_data);
	/* bad rules */
	static const char *const bad[] = {
	        "[",
	        "{\"groups\": []}",
	        "{\"groups\": [{\"id\": \"g\", \"weight\": 5, \"items\": [{\"id\": \"1\", "
	        "\"points\": 4}]}]}",
	        "{\"groups\": [{\"id\": \"g\", \"weight\": 5, \"items\": [{\"id\": \"1\", "
	        "\"points\": 5, \"numerator\": [\"nonsense\"], \"denominator\": [\"paid\"]}]}]}",
	        "{\"groups\": [{\"id\": \"g\", \"weight\": 5, \"items\": [{\"id\": \"1\", "
	        "\"points\": 5, \"numerator\": [\"paid\"]}]}]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_rc(indicators_766_compute(bad[i], strlen(bad[i]), &fg, &s, &e),
		          ERR_INVALID_ARGUMENT);
}

/* The rules shipped in data/indicators-766.json: five groups of 18/20/22/22/18 points. */
static void test_766_data_file(void **state)
{
	(void)state;
	FILE *fp = fopen(SOURCE_DIR "/data/indicators-766.json", "rb");
	assert_non_null(fp);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	struct ind_figures fg;
	memset(&fg, 0, sizeof fg);
	fg.received = 10;
	fg.received_online = 5;
	fg.received_fully_online = 2;
	fg.resolved_on_time = 8;
	fg.resolved_late = 2;
	fg.open_end = 4;
	fg.open_end_late = 1;
	fg.paid = 4;
	fg.paid_online = 1;
	fg.unsatisfied = 1;
	indicators_derive(&fg);
	struct ind766 s;
	struct err e = {0};
	assert_rc(indicators_766_compute(buf, n, &fg, &s, &e), ERR_OK);
	assert_int_equal(s.n, 5);
	static const double weights[5] = {18, 20, 22, 22, 18};
	for (int i = 0; i < 5; i++)
		assert_true(fabs(s.groups[i].weight - weights[i]) < 1e-9);
	assert_true(fabs(s.max_points - 100) < 1e-9);
	/* satisfaction (766 formula): (10 - 1) / 10 of 18 points */
	assert_true(fabs(s.groups[4].score - 16.2) < 1e-9);
	assert_true(s.measured_points < 100); /* publicity is not measured */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_world_figures, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_corruption_detected, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_random_workloads, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_batch, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_digitisation, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_readers_and_limits, fx_setup, fx_teardown),
	        cmocka_unit_test(test_766_compute),
	        cmocka_unit_test(test_766_data_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
