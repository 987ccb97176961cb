/* drivers/camera/zxing_none.c: the build without ZXing-cpp (ZXING=0): zbar alone. The
 * Makefile leaves this file out when it builds drivers/camera/zxing.cpp instead. */
#include "drivers/camera/scan.h"

#include <errno.h>

bool zxing_available(void)
{
	return false;
}

int zxing_decode(const uint8_t *luma, int w, int h, int stride, char *out, size_t cap)
{
	(void)luma;
	(void)w;
	(void)h;
	(void)stride;
	if (cap)
		out[0] = '\0';
	return -ENOTSUP;
}
