// SPDX-License-Identifier: GPL-2.0
/*
 * The field tables of a recording's sections (docs/recording-format.md): each field once, in
 * file order, with its encoding and limits. The writer and the reader (both formats) walk
 * these; CT_FOFF() checks at compile time that each field is as wide as its struct member.
 */
#include <errno.h>
#include <stdint.h>
#include "lab.h"
#include "record.h"
#include "record_io.h"

#define P struct ct_profile

/* PROF after the PIDs and the command (record.c): the trace's scalars. */
static const struct ct_field prof[] = {
	CT_F_BOOL_(P, has_exit_status, "has_exit_status"),
	CT_F_INT_(P, exit_status, "exit_status", INT32_MIN, INT32_MAX),
	CT_F_BOOL_(P, exited_early, "exited_early"),
	CT_F_BOOL_(P, syscalls_enabled, "syscalls_enabled"),
	CT_F_INT_(P, cores, "cores", 0, 1 << 20),
	CT_F_U64_(P, start_ns),
	CT_F_U64_(P, stop_ns),
	CT_F_F64_(P, duration_s),
	CT_F_BOOL_(P, stacks_enabled, "stacks_enabled"),
	CT_F_INT_(P, sample_hz, "sample_hz", 0, INT32_MAX),
	CT_F_BOOL_(P, python, "python"),
	CT_F_BOOL_(P, timeline_enabled, "timeline_enabled"),
};

static const struct ct_field hist[] = { CT_F_U64S_(P, hists, CT_CAUSE_MAX * CT_HIST_SLOTS) };
static const struct ct_field drop[] = { CT_F_U64S_(P, drops, CT_DROP_MAX) };

#define T struct ct_thread_rec
static const struct ct_field thrd[] = {
	CT_F_U32_(T, pid, "pid", UINT32_MAX),
	CT_F_U32_(T, tid, "tid", UINT32_MAX),
	CT_F_CHARS_(T, comm, "comm", CT_COMM_LEN),
	CT_F_U64_(T, on_cpu_ns),
	CT_F_U64_(T, steal_ns),
	CT_F_U64S_(T, wait_ns, CT_CAUSE_MAX),
	CT_F_U64_(T, nvcsw),
	CT_F_U64_(T, nivcsw),
	CT_F_U64_(T, syscalls),
	CT_F_U64_(T, first_ns),
	CT_F_U64_(T, last_ns),
	CT_F_BOOL_(T, exited, "exited"),
	CT_F_INT_(T, exit_code, "exit_code", INT32_MIN, INT32_MAX),
	CT_F_U64_(T, gil_wait_ns),
};

#define R struct ct_proc_rec
static const struct ct_field proc[] = {
	CT_F_U32_(R, pid, "pid", UINT32_MAX),
	CT_F_U32_(R, ppid, "ppid", UINT32_MAX),
	CT_F_CHARS_(R, comm, "comm", CT_COMM_LEN),
};

#define F struct ct_futex_rec
static const struct ct_field futx[] = {
	CT_F_U64_(F, k.uaddr),
	CT_F_U32_(F, k.pid, "pid", UINT32_MAX),
	CT_F_ENUM_(F, k.cause, "cause", CT_CAUSE_MAX),
	CT_F_U64_(F, v.waits),
	CT_F_U64_(F, v.total_ns),
	CT_F_U64_(F, v.max_ns),
};

#define W struct ct_wake_rec
static const struct ct_field wake[] = {
	CT_F_U64_(W, k.uaddr),
	CT_F_U32_(W, k.waker, "waker", UINT32_MAX),
	CT_F_U32_(W, k.wakee, "wakee", UINT32_MAX),
	CT_F_ENUM_(W, k.cause, "cause", CT_CAUSE_MAX),
	CT_F_U32_(W, k.pad, "pad", UINT32_MAX),
	CT_F_U64_(W, v.count),
	CT_F_U64_(W, v.blocked_ns),
};

#define S struct ct_syscall_rec
static const struct ct_field sysc[] = {
	CT_F_U32_(S, k.pid, "pid", UINT32_MAX),
	CT_F_U32_(S, k.nr, "nr", UINT32_MAX),
	CT_F_U64_(S, v.count),
	CT_F_U64_(S, v.total_ns),
	CT_F_U64_(S, v.max_ns),
};

#define FR struct ct_frame_rec
static const struct ct_field fram[] = {
	CT_F_ENUM_(FR, kind, "frame kind", CT_FRAME_KIND_MAX),
	CT_F_NSTR_(FR, module, "frame module"),
	CT_F_NSTR_(FR, symbol, "frame symbol"),
	CT_F_U64_(FR, offset),
	CT_F_NSTR_(FR, file, "frame file"),
	CT_F_U32_(FR, line, "line", UINT32_MAX),
};

