/* app/kiosk/kiosk.h: the kiosk program's configuration and the parts it opens. The program
 * is wiring only: the flows decide (app/core), the services carry out (app/service), the
 * drivers and the window do the I/O. */
#ifndef HK_KIOSK_H
#define HK_KIOSK_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/core/config.h"
#include "app/core/flow_entrance.h"
#include "app/core/flow_security.h"
#include "app/core/strings.h"
#include "app/service/checkin.h"
#include "app/service/spool.h"
#include "app/service/verify.h"
#include "app/ui/ui.h"
#include "drivers/board/watchdog.h"
#include "drivers/camera/camera.h"
#include "drivers/scanner/scanner.h"

enum kiosk_mode {
	KIOSK_ENTRANCE,
	KIOSK_SECURITY,
	KIOSK_FRONTDESK,
};

/* Everything the configuration file and the command line decide. */
struct kiosk_config {
	enum kiosk_mode mode;
	char store_path[512];   /* the device's SQLite store */
	int store_min_free_mb;  /* entrance: below this much free space on the store's file
	                         * system new check-ins are refused at the scan; 0 never */
	char assets_dir[512];   /* assets/ (strings, briefing texts) */
	char scanner_spec[256]; /* "wedge", "serial:...", "evdev:..." */
	char camera_spec[512];  /* "" none, "files:DIR", "v4l2:...", "rpicam" */
	char printer_spec[512]; /* "png:DIR", "zpl+tcp://...", ... */
	char printer_fallback[512];
	char band_key_path[512]; /* the station's wristband signing key (hex, 0600) */
	char band_pub_path[512]; /* security post: the wristband public key (hex) */
	char font_regular[512], font_bold[512];
	char screenshots_dir[512]; /* "" off: a PNG of every new screen (demo, tests) */
	char state_file[512];      /* "" off: the current screen and its buttons as JSON */
	bool fullscreen;
	bool kiosk_lock;             /* swallow quit keys (fullscreen kiosk) */
	bool exit_after_first_frame; /* benchmark: log the first frame's time, then stop */
	int width, height;
	int volume;
	int wedge_gap_ms;             /* keyboard wedge: longest pause inside one scan (0: 40 ms) */
	bool demo;                    /* accept demo-issuer health codes */
	int skew_s;                   /* clock skew tolerated on health codes */
	enum verify_intl_policy intl; /* healthcode.international: evidence (default) or refuse */
	enum lang lang;
	struct flow_config flow;
	struct checkin_config checkin; /* policy, rooms, station id; key loaded at start */
	struct sec_config security;    /* security post: [checkpoint] name, exit, floors */
	struct {
		char url[256];        /* [sync] url: "http://station:8470"; "" no station (the
		                       * embedded demo): everything stays in the local store */
		char token_file[512]; /* DEVICEID.SECRET from `stationctl devices add`, mode 0600 */
		char ca_file[512];    /* the station's certificate for https; "" none */
		int lease_want;       /* entrance: rooms to hold leased (default 4) */
		int interval_s;       /* seconds between rounds when idle (default 5) */
	} sync;
};

/* Defaults, then the file (when path is not NULL), then nothing else: command-line options
 * are applied by the caller. Returns 0, or -1 with a message in err naming the line. */
int kiosk_config_load(struct kiosk_config *kc, const char *path, char *err, size_t errlen);

/* Read a 32-byte key written as 64 hex digits (and optional whitespace) from path. Returns
 * 0 or -errno (-EINVAL for a malformed file, -EPERM when group or others may read it). */
int kiosk_key_load(const char *path, uint8_t key[32]);

/* Read the sync credential "DEVICEID.SECRET" (surrounding whitespace dropped) from path into
 * token[size]. Returns 0 or -errno (-EPERM when group or others may read the file, -EINVAL
 * for an empty or over-long one). */
int kiosk_token_load(const char *path, char *token, size_t size);

/* ---- station sync (common.c) ---- */

struct sync_client;
/* Start the sync client on kc's store when [sync] is set: the token read, the store claimed
 * for the token's device, the thread started (lease_want rooms: 0 for a security post).
 * *out is NULL when [sync] is not set. Returns 0, or negative after logging why (a bad
 * token file, a store of another device). Stop with sync_client_stop(). */
int kiosk_sync_start(const struct kiosk_config *kc, int lease_want, struct sync_client **out);

/* The staff's line about sync into out[n]: "local store (no station)" when c is NULL,
 * else online / offline since HH:MM (local time of the last successful round) / refused,
 * with the records waiting (assets/strings/ui.json "sync.*"): waiting as counted in the
 * store now, or the client's count of its last round when waiting < 0. *offline (may be
 * NULL) is set when the station is configured but not reachable now. */
void kiosk_sync_status_text(struct sync_client *c, const struct strings *s, enum lang lang,
                            long waiting, char *out, size_t n, bool *offline);

/* Read a 32-byte public key (64 hex digits, as `stationctl band-key init` writes FILE.pub);
 * others may read it. Returns 0 or -errno (-EINVAL for a malformed file). */
int kiosk_public_key_load(const char *path, uint8_t key[32]);

