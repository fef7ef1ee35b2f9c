/* fuzz_utf8 — lib/cx_utf8 against simple oracles:
 *  - cx_utf8_validate agrees with a loop of cx_utf8_decode, and every
 *    decoded code point re-encodes to the same bytes;
 *  - cp1252 -> UTF-8 output is always valid UTF-8 and fails exactly at the
 *    first of the five undefined bytes;
 *  - cx_find_control agrees with a byte loop; the BOM and mojibake helpers
 *    never read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = cx_utf8_validate(data, size), i = 0, want = (size_t)-1, bad;
	static char out[3 * 65536];
	size_t k;

	while (i < size) {
		uint32_t cp;
		char enc[4];
		int len = cx_utf8_decode(data + i, size - i, &cp);
		if (len == 0) {
			want = i;
			break;
		}
		if (cx_utf8_encode(cp, enc) != len || memcmp(enc, data + i, (size_t)len) != 0)
			abort();
		i += (size_t)len;
	}
	if (off != want)
		abort();

	if (size <= 65536) {
		size_t first_undef = (size_t)-1;
		for (i = 0; i < size; i++)
			if (cx_cp1252_codepoint(data[i]) == 0 && data[i] != 0) {
				first_undef = i;
				break;
			}
		k = cx_cp1252_to_utf8(data, size, out, &bad);
		if (first_undef != (size_t)-1) {
			if (k != (size_t)-1 || bad != first_undef)
				abort();
		} else {
			if (k == (size_t)-1 || k > CX_CP1252_MAXOUT(size) || !cx_utf8_valid(out, k))
				abort();
		}
	}

	want = (size_t)-1;
	for (i = 0; i < size; i++)
		if ((data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r') ||
		    data[i] == 0x7F) {
			want = i;
			break;
		}
	if (cx_find_control(data, size) != want)
		abort();
	(void)cx_utf8_mojibake_count(data, size);
	(void)cx_bom_utf8(data, size);
	(void)cx_bom_utf16(data, size);
	return 0;
}
