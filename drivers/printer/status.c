/* drivers/printer/status.c: reading the printers' answers to their status queries (ZPL ~HS,
 * TSPL <ESC>!?, ESC/POS DLE EOT); pure byte parsing, kept apart from the transports. */
#include "drivers/printer/status.h"

#include <stdlib.h>
#include <string.h>

/* ZPL ~HS: three <STX>...<ETX> strings. String 1 field 2 paper out, 3 pause; string 2
 * field 3 head up, 4 ribbon out. */
bool printer_zpl_status_parse(const uint8_t *r, size_t n, struct printer_status *st)
{
	char s[3][128];
	int found = 0;
	for (size_t i = 0; i < n && found < 3; i++) {
		if (r[i] != 0x02)
			continue;
		size_t j = i + 1;
		while (j < n && r[j] != 0x03)
			j++;
		if (j >= n)
			return false;
		size_t len = j - i - 1 < sizeof(s[0]) - 1 ? j - i - 1 : sizeof(s[0]) - 1;
		memcpy(s[found], r + i + 1, len);
		s[found][len] = '\0';
		found++;
		i = j;
	}
	if (found < 3)
		return false;
	int f1[12] = {0}, f2[12] = {0};
	for (int k = 0; k < 2; k++) {
		int *f = k ? f2 : f1, idx = 0;
		/* fields by position: an empty field counts (strtok would skip it and shift the
		 * fields after it onto the wrong flags) */
		for (char *tok = s[k]; tok && idx < 12; idx++) {
			char *comma = strchr(tok, ',');
			if (comma)
				*comma = '\0';
			f[idx] = atoi(tok);
			tok = comma ? comma + 1 : NULL;
		}
	}
	st->known = true;
	st->paper_out = f1[1] == 1;
	st->paused = f1[2] == 1;
	st->head_open = f2[2] == 1;
	st->ribbon_out = f2[3] == 1;
	return true;
}

/* TSPL <ESC>!?: one byte; 0x01 head open, 0x02 jam, 0x04 paper out, 0x08 ribbon out,
 * 0x10 pause, 0x20 printing, 0x80 other error. */
bool printer_tspl_status_parse(const uint8_t *r, size_t n, struct printer_status *st)
{
	if (n < 1)
		return false;
	uint8_t b = r[n - 1];
	st->known = true;
	st->head_open = b & 0x01;
	st->error = (b & 0x02) || (b & 0x80);
	st->paper_out = b & 0x04;
	st->ribbon_out = b & 0x08;
	st->paused = b & 0x10;
	return true;
}

/* ESC/POS DLE EOT 2 (offline cause) then DLE EOT 4 (roll paper sensor); each byte has
 * bit 1 and bit 4 set and bits 0 and 7 clear. */
bool printer_escpos_status_parse(const uint8_t *r, size_t n, struct printer_status *st)
{
	if (n < 2)
		return false;
	uint8_t cause = r[0], paper = r[1];
	if ((cause & 0x93) != 0x12 || (paper & 0x93) != 0x12)
		return false;
	st->known = true;
	st->head_open = cause & 0x04;
	st->paper_out = (cause & 0x20) || (paper & 0x60) == 0x60;
	st->error = cause & 0x40;
	st->paper_low = (paper & 0x0C) == 0x0C;
	return true;
}
