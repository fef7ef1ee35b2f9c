/* cx_utf8 — UTF-8 validation, windows-1252 transcoding and small encoding
 * checks used by the raw record reader (cx_csv) and anything else that
 * takes bytes from outside.
 *
 * Ownership: every function works on caller-owned (ptr, len) buffers and
 * allocates nothing.  Nothing here prints, exits or keeps state.
 *
 * Validation follows RFC 3629 / Unicode Table 3-7 ("well-formed UTF-8 byte
 * sequences"): overlong forms (C0 AF, E0 80 80 ...), surrogates (ED A0 80 ..
 * ED BF BF), code points above U+10FFFF (F4 90 .., F5..FF) and truncated
 * sequences are all invalid.  The offset returned is that of the first byte
 * that cannot be part of a well-formed sequence (for a truncated sequence at
 * the end of the buffer, the lead byte).
 *
 * windows-1252: bytes 0x00-0x7F are ASCII, 0xA0-0xFF are U+00A0-U+00FF, and
 * 0x80-0x9F follow the Microsoft table (0x80 EURO SIGN, 0x93/0x94 curly
 * double quotes, 0x85 ELLIPSIS, ...).  The five bytes the code page leaves
 * undefined (0x81 0x8D 0x8F 0x90 0x9D) are an error rather than being
 * passed through as C1 controls.  "latin1" / "iso-8859-1" are accepted as
 * aliases of cp1252 (a superset for printable text: real "Latin-1" exports
 * from Windows are cp1252; genuine C1 controls never occur in such files).
 */
#ifndef CX_UTF8_H
#define CX_UTF8_H

#include <stddef.h>
#include <stdint.h>

enum cx_encoding {
	CX_ENC_UTF8 = 0,
	CX_ENC_CP1252 = 1
};

/* Parse an encoding name: "utf-8", "utf8", "cp1252", "windows-1252",
 * "win1252", "latin1", "latin-1", "iso-8859-1", "iso8859-1" (case
 * insensitive).  Returns CX_ENC_* or -1 when unknown. */
int cx_encoding_parse(const char *name);
const char *cx_encoding_name(int enc);   /* "utf-8" or "cp1252" */

/* Returns SIZE_MAX when p[0..n) is well-formed UTF-8, else the 0-based
 * offset of the first bad byte. */
size_t cx_utf8_validate(const void *p, size_t n);
static inline int cx_utf8_valid(const void *p, size_t n)
{
	return cx_utf8_validate(p, n) == (size_t)-1;
}

/* Decode one code point at p (n > 0 bytes available).  Returns its length
 * (1-4) and stores the code point, or 0 when the sequence is ill-formed. */
int cx_utf8_decode(const void *p, size_t n, uint32_t *cp);
/* Encode cp (<= 0x10FFFF, not a surrogate) into out (4 bytes); returns the
 * length, or 0 for an invalid code point. */
int cx_utf8_encode(uint32_t cp, char *out);

/* Code point of a cp1252 byte, or 0 for the five undefined bytes
 * (0x81 0x8D 0x8F 0x90 0x9D).  Byte 0x00 maps to U+0000. */
uint32_t cx_cp1252_codepoint(unsigned char b);
/* Worst-case output size of cx_cp1252_to_utf8 for n input bytes (3 n). */
#define CX_CP1252_MAXOUT(n) ((n) * 3)
/* Transcode n cp1252 bytes to UTF-8 into out, which must hold at least
 * CX_CP1252_MAXOUT(n) bytes.  Returns the output length, or (size_t)-1 when
 * an undefined byte is met, with its offset in *bad (if bad is non-NULL). */
size_t cx_cp1252_to_utf8(const void *in, size_t n, char *out, size_t *bad);

/* Number of double-encoded ("mojibake") characters in valid UTF-8 text:
 * UTF-8 that was decoded as cp1252 and encoded again, e.g. "Ã©" (C3 83 C2
 * A9) for "é", "Ã±" for "ñ", "â€œ" for a curly quote.  A heuristic for a
 * warning counter; never used to change data. */
size_t cx_utf8_mojibake_count(const void *p, size_t n);

/* Offset of the first C0 control byte other than TAB, LF and CR (0x00-0x08,
 * 0x0B, 0x0C, 0x0E-0x1F) or DEL (0x7F), or SIZE_MAX when there is none.
 * NUL is reported like any other control. */
size_t cx_find_control(const void *p, size_t n);

/* Byte-order marks at the start of a buffer.  Return the BOM length (3 for
 * UTF-8, 2 for UTF-16) or 0. */
size_t cx_bom_utf8(const void *p, size_t n);
/* 1 = UTF-16LE (FF FE), 2 = UTF-16BE (FE FF), 0 = neither.  (A UTF-32LE
 * BOM FF FE 00 00 is reported as UTF-16LE; both need iconv.) */
int cx_bom_utf16(const void *p, size_t n);

#endif
