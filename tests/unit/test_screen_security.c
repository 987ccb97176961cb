/* tests/unit/test_screen_security.c: the real security post flow driven to each of its screens
 * (tests/tools/security_script.h), in zh-CN and en, at 800x480, 1920x1080 and 1080x1920: each
 * screen from screen_security_build() builds, fills the screen with the verdict's colour and
 * says its word, why and code, shows the resident's room, masked name, risk word and the red
 * heart for psychological care, tells staff how old the data is, never shows the arrival id,
 * station or serial, and shows nothing personal once the verdict is gone. No window. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/reason_text.h"
#include "app/core/screen_security.h"
#include "tests/tools/security_script.h"

static struct strings *strs;
static struct display_list *dl;
static struct sec_script *sc;

static int load(const char *path, bool reasons)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	static char buf[1 << 17];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return reasons ? reason_text_add_json(strs, buf, n, NULL, 0)
	               : strings_add_json(strs, buf, n, NULL, 0);
}

static int setup(void **state)
{
	(void)state;
	strs = strings_new();
	dl = malloc(sizeof(*dl));
	sc = malloc(sizeof(*sc));
	if (!strs || !dl || !sc || load("assets/strings/ui.json", false) < 0 ||
	    load("assets/strings/reasons.json", true) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	strings_free(strs);
	free(dl);
	free(sc);
	return 0;
}

static bool shows(const char *text)
{
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_TEXT && strstr(dl_text(dl, i), text))
			return true;
	return false;
}

static void must_show(const char *text, const char *where)
{
	if (!shows(text))
		fail_msg("%s: \"%s\" not shown", where, text);
}

static bool same_colour(struct dl_color a, struct dl_color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static int button_at_centre(int id)
{
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_BUTTON && dl->cmds[i].id == id) {
			struct dl_rect r = dl->cmds[i].rect;
			return dl_hit_test(dl, r.x + r.w / 2, r.y + r.h / 2);
		}
	return 0;
}

static void check_stop(const struct layout *l, enum sec_stop stop, enum lang lang)
{
	char where[96], buf[256];
	snprintf(where, sizeof(where), "%s %s %dx%d", sec_stop_names[stop], lang_tag(lang),
	         l->width, l->height);
	sec_script_run(sc, stop);
	enum sec_state st;
	enum sec_colour colour;
	sec_script_expect(stop, &st, &colour);
	assert_int_equal(sc->f.state, st);
	struct screen_security_extra x = {.lang = lang, .camera = stop == SEC_STOP_READY};
	assert_int_equal(screen_security_build(dl, l, strs, &sc->f, &x), 0);
	assert_false(dl->full);
	for (int i = 0; i < dl->count; i++) {
		struct dl_rect r = dl->cmds[i].rect;
		assert_true(r.x >= 0 && r.y >= 0 && r.x + r.w <= l->width &&
		            r.y + r.h <= l->height);
		if (dl->cmds[i].kind == DL_TEXT && strings_lookup(strs, dl_text(dl, i), lang))
			fail_msg("%s: shows the key %s", where, dl_text(dl, i));
	}
	/* never: internal data */
	assert_false(shows(SEC_SCRIPT_ARRIVAL));
	assert_false(shows(SEC_SCRIPT_STATION));
	assert_false(shows("4711"));
	/* the checkpoint and the language switch on every screen */
	must_show("3F-East", where);
	assert_int_equal(button_at_centre(SCREEN_BTN_LANG), SCREEN_BTN_LANG);
	assert_int_equal(screen_security_input(SCREEN_BTN_LANG), SCREEN_SECURITY_LANGUAGE);
	/* how old the data is, for staff */
	if (stop == SEC_STOP_READY_NEVER) {
		must_show(strings_get(strs, "sec.data_stale", lang), where);
		must_show(strings_get(strs, "sec.data_never", lang), where);
	} else {
		strings_format(strs, "sec.data_age.min", lang,
		               (const struct strings_arg[]){{"n", "5"}}, 1, buf, sizeof(buf));
		must_show(buf, where);
	}
	if (st != SEC_VERDICT) {
		assert_true(same_colour(dl->cmds[0].color, DL_PAPER));
		must_show(strings_get(strs, "sec.ready", lang), where);
		if (stop == SEC_STOP_LOOKING)
			must_show(strings_get(strs, "sec.checking", lang), where);
		assert_false(shows(SEC_SCRIPT_NAME));
		return;
	}
	/* the verdict: colour edge to edge, its word, why and code */
	static const char *const words[] = {"sec.verdict.green", "sec.verdict.amber",
	                                    "sec.verdict.red"};
	static const struct dl_color bg[] = {DL_GREEN, DL_AMBER, DL_RED};
	assert_int_equal(sc->f.verdict.colour, colour);
	assert_int_equal(dl->cmds[0].rect.w, l->width);
	assert_int_equal(dl->cmds[0].rect.h, l->height);
	assert_true(same_colour(dl->cmds[0].color, bg[colour]));
	must_show(strings_get(strs, words[colour], lang), where);
	enum reason why = sc->f.verdict.reason;
	if (why != REASON_OK)
		must_show(reason_code(why), where);
	char k[96];
	const char *why_text =
	    colour == SEC_GREEN
	        ? strings_get(strs, "sec.verdict.green.why", lang)
	        : strings_get(strs, reason_text_key(why, false, k, sizeof(k)), lang);
	must_show(why_text, where);
	bool icon = false;
	for (int i = 0; i < dl->count; i++)
		icon |= dl->cmds[i].kind == DL_ICON;
	assert_true(icon); /* never colour alone */
	/* "next" hands back to the flow, and the flow wipes the verdict */
	assert_int_equal(button_at_centre(SCREEN_BTN_DISMISS), SCREEN_BTN_DISMISS);
	assert_int_equal(screen_security_input(SCREEN_BTN_DISMISS), SCREEN_SECURITY_DISMISS);

	if (stop != SEC_STOP_RED_FORGED) {
		strings_format(strs, "sec.room", lang,
		               (const struct strings_arg[]){{"room", SEC_SCRIPT_ROOM}}, 1, buf,
		               sizeof(buf));
		must_show(buf, where);
	} else {
		assert_false(shows(SEC_SCRIPT_ROOM));
	}
	bool resident =
	    stop == SEC_STOP_GREEN || stop == SEC_STOP_AMBER || stop == SEC_STOP_RED_PLACE;
	assert_int_equal(shows(SEC_SCRIPT_NAME), resident);
	if (resident) {
		enum risk r = stop == SEC_STOP_RED_PLACE ? RISK_RED : RISK_ORANGE;
		must_show(strings_get(strs, r == RISK_RED ? "risk.red" : "risk.orange", lang),
		          where);
		if (stop != SEC_STOP_GREEN || l->height >= 1080) {
			strings_format(strs, "sec.day", lang,
			               (const struct strings_arg[]){{"n", "5"}, {"total", "14"}}, 2,
			               buf, sizeof(buf));
			must_show(buf, where);
		}
	}
	if (stop == SEC_STOP_GREEN) {
		snprintf(buf, sizeof(buf), "\xE2\x99\xA5 %s",
		         strings_get(strs, "care.psych", lang));
		must_show(buf, where);
		bool red_chip = false;
		for (int i = 1; i < dl->count; i++)
			red_chip |= dl->cmds[i].kind == DL_TEXT &&
			            strcmp(dl_text(dl, i), buf) == 0 &&
			            dl->cmds[i - 1].kind == DL_FILL &&
			            same_colour(dl->cmds[i - 1].color, DL_RED);
		assert_true(red_chip);
	}
	struct sec_event ev = {.kind = SEC_EV_DISMISS};
	sec_script_step(sc, &ev, 500);
	assert_int_equal(sc->f.state, SEC_READY);
	assert_false(flow_security_has_personal_data(&sc->f));
	assert_int_equal(screen_security_build(dl, l, strs, &sc->f, &x), 0);
	assert_false(shows(SEC_SCRIPT_NAME));
	assert_false(shows(SEC_SCRIPT_ROOM));
}

