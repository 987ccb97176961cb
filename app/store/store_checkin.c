/* app/store/store_checkin.c: the check-in transaction (check-in, occupancy, room state,
 * wristband and outbox rows, all or nothing) and reading check-ins back. */
#include "app/store/store_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool reason_from_code(const char *code, enum reason *out)
{
	for (int r = 0; r < REASON_COUNT; r++) {
		if (strcmp(reason_code((enum reason)r), code) == 0) {
			*out = (enum reason)r;
			return true;
		}
	}
	return false;
}

static int checkin_validate(struct store *st, const struct checkin_record *c)
{
	if (!store_fits(c->device_id, sizeof(c->device_id)) ||
	    !store_fits(c->code_result, sizeof(c->code_result)) || !*c->code_result ||
	    !store_fits(c->briefing_hash, sizeof(c->briefing_hash)) || !*c->briefing_hash ||
	    !store_fits(c->briefing_lang, sizeof(c->briefing_lang)) || !*c->briefing_lang ||
	    !store_fits(c->room, sizeof(c->room)) || !*c->room ||
	    !store_fits(c->risk_set_by, sizeof(c->risk_set_by)) || !*c->risk_set_by ||
	    !store_fits(c->wristband_serial, sizeof(c->wristband_serial)) ||
	    !*c->wristband_serial || !store_fits(c->wristband_token, sizeof(c->wristband_token)) ||
	    !*c->wristband_token)
		return store_failf(st, STORE_E_INVALID, "check-in text field empty or too long");
	if ((unsigned)c->risk >= RISK_COUNT || (unsigned)c->code_reason >= REASON_COUNT)
		return store_failf(st, STORE_E_INVALID, "check-in risk or reason out of range");
	if (c->device_seq < 0 || c->at <= 0)
		return store_failf(st, STORE_E_INVALID, "check-in time or sequence out of range");
	return 0;
}

/* Run a bound statement expected to yield at most one row; *found tells whether it did and
 * *value is its first column. */
static int step_one(struct store *st, sqlite3_stmt *s, bool *found, int64_t *value)
{
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found && value)
		*value = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, sqlite3_extended_errcode(st->db));
	return 0;
}

static int exists_query(struct store *st, const char *sql, int64_t id, const char *text,
                        bool *found, int64_t *value)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	if (text)
		store_bind_text(s, 1, text, false);
	else
		sqlite3_bind_int64(s, 1, id);
	int status = step_one(st, s, found, value);
	sqlite3_finalize(s);
	return status;
}

