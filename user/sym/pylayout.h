/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPython interpreter layouts, 3.8 to 3.13 on x86_64: the struct offsets a walker needs to go
 * from the exported _PyRuntime to each thread's chain of Python frames with nothing but reads of
 * the target's memory (bpf_probe_read_user). docs/python-frames.md tells the walk step by step
 * and where each fact comes from; tests/unit/test_pylayout.c checks every offset against the
 * interpreters' own DWARF through tools/python-layouts.py, whose JSON keys are these field names.
 *
 * Every offset is in bytes from the start of the named struct; -1 means the field does not exist
 * in that version (or is not the one the walk uses there, as noted).
 */
#ifndef CT_PYLAYOUT_H
#define CT_PYLAYOUT_H

/* How PyCodeObject's line table is encoded (struct ct_py_layout.line_table). */
enum ct_py_line_table {
	CT_PY_LNOTAB = 1,	/* 3.8, 3.9: co_lnotab, (byte delta, signed line delta) pairs */
	CT_PY_LINETABLE,	/* 3.10: co_linetable, (byte delta, line delta, -128: none) */
	CT_PY_LOCATIONS,	/* 3.11+: co_linetable, the varint location table */
};

struct ct_py_layout {
	int major, minor;

	/* _PyRuntimeState (the exported data symbol _PyRuntime) */
	int runtime_size;		/* sizeof: compare with _PyRuntime's st_size */
	int runtime_interpreters_head;	/* .interpreters.head: PyInterpreterState *, a list */
	int runtime_interpreters_main;	/* .interpreters.main: the main interpreter */
	int runtime_tstate_current;	/* .gilstate.tstate_current: the thread holding the GIL
					 * (3.8-3.11; 3.12+ keep it in a thread-local: -1) */
	int runtime_autotss_key;	/* .gilstate.autoTSSkey (3.12+ .autoTSSkey): Py_tss_t, whose
					 * pthread_key_t (at +4) maps a thread to its tstate */

	/* PyInterpreterState (struct _is) */
	int interp_next;		/* .next: the next interpreter */
	int interp_tstate_head;		/* <=3.10 .tstate_head, 3.11+ .threads.head */

	/* PyThreadState (struct _ts) */
	int tstate_size;		/* sizeof */
	int tstate_next;		/* .next: the next (older) thread of the interpreter */
	int tstate_interp;		/* .interp: back to its PyInterpreterState */
	int tstate_thread_id;		/* .thread_id: unsigned long, the thread's pthread_t */
	int tstate_native_thread_id;	/* .native_thread_id: the kernel TID (3.11+ only) */
	int tstate_frame;		/* <=3.10 .frame: PyFrameObject *, the innermost frame */
	int tstate_cframe;		/* 3.11, 3.12 .cframe: _PyCFrame * (3.10 has one, without
					 * current_frame: -1 there) */
	int tstate_current_frame;	/* 3.13 .current_frame: _PyInterpreterFrame * */

	/* _PyCFrame (3.11, 3.12) */
	int cframe_current_frame;	/* .current_frame: _PyInterpreterFrame *, innermost */

	/* PyFrameObject (struct _frame), the frame chain of 3.8 to 3.10 */
	int frame_back;			/* .f_back: the caller's PyFrameObject * */
	int frame_code;			/* .f_code: PyCodeObject * */
	int frame_lasti;		/* .f_lasti: int, last instruction, see frame_lasti_unit */
	int frame_lineno;		/* .f_lineno: int, valid only while tracing (3.8, 3.9) */
	int frame_lasti_unit;		/* bytes per f_lasti step: 1 (3.8, 3.9 bytes), 2 (3.10
					 * code units) */

	/* _PyInterpreterFrame, the frame chain of 3.11+ (Include/internal/pycore_frame.h) */
	int iframe_code;		/* 3.11, 3.12 .f_code; 3.13 .f_executable (a PyObject *,
					 * a code object unless owner says otherwise) */
	int iframe_previous;		/* .previous: the caller's _PyInterpreterFrame * */
	int iframe_instr;		/* 3.11, 3.12 .prev_instr (last executed), 3.13 .instr_ptr
					 * (executing or next): _Py_CODEUNIT * */
	int iframe_owner;		/* .owner: char, enum _frameowner */
	int iframe_owner_cstack;	/* FRAME_OWNED_BY_CSTACK, an entry shim frame that has no
					 * Python code to show (3.12+; 3.11 has none: -1) */

	/* PyCodeObject */
	int code_filename;		/* .co_filename: str */
	int code_name;			/* .co_name: str */
	int code_qualname;		/* .co_qualname: str (3.11+) */
	int code_firstlineno;		/* .co_firstlineno: int */
	int code_linetable;		/* .co_lnotab (3.8, 3.9) or .co_linetable: bytes */
	int code_code_adaptive;		/* .co_code_adaptive: the bytecode inline (3.11+); an
					 * instruction's offset is (instr - (code + this)) / 2 */
	int line_table;			/* enum ct_py_line_table */

	/* PyBytesObject */
	int bytes_size;			/* .ob_base.ob_size: Py_ssize_t, length in bytes */
	int bytes_sval;			/* .ob_sval: the bytes themselves */

	/* PyASCIIObject (str) */
	int unicode_length;		/* .length: Py_ssize_t, in code points */
	int unicode_state;		/* .state: the bit-field word (32 bits) */
	int unicode_ascii_size;		/* sizeof(PyASCIIObject): a compact ASCII string's
					 * characters start here */
	int unicode_kind_shift;		/* state bits [shift, shift + 3): kind, 1 = 1 byte */
	int unicode_compact_bit;	/* state bit: compact (data inline) */
	int unicode_ascii_bit;		/* state bit: ascii (with compact: PyASCIIObject only) */
};

/* The layout of CPython @major.@minor on x86_64, NULL if not in the table (below 3.8, above
 * 3.13). */
const struct ct_py_layout *ct_py_layout(int major, int minor);

#endif /* CT_PYLAYOUT_H */
