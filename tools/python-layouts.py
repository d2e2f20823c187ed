#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print, as JSON, the CPython struct offsets conctrace's Python frame walker needs.

    tools/python-layouts.py /path/to/libpython3.X.so.1.0   (or a python3.X binary with DWARF)

The offsets come from the binary's own DWARF, read by gdb (/usr/bin/gdb, its embedded Python):
this script runs gdb in batch mode on the file and re-executes itself inside it. Nothing is
started; gdb only reads types, symbols and the initialised data of the file (Py_Version, and on
3.13 the _Py_DebugOffsets block at the start of _PyRuntime).

Keys are those of struct ct_py_layout (user/sym/pylayout.h); a key whose field does not exist
in this version is -1. docs/python-frames.md explains what each one is for.
"""
import json
import os
import re
import subprocess
import sys

# key -> list of (type name, field path) alternatives, the first that resolves wins.
# A field path "a.b" walks into member structs; anonymous members are searched through.
FIELDS = {
    'runtime_interpreters_head': [('_PyRuntimeState', 'interpreters.head')],
    'runtime_interpreters_main': [('_PyRuntimeState', 'interpreters.main')],
    'runtime_tstate_current': [('_PyRuntimeState', 'gilstate.tstate_current')],
    'runtime_autotss_key': [('_PyRuntimeState', 'gilstate.autoTSSkey'),
        ('_PyRuntimeState', 'autoTSSkey')],
    'interp_next': [('PyInterpreterState', 'next')],
    'interp_tstate_head': [('PyInterpreterState', 'tstate_head'),
        ('PyInterpreterState', 'threads.head')],
    'tstate_next': [('PyThreadState', 'next')],
    'tstate_interp': [('PyThreadState', 'interp')],
    'tstate_thread_id': [('PyThreadState', 'thread_id')],
    'tstate_native_thread_id': [('PyThreadState', 'native_thread_id')],
    'tstate_frame': [('PyThreadState', 'frame')],
    'tstate_cframe': [('PyThreadState', 'cframe')],
    'tstate_current_frame': [('PyThreadState', 'current_frame')],
    'cframe_current_frame': [('_PyCFrame', 'current_frame')],
    'iframe_code': [('struct _PyInterpreterFrame', 'f_code'),
        ('struct _PyInterpreterFrame', 'f_executable')],
    'iframe_previous': [('struct _PyInterpreterFrame', 'previous')],
    'iframe_instr': [('struct _PyInterpreterFrame', 'prev_instr'),
        ('struct _PyInterpreterFrame', 'instr_ptr')],
    'iframe_owner': [('struct _PyInterpreterFrame', 'owner')],
    'code_filename': [('PyCodeObject', 'co_filename')],
    'code_name': [('PyCodeObject', 'co_name')],
    'code_qualname': [('PyCodeObject', 'co_qualname')],
    'code_firstlineno': [('PyCodeObject', 'co_firstlineno')],
    'code_linetable': [('PyCodeObject', 'co_linetable'),
        ('PyCodeObject', 'co_lnotab')],
    'code_code_adaptive': [('PyCodeObject', 'co_code_adaptive')],
    'bytes_size': [('PyBytesObject', 'ob_base.ob_size')],
    'bytes_sval': [('PyBytesObject', 'ob_sval')],
    'unicode_length': [('PyASCIIObject', 'length')],
    'unicode_state': [('PyASCIIObject', 'state')],
    # Not table fields: the public ABI the test uses to read PyCode_Type's member table
    # (offsets of code object fields by name) out of a stripped binary.
    'abi_type_tp_members': [('PyTypeObject', 'tp_members')],
    'abi_memberdef_offset': [('PyMemberDef', 'offset')],
}

# Fields that exist in the DWARF of a version but mean something else there: PyFrameObject
# still has f_back/f_code/f_lasti in 3.11 and later, but the thread state no longer points at
# it, so the frame_* keys are only the walker's on the versions whose tstate has `frame`.
FRAME_FIELDS = {
    'frame_back': 'f_back',
    'frame_code': 'f_code',
    'frame_lasti': 'f_lasti',
    'frame_lineno': 'f_lineno',
}

SIZES = {
    'runtime_size': '_PyRuntimeState',
    'tstate_size': 'PyThreadState',
    'unicode_ascii_size': 'PyASCIIObject',    # compact ASCII data follows the header
    'abi_memberdef_size': 'PyMemberDef',
}

# PyASCIIObject.state bit-fields: key -> member name (bit numbers from the start of `state`).
STATE_BITS = {
    'unicode_kind_shift': 'kind',
    'unicode_compact_bit': 'compact',
    'unicode_ascii_bit': 'ascii',
}


def in_gdb(path):
    import gdb  # pylint: disable=import-error,import-outside-toplevel

    def lookup(tname):
        try:
            return gdb.lookup_type(tname.replace('struct ', '')).strip_typedefs()
        except gdb.error:
            pass
        try:
            return gdb.parse_and_eval('(%s *)0' % tname).type.target().strip_typedefs()
        except gdb.error:
            return None

    def member(t, name):
        """(bit offset, field) of @name in struct @t, through anonymous members."""
        for f in t.fields():
            if f.name == name:
                return f.bitpos, f
            if f.name is None and f.type.strip_typedefs().code in (gdb.TYPE_CODE_STRUCT,
                                           gdb.TYPE_CODE_UNION):
                r = member(f.type.strip_typedefs(), name)
                if r:
                    return f.bitpos + r[0], r[1]
        return None

    def offset(tname, fpath):
        t = lookup(tname)
        if t is None:
            return None
        bits = 0
        for part in fpath.split('.'):
            if t.code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                return None
            r = member(t, part)
            if r is None:
                return None
            bits += r[0]
            t = r[1].type.strip_typedefs()
        return bits // 8

    out = {'file': path}
    try:
        v = int(gdb.parse_and_eval('Py_Version'))
        out['py_version_hex'] = '0x%08x' % v
        major, minor = v >> 24, (v >> 16) & 0xff
    except gdb.error:
        # Before 3.11 nothing numeric is exported; the file name says it (libpython3.X.so,
        # python3.X), and so does the PY_VERSION string in .rodata.
        m = re.search(r'python(\d)\.(\d+)', os.path.basename(path))
        major, minor = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    out['major'], out['minor'] = major, minor

    for key, alts in FIELDS.items():
        val = None
        for tname, fpath in alts:
            val = offset(tname, fpath)
            if val is not None:
                break
        out[key] = -1 if val is None else val
    # 3.10 has tstate->cframe too, but its CFrame only carries use_tracing: the frame chain
    # hangs off tstate->frame there. cframe counts where _PyCFrame has current_frame.
    if out['cframe_current_frame'] < 0:
        out['tstate_cframe'] = -1
    try:
        out['iframe_owner_cstack'] = int(gdb.parse_and_eval('FRAME_OWNED_BY_CSTACK'))
    except gdb.error:
        out['iframe_owner_cstack'] = -1
    has_frame = out['tstate_frame'] >= 0
    for key, fname in FRAME_FIELDS.items():
        val = offset('PyFrameObject', fname) if has_frame else None
        out[key] = -1 if val is None else val
    for key, tname in SIZES.items():
        t = lookup(tname)
        out[key] = -1 if t is None else t.sizeof
    st = lookup('PyASCIIObject')
    r = member(st, 'state') if st is not None else None
    for key, fname in STATE_BITS.items():
        b = member(r[1].type.strip_typedefs(), fname) if r else None
        out[key] = -1 if b is None else b[0]

    # 3.13+: the offsets the interpreter publishes about itself (Include/internal/
    # pycore_runtime.h, _Py_DebugOffsets), as initialised in the file's .data.
    try:
        dbg = gdb.parse_and_eval('_PyRuntime.debug_offsets')
    except gdb.error:
        dbg = None
    if dbg is not None:
        def walk(v):
            t = v.type.strip_typedefs()
            if t.code == gdb.TYPE_CODE_STRUCT:
                return {f.name: walk(v[f.name]) for f in t.fields()}
            if t.code == gdb.TYPE_CODE_ARRAY:
                return bytes(int(v[i]) & 0xff for i in range(t.range()[1] + 1)) \
                    .decode('latin-1').rstrip('\0')
            return int(v)
        out['debug_offsets'] = walk(dbg)
        out['debug_offsets_offset'] = offset('_PyRuntimeState', 'debug_offsets')
    print('CT-PY-LAYOUT ' + json.dumps(out, sort_keys=True))


def main():
    if len(sys.argv) != 2:
        print('usage: %s LIBPYTHON-OR-PYTHON-WITH-DWARF' % sys.argv[0], file=sys.stderr)
        return 2
    path = sys.argv[1]
    if not os.path.isfile(path):
        print('%s: no such file' % path, file=sys.stderr)
        return 1
    me = os.path.abspath(__file__)
    cmd = ['gdb', '-batch', '-nx', '-iex', 'set debuginfod enabled off',
           '-ex', 'python import sys; sys.argv = [%r, %r]; exec(open(%r).read())'
           % (me, path, me), path]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
               check=False)
    for line in p.stdout.splitlines():
        if line.startswith('CT-PY-LAYOUT '):
            obj = json.loads(line[len('CT-PY-LAYOUT '):])
            if obj['code_filename'] < 0:
                print('%s: no CPython DWARF (PyCodeObject not found)' % path,
                      file=sys.stderr)
                return 1
            print(json.dumps(obj, indent=1, sort_keys=True))
            return 0
    print('%s: gdb failed: %s' % (path, p.stderr.strip()[-500:]), file=sys.stderr)
    return 1


if __name__ == '__main__':
    try:
        import gdb  # noqa: F401 pylint: disable=unused-import
        in_gdb(sys.argv[1])
    except ImportError:
        sys.exit(main())
