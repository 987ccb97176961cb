/* drivers/camera/scan.h: the pieces of the QR pipeline inside drivers/camera (not for
 * callers outside it): the finder-pattern locator, contrast normalisation and the
 * optional ZXing-cpp engine. */
#ifndef HK_DRIVERS_CAMERA_SCAN_H
#define HK_DRIVERS_CAMERA_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A QR finder pattern seen in the frame: its centre (pixels) and module size (pixels). */
struct finder {
	float x, y;
	float module; /* mean of the two below */
	float mh, mv; /* module size measured along the row and along the column */
	int hits;     /* scan lines that crossed it */
};

/* Look for QR finder patterns (the 1:1:3:1:1 dark-light bull's eyes) on every `step`-th
 * row of the w x h greyscale image, each confirmed by a vertical cross-check, with a local
 * threshold (so glare and low contrast still show them). Fills up to max finders, merged
 * by position. Returns how many. Costs a few operations per pixel of the rows it reads. */
int finder_locate(const uint8_t *luma, int w, int h, int stride, int step, struct finder *out,
                  int max);

/* Pick the three finders that form a QR code's corner triangle: out[0] the corner (top
 * left), out[1] and out[2] the two others. Returns true when three fit. */
bool finder_pick_triangle(const struct finder *f, int n, struct finder out[3]);

/* Local contrast normalisation: dst (packed w x h) = src standardised against the mean and
 * deviation of a window x window neighbourhood, so faint codes and codes under glare
 * come out black on white. tmp holds 2 * (w + 1) * (h + 1) 64-bit integers. */
void contrast_normalise(const uint8_t *src, int stride, int w, int h, int window, uint8_t *dst,
                        int64_t *tmp);

/* Sample the quadrilateral q (four corners in the source, clockwise from the top left),
 * widened on every side by `margin` times its own size, into an upright side x side image
 * dst (a homography, bilinear; outside the source reads as white). Returns 0, or -EINVAL
 * when the corners are degenerate. */
int rectify_quad(const uint8_t *src, int w, int h, int stride, const float q[4][2], float margin,
                 int side, uint8_t *dst);

/* ZXing-cpp (QR only, its default hints), when its plugin is installed (drivers/camera/zxing.c);
 * the first call opens it. */
bool zxing_available(void);
/* Decode the first QR code of the image into out (cut to cap-1 bytes, NUL-terminated).
 * Returns its length, 0 when none, -ENOTSUP without ZXing, -ENOMEM. Never throws. */
int zxing_decode(const uint8_t *luma, int w, int h, int stride, char *out, size_t cap);

#endif
