/* tests/unit/test_screen_frontdesk.c: the real front-desk flow driven to each of its screens
 * (signed out, lockout, PIN, home with each search and keyboard page, results and their pages,
 * card tabs, outcomes, every action's form and confirmation, waits, the occupancy grid small
 * and paged), in zh-CN and en, at 800x480 and 1920x1080: each builds, stays on the screen,
 * shows no key for a missing text, keeps its touch targets, and nothing overflows when measured
 * with the real fonts (SDL's dummy video driver). Then the buttons: typing a search, a PIN, an
 * action's form with presets, and what reaches the flow. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/reason_text.h"
#include "app/core/screen_frontdesk.h"
#include "app/ui/ui.h"

static struct strings *strs;
static struct display_list *dl;
static struct flow_frontdesk *f;
static struct desk_effects *fx;
static struct desk_event *ev;
static struct desk_form form;
static struct ui *ui, *ui_small;
static int shot_n;
static int64_t now;
static const struct screen_frontdesk_extra extra = {
    .now_unix = 1796000000, .tz_offset_s = 8 * 3600, .sync_configured = true};

static int load(const char *path, bool reasons)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	static char buf[1 << 17];
	size_t n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	return reasons ? reason_text_add_json(strs, buf, n, NULL, 0)
	               : strings_add_json(strs, buf, n, NULL, 0);
}

static int setup(void **state)
{
	(void)state;
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	strs = strings_new();
	dl = malloc(sizeof(*dl));
	f = malloc(sizeof(*f));
	fx = malloc(sizeof(*fx));
	ev = malloc(sizeof(*ev));
	if (!strs || !dl || !f || !fx || !ev || load("assets/strings/ui.json", false) < 0 ||
	    load("assets/strings/frontdesk.json", false) < 0 ||
	    load("assets/strings/reasons.json", true) < 0)
		return -1;
	ui = ui_open(1920, 1080, UI_WINDOWED | UI_HIDDEN);
	ui_small = ui_open(800, 480, UI_WINDOWED | UI_HIDDEN);
	return ui && ui_small ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ui_close(ui);
	ui_close(ui_small);
	strings_free(strs);
	free(dl);
	free(f);
	free(fx);
	free(ev);
	return 0;
}

/* ---- driving the flow ---- */

static uint32_t ticket_of(enum desk_effect_kind k)
{
	for (int i = 0; i < fx->count; i++)
		if (fx->fx[i].kind == k)
			return fx->fx[i].ticket;
	fail_msg("no effect %s", desk_effect_kind_name(k));
	return 0;
}

static void send(enum desk_event_kind kind)
{
	ev->kind = kind;
	now += 10;
	flow_frontdesk_step(f, ev, now, fx);
	desk_form_follow(&form, f);
	memset(ev, 0, sizeof(*ev));
}

static void start(void)
{
	now = 1000;
	assert_int_equal(flow_frontdesk_init(f, NULL), 0);
	desk_form_init(&form, LANG_ZH_CN);
	memset(ev, 0, sizeof(*ev));
}

static void sign_in(void)
{
	start();
	snprintf(ev->badge.id, sizeof(ev->badge.id), "STAFF01");
	send(DESK_EV_BADGE);
	snprintf(ev->pin.digits, sizeof(ev->pin.digits), "2468");
	send(DESK_EV_PIN);
	ev->ticket = ticket_of(DESK_FX_CHECK_PIN);
	send(DESK_EV_PIN_OK);
	assert_int_equal(f->state, DESK_HOME);
}

static void fill_row(struct desk_result *r, int i)
{
	snprintf(r->arrival_id, sizeof(r->arrival_id), "%d", 100 + i);
	snprintf(r->name_masked, sizeof(r->name_masked), i % 2 ? "张*三" : "S**** Alexander");
	snprintf(r->room, sizeof(r->room), "%d", 1201 + i);
	snprintf(r->batch, sizeof(r->batch), "CA908-%d", i);
	r->risk = (enum risk)(i % RISK_COUNT);
	r->status = (enum resident_status)(i % RESIDENT_STATUS_COUNT);
	r->band_serial = 4711 + i;
}

