#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_image.cpp: small position-independent shared objects
of this machine's architecture, each built a way the in-memory ELF loader
must read (TLS, IFUNC, data relocations, -z now, DT_RELR with lld, DT_HASH
only, symbol versions), stripped and laid out on 4 KiB pages so that they
stay a few KiB; then a hostile copy per class the loader must refuse
before any code runs (hostile_*.so: init/fini array entries, DT_INIT and
IFUNC resolvers pointing at data, a PT_LOAD whose offset and address
disagree, a symbol version index past the versions, an IRELATIVE resolver
in data). Usage: fuzz/make_image_corpus.py [OUT_DIR] (default
fuzz/corpus/image)."""
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile

SOURCE = r'''
extern int ext(int);
__thread int t = 3;
__thread int z;
static int data[4] = {1, 2, 3, 4};
int *pdata = &data[1];
int f(int x) { return ext(x) + *pdata + t + z++; }
static int ia(void) { return 1; }
static int (*res(void))(void) { return ia; }
int g(void) __attribute__((ifunc("res")));
#ifdef IRELATIVE
int (*pg)(void) = g;
static int h(void) __attribute__((ifunc("res")));
int (*ph)(void) = h;
#endif
__attribute__((constructor)) static void ctor(void) { data[0]++; }
__attribute__((destructor)) static void dtor(void) { data[1]++; }
int v1(void) { return 1; }
int v2(void) { return 2; }
__asm__(".symver v1, probe_value@VERS_1");
__asm__(".symver v2, probe_value@@VERS_2");
'''
MAP = 'VERS_1 { global: probe_value; }; VERS_2 { global: *; } VERS_1;\n'
VARIANTS = {
    'plain': [],
    'now_relro': ['-Wl,-z,now', '-Wl,-z,relro'],
    'relr': ['-fuse-ld=lld', '-Wl,--pack-dyn-relocs=relr'],
    'sysv_hash': ['-Wl,--hash-style=sysv'],
    'both_hash': ['-Wl,--hash-style=both'],
    'irelative': ['-Wl,-z,now', '-DIRELATIVE'],
}


class Elf:
    """The fields of a shared object the hostile copies change."""

    def __init__(self, b):
        self.b = bytearray(b)
        self.is64 = b[4] == 2
        self.w = 'Q' if self.is64 else 'I'
        ws = 8 if self.is64 else 4
        self.ws = ws
        phoff = self.get(32 if self.is64 else 28, self.w)
        phnum = self.get(56 if self.is64 else 44, 'H')
        self.phs = []
        for i in range(phnum):
            h = phoff + i * (56 if self.is64 else 32)
            if self.is64:
                t, flags, off, va, _, fsz, msz, al = struct.unpack_from('<IIQQQQQQ', self.b, h)
            else:
                t, off, va, _, fsz, msz, flags, al = struct.unpack_from('<IIIIIIII', self.b, h)
            self.phs.append(dict(at=h, type=t, flags=flags, offset=off, vaddr=va, filesz=fsz))
        self.dyn = []
        for ph in self.phs:
            if ph['type'] == 2:
                for o in range(ph['offset'], ph['offset'] + ph['filesz'], 2 * ws):
                    self.dyn.append((self.get(o, 'q' if self.is64 else 'i'), o))

    def get(self, off, fmt):
        return struct.unpack_from('<' + fmt, self.b, off)[0]

    def put(self, off, fmt, v):
        struct.pack_into('<' + fmt, self.b, off, v)

    def entry(self, tag):
        return next((o for t, o in self.dyn if t == tag), None)

    def value(self, tag):
        o = self.entry(tag)
        return None if o is None else self.get(o + self.ws, self.w)

    def file_of(self, va):
        for ph in self.phs:
            if ph['type'] == 1 and ph['vaddr'] <= va < ph['vaddr'] + ph['filesz']:
                return ph['offset'] + va - ph['vaddr']
        return None

    def dynamic_va(self):
        return next(ph['vaddr'] for ph in self.phs if ph['type'] == 2)


def hostile(seed, irelative_only):
    """(name, bytes) of each hostile class made from `seed` (only the
    IRELATIVE one when `irelative_only`)."""
    out = []

    def make(name, change):
        e = Elf(seed)
        if change(e) is not False:
            out.append((name, bytes(e.b)))

    def init_array(e, tag, size_tag):
        if e.entry(tag) is None or e.entry(size_tag) is None:
            return False
        e.put(e.entry(tag) + e.ws, e.w, e.dynamic_va())
        e.put(e.entry(size_tag) + e.ws, e.w, 2 * e.ws)

    def init(e, tag):
        at = e.entry(tag) or e.entry(21) or e.entry(1)
        if at is None:
            return False
        e.put(at, e.w, tag)
        e.put(at + e.ws, e.w, e.dynamic_va())

    def offset(e):
        text = [ph for ph in e.phs if ph['type'] == 1 and ph['flags'] & 1]
        if not text:
            return False
        e.put(text[0]['at'] + (8 if e.is64 else 4), e.w, text[0]['offset'] + 16)

    def versym(e):
        v = e.value(0x6ffffff0)
        if v is None or e.file_of(v) is None:
            return False
        e.put(e.file_of(v) + 2, 'H', 0x7ff0)

    def ifunc_symbol(e):
        symtab, strtab = e.file_of(e.value(6)), e.file_of(e.value(5))
        ent = 24 if e.is64 else 16
        for o in range(symtab + ent, strtab, ent):
            info = e.b[o + (4 if e.is64 else 12)]
            if info & 0xf == 10:
                e.put(o + (8 if e.is64 else 4), e.w, e.dynamic_va())
                return None
        return False

    def irelative(e):
        types = {62: 37, 183: 1032, 40: 160}
        want = types.get(e.get(18, 'H'))
        ent = 24 if e.is64 else 8
        for table, size in ((7, 8), (17, 18), (23, 2)):
            t, n = e.value(table), e.value(size)
            if t is None or n is None or e.file_of(t) is None:
                continue
            for o in range(e.file_of(t), e.file_of(t) + n, ent):
                info = e.get(o + e.ws, e.w)
                if (info & 0xffffffff if e.is64 else info & 0xff) == want:
                    if table == 17:  # REL: the addend is the word in place
                        e.put(e.file_of(e.get(o, e.w)), e.w, e.dynamic_va())
                    else:
                        e.put(o + 2 * e.ws, e.w, e.dynamic_va())
                    return None
        return False

    if irelative_only:
        make('hostile_irelative', irelative)
        return out
    make('hostile_init_array', lambda e: init_array(e, 25, 27))
    make('hostile_fini_array', lambda e: init_array(e, 26, 28))
    make('hostile_init', lambda e: init(e, 12))
    make('hostile_fini', lambda e: init(e, 13))
    make('hostile_offset', offset)
    make('hostile_versym', versym)
    make('hostile_ifunc_symbol', ifunc_symbol)
    return out


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else 'fuzz/corpus/image')
    out.mkdir(parents=True, exist_ok=True)
    cc = os.environ.get('CC', 'cc')
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / 'seed.c'
        src.write_text(SOURCE)
        vmap = pathlib.Path(tmp) / 'seed.map'
        vmap.write_text(MAP)
        for name, extra in VARIANTS.items():
            so = pathlib.Path(tmp) / (name + '.so')
            cmd = [cc, '-shared', '-fPIC', '-nostdlib', '-Os', '-Wl,-z,max-page-size=4096',
                   '-Wl,-z,noseparate-code', '-Wl,--version-script=' + str(vmap)] + extra + [str(src), '-o', str(so)]
            if subprocess.run(cmd, capture_output=True).returncode != 0:
                print(f'skipped {name}: {" ".join(cmd)} failed', file=sys.stderr)
                continue
            if shutil.which('strip'):
                subprocess.run(['strip', str(so)], check=True)
            shutil.copy(so, out / (name + '.so'))
            print(f'{out / (name + ".so")}: {so.stat().st_size} bytes')
            if name in ('now_relro', 'irelative'):
                for hostile_name, data in hostile(so.read_bytes(), name == 'irelative'):
                    (out / (hostile_name + '.so')).write_bytes(data)
                    print(f'{out / (hostile_name + ".so")}: {len(data)} bytes')


if __name__ == '__main__':
    main()
