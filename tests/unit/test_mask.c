/* tests/unit/test_mask.c: app/core/mask: the masking rules, table-driven, and hostile input
 * (invalid UTF-8, controls, bidi marks, absurd lengths, every buffer size, random bytes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/mask.h"

typedef int (*mask_fn)(const char *in, char *out, size_t out_size);

struct mask_case {
	const char *in, *want;
};

static void check_table(mask_fn fn, const struct mask_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char out[256];
		int rc = fn(c[i].in, out, sizeof out);
		if (rc != 0 || strcmp(out, c[i].want) != 0)
			fail_msg("case %zu: got \"%s\" (rc %d), want \"%s\"", i, out, rc,
			         c[i].want);
	}
}

static void test_names(void **state)
{
	(void)state;
	static const struct mask_case cases[] = {
	    {"张三", "张*"},
	    {"张小三", "张*三"},
	    {"欧阳小明", "欧**明"},
	    {"司马相如某", "司***某"},
	    {"张", "*"},
	    {"买买提·艾力", "买**·*力"},
	    {"김민수", "김*수"},
	    {"山田 太郎", "山* *郎"},
	    {"ZHANG San", "Z**** S**"},
	    {"  ZHANG \t  San \n", "Z**** S**"},
	    {"Jean-Pierre DUPONT", "J***-P***** D*****"},
	    {"O'Brien", "O******"},
	    {"Madonna", "M******"},
	    {"J. R. Smith", "J. R. S****"},
	    {"A", "*"},
	    {"Иван Петров", "И*** П*****"},
	    {"José", "J***"}, /* precomposed é */
	    {"Jose\xcc\x81 E\xcc\x81mile",
	     "J*** E\xcc\x81****"},                /* combining acute follows its letter */
	    {"ZHANG\xe3\x80\x80San", "Z**** S**"}, /* ideographic space */
	    {"", ""},
	    {"   ", ""},
	    {"---", "---"},
	};
	check_table(mask_name, cases, sizeof cases / sizeof cases[0]);
	char out[16] = "x";
	assert_int_equal(mask_name(NULL, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void test_id_numbers(void **state)
{
	(void)state;
	static const struct mask_case cases[] = {
	    {"440301199001011234", "4403**********1234"},
	    {"44030119900101123X", "4403**********123X"},
	    {"4403 0119 9001 0112 34", "4403**********1234"},
	    {"E12345678", "E1*****78"}, /* passport, 9: 2 + 5 + 2 */
	    {"12345678", "12****78"},
	    {"1234567", "1*****7"},
	    {"1234", "1**4"},
	    {"123", "***"},
	    {"1", "*"},
	    {"", ""},
	    {"1234567890123456", "1234********3456"},
	    {"12345678901234567890AB", "1234**************90AB"},
	};
	check_table(mask_id_number, cases, sizeof cases / sizeof cases[0]);
}

static void test_phones(void **state)
{
	(void)state;
	static const struct mask_case cases[] = {
	    {"13812345678", "138****5678"},
	    {"138 1234 5678", "138****5678"},
	    {"138-1234-5678", "138****5678"},
	    {"+86 138 1234 5678", "+86 138****5678"},
	    {"+8613812345678", "+86 138****5678"},
	    {"008613812345678", "0086 138****5678"},
	    {"(0755) 8345-6789", "075*****6789"},
	    {"+44 7911 123456", "+44******3456"},
	    {"83456789", "83****89"},
	    {"1234567", "1****67"},
	    {"12", "*2"},
	    {"1", "*"},
	    {"", ""},
	};
	check_table(mask_phone, cases, sizeof cases / sizeof cases[0]);
}

/* Strict UTF-8 check, written independently of mask.c; also refuses every code point the
 * masks must never emit (C0 and C1 controls, DEL, bidi and zero-width controls). */
static bool output_clean(const char *s, size_t size)
{
	size_t len = strnlen(s, size);
	if (len >= size)
		return false; /* not terminated inside the buffer */
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		uint32_t cp;
		int n;
		if (*p < 0x80) {
			cp = *p;
			n = 0;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			n = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			n = 2;
		} else if ((*p & 0xF8) == 0xF0) {
			cp = *p & 0x07;
			n = 3;
		} else {
			return false;
		}
		if (end - p <= n)
			return false;
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
		if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C ||
		    (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
			return false;
		p += n + 1;
	}
	return true;
}

static void test_hostile_names(void **state)
{
	(void)state;
	static const struct mask_case cases[] = {
	    {"\xe2\x80\xae张三", "张*"},                 /* RLO before the name */
	    {"张\xe2\x80\x8f小\xe2\x81\xa6三", "张*三"}, /* RLM, RLI inside */
	    {"Ali\xe2\x80\x8f Hassan", "A** H*****"},
	    {"ZHANG\x07\x1b San\x7f", "Z**** S**"},     /* BEL, ESC, DEL dropped */
	    {"\xef\xbb\xbfZHANG", "Z****"},             /* BOM */
	    {"Z\xe2\x80\x8b\xe2\x80\x8dHANG", "Z****"}, /* zero-width space, joiner */
	    {"\xff\xfe", "\xef\xbf\xbd*"},              /* invalid bytes: U+FFFD */
	    {"\xc0\xaf"
	     "AB",
	     "\xef\xbf\xbd***"},                     /* overlong '/': two bad bytes */
	    {"\xed\xa0\x80X", "\xef\xbf\xbd***"},    /* UTF-16 surrogate: 3 bad bytes */
	    {"\xf4\x90\x80\x80", "\xef\xbf\xbd***"}, /* above U+10FFFF */
	    {"\xe5\xbc\xa0\xe4\xb8", "张*"},         /* cut in the middle of 三 */
	    {"\xe5\xbc", "*"},                       /* a lone incomplete character */
	    {"\xcc\x81\xcc\x81"
	     "Anna",
	     "A***"},                           /* marks with nothing before them */
	    {"\xef\xb7\x90X", "\xef\xbf\xbd*"}, /* noncharacter U+FDD0 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[64];
		assert_int_equal(mask_name(cases[i].in, out, sizeof out), 0);
		assert_true(output_clean(out, sizeof out));
	}
	check_table(mask_name, cases, sizeof cases / sizeof cases[0]);
	char out[32];
	assert_int_equal(mask_id_number("4403\xe2\x80\xae"
	                                "01199001011234",
	                                out, sizeof out),
	                 0);
	assert_string_equal(out, "4403**********1234");
	assert_int_equal(mask_phone("138\x00"
	                            "12345678",
	                            out, sizeof out),
	                 0); /* C string ends */
	assert_string_equal(out, "**8");
	assert_int_equal(mask_name("x", NULL, 10), -EINVAL);
	assert_int_equal(mask_name("x", out, 0), -EINVAL);
}

/* Every buffer size: always clean and terminated, a prefix of the full result cut at a
 * character boundary, -ENOSPC exactly when something was left out. */
static void test_every_buffer_size(void **state)
{
	(void)state;
	static const struct {
		mask_fn fn;
		const char *in;
	} inputs[] = {
	    {mask_name, "欧阳小明"},           {mask_name, "Jose\xcc\x81 E\xcc\x81mile ZHANG"},
	    {mask_name, "\xff\xfe\xfd 张"},    {mask_id_number, "440301199001011234"},
	    {mask_phone, "+86 138 1234 5678"},
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		char full[128];
		assert_int_equal(inputs[i].fn(inputs[i].in, full, sizeof full), 0);
		size_t flen = strlen(full);
		for (size_t size = 1; size <= flen + 1; size++) {
			char out[130];
			memset(out, 0x55, sizeof out);
			int rc = inputs[i].fn(inputs[i].in, out, size);
			assert_true(output_clean(out, size));
			assert_int_equal((unsigned char)out[size], 0x55); /* nothing beyond size */
			assert_memory_equal(out, full, strlen(out));
			assert_int_equal(rc, strlen(out) < flen ? -ENOSPC : 0);
			assert_true(strlen(out) + 4 > size - 1 || strlen(out) == flen);
		}
	}
}

static void test_absurd_length(void **state)
{
	(void)state;
	enum {
		BIG = 100000
	};
	static char in[BIG + 1];
	static char out[MASK_OUT_MAX];
	/* 33,333 Han characters: looked at up to MASK_INPUT_MAX bytes only, and since the real
	 * end was not seen, no character from the middle is shown as "the last". */
	for (size_t i = 0; i + 3 <= BIG; i += 3)
		memcpy(in + i, "\xe5\xbc\xa0", 3);
	in[BIG - BIG % 3] = '\0';
	assert_int_equal(mask_name(in, out, sizeof out), 0);
	assert_true(output_clean(out, sizeof out));
	assert_memory_equal(out, "\xe5\xbc\xa0**", 5);
	assert_null(strstr(out + 3, "\xe5\xbc\xa0"));
	assert_int_equal(strlen(out), 3 + MASK_INPUT_MAX / 3 - 1);
	char small[40];
	assert_int_equal(mask_name(in, small, sizeof small), -ENOSPC);
	assert_true(output_clean(small, sizeof small));
	/* Digits: the tail of an ID number that was cut is not shown either. */
	memset(in, '7', BIG);
	in[BIG] = '\0';
	assert_int_equal(mask_id_number(in, out, sizeof out), 0);
	assert_memory_equal(out, "7777****", 8);
	assert_int_equal(strlen(out), MASK_INPUT_MAX);
	assert_int_equal(out[MASK_INPUT_MAX - 1], '*');
	assert_int_equal(mask_phone(in, small, sizeof small), -ENOSPC);
	assert_true(output_clean(small, sizeof small));
	/* A character straddling the limit is left out whole, not replaced. */
	memset(in, 'a', BIG);
	memcpy(in + MASK_INPUT_MAX - 1, "\xe5\xbc\xa0", 3);
	in[BIG] = '\0';
	assert_int_equal(mask_name(in, out, sizeof out), 0);
	assert_true(output_clean(out, sizeof out));
	assert_null(strstr(out, "\xef\xbf\xbd"));
}

/* Random bytes, biased towards the interesting ones: every output clean. */
static void test_random_bytes(void **state)
{
	(void)state;
	static const unsigned char pick[] = {0x00, 0x07, 0x1b, 0x20, 0x41, 0x7f, 0x80, 0xbf,
	                                     0xc0, 0xc2, 0xcc, 0xe2, 0x80, 0xae, 0xe5, 0xed,
	                                     0xa0, 0xef, 0xf0, 0xf4, 0x90, 0xff, 0x2d, 0xb7};
	uint32_t seed = 7;
	mask_fn fns[] = {mask_name, mask_id_number, mask_phone};
	for (int n = 0; n < 20000; n++) {
		char in[48], out[40];
		seed = seed * 1103515245u + 12345u;
		size_t len = (seed >> 16) % (sizeof in - 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned v = seed >> 16;
			in[i] = (char)(v & 1 ? pick[(v >> 1) % sizeof pick] : (v >> 1) & 0xff);
		}
		in[len] = '\0';
		size_t size = 1 + (seed >> 8) % sizeof out;
		int rc = fns[n % 3](in, out, size);
		assert_true(rc == 0 || rc == -ENOSPC);
		assert_true(output_clean(out, size));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_id_numbers),
	    cmocka_unit_test(test_phones),
	    cmocka_unit_test(test_hostile_names),
	    cmocka_unit_test(test_every_buffer_size),
	    cmocka_unit_test(test_absurd_length),
	    cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
