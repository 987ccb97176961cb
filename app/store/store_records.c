/* app/store/store_records.c: the smaller device records (risk changes, checkpoint scans,
 * audit entries) with their outbox rows, and wristband state changes. */
#include "app/store/store_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Start a device record: transaction, sequence number, and for another device's record
 * whether we already hold it (exists_sql selects the id by ?1 device, ?2 seq). On success
 * the transaction is open; on failure it is rolled back. */
static int record_begin(struct store *st, const char *exists_sql, const char *device_id,
                        int64_t device_seq, char dev[STORE_ID_MAX], struct store_written *w)
{
	bool own;
	memset(w, 0, sizeof(*w));
	int status = store_begin(st);
	if (status)
		return status;
	status = store_seq_take(st, device_id, device_seq, dev, &w->device_seq, &own);
	if (status)
		goto out_rollback;
	if (!own) {
		sqlite3_stmt *s = store_prepare(st, exists_sql);
		if (!s) {
			status = STORE_E_SQL;
			goto out_rollback;
		}
		store_bind_text(s, 1, dev, false);
		sqlite3_bind_int64(s, 2, w->device_seq);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			w->id = sqlite3_column_int64(s, 0);
			w->already_had = true;
		} else if (rc != SQLITE_DONE) {
			status = store_fail(st, sqlite3_extended_errcode(st->db));
		}
		sqlite3_finalize(s);
		if (status)
			goto out_rollback;
	}
	return 0;
out_rollback:
	store_rollback(st);
	return status;
}

/* Step an insert prepared and bound by the caller, add the outbox row built from payload
 * (a JSON object, consumed), and commit; rolls back on any failure. */
static int record_finish(struct store *st, sqlite3_stmt *s, const char *kind, const char *dev,
                         int64_t at, json_t *payload, struct store_written *w)
{
	int status = 0;
	char *text = NULL;
	if (!s || !payload) {
		status =
		    s ? store_failf(st, STORE_E_NOMEM, "cannot build the payload") : STORE_E_SQL;
		goto out_rollback;
	}
	if (sqlite3_step(s) != SQLITE_DONE) {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
		goto out_rollback;
	}
	w->id = sqlite3_last_insert_rowid(st->db);
	json_object_set_new(payload, "device_id", json_string(dev));
	json_object_set_new(payload, "device_seq", json_integer(w->device_seq));
	text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		status = store_failf(st, STORE_E_NOMEM, "cannot build the payload");
		goto out_rollback;
	}
	status = store_outbox_add(st, dev, w->device_seq, kind, text, at);
	if (status)
		goto out_rollback;
	status = store_commit(st);
	if (status)
		goto out_rollback;
	free(text);
	json_decref(payload);
	sqlite3_finalize(s);
	return 0;
out_rollback:
	store_rollback(st);
	free(text);
	json_decref(payload);
	sqlite3_finalize(s);
	memset(w, 0, sizeof(*w));
	return status;
}

/* The caller gave no result struct: use a scratch one. */
#define WRITTEN(out, scratch) ((out) ? (out) : &(scratch))

int store_risk_change_add(struct store *st, const struct risk_change *rc, struct store_written *out)
{
	struct store_written scratch, *w = WRITTEN(out, scratch);
	char dev[STORE_ID_MAX];
	if ((unsigned)rc->risk >= RISK_COUNT || !store_fits(rc->set_by, sizeof(rc->set_by)) ||
	    !*rc->set_by || !store_fits(rc->why, sizeof(rc->why)) ||
	    !store_fits(rc->device_id, sizeof(rc->device_id)))
		return store_failf(st, STORE_E_INVALID, "risk change field out of range");
	int status =
	    record_begin(st, "SELECT id FROM risk_changes WHERE device_id = ?1 AND device_seq = ?2",
	                 rc->device_id, rc->device_seq, dev, w);
	if (status || w->already_had)
		return status ? status : store_commit(st);
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO risk_changes (device_id, device_seq, arrival_id, at, risk, set_by, "
	        "why) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (s) {
		store_bind_text(s, 1, dev, false);
		sqlite3_bind_int64(s, 2, w->device_seq);
		sqlite3_bind_int64(s, 3, rc->arrival_id);
		sqlite3_bind_int64(s, 4, rc->at);
		store_bind_text(s, 5, risk_name(rc->risk), false);
		store_bind_text(s, 6, rc->set_by, false);
		store_bind_text(s, 7, rc->why, false);
	}
	json_t *p = json_pack("{s:I, s:I, s:s, s:s, s:s}", "arrival_id", (json_int_t)rc->arrival_id,
	                      "at", (json_int_t)rc->at, "risk", risk_name(rc->risk), "set_by",
	                      rc->set_by, "why", rc->why);
	return record_finish(st, s, "risk_change", dev, rc->at, p, w);
}

