#!/bin/sh
# Coverage-guided fuzzing with libFuzzer (clang-14; Debian libclang-rt-14-dev).
#   sh tests/fuzz/run-libfuzzer.sh [fuzz_csv fuzz_utf8 ...]   (default: all)
# Environment: FUZZ_SECONDS (time budget per target, default 60),
#   FUZZ_JOBS (parallel fuzzing processes per target, default 1),
#   CLANG (default clang-14), BUILD (default build/fuzz).
# Builds lib/*.c with -fsanitize=fuzzer-no-link,address,undefined into
# $BUILD/libcx.a, links each tests/fuzz/fuzz_X.c with -fsanitize=fuzzer and
# runs it over a working copy of tests/fuzz/corpus/fuzz_X/ (new inputs stay
# in $BUILD/corpus/fuzz_X; copy interesting ones back by hand).  A crash
# leaves $BUILD/artifacts/fuzz_X/crash-*: add it to the corpus, fix, and
# `make check-fuzz` replays it forever after.  Exit status 1 on any finding.
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cd "$SRC" || exit 70
CLANG=${CLANG:-clang-14}
BUILD=${BUILD:-build/fuzz}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined'
# ISA-L's inflate when the Makefile would build it in (see ISAL there)
ISAL_DEF= ISAL_LIB=
if [ -r /usr/include/isa-l/igzip_lib.h ] && [ "${ISAL:-1}" = 1 ]; then
	ISAL_DEF=-DCX_HAVE_ISAL ISAL_LIB=-lisal
fi

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "run-libfuzzer: $CLANG not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
	exit 69
fi
# The library, one object per lib/*.c.  A module that does not compile
# (someone's work in progress) is skipped with a note: targets that need it
# then fail to link, the others still run.
mkdir -p "$BUILD/lib"
objs=
for c in lib/*.c; do
	o=$BUILD/lib/$(basename "$c" .c).o
	if [ ! -e "$o" ] || [ -n "$(find "$c" lib -name '*.h' -newer "$o" 2>/dev/null | head -n 1)" ] ||
		[ -n "$(find "$c" -newer "$o" 2>/dev/null)" ]; then
		if ! "$CLANG" -std=c11 -D_GNU_SOURCE -DCX_VERSION='"fuzz"' $ISAL_DEF -Ilib -O1 -g \
			-fno-omit-frame-pointer -fsanitize=fuzzer-no-link $SAN -w -c -o "$o" "$c"; then
			echo "note: $c does not compile; skipped" >&2
			rm -f "$o"
			continue
		fi
	fi
	objs="$objs $o"
done
rm -f "$BUILD/libcx.a"
# shellcheck disable=SC2086
ar rcs "$BUILD/libcx.a" $objs || exit 70

if [ $# -eq 0 ]; then
	set --
	for f in tests/fuzz/fuzz_*.c; do
		n=${f##*/}
		set -- "$@" "${n%.c}"
	done
fi
found=0
for t in "$@"; do
	t=${t%.c}
	bin=$BUILD/fuzzers/$t
	mkdir -p "$BUILD/fuzzers" "$BUILD/corpus/$t" "$BUILD/artifacts/$t/"
	if ! "$CLANG" -std=c11 -D_GNU_SOURCE -Ilib -O1 -g -fno-omit-frame-pointer \
		-fsanitize=fuzzer $SAN -o "$bin" "tests/fuzz/$t.c" "$BUILD/libcx.a" -lcsv -lz $ISAL_LIB -lm -lcrypto; then
		echo "FAIL $t: does not build"
		found=1
		continue
	fi
	[ -d "tests/fuzz/corpus/$t" ] && cp -p "tests/fuzz/corpus/$t"/* "$BUILD/corpus/$t/" 2>/dev/null
	log=$BUILD/$t.log
	rm -f "$BUILD"/fuzz-*.log
	if [ "$JOBS" -gt 1 ]; then
		# -jobs writes fuzz-N.log into the current directory: run in $BUILD
		(cd "$BUILD" && "$bin" -max_total_time="$SECS" -jobs="$JOBS" -workers="$JOBS" \
			-timeout=10 -rss_limit_mb=2048 -artifact_prefix="artifacts/$t/" \
			-print_final_stats=1 "corpus/$t") >"$log" 2>&1
	else
		"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$BUILD/artifacts/$t/" -print_final_stats=1 \
			"$BUILD/corpus/$t" >"$log" 2>&1
	fi
	rc=$?
	execs=$(cat "$log" "$BUILD"/fuzz-*.log 2>/dev/null | grep 'stat::number_of_executed_units' | awk '{s += $2} END {print s + 0}')
	if [ $rc -eq 0 ]; then
		echo "ok   $t: $execs executions in ${SECS}s, no finding ($(ls "$BUILD/corpus/$t" | wc -l) corpus files)"
	else
		echo "FAIL $t: status $rc, see $log and $BUILD/artifacts/$t/"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -5 | sed 's/^/    /'
		found=1
	fi
done
exit $found
