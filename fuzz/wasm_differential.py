#!/usr/bin/env python3
"""Differential check of vitte's WebAssembly validator against wabt's.

  fuzz/wasm_differential.py [--mutants N] [--seed S] [--suite DIR]

Takes every module of the official test suite (converted with wast2json),
makes N mutants of each (bit flips, byte changes, truncations, insertions,
deleted runs), and asks both vitte::wasm::decode (fuzz/wasm_check.cpp) and
`wasm-validate --enable-tail-call --enable-extended-const` whether each is a
valid module (SIMD included: the suite's simd/ files too). They must agree,
except where vitte refuses on purpose: its engine limits (limit_exceeded). Prints the
counts and every disagreement; exits 1 when there is one.
"""
import argparse
import os
import pathlib
import random
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def mutate(data, rng):
    b = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if not b:
            break
        k = rng.randrange(5)
        i = rng.randrange(len(b))
        if k == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif k == 1:
            b[i] = rng.randrange(256)
        elif k == 2:
            del b[rng.randrange(8, len(b)) if len(b) > 8 else i:]
        elif k == 3:
            b.insert(i, rng.randrange(256))
        else:
            del b[i:i + rng.randint(1, 4)]
    return bytes(b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mutants', type=int, default=3)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--suite', default=str(ROOT.parent / 'shared' / 'wasm' / 'testsuite'))
    args = ap.parse_args()
    for tool in ('wast2json', 'wasm-validate'):
        if shutil.which(tool) is None:
            print(f'SKIP: {tool} (Debian package wabt) is not installed')
            return 77
    suite = pathlib.Path(args.suite)
    if not (suite / 'core').is_dir():
        print(f'SKIP: no WebAssembly test suite at {suite}')
        return 77
    work = pathlib.Path(tempfile.mkdtemp(prefix='wasm-diff-'))
    try:
        checker = work / 'wasm_check'
        subprocess.run([*shlex.split(os.environ.get('CXX', 'c++')), '-std=c++20', '-O1', f'-I{ROOT / "include"}',
                        str(ROOT / 'fuzz' / 'wasm_check.cpp'), '-o', str(checker)], check=True)
        for w in sorted((suite / 'core').glob('*.wast')) + sorted((suite / 'simd').glob('*.wast')):
            subprocess.run(['wast2json', str(w), '-o', str(work / (w.stem + '.json'))],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rng = random.Random(args.seed)
        files = []
        for src in sorted(work.glob('*.wasm')):
            data = src.read_bytes()
            for k in range(args.mutants):
                p = work / f'm_{src.stem}_{k}.bin'
                p.write_bytes(mutate(data, rng))
                files.append(p)
        ours = []
        for i in range(0, len(files), 500):
            out = subprocess.run([str(checker)] + [str(f) for f in files[i:i + 500]], capture_output=True,
                                 text=True).stdout.splitlines()
            ours += out
        agree = excused = 0
        disagreements = []
        for f, v in zip(files, ours):
            theirs = subprocess.run(['wasm-validate', '--enable-tail-call', '--enable-extended-const', str(f)],
                                    capture_output=True, text=True).returncode == 0
            mine = v == 'accept'
            if mine == theirs:
                agree += 1
            elif not mine and v.startswith('reject limit exceeded'):
                excused += 1
            else:
                disagreements.append((f.name, 'vitte ' + v, 'wabt ' + ('accept' if theirs else 'reject')))
        for d in disagreements:
            print('DISAGREE', *d)
        print(f'{len(files)} mutants: {agree} agree, {excused} refused by vitte on purpose (engine limits), '
              f'{len(disagreements)} disagree')
        return 1 if disagreements else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
