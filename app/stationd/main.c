/* app/stationd/main.c: stationd, the station's sync server: reads its configuration, opens
 * the station store, serves the sync API (docs/sync.md) until SIGTERM or SIGINT, then
 * drains the requests in flight and closes the store. Wiring only. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/config.h"
#include "app/district/district.h"
#include "app/store/store.h"
#include "app/sync/server.h"
#include "app/sync/station.h"
#include "app/sys/sys.h"
#include "drivers/board/watchdog.h"

#define CONFIG_FILE_MAX (64 * 1024)
#define TLS_FILE_MAX    (256 * 1024)
#define DRAIN_MS        10000

static void usage(FILE *to)
{
	fprintf(
	    to,
	    "usage: stationd --config FILE\n"
	    "  [http]  listen = 127.0.0.1:8470, tls_cert = FILE, tls_key = FILE,\n"
	    "          max_body = BYTES, timeout = SECONDS\n"
	    "  [store] path = FILE (required)\n"
	    "  [station] id = NAME    [sync] lease_ttl = SECONDS    [log] level = info|debug\n"
	    "  [district] upstream = CONNINFO "
	    "(postgresql://ROLE@HOST/DB?sslmode=verify-full&...),\n"
	    "          batch = N, interval_ms = MS, backoff_min_ms = MS, backoff_max_ms = MS\n");
}

/* Read the configuration file; 0 or -1 with a line logged. */
static int config_load(const char *path, struct config *cfg)
{
	size_t len;
	char err[160];
	char *text = file_read_all(path, CONFIG_FILE_MAX, &len);
	if (!text) {
		log_err("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = config_parse(cfg, text, len, err, sizeof(err));
	free(text);
	if (rc)
		log_err("%s:%s", path, err);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static struct config cfg;
	const char *config_path = NULL;
	char *cert = NULL, *key = NULL;
	int status = 1, opt;
	char err[256];
	size_t len;

	log_init("stationd", LOG_LEVEL_INFO);
	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (opt == 'c') {
			config_path = optarg;
		} else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!config_path || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (config_load(config_path, &cfg))
		return 1;
	const char *level = config_get_str(&cfg, "log.level", "info");
	log_init("stationd", strcmp(level, "debug") == 0 ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);

	long max_body, timeout, lease_ttl;
	if (!config_get_int(&cfg, "http.max_body", 1024, 64L * 1024 * 1024, SYNC_REQUEST_MAX,
	                    &max_body) ||
	    !config_get_int(&cfg, "http.timeout", 1, 3600, 30, &timeout) ||
	    !config_get_int(&cfg, "sync.lease_ttl", 60, 30L * 86400, 86400, &lease_ttl)) {
		log_err("%s: http.max_body, http.timeout or sync.lease_ttl out of range",
		        config_path);
		return 1;
	}
	const char *store_path = config_get(&cfg, "store.path");
	if (!store_path || !*store_path) {
		log_err("%s: [store] path is required", config_path);
		return 1;
	}
	const char *cert_path = config_get(&cfg, "http.tls_cert");
	const char *key_path = config_get(&cfg, "http.tls_key");
	if (cert_path && !(cert = file_read_all(cert_path, TLS_FILE_MAX, &len))) {
		log_err("cannot read tls_cert %s: %s", cert_path, strerror(errno));
		goto out_free;
	}
	if (key_path && !(key = file_read_all(key_path, TLS_FILE_MAX, &len))) {
		log_err("cannot read tls_key %s: %s", key_path, strerror(errno));
		goto out_free;
	}

	/* Signals are taken by sigwait in this thread only; every thread started below
	 * inherits the blocked mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct sync_station_options so = {
	    .station_id = config_get_str(&cfg, "station.id", "station"),
	    .lease_ttl_s = lease_ttl,
	};
	/* The store creates or migrates the schema and checks the file's integrity first; a
	 * corrupt file is moved aside by store_open and stationd refuses to start. */
	struct store_error serr;
	struct store *store = store_open(store_path, &serr);
	if (!store) {
		log_err("cannot open the station store %s: %s", store_path, serr.message);
		goto out_free;
	}
	store_close(store);
	struct sync_station *st = sync_station_open(store_path, &so, err, sizeof(err));
	if (!st) {
		log_err("cannot open the station store: %s", err);
		goto out_free;
	}
	struct sync_server_options o = {
	    .listen = config_get_str(&cfg, "http.listen", "127.0.0.1:8470"),
	    .tls_cert = cert,
	    .tls_key = key,
	    .max_body = (size_t)max_body,
	    .timeout_s = (unsigned)timeout,
	};
	struct sync_server *srv = sync_server_start(sync_station_backend(st), &o, err, sizeof(err));
	if (!srv) {
		log_err("%s", err);
		goto out_close;
	}
	struct district_forwarder *fwd = NULL;
	const char *upstream = config_get(&cfg, "district.upstream");
	if (upstream && *upstream) {
		long batch, interval, bmin, bmax;
		if (!config_get_int(&cfg, "district.batch", 1, 5000, 500, &batch) ||
		    !config_get_int(&cfg, "district.interval_ms", 10, 3600000, 2000, &interval) ||
		    !config_get_int(&cfg, "district.backoff_min_ms", 10, 3600000, 1000, &bmin) ||
		    !config_get_int(&cfg, "district.backoff_max_ms", 10, 3600000, 60000, &bmax)) {
			log_err("%s: [district] batch or timings out of range", config_path);
			goto out_stop;
		}
		struct district_forward_options fo = {
		    .conninfo = upstream,
		    .store_path = store_path,
		    .station_id = so.station_id,
		    .batch = (int)batch,
		    .interval_ms = (int)interval,
		    .backoff_min_ms = (int)bmin,
		    .backoff_max_ms = (int)bmax,
		};
		/* the thread connects on its own: an unreachable hub never delays the station */
		if (!(fwd = district_forwarder_start(&fo, err, sizeof(err)))) {
			log_err("%s", err);
			goto out_stop;
		}
		log_info("forwarding to the district hub as station %s", so.station_id);
	}
	log_info("listening on %.*s:%u (%s), store %s", (int)(strrchr(o.listen, ':') - o.listen),
	         o.listen, sync_server_port(srv), cert ? "https" : "http", store_path);
	/* systemd: ready now; a heartbeat at half the watchdog interval while this loop runs */
	watchdog_notify("READY=1");
	int64_t beat_ms = watchdog_interval_ms() / 2;
	struct timespec wait = {.tv_sec = beat_ms > 0 ? beat_ms / 1000 : 3600,
	                        .tv_nsec = beat_ms > 0 ? (beat_ms % 1000) * 1000000L : 0};
	int sig = 0;
	for (;;) {
		sig = sigtimedwait(&stop, NULL, &wait);
		if (sig == SIGHUP) {
			log_info("SIGHUP ignored; restart to reload the configuration");
			continue;
		}
		if (sig < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (beat_ms > 0)
				watchdog_notify("WATCHDOG=1");
			continue;
		}
		break;
	}
	watchdog_notify("STOPPING=1");
	log_info("signal %d: finishing requests in flight", sig);
	status = 0;
	district_forwarder_stop(fwd);
out_stop:
	sync_server_stop(srv, DRAIN_MS);
	log_info("stopped");
out_close:
	sync_station_close(st);
out_free:
	free(cert);
	free(key);
	return status;
}
