/* Fuzz target: the channel capacity and cost file reader. */
#include <stddef.h>
#include <stdint.h>

#include "cx_capacity.h"
#include "cx_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_capacity *c = NULL;
	struct cx_error err;
	cx_error_clear(&err);
	if (cx_capacity_parse((const char *)data, size, "fuzz", &c, &err) == 0)
		(void)cx_capacity_rate(c, "COP");
	cx_capacity_free(c);
	return 0;
}
