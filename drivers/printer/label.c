/* drivers/printer/label.c: the 1-bit label bitmap and the four label layouts. Text is
 * rendered by SDL2_ttf without antialiasing (deterministic for a given font file), QR codes
 * by libqrencode with whole-dot modules, so what the printer burns is what zbar reads. */
#include "drivers/printer/label.h"

#include <errno.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/fonts/fonts.h"
#include "drivers/fonts/ttf.h"
#include "drivers/printer/label_strings.h"

struct label_kit {
	const struct ttf_api *ttf;
	TTF_Font *regular;
	TTF_Font *bold;
	struct label_strings *strings;
};

struct box {
	int x, y, w, h;
};

enum align {
	ALIGN_LEFT,
	ALIGN_CENTER,
};

/* ---- bitmap ---- */

struct label *label_new(int width, int height, int dpi)
{
	if (width <= 0 || height <= 0 || width > 20000 || height > 40000 || dpi < 100 || dpi > 600)
		return NULL;
	struct label *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->width = width;
	l->height = height;
	l->dpi = dpi;
	l->stride = (width + 7) / 8;
	l->bits = calloc((size_t)l->stride * (size_t)height, 1);
	if (!l->bits) {
		free(l);
		return NULL;
	}
	return l;
}

void label_free(struct label *l)
{
	if (!l)
		return;
	free(l->bits);
	free(l);
}

bool label_get(const struct label *l, int x, int y)
{
	if (x < 0 || y < 0 || x >= l->width || y >= l->height)
		return false;
	return l->bits[(size_t)y * (size_t)l->stride + (size_t)(x >> 3)] & (0x80 >> (x & 7));
}

void label_set(struct label *l, int x, int y, bool black)
{
	if (x < 0 || y < 0 || x >= l->width || y >= l->height)
		return;
	uint8_t *b = &l->bits[(size_t)y * (size_t)l->stride + (size_t)(x >> 3)];
	uint8_t m = (uint8_t)(0x80 >> (x & 7));
	*b = black ? (uint8_t)(*b | m) : (uint8_t)(*b & ~m);
}

void label_fill(struct label *l, int x, int y, int w, int h, bool black)
{
	for (int yy = y; yy < y + h; yy++)
		for (int xx = x; xx < x + w; xx++)
			label_set(l, xx, yy, black);
}

void label_box(struct label *l, int x, int y, int w, int h, int t)
{
	label_fill(l, x, y, w, t, true);
	label_fill(l, x, y + h - t, w, t, true);
	label_fill(l, x, y, t, h, true);
	label_fill(l, x + w - t, y, t, h, true);
}

struct label *label_clone(const struct label *l, bool without_qr)
{
	struct label *c = label_new(l->width, l->height, l->dpi);
	if (!c)
		return NULL;
	memcpy(c->bits, l->bits, (size_t)l->stride * (size_t)l->height);
	c->n_qr = l->n_qr;
	memcpy(c->qr, l->qr, sizeof(c->qr));
	c->text_shrunk = l->text_shrunk;
	c->text_ellipsized = l->text_ellipsized;
	for (int i = 0; without_qr && i < l->n_qr; i++) {
		int s = l->qr[i].module * l->qr[i].modules;
		label_fill(c, l->qr[i].x, l->qr[i].y, s, s, false);
	}
	return c;
}

int label_dots(int dpi, double mm)
{
	return (int)lround(mm * dpi / 25.4);
}

