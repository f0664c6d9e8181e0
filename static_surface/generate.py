#!/usr/bin/env python3
"""static_surface/generate.py - the C and C++ runtime surface of a static host.

A statically linked program holds only the C library functions it calls
itself; a shared object loaded into it as an in-memory image
(vitte::loader::elf_image) asks for whatever its own build called. This
writes a C++ source that (a) takes the address of every global function and
object of the toolchain's static runtime archives that the matching shared
libraries export, so that the linker keeps them, and (b) lists them as
name -> address (vitte_static_surface[]), which the loader consults in a
static host (detail/image_os.ipp) before the program's own symbol table,
stripped binary or not. Thread-locals (libstdc++'s __once_callable) are
listed as a function giving the calling thread's address
(vitte_static_surface_thread_locals[]).

  generate.py --output surface.cpp [--list surface.txt] [--link-arg ARG]... [--c-only]
              [--exclude NAME|GLOB|MEMBER.o]... -- CXX [FLAGS...]

Where the archives come from: a link of a trivial static program with -v
(a toolchain that names its archives by path, as Zig does for musl: the
archives alone, nothing to compare with), else CXX -print-file-name. With
glibc, each archive is intersected with its shared library (libc.a with
libc.so.6, libm.a with libm.so.6, libstdc++.a with libstdc++.so.6, libgcc's
with libgcc_s.so.1...), so the surface is what a dynamic host offers, less:
  - GLIBC_PRIVATE names and ld.so's _dl_* (no dynamic linker to supply them);
  - names the shared library exports and the archive lacks, listed with that
    reason in vitte_static_surface_absent[] (process_cannot_supply says it);
  - names whose forced link fails (found by linking the surface, below).
Symbols are read with readelf (READELF in the environment names another).
Nothing here is written by hand per C library: the toolchain decides.
"""
import argparse
import fnmatch
import os
import re
import subprocess
import sys
import tempfile

# (archives, shared libraries whose exports select from them); a pair whose
# archives are all missing or empty is skipped.
PAIRS = [
    (['libc.a'], ['libc.so.6']),
    (['libm.a'], ['libm.so.6']),
    (['libpthread.a'], ['libpthread.so.0']),
    (['libstdc++.a'], ['libstdc++.so.6']),
    (['libgcc_eh.a', 'libgcc.a'], ['libgcc_s.so.1']),
]
# Archives a program links only when it asks, with the flag that asks:
# offered when the build passes that flag (--link-arg) and links it too.
# libresolv: glibc 2.34 moved the resolver's common calls into libc, the
# rest stays (ns_initparse, ns_parserr: libkrb5.so.3 imports them), and the
# loader takes libresolv.so.2 for the process's (image_os.ipp).
ASKED = [
    (['libresolv.a'], ['libresolv.so.2'], '-lresolv'),
]
# Archives of a toolchain that names them by path (Zig: musl's libc.a; its
# libc++ is linked into each plugin it builds, so not offered here).
PROBED = ['libc.a']

PRIVATE = 'GLIBC_PRIVATE'
KEEP_TYPES = {'FUNC', 'OBJECT', 'IFUNC', 'GNU_IFUNC', 'NOTYPE'}
KEEP_BINDS = {'GLOBAL', 'WEAK', 'UNIQUE', 'GNU_UNIQUE'}


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def readelf():
    return os.environ.get('READELF', 'readelf')


