/* app/store/store_outbox.c: the outbox: every record this store must pass on, in the order
 * it was written, keyed by (device_id, device_seq) so that passing it twice is harmless. */
#include "app/store/store_internal.h"

#include <stdlib.h>
#include <string.h>

int store_outbox_add(struct store *st, const char *device_id, int64_t device_seq, const char *kind,
                     const char *payload, int64_t created_at)
{
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO outbox (device_id, device_seq, kind, payload, created_at) "
	        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device_id, device_seq) DO NOTHING");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, device_id, false);
	sqlite3_bind_int64(s, 2, device_seq);
	store_bind_text(s, 3, kind, false);
	store_bind_text(s, 4, payload, false);
	sqlite3_bind_int64(s, 5, created_at);
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

void store_outbox_free(struct outbox_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		free(items[i].payload);
	free(items);
}

static int outbox_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	struct outbox_item *it = elem;
	(void)ctx;
	it->id = sqlite3_column_int64(s, 0);
	it->device_seq = sqlite3_column_int64(s, 2);
	it->created_at = sqlite3_column_int64(s, 5);
	const char *payload = (const char *)sqlite3_column_text(s, 4);
	it->payload = strdup(payload ? payload : "{}");
	if (!it->payload)
		return STORE_E_NOMEM;
	if (store_column_text(s, 1, it->device_id, sizeof(it->device_id)) ||
	    store_column_text(s, 3, it->kind, sizeof(it->kind)))
		return store_failf(st, STORE_E_INVALID, "outbox row %lld too long",
		                   (long long)it->id);
	return 0;
}

static void outbox_drop(void *elem)
{
	free(((struct outbox_item *)elem)->payload);
}

int store_outbox_pending(struct store *st, size_t max, struct outbox_item **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	sqlite3_stmt *s = store_prepare(st, "SELECT id, device_id, device_seq, kind, payload, "
	                                    "created_at FROM outbox WHERE sent_at IS NULL "
	                                    "ORDER BY id LIMIT ?1");
	if (s)
		sqlite3_bind_int64(s, 1, (sqlite3_int64)(max > INT64_MAX ? INT64_MAX : max));
	return store_read_list(st, s, sizeof(**items), outbox_row, NULL, outbox_drop,
	                       (void **)items, n);
}

int store_outbox_mark_sent(struct store *st, const char *device_id, int64_t through_seq,
                           int64_t now)
{
	struct store_identity id;
	if (!device_id || !store_fits(device_id, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "device id too long");
	if (!*device_id) {
		int status = store_identity_get(st, &id);
		if (status)
			return status;
		device_id = id.device_id;
	}
	sqlite3_stmt *s = store_prepare(st, "UPDATE outbox SET sent_at = ?3 WHERE device_id = ?1 "
	                                    "AND device_seq <= ?2 AND sent_at IS NULL");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, device_id, false);
	sqlite3_bind_int64(s, 2, through_seq);
	sqlite3_bind_int64(s, 3, now);
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_outbox_count(struct store *st, size_t *pending)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
	if (!s)
		return STORE_E_SQL;
	int status = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		*pending = (size_t)sqlite3_column_int64(s, 0);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

/* The tables whose own rows carry a device_seq (the outbox and checkins_waiting separately). */
static const char *const renumber_sql[] = {
    "UPDATE checkins SET device_seq = ?3 WHERE device_id = ?1 AND device_seq = ?2",
    "UPDATE wristbands SET device_seq = ?3 WHERE device_id = ?1 AND device_seq = ?2",
    "UPDATE risk_changes SET device_seq = ?3 WHERE device_id = ?1 AND device_seq = ?2",
    "UPDATE scans SET device_seq = ?3 WHERE device_id = ?1 AND device_seq = ?2",
    "UPDATE audit_log SET device_seq = ?3 WHERE device_id = ?1 AND device_seq = ?2",
    "UPDATE checkins_waiting SET device_seq = ?3 WHERE device_seq = ?2 AND ?1 IS NOT NULL",
    "UPDATE outbox SET device_seq = ?3, payload = CASE WHEN json_type(payload, "
    "'$.device_seq') IS NULL THEN payload ELSE json_set(payload, '$.device_seq', ?3) END "
    "WHERE device_id = ?1 AND device_seq = ?2",
};
#define RENUMBER_STMTS (sizeof(renumber_sql) / sizeof(renumber_sql[0]))

/* Mark the own undelivered rows of held[] sent; collect the other undelivered own seqs in
 * outbox order into *seqs (malloc'd). Inside the caller's transaction. */
static int renumber_collect(struct store *st, const char *dev, const int64_t *held, size_t n_held,
                            int64_t now, int64_t **seqs, size_t *n)
{
	int status = 0, rc;
	size_t cap = 0;
	*seqs = NULL;
	*n = 0;
	sqlite3_stmt *s = store_prepare(st, "UPDATE outbox SET sent_at = ?3 WHERE device_id = ?1 "
	                                    "AND device_seq = ?2 AND sent_at IS NULL");
	if (!s)
		return STORE_E_SQL;
	for (size_t i = 0; i < n_held && !status; i++) {
		sqlite3_reset(s);
		store_bind_text(s, 1, dev, false);
		sqlite3_bind_int64(s, 2, held[i]);
		sqlite3_bind_int64(s, 3, now);
		if (sqlite3_step(s) != SQLITE_DONE)
			status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	if (status)
		return status;
	s = store_prepare(st, "SELECT device_seq FROM outbox WHERE device_id = ?1 AND sent_at IS "
	                      "NULL ORDER BY id");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, dev, false);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			int64_t *grown = realloc(*seqs, (cap ? cap * 2 : 64) * sizeof(**seqs));
			if (!grown) {
				status = store_failf(st, STORE_E_NOMEM, "out of memory");
				goto out_free;
			}
			*seqs = grown;
			cap = cap ? cap * 2 : 64;
		}
		(*seqs)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
out_free:
	sqlite3_finalize(s);
	if (status) {
		free(*seqs);
		*seqs = NULL;
		*n = 0;
	}
	return status;
}

