// SPDX-License-Identifier: GPL-2.0
/* bpf/ct_abi.h's shared rules, as both sides run them: futex op classes and the log2 slot. */
#include <limits.h>
#include <stdio.h>
#include <linux/futex.h>
#include <linux/types.h>
#include "ct_abi.h"
#include "../test.h"

/* The prefixed constants are the kernel's own numbers. */
CT_TEST(abi_futex_constants_are_the_kernels)
{
	ASSERT_EQ(CT_FUTEX_WAIT, FUTEX_WAIT, "WAIT");
	ASSERT_EQ(CT_FUTEX_WAKE, FUTEX_WAKE, "WAKE");
	ASSERT_EQ(CT_FUTEX_REQUEUE, FUTEX_REQUEUE, "REQUEUE");
	ASSERT_EQ(CT_FUTEX_CMP_REQUEUE, FUTEX_CMP_REQUEUE, "CMP_REQUEUE");
	ASSERT_EQ(CT_FUTEX_WAKE_OP, FUTEX_WAKE_OP, "WAKE_OP");
	ASSERT_EQ(CT_FUTEX_LOCK_PI, FUTEX_LOCK_PI, "LOCK_PI");
	ASSERT_EQ(CT_FUTEX_UNLOCK_PI, FUTEX_UNLOCK_PI, "UNLOCK_PI");
	ASSERT_EQ(CT_FUTEX_TRYLOCK_PI, FUTEX_TRYLOCK_PI, "TRYLOCK_PI");
	ASSERT_EQ(CT_FUTEX_WAIT_BITSET, FUTEX_WAIT_BITSET, "WAIT_BITSET");
	ASSERT_EQ(CT_FUTEX_WAKE_BITSET, FUTEX_WAKE_BITSET, "WAKE_BITSET");
	ASSERT_EQ(CT_FUTEX_WAIT_REQUEUE_PI, FUTEX_WAIT_REQUEUE_PI, "WAIT_REQUEUE_PI");
	ASSERT_EQ(CT_FUTEX_CMP_REQUEUE_PI, FUTEX_CMP_REQUEUE_PI, "CMP_REQUEUE_PI");
#ifdef FUTEX_LOCK_PI2
	ASSERT_EQ(CT_FUTEX_LOCK_PI2, FUTEX_LOCK_PI2, "LOCK_PI2");
#endif
	ASSERT_EQ(CT_FUTEX_PRIVATE_FLAG, FUTEX_PRIVATE_FLAG, "PRIVATE_FLAG");
	ASSERT_EQ(CT_FUTEX_CLOCK_REALTIME, FUTEX_CLOCK_REALTIME, "CLOCK_REALTIME");
	ASSERT_EQ((unsigned int)CT_FUTEX_CMD_MASK, (unsigned int)FUTEX_CMD_MASK, "CMD_MASK");
}

/* Each op with no flag, PRIVATE, CLOCK_REALTIME and both: the flags never change the cause. */
static void expect(unsigned int op, unsigned int val, int live, unsigned int cause,
		   const char *what)
{
	static const unsigned int flags[] = { 0, FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME,
					      FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME };
	char name[96];
	size_t i;

	for (i = 0; i < CT_ARRAY_SIZE(flags); i++) {
		snprintf(name, sizeof(name), "%s, flags %#x", what, flags[i]);
		ASSERT_EQ(ct_futex_op_cause(op | flags[i], val, live), cause, name);
		/* the TID question is asked exactly where its answer changes the cause */
		ASSERT_EQ(ct_futex_op_asks_tid(op | flags[i], val),
			  ct_futex_op_cause(op | flags[i], val, 1) !=
			  ct_futex_op_cause(op | flags[i], val, 0), name);
	}
}

