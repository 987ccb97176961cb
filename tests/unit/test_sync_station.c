/* tests/unit/test_sync_station.c: the station backend on a real SQLite file (credentials,
 * exactly-once, held_through, conflicts decided in sequence order, leases with a test
 * clock), the back-off curve, and the client thread against the real server in this process
 * on 127.0.0.1 (delivery, offline status, a server that never answers, prompt stop). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app/store/store.h"
#include "app/sync/client.h"
#include "app/sync/device_db.h"
#include "app/sync/server.h"
#include "app/sync/station.h"
#include "app/sys/sys.h"

struct fixture {
	char dir[64];
	char path[128];
	int64_t now;
	struct sync_station *st;
	struct sync_backend *b;
};

static int64_t test_now(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_sync_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/station.db", f->dir);
	f->now = 1795000000;
	struct sync_station_options o = {
	    .station_id = "st", .lease_ttl_s = 100, .now = test_now, .now_ctx = f};
	f->st = sync_station_open(f->path, &o, err, sizeof(err));
	if (!f->st)
		return -1;
	f->b = sync_station_backend(f->st);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];
	sync_station_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct sync_device enrol(struct fixture *f, const char *id, enum sync_role role)
{
	char token[SYNC_TOKEN_MAX];
	struct sync_device d;
	assert_int_equal(sync_station_device_add(f->st, id, id, role, token), 0);
	assert_int_equal(f->b->ops->authenticate(f->b, id, strchr(token, '.') + 1, &d), 0);
	assert_string_equal(d.id, id);
	assert_int_equal(d.role, role);
	return d;
}

static void test_credentials(void **state)
{
	struct fixture *f = *state;
	char token[SYNC_TOKEN_MAX], other[SYNC_TOKEN_MAX];
	struct sync_device d;
	assert_int_equal(sync_station_device_add(f->st, "k1", "Kiosk 1", SYNC_ROLE_ENTRANCE, token),
	                 0);
	assert_int_equal(sync_station_device_add(f->st, "k2", "Kiosk 2", SYNC_ROLE_SECURITY, other),
	                 0);
	assert_int_equal(sync_station_device_add(f->st, "k1", "again", SYNC_ROLE_ENTRANCE, other),
	                 SYNC_E_FORBIDDEN);
	const char *secret = strchr(token, '.') + 1;
	const char *secret2 = strchr(other, '.') + 1;
	assert_string_not_equal(secret, secret2);
	assert_int_equal(f->b->ops->authenticate(f->b, "k1", secret, &d), 0);
	assert_int_equal(f->b->ops->authenticate(f->b, "k1", secret2, &d), SYNC_E_UNAUTHENTICATED);
	assert_int_equal(f->b->ops->authenticate(f->b, "k3", secret, &d), SYNC_E_UNAUTHENTICATED);
	assert_int_equal(sync_station_device_revoke(f->st, "k1"), 0);
	assert_int_equal(f->b->ops->authenticate(f->b, "k1", secret, &d), SYNC_E_UNAUTHENTICATED);
	assert_int_equal(sync_station_device_revoke(f->st, "nobody"), SYNC_E_NOT_FOUND);
	char hash[SYNC_HASH_MAX];
	assert_int_equal(sync_secret_hash(secret, hash), 0);
	assert_true(sync_secret_check(secret, hash));
	assert_false(sync_secret_check(secret2, hash));
	assert_false(sync_secret_check(secret, "sha256:short"));
}

static int push(struct fixture *f, const struct sync_device *d, struct sync_record *r, size_t n,
                struct sync_push_reply *out)
{
	struct sync_push p = {.records = r, .n = n};
	snprintf(p.device, sizeof(p.device), "%s", d->id);
	return f->b->ops->push(f->b, d, &p, out);
}

/* A count from the station's file, read on a connection of its own. */
static int64_t query_count(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void test_exactly_once_and_held_through(void **state)
{
	struct fixture *f = *state;
	struct sync_device d = enrol(f, "k1", SYNC_ROLE_ENTRANCE);
	struct sync_record r[3] = {{.seq = 4, .kind = "scan", .body = "{\"n\":4}"},
	                           {.seq = 1, .kind = "scan", .body = "{\"n\":1}"},
	                           {.seq = 2, .kind = "scan", .body = "{\"n\":2}"}};
	struct sync_push_reply rep;
	assert_int_equal(push(f, &d, r, 3, &rep), 0);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.held_through, 2); /* 3 is missing */
	for (size_t i = 0; i < rep.n; i++)
		assert_int_equal(rep.results[i].status, SYNC_RESULT_STORED);
	sync_push_reply_free(&rep);
	struct sync_record again[2] = {{.seq = 3, .kind = "scan", .body = "{\"n\":3}"},
	                               {.seq = 4, .kind = "scan", .body = "{\"n\":\"other\"}"}};
	assert_int_equal(push(f, &d, again, 2, &rep), 0);
	assert_int_equal(rep.held_through, 4);
	assert_int_equal(rep.results[0].seq, 3);
	assert_int_equal(rep.results[0].status, SYNC_RESULT_STORED);
	/* another body under a held seq (a recreated device store) is reused, not a duplicate */
	assert_int_equal(rep.results[1].status, SYNC_RESULT_REUSED);
	sync_push_reply_free(&rep);
	int64_t held, through;
	assert_int_equal(sync_station_device_held(f->st, "k1", &held, &through), 0);
	assert_int_equal(held, 4);
	assert_int_equal(through, 4);
	/* the held record is untouched; a byte-identical resend is a duplicate; so is a resend
	 * of a reused seq's first record, however often the other one comes */
	assert_int_equal(query_count(f, "SELECT count(*) FROM sync_records WHERE device_seq = 4 "
	                                "AND body = '{\"n\":4}'"),
	                 1);
	struct sync_record same[2] = {{.seq = 4, .kind = "scan", .body = "{\"n\":4}"},
	                              {.seq = 4, .kind = "audit", .body = "{\"n\":4}"}};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(push(f, &d, &same[i], 1, &rep), 0);
		assert_int_equal(rep.results[0].status,
		                 i == 0 ? SYNC_RESULT_DUPLICATE : SYNC_RESULT_REUSED);
		sync_push_reply_free(&rep);
	}
	assert_int_equal(push(f, &d, &again[1], 1, &rep), 0);
	assert_int_equal(rep.results[0].status, SYNC_RESULT_REUSED);
	assert_int_equal(rep.held_through, 4);
	sync_push_reply_free(&rep);
	assert_int_equal(query_count(f, "SELECT count(*) FROM sync_records"), 4);
	/* a malformed check-in body refuses the whole batch */
	struct sync_record bad[2] = {{.seq = 5, .kind = "scan", .body = "{}"},
	                             {.seq = 6, .kind = "checkin", .body = "{\"room\":\"1\"}"}};
	assert_int_equal(push(f, &d, bad, 2, &rep), SYNC_E_MALFORMED);
	assert_int_equal(sync_station_device_held(f->st, "k1", &held, &through), 0);
	assert_int_equal(held, 4);
	assert_true(sync_station_integrity_ok(f->st));
}

