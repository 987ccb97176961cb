/* tests/unit/test_store.c: the station store on real SQLite files in a fresh temporary
 * folder: reopen, migration from schema v1, refusal of a newer schema and of a foreign
 * file, a corrupt file moved aside (never overwritten), the check-in transaction's
 * all-or-nothing refusals, outbox order and (device, seq) idempotency, manifest import,
 * and values that would break SQL built by string formatting. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <ftw.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/store/store.h"
#include "app/store/store_internal.h"

#define T0 1796000000 /* 2026-11-30 00:53 UTC: check-in times */

struct fx {
	char dir[64];
	char path[128];
};

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-store-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/station.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* An integer from a constant query on a separate connection to the file. */
static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static struct store *open_ok(const char *path)
{
	struct store_error err;
	struct store *st = store_open(path, &err);
	if (!st)
		fail_msg("store_open: %s", err.message);
	return st;
}

static struct store *make_store(const char *path)
{
	struct store *st = open_ok(path);
	assert_int_equal(store_identity_set(st, "st-1", "kiosk-1"), 0);
	return st;
}

static int64_t add_arrival(struct store *st, const char *name, int n, const char *group)
{
	struct arrival_record a = {0};
	snprintf(a.batch, sizeof(a.batch), "CA908");
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.doc_type, sizeof(a.doc_type), "passport");
	snprintf(a.doc_number, sizeof(a.doc_number), "E%07d", n);
	snprintf(a.group_id, sizeof(a.group_id), "%s", group);
	a.category = CATEGORY_INBOUND;
	a.onsite_days = 14;
	a.home_days = 7;
	a.expected_day = day_from_ymd(2026, 11, 29);
	assert_int_equal(store_arrival_add(st, &a), 0);
	assert_true(a.id > 0);
	return a.id;
}

static int rooms_add(struct store *st, const char *const *numbers, size_t n, int floor, int cap,
                     size_t *dup)
{
	struct room_spec specs[8];
	assert_true(n <= 8);
	for (size_t i = 0; i < n; i++) {
		snprintf(specs[i].number, sizeof(specs[i].number), "%s", numbers[i]);
		specs[i].floor = floor;
		specs[i].capacity = cap;
	}
	return store_rooms_add(st, specs, n, dup);
}

static void add_rooms(struct store *st, const char *const *rooms, size_t n, int cap)
{
	assert_int_equal(rooms_add(st, rooms, n, 12, cap, NULL), 0);
}

static struct checkin_record rec_for(int64_t arrival, const char *room, const char *serial,
                                     int release_offset)
{
	struct checkin_record c = {0};
	c.arrival_id = arrival;
	c.at = T0 + arrival;
	snprintf(c.code_result, sizeof(c.code_result), "green");
	c.code_reason = REASON_OK;
	snprintf(c.briefing_hash, sizeof(c.briefing_hash), "9f2c0a");
	snprintf(c.briefing_lang, sizeof(c.briefing_lang), "zh-CN");
	snprintf(c.room, sizeof(c.room), "%s", room);
	c.risk = RISK_GREEN;
	snprintf(c.risk_set_by, sizeof(c.risk_set_by), "kiosk");
	c.planned_release = day_from_ymd(2026, 12, 13) + release_offset;
	snprintf(c.wristband_serial, sizeof(c.wristband_serial), "%s", serial);
	snprintf(c.wristband_token, sizeof(c.wristband_token), "HK1:%s:SIG", serial);
	c.timings = (struct checkin_timings){1200, 3400, 45000, 61000};
	return c;
}

/* Rows written by check-ins, as one comparable number per table. */
struct counts {
	int64_t checkins, occupancy, wristbands, outbox, next_seq, occupied_rooms;
};

static struct counts counts_of(const char *path)
{
	struct counts c = {
	    sql_int(path, "SELECT count(*) FROM checkins"),
	    sql_int(path, "SELECT count(*) FROM occupancy"),
	    sql_int(path, "SELECT count(*) FROM wristbands"),
	    sql_int(path, "SELECT count(*) FROM outbox"),
	    sql_int(path, "SELECT next_device_seq FROM meta"),
	    sql_int(path, "SELECT count(*) FROM rooms WHERE state = 'occupied'"),
	};
	return c;
}

static void assert_counts_equal(struct counts a, struct counts b)
{
	assert_int_equal(a.checkins, b.checkins);
	assert_int_equal(a.occupancy, b.occupancy);
	assert_int_equal(a.wristbands, b.wristbands);
	assert_int_equal(a.outbox, b.outbox);
	assert_int_equal(a.next_seq, b.next_seq);
	assert_int_equal(a.occupied_rooms, b.occupied_rooms);
}

