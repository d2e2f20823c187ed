// SPDX-License-Identifier: GPL-2.0
/* The workload lab's engine: start servers, trace each cell, pick winners, recommend. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <sys/wait.h>
#include "common/ct.h"
#include "analysis/diagnose.h"
#include "analysis/lab_verdict.h"
#include "collect/launch.h"
#include "collect/trace.h"
#include "lab.h"

/* The loopback server a workload talks to (conctrace-workload --serve KIND), or NULL. */
static const char *server_kind(int wl)
{
	const char *name = ct_lab_workloads[wl];

	if (!strcmp(name, "io-fast") || !strcmp(name, "io-slow"))
		return name;
	return !strcmp(name, "mixed") ? "io-slow" : NULL;
}

/* Read from @fd until EOF or @timeout_ms without data. @return bytes read */
static size_t read_all(int fd, char *buf, size_t len, int timeout_ms, bool line)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;

	while (n + 1 < len && poll(&pfd, 1, timeout_ms) > 0) {
		r = read(fd, buf + n, len - 1 - n);
		if (r <= 0)
			break;
		n += r;
		if (line && memchr(buf, '\n', n))
			break;
	}
	buf[n] = 0;
	return n;
}

/* The loopback server for an io workload, untraced. @return 0 and *port, or -errno */
static int server_start(const struct ct_lab *lab, int wl, struct ct_launch *srv, int *port)
{
	char *argv[] = { (char *)lab->binary, "--serve", (char *)server_kind(wl), "--scale",
			 (char *)ct_lab_scales[lab->scale], NULL };
	char buf[128];
	int fds[2], err;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	err = ct_launch__start(srv, argv, fds[1]);
	close(fds[1]);
	if (!err)
		err = ct_launch__go(srv);
	if (!err && (!read_all(fds[0], buf, sizeof(buf), 10000, true) ||
		     sscanf(buf, "port %d", port) != 1))
		err = -EPROTO;
	close(fds[0]);
	return err;
}

static void server_stop(struct ct_launch *srv)
{
	if (srv->pid <= 0)
		return;
	kill(srv->pid, SIGTERM);
	waitpid(srv->pid, NULL, 0);
	srv->pid = -1;
}

/* A number field of the workload's one-line JSON ({"key":value,...}, our own format). */
static bool field(const char *json, const char *key, double *v)
{
	char pat[64], *end;
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		return false;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5)) {
		*v = *p == 't';
		return true;
	}
	*v = strtod(p, &end);
	return end != p;
}

static bool parse_result(const char *json, struct ct_lab_cell *c)
{
	static const char *const keys[] = { "wall_s", "throughput", "tasks", "done", "errors",
					    "ipc_bytes", "net_bytes", "connections", "timed_out" };
	double v[CT_ARRAY_SIZE(keys)];
	size_t i;

	/* wall_s and throughput are required; the rest default to 0. */
	for (i = 0; i < CT_ARRAY_SIZE(keys); i++)
		if (!field(json, keys[i], &v[i])) {
			if (i < 2)
				return false;
			v[i] = 0;
		}
	/* a negative, NaN, infinite or huge figure is a malformed line (and no integer) */
	for (i = 0; i < CT_ARRAY_SIZE(keys); i++)
		if (!(v[i] >= 0 && v[i] < 0x1p64))
			return false;
	c->wall_s = v[0];
	c->throughput = v[1];
	c->tasks = v[2];
	c->done = v[3];
	c->errors = v[4];
	c->ipc_bytes = v[5];
	c->net_bytes = v[6];
	c->connections = v[7];
	c->timed_out = v[8] != 0;
	return true;
}

/* Trace one run of workload @wl under model @m into @c. @return 0 or CT_EXIT_* */
static int run_cell(const struct ct_lab *lab, int wl, int m, int port, struct ct_lab_cell *c)
{
	struct ct_trace_req req = { .child_stdout = -1, .syscalls = !lab->no_syscalls };
	char workers[16], connect[32], out[4096];
	char *argv[16];
	int n = 0, fds[2], err;

	argv[n++] = (char *)lab->binary;
	argv[n++] = (char *)ct_lab_workloads[wl];
	argv[n++] = "--model";
	argv[n++] = (char *)ct_lab_models[m];
	argv[n++] = "--scale";
	argv[n++] = (char *)ct_lab_scales[lab->scale];
	argv[n++] = "--json";
	if (lab->workers) {
		snprintf(workers, sizeof(workers), "%d", lab->workers);
		argv[n++] = "--workers";
		argv[n++] = workers;
	}
	if (port) {
		snprintf(connect, sizeof(connect), "127.0.0.1:%d", port);
		argv[n++] = "--connect";
		argv[n++] = connect;
	}
	argv[n] = NULL;

	memset(c, 0, sizeof(*c));
	c->model = m;
	if (pipe2(fds, O_CLOEXEC))
		return CT_EXIT_FAIL;
	req.argv = argv;
	req.child_stdout = fds[1];
	err = ct_trace(&req, &c->prof);
	close(fds[1]);
	read_all(fds[0], out, sizeof(out), 1000, false);
	close(fds[0]);
	c->prof.argv = NULL;		/* argv is on this stack frame */
	if (err)
		return err;
	c->exit_status = c->prof.exit_status;
	c->ok = c->prof.has_exit_status && c->exit_status == 0 && parse_result(out, c);
	if (!c->ok)
		ct_warn("%s under %s failed (exit status %d)", ct_lab_workloads[wl],
			ct_lab_models[m], c->prof.has_exit_status ? c->exit_status : -1);
	ct_diagnose(&c->prof, &c->diag);
	return 0;
}

