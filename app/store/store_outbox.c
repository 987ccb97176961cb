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

int store_outbox_pending(struct store *st, size_t max, struct outbox_item **items, size_t *n)
{
	struct outbox_item *list = NULL;
	size_t count = 0;
	int rc, status = 0;
	*items = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	sqlite3_stmt *s = store_prepare(st, "SELECT id, device_id, device_seq, kind, payload, "
	                                    "created_at FROM outbox WHERE sent_at IS NULL "
	                                    "ORDER BY id LIMIT ?1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)(max > INT64_MAX ? INT64_MAX : max));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (count % 32 == 0) {
			struct outbox_item *grown = realloc(list, (count + 32) * sizeof(*list));
			if (!grown) {
				status = STORE_E_NOMEM;
				goto out_free;
			}
			list = grown;
		}
		struct outbox_item *it = &list[count];
		memset(it, 0, sizeof(*it));
		count++;
		it->id = sqlite3_column_int64(s, 0);
		it->device_seq = sqlite3_column_int64(s, 2);
		it->created_at = sqlite3_column_int64(s, 5);
		const char *payload = (const char *)sqlite3_column_text(s, 4);
		it->payload = strdup(payload ? payload : "{}");
		if (!it->payload) {
			status = STORE_E_NOMEM;
			goto out_free;
		}
		if (store_column_text(s, 1, it->device_id, sizeof(it->device_id)) ||
		    store_column_text(s, 3, it->kind, sizeof(it->kind))) {
			status = store_failf(st, STORE_E_INVALID, "outbox row %lld too long",
			                     (long long)it->id);
			goto out_free;
		}
	}
	if (rc != SQLITE_DONE) {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
		goto out_free;
	}
	sqlite3_finalize(s);
	*items = list;
	*n = count;
	return 0;
out_free:
	store_outbox_free(list, count);
	sqlite3_finalize(s);
	return status;
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
