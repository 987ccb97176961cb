/* tests/unit/test_policy.c: terms, day counting, release days across month and year ends,
 * the cut-off hour, late arrivals, extensions, and the entrance's decision table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/policy.h"

#define CN (8 * 3600)

/* Unix seconds of a station-local (UTC+8) wall-clock time. */
static int64_t local_time(int y, int mo, int d, int h, int mi)
{
	return (int64_t)day_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 - CN;
}

static void assert_day(hk_day got, const char *want)
{
	char buf[11];
	assert_string_equal(day_format(got, buf), want);
}

static void test_term_parse_and_format(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool ok;
		int onsite, home;
	} cases[] = {
	    {"14", true, 14, 0},
	    {"14+7", true, 14, 7},
	    {"21+7", true, 21, 7},
	    {"7+3", true, 7, 3},
	    {"1", true, 1, 0},
	    {"99+99", true, 99, 99},
	    {"", false, 0, 0},
	    {"0", false, 0, 0},
	    {"014", false, 0, 0},
	    {"14+0", false, 0, 0},
	    {"14+07", false, 0, 0},
	    {"100", false, 0, 0},
	    {"14+100", false, 0, 0},
	    {"+7", false, 0, 0},
	    {"14+", false, 0, 0},
	    {"14 + 7", false, 0, 0},
	    {" 14", false, 0, 0},
	    {"14 ", false, 0, 0},
	    {"14+7+1", false, 0, 0},
	    {"-14", false, 0, 0},
	    {"14d", false, 0, 0},
	    {"1e1", false, 0, 0},
	    {"14,7", false, 0, 0},
	    {"２１+7", false, 0, 0},
	    {"99999999999999999999", false, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy_term t = {42, 42};
		bool ok = policy_term_parse(cases[i].text, &t);
		if (ok != cases[i].ok)
			fail_msg("term \"%s\": parse %d, want %d", cases[i].text, ok, cases[i].ok);
		if (!ok) {
			assert_int_equal(t.onsite_days, 42); /* left alone */
			continue;
		}
		assert_int_equal(t.onsite_days, cases[i].onsite);
		assert_int_equal(t.home_days, cases[i].home);
		char buf[POLICY_TERM_STR_MAX];
		assert_non_null(policy_term_format(t, buf));
		assert_string_equal(buf, cases[i].text); /* the canonical form round-trips */
	}
	struct policy_term t;
	assert_false(policy_term_parse(NULL, &t));
	char buf[POLICY_TERM_STR_MAX] = "x";
	assert_null(policy_term_format((struct policy_term){0, 7}, buf));
	assert_string_equal(buf, "");
	assert_null(policy_term_format((struct policy_term){14, -1}, buf));
	assert_null(policy_term_format((struct policy_term){100, 0}, buf));
}

static void test_defaults_valid(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	assert_true(policy_valid(&p));
	char buf[POLICY_TERM_STR_MAX];
	assert_string_equal(policy_term_format(p.term[CATEGORY_INBOUND], buf), "14+7");
	assert_string_equal(policy_term_format(p.term[CATEGORY_SECONDARY_CONTACT], buf), "14");
	assert_int_equal(p.cutoff_hour, 12);
	assert_int_equal(p.tz_offset_s, CN);

	struct policy bad = p;
	bad.cutoff_hour = 25;
	assert_false(policy_valid(&bad));
	bad = p;
	bad.cutoff_hour = -1;
	assert_false(policy_valid(&bad));
	bad = p;
	bad.tz_offset_s = 15 * 3600;
	assert_false(policy_valid(&bad));
	bad = p;
	bad.term[CATEGORY_CLOSE_CONTACT].onsite_days = 0;
	assert_false(policy_valid(&bad));
	bad = p;
	bad.walk_in = POLICY_ADMIT; /* a stranger is never let in without a person deciding */
	assert_false(policy_valid(&bad));
	bad = p;
	bad.code_action[CATEGORY_INBOUND][POLICY_CODE_RED] = (enum policy_action)77;
	assert_false(policy_valid(&bad));
	assert_false(policy_valid(NULL));
}

