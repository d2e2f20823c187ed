// SPDX-License-Identifier: GPL-2.0
/*
 * DWARF-CFI unwinding of copied user stacks with libdw: one Dwfl per process snapshot.
 * After perf's tools/perf/util/unwind-libdw.c: offline Dwfl, dwfl_report_elf per module,
 * dwfl_attach_state with callbacks that serve the sample's registers and stack copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>
#include "common/ct.h"
#include "unwind.h"

struct ct_unwind {
	Dwfl *dwfl;
	__u32 pid;
	/* The sample being unwound, for the callbacks. */
	__u32 tid;
	const __u64 *regs;
	const unsigned char *stack;
	__u64 sp;
	__u32 size;
	__u64 *pcs;
	int max;
	int n;
	bool full;
	bool read_failed;		/* a read fell outside the stack copy */
};

/*
 * Separate debug info only from the local build-id tree (Debian's -dbgsym packages), never
 * through debuginfod: dwfl_standard_find_debuginfo() would fetch over the network when
 * DEBUGINFOD_URLS is set, in the middle of a trace. Used only where .eh_frame has no entry.
 */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			  Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	const unsigned char *id;
	GElf_Addr vaddr;
	char path[64 + 2 * 64 + 8];
	int len, i, off, fd;

	len = dwfl_module_build_id(mod, &id, &vaddr);
	if (len < 2 || len > 64)
		return -1;
	off = snprintf(path, sizeof(path), "/usr/lib/debug/.build-id/%02x/", id[0]);
	for (i = 1; i < len; i++)
		off += snprintf(path + off, sizeof(path) - (size_t)off, "%02x", id[i]);
	snprintf(path + off, sizeof(path) - (size_t)off, ".debug");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	*debuginfo_file_name = strdup(path);
	return fd;
}

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct ct_unwind *u = arg;

	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return (pid_t)u->tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct ct_unwind *u = arg;

	if ((__u32)tid != u->tid)
		return false;
	*thread_argp = u;
	return true;
}

/* Words of the stack copy only: whatever lies outside it is unknown, so unwinding stops. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct ct_unwind *u = arg;
	__u64 off = addr - u->sp;

	if (addr < u->sp || u->size < sizeof(*result) || off > u->size - sizeof(*result)) {
		u->read_failed = true;
		return false;
	}
	memcpy(result, u->stack + off, sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct ct_unwind *u = arg;
	Dwarf_Word regs[CT_UW_NREGS];
	int i;

	for (i = 0; i < CT_UW_NREGS; i++)
		regs[i] = u->regs[i];
	if (!dwfl_thread_state_registers(thread, 0, CT_UW_NREGS, regs))
		return false;
	dwfl_thread_state_register_pc(thread, regs[16]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

struct ct_unwind *ct_unwind__new(__u32 pid, const struct ct_uw_mod *mods, size_t n)
{
	struct ct_unwind *u = calloc(1, sizeof(*u));
	size_t i, reported = 0;

	if (!u)
		return NULL;
	u->pid = pid;
	u->dwfl = dwfl_begin(&offline_callbacks);
	if (!u->dwfl) {
		free(u);
		errno = ENOMEM;
		return NULL;
	}
	dwfl_report_begin(u->dwfl);
	for (i = 0; i < n; i++) {
		int fd = fcntl(mods[i].fd, F_DUPFD_CLOEXEC, 0);

		if (fd < 0)
			continue;
		/* add_p_vaddr: base is the bias; libdw keeps and closes fd on success only. */
		if (!dwfl_report_elf(u->dwfl, mods[i].name, mods[i].path, fd, mods[i].bias, true)) {
			ct_dbg("unwind %u: libdw refused %s: %s", pid, mods[i].path,
			       dwfl_errmsg(-1));
			close(fd);
			continue;
		}
		reported++;
	}
	dwfl_report_end(u->dwfl, NULL, NULL);
	/* A NULL Elf: libdw takes the architecture from the modules just reported. */
	if (!reported || !dwfl_attach_state(u->dwfl, NULL, (pid_t)pid, &thread_callbacks, u)) {
		ct_dbg("unwind %u: no usable module (%s)", pid, dwfl_errmsg(-1));
		dwfl_end(u->dwfl);
		free(u);
		errno = ENOEXEC;
		return NULL;
	}
	return u;
}

void ct_unwind__free(struct ct_unwind *u)
{
	if (!u)
		return;
	dwfl_end(u->dwfl);
	free(u);
}

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct ct_unwind *u = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	if (u->n >= u->max) {
		u->full = true;
		return DWARF_CB_ABORT;
	}
	/* A return address names the instruction after the call; -1 lands inside the call. */
	u->pcs[u->n++] = activation ? pc : pc - 1;
	return DWARF_CB_OK;
}

int ct_unwind__run(struct ct_unwind *u, __u32 tid, const __u64 *regs, const void *stack,
		   __u32 size, __u64 *pcs, int max, bool *truncated)
{
	int ret;

	*truncated = true;
	if (max < 1 || !regs || (!stack && size))
		return -EINVAL;
	u->tid = tid;
	u->regs = regs;
	u->stack = stack;
	u->sp = regs[7];
	u->size = size;
	u->pcs = pcs;
	u->max = max;
	u->n = 0;
	u->full = false;
	u->read_failed = false;
	ret = dwfl_getthread_frames(u->dwfl, (pid_t)tid, frame_cb, u);
	if (!u->n) {
		pcs[0] = regs[16];
		return 1;
	}
	/*
	 * 0: no further frame; -1: CFI or module missing. libdw also ends the walk quietly when a
	 * return address cannot be read, as if the CFI had marked the outermost frame (and it reads
	 * a frame ahead). A frame's saved registers lie below its return address, so any read past
	 * the copy means the walk was cut, not finished.
	 */
	*truncated = ret != 0 || u->full || u->read_failed;
	return u->n;
}
