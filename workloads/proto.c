// SPDX-License-Identifier: GPL-2.0
/* The io workloads' wire protocol: a 64-byte request and a 1 KiB reply, both fully checkable. */
#include "wl.h"

#include <errno.h>
#include <string.h>

/*
 * Request: magic, kind, id, then 48 pattern bytes seeded by the id.
 * Reply:   magic, the server's kind, id, delay in us, then pattern bytes seeded by the id.
 * Integers are in host byte order: client and server are this program on one machine.
 */
#define REQ_MAGIC	0x31515443u	/* "CTQ1" */
#define REP_MAGIC	0x31505443u	/* "CTP1" */
#define HDR_LEN		24
#define REQ_SALT	0x5eedull
#define REP_SALT	0xfeedull
#define DELAY_SEED	0xc0ffeeull

struct hdr {
	uint32_t magic;
	uint32_t kind;
	uint64_t id;
	uint32_t delay_us;
	uint32_t pad;
};

_Static_assert(sizeof(struct hdr) == HDR_LEN, "protocol header is 24 bytes");

/* io-slow answers after 50-100 ms, a deterministic function of the request id. */
unsigned int ct_proto_delay_us(enum ct_kind kind, uint64_t id)
{
	if (kind != CT_KIND_SLOW)
		return 0;
	return 50000 + (unsigned int)(ct_mix64(id ^ DELAY_SEED) % 50001);
}

static void put_hdr(unsigned char *buf, uint32_t magic, enum ct_kind kind, uint64_t id)
{
	struct hdr h = { .magic = magic, .kind = kind, .id = id,
			 .delay_us = ct_proto_delay_us(kind, id) };

	memcpy(buf, &h, sizeof(h));
}

void ct_proto_request(unsigned char *req, enum ct_kind kind, uint64_t id)
{
	put_hdr(req, REQ_MAGIC, kind, id);
	ct_fill(req + HDR_LEN, CT_REQ_LEN - HDR_LEN, id ^ REQ_SALT);
}

/* @return 0 and the request's kind and id, or -EPROTO if it is not a well-formed request */
int ct_proto_parse_request(const unsigned char *req, enum ct_kind *kind, uint64_t *id)
{
	unsigned char body[CT_REQ_LEN - HDR_LEN];
	struct hdr h;

	memcpy(&h, req, sizeof(h));
	if (h.magic != REQ_MAGIC)
		return -EPROTO;
	ct_fill(body, sizeof(body), h.id ^ REQ_SALT);
	if (memcmp(body, req + HDR_LEN, sizeof(body)))
		return -EPROTO;
	*kind = h.kind;
	*id = h.id;
	return 0;
}

void ct_proto_reply(unsigned char *rep, enum ct_kind kind, uint64_t id)
{
	put_hdr(rep, REP_MAGIC, kind, id);
	ct_fill(rep + HDR_LEN, CT_REP_LEN - HDR_LEN, id ^ REP_SALT);
}

/* @return NULL if @rep is the right answer to request @id of @kind, else what is wrong */
const char *ct_proto_check_reply(const unsigned char *rep, enum ct_kind kind, uint64_t id)
{
	unsigned char want[CT_REP_LEN];

	ct_proto_reply(want, kind, id);
	if (!memcmp(want, rep, CT_REP_LEN))
		return NULL;
	if (memcmp(want, rep, 4))
		return "reply has a bad magic number";
	if (memcmp(want + 4, rep + 4, 4))
		return kind == CT_KIND_SLOW ? "the server is an io-fast server, not io-slow"
					    : "the server is an io-slow server, not io-fast";
	if (memcmp(want + 8, rep + 8, 8))
		return "reply answers another request";
	return "reply payload is corrupt";
}
