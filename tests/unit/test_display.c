/* tests/unit/test_display.c: layout numbers against UI.md at every supported screen size,
 * display-list building and hit-testing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/display.h"

static const int sizes[][2] = {
    {800, 480}, {480, 800}, {1024, 600}, {1280, 720}, {1280, 800}, {1920, 1080}, {1080, 1920},
};

static void test_layout_minimums(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct layout l;
		int w = sizes[i][0], h = sizes[i][1];
		layout_init(&l, w, h);
		int s = w < h ? w : h;
		assert_true(l.px[DL_BODY] >= 28);
		if (s >= 1080)
			assert_true(l.px[DL_BODY] >= 40);
		assert_true(l.px[DL_HEADING] * 2 >= l.px[DL_BODY] * 3);
		assert_true(l.px[DL_DISPLAY] > l.px[DL_HEADING]);
		assert_true(l.target_h >= 64);
		assert_true(l.gap >= 16);
		/* targets and gaps grow with the type: 64 px and 16 px per 28 px of body */
		assert_true(l.target_h * 28 >= 64 * l.px[DL_BODY] - 14);
		assert_true(l.gap * 28 >= 16 * l.px[DL_BODY] - 14);
		if (!l.portrait)
			assert_true(l.px[DL_HUGE] * 4 >= h);
		assert_int_equal(l.portrait, h > w);
		/* the three bands stack inside the screen with a gap between them */
		assert_true(l.top_bar.y >= 0 && l.top_bar.h >= l.target_h);
		assert_true(l.content.y >= l.top_bar.y + l.top_bar.h + l.gap);
		assert_true(l.bottom_bar.y >= l.content.y + l.content.h + l.gap);
		assert_true(l.bottom_bar.y + l.bottom_bar.h <= h);
		assert_true(l.content.h > 3 * l.px[DL_BODY]);
		assert_true(l.content.x + l.content.w <= w);
	}
	struct layout small, big;
	layout_init(&small, 800, 480);
	layout_init(&big, 1920, 1080);
	assert_int_equal(small.px[DL_BODY], 28);
	assert_int_equal(big.px[DL_BODY], 40);
	assert_int_equal(small.px[DL_HEADING], 42);
	assert_int_equal(big.px[DL_HEADING], 60);
	assert_int_equal(small.target_h, 64);
	assert_int_equal(small.gap, 16);
	assert_int_equal(small.px[DL_HUGE], 120);
	assert_int_equal(big.px[DL_HUGE], 270);
}

static void test_hit_testing(void **state)
{
	(void)state;
	struct display_list *dl = malloc(sizeof(*dl));
	assert_non_null(dl);
	struct layout l;
	layout_init(&l, 800, 480);
	dl_init(dl, 800, 480);
	dl_add_fill(dl, (struct dl_rect){0, 0, 800, 480}, DL_PAPER, 0);
	int b1 = dl_add_button_label(dl, &l, (struct dl_rect){16, 400, 200, 64}, 1, "left", DL_CARD,
	                             DL_INK, true);
	int b2 = dl_add_button_label(dl, &l, (struct dl_rect){584, 400, 200, 64}, 2, "right",
	                             DL_GREEN, DL_WHITE, true);
	dl_add_button(dl, (struct dl_rect){300, 400, 100, 64}, 3, DL_CARD, DL_INK, 8, false);
	assert_true(b1 >= 0 && b2 > b1);
	assert_string_equal(dl_text(dl, b1 + 1), "left");
	assert_int_equal(dl_hit_test(dl, 16, 400), 1);
	assert_int_equal(dl_hit_test(dl, 215, 463), 1);
	assert_int_equal(dl_hit_test(dl, 216, 400), 0); /* just right of the button */
	assert_int_equal(dl_hit_test(dl, 15, 400), 0);
	assert_int_equal(dl_hit_test(dl, 700, 430), 2);
	assert_int_equal(dl_hit_test(dl, 350, 430), 0); /* disabled */
	assert_int_equal(dl_hit_test(dl, 400, 100), 0);
	/* overlapping: the one drawn last wins */
	dl_add_button(dl, (struct dl_rect){500, 380, 200, 100}, 4, DL_CARD, DL_INK, 8, true);
	assert_int_equal(dl_hit_test(dl, 600, 430), 4);
	assert_int_equal(dl_hit_test(dl, 750, 430), 2);
	/* a modal scrim blocks everything below it, but not buttons drawn on top of it */
	dl_add_modal(dl, (struct dl_rect){0, 0, 800, 480}, DL_SCRIM, 0);
	assert_int_equal(dl_hit_test(dl, 700, 430), 0);
	dl_add_button(dl, (struct dl_rect){100, 100, 100, 64}, 9, DL_CARD, DL_INK, 8, true);
	assert_int_equal(dl_hit_test(dl, 150, 120), 9);
	assert_int_equal(dl_hit_test(dl, 16, 400), 0);
	free(dl);
}

