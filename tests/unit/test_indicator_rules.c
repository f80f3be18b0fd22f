/*
 * Unit tests for domain/indicator_rules: which counters one event moves,
 * worked out by hand from the rules of docs/indicators.md (the stock rule:
 * add open +1 @E and open_late +1 @max(L, E); remove open -1 @E and
 * open_late -1 @(L <= E ? E : L); "late at the end of D" = open at the end
 * of D with L <= D), and the sums table.
 *
 * Days are Vietnam days; the instants below are Vietnam times. Tết 2025:
 * days off Sat 25/1 - Sun 2/2/2025 (data/holidays.csv; the rules work on
 * calendar days, the calendar only decides the legal due, which the
 * lifecycle computes: 3 working days from Fri 24/1/2025 end on Wed 5/2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/indicator_rules.h"

static int64_t day_of(const char *s)
{
	int64_t d = 0;
	if (vntime_parse_date(s, &d) != 0)
		abort();
	return d;
}

static int64_t at(const char *s)
{
	int64_t t = 0;
	if (vntime_parse_datetime(s, &t) != 0)
		abort();
	return t;
}

/* An event of dossier "D" (procedure P1, sector S, agency A1, branch B1, commune C1). */
static struct indr_event ev(const char *action, const char *from, const char *to, const char *when,
                            int64_t legal_due)
{
	struct indr_event e = {
	        .action = action,
	        .from_state = from,
	        .to_state = to,
	        .at = at(when),
	        .actor_account = "",
	        .actor_unit = "",
	        .step_seq = INDR_NONE,
	        .step_result = "",
	        .legal_due = legal_due,
	        .paused_at = INDR_NONE,
	        .pay_channel = "",
	        .rating = "",
	        .channel = "counter",
	        .procedure = "P1",
	        .sector = "S",
	        .online_level = "full",
	        .agency = "A1",
	        .branch = "B1",
	        .commune = "C1",
	};
	return e;
}

/* The sum of the deltas of (dim, key, metric) on day. */
static int64_t sum(const struct indr_delta *d, size_t n, int dim, const char *key, int metric,
                   int64_t day)
{
	int64_t s = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i].dim == dim && d[i].metric == metric && d[i].day == day &&
		    str_eq(d[i].key, key))
			s += d[i].n;
	return s;
}

/* The sum of (dim, key, metric) over every day. */
static int64_t total(const struct indr_delta *d, size_t n, int dim, const char *key, int metric)
{
	int64_t s = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i].dim == dim && d[i].metric == metric && str_eq(d[i].key, key))
			s += d[i].n;
	return s;
}

/* A dossier's life: the deltas of all its events appended. */
struct life {
	struct indr_state st;
	struct indr_delta d[1024];
	size_t n;
};

static void step(struct life *l, const struct indr_event *e)
{
	size_t k = indr_event_deltas(&l->st, e, &l->st, l->d + l->n, 1024 - l->n);
	assert_true(k <= INDR_MAX_DELTAS);
	l->n += k;
}

/* Appends the event ev(action, from, to, when, legal_due) to the life. */
static void step_ev(struct life *l, const char *action, const char *from, const char *to,
                    const char *when, int64_t legal_due)
{
	struct indr_event e = ev(action, from, to, when, legal_due);
	step(l, &e);
}

/* A new life that begins with the reception at when. */
static void life_start(struct life *l, const char *when, int64_t legal_due)
{
	memset(l, 0, sizeof *l);
	step_ev(l, "receive", "none", "received", when, legal_due);
}

/* The city's stock metric at the end of day D: the deltas of the days <= D. */
static int64_t stock(const struct life *l, int metric, int64_t d)
{
	int64_t s = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->d[i].dim == INDR_CITY && l->d[i].metric == metric && l->d[i].day <= d)
			s += l->d[i].n;
	return s;
}

