/* tests/unit/test_screen_entrance.c: the real entrance flow driven by events to every state and
 * overlay (tests/tools/entrance_script.h), in zh-CN and en, at 800x480, 1920x1080 and
 * 1080x1920; each screen from screen_entrance_build() must build, say what the strings say for
 * that state, offer the buttons the flow acts on (and only live ones), enable the ack exactly
 * when the flow does, show masked data only while the flow holds it, and never show the
 * unmasked or internal data the flow carries. No window. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/reason_text.h"
#include "app/core/screen_entrance.h"
#include "tests/tools/entrance_script.h"

static struct strings *strs;
static struct display_list *dl;
static struct script *sc;
static char *briefing[FLOW_LANG_COUNT];

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 17);
	size_t n = buf ? fread(buf, 1, (1 << 17) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static int setup(void **state)
{
	(void)state;
	size_t n;
	strs = strings_new();
	dl = malloc(sizeof(*dl));
	sc = malloc(sizeof(*sc));
	char *ui = slurp("assets/strings/ui.json", &n);
	if (!strs || !dl || !sc || !ui || strings_add_json(strs, ui, n, NULL, 0) < 0)
		return -1;
	free(ui);
	char *rs = slurp("assets/strings/reasons.json", &n);
	if (!rs || reason_text_add_json(strs, rs, n, NULL, 0) < 0)
		return -1;
	free(rs);
	briefing[FLOW_LANG_ZH] = slurp("assets/briefing/zh-CN.md", &n);
	briefing[FLOW_LANG_EN] = slurp("assets/briefing/en.md", &n);
	return briefing[0] && briefing[1] ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	strings_free(strs);
	free(dl);
	free(sc);
	free(briefing[0]);
	free(briefing[1]);
	return 0;
}

/* ---- what the list shows ---- */

static bool shows_exact(const char *text)
{
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_TEXT && strcmp(dl_text(dl, i), text) == 0)
			return true;
	return false;
}

static bool shows_part(const char *text)
{
	for (int i = 0; i < dl->count; i++)
		if ((dl->cmds[i].kind == DL_TEXT || dl->cmds[i].kind == DL_SCROLL_TEXT) &&
		    strstr(dl_text(dl, i), text))
			return true;
	return false;
}

static void must_show(const char *text, const char *where)
{
	if (!shows_part(text))
		fail_msg("%s: \"%s\" not shown", where, text);
}

static const char *key(const char *k, enum lang lang)
{
	return strings_get(strs, k, lang);
}

static const char *reason_of(enum reason r, bool action, enum lang lang)
{
	char k[96];
	const char *t = strings_lookup(strs, reason_text_key(r, action, k, sizeof(k)), lang);
	assert_non_null(t);
	return t;
}

/* The command of the button with id, or -1. */
static int button(int id)
{
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_BUTTON && dl->cmds[i].id == id)
			return i;
	return -1;
}

/* True when a tap in the middle of button id reaches it (enabled, no modal above). */
static bool tappable(int id)
{
	int i = button(id);
	if (i < 0)
		return false;
	struct dl_rect r = dl->cmds[i].rect;
	return dl_hit_test(dl, r.x + r.w / 2, r.y + r.h / 2) == id;
}

static struct dl_color background(void)
{
	return dl->cmds[0].color;
}

