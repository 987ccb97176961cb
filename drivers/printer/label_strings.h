/* drivers/printer/label_strings.h: the fixed bilingual captions printed on labels
 * ("Room", "Release", risk words, diet words), loaded from assets/strings/labels.json. */
#ifndef HK_DRIVERS_PRINTER_LABEL_STRINGS_H
#define HK_DRIVERS_PRINTER_LABEL_STRINGS_H

#define LABEL_STRINGS_DEFAULT "assets/strings/labels.json"

struct label_strings;

/* Load a JSON object of key -> {"zh": "...", "en": "..."}. path NULL: LABEL_STRINGS_DEFAULT
 * under $HK_DATA_DIR (or the current directory). Every key the layouts use must be present
 * in both languages, or loading fails. NULL on failure; *why (if not NULL) then points to
 * a static English reason. Free with label_strings_free(). */
struct label_strings *label_strings_load(const char *path, const char **why);
void label_strings_free(struct label_strings *s);

/* The caption for `key` in "zh" or "en"; never NULL ("" for an unknown key). Borrowed:
 * valid until label_strings_free(). */
const char *label_strings_get(const struct label_strings *s, const char *key, const char *lang);

#endif
