#!/usr/bin/env python3
"""fuzz/make_inflate_corpus.py [DIR] - seeds for fuzz_inflate: raw DEFLATE,
zlib and gzip streams from Python's zlib (stored, fixed and dynamic blocks,
levels 1-9, long runs), an empty stream and a concatenation of gzip members."""
import gzip
import os
import sys
import zlib


def raw(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def main(out):
    os.makedirs(out, exist_ok=True)
    text = b''.join(b'vitte module %d exports twice_square\n' % i for i in range(400))
    samples = {
        'empty.deflate': raw(b'', 6),
        'abc_fixed.deflate': raw(b'abc', 6),
        'text1.deflate': raw(text, 1),
        'text9.deflate': raw(text, 9),
        'stored.deflate': raw(bytes(range(256)) * 4, 0),
        'runs.deflate': raw(b'\0' * 5000 + b'ab' * 3000, 6),
        'text.zlib': zlib.compress(text, 6),
        'text.gz': gzip.compress(text, 6, mtime=0),
        'two_members.gz': gzip.compress(b'first', mtime=0) + gzip.compress(b'second', mtime=0),
    }
    for name, data in samples.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'fuzz/corpus/inflate')