static bool same_colour(struct dl_color a, struct dl_color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* ---- the buttons act ---- */

struct flow_view {
	enum flow_state state;
	enum flow_overlay overlay;
	enum flow_lang lang;
	enum reason reason;
	int64_t deadline;
};

static void view_of(const struct flow_entrance *f, struct flow_view *v)
{
	memset(v, 0, sizeof(*v));
	v->state = f->state;
	v->overlay = f->overlay;
	v->lang = f->lang;
	v->reason = f->reason;
	v->deadline =
	    f->overlay != FLOW_OVERLAY_NONE ? f->overlay_deadline_ms : f->main_deadline_ms;
}

/* Every button a person can tap means something to the flow, and the flow does something
 * with it: state, overlay, language, reason or session change ("I am still here" restarts the
 * idle time). */
static void check_buttons_act(const char *where)
{
	static struct flow_entrance copy;
	for (int i = 0; i < dl->count; i++) {
		const struct dl_cmd *c = &dl->cmds[i];
		if (c->kind != DL_BUTTON || !tappable(c->id))
			continue;
		struct event ev;
		if (!screen_entrance_event(c->id, &sc->f, SCRIPT_VERSION, &ev))
			fail_msg("%s: button %d means nothing to the flow", where, c->id);
		copy = sc->f;
		struct flow_view before, after;
		view_of(&copy, &before);
		struct effects fx;
		flow_entrance_step(&copy, &ev, sc->now + 50, &fx);
		view_of(&copy, &after);
		bool changed = before.state != after.state || before.overlay != after.overlay ||
		               before.lang != after.lang || before.reason != after.reason ||
		               memcmp(&copy.session, &sc->f.session, sizeof(copy.session)) != 0;
		if (ev.kind == EV_TOUCH && ev.touch.button == BTN_NONE)
			changed |= after.deadline > before.deadline;
		if (!changed)
			fail_msg("%s: button %d (%s) does nothing in %s/%s", where, c->id,
			         ev.kind == EV_TOUCH ? button_name(ev.touch.button)
			                             : event_kind_name(ev.kind),
			         flow_state_name(sc->f.state), flow_overlay_name(sc->f.overlay));
	}
}

/* The button id is there, tappable, and maps to flow button b (arg). */
static void must_offer(int id, enum button b, int arg, const char *where)
{
	if (!tappable(id))
		fail_msg("%s: button %d not tappable", where, id);
	enum button got;
	int got_arg;
	assert_true(screen_entrance_button(id, &got, &got_arg));
	assert_int_equal(got, b);
	assert_int_equal(got_arg, arg);
}

/* ---- one screen ---- */

static void check_stop(const struct layout *l, enum script_stop stop, enum flow_lang fl)
{
	char where[128];
	snprintf(where, sizeof(where), "%s %s %dx%d", script_stop_names[stop], flow_lang_code(fl),
	         l->width, l->height);
	script_run(sc, stop, fl);
	enum flow_state st;
	enum flow_overlay ov;
	script_expect(stop, &st, &ov);
	if (sc->f.state != st || sc->f.overlay != ov)
		fail_msg("%s: the script reached %s/%s", where, flow_state_name(sc->f.state),
		         flow_overlay_name(sc->f.overlay));
	struct screen_entrance_extra x;
	script_extra(stop, &x, briefing[sc->f.lang]);
	assert_int_equal(screen_entrance_build(dl, l, strs, &sc->f, &x), 0);
	assert_false(dl->full);
	const struct flow_entrance *f = &sc->f;
	enum lang lang = (enum lang)f->lang;
	char buf[512], n[16];

	/* never: what the flow carries but a screen must not show */
	const char *secret[] = {SCRIPT_KEY, SCRIPT_ARRIVAL,   SCRIPT_GROUP, SCRIPT_BADGE,
	                        SCRIPT_PIN, SCRIPT_PIN_SHOWN, "440301",     SCRIPT_VERSION};
	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		if (shows_part(secret[i]))
			fail_msg("%s: shows %s", where, secret[i]);
	/* no text key shown in place of a missing text */
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_TEXT && strings_lookup(strs, dl_text(dl, i), lang))
			fail_msg("%s: shows the key %s", where, dl_text(dl, i));
	/* masked data only while the flow holds a session */
	if (!flow_entrance_has_personal_data(f)) {
		assert_false(shows_part(SCRIPT_NAME));
		assert_false(shows_part(SCRIPT_DOC));
		assert_false(shows_part("李*梅"));
	}
	/* the ack button follows the flow exactly */
	int ack = button(SCREEN_BTN_ACK);
	if (ack >= 0)
		assert_int_equal(dl->cmds[ack].enabled, f->ack_enabled);
	assert_true((f->state == FLOW_BRIEFING && f->overlay == FLOW_OVERLAY_NONE) == (ack >= 0));
	/* the countdown, when the flow counts down */
	if (f->countdown_s > 0) {
		snprintf(n, sizeof(n), "%d", f->countdown_s);
		const struct strings_arg a[] = {{"n", n}};
		strings_format(strs, "countdown", lang, a, 1, buf, sizeof(buf));
		must_show(buf, where);
		must_offer(SCREEN_BTN_STAY, BTN_NONE, 0, where);
		assert_false(tappable(SCREEN_BTN_LANG)); /* everything else is behind the scrim */
	} else if (f->overlay != FLOW_OVERLAY_PIN && f->overlay != FLOW_OVERLAY_PIN_CHECK &&
	           f->overlay != FLOW_OVERLAY_STAFF) {
		/* the language switch, top right, on every screen a person sees */
		assert_true(tappable(SCREEN_BTN_LANG));
		struct dl_rect r = dl->cmds[button(SCREEN_BTN_LANG)].rect;
		assert_int_equal(r.x + r.w, l->width - l->margin);
		assert_int_equal(r.y, l->margin);
		assert_int_equal(
		    screen_entrance_input(SCREEN_BTN_LANG, &(enum button){0}, &(int){0}),
		    SCREEN_INPUT_LANGUAGE);
	}
	/* the step indicator: the current step's label (paper screens without an overlay) */
	bool paper = same_colour(background(), DL_PAPER);
	if (paper && f->overlay == FLOW_OVERLAY_NONE) {
		static const char *const steps[] = {"steps.scan", "steps.confirm", "steps.rules",
		                                    "steps.wristband"};
		assert_true(f->step_no >= 1 && f->step_no <= 4);
		must_show(key(steps[f->step_no - 1], lang), where);
	}
	check_buttons_act(where);

	switch (stop) {
	case STOP_ATTRACT:
	case STOP_AFTER_END:
		must_show(key("attract.title", LANG_ZH_CN), where);
		must_show(key("attract.title", LANG_EN), where);
		must_show(key("attract.hint", lang), where);
		must_offer(SCREEN_BTN_CALL_STAFF, BTN_CALL_STAFF, 0, where);
		assert_false(flow_entrance_has_personal_data(f));
		break;
	case STOP_ATTRACT_QUEUE: {
		bool camera = false;
		for (int i = 0; i < dl->count; i++)
			camera |=
			    dl->cmds[i].kind == DL_IMAGE && dl->cmds[i].icon == DL_IMAGE_CAMERA;
		assert_true(camera);
		must_show(key("staff.offline.short", lang), where);
		const struct strings_arg a[] = {{"pos", "12"}, {"total", "38"}};
		strings_format(strs, "attract.queue", lang, a, 2, buf, sizeof(buf));
		if (l->height >= 1080) /* a small screen may leave it out */
			must_show(buf, where);
		break;
	}
	case STOP_VERIFYING:
		must_show(key("scan.reading", lang), where);
		break;
	case STOP_IDENTITY:
		must_show(key("identity.title", lang), where);
		assert_true(shows_exact(SCRIPT_NAME));
		assert_true(shows_exact(SCRIPT_DOC));
		must_show(key("category.inbound", lang), where);
		must_offer(SCREEN_BTN_YES, BTN_THIS_IS_ME, 0, where);
		must_offer(SCREEN_BTN_NO, BTN_NOT_ME, 0, where);
		must_offer(SCREEN_BTN_CALL_STAFF, BTN_CALL_STAFF, 0, where);
		break;
	case STOP_COUNTDOWN:
		assert_int_equal(f->countdown_s, 7);
		break;
	case STOP_FAMILY:
		must_show(key("family.title", lang), where);
		must_show(key("family.hint", lang), where);
		must_show(SCRIPT_NAME, where);
		assert_int_equal(button(SCREEN_BTN_REMOVE_0), -1); /* the first stays */
		must_offer(SCREEN_BTN_FAMILY_DONE, BTN_ADD_DONE, 0, where);
		break;
	case STOP_FAMILY3:
	case STOP_FAMILY6:
		snprintf(n, sizeof(n), "%d", f->session.count);
		strings_format(strs, "family.count", lang, (const struct strings_arg[]){{"n", n}},
		               1, buf, sizeof(buf));
		must_show(buf, where);
		must_show(SCRIPT_NAME, where);
		must_show("李*梅", where);
		must_show("张*", where);
		assert_int_equal(button(SCREEN_BTN_REMOVE_0), -1);
		for (int i = 1; i < f->session.count; i++)
			must_offer(SCREEN_BTN_REMOVE_0 + i, BTN_REMOVE_MEMBER, i, where);
		must_offer(SCREEN_BTN_FAMILY_DONE, BTN_ADD_DONE, 0, where);
		break;
	case STOP_FAMILY_NOTICE:
		assert_int_equal(f->reason, REASON_ALREADY_ADDED);
		must_show(reason_of(REASON_ALREADY_ADDED, false, lang), where);
		must_show(SCRIPT_NAME, where); /* the notice never hides the whole list */
		break;
	case STOP_MEMBER_VERIFYING:
		must_show(key("scan.reading", lang), where);
		assert_true(button(SCREEN_BTN_FAMILY_DONE) >= 0);
		assert_false(tappable(SCREEN_BTN_FAMILY_DONE)); /* the flow would ignore it */
		break;
	case STOP_BRIEFING:
		assert_false(f->ack_enabled);
		must_show(key("briefing.hint.scroll", lang), where);
		must_show("\n", where); /* the briefing text itself */
		break;
	case STOP_BRIEFING_WAIT: {
		assert_false(f->ack_enabled);
		int64_t wait = flow_entrance_read_wait_ms(f, f->now_ms);
		assert_true(wait > 0);
		snprintf(n, sizeof(n), "%d", (int)((wait + 999) / 1000));
		strings_format(strs, "briefing.hint.wait", lang,
		               (const struct strings_arg[]){{"n", n}}, 1, buf, sizeof(buf));
		must_show(buf, where);
		break;
	}
	case STOP_BRIEFING_READY:
		assert_true(f->ack_enabled);
		must_show(key("briefing.hint.ready", lang), where);
		assert_true(tappable(SCREEN_BTN_ACK));
		assert_int_equal(
		    screen_entrance_input(SCREEN_BTN_ACK, &(enum button){0}, &(int){0}),
		    SCREEN_INPUT_ACK);
		break;
	case STOP_CHECKING_IN:
		must_show(key("checkin.busy", lang), where);
		break;
	case STOP_PRINTING:
	case STOP_DONE:
	case STOP_DONE_DESK: {
		int room = -1;
		for (int i = 0; i < dl->count; i++)
			if (dl->cmds[i].kind == DL_TEXT && strcmp(dl_text(dl, i), SCRIPT_ROOM) == 0)
				room = i;
		assert_true(room >= 0);
		if (!l->portrait)
			assert_true(dl->cmds[room].px * 4 >= l->height);
		char date[64];
		strings_format_day(strs, lang, day_from_ymd(2026, 12, 13), date, sizeof(date));
		must_show(date, where);
		const char *k = stop == STOP_PRINTING ? "room.printing"
		                : stop == STOP_DONE   ? "room.take"
		                                      : "room.collect_desk";
		strings_format(strs, k, lang, (const struct strings_arg[]){{"room", SCRIPT_ROOM}},
		               1, buf, sizeof(buf));
		must_show(buf, where);
		if (stop != STOP_PRINTING)
			must_offer(SCREEN_BTN_DISMISS, BTN_DISMISS, 0, where);
		else
			assert_int_equal(button(SCREEN_BTN_DISMISS), -1);
		break;
	}
	case STOP_REFUSED_RED:
	case STOP_REFUSED_AMBER: {
		enum reason r = stop == STOP_REFUSED_RED ? REASON_RED_CODE : REASON_EXPIRED;
		assert_int_equal(f->reason, r);
		must_show(reason_of(r, false, lang), where);
		must_show(reason_of(r, true, lang), where);
		must_show(reason_code(r), where);
		assert_true(
		    same_colour(background(), stop == STOP_REFUSED_RED ? DL_RED : DL_AMBER));
		must_offer(SCREEN_BTN_DISMISS, BTN_DISMISS, 0, where);
		must_offer(SCREEN_BTN_CALL_STAFF, BTN_CALL_STAFF, 0, where);
		break;
	}
	case STOP_APPROVAL:
	case STOP_FAULT:
	case STOP_CALL: {
		enum reason r = stop == STOP_APPROVAL ? REASON_YELLOW_CODE
		                : stop == STOP_FAULT  ? REASON_NO_ROOM
		                                      : REASON_STAFF_REQUIRED;
		assert_true(same_colour(background(), DL_AMBER));
		must_show(key("call_staff.title", lang), where);
		/* the code large, readable across the hall */
		int code = -1;
		for (int i = 0; i < dl->count; i++)
			if (dl->cmds[i].kind == DL_TEXT &&
			    strcmp(dl_text(dl, i), reason_code(r)) == 0)
				code = i;
		assert_true(code >= 0);
		assert_true(dl->cmds[code].px >= l->px[DL_HEADING]);
		if (stop != STOP_CALL)
			must_show(reason_of(r, false, lang), where);
		if (stop == STOP_APPROVAL) {
			/* staff come to the person: "wait here", never the refusal's "go to the
			 * front desk" under a "staff are on their way" heading */
			must_show(key("call_staff.hint", lang), where);
			assert_false(shows_part(reason_of(r, true, lang)));
			must_offer(SCREEN_BTN_CANCEL, BTN_CANCEL, 0, where);
		}
		if (stop == STOP_CALL)
			must_offer(SCREEN_BTN_CANCEL_CALL, BTN_CANCEL_CALL, 0, where);
		break;
	}
	case STOP_REPRINTING:
		must_show(key("room.printing", lang), where);
		break;
	case STOP_PIN:
	case STOP_PIN_CHECK: {
		char dots[64] = "";
		for (int i = 0; i < f->session.pin_len; i++)
			strcat(dots, "\xE2\x97\x8F");
		if (stop == STOP_PIN) {
			assert_int_equal(f->session.pin_len, 2);
			assert_true(shows_exact(dots));
			must_show(key("staff.pin_wrong", lang), where);
			for (int d = 0; d <= 9; d++)
				must_offer(SCREEN_BTN_KEY_0 + d, BTN_PIN_DIGIT, d, where);
			must_offer(SCREEN_BTN_KEY_DELETE, BTN_PIN_BACK, 0, where);
			must_offer(SCREEN_BTN_KEY_OK, BTN_PIN_ENTER, 0, where);
		} else {
			must_show(key("staff.checking", lang), where);
			assert_false(tappable(SCREEN_BTN_KEY_0 + 5));
		}
		must_offer(SCREEN_BTN_STAFF_CLOSE, BTN_PIN_CANCEL, 0, where);
		break;
	}
	case STOP_STAFF:
		must_show(key("staff.pending.admit", lang), where);
		must_show(reason_code(REASON_NOT_ON_MANIFEST), where);
		must_show(SCRIPT_NAME, where); /* masked: staff see whom they admit */
		strings_format(strs, "staff.sync.offline", lang,
		               (const struct strings_arg[]){{"n", "17"}}, 1, buf, sizeof(buf));
		must_show(buf, where);
		must_offer(SCREEN_BTN_STAFF_APPROVE, BTN_STAFF_APPROVE, 0, where);
		must_offer(SCREEN_BTN_STAFF_DENY, BTN_STAFF_DENY, 0, where);
		must_offer(SCREEN_BTN_STAFF_RESUME, BTN_STAFF_RESUME, 0, where);
		must_offer(SCREEN_BTN_STAFF_END, BTN_STAFF_END, 0, where);
		break;
	case STOP_STAFF_IDLE:
		must_show(key("staff.pending.none", lang), where);
		strings_format(strs, "staff.sync.online", lang,
		               (const struct strings_arg[]){{"n", "0"}}, 1, buf, sizeof(buf));
		must_show(buf, where);
		assert_int_equal(button(SCREEN_BTN_STAFF_APPROVE), -1);
		must_offer(SCREEN_BTN_STAFF_RESUME, BTN_STAFF_RESUME, 0, where);
		must_offer(SCREEN_BTN_STAFF_END, BTN_STAFF_END, 0, where);
		break;
	case STOP_EVIDENCE: {
		/* what the certificate says, then what to do: never an admission */
		char date[64];
		strings_format_day(strs, lang, day_from_ymd(2021, 5, 29), date, sizeof(date));
		strings_format(strs, "intl.kind.vaccination", lang,
		               (const struct strings_arg[]){{"date", date}}, 1, buf, sizeof(buf));
		must_show(key("intl.title", lang), where);
		assert_true(shows_exact(buf));
		assert_true(shows_exact(SCRIPT_INTL_NAME));
		assert_true(shows_exact(SCRIPT_INTL_ISS));
		must_show(key("intl.next", lang), where);
		must_offer(SCREEN_BTN_CANCEL, BTN_CANCEL, 0, where);
		must_offer(SCREEN_BTN_CALL_STAFF, BTN_CALL_STAFF, 0, where);
		assert_int_equal(button(SCREEN_BTN_YES), -1);
		assert_int_equal(button(SCREEN_BTN_ACK), -1);
		assert_int_equal(f->step_no, 1);
		break;
	}
	case STOP_IDENTITY_EVIDENCE: {
		/* the health code's person, and the certificate they showed under the card */
		char date[64], latest[160];
		strings_format_day(strs, lang, day_from_ymd(2021, 5, 29), date, sizeof(date));
		strings_format(strs, "intl.kind.vaccination", lang,
		               (const struct strings_arg[]){{"date", date}}, 1, latest,
		               sizeof(latest));
		strings_format(
		    strs, "intl.note", lang,
		    (const struct strings_arg[]){{"latest", latest}, {"issuer", SCRIPT_INTL_ISS}},
		    2, buf, sizeof(buf));
		assert_true(shows_exact(SCRIPT_NAME));
		if (!shows_exact(buf))
			fail_msg("%s: the certificate note is not shown", where);
		must_offer(SCREEN_BTN_YES, BTN_THIS_IS_ME, 0, where);
		break;
	}
	case STOP_FAMILY_EVIDENCE: {
		char date[64], latest[160];
		strings_format_day(strs, lang, day_from_ymd(2021, 6, 1), date, sizeof(date));
		strings_format(strs, "intl.kind.test", lang,
		               (const struct strings_arg[]){{"date", date}}, 1, latest,
		               sizeof(latest));
		strings_format(strs, "intl.note.no_issuer", lang,
		               (const struct strings_arg[]){{"latest", latest}}, 1, buf,
		               sizeof(buf));
		must_show(buf, where);
		must_show(key("intl.next.member", lang), where);
		must_show(SCRIPT_NAME, where);
		must_offer(SCREEN_BTN_FAMILY_DONE, BTN_ADD_DONE, 0, where);
		break;
	}
	case STOP_COUNT:
		break;
	}
}

