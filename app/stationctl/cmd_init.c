/* app/stationctl/cmd_init.c: `stationctl init`: create (or upgrade) the store and set the
 * station's identity. Never clobbers an existing store. */
#include "app/stationctl/stationctl.h"

#include <getopt.h>
#include <string.h>

static int run_init(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"station", required_argument, NULL, 's'},
	    {"device", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	const char *station = NULL, *device = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			station = optarg;
			break;
		case 'd':
			device = optarg;
			break;
		case 'h':
			ctl_usage(&ctl_cmd_init, stdout);
			return CTL_OK;
		default:
			ctl_usage(&ctl_cmd_init, stderr);
			return CTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "init: unexpected argument '%s'\n", argv[optind]);
		ctl_usage(&ctl_cmd_init, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 0);
	if (!st)
		return CTL_FAILED;
	struct store_identity id;
	int rc = store_identity_get(st, &id);
	if (rc == 0 && (station || device || !*id.device_id)) {
		rc = store_identity_set(
		    st, station ? station : (*id.station_id ? id.station_id : "station"),
		    device ? device : (*id.device_id ? id.device_id : "stationd"));
		if (rc == 0)
			rc = store_identity_get(st, &id);
	}
	if (rc) {
		fprintf(stderr, "init: %s [%s]\n", store_errmsg(st), store_status_name(rc));
		store_close(st);
		return CTL_FAILED;
	}
	printf("store ready: %s (schema %d, station %s, device %s)\n", ctl->db_path,
	       store_schema_version(st), id.station_id, id.device_id);
	store_close(st);
	return CTL_OK;
}

const struct ctl_command ctl_cmd_init = {
    .name = "init",
    .summary = "create the store (or upgrade it) and set the station identity",
    .usage = "Usage: stationctl [--db FILE] init [--station ID] [--device ID]\n"
             "Create the store if missing, upgrade an older one, and set its identity.\n"
             "An existing store is kept: its data is never removed.\n\n"
             "  --station ID  the station's id (default: kept, or \"station\")\n"
             "  --device ID   this machine's device id in records (default: kept, or\n"
             "                \"stationd\")\n",
    .run = run_init,
};
