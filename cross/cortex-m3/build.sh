#!/bin/sh
# cross/cortex-m3/build.sh - builds a vitte test image for QEMU's mps2-an385.
#
#   cross/cortex-m3/build.sh [-o OUT.elf] [COMPILER-FLAG...] TEST.cpp...
#
# Compiles the test sources with startup.cpp (reset, vectors, board) and
# test_main.cpp (the harness's runner) into one ELF (default: ./test.elf),
# freestanding policy, no exceptions, no RTTI, warnings as errors. Arguments
# starting with '-' go to the compiler, e.g. -g0 or
# -DVITTE_CM3_SYSTICK_CYCLES=250000. Run the image with run.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cxx=${CXX_ARM:-arm-none-eabi-g++}

out=test.elf
have_source=0
# Rebuild "$@" from the compiler flags and sources (keeping their order,
# and names with spaces), taking -o out.
n=$#
while [ "$n" -gt 0 ]; do
  arg=$1
  shift
  n=$((n - 1))
  case $arg in
    -o)
      [ "$n" -gt 0 ] || { echo "build.sh: -o needs a file name" >&2; exit 2; }
      out=$1
      shift
      n=$((n - 1))
      ;;
    -o?*) out=${arg#-o} ;;
    -*) set -- "$@" "$arg" ;;
    *) set -- "$@" "$arg"; have_source=1 ;;
  esac
done
if [ "$have_source" -eq 0 ]; then
  echo "usage: build.sh [-o OUT.elf] [COMPILER-FLAG...] TEST.cpp..." >&2
  exit 2
fi

set -x
"$cxx" -mcpu=cortex-m3 -mthumb -std=c++20 -O2 -g \
  -Wall -Wextra -Wpedantic -Werror \
  -fno-exceptions -fno-rtti \
  -DVITTE_POLICY=VITTE_POLICY_FREESTANDING \
  -I"$repo/include" -I"$here" -include "$here/board.hpp" \
  "$@" "$here/startup.cpp" "$here/test_main.cpp" \
  --specs=rdimon.specs -T "$here/mps2-an385.ld" -Wl,-Map="$out.map" \
  -o "$out"
{ set +x; } 2>/dev/null
arm-none-eabi-size "$out" >&2
