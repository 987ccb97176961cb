/* tests/tools/bench_ui.c: frame time of the entrance attract screen (a real flow in
 * FLOW_ATTRACT, screen_entrance_build() with the camera preview) in a real window: with a
 * 1280x720 grey camera frame handed over every frame, unchanged (ui_draw() skips it), and
 * redrawn in full every frame (two languages in turn, text from the cache) as the baseline.
 * Needs a display (tests/bench/bench_ui.sh runs it under Xvfb) and assets/ in the current
 * directory. Prints one line per figure for tests/bench/run.sh.
 *   bench_ui [SECONDS per case, default 2] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/core/reason_text.h"
#include "app/core/screen_entrance.h"
#include "app/core/strings.h"
#include "app/ui/ui.h"

enum {
	CAM_W = 1280,
	CAM_H = 720,
	CAM_FRAMES = 8,
	MAX_FRAMES = 4000,
	MIN_FRAMES = 20
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median and 95th percentile of t[0..n) (sorted in place). */
static void stats(double *t, int n, double *median, double *p95)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	*median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	*p95 = t[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1];
}

static int load(struct strings *s, const char *path, bool reasons)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_ui: cannot read %s (run from the repository root)\n", path);
		return -ENOENT;
	}
	int rc = -EIO;
	char *json = malloc(4 << 20);
	if (!json)
		goto out_close;
	size_t len = fread(json, 1, (4 << 20) - 1, f);
	json[len] = '\0';
	char err[200] = "";
	rc = reasons ? reason_text_add_json(s, json, len, err, sizeof(err))
	             : strings_add_json(s, json, len, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "bench_ui: %s: %s\n", path, err);
	free(json);
out_close:
	fclose(f);
	return rc;
}

/* Camera-like grey frames: a lit gradient, a moving bright card, a little noise. */
static void make_frames(uint8_t *y, int count)
{
	unsigned seed = 12345;
	for (int k = 0; k < count; k++) {
		uint8_t *p = y + (size_t)k * CAM_W * CAM_H;
		int cx = CAM_W / 3 + k * 16;
		for (int j = 0; j < CAM_H; j++)
			for (int i = 0; i < CAM_W; i++) {
				int v = 70 + (i * 90) / CAM_W + (j * 40) / CAM_H;
				if (i > cx && i < cx + CAM_W / 3 && j > CAM_H / 4 &&
				    j < 3 * CAM_H / 4)
					v = 220;
				seed = seed * 1103515245u + 12345u;
				v += (int)((seed >> 16) % 9) - 4;
				p[(size_t)j * CAM_W + i] = (uint8_t)v;
			}
	}
}

struct result {
	double median, p95;
	int frames, drawn;
};

enum bench_case {
	CASE_PREVIEW,
	CASE_STATIC,
	CASE_REDRAW
};

static int run_case(struct ui *ui, enum bench_case c, struct display_list *const dl[2],
                    const uint8_t *cam, double seconds, double *t, struct result *r)
{
	memset(r, 0, sizeof(*r));
	double end = now_ms() + seconds * 1e3;
	int n = 0;
	while (n < MAX_FRAMES && (n < MIN_FRAMES || now_ms() < end)) {
		double s = now_ms();
		if (c == CASE_PREVIEW &&
		    ui_image_set(ui, DL_IMAGE_CAMERA,
		                 cam + (size_t)(n % CAM_FRAMES) * CAM_W * CAM_H, CAM_W, CAM_H,
		                 CAM_W, UI_PIXELS_GRAY8) != 0)
			return -EIO;
		int drew = ui_draw(ui, dl[c == CASE_REDRAW ? n % 2 : 0]);
		t[n++] = now_ms() - s;
		if (drew < 0)
			return -EIO;
		r->drawn += drew;
	}
	r->frames = n;
	stats(t, n, &r->median, &r->p95);
	return 0;
}

