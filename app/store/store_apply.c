/* app/store/store_apply.c: records pushed by other devices applied into the store's own
 * tables inside stationd's push transaction, exactly once; conflicts kept for staff; the
 * briefing texts the station publishes. */
#include "app/store/store_internal.h"

#include <jansson.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec_bound(struct store *st, sqlite3_stmt *s);

static void applied_set(struct store_applied *out, enum store_apply_outcome outcome,
                        const char *reason, const char *winner)
{
	out->outcome = outcome;
	snprintf(out->reason, sizeof(out->reason), "%s", reason ? reason : "");
	snprintf(out->winner, sizeof(out->winner), "%s", winner ? winner : "");
}

/* A record the store cannot hold in its tables: the caller keeps it. Failures that are not
 * about the record (SQL, busy, memory, I/O) are returned so the push is refused. */
static int held_or_fail(int status, struct store_applied *out)
{
	switch (status) {
	case STORE_E_SQL:
	case STORE_E_BUSY:
	case STORE_E_NOMEM:
	case STORE_E_IO:
	case STORE_E_CORRUPT:
		return status;
	default:
		applied_set(out, STORE_APPLY_HELD, store_status_name(status), NULL);
		return 0;
	}
}

static bool text_of(json_t *root, const char *name, char *dst, size_t size)
{
	json_t *v = json_object_get(root, name);
	if (!json_is_string(v) || json_string_length(v) >= size)
		return false;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return true;
}

static bool int_of(json_t *root, const char *name, int64_t *out)
{
	json_t *v = json_object_get(root, name);
	if (!json_is_integer(v))
		return false;
	*out = json_integer_value(v);
	return true;
}

static bool reason_of(json_t *root, const char *name, enum reason *out)
{
	char code[48];
	if (!text_of(root, name, code, sizeof(code)))
		return false;
	for (int r = 0; r < REASON_COUNT; r++) {
		if (strcmp(reason_code((enum reason)r), code) == 0) {
			*out = (enum reason)r;
			return true;
		}
	}
	return false;
}

static int32_t ms_of(json_t *timings, const char *name)
{
	json_t *v = json_object_get(timings, name);
	return json_is_integer(v) && json_integer_value(v) >= 0 &&
	               json_integer_value(v) <= INT32_MAX
	           ? (int32_t)json_integer_value(v)
	           : -1;
}

/* The check-in body as written by store_checkin_commit's outbox row. */
static bool checkin_from_body(json_t *b, struct checkin_record *c)
{
	char risk[16], day[16];
	json_t *t = json_object_get(b, "timings");
	bool ok =
	    int_of(b, "arrival_id", &c->arrival_id) && int_of(b, "at", &c->at) &&
	    text_of(b, "code_result", c->code_result, sizeof(c->code_result)) &&
	    reason_of(b, "code_reason", &c->code_reason) &&
	    text_of(b, "briefing_hash", c->briefing_hash, sizeof(c->briefing_hash)) &&
	    text_of(b, "briefing_lang", c->briefing_lang, sizeof(c->briefing_lang)) &&
	    text_of(b, "room", c->room, sizeof(c->room)) &&
	    text_of(b, "risk", risk, sizeof(risk)) && risk_parse(risk, &c->risk) &&
	    text_of(b, "risk_set_by", c->risk_set_by, sizeof(c->risk_set_by)) &&
	    text_of(b, "planned_release", day, sizeof(day)) &&
	    day_parse(day, &c->planned_release) &&
	    text_of(b, "wristband_serial", c->wristband_serial, sizeof(c->wristband_serial)) &&
	    text_of(b, "wristband_token", c->wristband_token, sizeof(c->wristband_token));
	c->timings.verify_ms = ms_of(t, "verify_ms");
	c->timings.confirm_ms = ms_of(t, "confirm_ms");
	c->timings.briefing_ms = ms_of(t, "briefing_ms");
	c->timings.total_ms = ms_of(t, "total_ms");
	return ok;
}

