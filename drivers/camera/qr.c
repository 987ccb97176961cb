/* drivers/camera/qr.c: QR-only decoding of greyscale frames with zbar. */
#include "drivers/camera/camera.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

struct qr_decoder {
	zbar_image_scanner_t *scanner;
};

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
	return d;
}

void qr_decoder_free(struct qr_decoder *d)
{
	if (!d)
		return;
	zbar_image_scanner_destroy(d->scanner);
	free(d);
}

int qr_decode(struct qr_decoder *d, const struct frame *f, char *out, size_t cap)
{
	if (!f || !f->luma || f->width <= 0 || f->height <= 0 || f->stride < f->width || !cap)
		return -EINVAL;
	/* zbar wants a packed Y800 image: pass the buffer straight through when it is packed,
	 * copy the rows otherwise. */
	const uint8_t *packed = f->luma;
	uint8_t *copy = NULL;
	size_t size = (size_t)f->width * (size_t)f->height;
	if (f->stride != f->width) {
		copy = malloc(size);
		if (!copy)
			return -ENOMEM;
		for (int y = 0; y < f->height; y++)
			memcpy(copy + (size_t)y * (size_t)f->width,
			       f->luma + (size_t)y * (size_t)f->stride, (size_t)f->width);
		packed = copy;
	}
	zbar_image_t *img = zbar_image_create();
	if (!img) {
		free(copy);
		return -ENOMEM;
	}
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)f->width, (unsigned)f->height);
	zbar_image_set_data(img, packed, size, NULL);
	int n = zbar_scan_image(d->scanner, img);
	int len = 0;
	out[0] = '\0';
	if (n > 0) {
		const zbar_symbol_t *sym = zbar_image_first_symbol(img);
		for (; sym; sym = zbar_symbol_next(sym)) {
			if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
				continue;
			const char *data = zbar_symbol_get_data(sym);
			size_t dlen = zbar_symbol_get_data_length(sym);
			if (dlen >= cap)
				dlen = cap - 1;
			memcpy(out, data, dlen);
			out[dlen] = '\0';
			len = (int)dlen;
			break;
		}
	}
	zbar_image_destroy(img);
	free(copy);
	return len;
}
