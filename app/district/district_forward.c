/* app/district/district_forward.c: the station's upstream to the district hub. Reads what
 * the station's store accepted (sync_records from the devices, the store's outbox, the room
 * states) after a cursor kept in the store's own file, sends it in batches that the hub
 * stores with INSERT ... ON CONFLICT DO NOTHING keyed by (station, device, seq), and moves
 * the cursor only after the hub committed: a resend after any crash changes nothing. */
#include <errno.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/district/district.h"
#include "app/district/district_internal.h"
#include "app/sys/sys.h"

#define STORE_BUSY_MS 5000

/* The two record sources, forwarded in this order each round. */
enum source {
	SRC_SYNC,
	SRC_OUTBOX,
	SRC_COUNT
};
static const char *const source_names[SRC_COUNT] = {"sync_records", "outbox"};
static const char *const source_sql[SRC_COUNT] = {
    "SELECT id, device_id, device_seq, kind, body, at, status FROM sync_records "
    "WHERE id > ?1 ORDER BY id LIMIT ?2",
    "SELECT id, device_id, device_seq, kind, payload, created_at, 'stored' FROM outbox "
    "WHERE id > ?1 ORDER BY id LIMIT ?2",
};

struct fwd {
	struct district_forward_options o;
	sqlite3 *db;
	PGconn *pg;
	bool has_source[SRC_COUNT];
	bool has_rooms;
	char rooms_digest[65]; /* of the room states last sent; "" none this process */
};

struct district_forwarder {
	struct fwd w;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	struct district_forward_stats stats;
};

static bool table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *s = NULL;
	bool found = false;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
	                       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		found = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	return found;
}

static void fwd_close(struct fwd *w)
{
	if (w->pg)
		PQfinish(w->pg);
	w->pg = NULL;
	sqlite3_close(w->db);
	w->db = NULL;
	free((char *)w->o.conninfo);
	free((char *)w->o.store_path);
	free((char *)w->o.station_id);
}

/* Copy the options with defaults, open the store and make the cursor table. */
static int fwd_open(struct fwd *w, const struct district_forward_options *o, char *err,
                    size_t errlen)
{
	memset(w, 0, sizeof(*w));
	if (!o || !o->conninfo || !o->store_path || !o->station_id || !*o->station_id ||
	    strlen(o->station_id) >= DISTRICT_ID_MAX || o->batch < 0 || o->batch > 5000) {
		snprintf(err, errlen,
		         "forwarder: conninfo, store path and station id (<64 bytes) "
		         "are required, batch 1..5000");
		return DISTRICT_E_INVALID;
	}
	w->o = *o;
	w->o.conninfo = strdup(o->conninfo);
	w->o.store_path = strdup(o->store_path);
	w->o.station_id = strdup(o->station_id);
	if (!w->o.conninfo || !w->o.store_path || !w->o.station_id) {
		fwd_close(w);
		snprintf(err, errlen, "out of memory");
		return DISTRICT_E_NOMEM;
	}
	w->o.batch = o->batch ? o->batch : 500;
	w->o.interval_ms = o->interval_ms > 0 ? o->interval_ms : 2000;
	w->o.backoff_min_ms = o->backoff_min_ms > 0 ? o->backoff_min_ms : 1000;
	w->o.backoff_max_ms = o->backoff_max_ms > 0 ? o->backoff_max_ms : 60000;
	if (w->o.backoff_max_ms < w->o.backoff_min_ms)
		w->o.backoff_max_ms = w->o.backoff_min_ms;
	if (sqlite3_open_v2(w->o.store_path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
	                    NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(w->db, STORE_BUSY_MS) != SQLITE_OK ||
	    sqlite3_exec(w->db,
	                 "PRAGMA synchronous = FULL;"
	                 "CREATE TABLE IF NOT EXISTS district_cursor ("
	                 "  source TEXT PRIMARY KEY,"
	                 "  last_id INTEGER NOT NULL"
	                 ") STRICT;",
	                 NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "forwarder: cannot open the store %s: %s", w->o.store_path,
		         w->db ? sqlite3_errmsg(w->db) : "out of memory");
		fwd_close(w);
		return DISTRICT_E_STORE;
	}
	for (int i = 0; i < SRC_COUNT; i++)
		w->has_source[i] = table_exists(w->db, source_names[i]);
	w->has_rooms = table_exists(w->db, "rooms") && table_exists(w->db, "occupancy");
	return 0;
}

static int cursor_get(struct fwd *w, enum source src, int64_t *last)
{
	sqlite3_stmt *s = NULL;
	*last = 0;
	if (sqlite3_prepare_v2(w->db, "SELECT last_id FROM district_cursor WHERE source = ?1", -1,
	                       &s, NULL) != SQLITE_OK)
		return DISTRICT_E_STORE;
	sqlite3_bind_text(s, 1, source_names[src], -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*last = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : DISTRICT_E_STORE;
}

static int cursor_set(struct fwd *w, enum source src, int64_t last)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(w->db,
	                       "INSERT INTO district_cursor (source, last_id) VALUES (?1, ?2) "
	                       "ON CONFLICT (source) DO UPDATE SET last_id = excluded.last_id "
	                       "WHERE excluded.last_id > last_id",
	                       -1, &s, NULL) != SQLITE_OK)
		return DISTRICT_E_STORE;
	sqlite3_bind_text(s, 1, source_names[src], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, last);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : DISTRICT_E_STORE;
}

