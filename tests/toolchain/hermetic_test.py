#!/usr/bin/env python3
"""examples/driver --hermetic: each compile in a sandbox that sees only the
project, the declared --input directories, the compiler and its object's
directory (vitte/toolchain/hermetic.hpp).

A generated project builds hermetically and its program runs; a header in a
declared --input directory is reachable; a source that includes a header
outside the declared inputs, by an absolute path or through -I of an
undeclared directory (a compile_commands.json entry), fails, and the
driver's output names that file; the same project builds without
--hermetic (the failure is the sandbox's); --hermetic with --distcc is
refused with a message. Exit 77 (skip) where the kernel has no Landlock.

usage: hermetic_test.py DRIVER"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
from projects import generated_project  # noqa: E402


def landlock_abi():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(NULL, 0, VERSION)


def driver(exe, project, build, *extra, fails=False):
    p = subprocess.run([exe, project, build, '--cache', build + '-cache', *extra], capture_output=True, text=True,
                       timeout=300)
    said = p.stdout + p.stderr
    print(said, end='')
    if (p.returncode != 0) != fails:
        sys.exit('driver %s: %s' % ('succeeded' if fails else 'failed', ' '.join(extra)))
    return said


def main():
    exe = sys.argv[1]
    if landlock_abi() < 1:
        print('SKIP: the kernel has no Landlock: a hermetic compile cannot be checked here')
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.path.realpath(tmp)
        # A generated project: builds and runs, every compile sealed.
        project = os.path.join(tmp, 'project')
        generated_project(project, 5)
        said = driver(exe, project, os.path.join(tmp, 'build'), '--hermetic', '--run')
        assert '6 compiled' in said and 'app: sum 10' in said, said

        # A header in a declared --input directory is reachable.
        shared = os.path.join(tmp, 'shared')
        os.makedirs(shared)
        with open(os.path.join(shared, 'ten.h'), 'w') as f:
            f.write('#define TEN 10\n')
        with open(os.path.join(project, 'src', 'f0.c'), 'w') as f:
            f.write('#include "%s/ten.h"\nint f0(void) { return TEN - 10; }\n' % shared)
        said = driver(exe, project, os.path.join(tmp, 'build-input'), '--hermetic', '--input', shared, '--run')
        assert 'app: sum 10' in said, said

        # Without --input the same header is outside: the compile fails, named.
        header = os.path.join(shared, 'ten.h')
        said = driver(exe, project, os.path.join(tmp, 'build-outside'), '--hermetic', fails=True)
        assert 'f0.o  failed' in said, said
        assert 'driver: hermetic: src/f0.o touched %s, outside its declared inputs' % header in said, said
        # The failure is the sandbox's: without it the project builds.
        said = driver(exe, project, os.path.join(tmp, 'build-open'), '--run')
        assert 'app: sum 10' in said, said

        # Through -I of an undeclared directory (a compilation database).
        with open(os.path.join(project, 'src', 'f0.c'), 'w') as f:
            f.write('#include "ten.h"\nint f0(void) { return TEN - 10; }\n')
        entry = {'directory': project, 'file': 'src/f0.c', 'output': os.path.join(tmp, 'db-obj', 'f0.o'),
                 'arguments': ['cc', '-I', shared, '-c', 'src/f0.c', '-o', os.path.join(tmp, 'db-obj', 'f0.o')]}
        db = os.path.join(tmp, 'compile_commands.json')
        with open(db, 'w') as f:
            json.dump([entry], f)
        said = driver(exe, project, os.path.join(tmp, 'build-db'), '--compile-commands', db, '--hermetic', fails=True)
        assert 'driver: hermetic: %s touched %s, outside its declared inputs' % (entry['output'], header) in said, said
        said = driver(exe, project, os.path.join(tmp, 'build-db2'), '--compile-commands', db, '--hermetic',
                      '--input', shared)
        assert '1 compiled' in said, said

        # --distcc does not go with it (the pool preprocesses outside the sandbox).
        said = driver(exe, project, os.path.join(tmp, 'build-distcc'), '--hermetic', '--distcc', 'localhost/2',
                      fails=True)
        assert '--hermetic and --distcc do not go together' in said, said
    print('hermetic: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
