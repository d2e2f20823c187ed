// SPDX-License-Identifier: GPL-2.0
/*
 * The CPython layout table (user/sym/pylayout.c) against the interpreters' own debug info: for
 * every pyenv-built libpython 3.8 to 3.13 on the machine, tools/python-layouts.py reads the
 * offsets from its DWARF and each table field must equal them; on 3.13 also the _Py_DebugOffsets
 * the interpreter publishes. Debian's stripped /usr/bin/python3.11 must export _PyRuntime and
 * Py_Version, name the table's code object offsets in PyCode_Type's member list, and have a
 * _PyRuntime image equal to the pyenv 3.11's word for word (docs/python-frames.md).
 * Interpreters that are not installed are skipped with a message.
 */
#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/types.h>
#include "sym/pylayout.h"
#include "../test.h"

#define LAYOUT_TOOL	"tools/python-layouts.py"
#define WALK_TOOL	"tools/python-frame-walk.py"
#define WALK_TARGET	"tests/fixtures/py_frames_target.py"
#define DEBIAN_PY311	"/usr/bin/python3.11"

/*
 * The public type ABI (Include/cpython/object.h, Include/structmember.h) used to read
 * PyCode_Type's member table from a stripped binary; pylayout_vs_dwarf checks it in each DWARF.
 */
#define TYPE_TP_MEMBERS		240	/* offsetof(PyTypeObject, tp_members) */
#define MEMBERDEF_SIZE		40	/* sizeof(PyMemberDef) */
#define MEMBERDEF_OFFSET	16	/* offsetof(PyMemberDef, offset); .name is at 0 */

#define FIELD(name) { #name, offsetof(struct ct_py_layout, name) }

/* Every table field the DWARF decides, by its JSON key (the field's name). */
static const struct {
	const char *key;
	size_t off;
} fields[] = {
	FIELD(runtime_size), FIELD(runtime_interpreters_head), FIELD(runtime_interpreters_main),
	FIELD(runtime_tstate_current), FIELD(runtime_autotss_key),
	FIELD(interp_next), FIELD(interp_tstate_head),
	FIELD(tstate_size), FIELD(tstate_next), FIELD(tstate_interp), FIELD(tstate_thread_id),
	FIELD(tstate_native_thread_id), FIELD(tstate_frame), FIELD(tstate_cframe),
	FIELD(tstate_current_frame), FIELD(cframe_current_frame),
	FIELD(frame_back), FIELD(frame_code), FIELD(frame_lasti), FIELD(frame_lineno),
	FIELD(iframe_code), FIELD(iframe_previous), FIELD(iframe_instr), FIELD(iframe_owner),
	FIELD(iframe_owner_cstack),
	FIELD(code_filename), FIELD(code_name), FIELD(code_qualname), FIELD(code_firstlineno),
	FIELD(code_linetable), FIELD(code_code_adaptive),
	FIELD(bytes_size), FIELD(bytes_sval),
	FIELD(unicode_length), FIELD(unicode_state), FIELD(unicode_ascii_size),
	FIELD(unicode_kind_shift), FIELD(unicode_compact_bit), FIELD(unicode_ascii_bit),
};

/* Top-level keys of the tool's output that are not table fields. */
static const char *const extra_keys[] = {
	"file", "major", "minor", "py_version_hex", "debug_offsets", "debug_offsets_offset",
	"abi_type_tp_members", "abi_memberdef_offset", "abi_memberdef_size",
};

static int field(const struct ct_py_layout *l, size_t off)
{
	int v;

	memcpy(&v, (const char *)l + off, sizeof(v));
	return v;
}

/* pyenv's root: $PYENV_ROOT, else `pyenv root`, else ~root's default. */
static void pyenv_root(char *buf, size_t len)
{
	const char *env = getenv("PYENV_ROOT");
	FILE *f;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	snprintf(buf, len, "/root/.pyenv");
	f = popen("pyenv root 2>/dev/null", "r");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (pclose(f) != 0 || !*buf)
		snprintf(buf, len, "/root/.pyenv");
}

