/* cx_rules — lexer, parser, checker, compiler and evaluator of the rule
 * language.  See cx_rules.h for the contract and cx-rules(5) for the
 * language reference. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_hash.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_rules.h"
#include "cx_schema.h"

/* ---- types ----------------------------------------------------------- */

enum ty { TY_BOOL, TY_NUM, TY_MONEY, TY_STR, TY_DATE, TY_SET };
enum vocab { VO_NONE, VO_FLAGS, VO_CHANNELS, VO_TEXT };

static const char *const ty_names[] = { "condition", "number", "money", "text", "date", "set" };

const char *const cx_treatment_names[] = {
	"none", "hardship_care", "reminder_predue", "reminder_soft", "digital_standard",
	"payment_plan", "firm", "settlement", "agency", NULL
};

struct colinfo {
	const char *name;
	unsigned char ty, vocab, pii;
};

/* Typed columns of the canonical accounts stream and of cx-score.  Any
 * other input column is text. */
static const struct colinfo known_cols[] = {
	{ "customer_key", TY_STR, 0, 0 }, { "account_id", TY_STR, 0, 0 },
	{ "source", TY_STR, 0, 0 }, { "source_customer_id", TY_STR, 0, 1 },
	{ "national_id", TY_STR, 0, 1 }, { "name", TY_STR, 0, 1 },
	{ "email", TY_STR, 0, 1 }, { "phone", TY_STR, 0, 1 },
	{ "country", TY_STR, 0, 0 }, { "timezone", TY_STR, 0, 0 },
	{ "language", TY_STR, 0, 0 }, { "product", TY_STR, 0, 0 },
	{ "currency", TY_STR, 0, 0 }, { "balance", TY_MONEY, 0, 0 },
	{ "past_due", TY_MONEY, 0, 0 }, { "minimum_due", TY_MONEY, 0, 0 },
	{ "credit_limit", TY_MONEY, 0, 0 }, { "due_date", TY_DATE, 0, 0 },
	{ "days_past_due", TY_NUM, 0, 0 }, { "bucket", TY_STR, 0, 0 },
	{ "open_date", TY_DATE, 0, 0 }, { "last_payment_date", TY_DATE, 0, 0 },
	{ "last_payment_amount", TY_MONEY, 0, 0 }, { "flags", TY_SET, VO_FLAGS, 0 },
	{ "consents", TY_SET, VO_CHANNELS, 0 }, { "preferred_channel", TY_STR, 0, 0 },
	{ "preferred_hours", TY_STR, 0, 0 }, { "score", TY_NUM, 0, 0 },
	{ "p_pay", TY_NUM, 0, 0 }, { "capacity", TY_NUM, 0, 0 },
	{ "willingness", TY_NUM, 0, 0 }, { "reasons", TY_STR, 0, 0 },
};
#define N_KNOWN (sizeof known_cols / sizeof known_cols[0])

enum agg {
	AG_ACCOUNTS, AG_TOTAL_BALANCE, AG_TOTAL_PAST_DUE, AG_TOTAL_MIN_DUE, AG_WORST_DPD,
	AG_BEST_DPD, AG_EARLIEST_DUE, AG_PRODUCTS, AG_N_PRODUCTS, AG_CURRENCIES,
	AG_N_CURRENCIES, AG_FLAGS, AG_CONSENTS, AG_COUNT
};

static const struct { const char *name; unsigned char ty, vocab; } aggs[AG_COUNT] = {
	{ "accounts", TY_NUM, 0 }, { "total_balance", TY_MONEY, 0 },
	{ "total_past_due", TY_MONEY, 0 }, { "total_minimum_due", TY_MONEY, 0 },
	{ "worst_dpd", TY_NUM, 0 }, { "best_dpd", TY_NUM, 0 },
	{ "earliest_due", TY_DATE, 0 }, { "products", TY_SET, VO_TEXT },
	{ "n_products", TY_NUM, 0 }, { "currencies", TY_SET, VO_TEXT },
	{ "n_currencies", TY_NUM, 0 }, { "flags", TY_SET, VO_FLAGS },
	{ "consents", TY_SET, VO_CHANNELS },
};

static const char *const func_names[] = { "min", "max", "abs", "days", "date", "any", "all",
                                          "count", NULL };

/* Internal column roles the aggregates and the driver account need. */
enum role { R_DPD, R_PAST_DUE, R_BALANCE, R_MIN_DUE, R_CURRENCY, R_DUE_DATE, R_PRODUCT,
            R_FLAGS, R_CONSENTS, R_COUNT };
static const char *const role_col[R_COUNT] = { "days_past_due", "past_due", "balance",
	"minimum_due", "currency", "due_date", "product", "flags", "consents" };

/* ---- nodes ----------------------------------------------------------- */

enum op {
	OP_LIT, OP_COL, OP_AGG, OP_TODAY, OP_NEG, OP_NOT, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_AND, OP_OR, OP_IN, OP_NOTIN,
	OP_BETWEEN, OP_NOTBETWEEN, OP_MEMBER, OP_NOTMEMBER, OP_HAS_ANY, OP_HAS_ALL,
	OP_HAS_NONE, OP_MISSING, OP_PRESENT, OP_MIN, OP_MAX, OP_ABS, OP_DAYS, OP_QANY,
	OP_QALL, OP_QCOUNT
};

struct val {
	unsigned char ty, miss;
	signed char exp;           /* money: currency exponent */
	char ccy[3];               /* money: currency code ("" for a bare number) */
	union {
		double n;
		int64_t m;
		cx_day d;
		int b;
		struct { const char *p; size_t n; } s;
	} u;
};

struct node {
	unsigned char op, ty, vocab;
	int a, b, c;               /* children (-1 none) */
	int kid0, nkids;           /* list children in P->kids */
	int slot;                  /* OP_COL: cache slot; OP_AGG: agg id */
	int line, col;             /* position for messages */
	size_t s0, s1;             /* source span (explain) */
	struct val lit;            /* OP_LIT */
};

struct slot {
	int col;                   /* input column index */
	unsigned char ty, vocab, pii;
	int ccy_slot;              /* money: slot of the currency column */
	char *name;
};

struct arm {
	char *name;
	int lo, hi;                /* bucket range [lo, hi) */
	char *treatment;           /* NULL: the rule's own */
};

struct experiment {
	char *name, *salt;
	size_t saltlen;
	struct arm *arms;
	size_t narms;
	int line;
};

struct rule {
	char *id, *segment, *treatment;
	int cond;                  /* root node */
	int line;
	int catch_all;
	int exp;                   /* experiment index or -1 */
};

struct cacheent {
	uint32_t gen;
	struct val v;
};

struct cx_rules {
	char *name;
	cx_day today;
	struct node *nodes;
	size_t nnodes, capnodes;
	int *kids;
	size_t nkids, capkids;
	struct slot *slots;
	size_t nslots, capslots;
	struct rule *rules;
	size_t nrules, caprules;
	struct experiment *exps;
	size_t nexps, capexps;
	int role_slot[R_COUNT];
	char *src;                 /* copy of the source for explain */
	size_t srclen;
	/* per-customer evaluation state */
	const struct cx_rules_customer *cust;
	uint32_t gen;
	struct cacheent *cache;    /* rows x nslots */
	size_t cache_rows;
	int driver;                /* -1 = not computed */
	unsigned agg_done;
	struct val aggv[AG_COUNT];
	char *setbuf;              /* unions of sets */
	size_t setcap;
	struct cx_error *err;
	int failed;
	size_t bad_row;
	/* explain output */
	char *ex;
	size_t exlen, excap;
	int exfail;
};

/* ---- small helpers --------------------------------------------------- */

static int
grow(void **pp, size_t *cap, size_t need, size_t size)
{
	return cx_grow(pp, cap, need, size);
}

static int
levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64];
	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int cost = a[i - 1] != b[j - 1];
			int best = prev + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

struct suggest {
	const char *best;
	int dist;
};

static void
suggest_try(struct suggest *s, const char *word, const char *cand)
{
	int d = levenshtein(word, cand);
	size_t l = strlen(word);
	int limit = l <= 3 ? 1 : l <= 6 ? 2 : 3;
	if (d <= limit && d < s->dist) {
		s->dist = d;
		s->best = cand;
	}
}

/* ---- lexer ----------------------------------------------------------- */

enum tk { TK_EOF, TK_IDENT, TK_NUM, TK_STR, TK_LP, TK_RP, TK_COMMA, TK_PCT, TK_PLUS,
          TK_MINUS, TK_STAR, TK_SLASH, TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_BAD };

struct tok {
	enum tk k;
	const char *p;
	size_t n;
	int line, col;
	size_t off;
};

struct parser {
	struct cx_rules *P;
	const char *src;
	size_t len, pos;
	int line;
	size_t linestart;
	struct tok t;              /* current token */
	size_t prev_end;           /* end offset of the previous token */
	struct cx_error *err;
	int failed;
	const struct cx_rules_opts *opts;
	int quant;                 /* inside any()/all()/count() */
	int nest;                  /* recursion depth of the parser */
	char strbuf[4096];
};

static int
perr(struct parser *ps, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
perr(struct parser *ps, int line, int col, const char *fmt, ...)
{
	va_list ap;
	if (ps->failed)
		return -1;
	ps->failed = 1;
	va_start(ap, fmt);
	cx_error_vset(ps->err, CX_EDATA, NULL, 0, fmt, ap);
	va_end(ap);
	snprintf(ps->err->file, sizeof ps->err->file, "%.200s:%d:%d", ps->P->name, line, col);
	ps->err->line = 0;
	return -1;
}

static int
nomem(struct parser *ps)
{
	if (!ps->failed) {
		ps->failed = 1;
		cx_error_set(ps->err, CX_ENOMEM, ps->P->name, 0, "out of memory compiling rules");
	}
	return -1;
}

static int
is_ident0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static void
lex(struct parser *ps)
{
	const char *s = ps->src;
	struct tok *t = &ps->t;
	if (t->k != TK_EOF || ps->pos == 0)
		ps->prev_end = t->off + t->n;
again:
	while (ps->pos < ps->len) {
		char c = s[ps->pos];
		if (c == '\n') {
			ps->pos++;
			ps->line++;
			ps->linestart = ps->pos;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			ps->pos++;
		} else if (c == '#') {
			while (ps->pos < ps->len && s[ps->pos] != '\n')
				ps->pos++;
		} else {
			break;
		}
	}
	t->line = ps->line;
	t->col = (int)(ps->pos - ps->linestart) + 1;
	t->off = ps->pos;
	t->p = s + ps->pos;
	t->n = 0;
	if (ps->pos >= ps->len) {
		t->k = TK_EOF;
		return;
	}
	unsigned char c = (unsigned char)s[ps->pos];
	size_t st = ps->pos;
	if (is_ident0(c)) {
		while (ps->pos < ps->len && (is_ident0((unsigned char)s[ps->pos]) ||
		                             is_digit((unsigned char)s[ps->pos])))
			ps->pos++;
		t->k = TK_IDENT;
	} else if (is_digit(c)) {
		while (ps->pos < ps->len && is_digit((unsigned char)s[ps->pos]))
			ps->pos++;
		if (ps->pos + 1 < ps->len && s[ps->pos] == '.' && is_digit((unsigned char)s[ps->pos + 1])) {
			ps->pos++;
			while (ps->pos < ps->len && is_digit((unsigned char)s[ps->pos]))
				ps->pos++;
		}
		t->k = TK_NUM;
	} else if (c == '\'' || c == '"') {
		ps->pos++;
		while (ps->pos < ps->len && s[ps->pos] != (char)c && s[ps->pos] != '\n')
			ps->pos++;
		if (ps->pos >= ps->len || s[ps->pos] != (char)c) {
			t->k = TK_BAD;
			t->n = ps->pos - st;
			perr(ps, t->line, t->col, "unterminated string (a quote is missing before the end of the line)");
			return;
		}
		ps->pos++;
		t->k = TK_STR;
	} else {
		ps->pos++;
		char d = ps->pos < ps->len ? s[ps->pos] : 0;
		switch (c) {
		case '(': t->k = TK_LP; break;
		case ')': t->k = TK_RP; break;
		case ',': t->k = TK_COMMA; break;
		case '%': t->k = TK_PCT; break;
		case '+': t->k = TK_PLUS; break;
		case '-': t->k = TK_MINUS; break;
		case '*': t->k = TK_STAR; break;
		case '/': t->k = TK_SLASH; break;
		case '=':
			t->k = TK_EQ;
			if (d == '=')
				ps->pos++;
			break;
		case '!':
			if (d == '=') {
				ps->pos++;
				t->k = TK_NE;
			} else {
				t->k = TK_BAD;
			}
			break;
		case '<':
			t->k = TK_LT;
			if (d == '=') {
				ps->pos++;
				t->k = TK_LE;
			} else if (d == '>') {
				ps->pos++;
				t->k = TK_NE;
			}
			break;
		case '>':
			t->k = TK_GT;
			if (d == '=') {
				ps->pos++;
				t->k = TK_GE;
			}
			break;
		case ';':
			goto again;
		default:
			t->k = TK_BAD;
		}
		if (t->k == TK_BAD) {
			t->n = ps->pos - st;
			if (c >= 0x20 && c < 0x7f)
				perr(ps, t->line, t->col, "unexpected character '%c'", c);
			else
				perr(ps, t->line, t->col, "unexpected byte 0x%02x", c);
			return;
		}
	}
	t->n = ps->pos - st;
}

static int
tok_is(const struct tok *t, const char *kw)
{
	size_t l = strlen(kw);
	return t->k == TK_IDENT && t->n == l && memcmp(t->p, kw, l) == 0;
}

static const char *const keywords[] = {
	"rule", "when", "otherwise", "segment", "treatment", "experiment", "salt", "segments",
	"rules", "arm", "and", "or", "not", "in", "between", "has", "is", "missing", "present",
	"true", "false", "today", NULL
};

static int
is_keyword(const struct tok *t)
{
	for (int i = 0; keywords[i]; i++)
		if (tok_is(t, keywords[i]))
			return 1;
	return 0;
}

static const char *
tok_text(struct parser *ps, const struct tok *t)
{
	size_t n = t->n < 60 ? t->n : 60;
	if (t->k == TK_EOF)
		return "end of file";
	memcpy(ps->strbuf, t->p, n);
	ps->strbuf[n] = 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)ps->strbuf[i] < 0x20 || (unsigned char)ps->strbuf[i] >= 0x7f)
			ps->strbuf[i] = '?';
	return ps->strbuf;
}

