/* app/store/store_arrivals.c: the expected-arrivals manifest rows: insert, look up by id,
 * by health-code subject and by family group. */
#include "app/store/store_internal.h"

#include <stdlib.h>
#include <string.h>

int store_arrival_from_row(sqlite3_stmt *s, int first, struct arrival_record *a)
{
	char cat[32], day[16];
	int i = first;
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, i);
	int bad = store_column_text(s, i + 1, a->batch, sizeof(a->batch)) |
	          store_column_text(s, i + 2, a->name, sizeof(a->name)) |
	          store_column_text(s, i + 3, a->doc_type, sizeof(a->doc_type)) |
	          store_column_text(s, i + 4, a->doc_number, sizeof(a->doc_number)) |
	          store_column_text(s, i + 5, a->nationality, sizeof(a->nationality)) |
	          store_column_text(s, i + 6, a->phone, sizeof(a->phone)) |
	          store_column_text(s, i + 7, cat, sizeof(cat)) |
	          store_column_text(s, i + 10, a->group_id, sizeof(a->group_id)) |
	          store_column_text(s, i + 14, a->dietary, sizeof(a->dietary)) |
	          store_column_text(s, i + 15, a->notes, sizeof(a->notes)) |
	          store_column_text(s, i + 16, day, sizeof(day)) |
	          store_column_text(s, i + 17, a->subject_id, sizeof(a->subject_id));
	a->onsite_days = sqlite3_column_int(s, i + 8);
	a->home_days = sqlite3_column_int(s, i + 9);
	a->elderly = sqlite3_column_int(s, i + 11) != 0;
	a->child = sqlite3_column_int(s, i + 12) != 0;
	a->pregnant = sqlite3_column_int(s, i + 13) != 0;
	if (bad || !category_parse(cat, &a->category) || !day_parse(day, &a->expected_day))
		return STORE_E_INVALID;
	return 0;
}

