/* tests/unit/test_screen_layout.c: every entrance screen, in both languages, at the supported
 * sizes, keeps UI.md's rules as data: touch targets >= 64 px (scaled) and >= 16 px apart,
 * everything on the screen, no missing text (a key shown instead), the language switch top
 * right and call staff bottom left, the room number >= 1/4 of the height in landscape. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/screens.h"

static struct strings *strs;
static struct display_list *dl;

static int load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return strings_add_json(strs, buf, n, NULL, 0);
}

static int setup(void **state)
{
	(void)state;
	strs = strings_new();
	dl = malloc(sizeof(*dl));
	if (!strs || !dl || load("assets/strings/ui.json") < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	strings_free(strs);
	free(dl);
	return 0;
}

enum {
	ATTRACT,
	VALID,
	REFUSED,
	IDENTITY,
	FAMILY,
	BRIEFING,
	ROOM,
	REFUSAL,
	CALL,
	PIN,
	COUNT
};

static int build(int screen, const struct layout *l, enum lang lang, int countdown)
{
	struct screen_common c = {.lang = lang, .step = 1, .countdown_s = countdown};
	const struct screen_member m[] = {{"张*三", "family.you", false},
	                                  {"李*", "family.spouse", true}};
	switch (screen) {
	case ATTRACT:
		c.step = -1;
		return screen_attract(dl, l, strs, &c, false, 3, 40);
	case VALID:
		return screen_verdict(dl, l, strs, &c, SCREEN_VERDICT_VALID, "ok", NULL);
	case REFUSED:
		return screen_verdict(dl, l, strs, &c, SCREEN_VERDICT_REFUSED, "no", "E_EXPIRED");
	case IDENTITY:
		return screen_identity(dl, l, strs, &c, "张*三", "4403**********1234",
		                       CATEGORY_INBOUND);
	case FAMILY:
		return screen_family(dl, l, strs, &c, m, 2, NULL, NULL, false);
	case BRIEFING:
		return screen_briefing(dl, l, strs, &c, "# 须知\n正文", 5, false);
	case ROOM:
		return screen_room(dl, l, strs, &c, "1203", day_from_ymd(2026, 12, 13),
		                   SCREEN_PRINT_DONE);
	case REFUSAL:
		return screen_refusal(dl, l, strs, &c, SCREEN_VERDICT_REFUSED, "title", "detail",
		                      "E_EXPIRED");
	case CALL:
		return screen_call_staff(dl, l, strs, &c, NULL, "E_EXPIRED",
		                         SCREEN_BTN_CANCEL_CALL);
	case PIN:
		return screen_staff_pin(dl, l, strs, &c, 2, false, false);
	default:
		return -1;
	}
}

static bool apart(struct dl_rect a, struct dl_rect b, int gap)
{
	return a.x + a.w + gap <= b.x || b.x + b.w + gap <= a.x || a.y + a.h + gap <= b.y ||
	       b.y + b.h + gap <= a.y;
}

static void check_screen(const struct layout *l, int screen, enum lang lang, int countdown)
{
	assert_int_equal(build(screen, l, lang, countdown), 0);
	assert_false(dl->full);
	int first = 0; /* buttons under a modal do not count */
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_FILL && dl->cmds[i].modal)
			first = i;
	int lang_btn = -1, staff_btn = -1;
	for (int i = 0; i < dl->count; i++) {
		const struct dl_cmd *c = &dl->cmds[i];
		struct dl_rect r = c->rect;
		assert_true(r.x >= 0 && r.y >= 0 && r.x + r.w <= l->width &&
		            r.y + r.h <= l->height);
		if (c->kind == DL_TEXT) {
			const char *t = dl_text(dl, i);
			if (strings_lookup(strs, t, lang))
				fail_msg("screen %d shows the key %s", screen, t);
			assert_true(c->px >= l->px[DL_SMALL]);
		}
		if (c->kind == DL_BUTTON && c->id == SCREEN_BTN_LANG)
			lang_btn = i;
		if (c->kind == DL_BUTTON && c->id == SCREEN_BTN_CALL_STAFF)
			staff_btn = i;
		if (c->kind != DL_BUTTON || i < first)
			continue;
		if (r.h < l->target_h || r.w < l->target_h)
			fail_msg("screen %d button %d is %dx%d at %dx%d", screen, c->id, r.w, r.h,
			         l->width, l->height);
		for (int j = i + 1; j < dl->count; j++)
			if (dl->cmds[j].kind == DL_BUTTON && !apart(r, dl->cmds[j].rect, l->gap))
				fail_msg("screen %d buttons %d and %d closer than %d px", screen,
				         c->id, dl->cmds[j].id, l->gap);
	}
	if (screen != PIN) {
		assert_true(lang_btn >= 0);
		struct dl_rect r = dl->cmds[lang_btn].rect;
		assert_int_equal(r.x + r.w, l->width - l->margin);
		assert_int_equal(r.y, l->margin);
	}
	if (staff_btn >= 0 && screen != REFUSAL) {
		struct dl_rect r = dl->cmds[staff_btn].rect;
		assert_int_equal(r.x, l->margin);
		assert_int_equal(r.y + r.h, l->height - l->margin);
	}
	if (countdown) { /* the countdown's button is the only one that answers */
		int id = dl_hit_test(dl, l->margin + 1, l->height - l->margin - 1);
		assert_int_equal(id, 0);
	}
}