int store_arrival_risk(struct store *st, int64_t arrival_id, enum risk *out)
{
	sqlite3_stmt *s = store_prepare(
	    st, "SELECT risk FROM (SELECT risk, at, 1 AS pri, id FROM risk_changes "
	        "WHERE arrival_id = ?1 UNION ALL SELECT risk, at, 0 AS pri, id FROM checkins "
	        "WHERE arrival_id = ?1 AND state = 'active') ORDER BY at DESC, pri DESC, id DESC "
	        "LIMIT 1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, arrival_id);
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW) {
		if (!risk_parse((const char *)sqlite3_column_text(s, 0), out))
			status = store_failf(st, STORE_E_INVALID, "bad risk in store");
	} else if (rc == SQLITE_DONE) {
		status = store_failf(st, STORE_E_NOT_FOUND, "no risk for arrival %lld",
		                     (long long)arrival_id);
	} else {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_scan_add(struct store *st, const struct scan_record *sc, struct store_written *out)
{
	struct store_written scratch, *w = WRITTEN(out, scratch);
	char dev[STORE_ID_MAX];
	if ((unsigned)sc->result >= REASON_COUNT ||
	    !store_fits(sc->checkpoint, sizeof(sc->checkpoint)) || !*sc->checkpoint ||
	    !store_fits(sc->serial, sizeof(sc->serial)) ||
	    !store_fits(sc->colour, sizeof(sc->colour)) ||
	    !store_fits(sc->device_id, sizeof(sc->device_id)))
		return store_failf(st, STORE_E_INVALID, "scan field out of range");
	int status =
	    record_begin(st, "SELECT id FROM scans WHERE device_id = ?1 AND device_seq = ?2",
	                 sc->device_id, sc->device_seq, dev, w);
	if (status || w->already_had)
		return status ? status : store_commit(st);
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO scans (device_id, device_seq, at, "
	                                    "checkpoint, serial, result, colour) VALUES (?1, ?2, "
	                                    "?3, ?4, ?5, ?6, ?7)");
	if (s) {
		store_bind_text(s, 1, dev, false);
		sqlite3_bind_int64(s, 2, w->device_seq);
		sqlite3_bind_int64(s, 3, sc->at);
		store_bind_text(s, 4, sc->checkpoint, false);
		store_bind_text(s, 5, sc->serial, false);
		store_bind_text(s, 6, reason_code(sc->result), false);
		store_bind_text(s, 7, sc->colour, false);
	}
	json_t *p =
	    json_pack("{s:I, s:s, s:s, s:s}", "at", (json_int_t)sc->at, "checkpoint",
	              sc->checkpoint, "serial", sc->serial, "result", reason_code(sc->result));
	if (p && *sc->colour)
		json_object_set_new(p, "colour", json_string(sc->colour));
	return record_finish(st, s, "scan", dev, sc->at, p, w);
}

int store_audit_add(struct store *st, const struct audit_record *a, struct store_written *out)
{
	struct store_written scratch, *w = WRITTEN(out, scratch);
	char dev[STORE_ID_MAX];
	if (!store_fits(a->actor, sizeof(a->actor)) || !*a->actor ||
	    !store_fits(a->action, sizeof(a->action)) || !*a->action ||
	    !store_fits(a->target, sizeof(a->target)) ||
	    !store_fits(a->detail, sizeof(a->detail)) ||
	    !store_fits(a->device_id, sizeof(a->device_id)))
		return store_failf(st, STORE_E_INVALID, "audit field out of range");
	int status =
	    record_begin(st, "SELECT id FROM audit_log WHERE device_id = ?1 AND device_seq = ?2",
	                 a->device_id, a->device_seq, dev, w);
	if (status || w->already_had)
		return status ? status : store_commit(st);
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO audit_log (device_id, device_seq, at, "
	                                    "actor, action, target, detail) VALUES (?1, ?2, ?3, "
	                                    "?4, ?5, ?6, ?7)");
	if (s) {
		store_bind_text(s, 1, dev, false);
		sqlite3_bind_int64(s, 2, w->device_seq);
		sqlite3_bind_int64(s, 3, a->at);
		store_bind_text(s, 4, a->actor, false);
		store_bind_text(s, 5, a->action, false);
		store_bind_text(s, 6, a->target, false);
		store_bind_text(s, 7, a->detail, false);
	}
	json_t *p =
	    json_pack("{s:I, s:s, s:s, s:s, s:s}", "at", (json_int_t)a->at, "actor", a->actor,
	              "action", a->action, "target", a->target, "detail", a->detail);
	return record_finish(st, s, "audit", dev, a->at, p, w);
}

int store_audit_append_own(struct store *st, const char *actor, const char *action,
                           const char *target, const char *detail, int64_t at,
                           struct store_written *w)
{
	char dev[STORE_ID_MAX];
	bool own;
	memset(w, 0, sizeof(*w));
	int status = store_seq_take(st, "", 0, dev, &w->device_seq, &own);
	if (status)
		return status;
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO audit_log (device_id, device_seq, at, "
	                                    "actor, action, target, detail) VALUES (?1, ?2, ?3, "
	                                    "?4, ?5, ?6, ?7)");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, dev, false);
	sqlite3_bind_int64(s, 2, w->device_seq);
	sqlite3_bind_int64(s, 3, at);
	store_bind_text(s, 4, actor, false);
	store_bind_text(s, 5, action, false);
	store_bind_text(s, 6, target, false);
	store_bind_text(s, 7, detail, false);
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else
		w->id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	if (status)
		return status;
	json_t *p = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "device_id", dev, "device_seq",
	                      (json_int_t)w->device_seq, "at", (json_int_t)at, "actor", actor,
	                      "action", action, "target", target, "detail", detail);
	char *text = p ? json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(p);
	if (!text)
		return store_failf(st, STORE_E_NOMEM, "cannot build the payload");
	status = store_outbox_add(st, dev, w->device_seq, "audit", text, at);
	free(text);
	return status;
}

