// SPDX-License-Identifier: GPL-2.0
/* The report renderers on a synthetic profile: folded stacks exactly, escaping, pprof's gzip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "render/render.h"
#include "render/render_util.h"
#include "synth_profile.h"
#include "../test.h"

/* Render @fmt of the synthetic profile into a malloc'd buffer (*@len bytes). */
static char *render(enum ct_format fmt, bool timeline, size_t *len)
{
	struct ct_render_opts o = { .top = 10 };
	struct ct_profile p = {};
	struct ct_diagnosis d;
	char *buf = NULL;
	FILE *f;

	if (ct_synth_profile(&p, &d, timeline))
		abort();
	f = open_memstream(&buf, len);
	if (!f)
		abort();
	if (ct_render(fmt, &p, &d, f, &o))
		abort();
	fclose(f);
	ct_profile__free(&p);
	return buf;
}

CT_TEST(render_folded_exact)
{
	/*
	 * From synth_profile.c: stacks innermost first, printed outermost first, user then kernel;
	 * waits weigh round(wait_ns / 1000) us, on-CPU sites their samples; ';' in comm becomes ':'.
	 */
	static const char want[] =
		"work:er<&>;[lock wait: big_lock];start_thread (libc.so.6+0x88fd0);"
		"worker (synth+0x1234);__lll_lock_wait (libc.so.6+0x8a1f0);do_futex [k];"
		"futex_wait [k] 1500\n"
		"synth;[cond wait: heap condition at 0x5000];[unknown] 0x7f0000001000;"
		"synth+0x3000 2000\n"
		"synth;[on-cpu];main (synth+0x1100);compute (synth+0x2000) 7\n"
		"work:er<&>;[on-cpu] 2\n"
		"[conctrace];[dropped samples] 4\n"
		"[conctrace];[dropped events] 1\n"
		"[conctrace];[unsymbolized frames] 2\n"
		"[conctrace];[truncated stacks] 1\n";
	size_t len;
	char *out = render(CT_FMT_FOLDED, false, &len);

	ASSERT_STREQ(out, want, "folded output of the synthetic profile");
	free(out);
}

CT_TEST(render_folded_empty)
{
	struct ct_render_opts o = { .top = 10 };
	struct ct_profile p = {};
	struct ct_diagnosis d;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ct_profile__finish(&p);
	ct_diagnose(&p, &d);
	ASSERT_OK(ct_render(CT_FMT_FOLDED, &p, &d, f, &o), "folded of an empty profile");
	fclose(f);
	ASSERT_STREQ(buf, "[conctrace];[dropped samples] 0\n[conctrace];[dropped events] 0\n"
		     "[conctrace];[unsymbolized frames] 0\n[conctrace];[truncated stacks] 0\n",
		     "folded of an empty profile: only the data-quality lines");
	free(buf);
	ct_profile__free(&p);
}

/*
 * What each format's document must contain even when the profile is empty: its own frame (the
 * report header, the JSON schema, the page, the trace-event list, a gzip stream) and the
 * dropped-event counts that every format carries.
 */
static bool has_marks(int fmt, const char *buf, size_t len)
{
	switch (fmt) {
	case CT_FMT_TEXT:
		return strstr(buf, "Where the threads' time went") && strstr(buf, "0.000 s on 0 cores");
	case CT_FMT_JSON:
		return strstr(buf, "\"schema\": \"" CT_REPORT_SCHEMA "\"") && strstr(buf, "\"dropped\"") &&
		       buf[0] == '{' && buf[len - 2] == '}';
	case CT_FMT_MD:
		return !strncmp(buf, "## conctrace report", 19) && strstr(buf, "### Diagnosis");
	case CT_FMT_HTML:
		return !strncmp(buf, "<!DOCTYPE html>", 15) && strstr(buf, "</html>");
	case CT_FMT_PERFETTO:
		return strstr(buf, "\"traceEvents\"") && strstr(buf, "\"dropped\"");
	case CT_FMT_PPROF:
		return len > 18 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b;
	case CT_FMT_FOLDED:
		return strstr(buf, "[conctrace];[dropped events] 0");
	}
	return false;
}

/* Every format renders an empty profile (no stacks, sites, locks, slices) without failing. */
CT_TEST(render_all_formats_empty)
{
	struct ct_render_opts o = { .top = 10 };
	struct ct_profile p = {};
	struct ct_diagnosis d;
	char name[64];
	int fmt;

	ct_profile__finish(&p);
	ct_diagnose(&p, &d);
	for (fmt = 0; fmt < CT_FMT_RECORD; fmt++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		snprintf(name, sizeof(name), "%s of an empty profile", ct_format_names[fmt]);
		ASSERT_OK(ct_render(fmt, &p, &d, f, &o), name);
		fclose(f);
		ASSERT_TRUE(len > 0 && has_marks(fmt, buf, len), name);
		free(buf);
	}
	ct_profile__free(&p);
}

