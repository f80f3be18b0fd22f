/*
 * solver_util: small tools shared by the planning solvers (MCLP, LSCP,
 * p-median, p-center): a seeded pseudo-random generator that gives the same
 * sequence on every machine, an indexed binary min-heap, and the search
 * budget (iterations, seed, and an optional stop predicate that the caller
 * uses as a safety cap, so that solvers never read a clock themselves).
 *
 * The generator is xoshiro256** seeded through splitmix64, both from
 * D. Blackman and S. Vigna, "Scrambled linear pseudorandom number
 * generators", ACM Trans. Math. Softw. 47(4), 2021 (public-domain
 * reference algorithms at prng.di.unimi.it); written here from the
 * published recurrences.
 */
#ifndef MOTCUA_PLAN_SOLVER_UTIL_H
#define MOTCUA_PLAN_SOLVER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* Pseudo-random generator state (xoshiro256**). */
struct plan_rng {
	uint64_t s[4];
};

/* One step of splitmix64 on *state; returns the next output. */
uint64_t plan_splitmix64(uint64_t *state);

/* Seeds *r from a 64-bit seed (any value, 0 included). */
void plan_rng_seed(struct plan_rng *r, uint64_t seed);

/* Next 64 random bits. */
uint64_t plan_rng_next(struct plan_rng *r);

/* Uniform integer in [0, n) without modulo bias; n > 0 (returns 0 for n == 0). */
uint64_t plan_rng_below(struct plan_rng *r, uint64_t n);

/* Uniform double in [0, 1) with 53 random bits. */
double plan_rng_unit(struct plan_rng *r);

/* Shuffles a[0..n) uniformly (Fisher–Yates). */
void plan_rng_shuffle(struct plan_rng *r, uint32_t *a, size_t n);

/*
 * The search budget of a solver. `iterations` counts the solver's main
 * iterations (its header says what one is); 0 means the solver's default.
 * `stop`, when not NULL, is asked between iterations and ends the search
 * early when it returns true (a time limit kept by the caller); results then
 * say they were stopped. A given seed and iteration count give the same
 * answer on any machine as long as stop never fires.
 */
struct plan_budget {
	uint64_t iterations;
	uint64_t seed;
	bool (*stop)(void *ctx);
	void *stop_ctx;
};

/* True when the budget's stop predicate exists and says stop. */
bool plan_budget_stop(const struct plan_budget *b);

/*
 * Indexed binary min-heap over items 0..cap-1 with double keys: each item is
 * in the heap at most once, its key can be lowered or raised in O(log n).
 * Ties are broken by the smaller item number, so the order is deterministic.
 */
struct plan_heap {
	size_t n, cap;
	uint32_t *item; /* heap order, n entries */
	double *key;    /* by item, cap entries */
	size_t *pos;    /* by item: index in item[], or SIZE_MAX when absent */
};

/* Prepares an empty heap for items 0..cap-1. Returns ERR_OK or ERR_NO_MEMORY. */
enum err_code plan_heap_init(struct plan_heap *h, size_t cap, struct err *e);

/* Frees the heap's arrays. */
void plan_heap_release(struct plan_heap *h);

/* Empties the heap, keeping its arrays. O(n). */
void plan_heap_clear(struct plan_heap *h);

/* Inserts item with key, or changes its key when present. item < cap. */
void plan_heap_set(struct plan_heap *h, uint32_t item, double key);

/* True when item is in the heap. */
bool plan_heap_contains(const struct plan_heap *h, uint32_t item);

/* Removes item if present. */
void plan_heap_remove(struct plan_heap *h, uint32_t item);

/* The item with the least key (heap not empty). */
uint32_t plan_heap_top(const struct plan_heap *h);

/* Removes and returns the item with the least key (heap not empty); *key gets its key if not NULL.
 */
uint32_t plan_heap_pop(struct plan_heap *h, double *key);

#endif
