// SPDX-License-Identifier: GPL-2.0
/* Inline SVG chart primitives for the HTML reports: every text goes through HTML escaping. */
#include <string.h>
#include "render_util.h"
#include "svg.h"

void ct_svg_open(FILE *f, const char *id, int w, int h, const char *title)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
		id, w, h, w, h);
	ct_html_puts(f, title);
	fputs("\"><title>", f);
	ct_html_puts(f, title);
	fputs("</title>\n", f);
}

void ct_svg_close(FILE *f)
{
	fputs("</svg>\n", f);
}

void ct_svg_rect(FILE *f, double x, double y, double w, double h, const char *fill,
		 const char *tip)
{
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
		x, y, w > 0 ? w : 0, h > 0 ? h : 0, fill);
	if (tip) {
		fputs("<title>", f);
		ct_html_puts(f, tip);
		fputs("</title>", f);
	}
	fputs("</rect>\n", f);
}

void ct_svg_text(FILE *f, double x, double y, const char *anchor, const char *cls,
		 const char *text)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y, anchor,
		cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	ct_html_puts(f, text);
	fputs("</text>\n", f);
}

void ct_svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *stroke)
{
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
		x1, y1, x2, y2, stroke);
}

double ct_svg_legend(FILE *f, double x, double y, const char *fill, const char *label)
{
	ct_svg_rect(f, x, y - 10, 12, 12, fill, NULL);
	ct_svg_text(f, x + 16, y, "start", "small", label);
	return x + 16 + 7.0 * strlen(label) + 18;
}

void ct_svg_bars(FILE *f, double x, double y, double w, double h, const double *v,
		 const char *const *labels, const char *const *tips, int n, const char *fill)
{
	double max = 0, bw, bh;
	int i, every;

	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	if (n <= 0)
		return;
	bw = w / n;
	every = bw < 28 ? (int)(28 / bw) + 1 : 1;	/* label every k-th bar when they crowd */
	ct_svg_line(f, x, y + h, x + w, y + h, "#888");
	for (i = 0; i < n; i++) {
		bh = max > 0 ? h * v[i] / max : 0;
		ct_svg_rect(f, x + i * bw + 1, y + h - bh, bw - 2, bh, fill, tips[i]);
		if (i % every == 0)
			ct_svg_text(f, x + i * bw + bw / 2, y + h + 14, "middle", "small", labels[i]);
	}
}
