/* app/store/store_wristband.c: an arrival's active band, and the reprint transaction (old
 * band replaced, new band, its "wristband_void" record for the station, audit, print job). */
#include "app/store/store_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int store_wristband_active(struct store *st, int64_t arrival_id, struct wristband_info *out)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT serial FROM wristbands WHERE arrival_id = ?1 "
	                                    "AND state = 'active' ORDER BY issued_at DESC, rowid "
	                                    "DESC LIMIT 1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, arrival_id);
	char serial[STORE_SERIAL_MAX];
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW)
		status = store_column_text(s, 0, serial, sizeof(serial));
	else if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "arrival %lld has no active wristband",
		                     (long long)arrival_id);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status ? status : store_wristband_get(st, serial, out);
}

static int replacement_validate(struct store *st, const struct wristband_replacement *r)
{
	if (!*r->old_serial || !store_fits(r->old_serial, STORE_SERIAL_MAX) || !*r->serial ||
	    !store_fits(r->serial, STORE_SERIAL_MAX) || !*r->token ||
	    !store_fits(r->token, STORE_TOKEN_MAX) || !*r->actor ||
	    !store_fits(r->actor, STORE_ID_MAX) || !*r->reason ||
	    !store_fits(r->reason, STORE_TEXT_MAX) || !store_fits(r->job_kind, 24) ||
	    !store_fits(r->job_printer, STORE_ID_MAX) || (*r->job_kind && !r->job_payload))
		return store_failf(st, STORE_E_INVALID, "replacement field empty or too long");
	if (r->at <= 0 || r->device_seq < 0 || strcmp(r->old_serial, r->serial) == 0)
		return store_failf(st, STORE_E_INVALID, "replacement time, sequence or serial");
	return 0;
}

/* Run a prepared, bound statement that returns no rows; finalizes it. */
static int exec_finalize(struct store *st, sqlite3_stmt *s)
{
	if (!s)
		return STORE_E_SQL;
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

static char *void_payload(const struct wristband_replacement *r, const struct wristband_info *old,
                          const char *dev, int64_t seq)
{
	json_t *o =
	    json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "device_id", dev,
	              "device_seq", (json_int_t)seq, "at", (json_int_t)r->at, "serial", old->serial,
	              "state", "replaced", "reason", r->reason, "actor", r->actor, "arrival_id",
	              (json_int_t)old->arrival_id, "room", old->room, "replaced_by", r->serial,
	              "token", r->token);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return text;
}

int store_wristband_replace(struct store *st, const struct wristband_replacement *r,
                            struct wristband_replaced *out)
{
	struct wristband_replaced scratch;
	struct wristband_info old;
	char dev[STORE_ID_MAX], detail[STORE_TEXT_MAX];
	char *payload = NULL;
	bool own, found;
	if (!out)
		out = &scratch;
	memset(out, 0, sizeof(*out));
	int status = replacement_validate(st, r);
	if (status)
		return status;
	status = store_begin(st);
	if (status)
		return status;
	status = store_wristband_get(st, r->old_serial, &old);
	if (status == 0 && old.state != WRISTBAND_ACTIVE)
		status =
		    store_failf(st, STORE_E_NOT_FOUND, "wristband %s is not active", r->old_serial);
	if (status)
		goto out_rollback;
	sqlite3_stmt *s = store_prepare(st, "SELECT 1 FROM wristbands WHERE serial = ?1");
	if (!s) {
		status = STORE_E_SQL;
		goto out_rollback;
	}
	store_bind_text(s, 1, r->serial, false);
	int rc = sqlite3_step(s);
	found = rc == SQLITE_ROW;
	status = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	if (!status && found)
		status = store_failf(st, STORE_E_EXISTS, "wristband serial %s is taken", r->serial);
	if (status)
		goto out_rollback;
	/* the new band's record: an own sequence number, exactly the one the serial was
	 * signed for when the caller says so */
	status = store_seq_take(st, "", r->device_seq, dev, &out->band.device_seq, &own);
	if (status)
		goto out_rollback;
	s = store_prepare(st, "UPDATE wristbands SET state = 'replaced', reason = ?2 WHERE serial "
	                      "= ?1 AND state = 'active'");
	if (s) {
		store_bind_text(s, 1, r->old_serial, false);
		store_bind_text(s, 2, r->reason, false);
	}
	if ((status = exec_finalize(st, s)))
		goto out_rollback;
	s = store_prepare(st, "INSERT INTO wristbands (serial, device_id, device_seq, arrival_id, "
	                      "room, issued_at, state, token) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                      "'active', ?7)");
	if (s) {
		store_bind_text(s, 1, r->serial, false);
		store_bind_text(s, 2, dev, false);
		sqlite3_bind_int64(s, 3, out->band.device_seq);
		sqlite3_bind_int64(s, 4, old.arrival_id);
		store_bind_text(s, 5, old.room, false);
		sqlite3_bind_int64(s, 6, r->at);
		store_bind_text(s, 7, r->token, false);
	}
	if ((status = exec_finalize(st, s)))
		goto out_rollback;
	out->band.id = sqlite3_last_insert_rowid(st->db);
	payload = void_payload(r, &old, dev, out->band.device_seq);
	if (!payload) {
		status = store_failf(st, STORE_E_NOMEM, "cannot build the outbox payload");
		goto out_rollback;
	}
	status = store_outbox_add(st, dev, out->band.device_seq, "wristband_void", payload, r->at);
	if (status)
		goto out_rollback;
	snprintf(detail, sizeof(detail), "replaced by %s", r->serial);
	status = store_audit_append_own(st, r->actor, "replace_wristband", r->old_serial, detail,
	                                r->at, &out->audit);
	if (status)
		goto out_rollback;
	if (*r->job_kind) {
		status = store_print_job_add(st, r->job_kind, r->serial, r->job_payload,
		                             r->job_printer, r->at, &out->job_id);
		if (status)
			goto out_rollback;
	}
	status = store_commit(st);
	if (status)
		goto out_rollback;
	free(payload);
	return 0;
out_rollback:
	store_rollback(st);
	free(payload);
	memset(out, 0, sizeof(*out));
	return status;
}
