/* cx-segment — assign every customer a segment, treatment and experiment
 * arm with an ordered rule file (see cx-segment(1), cx-rules(5)). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_opt.h"
#include "cx_rules.h"
#include "cx_segment.h"

static const char usage_text[] =
	"Usage: cx-segment --as-of DATE [--rules FILE] [-o FILE] [--ledger FILE] [-f] [-v]\n"
	"                  [ACCOUNTS]\n"
	"       cx-segment --as-of DATE [--rules FILE] --explain CUSTOMER [ACCOUNTS]\n"
	"       cx-segment --check [--rules FILE] [ACCOUNTS]\n"
	"       cx-segment --print-default-rules\n"
	"Append segment, treatment, experiment, arm and rule to every account row,\n"
	"one decision per customer, by the first matching rule.\n"
	"\n"
	"  -r, --rules FILE        rule file (default: the built-in rules, cx-rules(5))\n"
	"      --as-of DATE        run date YYYY-MM-DD ('today' in the rules)\n"
	"  -e, --explain CUSTOMER  print every rule tried for one customer_key and why\n"
	"      --check             check the rules and exit (against the input's header\n"
	"                          when ACCOUNTS is given)\n"
	"      --print-default-rules\n"
	"                          print the built-in rule file and exit\n"
	"  -o, --output FILE       output file (default standard output)\n"
	"      --ledger FILE       write the control totals (rows, customers, balance per\n"
	"                          currency in and out; measure, currency, value)\n"
	"  -f, --force             replace an existing output and ledger file\n"
	"  -v, --verbose           print customers per rule and arm to standard error\n"
	"  -h, --help              print this help and exit\n"
	"  -V, --version           print the version and exit\n";

enum { O_ASOF = 256, O_CHECK, O_PRINT, O_LEDGER };

static const struct option longopts[] = {
	{ "rules", required_argument, NULL, 'r' },
	{ "as-of", required_argument, NULL, O_ASOF },
	{ "explain", required_argument, NULL, 'e' },
	{ "check", no_argument, NULL, O_CHECK },
	{ "print-default-rules", no_argument, NULL, O_PRINT },
	{ "output", required_argument, NULL, 'o' },
	{ "ledger", required_argument, NULL, O_LEDGER },
	{ "force", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct cx_segment_opts o;
	struct cx_error err = { 0 };
	int c, has_as_of = 0, verbose = 0;
	char *summary = NULL;

	cx_diag_init("cx-segment");
	cx_io_install_signal_cleanup();
	memset(&o, 0, sizeof o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:e:o:fvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o.rules = optarg; break;
		case O_ASOF:
			if (cx_opt_date(optarg, &o.as_of) < 0)
				return cx_diag_usage("'--as-of' needs a date YYYY-MM-DD");
			has_as_of = 1;
			break;
		case 'e': o.explain = optarg; break;
		case O_CHECK: o.check = 1; break;
		case O_PRINT:
			fwrite(cx_rules_default_text, 1, cx_rules_default_len, stdout);
			return fflush(stdout) || ferror(stdout) ? CX_EXIT_IOERR : CX_EXIT_OK;
		case 'o': o.output = optarg; break;
		case O_LEDGER: o.ledger = optarg; break;
		case 'f': o.force = 1; break;
		case 'v': verbose = 1; break;
		case 'h': fputs(usage_text, stdout); return CX_EXIT_OK;
		case 'V': return cx_opt_version("cx-segment");
		case ':': return cx_diag_usage("option '%s' needs a value", argv[optind - 1]);
		default: return cx_diag_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cx_diag_usage("one input at most (got %d)", argc - optind);
	if (optind < argc)
		o.input = argv[optind];
	if (!has_as_of && !o.check)
		return cx_diag_usage("'--as-of DATE' is required (the run date of 'today' in the rules)");
	if (o.explain && o.check)
		return cx_diag_usage("'--explain' and '--check' cannot be combined");
	if (o.ledger && (o.explain || o.check))
		return cx_diag_usage("'--ledger' goes with a segmenting run (not '--explain' or '--check')");
	for (int i = 0; i < 2 && o.input; i++) {
		const char *in[1] = { o.input }, *p = i ? o.ledger : o.output;
		if (p && cx_output_check_not_input(p, in, 1, &err) < 0) {
			cx_diag_error(&err);
			return cx_exit_status(err.code);
		}
	}
	if (cx_segment_run(&o, verbose ? &summary : NULL, &err) < 0) {
		cx_diag_error(&err);
		return cx_exit_status(err.code);
	}
	if (summary)
		fputs(summary, stderr);
	cx_free(summary);
	return CX_EXIT_OK;
}
