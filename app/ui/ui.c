/* app/ui/ui.c: the window and renderer, drawing a display list, events, screenshots. */
#include "app/ui/ui_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sdl_users; /* ui_open calls without ui_close: SDL is shut down with the last */

static void set_hints(bool software)
{
	/* The window's own close asks via SDL_WINDOWEVENT_CLOSE; SDL_QUIT then only comes from
	 * signals, so the lockdown can tell them apart. */
	SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
	if (software) /* the real software path under X11: 5x faster than via llvmpipe */
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
}

static bool want_software(enum ui_renderer r)
{
	if (r == UI_RENDERER_SOFTWARE)
		return true;
	if (r == UI_RENDERER_ACCELERATED)
		return false;
	const char *driver = SDL_GetCurrentVideoDriver();
	return !driver || strcmp(driver, "KMSDRM") != 0;
}

struct ui *ui_open(int width, int height, unsigned flags)
{
	struct ui_config cfg = {
	    .width = width,
	    .height = height,
	    .fullscreen = flags & UI_FULLSCREEN,
	    .kiosk = flags & UI_KIOSK,
	    .hidden = flags & UI_HIDDEN,
	    .renderer = (flags & UI_SOFTWARE)      ? UI_RENDERER_SOFTWARE
	                : (flags & UI_ACCELERATED) ? UI_RENDERER_ACCELERATED
	                                           : UI_RENDERER_AUTO,
	};
	return ui_open_config(&cfg);
}

struct ui *ui_open_config(const struct ui_config *cfg)
{
	struct ui *ui = calloc(1, sizeof(*ui));
	if (!ui)
		return NULL;
	ui->kiosk = cfg->kiosk;
	ui->cache_cap = cfg->text_cache_entries > 0 ? cfg->text_cache_entries : 512;
	ui->cache_max_bytes = cfg->text_cache_bytes ? cfg->text_cache_bytes : 64u << 20;
	ui->cache = calloc((size_t)ui->cache_cap, sizeof(*ui->cache));
	ui->last = malloc(sizeof(*ui->last));
	if (!ui->cache || !ui->last)
		goto out_free;
	/* The fonts first: their loader thread runs while SDL connects to the display and
	 * creates the window, which is most of the start-up (docs/performance.md). */
	ui->prepare = cfg->prepare;
	ui->prepare_ctx = cfg->prepare_ctx;
	ui->prepare_w = cfg->width > 0 && cfg->height > 0 ? cfg->width : 0;
	ui->prepare_h = ui->prepare_w ? cfg->height : 0;
	if (text_fonts_start(ui, cfg->font_regular, cfg->font_bold) < 0)
		goto out_fonts;
	if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		fprintf(stderr, "ui: SDL_Init: %s\n", SDL_GetError());
		goto out_fonts;
	}
	sdl_users++;
	bool software = want_software(cfg->renderer);
	set_hints(software);
	Uint32 wflags = SDL_WINDOW_ALLOW_HIGHDPI;
	if (cfg->fullscreen)
		wflags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	wflags |= cfg->hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;
	int w = cfg->width > 0 ? cfg->width : 800, h = cfg->height > 0 ? cfg->height : 480;
	ui->win = SDL_CreateWindow(cfg->title ? cfg->title : "healthkiosk", SDL_WINDOWPOS_CENTERED,
	                           SDL_WINDOWPOS_CENTERED, w, h, wflags);
	if (!ui->win) {
		fprintf(stderr, "ui: SDL_CreateWindow: %s\n", SDL_GetError());
		goto out_sdl;
	}
	Uint32 rflags = software ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;
	ui->ren = SDL_CreateRenderer(ui->win, -1, rflags);
	if (!ui->ren && !software) {
		fprintf(stderr, "ui: no accelerated renderer (%s), using software\n",
		        SDL_GetError());
		software = true;
		ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
	}
	if (!ui->ren) {
		fprintf(stderr, "ui: SDL_CreateRenderer: %s\n", SDL_GetError());
		goto out_window;
	}
	ui->kind = software ? "software" : "accelerated";
	if (cfg->fullscreen && (cfg->width <= 0 || cfg->height <= 0))
		SDL_GetRendererOutputSize(ui->ren, &w, &h);
	ui->w = w;
	ui->h = h;
	SDL_RenderSetLogicalSize(ui->ren, w, h);
	if (ui->kiosk) {
		SDL_ShowCursor(SDL_DISABLE);
		if (cfg->fullscreen)
			SDL_SetWindowKeyboardGrab(ui->win, SDL_TRUE);
	}
	if (text_fonts_wait(ui) < 0)
		goto out_renderer;
	ui->post_type = SDL_RegisterEvents(1);
	SDL_StartTextInput();
	ui->dirty = true;
	return ui;
