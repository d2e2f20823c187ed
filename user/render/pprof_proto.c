// SPDX-License-Identifier: GPL-2.0
/* A tiny protocol-buffers writer and the gzip framing pprof wants, with zlib's deflate. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "pprof_proto.h"

void ct_pb__free(struct ct_pb *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

static void put(struct ct_pb *b, const void *data, size_t len)
{
	unsigned char *n;
	size_t cap;

	/* an empty message or packed field may come with data NULL: memcpy() must not see it */
	if (b->err || !len)
		return;
	if (b->len + len > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + len)
			cap *= 2;
		n = realloc(b->buf, cap);
		if (!n) {
			b->err = -ENOMEM;
			return;
		}
		b->buf = n;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

static void varint(struct ct_pb *b, __u64 v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);
		v >>= 7;
	} while (v);
	put(b, tmp, n);
}

void ct_pb_uint(struct ct_pb *b, __u32 field, __u64 v)
{
	varint(b, (__u64)field << 3 | 0);
	varint(b, v);
}

void ct_pb_bytes(struct ct_pb *b, __u32 field, const void *data, size_t len)
{
	varint(b, (__u64)field << 3 | 2);
	varint(b, len);
	put(b, data, len);
}

void ct_pb_string(struct ct_pb *b, __u32 field, const char *s)
{
	ct_pb_bytes(b, field, s, strlen(s));
}

void ct_pb_msg(struct ct_pb *b, __u32 field, struct ct_pb *m)
{
	if (m->err && !b->err)
		b->err = m->err;
	ct_pb_bytes(b, field, m->buf, m->len);
	m->len = 0;
	m->err = 0;
}

void ct_pb_packed(struct ct_pb *b, __u32 field, const __u64 *v, size_t n)
{
	struct ct_pb tmp = {};
	size_t i;

	for (i = 0; i < n; i++)
		varint(&tmp, v[i]);
	ct_pb_msg(b, field, &tmp);
	ct_pb__free(&tmp);
}

int ct_gzip_write(FILE *f, const void *data, size_t len)
{
	unsigned char out[16384];
	z_stream zs = {};
	int ret, err = 0;
	size_t have;

	/* windowBits 15 + 16: a gzip header and trailer instead of zlib's */
	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	zs.next_in = (Bytef *)data;
	zs.avail_in = len;
	do {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		ret = deflate(&zs, Z_FINISH);
		if (ret == Z_STREAM_ERROR) {
			err = -EINVAL;
			break;
		}
		have = sizeof(out) - zs.avail_out;
		if (have && fwrite(out, 1, have, f) != have) {
			err = -EIO;
			break;
		}
	} while (ret != Z_STREAM_END);
	deflateEnd(&zs);
	return err;
}
