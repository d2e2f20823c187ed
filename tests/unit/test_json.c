// SPDX-License-Identifier: GPL-2.0
/* user/render/json.c: exact output, escaping of every byte, and validation by Python's json module. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render/json.h"
#include "../test.h"

/* A writer on a memory stream; json_text() frees the writer and returns what it wrote. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
	struct ct_json *j;
};

static struct ct_json *json_open(struct capture *c, bool pretty)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	c->j = c->f ? ct_json__new(c->f, pretty) : NULL;
	if (!c->j)
		abort();
	return c->j;
}

static char *json_text(struct capture *c)
{
	ct_json__free(c->j);
	fclose(c->f);
	return c->buf;
}

/*
 * Whether python3 decodes @text as strict UTF-8, parses it as one JSON document (rejecting
 * NaN/Infinity) into v, and the Python expression @check then holds. @check uses no single
 * quotes (it goes through sh).
 */
static bool python_accepts(const char *text, const char *check)
{
	char cmd[4096];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "python3 -c '\n"
		 "import json, sys\n"
		 "def reject(c):\n"
		 "    raise ValueError(c)\n"
		 "text = sys.stdin.buffer.read().decode(\"utf-8\")\n"
		 "v = json.loads(text, parse_constant=reject)\n"
		 "sys.exit(0 if (%s) else 1)\n'", check);
	fflush(stdout);
	p = popen(cmd, "w");
	if (!p)
		return false;
	fputs(text, p);
	return pclose(p) == 0;
}

/* The writer's compact output for the one string @s. */
static char *string_json(const char *s)
{
	struct capture c;

	ct_json_string(json_open(&c, false), s);
	return json_text(&c);
}

static void write_sample(struct ct_json *j)
{
	ct_json_start_object(j);
	ct_json_kv_int(j, "a", 1);
	ct_json_key(j, "b");
	ct_json_start_array(j);
	ct_json_uint(j, 1);
	ct_json_int(j, -2);
	ct_json_start_object(j);
	ct_json_end_object(j);
	ct_json_end_array(j);
	ct_json_key(j, "c");
	ct_json_start_object(j);
	ct_json_key(j, "d");
	ct_json_null(j);
	ct_json_key(j, "e");
	ct_json_start_array(j);
	ct_json_end_array(j);
	ct_json_end_object(j);
	ct_json_kv_bool(j, "f", true);
	ct_json_kv_bool(j, "g", false);
	ct_json_kv_string(j, "h", "x");
	ct_json_kv_double(j, "i", 0.25);
	ct_json_kv_uint(j, "j", 7);
	ct_json_end_object(j);
}

#define SAMPLE_PY "v == {\"a\": 1, \"b\": [1, -2, {}], \"c\": {\"d\": None, \"e\": []}, " \
		  "\"f\": True, \"g\": False, \"h\": \"x\", \"i\": 0.25, \"j\": 7}"

CT_TEST(json_compact_commas_and_nesting)
{
	struct capture c;
	char *out;

	write_sample(json_open(&c, false));
	out = json_text(&c);
	ASSERT_STREQ(out, "{\"a\":1,\"b\":[1,-2,{}],\"c\":{\"d\":null,\"e\":[]},\"f\":true,"
		     "\"g\":false,\"h\":\"x\",\"i\":0.25,\"j\":7}\n", "compact text");
	ASSERT_TRUE(python_accepts(out, SAMPLE_PY), "python parses compact");
	free(out);
}

CT_TEST(json_pretty)
{
	struct capture c;
	char *out;

	write_sample(json_open(&c, true));
	out = json_text(&c);
	ASSERT_STREQ(out,
		     "{\n"
		     "  \"a\": 1,\n"
		     "  \"b\": [\n"
		     "    1,\n"
		     "    -2,\n"
		     "    {}\n"
		     "  ],\n"
		     "  \"c\": {\n"
		     "    \"d\": null,\n"
		     "    \"e\": []\n"
		     "  },\n"
		     "  \"f\": true,\n"
		     "  \"g\": false,\n"
		     "  \"h\": \"x\",\n"
		     "  \"i\": 0.25,\n"
		     "  \"j\": 7\n"
		     "}\n", "pretty text");
	ASSERT_TRUE(python_accepts(out, SAMPLE_PY), "python parses pretty");
	free(out);
}