struct label *label_rotate(const struct label *l, int degrees)
{
	bool quarter = degrees == 90 || degrees == 270;
	if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270)
		return NULL;
	struct label *r =
	    label_new(quarter ? l->height : l->width, quarter ? l->width : l->height, l->dpi);
	if (!r)
		return NULL;
	for (int y = 0; y < l->height; y++) {
		for (int x = 0; x < l->width; x++) {
			if (!label_get(l, x, y))
				continue;
			switch (degrees) {
			case 0:
				label_set(r, x, y, true);
				break;
			case 90:
				label_set(r, l->height - 1 - y, x, true);
				break;
			case 180:
				label_set(r, l->width - 1 - x, l->height - 1 - y, true);
				break;
			default:
				label_set(r, y, l->width - 1 - x, true);
				break;
			}
		}
	}
	r->n_qr = l->n_qr;
	r->text_shrunk = l->text_shrunk;
	r->text_ellipsized = l->text_ellipsized;
	for (int i = 0; i < l->n_qr; i++) {
		struct label_qr q = l->qr[i];
		int s = q.module * q.modules;
		int x = q.x, y = q.y;
		switch (degrees) {
		case 90:
			q.x = l->height - y - s, q.y = x;
			break;
		case 180:
			q.x = l->width - x - s, q.y = l->height - y - s;
			break;
		case 270:
			q.x = y, q.y = l->width - x - s;
			break;
		default:
			break;
		}
		r->qr[i] = q;
	}
	return r;
}

/* ---- QR ---- */

int label_qr_module(int wanted_dots, int modules)
{
	if (modules <= 0 || wanted_dots <= 0)
		return 0;
	return wanted_dots / (modules + 8);
}

/* The side, quiet zone included, of the QR code draw_qr() would draw for `text` in a
 * square of `side` dots; negative error as draw_qr(). */
static int qr_side(const char *text, int side)
{
	static const QRecLevel levels[] = {QR_ECLEVEL_M, QR_ECLEVEL_L};
	for (size_t i = 0; i < 2; i++) {
		QRcode *qr = QRcode_encodeString8bit(text, 0, levels[i]);
		if (!qr)
			return errno == ERANGE ? -E2BIG : -ENOMEM;
		int module = label_qr_module(side, qr->width), n = qr->width;
		QRcode_free(qr);
		if (module >= 2)
			return module * (n + 8);
	}
	return -E2BIG;
}

/* Draw `text` as a QR code centred in the square `b` (quiet zone included in the box).
 * Tries error correction M, then L. 0, -E2BIG when under two dots a module, -ENOMEM. */
static int draw_qr(struct label *l, struct box b, const char *text)
{
	static const QRecLevel levels[] = {QR_ECLEVEL_M, QR_ECLEVEL_L};
	int side = b.w < b.h ? b.w : b.h;
	if (l->n_qr >= LABEL_MAX_QR || strlen(text) >= sizeof(l->qr[0].text))
		return -EINVAL;
	for (size_t i = 0; i < 2; i++) {
		QRcode *qr = QRcode_encodeString8bit(text, 0, levels[i]);
		if (!qr)
			return errno == ERANGE ? -E2BIG : -ENOMEM;
		int module = label_qr_module(side, qr->width);
		if (module < 2) {
			QRcode_free(qr);
			continue;
		}
		int s = module * qr->width;
		int x0 = b.x + (b.w - s) / 2, y0 = b.y + (b.h - s) / 2;
		for (int y = 0; y < qr->width; y++)
			for (int x = 0; x < qr->width; x++)
				if (qr->data[y * qr->width + x] & 1)
					label_fill(l, x0 + x * module, y0 + y * module, module,
					           module, true);
		struct label_qr *q = &l->qr[l->n_qr++];
		q->x = x0;
		q->y = y0;
		q->module = module;
		q->modules = qr->width;
		q->ecc = (int)levels[i];
		snprintf(q->text, sizeof(q->text), "%s", text);
		QRcode_free(qr);
		return 0;
	}
	return -E2BIG;
}

/* ---- text ---- */

struct ink {
	SDL_Surface *s;
	int x0, y0, w, h; /* bounding box of the inked pixels in s */
};

static void ink_free(struct ink *k)
{
	SDL_FreeSurface(k->s);
	k->s = NULL;
}

