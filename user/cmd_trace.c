// SPDX-License-Identifier: GPL-2.0
/* `conctrace trace`: trace running PIDs or a launched command, then diagnose and report. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "cmds.h"
#include "ct.h"
#include "diagnose.h"
#include "launch.h"
#include "loader.h"
#include "opts.h"
#include "output.h"
#include "render.h"

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
"Ctrl-C, SIGTERM or SIGHUP stop tracing and still write the report.\n"
"\n"
"Options:\n"
"  -p, --pid PID[,PID...]   trace these running processes\n"
"  -d, --duration SECONDS   stop after SECONDS (1.5, 500ms, 2m); with -- the command keeps running\n"
"  -o, --output FILE        write the report to FILE (default: stdout); symlinks are refused\n"
"  -f, --format FORMAT      text (default) or json (schema conctrace.report/1)\n"
"      --no-syscalls        do not load the per-syscall probes (block causes still recorded)\n"
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

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

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

/* Alive and not a zombie. */
static bool pid_alive(int pid)
{
	char path[64], buf[512], *s;
	bool alive = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (s = strrchr(buf, ')')))
		alive = s[1] == ' ' && s[2] != 'Z' && s[2] != 'X';
	fclose(f);
	return alive;
}

struct trace_opts {
	int pids[CT_MAX_PIDS];
	int nr_pids;
	double duration;	/* 0: until exit or signal */
	const char *output;
	int format;
	bool no_syscalls;
	unsigned long top;
	char **argv;
};

#define TRACE_OPTS "+p:d:o:f:E:h"

static int parse(int argc, char **argv, struct trace_opts *o)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-syscalls", no_argument, NULL, 'S' },
		{ "top", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i;

	o->top = 10;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, TRACE_OPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (ct_parse_pid_list(optarg, o->pids, CT_MAX_PIDS, &o->nr_pids))
				return ct_usage_error("invalid PID list '%s'", optarg);
			break;
		case 'd':
			if (ct_parse_seconds(optarg, &o->duration))
				return ct_usage_error("invalid duration '%s': want a positive "
						      "number of seconds", optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'f':
			if (ct_parse_enum(optarg, ct_format_names, &o->format))
				return ct_usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case 'S':
			o->no_syscalls = true;
			break;
		case 'E':
			if (ct_parse_ulong(optarg, 1, 100000, &o->top))
				return ct_usage_error("invalid row count '%s'", optarg);
			break;
		case 'h':
			fputs(cmd_trace_usage, stdout);
			return -1;
		default:
			return ct_bad_option("trace", TRACE_OPTS, argv, optopt);
		}
	}
	if (optind < argc)
		o->argv = argv + optind;
	if (!o->argv == !o->nr_pids)
		return ct_usage_error("trace needs either -p PID or -- COMMAND (see "
				      "'conctrace trace -h')");
	for (i = 0; i < o->nr_pids; i++) {
		int tgid = pid_tgid(o->pids[i]);

		if (tgid < 0 || !pid_alive(o->pids[i]))
			return ct_usage_error("no process with PID %d", o->pids[i]);
		o->pids[i] = tgid;
	}
	return 0;
}

/* Run the trace loop until the command exits, -d elapses, targets vanish, or a signal. */
static void trace_loop(struct ct_session *s, struct ct_profile *p, const struct trace_opts *o,
		       struct ct_launch *l)
{
	__u64 end = o->duration > 0 ? p->start_ns + (__u64)(o->duration * 1e9) : 0;
	int i, st, alive;

	while (!stop_signal) {
		ct_session__poll(s, 100);
		if (end && ct_now_ns() >= end)
			return;
		if (l->pid > 0 && waitpid(l->pid, &st, WNOHANG) == l->pid) {
			p->has_exit_status = true;
			p->exit_status = ct_wait_status_code(st);
			l->pid = -1;
			return;
		}
		if (!o->argv) {
			for (i = 0, alive = 0; i < o->nr_pids; i++)
				alive += pid_alive(o->pids[i]);
			if (!alive) {
				p->exited_early = end != 0;
				return;
			}
		}
	}
}

