#!/usr/bin/env python3
"""Names that mean one thing: a shape check.

  1. A layer's namespace is its folder: a file under include/vitte/<layer>/
     declares `namespace vitte::<layer>` (and namespaces inside it) only;
     vitte/base/ declares `vitte` and `vitte::detail`.
  2. No type takes its namespace's name (`vitte::toolchain::toolchain`):
     inside the namespace, `toolchain::x` would name the type (but for the
     few in SAME_NAME_ALLOWED, each with its reason).
  3. The old namespaces are gone: nothing in the tree says `vitte::build`
     or `vitte::target` (no alias keeps them).
  4. No "problem" struct: every layer reports a vitte::diagnostic where the
     fault is found (PROBLEM_STRUCTS would list an exception, with its
     reason; it lists none).
  5. No reinterpret_cast between byte types in a public header (one outside
     detail/ and impl/): the bridges are vitte::as_bytes (base/span.hpp) and
     vitte/base/detail/bytes.hpp, written once.
  6. One vocabulary at every public boundary: a public header's code says
     text, text_view, buffer, span, result, never std::string,
     std::string_view, std::vector, std::optional or std::span (but for the
     few in STD_ALLOWED, each with its reason: the bridges to them).
  7. No out-parameter for what went wrong in a public header: no
     `const char*&` (a reason and `size_t& at` beside it), no `text& why`,
     `text* problem` or `std::string& why`: a function that can fail fills
     a `vitte::diagnostic* why`.

  python3 tests/names.py --root .
  python3 tests/names.py --self-test    # each rule fires on a planted tree
"""

import argparse
import pathlib
import re
import sys
import tempfile

NAMESPACE = re.compile(r'^\s*namespace\s+(vitte(?:::\w+)*)\s*\{', re.M)
TYPE = re.compile(r'^\s*(?:template\s*<[^>]*>\s*)?(?:struct|class|enum\s+class|enum|union)\s+(\w+)\b[^;]*$|^\s*using\s+(\w+)\s*=', re.M)
OLD = re.compile(r'\bvitte::(build|target)\b')
PROBLEM = re.compile(r'^\s*(?:struct|class)\s+(\w*problem)\b', re.M)
CAST = re.compile(r'reinterpret_cast<\s*(?:const\s+)?(?:std::byte|std::uint8_t|uint8_t|unsigned\s+char|char)\s*\*\s*>')

# Where a layer keeps its own problem struct (file: name), with the reason.
PROBLEM_STRUCTS = {}

STD_VOCABULARY = re.compile(r'\bstd::(string|string_view|vector|optional|span)\b')
OUT_REASON = re.compile(r'\bconst\s+char\s*\*\s*&\s*\w+'
                        r'|(?<!const )\b(?:text|std::string)\s*[&*]\s*(?:why|what|reason|problem|error|err|detail)\b')

# Public headers that name a standard vocabulary type on purpose (file:
# the reason).
STD_ALLOWED = {
    'vitte/base/text_view.hpp': 'converts to and from std::string_view (the bridge)',
    'vitte/base/text.hpp': 'converts to std::string and std::string_view (the bridge)',
    'vitte/base/span.hpp': 'converts to and from std::span (the bridge)',
    'vitte/base/buffer.hpp': 'converts to std::vector (the bridge)',
}

# Public headers that convert between byte types on purpose.
CAST_ALLOWED = {
    'vitte/base/span.hpp',  # as_bytes / as_writable_bytes, the one bridge
}

# Types that take their namespace's name on purpose.
SAME_NAME_ALLOWED = {
    'loader',  # vitte::loader::loader, the layer's entry point; its code never writes loader::x
}

SOURCES = ('.hpp', '.ipp', '.inc', '.h', '.cpp')


def strip_comments(s):
    s = re.sub(r'//[^\n]*', '', s)
    return re.sub(r'/\*.*?\*/', '', s, flags=re.S)


