#!/bin/sh
# cross/cortex-m3/matrix.sh - the Cortex-M3 row of scripts/matrix.
#
# Builds each freestanding test image into build/matrix/cortex-m3/, runs it
# on qemu-system-arm (mps2-an385), and ends with one line for the matrix:
#   MATRIX <passed> <failed> <skipped>
# counted from each image's closing "N passed, N failed" line. An image that
# does not build, crashes or times out counts as one failure.
#
#   cross/cortex-m3/matrix.sh              (from anywhere; about a minute)
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$repo/build/matrix/cortex-m3"
mkdir -p "$out"

# The freestanding subset: the error model and time on a tick source.
# memory_test: arenas, regions in the board's RAM, aligned blocks.
# sync_test: locks are null_mutex (VITTE_HAS_THREADS=0) and cost nothing.
# vitmod_test: SHA-2 vectors, Ed25519 verification with 16-bit limbs, and a
# signed .vitmod container parsed and verified from flash.
# wasm_test: the WebAssembly engine runs a module held in flash.
# uart_test: serial ports over the board's UARTs. Its UART0 is connected to
# this script (run.sh --uart0), which feeds it uart_input and then checks
# that it received exactly uart_output (uart_test.cpp's host_input and
# greeting); that host-side check counts as one more test.
tests="smoke_test memory_test sync_test vitmod_test wasm_test uart_test"
uart_input='host to uart0: 0123456789\n'
uart_output='vitte uart0: hello from mps2-an385\r\n'

passed=0
failed=0
skipped=0
status=0
for t in $tests; do
  elf="$out/$t.elf"
  if ! "$here/build.sh" -o "$elf" "$here/$t.cpp" >"$out/$t.build.log" 2>&1; then
    cat "$out/$t.build.log"
    echo "cortex-m3: $t failed to build"
    failed=$((failed + 1))
    status=1
    continue
  fi
  set --
  if [ "$t" = uart_test ]; then
    printf '%b' "$uart_input" >"$out/$t.uart-in"
    rm -f "$out/$t.uart-out"
    set -- --uart0 "$out/$t.uart-in" "$out/$t.uart-out"
  fi
  rc=0
  "$here/run.sh" "$@" "$elf" 120 >"$out/$t.log" 2>&1 || rc=$?
  cat "$out/$t.log"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/$t.log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "cortex-m3: $t ended without a result line (exit $rc)"
    failed=$((failed + 1))
    status=1
    continue
  fi
  p=$(echo "$line" | cut -d' ' -f1)
  f=$(echo "$line" | cut -d' ' -f3)
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$rc" -eq 0 ] || status=1
  if [ "$t" = uart_test ]; then
    if printf '%b' "$uart_output" | cmp -s - "$out/$t.uart-out"; then
      echo "cortex-m3: $t: the host received the expected bytes from UART0"
      passed=$((passed + 1))
    else
      echo "cortex-m3: $t: the host did not receive the expected bytes from UART0; it received:"
      od -c "$out/$t.uart-out" 2>&1 | head -n 20
      failed=$((failed + 1))
      status=1
    fi
  fi
done
echo "MATRIX $passed $failed $skipped"
exit $status
