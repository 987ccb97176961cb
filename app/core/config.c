/* app/core/config.c: parse and query INI-style configuration text. */
#include "app/core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Trim [*s, *e) of blanks on both ends. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

static struct config_entry *find(const struct config *c, const char *key)
{
	for (int i = 0; i < c->count; i++)
		if (strcmp(c->entries[i].key, key) == 0)
			return (struct config_entry *)&c->entries[i];
	return NULL;
}

int config_set(struct config *c, const char *key, const char *value)
{
	if (strlen(key) >= CONFIG_KEY_MAX || strlen(value) >= CONFIG_VALUE_MAX)
		return -1;
	struct config_entry *e = find(c, key);
	if (!e) {
		if (c->count == CONFIG_MAX_ENTRIES)
			return -1;
		e = &c->entries[c->count++];
		e->line = 0;
		snprintf(e->key, sizeof(e->key), "%s", key);
	}
	snprintf(e->value, sizeof(e->value), "%s", value);
	return 0;
}

static int fail(char *err, size_t errlen, int line, const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "%d: %s", line, what);
	return -1;
}

int config_parse(struct config *c, const char *text, size_t len, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	char section[CONFIG_KEY_MAX] = "";
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a BOM from an editor on Windows */
	for (int line = 1; p < end; line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *s = p, *e = eol;
		p = eol < end ? eol + 1 : end;
		if (memchr(s, '\0', (size_t)(e - s)))
			return fail(err, errlen, line, "NUL byte in line");
		trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (e[-1] != ']' || e - s < 3)
				return fail(err, errlen, line, "bad section header");
			const char *ns = s + 1, *ne = e - 1;
			trim(&ns, &ne);
			if (ne == ns || (size_t)(ne - ns) >= sizeof(section) - 1)
				return fail(err, errlen, line, "bad section name");
			memcpy(section, ns, (size_t)(ne - ns));
			section[ne - ns] = '\0';
			continue;
		}
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (!eq)
			return fail(err, errlen, line, "expected key = value");
		const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ks == ke)
			return fail(err, errlen, line, "empty key");
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		char key[CONFIG_KEY_MAX], value[CONFIG_VALUE_MAX];
		size_t slen = strlen(section), klen = (size_t)(ke - ks);
		if (slen + 1 + klen >= sizeof(key))
			return fail(err, errlen, line, "key too long");
		if ((size_t)(ve - vs) >= sizeof(value))
			return fail(err, errlen, line, "value too long");
		size_t at = 0;
		if (slen) {
			memcpy(key, section, slen);
			key[slen] = '.';
			at = slen + 1;
		}
		memcpy(key + at, ks, klen);
		key[at + klen] = '\0';
		memcpy(value, vs, (size_t)(ve - vs));
		value[ve - vs] = '\0';
		if (config_set(c, key, value) != 0)
			return fail(err, errlen, line, "too many entries");
		find(c, key)->line = line;
	}
	return 0;
}

const char *config_get(const struct config *c, const char *key)
{
	const struct config_entry *e = find(c, key);
	return e ? e->value : NULL;
}

const char *config_get_str(const struct config *c, const char *key, const char *def)
{
	const char *v = config_get(c, key);
	return v ? v : def;
}

bool config_get_int(const struct config *c, const char *key, long min, long max, long def,
                    long *out)
{
	*out = def;
	const char *v = config_get(c, key);
	if (!v)
		return true;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return false;
	*out = n;
	return true;
}

bool config_get_bool(const struct config *c, const char *key, bool def, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	*out = def;
	const char *v = config_get(c, key);
	if (!v)
		return true;
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}
