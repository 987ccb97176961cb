/* app/core/display.h: a screen as data. A display list is a fixed-size list of plain draw
 * commands in logical pixels (fills, buttons, text boxes, icons, image slots, a scrolling
 * long-text view); struct layout holds the sizes UI.md asks for at a given screen size. */
#ifndef HK_CORE_DISPLAY_H
#define HK_CORE_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DL_MAX_CMDS   192   /* commands per screen */
#define DL_TEXT_BYTES 49152 /* UTF-8 text of all commands together, NUL-terminated each */

struct dl_color {
	uint8_t r, g, b, a;
};

struct dl_rect {
	int x, y, w, h; /* logical pixels; (0,0) is the top-left corner of the screen */
};

/* The colours of UI.md: verdict backgrounds carry white text at >= 4.5:1. */
#define DL_GREEN    ((struct dl_color){0x1B, 0x7F, 0x3B, 0xFF})
#define DL_AMBER    ((struct dl_color){0x8A, 0x53, 0x00, 0xFF})
#define DL_RED      ((struct dl_color){0xB3, 0x26, 0x1E, 0xFF})
#define DL_NEUTRAL  ((struct dl_color){0x1F, 0x3A, 0x5F, 0xFF})
#define DL_WHITE    ((struct dl_color){0xFF, 0xFF, 0xFF, 0xFF})
#define DL_INK      ((struct dl_color){0x1A, 0x1A, 0x1A, 0xFF}) /* body text on paper */
#define DL_MUTED    ((struct dl_color){0x4A, 0x4F, 0x57, 0xFF}) /* secondary text, 7.6:1 on paper */
#define DL_PAPER    ((struct dl_color){0xF7, 0xF5, 0xF0, 0xFF}) /* screen background */
#define DL_CARD     ((struct dl_color){0xFF, 0xFF, 0xFF, 0xFF})
#define DL_LINE     ((struct dl_color){0xC9, 0xCD, 0xD3, 0xFF}) /* borders, inactive steps */
#define DL_DISABLED ((struct dl_color){0xE3, 0xE5, 0xE8, 0xFF}) /* disabled button */
#define DL_SCRIM    ((struct dl_color){0x00, 0x00, 0x00, 0xB0}) /* behind a modal overlay */

enum dl_kind {
	DL_FILL,        /* a (rounded) rectangle; with modal set it also blocks touches below */
	DL_BUTTON,      /* a rounded rectangle that hit-tests to id; its label is a DL_TEXT */
	DL_TEXT,        /* text in a box */
	DL_ICON,        /* a vector shape drawn by the renderer */
	DL_IMAGE,       /* pixels supplied at run time for a slot (camera preview, QR) */
	DL_SCROLL_TEXT, /* long text scrolled by touch or wheel; id names its scroll state */
};

/* Text sizes; the pixel size of each at a screen size is in struct layout. */
enum dl_role {
	DL_SMALL,   /* staff-facing codes and footers only; never what a resident must read */
	DL_BODY,    /* everything a resident reads */
	DL_HEADING, /* 1.5x body */
	DL_DISPLAY, /* the one word of a verdict screen: 3x body */
	DL_HUGE,    /* the room number: >= 1/4 of the screen height in landscape */
	DL_ROLE_COUNT
};

enum dl_weight {
	DL_REGULAR,
	DL_BOLD,
};

enum dl_align {
	DL_LEFT,
	DL_CENTER,
	DL_RIGHT,
};

/* Flags of a DL_TEXT command. */
enum {
	DL_WRAP = 1 << 0, /* break into lines at the box width (CJK anywhere, Latin at spaces) */
	DL_MUST_FIT = 1 << 1, /* reported by ui_measure_overflows() when it does not fit its box */
	DL_MIDDLE = 1 << 2,   /* centre vertically in the box (default: top) */
	DL_BOTTOM = 1 << 3,   /* align to the bottom of the box */
};

enum dl_icon {
	DL_ICON_CHECK,     /* valid: a tick in a disc */
	DL_ICON_CROSS,     /* refused: a cross in a disc */
	DL_ICON_ATTENTION, /* attention: an exclamation mark in a triangle */
	DL_ICON_PHONE_QR,  /* attract: a phone showing a QR code */
	DL_ICON_PRINTER,   /* wristband printing */
	DL_ICON_PERSON,    /* staff / call staff */
	DL_ICON_COUNT
};

enum dl_image_slot {
	DL_IMAGE_CAMERA, /* live camera preview; drawn with a guide frame */
	DL_IMAGE_QR,     /* a QR code or other picture handed in by the program */
	DL_IMAGE_SLOT_COUNT
};

struct dl_cmd {
	enum dl_kind kind;
	struct dl_rect rect;
	struct dl_color color;  /* fill, text or icon colour */
	struct dl_color color2; /* BUTTON: border (a == 0: none); ICON: cut-out colour */
	int radius;             /* FILL, BUTTON: corner radius */
	int id;                 /* BUTTON: hit-test id > 0; SCROLL_TEXT: view id > 0 */
	bool enabled;           /* BUTTON: false draws it greyed and hit-tests to nothing */
	bool modal;             /* FILL: touches inside it never reach commands below */
	enum dl_role role;      /* TEXT, SCROLL_TEXT */
	int px;                 /* TEXT, SCROLL_TEXT: font size in pixels, from the layout */
	enum dl_weight weight;
	enum dl_align align;
	unsigned flags; /* DL_WRAP | DL_MUST_FIT | DL_MIDDLE | DL_BOTTOM */
	int icon;       /* ICON: enum dl_icon; IMAGE: enum dl_image_slot */
	size_t text;    /* TEXT, SCROLL_TEXT: offset of the NUL-terminated text in dl->text */
};