static void search_results(int count, bool more)
{
	sign_in();
	ev->search.by = DESK_BY_ROOM;
	snprintf(ev->search.query, sizeof(ev->search.query), "12");
	send(DESK_EV_SEARCH);
	ev->ticket = ticket_of(DESK_FX_SEARCH);
	ev->results.count = count;
	ev->results.more = more;
	for (int i = 0; i < count; i++)
		fill_row(&ev->results.rows[i], i);
	send(DESK_EV_RESULTS);
}

static void fill_card(struct desk_card *c, enum resident_status status)
{
	memset(c, 0, sizeof(*c));
	struct resident *r = &c->resident;
	snprintf(r->arrival_id, sizeof(r->arrival_id), "101");
	snprintf(r->name_masked, sizeof(r->name_masked), "张*三");
	snprintf(r->room, sizeof(r->room), "1202");
	r->floor = 12;
	r->risk = RISK_ORANGE;
	r->category = CATEGORY_CLOSE_CONTACT;
	r->care = RESIDENT_CARE_PSYCH | RESIDENT_CARE_ELDERLY;
	r->status = status;
	hk_day today = day_from_unix(extra.now_unix, extra.tz_offset_s);
	r->plan.tz_offset_s = extra.tz_offset_s;
	r->plan.arrival_day = today - 4;
	r->plan.first_day = today - 4;
	r->plan.release_day = today + 17;
	r->plan.home_end_day = today + 24;
	r->plan.extended_days = 7;
	r->plan.term.onsite_days = 14;
	snprintf(c->doc_masked, sizeof(c->doc_masked), "4403**********1234");
	snprintf(c->batch, sizeof(c->batch), "CA908-1");
	c->checked_in_unix = extra.now_unix - 4 * 86400;
	snprintf(c->room_assigned, sizeof(c->room_assigned), "1202");
	c->band_serial = 271828182845904LL;
	snprintf(c->diet, sizeof(c->diet), "清真 软食 no pork, no peanuts at all please");
	c->risk_count = DESK_HISTORY_MAX;
	for (int i = 0; i < DESK_HISTORY_MAX; i++) {
		c->risks[i].risk = (enum risk)(i % RISK_COUNT);
		c->risks[i].unix_s = extra.now_unix - i * 3600;
		snprintf(c->risks[i].by, sizeof(c->risks[i].by), i == 0 ? "intake" : "DOCTOR0%d",
		         i);
		snprintf(c->risks[i].note, sizeof(c->risks[i].note),
		         "second assessment after arrival, a long note that must be cut %d", i);
	}
	c->label_count = 3;
	for (int i = 0; i < 3; i++) {
		c->labels[i].label = (enum desk_label)i;
		c->labels[i].unix_s = extra.now_unix - i * 600;
	}
	c->scan_count = DESK_HISTORY_MAX;
	for (int i = 0; i < DESK_HISTORY_MAX; i++) {
		snprintf(c->scans[i].checkpoint, sizeof(c->scans[i].checkpoint), "F12-corridor-%d",
		         i);
		c->scans[i].unix_s = extra.now_unix - i * 60;
		c->scans[i].colour = (enum sec_colour)(i % 3);
		c->scans[i].reason = i % 3 ? REASON_WRONG_PLACE : REASON_OK;
	}
}

static void open_card(enum resident_status status)
{
	search_results(3, false);
	ev->open.index = 1;
	send(DESK_EV_OPEN);
	assert_int_equal(f->state, DESK_LOADING_CARD);
	ev->ticket = ticket_of(DESK_FX_LOAD_CARD);
	fill_card(&ev->card.card, status);
	send(DESK_EV_CARD);
	assert_int_equal(f->state, DESK_CARD);
}

