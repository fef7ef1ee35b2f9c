/* Fuzz target: cx_date parsing of dates and timestamps.  Every input must
 * parse or fail with a reason; whatever parses must format to text that
 * parses back to the same value; the fast path for ten-byte dates must
 * agree with the general parser, in cx_date_parse and cx_date_parse_iso. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *why;
	cx_day d, back;
	char buf[32];
	int y, m, dd;

	for (int order = CX_DATE_ISO; order <= CX_DATE_MDY; order++) {
		/* the fast path for ten-byte dates agrees with the general one */
		cx_day d1 = 0, d2 = 0;
		const char *w1 = NULL, *w2 = NULL;
		int r1 = cx_date_parse(s, size, (enum cx_date_order)order, &d1, &w1);
		int r2 = cx_date_parse_nofast(s, size, (enum cx_date_order)order, &d2, &w2);
		check(r1 == r2 && d1 == d2);
		check(r1 == 0 || strcmp(w1, w2) == 0);
		why = NULL;
		if (cx_date_parse(s, size, (enum cx_date_order)order, &d, &why) == 0) {
			check(cx_date_format(buf, d) == 10);
			check(cx_date_parse_iso(buf, 10, &back, &why) == 0 && back == d);
			cx_day_to_ymd(d, &y, &m, &dd);
			check(y >= 1 && y <= 9999);
			check(cx_day_weekday(d) >= 1 && cx_day_weekday(d) <= 7);
			cx_day nd = cx_day_add_months(d, (int)(size % 25) - 12);
			cx_day_to_ymd(nd, &y, &m, &dd);
			check(dd >= 1 && dd <= cx_days_in_month(y, m));
		} else {
			check(why != NULL && why[0] != '\0');
		}
	}
	{
		/* and so does cx_date_parse_iso's */
		cx_day d1 = 0, d2 = 0;
		const char *w1 = NULL, *w2 = NULL;
		int r1 = cx_date_parse_iso(s, size, &d1, &w1);
		int r2 = cx_date_parse_iso_nofast(s, size, &d2, &w2);
		check(r1 == r2 && d1 == d2);
		check(r1 == 0 || strcmp(w1, w2) == 0);
	}
	why = NULL;
	if (cx_date_parse_iso(s, size, &d, &why) == 0) {
		cx_date_format(buf, d);
		check(memcmp(buf, s, 10) == 0);
	}
	int64_t utc, u2;
	int off, o2;
	int def = size > 0 ? (int)(data[0] % 3) * 300 - 300 : CX_NO_OFFSET;
	why = NULL;
	if (cx_timestamp_parse(s, size, def, &utc, &off, &why) == 0) {
		size_t k = cx_timestamp_format(buf, utc, off);
		check(k > 0 && k < 32);
		check(cx_timestamp_parse(buf, k, CX_NO_OFFSET, &u2, &o2, &why) == 0);
		check(u2 == utc && o2 == off);
		check(cx_timestamp_day(utc, off) == cx_timestamp_day(u2, o2));
	} else {
		check(why != NULL && why[0] != '\0');
	}
	return 0;
}
