// SPDX-License-Identifier: GPL-2.0
/*
 * User and kernel symbolization: per-process /proc maps snapshots (files held open through
 * map_files), a module cache shared by all processes (keyed by file identity, then build-id),
 * DWARF-CFI unwinding through unwind.c, and /proc/kallsyms.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "common/ct.h"
#include "elfmod.h"
#include "ksyms.h"
#include "procmaps.h"
#include "symbolize.h"
#include "unwind.h"

#define PROC_BUCKETS	1024
#define VDSO_NAME	"[vdso]"
#define EMPTY_RETRY_NS	(50 * 1000 * 1000ULL)

/* One ELF module mapped into one process. */
struct ct_inst {
	__u64 start, end;		/* bias + the module's PT_LOAD extent (with .bss tails) */
	__u64 bias;
	struct ct_elfmod *mod;		/* owned by the module cache */
	char *path;			/* as /proc/PID/maps named it, " (deleted)" cut off */
	const char *name;		/* basename of path */
};

struct ct_proc {
	struct ct_proc *next;		/* hash chain */
	__u32 pid;
	bool python;
	bool uw_tried;
	__u64 taken_ns;			/* when the snapshot was taken */
	struct ct_inst *insts;		/* sorted by start */
	size_t ninsts;
	struct ct_unwind *uw;		/* made on the first unwind */
};

/* A file that is not a usable ELF (locale archives, fonts, caches): not reopened each time. */
struct ct_badfile {
	__u64 dev, ino, size;
	__s64 mtime_ns;
};

struct ct_sym {
	struct ct_proc *procs[PROC_BUCKETS];
	struct ct_elfmod **mods;
	size_t nmods, capmods;
	struct ct_badfile *bad;
	size_t nbad, capbad;
	int vdso_state;			/* 0 not tried, 1 have vdso, -1 none */
	struct ct_elfmod *vdso;		/* this kernel's vdso image, from our own mapping */
	__u64 vdso_size;
	bool ksyms_read;
	struct ct_ksyms *ksyms;		/* read on the first kernel frame unless set */
};

struct ct_sym *ct_sym__new(void)
{
	return calloc(1, sizeof(struct ct_sym));
}

static void proc_free(struct ct_proc *p)
{
	size_t i;

	ct_unwind__free(p->uw);
	for (i = 0; i < p->ninsts; i++)
		free(p->insts[i].path);
	free(p->insts);
	free(p);
}

void ct_sym__free(struct ct_sym *s)
{
	struct ct_proc *p, *next;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < PROC_BUCKETS; i++) {
		for (p = s->procs[i]; p; p = next) {
			next = p->next;
			proc_free(p);
		}
	}
	for (i = 0; i < s->nmods; i++)
		ct_elfmod__free(s->mods[i]);
	free(s->mods);
	free(s->bad);
	ct_elfmod__free(s->vdso);
	ct_ksyms__free(s->ksyms);
	free(s);
}

static struct ct_proc *proc_find(struct ct_sym *s, __u32 pid)
{
	struct ct_proc *p;

	for (p = s->procs[pid % PROC_BUCKETS]; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* This kernel's vdso is the same image in every 64-bit process: copy ours once into a memfd. */
static void vdso_load(struct ct_sym *s)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	const struct ct_map *m;
	struct ct_maps maps;
	int fd = -1;

	s->vdso_state = -1;
	if (!base || ct_maps__read((__u32)getpid(), &maps) < 0)
		goto out;
	m = ct_maps__find(&maps, base);
	if (!m || strcmp(m->path, VDSO_NAME) || m->start != base)
		goto out;
	fd = memfd_create("ct-vdso", MFD_CLOEXEC);
	if (fd < 0 ||
	    write(fd, (const void *)base, m->end - m->start) != (ssize_t)(m->end - m->start))
		goto out;
	if (ct_elfmod__open(fd, VDSO_NAME, &s->vdso) == 0) {
		s->vdso_size = m->end - m->start;
		s->vdso_state = 1;
	}
	fd = -1;	/* taken over by ct_elfmod__open() */
out:
	if (fd >= 0)
		close(fd);
	ct_maps__free(&maps);
}

/* The file behind mapping @m of @pid: map_files first (deleted files too), then by path. */
static int open_mapped(__u32 pid, const struct ct_map *m)
{
	char path[64 + 4096];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/map_files/%llx-%llx", pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/*
	 * map_files needs CAP_SYS_ADMIN. Without it: the path through the process's root, or for
	 * a deleted file /proc/PID/exe if that is the one (only the executable can be reached).
	 */
	if (!m->deleted)
		snprintf(path, sizeof(path), "/proc/%u/root%s", pid, m->path);
	else
		snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) || st.st_ino != m->inode ||
			major(st.st_dev) != m->dev_major || minor(st.st_dev) != m->dev_minor)) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

