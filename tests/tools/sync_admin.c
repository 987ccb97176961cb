/* tests/tools/sync_admin.c: the station-side sync admin calls from the shell, for the
 * integration tests and benchmarks (stationctl offers the same to staff):
 *   sync_admin DB device-add ID ROLE     prints the credential DEVICEID.SECRET
 *   sync_admin DB device-revoke ID
 *   sync_admin DB room-add NUMBER CAPACITY
 *   sync_admin DB rooms-add FIRST LAST CAPACITY   numbered rooms FIRST..LAST
 *   sync_admin DB publish KIND KEY JSON
 *   sync_admin DB mirror                 publish the store's changes; prints published=
 *   sync_admin DB counts                 records= conflicts= devices= changes= leases=
 *   sync_admin DB held ID                records= held_through=
 *   sync_admin DB integrity              exit 0 when PRAGMA integrity_check is ok */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/sync/station.h"

int main(int argc, char **argv)
{
	char err[256];
	int status = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: sync_admin DB COMMAND [ARGS]\n");
		return 2;
	}
	struct sync_station *st = sync_station_open(argv[1], NULL, err, sizeof(err));
	if (!st) {
		fprintf(stderr, "sync_admin: %s\n", err);
		return 1;
	}
	const char *cmd = argv[2];
	if (strcmp(cmd, "device-add") == 0 && argc == 5) {
		enum sync_role role;
		char token[SYNC_TOKEN_MAX];
		if (!sync_role_parse(argv[4], &role))
			status = SYNC_E_MALFORMED;
		else if (!(status = sync_station_device_add(st, argv[3], argv[3], role, token)))
			printf("%s\n", token);
	} else if (strcmp(cmd, "device-revoke") == 0 && argc == 4) {
		status = sync_station_device_revoke(st, argv[3]);
	} else if (strcmp(cmd, "room-add") == 0 && argc == 5) {
		status = sync_station_room_add(st, argv[3], atoi(argv[4]));
	} else if (strcmp(cmd, "rooms-add") == 0 && argc == 6) {
		for (long r = atol(argv[3]); r <= atol(argv[4]) && !status; r++) {
			char number[SYNC_ROOM_MAX];
			snprintf(number, sizeof(number), "%ld", r);
			status = sync_station_room_add(st, number, atoi(argv[5]));
		}
	} else if (strcmp(cmd, "mirror") == 0 && argc == 3) {
		int64_t published = 0;
		if (!(status = sync_station_mirror(st, &published)))
			printf("published=%lld\n", (long long)published);
	} else if (strcmp(cmd, "publish") == 0 && argc == 6) {
		status = sync_station_publish(st, argv[3], argv[4], argv[5]);
	} else if (strcmp(cmd, "counts") == 0 && argc == 3) {
		struct sync_station_counts c;
		if (!(status = sync_station_counts(st, &c)))
			printf(
			    "records=%lld conflicts=%lld devices=%lld changes=%lld leases=%lld\n",
			    (long long)c.records, (long long)c.conflicts, (long long)c.devices,
			    (long long)c.changes, (long long)c.leases);
	} else if (strcmp(cmd, "held") == 0 && argc == 4) {
		int64_t records, held;
		if (!(status = sync_station_device_held(st, argv[3], &records, &held)))
			printf("records=%lld held_through=%lld\n", (long long)records,
			       (long long)held);
	} else if (strcmp(cmd, "integrity") == 0 && argc == 3) {
		status = sync_station_integrity_ok(st) ? 0 : SYNC_E_INTERNAL;
	} else {
		fprintf(stderr, "sync_admin: unknown command or wrong arguments\n");
		sync_station_close(st);
		return 2;
	}
	if (status)
		fprintf(stderr, "sync_admin %s: %s\n", cmd, sync_status_code(status));
	sync_station_close(st);
	return status ? 1 : 0;
}
