/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny protocol-buffers writer (varints, length-delimited fields) and gzip output, for pprof. */
#ifndef CT_PPROF_PROTO_H
#define CT_PPROF_PROTO_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

/* A growing buffer of encoded fields. An allocation failure sets err and stops writing. */
struct ct_pb {
	unsigned char *buf;
	size_t len, cap;
	int err;			/* 0 or -ENOMEM */
};

void ct_pb__free(struct ct_pb *b);

/* Field @field as a varint (wire type 0). */
void ct_pb_uint(struct ct_pb *b, __u32 field, __u64 v);
/* Field @field as length-delimited bytes (wire type 2): strings, sub-messages, packed arrays. */
void ct_pb_bytes(struct ct_pb *b, __u32 field, const void *data, size_t len);
void ct_pb_string(struct ct_pb *b, __u32 field, const char *s);
/* Sub-message @m as field @field; @m is then emptied for reuse. */
void ct_pb_msg(struct ct_pb *b, __u32 field, struct ct_pb *m);
/* A packed repeated varint field of the @n values @v. */
void ct_pb_packed(struct ct_pb *b, __u32 field, const __u64 *v, size_t n);

/*
 * Write @len bytes gzip-compressed (a gzip header and trailer, as `gzip` writes) to @f.
 * @return 0, or -errno (-EIO on a write error, -ENOMEM)
 */
int ct_gzip_write(FILE *f, const void *data, size_t len);

/*
 * The profile as pprof's profile.proto, gzip-compressed, to @f (the body of ct_render_pprof).
 * @return 0 or -errno
 */
struct ct_profile;
int ct_pprof__write(const struct ct_profile *p, FILE *f);

#endif
