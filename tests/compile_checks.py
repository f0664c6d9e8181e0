#!/usr/bin/env python3
"""Compile-time checks that protect the library's shape.

  compile_checks.py headers --root DIR [--exclude GLOB ...] [-D MACRO ...] [--modes M,...] [--together M,...] -- CXX...
      Every public header of include/vitte compiles on its own (included
      twice, so include guards are checked too), warning-free, in three modes
      (--modes: some of them). The modes named by --together compile every
      header in one unit instead, in seconds rather than minutes: the
      compiler's warnings on every header, and no OS header leaking out in
      compiled mode, but not whether each header stands alone (another mode
      or compiler checks that). When that unit fails, each header is
      compiled alone in that mode, to name the one at fault:
        default            -std=c++20 -Wall -Wextra -Wpedantic -Werror
        no-exceptions      ... -fno-exceptions -fno-rtti
        compiled-mode      ... -DVITTE_SEPARATE_COMPILATION, and no OS header
                           leaks out of the public header.
  compile_checks.py fail --root DIR SOURCE... -- CXX...
      Each SOURCE must fail to compile, and the compiler's output must contain
      the text given on its `// expect: ...` line.

Exit status 0 when every check holds; the output lists each failure.

A header that passed is remembered in a result cache, as ccache remembers
an object: the key is the compiler (its command and --version), the flags and
the header's preprocessed text (the checkout's path written as a token, so
that clones elsewhere share it). A later run preprocesses each header (about a
twentieth of a compile) and compiles only what changed. The cache is
$VITTE_SHAPE_CACHE, else $CCACHE_DIR/vitte-shape-checks, else none; failures
are never cached.
"""
import argparse
import concurrent.futures
import fnmatch
import hashlib
import os
import pathlib
import subprocess
import sys
import tempfile

BASE_FLAGS = ['-std=c++20', '-Wall', '-Wextra', '-Wpedantic', '-Werror', '-fsyntax-only']

# Include guards of OS headers that a public header must not drag in when
# vitte is used in compiled mode (glibc and mingw-w64 spellings).
OS_HEADER_GUARDS = [
    '_UNISTD_H', '_FCNTL_H', '_SYS_SOCKET_H', '_SYS_MMAN_H', '_SYS_UTSNAME_H', '_DLFCN_H',
    '_SYS_EPOLL_H', '_SYS_STAT_H', '_WINDOWS_', '_WINSOCK2API_', '_INC_WINDOWS',
]

MODES = {
    'default': [],
    'no-exceptions': ['-fno-exceptions', '-fno-rtti'],
    'compiled-mode': ['-DVITTE_SEPARATE_COMPILATION'],
}


def public_headers(root, excludes):
    inc = pathlib.Path(root) / 'include'
    out = []
    for p in sorted(inc.rglob('*.hpp')):
        rel = p.relative_to(inc).as_posix()
        parts = rel.split('/')
        if 'detail' in parts or 'impl' in parts:
            continue
        if any(fnmatch.fnmatch(rel, g) for g in excludes):
            continue
        out.append(rel)
    return out


def compile_source(cxx, flags, text, suffix='.cpp'):
    with tempfile.NamedTemporaryFile('w', suffix=suffix, delete=False) as f:
        f.write(text)
        name = f.name
    try:
        r = subprocess.run(cxx + flags + [name], capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr
    finally:
        os.unlink(name)


# Standard headers a public header may include. What they pull in (libstdc++'s
# <atomic> includes <unistd.h> for futex waits) is the standard library's
# doing; only OS headers beyond this baseline count as leaks.
STD_BASELINE = ['algorithm', 'atomic', 'cassert', 'chrono', 'climits', 'concepts', 'cstddef', 'cstdint',
                'cstdio', 'cstdlib', 'cstring', 'exception', 'limits', 'memory', 'new', 'span', 'string',
                'string_view', 'system_error', 'type_traits', 'utility', 'memory_resource', 'mutex',
                'thread', 'condition_variable', 'vector', 'optional', 'array', 'bit', 'ctime']


def defined_macros(cxx, flags, text):
    rc, out = compile_source(cxx, [f for f in flags if f != '-fsyntax-only'] + ['-E', '-dM'], text)
    if rc != 0:
        return None
    return {l.split()[1].split('(')[0] for l in out.splitlines() if l.startswith('#define ')}


_baseline_cache = {}


def baseline_guards(cxx, flags):
    key = tuple(flags)
    if key not in _baseline_cache:
        text = ''.join(f'#if __has_include(<{h}>)\n#include <{h}>\n#endif\n' for h in STD_BASELINE)
        _baseline_cache[key] = (defined_macros(cxx, flags, text) or set()) & set(OS_HEADER_GUARDS)
    return _baseline_cache[key]


def result_cache():
    d = os.environ.get('VITTE_SHAPE_CACHE')
    if d is None and os.environ.get('CCACHE_DIR'):
        d = os.path.join(os.environ['CCACHE_DIR'], 'vitte-shape-checks')
    return pathlib.Path(d) if d else None


_identity = {}


def compiler_identity(cxx):
    key = tuple(cxx)
    if key not in _identity:
        r = subprocess.run(cxx + ['--version'], capture_output=True, text=True)
        _identity[key] = ' '.join(c for c in cxx if os.path.basename(c) != 'ccache') + '\n' + r.stdout
    return _identity[key]


def cache_key(cxx, inc, flags, text):
    """The result cache's key for compiling `text` with `flags`, or None when
    it does not preprocess (the compile then says why)."""
    with tempfile.NamedTemporaryFile('w', suffix='.cpp', delete=False) as f:
        f.write(text)
        name = f.name
    try:
        pre = [f for f in flags if f != '-fsyntax-only'] + ['-E']
        r = subprocess.run(cxx + pre + [name], capture_output=True, text=True)
        if r.returncode != 0:
            return None
        seen = r.stdout.replace(name, '@SRC@').replace(inc, '@INC@')
    finally:
        os.unlink(name)
    h = hashlib.sha256()
    for part in (compiler_identity(cxx), ' '.join(flags).replace(inc, '@INC@'), seen):
        h.update(part.encode('utf-8', 'surrogateescape'))
        h.update(b'\0')
    return h.hexdigest()


def check_header(cxx, inc, defines, header, mode, cache=None):
    """`header`: one header, or a list of headers compiled in one unit."""
    together = header if isinstance(header, list) else [header]
    text = ''.join(f'#include <{h}>\n#include <{h}>\n' for h in together)
    if isinstance(header, list):
        header = f'every header ({len(header)}) in one unit'
    flags = BASE_FLAGS + MODES[mode] + ['-I', inc] + [f'-D{d}' for d in defines]
    key = cache_key(cxx, inc, flags, text) if cache is not None else None
    if key is not None and (cache / key[:2] / key).exists():
        return header, mode, 0, ''
    rc, out = compile_source(cxx, flags, text)
    if rc == 0 and mode == 'compiled-mode':
        leaked = (defined_macros(cxx, flags, text) or set()) & set(OS_HEADER_GUARDS)
        leaked -= baseline_guards(cxx, flags)
        if leaked:
            return header, mode, 1, f'{header} includes OS headers in compiled mode: {sorted(leaked)}'
    if rc == 0 and key is not None:
        entry = cache / key[:2] / key
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f'.{os.getpid()}.tmp')
        tmp.write_text(f'{header} [{mode}]\n')
        os.replace(tmp, entry)
    return header, mode, rc, out


