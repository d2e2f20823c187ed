// SPDX-License-Identifier: GPL-2.0
/* conctrace-workload's command line: run one workload under one model, or serve, or list. */
#include "wl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/prctl.h>

#define FD_SLACK	64	/* fds besides one per worker: stdio, epoll, listeners, libc */

static const double default_max_seconds[CT_NR_SCALES] = { 1.5, 4, 20 };

struct opts {
	const struct ct_workload *wl;
	const struct ct_model *model;
	enum ct_scale scale;
	int workers;			/* 0: the default */
	double max_seconds;		/* 0: the scale's default */
	double switch_ms;
	const char *connect;
	enum ct_kind serve;		/* CT_KIND_NONE: run a workload */
	bool json;
	bool list;
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", CT_PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s -h')\n", CT_PROG);
	return CT_EXIT_USAGE;
}

static void print_list(FILE *f, const char *indent)
{
	int i;

	fprintf(f, "%sworkloads:\n", indent);
	for (i = 0; ct_workloads[i]; i++)
		fprintf(f, "%s  %-14s %s\n", indent, ct_workloads[i]->name, ct_workloads[i]->summary);
	fprintf(f, "%smodels:\n", indent);
	for (i = 0; ct_models[i]; i++)
		fprintf(f, "%s  %-14s %s\n", indent, ct_models[i]->name, ct_models[i]->summary);
}

static void print_help(FILE *f)
{
	fprintf(f,
"NAME\n"
"  %1$s - run one of conctrace's built-in workloads under one concurrency model\n"
"\n"
"SYNOPSIS\n"
"  %1$s [--list] [-h]\n"
"  %1$s WORKLOAD --model MODEL [--workers N] [--scale SCALE] [--max-seconds S]\n"
"                     [--connect HOST:PORT] [--json] [--switch-interval MS]\n"
"  %1$s --serve io-fast|io-slow [--scale SCALE]\n"
"\n"
"DESCRIPTION\n"
"  The same task code runs under each model, so a profiler can compare the models on it.\n"
"  Every task's result is checked. Tasks stop being started once --max-seconds have passed;\n"
"  those in flight finish, and timed_out says so. throughput = done / wall.\n"
"  The io workloads talk to a loopback epoll server: a child process (\"ct-server\") started\n"
"  and stopped by the run, or, with --connect, one started by --serve, so that a tracer can\n"
"  leave the server out of its trace.\n"
"\n", CT_PROG);
	print_list(f, "  ");
	fprintf(f,
"\n"
"OPTIONS\n"
"  -m, --model MODEL        the concurrency model (required to run a workload)\n"
"  -w, --workers N          threads or processes in the pool, or for async the requests kept\n"
"                           in flight. Default: online CPUs for cpu, shared-state, ipc-heavy;\n"
"                           4 for io-fast; 64 for io-slow and mixed. async: io-fast 4,\n"
"                           io-slow 200/1000/10000 and mixed 64/200/1000 by scale. serial,\n"
"                           and async without I/O, always use 1.\n"
"  -s, --scale SCALE        small (~0.6 s of serial cpu), default, or large (io-slow: 10000\n"
"                           concurrent connections under async)\n"
"  -t, --max-seconds S      time box (default: 1.5 small, 4 default, 20 large)\n"
"  -c, --connect HOST:PORT  use a server started with --serve instead of forking one\n"
"  -j, --json               print one line of JSON instead of the human summary\n"
"  -i, --switch-interval MS the gil model's switch interval (default 5, as CPython's)\n"
"      --serve KIND         only run the server: print \"port N\" once listening on\n"
"                           127.0.0.1, serve until SIGTERM, SIGINT, or EOF on stdin when\n"
"                           stdin is a pipe or socket that was open when it started\n"
"  -l, --list               list workloads and models\n"
"  -h, --help               this text\n"
"\n"
"OUTPUT\n"
"  One line on stdout, e.g.\n"
"    cpu/threads workers=2 tasks=200 done=200 wall=1.56s throughput=128.2 tasks/s\n"
"  or with --json:\n"
"    {\"workload\":\"cpu\",\"model\":\"threads\",\"workers\":2,\"scale\":\"default\",\n"
"     \"tasks\":200,\"done\":200,\"wall_s\":1.560,\"throughput\":128.2,\"bytes_moved\":0,\n"
"     \"ipc_bytes\":0,\"net_bytes\":0,\"errors\":0,\n"
"     \"timed_out\":false,\"connections\":0,\"nofile_limit\":1024}\n"
"  done counts tasks with a correct result, errors the others. ipc_bytes (= bytes_moved) is\n"
"  what the processes model sent through its sockets, net_bytes the traffic with the server,\n"
"  connections the most connections open to it at once, nofile_limit the RLIMIT_NOFILE soft\n"
"  limit in force (raised as far as needed and the hard limit allows; concurrency is capped,\n"
"  with a note on stderr, when it is too low).\n"
"\n"
"EXIT STATUS\n"
"  0 success, 1 runtime failure (a task failed, a worker or the server died), 2 usage error.\n"
"\n"
"EXAMPLES\n"
"  %1$s cpu --model threads --scale small\n"
"  %1$s io-slow --model async --workers 2000 --json\n"
"  %1$s cpu --model gil --switch-interval 1\n"
"  %1$s --serve io-slow > port.txt &   # then:\n"
"  %1$s io-slow --model threads --connect 127.0.0.1:$(cut -d' ' -f2 port.txt)\n",
		CT_PROG);
}

