#!/usr/bin/env python3
"""vitte bindgen on installed C libraries: for each, the bindings are
generated from its headers, compiled with every C++ compiler found (g++,
clang++) at -Wall -Wextra -Werror (every static_assert of layouts and
signatures must hold), and run: the test program calls the library through
the generated table, bound by the OS loader and as an in-memory image set,
and compares with the same calls compiled against the library's own header
(bindgen/<lib>_direct.c). Two libraries are the test's own: forms (every
declaration form) and versions (one function at two symbol versions, a
row each). A library whose header is not installed is skipped with the
reason. Then the plugin direction: calc_plugin.c's export
list generated from calc.h, a host bound through calc.h's bindings, and a
changed header refused by bind<>.

  bindgen_test.py VITTE SOURCE_ROOT
"""
import os
import shutil
import subprocess
import sys
import tempfile

VITTE, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
HERE = os.path.join(ROOT, 'tests', 'toolchain', 'bindgen')
INCLUDE = os.path.join(ROOT, 'include')
CC = os.environ.get('BINDGEN_CC', 'cc')
CXXFLAGS = ['-std=c++20', '-Wall', '-Wextra', '-Werror', '-fno-exceptions', '-fno-rtti']

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bindgen_libraries import LIBRARIES as INSTALLED, library_file  # noqa: E402 (shared with the static host's test)

# name, headers, bindgen arguments, -I for the direct C file, the library to link and load
LIBRARIES = [
    # every C declaration form bindgen carries, in a library the test builds (bindgen/forms.c)
    ('forms', [os.path.join(HERE, 'forms.h')], ['--module', 'forms'], ['-I' + HERE], 'forms'),
    # one function at two symbol versions (bindgen/versions.c), a row per version
    ('versions', [os.path.join(HERE, 'versions.h')], ['--module', 'versions'], ['-I' + HERE], 'versions'),
] + [spec[:5] for spec in INSTALLED]
# The libraries the test builds: their link arguments.
BUILT = {'forms': [], 'versions': ['-Wl,--version-script=' + os.path.join(HERE, 'versions.map')]}
# Bindings a test program includes besides its library's: a version the library lacks.
MORE_BINDINGS = {'versions': [('versions_missing.h', 'versions_missing')]}

passed = failed = skipped = 0


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def say_failed(name, what, r):
    global failed
    failed += 1
    print(f'FAIL {name}: {what}\n{r.stdout}{r.stderr}')


def compilers():
    found = [c for c in ('g++', 'clang++') if shutil.which(c)]
    return found or ['c++']


def header_present(headers, includes):
    src = ''.join(f'#include <{h}>\n' for h in headers)
    r = run([CC, '-E', '-x', 'c', '-'] + includes + ['-o', os.devnull], input=src)
    return r.returncode == 0


def library(work, name, headers, args, includes, lib):
    global passed, skipped
    if not header_present(headers, includes):
        skipped += 1
        print(f'SKIP {name}: {", ".join(headers)} not installed')
        return
    link = []
    if lib in BUILT:
        so = os.path.join(work, f'lib{lib}.so')
        r = run([CC, '-shared', '-fPIC', '-Wall', '-Wextra', '-Werror'] + includes +
                [os.path.join(HERE, f'{lib}.c'), '-o', so] + BUILT[lib])
        if r.returncode != 0:
            return say_failed(name, 'the library', r)
        link = ['-L', work, f'-Wl,-rpath,{work}']
    else:
        so = library_file(lib, CC)
    if so is None or not os.path.exists(so):
        skipped += 1
        print(f'SKIP {name}: lib{lib}.so not installed')
        return
    out = os.path.join(work, f'{name}_api.hpp')
    r = run([VITTE, 'bindgen'] + headers + args + ['-o', out])
    if r.returncode != 0:
        return say_failed(name, 'vitte bindgen', r)
    for header, module in MORE_BINDINGS.get(name, []):
        r = run([VITTE, 'bindgen', os.path.join(HERE, header), '--module', module, '-o',
                 os.path.join(work, f'{module}_api.hpp')])
        if r.returncode != 0:
            return say_failed(name, 'vitte bindgen ' + header, r)
    direct = os.path.join(work, f'{name}_direct.o')
    r = run([CC, '-c', '-Wall', '-Wextra', '-Werror'] + includes + [os.path.join(HERE, f'{name}_direct.c'), '-o', direct])
    if r.returncode != 0:
        return say_failed(name, 'the direct C file', r)
    for cxx in compilers():
        exe = os.path.join(work, f'{name}_{cxx}')
        r = run([cxx] + CXXFLAGS + ['-I', work, '-I', INCLUDE, '-I', HERE, os.path.join(HERE, f'{name}.cpp'), direct,
                                    '-o', exe] + link + [f'-l{lib}', '-ldl', '-lpthread'])
        if r.returncode != 0:
            say_failed(f'{name} ({cxx})', 'the bindings compile with their static_asserts', r)
            continue
        r = run([exe, so])
        if r.returncode != 0:
            say_failed(f'{name} ({cxx})', 'calls through the table', r)
            continue
        passed += 1
        print(f'PASS {name} ({cxx}): {r.stdout.strip()}')


def plugin(work):
    """calc: the export list from the header, a host bound through it, a changed header refused."""
    global passed
    exports = os.path.join(work, 'calc_exports.h')
    for args, out in ((['--plugin-exports'], exports), ([], os.path.join(work, 'calc_api.hpp'))):
        r = run([VITTE, 'bindgen', os.path.join(HERE, 'calc.h'), '--module', 'calc'] + args + ['-o', out])
        if r.returncode != 0:
            return say_failed('calc', 'vitte bindgen calc.h ' + ' '.join(args), r)
    r = run([VITTE, 'bindgen', os.path.join(HERE, 'calc_changed.h'), '--module', 'calc_changed', '-o',
             os.path.join(work, 'calc_changed_api.hpp')])
    if r.returncode != 0:
        return say_failed('calc', 'vitte bindgen calc_changed.h', r)
    plugins = os.path.join(work, 'plugins')
    os.makedirs(plugins, exist_ok=True)
    r = run([CC, '-shared', '-fPIC', '-Wall', '-Wextra', '-Werror', '-I', work, '-I', HERE, '-I', INCLUDE,
             os.path.join(HERE, 'calc_plugin.c'), '-o', os.path.join(plugins, 'libcalc.so'), '-lm'])
    if r.returncode != 0:
        return say_failed('calc', 'the plugin with its generated export list', r)
    for cxx in compilers():
        exe = os.path.join(work, f'calc_host_{cxx}')
        r = run([cxx] + CXXFLAGS + ['-I', work, '-I', INCLUDE, os.path.join(HERE, 'calc_host.cpp'), '-o', exe, '-ldl',
                                    '-lpthread'])
        if r.returncode != 0:
            say_failed(f'calc ({cxx})', 'the host compiles', r)
            continue
        r = run([exe, plugins])
        if r.returncode != 0:
            say_failed(f'calc ({cxx})', 'bind and the refusal', r)
            continue
        passed += 1
        print(f'PASS calc ({cxx}): {r.stdout.strip()}')


with tempfile.TemporaryDirectory(prefix='vitte-bindgen-test-') as work:
    for spec in LIBRARIES:
        library(work, *spec)
    plugin(work)

print(f'{passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed else 77 if passed == 0 else 0)
