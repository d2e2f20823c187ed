#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the line-table decoder of tools/python-frame-walk.py against the running interpreter's
own mapping from instruction to line, over every code object of a few stdlib modules.

    /path/to/python3.X tools/python-linetable-check.py

3.8, 3.9: co_lnotab against dis.findlinestarts(); 3.10: co_linetable against co_lines();
3.11+: the location table against co_positions(). Prints the count of instructions checked and
of mismatches; exits 1 on any mismatch. docs/python-frames.md records the results.
"""
import dis
import importlib
import importlib.util
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('walk', os.path.join(HERE, 'python-frame-walk.py'))
walk = importlib.util.module_from_spec(spec)
spec.loader.exec_module(walk)

MODULES = ('json.decoder', 'argparse', 'asyncio.base_events', 'typing')


def codes(co):
    yield co
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            yield from codes(c)


def main():
    minor = sys.version_info[1]
    n = bad = 0
    for name in MODULES:
        path = importlib.import_module(name).__file__
        with open(path) as f:
            top = compile(f.read(), path, 'exec')
        for co in codes(top):
            first = co.co_firstlineno
            if minor <= 9:
                starts = list(dis.findlinestarts(co))
                for off in range(0, len(co.co_code), 2):
                    want = None
                    for o, line in starts:
                        if o <= off:
                            want = line
                    n += 1
                    bad += walk.line_of(minor, co.co_lnotab, first, off) != want
            elif minor == 10:
                for start, end, line in co.co_lines():
                    for off in range(start, end, 2):  # f_lasti counts code units
                        n += 1
                        bad += walk.line_of(minor, co.co_linetable, first, off // 2) != line
            else:
                for unit, pos in enumerate(co.co_positions()):
                    n += 1
                    bad += walk.line_of(minor, co.co_linetable, first, unit) != pos[0]
    print('%d.%d: %d instructions, %d mismatches' % (sys.version_info[0], minor, n, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
