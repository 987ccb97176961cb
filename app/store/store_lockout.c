/* app/store/store_lockout.c: a kiosk's staff PIN lockout (bad PINs in a row, when the lockout
 * ends on the wall clock) kept in the store, so a restart does not lift it (docs/security.md). */
#include "app/store/store_internal.h"

#include <string.h>

int store_pin_lockout_get(struct store *st, const char *scope, struct store_pin_lockout *out)
{
	memset(out, 0, sizeof(*out));
	if (!scope || !scope[0] || !store_fits(scope, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "pin lockout: bad scope");
	sqlite3_stmt *s = store_prepare(st, "SELECT bad, locked_until_ms, saved_at_ms FROM "
	                                    "pin_lockout WHERE scope = ?1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, scope, false);
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW) {
		int64_t bad = sqlite3_column_int64(s, 0);
		out->bad = bad > 1000000 ? 1000000 : (int)bad; /* CHECK keeps it >= 0 */
		out->locked_until_ms = sqlite3_column_int64(s, 1);
		out->saved_at_ms = sqlite3_column_int64(s, 2);
	} else if (rc != SQLITE_DONE) {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_pin_lockout_set(struct store *st, const char *scope, const struct store_pin_lockout *in)
{
	if (!scope || !scope[0] || !store_fits(scope, STORE_ID_MAX) || in->bad < 0 ||
	    in->locked_until_ms < 0 || in->saved_at_ms < 0)
		return store_failf(st, STORE_E_INVALID, "pin lockout: bad scope, count or time");
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO pin_lockout (scope, bad, locked_until_ms, saved_at_ms) "
	        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (scope) DO UPDATE SET bad = excluded.bad, "
	        "locked_until_ms = excluded.locked_until_ms, saved_at_ms = excluded.saved_at_ms");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, scope, false);
	sqlite3_bind_int64(s, 2, in->bad);
	sqlite3_bind_int64(s, 3, in->locked_until_ms);
	sqlite3_bind_int64(s, 4, in->saved_at_ms);
	int rc = sqlite3_step(s);
	int status = rc == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}
