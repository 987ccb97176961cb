/* drivers/fonts/ttf.h: SDL2_ttf, opened at first use rather than by the loader at exec. The
 * kiosk's font thread opens it while SDL connects to the display, so SDL2_ttf and the eight
 * libraries behind it (FreeType, HarfBuzz, GLib, ...) stay off the start-up path
 * (docs/performance.md). Every TTF_ call goes through the table. */
#ifndef HK_DRIVERS_TTF_H
#define HK_DRIVERS_TTF_H

#include <SDL_ttf.h>
#include <stddef.h>

#include "app/sys/sys.h"

/* clang-format off */
#define TTF_FNS(X) \
	X(TTF_Init) X(TTF_Quit) X(TTF_OpenFontIndex) X(TTF_CloseFont) X(TTF_SetFontSize) \
	X(TTF_SetFontHinting) X(TTF_FontLineSkip) X(TTF_SizeUTF8) X(TTF_RenderUTF8_Blended) \
	X(TTF_RenderUTF8_Solid)
/* clang-format on */

struct ttf_api {
	TTF_FNS(LIB_POINTER)
};

/* The table, loaded once for the process (any thread); NULL when SDL2_ttf cannot be opened,
 * with err (errlen bytes, may be NULL) saying why. The library stays loaded until exit. */
const struct ttf_api *ttf_open(char *err, size_t errlen);

#endif
