#!/usr/bin/env python3
"""fuzz/make_tar_corpus.py [DIR] - seeds for fuzz_tar: archives Python's
tarfile writes in the gnu, pax and ustar formats (long names, links), and hostile
ones (traversal, a pax size that disagrees, a truncated archive, a bad
checksum). Default DIR: fuzz/corpus/tar."""
import io
import pathlib
import sys
import tarfile

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
