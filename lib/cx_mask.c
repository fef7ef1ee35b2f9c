/* cx_mask — see cx_mask.h. */
#include <string.h>

#include "cx_mask.h"

/* Append helper: writes what fits, always counts. */
struct sink {
	char *out;
	size_t outsz;
	size_t len;
};

static void put(struct sink *k, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (k->len + 1 < k->outsz)
			k->out[k->len] = p[i];
		k->len++;
	}
}

static size_t finish(struct sink *k)
{
	if (k->outsz > 0)
		k->out[k->len < k->outsz ? k->len : k->outsz - 1] = '\0';
	return k->len;
}

size_t cx_mask_id(char *out, size_t outsz, const char *s, size_t n)
{
	struct sink k = { out, outsz, 0 };
	if (n == 0)
		return finish(&k);
	if (n <= 4) {
		put(&k, "****", 4);
		return finish(&k);
	}
	put(&k, "******", 6);
	put(&k, s + n - 4, 4);
	return finish(&k);
}

size_t cx_mask_phone(char *out, size_t outsz, const char *s, size_t n)
{
	struct sink k = { out, outsz, 0 };
	char last[4];
	size_t nd = 0, total = 0;
	if (n == 0)
		return finish(&k);
	/* last four digits, ignoring '+', spaces and punctuation */
	for (size_t i = n; i > 0; i--) {
		char c = s[i - 1];
		if (c >= '0' && c <= '9') {
			total++;
			if (nd < 4)
				last[3 - nd++] = c;
		}
	}
	if (total <= 4) {
		put(&k, "****", 4);
		return finish(&k);
	}
	put(&k, "******", 6);
	put(&k, last, 4);
	return finish(&k);
}

size_t cx_mask_email(char *out, size_t outsz, const char *s, size_t n)
{
	struct sink k = { out, outsz, 0 };
	const char *at;
	if (n == 0)
		return finish(&k);
	at = memchr(s, '@', n);
	if (!at) {
		put(&k, "***", 3);
		return finish(&k);
	}
	if (at > s) {
		/* first character of the local part (whole UTF-8 sequence) */
		size_t cl = 1;
		unsigned char c0 = (unsigned char)s[0];
		if (c0 >= 0xC0) {
			while (s + cl < at && ((unsigned char)s[cl] & 0xC0) == 0x80)
				cl++;
		}
		put(&k, s, cl);
	}
	put(&k, "***", 3);
	put(&k, at, (size_t)(s + n - at));
	return finish(&k);
}

/* word separators: every ASCII byte that is not a letter or digit (UTF-8
 * lead and continuation bytes count as letters) */
static int is_space(unsigned char c)
{
	return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	                     (c >= '0' && c <= '9'));
}

size_t cx_mask_name(char *out, size_t outsz, const char *s, size_t n)
{
	struct sink k = { out, outsz, 0 };
	size_t i = 0;
	int first = 1;
	while (i < n) {
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		size_t cl = 1;
		if ((unsigned char)s[i] >= 0xC0)
			while (i + cl < n && ((unsigned char)s[i + cl] & 0xC0) == 0x80)
				cl++;
		if (!first)
			put(&k, " ", 1);
		first = 0;
		/* ASCII initials upper-cased; others copied as they are */
		if (cl == 1 && s[i] >= 'a' && s[i] <= 'z') {
			char u = (char)(s[i] - 'a' + 'A');
			put(&k, &u, 1);
		} else {
			put(&k, s + i, cl);
		}
		put(&k, ".", 1);
		i += cl;
		while (i < n && !is_space((unsigned char)s[i]))
			i++;
	}
	return finish(&k);
}

size_t cx_mask(enum cx_mask_kind kind, char *out, size_t outsz, const char *s, size_t n)
{
	struct sink k = { out, outsz, 0 };
	switch (kind) {
	case CX_MASK_ID: return cx_mask_id(out, outsz, s, n);
	case CX_MASK_PHONE: return cx_mask_phone(out, outsz, s, n);
	case CX_MASK_EMAIL: return cx_mask_email(out, outsz, s, n);
	case CX_MASK_NAME: return cx_mask_name(out, outsz, s, n);
	case CX_MASK_NONE: break;
	}
	put(&k, s, n);
	return finish(&k);
}

enum cx_mask_kind cx_mask_kind_of(const char *column)
{
	if (!strcmp(column, "national_id") || !strcmp(column, "source_customer_id"))
		return CX_MASK_ID;
	if (!strcmp(column, "phone"))
		return CX_MASK_PHONE;
	if (!strcmp(column, "email"))
		return CX_MASK_EMAIL;
	if (!strcmp(column, "name"))
		return CX_MASK_NAME;
	return CX_MASK_NONE;
}

int cx_cell_dangerous(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	switch (s[0]) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\0':
		return 1;
	default:
		return 0;
	}
}

size_t cx_cell_neutralise(char *out, size_t outsz, const char *s, size_t n)
{
	struct sink k = { out, outsz, 0 };
	if (cx_cell_dangerous(s, n))
		put(&k, "'", 1);
	put(&k, s, n);
	return finish(&k);
}
