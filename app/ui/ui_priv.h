/* app/ui/ui_priv.h: what the files of app/ui share: the ui struct, text and shape helpers.
 * Not for use outside app/ui. */
#ifndef HK_UI_UI_PRIV_H
#define HK_UI_UI_PRIV_H

#include <SDL.h>

#include "app/core/textwrap.h"
#include "app/ui/ui.h"
#include "drivers/fonts/fonts.h"
#include "drivers/fonts/ttf.h"

#define UI_MAX_SCROLLS 4   /* scroll views with remembered state */
#define UI_MAX_LINES   512 /* lines of one text block */
#define UI_EVENT_QUEUE 32

/* One rendered text block. */
struct text_entry {
	uint64_t hash;
	char *text; /* owned; NULL: free slot */
	int px, weight, wrap_w, align;
	uint32_t rgba;
	SDL_Texture *tex;   /* NULL for an empty text */
	SDL_Surface *block; /* instead of tex, in ui->ready only */
	int w, h, lines;
	size_t bytes;
	unsigned long used; /* ui->tick of last use */
};

struct scroll_block {
	char *text; /* owned */
	int px, weight, indent;
	bool bullet;
	struct dl_color color;
	int y, h; /* in the content, logical pixels */
};

struct scroll_view {
	int id; /* 0: free */
	uint64_t hash;
	int width, px;
	struct scroll_block *blocks;
	int nblocks;
	int content_h, view_h, offset;
	bool at_end, reported;
	unsigned long used;
};

struct open_font {
	TTF_Font *font; /* NULL until first used */
	int px;         /* the size it is set to */
};

struct ui {
	SDL_Window *win;
	SDL_Renderer *ren;
	int w, h;
	bool kiosk;
	const char *kind; /* "software" or "accelerated" */
	struct font_file font_files[2];
	const struct ttf_api *ttf; /* SDL2_ttf, initialised; set by the font loader */
	struct open_font fonts[2]; /* by weight: DL_REGULAR, DL_BOLD */
	SDL_Thread *font_loader;   /* opening the fonts, until text_fonts_wait() */
	int (*prepare)(void *ctx, int width, int height, struct display_list *dl);
	void *prepare_ctx;
	int prepare_w, prepare_h;
	char font_error[600];
	struct text_entry *cache;
	int cache_cap;
	struct text_entry *ready; /* the first frame's blocks, rendered by the font loader */
	int nready;
	size_t cache_bytes, cache_max_bytes;
	unsigned long tick;
	struct text_line lines[UI_MAX_LINES];
	char *scratch; /* NUL-terminated copies of substrings for measuring */
	size_t scratch_cap;
	struct display_list *last;
	bool have_last, dirty;
	struct scroll_view scrolls[UI_MAX_SCROLLS];
	struct {
		SDL_Texture *tex;
		int w, h;
	} images[DL_IMAGE_SLOT_COUNT];
	int pressed; /* button id held down, 0: none */
	int drag_id; /* scroll view being dragged, 0: none */
	int drag_last_y;
	int pointer_x, pointer_y;
	struct ui_event queue[UI_EVENT_QUEUE];
	int q_head, q_len;
	uint32_t post_type;
	ui_event_hook hook;
	void *hook_ctx;
	struct ui_stats stats;
};

/* ui_text.c */
/* Find the font files and start opening them on a thread of their own; text_fonts_wait()
 * joins it and must come before any other text call (text_fonts_close() joins it too).
 * Both return 0 or a negative errno value. */
int text_fonts_start(struct ui *ui, const char *regular, const char *bold);
int text_fonts_wait(struct ui *ui);
void text_fonts_close(struct ui *ui);
TTF_Font *text_font(struct ui *ui, int px, int weight);
/* Wrap (wrap_w > 0) or split at '\n' only; lines in ui->lines; returns the line count, or
 * negative when no font. *w: widest line; *line_h: the font's line skip. */
int text_layout(struct ui *ui, const char *text, int px, int weight, int wrap_w, int *w,
                int *line_h);
/* Render the texts of dl (the first frame's) as blocks for text_get() to take; on the font
 * loader thread, before text_fonts_wait() returns. text_prefetch_drop() frees those not
 * taken (after the first frame). */
void text_prefetch(struct ui *ui, const struct display_list *dl);
void text_prefetch_drop(struct ui *ui);
/* The wrap width of a text command: its box's width with DL_WRAP, else 0 (no wrapping). */
static inline int text_wrap_width(const struct dl_cmd *c)
{
	return (c->flags & DL_WRAP) ? c->rect.w : 0;
}
/* The cached block for these parameters, rendering it on a miss (or taking the one
 * text_prefetch() made); NULL on error. */
struct text_entry *text_get(struct ui *ui, const char *text, int px, int weight, struct dl_color c,
                            int wrap_w, int align);
void text_cache_clear(struct ui *ui);

/* ui_shapes.c */
void shape_round_rect(SDL_Renderer *r, struct dl_rect rect, int radius, struct dl_color c);
/* Only the border, stroke pixels wide, of a rounded rectangle. */
void shape_round_ring(SDL_Renderer *r, struct dl_rect rect, int radius, int stroke,
                      struct dl_color c);
void shape_disc(SDL_Renderer *r, float cx, float cy, float radius, struct dl_color c);
void shape_line(SDL_Renderer *r, float x1, float y1, float x2, float y2, float width,
                struct dl_color c);
void shape_icon(SDL_Renderer *r, enum dl_icon icon, struct dl_rect rect, struct dl_color fg,
                struct dl_color cutout);

/* ui_scroll.c */
struct scroll_view *scroll_find(struct ui *ui, int id);
void scroll_draw(struct ui *ui, const struct dl_cmd *cmd, const char *text);
void scroll_clear(struct ui *ui);
/* Forget the scroll views dl does not show: a text shown again starts at its top. */
void scroll_forget_absent(struct ui *ui, const struct display_list *dl);
void ui_queue_push(struct ui *ui, const struct ui_event *ev);

#endif
