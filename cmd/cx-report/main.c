/* cx-report — KPI tables for collections.  See cx-report(1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_opt.h"
#include "cx_report.h"
#include "cx_tsv.h"

static const char usage_text[] =
"usage: cx-report --as-of YYYY-MM-DD [options] ACCOUNTS\n"
"       cx-report --merge [options] PARTIAL...\n"
"Collection KPIs from the canonical accounts snapshot (and optional streams).\n"
"      --as-of YYYY-MM-DD     end of the reporting period (required)\n"
"      --period-days N        length of the period in days (default 30)\n"
"      --months N             N of the CEI formula (default period-days/30)\n"
"      --previous FILE        accounts snapshot at the start of the period\n"
"      --payments FILE        canonical payments stream\n"
"      --contacts FILE        canonical contacts stream\n"
"      --statements FILE      canonical statements stream (credit sales)\n"
"      --credit-sales CUR=AMOUNT,...  credit sales of the period per currency\n"
"      --costs FILE           cost per contact: channel, currency, cost\n"
"      --policy FILE|default  check contacts against a cx-plan policy file\n"
"      --plan FILE            today's cx-plan output: plan table, its violations\n"
"      --by LIST              cut by segment,product,arm (currency always)\n"
"      --champion ARM         champion arm name (default champion/control)\n"
"      --grace-days N         promise kept if paid by promise date + N (3)\n"
"      --tolerance PCT        promise kept if paid >= amount - PCT% (0)\n"
"      --max-calls N          calls per account in 7 days before a violation (7)\n"
"      --max-detail N         violation rows listed (100)\n"
"  -F, --format FMT           tsv (default), csv, text or html\n"
"      --bom                  csv: start with a UTF-8 byte-order mark\n"
"      --decimal-comma        csv: ';' separator and decimal comma\n"
"      --title TEXT           html: page title\n"
"      --unmask               show personal data in full (default masked)\n"
"      --partial              write the shard's sufficient statistics\n"
"      --plan-only            with --partial: only the plan's statistics\n"
"      --shard K/N            only the customers of shard K of N, in every input\n"
"      --merge                inputs are partial files; write the report\n"
"  -o, --output FILE          write to FILE atomically (default stdout)\n"
"  -f, --force                replace an existing output file\n"
"  -v, --verbose              print a summary to stderr\n"
"  -h, --help                 show this help\n"
"  -V, --version              show the version\n";

enum { O_ASOF = 256, O_DAYS, O_MONTHS, O_PREV, O_PAY, O_CON, O_STM, O_SALES, O_COSTS, O_BY,
       O_CHAMP, O_GRACE, O_TOL, O_MAXCALLS, O_MAXDET, O_BOM, O_DECCOMMA, O_TITLE, O_UNMASK,
       O_PARTIAL, O_MERGE, O_POLICY, O_PLAN, O_PLANONLY, O_SHARD };

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, O_ASOF },
	{ "period-days", required_argument, NULL, O_DAYS },
	{ "months", required_argument, NULL, O_MONTHS },
	{ "previous", required_argument, NULL, O_PREV },
	{ "payments", required_argument, NULL, O_PAY },
	{ "contacts", required_argument, NULL, O_CON },
	{ "statements", required_argument, NULL, O_STM },
	{ "credit-sales", required_argument, NULL, O_SALES },
	{ "costs", required_argument, NULL, O_COSTS },
	{ "policy", required_argument, NULL, O_POLICY }, { "by", required_argument, NULL, O_BY },
	{ "plan", required_argument, NULL, O_PLAN },
	{ "champion", required_argument, NULL, O_CHAMP },
	{ "grace-days", required_argument, NULL, O_GRACE },
	{ "tolerance", required_argument, NULL, O_TOL },
	{ "max-calls", required_argument, NULL, O_MAXCALLS },
	{ "max-detail", required_argument, NULL, O_MAXDET },
	{ "format", required_argument, NULL, 'F' }, { "bom", no_argument, NULL, O_BOM },
	{ "decimal-comma", no_argument, NULL, O_DECCOMMA },
	{ "title", required_argument, NULL, O_TITLE }, { "unmask", no_argument, NULL, O_UNMASK },
	{ "partial", no_argument, NULL, O_PARTIAL }, { "merge", no_argument, NULL, O_MERGE },
	{ "plan-only", no_argument, NULL, O_PLANONLY }, { "shard", required_argument, NULL, O_SHARD },
	{ "output", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 }
};

static int num_opt(const char *name, const char *arg, long min, long max, int *out)
{
	long v;
	if (cx_opt_long(arg, min, max, &v) < 0)
		return cx_diag_usage("bad %s '%s' (an integer from %ld to %ld)", name, arg, min, max);
	*out = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	struct cx_report_opts o;
	struct cx_error err;
	struct cx_report_stats stats = { 0, 0, 0 };
	int c, merge = 0, have_asof = 0;

	cx_diag_init("cx-report");
	cx_io_install_signal_cleanup();
	cx_report_opts_init(&o);
	cx_error_clear(&err);
	while ((c = getopt_long(argc, argv, "F:o:fvhV", longopts, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case O_ASOF:
			if (cx_opt_date(optarg, &o.as_of) < 0)
				return cx_diag_usage("bad --as-of '%s' (YYYY-MM-DD)", optarg);
			have_asof = 1;
			break;
		case O_DAYS: rc = num_opt("--period-days", optarg, 1, 3660, &o.period_days); break;
		case O_MONTHS: rc = num_opt("--months", optarg, 1, 120, &o.months); break;
		case O_PREV: o.previous = optarg; break;
		case O_PAY: o.payments = optarg; break;
		case O_CON: o.contacts = optarg; break;
		case O_STM: o.statements = optarg; break;
		case O_SALES: o.credit_sales = optarg; break;
		case O_COSTS: o.costs = optarg; break;
		case O_POLICY: o.policy = optarg; break;
		case O_PLAN: o.plan = optarg; break;
		case O_BY:
			if (cx_report_parse_by(optarg, &o.by) < 0)
				return cx_diag_usage("bad --by '%s' (segment, product, currency, arm)",
				                     optarg);
			break;
		case O_CHAMP: o.champion = optarg; break;
		case O_GRACE: rc = num_opt("--grace-days", optarg, 0, 365, &o.grace_days); break;
		case O_TOL: rc = num_opt("--tolerance", optarg, 0, 100, &o.tolerance_pct); break;
		case O_MAXCALLS: rc = num_opt("--max-calls", optarg, 1, 1000, &o.max_calls_7d); break;
		case O_MAXDET: rc = num_opt("--max-detail", optarg, 0, 1000000, &o.max_detail); break;
		case 'F':
			if (cx_report_parse_format(optarg, &o.format) < 0)
				return cx_diag_usage("unknown --format '%s' (tsv, csv, text, html)", optarg);
			break;
		case O_BOM: o.bom = 1; break;
		case O_DECCOMMA: o.decimal_comma = 1; break;
		case O_TITLE: o.title = optarg; break;
		case O_UNMASK: o.unmask = 1; break;
		case O_PARTIAL: o.partial = 1; break;
		case O_MERGE: merge = 1; break;
		case O_PLANONLY: o.plan_only = 1; break;
		case O_SHARD:
			if (cx_opt_shard(optarg, CX_TSV_MAX_SHARDS, &o.shard_k, &o.shard_n) < 0)
				return cx_diag_usage("bad --shard '%s' (K/N: shard K, 0 to N-1, of N, 1 to %d)",
				                     optarg, CX_TSV_MAX_SHARDS);
			break;
		case 'o': o.output = optarg; break;
		case 'f': o.out_flags |= CX_OUT_FORCE; break;
		case 'v': o.verbose = 1; break;
		case 'h': fputs(usage_text, stdout); return CX_EXIT_OK;
		case 'V': return cx_opt_version("cx-report");
		default: return cx_diag_usage("invalid option");
		}
		if (rc)
			return rc;
	}
	if (merge) {
		if (optind >= argc)
			return cx_diag_usage("--merge needs at least one partial file");
		o.merge = (const char *const *)(argv + optind);
		o.n_merge = (size_t)(argc - optind);
		if (o.previous || o.payments || o.contacts || o.statements || o.policy || o.costs ||
		    o.plan || have_asof || o.shard_n)
			return cx_diag_usage("--merge takes the period, inputs and costs from the partials");
	} else {
		if (!have_asof)
			return cx_diag_usage("--as-of is required");
		if (optind + 1 != argc)
			return cx_diag_usage("expected one ACCOUNTS file (use '-' for stdin)");
		o.accounts = argv[optind];
		{
			const char *ins[7] = { o.accounts, o.previous, o.payments, o.contacts,
				o.statements, o.costs, o.plan };
			int nstdin = 0;
			for (size_t i = 0; i < 7; i++)
				nstdin += ins[i] && !strcmp(ins[i], "-");
			if (nstdin > 1)
				return cx_diag_usage("only one input can be standard input ('-')");
		}
	}
	if (o.partial && merge)
		return cx_diag_usage("--partial and --merge exclude each other");
	if (o.plan_only && (!o.partial || !o.plan))
		return cx_diag_usage("--plan-only goes with --partial and --plan");
	/* Only a report masked here is known to hold no personal data: a
	 * partial may be merged with --unmask, and a merge may read unmasked
	 * partials. */
	if (!o.unmask && !o.partial && !merge)
		o.out_flags |= CX_OUT_PUBLIC;
	if (o.credit_sales && o.by != CX_BY_CURRENCY)
		return cx_diag_usage("--credit-sales applies to a report cut by currency only");
	if ((o.bom || o.decimal_comma) && o.format != CX_RF_CSV)
		return cx_diag_usage("--bom and --decimal-comma apply to --format csv");
	if (o.output && strcmp(o.output, "-")) {
		const char *ins[7] = { o.accounts, o.previous, o.payments, o.contacts, o.statements,
			o.costs, o.plan };
		const char *list[7];
		size_t n = 0;
		for (size_t i = 0; i < 7; i++)
			if (ins[i])
				list[n++] = ins[i];
		if (cx_output_check_not_input(o.output, list, n, &err) < 0) {
			cx_diag_error(&err);
			return cx_exit_status(err.code);
		}
	}
	o.stats = &stats;
	if (cx_report_run(&o, &err) < 0) {
		cx_diag_error(&err);
		return cx_exit_status(err.code);
	}
	if (o.verbose)
		cx_diag("%ld customers read, %ld cells, %ld rows written", stats.customers, stats.cells,
		        stats.rows);
	return CX_EXIT_OK;
}
