// SPDX-License-Identifier: GPL-2.0
/* Helpers every subcommand shares: usage errors, rejected options, colour policy. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmds.h"
#include "ct.h"

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

	/* a long-only option (value >= 0x100) reported in optopt is one missing its argument */
	if (opt >= 0x100)
		return ct_usage_error("%s: option '%s' needs an argument", cmd, argv[optind - 1]);
	if (o && o[1] == ':')
		return ct_usage_error("%s: option -%c needs an argument", cmd, opt);
	if (opt)
		return ct_usage_error("%s: unknown option -%c (see 'conctrace help %s')", cmd, opt,
				      cmd);
	return ct_usage_error("%s: unknown option '%s' (see 'conctrace help %s')", cmd,
			      argv[optind - 1], cmd);
}

bool ct_use_color(FILE *f)
{
	if (ct_color_mode == CT_COLOR_ALWAYS)
		return true;
	if (ct_color_mode == CT_COLOR_NEVER || getenv("NO_COLOR"))
		return false;
	return isatty(fileno(f));
}
