/* app/core/textwrap.h: where a line of mixed Chinese and Latin text may break, and greedy
 * wrapping to a width with a caller-supplied measure (the renderer's font). Pure. */
#ifndef HK_CORE_TEXTWRAP_H
#define HK_CORE_TEXTWRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct text_line {
	size_t start, len; /* bytes of the line in the text, trailing spaces excluded */
	int width;         /* as measured */
};

/* Width of len bytes at s (not NUL-terminated) in the caller's units. */
typedef int (*text_measure_fn)(void *ctx, const char *s, size_t len);

/* Decode one UTF-8 character at s (len bytes available); stores its length in *n (>= 1) and
 * returns the code point, or U+FFFD for an invalid sequence (consuming one byte). */
uint32_t text_utf8_next(const char *s, size_t len, size_t *n);

/* True for characters between which a line may break anywhere (Han, kana, Hangul, CJK and
 * full-width punctuation). */
bool text_is_cjk(uint32_t cp);

/* May a line end between characters a and b? After a space; before or after a CJK character,
 * except before closing punctuation (，。）…) and after opening punctuation (（《“…). */
bool text_can_break(uint32_t a, uint32_t b);

/* Break text into lines no wider than max_w: at the last allowed break that fits, and inside a
 * word only when the word alone is wider than the line. '\n' always ends a line; leading
 * spaces of wrapped lines are dropped. Fills up to max_lines entries of lines (may be NULL
 * with max_lines 0) and returns how many lines the text needs. An empty text is one line. */
int text_wrap(const char *text, int max_w, text_measure_fn measure, void *ctx,
              struct text_line *lines, int max_lines);

#endif