/* The newest installed pyenv libpython3.@minor, into @buf; false if there is none. */
static bool find_libpython(int minor, char *buf, size_t len)
{
	char root[512], pat[1100];
	glob_t g;
	bool ok;

	pyenv_root(root, sizeof(root));
	snprintf(pat, sizeof(pat), "%s/versions/3.%d.*/lib/libpython3.%d.so.1.0", root, minor,
		 minor);
	if (glob(pat, 0, NULL, &g))
		return false;
	ok = g.gl_pathc > 0;
	if (ok)	/* glob sorts: the last is the newest patch release of one digit */
		snprintf(buf, len, "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	return ok;
}

/* The standard output of shell command @cmd (malloc'd), NULL if it failed. */
static char *run_cmd(const char *cmd)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;

	f = popen(cmd, "r");
	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap += 65536);

			if (!nb)
				break;
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	if (pclose(f) != 0 || !buf) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* Run the layout tool on @path; its JSON (malloc'd) or NULL. */
static char *layout_json(const char *path)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "%s '%s'", LAYOUT_TOOL, path);
	return run_cmd(cmd);
}

/*
 * The integer value of "@key" in @json at nesting @depth (the tool indents by one space per
 * level); inside object @section if not NULL. False if absent.
 */
static bool json_int(const char *json, const char *section, const char *key, int depth,
		     long long *val)
{
	char pat[128];
	const char *p = json, *end = NULL;

	if (section) {
		snprintf(pat, sizeof(pat), "\n%*s\"%s\": {", depth - 1, "", section);
		p = strstr(json, pat);
		if (!p)
			return false;
		end = strchr(p + strlen(pat), '}');
	}
	snprintf(pat, sizeof(pat), "\n%*s\"%s\": ", depth, "", key);
	p = strstr(p, pat);
	if (!p || (end && p > end))
		return false;
	return sscanf(p + strlen(pat), "%lld", val) == 1;
}

/* The number of keys at the top level of @json. */
static int json_top_keys(const char *json)
{
	const char *p = json;
	int n = 0;

	while ((p = strstr(p, "\n \"")))
		n++, p += 3;
	return n;
}

/* 3.13+: the table against the _Py_DebugOffsets the interpreter carries in _PyRuntime. */
static void check_debug_offsets(const struct ct_py_layout *l, const char *json)
{
	static const struct {
		const char *section, *key;
		size_t off;
	} dbg[] = {
		{ "runtime_state", "size", offsetof(struct ct_py_layout, runtime_size) },
		{ "runtime_state", "interpreters_head",
		  offsetof(struct ct_py_layout, runtime_interpreters_head) },
		{ "interpreter_state", "next", offsetof(struct ct_py_layout, interp_next) },
		{ "interpreter_state", "threads_head",
		  offsetof(struct ct_py_layout, interp_tstate_head) },
		{ "thread_state", "size", offsetof(struct ct_py_layout, tstate_size) },
		{ "thread_state", "next", offsetof(struct ct_py_layout, tstate_next) },
		{ "thread_state", "interp", offsetof(struct ct_py_layout, tstate_interp) },
		{ "thread_state", "current_frame",
		  offsetof(struct ct_py_layout, tstate_current_frame) },
		{ "thread_state", "thread_id", offsetof(struct ct_py_layout, tstate_thread_id) },
		{ "thread_state", "native_thread_id",
		  offsetof(struct ct_py_layout, tstate_native_thread_id) },
		{ "interpreter_frame", "previous", offsetof(struct ct_py_layout, iframe_previous) },
		{ "interpreter_frame", "executable", offsetof(struct ct_py_layout, iframe_code) },
		{ "interpreter_frame", "instr_ptr", offsetof(struct ct_py_layout, iframe_instr) },
		{ "interpreter_frame", "owner", offsetof(struct ct_py_layout, iframe_owner) },
		{ "code_object", "filename", offsetof(struct ct_py_layout, code_filename) },
		{ "code_object", "name", offsetof(struct ct_py_layout, code_name) },
		{ "code_object", "qualname", offsetof(struct ct_py_layout, code_qualname) },
		{ "code_object", "linetable", offsetof(struct ct_py_layout, code_linetable) },
		{ "code_object", "firstlineno", offsetof(struct ct_py_layout, code_firstlineno) },
		{ "code_object", "co_code_adaptive",
		  offsetof(struct ct_py_layout, code_code_adaptive) },
		{ "bytes_object", "ob_size", offsetof(struct ct_py_layout, bytes_size) },
		{ "bytes_object", "ob_sval", offsetof(struct ct_py_layout, bytes_sval) },
		{ "unicode_object", "length", offsetof(struct ct_py_layout, unicode_length) },
		{ "unicode_object", "state", offsetof(struct ct_py_layout, unicode_state) },
		{ "unicode_object", "asciiobject_size",
		  offsetof(struct ct_py_layout, unicode_ascii_size) },
	};
	char name[128];
	long long v;
	size_t i;

	ASSERT_TRUE(strstr(json, "\n  \"cookie\": \"xdebugpy\""), "3.13 debug_offsets cookie");
	if (ASSERT_TRUE(json_int(json, NULL, "version", 2, &v), "debug version"))
		ASSERT_EQ(v >> 16, (long long)(l->major << 8 | l->minor), "debug_offsets.version");
	if (ASSERT_TRUE(json_int(json, NULL, "debug_offsets_offset", 1, &v), "debug at"))
		ASSERT_EQ(v, 0LL, "_Py_DebugOffsets at offset 0 of _PyRuntime");
	for (i = 0; i < CT_ARRAY_SIZE(dbg); i++) {
		snprintf(name, sizeof(name), "3.%d debug_offsets.%s.%s", l->minor, dbg[i].section,
			 dbg[i].key);
		if (ASSERT_TRUE(json_int(json, dbg[i].section, dbg[i].key, 3, &v), name))
			ASSERT_EQ(v, (long long)field(l, dbg[i].off), name);
	}
}

