/* app/store/store_resident.c: residents as the security post and the front desk read them:
 * one indexed query per person (latest check-in, current risk, active band), search, the
 * histories on a card, the current occupants, and the v3 status and release changes. */
#include "app/store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The current risk of check-in c: its latest change since check-in, else the initial one. */
#define CURRENT_RISK                                                                               \
	"COALESCE((SELECT rc.risk FROM risk_changes rc WHERE rc.arrival_id = c.arrival_id AND "    \
	"rc.at >= c.at ORDER BY rc.at DESC, rc.id DESC LIMIT 1), c.risk)"

#define RESIDENT_SELECT                                                                            \
	"SELECT " STORE_ARRIVAL_COLUMNS_A ", a.psych, c.id, c.at, c.state, c.outcome, c.room, "    \
	"r.floor, " CURRENT_RISK                                                                   \
	", c.risk, c.planned_release, (SELECT w.serial FROM wristbands w "                         \
	"WHERE w.arrival_id = a.id AND w.state = 'active' ORDER BY w.issued_at DESC LIMIT 1), "    \
	"c.total_ms, (SELECT o.until FROM occupancy o WHERE o.checkin_id = c.id) "                 \
	"FROM checkins c JOIN arrivals a ON a.id = c.arrival_id JOIN rooms r ON r.number = "       \
	"c.room "

static int resident_from_row(sqlite3_stmt *s, struct store_resident *r)
{
	char state[16], outcome[16], risk[16], irisk[16], day[16];
	int i = STORE_ARRIVAL_NCOLUMNS;
	memset(r, 0, sizeof(*r));
	int bad = store_arrival_from_row(s, 0, &r->a);
	r->psych = sqlite3_column_int(s, i) != 0;
	r->checkin_id = sqlite3_column_int64(s, i + 1);
	r->checked_in_at = sqlite3_column_int64(s, i + 2);
	bad |= store_column_text(s, i + 3, state, sizeof(state)) |
	       store_column_text(s, i + 4, outcome, sizeof(outcome)) |
	       store_column_text(s, i + 5, r->room, sizeof(r->room)) |
	       store_column_text(s, i + 7, risk, sizeof(risk)) |
	       store_column_text(s, i + 8, irisk, sizeof(irisk)) |
	       store_column_text(s, i + 9, day, sizeof(day)) |
	       store_column_text(s, i + 10, r->band_serial, sizeof(r->band_serial));
	r->floor = sqlite3_column_int(s, i + 6);
	r->total_ms =
	    sqlite3_column_type(s, i + 11) == SQLITE_NULL ? -1 : sqlite3_column_int(s, i + 11);
	r->ended_at = sqlite3_column_int64(s, i + 12);
	if (strcmp(state, "active") == 0)
		r->status = RESIDENT_IN_QUARANTINE;
	else if (strcmp(outcome, "transferred") == 0)
		r->status = RESIDENT_TRANSFERRED;
	else
		r->status = RESIDENT_RELEASED; /* released, or a v2 ended check-in */
	if (bad || !risk_parse(risk, &r->risk) || !risk_parse(irisk, &r->initial_risk) ||
	    !day_parse(day, &r->planned_release))
		return STORE_E_INVALID;
	return 0;
}