/* Records after the cursor, counted over every source. */
static int pending_count(struct fwd *w, int64_t *n)
{
	*n = 0;
	for (int i = 0; i < SRC_COUNT; i++) {
		if (!w->has_source[i])
			continue;
		int64_t last;
		if (cursor_get(w, (enum source)i, &last))
			return DISTRICT_E_STORE;
		sqlite3_stmt *s = NULL;
		const char *sql = i == SRC_SYNC ? "SELECT count(*) FROM sync_records WHERE id > ?1"
		                                : "SELECT count(*) FROM outbox WHERE id > ?1";
		if (sqlite3_prepare_v2(w->db, sql, -1, &s, NULL) != SQLITE_OK)
			return DISTRICT_E_STORE;
		sqlite3_bind_int64(s, 1, last);
		if (sqlite3_step(s) == SQLITE_ROW)
			*n += sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	return 0;
}

/* Read up to batch records of src after the cursor as a JSON array for
 * jsonb_to_recordset; *last_id gets the last row's id, *n the count. */
static int batch_read(struct fwd *w, enum source src, char **json, int64_t *last_id, int *n)
{
	int64_t cursor;
	*json = NULL;
	*n = 0;
	if (cursor_get(w, src, &cursor))
		return DISTRICT_E_STORE;
	*last_id = cursor;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(w->db, source_sql[src], -1, &s, NULL) != SQLITE_OK)
		return DISTRICT_E_STORE;
	sqlite3_bind_int64(s, 1, cursor);
	sqlite3_bind_int(s, 2, w->o.batch);
	json_t *arr = json_array();
	int rc, status = 0;
	while (arr && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 4);
		json_t *body = text ? json_loads(text, 0, NULL) : NULL;
		if (!json_is_object(body)) {
			/* a store never holds such a body; keep it readable rather than stall */
			json_decref(body);
			body = json_pack("{s:s?}", "unparsed", text);
		}
		int64_t at = sqlite3_column_int64(s, 5);
		json_t *j_at = json_object_get(body, "at");
		if (src == SRC_OUTBOX && json_is_integer(j_at))
			at = json_integer_value(j_at);
		json_t *rec =
		    json_pack("{s:s, s:I, s:s, s:I, s:o, s:s}", "device_id",
		              (const char *)sqlite3_column_text(s, 1), "device_seq",
		              (json_int_t)sqlite3_column_int64(s, 2), "kind",
		              (const char *)sqlite3_column_text(s, 3), "at", (json_int_t)at, "body",
		              body, "status", (const char *)sqlite3_column_text(s, 6));
		if (!rec || json_array_append_new(arr, rec)) {
			status = DISTRICT_E_NOMEM;
			break;
		}
		*last_id = sqlite3_column_int64(s, 0);
		(*n)++;
	}
	if (!arr)
		status = DISTRICT_E_NOMEM;
	else if (!status && rc != SQLITE_DONE)
		status = DISTRICT_E_STORE;
	sqlite3_finalize(s);
	if (!status && *n > 0 && !(*json = json_dumps(arr, JSON_COMPACT)))
		status = DISTRICT_E_NOMEM;
	json_decref(arr);
	return status;
}

/* One statement, one implicit transaction: every record of the batch or none. */
static int batch_send(struct fwd *w, const char *json, char *err, size_t errlen)
{
	const char *params[] = {w->o.station_id, json};
	PGresult *r = PQexecParams(
	    w->pg,
	    "INSERT INTO hub.records (station_id, device_id, device_seq, kind, at, body, status) "
	    "SELECT $1, r.device_id, r.device_seq, r.kind, r.at, r.body, r.status "
	    "FROM jsonb_to_recordset($2::jsonb) AS r(device_id text, device_seq bigint, "
	    "kind text, at bigint, body jsonb, status text) "
	    "ON CONFLICT (station_id, device_id, device_seq) DO NOTHING",
	    2, NULL, params, NULL, NULL, 0);
	int status = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		status = district_sql_fail(w->pg, r, "sending records", err, errlen);
	PQclear(r);
	return status;
}

