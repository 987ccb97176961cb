/* drivers/fonts/fonts.h: find a CJK-capable font file on this system, for the screen
 * (app/ui) and the label renderer (drivers/printer). */
#ifndef HK_DRIVERS_FONTS_H
#define HK_DRIVERS_FONTS_H

#include <stdbool.h>

enum font_weight {
	FONT_REGULAR,
	FONT_BOLD,
};

struct font_file {
	char path[512];
	int face; /* face index inside a .ttc collection (TTF_OpenFontIndex) */
};

/* Find a font for Simplified Chinese and Latin text. `configured` (may be NULL or "")
 * is a path from configuration, tried first: "FILE" or "FILE#FACE". Then Noto Sans CJK SC
 * (fonts-noto-cjk), then WenQuanYi Micro Hei (fonts-wqy-microhei). Falls back to the
 * regular weight when no bold file exists. Returns false, with out->path empty, when
 * nothing usable is installed. */
bool fonts_find(const char *configured, enum font_weight weight, struct font_file *out);

#endif
