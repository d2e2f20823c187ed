// SPDX-License-Identifier: GPL-2.0
/* The shared-state workload: every update of one hash table happens under one mutex. */
#include "wl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * A task makes OPS updates. Each picks a key (a little work outside the lock), then under the
 * table's single mutex finds or inserts the key's entry and churns its state for CS_ROUNDS
 * rounds (most of the work is inside the lock), so the workers mostly wait for each other.
 * The table and its mutex live in shared memory with a process-shared mutex, so the
 * processes model contends on the very same lock. Correctness is a whole-run invariant: the
 * table's update counter (read at the start of each critical section, written at its end, so
 * a lock that fails to serialize loses updates), the entries' counts and their sums must all
 * equal what the tasks say they did.
 */
#define SLOTS		8192u		/* open addressing, at most half full */
#define KEYS		4096u
#define OPS		400u
#define OUT_ROUNDS	900u
#define CS_ROUNDS	9000u

struct entry {
	uint64_t key;			/* 0: free */
	uint64_t count;
	uint64_t sum;
	uint64_t state[4];
};

struct table {
	pthread_mutex_t lock;
	uint64_t updates;		/* read at the start of a critical section, written at its end */
	struct entry e[SLOTS];
};

struct shared_state {
	struct table *tab;		/* shared memory */
	atomic_ullong task_sum;		/* what finished tasks say they added */
	atomic_ulong tasks;		/* finished tasks */
};

static struct entry *lookup(struct table *tab, uint64_t key)
{
	uint32_t i = (uint32_t)ct_mix64(key) & (SLOTS - 1);

	while (tab->e[i].key && tab->e[i].key != key)
		i = (i + 1) & (SLOTS - 1);
	tab->e[i].key = key;
	return &tab->e[i];
}

static uint64_t churn(struct ct_worker *w, struct entry *e, uint64_t key)
{
	uint64_t v = 0, x;
	unsigned int i;

	for (i = 0; i < CS_ROUNDS; i++) {
		x = ct_mix64(e->state[i & 3] ^ key ^ i);
		e->state[i & 3] = x;
		v += x >> 8;
		if (!(i & 63))
			ct_tick(w);
	}
	return v;
}

static void shared_task(struct ct_worker *w, struct ct_task *t)
{
	struct table *tab = ((struct shared_state *)w->run->priv)->tab;
	uint64_t h = t->id, sum = 0, v;
	uint64_t updates;
	struct entry *e;
	unsigned int j, i;

	for (j = 0; j < OPS; j++) {
		for (i = 0; i < OUT_ROUNDS; i++)
			h = ct_mix64(h + i);
		ct_tick(w);
		ct_mutex_lock(w, &tab->lock);
		updates = tab->updates;
		e = lookup(tab, h % KEYS + 1);
		v = churn(w, e, e->key);
		e->count++;
		e->sum += v;
		tab->updates = updates + 1;
		pthread_mutex_unlock(&tab->lock);
		sum += v;
	}
	t->out = sum;
}

static int shared_check(struct ct_run *r, const struct ct_task *t)
{
	struct shared_state *s = r->priv;

	atomic_fetch_add(&s->task_sum, t->out);
	atomic_fetch_add(&s->tasks, 1);
	return 0;
}

/* @return 1 if an update was lost or doubled (the lock failed to serialize), else 0 */
static int shared_finish(struct ct_run *r)
{
	struct shared_state *s = r->priv;
	uint64_t count = 0, sum = 0, want;
	unsigned int i;

	for (i = 0; i < SLOTS; i++) {
		count += s->tab->e[i].count;
		sum += s->tab->e[i].sum;
	}
	want = (uint64_t)atomic_load(&s->tasks) * OPS;
	if (count == want && s->tab->updates == want && sum == atomic_load(&s->task_sum))
		return 0;
	fprintf(stderr, "%s: shared-state: tasks made %llu updates, the table counted %llu "
		"(entries %llu)\n", CT_PROG, (unsigned long long)want,
		(unsigned long long)s->tab->updates, (unsigned long long)count);
	return 1;
}

static int shared_setup(struct ct_run *r)
{
	struct shared_state *s = calloc(1, sizeof(*s));
	pthread_mutexattr_t attr;

	if (!s)
		return -ENOMEM;
	s->tab = ct_shared_alloc(sizeof(*s->tab));
	if (!s->tab) {
		free(s);
		return -ENOMEM;
	}
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->tab->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	r->priv = s;
	return 0;
}

static void shared_teardown(struct ct_run *r)
{
	struct shared_state *s = r->priv;

	pthread_mutex_destroy(&s->tab->lock);
	ct_shared_free(s->tab, sizeof(*s->tab));
	free(s);
}

const struct ct_workload wl_shared_state = {
	.name		= "shared-state",
	.summary	= "update one hash table under one mutex, most of the work inside the lock",
	.tasks		= { 40, 200, 1000 },
	.setup		= shared_setup,
	.teardown	= shared_teardown,
	.task		= shared_task,
	.check		= shared_check,
	.finish		= shared_finish,
};
