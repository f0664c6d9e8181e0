#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_image.cpp: small position-independent shared objects
of this machine's architecture, each built a way the in-memory ELF loader
must read (TLS, IFUNC, data relocations, -z now, DT_RELR with lld, DT_HASH
only, symbol versions), stripped and laid out on 4 KiB pages so that they
stay a few KiB. Usage: fuzz/make_image_corpus.py [OUT_DIR] (default
fuzz/corpus/image)."""
import os
import pathlib
import shutil
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
}


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


if __name__ == '__main__':
    main()
