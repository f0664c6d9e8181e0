#!/usr/bin/env python3
"""`vitte package --format rpm|msi`, `verify-package` and `export` of
installer packages as a release script uses them: packages that rpm,
rpm2cpio, rpmlint, msiinfo and msiextract accept (each when installed),
byte-identical when made twice from trees made in other umasks and orders,
the installed files equal to the tree (`rpm -i --root`, `msiextract`), a
signed rpm's OpenPGP signature checked by rpm with the key that comes with
it, verify-package accepting them and refusing another key and a truncated
package, and export taking the format from -o's name. An .msi's
configuration file (under etc/) has a component of its own, NeverOverwrite
and Permanent, with the same GUID in every version (msiinfo); a .pkg takes
its preinstall and postinstall from --scripts DIR, which other formats
refuse.

Usage: installer_commands.py --vitte PATH"""
import argparse
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL:', what, flush=True)
    return cond


def run(*cmd, cwd=None, env=None, data=None):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, cwd=cwd, env=env, input=data)
    return p.returncode, p.stdout, p.stderr


def text(b):
    return b.decode('utf-8', 'replace')


def tree(root, reverse=False, symlink=True):
    """bin/hello (a program: rpmlint wants an architecture's package to hold
    one), its documentation and data, and bin/hi -> hello."""
    program = pathlib.Path(shutil.which('true')).read_bytes()
    files = [('bin/hello', program), ('share/doc/hello/README', b'read me\n'), ('share/hello/data', b'data ' * 1000)]
    for name, body in reversed(files) if reverse else files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(body)
    (root / 'bin' / 'hello').chmod(0o755)
    if symlink:
        os.symlink('hello', root / 'bin' / 'hi')


def files_of(root):
    """{relative path: bytes or ('link', target)} of every file and link under root."""
    out = {}
    for dirpath, dirs, names in os.walk(root):
        for n in names + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
            p = pathlib.Path(dirpath) / n
            rel = str(p.relative_to(root))
            out[rel] = ('link', os.readlink(p)) if p.is_symlink() else p.read_bytes()
    return out


def package(vitte, fmt, stage, dist, env, *sign, fields=True):
    target = 'x86_64-pc-windows-msvc' if fmt == 'msi' else 'x86_64-linux'
    extra = ['--description', 'Says hello\nA longer description.', '--license', 'MIT',
             '--url', 'https://example.org/hello', '--maintainer', 'Hello Team <team@example.org>'] if fields else []
    return run(vitte, 'package', '--name', 'hello', '--version', '1.2.0', '--target', target, '--format', fmt,
               '--out', dist, *extra, *sign, stage, env=env)


def rpm_checks(rpm, stage, t, key_block=None):
    if not shutil.which('rpm'):
        print('rpm not installed: its checks skipped')
        return
    rc, out, err = run('rpm', '-qpi', rpm)
    info = text(out)
    check(rc == 0 and 'Name        : hello' in info and 'Version     : 1.2.0' in info and 'License     : MIT' in info,
          f'rpm -qpi: {info} {text(err)}')
    rc, out, err = run('rpm', '-qplv', rpm)
    listing = text(out)
    check(rc == 0 and '/usr/bin/hello' in listing and '/usr/bin/hi -> hello' in listing and 'rwxr-xr-x' in listing,
          f'rpm -qplv: {listing} {text(err)}')
    check('/usr/bin\n' not in listing.replace(' /usr/bin ', '') and not any(
        line.endswith(' /usr') for line in listing.splitlines()), f'the package owns no system directory: {listing}')
    # A database of our own (HOME/.rpmmacros names it): rpm -K and rpmlint
    # check the signature against the keys imported there.
    home = t / 'rpm-home'
    home.mkdir()
    (home / '.rpmmacros').write_text(f'%_dbpath {home / "db"}\n')
    db = dict(os.environ, HOME=str(home), LC_ALL='C')
    rc, out, err = run('rpm', '--initdb', env=db)
    check(rc == 0, f'rpm --initdb: {text(err)}')
    if key_block is not None:  # the signature, with the key the package came with
        rc, out, err = run('rpm', '--import', key_block, env=db)
        check(rc == 0, f'rpm --import {key_block.name}: {text(out)} {text(err)}')
        rc, out, err = run('rpm', '-Kv', rpm, env=db)
        check(rc == 0 and 'EdDSA/SHA256 Signature' in text(out) and ': OK' in text(out),
              f'rpm -Kv with the key imported: {text(out)} {text(err)}')
    rc, out, err = run('rpm', '-K', rpm, env=db)
    check(rc == 0 and 'digests' in text(out) and 'OK' in text(out), f'rpm -K: {text(out)} {text(err)}')
    if shutil.which('rpm2cpio') and shutil.which('cpio'):
        rc, payload, err = run('rpm2cpio', rpm)
        check(rc == 0, f'rpm2cpio: {text(err)}')
        rc, out, err = run('cpio', '-t', '--quiet', data=payload)
        names = text(out).split()
        check(rc == 0 and './usr/bin/hello' in names and './usr/share/hello/data' in names, f'cpio -t: {names}')
    if shutil.which('rpmlint'):
        rc, out, err = run('rpmlint', rpm, env=db)
        summary = text(out).strip().splitlines()[-1] if out.strip() else text(err)
        check(' 0 errors' in summary, f'rpmlint: {text(out)} {text(err)}')
    root = t / 'rpm-root'
    run('rpm', '--root', root, '--initdb')
    rc, out, err = run('rpm', '-i', '--root', root, '--nodeps', '--nosignature', rpm)
    if check(rc == 0, f'rpm -i --root: {text(out)} {text(err)}'):
        want = files_of(stage)
        got = files_of(root / 'usr')
        check(want == got, f'the installed files equal the tree: {sorted(want)} vs {sorted(got)}')


