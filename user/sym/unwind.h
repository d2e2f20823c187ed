/* SPDX-License-Identifier: GPL-2.0 */
/* DWARF-CFI unwinding of copied user stacks with libdw: one Dwfl per process snapshot. */
#ifndef CT_UNWIND_H
#define CT_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define CT_UW_NREGS	17	/* x86_64 DWARF registers 0..16 (16: return address = ip) */

/* One ELF file mapped in the process, as ct_unwind__new() reports it to libdw. */
struct ct_uw_mod {
	const char *name;	/* module name (basename) */
	const char *path;	/* file name, for messages and separate debug info */
	int fd;			/* the file; ct_unwind__new() dups it */
	__u64 bias;		/* runtime address minus file address */
};

struct ct_unwind;

/*
 * A Dwfl for process @pid with the @n modules @mods reported once.
 * @return the unwinder, or NULL with errno set (ENOMEM, or ENOEXEC: libdw took no module)
 */
struct ct_unwind *ct_unwind__new(__u32 pid, const struct ct_uw_mod *mods, size_t n);
void ct_unwind__free(struct ct_unwind *u);

/*
 * Unwind thread @tid from @regs (CT_UW_NREGS, DWARF order) and @size bytes of its stack copied
 * from regs[7] upwards. pcs[0] = ip; further pcs are return addresses minus 1. *@truncated is
 * set if unwinding stopped before the outermost frame.
 * @return the number of pcs (>= 1 if ip != 0), or -EINVAL
 */
int ct_unwind__run(struct ct_unwind *u, __u32 tid, const __u64 *regs, const void *stack,
		   __u32 size, __u64 *pcs, int max, bool *truncated);

#endif /* CT_UNWIND_H */