static bool is_bad(const struct ct_sym *s, const struct stat *st)
{
	size_t i;

	for (i = 0; i < s->nbad; i++) {
		const struct ct_badfile *b = &s->bad[i];

		if (b->dev == st->st_dev && b->ino == st->st_ino && b->size == (__u64)st->st_size &&
		    b->mtime_ns == st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec)
			return true;
	}
	return false;
}

static void add_bad(struct ct_sym *s, const struct stat *st)
{
	if (s->nbad == s->capbad) {
		size_t cap = s->capbad ? s->capbad * 2 : 16;
		struct ct_badfile *v = realloc(s->bad, cap * sizeof(*v));

		if (!v)
			return;
		s->bad = v;
		s->capbad = cap;
	}
	s->bad[s->nbad++] = (struct ct_badfile){
		.dev = st->st_dev, .ino = st->st_ino, .size = (__u64)st->st_size,
		.mtime_ns = st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec,
	};
}

/*
 * The cached module for the file open on @fd (taken over), reading it on first sight. Files are
 * matched by identity (no ELF parsing), then by build-id and size (a copy of a known file).
 * @return 0, -ENOEXEC (not an ELF we use) or -errno
 */
static int module_get(struct ct_sym *s, int fd, const char *path, struct ct_elfmod **out)
{
	struct ct_elfmod *m;
	struct stat st;
	size_t i;
	int err;

	*out = NULL;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (is_bad(s, &st)) {
		close(fd);
		return -ENOEXEC;
	}
	for (i = 0; i < s->nmods; i++) {
		m = s->mods[i];
		if (m->dev == st.st_dev && m->ino == st.st_ino && m->size == (__u64)st.st_size &&
		    m->mtime_ns == st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec) {
			close(fd);
			*out = m;
			return 0;
		}
	}
	err = ct_elfmod__open(fd, path, &m);
	if (err == -ENOEXEC)
		add_bad(s, &st);
	if (err)
		return err;
	for (i = 0; m->build_id[0] && i < s->nmods; i++) {
		if (!strcmp(s->mods[i]->build_id, m->build_id) && s->mods[i]->size == m->size) {
			ct_elfmod__free(m);
			*out = s->mods[i];
			return 0;
		}
	}
	if (s->nmods == s->capmods) {
		size_t cap = s->capmods ? s->capmods * 2 : 32;
		// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, sizeof(*v) as meant
		struct ct_elfmod **v = realloc(s->mods, cap * sizeof(*v));

		if (!v) {
			ct_elfmod__free(m);
			return -ENOMEM;
		}
		s->mods = v;
		s->capmods = cap;
	}
	s->mods[s->nmods++] = m;
	*out = m;
	return 0;
}