/* One text column of a one-row query with a text or integer parameter; "" when no row. */
static int query_text(struct store *st, const char *sql, const char *text, int64_t id, char *dst,
                      size_t size)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	if (text)
		store_bind_text(s, 1, text, false);
	else
		sqlite3_bind_int64(s, 1, id);
	dst[0] = '\0';
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW)
		status = store_column_text(s, 0, dst, size);
	else if (rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

static int apply_checkin(struct store *st, const char *device_id, int64_t seq, json_t *b,
                         struct store_applied *out)
{
	struct checkin_record c;
	struct checkin_result res;
	char found[STORE_ROOM_MAX + 8];
	memset(&c, 0, sizeof(c));
	if (!checkin_from_body(b, &c))
		return held_or_fail(STORE_E_INVALID, out);
	if (!*c.room) /* out of leases: the front desk assigns the room */
		return held_or_fail(STORE_E_NOT_FOUND, out);
	snprintf(c.device_id, sizeof(c.device_id), "%s", device_id);
	c.device_seq = seq;
	int status = store_checkin_commit(st, &c, &res);
	if (status == 0) {
		applied_set(out, res.already_had ? STORE_APPLY_HAD : STORE_APPLIED, NULL, NULL);
		return 0;
	}
	if (status == STORE_E_ALREADY_CHECKED_IN) {
		char winner[sizeof(out->winner)];
		int q = query_text(st,
		                   "SELECT device_id || '/' || device_seq FROM checkins WHERE "
		                   "arrival_id = ?1 AND state = 'active'",
		                   NULL, c.arrival_id, winner, sizeof(winner));
		if (q)
			return q;
		applied_set(out, STORE_APPLY_CONFLICT, "E_ALREADY_CHECKED_IN", winner);
		return 0;
	}
	if (status == STORE_E_NOT_FOUND) {
		/* an unknown room is a conflict; an arrival the station does not know is held */
		int q = query_text(st, "SELECT number FROM rooms WHERE number = ?1", c.room, 0,
		                   found, sizeof(found));
		if (q)
			return q;
		if (*found)
			return held_or_fail(status, out);
	}
	if (status == STORE_E_NOT_FOUND || status == STORE_E_ROOM_FULL ||
	    status == STORE_E_ROOM_UNAVAILABLE) {
		applied_set(out, STORE_APPLY_CONFLICT, "E_NO_ROOM", NULL);
		return 0;
	}
	return held_or_fail(status, out);
}

static int apply_scan(struct store *st, const char *device_id, int64_t seq, json_t *b,
                      struct store_applied *out)
{
	struct scan_record sc;
	struct store_written w;
	memset(&sc, 0, sizeof(sc));
	snprintf(sc.device_id, sizeof(sc.device_id), "%s", device_id);
	sc.device_seq = seq;
	if (!int_of(b, "at", &sc.at) ||
	    !text_of(b, "checkpoint", sc.checkpoint, sizeof(sc.checkpoint)) ||
	    !text_of(b, "serial", sc.serial, sizeof(sc.serial)) ||
	    !reason_of(b, "result", &sc.result))
		return held_or_fail(STORE_E_INVALID, out);
	if (json_object_get(b, "colour") && !text_of(b, "colour", sc.colour, sizeof(sc.colour)))
		return held_or_fail(STORE_E_INVALID, out);
	int status = store_scan_add(st, &sc, &w);
	if (status)
		return held_or_fail(status, out);
	applied_set(out, w.already_had ? STORE_APPLY_HAD : STORE_APPLIED, NULL, NULL);
	return 0;
}

/* What a front desk's audit record did to a resident (store_checkin_release, _transfer,
 * _set_release write these), done to the station's copy too. A person the station does
 * not hold as checked in is left alone: the audit row keeps the record. */
static int audit_effect(struct store *st, const struct audit_record *a)
{
	char *end = NULL;
	hk_day day;
	char text[11];
	if (strncmp(a->target, "arrival:", 8) != 0)
		return 0;
	long long arrival = strtoll(a->target + 8, &end, 10);
	if (!end || *end || arrival < 1)
		return 0;
	int status = 0;
	if (strcmp(a->action, "release") == 0 || strcmp(a->action, "transfer") == 0) {
		status = store_checkin_end_rows(
		    st, arrival, a->at, *a->action == 'r' ? "released" : "transferred", NULL);
	} else if (strcmp(a->action, "set_release") == 0 && day_parse(a->detail, &day)) {
		sqlite3_stmt *s =
		    store_prepare(st, "UPDATE checkins SET planned_release = ?2 WHERE "
		                      "arrival_id = ?1 AND state = 'active'");
		if (s) {
			sqlite3_bind_int64(s, 1, arrival);
			store_bind_text(s, 2, day_format(day, text), false);
		}
		status = exec_bound(st, s);
	}
	return status == STORE_E_NOT_FOUND ? 0 : status;
}

static int apply_audit(struct store *st, const char *device_id, int64_t seq, json_t *b,
                       unsigned flags, struct store_applied *out)
{
	struct audit_record a;
	struct store_written w;
	memset(&a, 0, sizeof(a));
	snprintf(a.device_id, sizeof(a.device_id), "%s", device_id);
	a.device_seq = seq;
	if (!int_of(b, "at", &a.at) || !text_of(b, "actor", a.actor, sizeof(a.actor)) ||
	    !text_of(b, "action", a.action, sizeof(a.action)) ||
	    !text_of(b, "target", a.target, sizeof(a.target)) ||
	    !text_of(b, "detail", a.detail, sizeof(a.detail)))
		return held_or_fail(STORE_E_INVALID, out);
	int status = store_audit_add(st, &a, &w);
	if (status)
		return held_or_fail(status, out);
	applied_set(out, w.already_had ? STORE_APPLY_HAD : STORE_APPLIED, NULL, NULL);
	if (w.already_had || !(flags & STORE_APPLY_DESK))
		return 0;
	return audit_effect(st, &a);
}

static int apply_risk(struct store *st, const char *device_id, int64_t seq, json_t *b,
                      struct store_applied *out)
{
	struct risk_change rc;
	struct store_written w;
	char risk[16];
	memset(&rc, 0, sizeof(rc));
	snprintf(rc.device_id, sizeof(rc.device_id), "%s", device_id);
	rc.device_seq = seq;
	if (!int_of(b, "arrival_id", &rc.arrival_id) || !int_of(b, "at", &rc.at) ||
	    !text_of(b, "risk", risk, sizeof(risk)) || !risk_parse(risk, &rc.risk) ||
	    !text_of(b, "set_by", rc.set_by, sizeof(rc.set_by)) ||
	    !text_of(b, "why", rc.why, sizeof(rc.why)))
		return held_or_fail(STORE_E_INVALID, out);
	int status = store_risk_change_add(st, &rc, &w);
	if (status)
		return held_or_fail(status, out);
	applied_set(out, w.already_had ? STORE_APPLY_HAD : STORE_APPLIED, NULL, NULL);
	return 0;
}

static int exec_bound(struct store *st, sqlite3_stmt *s)
{
	if (!s)
		return STORE_E_SQL;
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

/* A reprint (store_wristband_replace's outbox row): the old band becomes replaced, the new
 * band is written active under the record's (device, seq). */
static int apply_wristband_void(struct store *st, const char *device_id, int64_t seq, json_t *b,
                                unsigned flags, struct store_applied *out)
{
	char serial[STORE_SERIAL_MAX], by[STORE_SERIAL_MAX] = "", token[STORE_TOKEN_MAX] = "";
	char reason[STORE_TEXT_MAX], have[STORE_ID_MAX], issuer[STORE_ID_MAX];
	char state[16];
	int64_t at;
	if (!text_of(b, "serial", serial, sizeof(serial)) || !*serial ||
	    !text_of(b, "reason", reason, sizeof(reason)) || !int_of(b, "at", &at) ||
	    (json_object_get(b, "replaced_by") &&
	     (!text_of(b, "replaced_by", by, sizeof(by)) ||
	      !text_of(b, "token", token, sizeof(token)) || (*by && !*token))))
		return held_or_fail(STORE_E_INVALID, out);
	sqlite3_stmt *s = store_prepare(st, "SELECT serial FROM wristbands WHERE device_id = ?1 "
	                                    "AND device_seq = ?2");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, device_id, false);
	sqlite3_bind_int64(s, 2, seq);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW) {
		applied_set(out, STORE_APPLY_HAD, NULL, NULL);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	int status = query_text(st, "SELECT device_id FROM wristbands WHERE serial = ?1", serial, 0,
	                        issuer, sizeof(issuer));
	if (!status)
		status = query_text(st, "SELECT state FROM wristbands WHERE serial = ?1", serial, 0,
		                    state, sizeof(state));
	if (status)
		return status;
	if (!*state)
		return held_or_fail(STORE_E_NOT_FOUND, out);
	if ((flags & STORE_APPLY_OWN_BANDS_ONLY) && strcmp(issuer, device_id) != 0) {
		applied_set(out, STORE_APPLY_CONFLICT, "E_NOT_ISSUER", NULL);
		return 0;
	}
	if (strcmp(state, "active") != 0)
		return held_or_fail(STORE_E_NOT_FOUND, out);
	if (*by) {
		status = query_text(st, "SELECT serial FROM wristbands WHERE serial = ?1", by, 0,
		                    have, sizeof(have));
		if (status)
			return status;
		if (*have)
			return held_or_fail(STORE_E_EXISTS, out);
	}
	if ((status = store_begin(st)))
		return status;
	s = store_prepare(st, "UPDATE wristbands SET state = ?3, reason = ?2 WHERE serial = ?1 "
	                      "AND state = 'active'");
	if (s) {
		store_bind_text(s, 1, serial, false);
		store_bind_text(s, 2, reason, false);
		store_bind_text(s, 3, *by ? "replaced" : "void", false);
	}
	if ((status = exec_bound(st, s)))
		goto out_rollback;
	if (*by) {
		s = store_prepare(st,
		                  "INSERT INTO wristbands (serial, device_id, device_seq, "
		                  "arrival_id, room, issued_at, state, token) SELECT ?1, ?2, ?3, "
		                  "arrival_id, room, ?4, 'active', ?5 FROM wristbands WHERE "
		                  "serial = ?6");
		if (s) {
			store_bind_text(s, 1, by, false);
			store_bind_text(s, 2, device_id, false);
			sqlite3_bind_int64(s, 3, seq);
			sqlite3_bind_int64(s, 4, at);
			store_bind_text(s, 5, token, false);
			store_bind_text(s, 6, serial, false);
		}
		if ((status = exec_bound(st, s)))
			goto out_rollback;
	}
	if ((status = store_commit(st)))
		goto out_rollback;
	applied_set(out, STORE_APPLIED, NULL, NULL);
	return 0;
out_rollback:
	store_rollback(st);
	return held_or_fail(status, out);
}

int store_apply_record(struct store *st, const char *device_id, int64_t seq, const char *kind,
                       const char *body, unsigned flags, struct store_applied *out)
{
	int status;
	memset(out, 0, sizeof(*out));
	if (!device_id || !*device_id || !store_fits(device_id, STORE_ID_MAX) || seq < 1 || !kind ||
	    !body)
		return store_failf(st, STORE_E_INVALID,
		                   "pushed record without device, seq or kind");
	struct store_identity id;
	if ((status = store_identity_get(st, &id)))
		return status;
	bool own = *id.device_id && strcmp(id.device_id, device_id) == 0;
	if (own && !(flags & STORE_APPLY_OWN_PAST))
		return store_failf(st, STORE_E_INVALID, "record %s/%lld claims this store's own id",
		                   device_id, (long long)seq);
	json_t *b = json_loads(body, 0, NULL);
	if (!json_is_object(b)) {
		json_decref(b);
		return held_or_fail(STORE_E_INVALID, out);
	}
	st->own_past = own;
	if (strcmp(kind, "checkin") == 0)
		status = apply_checkin(st, device_id, seq, b, out);
	else if (strcmp(kind, "scan") == 0)
		status = apply_scan(st, device_id, seq, b, out);
	else if (strcmp(kind, "audit") == 0)
		status = apply_audit(st, device_id, seq, b, flags, out);
	else if (strcmp(kind, "risk_change") == 0)
		status = apply_risk(st, device_id, seq, b, out);
	else if (strcmp(kind, "wristband_void") == 0)
		status = apply_wristband_void(st, device_id, seq, b, flags, out);
	else
		status = held_or_fail(STORE_E_INVALID, out);
	st->own_past = false;
	json_decref(b);
	if (status == 0 && own && out->outcome == STORE_APPLIED) {
		/* the store's own records from now on come after it */
		sqlite3_stmt *s = store_prepare(st, "UPDATE meta SET next_device_seq = max("
		                                    "next_device_seq, ?1 + 1) WHERE id = 1");
		if (s)
			sqlite3_bind_int64(s, 1, seq);
		status = exec_bound(st, s);
	}
	return status;
}

/* ---- a check-in the station ended (pulled "checkin_end" changes) ---- */

int store_checkin_end_apply(struct store *st, const char *device_id, int64_t seq, const char *body,
                            int64_t now, bool *applied)
{
	char room[STORE_ROOM_MAX], outcome[16], have_room[STORE_ROOM_MAX + 8], state[16];
	int64_t arrival = 0, at = now, id = 0, have_arrival = 0;
	int status;
	*applied = false;
	json_t *b = json_loads(body ? body : "", 0, NULL);
	bool ok = json_is_object(b) && int_of(b, "arrival_id", &arrival) &&
	          text_of(b, "room", room, sizeof(room)) &&
	          text_of(b, "outcome", outcome, sizeof(outcome)) &&
	          (strcmp(outcome, "released") == 0 || strcmp(outcome, "transferred") == 0 ||
	           strcmp(outcome, "void") == 0) &&
	          (json_is_null(json_object_get(b, "at")) || int_of(b, "at", &at));
	json_decref(b);
	if (!ok)
		return store_failf(st, STORE_E_INVALID, "check-in end %s/%lld malformed", device_id,
		                   (long long)seq);
	sqlite3_stmt *s = store_prepare(st, "SELECT id, arrival_id, room, state FROM checkins "
	                                    "WHERE device_id = ?1 AND device_seq = ?2");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, device_id, false);
	sqlite3_bind_int64(s, 2, seq);
	int rc = sqlite3_step(s);
	status = 0;
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		have_arrival = sqlite3_column_int64(s, 1);
		if ((status = store_column_text(s, 2, have_room, sizeof(have_room))) == 0)
			status = store_column_text(s, 3, state, sizeof(state));
	} else if (rc != SQLITE_DONE) {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	if (status || rc == SQLITE_DONE)
		return status; /* not held here (yet): applied when its check-in arrives */
	/* the same (device, seq) naming someone else: a store recreated under the same id
	 * numbered a new check-in like an old one; never end the wrong person's stay */
	if (have_arrival != arrival || strcmp(have_room, room) != 0)
		return store_failf(st, STORE_E_INVALID,
		                   "check-in end %s/%lld names another check-in here", device_id,
		                   (long long)seq);
	*applied = true;
	if (strcmp(state, "active") != 0)
		return 0; /* ended here already (the desk that did it, or a repeat) */
	bool is_void = strcmp(outcome, "void") == 0;
	if ((status = store_begin(st)))
		return status;
	s = store_prepare(st, "UPDATE checkins SET state = ?2, outcome = ?3 WHERE id = ?1");
	if (s) {
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, is_void ? "void" : "released", false);
		if (is_void)
			sqlite3_bind_null(s, 3);
		else
			store_bind_text(s, 3, outcome, false);
	}
	if ((status = exec_bound(st, s)))
		goto out_rollback;
	s = store_prepare(st, "UPDATE occupancy SET until = max(since, ?2) WHERE checkin_id = ?1 "
	                      "AND until IS NULL");
	if (s) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, at);
	}
	if ((status = exec_bound(st, s)))
		goto out_rollback;
	/* an emptied room takes the station's latest word on it (a "free" this store refused
	 * while the person still counted here), else cleaning as at the station */
	s = store_prepare(st, "UPDATE rooms SET state = coalesce((SELECT json_extract(body, "
	                      "'$.state') FROM pulled WHERE kind = 'room' AND key = ?1 AND "
	                      "json_extract(body, '$.state') IN ('free', 'cleaning', 'blocked')), "
	                      "'cleaning') WHERE number = ?1 AND NOT EXISTS (SELECT 1 FROM "
	                      "occupancy WHERE room = ?1 AND until IS NULL)");
	if (s)
		store_bind_text(s, 1, room, false);
	if ((status = exec_bound(st, s)))
		goto out_rollback;
	if ((status = store_commit(st)))
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	*applied = false;
	return status;
}