CT_TEST(json_every_byte)
{
	char in[256], expect[1400], *out, *e;
	int b;

	for (b = 1; b < 256; b++)
		in[b - 1] = (char)b;
	in[255] = 0;
	out = string_json(in);
	/*
	 * Controls escaped (short forms where JSON has them), '"' and '\\' escaped, DEL and every
	 * byte >= 0x80 (in this order none forms UTF-8) as \u00XX.
	 */
	e = expect + sprintf(expect, "%s",
		"\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f"
		"\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016"
		"\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
		" !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\u007f");
	for (b = 0x80; b < 256; b++)
		e += sprintf(e, "\\u%04x", b);
	strcpy(e, "\"\n");
	ASSERT_STREQ(out, expect, "bytes 0x01..0xff");
	ASSERT_TRUE(python_accepts(out, "v == \"\".join(map(chr, range(1, 256)))"),
		    "python decodes bytes 0x01..0xff");
	free(out);
}

CT_TEST(json_utf8)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e", "\"h\xc3\xa9llo \xe2\x82\xac "
		  "\xf0\x9d\x84\x9e\"" },				/* 2, 3, 4 bytes */
		{ "\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf",		/* U+80, U+FFFF, U+10FFFF */
		  "\"\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\"" },
		{ "\xc0\xaf", "\"\\u00c0\\u00af\"" },		/* overlong '/' */
		{ "\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\"" },	/* overlong, 3 bytes */
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" },	/* surrogate U+D800 */
		/* above U+10FFFF */
		{ "\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"" },
		{ "\xf5\x80\x80\x80", "\"\\u00f5\\u0080\\u0080\\u0080\"" },
		{ "\xe2\x82", "\"\\u00e2\\u0082\"" },		/* truncated at the end */
		{ "\xe2\x82" "A", "\"\\u00e2\\u0082A\"" },	/* truncated before ASCII */
		{ "\xf0\x9f\x98", "\"\\u00f0\\u009f\\u0098\"" },
		{ "\x80", "\"\\u0080\"" },			/* lone continuation */
		{ "\xc3\xa9\xff", "\"\xc3\xa9\\u00ff\"" },
	};
	char name[32], *out;
	struct capture all;
	size_t i;

	json_open(&all, false);
	ct_json_start_array(all.j);
	for (i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		snprintf(name, sizeof(name), "utf8 case %zu", i);
		out = string_json(cases[i].in);
		out[strlen(out) - 1] = 0;	/* the final newline */
		ASSERT_STREQ(out, cases[i].out, name);
		free(out);
		ct_json_string(all.j, cases[i].in);
	}
	ct_json_end_array(all.j);
	out = json_text(&all);
	ASSERT_TRUE(python_accepts(out, "v == [\"h\\u00e9llo \\u20ac \\U0001d11e\", "
				   "\"\\x80\\uffff\\U0010ffff\", \"\\xc0\\xaf\", "
				   "\"\\xe0\\x80\\xaf\", "
				   "\"\\xed\\xa0\\x80\", \"\\xf4\\x90\\x80\\x80\", "
				   "\"\\xf5\\x80\\x80\\x80\", \"\\xe2\\x82\", \"\\xe2\\x82A\", "
				   "\"\\xf0\\x9f\\x98\", \"\\x80\", \"\\u00e9\\xff\"]"),
		    "python decodes the UTF-8 cases");
	free(out);
}

CT_TEST(json_numbers)
{
	struct capture c;
	struct ct_json *j;
	char *out;

	j = json_open(&c, false);
	ct_json_start_array(j);
	ct_json_int(j, -9223372036854775807LL - 1);
	ct_json_int(j, 9223372036854775807LL);
	ct_json_uint(j, 18446744073709551615ULL);
	ct_json_double(j, 1.5);
	ct_json_double(j, 0.1);
	ct_json_double(j, 1.0 / 3);
	ct_json_double(j, -0.0);
	ct_json_double(j, 1e300);
	ct_json_double(j, 123456789012.0);
	ct_json_double(j, 5e-324);
	ct_json_double(j, NAN);
	ct_json_double(j, INFINITY);
	ct_json_double(j, -INFINITY);
	ct_json_end_array(j);
	out = json_text(&c);
	ASSERT_STREQ(out, "[-9223372036854775808,9223372036854775807,18446744073709551615,1.5,0.1,"
		     "0.333333333,-0,1e+300,1.23456789e+11,4.94065646e-324,null,null,null]\n",
		     "numbers");
	ASSERT_TRUE(python_accepts(out, "v[:3] == [-2**63, 2**63 - 1, 2**64 - 1] and "
				   "v[3:7] == [1.5, 0.1, 0.333333333, 0] and v[10:] == [None] * 3"),
		    "python reads the numbers");
	free(out);
}

