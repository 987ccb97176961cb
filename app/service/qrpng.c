/* app/service/qrpng.c: text -> libqrencode -> libpng, one row at a time. */
#include "app/service/qrpng.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <png.h>
#include <qrencode.h>

#define QRPNG_QUIET 4 /* modules of white around the code (ISO/IEC 18004) */

int qrpng_write(const char *path, const char *text, int scale)
{
	volatile int rc = -EIO;
	FILE *f = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	png_bytep volatile row = NULL;
	if (!path || !text || scale < 1 || scale > 32)
		return -EINVAL;
	QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!qr)
		return -EINVAL;
	int side = (qr->width + 2 * QRPNG_QUIET) * scale;
	f = fopen(path, "wb");
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	row = malloc((size_t)side);
	if (!f || !png || !info || !row || setjmp(png_jmpbuf(png)))
		goto out_free;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 8, PNG_COLOR_TYPE_GRAY,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < side; y++) {
		int my = y / scale - QRPNG_QUIET;
		for (int x = 0; x < side; x++) {
			int mx = x / scale - QRPNG_QUIET;
			bool dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
			            (qr->data[my * qr->width + mx] & 1);
			row[x] = dark ? 0 : 255;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	rc = 0;
out_free:
	png_destroy_write_struct(&png, &info);
	free(row);
	if (f && fclose(f) != 0 && rc == 0)
		rc = -EIO;
	QRcode_free(qr);
	return rc;
}
