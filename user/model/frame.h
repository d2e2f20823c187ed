/* SPDX-License-Identifier: GPL-2.0 */
/* Frames of the profile's stacks: the frame table, interned once, and the one way to print one. */
#ifndef CT_FRAME_H
#define CT_FRAME_H

#include <stddef.h>
#include <linux/types.h>
#include "profile.h"

/* Room for a frame as collect/ has always printed it (longer ones are cut, as they were). */
#define CT_FRAME_LEN	256

/*
 * The frame with the parts of @f (copied) in @p's frame table, added if new.
 * @return its index, or -ENOMEM
 */
long ct_frame__intern(struct ct_profile *p, const struct ct_frame_rec *f);

/*
 * Frame @idx of @p as every report prints it: "symbol (module+0xoff)", "module+0xoff",
 * "[unknown] 0xaddr", "symbol [k]", "0xaddr [k]", "function (file:line)", or a RAW frame's
 * string. @return @buf (cut to @len), or the RAW frame's own string, whatever its length
 */
const char *ct_frame__format(const struct ct_profile *p, __u32 idx, char *buf, size_t len);

/* The record of frame @i of stack @s of @p. */
static inline const struct ct_frame_rec *ct_stack__frame(const struct ct_profile *p,
							 const struct ct_stack_rec *s, __u32 i)
{
	return &p->frames[s->frames[i]];
}

/* Free the strings of @f (not @f itself). */
void ct_frame__clear(struct ct_frame_rec *f);

#endif