/* The parts each kind prints (ct_frame__format()): present, and only those. */
static void check_frame(struct ct_rd *s, const struct ct_profile *p, const void *row)
{
	const struct ct_frame_rec *f = row;
	bool mod = f->kind == CT_FRAME_NATIVE, file = f->kind == CT_FRAME_PYTHON;

	if (!!f->module != mod || !!f->file != file)
		ct_rd_fail(s, -EINVAL, "frame kind %u with%s a module and with%s a file", f->kind,
			   f->module ? "" : "out", f->file ? "" : "out");
	else if (f->kind == CT_FRAME_RAW && !f->symbol)
		ct_rd_fail(s, -EINVAL, "raw frame without its string");
}

/* STAK: these, then u32 nr_frames and that many frame indices (record.c). */
#define ST struct ct_stack_rec
static const struct ct_field stak[] = {
	CT_F_BOOL_(ST, kernel, "kernel"),
	CT_F_BOOL_(ST, truncated, "truncated"),
};

#define SI struct ct_site_rec
static const struct ct_field site[] = {
	CT_F_ENUM_(SI, kind, "site kind", CT_SITE_CPU + 1),
	CT_F_U32_(SI, pid, "pid", UINT32_MAX),
	CT_F_U32_(SI, tid, "tid", UINT32_MAX),
	CT_F_ENUM_(SI, cause, "cause", CT_CAUSE_MAX),
	CT_F_U64_(SI, uaddr),
	CT_F_INT_(SI, ustack, "ustack", -1, INT32_MAX),
	CT_F_INT_(SI, kstack, "kstack", -1, INT32_MAX),
	CT_F_U64_(SI, samples),
	CT_F_U64_(SI, wait_ns),
};

/* A site's stacks are -1 or rows of the stack table. */
static void check_site(struct ct_rd *s, const struct ct_profile *p, const void *row)
{
	const struct ct_site_rec *r = row;
	__s32 max = (__s32)p->nr_stacks - 1;

	if (r->ustack > max)
		ct_rd_fail(s, -EINVAL, "ustack %d out of range (-1..%d)", r->ustack, max);
	else if (r->kstack > max)
		ct_rd_fail(s, -EINVAL, "kstack %d out of range (-1..%d)", r->kstack, max);
}

#define L struct ct_lock_rec
static const struct ct_field lock[] = {
	CT_F_U32_(L, pid, "pid", UINT32_MAX),
	CT_F_U64_(L, uaddr),
	CT_F_NSTR_(L, name, "lock name"),
	CT_F_NSTR_(L, module, "lock module"),
	CT_F_CHARS_(L, kind, "lock kind", 16),
	CT_F_BOOL_(L, is_symbol, "lock is_symbol"),
};

#define SS struct ct_stack_stats
static const struct ct_field stst[] = {
	CT_F_U64_(SS, wait_samples),
	CT_F_U64_(SS, cpu_samples),
	CT_F_U64_(SS, not_sampled),
	CT_F_U64_(SS, open_waits),
	CT_F_U64_(SS, frames),
	CT_F_U64_(SS, unsymbolized),
	CT_F_U64_(SS, truncated),
};

#define SL struct ct_slice
static const struct ct_field slic[] = {
	CT_F_U32_(SL, pid, "pid", UINT32_MAX),
	CT_F_U32_(SL, tid, "tid", UINT32_MAX),
	CT_F_ENUM_(SL, state, "slice state", CT_SL_BLOCKED + 1),
	CT_F_ENUM_(SL, cause, "cause", CT_CAUSE_MAX),
	CT_F_U64_(SL, start_ns),
	CT_F_U64_(SL, end_ns),
};

static void check_slice(struct ct_rd *s, const struct ct_profile *p, const void *row)
{
	const struct ct_slice *sl = row;

	if (sl->end_ns < sl->start_ns)
		ct_rd_fail(s, -EINVAL, "slice ends before it starts");
}

#define C struct ct_lab_cell
static const struct ct_field cell[] = {
	CT_F_INT_(C, model, "model", 0, INT32_MAX),
	CT_F_BOOL_(C, ok, "ok"),
	CT_F_INT_(C, exit_status, "exit_status", INT32_MIN, INT32_MAX),
	CT_F_F64_(C, wall_s),
	CT_F_F64_(C, throughput),
	CT_F_F64_(C, speedup),
	CT_F_U64_(C, tasks),
	CT_F_U64_(C, done),
	CT_F_U64_(C, errors),
	CT_F_U64_(C, ipc_bytes),
	CT_F_U64_(C, net_bytes),
	CT_F_U64_(C, connections),
	CT_F_BOOL_(C, timed_out, "timed_out"),
};

/* A cell's model is one of ct_lab_models. */
static void check_cell(struct ct_rd *s, const struct ct_profile *p, const void *row)
{
	const struct ct_lab_cell *c = row;
	int n = 0;

	while (ct_lab_models[n])
		n++;
	if (c->model >= n)
		ct_rd_fail(s, -EINVAL, "model %d out of range (0..%d)", c->model, n - 1);
}

