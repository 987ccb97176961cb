/* app/sync/station.c: the station's sync backend on SQLite. Records are held in sync_records
 * under UNIQUE (device_id, device_seq); each push is one BEGIN IMMEDIATE transaction,
 * committed with synchronous=FULL before the caller answers. Conflicts are decided when a
 * record is first stored, so a repeat can never change an outcome. */
#include "app/sync/station.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/store/store.h"

#define STATION_BUSY_MS   5000
#define LEASE_TTL_DEFAULT 86400

struct sync_station {
	struct sync_backend base; /* first: the server sees only this */
	sqlite3 *db;
	char devices_table[16]; /* "devices" (the store's) or "sync_devices" */
	char rooms_table[16];   /* "rooms" (the store's) or "sync_rooms" */
	int64_t lease_ttl;
	int64_t mirrored_at; /* last second the store's tables were mirrored */
	bool store_checkins; /* the file has the store's checkins and occupancy tables */
	struct store *store; /* attached to db when it holds the store's schema; else NULL */
	int64_t (*now)(void *ctx);
	void *now_ctx;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS sync_records (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  device_id TEXT NOT NULL,\n"
    "  device_seq INTEGER NOT NULL CHECK (device_seq >= 1),\n"
    "  kind TEXT NOT NULL,\n"
    "  at INTEGER NOT NULL,\n"
    "  body TEXT NOT NULL,\n"
    "  received_at INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('stored', 'conflict')),\n"
    "  reason TEXT NOT NULL DEFAULT '',\n"
    "  arrival_id INTEGER,\n"
    "  room TEXT,\n"
    "  UNIQUE (device_id, device_seq)\n"
    ") STRICT;\n"
    "CREATE INDEX IF NOT EXISTS sync_records_arrival ON sync_records (arrival_id)\n"
    "  WHERE kind = 'checkin' AND status = 'stored';\n"
    "CREATE INDEX IF NOT EXISTS sync_records_room ON sync_records (room)\n"
    "  WHERE kind = 'checkin' AND status = 'stored';\n"
    /* every record 1..held_through of a device is held */
    "CREATE TABLE IF NOT EXISTS sync_held (\n"
    "  device_id TEXT PRIMARY KEY,\n"
    "  held_through INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE IF NOT EXISTS sync_changes (\n"
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  kind TEXT NOT NULL,\n"
    "  key TEXT NOT NULL,\n"
    "  body TEXT NOT NULL,\n"
    "  at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE IF NOT EXISTS sync_leases (\n"
    "  room TEXT PRIMARY KEY,\n"
    "  device_id TEXT NOT NULL,\n"
    "  granted_at INTEGER NOT NULL,\n"
    "  expires_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX IF NOT EXISTS sync_leases_device ON sync_leases (device_id);\n"
    /* what the change log last said about each (kind, key) mirrored from the store */
    "CREATE TABLE IF NOT EXISTS sync_published (\n"
    "  kind TEXT NOT NULL,\n"
    "  key TEXT NOT NULL,\n"
    "  body TEXT NOT NULL,\n"
    "  PRIMARY KEY (kind, key)\n"
    ") STRICT;\n";

/* Used only when the file has no store schema (the same columns as the store's tables). */
static const char schema_devices[] =
    "CREATE TABLE IF NOT EXISTS sync_devices (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  role TEXT NOT NULL CHECK (role IN ('entrance', 'security', 'frontdesk', 'station')),\n"
    "  credential_hash TEXT NOT NULL,\n"
    "  added_at INTEGER NOT NULL,\n"
    "  revoked_at INTEGER\n"
    ") STRICT;\n";
static const char schema_rooms[] =
    "CREATE TABLE IF NOT EXISTS sync_rooms (\n"
    "  number TEXT PRIMARY KEY,\n"
    "  floor INTEGER NOT NULL DEFAULT 0,\n"
    "  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 16),\n"
    "  state TEXT NOT NULL DEFAULT 'free' CHECK (state IN ('free', 'occupied', 'cleaning', "
    "'blocked'))\n"
    ") STRICT;\n";

static int64_t station_now(struct sync_station *st)
{
	if (st->now)
		return st->now(st->now_ctx);
	return (int64_t)time(NULL);
}

/* SQLite result to sync status: busy and locked are worth retrying. */
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

static sqlite3_stmt *prepare(struct sync_station *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	return s;
}

/* Prepare SQL with the table names filled in for "{devices}" and "{rooms}". */
static sqlite3_stmt *preparef(struct sync_station *st, const char *tmpl)
{
	char sql[4096];
	size_t n = 0;
	while (*tmpl && n + 1 < sizeof(sql)) {
		const char *name = NULL;
		if (strncmp(tmpl, "{devices}", 9) == 0) {
			name = st->devices_table;
			tmpl += 9;
		} else if (strncmp(tmpl, "{rooms}", 7) == 0) {
			name = st->rooms_table;
			tmpl += 7;
		}
		if (name) {
			size_t len = strlen(name);
			if (n + len + 1 >= sizeof(sql))
				return NULL;
			memcpy(sql + n, name, len);
			n += len;
		} else {
			sql[n++] = *tmpl++;
		}
	}
	if (*tmpl)
		return NULL;
	sql[n] = '\0';
	return prepare(st, sql);
}

static int exec(struct sync_station *st, const char *sql)
{
	return sql_status(sqlite3_exec(st->db, sql, NULL, NULL, NULL));
}

static int begin(struct sync_station *st)
{
	return exec(st, "BEGIN IMMEDIATE");
}

static int commit(struct sync_station *st)
{
	int status = exec(st, "COMMIT");
	if (status)
		exec(st, "ROLLBACK");
	return status;
}

static void rollback(struct sync_station *st)
{
	exec(st, "ROLLBACK");
}

static int change_add(struct sync_station *st, const char *kind, const char *key, const char *body,
                      int64_t now)
{
	sqlite3_stmt *s =
	    prepare(st, "INSERT INTO sync_changes (kind, key, body, at) VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	int status = sql_status(sqlite3_step(s));
	sqlite3_finalize(s);
	return status;
}

static int step_done(sqlite3_stmt *s)
{
	int status = sql_status(sqlite3_step(s));
	sqlite3_finalize(s);
	return status;
}

/* ---- authenticate ---- */

static int station_authenticate(struct sync_backend *b, const char *device_id, const char *secret,
                                struct sync_device *out)
{
	struct sync_station *st = (struct sync_station *)b;
	char stored[SYNC_HASH_MAX] = "";
	char role[16] = "";
	bool revoked = true;
	sqlite3_stmt *s = preparef(st, "SELECT credential_hash, role, revoked_at IS NOT NULL "
	                               "FROM {devices} WHERE id = ?1");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, device_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(s, 0);
		const char *r = (const char *)sqlite3_column_text(s, 1);
		snprintf(stored, sizeof(stored), "%s", h ? h : "");
		snprintf(role, sizeof(role), "%s", r ? r : "");
		revoked = sqlite3_column_int(s, 2) != 0;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_status(rc);
	/* The hash is computed and compared even for an unknown device. */
	bool match = sync_secret_check(secret, stored);
	enum sync_role r;
	if (!match || revoked || rc != SQLITE_ROW || !sync_role_parse(role, &r))
		return SYNC_E_UNAUTHENTICATED;
	snprintf(out->id, sizeof(out->id), "%s", device_id);
	out->role = r;
	return 0;
}

/* ---- push ---- */

/* A received check-in (sync_records r) the store did not apply (no room, an arrival the
 * station does not know): it counts here; applied ones count through the store's tables. */
#define UNAPPLIED                                                                                  \
	"NOT EXISTS (SELECT 1 FROM checkins k WHERE k.device_id = r.device_id AND k.device_seq = " \
	"r.device_seq)"

struct push_stmts {
	sqlite3_stmt *find;      /* status of (device, seq) if held */
	sqlite3_stmt *insert;    /* a new record */
	sqlite3_stmt *active;    /* a stored check-in of an arrival */
	sqlite3_stmt *room;      /* capacity and state of a room */
	sqlite3_stmt *occupants; /* stored check-ins in a room */
	sqlite3_stmt *held_get;
	sqlite3_stmt *held_set;
	sqlite3_stmt *has_seq;
};

static void push_stmts_free(struct push_stmts *p)
{
	sqlite3_finalize(p->find);
	sqlite3_finalize(p->insert);
	sqlite3_finalize(p->active);
	sqlite3_finalize(p->room);
	sqlite3_finalize(p->occupants);
	sqlite3_finalize(p->held_get);
	sqlite3_finalize(p->held_set);
	sqlite3_finalize(p->has_seq);
}

static int push_stmts_prepare(struct sync_station *st, struct push_stmts *p)
{
	memset(p, 0, sizeof(*p));
	p->find = prepare(st, "SELECT kind, at, body FROM sync_records WHERE device_id = ?1 AND "
	                      "device_seq = ?2");
	p->insert =
	    prepare(st, "INSERT INTO sync_records (device_id, device_seq, kind, at, body, "
	                "received_at, status, reason, arrival_id, room) VALUES (?1, ?2, ?3, "
	                "?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	/* With the store's schema, people checked in at the station itself (the front desk,
	 * through the store) count as well: their active check-ins and current occupancy. */
	p->active = prepare(
	    st, st->store_checkins
	            ? "SELECT device_id || '/' || device_seq FROM checkins WHERE arrival_id = ?1 "
	              "AND state = 'active' UNION ALL SELECT r.device_id || '/' || r.device_seq "
	              "FROM sync_records r WHERE r.kind = 'checkin' AND r.status = 'stored' AND "
	              "r.arrival_id = ?1 AND " UNAPPLIED " LIMIT 1"
	            : "SELECT device_id || '/' || device_seq FROM sync_records WHERE kind = "
	              "'checkin' AND status = 'stored' AND arrival_id = ?1 LIMIT 1");
	p->room = preparef(st, "SELECT capacity, state FROM {rooms} WHERE number = ?1");
	p->occupants = prepare(
	    st, st->store_checkins
	            ? "SELECT (SELECT count(*) FROM sync_records r WHERE r.kind = 'checkin' AND "
	              "r.status = 'stored' AND r.room = ?1 AND " UNAPPLIED ") + (SELECT count(*) "
	              "FROM occupancy WHERE room = ?1 AND until IS NULL)"
	            : "SELECT count(*) FROM sync_records WHERE kind = 'checkin' AND status = "
	              "'stored' AND room = ?1");
	p->held_get = prepare(st, "SELECT held_through FROM sync_held WHERE device_id = ?1");
	p->held_set = prepare(st, "INSERT INTO sync_held (device_id, held_through) VALUES (?1, ?2) "
	                          "ON CONFLICT (device_id) DO UPDATE SET held_through = ?2");
	p->has_seq = prepare(st, "SELECT 1 FROM sync_records WHERE device_id = ?1 AND "
	                         "device_seq = ?2");
	if (!p->find || !p->insert || !p->active || !p->room || !p->occupants || !p->held_get ||
	    !p->held_set || !p->has_seq) {
		push_stmts_free(p);
		return SYNC_E_INTERNAL;
	}
	return 0;
}

/* The fields of a check-in body the station decides on. */
struct checkin_fields {
	int64_t arrival_id;
	char room[SYNC_ROOM_MAX]; /* "" : no room (out of leases: the front desk assigns) */
};

static int checkin_parse(const char *body, struct checkin_fields *f)
{
	json_t *root = json_loads(body, 0, NULL);
	int status = SYNC_E_MALFORMED;
	if (!root)
		return SYNC_E_MALFORMED;
	json_t *a = json_object_get(root, "arrival_id");
	json_t *r = json_object_get(root, "room");
	if (!json_is_integer(a) || json_integer_value(a) < 1 || !json_is_string(r))
		goto out_free;
	const char *room = json_string_value(r);
	if (*room && !sync_room_valid(room))
		goto out_free;
	f->arrival_id = json_integer_value(a);
	snprintf(f->room, sizeof(f->room), "%s", room);
	status = 0;
out_free:
	json_decref(root);
	return status;
}

/* Decide a new check-in: stored, or a conflict with its reason and the record that won. */
static int checkin_decide(struct push_stmts *p, const struct checkin_fields *f,
                          enum sync_result *res, const char **reason, char winner[SYNC_KEY_MAX])
{
	int rc;
	*res = SYNC_RESULT_STORED;
	*reason = "";
	winner[0] = '\0';
	sqlite3_reset(p->active);
	sqlite3_bind_int64(p->active, 1, f->arrival_id);
	rc = sqlite3_step(p->active);
	if (rc == SQLITE_ROW) {
		snprintf(winner, SYNC_KEY_MAX, "%s",
		         (const char *)sqlite3_column_text(p->active, 0));
		*res = SYNC_RESULT_CONFLICT;
		*reason = "E_ALREADY_CHECKED_IN";
		return 0;
	}
	if (rc != SQLITE_DONE)
		return sql_status(rc);
	if (!f->room[0])
		return 0;
	sqlite3_reset(p->room);
	sqlite3_bind_text(p->room, 1, f->room, -1, SQLITE_STATIC);
	rc = sqlite3_step(p->room);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_status(rc);
	int capacity = rc == SQLITE_ROW ? sqlite3_column_int(p->room, 0) : 0;
	const char *state = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(p->room, 1) : "";
	bool usable = state && (strcmp(state, "free") == 0 || strcmp(state, "occupied") == 0);
	sqlite3_reset(p->occupants);
	sqlite3_bind_text(p->occupants, 1, f->room, -1, SQLITE_STATIC);
	rc = sqlite3_step(p->occupants);
	if (rc != SQLITE_ROW)
		return sql_status(rc);
	int occupants = sqlite3_column_int(p->occupants, 0);
	if (!usable || occupants >= capacity) {
		*res = SYNC_RESULT_CONFLICT;
		*reason = "E_NO_ROOM";
	}
	return 0;
}

/* Publish what other devices need of a new record: accepted check-ins (for the security
 * posts), risk changes and wristband voids, and every conflict (for the front desk). */
static int record_publish(struct sync_station *st, const char *device, const struct sync_record *r,
                          enum sync_result res, const char *reason, const char *winner, int64_t now)
{
	char key[SYNC_KEY_MAX];
	snprintf(key, sizeof(key), "%s/%lld", device, (long long)r->seq);
	if (res == SYNC_RESULT_CONFLICT) {
		json_t *record = json_loads(r->body, 0, NULL);
		json_t *body = json_pack("{s:s, s:s, s:s, s:o*, s:s*}", "reason", reason, "kind",
		                         r->kind, "record_key", key, "record", record, "winner",
		                         winner[0] ? winner : NULL);
		char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
		json_decref(body);
		if (!text)
			return SYNC_E_NOMEM;
		int status = change_add(st, "conflict", key, text, now);
		free(text);
		return status;
	}
	if (strcmp(r->kind, "checkin") == 0 || strcmp(r->kind, "risk_change") == 0 ||
	    strcmp(r->kind, "wristband_void") == 0)
		return change_add(st, r->kind, key, r->body, now);
	return 0;
}

/* With the store's schema: apply a new record into the store's tables (store_apply_record),
 * or record the conflict the station decided for staff. A conflict the store finds (a room
 * the station's own desk filled, a reprint of another device's band) turns *decided into a
 * conflict; a record the store cannot apply stays stored with the store's reason. */
static int record_apply(struct sync_station *st, const struct sync_device *d,
                        const struct sync_record *r, const struct checkin_fields *f, int64_t now,
                        enum sync_result *decided, const char **reason, char winner[SYNC_KEY_MAX],
                        struct store_applied *applied)
{
	int rc;
	memset(applied, 0, sizeof(*applied));
	if (*decided == SYNC_RESULT_STORED) {
		unsigned flags = d->role == SYNC_ROLE_ENTRANCE    ? STORE_APPLY_OWN_BANDS_ONLY
		                 : d->role == SYNC_ROLE_FRONTDESK ? STORE_APPLY_DESK
		                                                  : 0;
		rc = store_apply_record(st->store, d->id, r->seq, r->kind, r->body, flags, applied);
		if (rc)
			goto out_fail;
		if (applied->outcome == STORE_APPLY_HELD)
			*reason = applied->reason;
		if (applied->outcome != STORE_APPLY_CONFLICT)
			return 0;
		*decided = SYNC_RESULT_CONFLICT;
		*reason = applied->reason;
		snprintf(winner, SYNC_KEY_MAX, "%s", applied->winner);
	}
	rc = store_conflict_add(st->store, d->id, r->seq, r->kind, *reason, f ? f->arrival_id : 0,
	                        f ? f->room : NULL, winner, now, r->body);
	if (rc == 0)
		return 0;
out_fail:
	fprintf(stderr, "stationd: applying %s/%lld: %s\n", d->id, (long long)r->seq,
	        store_errmsg(st->store));
	return rc == STORE_E_BUSY    ? SYNC_E_BUSY
	       : rc == STORE_E_NOMEM ? SYNC_E_NOMEM
	                             : SYNC_E_INTERNAL;
}

static int cmp_record_seq(const void *a, const void *b)
{
	const struct sync_record *x = *(const struct sync_record *const *)a;
	const struct sync_record *y = *(const struct sync_record *const *)b;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Is the held row of find (kind, at, body) the record r itself, as a resend carries it? */
static bool held_same(sqlite3_stmt *find, const struct sync_record *r)
{
	const char *kind = (const char *)sqlite3_column_text(find, 0);
	const char *body = (const char *)sqlite3_column_text(find, 2);
	return kind && body && strcmp(kind, r->kind) == 0 &&
	       sqlite3_column_int64(find, 1) == r->at && strcmp(body, r->body) == 0;
}

static int held_advance(struct push_stmts *p, const char *device, int64_t *held)
{
	int rc;
	*held = 0;
	sqlite3_reset(p->held_get);
	sqlite3_bind_text(p->held_get, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(p->held_get);
	if (rc == SQLITE_ROW)
		*held = sqlite3_column_int64(p->held_get, 0);
	else if (rc != SQLITE_DONE)
		return sql_status(rc);
	int64_t before = *held;
	for (;;) {
		sqlite3_reset(p->has_seq);
		sqlite3_bind_text(p->has_seq, 1, device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(p->has_seq, 2, *held + 1);
		rc = sqlite3_step(p->has_seq);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW)
			return sql_status(rc);
		(*held)++;
	}
	if (*held == before)
		return 0;
	sqlite3_reset(p->held_set);
	sqlite3_bind_text(p->held_set, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(p->held_set, 2, *held);
	return sql_status(sqlite3_step(p->held_set));
}

static int station_push(struct sync_backend *b, const struct sync_device *d,
                        const struct sync_push *batch, struct sync_push_reply *out)
{
	struct sync_station *st = (struct sync_station *)b;
	struct push_stmts p;
	int status;
	int64_t now = station_now(st);
	memset(out, 0, sizeof(*out));
	/* Check bodies first: a malformed record refuses the batch before anything is written. */
	struct checkin_fields *fields = calloc(batch->n, sizeof(*fields));
	const struct sync_record **order = calloc(batch->n, sizeof(*order));
	out->results = calloc(batch->n, sizeof(*out->results));
	if (!fields || !order || !out->results) {
		status = SYNC_E_NOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < batch->n; i++) {
		order[i] = &batch->records[i];
		if (strcmp(batch->records[i].kind, "checkin") == 0 &&
		    checkin_parse(batch->records[i].body, &fields[i])) {
			status = SYNC_E_MALFORMED;
			goto out_free;
		}
	}
	/* First stored wins, so store in sequence order whatever order the batch came in. */
	qsort(order, batch->n, sizeof(*order), cmp_record_seq);
	if ((status = push_stmts_prepare(st, &p)))
		goto out_free;
	if ((status = begin(st)))
		goto out_stmts;
	size_t reused = 0;
	int64_t reused_first = 0, reused_last = 0;
	for (size_t k = 0; k < batch->n; k++) {
		const struct sync_record *r = order[k];
		const struct checkin_fields *f = &fields[r - batch->records];
		bool is_checkin = strcmp(r->kind, "checkin") == 0;
		struct sync_push_result *res = &out->results[k];
		res->seq = r->seq;
		sqlite3_reset(p.find);
		sqlite3_bind_text(p.find, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(p.find, 2, r->seq);
		int rc = sqlite3_step(p.find);
		if (rc == SQLITE_ROW) {
			/* A resend carries the outbox row byte for byte; anything else under the
			 * same (device, seq) is another record (a recreated device store numbering
			 * from 1 again): never stored over the held one, the device renumbers it.
			 */
			res->status =
			    held_same(p.find, r) ? SYNC_RESULT_DUPLICATE : SYNC_RESULT_REUSED;
			if (res->status == SYNC_RESULT_REUSED) {
				reused_first = reused ? reused_first : r->seq;
				reused_last = r->seq;
				reused++;
			}
			continue;
		}
		if (rc != SQLITE_DONE) {
			status = sql_status(rc);
			goto out_rollback;
		}
		enum sync_result decided = SYNC_RESULT_STORED;
		const char *reason = "";
		char winner[SYNC_KEY_MAX] = "";
		if (is_checkin && (status = checkin_decide(&p, f, &decided, &reason, winner)))
			goto out_rollback;
		struct store_applied applied;
		if (st->store && (status = record_apply(st, d, r, is_checkin ? f : NULL, now,
		                                        &decided, &reason, winner, &applied)))
			goto out_rollback;
		sqlite3_stmt *ins = p.insert;
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, r->seq);
		sqlite3_bind_text(ins, 3, r->kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, r->at);
		sqlite3_bind_text(ins, 5, r->body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 6, now);
		sqlite3_bind_text(ins, 7, decided == SYNC_RESULT_STORED ? "stored" : "conflict", -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, reason, -1, SQLITE_STATIC);
		if (is_checkin) {
			sqlite3_bind_int64(ins, 9, f->arrival_id);
			sqlite3_bind_text(ins, 10, f->room, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_null(ins, 9);
			sqlite3_bind_null(ins, 10);
		}
		if ((status = sql_status(sqlite3_step(ins))))
			goto out_rollback;
		if ((status = record_publish(st, d->id, r, decided, reason, winner, now)))
			goto out_rollback;
		res->status = decided;
	}
	out->n = batch->n;
	if ((status = held_advance(&p, d->id, &out->held_through)))
		goto out_rollback;
	status = commit(st);
	if (!status && reused)
		fprintf(stderr,
		        "stationd: %s sent other records under %zu held seqs (%lld..%lld; a "
		        "recreated device store?): answered reused, nothing stored\n",
		        d->id, reused, (long long)reused_first, (long long)reused_last);
	goto out_stmts;
out_rollback:
	rollback(st);
out_stmts:
	push_stmts_free(&p);
out_free:
	free(fields);
	free(order);
	if (status)
		sync_push_reply_free(out);
	return status;
}

/* ---- mirroring the store's tables into the change log ---- */

/* Each source: a change kind and a query giving (key, body) for every current row of a
 * store table. A row is published when its body differs from what was last published. */
static const struct {
	const char *kind;
	const char *table;
	const char *query;
} mirrors[] = {
    /* A check-in that ended here (released or transferred at the front desk, or void), keyed
     * by the record that made it, so a device drops that person from its occupancy rows.
     * Before "room": in one pass the room's new state follows the end that caused it. */
    {"checkin_end", "checkins",
     "SELECT device_id || '/' || device_seq, json_object('arrival_id', arrival_id, 'room', "
     "room, 'outcome', coalesce(outcome, state), 'at', (SELECT max(o.until) FROM occupancy o "
     "WHERE o.checkin_id = c.id)) FROM checkins c WHERE state <> 'active'"},
    {"room", "{rooms}",
     "SELECT number, json_object('floor', floor, 'capacity', capacity, 'state', state) "
     "FROM {rooms}"},
    {"arrival", "arrivals",
     "SELECT CAST(id AS TEXT), json_object('batch', batch, 'name', name, 'doc_type', "
     "doc_type, 'doc_number', doc_number, 'nationality', nationality, 'phone', phone, "
     "'category', category, 'onsite_days', onsite_days, 'home_days', home_days, 'group_id', "
     "group_id, 'elderly', elderly, 'child', child, 'pregnant', pregnant, 'dietary', dietary, "
     "'notes', notes, 'expected_day', expected_day, 'subject_id', subject_id) FROM arrivals"},
    {"risk", "risk_changes",
     "SELECT CAST(arrival_id AS TEXT), json_object('risk', risk, 'at', at, 'set_by', set_by, "
     "'why', why) FROM risk_changes r WHERE id = (SELECT max(id) FROM risk_changes WHERE "
     "arrival_id = r.arrival_id)"},
    {"wristband_void", "wristbands",
     "SELECT serial, json_object('state', state, 'reason', reason) FROM wristbands WHERE "
     "state <> 'active'"},
    {"issuer_key", "issuer_keys",
     "SELECT kid, json_object('issuer', issuer, 'alg', alg, 'public_key', public_key, 'demo', "
     "demo, 'revoked_at', revoked_at) FROM issuer_keys"},
    {"revocation", "revocations",
     "SELECT issuer || '/' || credential_id, json_object('revoked_at', revoked_at, 'reason', "
     "reason) FROM revocations"},
    {"briefing", "briefings",
     "SELECT lang, json_object('version', version, 'hash', hash, 'text', text) FROM briefings b "
     "WHERE version = (SELECT max(version) FROM briefings WHERE lang = b.lang)"},
    {"badge", "badges",
     "SELECT badge_id, json_object('role', role, 'pin_hash', pin_hash, 'revoked_at', "
     "revoked_at) FROM badges"},
};

int sync_station_mirror(struct sync_station *st, int64_t *published)
{
	int64_t now = station_now(st), total = 0;
	int status;
	char sql[2048];
	if ((status = begin(st)))
		return status;
	for (size_t i = 0; i < sizeof(mirrors) / sizeof(*mirrors); i++) {
		const char *table = mirrors[i].table;
		if (strcmp(table, "{rooms}") == 0)
			table = st->rooms_table;
		if (!table_exists(st->db, table))
			continue;
		/* new or changed rows into the change log, then remember them */
		snprintf(
		    sql, sizeof(sql),
		    "WITH cur(key, body) AS (%s) INSERT INTO sync_changes (kind, key, body, at) "
		    "SELECT ?1, key, body, ?2 FROM cur WHERE NOT EXISTS (SELECT 1 FROM "
		    "sync_published p WHERE p.kind = ?1 AND p.key = cur.key AND p.body = "
		    "cur.body) ORDER BY key",
		    mirrors[i].query);
		sqlite3_stmt *s = preparef(st, sql);
		if (!s) {
			status = SYNC_E_INTERNAL;
			goto out_rollback;
		}
		sqlite3_bind_text(s, 1, mirrors[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		if ((status = step_done(s)))
			goto out_rollback;
		int64_t added = sqlite3_changes64(st->db);
		total += added;
		if (!added)
			continue;
		snprintf(
		    sql, sizeof(sql),
		    "WITH cur(key, body) AS (%s) INSERT INTO sync_published (kind, key, body) "
		    "SELECT ?1, key, body FROM cur WHERE true ON CONFLICT (kind, key) DO UPDATE "
		    "SET body = excluded.body",
		    mirrors[i].query);
		if (!(s = preparef(st, sql))) {
			status = SYNC_E_INTERNAL;
			goto out_rollback;
		}
		sqlite3_bind_text(s, 1, mirrors[i].kind, -1, SQLITE_STATIC);
		if ((status = step_done(s)))
			goto out_rollback;
	}
	if ((status = commit(st)))
		return status;
	if (published)
		*published = total;
	return 0;
out_rollback:
	rollback(st);
	return status;
}

/* ---- pull ---- */

static int station_pull(struct sync_backend *b, const struct sync_device *d, int64_t since,
                        int limit, struct sync_pull_reply *out)
{
	struct sync_station *st = (struct sync_station *)b;
	(void)d;
	int status = 0, rc;
	memset(out, 0, sizeof(*out));
	/* what staff changed through the store since the last second reaches the log first */
	int64_t now = station_now(st);
	if (now != st->mirrored_at && sync_station_mirror(st, NULL) == 0)
		st->mirrored_at = now;
	out->cursor = since;
	out->changes = calloc((size_t)limit, sizeof(*out->changes));
	if (!out->changes)
		return SYNC_E_NOMEM;
	sqlite3_stmt *s =
	    prepare(st, "SELECT seq, kind, key, body FROM sync_changes WHERE seq > ?1 "
	                "ORDER BY seq LIMIT ?2");
	if (!s) {
		status = SYNC_E_INTERNAL;
		goto out_free;
	}
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, (int64_t)limit + 1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == (size_t)limit) {
			out->more = true;
			break;
		}
		struct sync_change *c = &out->changes[out->n];
		c->seq = sqlite3_column_int64(s, 0);
		snprintf(c->kind, sizeof(c->kind), "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(c->key, sizeof(c->key), "%s", (const char *)sqlite3_column_text(s, 2));
		c->body = strdup((const char *)sqlite3_column_text(s, 3));
		if (!c->body) {
			status = SYNC_E_NOMEM;
			goto out_free;
		}
		out->n++;
		out->cursor = c->seq;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = sql_status(rc);
out_free:
	sqlite3_finalize(s);
	if (status)
		sync_pull_reply_free(out);
	return status;
}

/* ---- leases ---- */

static int station_lease(struct sync_backend *b, const struct sync_device *d,
                         const struct sync_lease_request *req, struct sync_lease_reply *out)
{
	struct sync_station *st = (struct sync_station *)b;
	int64_t now = station_now(st);
	int status, rc;
	sqlite3_stmt *s;
	memset(out, 0, sizeof(*out));
	if ((status = begin(st)))
		return status;
	/* expired and past the grace: nobody may still be using it */
	if (!(s = prepare(st, "DELETE FROM sync_leases WHERE expires_at + ?1 < ?2")))
		goto out_internal;
	sqlite3_bind_int64(s, 1, st->lease_ttl);
	sqlite3_bind_int64(s, 2, now);
	if ((status = step_done(s)))
		goto out_rollback;
	for (int i = 0; i < req->n_returned; i++) {
		if (!(s = prepare(st,
		                  "DELETE FROM sync_leases WHERE room = ?1 AND device_id = ?2")))
			goto out_internal;
		sqlite3_bind_text(s, 1, req->returned[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, d->id, -1, SQLITE_STATIC);
		if ((status = step_done(s)))
			goto out_rollback;
	}
	if (!(s = prepare(st, "UPDATE sync_leases SET expires_at = ?2 WHERE device_id = ?1")))
		goto out_internal;
	sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now + st->lease_ttl);
	if ((status = step_done(s)))
		goto out_rollback;
		/* Whole statements chosen from literals: with the store attached, a received
		 * check-in the store applied is counted there, not twice. */
#define LEASABLE(extra)                                                                            \
	"FROM {rooms} q WHERE q.state = 'free' AND NOT EXISTS (SELECT 1 FROM sync_leases l "       \
	"WHERE l.room = q.number) AND NOT EXISTS (SELECT 1 FROM sync_records r WHERE "             \
	"r.kind = 'checkin' AND r.status = 'stored' AND r.room = q.number" extra ")"
#define GRANT(leasable)                                                                            \
	"INSERT INTO sync_leases (room, device_id, granted_at, expires_at) SELECT "                \
	"q.number, ?1, ?2, ?3 " leasable " ORDER BY q.floor, q.number LIMIT max(0, ?4 - (SELECT "  \
	"count(*) FROM sync_leases WHERE device_id = ?1))"
	const char *grant_sql =
	    st->store ? GRANT(LEASABLE(" AND " UNAPPLIED)) : GRANT(LEASABLE(""));
	const char *count_sql = st->store ? "SELECT count(*) " LEASABLE(" AND " UNAPPLIED)
	                                  : "SELECT count(*) " LEASABLE("");
#undef GRANT
#undef LEASABLE
	if (!(s = preparef(st, grant_sql)))
		goto out_internal;
	sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, now + st->lease_ttl);
	sqlite3_bind_int(s, 4, req->want);
	if ((status = step_done(s)))
		goto out_rollback;
	if (!(s = preparef(st, count_sql)))
		goto out_internal;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		out->free_rooms = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW) {
		status = sql_status(rc);
		goto out_rollback;
	}
	if (!(s = preparef(st, "SELECT l.room, r.capacity, l.expires_at FROM sync_leases l JOIN "
	                       "{rooms} r ON r.number = l.room WHERE l.device_id = ?1 ORDER BY "
	                       "r.floor, r.number LIMIT 64")))
		goto out_internal;
	sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && out->n < SYNC_LEASE_MAX) {
		struct sync_lease *l = &out->leases[out->n++];
		snprintf(l->room, sizeof(l->room), "%s", (const char *)sqlite3_column_text(s, 0));
		l->capacity = sqlite3_column_int(s, 1);
		l->expires_in = sqlite3_column_int64(s, 2) - now;
		if (l->expires_in < 1)
			l->expires_in = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		status = sql_status(rc);
		goto out_rollback;
	}
	return commit(st);
out_internal:
	status = SYNC_E_INTERNAL;
out_rollback:
	rollback(st);
	memset(out, 0, sizeof(*out));
	return status;
}

/* ---- open, close, admin ---- */

static void station_close_backend(struct sync_backend *b)
{
	sync_station_close((struct sync_station *)b);
}

static const struct sync_backend_ops station_ops = {
    .authenticate = station_authenticate,
    .push = station_push,
    .pull = station_pull,
    .lease = station_lease,
    .close = station_close_backend,
};

struct sync_station *sync_station_open(const char *path, const struct sync_station_options *opt,
                                       char *err, size_t errlen)
{
	struct sync_station *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->base.ops = &station_ops;
	snprintf(st->base.station_id, sizeof(st->base.station_id), "%s",
	         opt && opt->station_id && *opt->station_id ? opt->station_id : "station");
	st->lease_ttl = opt && opt->lease_ttl_s > 0 ? opt->lease_ttl_s : LEASE_TTL_DEFAULT;
	st->now = opt ? opt->now : NULL;
	st->now_ctx = opt ? opt->now_ctx : NULL;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		         st->db ? sqlite3_errmsg(st->db) : "cannot open");
		goto out_close;
	}
	sqlite3_busy_timeout(st->db, STATION_BUSY_MS);
	char *msg = NULL;
	if (sqlite3_exec(st->db,
	                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
	                 "PRAGMA foreign_keys = ON;",
	                 NULL, NULL, &msg) != SQLITE_OK)
		goto out_msg;
	bool store_devices = table_exists(st->db, "devices");
	st->store_checkins = table_exists(st->db, "checkins") && table_exists(st->db, "occupancy");
	bool store_rooms = table_exists(st->db, "rooms");
	snprintf(st->devices_table, sizeof(st->devices_table), "%s",
	         store_devices ? "devices" : "sync_devices");
	snprintf(st->rooms_table, sizeof(st->rooms_table), "%s",
	         store_rooms ? "rooms" : "sync_rooms");
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(st->db, schema, NULL, NULL, &msg) != SQLITE_OK ||
	    (!store_devices &&
	     sqlite3_exec(st->db, schema_devices, NULL, NULL, &msg) != SQLITE_OK) ||
	    (!store_rooms && sqlite3_exec(st->db, schema_rooms, NULL, NULL, &msg) != SQLITE_OK) ||
	    sqlite3_exec(st->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		goto out_msg;
	}
	if (st->store_checkins) {
		struct store_error serr;
		if (!(st->store = store_attach(st->db, &serr))) {
			snprintf(err, errlen, "%s", serr.message);
			goto out_close;
		}
	}
	return st;
out_msg:
	snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(st->db));
	sqlite3_free(msg);
out_close:
	sqlite3_close(st->db);
	free(st);
	return NULL;
}

struct sync_backend *sync_station_backend(struct sync_station *st)
{
	return &st->base;
}

void sync_station_close(struct sync_station *st)
{
	if (!st)
		return;
	store_close(st->store);
	sqlite3_close(st->db);
	free(st);
}

int sync_station_device_add(struct sync_station *st, const char *device_id, const char *name,
                            enum sync_role role, char token[SYNC_TOKEN_MAX])
{
	char secret[SYNC_SECRET_HEX + 1], hash[SYNC_HASH_MAX];
	int status;
	if (!sync_device_id_valid(device_id) || !name || strlen(name) >= SYNC_ID_MAX ||
	    (unsigned)role >= SYNC_ROLE_COUNT)
		return SYNC_E_MALFORMED;
	if ((status = sync_secret_generate(secret)) != 0)
		return SYNC_E_INTERNAL;
	if ((status = sync_secret_hash(secret, hash)))
		goto out_wipe;
	sqlite3_stmt *s =
	    preparef(st, "INSERT INTO {devices} (id, name, role, credential_hash, added_at) "
	                 "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!s) {
		status = SYNC_E_INTERNAL;
		goto out_wipe;
	}
	sqlite3_bind_text(s, 1, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, sync_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, station_now(st));
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		status = SYNC_E_FORBIDDEN;
	else
		status = sql_status(rc);
	if (!status)
		status = sync_token_format(device_id, secret, token);
out_wipe:
	memset(secret, 0, sizeof(secret));
	return status;
}

int sync_station_device_revoke(struct sync_station *st, const char *device_id)
{
	sqlite3_stmt *s = preparef(st, "UPDATE {devices} SET revoked_at = ?2 WHERE id = ?1 AND "
	                               "revoked_at IS NULL");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, station_now(st));
	int status = sql_status(sqlite3_step(s));
	sqlite3_finalize(s);
	if (!status && sqlite3_changes(st->db) == 0)
		status = SYNC_E_NOT_FOUND;
	return status;
}

int sync_station_room_add(struct sync_station *st, const char *number, int capacity)
{
	if (!sync_room_valid(number) || capacity < 1 || capacity > 16)
		return SYNC_E_MALFORMED;
	sqlite3_stmt *s =
	    preparef(st, "INSERT INTO {rooms} (number, floor, capacity) VALUES (?1, 0, "
	                 "?2)");
	if (!s)
		return SYNC_E_INTERNAL;
	sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, capacity);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	int status = (rc & 0xff) == SQLITE_CONSTRAINT ? SYNC_E_FORBIDDEN : sql_status(rc);
	return status ? status : sync_station_mirror(st, NULL);
}

int sync_station_publish(struct sync_station *st, const char *kind, const char *key,
                         const char *body)
{
	if (!sync_kind_valid(kind) || !key || !*key || strlen(key) >= SYNC_KEY_MAX || !body)
		return SYNC_E_MALFORMED;
	json_t *b = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	char *compact = json_is_object(b) ? json_dumps(b, JSON_COMPACT) : NULL;
	json_decref(b);
	if (!compact || strlen(compact) > SYNC_BODY_MAX) {
		free(compact);
		return SYNC_E_MALFORMED;
	}
	int status = change_add(st, kind, key, compact, station_now(st));
	free(compact);
	return status;
}

static int query_int64(struct sync_station *st, const char *sql, const char *arg, int64_t *out)
{
	sqlite3_stmt *s = prepare(st, sql);
	if (!s)
		return SYNC_E_INTERNAL;
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sql_status(rc);
}

int sync_station_counts(struct sync_station *st, struct sync_station_counts *out)
{
	int status;
	memset(out, 0, sizeof(*out));
	if ((status = query_int64(st, "SELECT count(*) FROM sync_records", NULL, &out->records)) ||
	    (status = query_int64(st, "SELECT count(*) FROM sync_records WHERE status = 'conflict'",
	                          NULL, &out->conflicts)) ||
	    (status = query_int64(st, "SELECT count(DISTINCT device_id) FROM sync_records", NULL,
	                          &out->devices)) ||
	    (status = query_int64(st, "SELECT count(*) FROM sync_changes", NULL, &out->changes)) ||
	    (status = query_int64(st, "SELECT count(*) FROM sync_leases", NULL, &out->leases)))
		return status;
	return 0;
}

int sync_station_device_held(struct sync_station *st, const char *device_id, int64_t *records,
                             int64_t *held_through)
{
	int status = query_int64(st, "SELECT count(*) FROM sync_records WHERE device_id = ?1",
	                         device_id, records);
	if (!status)
		status = query_int64(st, "SELECT held_through FROM sync_held WHERE device_id = ?1",
		                     device_id, held_through);
	return status;
}

bool sync_station_integrity_ok(struct sync_station *st)
{
	sqlite3_stmt *s = prepare(st, "PRAGMA integrity_check");
	bool ok = false;
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		ok = r && strcmp(r, "ok") == 0;
	}
	sqlite3_finalize(s);
	return ok;
}
