/* tests/unit/test_sys.c: file reads with a size limit, durable writes, mkdir -p, logging,
 * libraries opened at first use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/sys/sys.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hk-sys-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void test_write_then_read(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(dir_make(path, 0700), 0);
	assert_int_equal(dir_make(path, 0700), 0); /* again: fine */
	snprintf(path, sizeof(path), "%s/a/b/c/secret.key", dir);
	static char big[20000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(file_write_atomic(path, big, sizeof(big), 0600), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	size_t len = 0;
	char *back = file_read_all(path, 1 << 20, &len);
	assert_non_null(back);
	assert_int_equal(len, sizeof(big));
	assert_memory_equal(back, big, sizeof(big));
	assert_int_equal(back[len], '\0');
	free(back);
	errno = 0;
	assert_null(file_read_all(path, 1000, &len));
	assert_int_equal(errno, EFBIG);
	assert_null(file_read_all("/nonexistent/file", 1000, &len));
	assert_int_equal(errno, ENOENT);
	/* a file in the way of a folder */
	assert_int_equal(dir_make(path, 0700), -ENOTDIR);
	assert_true(file_write_atomic("/nonexistent/dir/x", "x", 1, 0600) < 0);
}

static void test_clocks(void **state)
{
	(void)state;
	assert_true(clock_unix_s() > 1600000000);
	int64_t a = clock_mono_ms(), b = clock_mono_ms();
	assert_true(b >= a);
	assert_true(clock_unix_ms() / 1000 - clock_unix_s() <= 1);
}

static void test_log_levels(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/log.txt", dir);
	fflush(stderr);
	int saved = dup(2);
	FILE *fp = freopen(path, "w", stderr);
	assert_non_null(fp);
	unsetenv("JOURNAL_STREAM");
	log_init("test", LOG_LEVEL_INFO);
	log_info("check-in %d stored", 42);
	log_debug("not shown");
	setenv("JOURNAL_STREAM", "8:1234", 1);
	log_init("test", LOG_LEVEL_DEBUG);
	log_err("printer offline");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size_t len;
	char *text = file_read_all(path, 4096, &len);
	assert_non_null(text);
	assert_non_null(strstr(text, "Z test info: check-in 42 stored\n"));
	assert_null(strstr(text, "not shown"));
	assert_non_null(strstr(text, "<3>printer offline\n"));
	free(text);
	unsetenv("JOURNAL_STREAM");
}

/* The real libraries the kiosk opens late, and the errors a missing one gives. */
static void test_lib_open(void **state)
{
	(void)state;
	char err[256] = "";
	void *lib = lib_open("libhk-no-such-library.so.1", err, sizeof(err));
	assert_null(lib);
	assert_non_null(strstr(err, "libhk-no-such-library.so.1"));
	lib = lib_open("libcurl.so.4", err, sizeof(err));
	assert_non_null(lib);
	assert_non_null(lib_sym(lib, "curl_easy_init", err, sizeof(err)));
	assert_null(lib_sym(lib, "curl_no_such_function", err, sizeof(err)));
	assert_non_null(strstr(err, "curl_no_such_function"));
	assert_non_null(lib_open("libcups.so.2", err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_write_then_read),
	    cmocka_unit_test(test_clocks),
	    cmocka_unit_test(test_log_levels),
	    cmocka_unit_test(test_lib_open),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
