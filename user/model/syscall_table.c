// SPDX-License-Identifier: GPL-2.0
/* Syscall names (generated from <asm/unistd.h> at build time) and block-cause classes. */
#include <stdbool.h>
#include <stddef.h>
#include <sys/syscall.h>
#include "common/ct.h"
#include "ct_abi.h"
#include "syscall_table.h"
#include "syscall_names.h"	/* generated: CT_SYSCALL_NAMES initializer */

static const char *const names[] = { CT_SYSCALL_NAMES };

const char *ct_syscall_name(long nr)
{
	if (nr < 0 || (size_t)nr >= CT_ARRAY_SIZE(names))
		return NULL;
	return names[nr];
}

/* Syscalls a thread blocks in, by cause; everything else is CT_CAUSE_OTHER. */
static const struct {
	int nr;
	int cause;
} causes[] = {
	{ SYS_read, CT_CAUSE_IO }, { SYS_write, CT_CAUSE_IO }, { SYS_readv, CT_CAUSE_IO },
	{ SYS_writev, CT_CAUSE_IO }, { SYS_pread64, CT_CAUSE_IO }, { SYS_pwrite64, CT_CAUSE_IO },
	{ SYS_preadv, CT_CAUSE_IO }, { SYS_pwritev, CT_CAUSE_IO }, { SYS_preadv2, CT_CAUSE_IO },
	{ SYS_pwritev2, CT_CAUSE_IO }, { SYS_sendfile, CT_CAUSE_IO }, { SYS_splice, CT_CAUSE_IO },
	{ SYS_tee, CT_CAUSE_IO }, { SYS_vmsplice, CT_CAUSE_IO },
	{ SYS_copy_file_range, CT_CAUSE_IO }, { SYS_connect, CT_CAUSE_IO },
	{ SYS_accept, CT_CAUSE_IO }, { SYS_accept4, CT_CAUSE_IO }, { SYS_sendto, CT_CAUSE_IO },
	{ SYS_recvfrom, CT_CAUSE_IO }, { SYS_sendmsg, CT_CAUSE_IO }, { SYS_recvmsg, CT_CAUSE_IO },
	{ SYS_sendmmsg, CT_CAUSE_IO }, { SYS_recvmmsg, CT_CAUSE_IO }, { SYS_open, CT_CAUSE_IO },
	{ SYS_openat, CT_CAUSE_IO }, { SYS_close, CT_CAUSE_IO }, { SYS_fsync, CT_CAUSE_IO },
	{ SYS_fdatasync, CT_CAUSE_IO }, { SYS_sync_file_range, CT_CAUSE_IO },
	{ SYS_io_getevents, CT_CAUSE_IO }, { SYS_io_uring_enter, CT_CAUSE_IO },
	{ SYS_msgrcv, CT_CAUSE_IO }, { SYS_msgsnd, CT_CAUSE_IO },
	{ SYS_mq_timedreceive, CT_CAUSE_IO }, { SYS_mq_timedsend, CT_CAUSE_IO },
	{ SYS_poll, CT_CAUSE_POLL }, { SYS_ppoll, CT_CAUSE_POLL }, { SYS_select, CT_CAUSE_POLL },
	{ SYS_pselect6, CT_CAUSE_POLL }, { SYS_epoll_wait, CT_CAUSE_POLL },
	{ SYS_epoll_pwait, CT_CAUSE_POLL },
#ifdef SYS_epoll_pwait2
	{ SYS_epoll_pwait2, CT_CAUSE_POLL },
#endif
	{ SYS_nanosleep, CT_CAUSE_SLEEP }, { SYS_clock_nanosleep, CT_CAUSE_SLEEP },
	{ SYS_pause, CT_CAUSE_SLEEP }, { SYS_wait4, CT_CAUSE_JOIN }, { SYS_waitid, CT_CAUSE_JOIN },
	{ SYS_semop, CT_CAUSE_COND }, { SYS_semtimedop, CT_CAUSE_COND },
	{ SYS_rt_sigsuspend, CT_CAUSE_COND }, { SYS_rt_sigtimedwait, CT_CAUSE_COND },
};

int ct_syscall_cause(long nr)
{
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(causes); i++)
		if (causes[i].nr == nr)
			return causes[i].cause;
	if (nr == SYS_futex)
		return CT_CAUSE_COND;
	return CT_CAUSE_OTHER;
}

/*
 * Syscalls that never wait for anything: they read or set the caller's own state and return.
 * Their latency is a fraction of a microsecond of CPU, less than the two clock reads timing them
 * would cost (~90 ns on a VM), so they are counted but not timed. A page fault while one copies
 * to user memory may still block; the scheduler accounts that time (cause "other").
 */
static const int untimed[] = {
	SYS_getpid, SYS_getppid, SYS_gettid, SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid,
	SYS_getresuid, SYS_getresgid, SYS_getpgrp, SYS_getpgid, SYS_getsid, SYS_umask, SYS_uname,
	SYS_time, SYS_gettimeofday, SYS_clock_gettime, SYS_clock_getres, SYS_getcpu,
	SYS_getrlimit, SYS_getrusage, SYS_times, SYS_sysinfo, SYS_getpriority,
	SYS_sched_getscheduler, SYS_sched_getparam, SYS_sched_get_priority_max,
	SYS_sched_get_priority_min, SYS_capget, SYS_rt_sigprocmask, SYS_rt_sigreturn,
	SYS_sigaltstack, SYS_set_tid_address, SYS_set_robust_list, SYS_get_robust_list,
	SYS_arch_prctl, SYS_exit, SYS_exit_group,
};

bool ct_syscall_timed(long nr)
{
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(untimed); i++)
		if (untimed[i] == nr)
			return false;
	return true;
}