static void test_reopen_survives(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1201", "1202"};
	struct store *st = make_store(f->path);
	add_rooms(st, rooms, 2, 2);
	int64_t a = add_arrival(st, "张伟", 1, "");
	struct checkin_record c = rec_for(a, "1201", "S0001", 0);
	struct checkin_result res;
	assert_int_equal(store_checkin_commit(st, &c, &res), 0);
	assert_int_equal(res.device_seq, 1);
	assert_false(res.already_had);
	store_close(st);

	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	st = open_ok(f->path);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	struct store_identity id;
	assert_int_equal(store_identity_get(st, &id), 0);
	assert_string_equal(id.device_id, "kiosk-1");
	assert_int_equal(id.next_device_seq, 2);
	struct checkin_row row;
	assert_int_equal(store_checkin_active(st, a, &row), 0);
	assert_string_equal(row.a.name, "张伟");
	assert_string_equal(row.c.room, "1201");
	assert_string_equal(row.c.wristband_serial, "S0001");
	assert_string_equal(row.c.wristband_token, "HK1:S0001:SIG");
	assert_string_equal(row.c.device_id, "kiosk-1");
	assert_int_equal(row.c.timings.briefing_ms, 45000);
	assert_int_equal(row.c.planned_release, day_from_ymd(2026, 12, 13));
	struct room_info r;
	assert_int_equal(store_room_get(st, "1201", &r), 0);
	assert_int_equal(r.state, ROOM_OCCUPIED);
	assert_int_equal(r.occupants, 1);
	store_close(st);
	/* durability settings that live in the file */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_migration_from_v1(void **state)
{
	struct fx *f = *state;
	/* A file as the v1 build wrote it, filled with v1 rows. */
	assert_int_equal(store_migrations[0].version, 1);
	sql_exec(f->path, store_migrations[0].sql);
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 1);
	sql_exec(
	    f->path,
	    "UPDATE meta SET station_id = 'st-1', device_id = 'kiosk-1', next_device_seq = 2;"
	    "INSERT INTO arrivals (id, batch, name, doc_type, doc_number, category, "
	    "onsite_days, home_days, expected_day) VALUES (1, 'B1', 'Old Li', 'passport', "
	    "'E7654321', 'close_contact', 14, 0, '2026-11-01');"
	    "INSERT INTO rooms VALUES ('0801', 8, 1, 'occupied');"
	    "INSERT INTO checkins (id, device_id, device_seq, arrival_id, at, code_result, "
	    "code_reason, briefing_hash, briefing_lang, room, risk, risk_set_by, "
	    "planned_release) VALUES (1, 'kiosk-1', 1, 1, 1790000000, 'green', 'OK', 'ab', "
	    "'en', '0801', 'yellow', 'doc-7', '2026-11-15');"
	    "INSERT INTO occupancy (room, arrival_id, checkin_id, since) VALUES ('0801', 1, 1, "
	    "1790000000);"
	    "INSERT INTO wristbands (serial, device_id, device_seq, arrival_id, room, "
	    "issued_at, token) VALUES ('S1', 'kiosk-1', 1, 1, '0801', 1790000000, 'T');"
	    "INSERT INTO outbox (device_id, device_seq, kind, payload, created_at) VALUES "
	    "('kiosk-1', 1, 'checkin', '{}', 1790000000);");
	struct store *st = open_ok(f->path);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	struct checkin_row row;
	assert_int_equal(store_checkin_active(st, 1, &row), 0);
	assert_string_equal(row.a.name, "Old Li");
	assert_int_equal(row.a.category, CATEGORY_CLOSE_CONTACT);
	assert_int_equal(row.c.risk, RISK_YELLOW);
	assert_int_equal(row.c.timings.verify_ms, -1); /* v2 column, unknown for v1 rows */
	size_t pending;
	assert_int_equal(store_outbox_count(st, &pending), 0);
	assert_int_equal(pending, 1);
	/* v2 features work on the upgraded file, and own records continue the sequence */
	int64_t job;
	assert_int_equal(store_print_job_add(st, "wristband", "S1", "{}", "zpl", T0, &job), 0);
	struct scan_record sc = {.at = T0, .result = REASON_OK};
	snprintf(sc.checkpoint, sizeof(sc.checkpoint), "gate-1");
	snprintf(sc.serial, sizeof(sc.serial), "S1");
	struct store_written w;
	assert_int_equal(store_scan_add(st, &sc, &w), 0);
	assert_int_equal(w.device_seq, 2);
	store_close(st);
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	/* opening again is a no-op */
	st = open_ok(f->path);
	store_close(st);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM arrivals"), 1);
}

static long file_size(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fclose(fp);
	return n;
}

static char *file_bytes(const char *path, long *n)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	*n = ftell(fp);
	rewind(fp);
	char *b = malloc((size_t)*n + 1);
	assert_int_equal(fread(b, 1, (size_t)*n, fp), (size_t)*n);
	fclose(fp);
	return b;
}

static void test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	add_arrival(st, "Future", 9, "");
	store_close(st);
	sql_exec(f->path, "PRAGMA user_version = 99");
	long n1, n2;
	char *before = file_bytes(f->path, &n1);
	struct store_error err;
	assert_null(store_open(f->path, &err));
	assert_int_equal(err.code, STORE_E_TOO_NEW);
	assert_non_null(strstr(err.message, "schema version 99"));
	char *after = file_bytes(f->path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, (size_t)n1);
	free(before);
	free(after);
}

static void test_foreign_sqlite_file_refused(void **state)
{
	struct fx *f = *state;
	sql_exec(f->path, "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');");
	struct store_error err;
	assert_null(store_open(f->path, &err));
	assert_int_equal(err.code, STORE_E_INVALID);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM notes"), 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_schema"), 1);
}

/* The one file in dir whose name starts with prefix, into out. */
static int find_aside(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "station.db.corrupt-", 19) == 0 &&
		    !strstr(e->d_name, "-wal")) {
			snprintf(out, size, "%s/%s", dir, e->d_name);
			found++;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static void test_garbage_file_moved_aside(void **state)
{
	struct fx *f = *state;
	char junk[8192];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)("not a database "[i % 15]);
	FILE *fp = fopen(f->path, "wb");
	fwrite(junk, 1, sizeof(junk), fp);
	fclose(fp);
	struct store_error err;
	assert_null(store_open(f->path, &err));
	assert_int_equal(err.code, STORE_E_CORRUPT);
	assert_int_equal(file_size(f->path), -1); /* gone from its place */
	char aside[256];
	assert_int_equal(find_aside(f->dir, aside, sizeof(aside)), 1);
	assert_non_null(strstr(err.message, aside));
	long n;
	char *kept = file_bytes(aside, &n);
	assert_int_equal(n, (long)sizeof(junk));
	assert_memory_equal(kept, junk, sizeof(junk)); /* evidence untouched */
	free(kept);
	/* the caller may now start fresh at the same path */
	struct store *st = open_ok(f->path);
	store_close(st);
	assert_int_equal(find_aside(f->dir, aside, sizeof(aside)), 1);
}

