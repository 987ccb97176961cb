/* tests/unit/test_ui.c: the SDL side without a display (SDL's dummy video driver): overflow
 * report, text cache and idling, the first frame's texts rendered ahead, button events from
 * pointer input, lockdown, the scroll view, posted events and screenshots. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <SDL.h>

#include "app/ui/ui.h"

static struct display_list *dl;
static struct layout lay;

static int setup(void **state)
{
	(void)state;
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	dl = malloc(sizeof(*dl));
	layout_init(&lay, 800, 480);
	return dl ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(dl);
	return 0;
}

static struct ui *open_ui(unsigned flags)
{
	struct ui *ui = ui_open(800, 480, flags | UI_HIDDEN);
	assert_non_null(ui);
	return ui;
}

static void test_overflow_report(void **state)
{
	(void)state;
	struct ui *ui = open_ui(UI_WINDOWED);
	dl_init(dl, 800, 480);
	const char *zh = "请扫描您的健康码";
	int small = dl_add_text(dl, &lay, (struct dl_rect){10, 10, 100, 60}, zh, DL_BODY,
	                        DL_REGULAR, DL_INK, DL_LEFT, DL_MUST_FIT);
	dl_add_text(dl, &lay, (struct dl_rect){10, 80, 700, 60}, zh, DL_BODY, DL_REGULAR, DL_INK,
	            DL_LEFT, DL_MUST_FIT);
	/* wrapped into a narrow but tall box it fits; not tall enough it does not */
	dl_add_text(dl, &lay, (struct dl_rect){10, 150, 120, 300}, zh, DL_BODY, DL_REGULAR, DL_INK,
	            DL_LEFT, DL_MUST_FIT | DL_WRAP);
	int short_box = dl_add_text(dl, &lay, (struct dl_rect){200, 150, 120, 60}, zh, DL_BODY,
	                            DL_REGULAR, DL_INK, DL_LEFT, DL_MUST_FIT | DL_WRAP);
	/* not must-fit: clipped, never reported */
	dl_add_text(dl, &lay, (struct dl_rect){400, 150, 20, 20}, zh, DL_BODY, DL_REGULAR, DL_INK,
	            DL_LEFT, 0);
	/* partly off the screen */
	int off = dl_add_text(dl, &lay, (struct dl_rect){700, 440, 200, 60}, "ok", DL_BODY,
	                      DL_REGULAR, DL_INK, DL_LEFT, DL_MUST_FIT);
	int bad[8];
	int n = ui_measure_overflows(ui, dl, bad, 8);
	assert_int_equal(n, 3);
	assert_int_equal(bad[0], small);
	assert_int_equal(bad[1], short_box);
	assert_int_equal(bad[2], off);
	int w, h, lines;
	assert_int_equal(ui_measure_text(ui, zh, 28, DL_REGULAR, 0, &w, &h, &lines), 0);
	assert_int_equal(lines, 1);
	assert_in_range(w, 8 * 26, 8 * 30); /* CJK is one em wide */
	assert_int_equal(ui_measure_text(ui, "Please scan your health code", 28, DL_REGULAR, 200,
	                                 &w, &h, &lines),
	                 0);
	assert_true(lines >= 2 && w <= 200);
	ui_close(ui);
}

