// SPDX-License-Identifier: GPL-2.0
/* user/sym/procmaps.c: kernel-format lines, odd paths, garbage, bounds, and our own /proc maps. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "sym/procmaps.h"
#include "../test.h"

static const char kernel_text[] =
	"55d0c0a00000-55d0c0a02000 r--p 00000000 fe:01 1234567                    /usr/bin/cat\n"
	"55d0c0a02000-55d0c0a07000 r-xp 00002000 fe:01 1234567                    /usr/bin/cat\n"
	"55d0c1c3b000-55d0c1c5c000 rw-p 00000000 00:00 0                          [heap]\n"
	"7f1c2c000000-7f1c2c021000 rw-p 00000000 00:00 0 \n"
	"7f1c2d000000-7f1c2d001000 rw-s 00000000 00:01 99                         "
	"/dev/zero (deleted)\n"
	"7ffd1a6f0000-7ffd1a711000 rw-p 00000000 00:00 0                          [stack]\n"
	"7ffd1a7b6000-7ffd1a7b8000 r-xp 00000000 00:00 0                          [vdso]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

CT_TEST(procmaps_kernel_format)
{
	struct ct_maps m;
	int n = ct_maps__parse(kernel_text, strlen(kernel_text), &m);

	if (!ASSERT_EQ(n, 8, "entries"))
		goto out;
	ASSERT_EQ(m.bad, 0, "bad lines");
	ASSERT_EQ(m.v[0].start, 0x55d0c0a00000ULL, "start");
	ASSERT_EQ(m.v[0].end, 0x55d0c0a02000ULL, "end");
	ASSERT_EQ(m.v[0].prot, CT_MAP_R, "r--p");
	ASSERT_EQ(m.v[1].prot, CT_MAP_R | CT_MAP_X, "r-xp");
	ASSERT_EQ(m.v[1].pgoff, 0x2000, "pgoff");
	ASSERT_EQ(m.v[1].dev_major, 0xfe, "major");
	ASSERT_EQ(m.v[1].dev_minor, 1, "minor");
	ASSERT_EQ(m.v[1].inode, 1234567, "inode");
	ASSERT_STREQ(m.v[1].path, "/usr/bin/cat", "path");
	ASSERT_STREQ(m.v[2].path, "[heap]", "heap");
	ASSERT_STREQ(m.v[3].path, "", "anonymous with trailing space");
	ASSERT_EQ(m.v[4].prot, CT_MAP_R | CT_MAP_W | CT_MAP_SHARED, "rw-s");
	ASSERT_STREQ(m.v[4].path, "/dev/zero", "deleted cut");
	ASSERT_TRUE(m.v[4].deleted, "deleted noted");
	ASSERT_TRUE(!m.v[1].deleted, "not deleted");
	ASSERT_STREQ(m.v[6].path, "[vdso]", "vdso");
	ASSERT_EQ(m.v[7].start, 0xffffffffff600000ULL, "16 hex digits");
	ASSERT_EQ(m.v[7].prot, CT_MAP_X, "--xp");
	ASSERT_TRUE(ct_maps__find(&m, 0x55d0c0a02000ULL) == &m.v[1], "find at start");
	ASSERT_TRUE(ct_maps__find(&m, 0x55d0c0a01fffULL) == &m.v[0], "find at end - 1");
	ASSERT_TRUE(!ct_maps__find(&m, 0x55d0c0a07000ULL), "end is exclusive");
	ASSERT_TRUE(!ct_maps__find(&m, 0x1000), "below all");
	ASSERT_TRUE(!ct_maps__find(&m, ~0ULL), "above all");
out:
	ct_maps__free(&m);
}

CT_TEST(procmaps_odd_paths)
{
	static const char text[] =
		"1000-2000 r-xp 00000000 08:01 5 /tmp/my dir/a b.so (deleted)\n"
		"2000-3000 r-xp 00000000 08:01 6 /tmp/x (deleted) y\n"
		"3000-4000 r-xp 00000000 08:01 7 /tmp/trailing space \n"
		"4000-5000 r-xp 00000000 08:01 8  (deleted)\n"
		/* no final newline */
		"5000-6000 r-xp 00000000 08:01 9 /memfd:jit (deleted)";
	struct ct_maps m;
	int n = ct_maps__parse(text, strlen(text), &m);

	if (!ASSERT_EQ(n, 5, "entries"))
		goto out;
	ASSERT_STREQ(m.v[0].path, "/tmp/my dir/a b.so", "spaces kept, suffix cut");
	ASSERT_TRUE(m.v[0].deleted, "deleted");
	ASSERT_STREQ(m.v[1].path, "/tmp/x (deleted) y", "suffix only at the end");
	ASSERT_TRUE(!m.v[1].deleted, "inner (deleted) is a name");
	ASSERT_STREQ(m.v[2].path, "/tmp/trailing space ", "trailing space kept");
	ASSERT_STREQ(m.v[3].path, "(deleted)", "a path that is only the suffix");
	ASSERT_STREQ(m.v[4].path, "/memfd:jit", "last line without newline");
	ASSERT_TRUE(m.v[4].deleted, "memfd deleted");
