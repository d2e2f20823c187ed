// SPDX-License-Identifier: GPL-2.0
/* One ELF file as the symbolizer sees it: identity, build-id, loadable segments, sorted symbols. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <elfutils/libdwelf.h>
#include "common/ct.h"
#include "elfmod.h"

#define PAGE_MASK_4K	(~(__u64)0xfff)

/* A symbol being collected: binding, leading underscores and name length pick among aliases. */
struct cand {
	struct ct_elfsym s;
	int rank;
};

struct symvec {
	struct cand *v;
	size_t n, cap;
};

static int push(struct symvec *sv, const struct ct_elfsym *s, int rank)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 256;
		struct cand *v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n].s = *s;
	sv->v[sv->n].rank = rank;
	sv->n++;
	return 0;
}

/* Lower is better: global before weak before local, then fewer leading '_', then shorter. */
static int sym_rank(const GElf_Sym *sym, const char *name)
{
	int bind = GELF_ST_BIND(sym->st_info), r, u = 0;

	r = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
	while (u < 3 && name[u] == '_')
		u++;
	return r << 16 | u << 12 | (int)(strlen(name) < 0xfff ? strlen(name) : 0xfff);
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->s.addr != y->s.addr)
		return x->s.addr < y->s.addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->s.name, y->s.name);
}

/* Sort @sv, keep the best symbol per address, and hand the array over. */
static int finish(struct symvec *sv, struct ct_elfsym **out, size_t *nout)
{
	size_t i, n = 0;
	struct ct_elfsym *v;

	*out = NULL;
	*nout = 0;
	if (!sv->n)
		return 0;
	qsort(sv->v, sv->n, sizeof(*sv->v), cmp_cand);
	v = malloc(sv->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < sv->n; i++) {
		if (n && v[n - 1].addr == sv->v[i].s.addr) {
			/* An alias: keep the preferred name, but the widest size. */
			if (sv->v[i].s.size > v[n - 1].size)
				v[n - 1].size = sv->v[i].s.size;
			continue;
		}
		v[n++] = sv->v[i].s;
	}
	*out = v;
	*nout = n;
	return 0;
}

/* Collect functions and writable data objects from the symbol table @scn. */
static int read_symtab(struct ct_elfmod *m, Elf_Scn *scn, const GElf_Shdr *sh,
		       struct symvec *funcs, struct symvec *objs)
{
	size_t shnum, i, n, symsz = gelf_fsize(m->elf, ELF_T_SYM, 1, EV_CURRENT);
	Elf_Data *data = elf_getdata(scn, NULL);
	int err;

	if (!data || !symsz || elf_getshdrnum(m->elf, &shnum))
		return 0;
	n = data->d_size / symsz;
	if (n > CT_ELF_MAX_SYMS)
		n = CT_ELF_MAX_SYMS;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Shdr tsh;
		const char *name;
		struct ct_elfsym s;
		int type;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT) ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
		    sym.st_shndx >= shnum || !sym.st_value)
			continue;
		name = elf_strptr(m->elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		s.addr = sym.st_value;
		s.size = sym.st_size;
		s.name = name;
		if (type != STT_OBJECT) {
			err = push(funcs, &s, sym_rank(&sym, name));
		} else {
			/* Locks live in .data/.bss: writable, allocated sections, sized objects. */
			if (!s.size || !gelf_getshdr(elf_getscn(m->elf, sym.st_shndx), &tsh) ||
			    (tsh.sh_flags & (SHF_ALLOC | SHF_WRITE)) != (SHF_ALLOC | SHF_WRITE))
				continue;
			err = push(objs, &s, sym_rank(&sym, name));
		}
		if (err)
			return err;
	}
	return 0;
}

static int read_syms(struct ct_elfmod *m)
{
	struct symvec funcs = { 0 }, objs = { 0 };
	Elf_Scn *scn, *symtab = NULL, *dynsym = NULL;
	GElf_Shdr sh, ssh, dsh;
	int err = 0;

	for (scn = elf_nextscn(m->elf, NULL); scn; scn = elf_nextscn(m->elf, scn)) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB && !symtab) {
			symtab = scn;
			ssh = sh;
		} else if (sh.sh_type == SHT_DYNSYM && !dynsym) {
			dynsym = scn;
			dsh = sh;
		}
	}
	if (symtab)
		err = read_symtab(m, symtab, &ssh, &funcs, &objs);
	m->has_symtab = symtab && funcs.n;
	/* Stripped: what the dynamic linker sees is what is left. */
	if (!err && !funcs.n && dynsym) {
		objs.n = 0;
		err = read_symtab(m, dynsym, &dsh, &funcs, &objs);
	}
	if (!err)
		err = finish(&funcs, &m->funcs, &m->nfuncs);
	if (!err)
		err = finish(&objs, &m->objs, &m->nobjs);
	free(funcs.v);
	free(objs.v);
	return err;
}

