/* SPDX-License-Identifier: GPL-2.0 */
/* One ELF file as the symbolizer sees it: identity, build-id, loadable segments, sorted symbols. */
#ifndef CT_ELFMOD_H
#define CT_ELFMOD_H

#include <stdbool.h>
#include <stddef.h>
#include <gelf.h>
#include <linux/types.h>

/* The longest build-id kept, as hex with its NUL. */
#define CT_BUILD_ID_HEX		(2 * 64 + 1)
#define CT_ELF_MAX_SYMS		(16u << 20)	/* symbols read per table at most */

struct ct_elfsym {
	__u64 addr;			/* st_value: the address as the file sees it */
	__u64 size;
	const char *name;		/* into the file's string table (valid while it is open) */
};

struct ct_seg {
	__u64 vaddr;
	__u64 memsz;
	__u64 offset;
	__u64 filesz;
	__u32 flags;			/* PF_* */
};

struct ct_elfmod {
	int fd;				/* owned; also what libdw reads CFI from (via dup) */
	Elf *elf;
	__u64 dev, ino, size;		/* identity of the file when opened */
	__s64 mtime_ns;
	char build_id[CT_BUILD_ID_HEX];	/* hex, "" if the file has none */
	__u16 type;			/* ET_EXEC or ET_DYN */
	bool has_symtab;		/* symbols from .symtab, else from .dynsym */
	__u64 lo, hi;			/* extent of the PT_LOAD segments (lo page-aligned) */
	struct ct_seg *segs;
	size_t nsegs;
	struct ct_elfsym *funcs;	/* STT_FUNC/STT_GNU_IFUNC, sorted by addr, one per addr */
	size_t nfuncs;
	struct ct_elfsym *objs;		/* STT_OBJECT in writable sections (.data, .bss) */
	size_t nobjs;
	char *path;			/* where it was first seen, for messages */
};

/*
 * Read the ELF file open on @fd (taken over: closed on error too): segments, build-id, symbols.
 * @path names it in messages. @return 0, -ENOEXEC (not a usable ELF), -ENOMEM or -errno
 */
int ct_elfmod__open(int fd, const char *path, struct ct_elfmod **out);
void ct_elfmod__free(struct ct_elfmod *m);

/* The function containing file address @vaddr, or NULL. */
const struct ct_elfsym *ct_elfmod__func(const struct ct_elfmod *m, __u64 vaddr);
/* The writable data object containing @vaddr, or NULL. */
const struct ct_elfsym *ct_elfmod__obj(const struct ct_elfmod *m, __u64 vaddr);
/* Whether a PT_LOAD segment covers @vaddr. */
bool ct_elfmod__loaded(const struct ct_elfmod *m, __u64 vaddr);
/*
 * The load bias (runtime address minus file address) from one mapping of the file: @start
 * mapped from file offset @pgoff, taken as the first PT_LOAD segment holding that offset.
 * false if none does.
 */
bool ct_elfmod__bias(const struct ct_elfmod *m, __u64 start, __u64 pgoff, __u64 *bias);
/*
 * Whether mapping @start from @pgoff fits load bias @bias. A page of the file can belong to two
 * segments (the end of .rodata and the start of .data share one), so the first candidate
 * ct_elfmod__bias() picks is right only for a file's first mapping; later ones are checked.
 */
bool ct_elfmod__bias_fits(const struct ct_elfmod *m, __u64 start, __u64 pgoff, __u64 bias);

#endif /* CT_ELFMOD_H */
