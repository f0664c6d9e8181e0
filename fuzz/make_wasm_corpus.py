#!/usr/bin/env python3
"""Writes fuzz/corpus/wasm: small valid modules that reach every part of the
engine (calls, loops, memory, tables, globals, bulk memory, references,
traps, tail calls), for fuzz_wasm to mutate. fuzz/run.sh adds the official
test suite's modules when they are available."""
import pathlib
import sys


def leb(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def sec(i, content):
    return bytes([i]) + leb(len(content)) + content


def vec(items):
    return leb(len(items)) + b''.join(items)


def name(s):
    return leb(len(s)) + s.encode()


def body(code, locals_=b'\x00'):
    b = locals_ + code + b'\x0b'
    return leb(len(b)) + b


HEAD = b'\x00asm\x01\x00\x00\x00'
I32 = 0x7f


def module(types, funcs, bodies, exports, extra=b'', imports=None, memory=None, table=None, globals_=None,
           elems=None, datas=None):
    m = HEAD + sec(1, vec(types))
    if imports:
        m += sec(2, vec(imports))
    m += sec(3, vec([leb(f) for f in funcs]))
    if table:
        m += sec(4, table)
    if memory:
        m += sec(5, memory)
    if globals_:
        m += sec(6, globals_)
    m += sec(7, vec(exports))
    if elems:
        m += sec(9, elems)
    m += sec(10, vec(bodies))
    if datas:
        m += sec(11, datas)
    return m + extra


def fn_type(params, results):
    return b'\x60' + vec([bytes([p]) for p in params]) + vec([bytes([r]) for r in results])


def export(n, kind, idx):
    return name(n) + bytes([kind]) + leb(idx)


SEEDS = {
    # fib: recursion, if/else, compare + branch
    'fib': module([fn_type([I32], [I32])], [0], [body(bytes([
        0x20, 0, 0x41, 2, 0x49, 0x04, I32, 0x20, 0, 0x05, 0x20, 0, 0x41, 1, 0x6b, 0x10, 0,
        0x20, 0, 0x41, 2, 0x6b, 0x10, 0, 0x6a, 0x0b]))], [export('fib', 0, 0)]),
    # a loop summing into memory, loads and stores, memory.grow
    'loop_memory': module([fn_type([I32], [I32])], [0], [body(bytes([
        0x03, 0x40, 0x41, 0, 0x41, 0, 0x28, 2, 0, 0x20, 0, 0x6a, 0x36, 2, 0, 0x20, 0, 0x41, 1, 0x6b,
        0x22, 0, 0x0d, 0, 0x0b, 0x41, 1, 0x40, 0, 0x1a, 0x41, 0, 0x28, 2, 0]), b'\x00')],
        [export('sum', 0, 0), export('mem', 2, 0)], memory=vec([b'\x00\x01'])),
    # call_indirect through a table with an element segment, a global
    'table_global': module([fn_type([], [I32]), fn_type([I32], [I32])], [0, 1], [
        body(bytes([0x23, 0])),
        body(bytes([0x20, 0, 0x11, 0, 0]))],
        [export('g', 0, 0), export('call', 0, 1)],
        table=vec([b'\x70\x00\x02']), globals_=vec([b'\x7f\x01\x41\x2a\x0b']),
        elems=vec([b'\x00\x41\x00\x0b' + vec([leb(0)])])),
    # bulk memory with a passive data segment, data count section
    'bulk': HEAD + sec(1, vec([fn_type([], [])])) + sec(3, vec([leb(0)])) + sec(5, vec([b'\x00\x01'])) +
        sec(7, vec([export('init', 0, 0)])) + sec(12, leb(1)) +
        sec(10, vec([body(bytes([0x41, 0, 0x41, 0, 0x41, 4, 0xfc, 8, 0, 0, 0x41, 8, 0x41, 0, 0x41, 4, 0xfc, 10, 0, 0,
                                 0x41, 0, 0x41, 0x7f, 0x41, 2, 0xfc, 11, 0, 0xfc, 9, 0]))])) +
        sec(11, vec([b'\x01' + vec([b'a', b'b', b'c', b'd'])])),
    # traps: division by zero, unreachable, out of bounds
    'traps': module([fn_type([], [I32])], [0, 0], [body(bytes([0x41, 1, 0x41, 0, 0x6d])), body(bytes([0x00]))],
                    [export('div', 0, 0), export('unreachable', 0, 1)]),
    # a host import and a tail call
    'import_tail': module([fn_type([I32], [I32])], [0], [body(bytes([0x20, 0, 0x12, 0]))],
                          [export('tail', 0, 1)], imports=[name('env') + name('f') + b'\x00' + leb(0)]),
}


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / 'corpus' / 'wasm')
    out.mkdir(parents=True, exist_ok=True)
    for n, b in SEEDS.items():
        (out / f'{n}.wasm').write_bytes(b)


if __name__ == '__main__':
    main()
