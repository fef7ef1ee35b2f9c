#!/bin/sh
# Run each Check suite binary given as an argument; under CX_VALGRIND=1
# through valgrind.  Prints one line per suite and a closing
# "N passed, N failed" line.
pass=0 fail=0
for t in "$@"; do
	name=$(basename "$t")
	if [ "${CX_VALGRIND:-}" = 1 ]; then
		CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite "$t" >"$t.log" 2>&1
	else
		"$t" >"$t.log" 2>&1
	fi
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		printf 'ok   %s: %s\n' "$name" "$(grep -E '^[0-9]+%' "$t.log" | tail -n 1)"
	else
		fail=$((fail + 1))
		printf 'FAIL %s (exit %d)\n' "$name" "$rc"
		sed 's/^/    /' "$t.log" | tail -n 40
	fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
