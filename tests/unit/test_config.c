/* tests/unit/test_config.c: the configuration parser and its typed getters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/core/config.h"

static struct config cfg;

static int parse(const char *text, char *err)
{
	return config_parse(&cfg, text, strlen(text), err, 128);
}

static void test_sections_comments_quotes(void **state)
{
	(void)state;
	char err[128] = "";
	const char *text = "\xEF\xBB\xBF# kiosk\n"
	                   "role = entrance\r\n"
	                   "[printer]\n"
	                   "spec = \"png:var/prints\"\n"
	                   "  ; comment\n"
	                   "[ scanner ]\n"
	                   "spec=serial:/dev/ttyACM0,baud=9600\n"
	                   "timeout = 90\n"
	                   "demo = Yes\n"
	                   "[printer]\n"
	                   "spec = zpl+tcp://127.0.0.1:9100"; /* no final newline; overrides */
	assert_int_equal(parse(text, err), 0);
	assert_string_equal(config_get(&cfg, "role"), "entrance");
	assert_string_equal(config_get(&cfg, "printer.spec"), "zpl+tcp://127.0.0.1:9100");
	assert_string_equal(config_get(&cfg, "scanner.spec"), "serial:/dev/ttyACM0,baud=9600");
	assert_null(config_get(&cfg, "spec"));
	assert_string_equal(config_get_str(&cfg, "camera.spec", "files:x"), "files:x");
	long n;
	assert_true(config_get_int(&cfg, "scanner.timeout", 1, 600, 5, &n));
	assert_int_equal(n, 90);
	assert_false(config_get_int(&cfg, "scanner.timeout", 1, 60, 5, &n));
	assert_int_equal(n, 5);
	assert_false(config_get_int(&cfg, "role", 0, 10, 3, &n));
	assert_true(config_get_int(&cfg, "absent", 0, 10, 3, &n));
	assert_int_equal(n, 3);
	bool b;
	assert_true(config_get_bool(&cfg, "scanner.demo", false, &b));
	assert_true(b);
	assert_false(config_get_bool(&cfg, "role", true, &b));
	assert_true(b);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	char err[128];
	assert_int_equal(parse("a = 1\nb\n", err), -1);
	assert_string_equal(err, "2: expected key = value");
	assert_int_equal(parse("[open\n", err), -1);
	assert_string_equal(err, "1: bad section header");
	assert_int_equal(parse("a = 1\n\n = 2\n", err), -1);
	assert_string_equal(err, "3: empty key");
	char big[700];
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "k=", 2);
	assert_int_equal(parse(big, err), -1);
	assert_string_equal(err, "1: value too long");
	const char nul[] = "a = 1\nb = x\0y\n";
	assert_int_equal(config_parse(&cfg, nul, sizeof(nul) - 1, err, sizeof(err)), -1);
	assert_string_equal(err, "2: NUL byte in line");
}

static void test_too_many_entries(void **state)
{
	(void)state;
	static char text[CONFIG_MAX_ENTRIES * 16 + 64];
	size_t n = 0;
	for (int i = 0; i <= CONFIG_MAX_ENTRIES; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "k%d = %d\n", i, i);
	char err[128];
	assert_int_equal(config_parse(&cfg, text, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many entries"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sections_comments_quotes),
	    cmocka_unit_test(test_errors_name_the_line),
	    cmocka_unit_test(test_too_many_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
