#!/usr/bin/env python3
"""A Windows Installer package vitte writes, installed by Wine's msiexec:
`msiexec /i x.msi /qn` puts every file of the tree, byte for byte, and every
directory (the empty one too) under drive_c/Program Files/<product name>/,
and `msiexec /x` removes them all again.

The package and its tree come from the test program that holds
tests/release/test_msi.cpp, run as
  PROGRAM --run_test=msi/msi_sample_for_outside_tools -- --msi-out DIR
or are given with --msi and --tree.

Wine needs a prefix; creating one takes half a minute, so this uses an
existing one: --prefix, else $WINEPREFIX, else build/matrix/wine-prefix
(what scripts/matrix uses), made when it is not there yet. No wine: exit
77 (SKIP). The install is undone before the script ends, whatever happened.

With --vitte, also a major upgrade: version 1.0.0 then 1.1.0 of one
product (`vitte export`), the newer replacing the older, a file the user
edited after installing the older kept as edited (Windows Installer's rule
for unversioned files), the older refused over the newer.

Usage: msi_wine.py --writer PROGRAM [--vitte VITTE] [--prefix DIR]
       msi_wine.py --msi FILE --tree DIR [--name NAME] [--prefix DIR]"""
import argparse
import filecmp
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL:', what, flush=True)
    return cond


def skip(why):
    print('SKIP:', why)
    sys.exit(77)


def msiexec(env, *args, timeout=600):
    p = subprocess.run(['wine', 'msiexec', *args], env=env, capture_output=True, timeout=timeout)
    return p.returncode, (p.stdout + p.stderr).decode('utf-8', 'replace')


def log_text(path):
    """A verbose msiexec log (UTF-16 or 8-bit), as text."""
    try:
        raw = pathlib.Path(path).read_bytes()
    except OSError:
        return '(no log)'
    if raw[:2] in (b'\xff\xfe', b'\xfe\xff'):
        return raw.decode('utf-16', 'replace')
    return raw.decode('utf-8', 'replace')