static int inst_add(struct ct_proc *p, size_t *cap, struct ct_elfmod *mod, __u64 bias,
		    const char *path)
{
	struct ct_inst *in;

	if (p->ninsts == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct ct_inst *v = realloc(p->insts, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->insts = v;
		*cap = ncap;
	}
	in = &p->insts[p->ninsts];
	in->path = strdup(path);
	if (!in->path)
		return -ENOMEM;
	in->mod = mod;
	in->bias = bias;
	in->start = bias + mod->lo;
	in->end = bias + mod->hi;
	in->name = ct_basename(in->path);
	p->ninsts++;
	return 0;
}

static int cmp_inst(const void *a, const void *b)
{
	const struct ct_inst *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* python3, python3.11, python3.11d...: the name CPython's executable goes by. */
static bool python_name(const char *name)
{
	if (strncmp(name, "python3", 7))
		return false;
	name += 7;
	if (*name == '.')
		for (name++; *name >= '0' && *name <= '9'; name++)
			;
	return !*name || !strcmp(name, "d") || !strcmp(name, "m") || !strcmp(name, "-dbg");
}

static bool detect_python(__u32 pid, const struct ct_maps *maps)
{
	char path[64], exe[4096];
	ssize_t n;
	size_t i;

	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
			exe[n - 10] = '\0';
		if (python_name(ct_basename(exe)))
			return true;
	}
	for (i = 0; i < maps->n; i++)
		if (!strncmp(ct_basename(maps->v[i].path), "libpython3", 10))
			return true;
	return false;
}

/* Build @p's module instances from @maps: one per run of mappings of a file at one bias. */
static int proc_fill(struct ct_sym *s, struct ct_proc *p, const struct ct_maps *maps)
{
	struct ct_inst *cur = NULL;
	size_t i, cap = 0;
	int err;

	for (i = 0; i < maps->n; i++) {
		const struct ct_map *m = &maps->v[i];
		struct ct_elfmod *mod;
		__u64 bias;
		int fd;

		if (!strcmp(m->path, VDSO_NAME)) {
			if (!s->vdso_state)
				vdso_load(s);
			if (s->vdso && m->end - m->start == s->vdso_size) {
				err = inst_add(p, &cap, s->vdso, m->start - s->vdso->lo, VDSO_NAME);
				if (err)
					return err;
			}
			cur = NULL;
			continue;
		}
		if (!m->inode || m->path[0] != '/')
			continue;
		/* The next segment of the instance being built: same file, same bias. */
		if (cur && !strcmp(cur->path, m->path) &&
		    ct_elfmod__bias_fits(cur->mod, m->start, m->pgoff, cur->bias))
			continue;
		cur = NULL;
		fd = open_mapped(p->pid, m);
		if (fd < 0) {
			ct_dbg("pid %u: cannot open %s: %s", p->pid, m->path, strerror(errno));
			continue;
		}
		err = module_get(s, fd, m->path, &mod);
		if (err == -ENOMEM)
			return err;
		/* !mod too: an -errno of 0 (errno unset by a failed call) must not pass as found */
		if (err || !mod || !ct_elfmod__bias(mod, m->start, m->pgoff, &bias))
			continue;
		err = inst_add(p, &cap, mod, bias, m->path);
		if (err)
			return err;
		cur = &p->insts[p->ninsts - 1];
	}
	if (p->ninsts > 1)
		qsort(p->insts, p->ninsts, sizeof(*p->insts), cmp_inst);
	return 0;
}

int ct_sym__note_pid(struct ct_sym *s, __u32 pid)
{
	struct ct_maps maps;
	struct ct_proc *p;
	int err;

	if (proc_find(s, pid))
		return 0;
	err = ct_maps__read(pid, &maps);
	if (err < 0) {
		ct_dbg("pid %u: read /proc/%u/maps: %s", pid, pid, strerror(-err));
		ct_maps__free(&maps);
		return err;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		ct_maps__free(&maps);
		return -ENOMEM;
	}
	p->pid = pid;
	p->taken_ns = ct_now_ns();
	err = proc_fill(s, p, &maps);
	if (err) {
		ct_maps__free(&maps);
		proc_free(p);
		return err;
	}
	p->python = detect_python(pid, &maps);
	ct_maps__free(&maps);
	p->next = s->procs[pid % PROC_BUCKETS];
	s->procs[pid % PROC_BUCKETS] = p;
	return 0;
}

void ct_sym__exec(struct ct_sym *s, __u32 pid)
{
	struct ct_proc **pp, *p;

	for (pp = &s->procs[pid % PROC_BUCKETS]; (p = *pp); pp = &p->next) {
		if (p->pid == pid) {
			*pp = p->next;
			proc_free(p);
			return;
		}
	}
}

/*
 * The snapshot of @pid, taken now if there is none yet; NULL if the process is gone. One without
 * any module was likely taken in the middle of an exec (the kernel names the new executable
 * before it maps it): it is taken again, at most every EMPTY_RETRY_NS.
 */
static struct ct_proc *proc_get(struct ct_sym *s, __u32 pid)
{
	struct ct_proc *p = proc_find(s, pid);

	if (p && !p->ninsts && ct_now_ns() - p->taken_ns > EMPTY_RETRY_NS) {
		ct_sym__exec(s, pid);
		p = NULL;
	}

	if (!p && ct_sym__note_pid(s, pid) == 0)
		p = proc_find(s, pid);
	return p;
}

/* The module instance of @p whose loaded segments hold @addr, or NULL. */
static const struct ct_inst *inst_find(const struct ct_proc *p, __u64 addr)
{
	size_t lo = 0, hi = p->ninsts;
	const struct ct_inst *in;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->insts[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	in = &p->insts[lo - 1];
	if (addr >= in->end || !ct_elfmod__loaded(in->mod, addr - in->bias))
		return NULL;
	return in;
}

int ct_sym__unwind(struct ct_sym *s, __u32 pid, __u32 tid, const __u64 *regs,
		   const void *stack, __u32 stack_size, __u64 *pcs, int max, bool *truncated)
{
	struct ct_uw_mod *mods;
	struct ct_proc *p;
	size_t i;

	if (!regs || !pcs || max < 1 || !truncated || (!stack && stack_size))
		return -EINVAL;
	*truncated = true;
	p = proc_get(s, pid);
	/*
	 * A pc outside every module: the snapshot predates a mapping (taken while the dynamic
	 * loader was still mapping libraries, or before a dlopen). Take it again, rate-limited.
	 */
	if (p && regs[16] && !inst_find(p, regs[16]) && ct_now_ns() - p->taken_ns > EMPTY_RETRY_NS) {
		ct_sym__exec(s, pid);
		p = proc_get(s, pid);
	}
	if (p && !p->uw && !p->uw_tried) {
		p->uw_tried = true;
		mods = calloc(p->ninsts ? p->ninsts : 1, sizeof(*mods));
		if (!mods)
			return -ENOMEM;
		for (i = 0; i < p->ninsts; i++) {
			mods[i].name = p->insts[i].name;
			mods[i].path = p->insts[i].path;
			mods[i].fd = p->insts[i].mod->fd;
			mods[i].bias = p->insts[i].bias;
		}
		p->uw = ct_unwind__new(pid, mods, p->ninsts);
		free(mods);
	}
	if (!p || !p->uw) {
		pcs[0] = regs[16];
		return 1;
	}
	return ct_unwind__run(p->uw, tid, regs, stack, stack_size, pcs, max, truncated);
}

int ct_sym__frame_parts(struct ct_sym *s, __u32 pid, __u64 pc, struct ct_sym_frame *out)
{
	struct ct_proc *p = proc_get(s, pid);
	const struct ct_elfsym *sym;
	const struct ct_inst *in;

	memset(out, 0, sizeof(*out));
	in = p ? inst_find(p, pc) : NULL;
	if (!in) {
		out->offset = pc;
		return -1;
	}
	out->module = in->name;
	out->offset = pc - in->bias;
	sym = ct_elfmod__func(in->mod, out->offset);
	if (!sym)
		return 0;
	out->symbol = sym->name;
	return 1;
}

int ct_sym__frame(struct ct_sym *s, __u32 pid, __u64 pc, char *buf, size_t len)
{
	struct ct_sym_frame f;
	int ret = ct_sym__frame_parts(s, pid, pc, &f);
	unsigned long long off = f.offset;

	if (ret < 0)
		snprintf(buf, len, "[unknown] 0x%llx", off);
	else if (!ret)
		snprintf(buf, len, "%s+0x%llx", f.module, off);
	else
		snprintf(buf, len, "%s (%s+0x%llx)", f.symbol, f.module, off);
	return ret;
}

bool ct_sym__data(struct ct_sym *s, __u32 pid, __u64 addr, char *name, size_t nlen,
		  char *module, size_t mlen)
{
	struct ct_proc *p = proc_get(s, pid);
	const struct ct_elfsym *sym;
	const struct ct_inst *in;
	__u64 off;

	in = p ? inst_find(p, addr) : NULL;
	if (!in)
		return false;
	off = addr - in->bias;
	sym = ct_elfmod__obj(in->mod, off);
	if (!sym)
		return false;
	if (off == sym->addr)
		snprintf(name, nlen, "%s", sym->name);
	else
		snprintf(name, nlen, "%s+0x%llx", sym->name, (unsigned long long)(off - sym->addr));
	snprintf(module, mlen, "%s", in->name);
	return true;
}

bool ct_sym__is_python(struct ct_sym *s, __u32 pid)
{
	struct ct_proc *p = proc_get(s, pid);

	return p && p->python;
}

bool ct_sym__module(struct ct_sym *s, __u32 pid, __u64 pc, char *path, size_t plen,
		    char *build_id, size_t blen)
{
	struct ct_proc *p = proc_get(s, pid);
	const struct ct_inst *in = p ? inst_find(p, pc) : NULL;

	if (!in)
		return false;
	snprintf(path, plen, "%s", in->path);
	snprintf(build_id, blen, "%s", in->mod->build_id);
	return true;
}

void ct_sym__set_ksyms(struct ct_sym *s, struct ct_ksyms *k)
{
	ct_ksyms__free(s->ksyms);
	s->ksyms = k;
	s->ksyms_read = true;
}

int ct_sym__kframe(struct ct_sym *s, __u64 addr, char *buf, size_t len)
{
	if (!s->ksyms_read)
		ct_sym__set_ksyms(s, ct_ksyms__read());
	return ct_ksyms__name(s->ksyms, addr, buf, len);
}

const char *ct_sym__ksym(struct ct_sym *s, __u64 addr)
{
	if (!s->ksyms_read)
		ct_sym__set_ksyms(s, ct_ksyms__read());
	return ct_ksyms__lookup(s->ksyms, addr);
}
