// SPDX-License-Identifier: GPL-2.0
/*
 * user/sym/symbolize.c against independent truth: fx_unwind knows its call chain and the runtime
 * addresses of its functions and globals, nm/readelf/strip are run here, the kernel's
 * /proc/PID/syscall and /proc/PID/mem give a blocked thread's sp, pc and stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "sym/ksyms.h"
#include "sym/procmaps.h"
#include "sym/symbolize.h"
#include "../fixtures/fx_unwind.h"
#include "../test.h"

#define MAXPCS	64

struct child {
	pid_t pid;
	int in;			/* its stdin: closing it lets it exit */
	int out;
};

static void fixture_path(const char *name, char *buf, size_t len)
{
	const char *dir = getenv("FIXTURES");

	snprintf(buf, len, "%s/%s", dir && *dir ? dir : ".output/tests/fixtures", name);
}

static bool child_start(struct child *c, char *const argv[])
{
	int in[2], out[2];

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return false;
	c->pid = fork();
	if (c->pid < 0)
		return false;
	if (!c->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->in = in[1];
	c->out = out[0];
	return true;
}

static int child_stop(struct child *c)
{
	int status = -1;

	close(c->in);
	close(c->out);
	if (waitpid(c->pid, &status, 0) != c->pid)
		return -1;
	return status;
}

/* Start fx_unwind (or @exe) in @mode and read its record. */
static bool fx_start(const char *exe, const char *mode, struct child *c, struct fx_unwind_rec *r)
{
	char path[4096];
	char *argv[3];
	size_t off = 0;
	ssize_t n;

	if (exe)
		snprintf(path, sizeof(path), "%s", exe);
	else
		fixture_path("fx_unwind", path, sizeof(path));
	if (access(path, X_OK)) {
		printf("fixture %s missing: build it with make\n", path);
		return false;
	}
	argv[0] = path;
	argv[1] = (char *)mode;
	argv[2] = NULL;
	if (!child_start(c, argv))
		return false;
	while (off < sizeof(*r) && (n = read(c->out, (char *)r + off, sizeof(*r) - off)) > 0)
		off += (size_t)n;
	if (off != sizeof(*r) || r->magic != FX_UNWIND_MAGIC || r->pid != (__u64)c->pid) {
		printf("fx_unwind %s: bad record (%zu bytes)\n", mode, off);
		child_stop(c);
		return false;
	}
	return true;
}

/* Run @cmd with the shell, its stdout into @buf. */
static bool run(const char *cmd, char *buf, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	return pclose(f) == 0;
}

/* Address and size of @sym in @bin from `nm -S`. */
static bool nm_sym(const char *bin, const char *sym, __u64 *addr, __u64 *size)
{
	char cmd[4352], out[256];
	unsigned long long a, s;

	snprintf(cmd, sizeof(cmd),
		 "nm -S --defined-only '%s' | awk '$4 == \"%s\" { print $1, $2 }'", bin, sym);
	if (!run(cmd, out, sizeof(out)) || sscanf(out, "%llx %llx", &a, &s) != 2)
		return false;
	*addr = a;
	*size = s;
	return true;
}

/* Split "fn (mod+0xoff)" or "mod+0xoff" into its parts; fn is "" for the second form. */
static bool parse_frame(const char *f, char *fn, char *mod, __u64 *off)
{
	unsigned long long o;
	const char *p;

	fn[0] = '\0';
	p = strstr(f, " (");
	if (p) {
		memcpy(fn, f, (size_t)(p - f));
		fn[p - f] = '\0';
		f = p + 2;
	}
	p = strstr(f, "+0x");
	if (!p || sscanf(p + 3, "%llx", &o) != 1)
		return false;
	memcpy(mod, f, (size_t)(p - f));
	mod[p - f] = '\0';
	*off = o;
	return true;
}

/* Index of the first frame in pcs[from..n) naming function @fn, or -1. */
static int find_fn(struct ct_sym *s, __u32 pid, const __u64 *pcs, int from, int n, const char *fn)
{
	char buf[512], f[256], mod[256];
	__u64 off;
	int i;

	for (i = from; i < n; i++) {
		ct_sym__frame(s, pid, pcs[i], buf, sizeof(buf));
		if (parse_frame(buf, f, mod, &off) && !strcmp(f, fn))
			return i;
	}
	return -1;
}

static void print_stack(struct ct_sym *s, __u32 pid, const __u64 *pcs, int n)
{
	char buf[512];
	int i;

	for (i = 0; i < n; i++) {
		ct_sym__frame(s, pid, pcs[i], buf, sizeof(buf));
		printf("  #%d 0x%llx %s\n", i, (unsigned long long)pcs[i], buf);
	}
}

/*
 * pcs[@at..] name @names in order (each the next frame), in module @module, at the offsets the
 * unstripped fixture's nm gives: off == pc - bias with bias from the fixture's own address of
 * r->fn[0] (named @fn0 in the source), and off inside the symbol. @named: the frame names the
 * function (else module+off).
 */
static void check_chain(struct ct_sym *s, __u32 pid, const struct fx_unwind_rec *r,
			const __u64 *pcs, int n, int at, const char *const *names, int nnames,
			const char *fn0, const char *module, bool named)
{
	char fxbin[4096], buf[512], fn[256], mod[256], what[320];
	__u64 addr, size, off, bias = 0;
	int i;

	fixture_path("fx_unwind", fxbin, sizeof(fxbin));
	if (!ASSERT_TRUE(nm_sym(fxbin, fn0, &addr, &size), "nm knows the first function"))
		return;
	bias = r->fn[0] - addr;
	for (i = 0; i < nnames; i++) {
		snprintf(what, sizeof(what), "frame %d is %s", at + i, names[i]);
		if (!ASSERT_TRUE(at + i < n, what))
			return;
		if (!ASSERT_TRUE(nm_sym(fxbin, names[i], &addr, &size), "nm knows the function"))
			return;
		ASSERT_EQ(ct_sym__frame(s, pid, pcs[at + i], buf, sizeof(buf)), named ? 1 : 0,
			  what);
		if (!ASSERT_TRUE(parse_frame(buf, fn, mod, &off), buf))
			continue;
		ASSERT_STREQ(fn, named ? names[i] : "", what);
		ASSERT_STREQ(mod, module, what);
		ASSERT_EQ(off, pcs[at + i] - bias, "offset is the file address");
		ASSERT_TRUE(off >= addr && off < addr + size, "offset inside nm's symbol");
	}
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median microseconds of ct_sym__unwind on @r over @iters runs. */
static double unwind_median_us(struct ct_sym *s, const struct fx_unwind_rec *r, const __u64 *regs,
			       const void *stack, __u32 stack_size, int iters)
{
	double *t = calloc((size_t)iters, sizeof(*t)), med;
	__u64 pcs[MAXPCS];
	bool trunc;
	int i;

	if (!t)
		return -1;
	for (i = 0; i < iters; i++) {
		double t0 = now_us();

		ct_sym__unwind(s, (__u32)r->pid, (__u32)(r->tid ? r->tid : r->pid), regs, stack,
			       stack_size, pcs, MAXPCS, &trunc);
		t[i] = now_us() - t0;
	}
	qsort(t, (size_t)iters, sizeof(*t), cmp_double);
	med = t[iters / 2];
	free(t);
	return med;
}

static const char *const chain_names[] = { "f3", "f2", "f1", "main" };

CT_TEST(sym_chain_without_frame_pointers)
{
	struct fx_unwind_rec *r = calloc(1, sizeof(*r));
	struct ct_sym *s = ct_sym__new();
	__u64 pcs[MAXPCS], regs[17];
	char buf[512], fxbin[4096];
	struct child c;
	bool trunc;
	int n, st;
	double t0;

	if (!ASSERT_TRUE(r && s, "alloc") || !ASSERT_TRUE(fx_start(NULL, "chain", &c, r), "start"))
		goto out;
	t0 = now_us();
	ASSERT_OK(ct_sym__note_pid(s, (__u32)c.pid), "note_pid");
	printf("  note_pid: %.0f us\n", now_us() - t0);
	ASSERT_OK(ct_sym__note_pid(s, (__u32)c.pid), "note_pid again (idempotent)");
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)c.pid, r->regs, r->stack, (__u32)r->stack_size,
			   pcs, MAXPCS, &trunc);
	print_stack(s, (__u32)c.pid, pcs, n > 0 ? n : 0);
	ASSERT_TRUE(n >= 4, "at least f3 f2 f1 main");
	ASSERT_EQ(pcs[0], r->regs[16], "pcs[0] is the ip");
	check_chain(s, (__u32)c.pid, r, pcs, n, 0, chain_names, 4, "f3", "fx_unwind", true);
	/* From main on through libc to _start, whose CFI marks the outermost frame. */
	ASSERT_TRUE(find_fn(s, (__u32)c.pid, pcs, 4, n, "_start") > 4, "reaches _start");
	ASSERT_TRUE(!trunc, "not truncated");

	/* No frame pointer is used: a garbage rbp changes nothing. */
	memcpy(regs, r->regs, sizeof(regs));
	regs[6] = 0xdeadbeefdeadbeefULL;
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)c.pid, regs, r->stack, (__u32)r->stack_size,
			   pcs, MAXPCS, &trunc);
	check_chain(s, (__u32)c.pid, r, pcs, n, 0, chain_names, 4, "f3", "fx_unwind", true);

	/* A short copy: the unwinder stops where the copy ends and says so. */
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)c.pid, r->regs, r->stack, 16, pcs, MAXPCS,
			   &trunc);
	print_stack(s, (__u32)c.pid, pcs, n > 0 ? n : 0);
	ASSERT_TRUE(n >= 1 && n < 4, "short copy, short stack");
	ASSERT_TRUE(trunc, "short copy is truncated");
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)c.pid, r->regs, r->stack, (__u32)r->stack_size,
			   pcs, 2, &trunc);
	ASSERT_EQ(n, 2, "max pcs");
	ASSERT_TRUE(trunc, "cut at max is truncated");

	printf("  unwind median: %.1f us (chain, %llu stack bytes)\n",
	       unwind_median_us(s, r, r->regs, r->stack, (__u32)r->stack_size, 2000),
	       (unsigned long long)r->stack_size);

	/* Data symbols: the global mutex and an element of a global array. */
	{
		char name[256], mod[256], exp[64];
		__u64 addr, size, bias;

		fixture_path("fx_unwind", fxbin, sizeof(fxbin));
		ASSERT_TRUE(ct_sym__data(s, (__u32)c.pid, r->lock_addr, name, sizeof(name), mod,
					 sizeof(mod)), "big_lock is data");
		ASSERT_STREQ(name, "big_lock", "lock name");
		ASSERT_STREQ(mod, "fx_unwind", "lock module");
		ASSERT_TRUE(ct_sym__data(s, (__u32)c.pid, r->lock_addr + 8, name, sizeof(name), mod,
					 sizeof(mod)), "inside big_lock");
		ASSERT_STREQ(name, "big_lock+0x8", "offset inside the lock");
		if (ASSERT_TRUE(nm_sym(fxbin, "counters", &addr, &size), "nm counters") &&
		    ASSERT_TRUE(nm_sym(fxbin, "f3", &bias, &size), "nm f3")) {
			bias = r->fn[0] - bias;
			snprintf(exp, sizeof(exp), "counters+0x%llx",
				 (unsigned long long)(r->elem_addr - bias - addr));
			ASSERT_EQ(r->elem_addr - bias - addr, 3 * r->elem_size, "nm agrees");
			ASSERT_TRUE(ct_sym__data(s, (__u32)c.pid, r->elem_addr, name, sizeof(name),
						 mod, sizeof(mod)), "&counters[3] is data");
			ASSERT_STREQ(name, exp, "&counters[3]");
		}
		ASSERT_TRUE(!ct_sym__data(s, (__u32)c.pid, r->regs[7], name, sizeof(name), mod,
					  sizeof(mod)), "the stack is not a symbol");
		ASSERT_TRUE(!ct_sym__data(s, (__u32)c.pid, r->fn[0], name, sizeof(name), mod,
					  sizeof(mod)), "code is not data");
		ASSERT_TRUE(!ct_sym__is_python(s, (__u32)c.pid), "fx_unwind is not python");
	}

	st = child_stop(&c);
	ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st), "fixture exits 0");
	/* The snapshot outlives the process. */
	ASSERT_EQ(ct_sym__frame(s, (__u32)c.pid, r->fn[0], buf, sizeof(buf)), 1, "after exit");
	ASSERT_TRUE(!strncmp(buf, "f3 (fx_unwind+0x", 16), buf);
	/* After exec the snapshot is gone, and the process with it: nothing to name. */
	ct_sym__exec(s, (__u32)c.pid);
	ASSERT_EQ(ct_sym__frame(s, (__u32)c.pid, r->fn[0], buf, sizeof(buf)), -1, "forgotten");
	snprintf(fxbin, sizeof(fxbin), "[unknown] 0x%llx", (unsigned long long)r->fn[0]);
	ASSERT_STREQ(buf, fxbin, "unknown frame");