def upgrade(vitte, env, prefix, tmp):
    """Version 1.0.0, then 1.1.0 of the same product (a file gone, one
    added, a configuration file changed): the newer replaces the older (a
    major upgrade) but keeps the configuration file the user edited, the
    older then refuses to install over the newer, and removing the newer
    leaves the configuration file only."""
    target = prefix / 'drive_c' / 'Program Files' / 'vitte-upgrade-test'
    packages = {}
    for version, files in (('1.0.0', {'bin/tool.exe': b'one', 'share/old.txt': b'old', 'etc/tool.conf': b'level=1\n'}),
                           ('1.1.0', {'bin/tool.exe': b'two', 'share/new.txt': b'new', 'etc/tool.conf': b'level=2\n'})):
        tree = tmp / f'upgrade-{version}'
        for name, data in files.items():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            (tree / name).write_bytes(data)
        msi = tmp / f'upgrade-{version}.msi'
        p = subprocess.run([vitte, 'export', '--name', 'vitte-upgrade-test', '--version', version, '--target',
                            'x86_64-windows', '-o', str(msi), str(tree)], capture_output=True)
        check(p.returncode == 0, f'vitte export {version}: {p.stderr!r}')
        packages[version] = (msi, files)
    old, new = packages['1.0.0'][0], packages['1.1.0'][0]
    try:
        rc, out = msiexec(env, '/i', str(old), '/qn')
        check(rc == 0 and (target / 'share' / 'old.txt').is_file(), f'1.0.0 installs: {rc} {out}')
        # The user edits the configuration file (under etc/: NeverOverwrite
        # and Permanent) a while after the install.
        conf = target / 'etc' / 'tool.conf'
        edited = b'level=9 # mine\n'
        time.sleep(2)
        conf.write_bytes(edited)
        log = tmp / 'upgrade.log'
        rc, out = msiexec(env, '/i', str(new), '/qn', '/l*v', str(log))
        if not check(rc == 0, f'1.1.0 installs over 1.0.0: {rc} {out}'):
            print(log_text(log)[-6000:])
        installed = sorted(str(p.relative_to(target)) for p in target.rglob('*') if p.is_file())
        check(installed == ['bin/tool.exe', 'etc/tool.conf', 'share/new.txt'], f'after the upgrade: {installed}')
        if not check(conf.is_file() and conf.read_bytes() == edited,
                     f'the edited etc/tool.conf kept: {conf.read_bytes() if conf.is_file() else None!r}'):
            print('\n'.join(line for line in log_text(log).splitlines() if 'tool.conf' in line or 'f3' in line)[-3000:])
        check((target / 'bin' / 'tool.exe').read_bytes() == b'two' if (target / 'bin' / 'tool.exe').exists() else False,
              'the upgrade installed the new bin/tool.exe')
        rc, out = msiexec(env, '/i', str(old), '/qn')
        check(rc != 0 and (target / 'share' / 'new.txt').is_file(), f'1.0.0 over 1.1.0 is refused: {rc} {out}')
        print('msi upgrade: 1.1.0 replaced 1.0.0; 1.0.0 refused over 1.1.0')
    finally:
        msiexec(env, '/x', str(new), '/qn')
        msiexec(env, '/x', str(old), '/qn')
        # What is left is the configuration file, as a removed .deb leaves its conffiles.
        left = sorted(str(p.relative_to(target)) for p in target.rglob('*')) if target.exists() else []
        check(left == ['etc', 'etc/tool.conf'], f'{target} after removing both: {left}')
        shutil.rmtree(target, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--writer')
    ap.add_argument('--msi')
    ap.add_argument('--tree')
    ap.add_argument('--name', default='vitte-msi-test')
    ap.add_argument('--prefix')
    ap.add_argument('--vitte', help='the vitte tool: also checks a major upgrade between two versions')
    args = ap.parse_args()
    if shutil.which('wine') is None:
        skip('no wine')
    root = pathlib.Path(__file__).resolve().parents[2]
    prefix = pathlib.Path(args.prefix or os.environ.get('WINEPREFIX') or root / 'build' / 'matrix' / 'wine-prefix')
    env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG='-all', WINEDLLOVERRIDES='mscoree,mshtml=')
    if not (prefix / 'drive_c').is_dir():  # the matrix's prefix, made here when this runs first
        print(f'creating a Wine prefix at {prefix}', flush=True)
        prefix.parent.mkdir(parents=True, exist_ok=True)
        p = subprocess.run(['wineboot', '--init'], env=env, capture_output=True, timeout=300)
        subprocess.run(['wineserver', '-w'], env=env, capture_output=True, timeout=300)
        if not (prefix / 'drive_c').is_dir():
            print(p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace'))
            print(f'FAIL: wineboot --init made no prefix at {prefix}')
            return 1

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        if args.writer:
            p = subprocess.run([args.writer, '--run_test=msi/msi_sample_for_outside_tools', '--', '--msi-out', str(tmp)],
                               capture_output=True)
            if p.returncode != 0:
                print(p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace'))
                print('FAIL: the writer did not write the sample package')
                return 1
            msi, tree = tmp / 'sample.msi', tmp / 'tree'
        elif args.msi and args.tree:
            msi, tree = pathlib.Path(args.msi).resolve(), pathlib.Path(args.tree).resolve()
        else:
            ap.error('give --writer, or --msi and --tree')
        if not check(msi.is_file(), f'no package at {msi}'):
            return 1

        # Program Files in a 64-bit prefix; Program Files (x86) would mean a 32-bit view.
        target = prefix / 'drive_c' / 'Program Files' / args.name
        if target.exists():  # a run that died half-way: undo it first
            msiexec(env, '/x', str(msi), '/qn')
            shutil.rmtree(target, ignore_errors=True)
        log = tmp / 'install.log'
        try:
            rc, out = msiexec(env, '/i', str(msi), '/qn', '/l*v', str(log))
            if not check(rc == 0, f'msiexec /i exited {rc}: {out.strip()}'):
                print(log_text(log)[-6000:])
            else:
                print(f'msiexec /i: installed into {target}')
            for d, dirs, files in os.walk(tree):
                rel = pathlib.Path(d).relative_to(tree)
                for name in dirs:
                    check((target / rel / name).is_dir(), f'directory {rel / name} not installed')
                for name in files:
                    got = target / rel / name
                    if check(got.is_file(), f'file {rel / name} not installed'):
                        check(filecmp.cmp(got, pathlib.Path(d) / name, shallow=False),
                              f'file {rel / name} differs from the tree')
            installed = sorted(str(p.relative_to(target)) for p in target.rglob('*')) if target.exists() else []
            expected = sorted(str(p.relative_to(tree)) for p in tree.rglob('*'))
            check(installed == expected, f'installed {installed}, expected {expected}')
            print(f'installed entries: {len(installed)}')
        finally:
            rc, out = msiexec(env, '/x', str(msi), '/qn')
            check(rc == 0, f'msiexec /x exited {rc}: {out.strip()}')
            check(not target.exists(), f'{target} still there after msiexec /x')
            shutil.rmtree(target, ignore_errors=True)
        if args.vitte:
            upgrade(args.vitte, env, prefix, tmp)
    if FAILURES:
        print(f'{len(FAILURES)} failures')
        return 1
    print('msi_wine: installed and removed by Wine msiexec')
    return 0


if __name__ == '__main__':
    sys.exit(main())