static void test_damaged_page_moved_aside(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	store_close(st);
	sql_exec(f->path, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	                  "WHERE i < 400) INSERT INTO arrivals (batch, name, doc_type, "
	                  "doc_number, category, onsite_days, home_days, expected_day) SELECT "
	                  "'B', 'Damaged Page Person With A Long Name', 'passport', 'E' || i, "
	                  "'inbound', 14, 0, '2026-11-29' FROM n");
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM arrivals"), 400);
	long n;
	char *bytes = file_bytes(f->path, &n);
	int64_t page = sql_int(f->path, "PRAGMA page_size");
	assert_true(n > 8 * page);
	/* scribble over the b-tree page header of a page in the middle of the arrivals */
	FILE *fp = fopen(f->path, "r+b");
	fseek(fp, (long)(n / page / 2) * (long)page, SEEK_SET);
	char scribble[64];
	memset(scribble, 0x5A, sizeof(scribble));
	fwrite(scribble, 1, sizeof(scribble), fp);
	fclose(fp);
	struct store_error err;
	assert_null(store_open(f->path, &err));
	assert_int_equal(err.code, STORE_E_CORRUPT);
	char aside[256];
	assert_int_equal(find_aside(f->dir, aside, sizeof(aside)), 1);
	assert_int_equal(file_size(aside), n);
	assert_int_equal(file_size(f->path), -1);
	free(bytes);
}

static void test_checkin_refusals_write_nothing(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1201", "1202", "1203"};
	struct store *st = make_store(f->path);
	add_rooms(st, rooms, 2, 2);
	add_rooms(st, rooms + 2, 1, 1);
	assert_int_equal(store_room_set_state(st, "1202", ROOM_CLEANING), 0);
	int64_t a = add_arrival(st, "A", 1, ""), b = add_arrival(st, "B", 2, "");
	int64_t c = add_arrival(st, "C", 3, ""), d = add_arrival(st, "D", 4, "");

	struct checkin_record ra = rec_for(a, "1203", "S1", 0);
	assert_int_equal(store_checkin_commit(st, &ra, NULL), 0);
	struct counts base = counts_of(f->path);
	assert_int_equal(base.checkins, 1);
	assert_int_equal(base.outbox, 1);
	assert_int_equal(base.next_seq, 2);

	struct checkin_record again = rec_for(a, "1201", "S2", 0);
	assert_int_equal(store_checkin_commit(st, &again, NULL), STORE_E_ALREADY_CHECKED_IN);
	assert_counts_equal(counts_of(f->path), base);

	struct checkin_record full = rec_for(b, "1203", "S2", 0);
	assert_int_equal(store_checkin_commit(st, &full, NULL), STORE_E_ROOM_FULL);
	assert_counts_equal(counts_of(f->path), base);

	struct checkin_record cleaning = rec_for(b, "1202", "S2", 0);
	assert_int_equal(store_checkin_commit(st, &cleaning, NULL), STORE_E_ROOM_UNAVAILABLE);
	assert_int_equal(store_room_set_state(st, "1202", ROOM_BLOCKED), 0);
	assert_int_equal(store_checkin_commit(st, &cleaning, NULL), STORE_E_ROOM_UNAVAILABLE);
	assert_counts_equal(counts_of(f->path), base);

	struct checkin_record nowhere = rec_for(b, "9999", "S2", 0);
	assert_int_equal(store_checkin_commit(st, &nowhere, NULL), STORE_E_NOT_FOUND);
	struct checkin_record nobody = rec_for(777, "1201", "S2", 0);
	assert_int_equal(store_checkin_commit(st, &nobody, NULL), STORE_E_NOT_FOUND);
	struct checkin_record serial_taken = rec_for(b, "1201", "S1", 0);
	assert_int_equal(store_checkin_commit(st, &serial_taken, NULL), STORE_E_EXISTS);
	struct checkin_record empty_room = rec_for(b, "", "S2", 0);
	assert_int_equal(store_checkin_commit(st, &empty_room, NULL), STORE_E_INVALID);
	assert_counts_equal(counts_of(f->path), base);

	/* a family of three into a room of two: nobody is checked in */
	struct checkin_record fam[3] = {rec_for(b, "1201", "S2", 0), rec_for(c, "1201", "S3", 0),
	                                rec_for(d, "1201", "S4", 0)};
	struct checkin_result res[3];
	assert_int_equal(store_checkin_commit_group(st, fam, 3, res), STORE_E_ROOM_FULL);
	assert_counts_equal(counts_of(f->path), base);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM rooms WHERE state = 'free'"), 1);
	/* two of them fit, in one transaction, with consecutive sequence numbers */
	assert_int_equal(store_checkin_commit_group(st, fam, 2, res), 0);
	assert_int_equal(res[0].device_seq, 2);
	assert_int_equal(res[1].device_seq, 3);
	struct room_info r;
	assert_int_equal(store_room_get(st, "1201", &r), 0);
	assert_int_equal(r.occupants, 2);
	assert_int_equal(r.state, ROOM_OCCUPIED);
	assert_int_equal(store_room_set_state(st, "1201", ROOM_CLEANING), STORE_E_ROOM_OCCUPIED);
	assert_int_equal(store_room_set_state(st, "1201", ROOM_OCCUPIED), STORE_E_INVALID);
	struct counts after = counts_of(f->path);
	assert_int_equal(after.checkins, 3);
	assert_int_equal(after.occupancy, 3);
	assert_int_equal(after.wristbands, 3);
	assert_int_equal(after.outbox, 3);
	store_close(st);
}