CT_TEST(render_md_html_escape)
{
	size_t len;
	char *md = render(CT_FMT_MD, false, &len);
	char *html = render(CT_FMT_HTML, false, &len);

	ASSERT_TRUE(strstr(md, "work;er&lt;&amp;&gt;") != NULL, "md: hostile comm escaped");
	ASSERT_TRUE(strstr(md, "<&>") == NULL, "md: no raw <&>");
	ASSERT_TRUE(strstr(md, "| big\\_lock | mutex | 100 | 10 | 0.600 | 90.000 | 1 | "
			   "worker (synth+0x1234) | 100 synth → 101 ×9 |") != NULL,
		    "md: big_lock's row with its call site outside libc and its waker");
	ASSERT_TRUE(strchr(md, '\033') == NULL, "md: no ANSI escape");
	ASSERT_TRUE(strstr(html, "work;er&lt;&amp;&gt;") != NULL, "html: hostile comm escaped");
	ASSERT_TRUE(strstr(html, "<&>") == NULL, "html: no raw <&>");
	ASSERT_TRUE(strchr(html, '\033') == NULL, "html: no ANSI escape");
	ASSERT_TRUE(strstr(html, "<svg") != NULL, "html: inline SVG");
	ASSERT_TRUE(strstr(html, "http://") == NULL || strstr(html, "http://www.w3.org/2000/svg"),
		    "html: no URL but the SVG namespace");
	free(md);
	free(html);
}

CT_TEST(render_pprof_gzip)
{
	size_t len, n = 0;
	char *gz = render(CT_FMT_PPROF, false, &len);
	unsigned char *raw = malloc(1 << 20);
	z_stream zs = {};
	int ret;

	ASSERT_TRUE(len > 18 && (unsigned char)gz[0] == 0x1f && (unsigned char)gz[1] == 0x8b,
		    "pprof: gzip magic");
	inflateInit2(&zs, 15 + 16);
	zs.next_in = (Bytef *)gz;
	zs.avail_in = len;
	zs.next_out = raw;
	zs.avail_out = 1 << 20;
	ret = inflate(&zs, Z_FINISH);
	n = zs.total_out;
	inflateEnd(&zs);
	ASSERT_EQ(ret, Z_STREAM_END, "pprof: the gzip stream inflates to its end");
	ASSERT_TRUE(memmem(raw, n, "big_lock", 8) != NULL, "pprof: lock name in the strings");
	ASSERT_TRUE(memmem(raw, n, "unsymbolized frames: 2", 22) != NULL, "pprof: comment");
	free(raw);
	free(gz);
}

/* Each kind of frame prints as collect/ has always printed it, and interns once. */
CT_TEST(render_frame_format)
{
	static const struct {
		struct ct_frame_rec f;
		const char *want;
	} cases[] = {
		{ { .kind = CT_FRAME_NATIVE, .module = "synth", .symbol = "worker", .offset = 0x1234 },
		  "worker (synth+0x1234)" },
		{ { .kind = CT_FRAME_NATIVE, .module = "a b.so", .symbol = "f(int)", .offset = 0x10 },
		  "f(int) (a b.so+0x10)" },
		{ { .kind = CT_FRAME_NATIVE, .module = "libc.so.6", .offset = 0x8a1f0 },
		  "libc.so.6+0x8a1f0" },
		{ { .kind = CT_FRAME_KERNEL, .symbol = "do_futex" }, "do_futex [k]" },
		{ { .kind = CT_FRAME_KERNEL, .offset = 0xffffffff81000000ull },
		  "0xffffffff81000000 [k]" },
		{ { .kind = CT_FRAME_UNKNOWN, .offset = 0x7f0000001000ull },
		  "[unknown] 0x7f0000001000" },
		{ { .kind = CT_FRAME_PYTHON, .symbol = "run", .file = "app.py", .line = 12 },
		  "run (app.py:12)" },
		{ { .kind = CT_FRAME_RAW, .symbol = "anything (at all" }, "anything (at all" },
	};
	struct ct_profile p = {};
	char buf[CT_FRAME_LEN], name[64];
	long ids[CT_ARRAY_SIZE(cases)];
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		ids[i] = ct_frame__intern(&p, &cases[i].f);
		snprintf(name, sizeof(name), "frame %zu interned", i);
		ASSERT_EQ(ids[i], (long)i, name);
	}
	for (i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(ct_frame__intern(&p, &cases[i].f), ids[i], "the same parts, the same frame");
		ASSERT_STREQ(ct_frame__format(&p, ids[i], buf, sizeof(buf)), cases[i].want,
			     cases[i].want);
	}
	ASSERT_EQ(p.nr_frames, CT_ARRAY_SIZE(cases), "one row per distinct frame");
	ASSERT_STREQ(ct_frame__format(&p, ids[0], buf, 8), "worker ", "cut to the buffer");
	ct_profile__free(&p);
}

