#!/usr/bin/env python3
"""Builds the consumer project two ways, as users would:
  1. vitte as a Meson subproject (dependency('vitte') with the fallback);
  2. vitte installed under a prefix, found through its pkg-config file.
Each build must compile warning-free and its program must run."""
import argparse
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    print('+', ' '.join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--root', required=True)
    root = pathlib.Path(p.parse_args().root).resolve()
    consumer = root / 'tests' / 'consumer'
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # 1. Subproject.
        run(['meson', 'setup', tmp / 'sub', consumer, '--force-fallback-for=vitte'], stdout=subprocess.DEVNULL)
        run(['meson', 'compile', '-C', tmp / 'sub'], stdout=subprocess.DEVNULL)
        run([tmp / 'sub' / 'consumer'])
        # 2. Installed, through pkg-config.
        prefix = tmp / 'prefix'
        run(['meson', 'setup', tmp / 'lib', root, f'--prefix={prefix}', '-Dtests=disabled',
             '-Dbenchmarks=disabled', '-Dexamples=disabled'], stdout=subprocess.DEVNULL)
        run(['meson', 'install', '-C', tmp / 'lib', '--quiet'])
        pc_dirs = [str(d.parent) for d in prefix.rglob('vitte.pc')]
        if not pc_dirs:
            print('FAIL: no vitte.pc installed')
            return 1
        env = dict(os.environ, PKG_CONFIG_PATH=os.pathsep.join(pc_dirs))
        cflags = subprocess.run(['pkg-config', '--cflags', 'vitte'], env=env, check=True,
                                capture_output=True, text=True).stdout.split()
        if not (prefix / 'include' / 'vitte' / 'sys' / 'time.hpp').exists():
            print('FAIL: headers not installed with their paths')
            return 1
        cxx = shlex.split(os.environ.get('CXX', 'c++'))  # may be 'ccache g++'
        run([*cxx, '-std=c++20', '-Wall', '-Wextra', '-Wpedantic', '-Werror', *cflags,
             consumer / 'consumer.cpp', '-o', tmp / 'installed', '-pthread'])
        run([tmp / 'installed'])
    print('consumer: subproject and installed builds work')
    return 0


if __name__ == '__main__':
    sys.exit(main())
