/* fuzz_merge — cx_ingest_merge on arbitrary bytes as an event stream (the
 * kind picked by the header it starts with; payments otherwise).  Oracles:
 * no crash or sanitizer report; never an internal error; on failure
 * nothing is published; on success the ledger rows balance, merging the
 * input with itself gives the same output with every row a duplicate, and
 * merging the output again gives it back byte for byte. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_ingest.h"
#include "cx_ledger.h"
#include "fuzz_tmpdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static int starts(const uint8_t *d, size_t n, const char *h)
{
	size_t k = strlen(h);
	return n >= k && memcmp(d, h, k) == 0;
}

/* 0 when the files hold the same bytes */
static int differ(const char *a, const char *b)
{
	FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
	int ca, cb, d = 1;

	if (x && y) {
		do {
			ca = getc(x);
			cb = getc(y);
		} while (ca == cb && ca != EOF);
		d = ca != cb;
	}
	if (x)
		fclose(x);
	if (y)
		fclose(y);
	return d;
}

static struct cx_error err;

static int merge(enum cx_kind kind, const char *const *in, size_t n, const char *out,
                 const char *led, struct cx_ingest_result *res)
{
	struct cx_ingest_opts o;
	int rc;

	cx_ingest_opts_init(&o);
	o.kind = kind;
	o.inputs = in;
	o.ninputs = n;
	o.output = out;
	o.ledger = led;
	o.force = 1;
	unlink(out);
	unlink(led);
	rc = cx_ingest_merge(&o, res, &err);
	cx_ledger_free(res->ledger);
	res->ledger = NULL;
	if (rc == CX_EINTERNAL)
		abort();
	if (rc == 0) {
		if (access(out, F_OK) != 0 || access(led, F_OK) != 0 || res->rows_rejected ||
		    res->rows_in != res->rows_out + res->rows_duplicate + res->rows_blank)
			abort();
	} else if (access(out, F_OK) == 0 || access(led, F_OK) == 0) {
		abort();
	}
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[128], out[128], out2[128], out3[128], led[128];
	const char *inputs[2];
	struct cx_ingest_result r1, r2, r3;
	enum cx_kind kind = CX_KIND_PAYMENTS;
	FILE *f;

	if (!dir[0]) {
		fuzz_tmpdir(dir, "fuzz_merge");
	}
	snprintf(in, sizeof in, "%s/in.tsv", dir);
	snprintf(out, sizeof out, "%s/out.tsv", dir);
	snprintf(out2, sizeof out2, "%s/out2.tsv", dir);
	snprintf(out3, sizeof out3, "%s/out3.tsv", dir);
	snprintf(led, sizeof led, "%s/ledger.tsv", dir);
	f = fopen(in, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if (starts(data, size, "customer_key\taccount_id\tstatement_date\t"))
		kind = CX_KIND_STATEMENTS;
	else if (starts(data, size, "customer_key\taccount_id\ttimestamp\t"))
		kind = CX_KIND_CONTACTS;
	inputs[0] = inputs[1] = in;
	if (merge(kind, inputs, 1, out, led, &r1) != 0)
		return 0;
	/* the same stream twice: every row of the second copy is a duplicate
	 * (unless the doubled money totals overflow) */
	if (merge(kind, inputs, 2, out2, led, &r2) != 0) {
		if (!strstr(err.msg, "overflows"))
			abort();
	} else if (differ(out, out2) || r2.rows_out != r1.rows_out ||
	           r2.rows_duplicate != r1.rows_in + r1.rows_duplicate) {
		abort();
	}
	/* the output is in order and has no duplicates: merged again, a copy */
	inputs[0] = out;
	if (merge(kind, inputs, 1, out3, led, &r3) != 0 || differ(out, out3) ||
	    r3.rows_duplicate != 0)
		abort();
	return 0;
}
