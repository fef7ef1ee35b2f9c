/* cx_norm — normalisers for the values of raw exports: phones to E.164,
 * emails, national ids, account ids, countries, languages, time zones and
 * the flag/channel vocabularies of cx_schema.h.
 *
 * Conventions for every function here:
 *  - input is (s, n): n bytes, not necessarily NUL-terminated, UTF-8;
 *  - text results go to a caller buffer (out, outsz); the result is always
 *    NUL-terminated when outsz > 0 and the return value is its length;
 *  - an input that is empty or only white space gives length 0 ("no value",
 *    the caller decides whether that is allowed);
 *  - a value that cannot be normalised returns -1 and sets *why to a static
 *    reason (lower case, no final period, never quoting the value, so it
 *    is safe to print next to PII columns);
 *  - out may be the input buffer itself (in-place normalisation), except
 *    for a phone number (cx_norm_phone writes out before it has read all
 *    of s, and its result can gain the country code): no other result is
 *    longer than its input;
 *  - nothing reads the locale, the clock or the environment.
 *
 * Ownership: no allocation; callers own every buffer; returned strings are
 * static constant data.
 */
#ifndef CX_NORM_H
#define CX_NORM_H

#include <stddef.h>

/* ---- phones ---------------------------------------------------------- */

/* E.164 is '+' and at most 15 digits. */
#define CX_PHONE_BUFSZ 17

/* Normalise a phone number to E.164 ("+573001234567").  Spaces (also
 * U+00A0 and U+202F), '.', '-', '/', '(' and ')' are dropped.  A leading '+'
 * or "00" introduces the country calling code; otherwise the number is
 * national for default_country (ISO 3166 alpha-2, may be NULL: then a
 * national number is rejected).  National trunk prefixes are removed and
 * country rules checked for CO, MX, US/CA (NANP), ES, PE, CL, AR, BR, EC;
 * numbers of other countries only get the E.164 length check (7..15
 * digits).  Letters, extensions, several numbers in one cell and
 * spreadsheet scientific notation ("3.00123E+09") are rejected.
 * outsz >= CX_PHONE_BUFSZ always suffices.  Returns the length or -1. */
int cx_norm_phone(const char *s, size_t n, const char *default_country,
                  char *out, size_t outsz, const char **why);

/* Calling code ("57") of a supported country, or NULL. */
const char *cx_phone_calling_code(const char *country2);

/* ---- emails ---------------------------------------------------------- */

/* Trim white space, drop a "mailto:" prefix, lower-case ASCII letters and
 * check the syntax: exactly one '@', a non-empty local part of at most 64
 * bytes, a domain with at least one '.', labels non-empty, no spaces,
 * control bytes or any of ()<>[]\,;:" anywhere.  Non-ASCII bytes (IDN) are
 * kept as they are.  Returns the length or -1. */
int cx_norm_email(const char *s, size_t n, char *out, size_t outsz, const char **why);

/* ---- national ids ---------------------------------------------------- */

/* Identity documents: cedula, NIT (with or without check digit), RUT
 * ("12.345.678-K"), DNI, CURP, RFC, SSN.  Surrounding white space, '.',
 * '-', '/' and inner spaces are dropped, ASCII letters upper-cased, and
 * everything else must be [0-9A-Z].  Leading zeros are kept (ids are text).
 * Rejected: spreadsheet scientific notation ("1.02E+09", "1,02E+09"), '.'
 * that is not a thousands separator ("1020304050.0", a spreadsheet
 * decimal), ids longer than 32 characters after stripping.
 * Returns the length or -1. */
int cx_norm_national_id(const char *s, size_t n, char *out, size_t outsz, const char **why);

/* Colombian NIT check digit (DIAN mod-11 with weights 3,7,13,...,71 from
 * the rightmost digit) of digits[0..n), n <= 15, all ASCII digits.
 * Returns 0..9, or -1 when the input is not 1..15 digits. */
int cx_nit_check_digit(const char *digits, size_t n);
/* True (1) when s is a NIT whose last digit is its check digit (as produced
 * by cx_norm_national_id: digits only, "9001234567"), else 0. */
int cx_nit_valid(const char *s, size_t n);

/* True (1) when s (upper case, 18 bytes) has the shape of a Mexican CURP:
 * 4 letters, a valid YYMMDD date, sex H/M/X, a state code (or NE), 3
 * consonants, a homoclave [0-9A-Z] and a check digit; else 0. */
int cx_curp_valid_format(const char *s, size_t n);
/* Check digit of the first 17 characters of a CURP, or -1. */
int cx_curp_check_digit(const char *s, size_t n);
/* Format and check digit both right. */
int cx_curp_valid(const char *s, size_t n);

/* ---- account and other ids -------------------------------------------- */

/* Ids of accounts, customers in a source, agents: surrounding ASCII white
 * space is trimmed; what remains must be non-empty [0-9A-Za-z._-] (case
 * kept).  U+FEFF, NBSP, control bytes and anything else are rejected, and
 * so is spreadsheet scientific notation ("1.02E+09", "1,02E+09"; catalogue
 * case 33), with its own reason.
 * Returns the length or -1 (an empty or blank id is -1 too). */
