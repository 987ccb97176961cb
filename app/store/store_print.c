/* app/store/store_print.c: the device's print-job queue (schema v2, life cycle v3): a
 * wristband or label to print survives a restart, is retried, and a failure or a job that
 * may have printed stays visible to staff. */
#include "app/store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const job_state_names[PRINT_STATE_COUNT] = {"queued", "printing",  "done",
                                                               "failed", "uncertain", "cancelled"};

const char *store_print_job_state_name(enum print_job_state s)
{
	return (unsigned)s < PRINT_STATE_COUNT ? job_state_names[s] : "?";
}

static bool job_state_parse(const char *name, enum print_job_state *out)
{
	for (int i = 0; i < PRINT_STATE_COUNT; i++) {
		if (strcmp(name, job_state_names[i]) == 0) {
			*out = (enum print_job_state)i;
			return true;
		}
	}
	return false;
}

static enum reason reason_parse(const char *code)
{
	for (int r = 0; r < REASON_COUNT; r++)
		if (strcmp(reason_code((enum reason)r), code) == 0)
			return (enum reason)r;
	return REASON_PRINTER_FAILED;
}

int store_print_job_add(struct store *st, const char *kind, const char *ref, const char *payload,
                        const char *printer, int64_t now, int64_t *id)
{
	if (!kind || !*kind || !store_fits(kind, 24) || !ref || !store_fits(ref, STORE_ID_MAX) ||
	    !payload || !printer || !store_fits(printer, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "print job field missing or too long");
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO print_jobs (kind, ref, payload, printer, "
	                                    "created_at, queued_at, updated_at) VALUES (?1, ?2, "
	                                    "?3, ?4, ?5, ?5, ?5)");
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

#define JOB_COLUMNS                                                                                \
	"SELECT id, kind, ref, payload, state, attempts, printer, error, reason, created_at, "     \
	"queued_at, updated_at FROM print_jobs "

static int job_from_row(sqlite3_stmt *s, struct print_job *out)
{
	char state[16], reason[40];
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(s, 0);
	int status = store_column_text(s, 1, out->kind, sizeof(out->kind)) |
	             store_column_text(s, 2, out->ref, sizeof(out->ref)) |
	             store_column_text(s, 4, state, sizeof(state)) |
	             store_column_text(s, 6, out->printer, sizeof(out->printer)) |
	             store_column_text(s, 7, out->error, sizeof(out->error)) |
	             store_column_text(s, 8, reason, sizeof(reason));
	status = status ? STORE_E_INVALID : 0;
	if (!job_state_parse(state, &out->state))
		status = STORE_E_INVALID;
	out->reason = *reason ? reason_parse(reason) : REASON_OK;
	out->attempts = sqlite3_column_int(s, 5);
	out->created_at = sqlite3_column_int64(s, 9);
	out->queued_at = sqlite3_column_int64(s, 10);
	out->updated_at = sqlite3_column_int64(s, 11);
	const char *payload = (const char *)sqlite3_column_text(s, 3);
	out->payload = strdup(payload ? payload : "");
	if (!out->payload)
		status = STORE_E_NOMEM;
	return status;
}

/* One job selected by a prepared statement already bound; finalizes it. */
static int job_one(struct store *st, sqlite3_stmt *s, struct print_job *out, const char *what)
{
	int rc = sqlite3_step(s), status;
	memset(out, 0, sizeof(*out));
	if (rc == SQLITE_ROW)
		status = job_from_row(s, out);
	else if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "no %s print job", what);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_print_job_next(struct store *st, struct print_job *out)
{
	sqlite3_stmt *s =
	    store_prepare(st, JOB_COLUMNS "WHERE state = 'queued' ORDER BY id LIMIT 1");
	if (!s)
		return STORE_E_SQL;
	return job_one(st, s, out, "queued");
}

int store_print_job_get(struct store *st, int64_t id, struct print_job *out)
{
	sqlite3_stmt *s = store_prepare(st, JOB_COLUMNS "WHERE id = ?1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, id);
	return job_one(st, s, out, "such");
}

int store_print_job_set_state(struct store *st, int64_t id, enum print_job_state state,
                              const char *error, int64_t now)
{
	if ((unsigned)state >= PRINT_STATE_COUNT || (error && !store_fits(error, STORE_TEXT_MAX)))
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

int store_print_job_move(struct store *st, int64_t id, enum print_job_state from,
                         enum print_job_state to, enum reason reason, const char *error,
                         const char *printer, int64_t now)
{
	if ((unsigned)from >= PRINT_STATE_COUNT || (unsigned)to >= PRINT_STATE_COUNT ||
	    (unsigned)reason >= REASON_COUNT || (error && !store_fits(error, STORE_TEXT_MAX)) ||
	    (printer && !store_fits(printer, STORE_ID_MAX)))
		return store_failf(st, STORE_E_INVALID, "print job move out of range");
	sqlite3_stmt *s = store_prepare(
	    st, "UPDATE print_jobs SET state = ?3, reason = ?4, error = ?5, "
	        "printer = coalesce(?6, printer), updated_at = ?7, "
	        "attempts = CASE WHEN ?3 = 'printing' THEN attempts + 1 "
	        "WHEN ?3 = 'queued' AND ?2 IN ('failed', 'uncertain') THEN 0 ELSE attempts END, "
	        "queued_at = CASE WHEN ?3 = 'queued' AND ?2 IN ('failed', 'uncertain') THEN ?7 "
	        "ELSE queued_at END WHERE id = ?1 AND state = ?2");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, job_state_names[from], false);
	store_bind_text(s, 3, job_state_names[to], false);
	store_bind_text(s, 4, reason == REASON_OK ? "" : reason_code(reason), false);
	store_bind_text(s, 5, error ? error : "", false);
	if (printer)
		store_bind_text(s, 6, printer, false);
	else
		sqlite3_bind_null(s, 6);
	sqlite3_bind_int64(s, 7, now);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status = store_failf(st, STORE_E_NOT_FOUND, "no %s print job %lld",
		                     job_state_names[from], (long long)id);
	sqlite3_finalize(s);
	return status;
}

int store_print_job_set_printer(struct store *st, int64_t id, const char *printer, int64_t now)
{
	if (!printer || !store_fits(printer, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "printer name missing or too long");
	sqlite3_stmt *s = store_prepare(st, "UPDATE print_jobs SET printer = ?2, updated_at = ?3 "
	                                    "WHERE id = ?1 AND state = 'queued'");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, printer, false);
	sqlite3_bind_int64(s, 3, now);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status =
		    store_failf(st, STORE_E_NOT_FOUND, "no queued print job %lld", (long long)id);
	sqlite3_finalize(s);
	return status;
}

int store_print_jobs_recover(struct store *st, enum reason reason, const char *error, int64_t now,
                             size_t *n)
{
	if ((unsigned)reason >= REASON_COUNT || (error && !store_fits(error, STORE_TEXT_MAX)))
		return store_failf(st, STORE_E_INVALID, "recover reason or error out of range");
	sqlite3_stmt *s = store_prepare(st, "UPDATE print_jobs SET state = 'uncertain', reason = "
	                                    "?1, error = ?2, updated_at = ?3 WHERE state = "
	                                    "'printing'");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, reason == REASON_OK ? "" : reason_code(reason), false);
	store_bind_text(s, 2, error ? error : "", false);
	sqlite3_bind_int64(s, 3, now);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (n)
		*n = (size_t)sqlite3_changes(st->db);
	sqlite3_finalize(s);
	return status;
}

static int job_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	struct print_job *job = elem;
	const unsigned *state_mask = ctx;
	(void)st;
	int status = job_from_row(s, job);
	if (status || (*state_mask & (1u << job->state)))
		return status;
	free(job->payload);
	return STORE_ROW_SKIP;
}

static void job_drop(void *elem)
{
	free(((struct print_job *)elem)->payload);
}

int store_print_jobs_list(struct store *st, unsigned state_mask, struct print_job **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(
	    st, JOB_COLUMNS "WHERE (?1 >> CASE state WHEN 'queued' THEN 0 WHEN 'printing' THEN 1 "
	                    "WHEN 'done' THEN 2 WHEN 'failed' THEN 3 WHEN 'uncertain' THEN 4 "
	                    "ELSE 5 END) & 1 ORDER BY id");
	if (s)
		sqlite3_bind_int64(s, 1, (int64_t)state_mask);
	return store_read_list(st, s, sizeof(**out), job_row, &state_mask, job_drop, (void **)out,
	                       n);
}

void store_print_jobs_free(struct print_job *jobs, size_t n)
{
	for (size_t i = 0; jobs && i < n; i++)
		free(jobs[i].payload);
	free(jobs);
}

int store_print_job_decide(struct store *st, int64_t id, enum print_job_state to, const char *actor,
                           int64_t now, struct store_written *w)
{
	struct store_written scratch;
	struct print_job job = {0};
	char target[STORE_ID_MAX], detail[STORE_TEXT_MAX];
	if ((to != PRINT_QUEUED && to != PRINT_CANCELLED) || !actor || !*actor ||
	    !store_fits(actor, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID,
		                   "a decision is retry or cancel, by a badge");
	int status = store_begin(st);
	if (status)
		return status;
	status = store_print_job_get(st, id, &job);
	if (status)
		goto out_rollback;
	bool allowed = job.state == PRINT_FAILED || job.state == PRINT_UNCERTAIN ||
	               (to == PRINT_CANCELLED && job.state == PRINT_QUEUED);
	if (!allowed) {
		status = store_failf(st, STORE_E_NOT_FOUND, "print job %lld is %s", (long long)id,
		                     job_state_names[job.state]);
		goto out_rollback;
	}
	status =
	    store_print_job_move(st, id, job.state, to, REASON_OK,
	                         to == PRINT_CANCELLED ? "cancelled by staff" : NULL, NULL, now);
	if (status)
		goto out_rollback;
	snprintf(target, sizeof(target), "job:%lld", (long long)id);
	snprintf(detail, sizeof(detail), "%s %.*s was %s", job.kind, STORE_ID_MAX - 1, job.ref,
	         job_state_names[job.state]);
	status =
	    store_audit_append_own(st, actor, to == PRINT_QUEUED ? "print_retry" : "print_cancel",
	                           target, detail, now, w ? w : &scratch);
	if (status)
		goto out_rollback;
	status = store_commit(st);
	if (status)
		goto out_rollback;
	free(job.payload);
	return 0;
out_rollback:
	store_rollback(st);
	free(job.payload);
	return status;
}
