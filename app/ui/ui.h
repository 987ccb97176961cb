/* app/ui/ui.h: the window. Draws display lists (app/core/display.h) with SDL2 and SDL2_ttf,
 * caches rendered text as textures, turns touch, mouse and keys into ui events, idles when
 * nothing changes, keeps a kiosk locked down, and writes screenshots as PNG. */
#ifndef HK_UI_UI_H
#define HK_UI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/display.h"

union SDL_Event;

enum ui_renderer {
	UI_RENDERER_AUTO,        /* software under X11 (faster there), accelerated elsewhere */
	UI_RENDERER_SOFTWARE,    /* SDL's software renderer, framebuffer acceleration off */
	UI_RENDERER_ACCELERATED, /* the GPU renderer (KMSDRM on the Pi) */
};

/* Flags of ui_open(). */
enum {
	UI_WINDOWED = 0,
	UI_FULLSCREEN = 1 << 0,  /* fullscreen on the current display */
	UI_KIOSK = 1 << 1,       /* lockdown: no key or window action quits; cursor hidden */
	UI_SOFTWARE = 1 << 2,    /* force UI_RENDERER_SOFTWARE */
	UI_ACCELERATED = 1 << 3, /* force UI_RENDERER_ACCELERATED */
	UI_HIDDEN = 1 << 4,      /* do not show the window (screenshots only) */
};

struct ui_config {
	int width, height; /* logical size of the screen; 0 x 0 with fullscreen: the display's */
	bool fullscreen;
	bool kiosk;
	bool hidden;
	enum ui_renderer renderer;
	const char *font_regular; /* "FILE" or "FILE#FACE"; NULL or "": fonts_find() */
	const char *font_bold;    /* NULL or "": fonts_find(), falling back to the regular */
	const char *title;        /* window title; NULL: "healthkiosk" */
	int text_cache_entries;   /* rendered text blocks kept; 0: 512 */
	size_t text_cache_bytes;  /* texture bytes kept; 0: 64 MiB */
	/* Optional, for a quicker first frame: called once on the thread that opens the fonts,
	 * as soon as they are open, while SDL still connects to the display. It may do start-up
	 * work of the caller's own (the kiosk loads its texts there), then fills *dl with the
	 * first frame's list for a width x height screen and returns 1, or returns 0 when it
	 * has no list (width 0: the size is not known before the window exists); negative makes
	 * ui_open_config() fail. The list's texts are rendered there, for the first ui_draw(). */
	int (*prepare)(void *ctx, int width, int height, struct display_list *dl);
	void *prepare_ctx;
};

struct ui;

/* Open the window with the given logical size (flags: UI_* above). The display list's
 * coordinates are logical pixels; the renderer scales them to the real output. Returns NULL
 * (with a line on stderr) when SDL, the window or the fonts cannot be set up. Close with
 * ui_close(). */
struct ui *ui_open(int width, int height, unsigned flags);
struct ui *ui_open_config(const struct ui_config *cfg);
void ui_close(struct ui *ui);

/* The logical size. */
void ui_size(const struct ui *ui, int *width, int *height);
/* "software" or "accelerated", and SDL's renderer name ("software", "opengl", ...). */
const char *ui_renderer_name(const struct ui *ui);

/* Draw dl and present it. When dl draws the same as the last list and nothing else changed
 * (scrolling, pressed button, image slot, expose), nothing is drawn and 0 is returned; 1 when
 * a frame was drawn; negative on error. dl is copied; the caller keeps ownership. */
int ui_draw(struct ui *ui, const struct display_list *dl);

/* As ui_draw(), cross-fading from the frame on screen to dl over ms milliseconds (UI.md:
 * at most 150) when dl differs from the last list; blocks for that time. Use it for a change
 * of screen, ui_draw() for updates within one. */
int ui_draw_fade(struct ui *ui, const struct display_list *dl, int ms);

/* Indices of the DL_MUST_FIT text commands of dl that do not fit their box at their size
 * (wrapped when DL_WRAP), or that lie partly outside the screen. Writes up to max indices to
 * out and returns how many there are in total (0: everything fits). */
int ui_measure_overflows(struct ui *ui, const struct display_list *dl, int *out, int max);

/* Size of text at px/weight, wrapped at wrap_w (0: no wrapping): width of the widest line,
 * total height and number of lines. Returns 0 or negative. */
int ui_measure_text(struct ui *ui, const char *text, int px, enum dl_weight weight, int wrap_w,
                    int *w, int *h, int *lines);

/* Render the last list drawn again and write it as a PNG (8-bit RGB) of the logical size to
 * path. Returns 0 or negative. */
int ui_screenshot(struct ui *ui, const char *path);

enum ui_pixels {
	UI_PIXELS_RGBA32, /* bytes R, G, B, A */
	UI_PIXELS_GRAY8,  /* one byte per pixel (a camera's Y plane) */
};