/* Render at `size` pixels and find the inked box. false when nothing renders. */
static bool ink_render(const struct ttf_api *ttf, TTF_Font *font, int size, const char *text,
                       struct ink *k)
{
	k->s = NULL;
	if (size < 1 || ttf->TTF_SetFontSize(font, size) != 0)
		return false;
	SDL_Color fg = {0, 0, 0, 255};
	k->s = ttf->TTF_RenderUTF8_Solid(font, text, fg);
	if (!k->s)
		return false;
	int minx = k->s->w, miny = k->s->h, maxx = -1, maxy = -1;
	for (int y = 0; y < k->s->h; y++) {
		const uint8_t *row =
		    (const uint8_t *)k->s->pixels + (size_t)y * (size_t)k->s->pitch;
		for (int x = 0; x < k->s->w; x++) {
			if (!row[x])
				continue;
			minx = x < minx ? x : minx;
			maxx = x > maxx ? x : maxx;
			miny = y < miny ? y : miny;
			maxy = y > maxy ? y : maxy;
		}
	}
	if (maxx < 0) {
		ink_free(k);
		return false;
	}
	k->x0 = minx;
	k->y0 = miny;
	k->w = maxx - minx + 1;
	k->h = maxy - miny + 1;
	return true;
}

static bool ink_fits(const struct ink *k, struct box b)
{
	return k->w <= b.w && k->h <= b.h;
}

/* Render the largest size that fits; *shrunk when the width, not the height, limited it.
 * false when even min_size does not fit (k then holds nothing). */
static bool text_fit(const struct ttf_api *ttf, TTF_Font *font, const char *text, struct box b,
                     int min_size, struct ink *k, bool *shrunk)
{
	int size = b.h;
	*shrunk = false;
	if (!ink_render(ttf, font, size, text, k))
		return false;
	double sw = (double)b.w / k->w, sh = (double)b.h / k->h;
	if (sw < 1.0 || sh < 1.0 || (sw > 1.05 && sh > 1.05)) {
		*shrunk = sw < sh && sw < 1.0;
		double f = sw < sh ? sw : sh;
		size = (int)floor(size * f);
		ink_free(k);
		if (size < min_size || !ink_render(ttf, font, size, text, k))
			return false;
	}
	while (!ink_fits(k, b)) {
		*shrunk |= k->w > b.w; /* the width, not the height, wants it smaller */
		ink_free(k);
		size--;
		if (size < min_size || !ink_render(ttf, font, size, text, k))
			return false;
	}
	return true;
}

static void ink_blit(struct label *l, const struct ink *k, struct box b, enum align a, bool white)
{
	int ox = a == ALIGN_CENTER ? b.x + (b.w - k->w) / 2 : b.x;
	int oy = b.y + (b.h - k->h) / 2;
	for (int y = 0; y < k->h; y++) {
		const uint8_t *row =
		    (const uint8_t *)k->s->pixels + (size_t)(k->y0 + y) * (size_t)k->s->pitch;
		for (int x = 0; x < k->w; x++)
			if (row[k->x0 + x])
				label_set(l, ox + x, oy + y, !white);
	}
}

/* Draw `text` as large as fits `b` (ink box), never outside it: shrink to min_size, then
 * cut code points from the end and add an ellipsis. */
static void draw_text(struct label_kit *kit, struct label *l, struct box b, const char *text,
                      bool bold, enum align a, bool white, const char *ellipsis)
{
	TTF_Font *font = bold ? kit->bold : kit->regular;
	int min_size = label_dots(l->dpi, 1.6);
	struct ink k;
	bool shrunk;
	if (!text || !*text || b.w <= 0 || b.h <= 0)
		return;
	if (min_size > b.h)
		min_size = b.h;
	if (text_fit(kit->ttf, font, text, b, min_size, &k, &shrunk)) {
		l->text_shrunk += shrunk;
		ink_blit(l, &k, b, a, white);
		ink_free(&k);
		return;
	}
	/* Ellipsize at a size that fits the box height. */
	char buf[512];
	size_t n = strlen(text);
	if (n >= sizeof(buf) - 8)
		n = sizeof(buf) - 8;
	l->text_ellipsized++;
	while (n > 0) {
		do /* step back over one UTF-8 code point */
			n--;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80);
		snprintf(buf, sizeof(buf), "%.*s%s", (int)n, text, ellipsis);
		if (text_fit(kit->ttf, font, buf, b, min_size, &k, &shrunk)) {
			ink_blit(l, &k, b, a, white);
			ink_free(&k);
			return;
		}
	}
}

/* ---- kit ---- */

