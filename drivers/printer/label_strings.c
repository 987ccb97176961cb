/* drivers/printer/label_strings.c: labels.json loader (jansson); the layouts' captions
 * are checked for presence in both languages at load, so a label never prints a hole. */
#include "drivers/printer/label_strings.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct label_strings {
	json_t *root;
};

/* Every key label.c asks for. */
static const char *const required[] = {
    "room",         "name",       "release",    "occupants",       "care",        "meal",
    "sample",       "date",       "risk.green", "risk.yellow",     "risk.orange", "risk.red",
    "diet.elderly", "diet.child", "diet.halal", "diet.vegetarian", "diet.soft",   "ellipsis",
};

static bool entry_complete(const json_t *root, const char *key)
{
	const json_t *e = json_object_get(root, key);
	const char *langs[] = {"zh", "en"};
	if (!json_is_object(e))
		return false;
	for (size_t i = 0; i < 2; i++) {
		const json_t *v = json_object_get(e, langs[i]);
		if (!json_is_string(v) || json_string_length(v) == 0)
			return false;
	}
	return true;
}

struct label_strings *label_strings_load(const char *path, const char **why)
{
	char buf[1024];
	const char *reason = "no memory";
	if (!path) {
		const char *dir = getenv("HK_DATA_DIR");
		snprintf(buf, sizeof(buf), "%s%s%s", dir && *dir ? dir : "", dir && *dir ? "/" : "",
		         LABEL_STRINGS_DEFAULT);
		path = buf;
	}
	struct label_strings *s = calloc(1, sizeof(*s));
	if (!s)
		goto out_fail;
	json_error_t err;
	s->root = json_load_file(path, 0, &err);
	if (!s->root) {
		reason = "labels.json missing or not valid JSON";
		goto out_free;
	}
	if (!json_is_object(s->root)) {
		reason = "labels.json is not an object";
		goto out_decref;
	}
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!entry_complete(s->root, required[i])) {
			reason = "labels.json lacks a caption in zh or en";
			goto out_decref;
		}
	}
	return s;
out_decref:
	json_decref(s->root);
out_free:
	free(s);
out_fail:
	if (why)
		*why = reason;
	return NULL;
}

void label_strings_free(struct label_strings *s)
{
	if (!s)
		return;
	json_decref(s->root);
	free(s);
}

const char *label_strings_get(const struct label_strings *s, const char *key, const char *lang)
{
	const char *v = json_string_value(json_object_get(json_object_get(s->root, key), lang));
	return v ? v : "";
}
