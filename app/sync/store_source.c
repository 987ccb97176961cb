/* app/sync/store_source.c: the sync client's view of a device's store: pending own outbox
 * rows, delivery marks, the pull cursor, pulled changes applied into the store's tables, and
 * the room leases. Runs on the sync thread with its own store handle (WAL: the screen's
 * handle reads and writes meanwhile). */
#include "app/sync/store_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/store/store.h"

struct store_source {
	struct sync_source source; /* first */
	struct store *store;
	char device_id[SYNC_ID_MAX];
};

/* The sync status for a store status: busy and memory are worth retrying as they are. */
static int sync_status_of(int status)
{
	switch (status) {
	case STORE_OK:
		return 0;
	case STORE_E_BUSY:
		return SYNC_E_BUSY;
	case STORE_E_NOMEM:
		return SYNC_E_NOMEM;
	default:
		return SYNC_E_INTERNAL;
	}
}

static int src_pending(struct sync_source *src, size_t max, struct sync_record **out, size_t *n)
{
	struct store_source *s = (struct store_source *)src;
	struct outbox_item *items = NULL;
	size_t count = 0, kept = 0;
	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	int status = store_outbox_pending(s->store, max, &items, &count);
	if (status) {
		fprintf(stderr, "sync: outbox: %s\n", store_errmsg(s->store));
		return sync_status_of(status);
	}
	if (count == 0)
		return 0;
	struct sync_record *list = calloc(count, sizeof(*list));
	if (!list) {
		store_outbox_free(items, count);
		return SYNC_E_NOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		if (strcmp(items[i].device_id, s->device_id) != 0)
			continue; /* a record this store passes on for another device: not ours */
		struct sync_record *r = &list[kept];
		r->seq = items[i].device_seq;
		r->at = items[i].created_at;
		snprintf(r->kind, sizeof(r->kind), "%s", items[i].kind);
		r->body = items[i].payload;
		items[i].payload = NULL;
		kept++;
	}
	store_outbox_free(items, count);
	if (kept == 0) {
		free(list);
		return 0;
	}
	*out = list;
	*n = kept;
	return 0;
}

static int src_mark_sent(struct sync_source *src, int64_t through)
{
	struct store_source *s = (struct store_source *)src;
	return sync_status_of(
	    store_outbox_mark_sent(s->store, s->device_id, through, (int64_t)time(NULL)));
}

static int src_renumber(struct sync_source *src, const int64_t *held, size_t n_held,
                        int64_t after_seq, size_t *renumbered, int64_t *first_seq)
{
	struct store_source *s = (struct store_source *)src;
	struct store_renumbered r;
	int status =
	    store_outbox_renumber(s->store, held, n_held, after_seq, (int64_t)time(NULL), &r);
	if (status) {
		fprintf(stderr, "sync: outbox not renumbered: %s\n", store_errmsg(s->store));
		return sync_status_of(status);
	}
	if (renumbered)
		*renumbered = r.renumbered;
	if (first_seq)
		*first_seq = r.first_seq;
	return 0;
}

static int src_count(struct sync_source *src, size_t *pending)
{
	struct store_source *s = (struct store_source *)src;
	return sync_status_of(store_outbox_count(s->store, pending));
}

static int src_cursor(struct sync_source *src, int64_t *since)
{
	struct store_source *s = (struct store_source *)src;
	return sync_status_of(store_pull_state(s->store, since, NULL));
}

static int src_apply(struct sync_source *src, const struct sync_pull_reply *r)
{
	struct store_source *s = (struct store_source *)src;
	struct store_pull_result res;
	struct store_change *c = calloc(r->n ? r->n : 1, sizeof(*c));
	if (!c)
		return SYNC_E_NOMEM;
	for (size_t i = 0; i < r->n; i++) {
		c[i].seq = r->changes[i].seq;
		c[i].kind = r->changes[i].kind;
		c[i].key = r->changes[i].key;
		c[i].body = r->changes[i].body;
	}
	int status = store_pull_apply(s->store, c, r->n, r->cursor, (int64_t)time(NULL), &res);
	free(c);
	if (status) {
		fprintf(stderr, "sync: pulled changes not applied: %s\n", store_errmsg(s->store));
		return sync_status_of(status);
	}
	if (res.kept)
		fprintf(stderr, "sync: %zu pulled changes kept without applying\n", res.kept);
	return 0;
}