static void test_every_state(void **state)
{
	(void)state;
	static const int sizes[][2] = {{800, 480}, {1920, 1080}, {1080, 1920}};
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct layout l;
		layout_init(&l, sizes[z][0], sizes[z][1]);
		for (int stop = 0; stop < STOP_COUNT; stop++)
			for (int lang = 0; lang < FLOW_LANG_COUNT; lang++)
				check_stop(&l, (enum script_stop)stop, (enum flow_lang)lang);
	}
}

/* Every state and overlay of the flow is reached by some stop. */
static void test_stops_cover_the_flow(void **state)
{
	(void)state;
	bool seen_state[FLOW_STATE_COUNT] = {false}, seen_overlay[FLOW_OVERLAY_COUNT] = {false};
	for (int stop = 0; stop < STOP_COUNT; stop++) {
		enum flow_state st;
		enum flow_overlay ov;
		script_expect((enum script_stop)stop, &st, &ov);
		seen_state[st] = true;
		seen_overlay[ov] = true;
	}
	for (int i = 0; i < FLOW_STATE_COUNT; i++)
		if (!seen_state[i])
			fail_msg("no stop shows %s", flow_state_name((enum flow_state)i));
	for (int i = 0; i < FLOW_OVERLAY_COUNT; i++)
		if (!seen_overlay[i])
			fail_msg("no stop shows overlay %s",
			         flow_overlay_name((enum flow_overlay)i));
}

