/* cx_utf8 — see cx_utf8.h. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "cx_utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Unicode Table 3-7, one row per lead byte: sequence length (0 = cannot
 * start a sequence) and the allowed range of the SECOND byte.  Bytes three
 * and four are always 80..BF. */
struct lead {
	unsigned char len, lo, hi;
};

static struct lead lead_tab[256];
static int lead_ready;

static void
lead_init(void)
{
	int b;

	for (b = 0; b < 0x80; b++)
		lead_tab[b] = (struct lead){1, 0, 0};
	/* 80..C1 and F5..FF stay {0}: continuation, overlong leads, > U+10FFFF */
	for (b = 0xC2; b <= 0xDF; b++)
		lead_tab[b] = (struct lead){2, 0x80, 0xBF};
	lead_tab[0xE0] = (struct lead){3, 0xA0, 0xBF};       /* no overlongs */
	for (b = 0xE1; b <= 0xEC; b++)
		lead_tab[b] = (struct lead){3, 0x80, 0xBF};
	lead_tab[0xED] = (struct lead){3, 0x80, 0x9F};       /* no surrogates */
	lead_tab[0xEE] = lead_tab[0xEF] = (struct lead){3, 0x80, 0xBF};
	lead_tab[0xF0] = (struct lead){4, 0x90, 0xBF};       /* no overlongs */
	lead_tab[0xF1] = lead_tab[0xF2] = lead_tab[0xF3] = (struct lead){4, 0x80, 0xBF};
	lead_tab[0xF4] = (struct lead){4, 0x80, 0x8F};       /* <= U+10FFFF */
	lead_ready = 1;
}

#define HIGH8 0x8080808080808080ULL

size_t
cx_utf8_validate(const void *vp, size_t n)
{
	const unsigned char *p = vp;
	size_t i = 0;

	if (!lead_ready)
		lead_init();
	while (i < n) {
		/* ASCII fast path, 16 then 8 bytes at a time */
#if defined(__SSE2__)
		while (i + 16 <= n && _mm_movemask_epi8(_mm_loadu_si128(
		    (const __m128i *)(const void *)(p + i))) == 0)
			i += 16;
#endif
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & HIGH8)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		{
			struct lead l = lead_tab[p[i]];
			if (l.len == 0)
				return i;
			if (i + 1 >= n || p[i + 1] < l.lo || p[i + 1] > l.hi)
				return i;
			if (l.len >= 3 && (i + 2 >= n || (p[i + 2] & 0xC0) != 0x80))
				return i;
			if (l.len == 4 && (i + 3 >= n || (p[i + 3] & 0xC0) != 0x80))
				return i;
			i += l.len;
		}
	}
	return (size_t)-1;
}

int
cx_utf8_decode(const void *vp, size_t n, uint32_t *cp)
{
	const unsigned char *p = vp;
	struct lead l;
	uint32_t c;

	if (!lead_ready)
		lead_init();
	if (n == 0)
		return 0;
	l = lead_tab[p[0]];
	if (l.len == 0 || l.len > n)
		return 0;
	if (l.len == 1) {
		*cp = p[0];
		return 1;
	}
	if (p[1] < l.lo || p[1] > l.hi)
		return 0;
	if (l.len >= 3 && (p[2] & 0xC0) != 0x80)
		return 0;
	if (l.len == 4 && (p[3] & 0xC0) != 0x80)
		return 0;
	switch (l.len) {
	case 2: c = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F); break;
	case 3: c = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F); break;
	default:
		c = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
		    ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
		break;
	}
	*cp = c;
	return l.len;
}

int
cx_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