static const char *const wristband_state_names[] = {"active", "void", "replaced"};

int store_wristband_get(struct store *st, const char *serial, struct wristband_info *out)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT serial, arrival_id, room, issued_at, state, "
	                                    "reason, token FROM wristbands WHERE serial = ?1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, serial, false);
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW) {
		char state[16];
		memset(out, 0, sizeof(*out));
		status = store_column_text(s, 0, out->serial, sizeof(out->serial)) |
		         store_column_text(s, 2, out->room, sizeof(out->room)) |
		         store_column_text(s, 4, state, sizeof(state)) |
		         store_column_text(s, 5, out->reason, sizeof(out->reason)) |
		         store_column_text(s, 6, out->token, sizeof(out->token));
		out->arrival_id = sqlite3_column_int64(s, 1);
		out->issued_at = sqlite3_column_int64(s, 3);
		out->state = WRISTBAND_ACTIVE;
		for (int i = 0; i < 3; i++)
			if (strcmp(state, wristband_state_names[i]) == 0)
				out->state = (enum wristband_state)i;
		status = status ? STORE_E_INVALID : 0;
	} else if (rc == SQLITE_DONE) {
		status = store_failf(st, STORE_E_NOT_FOUND, "no wristband %s", serial);
	} else {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_wristband_set_state(struct store *st, const char *serial, enum wristband_state state,
                              const char *reason)
{
	if (state != WRISTBAND_VOID && state != WRISTBAND_REPLACED)
		return store_failf(st, STORE_E_INVALID, "a band can only be voided or replaced");
	if (!reason || !store_fits(reason, STORE_TEXT_MAX))
		return store_failf(st, STORE_E_INVALID, "reason missing or too long");
	sqlite3_stmt *s = store_prepare(st, "UPDATE wristbands SET state = ?2, reason = ?3 "
	                                    "WHERE serial = ?1 AND state = 'active'");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, serial, false);
	store_bind_text(s, 2, wristband_state_names[state], false);
	store_bind_text(s, 3, reason, false);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status = store_failf(st, STORE_E_NOT_FOUND, "no active wristband %s", serial);
	sqlite3_finalize(s);
	return status;
}