def check(root):
    problems = []
    inc = root / 'include'
    for p in sorted(inc.rglob('*')):
        if p.suffix not in SOURCES or not p.is_file():
            continue
        rel = p.relative_to(inc).as_posix()
        parts = rel.split('/')
        text = strip_comments(p.read_text(encoding='utf-8', errors='replace'))
        if len(parts) >= 3 and parts[0] == 'vitte':
            layer = parts[1]
            for m in NAMESPACE.finditer(text):
                ns = m.group(1).split('::')
                line = text.count('\n', 0, m.start()) + 1
                if layer == 'base':
                    if len(ns) > 1 and ns[1] != 'detail':
                        problems.append(f'{rel}:{line}: namespace {m.group(1)} in vitte/base/ (base is vitte and vitte::detail)')
                elif len(ns) < 2 or ns[1] != layer:
                    problems.append(f'{rel}:{line}: namespace {m.group(1)} in vitte/{layer}/ (the folder names the namespace: vitte::{layer})')
            if layer != 'base':
                for m in TYPE.finditer(text):
                    name = m.group(1) or m.group(2)
                    if name == layer and name not in SAME_NAME_ALLOWED:
                        line = text.count('\n', 0, m.start()) + 1
                        problems.append(f'{rel}:{line}: a type named {name} in namespace vitte::{layer} ({layer}::x would name the type)')
        for m in PROBLEM.finditer(text):
            if PROBLEM_STRUCTS.get(rel) != m.group(1):
                line = text.count('\n', 0, m.start()) + 1
                problems.append(f'{rel}:{line}: a new problem struct {m.group(1)}: report a vitte::diagnostic where the fault is found')
        public = len(parts) >= 3 and 'detail' not in parts and 'impl' not in parts and p.suffix == '.hpp'
        if public and rel not in CAST_ALLOWED:
            for m in CAST.finditer(text):
                line = text.count('\n', 0, m.start()) + 1
                problems.append(f'{rel}:{line}: reinterpret_cast between byte types in a public header (use vitte::as_bytes or base/detail/bytes.hpp)')
        if public and rel not in STD_ALLOWED:
            for m in STD_VOCABULARY.finditer(text):
                line = text.count('\n', 0, m.start()) + 1
                problems.append(f'{rel}:{line}: {m.group(0)} in a public header (vitte speaks text, text_view, buffer, span, result)')
        if public:
            for m in OUT_REASON.finditer(text):
                line = text.count('\n', 0, m.start()) + 1
                problems.append(f'{rel}:{line}: an out-parameter for what went wrong ({m.group(0)}): fill a vitte::diagnostic* why')
    for top in ('include', 'src', 'tests', 'tools', 'examples', 'bench', 'fuzz', 'docs'):
        d = root / top
        if not d.is_dir():
            continue
        for p in sorted(d.rglob('*')):
            if not p.is_file() or p.suffix not in SOURCES + ('.md', '.py'):
                continue
            if p.resolve() == pathlib.Path(__file__).resolve():
                continue
            for n, l in enumerate(p.read_text(encoding='utf-8', errors='replace').splitlines(), 1):
                if OLD.search(l):
                    problems.append(f'{p.relative_to(root).as_posix()}:{n}: the old namespace {OLD.search(l).group(0)} (cache, toolchain, release, machine)')
    return problems


def self_test():
    planted = {
        'include/vitte/cache/a.hpp': 'namespace vitte::build {\n}\n',
        'include/vitte/toolchain/b.hpp': 'namespace vitte::toolchain {\nstruct toolchain {\n};\n}\n',
        'include/vitte/compress/c.hpp': 'namespace vitte::compress {\nstruct format_problem {\n};\n}\n',
        'include/vitte/http/d.hpp': 'namespace vitte::http {\nauto p = reinterpret_cast<const std::uint8_t*>(q);\n}\n',
        'tests/e.cpp': 'namespace t = vitte::target;\n',
        'include/vitte/base/f.hpp': 'namespace vitte::sys {\n}\n',
        'include/vitte/loader/g.hpp': 'namespace vitte::loader {\nstd::vector<int> names();\n}\n',
        'include/vitte/release/h.hpp': 'namespace vitte::release {\nbool read(int x, const char*& what);\n}\n',
        'include/vitte/wasm/i.hpp': 'namespace vitte::wasm {\nbool check(int x, text& why);\n}\n',
        'include/vitte/cache/j.hpp': 'namespace vitte::cache {\nbool parse(int x, text* problem = nullptr);\n}\n',
    }
    missed = 0
    for path, body in planted.items():
        with tempfile.TemporaryDirectory() as d:
            root = pathlib.Path(d)
            f = root / path
            f.parent.mkdir(parents=True)
            f.write_text(body)
            if not check(root):
                print(f'names self-test: {path} was not refused')
                missed += 1
    print(f'names self-test: {len(planted)} planted, {missed} missed')
    return 1 if missed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--root', type=pathlib.Path)
    ap.add_argument('--self-test', action='store_true')
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    problems = check(a.root)
    for p in problems:
        print(p)
    print(f'names: {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