out:
	ct_sym__free(s);
	free(r);
}

/* qsort's comparator: the stack runs through libc's sorting code, built without frame pointers. */
CT_TEST(sym_through_libc_qsort)
{
	static const char *const callers[] = { "sorter", "main" };
	struct fx_unwind_rec *r = calloc(1, sizeof(*r));
	struct ct_sym *s = ct_sym__new();
	char buf[512], fn[256], mod[256];
	__u64 pcs[MAXPCS], off;
	int n, i, at, libc = 0;
	struct child c;
	bool trunc;

	if (!ASSERT_TRUE(r && s, "alloc") || !ASSERT_TRUE(fx_start(NULL, "qsort", &c, r), "start"))
		goto out;
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)c.pid, r->regs, r->stack, (__u32)r->stack_size,
			   pcs, MAXPCS, &trunc);
	print_stack(s, (__u32)c.pid, pcs, n > 0 ? n : 0);
	check_chain(s, (__u32)c.pid, r, pcs, n, 0, (const char *const[]){ "by_value" }, 1,
		    "by_value", "fx_unwind", true);
	at = find_fn(s, (__u32)c.pid, pcs, 1, n, "sorter");
	if (ASSERT_TRUE(at > 1, "sorter below the libc frames")) {
		for (i = 1; i < at; i++) {
			ct_sym__frame(s, (__u32)c.pid, pcs[i], buf, sizeof(buf));
			if (parse_frame(buf, fn, mod, &off) && !strcmp(mod, "libc.so.6"))
				libc++;
		}
		ASSERT_EQ(libc, at - 1, "every frame between is in libc.so.6");
		check_chain(s, (__u32)c.pid, r, pcs, n, at, callers, 2, "by_value", "fx_unwind",
			    true);
	}
	ASSERT_TRUE(!trunc, "not truncated");
	printf("  unwind median: %.1f us (qsort, %d frames)\n",
	       unwind_median_us(s, r, r->regs, r->stack, (__u32)r->stack_size, 2000), n);
	child_stop(&c);
