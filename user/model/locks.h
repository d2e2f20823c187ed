/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lock table: each futex the target waited on, named, with its waits, the call sites that
 * waited (from sampled stacks) and the threads that handed it over. Built from a finished profile.
 */
#ifndef CT_LOCKS_H
#define CT_LOCKS_H

#include "profile.h"

#define CT_LOCK_SITES	3
#define CT_LOCK_WAKERS	4

struct ct_lock_site {
	__s32 stack;			/* index into p->stacks */
	__u64 samples;
	__u64 wait_ns;
};

struct ct_lock_waker {
	__u32 waker;			/* TID, 0 for interrupts and the idle task */
	__u32 wakee;
	__u64 count;
};

struct ct_lock_row {
	__u32 pid;
	__u64 uaddr;
	__u32 cause;			/* CT_CAUSE_LOCK, _COND or _JOIN */
	const char *kind;		/* mutex rwlock condition semaphore join gil */
	char name[192];			/* the symbol, module+0xoff, or "heap lock at 0x..." */
	bool named;			/* name is a symbol */
	__u64 waits;
	__u64 total_ns;
	__u64 max_ns;
	unsigned int waiters;		/* distinct threads that waited */
	__u64 sampled;			/* waits with a stack */
	struct ct_lock_site sites[CT_LOCK_SITES];	/* most wait first */
	int nr_sites;
	struct ct_lock_waker wakers[CT_LOCK_WAKERS];	/* most hand-overs first */
	int nr_wakers;
};

/*
 * The lock table of @p (after ct_profile__finish()), most total wait first, into a malloc'd
 * *@rows. @return the number of rows, or -ENOMEM
 */
int ct_lock_table(const struct ct_profile *p, struct ct_lock_row **rows);

/* The kind of a lock from its cause when no stack or symbol says more. */
const char *ct_lock_kind_of_cause(__u32 cause);

/*
 * The name of futex @uaddr of @pid, waited on for @cause, into @buf: its symbol, module+0xoff, or
 * "heap lock at 0x...", "heap condition at 0x...", "thread at 0x..." (a join).
 * @return true when the name is a symbol
 */
bool ct_lock_name(const struct ct_profile *p, __u32 pid, __u64 uaddr, __u32 cause, char *buf,
		  size_t len);

/* Its kind: from its waiting stacks or its symbol when known, else from @cause. */
const char *ct_lock_kind(const struct ct_profile *p, __u32 pid, __u64 uaddr, __u32 cause);

/* The record naming (@pid, @uaddr), or NULL. */
const struct ct_lock_rec *ct_lock_find(const struct ct_profile *p, __u32 pid, __u64 uaddr);

#endif
