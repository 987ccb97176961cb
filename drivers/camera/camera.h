/* drivers/camera/camera.h: frames from a camera (or its stand-in) and the QR decoder that
 * reads health codes and wristbands from them. */
#ifndef HK_DRIVERS_CAMERA_H
#define HK_DRIVERS_CAMERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One greyscale (luma) frame. The camera owns `luma`; it stays valid until the next grab
 * or close. */
struct frame {
	int width, height;
	int stride; /* bytes from one row to the next */
	const uint8_t *luma;
};

struct camera;

struct camera_ops {
	/* Wait up to timeout_ms for the next frame: 1 with *out filled, 0 when none came,
	 * or -errno (-ENODEV: the camera went away). */
	int (*grab)(struct camera *c, struct frame *out, int timeout_ms);
	void (*close)(struct camera *c);
};

struct camera {
	const struct camera_ops *ops;
};

/* Open a camera from its spec string:
 *   "v4l2:/dev/video0[,640x480]"  a USB (UVC) camera through zbar's V4L2 video support
 *   "rpicam[:640x480]"            the Raspberry Pi Camera Module 3: raw YUV420 frames read
 *                                 from `rpicam-vid --codec yuv420 -o -` (libcamera)
 *   "files:PATH"                  image files (PNG or PGM): one file, or a folder whose
 *                                 files are shown once each in name order, and files
 *                                 added to it later as they appear (for tests and demo;
 *                                 write a new file under a name starting with "." and
 *                                 rename it, so that no half-written file is shown)
 * Returns NULL with errno set. Close with camera_close(). */
struct camera *camera_open(const char *spec);
int camera_grab(struct camera *c, struct frame *out, int timeout_ms);
void camera_close(struct camera *c);

/* Read a PNG or PGM file into a greyscale buffer. Returns a malloc'ed buffer the caller
 * frees, with *w and *h set, or NULL. */
uint8_t *image_load_gray(const char *path, int *w, int *h);

/* The QR decoder: the pipeline every camera frame goes through (docs/performance.md):
 *   1. the region of interest only (the guide frame the scan screen draws), read in
 *      place, never copied;
 *   2. ZXing-cpp on it, when the build has it (cheap, reads skewed and noisy codes);
 *   3. a finder-pattern check on sparse rows: a frame without QR finder patterns ends
 *      here (an idle camera costs little);
 *   4. zbar (QR only) on the part of the frame the finder patterns span;
 *   5. perspective rectification from the three finder patterns, then zbar and ZXing;
 *   6. local contrast normalisation (faint codes, glare), then ZXing and zbar;
 *   7. the whole region again: ZXing-cpp, or zbar in a build without it.
 * zbar is always built in; ZXing-cpp is optional (the Makefile's ZXING). */
struct qr_decoder;
struct qr_decoder *qr_decoder_new(void);
void qr_decoder_free(struct qr_decoder *d);
/* Decode the first QR code in the frame into out (NUL-terminated, cut to cap-1 bytes).
 * Returns its length, 0 when the frame holds no readable QR code, or -errno. */
int qr_decode(struct qr_decoder *d, const struct frame *f, char *out, size_t cap);

/* The region of interest as fractions of the frame: left, top, width, height (the whole
 * frame is {0, 0, 1, 1}, the default). Returns 0, or -EINVAL when it leaves the frame or
 * is empty. */
struct qr_roi {
	float x, y, w, h;
};
int qr_decoder_set_roi(struct qr_decoder *d, const struct qr_roi *roi);
/* True when roi lies inside the frame and is not empty. */
bool qr_roi_valid(const struct qr_roi *roi);
/* Use ZXing-cpp as well as zbar (the default when built in). Returns 0, or -ENOTSUP when
 * the build has no ZXing-cpp and on is true. */
int qr_decoder_use_zxing(struct qr_decoder *d, bool on);
/* True when the build has ZXing-cpp. */
bool qr_decoder_has_zxing(void);

/* Which step of the pipeline ended the last qr_decode. */
enum qr_path {
	QR_PATH_NONE,      /* finder patterns seen, nothing read */
	QR_PATH_NO_FINDER, /* no finder patterns: stopped early */
	QR_PATH_ZXING,
	QR_PATH_ZBAR,
	QR_PATH_RECTIFIED,
	QR_PATH_NORMALISED,
	QR_PATH_COUNT
};
/* Frames decoded so far, by the step that ended them. */
struct qr_stats {
	uint64_t frames;
	uint64_t by_path[QR_PATH_COUNT];
	enum qr_path last;
};
void qr_decoder_stats(const struct qr_decoder *d, struct qr_stats *out);
/* The path's name for logs and benchmarks ("zbar", "no-finder", ...). */
const char *qr_path_name(enum qr_path p);

/* The camera reader: grabs and decodes on its own thread and hands the newest decoded
 * text to the UI thread through a one-slot mailbox (an older unread result is replaced,
 * never queued). The same text seen again within repeat_ms is not handed over twice: a
 * code held to the camera decodes in every frame. */
struct camera_reader;
/* Open the camera of `spec` (see camera_open) and start its thread. A camera that is
 * missing or goes away (unplugged) is reopened every second until it is back. Returns NULL
 * only when the spec is invalid or memory runs out. */
struct camera_reader *camera_reader_start(const char *spec, int repeat_ms);
/* Decode only while the screen asks for a scan; grabbing goes on either way. */
void camera_reader_set_active(struct camera_reader *r, bool active);
/* Decode only the region of interest of each frame (see qr_decoder_set_roi); the reader
 * thread takes it before its next decode. Returns 0 or -EINVAL. */
int camera_reader_set_roi(struct camera_reader *r, const struct qr_roi *roi);
/* Take the newest decoded text, once: true with out filled (cut to cap-1 bytes). */
bool camera_reader_take(struct camera_reader *r, char *out, size_t cap);
/* The last camera error (-errno) since the previous call, or 0: -ENODEV means the camera
 * was unplugged; the reader keeps trying to reopen it from its spec. */
int camera_reader_error(struct camera_reader *r);
/* The live preview: the newest frame, scaled down to fit CAMERA_PREVIEW_MAX_W x _H, as
 * greyscale into dst (room for CAMERA_PREVIEW_MAX_W * CAMERA_PREVIEW_MAX_H bytes; rows of *w
 * bytes). *seen is the caller's marker: true only when a frame newer than the last one it
 * took is there (then *seen, *w and *h are updated). */
#define CAMERA_PREVIEW_MAX_W 640
#define CAMERA_PREVIEW_MAX_H 480
bool camera_reader_preview(struct camera_reader *r, uint64_t *seen, uint8_t *dst, int *w, int *h);
/* Frames grabbed and frames decoded so far (for the status line and benchmarks). */
void camera_reader_counts(struct camera_reader *r, uint64_t *grabbed, uint64_t *decoded);
/* Stop the thread and close the camera. */
void camera_reader_stop(struct camera_reader *r);

#endif
