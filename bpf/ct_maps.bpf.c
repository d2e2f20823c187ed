// SPDX-License-Identifier: GPL-2.0
/* The single definition of the maps and globals every conctrace BPF unit shares. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ct.bpf.h"

struct ct_targets_map targets SEC(".maps");
struct ct_threads_map threads SEC(".maps");
struct ct_futexes_map futexes SEC(".maps");
struct ct_wakes_map wakes SEC(".maps");
struct ct_syscalls_map syscalls SEC(".maps");
struct ct_task_sys_map task_sys SEC(".maps");
struct ct_hists_map hists SEC(".maps");
struct ct_events_map events SEC(".maps");
struct ct_samples_map samples SEC(".maps");
struct ct_timeline_map timeline SEC(".maps");
struct ct_budget_map sample_budget SEC(".maps");

const volatile __s32 targ_nr_futex = -1;
const volatile __s32 targ_nr_futex_waitv = -1;
const volatile __u8 targ_syscall_cause[CT_MAX_SYSCALLS] = {};
const volatile __u8 targ_sys_untimed[CT_MAX_SYSCALLS] = {};
const volatile __u32 targ_wait_rate = 0;
const volatile __u8 targ_timeline = 0;

__u32 enabled;
__u32 targets_gen;
__u64 target_bits[CT_TARGET_BITS / 64];
__u64 start_ns;
__u64 drops[CT_DROP_MAX];
__u64 sample_seq;

char LICENSE[] SEC("license") = "GPL";
