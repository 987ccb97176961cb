/* app/sync/server.h: the station's sync HTTP API (docs/sync.md) on libmicrohttpd, over any
 * sync backend. Authentication, roles, limits and status codes live here; storage in the
 * backend. */
#ifndef HK_SYNC_SERVER_H
#define HK_SYNC_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "app/sync/backend.h"

struct sync_server_options {
	const char *listen;   /* "127.0.0.1:8470"; port 0 picks a free one (sync_server_port) */
	const char *tls_cert; /* PEM text of the certificate (chain), or NULL for plain HTTP */
	const char *tls_key;  /* PEM text of its private key, with tls_cert */
	size_t max_body;      /* request body limit in bytes; 0: SYNC_REQUEST_MAX */
	unsigned timeout_s;   /* idle connection timeout; 0: 30 */
};

struct sync_server;

/* Serve backend b (borrowed; the caller closes it after sync_server_stop) on its own threads.
 * Calls into b are serialized. NULL with an English reason in err: a bad listen address,
 * the port taken, TLS asked for but libmicrohttpd built without it. */
struct sync_server *sync_server_start(struct sync_backend *b, const struct sync_server_options *o,
                                      char *err, size_t errlen);
/* The TCP port served (useful after asking for port 0). */
uint16_t sync_server_port(const struct sync_server *s);
/* Stop accepting connections, let requests in flight finish (at most wait_ms), then stop and
 * free s. A request whose reply was not sent may or may not be stored: the client resends,
 * which is harmless; a record whose 200 was sent is always committed. */
void sync_server_stop(struct sync_server *s, int wait_ms);

#endif
