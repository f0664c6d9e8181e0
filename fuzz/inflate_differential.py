#!/usr/bin/env python3
"""Differential check of vitte's DEFLATE, zlib and gzip decoders against zlib.

  fuzz/inflate_differential.py [--short] [--seed S] [--scale N] [--driver PATH] [--verbose]

Generates adversarial streams by named class and decodes each with every
vitte API (fuzz/inflate_driver.cpp: the one-shot functions, inflate() into
a reused buffer, the streaming decompressor fed in pieces) and with Python's
zlib (decompressobj, wbits -15 / 15 / 31, max_length for the limit), the
oracle. Classes:

  valid-*      random data of every kind at every level and strategy, flushes,
               empty streams; stored, fixed and dynamic blocks written here;
               gzip header fields; preset dictionaries (zlib FDICT, primed raw)
  trunc        every prefix of short streams, sampled prefixes of long ones
  bitflip      1-3 flipped bits anywhere
  huffman      hand-made bad (and odd but valid) Huffman tables
  distance     distances before the start of the output (or the dictionary)
  blocktype    block type 3, stored LEN/NLEN mismatch, codes 286/287, 30/31
  zheader      bad zlib CMF/FLG, FCHECK, CINFO, FDICT without or with the wrong dictionary
  gheader      bad gzip magic, method, reserved flags, FHCRC, cut header fields
  trailer      wrong Adler-32, CRC-32, ISIZE
  trailing     bytes after the end of the stream
  limit        output of exactly max_output (accepted) and one byte more (refused)
  bomb-*       raw, zlib, gzip, multi-member gzip and nested gzip bombs under
               max_output, and max_ratio bombs

Rules, per case and per vitte API:
  - zlib accepts: vitte accepts with the same bytes;
  - zlib refuses: vitte refuses; a stream zlib finds cut short (no error, no
    end) must be unexpected_eof;
  - zlib's output passes max_output: vitte refuses with limit_exceeded, having
    handed out at most max_output bytes (into, stream) in a buffer of at most
    max_output + 8 bytes of capacity (into).
  - each bomb runs again in a process per API: its peak RSS (VmHWM) minus a
    small case's stays under max_output + 2 x the input + 2 MiB (the
    documented constant is 64 KiB; the rest is the allocator and the batch
    file held by the driver).

Legitimate differences (decided, not failures):
  - gzip: zlib's decompressobj(wbits=31) stops after one member and leaves
    the rest in unused_data; the oracle here reads members until the input
    ends, each one whole, as gzip(1) does, and refuses anything else after
    them. gzip(1) and Python's gzip module skip trailing zero bytes (tape
    padding) with a warning; vitte refuses them ("not gzip (magic)"): the
    class trailing-gzip-zeros expects a refusal.
  - raw: zlib stops at the final block and leaves trailing bytes to its
    caller; vitte's streaming decompressor refuses them (documented), the
    one-shot inflate() ignores them: either answer passes, and the script
    prints a note when vitte's APIs disagree with each other.
  - max_ratio has no zlib counterpart: bomb-ratio checks vitte alone
    (refused, with at most max(1 MiB, ratio x input) + 64 KiB handed out).

Prints, per class, the agreement of each API; then `N passed, N failed` per
API. Exits 1 on a failure, 77 when Python has no zlib or no C++ compiler is found
(with no --driver).
"""
import argparse
import hashlib
import heapq
import os
import pathlib
import random
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile

try:
    import zlib
except ImportError:  # a Python built without zlib: no oracle
    print('SKIP: Python has no zlib module')
    sys.exit(77)

ROOT = pathlib.Path(__file__).resolve().parent.parent
RAW, ZLIB, GZIP = 0, 1, 2
WBITS = {RAW: -15, ZLIB: 15, GZIP: 31}
APIS = ('oneshot', 'into', 'stream')
MiB = 1 << 20

# ---------------------------------------------------------------- DEFLATE writer

LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
         227, 258]
LEXT = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
         4097, 6145, 8193, 12289, 16385, 24577]
DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]


class Bits:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, n):
        self.acc |= (value & ((1 << n) - 1)) << self.n
        self.n += n
        while self.n >= 8:
            self.out.append(self.acc & 255)
            self.acc >>= 8
            self.n -= 8

    def code(self, code, n):  # Huffman codes go most significant bit first
        self.put(int(format(code, f'0{n}b')[::-1], 2) if n else 0, n)

    def align(self):
        if self.n:
            self.put(0, 8 - self.n)

    def done(self):
        self.align()
        return bytes(self.out)


def canonical(lengths):
    """Codes for `lengths` (even over-subscribed ones: a writer of bad tables)."""
    count = [0] * 16
    for n in lengths:
        count[n] += 1
    count[0] = 0
    code, nxt = 0, [0] * 16
    for b in range(1, 16):
        code = (code + count[b - 1]) << 1
        nxt[b] = code
    codes = []
    for n in lengths:
        codes.append(nxt[n] & ((1 << n) - 1) if n else 0)
        if n:
            nxt[n] += 1
    return codes


