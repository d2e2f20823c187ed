// SPDX-License-Identifier: GPL-2.0
/* The BPF skeleton's lifecycle: probe, open, configure, load, attach, enable, stop, destroy. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "common/ct.h"
#include "common/testknob.h"
#include "sym/ksyms.h"
#include "read.h"
#include "session.h"
#include "common/opts.h"
#include "attrib.h"
#include "model/syscall_table.h"
#include "conctrace.skel.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define UPROBE_PMU "/sys/bus/event_source/devices/uprobe/type"

struct ct_features ct_features;

struct ct_session {
	struct ct_bpf *skel;
	struct ring_buffer *rb;
	struct ct_profile *prof;
	struct ct_stacks *stacks;	/* NULL when no stacks are sampled */
	struct ct_ksyms_reader ksyms_reader;	/* kernel symbols, read while the programs load */
	struct ct_ksyms *ksyms;		/* what it read (taken right after the load), until handed
					 * to stacks */
	struct ct_session_opts opts;
	struct bpf_link **cpu_links;	/* on-CPU sampler, one per CPU */
	int nr_cpu_links;
	bool started;
};

/* Two-instruction programs: "return 0", and a call of bpf_task_pt_regs() on the current task. */
static const struct bpf_insn prog_ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};
static const struct bpf_insn prog_pt_regs[] = {
	{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_current_task_btf },
	{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_0 },
	{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_task_pt_regs },
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* Load @insns as a tp_btf program on sched_switch (BTF id @btf_id). @return its fd or -errno */
static int load_tp_btf(const struct bpf_insn *insns, size_t n, int btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_RAW_TP,
		    .attach_btf_id = btf_id);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ct_probe", "GPL", insns, n, &o);

	return fd < 0 ? -errno : fd;
}

/*
 * tp_btf and bpf_task_pt_regs(), tried for real: a program that returns 0 is loaded and
 * attached to tp_btf/sched_switch for an instant, then one calling the helper is loaded.
 * @return 0 or CT_EXIT_UNSUPPORTED after naming what is missing
 */
static int probe_tp_btf(void)
{
	struct btf *btf;
	int id, fd, link;

	btf = btf__load_vmlinux_btf();
	id = btf ? btf__find_by_name_kind(btf, "btf_trace_sched_switch", BTF_KIND_TYPEDEF) : -1;
	btf__free(btf);
	fd = id > 0 && !ct_test_missing("tp_btf") ? load_tp_btf(prog_ret0, 2, id) : -ENOTSUP;
	link = fd >= 0 ? bpf_raw_tracepoint_open(NULL, fd) : fd;
	if (link >= 0)
		close(link);
	if (fd >= 0)
		close(fd);
	if (link < 0) {
		ct_err("kernel lacks BTF-enabled tracepoints (tp_btf on sched_switch: %s); Linux "
		       "5.5 or later with BPF_PROG_TYPE_TRACING is needed", ct_strerror(link));
		return CT_EXIT_UNSUPPORTED;
	}
	fd = !ct_test_missing("task_pt_regs") ? load_tp_btf(prog_pt_regs, 5, id) : -ENOTSUP;
	if (fd < 0) {
		ct_err("kernel lacks the BPF helper bpf_task_pt_regs() (%s): Linux 5.15 or later "
		       "is needed to tell why a thread blocked", ct_strerror(fd));
		return CT_EXIT_UNSUPPORTED;
	}
	close(fd);
	return 0;
}

