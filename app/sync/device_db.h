/* app/sync/device_db.h: a sync source on a device's SQLite file: its outbox (the same
 * `outbox` table as app/store's schema), the pull cursor, and a replica of the station's
 * changes by (kind, key). The kiosk uses its store instead (app/sync/store_source.h); the
 * test tools and the benchmarks use this. */
#ifndef HK_SYNC_DEVICE_DB_H
#define HK_SYNC_DEVICE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/sync/client.h"

struct sync_device_db;

/* Open (creating if missing) the device file at path for device_id's own records: WAL,
 * synchronous=FULL, the tables created when missing. NULL with a reason in err. Several
 * handles may be open on one file (the screen's and the sync thread's). */
struct sync_device_db *sync_device_db_open(const char *path, const char *device_id, char *err,
                                           size_t errlen);
void sync_device_db_close(struct sync_device_db *db);
/* The source view for sync_client_start; closing the source closes db. */
struct sync_source *sync_device_db_source(struct sync_device_db *db);

/* Record n own records durably in one transaction (a family's check-ins belong together):
 * each gets the device's next seq (written into recs[i].seq) and an outbox row; kind, at
 * and body (a JSON object text) are read. All or nothing. */
int sync_device_db_add(struct sync_device_db *db, struct sync_record *recs, size_t n);
/* The replicated body of (kind, key) into a malloc'd string the caller frees, or NULL. */
char *sync_device_db_replica(struct sync_device_db *db, const char *kind, const char *key);
/* Room leases the device holds (kept by the client after each round). expires_at is the
 * device's wall clock at receipt plus the lease's duration. *out malloc'd, caller frees. */
struct sync_device_lease {
	char room[SYNC_ROOM_MAX];
	int capacity;
	int64_t expires_at;
	bool returning; /* given back at the next round */
};
int sync_device_db_leases(struct sync_device_db *db, struct sync_device_lease **out, size_t *n);
/* Give a leased room back at the next round (it was not used). SYNC_E_NOT_FOUND when not held. */
int sync_device_db_lease_return(struct sync_device_db *db, const char *room);
/* Replica rows held. */
int sync_device_db_replica_count(struct sync_device_db *db, int64_t *n);

#endif