/* the three ways in: online, at the counter, by post; each counted once, under its own name */
static void test_received_by_channel(void **state)
{
	(void)state;
	const char *channels[] = {"online", "counter", "postal"};
	const int metric[] = {INDR_RECEIVED_ONLINE, INDR_RECEIVED_COUNTER, INDR_RECEIVED_POSTAL};
	int64_t d1 = day_of("2025-08-01");
	for (int i = 0; i < 3; i++) {
		struct life l;
		memset(&l, 0, sizeof l);
		struct indr_event e =
		        ev(i == 0 ? "accept" : "receive", i == 0 ? "submitted" : "none", "received",
		           "2025-08-01T09:00", at("2025-08-10T17:00"));
		e.channel = channels[i];
		step(&l, &e);
		assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RECEIVED, d1), 1);
		for (int k = 0; k < 3; k++)
			assert_int_equal(sum(l.d, l.n, INDR_CITY, "", metric[k], d1), k == i);
		assert_int_equal(sum(l.d, l.n, INDR_BRANCH, "B1", metric[i], d1), 1);
	}
}

/* received day 1 (1/8), due day 10 (10/8), resolved day 5: never late */
static void test_resolved_before_due(void **state)
{
	(void)state;
	struct life l;
	memset(&l, 0, sizeof l);
	int64_t due = at("2025-08-10T17:00");
	struct indr_event e = ev("receive", "none", "received", "2025-08-01T09:00", due);
	e.actor_account = "off1";
	e.actor_unit = "B1";
	step(&l, &e);
	int64_t d1 = day_of("2025-08-01"), d5 = day_of("2025-08-05"), d10 = day_of("2025-08-10");
	/* the reception: received, at the counter, in every group, and the officer */
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RECEIVED, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RECEIVED_COUNTER, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RECEIVED_ONLINE, d1), 0);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RECEIVED_FULLY_ONLINE, d1), 0);
	assert_int_equal(sum(l.d, l.n, INDR_AGENCY, "A1", INDR_RECEIVED, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_BRANCH, "B1", INDR_RECEIVED, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_COMMUNE, "C1", INDR_RECEIVED, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_PROCEDURE, "P1", INDR_RECEIVED, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_SECTOR, "S", INDR_RECEIVED, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_OFFICER, "off1", INDR_RECEIVED, d1), 1);
	/* stock: open +1 @1, open_late +1 @10 (the day of its due) */
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_OPEN, d1), 1);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_OPEN_LATE, d10), 1);
	assert_int_equal(total(l.d, l.n, INDR_OFFICER, "off1", INDR_OPEN),
	                 0); /* no officer stocks */
	assert_true(l.st.sig.open);
	assert_int_equal(l.st.sig.late_day, d10);
	/* the agency takes it: nothing changes in the signature, no stock delta */
	size_t before = l.n;
	step_ev(&l, "take", "received", "processing", "2025-08-02T09:00", due);
	assert_int_equal(total(l.d + before, l.n - before, INDR_CITY, "", INDR_OPEN), 0);
	/* complete on day 5 (before the due's day: early) */
	step_ev(&l, "complete", "processing", "result_ready", "2025-08-05T10:00", due);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RESOLVED_EARLY, d5), 1);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_OPEN, d5), -1);
	/* the late delta cancels on its own day: never late */
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_OPEN_LATE, d10), 0);
	for (int64_t d = d1 - 1; d <= d10 + 1; d++)
		assert_int_equal(stock(&l, INDR_OPEN_LATE, d), 0);
	assert_int_equal(stock(&l, INDR_OPEN, d1 - 1), 0);
	assert_int_equal(stock(&l, INDR_OPEN, d1), 1);
	assert_int_equal(stock(&l, INDR_OPEN, d5 - 1), 1);
	assert_int_equal(stock(&l, INDR_OPEN, d5), 0);
	assert_true(l.st.resolved);
	assert_false(l.st.sig.open);
}

