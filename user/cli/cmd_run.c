// SPDX-License-Identifier: GPL-2.0
/*
 * `conctrace run`: the workload lab. Runs each built-in workload under each concurrency model
 * (conctrace-workload, traced like `trace --`), lays the models side by side, and recommends.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "cmds.h"
#include "common/ct.h"
#include "collect/launch.h"
#include "lab/lab.h"
#include "render/lab_render.h"
#include "common/opts.h"
#include "output.h"
#include "model/record.h"
#include "collect/trace.h"

const char cmd_run_usage[] =
"Usage: conctrace run [OPTIONS]\n"
"\n"
"The workload lab: run built-in workloads under each concurrency model while tracing them,\n"
"lay the models side by side (wall time, throughput, speedup, parallelism, time by cause,\n"
"context switches, lock wait), and say which model to pick for each and why.\n"
"\n"
"Options:\n"
"  -w, --workloads LIST     cpu,io-fast,io-slow,shared-state,ipc-heavy,mixed (default: all)\n"
"  -m, --models LIST        serial,threads,processes,async,gil (default: all)\n"
"  -j, --workers N          workers per pool (default: per workload, see conctrace-workload -h)\n"
"  -s, --scale SCALE        small (about 30 s in all), default (about 2 min), large\n"
"  -r, --repeat K           run each cell K times, in interleaved rounds, and keep\n"
"                           the median (default 1)\n"
"  -o, --output FILE        write the report to FILE (default: stdout)\n"
"  -f, --format FORMAT      text (default), json (schema conctrace.run/1), md, html (one\n"
"                           self-contained page with the models x workloads chart), or\n"
"                           record: the whole matrix with every cell's profile, for\n"
"                           'conctrace report'\n"
"      --record FILE        also write a recording of the matrix to FILE\n"
"      --no-syscalls        do not load the per-syscall probes\n"
"      --user NAME          run the workloads as user NAME (uid, gid, groups, HOME); by\n"
"                           default, under sudo, as the invoking user\n"
"  -h, --help               show this help\n"
"\n"
"Examples:\n"
"  sudo conctrace run\n"
"  sudo conctrace run --scale small --workloads cpu,io-slow --format json -o lab.json\n";

#define RUN_OPTS "+w:m:j:s:r:o:f:h"
/* Long-only options: values past any character, as ct_bad_option() expects. */
#define OPT_NO_SYSCALLS	0x100
#define OPT_RECORD	0x101
#define OPT_USER	0x102

/* Where the recording goes: --record FILE, or the output with --format record. */
struct run_record {
	const char *path;
	bool as_output;
};

static int parse(int argc, char **argv, struct ct_lab *lab, const char **output,
		 struct run_record *rec)
{
	static const struct option longopts[] = {
		{ "workloads", required_argument, NULL, 'w' },
		{ "models", required_argument, NULL, 'm' },
		{ "workers", required_argument, NULL, 'j' },
		{ "scale", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-syscalls", no_argument, NULL, OPT_NO_SYSCALLS },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "user", required_argument, NULL, OPT_USER },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, RUN_OPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (ct_parse_list(optarg, ct_lab_workloads, &lab->workloads))
				return ct_usage_error("unknown workload in '%s' (see 'conctrace help "
						      "run')", optarg);
			break;
		case 'm':
			if (ct_parse_list(optarg, ct_lab_models, &lab->models))
				return ct_usage_error("unknown model in '%s' (serial, threads, "
						      "processes, async, gil)", optarg);
			break;
		case 'j':
			if (ct_parse_ulong(optarg, 1, 4096, &v))
				return ct_usage_error("invalid worker count '%s' (1..4096)", optarg);
			lab->workers = v;
			break;
		case 's':
			if (ct_parse_enum(optarg, ct_lab_scales, &lab->scale))
				return ct_usage_error("unknown scale '%s' (small, default, large)",
						      optarg);
			break;
		case 'r':
			if (ct_parse_ulong(optarg, 1, 100, &v))
				return ct_usage_error("invalid repeat count '%s' (1..100)", optarg);
			lab->repeat = v;
			break;
		case 'o':
			*output = optarg;
			break;
		case 'f':
			rec->as_output = !strcmp(optarg, "record");
			if (!rec->as_output && ct_parse_enum(optarg, ct_lab_formats, &lab->format))
				return ct_usage_error("unknown format '%s' (text, json, md, html or "
						      "record)", optarg);
			break;
		case OPT_RECORD:
			rec->path = optarg;
			break;
		case OPT_NO_SYSCALLS:
			lab->no_syscalls = true;
			break;
		case OPT_USER:
			if (ct_launch_set_user(optarg))
				return ct_usage_error("unknown user '%s' for --user", optarg);
			break;
		case 'h':
			fputs(cmd_run_usage, stdout);
			return -1;
		default:
			return ct_bad_option("run", RUN_OPTS, argv, optopt);
		}
	}
	if (optind < argc)
		return ct_usage_error("run: unexpected argument '%s'", argv[optind]);
	if (rec->as_output && (!*output || !strcmp(*output, "-")) && isatty(STDOUT_FILENO))
		return ct_usage_error("run: a recording is binary: write it with -o FILE");
	return 0;
}

