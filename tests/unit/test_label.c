/* tests/unit/test_label.c: every label kind in Chinese and English is rendered, saved as a
 * PNG artifact and read back by zbar to the exact token; the ZPL, TSPL and ESC/POS streams
 * are parsed back into bitmaps here and read by zbar too; golden job files match byte for
 * byte (HK_UPDATE_GOLDEN=1 rewrites them). Needs a CJK font: skips clearly without one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zbar.h>

#include "drivers/fonts/fonts.h"
#include "drivers/printer/encode.h"
#include "drivers/printer/label.h"
#include "drivers/printer/label_strings.h"

#define TOKEN                                                                                      \
	"HKW1.eyJyIjoiMTIwOCIsImQiOiIyMDIyLTA1LTE1IiwiayI6InN0YXRpb24tMDEifQ.MEUCIQDx3v7Qm0"       \
	"p1Zk9sYl3uT8aRkq2vXw5c8b0Yq1N7s4WgIgV2JmZ3d0"
#define SAMPLE_CODE "S20220501-0042-1208"

static struct label_kit *kit;
static const char *skip_reason;

static int setup(void **state)
{
	(void)state;
	struct font_file f;
	if (!fonts_find(NULL, FONT_REGULAR, &f)) {
		skip_reason = "no CJK font installed (apt-get install fonts-noto-cjk)";
		return 0;
	}
	kit = label_kit_open(NULL, "assets/strings/labels.json", &skip_reason);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	label_kit_close(kit);
	return 0;
}

#define NEED_KIT()                                                                                 \
	do {                                                                                       \
		if (!kit) {                                                                        \
			fprintf(stderr, "# SKIP: %s\n", skip_reason);                              \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

static const char *artifact_dir(void)
{
	static char dir[512];
	const char *env = getenv("HK_LABEL_ARTIFACTS");
	const char *build = getenv("BUILD");
	if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else
		snprintf(dir, sizeof(dir), "%s/test-artifacts/labels",
		         build && *build ? build : "build");
	char part[512];
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		snprintf(part, sizeof(part), "%.*s", (int)(p - dir), dir);
		mkdir(part, 0755);
	}
	mkdir(dir, 0755);
	return dir;
}

static struct label_fields fields_for(enum label_kind kind)
{
	struct label_fields f = {
	    .room = "1208",
	    .name = kind == LABEL_MEAL ? NULL : "张*明",
	    .release = "2022-05-15",
	    .risk = RISK_RED,
	    .token = kind == LABEL_SAMPLE ? SAMPLE_CODE : TOKEN,
	    .occupants = {"张*明", "李*", "W*** Ming"},
	    .care = true,
	    .diet = LABEL_DIET_ELDERLY | LABEL_DIET_HALAL,
	    .diet_note = "花生过敏 peanut allergy",
	    .sample_id = SAMPLE_CODE,
	    .date = "2022-05-01",
	};
	return f;
}

static const char *kind_name[LABEL_KIND_COUNT] = {"wristband", "door", "meal", "sample"};
static const char *lang_name[LABEL_LANG_COUNT] = {"zh", "en", "both"};

/* zbar, QR only, over the rectangle of a bitmap; count of symbols equal to `want`, and
 * of symbols that are not. */
static void zbar_count(const struct label *l, int x0, int y0, int w, int h, const char *want,
                       int *good, int *bad)
{
	int pad = 8, W = w + 2 * pad, H = h + 2 * pad;
	unsigned char *grey = malloc((size_t)W * (size_t)H);
	assert_non_null(grey);
	memset(grey, 255, (size_t)W * (size_t)H);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if (label_get(l, x0 + x, y0 + y))
				grey[(size_t)(y + pad) * (size_t)W + (size_t)(x + pad)] = 0;
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_t *img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)W, (unsigned)H);
	zbar_image_set_data(img, grey, (unsigned long)W * (unsigned long)H, NULL);
	zbar_scan_image(sc, img);
	*good = *bad = 0;
	for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s)) {
		if (strcmp(zbar_symbol_get_data(s), want) == 0)
			(*good)++;
		else
			(*bad)++;
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	free(grey);
}