static void test_checkin_sequence_can_be_reserved(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1201"};
	struct store *st = open_ok(f->path);
	add_rooms(st, rooms, 1, 2);
	int64_t a = add_arrival(st, "A", 1, ""), b = add_arrival(st, "B", 2, "");
	struct checkin_record c = rec_for(a, "1201", "S1", 0);
	/* no device id yet: own records cannot be numbered */
	assert_int_equal(store_checkin_commit(st, &c, NULL), STORE_E_NO_IDENTITY);
	assert_int_equal(store_identity_set(st, "st-1", "kiosk-1"), 0);
	struct store_identity id;
	assert_int_equal(store_identity_get(st, &id), 0);
	c.device_seq = id.next_device_seq + 1; /* not the next one */
	assert_int_equal(store_checkin_commit(st, &c, NULL), STORE_E_SEQ);
	c.device_seq = id.next_device_seq; /* peeked, e.g. to sign a band serial first */
	struct checkin_result res;
	assert_int_equal(store_checkin_commit(st, &c, &res), 0);
	assert_int_equal(res.device_seq, id.next_device_seq);
	/* naming the own device explicitly is the same as "" */
	struct checkin_record d = rec_for(b, "1201", "S2", 0);
	snprintf(d.device_id, sizeof(d.device_id), "kiosk-1");
	assert_int_equal(store_checkin_commit(st, &d, &res), 0);
	assert_int_equal(res.device_seq, id.next_device_seq + 1);
	store_close(st);
}

