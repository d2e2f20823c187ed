// SPDX-License-Identifier: GPL-2.0
/* The cpu workload: count the primes in a range of numbers by trial division, ~15 ms a task. */
#include "wl.h"

#include <errno.h>
#include <stdlib.h>

/*
 * Task i counts the primes in the first @span numbers of range i % WINDOW, range k being
 * [BASE + k * SPAN, + SPAN). Numbers near 10^8 need up to ~5000 odd trial divisors, so a
 * full range is ~15 ms of pure integer division, independent of every other task. Answers
 * are checked against a segmented sieve of all WINDOW ranges, built once in a few ms.
 */
#define BASE	100000000u
#define SPAN	28000u
#define WINDOW	64u

struct ct_primes {
	unsigned char composite[WINDOW * SPAN];
};

static bool is_prime(uint32_t n)
{
	uint32_t d;

	if (n < 2 || !(n & 1))
		return n == 2;
	for (d = 3; d * d <= n; d += 2)
		if (!(n % d))
			return false;
	return true;
}

/* The CPU part of task @id: the primes among the first @span numbers of its range. */
uint64_t ct_primes_count(struct ct_worker *w, uint64_t id, uint32_t span)
{
	uint32_t n = BASE + (uint32_t)(id % WINDOW) * SPAN, end = n + span;
	uint64_t count = 0;

	for (; n < end; n++) {
		count += is_prime(n);
		ct_tick(w);
	}
	return count;
}

/* @return 0 if @count is what ct_primes_count(, @id, @span) must return */
int ct_primes_check(const struct ct_primes *p, uint64_t id, uint32_t span, uint64_t count)
{
	const unsigned char *c = p->composite + (id % WINDOW) * SPAN;
	uint64_t want = 0;
	uint32_t i;

	for (i = 0; i < span; i++)
		want += !c[i];
	return count != want;
}

/* Sieve [BASE, BASE + WINDOW * SPAN) with the primes up to its square root. */
static struct ct_primes *primes_new(void)
{
	uint32_t lim = 1, len = WINDOW * SPAN, p, m;
	struct ct_primes *s;
	unsigned char *small;

	while ((uint64_t)lim * lim < (uint64_t)BASE + len)
		lim++;
	s = calloc(1, sizeof(*s));
	small = calloc(lim + 1, 1);
	if (!s || !small) {
		free(s);
		free(small);
		return NULL;
	}
	for (p = 2; p <= lim; p++) {
		if (small[p])
			continue;
		for (m = p * p; m <= lim; m += p)
			small[m] = 1;
		for (m = (BASE + p - 1) / p * p; m < BASE + len; m += p)
			s->composite[m - BASE] = 1;
	}
	free(small);
	return s;
}

int ct_primes_setup(struct ct_run *r)
{
	r->priv = primes_new();
	return r->priv ? 0 : -ENOMEM;
}

void ct_primes_teardown(struct ct_run *r)
{
	free(r->priv);
}

static void cpu_task(struct ct_worker *w, struct ct_task *t)
{
	t->out = ct_primes_count(w, t->id, SPAN);
}

static int cpu_check(struct ct_run *r, const struct ct_task *t)
{
	return ct_primes_check(r->priv, t->id, SPAN, t->out);
}

const struct ct_workload wl_cpu = {
	.name		= "cpu",
	.summary	= "count primes in independent ranges by trial division (~15 ms a task)",
	.tasks		= { 40, 200, 1000 },
	.setup		= ct_primes_setup,
	.teardown	= ct_primes_teardown,
	.task		= cpu_task,
	.check		= cpu_check,
};
