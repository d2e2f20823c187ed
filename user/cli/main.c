// SPDX-License-Identifier: GPL-2.0
/* conctrace's entry point: global options, the command table, exit-code policy. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "cmds.h"
#include "common/ct.h"
#include "common/opts.h"

#define GLOBAL_OPTS "+vqhV"
#define OPT_COLOR	0x100	/* long-only: past any character, as ct_bad_option() expects */


struct ct_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const char help_usage[] = "Usage: conctrace help [COMMAND]\n";
static const char version_usage[] = "Usage: conctrace version\n";

static const struct ct_cmd cmds[] = {
	{ "run", cmd_run, "run built-in workloads under each concurrency model", cmd_run_usage },
	{ "trace", cmd_trace, "trace a running PID or a command", cmd_trace_usage },
	{ "report", cmd_report, "render a recording of trace or run, without root",
	  cmd_report_usage },
	{ "version", cmd_version, "show the version", version_usage },
	{ "help", cmd_help, "show help for a command", help_usage },
	{ NULL, NULL, NULL, NULL },
};

static const char main_usage[] =
"Usage: conctrace [-v] [-q] [--color=auto|always|never] COMMAND [ARGS...]\n"
"\n"
"A kernel-observed concurrency profiler: eBPF measures where each thread's time goes (CPU, run\n"
"queue, locks, conditions, I/O, sleep) and conctrace says which concurrency model fits.\n"
"\n"
"Global options:\n"
"  -v, --verbose            libbpf debug messages and verifier logs\n"
"  -q, --quiet              no progress or information lines\n"
"      --color=WHEN         colour the terminal report: auto (default), always, never\n"
"  -h, --help               show this help\n"
"  -V, --version            show the version\n"
"\n"
"Commands:\n";

static void print_usage(FILE *f)
{
	const struct ct_cmd *c;

	fputs(main_usage, f);
	for (c = cmds; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\nSee 'conctrace help COMMAND' for a command's options.\n", f);
}

static const struct ct_cmd *find_cmd(const char *name)
{
	const struct ct_cmd *c;

	for (c = cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct ct_cmd *c;

	if (argc < 2) {
		print_usage(stdout);
		return CT_EXIT_OK;
	}
	c = find_cmd(argv[1]);
	if (!c)
		return ct_usage_error("unknown command '%s' (see 'conctrace help')", argv[1]);
	fputs(c->usage, stdout);
	return CT_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1)
		return ct_usage_error("version takes no arguments");
	printf("conctrace %s\n", CT_VERSION);
	return CT_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const char *const color_names[] = { "auto", "always", "never", NULL };
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct ct_cmd *c;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, GLOBAL_OPTS, longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			ct_verbose++;
			break;
		case 'q':
			ct_quiet = true;
			break;
		case OPT_COLOR:
			if (ct_parse_enum(optarg, color_names, &ct_color_mode))
				return ct_usage_error("invalid --color '%s' (auto, always, never)",
						      optarg);
			break;
		case 'h':
			print_usage(stdout);
			return CT_EXIT_OK;
		case 'V':
			return cmd_version(1, argv);
		default:
			return ct_bad_option(NULL, GLOBAL_OPTS, argv, optopt);
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return CT_EXIT_USAGE;
	}
	c = find_cmd(argv[optind]);
	if (!c)
		return ct_usage_error("unknown command '%s' (see 'conctrace help')", argv[optind]);
	return c->fn(argc - optind, argv + optind);
}
