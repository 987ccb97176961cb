/* tests/unit/test_sound.c: the synthesised sounds have the pitch and shape UI.md asks for,
 * and really reach an audio device (SDL's "disk" driver writes what it plays to a file). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <SDL.h>

#include "app/ui/sound.h"

static int16_t buf[SOUND_RATE];

/* Frequency of samples [from, to) from zero crossings. */
static double pitch(const int16_t *s, size_t from, size_t to)
{
	int crossings = 0;
	for (size_t i = from + 1; i < to; i++)
		if ((s[i - 1] < 0) != (s[i] < 0))
			crossings++;
	return crossings / 2.0 / ((double)(to - from) / SOUND_RATE);
}

static void test_ok_rises_refuse_is_low(void **state)
{
	(void)state;
	size_t n = sound_synth(SOUND_OK, 100, buf, SOUND_RATE);
	assert_true(n > SOUND_RATE / 10 && n < SOUND_RATE / 2); /* short */
	double first = pitch(buf, 200, 1800), second = pitch(buf, n - 2800, n - 200);
	assert_true(first > 800 && first < 960);
	assert_true(second > 1200 && second < 1440); /* rising */

	n = sound_synth(SOUND_REFUSE, 100, buf, SOUND_RATE);
	double a = pitch(buf, 200, 2800), b = pitch(buf, n - 2800, n - 200);
	assert_true(a > 280 && a < 380 && b > 280 && b < 380); /* low, twice */
	assert_true(n < SOUND_RATE / 2);                       /* never a continuous alarm */
	/* a silence between the two beeps */
	size_t mid = (size_t)(0.185 * SOUND_RATE);
	for (size_t i = mid - 200; i < mid + 200; i++)
		assert_int_equal(buf[i], 0);
}

static void test_volume_and_clipping(void **state)
{
	(void)state;
	size_t n = sound_synth(SOUND_CHIME, 100, buf, SOUND_RATE);
	int peak = 0;
	for (size_t i = 0; i < n; i++)
		peak = abs(buf[i]) > peak ? abs(buf[i]) : peak;
	assert_true(peak > 8000 && peak <= 12000);
	n = sound_synth(SOUND_CHIME, 0, buf, SOUND_RATE);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(sound_synth(SOUND_CHIME, 500, buf, 100), 100); /* clamps, bounded */
	assert_int_equal(sound_synth((enum sound)42, 50, buf, SOUND_RATE), 0);
}

static void test_plays_through_sdl(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/hk-sound-%d.raw", (int)getpid());
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", path, 1);
	assert_int_equal(SDL_Init(SDL_INIT_AUDIO), 0);
	assert_int_equal(sound_open(80), 0);
	sound_play(SOUND_OK);
	SDL_Delay(600);
	sound_close();
	SDL_Quit();
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	fclose(fp);
	unlink(path);
	assert_true(size >= (long)(0.26 * SOUND_RATE * 2)); /* the whole sound was played */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ok_rises_refuse_is_low),
	    cmocka_unit_test(test_volume_and_clipping),
	    cmocka_unit_test(test_plays_through_sdl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
