/* tests/unit/test_store_sync.c: a device's side of sync in its own store, on real SQLite
 * files: the v5 -> v6 migration, pulled changes of every kind applied into the store's
 * tables (twice, out of date, for unknown keys, malformed), the cursor and last pull time
 * surviving a reopen, room leases, a room-less check-in, and the sync source adapter. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "app/store/store.h"
#include "app/store/store_internal.h"
#include "app/sync/store_source.h"

#define T0 1796000000

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
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-ssync-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/kiosk.db", f->dir);
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

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
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
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
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

#define ARRIVAL_BODY(doc)                                                                          \
	"{\"batch\":\"CA908\",\"name\":\"Test Person\",\"doc_type\":\"passport\","                 \
	"\"doc_number\":\"" doc "\",\"nationality\":\"CN\",\"phone\":\"\",\"category\":"           \
	"\"inbound\",\"onsite_days\":14,\"home_days\":7,\"group_id\":\"\",\"elderly\":0,"          \
	"\"child\":0,\"pregnant\":0,\"dietary\":\"\",\"notes\":\"\",\"expected_day\":"             \
	"\"2026-11-29\",\"subject_id\":null}"

static const struct store_change feed[] = {
    {1, "room", "1201", "{\"floor\":12,\"capacity\":2,\"state\":\"free\"}"},
    {2, "room", "1202", "{\"floor\":12,\"capacity\":1,\"state\":\"free\"}"},
    {3, "arrival", "7", ARRIVAL_BODY("E0000007")},
    {4, "arrival", "8", ARRIVAL_BODY("E0000008")},
    {5, "risk", "7", "{\"risk\":\"orange\",\"at\":1796000100,\"set_by\":\"doc-1\",\"why\":\"x\"}"},
    {6, "issuer_key", "k1",
     "{\"issuer\":\"gd\",\"alg\":\"Ed25519\",\"public_key\":\"AAAA\",\"demo\":1,"
     "\"revoked_at\":null}"},
    {7, "revocation", "gd/cred-9", "{\"revoked_at\":1796000200,\"reason\":\"lost\"}"},
    {8, "briefing", "zh-CN", "{\"version\":2,\"hash\":\"sha256:ab\",\"text\":\"请留在房间\"}"},
    {9, "badge", "B-77", "{\"role\":\"staff\",\"pin_hash\":\"h\",\"revoked_at\":null}"},
    {10, "conflict", "kiosk-2/4", "{\"reason\":\"E_NO_ROOM\"}"},
    /* another kiosk's check-in of arrival 8 (for the security posts) */
    {11, "checkin", "kiosk-2/1",
     "{\"device_id\":\"kiosk-2\",\"device_seq\":1,\"arrival_id\":8,\"at\":1796000300,"
     "\"code_result\":\"green\",\"code_reason\":\"OK\",\"briefing_hash\":\"ab\","
     "\"briefing_lang\":\"zh-CN\",\"room\":\"1202\",\"risk\":\"green\",\"risk_set_by\":"
     "\"kiosk\",\"planned_release\":\"2026-12-13\",\"wristband_serial\":\"S-K2-1\","
     "\"wristband_token\":\"T\",\"timings\":{\"verify_ms\":1,\"confirm_ms\":1,"
     "\"briefing_ms\":1,\"total_ms\":1}}"},
    {12, "wristband_void", "S-K2-1", "{\"state\":\"void\",\"reason\":\"lost\"}"},
};
#define NFEED (sizeof(feed) / sizeof(*feed))

static void test_migration_from_v5(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < store_migrations_count && store_migrations[i].version <= 5; i++)
		sql_exec(f->path, store_migrations[i].sql);
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 5);
	sql_exec(f->path, "UPDATE meta SET device_id = 'kiosk-1', next_device_seq = 2;"
	                  "INSERT INTO rooms VALUES ('0801', 8, 2, 'free');"
	                  "INSERT INTO outbox (device_id, device_seq, kind, payload, created_at) "
	                  "VALUES ('kiosk-1', 1, 'audit', '{}', 1790000000);");
	struct store *st = open_ok(f->path);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	int64_t cursor = -1, at = -1;
	assert_int_equal(store_pull_state(st, &cursor, &at), 0);
	assert_int_equal(cursor, 0);
	assert_int_equal(at, 0);
	size_t pending = 0;
	assert_int_equal(store_outbox_count(st, &pending), 0);
	assert_int_equal(pending, 1); /* the v5 outbox row is still waiting */
	struct room_info r;
	assert_int_equal(store_room_get(st, "0801", &r), 0);
	store_close(st);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM room_leases"), 0);
}