static void fill_occupancy(struct desk_occupancy *o, int floors, int per_floor)
{
	memset(o, 0, sizeof(*o));
	for (int fl = 0; fl < floors; fl++)
		for (int k = 0; k < per_floor && o->room_count < DESK_OCC_ROOMS_MAX; k++) {
			struct desk_room *r = &o->rooms[o->room_count++];
			r->floor = 2 + fl;
			snprintf(r->number, sizeof(r->number), "%d%02d", 2 + fl, k + 1);
			r->state = (enum room_state)((fl + k) % ROOM_STATE_COUNT);
			r->risk = (enum risk)(k % RISK_COUNT);
			r->capacity = 2;
			r->occupants = r->state == ROOM_OCCUPIED ? 1 : 0;
		}
	o->releases_today = 3;
	o->releases_tomorrow = 11;
	o->printer_ok = floors < 10;
	o->printer_reason = REASON_PAPER_OUT;
	o->last_sync_unix = floors < 10 ? extra.now_unix - 300 : 0;
	o->outbox_pending = 42;
	o->truncated = floors * per_floor > DESK_OCC_ROOMS_MAX;
}

static void open_occupancy(int floors, int per_floor)
{
	sign_in();
	send(DESK_EV_OCCUPANCY_OPEN);
	ev->ticket = ticket_of(DESK_FX_LOAD_OCCUPANCY);
	fill_occupancy(&ev->occupancy.occ, floors, per_floor);
	send(DESK_EV_OCCUPANCY);
	assert_int_equal(f->state, DESK_OCCUPANCY);
}

/* ---- checking a screen ---- */

static bool shows(const char *text)
{
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_TEXT && strstr(dl_text(dl, i), text))
			return true;
	return false;
}

static bool apart(struct dl_rect a, struct dl_rect b, int gap)
{
	return a.x + a.w + gap <= b.x || b.x + b.w + gap <= a.x || a.y + a.h + gap <= b.y ||
	       b.y + b.h + gap <= a.y;
}

/* The id of the button whose label reads text exactly; 0 when none. */
static int button_labelled(const char *text)
{
	for (int i = 1; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_TEXT && strcmp(dl_text(dl, i), text) == 0 &&
		    dl->cmds[i - 1].kind == DL_BUTTON && dl->cmds[i - 1].enabled)
			return dl->cmds[i - 1].id;
	return 0;
}

static bool has_button(int id)
{
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_BUTTON && dl->cmds[i].id == id && dl->cmds[i].enabled) {
			struct dl_rect r = dl->cmds[i].rect;
			return dl_hit_test(dl, r.x + r.w / 2, r.y + r.h / 2) == id;
		}
	return false;
}

static void check(const char *what)
{
	static const int sizes[][2] = {{800, 480}, {1920, 1080}};
	for (size_t z = 0; z < 2; z++)
		for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++) {
			char where[160];
			struct layout l;
			layout_init(&l, sizes[z][0], sizes[z][1]);
			form.lang = (enum lang)lang;
			snprintf(where, sizeof(where), "%s %s %dx%d", what, lang_tag(form.lang),
			         l.width, l.height);
			if (screen_frontdesk_build(dl, &l, strs, f, &form, &extra) != 0 || dl->full)
				fail_msg("%s: does not fit its display list", where);
			int first = 0, texts = 0;
			for (int i = 0; i < dl->count; i++)
				if (dl->cmds[i].kind == DL_FILL && dl->cmds[i].modal)
					first = i;
			int kg = l.gap * 5 / 8;
			for (int i = 0; i < dl->count; i++) {
				const struct dl_cmd *c = &dl->cmds[i];
				struct dl_rect r = c->rect;
				if (r.x < 0 || r.y < 0 || r.x + r.w > l.width ||
				    r.y + r.h > l.height)
					fail_msg("%s: command %d off the screen", where, i);
				if (c->kind == DL_TEXT) {
					texts++;
					if (strings_lookup(strs, dl_text(dl, i), form.lang))
						fail_msg("%s: shows the key %s", where,
						         dl_text(dl, i));
					if (strstr(dl_text(dl, i), "desk."))
						fail_msg("%s: shows %s", where, dl_text(dl, i));
				}
				if (c->kind != DL_BUTTON || c->id == 0 || i < first)
					continue;
				if (r.h < l.target_h || r.w < l.target_h * 3 / 4)
					fail_msg("%s: button %d is %dx%d", where, c->id, r.w, r.h);
				for (int j = i + 1; j < dl->count; j++)
					if (dl->cmds[j].kind == DL_BUTTON && dl->cmds[j].id != 0 &&
					    dl->cmds[j].id != DESK_BTN_NOTE &&
					    c->id != DESK_BTN_NOTE &&
					    !apart(r, dl->cmds[j].rect, kg))
						fail_msg("%s: buttons %d and %d closer than %d px",
						         where, c->id, dl->cmds[j].id, kg);
			}
			if (texts < 2)
				fail_msg("%s: says nothing", where);
			bool pin = f->state == DESK_PIN || f->state == DESK_PIN_CHECK;
			if (!pin && !has_button(SCREEN_BTN_LANG))
				fail_msg("%s: no language switch", where);
			/* never: the arrival id, the full document number */
			if (shows("440305"))
				fail_msg("%s: shows an ID number", where);
			int bad[8];
			struct ui *u = z == 0 ? ui_small : ui;
			int n = ui_measure_overflows(u, dl, bad, 8);
			const char *dir =
			    getenv("HK_SHOTS"); /* look at them: a PNG of each screen */
			if (dir && z == 0) {
				char path[400];
				snprintf(path, sizeof(path), "%s/%03d-%s.png", dir, ++shot_n,
				         where);
				for (char *c = path + strlen(dir) + 1; *c; c++)
					if (*c == ' ' || *c == ',')
						*c = '_';
				ui_draw(u, dl);
				ui_screenshot(u, path);
			}
			if (n > 0)
				fail_msg("%s: %d texts overflow, the first \"%s\"", where, n,
				         dl_text(dl, bad[0]));
		}
	form.lang = LANG_ZH_CN;
}