struct label_kit *label_kit_open(const char *font_config, const char *strings_path,
                                 const char **why)
{
	const char *reason = "no memory";
	struct font_file reg, bold;
	struct label_kit *kit = calloc(1, sizeof(*kit));
	if (!kit)
		goto out_fail;
	kit->strings = label_strings_load(strings_path, &reason);
	if (!kit->strings)
		goto out_free;
	if (!fonts_find(font_config, FONT_REGULAR, &reg) ||
	    !fonts_find(font_config, FONT_BOLD, &bold)) {
		reason = "no CJK font installed (fonts-noto-cjk)";
		goto out_strings;
	}
	kit->ttf = ttf_open(NULL, 0);
	if (!kit->ttf) {
		reason = "SDL2_ttf does not load (libsdl2-ttf-2.0-0)";
		goto out_strings;
	}
	if (kit->ttf->TTF_Init() != 0) {
		reason = "TTF_Init failed";
		goto out_strings;
	}
	reason = "font file does not open";
	kit->regular = kit->ttf->TTF_OpenFontIndex(reg.path, 32, reg.face);
	if (!kit->regular)
		goto out_ttf;
	kit->bold = kit->ttf->TTF_OpenFontIndex(bold.path, 32, bold.face);
	if (!kit->bold)
		goto out_regular;
	kit->ttf->TTF_SetFontHinting(kit->regular, TTF_HINTING_MONO);
	kit->ttf->TTF_SetFontHinting(kit->bold, TTF_HINTING_MONO);
	return kit;
out_regular:
	kit->ttf->TTF_CloseFont(kit->regular);
out_ttf:
	kit->ttf->TTF_Quit();
out_strings:
	label_strings_free(kit->strings);
out_free:
	free(kit);
out_fail:
	if (why)
		*why = reason;
	return NULL;
}

void label_kit_close(struct label_kit *kit)
{
	if (!kit)
		return;
	kit->ttf->TTF_CloseFont(kit->bold);
	kit->ttf->TTF_CloseFont(kit->regular);
	kit->ttf->TTF_Quit();
	label_strings_free(kit->strings);
	free(kit);
}

/* ---- layouts ---- */

struct ctx {
	struct label_kit *kit;
	struct label *l;
	const struct label_spec *spec;
	const struct label_fields *f;
	char caption_buf[8][160];
	int n_caption;
};

static const char *lang_code(enum label_lang lang)
{
	return lang == LABEL_LANG_EN ? "en" : "zh";
}

/* The caption for `key` in the label's language; for LABEL_LANG_BOTH "中文 English". */
static const char *caption(struct ctx *c, const char *key)
{
	const struct label_strings *s = c->kit->strings;
	if (c->spec->lang != LABEL_LANG_BOTH)
		return label_strings_get(s, key, lang_code(c->spec->lang));
	char *buf = c->caption_buf[c->n_caption++ % 8];
	snprintf(buf, sizeof(c->caption_buf[0]), "%s %s", label_strings_get(s, key, "zh"),
	         label_strings_get(s, key, "en"));
	return buf;
}

static void text(struct ctx *c, struct box b, const char *t, bool bold, enum align a)
{
	draw_text(c->kit, c->l, b, t, bold, a, false,
	          label_strings_get(c->kit->strings, "ellipsis", "en"));
}

static bool has(const char *s)
{
	return s && *s;
}

static struct box inset(struct box b, int d)
{
	struct box r = {b.x + d, b.y + d, b.w - 2 * d, b.h - 2 * d};
	return r;
}

/* Risk marker: a solid block with the colour word knocked out in white. */
static void draw_risk(struct ctx *c, struct box b)
{
	static const char *const keys[RISK_COUNT] = {"risk.green", "risk.yellow", "risk.orange",
	                                             "risk.red"};
	enum risk r = c->f->risk < RISK_COUNT ? c->f->risk : RISK_RED;
	label_fill(c->l, b.x, b.y, b.w, b.h, true);
	int pad = b.h / 6 > 2 ? b.h / 6 : 2;
	draw_text(c->kit, c->l, inset(b, pad), caption(c, keys[r]), true, ALIGN_CENTER, true,
	          label_strings_get(c->kit->strings, "ellipsis", "en"));
}