static void test_apply_every_kind(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	struct store_pull_result res;
	assert_int_equal(store_pull_apply(st, feed, NFEED, 12, T0, &res), 0);
	assert_int_equal(res.applied, 11);
	assert_int_equal(res.kept, 1); /* the conflict: no table on a kiosk */
	struct room_info r;
	assert_int_equal(store_room_get(st, "1201", &r), 0);
	assert_int_equal(r.capacity, 2);
	assert_int_equal(r.state, ROOM_FREE);
	struct arrival_record a;
	assert_int_equal(store_arrival_get(st, 7, &a), 0);
	assert_string_equal(a.doc_number, "E0000007");
	enum risk risk;
	assert_int_equal(store_arrival_risk(st, 7, &risk), 0);
	assert_int_equal(risk, RISK_ORANGE);
	struct issuer_key k;
	assert_int_equal(store_issuer_key_get(st, "k1", &k), 0);
	assert_true(k.demo);
	bool revoked = false;
	assert_int_equal(store_revocation_has(st, "gd", "cred-9", &revoked), 0);
	assert_true(revoked);
	assert_int_equal(sql_int(f->path, "SELECT version FROM briefings WHERE lang = 'zh-CN'"), 2);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM badges WHERE badge_id = 'B-77'"),
	                 1);
	/* the other kiosk's person is in room 1202 here too, band void by the later change */
	struct store_resident res8;
	assert_int_equal(store_resident_get(st, 8, &res8), 0);
	assert_string_equal(res8.room, "1202");
	struct wristband_info band;
	assert_int_equal(store_wristband_get(st, "S-K2-1", &band), 0);
	assert_int_equal(band.state, WRISTBAND_VOID);
	/* nothing pulled is pushed back */
	size_t pending = 9;
	assert_int_equal(store_outbox_count(st, &pending), 0);
	assert_int_equal(pending, 0);
	char *body = NULL;
	assert_int_equal(store_pulled_get(st, "conflict", "kiosk-2/4", &body), 0);
	assert_non_null(strstr(body, "E_NO_ROOM"));
	free(body);
	store_close(st);
	/* the cursor and the time of the pull survive a restart */
	st = open_ok(f->path);
	int64_t cursor = 0, at = 0;
	assert_int_equal(store_pull_state(st, &cursor, &at), 0);
	assert_int_equal(cursor, 12);
	assert_int_equal(at, T0);
	store_close(st);
}

static void test_apply_idempotent(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	struct store_pull_result res;
	assert_int_equal(store_pull_apply(st, feed, NFEED, 12, T0, &res), 0);
	const char *tables[] = {"rooms",       "arrivals",    "risk_changes", "wristbands",
	                        "issuer_keys", "revocations", "briefings",    "badges",
	                        "checkins",    "occupancy",   "pulled",       "outbox"};
	int64_t before[12];
	char sql[96];
	for (size_t i = 0; i < 12; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		before[i] = sql_int(f->path, sql);
	}
	/* the same batch again (a pull repeated after a crash before the cursor was kept) */
	assert_int_equal(store_pull_apply(st, feed, NFEED, 12, T0 + 5, &res), 0);
	assert_int_equal(res.applied, 0);
	assert_int_equal(res.outdated, NFEED);
	for (size_t i = 0; i < 12; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		assert_int_equal(sql_int(f->path, sql), before[i]);
	}
	/* an older cursor never moves it back */
	assert_int_equal(store_pull_apply(st, NULL, 0, 3, T0 + 6, &res), 0);
	int64_t cursor = 0;
	assert_int_equal(store_pull_state(st, &cursor, NULL), 0);
	assert_int_equal(cursor, 12);
	/* a later change of the same room supersedes; an older one does not */
	struct store_change later[] = {
	    {20, "room", "1201", "{\"floor\":12,\"capacity\":3,\"state\":\"blocked\"}"},
	    {15, "room", "1201", "{\"floor\":12,\"capacity\":1,\"state\":\"free\"}"},
	};
	assert_int_equal(store_pull_apply(st, later, 2, 20, T0 + 7, &res), 0);
	assert_int_equal(res.applied, 1);
	assert_int_equal(res.outdated, 1);
	struct room_info r;
	assert_int_equal(store_room_get(st, "1201", &r), 0);
	assert_int_equal(r.capacity, 3);
	assert_int_equal(r.state, ROOM_BLOCKED);
	store_close(st);
}

