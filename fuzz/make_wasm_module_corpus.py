#!/usr/bin/env python3
"""fuzz/make_wasm_module_corpus.py DIR - seeds for fuzz_wasm_module: small
.wasm modules (imports from a plugin, the host and WASI; exports of every
value type; several results) with and without a vitte.module section, and
bare section payloads. Writes DIR/*.wasm and DIR/*.section."""
import os
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def name(s):
    b = s.encode()
    return leb(len(b)) + b


def vec(items):
    return leb(len(items)) + b''.join(items)


def section(i, body):
    return bytes([i]) + leb(len(body)) + body


I32, I64, F32, F64 = 0x7f, 0x7e, 0x7d, 0x7c


def functype(params, results):
    return b'\x60' + vec([bytes([p]) for p in params]) + vec([bytes([r]) for r in results])


def module(types, imports, funcs, exports, extra=b''):
    m = b'\0asm\x01\0\0\0'
    m += section(1, vec([functype(*t) for t in types]))
    m += section(2, vec([name(a) + name(b) + b'\0' + leb(t) for a, b, t in imports]))
    m += section(3, vec([leb(t) for t in funcs]))
    m += section(7, vec([name(n) + b'\0' + leb(i) for n, i in exports]))
    body = b'\0\x0b'  # no locals, end: every function here returns nothing or traps
    m += section(10, vec([leb(len(b'\0\x00\x0b')) + b'\0\x00\x0b' for _ in funcs]))
    return m + extra


def vitte_section(mod, version, deps, exports, imports):
    p = b'\x01' + name(mod) + name(version)
    p += vec([name(d) + name(r) + bytes([f]) for d, r, f in deps])
    p += vec([name(n) + name(s) for n, s in exports])
    p += vec([name(m) + name(n) + name(s) for m, n, s in imports])
    return p, section(0, name('vitte.module') + p)


def main(out):
    os.makedirs(out, exist_ok=True)
    types = [([I32], [I32]), ([I64], [I64]), ([F64, F32], [F64]), ([], [I32, I32]), ([], [])]
    imports = [('plug', 'square', 0), ('host', 'offset', 0), ('wasi_snapshot_preview1', 'proc_exit', 4)]
    plain = module(types, imports, [0, 1, 2, 3], [('twice', 3), ('wide', 4), ('fsum', 5), ('pair', 6)])
    payload, sec = vitte_section('calc', '1.2.0', [('plug', '^1.0', 0), ('lazy', '*', 2)],
                                 [('wide', 'FU8U8E'), ('twice', 'FI4I4E')], [('plug', 'square', 'FbbE')])
    files = {
        'plain.wasm': plain,
        'named.wasm': plain + sec,
        'empty.wasm': b'\0asm\x01\0\0\0',
        'section_only.wasm': b'\0asm\x01\0\0\0' + sec,
        'calc.section': payload,
        'minimal.section': vitte_section('m', '0.1.0', [], [], [])[0],
    }
    for f, data in files.items():
        with open(os.path.join(out, f), 'wb') as fh:
            fh.write(data)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'fuzz/corpus/wasm_module')
