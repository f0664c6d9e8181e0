#!/usr/bin/env python3
"""make_elf_pe_corpus.py DIR - writes the seed corpus of fuzz_elf_pe.cpp.

Small, valid plugin files built byte by byte (real plugins are tens of
kilobytes, over the fuzzer's -max_len): an ELF64 little-endian x86_64
shared object, an ELF32 big-endian PowerPC one, a PE32+ DLL, Mach-O
bundles (64-bit x86_64, 32-bit i386, and a fat x86_64 + arm64 file), each
with a metadata section (docs/formats/vitplug.md), and the bare metadata.
"""
import os
import struct
import sys


def align8(b):
    return b + b'\0' * (-len(b) % 8)


def metadata(end, arch):
    def rec(tag, payload):
        body = struct.pack(end + 'HHI', tag, 0, 8 + len(payload)) + payload
        return align8(body)
    strings = align8(b'seed\0' + b'1.0.0\0')
    records = rec(1, struct.pack(end + 'IIQ', 1, 1, 0x16a0ee161638a67c) + b'twice\0')
    records += rec(2, struct.pack(end + 'IIQ', 1, 1, 0xd8302caf2be12483) + b'host\0add\0')
    records += rec(3, struct.pack(end + 'II', 2, 0) + b'dep\0^1.0\0')
    total = 32 + len(strings) + len(records)
    head = b'VITPLUG\0' + struct.pack(end + 'HHHHIIIHH', 1, 1, 0, arch, 2, total, 3, 32, 32 + 5)
    return head + strings + records


def elf(is64, end, machine, arch):
    meta = metadata(end, arch)
    shstr = b'\0.vitte_plugin\0.shstrtab\0'
    ehsize, shentsize = (64, 64) if is64 else (52, 40)
    meta_off = (ehsize + 7) & ~7
    str_off = meta_off + len(meta)
    sh_off = (str_off + len(shstr) + 7) & ~7
    ident = b'\x7fELF' + bytes([2 if is64 else 1, 1 if end == '<' else 2, 1]) + b'\0' * 9
    if is64:
        hdr = ident + struct.pack(end + 'HHIQQQIHHHHHH', 3, machine, 1, 0, 0, sh_off, 0, ehsize, 0, 0, shentsize, 3, 2)
        sh = lambda n, t, f, o, s: struct.pack(end + 'IIQQQQIIQQ', n, t, f, 0, o, s, 0, 0, 1, 0)
    else:
        hdr = ident + struct.pack(end + 'HHIIIIIHHHHHH', 3, machine, 1, 0, 0, sh_off, 0, ehsize, 0, 0, shentsize, 3, 2)
        sh = lambda n, t, f, o, s: struct.pack(end + 'IIIIIIIIII', n, t, f, 0, o, s, 0, 0, 1, 0)
    out = bytearray(hdr)
    out += b'\0' * (meta_off - len(out)) + meta + shstr
    out += b'\0' * (sh_off - len(out))
    out += sh(0, 0, 0, 0, 0) + sh(1, 1, 2, meta_off, len(meta)) + sh(15, 3, 0, str_off, len(shstr))
    return bytes(out)


def pe():
    meta = metadata('<', 1)
    dos = b'MZ' + b'\0' * 58 + struct.pack('<I', 64)
    coff = b'PE\0\0' + struct.pack('<HHIIIHH', 0x8664, 1, 0, 0, 0, 240, 0x2022)
    opt = struct.pack('<H', 0x20b) + b'\0' * 238
    raw = (len(meta) + 511) & ~511
    sec = b'.vitplug' + struct.pack('<IIIIIIHHI', len(meta), 0x1000, raw, 0x200, 0, 0, 0, 0, 0x40000040)
    out = bytearray(dos + coff + opt + sec)
    out += b'\0' * (0x200 - len(out)) + meta + b'\0' * (raw - len(meta))
    return bytes(out)


def macho(is64, cpu, arch):
    """A Mach-O bundle: one segment command with the __DATA,__vitplug section."""
    meta = metadata('<', arch)
    hdr_size = 32 if is64 else 28
    seg_fixed, sect_size = (72, 80) if is64 else (56, 68)
    cmdsize = seg_fixed + sect_size
    data_off = (hdr_size + cmdsize + 7) & ~7
    if is64:
        hdr = struct.pack('<IiiIIIII', 0xfeedfacf, cpu, 3, 8, 1, cmdsize, 0, 0)
        seg = struct.pack('<II16sQQQQiiII', 0x19, cmdsize, b'__DATA', 0, len(meta), data_off, len(meta), 3, 3, 1, 0)
        sect = struct.pack('<16s16sQQIIIIIIII', b'__vitplug', b'__DATA', 0, len(meta), data_off, 3, 0, 0, 0, 0, 0, 0)
    else:
        hdr = struct.pack('<IiiIIII', 0xfeedface, cpu, 3, 8, 1, cmdsize, 0)
        seg = struct.pack('<II16sIIIIiiII', 0x1, cmdsize, b'__DATA', 0, len(meta), data_off, len(meta), 3, 3, 1, 0)
        sect = struct.pack('<16s16sIIIIIIIII', b'__vitplug', b'__DATA', 0, len(meta), data_off, 3, 0, 0, 0, 0, 0)
    out = hdr + seg + sect
    return out + b'\0' * (data_off - len(out)) + meta


def fat(slices):
    """A fat (universal) file: big-endian header and table, 16-byte aligned slices."""
    out = bytearray(struct.pack('>II', 0xcafebabe, len(slices)))
    off = (8 + 20 * len(slices) + 15) & ~15
    body = bytearray()
    for cpu, data in slices:
        out += struct.pack('>iiIII', cpu, 3, off + len(body), len(data), 4)
        body += data + b'\0' * (-len(data) % 16)
    return bytes(out + b'\0' * (off - len(out)) + body)


out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus', 'elf_pe')
os.makedirs(out, exist_ok=True)
seeds = {
    'elf64le_x86_64.so': elf(True, '<', 62, 1),
    'elf32be_ppc.so': elf(False, '>', 20, 8),
    'pe32plus_amd64.dll': pe(),
    'metadata.bin': metadata('<', 1),
    'macho64_x86_64.bundle': macho(True, 0x01000007, 1),
    'macho32_i386.bundle': macho(False, 7, 2),
    'macho_fat_x86_64_arm64.bundle': fat([(0x01000007, macho(True, 0x01000007, 1)),
                                          (0x0100000c, macho(True, 0x0100000c, 3))]),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
