#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Walk every thread's Python frames in a live CPython 3.8-3.13 process, the way conctrace's BPF
walker will: only reads of the target's memory (/proc/PID/mem), the exported _PyRuntime and
Py_Version symbols (.dynsym, no debug info needed), and the layouts in docs/python-layouts/.

    tools/python-frame-walk.py [--layout FILE] PID     (as root, or with ptrace rights on PID)

--layout FILE: the offsets as a JSON object keyed like struct ct_py_layout (the unit test
passes the C table this way); default: docs/python-layouts/3.X.*.json of the target's version.

Prints one line per thread (native TID where the version has it, else the pthread_t) and one
line per frame, innermost first: qualified name, file, line. docs/python-frames.md describes
each step; this is its executable check.
"""
import glob
import json
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_FRAMES = 128
MAX_THREADS = 64


class Mem:
    def __init__(self, pid):
        self.f = open('/proc/%d/mem' % pid, 'rb', buffering=0)

    def read(self, addr, n):
        self.f.seek(addr)
        return self.f.read(n)

    def u64(self, addr):
        return struct.unpack('<Q', self.read(addr, 8))[0]

    def s32(self, addr):
        return struct.unpack('<i', self.read(addr, 4))[0]

    def u32(self, addr):
        return struct.unpack('<I', self.read(addr, 4))[0]

    def u8(self, addr):
        return self.read(addr, 1)[0]


def dynsyms(path):
    """name -> (st_value, st_size) of the defined .dynsym entries of @path."""
    out = subprocess.run(['readelf', '--dyn-syms', '-W', path], stdout=subprocess.PIPE,
                 text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[0][:-1].isdigit() and f[0].endswith(':') and f[6] != 'UND':
            syms[f[7].split('@')[0]] = (int(f[1], 16), int(f[2], 0))
    return syms


def is_exec(path):
    with open(path, 'rb') as f:
        return struct.unpack('<H', f.read(18)[16:18])[0] == 2   # ET_EXEC


def find_python(pid):
    """(path, load bias, minor) of the object holding _PyRuntime in @pid."""
    seen = {}
    with open('/proc/%d/maps' % pid) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 6:
                continue
            start, off, path = int(parts[0].split('-')[0], 16), int(parts[2], 16), parts[5]
            if path not in seen and off == 0:
                seen[path] = start
    for path, start in seen.items():
        m = re.search(r'/(?:lib)?python3\.(\d+)[^/]*$', path)
        if not m or not os.path.isfile(path):
            continue
        syms = dynsyms(path)
        if '_PyRuntime' in syms:
            return path, (0 if is_exec(path) else start), int(m.group(1)), syms
    raise SystemExit('%d: no python3.X or libpython3.X with _PyRuntime mapped' % pid)


def layout(minor):
    files = sorted(glob.glob(os.path.join(HERE, '..', 'docs', 'python-layouts',
                          '3.%d.*.json' % minor)))
    if not files:
        raise SystemExit('no layout for 3.%d' % minor)
    with open(files[-1]) as f:
        return json.load(f)


def read_str(mem, L, obj):
    """A compact ASCII str's text, else a placeholder."""
    if not obj:
        return '?'
    state = mem.u32(obj + L['unicode_state'])
    if not (state >> L['unicode_compact_bit'] & 1 and state >> L['unicode_ascii_bit'] & 1):
        return '<non-ascii str>'
    n = mem.u64(obj + L['unicode_length'])
    return mem.read(obj + L['unicode_ascii_size'], min(n, 1024)).decode('ascii', 'replace')


def read_bytes(mem, L, obj):
    n = mem.u64(obj + L['bytes_size'])
    return mem.read(obj + L['bytes_sval'], min(n, 1 << 20))


def varint(t, i):
    b = t[i]
    v, s, i = b & 63, 6, i + 1
    while b & 64:
        b = t[i]
        v, s, i = v | (b & 63) << s, s + 6, i + 1
    return v, i


def svarint(t, i):
    v, i = varint(t, i)
    return (-(v >> 1) if v & 1 else v >> 1), i