def huffman_lengths(freq, limit):
    """Code lengths (at most `limit`) for frequencies; at least two codes."""
    freq = list(freq)
    used = [i for i, f in enumerate(freq) if f]
    while len(used) < 2:
        i = next(i for i in range(len(freq)) if not freq[i])
        freq[i] = 1
        used.append(i)
    while True:
        heap = [(freq[i], i, [i]) for i in used]
        heapq.heapify(heap)
        depth = [0] * len(freq)
        k = len(freq)
        while len(heap) > 1:
            f1, _, a = heapq.heappop(heap)
            f2, _, b = heapq.heappop(heap)
            for s in a + b:
                depth[s] += 1
            heapq.heappush(heap, (f1 + f2, k, a + b))
            k += 1
        if max(depth) <= limit:
            return depth
        freq = [(f + 1) // 2 if f else 0 for f in freq]


def tokens(data, rng, max_dist=32768):
    """Greedy LZ77: ('l', byte) and ('m', length, distance)."""
    out, i, table = [], 0, {}
    while i < len(data):
        best = None
        if i + 3 <= len(data):
            key = data[i:i + 3]
            for j in reversed(table.get(key, [])[-8:]):
                if i - j > max_dist:
                    continue
                n = 0
                while n < 258 and i + n < len(data) and data[j + n] == data[i + n]:
                    n += 1
                if n >= 3 and (best is None or n > best[0]):
                    best = (n, i - j)
            table.setdefault(key, []).append(i)
        if best:
            out.append(('m', best[0], best[1]))
            for k in range(1, best[0]):
                if i + k + 3 <= len(data):
                    table.setdefault(data[i + k:i + k + 3], []).append(i + k)
            i += best[0]
        else:
            out.append(('l', data[i]))
            i += 1
    return out


def lcode(n):
    for c in range(28, -1, -1):
        if n >= LBASE[c]:
            return c
    raise ValueError(n)


def dcode(d):
    for c in range(29, -1, -1):
        if d >= DBASE[c]:
            return c
    raise ValueError(d)


def fixed_lengths():
    return [8] * 144 + [9] * 112 + [7] * 24 + [8] * 8, [5] * 30


def put_tokens(bw, toks, ll, dl):
    lc, dc = canonical(ll), canonical(dl)
    for t in toks:
        if t[0] == 'l':
            bw.code(lc[t[1]], ll[t[1]])
        elif t[0] == 'raw':  # a symbol as is: ('raw', litlen symbol, distance symbol or None)
            bw.code(lc[t[1]], ll[t[1]])
            if t[2] is not None:
                bw.code(dc[t[2]], dl[t[2]])
        else:
            c = lcode(t[1])
            bw.code(lc[257 + c], ll[257 + c])
            bw.put(t[1] - LBASE[c], LEXT[c])
            d = dcode(t[2])
            bw.code(dc[d], dl[d])
            bw.put(t[2] - DBASE[d], DEXT[d])
    bw.code(lc[256], ll[256])


def stored_block(bw, data, final, nlen=None):
    bw.put(final, 1)
    bw.put(0, 2)
    bw.align()
    bw.put(len(data), 16)
    bw.put((~len(data) & 0xffff) if nlen is None else nlen, 16)
    for b in data:
        bw.put(b, 8)


def fixed_block(bw, toks, final):
    bw.put(final, 1)
    bw.put(1, 2)
    put_tokens(bw, toks, *fixed_lengths())


def cl_sequence(lengths, rle=True):
    """The code-length symbols for `lengths`: (symbol, extra value)."""
    seq, i = [], 0
    while i < len(lengths):
        n = lengths[i]
        run = 1
        while i + run < len(lengths) and lengths[i + run] == n:
            run += 1
        if rle and n == 0 and run >= 3:
            r = min(run, 138)
            seq.append((18, r - 11) if r >= 11 else (17, r - 3))
            i += r
        elif rle and n != 0 and run >= 4:
            seq.append((n, 0))
            r = min(run - 1, 6)
            seq.append((16, r - 3))
            i += 1 + r
        else:
            seq.append((n, 0))
            i += 1
    return seq


def dynamic_header(bw, ll, dl, final=1, seq=None, cl=None, hlit=None, hdist=None):
    if seq is None:
        seq = cl_sequence(ll + dl)
    if cl is None:
        freq = [0] * 19
        for s, _ in seq:
            freq[s] += 1
        cl = huffman_lengths(freq, 7)
    hclen = 19
    while hclen > 4 and cl[CL_ORDER[hclen - 1]] == 0:
        hclen -= 1
    bw.put(final, 1)
    bw.put(2, 2)
    bw.put(len(ll) - 257 if hlit is None else hlit, 5)
    bw.put(len(dl) - 1 if hdist is None else hdist, 5)
    bw.put(hclen - 4, 4)
    for k in range(hclen):
        bw.put(cl[CL_ORDER[k]], 3)
    cc = canonical(cl)
    for s, extra in seq:
        bw.code(cc[s], cl[s])
        if s == 16:
            bw.put(extra, 2)
        elif s == 17:
            bw.put(extra, 3)
        elif s == 18:
            bw.put(extra, 7)


def dynamic_block(bw, toks, final=1):
    lf, df = [0] * 286, [0] * 30
    for t in toks:
        if t[0] == 'l':
            lf[t[1]] += 1
        else:
            lf[257 + lcode(t[1])] += 1
            df[dcode(t[2])] += 1
    lf[256] += 1
    ll, dl = huffman_lengths(lf, 15), huffman_lengths(df, 15)
    while len(ll) > 257 and ll[-1] == 0:
        ll.pop()
    while len(dl) > 1 and dl[-1] == 0:
        dl.pop()
    dynamic_header(bw, ll, dl, final)
    put_tokens(bw, toks, ll, dl)


# ---------------------------------------------------------------- framing

def zlib_wrap(body, data, level_bits=2, dict_=None):
    flg = level_bits << 6 | (0x20 if dict_ is not None else 0)
    flg += 31 - (0x78 * 256 + flg) % 31
    head = bytes([0x78, flg]) + (struct.pack('>I', zlib.adler32(dict_)) if dict_ is not None else b'')
    return head + body + struct.pack('>I', zlib.adler32(data))


def gzip_wrap(body, data, flags=0, extra=b'', name=b'', comment=b'', hcrc=None):
    head = bytearray(b'\x1f\x8b\x08' + bytes([flags]) + b'\0\0\0\0\0\xff')
    if flags & 4:
        head += struct.pack('<H', len(extra)) + extra
    if flags & 8:
        head += name + b'\0'
    if flags & 16:
        head += comment + b'\0'
    if flags & 2:
        head += struct.pack('<H', (zlib.crc32(bytes(head)) & 0xffff) if hcrc is None else hcrc)
    return bytes(head) + body + struct.pack('<II', zlib.crc32(data), len(data) & 0xffffffff)


def compress(data, fmt, level=6, strategy=zlib.Z_DEFAULT_STRATEGY, mem=8, flushes=(), zdict=None):
    kw = {'zdict': zdict} if zdict is not None else {}
    c = zlib.compressobj(level, zlib.DEFLATED, WBITS[fmt], mem, strategy, **kw)
    out, at = [], 0
    for cut, mode in flushes:
        out.append(c.compress(data[at:cut]))
        out.append(c.flush(mode))
        at = cut
    out.append(c.compress(data[at:]))
    out.append(c.flush())
    return b''.join(out)


def sample(rng, n):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randbytes(n)
    if kind == 1:
        return bytes(n)
    if kind == 2:
        words = [rng.randbytes(rng.randint(1, 8)).hex().encode() for _ in range(40)]
        return b' '.join(rng.choice(words) for _ in range(n // 5 + 1))[:n]
    if kind == 3:
        return bytes(rng.choice(b'ab') for _ in range(n))
    if kind == 4:
        return b''.join(bytes([rng.randrange(256)]) * rng.randint(1, 300) for _ in range(n // 100 + 1))[:n]
    base = rng.randbytes(rng.randint(1, 64))
    return (base * (n // len(base) + 1))[:n]


# ---------------------------------------------------------------- the oracle

def oracle(fmt, data, limit, zdict=None):
    """zlib's verdict: ('ok', bytes), ('eof',) cut short, ('bad', why), ('limit',)."""
    kw = {'zdict': zdict} if zdict is not None else {}
    try:
        if fmt != GZIP:
            d = zlib.decompressobj(WBITS[fmt], **kw)
            out = d.decompress(data, limit + 1)
            if len(out) > limit:
                return ('limit',)
            if not d.eof:
                return ('eof',)
            if d.unused_data:
                return ('trailing', out)
            return ('ok', out)
        out, rest = b'', data
        while True:
            if out and not rest.startswith(b'\x1f\x8b'[:len(rest)]):
                return ('bad', 'not a gzip member after the last one')
            d = zlib.decompressobj(31)
            got = d.decompress(rest, limit + 1 - len(out))
            out += got
            if len(out) > limit:
                return ('limit',)
            if not d.eof:
                return ('eof',)
            rest = d.unused_data
            if not rest:
                return ('ok', out)
    except zlib.error as e:
        return ('bad', str(e))


# ---------------------------------------------------------------- the classes

class Case:
    def __init__(self, cls, fmt, data, limit=64 * MiB, ratio=0, chunk=0, zdict=None, note=''):
        self.cls, self.fmt, self.data, self.limit, self.ratio = cls, fmt, data, limit, ratio
        self.chunk, self.zdict, self.note = chunk, zdict, note

    def record(self):
        d = self.zdict or b''
        return (struct.pack('<BQIII', self.fmt, self.limit, self.ratio, self.chunk, len(d)) + d +
                struct.pack('<I', len(self.data)) + self.data)


def own_blocks(rng, data):
    """`data` as stored, fixed and dynamic blocks written here, mixed."""
    bw = Bits()
    parts, at = [], 0
    while at < len(data):
        n = rng.randint(1, max(1, len(data) // 3))
        parts.append(data[at:at + n])
        at += n
    if not parts:
        parts = [b'']
    for k, p in enumerate(parts):
        final = int(k == len(parts) - 1)
        kind = rng.randrange(3)
        if kind == 0 and len(p) < 65536:
            stored_block(bw, p, final)
        elif kind == 1:
            fixed_block(bw, tokens(p, rng), final)
        else:
            dynamic_block(bw, tokens(p, rng), final)
    return bw.done()


def generate(rng, scale, short):
    cases = []
    sizes = [0, 1, 2, 100, 1000, 5000, 40000] + ([] if short else [200000, 1 << 20])
    strategies = [zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_FIXED]
    chunk = lambda: rng.choice([0, 0, 1, 3, 64, 4096])  # noqa: E731
    valid = []
    # valid-level: every level, strategy and format.
    for fmt in (RAW, ZLIB, GZIP):
        for level in range(0, 10):
            for _ in range(scale):
                data = sample(rng, rng.choice(sizes))
                z = compress(data, fmt, level, rng.choice(strategies), rng.randint(1, 9))
                cases.append(Case('valid-level', fmt, z, chunk=chunk()))
                valid.append((fmt, z))
    # valid-flush: sync and full flushes (empty stored blocks), several blocks.
    for fmt in (RAW, ZLIB, GZIP):
        for _ in range(3 * scale):
            data = sample(rng, rng.choice(sizes[2:]))
            cuts = sorted(rng.randrange(len(data) + 1) for _ in range(rng.randint(1, 4)))
            z = compress(data, fmt, rng.randint(0, 9),
                         flushes=[(c, rng.choice([zlib.Z_SYNC_FLUSH, zlib.Z_FULL_FLUSH])) for c in cuts])
            cases.append(Case('valid-flush', fmt, z, chunk=chunk()))
    # valid-empty
    for fmt in (RAW, ZLIB, GZIP):
        for level in (0, 1, 6, 9):
            cases.append(Case('valid-empty', fmt, compress(b'', fmt, level)))
    for final_kind in range(3):
        bw = Bits()
        [stored_block, fixed_block, dynamic_block][final_kind](bw, [] if final_kind else b'', 1)
        cases.append(Case('valid-empty', RAW, bw.done()))
    # valid-blocks: stored, fixed and dynamic blocks written here.
    own = []
    for _ in range(10 * scale):
        data = sample(rng, rng.choice([0, 10, 300, 3000, 20000]))
        body = own_blocks(rng, data)
        fmt = rng.choice((RAW, ZLIB, GZIP))
        z = body if fmt == RAW else zlib_wrap(body, data) if fmt == ZLIB else gzip_wrap(body, data)
        cases.append(Case('valid-blocks', fmt, z, chunk=chunk()))
        own.append((fmt, z))
    bw = Bits()
    stored_block(bw, bytes(65535), 0)
    stored_block(bw, b'', 0)
    fixed_block(bw, [('l', 1), ('m', 258, 1)] * 10, 1)
    cases.append(Case('valid-blocks', RAW, bw.done()))
    # valid-gzip-header: FEXTRA, FNAME, FCOMMENT, FHCRC; multi-member.
    for flags in range(0, 32):
        data = sample(rng, 500)
        z = gzip_wrap(compress(data, RAW), data, flags, rng.randbytes(rng.randint(0, 20)), b'name.txt', b'a comment')
        cases.append(Case('valid-gzip-header', GZIP, z))
    for _ in range(3 * scale):
        z = b''.join(compress(sample(rng, rng.choice(sizes[:6])), GZIP, rng.randint(0, 9))
                     for _ in range(rng.randint(2, 5)))
        cases.append(Case('valid-gzip-members', GZIP, z, chunk=chunk()))
    # valid-dictionary: zlib FDICT and primed raw streams.
    for _ in range(4 * scale):
        zd = sample(rng, rng.choice([1, 100, 5000, 40000]))
        data = zd[:rng.randint(0, len(zd))] + sample(rng, 2000)
        fmt = rng.choice((RAW, ZLIB))
        cases.append(Case('valid-dictionary', fmt, compress(data, fmt, rng.randint(1, 9), zdict=zd), zdict=zd,
                          chunk=chunk()))
    # trunc: every prefix of short streams, sampled prefixes of long ones.
    for fmt in (RAW, ZLIB, GZIP):
        short_z = compress(b'hello hello hello, truncated world', fmt, 6)
        for n in range(len(short_z)):
            cases.append(Case('trunc', fmt, short_z[:n]))
    for fmt, z in rng.sample(valid, min(len(valid), 10 * scale)) + own:
        if len(z) > 1:
            for n in {1, len(z) - 1, len(z) // 2, rng.randrange(1, len(z))}:
                cases.append(Case('trunc', fmt, z[:n], chunk=chunk()))
    # bitflip
    for fmt, z in rng.sample(valid, min(len(valid), 30 * scale)) + own:
        if not z:
            continue
        b = bytearray(z)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        cases.append(Case('bitflip', fmt, bytes(b), limit=16 * MiB, chunk=chunk()))
    cases += huffman_cases(rng)
    cases += distance_cases(rng)
    cases += blocktype_cases(rng)
    cases += header_cases(rng)
    # trailer: wrong Adler-32, CRC-32, ISIZE.
    for _ in range(3 * scale):
        data = sample(rng, 1000)
        for fmt, span in ((ZLIB, (-4, 0)), (GZIP, (-8, -4)), (GZIP, (-4, 0))):
            z = bytearray(compress(data, fmt))
            z[len(z) + rng.randrange(*span)] ^= 1 << rng.randrange(8)
            cases.append(Case('trailer', fmt, bytes(z)))
    # trailing bytes
    for fmt in (RAW, ZLIB, GZIP):
        for tail in (b'\0', b'\0' * 8, b'x', rng.randbytes(20), b'\x1f\x8b', b'\x1f\x8b\x08\0'):
            z = compress(sample(rng, 300), fmt) + tail
            cls = f'trailing-{"raw zlib gzip".split()[fmt]}'
            if fmt == GZIP and not tail.strip(b'\0'):
                cls = 'trailing-gzip-zeros'
            cases.append(Case(cls, fmt, z))
    # limit: exactly max_output, and one byte more.
    for fmt in (RAW, ZLIB, GZIP):
        for n in (1, 1000, 65536, 300000):
            data = sample(rng, n)
            z = compress(data, fmt)
            cases.append(Case('limit', fmt, z, limit=n, chunk=chunk()))
            cases.append(Case('limit', fmt, z, limit=n - 1, chunk=chunk()))
    cases += bomb_cases(rng, short)
    return cases


def complete(n, hole=None):
    """Complete code lengths (8 and 9 bits) for `n` symbols, `hole` left out."""
    k = n - (hole is not None)
    eights = 512 - k  # 2 x eights + nines = 512 and eights + nines = k
    lengths, i = [], 0
    for s in range(n):
        if s == hole:
            lengths.append(0)
            continue
        lengths.append(8 if i < eights else 9)
        i += 1
    return lengths


def huffman_cases(rng):
    out = []
    lits = [('l', b) for b in b'huffman tables']
    fl = complete(286)
    fd = [4, 4] + [5] * 28

    def block(ll, dl, toks=lits, **kw):
        bw = Bits()
        dynamic_header(bw, ll, dl, **kw)
        put_tokens(bw, toks, ll, dl)
        return bw.done()

    out.append(('complete-tables', block(fl, fd, toks=lits + [('m', 5, 3)])))
    over = [1, 1, 1] + [0] * 253 + [2]  # three codes of length 1
    out.append(('oversubscribed-litlen', block(over, [1, 1], toks=[('l', 0)])))
    inc = list(fl)
    inc[65] = 0  # one 8-bit code missing: incomplete
    out.append(('incomplete-litlen', block(inc, fd, toks=[('l', 66)])))
    dinc = list(fd)
    dinc[3] = 0
    out.append(('incomplete-distance', block(fl, dinc, toks=lits + [('m', 5, 1)])))
    out.append(('oversubscribed-distance', block(fl, [1, 1, 1], toks=lits + [('m', 5, 1)])))
    out.append(('single-distance-code', block(fl, [1], toks=lits + [('m', 5, 1)])))
    out.append(('single-distance-code-len2', block(fl, [0, 2], toks=[('l', 1), ('raw', 258, 1)])))
    out.append(('no-distance-codes-literals', block(fl, [0], toks=lits)))
    out.append(('no-distance-codes-match', block(fl, [0], toks=lits + [('raw', 260, 0)])))
    eob = [0] * 257
    eob[256] = 1
    out.append(('only-eob-length-1', block(eob, [0], toks=[])))
    eob[65] = 1
    out.append(('literal-and-eob', block(eob, [0], toks=[('l', 65)] * 5)))
    bw = Bits()
    dynamic_header(bw, complete(286, hole=256), fd)
    bw.put(0, 16)
    out.append(('missing-end-of-block', bw.done()))
    seq = cl_sequence(fl + fd)
    clf = [0] * 19
    for s, _ in seq:
        clf[s] += 1
    cl = huffman_lengths(clf, 7)
    bw = Bits()
    dynamic_header(bw, fl, fd, cl=[1 if n else 0 for n in cl], seq=seq)
    out.append(('oversubscribed-code-lengths', bw.done()))
    cl_inc = [0] * 19
    for sym in (0, 4, 5, 8, 9, 16, 17):  # seven codes of length 3: one short of complete
        cl_inc[sym] = 3
    bw = Bits()
    dynamic_header(bw, fl, fd, cl=cl_inc, seq=[(s, e) for s, e in seq if cl_inc[s]])
    out.append(('incomplete-code-lengths', bw.done()))
    clx = [0] * 19
    for sym in (0, 5, 7, 8, 9, 16, 17, 18):
        clx[sym] = 3
    for name, s in (('repeat-first', [(16, 0)]), ('repeat18-overrun', [(18, 127)] * 3),
                    ('repeat16-overrun', [(8, 0)] + [(16, 3)] * 60)):
        bw = Bits()
        dynamic_header(bw, fl, fd, cl=clx, seq=s)
        out.append((name, bw.done()))
    bw = Bits()
    dynamic_header(bw, fl + [0], fd, hlit=30)  # 287 codes: more than 286
    out.append(('hlit-287', bw.done()))
    bw = Bits()
    dynamic_header(bw, fl, fd + [0, 0], hdist=31)  # 32 distance codes
    out.append(('hdist-32', bw.done()))
    # A run of zero lengths from the literal/length codes into the distance codes (allowed).
    ll = complete(265) + [0] * 21
    out.append(('repeat-across-boundary', block(ll, [0] * 28 + [1, 1], toks=lits)))
    return [Case('huffman', RAW, z, note=n) for n, z in out]


def distance_cases(rng):
    out = []
    for toks in ([('m', 3, 1)], [('l', 1), ('m', 3, 2)], [('l', 1), ('l', 2), ('m', 10, 3)],
                 [('l', 1)] * 100 + [('m', 3, 101)], [('l', 1), ('m', 258, 1), ('m', 3, 300)]):
        for write in (fixed_block, dynamic_block):
            bw = Bits()
            write(bw, toks, 1)
            out.append(Case('distance', RAW, bw.done()))
    # 32 KiB back exactly (valid) and into a dictionary (valid with it, refused without).
    data = bytes(range(256)) * 128
    bw = Bits()
    stored_block(bw, data, 0)
    fixed_block(bw, [('m', 258, 32768)], 1)
    out.append(Case('distance', RAW, bw.done()))
    zd = b'dictionary text ' * 10
    bw = Bits()
    fixed_block(bw, [('m', 16, len(zd))], 1)
    raw = bw.done()
    out.append(Case('distance', RAW, raw, zdict=zd))
    out.append(Case('distance', RAW, raw))
    bw = Bits()
    fixed_block(bw, [('m', 16, len(zd) + 1)], 1)
    out.append(Case('distance', RAW, bw.done(), zdict=zd))
    return out


def blocktype_cases(rng):
    out = []
    for prefix in (False, True):
        bw = Bits()
        if prefix:
            fixed_block(bw, [('l', 65)], 0)
        bw.put(1, 1)
        bw.put(3, 2)
        bw.put(0, 16)
        out.append(bw.done())
    bw = Bits()
    stored_block(bw, b'abc', 1, nlen=0x1234)
    out.append(bw.done())
    bw = Bits()
    stored_block(bw, b'abc', 1, nlen=0xfffc)  # ~3 & 0xffff is 0xfffc: valid
    out.append(bw.done())
    for sym, dist in ((286, None), (287, None), (257, 30), (257, 31)):
        bw = Bits()
        bw.put(1, 1)
        bw.put(1, 2)
        ll = [8] * 144 + [9] * 112 + [7] * 24 + [8] * 8
        dl = [5] * 32
        put_tokens(bw, [('l', 65), ('raw', sym, dist)], ll, dl)
        out.append(bw.done())
    return [Case('blocktype', RAW, z) for z in out]


def header_cases(rng):
    out = []
    data = sample(rng, 2000)
    body = compress(data, RAW)
    good = compress(data, ZLIB)
    for cmf in (0x08, 0x18, 0x28, 0x38, 0x48, 0x58, 0x68, 0x78, 0x88, 0xf8, 0x77, 0x79, 0x7f):
        for flevel in (0, 2):
            flg = flevel << 6
            flg += 31 - (cmf * 256 + flg) % 31
            out.append(Case('zheader', ZLIB, bytes([cmf, flg & 255]) + good[2:]))
    out.append(Case('zheader', ZLIB, bytes([0x78, 0x9d]) + good[2:]))  # FCHECK off by one
    out.append(Case('zheader', ZLIB, b''))
    out.append(Case('zheader', ZLIB, b'\x78'))
    zd = b'the dictionary'
    withd = compress(data, ZLIB, zdict=zd)
    out.append(Case('zheader', ZLIB, withd))  # FDICT, no dictionary given
    out.append(Case('zheader', ZLIB, withd, zdict=b'another one'))
    out.append(Case('zheader', ZLIB, withd[:4], zdict=zd))
    out.append(Case('zheader', ZLIB, zlib_wrap(body, data, 2, b'')))  # FDICT naming the empty dictionary
    g = compress(data, GZIP)
    out += [Case('gheader', GZIP, z) for z in (
        b'\x1f\x8c' + g[2:], b'\x1e\x8b' + g[2:], g[:2] + b'\x07' + g[3:], g[:3] + b'\x20' + g[4:],
        g[:3] + b'\x80' + g[4:], gzip_wrap(body, data, 2, hcrc=0x1234), gzip_wrap(body, data, 4, extra=b'ab')[:13],
        gzip_wrap(body, data, 8, name=b'abc')[:12], gzip_wrap(body, data, 16, comment=b'abc')[:12], g[:9],
        gzip_wrap(body, data, 2)[:11], b'')]
    return out


def bomb_cases(rng, short):
    out = []
    limit = (1 if short else 8) * MiB
    big = (4 if short else 64) * MiB
    zeros = bytes(big)
    for fmt, cls in ((RAW, 'bomb-raw'), (ZLIB, 'bomb-zlib'), (GZIP, 'bomb-gzip')):
        z = compress(zeros, fmt, 9)
        for chunk in (0, 4096, 1):
            out.append(Case(cls, fmt, z, limit=limit, chunk=chunk))
        out.append(Case(cls, fmt, compress(rng.randbytes(64) * (big // 64), fmt, 9), limit=limit))
    member = compress(bytes(limit // 2 + 1000), GZIP, 9)
    out.append(Case('bomb-members', GZIP, member * 4, limit=limit))
    out.append(Case('bomb-members', GZIP, member * 4, limit=limit, chunk=512))
    out.append(Case('bomb-members', GZIP, compress(b'x', GZIP) * 3 + compress(zeros, GZIP, 9), limit=limit))
    inner = compress(zeros, GZIP, 9)
    outer = compress(inner, GZIP, 9)
    out.append(Case('bomb-nested', GZIP, outer, limit=limit))  # the outer layer is small: accepted
    out.append(Case('bomb-nested', GZIP, inner, limit=limit))  # what it holds is the bomb
    out.append(Case('bomb-nested', GZIP, compress(outer, GZIP, 9), limit=limit))
    for fmt in (RAW, ZLIB, GZIP):
        z = compress(zeros, fmt, 9)
        out.append(Case('bomb-ratio', fmt, z, limit=1 << 40, ratio=100))
        out.append(Case('bomb-ratio', fmt, z, limit=1 << 40, ratio=100, chunk=4096))
    return out


# ---------------------------------------------------------------- judging

def parse(v):
    if v == '-':
        return None
    if v.startswith('ok:'):
        _, n, h = v.split(':', 2)
        return ('ok', int(n), h)
    _, kind, produced, cap, what = v.split(':', 4)
    return ('err', kind.replace('_', ' '), int(produced), int(cap), what.replace('_', ' '))


def judge(case, api, mine, expect):
    """None when `mine` (vitte's answer through `api`) passes, else why not."""
    if mine is None:
        return None
    if case.cls == 'bomb-ratio':
        if mine[0] == 'ok':
            return 'accepted a ratio bomb'
        if mine[1] != 'limit exceeded':
            return f'refused with {mine[1]}, not limit_exceeded'
        bound = max(MiB, case.ratio * len(case.data)) + 65536
        return None if mine[2] <= bound else f'handed out {mine[2]} bytes, more than {bound}'
    kind = expect[0]
    if kind in ('ok', 'trailing'):
        want = expect[1]
        if mine[0] == 'ok':
            if mine[1] == len(want) and mine[2] == hashlib.sha256(want).hexdigest():
                return None
            return f'accepted with other bytes ({mine[1]} bytes, zlib {len(want)})'
        if kind == 'trailing':
            return None  # zlib leaves trailing bytes to its caller: refusing them is vitte's documented choice
        return f'refused ({mine[1]}: {mine[4]}), zlib accepts'
    if kind == 'limit':
        if mine[0] == 'ok':
            return f'accepted {mine[1]} bytes over max_output {case.limit}'
        if mine[1] != 'limit exceeded':
            return f'refused with {mine[1]} ({mine[4]}), not limit_exceeded'
        if mine[2] > case.limit:
            return f'handed out {mine[2]} bytes, max_output {case.limit}'
        if api == 'into' and mine[3] > case.limit + 8:
            return f'buffer capacity {mine[3]}, max_output {case.limit}'
        return None
    if mine[0] == 'ok':
        return f'accepted ({mine[1]} bytes), zlib: {expect[1] if kind == "bad" else "cut short"}'
    if kind == 'eof' and mine[1] != 'unexpected end of input':
        return f'cut short, but refused with {mine[1]} ({mine[4]})'
    return None


def expectation(case):
    if case.cls == 'trailing-gzip-zeros':
        return ('bad', 'zero padding after the last member (gzip(1) skips it with a warning)')
    e = oracle(case.fmt, case.data, case.limit, case.zdict)
    if e[0] == 'trailing' and case.fmt != RAW:
        return ('bad', 'bytes after the end of the stream')
    return e


def build_driver(work):
    cxx = shlex.split(os.environ.get('CXX', 'c++'))
    if shutil.which(cxx[0]) is None:
        return None
    exe = work / 'inflate_driver'
    subprocess.run([*cxx, '-std=c++20', '-O2', f'-I{ROOT / "include"}', str(ROOT / 'fuzz' / 'inflate_driver.cpp'),
                    '-o', str(exe)], check=True)
    return exe


def run_driver(driver, cases, work, rss=False, api=None):
    batch = work / 'batch.bin'
    batch.write_bytes(b''.join(c.record() for c in cases))
    r = subprocess.run([str(driver), str(batch)] + (['--rss'] if rss else []) + ([api] if api else []),
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    if r.returncode != 0 or len(lines) < len(cases):
        sys.exit(f'inflate_driver failed (exit {r.returncode}) after {len(lines)} of {len(cases)} cases:\n'
                 f'{r.stderr[-2000:]}')
    peak = int(lines[len(cases)].split()[1]) * 1024 if rss else 0
    return [dict(kv.split("=", 1) for kv in line.split(" ")) for line in lines[:len(cases)]], peak


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--short', action='store_true', help='the test suite form: fewer, smaller cases (< 30 s)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--scale', type=int, default=0, help='cases per generator slot (default 1 short, 4 full)')
    ap.add_argument('--driver', help='a built fuzz/inflate_driver (default: compile it with $CXX)')
    ap.add_argument('--no-rss', action='store_true', help='skip the peak RSS check (sanitizer builds)')
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()
    rng = random.Random(args.seed)
    scale = args.scale or (1 if args.short else 4)
    work = pathlib.Path(tempfile.mkdtemp(prefix='inflate-diff-'))
    try:
        driver = pathlib.Path(args.driver) if args.driver else build_driver(work)
        if driver is None:
            print('SKIP: no C++ compiler ($CXX or c++) to build fuzz/inflate_driver.cpp')
            return 77
        cases = generate(rng, scale, args.short)
        answers, _ = run_driver(driver, [c for c in cases if not c.cls.startswith('bomb')], work)
        bombs = [c for c in cases if c.cls.startswith('bomb')]
        _, base = run_driver(driver, [Case('base', RAW, compress(b'x' * 100, RAW))], work, rss=True)
        rss_fail, worst = [], -(1 << 62)
        for b in bombs:
            a, _ = run_driver(driver, [b], work)
            answers += a
            allowed = b.limit if b.cls != 'bomb-ratio' else max(MiB, b.ratio * len(b.data))
            bound = allowed + 2 * len(b.data) + 2 * MiB
            for api in APIS:  # each API alone in a process: its own peak
                if a[0][api] == '-' or args.no_rss:
                    continue
                _, peak = run_driver(driver, [b], work, rss=True, api=api)
                worst = max(worst, peak - base - allowed)
                if peak - base > bound:
                    rss_fail.append((b, api, peak - base, bound))
        cases = [c for c in cases if not c.cls.startswith('bomb')] + bombs
        classes = {}
        failed = {a: 0 for a in APIS}
        total = {a: 0 for a in APIS}
        notes = []
        for case, ans in zip(cases, answers):
            expect = expectation(case) if case.cls != 'bomb-ratio' else ('limit',)
            st = classes.setdefault(case.cls, {'n': 0, 'zlib': {}, **{a: [0, 0] for a in APIS}})
            st['n'] += 1
            st['zlib'][expect[0]] = st['zlib'].get(expect[0], 0) + 1
            verdicts = {}
            for api in APIS:
                mine = parse(ans[api])
                if mine is None:
                    continue
                verdicts[api] = mine[0]
                why = judge(case, api, mine, expect)
                total[api] += 1
                st[api][0] += 1
                if why:
                    failed[api] += 1
                    st[api][1] += 1
                    print(f'FAIL {case.cls} {api} fmt={case.fmt} limit={case.limit} chunk={case.chunk} '
                          f'{case.note}: {why}; zlib: {expect[0]} {expect[1] if expect[0] == "bad" else ""}')
                    if args.verbose:
                        print('   ', case.data[:64].hex())
            if len(set(verdicts.values())) > 1:
                notes.append(f'{case.cls}: vitte APIs disagree ({verdicts}), zlib: {expect[0]}')
        for b, api, used, bound in rss_fail:
            failed[api] += 1
            print(f'FAIL {b.cls} {api} rss: {used >> 10} KiB above a small case, bound {bound >> 10} KiB')
        for n in sorted(set(notes)):
            print('NOTE', n)
        print(f'{"class":<22}{"cases":>6}  zlib verdicts{"":<26}' + ''.join(f'{a:>12}' for a in APIS))
        for cls, st in classes.items():
            z = ' '.join(f'{k}:{v}' for k, v in sorted(st['zlib'].items()))
            print(f'{cls:<22}{st["n"]:>6}  {z:<39}' +
                  ''.join(f'{(str(st[a][0] - st[a][1]) + "/" + str(st[a][0])) if st[a][0] else "-":>12}' for a in APIS))
        if args.no_rss:
            print('bombs: peak RSS not checked (--no-rss)')
        else:
            print(f'bombs: peak RSS over a small case checked for each API alone on {len(bombs)} bombs, '
                  f'{len(rss_fail)} over the '
                  f'bound; the most: {worst >> 10} KiB above the limit' if bombs else '')
        for a in APIS:
            print(f'vitte {a}: {total[a] - failed[a]} passed, {failed[a]} failed')
        print(f'zlib (oracle): {len(cases)} cases judged')
        return 1 if any(failed.values()) else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
