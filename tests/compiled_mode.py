#!/usr/bin/env python3
"""Compiled mode covers every layer: a shape check.

In vitte a `.ipp` file holds non-template bodies, and nothing else:
  1. every `.ipp` under include/ is reached from a file of src/ (what
     libvitte compiles), following #include lines through every branch of
     the preprocessor (a Windows body is reached on Linux too);
  2. what a public header reaches in compiled mode (its includes, and
     theirs, through every branch but `#if VITTE_HEADER_ONLY` or
     `#if !defined(VITTE_SEPARATE_COMPILATION)`) holds no `.ipp`, so that
     compiled mode sees declarations only; `.ipp` files, and the backend
     headers only they include, include each other freely;
  3. the files of src/ are the library's sources in meson.build and
     CMakeLists.txt, both.
A file included several times for another reason (an interpreter's handlers
under three dispatchers, a table) is a `.inc`.

  python3 tests/compiled_mode.py --root .
  python3 tests/compiled_mode.py --self-test    # each rule fires on a planted tree
"""

import argparse
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
IF = re.compile(r'^\s*#\s*(if|ifdef|ifndef)\b(.*)$')
ELSE = re.compile(r'^\s*#\s*(else|elif)\b')
ENDIF = re.compile(r'^\s*#\s*endif\b')
HEADER_ONLY = re.compile(r'^(?:VITTE_HEADER_ONLY|!\s*defined\s*\(?\s*VITTE_SEPARATE_COMPILATION\s*\)?)\s*(?://.*)?$')


def vitte_include(root, name):
    """The file under include/ an include line names, or None (a standard or OS header)."""
    p = root / 'include' / name
    return p if name.startswith('vitte/') and p.is_file() else None


def reached_from_src(root):
    seen = set()
    todo = sorted((root / 'src').glob('*.cpp'))
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        for line in f.read_text(errors='replace').splitlines():
            m = INCLUDE.match(line)
            if m and (p := vitte_include(root, m.group(1))):
                todo.append(p)
    return seen


def includes_outside_header_only(path):
    """(line, name) of each include of a file outside `#if VITTE_HEADER_ONLY`."""
    stack = []  # one entry per open #if: True when its branch is header-only
    out = []
    for n, line in enumerate(path.read_text(errors='replace').splitlines(), 1):
        if m := IF.match(line):
            cond = m.group(2).strip()
            stack.append(m.group(1) == 'if' and bool(HEADER_ONLY.match(cond)))
        elif ELSE.match(line) and stack:
            stack[-1] = False
        elif ENDIF.match(line) and stack:
            stack.pop()
        elif (m := INCLUDE.match(line)) and not any(stack):
            out.append((n, m.group(1)))
    return out


def public_headers(inc):
    return [p for p in sorted(inc.rglob('*.hpp'))
            if not {'detail', 'impl'} & set(p.relative_to(inc).parts[:-1])]


def ipp_in_compiled_mode(root, inc):
    """(includer, line, .ipp) for each .ipp a public header reaches in compiled mode."""
    seen = set()
    todo = public_headers(inc)
    out = []
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        for n, name in includes_outside_header_only(f):
            p = vitte_include(root, name)
            if p is None:
                continue
            if name.endswith('.ipp'):
                out.append((f, n, name))
            else:
                todo.append(p)
    return sorted(out)


def problems(root):
    root = pathlib.Path(root)
    inc = root / 'include'
    out = []
    reached = reached_from_src(root)
    for f in sorted(inc.rglob('*.ipp')):
        if f not in reached:
            out.append(f'{f.relative_to(root)}: not reached from src/: libvitte would lack its bodies '
                       '(include it from the src/<layer>.cpp of its layer)')
    for f, n, name in ipp_in_compiled_mode(root, inc):
        out.append(f'{f.relative_to(root)}:{n}: includes {name} outside `#if VITTE_HEADER_ONLY`, and a public '
                   'header reaches it: compiled mode would compile its bodies again in every unit')
    sources = sorted(p.relative_to(root).as_posix() for p in (root / 'src').glob('*.cpp'))
    for build in ['meson.build', 'CMakeLists.txt']:
        text = (root / build).read_text() if (root / build).is_file() else ''
        for s in sources:
            if s not in text:
                out.append(f'{build}: does not list {s}: the library built from it would lack that layer')
    return out


def self_test():
    """Each rule fires on a tree planted with its violation, and a clean tree passes."""
    good = {
        'src/a.cpp': '#include <vitte/a/impl/x.ipp>\n',
        'include/vitte/a/x.hpp': '#pragma once\nint f();\n#if VITTE_HEADER_ONLY\n#include <vitte/a/impl/x.ipp>\n#endif\n',
        'include/vitte/a/impl/x.ipp': '#include <vitte/a/impl/y.ipp>\n',
        'include/vitte/a/impl/y.ipp': '#ifdef _WIN32\n#include <vitte/a/impl/win.ipp>\n#endif\n',
        'include/vitte/a/impl/win.ipp': '#include <vitte/a/detail/backend.hpp>\n',
        'include/vitte/a/detail/backend.hpp': '#include <vitte/a/impl/y.ipp>\n',  # reached from .ipp files only
        'meson.build': "files('src/a.cpp')\n",
        'CMakeLists.txt': 'src/a.cpp\n',
    }
    bad = {
        'unreached': ({'include/vitte/a/impl/z.ipp': '\n'}, 'not reached from src/'),
        'header includes ipp': ({'include/vitte/a/y.hpp': '#include <vitte/a/impl/x.ipp>\n'}, 'outside'),
        'else branch': ({'include/vitte/a/y.hpp': '#if VITTE_HEADER_ONLY\n#else\n#include <vitte/a/impl/x.ipp>\n#endif\n'},
                        'outside'),
        'other condition': ({'include/vitte/a/y.hpp': '#if VITTE_OS_LINUX\n#include <vitte/a/impl/x.ipp>\n#endif\n'},
                            'outside'),
        'through a detail header': ({'include/vitte/a/y.hpp': '#include <vitte/a/detail/d.hpp>\n',
                                     'include/vitte/a/detail/d.hpp': '#include <vitte/a/impl/x.ipp>\n'}, 'outside'),
        'unlisted source': ({'src/b.cpp': '\n'}, 'does not list src/b.cpp'),
    }
    failures = 0
    for name, (extra, expect) in [('clean', ({}, None))] + list(bad.items()):
        with tempfile.TemporaryDirectory() as tmp:
            for rel, text in {**good, **extra}.items():
                p = pathlib.Path(tmp) / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(text)
            found = problems(tmp)
            ok = (not found) if expect is None else any(expect in f for f in found)
            if not ok:
                failures += 1
                print(f'self-test {name}: expected {expect or "no problem"}, got {found}')
    print('compiled_mode self-test:', 'ok' if not failures else f'{failures} failed')
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--root')
    ap.add_argument('--self-test', action='store_true')
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    found = problems(args.root or '.')
    for f in found:
        print(f)
    print('compiled_mode:', 'ok' if not found else f'{len(found)} problems')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
