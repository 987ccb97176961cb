/* tests/unit/test_scanner.c: the scanner driver: wedge timing, the US key map, a serial
 * scanner through a real pty, and an evdev scanner through a FIFO of input events. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "drivers/scanner/scanner.h"

static const char code[] = "SZHC1:eyJhbGciOiJFUzI1NiJ9.e30.sig-_";

static void type_burst(struct wedge *w, const char *text, int64_t *t, int gap)
{
	char one[2] = {0, 0};
	for (const char *p = text; *p; p++) {
		one[0] = *p;
		wedge_feed_text(w, one, *t);
		*t += gap;
	}
}

static void test_wedge_fast_burst_is_a_scan(void **state)
{
	(void)state;
	struct wedge w;
	wedge_init(&w, NULL);
	struct scan s;
	int64_t t = 1000;
	type_burst(&w, code, &t, 3);
	assert_false(wedge_take(&w, t, &s));
	wedge_feed_end(&w, WEDGE_END_ENTER, t);
	assert_true(wedge_take(&w, t, &s));
	assert_string_equal(s.text, code);
	assert_int_equal(s.len, strlen(code));
	assert_false(s.truncated);
	assert_false(wedge_take(&w, t + 1000, &s)); /* once only */
}

static void test_wedge_typing_is_not_a_scan(void **state)
{
	(void)state;
	struct wedge w;
	wedge_init(&w, NULL);
	struct scan s;
	int64_t t = 0;
	type_burst(&w, "123456789", &t, 180); /* a person at the keyboard */
	wedge_feed_end(&w, WEDGE_END_ENTER, t);
	assert_false(wedge_take(&w, t + 5000, &s));
	/* and a scan right after typing still reads exactly */
	t += 2000;
	type_burst(&w, code, &t, 2);
	wedge_feed_end(&w, WEDGE_END_TAB, t);
	assert_true(wedge_take(&w, t, &s));
	assert_string_equal(s.text, code);
}

static void test_wedge_cut_scan_is_truncated(void **state)
{
	(void)state;
	struct wedge w;
	wedge_init(&w, NULL);
	struct scan s;
	int64_t t = 0;
	type_burst(&w, "SZHC1:eyJhbGciOi", &t, 2); /* the box stops: no suffix */
	assert_false(wedge_take(&w, t + 10, &s));
	assert_true(wedge_take(&w, t + 1000, &s));
	assert_true(s.truncated);
	assert_string_equal(s.text, "SZHC1:eyJhbGciOi");
}

static void test_wedge_overlong_is_cut_and_flagged(void **state)
{
	(void)state;
	struct wedge w;
	wedge_init(&w, NULL);
	char *big = malloc(SCAN_MAX + 100);
	memset(big, 'A', SCAN_MAX + 99);
	big[SCAN_MAX + 99] = '\0';
	wedge_feed_text(&w, big, 0);
	wedge_feed_end(&w, WEDGE_END_ENTER, 1);
	struct scan s;
	assert_true(wedge_take(&w, 1, &s));
	assert_true(s.truncated);
	assert_int_equal(s.len, SCAN_MAX);
	free(big);
}

static void test_us_keymap(void **state)
{
	(void)state;
	assert_int_equal(scanner_us_keymap(KEY_A, false), 'a');
	assert_int_equal(scanner_us_keymap(KEY_A, true), 'A');
	assert_int_equal(scanner_us_keymap(KEY_1, true), '!');
	assert_int_equal(scanner_us_keymap(KEY_SEMICOLON, true), ':');
	assert_int_equal(scanner_us_keymap(KEY_SLASH, false), '/');
	assert_int_equal(scanner_us_keymap(KEY_MINUS, true), '_');
	assert_int_equal(scanner_us_keymap(KEY_SPACE, false), ' ');
	assert_int_equal(scanner_us_keymap(KEY_F1, false), 0);
	assert_int_equal(scanner_us_keymap(KEY_LEFTSHIFT, false), 0);
}

