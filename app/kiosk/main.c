/* app/kiosk/main.c: `kiosk`: the self-service kiosk of a health station. Reads its
 * configuration, applies command-line overrides and runs the chosen mode. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/kiosk/kiosk.h"
#include "app/sys/sys.h"

static void usage(FILE *out)
{
	fputs("usage: kiosk [--config FILE] [--mode entrance|security|frontdesk] [--windowed]\n"
	      "             [--size WxH] [--db FILE] [--assets DIR] [--screenshots DIR]\n"
	      "             [--state-file FILE] [--exit-after-first-frame] [--verbose]\n"
	      "\n"
	      "  --config FILE      configuration (default /etc/healthkiosk/kiosk.conf when it\n"
	      "                     exists); see docs/configuration.md\n"
	      "  --mode MODE        overrides [device] role\n"
	      "  --windowed         a window instead of fullscreen; quit keys work (development)\n"
	      "  --size WxH         logical screen size, e.g. 800x480 or 1080x1920\n"
	      "  --db FILE          the device's SQLite store, overrides [store] path\n"
	      "  --assets DIR       strings and briefing texts, overrides [ui] assets\n"
	      "  --screenshots DIR  write a PNG of every new screen (demo, tests)\n"
	      "  --state-file FILE  keep the current screen and its buttons there as JSON\n"
	      "  --exit-after-first-frame  log when the first frame is on screen and stop\n"
	      "                     (start-up benchmark, tests/bench/bench_ui.sh)\n",
	      out);
}

static int set(char *dst, size_t n, const char *v)
{
	return (size_t)snprintf(dst, n, "%s", v) < n ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"mode", required_argument, NULL, 'm'},
	    {"windowed", no_argument, NULL, 'w'},
	    {"size", required_argument, NULL, 's'},
	    {"db", required_argument, NULL, 'd'},
	    {"assets", required_argument, NULL, 'a'},
	    {"screenshots", required_argument, NULL, 'S'},
	    {"state-file", required_argument, NULL, 'F'},
	    {"exit-after-first-frame", no_argument, NULL, 'X'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL, *mode = NULL, *size = NULL, *db = NULL, *assets = NULL,
	           *shots = NULL, *state = NULL;
	bool windowed = false, verbose = false, first_frame = false;
	int c;
	while ((c = getopt_long(argc, argv, "c:m:ws:d:a:S:F:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'm':
			mode = optarg;
			break;
		case 'w':
			windowed = true;
			break;
		case 's':
			size = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'a':
			assets = optarg;
			break;
		case 'S':
			shots = optarg;
			break;
		case 'F':
			state = optarg;
			break;
		case 'X':
			first_frame = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init("kiosk", verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	/* A file size limit (systemd LimitFSIZE=, ulimit -f) must fail the write (EFBIG), as
	 * a full disk does (ENOSPC), not kill the kiosk with its person at the screen. */
	signal(SIGXFSZ, SIG_IGN);
	if (!config && access("/etc/healthkiosk/kiosk.conf", R_OK) == 0)
		config = "/etc/healthkiosk/kiosk.conf";
	static struct kiosk_config kc;
	char err[600];
	if (kiosk_config_load(&kc, config, err, sizeof(err)) != 0) {
		log_err("configuration: %s", err);
		return 2;
	}
	if (mode) {
		if (strcmp(mode, "entrance") == 0)
			kc.mode = KIOSK_ENTRANCE;
		else if (strcmp(mode, "security") == 0)
			kc.mode = KIOSK_SECURITY;
		else if (strcmp(mode, "frontdesk") == 0)
			kc.mode = KIOSK_FRONTDESK;
		else {
			usage(stderr);
			return 2;
		}
	}
	kc.exit_after_first_frame = first_frame;
	if (windowed) {
		kc.fullscreen = false;
		kc.kiosk_lock = false;
	}
	if (size && (sscanf(size, "%dx%d", &kc.width, &kc.height) != 2 || kc.width < 320 ||
	             kc.height < 240 || kc.width > 7680 || kc.height > 7680)) {
		log_err("--size takes WxH, e.g. 800x480");
		return 2;
	}
	if ((db && set(kc.store_path, sizeof(kc.store_path), db)) ||
	    (assets && set(kc.assets_dir, sizeof(kc.assets_dir), assets)) ||
	    (shots && set(kc.screenshots_dir, sizeof(kc.screenshots_dir), shots)) ||
	    (state && set(kc.state_file, sizeof(kc.state_file), state))) {
		log_err("a path on the command line is too long");
		return 2;
	}
	if (kc.screenshots_dir[0] && dir_make(kc.screenshots_dir, 0755) != 0) {
		log_err("cannot create %s", kc.screenshots_dir);
		return 1;
	}
	switch (kc.mode) {
	case KIOSK_ENTRANCE:
		return kiosk_run_entrance(&kc);
	case KIOSK_SECURITY:
		return kiosk_run_security(&kc);
	case KIOSK_FRONTDESK:
		return kiosk_run_frontdesk(&kc);
	default:
		log_err("unknown mode");
		return 2;
	}
}
