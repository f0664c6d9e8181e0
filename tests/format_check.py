#!/usr/bin/env python3
"""Checks that every C++ source is formatted with the repository's
.clang-format (clang-format --dry-run --Werror). Uses clang-format-19 (C++20 aware); exits 77 (skip) without
it."""
import pathlib
import shutil
import subprocess
import sys

root = pathlib.Path(sys.argv[1]).resolve()
exe = shutil.which('clang-format-19')
if exe is None:
    print('SKIP: clang-format-19 is not installed (scripts/test installs it)')
    sys.exit(77)
dirs = ['include', 'src', 'tests', 'bench', 'examples', 'cross', 'fuzz', 'tools']
files = [p for d in dirs if (root / d).exists() for p in sorted((root / d).rglob('*'))
         if p.suffix in ('.hpp', '.ipp', '.cpp', '.h', '.c') and 'subprojects' not in p.parts]
r = subprocess.run([exe, '--dry-run', '--Werror', *map(str, files)], capture_output=True, text=True)
if r.returncode != 0:
    print(r.stdout + r.stderr)
    print(f'format: some of {len(files)} files need clang-format -i (see above)')
    sys.exit(1)
print(f'format: {len(files)} files formatted')