static void rebuild(void);

/* ---- the tests ---- */

static void test_every_screen(void **state)
{
	(void)state;
	start();
	check("signed out");
	snprintf(ev->badge.id, sizeof(ev->badge.id), "STAFF01");
	send(DESK_EV_BADGE);
	check("PIN");
	snprintf(form.pin, sizeof(form.pin), "24");
	check("PIN, two digits");
	snprintf(ev->pin.digits, sizeof(ev->pin.digits), "1111");
	send(DESK_EV_PIN);
	check("PIN checking");
	for (int i = 0; i < 2; i++) {
		ev->ticket = ticket_of(DESK_FX_CHECK_PIN);
		send(DESK_EV_PIN_BAD);
		check(i == 0 ? "wrong PIN" : "still wrong");
		snprintf(ev->pin.digits, sizeof(ev->pin.digits), "1111");
		send(DESK_EV_PIN);
	}
	ev->ticket = ticket_of(DESK_FX_CHECK_PIN);
	send(DESK_EV_PIN_BAD);
	assert_int_equal(f->state, DESK_SIGNED_OUT);
	assert_true(f->lockout_s > 0);
	check("locked out");

	sign_in();
	for (int by = 0; by < DESK_BY_COUNT; by++) {
		form.by = (enum desk_search_by)by;
		for (int p = 0; p < DESK_KBD_PAGE_COUNT; p++) {
			form.page = (enum desk_kbd_page)p;
			snprintf(form.query, sizeof(form.query), p == 2 ? "张" : "CA908-1");
			check("home");
		}
	}
	ev->search.by = DESK_BY_NAME;
	snprintf(ev->search.query, sizeof(ev->search.query), "张");
	send(DESK_EV_SEARCH);
	check("searching");
	ev->ticket = ticket_of(DESK_FX_SEARCH);
	send(DESK_EV_RESULTS);
	assert_int_equal(f->state, DESK_RESULTS);
	check("no hits");

	search_results(DESK_RESULTS_MAX, true);
	check("results");
	form.results_page = 1;
	check("results, page 2");
	form.results_page = 99;
	check("results, past the end");

	open_card(RESIDENT_IN_QUARANTINE);
	for (int t = 0; t < DESK_TAB_COUNT; t++) {
		form.tab = (enum desk_card_tab)t;
		check("card");
	}
	/* the colour given at check-in is said to be so, in the screen's language */
	form.tab = DESK_TAB_HISTORY;
	rebuild();
	assert_true(shows(strings_get(strs, "desk.hist.intake", LANG_ZH_CN)));
	assert_false(shows("intake"));
	for (int slot = 0; slot < DESK_SLOT_COUNT; slot++) {
		open_card(RESIDENT_IN_QUARANTINE);
		form.tab = DESK_TAB_ACTIONS;
		struct layout l;
		layout_init(&l, 800, 480);
		assert_int_equal(screen_frontdesk_build(dl, &l, strs, f, &form, &extra), 0);
		if (screen_frontdesk_press(&form, f, strs, DESK_BTN_ACT_0 + slot, ev)) {
			send(DESK_EV_ACTION);
		} else {
			assert_int_not_equal(form.req.action, DESK_ACT_NONE);
			check("form");
			form.typing = true;
			snprintf(form.req.note, sizeof(form.req.note), "Band lost in the lift");
			check("form keyboard");
			form.typing = false;
			form.req.risk = RISK_RED;
			check("form filled in");
			assert_true(screen_frontdesk_press(&form, f, strs, DESK_BTN_CONTINUE, ev));
			send(DESK_EV_ACTION);
		}
		assert_int_equal(f->state, DESK_CONFIRM);
		check("confirm");
		send(DESK_EV_CONFIRM);
		assert_int_equal(f->state, DESK_WORKING);
		check("working");
		for (int i = 0; i < fx->count; i++)
			if (fx->fx[i].ticket)
				ev->ticket = fx->fx[i].ticket;
		ev->done.reason = slot == DESK_SLOT_TUBE ? REASON_PAPER_OUT : REASON_OK;
		ev->done.serial = 314159265358979LL;
		send(DESK_EV_DONE);
		check("reloading the card");
		ev->ticket = ticket_of(DESK_FX_LOAD_CARD);
		fill_card(&ev->card.card, RESIDENT_IN_QUARANTINE);
		send(DESK_EV_CARD);
		check("card after the action");
		if (slot == DESK_SLOT_REPRINT) {
			char serial[] = "314159265358979";
			assert_true(shows(serial));
		}
	}
	open_card(RESIDENT_RELEASED);
	form.tab = DESK_TAB_ACTIONS;
	check("released card");

	open_occupancy(2, 20);
	check("occupancy");
	open_occupancy(64, 16);
	check("occupancy, paged");
	form.occ_page = 3;
	check("occupancy, page 4");
	send(DESK_EV_SIGN_OUT);
	assert_int_equal(f->state, DESK_SIGNED_OUT);
	check("signed out again");
}

