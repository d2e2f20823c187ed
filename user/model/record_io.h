/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the recording reader and writer (record*.c): the checked read cursor, the write
 * buffer, and the field tables that drive both, so that a field is described once.
 */
#ifndef CT_RECORD_IO_H
#define CT_RECORD_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "profile.h"
#include "record_limits.h"

#define CT_REC_NIL	CT_RECORD_NIL

/* A cursor over part of the payload. All cursors of one parse share the first error. */
struct ct_rd {
	const unsigned char *p;
	size_t left;
	char *msg;			/* where the first failure is said, in one line */
	size_t msg_len;
	int *err;
	char sect[5];			/* the section being read, for messages */
	long item;			/* the row being read, -1 none */
};

/* Little-endian integers at @p. */
__u16 ct_get16(const unsigned char *p);
__u32 ct_get32(const unsigned char *p);
__u64 ct_get64(const unsigned char *p);
void ct_put16(unsigned char *p, __u16 v);
void ct_put32(unsigned char *p, __u32 v);
void ct_put64(unsigned char *p, __u64 v);

void ct_rd_fail(struct ct_rd *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool ct_rd_ok(const struct ct_rd *r);
const unsigned char *ct_rd_take(struct ct_rd *r, size_t n);
__u8 ct_rd_u8(struct ct_rd *r);
__u32 ct_rd_u32(struct ct_rd *r);
__u64 ct_rd_u64(struct ct_rd *r);
__s32 ct_rd_s32(struct ct_rd *r);
/* A signed field that must lie in @lo..@hi. */
__s32 ct_rd_int(struct ct_rd *r, __s32 lo, __s32 hi, const char *what);
bool ct_rd_bool(struct ct_rd *r, const char *what);
/* An enum value below @max. */
__u32 ct_rd_enum(struct ct_rd *r, __u32 max, const char *what);
double ct_rd_dbl(struct ct_rd *r, const char *what);
/* A count @n of items, each at least @min bytes long (so they fit), at most @max. */
__u32 ct_rd_check_count(struct ct_rd *r, __u32 n, size_t min, __u32 max, const char *what);
__u32 ct_rd_count(struct ct_rd *r, size_t min, __u32 max, const char *what);
/* A fixed char[@n] field; it must hold a NUL. */
void ct_rd_fixed(struct ct_rd *r, char *dst, size_t n, const char *what);
/* A string of at most @max bytes, no NUL inside, malloc'd; NULL for NIL when @nullable. */
char *ct_rd_str(struct ct_rd *r, bool nullable, size_t max, const char *what);
/* A string into char[@size]. */
void ct_rd_str_into(struct ct_rd *r, char *dst, size_t size, const char *what);
/* Enter the next section, which must be @tag, as the cursor @s. */
bool ct_rd_sect(struct ct_rd *r, const char *tag, struct ct_rd *s);
/* Leave section @s, which must have been read exactly. */
void ct_rd_sect_end(struct ct_rd *s);

/* The payload being written; the first error sticks. */
struct ct_wbuf {
	unsigned char *p;
	size_t len, cap;
	int err;
};

void ct_w_u8(struct ct_wbuf *b, __u8 v);
void ct_w_u32(struct ct_wbuf *b, __u32 v);
void ct_w_u64(struct ct_wbuf *b, __u64 v);
void ct_w_s32(struct ct_wbuf *b, int v);
void ct_w_dbl(struct ct_wbuf *b, double v);
/* A count of items that the reader bounds by @max. */
void ct_w_count(struct ct_wbuf *b, size_t n, size_t max);
void ct_w_str(struct ct_wbuf *b, const char *s);
void ct_w_fixed(struct ct_wbuf *b, const char *s, size_t n);
/* Start a section: @return where its length goes, for ct_w_end(). */
size_t ct_w_begin(struct ct_wbuf *b, const char *tag);
void ct_w_end(struct ct_wbuf *b, size_t at);

/* How a field is encoded (docs/recording-format.md, "Encoding"). */
enum ct_ftype {
	CT_F_U32,			/* u32 in lo..hi */
	CT_F_S32,			/* s32 in lo..hi */
	CT_F_U64,
	CT_F_BOOL,			/* u8, 0 or 1 */
	CT_F_F64,			/* finite */
	CT_F_CHARS,			/* char[n] holding a NUL */
	CT_F_NSTR,			/* str, or NIL for a NULL char * */
	CT_F_U64S,			/* n u64 */
	CT_F_CONST,			/* u32 that must equal lo (a dimension); not stored */
	CT_F_STR,			/* str into char[n] (shorter than n) */
	CT_F_COUNT,			/* u32 count into an int, 0..hi, each item at least lo bytes */
	CT_F_STRS,			/* as many str as the int at ref says, into char[][n] */
};

/* One field of a row: its encoding, where it lives in the row's struct, its limits. */
struct ct_field {
	const char *name;		/* in messages */
	enum ct_ftype type;
	unsigned int n;			/* CHARS: bytes; U64S: count */
	long off;			/* in the struct; -1: read, checked and dropped (format 1) */
	long long lo, hi;		/* U32, S32: the accepted range */
	long ref;			/* STRS: the offset of the int counting them */
};

/* The offset of member @m of struct @s, which must be @size bytes: the table matches the struct. */
#define CT_FOFF(s, m, size) \
	((long)offsetof(s, m) + 0 * (long)sizeof(char[sizeof(((s *)0)->m) == (size) ? 1 : -1]))

#define CT_F_U32_(s, m, what, max) { what, CT_F_U32, 1, CT_FOFF(s, m, 4), 0, (max), 0 }
#define CT_F_ENUM_(s, m, what, nr) CT_F_U32_(s, m, what, (long long)(nr) - 1)
#define CT_F_INT_(s, m, what, lo, hi) { what, CT_F_S32, 1, CT_FOFF(s, m, 4), (lo), (hi), 0 }
#define CT_F_U64_(s, m) { #m, CT_F_U64, 1, CT_FOFF(s, m, 8), 0, 0, 0 }
#define CT_F_BOOL_(s, m, what) { what, CT_F_BOOL, 1, CT_FOFF(s, m, 1), 0, 1, 0 }
#define CT_F_F64_(s, m) { #m, CT_F_F64, 1, CT_FOFF(s, m, 8), 0, 0, 0 }
#define CT_F_CHARS_(s, m, what, n) { what, CT_F_CHARS, (n), CT_FOFF(s, m, n), 0, 0, 0 }
#define CT_F_NSTR_(s, m, what) { what, CT_F_NSTR, 0, CT_FOFF(s, m, sizeof(char *)), 0, 0, 0 }
#define CT_F_U64S_(s, m, nr) { #m, CT_F_U64S, (nr), CT_FOFF(s, m, 8 * (nr)), 0, 0, 0 }
#define CT_F_CONST_(what, value) { what, CT_F_CONST, 1, -1, (value), (value), 0 }
#define CT_F_STR_(s, m, what) \
	{ what, CT_F_STR, sizeof(((s *)0)->m), (long)offsetof(s, m), 0, 0, 0 }
#define CT_F_COUNT_(s, m, what, min_bytes, max) \
	{ what, CT_F_COUNT, 1, CT_FOFF(s, m, 4), (min_bytes), (max), 0 }
/* @max strings of char[@len] at member @m, counted by int member @count (a COUNT before it). */
#define CT_F_STRS_(s, m, what, max, len, count) \
	{ what, CT_F_STRS, (len), CT_FOFF(s, m, (max) * (len)), 0, (max), \
	  CT_FOFF(s, count, 4) }
/* A format-1 field no longer kept: read and checked, then dropped. */
#define CT_F_DROP_(type, what, lo, hi) { what, type, 1, -1, (lo), (hi), 0 }

/*
 * A section of rows (or of one record) described by its field table. @check, when set, tests
 * what the fields alone cannot (an index into another table, an order) and fails the cursor.
 */
struct ct_section {
	const char *tag;
	const char *rows;		/* the rows' name in messages ("threads") */
	const struct ct_field *fields;
	unsigned int nr_fields;
	size_t size;			/* of the row's struct */
	void (*check)(struct ct_rd *s, const struct ct_profile *p, const void *row);
};

#define CT_SECTION(tag, rows, type, fields, check) \
	{ tag, rows, fields, sizeof(fields) / sizeof((fields)[0]), sizeof(type), check }

/* The sections of a profile (record_fields.c), format 2; format 1 shares all but THRD. */
extern const struct ct_section ct_sec_prof, ct_sec_thrd, ct_sec_proc, ct_sec_futx, ct_sec_wake,
	ct_sec_sysc, ct_sec_hist, ct_sec_drop, ct_sec_fram, ct_sec_stak, ct_sec_site, ct_sec_lock,
	ct_sec_stst, ct_sec_slic, ct_sec_cell;

/* The sections around the profiles: the recording's writer, and a lab's matrix and results. */
extern const struct ct_section ct_sec_meta, ct_sec_lab, ct_sec_rslt;

/* Encoded bytes of a row of @sec, strings counted as their length alone (the least). */
size_t ct_row_bytes(const struct ct_section *sec, bool *fixed);

/* Read / write the fields of one row @row of @sec. */
void ct_row_get(struct ct_rd *s, const struct ct_section *sec, void *row);
void ct_row_put(struct ct_wbuf *b, const struct ct_section *sec, const void *row);

/*
 * Read section @sec as a table: a u32 count then the rows, exactly filling the section.
 * @return the rows (calloc'd, *@nr of them; NULL when none or after a failure)
 */
void *ct_table_get(struct ct_rd *r, const struct ct_section *sec, const struct ct_profile *p,
		   size_t *nr);
void ct_table_put(struct ct_wbuf *b, const struct ct_section *sec, const void *rows, size_t nr);

/* Read / write section @sec as one record, @obj. */
void ct_record_get(struct ct_rd *r, const struct ct_section *sec, void *obj);
void ct_record_put(struct ct_wbuf *b, const struct ct_section *sec, const void *obj);

/* Format 1 (record_v1.c): the sections that differ from format 2. */
void ct_v1_threads(struct ct_rd *r, struct ct_profile *p);
void ct_v1_stacks(struct ct_rd *r, struct ct_profile *p);
void ct_v1_totals(struct ct_rd *r, struct ct_profile *p);

#endif