out:
	ct_sym__free(s);
	free(r);
}

/*
 * A thread blocked in pthread_mutex_lock, seen from outside as the BPF side sees it: sp and pc
 * from /proc/PID/task/TID/syscall, the stack from /proc/PID/mem, every other register unknown.
 */
CT_TEST(sym_blocked_mutex_from_proc)
{
	static const char *const chain[] = { "locker", "locker_outer", "locker_thread" };
	struct fx_unwind_rec *r = calloc(1, sizeof(*r));
	struct ct_sym *s = ct_sym__new();
	char path[128], text[512], buf[512], fn[256], mod[256];
	unsigned long long a[8], sp = 0, pc = 0;
	__u64 regs[17] = { 0 }, pcs[MAXPCS], off;
	static unsigned char stack[8192];
	int n, i, at, fd, nr = -1;
	struct child c;
	ssize_t got;
	bool trunc;

	if (!ASSERT_TRUE(r && s, "alloc") || !ASSERT_TRUE(fx_start(NULL, "mutex", &c, r), "start"))
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/task/%llu/syscall", c.pid,
		 (unsigned long long)r->tid);
	for (i = 0; i < 2000 && nr != 202; i++) {	/* until it sleeps in futex() */
		FILE *f = fopen(path, "re");

		nr = -1;
		if (f && fgets(text, sizeof(text), f) &&
		    sscanf(text, "%d %llx %llx %llx %llx %llx %llx %llx %llx", &nr, &a[0], &a[1],
			   &a[2], &a[3], &a[4], &a[5], &sp, &pc) != 9)
			nr = -1;
		if (f)
			fclose(f);
		if (nr != 202)
			usleep(1000);
	}
	if (!ASSERT_EQ(nr, 202, "thread blocked in futex"))
		goto stop;
	snprintf(path, sizeof(path), "/proc/%d/mem", c.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	got = fd >= 0 ? pread(fd, stack, sizeof(stack), (off_t)sp) : -1;
	if (fd >= 0)
		close(fd);
	if (!ASSERT_TRUE(got > 0, "read the stack"))
		goto stop;
	regs[7] = sp;
	regs[16] = pc;
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)r->tid, regs, stack, (__u32)got, pcs, MAXPCS,
			   &trunc);
	print_stack(s, (__u32)c.pid, pcs, n > 0 ? n : 0);
	ASSERT_TRUE(ct_sym__frame(s, (__u32)c.pid, pcs[0], buf, sizeof(buf)) >= 0 &&
		    parse_frame(buf, fn, mod, &off) && !strcmp(mod, "libc.so.6"),
		    "blocked in libc");
	at = find_fn(s, (__u32)c.pid, pcs, 1, n, "locker");
	if (ASSERT_TRUE(at > 1, "locker below libc's lock frames")) {
		check_chain(s, (__u32)c.pid, r, pcs, n, at, chain, 3, "locker", "fx_unwind", true);
		/* Below the thread function: libc's start_thread and clone3, then the end. */
		for (i = at + 3; i < n; i++) {
			ct_sym__frame(s, (__u32)c.pid, pcs[i], buf, sizeof(buf));
			ASSERT_TRUE(parse_frame(buf, fn, mod, &off) && !strcmp(mod, "libc.so.6"),
				    "thread start in libc");
		}
		ASSERT_TRUE(n > at + 3, "frames below the thread function");
	}
	ASSERT_TRUE(!trunc, "not truncated");
	ASSERT_TRUE(ct_sym__data(s, (__u32)c.pid, r->lock_addr, buf, sizeof(buf), mod, sizeof(mod)),
		    "the futex is a named lock");
	ASSERT_STREQ(buf, "big_lock", "lock identity");
	printf("  unwind median: %.1f us (blocked in libc, %d frames)\n",
	       unwind_median_us(s, r, regs, stack, (__u32)got, 2000), n);
