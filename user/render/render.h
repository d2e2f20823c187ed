/* SPDX-License-Identifier: GPL-2.0 */
/* Renderers: a profile and its diagnosis to text or JSON, always into a given FILE. */
#ifndef CT_RENDER_H
#define CT_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include "model/diagnosis.h"
#include "model/profile.h"

#define CT_REPORT_SCHEMA "conctrace.report/1"

enum ct_format {
	CT_FMT_TEXT,
	CT_FMT_JSON,
	CT_FMT_MD,		/* Markdown, for issues and pull requests */
	CT_FMT_HTML,		/* one self-contained page, inline SVG charts */
	CT_FMT_PERFETTO,	/* Chrome/Perfetto trace-event JSON */
	CT_FMT_PPROF,		/* gzip-compressed profile.proto */
	CT_FMT_FOLDED,		/* folded stacks (flamegraph.pl, speedscope) */
	CT_FMT_RECORD,		/* a recording: everything collected, for `conctrace report` */
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

/* "dropped": {each drop counter, total}, as every JSON-based format carries it. */
void ct_json_drops(struct ct_json *j, const struct ct_profile *p);

/* "key": [the @n strings of @v] (evidence and reasons). */
void ct_json_lines(struct ct_json *j, const char *key, const char (*v)[CT_DIAG_LEN], int n);

/* Print "  - @text", wrapped at word boundaries to fit 100 columns. */
void ct_text_bullet(FILE *f, const char *text);

void ct_render_md(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		  const struct ct_render_opts *o);
void ct_render_html(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		    const struct ct_render_opts *o);
void ct_render_perfetto(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
			const struct ct_render_opts *o);
void ct_render_pprof(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		     const struct ct_render_opts *o);
void ct_render_folded(const struct ct_profile *p, const struct ct_diagnosis *d, FILE *f,
		      const struct ct_render_opts *o);

/*
 * Render in @fmt (any but CT_FMT_RECORD, which record.h writes).
 * @return 0, or -errno when the output could not be produced
 */
int ct_render(enum ct_format fmt, const struct ct_profile *p, const struct ct_diagnosis *d,
	      FILE *f, const struct ct_render_opts *o);

#endif
