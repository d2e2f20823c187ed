/* SPDX-License-Identifier: GPL-2.0 */
/* Renderers: a profile and its diagnosis to text or JSON, always into a given FILE. */
#ifndef CT_RENDER_H
#define CT_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include "diagnose.h"
#include "profile.h"

#define CT_REPORT_SCHEMA "conctrace.report/1"

enum ct_format {
	CT_FMT_TEXT,
	CT_FMT_JSON,
};

extern const char *const ct_format_names[];	/* NULL-terminated, indexed by enum ct_format */

struct ct_render_opts {
	int top;		/* rows per table */
	bool color;		/* ANSI colour (only when writing to a terminal) */
};

struct ct_json;

void ct_render_text(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		    const struct ct_render_opts *o);
void ct_render_json(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		    const struct ct_render_opts *o);
/* The report object itself, into an open writer (for documents that embed reports). */
void ct_report_json(struct ct_json *j, const struct ct_profile *p, const struct ct_diagnosis *d,
		    const struct ct_render_opts *o);

/* "key": [the @n strings of @v] (evidence and reasons). */
void ct_json_lines(struct ct_json *j, const char *key, const char (*v)[CT_DIAG_LEN], int n);

/* Print "  - @text", wrapped at word boundaries to fit 100 columns. */
void ct_text_bullet(FILE *f, const char *text);

/* Render in @fmt. */
void ct_render(enum ct_format fmt, const struct ct_profile *p, const struct ct_diagnosis *d,
	       FILE *f, const struct ct_render_opts *o);

#endif
