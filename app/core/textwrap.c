/* app/core/textwrap.c: line breaking for Chinese (anywhere) and Latin (at spaces) text. */
#include "app/core/textwrap.h"

#include <string.h>

/* Bytes scanned past the last break before the line so far is measured again. */
#define WRAP_CHECK_BYTES 32

uint32_t text_utf8_next(const char *s, size_t len, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	*n = 1;
	if (len == 0)
		return 0;
	if (u[0] < 0x80)
		return u[0];
	int extra;
	uint32_t cp;
	if ((u[0] & 0xE0) == 0xC0) {
		extra = 1;
		cp = u[0] & 0x1F;
	} else if ((u[0] & 0xF0) == 0xE0) {
		extra = 2;
		cp = u[0] & 0x0F;
	} else if ((u[0] & 0xF8) == 0xF0) {
		extra = 3;
		cp = u[0] & 0x07;
	} else {
		return 0xFFFD;
	}
	if ((size_t)extra >= len)
		return 0xFFFD;
	for (int i = 1; i <= extra; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0xFFFD;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	*n = (size_t)extra + 1;
	return cp;
}

bool text_is_cjk(uint32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) ||   /* radicals, CJK punctuation, kana, Han */
	       (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* Hangul */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
	       (cp >= 0xFE30 && cp <= 0xFE4F) ||   /* vertical forms */
	       (cp >= 0xFF00 && cp <= 0xFFEF) ||   /* full-width forms */
	       (cp >= 0x20000 && cp <= 0x3FFFF) || /* extension planes */
	       cp == 0x2026 || cp == 0x2014;       /* … — as used in Chinese text */
}

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == cp)
			return true;
	return false;
}

/* No line may start with these. */
static bool is_closing(uint32_t cp)
{
	static const uint32_t list[] = {
	    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0xFF09, 0x300B, 0x300D,
	    0x300F, 0x3011, 0x3015, 0x201D, 0x2019, 0x2026, 0xFF0E, 0x30FC, ',',    '.',
	    ';',    ':',    '!',    '?',    ')',    ']',    '}',    '%',    0x00B7, 0x2014,
	};
	return in_list(cp, list, sizeof(list) / sizeof(list[0]));
}

/* No line may end with these. */
static bool is_opening(uint32_t cp)
{
	static const uint32_t list[] = {0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014,
	                                0x201C, 0x2018, '(',    '[',    '{'};
	return in_list(cp, list, sizeof(list) / sizeof(list[0]));
}

bool text_can_break(uint32_t a, uint32_t b)
{
	if (b == ' ' || is_closing(b) || is_opening(a))
		return false;
	if (a == ' ')
		return true;
	if (text_is_cjk(a) || text_is_cjk(b))
		return true;
	return a == '-' && b != '-';
}

static size_t trim_right(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	return len;
}

static void put(struct text_line *lines, int max_lines, int count, size_t start, size_t len,
                int width)
{
	if (count < max_lines) {
		lines[count].start = start;
		lines[count].len = len;
		lines[count].width = width;
	}
}

int text_wrap(const char *text, int max_w, text_measure_fn measure, void *ctx,
              struct text_line *lines, int max_lines)
{
	size_t total = strlen(text);
	int count = 0;
	size_t pos = 0;
	for (;;) {
		/* one line starting at pos: extend to every break opportunity that still fits */
		size_t end_of_par = pos;
		while (end_of_par < total && text[end_of_par] != '\n')
			end_of_par++;
		size_t best = pos; /* end of the longest fitting prefix at a break */
		int best_w = 0;
		bool best_found = false;
		size_t q = pos, checked = pos;
		uint32_t prev = 0;
		bool overflow = false;
		while (q < end_of_par) {
			size_t n;
			uint32_t cp = text_utf8_next(text + q, end_of_par - q, &n);
			if (q - checked >= WRAP_CHECK_BYTES) {
				/* a long stretch without a break (a scanned code, a URL): once it
				 * is wider than the line no later break can fit, so stop looking
				 * rather than walk the rest of the paragraph for every line */
				checked = q;
				if (measure(ctx, text + pos, trim_right(text + pos, q - pos)) >
				    max_w) {
					overflow = true;
					break;
				}
			}
			if (q > pos && text_can_break(prev, cp)) {
				checked = q;
				size_t len = trim_right(text + pos, q - pos);
				int w = measure(ctx, text + pos, len);
				if (w > max_w) {
					overflow = true;
					break;
				}
				best = q;
				best_w = w;
				best_found = true;
			}
			prev = cp;
			q += n;
		}
		size_t line_end;
		int line_w;
		if (!overflow) {
			size_t len = trim_right(text + pos, end_of_par - pos);
			int w = measure(ctx, text + pos, len);
			if (w <= max_w || !best_found) {
				if (w > max_w)
					goto force; /* one word wider than the line */
				put(lines, max_lines, count++, pos, len, w);
				if (end_of_par >= total)
					return count;
				pos = end_of_par + 1;
				continue;
			}
		}
		if (best_found) {
			line_end = best;
			line_w = best_w;
			goto emit;
		}
	force:
		/* no break fits: as many characters as fit, at least one */
		line_end = pos;
		line_w = 0;
		for (size_t r = pos; r < end_of_par;) {
			size_t n;
			text_utf8_next(text + r, end_of_par - r, &n);
			int w = measure(ctx, text + pos, r + n - pos);
			if (w > max_w && r > pos)
				break;
			line_end = r + n;
			line_w = w;
			r += n;
		}
	emit:;
		/* a forced cut may end in spaces: the width is that of what the line shows */
		size_t shown = trim_right(text + pos, line_end - pos);
		if (shown != line_end - pos)
			line_w = measure(ctx, text + pos, shown);
		put(lines, max_lines, count++, pos, shown, line_w);
		pos = line_end;
		while (pos < end_of_par && text[pos] == ' ')
			pos++;
		if (pos >= total)
			return count;
		if (pos == end_of_par)
			pos++; /* the break fell on the paragraph's end: do not add an empty line */
	}
}
