#!/usr/bin/env python3
"""tests/machine/clang_triples.py - the triples vitte::machine::normalize is checked on.

  clang_triples.py --write   runs clang on every triple below and writes
                             clang_triples.inc (what test_triple.cpp compiles in)
  clang_triples.py --check   runs clang on a sample of them and compares with
                             clang_triples.inc (meson test triples_clang)

The list: real-world triples, odd spellings (missing or misplaced parts,
extra parts, upper case), and every architecture below with every system
below. The file was written with Debian 12's clang 14; --check skips (77)
when clang is absent or another major version.
"""
import pathlib
import re
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
INC = HERE / 'clang_triples.inc'
CLANG_MAJOR = 14

REAL_WORLD = '''x86_64-unknown-linux-gnu x86_64-pc-linux-gnu x86_64-linux-gnu i686-linux-gnu aarch64-linux-gnu arm-linux-gnueabihf arm-linux-gnueabi armv7-unknown-linux-gnueabihf armv7a-linux-androideabi armv7a-linux-androideabi21 aarch64-linux-android aarch64-linux-android30 x86_64-linux-android i686-linux-android
x86_64-w64-mingw32 i686-w64-mingw32 x86_64-pc-mingw32 x86_64-pc-windows-msvc i686-pc-windows-msvc aarch64-pc-windows-msvc x86_64-pc-windows-gnu x86_64-pc-cygwin i686-pc-cygwin x86_64-windows x86_64-win32 x86_64-windows-elf x86_64-windows-macho x86_64-windows-coff x86_64-pc-windows-msvc-elf x86_64-w64-windows-gnu x86_64-mingw32-elf
wasm32-wasi wasm32-unknown-wasi wasm64-unknown-unknown wasm32-unknown-emscripten wasm32 wasm64 wasm32-unknown-unknown-wasm wasm32-wasi-wasm
x86_64-apple-darwin x86_64-apple-darwin20.6.0 arm64-apple-darwin aarch64-apple-macos11 arm64-apple-ios14.0 arm64-apple-ios-simulator x86_64-apple-ios13.0-simulator arm64-apple-tvos arm64_32-apple-watchos x86_64-apple-ios13.1-macabi aarch64-apple-darwin
riscv64-unknown-linux-gnu riscv64-linux-gnu riscv32-unknown-elf riscv64-unknown-elf riscv64gc-unknown-linux-gnu riscv64-unknown-freebsd
powerpc64le-unknown-linux-gnu powerpc64-unknown-linux-gnu powerpc-linux-gnu powerpc64-ibm-aix7.2 powerpc-ibm-aix s390x-ibm-linux s390x-ibm-zos s390x-linux-gnu
mips-linux-gnu mipsel-linux-gnu mips64-linux-gnuabi64 mips64el-linux-gnuabi64 mips64el-linux-gnuabin32 mips-mti-linux-gnu mipsisa32r6-linux-gnu mipsisa64r6el-linux-gnuabi64
arm-none-eabi armv7m-none-eabi thumbv7em-none-eabihf thumbv6m-none-eabi thumbv8m.main-none-eabi armv7-none-eabi aarch64-none-elf aarch64-unknown-none arm-unknown-none-eabi avr-unknown-unknown msp430-none-elf
x86_64-unknown-freebsd13.1 x86_64-unknown-netbsd x86_64-unknown-openbsd7.1 x86_64-unknown-dragonfly x86_64-pc-solaris2.11 sparcv9-sun-solaris2.11 x86_64-unknown-haiku x86_64-unknown-fuchsia aarch64-fuchsia i386-pc-hurd-gnu x86_64-unknown-hermit x86_64-unknown-linux-gnux32 x86_64-linux-muslx32 x86_64-linux-musl aarch64-linux-musl armv7-linux-musleabihf arm-linux-musleabi
aarch64-suse-linux arm-suse-linux-gnueabi armv7hl-suse-linux-gnueabi x86_64-suse-linux x86_64-redhat-linux x86_64-redhat-linux-gnu aarch64-redhat-linux x86_64-oe-linux armv7-oe-linux-gnueabi x86_64-alpine-linux-musl
nvptx64-nvidia-cuda amdgcn-amd-amdhsa amdgcn-amd-amdpal amdgcn-mesa-mesa3d r600-- bpf bpfel bpfeb-unknown-none bpf-pc-linux x86_64-scei-ps4 x86_64-sie-ps4 ve-unknown-linux hexagon-unknown-linux-musl
x86_64 aarch64 arm thumb riscv64 unknown foo foo-bar foo-bar-baz foo-bar-baz-qux a-b-c-d-e-f -- --- ---- x86_64- -x86_64 -linux linux gnu apple windows mingw32 cygwin eabi elf wasi
linux-x86_64 gnu-linux-x86_64 pc-x86_64 apple-darwin-x86_64 x86_64-gnu-linux x86_64-linux-pc unknown-unknown-linux-gnu-x86_64 linux-gnu x86_64-elf i686-elf arm-eabi aarch64-macho x86_64-unknown-unknown-macho x86_64-apple-unknown-coff x86_64-unknown-linux-gnu-elf x86_64-unknown-linux-gnu-extra-more windows-x86_64 mingw32-x86_64 cygwin-i686 msvc-x86_64-windows eabi-arm-none
X86_64-linux x86_64-Linux x86_64-LINUX-gnu i386-mingw32 i586-pc-msdosdjgpp i486-linux i786-linux ppc32-linux ppcle-linux ppc64-linux powerpcspe-linux-gnuspe sparcel-linux x86_64-unknown-linux-code16 i386-pc-elfiamcu x86_64-pc-linux-gnu-coff
x86_64-linux-androideabi armv7-linux-androideabi armv5te-linux-androideabi16 aarch64-linux-gnu_ilp32 arm64-linux-gnu arm64e-apple-ios xscale-linux xscaleeb-linux
x86_64-unknown-nacl le32-unknown-nacl x86_64-unknown-rtems arm-rtems sparc-rtems x86_64-unknown-minix x86_64-unknown-ananas x86_64-unknown-cloudabi x86_64-kfreebsd-gnu x86_64-unknown-contiki x86_64-unknown-lv2 x86_64-unknown-win32 x86_64-pc-win32-macho
'''.split()

