/* SPDX-License-Identifier: GPL-2.0 */
/* Recordings: a profile or a lab matrix in a versioned zlib file, and the strict reader. */
#ifndef CT_RECORD_H
#define CT_RECORD_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "diagnosis.h"
#include "lab.h"
#include "profile.h"

#include "record_limits.h"

enum ct_record_kind {
	CT_REC_PROFILE = 1,	/* one trace: a profile (its diagnosis is recomputed on load) */
	CT_REC_LAB = 2,		/* a `conctrace run` matrix */
};

struct ct_recording {
	enum ct_record_kind kind;
	__u32 version;			/* format version of the file */
	/* who wrote it, where and when (informational; not rendered) */
	char writer[32];		/* conctrace version */
	char kernel[65];		/* uname release */
	char arch[65];			/* uname machine */
	__u64 created;			/* seconds since the epoch */
	/* CT_REC_PROFILE */
	struct ct_profile prof;
	struct ct_diagnosis diag;	/* filled by ct_diagnose_recording() */
	/* CT_REC_LAB (every cell's diag is ct_diagnose() of its profile) */
	struct ct_lab *lab;
	/* after a failure: what was wrong, one line without the file name */
	char err[160];
};

/*
 * Write @p (after ct_profile__finish()) as a recording to @f.
 * @return 0, or -errno (-E2BIG when it exceeds a reader limit, -EIO on a write error)
 */
int ct_record__write_profile(FILE *f, const struct ct_profile *p);

/* Write the results of @lab (after ct_lab__run()) as a recording to @f. @return as above */
int ct_record__write_lab(FILE *f, const struct ct_lab *lab);

/*
 * THE parser: validate and decode the recording in @buf[0..@len) into @out (overwritten; free
 * it with ct_recording__free() whatever the result). Every count, length, enum value and table
 * index is checked, so renderers can trust what comes out. The diagnoses are not stored:
 * analysis/diagnose.h's ct_diagnose_recording() computes them.
 * @return 0, or -EINVAL (malformed), -EPROTONOSUPPORT (another format version), -E2BIG (over a
 * limit), -ENOMEM; out->err then says what, in one line
 */
int ct_record__parse(const void *buf, size_t len, struct ct_recording *out);

/*
 * Read the file at @path (a regular file of at most CT_RECORD_MAX_FILE bytes) and parse it.
 * @return as ct_record__parse(), or -errno of open/read (-EISDIR for a directory); out->err set
 */
int ct_record__read(const char *path, struct ct_recording *out);

/* Free what a parse allocated (a zeroed or failed recording is fine). */
void ct_recording__free(struct ct_recording *r);

#endif
