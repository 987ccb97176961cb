/* tests/tools/framegen.c: a deterministic corpus of camera-like frames holding health-code
 * QR codes (or none), in distortion classes, with a manifest of what each frame holds.
 * Usage: framegen [-s SEED] [-n PER] [-r 640x480,...] [-c class,...] [-f pgm|png] OUTDIR */
#include <errno.h>
#include <math.h>
#include <png.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a small PRNG (splitmix64), so the corpus is the same on every machine ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_unit(void) /* [0, 1) */
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static double rng_range(double lo, double hi)
{
	return lo + (hi - lo) * rng_unit();
}

static double rng_gauss(void)
{
	double u = rng_unit() + 1e-12, v = rng_unit();
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* ---- payloads: JWS-like health codes, "HC1:" header.payload.signature in base64url ---- */

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void make_payload(char *out, size_t len)
{
	static const char head[] = "HC1:eyJhbGciOiJFUzI1NiIsImtpZCI6InN6aGMtMjAyNi0xMSJ9.";
	size_t hl = strlen(head);
	memcpy(out, head, hl);
	size_t sig = 86; /* an ES256 signature in base64url */
	size_t body = len > hl + sig + 1 ? len - hl - sig - 1 : 1;
	for (size_t i = 0; i < body; i++)
		out[hl + i] = b64url[rng_next() % 64];
	out[hl + body] = '.';
	for (size_t i = hl + body + 1; i < len; i++)
		out[i] = b64url[rng_next() % 64];
	out[len] = '\0';
}

/* ---- homographies ---- */

/* Solve the 8x8 system for the homography taking src[i] to dst[i] (4 points). */
static int homography(const double src[4][2], const double dst[4][2], double h[9])
{
	double a[8][9];
	for (int i = 0; i < 4; i++) {
		double x = src[i][0], y = src[i][1], u = dst[i][0], v = dst[i][1];
		double r0[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
		double r1[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
		memcpy(a[2 * i], r0, sizeof(r0));
		memcpy(a[2 * i + 1], r1, sizeof(r1));
	}
	for (int c = 0; c < 8; c++) {
		int p = c;
		for (int r = c + 1; r < 8; r++)
			if (fabs(a[r][c]) > fabs(a[p][c]))
				p = r;
		if (fabs(a[p][c]) < 1e-12)
			return -1;
		for (int k = 0; k < 9; k++) {
			double t = a[c][k];
			a[c][k] = a[p][k];
			a[p][k] = t;
		}
		for (int r = 0; r < 8; r++) {
			if (r == c)
				continue;
			double f = a[r][c] / a[c][c];
			for (int k = c; k < 9; k++)
				a[r][k] -= f * a[c][k];
		}
	}
	for (int i = 0; i < 8; i++)
		h[i] = a[i][8] / a[i][i];
	h[8] = 1;
	return 0;
}

/* ---- the scene ---- */

enum cls {
	C_CLEAN,
	C_ROTATED,
	C_PERSP_MILD,
	C_PERSP_STRONG,
	C_BLURRED,
	C_NOISY,
	C_LOWCONTRAST,
	C_GLARE,
	C_SMALL,
	C_PHONE,
	C_EMPTY,
	C_COUNT
};

static const char *const cls_names[C_COUNT] = {
    "clean",        "rotated", "persp-mild", "persp-strong", "blurred", "noisy",
    "low-contrast", "glare",   "small",      "phone-screen", "empty",
};

struct scene {
	int w, h;
	float *img;
};

static void blur(float *img, int w, int h, double sigma)
{
	if (sigma < 0.2)
		return;
	int r = (int)ceil(sigma * 3);
	float *k = malloc(sizeof(float) * (size_t)(2 * r + 1));
	float *tmp = malloc(sizeof(float) * (size_t)w * (size_t)h);
	double sum = 0;
	for (int i = -r; i <= r; i++)
		sum += k[i + r] = (float)exp(-(double)(i * i) / (2 * sigma * sigma));
	for (int i = 0; i <= 2 * r; i++)
		k[i] = (float)(k[i] / sum);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			float s = 0;
			for (int i = -r; i <= r; i++) {
				int xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i;
				s += k[i + r] * img[(size_t)y * (size_t)w + (size_t)xx];
			}
			tmp[(size_t)y * (size_t)w + (size_t)x] = s;
		}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			float s = 0;
			for (int i = -r; i <= r; i++) {
				int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
				s += k[i + r] * tmp[(size_t)yy * (size_t)w + (size_t)x];
			}
			img[(size_t)y * (size_t)w + (size_t)x] = s;
		}
	free(tmp);
	free(k);
}

/* A cluttered room: a lit gradient, boxes, and stripes like printed text. */
static void paint_background(struct scene *s, bool dark)
{
	double base = dark ? rng_range(25, 50) : rng_range(90, 160);
	double gx = rng_range(-40, 40) / s->w, gy = rng_range(-40, 40) / s->h;
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++)
			s->img[(size_t)y * (size_t)s->w + (size_t)x] =
			    (float)(base + gx * x + gy * y);
	int boxes = 4 + (int)(rng_next() % 6);
	for (int b = 0; b < boxes; b++) {
		int bw = (int)(rng_range(0.05, 0.4) * s->w),
		    bh = (int)(rng_range(0.05, 0.4) * s->h);
		int bx = (int)(rng_unit() * s->w), by = (int)(rng_unit() * s->h);
		float v = (float)(dark ? rng_range(10, 70) : rng_range(30, 230));
		bool text = rng_unit() < 0.4;
		int pitch = 4 + (int)(rng_next() % 8);
		for (int y = by; y < by + bh && y < s->h; y++)
			for (int x = bx; x < bx + bw && x < s->w; x++) {
				if (text &&
				    ((y - by) % pitch < pitch / 2 || (x / 3 + y / pitch) % 5 == 0))
					continue;
				s->img[(size_t)y * (size_t)s->w + (size_t)x] = v;
			}
	}
}