/* The whole label reads as the token, and so does every QR copy on its own. */
static void assert_label_reads(const struct label *l, const char *want, int want_qr)
{
	int good, bad;
	assert_int_equal(l->n_qr, want_qr);
	zbar_count(l, 0, 0, l->width, l->height, want, &good, &bad);
	assert_int_equal(bad, 0);
	assert_true(good >= 1);
	for (int i = 0; i < l->n_qr; i++) {
		const struct label_qr *q = &l->qr[i];
		int quiet = 4 * q->module, s = q->module * q->modules;
		assert_true(q->x - quiet >= 0 && q->y - quiet >= 0);
		zbar_count(l, q->x - quiet, q->y - quiet, s + 2 * quiet, s + 2 * quiet, want, &good,
		           &bad);
		assert_int_equal(bad, 0);
		assert_int_equal(good, 1);
	}
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static struct label *layout(enum label_kind kind, enum label_lang lang)
{
	struct label_spec spec = label_spec_default(kind);
	struct label_fields f = fields_for(kind);
	struct label *l = NULL;
	spec.lang = lang;
	assert_int_equal(label_layout(kit, &spec, &f, &l), 0);
	assert_non_null(l);
	return l;
}

static int expected_qr(enum label_kind kind)
{
	return kind == LABEL_WRISTBAND ? 4 : kind == LABEL_SAMPLE ? 2 : 1;
}

static void test_every_kind_reads_back(void **state)
{
	(void)state;
	NEED_KIT();
	const char *dir = artifact_dir();
	for (int kind = 0; kind < LABEL_KIND_COUNT; kind++) {
		for (int lang = 0; lang < LABEL_LANG_COUNT; lang++) {
			struct label *l = layout((enum label_kind)kind, (enum label_lang)lang);
			struct label_fields f = fields_for((enum label_kind)kind);
			assert_label_reads(l, f.token, expected_qr((enum label_kind)kind));
			/* the normal fields fit every kind without cutting */
			assert_int_equal(l->text_ellipsized, 0);
			struct bytes png = {0};
			assert_int_equal(png_encode(l, &png), 0);
			assert_memory_equal(png.data, "\x89PNG", 4);
			char path[700];
			snprintf(path, sizeof(path), "%s/%s_%s.png", dir, kind_name[kind],
			         lang_name[lang]);
			write_file(path, png.data, png.len);
			bytes_free(&png);
			label_free(l);
		}
	}
}

static void test_wristband_geometry(void **state)
{
	(void)state;
	NEED_KIT();
	struct label *l = layout(LABEL_WRISTBAND, LABEL_LANG_ZH);
	/* printed along its length: 25 mm across the head, 280 mm along the feed */
	assert_int_equal(l->width, label_dots(203, 25));
	assert_int_equal(l->height, label_dots(203, 280));
	for (int i = 0; i < l->n_qr; i++) {
		const struct label_qr *q = &l->qr[i];
		/* whole-dot modules, a quiet zone of at least 4 modules inside the band */
		assert_true(q->module >= 2);
		assert_true(q->x >= 4 * q->module);
		assert_true(q->x + (q->modules + 4) * q->module <= l->width);
		/* the copies are spread along the band */
		if (i)
			assert_true(q->y - l->qr[i - 1].y > label_dots(203, 50));
	}
	assert_int_equal(l->text_ellipsized, 0);
	label_free(l);
	/* at 300 dpi the same band has more dots and larger modules */
	struct label_spec spec = label_spec_default(LABEL_WRISTBAND);
	struct label_fields f = fields_for(LABEL_WRISTBAND);
	spec.dpi = 300;
	assert_int_equal(label_layout(kit, &spec, &f, &l), 0);
	assert_int_equal(l->width, label_dots(300, 25));
	assert_label_reads(l, TOKEN, 4);
	label_free(l);
	/* a shorter band fed the other way round */
	spec = label_spec_default(LABEL_WRISTBAND);
	spec.length_mm = 200;
	spec.rotation = 270;
	assert_int_equal(label_layout(kit, &spec, &f, &l), 0);
	assert_int_equal(l->height, label_dots(203, 200));
	assert_label_reads(l, TOKEN, 3);
	label_free(l);
}

static void test_module_size(void **state)
{
	(void)state;
	/* 22 mm at 203 dpi = 176 dots; version 7 (45 modules) + 8 quiet = 53: 3 dots */
	assert_int_equal(label_qr_module(176, 45), 3);
	assert_int_equal(label_qr_module(53 * 4 - 1, 45), 3);
	assert_int_equal(label_qr_module(53 * 4, 45), 4);
	assert_int_equal(label_qr_module(10, 21), 0);
}

static void test_text_never_overflows(void **state)
{
	(void)state;
	NEED_KIT();
	struct label_spec spec = label_spec_default(LABEL_WRISTBAND);
	struct label_fields f = fields_for(LABEL_WRISTBAND);
	struct label *l = NULL;
	f.name = "欧阳*********************************************娜 Very Long Name Indeed";
	f.room = "12345678901234567890";
	assert_int_equal(label_layout(kit, &spec, &f, &l), 0);
	assert_true(l->text_shrunk > 0);
	assert_true(l->text_ellipsized > 0);
	assert_label_reads(l, TOKEN, 4);
	label_free(l);
	/* a short name fits without any change */
	f = fields_for(LABEL_WRISTBAND);
	f.name = "李*";
	assert_int_equal(label_layout(kit, &spec, &f, &l), 0);
	assert_int_equal(l->text_ellipsized, 0);
	label_free(l);
}

static void test_bad_input(void **state)
{
	(void)state;
	NEED_KIT();
	struct label_spec spec = label_spec_default(LABEL_WRISTBAND);
	struct label_fields f = fields_for(LABEL_WRISTBAND);
	struct label *l = NULL;
	f.token = NULL;
	assert_int_equal(label_layout(kit, &spec, &f, &l), -EINVAL);
	assert_null(l);
	/* a token far too long for a 12 mm tube label */
	spec = label_spec_default(LABEL_SAMPLE);
	f = fields_for(LABEL_SAMPLE);
	char big[400];
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f.token = big;
	assert_int_equal(label_layout(kit, &spec, &f, &l), -E2BIG);
	spec.rotation = 45;
	assert_int_equal(label_layout(kit, &spec, &f, &l), -EINVAL);
}

static void test_rotation(void **state)
{
	(void)state;
	struct label *l = label_new(30, 10, 203);
	label_set(l, 2, 1, true);
	l->n_qr = 1;
	l->qr[0] = (struct label_qr){.x = 20, .y = 2, .module = 2, .modules = 3};
	struct label *r = label_rotate(l, 90);
	assert_int_equal(r->width, 10);
	assert_int_equal(r->height, 30);
	assert_true(label_get(r, 10 - 1 - 1, 2));
	assert_int_equal(r->qr[0].x, 10 - 2 - 6);
	assert_int_equal(r->qr[0].y, 20);
	label_free(r);
	r = label_rotate(l, 180);
	assert_true(label_get(r, 27, 8));
	label_free(r);
	assert_null(label_rotate(l, 45));
	label_free(l);
}

/* ---- the test's own decoders of the printer languages ---- */

static const char *find(const struct bytes *b, const char *what, size_t from)
{
	size_t n = strlen(what);
	for (size_t i = from; i + n <= b->len; i++)
		if (memcmp(b->data + i, what, n) == 0)
			return (const char *)b->data + i;
	return NULL;
}

/* ^GFA data, plain hex or ZPL ASCII compression, back into a bitmap. */
static struct label *zpl_decode(const struct bytes *b)
{
	const char *pw = find(b, "^PW", 0), *gf = find(b, "^GFA,", 0);
	assert_non_null(pw);
	assert_non_null(gf);
	int width = atoi(pw + 3);
	size_t total, total2;
	int row;
	assert_int_equal(sscanf(gf, "^GFA,%zu,%zu,%d,", &total, &total2, &row), 3);
	assert_int_equal(total, total2);
	assert_int_equal(row, (width + 7) / 8);
	int height = (int)(total / (size_t)row);
	struct label *l = label_new(width, height, 203);
	const char *p = gf + 5;
	for (int commas = 0; commas < 3; p++)
		commas += *p == ',';
	size_t rc = (size_t)row * 2, pos = 0;
	char *cur = malloc(rc), *prev = calloc(rc, 1);
	int y = 0, count = 0;
	for (; *p != '^'; p++) {
		char c = *p;
		bool done = false;
		if (c >= 'G' && c <= 'Y') {
			count += c - 'G' + 1;
		} else if (c >= 'g' && c <= 'z') {
			count += (c - 'g' + 1) * 20;
		} else if (c == ',' || c == '!') {
			memset(cur + pos, c == ',' ? '0' : 'F', rc - pos);
			done = true;
		} else if (c == ':') {
			assert_int_equal(pos, 0);
			assert_true(y > 0);
			memcpy(cur, prev, rc);
			done = true;
		} else {
			assert_non_null(strchr("0123456789ABCDEF", c));
			int n = count ? count : 1;
			assert_true(pos + (size_t)n <= rc);
			memset(cur + pos, c, (size_t)n);
			pos += (size_t)n;
			count = 0;
			done = pos == rc;
		}
		if (!done)
			continue;
		assert_true(y < height);
		for (int i = 0; i < row; i++) {
			unsigned v;
			char pair[3] = {cur[2 * i], cur[2 * i + 1], 0};
			assert_int_equal(sscanf(pair, "%2X", &v), 1);
			l->bits[(size_t)y * (size_t)row + (size_t)i] = (uint8_t)v;
		}
		memcpy(prev, cur, rc);
		pos = 0;
		y++;
	}
	assert_int_equal(y, height);
	assert_int_equal(pos, 0);
	free(cur);
	free(prev);
	return l;
}

static struct label *tspl_decode(const struct bytes *b)
{
	const char *bm = find(b, "BITMAP ", 0);
	assert_non_null(bm);
	int x, y, wb, h, mode, skip = 0;
	assert_int_equal(sscanf(bm, "BITMAP %d,%d,%d,%d,%d,%n", &x, &y, &wb, &h, &mode, &skip), 5);
	assert_int_equal(x, 0);
	assert_int_equal(mode, 0);
	struct label *l = label_new(wb * 8, h, 203);
	const uint8_t *d = (const uint8_t *)bm + skip;
	assert_true(d + (size_t)wb * (size_t)h <= b->data + b->len);
	for (size_t i = 0; i < (size_t)wb * (size_t)h; i++)
		l->bits[i] = (uint8_t)~d[i]; /* TSPL: 0 = black */
	return l;
}

static struct label *escpos_decode(const struct bytes *b, int width)
{
	size_t i = 0;
	int rows = 0, stride = (width + 7) / 8;
	uint8_t *bits = NULL;
	assert_true(b->len >= 2 && b->data[0] == 0x1B && b->data[1] == 0x40);
	i = 2;
	while (i + 8 <= b->len && b->data[i] == 0x1D && b->data[i + 1] == 0x76) {
		int xb = b->data[i + 4] | b->data[i + 5] << 8,
		    n = b->data[i + 6] | b->data[i + 7] << 8;
		assert_int_equal(xb, stride);
		bits = realloc(bits, (size_t)(rows + n) * (size_t)stride);
		memcpy(bits + (size_t)rows * (size_t)stride, b->data + i + 8,
		       (size_t)n * (size_t)stride);
		rows += n;
		i += 8 + (size_t)n * (size_t)stride;
	}
	/* feed and cut end the job */
	assert_int_equal(b->len - i, 7);
	assert_memory_equal(b->data + i, "\x1b\x64\x04\x1d\x56\x42\x00", 7);
	struct label *l = label_new(width, rows, 203);
	memcpy(l->bits, bits, (size_t)rows * (size_t)stride);
	free(bits);
	return l;
}

static void assert_same_bits(const struct label *a, const struct label *b)
{
	assert_int_equal(a->width, b->width);
	assert_int_equal(a->height, b->height);
	assert_memory_equal(a->bits, b->bits, (size_t)a->stride * (size_t)a->height);
}

static void test_streams_decode_to_token(void **state)
{
	(void)state;
	NEED_KIT();
	struct encode_opts o = {.copies = 1, .job_id = 7};
	for (int kind = 0; kind < LABEL_KIND_COUNT; kind++) {
		struct label *l = layout((enum label_kind)kind, LABEL_LANG_EN);
		const char *tok = fields_for((enum label_kind)kind).token;
		struct bytes z = {0}, t = {0}, e = {0};
		assert_int_equal(zpl_encode(l, &o, &z), 0);
		assert_int_equal(tspl_encode(l, &o, &t), 0);
		assert_int_equal(escpos_encode(l, &o, &e), 0);
		struct label *dz = zpl_decode(&z), *dt = tspl_decode(&t),
		             *de = escpos_decode(&e, l->width);
		assert_same_bits(l, dz);
		/* the compressed ZPL field decodes to the same bits, in far fewer bytes */
		struct bytes zc = {0};
		struct encode_opts oc = o;
		oc.zpl_compress = true;
		assert_int_equal(zpl_encode(l, &oc, &zc), 0);
		struct label *dzc = zpl_decode(&zc);
		assert_same_bits(l, dzc);
		assert_true(zc.len < z.len);
		label_free(dzc);
		bytes_free(&zc);
		assert_same_bits(l, de);
		assert_int_equal(dt->height, l->height);
		for (int y = 0; y < l->height; y++) /* TSPL pads the row to whole bytes */
			for (int x = 0; x < l->width; x++)
				assert_int_equal(label_get(dt, x, y), label_get(l, x, y));
		struct label *decoded[3] = {dz, dt, de};
		for (int i = 0; i < 3; i++) {
			int good, bad;
			zbar_count(decoded[i], 0, 0, decoded[i]->width, decoded[i]->height, tok,
			           &good, &bad);
			assert_int_equal(bad, 0);
			assert_true(good >= 1);
			label_free(decoded[i]);
		}
		bytes_free(&z);
		bytes_free(&t);
		bytes_free(&e);
		label_free(l);
	}
}

static void test_native_qr_commands(void **state)
{
	(void)state;
	NEED_KIT();
	struct label *l = layout(LABEL_WRISTBAND, LABEL_LANG_ZH);
	struct encode_opts o = {.native_qr = true, .copies = 2};
	struct bytes z = {0}, t = {0}, e = {0};
	assert_int_equal(zpl_encode(l, &o, &z), 0);
	assert_int_equal(tspl_encode(l, &o, &t), 0);
	assert_int_equal(escpos_encode(l, &o, &e), 0);
	/* the bitmap no longer holds a readable code: the printer draws them */
	struct label *dz = zpl_decode(&z);
	int good, bad;
	zbar_count(dz, 0, 0, dz->width, dz->height, TOKEN, &good, &bad);
	assert_int_equal(good + bad, 0);
	label_free(dz);
	char want[600];
	snprintf(want, sizeof(want), "^BQN,2,%d^FH_^FDMA,%s^FS", l->qr[0].module, TOKEN);
	assert_non_null(find(&z, want, 0));
	assert_non_null(find(&z, "^PQ2\n^XZ", 0));
	snprintf(want, sizeof(want), "QRCODE %d,%d,M,%d,A,0,M2,\"%s\"\r\n", l->qr[0].x, l->qr[0].y,
	         l->qr[0].module, TOKEN);
	assert_non_null(find(&t, want, 0));
	assert_non_null(find(&t, "PRINT 1,2\r\n", 0));
	/* ESC/POS: a QR store command carrying the token, four per copy */
	size_t at = 0;
	int stores = 0;
	const char *p;
	while ((p = find(&e, "\x1d\x28\x6b", at)) != NULL) {
		size_t off = (size_t)(p - (const char *)e.data);
		if (e.data[off + 6] == 0x50) {
			size_t n = (size_t)(e.data[off + 3] | e.data[off + 4] << 8) - 3;
			assert_int_equal(n, strlen(TOKEN));
			assert_memory_equal(e.data + off + 8, TOKEN, n);
			stores++;
		}
		at = off + 3;
	}
	assert_int_equal(stores, 8);
	bytes_free(&z);
	bytes_free(&t);
	bytes_free(&e);
	label_free(l);
	/* the door label's QR shares its rows with text, the sample label's two codes share
	 * theirs with each other: ESC/POS keeps them in the raster */
	for (int kind = LABEL_DOOR; kind <= LABEL_SAMPLE; kind += LABEL_SAMPLE - LABEL_DOOR) {
		l = layout((enum label_kind)kind, LABEL_LANG_ZH);
		o.copies = 1;
		assert_int_equal(escpos_encode(l, &o, &e), 0);
		assert_null(find(&e, "\x1d\x28\x6b", 0));
		struct label *de = escpos_decode(&e, l->width);
		assert_same_bits(l, de);
		label_free(de);
		bytes_free(&e);
		label_free(l);
	}
}

static void test_captions_file(void **state)
{
	(void)state;
	const char *why = NULL;
	char path[] = "/tmp/hk-labels-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	/* "risk.red" lacks its English word: the file is refused, nothing prints a hole */
	static const char json[] = "{\"room\": {\"zh\": \"房间\", \"en\": \"Room\"}, "
	                           "\"risk.red\": {\"zh\": \"特别关注\"}}";
	assert_int_equal(write(fd, json, sizeof(json) - 1), (ssize_t)(sizeof(json) - 1));
	close(fd);
	assert_null(label_strings_load(path, &why));
	assert_non_null(why);
	unlink(path);
	assert_null(label_strings_load("/nonexistent/labels.json", &why));
	struct label_strings *s = label_strings_load("assets/strings/labels.json", &why);
	assert_non_null(s);
	assert_string_equal(label_strings_get(s, "risk.red", "zh"), "特别关注");
	assert_string_equal(label_strings_get(s, "risk.red", "en"), "RED");
	assert_string_equal(label_strings_get(s, "no.such.key", "en"), "");
	label_strings_free(s);
}

/* ---- golden files ---- */

struct golden {
	const char *file;
	enum label_kind kind;
	enum label_lang lang;
	int (*encode)(const struct label *, const struct encode_opts *, struct bytes *);
	bool native;
	bool compress;
};

static const struct golden goldens[] = {
    {"wristband_zh.zpl", LABEL_WRISTBAND, LABEL_LANG_ZH, zpl_encode, false, false},
    {"wristband_zh_native.zpl", LABEL_WRISTBAND, LABEL_LANG_ZH, zpl_encode, true, false},
    {"door_en.zpl", LABEL_DOOR, LABEL_LANG_EN, zpl_encode, false, false},
    {"wristband_both_compressed.zpl", LABEL_WRISTBAND, LABEL_LANG_BOTH, zpl_encode, false, true},
    {"sample_zh_compressed.zpl", LABEL_SAMPLE, LABEL_LANG_ZH, zpl_encode, false, true},
    {"wristband_en.tspl", LABEL_WRISTBAND, LABEL_LANG_EN, tspl_encode, false, false},
    {"meal_zh.tspl", LABEL_MEAL, LABEL_LANG_ZH, tspl_encode, false, false},
    {"sample_en_native.tspl", LABEL_SAMPLE, LABEL_LANG_EN, tspl_encode, true, false},
    {"sample_zh.escpos", LABEL_SAMPLE, LABEL_LANG_ZH, escpos_encode, false, false},
    {"meal_both.escpos", LABEL_MEAL, LABEL_LANG_BOTH, escpos_encode, false, false},
    {"wristband_zh_native.escpos", LABEL_WRISTBAND, LABEL_LANG_ZH, escpos_encode, true, false},
};

static void test_golden_files(void **state)
{
	(void)state;
	NEED_KIT();
	const char *update = getenv("HK_UPDATE_GOLDEN");
	bool updating = update && strcmp(update, "1") == 0;
	/* goldens hold rendered text: they are only comparable with the font they were made
	 * with (font.txt: path, face, file size) */
	struct font_file ff;
	struct stat fst;
	char font_id[700] = "", recorded[700] = "";
	assert_true(fonts_find(NULL, FONT_REGULAR, &ff) && stat(ff.path, &fst) == 0);
	snprintf(font_id, sizeof(font_id), "%s#%d %lld\n", ff.path, ff.face,
	         (long long)fst.st_size);
	if (updating)
		write_file("tests/fixtures/printer/font.txt", font_id, strlen(font_id));
	FILE *ft = fopen("tests/fixtures/printer/font.txt", "r");
	if (ft) {
		if (!fgets(recorded, sizeof(recorded), ft))
			recorded[0] = '\0';
		fclose(ft);
	}
	if (strcmp(recorded, font_id) != 0) {
		fprintf(stderr,
		        "# SKIP: golden files were made with the font %s; this machine has %s",
		        recorded, font_id);
		skip();
	}
	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		const struct golden *g = &goldens[i];
		struct label *l = layout(g->kind, g->lang);
		struct encode_opts o = {
		    .native_qr = g->native, .copies = 1, .job_id = 42, .zpl_compress = g->compress};
		struct bytes b = {0};
		assert_int_equal(g->encode(l, &o, &b), 0);
		char path[256];
		snprintf(path, sizeof(path), "tests/fixtures/printer/%s", g->file);
		if (updating) {
			write_file(path, b.data, b.len);
			fprintf(stderr, "# rewrote %s\n", path);
		}
		FILE *f = fopen(path, "rb");
		uint8_t *want = malloc(b.len + 1);
		size_t n = f ? fread(want, 1, b.len + 1, f) : 0;
		bool same = f && n == b.len && memcmp(want, b.data, b.len) == 0;
		if (f)
			fclose(f);
		size_t got = b.len;
		free(want);
		bytes_free(&b);
		label_free(l);
		if (!same)
			fail_msg("%s is missing or differs from the encoder's output (%zu vs %zu "
			         "bytes); if the change is intended, rerun with HK_UPDATE_GOLDEN=1",
			         path, n, got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_module_size),
	    cmocka_unit_test(test_rotation),
	    cmocka_unit_test(test_every_kind_reads_back),
	    cmocka_unit_test(test_wristband_geometry),
	    cmocka_unit_test(test_text_never_overflows),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_streams_decode_to_token),
	    cmocka_unit_test(test_native_qr_commands),
	    cmocka_unit_test(test_captions_file),
	    cmocka_unit_test(test_golden_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