/* conctrace-workload beside our own binary, else on PATH. */
static int find_workload_binary(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(buf, len, "%s/conctrace-workload", self);
			if (!access(buf, X_OK))
				return 0;
		}
	}
	snprintf(buf, len, "conctrace-workload");
	return ct_find_command(buf);
}

/* A recording of @lab into @f, opened on @path. @return 0 or CT_EXIT_FAIL after saying why */
static int write_record(FILE *f, const char *path, const struct ct_lab *lab)
{
	int err = ct_record__write_lab(f, lab);

	if (!err)
		return 0;
	ct_err("write recording %s: %s", path ? path : "stdout", err == -E2BIG ?
	       "over the recording format's limits" : strerror(-err));
	return CT_EXIT_FAIL;
}

int cmd_run(int argc, char **argv)
{
	struct ct_lab lab = { .workloads = ~0ul, .models = ~0ul, .scale = CT_LAB_SCALE_DEFAULT,
			      .repeat = 1 };
	const char *output = NULL;
	struct run_record rec = {};
	FILE *out, *recf = NULL;
	int err, werr;

	err = parse(argc, argv, &lab, &output, &rec);
	if (err)
		return err < 0 ? CT_EXIT_OK : err;
	if (find_workload_binary(lab.binary, sizeof(lab.binary))) {
		ct_err("conctrace-workload not found next to conctrace or on PATH (run 'make')");
		return CT_EXIT_FAIL;
	}
	ct_trace_signals();		/* before the temp file exists: no signal leaves it */
	out = ct_output_open(output);
	if (!out)
		return CT_EXIT_FAIL;
	if (rec.path && !(recf = ct_output_open(rec.path))) {
		ct_output_discard(out);
		return CT_EXIT_FAIL;
	}
	lab.progress = isatty(STDERR_FILENO) && !ct_quiet;
	err = ct_lab__run(&lab);
	if (!err && recf)
		err = write_record(recf, rec.path, &lab);
	if (recf && err) {
		ct_output_discard(recf);
	} else if (recf && (werr = ct_output_close(recf))) {
		ct_err("write %s: %s", rec.path, strerror(-werr));
		err = CT_EXIT_FAIL;
	}
	if (!err && rec.as_output)
		err = write_record(out, output, &lab);
	else if (!err)
		ct_lab__render(&lab, out, ct_use_color(out));
	if (err)
		ct_output_discard(out);
	else if ((werr = ct_output_close(out))) {
		ct_err("write %s: %s", output ? output : "stdout", strerror(-werr));
		err = CT_EXIT_FAIL;
	}
	ct_lab__free(&lab);
	return err;
}
