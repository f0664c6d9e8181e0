#!/bin/sh
# cross/cortex-m3/run.sh - runs a test image on QEMU's mps2-an385.
#
#   cross/cortex-m3/run.sh [--uart0 INPUT OUTPUT] test.elf [TIMEOUT-SECONDS]   (default 120)
#
# The program's stdout/stderr arrive through semihosting on QEMU's; the exit
# status is the program's: 0 all passed, 1 a check failed (or abort()),
# 3 a CPU fault (startup.cpp prints which), 124 the timeout expired.
#
# --uart0 connects UART0 to the host through two FIFOs (QEMU's
# `-chardev pipe`): the bytes of the file INPUT (at most 64 KiB) wait in one
# until the program takes them, and what the program sends on UART0 is
# written to the file OUTPUT. Without it UART0 is on QEMU's stdio, beside
# the semihosting output (-nographic); the other UARTs are connected to
# nothing (what they send is dropped).
set -eu

usage() {
  echo "usage: run.sh [--uart0 INPUT OUTPUT] IMAGE.elf [TIMEOUT-SECONDS]" >&2
  exit 2
}

uart_in=
uart_out=
if [ $# -ge 1 ] && [ "$1" = --uart0 ]; then
  [ $# -ge 3 ] || usage
  uart_in=$2
  uart_out=$3
  shift 3
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  usage
fi
elf=$1
limit=${2:-120}

# The QEMU options of UART0 replace this script's arguments.
set --
reader=
if [ -n "$uart_in" ]; then
  [ -f "$uart_in" ] || { echo "run.sh: $uart_in: no such file" >&2; exit 2; }
  # The input is written before QEMU starts: it must fit in the pipe.
  [ "$(wc -c <"$uart_in")" -le 65536 ] || { echo "run.sh: $uart_in: more than 64 KiB" >&2; exit 2; }
  fifos=$(mktemp -d "${TMPDIR:-/tmp}/vitte-uart0.XXXXXX")
  trap 'rm -rf "$fifos"' EXIT
  mkfifo "$fifos/uart0.in" "$fifos/uart0.out"
  # Opened read-write, a FIFO does not wait for its other end (Linux), and
  # keeps it: QEMU opens both the same way. fd 4 is the last writer of
  # uart0.out once QEMU has exited; closing it ends the reader.
  exec 3<>"$fifos/uart0.in" 4<>"$fifos/uart0.out"
  cat "$uart_in" >&3
  cat "$fifos/uart0.out" >"$uart_out" 3>&- 4>&- &
  reader=$!
  set -- -chardev "pipe,id=uart0,path=$fifos/uart0" -serial chardev:uart0 -monitor none
fi

# stdin from /dev/null: with -nographic QEMU would otherwise put a terminal
# into raw mode and swallow Ctrl-C.
status=0
timeout --kill-after=5 "$limit" \
  qemu-system-arm -M mps2-an385 -nographic \
  -semihosting-config enable=on,target=native \
  "$@" -kernel "$elf" </dev/null 3>&- 4>&- || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "run.sh: $elf did not finish within ${limit}s" >&2
fi
if [ -n "$reader" ]; then
  exec 4>&-
  wait "$reader" || true
  exec 3>&-
fi
exit "$status"
