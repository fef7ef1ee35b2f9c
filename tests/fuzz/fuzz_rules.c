/* Fuzz target: the rule language of cx-segment (lexer, parser, checker),
 * and, for inputs that compile, the evaluator and --explain on a few fixed
 * customers (values present, missing, two currencies). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cx_err.h"
#include "cx_mem.h"
#include "cx_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const cols[] = { "customer_key", "account_id", "product", "currency",
	"balance", "past_due", "minimum_due", "days_past_due", "due_date", "flags", "consents",
	"score", "p_pay", "capacity", "willingness", "extra" };
#define NC (sizeof cols / sizeof cols[0])

static const char *const rows[3][NC] = {
	{ "c1", "1", "CARD", "USD", "1000.00", "200.00", "25.00", "45", "2026-10-06", "dispute",
	  "sms,email", "610", "0.9", "40", "70", "x" },
	{ "c1", "2", "LOAN", "COP", "5000000.00", "0.00", "", "-3", "2026-11-23", "", "",
	  "", "", "", "", "" },
	{ "c1", "3", "", "USD", "", "", "", "", "", "hardship,legal", "call", "1", "0", "0",
	  "100", "\\" },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_rules_opts o = { cols, NC, 20412 };
	struct cx_error err;
	struct cx_field f[3][NC];
	struct cx_field *r[3];
	struct cx_rules_result res;
	char *text = NULL;

	cx_error_clear(&err);
	struct cx_rules *p = cx_rules_compile("fuzz.cx", (const char *)data, size, &o, &err);
	if (!p)
		return 0;
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < NC; j++) {
			f[i][j].p = rows[i][j];
			f[i][j].n = strlen(rows[i][j]);
		}
		r[i] = f[i];
	}
	for (size_t n = 1; n <= 3; n++) {
		struct cx_rules_customer c = { "c1", 2, n, r };
		(void)cx_rules_eval(p, &c, &res, &err);
		(void)cx_rules_explain(p, &c, &res, &text, &err);
		cx_free(text);
		text = NULL;
	}
	cx_rules_free(p);
	return 0;
}