out:
	ct_maps__free(&m);
}

CT_TEST(procmaps_garbage)
{
	static const char *const bad[] = {
		"hello",
		"1000-2000",
		"2000-1000 r-xp 00000000 08:01 5 /x",		/* start > end */
		"1000-1000 r-xp 00000000 08:01 5 /x",		/* empty */
		"zz-2000 r-xp 00000000 08:01 5 /x",
		"1000-2000 rwxq 00000000 08:01 5 /x",		/* bad share flag */
		"1000-2000 r-x 00000000 08:01 5 /x",		/* short perms */
		"1000-2000 r-xp 00000000 08:01 /x",		/* no inode */
		"1000-2000 r-xp 00000000 0801 5 /x",		/* no colon */
		"1000-2000 r-xp 00000000 08:01 5x /x",		/* inode glued to text */
		"10000000000000000-10000000000000001 r-xp 0 08:01 5 /x",	/* 17 digits */
		"1000-2000 r-xp 0 08:01 99999999999999999999999 /x",	/* inode overflow */
		"-2000 r-xp 00000000 08:01 5 /x",
		"1000-2000  r-xp 00000000 08:01 5 /x",		/* double space */
	};
	char buf[512];
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(bad); i++) {
		struct ct_maps m;
		int n;

		/* Each bad line between two good ones: only it is dropped. */
		snprintf(buf, sizeof(buf), "100-200 r--p 0 00:00 0\n%s\n300-400 r--p 0 00:00 0\n",
			 bad[i]);
		n = ct_maps__parse(buf, strlen(buf), &m);
		ASSERT_EQ(n, 2, bad[i]);
		ASSERT_EQ(m.bad, 1, bad[i]);
		ct_maps__free(&m);
	}
}