static void test_every_screen(void **state)
{
	(void)state;
	static const int sizes[][2] = {{800, 480}, {1920, 1080}, {1080, 1920}};
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct layout l;
		layout_init(&l, sizes[z][0], sizes[z][1]);
		for (int stop = 0; stop < SEC_STOP_COUNT; stop++)
			for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++)
				check_stop(&l, (enum sec_stop)stop, (enum lang)lang);
	}
}

/* The verdict is wiped after its time: the screen shows no one. */
static void test_verdict_times_out(void **state)
{
	(void)state;
	struct layout l;
	layout_init(&l, 800, 480);
	sec_script_run(sc, SEC_STOP_GREEN);
	sec_script_step(sc, NULL, sc->f.cfg.verdict_ms + 10);
	assert_int_equal(sc->f.state, SEC_READY);
	assert_int_equal(screen_security_build(dl, &l, strs, &sc->f, NULL), 0);
	assert_false(shows(SEC_SCRIPT_NAME));
	assert_int_equal(screen_security_tone(SEC_GREEN), SCREEN_VERDICT_VALID);
	assert_int_equal(screen_security_tone(SEC_AMBER), SCREEN_VERDICT_ATTENTION);
	assert_int_equal(screen_security_tone(SEC_RED), SCREEN_VERDICT_REFUSED);
	assert_int_equal(screen_security_input(SCREEN_BTN_ACK), SCREEN_SECURITY_NONE);
}

/* A late arrival on their arrival day (policy_plan_day 0) is on their "arrival day", never
 * "day 0"; day 1 reads as day 1; before arrival no day is shown. */
static void test_arrival_day(void **state)
{
	(void)state;
	struct layout l;
	layout_init(&l, 1920, 1080);
	for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++) {
		char want[160], zero[160];
		for (int day = -1; day <= 1; day++) {
			struct screen_checkpoint v = {.checkpoint = "3F-East",
			                              .verdict = true,
			                              .tone = SCREEN_VERDICT_VALID,
			                              .has_resident = true,
			                              .room = "1203",
			                              .name = "张*三",
			                              .risk = RISK_GREEN,
			                              .day = day,
			                              .days = 14};
			assert_int_equal(screen_checkpoint(dl, &l, strs, (enum lang)lang, &v), 0);
			strings_format(strs, "sec.day.arrival", (enum lang)lang,
			               (const struct strings_arg[]){{"total", "14"}}, 1, want,
			               sizeof(want));
			strings_format(strs, "sec.day", (enum lang)lang,
			               (const struct strings_arg[]){{"n", "0"}, {"total", "14"}}, 2,
			               zero, sizeof(zero));
			assert_int_equal(shows(want), day == 0);
			assert_false(shows(zero));
			strings_format(strs, "sec.day", (enum lang)lang,
			               (const struct strings_arg[]){{"n", "1"}, {"total", "14"}}, 2,
			               want, sizeof(want));
			assert_int_equal(shows(want), day == 1);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_screen),
	    cmocka_unit_test(test_verdict_times_out),
	    cmocka_unit_test(test_arrival_day),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