/* A software cpu-clock perf event on CPU 0: what on-CPU sampling needs. */
static bool probe_perf_events(void)
{
	struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(a),
				     .config = PERF_COUNT_SW_CPU_CLOCK, .sample_freq = 49,
				     .freq = 1, .disabled = 1 };
	int fd;

	if (ct_test_missing("perf"))
		return false;
	fd = syscall(SYS_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * The features every run needs; each missing one is named in one line, exit 3. Optional ones
 * (perf events, uprobes) go into ct_features with a note when missing.
 */
static int probe_features(void)
{
	int err;

	if (geteuid() != 0) {
		ct_err("tracing needs root privileges (CAP_BPF and CAP_PERFMON): run with sudo");
		return CT_EXIT_FAIL;
	}
	if (access(VMLINUX_BTF, R_OK) || ct_test_missing("btf")) {
		ct_err("kernel BTF missing (%s): a kernel built with CONFIG_DEBUG_INFO_BTF=y is needed",
		       VMLINUX_BTF);
		return CT_EXIT_UNSUPPORTED;
	}
	if (ct_test_missing("ringbuf") || libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		ct_err("kernel lacks BPF ring buffers (Linux 5.8 or later needed)");
		return CT_EXIT_UNSUPPORTED;
	}
	err = probe_tp_btf();
	if (err)
		return err;
	ct_features.perf_events = probe_perf_events();
	if (!ct_features.perf_events)
		ct_warn("perf events unavailable (perf_event_open of cpu-clock failed): on-CPU "
			"sampling is off");
	ct_features.uprobes = !ct_test_missing("uprobes") && !access(UPROBE_PMU, R_OK);
	if (!ct_features.uprobes)
		ct_warn("uprobes unavailable (no %s): nothing in this version needs them",
			UPROBE_PMU);
	return 0;
}

/* CONCTRACE_TEST_RINGBUF_BYTES (test-only): a small ring buffer, to make it overrun. */
static int set_test_ringbuf(struct ct_bpf *skel)
{
	const char *v = getenv("CONCTRACE_TEST_RINGBUF_BYTES");
	unsigned long n;
	int err;

	if (!v)
		return 0;
	if (ct_parse_ulong(v, 4096, 1ul << 30, &n) || (n & (n - 1))) {
		ct_err("CONCTRACE_TEST_RINGBUF_BYTES=%s: want a power of 2 from 4096", v);
		return -EINVAL;
	}
	err = bpf_map__set_max_entries(skel->maps.events, n);
	if (err)
		ct_err("set the ring buffer to %lu bytes: %s", n, ct_strerror(err));
	return err;
}

static void set_rodata(struct ct_bpf *skel, const struct ct_session_opts *opts)
{
	long nr;

	skel->rodata->targ_wait_rate = opts->wait_rate;
	skel->rodata->targ_timeline = opts->timeline;
	skel->rodata->targ_nr_futex = SYS_futex;
#ifdef SYS_futex_waitv
	skel->rodata->targ_nr_futex_waitv = SYS_futex_waitv;
#endif
	for (nr = 0; nr < CT_MAX_SYSCALLS; nr++) {
		skel->rodata->targ_syscall_cause[nr] = ct_syscall_cause(nr);
		skel->rodata->targ_sys_untimed[nr] = !ct_syscall_timed(nr);
	}
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
	s->opts = *opts;
	if (!ct_features.perf_events)
		s->opts.sample_hz = 0;	/* no on-CPU samples (noted by the probe); sample_hz 0 says so */
	set_rodata(s->skel, &s->opts);
	if (set_test_ringbuf(s->skel)) {
		err = CT_EXIT_FAIL;
		goto cleanup;
	}
	bpf_program__set_autoload(s->skel->progs.handle_sys_enter, opts->syscalls);
	bpf_program__set_autoload(s->skel->progs.handle_sys_exit, opts->syscalls);
	bpf_program__set_autoload(s->skel->progs.handle_sys_task_exit, opts->syscalls);
	bpf_program__set_autoload(s->skel->progs.flush_syscalls, opts->syscalls);
	bpf_program__set_autoattach(s->skel->progs.flush_syscalls, false);	/* run at stop */
	bpf_program__set_autoload(s->skel->progs.handle_cpu_sample, s->opts.sample_hz > 0);
	/*
	 * Kernel stacks are named from /proc/kallsyms, tens of milliseconds of CPU to read: read
	 * it on the other CPU while the verifier runs here, not at the first sample, in the
	 * target's time.
	 */
	if (s->opts.wait_rate || s->opts.sample_hz)
		ct_ksyms__read_start(&s->ksyms_reader);
	err = ct_bpf__load(s->skel);
	s->ksyms = ct_ksyms__read_take(&s->ksyms_reader);
	if (err) {
		ct_err("load BPF programs: %s%s", ct_strerror(err),
		       ct_verbose ? "" : " (run with -v for the verifier log)");
		err = err == -EPERM ? CT_EXIT_FAIL : CT_EXIT_UNSUPPORTED;
		goto cleanup;
	}
	ct_test_pause("load");
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
	__atomic_or_fetch(&s->skel->bss->target_bits[(key / 64) % (CT_TARGET_BITS / 64)],
			  1ULL << (key % 64), __ATOMIC_RELEASE);
	/* Tasks decided "not traced" before this decide again (syscalls.bpf.c). */
	__atomic_add_fetch(&s->skel->bss->targets_gen, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Fork/exec/exit events: into the profile; an exec also renews the process's mappings. */
static int on_event(void *ctx, void *data, size_t size)
{
	struct ct_session *s = ctx;
	const struct ct_event *e = data;

	if (s->stacks && size >= CT_EVENT_PROC_SIZE && e->type == CT_EV_EXEC)
		ct_stacks__note_pid(s->stacks, e->pid, true);
	return ct_profile__event(s->prof, data, size);
}

/*
 * The on-CPU sampler: a software cpu-clock event at opts.sample_hz on every online CPU, each
 * running handle_cpu_sample. @return 0, or a CT_EXIT_* code after printing why
 */
static int attach_sampler(struct ct_session *s)
{
	int ncpu = libbpf_num_possible_cpus(), cpu, fd;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.freq = 1,
		.sample_freq = s->opts.sample_hz,
	};

	if (ncpu <= 0)
		return CT_EXIT_FAIL;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	s->cpu_links = calloc(ncpu, sizeof(*s->cpu_links));
	if (!s->cpu_links)
		return CT_EXIT_FAIL;
	for (cpu = 0; cpu < ncpu; cpu++) {
		fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			if (errno == ENODEV)
				continue;	/* possible but offline */
			ct_err("on-CPU sampling: perf_event_open on CPU %d: %s (use -F 0 to "
			       "trace without it)", cpu, strerror(errno));
			return CT_EXIT_UNSUPPORTED;
		}
		s->cpu_links[s->nr_cpu_links] =
			bpf_program__attach_perf_event(s->skel->progs.handle_cpu_sample, fd);
		if (!s->cpu_links[s->nr_cpu_links]) {
			ct_err("on-CPU sampling: attach to CPU %d: %s", cpu, ct_strerror(errno));
			close(fd);
			return CT_EXIT_UNSUPPORTED;
		}
		s->nr_cpu_links++;
	}
	return 0;
}

int ct_session__remove_target(struct ct_session *s, int pid)
{
	__u32 key = pid;

	if (bpf_map__delete_elem(s->skel->maps.targets, &key, sizeof(key), 0) && errno != ENOENT)
		return -errno;
	return 0;
}

int ct_session__start(struct ct_session *s, struct ct_profile *p)
{
	int err;

	s->prof = p;
	p->stacks_enabled = s->opts.wait_rate || s->opts.sample_hz;
	p->sample_hz = s->opts.sample_hz;
	p->timeline_enabled = s->opts.timeline;
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_event, s, NULL);
	if (!s->rb) {
		ct_err("create ring buffer: %s", ct_strerror(errno));
		return CT_EXIT_FAIL;
	}
	if (p->stacks_enabled) {
		s->stacks = ct_stacks__new(p);
		if (s->stacks && s->ksyms) {
			ct_stacks__set_ksyms(s->stacks, s->ksyms);
			s->ksyms = NULL;
		}
		if (!s->stacks || ring_buffer__add(s->rb, bpf_map__fd(s->skel->maps.samples),
						   ct_stacks__sample, s->stacks)) {
			ct_err("set up stack sampling: %s", ct_strerror(errno ? errno : ENOMEM));
			return CT_EXIT_FAIL;
		}
	}
	if (p->timeline_enabled &&
	    ring_buffer__add(s->rb, bpf_map__fd(s->skel->maps.timeline), ct_profile__slice, p)) {
		ct_err("set up the timeline ring: %s", ct_strerror(errno));
		return CT_EXIT_FAIL;
	}
	err = ct_bpf__attach(s->skel);
	if (err) {
		ct_err("attach to scheduler tracepoints (tp_btf): %s", ct_strerror(err));
		return CT_EXIT_UNSUPPORTED;
	}
	if (s->opts.sample_hz && (err = attach_sampler(s)))
		return err;
	ct_test_pause("attach");
	p->start_ns = ct_now_ns();
	s->skel->bss->start_ns = p->start_ns;
	__atomic_add_fetch(&s->skel->bss->targets_gen, 1, __ATOMIC_RELEASE);	/* never 0 */
	__atomic_store_n(&s->skel->bss->enabled, 1, __ATOMIC_RELEASE);
	s->started = true;
	return 0;
}

