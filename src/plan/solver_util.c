/*
 * solver_util: seeded generator (splitmix64 + xoshiro256**), indexed
 * min-heap and search budget shared by the planning solvers.
 */
#include "plan/solver_util.h"

#include <stdlib.h>

uint64_t plan_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void plan_rng_seed(struct plan_rng *r, uint64_t seed)
{
	uint64_t st = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = plan_splitmix64(&st);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t plan_rng_next(struct plan_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t plan_rng_below(struct plan_rng *r, uint64_t n)
{
	if (n == 0)
		return 0;
	/* Rejection sampling: accept values below the largest multiple of n. */
	uint64_t limit = UINT64_MAX - (UINT64_MAX % n + 1) % n;
	uint64_t x;
	do
		x = plan_rng_next(r);
	while (x > limit);
	return x % n;
}

double plan_rng_unit(struct plan_rng *r)
{
	return (double)(plan_rng_next(r) >> 11) * 0x1.0p-53;
}

void plan_rng_shuffle(struct plan_rng *r, uint32_t *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)plan_rng_below(r, i);
		uint32_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

bool plan_budget_stop(const struct plan_budget *b)
{
	return b && b->stop && b->stop(b->stop_ctx);
}

enum err_code plan_heap_init(struct plan_heap *h, size_t cap, struct err *e)
{
	h->n = 0;
	h->cap = cap;
	size_t c = cap ? cap : 1;
	h->item = malloc(c * sizeof *h->item);
	h->key = malloc(c * sizeof *h->key);
	h->pos = malloc(c * sizeof *h->pos);
	if (!h->item || !h->key || !h->pos) {
		plan_heap_release(h);
		return err_set(e, ERR_NO_MEMORY, "heap of %zu items", cap);
	}
	for (size_t i = 0; i < cap; i++)
		h->pos[i] = SIZE_MAX;
	return ERR_OK;
}

void plan_heap_release(struct plan_heap *h)
{
	free(h->item);
	free(h->key);
	free(h->pos);
	h->item = NULL;
	h->key = NULL;
	h->pos = NULL;
	h->n = h->cap = 0;
}

void plan_heap_clear(struct plan_heap *h)
{
	for (size_t i = 0; i < h->n; i++)
		h->pos[h->item[i]] = SIZE_MAX;
	h->n = 0;
}

static bool less(const struct plan_heap *h, uint32_t a, uint32_t b)
{
	return h->key[a] < h->key[b] || (h->key[a] == h->key[b] && a < b);
}

static void place(struct plan_heap *h, size_t i, uint32_t item)
{
	h->item[i] = item;
	h->pos[item] = i;
}

static void sift_up(struct plan_heap *h, size_t i)
{
	uint32_t it = h->item[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!less(h, it, h->item[parent]))
			break;
		place(h, i, h->item[parent]);
		i = parent;
	}
	place(h, i, it);
}

static void sift_down(struct plan_heap *h, size_t i)
{
	uint32_t it = h->item[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && less(h, h->item[c + 1], h->item[c]))
			c++;
		if (!less(h, h->item[c], it))
			break;
		place(h, i, h->item[c]);
		i = c;
	}
	place(h, i, it);
}

void plan_heap_set(struct plan_heap *h, uint32_t item, double key)
{
	if (h->pos[item] == SIZE_MAX) {
		h->key[item] = key;
		place(h, h->n, item);
		h->n++;
		sift_up(h, h->n - 1);
		return;
	}
	double old = h->key[item];
	h->key[item] = key;
	if (key < old)
		sift_up(h, h->pos[item]);
	else
		sift_down(h, h->pos[item]);
}

bool plan_heap_contains(const struct plan_heap *h, uint32_t item)
{
	return item < h->cap && h->pos[item] != SIZE_MAX;
}

void plan_heap_remove(struct plan_heap *h, uint32_t item)
{
	size_t i = h->pos[item];
	if (i == SIZE_MAX)
		return;
	h->pos[item] = SIZE_MAX;
	h->n--;
	if (i == h->n)
		return;
	uint32_t last = h->item[h->n];
	place(h, i, last);
	sift_up(h, i);
	sift_down(h, h->pos[last]);
}

uint32_t plan_heap_top(const struct plan_heap *h)
{
	return h->item[0];
}

uint32_t plan_heap_pop(struct plan_heap *h, double *key)
{
	uint32_t top = h->item[0];
	if (key)
		*key = h->key[top];
	plan_heap_remove(h, top);
	return top;
}