CT_TEST(pylayout_lookup)
{
	int minor;

	ASSERT_TRUE(!ct_py_layout(3, 7), "3.7 unsupported");
	ASSERT_TRUE(!ct_py_layout(3, 14), "3.14 unsupported");
	ASSERT_TRUE(!ct_py_layout(2, 7), "2.7 unsupported");
	for (minor = 8; minor <= 13; minor++) {
		const struct ct_py_layout *l = ct_py_layout(3, minor);

		if (!ASSERT_TRUE(l, "3.8-3.13 in the table"))
			continue;
		ASSERT_EQ(l->minor, minor, "entry's minor");
		ASSERT_EQ(l->line_table, minor < 10 ? CT_PY_LNOTAB :
			  minor == 10 ? CT_PY_LINETABLE : CT_PY_LOCATIONS, "line table format");
		ASSERT_EQ(l->frame_lasti_unit, minor < 10 ? 1 : minor == 10 ? 2 : -1,
			  "f_lasti unit");
		/* exactly one way to the innermost frame per version */
		ASSERT_EQ((l->tstate_frame >= 0) + (l->tstate_cframe >= 0) +
			  (l->tstate_current_frame >= 0), 1, "one frame pointer in the tstate");
		ASSERT_EQ(l->tstate_cframe >= 0, l->cframe_current_frame >= 0, "cframe pair");
	}
}

