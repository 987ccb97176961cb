/* tests/fuzz/fuzz_config.c: libFuzzer harness for the configuration parser: any bytes parse
 * or fail with a terminated message; every entry parsed is terminated, unique, found by
 * config_get, and the typed getters keep their contract on it.
 * fuzz-sources: app/core/config.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c; /* 74 KB: not on the stack */
	char err[96];
	memset(&c, 0xA5, sizeof c);
	memset(err, 'x', sizeof err);
	/* data is not NUL-terminated: the parser must stop at size */
	int rc = config_parse(&c, (const char *)data, size, err, sizeof err);
	if (rc != 0) {
		if (rc != -1 || strnlen(err, sizeof err) >= sizeof err || err[0] == '\0')
			abort();
		char tiny[2];
		if (config_parse(&c, (const char *)data, size, tiny, sizeof tiny) != -1 || tiny[1])
			abort();
		return 0;
	}
	if (c.count < 0 || c.count > CONFIG_MAX_ENTRIES)
		abort();
	for (int i = 0; i < c.count; i++) {
		const struct config_entry *e = &c.entries[i];
		if (strnlen(e->key, sizeof e->key) >= sizeof e->key ||
		    strnlen(e->value, sizeof e->value) >= sizeof e->value || e->line < 1)
			abort();
		for (int j = 0; j < i; j++)
			if (strcmp(c.entries[j].key, e->key) == 0)
				abort(); /* a later line overrides: one entry per key */
		const char *v = config_get(&c, e->key);
		if (!v || strcmp(v, e->value) != 0)
			abort();
		long l;
		bool b;
		if (config_get_int(&c, e->key, -1000, 1000, 7, &l) ? l < -1000 || l > 1000 : l != 7)
			abort();
		if (!config_get_bool(&c, e->key, true, &b) && !b)
			abort();
	}
	/* overrides: set each value again, and a fresh key while there is room */
	for (int i = 0; i < c.count; i++) {
		char key[CONFIG_KEY_MAX], value[CONFIG_VALUE_MAX];
		strcpy(key, c.entries[i].key);
		strcpy(value, c.entries[i].value);
		if (config_set(&c, key, value) != 0 || strcmp(config_get(&c, key), value) != 0)
			abort();
	}
	int before = c.count;
	int set = config_set(&c, "fuzz.fresh.key", "1");
	if (before < CONFIG_MAX_ENTRIES && !config_get(&c, "fuzz.fresh.key") && set == 0)
		abort();
	if (set == 0 && strcmp(config_get_str(&c, "fuzz.fresh.key", "0"), "1") != 0)
		abort();
	return 0;
}
