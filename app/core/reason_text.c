/* app/core/reason_text.c: reasons.json turned into strings entries ("reason.CODE",
 * "reason.CODE.action") in zh-CN and en. */
#include "app/core/reason_text.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t errlen, const char *what, const char *key)
{
	if (err && errlen)
		snprintf(err, errlen, "%s%s%s", what, key ? ": " : "", key ? key : "");
}

/* Put {"zh-CN": zh, "en": en} under key in table (either text may be missing). */
static int put_entry(json_t *table, const char *key, json_t *zh, json_t *en)
{
	json_t *e = json_object();
	if (!e)
		return -ENOMEM;
	if ((zh && json_object_set(e, "zh-CN", zh) < 0) ||
	    (en && json_object_set(e, "en", en) < 0) || json_object_set_new(table, key, e) < 0)
		return -ENOMEM;
	return 0;
}

int reason_text_add_json(struct strings *s, const char *json, size_t len, char *err, size_t errlen)
{
	int rc = -EINVAL;
	json_error_t jerr;
	char *dump = NULL;
	json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *table = json_object();
	if (!doc) {
		set_err(err, errlen, jerr.text, NULL);
		goto out_free;
	}
	if (!table) {
		rc = -ENOMEM;
		goto out_free;
	}
	if (!json_is_object(doc)) {
		set_err(err, errlen, "not a JSON object", NULL);
		goto out_free;
	}
	const char *code;
	json_t *v;
	json_object_foreach(doc, code, v)
	{
		if (code[0] == '_')
			continue;
		if (!json_is_object(v)) {
			set_err(err, errlen, "entry is not an object", code);
			goto out_free;
		}
		const char *field;
		json_t *text;
		json_object_foreach(v, field, text)
		{
			if (!json_is_string(text)) {
				set_err(err, errlen, "text is not a string in entry", code);
				goto out_free;
			}
		}
		char key[96];
		snprintf(key, sizeof(key), "reason.%s", code);
		json_t *zh = json_object_get(v, "zh"), *en = json_object_get(v, "en");
		if ((zh || en) && put_entry(table, key, zh, en) < 0) {
			rc = -ENOMEM;
			goto out_free;
		}
		static const char *const extra[][3] = {{"action", "action_zh", "action_en"},
		                                       {"staff", "staff_zh", "staff_en"}};
		for (size_t k = 0; k < sizeof(extra) / sizeof(*extra); k++) {
			snprintf(key, sizeof(key), "reason.%s.%s", code, extra[k][0]);
			zh = json_object_get(v, extra[k][1]);
			en = json_object_get(v, extra[k][2]);
			if ((zh || en) && put_entry(table, key, zh, en) < 0) {
				rc = -ENOMEM;
				goto out_free;
			}
		}
	}
	dump = json_dumps(table, JSON_COMPACT);
	if (!dump) {
		rc = -ENOMEM;
		goto out_free;
	}
	rc = strings_add_json(s, dump, strlen(dump), err, errlen);
out_free:
	free(dump);
	json_decref(table);
	json_decref(doc);
	return rc;
}

const char *reason_text_key(enum reason r, bool action, char *buf, size_t n)
{
	snprintf(buf, n, "reason.%s%s", reason_code(r), action ? ".action" : "");
	return buf;
}

const char *reason_staff_key(enum reason r, char *buf, size_t n)
{
	snprintf(buf, n, "reason.%s.staff", reason_code(r));
	return buf;
}
