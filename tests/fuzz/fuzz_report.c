/* Fuzz target: cx-report's inputs.  The bytes are read (1) as a partial
 * file by --merge and rendered in every format, (2) as an accounts
 * snapshot, (3) as today's plan (--plan, with both rule sets) beside a
 * small fixed snapshot, and (4) as one cell for the masks and the CSV
 * guard.  Any input
 * must give a report or a clean error, never a crash, leak or hang; the
 * CSV guard must be idempotent and never leave a dangerous cell. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cx_mask.h"
#include "cx_mem.h"
#include "cx_report.h"
#include "fuzz_tmpdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char outdir[64];

static char path[128], accts[128];

/* a snapshot of two customers for the plan runs */
static const char *accts_path(void)
{
	static const char text[] =
		"customer_key\taccount_id\tproduct\tcurrency\tbalance\tpast_due\tdays_past_due\t"
		"bucket\tcountry\tconsents\tflags\n"
		"c1\tA1\tCARD\tUSD\t900.00\t100.01\t40\t31-60\tUS\tsms,call\t\n"
		"c2\tB1\tLOAN\tCOP\t1000.00\t0.00\t0\tcurrent\tCO\t\tdispute\n";
	FILE *f;
	if (accts[0])
		return accts;
	snprintf(accts, sizeof accts, "%s/accounts.tsv", outdir);
	if (!(f = fopen(accts, "w")))
		return NULL;
	fputs(text, f);
	fclose(f);
	return accts;
}

static const char *out_path(void)
{
	if (!outdir[0]) {
		fuzz_tmpdir(outdir, "cx-fuzz-report");
	}
	snprintf(path, sizeof path, "%s/out", outdir);
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_report_opts o;
	struct cx_error err;
	char in[64];
	const char *merge[1] = { in };
	const char *out = out_path();
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || !out)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(in, sizeof in, "/proc/self/fd/%d", fd);
	for (int f = CX_RF_TSV; f <= CX_RF_HTML; f++) {
		cx_report_opts_init(&o);
		o.merge = merge;
		o.n_merge = 1;
		o.format = (enum cx_report_format)f;
		o.output = out;
		o.out_flags = 1;   /* CX_OUT_FORCE */
		cx_report_run(&o, &err);
	}
	cx_report_opts_init(&o);
	o.accounts = in;
	o.as_of = 20000;
	o.output = out;
	o.out_flags = 1;
	o.by = CX_BY_CURRENCY | CX_BY_SEGMENT | CX_BY_PRODUCT | CX_BY_ARM;
	cx_report_run(&o, &err);
	for (int pol = 0; pol < 2 && accts_path(); pol++) {
		cx_report_opts_init(&o);
		o.accounts = accts_path();
		o.plan = in;
		o.policy = pol ? "default" : NULL;
		o.as_of = 20777;   /* 2026-11-20 */
		o.output = out;
		o.out_flags = 1;
		o.by = CX_BY_CURRENCY | CX_BY_SEGMENT | CX_BY_ARM;
		cx_report_run(&o, &err);
	}
	close(fd);
	{
		size_t n = size < 4096 ? size : 4096;
		char a[4100], b[4100], m[8200];
		size_t na = cx_cell_neutralise(a, sizeof a, (const char *)data, n);
		size_t nb = cx_cell_neutralise(b, sizeof b, a, na);
		if (nb != na || memcmp(a, b, na) != 0 || cx_cell_dangerous(a, na))
			abort();
		for (int k = CX_MASK_NONE; k <= CX_MASK_NAME; k++)
			if (cx_mask((enum cx_mask_kind)k, m, sizeof m, (const char *)data, n) >= sizeof m)
				abort();
	}
	return 0;
}
