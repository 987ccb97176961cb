/* tests/unit/test_types.c: names, reason codes and calendar arithmetic of app/core/types. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/types.h"

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int c = 0; c < CATEGORY_COUNT; c++) {
		enum category out;
		assert_true(category_parse(category_name((enum category)c), &out));
		assert_int_equal(out, c);
	}
	for (int r = 0; r < RISK_COUNT; r++) {
		enum risk out;
		assert_true(risk_parse(risk_name((enum risk)r), &out));
		assert_int_equal(out, r);
	}
	for (int s = 0; s < ROOM_STATE_COUNT; s++) {
		enum room_state out;
		assert_true(room_state_parse(room_state_name((enum room_state)s), &out));
		assert_int_equal(out, s);
	}
	enum risk keep = RISK_ORANGE;
	assert_false(risk_parse("purple", &keep));
	assert_false(risk_parse(NULL, &keep));
	assert_int_equal(keep, RISK_ORANGE);
	assert_string_equal(risk_name((enum risk)99), "?");
}

static void test_reason_codes_distinct(void **state)
{
	(void)state;
	for (int a = 0; a < REASON_COUNT; a++) {
		assert_string_not_equal(reason_code((enum reason)a), "E_UNKNOWN");
		for (int b = a + 1; b < REASON_COUNT; b++)
			assert_string_not_equal(reason_code((enum reason)a),
			                        reason_code((enum reason)b));
	}
	assert_string_equal(reason_code((enum reason) - 1), "E_UNKNOWN");
}

static void test_days(void **state)
{
	(void)state;
	assert_int_equal(day_from_ymd(1970, 1, 1), 0);
	assert_int_equal(day_from_ymd(2000, 3, 1), 11017);
	char buf[11];
	for (hk_day d = -800000; d < 800000; d += 997) {
		hk_day back;
		assert_true(day_parse(day_format(d, buf), &back) || d < day_from_ymd(0, 1, 1));
		if (d >= day_from_ymd(0, 1, 1) && d <= day_from_ymd(9999, 12, 31))
			assert_int_equal(back, d);
	}
	hk_day d;
	assert_true(day_parse("2022-02-28", &d));
	assert_false(day_parse("2022-02-29", &d));
	assert_true(day_parse("2024-02-29", &d));
	assert_false(day_parse("2022-13-01", &d));
	assert_false(day_parse("2022-1-01", &d));
	assert_false(day_parse("2022-01-01x", &d));
	assert_false(day_parse("", &d));
	/* a sign or a space where a digit belongs (found by fuzz_manifest) */
	assert_false(day_parse("-026-11-29", &d));
	assert_false(day_parse("+026-11-29", &d));
	assert_false(day_parse(" 026-11-29", &d));
	assert_false(day_parse("2026- 1-29", &d));
	assert_false(day_parse("2026-11-+9", &d));
	/* 2022-05-01 23:30 in Shenzhen is 15:30 UTC */
	int64_t t = (int64_t)day_from_ymd(2022, 5, 1) * 86400 + 15 * 3600 + 30 * 60;
	assert_int_equal(day_from_unix(t, 8 * 3600), day_from_ymd(2022, 5, 1));
	assert_int_equal(day_from_unix(t + 3600, 8 * 3600), day_from_ymd(2022, 5, 2));
	assert_int_equal(day_from_unix(-1, 0), -1);
}

/* Every hk_day has a date: the ends of the type no longer overflow an int inside
 * day_to_ymd (found by tests/fuzz/fuzz_strings.c formatting a fuzzed day under UBSan). */
static void test_days_extremes(void **state)
{
	(void)state;
	int y, m, d;
	day_to_ymd(INT32_MAX, &y, &m, &d);
	assert_int_equal(y, 5881580);
	assert_int_equal(m, 7);
	assert_int_equal(d, 11);
	day_to_ymd(INT32_MIN, &y, &m, &d);
	assert_int_equal(y, -5877641);
	assert_int_equal(m, 6);
	assert_int_equal(d, 23);
	char buf[11];
	assert_string_equal(day_format(INT32_MAX, buf), "0000-07-11");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_round_trip),
	    cmocka_unit_test(test_reason_codes_distinct),
	    cmocka_unit_test(test_days),
	    cmocka_unit_test(test_days_extremes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
