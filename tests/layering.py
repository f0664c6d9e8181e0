#!/usr/bin/env python3
"""The layering map, checked: which layer of include/vitte may include which.

  layering.py --root DIR            checks every header under DIR/include/vitte
  layering.py --fail FILE...        each FILE must break the map: it names the
                                    path it pretends to have (// as: wasm/x.hpp)
                                    and the text the violation must contain
                                    (// expect: ...), on the line of the include

A file's layer is the first folder under include/vitte (base, sys, crypto,
loader, ...); a file at the top is its layer's umbrella (sys.hpp belongs to
sys, base.hpp to base). Every
`#include <vitte/...>` must name a layer the MAP allows; a violation prints
"FILE:LINE: LAYER may not include TARGET (LAYER may use: ...)" and the exit
status is 1. A header's include guard is its path (guard_of): a moved file
that keeps its old guard is refused the same way.

A new layer adds its line to MAP before its first header lands.
"""
import argparse
import pathlib
import re
import sys

# layer: the layers it may include besides itself. Base first, then upwards.
MAP = {
    'base': set(),                          # vocabulary: text, span, buffer, error, result; base/detail helpers
    'machine': {'base'},                    # triples, architectures, byte order (namespace vitte::machine)
    'sys': {'base', 'machine'},             # the OS behind the platform policy
    'crypto': {'base', 'sys'},              # beside sys; keygen takes sys's randomness
    'log': {'base', 'sys'},
    'compress': {'base'},
    'archive': {'base', 'sys', 'compress'},
    'http': {'base', 'sys', 'compress'},
    'wasm': {'base', 'sys', 'machine'},     # never loader: the loader reaches wasm, not the reverse
    'loader': {'base', 'sys', 'crypto', 'machine', 'log'},
    # The build kit, three layers by job (vitte::cache, vitte::toolchain, vitte::release).
    'cache': {'base', 'sys', 'crypto', 'log', 'http'},                          # fingerprints, index, output cache
    'toolchain': {'base', 'sys', 'machine', 'log', 'cache'},                   # compilers, linkers, running
    'release': {'base', 'sys', 'crypto', 'machine', 'compress', 'archive', 'cache'},  # signify, packages
}

# Files allowed one more layer than their own: the loader reaches wasm only
# from its executor glue.
GLUE = {
    'loader/wasm_executor.hpp': {'wasm'},
}

# Inside the loader: the module backends (loader/impl/*_backend.hpp: the OS
# loader os_backend, image_backend, container_backend) never include one
# another; what they share is a header of its own (impl/plugin_image.hpp).
# vitte's own ELF loader (loader/elf_image/) sits below them and includes none.
BACKEND = re.compile(r'^loader/impl/\w+_backend\.hpp$')
ELF_IMAGE = 'loader/elf_image/'

INCLUDE = re.compile(r'^\s*#\s*include\s*<vitte/([^>]+)>')
GUARD = re.compile(r'^#ifndef (VITTE_\w+)\n#define \1$', re.M)


def guard_of(rel):
    """The include guard a header at `rel` (relative to include/vitte) has:
    VITTE_ and its path in capitals ('cache/index.hpp' -> VITTE_CACHE_INDEX_HPP),
    so that two headers never share one and a moved file shows its old name."""
    return 'VITTE_' + re.sub(r'[^A-Za-z0-9]', '_', rel).upper()


def layer_of(rel):
    """The layer of a path relative to include/vitte ('sys/file.hpp' -> 'sys',
    the umbrella 'sys.hpp' -> 'sys')."""
    parts = rel.split('/')
    return parts[0].rsplit('.', 1)[0] if len(parts) == 1 else parts[0]


def check(rel, text):
    """The violations in one file's text, as (line, message)."""
    own = layer_of(rel)
    if own not in MAP:
        return [(1, f'{own} is not in the layering map (tests/layering.py): add its line first')]
    allowed = MAP[own] | {own} | GLUE.get(rel, set())
    out = []
    guard = GUARD.search(text)
    if guard and guard.group(1) != guard_of(rel):
        out.append((text.count('\n', 0, guard.start()) + 1,
                    f'include guard {guard.group(1)} is not the path\'s: {guard_of(rel)}'))
    for n, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = m.group(1)
        to = layer_of(target)
        if to not in MAP:
            out.append((n, f'<vitte/{target}>: {to} is not in the layering map (tests/layering.py): add its line first'))
        elif to not in allowed:
            may = ', '.join(sorted(MAP[own] | GLUE.get(rel, set()))) or 'nothing but itself'
            out.append((n, f'{own} may not include <vitte/{target}> ({to}); {own} may use: {may}'))
        elif BACKEND.match(rel) and BACKEND.match(target) and target != rel:
            out.append((n, f'backend {rel} may not include another backend <vitte/{target}>: '
                           'share through a header of its own (loader/impl/plugin_image.hpp)'))
        elif rel.startswith(ELF_IMAGE) and target.startswith('loader/impl/'):
            out.append((n, f'{rel} may not include <vitte/{target}>: the ELF loader sits below the backends'))
    return out


