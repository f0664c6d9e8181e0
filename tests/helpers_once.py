#!/usr/bin/env python3
"""The library's shared helpers are written once: a shape check.

Each rule below names a helper, how a copy of it looks in source, and the
one file allowed to hold it (a few other places are allowed with the reason
they are not a copy). Any other match under include/, or in the command-line
tool under tools/, fails, naming file and line. `scripts/duplicates` finds larger repeated code; this check catches
the small helpers that are too short for it but were copied before.

  python3 tests/helpers_once.py --root .         # the tree
  python3 tests/helpers_once.py --self-test      # each rule fires on a planted copy
"""

import argparse
import os
import re
import sys
import tempfile

# (helper, pattern of a copy, {file allowed to hold it: why}); the first file is the helper's home.
RULES = [
    (
        "errno to vitte::error",
        r"error\s*\{[^{};]*classify\s*\([^{};]*error_domain::posix\s*\}",
        {"vitte/sys/detail/posix/errno.hpp": "errno_error, the one conversion"},
    ),
    (
        "GetLastError to vitte::error",
        r"error\s*\{[^{};]*classify\s*\([^{};]*error_domain::win32\s*\}",
        {"vitte/sys/detail/win32/last_error.hpp": "last_error, the one conversion"},
    ),
    (
        "UTF-8/16 conversion",
        r"\b(?:MultiByteToWideChar|WideCharToMultiByte)\b",
        {"vitte/sys/detail/win32/utf.hpp": "utf16_length / to_utf16 (strict), utf8_length / to_utf8 (U+FFFD)"},
    ),
    (
        "byte-order load (bytes shifted together)",
        r"\]\s*\)*\}?\s*<<\s*(?:8|16|24|32|40|48|56)\b",
        {
            "vitte/base/detail/endian.hpp": "load_le / load_be, the one implementation",
            "vitte/base/detail/hash.hpp": "name_hash: first, middle and last byte of a 1-3 byte key, not a word",
            "vitte/base/detail/base64.ipp": "24-bit groups of three bytes",
            "vitte/compress/impl/deflate.hpp": "three bytes hashed for a match, not a word",
            "vitte/compress/impl/inflate.ipp": "decode table entries: a symbol's value packed with its bit counts",
            "vitte/wasm/impl/objects.hpp": "two 32-bit cells joined, not bytes",
        },
    ),
    (
        "byte-order store (a word shifted into bytes)",
        r"\w\[[^\]\n]*\]\s*=\s*static_cast<[^>]*>\([^;\n]*>>\s*(?:8|16|24|32|40|48|56)\)",
        {
            "vitte/base/detail/endian.hpp": "store_le / store_be, the one implementation",
            "vitte/wasm/impl/code.hpp": "write_pair: a pointer or handler split into two 32-bit code words, not bytes",
            "vitte/compress/impl/inflate.ipp": "a decoded literal (a table entry's value bits) written to the output",
        },
    ),
    (
        "64-bit mixer or hash constant",
        r"(?i)0x(?:ff51afd7ed558ccd|c4ceb9fe1a85ec53|bf58476d1ce4e5b9|94d049bb133111eb|9e3779b97f4a7c15"
        r"|9e3779b185ebca87|c2b2ae3d27d4eb4f|a0761d6478bd642f|e7037ed1a0b428db|cbf29ce484222325)",
        {
            "vitte/base/detail/hash.hpp": "mix64, fold_multiply, name_hash, fnv1a",
            "vitte/base/detail/hash.ipp": "content_hash (its out-of-line body)",
            "vitte/loader/plugin.h": "FNV-1a for C plugins at compile time (C cannot include hash.hpp)",
        },
    ),
    (
        "JSON written by hand (a quoted key concatenated into the output)",
        r'(?:\+=|append\(|\+)\s*"[^"\n]*\\"[A-Za-z_]+\\":',
        {
            "vitte/base/json_writer.hpp": "json_writer, the one writer",
            "vitte/log/impl/format.ipp": "the log's JSON lines: a fixed layout into a line_buffer, no allocation (hot path)",
            "vitte/release/impl/package.ipp": "the manifest's documented pretty layout (docs/formats/package.md)",
        },
    ),
    (
        "hex encoding",
        r"(?i)\"0123456789abcdef\"",
        {"vitte/base/detail/hex.hpp": "hex_digit / hex_byte / hex_encode, lower case"},
    ),
    (
        "hex decoding",
        r"-\s*'[aA]'\s*\+\s*10\b",
        {"vitte/base/detail/hex.hpp": "hex_value / hex_decode, either case"},
    ),
    (
        "decimal parsing",
        r"\*\s*10\s*\+[^;\n]*'0'|\bstd::sto(?:i|l|ul|ll|ull)\s*\(|\b(?:strtoul|strtoull|atoi|atol)\s*\(",
        {"vitte/base/detail/decimal.hpp": "parse_decimal / decimal_digits / push_decimal_digit, bounded by a maximum"},
    ),
    (
        "JSON string escaping",
        r'"\\\\u(?:00|%0?4)',
        {"vitte/base/detail/json.hpp": "json_escape: JSON (minimal, strict) and the log's text format"},
    ),
    (
        "UTF-8 encoding of a code point",
        r"0xF0\s*\|\s*\(?\s*\w+\s*>>\s*18",
        {"vitte/base/detail/utf8_encode.hpp": "append_utf8, the one encoder"},
    ),
    (
        "byte_view",
        r"\b(?:struct|class)\s+byte_view\s*[{:]",
        {"vitte/base/detail/byte_view.hpp": "the one definition"},
    ),
    (
        "socket address conversion",
        r"\b(?:sin6_scope_id|sun_path)\b",
        {"vitte/sys/detail/sockaddr.hpp": "bsd_sockets::to_native / from_native, for POSIX and Winsock"},
    ),
    (
        "poll ready scan",
        r"\.revents\s*==\s*0\b",
        {
            "vitte/sys/detail/poll_set.hpp": "poll_set::scan_ready, for poll(2) and WSAPoll",
            "vitte/sys/detail/posix/process.ipp": "pipe_drain reads every ready pipe of its own fixed array, not a poller's",
        },
    ),
    (
        "byte counts with units",
        r'==\s*"(?:KiB|MiB|GiB|TiB)"',
        {"vitte/base/detail/decimal.hpp": "parse_byte_count: one set of units (k, M, G, T, KiB...) for every size read"},
    ),
    (
        "civil date from a day count",
        r"\b719468\b",
        {"vitte/base/detail/civil.hpp": "civil_from_days: the log's timestamps, DOS dates, xar times"},
    ),
    (
        "architecture and byte order",
        r"\benum\s+class\s+(?:architecture|byte_order)\b",
        {"vitte/machine/architecture.hpp": "owned by the machine layer"},
    ),
]

