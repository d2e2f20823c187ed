/* SPDX-License-Identifier: GPL-2.0 */
/* Filling a profile from BPF: ring-buffer callbacks and the maps of a stopped session. */
#ifndef CT_READ_H
#define CT_READ_H

#include "model/profile.h"

struct ct_bpf;

/* Ring-buffer callback: fork/exec/exit events (ctx is the profile). @return 0 */
int ct_profile__event(void *ctx, void *data, size_t size);

/* Ring-buffer callback: a --timeline slice (ctx is the profile). @return 0 */
int ct_profile__slice(void *ctx, void *data, size_t size);

/*
 * Read the maps and counters of a stopped session into @p and close the live threads'
 * accounts at @p->stop_ns.
 * @return 0 or -errno
 */
int ct_profile__collect(struct ct_profile *p, struct ct_bpf *skel);

#endif