/* The rooms with their current occupants as JSON, and a digest of it. */
static int rooms_read(struct fwd *w, int64_t now, char **json, char digest[65])
{
	sqlite3_stmt *s = NULL;
	*json = NULL;
	if (sqlite3_prepare_v2(w->db,
	                       "SELECT r.number, r.floor, r.capacity, r.state, "
	                       "(SELECT count(*) FROM occupancy o WHERE o.room = r.number "
	                       " AND o.until IS NULL) FROM rooms r ORDER BY r.number",
	                       -1, &s, NULL) != SQLITE_OK)
		return DISTRICT_E_STORE;
	json_t *arr = json_array();
	int rc, status = 0;
	while (arr && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *room = json_pack("{s:s, s:I, s:I, s:s, s:I}", "number",
		                         (const char *)sqlite3_column_text(s, 0), "floor",
		                         (json_int_t)sqlite3_column_int64(s, 1), "capacity",
		                         (json_int_t)sqlite3_column_int64(s, 2), "state",
		                         (const char *)sqlite3_column_text(s, 3), "occupants",
		                         (json_int_t)sqlite3_column_int64(s, 4));
		if (!room || json_array_append_new(arr, room)) {
			status = DISTRICT_E_NOMEM;
			break;
		}
	}
	if (!arr)
		status = DISTRICT_E_NOMEM;
	else if (!status && rc != SQLITE_DONE)
		status = DISTRICT_E_STORE;
	sqlite3_finalize(s);
	char *text = status ? NULL : json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!status && !text)
		status = DISTRICT_E_NOMEM;
	if (status)
		return status;
	/* the digest covers the states only, not the time they were taken */
	unsigned char md[32];
	SHA256((const unsigned char *)text, strlen(text), md);
	for (int i = 0; i < 32; i++)
		snprintf(digest + 2 * i, 3, "%02x", md[i]);
	(void)now;
	*json = text;
	return 0;
}

static int rooms_send(struct fwd *w, int64_t now, char *err, size_t errlen)
{
	if (!w->has_rooms)
		return 0;
	char *json, digest[65];
	int status = rooms_read(w, now, &json, digest);
	if (status) {
		snprintf(err, errlen, "reading the rooms: %s", sqlite3_errmsg(w->db));
		return status;
	}
	if (strcmp(digest, w->rooms_digest) == 0) {
		free(json);
		return 0;
	}
	char at[24];
	snprintf(at, sizeof(at), "%lld", (long long)now);
	const char *params[] = {w->o.station_id, json, at};
	PGresult *r = PQexecParams(
	    w->pg,
	    "INSERT INTO hub.rooms AS h (station_id, number, floor, capacity, state, occupants, "
	    "taken_at) SELECT $1, r.number, r.floor, r.capacity, r.state, r.occupants, $3 "
	    "FROM jsonb_to_recordset($2::jsonb) AS r(number text, floor integer, "
	    "capacity integer, state text, occupants integer) "
	    "ON CONFLICT (station_id, number) DO UPDATE SET floor = EXCLUDED.floor, "
	    "capacity = EXCLUDED.capacity, state = EXCLUDED.state, "
	    "occupants = EXCLUDED.occupants, taken_at = EXCLUDED.taken_at "
	    "WHERE h.taken_at <= EXCLUDED.taken_at",
	    3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		status = district_sql_fail(w->pg, r, "sending the rooms", err, errlen);
	else
		memcpy(w->rooms_digest, digest, sizeof(digest));
	PQclear(r);
	free(json);
	return status;
}

/* Forward one batch of the first source with records after its cursor. *sent gets the
 * records sent (0: nothing was waiting). */
static int fwd_batch(struct fwd *w, int *sent, char *err, size_t errlen)
{
	*sent = 0;
	for (int i = 0; i < SRC_COUNT; i++) {
		if (!w->has_source[i])
			continue;
		char *json;
		int64_t last;
		int n, status = batch_read(w, (enum source)i, &json, &last, &n);
		if (status) {
			snprintf(err, errlen, "reading %s: %s", source_names[i],
			         sqlite3_errmsg(w->db));
			return status;
		}
		if (n == 0)
			continue;
		status = batch_send(w, json, err, errlen);
		free(json);
		if (status)
			return status;
		/* the hub holds the batch; a crash before this line resends it harmlessly */
		if (cursor_set(w, (enum source)i, last)) {
			snprintf(err, errlen, "saving the cursor: %s", sqlite3_errmsg(w->db));
			return DISTRICT_E_STORE;
		}
		*sent = n;
		return 0;
	}
	return 0;
}

static bool fwd_ensure_connected(struct fwd *w, char *err, size_t errlen)
{
	if (w->pg && PQstatus(w->pg) == CONNECTION_OK)
		return true;
	if (w->pg)
		PQfinish(w->pg);
	w->pg = district_connect(w->o.conninfo, err, errlen);
	return w->pg != NULL;
}

int district_forward_once(const struct district_forward_options *o, int max_batches, int64_t *sent,
                          char *err, size_t errlen)
{
	struct fwd w;
	int status = fwd_open(&w, o, err, errlen);
	if (sent)
		*sent = 0;
	if (status)
		return status;
	if (!fwd_ensure_connected(&w, err, errlen)) {
		status = DISTRICT_E_CONNECT;
		goto out_close;
	}
	for (int b = 0; max_batches == 0 || b < max_batches; b++) {
		int n;
		if ((status = fwd_batch(&w, &n, err, errlen)) != 0)
			goto out_close;
		if (sent)
			*sent += n;
		if (n == 0)
			break;
	}
	status = rooms_send(&w, clock_unix_s(), err, errlen);
out_close:
	fwd_close(&w);
	return status;
}

/* Sleep ms unless stopped; true when asked to stop. */
static bool fwd_wait(struct district_forwarder *f, int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&f->lock);
	while (!f->stop && pthread_cond_timedwait(&f->wake, &f->lock, &until) != ETIMEDOUT)
		;
	bool stop = f->stop;
	pthread_mutex_unlock(&f->lock);
	return stop;
}

