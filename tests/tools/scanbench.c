/* tests/tools/scanbench.c: decode image files (PGM, PNG) through the kiosk's camera
 * pipeline and print, per file, the CPU time and the decoded text (empty when none).
 * Usage: scanbench [-e ENGINE] [-n REPEAT] [-r X,Y,W,H] [-q] FILE...
 *   ENGINE: pipeline (the kiosk's, the default), pipeline-zbar (the same without ZXing-cpp,
 *   as a build without it), zbar-default (zbar as zbarimg runs it: every symbology),
 *   zbar-qr (zbar, QR only, whole frame); -r: the region of interest in fractions.
 * Output lines: FILE <tab> CPU microseconds (median of REPEAT runs) <tab> pipeline step
 * that ended it ("-" for plain zbar) <tab> decoded text (empty when none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zbar.h>

#include "drivers/camera/camera.h"

static long long cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* zbar as `zbarimg` runs it: a default image scanner, every symbology on. */
static int zbar_default_decode(zbar_image_scanner_t *sc, const struct frame *f, char *out,
                               size_t cap)
{
	zbar_image_t *img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)f->width, (unsigned)f->height);
	zbar_image_set_data(img, f->luma, (unsigned long)f->width * (unsigned long)f->height, NULL);
	int n = zbar_scan_image(sc, img);
	int len = 0;
	out[0] = '\0';
	for (const zbar_symbol_t *s = zbar_image_first_symbol(img); n > 0 && s;
	     s = zbar_symbol_next(s)) {
		if (zbar_symbol_get_type(s) != ZBAR_QRCODE)
			continue;
		size_t dl = zbar_symbol_get_data_length(s);
		if (dl >= cap)
			dl = cap - 1;
		memcpy(out, zbar_symbol_get_data(s), dl);
		out[dl] = '\0';
		len = (int)dl;
		break;
	}
	zbar_image_destroy(img);
	return len;
}

enum engine {
	ENGINE_PIPELINE,
	ENGINE_PIPELINE_ZBAR,
	ENGINE_ZBAR_DEFAULT,
	ENGINE_ZBAR_QR
};

int main(int argc, char **argv)
{
	enum engine eng = ENGINE_PIPELINE;
	int repeat = 1;
	bool quiet = false;
	struct qr_roi roi = {0, 0, 1, 1};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
			const char *e = argv[++i];
			if (strcmp(e, "pipeline") == 0)
				eng = ENGINE_PIPELINE;
			else if (strcmp(e, "pipeline-zbar") == 0)
				eng = ENGINE_PIPELINE_ZBAR;
			else if (strcmp(e, "zbar-default") == 0)
				eng = ENGINE_ZBAR_DEFAULT;
			else if (strcmp(e, "zbar-qr") == 0)
				eng = ENGINE_ZBAR_QR;
			else
				goto usage;
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			repeat = atoi(argv[++i]);
			if (repeat < 1 || repeat > 100)
				goto usage;
		} else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
			if (sscanf(argv[++i], "%f,%f,%f,%f", &roi.x, &roi.y, &roi.w, &roi.h) != 4)
				goto usage;
		} else if (strcmp(argv[i], "-q") == 0) {
			quiet = true;
		} else {
			goto usage;
		}
	}
	if (i >= argc)
		goto usage;
	struct qr_decoder *dec = qr_decoder_new();
	zbar_image_scanner_t *zs = zbar_image_scanner_create();
	if (!dec || !zs)
		return 1;
	if (qr_decoder_set_roi(dec, &roi) != 0)
		goto usage;
	if (eng == ENGINE_PIPELINE_ZBAR)
		qr_decoder_use_zxing(dec, false);
	if (eng == ENGINE_ZBAR_QR) {
		zbar_image_scanner_set_config(zs, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
		zbar_image_scanner_set_config(zs, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	}
	static char text[8192];
	long long times[100];
	int status = 0;
	for (; i < argc; i++) {
		int w, h;
		uint8_t *g = image_load_gray(argv[i], &w, &h);
		if (!g) {
			fprintf(stderr, "scanbench: %s: cannot read the image\n", argv[i]);
			status = 1;
			continue;
		}
		struct frame f = {.width = w, .height = h, .stride = w, .luma = g};
		int len = 0;
		for (int k = 0; k < repeat; k++) {
			long long t0 = cpu_ns();
			if (eng == ENGINE_PIPELINE || eng == ENGINE_PIPELINE_ZBAR)
				len = qr_decode(dec, &f, text, sizeof(text));
			else
				len = zbar_default_decode(zs, &f, text, sizeof(text));
			times[k] = cpu_ns() - t0;
		}
		qsort(times, (size_t)repeat, sizeof(times[0]), cmp_ll);
		if (len < 0)
			text[0] = '\0';
		struct qr_stats st;
		qr_decoder_stats(dec, &st);
		const char *path = eng == ENGINE_PIPELINE || eng == ENGINE_PIPELINE_ZBAR
		                       ? qr_path_name(st.last)
		                       : "-";
		if (!quiet)
			printf("%s\t%lld\t%s\t%s\n", argv[i], times[repeat / 2] / 1000, path, text);
		free(g);
	}
	zbar_image_scanner_destroy(zs);
	qr_decoder_free(dec);
	return status;
usage:
	fprintf(stderr, "usage: scanbench [-e pipeline|pipeline-zbar|zbar-default|zbar-qr] "
	                "[-n REPEAT] [-r X,Y,W,H] [-q] FILE...\n");
	return 2;
}