static void test_cache_and_idle(void **state)
{
	(void)state;
	struct ui *ui = open_ui(UI_WINDOWED);
	dl_init(dl, 800, 480);
	for (int i = 0; i < 5; i++) {
		char t[64];
		snprintf(t, sizeof(t), "line %d 第%d行", i, i);
		dl_add_text(dl, &lay, (struct dl_rect){10, 10 + 60 * i, 700, 60}, t, DL_BODY,
		            DL_REGULAR, DL_INK, DL_LEFT, DL_MUST_FIT);
	}
	struct ui_stats a, b;
	assert_int_equal(ui_draw(ui, dl), 1);
	ui_get_stats(ui, &a);
	assert_int_equal(a.text_renders, 5);
	assert_int_equal(ui_draw(ui, dl), 0); /* unchanged: nothing drawn */
	ui_get_stats(ui, &b);
	assert_int_equal(b.frames_skipped, a.frames_skipped + 1);
	assert_int_equal(b.text_renders, 5);
	/* one changed colour renders exactly one block again */
	dl->cmds[2].color = DL_RED;
	assert_int_equal(ui_draw(ui, dl), 1);
	ui_get_stats(ui, &b);
	assert_int_equal(b.text_renders, 6);
	assert_int_equal(b.text_hits, a.text_hits + 4);
	ui_close(ui);

	/* a small cache keeps only the most recently used blocks */
	struct ui_config cfg = {
	    .width = 800, .height = 480, .hidden = true, .text_cache_entries = 3};
	ui = ui_open_config(&cfg);
	assert_non_null(ui);
	assert_int_equal(ui_draw(ui, dl), 1);
	ui_get_stats(ui, &b);
	assert_int_equal(b.text_entries, 3);
	assert_int_equal(b.text_renders, 5);
	ui_close(ui);
}

/* The first frame's list, built on the font thread (ui_config.prepare). */
struct prepare_probe {
	int rc;
	SDL_threadID thread;
	int width, height;
};

static void first_list(struct display_list *l)
{
	dl_init(l, 800, 480);
	dl_add_fill(l, (struct dl_rect){0, 0, 800, 100}, DL_NEUTRAL, 0);
	dl_add_text(l, &lay, (struct dl_rect){20, 10, 760, 80}, "请扫描您的健康码", DL_HEADING,
	            DL_BOLD, DL_WHITE, DL_CENTER, DL_MUST_FIT);
	dl_add_text(l, &lay, (struct dl_rect){20, 120, 760, 60}, "Please scan your health code",
	            DL_BODY, DL_REGULAR, DL_INK, DL_LEFT, DL_MUST_FIT);
	dl_add_text(
	    l, &lay, (struct dl_rect){20, 200, 300, 260},
	    "把手机屏幕对准下方的扫描窗口，保持不动。Hold your phone still under the window.",
	    DL_BODY, DL_REGULAR, DL_MUTED, DL_LEFT, DL_WRAP);
}

static int prepare(void *ctx, int width, int height, struct display_list *l)
{
	struct prepare_probe *p = ctx;
	p->thread = SDL_ThreadID();
	p->width = width;
	p->height = height;
	if (p->rc > 0)
		first_list(l);
	return p->rc;
}

/* A screenshot of ui's frame as 800x480 RGB pixels (free them). */
static unsigned char *shot_pixels(struct ui *ui)
{
	char path[] = "/tmp/test_ui_XXXXXX.png";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ui_screenshot(ui, path), 0);
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_file(&img, path));
	assert_int_equal(img.width, 800);
	assert_int_equal(img.height, 480);
	img.format = PNG_FORMAT_RGB;
	unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
	assert_non_null(px);
	assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
	png_image_free(&img);
	unlink(path);
	return px;
}

