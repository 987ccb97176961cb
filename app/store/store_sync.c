/* app/store/store_sync.c: a device's side of station sync in its own store (schema v6):
 * the station's changes applied into the store's tables with the pull cursor in one
 * transaction, and the rooms the station leased to this device. */
#include "app/store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failure that is not the change's fault: the whole pull is refused and tried again. */
static bool systemic(int status)
{
	return status == STORE_E_BUSY || status == STORE_E_NOMEM || status == STORE_E_IO ||
	       status == STORE_E_CORRUPT;
}

/* Run s (bound by the caller) to its end and finalize it. */
static int run(struct store *st, sqlite3_stmt *s)
{
	if (!s)
		return STORE_E_SQL;
	int rc = sqlite3_step(s);
	int status = rc == SQLITE_DONE || rc == SQLITE_ROW
	                 ? 0
	                 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

/* A statement taking (?1 key, ?2 body, ?3 seq, ?4 now); it may use only some of them. */
static int run_change(struct store *st, const char *sql, const struct store_change *c, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, c->key, false);
	store_bind_text(s, 2, c->body, false);
	sqlite3_bind_int64(s, 3, c->seq);
	sqlite3_bind_int64(s, 4, now);
	return run(st, s);
}

/* The station's view of a room; a room people live in here is not set free by it (the
 * station may not have our check-in yet). */
static const char sql_room[] =
    "INSERT INTO rooms (number, floor, capacity, state) VALUES (?1, json_extract(?2, "
    "'$.floor'), json_extract(?2, '$.capacity'), json_extract(?2, '$.state')) ON CONFLICT "
    "(number) DO UPDATE SET floor = excluded.floor, capacity = excluded.capacity, state = "
    "CASE WHEN excluded.state = 'free' AND EXISTS (SELECT 1 FROM occupancy o WHERE o.room = "
    "rooms.number AND o.until IS NULL) THEN rooms.state ELSE excluded.state END";

static const char sql_arrival[] =
    "INSERT INTO arrivals (id, batch, name, doc_type, doc_number, nationality, phone, "
    "category, onsite_days, home_days, group_id, elderly, child, pregnant, dietary, notes, "
    "expected_day, subject_id) SELECT CAST(?1 AS INTEGER), json_extract(?2, '$.batch'), "
    "json_extract(?2, '$.name'), json_extract(?2, '$.doc_type'), json_extract(?2, "
    "'$.doc_number'), json_extract(?2, '$.nationality'), json_extract(?2, '$.phone'), "
    "json_extract(?2, '$.category'), json_extract(?2, '$.onsite_days'), json_extract(?2, "
    "'$.home_days'), json_extract(?2, '$.group_id'), json_extract(?2, '$.elderly'), "
    "json_extract(?2, '$.child'), json_extract(?2, '$.pregnant'), json_extract(?2, "
    "'$.dietary'), json_extract(?2, '$.notes'), json_extract(?2, '$.expected_day'), "
    "json_extract(?2, '$.subject_id') WHERE true ON CONFLICT (id) DO UPDATE SET batch = "
    "excluded.batch, name = excluded.name, doc_type = excluded.doc_type, doc_number = "
    "excluded.doc_number, nationality = excluded.nationality, phone = excluded.phone, "
    "category = excluded.category, onsite_days = excluded.onsite_days, home_days = "
    "excluded.home_days, group_id = excluded.group_id, elderly = excluded.elderly, child = "
    "excluded.child, pregnant = excluded.pregnant, dietary = excluded.dietary, notes = "
    "excluded.notes, expected_day = excluded.expected_day, subject_id = excluded.subject_id";

/* The station's doctors' colour: a risk change of device "station" numbered by the change. */
static const char sql_risk[] =
    "INSERT INTO risk_changes (device_id, device_seq, arrival_id, at, risk, set_by, why) "
    "VALUES ('station', ?3, CAST(?1 AS INTEGER), json_extract(?2, '$.at'), json_extract(?2, "
    "'$.risk'), json_extract(?2, '$.set_by'), json_extract(?2, '$.why')) ON CONFLICT "
    "(device_id, device_seq) DO NOTHING";

static const char sql_band[] =
    "UPDATE wristbands SET state = json_extract(?2, '$.state'), reason = json_extract(?2, "
    "'$.reason') WHERE serial = ?1 AND state = 'active' AND json_extract(?2, '$.state') IN "
    "('void', 'replaced')";

