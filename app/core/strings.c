/* app/core/strings.c: a sorted table of id -> text per language, filled from JSON documents,
 * and a small template formatter for "{name}" / "{0}" placeholders. */
#include "app/core/strings.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entry {
	char *key;
	char *text[LANG_COUNT]; /* NULL where the language has no text of its own */
};

struct strings {
	struct entry *entries; /* sorted by key */
	size_t count, cap;
};

static const char *const lang_tags[LANG_COUNT] = {"zh-CN", "en", "zh-Hant"};

const char *lang_tag(enum lang l)
{
	if ((unsigned)l >= LANG_COUNT)
		return "?";
	return lang_tags[l];
}

bool lang_parse(const char *tag, enum lang *out)
{
	static const struct {
		const char *tag;
		enum lang lang;
	} known[] = {
	    {"zh-CN", LANG_ZH_CN},   {"zh", LANG_ZH_CN},        {"zh-Hans", LANG_ZH_CN},
	    {"zh-SG", LANG_ZH_CN},   {"en", LANG_EN},           {"en-GB", LANG_EN},
	    {"en-US", LANG_EN},      {"zh-Hant", LANG_ZH_HANT}, {"zh-TW", LANG_ZH_HANT},
	    {"zh-HK", LANG_ZH_HANT}, {"zh-MO", LANG_ZH_HANT},
	};
	if (!tag)
		return false;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcasecmp(tag, known[i].tag) == 0) {
			*out = known[i].lang;
			return true;
		}
	}
	return false;
}

struct strings *strings_new(void)
{
	return calloc(1, sizeof(struct strings));
}

void strings_free(struct strings *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->count; i++) {
		free(s->entries[i].key);
		for (int l = 0; l < LANG_COUNT; l++)
			free(s->entries[i].text[l]);
	}
	free(s->entries);
	free(s);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static struct entry *find(const struct strings *s, const char *key)
{
	if (!s || !key || s->count == 0)
		return NULL;
	struct entry probe = {.key = (char *)key};
	return bsearch(&probe, s->entries, s->count, sizeof(struct entry), cmp_entry);
}

static void set_err(char *err, size_t errlen, const char *msg, const char *what)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s%s%s", msg, what ? ": " : "", what ? what : "");
}

/* The object of entries: the "strings" member when there is one, else the document. */
static json_t *entries_of(json_t *doc)
{
	json_t *inner = json_object_get(doc, "strings");
	return json_is_object(inner) ? inner : doc;
}

static bool is_entry_key(json_t *table, json_t *doc, const char *key, json_t *value)
{
	if (key[0] == '_')
		return false;
	/* At the top level, scalar members ("version": 1) are metadata, not entries. */
	if (table == doc && !json_is_object(value))
		return false;
	return true;
}

