// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols: the kallsyms parser on a known file, and the background reader on the real one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sym/ksyms.h"
#include "../test.h"

static void name_is(const struct ct_ksyms *k, unsigned long long addr, int ret, const char *want,
		    const char *what)
{
	char buf[512];

	ASSERT_EQ(ct_ksyms__name(k, addr, buf, sizeof(buf)), ret, what);
	ASSERT_STREQ(buf, want, what);
}

CT_TEST(ksyms_file)
{
	char path[] = "/tmp/ct-ksyms-XXXXXX", longname[301], want[300];
	struct ct_ksyms *k;
	FILE *f;
	int fd;

	memset(longname, 'x', 300);
	longname[300] = '\0';
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!ASSERT_TRUE(f, "temp file"))
		return;
	/* Out of address order, data and absolute symbols, a module, junk, a too-long name. */
	fprintf(f, "ffffffff81000200 T beta\n"
		   "ffffffff81000100 t alpha\n"
		   "ffffffff81000300 D some_data\n"
		   "0000000000000000 T zero_address\n"
		   "ffffffffc0001000 t mod_fn\t[mymod]\n"
		   "ffffffff81000400 W weak_one\n"
		   "not a symbol line\n"
		   "ffffffff81000500 T %s\n", longname);
	fclose(f);
	k = ct_ksyms__load(path);
	unlink(path);
	if (!ASSERT_TRUE(k, "load"))
		return;
	name_is(k, 0xffffffff81000150ULL, 1, "alpha [k]", "sorted: alpha before beta");
	name_is(k, 0xffffffff81000200ULL, 1, "beta [k]", "the symbol's own address");
	name_is(k, 0xffffffff81000350ULL, 1, "beta [k]", "data symbols are no boundary");
	name_is(k, 0xffffffff81000400ULL, 1, "weak_one [k]", "weak text symbol");
	name_is(k, 0xffffffffc0001010ULL, 1, "mod_fn [k]", "module symbol, module name cut");
	name_is(k, 0xffffffffc0001000ULL + 70000, 0, "0xffffffffc0012170 [k]",
		"past the last symbol's 64 KiB");
	name_is(k, 0xffffffff81000000ULL, 0, "0xffffffff81000000 [k]", "before the first symbol");
	memset(want, 'x', 255);
	strcpy(want + 255, " [k]");
	name_is(k, 0xffffffff81000510ULL, 1, want, "a long name cut to 255 characters");
	ct_ksyms__free(k);

	k = ct_ksyms__load("/nonexistent/kallsyms");
	if (ASSERT_TRUE(k, "missing file: an empty table"))
		name_is(k, 0xffffffff81000150ULL, 0, "0xffffffff81000150 [k]", "nothing named");
	ct_ksyms__free(k);
	name_is(NULL, 0x10, 0, "0x10 [k]", "no table");
}

CT_TEST(ksyms_reader)
{
	struct ct_ksyms_reader r = { .started = false };
	unsigned long long addr = 0, a;
	char line[1024], name[256], type;
	struct ct_ksyms *k;
	FILE *f;

	ct_ksyms__read_start(&r);
	/* Meanwhile, find schedule()'s address independently. */
	f = fopen("/proc/kallsyms", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, name) == 3 &&
		    !strcmp(name, "schedule") && (type == 'T' || type == 't')) {
			addr = a;
			break;
		}
	}
	if (f)
		fclose(f);
	k = ct_ksyms__read_take(&r);
	if (!ASSERT_TRUE(k, "a table"))
		return;
	ASSERT_TRUE(!ct_ksyms__read_take(&r), "taken once");
	if (addr)
		name_is(k, addr + 1, 1, "schedule [k]", "schedule+1");
	else	/* without root the addresses read as zero: nothing can be named */
		name_is(k, 0xffffffff81000000ULL, 0, "0xffffffff81000000 [k]", "no ksyms");
	ct_ksyms__free(k);
}