static void test_conflicts_first_stored_wins(void **state)
{
	struct fixture *f = *state;
	struct sync_device a = enrol(f, "ka", SYNC_ROLE_ENTRANCE);
	struct sync_device b = enrol(f, "kb", SYNC_ROLE_ENTRANCE);
	assert_int_equal(sync_station_room_add(f->st, "101", 1), 0);
	assert_int_equal(sync_station_room_add(f->st, "102", 2), 0);
	/* in one batch, out of order: seq 1 is decided first and wins */
	struct sync_record r[2] = {
	    {.seq = 2, .kind = "checkin", .body = "{\"arrival_id\":7,\"room\":\"102\"}"},
	    {.seq = 1, .kind = "checkin", .body = "{\"arrival_id\":7,\"room\":\"101\"}"}};
	struct sync_push_reply rep;
	assert_int_equal(push(f, &a, r, 2, &rep), 0);
	assert_int_equal(rep.results[0].seq, 1);
	assert_int_equal(rep.results[0].status, SYNC_RESULT_STORED);
	assert_int_equal(rep.results[1].status, SYNC_RESULT_CONFLICT);
	sync_push_reply_free(&rep);
	/* room 101 holds one: another person there from kiosk b is a conflict; unknown room too */
	struct sync_record s[3] = {
	    {.seq = 1, .kind = "checkin", .body = "{\"arrival_id\":8,\"room\":\"101\"}"},
	    {.seq = 2, .kind = "checkin", .body = "{\"arrival_id\":9,\"room\":\"999\"}"},
	    {.seq = 3, .kind = "checkin", .body = "{\"arrival_id\":10,\"room\":\"\"}"}};
	assert_int_equal(push(f, &b, s, 3, &rep), 0);
	assert_int_equal(rep.results[0].status, SYNC_RESULT_CONFLICT);
	assert_int_equal(rep.results[1].status, SYNC_RESULT_CONFLICT);
	assert_int_equal(rep.results[2].status, SYNC_RESULT_STORED); /* no room: front desk */
	sync_push_reply_free(&rep);
	/* the repeat of a conflict stays a duplicate, never turns into a stored record */
	assert_int_equal(push(f, &b, s, 1, &rep), 0);
	assert_int_equal(rep.results[0].status, SYNC_RESULT_DUPLICATE);
	sync_push_reply_free(&rep);
	struct sync_station_counts c;
	assert_int_equal(sync_station_counts(f->st, &c), 0);
	assert_int_equal(c.records, 5);
	assert_int_equal(c.conflicts, 3);
	/* the pull carries the rooms, the accepted check-ins and the conflicts, in order */
	struct sync_pull_reply pr;
	assert_int_equal(f->b->ops->pull(f->b, &a, 0, 3, &pr), 0);
	assert_int_equal(pr.n, 3);
	assert_true(pr.more);
	assert_string_equal(pr.changes[0].kind, "room");
	assert_string_equal(pr.changes[2].kind, "checkin");
	assert_string_equal(pr.changes[2].key, "ka/1");
	int64_t cursor = pr.cursor;
	sync_pull_reply_free(&pr);
	assert_int_equal(f->b->ops->pull(f->b, &a, cursor, 100, &pr), 0);
	assert_false(pr.more);
	assert_string_equal(pr.changes[0].kind, "conflict");
	assert_string_equal(pr.changes[0].key, "ka/2");
	assert_non_null(strstr(pr.changes[0].body, "\"winner\":\"ka/1\""));
	sync_push_reply_free(&(struct sync_push_reply){0});
	sync_pull_reply_free(&pr);
}