static const char sql_issuer_key[] =
    "INSERT INTO issuer_keys (kid, issuer, alg, public_key, demo, added_at, revoked_at) "
    "VALUES (?1, json_extract(?2, '$.issuer'), json_extract(?2, '$.alg'), json_extract(?2, "
    "'$.public_key'), json_extract(?2, '$.demo'), ?4, json_extract(?2, '$.revoked_at')) ON "
    "CONFLICT (kid) DO UPDATE SET issuer = excluded.issuer, alg = excluded.alg, public_key = "
    "excluded.public_key, demo = excluded.demo, revoked_at = excluded.revoked_at";

static const char sql_revocation[] =
    "INSERT INTO revocations (issuer, credential_id, revoked_at, reason) VALUES "
    "(substr(?1, 1, instr(?1, '/') - 1), substr(?1, instr(?1, '/') + 1), json_extract(?2, "
    "'$.revoked_at'), json_extract(?2, '$.reason')) ON CONFLICT (issuer, credential_id) DO "
    "UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason";

static const char sql_briefing[] =
    "INSERT INTO briefings (lang, version, hash, text, added_at) VALUES (?1, json_extract(?2, "
    "'$.version'), json_extract(?2, '$.hash'), json_extract(?2, '$.text'), ?4) ON CONFLICT "
    "(lang, version) DO UPDATE SET hash = excluded.hash, text = excluded.text";

static const char sql_badge[] =
    "INSERT INTO badges (badge_id, role, pin_hash, added_at, revoked_at) VALUES (?1, "
    "json_extract(?2, '$.role'), json_extract(?2, '$.pin_hash'), ?4, json_extract(?2, "
    "'$.revoked_at')) ON CONFLICT (badge_id) DO UPDATE SET role = excluded.role, pin_hash = "
    "excluded.pin_hash, revoked_at = excluded.revoked_at";

static const struct {
	const char *kind;
	const char *sql;
} by_kind[] = {
    {"room", sql_room},           {"arrival", sql_arrival},       {"risk", sql_risk},
    {"wristband_void", sql_band}, {"issuer_key", sql_issuer_key}, {"revocation", sql_revocation},
    {"briefing", sql_briefing},   {"badge", sql_badge},
};

/* "DEVICE/SEQ": a record another device pushed, as the station published it. */
static bool record_key(const char *key, char dev[STORE_ID_MAX], int64_t *seq)
{
	const char *slash = strrchr(key, '/');
	char *end = NULL;
	if (!slash || slash == key || (size_t)(slash - key) >= STORE_ID_MAX || !slash[1])
		return false;
	long long v = strtoll(slash + 1, &end, 10);
	if (*end || v <= 0)
		return false;
	memcpy(dev, key, (size_t)(slash - key));
	dev[slash - key] = '\0';
	*seq = v;
	return true;
}

static bool is_record_kind(const char *kind)
{
	return strcmp(kind, "checkin") == 0 || strcmp(kind, "risk_change") == 0 ||
	       strcmp(kind, "wristband_void") == 0;
}

static int pulled_mark(struct store *st, const struct store_change *c);

/* The pulled (kind, key) kept but not applied, for a change that could apply now: *body
 * malloc'd, NULL when there is none. */
