/* app/sync/device_db.c: the device side of sync on SQLite. Sequence numbers are taken and
 * the outbox row written in one transaction, so a record exists with its (device, seq) or
 * not at all; pulled changes and the cursor are written together for the same reason. */
#include "app/sync/device_db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sync_device_db {
	struct sync_source source; /* first */
	sqlite3 *db;
	char device_id[SYNC_ID_MAX];
};

static const char schema[] =
    /* the same definition as app/store's outbox (store_schema.c v1) */
    "CREATE TABLE IF NOT EXISTS outbox (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  device_id TEXT NOT NULL,\n"
    "  device_seq INTEGER NOT NULL CHECK (device_seq >= 1),\n"
    "  kind TEXT NOT NULL,\n"
    "  payload TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  sent_at INTEGER,\n"
    "  UNIQUE (device_id, device_seq)\n"
    ") STRICT;\n"
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (id) WHERE sent_at IS NULL;\n"
    "CREATE TABLE IF NOT EXISTS sync_state (\n"
    "  name TEXT PRIMARY KEY,\n"
    "  value INTEGER NOT NULL\n"
    ") STRICT;\n"
    "INSERT OR IGNORE INTO sync_state (name, value) VALUES ('cursor', 0), ('next_seq', 1);\n"
    "CREATE TABLE IF NOT EXISTS sync_replica (\n"
    "  kind TEXT NOT NULL,\n"
    "  key TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  body TEXT NOT NULL,\n"
    "  PRIMARY KEY (kind, key)\n"
    ") STRICT;\n"
    "CREATE TABLE IF NOT EXISTS sync_leases_held (\n"
    "  room TEXT PRIMARY KEY,\n"
    "  capacity INTEGER NOT NULL,\n"
    "  expires_at INTEGER NOT NULL,\n"
    "  give_back INTEGER NOT NULL DEFAULT 0\n"
    ") STRICT;\n";

static int sql_status(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return SYNC_E_BUSY;
	case SQLITE_NOMEM:
		return SYNC_E_NOMEM;
	default:
		return SYNC_E_INTERNAL;
	}
}

static int exec(struct sync_device_db *d, const char *sql)
{
	return sql_status(sqlite3_exec(d->db, sql, NULL, NULL, NULL));
}

static sqlite3_stmt *prepare(struct sync_device_db *d, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(d->db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	return s;
}

static int finish(sqlite3_stmt *s)
{
	int status = s ? sql_status(sqlite3_step(s)) : SYNC_E_INTERNAL;
	sqlite3_finalize(s);
	return status;
}

static int state_get(struct sync_device_db *d, const char *name, int64_t *out)
{
	sqlite3_stmt *s = prepare(d, "SELECT value FROM sync_state WHERE name = ?1");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? SYNC_E_INTERNAL : sql_status(rc);
}

static int state_set(struct sync_device_db *d, const char *name, int64_t value)
{
	sqlite3_stmt *s = prepare(d, "UPDATE sync_state SET value = ?2 WHERE name = ?1");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, value);
	return finish(s);
}

int sync_device_db_add(struct sync_device_db *d, struct sync_record *recs, size_t n)
{
	int64_t next;
	int status;
	sqlite3_stmt *s = NULL;
	for (size_t i = 0; i < n; i++)
		if (!sync_kind_valid(recs[i].kind) || !recs[i].body)
			return SYNC_E_MALFORMED;
	if ((status = exec(d, "BEGIN IMMEDIATE")))
		return status;
	if ((status = state_get(d, "next_seq", &next)))
		goto out_rollback;
	s = prepare(d, "INSERT INTO outbox (device_id, device_seq, kind, payload, created_at) "
	               "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!s) {
		status = SYNC_E_INTERNAL;
		goto out_rollback;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, d->device_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, next + (int64_t)i);
		sqlite3_bind_text(s, 3, recs[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, recs[i].body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, recs[i].at);
		if ((status = sql_status(sqlite3_step(s))))
			goto out_rollback;
	}
	sqlite3_finalize(s);
	s = NULL;
	if ((status = state_set(d, "next_seq", next + (int64_t)n)) || (status = exec(d, "COMMIT")))
		goto out_rollback;
	for (size_t i = 0; i < n; i++)
		recs[i].seq = next + (int64_t)i;
	return 0;
out_rollback:
	sqlite3_finalize(s);
	exec(d, "ROLLBACK");
	return status;
}

