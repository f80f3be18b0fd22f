/*
 * Unit tests for plan/solver_util. Expected values: splitmix64 from seed
 * 1234567 gives 6457827717110365317, 3203168211198807973,
 * 9817491932198370423 (the sequence of Vigna's public-domain reference
 * splitmix64.c, widely used as a test vector); the xoshiro256** outputs
 * after seeding with 0 were computed from the recurrences published by
 * Blackman and Vigna (ACM TOMS 47(4), 2021) with a separate Python
 * transcription. The heap is checked against a brute-force minimum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "plan/solver_util.h"

static void test_splitmix(void **state)
{
	(void)state;
	uint64_t s = 1234567;
	assert_true(plan_splitmix64(&s) == UINT64_C(6457827717110365317));
	assert_true(plan_splitmix64(&s) == UINT64_C(3203168211198807973));
	assert_true(plan_splitmix64(&s) == UINT64_C(9817491932198370423));
}

static void test_xoshiro(void **state)
{
	(void)state;
	struct plan_rng r;
	plan_rng_seed(&r, 0);
	assert_true(plan_rng_next(&r) == UINT64_C(11091344671253066420));
	assert_true(plan_rng_next(&r) == UINT64_C(13793997310169335082));
	assert_true(plan_rng_next(&r) == UINT64_C(1900383378846508768));
	/* bounded draws stay in range and hit every value; units are in [0, 1) */
	int seen[7] = {0};
	for (int i = 0; i < 7000; i++) {
		uint64_t v = plan_rng_below(&r, 7);
		assert_true(v < 7);
		seen[v]++;
		double u = plan_rng_unit(&r);
		assert_true(u >= 0 && u < 1);
	}
	for (int k = 0; k < 7; k++)
		assert_true(seen[k] > 800 && seen[k] < 1200);
	assert_true(plan_rng_below(&r, 0) == 0);
	assert_true(plan_rng_below(&r, 1) == 0);
	/* a shuffle is a permutation */
	uint32_t a[50];
	for (uint32_t i = 0; i < 50; i++)
		a[i] = i;
	plan_rng_shuffle(&r, a, 50);
	int mark[50] = {0};
	for (int i = 0; i < 50; i++)
		mark[a[i]]++;
	for (int i = 0; i < 50; i++)
		assert_int_equal(mark[i], 1);
}

static bool yes(void *ctx)
{
	(void)ctx;
	return true;
}

static void test_budget(void **state)
{
	(void)state;
	struct plan_budget b = {0};
	assert_false(plan_budget_stop(&b));
	assert_false(plan_budget_stop(NULL));
	b.stop = yes;
	assert_true(plan_budget_stop(&b));
}

static void test_heap(void **state)
{
	(void)state;
	struct plan_heap h;
	struct plan_rng r;
	double key[200];
	bool in[200] = {false};
	plan_rng_seed(&r, 5);
	assert_int_equal(plan_heap_init(&h, 200, NULL), ERR_OK);
	for (int step = 0; step < 20000; step++) {
		uint32_t it = (uint32_t)plan_rng_below(&r, 200);
		int op = (int)plan_rng_below(&r, 4);
		if (op < 2) {
			key[it] = (double)plan_rng_below(&r, 50); /* ties happen */
			plan_heap_set(&h, it, key[it]);
			in[it] = true;
		} else if (op == 2) {
			plan_heap_remove(&h, it);
			in[it] = false;
		} else if (h.n > 0) {
			/* the least key, ties by the smaller item */
			uint32_t best = 0;
			bool any = false;
			for (uint32_t k = 0; k < 200; k++)
				if (in[k] && (!any || key[k] < key[best])) {
					best = k;
					any = true;
				}
			double kk;
			assert_int_equal(plan_heap_top(&h), best);
			assert_int_equal(plan_heap_pop(&h, &kk), best);
			assert_true(kk == key[best]);
			in[best] = false;
		}
		size_t n = 0;
		for (int k = 0; k < 200; k++) {
			n += in[k];
			assert_int_equal(plan_heap_contains(&h, (uint32_t)k), in[k]);
		}
		assert_int_equal(h.n, n);
	}
	plan_heap_clear(&h);
	assert_int_equal(h.n, 0);
	assert_false(plan_heap_contains(&h, 3));
	plan_heap_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_splitmix),
	        cmocka_unit_test(test_xoshiro),
	        cmocka_unit_test(test_budget),
	        cmocka_unit_test(test_heap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