static void test_first_frame_prepared(void **state)
{
	(void)state;
	first_list(dl);
	/* drawn the ordinary way, as the reference */
	struct ui *ui = open_ui(UI_WINDOWED);
	assert_int_equal(ui_draw(ui, dl), 1);
	unsigned char *want = shot_pixels(ui);
	ui_close(ui);

	struct prepare_probe probe = {.rc = 1};
	struct ui_config cfg = {
	    .width = 800, .height = 480, .hidden = true, .prepare = prepare, .prepare_ctx = &probe};
	ui = ui_open_config(&cfg);
	assert_non_null(ui);
	assert_true(probe.thread != SDL_ThreadID()); /* on the font thread */
	assert_int_equal(probe.width, 800);
	assert_int_equal(probe.height, 480);
	assert_int_equal(ui_draw(ui, dl), 1);
	struct ui_stats st;
	ui_get_stats(ui, &st);
	assert_int_equal(st.text_prepared, 3);
	assert_int_equal(st.text_renders, 0);
	unsigned char *got = shot_pixels(ui);
	assert_memory_equal(got, want, 800 * 480 * 3); /* the same pixels */
	free(got);
	/* a later screen renders its texts as before; the ahead-rendered ones are gone */
	dl->cmds[2].color = DL_RED;
	assert_int_equal(ui_draw(ui, dl), 1);
	ui_get_stats(ui, &st);
	assert_int_equal(st.text_renders, 1);
	assert_int_equal(st.text_prepared, 3);
	ui_close(ui);

	/* no list: the first frame renders its texts itself */
	probe = (struct prepare_probe){.rc = 0};
	ui = ui_open_config(&cfg);
	assert_non_null(ui);
	assert_int_equal(ui_draw(ui, dl), 1);
	ui_get_stats(ui, &st);
	assert_int_equal(st.text_prepared, 0);
	assert_int_equal(st.text_renders, 3);
	ui_close(ui);

	/* no size known (fullscreen at the display's size): asked with width 0 */
	probe = (struct prepare_probe){.rc = 0};
	struct ui_config full = cfg;
	full.width = full.height = 0;
	ui = ui_open_config(&full);
	assert_non_null(ui);
	assert_int_equal(probe.width, 0);
	ui_close(ui);

	/* a failed preparation fails the start */
	probe = (struct prepare_probe){.rc = -5};
	assert_null(ui_open_config(&cfg));
	free(want);
}

static void push_mouse(Uint32 type, int x, int y)
{
	SDL_Event e;
	memset(&e, 0, sizeof(e));
	e.type = type;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = x;
	e.button.y = y;
	e.button.which = 0;
	if (type == SDL_MOUSEMOTION) {
		e.motion.x = x;
		e.motion.y = y;
		e.motion.state = SDL_BUTTON_LMASK;
	}
	SDL_PushEvent(&e);
}

static void test_buttons(void **state)
{
	(void)state;
	struct ui *ui = open_ui(UI_WINDOWED);
	dl_init(dl, 800, 480);
	dl_add_button_label(dl, &lay, (struct dl_rect){500, 400, 284, 64}, 7, "是我本人", DL_GREEN,
	                    DL_WHITE, true);
	dl_add_button_label(dl, &lay, (struct dl_rect){16, 400, 200, 64}, 8, "Off", DL_CARD, DL_INK,
	                    false);
	ui_draw(ui, dl);
	struct ui_event ev;
	while (ui_wait_event(ui, &ev, 0)) /* drop window events */
		;
	push_mouse(SDL_MOUSEBUTTONDOWN, 600, 430);
	push_mouse(SDL_MOUSEBUTTONUP, 610, 440);
	assert_int_equal(ui_wait_event(ui, &ev, 100), 1);
	assert_int_equal(ev.type, UI_EVENT_TOUCH);
	assert_int_equal(ev.x, 600);
	assert_int_equal(ui_wait_event(ui, &ev, 100), 1);
	assert_int_equal(ev.type, UI_EVENT_BUTTON);
	assert_int_equal(ev.id, 7);
	/* pressed on the button, released elsewhere: no button */
	push_mouse(SDL_MOUSEBUTTONDOWN, 600, 430);
	push_mouse(SDL_MOUSEBUTTONUP, 300, 100);
	assert_int_equal(ui_wait_event(ui, &ev, 50), 1);
	assert_int_equal(ev.type, UI_EVENT_TOUCH);
	assert_int_equal(ui_wait_event(ui, &ev, 50), 0);
	/* a disabled button gives nothing but the touch */
	push_mouse(SDL_MOUSEBUTTONDOWN, 100, 430);
	push_mouse(SDL_MOUSEBUTTONUP, 100, 430);
	assert_int_equal(ui_wait_event(ui, &ev, 50), 1);
	assert_int_equal(ev.type, UI_EVENT_TOUCH);
	assert_int_equal(ui_wait_event(ui, &ev, 50), 0);
	/* posted from another thread, and text from a wedge scanner */
	assert_int_equal(ui_post(ui, 42, dl), 0);
	assert_int_equal(ui_wait_event(ui, &ev, 100), 1);
	assert_int_equal(ev.type, UI_EVENT_POSTED);
	assert_int_equal(ev.code, 42);
	assert_ptr_equal(ev.data, dl);
	SDL_Event t;
	memset(&t, 0, sizeof(t));
	t.type = SDL_TEXTINPUT;
	strcpy(t.text.text, "HC1:");
	SDL_PushEvent(&t);
	assert_int_equal(ui_wait_event(ui, &ev, 100), 1);
	assert_int_equal(ev.type, UI_EVENT_TEXT);
	assert_string_equal(ev.text, "HC1:");
	ui_close(ui);
}

