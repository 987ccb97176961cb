/* tests/unit/test_camera.c: the camera driver: image loading, the QR pipeline (on simple
 * frames made here with libqrencode, and on a fixed subset of the framegen corpus: reads
 * per distortion class, with and without ZXing-cpp, and against plain zbar), the region
 * of interest, the files: camera, and the reader thread's one-slot mailbox. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drivers/camera/camera.h"
#include <zbar.h>

static char dir[64];

/* A camera-like frame: grey background, the QR with a white quiet zone at (ox, oy). */
static uint8_t *make_frame(const char *text, int w, int h, int module, int ox, int oy)
{
	uint8_t *img = malloc((size_t)w * (size_t)h);
	memset(img, 120, (size_t)w * (size_t)h);
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(qr);
	int side = (qr->width + 8) * module;
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			int mx = x / module - 4, my = y / module - 4;
			bool dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
			            (qr->data[my * qr->width + mx] & 1);
			img[(size_t)(oy + y) * (size_t)w + (size_t)(ox + x)] = dark ? 20 : 235;
		}
	QRcode_free(qr);
	return img;
}

static void write_pgm(const char *path, const uint8_t *img, int w, int h)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fprintf(fp, "P5\n%d %d\n255\n", w, h);
	assert_int_equal(fwrite(img, 1, (size_t)w * (size_t)h, fp), (size_t)w * (size_t)h);
	fclose(fp);
}

static void write_png(const char *path, const uint8_t *img, int w, int h)
{
	png_image pi;
	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	pi.width = (png_uint_32)w;
	pi.height = (png_uint_32)h;
	pi.format = PNG_FORMAT_GRAY;
	assert_true(png_image_write_to_file(&pi, path, 0, img, w, NULL));
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hk-camera-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_decode_png_and_pgm(void **state)
{
	(void)state;
	const char *text = "SZHC1:eyJhbGciOiJFUzI1NiIsImtpZCI6ImRlbW8ifQ.payload.signature";
	uint8_t *img = make_frame(text, 640, 480, 4, 100, 60);
	char png[128], pgm[128];
	snprintf(png, sizeof(png), "%s/a.png", dir);
	snprintf(pgm, sizeof(pgm), "%s/b.pgm", dir);
	write_png(png, img, 640, 480);
	write_pgm(pgm, img, 640, 480);
	free(img);

	struct qr_decoder *d = qr_decoder_new();
	assert_non_null(d);
	const char *paths[] = {png, pgm};
	for (int i = 0; i < 2; i++) {
		int w, h;
		uint8_t *g = image_load_gray(paths[i], &w, &h);
		assert_non_null(g);
		assert_int_equal(w, 640);
		assert_int_equal(h, 480);
		char out[256];
		struct frame f = {.width = w, .height = h, .stride = w, .luma = g};
		assert_int_equal(qr_decode(d, &f, out, sizeof(out)), (int)strlen(text));
		assert_string_equal(out, text);
		/* cut to the caller's buffer, still NUL-terminated */
		assert_int_equal(qr_decode(d, &f, out, 6), 5);
		assert_string_equal(out, "SZHC1");
		free(g);
	}
	/* an empty scene decodes to nothing */
	uint8_t *empty = calloc(320 * 240, 1);
	struct frame f = {.width = 320, .height = 240, .stride = 320, .luma = empty};
	char out[64];
	assert_int_equal(qr_decode(d, &f, out, sizeof(out)), 0);
	f.stride = 10;
	assert_int_equal(qr_decode(d, &f, out, sizeof(out)), -EINVAL);
	free(empty);
	qr_decoder_free(d);
}

static void test_padded_stride(void **state)
{
	(void)state;
	uint8_t *img = make_frame("STRIDE-TEST-42", 200, 200, 3, 20, 20);
	uint8_t *padded = malloc(256 * 200);
	for (int y = 0; y < 200; y++) {
		memcpy(padded + y * 256, img + y * 200, 200);
		memset(padded + y * 256 + 200, 0, 56);
	}
	struct qr_decoder *d = qr_decoder_new();
	struct frame f = {.width = 200, .height = 200, .stride = 256, .luma = padded};
	char out[64];
	assert_int_equal(qr_decode(d, &f, out, sizeof(out)), 14);
	assert_string_equal(out, "STRIDE-TEST-42");
	qr_decoder_free(d);
	free(padded);
	free(img);
}

/* ---- the pipeline on a fixed subset of the generated corpus ---- */

struct corpus_frame {
	char file[96], cls[32], text[1024];
};

/* Generate 2 frames per class at 640x480 (seed 42) with framegen and read the manifest. */
static int corpus_load(struct corpus_frame *out, int max, char *sub, size_t subcap)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char tool[256], cmd[600];
	snprintf(tool, sizeof(tool), "%s/tools/framegen", build);
	if (access(tool, X_OK) != 0)
		snprintf(tool, sizeof(tool), "%s/san/tools/framegen", build);
	snprintf(sub, subcap, "%s/corpus", dir);
	snprintf(cmd, sizeof(cmd), "'%s' -s 42 -n 2 -r 640x480 '%s'", tool, sub);
	char path[300];
	snprintf(path, sizeof(path), "%s/manifest.tsv", sub);
	if (access(path, R_OK) != 0) /* made once, by the first test that needs it */
		assert_int_equal(system(cmd), 0);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	int n = 0;
	static char line[1400];
	while (n < max && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		char *save = NULL;
		char *file = strtok_r(line, "\t", &save), *cls = strtok_r(NULL, "\t", &save);
		char *res = strtok_r(NULL, "\t", &save), *text = strtok_r(NULL, "\t", &save);
		assert_non_null(file);
		assert_non_null(cls);
		assert_non_null(res);
		snprintf(out[n].file, sizeof(out[n].file), "%s", file);
		snprintf(out[n].cls, sizeof(out[n].cls), "%s", cls);
		snprintf(out[n].text, sizeof(out[n].text), "%s", text ? text : "");
		n++;
	}
	fclose(fp);
	return n;
}