static int pulled_pending(struct store *st, const char *kind, const char *key, char **body)
{
	*body = NULL;
	sqlite3_stmt *s = store_prepare(st, "SELECT body FROM pulled WHERE kind = ?1 AND key = ?2 "
	                                    "AND applied = 0");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, kind, false);
	store_bind_text(s, 2, key, false);
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 0);
		if (!(*body = strdup(text ? text : "")))
			status = store_failf(st, STORE_E_NOMEM, "out of memory");
	} else if (rc != SQLITE_DONE) {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

/* A check-in (device dev, seq; change c) just applied here whose end, or the void of its
 * band, was pulled earlier and kept because the check-in was not here then (its pull came
 * later, or it did not apply at first): applied now, in the caller's savepoint, so the
 * person is not left counted in the room. */
static int pending_replay(struct store *st, const char *dev, int64_t seq,
                          const struct store_change *c, int64_t now)
{
	char *body = NULL, serial[STORE_SERIAL_MAX] = "";
	bool applied = false;
	int status = pulled_pending(st, "checkin_end", c->key, &body);
	if (!status && body) {
		status = store_checkin_end_apply(st, dev, seq, body, now, &applied);
		struct store_change e = {c->seq, "checkin_end", c->key, body};
		if (!status && applied)
			status = pulled_mark(st, &e);
		if (status == STORE_E_INVALID) { /* it names someone else: stays kept, unapplied */
			fprintf(stderr, "store: kept end of check-in %s not applied: %s\n", c->key,
			        store_errmsg(st));
			status = 0;
		}
	}
	free(body);
	body = NULL;
	if (status)
		return status;
	sqlite3_stmt *s = store_prepare(st, "SELECT serial FROM wristbands WHERE device_id = ?1 "
	                                    "AND device_seq = ?2");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, dev, false);
	sqlite3_bind_int64(s, 2, seq);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		status = store_column_text(s, 0, serial, sizeof(serial));
	else if (rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	if (status || !*serial || (status = pulled_pending(st, "wristband_void", serial, &body)) ||
	    !body)
		return status;
	struct store_change v = {c->seq, "wristband_void", serial, body};
	status = run_change(st, sql_band, &v, now);
	if (!status && sqlite3_changes(st->db) > 0)
		status = pulled_mark(st, &v);
	free(body);
	return status;
}

/* Apply one change into the tables, in the caller's savepoint. *applied tells whether it
 * was written (false: kept in `pulled` only). Returns a store status. */
static int change_apply(struct store *st, const struct store_identity *me,
                        const struct store_change *c, int64_t now, bool *applied)
{
	char dev[STORE_ID_MAX];
	int64_t seq;
	*applied = false;
	if (is_record_kind(c->kind) && record_key(c->key, dev, &seq)) {
		struct store_applied out;
		unsigned flags = 0;
		if (strcmp(dev, me->device_id) == 0) {
			/* our own record coming back; one this store does not hold was made before
			 * the store was recreated (moved aside as corrupt): rebuild it here */
			sqlite3_stmt *s =
			    store_prepare(st, "SELECT 1 FROM outbox WHERE device_id = ?1 "
			                      "AND device_seq = ?2");
			if (!s)
				return STORE_E_SQL;
			store_bind_text(s, 1, dev, false);
			sqlite3_bind_int64(s, 2, seq);
			int rc = sqlite3_step(s);
			sqlite3_finalize(s);
			if (rc == SQLITE_ROW)
				return 0;
			if (rc != SQLITE_DONE)
				return store_fail(st, rc);
			flags = STORE_APPLY_OWN_PAST;
		}
		/* the station accepted a check-in of someone waiting here without a room: the
		 * front desk gave the room; if it does not apply here, the savepoint keeps the
		 * waiting row */
		bool checkin = strcmp(c->kind, "checkin") == 0;
		int status = checkin ? run_change(st,
		                                  "DELETE FROM checkins_waiting WHERE arrival_id = "
		                                  "json_extract(?2, '$.arrival_id')",
		                                  c, now)
		                     : 0;
		if (status ||
		    (status = store_apply_record(st, dev, seq, c->kind, c->body, flags, &out)))
			return status;
		*applied = out.outcome == STORE_APPLIED || out.outcome == STORE_APPLY_HAD;
		if (checkin && !*applied)
			return store_failf(st, STORE_E_EXISTS, "check-in %s not applied here: %s",
			                   c->key, out.reason);
		/* an end (and band voids) of it pulled before it could be applied here */
		if (checkin && out.outcome == STORE_APPLIED &&
		    (status = pending_replay(st, dev, seq, c, now)))
			return status;
		/* the station already holds it: a device forwards nothing it pulled (for an own
		 * past record only its own row: marking "through its seq" could reach rows this
		 * store made since) */
		if (!flags)
			return store_outbox_mark_sent(st, dev, seq, now);
		sqlite3_stmt *s =
		    store_prepare(st, "UPDATE outbox SET sent_at = ?3 WHERE device_id = "
		                      "?1 AND device_seq = ?2 AND sent_at IS NULL");
		if (!s)
			return STORE_E_SQL;
		store_bind_text(s, 1, dev, false);
		sqlite3_bind_int64(s, 2, seq);
		sqlite3_bind_int64(s, 3, now);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
	}
	if (strcmp(c->kind, "checkin_end") == 0) {
		/* any device's check-in, this store's own included */
		if (!record_key(c->key, dev, &seq))
			return store_failf(st, STORE_E_INVALID,
			                   "checkin_end key is not DEVICE/SEQ");
		return store_checkin_end_apply(st, dev, seq, c->body, now, applied);
	}
	if (strcmp(c->kind, "arrival") == 0 || strcmp(c->kind, "risk") == 0) {
		char *end = NULL;
		long long id = strtoll(c->key, &end, 10);
		if (!*c->key || *end || id <= 0)
			return store_failf(st, STORE_E_INVALID, "%s key is not an id", c->kind);
	}
	if (strcmp(c->kind, "revocation") == 0 && !strchr(c->key, '/'))
		return store_failf(st, STORE_E_INVALID, "revocation key without issuer");
	for (size_t i = 0; i < sizeof(by_kind) / sizeof(*by_kind); i++) {
		if (strcmp(c->kind, by_kind[i].kind) != 0)
			continue;
		int status = run_change(st, by_kind[i].sql, c, now);
		/* a void of a band this store never held changes nothing here */
		*applied = status == 0 &&
		           (strcmp(c->kind, "wristband_void") != 0 || sqlite3_changes(st->db) > 0);
		return status;
	}
	return 0; /* conflicts and kinds this store has no table for */
}

/* Keep the change in `pulled`; *newer false when the store already held a later one. */
static int pulled_keep(struct store *st, const struct store_change *c, bool *newer)
{
	int64_t seq = 0;
	bool found = false;
	sqlite3_stmt *s = store_prepare(st, "SELECT seq FROM pulled WHERE kind = ?1 AND key = ?2");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, c->kind, false);
	store_bind_text(s, 2, c->key, false);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		found = true;
		seq = sqlite3_column_int64(s, 0);
	}
	int status = rc == SQLITE_ROW || rc == SQLITE_DONE
	                 ? 0
	                 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	if (status)
		return status;
	*newer = !found || seq < c->seq;
	if (!*newer)
		return 0;
	s = store_prepare(st,
	                  "INSERT INTO pulled (kind, key, seq, body, applied) VALUES (?1, ?2, "
	                  "?3, ?4, 0) ON CONFLICT (kind, key) DO UPDATE SET seq = excluded.seq, "
	                  "body = excluded.body, applied = 0");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, c->kind, false);
	store_bind_text(s, 2, c->key, false);
	sqlite3_bind_int64(s, 3, c->seq);
	store_bind_text(s, 4, c->body, false);
	return run(st, s);
}

