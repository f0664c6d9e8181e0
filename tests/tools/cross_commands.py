#!/usr/bin/env python3
"""`vitte cross` end to end: the examples (a Meson project: this source
tree with its tests, benchmarks and tool disabled) built for
aarch64-linux-gnu and run under qemu-user, and for x86_64-w64-mingw32 and
run under wine; the C example (examples/wc.c) built for wasm32-wasi and run
by `vitte run`. A target whose toolchain or runner is not installed is
skipped with the reason (scripts/test installs them all).

Usage: cross_commands.py --vitte PATH --root SOURCE_ROOT --work DIR"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL:', what, flush=True)
    return cond


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vitte', required=True)
    ap.add_argument('--root', required=True)
    ap.add_argument('--work', required=True)
    o = ap.parse_args()
    work = pathlib.Path(o.work)
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, WINEPREFIX=str(work / 'wine-prefix'), WINEDEBUG='-all', WINEDLLOVERRIDES='mscoree,mshtml=')
    # At -O0 without debug information (which doubles the static MinGW link):
    # what is checked is the cross build and its runners, not the optimizer.
    options = ['--', '-Dtests=disabled', '-Dbenchmarks=disabled', '-Dtool=disabled', '-Doptimization=0', '-Ddebug=false']

    def build_and_run(triple, runner, expect, cwd, source):
        if not shutil.which(runner):
            print(f'{triple}: skipped, {runner} is not installed')
            return
        p = subprocess.run([o.vitte, 'toolchain', '--target', triple], capture_output=True, text=True)
        if p.returncode != 0:
            print(f'{triple}: skipped, no toolchain: {p.stderr.strip()}')
            return
        p = subprocess.run([o.vitte, 'cross', '--target', triple, '--build-dir', str(work / triple), '-o',
                            'examples/platform_info', '--run', source, *options], cwd=cwd, capture_output=True,
                           text=True, env=env, timeout=900)
        check(p.returncode == 0, f'{triple}: vitte cross exit {p.returncode}: {p.stderr[-2000:]}')
        check(expect in p.stdout, f'{triple}: platform_info says {expect!r}: {p.stdout[:600]}')
        check((work / triple / 'examples' / 'echo_server').exists() or
              (work / triple / 'examples' / 'echo_server.exe').exists(), f'{triple}: the other examples were built')

    # The two builds at once, each in its own build directory: each is
    # mostly one long compile (examples/driver), so they share the cores.
    # Not from one working directory: meson setup runs `cmake
    # --system-information` there, which two at once break. The project is
    # named relative (from the source tree) and absolute.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for f in [pool.submit(build_and_run, *t) for t in (
                ('aarch64-linux-gnu', 'qemu-aarch64', 'aarch64', o.root, '.'),
                ('x86_64-w64-mingw32', 'wine', 'Windows', str(work), str(pathlib.Path(o.root).resolve())))]:
            f.result()  # raises what the build raised (a timeout)

    # --arg words go to the program --run runs; what follows -- to the compiler.
    host = json.loads(subprocess.run([o.vitte, 'toolchain', '--json'], capture_output=True, text=True).stdout)['host']
    args_c = work / 'args.c'
    args_c.write_text('#include <stdio.h>\nint main(int argc, char** argv) {\n'
                      '  printf("%s", GREETING);\n  for (int i = 1; i < argc; ++i) printf(" [%s]", argv[i]);\n'
                      '  printf("\\n");\n  return 0;\n}\n')
    p = subprocess.run([o.vitte, 'cross', '--target', host, '--build-dir', str(work / 'args'), '--run', '--arg', 'a',
                        '--arg', 'b c', str(args_c), '--', '-DGREETING="hi"'], capture_output=True, text=True,
                       timeout=300)
    check(p.returncode == 0 and p.stdout == 'hi [a] [b c]\n', f'cross --run --arg: {p.returncode} {p.stdout!r} {p.stderr}')
    p = subprocess.run([o.vitte, 'cross', '--target', host, '--arg', 'a', str(args_c)], capture_output=True, text=True)
    check(p.returncode == 2 and '--arg is for the program --run runs' in p.stderr, f'--arg without --run: {p.stderr}')

    p = subprocess.run([o.vitte, 'toolchain', '--target', 'wasm32-wasi'], capture_output=True, text=True)
    if p.returncode != 0:
        print(f'wasm32-wasi: skipped, no toolchain: {p.stderr.strip()}')
    else:
        p = subprocess.run([o.vitte, 'cross', '--target', 'wasm32-wasi', '--build-dir', str(work / 'wasi'), '--run',
                            str(pathlib.Path(o.root) / 'examples' / 'wc.c')], input='one two three\nfour\n',
                           capture_output=True, text=True, timeout=300)
        check(p.returncode == 0, f'wasm32-wasi: exit {p.returncode}: {p.stderr}')
        check(p.stdout.split() == ['2', '4', '19'], f'wasm32-wasi: wc.wasm counts 2 lines, 4 words, 19 bytes: {p.stdout!r}')
        check((work / 'wasi' / 'wc.wasm').read_bytes()[:4] == b'\0asm', 'wasm32-wasi: wc.wasm is a wasm module')
    if FAILURES:
        print(f'{len(FAILURES)} failure(s)')
        return 1
    print('cross: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