int store_conflict_add(struct store *st, const char *device_id, int64_t seq, const char *kind,
                       const char *reason, int64_t arrival_id, const char *room, const char *winner,
                       int64_t at, const char *body)
{
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO conflicts (device_id, device_seq, kind, reason, arrival_id, room, "
	        "winner, at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT "
	        "(device_id, device_seq) DO NOTHING");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, device_id, false);
	sqlite3_bind_int64(s, 2, seq);
	store_bind_text(s, 3, kind, false);
	store_bind_text(s, 4, reason, false);
	if (arrival_id > 0)
		sqlite3_bind_int64(s, 5, arrival_id);
	else
		sqlite3_bind_null(s, 5);
	store_bind_text(s, 6, room ? room : "", false);
	store_bind_text(s, 7, winner ? winner : "", false);
	sqlite3_bind_int64(s, 8, at);
	store_bind_text(s, 9, body, false);
	return exec_bound(st, s);
}

static int conflict_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	struct store_conflict *c = elem;
	(void)ctx;
	c->id = sqlite3_column_int64(s, 0);
	c->device_seq = sqlite3_column_int64(s, 2);
	c->arrival_id = sqlite3_column_int64(s, 5);
	c->at = sqlite3_column_int64(s, 8);
	if (store_column_text(s, 1, c->device_id, sizeof(c->device_id)) ||
	    store_column_text(s, 3, c->kind, sizeof(c->kind)) ||
	    store_column_text(s, 4, c->reason, sizeof(c->reason)) ||
	    store_column_text(s, 6, c->room, sizeof(c->room)) ||
	    store_column_text(s, 7, c->winner, sizeof(c->winner)))
		return store_failf(st, STORE_E_INVALID, "conflict row does not fit");
	return 0;
}