static char *checkin_payload(const struct checkin_record *c, const char *dev, int64_t seq)
{
	char release[11];
	json_t *o = json_pack(
	    "{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:{s:i, s:i, s:i, s:i}}",
	    "device_id", dev, "device_seq", (json_int_t)seq, "arrival_id",
	    (json_int_t)c->arrival_id, "at", (json_int_t)c->at, "code_result", c->code_result,
	    "code_reason", reason_code(c->code_reason), "briefing_hash", c->briefing_hash,
	    "briefing_lang", c->briefing_lang, "room", c->room, "risk", risk_name(c->risk),
	    "risk_set_by", c->risk_set_by, "planned_release",
	    day_format(c->planned_release, release), "wristband_serial", c->wristband_serial,
	    "wristband_token", c->wristband_token, "timings", "verify_ms",
	    (int)c->timings.verify_ms, "confirm_ms", (int)c->timings.confirm_ms, "briefing_ms",
	    (int)c->timings.briefing_ms, "total_ms", (int)c->timings.total_ms);
	if (!o)
		return NULL;
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

static void bind_ms(sqlite3_stmt *s, int i, int32_t ms)
{
	if (ms < 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int(s, i, ms);
}

/* Insert a check-in whose room, arrival and serial were checked; returns its id. */
static int checkin_insert(struct store *st, const struct checkin_record *c, const char *dev,
                          int64_t seq, int64_t *id)
{
	char release[11];
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO checkins (device_id, device_seq, arrival_id, at, code_result, "
	        "code_reason, briefing_hash, briefing_lang, room, risk, risk_set_by, "
	        "planned_release, verify_ms, confirm_ms, briefing_ms, total_ms) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, dev, false);
	sqlite3_bind_int64(s, 2, seq);
	sqlite3_bind_int64(s, 3, c->arrival_id);
	sqlite3_bind_int64(s, 4, c->at);
	store_bind_text(s, 5, c->code_result, false);
	store_bind_text(s, 6, reason_code(c->code_reason), false);
	store_bind_text(s, 7, c->briefing_hash, false);
	store_bind_text(s, 8, c->briefing_lang, false);
	store_bind_text(s, 9, c->room, false);
	store_bind_text(s, 10, risk_name(c->risk), false);
	store_bind_text(s, 11, c->risk_set_by, false);
	store_bind_text(s, 12, day_format(c->planned_release, release), false);
	bind_ms(s, 13, c->timings.verify_ms);
	bind_ms(s, 14, c->timings.confirm_ms);
	bind_ms(s, 15, c->timings.briefing_ms);
	bind_ms(s, 16, c->timings.total_ms);
	int status = 0;
	if (sqlite3_step(s) == SQLITE_DONE)
		*id = sqlite3_last_insert_rowid(st->db);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

static int occupancy_insert(struct store *st, const struct checkin_record *c, int64_t checkin_id)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO occupancy (room, arrival_id, checkin_id, "
	                                    "since) VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, c->room, false);
	sqlite3_bind_int64(s, 2, c->arrival_id);
	sqlite3_bind_int64(s, 3, checkin_id);
	sqlite3_bind_int64(s, 4, c->at);
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	if (status)
		return status;
	s = store_prepare(st, "UPDATE rooms SET state = 'occupied' WHERE number = ?1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, c->room, false);
	status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

static int wristband_insert(struct store *st, const struct checkin_record *c, const char *dev,
                            int64_t seq)
{
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO wristbands (serial, device_id, device_seq, arrival_id, room, "
	        "issued_at, state, token) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7)");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, c->wristband_serial, false);
	store_bind_text(s, 2, dev, false);
	sqlite3_bind_int64(s, 3, seq);
	sqlite3_bind_int64(s, 4, c->arrival_id);
	store_bind_text(s, 5, c->room, false);
	sqlite3_bind_int64(s, 6, c->at);
	store_bind_text(s, 7, c->wristband_token, false);
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

/* The room may take one more person: exists, free or occupied, below capacity. */
static int room_admits(struct store *st, const char *number)
{
	struct room_info r;
	int status = store_room_get(st, number, &r);
	if (status)
		return status;
	if (r.state == ROOM_CLEANING || r.state == ROOM_BLOCKED)
		return store_failf(st, STORE_E_ROOM_UNAVAILABLE, "room %s is %s", number,
		                   room_state_name(r.state));
	if (r.occupants >= r.capacity)
		return store_failf(st, STORE_E_ROOM_FULL, "room %s holds %d of %d", number,
		                   r.occupants, r.capacity);
	return 0;
}

/* One check-in inside the caller's transaction. */
static int checkin_one(struct store *st, const struct checkin_record *c, struct checkin_result *res)
{
	char dev[STORE_ID_MAX];
	int64_t seq, id = 0;
	bool own, found;
	int status = checkin_validate(st, c);
	if (status)
		return status;
	status = store_seq_take(st, c->device_id, c->device_seq, dev, &seq, &own);
	if (status)
		return status;
	memset(res, 0, sizeof(*res));
	res->device_seq = seq;
	if (!own) {
		sqlite3_stmt *s = store_prepare(
		    st, "SELECT id FROM checkins WHERE device_id = ?1 AND device_seq = ?2");
		if (!s)
			return STORE_E_SQL;
		store_bind_text(s, 1, dev, false);
		sqlite3_bind_int64(s, 2, seq);
		status = step_one(st, s, &found, &id);
		sqlite3_finalize(s);
		if (status)
			return status;
		if (found) {
			res->checkin_id = id;
			res->already_had = true;
			return 0;
		}
	}
	status = exists_query(st, "SELECT id FROM arrivals WHERE id = ?1", c->arrival_id, NULL,
	                      &found, NULL);
	if (status)
		return status;
	if (!found)
		return store_failf(st, STORE_E_NOT_FOUND, "no arrival %lld",
		                   (long long)c->arrival_id);
	/* a room-less check-in waiting here for the front desk counts as checked in */
	status = exists_query(st,
	                      "SELECT id FROM checkins WHERE arrival_id = ?1 AND state = 'active' "
	                      "UNION ALL SELECT device_seq FROM checkins_waiting WHERE "
	                      "arrival_id = ?1",
	                      c->arrival_id, NULL, &found, NULL);
	if (status)
		return status;
	if (found)
		return store_failf(st, STORE_E_ALREADY_CHECKED_IN, "arrival %lld is checked in",
		                   (long long)c->arrival_id);
	status = room_admits(st, c->room);
	if (status)
		return status;
	status = exists_query(st, "SELECT 1 FROM wristbands WHERE serial = ?1", 0,
	                      c->wristband_serial, &found, NULL);
	if (status)
		return status;
	if (found)
		return store_failf(st, STORE_E_EXISTS, "wristband serial %s is taken",
		                   c->wristband_serial);
	if ((status = checkin_insert(st, c, dev, seq, &id)) ||
	    (status = occupancy_insert(st, c, id)) || (status = wristband_insert(st, c, dev, seq)))
		return status;
	char *payload = checkin_payload(c, dev, seq);
	if (!payload)
		return store_failf(st, STORE_E_NOMEM, "cannot build the outbox payload");
	status = store_outbox_add(st, dev, seq, "checkin", payload, c->at);
	free(payload);
	if (status)
		return status;
	res->checkin_id = id;
	return 0;
}

int store_checkin_commit_group(struct store *st, const struct checkin_record *recs, size_t n,
                               struct checkin_result *res)
{
	struct checkin_result scratch;
	int status = store_begin(st);
	if (status)
		return status;
	for (size_t i = 0; i < n; i++) {
		status = checkin_one(st, &recs[i], res ? &res[i] : &scratch);
		if (status)
			goto out_rollback;
	}
	status = store_commit(st);
	if (status)
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	if (res)
		memset(res, 0, n * sizeof(*res));
	return status;
}

int store_checkin_commit(struct store *st, const struct checkin_record *rec,
                         struct checkin_result *res)
{
	return store_checkin_commit_group(st, rec, 1, res);
}

int store_checkin_waiting(struct store *st, int64_t arrival_id, bool *waiting)
{
	return exists_query(st, "SELECT device_seq FROM checkins_waiting WHERE arrival_id = ?1",
	                    arrival_id, NULL, waiting, NULL);
}

/* One room-less check-in inside the caller's transaction. */
static int without_room_one(struct store *st, const struct checkin_record *rec,
                            const char *approved_by, struct checkin_result *res)
{
	struct checkin_record c = *rec;
	struct store_written audit;
	char dev[STORE_ID_MAX], target[32];
	int64_t seq;
	bool own, found;
	memset(res, 0, sizeof(*res));
	/* validated as a full check-in with placeholders where the room and band go */
	snprintf(c.room, sizeof(c.room), "-");
	snprintf(c.wristband_serial, sizeof(c.wristband_serial), "-");
	snprintf(c.wristband_token, sizeof(c.wristband_token), "-");
	int status = checkin_validate(st, &c);
	if (status)
		return status;
	if (*c.device_id || c.device_seq != 0)
		return store_failf(st, STORE_E_INVALID, "a room-less check-in is an own record");
	c.room[0] = c.wristband_serial[0] = c.wristband_token[0] = '\0';
	if ((status = exists_query(st, "SELECT id FROM arrivals WHERE id = ?1", c.arrival_id, NULL,
	                           &found, NULL)))
		return status;
	if (!found)
		return store_failf(st, STORE_E_NOT_FOUND, "no arrival %lld",
		                   (long long)c.arrival_id);
	if ((status = exists_query(st,
	                           "SELECT id FROM checkins WHERE arrival_id = ?1 AND state = "
	                           "'active' UNION ALL SELECT device_seq FROM checkins_waiting "
	                           "WHERE arrival_id = ?1",
	                           c.arrival_id, NULL, &found, NULL)))
		return status;
	if (found)
		return store_failf(st, STORE_E_ALREADY_CHECKED_IN, "arrival %lld is checked in",
		                   (long long)c.arrival_id);
	if ((status = store_seq_take(st, "", 0, dev, &seq, &own)))
		return status;
	char *payload = checkin_payload(&c, dev, seq);
	if (!payload)
		return store_failf(st, STORE_E_NOMEM, "cannot build the outbox payload");
	status = store_outbox_add(st, dev, seq, "checkin", payload, c.at);
	free(payload);
	if (status)
		return status;
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO checkins_waiting (device_seq, arrival_id, "
	                                    "at, approved_by) VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, seq);
	sqlite3_bind_int64(s, 2, c.arrival_id);
	sqlite3_bind_int64(s, 3, c.at);
	store_bind_text(s, 4, approved_by, false);
	status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	if (status)
		return status;
	snprintf(target, sizeof(target), "arrival:%lld", (long long)c.arrival_id);
	if ((status = store_audit_append_own(st, approved_by, "approve_no_room", target,
	                                     "out of leased rooms", c.at, &audit)))
		return status;
	res->device_seq = seq;
	return 0;
}

int store_checkin_without_room(struct store *st, const struct checkin_record *recs, size_t n,
                               const char *approved_by, struct checkin_result *res)
{
	struct checkin_result scratch;
	if (!approved_by || !*approved_by || !store_fits(approved_by, STORE_ID_MAX) || n == 0)
		return store_failf(st, STORE_E_INVALID, "room-less check-in needs a badge");
	int status = store_begin(st);
	if (status)
		return status;
	for (size_t i = 0; i < n; i++)
		if ((status =
		         without_room_one(st, &recs[i], approved_by, res ? &res[i] : &scratch)))
			goto out_rollback;
	if ((status = store_commit(st)))
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	if (res)
		memset(res, 0, n * sizeof(*res));
	return status;
}

#define CHECKIN_SELECT                                                                             \
	"SELECT c.id, c.state, c.arrival_id, c.at, c.device_id, c.device_seq, c.code_result, "     \
	"c.code_reason, c.briefing_hash, c.briefing_lang, c.room, c.risk, c.risk_set_by, "         \
	"c.planned_release, w.serial, w.token, c.verify_ms, c.confirm_ms, c.briefing_ms, "         \
	"c.total_ms, " STORE_ARRIVAL_COLUMNS_A " FROM checkins c "                                 \
	"JOIN arrivals a ON a.id = c.arrival_id "                                                  \
	"LEFT JOIN wristbands w ON w.device_id = c.device_id AND w.device_seq = c.device_seq "

#define CHECKIN_NCOLUMNS 20

static int32_t column_ms(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? -1 : sqlite3_column_int(s, i);
}

static int checkin_from_row(sqlite3_stmt *s, struct checkin_row *r)
{
	char buf[STORE_ID_MAX];
	struct checkin_record *c = &r->c;
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	int bad = store_column_text(s, 1, r->state, sizeof(r->state));
	c->arrival_id = sqlite3_column_int64(s, 2);
	c->at = sqlite3_column_int64(s, 3);
	bad |= store_column_text(s, 4, c->device_id, sizeof(c->device_id));
	c->device_seq = sqlite3_column_int64(s, 5);
	bad |= store_column_text(s, 6, c->code_result, sizeof(c->code_result));
	bad |= store_column_text(s, 7, buf, sizeof(buf));
	if (!reason_from_code(buf, &c->code_reason))
		bad |= STORE_E_INVALID;
	bad |= store_column_text(s, 8, c->briefing_hash, sizeof(c->briefing_hash)) |
	       store_column_text(s, 9, c->briefing_lang, sizeof(c->briefing_lang)) |
	       store_column_text(s, 10, c->room, sizeof(c->room));
	bad |= store_column_text(s, 11, buf, sizeof(buf));
	if (!risk_parse(buf, &c->risk))
		bad |= STORE_E_INVALID;
	bad |= store_column_text(s, 12, c->risk_set_by, sizeof(c->risk_set_by));
	bad |= store_column_text(s, 13, buf, sizeof(buf));
	if (!day_parse(buf, &c->planned_release))
		bad |= STORE_E_INVALID;
	bad |= store_column_text(s, 14, c->wristband_serial, sizeof(c->wristband_serial)) |
	       store_column_text(s, 15, c->wristband_token, sizeof(c->wristband_token));
	c->timings.verify_ms = column_ms(s, 16);
	c->timings.confirm_ms = column_ms(s, 17);
	c->timings.briefing_ms = column_ms(s, 18);
	c->timings.total_ms = column_ms(s, 19);
	bad |= store_arrival_from_row(s, CHECKIN_NCOLUMNS, &r->a);
	return bad ? STORE_E_INVALID : 0;
}

int store_checkin_active(struct store *st, int64_t arrival_id, struct checkin_row *out)
{
	sqlite3_stmt *s =
	    store_prepare(st, CHECKIN_SELECT "WHERE c.arrival_id = ?1 AND c.state = 'active'");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, arrival_id);
	int rc = sqlite3_step(s);
	int status;
	if (rc == SQLITE_ROW)
		status = checkin_from_row(s, out);
	else if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "arrival %lld is not checked in",
		                     (long long)arrival_id);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_checkins_each(struct store *st, int (*fn)(const struct checkin_row *row, void *ctx),
                        void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, CHECKIN_SELECT "ORDER BY c.at, c.id");
	if (!s)
		return STORE_E_SQL;
	struct checkin_row *row = malloc(sizeof(*row));
	int rc, status = 0;
	if (!row) {
		status = STORE_E_NOMEM;
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		status = checkin_from_row(s, row);
		if (!status)
			status = fn(row, ctx);
		if (status)
			goto out;
	}
	if (rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
out:
	free(row);
	sqlite3_finalize(s);
	return status;
}

/* Run a bound statement that returns no rows; finalizes it. */
static int step_finalize(struct store *st, sqlite3_stmt *s)
{
	if (!s)
		return STORE_E_SQL;
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_checkin_end_rows(struct store *st, int64_t arrival_id, int64_t at, const char *outcome,
                           char room[STORE_ROOM_MAX])
{
	struct checkin_row *row = malloc(sizeof(*row));
	sqlite3_stmt *s;
	int status;
	if (!row)
		return store_failf(st, STORE_E_NOMEM, "out of memory");
	status = store_checkin_active(st, arrival_id, row);
	if (status)
		goto out_free;
	s = store_prepare(st, "UPDATE checkins SET state = 'released', outcome = ?2 WHERE id = ?1");
	if (s) {
		sqlite3_bind_int64(s, 1, row->id);
		store_bind_text(s, 2, outcome, false);
	}
	if ((status = step_finalize(st, s)))
		goto out_free;
	s = store_prepare(st, "UPDATE occupancy SET until = ?2 WHERE checkin_id = ?1 AND until IS "
	                      "NULL");
	if (s) {
		sqlite3_bind_int64(s, 1, row->id);
		sqlite3_bind_int64(s, 2, at);
	}
	if ((status = step_finalize(st, s)))
		goto out_free;
	s = store_prepare(st, "UPDATE wristbands SET state = 'void', reason = ?2 WHERE "
	                      "arrival_id = ?1 AND state = 'active'");
	if (s) {
		sqlite3_bind_int64(s, 1, arrival_id);
		store_bind_text(s, 2, outcome, false);
	}
	if ((status = step_finalize(st, s)))
		goto out_free;
	s = store_prepare(st, "UPDATE rooms SET state = 'cleaning' WHERE number = ?1 AND NOT "
	                      "EXISTS (SELECT 1 FROM occupancy WHERE room = ?1 AND until IS NULL)");
	if (s)
		store_bind_text(s, 1, row->c.room, false);
	if ((status = step_finalize(st, s)))
		goto out_free;
	if (room)
		snprintf(room, STORE_ROOM_MAX, "%s", row->c.room);
out_free:
	free(row);
	return status;
}

/* End the active check-in of an arrival as outcome ("released", "transferred"); see
 * store_checkin_release. detail goes into the audit record (NULL: the room). */
static int checkin_end(struct store *st, int64_t arrival_id, int64_t at, const char *actor,
                       const char *outcome, const char *detail, struct store_written *w)
{
	struct store_written scratch;
	char target[STORE_ID_MAX], room[STORE_ROOM_MAX];
	int status;
	if (!actor || !*actor || !store_fits(actor, STORE_ID_MAX) ||
	    (detail && !store_fits(detail, STORE_TEXT_MAX)))
		return store_failf(st, STORE_E_INVALID, "release needs an actor");
	status = store_begin(st);
	if (status)
		return status;
	if ((status = store_checkin_end_rows(st, arrival_id, at, outcome, room)))
		goto out_rollback;
	snprintf(target, sizeof(target), "arrival:%lld", (long long)arrival_id);
	status = store_audit_append_own(st, actor,
	                                strcmp(outcome, "released") == 0 ? "release" : "transfer",
	                                target, detail ? detail : room, at, w ? w : &scratch);
	if (status)
		goto out_rollback;
	status = store_commit(st);
	if (status)
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	return status;
}

int store_checkin_release(struct store *st, int64_t arrival_id, int64_t at, const char *actor,
                          struct store_written *w)
{
	return checkin_end(st, arrival_id, at, actor, "released", NULL, w);
}

int store_checkin_transfer(struct store *st, int64_t arrival_id, int64_t at, const char *actor,
                           const char *note, struct store_written *w)
{
	return checkin_end(st, arrival_id, at, actor, "transferred", note ? note : "", w);
}