/* The mapping of ids both ways, the language toggle and the ack's version. */
static void test_button_mapping(void **state)
{
	(void)state;
	enum button b;
	int arg;
	assert_false(screen_entrance_button(SCREEN_BTN_LANG, &b, &arg));
	assert_int_equal(screen_entrance_input(SCREEN_BTN_LANG, &b, &arg), SCREEN_INPUT_LANGUAGE);
	assert_false(screen_entrance_button(SCREEN_BTN_ACK, &b, &arg));
	assert_false(screen_entrance_button(0, &b, &arg));
	assert_false(screen_entrance_button(99999, &b, &arg));
	assert_int_equal(b, BTN_NONE);
	assert_true(screen_entrance_button(SCREEN_BTN_REMOVE_0 + 3, &b, &arg));
	assert_int_equal(b, BTN_REMOVE_MEMBER);
	assert_int_equal(arg, 3);
	struct flow_entrance f;
	flow_entrance_init(&f, NULL);
	struct event ev;
	assert_true(screen_entrance_event(SCREEN_BTN_LANG, &f, NULL, &ev));
	assert_int_equal(ev.kind, EV_LANGUAGE);
	assert_int_equal(ev.language.lang, FLOW_LANG_EN);
	f.lang = FLOW_LANG_EN;
	assert_true(screen_entrance_event(SCREEN_BTN_LANG, &f, NULL, &ev));
	assert_int_equal(ev.language.lang, FLOW_LANG_ZH);
	assert_true(screen_entrance_event(SCREEN_BTN_ACK, &f, "abc123", &ev));
	assert_int_equal(ev.kind, EV_ACK);
	assert_string_equal(ev.ack.version, "abc123");
	assert_false(screen_entrance_event(SCREEN_BTN_KEY_CLEAR, &f, NULL, &ev));
	assert_int_equal(ev.kind, EV_NONE);
	/* colours of refusals */
	assert_int_equal(screen_entrance_tone(REASON_RED_CODE), SCREEN_VERDICT_REFUSED);
	assert_int_equal(screen_entrance_tone(REASON_EXPIRED), SCREEN_VERDICT_ATTENTION);
	assert_int_equal(screen_entrance_tone(REASON_TIMEOUT), SCREEN_VERDICT_ATTENTION);
}

