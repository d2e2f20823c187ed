/* SPDX-License-Identifier: GPL-2.0 */
/* Frames of the profile's stacks: the symbolized frame strings and their parts. */
#ifndef CT_FRAME_H
#define CT_FRAME_H

#include <stdbool.h>

/* A symbolized frame string taken apart (see struct ct_stack_rec for the forms). */
struct ct_frame {
	char func[256];			/* function, or the whole frame when no symbol */
	char module[256];		/* "" when outside any mapping */
	unsigned long long off;		/* offset in module, or the address when no module */
	bool kernel;
};

void ct_frame_parse(const char *frame, struct ct_frame *fr);

#endif