static void test_apply_unknown_and_malformed(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	struct store_change odd[] = {
	    {1, "risk", "999", "{\"risk\":\"red\",\"at\":1,\"set_by\":\"d\",\"why\":\"\"}"},
	    {2, "wristband_void", "S-NOBODY", "{\"state\":\"void\",\"reason\":\"lost\"}"},
	    {3, "room", "1301", "not json"},
	    {4, "arrival", "abc", ARRIVAL_BODY("E1")},
	    {5, "room", "1302", "{\"floor\":13,\"capacity\":2,\"state\":\"free\"}"},
	    {6, "future_kind", "x", "{}"},
	};
	struct store_pull_result res;
	assert_int_equal(store_pull_apply(st, odd, 6, 6, T0, &res), 0);
	assert_int_equal(res.applied, 1); /* room 1302 only */
	assert_int_equal(res.kept, 5);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM risk_changes"), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM rooms"), 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM pulled"), 6);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM pulled WHERE applied = 1"), 1);
	int64_t cursor = 0;
	assert_int_equal(store_pull_state(st, &cursor, NULL), 0);
	assert_int_equal(cursor, 6); /* the pull goes on past what it could not apply */
	/* once the arrival exists, a later risk change for it applies */
	struct store_change fix[] = {
	    {7, "arrival", "999", ARRIVAL_BODY("E0000999")},
	    {8, "risk", "999", "{\"risk\":\"red\",\"at\":2,\"set_by\":\"d\",\"why\":\"\"}"},
	};
	assert_int_equal(store_pull_apply(st, fix, 2, 8, T0, &res), 0);
	assert_int_equal(res.applied, 2);
	enum risk risk;
	assert_int_equal(store_arrival_risk(st, 999, &risk), 0);
	assert_int_equal(risk, RISK_RED);
	store_close(st);
}

static struct checkin_record rec_for(int64_t arrival, const char *room, const char *serial)
{
	struct checkin_record c = {0};
	c.arrival_id = arrival;
	c.at = T0 + arrival;
	snprintf(c.code_result, sizeof(c.code_result), "green");
	snprintf(c.briefing_hash, sizeof(c.briefing_hash), "9f2c0a");
	snprintf(c.briefing_lang, sizeof(c.briefing_lang), "zh-CN");
	snprintf(c.room, sizeof(c.room), "%s", room);
	snprintf(c.risk_set_by, sizeof(c.risk_set_by), "kiosk");
	c.planned_release = day_from_ymd(2026, 12, 13);
	snprintf(c.wristband_serial, sizeof(c.wristband_serial), "%s", serial);
	snprintf(c.wristband_token, sizeof(c.wristband_token), "HK1:%s", serial);
	c.timings = (struct checkin_timings){1, 2, 3, 4};
	return c;
}

static void test_room_with_people_not_freed(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct checkin_record c = rec_for(7, "1201", "S1");
	assert_int_equal(store_checkin_commit(st, &c, NULL), 0);
	/* the station has not seen our check-in yet: it still says free */
	struct store_change stale[] = {
	    {30, "room", "1201", "{\"floor\":12,\"capacity\":2,\"state\":\"free\"}"},
	};
	assert_int_equal(store_pull_apply(st, stale, 1, 30, T0, NULL), 0);
	struct room_info r;
	assert_int_equal(store_room_get(st, "1201", &r), 0);
	assert_int_equal(r.state, ROOM_OCCUPIED);
	assert_int_equal(r.occupants, 1);
	store_close(st);
}

/* A store recreated after the old one was moved aside as corrupt rebuilds the device's own
 * past check-ins from the station; its new records get seqs after them. The old store's own
 * record coming back stays skipped there. */
