// SPDX-License-Identifier: GPL-2.0
/* `conctrace trace`: trace running PIDs or a launched command, then diagnose and report. */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "cmds.h"
#include "common/ct.h"
#include "analysis/diagnose.h"
#include "collect/launch.h"
#include "common/opts.h"
#include "output.h"
#include "model/record.h"
#include "render/render.h"
#include "collect/trace.h"

const char cmd_trace_usage[] =
"Usage: conctrace trace [OPTIONS] -p PID[,PID...]\n"
"       conctrace trace [OPTIONS] -- COMMAND [ARGS...]\n"
"\n"
"Trace where every thread of a program spends its time, from the kernel, and say which\n"
"concurrency model (processes, threads, async event loop) would serve it.\n"
"\n"
"With -- the command is started held, the probes attach, then it runs; tracing ends when it\n"
"exits and conctrace exits with its status (128+N if killed by signal N, 127 if it is not\n"
"found). Under sudo the command runs as the invoking user. With -p, running processes and their\n"
"threads and future children are traced until -d elapses, they all exit, or Ctrl-C.\n"
"Ctrl-C, SIGTERM or SIGHUP stop tracing and still write the report; one sent to conctrace\n"
"alone (kill) is passed on to a launched command, which gets 2 s to exit (else it is left\n"
"running and conctrace exits 128+N). A signal before tracing began (loading or attaching the\n"
"probes) ends conctrace with 128+N, no report, and a launched command never run.\n"
"\n"
"Options:\n"
"  -p, --pid PID[,PID...]   trace these running processes\n"
"  -d, --duration SECONDS   stop after SECONDS (1.5, 500ms, 2m); with -- the command keeps running\n"
"  -o, --output FILE        write the report to FILE (default: stdout); symlinks are refused\n"
"  -f, --format FORMAT      text (default), json (schema conctrace.report/1), md, html,\n"
"                           perfetto, pprof, folded, or record: a recording of everything\n"
"                           collected, for 'conctrace report' (docs/recording-format.md)\n"
"      --record FILE        also write a recording of this trace to FILE\n"
"      --user NAME          run the command as user NAME (uid, gid, groups, HOME)\n"
"      --no-syscalls        do not load the per-syscall probes (block causes still recorded)\n"
"      --no-stacks          no stacks: neither wait stacks nor on-CPU samples\n"
"      --stack-rate N       futex-wait stacks sampled per second per CPU (default 200; 0 off)\n"
"  -F, --freq HZ            on-CPU stack samples per second per CPU (default 99; 0 off)\n"
"      --timeline           record every thread's state changes (for --format perfetto)\n"
"  -E, --top N              rows per table (default 10)\n"
"  -h, --help               show this help\n"
"\n"
"Exit status: the command's status with --; otherwise 0 on success, 1 on a runtime failure,\n"
"2 on a usage error or a PID that does not exist, 3 when a kernel feature is missing.\n"
"\n"
"Examples:\n"
"  sudo conctrace trace -- ./server --port 8080\n"
"  sudo conctrace trace -p 1234 -d 10 --format json -o report.json\n"
"  sudo conctrace trace --no-syscalls -- python3 crunch.py\n";

