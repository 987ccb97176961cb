/* tests/tools/pngcheck.c: print "WIDTH HEIGHT COLOURS" of a PNG (colours: distinct RGB values,
 * counted up to 1<<24), so shell tests can check a screenshot's size and that it is not blank.
 *   pngcheck FILE      exit 0, or 1 when the file is not a readable PNG */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: pngcheck FILE\n");
		return 1;
	}
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, argv[1])) {
		fprintf(stderr, "pngcheck: %s: %s\n", argv[1], img.message);
		return 1;
	}
	img.format = PNG_FORMAT_RGB;
	size_t size = PNG_IMAGE_SIZE(img);
	uint8_t *px = malloc(size);
	uint8_t *seen = calloc(1u << 21, 1); /* one bit per 24-bit colour */
	int rc = 1;
	if (!px || !seen)
		goto out;
	if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
		fprintf(stderr, "pngcheck: %s: %s\n", argv[1], img.message);
		goto out;
	}
	unsigned long colours = 0;
	for (size_t i = 0; i + 2 < size; i += 3) {
		uint32_t c = (uint32_t)px[i] << 16 | (uint32_t)px[i + 1] << 8 | px[i + 2];
		if (!(seen[c >> 3] & (1u << (c & 7)))) {
			seen[c >> 3] |= (uint8_t)(1u << (c & 7));
			colours++;
		}
	}
	printf("%u %u %lu\n", img.width, img.height, colours);
	rc = 0;
out:
	png_image_free(&img);
	free(seen);
	free(px);
	return rc;
}