CT_TEST(pylayout_vs_dwarf)
{
	int minor, checked = 0;

	for (minor = 8; minor <= 13; minor++) {
		const struct ct_py_layout *l = ct_py_layout(3, minor);
		char lib[1100], name[160];
		long long v;
		char *json;
		size_t i;

		if (!find_libpython(minor, lib, sizeof(lib))) {
			printf("  skip 3.%d: no pyenv libpython3.%d.so.1.0 on this machine\n",
			       minor, minor);
			continue;
		}
		if (!ASSERT_TRUE(l, "table entry"))
			continue;
		json = layout_json(lib);
		snprintf(name, sizeof(name), "%s %s", LAYOUT_TOOL, lib);
		if (!ASSERT_TRUE(json, name))
			continue;
		checked++;
		if (ASSERT_TRUE(json_int(json, NULL, "minor", 1, &v), "json minor"))
			ASSERT_EQ(v, (long long)minor, "the tool's version");
		for (i = 0; i < CT_ARRAY_SIZE(fields); i++) {
			snprintf(name, sizeof(name), "3.%d %s", minor, fields[i].key);
			if (ASSERT_TRUE(json_int(json, NULL, fields[i].key, 1, &v), name))
				ASSERT_EQ((long long)field(l, fields[i].off), v, name);
		}
		if (ASSERT_TRUE(json_int(json, NULL, "abi_type_tp_members", 1, &v), "tp_members"))
			ASSERT_EQ(v, (long long)TYPE_TP_MEMBERS, "PyTypeObject.tp_members");
		if (ASSERT_TRUE(json_int(json, NULL, "abi_memberdef_size", 1, &v), "PyMemberDef"))
			ASSERT_EQ(v, (long long)MEMBERDEF_SIZE, "sizeof(PyMemberDef)");
		if (ASSERT_TRUE(json_int(json, NULL, "abi_memberdef_offset", 1, &v), "offset"))
			ASSERT_EQ(v, (long long)MEMBERDEF_OFFSET, "offsetof(PyMemberDef, offset)");
		/* a key the tool gained and the table lacks fails here */
		ASSERT_EQ(json_top_keys(json), (int)(CT_ARRAY_SIZE(fields) +
			  CT_ARRAY_SIZE(extra_keys)) - (minor < 11 ? 1 : 0) -
			  (minor < 13 ? 2 : 0), "the tool's keys are all checked");
		if (minor >= 13)
			check_debug_offsets(l, json);
		free(json);
	}
	if (!checked)
		printf("  skip: no pyenv interpreter found, nothing checked against DWARF\n");
}

/* An ELF file, read whole through libelf. */
struct elf_file {
	int fd;
	Elf *e;
};

static bool elf_file_open(struct elf_file *f, const char *path)
{
	f->e = NULL;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return false;
	elf_version(EV_CURRENT);
	f->e = elf_begin(f->fd, ELF_C_READ, NULL);
	return f->e != NULL;
}

static void elf_file_close(struct elf_file *f)
{
	if (f->e)
		elf_end(f->e);
	if (f->fd >= 0)
		close(f->fd);
}

/* @name in .dynsym into @sym. */
static bool dynsym(Elf *e, const char *name, GElf_Sym *sym)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;
		size_t i;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			const char *s;

			if (!gelf_getsym(d, (int)i, sym))
				break;
			s = elf_strptr(e, sh.sh_link, sym->st_name);
			if (s && !strcmp(s, name) && sym->st_shndx != SHN_UNDEF)
				return true;
		}
	}
	return false;
}

/* The file bytes of [@addr, @addr + @size) if one PROGBITS section holds them. */
static const unsigned char *elf_bytes(Elf *e, GElf_Addr addr, size_t size)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    addr < sh.sh_addr || addr + size > sh.sh_addr + sh.sh_size)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size < sh.sh_size)
			return NULL;
		return (const unsigned char *)d->d_buf + (addr - sh.sh_addr);
	}
	return NULL;
}

/* The NUL-terminated string at @addr of @e into @buf (truncated), false if unmapped. */
static bool elf_cstr(Elf *e, GElf_Addr addr, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		const unsigned char *c = elf_bytes(e, addr + i, 1);

		if (!c)
			return false;
		buf[i] = (char)*c;
		if (!*c)
			return true;
	}
	buf[i] = '\0';
	return true;
}

/*
 * The code object offsets a stripped, non-PIE binary states itself: PyCode_Type.tp_members is a
 * PyMemberDef array (name, type, offset, flags, doc) naming co_filename, co_name, ... with their
 * offsets in PyCodeObject (Objects/codeobject.c, code_memberlist). Returns the number of table
 * fields matched; each one is asserted.
 */