static int db_pending(struct sync_source *src, size_t max, struct sync_record **out, size_t *n)
{
	struct sync_device_db *d = (struct sync_device_db *)src;
	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	struct sync_record *list = calloc(max, sizeof(*list));
	if (!list)
		return SYNC_E_NOMEM;
	sqlite3_stmt *s =
	    prepare(d, "SELECT device_seq, kind, created_at, payload FROM outbox "
	               "WHERE sent_at IS NULL AND device_id = ?1 ORDER BY id LIMIT ?2");
	if (!s) {
		free(list);
		return SYNC_E_INTERNAL;
	}
	sqlite3_bind_text(s, 1, d->device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	int rc, status = 0;
	size_t count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct sync_record *r = &list[count++];
		r->seq = sqlite3_column_int64(s, 0);
		snprintf(r->kind, sizeof(r->kind), "%s", (const char *)sqlite3_column_text(s, 1));
		r->at = sqlite3_column_int64(s, 2);
		r->body = strdup((const char *)sqlite3_column_text(s, 3));
		if (!r->body) {
			status = SYNC_E_NOMEM;
			break;
		}
	}
	if (!status && rc != SQLITE_DONE)
		status = sql_status(rc);
	sqlite3_finalize(s);
	if (status || count == 0) {
		sync_records_free(list, count);
		return status;
	}
	*out = list;
	*n = count;
	return 0;
}

static int db_mark_sent(struct sync_source *src, int64_t through)
{
	struct sync_device_db *d = (struct sync_device_db *)src;
	sqlite3_stmt *s = prepare(d, "UPDATE outbox SET sent_at = ?3 WHERE device_id = ?1 AND "
	                             "device_seq <= ?2 AND sent_at IS NULL");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, d->device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, through);
	sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
	return finish(s);
}

static int db_renumber(struct sync_source *src, const int64_t *held, size_t n_held,
                       int64_t after_seq, size_t *renumbered, int64_t *first_seq)
{
	struct sync_device_db *d = (struct sync_device_db *)src;
	int64_t next, *seqs = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = NULL;
	int rc, status;
	if ((status = exec(d, "BEGIN IMMEDIATE")))
		return status;
	if ((status = state_get(d, "next_seq", &next)))
		goto out_rollback;
	s = prepare(d, "UPDATE outbox SET sent_at = ?3 WHERE device_id = ?1 AND device_seq = ?2 "
	               "AND sent_at IS NULL");
	if (!s) {
		status = SYNC_E_INTERNAL;
		goto out_rollback;
	}
	for (size_t i = 0; i < n_held && !status; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, d->device_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, held[i]);
		sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
		status = sql_status(sqlite3_step(s));
	}
	sqlite3_finalize(s);
	s = status ? NULL
	           : prepare(d, "SELECT device_seq FROM outbox WHERE device_id = ?1 AND sent_at "
	                        "IS NULL ORDER BY id");
	if (!s) {
		status = status ? status : SYNC_E_INTERNAL;
		goto out_rollback;
	}
	sqlite3_bind_text(s, 1, d->device_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *grown = realloc(seqs, (cap ? cap * 2 : 64) * sizeof(*seqs));
			if (!grown) {
				status = SYNC_E_NOMEM;
				goto out_rollback;
			}
			seqs = grown;
			cap = cap ? cap * 2 : 64;
		}
		seqs[n++] = sqlite3_column_int64(s, 0);
	}
	if ((status = sql_status(rc)))
		goto out_rollback;
	sqlite3_finalize(s);
	/* past every seq taken here, so no new number meets an old row */
	int64_t base = after_seq > next - 1 ? after_seq : next - 1;
	s = prepare(d, "UPDATE outbox SET device_seq = ?3, payload = CASE WHEN json_type(payload, "
	               "'$.device_seq') IS NULL THEN payload ELSE json_set(payload, "
	               "'$.device_seq', ?3) END WHERE device_id = ?1 AND device_seq = ?2");
	for (size_t i = 0; s && i < n && !status; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, d->device_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, seqs[i]);
		sqlite3_bind_int64(s, 3, base + 1 + (int64_t)i);
		status = sql_status(sqlite3_step(s));
	}
	if (!s)
		status = SYNC_E_INTERNAL;
	if (status || (n && (status = state_set(d, "next_seq", base + (int64_t)n + 1))) ||
	    (status = exec(d, "COMMIT")))
		goto out_rollback;
	sqlite3_finalize(s);
	free(seqs);
	if (renumbered)
		*renumbered = n;
	if (first_seq)
		*first_seq = n ? base + 1 : 0;
	return 0;
