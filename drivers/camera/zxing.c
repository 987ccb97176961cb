/* drivers/camera/zxing.c: ZXing-cpp, the camera pipeline's second engine, as a plugin
 * ($(BUILD)/lib/healthkiosk/zxing.so, from zxing_plugin.cpp) opened when a decoder first asks for
 * it, so that ZXing and the C++ runtime stay off the kiosk's start-up path. Without the
 * plugin (a build without libzxing-dev, `make ZXING=0`) the pipeline is zbar alone. */
#include "drivers/camera/scan.h"

#include <errno.h>
#include <pthread.h>

#include "app/sys/sys.h"

typedef int decode_fn(const uint8_t *luma, int w, int h, int stride, char *out, size_t cap);

static decode_fn *decode;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_once(void)
{
	char path[4200], err[300];
	if (lib_plugin_path("zxing.so", path, sizeof(path)) != 0)
		return;
	void *lib = lib_open(path, err, sizeof(err));
	if (lib)
		decode = (decode_fn *)lib_sym(lib, "hk_zxing_decode", err, sizeof(err));
	if (!decode)
		log_info("camera: zbar alone (%s)", err);
}

bool zxing_available(void)
{
	pthread_once(&once, load_once);
	return decode != NULL;
}

int zxing_decode(const uint8_t *luma, int w, int h, int stride, char *out, size_t cap)
{
	if (!zxing_available()) {
		if (cap)
			out[0] = '\0';
		return -ENOTSUP;
	}
	return decode(luma, w, h, stride, out, cap);
}