static void test_own_records_rebuilt(void **state)
{
	struct fx *f = *state;
	struct store *old = make_store(f->path);
	assert_int_equal(store_pull_apply(old, feed, 4, 4, T0, NULL), 0);
	struct checkin_record c = rec_for(7, "1201", "S1");
	assert_int_equal(store_checkin_commit(old, &c, NULL), 0);
	struct outbox_item *items;
	size_t n;
	assert_int_equal(store_outbox_pending(old, 10, &items, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].kind, "checkin");
	char key[64];
	snprintf(key, sizeof(key), "kiosk-1/%lld", (long long)items[0].device_seq);
	int64_t old_seq = items[0].device_seq;
	char *body = strdup(items[0].payload);
	store_outbox_free(items, n);
	struct store_change back[] = {{40, "checkin", key, body}};
	struct store_pull_result res;
	assert_int_equal(store_pull_apply(old, back, 1, 40, T0, &res), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM checkins"), 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 1);
	store_close(old);

	char moved[160];
	snprintf(moved, sizeof(moved), "%s.corrupt", f->path);
	assert_int_equal(rename(f->path, moved), 0);
	struct store *fresh = make_store(f->path);
	assert_int_equal(store_pull_apply(fresh, feed, 4, 4, T0, NULL), 0);
	assert_int_equal(store_pull_apply(fresh, back, 1, 40, T0, &res), 0);
	struct checkin_row row;
	assert_int_equal(store_checkin_active(fresh, 7, &row), 0);
	assert_string_equal(row.c.room, "1201");
	/* nothing to send: the station holds it */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 0);
	/* the next own record comes after it, so the station never takes it for a resend */
	c = rec_for(8, "1201", "S2");
	assert_int_equal(store_checkin_commit(fresh, &c, NULL), 0);
	assert_true(sql_int(f->path, "SELECT max(device_seq) FROM outbox") > old_seq);
	store_close(fresh);
	free(body);
}

#define END_BODY(arrival, room, outcome)                                                           \
	"{\"arrival_id\":" #arrival ",\"room\":\"" room "\",\"outcome\":\"" outcome                \
	"\",\"at\":1796500000}"

static int64_t open_in(const char *path, const char *room)
{
	char sql[128];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM occupancy WHERE room = '%s' AND until IS NULL", room);
	return sql_int(path, sql);
}

/* A resident of this kiosk released at the station: the end is pulled, the room counts as
 * free here again (also after a "free" this store refused while the person was in it), a
 * lease of it is used and not given back; the same end again changes nothing. */
