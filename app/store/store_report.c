/* app/store/store_report.c: figures for reports over a time range (who was in the house,
 * intakes, departures, scans) and the export of any store table, row by row. */
#include "app/store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int stay_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	struct store_stay *y = elem;
	char cat[32], day[16], risk[16];
	(void)st, (void)ctx;
	y->arrival_id = sqlite3_column_int64(s, 0);
	y->checked_in_at = sqlite3_column_int64(s, 1);
	y->onsite_days = sqlite3_column_int(s, 4);
	y->home_days = sqlite3_column_int(s, 5);
	if (store_column_text(s, 2, y->room, sizeof(y->room)) |
	        store_column_text(s, 3, cat, sizeof(cat)) |
	        store_column_text(s, 6, day, sizeof(day)) |
	        store_column_text(s, 7, risk, sizeof(risk)) ||
	    !category_parse(cat, &y->category) || !day_parse(day, &y->planned_release) ||
	    !risk_parse(risk, &y->risk))
		return STORE_E_INVALID;
	return 0;
}

int store_stays_at(struct store *st, int64_t t, struct store_stay **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(
	    st,
	    "SELECT o.arrival_id, c.at, o.room, a.category, a.onsite_days, a.home_days, "
	    "c.planned_release, COALESCE((SELECT rc.risk FROM risk_changes rc WHERE "
	    "rc.arrival_id = o.arrival_id AND rc.at >= c.at AND rc.at < ?1 ORDER BY rc.at DESC, "
	    "rc.id DESC LIMIT 1), c.risk) FROM occupancy o JOIN checkins c ON c.id = "
	    "o.checkin_id JOIN arrivals a ON a.id = o.arrival_id WHERE o.since < ?1 AND "
	    "(o.until IS NULL OR o.until >= ?1) ORDER BY o.arrival_id");
	if (s)
		sqlite3_bind_int64(s, 1, t);
	return store_read_list(st, s, sizeof(**out), stay_row, NULL, NULL, (void **)out, n);
}

/* A check-in's total time; every row counted in *ctx, those without a time left out. */
static int intake_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	(void)st;
	(*(size_t *)ctx)++;
	if (sqlite3_column_type(s, 0) == SQLITE_NULL || sqlite3_column_int(s, 0) < 0)
		return STORE_ROW_SKIP;
	*(int32_t *)elem = sqlite3_column_int(s, 0);
	return 0;
}

int store_intakes_between(struct store *st, int64_t from, int64_t to, size_t *count, int32_t **ms,
                          size_t *n_ms)
{
	*count = 0;
	sqlite3_stmt *s = store_prepare(st, "SELECT total_ms FROM checkins WHERE at >= ?1 AND at < "
	                                    "?2 ORDER BY total_ms IS NULL, total_ms");
	if (s) {
		sqlite3_bind_int64(s, 1, from);
		sqlite3_bind_int64(s, 2, to);
	}
	int status =
	    store_read_list(st, s, sizeof(**ms), intake_row, count, NULL, (void **)ms, n_ms);
	if (status)
		*count = 0;
	return status;
}

/* Two counts from one statement of two columns bound to ?1 from, ?2 to. */
static int count2(struct store *st, const char *sql, int64_t from, int64_t to, size_t *a, size_t *b)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	int status = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*a = (size_t)sqlite3_column_int64(s, 0);
		*b = (size_t)sqlite3_column_int64(s, 1);
	} else {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_departures_between(struct store *st, int64_t from, int64_t to, size_t *released,
                             size_t *transferred)
{
	return count2(
	    st,
	    "SELECT COALESCE(SUM(c.outcome IS NOT 'transferred'), 0), "
	    "COALESCE(SUM(c.outcome = 'transferred'), 0) FROM occupancy o JOIN checkins c "
	    "ON c.id = o.checkin_id WHERE c.state = 'released' AND o.until >= ?1 AND "
	    "o.until < ?2",
	    from, to, released, transferred);
}

int store_scans_between(struct store *st, int64_t from, int64_t to, size_t *all, size_t *flagged)
{
	return count2(
	    st,
	    "SELECT COUNT(*), COALESCE(SUM(colour IN ('amber', 'red') OR (colour = '' AND "
	    "result <> 'OK')), 0) FROM scans WHERE at >= ?1 AND at < ?2",
	    from, to, all, flagged);
}

int store_table_each(struct store *st, const char *table,
                     int (*fn)(bool is_header, int ncols, const char *const *values, void *ctx),
                     void *ctx)
{
	char sql[160];
	const char **values = NULL;
	bool known = false;
	sqlite3_stmt *s = store_prepare(st, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND "
	                                    "name = ?1 AND name NOT LIKE 'sqlite%'");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, table ? table : "", false);
	known = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (!known || strchr(table, '"') || strlen(table) > 64)
		return store_failf(st, STORE_E_NOT_FOUND, "no table %s in the store",
		                   table ? table : "");
	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY rowid", table);
	if (!(s = store_prepare(st, sql)))
		return STORE_E_SQL;
	int ncols = sqlite3_column_count(s), rc, status;
	values = calloc((size_t)ncols + 1, sizeof(*values));
	if (!values) {
		status = STORE_E_NOMEM;
		goto out_finalize;
	}
	for (int i = 0; i < ncols; i++)
		values[i] = sqlite3_column_name(s, i);
	if ((status = fn(true, ncols, values, ctx)) != 0)
		goto out_finalize;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++)
			values[i] = (const char *)sqlite3_column_text(s, i);
		if ((status = fn(false, ncols, values, ctx)) != 0)
			goto out_finalize;
	}
	if (rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
out_finalize:
	free(values);
	sqlite3_finalize(s);
	return status;
}
