#!/usr/bin/env python3
"""fuzz/make_tar_corpus.py [DIR] - seeds for fuzz_tar: archives Python's
tarfile writes in the gnu, pax and ustar formats (long names, links), GNU
tar's sparse files (old GNU, pax 0.0, 0.1, 1.0; when GNU tar is installed),
and hostile ones (traversal, a pax size that disagrees, a truncated archive,
a bad checksum, a NUL in a long name, overlapping sparse maps). Default DIR:
fuzz/corpus/tar."""
import io
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / 'corpus' / 'tar')
out.mkdir(parents=True, exist_ok=True)


def archive(fmt, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=fmt) as t:
        for name, kind, data, link in members:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if kind == 'dir':
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == 'sym':
                info.type = tarfile.SYMTYPE
                info.linkname = link
                t.addfile(info)
            elif kind == 'hard':
                info.type = tarfile.LNKTYPE
                info.linkname = link
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


common = [('top', 'dir', b'', ''), ('top/a.txt', 'file', b'hello\n', ''), ('top/l', 'sym', b'', 'a.txt'),
          ('top/h', 'hard', b'', 'top/a.txt'), ('top/' + 'n' * 150, 'file', b'x' * 700, '')]
(out / 'gnu').write_bytes(archive(tarfile.GNU_FORMAT, common))
(out / 'pax').write_bytes(archive(tarfile.PAX_FORMAT, common))
(out / 'ustar').write_bytes(archive(tarfile.USTAR_FORMAT, common[:4]))
(out / 'traversal').write_bytes(archive(tarfile.USTAR_FORMAT, [('../evil', 'file', b'x', ''),
                                                               ('/abs', 'file', b'y', '')]))
(out / 'escape_link').write_bytes(archive(tarfile.USTAR_FORMAT, [('l', 'sym', b'', '../../etc'),
                                                                 ('l/passwd', 'file', b'z', '')]))
pax = archive(tarfile.PAX_FORMAT, [('f' * 120, 'file', b'q' * 1024, '')])
(out / 'pax_size').write_bytes(pax.replace(b'1024', b'2048', 1))
(out / 'truncated').write_bytes(pax[:1500])
bad = bytearray(archive(tarfile.USTAR_FORMAT, common[:2]))
bad[0] ^= 1
(out / 'checksum').write_bytes(bytes(bad))

# A NUL inside a GNU long name, an overlapping sparse map (pax 0.1).
(out / 'nul_long_name').write_bytes(archive(tarfile.GNU_FORMAT, [('a' * 120, 'file', b'x', '')]).replace(
    b'a' * 120, b'a' * 50 + b'\0' + b'a' * 69, 1))


def pax_sparse(records, name, data):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.pax_headers = records
        t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


(out / 'sparse_overlap').write_bytes(pax_sparse({'GNU.sparse.size': '400', 'GNU.sparse.name': 's',
                                                 'GNU.sparse.map': '0,100,50,100'}, 'GNUSparseFile.0/s', b'a' * 200))
(out / 'sparse_0_1').write_bytes(pax_sparse({'GNU.sparse.size': '4000', 'GNU.sparse.name': 's',
                                             'GNU.sparse.map': '10,3,3000,2'}, 'GNUSparseFile.0/s', b'abcde'))

# GNU tar's sparse formats, blocking factor 1 so that they stay small.
if shutil.which('tar') and b'GNU tar' in subprocess.run(['tar', '--version'], capture_output=True).stdout:
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, 'sp')
        with open(f, 'wb') as w:
            w.truncate(65536)
            w.seek(1000)
            w.write(b'hello')
            w.seek(40000)
            w.write(b'world')
        pax = ['--format=posix', '--pax-option=delete=atime,delete=ctime']
        for name, flags in [('sparse_gnu', ['--format=gnu']),
                            ('sparse_pax_0_0', pax + ['--sparse-version=0.0']),
                            ('sparse_pax_0_1', pax + ['--sparse-version=0.1']),
                            ('sparse_pax_1_0', pax + ['--sparse-version=1.0'])]:
            subprocess.run(['tar', '--sparse', '-b', '1', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner',
                            *flags, '-cf', str(out / name), '-C', tmp, 'sp'], check=True)

# Records padded with zero blocks past the two that end an archive: cut, so
# that the seeds fit under fuzz/run.sh's max_len.
for seed in out.iterdir():
    data = seed.read_bytes()
    while len(data) >= 3 * 512 and data[-1536:] == bytes(1536):
        data = data[:-512]
    seed.write_bytes(data)
