/* tests/unit/test_strings.c: string tables (lookup, fallback, formatting, errors), the real
 * assets/strings/ui.json (every key has zh-CN and en, every placeholder known), and the
 * briefing texts and their versions. Run from the repository root (tests/run.sh does). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/briefing.h"
#include "app/core/strings.h"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *grown = realloc(buf, cap + 1);
			if (!grown) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static const char doc[] = "{\"version\": 1, \"strings\": {"
                          "\"hello\": {\"zh-CN\": \"你好\", \"en\": \"Hello\"},"
                          "\"zh_only\": {\"zh-CN\": \"只有中文\"},"
                          "\"en_only\": {\"en\": \"English only\"},"
                          "\"room\": {\"zh-CN\": \"去 {room} 房间\", \"en\": \"to room {room}\"},"
                          "\"_note\": \"ignored\"}}";

static void test_lookup_and_fallback(void **state)
{
	(void)state;
	struct strings *s = strings_new();
	char err[128];
	assert_int_equal(strings_add_json(s, doc, strlen(doc), err, sizeof(err)), 0);
	assert_int_equal(strings_count(s), 4);
	assert_string_equal(strings_get(s, "hello", LANG_ZH_CN), "你好");
	assert_string_equal(strings_get(s, "hello", LANG_EN), "Hello");
	assert_string_equal(strings_get(s, "hello", LANG_ZH_HANT), "你好");
	assert_string_equal(strings_get(s, "zh_only", LANG_EN), "只有中文");
	assert_string_equal(strings_get(s, "en_only", LANG_ZH_CN), "English only");
	assert_string_equal(strings_get(s, "missing.key", LANG_EN), "missing.key");
	assert_null(strings_lookup(s, "missing.key", LANG_EN));
	assert_true(strings_has(s, "hello", LANG_EN));
	assert_false(strings_has(s, "zh_only", LANG_EN));
	/* a later document overrides per language and adds keys */
	const char *more = "{\"hello\": {\"en\": \"Hi\"}, \"zh-Hant\": {\"zh-Hant\": \"繁體\"}}";
	assert_int_equal(strings_add_json(s, more, strlen(more), err, sizeof(err)), 0);
	assert_string_equal(strings_get(s, "hello", LANG_EN), "Hi");
	assert_string_equal(strings_get(s, "hello", LANG_ZH_CN), "你好");
	assert_string_equal(strings_get(s, "zh-Hant", LANG_ZH_HANT), "繁體");
	assert_int_equal(strings_count(s), 5);
	/* keys come back sorted, each exactly once */
	for (size_t i = 1; i < strings_count(s); i++)
		assert_true(strcmp(strings_key_at(s, i - 1), strings_key_at(s, i)) < 0);
	assert_null(strings_key_at(s, 5));
	strings_free(s);
}

static void test_bad_documents(void **state)
{
	(void)state;
	struct strings *s = strings_new();
	char err[128] = "";
	const char *bad[] = {
	    "{",                                                /* not JSON */
	    "[1, 2]",                                           /* not an object */
	    "{\"a\": {\"en\": 5}}",                             /* text not a string */
	    "{\"strings\": {\"a\": \"plain\"}}",                /* entry not an object */
	    "{\"a\": {\"fr\": \"bonjour\"}}",                   /* unknown language */
	    "{\"a\": {\"en\": \"x\"}, \"a\": {\"en\": \"y\"}}", /* duplicate key */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(strings_add_json(s, bad[i], strlen(bad[i]), err, sizeof(err)),
		                 -EINVAL);
		assert_true(err[0] != '\0');
	}
	/* nothing of a failed document is kept */
	const char *half = "{\"ok\": {\"en\": \"fine\"}, \"bad\": {\"en\": 1}}";
	assert_int_equal(strings_add_json(s, half, strlen(half), NULL, 0), -EINVAL);
	assert_int_equal(strings_count(s), 0);
	strings_free(s);
}