int store_arrival_add(struct store *st, struct arrival_record *a)
{
	if (!store_fits(a->batch, sizeof(a->batch)) || !store_fits(a->name, sizeof(a->name)) ||
	    !store_fits(a->doc_type, sizeof(a->doc_type)) ||
	    !store_fits(a->doc_number, sizeof(a->doc_number)) ||
	    !store_fits(a->nationality, sizeof(a->nationality)) ||
	    !store_fits(a->phone, sizeof(a->phone)) ||
	    !store_fits(a->group_id, sizeof(a->group_id)) ||
	    !store_fits(a->dietary, sizeof(a->dietary)) ||
	    !store_fits(a->notes, sizeof(a->notes)) ||
	    !store_fits(a->subject_id, sizeof(a->subject_id)) ||
	    (unsigned)a->category >= CATEGORY_COUNT)
		return store_failf(st, STORE_E_INVALID, "arrival field too long or out of range");
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO arrivals (" STORE_ARRIVAL_COLUMNS
	                                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	                                    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
	if (!s)
		return STORE_E_SQL;
	char day[11];
	if (a->id)
		sqlite3_bind_int64(s, 1, a->id);
	else
		sqlite3_bind_null(s, 1);
	store_bind_text(s, 2, a->batch, false);
	store_bind_text(s, 3, a->name, false);
	store_bind_text(s, 4, a->doc_type, false);
	store_bind_text(s, 5, a->doc_number, false);
	store_bind_text(s, 6, a->nationality, false);
	store_bind_text(s, 7, a->phone, false);
	store_bind_text(s, 8, category_name(a->category), false);
	sqlite3_bind_int(s, 9, a->onsite_days);
	sqlite3_bind_int(s, 10, a->home_days);
	store_bind_text(s, 11, a->group_id, false);
	sqlite3_bind_int(s, 12, a->elderly);
	sqlite3_bind_int(s, 13, a->child);
	sqlite3_bind_int(s, 14, a->pregnant);
	store_bind_text(s, 15, a->dietary, false);
	store_bind_text(s, 16, a->notes, false);
	store_bind_text(s, 17, day_format(a->expected_day, day), false);
	store_bind_text(s, 18, a->subject_id, true);
	int rc = sqlite3_step(s);
	int status = 0;
	if (rc == SQLITE_DONE)
		a->id = sqlite3_last_insert_rowid(st->db);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

/* Run s (already bound) and read its first row into *out. */
static int arrival_query_one(struct store *st, sqlite3_stmt *s, struct arrival_record *out)
{
	int rc = sqlite3_step(s);
	int status;
	if (rc == SQLITE_ROW)
		status = store_arrival_from_row(s, 0, out);
	else if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "no such arrival");
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_arrival_get(struct store *st, int64_t id, struct arrival_record *out)
{
	sqlite3_stmt *s =
	    store_prepare(st, "SELECT " STORE_ARRIVAL_COLUMNS " FROM arrivals WHERE id = ?1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, id);
	return arrival_query_one(st, s, out);
}

int store_arrival_find_subject(struct store *st, const char *subject_id, struct arrival_record *out)
{
	if (!subject_id || !*subject_id)
		return store_failf(st, STORE_E_INVALID, "empty subject id");
	sqlite3_stmt *s = store_prepare(st, "SELECT " STORE_ARRIVAL_COLUMNS " FROM arrivals "
	                                    "WHERE subject_id = ?1 "
	                                    "ORDER BY expected_day DESC, id DESC LIMIT 1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, subject_id, false);
	return arrival_query_one(st, s, out);
}

int store_arrival_set_subject(struct store *st, int64_t id, const char *subject_id)
{
	if (!store_fits(subject_id, ARRIVAL_SUBJECT_MAX))
		return store_failf(st, STORE_E_INVALID, "subject id too long");
	sqlite3_stmt *s = store_prepare(st, "UPDATE arrivals SET subject_id = ?2 WHERE id = ?1");
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, subject_id, true);
	int rc = sqlite3_step(s);
	int status = 0;
	if (rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status = store_failf(st, STORE_E_NOT_FOUND, "no arrival %lld", (long long)id);
	sqlite3_finalize(s);
	return status;
}

int store_arrivals_set_subjects(struct store *st, const int64_t *ids,
                                const char *const *subject_ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!store_fits(subject_ids[i], ARRIVAL_SUBJECT_MAX))
			return store_failf(st, STORE_E_INVALID, "subject id too long");
	int status = store_begin(st);
	if (status)
		return status;
	for (size_t i = 0; i < n && !status; i++)
		status = store_arrival_set_subject(st, ids[i], subject_ids[i]);
	if (status) {
		store_rollback(st);
		return status;
	}
	return store_commit(st);
}

static int arrival_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	(void)st, (void)ctx;
	return store_arrival_from_row(s, 0, elem);
}

int store_arrivals_in_group(struct store *st, const char *group_id, struct arrival_record **out,
                            size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!group_id || !*group_id)
		return 0;
	sqlite3_stmt *s = store_prepare(st, "SELECT " STORE_ARRIVAL_COLUMNS
	                                    " FROM arrivals WHERE group_id = ?1 ORDER BY id");
	if (s)
		store_bind_text(s, 1, group_id, false);
	return store_read_list(st, s, sizeof(**out), arrival_row, NULL, NULL, (void **)out, n);
}

int store_arrivals_count(struct store *st, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM arrivals");
	if (!s)
		return STORE_E_SQL;
	int status = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(s, 0);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_arrivals_each(struct store *st, int (*fn)(const struct arrival_record *a, void *ctx),
                        void *ctx)
{
	sqlite3_stmt *s =
	    store_prepare(st, "SELECT " STORE_ARRIVAL_COLUMNS " FROM arrivals ORDER BY id");
	if (!s)
		return STORE_E_SQL;
	struct arrival_record a;
	int rc, status = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		status = store_arrival_from_row(s, 0, &a);
		if (!status)
			status = fn(&a, ctx);
		if (status)
			goto out;
	}
	if (rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
out:
	sqlite3_finalize(s);
	return status;
}
