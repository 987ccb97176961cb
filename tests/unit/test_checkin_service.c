/* tests/unit/test_checkin_service.c: FX_CHECKIN carried out on a real store file: rooms for
 * a family with a child, signed wristbands that verify, one transaction, and every refusal
 * (already checked in, full house, group too large, designated floors) writing nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/service/checkin.h"
#include "app/store/store.h"

static const char manifest[] =
    "batch,name,doc_type,doc_number,category,term,group_id,arrival_day,child\n"
    "B1,张伟,id_card,440305198001011235,inbound,14+7,F001,2026-11-29,\n"
    "B1,李娜,passport,E12345678,inbound,14+7,F001,2026-11-29,\n"
    "B1,张小明,passport,E22345678,inbound,14+7,F001,2026-11-29,1\n"
    "B1,王芳,passport,E32345678,close_contact,21+7,,2026-11-29,\n"
    "B1,Alex SMITH,passport,P1234567,inbound,14,,2026-11-29,\n";

struct fixture {
	char dir[64];
	struct store *st;
	struct checkin_config cfg;
	struct wristband_public_key pub;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-checkin-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char path[128];
	snprintf(path, sizeof(path), "%s/station.db", f->dir);
	struct store_error err;
	f->st = store_open(path, &err);
	if (!f->st || store_identity_set(f->st, "SZ01", "entrance-1") != 0)
		return -1;
	struct manifest_report rep = {0};
	if (store_manifest_import(f->st, manifest, sizeof(manifest) - 1, &rep) != 0)
		return -1;
	struct room_spec rooms[] = {
	    {"1201", 12, 2}, {"1202", 12, 2}, {"1203", 12, 1}, {"1301", 13, 1}};
	if (store_rooms_add(f->st, rooms, 4, NULL) != 0)
		return -1;
	policy_defaults(&f->cfg.policy);
	snprintf(f->cfg.station, sizeof(f->cfg.station), "SZ01");
	if (wristband_key_generate(&f->cfg.key, &f->pub) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(f);
	return rc;
}

static struct effect checkin_fx(const int *ids, const bool *minor, int n, enum flow_code code)
{
	struct effect fx;
	memset(&fx, 0, sizeof(fx));
	fx.kind = FX_CHECKIN;
	fx.ticket = 77;
	fx.checkin.count = n;
	fx.checkin.lang = FLOW_LANG_EN;
	snprintf(fx.checkin.briefing_version, sizeof(fx.checkin.briefing_version), "sha256:ab");
	for (int i = 0; i < n; i++) {
		snprintf(fx.checkin.people[i].arrival_id, FLOW_ARRIVAL_ID_MAX, "%d", ids[i]);
		fx.checkin.people[i].minor = minor ? minor[i] : false;
		fx.checkin.people[i].code = code;
	}
	return fx;
}

static size_t count_checkins(struct store *st)
{
	size_t n = 0;
	struct checkin_row row;
	for (int64_t id = 1; id <= 5; id++)
		if (store_checkin_active(st, id, &row) == 0)
			n++;
	return n;
}

static void test_family_with_child(void **state)
{
	struct fixture *f = *state;
	const int ids[] = {1, 2, 3};
	const bool minor[] = {false, false, true};
	struct effect fx = checkin_fx(ids, minor, 3, FLOW_CODE_GREEN);
	int64_t now = 1795939200; /* 2026-11-29 08:00 UTC, 16:00 in Shenzhen */
	struct event ev;
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGNED);
	assert_int_equal(ev.ticket, 77);
	assert_int_equal(ev.assigned.count, 3);
	/* two rooms on one floor (no room holds three); the child shares with one of the adults */
	assert_string_not_equal(ev.assigned.a[0].room, ev.assigned.a[1].room);
	assert_true(strcmp(ev.assigned.a[2].room, ev.assigned.a[0].room) == 0 ||
	            strcmp(ev.assigned.a[2].room, ev.assigned.a[1].room) == 0);
	for (int i = 0; i < 3; i++)
		assert_true(strncmp(ev.assigned.a[i].room, "120", 3) == 0);
	for (int i = 0; i < 3; i++) {
		struct checkin_row row;
		assert_int_equal(store_checkin_active(f->st, ids[i], &row), 0);
		assert_string_equal(row.c.room, ev.assigned.a[i].room);
		assert_string_equal(row.c.briefing_lang, "en");
		assert_int_equal(row.c.planned_release, ev.assigned.a[i].release_day);
		/* checked in after the noon cut-off: day 1 is tomorrow, 14 days on site */
		assert_int_equal(row.c.planned_release, day_from_ymd(2026, 11, 30) + 14);
		struct wristband band;
		assert_int_equal(wristband_verify(row.c.wristband_token,
		                                  strlen(row.c.wristband_token), "SZ01", &f->pub, 1,
		                                  &band),
		                 WRISTBAND_OK);
		assert_int_equal(band.serial, ev.assigned.a[i].serial);
		assert_string_equal(band.room, ev.assigned.a[i].room);
		/* the band carries no name and no document number */
		assert_null(strstr(row.c.wristband_token, "E12345678"));
	}
	/* a second check-in of the same person is refused, nothing written */
	const int again[] = {2};
	fx = checkin_fx(again, NULL, 1, FLOW_CODE_GREEN);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_ALREADY_CHECKED_IN);
	assert_int_equal(count_checkins(f->st), 3);
}

