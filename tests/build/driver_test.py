#!/usr/bin/env python3
"""Runs examples/driver on a copy of examples/driver/project: a first build
compiles and links everything; a second does nothing and says so; editing
util.h rebuilds exactly the objects that include it (main.o, util.o); a
`touch` without a change rebuilds nothing; a build directory removed and
made again restores every object from the cache.

usage: driver_test.py DRIVER PROJECT"""
import os
import shutil
import subprocess
import sys
import tempfile


def run(driver, project, build, cache):
    p = subprocess.run([driver, project, build, '--cache', cache], capture_output=True, text=True, timeout=300)
    print(p.stdout, end='')
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        sys.exit('driver failed')
    return p.stdout


def expect(cond, what):
    if not cond:
        sys.exit('FAILED: ' + what)


def compiled(out):
    return sorted(line.split()[1] for line in out.splitlines() if line.startswith('  cc '))


def main():
    driver, source = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix='vitte-driver-') as tmp:
        project = os.path.join(tmp, 'project')
        shutil.copytree(source, project)
        build, cache = os.path.join(tmp, 'build'), os.path.join(tmp, 'cache')

        out = run(driver, project, build, cache)
        expect(compiled(out) == ['main.o', 'shapes.o', 'util.o'], 'the first build compiles every object')
        expect('3 compiled, 0 from the cache, 0 up to date, linked' in out, 'the first build links')
        expect('app: area 12, sum 6' in out, 'the program runs')

        out = run(driver, project, build, cache)
        expect(compiled(out) == [] and 'nothing to do' in out, 'a second build does nothing and says so')

        with open(os.path.join(project, 'util.h'), 'a') as f:
            f.write('int twice(int n);\n')
        out = run(driver, project, build, cache)
        expect(compiled(out) == ['main.o', 'util.o'], 'editing util.h rebuilds exactly main.o and util.o')
        expect('input changed: ' + os.path.join(project, 'util.h') in out, 'and says which input changed')

        os.utime(os.path.join(project, 'shapes.h'))
        out = run(driver, project, build, cache)
        expect('nothing to do' in out, 'touching a header without changing it rebuilds nothing')

        # Objects name their build directory (the command key holds it), so
        # the cache serves a build directory made again at the same place.
        shutil.rmtree(build)
        out = run(driver, project, build, cache)
        expect('0 compiled, 3 from the cache' in out, 'a removed build directory comes back from the cache')
        expect('app: area 12, sum 6' in out, 'and the program still runs')
    print('driver: every check passed')


main()