stop:
	child_stop(&c);
out:
	ct_sym__free(s);
	free(r);
}

/* Copy the fixture to @dir/@name, through strip when @strip. */
static bool copy_fixture(const char *dir, const char *name, bool strip, char *dst, size_t len)
{
	char fxbin[4096], cmd[8448], out[64];

	fixture_path("fx_unwind", fxbin, sizeof(fxbin));
	snprintf(dst, len, "%s/%s", dir, name);
	if (strip)
		snprintf(cmd, sizeof(cmd), "strip -o '%s' '%s'", dst, fxbin);
	else
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", fxbin, dst);
	return run(cmd, out, sizeof(out));
}

/* A stripped PIE: no names, but module+offset frames that the unstripped symbols explain. */
CT_TEST(sym_stripped_pie)
{
	struct fx_unwind_rec *r = calloc(1, sizeof(*r));
	struct ct_sym *s = ct_sym__new();
	char dir[] = "/tmp/ct-sym-XXXXXX", bin[4096], cmd[4352], out[4096];
	__u64 pcs[MAXPCS];
	struct child c;
	bool trunc;
	int n;

	if (!ASSERT_TRUE(r && s && mkdtemp(dir), "setup"))
		goto out;
	if (!ASSERT_TRUE(copy_fixture(dir, "fx_unwind_stripped", true, bin, sizeof(bin)), "strip"))
		goto rm;
	snprintf(cmd, sizeof(cmd), "readelf -S -h '%s'", bin);
	ASSERT_TRUE(run(cmd, out, sizeof(out)) && !strstr(out, ".symtab") &&
		    strstr(out, "DYN (Position-Independent Executable"), "a stripped PIE");
	if (!ASSERT_TRUE(fx_start(bin, "chain", &c, r), "start"))
		goto rm;
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)c.pid, r->regs, r->stack, (__u32)r->stack_size,
			   pcs, MAXPCS, &trunc);
	print_stack(s, (__u32)c.pid, pcs, n > 0 ? n : 0);
	check_chain(s, (__u32)c.pid, r, pcs, n, 0, chain_names, 4, "f3", "fx_unwind_stripped",
		    false);
	ASSERT_TRUE(!trunc, "unwinds fully from .eh_frame");
	child_stop(&c);
