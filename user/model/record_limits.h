/* SPDX-License-Identifier: GPL-2.0 */
/* The recording's version, header and limits, shared by record.h and the encoder (record_io.h). */
#ifndef CT_RECORD_LIMITS_H
#define CT_RECORD_LIMITS_H

/* docs/recording-format.md describes the file; any change to it bumps the version. */
#define CT_RECORD_MAGIC		"\x89" "CTR\r\n\x1a\n"
#define CT_RECORD_MAGIC_LEN	8
#define CT_RECORD_VERSION	2	/* and 1 is still read */
#define CT_RECORD_HEADER_LEN	24
#define CT_RECORD_STORED	0	/* compression: none (accepted, for tests and fuzzing) */
#define CT_RECORD_ZLIB		1	/* compression: a zlib stream (what conctrace writes) */
#define CT_RECORD_NIL		0xffffffffu	/* the length of a NULL string or list */

/* Limits the reader enforces (the writer refuses to write what the reader would refuse). */
#define CT_RECORD_MAX_FILE	(64u << 20)	/* compressed bytes read from a file */
#define CT_RECORD_MAX_RAW	(256u << 20)	/* bytes after decompression */
#define CT_RECORD_MAX_STR	131072		/* one string (MAX_ARG_STRLEN) */
#define CT_RECORD_MAX_ARGS	(1u << 20)	/* arguments of a launched command */
#define CT_RECORD_MAX_FRAMES	4096		/* frames of one stack */
#define CT_RECORD_MAX_ROWS	(1u << 24)	/* rows of one table */

#endif