int store_conflicts_open(struct store *st, struct store_conflict **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(
	    st, "SELECT id, device_id, device_seq, kind, reason, coalesce(arrival_id, 0), room, "
	        "winner, at FROM conflicts WHERE resolved_at IS NULL ORDER BY at, id");
	return store_read_list(st, s, sizeof(**out), conflict_row, NULL, NULL, (void **)out, n);
}

int store_conflict_resolve(struct store *st, int64_t id, const char *actor, int64_t now)
{
	struct store_written w;
	char target[STORE_ID_MAX];
	if (!actor || !*actor || !store_fits(actor, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "resolving a conflict needs an actor");
	int status = store_begin(st);
	if (status)
		return status;
	sqlite3_stmt *s = store_prepare(st, "UPDATE conflicts SET resolved_at = ?2, resolved_by = "
	                                    "?3 WHERE id = ?1 AND resolved_at IS NULL");
	if (s) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, now);
		store_bind_text(s, 3, actor, false);
	}
	if ((status = exec_bound(st, s)))
		goto out_rollback;
	if (sqlite3_changes(st->db) == 0) {
		status = store_failf(st, STORE_E_NOT_FOUND, "no open conflict %lld", (long long)id);
		goto out_rollback;
	}
	snprintf(target, sizeof(target), "conflict:%lld", (long long)id);
	if ((status = store_audit_append_own(st, actor, "resolve_conflict", target, "", now, &w)))
		goto out_rollback;
	if ((status = store_commit(st)))
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	return status;
}

