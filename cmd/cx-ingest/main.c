/* cx-ingest — raw exports to the canonical cx streams.  See cx-ingest(1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_ingest.h"
#include "cx_io.h"
#include "cx_money.h"
#include "cx_norm.h"
#include "cx_opt.h"
#include "cx_pseudo.h"
#include "cx_utf8.h"

static const char usage_text[] =
"usage: cx-ingest --kind accounts|payments|contacts|statements|table [options] [FILE...]\n"
"       cx-ingest --merge --kind payments|contacts|statements [-o FILE] [--ledger FILE] FILE...\n"
"Turn raw CSV exports into a canonical TSV stream (stdin when no FILE).\n"
"  -k, --kind KIND            kind of export (required)\n"
"  -o, --output FILE          write to FILE atomically (default stdout)\n"
"  -f, --force                replace existing output, rejects and ledger files\n"
"      --rejects FILE         write rejected records (file, line, reason, record)\n"
"      --ledger FILE          write the control totals (measure, currency, value)\n"
"      --max-rejects N        exit 2 when more than N records are rejected\n"
"      --map CANON=RAW,...    map raw column names explicitly (repeatable)\n"
"      --map-file FILE        mappings, one CANON=RAW per line\n"
"  -d, --delimiter C          ',', ';', '|' or 'tab' (default: detect)\n"
"      --tsv                  tab-separated without quoting\n"
"      --encoding ENC         utf-8 (default) or cp1252\n"
"      --decimal-comma        amounts like 1.234,56\n"
"      --date-format ORDER    iso (default), dmy or mdy\n"
"      --allow-trailing-delimiter  ignore an empty last header column\n"
"      --source NAME          source system label (default: column or file name)\n"
"      --country CC           default country (phones, empty country cells)\n"
"      --currency CODE        default currency (absent or empty currency cells)\n"
"      --tz-offset +HH:MM     UTC offset of contact timestamps without one\n"
"      --link KEYS            link accounts by id,email,phone (default id)\n"
"      --as-of YYYY-MM-DD     run date for days past due and buckets\n"
"      --buckets B1,B2,...    aging bucket bounds (default 30,60,90,120,180)\n"
"      --accounts FILE        canonical accounts stream (customer keys of events)\n"
"      --merge                merge event streams cx-ingest wrote (each sorted)\n"
"                             into one, as if their sources were ingested together\n"
"      --pseudonymise KEYFILE replace national ids, emails and phones by keyed\n"
"                             pseudonyms (key file: 32+ bytes, mode 0600)\n"
"      --memory SIZE          memory for grouping before spilling (default 512M)\n"
"      --tmpdir DIR           directory for spill files (default $TMPDIR or /tmp)\n"
"      --max-field-bytes SIZE   (default 1M)\n"
"      --max-record-bytes SIZE  (default 8M)\n"
"      --max-columns N          (default 4096)\n"
"      --max-input-bytes SIZE   decompressed bytes per input (default 20G)\n"
"  -v, --verbose              print the ledger to stderr\n"
"  -h, --help                 show this help\n"
"  -V, --version              show the version\n";

enum { O_REJECTS = 256, O_LEDGER, O_MAXREJ, O_MAP, O_MAPFILE, O_TSV, O_ENC, O_DECCOMMA,
       O_DATEFMT, O_TRAIL, O_SOURCE, O_COUNTRY, O_CURRENCY, O_TZOFF, O_LINK, O_ASOF,
       O_BUCKETS, O_ACCOUNTS, O_MEMORY, O_TMPDIR, O_MAXFIELD, O_MAXREC, O_MAXCOLS,
       O_MAXIN, O_PSEUDO, O_MERGE };

static const struct option longopts[] = {
	{ "kind", required_argument, NULL, 'k' }, { "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' }, { "rejects", required_argument, NULL, O_REJECTS },
	{ "ledger", required_argument, NULL, O_LEDGER },
	{ "max-rejects", required_argument, NULL, O_MAXREJ },
	{ "map", required_argument, NULL, O_MAP }, { "map-file", required_argument, NULL, O_MAPFILE },
	{ "delimiter", required_argument, NULL, 'd' }, { "tsv", no_argument, NULL, O_TSV },
	{ "encoding", required_argument, NULL, O_ENC },
	{ "decimal-comma", no_argument, NULL, O_DECCOMMA },
	{ "date-format", required_argument, NULL, O_DATEFMT },
	{ "allow-trailing-delimiter", no_argument, NULL, O_TRAIL },
	{ "source", required_argument, NULL, O_SOURCE },
	{ "country", required_argument, NULL, O_COUNTRY },
	{ "currency", required_argument, NULL, O_CURRENCY },
	{ "tz-offset", required_argument, NULL, O_TZOFF }, { "link", required_argument, NULL, O_LINK },
	{ "as-of", required_argument, NULL, O_ASOF }, { "buckets", required_argument, NULL, O_BUCKETS },
	{ "accounts", required_argument, NULL, O_ACCOUNTS },
	{ "merge", no_argument, NULL, O_MERGE },
	{ "pseudonymise", required_argument, NULL, O_PSEUDO },
	{ "memory", required_argument, NULL, O_MEMORY }, { "tmpdir", required_argument, NULL, O_TMPDIR },
	{ "max-field-bytes", required_argument, NULL, O_MAXFIELD },
	{ "max-record-bytes", required_argument, NULL, O_MAXREC },
	{ "max-columns", required_argument, NULL, O_MAXCOLS },
	{ "max-input-bytes", required_argument, NULL, O_MAXIN },
	{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 }
};

#define MAX_SHOWN 20
struct rej_ctx { int print; unsigned long shown; };

static void on_reject(void *ctx, const char *file, long line, const char *reason)
{
	struct rej_ctx *rc = ctx;
	struct cx_error e;

	if (!rc->print || rc->shown++ >= MAX_SHOWN)
		return;
	cx_error_set(&e, CX_EDATA, file, line, "%s", reason);
	cx_diag_error(&e);
}

static int parse_offset(const char *s, int *out)
{
	int sign, h, m;

	if (strcmp(s, "Z") == 0) {
		*out = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (sscanf(s + 1, "%2d:%2d", &h, &m) != 2 || h > 14 || m > 59)
		return -1;
	*out = sign * (h * 60 + m);
	return 0;
}

static int size_opt(const char *name, const char *arg, uint64_t *v)
{
	if (cx_opt_size(arg, v) < 0 || *v == 0)
		return cx_diag_usage("bad %s '%s' (a size such as 512M)", name, arg);
	return 0;
}

int main(int argc, char **argv)
{
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_colmap_spec map;
	struct cx_error err;
	struct rej_ctx rctx = { 0 };
	int c, verbose = 0, rc, have_kind = 0, status, merge = 0, li;
	/* first option --merge does not take, for its usage error */
	char not_merge[40] = "";
	const char *keyfile = NULL;
	struct cx_pseudo *pseudo = NULL;
	uint64_t v;
	long l;

	cx_diag_init("cx-ingest");
	cx_io_install_signal_cleanup();
	cx_ingest_opts_init(&o);
	cx_colmap_spec_init(&map);
	cx_error_clear(&err);
	o.map = &map;
	while ((c = getopt_long(argc, argv, "k:o:fd:vhV", longopts, (li = -1, &li))) != -1) {
		rc = 0;
		if (!not_merge[0] && c != 'k' && c != 'o' && c != 'f' && c != O_LEDGER &&
		    c != O_MAXIN && c != O_MERGE && c != 'v' && c != 'h' && c != 'V' && c != '?') {
			if (li >= 0)
				snprintf(not_merge, sizeof not_merge, "--%s", longopts[li].name);
			else
				snprintf(not_merge, sizeof not_merge, "-%c", c);
		}
		switch (c) {
		case 'k':
			if ((rc = cx_kind_parse(optarg)) < 0)
				return cx_diag_usage("unknown --kind '%s'", optarg);
			o.kind = (enum cx_kind)rc;
			have_kind = 1;
			rc = 0;
			break;
		case 'o': o.output = optarg; break;
		case 'f': o.force = 1; break;
		case O_REJECTS: o.rejects = optarg; break;
		case O_LEDGER: o.ledger = optarg; break;
		case O_MAXREJ:
			if (cx_opt_long(optarg, 0, 2000000000L, &o.max_rejects) < 0)
				return cx_diag_usage("bad --max-rejects '%s'", optarg);
			break;
		case O_MAP:
			if (cx_colmap_spec_parse(&map, optarg, NULL, 0, &err) < 0)
				return cx_diag_usage("%s", err.msg);
			break;
		case O_MAPFILE:
			if ((rc = cx_colmap_spec_load(&map, optarg, &err)) < 0) {
				cx_diag_error(&err);
				return cx_exit_status(rc);
			}
			break;
		case 'd':
			if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0 ||
			    strcmp(optarg, "\t") == 0)
				o.delim = '\t';
			else if (strlen(optarg) == 1 && strchr(",;|", optarg[0]))
				o.delim = optarg[0];
			else
				return cx_diag_usage("bad --delimiter '%s' (',', ';', '|' or 'tab')", optarg);
			break;
		case O_TSV: o.tsv = 1; break;
		case O_ENC:
			if ((o.encoding = cx_encoding_parse(optarg)) < 0)
				return cx_diag_usage("unknown --encoding '%s' (utf-8 or cp1252)", optarg);
			break;
		case O_DECCOMMA: o.decimal_comma = 1; break;
		case O_DATEFMT:
			if (strcmp(optarg, "iso") == 0) o.date_order = CX_DATE_ISO;
			else if (strcmp(optarg, "dmy") == 0) o.date_order = CX_DATE_DMY;
			else if (strcmp(optarg, "mdy") == 0) o.date_order = CX_DATE_MDY;
			else return cx_diag_usage("bad --date-format '%s' (iso, dmy or mdy)", optarg);
			break;
		case O_TRAIL: map.allow_trailing_empty = 1; break;
		case O_SOURCE: {
			char tmp[80];
			const char *why;
			if (strlen(optarg) > 64 || cx_norm_id(optarg, strlen(optarg), tmp, sizeof tmp, &why) < 0)
				return cx_diag_usage("bad --source '%s' ([A-Za-z0-9._-], at most 64)", optarg);
			o.source = optarg;
			break;
		}
		case O_COUNTRY:
			if (!(o.country = cx_norm_country(optarg, strlen(optarg))))
				return cx_diag_usage("unknown --country '%s'", optarg);
			break;
		case O_CURRENCY:
			if (strlen(optarg) != 3 || cx_currency_exponent(optarg, 3) < 0)
				return cx_diag_usage("unknown --currency '%s' (an ISO 4217 code such as COP)", optarg);
			o.currency = optarg;
			break;
		case O_TZOFF:
			if (parse_offset(optarg, &o.tz_offset_min) < 0)
				return cx_diag_usage("bad --tz-offset '%s' (+HH:MM, -HH:MM or Z)", optarg);
			break;
		case O_LINK:
			if (cx_ingest_parse_link(optarg, &o.link) < 0)
				return cx_diag_usage("bad --link '%s' (id, email, phone, none)", optarg);
			break;
		case O_ASOF:
			if (cx_opt_date(optarg, &o.as_of) < 0)
				return cx_diag_usage("bad --as-of '%s' (YYYY-MM-DD)", optarg);
			break;
		case O_BUCKETS:
			if (cx_ingest_parse_buckets(&o, optarg) < 0)
				return cx_diag_usage("bad --buckets '%s' (increasing days, e.g. 30,60,90)", optarg);
			break;
		case O_ACCOUNTS: o.accounts = optarg; break;
		case O_MERGE: merge = 1; break;
		case O_PSEUDO: keyfile = optarg; break;
		case O_MEMORY: rc = size_opt("--memory", optarg, &o.memory); break;
		case O_TMPDIR: o.tmpdir = optarg; break;
		case O_MAXFIELD: rc = size_opt("--max-field-bytes", optarg, &v); o.max_field_bytes = (size_t)v; break;
		case O_MAXREC: rc = size_opt("--max-record-bytes", optarg, &v); o.max_record_bytes = (size_t)v; break;
		case O_MAXCOLS:
			if (cx_opt_long(optarg, 1, 1000000, &l) < 0)
				return cx_diag_usage("bad --max-columns '%s'", optarg);
			o.max_columns = (size_t)l;
			break;
		case O_MAXIN: rc = size_opt("--max-input-bytes", optarg, &o.max_input_bytes); break;
		case 'v': verbose = 1; break;
		case 'h': fputs(usage_text, stdout); return fflush(stdout) ? CX_EXIT_IOERR : CX_EXIT_OK;
		case 'V': return cx_opt_version("cx-ingest");
		default: return cx_diag_usage("bad option");
		}
		if (rc)
			return rc;
	}
	if (!have_kind)
		return cx_diag_usage("--kind is required (accounts, payments, contacts, statements, table)");
	if (merge && (o.kind == CX_KIND_ACCOUNTS || o.kind == CX_KIND_TABLE))
		return cx_diag_usage("--merge is for payments, contacts and statements");
	if (merge && not_merge[0])
		return cx_diag_usage("--merge copies rows as they are: %s does not apply", not_merge);
	if (o.accounts && (o.kind == CX_KIND_ACCOUNTS || o.kind == CX_KIND_TABLE))
		return cx_diag_usage("--accounts is for payments, contacts and statements");
	if (keyfile) {
		if ((rc = cx_pseudo_open(&pseudo, keyfile, &err)) < 0) {
			cx_diag_error(&err);
			cx_colmap_spec_free(&map);
			return cx_exit_status(rc);
		}
		o.pseudo = pseudo;
	}
	o.inputs = (const char *const *)argv + optind;
	o.ninputs = (size_t)(argc - optind);
	rctx.print = o.rejects == NULL;
	o.on_reject = on_reject;
	o.ctx = &rctx;
	rc = merge ? cx_ingest_merge(&o, &res, &err) : cx_ingest_run(&o, &res, &err);
	if (verbose && res.ledger && rc >= 0)
		cx_ledger_print(res.ledger, stderr);
	cx_ledger_free(res.ledger);
	cx_colmap_spec_free(&map);
	cx_pseudo_free(pseudo);
	if (rc < 0) {
		cx_diag_error(&err);
		return cx_exit_status(rc);
	}
	status = CX_EXIT_OK;
	if (res.rows_rejected) {
		if (o.rejects)
			cx_diag("%llu record%s rejected (see '%s')", (unsigned long long)res.rows_rejected,
			        res.rows_rejected == 1 ? "" : "s", o.rejects);
		else if (res.rows_rejected > MAX_SHOWN)
			cx_diag("%llu records rejected (the first %d shown; use --rejects FILE)",
			        (unsigned long long)res.rows_rejected, MAX_SHOWN);
		else
			cx_diag("%llu record%s rejected", (unsigned long long)res.rows_rejected,
			        res.rows_rejected == 1 ? "" : "s");
		status = CX_EXIT_REJECTS;
	}
	if (res.over_budget) {
		cx_diag("more than %ld records rejected (--max-rejects)", o.max_rejects);
		status = CX_EXIT_REJECT_BUDGET;
	}
	return status;
}