static void test_leases(void **state)
{
	struct fixture *f = *state;
	struct sync_device a = enrol(f, "ka", SYNC_ROLE_ENTRANCE);
	struct sync_device b = enrol(f, "kb", SYNC_ROLE_FRONTDESK);
	const char *rooms[] = {"201", "202", "203", "204", "205"};
	for (int i = 0; i < 5; i++)
		assert_int_equal(sync_station_room_add(f->st, rooms[i], 2), 0);
	struct sync_lease_request want3 = {.want = 3};
	struct sync_lease_reply ra, rb;
	assert_int_equal(f->b->ops->lease(f->b, &a, &want3, &ra), 0);
	assert_int_equal(ra.n, 3);
	assert_int_equal(ra.free_rooms, 2);
	assert_int_equal(ra.leases[0].expires_in, 100);
	assert_int_equal(f->b->ops->lease(f->b, &b, &want3, &rb), 0);
	assert_int_equal(rb.n, 2);
	assert_int_equal(rb.free_rooms, 0);
	for (int i = 0; i < ra.n; i++)
		for (int k = 0; k < rb.n; k++)
			assert_string_not_equal(ra.leases[i].room, rb.leases[k].room);
	/* asking again gives the same leases, renewed */
	f->now += 50;
	struct sync_lease_reply again;
	assert_int_equal(f->b->ops->lease(f->b, &a, &want3, &again), 0);
	assert_int_equal(again.n, 3);
	assert_string_equal(again.leases[2].room, ra.leases[2].room);
	assert_int_equal(again.leases[0].expires_in, 100);
	/* kiosk a fills one room and returns another */
	struct sync_record r = {
	    .seq = 1, .kind = "checkin", .body = "{\"arrival_id\":1,\"room\":\"201\"}"};
	struct sync_push_reply rep;
	assert_int_equal(push(f, &a, &r, 1, &rep), 0);
	sync_push_reply_free(&rep);
	struct sync_lease_request ret = {.want = 0, .n_returned = 2};
	strcpy(ret.returned[0], "201");
	strcpy(ret.returned[1], "202");
	assert_int_equal(f->b->ops->lease(f->b, &a, &ret, &again), 0);
	assert_int_equal(again.n, 1);
	/* 202 is free again; 201 has a person in it and is never leased again */
	assert_int_equal(f->b->ops->lease(f->b, &b, &want3, &rb), 0);
	assert_int_equal(rb.n, 3);
	for (int k = 0; k < rb.n; k++)
		assert_string_not_equal(rb.leases[k].room, "201");
	/* a's last lease (203) expires at +150, stays reserved through the grace (+250) */
	f->now += 150;
	struct sync_lease_request want1 = {.want = 4};
	assert_int_equal(f->b->ops->lease(f->b, &b, &want1, &rb), 0);
	assert_int_equal(rb.n, 3);
	f->now += 101;
	assert_int_equal(f->b->ops->lease(f->b, &b, &want1, &rb), 0);
	assert_int_equal(rb.n, 4);
}

/* The store's own tables (as stationctl writes them) reach the change log once, and again
 * only when they change. */
