/* tests/unit/test_district.c: the district report's writers (CSV for Excel, HTML with SVG)
 * and the forwarder's refusals that need no server; the hub itself is tested against a real
 * PostgreSQL in tests/integration/test_district.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/district/district.h"

static struct district_station_figures fig[2] = {
    {.station_id = "s02",
     .rooms_free = 10,
     .rooms_occupied = 5,
     .rooms_cleaning = 1,
     .beds_free = 20,
     .residents = 7,
     .arrivals_today = 3,
     .releases_today = 1,
     .releases_tomorrow = 2,
     .risk = {4, 1, 1, 1},
     .median_intake_s = 151.25},
    {.station_id = "s01", .rooms_free = 2, .beds_free = 3, .median_intake_s = -1},
};

static char *render(int (*fn)(const struct district_report *, FILE *))
{
	struct district_report r = {
	    .day = day_from_ymd(2026, 11, 14), .stations = fig, .count = 2, .beds_free_total = 23};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(fn(&r, f), 0);
	fclose(f);
	return text;
}

static void test_csv_form(void **state)
{
	(void)state;
	char *csv = render(district_report_write_csv);
	assert_memory_equal(csv,
	                    "\xEF\xBB\xBF"
	                    "day,station,rooms_free",
	                    25);
	/* every line ends CRLF, none with a bare LF */
	int lines = 0;
	for (char *p = csv; (p = strchr(p, '\n')) != NULL; p++, lines++)
		assert_int_equal(p[-1], '\r');
	assert_int_equal(lines, 4); /* header, two stations, total */
	assert_non_null(strstr(csv, "\r\n2026-11-14,s02,10,5,1,0,20,7,3,1,2,4,1,1,1,151.2,1\r\n"));
	assert_non_null(strstr(csv, "\r\n2026-11-14,s01,2,0,0,0,3,0,0,0,0,0,0,0,0,,2\r\n"));
	assert_non_null(strstr(csv, "\r\n2026-11-14,TOTAL,12,5,1,0,23,7,3,1,2,4,1,1,1,,\r\n"));
	free(csv);
}

static void test_html_self_contained(void **state)
{
	(void)state;
	char *html = render(district_report_write_html);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	int svgs = 0;
	for (char *p = html; (p = strstr(p, "<svg")) != NULL; p++)
		svgs++;
	assert_int_equal(svgs, 2);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_non_null(strstr(html, "1. s02"));
	assert_non_null(strstr(html, "2. s01"));
	free(html);
}

static void test_forward_refuses_bad_options(void **state)
{
	(void)state;
	char err[256];
	struct district_forward_options o = {.conninfo = "host=127.0.0.1 port=1",
	                                     .store_path = "/nonexistent/dir/x.db",
	                                     .station_id = ""};
	assert_int_equal(district_forward_once(&o, 0, NULL, err, sizeof(err)), DISTRICT_E_INVALID);
	o.station_id = "s01";
	o.batch = 6000;
	assert_int_equal(district_forward_once(&o, 0, NULL, err, sizeof(err)), DISTRICT_E_INVALID);
	o.batch = 0;
	assert_int_equal(district_forward_once(&o, 0, NULL, err, sizeof(err)), DISTRICT_E_STORE);
	assert_null(district_forwarder_start(&o, err, sizeof(err)));
	assert_int_equal(
	    district_station_add("host=127.0.0.1 port=1", "bad id", "r", NULL, err, sizeof(err)),
	    DISTRICT_E_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_form),
	    cmocka_unit_test(test_html_self_contained),
	    cmocka_unit_test(test_forward_refuses_bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