/* After a stop signal the launched command usually got the same one: collect its status. */
static void reap_after_signal(struct ct_profile *p, struct ct_launch *l)
{
	int st, i;

	for (i = 0; i < 50 && l->pid > 0; i++) {
		if (waitpid(l->pid, &st, WNOHANG) == l->pid) {
			p->has_exit_status = true;
			p->exit_status = ct_wait_status_code(st);
			l->pid = -1;
			return;
		}
		usleep(10000);
	}
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o = {};
	struct ct_session_opts so = {};
	struct ct_session *s = NULL;
	struct ct_launch l = { .pid = -1, .go_fd = -1 };
	struct ct_profile prof = {};
	struct ct_diagnosis diag;
	struct ct_render_opts ro;
	FILE *out = NULL;
	int err, i;

	err = parse(argc, argv, &o);
	if (err)
		return err < 0 ? CT_EXIT_OK : err;
	if (o.argv && ct_find_command(o.argv[0])) {
		ct_err("%s: command not found", o.argv[0]);
		return CT_EXIT_NOTFOUND;
	}
	out = ct_output_open(o.output);
	if (!out) {
		ct_err("cannot write %s: %s", o.output, strerror(errno));
		return CT_EXIT_FAIL;
	}
	so.syscalls = !o.no_syscalls;
	err = ct_session__open(&s, &so);
	if (err)
		goto cleanup;

	prof.syscalls_enabled = so.syscalls;
	prof.cores = sysconf(_SC_NPROCESSORS_ONLN);
	prof.argv = o.argv;
	install_signals();
	if (o.argv) {
		err = ct_launch__start(&l, o.argv);
		if (err) {
			ct_err("start %s: %s", o.argv[0], strerror(-err));
			err = CT_EXIT_FAIL;
			goto cleanup;
		}
		prof.pids[prof.nr_pids++] = l.pid;
	} else {
		memcpy(prof.pids, o.pids, sizeof(o.pids));
		prof.nr_pids = o.nr_pids;
	}
	for (i = 0; i < prof.nr_pids; i++) {
		err = ct_session__add_target(s, prof.pids[i]);
		if (err) {
			ct_err("add PID %d to the filter: %s", prof.pids[i], ct_strerror(err));
			err = CT_EXIT_FAIL;
			goto cleanup;
		}
	}
	err = ct_session__start(s, &prof);
	if (err)
		goto cleanup;
	if (o.argv && ct_launch__go(&l)) {
		ct_err("release %s: %s", o.argv[0], strerror(errno));
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	if (!o.argv)
		ct_info("tracing PID %d%s; Ctrl-C to stop", prof.pids[0],
			prof.nr_pids > 1 ? " and others" : "");

	trace_loop(s, &prof, &o, &l);
	if (stop_signal && o.argv)
		reap_after_signal(&prof, &l);
	err = ct_session__stop(s);
	ct_session__free(s);
	s = NULL;
	if (err) {
		ct_err("read BPF maps: %s", ct_strerror(err));
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	ct_profile__finish(&prof);
	ct_diagnose(&prof, &diag);
	ro.top = o.top;
	ro.color = ct_use_color(out);
	ct_render(o.format, &prof, &diag, out, &ro);
	err = ct_output_close(out);
	out = NULL;
	if (err) {
		ct_err("write %s: %s", o.output ? o.output : "stdout", strerror(-err));
		err = CT_EXIT_FAIL;
	} else if (prof.has_exit_status) {
		err = prof.exit_status;
	}
cleanup:
	if (l.go_fd >= 0)
		ct_launch__cancel(&l);
	ct_session__free(s);
	ct_profile__free(&prof);
	if (out && out != stdout)
		fclose(out);
	return err;
}