CT_TEST(procmaps_bounds)
{
	size_t len = CT_MAPS_MAX_LINE + 4096, i;
	char *buf = malloc(len + 200);
	char nul[] = "1000-2000 r-xp 0 00:00 1 /a\0b\n3000-4000 r-xp 0 00:00 1 /c\n";
	struct ct_maps m;
	int n;

	if (!ASSERT_TRUE(buf, "malloc"))
		return;	// cppcheck-suppress memleak ; buf is NULL: the assert returns its condition
	/* An overlong line is skipped; the short line after it still counts. */
	i = (size_t)sprintf(buf, "1000-2000 r-xp 00000000 08:01 5 /");
	memset(buf + i, 'a', len - i);
	i = len;
	i += (size_t)sprintf(buf + i, "\n5000-6000 r--p 0 00:00 0 [stack]\n");
	n = ct_maps__parse(buf, i, &m);
	ASSERT_EQ(n, 1, "overlong line skipped");
	ASSERT_EQ(m.bad, 1, "counted bad");
	if (n == 1)
		ASSERT_STREQ(m.v[0].path, "[stack]", "line after it");
	ct_maps__free(&m);

	n = ct_maps__parse(nul, sizeof(nul) - 1, &m);
	ASSERT_EQ(n, 1, "line with a NUL skipped");
	ct_maps__free(&m);

	n = ct_maps__parse("", 0, &m);
	ASSERT_EQ(n, 0, "empty input");
	ct_maps__free(&m);
	n = ct_maps__parse("\n\n\n", 3, &m);
	ASSERT_EQ(n, 0, "blank lines");
	ASSERT_EQ(m.bad, 0, "blank lines are not bad");
	ct_maps__free(&m);

	/* Out of order input comes out sorted. */
	strcpy(buf, "3000-4000 r--p 0 00:00 0 c\n1000-2000 r--p 0 00:00 0 a\n"
		    "2000-3000 r--p 0 00:00 0 b\n");
	n = ct_maps__parse(buf, strlen(buf), &m);
	if (ASSERT_EQ(n, 3, "unsorted")) {
		ASSERT_STREQ(m.v[0].path, "a", "sorted 0");
		ASSERT_STREQ(m.v[2].path, "c", "sorted 2");
		ASSERT_TRUE(ct_maps__find(&m, 0x2fff) == &m.v[1], "find in sorted");
	}
	ct_maps__free(&m);

	/* Overlaps cannot come from the kernel: the later-starting entry is dropped. */
	strcpy(buf, "1000-5000 r--p 0 00:00 0 a\n2000-3000 r--p 0 00:00 0 b\n"
		    "5000-6000 r--p 0 00:00 0 c\n");
	n = ct_maps__parse(buf, strlen(buf), &m);
	ASSERT_EQ(n, 2, "overlap dropped");
	ASSERT_EQ(m.bad, 1, "overlap counted");
	ASSERT_TRUE(ct_maps__find(&m, 0x4000) == &m.v[0], "the first range still found");
	ct_maps__free(&m);
	free(buf);
}

/* Our own maps as the kernel writes them: every line parses, and known addresses land right. */
CT_TEST(procmaps_self)
{
	char exe[4096], tmpl[] = "/tmp/ct maps test XXXXXX", line[8192];
	const struct ct_map *e;
	struct ct_maps m;
	size_t lines = 0;
	ssize_t len;
	void *p = MAP_FAILED;
	FILE *f;
	int n, fd, local = 0;

	/* A mapped file with spaces in its name, deleted while mapped. */
	fd = mkstemp(tmpl);
	if (!ASSERT_TRUE(fd >= 0, "mkstemp"))
		return;
	if (ASSERT_OK(ftruncate(fd, 8192), "ftruncate"))
		p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	unlink(tmpl);
	ASSERT_TRUE(p != MAP_FAILED, "mmap");

	f = fopen("/proc/self/maps", "re");
	while (f && fgets(line, sizeof(line), f))
		lines++;
	if (f)
		fclose(f);
	n = ct_maps__read((__u32)getpid(), &m);
	ASSERT_EQ(n, (int)lines, "one entry per line of /proc/self/maps");
	ASSERT_EQ(m.bad, 0, "no bad line");

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[len > 0 ? len : 0] = '\0';
	e = ct_maps__find(&m, (__u64)(uintptr_t)&ct_maps__parse);
	ASSERT_TRUE(e && (e->prot & CT_MAP_X), "our code is executable");
	if (e)
		ASSERT_STREQ(e->path, exe, "our code is in /proc/self/exe");
	e = ct_maps__find(&m, (__u64)(uintptr_t)&local);
	/* Under ASan locals may live on a fake stack in anonymous memory. */
	if (e && strcmp(e->path, ""))
		ASSERT_STREQ(e->path, "[stack]", "a local on [stack]");
	if (p != MAP_FAILED) {
		e = ct_maps__find(&m, (__u64)(uintptr_t)p);
		if (ASSERT_TRUE(e, "the deleted file is mapped")) {
			ASSERT_STREQ(e->path, tmpl, "path with spaces");
			ASSERT_TRUE(e->deleted, "deleted");
		}
		munmap(p, 8192);
	}
	ct_maps__free(&m);
	ASSERT_EQ(ct_maps__read(0x7ffffff0, &m), -ESRCH, "no such process");
	ct_maps__free(&m);
}
