/* money_throughput — by-hand throughput check of cx_money, cx_date and
 * cx_norm parsing (not part of make check).
 *
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Ilib tests/perf/money_throughput.c \
 *      build/libcx.a -lcsv -lz -lm -o /tmp/mt && /tmp/mt
 *
 * Parses a fixed mix of amounts (canonical, grouped, symbols, decimal
 * comma) millions of times and prints values per second for each parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cx_date.h"
#include "cx_money.h"
#include "cx_norm.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define N 4000000

int main(void)
{
	static const char *canon[] = {"1234.56", "0.05", "-98765.43", "1500000.00", "42.10",
	                              "7.00", "123456789.99", "350.75"};
	static const char *rawd[] = {"1,234.56", "$ 1,500,000.00", "(350.75)", "US$ 42.10",
	                             "98,765.43-", "7", "123,456,789.99", "0.05"};
	static const char *rawc[] = {"1.234,56", "COP$ 1.500.000,00", "(350,75)", "$ 42,10",
	                             "98.765,43-", "7", "123.456.789,99", "0,05"};
	static const char *dates[] = {"2024-06-15", "2023-12-31", "2025-01-01", "2024-02-29"};
	static const char *phones[] = {"300 123 4567", "+57 300 123 4567", "(601) 234 5678",
	                               "310-987-6543"};
	char buf[CX_MONEY_BUFSZ];
	int64_t v, sum = 0;
	const char *why;
	size_t len[8];
	double t0, t;

	for (int i = 0; i < 8; i++)
		len[i] = strlen(canon[i]);
	t0 = now();
	for (long i = 0; i < N; i++) {
		if (cx_money_parse(canon[i & 7], len[i & 7], 2, &v, &why) == 0)
			sum += v;
	}
	t = now() - t0;
	printf("cx_money_parse (canonical):          %6.1f M values/s\n", N / t / 1e6);

	for (int i = 0; i < 8; i++)
		len[i] = strlen(rawd[i]);
	t0 = now();
	for (long i = 0; i < N; i++) {
		if (cx_money_parse_raw(rawd[i & 7], len[i & 7], 2, CX_MONEY_LENIENT, &v, &why) == 0)
			sum += v;
	}
	t = now() - t0;
	printf("cx_money_parse_raw (lenient):        %6.1f M values/s\n", N / t / 1e6);

	for (int i = 0; i < 8; i++)
		len[i] = strlen(rawc[i]);
	t0 = now();
	for (long i = 0; i < N; i++) {
		if (cx_money_parse_raw(rawc[i & 7], len[i & 7], 2,
		                       CX_MONEY_LENIENT | CX_MONEY_DECIMAL_COMMA, &v, &why) == 0)
			sum += v;
	}
	t = now() - t0;
	printf("cx_money_parse_raw (decimal comma):  %6.1f M values/s\n", N / t / 1e6);

	t0 = now();
	for (long i = 0; i < N; i++)
		sum += (int64_t)cx_money_format(buf, (int64_t)i * 7919 - 1000000, 2);
	t = now() - t0;
	printf("cx_money_format:                     %6.1f M values/s\n", N / t / 1e6);

	t0 = now();
	for (long i = 0; i < N; i++) {
		cx_day d;
		if (cx_date_parse_iso(dates[i & 3], 10, &d, &why) == 0)
			sum += d;
	}
	t = now() - t0;
	printf("cx_date_parse_iso:                   %6.1f M values/s\n", N / t / 1e6);

	t0 = now();
	for (long i = 0; i < N / 4; i++) {
		char out[CX_PHONE_BUFSZ];
		sum += cx_norm_phone(phones[i & 3], strlen(phones[i & 3]), "CO", out, sizeof out, &why);
	}
	t = now() - t0;
	printf("cx_norm_phone:                       %6.1f M values/s\n", N / 4 / t / 1e6);

	t0 = now();
	for (long i = 0; i < N / 4; i++)
		sum += cx_norm_country("Colombia", 8) != NULL;
	t = now() - t0;
	printf("cx_norm_country (name):              %6.1f M values/s\n", N / 4 / t / 1e6);
	printf("(checksum %lld)\n", (long long)sum);
	return 0;
}