def stale(inc):
    """The map's entries that name nothing under `inc` (include/vitte): a
    layer without its folder or its umbrella, a GLUE file that does not
    exist, the ELF loader's folder, and a backend pattern that matches no
    file. A stale entry is a rule that guards nothing."""
    out = []
    for layer in MAP:
        lacks = []
        if not (inc / layer).is_dir():
            lacks.append(f'folder include/vitte/{layer}/')
        if not (inc / f'{layer}.hpp').is_file():
            lacks.append(f'umbrella include/vitte/{layer}.hpp')
        if lacks:
            out.append(f'layer {layer!r} has no ' + ' and no '.join(lacks) + ' (every layer has both)')
    for rel in GLUE:
        if not (inc / rel).is_file():
            out.append(f'GLUE names include/vitte/{rel}, which does not exist')
    if not (inc / ELF_IMAGE).is_dir():
        out.append(f'ELF_IMAGE names include/vitte/{ELF_IMAGE}, which does not exist')
    files = [p.relative_to(inc).as_posix() for p in inc.rglob('*.hpp')]
    if not any(BACKEND.match(f) for f in files):
        out.append(f'BACKEND ({BACKEND.pattern}) matches no header')
    return out


def must_fail(files):
    """Each file must produce the violation its // expect: line names."""
    bad = 0
    for f in files:
        text = pathlib.Path(f).read_text()
        as_path = re.search(r'^// as: (\S+)$', text, re.M)
        expect = re.search(r'^// expect: (.+)$', text, re.M)
        if not as_path or not expect:
            print(f'{f}: needs "// as: PATH" and "// expect: TEXT" lines')
            bad += 1
            continue
        found = check(as_path.group(1), text)
        # The violation is on the include line, or on line 1 when the file's
        # own layer is unmapped (// line: 1).
        line_override = re.search(r'^// line: (\d+)$', text, re.M)
        want_line = int(line_override.group(1)) if line_override else next(
            n for n, l in enumerate(text.splitlines(), 1) if INCLUDE.match(l))
        if not any(expect.group(1) in msg and line == want_line for line, msg in found):
            print(f'{f}: expected "{expect.group(1)}" at line {want_line}, got {found or "no violation"}')
            bad += 1
        else:
            print(f'{f}: refused as expected: {found[0][1]}')
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--root')
    ap.add_argument('--fail', nargs='+', help='files that must break the map')
    ap.add_argument('--self-test', action='store_true',
                    help='checks that an empty tree makes every map entry stale')
    ap.add_argument('--stamp', help='written when the tree follows the map (build-time check)')
    a = ap.parse_args()
    if a.fail:
        return must_fail(a.fail)
    if a.self_test:
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            found = stale(pathlib.Path(d))
        want = len(MAP) + len(GLUE) + 2  # every layer (base too), each GLUE file, ELF_IMAGE, BACKEND
        print(f'layering self-test: {len(found)} stale entries in an empty tree (want {want})')
        return 0 if len(found) == want else 1
    inc = pathlib.Path(a.root) / 'include' / 'vitte'
    targets = []
    for p in sorted(inc.rglob('*')):
        if p.suffix in ('.hpp', '.ipp', '.h'):
            targets.append((p.relative_to(inc).as_posix(), p))
    bad = 0
    for msg in stale(inc):
        print(f'tests/layering.py: stale entry: {msg}')
        bad += 1
    for rel, p in targets:
        for line, msg in check(rel, p.read_text(errors='replace')):
            print(f'{p}:{line}: {msg}')
            bad += 1
    if bad:
        print(f'layering: {bad} include(s) or map entries break the layering map')
        return 1
    print(f'layering: {len(targets)} files follow the map')
    if a.stamp:
        pathlib.Path(a.stamp).write_text('ok\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
