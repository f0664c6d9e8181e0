#!/usr/bin/env python3
"""Compile-time budget: how long `-fsyntax-only` takes for each public header
and for the umbrella headers, against <asio.hpp> and <filesystem>, measured in
the same run. Prints one JSON object per (header, baseline) pair, in the
format of the other benchmarks (docs/BENCHMARKS.md), then checks the budget:

    <vitte/sys.hpp> (all of vitte/sys) <= 0.25 x <asio.hpp>

Then what compiled mode saves a user's translation unit (compile.user_tu:
-DVITTE_SEPARATE_COMPILATION against header-only, -O2 -c).

Usage: bench/compile_time.py [--cxx g++] [--reps 5] [--budget-only]
Exit status 1 when the budget does not hold, 2 when asio is missing.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUDGET = ('vitte/sys.hpp', 'asio.hpp', 0.25)


def headers():
    inc = ROOT / 'include'
    out = []
    for p in sorted(inc.rglob('*.hpp')):
        rel = p.relative_to(inc).as_posix()
        if '/detail/' in rel or '/impl/' in rel or rel.startswith('vitte/sys/policy/'):
            continue
        out.append(rel)
    return out


def command(cxx, header, extra, tmpdir):
    src = pathlib.Path(tmpdir) / (header.replace('/', '_') + '.cpp')
    src.write_text(f'#include <{header}>\n')
    return [cxx, '-std=c++20', '-fsyntax-only', '-I', str(ROOT / 'include'), *extra, str(src)]


def run_once(cmd):
    t0 = time.perf_counter_ns()
    subprocess.run(cmd, check=True)
    return time.perf_counter_ns() - t0


def time_headers(cxx, names, reps, extra=()):
    """Median -fsyntax-only time of each header. The headers take turns in
    each repetition, so that load on a shared machine hits them alike."""
    with tempfile.TemporaryDirectory() as tmp:
        cmds = {h: command(cxx, h, list(extra), tmp) for h in names}
        for cmd in cmds.values():
            subprocess.run(cmd, check=True)  # warm the file cache
        samples = {h: [] for h in names}
        for _ in range(reps):
            for h, cmd in cmds.items():
                samples[h].append(run_once(cmd))
        return {h: statistics.median(v) for h, v in samples.items()}


def time_header(cxx, header, reps, extra):
    return time_headers(cxx, [header], reps, extra)[header]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--cxx', default=os.environ.get('CXX', 'g++'))
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--budget-only', action='store_true', help='measure only the budget pair')
    args = p.parse_args()
    budget_header, budget_base, limit = BUDGET
    try:
        paired = time_headers(args.cxx, [budget_base, budget_header], max(args.reps, 9))
    except subprocess.CalledProcessError:
        print('compile_time: <asio.hpp> not found (apt-get install libasio-dev)', file=sys.stderr)
        return 2
    if args.budget_only:
        return report_budget(paired)
    try:
        asio = time_header(args.cxx, 'asio.hpp', args.reps, [])
    except subprocess.CalledProcessError:
        print('compile_time: <asio.hpp> not found (apt-get install libasio-dev)', file=sys.stderr)
        return 2
    baselines = {'asio.hpp': asio, 'filesystem': time_header(args.cxx, 'filesystem', args.reps, [])}
    ratios = {}
    for h in headers():
        t = time_header(args.cxx, h, args.reps, [])
        for bname, bt in baselines.items():
            ratios[(h, bname)] = t / bt
            print(json.dumps({'bench': f'compile.{h}', 'impl': 'vitte', 'median_ns': round(t),
                              'baseline': bname, 'baseline_median_ns': round(bt),
                              'ratio': round(t / bt, 3), 'compiler': args.cxx}), flush=True)
    user_translation_unit(args.cxx, args.reps)
    return report_budget(paired)


def user_translation_unit(cxx, reps):
    """What compiled mode saves a user: tests/consumers/consumer.cpp (it
    includes <vitte/sys.hpp>) compiled to an object at -O2, header-only
    against -DVITTE_SEPARATE_COMPILATION (the bodies are then in libvitte.a,
    compiled once)."""
    src = ROOT / 'tests' / 'consumers' / 'consumer.cpp'
    with tempfile.TemporaryDirectory() as tmp:
        def cmd(extra):
            return [cxx, '-std=c++20', '-O2', '-c', '-I', str(ROOT / 'include'), *extra, str(src), '-o',
                    str(pathlib.Path(tmp) / 'consumer.o')]
        header_only, compiled = [], []
        for _ in range(reps):  # alternated, so load hits both alike
            header_only.append(run_once(cmd([])))
            compiled.append(run_once(cmd(['-DVITTE_SEPARATE_COMPILATION'])))
    h, c = statistics.median(header_only), statistics.median(compiled)
    print(json.dumps({'bench': 'compile.user_tu', 'impl': 'compiled', 'median_ns': round(c),
                      'baseline': 'header-only', 'baseline_median_ns': round(h), 'ratio': round(c / h, 3),
                      'saved_ms': round((h - c) / 1e6), 'compiler': cxx}), flush=True)


def report_budget(paired):
    h, bname, limit = BUDGET
    ratio = paired[h] / paired[bname]  # measured in alternation: robust to load
    ok = ratio <= limit
    print(f'budget: <{h}> is {ratio:.3f}x <{bname}> (limit {limit}x): {"ok" if ok else "OVER BUDGET"}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