CT_TEST(abi_futex_op_cause)
{
	/* glibc mutex: FUTEX_WAIT_PRIVATE on a contended word, whatever the value */
	expect(FUTEX_WAIT, 2, 0, CT_CAUSE_LOCK, "WAIT on 2");
	expect(FUTEX_WAIT, 0, 0, CT_CAUSE_LOCK, "WAIT on 0");
	expect(FUTEX_WAIT, 1, 1, CT_CAUSE_LOCK, "WAIT on 1, live: no join below 3");
	expect(FUTEX_WAIT, 12345, 0, CT_CAUSE_LOCK, "WAIT on a value that is no TID");
	/* condvars, semaphores: WAIT_BITSET; Rust std mutex: WAIT_BITSET on 2 */
	expect(FUTEX_WAIT_BITSET, 0, 0, CT_CAUSE_COND, "WAIT_BITSET on 0");
	expect(FUTEX_WAIT_BITSET, 1, 0, CT_CAUSE_COND, "WAIT_BITSET on 1");
	expect(FUTEX_WAIT_BITSET, 2, 0, CT_CAUSE_LOCK, "WAIT_BITSET contended");
	expect(FUTEX_WAIT_BITSET, 2, 1, CT_CAUSE_LOCK, "WAIT_BITSET on 2, live: no join at 2");
	expect(FUTEX_WAIT_BITSET, 3, 0, CT_CAUSE_COND, "WAIT_BITSET on 3, not a live TID");
	expect(FUTEX_WAIT_BITSET, 12345, 0, CT_CAUSE_COND, "WAIT_BITSET on a dead TID");
	/* pthread_join: the joined thread's TID */
	expect(FUTEX_WAIT_BITSET, 12345, 1, CT_CAUSE_JOIN, "WAIT_BITSET on a live TID");
	expect(FUTEX_WAIT, 12345, 1, CT_CAUSE_JOIN, "WAIT on a live TID");
	expect(FUTEX_WAIT, 3, 1, CT_CAUSE_JOIN, "WAIT on live TID 3");
	expect(FUTEX_WAIT, 0xffffffffu, 1, CT_CAUSE_JOIN, "WAIT on the largest value, live");
	/* priority inheritance */
	expect(FUTEX_LOCK_PI, 0, 0, CT_CAUSE_LOCK, "LOCK_PI");
	expect(FUTEX_LOCK_PI, 12345, 1, CT_CAUSE_LOCK, "LOCK_PI ignores the join rule");
	expect(13 /* FUTEX_LOCK_PI2 */, 0, 0, CT_CAUSE_LOCK, "LOCK_PI2");
	expect(FUTEX_WAIT_REQUEUE_PI, 0, 0, CT_CAUSE_COND, "WAIT_REQUEUE_PI");
	expect(FUTEX_WAIT_REQUEUE_PI, 12345, 1, CT_CAUSE_COND, "WAIT_REQUEUE_PI, live value");
	/* the ops that do not wait, and unknown ones */
	expect(FUTEX_WAKE, 1, 0, CT_CAUSE_OTHER, "WAKE");
	expect(FUTEX_REQUEUE, 1, 0, CT_CAUSE_OTHER, "REQUEUE");
	expect(FUTEX_CMP_REQUEUE, 1, 0, CT_CAUSE_OTHER, "CMP_REQUEUE");
	expect(FUTEX_WAKE_OP, 1, 0, CT_CAUSE_OTHER, "WAKE_OP");
	expect(FUTEX_UNLOCK_PI, 0, 0, CT_CAUSE_OTHER, "UNLOCK_PI");
	expect(FUTEX_TRYLOCK_PI, 0, 0, CT_CAUSE_OTHER, "TRYLOCK_PI");
	expect(FUTEX_WAKE_BITSET, 1, 0, CT_CAUSE_OTHER, "WAKE_BITSET");
	expect(FUTEX_CMP_REQUEUE_PI, 1, 0, CT_CAUSE_OTHER, "CMP_REQUEUE_PI");
	expect(14, 2, 1, CT_CAUSE_OTHER, "op 14");
	expect(127, 2, 1, CT_CAUSE_OTHER, "op 127");
	expect(512, 2, 0, CT_CAUSE_OTHER, "a WAIT with an unknown flag bit is no WAIT");
	/* the flags alone are masked, nothing else */
	ASSERT_EQ(ct_futex_op_cause(FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, 0),
		  CT_CAUSE_COND, "glibc condvar op 393");
	ASSERT_EQ(ct_futex_op_cause(FUTEX_WAIT_PRIVATE, 2, 0), CT_CAUSE_LOCK, "glibc mutex op 128");
}

/* floor(log2(v)) from the leading zeros, 0 for 0, clamped: independent of the shifting loop. */
static unsigned int clz_slot(unsigned long long v)
{
	unsigned int s = v ? 63 - __builtin_clzll(v) : 0;

	return s < CT_HIST_SLOTS - 1 ? s : CT_HIST_SLOTS - 1;
}

CT_TEST(abi_log2_slot)
{
	unsigned long long v;
	unsigned int k;
	char name[64];
	int d;

	ASSERT_EQ(CT_HIST_SLOTS, 32, "slots: the recording format stores 32");
	for (k = 0; k < 64; k++) {
		for (d = -1; d <= 1; d++) {
			v = (1ULL << k) + (unsigned long long)d;
			snprintf(name, sizeof(name), "2^%u%+d", k, d);
			ASSERT_EQ(ct_log2_slot(v), clz_slot(v), name);
		}
	}
	ASSERT_EQ(ct_log2_slot(0), 0, "0");
	ASSERT_EQ(ct_log2_slot(1), 0, "1");
	ASSERT_EQ(ct_log2_slot(3), 1, "3");
	ASSERT_EQ(ct_log2_slot((1ULL << (CT_HIST_SLOTS - 1)) - 1), CT_HIST_SLOTS - 2, "below the last");
	ASSERT_EQ(ct_log2_slot(1ULL << (CT_HIST_SLOTS - 1)), CT_HIST_SLOTS - 1, "the last slot");
	ASSERT_EQ(ct_log2_slot(1ULL << 40), CT_HIST_SLOTS - 1, "clamped");
	ASSERT_EQ(ct_log2_slot(ULLONG_MAX), CT_HIST_SLOTS - 1, "ULLONG_MAX clamped");
}
