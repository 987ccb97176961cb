/* app/ui/sound.h: the kiosk's few sounds (UI.md): a short rising two-tone for success, a
 * low double beep for a refusal, a soft chime when printing finishes. Synthesised, so no
 * sound files to ship; played through SDL audio without blocking the UI thread. */
#ifndef HK_UI_SOUND_H
#define HK_UI_SOUND_H

#include <stddef.h>
#include <stdint.h>

enum sound {
	SOUND_OK,     /* rising two-tone */
	SOUND_REFUSE, /* low double beep; never a continuous alarm */
	SOUND_CHIME,  /* soft, decaying: printing finished */
	SOUND_COUNT
};

#define SOUND_RATE 22050 /* samples per second, mono, signed 16-bit */

/* Synthesise sound s at volume (0..100) into out (cap samples). Returns the number of
 * samples written (the whole sound fits in SOUND_RATE samples). Pure; exposed for tests. */
size_t sound_synth(enum sound s, int volume, int16_t *out, size_t cap);

/* Open the audio device (SDL must be initialised with SDL_INIT_AUDIO). Returns 0, or -1
 * when there is no audio device: the kiosk then runs silent and says so in its log. */
int sound_open(int volume);
/* Queue a sound; returns at once. Does nothing when sound_open failed. */
void sound_play(enum sound s);
void sound_close(void);

#endif
