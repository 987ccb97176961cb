/* tests/unit/test_sync_protocol.c: the sync message codec: round trips of every message,
 * and a table of malformed messages that must each be refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/sync/protocol.h"

static int decode_push(const char *text, struct sync_push *p)
{
	char err[128];
	return sync_push_decode(text, strlen(text), p, err, sizeof(err));
}

static void test_push_round_trip(void **state)
{
	(void)state;
	struct sync_record recs[2] = {
	    {.seq = 41,
	     .kind = "checkin",
	     .at = 1795000000,
	     .body = "{\"arrival_id\":7,\"room\":\"1201\"}"},
	    {.seq = 9007199254740992LL,
	     .kind = "audit",
	     .at = 0,
	     .body = "{\"x\":\"\xe6\xb5\x8b\"}"},
	};
	struct sync_push p = {.device = "kiosk-1", .records = recs, .n = 2};
	char *text = sync_push_encode(&p);
	assert_non_null(text);
	struct sync_push q;
	assert_int_equal(decode_push(text, &q), 0);
	assert_string_equal(q.device, "kiosk-1");
	assert_int_equal(q.n, 2);
	assert_int_equal(q.records[0].seq, 41);
	assert_string_equal(q.records[0].kind, "checkin");
	assert_int_equal(q.records[0].at, 1795000000);
	assert_string_equal(q.records[0].body, "{\"arrival_id\":7,\"room\":\"1201\"}");
	assert_true(q.records[1].seq == 9007199254740992LL);
	assert_string_equal(q.records[1].body, "{\"x\":\"\xe6\xb5\x8b\"}");
	sync_push_free(&q);
	sync_push_free(&q); /* safe twice */
	free(text);
}

static void test_push_encode_refuses_bad_structs(void **state)
{
	(void)state;
	struct sync_record r = {.seq = 1, .kind = "checkin", .at = 1, .body = "{}"};
	struct sync_push p = {.device = "kiosk-1", .records = &r, .n = 1};
	char *ok = sync_push_encode(&p);
	assert_non_null(ok);
	free(ok);
	r.body = "[1]";
	assert_null(sync_push_encode(&p));
	r.body = "{}";
	r.seq = 0;
	assert_null(sync_push_encode(&p));
	r.seq = 1;
	strcpy(r.kind, "Check");
	assert_null(sync_push_encode(&p));
	strcpy(r.kind, "checkin");
	strcpy(p.device, "a.b");
	assert_null(sync_push_encode(&p));
	strcpy(p.device, "k");
	p.n = 0;
	assert_null(sync_push_encode(&p));
}

static const char *const bad_pushes[] = {
    "",
    "[]",
    "null",
    "{\"v\":1,\"device\":\"k\",\"records\":[]}",
    "{\"v\":2,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k.x\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":0,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":-1,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1.0,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":\"1\",\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":9007199254740993,\"kind\":\"a\",\"at\":0,"
    "\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"A\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"abcdefghijklmnopqrstuvwx\","
    "\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":-5,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":[]}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{},"
    "\"extra\":1}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}],"
    "\"extra\":1}",
    "{\"v\":1,\"device\":\"k\",\"device\":\"j\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,"
    "\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}},"
    "{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[1]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{\"s\":"
    "\"\\u0000\"}}]}",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]} x",
    "{\"v\":1,\"device\":\"k\",\"records\":[{\"seq\":1,\"kind\":\"a\",\"at\":0,\"body\":{}}]",
};

static void test_push_malformed_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_pushes) / sizeof(*bad_pushes); i++) {
		struct sync_push p;
		char err[128] = "";
		int rc =
		    sync_push_decode(bad_pushes[i], strlen(bad_pushes[i]), &p, err, sizeof(err));
		if (rc != SYNC_E_MALFORMED)
			fail_msg("accepted bad push %zu: %s", i, bad_pushes[i]);
		assert_true(err[0] != '\0');
		assert_null(p.records);
		assert_int_equal(p.n, 0);
	}
}

