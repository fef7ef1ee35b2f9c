/* cx_holiday — public-holiday calendars computed from their legal rules.
 *
 *  CO  Colombia: Ley 51 de 1983 ("Ley Emiliani": listed days move to the
 *      following Monday), Ley 37 de 1905, Decreto 2663 de 1950 art. 177;
 *      Easter-based days (Holy Thursday and Good Friday in place; Ascension
 *      +43, Corpus Christi +64 and Sacred Heart +71 days after Easter
 *      Sunday, i.e. already on Mondays).
 *  MX  Mexico: Ley Federal del Trabajo art. 74 (descanso obligatorio):
 *      1 Jan, first Monday of February, third Monday of March, 1 May,
 *      16 Sep, third Monday of November, 25 Dec, and 1 Oct every six years
 *      (transmission of the federal executive: 2024, 2030, ...).  Federal
 *      election days are not fixed in advance and are left to policy files.
 *  US  United States federal holidays, 5 U.S.C. 6103 and the OPM observance
 *      rule (Saturday -> Friday before, Sunday -> Monday after); the dates
 *      returned are the observed dates, as published by OPM (so 1 Jan 2028,
 *      a Saturday, is observed on Friday 31 Dec 2027).
 *
 * Ownership: static data and caller buffers only; nothing allocates.
 */
#ifndef CX_HOLIDAY_H
#define CX_HOLIDAY_H

#include <stddef.h>

#include "cx_date.h"

struct cx_holiday {
	cx_day day;
	const char *name;    /* static English name */
};

/* True when `country` (ISO alpha-2, upper case) has a calendar here. */
int cx_holiday_supported(const char *country);
/* Holidays of `country` falling in calendar year `year`, sorted by day
 * (a day that carries two holidays appears once, with the first name).
 * Returns the number written (at most max), or -1 for an unknown country. */
int cx_holiday_list(const char *country, int year, struct cx_holiday *out, size_t max);
/* Name of the holiday on `day`, or NULL. */
const char *cx_holiday_name(const char *country, cx_day day);
/* Easter Sunday (Gregorian, anonymous algorithm) of `year`. */
cx_day cx_holiday_easter(int year);

#endif