/* ---- briefing texts ---- */

int store_briefing_add(struct store *st, const char *lang, const char *text, size_t len,
                       int64_t now, struct store_briefing *out)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct store_briefing scratch;
	if (!out)
		out = &scratch;
	memset(out, 0, sizeof(*out));
	if (!lang || !*lang || !store_fits(lang, STORE_LANG_MAX) ||
	    strspn(lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != strlen(lang))
		return store_failf(st, STORE_E_INVALID, "briefing language must be like zh-CN");
	if (!text || len == 0 || len > STORE_BRIEFING_MAX || memchr(text, '\0', len))
		return store_failf(st, STORE_E_INVALID,
		                   "briefing text empty, over %d bytes or binary",
		                   STORE_BRIEFING_MAX);
	json_t *utf8 = json_stringn(text, len); /* NULL unless valid UTF-8 */
	if (!utf8)
		return store_failf(st, STORE_E_INVALID, "briefing text is not UTF-8");
	json_decref(utf8);
	SHA256((const unsigned char *)text, len, md);
	int n = snprintf(out->hash, sizeof(out->hash), "sha256:");
	for (size_t i = 0; i < sizeof(md); i++)
		n += snprintf(out->hash + n, sizeof(out->hash) - (size_t)n, "%02x", md[i]);
	snprintf(out->lang, sizeof(out->lang), "%s", lang);
	int status = store_begin(st);
	if (status)
		return status;
	sqlite3_stmt *s = store_prepare(st, "SELECT version, hash FROM briefings WHERE lang = ?1 "
	                                    "ORDER BY version DESC LIMIT 1");
	if (!s) {
		status = STORE_E_SQL;
		goto out_rollback;
	}
	store_bind_text(s, 1, lang, false);
	int rc = sqlite3_step(s);
	bool same =
	    rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 1), out->hash) == 0;
	out->version = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) + 1 : 1;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		status = store_fail(st, rc);
		goto out_rollback;
	}
	if (same) {
		out->version--;
		status = store_failf(st, STORE_E_EXISTS, "briefing %s version %lld has this text",
		                     lang, (long long)out->version);
		goto out_rollback;
	}
	s = store_prepare(st, "INSERT INTO briefings (lang, version, hash, text, added_at) "
	                      "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (s) {
		store_bind_text(s, 1, lang, false);
		sqlite3_bind_int64(s, 2, out->version);
		store_bind_text(s, 3, out->hash, false);
		sqlite3_bind_text(s, 4, text, (int)len, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 5, now);
	}
	if ((status = exec_bound(st, s)))
		goto out_rollback;
	out->added_at = now;
	return store_commit(st);