/* Run the entrance kiosk until asked to quit. Returns the process exit code. */
int kiosk_run_entrance(const struct kiosk_config *kc);

/* Run the security post (checkpoint) until asked to quit. Returns the process exit code. */
int kiosk_run_security(const struct kiosk_config *kc);

/* Run the front desk (staff sign-in, search, cards, labels, occupancy) until asked to quit.
 * Returns the process exit code. */
int kiosk_run_frontdesk(const struct kiosk_config *kc);

/* ---- shared by the modes (common.c) ---- */

/* The scanners of one kiosk: the wedge (fed from the window's key events) or a serial/evdev
 * box (reopened each second while unplugged), and the camera reader. */
struct kiosk_input {
	const char *scanner_spec; /* borrowed from the configuration */
	struct scanner *scanner;  /* serial or evdev; NULL in wedge mode or while unplugged */
	struct wedge wedge;       /* wedge mode: fed from SDL text events */
	struct camera_reader *camera;
	int64_t next_try_ms;   /* when to try reopening the scanner box */
	uint64_t preview_seen; /* the last camera frame handed to the screen */
	uint8_t preview[CAMERA_PREVIEW_MAX_W * CAMERA_PREVIEW_MAX_H];
};

/* Open the scanner and the camera kc names. A scanner box not there yet is retried later.
 * Returns 0, or -EINVAL for a camera spec that is not valid. Close with kiosk_input_close. */
int kiosk_input_open(struct kiosk_input *in, const struct kiosk_config *kc);
void kiosk_input_close(struct kiosk_input *in);
/* Hand the newest camera frame, if there is a new one, to the screen's preview slot. */
struct ui;
void kiosk_input_preview(struct kiosk_input *in, struct ui *ui);
/* Feed a window event to the wedge (text and end keys; others are ignored). */
void kiosk_input_on_ui(struct kiosk_input *in, const struct ui_event *u);
/* A complete scan from the wedge or the scanner box: true with *out filled. */
bool kiosk_input_take_scanner(struct kiosk_input *in, struct scan *out);
/* The camera decodes only while active; true with *out filled when it read a code. */
bool kiosk_input_take_camera(struct kiosk_input *in, bool active, struct scan *out);

/* Write root (consumed) as compact JSON to path, atomically, when it differs from *written
 * (the last content written, owned, replaced). Returns 0 or negative. */
int kiosk_state_write(const char *path, json_t *root, char **written);

/* The device's store at kc->store_path. NULL after logging why. Close with store_close(). */
struct store;
struct store *kiosk_store_open(const struct kiosk_config *kc);

/* The station's wristband signing key (kc->band_key_path) into key. Returns 0, or -errno
 * after logging why (-EPERM: readable by others). The caller wipes key when done. */
int kiosk_band_key_load(const struct kiosk_config *kc, uint8_t key[32]);

/* Builds the first screen's display list for layout, in the texts given; 0 or negative. It
 * runs on another thread while the window opens: it may read what the mode set up before
 * kiosk_window_open() and nothing the main thread changes meanwhile. */
typedef int (*kiosk_first_screen)(void *ctx, const struct layout *layout,
                                  const struct strings *strings, struct display_list *dl);

/* SDL (video, events) and the window kc asks for, titled title; *layout for its logical size;
 * *strings, the screens' texts from kc->assets_dir. The texts load, and the texts of the
 * first screen (first(ctx, ...), may be NULL) render, on the font thread while SDL opens the
 * window. NULL after logging why (nothing is left open). Close with ui_close(), SDL_Quit()
 * and strings_free(). */
struct ui *kiosk_window_open(const struct kiosk_config *kc, const char *title,
                             struct layout *layout, struct strings **strings,
                             kiosk_first_screen first, void *ctx);

/* The UI loop's liveness for systemd: start when the first screen is up and the parts are
 * open (READY=1), beat once per loop turn (WATCHDOG=1 while the loop turns), stop before the
 * parts close (STOPPING=1). */
struct kiosk_watch {
	struct watchdog wd;
	int ui; /* the UI loop's part */
};
void kiosk_watch_start(struct kiosk_watch *w);
void kiosk_watch_beat(struct kiosk_watch *w);
void kiosk_watch_stop(void);

/* The label kit (fonts, labels.json) and the print spooler of kc's printers. */
struct kiosk_print {
	struct label_kit *kit;
	struct spool *spool;
};
/* Open both; notify(ctx) hears every job's outcome on the spooler's thread. Returns 0 or
 * -EINVAL after logging why; kiosk_print_close() either way. */
int kiosk_print_open(struct kiosk_print *kp, const struct kiosk_config *kc, spool_notify_fn notify,
                     void *ctx);
void kiosk_print_close(struct kiosk_print *kp);

/* The enabled buttons of dl that name() knows ("?" for others) as a JSON array of
 * {name, id, arg, x, y, w, h} for the state file (new reference). */
json_t *kiosk_state_buttons(const struct display_list *dl, const char *(*name)(int id, int *arg));

/* Save the window as DIR/NNN-NAME.png (n: the screen's number). Returns 0 or negative. */
int kiosk_screenshot(struct ui *ui, const char *dir, int n, const char *name);

#endif