/* A batch of n records, each with a body of body_bytes filler. */
static char *make_batch(size_t n, size_t body_bytes)
{
	size_t cap = n * (body_bytes + 80) + 64;
	char *text = malloc(cap), *p = text;
	p += sprintf(p, "{\"v\":1,\"device\":\"k\",\"records\":[");
	for (size_t i = 0; i < n; i++) {
		p += sprintf(p, "%s{\"seq\":%zu,\"kind\":\"scan\",\"at\":1,\"body\":{\"f\":\"",
		             i ? "," : "", i + 1);
		memset(p, 'x', body_bytes);
		p += body_bytes;
		p += sprintf(p, "\"}}");
	}
	sprintf(p, "]}");
	return text;
}

static void test_push_limits(void **state)
{
	(void)state;
	struct sync_push p;
	char *text = make_batch(SYNC_BATCH_MAX, 10);
	assert_int_equal(decode_push(text, &p), 0);
	assert_int_equal(p.n, SYNC_BATCH_MAX);
	sync_push_free(&p);
	free(text);
	text = make_batch(SYNC_BATCH_MAX + 1, 10);
	assert_int_equal(decode_push(text, &p), SYNC_E_MALFORMED);
	free(text);
	/* body {"f":"x..."} is 8 bytes plus the filler */
	text = make_batch(1, SYNC_BODY_MAX - 8);
	assert_int_equal(decode_push(text, &p), 0);
	sync_push_free(&p);
	free(text);
	text = make_batch(1, SYNC_BODY_MAX - 7);
	assert_int_equal(decode_push(text, &p), SYNC_E_MALFORMED);
	free(text);
	/* larger than any message may be */
	char big[] = "{}";
	assert_int_equal(sync_push_decode(big, SYNC_REQUEST_MAX + 1, &p, NULL, 0),
	                 SYNC_E_MALFORMED);
}

static void test_push_reply_round_trip(void **state)
{
	(void)state;
	struct sync_push_result res[4] = {{5, SYNC_RESULT_STORED},
	                                  {3, SYNC_RESULT_DUPLICATE},
	                                  {4, SYNC_RESULT_CONFLICT},
	                                  {1, SYNC_RESULT_REUSED}};
	struct sync_push_reply r = {.results = res, .n = 4, .held_through = 5};
	char *text = sync_push_reply_encode(&r);
	assert_non_null(text);
	struct sync_push_reply q;
	assert_int_equal(sync_push_reply_decode(text, strlen(text), &q, NULL, 0), 0);
	assert_int_equal(q.n, 4);
	assert_int_equal(q.held_through, 5);
	assert_non_null(strstr(text, "{\"seq\":1,\"status\":\"reused\"}"));
	assert_int_equal(q.results[3].status, SYNC_RESULT_REUSED);
	assert_int_equal(q.results[1].seq, 3);
	assert_int_equal(q.results[1].status, SYNC_RESULT_DUPLICATE);
	assert_int_equal(q.results[2].status, SYNC_RESULT_CONFLICT);
	sync_push_reply_free(&q);
	free(text);
	const char *bad =
	    "{\"v\":1,\"results\":[{\"seq\":1,\"status\":\"maybe\"}],\"held_through\":1}";
	assert_int_equal(sync_push_reply_decode(bad, strlen(bad), &q, NULL, 0), SYNC_E_MALFORMED);
	bad = "{\"v\":1,\"results\":[]}";
	assert_int_equal(sync_push_reply_decode(bad, strlen(bad), &q, NULL, 0), SYNC_E_MALFORMED);
}

