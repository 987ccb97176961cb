/* drivers/printer/encode.h: printer languages as pure byte producers: a label in, one
 * complete job out (ZPL II, TSPL, ESC/POS, PNG). No I/O here; transports send the bytes. */
#ifndef HK_DRIVERS_PRINTER_ENCODE_H
#define HK_DRIVERS_PRINTER_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/printer/label.h"

/* A growable byte buffer. Zero-initialise; free with bytes_free(). */
struct bytes {
	uint8_t *data;
	size_t len, cap;
};
/* Append; 0 or -ENOMEM (the buffer then keeps what it had). */
int bytes_put(struct bytes *b, const void *data, size_t n);
int bytes_printf(struct bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bytes_free(struct bytes *b);

enum media_tracking {
	MEDIA_GAP,        /* die-cut labels with gaps (ZPL ^MNY, TSPL GAP) */
	MEDIA_BLACK_MARK, /* black mark on the back (ZPL ^MNM, TSPL BLINE) */
	MEDIA_CONTINUOUS, /* continuous roll (ZPL ^MNN, TSPL GAP 0,0) */
};

struct encode_opts {
	bool native_qr; /* replace the drawn QR codes by the language's QR command */
	int copies;     /* 1 when 0 */
	enum media_tracking media;
	double gap_mm;     /* TSPL: gap or black-mark height (default 3 mm when 0) */
	uint64_t job_id;   /* written as a comment where the language has one (ZPL ^FX) */
	bool zpl_compress; /* ZPL: ^GF data in ASCII compression (repeat counts G-Y, g-z;
	                    * "," rest of row white, "!" rest black, ":" row repeated) */
};

/* Each encoder appends one complete job for `l` to `out` and returns 0, or -ENOMEM. The
 * output depends only on the label and the options (deterministic, for golden files).
 *
 * ZPL II: ^XA, ^FX job id, ^PW width, ^LL length, ^MN tracking, ^LH0,0, the bitmap as one
 * ^GFA field (ASCII hex, 1 = black; compressed with zpl_compress), ^PQ copies, ^XZ. native_qr: the
 * QR areas are blanked from the bitmap and each code is sent as ^FO^BQN,2,module^FD<ecc>A,text^FS.
 */
int zpl_encode(const struct label *l, const struct encode_opts *o, struct bytes *out);

/* TSPL: SIZE w mm,h mm; GAP (or BLINE) every job; DIRECTION 0; CLS; BITMAP 0,0,stride,h,0,
 * then the raw rows (TSPL bit 0 = black, so inverted from the label); native_qr:
 * QRCODE x,y,ecc,cell,A,0,M2,"text"; PRINT 1,copies. Lines end in CR LF. */
int tspl_encode(const struct label *l, const struct encode_opts *o, struct bytes *out);

/* ESC/POS: ESC @, then the bitmap as GS v 0 raster bands of at most 256 rows (1 = black),
 * then a feed (ESC d 4) and a partial cut (GS V 66 0); copies repeat the job. native_qr:
 * where a QR code's rows hold nothing else, those rows are sent as GS L (left margin) +
 * GS ( k model 2 / size / ecc / store / print instead of raster. */
int escpos_encode(const struct label *l, const struct encode_opts *o, struct bytes *out);

/* PNG: 1-bit greyscale, white paper, black dots, pHYs set to the label's dpi. 0, -ENOMEM
 * or -EIO (libpng failure). */
int png_encode(const struct label *l, struct bytes *out);

#endif