/* The station's care marker, a solid heart, in the square of side `s` at (x, y). */
static void draw_heart(struct label *l, int x, int y, int s)
{
	for (int py = 0; py < s; py++) {
		for (int px = 0; px < s; px++) {
			double u = (px + 0.5) / s * 2.6 - 1.3, v = 1.25 - (py + 0.5) / s * 2.6;
			double a = u * u + v * v - 1;
			if (a * a * a - u * u * v * v * v <= 0)
				label_set(l, x + px, y + py, true);
		}
	}
}

static int qr_or_fail(struct ctx *c, struct box b)
{
	return draw_qr(c->l, b, c->f->token);
}

static int layout_wristband(struct ctx *c)
{
	struct label *l = c->l;
	int dpi = l->dpi, m = label_dots(dpi, c->spec->margin_mm);
	int inner = l->height - 2 * m;
	int q = label_dots(dpi, c->spec->qr_mm);
	q = q < inner ? q : inner;
	int gmin = label_dots(dpi, 40);
	int k = (l->width - 2 * m) / (q + gmin);
	k = k < 2 ? 2 : k;
	int g = (l->width - 2 * m - k * q) / k;
	if (g < label_dots(dpi, 15))
		return -EINVAL;
	int x = m, line = dpi >= 300 ? 3 : 2;
	for (int i = 0; i < k; i++) {
		struct box qb = {x, m, q, inner};
		int rc = qr_or_fail(c, qb);
		if (rc)
			return rc;
		x += q;
		struct box blk = {x, m, g, inner};
		label_fill(l, x, m, line, inner, true);
		struct box in = inset(blk, label_dots(dpi, 1.5));
		if (i % 2 == 0) {
			struct box cap = {in.x, in.y, in.w, in.h * 22 / 100};
			struct box num = {in.x, in.y + in.h * 28 / 100, in.w, in.h * 72 / 100};
			text(c, cap, caption(c, "room"), false, ALIGN_CENTER);
			text(c, num, c->f->room, true, ALIGN_CENTER);
		} else {
			int h3 = in.h / 3, gap = label_dots(dpi, 1);
			struct box risk = {in.x, in.y, in.w, h3 - gap};
			struct box name = {in.x, in.y + h3, in.w, h3 - gap};
			struct box rel = {in.x, in.y + 2 * h3, in.w, h3 - gap};
			char buf[160];
			draw_risk(c, risk);
			text(c, name, c->f->name, true, ALIGN_LEFT);
			snprintf(buf, sizeof(buf), "%s %s", caption(c, "release"),
			         has(c->f->release) ? c->f->release : "");
			text(c, rel, buf, false, ALIGN_LEFT);
		}
		x += g;
	}
	return 0;
}