/* received day 1, due day 10, resolved day 15: late at the ends of days 10..14 */
static void test_resolved_after_due(void **state)
{
	(void)state;
	int64_t due = at("2025-08-10T17:00");
	struct life l;
	life_start(&l, "2025-08-01T09:00", due);
	step_ev(&l, "complete", "processing", "result_ready", "2025-08-15T10:00", due);
	int64_t d10 = day_of("2025-08-10"), d15 = day_of("2025-08-15");
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RESOLVED_LATE, d15), 1);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_OPEN_LATE, d10), 1);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_OPEN_LATE, d15), -1);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, d10 - 1), 0);
	for (int64_t d = d10; d < d15; d++)
		assert_int_equal(stock(&l, INDR_OPEN_LATE, d), 1);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, d15), 0);
	/* resolved on the due's day, before / at / after the due second */
	struct indr_state st;
	memset(&st, 0, sizeof st);
	struct indr_delta d[INDR_MAX_DELTAS];
	const char *when[] = {"2025-08-10T16:59", "2025-08-10T17:00", "2025-08-10T17:01"};
	const int metric[] = {INDR_RESOLVED_ON_TIME, INDR_RESOLVED_ON_TIME, INDR_RESOLVED_LATE};
	for (int i = 0; i < 3; i++) {
		struct indr_event x =
		        ev("sign_off", "awaiting_signoff", "result_ready", when[i], due);
		size_t n = indr_event_deltas(&st, &x, NULL, d, INDR_MAX_DELTAS);
		assert_int_equal(sum(d, n, INDR_CITY, "", metric[i], d10), 1);
	}
	/* a refusal after processing is a result too, counted as refused as well */
	struct indr_event r = ev("refuse", "processing", "result_ready", "2025-08-09T10:00", due);
	size_t n = indr_event_deltas(&st, &r, NULL, d, INDR_MAX_DELTAS);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_RESOLVED_EARLY, day_of("2025-08-09")), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_REFUSED, day_of("2025-08-09")), 1);
}

/* an extension moves the appointment, not the legal due: before and after the due */
static void test_extension(void **state)
{
	(void)state;
	int64_t due = at("2025-08-10T17:00"), d10 = day_of("2025-08-10");
	for (int after = 0; after < 2; after++) {
		struct life l;
		life_start(&l, "2025-08-01T09:00", due);
		struct indr_event x = ev("extend", "processing", "processing",
		                         after ? "2025-08-12T09:00" : "2025-08-08T09:00", due);
		size_t before = l.n;
		step(&l, &x);
		int64_t xd = after ? day_of("2025-08-12") : day_of("2025-08-08");
		assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_EXTENSIONS, xd), 1);
		/* the signature is unchanged: no stock delta */
		assert_int_equal(total(l.d + before, l.n - before, INDR_CITY, "", INDR_OPEN), 0);
		assert_int_equal(total(l.d + before, l.n - before, INDR_CITY, "", INDR_OPEN_LATE),
		                 0);
		assert_int_equal(stock(&l, INDR_OPEN_LATE, d10), 1);
	}
}

