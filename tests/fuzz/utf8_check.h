/* tests/fuzz/utf8_check.h: strict UTF-8 checks the harnesses share, written apart from the
 * code under test so that a fault in its decoder is not mirrored here. Header-only. */
#ifndef HK_TESTS_FUZZ_UTF8_CHECK_H
#define HK_TESTS_FUZZ_UTF8_CHECK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed character at s (n bytes available), or 0 when it is not one
 * (overlong, surrogate, above U+10FFFF, cut); stores the code point in *cp. */
static inline size_t fuzz_utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2, c = s[0] & 0x1F, min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3, c = s[0] & 0x0F, min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* True when the n bytes at s are well-formed UTF-8. */
static inline bool fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = fuzz_utf8_char(u + i, n - i, &cp);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

/* True for the characters a masked or displayed text must never carry: C0 and C1 controls,
 * DEL, and the bidirectional controls (LRM, RLM, ALM, LRE..RLO, LRI..PDI). */
static inline bool fuzz_is_hostile_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
	       cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}
#endif
