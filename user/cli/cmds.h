/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and the helpers they share for usage errors and colour. */
#ifndef CT_CMDS_H
#define CT_CMDS_H

#include <stdbool.h>
#include <stdio.h>

int cmd_trace(int argc, char **argv);
extern const char cmd_trace_usage[];
int cmd_run(int argc, char **argv);
extern const char cmd_run_usage[];
int cmd_report(int argc, char **argv);
extern const char cmd_report_usage[];

/* Print "conctrace: <message>" for a usage error. @return CT_EXIT_USAGE */
int ct_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Report the option getopt rejected (unknown, missing its argument, or given one it does not take)
 * for command @cmd (NULL: the global options). @return CT_EXIT_USAGE
 */
int ct_bad_option(const char *cmd, const char *optstring, char **argv, int optopt);

enum { CT_COLOR_AUTO, CT_COLOR_ALWAYS, CT_COLOR_NEVER };
extern int ct_color_mode;	/* --color */

/* Whether to colour output written to @f (--color, and a terminal for auto). */
bool ct_use_color(FILE *f);

#endif