struct code_look {
	double dark, light;  /* module intensities */
	double margin;       /* light margin around the quiet zone, in modules */
	bool phone;          /* a phone: black bezel around a lit screen */
	double cx, cy, side; /* placement: centre and side of the code with quiet zone, px */
	double angle;        /* radians */
	double keystone;     /* far edge length / near edge length (1: none) */
	int keystone_dir;    /* which edge is far: 0 top, 1 right, 2 bottom, 3 left */
};

/* Render the code into the scene through a homography, 3x3 supersampled. */
static void paint_code(struct scene *s, const QRcode *qr, const struct code_look *lk)
{
	int n = qr->width;
	double q = 4;                                        /* quiet zone, modules */
	double outer = q + lk->margin + (lk->phone ? 3 : 0); /* plane extent around the code */
	double total = n + 2 * outer;
	/* the plane square [-outer, n+outer]^2 mapped to a rotated, keystoned quad */
	double half = lk->side / 2 * total / (n + 2 * q);
	double corners[4][2] = {{-half, -half}, {half, -half}, {half, half}, {-half, half}};
	double k = lk->keystone;
	for (int i = 0; i < 4; i++) {
		/* shrink the far edge toward its own midline, and pull it a bit closer */
		double *c = corners[i];
		int dir = lk->keystone_dir;
		bool far = (dir == 0 && c[1] < 0) || (dir == 2 && c[1] > 0) ||
		           (dir == 1 && c[0] > 0) || (dir == 3 && c[0] < 0);
		if (!far)
			continue;
		if (dir == 0 || dir == 2) {
			c[0] *= k;
			c[1] *= 0.5 + 0.5 * k;
		} else {
			c[1] *= k;
			c[0] *= 0.5 + 0.5 * k;
		}
	}
	double ca = cos(lk->angle), sa = sin(lk->angle);
	double src[4][2], dst[4][2];
	double plane[4][2] = {
	    {-outer, -outer}, {n + outer, -outer}, {n + outer, n + outer}, {-outer, n + outer}};
	for (int i = 0; i < 4; i++) {
		dst[i][0] = plane[i][0];
		dst[i][1] = plane[i][1];
		src[i][0] = lk->cx + ca * corners[i][0] - sa * corners[i][1];
		src[i][1] = lk->cy + sa * corners[i][0] + ca * corners[i][1];
	}
	double hm[9];
	if (homography(src, dst, hm) != 0)
		return;
	int x0 = s->w, y0 = s->h, x1 = 0, y1 = 0;
	for (int i = 0; i < 4; i++) {
		x0 = fmin(x0, floor(src[i][0]) - 1);
		y0 = fmin(y0, floor(src[i][1]) - 1);
		x1 = fmax(x1, ceil(src[i][0]) + 1);
		y1 = fmax(y1, ceil(src[i][1]) + 1);
	}
	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > s->w ? s->w : x1;
	y1 = y1 > s->h ? s->h : y1;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			float *px = &s->img[(size_t)y * (size_t)s->w + (size_t)x];
			double acc = 0;
			int inside = 0;
			for (int sy = 0; sy < 3; sy++)
				for (int sx = 0; sx < 3; sx++) {
					double X = x + (sx + 0.5) / 3, Y = y + (sy + 0.5) / 3;
					double wq = hm[6] * X + hm[7] * Y + hm[8];
					double u = (hm[0] * X + hm[1] * Y + hm[2]) / wq;
					double v = (hm[3] * X + hm[4] * Y + hm[5]) / wq;
					if (u < -outer || v < -outer || u >= n + outer ||
					    v >= n + outer) {
						acc += *px;
						continue;
					}
					inside++;
					double val = lk->light;
					double edge = q + lk->margin;
					if (lk->phone && (u < -edge || v < -edge || u >= n + edge ||
					                  v >= n + edge))
						val = 12; /* bezel */
					else if (u >= 0 && v >= 0 && u < n && v < n &&
					         (qr->data[(int)v * n + (int)u] & 1))
						val = lk->dark;
					acc += val;
				}
			if (inside)
				*px = (float)(acc / 9);
		}
}

