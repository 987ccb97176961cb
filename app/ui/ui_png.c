/* app/ui/ui_png.c: write pixels as a PNG file with libpng (screenshots). */
#include "app/ui/ui.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

int ui_png_write(const char *path, const uint8_t *rgba, int w, int h, int stride)
{
	volatile int rc = -EIO; /* set after setjmp, read after a longjmp */
	FILE *f = fopen(path, "wb");
	if (!f)
		return -errno;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (!png)
		goto out_close;
	png_infop info = png_create_info_struct(png);
	uint8_t *row = malloc((size_t)w * 3);
	if (!info || !row)
		goto out_png;
	if (setjmp(png_jmpbuf(png)))
		goto out_png;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 3);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		const uint8_t *src = rgba + (size_t)y * (size_t)stride;
		for (int x = 0; x < w; x++) {
			row[3 * x] = src[4 * x];
			row[3 * x + 1] = src[4 * x + 1];
			row[3 * x + 2] = src[4 * x + 2];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	rc = 0;
out_png:
	free(row);
	png_destroy_write_struct(&png, info ? &info : NULL);
out_close:
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}