/* a supplement pauses the clock: not late while paused in time; late if paused when late */
static void test_pause_and_resume(void **state)
{
	(void)state;
	int64_t d1 = day_of("2025-08-01"), d5 = day_of("2025-08-05"), d10 = day_of("2025-08-10");
	int64_t d12 = day_of("2025-08-12"), d14 = day_of("2025-08-14");
	int64_t due = at("2025-08-10T17:00");
	struct life l;
	life_start(&l, "2025-08-01T09:00", due);
	/* paused on day 5, in time: late day none; removed / added on day 5 */
	struct indr_event p = ev("request_supplement", "processing", "supplement_requested",
	                         "2025-08-05T09:00", due);
	p.paused_at = p.at;
	step(&l, &p);
	assert_int_equal(l.st.sig.late_day, INDR_NONE);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_SUPPLEMENTS, d5), 1);
	assert_int_equal(stock(&l, INDR_OPEN, d5), 1); /* -1 +1 on day 5 */
	assert_int_equal(stock(&l, INDR_OPEN_LATE, d10), 0);
	/* resumed on day 12 with a new legal due on day 14 (a restart) */
	int64_t due2 = at("2025-08-14T17:00");
	step_ev(&l, "receive_supplement", "supplement_requested", "processing", "2025-08-12T09:00",
	        due2);
	assert_int_equal(l.st.sig.late_day, d14);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, d12), 0);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, d14), 1);
	assert_int_equal(stock(&l, INDR_OPEN, d1), 1);
	assert_int_equal(stock(&l, INDR_OPEN, d14), 1);
	/* a pause begun after the due keeps the dossier late */
	struct indr_event q = ev("request_fee", "processing", "fees_due", "2025-08-15T09:00", due2);
	q.paused_at = q.at;
	size_t before = l.n;
	step(&l, &q);
	assert_int_equal(l.st.sig.late_day, d14);
	assert_int_equal(total(l.d + before, l.n - before, INDR_CITY, "", INDR_OPEN_LATE), 0);
	/* withdrawn on day 16 while paused and late */
	step_ev(&l, "withdraw", "fees_due", "withdrawn", "2025-08-16T09:00", due2);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_WITHDRAWN, day_of("2025-08-16")), 1);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, day_of("2025-08-15")), 1);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, day_of("2025-08-16")), 0);
	assert_int_equal(stock(&l, INDR_OPEN, day_of("2025-08-16")), 0);
	assert_false(l.st.resolved); /* withdrawn is not a result */
}

/* a transfer moves the stock from one agency to the other on its day */
static void test_transfer(void **state)
{
	(void)state;
	int64_t due = at("2025-08-03T17:00"), d2 = day_of("2025-08-02"), d3 = day_of("2025-08-03");
	struct life l;
	life_start(&l, "2025-08-01T09:00", due);
	struct indr_event t = ev("transfer", "processing", "received", "2025-08-02T09:00", due);
	t.agency = "A2";
	step(&l, &t);
	assert_int_equal(total(l.d, l.n, INDR_AGENCY, "A1", INDR_OPEN), 0);
	assert_int_equal(total(l.d, l.n, INDR_AGENCY, "A2", INDR_OPEN), 1);
	assert_int_equal(sum(l.d, l.n, INDR_AGENCY, "A1", INDR_OPEN, d2), -1);
	assert_int_equal(sum(l.d, l.n, INDR_AGENCY, "A2", INDR_OPEN, d2), 1);
	/* the late delta of A1 cancels on day 3; A2's comes on day 3 */
	assert_int_equal(sum(l.d, l.n, INDR_AGENCY, "A1", INDR_OPEN_LATE, d3), 0);
	assert_int_equal(sum(l.d, l.n, INDR_AGENCY, "A2", INDR_OPEN_LATE, d3), 1);
	/* the city is unchanged by the transfer */
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_OPEN, d2), 0);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, d3), 1);
	/* not a reception */
	assert_int_equal(total(l.d, l.n, INDR_CITY, "", INDR_RECEIVED), 1);
	/* a transfer of a late dossier: removal and addition both on the day of the event */
	struct indr_event t2 = ev("transfer", "processing", "received", "2025-08-05T09:00", due);
	t2.agency = "A3";
	size_t before = l.n;
	step(&l, &t2);
	int64_t d5 = day_of("2025-08-05");
	assert_int_equal(sum(l.d + before, l.n - before, INDR_AGENCY, "A2", INDR_OPEN_LATE, d5),
	                 -1);
	assert_int_equal(sum(l.d + before, l.n - before, INDR_AGENCY, "A3", INDR_OPEN_LATE, d5), 1);
}

