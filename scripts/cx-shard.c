/* cx-shard — partition canonical streams by customer: the row goes to shard
 * cx_hash64(customer_key, seed 0) mod N (cx_tsv_shard_of), so every stream
 * of one customer lands in the same shard and each shard stays sorted and
 * grouped.  With -k the reader's shard filter picks the rows, as the tools'
 * --shard K/N does.  See cx-shard(1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_opt.h"
#include "cx_schema.h"
#include "cx_tsv.h"

#define MAX_SHARDS CX_TSV_MAX_SHARDS

static const char usage_text[] =
"usage: cx-shard -n N [-k K] [-f] [-o PREFIX] [file]\n"
"Split a canonical stream into N shards by a hash of customer_key.\n"
"  -n, --shards N     number of shards (1..4096)\n"
"  -k, --shard K      write only shard K (0..N-1) to the output (a filter)\n"
"  -o, --output P     without -k: write P.K.tsv for each K; with -k: a file\n"
"  -f, --force        replace existing output files\n"
"  -h, --help         this help\n"
"      --version      print the version\n";

/* The input's header, escaped by the canonical writer like any row. */
static int
write_header(struct cx_output *out, const struct cx_tsv_reader *r, struct cx_error *err)
{
	struct cx_tsv_writer *w = cx_tsv_writer_new(out, err);
	size_t c;
	int rc;

	if (w == NULL)
		return err->code;
	for (c = 0; c < cx_tsv_ncols(r); c++)
		cx_tsv_puts(w, cx_tsv_colname(r, c));
	cx_tsv_end_row(w);
	rc = cx_tsv_writer_error(w, err);
	cx_tsv_writer_free(w);
	return rc;
}

static int
run(const char *input, long nshards, long only, const char *prefix, int force,
    struct cx_error *err)
{
	struct cx_tsv_reader *r;
	struct cx_output **outs;
	long i, nouts = only >= 0 ? 1 : nshards;
	int key, rc = 0, got = 0;
	unsigned flags = force ? CX_OUT_FORCE : 0;

	r = cx_tsv_open(input, NULL, err);
	if (r == NULL)
		return err->code;
	key = cx_tsv_col(r, CX_COL_CUSTOMER);
	if (key < 0) {
		cx_error_set(err, CX_EDATA, cx_tsv_name(r), 1, "no '%s' column", CX_COL_CUSTOMER);
		cx_tsv_close(r);
		return CX_EDATA;
	}
	outs = cx_calloc((size_t)nouts, sizeof *outs);
	if (outs == NULL) {
		cx_tsv_close(r);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	for (i = 0; i < nouts && rc == 0; i++) {
		char path[4096];
		const char *p = NULL;
		if (only < 0) {
			snprintf(path, sizeof path, "%s.%ld.tsv", prefix, i);
			p = path;
		} else {
			p = prefix;
		}
		outs[i] = cx_output_open(p, flags, err);
		if (outs[i] == NULL) {
			rc = err->code;
			break;
		}
		rc = write_header(outs[i], r, err);
	}
	if (only >= 0)
		cx_tsv_shard(r, key, (unsigned)only, (unsigned)nshards);
	while (rc == 0 && (got = cx_tsv_next(r, err)) == 1) {
		const struct cx_field *f = cx_tsv_fields(r);
		struct cx_field raw = cx_tsv_raw(r);
		struct cx_output *o = outs[0];
		if (only < 0)
			o = outs[cx_tsv_shard_of(f[key].p, f[key].n, (unsigned)nshards)];
		rc = cx_output_write(o, raw.p, raw.n, err);
		if (rc == 0)
			rc = cx_output_putc(o, '\n', err);
	}
	if (rc == 0 && got < 0)
		rc = got;
	for (i = 0; i < nouts; i++) {
		if (outs[i] == NULL)
			continue;
		if (rc == 0)
			rc = cx_output_commit(outs[i], err);
		else
			cx_output_abort(outs[i]);
	}
	cx_free(outs);
	cx_tsv_close(r);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shards", required_argument, NULL, 'n' },
		{ "shard", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cx_error err;
	long nshards = 0, only = -1;
	const char *prefix = NULL;
	int c, force = 0, rc;

	cx_diag_init(argv[0]);
	cx_io_install_signal_cleanup();
	while ((c = getopt_long(argc, argv, "fhk:n:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'h': fputs(usage_text, stdout); return CX_EXIT_OK;
		case 'k':
			if (cx_opt_long(optarg, 0, MAX_SHARDS - 1, &only) < 0)
				return cx_diag_usage("invalid shard '%s'", optarg);
			break;
		case 'n':
			if (cx_opt_long(optarg, 1, MAX_SHARDS, &nshards) < 0)
				return cx_diag_usage("invalid number of shards '%s'", optarg);
			break;
		case 'o': prefix = optarg; break;
		case 'V': return cx_opt_version("cx-shard");
		default: return cx_diag_usage("invalid option");
		}
	}
	if (nshards == 0)
		return cx_diag_usage("-n is required");
	if (only >= nshards)
		return cx_diag_usage("shard %ld out of range for %ld shards", only, nshards);
	if (only < 0 && prefix == NULL)
		return cx_diag_usage("-o PREFIX is required without -k");
	if (argc - optind > 1)
		return cx_diag_usage("one input at most");
	cx_error_clear(&err);
	rc = run(optind < argc ? argv[optind] : "-", nshards, only, prefix, force, &err);
	if (rc < 0) {
		cx_diag_error(&err);
		return cx_exit_status(rc);
	}
	return CX_EXIT_OK;
}