static int check_code_members(Elf *e, const struct ct_py_layout *l)
{
	static const struct {
		const char *member;
		size_t off;
	} want[] = {
		{ "co_filename", offsetof(struct ct_py_layout, code_filename) },
		{ "co_name", offsetof(struct ct_py_layout, code_name) },
		{ "co_qualname", offsetof(struct ct_py_layout, code_qualname) },
		{ "co_firstlineno", offsetof(struct ct_py_layout, code_firstlineno) },
		{ "co_linetable", offsetof(struct ct_py_layout, code_linetable) },
	};
	const unsigned char *type, *m;
	GElf_Addr members;
	GElf_Sym sym;
	int found = 0, i;

	if (!ASSERT_TRUE(dynsym(e, "PyCode_Type", &sym), "PyCode_Type in .dynsym") ||
	    !ASSERT_TRUE(sym.st_size >= TYPE_TP_MEMBERS + 8, "PyCode_Type's size") ||
	    !ASSERT_TRUE((type = elf_bytes(e, sym.st_value, sym.st_size)), "PyCode_Type's bytes"))
		return 0;
	memcpy(&members, type + TYPE_TP_MEMBERS, sizeof(members));
	for (i = 0; i < 64; i++, members += MEMBERDEF_SIZE) {
		GElf_Addr name_at;
		char name[64];
		long long off;
		size_t k;

		m = elf_bytes(e, members, MEMBERDEF_SIZE);
		if (!ASSERT_TRUE(m, "PyCode_Type.tp_members readable"))
			break;
		memcpy(&name_at, m, sizeof(name_at));
		if (!name_at)
			break;
		memcpy(&off, m + MEMBERDEF_OFFSET, sizeof(off));
		if (!ASSERT_TRUE(elf_cstr(e, name_at, name, sizeof(name)), "member name"))
			break;
		for (k = 0; k < CT_ARRAY_SIZE(want); k++) {
			char what[96];

			if (strcmp(name, want[k].member))
				continue;
			snprintf(what, sizeof(what), "Debian PyCode_Type member %s", name);
			ASSERT_EQ(off, (long long)field(l, want[k].off), what);
			found++;
		}
	}
	return found;
}

struct image_cmp {
	size_t words, equal, ptr_ok, ptr_bad, unhandled;
};

/*
 * Compare Debian's static _PyRuntime image (non-PIE: pointers are final) with the pyenv
 * libpython's (a DSO: pointers are relocations, zero in the file): the words the DSO relocates
 * must hold, in Debian's, the same symbol + addend resolved in Debian's .dynsym; every other
 * word must be byte-identical.
 */
static void image_compare(Elf *deb, const unsigned char *dimg, Elf *dso, GElf_Addr pbase,
			  const unsigned char *pimg, size_t size, struct image_cmp *c)
{
	bool *reloc = calloc(size / 8 + 1, sizeof(*reloc));
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t w;

	memset(c, 0, sizeof(*c));
	if (!reloc)
		return;
	while ((scn = elf_nextscn(dso, scn))) {
		Elf_Scn *symscn;
		GElf_Shdr symsh;
		Elf_Data *d, *sd;
		size_t i;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || !sh.sh_entsize)
			continue;
		symscn = elf_getscn(dso, sh.sh_link);
		d = elf_getdata(scn, NULL);
		sd = symscn ? elf_getdata(symscn, NULL) : NULL;
		if (!d || !sd || !gelf_getshdr(symscn, &symsh))
			continue;
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rela r;
			GElf_Sym s, ds;
			const char *name;
			__u64 word;

			if (!gelf_getrela(d, (int)i, &r))
				break;
			if (r.r_offset < pbase || r.r_offset + 8 > pbase + size)
				continue;
			reloc[(r.r_offset - pbase) / 8] = true;
			name = NULL;
			if (GELF_R_TYPE(r.r_info) == R_X86_64_64 &&
			    gelf_getsym(sd, (int)GELF_R_SYM(r.r_info), &s))
				name = elf_strptr(dso, symsh.sh_link, s.st_name);
			if (!name || !dynsym(deb, name, &ds)) {
				c->unhandled++;
				continue;
			}
			memcpy(&word, dimg + (r.r_offset - pbase), sizeof(word));
			if (word == ds.st_value + (__u64)r.r_addend)
				c->ptr_ok++;
			else
				c->ptr_bad++;
		}
	}
	for (w = 0; w + 8 <= size; w += 8) {
		if (reloc[w / 8])
			continue;
		c->words++;
		c->equal += !memcmp(dimg + w, pimg + w, 8);
	}
	free(reloc);
}

