/* drivers/printer/transport.h: moving bytes to a printer and its answers back, each call
 * bounded by a timeout: device file, TCP (port 9100), CUPS queue, numbered files in a
 * directory. Used by printer.c; knows nothing of printer languages. */
#ifndef HK_DRIVERS_PRINTER_TRANSPORT_H
#define HK_DRIVERS_PRINTER_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/printer/printer.h"

enum transport_kind {
	TRANSPORT_DEVICE, /* /dev/usb/lp0, or any path (a FIFO in tests) */
	TRANSPORT_TCP,    /* host[:port], raw socket, 9100 by default */
	TRANSPORT_CUPS,   /* a queue on the CUPS server */
	TRANSPORT_DIR,    /* numbered files in a directory */
};

struct transport;
struct transport_ops {
	/* Reach the printer for one job (connect, open). 0 or -errno. */
	int (*begin)(struct transport *t, uint64_t job_id);
	/* Send all of data; each wait for progress is bounded by timeout_ms. 0, or -errno
	 * with *sent telling how many bytes went out. */
	int (*write)(struct transport *t, const void *data, size_t n, size_t *sent);
	/* Read what the printer answers within timeout_ms: bytes read (0 on silence), or
	 * -ENOTSUP when this transport cannot read, or -errno. With n == 0 it only tells
	 * (-ENOTSUP or 0) whether the open link can answer. */
	int (*read)(struct transport *t, void *buf, size_t n, int timeout_ms);
	/* Finish the job (close, hand the document to CUPS, rename the file). 0 or -errno. */
	int (*end)(struct transport *t);
	/* Status from the transport itself (CUPS printer-state-reasons): 0 and *st filled,
	 * or -ENOTSUP. NULL when the transport has none. */
	int (*status)(struct transport *t, struct printer_status *st);
	void (*close)(struct transport *t);
};
struct transport {
	const struct transport_ops *ops;
	int timeout_ms;
};

/* A transport to `target` (path, "host:port", queue name or directory). `ext` names the
 * files of TRANSPORT_DIR ("png", "zpl"). NULL on a bad target or no memory. */
struct transport *transport_open(enum transport_kind kind, const char *target, const char *ext,
                                 int timeout_ms);

#endif