static void test_every_screen(void **state)
{
	(void)state;
	static const int sizes[][2] = {{800, 480}, {1920, 1080}, {1080, 1920}, {480, 800}};
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct layout l;
		layout_init(&l, sizes[z][0], sizes[z][1]);
		for (int screen = 0; screen < COUNT; screen++)
			for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++) {
				check_screen(&l, screen, (enum lang)lang, 0);
				check_screen(&l, screen, (enum lang)lang, 7);
			}
	}
}

static void test_room_number_size(void **state)
{
	(void)state;
	struct layout l;
	layout_init(&l, 800, 480);
	assert_int_equal(build(ROOM, &l, LANG_EN, 0), 0);
	bool found = false;
	for (int i = 0; i < dl->count; i++)
		if (dl->cmds[i].kind == DL_TEXT && strcmp(dl_text(dl, i), "1203") == 0) {
			assert_true(dl->cmds[i].px * 4 >= l.height);
			found = true;
		}
	assert_true(found);
	/* the briefing's acknowledgement waits for both the time and the end of the text */
	struct screen_common c = {.lang = LANG_ZH_CN, .step = 2};
	for (int wait = 0; wait < 2; wait++)
		for (int end = 0; end < 2; end++) {
			assert_int_equal(screen_briefing(dl, &l, strs, &c, "x", wait, end), 0);
			int ack = -1;
			for (int i = 0; i < dl->count; i++)
				if (dl->cmds[i].kind == DL_BUTTON &&
				    dl->cmds[i].id == SCREEN_BTN_ACK)
					ack = i;
			assert_true(ack >= 0);
			assert_int_equal(dl->cmds[ack].enabled, wait == 0 && end);
		}
	/* verdicts: one colour filling the screen, and the word of that verdict */
	assert_int_equal(build(REFUSED, &l, LANG_ZH_CN, 0), 0);
	assert_int_equal(dl->cmds[0].kind, DL_FILL);
	assert_int_equal(dl->cmds[0].rect.w, 800);
	assert_memory_equal(&dl->cmds[0].color, &DL_RED, sizeof(struct dl_color));
	bool word = false;
	for (int i = 0; i < dl->count; i++)
		word |=
		    strcmp(dl_text(dl, i), strings_get(strs, "verdict.refused", LANG_ZH_CN)) == 0;
	assert_true(word);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_screen),
	    cmocka_unit_test(test_room_number_size),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
