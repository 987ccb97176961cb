/* drivers/camera/finder.c: the cheap image work of the QR pipeline: finding finder
 * patterns on sparse scan lines, local contrast normalisation, perspective rectification. */
#include "drivers/camera/scan.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Hysteresis around the local mean, in grey levels: a pixel this close to the mean keeps
 * the colour of the run it is in (sensor noise does not split runs). */
#define FINDER_HYST 3

static bool ratio_ok(const int r[5], float *unit)
{
	int t = r[0] + r[1] + r[2] + r[3] + r[4];
	if (t < 7)
		return false;
	float u = (float)t / 7.0f, tol = u * 0.5f + 0.5f;
	*unit = u;
	return fabsf((float)r[0] - u) <= tol && fabsf((float)r[1] - u) <= tol &&
	       fabsf((float)r[3] - u) <= tol && fabsf((float)r[4] - u) <= tol &&
	       fabsf((float)r[2] - 3 * u) <= 1.2f * u + 0.5f;
}

/* Pixel (x, y) smoothed across its row. */
static int px3(const uint8_t *luma, int w, int stride, int x, int y)
{
	const uint8_t *row = luma + (size_t)y * (size_t)stride;
	int l = row[x > 0 ? x - 1 : x], r = row[x + 1 < w ? x + 1 : x];
	return (l + 2 * row[x] + r) >> 2;
}

/* Walk from (x, y) along the column in direction dy through dark, light, dark runs; fills
 * len[0..2] (the first includes the start pixel). Returns false when a run runs too long or
 * off the image. */
static bool walk_column(const uint8_t *luma, int w, int h, int stride, int x, int y, int dy,
                        int thr, int limit, int len[3])
{
	int yy = y;
	for (int k = 0; k < 3; k++) {
		bool want_dark = k != 1;
		len[k] = 0;
		while (yy >= 0 && yy < h && len[k] <= limit) {
			bool dark = px3(luma, w, stride, x, yy) < thr;
			if (dark != want_dark)
				break;
			len[k]++;
			yy += dy;
		}
		if (len[k] == 0 || len[k] > limit)
			return false;
		if ((yy < 0 || yy >= h) && k < 2)
			return false;
	}
	return true;
}

/* Confirm a horizontal hit at (cx, y) on its column. Returns true with the centre row and
 * the vertical pattern width. */
static bool cross_check(const uint8_t *luma, int w, int h, int stride, int cx, int y, int thr,
                        int total, float *cy, int *vtotal)
{
	int up[3], down[3];
	int limit = total;
	if (!walk_column(luma, w, h, stride, cx, y, -1, thr, limit, up) ||
	    !walk_column(luma, w, h, stride, cx, y, 1, thr, limit, down))
		return false;
	int r[5] = {up[2], up[1], up[0] + down[0] - 1, down[1], down[2]};
	float unit;
	if (!ratio_ok(r, &unit))
		return false;
	int t = r[0] + r[1] + r[2] + r[3] + r[4];
	if (t * 9 < total * 5 || t * 5 > total * 9) /* perspective squeezes one way, not more */
		return false;
	*cy = (float)y + (float)(down[0] - up[0]) / 2.0f;
	*vtotal = t;
	return true;
}

static int add_hit(struct finder *out, int n, int max, float x, float y, float mh, float mv)
{
	float module = (mh + mv) / 2;
	for (int i = 0; i < n; i++) {
		struct finder *f = &out[i];
		float reach = 2.5f * (f->module > module ? f->module : module);
		if (fabsf(f->x - x) < reach && fabsf(f->y - y) < reach) {
			float k = (float)f->hits;
			f->x = (f->x * k + x) / (k + 1);
			f->y = (f->y * k + y) / (k + 1);
			f->module = (f->module * k + module) / (k + 1);
			f->mh = (f->mh * k + mh) / (k + 1);
			f->mv = (f->mv * k + mv) / (k + 1);
			f->hits++;
			return n;
		}
	}
	int slot = n;
	if (n == max) { /* full: a new pattern replaces the oldest one-line pattern */
		for (slot = 0; slot < n && out[slot].hits > 1; slot++)
			;
		if (slot == n)
			return n;
		memmove(out + slot, out + slot + 1, (size_t)(n - slot - 1) * sizeof(*out));
		slot = n - 1;
	}
	out[slot] =
	    (struct finder){.x = x, .y = y, .module = module, .mh = mh, .mv = mv, .hits = 1};
	return slot + 1;
}

/* Classify each pixel of a row (smoothed across 3 pixels) against the mean of the
 * 2 * half + 1 pixels around it, taken once per 8 pixels (it changes slowly): 1 dark,
 * 0 light, 2 too close to call. pre: w + 1 ints. */