static int bench_size(const struct strings *s, int w, int h, const uint8_t *cam, double seconds)
{
	int rc = -ENOMEM;
	struct ui *ui = ui_open(w, h, UI_WINDOWED | UI_SOFTWARE);
	if (!ui)
		return -EIO;
	struct display_list *dl[2] = {malloc(sizeof(struct display_list)),
	                              malloc(sizeof(struct display_list))};
	struct flow_entrance *f = malloc(sizeof(*f));
	double *t = malloc(MAX_FRAMES * sizeof(double));
	if (!dl[0] || !dl[1] || !f || !t)
		goto out;
	rc = -EINVAL;
	struct layout l;
	layout_init(&l, w, h);
	struct screen_entrance_extra x = {.camera = true, .sync_waiting = -1};
	for (int k = 0; k < 2; k++) {
		if (flow_entrance_init(f, NULL) != 0 || f->state != FLOW_ATTRACT)
			goto out;
		f->lang = k == 0 ? FLOW_LANG_ZH : FLOW_LANG_EN;
		if (screen_entrance_build(dl[k], &l, s, f, &x) != 0)
			goto out;
	}
	/* warm up: fonts, text cache and the preview texture, as a kiosk that has been up */
	ui_image_set(ui, DL_IMAGE_CAMERA, cam, CAM_W, CAM_H, CAM_W, UI_PIXELS_GRAY8);
	ui_draw(ui, dl[1]);
	ui_draw(ui, dl[0]);
	struct result r[3];
	struct ui_stats before, after;
	static const char *const names[] = {"preview", "static", "redraw"};
	for (int c = 0; c < 3; c++) {
		ui_get_stats(ui, &before);
		rc = run_case(ui, (enum bench_case)c, dl, cam, seconds, t, &r[c]);
		ui_get_stats(ui, &after);
		if (rc != 0) {
			fprintf(stderr, "bench_ui: %s at %dx%d: drawing failed\n", names[c], w, h);
			goto out;
		}
		r[c].drawn = (int)(after.frames_drawn - before.frames_drawn);
		if (after.text_renders != before.text_renders)
			fprintf(stderr, "bench_ui: %s at %dx%d: %lu text renders (cache misses)\n",
			        names[c], w, h, after.text_renders - before.text_renders);
	}
	const double budget = 1000.0 / 60;
	printf("ui_frame_preview_%dx%d: median %.2f ms, p95 %.2f ms a frame (attract screen, "
	       "1280x720 grey camera frame set every frame; %d frames, %.0f%% of a 60 fps frame; "
	       "%.1fx the full redraw)\n",
	       w, h, r[0].median, r[0].p95, r[0].frames, 100 * r[0].median / budget,
	       r[0].median / r[2].median);
	printf("ui_frame_static_%dx%d: median %.2f us, p95 %.2f us a frame (unchanged list: "
	       "%d of %d frames drawn; 1/%.0f of the full redraw)\n",
	       w, h, r[1].median * 1e3, r[1].p95 * 1e3, r[1].drawn, r[1].frames,
	       r[1].median > 0 ? r[2].median / r[1].median : 0.0);
	printf("ui_frame_redraw_%dx%d: median %.2f ms, p95 %.2f ms a frame (baseline: the attract "
	       "screen drawn in full every frame, zh/en in turn, text from the cache; %d frames)\n",
	       w, h, r[2].median, r[2].p95, r[2].frames);
	fflush(stdout);
	rc = 0;
out:
	free(t);
	free(f);
	free(dl[0]);
	free(dl[1]);
	ui_close(ui);
	return rc;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2;
	if (seconds <= 0 || seconds > 600)
		return 2;
	int rc = 1;
	uint8_t *cam = malloc((size_t)CAM_FRAMES * CAM_W * CAM_H);
	struct strings *s = strings_new();
	if (!cam || !s)
		goto out;
	if (load(s, "assets/strings/ui.json", false) < 0 ||
	    load(s, "assets/strings/reasons.json", true) < 0)
		goto out;
	make_frames(cam, CAM_FRAMES);
	static const int sizes[][2] = {{800, 480}, {1920, 1080}};
	rc = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (bench_size(s, sizes[i][0], sizes[i][1], cam, seconds) != 0)
			rc = 1;
out:
	strings_free(s);
	free(cam);
	return rc;
}
