/* drivers/printer/png.c: a label as a 1-bit PNG, for previews, the demo and the tests. */
#include "drivers/printer/encode.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>

static void write_bytes(png_structp png, png_bytep data, png_size_t n)
{
	struct bytes *out = png_get_io_ptr(png);
	if (bytes_put(out, data, n) != 0)
		png_error(png, "no memory");
}

static void flush_nothing(png_structp png)
{
	(void)png;
}

int png_encode(const struct label *l, struct bytes *out)
{
	volatile int rc = -EIO;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (!png)
		return -ENOMEM;
	png_infop info = png_create_info_struct(png);
	if (!info)
		goto out_png;
	if (setjmp(png_jmpbuf(png)))
		goto out_png;
	png_set_write_fn(png, out, write_bytes, flush_nothing);
	png_set_IHDR(png, info, (png_uint_32)l->width, (png_uint_32)l->height, 1,
	             PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	             PNG_FILTER_TYPE_DEFAULT);
	png_uint_32 ppm = (png_uint_32)(l->dpi / 0.0254 + 0.5);
	png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	png_set_invert_mono(png); /* grey 1 is white; our bit 1 is black */
	for (int y = 0; y < l->height; y++)
		png_write_row(png, l->bits + (size_t)y * (size_t)l->stride);
	png_write_end(png, NULL);
	rc = 0;
out_png:
	png_destroy_write_struct(&png, info ? &info : NULL);
	return rc;
}
