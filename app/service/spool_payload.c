/* app/service/spool_payload.c: the print job payload: display-ready label fields as JSON,
 * written when a job is queued and read back, checked field by field, when it prints. */
#include "app/service/spool.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD_VERSION 1

static const char *const kind_names[LABEL_KIND_COUNT] = {"wristband", "door", "meal", "sample"};
static const char *const lang_names[LABEL_LANG_COUNT] = {"zh", "en", "both"};
static const struct {
	unsigned flag;
	const char *name;
} diets[] = {
    {LABEL_DIET_ELDERLY, "elderly"},       {LABEL_DIET_CHILD, "child"}, {LABEL_DIET_HALAL, "halal"},
    {LABEL_DIET_VEGETARIAN, "vegetarian"}, {LABEL_DIET_SOFT, "soft"},
};
#define N_DIETS (sizeof(diets) / sizeof(*diets))

const char *spool_kind_name(enum label_kind k)
{
	return (unsigned)k < LABEL_KIND_COUNT ? kind_names[k] : "?";
}

bool spool_kind_parse(const char *s, enum label_kind *out)
{
	for (int i = 0; s && i < LABEL_KIND_COUNT; i++) {
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum label_kind)i;
			return true;
		}
	}
	return false;
}

const char *spool_lang_name(enum label_lang l)
{
	return (unsigned)l < LABEL_LANG_COUNT ? lang_names[l] : "?";
}

static bool lang_parse(const char *s, enum label_lang *out)
{
	for (int i = 0; s && i < LABEL_LANG_COUNT; i++) {
		if (strcmp(s, lang_names[i]) == 0) {
			*out = (enum label_lang)i;
			return true;
		}
	}
	return false;
}

/* Set key to text unless text is empty; false on no memory. */
static bool put_text(json_t *o, const char *key, const char *text)
{
	return !*text || json_object_set_new(o, key, json_string(text)) == 0;
}

int spool_payload_encode(const struct spool_payload *p, char **json)
{
	*json = NULL;
	if ((unsigned)p->kind >= LABEL_KIND_COUNT || (unsigned)p->lang >= LABEL_LANG_COUNT ||
	    (unsigned)p->risk >= RISK_COUNT || p->copies < 0 || p->copies > 9)
		return -EINVAL;
	json_t *o =
	    json_pack("{s:i, s:s, s:s, s:s}", "v", PAYLOAD_VERSION, "kind", kind_names[p->kind],
	              "lang", lang_names[p->lang], "risk", risk_name(p->risk));
	if (!o)
		return -ENOMEM;
	bool ok =
	    put_text(o, "room", p->room) && put_text(o, "name", p->name) &&
	    put_text(o, "release", p->release) && put_text(o, "token", p->token) &&
	    put_text(o, "diet_note", p->diet_note) && put_text(o, "sample_id", p->sample_id) &&
	    put_text(o, "date", p->date) &&
	    (!p->care || json_object_set_new(o, "care", json_true()) == 0) &&
	    (p->copies <= 1 || json_object_set_new(o, "copies", json_integer(p->copies)) == 0);
	json_t *names = json_array(), *diet = json_array();
	for (int i = 0; ok && names && i < 4; i++)
		if (*p->occupants[i])
			ok = json_array_append_new(names, json_string(p->occupants[i])) == 0;
	for (size_t i = 0; ok && diet && i < N_DIETS; i++)
		if (p->diet & diets[i].flag)
			ok = json_array_append_new(diet, json_string(diets[i].name)) == 0;
	ok = ok && names && diet;
	if (ok && json_array_size(names))
		ok = json_object_set(o, "occupants", names) == 0;
	if (ok && json_array_size(diet))
		ok = json_object_set(o, "diet", diet) == 0;
	json_decref(names);
	json_decref(diet);
	if (ok)
		*json = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return *json ? 0 : -ENOMEM;
}

/* Copy an optional string member into dst[size]; false when present but not a string or
 * too long. */
static bool get_text(json_t *o, const char *key, char *dst, size_t size)
{
	json_t *v = json_object_get(o, key);
	dst[0] = '\0';
	if (!v)
		return true;
	if (!json_is_string(v) || json_string_length(v) >= size ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return false;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return true;
}

int spool_payload_decode(const char *json, struct spool_payload *out)
{
	memset(out, 0, sizeof(*out));
	if (!json)
		return -EINVAL;
	json_t *o = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -EINVAL;
	}
	json_t *v = json_object_get(o, "v");
	bool ok = json_is_integer(v) && json_integer_value(v) == PAYLOAD_VERSION &&
	          spool_kind_parse(json_string_value(json_object_get(o, "kind")), &out->kind) &&
	          lang_parse(json_string_value(json_object_get(o, "lang")), &out->lang);
	const char *risk = json_string_value(json_object_get(o, "risk"));
	ok = ok && risk && risk_parse(risk, &out->risk);
	ok = ok && get_text(o, "room", out->room, sizeof(out->room)) &&
	     get_text(o, "name", out->name, sizeof(out->name)) &&
	     get_text(o, "release", out->release, sizeof(out->release)) &&
	     get_text(o, "token", out->token, sizeof(out->token)) &&
	     get_text(o, "diet_note", out->diet_note, sizeof(out->diet_note)) &&
	     get_text(o, "sample_id", out->sample_id, sizeof(out->sample_id)) &&
	     get_text(o, "date", out->date, sizeof(out->date));
	v = json_object_get(o, "care");
	if (ok && v) {
		ok = json_is_boolean(v);
		out->care = json_is_true(v);
	}
	v = json_object_get(o, "copies");
	out->copies = 1;
	if (ok && v) {
		ok = json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 9;
		out->copies = ok ? (int)json_integer_value(v) : 1;
	}
	v = json_object_get(o, "occupants");
	if (ok && v) {
		ok = json_is_array(v) && json_array_size(v) <= 4;
		for (size_t i = 0; ok && i < json_array_size(v); i++) {
			json_t *n = json_array_get(v, i);
			/* an empty name is refused: encoding leaves empty slots out, so one here
			 * would move the names after it when the job is written again */
			ok = json_is_string(n) && json_string_length(n) > 0 &&
			     json_string_length(n) < SPOOL_TEXT_MAX &&
			     strlen(json_string_value(n)) == json_string_length(n);
			if (ok)
				memcpy(out->occupants[i], json_string_value(n),
				       json_string_length(n) + 1);
		}
	}
	v = json_object_get(o, "diet");
	if (ok && v) {
		ok = json_is_array(v);
		for (size_t i = 0; ok && i < json_array_size(v); i++) {
			const char *word = json_string_value(json_array_get(v, i));
			size_t d = 0;
			while (word && d < N_DIETS && strcmp(word, diets[d].name) != 0)
				d++;
			ok = word && d < N_DIETS;
			if (ok)
				out->diet |= diets[d].flag;
		}
	}
	json_decref(o);
	if (!ok)
		memset(out, 0, sizeof(*out));
	return ok ? 0 : -EINVAL;
}

void spool_payload_fields(const struct spool_payload *p, struct label_fields *out)
{
	memset(out, 0, sizeof(*out));
	out->room = p->room;
	out->name = p->name;
	out->release = p->release;
	out->risk = p->risk;
	out->token = p->token;
	for (int i = 0; i < 4; i++)
		out->occupants[i] = p->occupants[i];
	out->care = p->care;
	out->diet = p->diet;
	out->diet_note = p->diet_note;
	out->sample_id = p->sample_id;
	out->date = p->date;
}
