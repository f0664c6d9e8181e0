#!/usr/bin/env python3
"""`vitte keygen --signify`, `package`, `verify-package` and `export` as a
release script uses them: packages that sha256sum, signify-openbsd and
dpkg-deb accept, byte-identical when made twice, and verify-package
refusing truncation, a swapped member, a wrong key and a bad checksum, each
with its own message (exit 1).

Usage: package_commands.py --vitte PATH"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL:', what, flush=True)
    return cond


def run(*cmd, cwd=None, env=None):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, env=env)
    return p.returncode, p.stdout, p.stderr


def tree(root, extra='data'):
    (root / 'bin').mkdir(parents=True)
    (root / 'share' / 'doc').mkdir(parents=True)
    (root / 'bin' / 'hello').write_text('#!/bin/sh\necho hello\n')
    (root / 'bin' / 'hello').chmod(0o755)
    (root / 'share' / 'doc' / 'README').write_text('read me\n')
    (root / 'share' / 'data').write_text(extra)
    os.symlink('hello', root / 'bin' / 'hi')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vitte', required=True)
    o = ap.parse_args()
    vitte = o.vitte
    env = dict(os.environ, SOURCE_DATE_EPOCH='1700000000')
    with tempfile.TemporaryDirectory() as t:
        t = pathlib.Path(t)
        rc, out, err = run(vitte, 'keygen', '--signify', t / 'release.sec', t / 'release.pub')
        check(rc == 0, f'keygen --signify: {err}')
        check((t / 'release.pub').read_text().startswith('untrusted comment: '), 'keygen --signify writes signify files')
        check(oct((t / 'release.sec').stat().st_mode & 0o777) == '0o600', 'the secret key is 0600')
        run(vitte, 'keygen', '--signify', t / 'other.sec', t / 'other.pub')
        tree(t / 'stage')
        os.umask(0o077)
        tree(t / 'stage2')
        os.umask(0o022)
        tree(t / 'bigger', 'x' * 20000)

        for fmt in ('tar.gz', 'deb'):
            outs = []
            for stage, dist in (('stage', f'dist-{fmt}'), ('stage2', f'again-{fmt}')):
                rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.2.0', '--target', 'x86_64-linux',
                                   '--format', fmt, '--sign', t / 'release.sec', '--out', t / dist, t / stage, env=env)
                check(rc == 0, f'package --format {fmt}: {err}')
                outs.append(t / dist)
            names = sorted(p.name for p in outs[0].iterdir())
            check(names == sorted(p.name for p in outs[1].iterdir()), f'{fmt}: the same files')
            for n in names:
                check((outs[0] / n).read_bytes() == (outs[1] / n).read_bytes(),
                      f'{fmt}: {n} is byte-identical from two trees made in other umasks')
            dist = outs[0]
            rc, out, err = run(vitte, 'verify-package', '--key', t / 'release.pub', dist)
            check(rc == 0 and 'verified' in out, f'verify-package {fmt}: {out} {err}')
            if shutil.which('sha256sum'):
                rc, _, err = run('sha256sum', '-c', 'SHA256SUMS', cwd=dist)
                check(rc == 0, f'sha256sum -c accepts SHA256SUMS ({fmt}): {err}')
            if shutil.which('signify-openbsd'):
                rc, out, err = run('signify-openbsd', '-C', '-p', t / 'release.pub', '-x', 'SHA256SUMS.sig', cwd=dist)
                check(rc == 0 and 'Signature Verified' in out, f'signify-openbsd -C ({fmt}): {out} {err}')
            else:
                print('signify-openbsd not installed: its check skipped')
            if fmt == 'deb' and shutil.which('dpkg-deb'):
                deb = dist / 'hello_1.2.0_amd64.deb'
                rc, out, err = run('dpkg-deb', '--info', deb)
                check(rc == 0 and 'Package: hello' in out and 'Architecture: amd64' in out, f'dpkg-deb --info: {out} {err}')
                rc, out, err = run('dpkg-deb', '--contents', deb)
                check(rc == 0 and './usr/bin/hello' in out.replace(' usr/', ' ./usr/'), f'dpkg-deb --contents: {out} {err}')

        # Damage, one kind at a time, each with its own message.
        def fresh(name, fmt='tar.gz', stage='stage'):
            d = t / name
            rc, _, err = run(vitte, 'package', '--name', 'hello', '--version', '1.2.0', '--target', 'x86_64-linux',
                             '--format', fmt, '--sign', t / 'release.sec', '--out', d, t / stage, env=env)
            check(rc == 0, f'package {name}: {err}')
            return d, next(p for p in d.iterdir() if p.name.endswith(('.tar.gz', '.deb')))

        def refused(d, expect, key='release.pub'):
            rc, out, err = run(vitte, 'verify-package', '--key', t / key, d)
            check(rc == 1 and expect in err, f'verify-package {d.name}: expected "{expect}", got exit {rc}: {err.strip()}')
            return err

        d, a = fresh('truncated')
        a.write_bytes(a.read_bytes()[:len(a.read_bytes()) // 2])
        messages = [refused(d, 'truncated')]
        d, a = fresh('swapped', 'deb')
        _, other = fresh('other', 'deb', 'bigger')
        mine, theirs = a.read_bytes(), other.read_bytes()
        a.write_bytes(mine[:mine.find(b'data.tar.gz')] + theirs[theirs.find(b'data.tar.gz'):])
        messages.append(refused(d, 'a member differs from the manifest'))
        d, a = fresh('wrong-key')
        messages.append(refused(d, 'signed by another key', key='other.pub'))
        d, a = fresh('bad-checksum')
        data = bytearray(a.read_bytes())
        data[len(data) // 2] ^= 0x20
        a.write_bytes(bytes(data))
        messages.append(refused(d, 'checksum mismatch'))
        check(len(set(m.split(':')[2] if m.count(':') > 2 else m for m in messages)) == 4,
              f'four different messages: {messages}')
        # The failed check is named: SHA-256 (not the gzip CRC met reading the archive back).
        check('its SHA-256 differs' in messages[-1] and 'CRC' not in messages[-1].split('differs')[0],
              f'bad checksum names SHA-256: {messages[-1]}')

        # A key given for an unsigned package: said so, with the way to check it.
        d, a = fresh('unsigned')
        (d / 'SHA256SUMS.sig').unlink()
        rc, out, err = run(vitte, 'verify-package', '--key', t / 'release.pub', d)
        check(rc == 1 and 'the package is unsigned: it has no SHA256SUMS.sig' in err and '--no-signature' in err,
              f'unsigned package: {rc} {err}')
        rc, out, err = run(vitte, 'verify-package', '--no-signature', d)
        check(rc == 0 and 'checksums only' in out, f'unsigned package, --no-signature: {rc} {out} {err}')
        rc, out, err = run(vitte, 'verify-package', '--key', t / 'release.pub', '--no-signature', d)
        check(rc == 2 and 'one or the other' in err, f'--key and --no-signature together: {rc} {err}')
        # Not a package at all (no SHA256SUMS), and a directory that is not there: not called unsigned.
        for where in (t / 'stage', t / 'nowhere'):
            rc, out, err = run(vitte, 'verify-package', '--key', t / 'release.pub', where)
            check(rc == 1 and 'not a package: it has no SHA256SUMS' in err and 'unsigned' not in err,
                  f'verify-package of {where.name}: {rc} {err}')

        # package never writes into a directory that holds files, unless --force.
        before = sorted((p.name, p.read_bytes()) for p in d.iterdir())
        rc, out, err = run(vitte, 'package', '--name', 'other', '--version', '2.0', '--out', d, t / 'stage', env=env)
        check(rc == 1 and f'{d}: already holds files (--force writes into it anyway)' in err,
              f'package into a full directory: {rc} {err}')
        check(sorted((p.name, p.read_bytes()) for p in d.iterdir()) == before, 'the refused package wrote nothing')
        rc, out, err = run(vitte, 'package', '--name', 'other', '--version', '2.0', '--out', t / 'release.pub',
                           '--force', t / 'stage', env=env)
        check(rc == 1 and 'release.pub: not a directory' in err and '--force' not in err, f'--out a file: {rc} {err}')
        rc, out, err = run(vitte, 'package', '--name', 'other', '--version', '2.0', '--out', d, '--force', t / 'stage',
                           env=env)
        check(rc == 0 and any(p.name.startswith('other-2.0-') for p in d.iterdir()),
              f'package --force: {rc} {err}')

        # A field holding a line break is refused, naming the field, before
        # anything is written; a default lintian rejects is a warning.
        for option, field in (('--maintainer', 'maintainer'), ('--description', None), ('--url', 'url'),
                              ('--depends', 'depends'), ('--section', 'section'), ('--license', 'license')):
            value = 'x\x01' if field is None else 'x\nPre-Depends: evil'
            out_dir = t / ('refused-' + option.strip('-'))
            rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.0', '--format', 'deb',
                               option, value, '--out', out_dir, t / 'stage', env=env)
            name = field or 'description'
            check(rc == 1 and f'{name}: holds a' in err and not out_dir.exists(),
                  f'package {option} with a control character: {rc} {err}')
        rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.0', '--format', 'deb',
                           '--out', t / 'warned', t / 'stage', env=env)
        check(rc == 0 and 'vitte package: warning: maintainer: ' in err and 'bogus-mail-host' in err,
              f'package with the default maintainer: {rc} {err}')
        rc, out, err = run(vitte, 'package', '--name', 'hello', '--version', '1.0', '--format', 'deb',
                           '--maintainer', 'Ann <ann@example.org>', '--description', 'says hello\nIt says hello.',
                           '--out', t / 'quiet', t / 'stage', env=env)
        check(rc == 0 and 'warning' not in err, f'package with every field set: {rc} {err}')

        # export: the same bytes twice, a tar GNU tar lists.
        for i in (1, 2):
            rc, out, err = run(vitte, 'export', '--format', 'tar.gz', '-o', t / f'e{i}.tar.gz', t / 'stage', env=env)
            check(rc == 0, f'export: {err}')
        check((t / 'e1.tar.gz').read_bytes() == (t / 'e2.tar.gz').read_bytes(), 'export is deterministic')
        rc, out, err = run(vitte, 'export', '--format', 'tar.gz', '-o', t / 'e3.tar.gz', str(t / 'stage') + '/', env=env)
        check(rc == 0 and (t / 'e3.tar.gz').read_bytes() == (t / 'e1.tar.gz').read_bytes(),
              f'export of "stage/" has the top directory "stage/" too: {err}')
        # -o's name gives the format; a name and a --format that disagree are refused.
        for name, magic in (('n.tar', b'stage/'), ('n.tgz', b'\x1f\x8b'), ('n.tar.gz', b'\x1f\x8b')):
            rc, out, err = run(vitte, 'export', '-o', t / name, t / 'stage', env=env)
            check(rc == 0 and (t / name).read_bytes().startswith(magic), f'export -o {name}: {rc} {err}')
        rc, out, err = run(vitte, 'export', '-o', t / 'm.tar', '--format', 'tar.gz', t / 'stage', env=env)
        check(rc == 2 and 'names a tar file, --format says tar.gz' in err and not (t / 'm.tar').exists(),
              f'export -o m.tar --format tar.gz: {rc} {err}')
        for name in ('n.TAR', 'N.Tar.Gz'):  # letter case does not matter
            rc, out, err = run(vitte, 'export', '-o', t / name, t / 'stage', env=env)
            gz = (t / name).read_bytes().startswith(b'\x1f\x8b') if rc == 0 else None
            check(rc == 0 and gz == name.lower().endswith('.gz'), f'export -o {name}: {rc} {err}')
        for name in ('a.zip', 'a.tar.xz', 'a.tar.bz2', '-', ''):  # formats export does not write; no file name
            rc, out, err = run(vitte, 'export', '-o', str(t / name) if name not in ('-', '') else name, t / 'stage',
                               env=env)
            check(rc == 2 and '-o ' in err, f'export -o {name!r}: {rc} {err}')
        check(not (t / 'a.zip').exists() and not (t / '-').exists(), 'a refused -o writes nothing')
        rc, out, err = run(vitte, 'export', t / 'nope', env=env)
        check(rc == 1 and 'nope' in err and 'not found' in err, f'export of a missing tree: {rc} {err}')
        rc, out, err = run(vitte, 'export', t / 'release.pub', env=env)
        check(rc == 1 and 'not a directory' in err, f'export of a file: {rc} {err}')
        if shutil.which('tar'):
            rc, out, _ = run('tar', '-tzf', t / 'e1.tar.gz')
            check(out.startswith('stage/\nstage/bin/\nstage/bin/hello\n'), f'tar lists the export: {out}')
    if FAILURES:
        print(f'{len(FAILURES)} failure(s)')
        return 1
    print('package commands: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
