/* tests/unit/test_security_service.c: SEC_FX_LOOKUP and SEC_FX_RECORD_SCAN on a real store
 * file: residents checked in through checkin_commit with real signed bands, then every
 * verdict path (valid, void, replaced, released, transferred, unknown, forged, wrong
 * station, not a band, unreadable replica) judged by the flow; and a v2 file upgrading. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/service/checkin.h"
#include "app/service/security.h"
#include "app/store/store.h"
#include "app/store/store_internal.h"

static const char manifest[] =
    "batch,name,doc_type,doc_number,category,term,group_id,arrival_day,elderly,child,pregnant\n"
    "B1,张小三,id_card,440305198001011235,inbound,14+7,,2026-11-29,1,,\n"
    "B1,李娜,passport,E12345678,close_contact,21+7,,2026-11-29,,,1\n"
    "B1,王芳,passport,E32345678,inbound,14,,2026-11-29,,,\n"
    "B1,Alex SMITH,passport,P1234567,inbound,14,,2026-11-29,,,\n";

#define NOW 1795939200 /* 2026-11-29 08:00 UTC, 16:00 in Shenzhen: day 1 is tomorrow */
#define DAY 86400

struct fixture {
	char dir[64];
	char path[128];
	struct store *st;
	struct checkin_config ck;
	struct wristband_public_key pub;
	struct security_config cfg;
	char token[5][STORE_TOKEN_MAX]; /* by arrival id */
	char serial[5][STORE_SERIAL_MAX];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-secsvc-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/station.db", f->dir);
	struct store_error err;
	f->st = store_open(f->path, &err);
	if (!f->st || store_identity_set(f->st, "SZ01", "security-1") != 0)
		return -1;
	struct manifest_report rep = {0};
	if (store_manifest_import(f->st, manifest, sizeof(manifest) - 1, &rep) != 0)
		return -1;
	struct room_spec rooms[] = {
	    {"1201", 12, 1}, {"1202", 12, 1}, {"1301", 13, 1}, {"1302", 13, 1}};
	if (store_rooms_add(f->st, rooms, 4, NULL) != 0)
		return -1;
	policy_defaults(&f->ck.policy);
	snprintf(f->ck.station, sizeof(f->ck.station), "SZ01");
	if (wristband_key_generate(&f->ck.key, &f->pub) != 0)
		return -1;
	for (int id = 1; id <= 4; id++) {
		struct effect fx;
		memset(&fx, 0, sizeof(fx));
		fx.kind = FX_CHECKIN;
		fx.ticket = (uint32_t)id;
		fx.checkin.count = 1;
		snprintf(fx.checkin.briefing_version, sizeof(fx.checkin.briefing_version),
		         "sha256:ab");
		snprintf(fx.checkin.people[0].arrival_id, FLOW_ARRIVAL_ID_MAX, "%d", id);
		fx.checkin.people[0].code = FLOW_CODE_GREEN;
		struct event ev;
		if (checkin_commit(f->st, &f->ck, &fx, NOW, &ev) != 0 || ev.kind != EV_ASSIGNED)
			return -1;
		struct checkin_row row;
		if (store_checkin_active(f->st, id, &row) != 0)
			return -1;
		snprintf(f->token[id], sizeof(f->token[id]), "%s", row.c.wristband_token);
		snprintf(f->serial[id], sizeof(f->serial[id]), "%s", row.c.wristband_serial);
	}
	snprintf(f->cfg.station, sizeof(f->cfg.station), "SZ01");
	f->cfg.keys = &f->pub;
	f->cfg.nkeys = 1;
	policy_defaults(&f->cfg.policy);
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

static struct sec_event lookup(struct fixture *f, const char *text)
{
	struct sec_effect fx;
	struct sec_event ev;
	memset(&fx, 0, sizeof(fx));
	fx.kind = SEC_FX_LOOKUP;
	fx.ticket = 42;
	snprintf(fx.lookup.text, sizeof(fx.lookup.text), "%s", text);
	assert_int_equal(security_lookup(f->st, &f->cfg, &fx, &ev), 0);
	assert_int_equal(ev.kind, SEC_EV_LOOKED_UP);
	assert_int_equal(ev.ticket, 42);
	return ev;
}

static enum sec_colour judge(const struct sec_lookup *a, bool exit, enum reason *why)
{
	struct sec_config c;
	flow_security_config_defaults(&c);
	c.exit = exit;
	return flow_security_judge(&c, a, why);
}

static void test_valid_band_full_answer(void **state)
{
	struct fixture *f = *state;
	/* the doctors raise arrival 1 to red; psychological care flagged */
	struct risk_change rc = {.arrival_id = 1, .at = NOW + 60, .risk = RISK_RED};
	snprintf(rc.set_by, sizeof(rc.set_by), "doc-7");
	snprintf(rc.why, sizeof(rc.why), "fever");
	assert_int_equal(store_risk_change_add(f->st, &rc, NULL), 0);
	assert_int_equal(store_arrival_set_psych(f->st, 1, true), 0);
	struct sec_event ev = lookup(f, f->token[1]);
	const struct sec_lookup *a = &ev.lookup;
	assert_int_equal(a->reason, REASON_OK);
	assert_int_equal(a->token, WRISTBAND_OK);
	assert_int_equal(a->band_state, SEC_BAND_ACTIVE);
	assert_true(a->has_resident);
	assert_string_equal(a->resident.arrival_id, "1");
	assert_string_equal(a->resident.name_masked, "张*三");
	assert_string_equal(a->resident.room, a->band.room);
	assert_int_equal(a->resident.floor, a->resident.room[1] == '2' ? 12 : 13);
	assert_int_equal(a->resident.risk, RISK_RED);
	assert_int_equal(a->resident.category, CATEGORY_INBOUND);
	assert_int_equal(a->resident.care, RESIDENT_CARE_ELDERLY | RESIDENT_CARE_PSYCH);
	assert_int_equal(a->resident.status, RESIDENT_IN_QUARANTINE);
	/* after the noon cut-off: day 1 is tomorrow; 14 days on site, 7 at home */
	assert_int_equal(a->resident.plan.first_day, day_from_unix(NOW, 8 * 3600) + 1);
	assert_int_equal(policy_plan_day(&a->resident.plan, NOW + 3 * DAY), 3);
	assert_int_equal(policy_plan_onsite_days(&a->resident.plan), 14);
	assert_int_equal(a->resident.plan.home_end_day, a->resident.plan.release_day + 7);
	/* nothing of the full name or document number in the answer */
	assert_null(memmem(&ev, sizeof(ev), "张小三", strlen("张小三")));
	assert_null(memmem(&ev, sizeof(ev), "4403051980", 10));
	enum reason why;
	assert_int_equal(judge(a, false, &why), SEC_GREEN);
	assert_int_equal(why, REASON_OK);
	assert_int_equal(judge(a, true, &why), SEC_RED);
	assert_int_equal(why, REASON_WRONG_PLACE);
	/* pregnant close contact */
	ev = lookup(f, f->token[2]);
	assert_int_equal(ev.lookup.resident.care, RESIDENT_CARE_PREGNANT);
	assert_int_equal(ev.lookup.resident.category, CATEGORY_CLOSE_CONTACT);
	assert_int_equal(ev.lookup.resident.risk, RISK_ORANGE); /* close contact at intake */
	assert_string_equal(ev.lookup.resident.name_masked, "李*");
}

static void test_void_and_replaced(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_wristband_set_state(f->st, f->serial[1], WRISTBAND_VOID, "lost"), 0);
	assert_int_equal(
	    store_wristband_set_state(f->st, f->serial[2], WRISTBAND_REPLACED, "reprint"), 0);
	enum reason why;
	struct sec_event ev = lookup(f, f->token[1]);
	assert_int_equal(ev.lookup.band_state, SEC_BAND_VOID);
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_RED);
	assert_int_equal(why, REASON_BAND_VOID);
	ev = lookup(f, f->token[2]);
	assert_int_equal(ev.lookup.band_state, SEC_BAND_REPLACED);
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_RED);
	assert_int_equal(why, REASON_BAND_REPLACED);
	/* the others still pass */
	ev = lookup(f, f->token[3]);
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_GREEN);
}