static int read_segs(struct ct_elfmod *m)
{
	size_t phnum, i;

	if (elf_getphdrnum(m->elf, &phnum) || !phnum || phnum > 4096)
		return -ENOEXEC;
	m->segs = calloc(phnum, sizeof(*m->segs));
	if (!m->segs)
		return -ENOMEM;
	m->lo = ~0ULL;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		struct ct_seg *s;

		if (!gelf_getphdr(m->elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    ph.p_vaddr + ph.p_memsz < ph.p_vaddr || ph.p_offset + ph.p_filesz < ph.p_offset)
			continue;
		s = &m->segs[m->nsegs++];
		s->vaddr = ph.p_vaddr;
		s->memsz = ph.p_memsz;
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
		s->flags = ph.p_flags;
		if ((ph.p_vaddr & PAGE_MASK_4K) < m->lo)
			m->lo = ph.p_vaddr & PAGE_MASK_4K;
		if (ph.p_vaddr + ph.p_memsz > m->hi)
			m->hi = ph.p_vaddr + ph.p_memsz;
	}
	return m->nsegs ? 0 : -ENOEXEC;
}

int ct_elfmod__open(int fd, const char *path, struct ct_elfmod **out)
{
	struct ct_elfmod *m;
	const void *id;
	struct stat st;
	GElf_Ehdr eh;
	ssize_t idlen, i;
	int err;

	*out = NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENOEXEC;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		close(fd);
		return -ENOMEM;
	}
	m->fd = fd;
	m->dev = st.st_dev;
	m->ino = st.st_ino;
	m->size = (__u64)st.st_size;
	m->mtime_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	m->path = strdup(path);
	if (!m->path) {
		err = -ENOMEM;
		goto err;
	}
	elf_version(EV_CURRENT);
	/*
	 * ELF_C_READ, not mmap: sections are read with pread on demand, so a mapped file that is
	 * truncated under us gives read errors, not SIGBUS.
	 */
	m->elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!m->elf || elf_kind(m->elf) != ELF_K_ELF || !gelf_getehdr(m->elf, &eh) ||
	    gelf_getclass(m->elf) != ELFCLASS64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		err = -ENOEXEC;
		goto err;
	}
	m->type = eh.e_type;
	err = read_segs(m);
	if (err)
		goto err;
	idlen = dwelf_elf_gnu_build_id(m->elf, &id);
	if (idlen > 0 && idlen <= (CT_BUILD_ID_HEX - 1) / 2) {
		for (i = 0; i < idlen; i++)
			snprintf(m->build_id + 2 * i, 3, "%02x", ((const unsigned char *)id)[i]);
	}
	err = read_syms(m);
	if (err)
		goto err;
	*out = m;
	return 0;
err:
	ct_dbg("ELF %s: %s", path, err == -ENOEXEC ? "not a usable ELF file" : strerror(-err));
	ct_elfmod__free(m);
	return err;
}

void ct_elfmod__free(struct ct_elfmod *m)
{
	if (!m)
		return;
	free(m->funcs);
	free(m->objs);
	free(m->segs);
	if (m->elf)
		elf_end(m->elf);
	if (m->fd >= 0)
		close(m->fd);
	free(m->path);
	free(m);
}

/* The symbol of @v[0..@n) containing @addr (sizes as given), or NULL. */
static const struct ct_elfsym *lookup(const struct ct_elfsym *v, size_t n, __u64 addr)
{
	size_t lo = 0, hi = n, k;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The nearest start below may be a small symbol nested in a larger one: look back a bit. */
	for (k = 0; k < 8 && lo > k; k++) {
		const struct ct_elfsym *s = &v[lo - 1 - k];

		if (addr - s->addr < s->size || (addr == s->addr && k == 0))
			return s;
	}
	return NULL;
}

const struct ct_elfsym *ct_elfmod__func(const struct ct_elfmod *m, __u64 vaddr)
{
	return lookup(m->funcs, m->nfuncs, vaddr);
}

const struct ct_elfsym *ct_elfmod__obj(const struct ct_elfmod *m, __u64 vaddr)
{
	return lookup(m->objs, m->nobjs, vaddr);
}

bool ct_elfmod__loaded(const struct ct_elfmod *m, __u64 vaddr)
{
	size_t i;

	for (i = 0; i < m->nsegs; i++)
		if (vaddr - m->segs[i].vaddr < m->segs[i].memsz)
			return true;
	return false;
}

/* Whether segment @s can be what a mapping from file offset @pgoff shows. */
static bool seg_holds(const struct ct_seg *s, __u64 pgoff)
{
	return pgoff >= (s->offset & PAGE_MASK_4K) &&
	       (pgoff < s->offset + s->filesz || pgoff == (s->offset & PAGE_MASK_4K));
}

bool ct_elfmod__bias(const struct ct_elfmod *m, __u64 start, __u64 pgoff, __u64 *bias)
{
	size_t i;

	for (i = 0; i < m->nsegs; i++) {
		if (seg_holds(&m->segs[i], pgoff)) {
			*bias = start + m->segs[i].offset - pgoff - m->segs[i].vaddr;
			return true;
		}
	}
	return false;
}

bool ct_elfmod__bias_fits(const struct ct_elfmod *m, __u64 start, __u64 pgoff, __u64 bias)
{
	size_t i;

	for (i = 0; i < m->nsegs; i++)
		if (seg_holds(&m->segs[i], pgoff) &&
		    start + m->segs[i].offset - pgoff - m->segs[i].vaddr == bias)
			return true;
	return false;
}
