// SPDX-License-Identifier: GPL-2.0
/* floor.bpf.c: empty programs on conctrace's attach points, the cost of merely being attached. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Each program returns at once: what remains is the tracepoint and trampoline cost. */
SEC("tp_btf/sched_switch")
int BPF_PROG(f_switch) { return 0; }

SEC("tp_btf/sched_waking")
int BPF_PROG(f_waking) { return 0; }

SEC("tp_btf/sched_wakeup")
int BPF_PROG(f_wakeup) { return 0; }

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(f_wakeup_new) { return 0; }

SEC("tp_btf/sched_process_fork")
int BPF_PROG(f_fork) { return 0; }

SEC("tp_btf/sched_process_exec")
int BPF_PROG(f_exec) { return 0; }

SEC("tp_btf/sched_process_exit")
int BPF_PROG(f_exit) { return 0; }

SEC("tp_btf/sys_enter")
int BPF_PROG(f_sys_enter) { return 0; }

SEC("tp_btf/sys_exit")
int BPF_PROG(f_sys_exit) { return 0; }
