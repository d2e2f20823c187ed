// SPDX-License-Identifier: GPL-2.0
/* Frames of the profile's stacks: a symbolized frame string taken apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "frame.h"

void ct_frame_parse(const char *frame, struct ct_frame *fr)
{
	const char *open, *plus, *end = frame + strlen(frame);
	size_t n;

	memset(fr, 0, sizeof(*fr));
	if (end - frame >= 4 && !strcmp(end - 4, " [k]")) {
		fr->kernel = true;
		n = end - 4 - frame;
		snprintf(fr->func, sizeof(fr->func), "%.*s", (int)n, frame);
		return;
	}
	if (!strncmp(frame, "[unknown] 0x", 12)) {
		snprintf(fr->func, sizeof(fr->func), "%s", frame);
		fr->off = strtoull(frame + 10, NULL, 16);
		return;
	}
	/* "function (module+0xoff)": the last " (" of a frame ending in ")" */
	open = NULL;
	if (end > frame && end[-1] == ')') {
		const char *q;

		for (q = frame; (q = strstr(q, " (")); q++)
			open = q;
	}
	if (open) {
		plus = strstr(open, "+0x");
		n = (plus ? plus : end - 1) - (open + 2);
		snprintf(fr->func, sizeof(fr->func), "%.*s", (int)(open - frame), frame);
		snprintf(fr->module, sizeof(fr->module), "%.*s", (int)n, open + 2);
		fr->off = plus ? strtoull(plus + 1, NULL, 16) : 0;
		return;
	}
	/* "module+0xoff": no symbol there; the frame stands for the function */
	snprintf(fr->func, sizeof(fr->func), "%s", frame);
	plus = strstr(frame, "+0x");
	if (plus) {
		snprintf(fr->module, sizeof(fr->module), "%.*s", (int)(plus - frame), frame);
		fr->off = strtoull(plus + 1, NULL, 16);
	}
}