int store_outbox_renumber(struct store *st, const int64_t *held, size_t n_held, int64_t after_seq,
                          int64_t now, struct store_renumbered *out)
{
	struct store_identity id;
	sqlite3_stmt *s[RENUMBER_STMTS] = {NULL};
	int64_t *seqs = NULL;
	size_t n = 0;
	memset(out, 0, sizeof(*out));
	if (after_seq < 0)
		return store_failf(st, STORE_E_INVALID, "negative sequence");
	int status = store_begin(st);
	if (status)
		return status;
	if ((status = store_identity_get(st, &id)))
		goto out_rollback;
	if (!*id.device_id) {
		status = store_failf(st, STORE_E_NO_IDENTITY, "this store has no device id yet");
		goto out_rollback;
	}
	if ((status = renumber_collect(st, id.device_id, held, n_held, now, &seqs, &n)))
		goto out_rollback;
	/* Past every seq this store has used, so no new number meets an old row. */
	int64_t base = after_seq > id.next_device_seq - 1 ? after_seq : id.next_device_seq - 1;
	for (size_t k = 0; k < RENUMBER_STMTS; k++) {
		if (!(s[k] = store_prepare(st, renumber_sql[k]))) {
			status = STORE_E_SQL;
			goto out_rollback;
		}
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < RENUMBER_STMTS; k++) {
			sqlite3_reset(s[k]);
			store_bind_text(s[k], 1, id.device_id, false);
			sqlite3_bind_int64(s[k], 2, seqs[i]);
			sqlite3_bind_int64(s[k], 3, base + 1 + (int64_t)i);
			if (sqlite3_step(s[k]) != SQLITE_DONE) {
				status = store_fail(st, sqlite3_extended_errcode(st->db));
				goto out_rollback;
			}
		}
	}
	if (n) {
		sqlite3_stmt *next =
		    store_prepare(st, "UPDATE meta SET next_device_seq = ?1 WHERE id = 1");
		if (!next) {
			status = STORE_E_SQL;
			goto out_rollback;
		}
		sqlite3_bind_int64(next, 1, base + (int64_t)n + 1);
		status = sqlite3_step(next) == SQLITE_DONE
		             ? 0
		             : store_fail(st, sqlite3_extended_errcode(st->db));
		sqlite3_finalize(next);
		if (status)
			goto out_rollback;
	}
	if ((status = store_commit(st)))
		goto out_rollback;
	out->renumbered = n;
	out->first_seq = n ? base + 1 : 0;
	out->old_first_seq = n ? seqs[0] : 0;
	for (size_t k = 0; k < RENUMBER_STMTS; k++)
		sqlite3_finalize(s[k]);
	free(seqs);
	return 0;
out_rollback:
	store_rollback(st);
	for (size_t k = 0; k < RENUMBER_STMTS; k++)
		sqlite3_finalize(s[k]);
	free(seqs);
	return status;
}
