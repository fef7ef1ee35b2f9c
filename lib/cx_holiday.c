/* cx_holiday — see cx_holiday.h for the legal sources of every rule. */
#include <stdlib.h>
#include <string.h>

#include "cx_holiday.h"

/* Private calendar arithmetic (same numbering as cx_date: days since
 * 1970-01-01), kept here so this module stands alone. */
static cx_day
ymd(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (cx_day)(era * 146097 + doe - 719468);
}

/* ISO weekday 1 = Monday .. 7 = Sunday. */
static int
wday(cx_day d)
{
	long w = ((long)d % 7 + 7 + 3) % 7;   /* 1970-01-01 was a Thursday */
	return (int)w + 1;
}

static int
year_of(cx_day d)
{
	long z = (long)d + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long m = mp < 10 ? mp + 3 : mp - 9;
	return (int)(yoe + era * 400 + (m <= 2));
}

cx_day
cx_holiday_easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
	return ymd(y, month, day);
}

/* Next Monday on or after d (Ley Emiliani). */
static cx_day
emiliani(cx_day d)
{
	return d + (8 - wday(d)) % 7;
}

/* n-th (1-based) weekday wd of month; n = -1 = last. */
static cx_day
nth(int y, int m, int wd, int n)
{
	cx_day d;
	if (n > 0) {
		d = ymd(y, m, 1);
		d += (wd - wday(d) + 7) % 7;
		return d + 7 * (n - 1);
	}
	d = ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
	return d - (wday(d) - wd + 7) % 7;
}

/* US observance (5 U.S.C. 6103(b), Executive Order 11582). */
static cx_day
observed(cx_day d)
{
	int w = wday(d);
	return w == 6 ? d - 1 : w == 7 ? d + 1 : d;
}

static int
add(struct cx_holiday *v, int n, cx_day d, const char *name)
{
	v[n].day = d;
	v[n].name = name;
	return n + 1;
}

/* All holidays generated from year y's rules (some may fall in y-1 or y+1
 * for the US observance rule); returns the count (< 32). */
static int
gen(const char *c, int y, struct cx_holiday *v)
{
	int n = 0;
	if (strcmp(c, "CO") == 0) {
		cx_day e = cx_holiday_easter(y);
		n = add(v, n, ymd(y, 1, 1), "New Year's Day");
		n = add(v, n, emiliani(ymd(y, 1, 6)), "Epiphany");
		n = add(v, n, emiliani(ymd(y, 3, 19)), "Saint Joseph's Day");
		n = add(v, n, e - 3, "Maundy Thursday");
		n = add(v, n, e - 2, "Good Friday");
		n = add(v, n, ymd(y, 5, 1), "Labour Day");
		n = add(v, n, e + 43, "Ascension Day");
		n = add(v, n, e + 64, "Corpus Christi");
		n = add(v, n, e + 71, "Sacred Heart");
		n = add(v, n, emiliani(ymd(y, 6, 29)), "Saint Peter and Saint Paul");
		n = add(v, n, ymd(y, 7, 20), "Independence Day");
		n = add(v, n, ymd(y, 8, 7), "Battle of Boyaca");
		n = add(v, n, emiliani(ymd(y, 8, 15)), "Assumption Day");
		n = add(v, n, emiliani(ymd(y, 10, 12)), "Columbus Day");
		n = add(v, n, emiliani(ymd(y, 11, 1)), "All Saints' Day");
		n = add(v, n, emiliani(ymd(y, 11, 11)), "Independence of Cartagena");
		n = add(v, n, ymd(y, 12, 8), "Immaculate Conception");
		n = add(v, n, ymd(y, 12, 25), "Christmas Day");
	} else if (strcmp(c, "MX") == 0) {
		n = add(v, n, ymd(y, 1, 1), "New Year's Day");
		n = add(v, n, nth(y, 2, 1, 1), "Constitution Day");
		n = add(v, n, nth(y, 3, 1, 3), "Benito Juarez's Birthday");
		n = add(v, n, ymd(y, 5, 1), "Labour Day");
		n = add(v, n, ymd(y, 9, 16), "Independence Day");
		if (y >= 2024 && (y - 2024) % 6 == 0)
			n = add(v, n, ymd(y, 10, 1), "Transmission of the Federal Executive");
		n = add(v, n, nth(y, 11, 1, 3), "Revolution Day");
		n = add(v, n, ymd(y, 12, 25), "Christmas Day");
	} else if (strcmp(c, "US") == 0) {
		n = add(v, n, observed(ymd(y, 1, 1)), "New Year's Day");
		n = add(v, n, nth(y, 1, 1, 3), "Birthday of Martin Luther King, Jr.");
		n = add(v, n, nth(y, 2, 1, 3), "Washington's Birthday");
		n = add(v, n, nth(y, 5, 1, -1), "Memorial Day");
		if (y >= 2021)
			n = add(v, n, observed(ymd(y, 6, 19)),
			        "Juneteenth National Independence Day");
		n = add(v, n, observed(ymd(y, 7, 4)), "Independence Day");
		n = add(v, n, nth(y, 9, 1, 1), "Labor Day");
		n = add(v, n, nth(y, 10, 1, 2), "Columbus Day");
		n = add(v, n, observed(ymd(y, 11, 11)), "Veterans Day");
		n = add(v, n, nth(y, 11, 4, 4), "Thanksgiving Day");
		n = add(v, n, observed(ymd(y, 12, 25)), "Christmas Day");
	} else {
		return -1;
	}
	return n;
}

int
cx_holiday_supported(const char *country)
{
	struct cx_holiday v[32];
	return country && gen(country, 2000, v) >= 0;
}

int
cx_holiday_list(const char *country, int year, struct cx_holiday *out, size_t max)
{
	struct cx_holiday all[96];
	int n = 0, k, y, i, w = 0;
	if (!country || year < 2 || year > 9998)
		return -1;
	for (y = year - 1; y <= year + 1; y++) {
		k = gen(country, y, all + n);
		if (k < 0)
			return -1;
		n += k;
	}
	/* insertion sort: stable, so a day with two holidays keeps the name
	 * listed first above */
	for (i = 1; i < n; i++) {
		struct cx_holiday t = all[i];
		int j = i - 1;
		while (j >= 0 && all[j].day > t.day) {
			all[j + 1] = all[j];
			j--;
		}
		all[j + 1] = t;
	}
	for (i = 0; i < n; i++) {
		if (year_of(all[i].day) != year)
			continue;
		if (w > 0 && (size_t)w <= max && out[w - 1].day == all[i].day)
			continue;
		if ((size_t)w < max)
			out[w] = all[i];
		else
			break;
		w++;
	}
	return w;
}

const char *
cx_holiday_name(const char *country, cx_day day)
{
	/* The last country and year asked for, kept per thread: planners and
	 * reports ask about the same few days millions of times. */
	static _Thread_local struct {
		char country[3];
		int year, n;
		struct cx_holiday v[40];
	} memo;
	int year = year_of(day), i;
	if (!country || strlen(country) != 2)
		return NULL;
	if (memo.year != year || memcmp(memo.country, country, 3) != 0) {
		memo.n = cx_holiday_list(country, year, memo.v, 40);
		memcpy(memo.country, country, 3);
		memo.year = year;
	}
	for (i = 0; i < memo.n; i++)
		if (memo.v[i].day == day)
			return memo.v[i].name;
	return NULL;
}
