/* tests/fuzz/fuzz_textwrap.c: libFuzzer harness for line wrapping with hostile text (invalid
 * UTF-8, control characters, right-to-left marks, scanned codes of thousands of bytes) at
 * any width: lines lie inside the text, in order, at character boundaries, without a line
 * break, no wider than the width unless one character is, and together hold every visible
 * byte of the text.
 * fuzz-sources: app/core/textwrap.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/textwrap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINES 64

/* A font stand-in: a lead byte is one unit wide when ASCII, two otherwise (a CJK glyph or a
 * replacement box); continuation bytes add nothing. */
static int measure(void *ctx, const char *s, size_t len)
{
	int w = 0;
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80)
			w += 1;
		else if ((b & 0xC0) != 0x80)
			w += 2;
	}
	return w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct text_line lines[MAX_LINES];
	static struct text_line few[3];
	if (size < 1)
		return 0;
	int max_w = data[0] & 0x7F; /* 0..127 units; 0: nothing fits, one character a line */
	size_t total = size - 1;
	char *text = malloc(total + 1);
	bool *boundary = calloc(total + 1, 1);
	bool *covered = calloc(total + 1, 1);
	if (!text || !boundary || !covered)
		abort();
	memcpy(text, data + 1, total);
	text[total] = '\0';
	total = strlen(text);
	for (size_t q = 0; q < total;) {
		size_t n;
		boundary[q] = true;
		text_utf8_next(text + q, total - q, &n);
		if (n < 1 || n > 4 || n > total - q)
			abort();
		q += n;
	}
	boundary[total] = true;

	int n = text_wrap(text, max_w, measure, NULL, lines, MAX_LINES);
	if (n < 1)
		abort();
	if (text_wrap(text, max_w, measure, NULL, few, 3) != n ||
	    memcmp(few, lines, sizeof(few[0]) * (size_t)(n < 3 ? n : 3)) != 0)
		abort(); /* the count does not depend on the room given */
	if (text_wrap(text, max_w, measure, NULL, NULL, 0) != n)
		abort();
	size_t prev_end = 0;
	for (int i = 0; i < n && i < MAX_LINES; i++) {
		const struct text_line *l = &lines[i];
		if (l->start < prev_end || l->start > total || l->len > total - l->start)
			abort();
		if (!boundary[l->start] || !boundary[l->start + l->len])
			abort(); /* a character split between lines */
		if (memchr(text + l->start, '\n', l->len))
			abort();
		if (l->width != measure(NULL, text + l->start, l->len))
			abort();
		if (l->width > max_w) {
			size_t first;
			text_utf8_next(text + l->start, l->len, &first);
			if (first != l->len)
				abort(); /* too wide, yet more than the one character that must go
				          */
		}
		for (size_t k = 0; k < l->len; k++)
			covered[l->start + k] = true;
		prev_end = l->start + l->len;
	}
	if (n <= MAX_LINES)
		for (size_t k = 0; k < total; k++)
			if (!covered[k] && text[k] != ' ' && text[k] != '\n')
				abort(); /* a visible byte on no line: text lost */
	free(covered);
	free(boundary);
	free(text);
	return 0;
}
