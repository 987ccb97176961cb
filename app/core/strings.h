/* app/core/strings.h: the texts a person reads, keyed by id, per language, parsed from JSON
 * assets (the JSON files in assets/strings/); lookup with fallback and formatting with parameters.
 * Pure: the caller reads the files and hands the text in. */
#ifndef HK_CORE_STRINGS_H
#define HK_CORE_STRINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/core/types.h"

enum lang {
	LANG_ZH_CN, /* "zh-CN", Simplified Chinese: the station's language and the last fallback */
	LANG_EN,    /* "en" */
	LANG_ZH_HANT, /* "zh-Hant", Traditional Chinese: room kept, falls back to zh-CN */
	LANG_COUNT
};

/* "zh-CN", "en", "zh-Hant"; "?" when out of range. */
const char *lang_tag(enum lang l);
/* Parse a tag ("zh-CN", "zh", "en", "en-GB", "zh-Hant", "zh-TW", "zh-HK", case-insensitive);
 * false for anything else, *out unchanged. */
bool lang_parse(const char *tag, enum lang *out);

struct strings;

/* An empty table; NULL when out of memory. Free with strings_free(). */
struct strings *strings_new(void);
void strings_free(struct strings *s);

/* Add every entry of a JSON document (len bytes, need not be NUL-terminated) to s. The
 * document is an object of id -> {"zh-CN": "...", "en": "...", "zh-Hant": "..."}, either at
 * the top level or under a "strings" member (other top-level members such as "version" and
 * keys starting with "_" are ignored). A later document overrides earlier entries per
 * language. Returns 0, or -EINVAL with a message in err (errlen bytes; may be NULL) for
 * invalid JSON or a value that is not a string, or -ENOMEM. On error s is unchanged. */
int strings_add_json(struct strings *s, const char *json, size_t len, char *err, size_t errlen);

/* The text of key in lang, with fallback: the language asked for, then zh-CN for zh-Hant,
 * then en, then zh-CN. NULL when the key has no text in any language. The pointer is owned by
 * s and valid until the next strings_add_json() or strings_free(). */
const char *strings_lookup(const struct strings *s, const char *key, enum lang lang);
/* As strings_lookup(), but never NULL: a missing key yields the key itself, so a missing text
 * shows up on screen as its id rather than as nothing. */
const char *strings_get(const struct strings *s, const char *key, enum lang lang);
/* True when key has its own text (no fallback) in lang. */
bool strings_has(const struct strings *s, const char *key, enum lang lang);

/* Number of keys, and the key at index i (0..count-1, in no particular order; NULL when out
 * of range), for checks that walk every entry. */
size_t strings_count(const struct strings *s);
const char *strings_key_at(const struct strings *s, size_t i);

/* A named parameter for strings_format(); positional "{0}", "{1}" refer to args[0], args[1]. */
struct strings_arg {
	const char *name;  /* may be NULL for positional-only use */
	const char *value; /* borrowed */
};

/* Format a template: "{name}" and "{N}" are replaced by the matching argument, "{{" and "}}"
 * stand for literal braces. Writes at most n bytes including the NUL into buf (n > 0).
 * Returns 0; -ENOSPC when truncated (buf still NUL-terminated, cut at a character boundary);
 * -EINVAL when a placeholder has no argument or is unterminated (it is then copied as is). */
int strings_format_template(const char *tmpl, const struct strings_arg *args, size_t nargs,
                            char *buf, size_t n);
/* strings_get(s, key, lang) formatted with strings_format_template(). */
int strings_format(const struct strings *s, const char *key, enum lang lang,
                   const struct strings_arg *args, size_t nargs, char *buf, size_t n);

/* A calendar day as the person reads it, from the templates "fmt.date" ({y} {m} {d}
 * {month}) and "month.1".."month.12" in s: "2026年12月13日", "13 December 2026".
 * Returns as strings_format(). */
int strings_format_day(const struct strings *s, enum lang lang, hk_day day, char *buf, size_t n);

#endif
