#!/bin/sh
# fuzz/run.sh [SECONDS] [TARGET...] - builds the libFuzzer targets with clang
# (-fsanitize=fuzzer,address,undefined) and runs each for SECONDS (default
# 300) on a working copy of its seed corpus. Targets: vitmod, manifest,
# elf_pe (the native plugin readers; seeds: fuzz/make_elf_pe_corpus.py),
# build (index.vitte, depfiles, cache manifests), wasm (the WebAssembly
# engine: decode, validate, instantiate, run; seeds: fuzz/make_wasm_corpus.py
# plus the official suite's modules when wast2json and
# ../shared/wasm/testsuite are there), wasi (WASI calls with hostile
# arguments against a granted directory; seeds: fuzz/make_wasi_corpus.py),
# wasm_module (what the loader reads of a .wasm file and its vitte.module
# section; seeds: fuzz/make_wasm_module_corpus.py), inflate (DEFLATE, zlib and
# gzip decoding; seeds: fuzz/make_inflate_corpus.py), http (the HTTP/1.1
# response parser and URLs), remote (RESP2 replies, Bazel ActionResult
# entries; seeds for both: fuzz/make_http_corpus.py), triple (target
# triples; seeds: a sample of tests/machine/clang_triples.inc), tar (the tar
# reader; seeds: fuzz/make_tar_corpus.py), package (signify files, the ar of
# a .deb, manifest.json, SHA256SUMS; seeds: fuzz/make_package_corpus.py),
# image (the in-memory ELF loader up to running code; seeds:
# fuzz/make_image_corpus.py), cli (the vitte tool's option parser,
# tools/cli.hpp; seeds: fuzz/corpus/cli, words split at NUL bytes), makeflags
# (MAKEFLAGS as the jobserver client reads it; seeds: fuzz/corpus/makeflags),
# compile_commands (compile_commands.json and the split of its "command";
# seeds: fuzz/corpus/compile_commands), rpm (the .rpm reader and its cpio;
# seeds: fuzz/corpus/rpm), msi (the .msi reader, compound files and
# cabinets; seeds: fuzz/corpus/msi), openpgp (OpenPGP signature packets and
# armor, as an .rpm's header signature carries them; seeds:
# fuzz/corpus/openpgp), build_events (the build events file and the trace,
# .ninja_log and critical path made of it; seeds: fuzz/corpus/build_events),
# http_server (the HTTP server's request parser, fed in pieces; seeds:
# fuzz/corpus/http_server), distcc (distcc replies, DISTCC_HOSTS lists,
# the object check and the argument split on the same bytes; seeds:
# fuzz/corpus/distcc), sandbox_limits (the sandbox's --limit list and --net
# name against a model of their syntax; seeds: fuzz/corpus/sandbox_limits),
# xar (xar archives and the macOS .pkg in them: the TOC, its checksums, the
# files' ranges, the package's members; seeds: fuzz/corpus/xar), bom (a
# .pkg's Bom and its odc cpio Payload; seeds: fuzz/corpus/bom), elf_needs
# (what a .deb's or .rpm's ELF files need: DT_NEEDED, symbol versions,
# undefined symbols; seeds: fuzz/corpus/elf_pe's ELF files), ninja
# (build.ninja with include and subninja files from the same input, under
# small limits; seeds: fuzz/corpus/ninja), ninja_dyndep (a dyndep file as
# ninja reads it, against a stand-in for the build's graph; seeds:
# fuzz/corpus/ninja_dyndep), c_declarations (vitte bindgen's
# reader of preprocessed C, its writer and spelling on what it read, and
# the --allow/--block regular expressions; seeds: fuzz/corpus/c_declarations).
# Crashes land in $VITTE_FUZZ_DIR (default build-fuzz/) as crash-*; the
# committed seeds in fuzz/corpus/ are never modified (make_corpus.cpp
# regenerates them).
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-300}
[ $# -gt 0 ] && shift
targets=${*:-"vitmod manifest elf_pe build wasm wasi wasm_module inflate http remote triple tar package image cli makeflags compile_commands rpm msi openpgp build_events http_server distcc sandbox_limits isolated xar bom elf_needs ninja ninja_dyndep c_declarations"}
out=${VITTE_FUZZ_DIR:-build-fuzz}
mkdir -p "$out"
CXX=${CXX:-clang++}
flags="-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Iinclude"
if [ ! -d fuzz/corpus/vitmod ] || [ ! -d fuzz/corpus/manifest ]; then
  mkdir -p fuzz/corpus/vitmod fuzz/corpus/manifest
  $CXX -std=c++20 -O1 -Iinclude fuzz/make_corpus.cpp -o "$out/make_corpus"
  "$out/make_corpus" fuzz/corpus
fi
suite=${VITTE_WASM_TESTSUITE:-../shared/wasm/testsuite}
for t in $targets; do
  $CXX $flags "fuzz/fuzz_$t.cpp" -o "$out/fuzz_$t"
  mkdir -p "$out/corpus_$t"
  cp -n fuzz/corpus/"$t"/* "$out/corpus_$t/" 2>/dev/null || true
  # fuzz_manifest reads its whole input as a module description too; those
  # seeds live apart (test_vitmod replays corpus/manifest as manifests).
  if [ "$t" = manifest ]; then cp -n fuzz/corpus/description/* "$out/corpus_manifest/" 2>/dev/null || true; fi
  if [ "$t" = elf_needs ]; then cp -n fuzz/corpus/elf_pe/* "$out/corpus_elf_needs/" 2>/dev/null || true; fi
  if [ "$t" = wasm ] && command -v wast2json >/dev/null && [ -d "$suite/core" ]; then
    mkdir -p "$out/wasm_suite"
    for w in "$suite"/core/*.wast "$suite"/simd/*.wast; do
      wast2json "$w" -o "$out/wasm_suite/$(basename "$w" .wast).json" >/dev/null 2>&1 || true
    done
    cp -n "$out"/wasm_suite/*.wasm "$out/corpus_wasm/" 2>/dev/null || true
  fi
  max_len=4096
  [ "$t" = image ] && max_len=16384  # whole shared objects
  [ "$t" = tar ] && max_len=12288    # GNU tar's sparse seeds store 4 KiB pieces
  [ "$t" = rpm ] && max_len=8192     # a small package with both headers
  [ "$t" = msi ] && max_len=32768    # a compound file of 512-byte sectors
  [ "$t" = xar ] && max_len=16384    # a small .pkg: TOC, Bom, Payload
  [ "$t" = bom ] && max_len=32768    # a Bom of two leaves
  [ "$t" = elf_needs ] && max_len=16384  # a small program or shared object
  echo "fuzz_$t: $seconds s" >&2
  (cd "$out" && ./"fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 -max_len="$max_len" \
     "corpus_$t" 2>&1 | tee "fuzz_$t.log" | grep -E "^(#[0-9]+.*(DONE|pulse)|stat::|==[0-9]+==|SUMMARY)" || true)
done