/* One arrival, its term and cut-off, and the days that must come out. */
struct plan_case {
	const char *name;
	int y, mo, d, h, mi; /* actual arrival, station-local */
	const char *term;    /* NULL: the category default */
	enum category cat;
	int cutoff;
	const char *first, *release, *home_end;
};

static void test_plan_dates(void **state)
{
	(void)state;
	static const struct plan_case cases[] = {
	    {"morning arrival counts as day 1", 2022, 6, 1, 9, 0, "14", CATEGORY_INBOUND, 12,
	     "2022-06-01", "2022-06-15", "2022-06-15"},
	    {"afternoon arrival: day 1 is tomorrow", 2022, 6, 1, 15, 0, "14", CATEGORY_INBOUND, 12,
	     "2022-06-02", "2022-06-16", "2022-06-16"},
	    {"11:59 is before the cut-off", 2022, 6, 1, 11, 59, "14", CATEGORY_INBOUND, 12,
	     "2022-06-01", "2022-06-15", "2022-06-15"},
	    {"12:00 is at the cut-off: next day", 2022, 6, 1, 12, 0, "14", CATEGORY_INBOUND, 12,
	     "2022-06-02", "2022-06-16", "2022-06-16"},
	    {"21+7 across the year end", 2022, 12, 25, 10, 0, "21+7", CATEGORY_INBOUND, 12,
	     "2022-12-25", "2023-01-15", "2023-01-22"},
	    {"14+7 late on new year's eve", 2022, 12, 31, 23, 30, "14+7", CATEGORY_CLOSE_CONTACT,
	     12, "2023-01-01", "2023-01-15", "2023-01-22"},
	    {"across February in a leap year", 2024, 2, 20, 8, 0, "14", CATEGORY_INBOUND, 12,
	     "2024-02-20", "2024-03-05", "2024-03-05"},
	    {"across February in a common year", 2023, 2, 20, 8, 0, "14", CATEGORY_INBOUND, 12,
	     "2023-02-20", "2023-03-06", "2023-03-06"},
	    {"month end, 30-day month", 2022, 4, 25, 20, 0, "7+3", CATEGORY_SECONDARY_CONTACT, 12,
	     "2022-04-26", "2022-05-03", "2022-05-06"},
	    {"cut-off 24: the arrival day always counts", 2022, 6, 1, 23, 59, "14",
	     CATEGORY_INBOUND, 24, "2022-06-01", "2022-06-15", "2022-06-15"},
	    {"cut-off 0: the arrival day never counts", 2022, 6, 1, 0, 0, "14", CATEGORY_INBOUND, 0,
	     "2022-06-02", "2022-06-16", "2022-06-16"},
	    {"00:30 local is still that local day (16:30 UTC the day before)", 2022, 6, 1, 0, 30,
	     "14", CATEGORY_INBOUND, 12, "2022-06-01", "2022-06-15", "2022-06-15"},
	    {"category default: inbound 14+7", 2022, 6, 1, 9, 0, NULL, CATEGORY_INBOUND, 12,
	     "2022-06-01", "2022-06-15", "2022-06-22"},
	    {"category default: secondary contact 14", 2022, 6, 1, 9, 0, NULL,
	     CATEGORY_SECONDARY_CONTACT, 12, "2022-06-01", "2022-06-15", "2022-06-15"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct plan_case *c = &cases[i];
		struct policy p;
		policy_defaults(&p);
		p.cutoff_hour = c->cutoff;
		struct policy_term t, *tp = NULL;
		if (c->term) {
			assert_true(policy_term_parse(c->term, &t));
			tp = &t;
		}
		struct policy_plan plan;
		int64_t at = local_time(c->y, c->mo, c->d, c->h, c->mi);
		if (policy_plan_make(&p, c->cat, tp, at, &plan) != 0)
			fail_msg("%s: plan refused", c->name);
		char a[11], b[11], e[11];
		if (strcmp(day_format(plan.first_day, a), c->first) ||
		    strcmp(day_format(plan.release_day, b), c->release) ||
		    strcmp(day_format(plan.home_end_day, e), c->home_end))
			fail_msg("%s: got %s %s %s, want %s %s %s", c->name, a, b, e, c->first,
			         c->release, c->home_end);
		assert_int_equal(plan.arrival_day, day_from_ymd(c->y, c->mo, c->d));
		assert_int_equal(plan.tz_offset_s, CN);
	}
}

static void test_late_arrival_counts_from_actual_arrival(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	/* The manifest expected the bus on 2022-06-01; it came on 2022-06-03 at 18:00. */
	struct policy_plan expected, actual;
	assert_int_equal(
	    policy_plan_make(&p, CATEGORY_INBOUND, NULL, local_time(2022, 6, 1, 9, 0), &expected),
	    0);
	assert_int_equal(
	    policy_plan_make(&p, CATEGORY_INBOUND, NULL, local_time(2022, 6, 3, 18, 0), &actual),
	    0);
	assert_day(actual.arrival_day, "2022-06-03");
	assert_day(actual.first_day, "2022-06-04");
	assert_day(actual.release_day, "2022-06-18");
	assert_int_equal(actual.release_day - expected.release_day, 3);
	assert_int_equal(policy_plan_onsite_days(&actual), 14);
}

static void test_manifest_term_overrides_category(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	struct policy_term t;
	assert_true(policy_term_parse("21+7", &t));
	struct policy_plan plan;
	assert_int_equal(policy_plan_make(&p, CATEGORY_SECONDARY_CONTACT, &t,
	                                  local_time(2022, 6, 1, 9, 0), &plan),
	                 0);
	assert_int_equal(plan.release_day - plan.first_day, 21);
	assert_int_equal(plan.home_end_day - plan.release_day, 7);

	struct policy_plan keep = plan;
	struct policy_term bad = {0, 7};
	assert_int_equal(policy_plan_make(&p, CATEGORY_INBOUND, &bad, 0, &plan), -EINVAL);
	assert_int_equal(policy_plan_make(&p, (enum category)9, NULL, 0, &plan), -EINVAL);
	struct policy broken = p;
	broken.cutoff_hour = 30;
	assert_int_equal(policy_plan_make(&broken, CATEGORY_INBOUND, NULL, 0, &plan), -EINVAL);
	assert_memory_equal(&plan, &keep, sizeof(plan));
}

static void test_extension(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	struct policy_plan plan;
	/* 14+7 from 2022-06-01: release 06-15, home end 06-22 */
	assert_int_equal(
	    policy_plan_make(&p, CATEGORY_INBOUND, NULL, local_time(2022, 6, 1, 9, 0), &plan), 0);
	static const struct {
		const char *from;
		int days;
		int rc;
		const char *release, *home_end;
		int extended;
	} steps[] = {
	    /* a positive test on 06-12, 7 days from then: 06-19 */
	    {"2022-06-12", 7, 0, "2022-06-19", "2022-06-26", 4},
	    /* a shorter extension never shortens */
	    {"2022-06-13", 3, 0, "2022-06-19", "2022-06-26", 4},
	    /* ending exactly on the current release day changes nothing */
	    {"2022-06-12", 7, 0, "2022-06-19", "2022-06-26", 4},
	    /* one more day than now */
	    {"2022-06-18", 2, 0, "2022-06-20", "2022-06-27", 5},
	    /* across the month end */
	    {"2022-06-25", 14, 0, "2022-07-09", "2022-07-16", 24},
	    /* refused: zero, negative, absurd, before arrival */
	    {"2022-06-25", 0, -EINVAL, "2022-07-09", "2022-07-16", 24},
	    {"2022-06-25", -3, -EINVAL, "2022-07-09", "2022-07-16", 24},
	    {"2022-06-25", 400, -EINVAL, "2022-07-09", "2022-07-16", 24},
	    {"2022-05-31", 60, -EINVAL, "2022-07-09", "2022-07-16", 24},
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		hk_day from;
		assert_true(day_parse(steps[i].from, &from));
		if (policy_plan_extend(&plan, from, steps[i].days) != steps[i].rc)
			fail_msg("extension step %zu: wrong return", i);
		assert_day(plan.release_day, steps[i].release);
		assert_day(plan.home_end_day, steps[i].home_end);
		assert_int_equal(plan.extended_days, steps[i].extended);
	}
	assert_int_equal(policy_plan_onsite_days(&plan), 14 + 24);
	assert_day(plan.first_day, "2022-06-01"); /* day 1 never moves */
}

static void test_day_n_and_phase(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	struct policy_plan plan;
	/* 14+7, arrived 2022-12-20 at 16:00: day 0 is 12-20, day 1 is 12-21, release 2023-01-04,
	 * home observation until 2023-01-11 */
	assert_int_equal(
	    policy_plan_make(&p, CATEGORY_INBOUND, NULL, local_time(2022, 12, 20, 16, 0), &plan),
	    0);
	static const struct {
		int y, mo, d, h, mi;
		int day;
		enum policy_phase phase;
		bool released;
	} cases[] = {
	    {2022, 12, 19, 12, 0, -1, POLICY_PHASE_NOT_STARTED, false},
	    {2022, 12, 20, 16, 0, 0, POLICY_PHASE_NOT_STARTED, false},
	    {2022, 12, 20, 23, 59, 0, POLICY_PHASE_NOT_STARTED, false},
	    {2022, 12, 21, 0, 0, 1, POLICY_PHASE_ON_SITE, false},
	    {2022, 12, 31, 23, 59, 11, POLICY_PHASE_ON_SITE, false},
	    {2023, 1, 1, 0, 0, 12, POLICY_PHASE_ON_SITE, false},
	    {2023, 1, 3, 23, 59, 14, POLICY_PHASE_ON_SITE, false},
	    {2023, 1, 4, 0, 0, 15, POLICY_PHASE_HOME, true},
	    {2023, 1, 10, 23, 59, 21, POLICY_PHASE_HOME, true},
	    {2023, 1, 11, 0, 0, 22, POLICY_PHASE_DONE, true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t now =
		    local_time(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi);
		if (policy_plan_day(&plan, now) != cases[i].day ||
		    policy_plan_phase(&plan, now) != cases[i].phase ||
		    policy_plan_released(&plan, now) != cases[i].released)
			fail_msg("case %zu: day %d phase %d released %d", i,
			         policy_plan_day(&plan, now), policy_plan_phase(&plan, now),
			         policy_plan_released(&plan, now));
	}
	/* With no home observation the phase goes straight to done. */
	struct policy_term t = {14, 0};
	assert_int_equal(
	    policy_plan_make(&p, CATEGORY_INBOUND, &t, local_time(2022, 6, 1, 9, 0), &plan), 0);
	assert_int_equal(policy_plan_phase(&plan, local_time(2022, 6, 15, 0, 0)),
	                 POLICY_PHASE_DONE);
	assert_int_equal(policy_plan_phase(&plan, local_time(2022, 6, 14, 23, 59)),
	                 POLICY_PHASE_ON_SITE);
	/* An extension keeps the day count and moves release. */
	hk_day from;
	assert_true(day_parse("2022-06-13", &from));
	assert_int_equal(policy_plan_extend(&plan, from, 5), 0);
	assert_false(policy_plan_released(&plan, local_time(2022, 6, 17, 12, 0)));
	assert_int_equal(policy_plan_day(&plan, local_time(2022, 6, 17, 12, 0)), 17);
	assert_true(policy_plan_released(&plan, local_time(2022, 6, 18, 0, 0)));
}

static void test_decision_table(void **state)
{
	(void)state;
	struct policy p;
	policy_defaults(&p);
	static const struct {
		enum category cat;
		enum policy_code_colour col;
		enum policy_action want;
	} defaults[] = {
	    {CATEGORY_INBOUND, POLICY_CODE_GREEN, POLICY_ADMIT},
	    {CATEGORY_INBOUND, POLICY_CODE_YELLOW, POLICY_ADMIT},
	    {CATEGORY_INBOUND, POLICY_CODE_RED, POLICY_CALL_MEDIC},
	    {CATEGORY_CLOSE_CONTACT, POLICY_CODE_GREEN, POLICY_ADMIT},
	    {CATEGORY_CLOSE_CONTACT, POLICY_CODE_YELLOW, POLICY_ADMIT},
	    {CATEGORY_CLOSE_CONTACT, POLICY_CODE_RED, POLICY_ADMIT_DESIGNATED},
	    {CATEGORY_SECONDARY_CONTACT, POLICY_CODE_GREEN, POLICY_ADMIT},
	    {CATEGORY_SECONDARY_CONTACT, POLICY_CODE_YELLOW, POLICY_ADMIT},
	    {CATEGORY_SECONDARY_CONTACT, POLICY_CODE_RED, POLICY_CALL_MEDIC},
	    /* out of range: the safe answer */
	    {(enum category)7, POLICY_CODE_GREEN, POLICY_REFUSE},
	    {CATEGORY_INBOUND, (enum policy_code_colour)5, POLICY_REFUSE},
	};
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		assert_int_equal(policy_for_code_colour(&p, defaults[i].cat, defaults[i].col),
		                 defaults[i].want);
	assert_int_equal(policy_for_code_colour(NULL, CATEGORY_INBOUND, POLICY_CODE_GREEN),
	                 POLICY_REFUSE);

	/* A station that takes no red codes at all, and sends yellow inbound to a floor. */
	for (int c = 0; c < CATEGORY_COUNT; c++)
		p.code_action[c][POLICY_CODE_RED] = POLICY_REFUSE;
	p.code_action[CATEGORY_INBOUND][POLICY_CODE_YELLOW] = POLICY_ADMIT_DESIGNATED;
	assert_true(policy_valid(&p));
	assert_int_equal(policy_for_code_colour(&p, CATEGORY_CLOSE_CONTACT, POLICY_CODE_RED),
	                 POLICY_REFUSE);
	assert_int_equal(policy_for_code_colour(&p, CATEGORY_INBOUND, POLICY_CODE_YELLOW),
	                 POLICY_ADMIT_DESIGNATED);
	assert_int_equal(policy_for_code_colour(&p, CATEGORY_CLOSE_CONTACT, POLICY_CODE_YELLOW),
	                 POLICY_ADMIT);

	/* Walk-ins */
	assert_int_equal(policy_for_walk_in(&p), POLICY_STAFF_APPROVAL);
	p.walk_in = POLICY_REFUSE;
	assert_int_equal(policy_for_walk_in(&p), POLICY_REFUSE);
	p.walk_in = POLICY_ADMIT; /* invalid configuration falls back to refusing */
	assert_int_equal(policy_for_walk_in(&p), POLICY_REFUSE);
	assert_int_equal(policy_for_walk_in(NULL), POLICY_REFUSE);

	assert_int_equal(policy_code_reason(POLICY_CODE_GREEN), REASON_OK);
	assert_int_equal(policy_code_reason(POLICY_CODE_YELLOW), REASON_YELLOW_CODE);
	assert_int_equal(policy_code_reason(POLICY_CODE_RED), REASON_RED_CODE);
}

static void test_names(void **state)
{
	(void)state;
	for (int a = 0; a < POLICY_ACTION_COUNT; a++) {
		enum policy_action out = POLICY_ACTION_COUNT;
		assert_true(policy_action_parse(policy_action_name((enum policy_action)a), &out));
		assert_int_equal(out, a);
	}
	for (int c = 0; c < POLICY_CODE_COLOUR_COUNT; c++) {
		enum policy_code_colour out = POLICY_CODE_COLOUR_COUNT;
		assert_true(policy_code_colour_parse(
		    policy_code_colour_name((enum policy_code_colour)c), &out));
		assert_int_equal(out, c);
	}
	enum policy_action keep = POLICY_CALL_MEDIC;
	assert_false(policy_action_parse("Admit", &keep));
	assert_false(policy_action_parse(NULL, &keep));
	assert_int_equal(keep, POLICY_CALL_MEDIC);
	assert_string_equal(policy_action_name(POLICY_ADMIT_DESIGNATED), "admit_designated");
	assert_string_equal(policy_action_name((enum policy_action)99), "?");
	assert_string_equal(policy_code_colour_name(POLICY_CODE_RED), "red");
	assert_string_equal(policy_code_colour_name((enum policy_code_colour) - 1), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_term_parse_and_format),
	    cmocka_unit_test(test_defaults_valid),
	    cmocka_unit_test(test_plan_dates),
	    cmocka_unit_test(test_late_arrival_counts_from_actual_arrival),
	    cmocka_unit_test(test_manifest_term_overrides_category),
	    cmocka_unit_test(test_extension),
	    cmocka_unit_test(test_day_n_and_phase),
	    cmocka_unit_test(test_decision_table),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