static void test_format(void **state)
{
	(void)state;
	char buf[64];
	const struct strings_arg args[] = {{"room", "1203"}, {"n", "9"}};
	assert_int_equal(strings_format_template("room {room}, {n} s", args, 2, buf, sizeof(buf)),
	                 0);
	assert_string_equal(buf, "room 1203, 9 s");
	assert_int_equal(strings_format_template("{1}/{0}", args, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "9/1203");
	assert_int_equal(strings_format_template("{{literal}} {n}", args, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "{literal} 9");
	assert_int_equal(strings_format_template("a {missing} b", args, 2, buf, sizeof(buf)),
	                 -EINVAL);
	assert_string_equal(buf, "a {missing} b");
	assert_int_equal(strings_format_template("{2}", args, 2, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(strings_format_template("open {room", args, 2, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, "open {room");
	/* truncation never splits a character: 你 is 3 bytes */
	char small[6];
	assert_int_equal(strings_format_template("你好世界", NULL, 0, small, sizeof(small)),
	                 -ENOSPC);
	assert_string_equal(small, "你");
	assert_int_equal(strings_format_template("", NULL, 0, small, sizeof(small)), 0);
	assert_string_equal(small, "");

	struct strings *s = strings_new();
	assert_int_equal(strings_add_json(s, doc, strlen(doc), NULL, 0), 0);
	assert_int_equal(strings_format(s, "room", LANG_ZH_CN, args, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "去 1203 房间");
	assert_int_equal(strings_format(s, "room", LANG_EN, args, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "to room 1203");
	strings_free(s);
}

/* Every placeholder in a text: each must be one the screens supply. */
static bool placeholders_known(const char *t)
{
	static const char *const known[] = {"room", "n",      "date",   "pos", "total",
	                                    "code", "y",      "m",      "d",   "month",
	                                    "name", "latest", "issuer", "time"};
	for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
		if (p[1] == '{') {
			p++;
			continue;
		}
		const char *close = strchr(p, '}');
		if (!close)
			return false;
		bool ok = false;
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strlen(known[k]) == (size_t)(close - p - 1) &&
			    memcmp(known[k], p + 1, (size_t)(close - p - 1)) == 0)
				ok = true;
		if (!ok)
			return false;
	}
	return true;
}

static void test_ui_json_complete(void **state)
{
	(void)state;
	size_t len;
	char *json = read_all("assets/strings/ui.json", &len);
	assert_non_null(json);
	struct strings *s = strings_new();
	char err[160] = "";
	int rc = strings_add_json(s, json, len, err, sizeof(err));
	if (rc != 0)
		fail_msg("ui.json: %s", err);
	assert_true(strings_count(s) > 60);
	for (size_t i = 0; i < strings_count(s); i++) {
		const char *key = strings_key_at(s, i);
		if (!strings_has(s, key, LANG_ZH_CN) || !strings_has(s, key, LANG_EN))
			fail_msg("%s lacks zh-CN or en", key);
		for (int l = LANG_ZH_CN; l <= LANG_EN; l++) {
			const char *t = strings_get(s, key, (enum lang)l);
			if (t[0] == '\0' || !placeholders_known(t))
				fail_msg("%s/%s empty or unknown placeholder", key,
				         lang_tag((enum lang)l));
		}
	}
	/* the texts the entrance screens are built from */
	const char *needed[] = {
	    "attract.title", "attract.hint", "lang.switch",       "steps.scan",
	    "steps.confirm", "steps.rules",  "steps.wristband",   "identity.yes",
	    "identity.no",   "family.add",   "briefing.ack",      "briefing.hint.wait",
	    "room.printing", "room.take",    "room.collect_desk", "call_staff",
	    "staff.pin",     "keypad.ok",    "countdown",         "staff.offline",
	    "fmt.date",      "month.12"};
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		assert_non_null(strings_lookup(s, needed[i], LANG_EN));
	char buf[128];
	const struct strings_arg room[] = {{"room", "1203"}};
	assert_int_equal(strings_format(s, "room.take", LANG_EN, room, 1, buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "room 1203"));
	hk_day day = day_from_ymd(2026, 12, 13);
	assert_int_equal(strings_format_day(s, LANG_ZH_CN, day, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026年12月13日");
	assert_int_equal(strings_format_day(s, LANG_EN, day, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "13 December 2026");
	strings_free(s);
	free(json);
}

static void test_lang_tags(void **state)
{
	(void)state;
	for (int l = 0; l < LANG_COUNT; l++) {
		enum lang out;
		assert_true(lang_parse(lang_tag((enum lang)l), &out));
		assert_int_equal(out, l);
	}
	enum lang keep = LANG_EN;
	assert_false(lang_parse("fr", &keep));
	assert_false(lang_parse(NULL, &keep));
	assert_int_equal(keep, LANG_EN);
	assert_true(lang_parse("ZH-tw", &keep));
	assert_int_equal(keep, LANG_ZH_HANT);
	assert_string_equal(lang_tag((enum lang)7), "?");
}

static void test_briefing_versions(void **state)
{
	(void)state;
	char v[BRIEFING_VERSION_LEN + 1], w[BRIEFING_VERSION_LEN + 1];
	/* FIPS 180-2 test vector */
	assert_int_equal(briefing_version("abc", 3, v), 0);
	assert_string_equal(v, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *files[] = {"assets/briefing/zh-CN.md", "assets/briefing/en.md"};
	char first[BRIEFING_VERSION_LEN + 1] = "";
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *text = read_all(files[i], &len);
		assert_non_null(text);
		assert_true(len > 1000);
		assert_true(strncmp(text, "# ", 2) == 0);
		assert_int_equal(briefing_version(text, len, v), 0);
		assert_int_equal(briefing_version(text, len, w), 0);
		assert_string_equal(v, w);
		assert_int_equal(strlen(v), BRIEFING_VERSION_LEN);
		/* the legal references are there, exactly named */
		assert_non_null(strstr(text, "《中华人民共和国传染病防治法》"));
		assert_non_null(strstr(text, "《中华人民共和国治安管理处罚法》"));
		assert_non_null(strstr(text, "《中华人民共和国刑法》"));
		/* one changed byte is a new version */
		text[len / 2] ^= 1;
		assert_int_equal(briefing_version(text, len, w), 0);
		assert_string_not_equal(v, w);
		if (i == 1)
			assert_string_not_equal(v, first);
		memcpy(first, v, sizeof(first));
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookup_and_fallback),
	    cmocka_unit_test(test_bad_documents),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_ui_json_complete),
	    cmocka_unit_test(test_lang_tags),
	    cmocka_unit_test(test_briefing_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
