/* tests/tools/kstate.c: read the kiosk's state file (--state-file) for scripts that drive
 * the real window: the screen shown, and where a button is.
 *   kstate FILE state            e.g. "IDENTITY" (or "IDENTITY/PIN" with an overlay)
 *   kstate FILE field NAME       a top-level field: lang, reason, ack_enabled, screens
 *   kstate FILE button NAME [ARG] the centre "X Y" of an enabled button; exit 1 if absent */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: kstate FILE state | field NAME | button NAME [ARG]\n", stderr);
		return 2;
	}
	json_error_t err;
	json_t *root = json_load_file(argv[1], 0, &err);
	if (!root)
		return 3; /* not written yet, or being replaced */
	int rc = 1;
	if (strcmp(argv[2], "state") == 0) {
		const char *st = json_string_value(json_object_get(root, "state"));
		const char *ov = json_string_value(json_object_get(root, "overlay"));
		if (st) {
			printf("%s%s%s\n", st, ov && strcmp(ov, "NONE") ? "/" : "",
			       ov && strcmp(ov, "NONE") ? ov : "");
			rc = 0;
		}
	} else if (strcmp(argv[2], "field") == 0 && argc == 4) {
		json_t *v = json_object_get(root, argv[3]);
		if (json_is_string(v))
			printf("%s\n", json_string_value(v));
		else if (json_is_boolean(v))
			printf("%s\n", json_is_true(v) ? "true" : "false");
		else if (json_is_integer(v))
			printf("%lld\n", (long long)json_integer_value(v));
		rc = v ? 0 : 1;
	} else if (strcmp(argv[2], "button") == 0 && argc >= 4) {
		size_t i;
		json_t *b;
		json_array_foreach(json_object_get(root, "buttons"), i, b)
		{
			const char *name = json_string_value(json_object_get(b, "name"));
			long long arg = json_integer_value(json_object_get(b, "arg"));
			if (!name || strcmp(name, argv[3]) != 0)
				continue;
			if (argc == 5 && arg != atoll(argv[4]))
				continue;
			long long x = json_integer_value(json_object_get(b, "x"));
			long long y = json_integer_value(json_object_get(b, "y"));
			long long w = json_integer_value(json_object_get(b, "w"));
			long long h = json_integer_value(json_object_get(b, "h"));
			printf("%lld %lld\n", x + w / 2, y + h / 2);
			rc = 0;
			break;
		}
	}
	json_decref(root);
	return rc;
}