out_renderer:
	SDL_DestroyRenderer(ui->ren);
out_window:
	SDL_DestroyWindow(ui->win);
out_sdl:
	if (--sdl_users == 0)
		SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
out_fonts:
	text_fonts_close(ui);
out_free:
	free(ui->last);
	free(ui->cache);
	free(ui);
	return NULL;
}

void ui_close(struct ui *ui)
{
	if (!ui)
		return;
	text_cache_clear(ui);
	scroll_clear(ui);
	for (int i = 0; i < DL_IMAGE_SLOT_COUNT; i++)
		if (ui->images[i].tex)
			SDL_DestroyTexture(ui->images[i].tex);
	text_fonts_close(ui);
	SDL_DestroyRenderer(ui->ren);
	SDL_DestroyWindow(ui->win);
	if (--sdl_users == 0)
		SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
	free(ui->scratch);
	free(ui->last);
	free(ui->cache);
	free(ui);
}

void ui_size(const struct ui *ui, int *width, int *height)
{
	*width = ui->w;
	*height = ui->h;
}

const char *ui_renderer_name(const struct ui *ui)
{
	return ui->kind;
}

static struct dl_color darker(struct dl_color c)
{
	return (struct dl_color){(uint8_t)(c.r * 4 / 5), (uint8_t)(c.g * 4 / 5),
	                         (uint8_t)(c.b * 4 / 5), c.a};
}

static void draw_text(struct ui *ui, const struct dl_cmd *c, const char *text)
{
	struct text_entry *e =
	    text_get(ui, text, c->px, c->weight, c->color, text_wrap_width(c), c->align);
	if (!e || !e->tex)
		return;
	int x = c->rect.x, y = c->rect.y;
	if (c->align == DL_CENTER)
		x += (c->rect.w - e->w) / 2;
	else if (c->align == DL_RIGHT)
		x += c->rect.w - e->w;
	if (c->flags & DL_MIDDLE)
		y += (c->rect.h - e->h) / 2;
	else if (c->flags & DL_BOTTOM)
		y += c->rect.h - e->h;
	bool clip = !(c->flags & DL_MUST_FIT);
	if (clip)
		SDL_RenderSetClipRect(ui->ren,
		                      &(SDL_Rect){c->rect.x, c->rect.y, c->rect.w, c->rect.h});
	SDL_RenderCopy(ui->ren, e->tex, NULL, &(SDL_Rect){x, y, e->w, e->h});
	if (clip)
		SDL_RenderSetClipRect(ui->ren, NULL);
}

static void draw_image(struct ui *ui, const struct dl_cmd *c)
{
	int slot = c->icon;
	struct dl_rect r = c->rect;
	if (slot < 0 || slot >= DL_IMAGE_SLOT_COUNT)
		return;
	if (ui->images[slot].tex) {
		/* letterboxed: the whole picture, aspect kept */
		int iw = ui->images[slot].w, ih = ui->images[slot].h;
		int w = r.w, h = (int)((int64_t)r.w * ih / iw);
		if (h > r.h) {
			h = r.h;
			w = (int)((int64_t)r.h * iw / ih);
		}
		shape_round_rect(ui->ren, r, 0, (struct dl_color){0x20, 0x20, 0x20, 0xFF});
		SDL_RenderCopy(ui->ren, ui->images[slot].tex, NULL,
		               &(SDL_Rect){r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h});
	} else {
		shape_round_rect(ui->ren, r, 0, (struct dl_color){0x2B, 0x2F, 0x36, 0xFF});
	}
	if (slot == DL_IMAGE_CAMERA) {
		/* guide frame: four corners of a centred square */
		int s = (r.w < r.h ? r.w : r.h) * 7 / 10;
		float x0 = r.x + (r.w - s) / 2.0f, y0 = r.y + (r.h - s) / 2.0f;
		float arm = s / 5.0f, t = s / 40.0f + 2;
		struct dl_color g = DL_WHITE;
		float xs[2] = {x0, x0 + s}, ys[2] = {y0, y0 + s};
		for (int i = 0; i < 2; i++) {
			for (int j = 0; j < 2; j++) {
				float dx = i ? -arm : arm, dy = j ? -arm : arm;
				shape_line(ui->ren, xs[i], ys[j], xs[i] + dx, ys[j], t, g);
				shape_line(ui->ren, xs[i], ys[j], xs[i], ys[j] + dy, t, g);
			}
		}
	}
}