/* The remaining reading time counts down with the clock and is 0 outside the briefing. */
static void test_read_wait(void **state)
{
	(void)state;
	script_run(sc, STOP_BRIEFING, FLOW_LANG_ZH);
	const struct flow_entrance *f = &sc->f;
	assert_int_equal(flow_entrance_read_wait_ms(f, f->now_ms), f->cfg.min_read_ms);
	assert_int_equal(flow_entrance_read_wait_ms(f, f->now_ms + 5000),
	                 f->cfg.min_read_ms - 5000);
	assert_int_equal(flow_entrance_read_wait_ms(f, f->now_ms + f->cfg.min_read_ms), 0);
	assert_int_equal(flow_entrance_read_wait_ms(f, f->now_ms + 10 * f->cfg.min_read_ms), 0);
	/* switching language starts the reading time again */
	struct event ev = {.kind = EV_LANGUAGE};
	ev.language.lang = FLOW_LANG_EN;
	script_step(sc, &ev, 15000);
	assert_int_equal(flow_entrance_read_wait_ms(f, f->now_ms), f->cfg.min_read_ms);
	script_run(sc, STOP_IDENTITY, FLOW_LANG_ZH);
	assert_int_equal(flow_entrance_read_wait_ms(&sc->f, sc->f.now_ms), 0);
}

