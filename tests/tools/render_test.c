// SPDX-License-Identifier: GPL-2.0
/*
 * render-test: the report renderers outside conctrace, for the end-to-end tests.
 *   render-test synth FORMAT [--timeline]   the synthetic profile (tests/unit/synth_profile.c)
 *                                           in FORMAT on stdout
 *   render-test trace DIR -- COMMAND...     trace COMMAND once (as `conctrace trace --`) and
 *                                           write the one profile in every format to
 *                                           DIR/report.FORMAT, so formats can be compared
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "common/ct.h"
#include "analysis/diagnose.h"
#include "common/opts.h"
#include "render/render.h"
#include "collect/trace.h"
#include "../unit/synth_profile.h"

static int synth(const char *fmt_name, bool timeline)
{
	struct ct_render_opts o = { .top = 10 };
	struct ct_profile p = {};
	struct ct_diagnosis d;
	int fmt, err;

	if (ct_parse_enum(fmt_name, ct_format_names, &fmt)) {
		fprintf(stderr, "render-test: unknown format '%s'\n", fmt_name);
		return 2;
	}
	err = ct_synth_profile(&p, &d, timeline);
	if (!err)
		err = ct_render(fmt, &p, &d, stdout, &o);
	ct_profile__free(&p);
	if (err)
		fprintf(stderr, "render-test: %s: %s\n", fmt_name, strerror(-err));
	return err ? 1 : 0;
}

static int trace(const char *dir, char **argv)
{
	struct ct_trace_req req = { .argv = argv, .syscalls = true, .child_stdout = -1 };
	struct ct_render_opts o = { .top = 10 };
	struct ct_profile p = {};
	struct ct_diagnosis d;
	char path[4096];
	int fmt, err;
	FILE *f;

	ct_trace_signals();
	err = ct_trace(&req, &p);
	if (err) {
		ct_profile__free(&p);
		return err;
	}
	ct_diagnose(&p, &d);
	for (fmt = 0; fmt < CT_FMT_RECORD && !err; fmt++) {
		snprintf(path, sizeof(path), "%s/report.%s", dir, ct_format_names[fmt]);
		f = fopen(path, "we");
		if (!f) {
			fprintf(stderr, "render-test: cannot write %s: %s\n", path, strerror(errno));
			err = 1;
			break;
		}
		err = ct_render(fmt, &p, &d, f, &o);
		if (err)
			fprintf(stderr, "render-test: %s: %s\n", path, strerror(-err));
		if (fclose(f) && !err) {
			fprintf(stderr, "render-test: write %s: %s\n", path, strerror(errno));
			err = 1;
		}
	}
	ct_profile__free(&p);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "synth"))
		return synth(argv[2], argc > 3 && !strcmp(argv[3], "--timeline"));
	if (argc >= 5 && !strcmp(argv[1], "trace") && !strcmp(argv[3], "--"))
		return trace(argv[2], argv + 4);
	fprintf(stderr, "usage: render-test synth FORMAT [--timeline] | "
		"render-test trace DIR -- COMMAND...\n");
	return 2;
}