static void render_list(struct ui *ui, const struct display_list *dl)
{
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(ui->ren, DL_PAPER.r, DL_PAPER.g, DL_PAPER.b, 255);
	SDL_RenderClear(ui->ren);
	for (int i = 0; i < dl->count; i++) {
		const struct dl_cmd *c = &dl->cmds[i];
		switch (c->kind) {
		case DL_FILL:
			shape_round_rect(ui->ren, c->rect, c->radius, c->color);
			break;
		case DL_BUTTON: {
			struct dl_color fill = c->color;
			if (c->enabled && c->id == ui->pressed && c->id > 0)
				fill = darker(fill);
			if (c->color2.a) {
				int stroke = c->rect.h / 24 > 2 ? c->rect.h / 24 : 2;
				if (c->enabled && c->id == ui->pressed && fill.a == 0)
					fill = (struct dl_color){0, 0, 0, 0x40};
				shape_round_rect(ui->ren, dl_rect_inset(c->rect, stroke),
				                 c->radius - stroke, fill);
				shape_round_ring(ui->ren, c->rect, c->radius, stroke, c->color2);
			} else {
				shape_round_rect(ui->ren, c->rect, c->radius, fill);
			}
			break;
		}
		case DL_TEXT:
			draw_text(ui, c, dl_text(dl, i));
			break;
		case DL_ICON:
			shape_icon(ui->ren, (enum dl_icon)c->icon, c->rect, c->color, c->color2);
			break;
		case DL_IMAGE:
			draw_image(ui, c);
			break;
		case DL_SCROLL_TEXT:
			scroll_draw(ui, c, dl_text(dl, i));
			break;
		}
	}
}

static void copy_list(struct ui *ui, struct display_list *to, const struct display_list *from)
{
	scroll_forget_absent(ui, from);
	/* only the used parts: a list is ~60 KB, most of it empty */
	to->width = from->width;
	to->height = from->height;
	to->count = from->count;
	to->full = from->full;
	to->text_used = from->text_used;
	memcpy(to->cmds, from->cmds, (size_t)from->count * sizeof(from->cmds[0]));
	memcpy(to->text, from->text, from->text_used);
}

int ui_draw(struct ui *ui, const struct display_list *dl)
{
	if (!ui->dirty && ui->have_last && dl_equal(dl, ui->last)) {
		ui->stats.frames_skipped++;
		return 0;
	}
	if (!ui->have_last || !dl_equal(dl, ui->last)) {
		copy_list(ui, ui->last, dl);
		ui->have_last = true;
	}
	ui->dirty = false;
	render_list(ui, ui->last);
	text_prefetch_drop(ui); /* the first frame took what it needed */
	SDL_RenderPresent(ui->ren);
	ui->stats.frames_drawn++;
	return 1;
}

