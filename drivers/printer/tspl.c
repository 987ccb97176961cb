/* drivers/printer/tspl.c: TSPL jobs for TSC, Xprinter and Gprinter desktop label printers:
 * the label as a BITMAP, optionally with the printer's own QRCODE commands. */
#include "drivers/printer/encode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char ecc_letter[] = {'L', 'M', 'Q', 'H'};

/* Millimetres with one decimal, without locale or floating output differences. */
static void mm10(double mm, int *whole, int *tenth)
{
	int t = (int)(mm * 10 + 0.5);
	*whole = t / 10;
	*tenth = t % 10;
}

int tspl_encode(const struct label *l, const struct encode_opts *o, struct bytes *out)
{
	bool fail = false;
	const struct label *src = l;
	struct label *blanked = NULL;
	if (o->native_qr && l->n_qr) {
		blanked = label_clone(l, true);
		if (!blanked)
			return -ENOMEM;
		src = blanked;
	}
	int ww, wt, hw, ht, gw, gt;
	mm10(l->width * 25.4 / l->dpi, &ww, &wt);
	mm10(l->height * 25.4 / l->dpi, &hw, &ht);
	mm10(o->gap_mm > 0 ? o->gap_mm : 3.0, &gw, &gt);
	fail |= bytes_printf(out, "SIZE %d.%d mm,%d.%d mm\r\n", ww, wt, hw, ht) != 0;
	if (o->media == MEDIA_CONTINUOUS)
		fail |= bytes_printf(out, "GAP 0 mm,0 mm\r\n") != 0;
	else
		fail |= bytes_printf(out, "%s %d.%d mm,0 mm\r\n",
		                     o->media == MEDIA_BLACK_MARK ? "BLINE" : "GAP", gw, gt) != 0;
	fail |= bytes_printf(out, "DIRECTION 0\r\nREFERENCE 0,0\r\nCLS\r\n") != 0;
	fail |= bytes_printf(out, "BITMAP 0,0,%d,%d,0,", l->stride, l->height) != 0;
	size_t total = (size_t)l->stride * (size_t)l->height;
	uint8_t *inv = malloc(total ? total : 1);
	if (!inv) {
		label_free(blanked);
		return -ENOMEM;
	}
	for (size_t i = 0; i < total; i++)
		inv[i] = (uint8_t)~src->bits[i];
	fail |= bytes_put(out, inv, total) != 0;
	free(inv);
	fail |= bytes_printf(out, "\r\n") != 0;
	for (int i = 0; blanked && i < l->n_qr; i++) {
		const struct label_qr *q = &l->qr[i];
		fail |= bytes_printf(out, "QRCODE %d,%d,%c,%d,A,0,M2,\"", q->x, q->y,
		                     ecc_letter[q->ecc & 3], q->module > 10 ? 10 : q->module) != 0;
		for (const char *p = q->text; *p; p++) /* a quote inside data is \["] */
			fail |=
			    (*p == '"' ? bytes_printf(out, "\\[\"]") : bytes_put(out, p, 1)) != 0;
		fail |= bytes_printf(out, "\"\r\n") != 0;
	}
	fail |= bytes_printf(out, "PRINT 1,%d\r\n", o->copies > 0 ? o->copies : 1) != 0;
	label_free(blanked);
	return fail ? -ENOMEM : 0;
}