CT_TEST(render_perfetto_timeline)
{
	size_t len;
	char *with = render(CT_FMT_PERFETTO, true, &len);
	char *without = render(CT_FMT_PERFETTO, false, &len);

	/* synth_profile.c: tid 101 blocked on the lock from +250 ms for 1.5 ms */
	ASSERT_TRUE(strstr(with, "{\"name\":\"lock\",\"cat\":\"blocked\",\"ph\":\"X\",\"pid\":100,"
			   "\"tid\":101,\"ts\":250000,\"dur\":1500}") != NULL,
		    "perfetto: the lock slice as a complete event in microseconds");
	ASSERT_TRUE(strstr(with, "\"ph\":\"C\"") == NULL, "perfetto with a timeline: no counters");
	ASSERT_TRUE(strstr(without, "\"ph\":\"X\"") == NULL, "perfetto without: no slices");
	ASSERT_TRUE(strstr(without, "\"name\":\"work;er<&>\"") != NULL, "perfetto: thread name");
	ASSERT_TRUE(strstr(without, "\"samples\":4") != NULL, "perfetto: dropped samples");
	free(with);
	free(without);
}

/* @s with every run of spaces squeezed to one, into a malloc'd string (column widths aside). */
static char *squeeze(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		abort();
	for (; *s; s++)
		if (*s != ' ' || o == out || o[-1] != ' ')
			*o++ = *s;
	*o = 0;
	return out;
}

/*
 * The text report of the synthetic profile states its figures, each worked out here from
 * synth_profile.c's inputs: threads 100 (0.7 s on CPU, 1.2 s join, 12+3 switches) and 101 (0.9 s
 * on CPU, 0.6 s lock, 0.1 s run queue, 40+9 switches, exited) over 2 s on 2 cores; big_lock
 * waited 10 times for 0.6 s, 90 ms at most, handed by 100 to 101 9 times; 7 of 9 on-CPU samples
 * in TID 100; 20 futex calls taking 0.6 s.
 */
CT_TEST(render_text_content)
{
	static const char *const want[] = {
		"2.000 s on 2 cores, 2 threads in 1 processes, parallelism 0.80\n",
		"on CPU 1.600 45.7%",			/* 1.6 / (1.6 + 0.1 + 0.6 + 0.002 + 1.2) */
		"lock wait 0.600 17.1%",
		"join wait 1.200 34.3%",
		"context switches: 52 voluntary, 12 involuntary",
		" 101* 100 work;er<&> 0.900 0.100 0.600 0.000 0.000 0.000 0.000 40 9\n",
		" 100 100 synth 0.700 0.000 0.000 0.002 1.200 0.000 0.000 12 3\n",
		"big_lock mutex 100 10 0.600 90.000 1\n",
		"handed over by TID 100 to TID 101: 9 times",
		"77.8% TID 100",
		"futex 20 0.600 90.000",
	};
	size_t len, i;
	char *out = render(CT_FMT_TEXT, false, &len), *sq = squeeze(out);

	for (i = 0; i < CT_ARRAY_SIZE(want); i++)
		ASSERT_TRUE(strstr(sq, want[i]) != NULL, want[i]);
	ASSERT_TRUE(strstr(out, "101* ") < strstr(out, " 100      100 "),
		    "threads by CPU time: 101 (0.9 s) before 100 (0.7 s)");
	free(sq);
	free(out);
}

/* The JSON report's figures of the synthetic profile, as above, and the lock named. */
CT_TEST(render_json_content)
{
	static const char *const want[] = {
		"\"duration_s\": 2,", "\"cores\": 2", "\"threads_seen\": 2",
		"\"parallelism\": 0.8", "\"name\": \"big_lock\"", "\"comm\": \"work;er<&>\"",
	};
	size_t len, i;
	char *out = render(CT_FMT_JSON, false, &len);

	for (i = 0; i < CT_ARRAY_SIZE(want); i++)
		ASSERT_TRUE(strstr(out, want[i]) != NULL, want[i]);
	free(out);
}