static void test_text_and_full(void **state)
{
	(void)state;
	struct display_list *dl = malloc(sizeof(*dl));
	struct display_list *copy = malloc(sizeof(*copy));
	assert_non_null(dl);
	assert_non_null(copy);
	struct layout l;
	layout_init(&l, 1920, 1080);
	dl_init(dl, 1920, 1080);
	int t = dl_add_text(dl, &l, l.content, "房间 1203", DL_HUGE, DL_BOLD, DL_INK, DL_CENTER,
	                    DL_MUST_FIT);
	assert_int_equal(dl->cmds[t].px, 270);
	assert_string_equal(dl_text(dl, t), "房间 1203");
	assert_string_equal(dl_text(dl, 99), "");
	memcpy(copy, dl, sizeof(*dl));
	assert_true(dl_equal(dl, copy));
	copy->cmds[t].color = DL_RED;
	assert_false(dl_equal(dl, copy));
	/* steps: four discs and labels, earlier ones ticked */
	const char *labels[] = {"a", "b", "c", "d"};
	int first = dl_add_steps(dl, &l, l.top_bar, labels, 4, 2, DL_NEUTRAL);
	assert_true(first > t);
	int icons = 0, texts = 0;
	for (int i = first; i < dl->count; i++) {
		icons += dl->cmds[i].kind == DL_ICON;
		texts += dl->cmds[i].kind == DL_TEXT;
	}
	assert_int_equal(icons, 2);
	assert_int_equal(texts, 4 + 2);
	/* running out of space is reported, never overrun */
	char big[4096];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	int added = 0;
	while (dl_add_text(dl, &l, l.content, big, DL_BODY, DL_REGULAR, DL_INK, DL_LEFT, 0) >= 0)
		added++;
	assert_true(dl->full);
	assert_true(added > 5 && added < DL_TEXT_BYTES / 4096 + 1);
	assert_true(dl->text_used <= DL_TEXT_BYTES);
	dl_init(dl, 10, 10);
	for (int i = 0; i < DL_MAX_CMDS; i++)
		assert_true(dl_add_fill(dl, (struct dl_rect){0, 0, 1, 1}, DL_INK, 0) == i);
	assert_int_equal(dl_add_fill(dl, (struct dl_rect){0, 0, 1, 1}, DL_INK, 0), -1);
	assert_true(dl->full);
	free(copy);
	free(dl);
}

static void test_progress_clamps(void **state)
{
	(void)state;
	struct display_list *dl = malloc(sizeof(*dl));
	assert_non_null(dl);
	dl_init(dl, 800, 480);
	dl_add_progress(dl, (struct dl_rect){0, 0, 400, 10}, 250, DL_GREEN, DL_LINE);
	assert_int_equal(dl->count, 2);
	assert_int_equal(dl->cmds[1].rect.w, 100);
	dl_add_progress(dl, (struct dl_rect){0, 0, 400, 10}, 5000, DL_GREEN, DL_LINE);
	assert_int_equal(dl->cmds[3].rect.w, 400);
	dl_add_progress(dl, (struct dl_rect){0, 0, 400, 10}, -3, DL_GREEN, DL_LINE);
	assert_int_equal(dl->count, 5); /* nothing filled */
	free(dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout_minimums),
	    cmocka_unit_test(test_hit_testing),
	    cmocka_unit_test(test_text_and_full),
	    cmocka_unit_test(test_progress_clamps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