static int src_leases_returning(struct sync_source *src, struct sync_lease_request *req)
{
	struct store_source *s = (struct store_source *)src;
	char rooms[SYNC_LEASE_MAX][STORE_ROOM_MAX];
	size_t n = 0;
	req->n_returned = 0;
	int status = store_leases_returning(s->store, rooms, SYNC_LEASE_MAX, &n);
	if (status)
		return sync_status_of(status);
	for (size_t i = 0; i < n; i++)
		if (sync_room_valid(rooms[i]))
			snprintf(req->returned[req->n_returned++], SYNC_ROOM_MAX, "%s", rooms[i]);
	return 0;
}

static int src_leases_set(struct sync_source *src, const struct sync_lease_reply *r)
{
	struct store_source *s = (struct store_source *)src;
	struct store_lease l[SYNC_LEASE_MAX];
	int64_t now = (int64_t)time(NULL);
	size_t n = 0;
	for (int i = 0; i < r->n && i < SYNC_LEASE_MAX; i++) {
		memset(&l[n], 0, sizeof(l[n]));
		snprintf(l[n].room, sizeof(l[n].room), "%s", r->leases[i].room);
		l[n].capacity = r->leases[i].capacity;
		l[n].expires_at = now + r->leases[i].expires_in;
		n++;
	}
	return sync_status_of(store_leases_set(s->store, l, n));
}

static void src_close(struct sync_source *src)
{
	struct store_source *s = (struct store_source *)src;
	if (!s)
		return;
	store_close(s->store);
	free(s);
}

static const struct sync_source_ops store_source_ops = {
    .pending = src_pending,
    .mark_sent = src_mark_sent,
    .renumber = src_renumber,
    .count = src_count,
    .cursor = src_cursor,
    .apply = src_apply,
    .leases_returning = src_leases_returning,
    .leases_set = src_leases_set,
    .close = src_close,
};

int sync_token_device(const char *token, char device[SYNC_ID_MAX])
{
	const char *dot = token ? strchr(token, '.') : NULL;
	if (!dot || (size_t)(dot - token) >= SYNC_ID_MAX)
		return SYNC_E_MALFORMED;
	memcpy(device, token, (size_t)(dot - token));
	device[dot - token] = '\0';
	return sync_device_id_valid(device) ? 0 : SYNC_E_MALFORMED;
}

/* The store's device id is device_id, or becomes it when the store has none and no records
 * of its own yet. */
static int identity_claim(struct store *st, const char *device_id, char *err, size_t errlen)
{
	struct store_identity id;
	int status = store_identity_get(st, &id);
	if (status) {
		snprintf(err, errlen, "identity: %s", store_errmsg(st));
		return -1;
	}
	if (strcmp(id.device_id, device_id) == 0)
		return 0;
	if (*id.device_id || id.next_device_seq != 1) {
		snprintf(err, errlen, "the store belongs to device '%s', the sync token to '%s'",
		         id.device_id, device_id);
		return -1;
	}
	if (store_identity_set(st, id.station_id, device_id) != 0) {
		snprintf(err, errlen, "identity: %s", store_errmsg(st));
		return -1;
	}
	return 0;
}

struct sync_source *sync_store_source_open(const char *path, const char *device_id, char *err,
                                           size_t errlen)
{
	struct store_error serr;
	if (!device_id || !sync_device_id_valid(device_id)) {
		snprintf(err, errlen, "bad device id");
		return NULL;
	}
	struct store_source *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->source.ops = &store_source_ops;
	snprintf(s->device_id, sizeof(s->device_id), "%s", device_id);
	if (!(s->store = store_open(path, &serr))) {
		snprintf(err, errlen, "%s: %s", path, serr.message);
		goto out_free;
	}
	if (identity_claim(s->store, device_id, err, errlen) != 0)
		goto out_close;
	return &s->source;
out_close:
	store_close(s->store);
out_free:
	free(s);
	return NULL;
}
