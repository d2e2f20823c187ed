/* SPDX-License-Identifier: GPL-2.0 */
/* Syscall numbers to names and to the off-CPU cause a thread blocked in them is counted under. */
#ifndef CT_SYSCALL_TABLE_H
#define CT_SYSCALL_TABLE_H

#include <stdbool.h>

/*
 * @nr: syscall number of this architecture
 * @return its name, or NULL when unknown
 */
const char *ct_syscall_name(long nr);

/*
 * @nr: syscall number
 * @return the enum ct_cause a thread blocked in @nr is counted under (CT_CAUSE_OTHER if none)
 */
int ct_syscall_cause(long nr);

/*
 * @nr: syscall number
 * @return false for the syscalls that cannot block (getpid, clock_gettime, exit, ...): counted
 *	    but not timed, their time_s and max_s are 0
 */
bool ct_syscall_timed(long nr);

#endif
