#!/bin/sh
# cross/cortex-m3/run.sh - runs a test image on QEMU's mps2-an385.
#
#   cross/cortex-m3/run.sh test.elf [TIMEOUT-SECONDS]   (default 120)
#
# The program's stdout/stderr arrive through semihosting on QEMU's; the exit
# status is the program's: 0 all passed, 1 a check failed (or abort()),
# 3 a CPU fault (startup.cpp prints which), 124 the timeout expired.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: run.sh IMAGE.elf [TIMEOUT-SECONDS]" >&2
  exit 2
fi
elf=$1
limit=${2:-120}

# stdin from /dev/null: with -nographic QEMU would otherwise put a terminal
# into raw mode and swallow Ctrl-C.
status=0
timeout --kill-after=5 "$limit" \
  qemu-system-arm -M mps2-an385 -nographic \
  -semihosting-config enable=on,target=native \
  -kernel "$elf" </dev/null || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "run.sh: $elf did not finish within ${limit}s" >&2
fi
exit "$status"