/* Every text of frontdesk.json in both languages. */
static void test_both_languages(void **state)
{
	(void)state;
	struct strings *only = strings_new();
	FILE *fp = fopen("assets/strings/frontdesk.json", "rb");
	assert_non_null(fp);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(strings_add_json(only, buf, n, NULL, 0), 0);
	assert_true(strings_count(only) > 100);
	for (size_t i = 0; i < strings_count(only); i++) {
		const char *k = strings_key_at(only, i);
		if (!strings_has(only, k, LANG_ZH_CN) || !strings_has(only, k, LANG_EN))
			fail_msg("%s is missing a language", k);
	}
	strings_free(only);
}

/* Pressing keys on the real screen builds what the flow hears. */
static int press_text(const char *label)
{
	int id = button_labelled(label);
	if (!id)
		fail_msg("no button \"%s\"", label);
	screen_frontdesk_press(&form, f, strs, id, ev);
	return id;
}

static void rebuild(void)
{
	struct layout l;
	layout_init(&l, 800, 480);
	assert_int_equal(screen_frontdesk_build(dl, &l, strs, f, &form, &extra), 0);
}

static void test_typing(void **state)
{
	(void)state;
	start();
	snprintf(ev->badge.id, sizeof(ev->badge.id), "STAFF01");
	send(DESK_EV_BADGE);
	rebuild();
	for (const char *d = "2468"; *d; d++) {
		char k[2] = {*d, 0};
		press_text(k);
		rebuild();
	}
	assert_string_equal(form.pin, "2468");
	assert_true(screen_frontdesk_press(&form, f, strs, SCREEN_BTN_KEY_OK, ev));
	assert_int_equal(ev->kind, DESK_EV_PIN);
	assert_string_equal(ev->pin.digits, "2468");
	assert_string_equal(form.pin, "");
	send(DESK_EV_PIN);
	ev->ticket = ticket_of(DESK_FX_CHECK_PIN);
	send(DESK_EV_PIN_OK);

	/* room digits, a delete, search */
	rebuild();
	for (const char *d = "12039"; *d; d++) {
		char k[2] = {*d, 0};
		press_text(k);
	}
	assert_false(screen_frontdesk_press(&form, f, strs, DESK_BTN_DELETE, ev));
	assert_string_equal(form.query, "1203");
	assert_true(screen_frontdesk_press(&form, f, strs, DESK_BTN_SEARCH, ev));
	assert_int_equal(ev->kind, DESK_EV_SEARCH);
	assert_int_equal(ev->search.by, DESK_BY_ROOM);
	assert_string_equal(ev->search.query, "1203");

	/* a name by its surname character, deleted as one character */
	screen_frontdesk_press(&form, f, strs, DESK_BTN_BY_0 + DESK_BY_NAME, ev);
	assert_string_equal(form.query, "");
	assert_int_equal(form.page, DESK_KBD_SURNAMES);
	rebuild();
	press_text("张");
	press_text("王");
	screen_frontdesk_press(&form, f, strs, DESK_BTN_DELETE, ev);
	assert_string_equal(form.query, "张");
	assert_true(screen_frontdesk_press(&form, f, strs, DESK_BTN_SEARCH, ev));
	assert_int_equal(ev->search.by, DESK_BY_NAME);
	/* letters for a batch */
	screen_frontdesk_press(&form, f, strs, DESK_BTN_BY_0 + DESK_BY_BATCH, ev);
	rebuild();
	press_text("C");
	press_text("A");
	screen_frontdesk_press(&form, f, strs, DESK_BTN_PAGE_0 + DESK_KBD_DIGITS, ev);
	rebuild();
	press_text("9");
	assert_string_equal(form.query, "CA9");
	screen_frontdesk_press(&form, f, strs, DESK_BTN_CLEAR, ev);
	assert_string_equal(form.query, "");
	assert_false(screen_frontdesk_press(&form, f, strs, DESK_BTN_SEARCH, ev));

	/* the risk form: continue only with a colour and a reason */
	open_card(RESIDENT_IN_QUARANTINE);
	assert_false(screen_frontdesk_press(&form, f, strs, DESK_BTN_TAB_0 + DESK_TAB_ACTIONS, ev));
	rebuild();
	press_text(strings_get(strs, "desk.act.risk", LANG_ZH_CN));
	assert_int_equal(form.req.action, DESK_ACT_SET_RISK);
	rebuild();
	assert_false(has_button(DESK_BTN_CONTINUE));
	assert_false(screen_frontdesk_press(&form, f, strs, DESK_BTN_CONTINUE, ev));
	press_text(strings_get(strs, "desk.preset.set_risk.1", LANG_ZH_CN));
	assert_string_equal(form.req.note, strings_get(strs, "desk.preset.set_risk.1", LANG_ZH_CN));
	press_text(strings_get(strs, "risk.red", LANG_ZH_CN));
	assert_int_equal(form.req.risk, RISK_RED);
	rebuild();
	assert_true(has_button(DESK_BTN_CONTINUE));
	/* a typed note replaces the preset */
	screen_frontdesk_press(&form, f, strs, DESK_BTN_NOTE, ev);
	assert_true(form.typing);
	screen_frontdesk_press(&form, f, strs, DESK_BTN_CLEAR, ev);
	rebuild();
	press_text("F");
	press_text("E");
	press_text("V");
	screen_frontdesk_press(&form, f, strs, DESK_BTN_TYPED, ev);
	assert_false(form.typing);
	assert_true(screen_frontdesk_press(&form, f, strs, DESK_BTN_CONTINUE, ev));
	assert_int_equal(ev->kind, DESK_EV_ACTION);
	assert_int_equal(ev->action.action, DESK_ACT_SET_RISK);
	assert_int_equal(ev->action.risk, RISK_RED);
	assert_string_equal(ev->action.note, "FEV");
	send(DESK_EV_ACTION);
	assert_int_equal(f->state, DESK_CONFIRM);
	rebuild();
	assert_true(shows(strings_get(strs, "risk.red", LANG_ZH_CN)));
	assert_true(shows("FEV"));
	assert_true(screen_frontdesk_press(&form, f, strs, DESK_BTN_CANCEL, ev));
	send(DESK_EV_CANCEL);
	assert_int_equal(f->state, DESK_CARD);
	assert_int_equal(form.req.action, DESK_ACT_NONE);

	/* a print needs no form; a released resident only allows a void */
	assert_true(screen_frontdesk_press(&form, f, strs, DESK_BTN_ACT_0 + DESK_SLOT_MEAL, ev));
	assert_int_equal(ev->action.action, DESK_ACT_PRINT_LABEL);
	assert_int_equal(ev->action.label, DESK_LABEL_MEAL);
	open_card(RESIDENT_RELEASED);
	assert_false(screen_frontdesk_press(&form, f, strs, DESK_BTN_ACT_0 + DESK_SLOT_DOOR, ev));
	assert_false(screen_frontdesk_press(&form, f, strs, DESK_BTN_ACT_0 + DESK_SLOT_VOID, ev));
	assert_int_equal(form.req.action, DESK_ACT_VOID_BAND);

	/* the extension's days stay in range */
	open_card(RESIDENT_IN_QUARANTINE);
	screen_frontdesk_press(&form, f, strs, DESK_BTN_ACT_0 + DESK_SLOT_EXTEND, ev);
	for (int i = 0; i < 10; i++)
		screen_frontdesk_press(&form, f, strs, DESK_BTN_DAYS_MINUS, ev);
	assert_int_equal(form.req.days, 1);
	screen_frontdesk_press(&form, f, strs, DESK_BTN_DAYS_PLUS, ev);
	assert_int_equal(form.req.days, 2);
	/* leaving the card closes the form; signing out wipes everything but the language */
	form.lang = LANG_EN;
	assert_true(screen_frontdesk_press(&form, f, strs, DESK_BTN_SIGN_OUT, ev));
	send(DESK_EV_SIGN_OUT);
	assert_int_equal(form.req.action, DESK_ACT_NONE);
	assert_int_equal(form.lang, LANG_EN);
	struct desk_form fresh;
	desk_form_init(&fresh, LANG_EN);
	assert_memory_equal(&form, &fresh, sizeof(fresh));

	int arg;
	assert_string_equal(screen_frontdesk_button_name(DESK_BTN_ROW_0 + 3, &arg), "ROW");
	assert_int_equal(arg, 3);
	assert_string_equal(screen_frontdesk_button_name(SCREEN_BTN_KEY_0 + 7, &arg), "PIN_DIGIT");
	assert_int_equal(arg, 7);
	assert_string_equal(screen_frontdesk_button_name(12345, NULL), "?");
}

