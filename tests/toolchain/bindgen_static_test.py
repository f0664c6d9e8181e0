#!/usr/bin/env python3
"""vitte bindgen in a static host: the programs of bindgen/ (NAME.cpp),
built -static with the static surface and the bindings `vitte bindgen`
generated at build time (tests/meson.build), each bind their library as an
image set and compare with the same calls compiled against its header
(linked from its static archive; libcurl's recorded from libcurl.so.4 at
build time, bindgen/curl_record.c). Arguments, three per library: its name,
the program (empty when not built) and the library to load (-lLIB), or the
reason it was not built.

  bindgen_static_test.py NAME PROGRAM LIB|REASON ...
"""
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bindgen_libraries import library_file  # noqa: E402

CC = os.environ.get('BINDGEN_CC', 'cc')
passed = failed = skipped = 0
args = sys.argv[1:]
for name, program, lib in zip(args[0::3], args[1::3], args[2::3]):
    if not program:
        skipped += 1
        print(f'SKIP {name}: {lib}')
        continue
    path = library_file(lib, CC)
    if path is None:
        skipped += 1
        print(f'SKIP {name}: lib{lib}.so not installed')
        continue
    r = subprocess.run([program, path], capture_output=True, text=True)
    if r.returncode != 0:
        failed += 1
        print(f'FAIL {name}: calls through the table, bound from images\n{r.stdout}{r.stderr}')
        continue
    passed += 1
    print(f'PASS {name}: {r.stdout.strip()}')
print(f'{passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed else 77 if passed == 0 else 0)
