/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/PID/maps: a bounded parser of its text (a pure function, fuzzed) and a reader. */
#ifndef CT_PROCMAPS_H
#define CT_PROCMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define CT_MAPS_MAX_ENTRIES	(1u << 20)	/* vm.max_map_count is 65530 by default */
#define CT_MAPS_MAX_LINE	(4096 + 128)	/* PATH_MAX plus the fixed fields */
#define CT_MAPS_MAX_BYTES	(64u << 20)	/* largest maps text the reader takes */

enum {
	CT_MAP_R	= 1,
	CT_MAP_W	= 2,
	CT_MAP_X	= 4,
	CT_MAP_SHARED	= 8,
};

struct ct_map {
	__u64 start;
	__u64 end;			/* exclusive, > start */
	__u64 pgoff;			/* file offset of start */
	__u64 inode;
	__u32 dev_major;
	__u32 dev_minor;
	__u32 prot;			/* CT_MAP_* */
	bool deleted;			/* the path ended in " (deleted)", now cut off */
	const char *path;		/* "" anonymous, "[heap]", "[vdso]"..., or the file */
};

struct ct_maps {
	struct ct_map *v;		/* sorted by start */
	size_t n;
	size_t bad;			/* malformed or overlong lines skipped */
	char *strs;			/* holds every path */
};

/*
 * Parse @len bytes of /proc/PID/maps text into @out (which the caller frees with
 * ct_maps__free(), also on error). Malformed lines, and entries overlapping an earlier one, are
 * skipped and counted in out->bad; paths keep their spaces; a path's " (deleted)" suffix is cut
 * off and noted.
 * @return the number of entries, -ENOMEM, or -E2BIG past CT_MAPS_MAX_ENTRIES entries
 */
int ct_maps__parse(const char *buf, size_t len, struct ct_maps *out);

/* Read and parse /proc/@pid/maps. @return the number of entries or -errno (-ESRCH: no process) */
int ct_maps__read(__u32 pid, struct ct_maps *out);

void ct_maps__free(struct ct_maps *m);

/* The entry containing @addr, or NULL. */
const struct ct_map *ct_maps__find(const struct ct_maps *m, __u64 addr);

/* The last path component of @path (itself when it has no '/'). */
const char *ct_basename(const char *path);

#endif /* CT_PROCMAPS_H */
