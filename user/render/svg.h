/* SPDX-License-Identifier: GPL-2.0 */
/* Inline SVG chart primitives for the HTML reports: every text goes through HTML escaping. */
#ifndef CT_SVG_H
#define CT_SVG_H

#include <stdio.h>

/* <svg> of @w x @h user units, with an id and an accessible title (escaped). */
void ct_svg_open(FILE *f, const char *id, int w, int h, const char *title);
void ct_svg_close(FILE *f);

/* A filled rectangle with a hover tooltip @tip (escaped; NULL: none). */
void ct_svg_rect(FILE *f, double x, double y, double w, double h, const char *fill,
		 const char *tip);

/* Text at (@x, @y); @anchor "start", "middle" or "end"; @cls a CSS class or NULL. */
void ct_svg_text(FILE *f, double x, double y, const char *anchor, const char *cls,
		 const char *text);

void ct_svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *stroke);

/* A legend entry: a swatch and its label at (@x, @y). @return the x after it */
double ct_svg_legend(FILE *f, double x, double y, const char *fill, const char *label);

/*
 * A vertical bar chart of @n values with labels under the bars (for histograms), in a box
 * @w x @h starting at (@x, @y). Tooltips "@labels[i]: value".
 */
void ct_svg_bars(FILE *f, double x, double y, double w, double h, const double *v,
		 const char *const *labels, const char *const *tips, int n, const char *fill);

#endif