static int validate(json_t *doc, char *err, size_t errlen)
{
	if (!json_is_object(doc)) {
		set_err(err, errlen, "not a JSON object", NULL);
		return -EINVAL;
	}
	json_t *table = entries_of(doc);
	const char *key;
	json_t *value;
	json_object_foreach(table, key, value)
	{
		if (!is_entry_key(table, doc, key, value))
			continue;
		if (!json_is_object(value)) {
			set_err(err, errlen, "entry is not an object", key);
			return -EINVAL;
		}
		const char *tag;
		json_t *text;
		json_object_foreach(value, tag, text)
		{
			enum lang l;
			if (tag[0] == '_')
				continue;
			if (!lang_parse(tag, &l)) {
				set_err(err, errlen, "unknown language tag in entry", key);
				return -EINVAL;
			}
			if (!json_is_string(text)) {
				set_err(err, errlen, "text is not a string in entry", key);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static struct entry *find_or_add(struct strings *s, const char *key)
{
	struct entry *e = find(s, key);
	if (e)
		return e;
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct entry *grown = realloc(s->entries, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		s->entries = grown;
		s->cap = cap;
	}
	char *k = strdup(key);
	if (!k)
		return NULL;
	/* Insert in order so that the table stays sorted for bsearch. */
	size_t at = 0;
	while (at < s->count && strcmp(s->entries[at].key, key) < 0)
		at++;
	memmove(&s->entries[at + 1], &s->entries[at], (s->count - at) * sizeof(struct entry));
	memset(&s->entries[at], 0, sizeof(struct entry));
	s->entries[at].key = k;
	s->count++;
	return &s->entries[at];
}

int strings_add_json(struct strings *s, const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	int rc = 0;
	if (!doc) {
		if (err && errlen > 0)
			snprintf(err, errlen, "line %d: %s", jerr.line, jerr.text);
		return -EINVAL;
	}
	rc = validate(doc, err, errlen);
	if (rc < 0)
		goto out_doc;
	json_t *table = entries_of(doc);
	const char *key;
	json_t *value;
	json_object_foreach(table, key, value)
	{
		if (!is_entry_key(table, doc, key, value))
			continue;
		struct entry *e = find_or_add(s, key);
		if (!e) {
			rc = -ENOMEM;
			goto out_doc;
		}
		const char *tag;
		json_t *text;
		json_object_foreach(value, tag, text)
		{
			enum lang l;
			if (tag[0] == '_' || !lang_parse(tag, &l))
				continue;
			char *copy = strdup(json_string_value(text));
			if (!copy) {
				rc = -ENOMEM;
				goto out_doc;
			}
			free(e->text[l]);
			e->text[l] = copy;
		}
	}
out_doc:
	json_decref(doc);
	return rc;
}

const char *strings_lookup(const struct strings *s, const char *key, enum lang lang)
{
	const struct entry *e = find(s, key);
	if (!e)
		return NULL;
	if ((unsigned)lang < LANG_COUNT && e->text[lang])
		return e->text[lang];
	if (lang == LANG_ZH_HANT && e->text[LANG_ZH_CN])
		return e->text[LANG_ZH_CN];
	if (e->text[LANG_EN])
		return e->text[LANG_EN];
	return e->text[LANG_ZH_CN];
}

const char *strings_get(const struct strings *s, const char *key, enum lang lang)
{
	const char *t = strings_lookup(s, key, lang);
	return t ? t : (key ? key : "");
}

bool strings_has(const struct strings *s, const char *key, enum lang lang)
{
	const struct entry *e = find(s, key);
	return e && (unsigned)lang < LANG_COUNT && e->text[lang] != NULL;
}

size_t strings_count(const struct strings *s)
{
	return s ? s->count : 0;
}

const char *strings_key_at(const struct strings *s, size_t i)
{
	if (!s || i >= s->count)
		return NULL;
	return s->entries[i].key;
}

/* Appends to an output buffer, never splitting a UTF-8 character. */
struct out {
	char *buf;
	size_t n, used;
	bool truncated;
};

static void out_put(struct out *o, const char *p, size_t len)
{
	if (o->truncated)
		return;
	if (o->used + len + 1 > o->n) {
		size_t room = o->n - 1 - o->used;
		/* back off to a character boundary */
		while (room > 0 && ((unsigned char)p[room] & 0xC0) == 0x80)
			room--;
		memcpy(o->buf + o->used, p, room);
		o->used += room;
		o->truncated = true;
	} else {
		memcpy(o->buf + o->used, p, len);
		o->used += len;
	}
	o->buf[o->used] = '\0';
}

static const char *arg_value(const char *name, size_t len, const struct strings_arg *args,
                             size_t nargs)
{
	bool numeric = len > 0 && len < 4;
	size_t index = 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9') {
			numeric = false;
			break;
		}
		index = index * 10 + (size_t)(name[i] - '0');
	}
	if (numeric)
		return index < nargs ? args[index].value : NULL;
	for (size_t i = 0; i < nargs; i++)
		if (args[i].name && strlen(args[i].name) == len &&
		    memcmp(args[i].name, name, len) == 0)
			return args[i].value;
	return NULL;
}

int strings_format_template(const char *tmpl, const struct strings_arg *args, size_t nargs,
                            char *buf, size_t n)
{
	struct out o = {buf, n, 0, false};
	bool missing = false;
	if (n == 0)
		return -ENOSPC;
	buf[0] = '\0';
	const char *p = tmpl ? tmpl : "";
	while (*p) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			out_put(&o, p, 1);
			p += 2;
			continue;
		}
		if (p[0] != '{') {
			const char *q = p;
			while (*q && *q != '{' && !(q[0] == '}' && q[1] == '}'))
				q++;
			out_put(&o, p, (size_t)(q - p));
			p = q;
			continue;
		}
		const char *close = strchr(p + 1, '}');
		if (!close) {
			missing = true;
			out_put(&o, p, strlen(p));
			break;
		}
		const char *v = arg_value(p + 1, (size_t)(close - p - 1), args, nargs);
		if (v) {
			out_put(&o, v, strlen(v));
		} else {
			missing = true;
			out_put(&o, p, (size_t)(close - p + 1));
		}
		p = close + 1;
	}
	if (o.truncated)
		return -ENOSPC;
	return missing ? -EINVAL : 0;
}

int strings_format(const struct strings *s, const char *key, enum lang lang,
                   const struct strings_arg *args, size_t nargs, char *buf, size_t n)
{
	return strings_format_template(strings_get(s, key, lang), args, nargs, buf, n);
}

int strings_format_day(const struct strings *s, enum lang lang, hk_day day, char *buf, size_t n)
{
	int y, m, d;
	day_to_ymd(day, &y, &m, &d);
	char ys[12], ms[4], ds[4], mkey[16];
	snprintf(ys, sizeof(ys), "%d", y);
	snprintf(ms, sizeof(ms), "%d", m);
	snprintf(ds, sizeof(ds), "%d", d);
	snprintf(mkey, sizeof(mkey), "month.%d", m);
	const struct strings_arg args[] = {
	    {"y", ys}, {"m", ms}, {"d", ds}, {"month", strings_get(s, mkey, lang)}};
	return strings_format(s, "fmt.date", lang, args, 4, buf, n);
}
