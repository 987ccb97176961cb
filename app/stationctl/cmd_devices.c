/* app/stationctl/cmd_devices.c: `stationctl devices add|list|revoke`: enrol the kiosks,
 * security posts and front-desk devices that may sync with this station (docs/sync.md,
 * "Authentication"). Only a hash of each credential is stored. */
#include "app/stationctl/stationctl.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/sync/auth.h"

static const char usage_all[] =
    "Usage: stationctl devices add NAME --role entrance|security|frontdesk\n"
    "       stationctl devices list\n"
    "       stationctl devices revoke NAME\n"
    "add prints the device's credential DEVICEID.SECRET once: put it into the device's\n"
    "configuration ([sync] token, file mode 0600); the station keeps only its hash. NAME is\n"
    "the device id: letters, digits, '-' and '_', at most 63. revoke refuses the device's\n"
    "requests from now on (401).\n";

static int devices_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
	                                     {NULL, 0, NULL, 0}};
	const char *role_name = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		if (opt != 'r') {
			ctl_usage(&ctl_cmd_devices, stderr);
			return CTL_USAGE;
		}
		role_name = optarg;
	}
	enum sync_role role;
	if (!role_name || optind != argc - 1 || !sync_role_parse(role_name, &role)) {
		ctl_usage(&ctl_cmd_devices, stderr);
		return CTL_USAGE;
	}
	const char *id = argv[optind];
	if (!sync_device_id_valid(id)) {
		fprintf(stderr, "devices add: '%s' is not a device id (letters, digits, - and _)\n",
		        id);
		return CTL_USAGE;
	}
	struct device_record d = {.added_at = (int64_t)time(NULL)};
	char secret[SYNC_SECRET_HEX + 1], token[SYNC_TOKEN_MAX];
	snprintf(d.id, sizeof(d.id), "%s", id);
	snprintf(d.name, sizeof(d.name), "%s", id);
	snprintf(d.role, sizeof(d.role), "%s", sync_role_name(role));
	if (sync_secret_generate(secret) || sync_secret_hash(secret, d.credential_hash) ||
	    sync_token_format(id, secret, token)) {
		fprintf(stderr, "devices add: cannot make a credential\n");
		return CTL_FAILED;
	}
	memset(secret, 0, sizeof(secret));
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int status = store_device_add(st, &d);
	if (status)
		fprintf(stderr, "devices add: %s: %s\n", id,
		        status == STORE_E_EXISTS ? "a device with this id exists"
		                                 : store_errmsg(st));
	else
		printf("%s\n", token);
	memset(token, 0, sizeof(token));
	store_close(st);
	return status ? CTL_FAILED : CTL_OK;
}

static int devices_list(struct ctl *ctl)
{
	struct store *st = ctl_store_open(ctl, 1);
	struct device_record *list = NULL;
	size_t n = 0;
	if (!st)
		return CTL_FAILED;
	int status = store_devices_list(st, &list, &n);
	if (status)
		fprintf(stderr, "devices list: %s\n", store_errmsg(st));
	for (size_t i = 0; i < n; i++)
		printf("%-24s %-10s %s\n", list[i].id, list[i].role,
		       list[i].revoked_at ? "revoked" : "active");
	free(list);
	store_close(st);
	return status ? CTL_FAILED : CTL_OK;
}

static int devices_revoke(struct ctl *ctl, const char *id)
{
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int status = store_device_revoke(st, id, (int64_t)time(NULL));
	if (status)
		fprintf(stderr, "devices revoke: %s: %s\n", id,
		        status == STORE_E_NOT_FOUND ? "no such device" : store_errmsg(st));
	store_close(st);
	return status ? CTL_FAILED : CTL_OK;
}

static int devices_run(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		ctl_usage(&ctl_cmd_devices, stdout);
		return CTL_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return devices_add(ctl, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return devices_list(ctl);
	if (argc == 3 && strcmp(argv[1], "revoke") == 0)
		return devices_revoke(ctl, argv[2]);
	ctl_usage(&ctl_cmd_devices, stderr);
	return CTL_USAGE;
}

const struct ctl_command ctl_cmd_devices = {
    .name = "devices",
    .summary = "enrol, list and revoke the devices that sync with this station",
    .usage = usage_all,
    .run = devices_run,
};
