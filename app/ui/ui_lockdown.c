/* app/ui/ui_lockdown.c: which SDL events ask the program to quit, and which of those a kiosk
 * refuses. */
#include "app/ui/ui_priv.h"

enum ui_lockdown ui_lockdown_classify(const union SDL_Event *e, bool kiosk)
{
	enum ui_lockdown refuse = kiosk ? UI_LOCKDOWN_SWALLOW : UI_LOCKDOWN_QUIT;
	switch (e->type) {
	case SDL_QUIT:
		/* Only signals send it: the window's close is SDL_WINDOWEVENT_CLOSE because
		 * ui_open sets SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE to 0. */
		return UI_LOCKDOWN_QUIT;
	case SDL_WINDOWEVENT:
		return e->window.event == SDL_WINDOWEVENT_CLOSE ? refuse : UI_LOCKDOWN_PASS;
	case SDL_KEYDOWN: {
		SDL_Keycode k = e->key.keysym.sym;
		Uint16 mod = e->key.keysym.mod;
		if (k == SDLK_ESCAPE || (k == SDLK_F4 && (mod & KMOD_ALT)) ||
		    ((k == SDLK_q || k == SDLK_w) && (mod & (KMOD_CTRL | KMOD_GUI))))
			return refuse;
		return UI_LOCKDOWN_PASS;
	}
	default:
		return UI_LOCKDOWN_PASS;
	}
}