int ui_draw_fade(struct ui *ui, const struct display_list *dl, int ms)
{
	if (ms <= 0 || !ui->have_last || dl_equal(dl, ui->last))
		return ui_draw(ui, dl);
	SDL_Texture *from = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888,
	                                      SDL_TEXTUREACCESS_TARGET, ui->w, ui->h);
	SDL_Texture *to = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888,
	                                    SDL_TEXTUREACCESS_TARGET, ui->w, ui->h);
	if (!from || !to)
		goto out_plain;
	if (SDL_SetRenderTarget(ui->ren, from) != 0)
		goto out_plain;
	render_list(ui, ui->last);
	copy_list(ui, ui->last, dl);
	SDL_SetRenderTarget(ui->ren, to);
	render_list(ui, ui->last);
	SDL_SetRenderTarget(ui->ren, NULL);
	SDL_SetTextureBlendMode(from, SDL_BLENDMODE_BLEND);
	Uint32 start = SDL_GetTicks();
	for (;;) {
		Uint32 t = SDL_GetTicks() - start;
		if (t >= (Uint32)ms)
			break;
		SDL_RenderCopy(ui->ren, to, NULL, NULL);
		SDL_SetTextureAlphaMod(from, (Uint8)(255 - 255 * t / (Uint32)ms));
		SDL_RenderCopy(ui->ren, from, NULL, NULL);
		SDL_RenderPresent(ui->ren);
		Uint32 spent = SDL_GetTicks() - start - t;
		if (spent < 16) /* about 60 frames a second, no faster */
			SDL_Delay(16 - spent);
	}
out_plain:
	if (from)
		SDL_DestroyTexture(from);
	if (to)
		SDL_DestroyTexture(to);
	ui->dirty = true; /* the last frame is drawn from the list itself */
	return ui_draw(ui, dl);
}

int ui_measure_text(struct ui *ui, const char *text, int px, enum dl_weight weight, int wrap_w,
                    int *w, int *h, int *lines)
{
	int skip;
	int n = text_layout(ui, text, px, weight, wrap_w, w, &skip);
	if (n < 0)
		return n;
	*h = n * skip;
	*lines = n;
	return 0;
}

int ui_measure_overflows(struct ui *ui, const struct display_list *dl, int *out, int max)
{
	int count = 0;
	for (int i = 0; i < dl->count; i++) {
		const struct dl_cmd *c = &dl->cmds[i];
		if (c->kind != DL_TEXT || !(c->flags & DL_MUST_FIT))
			continue;
		int w, h, lines;
		bool bad = ui_measure_text(ui, dl_text(dl, i), c->px, c->weight, text_wrap_width(c),
		                           &w, &h, &lines) < 0;
		bad = bad || w > c->rect.w || h > c->rect.h;
		bad = bad || c->rect.x < 0 || c->rect.y < 0 || c->rect.x + c->rect.w > dl->width ||
		      c->rect.y + c->rect.h > dl->height;
		if (!bad)
			continue;
		if (count < max)
			out[count] = i;
		count++;
	}
	return count;
}

int ui_screenshot(struct ui *ui, const char *path)
{
	int w, h, rc;
	if (SDL_GetRendererOutputSize(ui->ren, &w, &h) != 0)
		return -EIO;
	uint8_t *pixels = malloc((size_t)w * (size_t)h * 4);
	if (!pixels)
		return -ENOMEM;
	if (ui->have_last)
		render_list(ui, ui->last);
	if (SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGBA32, pixels, w * 4) != 0) {
		fprintf(stderr, "ui: SDL_RenderReadPixels: %s\n", SDL_GetError());
		rc = -EIO;
		goto out_free;
	}
	SDL_RenderPresent(ui->ren);
	rc = ui_png_write(path, pixels, w, h, w * 4);
out_free:
	free(pixels);
	return rc;
}

int ui_image_set(struct ui *ui, enum dl_image_slot slot, const uint8_t *pixels, int w, int h,
                 int stride, enum ui_pixels format)
{
	if ((unsigned)slot >= DL_IMAGE_SLOT_COUNT || w <= 0 || h <= 0)
		return -EINVAL;
	if (!ui->images[slot].tex || ui->images[slot].w != w || ui->images[slot].h != h) {
		if (ui->images[slot].tex)
			SDL_DestroyTexture(ui->images[slot].tex);
		ui->images[slot].tex = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_RGBA32,
		                                         SDL_TEXTUREACCESS_STREAMING, w, h);
		if (!ui->images[slot].tex)
			return -ENOMEM;
		ui->images[slot].w = w;
		ui->images[slot].h = h;
	}
	void *dst;
	int pitch;
	if (SDL_LockTexture(ui->images[slot].tex, NULL, &dst, &pitch) != 0)
		return -EIO;
	for (int y = 0; y < h; y++) {
		uint8_t *d = (uint8_t *)dst + (size_t)y * (size_t)pitch;
		const uint8_t *s = pixels + (size_t)y * (size_t)stride;
		if (format == UI_PIXELS_RGBA32) {
			memcpy(d, s, (size_t)w * 4);
		} else {
			for (int x = 0; x < w; x++) {
				d[4 * x] = d[4 * x + 1] = d[4 * x + 2] = s[x];
				d[4 * x + 3] = 255;
			}
		}
	}
	SDL_UnlockTexture(ui->images[slot].tex);
	ui->dirty = true;
	return 0;
}