static int pulled_mark(struct store *st, const struct store_change *c)
{
	sqlite3_stmt *s =
	    store_prepare(st, "UPDATE pulled SET applied = 1 WHERE kind = ?1 AND key = ?2");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, c->kind, false);
	store_bind_text(s, 2, c->key, false);
	return run(st, s);
}

/* One change: kept, then applied in a savepoint of its own, so a change the tables refuse
 * is kept without undoing the others. */
static int change_one(struct store *st, const struct store_identity *me,
                      const struct store_change *c, int64_t now, struct store_pull_result *res)
{
	bool newer, applied;
	if (!c->kind || !c->key || !c->body || !*c->kind || !*c->key)
		return store_failf(st, STORE_E_INVALID, "change without kind or key");
	int status = pulled_keep(st, c, &newer);
	if (status)
		return status;
	if (!newer) {
		res->outdated++;
		return 0;
	}
	if ((status = store_begin(st)))
		return status;
	status = change_apply(st, me, c, now, &applied);
	if (status) {
		store_rollback(st);
		if (systemic(status))
			return status;
		fprintf(stderr, "store: pulled %s change %lld kept, not applied: %s\n", c->kind,
		        (long long)c->seq, store_status_name(status));
		res->kept++;
		return 0;
	}
	if ((status = store_commit(st))) {
		store_rollback(st);
		return status;
	}
	if (!applied) {
		res->kept++;
		return 0;
	}
	res->applied++;
	return pulled_mark(st, c);
}

int store_pull_apply(struct store *st, const struct store_change *c, size_t n, int64_t cursor,
                     int64_t pulled_at, struct store_pull_result *res)
{
	struct store_pull_result scratch;
	struct store_identity me;
	if (!res)
		res = &scratch;
	memset(res, 0, sizeof(*res));
	if (cursor < 0 || (n && !c))
		return store_failf(st, STORE_E_INVALID, "pull cursor or changes out of range");
	int status = store_identity_get(st, &me);
	if (status)
		return status;
	if ((status = store_begin(st)))
		return status;
	for (size_t i = 0; i < n; i++) {
		if ((status = change_one(st, &me, &c[i], pulled_at, res)) && systemic(status))
			goto out_rollback;
		if (status) { /* a change without kind or key: kept nowhere */
			res->kept++;
			status = 0;
		}
	}
	sqlite3_stmt *s = store_prepare(st, "UPDATE pull_state SET cursor = max(cursor, ?1), "
	                                    "pulled_at = ?2 WHERE id = 1");
	if (!s) {
		status = STORE_E_SQL;
		goto out_rollback;
	}
	sqlite3_bind_int64(s, 1, cursor);
	sqlite3_bind_int64(s, 2, pulled_at);
	if ((status = run(st, s)) || (status = store_commit(st)))
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	memset(res, 0, sizeof(*res));
	return status;
}

