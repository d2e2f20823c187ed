/* SPDX-License-Identifier: GPL-2.0 */
/* The thread pool of the threads model (model_threads.c), which the gil model runs too. */
#ifndef CT_POOL_H
#define CT_POOL_H

#include "wl.h"

/*
 * Run @r's tasks on a pool of r->workers threads fed by the main thread. @attach (may be NULL)
 * is called with @arg on each worker and on the main thread's before it runs; one that sets
 * w->hold (struct ct_hold_ops) has the pool take it at a thread's start and drop it at its end.
 * @return 0, -ENOMEM, or -EAGAIN if no thread started
 */
int ct_pool_run(struct ct_run *r, void (*attach)(struct ct_worker *w, void *arg), void *arg);

#endif /* CT_POOL_H */
