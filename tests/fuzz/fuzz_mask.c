/* tests/fuzz/fuzz_mask.c: libFuzzer harness for the masking of names, ID numbers and phone
 * numbers: any input, any output buffer size; the output is always NUL-terminated inside
 * the buffer, well-formed UTF-8 without controls or bidirectional marks, and an ID number
 * always stays at least half masked.
 * fuzz-sources: app/core/mask.c */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/mask.h"
#include "tests/fuzz/utf8_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*mask_fn)(const char *in, char *out, size_t out_size);

/* Check one output of out_size bytes (allocated to exactly that size, so ASan sees any
 * write past it). */
static void check_output(const char *out, size_t out_size, int rc)
{
	if (rc != 0 && rc != -ENOSPC)
		abort();
	size_t len = strnlen(out, out_size);
	if (len >= out_size)
		abort(); /* not NUL-terminated inside the buffer */
	if (!fuzz_utf8_valid(out, len))
		abort();
	const unsigned char *u = (const unsigned char *)out;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = fuzz_utf8_char(u + i, len - i, &cp);
		if (fuzz_is_hostile_control(cp))
			abort();
		i += k;
	}
}

/* Visible (not '*', not space) and masked characters of a well-formed output. */
static void count_chars(const char *s, size_t *visible, size_t *masked)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	*visible = *masked = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = fuzz_utf8_char(u + i, n - i, &cp);
		if (cp == MASK_CHAR)
			(*masked)++;
		else if (cp != ' ')
			(*visible)++;
		i += k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const mask_fn fns[] = {mask_name, mask_id_number, mask_phone};
	if (size < 3)
		return 0;
	mask_fn fn = fns[data[0] % 3];
	bool is_id = data[0] % 3 == 1;
	size_t out_size = 1 + ((size_t)data[1] | (size_t)data[2] << 8) % MASK_OUT_MAX;
	char *in = malloc(size - 3 + 1);
	char *full = malloc(MASK_OUT_MAX);
	char *cut = malloc(out_size);
	if (!in || !full || !cut)
		abort();
	memcpy(in, data + 3, size - 3);
	in[size - 3] = '\0';

	int rc = fn(in, full, MASK_OUT_MAX);
	if (rc != 0)
		abort(); /* MASK_OUT_MAX is never too small */
	check_output(full, MASK_OUT_MAX, rc);
	/* the same text in a smaller buffer: a prefix of it, cut at a character boundary */
	rc = fn(in, cut, out_size);
	check_output(cut, out_size, rc);
	size_t cut_len = strlen(cut), full_len = strlen(full);
	if (rc == 0 ? strcmp(cut, full) != 0
	            : cut_len > full_len || memcmp(cut, full, cut_len) != 0)
		abort();
	if (rc == -ENOSPC && full_len < out_size)
		abort();
	if (fn(in, NULL, 8) != -EINVAL || fn(in, cut, 0) != -EINVAL)
		abort();
	if (is_id && !memchr(in, MASK_CHAR, size - 3)) {
		size_t visible, masked;
		count_chars(full, &visible, &masked);
		if (visible > masked)
			abort(); /* at least half of an ID number is always masked */
	}
	free(cut);
	free(full);
	free(in);
	return 0;
}