static int cmp_throughput(const void *a, const void *b)
{
	const struct ct_lab_cell *x = a, *y = b;

	return (x->throughput > y->throughput) - (x->throughput < y->throughput);
}

/* Keep the run of median throughput among @k >= 1 runs of one cell in *@c; free the others. */
static void keep_median(struct ct_lab_cell *runs, int k, struct ct_lab_cell *c)
{
	int n;

	qsort(runs, k, sizeof(runs[0]), cmp_throughput);
	*c = runs[k / 2];
	for (n = 0; n < k; n++)
		if (n != k / 2)
			ct_profile__free(&runs[n].prof);
}

static void progress(const struct ct_lab *lab, int i, int n, int wl, int m, __u64 t0)
{
	double el = (ct_now_ns() - t0) / 1e9;

	if (!lab->progress)
		return;
	fprintf(stderr, "\r\033[K[%d/%d] %s/%s  %.0fs elapsed", i + 1, n, ct_lab_workloads[wl],
		ct_lab_models[m], el);
	if (i)
		fprintf(stderr, ", about %.0fs left", el / i * (n - i));
}

/*
 * Run workload @wl's selected models lab->repeat times each, in rounds (every model once per
 * round), so that a transient disturbance (a neighbour on the VM, the previous workload's
 * sockets closing) falls on all models alike instead of on one model's every run. Keep each
 * model's run of median throughput.
 */
static int run_workload(struct ct_lab *lab, int wl, int port, struct ct_lab_result *r, int *i,
			int n, __u64 t0)
{
	int models[CT_LAB_MAX_MODELS], nr_models = 0, reps = lab->repeat < 16 ? lab->repeat : 16;
	struct ct_lab_cell (*runs)[16];
	int cnt[CT_LAB_MAX_MODELS] = { 0 };
	int m, k, err = 0;

	for (m = 0; ct_lab_models[m] && nr_models < CT_LAB_MAX_MODELS; m++)
		if (lab->models >> m & 1)
			models[nr_models++] = m;
	runs = calloc(nr_models ? nr_models : 1, sizeof(*runs));
	if (!runs)
		return CT_EXIT_FAIL;
	for (k = 0; k < reps && !err && !ct_stop_signal; k++) {
		for (m = 0; m < nr_models && !err && !ct_stop_signal; m++) {
			progress(lab, (*i)++, n, wl, models[m], t0);
			err = run_cell(lab, wl, models[m], port, &runs[m][k]);
			cnt[m] += !err;
		}
	}
	/* an interruption keeps what completed; a failure keeps nothing */
	for (m = 0; m < nr_models; m++) {
		if (!err && cnt[m]) {
			keep_median(runs[m], cnt[m], &r->cells[r->nr_cells++]);
			continue;
		}
		for (k = 0; k < cnt[m]; k++)
			ct_profile__free(&runs[m][k].prof);
	}
	free(runs);
	return err;
}

int ct_lab__run(struct ct_lab *lab)
{
	struct ct_launch srv = { .pid = -1, .go_fd = -1 };
	__u64 t0 = ct_now_ns();
	int wl, m, port, err = 0, i = 0, n = 0;
	struct utsname u;

	if (!uname(&u)) {
		snprintf(lab->kernel, sizeof(lab->kernel), "%s", u.release);
		snprintf(lab->arch, sizeof(lab->arch), "%s", u.machine);
	}

	for (wl = 0; ct_lab_workloads[wl]; wl++)
		for (m = 0; ct_lab_models[m]; m++)
			n += (lab->workloads >> wl & 1) && (lab->models >> m & 1);
	n *= lab->repeat < 16 ? lab->repeat : 16;
	for (wl = 0; ct_lab_workloads[wl] && !err && !ct_stop_signal; wl++) {
		struct ct_lab_result *r;

		if (!(lab->workloads >> wl & 1) || lab->nr_results >= CT_LAB_MAX_WL)
			continue;
		r = &lab->results[lab->nr_results++];
		r->workload = wl;
		r->rec_model = CT_LAB_NONE;	/* until ct_lab_verdict() recommends one */
		port = 0;
		if (server_kind(wl) && (err = server_start(lab, wl, &srv, &port))) {
			ct_err("start the %s server: %s", ct_lab_workloads[wl], strerror(-err));
			server_stop(&srv);
			err = CT_EXIT_FAIL;
			break;
		}
		err = run_workload(lab, wl, port, r, &i, n, t0);
		server_stop(&srv);
		ct_lab_verdict(r);
	}
	if (lab->progress)
		fprintf(stderr, "\r\033[K");
	lab->duration_s = (ct_now_ns() - t0) / 1e9;
	lab->interrupted = ct_stop_signal != 0;
	return err;
}
