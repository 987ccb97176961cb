/* app/districtctl/main.c: districtctl, the district hub's admin and command-view CLI:
 * migrate the hub schema, add station and reader roles, forward a station store once, and
 * write the district report (CSV or HTML). Wiring only; see docs/district.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/district/district.h"
#include "app/sys/sys.h"

static void usage(FILE *to)
{
	fprintf(to,
	        "usage: districtctl COMMAND --hub CONNINFO ...\n"
	        "  migrate                          create or upgrade the hub schema\n"
	        "  station-add STATION ROLE         station login role; password on stdin\n"
	        "                                   (--no-password: certificate or peer auth)\n"
	        "  reader-add ROLE                  a read-all login role; password on stdin\n"
	        "  forward --store FILE --station ID [--batch N]\n"
	        "                                   forward a station store once, until caught up\n"
	        "  report [--day YYYY-MM-DD] [--tz ZONE] [--format csv|html] [--out FILE]\n");
}

/* The first line of stdin without its line end, or NULL. */
static char *password_read(void)
{
	static char line[256];
	if (!fgets(line, sizeof(line), stdin))
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return line[0] ? line : NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"hub", required_argument, NULL, 'H'},
	    {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"day", required_argument, NULL, 'd'},
	    {"tz", required_argument, NULL, 'z'},
	    {"store", required_argument, NULL, 's'},
	    {"station", required_argument, NULL, 'S'},
	    {"batch", required_argument, NULL, 'b'},
	    {"no-password", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *hub = NULL, *format = "csv", *out_path = NULL, *day_text = NULL;
	const char *tz = "Asia/Shanghai", *store = NULL, *station = NULL;
	int batch = 0, opt;
	bool no_password = false;
	char err[512];

	log_init("districtctl", LOG_LEVEL_INFO);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'H':
			hub = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'd':
			day_text = optarg;
			break;
		case 'z':
			tz = optarg;
			break;
		case 's':
			store = optarg;
			break;
		case 'S':
			station = optarg;
			break;
		case 'b':
			batch = atoi(optarg);
			break;
		case 'n':
			no_password = true;
			break;
		default:
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc || !hub) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[optind];
	int nargs = argc - optind - 1;
	char **args = argv + optind + 1;
	int rc;
	if (strcmp(cmd, "migrate") == 0 && nargs == 0) {
		int version = 0;
		rc = district_migrate(hub, &version, err, sizeof(err));
		if (!rc)
			printf("hub schema version %d\n", version);
	} else if (strcmp(cmd, "station-add") == 0 && nargs == 2) {
		rc = district_station_add(hub, args[0], args[1],
		                          no_password ? NULL : password_read(), err, sizeof(err));
	} else if (strcmp(cmd, "reader-add") == 0 && nargs == 1) {
		rc = district_reader_add(hub, args[0], no_password ? NULL : password_read(), err,
		                         sizeof(err));
	} else if (strcmp(cmd, "forward") == 0 && nargs == 0 && store && station) {
		struct district_forward_options o = {
		    .conninfo = hub, .store_path = store, .station_id = station, .batch = batch};
		int64_t sent = 0;
		rc = district_forward_once(&o, 0, &sent, err, sizeof(err));
		if (!rc)
			printf("forwarded %lld records\n", (long long)sent);
	} else if (strcmp(cmd, "report") == 0 && nargs == 0) {
		hk_day day;
		if (day_text) {
			if (!day_parse(day_text, &day)) {
				fprintf(stderr, "districtctl: --day must be YYYY-MM-DD\n");
				return 2;
			}
		} else {
			time_t now = time(NULL);
			struct tm tm;
			localtime_r(&now, &tm);
			day = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		}
		bool html = strcmp(format, "html") == 0;
		if (!html && strcmp(format, "csv") != 0) {
			fprintf(stderr, "districtctl: --format csv or html\n");
			return 2;
		}
		struct district_report r;
		rc = district_report_read(hub, day, tz, &r, err, sizeof(err));
		if (!rc) {
			FILE *out = out_path ? fopen(out_path, "wb") : stdout;
			if (!out) {
				snprintf(err, sizeof(err), "cannot write %s", out_path);
				rc = -1;
			} else {
				rc = html ? district_report_write_html(&r, out)
				          : district_report_write_csv(&r, out);
				if ((out_path ? fclose(out) : fflush(out)) != 0)
					rc = -1;
				if (rc)
					snprintf(err, sizeof(err), "write failed");
			}
			district_report_free(&r);
		}
	} else {
		usage(stderr);
		return 2;
	}
	if (rc) {
		fprintf(stderr, "districtctl: %s: %s\n", cmd, err);
		return 1;
	}
	return 0;
}