void ui_image_clear(struct ui *ui, enum dl_image_slot slot)
{
	if ((unsigned)slot >= DL_IMAGE_SLOT_COUNT || !ui->images[slot].tex)
		return;
	SDL_DestroyTexture(ui->images[slot].tex);
	ui->images[slot].tex = NULL;
	ui->dirty = true;
}

void ui_queue_push(struct ui *ui, const struct ui_event *ev)
{
	if (ui->q_len == UI_EVENT_QUEUE)
		return; /* the program is not reading events; drop rather than block */
	ui->queue[(ui->q_head + ui->q_len) % UI_EVENT_QUEUE] = *ev;
	ui->q_len++;
}

static bool queue_pop(struct ui *ui, struct ui_event *ev)
{
	if (ui->q_len == 0)
		return false;
	*ev = ui->queue[ui->q_head];
	ui->q_head = (ui->q_head + 1) % UI_EVENT_QUEUE;
	ui->q_len--;
	return true;
}

static int scroll_view_at(const struct ui *ui, int x, int y)
{
	if (!ui->have_last)
		return 0;
	for (int i = ui->last->count - 1; i >= 0; i--) {
		const struct dl_cmd *c = &ui->last->cmds[i];
		if (c->kind == DL_SCROLL_TEXT && dl_rect_contains(c->rect, x, y))
			return c->id;
		if (c->kind == DL_FILL && c->modal && dl_rect_contains(c->rect, x, y))
			return 0;
	}
	return 0;
}

static void pointer_down(struct ui *ui, int x, int y, uint32_t t)
{
	struct ui_event ev = {.type = UI_EVENT_TOUCH, .x = x, .y = y, .time_ms = t};
	ui_queue_push(ui, &ev);
	ui->pointer_x = x;
	ui->pointer_y = y;
	ui->drag_id = scroll_view_at(ui, x, y);
	ui->drag_last_y = y;
	if (!ui->drag_id && ui->have_last) {
		ui->pressed = dl_hit_test(ui->last, x, y);
		if (ui->pressed)
			ui->dirty = true;
	}
}

static void pointer_move(struct ui *ui, int x, int y, bool down)
{
	ui->pointer_x = x;
	ui->pointer_y = y;
	if (down && ui->drag_id) {
		ui_scroll_by(ui, ui->drag_id, ui->drag_last_y - y);
		ui->drag_last_y = y;
	}
}

static void pointer_up(struct ui *ui, int x, int y, uint32_t t)
{
	if (ui->pressed && ui->have_last && dl_hit_test(ui->last, x, y) == ui->pressed) {
		struct ui_event ev = {
		    .type = UI_EVENT_BUTTON, .id = ui->pressed, .x = x, .y = y, .time_ms = t};
		ui_queue_push(ui, &ev);
	}
	if (ui->pressed)
		ui->dirty = true;
	ui->pressed = 0;
	ui->drag_id = 0;
}