int store_resident_get(struct store *st, int64_t arrival_id, struct store_resident *out)
{
	sqlite3_stmt *s = store_prepare(st, RESIDENT_SELECT "WHERE c.arrival_id = ?1 ORDER BY "
	                                                    "c.state = 'active' DESC, c.at DESC, "
	                                                    "c.id DESC LIMIT 1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, arrival_id);
	int rc = sqlite3_step(s), status;
	if (rc == SQLITE_ROW)
		status = resident_from_row(s, out);
	else if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "arrival %lld was never checked in",
		                     (long long)arrival_id);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

/* "%frag%" for LIKE with \ escaping; false when it does not fit. */
static bool like_pattern(const char *frag, char *out, size_t size)
{
	size_t j = 0;
	if (size < 3)
		return false;
	out[j++] = '%';
	for (const char *p = frag; *p; p++) {
		if (j + 3 >= size)
			return false;
		if (*p == '%' || *p == '_' || *p == '\\')
			out[j++] = '\\';
		out[j++] = *p;
	}
	out[j++] = '%';
	out[j] = '\0';
	return true;
}

int store_residents_search(struct store *st, enum store_search_by by, const char *query,
                           int64_t *ids, size_t max, size_t *n, bool *more)
{
	static const char *const where[] = {
	    [STORE_SEARCH_ROOM] = "c.room = ?1",
	    [STORE_SEARCH_NAME] = "a.name LIKE ?1 ESCAPE '\\'",
	    [STORE_SEARCH_BATCH] = "a.batch = ?1",
	    [STORE_SEARCH_BAND] = "a.id IN (SELECT arrival_id FROM wristbands WHERE serial = ?1)",
	};
	char sql[512], pattern[STORE_TEXT_MAX];
	*n = 0;
	*more = false;
	if ((unsigned)by > STORE_SEARCH_BAND || !query || !*query ||
	    !store_fits(query, STORE_TEXT_MAX - 2))
		return store_failf(st, STORE_E_INVALID, "search query missing or too long");
	if (by == STORE_SEARCH_NAME && !like_pattern(query, pattern, sizeof(pattern)))
		return store_failf(st, STORE_E_INVALID, "search query too long");
	/* one row per arrival: its best check-in (active first, then newest) */
	snprintf(sql, sizeof(sql),
	         "SELECT a.id, MAX((c.state = 'active') * 4000000000000 + c.at) AS k FROM "
	         "checkins c JOIN arrivals a ON a.id = c.arrival_id WHERE %s GROUP BY a.id "
	         "ORDER BY k DESC, a.id LIMIT ?2",
	         where[by]);
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, by == STORE_SEARCH_NAME ? pattern : query, false);
	sqlite3_bind_int64(s, 2, (int64_t)max + 1);
	int rc, status = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == max) {
			*more = true;
			break;
		}
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_arrival_set_psych(struct store *st, int64_t arrival_id, bool psych)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE arrivals SET psych = ?2 WHERE id = ?1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, arrival_id);
	sqlite3_bind_int(s, 2, psych ? 1 : 0);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status =
		    store_failf(st, STORE_E_NOT_FOUND, "no arrival %lld", (long long)arrival_id);
	sqlite3_finalize(s);
	return status;
}