def msi_checks(msi, stage, t):
    if not shutil.which('msiinfo'):
        print('msitools not installed: their checks skipped')
        return
    rc, out, err = run('msiinfo', 'tables', msi)
    tables = text(out).split()
    check(rc == 0 and all(n in tables for n in ('File', 'Component', 'Directory', 'Media', 'Property')),
          f'msiinfo tables: {tables} {text(err)}')
    rc, out, err = run('msiinfo', 'export', msi, 'Property')
    check(rc == 0 and 'ProductVersion\t1.2.0' in text(out) and 'ProductName\thello' in text(out),
          f'msiinfo export Property: {text(out)} {text(err)}')
    if shutil.which('msiextract'):
        where = t / 'msi-extract'
        where.mkdir()
        rc, out, err = run('msiextract', '-C', where, msi)
        check(rc == 0, f'msiextract: {text(err)}')
        got = {}
        for p, content in files_of(where).items():  # Program Files 64/hello/bin/hello -> bin/hello
            parts = pathlib.PurePath(p).parts
            if 'hello' in parts:
                got[str(pathlib.PurePath(*parts[parts.index('hello') + 1:]))] = content
        want = files_of(stage)
        check(want == got, f'msiextract gives the tree: {sorted(want)} vs {sorted(got)}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vitte', required=True)
    o = ap.parse_args()
    vitte = o.vitte
    env = dict(os.environ, SOURCE_DATE_EPOCH='1700000000')
    with tempfile.TemporaryDirectory() as t:
        t = pathlib.Path(t)
        run(vitte, 'keygen', '--signify', t / 'release.sec', t / 'release.pub')
        run(vitte, 'keygen', '--signify', t / 'other.sec', t / 'other.pub')
        for fmt in ('rpm', 'msi'):
            symlink = fmt != 'msi'
            stage, stage2 = t / f'stage-{fmt}', t / f'stage2-{fmt}'
            tree(stage, symlink=symlink)
            os.umask(0o077)
            tree(stage2, reverse=True, symlink=symlink)
            os.umask(0o022)
            outs = []
            for s, dist in ((stage, t / f'dist-{fmt}'), (stage2, t / f'again-{fmt}')):
                rc, out, err = package(vitte, fmt, s, dist, env, '--sign', t / 'release.sec')
                check(rc == 0, f'package --format {fmt}: {text(err)}')
                outs.append(dist)
            names = sorted(p.name for p in outs[0].iterdir())
            check(names == sorted(p.name for p in outs[1].iterdir()), f'{fmt}: the same files')
            for n in names:
                check((outs[0] / n).read_bytes() == (outs[1] / n).read_bytes(), f'{fmt}: {n} is byte-identical')
            rc, out, err = run(vitte, 'verify-package', '--key', t / 'release.pub', outs[0])
            check(rc == 0 and 'verified' in text(out), f'verify-package {fmt}: {text(out)} {text(err)}')
            rc, out, err = run(vitte, 'verify-package', '--key', t / 'other.pub', outs[0])
            check(rc == 1 and 'signed by another key' in text(err), f'verify-package {fmt}, another key: {text(err)}')
            archive = next(p for p in outs[0].iterdir() if p.suffix == '.' + fmt)
            check(archive.name == ('hello-1.2.0-1.x86_64.rpm' if fmt == 'rpm' else 'hello-1.2.0-x64.msi'),
                  f'{fmt}: the file name {archive.name}')
            if fmt == 'rpm':
                key_block = outs[0] / 'RPM-GPG-KEY-release'
                check(key_block.is_file() and 'RPM-GPG-KEY-release' in (outs[0] / 'SHA256SUMS').read_text(),
                      'a signed rpm comes with its OpenPGP key, listed in SHA256SUMS')
                rpm_checks(archive, stage, t, key_block)
            else:
                msi_checks(archive, stage, t)
            # export: -o's name gives the format; the bytes are those of a
            # package made with the same options.
            rc, out, err = package(vitte, fmt, stage, t / f'plain-{fmt}', env, fields=False)
            plain = next(p for p in (t / f'plain-{fmt}').iterdir() if p.suffix == '.' + fmt)
            target = 'x86_64-pc-windows-msvc' if fmt == 'msi' else 'x86_64-linux'
            rc, out, err = run(vitte, 'export', '--name', 'hello', '--version', '1.2.0', '--target', target,
                               '-o', t / f'e.{fmt}', stage, env=env)
            check(rc == 0 and (t / f'e.{fmt}').read_bytes() == plain.read_bytes(),
                  f'export -o e.{fmt} is the package\'s archive: {rc} {text(err)}')
            # A truncated one is refused, naming the archive.
            whole = archive.read_bytes()
            archive.write_bytes(whole[:len(whole) // 2])
            rc, out, err = run(vitte, 'verify-package', '--key', t / 'release.pub', outs[0])
            check(rc == 1 and 'truncated' in text(err) and archive.name in text(err),
                  f'verify-package of a truncated {fmt}: {rc} {text(err)}')
        # An .msi's configuration file: its own component, kept on upgrade
        # and removal, with one GUID whatever the version.
        conf_stage = t / 'stage-conf'
        (conf_stage / 'etc').mkdir(parents=True)
        (conf_stage / 'etc' / 'hello.conf').write_bytes(b'level=1\n')
        (conf_stage / 'hello.exe').write_bytes(b'MZ')
        if shutil.which('msiinfo'):
            components = []
            for version in ('1.2.0', '1.3.0'):
                msi = t / f'conf-{version}.msi'
                rc, out, err = run(vitte, 'export', '--name', 'hello', '--version', version, '--target',
                                   'x86_64-pc-windows-msvc', '-o', msi, conf_stage, env=env)
                check(rc == 0, f'export {msi.name}: {text(err)}')
                rc, out, err = run('msiinfo', 'export', msi, 'Component')
                rows = [line.split('\t') for line in text(out).splitlines()[3:]]
                components.append(sorted((r[1], r[3], r[5]) for r in rows if len(r) == 6 and r[5]))
            check(components[0] == components[1], f'the same components in both versions: {components}')
            attributes = {key: int(a) for _, a, key in components[0]}
            check(len(attributes) == 2 and sorted(attributes.values()) == [256, 256 | 128 | 16],
                  f'a component per file, the configuration file\'s NeverOverwrite and Permanent: {attributes}')
        # A .pkg's scripts: --scripts DIR, in its Scripts, listed in the TOC.
        scripts = t / 'scripts'
        scripts.mkdir()
        (scripts / 'preinstall').write_bytes(b'#!/bin/sh\necho before\n')
        rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.2.0', '--format', 'pkg', '--target',
                           'aarch64-apple-darwin', '--scripts', scripts, '--out', t / 'pkg-scripts', conf_stage,
                           env=env)
        check(rc == 0, f'package --format pkg --scripts: {text(err)}')
        pkg = t / 'pkg-scripts' / 'hello-1.2.0-arm64.pkg'
        if pkg.is_file():
            head = pkg.read_bytes()
            toc = zlib.decompress(head[28:28 + struct.unpack('>Q', head[8:16])[0]])
            check(b'<name>Scripts</name>' in toc, 'the .pkg holds Scripts')
        rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.2.0', '--format', 'rpm',
                           '--scripts', scripts, '--out', t / 'rpm-scripts', conf_stage, env=env)
        check(rc == 1 and 'only a .pkg runs scripts' in text(err), f'--scripts for an rpm: {rc} {text(err)}')
        rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.2.0', '--format', 'pkg', '--target',
                           'aarch64-apple-darwin', '--scripts', t / 'stage-conf' / 'etc', '--out', t / 'pkg-none',
                           conf_stage, env=env)
        check(rc == 1 and 'neither preinstall nor postinstall' in text(err), f'--scripts without any: {text(err)}')
        # What a format cannot hold, from the command line.
        rc, out, err = package(vitte, 'msi', t / 'stage-rpm', t / 'msi-symlink', env)
        check(rc == 1 and 'bin/hi' in text(err), f'an .msi of a tree with a symlink: {rc} {text(err)}')
        rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.2-3', '--format', 'rpm',
                           '--out', t / 'bad-rpm', t / 'stage-rpm', env=env)
        check(rc == 1 and "no '-'" in text(err), f'an rpm version with a dash: {rc} {text(err)}')
    if FAILURES:
        print(f'{len(FAILURES)} failure(s)')
        return 1
    print('installer commands: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