static void test_full_house_and_too_large(void **state)
{
	struct fixture *f = *state;
	struct event ev;
	/* 6 beds in all: a group of 7 can never fit */
	const int seven[] = {1, 2, 3, 4, 5, 1, 2};
	struct effect fx = checkin_fx(seven, NULL, 7, FLOW_CODE_GREEN);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, 1795939200, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_GROUP_TOO_LARGE);
	/* fill every room with blocked states: no room */
	assert_int_equal(store_room_set_state(f->st, "1201", ROOM_BLOCKED), 0);
	assert_int_equal(store_room_set_state(f->st, "1202", ROOM_CLEANING), 0);
	assert_int_equal(store_room_set_state(f->st, "1203", ROOM_BLOCKED), 0);
	assert_int_equal(store_room_set_state(f->st, "1301", ROOM_BLOCKED), 0);
	const int one[] = {5};
	fx = checkin_fx(one, NULL, 1, FLOW_CODE_GREEN);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, 1795939200, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_NO_ROOM);
	assert_int_equal(count_checkins(f->st), 0);
}

static void test_red_close_contact_goes_to_designated_floor(void **state)
{
	struct fixture *f = *state;
	f->cfg.rooms.designated_count = 1;
	f->cfg.rooms.designated[0] = 13;
	const int one[] = {4};
	struct effect fx = checkin_fx(one, NULL, 1, FLOW_CODE_RED);
	struct event ev;
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, 1795939200, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGNED);
	assert_string_equal(ev.assigned.a[0].room, "1301");
	struct checkin_row row;
	assert_int_equal(store_checkin_active(f->st, 4, &row), 0);
	assert_int_equal(row.c.risk, RISK_RED);
	/* 21 days on site for this close contact's term */
	assert_int_equal(row.c.planned_release, day_from_ymd(2026, 11, 30) + 21);
	/* the designated floor is now full: the next red person has nowhere to go */
	const int next[] = {5};
	fx = checkin_fx(next, NULL, 1, FLOW_CODE_RED);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, 1795939200, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_NO_DESIGNATED_ROOM);
}

/* A synced kiosk assigns only rooms leased to it (unexpired, not given back); out of them,
 * REASON_NO_LEASED_ROOM, and a staff-approved check-in without a room is recorded for the
 * front desk with no band and nothing written into rooms. */