CT_TEST(json_double_ignores_locale)
{
	static const char *const comma_locales[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8", NULL,
	};
	const char *const *l;
	struct capture c;
	char *out;

	for (l = comma_locales; *l; l++) {
		if (setlocale(LC_NUMERIC, *l) && strcmp(localeconv()->decimal_point, "."))
			break;
	}
	if (!*l)
		fprintf(stderr, "json_double_ignores_locale: no comma-decimal locale installed, "
			"checked the C locale only\n");
	ct_json_double(json_open(&c, false), -1234.5);
	out = json_text(&c);
	setlocale(LC_NUMERIC, "C");
	ASSERT_STREQ(out, "-1234.5\n", *l ? *l : "C locale");
	free(out);
}

CT_TEST(json_deep_nesting)
{
	enum { DEPTH = 200, PRETTY_DEPTH = 70 };
	char expect[8 * DEPTH], *out, *e = expect;
	struct capture c;
	struct ct_json *j;
	int i;

	j = json_open(&c, false);
	for (i = 0; i < DEPTH; i++) {
		ct_json_start_array(j);
		ct_json_int(j, i);
		e += sprintf(e, "[%d,", i);
	}
	for (i = 0; i < DEPTH; i++)
		ct_json_end_array(j);
	out = json_text(&c);
	memset(e - 1, ']', DEPTH);		/* over the last ',' */
	strcpy(e - 1 + DEPTH, "\n");
	ASSERT_STREQ(out, expect, "200 levels compact");
	free(out);

	j = json_open(&c, true);
	for (i = 0; i < PRETTY_DEPTH; i++) {
		ct_json_start_object(j);
		ct_json_kv_int(j, "depth", i);
		ct_json_key(j, "next");
	}
	ct_json_null(j);
	for (i = 0; i < PRETTY_DEPTH; i++)
		ct_json_end_object(j);
	out = json_text(&c);
	expect[0] = '\n';
	memset(expect + 1, ' ', 2 * PRETTY_DEPTH);
	strcpy(expect + 1 + 2 * PRETTY_DEPTH, "\"next\": null\n");
	ASSERT_TRUE(strstr(out, expect) != NULL, "innermost member indented 2 spaces a level");
	ASSERT_TRUE(python_accepts(out, "v[\"next\"][\"next\"][\"depth\"] == 2"),
		    "python parses 70 pretty levels");
	free(out);
}

CT_TEST(json_writer_edges)
{
	struct capture c;
	struct ct_json *j;
	char *out;

	errno = 0;
	ASSERT_TRUE(ct_json__new(NULL, false) == NULL, "new(NULL) fails");
	ASSERT_EQ(errno, EINVAL, "new(NULL) errno");
	ct_json__free(NULL);

	json_open(&c, true);
	out = json_text(&c);
	ASSERT_STREQ(out, "", "nothing written, no newline");
	free(out);

	j = json_open(&c, true);
	ct_json_int(j, 1);
	ct_json_start_object(j);
	ct_json_end_object(j);
	ct_json_string(j, NULL);
	out = json_text(&c);
	ASSERT_STREQ(out, "1\n{}\nnull\n", "top-level values one per line");
	free(out);

	j = json_open(&c, false);
	ct_json_start_object(j);
	ct_json_key(j, "dangling");
	ct_json_end_object(j);
	ct_json_end_object(j);			/* unbalanced: ignored */
	out = json_text(&c);
	ASSERT_STREQ(out, "{\"dangling\":null}\n", "key without value becomes null");
	free(out);

	j = json_open(&c, false);
	ct_json_start_object(j);
	ct_json_kv_string(j, "s", NULL);
	ct_json_kv_string(j, "q\"\\", "\"\\/");
	ct_json_end_object(j);
	out = json_text(&c);
	ASSERT_STREQ(out, "{\"s\":null,\"q\\\"\\\\\":\"\\\"\\\\/\"}\n", "keys escaped too");
	ASSERT_TRUE(python_accepts(out, "v == {\"s\": None, \"q\\\"\\\\\": \"\\\"\\\\/\"}"),
		    "python reads escaped keys");
	free(out);
}
