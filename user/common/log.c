// SPDX-License-Identifier: GPL-2.0
/* Logging to stderr with the program name, and the libbpf print hook. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "ct.h"

int ct_verbose;
bool ct_quiet;

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "conctrace: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ct_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void ct_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void ct_info(const char *fmt, ...)
{
	va_list ap;

	if (ct_quiet)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void ct_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!ct_verbose)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !ct_verbose)
		return 0;
	if (level == LIBBPF_INFO && !ct_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);	/* libbpf's messages carry their own prefix */
}

void ct_log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}

const char *ct_strerror(int err)
{
	static char buf[128];

	if (err < 0)
		err = -err;
	if (libbpf_strerror(err, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "%s", strerror(err));
	return buf;
}

__u64 ct_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
