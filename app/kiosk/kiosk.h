/* app/kiosk/kiosk.h: the kiosk program's configuration and the parts it opens. The program
 * is wiring only: the flows decide (app/core), the services carry out (app/service), the
 * drivers and the window do the I/O. */
#ifndef HK_KIOSK_H
#define HK_KIOSK_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/config.h"
#include "app/core/flow_entrance.h"
#include "app/core/strings.h"
#include "app/service/checkin.h"

enum kiosk_mode {
	KIOSK_ENTRANCE,
	KIOSK_SECURITY,
	KIOSK_FRONTDESK,
};

/* Everything the configuration file and the command line decide. */
struct kiosk_config {
	enum kiosk_mode mode;
	char store_path[512];   /* the device's SQLite store */
	char assets_dir[512];   /* assets/ (strings, briefing texts) */
	char scanner_spec[256]; /* "wedge", "serial:...", "evdev:..." */
	char camera_spec[512];  /* "" none, "files:DIR", "v4l2:...", "rpicam" */
	char printer_spec[512]; /* "png:DIR", "zpl+tcp://...", ... */
	char printer_fallback[512];
	char band_key_path[512]; /* the station's wristband signing key (hex, 0600) */
	char font_regular[512], font_bold[512];
	char screenshots_dir[512]; /* "" off: a PNG of every new screen (demo, tests) */
	char state_file[512];      /* "" off: the current screen and its buttons as JSON */
	bool fullscreen;
	bool kiosk_lock;             /* swallow quit keys (fullscreen kiosk) */
	bool exit_after_first_frame; /* benchmark: log the first frame's time, then stop */
	int width, height;
	int volume;
	int wedge_gap_ms; /* keyboard wedge: longest pause inside one scan (0: 40 ms) */
	bool demo;        /* accept demo-issuer health codes */
	int skew_s;       /* clock skew tolerated on health codes */
	enum lang lang;
	struct flow_config flow;
	struct checkin_config checkin; /* policy, rooms, station id; key loaded at start */
};

/* Defaults, then the file (when path is not NULL), then nothing else: command-line options
 * are applied by the caller. Returns 0, or -1 with a message in err naming the line. */
int kiosk_config_load(struct kiosk_config *kc, const char *path, char *err, size_t errlen);

/* Read a 32-byte key written as 64 hex digits (and optional whitespace) from path. Returns
 * 0 or -errno (-EINVAL for a malformed file, -EPERM when group or others may read it). */
int kiosk_key_load(const char *path, uint8_t key[32]);

/* Run the entrance kiosk until asked to quit. Returns the process exit code. */
int kiosk_run_entrance(const struct kiosk_config *kc);

#endif
