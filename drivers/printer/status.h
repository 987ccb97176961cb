/* drivers/printer/status.h: parsers of the printers' status answers, one per language,
 * pure (bytes in, flags out) so they can be tested and fuzzed without a printer. */
#ifndef HK_DRIVERS_PRINTER_STATUS_H
#define HK_DRIVERS_PRINTER_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/printer/printer.h"

/* Common contract: reply holds the n bytes read so far (any bytes at all). True when they
 * make a complete answer: then st->known is set and the flags the answer carries are
 * written (others are left as they were). False for an incomplete or invalid answer, and
 * *st is then untouched. */

/* ZPL ~HS: three <STX>...<ETX> strings; string 1 field 2 paper out, field 3 pause; string 2
 * field 3 head up, field 4 ribbon out (fields by position, empty ones included). */
bool printer_zpl_status_parse(const uint8_t *reply, size_t n, struct printer_status *st);

/* TSPL <ESC>!?: one byte (the last one read counts); 0x01 head open, 0x02 jam, 0x04 paper
 * out, 0x08 ribbon out, 0x10 pause, 0x80 other error. */
bool printer_tspl_status_parse(const uint8_t *reply, size_t n, struct printer_status *st);

/* ESC/POS: the answers to DLE EOT 2 (offline cause) and DLE EOT 4 (roll paper sensor), one
 * byte each with bits 1 and 4 set and bits 0 and 7 clear. */
bool printer_escpos_status_parse(const uint8_t *reply, size_t n, struct printer_status *st);

#endif
