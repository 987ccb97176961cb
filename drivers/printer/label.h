/* drivers/printer/label.h: a 1-bit label bitmap at the printer's resolution, and the
 * layouts (wristband, door, meal, sample tube) that place QR codes, text, lines and risk
 * markers on it. Encoders (encode.h) turn a label into printer bytes. */
#ifndef HK_DRIVERS_PRINTER_LABEL_H
#define HK_DRIVERS_PRINTER_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/types.h"

#define LABEL_MAX_QR 8

/* Where a QR code sits in the final (media-oriented) bitmap, so an encoder can replace
 * the drawn code by the printer's own QR command. */
struct label_qr {
	int x, y;       /* top-left of the symbol without quiet zone, dots */
	int module;     /* module size, dots */
	int modules;    /* symbol width in modules (version 1: 21) */
	int ecc;        /* QR_ECLEVEL_* of libqrencode: 0 L, 1 M, 2 Q, 3 H */
	char text[512]; /* the encoded text */
};

/* A 1-bit bitmap: row-major, MSB first, bit set = black (dot burned). */
struct label {
	int width, height; /* dots; width runs across the print head */
	int dpi;           /* 203 or 300 (any value from 100 to 600 works) */
	int stride;        /* bytes per row: (width + 7) / 8 */
	uint8_t *bits;     /* stride * height bytes */
	int n_qr;
	struct label_qr qr[LABEL_MAX_QR];
	int text_shrunk;     /* texts drawn smaller than their wanted size to fit */
	int text_ellipsized; /* texts cut with an ellipsis because even the smallest size did not
	                        fit */
};

/* A blank (white) label; NULL on a bad size or no memory. Free with label_free(). */
struct label *label_new(int width, int height, int dpi);
void label_free(struct label *l);
bool label_get(const struct label *l, int x, int y); /* false outside the bitmap */
void label_set(struct label *l, int x, int y, bool black);
/* Fill a rectangle (clipped) with black or white. */
void label_fill(struct label *l, int x, int y, int w, int h, bool black);
/* A rectangle outline `t` dots thick. */
void label_box(struct label *l, int x, int y, int w, int h, int t);
/* A copy of `l`; with `without_qr` the QR symbols are cleared to white (for encoders that
 * send them as printer commands instead). NULL on no memory. */
struct label *label_clone(const struct label *l, bool without_qr);
/* Dots for a length in millimetres at this resolution (rounded to nearest). */
int label_dots(int dpi, double mm);

/* A new label: `l` turned clockwise by `degrees` (0, 90, 180, 270), QR positions moved
 * with it. NULL on a bad angle or no memory. */
struct label *label_rotate(const struct label *l, int degrees);

enum label_kind {
	LABEL_WRISTBAND,
	LABEL_DOOR,
	LABEL_MEAL,
	LABEL_SAMPLE,
	LABEL_KIND_COUNT
};

enum label_lang {
	LABEL_LANG_ZH,
	LABEL_LANG_EN,
	LABEL_LANG_BOTH, /* captions as "中文 English" */
	LABEL_LANG_COUNT
};

/* Dietary notes of a meal label, as flags; their words come from labels.json. */
enum label_diet {
	LABEL_DIET_ELDERLY = 1 << 0,
	LABEL_DIET_CHILD = 1 << 1,
	LABEL_DIET_HALAL = 1 << 2,
	LABEL_DIET_VEGETARIAN = 1 << 3,
	LABEL_DIET_SOFT = 1 << 4,
};

/* The media and how a design sits on it. */
struct label_spec {
	enum label_kind kind;
	enum label_lang lang;
	int dpi;          /* 203 or 300 */
	double width_mm;  /* across the print head (media width) */
	double length_mm; /* along the feed */
	int rotation;     /* degrees clockwise the design is turned on the media: 0, 90, 180
	                   * or 270 (a wristband is designed along its length and printed at
	                   * 90; 270 when the band feeds the other way round) */
	double qr_mm;     /* wanted QR size including quiet zone; 0: the kind's default */
	double margin_mm; /* unprinted border; 0: the kind's default */
};

/* The defaults of a kind: wristband 25 x 280 mm at 90 degrees, door label 100 x 60 mm,
 * meal label 60 x 40 mm, sample-tube label 40 x 12 mm (wrapped around a 12 mm tube), all
 * at 203 dpi in Chinese. */
struct label_spec label_spec_default(enum label_kind kind);

/* Display-ready fields: the caller masks names and formats dates; raw ID numbers never
 * reach the printer driver. Strings are UTF-8, borrowed; NULL or "" leaves a field out. */
struct label_fields {
	const char *room;         /* "1208" */
	const char *name;         /* masked: "张*明", "L** Wei" */
	const char *release;      /* planned release date, "2022-05-15" */
	enum risk risk;           /* wristband and door label marker */
	const char *token;        /* QR content: wristband token, room token or sample code */
	const char *occupants[4]; /* door label: masked names */
	bool care;             /* door label: psychological care marker (the station's red heart) */
	unsigned diet;         /* meal label: LABEL_DIET_* flags */
	const char *diet_note; /* meal label: free text, e.g. allergies */
	const char *sample_id; /* sample tube: printed code under the QR */
	const char *date;      /* sample tube: collection date */
};

struct label_kit;

/* Fonts (via fonts_find(font_config)) and captions (labels.json at strings_path), opened
 * once and reused for every label: rendering is then deterministic and fast. font_config
 * may be NULL. NULL when no font is installed or the captions do not load; *why (if not
 * NULL) then gets a short English reason for the log. Close with label_kit_close(). Not
 * thread-safe: use one kit per thread. */
struct label_kit *label_kit_open(const char *font_config, const char *strings_path,
                                 const char **why);
void label_kit_close(struct label_kit *kit);

/* Lay out one label. On success returns 0 and *out (free with label_free()); otherwise
 * -EINVAL (bad spec, missing token or room), -E2BIG (the QR does not fit the media at
 * two dots per module or more), -ENOMEM. Texts that do not fit are shrunk, then cut with
 * an ellipsis, and counted in (*out)->text_shrunk / text_ellipsized: never drawn outside
 * their box. */
int label_layout(struct label_kit *kit, const struct label_spec *spec,
                 const struct label_fields *fields, struct label **out);

/* The module size in whole dots for a QR of `modules` modules (quiet zone of 4 on each
 * side added here) to fill at most `wanted_dots`: floor(wanted / (modules + 8)). */
int label_qr_module(int wanted_dots, int modules);

#endif