static void test_released_and_transferred(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_checkin_release(f->st, 3, NOW + 14 * DAY, "desk-1", NULL), 0);
	assert_int_equal(store_checkin_transfer(f->st, 4, NOW + DAY, "desk-1", "fever 39.5", NULL),
	                 0);
	enum reason why;
	struct sec_event ev = lookup(f, f->token[3]);
	assert_true(ev.lookup.has_resident);
	assert_int_equal(ev.lookup.resident.status, RESIDENT_RELEASED);
	assert_int_equal(judge(&ev.lookup, true, &why), SEC_GREEN);
	assert_int_equal(why, REASON_RELEASED);
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_AMBER);
	ev = lookup(f, f->token[4]);
	assert_int_equal(ev.lookup.resident.status, RESIDENT_TRANSFERRED);
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_RED);
	assert_int_equal(why, REASON_TRANSFERRED);
	/* a band voided by hand before the release stays void */
	assert_int_equal(store_wristband_set_state(f->st, f->serial[1], WRISTBAND_VOID, "lost"), 0);
	assert_int_equal(store_checkin_release(f->st, 1, NOW + 2 * DAY, "desk-1", NULL), 0);
	ev = lookup(f, f->token[1]);
	assert_int_equal(judge(&ev.lookup, true, &why), SEC_RED);
	assert_int_equal(why, REASON_BAND_VOID);
	/* the transfer is on the audit log with its note */
	struct audit_record au[4];
	size_t n;
	assert_int_equal(store_audit_list(f->st, "arrival:4", "transfer", au, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(au[0].actor, "desk-1");
	assert_string_equal(au[0].detail, "fever 39.5");
}

static void test_unknown_forged_wrong_station(void **state)
{
	struct fixture *f = *state;
	char tok[WRISTBAND_TOKEN_SIZE];
	struct wristband b = {.station = "SZ01", .serial = 999, .room = "1201", .day = 20000};
	assert_int_equal(wristband_issue(&b, &f->ck.key, tok, sizeof(tok)), 0);
	enum reason why;
	struct sec_event ev = lookup(f, tok);
	assert_int_equal(ev.lookup.token, WRISTBAND_OK);
	assert_int_equal(ev.lookup.band_state, SEC_BAND_UNKNOWN);
	assert_false(ev.lookup.has_resident);
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_AMBER);
	assert_int_equal(why, REASON_BAND_UNKNOWN);
	/* another key signs a real serial: forged */
	struct wristband_private_key other;
	struct wristband_public_key other_pub;
	assert_int_equal(wristband_key_generate(&other, &other_pub), 0);
	b.serial = strtoll(f->serial[1], NULL, 10);
	assert_int_equal(wristband_issue(&b, &other, tok, sizeof(tok)), 0);
	ev = lookup(f, tok);
	assert_int_equal(ev.lookup.token, WRISTBAND_BAD_SIGNATURE);
	assert_false(ev.lookup.has_resident);
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_RED);
	assert_int_equal(why, REASON_BAND_FORGED);
	/* a genuine token of another station */
	snprintf(b.station, sizeof(b.station), "GZ02");
	assert_int_equal(wristband_issue(&b, &f->ck.key, tok, sizeof(tok)), 0);
	ev = lookup(f, tok);
	assert_int_equal(ev.lookup.token, WRISTBAND_WRONG_STATION);
	assert_false(ev.lookup.has_resident);
	ev = lookup(f, "https://example.com/not-a-band");
	assert_int_equal(ev.lookup.token, WRISTBAND_NOT_WRISTBAND);
	/* no trusted key: unverifiable, never looked up */
	f->cfg.nkeys = 0;
	ev = lookup(f, f->token[1]);
	assert_int_equal(ev.lookup.token, WRISTBAND_UNVERIFIABLE);
	assert_false(ev.lookup.has_resident);
}