/* windows-1252 0x80..0x9F (Unicode's cp1252.txt); 0 = undefined. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178
};

uint32_t
cx_cp1252_codepoint(unsigned char b)
{
	if (b >= 0x80 && b <= 0x9F)
		return cp1252_c1[b - 0x80];
	return b;
}

size_t
cx_cp1252_to_utf8(const void *vin, size_t n, char *out, size_t *bad)
{
	const unsigned char *in = vin;
	size_t i = 0, o = 0;

	while (i < n) {
		unsigned char b;
		uint32_t cp;

		/* ASCII runs 8 bytes at a time */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, in + i, 8);
			if (w & HIGH8)
				break;
			memcpy(out + o, &w, 8);
			i += 8;
			o += 8;
		}
		if (i >= n)
			break;
		b = in[i];
		if (b < 0x80) {
			out[o++] = (char)b;
			i++;
			continue;
		}
		if (b >= 0xA0) {
			/* U+00A0..U+00FF: C2/C3 and one continuation byte */
			out[o] = (char)(0xC0 | (b >> 6));
			out[o + 1] = (char)(0x80 | (b & 0x3F));
			o += 2;
			i++;
			continue;
		}
		cp = cx_cp1252_codepoint(b);
		if (cp == 0) {
			if (bad != NULL)
				*bad = i;
			return (size_t)-1;
		}
		o += (size_t)cx_utf8_encode(cp, out + o);
		i++;
	}
	return o;
}

/* UTF-8 of a cp1252 byte in 0x80..0xBF, as it appears after double
 * encoding; returns its length at p or 0. */
static size_t
moji_trail(const unsigned char *p, size_t n)
{
	int k;

	if (n >= 2 && p[0] == 0xC2 && p[1] >= 0xA0 && p[1] <= 0xBF)
		return 2;
	/* cp1252 0x80..0x9F re-encoded: the code points of cp1252_c1, whose
	 * UTF-8 starts with C5, C6, CB or E2 */
	if (n < 2 || (p[0] != 0xC5 && p[0] != 0xC6 && p[0] != 0xCB && p[0] != 0xE2))
		return 0;
	for (k = 0; k < 32; k++) {
		char enc[4];
		int len;

		if (cp1252_c1[k] == 0)
			continue;
		len = cx_utf8_encode(cp1252_c1[k], enc);
		if ((size_t)len <= n && memcmp(p, enc, (size_t)len) == 0)
			return (size_t)len;
	}
	return 0;
}

size_t
cx_utf8_mojibake_count(const void *vp, size_t n)
{
	const unsigned char *p = vp, *q;
	size_t i = 0, count = 0;

	/* A UTF-8 lead byte C2..DF or E2 read as cp1252 becomes U+00C2..U+00DF
	 * or U+00E2 ("Â".."ß", "â"), encoded C3 82..C3 9F / C3 A2, followed by
	 * the re-encoded continuation byte. */
	while (i + 4 <= n && (q = memchr(p + i, 0xC3, n - 3 - i)) != NULL) {
		i = (size_t)(q - p);
		if (((p[i + 1] >= 0x82 && p[i + 1] <= 0x9F) || p[i + 1] == 0xA2) &&
		    moji_trail(p + i + 2, n - i - 2)) {
			count++;
			i += 3;
		} else {
			i++;
		}
	}
	return count;
}

size_t
cx_find_control(const void *vp, size_t n)
{
	const unsigned char *p = vp;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			return i;
	}
	return (size_t)-1;
}

size_t
cx_bom_utf8(const void *vp, size_t n)
{
	const unsigned char *p = vp;

	return (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
}

int
cx_bom_utf16(const void *vp, size_t n)
{
	const unsigned char *p = vp;

	if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return 1;
	if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return 2;
	return 0;
}

int
cx_encoding_parse(const char *name)
{
	static const char *const utf8[] = {"utf-8", "utf8", NULL};
	static const char *const cp[] = {"cp1252", "windows-1252", "win1252",
	    "latin1", "latin-1", "iso-8859-1", "iso8859-1", NULL};
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; utf8[i]; i++)
		if (strcasecmp(name, utf8[i]) == 0)
			return CX_ENC_UTF8;
	for (i = 0; cp[i]; i++)
		if (strcasecmp(name, cp[i]) == 0)
			return CX_ENC_CP1252;
	return -1;
}

const char *
cx_encoding_name(int enc)
{
	return enc == CX_ENC_CP1252 ? "cp1252" : "utf-8";
}