int ct_session__poll(struct ct_session *s, int timeout_ms)
{
	int n = ring_buffer__poll(s->rb, timeout_ms);

	if (n == -EINTR)
		n = 0;
	/* samples and slices are submitted without wakeups: collect them here */
	if (n >= 0 && (s->stacks || s->prof->timeline_enabled))
		n = ring_buffer__consume(s->rb);
	return n;
}

/* The futex waits each CPU left unsampled (the sampling budget is per CPU). */
static __u64 not_sampled(struct ct_session *s)
{
	int i, ncpu = libbpf_num_possible_cpus();
	struct ct_budget *b;
	__u32 zero = 0;
	__u64 n = 0;

	if (ncpu <= 0 || !(b = calloc(ncpu, sizeof(*b))))
		return 0;
	if (!bpf_map__lookup_elem(s->skel->maps.sample_budget, &zero, sizeof(zero), b,
				  ncpu * sizeof(*b), 0))
		for (i = 0; i < ncpu; i++)
			n += b[i].not_sampled;
	free(b);
	return n;
}

/*
 * Run the flush_syscalls iterator over every task: the syscall counts still in task storage join
 * their threads' accounts. @return 0 or -errno
 */
static int flush_syscalls(struct ct_session *s)
{
	struct bpf_link *link;
	char buf[64];
	int fd, n, err = 0;

	link = bpf_program__attach_iter(s->skel->progs.flush_syscalls, NULL);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		err = -errno;
	} else {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n < 0)
			err = -errno;
		close(fd);
	}
	bpf_link__destroy(link);
	return err;
}