static void test_outbox_idempotent_and_ordered(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1201", "1202"};
	struct store *st = make_store(f->path);
	add_rooms(st, rooms, 2, 2);
	int64_t a = add_arrival(st, "A", 1, ""), b = add_arrival(st, "B", 2, "");

	/* a record from another device, delivered twice */
	struct checkin_record c = rec_for(a, "1201", "K2-5", 0);
	snprintf(c.device_id, sizeof(c.device_id), "kiosk-2");
	c.device_seq = 5;
	struct checkin_result res;
	assert_int_equal(store_checkin_commit(st, &c, &res), 0);
	assert_false(res.already_had);
	int64_t first_id = res.checkin_id;
	struct counts once = counts_of(f->path);
	assert_int_equal(store_checkin_commit(st, &c, &res), 0);
	assert_true(res.already_had);
	assert_int_equal(res.checkin_id, first_id);
	assert_counts_equal(counts_of(f->path), once);
	assert_int_equal(once.next_seq, 1); /* foreign records take no own sequence */

	/* own records: a check-in and scans, numbered 1, 2, 3 in outbox order */
	struct checkin_record own = rec_for(b, "1202", "S1", 0);
	assert_int_equal(store_checkin_commit(st, &own, &res), 0);
	assert_int_equal(res.device_seq, 1);
	struct scan_record sc = {.at = T0 + 100, .result = REASON_OK};
	snprintf(sc.checkpoint, sizeof(sc.checkpoint), "gate-1");
	snprintf(sc.serial, sizeof(sc.serial), "S1");
	struct store_written w;
	assert_int_equal(store_scan_add(st, &sc, &w), 0);
	assert_int_equal(w.device_seq, 2);
	sc.result = REASON_REVOKED;
	assert_int_equal(store_scan_add(st, &sc, &w), 0);
	assert_int_equal(w.device_seq, 3);
	/* a foreign scan twice */
	snprintf(sc.device_id, sizeof(sc.device_id), "guard-1");
	sc.device_seq = 40;
	assert_int_equal(store_scan_add(st, &sc, &w), 0);
	assert_false(w.already_had);
	assert_int_equal(store_scan_add(st, &sc, &w), 0);
	assert_true(w.already_had);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scans"), 3);

	size_t pending;
	assert_int_equal(store_outbox_count(st, &pending), 0);
	assert_int_equal(pending, 5);
	struct outbox_item *items;
	size_t n;
	assert_int_equal(store_outbox_pending(st, 10, &items, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(items[0].device_id, "kiosk-2");
	assert_int_equal(items[0].device_seq, 5);
	assert_string_equal(items[0].kind, "checkin");
	assert_non_null(strstr(items[0].payload, "\"wristband_serial\":\"K2-5\""));
	assert_string_equal(items[1].device_id, "kiosk-1");
	assert_int_equal(items[1].device_seq, 1);
	assert_int_equal(items[2].device_seq, 2);
	assert_string_equal(items[2].kind, "scan");
	assert_int_equal(items[3].device_seq, 3);
	assert_non_null(strstr(items[3].payload, "E_REVOKED"));
	assert_true(items[1].id < items[2].id && items[2].id < items[3].id);
	store_outbox_free(items, n);

	assert_int_equal(store_outbox_pending(st, 2, &items, &n), 0);
	assert_int_equal(n, 2);
	store_outbox_free(items, n);

	/* the station holds our records up to 2 */
	assert_int_equal(store_outbox_mark_sent(st, "", 2, T0 + 500), 0);
	assert_int_equal(store_outbox_count(st, &pending), 0);
	assert_int_equal(pending, 3);
	assert_int_equal(store_outbox_pending(st, 10, &items, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(items[0].device_id, "kiosk-2");
	assert_int_equal(items[1].device_seq, 3);
	store_outbox_free(items, n);
	assert_int_equal(store_outbox_mark_sent(st, "kiosk-2", 5, T0 + 501), 0);
	assert_int_equal(store_outbox_mark_sent(st, "guard-1", 40, T0 + 501), 0);
	assert_int_equal(store_outbox_mark_sent(st, "kiosk-1", 3, T0 + 502), 0);
	assert_int_equal(store_outbox_count(st, &pending), 0);
	assert_int_equal(pending, 0);
	store_close(st);
}

static void test_values_are_bound_not_spliced(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1');DROP TABLE", "12\"01"};
	struct store *st = make_store(f->path);
	add_rooms(st, rooms, 2, 2);
	int64_t a = add_arrival(st, "O'Brien\"; DELETE FROM arrivals; --", 1, "g'1");
	assert_int_equal(store_arrival_set_subject(st, a, "x' OR '1'='1"), 0);
	struct arrival_record out;
	assert_int_equal(store_arrival_find_subject(st, "x' OR '1'='1", &out), 0);
	assert_string_equal(out.name, "O'Brien\"; DELETE FROM arrivals; --");
	assert_int_equal(store_arrival_find_subject(st, "' OR 1=1 --", &out), STORE_E_NOT_FOUND);
	struct room_info r;
	assert_int_equal(store_room_get(st, rooms[0], &r), 0);
	assert_string_equal(r.number, rooms[0]);
	struct checkin_record c = rec_for(a, rooms[0], "S'1", 0);
	assert_int_equal(store_checkin_commit(st, &c, NULL), 0);
	store_close(st);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM rooms"), 2);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM arrivals"), 1);
}

static void test_rooms_list_and_arrival_queries(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1201", "1202", "901"};
	struct store *st = make_store(f->path);
	size_t dup = 99;
	assert_int_equal(rooms_add(st, rooms, 2, 12, 3, NULL), 0);
	assert_int_equal(rooms_add(st, rooms + 2, 1, 9, 1, NULL), 0);
	static const char *const again[] = {"1203", "1202"};
	assert_int_equal(rooms_add(st, again, 2, 12, 2, &dup), STORE_E_EXISTS);
	assert_int_equal(dup, 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM rooms"), 3); /* 1203 not added */
	assert_int_equal(rooms_add(st, again, 1, 12, 17, NULL), STORE_E_INVALID);

	int64_t a = add_arrival(st, "Dad", 1, "F1"), b = add_arrival(st, "Kid", 2, "F1");
	add_arrival(st, "Alone", 3, "");
	struct checkin_record ci[2] = {rec_for(a, "1202", "S1", 7), rec_for(b, "1202", "S2", 0)};
	assert_int_equal(store_checkin_commit_group(st, ci, 2, NULL), 0);
	struct room_info *list;
	size_t n;
	assert_int_equal(store_rooms_list(st, &list, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].number, "901");
	assert_string_equal(list[1].number, "1201");
	assert_string_equal(list[2].number, "1202");
	assert_int_equal(list[2].occupants, 2);
	assert_int_equal(list[2].capacity, 3);
	assert_int_equal(list[2].n_releases, 2);
	assert_int_equal(list[2].releases[0], day_from_ymd(2026, 12, 13));
	assert_int_equal(list[2].releases[1], day_from_ymd(2026, 12, 20));
	assert_int_equal(list[1].occupants, 0);
	assert_int_equal(list[1].state, ROOM_FREE);
	free(list);

	struct arrival_record *fam;
	assert_int_equal(store_arrivals_in_group(st, "F1", &fam, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(fam[1].name, "Kid");
	free(fam);
	assert_int_equal(store_arrival_find_subject(st, "HC:abc", &fam[0 + 0 * n] /* unused */),
	                 STORE_E_NOT_FOUND);
	struct arrival_record got;
	assert_int_equal(store_arrival_set_subject(st, b, "HC:abc"), 0);
	assert_int_equal(store_arrival_find_subject(st, "HC:abc", &got), 0);
	assert_int_equal(got.id, b);
	assert_int_equal(store_arrival_set_subject(st, 4242, "HC:x"), STORE_E_NOT_FOUND);
	assert_int_equal(store_arrival_get(st, a, &got), 0);
	assert_string_equal(got.doc_number, "E0000001");
	assert_int_equal(got.expected_day, day_from_ymd(2026, 11, 29));
	struct arrival_record same = got;
	same.id = 0;
	assert_int_equal(store_arrival_add(st, &same), STORE_E_EXISTS);

	enum risk risk;
	assert_int_equal(store_arrival_risk(st, a, &risk), 0);
	assert_int_equal(risk, RISK_GREEN);
	struct risk_change rc = {.arrival_id = a, .at = T0 + 9999, .risk = RISK_ORANGE};
	snprintf(rc.set_by, sizeof(rc.set_by), "doc-7");
	snprintf(rc.why, sizeof(rc.why), "fever 37.8");
	assert_int_equal(store_risk_change_add(st, &rc, NULL), 0);
	assert_int_equal(store_arrival_risk(st, a, &risk), 0);
	assert_int_equal(risk, RISK_ORANGE);
	store_close(st);
}

static void test_side_tables(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	int64_t j1, j2;
	assert_int_equal(store_print_job_add(st, "wristband", "S1", "{\"a\":1}", "zpl", T0, &j1),
	                 0);
	assert_int_equal(store_print_job_add(st, "label", "1201", "{}", "tspl", T0 + 1, &j2), 0);
	struct print_job job;
	assert_int_equal(store_print_job_next(st, &job), 0);
	assert_int_equal(job.id, j1);
	assert_string_equal(job.payload, "{\"a\":1}");
	free(job.payload);
	assert_int_equal(store_print_job_set_state(st, j1, PRINT_PRINTING, NULL, T0 + 2), 0);
	assert_int_equal(store_print_job_set_state(st, j1, PRINT_FAILED, "paper out", T0 + 3), 0);
	assert_int_equal(store_print_job_next(st, &job), 0);
	assert_int_equal(job.id, j2);
	free(job.payload);
	assert_int_equal(store_print_job_set_state(st, j2, PRINT_DONE, NULL, T0 + 4), 0);
	assert_int_equal(store_print_job_next(st, &job), STORE_E_NOT_FOUND);
	assert_int_equal(sql_int(f->path, "SELECT attempts FROM print_jobs WHERE id = 1"), 1);

	struct issuer_key k = {.demo = true, .added_at = T0};
	snprintf(k.kid, sizeof(k.kid), "gd-2022-1");
	snprintf(k.issuer, sizeof(k.issuer), "gd");
	snprintf(k.alg, sizeof(k.alg), "ES256");
	snprintf(k.public_key, sizeof(k.public_key), "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE");
	assert_int_equal(store_issuer_key_add(st, &k), 0);
	assert_int_equal(store_issuer_key_add(st, &k), STORE_E_EXISTS);
	assert_int_equal(store_issuer_key_revoke(st, "gd-2022-1", T0 + 5), 0);
	assert_int_equal(store_issuer_key_revoke(st, "gd-2022-1", T0 + 6), STORE_E_NOT_FOUND);
	struct issuer_key got;
	assert_int_equal(store_issuer_key_get(st, "gd-2022-1", &got), 0);
	assert_true(got.demo);
	assert_int_equal(got.revoked_at, T0 + 5);
	struct issuer_key *keys;
	size_t n;
	assert_int_equal(store_issuer_keys_list(st, &keys, &n), 0);
	assert_int_equal(n, 1);
	free(keys);

	bool revoked = true;
	assert_int_equal(store_revocation_has(st, "gd", "cred-1", &revoked), 0);
	assert_false(revoked);
	assert_int_equal(store_revocation_add(st, "gd", "cred-1", T0, "lost phone"), 0);
	assert_int_equal(store_revocation_add(st, "gd", "cred-1", T0, "again"), 0);
	assert_int_equal(store_revocation_has(st, "gd", "cred-1", &revoked), 0);
	assert_true(revoked);

	struct device_record d = {.added_at = T0};
	snprintf(d.id, sizeof(d.id), "kiosk-2");
	snprintf(d.name, sizeof(d.name), "Entrance 2");
	snprintf(d.role, sizeof(d.role), "entrance");
	snprintf(d.credential_hash, sizeof(d.credential_hash), "sha256:00");
	assert_int_equal(store_device_add(st, &d), 0);
	snprintf(d.id, sizeof(d.id), "toaster");
	snprintf(d.role, sizeof(d.role), "toaster");
	assert_int_equal(store_device_add(st, &d), STORE_E_INVALID);
	struct device_record *devs;
	assert_int_equal(store_devices_list(st, &devs, &n), 0);
	assert_int_equal(n, 1);
	free(devs);
	assert_int_equal(store_device_revoke(st, "kiosk-2", T0 + 7), 0);

	struct badge_record b = {.added_at = T0};
	snprintf(b.badge_id, sizeof(b.badge_id), "B-0042");
	snprintf(b.role, sizeof(b.role), "doctor");
	snprintf(b.pin_hash, sizeof(b.pin_hash), "scrypt$abc");
	assert_int_equal(store_badge_add(st, &b), 0);
	struct badge_record bg;
	assert_int_equal(store_badge_get(st, "B-0042", &bg), 0);
	assert_string_equal(bg.role, "doctor");

	struct audit_record au = {.at = T0};
	snprintf(au.actor, sizeof(au.actor), "B-0042");
	snprintf(au.action, sizeof(au.action), "approve_checkin");
	snprintf(au.target, sizeof(au.target), "arrival:1");
	struct store_written w;
	assert_int_equal(store_audit_add(st, &au, &w), 0);
	assert_int_equal(w.device_seq, 1);
	store_close(st);
}

static void test_release_frees_room(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1201"};
	struct store *st = make_store(f->path);
	add_rooms(st, rooms, 1, 2);
	int64_t a = add_arrival(st, "A", 1, ""), b = add_arrival(st, "B", 2, "");
	struct checkin_record ci[2] = {rec_for(a, "1201", "S1", 0), rec_for(b, "1201", "S2", 0)};
	assert_int_equal(store_checkin_commit_group(st, ci, 2, NULL), 0);
	assert_int_equal(store_checkin_release(st, a, T0 + 86400, "", NULL), STORE_E_INVALID);
	struct store_written w;
	assert_int_equal(store_checkin_release(st, a, T0 + 86400, "B-0042", &w), 0);
	assert_int_equal(w.device_seq, 3);
	struct room_info r;
	assert_int_equal(store_room_get(st, "1201", &r), 0);
	assert_int_equal(r.occupants, 1);
	assert_int_equal(r.state, ROOM_OCCUPIED); /* B still lives there */
	struct wristband_info band;
	assert_int_equal(store_wristband_get(st, "S1", &band), 0);
	assert_int_equal(band.state, WRISTBAND_VOID);
	assert_string_equal(band.reason, "released");
	assert_int_equal(store_wristband_get(st, "S2", &band), 0);
	assert_int_equal(band.state, WRISTBAND_ACTIVE);
	struct checkin_row row;
	assert_int_equal(store_checkin_active(st, a, &row), STORE_E_NOT_FOUND);
	assert_int_equal(store_checkin_release(st, a, T0 + 86401, "B-0042", NULL),
	                 STORE_E_NOT_FOUND);

	assert_int_equal(store_checkin_release(st, b, T0 + 86400, "B-0042", NULL), 0);
	assert_int_equal(store_room_get(st, "1201", &r), 0);
	assert_int_equal(r.occupants, 0);
	assert_int_equal(r.state, ROOM_CLEANING);
	struct checkin_record again = rec_for(a, "1201", "S3", 0);
	assert_int_equal(store_checkin_commit(st, &again, NULL), STORE_E_ROOM_UNAVAILABLE);
	assert_int_equal(store_room_set_state(st, "1201", ROOM_FREE), 0);
	assert_int_equal(store_checkin_commit(st, &again, NULL), 0); /* back for a new stay */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit_log WHERE action = "
	                                  "'release' AND target = 'arrival:1'"),
	                 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM outbox WHERE kind = 'audit'"), 2);
	store_close(st);
}

static void test_status_names_distinct(void **state)
{
	(void)state;
	for (int a = STORE_OK; a >= STORE_E_BAD_INPUT; a--) {
		assert_string_not_equal(store_status_name(a), "E_UNKNOWN");
		for (int b = a - 1; b >= STORE_E_BAD_INPUT; b--)
			assert_string_not_equal(store_status_name(a), store_status_name(b));
	}
	assert_string_equal(store_status_name(STORE_E_ROOM_FULL), "E_ROOM_FULL");
	assert_string_equal(store_status_name(STORE_E_BAD_INPUT - 1), "E_UNKNOWN");
	assert_string_equal(store_status_name(1), "E_UNKNOWN");
}

/* ---- manifest import ---- */

struct bad_rows {
	size_t lines[16];
	char reasons[16][160];
	size_t n;
};

static void on_bad_row(void *ctx, size_t line, const char *reason)
{
	struct bad_rows *b = ctx;
	if (b->n < 16) {
		b->lines[b->n] = line;
		snprintf(b->reasons[b->n], sizeof(b->reasons[0]), "%s", reason);
		b->n++;
	}
}

static const char manifest_ok[] =
    "\xEF\xBB\xBF"
    "batch,name,doc_type,doc_number,category,term,group_id,arrival_day,notes\r\n"
    "CA908,张伟,id_card,440305198001011235,inbound,14+7,F1,2026-11-29,\r\n"
    "CA908,李娜,护照,E1234567,密接,14,F1,2026-11-29,\"需要, 低楼层\"\r\n"
    "BUS7,陈静,passport,E7654321,secondary_contact,7,,2026/11/30,\r\n";

static void test_manifest_import_utf8_and_gb18030(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	struct bad_rows bad = {0};
	struct manifest_report rep = {.on_error = on_bad_row, .ctx = &bad};
	assert_int_equal(store_manifest_import(st, manifest_ok, strlen(manifest_ok), &rep), 0);
	assert_int_equal(bad.n, 0);
	assert_int_equal(rep.rows, 3);
	assert_true(rep.had_bom);
	assert_false(rep.from_gb18030);
	assert_int_equal(rep.by_category[CATEGORY_INBOUND], 1);
	assert_int_equal(rep.by_category[CATEGORY_CLOSE_CONTACT], 1);
	assert_int_equal(rep.by_category[CATEGORY_SECONDARY_CONTACT], 1);
	struct arrival_record *fam;
	size_t n;
	assert_int_equal(store_arrivals_in_group(st, "F1", &fam, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(fam[1].name, "李娜");
	assert_string_equal(fam[1].notes, "需要, 低楼层");
	free(fam);

	/* the same people, a later day, saved by Excel on Chinese Windows */
	char utf8[1024];
	snprintf(utf8, sizeof(utf8), "%s", manifest_ok + 3);
	for (char *p; (p = strstr(utf8, "2026-11-29")) || (p = strstr(utf8, "2026/11/30"));)
		memcpy(p, "2026-12-05", 10);
	char gb[1024];
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char *in = utf8, *out = gb;
	size_t in_left = strlen(utf8), out_left = sizeof(gb);
	assert_int_not_equal(iconv(cd, &in, &in_left, &out, &out_left), (size_t)-1);
	iconv_close(cd);
	size_t gb_len = sizeof(gb) - out_left;
	assert_false(csv_utf8_valid(gb, gb_len, NULL));
	assert_int_equal(store_manifest_import(st, gb, gb_len, &rep), 0);
	assert_true(rep.from_gb18030);
	assert_int_equal(rep.rows, 3);
	size_t total;
	assert_int_equal(store_arrivals_count(st, &total), 0);
	assert_int_equal(total, 6);
	struct arrival_record got;
	assert_int_equal(store_arrival_get(st, 5, &got), 0);
	assert_string_equal(got.name, "李娜");
	assert_string_equal(got.notes, "需要, 低楼层");
	store_close(st);
}

static void test_manifest_bad_rows_refuse_all(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	static const char text[] = "batch,name,doc_type,doc_number,category,term,arrival_day\n"
	                           "CA908,A,passport,E1111111,inbound,14,2026-11-29\n"
	                           "CA908,B,passport,E2222222,tourist,14,2026-11-29\n"
	                           "CA908,C,passport,E3333333,inbound,14,2026-11-29\n"
	                           ",,,,,,\n"
	                           "CA908,\"D\nDouble\",passport,E4444444,inbound,14,2026-11-31\n"
	                           "CA908,A again,passport,E1111111,inbound,14,2026-11-29\n";
	struct bad_rows bad = {0};
	struct manifest_report rep = {.on_error = on_bad_row, .ctx = &bad};
	assert_int_equal(store_manifest_import(st, text, strlen(text), &rep), STORE_E_BAD_INPUT);
	assert_int_equal(rep.rows, 0);
	assert_int_equal(rep.bad_rows, 3);
	assert_int_equal(bad.n, 3);
	assert_int_equal(bad.lines[0], 3);
	assert_string_equal(bad.reasons[0],
	                    "category 'tourist' is not one of inbound, close_contact, "
	                    "secondary_contact");
	assert_int_equal(bad.lines[1], 6);
	assert_string_equal(bad.reasons[1], "name contains a line break");
	assert_int_equal(bad.lines[2], 8);
	assert_string_equal(bad.reasons[2], "same doc_type, doc_number and arrival_day as line 2");
	size_t total;
	assert_int_equal(store_arrivals_count(st, &total), 0);
	assert_int_equal(total, 0);

	/* a CSV fault, an empty file, and bytes that are neither UTF-8 nor GB18030 */
	static const char broken[] = "batch,name,doc_type,doc_number,category,term,arrival_day\n"
	                             "CA908,\"open,passport,E1,inbound,14,2026-11-29\n";
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(store_manifest_import(st, broken, strlen(broken), &rep),
	                 STORE_E_BAD_INPUT);
	assert_int_equal(bad.lines[0], 2);
	assert_string_equal(bad.reasons[0], "unterminated quoted field");
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(store_manifest_import(st, "", 0, &rep), STORE_E_BAD_INPUT);
	assert_string_equal(bad.reasons[0], "the file is empty");
	static const char binary[] = "batch\nok\n\xFF\xFF\xFF\n";
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(store_manifest_import(st, binary, strlen(binary), &rep),
	                 STORE_E_BAD_INPUT);
	assert_int_equal(bad.lines[0], 3);
	assert_string_equal(bad.reasons[0], "text is neither UTF-8 nor GB18030");
	static const char utf16[] = "\xFF\xFE"
	                            "b\0a\0t\0";
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(store_manifest_import(st, utf16, sizeof(utf16) - 1, &rep),
	                 STORE_E_BAD_INPUT);
	assert_int_equal(bad.lines[0], 1);
	assert_non_null(strstr(bad.reasons[0], "UTF-16"));
	assert_int_equal(store_arrivals_count(st, &total), 0);
	assert_int_equal(total, 0);
	store_close(st);
}

static int export_collect(const struct checkin_row *row, void *ctx)
{
	int64_t *ids = ctx;
	ids[++ids[0]] = row->c.arrival_id;
	return ids[0] == 2 ? 5 : 0;
}

static void test_checkins_each_in_time_order(void **state)
{
	struct fx *f = *state;
	static const char *const rooms[] = {"1201", "1202", "1203"};
	struct store *st = make_store(f->path);
	add_rooms(st, rooms, 3, 1);
	int64_t a = add_arrival(st, "A", 1, ""), b = add_arrival(st, "B", 2, "");
	int64_t c = add_arrival(st, "C", 3, "");
	struct checkin_record rb = rec_for(b, "1201", "S1", 0), ra = rec_for(a, "1202", "S2", 0),
	                      rc = rec_for(c, "1203", "S3", 0);
	ra.at = T0 + 50;
	rb.at = T0 + 10;
	rc.at = T0 + 30;
	assert_int_equal(store_checkin_commit(st, &ra, NULL), 0);
	assert_int_equal(store_checkin_commit(st, &rb, NULL), 0);
	assert_int_equal(store_checkin_commit(st, &rc, NULL), 0);
	int64_t ids[8] = {0};
	assert_int_equal(store_checkins_each(st, export_collect, ids), 5); /* stopped by fn */
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], b);
	assert_int_equal(ids[2], c);
	store_close(st);
}

/* The latest briefing per language, with its text, for the kiosk to show. */
static void test_briefing_latest(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	struct store_briefing b;
	char *text = (char *)"x";
	size_t len = 0;
	assert_int_equal(store_briefing_latest(st, "zh-CN", &b, &text, &len), STORE_E_NOT_FOUND);
	assert_null(text);
	assert_int_equal(store_briefing_add(st, "zh-CN", "第一版", strlen("第一版"), 10, NULL), 0);
	assert_int_equal(store_briefing_add(st, "zh-CN", "第二版", strlen("第二版"), 20, NULL), 0);
	assert_int_equal(store_briefing_add(st, "en", "v1", 2, 30, NULL), 0);
	assert_int_equal(store_briefing_latest(st, "zh-CN", &b, &text, &len), 0);
	assert_int_equal(b.version, 2);
	assert_int_equal(b.added_at, 20);
	assert_string_equal(text, "第二版");
	assert_int_equal(len, strlen("第二版"));
	assert_int_equal(strncmp(b.hash, "sha256:", 7), 0);
	free(text);
	assert_int_equal(store_briefing_latest(st, "en", &b, NULL, NULL), 0);
	assert_int_equal(b.version, 1);
	assert_int_equal(store_briefing_latest(st, "fr", &b, NULL, NULL), STORE_E_NOT_FOUND);
	store_close(st);
}

/* The staff PIN lockout survives closing the store (a restart): saved, replaced, read back
 * per scope; none saved reads as zero; bad values are refused and change nothing; a v6 file
 * gains the table on open with nothing in it. */
static void test_pin_lockout_round_trip(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < store_migrations_count && store_migrations[i].version <= 6; i++)
		sql_exec(f->path, store_migrations[i].sql);
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 6);
	struct store *st = open_ok(f->path);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	struct store_pin_lockout l = {.bad = 9, .locked_until_ms = 9, .saved_at_ms = 9};
	assert_int_equal(store_pin_lockout_get(st, "entrance", &l), 0);
	assert_int_equal(l.bad, 0);
	assert_int_equal(l.locked_until_ms, 0);
	assert_int_equal(l.saved_at_ms, 0);

	const struct store_pin_lockout two = {.bad = 2, .saved_at_ms = 1795000000000};
	const struct store_pin_lockout locked = {.locked_until_ms = 1795000300000,
	                                         .saved_at_ms = 1795000000123};
	assert_int_equal(store_pin_lockout_set(st, "entrance", &two), 0);
	assert_int_equal(store_pin_lockout_set(st, "entrance", &locked), 0); /* replaces */
	assert_int_equal(store_pin_lockout_set(st, "frontdesk", &two), 0);
	const struct store_pin_lockout bad_count = {.bad = -1};
	const struct store_pin_lockout bad_time = {.locked_until_ms = -5};
	assert_int_equal(store_pin_lockout_set(st, "entrance", &bad_count), STORE_E_INVALID);
	assert_int_equal(store_pin_lockout_set(st, "entrance", &bad_time), STORE_E_INVALID);
	assert_int_equal(store_pin_lockout_set(st, "", &two), STORE_E_INVALID);
	assert_int_equal(store_pin_lockout_get(st, "", &l), STORE_E_INVALID);
	store_close(st);

	st = open_ok(f->path);
	assert_int_equal(store_pin_lockout_get(st, "entrance", &l), 0);
	assert_int_equal(l.bad, 0);
	assert_int_equal(l.locked_until_ms, 1795000300000);
	assert_int_equal(l.saved_at_ms, 1795000000123);
	assert_int_equal(store_pin_lockout_get(st, "frontdesk", &l), 0);
	assert_int_equal(l.bad, 2);
	assert_int_equal(l.locked_until_ms, 0);
	assert_int_equal(store_pin_lockout_get(st, "security", &l), 0);
	assert_int_equal(l.bad, 0);
	store_close(st);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM pin_lockout"), 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_reopen_survives),
	    T(test_migration_from_v1),
	    T(test_newer_schema_refused),
	    T(test_foreign_sqlite_file_refused),
	    T(test_garbage_file_moved_aside),
	    T(test_damaged_page_moved_aside),
	    T(test_checkin_refusals_write_nothing),
	    T(test_checkin_sequence_can_be_reserved),
	    T(test_outbox_idempotent_and_ordered),
	    T(test_values_are_bound_not_spliced),
	    T(test_rooms_list_and_arrival_queries),
	    T(test_side_tables),
	    T(test_release_frees_room),
	    cmocka_unit_test(test_status_names_distinct),
	    T(test_manifest_import_utf8_and_gb18030),
	    T(test_manifest_bad_rows_refuse_all),
	    T(test_checkins_each_in_time_order),
	    T(test_briefing_latest),
	    T(test_pin_lockout_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