out_rollback:
	store_rollback(st);
	return status;
}

int store_briefing_latest(struct store *st, const char *lang, struct store_briefing *out,
                          char **text, size_t *len)
{
	memset(out, 0, sizeof(*out));
	if (text)
		*text = NULL;
	sqlite3_stmt *s = store_prepare(st, "SELECT version, hash, added_at, text FROM briefings "
	                                    "WHERE lang = ?1 ORDER BY version DESC LIMIT 1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, lang, false);
	int status = 0, rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		status = store_failf(st, STORE_E_NOT_FOUND, "no briefing for %s", lang);
		goto out_finalize;
	}
	if (rc != SQLITE_ROW) {
		status = store_fail(st, rc);
		goto out_finalize;
	}
	snprintf(out->lang, sizeof(out->lang), "%s", lang);
	out->version = sqlite3_column_int64(s, 0);
	snprintf(out->hash, sizeof(out->hash), "%s", (const char *)sqlite3_column_text(s, 1));
	out->added_at = sqlite3_column_int64(s, 2);
	if (text) {
		size_t n = (size_t)sqlite3_column_bytes(s, 3);
		*text = malloc(n + 1);
		if (!*text) {
			status = STORE_E_NOMEM;
			goto out_finalize;
		}
		memcpy(*text, sqlite3_column_text(s, 3), n);
		(*text)[n] = '\0';
		*len = n;
	}
out_finalize:
	sqlite3_finalize(s);
	return status;
}