static void test_checkin_end_frees_room(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct checkin_record c = rec_for(7, "1202", "S1");
	struct checkin_result cr;
	assert_int_equal(store_checkin_commit(st, &c, &cr), 0);
	assert_int_equal(store_outbox_mark_sent(st, "", cr.device_seq, T0), 0);
	char key[32];
	snprintf(key, sizeof(key), "kiosk-1/%lld", (long long)cr.device_seq);
	/* the station cleaned the room and said free before this kiosk heard of the release */
	struct store_change freed[] = {
	    {50, "room", "1202", "{\"floor\":12,\"capacity\":1,\"state\":\"free\"}"},
	};
	assert_int_equal(store_pull_apply(st, freed, 1, 50, T0, NULL), 0);
	struct room_info r;
	assert_int_equal(store_room_get(st, "1202", &r), 0);
	assert_int_equal(r.state, ROOM_OCCUPIED);
	struct store_lease l = {"1202", 1, T0 + 1000, false};
	assert_int_equal(store_leases_set(st, &l, 1), 0);
	char rooms[2][STORE_ROOM_MAX];
	size_t n = 0;
	assert_int_equal(store_leases_returning(st, rooms, 2, &n), 0);
	assert_int_equal(n, 1); /* still counted as occupied: would go back unused */
	/* a malformed end, and one naming another person under this key, change nothing */
	struct store_change wrong[] = {
	    {51, "checkin_end", key, "{\"arrival_id\":7}"},
	    {52, "checkin_end", "kiosk-1", END_BODY(7, "1202", "released")},
	};
	struct store_pull_result pr;
	assert_int_equal(store_pull_apply(st, wrong, 2, 52, T0, &pr), 0);
	assert_int_equal(pr.kept, 2);
	struct store_change other = {53, "checkin_end", key, END_BODY(8, "1202", "released")};
	assert_int_equal(store_pull_apply(st, &other, 1, 53, T0, &pr), 0);
	assert_int_equal(pr.kept, 1);
	assert_int_equal(open_in(f->path, "1202"), 1);

	struct store_change end = {54, "checkin_end", key, END_BODY(7, "1202", "released")};
	assert_int_equal(store_pull_apply(st, &end, 1, 54, T0 + 9, &pr), 0);
	assert_int_equal(pr.applied, 1);
	assert_int_equal(open_in(f->path, "1202"), 0);
	assert_int_equal(sql_int(f->path, "SELECT until FROM occupancy WHERE arrival_id = 7"),
	                 1796500000);
	struct store_resident res;
	assert_int_equal(store_resident_get(st, 7, &res), 0);
	assert_int_equal(res.status, RESIDENT_RELEASED);
	assert_int_equal(store_room_get(st, "1202", &r), 0);
	assert_int_equal(r.state, ROOM_FREE); /* the station's word, no longer refused */
	assert_int_equal(r.occupants, 0);
	int places = 0;
	assert_int_equal(store_leases_free_places(st, T0, &places), 0);
	assert_int_equal(places, 1);
	assert_int_equal(store_leases_returning(st, rooms, 2, &n), 0);
	assert_int_equal(n, 0); /* the lease is kept for the next person */
	/* applied twice: the same change, and the station publishing it again */
	int64_t occ = sql_int(f->path, "SELECT count(*) FROM occupancy");
	assert_int_equal(store_pull_apply(st, &end, 1, 54, T0 + 10, &pr), 0);
	assert_int_equal(pr.outdated, 1);
	struct store_change again = {60, "checkin_end", key, END_BODY(7, "1202", "released")};
	assert_int_equal(store_pull_apply(st, &again, 1, 60, T0 + 11, &pr), 0);
	assert_int_equal(pr.applied, 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM occupancy"), occ);
	assert_int_equal(sql_int(f->path, "SELECT until FROM occupancy WHERE arrival_id = 7"),
	                 1796500000);
	/* the room is filled again here */
	c = rec_for(8, "1202", "S2");
	assert_int_equal(store_checkin_commit(st, &c, NULL), 0);
	assert_int_equal(open_in(f->path, "1202"), 1);
	assert_int_equal(store_room_get(st, "1202", &r), 0);
	assert_int_equal(r.state, ROOM_OCCUPIED);
	/* a later end of the first stay does not touch the new resident */
	struct store_change late = {61, "checkin_end", key, END_BODY(7, "1202", "transferred")};
	assert_int_equal(store_pull_apply(st, &late, 1, 61, T0 + 12, &pr), 0);
	assert_int_equal(open_in(f->path, "1202"), 1);
	assert_int_equal(store_resident_get(st, 8, &res), 0);
	assert_int_equal(res.status, RESIDENT_IN_QUARANTINE);
	store_close(st);
}

/* Another kiosk's check-in whose end (and band void) is pulled before the check-in itself:
 * the end is kept, then applied with the check-in, so the room is not left counted full. */
static void test_checkin_end_before_checkin(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct store_change early[] = {
	    {20, "checkin_end", "kiosk-2/1", END_BODY(8, "1202", "transferred")},
	    {21, "wristband_void", "S-K2-1", "{\"state\":\"void\",\"reason\":\"transferred\"}"},
	};
	struct store_pull_result pr;
	assert_int_equal(store_pull_apply(st, early, 2, 21, T0, &pr), 0);
	assert_int_equal(pr.applied, 0);
	assert_int_equal(pr.kept, 2);
	/* the check-in it ends arrives later (feed[10]: arrival 8 in 1202, band S-K2-1) */
	assert_int_equal(store_pull_apply(st, &feed[10], 1, 22, T0, &pr), 0);
	assert_int_equal(pr.applied, 1);
	assert_int_equal(open_in(f->path, "1202"), 0);
	struct store_resident res;
	assert_int_equal(store_resident_get(st, 8, &res), 0);
	assert_int_equal(res.status, RESIDENT_TRANSFERRED);
	struct wristband_info band;
	assert_int_equal(store_wristband_get(st, "S-K2-1", &band), 0);
	assert_int_equal(band.state, WRISTBAND_VOID);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM pulled WHERE applied = 0"), 0);
	struct room_info r;
	assert_int_equal(store_room_get(st, "1202", &r), 0);
	assert_int_equal(r.occupants, 0);
	/* the check-in and its end again: nothing changes; the room takes a new person */
	assert_int_equal(store_pull_apply(st, early, 2, 22, T0, &pr), 0);
	assert_int_equal(store_pull_apply(st, &feed[10], 1, 22, T0, &pr), 0);
	assert_int_equal(pr.outdated, 1);
	assert_int_equal(open_in(f->path, "1202"), 0);
	struct checkin_record c = rec_for(7, "1202", "S1");
	assert_int_equal(store_checkin_commit(st, &c, NULL), 0);
	assert_int_equal(open_in(f->path, "1202"), 1);
	store_close(st);
}

/* A kept end naming another person than the check-in that arrives under its key ends
 * nobody, and the check-in still applies. */
static void test_checkin_end_mismatch_kept(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct store_change odd = {20, "checkin_end", "kiosk-2/1", END_BODY(7, "1201", "released")};
	struct store_pull_result pr;
	assert_int_equal(store_pull_apply(st, &odd, 1, 20, T0, &pr), 0);
	assert_int_equal(pr.kept, 1);
	assert_int_equal(store_pull_apply(st, &feed[10], 1, 21, T0, &pr), 0);
	assert_int_equal(pr.applied, 1);
	struct store_resident res;
	assert_int_equal(store_resident_get(st, 8, &res), 0);
	assert_int_equal(res.status, RESIDENT_IN_QUARANTINE);
	assert_int_equal(open_in(f->path, "1202"), 1);
	assert_int_equal(sql_int(f->path, "SELECT applied FROM pulled WHERE kind = 'checkin_end'"),
	                 0);
	store_close(st);
}

static void test_leases(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct store_lease l[2] = {{"1201", 2, T0 + 100, false}, {"1202", 1, T0 + 10, false}};
	assert_int_equal(store_leases_set(st, l, 2), 0);
	int places = 0;
	assert_int_equal(store_leases_free_places(st, T0, &places), 0);
	assert_int_equal(places, 3);
	assert_int_equal(store_leases_free_places(st, T0 + 50, &places), 0);
	assert_int_equal(places, 2); /* 1202's lease expired here */
	char rooms[4][STORE_ROOM_MAX];
	size_t n = 9;
	assert_int_equal(store_leases_returning(st, rooms, 4, &n), 0);
	assert_int_equal(n, 0);
	/* a used room goes back only after its check-in left the outbox */
	struct checkin_record c = rec_for(7, "1201", "S1");
	struct checkin_result cr;
	assert_int_equal(store_checkin_commit(st, &c, &cr), 0);
	assert_int_equal(store_leases_free_places(st, T0, &places), 0);
	assert_int_equal(places, 1);
	assert_int_equal(store_leases_returning(st, rooms, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_outbox_mark_sent(st, "", cr.device_seq, T0), 0);
	assert_int_equal(store_leases_returning(st, rooms, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rooms[0], "1201");
	assert_int_equal(store_lease_give_back(st, "1202"), 0);
	assert_int_equal(store_lease_give_back(st, "9999"), STORE_E_NOT_FOUND);
	assert_int_equal(store_leases_returning(st, rooms, 4, &n), 0);
	assert_int_equal(n, 2);
	/* the station's answer replaces the list */
	struct store_lease fresh[1] = {{"1202", 1, T0 + 500, false}};
	assert_int_equal(store_leases_set(st, fresh, 1), 0);
	struct store_lease *held = NULL;
	assert_int_equal(store_leases_list(st, &held, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(held[0].room, "1202");
	assert_false(held[0].give_back);
	free(held);
	store_close(st);
}

static void test_checkin_without_room(void **state)
{
	struct fx *f = *state;
	struct store *st = make_store(f->path);
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct checkin_record c = rec_for(7, "", "");
	struct checkin_result res;
	assert_int_equal(store_checkin_without_room(st, &c, 1, "", &res), STORE_E_INVALID);
	assert_int_equal(store_checkin_without_room(st, &c, 1, "B-77", &res), 0);
	assert_int_equal(res.device_seq, 1);
	bool waiting = false;
	assert_int_equal(store_checkin_waiting(st, 7, &waiting), 0);
	assert_true(waiting);
	/* the outbox holds the check-in (room "") and the staff approval */
	struct outbox_item *items = NULL;
	size_t n = 0;
	assert_int_equal(store_outbox_pending(st, 10, &items, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].kind, "checkin");
	assert_non_null(strstr(items[0].payload, "\"room\":\"\""));
	assert_non_null(strstr(items[0].payload, "\"briefing_hash\":\"9f2c0a\""));
	assert_string_equal(items[1].kind, "audit");
	assert_non_null(strstr(items[1].payload, "approve_no_room"));
	store_outbox_free(items, n);
	/* nobody checks the same person in twice */
	assert_int_equal(store_checkin_without_room(st, &c, 1, "B-77", &res),
	                 STORE_E_ALREADY_CHECKED_IN);
	struct checkin_record roomed = rec_for(7, "1201", "S9");
	assert_int_equal(store_checkin_commit(st, &roomed, NULL), STORE_E_ALREADY_CHECKED_IN);
	struct checkin_record nobody = rec_for(4242, "", "");
	assert_int_equal(store_checkin_without_room(st, &nobody, 1, "B-77", &res),
	                 STORE_E_NOT_FOUND);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM outbox"), 2);
	/* the front desk gives the room: its check-in comes back from the station and ends the
	 * wait here (a conflicting one would leave the wait as it is) */
	struct store_change desk[] = {
	    {20, "checkin", "desk-1/3",
	     "{\"device_id\":\"desk-1\",\"device_seq\":3,\"arrival_id\":7,\"at\":1796000400,"
	     "\"code_result\":\"green\",\"code_reason\":\"OK\",\"briefing_hash\":\"9f2c0a\","
	     "\"briefing_lang\":\"zh-CN\",\"room\":\"1202\",\"risk\":\"green\",\"risk_set_by\":"
	     "\"B-77\",\"planned_release\":\"2026-12-13\",\"wristband_serial\":\"S-D-3\","
	     "\"wristband_token\":\"T\",\"timings\":{}}"},
	};
	struct store_pull_result pr;
	assert_int_equal(store_pull_apply(st, desk, 1, 20, T0, &pr), 0);
	assert_int_equal(pr.applied, 1);
	assert_int_equal(store_checkin_waiting(st, 7, &waiting), 0);
	assert_false(waiting);
	struct store_resident r;
	assert_int_equal(store_resident_get(st, 7, &r), 0);
	assert_string_equal(r.room, "1202");
	store_close(st);
}

static void test_source_adapter(void **state)
{
	struct fx *f = *state;
	char err[256];
	/* a fresh store takes the token's device id */
	store_close(open_ok(f->path));
	struct sync_source *src = sync_store_source_open(f->path, "kiosk-9", err, sizeof(err));
	if (!src)
		fail_msg("%s", err);
	struct store *st = open_ok(f->path);
	struct store_identity id;
	assert_int_equal(store_identity_get(st, &id), 0);
	assert_string_equal(id.device_id, "kiosk-9");
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct checkin_record c = rec_for(7, "1201", "S1");
	assert_int_equal(store_checkin_commit(st, &c, NULL), 0);
	struct sync_record *recs = NULL;
	size_t n = 0, pending = 0;
	assert_int_equal(src->ops->pending(src, 10, &recs, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(recs[0].seq, 1);
	assert_string_equal(recs[0].kind, "checkin");
	assert_non_null(strstr(recs[0].body, "\"room\":\"1201\""));
	sync_records_free(recs, n);
	assert_int_equal(src->ops->mark_sent(src, 1), 0);
	assert_int_equal(src->ops->count(src, &pending), 0);
	assert_int_equal(pending, 0);
	/* pulled changes through the adapter, then leases */
	struct sync_change ch = {40, "room", "1203",
	                         (char *)"{\"floor\":12,\"capacity\":2,"
	                                 "\"state\":\"free\"}"};
	struct sync_pull_reply reply = {&ch, 1, 40, false};
	assert_int_equal(src->ops->apply(src, &reply), 0);
	int64_t cursor = 0;
	assert_int_equal(src->ops->cursor(src, &cursor), 0);
	assert_int_equal(cursor, 40);
	struct sync_lease_reply lr = {.n = 1};
	snprintf(lr.leases[0].room, sizeof(lr.leases[0].room), "1203");
	lr.leases[0].capacity = 2;
	lr.leases[0].expires_in = 3600;
	assert_int_equal(src->ops->leases_set(src, &lr), 0);
	struct sync_lease_request req;
	memset(&req, 0, sizeof(req));
	assert_int_equal(src->ops->leases_returning(src, &req), 0);
	assert_int_equal(req.n_returned, 0);
	int places = 0;
	assert_int_equal(store_leases_free_places(st, (int64_t)time(NULL), &places), 0);
	assert_int_equal(places, 2);
	store_close(st);
	src->ops->close(src);
	/* a store of another device is refused */
	src = sync_store_source_open(f->path, "kiosk-2", err, sizeof(err));
	assert_null(src);
	assert_non_null(strstr(err, "kiosk-9"));
	char dev[SYNC_ID_MAX];
	assert_int_equal(sync_token_device("kiosk-2.abcdef", dev), 0);
	assert_string_equal(dev, "kiosk-2");
	assert_int_equal(sync_token_device("nodot", dev), SYNC_E_MALFORMED);
	assert_int_equal(sync_token_device("bad id.x", dev), SYNC_E_MALFORMED);
}

/* The station answered `reused`: the undelivered records move past every seq in use, with
 * every row that names them; the ones the station holds are delivered; new records follow. */
static void test_source_renumber(void **state)
{
	struct fx *f = *state;
	char err[256];
	store_close(open_ok(f->path));
	struct sync_source *src = sync_store_source_open(f->path, "kiosk-1", err, sizeof(err));
	if (!src)
		fail_msg("%s", err);
	struct store *st = open_ok(f->path);
	assert_int_equal(store_pull_apply(st, feed, 4, 4, T0, NULL), 0);
	struct checkin_record c = rec_for(7, "1201", "S1");
	assert_int_equal(store_checkin_commit(st, &c, NULL), 0); /* seq 1 */
	struct checkin_record w = rec_for(8, "", "");
	struct checkin_result res;
	assert_int_equal(store_checkin_without_room(st, &w, 1, "B-77", &res), 0); /* 2, 3 */
	size_t moved = 0;
	int64_t first = 0;
	assert_int_equal(src->ops->renumber(src, NULL, 0, 10, &moved, &first), 0);
	assert_int_equal(moved, 3);
	assert_int_equal(first, 11);
	assert_int_equal(sql_int(f->path, "SELECT device_seq FROM checkins WHERE arrival_id = 7"),
	                 11);
	assert_int_equal(sql_int(f->path, "SELECT device_seq FROM wristbands WHERE serial = 'S1'"),
	                 11);
	assert_int_equal(sql_int(f->path, "SELECT device_seq FROM checkins_waiting"), 12);
	assert_int_equal(sql_int(f->path, "SELECT device_seq FROM audit_log WHERE action = "
	                                  "'approve_no_room'"),
	                 13);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM outbox WHERE "
	                                  "json_extract(payload, '$.device_seq') = device_seq"),
	                 3);
	/* the station holds 11 now; 12 and 13 were reused again: past the device's own 13 */
	int64_t held = 11;
	assert_int_equal(src->ops->renumber(src, &held, 1, 0, &moved, &first), 0);
	assert_int_equal(moved, 2);
	assert_int_equal(first, 14);
	struct sync_record *recs = NULL;
	size_t n = 0;
	assert_int_equal(src->ops->pending(src, 10, &recs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(recs[0].seq, 14);
	assert_string_equal(recs[0].kind, "checkin");
	assert_non_null(strstr(recs[0].body, "\"device_seq\":14"));
	assert_int_equal(recs[1].seq, 15);
	sync_records_free(recs, n);
	bool waiting = false;
	assert_int_equal(store_checkin_waiting(st, 8, &waiting), 0);
	assert_true(waiting);
	struct store_identity id;
	assert_int_equal(store_identity_get(st, &id), 0);
	assert_int_equal(id.next_device_seq, 16);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL "
	                                  "AND device_seq = 11"),
	                 1);
	store_close(st);
	src->ops->close(src);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_migration_from_v5),
	    T(test_apply_every_kind),
	    T(test_apply_idempotent),
	    T(test_apply_unknown_and_malformed),
	    T(test_room_with_people_not_freed),
	    T(test_checkin_end_frees_room),
	    T(test_checkin_end_before_checkin),
	    T(test_checkin_end_mismatch_kept),
	    T(test_leases),
	    T(test_own_records_rebuilt),
	    T(test_checkin_without_room),
	    T(test_source_adapter),
	    T(test_source_renumber),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
