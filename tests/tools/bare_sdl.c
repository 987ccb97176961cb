/* tests/tools/bare_sdl.c: the baseline for the kiosk's start-up benchmark: the least an SDL
 * program does to show a frame (init, window, software renderer as the kiosk uses under X11,
 * clear, present, exit). Prints "first-frame-realtime-us=N" (CLOCK_REALTIME, microseconds,
 * after the first present) and "peak-rss-kb=N" on stdout.
 *   bare_sdl [WIDTH HEIGHT] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <SDL.h>

int main(int argc, char **argv)
{
	int w = argc > 2 ? atoi(argv[1]) : 800, h = argc > 2 ? atoi(argv[2]) : 480;
	int rc = 1;
	if (w < 1 || h < 1 || w > 7680 || h > 7680)
		return 2;
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		fprintf(stderr, "bare_sdl: SDL_Init: %s\n", SDL_GetError());
		return 1;
	}
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_Window *win = SDL_CreateWindow("bare_sdl", SDL_WINDOWPOS_CENTERED,
	                                   SDL_WINDOWPOS_CENTERED, w, h, SDL_WINDOW_SHOWN);
	if (!win) {
		fprintf(stderr, "bare_sdl: SDL_CreateWindow: %s\n", SDL_GetError());
		goto out_quit;
	}
	SDL_Renderer *ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
	if (!ren) {
		fprintf(stderr, "bare_sdl: SDL_CreateRenderer: %s\n", SDL_GetError());
		goto out_window;
	}
	SDL_SetRenderDrawColor(ren, 0x20, 0x40, 0x60, 0xff);
	SDL_RenderClear(ren);
	SDL_RenderPresent(ren);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("first-frame-realtime-us=%lld\npeak-rss-kb=%ld\n",
	       (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, ru.ru_maxrss);
	fflush(stdout);
	rc = 0;
	SDL_DestroyRenderer(ren);
out_window:
	SDL_DestroyWindow(win);
out_quit:
	SDL_Quit();
	return rc;
}
