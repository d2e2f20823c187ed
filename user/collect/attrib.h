/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribution: stack samples from the samples ring (futex waits at block time, on-CPU samples)
 * unwound, symbolized and aggregated into the profile's stacks and sites; then the futexes named
 * (lock identity), their kinds found from the stacks, and CPython's GIL recognised.
 */
#ifndef CT_STACKS_H
#define CT_STACKS_H

#include "model/profile.h"

struct ct_stacks;

/* A collector filling @p. @return it, or NULL (out of memory) */
struct ct_stacks *ct_stacks__new(struct ct_profile *p);

struct ct_ksyms;
/* Name kernel frames with @k, read ahead (ksyms.h); @s owns it from now. */
void ct_stacks__set_ksyms(struct ct_stacks *s, struct ct_ksyms *k);

/* Ring-buffer callback for the samples ring (ctx: the collector). @return 0 */
int ct_stacks__sample(void *ctx, void *data, size_t size);

/* A target process exec'd or was first seen: (re)take its mappings now. */
void ct_stacks__note_pid(struct ct_stacks *s, __u32 pid, bool exec);

/*
 * After the maps are collected: time the sampled waits still open at the end, name the locks,
 * find their kinds, CPython's GIL and each thread's GIL wait.
 */
void ct_stacks__finish(struct ct_stacks *s);

void ct_stacks__free(struct ct_stacks *s);

#endif
