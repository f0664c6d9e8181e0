#!/usr/bin/env python3
"""Converts the WebAssembly test suite with wabt's wast2json, at build time.

  convert.py SUITE OUTDIR STAMP

SUITE is ../shared/wasm/testsuite (the Meson option wasm_testsuite): core/*.wast
(compat/ replaces the files Debian's wast2json 1.0.32 cannot read), simd/*.wast
(fixed-width SIMD) and proposals/*.wast (tail calls). OUTDIR receives
PART/NAME.json with their .wasm files; STAMP lists what was converted.
"""
import pathlib
import shutil
import subprocess
import sys


def main():
    suite, out, stamp = (pathlib.Path(a) for a in sys.argv[1:4])
    tool = shutil.which('wast2json')
    if tool is None:
        sys.exit('wast2json not found (Debian package wabt; scripts/test installs it)')
    done = []
    for part, flags in (('core', []), ('simd', []), ('proposals', ['--enable-tail-call'])):
        if not (suite / part).is_dir():
            continue
        dest = out / part
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for src in sorted((suite / part).glob('*.wast')):
            compat = suite / 'compat' / src.name
            use = compat if part == 'core' and compat.exists() else src
            target = dest / (src.stem + '.json')
            r = subprocess.run([tool, *flags, str(use), '-o', str(target)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            # wast2json 1.0.32 reports one text-format construct of elem.wast
            # it does not read and still writes every command: the runner
            # checks the counts against the suite's table, so a loss shows.
            if not target.exists():
                sys.exit(f'wast2json failed on {use}:\n{r.stdout}')
            done.append(f'{part}/{target.name}')
    stamp.write_text('\n'.join(done) + '\n')


if __name__ == '__main__':
    main()
