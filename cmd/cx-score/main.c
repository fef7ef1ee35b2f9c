/* cx-score — behaviour scorecard: score, train, evaluate (see cx-score(1)). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_opt.h"
#include "cx_score.h"
#include "cx_score_model.h"
#include "cx_tsv.h"

static const char usage_text[] =
	"Usage: cx-score [--model FILE] --as-of DATE [--payments FILE] [--statements FILE]\n"
	"                [--contacts FILE] [--shard K/N] [-o FILE] [--ledger FILE] [-f]\n"
	"                [ACCOUNTS]\n"
	"       cx-score --train --target COLUMN [--features LIST] [--exclude LIST]\n"
	"                [--holdout SHARE] [--seed N] [--min-bin SHARE]\n"
	"                [--l2 LAMBDA] [--min-iv IV] [--note TEXT] -o MODEL [INPUT]\n"
	"       cx-score --eval --target COLUMN [--model FILE] [INPUT]\n"
	"Score customers with a scorecard, train one, or evaluate one.\n"
	"\n"
	"  -m, --model FILE        scorecard model file (default: the built-in model)\n"
	"      --as-of DATE        run date YYYY-MM-DD (required for collections features)\n"
	"      --payments FILE     payments stream sorted by customer_key\n"
	"      --statements FILE   statements stream sorted by customer_key\n"
	"      --contacts FILE     contacts stream sorted by customer_key\n"
	"      --shard K/N         score only the customers of shard K of N (the rows\n"
	"                          cx-shard -n N -k K keeps), in every input\n"
	"      --train             train a scorecard and write the model file\n"
	"      --eval              write AUC, KS, Gini, bands, calibration and PSI as TSV\n"
	"  -t, --target COLUMN     label column (a cell equal to --bad-value is bad)\n"
	"      --bad-value VALUE   the bad outcome's value (default 1)\n"
	"      --label-from-payments FILE\n"
	"                          label customers from payments after --as-of instead\n"
	"      --label-days N      days after --as-of for that label (default 30)\n"
	"      --features LIST     table mode: comma-separated feature columns\n"
	"      --exclude LIST      features or columns not to use in training\n"
	"      --holdout SHARE     share of each class held out for testing (default 0)\n"
	"      --seed N            seed of the holdout split (default 20051001)\n"
	"      --min-bin SHARE     minimum bin size as a share of training rows (default 0.05)\n"
	"      --l2 LAMBDA         L2 penalty of the logistic regression (default 1)\n"
	"      --min-iv IV         minimum information value to keep a feature (default 0.02)\n"
	"      --note TEXT         note stored in the model file\n"
	"  -o, --output FILE       output file (default standard output)\n"
	"      --ledger FILE       scoring: write the control totals (rows, customers,\n"
	"                          balance per currency in and out; measure, currency, value)\n"
	"  -f, --force             replace an existing output and ledger file\n"
	"  -v, --verbose           print the model's figures after training\n"
	"  -h, --help              print this help and exit\n"
	"  -V, --version           print the version and exit\n";

enum { O_ASOF = 256, O_PAY, O_STMT, O_CON, O_TRAIN, O_EVAL, O_BADV, O_LABEL, O_LDAYS,
       O_FEAT, O_EXCL, O_HOLD, O_SEED, O_MINBIN, O_L2, O_MINIV, O_NOTE, O_LEDGER, O_SHARD };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "as-of", required_argument, NULL, O_ASOF },
	{ "payments", required_argument, NULL, O_PAY },
	{ "statements", required_argument, NULL, O_STMT },
	{ "contacts", required_argument, NULL, O_CON },
	{ "shard", required_argument, NULL, O_SHARD },
	{ "train", no_argument, NULL, O_TRAIN },
	{ "eval", no_argument, NULL, O_EVAL },
	{ "target", required_argument, NULL, 't' },
	{ "bad-value", required_argument, NULL, O_BADV },
	{ "label-from-payments", required_argument, NULL, O_LABEL },
	{ "label-days", required_argument, NULL, O_LDAYS },
	{ "features", required_argument, NULL, O_FEAT },
	{ "exclude", required_argument, NULL, O_EXCL },
	{ "holdout", required_argument, NULL, O_HOLD },
	{ "seed", required_argument, NULL, O_SEED },
	{ "min-bin", required_argument, NULL, O_MINBIN },
	{ "l2", required_argument, NULL, O_L2 },
	{ "min-iv", required_argument, NULL, O_MINIV },
	{ "note", required_argument, NULL, O_NOTE },
	{ "output", required_argument, NULL, 'o' },
	{ "ledger", required_argument, NULL, O_LEDGER },
	{ "force", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int
real_opt(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cx_score_opts o;
	struct cx_error err = { 0 };
	long n;
	int c;

	cx_diag_init("cx-score");
	cx_io_install_signal_cleanup();
	cx_score_opts_init(&o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:t:o:fvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': o.model = optarg; break;
		case O_ASOF:
			if (cx_opt_date(optarg, &o.as_of) < 0)
				return cx_diag_usage("'--as-of' needs a date YYYY-MM-DD");
			o.has_as_of = 1;
			break;
		case O_PAY: o.payments = optarg; break;
		case O_STMT: o.statements = optarg; break;
		case O_CON: o.contacts = optarg; break;
		case O_SHARD:
			if (cx_opt_shard(optarg, CX_TSV_MAX_SHARDS, &o.shard_k, &o.shard_n) < 0)
				return cx_diag_usage("'--shard' needs K/N: shard K (0 to N-1) of N (1 to %d)",
				                     CX_TSV_MAX_SHARDS);
			break;
		case O_TRAIN: o.mode = CX_SCORE_TRAIN; break;
		case O_EVAL: o.mode = CX_SCORE_EVAL; break;
		case 't': o.target = optarg; break;
		case O_BADV: o.bad_value = optarg; break;
		case O_LABEL: o.label_payments = optarg; break;
		case O_LDAYS:
			if (cx_opt_long(optarg, 1, 3660, &o.label_days) < 0)
				return cx_diag_usage("'--label-days' needs a number of days from 1 to 3660");
			break;
		case O_FEAT: o.features = optarg; break;
		case O_EXCL: o.exclude = optarg; break;
		case O_HOLD:
			if (real_opt(optarg, 0, 0.9, &o.holdout) < 0)
				return cx_diag_usage("'--holdout' needs a share from 0 to 0.9");
			break;
		case O_SEED:
			if (cx_opt_long(optarg, 0, 2147483647L, &n) < 0)
				return cx_diag_usage("'--seed' needs a number from 0 to 2147483647");
			o.seed = (uint64_t)n;
			break;
		case O_MINBIN:
			if (real_opt(optarg, 0.001, 0.5, &o.min_bin) < 0)
				return cx_diag_usage("'--min-bin' needs a share from 0.001 to 0.5");
			break;
		case O_L2:
			if (real_opt(optarg, 0, 1e6, &o.l2) < 0)
				return cx_diag_usage("'--l2' needs a number from 0 to 1000000");
			break;
		case O_MINIV:
			if (real_opt(optarg, 0, 10, &o.min_iv) < 0)
				return cx_diag_usage("'--min-iv' needs a number from 0 to 10");
			break;
		case O_NOTE: o.note = optarg; break;
		case 'o': o.output = optarg; break;
		case O_LEDGER: o.ledger = optarg; break;
		case 'f': o.force = 1; break;
		case 'v': o.verbose = 1; break;
		case 'h': fputs(usage_text, stdout); return CX_EXIT_OK;
		case 'V': return cx_opt_version("cx-score");
		case ':': return cx_diag_usage("option '%s' needs a value", argv[optind - 1]);
		default: return cx_diag_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cx_diag_usage("at most one input file");
	o.input = optind < argc ? argv[optind] : "-";
	if (o.mode == CX_SCORE_TRAIN && !o.output)
		return cx_diag_usage("'--train' needs '-o MODEL'");
	if (o.mode == CX_SCORE_APPLY && (o.target || o.features))
		return cx_diag_usage("'--target' and '--features' need '--train' or '--eval'");
	if (o.mode != CX_SCORE_TRAIN && o.exclude)
		return cx_diag_usage("'--exclude' needs '--train'");
	if (o.mode != CX_SCORE_TRAIN && o.holdout > 0)
		return cx_diag_usage("'--holdout' needs '--train'");
	if (o.ledger && o.mode != CX_SCORE_APPLY)
		return cx_diag_usage("'--ledger' goes with scoring (not '--train' or '--eval')");
	if (o.ledger) {
		const char *in[4];
		size_t nin = 0;
		if (strcmp(o.input, "-") != 0) in[nin++] = o.input;
		if (o.payments) in[nin++] = o.payments;
		if (o.statements) in[nin++] = o.statements;
		if (o.contacts) in[nin++] = o.contacts;
		if (cx_output_check_not_input(o.ledger, in, nin, &err) < 0) {
			cx_diag_error(&err);
			return cx_exit_status(err.code);
		}
	}
	if (cx_score_run(&o, &err) < 0) {
		if (err.code == CX_EUSAGE)
			return cx_diag_usage("%s", err.msg);
		cx_diag_error(&err);
		return cx_exit_status(err.code);
	}
	if (o.verbose && o.mode == CX_SCORE_TRAIN && strcmp(o.output, "-") != 0) {
		struct cx_sc_model *m = cx_sc_model_load(o.output, &err);
		for (size_t i = 0; m && i < m->nmeta; i++)
			cx_diag("%s: %s", m->meta[i].key, m->meta[i].value);
		if (m)
			cx_diag("%zu characteristics", m->nchars);
		cx_sc_model_free(m);
	}
	return CX_EXIT_OK;
}