SUFFIXES = (".hpp", ".h", ".ipp")
# The trees checked, with the files of each: the library's headers, and the
# command-line tool, which calls the library's helpers rather than its own.
TREES = (("include", SUFFIXES), ("tools", SUFFIXES + (".cpp",)))


def strip_comments(src):
    """The source with comments blanked (line numbers kept)."""
    out = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), src, flags=re.S)
    return re.sub(r"//[^\n]*", "", out)


def check(root):
    """The copies under root/include and root/tools, and the number of files read."""
    problems = []
    count = 0
    for tree, suffixes in TREES:
        files = []
        for d, _, names in os.walk(os.path.join(root, tree)):
            for n in names:
                if n.endswith(suffixes):
                    files.append(os.path.join(d, n))
        count += len(files)
        for path in sorted(files):
            rel = os.path.relpath(path, os.path.join(root, tree)).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                src = strip_comments(f.read())
            for helper, pattern, allowed in RULES:
                if tree == "include" and rel in allowed:
                    continue
                for m in re.finditer(pattern, src):
                    line = src.count("\n", 0, m.start()) + 1
                    home = next(iter(allowed))
                    problems.append(f"{tree}/{rel}:{line}: a copy of the {helper} helper; use include/{home}")
    return problems, count


def self_test():
    planted = {
        "include/vitte/sys/detail/linux/x.ipp": "return error{classify(errno), op, errno, error_domain::posix};",
        "include/vitte/sys/detail/win32/x.ipp": "return error{win32_platform::classify(c), op, c, error_domain::win32};",
        "include/vitte/loader/x.hpp": "return p[0] | std::uint16_t(p[1]) << 8;",
        "include/vitte/archive/x.hpp": "p[1] = static_cast<std::uint8_t>(v >> 8);",
        "include/vitte/http/x.hpp": "h *= 0xff51afd7ed558ccdull;",
        "include/vitte/loader/y.hpp": "struct byte_view {",
        "include/vitte/loader/z.hpp": "enum class architecture : int {};",
        "include/vitte/sys/detail/win32/y.ipp": "::MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);",
        "include/vitte/cache/x.hpp": 's += "0123456789abcdef"[b >> 4];',
        "include/vitte/log/x.hpp": 'constexpr char digits[] = "0123456789ABCDEF";',
        "include/vitte/http/y.hpp": "if (c >= 'a' && c <= 'f') d = c - 'a' + 10;",
        "include/vitte/sys/z.hpp": "v = v * 10 + static_cast<std::uint32_t>(c - '0');",
        "include/vitte/cache/y.hpp": "const unsigned long n = std::stoul(s);",
        "include/vitte/archive/y.hpp": 'out += "\\\\u00";',
        "tools/x.cpp": "if (c >= 'A' && c <= 'F') return c - 'A' + 10;",
        "tools/y.hpp": "value = value * 10 + (s[i] - '0');",
        "include/vitte/sys/detail/win32/z.ipp": "sin6->sin6_scope_id = a.ip().scope();",
        "include/vitte/sys/detail/linux/y.ipp": "if (recs[i].revents == 0) continue;",
        "tools/z.hpp": 'if (unit == "MiB") mul = 1ull << 20;',
        "include/vitte/release/x.ipp": "days += 719468;",
        "include/vitte/toolchain/x.ipp": 'out.append(",\\"ts\\":");',
    }
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        for rel, text in planted.items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w") as f:
                f.write("// a comment: 0xff51afd7ed558ccd p[1] << 8 v * 10 + c - '0' is not code\n" + text + "\n")
        problems, _ = check(d)
        for rel in planted:
            hits = [p for p in problems if p.startswith(f"{rel}:2:")]
            if len(hits) != 1:
                print(f"self-test: the copy planted in {rel} gave {len(hits)} reports: {hits}")
                failed += 1
        if len(problems) != len(planted):
            print(f"self-test: {len(problems)} reports for {len(planted)} copies: {problems}")
            failed += 1
    print(f"helpers_once self-test: {len(planted)} planted copies, {failed} missed")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=".")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    problems, n = check(args.root)
    for p in problems:
        print(p)
    print(f"helpers_once: {n} files, {len(RULES)} helpers, {len(problems)} copies")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
