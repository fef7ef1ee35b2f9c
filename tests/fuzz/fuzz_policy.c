/* Fuzz target: the contact-policy file reader (cx_policy_parse). */
#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"
#include "cx_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_policy *p = NULL;
	struct cx_error err;
	cx_error_clear(&err);
	if (cx_policy_parse((const char *)data, size, "fuzz", &p, &err) == 0) {
		(void)cx_policy_profile(p, "CO", 2);
		(void)cx_policy_ladder(p, "firm", 4);
		(void)cx_policy_settlement_bp(p, 200);
	}
	cx_policy_free(p);
	return 0;
}