static SDL_Event key(SDL_Keycode k, Uint16 mod)
{
	SDL_Event e;
	memset(&e, 0, sizeof(e));
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = k;
	e.key.keysym.mod = mod;
	return e;
}

static void test_lockdown(void **state)
{
	(void)state;
	SDL_Event esc = key(SDLK_ESCAPE, 0), ctrl_q = key(SDLK_q, KMOD_LCTRL),
	          alt_f4 = key(SDLK_F4, KMOD_LALT), plain_q = key(SDLK_q, 0), f4 = key(SDLK_F4, 0);
	SDL_Event quit, close;
	memset(&quit, 0, sizeof(quit));
	quit.type = SDL_QUIT;
	memset(&close, 0, sizeof(close));
	close.type = SDL_WINDOWEVENT;
	close.window.event = SDL_WINDOWEVENT_CLOSE;
	const SDL_Event *refused[] = {&esc, &ctrl_q, &alt_f4, &close};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(ui_lockdown_classify(refused[i], true), UI_LOCKDOWN_SWALLOW);
		assert_int_equal(ui_lockdown_classify(refused[i], false), UI_LOCKDOWN_QUIT);
	}
	assert_int_equal(ui_lockdown_classify(&quit, true), UI_LOCKDOWN_QUIT);
	assert_int_equal(ui_lockdown_classify(&plain_q, true), UI_LOCKDOWN_PASS);
	assert_int_equal(ui_lockdown_classify(&f4, true), UI_LOCKDOWN_PASS);

	/* through the window: kiosk swallows, windowed quits */
	struct ui *ui = open_ui(UI_KIOSK);
	struct ui_event ev;
	while (ui_wait_event(ui, &ev, 0))
		;
	SDL_PushEvent(&esc);
	SDL_PushEvent(&alt_f4);
	assert_int_equal(ui_wait_event(ui, &ev, 50), 0);
	ui_close(ui);
	ui = open_ui(UI_WINDOWED);
	while (ui_wait_event(ui, &ev, 0))
		;
	SDL_PushEvent(&esc);
	assert_int_equal(ui_wait_event(ui, &ev, 50), 1);
	assert_int_equal(ev.type, UI_EVENT_QUIT);
	ui_close(ui);
}

