/* drivers/scanner/scanner.h: read codes from a USB 2D scanner box, whichever way it is
 * configured: a serial (CDC ACM) port, an exclusively grabbed evdev keyboard, or keyboard
 * wedge text that the UI receives from SDL and feeds in. */
#ifndef HK_DRIVERS_SCANNER_H
#define HK_DRIVERS_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCAN_MAX 4096 /* longest code accepted, in bytes; longer scans are cut and flagged */

struct scan {
	char text[SCAN_MAX + 1]; /* NUL-terminated, suffix (CR/LF/Tab) removed */
	size_t len;
	bool truncated; /* the scan ended without its suffix (timeout) or was too long */
};

struct scanner;

struct scanner_ops {
	/* Wait up to timeout_ms for one complete scan. Returns 1 with *out filled, 0 when
	 * nothing arrived, or -errno (-ENODEV: the device went away; reopen later). */
	int (*read)(struct scanner *s, struct scan *out, int timeout_ms);
	/* A file descriptor to poll for input, or -1 (wedge). */
	int (*fd)(struct scanner *s);
	void (*close)(struct scanner *s);
};

struct scanner {
	const struct scanner_ops *ops;
};

/* Open a scanner from its spec string:
 *   "serial:/dev/ttyACM0[,baud=9600]"   CDC serial port, scans end in CR, LF or CRLF
 *   "evdev:/dev/input/by-id/...-kbd"    keyboard device read exclusively (EVIOCGRAB) with
 *                                       its own US key map; scans end in Enter or Tab
 *   "wedge"                             keyboard wedge through the UI (scanner_wedge_feed)
 * Returns NULL with errno set (EINVAL for a bad spec). Close with scanner_close(). */
struct scanner *scanner_open(const char *spec);
int scanner_read(struct scanner *s, struct scan *out, int timeout_ms);
void scanner_close(struct scanner *s);

/* Keyboard wedge: the scanner box types the code as a fast burst of keys ending in its
 * suffix; a person types slowly. The detector tells them apart by timing. */
struct wedge_config {
	int max_gap_ms; /* longest pause between two keys of one scan (default 40) */
	int min_len;    /* shortest burst taken as a scan (default 6) */
	int end_keys;   /* bit set of WEDGE_END_* that end a scan (default Enter|Tab) */
};
#define WEDGE_END_ENTER 1
#define WEDGE_END_TAB   2

struct wedge {
	struct wedge_config cfg;
	char buf[SCAN_MAX + 1];
	size_t len;
	bool overflow;
	int64_t last_ms; /* time of the last key of the burst in progress */
	bool have_scan;
	struct scan ready;
};

void wedge_init(struct wedge *w, const struct wedge_config *cfg); /* cfg NULL: defaults */
/* Feed typed text (UTF-8, as SDL_TEXTINPUT gives it) arriving at now_ms. */
void wedge_feed_text(struct wedge *w, const char *text, int64_t now_ms);
/* Feed an end key (WEDGE_END_ENTER or WEDGE_END_TAB) at now_ms. */
void wedge_feed_end(struct wedge *w, int end_key, int64_t now_ms);
/* Check for a finished scan at now_ms: a burst ended by its suffix, or a fast burst that
 * stopped without one (truncated=true) once max_gap_ms has passed. Returns true with *out
 * filled once per scan. Slow typing never comes out as a scan. */
bool wedge_take(struct wedge *w, int64_t now_ms, struct scan *out);

/* The wedge scanner behind scanner_open("wedge"): the UI feeds it. */
struct wedge *scanner_wedge(struct scanner *s); /* NULL when s is not a wedge scanner */

/* Translate one Linux key code (KEY_*) with the shift state to the character a US keyboard
 * types, or 0 when the key types nothing. Exposed for tests. */
char scanner_us_keymap(unsigned code, bool shift);

#endif
