/* drivers/fonts/ttf.c: the SDL2_ttf function table, bound once. */
#include "drivers/fonts/ttf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

static struct ttf_api api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool loaded;
static char error[256];

static void load_once(void)
{
	void *lib = lib_open("libSDL2_ttf-2.0.so.0", error, sizeof(error));
#define BIND(fn) &&(api.fn = (__typeof__(api.fn))lib_sym(lib, #fn, error, sizeof(error)))
	loaded = lib TTF_FNS(BIND);
#undef BIND
}

const struct ttf_api *ttf_open(char *err, size_t errlen)
{
	pthread_once(&once, load_once);
	if (!loaded && err && errlen)
		snprintf(err, errlen, "%s (is libsdl2-ttf-2.0-0 installed?)", error);
	return loaded ? &api : NULL;
}
