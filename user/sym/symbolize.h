/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User and kernel symbolization: per-process /proc maps snapshots, DWARF-CFI unwinding of copied
 * user stacks, function and data symbols from ELF files, kernel symbols. Not thread-safe: one
 * struct ct_sym per thread.
 */
#ifndef CT_SYMBOLIZE_H
#define CT_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* Caches: per-process maps, per-module ELF/CFI/symbols. */
struct ct_sym;

struct ct_sym *ct_sym__new(void);
void ct_sym__free(struct ct_sym *s);

/*
 * Snapshot @pid's mappings now (first sight, or after exec) and open each mapped file through
 * /proc/PID/map_files/ (so binaries deleted or replaced after start still resolve); later
 * lookups work after the process has exited. Idempotent.
 * @return 0 or -errno (-ESRCH: no such process)
 */
int ct_sym__note_pid(struct ct_sym *s, __u32 pid);

/* @pid exec'd: forget its snapshot; the next use takes a new one. */
void ct_sym__exec(struct ct_sym *s, __u32 pid);

/*
 * Unwind one user stack from registers (x86_64 DWARF order, regs[7] = sp, regs[16] = ip) and
 * @stack_size bytes of the stack copied from sp upwards. pcs[0] is regs ip; every further pc is a
 * return address minus 1 (it names the call site). *@truncated: unwinding stopped before the
 * outermost frame (copy ended, CFI missing, unmapped pc, @max reached).
 * @return number of pcs (>= 1 when regs ip is nonzero), or -errno
 */
int ct_sym__unwind(struct ct_sym *s, __u32 pid, __u32 tid, const __u64 *regs,
		   const void *stack, __u32 stack_size, __u64 *pcs, int max, bool *truncated);

/*
 * Name a code address of @pid into @buf: "function (module+0xoff)" -> 1; "module+0xoff" when
 * the module has no symbol there -> 0; "[unknown] 0x..." outside any module -> -1. module is
 * the file's basename; off is the address as the ELF file sees it (addr2line, nm).
 */
int ct_sym__frame(struct ct_sym *s, __u32 pid, __u64 pc, char *buf, size_t len);

/* A code address taken apart: what ct_sym__frame() prints, as parts. */
struct ct_sym_frame {
	const char *module;		/* the file's basename; NULL outside any module */
	const char *symbol;		/* the function; NULL when none */
	__u64 offset;			/* in module as the ELF file sees it; else the address */
};

/*
 * Name a code address of @pid into @out: 1 with a symbol, 0 module only, -1 outside any module.
 * The strings belong to @s and stay valid until the next call into @s.
 */
int ct_sym__frame_parts(struct ct_sym *s, __u32 pid, __u64 pc, struct ct_sym_frame *out);

/*
 * A data address (lock identity): inside an STT_OBJECT symbol of a mapped object's .data/.bss
 * -> true, @name "big_lock" or "big_lock+0x28", @module the file's basename. false otherwise
 * (heap, stack, anonymous).
 */
bool ct_sym__data(struct ct_sym *s, __u32 pid, __u64 addr, char *name, size_t nlen,
		  char *module, size_t mlen);

/*
 * Kernel address from /proc/kallsyms (read on the first call unless given by
 * ct_sym__set_ksyms): "function [k]" -> 1, "0x... [k]" -> 0.
 */
int ct_sym__kframe(struct ct_sym *s, __u64 addr, char *buf, size_t len);

/* The kernel symbol of @addr, or NULL; owned by @s (as ct_sym__kframe()). */
const char *ct_sym__ksym(struct ct_sym *s, __u64 addr);

struct ct_ksyms;
/* Use kernel symbols @k (read ahead; owned by @s from now, NULL: none). */
void ct_sym__set_ksyms(struct ct_sym *s, struct ct_ksyms *k);

/* @pid runs CPython: its executable is python3.x / python3 or it maps libpython3*. */
bool ct_sym__is_python(struct ct_sym *s, __u32 pid);

/* Build-id (hex, "" if none) and path of the module mapping @pc, for reports; false if none. */
bool ct_sym__module(struct ct_sym *s, __u32 pid, __u64 pc, char *path, size_t plen,
		    char *build_id, size_t blen);

#endif /* CT_SYMBOLIZE_H */
