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

/* The QR decoder: zbar configured for QR only (every other symbology off). */
struct qr_decoder;
struct qr_decoder *qr_decoder_new(void);
void qr_decoder_free(struct qr_decoder *d);
/* Decode the first QR code in the frame into out (NUL-terminated, cut to cap-1 bytes).
 * Returns its length, 0 when the frame holds no readable QR code, or -errno. */
int qr_decode(struct qr_decoder *d, const struct frame *f, char *out, size_t cap);

#endif

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
/* Take the newest decoded text, once: true with out filled (cut to cap-1 bytes). */
bool camera_reader_take(struct camera_reader *r, char *out, size_t cap);
/* The last camera error (-errno) since the previous call, or 0: -ENODEV means the camera
 * was unplugged; the reader keeps trying to reopen it from its spec. */
int camera_reader_error(struct camera_reader *r);
/* Frames grabbed and frames decoded so far (for the status line and benchmarks). */
void camera_reader_counts(struct camera_reader *r, uint64_t *grabbed, uint64_t *decoded);
/* Stop the thread and close the camera. */
void camera_reader_stop(struct camera_reader *r);