/* The reason texts load into the strings table under reason.CODE and reason.CODE.action,
 * for every reason in both languages; broken documents are refused. */
static void test_reason_texts(void **state)
{
	(void)state;
	char k[96];
	for (int r = 0; r < REASON_COUNT; r++)
		for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++) {
			assert_true(
			    strings_has(strs, reason_text_key((enum reason)r, false, k, sizeof(k)),
			                (enum lang)lang));
			assert_true(strings_has(strs,
			                        reason_text_key((enum reason)r, true, k, sizeof(k)),
			                        (enum lang)lang));
		}
	struct strings *t = strings_new();
	assert_non_null(t);
	char err[128];
	assert_int_equal(reason_text_add_json(t, "[1]", 3, err, sizeof(err)), -22);
	assert_int_equal(reason_text_add_json(t, "{\"E_X\": 3}", 10, err, sizeof(err)), -22);
	assert_int_equal(reason_text_add_json(t, "{\"E_X\": {\"zh\": 3}}", 18, err, sizeof(err)),
	                 -22);
	const char *ok =
	    "{\"_c\": \"x\", \"E_X\": {\"zh\": \"好\", \"en\": \"ok\", \"action_en\": \"go\"}}";
	assert_int_equal(reason_text_add_json(t, ok, strlen(ok), err, sizeof(err)), 0);
	assert_string_equal(strings_get(t, "reason.E_X", LANG_ZH_CN), "好");
	assert_string_equal(strings_get(t, "reason.E_X.action", LANG_EN), "go");
	assert_false(strings_has(t, "reason.E_X.action", LANG_ZH_CN));
	strings_free(t);
}

