#!/usr/bin/env python3
"""Writes fuzz/corpus/wasm: small valid modules that reach every part of the
engine (calls, loops, memory, tables, globals, bulk memory, references,
traps, tail calls, SIMD), for fuzz_wasm to mutate. fuzz/run.sh adds the official
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
V128 = 0x7b


def fd(sub):
    """A SIMD instruction: the 0xfd prefix and its LEB128 sub-opcode."""
    return b'\xfd' + leb(sub)


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
    # SIMD arithmetic: v128 parameters, a v128 local, lane-wise and shape-changing
    # instructions, shuffles, lane reads and writes
    'simd_arith': module([fn_type([V128, V128], [V128])], [0], [body(
        bytes([0x20, 0, 0x20, 1]) + fd(0xae) + bytes([0x20, 1]) + fd(0xe6) + bytes([0x20, 0]) + fd(0x0e) +
        fd(0x0c) + bytes(range(1, 17)) +
        fd(0x0d) + bytes([0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31]) +
        bytes([0x20, 1, 0x20, 0]) + fd(0x52) + bytes([0x20, 1]) + fd(0x85) + fd(0xa9) + fd(0xfa) + fd(0x6a) +
        bytes([0x20, 1]) + fd(0xe8) + fd(0xf8) + bytes([0x41, 3]) + fd(0xab) + bytes([0x22, 2]) + fd(0x62) +
        bytes([0x20, 2]) + fd(0xba) + fd(0x5f) + fd(0x5e) + fd(0x64) + fd(0x0f) +
        bytes([0x20, 0]) + fd(0x1d) + b'\x01' + fd(0x1e) + b'\x00', locals_=b'\x01\x01' + bytes([V128]))],
        [export('arith', 0, 0)]),
    # SIMD memory: extending, splatting, zeroing and lane loads and stores, a
    # v128 global, a v128-typed block and select
    'simd_memory': module([fn_type([I32], [V128])], [0], [body(
        bytes([0x20, 0]) + fd(0x01) + b'\x03\x00' + bytes([0x21, 1, 0x20, 0, 0x20, 1]) + fd(0x0b) + b'\x04\x10' +
        bytes([0x20, 0, 0x20, 1]) + fd(0x56) + b'\x02\x04\x03' +
        bytes([0x20, 0, 0x41, 8, 0x6a, 0x20, 1]) + fd(0x59) + b'\x01\x00\x05' +
        bytes([0x20, 0]) + fd(0x5d) + b'\x03\x00' + fd(0xce) + bytes([0x20, 0]) + fd(0x07) + b'\x00\x00' +
        fd(0x70) + bytes([0x23, 0]) + fd(0x51) + bytes([0x24, 0, 0x23, 0]) + fd(0x53) +
        bytes([0x04, V128, 0x23, 0, 0x05, 0x20, 1, 0x0b]) + bytes([0x20, 1, 0x20, 0, 0x1c, 1, V128]),
        locals_=b'\x01\x01' + bytes([V128]))],
        [export('memory_ops', 0, 0), export('mem', 2, 0)], memory=vec([b'\x00\x01']),
        globals_=vec([bytes([V128, 1]) + fd(0x0c) + bytes(range(16)) + b'\x0b'])),
}


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / 'corpus' / 'wasm')
    out.mkdir(parents=True, exist_ok=True)
    for n, b in SEEDS.items():
        (out / f'{n}.wasm').write_bytes(b)


if __name__ == '__main__':
    main()