int ct_session__stop(struct ct_session *s)
{
	struct ct_profile *p = s->prof;
	int i, err;

	if (!s->started)
		return -EINVAL;
	__atomic_store_n(&s->skel->bss->enabled, 0, __ATOMIC_RELEASE);
	p->stop_ns = ct_now_ns();
	p->duration_s = (p->stop_ns - p->start_ns) / 1e9;
	ring_buffer__consume(s->rb);
	for (i = 0; i < CT_DROP_MAX; i++)	/* user space counts some drops too */
		p->drops[i] += s->skel->bss->drops[i];
	p->st.not_sampled = not_sampled(s);
	if (s->opts.syscalls && (err = flush_syscalls(s)))
		ct_err("per-thread syscall counts: run the flush iterator: %s", ct_strerror(err));
	err = ct_profile__collect(p, s->skel);
	if (!err && s->stacks)
		ct_stacks__finish(s->stacks);
	return err;
}

void ct_session__free(struct ct_session *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->nr_cpu_links; i++)
		bpf_link__destroy(s->cpu_links[i]);
	free(s->cpu_links);
	ring_buffer__free(s->rb);
	ct_stacks__free(s->stacks);
	ct_ksyms__free(s->ksyms);
	ct_bpf__destroy(s->skel);
	free(s);
}
