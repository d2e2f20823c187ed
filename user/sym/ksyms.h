/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel text symbols from /proc/kallsyms. Reading them takes tens of milliseconds of CPU (the
 * kernel formats 100k+ lines), so a session reads them in a thread while its BPF programs load,
 * not on the first kernel frame, while the target runs.
 */
#ifndef CT_KSYMS_H
#define CT_KSYMS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct ct_ksyms;

/*
 * Read /proc/kallsyms now: an empty table when it cannot be read or shows no addresses (no
 * root). @return the table, or NULL out of memory
 */
struct ct_ksyms *ct_ksyms__read(void);
/* The same from a file in kallsyms' format. */
struct ct_ksyms *ct_ksyms__load(const char *path);
void ct_ksyms__free(struct ct_ksyms *k);

/* Name kernel address @addr into @buf: "function [k]" -> 1, "0x... [k]" -> 0. */
int ct_ksyms__name(const struct ct_ksyms *k, __u64 addr, char *buf, size_t len);

/* The symbol of kernel address @addr, or NULL (no symbol covers it). Owned by @k. */
const char *ct_ksyms__lookup(const struct ct_ksyms *k, __u64 addr);

/* A read in a background thread: start it, then take its table (joining the thread). */
struct ct_ksyms_reader {
	pthread_t thread;
	struct ct_ksyms *k;
	bool started;
};

void ct_ksyms__read_start(struct ct_ksyms_reader *r);
/* @return the table read (yours to free; NULL out of memory or never started) */
struct ct_ksyms *ct_ksyms__read_take(struct ct_ksyms_reader *r);

#endif /* CT_KSYMS_H */
