/* app/store/store_print.c: the device's print-job queue (schema v2): a wristband or label to
 * print survives a restart, is retried, and a failure stays visible to staff. */
#include "app/store/store_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const job_state_names[] = {"queued", "printing", "done", "failed"};

int store_print_job_add(struct store *st, const char *kind, const char *ref, const char *payload,
                        const char *printer, int64_t now, int64_t *id)
{
	if (!kind || !*kind || !store_fits(kind, 24) || !ref || !store_fits(ref, STORE_ID_MAX) ||
	    !payload || !printer || !store_fits(printer, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "print job field missing or too long");
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO print_jobs (kind, ref, payload, printer, "
	                                    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
	                                    "?5)");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, kind, false);
	store_bind_text(s, 2, ref, false);
	store_bind_text(s, 3, payload, false);
	store_bind_text(s, 4, printer, false);
	sqlite3_bind_int64(s, 5, now);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return status;
}

int store_print_job_next(struct store *st, struct print_job *out)
{
	sqlite3_stmt *s =
	    store_prepare(st, "SELECT id, kind, ref, payload, state, attempts, "
	                      "printer, error, created_at, updated_at FROM "
	                      "print_jobs WHERE state = 'queued' ORDER BY id LIMIT 1");
	if (!s)
		return STORE_E_SQL;
	int rc = sqlite3_step(s), status = 0;
	memset(out, 0, sizeof(*out));
	if (rc == SQLITE_ROW) {
		char state[16];
		out->id = sqlite3_column_int64(s, 0);
		status = store_column_text(s, 1, out->kind, sizeof(out->kind)) |
		         store_column_text(s, 2, out->ref, sizeof(out->ref)) |
		         store_column_text(s, 4, state, sizeof(state)) |
		         store_column_text(s, 6, out->printer, sizeof(out->printer)) |
		         store_column_text(s, 7, out->error, sizeof(out->error));
		status = status ? STORE_E_INVALID : 0;
		out->state = PRINT_QUEUED;
		out->attempts = sqlite3_column_int(s, 5);
		out->created_at = sqlite3_column_int64(s, 8);
		out->updated_at = sqlite3_column_int64(s, 9);
		const char *payload = (const char *)sqlite3_column_text(s, 3);
		out->payload = strdup(payload ? payload : "");
		if (!out->payload)
			status = STORE_E_NOMEM;
	} else if (rc == SQLITE_DONE) {
		status = store_failf(st, STORE_E_NOT_FOUND, "no queued print job");
	} else {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_print_job_set_state(struct store *st, int64_t id, enum print_job_state state,
                              const char *error, int64_t now)
{
	if ((unsigned)state > PRINT_FAILED || (error && !store_fits(error, STORE_TEXT_MAX)))
		return store_failf(st, STORE_E_INVALID, "print job state or error out of range");
	sqlite3_stmt *s =
	    store_prepare(st, "UPDATE print_jobs SET state = ?2, error = ?3, updated_at = ?4, "
	                      "attempts = attempts + (?2 = 'printing') WHERE id = ?1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, job_state_names[state], false);
	store_bind_text(s, 3, error ? error : "", false);
	sqlite3_bind_int64(s, 4, now);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status = store_failf(st, STORE_E_NOT_FOUND, "no print job %lld", (long long)id);
	sqlite3_finalize(s);
	return status;
}
