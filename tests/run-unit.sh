#!/bin/sh
# Run each Check suite binary given as an argument; under CX_VALGRIND=1
# through valgrind (an error or a definite leak fails the suite).  CX_JOBS=N
# runs N suites at a time (output stays in argument order).  Prints one line
# per suite (with its wall seconds) and a closing "unit: N passed, N failed".
if [ "${1:-}" = --one ]; then
	# one suite: its output in BIN.log, its status in BIN.rc
	t=$2
	start=$(date +%s)
	if [ "${CX_VALGRIND:-}" = 1 ]; then
		CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite "$t" >"$t.log" 2>&1
	else
		"$t" >"$t.log" 2>&1
	fi
	echo $? >"$t.rc"
	echo $(($(date +%s) - start)) >"$t.secs"
	exit 0
fi
for t in "$@"; do rm -f "$t.rc"; done
printf '%s\n' "$@" | xargs -P "${CX_JOBS:-1}" -n 1 sh "$0" --one
pass=0 fail=0
for t in "$@"; do
	name=$(basename "$t")
	rc=$(cat "$t.rc" 2>/dev/null || echo 127)
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		printf 'ok   %s (%ss): %s\n' "$name" "$(cat "$t.secs" 2>/dev/null)" \
		    "$(grep -E '^[0-9]+%' "$t.log" | tail -n 1)"
	else
		fail=$((fail + 1))
		printf 'FAIL %s (exit %d)\n' "$name" "$rc"
		sed 's/^/    /' "$t.log" | tail -n 40
	fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
