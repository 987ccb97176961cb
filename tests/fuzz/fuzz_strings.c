/* tests/fuzz/fuzz_strings.c: libFuzzer harness for the UI strings: a fuzzed strings document
 * (first byte 0) or reasons document (1) added to a table holding real texts, then every
 * text looked up and formatted; or a fuzzed template formatted (2). A refused document
 * changes nothing; every output is NUL-terminated inside its buffer and well-formed UTF-8
 * when its template and arguments are.
 * fuzz-sources: app/core/strings.c app/core/reason_text.c app/core/types.c
 * fuzz-pkgs: jansson */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/reason_text.h"
#include "app/core/strings.h"
#include "tests/fuzz/utf8_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "{\"version\":1,\"strings\":{"
    "\"fuzz.keep\":{\"zh-CN\":\"\\u4fdd\\u7559\",\"en\":\"kept {name}\"},"
    "\"fmt.date\":{\"zh-CN\":\"{y}\\u5e74{m}\\u6708{d}\\u65e5\",\"en\":\"{d} {month} {y}\"},"
    "\"month.1\":{\"en\":\"January\"},\"month.12\":{\"en\":\"December\"}}}";

static const struct strings_arg args[] = {
    {"name", "\xe5\xbc\xa0*\xe6\x98\x8e"}, {"room", "1208"}, {"n", "3"}, {NULL, "x"}};

/* Format into a buffer of exactly n bytes (ASan sees any overrun); check the contract. */
static void check_format(const char *tmpl, size_t n, bool utf8)
{
	char *buf = malloc(n);
	if (!buf)
		abort();
	int rc = strings_format_template(tmpl, args, 4, buf, n);
	if (rc != 0 && rc != -ENOSPC && rc != -EINVAL)
		abort();
	size_t len = strnlen(buf, n);
	if (len >= n || (utf8 && !fuzz_utf8_valid(buf, len)))
		abort();
	free(buf);
}

static void walk(struct strings *s, int64_t day)
{
	char buf[64];
	for (size_t i = 0; i < strings_count(s); i++) {
		const char *key = strings_key_at(s, i);
		if (!key)
			abort();
		for (int l = 0; l < LANG_COUNT; l++) {
			const char *text = strings_lookup(s, key, (enum lang)l);
			if (!text)
				continue;
			bool utf8 = fuzz_utf8_valid(text, strlen(text));
			if (strings_has(s, key, (enum lang)l) &&
			    text != strings_get(s, key, (enum lang)l))
				abort();
			check_format(text, 1, utf8);
			check_format(text, 7, utf8);
			check_format(text, 512, utf8);
		}
	}
	if (strings_key_at(s, strings_count(s)) != NULL)
		abort();
	for (int l = 0; l < LANG_COUNT; l++) {
		int rc = strings_format_day(s, (enum lang)l, (hk_day)day, buf, sizeof buf);
		if ((rc != 0 && rc != -ENOSPC && rc != -EINVAL) ||
		    strnlen(buf, sizeof buf) >= sizeof buf)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	int mode = data[0] % 3;
	int32_t day;
	memcpy(&day, data + 1, 4);
	const char *text = (const char *)data + 5;
	size_t len = size - 5;
	char err[64];
	if (mode == 2) {
		char *tmpl = malloc(len + 1);
		if (!tmpl)
			abort();
		memcpy(tmpl, text, len);
		tmpl[len] = '\0';
		bool utf8 = fuzz_utf8_valid(tmpl, strlen(tmpl));
		check_format(tmpl, 1, utf8);
		check_format(tmpl, 1 + (size_t)(day & 0xFF), utf8);
		check_format(tmpl, 4096, utf8);
		free(tmpl);
		return 0;
	}
	struct strings *s = strings_new();
	if (!s || strings_add_json(s, base, strlen(base), NULL, 0) != 0)
		abort();
	size_t before = strings_count(s);
	memset(err, 'x', sizeof err);
	/* the document is not NUL-terminated: the parser must stop at len */
	int rc = mode == 0 ? strings_add_json(s, text, len, err, sizeof err)
	                   : reason_text_add_json(s, text, len, err, sizeof err);
	if (rc != 0) {
		if ((rc != -EINVAL && rc != -ENOMEM) || strnlen(err, sizeof err) >= sizeof err)
			abort();
		/* refused: the table is as it was */
		if (strings_count(s) != before ||
		    strcmp(strings_get(s, "fuzz.keep", LANG_EN), "kept {name}") != 0)
			abort();
	}
	walk(s, day);
	char key[64];
	for (int r = 0; r < REASON_COUNT; r++)
		strings_get(s, reason_text_key((enum reason)r, r & 1, key, sizeof key),
		            LANG_ZH_HANT);
	strings_free(s);
	return 0;
}