/* Tết 2025: received Fri 24/1, due Wed 5/2 17:00 (after the nine days off) */
static void test_tet_2025(void **state)
{
	(void)state;
	int64_t due = at("2025-02-05T17:00");
	struct life l;
	life_start(&l, "2025-01-24T15:00", due);
	int64_t tet_first = day_of("2025-01-25"), tet_last = day_of("2025-02-02");
	/* a period over the holiday: carried over 1, nothing received, in progress 1, not late */
	assert_int_equal(stock(&l, INDR_OPEN, tet_first - 1), 1);
	assert_int_equal(stock(&l, INDR_OPEN, tet_last), 1);
	for (int64_t d = tet_first; d <= tet_last; d++)
		assert_int_equal(stock(&l, INDR_OPEN_LATE, d), 0);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, day_of("2025-02-04")), 0);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, day_of("2025-02-05")), 1);
	/* resolved on Mon 3/2 (the first working day): early */
	step_ev(&l, "complete", "processing", "result_ready", "2025-02-03T10:00", due);
	assert_int_equal(sum(l.d, l.n, INDR_CITY, "", INDR_RESOLVED_EARLY, day_of("2025-02-03")),
	                 1);
	assert_int_equal(stock(&l, INDR_OPEN_LATE, day_of("2025-02-05")), 0);
}

/* online receptions, refusals, payments, ratings, complaints, steps */
static void test_flows(void **state)
{
	(void)state;
	struct indr_delta d[INDR_MAX_DELTAS];
	struct indr_state st, next;
	memset(&st, 0, sizeof st);
	int64_t due = at("2025-08-10T17:00"), d1 = day_of("2025-08-01");
	/* a submission counts nothing but its (closed) signature */
	struct indr_event s = ev("submit", "none", "submitted", "2025-08-01T08:00", INDR_NONE);
	s.channel = "online";
	s.branch = "";
	size_t n = indr_event_deltas(&st, &s, &next, d, INDR_MAX_DELTAS);
	assert_int_equal(n, 0);
	assert_true(next.known);
	assert_false(next.sig.open);
	/* its acceptance: received online, fully online (procedure offered fully online) */
	struct indr_event a = ev("accept", "submitted", "received", "2025-08-01T09:00", due);
	a.channel = "online";
	n = indr_event_deltas(&next, &a, &next, d, INDR_MAX_DELTAS);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_RECEIVED_ONLINE, d1), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_RECEIVED_FULLY_ONLINE, d1), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_OPEN, d1), 1);
	a.online_level = "partial";
	n = indr_event_deltas(&st, &a, NULL, d, INDR_MAX_DELTAS);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_RECEIVED_FULLY_ONLINE, d1), 0);
	/* refused at reception: not received, not open */
	struct indr_event rr = ev("refuse_reception", "none", "refused_at_reception",
	                          "2025-08-01T09:00", INDR_NONE);
	n = indr_event_deltas(&st, &rr, NULL, d, INDR_MAX_DELTAS);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_REFUSED_RECEPTION, d1), 1);
	assert_int_equal(total(d, n, INDR_CITY, "", INDR_RECEIVED), 0);
	assert_int_equal(total(d, n, INDR_CITY, "", INDR_OPEN), 0);
	/* payments */
	struct indr_event p =
	        ev("record_payment", "fees_due", "processing", "2025-08-01T10:00", due);
	p.pay_channel = "online";
	n = indr_event_deltas(&next, &p, NULL, d, INDR_MAX_DELTAS);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_PAID, d1), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_PAID_ONLINE, d1), 1);
	p.pay_channel = "post";
	n = indr_event_deltas(&next, &p, NULL, d, INDR_MAX_DELTAS);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_PAID_ONLINE, d1), 0);
	/* a complaint before the result: complained, not unsatisfied */
	struct indr_event cp = ev("complain", "processing", "processing", "2025-08-01T11:00", due);
	n = indr_event_deltas(&next, &cp, &next, d, INDR_MAX_DELTAS);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_COMPLAINED, d1), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_UNSATISFIED, d1), 0);
	/* the result (a step of the approver, late for the step, early for the dossier) */
	struct indr_event so =
	        ev("sign_off", "awaiting_signoff", "result_ready", "2025-08-02T10:00", due);
	so.step_seq = 3;
	so.step_result = "late";
	so.actor_account = "appr";
	so.actor_unit = "A1";
	n = indr_event_deltas(&next, &so, &next, d, INDR_MAX_DELTAS);
	int64_t d2 = day_of("2025-08-02");
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_RESOLVED_EARLY, d2), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_STEPS_DONE, d2), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_STEPS_LATE, d2), 1);
	assert_int_equal(sum(d, n, INDR_STEP, "P1#3", INDR_STEPS_LATE, d2), 1);
	assert_int_equal(sum(d, n, INDR_OFFICER, "appr", INDR_STEPS_LATE, d2), 1);
	assert_int_equal(sum(d, n, INDR_OFFICER, "appr", INDR_RESOLVED_EARLY, d2), 1);
	assert_int_equal(total(d, n, INDR_STEP, "P1#3", INDR_RESOLVED_EARLY), 0);
	/* after the result: a dissatisfied rating, then a complaint: unsatisfied once */
	struct indr_event rt = ev("rate", "delivered", "delivered", "2025-08-03T10:00", due);
	rt.rating = "dissatisfied";
	n = indr_event_deltas(&next, &rt, &next, d, INDR_MAX_DELTAS);
	int64_t d3 = day_of("2025-08-03");
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_RATED, d3), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_RATED_DISSATISFIED, d3), 1);
	assert_int_equal(sum(d, n, INDR_CITY, "", INDR_UNSATISFIED, d3), 1);
	n = indr_event_deltas(&next, &cp, &next, d, INDR_MAX_DELTAS);
	assert_int_equal(total(d, n, INDR_CITY, "", INDR_UNSATISFIED), 0);
	assert_true(next.unsatisfied);
	/* a satisfied rating is not unsatisfied */
	memset(&st, 0, sizeof st);
	st.known = true;
	st.resolved = true;
	rt.rating = "satisfied";
	n = indr_event_deltas(&st, &rt, NULL, d, INDR_MAX_DELTAS);
	assert_int_equal(total(d, n, INDR_CITY, "", INDR_RATED_DISSATISFIED), 0);
	assert_int_equal(total(d, n, INDR_CITY, "", INDR_UNSATISFIED), 0);
	/* a stop: stopped, not resolved */
	struct indr_event sp =
	        ev("stop", "supplement_requested", "stopped", "2025-08-04T10:00", due);
	memset(&st, 0, sizeof st);
	n = indr_event_deltas(&st, &sp, &next, d, INDR_MAX_DELTAS);
	assert_int_equal(total(d, n, INDR_CITY, "", INDR_STOPPED), 1);
	assert_int_equal(total(d, n, INDR_CITY, "", INDR_RESOLVED_ON_TIME) +
	                         total(d, n, INDR_CITY, "", INDR_RESOLVED_EARLY) +
	                         total(d, n, INDR_CITY, "", INDR_RESOLVED_LATE),
	                 0);
	assert_false(next.resolved);
	/* a too small output says how many it needed */
	n = indr_event_deltas(NULL, &a, NULL, d, 2);
	assert_true(n > 2);
}

