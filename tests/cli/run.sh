#!/bin/sh
# Command-line golden tests, zstd style.  Each case is tests/cli/<tool>/<case>.sh,
# run by sh in a fresh scratch directory with $CX_BIN first on PATH and
# $SRCDIR, $TESTDATA set, and $CX_FAULTS_SO naming the LD_PRELOAD fault shim
# (tests/faults/cx_faults.c) when built.  Expectations beside it: <case>.exit (default 0),
# <case>.stdout and <case>.stderr (exact; absent means must be empty).
# Usage: tests/cli/run.sh [dir-or-case ...]; CX_UPDATE=1 rewrites expectations;
# CX_VALGRIND=1 runs every cx tool under valgrind (via a wrapper on PATH;
# a valgrind error or a definite leak is exit 99, so the case fails);
# CX_VALGRIND and CX_OOM_BUDGET reach the cases (tests/cli/hardening/oom.inc).
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$here/../.." && pwd)
: "${CX_BIN:=$SRCDIR/build/bin}"
TESTDATA=$SRCDIR/testdata
export SRCDIR TESTDATA CX_BIN
[ $# -gt 0 ] || set -- "$here"/*/
cases=$(for a in "$@"; do
	if [ -d "$a" ]; then find "$a" -name '*.sh' -type f; else echo "$a"; fi
done | sort)
scratch_root=$(mktemp -d "${TMPDIR:-/tmp}/cx-cli.XXXXXX")
trap 'rm -rf "$scratch_root"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
binpath=$CX_BIN
if [ "${CX_VALGRIND:-}" = 1 ]; then
	binpath=$scratch_root/vgbin
	mkdir -p "$binpath"
	for t in "$CX_BIN"/*; do
		n=$(basename "$t")
		printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "%s" "$@"\n' "$t" >"$binpath/$n"
		chmod +x "$binpath/$n"
	done
fi
pass=0 fail=0 n=0
for c in $cases; do
	c=$(cd "$(dirname "$c")" && pwd)/$(basename "$c")
	n=$((n + 1))
	base=${c%.sh}
	rel=${c#"$here"/}
	dir=$scratch_root/case$n
	mkdir -p "$dir"
	(cd "$dir" && env -i PATH="$binpath:/usr/local/bin:/usr/bin:/bin" HOME="$dir" \
	    LC_ALL=C TZ=UTC SRCDIR="$SRCDIR" TESTDATA="$TESTDATA" CX_BIN="$binpath" \
	    CX_FAULTS_SO="${CX_FAULTS_SO:-}" ASAN_OPTIONS=verify_asan_link_order=0 \
	    CX_VALGRIND="${CX_VALGRIND:-}" CX_OOM_BUDGET="${CX_OOM_BUDGET:-}" \
	    sh "$c" >"$dir/.stdout" 2>"$dir/.stderr")
	rc=$?
	want_rc=0
	[ -f "$base.exit" ] && want_rc=$(cat "$base.exit")
	if [ "${CX_UPDATE:-}" = 1 ]; then
		if [ "$rc" -ne 0 ]; then echo "$rc" >"$base.exit"; else rm -f "$base.exit"; fi
		for s in stdout stderr; do
			if [ -s "$dir/.$s" ]; then cp "$dir/.$s" "$base.$s"; else rm -f "$base.$s"; fi
		done
		echo "updated $rel"
		pass=$((pass + 1))
		continue
	fi
	ok=1 why=""
	if [ "$rc" -ne "$want_rc" ]; then ok=0 why="exit $rc, want $want_rc"; fi
	for s in stdout stderr; do
		if [ -f "$base.$s" ]; then
			cmp -s "$base.$s" "$dir/.$s" || { ok=0 why="$why${why:+; }$s differs"; }
		elif [ -s "$dir/.$s" ]; then
			ok=0 why="$why${why:+; }unexpected $s"
		fi
	done
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $rel: $why"
		for s in stdout stderr; do
			if [ -f "$base.$s" ]; then
				diff -u "$base.$s" "$dir/.$s" | head -n 20 | sed 's/^/    /'
			elif [ -s "$dir/.$s" ]; then
				head -n 10 "$dir/.$s" | sed "s/^/    $s: /"
			fi
		done
	fi
done
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
