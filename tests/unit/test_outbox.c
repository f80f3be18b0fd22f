/*
 * Unit tests for service/outbox and db/db_outbox: messages written with each
 * lifecycle change, claimed by leases decided in the database, delivered
 * once, rescheduled with exponential back-off, and never claimed twice at
 * once by concurrent workers. Expected values follow the contract in
 * db_outbox.h / outbox.h (back-off = base * 2^attempts, capped).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "db/db_outbox.h"
#include "dossier_fixture.h"
#include "service/intake.h"
#include "service/outbox.h"

/* n counter intakes: n outbox rows (topic portal.status). */
static void make_messages(struct fx *f, int n)
{
	struct actor off;
	FX_OFF_A(&off);
	for (int i = 0; i < n; i++) {
		struct intake_request r;
		struct intake_result out;
		struct err e = {0};
		fx_an(&r, "T.SIGN");
		assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	}
}

struct sink {
	int calls;
	int fail_first; /* fail this many calls */
	char last_payload[2048];
};

static enum err_code deliver(void *ctx, const struct db_outbox_msg *m, struct err *e)
{
	struct sink *s = ctx;
	s->calls++;
	str_copy(s->last_payload, sizeof s->last_payload, m->payload);
	if (s->calls <= s->fail_first)
		return err_set(e, ERR_IO, "portal unreachable");
	return ERR_OK;
}

static void test_deliver(void **state)
{
	struct fx *f = *state;
	make_messages(f, 3);
	struct outbox_worker w;
	outbox_worker_init(&w, &f->svc, "n1");
	struct sink s = {0};
	struct outbox_stats st;
	struct err e = {0};
	assert_rc(outbox_run_once(&w, deliver, &s, &st, &e), ERR_OK);
	assert_int_equal(st.claimed, 3);
	assert_int_equal(st.delivered, 3);
	assert_int_equal(s.calls, 3);
	/* the payload carries the portal status of the state */
	assert_non_null(strstr(s.last_payload, "\"status\":2"));
	assert_non_null(strstr(s.last_payload, "\"procedure\":\"T.SIGN\""));
	assert_non_null(strstr(s.last_payload, "\"action\":\"receive\""));
	int64_t pending, delivered;
	assert_rc(outbox_counts(&f->svc, &pending, &delivered, &e), ERR_OK);
	assert_int_equal(pending, 0);
	assert_int_equal(delivered, 3);
	/* delivered once: a second round finds nothing */
	assert_rc(outbox_run_once(&w, deliver, &s, &st, &e), ERR_OK);
	assert_int_equal(st.claimed, 0);
	assert_int_equal(s.calls, 3);
}

static void test_backoff(void **state)
{
	struct fx *f = *state;
	struct outbox_worker w;
	outbox_worker_init(&w, &f->svc, "n1");
	assert_int_equal(outbox_backoff(&w, 0), 30);
	assert_int_equal(outbox_backoff(&w, 1), 60);
	assert_int_equal(outbox_backoff(&w, 2), 120);
	assert_int_equal(outbox_backoff(&w, 7), 3600); /* 30 * 128 = 3840, capped */
	assert_int_equal(outbox_backoff(&w, 1000), 3600);

	make_messages(f, 1);
	struct sink s = {.fail_first = 2};
	struct outbox_stats st;
	struct err e = {0};
	int64_t t0 = f->svc.clock.at;
	assert_rc(outbox_run_once(&w, deliver, &s, &st, &e), ERR_OK);
	assert_int_equal(st.failed, 1);
	assert_int_equal(fx_int(f, "SELECT attempts FROM outbox WHERE topic = $1", "portal.status"),
	                 1);
	assert_int_equal(
	        fx_int(f, "SELECT next_attempt_at FROM outbox WHERE topic = $1", "portal.status"),
	        t0 + 30);
	assert_non_null(strstr(
	        fx_text(f, "SELECT last_error FROM outbox WHERE topic = $1", "portal.status"),
	        "portal unreachable"));
	/* not due yet */
	f->svc.clock.at = t0 + 29;
	assert_rc(outbox_run_once(&w, deliver, &s, &st, &e), ERR_OK);
	assert_int_equal(st.claimed, 0);
	/* due: fails again, next in 60 s */
	f->svc.clock.at = t0 + 30;
	assert_rc(outbox_run_once(&w, deliver, &s, &st, &e), ERR_OK);
	assert_int_equal(st.failed, 1);
	assert_int_equal(
	        fx_int(f, "SELECT next_attempt_at FROM outbox WHERE topic = $1", "portal.status"),
	        t0 + 90);
	f->svc.clock.at = t0 + 90;
	assert_rc(outbox_run_once(&w, deliver, &s, &st, &e), ERR_OK);
	assert_int_equal(st.delivered, 1);
	assert_int_equal(s.calls, 3);
	assert_int_equal(
	        fx_int(f, "SELECT delivered_at FROM outbox WHERE topic = $1", "portal.status"),
	        t0 + 90);
}

