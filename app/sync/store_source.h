/* app/sync/store_source.h: the sync source over a device's own store (app/store): its
 * outbox is what the client pushes, pulled changes go into the store's tables (the kiosk
 * uses them at once), and the room leases live beside them (schema v6). */
#ifndef HK_SYNC_STORE_SOURCE_H
#define HK_SYNC_STORE_SOURCE_H

#include <stddef.h>

#include "app/sync/client.h"

/* Open the store at path (a handle of its own, for the sync thread) as the source of
 * device_id's records. The store's device id must be device_id; a store with none yet and
 * no own records takes it (store_identity_set, station id kept). NULL with an English reason
 * in err: the store cannot be opened, or it belongs to another device. The client owns the
 * source after sync_client_start and closes it (the store with it). */
struct sync_source *sync_store_source_open(const char *path, const char *device_id, char *err,
                                           size_t errlen);

/* The device id of a "DEVICEID.SECRET" token into device (SYNC_ID_MAX bytes). 0, or
 * SYNC_E_MALFORMED. */
int sync_token_device(const char *token, char device[SYNC_ID_MAX]);

#endif
