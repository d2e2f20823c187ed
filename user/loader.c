// SPDX-License-Identifier: GPL-2.0
/* The BPF skeleton's lifecycle: probe, open, configure, load, attach, enable, stop, destroy. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ct.h"
#include "loader.h"
#include "syscall_table.h"
#include "conctrace.skel.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

struct ct_session {
	struct ct_bpf *skel;
	struct ring_buffer *rb;
	struct ct_profile *prof;
	bool started;
};

/* The features every run needs; each missing one is named in one line, exit 3. */
static int probe_features(void)
{
	if (geteuid() != 0) {
		ct_err("tracing needs root privileges (CAP_BPF and CAP_PERFMON): run with sudo");
		return CT_EXIT_FAIL;
	}
	if (access(VMLINUX_BTF, R_OK)) {
		ct_err("kernel BTF missing (%s): a kernel built with CONFIG_DEBUG_INFO_BTF=y is needed",
		       VMLINUX_BTF);
		return CT_EXIT_UNSUPPORTED;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		ct_err("kernel lacks BPF ring buffers (Linux 5.8 or later needed)");
		return CT_EXIT_UNSUPPORTED;
	}
	return 0;
}

static void set_rodata(struct ct_bpf *skel)
{
	long nr;

	skel->rodata->targ_nr_futex = SYS_futex;
#ifdef SYS_futex_waitv
	skel->rodata->targ_nr_futex_waitv = SYS_futex_waitv;
#endif
	skel->rodata->targ_nr_exit = SYS_exit;
	skel->rodata->targ_nr_exit_group = SYS_exit_group;
	for (nr = 0; nr < CT_MAX_SYSCALLS; nr++)
		skel->rodata->targ_syscall_cause[nr] = ct_syscall_cause(nr);
}

int ct_session__open(struct ct_session **out, const struct ct_session_opts *opts)
{
	struct ct_session *s;
	int err;

	err = probe_features();
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s) {
		ct_err("out of memory");
		return CT_EXIT_FAIL;
	}
	ct_log_setup_libbpf();
	s->skel = ct_bpf__open();
	if (!s->skel) {
		ct_err("open BPF object: %s", ct_strerror(errno));
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	set_rodata(s->skel);
	bpf_program__set_autoload(s->skel->progs.handle_sys_enter, opts->syscalls);
	bpf_program__set_autoload(s->skel->progs.handle_sys_exit, opts->syscalls);
	err = ct_bpf__load(s->skel);
	if (err) {
		ct_err("load BPF programs: %s%s", ct_strerror(err),
		       ct_verbose ? "" : " (run with -v for the verifier log)");
		err = err == -EPERM ? CT_EXIT_FAIL : CT_EXIT_UNSUPPORTED;
		goto cleanup;
	}
	*out = s;
	return 0;
cleanup:
	ct_session__free(s);
	return err;
}

int ct_session__add_target(struct ct_session *s, int pid)
{
	__u32 key = pid;
	__u8 val = CT_TARGET_LIVE;

	if (bpf_map__update_elem(s->skel->maps.targets, &key, sizeof(key), &val, sizeof(val), 0))
		return -errno;
	return 0;
}

int ct_session__start(struct ct_session *s, struct ct_profile *p)
{
	int err;

	s->prof = p;
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), ct_profile__event, p, NULL);
	if (!s->rb) {
		ct_err("create ring buffer: %s", ct_strerror(errno));
		return CT_EXIT_FAIL;
	}
	err = ct_bpf__attach(s->skel);
	if (err) {
		ct_err("attach to scheduler tracepoints (tp_btf): %s", ct_strerror(err));
		return CT_EXIT_UNSUPPORTED;
	}
	p->start_ns = ct_now_ns();
	s->skel->bss->start_ns = p->start_ns;
	__atomic_store_n(&s->skel->bss->enabled, 1, __ATOMIC_RELEASE);
	s->started = true;
	return 0;
}

int ct_session__poll(struct ct_session *s, int timeout_ms)
{
	int n = ring_buffer__poll(s->rb, timeout_ms);

	return n == -EINTR ? 0 : n;
}

int ct_session__stop(struct ct_session *s)
{
	struct ct_profile *p = s->prof;

	if (!s->started)
		return -EINVAL;
	__atomic_store_n(&s->skel->bss->enabled, 0, __ATOMIC_RELEASE);
	p->stop_ns = ct_now_ns();
	p->duration_s = (p->stop_ns - p->start_ns) / 1e9;
	ring_buffer__consume(s->rb);
	memcpy(p->drops, (const void *)s->skel->bss->drops, sizeof(p->drops));
	return ct_profile__collect(p, s->skel);
}

void ct_session__free(struct ct_session *s)
{
	if (!s)
		return;
	ring_buffer__free(s->rb);
	ct_bpf__destroy(s->skel);
	free(s);
}