static void test_scroll_view(void **state)
{
	(void)state;
	struct ui *ui = open_ui(UI_WINDOWED);
	char text[4096] = "# 入住须知\n";
	for (int i = 0; i < 30; i++)
		strcat(text, "- 请全程佩戴手环，安保人员会扫描核对。\n");
	dl_init(dl, 800, 480);
	dl_add_scroll_text(dl, &lay, (struct dl_rect){16, 16, 600, 300}, 3, text, DL_INK);
	ui_draw(ui, dl);
	struct ui_event ev;
	while (ui_wait_event(ui, &ev, 0))
		assert_int_not_equal(ev.type, UI_EVENT_SCROLL_END);
	assert_false(ui_scroll_at_end(ui, 3));
	assert_int_equal(ui_scroll_permille(ui, 3), 0);
	/* a drag upwards scrolls; far enough reaches the end, reported once */
	push_mouse(SDL_MOUSEBUTTONDOWN, 300, 300);
	push_mouse(SDL_MOUSEMOTION, 300, 100);
	push_mouse(SDL_MOUSEBUTTONUP, 300, 100);
	while (ui_wait_event(ui, &ev, 20))
		assert_int_not_equal(ev.type, UI_EVENT_BUTTON);
	assert_int_equal(ui_scroll_permille(ui, 3) > 0, 1);
	assert_false(ui_scroll_at_end(ui, 3));
	ui_scroll_by(ui, 3, 100000);
	assert_true(ui_scroll_at_end(ui, 3));
	assert_int_equal(ui_scroll_permille(ui, 3), 1000);
	int ends = 0;
	while (ui_wait_event(ui, &ev, 20))
		ends += ev.type == UI_EVENT_SCROLL_END && ev.id == 3;
	ui_scroll_by(ui, 3, -50);
	ui_scroll_by(ui, 3, 100000);
	while (ui_wait_event(ui, &ev, 20))
		ends += ev.type == UI_EVENT_SCROLL_END && ev.id == 3;
	assert_int_equal(ends, 1);
	/* a text short enough to see whole is read to the end at once */
	dl_init(dl, 800, 480);
	dl_add_scroll_text(dl, &lay, (struct dl_rect){16, 16, 600, 300}, 4, "# 短\n很短。", DL_INK);
	ui_draw(ui, dl);
	assert_true(ui_scroll_at_end(ui, 4));
	ui_close(ui);
}

static void test_screenshot(void **state)
{
	(void)state;
	struct ui *ui = open_ui(UI_WINDOWED);
	dl_init(dl, 800, 480);
	dl_add_fill(dl, (struct dl_rect){0, 0, 400, 480}, DL_GREEN, 0);
	dl_add_icon(dl, (struct dl_rect){500, 100, 200, 200}, DL_ICON_CHECK, DL_GREEN, DL_WHITE);
	ui_draw(ui, dl);
	unsigned char *px = shot_pixels(ui);
	/* left half green, paper at the far right, the icon's disc green at its edge */
	assert_memory_equal(px, ((unsigned char[]){0x1B, 0x7F, 0x3B}), 3);
	assert_memory_equal(px + 3 * (100 * 800 + 790), ((unsigned char[]){0xF7, 0xF5, 0xF0}), 3);
	assert_memory_equal(px + 3 * (200 * 800 + 510), ((unsigned char[]){0x1B, 0x7F, 0x3B}), 3);
	free(px);
	ui_close(ui);
}

static void test_fade(void **state)
{
	(void)state;
	struct ui *ui = open_ui(UI_WINDOWED);
	dl_init(dl, 800, 480);
	dl_add_fill(dl, (struct dl_rect){0, 0, 800, 480}, DL_RED, 0);
	assert_int_equal(ui_draw_fade(ui, dl, 100), 1); /* nothing before: no fade */
	dl->cmds[0].color = DL_GREEN;
	Uint32 start = SDL_GetTicks();
	assert_int_equal(ui_draw_fade(ui, dl, 80), 1);
	assert_true(SDL_GetTicks() - start >= 80);
	assert_int_equal(ui_draw_fade(ui, dl, 80), 0); /* same list: nothing to do */
	unsigned char *px = shot_pixels(ui);
	assert_memory_equal(px + 3 * (240 * 800 + 400), ((unsigned char[]){0x1B, 0x7F, 0x3B}), 3);
	free(px);
	ui_close(ui);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_overflow_report),
	    cmocka_unit_test(test_cache_and_idle),
	    cmocka_unit_test(test_first_frame_prepared),
	    cmocka_unit_test(test_buttons),
	    cmocka_unit_test(test_lockdown),
	    cmocka_unit_test(test_scroll_view),
	    cmocka_unit_test(test_screenshot),
	    cmocka_unit_test(test_fade),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