static int
expect_err(struct parser *ps, const char *what)
{
	if (ps->t.k == TK_EOF)
		return perr(ps, ps->t.line, ps->t.col, "expected %s, found end of file", what);
	return perr(ps, ps->t.line, ps->t.col, "expected %s, found '%s'", what, tok_text(ps, &ps->t));
}

/* ---- node construction ----------------------------------------------- */

static int
new_node(struct parser *ps, enum op op, unsigned char ty, const struct tok *at, size_t s0)
{
	struct cx_rules *P = ps->P;
	if (grow((void **)&P->nodes, &P->capnodes, P->nnodes + 1, sizeof *P->nodes))
		return nomem(ps);
	struct node *n = &P->nodes[P->nnodes];
	memset(n, 0, sizeof *n);
	n->op = (unsigned char)op;
	n->ty = ty;
	n->a = n->b = n->c = -1;
	n->kid0 = -1;
	n->slot = -1;
	n->line = at->line;
	n->col = at->col;
	n->s0 = s0;
	n->s1 = ps->prev_end > s0 ? ps->prev_end : s0;
	return (int)P->nnodes++;
}

static int
add_kid(struct parser *ps, int k)
{
	struct cx_rules *P = ps->P;
	if (grow((void **)&P->kids, &P->capkids, P->nkids + 1, sizeof *P->kids))
		return nomem(ps);
	P->kids[P->nkids++] = k;
	return 0;
}

#define ND(i) (ps->P->nodes[(i)])

/* ---- name resolution ------------------------------------------------- */

static const struct colinfo *
known_col(const char *name)
{
	for (size_t i = 0; i < N_KNOWN; i++)
		if (strcmp(known_cols[i].name, name) == 0)
			return &known_cols[i];
	return NULL;
}

/* Input index of a column name, or -1. */
static int
input_col(const struct parser *ps, const char *name)
{
	const struct cx_rules_opts *o = ps->opts;
	if (!o->columns) {
		for (size_t i = 0; i < N_KNOWN; i++)
			if (strcmp(known_cols[i].name, name) == 0)
				return (int)i;
		return -1;
	}
	for (size_t i = 0; i < o->ncolumns; i++)
		if (strcmp(o->columns[i], name) == 0)
			return (int)i;
	return -1;
}

static int
get_slot(struct parser *ps, int col, const char *name, unsigned char ty, unsigned char vocab,
         unsigned char pii)
{
	struct cx_rules *P = ps->P;
	for (size_t i = 0; i < P->nslots; i++)
		if (P->slots[i].col == col)
			return (int)i;
	if (grow((void **)&P->slots, &P->capslots, P->nslots + 1, sizeof *P->slots))
		return nomem(ps);
	struct slot *s = &P->slots[P->nslots];
	memset(s, 0, sizeof *s);
	s->col = col;
	s->ty = ty;
	s->vocab = vocab;
	s->pii = pii;
	s->ccy_slot = -1;
	s->name = cx_strdup(name);
	if (!s->name)
		return nomem(ps);
	P->nslots++;
	return (int)P->nslots - 1;
}

/* Slot of a column by name with its canonical type; -1 and an error when
 * the input lacks it.  `needed_by` names the aggregate or column that
 * needs it (NULL when the rule names the column itself). */
static int
col_slot(struct parser *ps, const char *name, const struct tok *at, const char *needed_by)
{
	const struct colinfo *ci = known_col(name);
	int col = input_col(ps, name);
	if (col < 0) {
		const char *hint = "";
		if (ci && (!strcmp(name, "score") || !strcmp(name, "p_pay") ||
		           !strcmp(name, "capacity") || !strcmp(name, "willingness") ||
		           !strcmp(name, "reasons")))
			hint = " (run cx-score before cx-segment)";
		if (needed_by)
			return perr(ps, at->line, at->col, "column '%s', needed by '%s', is not in the input%s",
			            name, needed_by, hint);
		return perr(ps, at->line, at->col, "column '%s' is not in the input%s", name, hint);
	}
	int s = get_slot(ps, col, name, ci ? ci->ty : TY_STR, ci ? ci->vocab : 0, ci ? ci->pii : 0);
	if (s < 0)
		return -1;
	if (ps->P->slots[s].ty == TY_MONEY && ps->P->slots[s].ccy_slot < 0) {
		int cs = col_slot(ps, "currency", at, ps->P->slots[s].name);
		if (cs < 0)
			return -1;
		ps->P->slots[s].ccy_slot = cs;
	}
	return s;
}

static int
need_roles(struct parser *ps, int ag, const struct tok *at)
{
	static const unsigned char need[AG_COUNT][3] = {
		[AG_ACCOUNTS] = { 0, 0, 0 },
		[AG_TOTAL_BALANCE] = { R_BALANCE + 1, R_CURRENCY + 1, 0 },
		[AG_TOTAL_PAST_DUE] = { R_PAST_DUE + 1, R_CURRENCY + 1, 0 },
		[AG_TOTAL_MIN_DUE] = { R_MIN_DUE + 1, R_CURRENCY + 1, 0 },
		[AG_WORST_DPD] = { R_DPD + 1, 0, 0 },
		[AG_BEST_DPD] = { R_DPD + 1, 0, 0 },
		[AG_EARLIEST_DUE] = { R_DUE_DATE + 1, 0, 0 },
		[AG_PRODUCTS] = { R_PRODUCT + 1, 0, 0 },
		[AG_N_PRODUCTS] = { R_PRODUCT + 1, 0, 0 },
		[AG_CURRENCIES] = { R_CURRENCY + 1, 0, 0 },
		[AG_N_CURRENCIES] = { R_CURRENCY + 1, 0, 0 },
		[AG_FLAGS] = { R_FLAGS + 1, 0, 0 },
		[AG_CONSENTS] = { R_CONSENTS + 1, 0, 0 },
	};
	for (int i = 0; i < 3; i++) {
		int r = need[ag][i];
		if (!r)
			continue;
		r--;
		if (ps->P->role_slot[r] >= 0)
			continue;
		int s = col_slot(ps, role_col[r], at, aggs[ag].name);
		if (s < 0)
			return -1;
		ps->P->role_slot[r] = s;
	}
	return 0;
}

/* Driver account lookups need days_past_due and past_due when present. */
static void
driver_roles(struct parser *ps)
{
	struct cx_rules *P = ps->P;
	if (P->role_slot[R_DPD] < 0 && input_col(ps, "days_past_due") >= 0)
		P->role_slot[R_DPD] = get_slot(ps, input_col(ps, "days_past_due"), "days_past_due",
		                               TY_NUM, 0, 0);
	if (P->role_slot[R_PAST_DUE] < 0 && input_col(ps, "past_due") >= 0 &&
	    input_col(ps, "currency") >= 0) {
		struct tok t = ps->t;
		P->role_slot[R_PAST_DUE] = col_slot(ps, "past_due", &t, NULL);
	}
}

static int
unknown_name(struct parser *ps, const struct tok *t, const char *name)
{
	struct suggest s = { NULL, 99 };
	for (size_t i = 0; i < N_KNOWN; i++)
		suggest_try(&s, name, known_cols[i].name);
	for (int i = 0; i < AG_COUNT; i++)
		suggest_try(&s, name, aggs[i].name);
	if (ps->opts->columns)
		for (size_t i = 0; i < ps->opts->ncolumns; i++)
			suggest_try(&s, name, ps->opts->columns[i]);
	for (int i = 0; func_names[i]; i++)
		suggest_try(&s, name, func_names[i]);
	if (s.best)
		return perr(ps, t->line, t->col, "unknown column '%s' (did you mean '%s'?)", name,
		            s.best);
	return perr(ps, t->line, t->col, "unknown column '%s'", name);
}

/* ---- values ---------------------------------------------------------- */

static struct val
v_missing(unsigned char ty)
{
	struct val v;
	memset(&v, 0, sizeof v);
	v.ty = ty;
	v.miss = 1;
	return v;
}

static struct val
v_bool(int b)
{
	struct val v;
	memset(&v, 0, sizeof v);
	v.ty = TY_BOOL;
	v.u.b = b;
	return v;
}

static struct val
v_num(double n)
{
	struct val v;
	memset(&v, 0, sizeof v);
	v.ty = TY_NUM;
	v.u.n = n;
	return v;
}

