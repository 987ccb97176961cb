/* app/core/mask.c: masking names, ID numbers and phone numbers, UTF-8 aware, into fixed
 * buffers. Two passes over the input: count, then write. */
#include "app/core/mask.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define REPLACEMENT 0xFFFDu

/* What a character is for masking. Invisible characters never leave the reader. */
enum char_class {
	CC_LETTER, /* anything shown or masked one for one */
	CC_CJK,    /* Han, kana, hangul: switches a name to the CJK rule */
	CC_SPACE,  /* any white space, line break or tab */
	CC_SEP,    /* visible separator inside a name: - . , middle dots, dashes */
	CC_MARK,   /* combining mark: belongs to the character before it */
	CC_DROP,   /* controls, bidi controls, zero-width and format characters */
};

struct range {
	uint32_t lo, hi;
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct range drop_ranges[] = {
    {0x00, 0x08},     {0x0E, 0x1F},     {0x7F, 0x9F},     {0xAD, 0xAD},
    {0x061C, 0x061C}, {0x180E, 0x180E}, {0x200B, 0x200F}, {0x202A, 0x202E},
    {0x2060, 0x206F}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0xE0000, 0xE007F},
};
static const struct range space_ranges[] = {
    {0x09, 0x0D},     {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
    {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000},
};
static const struct range sep_ranges[] = {
    {0x2C, 0x2E},     {0xB7, 0xB7},     {0x2010, 0x2015}, {0x2022, 0x2022},
    {0x2027, 0x2027}, {0x30FB, 0x30FB}, {0xFF0C, 0xFF0E}, {0xFF65, 0xFF65},
};
static const struct range mark_ranges[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},   {0x0610, 0x061A},   {0x064B, 0x065F},
    {0x0670, 0x0670}, {0x06D6, 0x06DC}, {0x06DF, 0x06E4},   {0x0E31, 0x0E31},   {0x0E34, 0x0E3A},
    {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x20D0, 0x20FF},   {0x3099, 0x309A},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0x1F3FB, 0x1F3FF}, {0xE0100, 0xE01EF},
};
static const struct range cjk_ranges[] = {
    {0x1100, 0x11FF}, {0x2E80, 0x2FDF}, {0x3005, 0x3007}, {0x3040, 0x30FA},
    {0x30FC, 0x30FF}, {0x3100, 0x312F}, {0x3130, 0x318F}, {0x31A0, 0x31BF},
    {0x31F0, 0x31FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA960, 0xA97F},
    {0xAC00, 0xD7FF}, {0xF900, 0xFAFF}, {0xFF66, 0xFF9F}, {0x20000, 0x3FFFF},
};

static enum char_class class_of(uint32_t cp)
{
	if (in_ranges(cp, space_ranges, COUNT(space_ranges)))
		return CC_SPACE;
	if (in_ranges(cp, drop_ranges, COUNT(drop_ranges)))
		return CC_DROP;
	if (in_ranges(cp, sep_ranges, COUNT(sep_ranges)))
		return CC_SEP;
	if (cp < 0x80)
		return CC_LETTER;
	if (in_ranges(cp, mark_ranges, COUNT(mark_ranges)))
		return CC_MARK;
	if (in_ranges(cp, cjk_ranges, COUNT(cjk_ranges)))
		return CC_CJK;
	return CC_LETTER;
}

/* Unicode noncharacters: valid UTF-8 but not for interchange; shown as U+FFFD. */
static bool is_noncharacter(uint32_t cp)
{
	return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFEu) == 0xFFFEu;
}

/* Decode one code point at *p (< end). Strict UTF-8 (no overlong forms, surrogates or values
 * above U+10FFFF); an ill-formed sequence gives U+FFFD and consumes its maximal valid prefix
 * (at least one byte), as Unicode recommends. */