static enum err_code claim_with(struct fx *f, const char *token, int64_t now, int64_t until,
                                int64_t max, struct db_outbox_list *l)
{
	struct db_conn *c;
	struct err e = {0};
	assert_rc(db_thread_conn(f->db, &c, &e), ERR_OK);
	assert_rc(db_begin(c, DB_TXN_WRITE, &e), ERR_OK);
	enum err_code rc = db_outbox_claim(c, token, now, until, max, l, &e);
	if (rc == ERR_OK)
		rc = db_commit(c, &e);
	else
		db_rollback(c);
	return rc;
}

/* Leases: a claimed row is not claimed again until its lease ends; a lost lease loses the mark. */
static void test_leases(void **state)
{
	struct fx *f = *state;
	make_messages(f, 4);
	int64_t now = f->svc.clock.at;
	struct db_outbox_list a, b;
	assert_int_equal(claim_with(f, "A/1", now, now + 60, 3, &a), ERR_OK);
	assert_int_equal(a.count, 3);
	assert_int_equal(claim_with(f, "B/1", now, now + 60, 10, &b), ERR_OK);
	assert_int_equal(b.count, 1); /* only the one A did not take */
	db_outbox_list_free(&b);
	/* A's lease runs out; B takes A's rows */
	assert_int_equal(claim_with(f, "B/2", now + 61, now + 121, 10, &b), ERR_OK);
	assert_int_equal(b.count, 4);
	/* A comes back late: its marks are refused (the claim was lost) */
	struct db_conn *c;
	struct err e = {0};
	int64_t changed = -1;
	assert_rc(db_thread_conn(f->db, &c, &e), ERR_OK);
	assert_rc(db_outbox_delivered(c, a.items[0].id, "A/1", now + 62, &changed, &e), ERR_OK);
	assert_int_equal(changed, 0);
	assert_rc(db_outbox_delivered(c, a.items[0].id, "B/2", now + 62, &changed, &e), ERR_OK);
	assert_int_equal(changed, 1);
	/* a delivered row is never claimed again */
	db_outbox_list_free(&b);
	assert_int_equal(claim_with(f, "C/1", now + 500, now + 560, 10, &b), ERR_OK);
	assert_int_equal(b.count, 3);
	db_outbox_list_free(&b);
	db_outbox_list_free(&a);
	/* nothing claimed with max 0 */
	assert_int_equal(claim_with(f, "D/1", now + 1000, now + 1060, 0, &b), ERR_OK);
	assert_int_equal(b.count, 0);
}

/* ---- concurrent workers: every row delivered exactly once ---- */

#define WORKERS  4
#define MESSAGES 40

struct worker_arg {
	struct fx *f;
	pthread_barrier_t *start;
	char node[16];
	int delivered;
	char ids[MESSAGES][DBO_ID_SIZE];
};

static enum err_code record(void *ctx, const struct db_outbox_msg *m, struct err *e)
{
	(void)e;
	struct worker_arg *a = ctx;
	if (a->delivered < MESSAGES)
		str_copy(a->ids[a->delivered], DBO_ID_SIZE, m->id);
	a->delivered++;
	return ERR_OK;
}

static void *worker_thread(void *p)
{
	struct worker_arg *a = p;
	struct outbox_worker w;
	outbox_worker_init(&w, &a->f->svc, a->node);
	w.batch = 3;
	pthread_barrier_wait(a->start);
	for (;;) {
		struct outbox_stats st;
		struct err e = {0};
		if (outbox_run_once(&w, record, a, &st, &e) != ERR_OK) {
			fprintf(stderr, "worker: %s\n", e.detail);
			break;
		}
		if (st.claimed == 0)
			break;
	}
	db_thread_conn_close(a->f->db);
	return NULL;
}

static void test_concurrent_workers(void **state)
{
	struct fx *f = *state;
	make_messages(f, MESSAGES);
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, WORKERS);
	static struct worker_arg args[WORKERS];
	pthread_t th[WORKERS];
	for (int i = 0; i < WORKERS; i++) {
		memset(&args[i], 0, sizeof args[i]);
		args[i].f = f;
		args[i].start = &start;
		snprintf(args[i].node, sizeof args[i].node, "node%d", i);
		assert_int_equal(pthread_create(&th[i], NULL, worker_thread, &args[i]), 0);
	}
	for (int i = 0; i < WORKERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	int total = 0;
	for (int i = 0; i < WORKERS; i++)
		total += args[i].delivered;
	assert_int_equal(total, MESSAGES);
	/* no id twice */
	for (int i = 0; i < WORKERS; i++)
		for (int k = 0; k < args[i].delivered; k++)
			for (int j = 0; j < WORKERS; j++)
				for (int l = 0; l < args[j].delivered; l++)
					if (i != j || k != l)
						assert_string_not_equal(args[i].ids[k],
						                        args[j].ids[l]);
	assert_int_equal(fx_int(f,
	                        "SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND "
	                        "topic = $1",
	                        "portal.status"),
	                 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_deliver, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_backoff, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_leases, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_concurrent_workers, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
