#!/usr/bin/env python3
"""Builds and runs the consumer projects of tests/consumers, as users would
take vitte:
  1. Meson subproject: dependency('vitte') with subprojects/vitte;
  2. Meson wrap: subprojects/vitte.wrap ([wrap-git] at this checkout);
  3. installed by `meson install -Dcompiled=true` into a temporary prefix,
     then found through pkg-config (vitte and vitte-compiled);
  4. the same prefix through CMake's find_package(vitte): vitte::vitte and
     vitte::compiled;
  5. CMake add_subdirectory of the checkout (what FetchContent does).
Each build compiles warning-free and its programs run. The installed tree
must also hold the man page and both shell completions.

--work DIR builds in DIR (emptied first) rather than a fresh temporary
directory: the same paths each run, so that ccache (which Meson uses when
installed, and CMake here through CMAKE_CXX_COMPILER_LAUNCHER) answers the
compiles of an unchanged checkout."""
import argparse
import contextlib
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def run(cmd, **kw):
    print('+', ' '.join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def project(kind, tmp):
    """A copy of tests/consumers/<kind> with consumer.cpp beside it."""
    dst = tmp / kind
    shutil.copytree(HERE / kind, dst)
    shutil.copy(HERE / 'consumer.cpp', dst / 'consumer.cpp')
    return dst


@contextlib.contextmanager
def work_directory(path):
    """`path` emptied, or a temporary directory when None."""
    if path is None:
        with tempfile.TemporaryDirectory() as t:
            yield pathlib.Path(t)
        return
    work = pathlib.Path(path).resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    yield work


def meson_version(root):
    for line in (root / 'meson.build').read_text().splitlines():
        if line.strip().startswith('version:'):
            return line.split("'")[1]
    raise SystemExit('no version in meson.build')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--root', required=True)
    p.add_argument('--work')
    args = p.parse_args()
    root = pathlib.Path(args.root).resolve()
    quiet = {'stdout': subprocess.DEVNULL}
    launcher = [f'-DCMAKE_CXX_COMPILER_LAUNCHER={shutil.which("ccache")}'] if shutil.which('ccache') else []
    with work_directory(args.work) as tmp:
        # 1. Meson subproject.
        sub = project('meson', tmp)
        (sub / 'subprojects').mkdir()
        (sub / 'subprojects' / 'vitte').symlink_to(root)
        run(['meson', 'setup', tmp / 'sub', sub, '--force-fallback-for=vitte'], **quiet)
        run(['meson', 'compile', '-C', tmp / 'sub'], **quiet)
        run([tmp / 'sub' / 'consumer'])
        # 2. Meson wrap pointing at this checkout (a git repository).
        if (root / '.git').exists() and shutil.which('git'):
            wrap = project('meson_wrap', tmp)
            (wrap / 'subprojects').mkdir()
            (wrap / 'subprojects' / 'vitte.wrap').write_text(
                f'[wrap-git]\nurl = {root.as_uri()}\nrevision = HEAD\n\n[provide]\ndependency_names = vitte\n')
            run(['meson', 'setup', tmp / 'wrapb', wrap, '-Dvitte:tests=disabled', '-Dvitte:benchmarks=disabled',
                 '-Dvitte:examples=disabled'], **quiet)
            run(['meson', 'compile', '-C', tmp / 'wrapb'], **quiet)
            run([tmp / 'wrapb' / 'consumer'])
        else:
            print('note: the checkout is not a git repository: the wrap consumer is not built')
        # 3. Installed (compiled mode too), through pkg-config. At -O0: what
        # is checked is the install tree, and the tool it installs compiles
        # in a third of the time of the default -O2.
        prefix = tmp / 'prefix'
        run(['meson', 'setup', tmp / 'lib', root, f'--prefix={prefix}', '-Dcompiled=true', '-Dtests=disabled',
             '-Dbenchmarks=disabled', '-Dexamples=disabled', '-Doptimization=0'], **quiet)
        run(['meson', 'install', '-C', tmp / 'lib', '--quiet'], **quiet)
        for f in ['include/vitte/sys/time.hpp', 'share/man/man1/vitte.1',
                  'share/bash-completion/completions/vitte', 'share/zsh/site-functions/_vitte']:
            if not (prefix / f).exists():
                print(f'FAIL: {f} not installed')
                return 1
        pc_dirs = sorted({str(d.parent) for d in prefix.rglob('vitte*.pc')})
        env = dict(os.environ, PKG_CONFIG_PATH=os.pathsep.join(pc_dirs))
        cxx = shlex.split(os.environ.get('CXX', 'c++'))  # may be 'ccache g++'
        for pc in ['vitte', 'vitte-compiled']:
            flags = subprocess.run(['pkg-config', '--cflags', '--libs', pc], env=env, check=True,
                                   capture_output=True, text=True).stdout.split()
            out = tmp / f'pc-{pc}'
            run([*cxx, '-std=c++20', '-Wall', '-Wextra', '-Wpedantic', '-Werror', HERE / 'consumer.cpp', '-o', out,
                 *flags])
            run([out])
        # 4. CMake find_package on the installed tree.
        if shutil.which('cmake'):
            pkg = project('cmake_package', tmp)
            run(['cmake', '-S', pkg, '-B', tmp / 'pkgb', f'-DCMAKE_PREFIX_PATH={prefix}', *launcher], **quiet)
            run(['cmake', '--build', tmp / 'pkgb'], **quiet)
            run([tmp / 'pkgb' / 'consumer'])
            run([tmp / 'pkgb' / 'consumer_compiled'])
            # 5. add_subdirectory of the checkout; its version is meson.build's.
            sd = project('cmake_subdirectory', tmp)
            run(['cmake', '-S', sd, '-B', tmp / 'sdb', f'-DVITTE_SOURCE={root}', *launcher], **quiet)
            run(['cmake', '--build', tmp / 'sdb'], **quiet)
            run([tmp / 'sdb' / 'consumer'])
            want = meson_version(root)
            if f'project(vitte VERSION {want} ' not in (root / 'CMakeLists.txt').read_text():
                print(f'FAIL: CMakeLists.txt does not say version {want}, as meson.build does')
                return 1
        else:
            print('note: no cmake (Debian cmake): the CMake consumers are not built')
    print('consumers: meson subproject, meson wrap, pkg-config, CMake find_package, CMake add_subdirectory: built and run')
    return 0


if __name__ == '__main__':
    sys.exit(main())
