/* app/core/config.h: the configuration file format shared by every program: INI-style
 * "key = value" lines under "[section]" headers, '#' or ';' comments. Pure: the caller
 * reads the file and passes its text. */
#ifndef HK_CORE_CONFIG_H
#define HK_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_MAX_ENTRIES 128
#define CONFIG_KEY_MAX     64  /* "section.key", bytes incl. NUL */
#define CONFIG_VALUE_MAX   512 /* bytes incl. NUL */

struct config_entry {
	char key[CONFIG_KEY_MAX]; /* "section.name", or "name" before any section */
	char value[CONFIG_VALUE_MAX];
	int line;
};

struct config {
	struct config_entry entries[CONFIG_MAX_ENTRIES];
	int count;
};

/* Parse text (len bytes, need not be NUL-terminated). Later lines override earlier ones
 * with the same key. Returns 0, or -1 with err (errlen bytes) saying "LINE: what" for the
 * first bad line: no '=', an unterminated section, a key or value too long, a NUL byte,
 * too many entries. Values are trimmed; surrounding double quotes are removed. */
int config_parse(struct config *c, const char *text, size_t len, char *err, size_t errlen);

/* The value of key, or NULL. */
const char *config_get(const struct config *c, const char *key);
/* The value of key, or def when absent. */
const char *config_get_str(const struct config *c, const char *key, const char *def);
/* Integer value in [min, max]; def when absent. Returns false (and *out = def) when the
 * value is present but not such an integer, so callers can refuse a bad file. */
bool config_get_int(const struct config *c, const char *key, long min, long max, long def,
                    long *out);
/* "yes/no", "true/false", "on/off", "1/0"; same contract as config_get_int. */
bool config_get_bool(const struct config *c, const char *key, bool def, bool *out);
/* Set or add a value (for command-line overrides); -1 when full or too long. */
int config_set(struct config *c, const char *key, const char *value);

#endif