/* A decimal integer in [min, max], nothing else. @return 0 or -EINVAL */
static int parse_long(const char *s, long min, long max, long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || *end || *v < min || *v > max ? -EINVAL : 0;
}

/* A finite number in (0, max]. @return 0 or -EINVAL */
static int parse_positive(const char *s, double max, double *v)
{
	char *end;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	errno = 0;
	*v = strtod(s, &end);
	return errno || *end || !isfinite(*v) || *v <= 0 || *v > max ? -EINVAL : 0;
}

/* HOST:PORT, HOST a name or address, [v6]:PORT too. @return 0 or -EINVAL */
static int parse_connect(const char *arg, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV }, *ai;
	const char *colon = strrchr(arg, ':');
	char host[256];
	size_t n;
	long port;

	if (!colon || colon == arg || parse_long(colon + 1, 1, 65535, &port))
		return -EINVAL;
	n = colon - arg;
	if (arg[0] == '[' && arg[n - 1] == ']') {
		arg++;
		n -= 2;
	}
	if (!n || n >= sizeof(host))
		return -EINVAL;
	memcpy(host, arg, n);
	host[n] = 0;
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		return -EINVAL;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int parse_scale(const char *s, enum ct_scale *scale)
{
	int i;

	for (i = 0; ct_scale_names[i]; i++) {
		if (!strcmp(ct_scale_names[i], s)) {
			*scale = i;
			return 0;
		}
	}
	return -EINVAL;
}