/* Reads expected per class (of 2 frames each) for seed 42, in either build. */
static const struct {
	const char *cls;
	int reads;
} corpus_expect[] = {
    {"clean", 2},   {"rotated", 2},      {"persp-mild", 2},   {"persp-strong", 2},
    {"blurred", 1}, {"noisy", 2},        {"low-contrast", 2}, {"glare", 2},
    {"small", 2},   {"phone-screen", 2}, {"empty", 0},
};

static int expected_reads(const char *cls)
{
	for (size_t i = 0; i < sizeof(corpus_expect) / sizeof(corpus_expect[0]); i++)
		if (strcmp(corpus_expect[i].cls, cls) == 0)
			return corpus_expect[i].reads;
	fail_msg("unknown class %s", cls);
	return -1;
}

/* Decode every frame; count correct reads per class and fail on any wrong text. Returns
 * reads per class in `reads` (indexed like corpus_expect) and the paths taken. */
static void corpus_run(struct qr_decoder *d, const struct corpus_frame *fr, int n, const char *sub,
                       int *reads, enum qr_path *paths)
{
	static char out[2048];
	for (int i = 0; i < n; i++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/%s", sub, fr[i].file);
		int w, h;
		uint8_t *g = image_load_gray(path, &w, &h);
		assert_non_null(g);
		struct frame f = {.width = w, .height = h, .stride = w, .luma = g};
		int len = qr_decode(d, &f, out, sizeof(out));
		assert_true(len >= 0);
		if (len > 0) {
			if (strcmp(out, fr[i].text) != 0)
				fail_msg("%s: read something else than its code", fr[i].file);
			for (size_t k = 0; k < sizeof(corpus_expect) / sizeof(corpus_expect[0]);
			     k++)
				if (strcmp(corpus_expect[k].cls, fr[i].cls) == 0)
					reads[k]++;
		}
		struct qr_stats st;
		qr_decoder_stats(d, &st);
		paths[i] = st.last;
		free(g);
	}
}

static void test_corpus_reads_per_class(void **state)
{
	(void)state;
	static struct corpus_frame fr[32];
	char sub[128];
	int n = corpus_load(fr, 32, sub, sizeof(sub));
	assert_int_equal(n, 22);
	size_t ncls = sizeof(corpus_expect) / sizeof(corpus_expect[0]);
	/* with ZXing-cpp (when built in), then as a zbar-only build runs */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0 && !qr_decoder_has_zxing())
			continue;
		struct qr_decoder *d = qr_decoder_new();
		assert_non_null(d);
		assert_int_equal(qr_decoder_use_zxing(d, pass == 0), 0);
		int reads[16] = {0};
		enum qr_path paths[32];
		corpus_run(d, fr, n, sub, reads, paths);
		for (size_t k = 0; k < ncls; k++)
			if (reads[k] != corpus_expect[k].reads)
				fail_msg("pass %d, class %s: %d reads, expected %d", pass,
				         corpus_expect[k].cls, reads[k], corpus_expect[k].reads);
		for (int i = 0; i < n; i++) {
			/* an empty scene stops at the cheap finder check */
			if (strcmp(fr[i].cls, "empty") == 0)
				assert_int_equal(paths[i], QR_PATH_NO_FINDER);
			/* zbar alone reads strong perspective only after rectification */
			if (pass == 1 && strcmp(fr[i].cls, "persp-strong") == 0)
				assert_int_equal(paths[i], QR_PATH_RECTIFIED);
		}
		struct qr_stats st;
		qr_decoder_stats(d, &st);
		assert_int_equal(st.frames, (uint64_t)n);
		qr_decoder_free(d);
	}
	(void)expected_reads;
}

