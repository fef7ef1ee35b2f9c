/* fuzz_ingest — the whole cx-ingest pipeline (CSV reader, header mapping,
 * normalisers, identity, sort, ledger) on arbitrary bytes as an accounts
 * export; bytes that start with the canonical payments or statements
 * header are ingested as that kind and joined to a small accounts stream
 * (the canonical event fast path and its fallback).  Bit 4 of the first
 * byte turns on --pseudonymise with a fixed key.  Oracles: no crash or sanitizer report; never an internal error
 * (an unbalanced ledger is one); on success the output exists and the
 * ledger rows balance; on failure nothing is published. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_identity.h"
#include "cx_ingest.h"
#include "cx_ledger.h"
#include "cx_pseudo.h"
#include "fuzz_tmpdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char accts[128];
static struct cx_pseudo *pseudo;

static const char pay_hdr[] = "customer_key\taccount_id\tdate\tamount\tcurrency\tmethod\n";
static const char stm_hdr[] = "customer_key\taccount_id\tstatement_date\tbalance\t"
                              "minimum_due\tamount_paid\tdays_past_due\tcurrency\n";

static int starts(const uint8_t *d, size_t n, const char *h)
{
	size_t k = strlen(h);
	return n >= k && memcmp(d, h, k) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[128], out[128], led[128], rej[128];
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_colmap_spec map;
	struct cx_error err;
	const char *inputs[1];
	FILE *f;
	int rc;

	if (!dir[0]) {
		fuzz_tmpdir(dir, "fuzz_ingest");
		snprintf(accts, sizeof accts, "%s/accounts.tsv", dir);
		f = fopen(accts, "wb");
		/* A1 in two sources with different customers: ambiguous */
		if (!f || fputs("customer_key\taccount_id\tsource\n"
		               "c0000000000000001\tA1\tcards\n"
		               "c0000000000000002\tA1\tloans\n"
		               "c0000000000000003\tB2\tcards\n"
		               "c0000000000000003\tL9\tloans\n", f) < 0 || fclose(f) != 0)
			abort();
	}
	snprintf(in, sizeof in, "%s/in.csv", dir);
	snprintf(out, sizeof out, "%s/out.tsv", dir);
	snprintf(led, sizeof led, "%s/ledger.tsv", dir);
	snprintf(rej, sizeof rej, "%s/rejects.tsv", dir);
	f = fopen(in, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	cx_ingest_opts_init(&o);
	cx_colmap_spec_init(&map);
	o.map = &map;
	inputs[0] = in;
	o.inputs = inputs;
	o.ninputs = 1;
	o.output = out;
	o.ledger = led;
	o.rejects = rej;
	o.force = 1;
	o.as_of = 19905;   /* 2024-07-01 */
	o.link = CX_LINK_ID | CX_LINK_EMAIL | CX_LINK_PHONE;
	o.country = "CO";
	o.memory = 64 << 10;   /* exercise the spill path on larger inputs */
	o.tmpdir = dir;
	/* the first byte picks some options */
	if (size > 0) {
		o.decimal_comma = data[0] & 1;
		o.date_order = (enum cx_date_order)((data[0] >> 1) % 3);
		o.encoding = (data[0] >> 3) & 1;
		if ((data[0] >> 4) & 1) {
			if (!pseudo && cx_pseudo_from_key(&pseudo, "fuzz key, thirty-two bytes long!",
			                                  32, &err) < 0)
				abort();
			o.pseudo = pseudo;
		}
	}
	if (starts(data, size, pay_hdr) || starts(data, size, stm_hdr)) {
		o.kind = starts(data, size, pay_hdr) ? CX_KIND_PAYMENTS : CX_KIND_STATEMENTS;
		o.accounts = accts;
	}
	unlink(out);
	unlink(led);
	unlink(rej);
	rc = cx_ingest_run(&o, &res, &err);
	if (rc == CX_EINTERNAL)
		abort();
	if (rc == 0) {
		if (access(out, F_OK) != 0 || access(led, F_OK) != 0)
			abort();
		if (res.rows_in != res.rows_out + res.rows_rejected + res.rows_duplicate +
		                   res.rows_blank)
			abort();
	} else if (access(out, F_OK) == 0 || access(led, F_OK) == 0 || access(rej, F_OK) == 0) {
		abort();
	}
	cx_ledger_free(res.ledger);
	cx_colmap_spec_free(&map);
	return 0;
}