static int icons(enum dl_icon which)
{
	int n = 0;
	for (int i = 0; i < dl->count; i++)
		n += dl->cmds[i].kind == DL_ICON && dl->cmds[i].icon == (int)which;
	return n;
}

/* A check-in approved without a room (out of leased rooms): nothing prints, so the screen
 * shows staff (the front desk gives room and band), not a printer, and no "wear your band";
 * a reprint whose room is not known yet keeps the printer. */
static void test_room_screen_without_room(void **state)
{
	(void)state;
	struct layout l;
	struct screen_common c = {.lang = LANG_EN};
	for (int portrait = 0; portrait < 2; portrait++) {
		layout_init(&l, portrait ? 480 : 800, portrait ? 800 : 480);
		assert_int_equal(screen_room(dl, &l, strs, &c, "", 0, SCREEN_PRINT_NO_ROOM), 0);
		assert_int_equal(icons(DL_ICON_PRINTER), 0);
		assert_int_equal(icons(DL_ICON_PERSON), 1);
		must_show(key("sync.room_at_desk", LANG_EN), "no room");
		assert_false(shows_part(key("room.wear", LANG_EN)));
		assert_int_equal(screen_room(dl, &l, strs, &c, NULL, 0, SCREEN_PRINT_PRINTING), 0);
		assert_int_equal(icons(DL_ICON_PRINTER), 1);
		assert_int_equal(icons(DL_ICON_PERSON), 0);
	}
}