enum { OPT_SERVE = 256 };

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "workers", required_argument, NULL, 'w' },
		{ "scale", required_argument, NULL, 's' },
		{ "max-seconds", required_argument, NULL, 't' },
		{ "connect", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "switch-interval", required_argument, NULL, 'i' },
		{ "serve", required_argument, NULL, OPT_SERVE },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct ct_workload *serve;
	long n;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:w:s:t:c:ji:lh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o->model = ct_model_find(optarg);
			if (!o->model)
				return usage_error("unknown model '%s'", optarg);
			break;
		case 'w':
			if (parse_long(optarg, 1, 100000, &n))
				return usage_error("invalid worker count '%s' (1-100000)", optarg);
			o->workers = n;
			break;
		case 's':
			if (parse_scale(optarg, &o->scale))
				return usage_error("invalid scale '%s' (small, default, large)", optarg);
			break;
		case 't':
			if (parse_positive(optarg, 86400, &o->max_seconds))
				return usage_error("invalid time box '%s' (seconds, > 0)", optarg);
			break;
		case 'c':
			o->connect = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'i':
			if (parse_positive(optarg, 10000, &o->switch_ms))
				return usage_error("invalid switch interval '%s' (ms, > 0)", optarg);
			break;
		case OPT_SERVE:
			serve = ct_workload_find(optarg);
			if (!serve || serve->kind == CT_KIND_NONE)
				return usage_error("--serve takes io-fast or io-slow, not '%s'", optarg);
			o->serve = serve->kind;
			break;
		case 'l':
			o->list = true;
			break;
		case 'h':
			print_help(stdout);
			exit(CT_EXIT_OK);
		case ':':
			if (optopt)
				return usage_error("option '-%c' needs an argument", optopt);
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (o->list || o->serve) {
		if (optind < argc || o->model)
			return usage_error("%s takes no workload or model",
					   o->list ? "--list" : "--serve");
		return 0;
	}
	if (optind >= argc)
		return usage_error("no workload given");
	if (optind + 1 < argc)
		return usage_error("one workload at a time, not '%s' too", argv[optind + 1]);
	o->wl = ct_workload_find(argv[optind]);
	if (!o->wl)
		return usage_error("unknown workload '%s' (see --list)", argv[optind]);
	if (!o->model)
		return usage_error("no --model given");
	if (o->connect && o->wl->kind == CT_KIND_NONE)
		return usage_error("--connect is for the io workloads, not %s", o->wl->name);
	return 0;
}

static int serve(const struct opts *o)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int lfd, err;

	prctl(PR_SET_NAME, "ct-server");
	ct_raise_nofile(1 << 20);
	lfd = ct_server_listen(&addr, &len);
	if (lfd < 0) {
		fprintf(stderr, "%s: listen on 127.0.0.1: %s\n", CT_PROG, strerror(-lfd));
		return CT_EXIT_FAIL;
	}
	printf("port %d\n", ntohs(((struct sockaddr_in *)&addr)->sin_port));
	fflush(stdout);
	err = ct_server_serve(lfd, o->serve, true);
	close(lfd);
	if (err)
		fprintf(stderr, "%s: server: %s\n", CT_PROG, strerror(-err));
	return err ? CT_EXIT_FAIL : CT_EXIT_OK;
}

static void report(const struct ct_run *r, bool json, double wall)
{
	const struct ct_stats *st = r->st;
	unsigned long done = atomic_load(&st->done), errors = atomic_load(&st->errors);
	unsigned long long ipc = atomic_load(&st->ipc_bytes), net = atomic_load(&st->net_bytes);
	bool timed_out = atomic_load(&st->timed_out);
	long conns = atomic_load(&st->conns_max);
	double tput = wall > 0 ? done / wall : 0;

	if (json) {
		printf("{\"workload\":\"%s\",\"model\":\"%s\",\"workers\":%d,\"scale\":\"%s\","
		       "\"tasks\":%lu,\"done\":%lu,\"wall_s\":%.3f,\"throughput\":%.1f,"
		       "\"bytes_moved\":%llu,\"ipc_bytes\":%llu,\"net_bytes\":%llu,\"errors\":%lu,"
		       "\"timed_out\":%s,\"connections\":%ld,\"nofile_limit\":%ld}\n",
		       r->wl->name, r->model->name, r->workers, ct_scale_names[r->scale], r->ntasks,
		       done, wall, tput, ipc, ipc, net, errors, timed_out ? "true" : "false", conns,
		       r->nofile_limit);
	} else {
		printf("%s/%s workers=%d tasks=%lu done=%lu wall=%.2fs throughput=%.1f tasks/s",
		       r->wl->name, r->model->name, r->workers, r->ntasks, done, wall, tput);
		if (errors)
			printf(" errors=%lu", errors);
		if (timed_out)
			printf(" timed_out");
		if (ipc)
			printf(" ipc=%.1fMB", ipc / 1e6);
		if (r->wl->kind != CT_KIND_NONE)
			printf(" net=%.1fMB connections=%ld", net / 1e6, conns);
		printf("\n");
	}
	fflush(stdout);
}

