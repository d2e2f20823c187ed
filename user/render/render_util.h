/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the report renderers: escaping, cause labels, call sites. */
#ifndef CT_RENDER_UTIL_H
#define CT_RENDER_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include "common/ct.h"	/* CT_NS */
#include "model/frame.h"
#include "model/profile.h"

/* Human labels of enum ct_cause ("run queue", "lock wait", ...), as the text report's. */
extern const char *const ct_cause_labels[CT_CAUSE_MAX];

/*
 * Write @s escaped for HTML text and attribute values (& < > " '); control bytes become '?'.
 * Everything the traced program names (comm, symbols, arguments) goes through this.
 */
void ct_html_puts(FILE *f, const char *s);

/*
 * @s with control bytes (escape sequences a hostile program could put in its comm, arguments or
 * symbol names) replaced by '?', into @buf for a terminal. @return buf
 */
const char *ct_text_safe(const char *s, char *buf, size_t len);

/* Write @s escaped for a Markdown table cell: punctuation backslashed, & as &amp;, no newlines. */
void ct_md_puts(FILE *f, const char *s);

/*
 * The frame of stack @stack that names the call site: the innermost frame outside the lock
 * implementation (pthread, futex, libc, kernel), else the innermost frame.
 * @return the frame as printed (in @buf, of CT_FRAME_LEN bytes, or a frame's own string), or
 * NULL when the stack is absent or empty
 */
const char *ct_stack_site(const struct ct_profile *p, int stack, char *buf, size_t len);

/*
 * qsort() comparator of pointers to sites, heaviest first: waits by sampled wait time, on-CPU
 * sites by samples.
 */
int ct_site_cmp_weight(const void *a, const void *b);

/*
 * A syscall row's total time in seconds and longest call in milliseconds, as "%.3f" into @time
 * and @max, or "-" for the syscalls counted but not timed (ct_syscall_timed()).
 */
void ct_syscall_times(const struct ct_syscall_rec *r, char *time, char *max, size_t len);

/* Lost records other than stack samples (drops_total less drops[CT_DROP_SAMPLES]). */
__u64 ct_drops_other(const struct ct_profile *p);

/* The comm of thread @tid (else of process @pid), or NULL when neither was seen. */
const char *ct_comm_of(const struct ct_profile *p, __u32 pid, __u32 tid);

/*
 * The start of a self-contained HTML page titled @title (escaped): inline CSS and a
 * Content-Security-Policy that forbids every network request; ct_html_foot() ends it.
 */
void ct_html_head(FILE *f, const char *title);
void ct_html_foot(FILE *f);

/* Fill colour of on-CPU time and of each cause in the HTML charts. */
extern const char ct_html_cpu_color[];
extern const char *const ct_html_cause_colors[CT_CAUSE_MAX];

#endif
