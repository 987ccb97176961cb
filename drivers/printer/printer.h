/* drivers/printer/printer.h: send a rendered label to a printer chosen by a spec string:
 * a language (ZPL, TSPL, ESC/POS, PNG) over a transport (device file, TCP 9100, CUPS queue,
 * directory), with status queries where the transport can answer. */
#ifndef HK_DRIVERS_PRINTER_PRINTER_H
#define HK_DRIVERS_PRINTER_PRINTER_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/printer/label.h"

/* What the printer said about itself. */
struct printer_status {
	bool known;     /* the printer answered a status query (else the flags below are
	                 * only what the transport could tell: reachable or not) */
	bool offline;   /* not reachable, or reachable but silent */
	bool paper_out; /* also "media out" / "paper end" */
	bool head_open; /* print head up, or cover open */
	bool paused;
	bool ribbon_out;
	bool paper_low; /* ESC/POS near-end sensor */
	bool error;     /* another fault the printer reports (jam, cutter, temperature) */
};

/* Errors of printer_print() besides -errno. Every error except PRINTER_E_PARTIAL means
 * nothing reached the printer: the job may be retried or moved to another printer. */
enum printer_error {
	PRINTER_E_PAPER_OUT = -2001,
	PRINTER_E_HEAD_OPEN = -2002,
	PRINTER_E_PAUSED = -2003,
	PRINTER_E_OFFLINE = -2004, /* connected but no status answer (ZPL: media out or head
	                            * open on many models), or the queue is stopped */
	PRINTER_E_FAULT = -2005,   /* ribbon out, jam, other reported fault */
	PRINTER_E_PARTIAL = -2006, /* part of the job was sent before the link failed: the
	                            * label may have printed; ask staff before printing again */
};

/* One print job. The id is the caller's (the store's job row); it is written into the
 * stream where the language has comments (ZPL ^FX) and into file names and CUPS job
 * titles, so a job found twice can be told apart. Recording job state is the caller's. */
struct printer_job {
	uint64_t id;
	const struct label *label; /* borrowed */
	int copies;                /* 1 when 0 */
};

struct printer;
struct printer_ops {
	int (*print)(struct printer *p, const struct printer_job *job);
	int (*status)(struct printer *p, struct printer_status *st);
	void (*close)(struct printer *p);
};
struct printer {
	const struct printer_ops *ops;
};

/* Open a printer from a spec string "LANG[+TRANSPORT]:TARGET[?OPTIONS]":
 *   zpl+tcp://10.0.0.9:9100       tspl:/dev/usb/lp0         escpos+cups://QUEUE
 *   png:var/prints                zpl+dir:var/jobs          tspl+tcp://printer-2
 * LANG is zpl, tspl, escpos or png. Without +TRANSPORT the target says it: "//" host is
 * tcp, a path is the device file (png: a directory). tcp port defaults to 9100; cups uses
 * the server of CUPS_SERVER / client.conf. OPTIONS, "&"-separated: timeout_ms=3000 (every
 * connect, read and write), native_qr=1, compress=1 (ZPL ^GF compression),
 * media=gap|mark|continuous, gap_mm=3,
 * status=require|ask|off (default: require for zpl over tcp, ask otherwise: a silent printer
 * is then printed to anyway). Nothing is connected here: the transport is opened for each
 * job, so a printer that went away and came back is found on the next job. NULL on a bad
 * spec or no memory. Close with printer_close(). */
struct printer *printer_open(const char *spec);

/* Print one job: check status first where the transport can answer (a printer reporting
 * paper out, head open or pause gets nothing), then send the encoded job. 0 when every
 * byte was handed over (to the printer, the CUPS queue or the file); a PRINTER_E_* or
 * -errno (-ECONNREFUSED, -ETIMEDOUT, -ENOENT, ...) otherwise. Blocks at most about
 * three timeouts plus the transfer. */
int printer_print_job(struct printer *p, const struct printer_job *job);
/* printer_print_job() with id 0 and one copy. */
int printer_print(struct printer *p, const struct label *l);
/* Ask the printer. 0 with *st filled (st->known false when it cannot or did not answer;
 * st->offline when unreachable), or -errno on a bad argument. */
int printer_status(struct printer *p, struct printer_status *st);
void printer_close(struct printer *p);

/* The stable code of a printer_print() result for logs: "E_PRINTER_PAPER_OUT", ...,
 * or "errno:<name>"-style text for -errno values; never NULL, static storage. */
const char *printer_error_code(int err);

#endif
