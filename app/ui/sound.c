/* app/ui/sound.c: tone synthesis and playback through an SDL audio queue. */
#include "app/ui/sound.h"

#include <math.h>
#include <SDL.h>

struct tone {
	double hz;
	int ms;
	double decay; /* exponential decay per second; 0 for a flat tone */
};

/* Each sound is a few tones separated by short silences (hz = 0). */
static const struct tone sounds[SOUND_COUNT][4] = {
    [SOUND_OK] = {{880, 90, 0}, {0, 30, 0}, {1320, 140, 0}, {0, 0, 0}},
    [SOUND_REFUSE] = {{330, 140, 0}, {0, 90, 0}, {330, 140, 0}, {0, 0, 0}},
    [SOUND_CHIME] = {{1047, 450, 5.0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}},
};

static SDL_AudioDeviceID device;
static int play_volume = 60;

size_t sound_synth(enum sound s, int volume, int16_t *out, size_t cap)
{
	if ((unsigned)s >= SOUND_COUNT)
		return 0;
	if (volume < 0)
		volume = 0;
	if (volume > 100)
		volume = 100;
	double amp = 12000.0 * volume / 100.0;
	size_t n = 0;
	for (int t = 0; t < 4 && sounds[s][t].ms > 0; t++) {
		const struct tone *tn = &sounds[s][t];
		size_t len = (size_t)tn->ms * SOUND_RATE / 1000;
		size_t ramp = SOUND_RATE / 200; /* 5 ms fade in and out: no clicks */
		for (size_t i = 0; i < len && n < cap; i++, n++) {
			double x = 0;
			if (tn->hz > 0) {
				double sec = (double)i / SOUND_RATE;
				double env = 1.0;
				if (i < ramp)
					env = (double)i / ramp;
				if (len - i < ramp)
					env = (double)(len - i) / ramp;
				if (tn->decay > 0)
					env *= exp(-tn->decay * sec);
				x = amp * env * sin(2 * M_PI * tn->hz * sec);
			}
			out[n] = (int16_t)lrint(x);
		}
	}
	return n;
}

int sound_open(int volume)
{
	play_volume = volume;
	SDL_AudioSpec want = {
	    .freq = SOUND_RATE, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024};
	device = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
	if (!device)
		return -1;
	SDL_PauseAudioDevice(device, 0);
	return 0;
}

void sound_play(enum sound s)
{
	static int16_t buf[SOUND_RATE];
	if (!device)
		return;
	size_t n = sound_synth(s, play_volume, buf, SOUND_RATE);
	SDL_ClearQueuedAudio(device); /* a new sound replaces one still playing */
	SDL_QueueAudio(device, buf, (Uint32)(n * sizeof(int16_t)));
}

void sound_close(void)
{
	if (device)
		SDL_CloseAudioDevice(device);
	device = 0;
}