/* Parse a decimal number "-?[0-9]+(\.[0-9]+)?" exactly enough for doubles. */
static int
parse_num(const char *p, size_t n, double *out)
{
	size_t i = 0;
	int neg = 0;
	double v = 0;
	if (n && (p[0] == '-' || p[0] == '+')) {
		neg = p[0] == '-';
		i++;
	}
	if (i >= n || !is_digit((unsigned char)p[i]))
		return -1;
	uint64_t ip = 0;
	size_t nd = 0;
	for (; i < n && is_digit((unsigned char)p[i]); i++, nd++)
		ip = ip * 10 + (uint64_t)(p[i] - '0');
	if (nd > 18)
		return -1;
	v = (double)ip;
	if (i < n && p[i] == '.') {
		i++;
		uint64_t fp = 0;
		double scale = 1;
		size_t fd = 0;
		if (i >= n || !is_digit((unsigned char)p[i]))
			return -1;
		for (; i < n && is_digit((unsigned char)p[i]); i++, fd++) {
			if (fd < 18) {
				fp = fp * 10 + (uint64_t)(p[i] - '0');
				scale *= 10;
			}
		}
		v += (double)fp / scale;
	}
	if (i != n)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* ---- parser ---------------------------------------------------------- */

static int parse_expr(struct parser *ps);
static int parse_or(struct parser *ps);
#define MAX_NEST 64     /* parentheses, 'not' and '-' nesting */

static void
tok_name(const struct tok *t, char *buf, size_t sz)
{
	size_t n = t->n < sz - 1 ? t->n : sz - 1;
	memcpy(buf, t->p, n);
	buf[n] = 0;
}

static const char *
ty_name(const struct node *n)
{
	return ty_names[n->ty];
}

static int
type_err(struct parser *ps, const struct tok *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
type_err(struct parser *ps, const struct tok *at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return perr(ps, at->line, at->col, "%s", msg);
}

/* A literal string item of a has/in list checked against a vocabulary. */
static int
check_vocab(struct parser *ps, const struct tok *at, unsigned vocab, const char *item)
{
	const char *const *vo = vocab == VO_FLAGS ? cx_flag_names :
	                        vocab == VO_CHANNELS ? cx_channel_names : NULL;
	if (!vo)
		return 0;
	for (int i = 0; vo[i]; i++)
		if (strcmp(vo[i], item) == 0)
			return 0;
	struct suggest s = { NULL, 99 };
	for (int i = 0; vo[i]; i++)
		suggest_try(&s, item, vo[i]);
	const char *what = vocab == VO_FLAGS ? "flag" : "channel";
	if (s.best)
		return perr(ps, at->line, at->col, "unknown %s '%s' (did you mean '%s'?)", what,
		            item, s.best);
	return perr(ps, at->line, at->col, "unknown %s '%s'", what, item);
}

static int
str_lit(struct parser *ps, const struct tok *t, size_t s0)
{
	int n = new_node(ps, OP_LIT, TY_STR, t, s0);
	if (n < 0)
		return -1;
	const char *p = t->p;
	size_t len = t->n;
	if (t->k == TK_STR) {
		p++;
		len -= 2;
	}
	/* literal strings live in the copied source */
	ND(n).lit.ty = TY_STR;
	ND(n).lit.u.s.p = ps->P->src + (size_t)(p - ps->src);
	ND(n).lit.u.s.n = len;
	return n;
}

static int
parse_call(struct parser *ps, const struct tok *name, size_t s0)
{
	char fn[32];
	tok_name(name, fn, sizeof fn);
	lex(ps);                   /* past '(' */
	enum op op;
	if (!strcmp(fn, "date")) {
		if (ps->t.k != TK_STR)
			return expect_err(ps, "a date in quotes, as in date('2026-01-31')");
		struct tok st = ps->t;
		cx_day d;
		const char *why;
		if (cx_date_parse_iso(st.p + 1, st.n - 2, &d, &why) < 0)
			return perr(ps, st.line, st.col, "invalid date %s (expected YYYY-MM-DD)",
			            tok_text(ps, &st));
		lex(ps);
		if (ps->t.k != TK_RP)
			return expect_err(ps, "')'");
		lex(ps);
		int n = new_node(ps, OP_LIT, TY_DATE, name, s0);
		if (n < 0)
			return -1;
		ND(n).lit.ty = TY_DATE;
		ND(n).lit.u.d = d;
		return n;
	}
	if (!strcmp(fn, "any") || !strcmp(fn, "all") || !strcmp(fn, "count")) {
		if (ps->quant)
			return perr(ps, name->line, name->col, "%s() cannot be nested inside another any(), all() or count()", fn);
		ps->quant = 1;
		struct tok at = ps->t;
		int c = parse_expr(ps);
		ps->quant = 0;
		if (c < 0)
			return -1;
		if (ND(c).ty != TY_BOOL)
			return type_err(ps, &at, "%s() expects a condition, got %s", fn, ty_name(&ND(c)));
		if (ps->t.k != TK_RP)
			return expect_err(ps, "')'");
		lex(ps);
		op = !strcmp(fn, "any") ? OP_QANY : !strcmp(fn, "all") ? OP_QALL : OP_QCOUNT;
		int n = new_node(ps, op, op == OP_QCOUNT ? TY_NUM : TY_BOOL, name, s0);
		if (n < 0)
			return -1;
		ND(n).a = c;
		return n;
	}
	op = !strcmp(fn, "min") ? OP_MIN : !strcmp(fn, "max") ? OP_MAX :
	     !strcmp(fn, "abs") ? OP_ABS : OP_DAYS;
	int args[16], nargs = 0;
	struct tok argt[16];
	if (ps->t.k != TK_RP) {
		for (;;) {
			if (nargs == 16)
				return perr(ps, ps->t.line, ps->t.col, "too many arguments to %s()", fn);
			argt[nargs] = ps->t;
			int a = parse_expr(ps);
			if (a < 0)
				return -1;
			args[nargs++] = a;
			if (ps->t.k == TK_COMMA) {
				lex(ps);
				continue;
			}
			break;
		}
	}
	if (ps->t.k != TK_RP)
		return expect_err(ps, "',' or ')'");
	lex(ps);
	unsigned char ty;
	if (op == OP_ABS || op == OP_DAYS) {
		if (nargs != 1)
			return perr(ps, name->line, name->col, "%s() takes one argument, got %d", fn, nargs);
		ty = ND(args[0]).ty;
		if (op == OP_ABS && ty != TY_NUM && ty != TY_MONEY)
			return type_err(ps, &argt[0], "abs() expects a number or money, got %s", ty_names[ty]);
		if (op == OP_DAYS) {
			if (ty != TY_DATE)
				return type_err(ps, &argt[0], "days() expects a date, got %s", ty_names[ty]);
			ty = TY_NUM;
		}
	} else {
		if (nargs < 2)
			return perr(ps, name->line, name->col, "%s() takes two or more arguments, got %d", fn, nargs);
		ty = ND(args[0]).ty;
		if (ty != TY_NUM && ty != TY_MONEY && ty != TY_DATE)
			return type_err(ps, &argt[0], "%s() expects numbers, money or dates, got %s", fn, ty_names[ty]);
		for (int i = 1; i < nargs; i++) {
			unsigned char t2 = ND(args[i]).ty;
			if (t2 == ty)
				continue;
			if ((ty == TY_MONEY && t2 == TY_NUM) || (ty == TY_NUM && t2 == TY_MONEY)) {
				ty = TY_MONEY;
				continue;
			}
			return type_err(ps, &argt[i], "%s() arguments must have one type: %s and %s",
			                fn, ty_names[ty], ty_names[t2]);
		}
	}
	int n = new_node(ps, op, ty, name, s0);
	if (n < 0)
		return -1;
	ND(n).a = args[0];
	ND(n).kid0 = (int)ps->P->nkids;
	ND(n).nkids = nargs;
	for (int i = 0; i < nargs; i++)
		if (add_kid(ps, args[i]) < 0)
			return -1;
	return n;
}

static int
parse_primary(struct parser *ps)
{
	struct tok t = ps->t;
	size_t s0 = t.off;
	if (t.k == TK_LP) {
		lex(ps);
		int e = parse_expr(ps);
		if (e < 0)
			return -1;
		if (ps->t.k != TK_RP)
			return expect_err(ps, "')'");
		lex(ps);
		ND(e).s0 = s0;
		ND(e).s1 = ps->prev_end;
		return e;
	}
	if (t.k == TK_NUM) {
		lex(ps);
		double v;
		if (parse_num(t.p, t.n, &v) < 0)
			return perr(ps, t.line, t.col, "number '%s' is too long", tok_text(ps, &t));
		/* money literal: 500 USD */
		if (ps->t.k == TK_IDENT && ps->t.n == 3) {
			int e = cx_currency_exponent(ps->t.p, 3);
			if (e >= 0) {
				int64_t m;
				const char *why;
				struct tok ct = ps->t;
				if (cx_money_parse(t.p, t.n, e, &m, &why) < 0)
					return perr(ps, t.line, t.col, "amount '%s' has more decimals than %.3s allows (%d)",
					            tok_text(ps, &t), ct.p, e);
				lex(ps);
				int n = new_node(ps, OP_LIT, TY_MONEY, &t, s0);
				if (n < 0)
					return -1;
				ND(n).lit.ty = TY_MONEY;
				ND(n).lit.u.m = m;
				ND(n).lit.exp = (signed char)e;
				memcpy(ND(n).lit.ccy, ct.p, 3);
				return n;
			}
		}
		int n = new_node(ps, OP_LIT, TY_NUM, &t, s0);
		if (n < 0)
			return -1;
		ND(n).lit = v_num(v);
		return n;
	}
	if (t.k == TK_STR) {
		lex(ps);
		return str_lit(ps, &t, s0);
	}
	if (t.k != TK_IDENT)
		return expect_err(ps, "a value, a column name or '('");
	if (tok_is(&t, "true") || tok_is(&t, "false")) {
		lex(ps);
		int n = new_node(ps, OP_LIT, TY_BOOL, &t, s0);
		if (n < 0)
			return -1;
		ND(n).lit = v_bool(tok_is(&t, "true"));
		return n;
	}
	if (tok_is(&t, "today")) {
		lex(ps);
		return new_node(ps, OP_TODAY, TY_DATE, &t, s0);
	}
	if (is_keyword(&t))
		return perr(ps, t.line, t.col, "expected a value, a column name or '(', found '%s'",
		            tok_text(ps, &t));
	char name[128];
	if (t.n >= sizeof name)
		return perr(ps, t.line, t.col, "name too long");
	tok_name(&t, name, sizeof name);
	lex(ps);
	if (ps->t.k == TK_LP) {
		for (int i = 0; func_names[i]; i++)
			if (!strcmp(func_names[i], name))
				return parse_call(ps, &t, s0);
		struct suggest s = { NULL, 99 };
		for (int i = 0; func_names[i]; i++)
			suggest_try(&s, name, func_names[i]);
		if (s.best)
			return perr(ps, t.line, t.col, "unknown function '%s' (did you mean '%s'?)", name, s.best);
		return perr(ps, t.line, t.col, "unknown function '%s' (functions: min, max, abs, days, date, any, all, count)", name);
	}
	/* aggregates (flags/consents are per-account inside a quantifier) */
	for (int i = 0; i < AG_COUNT; i++) {
		if (strcmp(aggs[i].name, name) != 0)
			continue;
		if (ps->quant && (i == AG_FLAGS || i == AG_CONSENTS))
			break;
		if (need_roles(ps, i, &t) < 0)
			return -1;
		int n = new_node(ps, OP_AGG, aggs[i].ty, &t, s0);
		if (n < 0)
			return -1;
		ND(n).slot = i;
		ND(n).vocab = aggs[i].vocab;
		return n;
	}
	if (!known_col(name) && input_col(ps, name) < 0)
		return unknown_name(ps, &t, name);
	int s = col_slot(ps, name, &t, NULL);
	if (s < 0)
		return -1;
	int n = new_node(ps, OP_COL, ps->P->slots[s].ty, &t, s0);
	if (n < 0)
		return -1;
	ND(n).slot = s;
	ND(n).vocab = ps->P->slots[s].vocab;
	return n;
}

static int
parse_unary(struct parser *ps)
{
	if (ps->t.k == TK_MINUS) {
		struct tok t = ps->t;
		lex(ps);
		if (++ps->nest > MAX_NEST)
			return perr(ps, t.line, t.col, "expression nested too deeply (more than %d levels)", MAX_NEST);
		int a = parse_unary(ps);
		ps->nest--;
		if (a < 0)
			return -1;
		if (ND(a).ty != TY_NUM && ND(a).ty != TY_MONEY)
			return type_err(ps, &t, "cannot negate %s", ty_name(&ND(a)));
		if (ND(a).op == OP_LIT) {
			if (ND(a).ty == TY_NUM)
				ND(a).lit.u.n = -ND(a).lit.u.n;
			else
				ND(a).lit.u.m = -ND(a).lit.u.m;
			ND(a).s0 = t.off;
			return a;
		}
		int n = new_node(ps, OP_NEG, ND(a).ty, &t, t.off);
		if (n < 0)
			return -1;
		ND(n).a = a;
		return n;
	}
	return parse_primary(ps);
}

/* Result type of arithmetic, or -1 when not allowed. */
static int
arith_type(enum op op, unsigned char a, unsigned char b)
{
	switch (op) {
	case OP_ADD:
		if (a == TY_NUM && b == TY_NUM) return TY_NUM;
		if ((a == TY_MONEY || a == TY_NUM) && (b == TY_MONEY || b == TY_NUM)) return TY_MONEY;
		if ((a == TY_DATE && b == TY_NUM) || (a == TY_NUM && b == TY_DATE)) return TY_DATE;
		return -1;
	case OP_SUB:
		if (a == TY_NUM && b == TY_NUM) return TY_NUM;
		if ((a == TY_MONEY || a == TY_NUM) && (b == TY_MONEY || b == TY_NUM)) return TY_MONEY;
		if (a == TY_DATE && b == TY_NUM) return TY_DATE;
		if (a == TY_DATE && b == TY_DATE) return TY_NUM;
		return -1;
	case OP_MUL:
		if (a == TY_NUM && b == TY_NUM) return TY_NUM;
		if ((a == TY_MONEY && b == TY_NUM) || (a == TY_NUM && b == TY_MONEY)) return TY_MONEY;
		return -1;
	case OP_DIV:
		if (a == TY_NUM && b == TY_NUM) return TY_NUM;
		if (a == TY_MONEY && b == TY_NUM) return TY_MONEY;
		if (a == TY_MONEY && b == TY_MONEY) return TY_NUM;
		return -1;
	default:
		return -1;
	}
}

static const char *
op_text(enum op op)
{
	switch (op) {
	case OP_ADD: return "+";
	case OP_SUB: return "-";
	case OP_MUL: return "*";
	case OP_DIV: return "/";
	case OP_EQ: return "=";
	case OP_NE: return "!=";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	default: return "?";
	}
}

static int
binary(struct parser *ps, enum op op, int a, int b, const struct tok *at)
{
	int ty = arith_type(op, ND(a).ty, ND(b).ty);
	if (ty < 0)
		return type_err(ps, at, "cannot apply '%s' to %s and %s", op_text(op),
		                ty_name(&ND(a)), ty_name(&ND(b)));
	int n = new_node(ps, op, (unsigned char)ty, at, ND(a).s0);
	if (n < 0)
		return -1;
	ND(n).a = a;
	ND(n).b = b;
	return n;
}

static int
parse_mul(struct parser *ps)
{
	int a = parse_unary(ps);
	while (a >= 0 && (ps->t.k == TK_STAR || ps->t.k == TK_SLASH)) {
		struct tok t = ps->t;
		lex(ps);
		int b = parse_unary(ps);
		if (b < 0)
			return -1;
		a = binary(ps, t.k == TK_STAR ? OP_MUL : OP_DIV, a, b, &t);
	}
	return a;
}

static int
parse_add(struct parser *ps)
{
	int a = parse_mul(ps);
	while (a >= 0 && (ps->t.k == TK_PLUS || ps->t.k == TK_MINUS)) {
		struct tok t = ps->t;
		lex(ps);
		int b = parse_mul(ps);
		if (b < 0)
			return -1;
		a = binary(ps, t.k == TK_PLUS ? OP_ADD : OP_SUB, a, b, &t);
	}
	return a;
}

static int
comparable(unsigned char a, unsigned char b)
{
	if (a == b)
		return a != TY_SET;
	return (a == TY_MONEY && b == TY_NUM) || (a == TY_NUM && b == TY_MONEY);
}

static int
parse_list_items(struct parser *ps, int lhs, int *kid0, int *nk, int vocab_check,
                 unsigned vocab)
{
	if (ps->t.k != TK_LP)
		return expect_err(ps, "'(' and a list");
	lex(ps);
	int items[256], n = 0;
	for (;;) {
		if (n == 256)
			return perr(ps, ps->t.line, ps->t.col, "list too long (at most 256 items)");
		struct tok it = ps->t;
		int e;
		if (vocab_check) {
			if (it.k != TK_IDENT && it.k != TK_STR)
				return expect_err(ps, "a name or a quoted value");
			lex(ps);
			e = str_lit(ps, &it, it.off);
			if (e < 0)
				return -1;
			char item[64];
			size_t l = ND(e).lit.u.s.n < 63 ? ND(e).lit.u.s.n : 63;
			memcpy(item, ND(e).lit.u.s.p, l);
			item[l] = 0;
			if (check_vocab(ps, &it, vocab, item) < 0)
				return -1;
		} else {
			e = parse_add(ps);
			if (e < 0)
				return -1;
			if (!comparable(ND(lhs).ty, ND(e).ty))
				return type_err(ps, &it, "cannot compare %s with %s in a list",
				                ty_name(&ND(lhs)), ty_name(&ND(e)));
		}
		items[n++] = e;
		if (ps->t.k == TK_COMMA) {
			lex(ps);
			continue;
		}
		break;
	}
	if (ps->t.k != TK_RP)
		return expect_err(ps, "',' or ')'");
	lex(ps);
	*kid0 = (int)ps->P->nkids;
	*nk = n;
	for (int i = 0; i < n; i++)
		if (add_kid(ps, items[i]) < 0)
			return -1;
	return 0;
}

static int
parse_cmp(struct parser *ps)
{
	size_t s0 = ps->t.off;
	struct tok lt = ps->t;
	int a = parse_add(ps);
	if (a < 0)
		return -1;
	struct tok t = ps->t;
	enum op op;
	switch (t.k) {
	case TK_EQ: op = OP_EQ; break;
	case TK_NE: op = OP_NE; break;
	case TK_LT: op = OP_LT; break;
	case TK_LE: op = OP_LE; break;
	case TK_GT: op = OP_GT; break;
	case TK_GE: op = OP_GE; break;
	default: op = OP_LIT; break;
	}
	if (op != OP_LIT) {
		lex(ps);
		struct tok rt = ps->t;
		int b = parse_add(ps);
		if (b < 0)
			return -1;
		if (!comparable(ND(a).ty, ND(b).ty)) {
			if (ND(a).ty == TY_SET || ND(b).ty == TY_SET)
				return type_err(ps, &t, "cannot compare a set with '%s'; use 'in', 'has any' or 'has all'", op_text(op));
			return type_err(ps, &t, "cannot compare %s with %s", ty_name(&ND(a)), ty_name(&ND(b)));
		}
		if (ND(a).ty == TY_BOOL && op != OP_EQ && op != OP_NE)
			return type_err(ps, &t, "conditions can only be compared with '=' or '!='");
		(void)rt;
		int n = new_node(ps, op, TY_BOOL, &t, s0);
		if (n < 0)
			return -1;
		ND(n).a = a;
		ND(n).b = b;
		return n;
	}
	int neg = 0;
	if (tok_is(&t, "not")) {
		/* "x not in (...)", "x not between a and b" */
		lex(ps);
		if (!tok_is(&ps->t, "in") && !tok_is(&ps->t, "between"))
			return expect_err(ps, "'in' or 'between' after 'not'");
		neg = 1;
		t = ps->t;
	}
	if (tok_is(&t, "in")) {
		lex(ps);
		if (ps->t.k == TK_LP) {
			if (ND(a).ty == TY_SET)
				return type_err(ps, &lt, "'%s' is a set; use 'has any (...)' to test it against a list",
				                tok_text(ps, &lt));
			int n = new_node(ps, neg ? OP_NOTIN : OP_IN, TY_BOOL, &t, s0);
			if (n < 0)
				return -1;
			ND(n).a = a;
			int k0, nk;
			if (parse_list_items(ps, a, &k0, &nk, 0, 0) < 0)
				return -1;
			ND(n).kid0 = k0;
			ND(n).nkids = nk;
			ND(n).s1 = ps->prev_end;
			return n;
		}
		struct tok st = ps->t;
		int b = parse_add(ps);
		if (b < 0)
			return -1;
		if (ND(b).ty != TY_SET)
			return type_err(ps, &st, "'in' expects a list in parentheses or a set such as flags, got %s",
			                ty_name(&ND(b)));
		if (ND(a).ty != TY_STR)
			return type_err(ps, &lt, "only text can be a member of a set, got %s", ty_name(&ND(a)));
		if (ND(a).op == OP_LIT) {
			char item[64];
			size_t l = ND(a).lit.u.s.n < 63 ? ND(a).lit.u.s.n : 63;
			memcpy(item, ND(a).lit.u.s.p, l);
			item[l] = 0;
			if (check_vocab(ps, &lt, ND(b).vocab, item) < 0)
				return -1;
		}
		int n = new_node(ps, neg ? OP_NOTMEMBER : OP_MEMBER, TY_BOOL, &t, s0);
		if (n < 0)
			return -1;
		ND(n).a = a;
		ND(n).b = b;
		return n;
	}
	if (tok_is(&t, "between")) {
		lex(ps);
		struct tok lot = ps->t;
		int lo = parse_add(ps);
		if (lo < 0)
			return -1;
		if (!tok_is(&ps->t, "and"))
			return expect_err(ps, "'and' in 'between ... and ...'");
		lex(ps);
		struct tok hit = ps->t;
		int hi = parse_add(ps);
		if (hi < 0)
			return -1;
		if (ND(a).ty == TY_BOOL || ND(a).ty == TY_SET)
			return type_err(ps, &lt, "'between' expects a number, money, date or text, got %s", ty_name(&ND(a)));
		if (!comparable(ND(a).ty, ND(lo).ty))
			return type_err(ps, &lot, "cannot compare %s with %s", ty_name(&ND(a)), ty_name(&ND(lo)));
		if (!comparable(ND(a).ty, ND(hi).ty))
			return type_err(ps, &hit, "cannot compare %s with %s", ty_name(&ND(a)), ty_name(&ND(hi)));
		int n = new_node(ps, neg ? OP_NOTBETWEEN : OP_BETWEEN, TY_BOOL, &t, s0);
		if (n < 0)
			return -1;
		ND(n).a = a;
		ND(n).b = lo;
		ND(n).c = hi;
		return n;
	}
	if (tok_is(&t, "has")) {
		lex(ps);
		if (ND(a).ty != TY_SET)
			return type_err(ps, &t, "'has' expects a set such as flags, consents or products, got %s",
			                ty_name(&ND(a)));
		enum op hop = OP_HAS_ANY;
		int k0, nk;
		if (tok_is(&ps->t, "any") || tok_is(&ps->t, "all") || tok_is(&ps->t, "none")) {
			hop = tok_is(&ps->t, "any") ? OP_HAS_ANY : tok_is(&ps->t, "all") ? OP_HAS_ALL : OP_HAS_NONE;
			lex(ps);
			if (parse_list_items(ps, a, &k0, &nk, 1, ND(a).vocab) < 0)
				return -1;
		} else if (ps->t.k == TK_IDENT || ps->t.k == TK_STR) {
			struct tok it = ps->t;
			lex(ps);
			int e = str_lit(ps, &it, it.off);
			if (e < 0)
				return -1;
			char item[64];
			size_t l = ND(e).lit.u.s.n < 63 ? ND(e).lit.u.s.n : 63;
			memcpy(item, ND(e).lit.u.s.p, l);
			item[l] = 0;
			if (check_vocab(ps, &it, ND(a).vocab, item) < 0)
				return -1;
			k0 = (int)ps->P->nkids;
			nk = 1;
			if (add_kid(ps, e) < 0)
				return -1;
		} else {
			return expect_err(ps, "'any', 'all', 'none' or a name after 'has'");
		}
		int n = new_node(ps, hop, TY_BOOL, &t, s0);
		if (n < 0)
			return -1;
		ND(n).a = a;
		ND(n).kid0 = k0;
		ND(n).nkids = nk;
		return n;
	}
	if (tok_is(&t, "is")) {
		lex(ps);
		int isnot = 0;
		if (tok_is(&ps->t, "not")) {
			isnot = 1;
			lex(ps);
		}
		int miss;
		if (tok_is(&ps->t, "missing"))
			miss = 1;
		else if (tok_is(&ps->t, "present"))
			miss = 0;
		else
			return expect_err(ps, "'missing' or 'present' after 'is'");
		lex(ps);
		int n = new_node(ps, (miss ^ isnot) ? OP_MISSING : OP_PRESENT, TY_BOOL, &t, s0);
		if (n < 0)
			return -1;
		ND(n).a = a;
		return n;
	}
	return a;
}

static int
parse_not(struct parser *ps)
{
	if (tok_is(&ps->t, "not")) {
		struct tok t = ps->t;
		lex(ps);
		struct tok at = ps->t;
		if (++ps->nest > MAX_NEST)
			return perr(ps, t.line, t.col, "expression nested too deeply (more than %d levels)", MAX_NEST);
		int a = parse_not(ps);
		ps->nest--;
		if (a < 0)
			return -1;
		if (ND(a).ty != TY_BOOL)
			return type_err(ps, &at, "'not' expects a condition, got %s", ty_name(&ND(a)));
		int n = new_node(ps, OP_NOT, TY_BOOL, &t, t.off);
		if (n < 0)
			return -1;
		ND(n).a = a;
		return n;
	}
	return parse_cmp(ps);
}

static int
logic(struct parser *ps, enum op op, int a, int b, const struct tok *at, const struct tok *lt,
      const struct tok *rt)
{
	const char *w = op == OP_AND ? "and" : "or";
	if (ND(a).ty != TY_BOOL)
		return type_err(ps, lt, "'%s' expects conditions on both sides, got %s on the left", w,
		                ty_name(&ND(a)));
	if (ND(b).ty != TY_BOOL)
		return type_err(ps, rt, "'%s' expects conditions on both sides, got %s on the right", w,
		                ty_name(&ND(b)));
	int n = new_node(ps, op, TY_BOOL, at, ND(a).s0);
	if (n < 0)
		return -1;
	ND(n).a = a;
	ND(n).b = b;
	return n;
}

static int
parse_and(struct parser *ps)
{
	struct tok lt = ps->t;
	int a = parse_not(ps);
	while (a >= 0 && tok_is(&ps->t, "and")) {
		struct tok t = ps->t;
		lex(ps);
		struct tok rt = ps->t;
		int b = parse_not(ps);
		if (b < 0)
			return -1;
		a = logic(ps, OP_AND, a, b, &t, &lt, &rt);
	}
	return a;
}

static int
parse_expr(struct parser *ps)
{
	struct tok lt = ps->t;
	if (++ps->nest > MAX_NEST)
		return perr(ps, lt.line, lt.col, "expression nested too deeply (more than %d levels)", MAX_NEST);
	int a = parse_or(ps);
	ps->nest--;
	return a;
}

static int
parse_or(struct parser *ps)
{
	struct tok lt = ps->t;
	int a = parse_and(ps);
	while (a >= 0 && tok_is(&ps->t, "or")) {
		struct tok t = ps->t;
		lex(ps);
		struct tok rt = ps->t;
		int b = parse_and(ps);
		if (b < 0)
			return -1;
		a = logic(ps, OP_OR, a, b, &t, &lt, &rt);
	}
	return a;
}

/* ---- statements ------------------------------------------------------ */

#define MAX_DEPTH 256   /* depth of a compiled condition (evaluator recursion) */

/* Children are always created before their parent, so one forward pass
 * over the nodes of a condition gives every node's depth. */
static int
check_depth(struct parser *ps, size_t first, const struct tok *at)
{
	struct cx_rules *P = ps->P;
	size_t n = P->nnodes - first;
	int *d = cx_calloc(n ? n : 1, sizeof *d);
	if (!d)
		return nomem(ps);
	int worst = 0;
	for (size_t i = first; i < P->nnodes; i++) {
		const struct node *nd = &P->nodes[i];
		int m = 0, ch[3] = { nd->a, nd->b, nd->c };
		for (int k = 0; k < 3; k++)
			if (ch[k] >= (int)first && ch[k] < (int)i && d[ch[k] - (int)first] > m)
				m = d[ch[k] - (int)first];
		for (int k = 0; k < nd->nkids; k++) {
			int c = P->kids[nd->kid0 + k];
			if (c >= (int)first && c < (int)i && d[c - (int)first] > m)
				m = d[c - (int)first];
		}
		d[i - first] = m + 1;
		if (m + 1 > worst)
			worst = m + 1;
	}
	cx_free(d);
	if (worst > MAX_DEPTH)
		return perr(ps, at->line, at->col, "condition too deeply nested (more than %d levels); split it into several rules",
		            MAX_DEPTH);
	return 0;
}

static char *
ident(struct parser *ps, const char *what)
{
	if (ps->t.k != TK_IDENT || is_keyword(&ps->t)) {
		expect_err(ps, what);
		return NULL;
	}
	char *s = cx_strndup(ps->t.p, ps->t.n);
	if (!s) {
		nomem(ps);
		return NULL;
	}
	lex(ps);
	return s;
}

static int
check_treatment(struct parser *ps, const struct tok *t, const char *name)
{
	for (int i = 0; cx_treatment_names[i]; i++)
		if (!strcmp(cx_treatment_names[i], name))
			return 0;
	struct suggest s = { NULL, 99 };
	for (int i = 0; cx_treatment_names[i]; i++)
		suggest_try(&s, name, cx_treatment_names[i]);
	if (s.best)
		return perr(ps, t->line, t->col, "unknown treatment '%s' (did you mean '%s'?)", name, s.best);
	return perr(ps, t->line, t->col, "unknown treatment '%s' (cx-plan knows: none, hardship_care, reminder_predue, reminder_soft, digital_standard, payment_plan, firm, settlement, agency)", name);
}

static int
parse_rule(struct parser *ps)
{
	struct cx_rules *P = ps->P;
	struct tok rt = ps->t;
	lex(ps);
	if (grow((void **)&P->rules, &P->caprules, P->nrules + 1, sizeof *P->rules))
		return nomem(ps);
	struct rule *r = &P->rules[P->nrules++];
	memset(r, 0, sizeof *r);
	r->exp = -1;
	r->line = rt.line;
	r->cond = -1;
	struct tok it = ps->t;
	r->id = ident(ps, "a rule name after 'rule'");
	if (!r->id)
		return -1;
	for (size_t i = 0; i + 1 < P->nrules; i++)
		if (!strcmp(P->rules[i].id, r->id))
			return perr(ps, it.line, it.col, "duplicate rule name '%s' (first at line %d)",
			            r->id, P->rules[i].line);
	for (size_t i = 0; i + 1 < P->nrules; i++)
		if (P->rules[i].catch_all)
			return perr(ps, rt.line, rt.col,
			            "rule '%s' is unreachable: rule '%s' at line %d matches every customer",
			            r->id, P->rules[i].id, P->rules[i].line);
	if (tok_is(&ps->t, "otherwise")) {
		struct tok t = ps->t;
		lex(ps);
		r->cond = new_node(ps, OP_LIT, TY_BOOL, &t, t.off);
		if (r->cond < 0)
			return -1;
		ND(r->cond).lit = v_bool(1);
	} else if (tok_is(&ps->t, "when")) {
		lex(ps);
		struct tok ct = ps->t;
		size_t first = P->nnodes;
		r->cond = parse_expr(ps);
		if (r->cond < 0 || check_depth(ps, first, &ct) < 0)
			return -1;
		if (ND(r->cond).ty != TY_BOOL)
			return type_err(ps, &ct, "the condition of rule '%s' is %s, not true/false", r->id,
			                ty_name(&ND(r->cond)));
	} else {
		return expect_err(ps, "'when' or 'otherwise'");
	}
	if (ND(r->cond).op == OP_LIT)
		r->catch_all = ND(r->cond).lit.u.b;
	if (!tok_is(&ps->t, "segment"))
		return expect_err(ps, "'segment' (or an operator)");
	lex(ps);
	r->segment = ident(ps, "a segment name");
	if (!r->segment)
		return -1;
	if (!tok_is(&ps->t, "treatment"))
		return expect_err(ps, "'treatment'");
	lex(ps);
	struct tok tt = ps->t;
	r->treatment = ident(ps, "a treatment name");
	if (!r->treatment)
		return -1;
	return check_treatment(ps, &tt, r->treatment);
}

struct target {
	char *name;
	int kind, exp, line, col;
};

static int
parse_experiment(struct parser *ps, struct target **targets, size_t *ntargets, size_t *captargets)
{
	struct cx_rules *P = ps->P;
	struct tok et = ps->t;
	lex(ps);
	if (grow((void **)&P->exps, &P->capexps, P->nexps + 1, sizeof *P->exps))
		return nomem(ps);
	struct experiment *e = &P->exps[P->nexps++];
	memset(e, 0, sizeof *e);
	e->line = et.line;
	struct tok nt = ps->t;
	e->name = ident(ps, "an experiment name after 'experiment'");
	if (!e->name)
		return -1;
	for (size_t i = 0; i + 1 < P->nexps; i++)
		if (!strcmp(P->exps[i].name, e->name))
			return perr(ps, nt.line, nt.col, "duplicate experiment name '%s'", e->name);
	if (!tok_is(&ps->t, "salt"))
		return expect_err(ps, "'salt'");
	lex(ps);
	if (ps->t.k != TK_STR)
		return expect_err(ps, "the salt in quotes");
	if (ps->t.n - 2 == 0)
		return perr(ps, ps->t.line, ps->t.col, "the salt must not be empty");
	e->salt = cx_strndup(ps->t.p + 1, ps->t.n - 2);
	if (!e->salt)
		return nomem(ps);
	e->saltlen = ps->t.n - 2;
	lex(ps);
	int kind;
	if (tok_is(&ps->t, "segments"))
		kind = 0;
	else if (tok_is(&ps->t, "rules"))
		kind = 1;
	else
		return expect_err(ps, "'segments (...)' or 'rules (...)'");
	lex(ps);
	if (ps->t.k != TK_LP)
		return expect_err(ps, "'('");
	lex(ps);
	for (;;) {
		struct tok t = ps->t;
		if (cx_grow((void **)targets, captargets, *ntargets + 1, sizeof **targets))
			return nomem(ps);
		char *nm = ident(ps, kind ? "a rule name" : "a segment name");
		if (!nm)
			return -1;
		struct target *tg = &(*targets)[(*ntargets)++];
		tg->name = nm;
		tg->kind = kind;
		tg->exp = (int)P->nexps - 1;
		tg->line = t.line;
		tg->col = t.col;
		if (ps->t.k == TK_COMMA) {
			lex(ps);
			continue;
		}
		break;
	}
	if (ps->t.k != TK_RP)
		return expect_err(ps, "',' or ')'");
	lex(ps);
	int total = 0;
	while (tok_is(&ps->t, "arm")) {
		lex(ps);
		if (grow((void **)&e->arms, &(size_t){ e->narms }, e->narms + 1, sizeof *e->arms))
			return nomem(ps);
		struct arm *a = &e->arms[e->narms++];
		memset(a, 0, sizeof *a);
		struct tok at = ps->t;
		a->name = ident(ps, "an arm name after 'arm'");
		if (!a->name)
			return -1;
		for (size_t i = 0; i + 1 < e->narms; i++)
			if (!strcmp(e->arms[i].name, a->name))
				return perr(ps, at.line, at.col, "duplicate arm name '%s'", a->name);
		struct tok pt = ps->t;
		if (pt.k != TK_NUM)
			return expect_err(ps, "the arm's share in percent, as in 10%");
		double pct;
		if (parse_num(pt.p, pt.n, &pct) < 0 || pct <= 0 || pct > 100 ||
		    fabs(pct * 100 - round(pct * 100)) > 1e-9)
			return perr(ps, pt.line, pt.col,
			            "an arm's share must be a percentage above 0 and at most 100 with at most two decimals");
		lex(ps);
		if (ps->t.k != TK_PCT)
			return expect_err(ps, "'%'");
		lex(ps);
		a->lo = total;
		total += (int)llround(pct * 100);
		a->hi = total;
		if (tok_is(&ps->t, "treatment")) {
			lex(ps);
			struct tok tt = ps->t;
			a->treatment = ident(ps, "a treatment name");
			if (!a->treatment)
				return -1;
			if (check_treatment(ps, &tt, a->treatment) < 0)
				return -1;
		}
	}
	if (e->narms < 2)
		return perr(ps, ps->t.line, ps->t.col,
		            "experiment '%s' needs at least two arms ('arm NAME PERCENT%% [treatment NAME]')",
		            e->name);
	if (total != CX_ARM_BUCKETS)
		return perr(ps, et.line, et.col, "the arms of experiment '%s' add up to %d.%02d%%, not 100%%",
		            e->name, total / 100, total % 100);
	return 0;
}

static void
rules_free_parts(struct cx_rules *p)
{
	for (size_t i = 0; i < p->nrules; i++) {
		cx_free(p->rules[i].id);
		cx_free(p->rules[i].segment);
		cx_free(p->rules[i].treatment);
	}
	for (size_t i = 0; i < p->nexps; i++) {
		for (size_t j = 0; j < p->exps[i].narms; j++) {
			cx_free(p->exps[i].arms[j].name);
			cx_free(p->exps[i].arms[j].treatment);
		}
		cx_free(p->exps[i].arms);
		cx_free(p->exps[i].name);
		cx_free(p->exps[i].salt);
	}
	for (size_t i = 0; i < p->nslots; i++)
		cx_free(p->slots[i].name);
}

void
cx_rules_free(struct cx_rules *p)
{
	if (!p)
		return;
	rules_free_parts(p);
	cx_free(p->rules);
	cx_free(p->exps);
	cx_free(p->slots);
	cx_free(p->nodes);
	cx_free(p->kids);
	cx_free(p->src);
	cx_free(p->name);
	cx_free(p->cache);
	cx_free(p->setbuf);
	cx_free(p->ex);
	cx_free(p);
}

struct cx_rules *
cx_rules_compile(const char *name, const char *src, size_t len, const struct cx_rules_opts *opts,
                 struct cx_error *err)
{
	struct cx_rules *P = cx_calloc(1, sizeof *P);
	if (!P) {
		cx_error_set(err, CX_ENOMEM, name, 0, "out of memory compiling rules");
		return NULL;
	}
	P->name = cx_strdup(name ? name : "<rules>");
	P->src = cx_malloc(len + 1);
	if (!P->name || !P->src) {
		cx_rules_free(P);
		cx_error_set(err, CX_ENOMEM, name, 0, "out of memory compiling rules");
		return NULL;
	}
	memcpy(P->src, src, len);
	P->src[len] = 0;
	P->srclen = len;
	P->today = opts->today;
	P->driver = -1;
	for (int i = 0; i < R_COUNT; i++)
		P->role_slot[i] = -1;

	struct parser ps;
	memset(&ps, 0, sizeof ps);
	ps.P = P;
	ps.src = P->src;
	ps.len = len;
	ps.line = 1;
	ps.err = err;
	ps.opts = opts;
	struct target *targets = NULL;
	size_t ntargets = 0, captargets = 0;

	if (len > CX_RULES_MAX_SOURCE) {
		perr(&ps, 1, 1, "rule file too large (more than %u bytes)", CX_RULES_MAX_SOURCE);
		goto fail;
	}
	for (size_t i = 0; i < len; i++)
		if (src[i] == 0) {
			perr(&ps, 1, 1, "rule file contains a NUL byte (not a text file)");
			goto fail;
		}
	/* a UTF-8 byte order mark (Windows editors add one) is not text */
	if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
		ps.pos = 3;
		ps.linestart = 3;
	}
	lex(&ps);
	while (!ps.failed && ps.t.k != TK_EOF) {
		if (tok_is(&ps.t, "rule")) {
			if (parse_rule(&ps) < 0)
				break;
		} else if (tok_is(&ps.t, "experiment")) {
			if (parse_experiment(&ps, &targets, &ntargets, &captargets) < 0)
				break;
		} else {
			expect_err(&ps, P->nrules ? "'rule', 'experiment' or an operator" :
			                            "'rule' or 'experiment'");
			break;
		}
	}
	if (ps.failed)
		goto fail;
	if (!P->nrules) {
		perr(&ps, ps.t.line, ps.t.col, "no rules (a rule file needs at least one rule, ending with a catch-all 'otherwise')");
		goto fail;
	}
	if (!P->rules[P->nrules - 1].catch_all) {
		perr(&ps, P->rules[P->nrules - 1].line, 1,
		     "no catch-all rule: the last rule must match every customer ('otherwise' or 'when true')");
		goto fail;
	}
	/* experiments to rules */
	for (size_t i = 0; i < ntargets; i++) {
		int kind = targets[i].kind, ex = targets[i].exp, hit = 0;
		for (size_t r = 0; r < P->nrules; r++) {
			struct rule *ru = &P->rules[r];
			if (strcmp(kind ? ru->id : ru->segment, targets[i].name) != 0)
				continue;
			hit = 1;
			if (ru->exp >= 0 && ru->exp != ex) {
				perr(&ps, targets[i].line, targets[i].col, "rule '%s' is already in experiment '%s'; a customer can be in one experiment only",
				     ru->id, P->exps[ru->exp].name);
				goto fail;
			}
			ru->exp = ex;
		}
		if (!hit) {
			struct suggest s = { NULL, 99 };
			for (size_t r = 0; r < P->nrules; r++)
				suggest_try(&s, targets[i].name, kind ? P->rules[r].id : P->rules[r].segment);
			if (s.best)
				perr(&ps, targets[i].line, targets[i].col, "unknown %s '%s' (did you mean '%s'?)",
				     kind ? "rule" : "segment", targets[i].name, s.best);
			else
				perr(&ps, targets[i].line, targets[i].col, "unknown %s '%s'", kind ? "rule" : "segment",
				     targets[i].name);
			goto fail;
		}
	}
	driver_roles(&ps);
	if (ps.failed)
		goto fail;
	for (size_t i = 0; i < ntargets; i++)
		cx_free(targets[i].name);
	cx_free(targets);
	return P;
fail:
	for (size_t i = 0; i < ntargets; i++)
		cx_free(targets[i].name);
	cx_free(targets);
	cx_rules_free(P);
	return NULL;
}

size_t cx_rules_count(const struct cx_rules *p) { return p->nrules; }
const char *cx_rules_id(const struct cx_rules *p, size_t i) { return p->rules[i].id; }
const char *cx_rules_segment(const struct cx_rules *p, size_t i) { return p->rules[i].segment; }
const char *cx_rules_treatment(const struct cx_rules *p, size_t i) { return p->rules[i].treatment; }
size_t cx_rules_experiments(const struct cx_rules *p) { return p->nexps; }

int
cx_rules_bucket(const char *key, size_t keylen, const char *salt, size_t saltlen)
{
	char buf[512];
	uint64_t h;
	if (keylen + saltlen + 1 <= sizeof buf) {
		memcpy(buf, key, keylen);
		buf[keylen] = 0x1f;
		memcpy(buf + keylen + 1, salt, saltlen);
		h = cx_hash64(buf, keylen + 1 + saltlen, 0);
	} else {
		char *b = cx_malloc(keylen + saltlen + 1);
		if (!b)
			return -1;
		memcpy(b, key, keylen);
		b[keylen] = 0x1f;
		memcpy(b + keylen + 1, salt, saltlen);
		h = cx_hash64(b, keylen + 1 + saltlen, 0);
		cx_free(b);
	}
	return (int)(h % CX_ARM_BUCKETS);
}

/* ---- evaluator ------------------------------------------------------- */

static void
ev_fail(struct cx_rules *P, size_t row, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
ev_fail(struct cx_rules *P, size_t row, const char *fmt, ...)
{
	va_list ap;
	if (P->failed)
		return;
	P->failed = 1;
	P->bad_row = row;
	va_start(ap, fmt);
	cx_error_vset(P->err, CX_EDATA, NULL, 0, fmt, ap);
	va_end(ap);
}

static const struct val *
slot_val(struct cx_rules *P, int s, size_t row)
{
	struct cacheent *ce = &P->cache[row * P->nslots + (size_t)s];
	if (ce->gen == P->gen)
		return &ce->v;
	ce->gen = P->gen;
	const struct slot *sl = &P->slots[s];
	const struct cx_field *f = &P->cust->rows[row][sl->col];
	struct val *v = &ce->v;
	memset(v, 0, sizeof *v);
	v->ty = sl->ty;
	if (f->n == 0) {
		v->miss = 1;
		return v;
	}
	switch (sl->ty) {
	case TY_NUM:
		if (parse_num(f->p, f->n, &v->u.n) < 0) {
			v->miss = 1;
			ev_fail(P, row, "column '%s' is not a number", sl->name);
		}
		break;
	case TY_MONEY: {
		const struct val *c = slot_val(P, sl->ccy_slot, row);
		int e = c->miss || c->u.s.n != 3 ? -1 : cx_currency_exponent(c->u.s.p, 3);
		const char *why;
		if (e < 0) {
			v->miss = 1;
			ev_fail(P, row, "column 'currency' is missing or not an ISO 4217 code (needed for '%s')",
			        sl->name);
			break;
		}
		if (cx_money_parse(f->p, f->n, e, &v->u.m, &why) < 0) {
			v->miss = 1;
			ev_fail(P, row, "column '%s' is not a canonical amount: %s", sl->name, why);
			break;
		}
		v->exp = (signed char)e;
		memcpy(v->ccy, c->u.s.p, 3);
		break;
	}
	case TY_DATE: {
		const char *why;
		if (cx_date_parse_iso(f->p, f->n, &v->u.d, &why) < 0) {
			v->miss = 1;
			ev_fail(P, row, "column '%s' is not an ISO date: %s", sl->name, why);
		}
		break;
	}
	default:
		v->u.s.p = f->p;
		v->u.s.n = f->n;
		break;
	}
	return v;
}

static size_t
driver_row(struct cx_rules *P)
{
	if (P->driver >= 0)
		return (size_t)P->driver;
	size_t best = 0;
	int sd = P->role_slot[R_DPD], sp = P->role_slot[R_PAST_DUE];
	for (size_t i = 1; i < P->cust->nrows; i++) {
		int cmp = 0;
		if (sd >= 0) {
			const struct val *a = slot_val(P, sd, i), *b = slot_val(P, sd, best);
			if (!a->miss && (b->miss || a->u.n > b->u.n))
				cmp = 1;
			else if (!b->miss && (a->miss || a->u.n < b->u.n))
				cmp = -1;
		}
		if (!cmp && sp >= 0) {
			const struct val *a = slot_val(P, sp, i), *b = slot_val(P, sp, best);
			if (!a->miss && (b->miss || a->u.m > b->u.m))
				cmp = 1;
		}
		if (cmp > 0)
			best = i;
	}
	P->driver = (int)best;
	return best;
}

static int
set_has(const char *set, size_t n, const char *name, size_t ln)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && set[j] != ',')
			j++;
		if (j - i == ln && memcmp(set + i, name, ln) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

/* Union of a set/text column over all rows, appended to P->setbuf at
 * *off (the buffer is sized by the caller, so views never move). */
static struct val
set_union(struct cx_rules *P, int slot, size_t *off, size_t *count)
{
	struct val v;
	memset(&v, 0, sizeof v);
	v.ty = TY_SET;
	size_t start = *off, cnt = 0;
	for (size_t r = 0; r < P->cust->nrows; r++) {
		const struct val *x = slot_val(P, slot, r);
		if (x->miss)
			continue;
		const char *s = x->u.s.p;
		size_t n = x->u.s.n, i = 0;
		while (i < n) {
			size_t j = i;
			while (j < n && s[j] != ',')
				j++;
			if (j > i && !set_has(P->setbuf + start, *off - start, s + i, j - i)) {
				if (*off > start)
					P->setbuf[(*off)++] = ',';
				memcpy(P->setbuf + *off, s + i, j - i);
				*off += j - i;
				cnt++;
			}
			i = j + 1;
		}
	}
	v.u.s.p = P->setbuf + start;
	v.u.s.n = *off - start;
	*count = cnt;
	return v;
}

static void
compute_aggs(struct cx_rules *P, unsigned want)
{
	size_t nr = P->cust->nrows;
	if (want & ((1u << AG_ACCOUNTS)))
		P->aggv[AG_ACCOUNTS] = v_num((double)nr);
	if (want & ((1u << AG_WORST_DPD) | (1u << AG_BEST_DPD))) {
		struct val w = v_missing(TY_NUM), b = v_missing(TY_NUM);
		for (size_t r = 0; r < nr; r++) {
			const struct val *x = slot_val(P, P->role_slot[R_DPD], r);
			if (x->miss)
				continue;
			if (w.miss || x->u.n > w.u.n)
				w = *x;
			if (b.miss || x->u.n < b.u.n)
				b = *x;
		}
		P->aggv[AG_WORST_DPD] = w;
		P->aggv[AG_BEST_DPD] = b;
	}
	if (want & (1u << AG_EARLIEST_DUE)) {
		struct val e = v_missing(TY_DATE);
		for (size_t r = 0; r < nr; r++) {
			const struct val *x = slot_val(P, P->role_slot[R_DUE_DATE], r);
			if (!x->miss && (e.miss || x->u.d < e.u.d))
				e = *x;
		}
		P->aggv[AG_EARLIEST_DUE] = e;
	}
	static const int tot[3][2] = { { AG_TOTAL_BALANCE, R_BALANCE },
	                               { AG_TOTAL_PAST_DUE, R_PAST_DUE },
	                               { AG_TOTAL_MIN_DUE, R_MIN_DUE } };
	for (int k = 0; k < 3; k++) {
		if (!(want & (1u << tot[k][0])))
			continue;
		size_t d = driver_row(P);
		struct val t = v_missing(TY_MONEY);
		const char *ccy = NULL;
		{
			const struct val *cv = slot_val(P, P->role_slot[R_CURRENCY], d);
			if (!cv->miss && cv->u.s.n == 3)
				ccy = cv->u.s.p;
		}
		for (size_t r = 0; r < nr && ccy; r++) {
			const struct val *x = slot_val(P, P->role_slot[tot[k][1]], r);
			if (x->miss || memcmp(x->ccy, ccy, 3) != 0)
				continue;
			if (t.miss) {
				t = *x;
			} else if (cx_money_add(&t.u.m, x->u.m) < 0) {
				ev_fail(P, r, "total of '%s' overflows", role_col[tot[k][1]]);
				break;
			}
		}
		P->aggv[tot[k][0]] = t;
	}
	const unsigned setmask = (1u << AG_PRODUCTS) | (1u << AG_N_PRODUCTS) | (1u << AG_CURRENCIES) |
	                         (1u << AG_N_CURRENCIES) | (1u << AG_FLAGS) | (1u << AG_CONSENTS);
	if (!(want & setmask))
		return;
	/* all set unions at once into one buffer sized in advance, so the
	 * views handed out stay valid for the whole customer */
	static const int ub[4][3] = { { AG_PRODUCTS, R_PRODUCT, AG_N_PRODUCTS },
	                              { AG_CURRENCIES, R_CURRENCY, AG_N_CURRENCIES },
	                              { AG_FLAGS, R_FLAGS, -1 }, { AG_CONSENTS, R_CONSENTS, -1 } };
	size_t need = 1;
	for (int k = 0; k < 4; k++) {
		if (P->role_slot[ub[k][1]] < 0)
			continue;
		for (size_t r = 0; r < nr; r++)
			need += slot_val(P, P->role_slot[ub[k][1]], r)->u.s.n + 1;
	}
	if (need > P->setcap && cx_grow((void **)&P->setbuf, &P->setcap, need, 1)) {
		ev_fail(P, 0, "out of memory");
		P->err->code = CX_ENOMEM;
		return;
	}
	size_t off = 0;
	for (int k = 0; k < 4; k++) {
		if (P->role_slot[ub[k][1]] < 0)
			continue;
		size_t cnt;
		P->aggv[ub[k][0]] = set_union(P, P->role_slot[ub[k][1]], &off, &cnt);
		if (ub[k][2] >= 0)
			P->aggv[ub[k][2]] = v_num((double)cnt);
	}
	P->agg_done |= setmask;
}

static struct val eval(struct cx_rules *P, int ni, long row);

static int64_t
pow10i(int e)
{
	int64_t p = 1;
	while (e-- > 0)
		p *= 10;
	return p;
}

/* Convert a bare number to money of the given exponent; -1 on overflow. */
static int
num_to_money(double n, int exp, int64_t *out)
{
	double m = n * (double)pow10i(exp);
	if (!(m > -9.2e18 && m < 9.2e18))
		return -1;
	*out = llround(m);
	return 0;
}

/* Bring two money/number values to money of one currency.  Returns 0 and
 * fills *x, *y, or 1 when the currencies differ (unknown), -1 overflow. */
static int
money_pair(struct val a, struct val b, int64_t *x, int64_t *y, struct val *proto)
{
	if (a.ty == TY_MONEY && b.ty == TY_MONEY) {
		if (a.ccy[0] && b.ccy[0] && memcmp(a.ccy, b.ccy, 3) != 0)
			return 1;
		*x = a.u.m;
		*y = b.u.m;
		*proto = a.ccy[0] ? a : b;
		return 0;
	}
	if (a.ty == TY_MONEY) {
		*x = a.u.m;
		*proto = a;
		return num_to_money(b.u.n, a.exp, y);
	}
	*y = b.u.m;
	*proto = b;
	return num_to_money(a.u.n, b.exp, x);
}

/* -1, 0, 1, or 2 when unknown (missing or not comparable). */
static int
compare(struct val a, struct val b)
{
	if (a.miss || b.miss)
		return 2;
	switch (a.ty) {
	case TY_NUM:
		if (b.ty == TY_MONEY)
			goto money;
		return a.u.n < b.u.n ? -1 : a.u.n > b.u.n;
	case TY_MONEY:
	money: {
		int64_t x, y;
		struct val pr;
		if (money_pair(a, b, &x, &y, &pr) != 0)
			return 2;
		return x < y ? -1 : x > y;
	}
	case TY_DATE:
		return a.u.d < b.u.d ? -1 : a.u.d > b.u.d;
	case TY_BOOL:
		return (a.u.b != 0) - (b.u.b != 0);
	case TY_STR: {
		size_t n = a.u.s.n < b.u.s.n ? a.u.s.n : b.u.s.n;
		int c = memcmp(a.u.s.p, b.u.s.p, n);
		if (c)
			return c < 0 ? -1 : 1;
		return a.u.s.n < b.u.s.n ? -1 : a.u.s.n > b.u.s.n;
	}
	default:
		return 2;
	}
}

static struct val
tri(int v)   /* 0 false, 1 true, 2 unknown */
{
	struct val r = v_bool(v == 1);
	if (v == 2)
		r.miss = 1;
	return r;
}

static int
truth(struct val v)
{
	return v.miss ? 2 : v.u.b != 0;
}

static struct val
arith(struct cx_rules *P, const struct node *n, struct val a, struct val b)
{
	if (a.miss || b.miss)
		return v_missing(n->ty);
	enum op op = (enum op)n->op;
	if (n->ty == TY_NUM && a.ty == TY_NUM) {
		switch (op) {
		case OP_ADD: return v_num(a.u.n + b.u.n);
		case OP_SUB: return v_num(a.u.n - b.u.n);
		case OP_MUL: return v_num(a.u.n * b.u.n);
		default:
			if (b.u.n == 0)
				return v_missing(TY_NUM);
			return v_num(a.u.n / b.u.n);
		}
	}
	if (n->ty == TY_NUM && a.ty == TY_DATE)
		return v_num((double)a.u.d - (double)b.u.d);
	if (n->ty == TY_NUM) {   /* money / money */
		int64_t x, y;
		struct val pr;
		if (money_pair(a, b, &x, &y, &pr) != 0 || y == 0)
			return v_missing(TY_NUM);
		return v_num((double)x / (double)y);
	}
	if (n->ty == TY_DATE) {
		struct val r = v_missing(TY_DATE);
		double d = a.ty == TY_DATE ? (op == OP_ADD ? (double)a.u.d + b.u.n : (double)a.u.d - b.u.n)
		                           : (double)b.u.d + a.u.n;
		if (d < -3e6 || d > 3e6)
			return r;
		r.miss = 0;
		r.u.d = (cx_day)llround(d);
		return r;
	}
	/* money result */
	struct val r = v_missing(TY_MONEY);
	if (op == OP_MUL || op == OP_DIV) {
		struct val m = a.ty == TY_MONEY ? a : b;
		double k = a.ty == TY_MONEY ? b.u.n : a.u.n;
		double x;
		if (op == OP_DIV) {
			if (k == 0)
				return r;
			x = (double)m.u.m / k;
		} else {
			x = (double)m.u.m * k;
		}
		if (!(x > -9.2e18 && x < 9.2e18))
			return r;
		r = m;
		r.u.m = llround(x);
		return r;
	}
	int64_t x, y;
	struct val pr;
	if (money_pair(a, b, &x, &y, &pr) != 0)
		return r;
	r = pr;
	r.miss = 0;
	if (op == OP_SUB) {
		if (y == INT64_MIN)
			return v_missing(TY_MONEY);
		y = -y;
	}
	if (cx_money_add(&x, y) < 0) {
		(void)P;
		return v_missing(TY_MONEY);
	}
	r.u.m = x;
	return r;
}

static struct val
eval(struct cx_rules *P, int ni, long row)
{
	const struct node *n = &P->nodes[ni];
	switch ((enum op)n->op) {
	case OP_LIT:
		return n->lit;
	case OP_TODAY: {
		struct val v = v_missing(TY_DATE);
		v.miss = 0;
		v.u.d = P->today;
		return v;
	}
	case OP_COL:
		return *slot_val(P, n->slot, row < 0 ? driver_row(P) : (size_t)row);
	case OP_AGG:
		if (!(P->agg_done & (1u << n->slot))) {
			compute_aggs(P, 1u << n->slot);
			P->agg_done |= 1u << n->slot;
		}
		return P->aggv[n->slot];
	case OP_NEG: {
		struct val v = eval(P, n->a, row);
		if (v.miss)
			return v;
		if (v.ty == TY_NUM)
			v.u.n = -v.u.n;
		else if (v.u.m == INT64_MIN)
			return v_missing(TY_MONEY);
		else
			v.u.m = -v.u.m;
		return v;
	}
	case OP_NOT: {
		int t = truth(eval(P, n->a, row));
		return tri(t == 2 ? 2 : !t);
	}
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		return arith(P, n, eval(P, n->a, row), eval(P, n->b, row));
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
		int c = compare(eval(P, n->a, row), eval(P, n->b, row));
		if (c == 2)
			return tri(2);
		switch ((enum op)n->op) {
		case OP_EQ: return tri(c == 0);
		case OP_NE: return tri(c != 0);
		case OP_LT: return tri(c < 0);
		case OP_LE: return tri(c <= 0);
		case OP_GT: return tri(c > 0);
		default: return tri(c >= 0);
		}
	}
	case OP_AND: {
		int a = truth(eval(P, n->a, row));
		if (a == 0)
			return tri(0);
		int b = truth(eval(P, n->b, row));
		if (b == 0)
			return tri(0);
		return tri(a == 2 || b == 2 ? 2 : 1);
	}
	case OP_OR: {
		int a = truth(eval(P, n->a, row));
		if (a == 1)
			return tri(1);
		int b = truth(eval(P, n->b, row));
		if (b == 1)
			return tri(1);
		return tri(a == 2 || b == 2 ? 2 : 0);
	}
	case OP_IN: case OP_NOTIN: {
		struct val a = eval(P, n->a, row);
		int res = 0;
		for (int i = 0; i < n->nkids; i++) {
			int c = compare(a, eval(P, P->kids[n->kid0 + i], row));
			if (c == 0) {
				res = 1;
				break;
			}
			if (c == 2)
				res = 2;
		}
		if (n->op == OP_NOTIN && res != 2)
			res = !res;
		return tri(res);
	}
	case OP_BETWEEN: case OP_NOTBETWEEN: {
		struct val a = eval(P, n->a, row);
		int c1 = compare(a, eval(P, n->b, row));
		int c2 = compare(a, eval(P, n->c, row));
		int lo = c1 == 2 ? 2 : c1 >= 0, hi = c2 == 2 ? 2 : c2 <= 0;
		int res = lo == 0 || hi == 0 ? 0 : (lo == 2 || hi == 2) ? 2 : 1;
		if (n->op == OP_NOTBETWEEN && res != 2)
			res = !res;
		return tri(res);
	}
	case OP_MEMBER: case OP_NOTMEMBER: {
		struct val a = eval(P, n->a, row);
		if (a.miss)
			return tri(2);
		struct val s = eval(P, n->b, row);
		int h = s.miss ? 0 : set_has(s.u.s.p, s.u.s.n, a.u.s.p, a.u.s.n);
		return tri(n->op == OP_MEMBER ? h : !h);
	}
	case OP_HAS_ANY: case OP_HAS_ALL: case OP_HAS_NONE: {
		struct val s = eval(P, n->a, row);
		int any = 0, all = 1;
		for (int i = 0; i < n->nkids; i++) {
			const struct val *it = &P->nodes[P->kids[n->kid0 + i]].lit;
			int h = s.miss ? 0 : set_has(s.u.s.p, s.u.s.n, it->u.s.p, it->u.s.n);
			any |= h;
			all &= h;
		}
		return tri(n->op == OP_HAS_ANY ? any : n->op == OP_HAS_ALL ? all : !any);
	}
	case OP_MISSING: case OP_PRESENT: {
		struct val a = eval(P, n->a, row);
		int m = a.miss || (a.ty == TY_SET && a.u.s.n == 0);
		return tri(n->op == OP_MISSING ? m : !m);
	}
	case OP_MIN: case OP_MAX: {
		struct val best = v_missing(n->ty);
		for (int i = 0; i < n->nkids; i++) {
			struct val x = eval(P, P->kids[n->kid0 + i], row);
			if (x.miss)
				continue;
			if (best.miss) {
				best = x;
				continue;
			}
			int c = compare(x, best);
			if (c == 2)
				return v_missing(n->ty);
			if ((n->op == OP_MIN && c < 0) || (n->op == OP_MAX && c > 0))
				best = x;
		}
		/* a bare number that won against money becomes money */
		if (!best.miss && n->ty == TY_MONEY && best.ty == TY_NUM) {
			for (int i = 0; i < n->nkids; i++) {
				struct val x = eval(P, P->kids[n->kid0 + i], row);
				if (!x.miss && x.ty == TY_MONEY) {
					int64_t m;
					if (num_to_money(best.u.n, x.exp, &m) < 0)
						return v_missing(TY_MONEY);
					x.u.m = m;
					return x;
				}
			}
			return v_missing(TY_MONEY);
		}
		return best;
	}
	case OP_ABS: {
		struct val v = eval(P, n->a, row);
		if (v.miss)
			return v;
		if (v.ty == TY_NUM)
			v.u.n = fabs(v.u.n);
		else if (v.u.m == INT64_MIN)
			return v_missing(TY_MONEY);
		else if (v.u.m < 0)
			v.u.m = -v.u.m;
		return v;
	}
	case OP_DAYS: {
		struct val v = eval(P, n->a, row);
		if (v.miss)
			return v_missing(TY_NUM);
		return v_num((double)v.u.d - (double)P->today);
	}
	case OP_QANY: case OP_QALL: case OP_QCOUNT: {
		int res = n->op == OP_QALL ? 1 : 0;
		size_t cnt = 0;
		for (size_t r = 0; r < P->cust->nrows; r++) {
			int t = truth(eval(P, n->a, (long)r));
			if (n->op == OP_QCOUNT) {
				cnt += t == 1;
			} else if (n->op == OP_QANY) {
				if (t == 1)
					return tri(1);
				if (t == 2)
					res = 2;
			} else {
				if (t == 0)
					return tri(0);
				if (t == 2)
					res = 2;
			}
		}
		if (n->op == OP_QCOUNT)
			return v_num((double)cnt);
		return tri(res);
	}
	}
	return v_missing(n->ty);
}

static int
begin_customer(struct cx_rules *P, const struct cx_rules_customer *c, struct cx_error *err)
{
	P->cust = c;
	P->err = err;
	P->failed = 0;
	P->driver = -1;
	P->agg_done = 0;
	if (++P->gen == 0) {
		/* wrapped: invalidate everything */
		if (P->cache)
			memset(P->cache, 0, P->cache_rows * P->nslots * sizeof *P->cache);
		P->gen = 1;
	}
	if (c->nrows > P->cache_rows && P->nslots) {
		size_t rows = P->cache_rows ? P->cache_rows : 4;
		while (rows < c->nrows)
			rows *= 2;
		struct cacheent *nc = cx_calloc(rows * P->nslots, sizeof *nc);
		if (!nc)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		cx_free(P->cache);
		P->cache = nc;
		P->cache_rows = rows;
	}
	if (c->nrows == 0)
		return cx_error_set(err, CX_EINTERNAL, NULL, 0, "customer without rows");
	return 0;
}

static void
fill_result(struct cx_rules *P, size_t i, struct cx_rules_result *res)
{
	const struct rule *r = &P->rules[i];
	res->rule = i;
	res->rule_id = r->id;
	res->segment = r->segment;
	res->treatment = r->treatment;
	res->experiment = "";
	res->arm = "";
	res->bucket = -1;
	if (r->exp >= 0) {
		const struct experiment *e = &P->exps[r->exp];
		int b = cx_rules_bucket(P->cust->key, P->cust->keylen, e->salt, e->saltlen);
		res->experiment = e->name;
		res->bucket = b;
		for (size_t k = 0; k < e->narms; k++) {
			if (b >= e->arms[k].lo && b < e->arms[k].hi) {
				res->arm = e->arms[k].name;
				if (e->arms[k].treatment)
					res->treatment = e->arms[k].treatment;
				break;
			}
		}
	}
}

int
cx_rules_eval(struct cx_rules *P, const struct cx_rules_customer *c, struct cx_rules_result *res,
              struct cx_error *err)
{
	int rc = begin_customer(P, c, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < P->nrules; i++) {
		struct val v = eval(P, P->rules[i].cond, -1);
		if (P->failed) {
			res->bad_row = P->bad_row;
			return err->code ? err->code : CX_EDATA;
		}
		if (!v.miss && v.u.b) {
			fill_result(P, i, res);
			return 0;
		}
	}
	return cx_error_set(err, CX_EINTERNAL, NULL, 0, "no rule matched (missing catch-all)");
}

/* ---- explain --------------------------------------------------------- */

static void
exputs(struct cx_rules *P, const char *s, size_t n)
{
	if (P->exfail)
		return;
	if (cx_grow((void **)&P->ex, &P->excap, P->exlen + n + 1, 1)) {
		P->exfail = 1;
		return;
	}
	memcpy(P->ex + P->exlen, s, n);
	P->exlen += n;
	P->ex[P->exlen] = 0;
}

static void explain_printf(struct cx_rules *P, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
explain_printf(struct cx_rules *P, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	exputs(P, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void
format_val(const struct val *v, char *buf, size_t sz, int pii)
{
	if (v->miss || (v->ty == TY_SET && v->u.s.n == 0)) {
		snprintf(buf, sz, v->ty == TY_SET ? "(empty)" : "(missing)");
		return;
	}
	switch (v->ty) {
	case TY_BOOL:
		snprintf(buf, sz, "%s", v->u.b ? "true" : "false");
		break;
	case TY_NUM:
		if (v->u.n == floor(v->u.n) && fabs(v->u.n) < 1e15)
			snprintf(buf, sz, "%.0f", v->u.n);
		else
			snprintf(buf, sz, "%.4f", v->u.n);
		break;
	case TY_MONEY: {
		char m[CX_MONEY_BUFSZ];
		cx_money_format(m, v->u.m, v->exp);
		if (v->ccy[0])
			snprintf(buf, sz, "%s %.3s", m, v->ccy);
		else
			snprintf(buf, sz, "%s", m);
		break;
	}
	case TY_DATE: {
		char d[16];
		cx_date_format(d, v->u.d);
		snprintf(buf, sz, "%s", d);
		break;
	}
	default:
		if (pii) {
			snprintf(buf, sz, "(present, masked)");
		} else {
			char tmp[200];
			cx_diag_escape(tmp, sizeof tmp, v->u.s.p, v->u.s.n, 80);
			snprintf(buf, sz, "'%s'", tmp);
		}
	}
}

/* Print name = value for every column/aggregate used under node ni. */
static void
explain_operands(struct cx_rules *P, int ni, long row, int depth)
{
	const struct node *n = &P->nodes[ni];
	char vb[300];
	if (n->op == OP_COL || n->op == OP_AGG) {
		struct val v = eval(P, ni, row);
		const char *nm = n->op == OP_COL ? P->slots[n->slot].name : aggs[n->slot].name;
		format_val(&v, vb, sizeof vb, n->op == OP_COL && P->slots[n->slot].pii);
		explain_printf(P, "%*s%s = %s%s\n", depth * 2, "", nm, vb,
		               n->op == OP_COL && row < 0 && P->cust->nrows > 1 ? " (driver account)" : "");
		return;
	}
	if (n->op == OP_QANY || n->op == OP_QALL || n->op == OP_QCOUNT)
		return;   /* per-account values would be noise */
	if (n->a >= 0)
		explain_operands(P, n->a, row, depth);
	if (n->b >= 0)
		explain_operands(P, n->b, row, depth);
	if (n->c >= 0)
		explain_operands(P, n->c, row, depth);
	if (n->op != OP_HAS_ANY && n->op != OP_HAS_ALL && n->op != OP_HAS_NONE)
		for (int i = 0; i < n->nkids; i++)
			if (P->kids[n->kid0 + i] != n->a)
				explain_operands(P, P->kids[n->kid0 + i], row, depth);
}

static void explain_node(struct cx_rules *P, int ni, int depth);

/* "a and b and c" parses as ((a and b) and c): show a, b, c side by side. */
static void
explain_chain(struct cx_rules *P, unsigned char op, int ni, int depth)
{
	const struct node *n = &P->nodes[ni];
	if (n->op == op && n->s0 == P->nodes[n->a].s0) {
		explain_chain(P, op, n->a, depth);
		explain_chain(P, op, n->b, depth);
		return;
	}
	explain_node(P, ni, depth);
}

static void
explain_node(struct cx_rules *P, int ni, int depth)
{
	const struct node *n = &P->nodes[ni];
	struct val v = eval(P, ni, -1);
	const char *res = v.miss ? "unknown (missing value)" : v.u.b ? "true" : "false";
	size_t s0 = n->s0, s1 = n->s1;
	if (s1 > P->srclen)
		s1 = P->srclen;
	/* the source text of the condition, newlines folded */
	char text[400];
	size_t k = 0;
	for (size_t i = s0; i < s1 && k < sizeof text - 4; i++) {
		char c = P->src[i];
		if (c == '\n' || c == '\t' || c == '\r')
			c = ' ';
		if (c == ' ' && k && text[k - 1] == ' ')
			continue;
		text[k++] = c;
	}
	if (s1 - s0 > sizeof text - 4) {
		memcpy(text + k, "...", 3);
		k += 3;
	}
	text[k] = 0;
	explain_printf(P, "%*s%s -> %s\n", depth * 2, "", text, res);
	if (n->op == OP_AND || n->op == OP_OR) {
		explain_chain(P, n->op, n->a, depth + 1);
		explain_chain(P, n->op, n->b, depth + 1);
	} else if (n->op == OP_NOT) {
		explain_node(P, n->a, depth + 1);
	} else if (n->op != OP_LIT) {
		explain_operands(P, ni, -1, depth + 2);
	}
}

int
cx_rules_explain(struct cx_rules *P, const struct cx_rules_customer *c,
                 struct cx_rules_result *res, char **text, struct cx_error *err)
{
	*text = NULL;
	int rc = begin_customer(P, c, err);
	if (rc < 0)
		return rc;
	P->exlen = 0;
	P->exfail = 0;
	size_t d = driver_row(P);
	char kb[200];
	cx_diag_escape(kb, sizeof kb, c->key, c->keylen, 100);
	explain_printf(P, "customer %s: %zu account%s, driver account is row %zu of the group\n",
	               kb, c->nrows, c->nrows == 1 ? "" : "s", d + 1);
	rc = CX_EINTERNAL;
	for (size_t i = 0; i < P->nrules; i++) {
		const struct rule *r = &P->rules[i];
		struct val v = eval(P, r->cond, -1);
		if (P->failed) {
			res->bad_row = P->bad_row;
			rc = err->code ? err->code : CX_EDATA;
			break;
		}
		int m = !v.miss && v.u.b;
		explain_printf(P, "rule %s (%s:%d): %s\n", r->id, P->name, r->line,
		               m ? "MATCH" : v.miss ? "no match (unknown: a value is missing)" : "no match");
		if (!r->catch_all)
			explain_node(P, r->cond, 1);
		if (m) {
			fill_result(P, i, res);
			explain_printf(P, "result: segment %s, treatment %s", res->segment, r->treatment);
			if (r->exp >= 0) {
				explain_printf(P, "\nexperiment %s: bucket %d of 10000 -> arm %s, treatment %s",
				               res->experiment, res->bucket, res->arm, res->treatment);
			}
			explain_printf(P, "\n");
			rc = 0;
			break;
		}
	}
	if (rc == CX_EINTERNAL)
		cx_error_set(err, rc, NULL, 0, "no rule matched (missing catch-all)");
	if (P->exfail) {
		cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		return CX_ENOMEM;
	}
	*text = P->ex;
	P->ex = NULL;
	P->excap = 0;
	P->exlen = 0;
	return rc;
}
