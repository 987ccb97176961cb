/* tests/unit/test_base32.c: app/core/base32: RFC 4648 vectors, strictness, round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/base32.h"

static const struct {
	const char *plain, *coded;
} rfc4648[] = {
    {"", ""},
    {"f", "MY"},
    {"fo", "MZXQ"},
    {"foo", "MZXW6"},
    {"foob", "MZXW6YQ"},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI"},
};

static void test_rfc4648_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		const char *p = rfc4648[i].plain, *c = rfc4648[i].coded;
		char out[32];
		assert_int_equal(base32_encode((const uint8_t *)p, strlen(p), out, sizeof out), 0);
		assert_string_equal(out, c);
		assert_int_equal(base32_encoded_len(strlen(p)), strlen(c));
		uint8_t back[32];
		size_t n = 99;
		assert_int_equal(base32_decode(c, strlen(c), back, sizeof back, &n), 0);
		assert_int_equal(n, strlen(p));
		assert_memory_equal(back, p, n);
		assert_int_equal(base32_decoded_len(strlen(c)), strlen(p));
	}
}

static void test_strict_decode(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "MZ",                             /* low bits of the last character not zero */
	    "MZXW7",                          /* same, 4 spare bits */
	    "mzxw6",                          /* lower case */
	    "MZXW6===",                       /* padding */
	    "M",                              /* impossible lengths: 1, 3, 6 mod 8 */
	    "MZX",      "MZXW6Y", "MZXW6YT1", /* 0, 1, 8, 9 are not in the alphabet */
	    "MZXW6YT8", "MZXW 6",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t out[16];
		assert_int_equal(base32_decode(bad[i], strlen(bad[i]), out, sizeof out, NULL),
		                 -EINVAL);
	}
	/* A NUL inside the counted text is an invalid character, not an end. */
	uint8_t out[16];
	assert_int_equal(base32_decode("MZ\0Q", 4, out, sizeof out, NULL), -EINVAL);
	/* Too small an output buffer. */
	assert_int_equal(base32_decode("MZXW6", 5, out, 2, NULL), -ENOSPC);
	char small[5];
	assert_int_equal(base32_encode((const uint8_t *)"foo", 3, small, sizeof small), -ENOSPC);
	assert_string_equal(small, "");
	assert_int_equal(base32_encode(NULL, 1, small, sizeof small), -EINVAL);
}

/* Every byte string of every length up to 40 survives the round trip, and every other
 * text of the same length that decodes is a different byte string (one spelling each). */
static void test_round_trip(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	for (size_t len = 0; len <= 40; len++) {
		for (int rep = 0; rep < 20; rep++) {
			uint8_t data[40], back[40];
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				data[i] = (uint8_t)(seed >> 16);
			}
			char text[80];
			assert_int_equal(base32_encode(data, len, text, sizeof text), 0);
			assert_int_equal(strlen(text), base32_encoded_len(len));
			size_t n = 0;
			assert_int_equal(base32_decode(text, strlen(text), back, sizeof back, &n),
			                 0);
			assert_int_equal(n, len);
			assert_memory_equal(back, data, len);
			/* Change the last character to every other symbol: never the same bytes. */
			size_t tl = strlen(text);
			if (tl == 0)
				continue;
			const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
			for (const char *a = alpha; *a; a++) {
				if (*a == text[tl - 1])
					continue;
				char t2[80];
				memcpy(t2, text, tl + 1);
				t2[tl - 1] = *a;
				if (base32_decode(t2, tl, back, sizeof back, &n) == 0)
					assert_memory_not_equal(back, data, len);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc4648_vectors),
	    cmocka_unit_test(test_strict_decode),
	    cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