/* Sizes for one screen size. Units scale with the short side s = min(width, height):
 * body = 28 px at s = 480 rising linearly to 40 px at s = 1080 (never below 28). */
struct layout {
	int width, height; /* logical pixels */
	bool portrait;     /* height > width */
	int px[DL_ROLE_COUNT];
	int line_h[DL_ROLE_COUNT]; /* height to reserve per line of text: 1.5x its size (Noto CJK
	                            * needs 1.45x, WenQuanYi less) */
	int target_h;              /* minimum height of a touch target: 64 px at s = 480 */
	int gap;                   /* minimum space between touch targets: 16 px at s = 480 */
	int margin;                /* space kept free along the screen edges */
	int radius;                /* corner radius of buttons and cards */
	int bar_h; /* height of the top bar (steps, language) and the bottom bar (actions) */
	struct dl_rect top_bar, content, bottom_bar; /* the three bands of every screen */
};

/* Fill *l for a screen of width x height logical pixels (both > 0). */
void layout_init(struct layout *l, int width, int height);

/* A generous estimate of the width of one line of text at a role's size, for sizing buttons
 * before a font is at hand (CJK 1 em, Latin capitals 0.68 em, other Latin 0.26-0.8 em, bold 5%
 * more); the renderer's overflow report (ui_measure_overflows) has the last word. */
int layout_estimate_width(const struct layout *l, const char *text, enum dl_role role,
                          enum dl_weight weight);

struct display_list {
	int width, height; /* the logical coordinate space */
	int count;
	bool full; /* a command or text did not fit; the list is incomplete */
	size_t text_used;
	struct dl_cmd cmds[DL_MAX_CMDS];
	char text[DL_TEXT_BYTES];
};

/* Empty *dl for a screen of width x height. A display_list is ~60 KB: keep it static or on
 * the heap rather than on a small stack. */
void dl_init(struct display_list *dl, int width, int height);

/* Each dl_add_* appends one command and returns its index, or -1 (and sets dl->full) when
 * the list or its text space is full. Text is copied; `text` is borrowed. */
int dl_add_fill(struct display_list *dl, struct dl_rect r, struct dl_color c, int radius);
/* A full-screen scrim that blocks touches to everything drawn before it. */
int dl_add_modal(struct display_list *dl, struct dl_rect r, struct dl_color c, int radius);
/* A button: rounded rect of colour `fill` (border `border`, a == 0 for none), hit-testing to
 * id (> 0) when enabled. Its label is added separately (dl_add_button_label does both). */
int dl_add_button(struct display_list *dl, struct dl_rect r, int id, struct dl_color fill,
                  struct dl_color border, int radius, bool enabled);
/* Text in box r at the layout's size for `role`. */
int dl_add_text(struct display_list *dl, const struct layout *l, struct dl_rect r, const char *text,
                enum dl_role role, enum dl_weight weight, struct dl_color c, enum dl_align align,
                unsigned flags);
/* Button plus its centred, wrapped, must-fit label (bold, body size); returns the index of
 * the button command. Inner padding is l->gap on the left and right. A disabled button is
 * drawn grey with muted ink whatever the colours given, so it still reads at >= 4.5:1. */
int dl_add_button_label(struct display_list *dl, const struct layout *l, struct dl_rect r, int id,
                        const char *label, struct dl_color fill, struct dl_color ink, bool enabled);
int dl_add_icon(struct display_list *dl, struct dl_rect r, enum dl_icon icon, struct dl_color fg,
                struct dl_color cutout);
int dl_add_image(struct display_list *dl, struct dl_rect r, enum dl_image_slot slot);
/* Long text (plain text with "# " / "## " heading lines, "- " bullets, blank lines between
 * paragraphs) in box r, scrolled by the renderer; id (> 0) names the scroll state. */
int dl_add_scroll_text(struct display_list *dl, const struct layout *l, struct dl_rect r, int id,
                       const char *text, struct dl_color c);
/* A step indicator across r: n numbered discs with labels, step `current` (0-based)
 * highlighted, earlier steps ticked as done. When the labels do not all fit (estimated),
 * only the current step keeps its label, and when that does not fit either, none does. Emits fills
 * and texts; returns the index of the first command, or -1. */
int dl_add_steps(struct display_list *dl, const struct layout *l, struct dl_rect r,
                 const char *const *labels, int n, int current, struct dl_color accent);
/* A horizontal progress bar across r, `permille` (0..1000) filled. */
int dl_add_progress(struct display_list *dl, struct dl_rect r, int permille, struct dl_color fg,
                    struct dl_color bg);

/* The text of command i (never NULL; "" for commands without text). */
const char *dl_text(const struct display_list *dl, int i);

/* The id of the enabled button under point (x, y), the top-most one when buttons overlap;
 * 0 when there is none or a modal fill drawn above the buttons covers the point. */
int dl_hit_test(const struct display_list *dl, int x, int y);

/* True when both lists draw the same thing (cheap: compares only the used parts). */
bool dl_equal(const struct display_list *a, const struct display_list *b);

/* Rectangle helpers. */
bool dl_rect_contains(struct dl_rect r, int x, int y);
struct dl_rect dl_rect_inset(struct dl_rect r, int d);
/* Cut a band of h (or w) off one side of *r and return it; *r shrinks by the band and gap. */
struct dl_rect dl_rect_take_top(struct dl_rect *r, int h, int gap);
struct dl_rect dl_rect_take_bottom(struct dl_rect *r, int h, int gap);
struct dl_rect dl_rect_take_left(struct dl_rect *r, int w, int gap);
struct dl_rect dl_rect_take_right(struct dl_rect *r, int w, int gap);

#endif