/* The sync client's line, when the wiring has one, replaces the line built from the
 * occupancy's last sync; red while the station is not reachable (printer fine). */
static void test_sync_line(void **state)
{
	(void)state;
	open_occupancy(2, 20); /* printer ok */
	struct layout l;
	layout_init(&l, 800, 480);
	form.lang = LANG_EN;
	struct screen_frontdesk_extra x = extra;
	assert_int_equal(screen_frontdesk_build(dl, &l, strs, f, &form, &x), 0);
	assert_false(shows("Offline since 09:41"));
	x.sync_status = "Offline since 09:41 \xC2\xB7 7 records to send";
	for (int warn = 0; warn < 2; warn++) {
		x.sync_warn = warn;
		assert_int_equal(screen_frontdesk_build(dl, &l, strs, f, &form, &x), 0);
		int at = -1;
		for (int i = 0; i < dl->count; i++)
			if (dl->cmds[i].kind == DL_TEXT &&
			    strstr(dl_text(dl, i), "Offline since 09:41 \xC2\xB7 7 records"))
				at = i;
		assert_true(at >= 0);
		const struct dl_color red = DL_RED;
		assert_int_equal(memcmp(&dl->cmds[at].color, &red, sizeof(red)) == 0, warn);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_screen),
	    cmocka_unit_test(test_both_languages),
	    cmocka_unit_test(test_typing),
	    cmocka_unit_test(test_sync_line),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