static void test_pull_reply_round_trip(void **state)
{
	(void)state;
	struct sync_change ch[2] = {
	    {.seq = 3, .kind = "room", .key = "1201", .body = "{\"capacity\":2}"},
	    {.seq = 7,
	     .kind = "conflict",
	     .key = "kiosk-1/4",
	     .body = "{\"reason\":\"E_NO_ROOM\"}"},
	};
	struct sync_pull_reply r = {.changes = ch, .n = 2, .cursor = 7, .more = true};
	char *text = sync_pull_reply_encode(&r);
	assert_non_null(text);
	struct sync_pull_reply q;
	assert_int_equal(sync_pull_reply_decode(text, strlen(text), &q, NULL, 0), 0);
	assert_int_equal(q.n, 2);
	assert_int_equal(q.cursor, 7);
	assert_true(q.more);
	assert_string_equal(q.changes[1].key, "kiosk-1/4");
	assert_string_equal(q.changes[0].body, "{\"capacity\":2}");
	sync_pull_reply_free(&q);
	free(text);

	const char *bad[] = {
	    /* cursor not the last seq */
	    "{\"v\":1,\"changes\":[{\"seq\":3,\"kind\":\"room\",\"key\":\"1\",\"body\":{}}],"
	    "\"cursor\":9,\"more\":false}",
	    /* not increasing */
	    "{\"v\":1,\"changes\":[{\"seq\":3,\"kind\":\"room\",\"key\":\"1\",\"body\":{}},"
	    "{\"seq\":3,\"kind\":\"room\",\"key\":\"2\",\"body\":{}}],\"cursor\":3,\"more\":false}",
	    /* control character in key */
	    "{\"v\":1,\"changes\":[{\"seq\":3,\"kind\":\"room\",\"key\":\"a\\nb\",\"body\":{}}],"
	    "\"cursor\":3,\"more\":false}",
	    "{\"v\":1,\"changes\":[],\"cursor\":3,\"more\":1}",
	    "{\"v\":1,\"changes\":[],\"more\":false}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(sync_pull_reply_decode(bad[i], strlen(bad[i]), &q, NULL, 0),
		                 SYNC_E_MALFORMED);
	const char *empty = "{\"v\":1,\"changes\":[],\"cursor\":12,\"more\":false}";
	assert_int_equal(sync_pull_reply_decode(empty, strlen(empty), &q, NULL, 0), 0);
	assert_int_equal(q.cursor, 12);
	sync_pull_reply_free(&q);
}

static void test_pull_query(void **state)
{
	(void)state;
	int64_t since;
	int limit;
	assert_int_equal(sync_pull_query_parse(NULL, NULL, &since, &limit), 0);
	assert_int_equal(since, 0);
	assert_int_equal(limit, SYNC_PULL_LIMIT_DEF);
	assert_int_equal(sync_pull_query_parse("57", "1000", &since, &limit), 0);
	assert_int_equal(since, 57);
	assert_int_equal(limit, 1000);
	const char *bad_since[] = {"", "-1", "1e3", "0x10", " 1", "99999999999999999"};
	for (size_t i = 0; i < sizeof(bad_since) / sizeof(*bad_since); i++)
		assert_int_equal(sync_pull_query_parse(bad_since[i], NULL, &since, &limit),
		                 SYNC_E_MALFORMED);
	assert_int_equal(sync_pull_query_parse(NULL, "0", &since, &limit), SYNC_E_MALFORMED);
	assert_int_equal(sync_pull_query_parse(NULL, "1001", &since, &limit), SYNC_E_MALFORMED);
}

static void test_leases_round_trip(void **state)
{
	(void)state;
	struct sync_lease_request req = {.want = 4, .n_returned = 2};
	strcpy(req.returned[0], "1204");
	strcpy(req.returned[1], "B-12");
	char *text = sync_lease_request_encode(&req);
	assert_non_null(text);
	struct sync_lease_request q;
	assert_int_equal(sync_lease_request_decode(text, strlen(text), &q, NULL, 0), 0);
	assert_int_equal(q.want, 4);
	assert_int_equal(q.n_returned, 2);
	assert_string_equal(q.returned[1], "B-12");
	free(text);
	const char *no_return = "{\"v\":1,\"want\":0}";
	assert_int_equal(sync_lease_request_decode(no_return, strlen(no_return), &q, NULL, 0), 0);
	const char *bad[] = {"{\"v\":1,\"want\":65}", "{\"v\":1,\"want\":1,\"return\":[\"a b\"]}",
	                     "{\"v\":1,\"want\":1,\"return\":[1]}", "{\"v\":1}",
	                     "{\"v\":1,\"want\":1,\"return\":[\"1234567890123456\"]}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(sync_lease_request_decode(bad[i], strlen(bad[i]), &q, NULL, 0),
		                 SYNC_E_MALFORMED);

	struct sync_lease_reply rep = {.n = 1, .free_rooms = 30};
	strcpy(rep.leases[0].room, "1201");
	rep.leases[0].capacity = 2;
	rep.leases[0].expires_in = 86400;
	text = sync_lease_reply_encode(&rep);
	assert_non_null(text);
	struct sync_lease_reply rq;
	assert_int_equal(sync_lease_reply_decode(text, strlen(text), &rq, NULL, 0), 0);
	assert_int_equal(rq.n, 1);
	assert_int_equal(rq.free_rooms, 30);
	assert_string_equal(rq.leases[0].room, "1201");
	assert_int_equal(rq.leases[0].capacity, 2);
	assert_int_equal(rq.leases[0].expires_in, 86400);
	free(text);
	rep.leases[0].capacity = 17;
	assert_null(sync_lease_reply_encode(&rep));
}