/*
 * One fd per worker (a connection or a socketpair end), so raise RLIMIT_NOFILE to fit, and if
 * the hard limit is too low run fewer workers and say so.
 */
static void fit_nofile(struct ct_run *r)
{
	bool fd_per_worker = r->wl->kind != CT_KIND_NONE || r->model == &model_processes;
	long need = (fd_per_worker ? r->workers : 0) + FD_SLACK;

	r->nofile_limit = ct_raise_nofile(need);
	if (r->nofile_limit >= need)
		return;
	fprintf(stderr, "%s: RLIMIT_NOFILE hard limit is %ld: %d workers capped to %ld\n",
		CT_PROG, r->nofile_limit, r->workers, r->nofile_limit - FD_SLACK);
	r->workers = r->nofile_limit > FD_SLACK + 1 ? r->nofile_limit - FD_SLACK : 1;
}

static int run_workload(const struct opts *o)
{
	struct ct_run r = { .wl = o->wl, .model = o->model, .scale = o->scale };
	int err = 0, server = 0, rc = CT_EXIT_OK;
	unsigned long errors;
	double t0, wall;

	signal(SIGPIPE, SIG_IGN);
	r.max_seconds = o->max_seconds ? o->max_seconds : default_max_seconds[o->scale];
	r.switch_interval_ms = o->switch_ms ? o->switch_ms : 5;
	r.ntasks = o->wl->tasks[o->scale];
	r.workers = ct_workers(&r, o->workers);
	fit_nofile(&r);
	r.st = ct_shared_alloc(sizeof(*r.st));
	if (!r.st)
		return CT_EXIT_FAIL;
	if (o->connect && parse_connect(o->connect, &r.server, &r.server_len)) {
		ct_shared_free(r.st, sizeof(*r.st));
		return usage_error("cannot resolve --connect '%s' (HOST:PORT)", o->connect);
	}
	if (!o->connect && r.wl->kind != CT_KIND_NONE)
		err = ct_server_fork(&r, r.wl->kind, &server);
	if (err) {
		fprintf(stderr, "%s: start the server: %s\n", CT_PROG, strerror(-err));
		ct_shared_free(r.st, sizeof(*r.st));
		return CT_EXIT_FAIL;
	}
	err = r.wl->setup ? r.wl->setup(&r) : 0;
	if (!err) {
		t0 = ct_now();
		r.deadline = t0 + r.max_seconds;
		err = r.model->run(&r);
		wall = ct_now() - t0;
		if (r.wl->finish)
			atomic_fetch_add(&r.st->errors, r.wl->finish(&r));
		if (r.wl->teardown)
			r.wl->teardown(&r);
		report(&r, o->json, wall);
	}
	if (err) {
		fprintf(stderr, "%s: %s/%s: %s\n", CT_PROG, r.wl->name, r.model->name,
			strerror(-err));
		rc = CT_EXIT_FAIL;
	}
	if (ct_server_stop(server)) {
		fprintf(stderr, "%s: the server process failed\n", CT_PROG);
		rc = CT_EXIT_FAIL;
	}
	errors = atomic_load(&r.st->errors);
	if (errors) {
		fprintf(stderr, "%s: %lu error%s\n", CT_PROG, errors, errors > 1 ? "s" : "");
		rc = CT_EXIT_FAIL;
	}
	ct_shared_free(r.st, sizeof(*r.st));
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { .scale = CT_DEFAULT };
	int fd, rc;

	/* A closed stdin/stdout/stderr would be reused by our sockets: park /dev/null there. */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			return CT_EXIT_FAIL;
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	if (o.list) {
		print_list(stdout, "");
		return CT_EXIT_OK;
	}
	return o.serve ? serve(&o) : run_workload(&o);
}