def line_of(minor, table, first, lasti):
    """The line of instruction @lasti (f_lasti, or the code-unit index on 3.11+)."""
    if lasti < 0:
        return first
    line = first
    if minor <= 9:              # co_lnotab: (bytes, signed lines) pairs
        addr = 0
        for i in range(0, len(table) - 1, 2):
            addr += table[i]
            if addr > lasti:
                break
            line += table[i + 1] - 256 if table[i + 1] >= 128 else table[i + 1]
        return line
    if minor == 10:             # co_linetable: (bytes, signed lines | -128)
        off, end = lasti * 2, 0
        for i in range(0, len(table) - 1, 2):
            start, end = end, end + table[i]
            d = table[i + 1] - 256 if table[i + 1] >= 128 else table[i + 1]
            if d != -128:
                line += d
            if start <= off < end:
                return None if d == -128 else line
        return None
    i = unit = 0                # 3.11+: the location table
    while i < len(table):
        b = table[i]
        code, n, i = (b >> 3) & 15, (b & 7) + 1, i + 1
        here = line
        if code == 15:
            here = None
        elif code == 14:
            d, i = svarint(table, i)
            line += d
            here = line
            for _ in range(3):
                _, i = varint(table, i)
        elif code == 13:
            d, i = svarint(table, i)
            line += d
            here = line
        elif code >= 10:
            line += code - 10
            here = line
            i += 2
        else:
            i += 1
        if unit <= lasti < unit + n:
            return here
        unit += n
    return None


def walk(pid, layout_file=None):
    path, bias, minor, syms = find_python(pid)
    if layout_file:
        with open(layout_file) as f:
            L = json.load(f)
        assert L['minor'] == minor, 'layout is for 3.%d, the target is 3.%d' % (L['minor'], minor)
    else:
        L = layout(minor)
    mem = Mem(pid)
    runtime = bias + syms['_PyRuntime'][0]
    print('%s: 3.%d, _PyRuntime at 0x%x (st_size %d, layout says %d)'
          % (path, minor, runtime, syms['_PyRuntime'][1], L['runtime_size']))
    if 'Py_Version' in syms:
        v = mem.u64(bias + syms['Py_Version'][0])
        print('Py_Version 0x%08x' % v)
        assert (v >> 16) & 0xff == minor, 'Py_Version disagrees with the file name'
    if minor >= 13:
        assert mem.read(runtime, 8) == b'xdebugpy', '_Py_DebugOffsets cookie'
    code_type = bias + syms['PyCode_Type'][0]
    interp = mem.u64(runtime + L['runtime_interpreters_head'])
    tstate = mem.u64(interp + L['interp_tstate_head'])
    for _ in range(MAX_THREADS):
        if not tstate:
            break
        tid = mem.u64(tstate + L['tstate_native_thread_id']) \
            if L['tstate_native_thread_id'] >= 0 else None
        print('thread pthread_t 0x%x tid %s' % (mem.u64(tstate + L['tstate_thread_id']), tid))
        if L['tstate_frame'] >= 0:
            frame = mem.u64(tstate + L['tstate_frame'])
        elif L['tstate_cframe'] >= 0:
            frame = mem.u64(mem.u64(tstate + L['tstate_cframe']) + L['cframe_current_frame'])
        else:
            frame = mem.u64(tstate + L['tstate_current_frame'])
        for _ in range(MAX_FRAMES):
            if not frame:
                break
            if L['tstate_frame'] >= 0:
                code = mem.u64(frame + L['frame_code'])
                lasti = mem.s32(frame + L['frame_lasti'])
                nxt = mem.u64(frame + L['frame_back'])
            else:
                code = mem.u64(frame + L['iframe_code'])
                nxt = mem.u64(frame + L['iframe_previous'])
                owner = mem.u8(frame + L['iframe_owner'])
                if owner == L['iframe_owner_cstack'] or mem.u64(code + 8) != code_type:
                    frame = nxt # a C entry shim, or (3.13) not a code object
                    continue
                instr = mem.u64(frame + L['iframe_instr'])
                lasti = (instr - (code + L['code_code_adaptive'])) // 2
            name = read_str(mem, L, mem.u64(code + (L['code_qualname']
                                if L['code_qualname'] >= 0
                                else L['code_name'])))
            fname = read_str(mem, L, mem.u64(code + L['code_filename']))
            first = mem.s32(code + L['code_firstlineno'])
            table = read_bytes(mem, L, mem.u64(code + L['code_linetable']))
            print('  %s %s:%s' % (name, fname, line_of(minor, table, first, lasti)))
            frame = nxt
        tstate = mem.u64(tstate + L['tstate_next'])


if __name__ == '__main__':
    args = sys.argv[1:]
    lfile = None
    if len(args) == 3 and args[0] == '--layout':
        lfile, args = args[1], args[2:]
    if len(args) != 1 or not args[0].isdigit():
        raise SystemExit('usage: %s [--layout FILE] PID' % sys.argv[0])
    walk(int(args[0]), lfile)