static void test_error_and_health(void **state)
{
	(void)state;
	char *text = sync_error_encode(SYNC_E_FORBIDDEN, "role security may not push checkin");
	struct sync_error_reply e;
	assert_int_equal(sync_error_decode(text, strlen(text), &e), 0);
	assert_string_equal(e.code, "E_FORBIDDEN");
	assert_int_equal(sync_status_from_code(e.code), SYNC_E_FORBIDDEN);
	assert_int_equal(sync_status_http(SYNC_E_FORBIDDEN), 403);
	assert_int_equal(sync_status_http(SYNC_E_BUSY), 503);
	assert_int_equal(sync_status_http(SYNC_E_TOO_LARGE), 413);
	free(text);
	struct sync_health h = {.status = "ok", .station = "st-1"}, g;
	text = sync_health_encode(&h);
	assert_int_equal(sync_health_decode(text, strlen(text), &g, NULL, 0), 0);
	assert_string_equal(g.station, "st-1");
	free(text);
}

static void test_token_and_roles(void **state)
{
	(void)state;
	char dev[SYNC_ID_MAX], secret[SYNC_SECRET_HEX + 1];
	char hdr[200];
	const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	snprintf(hdr, sizeof(hdr), "Bearer kiosk-1.%s", hex);
	assert_true(sync_token_parse(hdr, dev, secret));
	assert_string_equal(dev, "kiosk-1");
	assert_string_equal(secret, hex);
	const char *bad[] = {
	    "",
	    "Bearer ",
	    "Basic a.b",
	    "Bearer .0123",
	    "bearer kiosk-1.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    "Bearer kiosk-1.0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	    "Bearer kiosk-1.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
	    "Bearer kiosk 1.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(sync_token_parse(bad[i], dev, secret));

	assert_true(sync_role_may_push(SYNC_ROLE_ENTRANCE, "checkin"));
	assert_false(sync_role_may_push(SYNC_ROLE_SECURITY, "checkin"));
	assert_true(sync_role_may_push(SYNC_ROLE_SECURITY, "scan"));
	assert_true(sync_role_may_push(SYNC_ROLE_FRONTDESK, "risk_change"));
	assert_false(sync_role_may_push(SYNC_ROLE_ENTRANCE, "risk_change"));
	assert_true(sync_role_may_push(SYNC_ROLE_ENTRANCE, "wristband_void"));
	assert_false(sync_role_may_push(SYNC_ROLE_SECURITY, "wristband_void"));
	assert_false(sync_role_may_push(SYNC_ROLE_ENTRANCE, "bogus"));
	assert_false(sync_role_may_lease(SYNC_ROLE_SECURITY));
	assert_true(sync_role_may_lease(SYNC_ROLE_ENTRANCE));
	enum sync_role r;
	assert_true(sync_role_parse("frontdesk", &r));
	assert_int_equal(r, SYNC_ROLE_FRONTDESK);
	assert_false(sync_role_parse("station", &r));
	assert_true(sync_device_id_valid("A_b-9"));
	assert_false(sync_device_id_valid(""));
	assert_false(sync_room_valid("1234567890123456"));
	assert_true(sync_room_valid("123456789012345"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_push_round_trip),
	    cmocka_unit_test(test_push_encode_refuses_bad_structs),
	    cmocka_unit_test(test_push_malformed_refused),
	    cmocka_unit_test(test_push_limits),
	    cmocka_unit_test(test_push_reply_round_trip),
	    cmocka_unit_test(test_pull_reply_round_trip),
	    cmocka_unit_test(test_pull_query),
	    cmocka_unit_test(test_leases_round_trip),
	    cmocka_unit_test(test_error_and_health),
	    cmocka_unit_test(test_token_and_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