/* Hand the pixels for an image slot over (copied); the next ui_draw() shows them.
 * Returns 0 or negative. ui_image_clear() empties the slot (a placeholder is drawn). */
int ui_image_set(struct ui *ui, enum dl_image_slot slot, const uint8_t *pixels, int w, int h,
                 int stride, enum ui_pixels format);
void ui_image_clear(struct ui *ui, enum dl_image_slot slot);

enum ui_event_type {
	UI_EVENT_NONE,       /* the timeout passed */
	UI_EVENT_QUIT,       /* quit asked for: SIGTERM/SIGINT; in windowed mode also the window's
	                      * close button, Escape, Ctrl+Q, Alt+F4 */
	UI_EVENT_BUTTON,     /* an enabled button was tapped (pressed and released on it): id */
	UI_EVENT_TOUCH,      /* a touch or click began at (x, y): activity, e.g. to wake up */
	UI_EVENT_SCROLL_END, /* scroll view id has been read to its end (once per text) */
	UI_EVENT_TEXT,       /* text typed (keyboard-wedge scanners): text */
	UI_EVENT_KEY,        /* a key that is not text: key */
	UI_EVENT_POSTED,     /* ui_post() from another thread: code, data */
	UI_EVENT_REDRAW,     /* the window was exposed or resized: draw again */
};

enum ui_key {
	UI_KEY_OTHER,
	UI_KEY_ENTER,
	UI_KEY_TAB,
	UI_KEY_BACKSPACE,
};

struct ui_event {
	enum ui_event_type type;
	uint32_t time_ms; /* SDL ticks when the event happened */
	int id;           /* BUTTON, SCROLL_END */
	int x, y;         /* TOUCH: logical pixels */
	enum ui_key key;  /* KEY */
	int code;         /* POSTED */
	void *data;       /* POSTED */
	char text[32];    /* TEXT: UTF-8 */
};

/* Wait up to timeout_ms (0: just poll; < 0: forever) for the next event the program needs,
 * sleeping in SDL_WaitEventTimeout meanwhile. Events the ui handles itself (drags of a scroll
 * view, pointer moves, swallowed keys in kiosk mode) are not returned. Returns 1 with *ev set,
 * 0 on timeout (ev->type UI_EVENT_NONE). */
int ui_wait_event(struct ui *ui, struct ui_event *ev, int timeout_ms);

/* Post an event to the ui thread from any thread (camera decoder, printer, sync): it comes
 * out of ui_wait_event() as UI_EVENT_POSTED with code and data. Returns 0 or negative. */
int ui_post(struct ui *ui, int code, void *data);

/* A hook that sees every SDL event first (e.g. a keyboard-wedge scanner reading its burst);
 * returning true consumes it. NULL removes the hook. */
typedef bool (*ui_event_hook)(void *ctx, const union SDL_Event *e);
void ui_set_event_hook(struct ui *ui, ui_event_hook hook, void *ctx);

/* The scroll view id: whether it has been read to the end, and its position in permille. */
bool ui_scroll_at_end(const struct ui *ui, int id);
int ui_scroll_permille(const struct ui *ui, int id);
/* Scroll view id by dy logical pixels (> 0: towards the end), as a drag would. */
void ui_scroll_by(struct ui *ui, int id, int dy);

/* What the lockdown does with an SDL event. */
enum ui_lockdown {
	UI_LOCKDOWN_PASS,    /* not a quit request: handle it normally */
	UI_LOCKDOWN_SWALLOW, /* a quit request refused in kiosk mode */
	UI_LOCKDOWN_QUIT,    /* quit */
};
/* Alt+F4, Ctrl+Q, Escape and the window's close request quit in windowed mode and are
 * swallowed in kiosk mode; SDL_QUIT (sent by SIGTERM/SIGINT, as the window's own close does
 * not send it here) quits in both. */
enum ui_lockdown ui_lockdown_classify(const union SDL_Event *e, bool kiosk);

struct ui_stats {
	unsigned long frames_drawn;   /* ui_draw() calls that drew */
	unsigned long frames_skipped; /* ui_draw() calls with nothing to draw */
	unsigned long text_renders;   /* text blocks rendered to glyphs (cache misses) */
	unsigned long text_prepared;  /* misses served by blocks ui_config.prepare's list made */
	unsigned long text_hits;      /* text blocks drawn from the cache */
	int text_entries;             /* blocks in the cache now */
	size_t text_bytes;            /* their texture bytes */
};
void ui_get_stats(const struct ui *ui, struct ui_stats *out);

/* Write 8-bit RGBA pixels (stride bytes per row) as an RGB PNG. Returns 0 or negative. */
int ui_png_write(const char *path, const uint8_t *rgba, int w, int h, int stride);

#endif