def run_headers(args, cxx):
    inc = str(pathlib.Path(args.root) / 'include')
    headers = public_headers(args.root, args.exclude)
    modes = args.modes.split(',') if args.modes else list(MODES)
    together = [m for m in args.together.split(',') if m]
    unknown = [m for m in modes + together if m not in MODES]
    if unknown:
        print(f'unknown mode(s) {unknown}; the modes are {list(MODES)}')
        return 2
    cache = result_cache()
    baseline_guards(cxx, BASE_FLAGS + MODES['compiled-mode'] + ['-I', inc] + [f'-D{d}' for d in args.define])

    def check_all(jobs):
        """(header or list, mode) jobs -> the failed ones, with their output."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = [f.result() for f in [pool.submit(check_header, cxx, inc, args.define, h, m, cache)
                                            for h, m in jobs]]
        return [(job, header, mode, out) for job, (header, mode, rc, out) in zip(jobs, results) if rc != 0]

    # A mode checked together that fails is checked header by header, which
    # names the header at fault.
    jobs = [(headers, m) for m in modes if m in together] + [(h, m) for h in headers for m in modes
                                                             if m not in together]
    failures = check_all(jobs)
    again = [(h, m) for (job, _, m, _) in failures if isinstance(job[0], list) for h in headers]
    failures = [f for f in failures if not isinstance(f[0][0], list)] + check_all(again)
    for _, header, mode, out in failures:
        print(f'FAIL {header} [{mode}]\n{out}')
    where = f'; results cached in {cache}' if cache is not None else ''
    alone = [m for m in modes if m not in together]
    what = [f'{len(headers)} headers alone x {", ".join(alone)}'] if alone else []
    what += [f'{len(headers)} headers in one unit x {", ".join(m for m in modes if m in together)}'] \
        if any(m in together for m in modes) else []
    print(f'{len(failures)} failed ({"; ".join(what)}{where})')
    return 1 if failures else 0


def run_fail(args, cxx):
    inc = str(pathlib.Path(args.root) / 'include')
    failed = 0
    for src in args.sources:
        text = pathlib.Path(src).read_text()
        expect = [l.split('// expect:', 1)[1].strip() for l in text.splitlines() if '// expect:' in l]
        if not expect:
            print(f'FAIL {src}: no "// expect:" line')
            failed += 1
            continue
        flags = ['-std=c++20', '-fsyntax-only', '-I', inc] + [f'-D{d}' for d in args.define]
        rc, out = compile_source(cxx, flags, text)
        missing = [e for e in expect if e not in out]
        if rc == 0:
            print(f'FAIL {src}: compiled, but must not')
            failed += 1
        elif missing:
            print(f'FAIL {src}: the diagnostic lacks {missing!r}\n{out}')
            failed += 1
        else:
            print(f'ok   {src}: rejected with {expect!r}')
    print(f'{len(args.sources) - failed} passed, {failed} failed')
    return 1 if failed else 0


def main():
    argv = sys.argv[1:]
    if '--' not in argv:
        sys.exit('usage: compile_checks.py {headers|fail} ... -- CXX...')
    split = argv.index('--')
    cxx = argv[split + 1:]
    p = argparse.ArgumentParser()
    p.add_argument('command', choices=['headers', 'fail'])
    p.add_argument('--root', required=True)
    p.add_argument('--exclude', action='append', default=[])
    p.add_argument('-D', '--define', action='append', default=[])
    p.add_argument('--modes', default='', help='comma-separated modes of `headers` (default: all)')
    p.add_argument('--together', default='',
                   help='`headers`: modes (of --modes) checked with every header in one unit')
    p.add_argument('sources', nargs='*')
    args = p.parse_intermixed_args(argv[:split])
    return run_headers(args, cxx) if args.command == 'headers' else run_fail(args, cxx)


if __name__ == '__main__':
    sys.exit(main())
