/* drivers/printer/zpl.c: ZPL II jobs for Zebra label and wristband printers: the label as
 * one ^GF graphic field, optionally with the printer's own ^BQ QR codes. */
#include "drivers/printer/encode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char ecc_letter[] = {'L', 'M', 'Q', 'H'};

/* ^FD text with ^ ~ _ written as _XX (hex) under ^FH_, so data never ends a field. */
static int put_field_data(struct bytes *out, const char *text)
{
	bool fail = false;
	for (const char *p = text; *p; p++) {
		if (*p == '^' || *p == '~' || *p == '_')
			fail |= bytes_printf(out, "_%02X", (unsigned char)*p) != 0;
		else
			fail |= bytes_put(out, p, 1) != 0;
	}
	return fail ? -ENOMEM : 0;
}

/* A repeat count as ZPL writes it: g-z for multiples of 20 (20..400), G-Y for 1..19. */
static int put_run(struct bytes *out, char c, int n)
{
	bool fail = false;
	while (n > 0) {
		int chunk = n > 419 ? 419 : n;
		char code[3];
		size_t k = 0;
		if (chunk >= 20)
			code[k++] = (char)('g' + chunk / 20 - 1);
		if (chunk > 1 && chunk % 20 != 0)
			code[k++] = (char)('G' + chunk % 20 - 1);
		code[k++] = c;
		fail |= bytes_put(out, code, k) != 0;
		n -= chunk;
	}
	return fail ? -ENOMEM : 0;
}

/* The bitmap in ZPL's ASCII compression, row by row. */
static int put_compressed(const struct label *l, struct bytes *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = (size_t)l->stride * 2;
	char *row = malloc(n + 1);
	bool fail = !row;
	for (int y = 0; y < l->height && !fail; y++) {
		const uint8_t *b = l->bits + (size_t)y * (size_t)l->stride;
		if (y > 0 && memcmp(b, b - l->stride, (size_t)l->stride) == 0) {
			fail |= bytes_put(out, ":", 1) != 0;
			continue;
		}
		for (int i = 0; i < l->stride; i++) {
			row[2 * i] = hex[b[i] >> 4];
			row[2 * i + 1] = hex[b[i] & 15];
		}
		size_t end = n; /* the row's tail of one colour becomes "," or "!" */
		while (end > 0 && row[end - 1] == row[n - 1])
			end--;
		char tail = row[n - 1] == '0' ? ',' : row[n - 1] == 'F' ? '!' : 0;
		if (!tail)
			end = n;
		for (size_t i = 0; i < end && !fail;) {
			size_t j = i;
			while (j < end && row[j] == row[i])
				j++;
			fail |= put_run(out, row[i], (int)(j - i)) != 0;
			i = j;
		}
		if (tail)
			fail |= bytes_put(out, &tail, 1) != 0;
	}
	free(row);
	return fail ? -ENOMEM : 0;
}

static const char *tracking(enum media_tracking m)
{
	return m == MEDIA_BLACK_MARK ? "M" : m == MEDIA_CONTINUOUS ? "N" : "Y";
}

int zpl_encode(const struct label *l, const struct encode_opts *o, struct bytes *out)
{
	static const char hex[] = "0123456789ABCDEF";
	bool fail = false;
	const struct label *src = l;
	struct label *blanked = NULL;
	if (o->native_qr && l->n_qr) {
		blanked = label_clone(l, true);
		if (!blanked)
			return -ENOMEM;
		src = blanked;
	}
	size_t total = (size_t)l->stride * (size_t)l->height;
	fail |= bytes_printf(out, "^XA\n^FXhealthkiosk job %llu^FS\n",
	                     (unsigned long long)o->job_id) != 0;
	fail |= bytes_printf(out, "^PW%d\n^LL%d\n^MN%s\n^LH0,0\n", l->width, l->height,
	                     tracking(o->media)) != 0;
	fail |= bytes_printf(out, "^FO0,0^GFA,%zu,%zu,%d,", total, total, l->stride) != 0;
	if (o->zpl_compress) {
		fail |= put_compressed(src, out) != 0;
	} else {
		for (size_t i = 0; i < total && !fail; i++) {
			char pair[2] = {hex[src->bits[i] >> 4], hex[src->bits[i] & 15]};
			fail |= bytes_put(out, pair, 2) != 0;
		}
	}
	fail |= bytes_printf(out, "^FS\n") != 0;
	for (int i = 0; blanked && i < l->n_qr; i++) {
		const struct label_qr *q = &l->qr[i];
		int mag = q->module > 10 ? 10 : q->module;
		fail |= bytes_printf(out, "^FO%d,%d^BQN,2,%d^FH_^FD%cA,", q->x, q->y, mag,
		                     ecc_letter[q->ecc & 3]) != 0;
		fail |= put_field_data(out, q->text) != 0;
		fail |= bytes_printf(out, "^FS\n") != 0;
	}
	fail |= bytes_printf(out, "^PQ%d\n^XZ\n", o->copies > 0 ? o->copies : 1) != 0;
	label_free(blanked);
	return fail ? -ENOMEM : 0;
}
