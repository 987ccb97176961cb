/* drivers/camera/qr.c: the QR pipeline: region of interest, ZXing-cpp when built in, a
 * finder-pattern gate, zbar (QR only) on the code's area, perspective rectification and
 * contrast normalisation as fallbacks. Steps and figures: docs/performance.md. */
#include "drivers/camera/camera.h"
#include "drivers/camera/scan.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#define FINDERS_MAX 64
#define RECTIFY_PX  3 /* pixels per module in a rectified code */

struct qr_decoder {
	zbar_image_scanner_t *scanner;
	struct qr_roi roi;
	bool zxing;
	struct qr_stats stats;
	uint8_t *buf; /* a crop or rectified code, packed */
	size_t buf_cap;
	uint8_t *norm; /* its contrast-normalised copy */
	size_t norm_cap;
	int64_t *sums; /* integral images for the normalisation */
	size_t sums_cap;
};

static const char *const path_names[QR_PATH_COUNT] = {
    "none", "no-finder", "zxing", "zbar", "rectified", "normalised",
};

const char *qr_path_name(enum qr_path p)
{
	return (unsigned)p < QR_PATH_COUNT ? path_names[p] : "?";
}

bool qr_decoder_has_zxing(void)
{
	return zxing_available();
}

struct qr_decoder *qr_decoder_new(void)
{
	struct qr_decoder *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->scanner = zbar_image_scanner_create();
	if (!d->scanner) {
		free(d);
		return NULL;
	}
	/* Every symbology off, then QR on: half the cost of zbar's defaults for the same
	 * reads (PITFALLS.md), and no stray EAN reads from printed text. */
	zbar_image_scanner_set_config(d->scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(d->scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	d->roi = (struct qr_roi){0, 0, 1, 1};
	d->zxing = zxing_available();
	return d;
}

void qr_decoder_free(struct qr_decoder *d)
{
	if (!d)
		return;
	zbar_image_scanner_destroy(d->scanner);
	free(d->buf);
	free(d->norm);
	free(d->sums);
	free(d);
}

bool qr_roi_valid(const struct qr_roi *roi)
{
	return roi && roi->x >= 0 && roi->y >= 0 && roi->w > 0 && roi->h > 0 &&
	       roi->x + roi->w <= 1.0001f && roi->y + roi->h <= 1.0001f;
}

int qr_decoder_set_roi(struct qr_decoder *d, const struct qr_roi *roi)
{
	if (!qr_roi_valid(roi))
		return -EINVAL;
	d->roi = *roi;
	return 0;
}

int qr_decoder_use_zxing(struct qr_decoder *d, bool on)
{
	if (on && !zxing_available())
		return -ENOTSUP;
	d->zxing = on;
	return 0;
}

void qr_decoder_stats(const struct qr_decoder *d, struct qr_stats *out)
{
	*out = d->stats;
}

static int grow(void **p, size_t *cap, size_t need)
{
	if (*cap >= need)
		return 0;
	void *n = realloc(*p, need);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = need;
	return 0;
}

/* zbar on a packed w x h image. */
static int zbar_read(struct qr_decoder *d, const uint8_t *img, int w, int h, char *out, size_t cap)
{
	zbar_image_t *zi = zbar_image_create();
	if (!zi)
		return -ENOMEM;
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, (unsigned)w, (unsigned)h);
	zbar_image_set_data(zi, img, (unsigned long)w * (unsigned long)h, NULL);
	int n = zbar_scan_image(d->scanner, zi);
	int len = 0;
	for (const zbar_symbol_t *s = zbar_image_first_symbol(zi); n > 0 && s;
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
	zbar_image_destroy(zi);
	return len;
}

/* ZXing then zbar on a packed image; the first read wins. */
static int both_read(struct qr_decoder *d, const uint8_t *img, int w, int h, char *out, size_t cap)
{
	int n = 0;
	if (d->zxing)
		n = zxing_decode(img, w, h, w, out, cap);
	if (n == 0)
		n = zbar_read(d, img, w, h, out, cap);
	return n;
}

/* A finder's module size along the unit direction (dx, dy). */
static float module_along(const struct finder *f, float dx, float dy)
{
	return fabsf(dx) * f->mh + fabsf(dy) * f->mv;
}

/* How much farther finder b is than finder a (the homography's w at b, a's being 1): a
 * pattern shrinks with 1/w across the line joining them and with 1/w^2 along it. The two
 * estimates are averaged. *span receives how many modules apart they are. */
static float farther(const struct finder *a, const struct finder *b, float *span)
{
	float dx = b->x - a->x, dy = b->y - a->y, len = hypotf(dx, dy);
	dx /= len;
	dy /= len;
	float across = module_along(a, -dy, dx) / module_along(b, -dy, dx);
	float along = sqrtf(module_along(a, dx, dy) / module_along(b, dx, dy));
	float w = fminf(fmaxf((across + along) / 2, 0.6f), 1.7f);
	*span = len * w / module_along(a, dx, dy);
	return w;
}

/* The code's four finder-centre corners (clockwise from the corner finder), the fourth
 * from how much farther the other two finders are (the homography's numerator is affine
 * across the plane, its denominator w linear); *span: finder centres apart, in modules
 * (the code's side less 7). */
static void code_quad(const struct finder t[3], float q[4][2], float *span)
{
	float sa, sb;
	float w1 = farther(&t[0], &t[1], &sa), w2 = farther(&t[0], &t[2], &sb);
	float den = w1 + w2 - 1;
	q[0][0] = t[0].x;
	q[0][1] = t[0].y;
	q[1][0] = t[1].x;
	q[1][1] = t[1].y;
	q[2][0] = (t[1].x * w1 + t[2].x * w2 - t[0].x) / den;
	q[2][1] = (t[1].y * w1 + t[2].y * w2 - t[0].y) / den;
	q[3][0] = t[2].x;
	q[3][1] = t[2].y;
	*span = (sa + sb) / 2;
}

static int decode_region(struct qr_decoder *d, const uint8_t *roi, int rw, int rh, int stride,
                         char *out, size_t cap, enum qr_path *path)
{
	struct finder fs[FINDERS_MAX];
	int step = rh / 240 < 2 ? 2 : rh / 240;
	int nf = finder_locate(roi, rw, rh, stride, step, fs, FINDERS_MAX);
	if (nf < 2) {
		*path = QR_PATH_NO_FINDER;
		return 0;
	}
	/* the area the code can span: around the finder triangle, or all of the region */
	struct finder tri[3];
	bool have_tri = finder_pick_triangle(fs, nf, tri);
	if (!have_tri) {
		/* without a corner triangle, the whole region goes to zbar (the most costly
		 * step): only for patterns that several scan lines confirmed, not for the
		 * look-alikes a textured scene shows on one line */
		int strong = 0;
		for (int i = 0; i < nf; i++)
			strong += fs[i].hits >= 2;
		if (strong < 2) {
			*path = QR_PATH_NO_FINDER;
			return 0;
		}
	}
	float q[4][2], span = 0;
	int x0 = 0, y0 = 0, x1 = rw, y1 = rh;
	if (have_tri) {
		code_quad(tri, q, &span);
		float par[2] = {tri[1].x + tri[2].x - tri[0].x, tri[1].y + tri[2].y - tri[0].y};
		float lo_x = fminf(par[0], q[0][0]), hi_x = fmaxf(par[0], q[0][0]);
		float lo_y = fminf(par[1], q[0][1]), hi_y = fmaxf(par[1], q[0][1]);
		for (int i = 1; i < 4; i++) {
			lo_x = fminf(lo_x, q[i][0]);
			hi_x = fmaxf(hi_x, q[i][0]);
			lo_y = fminf(lo_y, q[i][1]);
			hi_y = fmaxf(hi_y, q[i][1]);
		}
		float m = fmaxf(fmaxf(tri[0].module, tri[1].module), tri[2].module) * 9;
		x0 = (int)fmaxf(0, lo_x - m);
		y0 = (int)fmaxf(0, lo_y - m);
		x1 = (int)fminf((float)rw, hi_x + m);
		y1 = (int)fminf((float)rh, hi_y + m);
	}
	int cw = x1 - x0, ch = y1 - y0;
	if (cw < 16 || ch < 16) {
		x0 = y0 = 0;
		cw = rw;
		ch = rh;
	}
	size_t csize = (size_t)cw * (size_t)ch;
	if (grow((void **)&d->buf, &d->buf_cap, csize) != 0)
		return -ENOMEM;
	for (int y = 0; y < ch; y++)
		memcpy(d->buf + (size_t)y * (size_t)cw,
		       roi + (size_t)(y0 + y) * (size_t)stride + (size_t)x0, (size_t)cw);
	int n = zbar_read(d, d->buf, cw, ch, out, cap);
	if (n != 0) {
		*path = QR_PATH_ZBAR;
		return n;
	}
	if (d->zxing && (n = zxing_decode(d->buf, cw, ch, cw, out, cap)) != 0) {
		*path = QR_PATH_ZXING;
		return n;
	}
	if (have_tri) {
		int side = (int)((span + 15) * RECTIFY_PX);
		if (span >= 13 && side <= 2048) {
			size_t rsize = (size_t)side * (size_t)side;
			if (grow((void **)&d->norm, &d->norm_cap, rsize) != 0)
				return -ENOMEM;
			if (rectify_quad(roi, rw, rh, stride, q, 7.5f / span, side, d->norm) == 0) {
				n = both_read(d, d->norm, side, side, out, cap);
				if (n != 0) {
					*path = QR_PATH_RECTIFIED;
					return n;
				}
			}
		}
	}
	/* faint or glared: standardise against the neighbourhood (a few modules wide) */
	float module = have_tri ? tri[0].module : fs[0].module;
	int window = (int)(module * 8);
	if (grow((void **)&d->norm, &d->norm_cap, csize) != 0 ||
	    grow((void **)&d->sums, &d->sums_cap,
	         2 * ((size_t)cw + 1) * ((size_t)ch + 1) * sizeof(int64_t)) != 0)
		return -ENOMEM;
	contrast_normalise(d->buf, cw, cw, ch, window, d->norm, d->sums);
	n = both_read(d, d->norm, cw, ch, out, cap);
	if (n != 0) {
		*path = QR_PATH_NORMALISED;
		return n;
	}
	/* last, the whole region: finds codes the finder triangle misplaced (ZXing; zbar
	 * when the build has no ZXing, at zbar's full cost, paid only with a code in view) */
	*path = QR_PATH_NONE;
	if (cw == rw && ch == rh)
		return 0;
	if (d->zxing) {
		n = zxing_decode(roi, rw, rh, stride, out, cap);
	} else {
		if (grow((void **)&d->buf, &d->buf_cap, (size_t)rw * (size_t)rh) != 0)
			return -ENOMEM;
		for (int y = 0; y < rh; y++)
			memcpy(d->buf + (size_t)y * (size_t)rw, roi + (size_t)y * (size_t)stride,
			       (size_t)rw);
		n = zbar_read(d, d->buf, rw, rh, out, cap);
	}
	if (n > 0)
		*path = d->zxing ? QR_PATH_ZXING : QR_PATH_ZBAR;
	return n;
}

int qr_decode(struct qr_decoder *d, const struct frame *f, char *out, size_t cap)
{
	if (!f || !f->luma || f->width <= 0 || f->height <= 0 || f->stride < f->width || !cap)
		return -EINVAL;
	out[0] = '\0';
	int rx = (int)(d->roi.x * (float)f->width), ry = (int)(d->roi.y * (float)f->height);
	int rw = (int)(d->roi.w * (float)f->width), rh = (int)(d->roi.h * (float)f->height);
	if (rx + rw > f->width)
		rw = f->width - rx;
	if (ry + rh > f->height)
		rh = f->height - ry;
	if (rw < 16 || rh < 16) { /* a region too small to hold a code: use the frame */
		rx = ry = 0;
		rw = f->width;
		rh = f->height;
	}
	const uint8_t *roi = f->luma + (size_t)ry * (size_t)f->stride + (size_t)rx;
	enum qr_path path = QR_PATH_NONE;
	int n = decode_region(d, roi, rw, rh, f->stride, out, cap, &path);
	if (n < 0)
		return n;
	d->stats.frames++;
	d->stats.by_path[path]++;
	d->stats.last = path;
	return n;
}
