/* app/sync/client.h: the device's sync client: a thread of its own that pushes the
 * device's outbox to stationd in bounded batches and pulls the station's changes, with
 * exponential back-off and jitter, reading and writing only through a sync source (the
 * device's store), so it resumes after a restart and never blocks the screen. */
#ifndef HK_SYNC_CLIENT_H
#define HK_SYNC_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/sync/protocol.h"

/* Where the client finds the device's records and keeps what it pulled: the device's own
 * store. Used only from the client's thread once started. Every operation returns 0 or a
 * negative error. */
struct sync_source;
struct sync_source_ops {
	/* Up to max of the device's own records not yet delivered, oldest first, into *out
	 * (malloc'd; free with sync_records_free). */
	int (*pending)(struct sync_source *src, size_t max, struct sync_record **out, size_t *n);
	/* The station holds every own record with seq <= through_seq: never send them again. */
	int (*mark_sent)(struct sync_source *src, int64_t through_seq);
	/* The station answered `reused` for some sent records: it holds other records under
	 * their seqs (the device's store was recreated and numbers from 1 again). In one
	 * transaction: mark delivered the undelivered own records whose seqs are in
	 * held[0..n_held) (the station holds them), then renumber every other undelivered own
	 * record, in outbox order, to base+1, base+2, ..., where base is the larger of after_seq
	 * (the reply's held_through) and the largest seq the device has taken, so that records
	 * written later follow them. *renumbered and *first_seq (may be NULL) say how many moved
	 * and the first new seq. */
	int (*renumber)(struct sync_source *src, const int64_t *held, size_t n_held,
	                int64_t after_seq, size_t *renumbered, int64_t *first_seq);
	/* Own records not yet delivered. */
	int (*count)(struct sync_source *src, size_t *pending);
	/* The cursor of the last changes applied (0 at first). */
	int (*cursor)(struct sync_source *src, int64_t *since);
	/* Apply pulled changes and remember r->cursor, in one transaction. */
	int (*apply)(struct sync_source *src, const struct sync_pull_reply *r);
	/* Room leases (entrance and front desk; both NULL elsewhere): the rooms the device gives
	 * back into req->returned, then, after the station answered, the leases it now holds
	 * (replacing what it held; the returned rooms are forgotten). */
	int (*leases_returning)(struct sync_source *src, struct sync_lease_request *req);
	int (*leases_set)(struct sync_source *src, const struct sync_lease_reply *r);
	void (*close)(struct sync_source *src);
};
struct sync_source {
	const struct sync_source_ops *ops;
};

/* Free n records from a source's pending(). */
void sync_records_free(struct sync_record *records, size_t n);

struct sync_client_options {
	const char *url;     /* "http://127.0.0.1:8470" (no trailing path) */
	const char *token;   /* "DEVICEID.SECRET" from enrolment */
	const char *ca_file; /* PEM file to trust for https (the station's certificate), or NULL */
	size_t batch_max;    /* records per push, 1..SYNC_BATCH_MAX; 0: 100 */
	int interval_ms;     /* between rounds when all is well; 0: 5000 */
	int backoff_min_ms;  /* first wait after a failure; 0: 500 */
	int backoff_max_ms;  /* cap of the exponential back-off; 0: 60000 */
	int timeout_ms;      /* one HTTP exchange; 0: 15000 */
	int lease_want;      /* rooms to hold after every round; 0: none (rooms given back are
	                      * still returned) */
};

/* What the screen may show staff; a snapshot, read without waiting on the network. */
struct sync_client_status {
	bool online;             /* the last exchange with the station succeeded */
	bool refused;            /* the station refused the credential (401) or the role (403) */
	size_t waiting;          /* own records not yet delivered */
	int64_t last_success_ms; /* unix ms of the last successful round; 0: never */
	int64_t last_attempt_ms; /* unix ms of the last attempt */
	int64_t delivered;       /* records marked delivered since start */
	int64_t cursor;          /* last pull cursor applied */
	int leases;              /* rooms leased to the device after the last round */
	int failures;            /* consecutive failed rounds */
	int next_retry_ms;       /* current back-off; 0 when not backing off */
	char last_error[SYNC_TEXT_MAX]; /* English; "" after a success */
};

struct sync_client;

/* Start the client thread on src (the client owns src from now on and closes it in
 * sync_client_stop). The first round starts at once. NULL with a reason in err for bad
 * options (no url, a token that is not DEVICEID.SECRET). */
struct sync_client *sync_client_start(struct sync_source *src, const struct sync_client_options *o,
                                      char *err, size_t errlen);
/* Copy the current status; never blocks on the network. */
void sync_client_status(struct sync_client *c, struct sync_client_status *out);
/* Something new was recorded: start a round now instead of after the interval (a back-off
 * in progress is kept). */
void sync_client_kick(struct sync_client *c);
/* Stop: a transfer in progress is aborted (its records stay queued and are resent next
 * time, which is harmless), the thread is joined, src closed, c freed. */
void sync_client_stop(struct sync_client *c);

/* One round on the calling thread, without a thread or back-off: push until nothing waits
 * (or a failure), then pull until up to date. 0 or a negative enum sync_status; for tools
 * and tests. st may be NULL. */
int sync_client_round(struct sync_source *src, const struct sync_client_options *o,
                      struct sync_client_status *st);

/* The back-off before retry number `failures` (1, 2, ...): min * 2^(failures-1), capped at
 * max, then a random point in its upper half ("equal jitter"); r is a random number in
 * [0, 1). Pure; exposed for tests. */
int sync_backoff_ms(int failures, int min_ms, int max_ms, double r);

#endif