#define M struct ct_recording
/* Who wrote the recording; the dimensions of its tables must be the reader's own. */
static const struct ct_field meta[] = {
	CT_F_CONST_("comm length", CT_COMM_LEN),
	CT_F_CONST_("causes", CT_CAUSE_MAX),
	CT_F_CONST_("histogram slots", CT_HIST_SLOTS),
	CT_F_CONST_("drop counters", CT_DROP_MAX),
	CT_F_STR_(M, writer, "writer version"),
	CT_F_STR_(M, kernel, "kernel release"),
	CT_F_STR_(M, arch, "architecture"),
	CT_F_U64_(M, created),
};

#define LB struct ct_lab
/* The matrix: what was selected and how it ran; nr_results RSLT sections follow. */
static const struct ct_field lab[] = {
	CT_F_U64_(LB, workloads),
	CT_F_U64_(LB, models),
	CT_F_INT_(LB, workers, "workers", 0, INT32_MAX),
	CT_F_ENUM_(LB, scale, "scale", CT_LAB_NR_SCALES),
	CT_F_INT_(LB, repeat, "repeat", 0, INT32_MAX),
	CT_F_ENUM_(LB, format, "format", CT_LAB_NR_FORMATS),
	CT_F_BOOL_(LB, no_syscalls, "no_syscalls"),
	CT_F_BOOL_(LB, progress, "progress"),
	CT_F_STR_(LB, binary, "binary"),
	CT_F_COUNT_(LB, nr_results, "workload results", 0, CT_LAB_MAX_WL),
	CT_F_F64_(LB, duration_s),
	CT_F_BOOL_(LB, interrupted, "interrupted"),
};

#define RS struct ct_lab_result
/* One workload's verdict; nr_cells CELL sections (each with its profile) follow. */
static const struct ct_field rslt[] = {
	CT_F_ENUM_(RS, workload, "workload", CT_LAB_NR_WORKLOADS),
	CT_F_COUNT_(RS, nr_cells, "cells", 0, CT_LAB_MAX_MODELS),
	CT_F_INT_(RS, winner, "winner", -1, CT_LAB_MAX_MODELS - 1),
	CT_F_INT_(RS, rec_model, "recommended model", CT_LAB_NONE, CT_LAB_NR_MODELS - 1),
	CT_F_COUNT_(RS, nr_reasons, "reasons", 4, CT_DIAG_LINES),
	CT_F_STRS_(RS, reasons, "reason", CT_DIAG_LINES, CT_DIAG_LEN, nr_reasons),
	CT_F_BOOL_(RS, agrees, "agrees"),
};

/* The winner is one of the result's cells. */
static void check_rslt(struct ct_rd *s, const struct ct_profile *p, const void *row)
{
	const struct ct_lab_result *r = row;

	if (r->winner >= r->nr_cells)
		ct_rd_fail(s, -EINVAL, "winner %d out of range (-1..%d)", r->winner,
			   r->nr_cells - 1);
}

const struct ct_section ct_sec_meta = CT_SECTION("META", "meta", M, meta, NULL);
const struct ct_section ct_sec_lab = CT_SECTION("LAB_", "lab", LB, lab, NULL);
const struct ct_section ct_sec_rslt = CT_SECTION("RSLT", "result", RS, rslt, check_rslt);
const struct ct_section ct_sec_prof = CT_SECTION("PROF", "profile", P, prof, NULL);
const struct ct_section ct_sec_hist = CT_SECTION("HIST", "histograms", P, hist, NULL);
const struct ct_section ct_sec_drop = CT_SECTION("DROP", "drops", P, drop, NULL);
const struct ct_section ct_sec_thrd = CT_SECTION("THRD", "threads", T, thrd, NULL);
const struct ct_section ct_sec_proc = CT_SECTION("PROC", "processes", R, proc, NULL);
const struct ct_section ct_sec_futx = CT_SECTION("FUTX", "futexes", F, futx, NULL);
const struct ct_section ct_sec_wake = CT_SECTION("WAKE", "wakeups", W, wake, NULL);
const struct ct_section ct_sec_sysc = CT_SECTION("SYSC", "syscall rows", S, sysc, NULL);
const struct ct_section ct_sec_fram = CT_SECTION("FRAM", "frames", FR, fram, check_frame);
const struct ct_section ct_sec_stak = CT_SECTION("STAK", "stacks", ST, stak, NULL);
const struct ct_section ct_sec_site = CT_SECTION("SITE", "sites", SI, site, check_site);
const struct ct_section ct_sec_lock = CT_SECTION("LOCK", "locks", L, lock, NULL);
const struct ct_section ct_sec_stst = CT_SECTION("STST", "stack stats", SS, stst, NULL);
const struct ct_section ct_sec_slic = CT_SECTION("SLIC", "slices", SL, slic, check_slice);
const struct ct_section ct_sec_cell = CT_SECTION("CELL", "cell", C, cell, check_cell);