rm:
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	run(cmd, out, sizeof(out));
out:
	ct_sym__free(s);
	free(r);
}

/* A binary deleted and replaced after start still resolves, through /proc/PID/map_files. */
CT_TEST(sym_deleted_binary)
{
	struct fx_unwind_rec *r = calloc(1, sizeof(*r));
	struct ct_sym *s = ct_sym__new();
	char dir[] = "/tmp/ct-sym-XXXXXX", bin[4096], cmd[8448], out[4096], path[4096], id[160];
	char fxbin[4096];
	__u64 pcs[MAXPCS];
	struct child c;
	const char *p;
	bool trunc;
	int n, fd;

	if (!ASSERT_TRUE(r && s && mkdtemp(dir), "setup"))
		goto out;
	if (!ASSERT_TRUE(copy_fixture(dir, "fx_unwind_del", false, bin, sizeof(bin)), "copy"))
		goto rm;
	if (!ASSERT_TRUE(fx_start(bin, "chain", &c, r), "start"))
		goto rm;
	unlink(bin);
	fd = open(bin, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd >= 0) {
		ASSERT_EQ(write(fd, "not an ELF file\n", 16), 16, "replace");
		close(fd);
	}
	n = ct_sym__unwind(s, (__u32)c.pid, (__u32)c.pid, r->regs, r->stack, (__u32)r->stack_size,
			   pcs, MAXPCS, &trunc);
	print_stack(s, (__u32)c.pid, pcs, n > 0 ? n : 0);
	check_chain(s, (__u32)c.pid, r, pcs, n, 0, chain_names, 4, "f3", "fx_unwind_del", true);
	if (ASSERT_TRUE(ct_sym__module(s, (__u32)c.pid, pcs[0], path, sizeof(path), id,
				       sizeof(id)), "module")) {
		ASSERT_STREQ(path, bin, "module path");
		fixture_path("fx_unwind", fxbin, sizeof(fxbin));
		snprintf(cmd, sizeof(cmd), "readelf -n '%s'", fxbin);
		p = run(cmd, out, sizeof(out)) ? strstr(out, "Build ID: ") : NULL;
		if (ASSERT_TRUE(p, "readelf shows a build-id")) {
			p += 10;
			ASSERT_TRUE(strlen(id) > 0 && !strncmp(p, id, strlen(id)) &&
				    (p[strlen(id)] == '\n' || p[strlen(id)] == '\0'), "build-id");
		}
	}
	ASSERT_TRUE(!ct_sym__module(s, (__u32)c.pid, 0x10, path, sizeof(path), id, sizeof(id)),
		    "no module at 0x10");
	child_stop(&c);
rm:
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	run(cmd, out, sizeof(out));
out:
	ct_sym__free(s);
	free(r);
}