static void add_glare(struct scene *s, double cx, double cy, double r, double strength)
{
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++) {
			double dx = (x - cx) / r, dy = (y - cy) / (r * 0.6);
			double g = strength * exp(-(dx * dx + dy * dy));
			if (g < 0.004)
				continue;
			float *p = &s->img[(size_t)y * (size_t)s->w + (size_t)x];
			*p = (float)(*p * (1 - g) + 255 * g);
		}
}

static void add_moire(struct scene *s, double amp)
{
	double fx = rng_range(0.15, 0.45), fy = rng_range(0.02, 0.2), ph = rng_range(0, 6.3);
	double f2 = rng_range(0.01, 0.04);
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++) {
			double m = sin(fx * x + fy * y + ph) * sin(f2 * (x - y));
			float *p = &s->img[(size_t)y * (size_t)s->w + (size_t)x];
			*p = (float)(*p * (1 + amp * m));
		}
}

static void add_noise(struct scene *s, double sigma)
{
	for (size_t i = 0; i < (size_t)s->w * (size_t)s->h; i++)
		s->img[i] += (float)(sigma * rng_gauss());
}

static int write_image(const char *path, const struct scene *s, bool png)
{
	size_t n = (size_t)s->w * (size_t)s->h;
	uint8_t *g = malloc(n);
	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		float v = s->img[i];
		g[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : lrintf(v));
	}
	int rc = 0;
	if (png) {
		png_image pi;
		memset(&pi, 0, sizeof(pi));
		pi.version = PNG_IMAGE_VERSION;
		pi.width = (png_uint_32)s->w;
		pi.height = (png_uint_32)s->h;
		pi.format = PNG_FORMAT_GRAY;
		if (!png_image_write_to_file(&pi, path, 0, g, s->w, NULL))
			rc = -EIO;
	} else {
		FILE *fp = fopen(path, "wb");
		if (!fp || fprintf(fp, "P5\n%d %d\n255\n", s->w, s->h) < 0 ||
		    fwrite(g, 1, n, fp) != n)
			rc = -EIO;
		if (fp && fclose(fp) != 0)
			rc = -EIO;
	}
	free(g);
	return rc;
}

/* One frame of class c; *text receives the payload ("" for an empty frame). */
static int make_frame(struct scene *s, enum cls c, char *text)
{
	paint_background(s, c == C_PHONE);
	text[0] = '\0';
	double focus = 0.5, noise = 2.5; /* every camera blurs and grains a little */
	if (c != C_EMPTY) {
		size_t len = 200 + rng_next() % 601;
		make_payload(text, len);
		QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		if (!qr)
			return -ENOMEM;
		struct code_look lk = {.dark = rng_range(15, 45),
		                       .light = rng_range(200, 245),
		                       .margin = rng_range(0, 3),
		                       .keystone = 1,
		                       .angle = rng_range(-0.08, 0.08)};
		int n = qr->width + 8;
		double lo = 3.2 * n, hi = 0.92 * s->h;
		if (lo > hi)
			lo = hi;
		lk.side = rng_range(lo, lo + (hi - lo) * 0.8);
		switch (c) {
		case C_ROTATED:
			lk.angle = rng_range(0.2, 1.4) * (rng_unit() < 0.5 ? -1 : 1);
			lk.side *= 0.8;
			break;
		case C_PERSP_MILD:
			lk.keystone = rng_range(0.82, 0.9);
			lk.keystone_dir = (int)(rng_next() % 4);
			lk.angle = rng_range(-0.3, 0.3);
			break;
		case C_PERSP_STRONG:
			lk.keystone = rng_range(0.62, 0.72);
			lk.keystone_dir = (int)(rng_next() % 4);
			lk.angle = rng_range(-0.3, 0.3);
			break;
		case C_BLURRED:
			focus = lk.side / n * rng_range(0.35, 0.5);
			break;
		case C_NOISY:
			noise = rng_range(18, 30);
			break;
		case C_LOWCONTRAST: {
			double mid = rng_range(70, 150), half = rng_range(12, 22);
			lk.dark = mid - half;
			lk.light = mid + half;
			break;
		}
		case C_SMALL:
			lk.side = n * rng_range(2.0, 2.6);
			break;
		case C_PHONE:
			lk.phone = true;
			lk.dark = rng_range(20, 40);
			lk.light = rng_range(170, 230);
			lk.angle = rng_range(-0.25, 0.25);
			break;
		default:
			break;
		}
		if (lk.side > 0.98 * s->h)
			lk.side = 0.98 * s->h;
		double slack_x = (s->w - lk.side * 1.2) / 2, slack_y = (s->h - lk.side * 1.2) / 2;
		lk.cx = s->w / 2.0 + rng_range(-1, 1) * (slack_x > 0 ? slack_x : 0);
		lk.cy = s->h / 2.0 + rng_range(-1, 1) * (slack_y > 0 ? slack_y : 0);
		paint_code(s, qr, &lk);
		if (c == C_GLARE) {
			double r = lk.side * rng_range(0.15, 0.3);
			add_glare(s, lk.cx + rng_range(-0.3, 0.3) * lk.side,
			          lk.cy + rng_range(-0.3, 0.3) * lk.side, r, rng_range(0.75, 0.9));
		}
		if (c == C_PHONE)
			add_moire(s, rng_range(0.08, 0.18));
		QRcode_free(qr);
	}
	blur(s->img, s->w, s->h, focus);
	add_noise(s, noise);
	return 0;
}