static void test_serial_through_pty(void **state)
{
	(void)state;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	char spec[300];
	snprintf(spec, sizeof(spec), "serial:%s,baud=115200", ptsname(master));
	struct scanner *s = scanner_open(spec);
	assert_non_null(s);
	struct scan sc;
	assert_int_equal(scanner_read(s, &sc, 50), 0); /* nothing yet */

	char line[200];
	int n = snprintf(line, sizeof(line), "%s\r\n%s\r\n", code, "SECOND-CODE-123");
	assert_int_equal(write(master, line, (size_t)n), n);
	assert_int_equal(scanner_read(s, &sc, 1000), 1);
	assert_string_equal(sc.text, code);
	assert_false(sc.truncated);
	assert_int_equal(scanner_read(s, &sc, 1000), 1);
	assert_string_equal(sc.text, "SECOND-CODE-123");

	/* a scan cut short: no suffix arrives, reported as truncated after the silence */
	assert_int_equal(write(master, "SZHC1:eyJ", 9), 9);
	assert_int_equal(scanner_read(s, &sc, 2000), 1);
	assert_true(sc.truncated);
	assert_string_equal(sc.text, "SZHC1:eyJ");

	/* unplugged: the master side goes away */
	close(master);
	assert_int_equal(scanner_read(s, &sc, 500), -ENODEV);
	scanner_close(s);
}

static void put_key(int fd, unsigned key, int value)
{
	struct input_event ev = {.type = EV_KEY, .code = (unsigned short)key, .value = value};
	assert_int_equal(write(fd, &ev, sizeof(ev)), (ssize_t)sizeof(ev));
}

static void test_evdev_through_fifo(void **state)
{
	(void)state;
	char dir[] = "/tmp/hk-evdev-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/event0", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	char spec[80];
	snprintf(spec, sizeof(spec), "evdev:%s", path);
	struct scanner *s = scanner_open(spec);
	assert_non_null(s);
	int w = open(path, O_WRONLY);
	assert_true(w >= 0);
	/* "Ab:1" then Enter */
	put_key(w, KEY_LEFTSHIFT, 1);
	put_key(w, KEY_A, 1);
	put_key(w, KEY_A, 0);
	put_key(w, KEY_LEFTSHIFT, 0);
	put_key(w, KEY_B, 1);
	put_key(w, KEY_B, 0);
	put_key(w, KEY_LEFTSHIFT, 1);
	put_key(w, KEY_SEMICOLON, 1);
	put_key(w, KEY_LEFTSHIFT, 0);
	put_key(w, KEY_1, 1);
	put_key(w, KEY_ENTER, 1);
	struct scan sc;
	assert_int_equal(scanner_read(s, &sc, 1000), 1);
	assert_string_equal(sc.text, "Ab:1");
	close(w);
	assert_int_equal(scanner_read(s, &sc, 500), -ENODEV);
	scanner_close(s);
	unlink(path);
	rmdir(dir);
}

static void test_bad_specs(void **state)
{
	(void)state;
	assert_null(scanner_open(NULL));
	assert_null(scanner_open("usb"));
	assert_null(scanner_open("serial:"));
	assert_null(scanner_open("serial:/dev/null,baud=1234"));
	assert_null(scanner_open("serial:/dev/null,speed=9600"));
	errno = 0;
	assert_null(scanner_open("serial:/nonexistent/tty"));
	assert_int_equal(errno, ENOENT);
	struct scanner *s = scanner_open("wedge");
	assert_non_null(scanner_wedge(s));
	scanner_close(s);
}

/* An over-long scan of Chinese text is cut at a character boundary, and nothing typed after
 * the cut is glued on (found by tests/fuzz/fuzz_wedge.c: the cut fell inside a 3-byte
 * character, and a later 1-byte key was appended after the hole). */
static void test_wedge_overlong_cut_at_character(void **state)
{
	(void)state;
	struct wedge w;
	wedge_init(&w, NULL);
	static const char zhang[] = "\xe5\xbc\xa0"; /* U+5F20, 3 bytes; 4096 = 3 * 1365 + 1 */
	int64_t t = 0;
	for (int i = 0; i < 1400; i++)
		wedge_feed_text(&w, zhang, t++ / 4);
	wedge_feed_text(&w, "A", t / 4);
	wedge_feed_end(&w, WEDGE_END_ENTER, t / 4);
	struct scan s;
	assert_true(wedge_take(&w, t / 4, &s));
	assert_true(s.truncated);
	assert_int_equal(s.len, 3 * 1365);
	assert_int_equal(strlen(s.text), s.len);
	for (size_t i = 0; i < s.len; i += 3)
		assert_memory_equal(s.text + i, zhang, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wedge_fast_burst_is_a_scan),
	    cmocka_unit_test(test_wedge_typing_is_not_a_scan),
	    cmocka_unit_test(test_wedge_cut_scan_is_truncated),
	    cmocka_unit_test(test_wedge_overlong_is_cut_and_flagged),
	    cmocka_unit_test(test_wedge_overlong_cut_at_character),
	    cmocka_unit_test(test_us_keymap),
	    cmocka_unit_test(test_serial_through_pty),
	    cmocka_unit_test(test_evdev_through_fifo),
	    cmocka_unit_test(test_bad_specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