static void test_names_and_shards(void **state)
{
	(void)state;
	assert_string_equal(indr_metric_name(INDR_RECEIVED), "received");
	assert_string_equal(indr_metric_name(INDR_OPEN_LATE), "open_late");
	assert_null(indr_metric_name(INDR_N_METRICS));
	assert_null(indr_metric_name(-1));
	for (int m = 0; m < INDR_N_METRICS; m++)
		assert_non_null(indr_metric_name(m));
	assert_true(indr_metric_is_stock(INDR_OPEN));
	assert_false(indr_metric_is_stock(INDR_RECEIVED));
	assert_string_equal(indr_dim_name(INDR_STEP), "step");
	assert_null(indr_dim_name(INDR_N_DIMS));
	/* shards: only the city and sectors are spread; the same id, the same shard */
	int seen[INDR_SHARDS] = {0};
	char id[32];
	for (int i = 0; i < 200; i++) {
		snprintf(id, sizeof id, "%016x", (unsigned)i * 2654435761u);
		int s = indr_shard(id, INDR_CITY);
		assert_true(s >= 0 && s < INDR_SHARDS);
		assert_int_equal(s, indr_shard(id, INDR_CITY));
		assert_int_equal(indr_shard(id, INDR_AGENCY), 0);
		seen[s]++;
	}
	for (int s = 0; s < INDR_SHARDS; s++)
		assert_true(seen[s] > 0);
	/* the day of an instant is the Vietnam day: 16:59:59 UTC is the next day at 23:59:59 */
	assert_int_equal(indr_day(at("2025-08-01T00:00")), day_of("2025-08-01"));
	assert_int_equal(indr_day(at("2025-08-01T00:00") - 1), day_of("2025-07-31"));
}

