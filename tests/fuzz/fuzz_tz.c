/* Fuzz target: the TZif reader (cx_tz_parse) and offset lookups. */
#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"
#include "cx_tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err;
	struct cx_tz *tz = cx_tz_parse(data, size, "fuzz", &err);
	if (tz) {
		int32_t off;
		(void)cx_tz_offset(tz, 0);
		(void)cx_tz_offset(tz, INT64_C(4102444800));   /* 2100, footer rule */
		(void)cx_tz_offset(tz, INT64_C(-2208988800));
		(void)cx_tz_from_local(tz, INT64_C(1700000000), &off);
	}
	cx_tz_free(tz);
	return 0;
}