CT_TEST(pylayout_debian_python311)
{
	const struct ct_py_layout *l = ct_py_layout(3, 11);
	struct elf_file deb = { .fd = -1 }, dso = { .fd = -1 };
	const unsigned char *dimg, *pimg, *ver;
	GElf_Sym rt, prt, pv;
	GElf_Ehdr eh;
	struct image_cmp c;
	char lib[1100];
	__u64 version;

	if (access(DEBIAN_PY311, R_OK)) {
		printf("  skip: no %s\n", DEBIAN_PY311);
		return;
	}
	if (!ASSERT_TRUE(l, "3.11 in the table") ||
	    !ASSERT_TRUE(elf_file_open(&deb, DEBIAN_PY311), "libelf opens " DEBIAN_PY311))
		goto out;
	if (!ASSERT_TRUE(dynsym(deb.e, "_PyRuntime", &rt), "_PyRuntime in .dynsym"))
		goto out;
	ASSERT_EQ(GELF_ST_TYPE(rt.st_info), STT_OBJECT, "_PyRuntime is data");
	ASSERT_EQ(rt.st_size, (__u64)l->runtime_size, "_PyRuntime size = sizeof 3.11");
	if (ASSERT_TRUE(dynsym(deb.e, "Py_Version", &pv), "Py_Version in .dynsym") &&
	    ASSERT_TRUE((ver = elf_bytes(deb.e, pv.st_value, 8)), "Py_Version's bytes")) {
		memcpy(&version, ver, sizeof(version));
		ASSERT_EQ(version >> 16, 0x030bULL, "Debian's python3.11 is 3.11");
	}
	if (ASSERT_TRUE(gelf_getehdr(deb.e, &eh), "ELF header") && eh.e_type == ET_EXEC)
		ASSERT_EQ(check_code_members(deb.e, l), 5, "code members named in PyCode_Type");
	else
		printf("  skip PyCode_Type members: %s is a PIE\n", DEBIAN_PY311);
	if (!find_libpython(11, lib, sizeof(lib))) {
		printf("  skip: no pyenv 3.11 to compare Debian's _PyRuntime with\n");
		goto out;
	}
	if (!ASSERT_TRUE(elf_file_open(&dso, lib), "libelf opens pyenv libpython3.11") ||
	    !ASSERT_TRUE(dynsym(dso.e, "_PyRuntime", &prt), "pyenv _PyRuntime") ||
	    !ASSERT_EQ(prt.st_size, rt.st_size, "same _PyRuntime size"))
		goto out;
	dimg = elf_bytes(deb.e, rt.st_value, rt.st_size);
	pimg = elf_bytes(dso.e, prt.st_value, prt.st_size);
	if (!ASSERT_TRUE(dimg && pimg, "both _PyRuntime images in the files"))
		goto out;
	image_compare(deb.e, dimg, dso.e, prt.st_value, pimg, rt.st_size, &c);
	ASSERT_EQ(c.equal, c.words, "non-pointer words of _PyRuntime identical");
	ASSERT_EQ(c.ptr_bad, 0ULL, "pointers of _PyRuntime at the same offsets, same targets");
	ASSERT_EQ(c.unhandled, 0ULL, "every relocation in _PyRuntime understood");
	ASSERT_TRUE(c.ptr_ok > 1000 && c.words > 10000, "a real comparison");
	printf("  Debian %s vs %s: %zu words equal, %zu pointers equal\n", DEBIAN_PY311, lib,
	       c.equal, c.ptr_ok);
out:
	elf_file_close(&dso);
	elf_file_close(&deb);
}

/* @l as the JSON object tools/python-frame-walk.py --layout reads, into a new temporary file. */
static bool layout_file(const struct ct_py_layout *l, char *path, size_t len)
{
	FILE *f;
	size_t i;
	int fd;

	snprintf(path, len, "/tmp/ct-pylayout-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return false;
	}
	fprintf(f, "{\"major\": %d, \"minor\": %d", l->major, l->minor);
	for (i = 0; i < CT_ARRAY_SIZE(fields); i++)
		fprintf(f, ", \"%s\": %d", fields[i].key, field(l, fields[i].off));
	fprintf(f, "}\n");
	return fclose(f) == 0;
}