out_rollback:
	sqlite3_finalize(s);
	free(seqs);
	exec(d, "ROLLBACK");
	return status;
}

static int db_count(struct sync_source *src, size_t *pending)
{
	struct sync_device_db *d = (struct sync_device_db *)src;
	sqlite3_stmt *s = prepare(d, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND "
	                             "device_id = ?1");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, d->device_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*pending = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : sql_status(rc);
}

static int db_cursor(struct sync_source *src, int64_t *since)
{
	return state_get((struct sync_device_db *)src, "cursor", since);
}

static int db_apply(struct sync_source *src, const struct sync_pull_reply *r)
{
	struct sync_device_db *d = (struct sync_device_db *)src;
	int status;
	if ((status = exec(d, "BEGIN IMMEDIATE")))
		return status;
	sqlite3_stmt *s = prepare(d, "INSERT INTO sync_replica (kind, key, seq, body) VALUES (?1, "
	                             "?2, ?3, ?4) ON CONFLICT (kind, key) DO UPDATE SET seq = ?3, "
	                             "body = ?4 WHERE seq < ?3");
	if (!s) {
		status = SYNC_E_INTERNAL;
		goto out_rollback;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct sync_change *c = &r->changes[i];
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, c->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, c->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, c->seq);
		sqlite3_bind_text(s, 4, c->body, -1, SQLITE_STATIC);
		if ((status = sql_status(sqlite3_step(s)))) {
			sqlite3_finalize(s);
			goto out_rollback;
		}
	}
	sqlite3_finalize(s);
	if ((status = state_set(d, "cursor", r->cursor)) || (status = exec(d, "COMMIT")))
		goto out_rollback;
	return 0;
out_rollback:
	exec(d, "ROLLBACK");
	return status;
}

static int db_leases_returning(struct sync_source *src, struct sync_lease_request *req)
{
	struct sync_device_db *d = (struct sync_device_db *)src;
	sqlite3_stmt *s = prepare(d, "SELECT room FROM sync_leases_held WHERE give_back = 1 "
	                             "ORDER BY room LIMIT 64");
	int rc;
	if (!s)
		return SYNC_E_INTERNAL;
	req->n_returned = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && req->n_returned < SYNC_LEASE_MAX)
		snprintf(req->returned[req->n_returned++], SYNC_ROOM_MAX, "%s",
		         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sql_status(rc);
}

static int db_leases_set(struct sync_source *src, const struct sync_lease_reply *r)
{
	struct sync_device_db *d = (struct sync_device_db *)src;
	int64_t now = (int64_t)time(NULL);
	int status;
	if ((status = exec(d, "BEGIN IMMEDIATE")))
		return status;
	if ((status = exec(d, "DELETE FROM sync_leases_held")))
		goto out_rollback;
	sqlite3_stmt *s = prepare(d, "INSERT INTO sync_leases_held (room, capacity, expires_at) "
	                             "VALUES (?1, ?2, ?3)");
	if (!s) {
		status = SYNC_E_INTERNAL;
		goto out_rollback;
	}
	for (int i = 0; i < r->n && !status; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, r->leases[i].room, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, r->leases[i].capacity);
		sqlite3_bind_int64(s, 3, now + r->leases[i].expires_in);
		status = sql_status(sqlite3_step(s));
	}
	sqlite3_finalize(s);
	if (status || (status = exec(d, "COMMIT")))
		goto out_rollback;
	return 0;