static void classify_row(const uint8_t *row, int w, int half, int32_t *pre, uint8_t *cls)
{
	pre[0] = 0;
	for (int x = 0; x < w; x++)
		pre[x + 1] = pre[x] + row[x];
	for (int b = 0; b < w; b += 8) {
		int c = b + 4 < w ? b + 4 : w - 1;
		int lo = c - half < 0 ? 0 : c - half, hi = c + half + 1 > w ? w : c + half + 1;
		int mean4 = 4 * (pre[hi] - pre[lo]) / (hi - lo);
		int dark = mean4 - 4 * FINDER_HYST, light = mean4 + 4 * FINDER_HYST;
		int end = b + 8 < w - 1 ? b + 8 : w - 1;
		for (int x = b > 0 ? b : 1; x < end; x++) {
			int v = row[x - 1] + 2 * row[x] + row[x + 1];
			cls[x] = (uint8_t)((v < dark) + 2 * (v >= dark && v <= light));
		}
	}
	/* the two end pixels, smoothed with themselves */
	for (int x = 0; x < w; x += w - 1) {
		int v = 4 * row[x];
		int c = x < 4 ? 4 : w - 1 - 4;
		c = c < 0 ? 0 : c >= w ? w - 1 : c;
		int lo = c - half < 0 ? 0 : c - half, hi = c + half + 1 > w ? w : c + half + 1;
		int mean4 = 4 * (pre[hi] - pre[lo]) / (hi - lo);
		cls[x] = (uint8_t)(v < mean4 - 4 * FINDER_HYST   ? 1
		                   : v > mean4 + 4 * FINDER_HYST ? 0
		                                                 : 2);
	}
}

int finder_locate(const uint8_t *luma, int w, int h, int stride, int step, struct finder *out,
                  int max)
{
	if (w < 8 || h < 8 || step < 1)
		return 0;
	int32_t *pre = malloc(((size_t)w + 1) * sizeof(int32_t));
	uint8_t *cls = malloc((size_t)w + 1);
	if (!pre || !cls) {
		free(pre);
		free(cls);
		return 0;
	}
	int half = w / 24 < 12 ? 12 : w / 24; /* local mean window: wider than a finder */
	int n = 0;
	for (int y = step / 2; y < h; y += step) {
		const uint8_t *row = luma + (size_t)y * (size_t)stride;
		classify_row(row, w, half, pre, cls);
		cls[w] = 3; /* ends the last run */
		int runs[5] = {0}, starts[5] = {0};
		int nruns = 0; /* closed runs in runs[], newest last */
		int state = -1, start = 0;
		for (int x = 0; x <= w; x++) {
			int next = cls[x];
			if (next == 2 || next == state)
				continue;
			if (state == -1) {
				state = next;
				continue;
			}
			/* the run [start, x) of colour `state` has ended */
			if (nruns == 5) {
				memmove(runs, runs + 1, 4 * sizeof(int));
				memmove(starts, starts + 1, 4 * sizeof(int));
				nruns = 4;
			}
			runs[nruns] = x - start;
			starts[nruns] = start;
			nruns++;
			float unit;
			if (state == 1 && nruns == 5 && ratio_ok(runs, &unit)) {
				int total = x - starts[0];
				int thr = (pre[x] - pre[starts[0]]) / total;
				int cx = starts[2] + runs[2] / 2;
				float cy;
				int vt;
				if (cross_check(luma, w, h, stride, cx, y, thr, total, &cy, &vt))
					n = add_hit(out, n, max,
					            (float)cx + (runs[2] % 2 ? 0.5f : 0), cy,
					            (float)total / 7.0f, (float)vt / 7.0f);
			}
			start = x;
			state = next;
		}
	}
	free(pre);
	free(cls);
	return n;
}

bool finder_pick_triangle(const struct finder *f, int n, struct finder out[3])
{
	float best = -1;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			for (int k = j + 1; k < n; k++) {
				if (i == j || i == k)
					continue;
				float ax = f[j].x - f[i].x, ay = f[j].y - f[i].y;
				float bx = f[k].x - f[i].x, by = f[k].y - f[i].y;
				float la = sqrtf(ax * ax + ay * ay), lb = sqrtf(bx * bx + by * by);
				float m = (f[i].module + f[j].module + f[k].module) / 3;
				if (la < 12 * m || lb < 12 * m || la > 2 * lb || lb > 2 * la)
					continue;
				float mods[3] = {f[i].module, f[j].module, f[k].module};
				bool sizes = true;
				for (int q = 0; q < 3; q++)
					sizes = sizes && mods[q] < 2 * m && mods[q] * 2 > m;
				float cosang = (ax * bx + ay * by) / (la * lb);
				if (!sizes || fabsf(cosang) > 0.5f)
					continue;
				/* a real finder is crossed by every scan line through its
				 * centre; a look-alike in the data by one or two */
				float mlo = fminf(fminf(mods[0], mods[1]), mods[2]);
				float mhi = fmaxf(fmaxf(mods[0], mods[1]), mods[2]);
				float score = (float)(f[i].hits * f[j].hits * f[k].hits) *
				              (1.0f - fabsf(cosang)) * fminf(la, lb) /
				              fmaxf(la, lb) * mlo / mhi;
				if (score <= best)
					continue;
				best = score;
				bool cw = ax * by - ay * bx > 0;
				out[0] = f[i];
				out[1] = cw ? f[j] : f[k];
				out[2] = cw ? f[k] : f[j];
			}
	return best >= 0;
}