static int layout_door(struct ctx *c)
{
	struct label *l = c->l;
	int dpi = l->dpi, m = label_dots(dpi, c->spec->margin_mm), gap = label_dots(dpi, 2);
	int border = dpi >= 300 ? 4 : 3;
	struct box all = {m, m, l->width - 2 * m, l->height - 2 * m};
	label_box(l, all.x, all.y, all.w, all.h, border);
	all = inset(all, border + gap);
	int q = label_dots(dpi, c->spec->qr_mm);
	q = q < all.h * 6 / 10 ? q : all.h * 6 / 10;
	int rw = q;
	struct box left = {all.x, all.y, all.w - rw - gap, all.h};
	struct box right = {left.x + left.w + gap, all.y, rw, all.h};
	/* room: caption and number, top 40% */
	struct box cap = {left.x, left.y, left.w, left.h * 10 / 100};
	struct box num = {left.x, left.y + left.h * 12 / 100, left.w, left.h * 28 / 100};
	text(c, cap, caption(c, "room"), false, ALIGN_LEFT);
	text(c, num, c->f->room, true, ALIGN_LEFT);
	int y = left.y + left.h * 44 / 100;
	label_fill(l, left.x, y - gap, left.w, 2, true);
	int n = 0;
	while (n < 4 && has(c->f->occupants[n]))
		n++;
	int rows_h = left.h * 40 / 100, per = rows_h / (n > 2 ? n : 2);
	for (int i = 0; i < n; i++) {
		struct box nb = {left.x, y + i * per, left.w, per - gap / 2};
		text(c, nb, c->f->occupants[i], false, ALIGN_LEFT);
	}
	char buf[160];
	snprintf(buf, sizeof(buf), "%s %s", caption(c, "release"),
	         has(c->f->release) ? c->f->release : "");
	struct box rel = {left.x, left.y + left.h * 88 / 100, left.w, left.h * 12 / 100};
	text(c, rel, buf, false, ALIGN_LEFT);
	struct box qb = {right.x, right.y, q, q};
	if (has(c->f->token)) {
		int rc = qr_or_fail(c, qb);
		if (rc)
			return rc;
	}
	int rest = right.h - q, yy = right.y + q + gap;
	struct box risk = {right.x, yy, right.w, rest / 2 - gap};
	draw_risk(c, risk);
	if (c->f->care) {
		int hs = rest / 2 - gap;
		draw_heart(l, right.x, yy + rest / 2, hs);
		struct box cb = {right.x + hs + gap, yy + rest / 2, right.w - hs - gap, hs};
		text(c, cb, caption(c, "care"), true, ALIGN_LEFT);
	}
	return 0;
}

static int layout_meal(struct ctx *c)
{
	struct label *l = c->l;
	int dpi = l->dpi, m = label_dots(dpi, c->spec->margin_mm), gap = label_dots(dpi, 1.5);
	struct box all = {m, m, l->width - 2 * m, l->height - 2 * m};
	int q = has(c->f->token) ? label_dots(dpi, c->spec->qr_mm) : 0;
	q = q < all.h * 55 / 100 ? q : all.h * 55 / 100;
	struct box left = {all.x, all.y, all.w - q - (q ? gap : 0), all.h};
	struct box cap = {left.x, left.y, left.w, left.h * 14 / 100};
	struct box num = {left.x, left.y + left.h * 17 / 100, left.w, left.h * 36 / 100};
	char buf[160];
	snprintf(buf, sizeof(buf), "%s · %s", caption(c, "meal"), caption(c, "room"));
	text(c, cap, buf, false, ALIGN_LEFT);
	text(c, num, c->f->room, true, ALIGN_LEFT);
	label_fill(l, all.x, all.y + all.h * 57 / 100, all.w, 2, true);
	static const struct {
		unsigned flag;
		const char *key;
	} diets[] = {{LABEL_DIET_ELDERLY, "diet.elderly"},
	             {LABEL_DIET_CHILD, "diet.child"},
	             {LABEL_DIET_HALAL, "diet.halal"},
	             {LABEL_DIET_VEGETARIAN, "diet.vegetarian"},
	             {LABEL_DIET_SOFT, "diet.soft"}};
	char words[320] = "";
	for (size_t i = 0; i < sizeof(diets) / sizeof(diets[0]); i++) {
		if (!(c->f->diet & diets[i].flag))
			continue;
		size_t used = strlen(words);
		snprintf(words + used, sizeof(words) - used, "%s%s", used ? " · " : "",
		         caption(c, diets[i].key));
	}
	struct box w1 = {all.x, all.y + all.h * 61 / 100, all.w, all.h * 19 / 100};
	struct box w2 = {all.x, all.y + all.h * 82 / 100, all.w, all.h * 18 / 100};
	text(c, w1, words, true, ALIGN_LEFT);
	text(c, w2, c->f->diet_note, false, ALIGN_LEFT);
	if (q) {
		struct box qb = {all.x + all.w - q, all.y, q, q};
		return qr_or_fail(c, qb);
	}
	return 0;
}