static void test_replica_unreadable(void **state)
{
	struct fixture *f = *state;
	char *msg = NULL;
	assert_int_equal(
	    sqlite3_exec(f->st->db, "ALTER TABLE checkins RENAME TO gone", NULL, NULL, &msg),
	    SQLITE_OK);
	struct sec_event ev = lookup(f, f->token[1]);
	assert_int_equal(ev.lookup.reason, REASON_LOOKUP_FAILED);
	assert_false(ev.lookup.has_resident);
	enum reason why;
	assert_int_equal(judge(&ev.lookup, false, &why), SEC_AMBER);
	assert_int_equal(why, REASON_LOOKUP_FAILED);
}

static void test_record_scan(void **state)
{
	struct fixture *f = *state;
	struct sec_effect fx;
	memset(&fx, 0, sizeof(fx));
	fx.kind = SEC_FX_RECORD_SCAN;
	snprintf(fx.record.checkpoint, sizeof(fx.record.checkpoint), "F12-corridor");
	fx.record.unix_s = NOW + 500;
	fx.record.colour = SEC_RED;
	fx.record.reason = REASON_BAND_VOID;
	fx.record.token = WRISTBAND_OK;
	fx.record.serial = strtoll(f->serial[1], NULL, 10);
	struct store_written w;
	assert_int_equal(security_record_scan(f->st, &fx, &w), 0);
	assert_true(w.device_seq > 0);
	struct scan_record sc[4];
	size_t n;
	assert_int_equal(store_scans_for_arrival(f->st, 1, sc, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(sc[0].checkpoint, "F12-corridor");
	assert_string_equal(sc[0].serial, f->serial[1]);
	assert_string_equal(sc[0].colour, "red");
	assert_int_equal(sc[0].result, REASON_BAND_VOID);
	assert_int_equal(sc[0].at, NOW + 500);
	/* an unverified token records no serial */
	fx.record.token = WRISTBAND_BAD_SIGNATURE;
	assert_int_equal(security_record_scan(f->st, &fx, NULL), 0);
	/* the outbox carries no name or document number */
	struct outbox_item *items;
	size_t count;
	assert_int_equal(store_outbox_pending(f->st, 100, &items, &count), 0);
	int scans = 0;
	for (size_t i = 0; i < count; i++) {
		if (strcmp(items[i].kind, "scan") != 0)
			continue;
		scans++;
		assert_null(strstr(items[i].payload, "张"));
		assert_null(strstr(items[i].payload, "440305"));
	}
	assert_int_equal(scans, 2);
	store_outbox_free(items, count);
	fx.kind = SEC_FX_LOOKUP;
	assert_int_equal(security_record_scan(f->st, &fx, NULL), -EINVAL);
}

/* A v2 file (as shipped) with a released check-in upgrades: outcome backfilled, the psych
 * flag and the scan colour present, its residents readable. */
static void test_v2_file_upgrades(void **state)
{
	struct fixture *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/old.db", f->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(sqlite3_exec(db, store_migrations[i].sql, NULL, NULL, NULL),
		                 SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(
	        db,
	        "INSERT INTO rooms VALUES ('1201', 12, 1, 'cleaning');"
	        "INSERT INTO arrivals (id, batch, name, doc_type, doc_number, category, "
	        "onsite_days, home_days, expected_day) VALUES (7, 'B', '赵六', 'passport', "
	        "'E1', 'inbound', 14, 0, '2026-11-01');"
	        "INSERT INTO checkins (id, device_id, device_seq, arrival_id, at, "
	        "code_result, code_reason, briefing_hash, briefing_lang, room, risk, "
	        "risk_set_by, planned_release, state) VALUES (1, 'k', 1, 7, 1793520000, "
	        "'green', 'E_OK', 'h', 'zh-CN', '1201', 'yellow', 'kiosk', '2026-11-16', "
	        "'released');"
	        "INSERT INTO occupancy (room, arrival_id, checkin_id, since, until) VALUES "
	        "('1201', 7, 1, 1793520000, 1794729600);",
	        NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	struct store_error err;
	struct store *st = store_open(path, &err);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	struct store_resident r;
	assert_int_equal(store_resident_get(st, 7, &r), 0);
	assert_int_equal(r.status, RESIDENT_RELEASED);
	assert_false(r.psych);
	assert_int_equal(r.risk, RISK_YELLOW);
	assert_int_equal(r.ended_at, 1794729600);
	assert_int_equal(r.total_ms, -1);
	assert_string_equal(r.band_serial, "");
	sqlite3_stmt *s;
	assert_int_equal(
	    sqlite3_prepare_v2(st->db, "SELECT outcome FROM checkins WHERE id = 1", -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "released");
	sqlite3_finalize(s);
	/* an outcome outside the two is refused by the schema */
	assert_int_not_equal(
	    sqlite3_exec(st->db, "UPDATE checkins SET outcome = 'escaped'", NULL, NULL, NULL),
	    SQLITE_OK);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_valid_band_full_answer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_void_and_replaced, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_released_and_transferred, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_forged_wrong_station, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replica_unreadable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_scan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_v2_file_upgrades, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
