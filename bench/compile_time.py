#!/usr/bin/env python3
"""Compile-time budget: how long `-fsyntax-only` takes for each public header
and for the umbrella headers, against <asio.hpp> and <filesystem>, measured in
the same run. Prints one JSON object per (header, baseline) pair, in the
format of the other benchmarks (docs/BENCHMARKS.md), then checks the budget:

    <vitte/sys.hpp> (all of vitte/sys) <= 0.25 x <asio.hpp>

Usage: bench/compile_time.py [--cxx g++] [--reps 5]
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


def time_header(cxx, header, reps, extra):
    with tempfile.NamedTemporaryFile('w', suffix='.cpp', delete=False) as f:
        f.write(f'#include <{header}>\n')
        name = f.name
    try:
        cmd = [cxx, '-std=c++20', '-fsyntax-only', '-I', str(ROOT / 'include'), *extra, name]
        subprocess.run(cmd, check=True)  # warm the file cache
        samples = []
        for _ in range(reps):
            t0 = time.perf_counter_ns()
            subprocess.run(cmd, check=True)
            samples.append(time.perf_counter_ns() - t0)
        return statistics.median(samples)
    finally:
        os.unlink(name)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--cxx', default=os.environ.get('CXX', 'g++'))
    p.add_argument('--reps', type=int, default=5)
    args = p.parse_args()
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
    h, bname, limit = BUDGET
    ratio = ratios[(h, bname)]
    ok = ratio <= limit
    print(f'budget: <{h}> is {ratio:.3f}x <{bname}> (limit {limit}x): {"ok" if ok else "OVER BUDGET"}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
