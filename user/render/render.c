// SPDX-License-Identifier: GPL-2.0
/* The report formats by name, and the one dispatch from a format to its renderer. */
#include <errno.h>
#include "pprof_proto.h"
#include "render.h"

const char *const ct_format_names[] = {
	[CT_FMT_TEXT] = "text", [CT_FMT_JSON] = "json", [CT_FMT_MD] = "md",
	[CT_FMT_HTML] = "html", [CT_FMT_PERFETTO] = "perfetto", [CT_FMT_PPROF] = "pprof",
	[CT_FMT_FOLDED] = "folded", [CT_FMT_RECORD] = "record", NULL,
};

int ct_render(enum ct_format fmt, const struct ct_profile *p, const struct ct_diagnosis *d,
	      FILE *f, const struct ct_render_opts *o)
{
	switch (fmt) {
	case CT_FMT_TEXT:
		ct_render_text(p, d, f, o);
		return 0;
	case CT_FMT_JSON:
		ct_render_json(p, d, f, o);
		return 0;
	case CT_FMT_MD:
		ct_render_md(p, d, f, o);
		return 0;
	case CT_FMT_HTML:
		ct_render_html(p, d, f, o);
		return 0;
	case CT_FMT_PERFETTO:
		ct_render_perfetto(p, d, f, o);
		return 0;
	case CT_FMT_PPROF:
		/* the one binary format; the only renderer that can fail on its own (memory) */
		return ct_pprof__write(p, f);
	case CT_FMT_FOLDED:
		ct_render_folded(p, d, f, o);
		return 0;
	default:
		/* CT_FMT_RECORD: record.h writes recordings */
		return -ENOTSUP;
	}
}