def symbols(path, dynamic, hidden=False):
    """{name: (type, [versions], default version or None, archive member)} of the defined
    global symbols of an archive (.symtab of each member) or a shared
    library (.dynsym). With `hidden`, hidden ones too: glibc's libc.a
    defines abort and qsort hidden (a static link still binds to them)."""
    out = subprocess.run([readelf(), '-W', '--dyn-syms' if dynamic else '-s', path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, check=False).stdout
    table = {}
    member = os.path.basename(path)
    for line in out.splitlines():
        if line.startswith('File: '):  # an archive's member: File: libc.a(malloc.o)
            member = line[line.rfind('(') + 1:-1] if line.endswith(')') else line[6:]
            continue
        f = line.split()
        if len(f) < 8 or not f[0].endswith(':') or not f[0][:-1].isdigit():
            continue
        typ, bind, vis, ndx, name = f[3], f[4], f[5], f[6], f[7]
        if ndx in ('UND', 'ABS', 'COM') or bind not in KEEP_BINDS:
            continue
        if vis not in ('DEFAULT', 'PROTECTED') and not (hidden and vis == 'HIDDEN'):
            continue
        if typ not in KEEP_TYPES and typ != 'TLS':
            continue
        version, default = None, False
        if '@@' in name:
            name, version = name.split('@@', 1)
            default = True
        elif '@' in name:
            name, version = name.split('@', 1)
        version = version.split(' ')[0] if version else None
        t, versions, dflt, m = table.get(name, (typ, [], None, member))
        if version:
            versions.append(version)
        if default:
            dflt = version
        table[name] = ('TLS' if typ == 'TLS' or t == 'TLS' else typ, versions, dflt, m)
    return table


def ld_script_inputs(path):
    """The archives an ld script (glibc's libm.a: GROUP ( libm-2.36.a libmvec.a )) names."""
    with open(path, 'rb') as f:
        head = f.read(4096)
    if head.startswith(b'!<arch>'):
        return [path] if len(head) > 8 else []  # an empty archive: glibc's libpthread.a since 2.34
    text = head.decode('utf-8', 'replace')
    if 'GROUP' not in text and 'INPUT' not in text:
        return []
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    inputs = []
    for group in re.findall(r'(?:GROUP|INPUT)\s*\(([^)]*)\)', text):
        for word in group.replace('AS_NEEDED', ' ').replace('(', ' ').split():
            if word.endswith('.a'):
                p = word if os.path.isabs(word) else os.path.join(os.path.dirname(path), word)
                if os.path.exists(p):
                    inputs += ld_script_inputs(p)
    return inputs


def probe_archives(cxx, link_args, tmp):
    """The archives a static link names by path (-v), as Zig's driver does."""
    src = os.path.join(tmp, 'probe.cpp')
    with open(src, 'w') as f:
        f.write('int main() { return 0; }\n')
    out = run(cxx + [src, '-o', os.path.join(tmp, 'probe'), '-static', '-v'] + link_args).stdout
    found = {}
    for word in re.findall(r'(/[^\s"\']+\.a)\b', out):
        if os.path.exists(word):
            found.setdefault(os.path.basename(word), word)
    return found


def print_file_name(cxx, name):
    out = run(cxx + ['-print-file-name=' + name]).stdout.strip()
    return os.path.realpath(out) if os.path.isabs(out) and os.path.exists(out) else None


def collect(cxx, link_args, tmp, c_only=False, exclude=()):
    """(surface {name: (type, default version)}, absent {name: reason}, sources)."""
    surface, absent, sources = {}, {}, []

    def excluded(name, member):  # --exclude: a name, a glob, or an archive member (malloc.o)
        return any(fnmatch.fnmatchcase(member if x.endswith('.o') else name, x) for x in exclude)
    probed = probe_archives(cxx, link_args, tmp)
    if 'libc.a' in probed:
        for a in PROBED:
            if a in probed:
                sources.append(probed[a])
                for name, (typ, _, _, member) in symbols(probed[a], False).items():
                    if typ != 'TLS' and not name.startswith('_dl_') and not excluded(name, member):
                        surface.setdefault(name, (typ, None))
        return surface, absent, sources
    for archives, shared in PAIRS + [(a, so) for a, so, flag in ASKED if flag in link_args]:
        if c_only and archives == ['libstdc++.a']:
            continue
        paths = []
        for a in archives:
            p = print_file_name(cxx, a)
            if p:
                paths += ld_script_inputs(p)
        if not paths:
            continue
        defined = {}
        for p in paths:
            for name, v in symbols(p, False, hidden=True).items():
                defined.setdefault(name, v)
        exports = {}
        so = [p for p in (print_file_name(cxx, s) for s in shared) if p]
        for s in so:
            exports.update(symbols(s, True))
        sources += paths + so
        if not so:  # no shared library to compare with: the archive's visible names alone
            exports = {}
            for p in paths:
                for name, (t, _, _, m) in symbols(p, False).items():
                    exports.setdefault(name, (t, [], None, m))
        for name, (typ, versions, default, _) in exports.items():
            if versions and all(v == PRIVATE for v in versions):
                continue
            if name in defined and excluded(name, defined[name][3]):
                continue
            if typ == 'TLS':  # libstdc++'s __once_callable: offered through a function of the calling thread
                if defined.get(name, ('',))[0] == 'TLS':
                    surface.setdefault(name, ('TLS', default))
                continue
            if name.startswith('_dl_') and name != '_dl_find_object':
                continue
            if name not in defined or defined[name][0] == 'TLS':
                lib = os.path.basename(so[0])
                if versions and default is None:  # name@GLIBC_2.2.5 only, no name@@: kept for old binaries
                    why = 'a compatibility symbol of %s (for programs linked against an old version)' % lib
                else:
                    why = '%s exports it, the static %s does not define it' % (
                        lib, '/'.join(os.path.basename(p) for p in paths))
                absent.setdefault(name, why)
                continue
            surface.setdefault(name, (typ, default))
    for name in surface:
        absent.pop(name, None)
    return surface, absent, sources


def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def write_source(path, surface, absent, sources, dropped):
    names = sorted(n for n in surface if surface[n][0] != 'TLS')
    tls = sorted(n for n in surface if surface[n][0] == 'TLS')
    lines = [
        '// The C and C++ runtime surface of a static host: generated by',
        '// static_surface/generate.py at build time from',
    ]
    lines += ['//   ' + s for s in sources]
    lines += [
        '// Every name below is linked in (its address is taken) and listed for',
        '// the in-memory ELF loader (vitte/loader/elf_image/detail/image_os.ipp).',
        '// %d names and %d thread-locals; %d names the shared libraries export' % (len(names), len(tls), len(absent)),
        '// and the archives lack; %d dropped because their forced link failed.' % len(dropped),
        '// clang-format off',
        'extern "C" {',
        'struct vitte_static_surface_entry { const char* name; const void* address; };',
        'struct vitte_static_surface_refusal { const char* name; const char* reason; };',
        'struct vitte_static_surface_tls { const char* name; void* (*address)(); };',
    ]
    for i, n in enumerate(names):
        lines.append('extern char vitte_ss_%d[] __asm__(%s);' % (i, c_string(n)))
    lines.append('extern const vitte_static_surface_entry vitte_static_surface[];')
    lines.append('const vitte_static_surface_entry vitte_static_surface[] = {')
    for i, n in enumerate(names):
        lines.append('  {%s, vitte_ss_%d},' % (c_string(n), i))
    lines.append('  {nullptr, nullptr}};')
    for i, n in enumerate(tls):
        lines.append('extern __thread char vitte_sst_%d __asm__(%s);' % (i, c_string(n)))
    lines.append('}  // extern "C"')
    lines.append('namespace {')
    for i, n in enumerate(tls):
        lines.append('void* vitte_sst_get_%d() { return &vitte_sst_%d; }' % (i, i))
    lines.append('}  // namespace')
    lines.append('extern "C" {')
    lines.append('extern const vitte_static_surface_tls vitte_static_surface_thread_locals[];')
    lines.append('const vitte_static_surface_tls vitte_static_surface_thread_locals[] = {')
    for i, n in enumerate(tls):
        lines.append('  {%s, vitte_sst_get_%d},' % (c_string(n), i))
    lines.append('  {nullptr, nullptr}};')
    refused = sorted(list(absent.items()) + [(n, r) for n, r in dropped.items()])
    lines.append('extern const vitte_static_surface_refusal vitte_static_surface_absent[];')
    lines.append('const vitte_static_surface_refusal vitte_static_surface_absent[] = {')
    for n, r in refused:
        lines.append('  {%s, %s},' % (c_string(n), c_string(r)))
    lines.append('  {nullptr, nullptr}};')
    lines.append('}  // extern "C"')
    lines.append('// clang-format on')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


# What linkers say about a name they cannot keep: GNU ld and LLD.
LINK_ERRORS = [
    re.compile(r"undefined reference to [`']([^'`]+)'"),
    re.compile(r"multiple definition of [`']([^'`]+)'"),
    re.compile(r'undefined symbol: (\S+)'),
    re.compile(r'duplicate symbol: (\S+)'),
    re.compile(r"relocation [^\n]* against (?:symbol )?[`']([^'`]+)'"),
]


def link_check(cxx, link_args, src, tmp):
    """The names a static link of the surface fails on (empty: it links),
    or None when it fails for a reason not tied to one name."""
    main = os.path.join(tmp, 'main.cpp')
    with open(main, 'w') as f:
        f.write('int main() { return 0; }\n')
    out = run(cxx + ['-w', src, main, '-o', os.path.join(tmp, 'check'), '-static'] + link_args)
    if out.returncode == 0:
        return set()
    bad = set()
    for r in LINK_ERRORS:
        bad.update(r.findall(out.stdout))
    if not bad:
        sys.stderr.write(out.stdout)
        return None
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--output', required=True)
    ap.add_argument('--list', help='also write the names, one a line (absent ones after a tab and the reason)')
    ap.add_argument('--link-arg', action='append', default=[], help='passed to the trial links')
    ap.add_argument('--no-check', action='store_true', help='do not link the surface to find names that fail')
    ap.add_argument('--c-only', action='store_true', help='leave the C++ runtime (libstdc++) out')
    ap.add_argument('--exclude', action='append', default=[],
                    help='leave out a name, a glob (pthread_*), or every name of an archive member (malloc.o: '
                    'for a program that replaces the allocator)')
    ap.add_argument('cxx', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cxx = [c for c in a.cxx if c != '--']
    if not cxx:
        ap.error('name the C++ compiler after --')
    link_args = [x for x in a.link_arg if x]
    with tempfile.TemporaryDirectory(prefix='vitte-surface-') as tmp:
        surface, absent, sources = collect(cxx, link_args, tmp, a.c_only, [x for x in a.exclude if x])
        if not surface:
            sys.exit('static_surface: found no static runtime archive through ' + ' '.join(cxx))
        dropped = {}
        write_source(a.output, surface, absent, sources, dropped)
        for _ in range(0 if a.no_check else 8):
            bad = link_check(cxx, link_args, a.output, tmp)
            if bad is None:
                sys.exit('static_surface: the surface does not link (above)')
            bad &= set(surface)
            if not bad:
                break
            for n in bad:
                surface.pop(n)
                dropped[n] = 'the static C library defines it, but linking it into a program fails'
            write_source(a.output, surface, absent, sources, dropped)
        else:
            if not a.no_check:
                sys.exit('static_surface: still failing to link after 8 rounds')
    if a.list:
        with open(a.list, 'w') as f:
            for n in sorted(surface):
                f.write(n + '\n')
            for n, r in sorted(list(absent.items()) + list(dropped.items())):
                f.write('%s\t%s\n' % (n, r))


if __name__ == '__main__':
    main()
