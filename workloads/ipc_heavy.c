// SPDX-License-Identifier: GPL-2.0
/* The ipc-heavy workload: a large payload per task and only a cheap checksum to compute on it. */
#include "wl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Task i gets payload i % NPAYLOADS (1 MiB small, 4 MiB default, 16 MiB large), sums its 64-bit
 * words in two ways and returns a hash of that and its id. Threads and async share the payload
 * by pointer; the processes model copies it to a worker process through a socketpair, as
 * multiprocessing.Pool pickles arguments, so there moving the data dominates the task.
 */
#define NPAYLOADS	4

static const size_t payload_len[CT_NR_SCALES] = { 1u << 20, 4u << 20, 16u << 20 };

struct ipc {
	size_t len;
	unsigned char *buf[NPAYLOADS];
	uint64_t sum[NPAYLOADS];
};

static uint64_t checksum(struct ct_worker *w, const unsigned char *p, size_t len)
{
	uint64_t add = 0, rot = 0, v;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&v, p + i, 8);
		add += v;
		rot = ((rot << 1) | (rot >> 63)) ^ v;
		if (!(i & 0xffff))
			ct_tick(w);
	}
	return add ^ ct_mix64(rot);
}

static void ipc_input(struct ct_run *r, struct ct_task *t)
{
	const struct ipc *c = r->priv;

	t->in = c->buf[t->id % NPAYLOADS];
	t->in_len = c->len;
}

static void ipc_task(struct ct_worker *w, struct ct_task *t)
{
	t->out = ct_mix64(checksum(w, t->in, t->in_len) ^ t->id);
}

static int ipc_check(struct ct_run *r, const struct ct_task *t)
{
	const struct ipc *c = r->priv;

	return t->out != ct_mix64(c->sum[t->id % NPAYLOADS] ^ t->id);
}

static void ipc_teardown(struct ct_run *r)
{
	struct ipc *c = r->priv;
	int i;

	for (i = 0; i < NPAYLOADS; i++)
		free(c->buf[i]);
	free(c);
}

static int ipc_setup(struct ct_run *r)
{
	struct ct_worker w = { .run = r };
	struct ipc *c = calloc(1, sizeof(*c));
	int i;

	if (!c)
		return -ENOMEM;
	r->priv = c;
	c->len = payload_len[r->scale];
	for (i = 0; i < NPAYLOADS; i++) {
		c->buf[i] = malloc(c->len);
		if (!c->buf[i]) {
			ipc_teardown(r);
			return -ENOMEM;
		}
		ct_fill(c->buf[i], c->len, i);
		c->sum[i] = checksum(&w, c->buf[i], c->len);
	}
	return 0;
}

const struct ct_workload wl_ipc_heavy = {
	.name		= "ipc-heavy",
	.summary	= "a 1/4/16 MiB payload per task, reduced by a cheap checksum",
	.tasks		= { 1500, 1500, 1000 },
	.setup		= ipc_setup,
	.teardown	= ipc_teardown,
	.input		= ipc_input,
	.task		= ipc_task,
	.check		= ipc_check,
};
