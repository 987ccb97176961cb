/* drivers/printer/escpos.c: ESC/POS jobs for receipt-style thermal printers: the label as
 * GS v 0 raster bands, optionally with the printer's own GS ( k QR codes. */
#include "drivers/printer/encode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BAND_ROWS 256

/* A QR code can be sent natively only when its rows hold nothing else (no text, no other
 * code beside it): receipt printers print band by band, top to bottom. */
static bool qr_alone(const struct label *l, const struct label_qr *q)
{
	int s = q->module * q->modules;
	for (int y = q->y; y < q->y + s; y++)
		for (int x = 0; x < l->width; x++)
			if ((x < q->x || x >= q->x + s) && label_get(l, x, y))
				return false;
	return true;
}

static int put_raster(const struct label *l, int y0, int y1, struct bytes *out)
{
	bool fail = false;
	for (int y = y0; y < y1; y += BAND_ROWS) {
		int n = y1 - y < BAND_ROWS ? y1 - y : BAND_ROWS;
		uint8_t head[8] = {0x1D,
		                   0x76,
		                   0x30,
		                   0x00,
		                   (uint8_t)(l->stride & 0xFF),
		                   (uint8_t)(l->stride >> 8),
		                   (uint8_t)(n & 0xFF),
		                   (uint8_t)(n >> 8)};
		fail |= bytes_put(out, head, sizeof(head)) != 0;
		fail |= bytes_put(out, l->bits + (size_t)y * (size_t)l->stride,
		                  (size_t)n * (size_t)l->stride) != 0;
	}
	return fail ? -ENOMEM : 0;
}

static int put_qr(const struct label_qr *q, struct bytes *out)
{
	bool fail = false;
	size_t n = strlen(q->text) + 3;
	int module = q->module > 16 ? 16 : q->module;
	uint8_t margin[4] = {0x1D, 0x4C, (uint8_t)(q->x & 0xFF), (uint8_t)(q->x >> 8)};
	uint8_t model[9] = {0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00};
	uint8_t size[8] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, (uint8_t)module};
	uint8_t ecc[8] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, (uint8_t)(48 + (q->ecc & 3))};
	uint8_t store[8] = {0x1D, 0x28, 0x6B, (uint8_t)(n & 0xFF), (uint8_t)(n >> 8),
	                    0x31, 0x50, 0x30};
	uint8_t print[8] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30};
	uint8_t reset[4] = {0x1D, 0x4C, 0x00, 0x00};
	fail |= bytes_put(out, margin, sizeof(margin)) != 0;
	fail |= bytes_put(out, model, sizeof(model)) != 0;
	fail |= bytes_put(out, size, sizeof(size)) != 0;
	fail |= bytes_put(out, ecc, sizeof(ecc)) != 0;
	fail |= bytes_put(out, store, sizeof(store)) != 0;
	fail |= bytes_put(out, q->text, n - 3) != 0;
	fail |= bytes_put(out, print, sizeof(print)) != 0;
	fail |= bytes_put(out, reset, sizeof(reset)) != 0;
	return fail ? -ENOMEM : 0;
}

static int qr_by_y(const void *a, const void *b)
{
	const struct label_qr *qa = a, *qb = b;
	return (qa->y > qb->y) - (qa->y < qb->y);
}

int escpos_encode(const struct label *l, const struct encode_opts *o, struct bytes *out)
{
	static const uint8_t init[2] = {0x1B, 0x40};
	static const uint8_t tail[7] = {0x1B, 0x64, 0x04, 0x1D, 0x56, 0x42, 0x00};
	bool fail = false;
	struct label *blanked = NULL;
	struct label_qr native[LABEL_MAX_QR];
	int n_native = 0;
	if (o->native_qr && l->n_qr) {
		blanked = label_clone(l, false);
		if (!blanked)
			return -ENOMEM;
		/* codes that share rows with other ink stay in the raster */
		for (int i = 0; i < l->n_qr; i++)
			if (qr_alone(l, &l->qr[i]))
				native[n_native++] = l->qr[i];
		for (int i = 0; i < n_native; i++) {
			int s = native[i].module * native[i].modules;
			label_fill(blanked, native[i].x, native[i].y, s, s, false);
		}
		qsort(native, (size_t)n_native, sizeof(native[0]), qr_by_y);
	}
	const struct label *src = blanked ? blanked : l;
	for (int copy = 0; copy < (o->copies > 0 ? o->copies : 1); copy++) {
		int y = 0;
		fail |= bytes_put(out, init, sizeof(init)) != 0;
		for (int i = 0; i < n_native; i++) {
			fail |= put_raster(src, y, native[i].y, out) != 0;
			fail |= put_qr(&native[i], out) != 0;
			y = native[i].y + native[i].module * native[i].modules;
		}
		fail |= put_raster(src, y, l->height, out) != 0;
		fail |= bytes_put(out, tail, sizeof(tail)) != 0;
	}
	label_free(blanked);
	return fail ? -ENOMEM : 0;
}