ARCHS = ['x86_64','i386','i686','amd64','x86_64h','aarch64','arm64','aarch64_be','arm','armv7','armv7a','armv7l','armv6','armv6m','armv7m','armv7em','armv8a','armv5te','armeb','thumb','thumbv7m','thumbv7em','thumbv6m','thumbv8m.main','riscv32','riscv64','powerpc','powerpc64','powerpc64le','ppc64le','ppc','s390x','systemz','mips','mipsel','mips64','mips64el','sparc','sparcv9','sparc64','wasm32','wasm64','avr','msp430','hexagon','nvptx64','amdgcn','bpf','bpfel','bpfeb','m68k','xcore','ve','csky','lanai','arc']
SYSTEMS = [('unknown','linux','gnu'),('pc','linux','gnu'),('unknown','linux','musl'),('unknown','linux','android'),('apple','darwin',''),('apple','macos',''),('apple','ios',''),('pc','windows','msvc'),('w64','mingw32',''),('unknown','freebsd',''),('unknown','netbsd',''),('unknown','openbsd',''),('unknown','wasi',''),('unknown','emscripten',''),('none','eabi',''),('unknown','none','elf')]


def triples():
    out, seen = [], set()
    def add(t):
        if t not in seen:
            seen.add(t)
            out.append(t)
    for t in REAL_WORLD:
        add(t)
    for a in ARCHS:
        for parts in SYSTEMS:
            add('-'.join(x for x in (a,) + parts if x))
    for a in ARCHS[:20]:
        for o in ('linux', 'windows', 'none'):
            add(a + '-' + o)
    return out


def clang_says(clang, t):
    r = subprocess.run([clang, '-target', t, '-print-target-triple'], capture_output=True, text=True)
    return r.stdout.strip()


def find_clang():
    for name in ('clang-%d' % CLANG_MAJOR, 'clang'):
        path = shutil.which(name)
        if path is None:
            continue
        version = subprocess.run([path, '--version'], capture_output=True, text=True).stdout
        m = re.search(r'clang version (\d+)', version)
        if m and int(m.group(1)) == CLANG_MAJOR:
            return path
    return None


def read_inc():
    return re.findall(r'\{"([^"]*)", "([^"]*)"\}', INC.read_text())


def main():
    clang = find_clang()
    if clang is None:
        print('skipped: no clang %d on PATH (clang_triples.inc holds what clang %d prints)' % (CLANG_MAJOR, CLANG_MAJOR))
        return 77
    if sys.argv[1:] == ['--write']:
        rows = [(t, clang_says(clang, t)) for t in triples()]
        INC.write_text('// Written by clang_triples.py --write: triple, clang %d -print-target-triple.\n' % CLANG_MAJOR +
                       ''.join('{"%s", "%s"},\n' % row for row in rows))
        print('%d triples' % len(rows))
        return 0
    rows = read_inc()
    if [t for t, _ in rows] != triples():
        print('clang_triples.inc is not the list of clang_triples.py: run it with --write')
        return 1
    bad = 0
    for t, want in rows[::19]:
        got = clang_says(clang, t)
        if got != want:
            print('%s: clang prints %s, clang_triples.inc says %s' % (t, got, want))
            bad += 1
    print('%d triples, %d checked against %s, %d differ' % (len(rows), len(rows[::19]), clang, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