/* The staff panel shows the store's free disk space when the wiring gives it (a warning below
 * the minimum), in both languages and sizes, with the sync line and the decision still there;
 * without it, no disk line. */
static void test_staff_panel_storage(void **state)
{
	(void)state;
	struct layout l;
	char line[200];
	const struct strings_arg args[] = {{"n", "37"}};
	for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++) {
		struct screen_common c = {.lang = (enum lang)lang, .step = -1};
		for (int low = 0; low < 2; low++) {
			strings_format(strs, low ? "staff.storage.low" : "staff.storage.ok",
			               (enum lang)lang, args, 1, line, sizeof(line));
			assert_non_null(strstr(line, "37"));
			for (int portrait = 0; portrait < 2; portrait++) {
				layout_init(&l, portrait ? 480 : 800, portrait ? 800 : 480);
				struct screen_staff st = {.decision = "D",
				                          .sync_waiting = 2,
				                          .storage = line,
				                          .storage_warn = low};
				assert_int_equal(screen_staff_panel(dl, &l, strs, &c, &st), 0);
				must_show(line, "staff panel with storage");
				must_show(key("staff.audit_note", (enum lang)lang), "staff panel");
				st.storage = NULL;
				assert_int_equal(screen_staff_panel(dl, &l, strs, &c, &st), 0);
				assert_false(shows_part(line));
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stops_cover_the_flow),
	    cmocka_unit_test(test_button_mapping),
	    cmocka_unit_test(test_read_wait),
	    cmocka_unit_test(test_reason_texts),
	    cmocka_unit_test(test_every_state),
	    cmocka_unit_test(test_room_screen_without_room),
	    cmocka_unit_test(test_staff_panel_storage),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
