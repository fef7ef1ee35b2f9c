/* csv_throughput — by-hand throughput check of the raw record reader.
 *
 *   sh tests/perf/csv-throughput.sh [BUILD]     (generates, builds, runs)
 *
 * Usage of the binary: csv_throughput FILE [quoted]
 * Reads FILE with cx_csv (header, ragged check) and, for comparison, with
 * bare libcsv (strict, no callbacks' work), and prints MB/s for both.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cx_csv.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t nfield, nrec;
static void cb1(void *f, size_t n, void *d) { (void)f; (void)n; (void)d; nfield++; }
static void cb2(int c, void *d) { (void)c; (void)d; nrec++; }

int
main(int argc, char **argv)
{
	struct cx_csv_opts o;
	struct cx_error err;
	struct cx_csv_reader *r;
	double t0, t1;
	unsigned long long fields = 0, bytes;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: csv_throughput FILE\n");
		return 64;
	}
	memset(&o, 0, sizeof o);
	o.flags = CX_CSV_HEADER | CX_CSV_RAGGED;
	cx_error_clear(&err);
	t0 = now();
	r = cx_csv_open(argv[1], &o, &err);
	if (r == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	while ((rc = cx_csv_next(r, &err)) > 0)
		fields += cx_csv_nfields(r);
	if (rc < 0) {
		fprintf(stderr, "%s:%ld: %s\n", err.file, err.line, err.msg);
		return 1;
	}
	t1 = now();
	bytes = (unsigned long long)cx_csv_bytes(r);
	printf("cx_csv: %llu records, %llu fields, %llu problems, %.1f MB in %.3f s = %.0f MB/s\n",
	    (unsigned long long)cx_csv_records(r), fields,
	    (unsigned long long)cx_csv_problems(r), bytes / 1e6, t1 - t0,
	    bytes / 1e6 / (t1 - t0));
	cx_csv_close(r);

	{
		FILE *f = fopen(argv[1], "rb");
		static char buf[1 << 18];
		struct csv_parser p;
		size_t n;

		if (f == NULL)
			return 1;
		csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
		t0 = now();
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			if (csv_parse(&p, buf, n, cb1, cb2, NULL) != n)
				break;
		csv_fini(&p, cb1, cb2, NULL);
		t1 = now();
		csv_free(&p);
		fclose(f);
		printf("libcsv: %zu records, %zu fields, %.0f MB/s (bare parse, callbacks count only)\n",
		    nrec, nfield, bytes / 1e6 / (t1 - t0));
	}
	return 0;
}