static int parse_list(const char *arg, const char *const *names, int count, bool *on)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int i = 0;
		while (i < count && strcmp(names[i], t) != 0)
			i++;
		if (i == count)
			return -1;
		on[i] = true;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	int per = 7;
	bool use_png = false;
	bool cls_on[C_COUNT] = {false};
	bool any_cls = false;
	static const char *const res_names[] = {"640x480", "1280x720", "1920x1080"};
	static const int res_wh[3][2] = {{640, 480}, {1280, 720}, {1920, 1080}};
	bool res_on[3] = {false};
	bool any_res = false;
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];
		if (strcmp(opt, "-s") == 0)
			seed = strtoull(val, NULL, 10);
		else if (strcmp(opt, "-n") == 0)
			per = atoi(val);
		else if (strcmp(opt, "-f") == 0)
			use_png = strcmp(val, "png") == 0;
		else if (strcmp(opt, "-c") == 0 && parse_list(val, cls_names, C_COUNT, cls_on) == 0)
			any_cls = true;
		else if (strcmp(opt, "-r") == 0 && parse_list(val, res_names, 3, res_on) == 0)
			any_res = true;
		else
			goto usage;
	}
	if (i + 1 != argc || per < 1)
		goto usage;
	const char *outdir = argv[i];
	if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
		perror(outdir);
		return 1;
	}
	char path[1024];
	snprintf(path, sizeof(path), "%s/manifest.tsv", outdir);
	FILE *man = fopen(path, "w");
	if (!man) {
		perror(path);
		return 1;
	}
	static char text[1024];
	int idx = 0;
	for (int r = 0; r < 3; r++) {
		if (any_res && !res_on[r])
			continue;
		struct scene s = {.w = res_wh[r][0], .h = res_wh[r][1]};
		s.img = malloc(sizeof(float) * (size_t)s.w * (size_t)s.h);
		if (!s.img)
			return 1;
		for (int c = 0; c < C_COUNT; c++) {
			if (any_cls && !cls_on[c])
				continue;
			for (int k = 0; k < per; k++, idx++) {
				/* each frame from its own seed: a subset is the same frames */
				rng_state = seed * 1000003ULL + (uint64_t)r * 7919ULL +
				            (uint64_t)c * 104729ULL + (uint64_t)k * 15485863ULL;
				if (make_frame(&s, (enum cls)c, text) != 0)
					return 1;
				char name[128];
				snprintf(name, sizeof(name), "%s-%s-%02d.%s", res_names[r],
				         cls_names[c], k, use_png ? "png" : "pgm");
				snprintf(path, sizeof(path), "%s/%s", outdir, name);
				if (write_image(path, &s, use_png) != 0) {
					perror(path);
					return 1;
				}
				fprintf(man, "%s\t%s\t%s\t%s\n", name, cls_names[c], res_names[r],
				        text);
			}
		}
		free(s.img);
	}
	if (fclose(man) != 0)
		return 1;
	return 0;
usage:
	fprintf(stderr, "usage: framegen [-s SEED] [-n PER] [-r 640x480,1280x720,1920x1080] "
	                "[-c clean,rotated,...] [-f pgm|png] OUTDIR\n");
	return 2;
}
