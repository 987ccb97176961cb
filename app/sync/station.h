/* app/sync/station.h: the station's side of sync on SQLite: the sync backend stationd
 * serves (records held exactly once by (device id, device seq), the change log devices
 * pull, room leases, conflicts), plus the admin calls stationctl and tests use. */
#ifndef HK_SYNC_STATION_H
#define HK_SYNC_STATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/sync/auth.h"
#include "app/sync/backend.h"

struct sync_station;

struct sync_station_options {
	const char *station_id; /* shown by /v1/health; "" or NULL: "station" */
	int64_t lease_ttl_s;    /* lease duration; 0: 86400. The grace after expiry is the same */
	/* The wall clock in unix seconds; NULL: the system clock. For tests of expiry. */
	int64_t (*now)(void *ctx);
	void *now_ctx;
};

/* Open (creating if missing) the station database at path: WAL, synchronous=FULL, a 5 s
 * busy timeout, and the sync tables (created when missing; the store's own `devices` and
 * `rooms` tables are used when the file has them). NULL with an English reason in err. */
struct sync_station *sync_station_open(const char *path, const struct sync_station_options *opt,
                                       char *err, size_t errlen);
/* The backend view of st for the server; closing it closes st. */
struct sync_backend *sync_station_backend(struct sync_station *st);
void sync_station_close(struct sync_station *st);

/* Enrol a device: a new secret, of which only the hash is stored; token gets
 * "DEVICEID.SECRET" to hand to the device once. SYNC_E_MALFORMED for a bad id or name,
 * SYNC_E_FORBIDDEN when the id is taken. */
int sync_station_device_add(struct sync_station *st, const char *device_id, const char *name,
                            enum sync_role role, char token[SYNC_TOKEN_MAX]);
/* Revoke a device: from now on its requests get 401. SYNC_E_NOT_FOUND when unknown. */
int sync_station_device_revoke(struct sync_station *st, const char *device_id);
/* Add a free room with capacity 1..16 (to the store's rooms table when the file has one)
 * and publish it as a "room" change. */
int sync_station_room_add(struct sync_station *st, const char *number, int capacity);
/* Publish a change for devices to pull (body: a JSON object text). */
int sync_station_publish(struct sync_station *st, const char *kind, const char *key,
                         const char *body);

/* Publish what changed in the store's own tables since the last call, as changes devices
 * pull: rooms ("room", key the number), manifest rows ("arrival", key the arrival id),
 * the latest risk colour of each arrival ("risk"), void or replaced wristbands
 * ("wristband_void", key the serial), issuer keys ("issuer_key"), credential revocations
 * ("revocation", key ISSUER/ID) and staff badges ("badge"). Also run by every pull, at most
 * once a second. *published (may be NULL) gets the number of changes added. */
int sync_station_mirror(struct sync_station *st, int64_t *published);

/* What the station holds, for tests and reports. */
struct sync_station_counts {
	int64_t records;   /* every record held */
	int64_t conflicts; /* of which flagged as conflicts */
	int64_t devices;   /* devices that pushed at least one record */
	int64_t changes;   /* change log rows */
	int64_t leases;    /* leases in force */
};
int sync_station_counts(struct sync_station *st, struct sync_station_counts *out);
/* Held records of one device, and how many distinct seqs among them (equal by the unique
 * key; both reported so tests can say so). */
int sync_station_device_held(struct sync_station *st, const char *device_id, int64_t *records,
                             int64_t *held_through);
/* PRAGMA integrity_check says "ok". */
bool sync_station_integrity_ok(struct sync_station *st);

#endif
