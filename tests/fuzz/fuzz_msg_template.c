/* Fuzz target: the message template parser and renderer (cx_msg_tpl_parse,
 * cx_msg_tpl_render) and the SMS counter/transliterator on what renders.
 * The first byte picks the channel kind (email templates have a subject). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_mem.h"
#include "cx_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_msg_tpl *t;
	struct cx_error err;
	const char *v[CX_PH_N], *missing = NULL;
	char *subj = NULL, *body = NULL;
	int kind, k;
	if (size == 0)
		return 0;
	kind = data[0] % CX_MK_N;
	cx_error_clear(&err);
	t = cx_msg_tpl_parse("fuzz", (const char *)data + 1, size - 1, kind, &err);
	if (!t) {
		if (err.code == 0 || err.msg[0] == '\0')
			abort();
		return 0;
	}
	for (k = 0; k < CX_PH_N; k++)
		v[k] = (data[0] >> 3) & 1 && k == CX_PH_PLAN ? NULL : "x\xc3\xa1\xe2\x82\xac";
	k = cx_msg_tpl_render(t, v, &subj, &body, &missing);
	if (k == 0) {
		struct cx_sms_info si;
		size_t n;
		char *tr;
		if (strchr(body, '\t') || (kind == CX_MK_EMAIL) != (subj != NULL))
			abort();
		cx_sms_count(body, strlen(body), &si);
		tr = cx_sms_transliterate(body, strlen(body), &n);
		/* text already in GSM-7 is left alone */
		if (tr && si.gsm7 && (n != strlen(body) || memcmp(tr, body, n) != 0))
			abort();
		cx_free(tr);
	} else if (k == 1 && !missing) {
		abort();
	}
	cx_free(subj);
	cx_free(body);
	cx_msg_tpl_free(t);
	return 0;
}
