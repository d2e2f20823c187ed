// SPDX-License-Identifier: GPL-2.0
/* `conctrace report FILE`: render a recording of `trace` or `run` later, anywhere, without root. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "common/ct.h"
#include "analysis/diagnose.h"
#include "render/lab_render.h"
#include "common/opts.h"
#include "output.h"
#include "model/record.h"
#include "render/render.h"

const char cmd_report_usage[] =
"Usage: conctrace report [OPTIONS] FILE\n"
"\n"
"Render a recording made by 'conctrace trace --format record' (or --record FILE) or by\n"
"'conctrace run --format record' (or --record FILE), in any report format. Nothing is traced:\n"
"no root, no BPF, and the machine need not be the one that recorded. The diagnosis and the\n"
"recommendation of a trace are computed again from the recorded profile by this conctrace;\n"
"a lab's per-workload winner and recommendation are the ones recorded.\n"
"\n"
"The file is checked before anything is written: a truncated, corrupt or oversized recording,\n"
"or one of another format version, is refused with one line saying why (exit status 1).\n"
"\n"
"Options:\n"
"  -f, --format FORMAT      text (default), json, md, html, perfetto, pprof or folded for a\n"
"                           trace recording; text, json or md for a lab recording\n"
"  -o, --output FILE        write the report to FILE (default: stdout); symlinks are refused\n"
"  -E, --top N              rows per table of a trace report (default 10)\n"
"  -h, --help               show this help\n"
"\n"
"Exit status: 0 on success, 1 when the recording cannot be read or the report not written,\n"
"2 on a usage error (including a format the recording's kind does not offer).\n"
"\n"
"Examples:\n"
"  sudo conctrace trace --format record -o app.ctrec -- ./app\n"
"  conctrace report app.ctrec\n"
"  conctrace report app.ctrec --format json -o app.json\n"
"  sudo conctrace run --scale small --record lab.ctrec\n"
"  conctrace report lab.ctrec --format md -o lab.md\n";

#define REPORT_OPTS "f:o:E:h"

struct report_opts {
	const char *input;
	const char *output;
	int format;
	unsigned long top;
};

static int parse(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "top", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->top = 10;
	o->format = CT_FMT_TEXT;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, REPORT_OPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (ct_parse_enum(optarg, ct_format_names, &o->format) ||
			    o->format == CT_FMT_RECORD)
				return ct_usage_error("report: unknown format '%s' (text, json, "
						      "md, html, perfetto, pprof, folded)",
						      optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'E':
			if (ct_parse_ulong(optarg, 1, 100000, &o->top))
				return ct_usage_error("report: invalid row count '%s'", optarg);
			break;
		case 'h':
			fputs(cmd_report_usage, stdout);
			return -1;
		default:
			return ct_bad_option("report", REPORT_OPTS, argv, optopt);
		}
	}
	if (optind >= argc)
		return ct_usage_error("report needs a recording FILE (see 'conctrace report -h')");
	if (optind + 1 < argc)
		return ct_usage_error("report: unexpected argument '%s'", argv[optind + 1]);
	o->input = argv[optind];
	return 0;
}

/* The lab's own format for @fmt, or -1 when a lab does not render in it. */
static int lab_format(int fmt)
{
	switch (fmt) {
	case CT_FMT_TEXT:
		return CT_LAB_FMT_TEXT;
	case CT_FMT_JSON:
		return CT_LAB_FMT_JSON;
	case CT_FMT_MD:
		return CT_LAB_FMT_MD;
	default:
		return -1;
	}
}

/* Render @rec into memory first, so that a failure leaves no partial output file. */
static int render(const struct report_opts *o, struct ct_recording *rec, bool color, char **buf,
		  size_t *len)
{
	struct ct_render_opts ro = { .top = o->top, .color = color };
	FILE *m = open_memstream(buf, len);
	int err = 0;

	if (!m)
		return -errno;
	if (rec->kind == CT_REC_LAB)
		ct_lab__render(rec->lab, m, color);
	else
		err = ct_render(o->format, &rec->prof, &rec->diag, m, &ro);
	if (fclose(m) && !err)
		err = -ENOMEM;
	return err;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = {};
	struct ct_recording rec;
	char *buf = NULL;
	size_t len = 0;
	bool color;
	FILE *out;
	int err, ret = CT_EXIT_FAIL;

	err = parse(argc, argv, &o);
	if (err)
		return err < 0 ? CT_EXIT_OK : err;
	err = ct_record__read(o.input, &rec);
	if (err) {
		ct_err("%s: %s", o.input, rec.err);
		goto out;
	}
	ct_diagnose_recording(&rec);
	if (rec.kind == CT_REC_LAB) {
		if (lab_format(o.format) < 0) {
			ret = ct_usage_error("%s: a lab recording renders as text, json or "
					     "md, not %s", o.input, ct_format_names[o.format]);
			goto out;
		}
		rec.lab->format = lab_format(o.format);
	}
	/* as ct_use_color() would decide for the output file, which is opened later */
	if (!o.output || !strcmp(o.output, "-"))
		color = ct_use_color(stdout);
	else
		color = ct_color_mode == CT_COLOR_ALWAYS;
	err = render(&o, &rec, color, &buf, &len);
	if (err) {
		ct_err("%s: format %s: %s", o.input, ct_format_names[o.format],
		       err == -ENOTSUP ? "not available in this build" : strerror(-err));
		goto out;
	}
	out = ct_output_open(o.output);
	if (!out)
		goto out;
	fwrite(buf, 1, len, out);
	err = ct_output_close(out);
	if (err) {
		ct_err("write %s: %s", o.output ? o.output : "stdout", strerror(-err));
		goto out;
	}
	ret = CT_EXIT_OK;
out:
	free(buf);
	ct_recording__free(&rec);
	return ret;
}