static void *fwd_thread(void *arg)
{
	struct district_forwarder *f = arg;
	struct fwd *w = &f->w;
	int backoff = w->o.backoff_min_ms;
	bool failing = false;
	char err[512];
	for (;;) {
		int sent = 0, status = 0;
		if (!fwd_ensure_connected(w, err, sizeof(err)))
			status = DISTRICT_E_CONNECT;
		if (!status)
			status = fwd_batch(w, &sent, err, sizeof(err));
		if (!status && sent == 0)
			status = rooms_send(w, clock_unix_s(), err, sizeof(err));
		int64_t pending = -1;
		if (pending_count(w, &pending))
			pending = -1;
		pthread_mutex_lock(&f->lock);
		if (pending >= 0)
			f->stats.pending = pending;
		f->stats.connected = w->pg && PQstatus(w->pg) == CONNECTION_OK;
		if (status) {
			f->stats.failures++;
		} else if (sent > 0) {
			f->stats.forwarded += sent;
			f->stats.batches++;
			f->stats.last_ok_ms = clock_unix_ms();
		} else {
			f->stats.idle_rounds++;
		}
		pthread_mutex_unlock(&f->lock);
		int pause;
		if (status) {
			/* one warning when the hub goes away, not one per retry for hours */
			if (!failing)
				log_warn("district: %s; retrying with back-off", err);
			else
				log_debug("district: %s; retrying in %d ms", err, backoff);
			failing = true;
			if (w->pg && status != DISTRICT_E_STORE) {
				PQfinish(w->pg);
				w->pg = NULL;
			}
			pause = backoff;
			backoff =
			    backoff > w->o.backoff_max_ms / 2 ? w->o.backoff_max_ms : backoff * 2;
		} else {
			if (failing)
				log_info("district: hub reachable again, forwarding resumed");
			failing = false;
			backoff = w->o.backoff_min_ms;
			pause = sent > 0 ? 0 : w->o.interval_ms;
		}
		if (fwd_wait(f, pause))
			break;
	}
	return NULL;
}

struct district_forwarder *district_forwarder_start(const struct district_forward_options *o,
                                                    char *err, size_t errlen)
{
	struct district_forwarder *f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (fwd_open(&f->w, o, err, errlen))
		goto out_free;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&f->lock, NULL);
	if (pthread_create(&f->thread, NULL, fwd_thread, f) != 0) {
		snprintf(err, errlen, "cannot start the forwarder thread");
		goto out_sync;
	}
	return f;
out_sync:
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	fwd_close(&f->w);
out_free:
	free(f);
	return NULL;
}

void district_forwarder_stats(struct district_forwarder *f, struct district_forward_stats *out)
{
	pthread_mutex_lock(&f->lock);
	*out = f->stats;
	pthread_mutex_unlock(&f->lock);
}

void district_forwarder_stop(struct district_forwarder *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_signal(&f->wake);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	fwd_close(&f->w);
	free(f);
}
