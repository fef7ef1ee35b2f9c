#!/bin/sh
# By-hand throughput check of lib/cx_csv (not part of make check).
#   sh tests/perf/csv-throughput.sh [BUILD]    default BUILD=build
# Generates ~200 MB of plain and of fully quoted CSV in $TMPDIR, builds
# tests/perf/csv_throughput.c against $BUILD/libcx.a and prints MB/s.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=${TMPDIR:-/tmp}/cx-csv-throughput.$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT INT TERM
make -C "$SRC" -s BUILD="$BUILD" "$BUILD/libcx.a"
cc -O2 -std=c11 -D_GNU_SOURCE -I"$SRC/lib" -o "$T/tp" "$SRC/tests/perf/csv_throughput.c" \
	"$SRC/$BUILD/libcx.a" -lcsv -lz -lm
awk 'BEGIN {
	print "account_id,source,national_id,name,email,phone,currency,balance,past_due,due_date,product,flags";
	for (i = 0; i < 1600000; i++)
		printf "A%09d,cards,%010d,Maria Jose Gomez %d,user%d@example.com,+57300%07d,COP,%d.%02d,%d.00,2024-%02d-%02d,CARD,\n",
		    i, i * 7, i % 977, i, i % 9999999, i % 100000, i % 100, i % 5000, i % 12 + 1, i % 28 + 1
}' > "$T/plain.csv"
sed 's/\([^,]*\)/"\1"/g' "$T/plain.csv" > "$T/quoted.csv"
echo "plain CSV ($(wc -c < "$T/plain.csv") bytes):"
"$T/tp" "$T/plain.csv"
echo "fully quoted CSV ($(wc -c < "$T/quoted.csv") bytes):"
"$T/tp" "$T/quoted.csv"
