// drivers/camera/zxing_plugin.cpp: the plugin zxing.so (QR only with ZXing-cpp), the camera
// pipeline's second engine, which drivers/camera/zxing.c opens; built only when pkg-config
// finds zxing (see the Makefile's ZXING). Its one entry point follows zxing_decode().
#define ZX_USE_UTF8 1
#include <ReadBarcode.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>

// The plugin is built with -fvisibility=hidden: this is all it exports.
extern "C" __attribute__((visibility("default"))) int
hk_zxing_decode(const uint8_t *luma, int w, int h, int stride, char *out, size_t cap)
{
	if (!luma || w <= 0 || h <= 0 || stride < w || !cap)
		return -EINVAL;
	try {
		ZXing::ImageView view(luma, w, h, ZXing::ImageFormat::Lum, stride);
		ZXing::DecodeHints hints;
		hints.setFormats(ZXing::BarcodeFormat::QRCode);
		ZXing::Result res = ZXing::ReadBarcode(view, hints);
		out[0] = '\0';
		if (!res.isValid())
			return 0;
		std::string text = res.text();
		size_t n = text.size() < cap ? text.size() : cap - 1;
		memcpy(out, text.data(), n);
		out[n] = '\0';
		return (int)n;
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	} catch (...) {
		return 0;
	}
}