static void translate(struct ui *ui, const SDL_Event *e)
{
	if (ui->hook && ui->hook(ui->hook_ctx, e))
		return;
	struct ui_event ev = {.time_ms = SDL_GetTicks()};
	switch (ui_lockdown_classify(e, ui->kiosk)) {
	case UI_LOCKDOWN_QUIT:
		ev.type = UI_EVENT_QUIT;
		ui_queue_push(ui, &ev);
		return;
	case UI_LOCKDOWN_SWALLOW:
		return;
	case UI_LOCKDOWN_PASS:
		break;
	}
	if (e->type == ui->post_type) {
		ev.type = UI_EVENT_POSTED;
		ev.code = e->user.code;
		ev.data = e->user.data1;
		ui_queue_push(ui, &ev);
		return;
	}
	switch (e->type) {
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
		    e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
		    e->window.event == SDL_WINDOWEVENT_RESTORED) {
			ui->dirty = true;
			ev.type = UI_EVENT_REDRAW;
			ui_queue_push(ui, &ev);
		}
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
			pointer_down(ui, e->button.x, e->button.y, e->button.timestamp);
		break;
	case SDL_MOUSEMOTION:
		if (e->motion.which != SDL_TOUCH_MOUSEID)
			pointer_move(ui, e->motion.x, e->motion.y,
			             e->motion.state & SDL_BUTTON_LMASK);
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
			pointer_up(ui, e->button.x, e->button.y, e->button.timestamp);
		break;
	case SDL_FINGERDOWN:
		pointer_down(ui, (int)(e->tfinger.x * ui->w), (int)(e->tfinger.y * ui->h),
		             e->tfinger.timestamp);
		break;
	case SDL_FINGERMOTION:
		pointer_move(ui, (int)(e->tfinger.x * ui->w), (int)(e->tfinger.y * ui->h), true);
		break;
	case SDL_FINGERUP:
		pointer_up(ui, (int)(e->tfinger.x * ui->w), (int)(e->tfinger.y * ui->h),
		           e->tfinger.timestamp);
		break;
	case SDL_MOUSEWHEEL: {
		int id = scroll_view_at(ui, ui->pointer_x, ui->pointer_y);
		if (!id && ui->have_last) /* the pointer is elsewhere: the screen's one view */
			for (int i = 0; i < ui->last->count && !id; i++)
				if (ui->last->cmds[i].kind == DL_SCROLL_TEXT)
					id = ui->last->cmds[i].id;
		int step = ui->h / 8;
		ui_scroll_by(ui, id, -e->wheel.y * step);
		break;
	}
	case SDL_TEXTINPUT:
		ev.type = UI_EVENT_TEXT;
		ev.time_ms = e->text.timestamp;
		snprintf(ev.text, sizeof(ev.text), "%s", e->text.text);
		ui_queue_push(ui, &ev);
		break;
	case SDL_KEYDOWN: {
		SDL_Keycode k = e->key.keysym.sym;
		ev.time_ms = e->key.timestamp;
		ev.type = UI_EVENT_KEY;
		if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
			ev.key = UI_KEY_ENTER;
		else if (k == SDLK_TAB)
			ev.key = UI_KEY_TAB;
		else if (k == SDLK_BACKSPACE)
			ev.key = UI_KEY_BACKSPACE;
		else
			break;
		ui_queue_push(ui, &ev);
		break;
	}
	default:
		break;
	}
}

int ui_wait_event(struct ui *ui, struct ui_event *ev, int timeout_ms)
{
	Uint32 start = SDL_GetTicks();
	memset(ev, 0, sizeof(*ev));
	for (;;) {
		if (queue_pop(ui, ev))
			return 1;
		SDL_Event e;
		int got;
		if (timeout_ms < 0) {
			got = SDL_WaitEvent(&e);
		} else {
			Uint32 spent = SDL_GetTicks() - start;
			if (spent >= (Uint32)timeout_ms)
				got = SDL_PollEvent(&e);
			else
				got = SDL_WaitEventTimeout(&e, (int)((Uint32)timeout_ms - spent));
		}
		if (got) {
			translate(ui, &e);
			continue;
		}
		if (timeout_ms >= 0 && SDL_GetTicks() - start >= (Uint32)timeout_ms) {
			ev->type = UI_EVENT_NONE;
			return 0;
		}
	}
}

int ui_post(struct ui *ui, int code, void *data)
{
	SDL_Event e;
	memset(&e, 0, sizeof(e));
	e.type = ui->post_type;
	e.user.code = code;
	e.user.data1 = data;
	return SDL_PushEvent(&e) == 1 ? 0 : -EAGAIN;
}

void ui_set_event_hook(struct ui *ui, ui_event_hook hook, void *ctx)
{
	ui->hook = hook;
	ui->hook_ctx = ctx;
}

void ui_get_stats(const struct ui *ui, struct ui_stats *out)
{
	*out = ui->stats;
	out->text_bytes = ui->cache_bytes;
}
