#!/usr/bin/env python3
"""What compiled mode still compiles in every unit: a shape check.

In compiled mode the public headers declare, and libvitte (src/*.cpp)
defines; what a header still defines inline is compiled again by each unit
that includes it. This compiles each layer's umbrella header
(include/vitte/<layer>.hpp) alone in compiled mode with GCC's
-fkeep-inline-functions, which emits every inline function a unit sees, and
sums the code of those in namespace vitte: the small accessors, constexpr
helpers and hot per-element functions that stay inline on purpose. A layer
over its budget has bodies that belong in an .ipp (tests/compiled_mode.py
checks that every .ipp is compiled by src/).

  python3 tests/inline_budget.py --root . -- g++          # check the budgets
  python3 tests/inline_budget.py --root . --print -- g++  # the figures only
"""
import argparse
import concurrent.futures
import os
import pathlib
import subprocess
import sys
import tempfile

# Bytes of inline vitte code (GCC 12, -O0, x86_64, Linux policy) a unit
# including the layer's umbrella compiles in compiled mode, each the figure
# measured when every layer moved its bodies to .ipp files plus about 15%.
# Each umbrella includes the layers below it.
BUDGET = {
    'base': 18_000,
    'sys': 39_000,
    'crypto': 38_000,
    'log': 34_000,
    'machine': 11_000,
    'compress': 15_000,
    'archive': 34_000,
    'http': 34_000,
    'cache': 49_000,
    'toolchain': 48_000,
    'release': 30_000,
    'loader': 72_000,
    'wasm': 38_000,
}


def inline_bytes(cxx, root, layer, defines):
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / 'unit.cpp'
        obj = pathlib.Path(tmp) / 'unit.o'
        src.write_text(f'#include <vitte/{layer}.hpp>\n')
        cmd = cxx + ['-std=c++20', '-O0', '-DVITTE_SEPARATE_COMPILATION', '-fkeep-inline-functions',
                     '-I', str(root / 'include')] + [f'-D{d}' for d in defines] + ['-c', str(src), '-o', str(obj)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            return None, r.stderr[-2000:]
        nm = subprocess.run(['nm', '-C', '-S', '--defined-only', str(obj)], capture_output=True, text=True)
        total = 0
        for line in nm.stdout.splitlines():
            parts = line.split(' ', 3)
            if len(parts) == 4 and parts[2] in 'TtWw' and parts[3].startswith('vitte::'):
                total += int(parts[1], 16)
        return total, ''


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--root', required=True)
    ap.add_argument('--print', action='store_true', help='print the figures, check nothing')
    ap.add_argument('-D', dest='define', action='append', default=[])
    ap.add_argument('cxx', nargs='+')
    args = ap.parse_args()
    root = pathlib.Path(args.root).resolve()
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = {layer: pool.submit(inline_bytes, args.cxx, root, layer, args.define) for layer in BUDGET}
        for layer, job in jobs.items():
            size, err = job.result()
            if size is None:
                failures += 1
                print(f'{layer}: <vitte/{layer}.hpp> does not compile alone in compiled mode:\n{err}')
                continue
            over = size > BUDGET[layer]
            failures += over and not args.print
            print(f'{layer:10} {size:8} bytes inline (budget {BUDGET[layer]})' +
                  (': over budget: move non-template bodies to .ipp files' if over else ''))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
