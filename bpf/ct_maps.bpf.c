// SPDX-License-Identifier: GPL-2.0
/* The single definition of the maps and globals every conctrace BPF unit shares. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "ct.bpf.h"

struct ct_targets_map targets SEC(".maps");
struct ct_threads_map threads SEC(".maps");
struct ct_futexes_map futexes SEC(".maps");
struct ct_wakes_map wakes SEC(".maps");
struct ct_syscalls_map syscalls SEC(".maps");
struct ct_hists_map hists SEC(".maps");
struct ct_events_map events SEC(".maps");

const volatile __s32 targ_nr_futex = -1;
const volatile __s32 targ_nr_futex_waitv = -1;
const volatile __s32 targ_nr_exit = -1;
const volatile __s32 targ_nr_exit_group = -1;
const volatile __u8 targ_syscall_cause[CT_MAX_SYSCALLS] = {};

__u32 enabled;
__u64 start_ns;
__u64 drops[CT_DROP_MAX];

char LICENSE[] SEC("license") = "GPL";