/* The thread group of @pid: a TID given to -p means its process. @return tgid or -ESRCH */
static int pid_tgid(int pid)
{
	char path[64], line[256];
	int tgid = -ESRCH;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -ESRCH;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

struct trace_opts {
	struct ct_trace_req req;	/* what to trace, filled in directly */
	const char *output;
	const char *record;		/* --record FILE */
	int format;
	unsigned long top;
	const char *user;		/* --user NAME */
};

#define TRACE_OPTS "+p:d:o:f:E:F:h"
#define OPT_NO_STACKS	0x100
#define OPT_STACK_RATE	0x101
#define OPT_TIMELINE	0x102
#define OPT_NO_SYSCALLS	0x103
#define OPT_RECORD	0x104
#define OPT_USER	0x105

static int parse(int argc, char **argv, struct trace_opts *o)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-syscalls", no_argument, NULL, OPT_NO_SYSCALLS },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "top", required_argument, NULL, 'E' },
		{ "no-stacks", no_argument, NULL, OPT_NO_STACKS },
		{ "stack-rate", required_argument, NULL, OPT_STACK_RATE },
		{ "freq", required_argument, NULL, 'F' },
		{ "timeline", no_argument, NULL, OPT_TIMELINE },
		{ "help", no_argument, NULL, 'h' },
		{ "user", required_argument, NULL, OPT_USER },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c, i;

	o->top = 10;
	o->req.wait_rate = 200;
	o->req.sample_hz = 99;
	o->req.syscalls = true;
	o->req.child_stdout = -1;
	o->req.announce = true;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, TRACE_OPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (ct_parse_pid_list(optarg, o->req.pids, CT_MAX_PIDS, &o->req.nr_pids))
				return ct_usage_error("invalid PID list '%s'", optarg);
			break;
		case 'd':
			if (ct_parse_seconds(optarg, &o->req.duration))
				return ct_usage_error("invalid duration '%s': want a positive "
						      "number of seconds", optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'f':
			if (ct_parse_enum(optarg, ct_format_names, &o->format))
				return ct_usage_error("unknown format '%s' (text, json, md, html, "
						      "perfetto, pprof, folded, record)", optarg);
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_NO_SYSCALLS:
			o->req.syscalls = false;
			break;
		case 'E':
			if (ct_parse_ulong(optarg, 1, 100000, &o->top))
				return ct_usage_error("invalid row count '%s'", optarg);
			break;
		case OPT_NO_STACKS:
			o->req.wait_rate = 0;
			o->req.sample_hz = 0;
			break;
		case OPT_STACK_RATE:
			if (ct_parse_ulong(optarg, 0, 100000, &v))
				return ct_usage_error("invalid stack rate '%s' (0..100000 per second)",
						      optarg);
			o->req.wait_rate = v;
			break;
		case 'F':
			if (ct_parse_ulong(optarg, 0, 10000, &v))
				return ct_usage_error("invalid sampling frequency '%s' (0..10000 Hz)",
						      optarg);
			o->req.sample_hz = v;
			break;
		case OPT_TIMELINE:
			o->req.timeline = true;
			break;
		case OPT_USER:
			o->user = optarg;
			break;
		case 'h':
			fputs(cmd_trace_usage, stdout);
			return -1;
		default:
			return ct_bad_option("trace", TRACE_OPTS, argv, optopt);
		}
	}
	if (optind < argc)
		o->req.argv = argv + optind;
	if (!o->req.argv == !o->req.nr_pids)
		return ct_usage_error("trace needs either -p PID or -- COMMAND (see "
				      "'conctrace trace -h')");
	if (o->user && !o->req.argv)
		return ct_usage_error("--user applies to -- COMMAND only");
	if (o->user && ct_launch_set_user(o->user))
		return ct_usage_error("unknown user '%s' for --user", o->user);
	for (i = 0; i < o->req.nr_pids; i++) {
		int tgid = pid_tgid(o->req.pids[i]);

		if (tgid < 0 || !ct_pid_alive(o->req.pids[i]))
			return ct_usage_error("no process with PID %d", o->req.pids[i]);
		o->req.pids[i] = tgid;
	}
	if (o->format == CT_FMT_RECORD && (!o->output || !strcmp(o->output, "-")) &&
	    isatty(STDOUT_FILENO))
		return ct_usage_error("trace: a recording is binary: write it with -o FILE");
	return 0;
}

/* A recording of @p into @f, opened on @path. @return 0 or -errno after saying why */
static int write_record(FILE *f, const char *path, const struct ct_profile *p)
{
	int err = ct_record__write_profile(f, p);

	if (err)
		ct_err("write recording %s: %s", path ? path : "stdout", err == -E2BIG ?
		       "over the recording format's limits" : strerror(-err));
	return err;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o = {};
	struct ct_profile prof = {};
	struct ct_diagnosis diag;
	struct ct_render_opts ro;
	FILE *out, *rec = NULL;
	int err, ret;

	err = parse(argc, argv, &o);
	if (err)
		return err < 0 ? CT_EXIT_OK : err;
	if (o.req.argv && ct_find_command(o.req.argv[0])) {
		ct_err("%s: command not found", o.req.argv[0]);
		return CT_EXIT_NOTFOUND;
	}
	ct_trace_signals();		/* before the temp file exists: no signal leaves it */
	out = ct_output_open(o.output);
	if (!out)
		return CT_EXIT_FAIL;
	if (o.record && !(rec = ct_output_open(o.record))) {
		ct_output_discard(out);
		return CT_EXIT_FAIL;
	}
	err = ct_trace(&o.req, &prof);
	if (err)
		goto discard;
	ct_diagnose(&prof, &diag);
	ro.top = o.top;
	ro.color = ct_use_color(out);
	if (rec) {
		if (write_record(rec, o.record, &prof))
			goto fail;
		ret = ct_output_close(rec);
		rec = NULL;
		if (ret) {
			ct_err("write %s: %s", o.record, strerror(-ret));
			goto fail;
		}
	}
	if (o.format == CT_FMT_RECORD) {
		if (write_record(out, o.output, &prof))
			goto fail;
	} else if ((err = ct_render(o.format, &prof, &diag, out, &ro))) {
		ct_err("format %s: %s", ct_format_names[o.format], strerror(-err));
		goto fail;
	}
	err = ct_output_close(out);
	if (err) {
		ct_err("write %s: %s", o.output ? o.output : "stdout", strerror(-err));
		err = CT_EXIT_FAIL;
	} else if (prof.has_exit_status) {
		err = prof.exit_status;
	} else if (o.req.argv && ct_stop_signal) {
		err = 128 + ct_stop_signal;	/* the command outlived the signal */
	}
	ct_profile__free(&prof);
	return err;
fail:
	err = CT_EXIT_FAIL;
discard:	/* nothing half-written is left behind */
	ct_output_discard(rec);
	ct_output_discard(out);
	ct_profile__free(&prof);
	return err;
}