/* Start @python on the walk target; its PID once it printed "ready", or -1. */
static pid_t target_start(const char *python, const char *script)
{
	char buf[16] = "";
	struct pollfd pfd;
	int out[2];
	ssize_t n;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(out[1], 1);
		execl(python, python, "-I", script, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	pfd = (struct pollfd){ .fd = out[0], .events = POLLIN };
	n = poll(&pfd, 1, 10000) == 1 ? read(out[0], buf, sizeof(buf) - 1) : -1;
	close(out[0]);
	if (n < 5 || strncmp(buf, "ready", 5)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Walk @python running the target with the table's entry; each expected frame must show. */
static void live_walk(const char *python, int minor)
{
	const struct ct_py_layout *l = ct_py_layout(3, minor);
	char lfile[64], script[4096], cmd[4352], want[5][4200], tid[32], name[4400];
	char *out = NULL;
	bool all = false;
	int i, k, tries;
	pid_t pid;

	if (!ASSERT_TRUE(l, "table entry") ||
	    !ASSERT_TRUE(realpath(WALK_TARGET, script), WALK_TARGET) ||
	    !ASSERT_TRUE(layout_file(l, lfile, sizeof(lfile)), "layout file"))
		return;
	pid = target_start(python, script);
	if (!ASSERT_TRUE(pid > 0, python)) {
		unlink(lfile);
		return;
	}
	/* the lines marked LINE in the target, innermost first */
	snprintf(want[0], sizeof(want[0]), "  leaf_sleep %s:14\n", script);
	snprintf(want[1], sizeof(want[1]), "  middle %s:18\n", script);
	snprintf(want[2], sizeof(want[2]), "  %s %s:23\n", minor >= 11 ? "Worker.run" : "run",
		 script);
	snprintf(want[3], sizeof(want[3]), "  main_wait %s:27\n", script);
	snprintf(want[4], sizeof(want[4]), "  <module> %s:33\n", script);
	snprintf(tid, sizeof(tid), " tid %d\n", (int)pid);	/* the main thread's TID */
	snprintf(cmd, sizeof(cmd), "%s --layout %s %d 2>&1", WALK_TOOL, lfile, (int)pid);
	/* the main thread may still be on its way into main_wait(): look again a few times */
	for (tries = 0; tries < 20 && !all; tries++) {
		free(out);
		out = run_cmd(cmd);
		all = out != NULL;
		for (k = 0; all && k < 5; k++)
			all = strstr(out, want[k]) != NULL;
		if (all && minor >= 11)
			all = strstr(out, tid) != NULL;
		if (!all)
			usleep(100 * 1000);
	}
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "3.%d walk shows%s", minor, want[i]);
		name[strlen(name) - 1] = '\0';
		ASSERT_TRUE(out && strstr(out, want[i]), name);
	}
	if (minor >= 11)
		ASSERT_TRUE(out && strstr(out, tid), "3.11+: native_thread_id is the TID");
	if (!all && out)
		printf("%s", out);
	free(out);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(lfile);
}

/*
 * The table at work: walk live interpreters' frame chains with it (tools/python-frame-walk.py
 * reading /proc/PID/mem), Debian's stripped python3.11 with the 3.11 entry included.
 */
CT_TEST(pylayout_live_walk)
{
	char py[1100];
	int minor;

	if (geteuid()) {
		printf("  skip: reading another process's memory needs root\n");
		return;
	}
	for (minor = 8; minor <= 13; minor++) {
		char *slash;

		if (!find_libpython(minor, py, sizeof(py))) {
			printf("  skip 3.%d: no pyenv interpreter\n", minor);
			continue;
		}
		/* .../versions/3.M.P/lib/libpython3.M.so.1.0 -> .../versions/3.M.P/bin/python3.M */
		slash = strstr(py, "/lib/libpython");
		if (!ASSERT_TRUE(slash, "pyenv layout"))
			continue;
		snprintf(slash, sizeof(py) - (size_t)(slash - py), "/bin/python3.%d", minor);
		live_walk(py, minor);
	}
	if (!access(DEBIAN_PY311, X_OK))
		live_walk(DEBIAN_PY311, 11);
	else
		printf("  skip: no %s\n", DEBIAN_PY311);
}
