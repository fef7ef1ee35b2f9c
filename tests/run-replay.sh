#!/bin/sh
# Replay every fuzz corpus through its replay binary (see
# tests/fuzz/regression_driver.c).  Arguments: replay binaries, e.g.
#   sh tests/run-replay.sh build/tests/replay_fuzz_csv build/tests/replay_fuzz_utf8
# (make check-fuzz passes them all).  Binary .../replay_fuzz_X replays
# tests/fuzz/corpus/fuzz_X/.  Prints one line per target and a final
# "N passed, N failed"; exits 1 when any target failed.
# CX_VALGRIND=1 runs each under valgrind.
SRC=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
if [ $# -eq 0 ]; then
	set -- "$SRC"/build/tests/replay_fuzz_*
fi
for bin in "$@"; do
	[ -e "$bin" ] || { echo "FAIL ${bin##*/}: no such replay binary"; fail=$((fail + 1)); continue; }
	name=${bin##*/replay_}
	corpus=$SRC/tests/fuzz/corpus/$name
	if [ ! -d "$corpus" ]; then
		echo "FAIL $name: no corpus directory tests/fuzz/corpus/$name"
		fail=$((fail + 1))
		continue
	fi
	if [ -n "${CX_VALGRIND:-}" ]; then
		out=$(valgrind -q --error-exitcode=99 --leak-check=full "$bin" "$corpus" 2>&1)
	else
		out=$("$bin" "$corpus" 2>&1)
	fi
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok   $name: $(printf '%s\n' "$out" | tail -n 1)"
		pass=$((pass + 1))
	else
		echo "FAIL $name (status $rc)"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