void contrast_normalise(const uint8_t *src, int stride, int w, int h, int window, uint8_t *dst,
                        int64_t *tmp)
{
	size_t iw = (size_t)w + 1;
	int64_t *s1 = tmp, *s2 = tmp + iw * ((size_t)h + 1);
	memset(s1, 0, iw * sizeof(int64_t));
	memset(s2, 0, iw * sizeof(int64_t));
	for (int y = 0; y < h; y++) {
		const uint8_t *row = src + (size_t)y * (size_t)stride;
		int64_t r1 = 0, r2 = 0;
		size_t o = ((size_t)y + 1) * iw;
		s1[o] = s2[o] = 0;
		for (int x = 0; x < w; x++) {
			r1 += row[x];
			r2 += row[x] * row[x];
			s1[o + (size_t)x + 1] = s1[o - iw + (size_t)x + 1] + r1;
			s2[o + (size_t)x + 1] = s2[o - iw + (size_t)x + 1] + r2;
		}
	}
	int r = window / 2 < 2 ? 2 : window / 2;
	for (int y = 0; y < h; y++) {
		int y0 = y - r < 0 ? 0 : y - r, y1 = y + r + 1 > h ? h : y + r + 1;
		for (int x = 0; x < w; x++) {
			int x0 = x - r < 0 ? 0 : x - r, x1 = x + r + 1 > w ? w : x + r + 1;
			size_t a = (size_t)y0 * iw + (size_t)x0, b = (size_t)y0 * iw + (size_t)x1;
			size_t c = (size_t)y1 * iw + (size_t)x0, d = (size_t)y1 * iw + (size_t)x1;
			int64_t cnt = (int64_t)(x1 - x0) * (y1 - y0);
			int64_t m1 = s1[d] - s1[b] - s1[c] + s1[a];
			int64_t m2 = s2[d] - s2[b] - s2[c] + s2[a];
			float mean = (float)m1 / (float)cnt;
			float var = (float)m2 / (float)cnt - mean * mean;
			float sd = sqrtf(var > 16 ? var : 16);
			float v =
			    128 +
			    80 * ((float)src[(size_t)y * (size_t)stride + (size_t)x] - mean) / sd;
			dst[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)(v < 0     ? 0
			                                                   : v > 255 ? 255
			                                                             : v);
		}
	}
}

int rectify_quad(const uint8_t *src, int w, int h, int stride, const float q[4][2], float margin,
                 int side, uint8_t *dst)
{
	/* Heckbert's square-to-quad homography: (u, v) in [0,1]^2 to the corners q[0..3]. */
	double x0 = q[0][0], y0 = q[0][1], x1 = q[1][0], y1 = q[1][1];
	double x2 = q[2][0], y2 = q[2][1], x3 = q[3][0], y3 = q[3][1];
	double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
	double a, b, c = x0, d, e, f = y0, g = 0, hh = 0;
	if (fabs(sx) > 1e-9 || fabs(sy) > 1e-9) {
		double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
		double den = dx1 * dy2 - dx2 * dy1;
		if (fabs(den) < 1e-9)
			return -EINVAL;
		g = (sx * dy2 - dx2 * sy) / den;
		hh = (dx1 * sy - sx * dy1) / den;
	}
	a = x1 - x0 + g * x1;
	b = x3 - x0 + hh * x3;
	d = y1 - y0 + g * y1;
	e = y3 - y0 + hh * y3;
	double span = 1 + 2 * (double)margin;
	for (int j = 0; j < side; j++) {
		double v = -margin + span * (j + 0.5) / side;
		for (int i = 0; i < side; i++) {
			double u = -margin + span * (i + 0.5) / side;
			double wq = g * u + hh * v + 1;
			uint8_t out = 255;
			if (wq > 1e-6) {
				double X = (a * u + b * v + c) / wq - 0.5,
				       Y = (d * u + e * v + f) / wq - 0.5;
				if (X >= 0 && Y >= 0 && X < w - 1 && Y < h - 1) {
					int xi = (int)X, yi = (int)Y;
					double fx = X - xi, fy = Y - yi;
					const uint8_t *p =
					    src + (size_t)yi * (size_t)stride + (size_t)xi;
					double top = p[0] + (p[1] - p[0]) * fx;
					double bot = p[stride] + (p[stride + 1] - p[stride]) * fx;
					out = (uint8_t)(top + (bot - top) * fy + 0.5);
				}
			}
			dst[(size_t)j * (size_t)side + (size_t)i] = out;
		}
	}
	return 0;
}
