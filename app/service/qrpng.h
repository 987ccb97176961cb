/* app/service/qrpng.h: a QR code of some text as a grayscale PNG file, for the demo issuer
 * (stationctl demo issue-code, hcgen) and anything else that hands a code to a screen. */
#ifndef HK_SERVICE_QRPNG_H
#define HK_SERVICE_QRPNG_H

/* Encode text (NUL-terminated, as 8-bit bytes) as a QR code at ECC level M, the smallest
 * version that holds it, and write it to path as an 8-bit grayscale PNG: scale pixels per
 * module (1..32), a quiet zone of 4 modules, black on white. Returns 0, -EINVAL (bad scale,
 * text too long for a QR code) or -EIO (the file cannot be written; errno kept). */
int qrpng_write(const char *path, const char *text, int scale);

#endif