/* Plain zbar (QR only, whole frame, as the driver was) misses the skewed frames the
 * pipeline reads: the pipeline earns its place on the classes it was built for. */
static void test_corpus_beats_plain_zbar(void **state)
{
	(void)state;
	static struct corpus_frame fr[32];
	char sub[128];
	int n = corpus_load(fr, 32, sub, sizeof(sub));
	zbar_image_scanner_t *zs = zbar_image_scanner_create();
	zbar_image_scanner_set_config(zs, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(zs, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	int plain = 0, skewed_plain = 0, total = 0;
	for (int i = 0; i < n; i++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/%s", sub, fr[i].file);
		int w, h;
		uint8_t *g = image_load_gray(path, &w, &h);
		assert_non_null(g);
		zbar_image_t *zi = zbar_image_create();
		zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
		zbar_image_set_size(zi, (unsigned)w, (unsigned)h);
		zbar_image_set_data(zi, g, (unsigned long)w * (unsigned long)h, NULL);
		bool read = zbar_scan_image(zs, zi) > 0;
		zbar_image_destroy(zi);
		free(g);
		plain += read;
		if (strncmp(fr[i].cls, "persp-", 6) == 0)
			skewed_plain += read;
		total += expected_reads(fr[i].cls) > 0 ? 1 : 0;
	}
	zbar_image_scanner_destroy(zs);
	int pipeline = 0;
	for (size_t k = 0; k < sizeof(corpus_expect) / sizeof(corpus_expect[0]); k++)
		pipeline += corpus_expect[k].reads;
	assert_true(total == 20);
	assert_int_equal(skewed_plain, 0); /* 4 skewed frames, none read by plain zbar */
	assert_true(plain < pipeline);
}

static void test_region_of_interest(void **state)
{
	(void)state;
	/* the code in the left half of the frame */
	uint8_t *img = make_frame("ROI-TEST-CODE", 640, 480, 4, 40, 100);
	struct qr_decoder *d = qr_decoder_new();
	struct frame f = {.width = 640, .height = 480, .stride = 640, .luma = img};
	char out[64];
	struct qr_roi right = {0.5f, 0, 0.5f, 1}, left = {0, 0.1f, 0.5f, 0.8f};
	assert_int_equal(qr_decoder_set_roi(d, &right), 0);
	assert_int_equal(qr_decode(d, &f, out, sizeof(out)), 0);
	assert_int_equal(qr_decoder_set_roi(d, &left), 0);
	assert_int_equal(qr_decode(d, &f, out, sizeof(out)), 13);
	assert_string_equal(out, "ROI-TEST-CODE");
	struct qr_roi bad[] = {{-0.1f, 0, 0.5f, 0.5f}, {0.6f, 0, 0.5f, 0.5f}, {0, 0, 0, 1}};
	for (int i = 0; i < 3; i++) {
		assert_false(qr_roi_valid(&bad[i]));
		assert_int_equal(qr_decoder_set_roi(d, &bad[i]), -EINVAL);
	}
	assert_int_equal(qr_decoder_set_roi(d, NULL), -EINVAL);
	if (!qr_decoder_has_zxing())
		assert_int_equal(qr_decoder_use_zxing(d, true), -ENOTSUP);
	assert_int_equal(qr_decoder_use_zxing(d, false), 0);
	qr_decoder_free(d);
	free(img);
}

static void test_files_camera_folder(void **state)
{
	(void)state;
	char sub[128], path[200];
	snprintf(sub, sizeof(sub), "%s/frames", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	const char *names[] = {"02.pgm", "01.pgm"};
	const char *texts[] = {"SECOND-FRAME", "FIRST-FRAME"};
	for (int i = 0; i < 2; i++) {
		uint8_t *img = make_frame(texts[i], 320, 240, 3, 10, 10);
		snprintf(path, sizeof(path), "%s/%s", sub, names[i]);
		write_pgm(path, img, 320, 240);
		free(img);
	}
	snprintf(path, sizeof(path), "%s/notes.txt", sub);
	FILE *fp = fopen(path, "w");
	fputs("not an image", fp);
	fclose(fp);

	char spec[160];
	snprintf(spec, sizeof(spec), "files:%s", sub);
	struct camera *c = camera_open(spec);
	assert_non_null(c);
	struct qr_decoder *d = qr_decoder_new();
	struct frame f;
	char out[64];
	assert_int_equal(camera_grab(c, &f, 100), 1);
	assert_true(qr_decode(d, &f, out, sizeof(out)) > 0);
	assert_string_equal(out, "FIRST-FRAME"); /* name order */
	assert_int_equal(camera_grab(c, &f, 100), 1);
	assert_true(qr_decode(d, &f, out, sizeof(out)) > 0);
	assert_string_equal(out, "SECOND-FRAME");
	assert_int_equal(camera_grab(c, &f, 100), 0); /* nothing new */
	/* a broken image is reported, then skipped */
	snprintf(path, sizeof(path), "%s/03.png", sub);
	fp = fopen(path, "w");
	fputs("\x89PNG\r\n\x1a\n truncated", fp);
	fclose(fp);
	assert_int_equal(camera_grab(c, &f, 100), -EINVAL);
	assert_int_equal(camera_grab(c, &f, 100), 0);
	camera_close(c);
	qr_decoder_free(d);
}

static void test_reader_thread(void **state)
{
	(void)state;
	char sub[128], path[200];
	snprintf(sub, sizeof(sub), "%s/live", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	char spec[160];
	snprintf(spec, sizeof(spec), "files:%s", sub);
	struct camera_reader *r = camera_reader_start(spec, 3000);
	assert_non_null(r);
	char out[128];
	assert_false(camera_reader_take(r, out, sizeof(out)));

	/* the same code in two frames is handed over once; a new code comes through; an
	 * unread result is replaced by a newer one, never queued */
	const char *texts[] = {"CODE-A", "CODE-A", "CODE-B", "CODE-C", "CODE-D"};
	const char *expect[] = {"CODE-A", NULL, "CODE-B", NULL, "CODE-D"};
	for (int i = 0; i < 5; i++) {
		/* written under a hidden name, then renamed: the camera never sees half a file */
		char tmp[200];
		uint8_t *img = make_frame(texts[i], 320, 240, 3, 10, 10);
		snprintf(tmp, sizeof(tmp), "%s/.%02d.pgm", sub, i);
		snprintf(path, sizeof(path), "%s/%02d.pgm", sub, i);
		write_pgm(tmp, img, 320, 240);
		assert_int_equal(rename(tmp, path), 0);
		free(img);
		if (i == 3)
			continue; /* C and D arrive before anyone looks: D replaces C */
		uint64_t grabbed = 0, decoded = 0;
		for (int waited = 0; i == 4 && decoded < 4 && waited < 3000; waited += 10) {
			nanosleep(&(struct timespec){.tv_nsec = 10000000L}, NULL);
			camera_reader_counts(r, &grabbed, &decoded); /* both C and D decoded */
		}
		bool got = false;
		for (int waited = 0; waited < 3000 && !got; waited += 10) {
			nanosleep(&(struct timespec){.tv_nsec = 10000000L}, NULL);
			got = camera_reader_take(r, out, sizeof(out));
		}
		assert_int_equal(got, expect[i] != NULL);
		if (got)
			assert_string_equal(out, expect[i]);
	}
	uint64_t grabbed, decoded;
	struct qr_roi bad = {0.5f, 0.5f, 0.6f, 0.2f}, guide = {0.1f, 0.1f, 0.8f, 0.8f};
	assert_int_equal(camera_reader_set_roi(r, &bad), -EINVAL);
	assert_int_equal(camera_reader_set_roi(r, &guide), 0);
	camera_reader_counts(r, &grabbed, &decoded);
	assert_int_equal(grabbed, 5);
	assert_int_equal(decoded, 4);
	/* the live preview: the newest frame, once per new frame */
	static uint8_t preview[CAMERA_PREVIEW_MAX_W * CAMERA_PREVIEW_MAX_H];
	uint64_t seen = 0;
	int pw = 0, ph = 0;
	assert_true(camera_reader_preview(r, &seen, preview, &pw, &ph));
	assert_int_equal(pw, 320);
	assert_int_equal(ph, 240);
	assert_int_equal(seen, 5);
	assert_false(camera_reader_preview(r, &seen, preview, &pw, &ph));
	camera_reader_stop(r);
}

static void test_bad_specs(void **state)
{
	(void)state;
	assert_null(camera_open(NULL));
	assert_null(camera_open("webcam"));
	assert_null(camera_open("rpicam:641x480"));
	assert_null(camera_open("v4l2:/dev/video0,huge"));
	errno = 0;
	assert_null(camera_open("files:/nonexistent/frames"));
	assert_int_equal(errno, ENOENT);
	assert_null(camera_reader_start("webcam", 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_png_and_pgm),
	    cmocka_unit_test(test_padded_stride),
	    cmocka_unit_test(test_files_camera_folder),
	    cmocka_unit_test(test_reader_thread),
	    cmocka_unit_test(test_bad_specs),
	    cmocka_unit_test(test_region_of_interest),
	    cmocka_unit_test(test_corpus_reads_per_class),
	    cmocka_unit_test(test_corpus_beats_plain_zbar),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