static int layout_sample(struct ctx *c)
{
	struct label *l = c->l;
	int dpi = l->dpi, m = label_dots(dpi, c->spec->margin_mm), gap = label_dots(dpi, 0.3);
	struct box all = {m, m, l->width - 2 * m, l->height - 2 * m};
	int q = label_dots(dpi, c->spec->qr_mm);
	q = qr_side(c->f->token, q < all.h ? q : all.h);
	if (q < 0)
		return q;
	/* the same code at both ends: one faces the reader whichever way the tube turns */
	struct box q1 = {all.x, all.y, q, all.h};
	struct box q2 = {all.x + all.w - q, all.y, q, all.h};
	int rc = qr_or_fail(c, q1);
	if (!rc)
		rc = qr_or_fail(c, q2);
	if (rc)
		return rc;
	struct box mid = {all.x + q + gap, all.y, all.w - 2 * q - 2 * gap, all.h};
	int h3 = mid.h / 3;
	struct box r1 = {mid.x, mid.y, mid.w, h3 - 1};
	struct box r2 = {mid.x, mid.y + h3, mid.w, h3 - 1};
	struct box r3 = {mid.x, mid.y + 2 * h3, mid.w, h3 - 1};
	char buf[160];
	text(c, r1, c->f->sample_id, true, ALIGN_LEFT);
	snprintf(buf, sizeof(buf), "%s %s", has(c->f->room) ? c->f->room : "",
	         has(c->f->name) ? c->f->name : "");
	text(c, r2, buf, false, ALIGN_LEFT);
	text(c, r3, c->f->date, false, ALIGN_LEFT);
	return 0;
}

struct label_spec label_spec_default(enum label_kind kind)
{
	struct label_spec s = {.kind = kind, .lang = LABEL_LANG_ZH, .dpi = 203};
	switch (kind) {
	case LABEL_WRISTBAND:
		s.width_mm = 25, s.length_mm = 280, s.rotation = 90, s.qr_mm = 22,
		s.margin_mm = 1.5;
		break;
	case LABEL_DOOR:
		s.width_mm = 100, s.length_mm = 60, s.qr_mm = 32, s.margin_mm = 2;
		break;
	case LABEL_MEAL:
		s.width_mm = 60, s.length_mm = 40, s.qr_mm = 20, s.margin_mm = 1.5;
		break;
	default:
		s.width_mm = 40, s.length_mm = 12, s.qr_mm = 10, s.margin_mm = 0.5;
		break;
	}
	return s;
}

int label_layout(struct label_kit *kit, const struct label_spec *spec,
                 const struct label_fields *fields, struct label **out)
{
	static int (*const layouts[LABEL_KIND_COUNT])(struct ctx *) = {
	    layout_wristband, layout_door, layout_meal, layout_sample};
	struct label_spec s = *spec;
	struct label_spec d = label_spec_default(spec->kind < LABEL_KIND_COUNT ? spec->kind : 0);
	int rc = -EINVAL;
	*out = NULL;
	if (!kit || s.kind >= LABEL_KIND_COUNT || s.lang >= LABEL_LANG_COUNT ||
	    (s.rotation != 0 && s.rotation != 90 && s.rotation != 180 && s.rotation != 270))
		return -EINVAL;
	if (s.qr_mm <= 0)
		s.qr_mm = d.qr_mm;
	if (s.margin_mm <= 0)
		s.margin_mm = d.margin_mm;
	bool need_token = s.kind == LABEL_WRISTBAND || s.kind == LABEL_SAMPLE;
	if ((need_token && !has(fields->token)) || (s.kind != LABEL_SAMPLE && !has(fields->room)))
		return -EINVAL;
	int w = label_dots(s.dpi, s.width_mm), h = label_dots(s.dpi, s.length_mm);
	bool quarter = s.rotation == 90 || s.rotation == 270;
	struct label *design = quarter ? label_new(h, w, s.dpi) : label_new(w, h, s.dpi);
	if (!design)
		return s.dpi < 100 || s.dpi > 600 || w <= 0 || h <= 0 ? -EINVAL : -ENOMEM;
	struct ctx c = {.kit = kit, .l = design, .spec = &s, .f = fields};
	rc = layouts[s.kind](&c);
	if (rc)
		goto out_design;
	if (s.rotation) {
		*out = label_rotate(design, s.rotation);
		rc = *out ? 0 : -ENOMEM;
		goto out_design;
	}
	*out = design;
	return 0;
out_design:
	label_free(design);
	return rc;
}