int cx_norm_id(const char *s, size_t n, char *out, size_t outsz, const char **why);

/* ---- codes ----------------------------------------------------------- */

/* ISO 3166 alpha-2 code ("CO") for an alpha-2 or alpha-3 code or a name in
 * English or Spanish ("Colombia", "México", "Estados Unidos", "EE.UU.",
 * "USA", "MEX").  Case, accents, spaces, dots and hyphens are ignored.
 * Returns a static string or NULL when unknown. */
const char *cx_norm_country(const char *s, size_t n);

/* "es", "en" or "pt" from codes and names ("ES", "es-CO", "spa",
 * "español", "Spanish", "castellano", "inglés", "português"...), or NULL. */
const char *cx_norm_language(const char *s, size_t n);

/* Default IANA time zone for a country when the data has none: CO
 * America/Bogota, MX America/Mexico_City, PE America/Lima, EC
 * America/Guayaquil, CL America/Santiago, AR America/Argentina/Buenos_Aires,
 * ES Europe/Madrid, BR America/Sao_Paulo.  Countries with several zones
 * where no single default is safe (US, CA) give NULL: the zone must come
 * from the data or an explicit option.  NULL for unknown countries. */
const char *cx_default_timezone(const char *country2);
/* True when s looks like an IANA zone name: "UTC" or Area/Location made of
 * [A-Za-z0-9_+-] parts separated by '/', at most 64 bytes. */
int cx_timezone_valid(const char *s, size_t n);

/* ---- integers --------------------------------------------------------- */

/* A whole number in [min, max] ("days past due", counts): surrounding
 * white space trimmed, an optional sign, ASCII digits only.  Rejected with a
 * reason: anything else ("30.5", "1,000", "1E+03", "treinta"), and values
 * outside the range ("out of range"; catalogue 36: a negative or a 99999
 * days past due under a 0..36500 policy).  Returns 0 or -1 (*out untouched
 * on failure; an empty input is -1 "empty number"). */
int cx_norm_int(const char *s, size_t n, long long min, long long max, long long *out,
                const char **why);

/* ---- vocabularies ---------------------------------------------------- */

/* One word or phrase to the index of a channel in cx_channel_names (sms,
 * whatsapp, email, call, ivr, letter, visit, portal) or of a flag in
 * cx_flag_names (dispute, bankruptcy, deceased, hardship, cease, legal,
 * fraud); English and Spanish synonyms, case and accents ignored
 * ("correo" -> email, "llamada" -> call, "wa" -> whatsapp, "mensaje de
 * texto" -> sms, "quiebra" -> bankruptcy, "jurídico" -> legal).  -1 when
 * unknown. */
int cx_norm_channel(const char *s, size_t n);
int cx_norm_flag(const char *s, size_t n);

/* A list of channels or flags separated by ',', ';', '|', '/' or '+' into
 * a bit mask (bit i = entry i of the vocabulary); repeated entries are
 * merged.  "none", "ninguno", "n/a", "-" and the empty string give 0.
 * Returns 0, or -1 with *why naming the problem (unknown entry). */
int cx_norm_channel_set(const char *s, size_t n, unsigned *mask, const char **why);
int cx_norm_flag_set(const char *s, size_t n, unsigned *mask, const char **why);

/* Canonical text of a set: names of the bits of mask in vocabulary order,
 * comma-separated ("dispute,legal").  vocab is cx_flag_names or
 * cx_channel_names.  Returns the length, or -1 when outsz is too small. */
int cx_norm_set_format(char *out, size_t outsz, const char *const *vocab, unsigned mask);

/* Boolean cells of per-flag or per-consent columns: 1 for "1", "si", "sí",
 * "s", "yes", "y", "true", "t", "x", "verdadero", "v"; 0 for the empty
 * string, "0", "no", "n", "false", "f", "falso"; -1 otherwise.  Case and
 * accents ignored. */
int cx_norm_bool(const char *s, size_t n);

/* ---- tests only ------------------------------------------------------ */

/* The general code of cx_norm_phone, cx_norm_email, cx_norm_national_id and
 * cx_norm_id without their fast paths for common shapes ("+57 312 345
 * 6789", a plain address, an id of letters and digits): same results and
 * reasons, slower.  For the unit test and fuzz target that compare the two. */
int cx_norm_phone_general(const char *s, size_t n, const char *default_country,
                          char *out, size_t outsz, const char **why);
int cx_norm_email_general(const char *s, size_t n, char *out, size_t outsz, const char **why);
int cx_norm_national_id_general(const char *s, size_t n, char *out, size_t outsz,
                                const char **why);
int cx_norm_id_general(const char *s, size_t n, char *out, size_t outsz, const char **why);
/* ... and of cx_norm_channel_set and cx_norm_flag_set without theirs for
 * lists of canonical names ("sms,whatsapp,call"). */
int cx_norm_channel_set_general(const char *s, size_t n, unsigned *mask, const char **why);
int cx_norm_flag_set_general(const char *s, size_t n, unsigned *mask, const char **why);

#endif
