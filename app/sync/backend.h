/* app/sync/backend.h: what the sync server needs from the station's store, as a table of
 * operations, so that the HTTP layer and its tests do not depend on one storage engine.
 * app/sync/station.h is the SQLite implementation stationd uses. */
#ifndef HK_SYNC_BACKEND_H
#define HK_SYNC_BACKEND_H

#include "app/sync/protocol.h"

/* An authenticated device. */
struct sync_device {
	char id[SYNC_ID_MAX];
	enum sync_role role;
};

struct sync_backend;

/* Every operation returns 0 or a negative enum sync_status; a failed operation wrote
 * nothing. The server calls them from one thread at a time. */
struct sync_backend_ops {
	/* Check a credential (device id and the 64 hex digits of its secret) in constant time.
	 * SYNC_E_UNAUTHENTICATED for an unknown or revoked device or a wrong secret. */
	int (*authenticate)(struct sync_backend *b, const char *device_id, const char *secret,
	                    struct sync_device *out);
	/* Store a batch of d's records exactly once, in one durable transaction committed
	 * before returning: every record gets a result (stored, duplicate, conflict) in *out
	 * (free with sync_push_reply_free). SYNC_E_MALFORMED when a record's body does not
	 * fit its kind (nothing written). The role was checked by the caller. */
	int (*push)(struct sync_backend *b, const struct sync_device *d,
	            const struct sync_push *batch, struct sync_push_reply *out);
	/* Changes after since, at most limit, into *out (free with sync_pull_reply_free). */
	int (*pull)(struct sync_backend *b, const struct sync_device *d, int64_t since, int limit,
	            struct sync_pull_reply *out);
	/* Return, renew and grant room leases for d (docs/sync.md, "Room leases"). */
	int (*lease)(struct sync_backend *b, const struct sync_device *d,
	             const struct sync_lease_request *req, struct sync_lease_reply *out);
	/* Release everything; b is invalid afterwards. */
	void (*close)(struct sync_backend *b);
};

struct sync_backend {
	const struct sync_backend_ops *ops;
	char station_id[SYNC_ID_MAX]; /* shown by /v1/health */
};

#endif