out_rollback:
	exec(d, "ROLLBACK");
	return status;
}

int sync_device_db_leases(struct sync_device_db *d, struct sync_device_lease **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct sync_device_lease *list = calloc(SYNC_LEASE_MAX, sizeof(*list));
	sqlite3_stmt *s = prepare(d, "SELECT room, capacity, expires_at, give_back FROM "
	                             "sync_leases_held ORDER BY room LIMIT 64");
	int rc;
	if (!list || !s) {
		free(list);
		sqlite3_finalize(s);
		return SYNC_E_INTERNAL;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < SYNC_LEASE_MAX) {
		struct sync_device_lease *l = &list[(*n)++];
		snprintf(l->room, sizeof(l->room), "%s", (const char *)sqlite3_column_text(s, 0));
		l->capacity = sqlite3_column_int(s, 1);
		l->expires_at = sqlite3_column_int64(s, 2);
		l->returning = sqlite3_column_int(s, 3) != 0;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(list);
		*n = 0;
		return sql_status(rc);
	}
	*out = list;
	return 0;
}

int sync_device_db_lease_return(struct sync_device_db *d, const char *room)
{
	sqlite3_stmt *s = prepare(d, "UPDATE sync_leases_held SET give_back = 1 WHERE room = ?1");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, room, -1, SQLITE_STATIC);
	int status = finish(s);
	if (!status && sqlite3_changes(d->db) == 0)
		status = SYNC_E_NOT_FOUND;
	return status;
}

static void db_close(struct sync_source *src)
{
	sync_device_db_close((struct sync_device_db *)src);
}

static const struct sync_source_ops device_db_ops = {
    .pending = db_pending,
    .mark_sent = db_mark_sent,
    .renumber = db_renumber,
    .count = db_count,
    .cursor = db_cursor,
    .apply = db_apply,
    .leases_returning = db_leases_returning,
    .leases_set = db_leases_set,
    .close = db_close,
};

struct sync_device_db *sync_device_db_open(const char *path, const char *device_id, char *err,
                                           size_t errlen)
{
	if (!sync_device_id_valid(device_id)) {
		snprintf(err, errlen, "bad device id");
		return NULL;
	}
	struct sync_device_db *d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->source.ops = &device_db_ops;
	snprintf(d->device_id, sizeof(d->device_id), "%s", device_id);
	char *msg = NULL;
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		         d->db ? sqlite3_errmsg(d->db) : "cannot open");
		goto out_close;
	}
	sqlite3_busy_timeout(d->db, 5000);
	if (sqlite3_exec(d->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL,
	                 &msg) != SQLITE_OK ||
	    sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(d->db, schema, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(d->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(d->db));
		sqlite3_free(msg);
		sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
		goto out_close;
	}
	return d;
out_close:
	sqlite3_close(d->db);
	free(d);
	return NULL;
}

void sync_device_db_close(struct sync_device_db *d)
{
	if (!d)
		return;
	sqlite3_close(d->db);
	free(d);
}

struct sync_source *sync_device_db_source(struct sync_device_db *d)
{
	return &d->source;
}

char *sync_device_db_replica(struct sync_device_db *d, const char *kind, const char *key)
{
	sqlite3_stmt *s = prepare(d, "SELECT body FROM sync_replica WHERE kind = ?1 AND key = ?2");
	char *body = NULL;
	if (!s)
		return NULL;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		body = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return body;
}

int sync_device_db_replica_count(struct sync_device_db *d, int64_t *n)
{
	sqlite3_stmt *s = prepare(d, "SELECT count(*) FROM sync_replica");
	if (!s)
		return SYNC_E_INTERNAL;
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : sql_status(rc);
}