static void test_leased_rooms_only(void **state)
{
	struct fixture *f = *state;
	struct event ev;
	const int64_t now = 1795939200;
	f->cfg.leases_only = true;
	const int alex[] = {5};
	struct effect fx = checkin_fx(alex, NULL, 1, FLOW_CODE_GREEN);
	/* no leases: no room, though four are free in the store */
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_NO_LEASED_ROOM);
	/* 1301 leased but expired, 1202 marked for return: 1203 is the only one usable */
	struct store_lease l[] = {{"1203", 1, now + 3600, false},
	                          {"1301", 1, now - 1, false},
	                          {"1202", 2, now + 3600, false}};
	assert_int_equal(store_leases_set(f->st, l, 3), 0);
	assert_int_equal(store_lease_give_back(f->st, "1202"), 0);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGNED);
	assert_string_equal(ev.assigned.a[0].room, "1203");
	/* the next person: 1203 is full, nothing else leased */
	const int wang[] = {4};
	fx = checkin_fx(wang, NULL, 1, FLOW_CODE_GREEN);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_NO_LEASED_ROOM);
	/* staff approve it without a room */
	snprintf(fx.checkin.no_room_by, sizeof(fx.checkin.no_room_by), "B-17");
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGNED);
	assert_int_equal(ev.assigned.count, 1);
	assert_string_equal(ev.assigned.a[0].room, "");
	assert_int_equal(ev.assigned.a[0].serial, 0);
	assert_true(ev.assigned.a[0].release_day > 0);
	bool waiting = false;
	assert_int_equal(store_checkin_waiting(f->st, 4, &waiting), 0);
	assert_true(waiting);
	assert_int_equal(count_checkins(f->st), 1); /* Alex only: no room row for Wang */
	/* approved twice (a second tap): refused, nothing more written */
	size_t pending = 0, before = 0;
	assert_int_equal(store_outbox_count(f->st, &before), 0);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_ALREADY_CHECKED_IN);
	assert_int_equal(store_outbox_count(f->st, &pending), 0);
	assert_int_equal(pending, before);
}

/* The wall clock jumping back three hours between two check-ins (an NTP correction, a
 * dead RTC battery): both are stored, in their own rooms, with distinct bands, and the
 * outbox keeps the order they were made in, whatever their timestamps say. */
static void test_clock_backwards(void **state)
{
	struct fixture *f = *state;
	const int64_t now = 1795939200;
	const int first[] = {4}, second[] = {5};
	struct effect fx = checkin_fx(first, NULL, 1, FLOW_CODE_GREEN);
	struct event ev1, ev2;
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now, &ev1), 0);
	assert_int_equal(ev1.kind, EV_ASSIGNED);
	fx = checkin_fx(second, NULL, 1, FLOW_CODE_GREEN);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, now - 3 * 3600, &ev2), 0);
	assert_int_equal(ev2.kind, EV_ASSIGNED);
	assert_true(ev1.assigned.a[0].serial != ev2.assigned.a[0].serial);
	struct checkin_row r1, r2;
	assert_int_equal(store_checkin_active(f->st, 4, &r1), 0);
	assert_int_equal(store_checkin_active(f->st, 5, &r2), 0);
	assert_true(r2.c.at < r1.c.at);
	struct outbox_item *items;
	size_t n;
	assert_int_equal(store_outbox_pending(f->st, 100, &items, &n), 0);
	int64_t seq4 = 0, seq5 = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(items[i].kind, "checkin") != 0)
			continue;
		if (strstr(items[i].payload, "\"arrival_id\":4"))
			seq4 = items[i].device_seq;
		if (strstr(items[i].payload, "\"arrival_id\":5"))
			seq5 = items[i].device_seq;
	}
	store_outbox_free(items, n);
	assert_true(seq4 > 0 && seq5 > seq4);
}

static void test_bad_calls(void **state)
{
	struct fixture *f = *state;
	struct event ev;
	struct effect fx = {.kind = FX_PRINT};
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, 0, &ev), -EINVAL);
	const int unknown[] = {999};
	fx = checkin_fx(unknown, NULL, 1, FLOW_CODE_GREEN);
	assert_int_equal(checkin_commit(f->st, &f->cfg, &fx, 1795939200, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGN_FAILED);
	assert_int_equal(ev.failed.reason, REASON_STORE_FAILED);
	assert_int_equal(checkin_initial_risk(FLOW_CODE_GREEN, CATEGORY_CLOSE_CONTACT),
	                 RISK_ORANGE);
	assert_int_equal(checkin_initial_risk(FLOW_CODE_YELLOW, CATEGORY_INBOUND), RISK_YELLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_family_with_child, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_full_house_and_too_large, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_red_close_contact_goes_to_designated_floor, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_leased_rooms_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clock_backwards, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_calls, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
