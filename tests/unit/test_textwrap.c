/* tests/unit/test_textwrap.c: line breaking of Chinese, English and mixed text with a fixed
 * measure (Latin 1 unit, CJK 2 units per character). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/textwrap.h"

static int measure(void *ctx, const char *s, size_t len)
{
	int *calls = ctx;
	int w = 0;
	(*calls)++;
	for (size_t i = 0; i < len;) {
		size_t n;
		uint32_t cp = text_utf8_next(s + i, len - i, &n);
		w += text_is_cjk(cp) ? 2 : 1;
		i += n;
	}
	return w;
}

/* Wrap and join the lines with '|'. */
static int wrap(const char *text, int width, char *out, size_t n)
{
	struct text_line lines[32];
	int calls = 0;
	int count = text_wrap(text, width, measure, &calls, lines, 32);
	out[0] = '\0';
	for (int i = 0; i < count && i < 32; i++) {
		if (i)
			strncat(out, "|", n - strlen(out) - 1);
		strncat(out, text + lines[i].start,
		        lines[i].len < n - strlen(out) - 1 ? lines[i].len : n - strlen(out) - 1);
		assert_true(lines[i].width <= width || lines[i].len <= 4);
	}
	return count;
}

static void test_latin_breaks_at_spaces(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(wrap("Please scan your health code", 12, out, sizeof(out)), 3);
	assert_string_equal(out, "Please scan|your health|code");
	assert_int_equal(wrap("short", 12, out, sizeof(out)), 1);
	assert_string_equal(out, "short");
	/* a word longer than the line is cut inside the word */
	assert_int_equal(wrap("abcdefghij xy", 4, out, sizeof(out)), 4);
	assert_string_equal(out, "abcd|efgh|ij|xy");
	assert_int_equal(wrap("", 10, out, sizeof(out)), 1);
	assert_int_equal(wrap("two\nlines", 20, out, sizeof(out)), 2);
	assert_string_equal(out, "two|lines");
	assert_int_equal(wrap("well-known words", 6, out, sizeof(out)), 3);
	assert_string_equal(out, "well-|known|words");
}

static void test_cjk_breaks_anywhere(void **state)
{
	(void)state;
	char out[256];
	/* 8 characters of width 2 in lines of 6: three per line */
	assert_int_equal(wrap("请扫描您的健康码", 6, out, sizeof(out)), 3);
	assert_string_equal(out, "请扫描|您的健|康码");
	/* never start a line with closing punctuation: 。moves with its character */
	assert_int_equal(wrap("扫描健康码。谢谢", 10, out, sizeof(out)), 2);
	assert_string_equal(out, "扫描健康|码。谢谢");
	/* never end a line with opening punctuation */
	assert_int_equal(wrap("请读书《须知》", 8, out, sizeof(out)), 2);
	assert_string_equal(out, "请读书|《须知》");
	/* mixed: Latin words stay whole, CJK breaks around them */
	assert_int_equal(wrap("请去 1203 房间休息", 10, out, sizeof(out)), 2);
	assert_string_equal(out, "请去 1203|房间休息");
}

static void test_utf8(void **state)
{
	(void)state;
	size_t n;
	assert_int_equal(text_utf8_next("a", 1, &n), 'a');
	assert_int_equal(n, 1);
	assert_int_equal(text_utf8_next("码", 3, &n), 0x7801);
	assert_int_equal(n, 3);
	assert_int_equal(text_utf8_next("\xE7\xA0", 2, &n), 0xFFFD); /* cut short */
	assert_int_equal(n, 1);
	assert_int_equal(text_utf8_next("\xFF", 1, &n), 0xFFFD);
	assert_true(text_is_cjk(0x4E2D));
	assert_false(text_is_cjk('A'));
	assert_false(text_can_break('a', 'b'));
	assert_true(text_can_break(' ', 'b'));
	assert_true(text_can_break(0x4E2D, 0x6587));
	assert_false(text_can_break(0x4E2D, 0x3002)); /* before 。 */
}

static int measure_bytes(void *ctx, const char *s, size_t len)
{
	size_t *bytes = ctx;
	(void)s;
	*bytes += len;
	return (int)len;
}

/* A scanned code of 6,000 bytes without a space wraps in time linear in its length: lines
 * no longer scan (and measure) the rest of the paragraph each (found by
 * tests/fuzz/fuzz_textwrap.c: 3,000 bytes took 13 ms here, hundreds on a Pi, every frame). */
static void test_long_word_is_linear(void **state)
{
	(void)state;
	enum {
		LEN = 6000,
		WIDTH = 40
	};
	static char code[LEN + 1];
	for (size_t i = 0; i < LEN; i++)
		code[i] = (char)('A' + i % 26);
	struct text_line lines[LEN / WIDTH];
	size_t bytes = 0;
	assert_int_equal(text_wrap(code, WIDTH, measure_bytes, &bytes, lines, LEN / WIDTH),
	                 LEN / WIDTH);
	for (int i = 0; i < LEN / WIDTH; i++) {
		assert_int_equal(lines[i].start, (size_t)i * WIDTH);
		assert_int_equal(lines[i].len, WIDTH);
	}
	/* each line measures its own characters one by one (WIDTH^2 / 2) and a little past
	 * them; the whole rest of the text per line would be LEN^2 / (2 * WIDTH) = 450,000 */
	assert_true(bytes < 40 * (size_t)LEN);
}

/* A line cut where no break fits may end in spaces; its width is that of the text it shows
 * (found by tests/fuzz/fuzz_textwrap.c: the spaces were counted, so a centred line sat off
 * centre). No break before ';', so "ab  ;cd" at width 4 is cut after the two spaces. */
static void test_forced_cut_width_without_spaces(void **state)
{
	(void)state;
	struct text_line lines[4];
	int calls = 0;
	assert_int_equal(text_wrap("ab  ;cd", 4, measure, &calls, lines, 4), 2);
	assert_int_equal(lines[0].start, 0);
	assert_int_equal(lines[0].len, 2);
	assert_int_equal(lines[0].width, 2);
	assert_int_equal(lines[1].start, 4);
	assert_int_equal(lines[1].len, 3);
	assert_int_equal(lines[1].width, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_latin_breaks_at_spaces),
	    cmocka_unit_test(test_cjk_breaks_anywhere),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_long_word_is_linear),
	    cmocka_unit_test(test_forced_cut_width_without_spaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