static uint32_t utf8_decode(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	unsigned b = s[0];
	int n;
	uint32_t cp;
	unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	if (b < 0x80) {
		*p = s + 1;
		return b;
	} else if (b >= 0xC2 && b <= 0xDF) {
		n = 1;
		cp = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 2;
		cp = b & 0x0F;
		lo = b == 0xE0 ? 0xA0 : 0x80;
		hi = b == 0xED ? 0x9F : 0xBF;
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 3;
		cp = b & 0x07;
		lo = b == 0xF0 ? 0x90 : 0x80;
		hi = b == 0xF4 ? 0x8F : 0xBF;
	} else {
		*p = s + 1;
		return REPLACEMENT;
	}
	for (int i = 1; i <= n; i++) {
		unsigned c = s + i < end ? s[i] : 0;
		if (c < lo || c > hi) {
			*p = s + i;
			return REPLACEMENT;
		}
		lo = 0x80;
		hi = 0xBF;
		cp = cp << 6 | (c & 0x3F);
	}
	*p = s + n + 1;
	return cp;
}

/* The visible characters of an input: invisible ones skipped, spaces made plain. */
struct reader {
	const unsigned char *p, *end;
	bool cut; /* the input was longer than MASK_INPUT_MAX */
};

static void reader_init(struct reader *r, const char *in)
{
	if (!in)
		in = "";
	size_t len = strnlen(in, MASK_INPUT_MAX + 1);
	r->cut = len > MASK_INPUT_MAX;
	if (r->cut) {
		len = MASK_INPUT_MAX;
		/* do not split the character that straddles the limit */
		for (int back = 0; back < 3 && len > 0 && ((unsigned char)in[len] & 0xC0) == 0x80;
		     back++)
			len--;
	}
	r->p = (const unsigned char *)in;
	r->end = r->p + len;
}

static bool reader_next(struct reader *r, uint32_t *cp, enum char_class *cls)
{
	while (r->p < r->end) {
		uint32_t c = utf8_decode(&r->p, r->end);
		if (is_noncharacter(c))
			c = REPLACEMENT;
		enum char_class k = class_of(c);
		if (k == CC_DROP)
			continue;
		*cp = k == CC_SPACE ? ' ' : c;
		*cls = k;
		return true;
	}
	return false;
}

/* The output buffer: characters go in whole or not at all; after the first one that does
 * not fit, nothing more is written, so a cut result is a prefix of the full one. */
struct writer {
	char *buf;
	size_t size, len;
	bool full;
};

