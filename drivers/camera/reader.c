/* drivers/camera/reader.c: the camera thread: grab, decode, hand the newest result over
 * through a one-slot mailbox. */
#include "drivers/camera/camera.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define READER_TEXT_MAX 8192

struct camera_reader {
	char spec[512];
	struct camera *cam; /* NULL while the camera is away */
	struct qr_decoder *dec;
	pthread_t thread;
	atomic_bool stop;
	atomic_bool active;
	int repeat_ms;

	pthread_mutex_t lock; /* guards the fields below */
	char slot[READER_TEXT_MAX];
	bool slot_full;
	struct qr_roi roi; /* the region of interest asked for */
	bool roi_new;      /* not yet handed to the decoder */
	int error;
	uint64_t grabbed, decoded;
	uint8_t preview[CAMERA_PREVIEW_MAX_W * CAMERA_PREVIEW_MAX_H]; /* the newest frame, small */
	int preview_w, preview_h;
	uint64_t preview_no; /* grabbed count when it was taken */

	/* the thread's own: the last text handed over and when */
	char last[READER_TEXT_MAX];
	int64_t last_ms;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Keep a copy of the frame scaled down (nearest neighbour, whole steps) for the screen's
 * live preview: cheap, and the UI thread never touches the camera's buffers. Under lock. */
static void preview_take(struct camera_reader *r, const struct frame *f)
{
	int step = 1;
	while (f->width / step > CAMERA_PREVIEW_MAX_W || f->height / step > CAMERA_PREVIEW_MAX_H)
		step++;
	r->preview_w = f->width / step;
	r->preview_h = f->height / step;
	for (int y = 0; y < r->preview_h; y++) {
		const uint8_t *src = f->luma + (size_t)y * (size_t)step * (size_t)f->stride;
		uint8_t *dst = r->preview + (size_t)y * (size_t)r->preview_w;
		for (int x = 0; x < r->preview_w; x++)
			dst[x] = src[(size_t)x * (size_t)step];
	}
	r->preview_no = r->grabbed;
}

static void *reader_main(void *arg)
{
	struct camera_reader *r = arg;
	char text[READER_TEXT_MAX];
	while (!atomic_load(&r->stop)) {
		if (!r->cam) {
			r->cam = camera_open(r->spec);
			if (!r->cam) {
				for (int i = 0; i < 10 && !atomic_load(&r->stop); i++)
					nanosleep(&(struct timespec){.tv_nsec = 100000000L}, NULL);
				continue;
			}
		}
		struct frame f;
		int got = camera_grab(r->cam, &f, 100);
		if (got < 0) {
			pthread_mutex_lock(&r->lock);
			r->error = got;
			pthread_mutex_unlock(&r->lock);
			if (got == -ENODEV) {
				camera_close(r->cam);
				r->cam = NULL;
			}
			continue;
		}
		if (got == 0)
			continue;
		pthread_mutex_lock(&r->lock);
		r->grabbed++;
		preview_take(r, &f);
		pthread_mutex_unlock(&r->lock);
		if (!atomic_load(&r->active))
			continue;
		pthread_mutex_lock(&r->lock);
		if (r->roi_new)
			qr_decoder_set_roi(r->dec, &r->roi);
		r->roi_new = false;
		pthread_mutex_unlock(&r->lock);
		int n = qr_decode(r->dec, &f, text, sizeof(text));
		if (n <= 0)
			continue;
		int64_t now = mono_ms();
		if (strcmp(text, r->last) == 0 && now - r->last_ms < r->repeat_ms) {
			r->last_ms = now; /* still held to the camera */
			continue;
		}
		memcpy(r->last, text, (size_t)n + 1);
		r->last_ms = now;
		pthread_mutex_lock(&r->lock);
		memcpy(r->slot, text, (size_t)n + 1);
		r->slot_full = true;
		r->decoded++;
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

struct camera_reader *camera_reader_start(const char *spec, int repeat_ms)
{
	struct camera *probe = camera_open(spec);
	if (!probe && errno == EINVAL)
		return NULL;
	struct camera_reader *r = calloc(1, sizeof(*r));
	if (!r)
		goto out_close_cam;
	snprintf(r->spec, sizeof(r->spec), "%s", spec);
	r->cam = probe;
	r->repeat_ms = repeat_ms;
	atomic_init(&r->stop, false);
	atomic_init(&r->active, true);
	r->dec = qr_decoder_new();
	if (!r->dec)
		goto out_free;
	pthread_mutex_init(&r->lock, NULL);
	if (pthread_create(&r->thread, NULL, reader_main, r) != 0)
		goto out_free_dec;
	return r;
out_free_dec:
	pthread_mutex_destroy(&r->lock);
	qr_decoder_free(r->dec);
out_free:
	free(r);
out_close_cam:
	camera_close(probe);
	return NULL;
}

void camera_reader_set_active(struct camera_reader *r, bool active)
{
	atomic_store(&r->active, active);
}

int camera_reader_set_roi(struct camera_reader *r, const struct qr_roi *roi)
{
	if (!qr_roi_valid(roi))
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	r->roi = *roi;
	r->roi_new = true;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

bool camera_reader_take(struct camera_reader *r, char *out, size_t cap)
{
	bool got = false;
	pthread_mutex_lock(&r->lock);
	if (r->slot_full && cap) {
		size_t n = strlen(r->slot);
		if (n >= cap)
			n = cap - 1;
		memcpy(out, r->slot, n);
		out[n] = '\0';
		r->slot_full = false;
		got = true;
	}
	pthread_mutex_unlock(&r->lock);
	return got;
}

int camera_reader_error(struct camera_reader *r)
{
	pthread_mutex_lock(&r->lock);
	int e = r->error;
	r->error = 0;
	pthread_mutex_unlock(&r->lock);
	return e;
}

bool camera_reader_preview(struct camera_reader *r, uint64_t *seen, uint8_t *dst, int *w, int *h)
{
	bool fresh = false;
	pthread_mutex_lock(&r->lock);
	if (r->preview_no != *seen && r->preview_w > 0) {
		memcpy(dst, r->preview, (size_t)r->preview_w * (size_t)r->preview_h);
		*w = r->preview_w;
		*h = r->preview_h;
		*seen = r->preview_no;
		fresh = true;
	}
	pthread_mutex_unlock(&r->lock);
	return fresh;
}

void camera_reader_counts(struct camera_reader *r, uint64_t *grabbed, uint64_t *decoded)
{
	pthread_mutex_lock(&r->lock);
	*grabbed = r->grabbed;
	*decoded = r->decoded;
	pthread_mutex_unlock(&r->lock);
}

void camera_reader_stop(struct camera_reader *r)
{
	if (!r)
		return;
	atomic_store(&r->stop, true);
	pthread_join(r->thread, NULL);
	camera_close(r->cam);
	qr_decoder_free(r->dec);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