static int count_rows(const struct indr_sum_row *r, void *ctx)
{
	int64_t *x = ctx;
	x[0]++;
	x[1] += r->n[0];
	x[2] += r->n[1];
	return 0;
}

static void test_sums(void **state)
{
	(void)state;
	struct indr_sums *s = indr_sums_new();
	assert_non_null(s);
	struct err e = {0};
	/* many rows, each added twice in slot 0 and once in slot 1 */
	char key[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i % 97);
		for (int k = 0; k < 2; k++)
			assert_int_equal(indr_sums_add(s, i % INDR_N_DIMS, key, 20000 + i / 97,
			                               i % INDR_N_METRICS, i % 3, 0, 1, &e),
			                 ERR_OK);
		assert_int_equal(indr_sums_add(s, i % INDR_N_DIMS, key, 20000 + i / 97,
		                               i % INDR_N_METRICS, i % 3, 1, 5, &e),
		                 ERR_OK);
	}
	int64_t x[3] = {0};
	indr_sums_each(s, count_rows, x);
	assert_int_equal(x[0], (int64_t)indr_sums_count(s));
	assert_int_equal(x[1], 10000);
	assert_int_equal(x[2], 25000);
	assert_true(indr_sums_count(s) <= 5000);
	/* bad rows */
	assert_int_equal(indr_sums_add(s, INDR_N_DIMS, "", 0, 0, 0, 0, 1, &e), ERR_INTERNAL);
	assert_int_equal(indr_sums_add(s, 0, "", 0, INDR_N_METRICS, 0, 0, 1, &e), ERR_INTERNAL);
	assert_int_equal(indr_sums_add(s, 0, "", 0, 0, 0, 2, 1, &e), ERR_INTERNAL);
	indr_sums_clear(s);
	assert_int_equal(indr_sums_count(s), 0);
	assert_int_equal(indr_sums_add(s, 0, "", 1, 0, 0, 0, 1, &e), ERR_OK);
	assert_int_equal(indr_sums_count(s), 1);
	indr_sums_free(s);
	indr_sums_free(NULL);
	/* sorting puts flows first, then by dimension, day, key */
	struct indr_delta d[3];
	memset(d, 0, sizeof d);
	d[0].metric = INDR_OPEN;
	d[1].dim = INDR_AGENCY;
	d[1].metric = INDR_RECEIVED;
	d[2].dim = INDR_CITY;
	d[2].metric = INDR_RECEIVED;
	indr_deltas_sort(d, 3);
	assert_int_equal(d[0].dim, INDR_CITY);
	assert_int_equal(d[0].metric, INDR_RECEIVED);
	assert_int_equal(d[1].dim, INDR_AGENCY);
	assert_int_equal(d[2].metric, INDR_OPEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_received_by_channel),
	        cmocka_unit_test(test_resolved_before_due),
	        cmocka_unit_test(test_resolved_after_due),
	        cmocka_unit_test(test_extension),
	        cmocka_unit_test(test_pause_and_resume),
	        cmocka_unit_test(test_transfer),
	        cmocka_unit_test(test_tet_2025),
	        cmocka_unit_test(test_flows),
	        cmocka_unit_test(test_names_and_shards),
	        cmocka_unit_test(test_sums),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