int store_risk_changes_list(struct store *st, int64_t arrival_id, struct risk_change *out,
                            size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, "SELECT at, device_id, device_seq, risk, set_by, why "
	                                    "FROM risk_changes WHERE arrival_id = ?1 ORDER BY at "
	                                    "DESC, id DESC LIMIT ?2");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, arrival_id);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	int rc, status = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct risk_change *r = &out[(*n)++];
		char risk[16];
		memset(r, 0, sizeof(*r));
		r->arrival_id = arrival_id;
		r->at = sqlite3_column_int64(s, 0);
		r->device_seq = sqlite3_column_int64(s, 2);
		if (store_column_text(s, 1, r->device_id, sizeof(r->device_id)) |
		        store_column_text(s, 3, risk, sizeof(risk)) |
		        store_column_text(s, 4, r->set_by, sizeof(r->set_by)) |
		        store_column_text(s, 5, r->why, sizeof(r->why)) ||
		    !risk_parse(risk, &r->risk)) {
			status = STORE_E_INVALID;
			break;
		}
	}
	if (!status && rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

static bool reason_from_code(const char *code, enum reason *out)
{
	for (int r = 0; r < REASON_COUNT; r++)
		if (strcmp(reason_code((enum reason)r), code) == 0) {
			*out = (enum reason)r;
			return true;
		}
	return false;
}

int store_scans_for_arrival(struct store *st, int64_t arrival_id, struct scan_record *out,
                            size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *s =
	    store_prepare(st, "SELECT at, device_id, device_seq, checkpoint, serial, "
	                      "result, colour FROM scans WHERE serial IN (SELECT serial FROM "
	                      "wristbands WHERE arrival_id = ?1) ORDER BY at DESC, id "
	                      "DESC LIMIT ?2");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, arrival_id);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	int rc, status = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct scan_record *r = &out[(*n)++];
		char result[48];
		memset(r, 0, sizeof(*r));
		r->at = sqlite3_column_int64(s, 0);
		r->device_seq = sqlite3_column_int64(s, 2);
		if (store_column_text(s, 1, r->device_id, sizeof(r->device_id)) |
		        store_column_text(s, 3, r->checkpoint, sizeof(r->checkpoint)) |
		        store_column_text(s, 4, r->serial, sizeof(r->serial)) |
		        store_column_text(s, 5, result, sizeof(result)) |
		        store_column_text(s, 6, r->colour, sizeof(r->colour)) ||
		    !reason_from_code(result, &r->result)) {
			status = STORE_E_INVALID;
			break;
		}
	}
	if (!status && rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_audit_list(struct store *st, const char *target, const char *action,
                     struct audit_record *out, size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, "SELECT at, device_id, device_seq, actor, action, "
	                                    "target, detail FROM audit_log WHERE target = ?1 AND "
	                                    "(?2 = '' OR action = ?2) ORDER BY at DESC, id DESC "
	                                    "LIMIT ?3");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, target, false);
	store_bind_text(s, 2, action ? action : "", false);
	sqlite3_bind_int64(s, 3, (int64_t)max);
	int rc, status = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_record *r = &out[(*n)++];
		memset(r, 0, sizeof(*r));
		r->at = sqlite3_column_int64(s, 0);
		r->device_seq = sqlite3_column_int64(s, 2);
		if (store_column_text(s, 1, r->device_id, sizeof(r->device_id)) |
		    store_column_text(s, 3, r->actor, sizeof(r->actor)) |
		    store_column_text(s, 4, r->action, sizeof(r->action)) |
		    store_column_text(s, 5, r->target, sizeof(r->target)) |
		    store_column_text(s, 6, r->detail, sizeof(r->detail))) {
			status = STORE_E_INVALID;
			break;
		}
	}
	if (!status && rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

static int occupant_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	struct store_occupant *o = elem;
	char risk[16], day[16];
	(void)st, (void)ctx;
	o->arrival_id = sqlite3_column_int64(s, 1);
	if (store_column_text(s, 0, o->room, sizeof(o->room)) |
	        store_column_text(s, 2, risk, sizeof(risk)) |
	        store_column_text(s, 3, day, sizeof(day)) ||
	    !risk_parse(risk, &o->risk) || !day_parse(day, &o->planned_release))
		return STORE_E_INVALID;
	return 0;
}

int store_occupants_list(struct store *st, struct store_occupant **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT o.room, o.arrival_id, " CURRENT_RISK
	                                    ", c.planned_release FROM occupancy o JOIN checkins c "
	                                    "ON c.id = o.checkin_id WHERE o.until IS NULL ORDER BY "
	                                    "o.room, o.arrival_id");
	return store_read_list(st, s, sizeof(**out), occupant_row, NULL, NULL, (void **)out, n);
}

int store_checkin_set_release(struct store *st, int64_t arrival_id, hk_day day, int64_t at,
                              const char *actor, struct store_written *w)
{
	struct store_written scratch;
	char target[STORE_ID_MAX], text[11];
	if (!actor || !*actor || !store_fits(actor, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "a release change needs an actor");
	int status = store_begin(st);
	if (status)
		return status;
	sqlite3_stmt *s = store_prepare(st, "UPDATE checkins SET planned_release = ?2 WHERE "
	                                    "arrival_id = ?1 AND state = 'active'");
	if (!s) {
		status = STORE_E_SQL;
		goto out_rollback;
	}
	sqlite3_bind_int64(s, 1, arrival_id);
	store_bind_text(s, 2, day_format(day, text), false);
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status = store_failf(st, STORE_E_NOT_FOUND, "arrival %lld is not checked in",
		                     (long long)arrival_id);
	sqlite3_finalize(s);
	if (status)
		goto out_rollback;
	snprintf(target, sizeof(target), "arrival:%lld", (long long)arrival_id);
	status =
	    store_audit_append_own(st, actor, "set_release", target, text, at, w ? w : &scratch);
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