static void writer_put(struct writer *w, uint32_t cp)
{
	char enc[4];
	size_t n;
	if (cp < 0x80) {
		enc[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		enc[0] = (char)(0xC0 | cp >> 6);
		enc[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		enc[0] = (char)(0xE0 | cp >> 12);
		enc[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		enc[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		enc[0] = (char)(0xF0 | cp >> 18);
		enc[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		enc[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		enc[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (w->full || w->len + n >= w->size) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, enc, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static int writer_init(struct writer *w, char *out, size_t out_size)
{
	if (!out || out_size == 0)
		return -EINVAL;
	w->buf = out;
	w->size = out_size;
	w->len = 0;
	w->full = false;
	out[0] = '\0';
	return 0;
}

static int writer_result(const struct writer *w)
{
	return w->full ? -ENOSPC : 0;
}

int mask_name(const char *in, char *out, size_t out_size)
{
	struct writer w;
	if (writer_init(&w, out, out_size) != 0)
		return -EINVAL;

	/* Pass 1: how many characters, and which rule. */
	struct reader r;
	uint32_t cp;
	enum char_class cls;
	size_t units = 0;
	bool cjk = false;
	reader_init(&r, in);
	while (reader_next(&r, &cp, &cls)) {
		units += cls == CC_LETTER || cls == CC_CJK;
		cjk |= cls == CC_CJK;
	}

	/* Pass 2: write. A mark follows the fate of the character it belongs to. */
	size_t unit = 0;
	bool part_start = true, last_shown = false, space_pending = false;
	reader_init(&r, in);
	while (reader_next(&r, &cp, &cls)) {
		switch (cls) {
		case CC_SPACE:
			space_pending = w.len > 0;
			part_start = true;
			last_shown = false;
			continue;
		case CC_MARK:
			if (last_shown)
				writer_put(&w, cp);
			continue;
		case CC_SEP:
			part_start = true;
			last_shown = false;
			break;
		case CC_LETTER:
		case CC_CJK:
		default: {
			bool show;
			if (units < 2)
				show = false;
			else if (cjk) /* the last one only when we saw the real end of the input */
				show = unit == 0 || (unit == units - 1 && units >= 3 && !r.cut);
			else
				show = part_start;
			unit++;
			part_start = false;
			last_shown = show;
			if (!show)
				cp = MASK_CHAR;
			break;
		}
		}
		if (space_pending)
			writer_put(&w, ' ');
		space_pending = false;
		writer_put(&w, cp);
	}
	return writer_result(&w);
}

/* Mask the characters of in that are not skipped (skip: classes or ASCII characters to
 * leave out), showing `head` at the start and `tail` at the end. */
static void mask_middle(const char *in, const char *skip_ascii, size_t head, size_t tail, size_t n,
                        struct writer *w)
{
	struct reader r;
	uint32_t cp;
	enum char_class cls;
	size_t i = 0;
	reader_init(&r, in);
	while (reader_next(&r, &cp, &cls)) {
		if (cls == CC_SPACE || cls == CC_MARK || (cp < 0x80 && strchr(skip_ascii, (int)cp)))
			continue;
		bool show = i < head || (i >= n - tail && !r.cut);
		writer_put(w, show ? cp : MASK_CHAR);
		i++;
	}
}

static size_t count_kept(const char *in, const char *skip_ascii)
{
	struct reader r;
	uint32_t cp;
	enum char_class cls;
	size_t n = 0;
	reader_init(&r, in);
	while (reader_next(&r, &cp, &cls))
		n += !(cls == CC_SPACE || cls == CC_MARK ||
		       (cp < 0x80 && strchr(skip_ascii, (int)cp)));
	return n;
}

int mask_id_number(const char *in, char *out, size_t out_size)
{
	struct writer w;
	if (writer_init(&w, out, out_size) != 0)
		return -EINVAL;
	size_t n = count_kept(in, "");
	size_t show = n / 4 < 4 ? n / 4 : 4;
	mask_middle(in, "", show, show, n, &w);
	return writer_result(&w);
}

/* "+86" or "0086" and then exactly 11 characters: the length of the prefix, else 0. */
static size_t mainland_prefix(const char *in, const char *skip)
{
	char first[5] = "";
	size_t got = 0;
	struct reader r;
	uint32_t cp;
	enum char_class cls;
	reader_init(&r, in);
	while (got < 4 && reader_next(&r, &cp, &cls)) {
		if (cls == CC_SPACE || cls == CC_MARK || (cp < 0x80 && strchr(skip, (int)cp)))
			continue;
		first[got++] = cp < 0x80 ? (char)cp : '?';
	}
	size_t n = count_kept(in, skip);
	if (strncmp(first, "+86", 3) == 0 && n == 3 + 11)
		return 3;
	if (strncmp(first, "0086", 4) == 0 && n == 4 + 11)
		return 4;
	return 0;
}

int mask_phone(const char *in, char *out, size_t out_size)
{
	static const char skip[] = "-.()";
	struct writer w;
	if (writer_init(&w, out, out_size) != 0)
		return -EINVAL;
	size_t n = count_kept(in, skip);
	size_t prefix = mainland_prefix(in, skip);
	size_t head, tail;
	if (prefix) {
		head = prefix + 3;
		tail = 4;
	} else if (n >= 11) {
		head = 3;
		tail = 4;
	} else {
		size_t shown = n / 2;
		tail = (shown + 1) / 2;
		head = shown - tail;
	}
	if (!prefix) {
		mask_middle(in, skip, head, tail, n, &w);
		return writer_result(&w);
	}
	/* Write the prefix, a space, then the national number. */
	struct reader r;
	uint32_t cp;
	enum char_class cls;
	size_t i = 0;
	reader_init(&r, in);
	while (reader_next(&r, &cp, &cls)) {
		if (cls == CC_SPACE || cls == CC_MARK || (cp < 0x80 && strchr(skip, (int)cp)))
			continue;
		if (i == prefix)
			writer_put(&w, ' ');
		writer_put(&w, i < head || i >= n - tail ? cp : MASK_CHAR);
		i++;
	}
	return writer_result(&w);
}