static void test_mirror_store_tables(void **state)
{
	struct fixture *f = *state;
	char path[160], err[160];
	struct store_error serr;
	snprintf(path, sizeof(path), "%s/store.db", f->dir);
	struct store *store = store_open(path, &serr);
	assert_non_null(store);
	struct room_spec rooms[] = {{"1201", 12, 2}, {"1202", 12, 2}};
	assert_int_equal(store_rooms_add(store, rooms, 2, NULL), 0);
	struct issuer_key k = {
	    .kid = "k1", .issuer = "hc", .alg = "Ed25519", .public_key = "AAAA", .added_at = 1};
	assert_int_equal(store_issuer_key_add(store, &k), 0);
	struct sync_station_options o = {.station_id = "st", .now = test_now, .now_ctx = f};
	struct sync_station *st = sync_station_open(path, &o, err, sizeof(err));
	assert_non_null(st);
	int64_t n;
	assert_int_equal(sync_station_mirror(st, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(sync_station_mirror(st, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_room_set_state(store, "1202", ROOM_BLOCKED), 0);
	assert_int_equal(store_issuer_key_revoke(store, "k1", 5), 0);
	/* a pull mirrors first (the test clock has not moved since: force it on) */
	f->now++;
	struct sync_backend *b = sync_station_backend(st);
	struct sync_device d = {.id = "x", .role = SYNC_ROLE_SECURITY};
	struct sync_pull_reply pr;
	assert_int_equal(b->ops->pull(b, &d, 3, 100, &pr), 0);
	assert_int_equal(pr.n, 2);
	assert_string_equal(pr.changes[0].kind, "room");
	assert_string_equal(pr.changes[0].key, "1202");
	assert_string_equal(pr.changes[0].body,
	                    "{\"floor\":12,\"capacity\":2,\"state\":\"blocked\"}");
	assert_string_equal(pr.changes[1].kind, "issuer_key");
	assert_non_null(strstr(pr.changes[1].body, "\"revoked_at\":5"));
	sync_pull_reply_free(&pr);
	sync_station_close(st);
	store_close(store);
}

/* A person checked in at the station itself (through the store) counts for conflicts. */
static void test_store_checkins_count(void **state)
{
	struct fixture *f = *state;
	char path[160], err[160], token[SYNC_TOKEN_MAX];
	struct store_error serr;
	struct manifest_report rep = {0};
	snprintf(path, sizeof(path), "%s/store.db", f->dir);
	struct store *store = store_open(path, &serr);
	assert_non_null(store);
	assert_int_equal(store_identity_set(store, "st", "desk"), 0);
	assert_int_equal(
	    store_manifest_import_file(store, "tests/fixtures/manifest-sample.csv", &rep), 0);
	struct room_spec rooms[] = {{"1201", 12, 2}, {"1202", 12, 2}};
	assert_int_equal(store_rooms_add(store, rooms, 2, NULL), 0);
	struct checkin_record c = {.arrival_id = 1,
	                           .at = 1795000000,
	                           .code_result = "green",
	                           .briefing_hash = "h",
	                           .briefing_lang = "zh-CN",
	                           .room = "1201",
	                           .risk = RISK_GREEN,
	                           .risk_set_by = "kiosk",
	                           .planned_release = day_from_ymd(2026, 12, 13),
	                           .wristband_serial = "S-1",
	                           .wristband_token = "T-1"};
	assert_int_equal(store_checkin_commit(store, &c, NULL), 0);
	struct sync_station *st = sync_station_open(path, NULL, err, sizeof(err));
	assert_non_null(st);
	struct sync_backend *b = sync_station_backend(st);
	assert_int_equal(sync_station_device_add(st, "k1", "k1", SYNC_ROLE_ENTRANCE, token), 0);
	struct sync_device d = {.id = "k1", .role = SYNC_ROLE_ENTRANCE};
	struct sync_record r[3] = {
	    {.seq = 1, .kind = "checkin", .body = "{\"arrival_id\":1,\"room\":\"1202\"}"},
	    {.seq = 2, .kind = "checkin", .body = "{\"arrival_id\":2,\"room\":\"1201\"}"},
	    {.seq = 3, .kind = "checkin", .body = "{\"arrival_id\":3,\"room\":\"1201\"}"}};
	struct sync_push p = {.device = "k1", .records = r, .n = 3};
	struct sync_push_reply out;
	assert_int_equal(b->ops->push(b, &d, &p, &out), 0);
	assert_int_equal(out.results[0].status, SYNC_RESULT_CONFLICT); /* checked in at the desk */
	assert_int_equal(out.results[1].status, SYNC_RESULT_STORED);   /* 1 + 1 of 2 places */
	assert_int_equal(out.results[2].status, SYNC_RESULT_CONFLICT); /* full */
	sync_push_reply_free(&out);
	/* an occupied room is not leased */
	struct sync_lease_request want = {.want = 5};
	struct sync_lease_reply lr;
	assert_int_equal(b->ops->lease(b, &d, &want, &lr), 0);
	assert_int_equal(lr.n, 1);
	assert_string_equal(lr.leases[0].room, "1202");
	sync_station_close(st);
	store_close(store);
}

/* A device's own store (same schema as the station's) with the sample manifest and rooms. */
static struct store *device_store(const char *dir, const char *id)
{
	char path[160];
	struct store_error serr;
	struct manifest_report rep = {0};
	snprintf(path, sizeof(path), "%s/%s.db", dir, id);
	struct store *s = store_open(path, &serr);
	assert_non_null(s);
	assert_int_equal(store_identity_set(s, "st", id), 0);
	assert_int_equal(store_manifest_import_file(s, "tests/fixtures/manifest-sample.csv", &rep),
	                 0);
	struct room_spec rooms[] = {{"1201", 12, 2}, {"1202", 12, 1}};
	assert_int_equal(store_rooms_add(s, rooms, 2, NULL), 0);
	return s;
}

static void device_checkin(struct store *s, int64_t arrival, const char *room, const char *serial)
{
	struct checkin_record c = {.arrival_id = arrival,
	                           .at = 1795000000 + arrival,
	                           .code_result = "green",
	                           .briefing_hash = "sha256:ab",
	                           .briefing_lang = "zh-CN",
	                           .risk = RISK_GREEN,
	                           .risk_set_by = "kiosk",
	                           .planned_release = day_from_ymd(2026, 12, 13),
	                           .timings = {1000, 2000, 30000, 60000}};
	snprintf(c.room, sizeof(c.room), "%s", room);
	snprintf(c.wristband_serial, sizeof(c.wristband_serial), "%s", serial);
	snprintf(c.wristband_token, sizeof(c.wristband_token), "T-%s", serial);
	assert_int_equal(store_checkin_commit(s, &c, NULL), 0);
}

/* Push everything in a device store's outbox (its real record bodies); results by seq. */
static void push_outbox(struct sync_backend *b, const struct sync_device *d, struct store *s,
                        enum sync_result *results, size_t max)
{
	struct outbox_item *items;
	size_t n;
	assert_int_equal(store_outbox_pending(s, 100, &items, &n), 0);
	assert_true(n > 0 && n <= max);
	struct sync_record *r = calloc(n, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		r[i].seq = items[i].device_seq;
		snprintf(r[i].kind, sizeof(r[i].kind), "%s", items[i].kind);
		r[i].at = items[i].created_at;
		r[i].body = items[i].payload;
	}
	struct sync_push p = {.records = r, .n = n};
	snprintf(p.device, sizeof(p.device), "%s", d->id);
	struct sync_push_reply out;
	assert_int_equal(b->ops->push(b, d, &p, &out), 0);
	assert_int_equal(out.n, n);
	for (size_t i = 0; i < out.n; i++)
		results[out.results[i].seq - 1] = out.results[i].status;
	sync_push_reply_free(&out);
	free(r);
	store_outbox_free(items, n);
}

static int count_checkin(const struct checkin_row *row, void *ctx)
{
	(void)row;
	(*(int *)ctx)++;
	return 0;
}

/* Records pushed by two kiosks land in the station's own tables exactly once; a person
 * checked in at both while offline is one check-in and one conflict for staff; a kiosk's
 * reprint of its own band is applied, of another's band flagged. */
static void test_apply_pushed_records(void **state)
{
	struct fixture *f = *state;
	char path[160], err[160], token[SYNC_TOKEN_MAX];
	enum sync_result res1[8], res2[8];
	struct store_error serr;
	struct manifest_report rep = {0};
	snprintf(path, sizeof(path), "%s/store.db", f->dir);
	struct store *store = store_open(path, &serr);
	assert_non_null(store);
	assert_int_equal(store_identity_set(store, "st", "stationd"), 0);
	assert_int_equal(
	    store_manifest_import_file(store, "tests/fixtures/manifest-sample.csv", &rep), 0);
	struct room_spec rooms[] = {{"1201", 12, 2}, {"1202", 12, 1}};
	assert_int_equal(store_rooms_add(store, rooms, 2, NULL), 0);
	struct sync_station *st = sync_station_open(path, NULL, err, sizeof(err));
	assert_non_null(st);
	struct sync_backend *b = sync_station_backend(st);
	assert_int_equal(sync_station_device_add(st, "k1", "k1", SYNC_ROLE_ENTRANCE, token), 0);
	assert_int_equal(sync_station_device_add(st, "k2", "k2", SYNC_ROLE_ENTRANCE, token), 0);
	struct sync_device d1 = {.id = "k1", .role = SYNC_ROLE_ENTRANCE};
	struct sync_device d2 = {.id = "k2", .role = SYNC_ROLE_ENTRANCE};

	/* both kiosks offline: k1 checks in 1 (1201) and 2 (1202); k2 checks in 1 again and
	 * 3 into 1202 (its own copy of the rooms thought it free) */
	struct store *k1 = device_store(f->dir, "k1"), *k2 = device_store(f->dir, "k2");
	device_checkin(k1, 1, "1201", "S-1");
	device_checkin(k1, 2, "1202", "S-2");
	struct scan_record sc = {.at = 1795000100, .checkpoint = "gate-1", .serial = "S-1"};
	assert_int_equal(store_scan_add(k1, &sc, NULL), 0);
	struct wristband_replacement rp = {.old_serial = "S-1",
	                                   .serial = "S-1b",
	                                   .token = "T-1b",
	                                   .at = 1795000200,
	                                   .actor = "B-7",
	                                   .reason = "damaged"};
	assert_int_equal(store_wristband_replace(k1, &rp, NULL), 0); /* seq 4, audit 5 */
	device_checkin(k2, 1, "1201", "K2-1");
	device_checkin(k2, 3, "1202", "K2-3");

	push_outbox(b, &d1, k1, res1, 8);
	for (int i = 0; i < 5; i++)
		assert_int_equal(res1[i], SYNC_RESULT_STORED);
	push_outbox(b, &d2, k2, res2, 8);
	assert_int_equal(res2[0], SYNC_RESULT_CONFLICT); /* person 1: k1 was first */
	assert_int_equal(res2[1], SYNC_RESULT_CONFLICT); /* 1202 holds one: full */
	/* resending everything changes nothing */
	push_outbox(b, &d1, k1, res1, 8);
	push_outbox(b, &d2, k2, res2, 8);
	for (int i = 0; i < 5; i++)
		assert_int_equal(res1[i], SYNC_RESULT_DUPLICATE);
	assert_int_equal(res2[0], SYNC_RESULT_DUPLICATE);

	/* the station's own tables: two check-ins, each once, no room over capacity */
	int n = 0;
	assert_int_equal(store_checkins_each(store, count_checkin, &n), 0);
	assert_int_equal(n, 2);
	struct room_info ri;
	assert_int_equal(store_room_get(store, "1201", &ri), 0);
	assert_int_equal(ri.occupants, 1);
	assert_int_equal(ri.state, ROOM_OCCUPIED);
	assert_int_equal(store_room_get(store, "1202", &ri), 0);
	assert_int_equal(ri.occupants, 1);
	struct store_resident r;
	assert_int_equal(store_resident_get(store, 1, &r), 0);
	assert_string_equal(r.room, "1201");
	assert_string_equal(r.band_serial, "S-1b"); /* the reprint, applied */
	assert_int_equal(r.total_ms, 60000);
	assert_int_equal(store_resident_get(store, 3, &r), STORE_E_NOT_FOUND);
	struct wristband_info w;
	assert_int_equal(store_wristband_get(store, "S-1", &w), 0);
	assert_int_equal(w.state, WRISTBAND_REPLACED);
	assert_int_equal(store_wristband_get(store, "K2-1", &w), STORE_E_NOT_FOUND);
	size_t scans, flagged;
	assert_int_equal(store_scans_between(store, 0, INT64_MAX, &scans, &flagged), 0);
	assert_int_equal(scans, 1);

	/* the conflicts staff see, with the record that won */
	struct store_conflict *c;
	size_t nc;
	assert_int_equal(store_conflicts_open(store, &c, &nc), 0);
	assert_int_equal(nc, 2);
	assert_string_equal(c[0].reason, "E_ALREADY_CHECKED_IN");
	assert_string_equal(c[0].device_id, "k2");
	assert_int_equal(c[0].device_seq, 1);
	assert_string_equal(c[0].winner, "k1/1");
	assert_string_equal(c[1].reason, "E_NO_ROOM");
	assert_int_equal(c[1].arrival_id, 3);
	assert_int_equal(store_conflict_resolve(store, c[0].id, "B-7", 1795001000), 0);
	assert_int_equal(store_conflict_resolve(store, c[0].id, "B-7", 1795001000),
	                 STORE_E_NOT_FOUND);
	free(c);

	/* k2 reprinting k1's band: held, flagged, the band stays as it is */
	struct sync_record v = {.seq = 3,
	                        .kind = "wristband_void",
	                        .body = "{\"at\":1795000300,\"serial\":\"S-2\",\"state\":"
	                                "\"replaced\",\"reason\":\"lost\",\"replaced_by\":\"K2-9\","
	                                "\"token\":\"T\",\"actor\":\"B-1\",\"arrival_id\":2,"
	                                "\"room\":\"1202\"}"};
	struct sync_push p = {.device = "k2", .records = &v, .n = 1};
	struct sync_push_reply out;
	assert_int_equal(b->ops->push(b, &d2, &p, &out), 0);
	assert_int_equal(out.results[0].status, SYNC_RESULT_CONFLICT);
	sync_push_reply_free(&out);
	assert_int_equal(store_wristband_get(store, "S-2", &w), 0);
	assert_int_equal(w.state, WRISTBAND_ACTIVE);
	assert_int_equal(store_conflicts_open(store, &c, &nc), 0);
	assert_int_equal(nc, 2);
	assert_string_equal(c[1].reason, "E_NOT_ISSUER");
	free(c);

	/* a release recorded at the front desk ends the station's check-in; the same audit
	 * line from an entrance kiosk is only kept */
	assert_int_equal(sync_station_device_add(st, "desk", "desk", SYNC_ROLE_FRONTDESK, token),
	                 0);
	struct sync_device dd = {.id = "desk", .role = SYNC_ROLE_FRONTDESK};
	struct sync_record rel[2] = {{.seq = 1,
	                              .kind = "audit",
	                              .body = "{\"at\":1795002000,\"actor\":\"B-7\",\"action\":"
	                                      "\"release\",\"target\":\"arrival:1\",\"detail\":"
	                                      "\"1201\"}"},
	                             {.seq = 2,
	                              .kind = "audit",
	                              .body = "{\"at\":1795002001,\"actor\":\"B-7\",\"action\":"
	                                      "\"set_release\",\"target\":\"arrival:2\","
	                                      "\"detail\":\"2026-12-20\"}"}};
	struct sync_push pd = {.device = "desk", .records = rel, .n = 2};
	assert_int_equal(b->ops->push(b, &dd, &pd, &out), 0);
	sync_push_reply_free(&out);
	struct sync_record rel2 = {.seq = 4,
	                           .kind = "audit",
	                           .body = "{\"at\":1795002000,\"actor\":\"B-7\",\"action\":"
	                                   "\"release\",\"target\":\"arrival:2\",\"detail\":\"\"}"};
	struct sync_push pk = {.device = "k2", .records = &rel2, .n = 1};
	assert_int_equal(b->ops->push(b, &d2, &pk, &out), 0);
	sync_push_reply_free(&out);
	assert_int_equal(store_resident_get(store, 1, &r), 0);
	assert_int_equal(r.status, RESIDENT_RELEASED);
	assert_string_equal(r.band_serial, "");
	assert_int_equal(store_room_get(store, "1201", &ri), 0);
	assert_int_equal(ri.occupants, 0);
	assert_int_equal(ri.state, ROOM_CLEANING);
	assert_int_equal(store_resident_get(store, 2, &r), 0);
	assert_int_equal(r.status, RESIDENT_IN_QUARANTINE);
	assert_int_equal(r.planned_release, day_from_ymd(2026, 12, 20));

	/* the release is published (which check-in, which room, how and when), before the
	 * room's new state; the kiosk that checked the person in drops them from the room */
	struct sync_pull_reply pr;
	struct sync_device sec = {.id = "post", .role = SYNC_ROLE_SECURITY};
	assert_int_equal(b->ops->pull(b, &sec, 0, 1000, &pr), 0);
	assert_false(pr.more);
	size_t end = pr.n, room = pr.n, ends = 0;
	for (size_t i = 0; i < pr.n; i++) {
		if (strcmp(pr.changes[i].kind, "checkin_end") == 0) {
			end = i;
			ends++;
		}
		if (strcmp(pr.changes[i].kind, "room") == 0 &&
		    strcmp(pr.changes[i].key, "1201") == 0)
			room = i;
	}
	assert_int_equal(ends, 1); /* arrival 2 is still in quarantine */
	assert_string_equal(pr.changes[end].key, "k1/1");
	assert_string_equal(pr.changes[end].body, "{\"arrival_id\":1,\"room\":\"1201\","
	                                          "\"outcome\":\"released\",\"at\":1795002000}");
	assert_true(room < pr.n && end < room);
	assert_non_null(strstr(pr.changes[room].body, "cleaning"));
	struct store_change *ch = calloc(pr.n, sizeof(*ch));
	for (size_t i = 0; i < pr.n; i++)
		ch[i] = (struct store_change){pr.changes[i].seq, pr.changes[i].kind,
		                              pr.changes[i].key, pr.changes[i].body};
	assert_int_equal(store_room_get(k1, "1201", &ri), 0);
	assert_int_equal(ri.occupants, 1);
	struct store_pull_result spr;
	assert_int_equal(store_pull_apply(k1, ch, pr.n, pr.cursor, 1795002100, &spr), 0);
	assert_int_equal(store_resident_get(k1, 1, &r), 0);
	assert_int_equal(r.status, RESIDENT_RELEASED);
	assert_int_equal(store_room_get(k1, "1201", &ri), 0);
	assert_int_equal(ri.occupants, 0);
	assert_int_equal(ri.state, ROOM_CLEANING);
	assert_int_equal(store_resident_get(k1, 2, &r), 0);
	assert_int_equal(r.status, RESIDENT_IN_QUARANTINE);
	/* the same pull again changes nothing */
	assert_int_equal(store_pull_apply(k1, ch, pr.n, pr.cursor, 1795002200, &spr), 0);
	assert_int_equal(spr.applied, 0);
	assert_int_equal(spr.outdated, pr.n);
	free(ch);
	sync_pull_reply_free(&pr);
	/* nothing new to publish: the end is published once */
	int64_t again = -1;
	assert_int_equal(sync_station_mirror(st, &again), 0);
	assert_int_equal(again, 0);
	assert_true(sync_station_integrity_ok(st));
	sync_station_close(st);
	store_close(k1);
	store_close(k2);
	store_close(store);
}

/* Briefing texts reach the pull feed: the latest version of each language. */
static void test_briefings_published(void **state)
{
	struct fixture *f = *state;
	char path[160], err[160];
	struct store_error serr;
	struct store_briefing br;
	snprintf(path, sizeof(path), "%s/store.db", f->dir);
	struct store *store = store_open(path, &serr);
	assert_non_null(store);
	assert_int_equal(store_briefing_add(store, "zh-CN", "v1", 2, 10, &br), 0);
	assert_int_equal(br.version, 1);
	assert_int_equal(store_briefing_add(store, "zh-CN", "v1", 2, 11, &br), STORE_E_EXISTS);
	assert_int_equal(store_briefing_add(store, "zh-CN", "\xff\xfe", 2, 11, &br),
	                 STORE_E_INVALID);
	assert_int_equal(store_briefing_add(store, "zh CN", "x", 1, 11, &br), STORE_E_INVALID);
	assert_int_equal(store_briefing_add(store, "zh-CN", "第二版", strlen("第二版"), 12, &br),
	                 0);
	assert_int_equal(br.version, 2);
	assert_int_equal(strncmp(br.hash, "sha256:", 7), 0);
	assert_int_equal(strlen(br.hash), 7 + 64);
	struct sync_station_options o = {.station_id = "st", .now = test_now, .now_ctx = f};
	struct sync_station *st = sync_station_open(path, &o, err, sizeof(err));
	assert_non_null(st);
	struct sync_backend *b = sync_station_backend(st);
	struct sync_device d = {.id = "x", .role = SYNC_ROLE_SECURITY};
	struct sync_pull_reply pr;
	assert_int_equal(b->ops->pull(b, &d, 0, 100, &pr), 0);
	assert_int_equal(pr.n, 1);
	assert_string_equal(pr.changes[0].kind, "briefing");
	assert_string_equal(pr.changes[0].key, "zh-CN");
	assert_non_null(strstr(pr.changes[0].body, "\"version\":2"));
	assert_non_null(strstr(pr.changes[0].body, br.hash));
	assert_non_null(strstr(pr.changes[0].body, "第二版"));
	sync_pull_reply_free(&pr);
	sync_station_close(st);
	store_close(store);
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(sync_backoff_ms(0, 500, 60000, 0.5), 0);
	assert_int_equal(sync_backoff_ms(1, 500, 60000, 0.0), 250);
	assert_int_equal(sync_backoff_ms(1, 500, 60000, 0.999999), 499);
	assert_int_equal(sync_backoff_ms(2, 500, 60000, 0.0), 500);
	assert_int_equal(sync_backoff_ms(5, 500, 60000, 0.0), 4000);
	assert_int_equal(sync_backoff_ms(30, 500, 60000, 0.0), 30000); /* capped */
	assert_int_equal(sync_backoff_ms(1000, 500, 60000, 1.0), 59999);
	int lo = 1 << 30, hi = 0;
	for (int i = 0; i < 100; i++) {
		int w = sync_backoff_ms(4, 500, 60000, i / 100.0);
		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	assert_int_equal(lo, 2000);
	assert_true(hi >= 3900 && hi < 4000);
}

/* Poll the client's status until pred holds or ms pass. */
static bool wait_status(struct sync_client *c, struct sync_client_status *st, int ms,
                        bool (*pred)(const struct sync_client_status *))
{
	int64_t until = clock_mono_ms() + ms;
	do {
		sync_client_status(c, st);
		if (pred(st))
			return true;
		usleep(10000);
	} while (clock_mono_ms() < until);
	return false;
}

static bool all_delivered(const struct sync_client_status *st)
{
	return st->waiting == 0 && st->last_success_ms > 0 && st->delivered > 0;
}

static bool failed_twice(const struct sync_client_status *st)
{
	return st->failures >= 2;
}

static void test_client_against_server(void **state)
{
	struct fixture *f = *state;
	char err[160], token[SYNC_TOKEN_MAX], url[64], dpath[160];
	assert_int_equal(sync_station_device_add(f->st, "k1", "k1", SYNC_ROLE_ENTRANCE, token), 0);
	assert_int_equal(sync_station_room_add(f->st, "301", 2), 0);
	snprintf(dpath, sizeof(dpath), "%s/device.db", f->dir);
	struct sync_device_db *db = sync_device_db_open(dpath, "k1", err, sizeof(err));
	assert_non_null(db);
	struct sync_record recs[250];
	for (int i = 0; i < 250; i++)
		recs[i] = (struct sync_record){.kind = "scan", .at = 1, .body = "{\"x\":1}"};
	assert_int_equal(sync_device_db_add(db, recs, 250), 0);
	assert_int_equal(recs[249].seq, 250);

	/* a listener that accepts and never answers: the slowest possible station */
	int silent = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t salen = sizeof(sa);
	assert_int_equal(bind(silent, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(silent, 8), 0);
	assert_int_equal(getsockname(silent, (struct sockaddr *)&sa, &salen), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", ntohs(sa.sin_port));
	struct sync_client_options o = {.url = url,
	                                .token = token,
	                                .batch_max = 40,
	                                .interval_ms = 100,
	                                .backoff_min_ms = 20,
	                                .backoff_max_ms = 100,
	                                .timeout_ms = 300};
	struct sync_client *c = sync_client_start(sync_device_db_source(db), &o, err, sizeof(err));
	assert_non_null(c);
	struct sync_client_status st;
	int64_t t0 = clock_mono_ms();
	sync_client_status(c, &st); /* answers at once while the thread waits on the network */
	assert_true(clock_mono_ms() - t0 < 50);
	assert_int_equal(st.waiting, 250);
	assert_true(wait_status(c, &st, 5000, failed_twice));
	assert_false(st.online);
	assert_int_equal(st.waiting, 250);
	assert_true(st.next_retry_ms > 0);
	assert_non_null(strstr(st.last_error, "push"));
	t0 = clock_mono_ms();
	sync_client_stop(c); /* aborts the hanging exchange */
	assert_true(clock_mono_ms() - t0 < 1000);
	close(silent);

	/* the real server on a free port: everything is delivered, in batches of 40 */
	struct sync_server_options so = {.listen = "127.0.0.1:0"};
	struct sync_server *srv = sync_server_start(f->b, &so, err, sizeof(err));
	assert_non_null(srv);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", sync_server_port(srv));
	db = sync_device_db_open(dpath, "k1", err, sizeof(err));
	assert_non_null(db);
	o.lease_want = 2;
	c = sync_client_start(sync_device_db_source(db), &o, err, sizeof(err));
	assert_non_null(c);
	assert_true(wait_status(c, &st, 10000, all_delivered));
	assert_true(st.online);
	assert_int_equal(st.delivered, 250);
	assert_int_equal(st.leases, 1); /* the one room there is */
	assert_string_equal(st.last_error, "");
	assert_true(st.cursor >= 1);
	sync_client_stop(c);
	int64_t held, through;
	assert_int_equal(sync_station_device_held(f->st, "k1", &held, &through), 0);
	assert_int_equal(held, 250);
	assert_int_equal(through, 250);
	/* the pulled room is in the device's replica */
	db = sync_device_db_open(dpath, "k1", err, sizeof(err));
	char *room = sync_device_db_replica(db, "room", "301");
	assert_non_null(room);
	free(room);
	/* the lease is kept on the device; given back, the next round returns it */
	struct sync_device_lease *leases;
	size_t n_leases;
	assert_int_equal(sync_device_db_leases(db, &leases, &n_leases), 0);
	assert_int_equal(n_leases, 1);
	assert_string_equal(leases[0].room, "301");
	assert_int_equal(leases[0].capacity, 2);
	assert_true(leases[0].expires_at > clock_unix_s() + 50);
	free(leases);
	assert_int_equal(sync_device_db_lease_return(db, "301"), 0);
	assert_int_equal(sync_device_db_lease_return(db, "999"), SYNC_E_NOT_FOUND);
	o.lease_want = 0; /* keep none */
	assert_int_equal(sync_client_round(sync_device_db_source(db), &o, NULL), 0);
	struct sync_station_counts counts;
	assert_int_equal(sync_station_counts(f->st, &counts), 0);
	assert_int_equal(counts.leases, 0);
	assert_int_equal(sync_device_db_leases(db, &leases, &n_leases), 0);
	assert_int_equal(n_leases, 0);
	free(leases);
	sync_device_db_close(db);

	/* a revoked credential: the client says it is refused and keeps its records */
	db = sync_device_db_open(dpath, "k1", err, sizeof(err));
	assert_int_equal(sync_device_db_add(db, recs, 1), 0);
	assert_int_equal(sync_station_device_revoke(f->st, "k1"), 0);
	c = sync_client_start(sync_device_db_source(db), &o, err, sizeof(err));
	assert_true(wait_status(c, &st, 5000, failed_twice));
	assert_true(st.refused);
	assert_true(st.online);
	assert_int_equal(st.waiting, 1);
	sync_client_stop(c);
	sync_server_stop(srv, 1000);
}

/* Add n records with bodies {"gen":GEN,"n":i} to a device database. */
static void device_add(struct sync_device_db *db, int gen, int n)
{
	struct sync_record r;
	char body[64];
	for (int i = 0; i < n; i++) {
		snprintf(body, sizeof(body), "{\"gen\":%d,\"n\":%d}", gen, i);
		r = (struct sync_record){.kind = "scan", .at = 1795000000, .body = body};
		assert_int_equal(sync_device_db_add(db, &r, 1), 0);
	}
}

/* A device whose store is recreated numbers from 1 again: the station answers reused, the
 * client renumbers past what is held and pushes again in the same round; nothing is lost,
 * nothing is held twice, also when a batch mixes reused and new seqs. */
static void test_client_renumbers_reused(void **state)
{
	struct fixture *f = *state;
	char err[160], token[SYNC_TOKEN_MAX], url[64], dpath[160];
	assert_int_equal(sync_station_device_add(f->st, "k1", "k1", SYNC_ROLE_SECURITY, token), 0);
	struct sync_server_options so = {.listen = "127.0.0.1:0"};
	struct sync_server *srv = sync_server_start(f->b, &so, err, sizeof(err));
	assert_non_null(srv);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", sync_server_port(srv));
	struct sync_client_options o = {.url = url, .token = token, .batch_max = 4};
	/* generation g's store: recs[g] records; the station then holds the sum so far */
	const int recs[] = {5, 3, 12};
	int total = 0;
	for (int g = 0; g < 3; g++) {
		snprintf(dpath, sizeof(dpath), "%s/device%d.db", f->dir, g);
		struct sync_device_db *db = sync_device_db_open(dpath, "k1", err, sizeof(err));
		assert_non_null(db);
		device_add(db, g, recs[g]);
		o.batch_max = g == 2 ? 100 : 4; /* the last: reused 1..10 and new 11, 12 at once */
		struct sync_client_status st;
		memset(&st, 0, sizeof(st));
		assert_int_equal(sync_client_round(sync_device_db_source(db), &o, &st), 0);
		assert_int_equal(st.waiting, 0);
		total += recs[g];
		int64_t held, through;
		assert_int_equal(sync_station_device_held(f->st, "k1", &held, &through), 0);
		assert_int_equal(held, total);
		assert_int_equal(through, total);
		assert_int_equal(query_count(f, "SELECT count(DISTINCT body) FROM sync_records"),
		                 total);
		/* the next record follows the renumbered ones and is stored at once */
		device_add(db, 10 + g, 1);
		assert_int_equal(sync_client_round(sync_device_db_source(db), &o, &st), 0);
		total++;
		assert_int_equal(sync_station_device_held(f->st, "k1", &held, &through), 0);
		assert_int_equal(through, total);
		sync_device_db_close(db);
	}
	assert_int_equal(query_count(f, "SELECT count(DISTINCT body) FROM sync_records"), total);
	assert_true(sync_station_integrity_ok(f->st));
	sync_server_stop(srv, 1000);
}

int main(void)
{
	log_init("test_sync_station", LOG_LEVEL_ERR);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_credentials, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exactly_once_and_held_through, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_conflicts_first_stored_wins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_leases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mirror_store_tables, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_checkins_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_apply_pushed_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_briefings_published, setup, teardown),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test_setup_teardown(test_client_against_server, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_client_renumbers_reused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