int store_pull_state(struct store *st, int64_t *cursor, int64_t *pulled_at)
{
	sqlite3_stmt *s =
	    store_prepare(st, "SELECT cursor, pulled_at FROM pull_state WHERE id = 1");
	if (!s)
		return STORE_E_SQL;
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW) {
		if (cursor)
			*cursor = sqlite3_column_int64(s, 0);
		if (pulled_at)
			*pulled_at = sqlite3_column_int64(s, 1);
	} else {
		status = rc == SQLITE_DONE ? store_failf(st, STORE_E_NOT_FOUND, "no pull state")
		                           : store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_pulled_get(struct store *st, const char *kind, const char *key, char **body)
{
	*body = NULL;
	sqlite3_stmt *s = store_prepare(st, "SELECT body FROM pulled WHERE kind = ?1 AND key = ?2");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, kind ? kind : "", false);
	store_bind_text(s, 2, key ? key : "", false);
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 0);
		if (!(*body = strdup(text ? text : "")))
			status = store_failf(st, STORE_E_NOMEM, "out of memory");
	} else {
		status = rc == SQLITE_DONE ? store_failf(st, STORE_E_NOT_FOUND, "not pulled")
		                           : store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_leases_set(struct store *st, const struct store_lease *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!*l[i].room || !store_fits(l[i].room, STORE_ROOM_MAX) || l[i].capacity < 0)
			return store_failf(st, STORE_E_INVALID, "lease %zu out of range", i);
	int status = store_begin(st);
	if (status)
		return status;
	if ((status = run(st, store_prepare(st, "DELETE FROM room_leases"))))
		goto out_rollback;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s =
		    store_prepare(st, "INSERT INTO room_leases (room, capacity, "
		                      "expires_at) VALUES (?1, ?2, ?3) ON CONFLICT "
		                      "(room) DO UPDATE SET capacity = excluded.capacity, "
		                      "expires_at = excluded.expires_at");
		if (!s) {
			status = STORE_E_SQL;
			goto out_rollback;
		}
		store_bind_text(s, 1, l[i].room, false);
		sqlite3_bind_int(s, 2, l[i].capacity);
		sqlite3_bind_int64(s, 3, l[i].expires_at);
		if ((status = run(st, s)))
			goto out_rollback;
	}
	if ((status = store_commit(st)))
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	return status;
}

static int lease_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	struct store_lease *l = elem;
	(void)st, (void)ctx;
	l->capacity = sqlite3_column_int(s, 1);
	l->expires_at = sqlite3_column_int64(s, 2);
	l->give_back = sqlite3_column_int(s, 3) != 0;
	return store_column_text(s, 0, l->room, sizeof(l->room));
}

int store_leases_list(struct store *st, struct store_lease **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT room, capacity, expires_at, give_back FROM "
	                                    "room_leases ORDER BY room");
	return store_read_list(st, s, sizeof(**out), lease_row, NULL, NULL, (void **)out, n);
}

int store_leases_returning(struct store *st, char (*rooms)[STORE_ROOM_MAX], size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *s = store_prepare(
	    st, "SELECT room FROM room_leases l WHERE give_back = 1 OR (EXISTS (SELECT 1 FROM "
	        "occupancy o WHERE o.room = l.room AND o.until IS NULL) AND NOT EXISTS (SELECT 1 "
	        "FROM outbox b, meta m WHERE b.sent_at IS NULL AND b.kind = 'checkin' AND "
	        "b.device_id = m.device_id)) ORDER BY room");
	if (!s)
		return STORE_E_SQL;
	int rc = SQLITE_DONE, status = 0;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((status = store_column_text(s, 0, rooms[*n], STORE_ROOM_MAX)) == 0)
			(*n)++;
	if (!status && *n < max && rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_lease_give_back(struct store *st, const char *room)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE room_leases SET give_back = 1 WHERE room = ?1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, room ? room : "", false);
	int status = run(st, s);
	if (!status && sqlite3_changes(st->db) == 0)
		status = store_failf(st, STORE_E_NOT_FOUND, "room %s is not leased here",
		                     room ? room : "");
	return status;
}

int store_leases_free_places(struct store *st, int64_t now, int *places)
{
	*places = 0;
	sqlite3_stmt *s = store_prepare(
	    st, "SELECT coalesce(sum(r.capacity), 0) FROM room_leases l JOIN rooms r ON r.number "
	        "= l.room WHERE l.expires_at > ?1 AND l.give_back = 0 AND r.state = 'free' AND NOT "
	        "EXISTS (SELECT 1 FROM occupancy o WHERE o.room = l.room AND o.until IS NULL)");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, now);
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW)
		*places = sqlite3_column_int(s, 0);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}
