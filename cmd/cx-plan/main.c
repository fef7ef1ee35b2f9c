/* cx-plan — one row per customer: what to do today, on which channel, in
 * which local window, with which offer, and why.  See cx-plan(1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_ledger.h"
#include "cx_msg.h"
#include "cx_opt.h"
#include "cx_plan.h"
#include "cx_policy.h"

static const char usage_text[] =
	"Usage: cx-plan --as-of YYYY-MM-DD [options] [ACCOUNTS]\n"
	"Plan today's collection actions, one row per customer, ranked.\n"
	"\n"
	"  ACCOUNTS             segmented accounts stream (TSV, gzip ok; '-' or none = stdin)\n"
	"  --as-of DATE         plan date (required)\n"
	"  --contacts FILE      contact history, sorted by customer_key\n"
	"  --payments FILE      payments, sorted by customer_key\n"
	"  --policy FILE        contact policy (default: built-in, see cx-policy(5))\n"
	"  --capacity FILE      channel capacity and cost (default: built-in)\n"
	"  --explain CUSTOMER   print the decision path for one customer_key instead of the plan\n"
	"  --print-policy       print the built-in policy file and exit\n"
	"  --print-capacity     print the built-in capacity file and exit\n"
	"  --messages DIR       also render today's messages into DIR: sms.tsv, whatsapp.tsv,\n"
	"                       email.tsv, calls.tsv, ivr.tsv, letter.tsv, rejects.tsv (mode 0600;\n"
	"                       needs -o FILE and an ACCOUNTS file; see cx-templates(5))\n"
	"  --templates DIR      message templates and creditor.conf (default: built-in)\n"
	"  --sms-transliterate  rewrite SMS text to the GSM-7 alphabet (a for á, ...) to save segments\n"
	"  --sms-max-segments N reject an SMS longer than N segments (default 4)\n"
	"  -o, --output FILE    write the plan to FILE atomically (default: stdout)\n"
	"  --ledger FILE        write the control totals (accounts in, customers in and out,\n"
	"                       balance per currency of the accounts and of the plan)\n"
	"  -f, --force          replace an existing output and ledger file\n"
	"  -v, --verbose        print run counts to stderr\n"
	"  -h, --help           show this help and exit\n"
	"      --version        show the version and exit\n";

enum { OPT_AS_OF = 256, OPT_CONTACTS, OPT_PAYMENTS, OPT_POLICY, OPT_CAPACITY, OPT_EXPLAIN,
       OPT_VERSION, OPT_PRINT_POLICY, OPT_PRINT_CAPACITY, OPT_MESSAGES, OPT_TEMPLATES,
       OPT_SMS_TRANSLIT, OPT_SMS_MAX, OPT_LEDGER };

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "contacts", required_argument, NULL, OPT_CONTACTS },
	{ "payments", required_argument, NULL, OPT_PAYMENTS },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "capacity", required_argument, NULL, OPT_CAPACITY },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "print-policy", no_argument, NULL, OPT_PRINT_POLICY },
	{ "print-capacity", no_argument, NULL, OPT_PRINT_CAPACITY },
	{ "messages", required_argument, NULL, OPT_MESSAGES },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "sms-transliterate", no_argument, NULL, OPT_SMS_TRANSLIT },
	{ "sms-max-segments", required_argument, NULL, OPT_SMS_MAX },
	{ "output", required_argument, NULL, 'o' },
	{ "ledger", required_argument, NULL, OPT_LEDGER },
	{ "force", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static int
print_lines(const char *const *lines)
{
	size_t i;
	for (i = 0; lines[i]; i++)
		fputs(lines[i], stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? CX_EXIT_OK : CX_EXIT_IOERR;
}

int
main(int argc, char **argv)
{
	struct cx_plan_opts o;
	struct cx_msg_opts mo;
	struct cx_msg_stats ms;
	struct cx_error err;
	struct cx_ledger *ledger = NULL;
	int c, have_date = 0, verbose = 0, rc;

	cx_diag_init("cx-plan");
	cx_io_install_signal_cleanup();
	memset(&o, 0, sizeof o);
	memset(&mo, 0, sizeof mo);
	cx_error_clear(&err);
	opterr = 0;   /* one diagnostic line of our own */
	while ((c = getopt_long(argc, argv, ":o:fvh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AS_OF:
			if (cx_opt_date(optarg, &o.as_of) < 0)
				return cx_diag_usage("invalid --as-of date (expected YYYY-MM-DD)");
			have_date = 1;
			break;
		case OPT_CONTACTS: o.contacts = optarg; break;
		case OPT_PAYMENTS: o.payments = optarg; break;
		case OPT_POLICY: o.policy = optarg; break;
		case OPT_CAPACITY: o.capacity = optarg; break;
		case OPT_EXPLAIN: o.explain = optarg; break;
		case OPT_PRINT_POLICY: return print_lines(cx_policy_default_lines);
		case OPT_PRINT_CAPACITY: return print_lines(cx_capacity_default_lines);
		case OPT_MESSAGES: mo.dir = optarg; break;
		case OPT_TEMPLATES: mo.templates = optarg; break;
		case OPT_SMS_TRANSLIT: mo.sms_transliterate = 1; break;
		case OPT_SMS_MAX: {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || n < 1 || n > 255)
				return cx_diag_usage("invalid --sms-max-segments (expected 1 to 255)");
			mo.sms_max_segments = (int)n;
			break;
		}
		case 'o': o.output = optarg; break;
		case OPT_LEDGER: o.ledger = optarg; break;
		case 'f': o.out_flags |= CX_OUT_FORCE; break;
		case 'v': verbose = 1; break;
		case 'h': fputs(usage_text, stdout); return CX_EXIT_OK;
		case OPT_VERSION: return cx_opt_version("cx-plan");
		case ':': return cx_diag_usage("option '%s' needs an argument", argv[optind - 1]);
		default: return cx_diag_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!have_date)
		return cx_diag_usage("missing required option --as-of");
	if (argc - optind > 1)
		return cx_diag_usage("too many arguments (one accounts stream at most)");
	o.input = optind < argc ? argv[optind] : "-";
	if (mo.dir && (o.explain || !o.output || !strcmp(o.output, "-") || !strcmp(o.input, "-")))
		return cx_diag_usage("--messages needs -o FILE and an ACCOUNTS file (not --explain)");
	if (o.ledger && o.explain)
		return cx_diag_usage("--ledger goes with a plan (not --explain)");
	o.explain_out = stdout;
	for (int i = 0; i < 2; i++) {
		const char *p = i ? o.ledger : o.output;
		const char *ins[4];
		size_t n = 0;
		if (!p || !strcmp(p, "-"))
			continue;
		ins[n++] = o.input;
		if (o.contacts) ins[n++] = o.contacts;
		if (o.payments) ins[n++] = o.payments;
		if (cx_output_check_not_input(p, ins, n, &err) < 0) {
			cx_diag_error(&err);
			return cx_exit_status(err.code);
		}
	}
	if (verbose && !(ledger = cx_ledger_new())) {
		cx_diag("out of memory");
		return CX_EXIT_SOFTWARE;
	}
	if (mo.dir) {
		/* template errors stop the run before anything is written */
		struct cx_msg_set *ts = NULL;
		if ((rc = cx_msg_set_load(mo.templates, &ts, &err)) < 0) {
			cx_diag_error(&err);
			cx_ledger_free(ledger);
			return cx_exit_status(rc);
		}
		cx_msg_set_free(ts);
	}
	rc = cx_plan_run(&o, ledger, &err);
	if (rc < 0) {
		cx_diag_error(&err);
		cx_ledger_free(ledger);
		return cx_exit_status(rc);
	}
	if (mo.dir) {
		mo.plan = o.output;
		mo.accounts = o.input;
		mo.as_of = o.as_of;
		mo.out_flags = o.out_flags;
		mo.stats = &ms;
		if ((rc = cx_msg_dispatch(&mo, &err)) < 0) {
			cx_diag_error(&err);
			cx_ledger_free(ledger);
			return cx_exit_status(rc);
		}
		if (verbose)
			fprintf(stderr, "messages: %zu planned, %zu sms, %zu whatsapp, %zu email, "
			        "%zu calls, %zu ivr, %zu letters, %zu rejected\n", ms.planned,
			        ms.written[CX_MSG_OUT_SMS], ms.written[CX_MSG_OUT_WHATSAPP],
			        ms.written[CX_MSG_OUT_EMAIL], ms.written[CX_MSG_OUT_CALLS],
			        ms.written[CX_MSG_OUT_IVR], ms.written[CX_MSG_OUT_LETTER], ms.rejected);
	}
	if (ledger)
		cx_ledger_print(ledger, stderr);
	cx_ledger_free(ledger);
	return mo.dir && ms.rejected ? CX_EXIT_REJECTS : CX_EXIT_OK;
}
