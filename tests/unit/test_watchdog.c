/* tests/unit/test_watchdog.c: the notify protocol against a real unix datagram socket, as
 * systemd listens on, and the heartbeat that stops when a part of the program stalls. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "drivers/board/watchdog.h"

static int sock = -1;
static char path[108];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/hk-notify-%d.sock", (int)getpid());
	unlink(path);
	sock = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (sock < 0 || bind(sock, (struct sockaddr *)&a, sizeof(a)) != 0)
		return -1;
	return setenv("NOTIFY_SOCKET", path, 1);
}

static int teardown(void **state)
{
	(void)state;
	close(sock);
	unlink(path);
	return 0;
}

/* The next datagram, or "" if none is waiting. */
static const char *received(void)
{
	static char buf[256];
	ssize_t n = recv(sock, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_notify_messages(void **state)
{
	(void)state;
	assert_int_equal(watchdog_notify("READY=1"), 1);
	assert_string_equal(received(), "READY=1");
	assert_int_equal(watchdog_notify("STATUS=3 records waiting"), 1);
	assert_string_equal(received(), "STATUS=3 records waiting");
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(watchdog_notify("READY=1"), 0);
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_true(watchdog_notify("READY=1") < 0);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_string_equal(received(), "");
}

static void test_interval(void **state)
{
	(void)state;
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "10000000", 1);
	assert_int_equal(watchdog_interval_ms(), 10000);
	setenv("WATCHDOG_PID", "1", 1); /* for another process */
	assert_int_equal(watchdog_interval_ms(), 0);
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(watchdog_interval_ms(), 10000);
	setenv("WATCHDOG_USEC", "ten", 1);
	assert_int_equal(watchdog_interval_ms(), 0);
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(watchdog_interval_ms(), 0);
}

static void test_heartbeat_stops_when_a_part_stalls(void **state)
{
	(void)state;
	struct watchdog w;
	watchdog_init(&w, 1000);
	int ui = watchdog_add_part(&w, "ui");
	int cam = watchdog_add_part(&w, "camera");
	const char *stalled;
	assert_int_equal(watchdog_tick(&w, 1000, &stalled), 1); /* both alive at start */
	assert_string_equal(received(), "WATCHDOG=1");
	assert_int_equal(watchdog_tick(&w, 1200, &stalled), 0); /* not due yet */
	assert_string_equal(received(), "");
	watchdog_alive(&w, ui);
	watchdog_alive(&w, cam);
	assert_int_equal(watchdog_tick(&w, 1600, &stalled), 1);
	assert_string_equal(received(), "WATCHDOG=1");
	/* the camera thread hangs: no heartbeat however long the UI goes on */
	for (int64_t t = 2200; t < 10000; t += 600) {
		watchdog_alive(&w, ui);
		assert_int_equal(watchdog_tick(&w, t, &stalled), 0);
		assert_string_equal(stalled, "camera");
	}
	assert_string_equal(received(), "");
	watchdog_alive(&w, cam);
	assert_int_equal(watchdog_tick(&w, 10000, &stalled), 1);
	assert_null(stalled);
	assert_string_equal(received(), "WATCHDOG=1");
	/* no watchdog configured: never sends */
	struct watchdog off;
	watchdog_init(&off, 0);
	assert_int_equal(watchdog_tick(&off, 99999, &stalled), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_notify_messages),
	    cmocka_unit_test(test_interval),
	    cmocka_unit_test(test_heartbeat_stops_when_a_part_stalls),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
