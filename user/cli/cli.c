// SPDX-License-Identifier: GPL-2.0
/* Helpers every subcommand shares: usage errors, rejected options, colour policy. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmds.h"
#include "common/ct.h"

int ct_color_mode;

int ct_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("conctrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CT_EXIT_USAGE;
}

int ct_bad_option(const char *cmd, const char *optstring, char **argv, int opt)
{
	const char *o = opt > 0 && opt < 0x100 ? strchr(optstring, opt) : NULL;
	const char *arg = argv[optind - 1];
	const char *eq = !strncmp(arg, "--", 2) ? strchr(arg, '=') : NULL;
	char where[64] = "", help[64] = "conctrace help", name[8];

	if (cmd) {
		snprintf(where, sizeof(where), "%s: ", cmd);
		snprintf(help, sizeof(help), "conctrace help %s", cmd);
	}
	/*
	 * optopt names a known option given "=VALUE" though it takes none, or missing its value.
	 * (After an unknown letter inside a group such as -Zx, argv[optind - 1] is the argument
	 * before: only a known option's error looks at it.)
	 */
	if (eq && (opt >= 0x100 || o))
		return ct_usage_error("%soption '%.*s' takes no argument", where, (int)(eq - arg),
				      arg);
	if (opt >= 0x100 || (o && o[1] == ':')) {
		snprintf(name, sizeof(name), "-%c", opt);
		return ct_usage_error("%soption '%s' needs an argument", where,
				      arg[0] == '-' && arg[1] == '-' ? arg : name);
	}
	if (opt)
		return ct_usage_error("%sunknown option -%c (see '%s')", where, opt, help);
	return ct_usage_error("%sunknown option '%s' (see '%s')", where, arg, help);
}

bool ct_use_color(FILE *f)
{
	if (ct_color_mode == CT_COLOR_ALWAYS)
		return true;
	if (ct_color_mode == CT_COLOR_NEVER || getenv("NO_COLOR"))
		return false;
	return isatty(fileno(f));
}