CT_TEST(sym_python)
{
	char *argv[] = { "/usr/bin/python3", "-c", "import sys; sys.stdin.read()", NULL };
	struct ct_sym *s = ct_sym__new();
	char path[64], exe[4096];
	struct child c;
	ssize_t n = 0;
	int i;

	if (!ASSERT_TRUE(s, "alloc"))
		return;
	ASSERT_TRUE(!ct_sym__is_python(s, (__u32)getpid()), "the test runner is not python");
	if (access(argv[0], X_OK)) {
		printf("  no %s: python detection not tested\n", argv[0]);
		goto out;
	}
	if (!ASSERT_TRUE(child_start(&c, argv), "start python3"))
		goto out;
	/* Until the exec is done, the child is still this program. */
	snprintf(path, sizeof(path), "/proc/%d/exe", c.pid);
	for (i = 0; i < 2000; i++) {
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n > 0 && (exe[n] = '\0', strstr(exe, "python")))
			break;
		usleep(1000);
	}
	ASSERT_TRUE(n > 0 && strstr(exe, "python"), "python3 started");
	ASSERT_TRUE(ct_sym__is_python(s, (__u32)c.pid), "python3 is python");
	child_stop(&c);
out:
	ct_sym__free(s);
}

/* The vdso: symbols from this kernel's image, at the offsets nm finds in a dump of it. */
CT_TEST(sym_vdso)
{
	char dir[] = "/tmp/ct-sym-XXXXXX", path[64], cmd[256], out[256], buf[256], fn[64], mod[64];
	__u64 base = getauxval(AT_SYSINFO_EHDR), off;
	struct ct_sym *s = ct_sym__new();
	const struct ct_map *e;
	unsigned long long addr = 0;
	struct ct_maps m;
	int fd;

	if (!ASSERT_TRUE(s && base && mkdtemp(dir), "setup"))
		goto out;
	ct_maps__read((__u32)getpid(), &m);
	e = ct_maps__find(&m, base);
	snprintf(path, sizeof(path), "%s/vdso.so", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (ASSERT_TRUE(e && fd >= 0, "dump the vdso"))
		ASSERT_EQ(write(fd, (const void *)(uintptr_t)base, e->end - e->start),
			  (ssize_t)(e->end - e->start), "write");
	if (fd >= 0)
		close(fd);
	ct_maps__free(&m);
	snprintf(cmd, sizeof(cmd), "nm -D --defined-only %s | "
		 "awk '$NF ~ /^__vdso_clock_gettime(@|$)/ { print $1 }'", path);
	if (ASSERT_TRUE(run(cmd, out, sizeof(out)) && sscanf(out, "%llx", &addr) == 1, "nm -D") &&
	    ASSERT_EQ(ct_sym__frame(s, (__u32)getpid(), base + addr + 2, buf, sizeof(buf)), 1,
		      "named") &&
	    ASSERT_TRUE(parse_frame(buf, fn, mod, &off), buf)) {
		ASSERT_TRUE(!strcmp(fn, "__vdso_clock_gettime") || !strcmp(fn, "clock_gettime"),
			    fn);
		ASSERT_STREQ(mod, "[vdso]", "module");
		ASSERT_EQ(off, addr + 2, "offset");
	}
	/* the parts are those ct_sym__frame() printed (nm gave the address, not them) */
	if (addr) {
		struct ct_sym_frame sf;

		if (ASSERT_EQ(ct_sym__frame_parts(s, (__u32)getpid(), base + addr + 2, &sf), 1,
			      "parts: named") && ASSERT_TRUE(sf.symbol && sf.module, "parts")) {
			ASSERT_TRUE(!strcmp(sf.symbol, "__vdso_clock_gettime") ||
				    !strcmp(sf.symbol, "clock_gettime"), sf.symbol);
			ASSERT_STREQ(sf.module, "[vdso]", "parts: module");
			ASSERT_EQ(sf.offset, addr + 2, "parts: offset");
		}
		ASSERT_EQ(ct_sym__frame_parts(s, (__u32)getpid(), 8, &sf), -1, "parts: unmapped");
		ASSERT_TRUE(!sf.module && !sf.symbol && sf.offset == 8, "parts: the bare address");
	}
	unlink(path);
	rmdir(dir);
out:
	ct_sym__free(s);
}

CT_TEST(sym_kernel)
{
	char path[] = "/tmp/ct-ksyms-XXXXXX", buf[256];
	struct ct_sym *s = ct_sym__new();
	FILE *f = NULL;
	int fd;

	if (!ASSERT_TRUE(s, "alloc"))
		return;
	/* Read on the first kernel frame (the table itself: test_ksyms.c): a user address. */
	ASSERT_EQ(ct_sym__kframe(s, 0x10, buf, sizeof(buf)), 0, "a user address");
	ASSERT_STREQ(buf, "0x10 [k]", "raw");
	/* A table read ahead replaces it. */
	fd = mkstemp(path);
	if (fd >= 0)
		f = fdopen(fd, "w");
	if (ASSERT_TRUE(f, "temp file")) {
		fputs("ffffffff81000100 T alpha\n", f);
		fclose(f);
		ct_sym__set_ksyms(s, ct_ksyms__load(path));
		unlink(path);
		ASSERT_EQ(ct_sym__kframe(s, 0xffffffff81000110ULL, buf, sizeof(buf)), 1, "alpha");
		ASSERT_STREQ(buf, "alpha [k]", "named from the table given");
	}
	ct_sym__free(s);
}

/* Write @len bytes of @data to a new file in @dir and map it into this process. */
static void *map_junk(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* Hostile input: odd ELF files mapped in, registers and stacks pointing anywhere. */
CT_TEST(sym_hostile)
{
	/* e_ident: ELF magic, 64-bit, little-endian, version 1 (bytes, not a string) */
	static const unsigned char elf_magic[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	struct ct_sym *s = ct_sym__new();
	char dir[] = "/tmp/ct-sym-XXXXXX", fxbin[4096], buf[512], name[64], mod[64], cmd[64];
	unsigned char *elf = NULL, junk[8192];
	void *maps[4] = { NULL };
	__u64 regs[17], pcs[MAXPCS];
	struct stat st;
	bool trunc;
	int i, k, n, fd;
	unsigned int seed = 12345;

	if (!ASSERT_TRUE(s && mkdtemp(dir), "setup"))
		goto out;
	/* A truncated copy of a real ELF, one with its program headers pointing past the end. */
	fixture_path("fx_unwind", fxbin, sizeof(fxbin));
	fd = open(fxbin, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && st.st_size >= (off_t)sizeof(junk) &&
	    (elf = malloc((size_t)st.st_size)) &&
	    read(fd, elf, (size_t)st.st_size) == st.st_size) {
		maps[0] = map_junk(dir, "truncated.so", elf, 700);
		memcpy(junk, elf, sizeof(junk));
		junk[0x38] = 0xff;		/* e_phnum = 0xffff */
		junk[0x39] = 0xff;
		maps[1] = map_junk(dir, "phnum.so", junk, sizeof(junk));
		memcpy(junk, elf, sizeof(junk));
		memset(junk + 0x40, 0xff, 0x200);	/* program headers all ones */
		maps[2] = map_junk(dir, "phdrs.so", junk, sizeof(junk));
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < (int)sizeof(junk); i++)
		junk[i] = (unsigned char)rand_r(&seed);
	memcpy(junk, elf_magic, sizeof(elf_magic));
	maps[3] = map_junk(dir, "random.so", junk, sizeof(junk));
	ASSERT_TRUE(maps[0] && maps[1] && maps[2] && maps[3], "odd files mapped");
	ASSERT_OK(ct_sym__note_pid(s, (__u32)getpid()), "note ourselves");
	for (i = 0; i < 4; i++) {
		if (!maps[i])
			continue;
		ASSERT_TRUE(ct_sym__frame(s, (__u32)getpid(), (__u64)(uintptr_t)maps[i] + 64, buf,
					  sizeof(buf)) <= 0, "no name in junk");
		ct_sym__data(s, (__u32)getpid(), (__u64)(uintptr_t)maps[i] + 64, name, sizeof(name),
			     mod, sizeof(mod));
	}
	/* Random registers over random stacks, ip in junk, in our code, anywhere. */
	for (k = 0; k < 3000; k++) {
		for (i = 0; i < 17; i++)
			regs[i] = (__u64)rand_r(&seed) << 32 | (__u64)rand_r(&seed);
		if (k % 3 == 0)
			regs[16] = (__u64)(uintptr_t)&ct_sym__unwind +
				   (__u64)(rand_r(&seed) % 4096);
		else if (k % 3 == 1 && maps[k % 4])
			regs[16] = (__u64)(uintptr_t)maps[k % 4] + (__u64)(rand_r(&seed) % 4096);
		if (k % 2)	/* a stack full of pointers into our code */
			for (i = 0; i + 8 <= (int)sizeof(junk); i += 8)
				*(__u64 *)(junk + i) = (__u64)(uintptr_t)&ct_sym__frame +
						       (__u64)(rand_r(&seed) % 8192);
		n = ct_sym__unwind(s, (__u32)getpid(), (__u32)getpid(), regs, junk,
				   (__u32)(rand_r(&seed) % (sizeof(junk) + 1)), pcs, MAXPCS,
				   &trunc);
		if (!ASSERT_TRUE(n >= 1 && n <= MAXPCS && pcs[0] == regs[16], "sane result"))
			break;
		for (i = 0; i < n; i++)
			ct_sym__frame(s, (__u32)getpid(), pcs[i], buf, sizeof(buf));
	}
	ASSERT_EQ(ct_sym__unwind(s, (__u32)getpid(), (__u32)getpid(), regs, NULL, 0, pcs, MAXPCS,
				 &trunc), 1, "no stack at all");
	ASSERT_EQ(ct_sym__unwind(s, (__u32)getpid(), (__u32)getpid(), regs, junk, 64, pcs, 0,
				 &trunc), -EINVAL, "max 0");
	/* A process that does not exist. */
	ASSERT_EQ(ct_sym__note_pid(s, 0x7ffffff0), -ESRCH, "no such pid");
	ASSERT_EQ(ct_sym__unwind(s, 0x7ffffff0, 0x7ffffff0, regs, junk, 64, pcs, MAXPCS, &trunc),
		  1, "unknown pid: the ip alone");
	ASSERT_TRUE(trunc, "unknown pid: truncated");
	ASSERT_EQ(ct_sym__frame(s, 0x7ffffff0, 0x1234, buf, sizeof(buf)), -1, "unknown pid frame");
	ASSERT_STREQ(buf, "[unknown] 0x1234", "unknown pid frame text");
	ASSERT_TRUE(!ct_sym__data(s, 0x7ffffff0, 0x1234, name, sizeof(name), mod, sizeof(mod)),
		    "unknown pid data");
	/* A tiny buffer is cut, not overrun. */
	ct_sym__frame(s, (__u32)getpid(), (__u64)(uintptr_t)&ct_sym__frame, buf, 4);
	ASSERT_EQ(strlen(buf), 3, "cut to the buffer");
	for (i = 0; i < 4; i++)
		if (maps[i])
			munmap(maps[i], i == 0 ? 700 : sizeof(junk));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	run(cmd, buf, sizeof(buf));
out:
	free(elf);
	ct_sym__free(s);
}
