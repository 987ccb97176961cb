/* tests/unit/test_frontdesk_service.c: the front desk's effects on a real store file:
 * salted slow PIN hashes and the PIN check; search (masked names only out); the card with
 * its histories; void, risk, release, transfer and extension with their store effects and
 * audit rows; labels and reprints through a recording printer; the occupancy grid; and a
 * whole sign-in, search, card and void driven through the flow itself. */
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

#include "app/core/pinhash.h"
#include "app/service/checkin.h"
#include "app/service/frontdesk.h"
#include "app/service/security.h"
#include "app/store/store.h"

static const char manifest[] =
    "batch,name,doc_type,doc_number,category,term,group_id,"
    "arrival_day,elderly,child,pregnant,dietary\n"
    "CA908,张小三,id_card,440305198001011235,inbound,14+7,,2026-11-29,,,,清真\n"
    "CA908,张伟,passport,E12345678,close_contact,21+7,,2026-11-29,,,,\n"
    "MU210,李娜,passport,E32345678,inbound,14,,2026-11-29,,,,\n"
    "MU210,Alex SMITH,passport,P1234567,inbound,14,,2026-11-29,,,,\n";

#define NOW 1795939200 /* 2026-11-29 08:00 UTC, 16:00 in Shenzhen */
#define DAY 86400

/* A print spooler stand-in that records what it was asked and really replaces the band. */
struct recorder {
	struct store *st;
	int labels;
	enum desk_label last_label;
	char last_room[FLOW_ROOM_MAX];
	char last_name[FLOW_NAME_MAX];
	int reprints;
	int64_t next_serial;
	enum reason status;
};

static enum reason rec_label(void *ctx, const struct desk_change *c, const struct resident *r,
                             int64_t now)
{
	struct recorder *p = ctx;
	(void)now;
	p->labels++;
	p->last_label = c->label;
	snprintf(p->last_room, sizeof(p->last_room), "%s", r->room);
	snprintf(p->last_name, sizeof(p->last_name), "%s", r->name_masked);
	return p->status;
}

static enum reason rec_reprint(void *ctx, const struct desk_change *c, int64_t now, int64_t *serial)
{
	struct recorder *p = ctx;
	char old[STORE_SERIAL_MAX];
	(void)now;
	if (p->status != REASON_OK)
		return p->status;
	snprintf(old, sizeof(old), "%" PRId64, c->serial);
	if (store_wristband_set_state(p->st, old, WRISTBAND_REPLACED, "reprint") != 0)
		return REASON_STORE_FAILED;
	p->reprints++;
	*serial = p->next_serial++;
	return REASON_OK;
}

static enum reason rec_status(void *ctx)
{
	return ((struct recorder *)ctx)->status;
}

static int64_t rec_sync(void *ctx)
{
	(void)ctx;
	return NOW - 90;
}

struct fixture {
	char dir[64];
	struct store *st;
	struct checkin_config ck;
	struct wristband_public_key pub;
	struct frontdesk_config cfg;
	struct recorder rec;
	char token[5][STORE_TOKEN_MAX];
	int64_t serial[5];
	char room[5][STORE_ROOM_MAX];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-desksvc-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char path[128];
	snprintf(path, sizeof(path), "%s/station.db", f->dir);
	struct store_error err;
	f->st = store_open(path, &err);
	if (!f->st || store_identity_set(f->st, "SZ01", "desk-1") != 0)
		return -1;
	struct manifest_report rep = {0};
	if (store_manifest_import(f->st, manifest, sizeof(manifest) - 1, &rep) != 0)
		return -1;
	struct room_spec rooms[] = {
	    {"1201", 12, 1}, {"1202", 12, 1}, {"1203", 12, 1}, {"1301", 13, 1}, {"1302", 13, 2}};
	if (store_rooms_add(f->st, rooms, 5, NULL) != 0)
		return -1;
	policy_defaults(&f->ck.policy);
	snprintf(f->ck.station, sizeof(f->ck.station), "SZ01");
	if (wristband_key_generate(&f->ck.key, &f->pub) != 0)
		return -1;
	for (int id = 1; id <= 4; id++) {
		struct effect fx;
		memset(&fx, 0, sizeof(fx));
		fx.kind = FX_CHECKIN;
		fx.checkin.count = 1;
		snprintf(fx.checkin.briefing_version, sizeof(fx.checkin.briefing_version),
		         "sha256:ab");
		snprintf(fx.checkin.people[0].arrival_id, FLOW_ARRIVAL_ID_MAX, "%d", id);
		fx.checkin.people[0].code = FLOW_CODE_GREEN;
		struct event ev;
		if (checkin_commit(f->st, &f->ck, &fx, NOW, &ev) != 0 || ev.kind != EV_ASSIGNED)
			return -1;
		f->serial[id] = ev.assigned.a[0].serial;
		snprintf(f->room[id], sizeof(f->room[id]), "%s", ev.assigned.a[0].room);
		struct checkin_row row;
		if (store_checkin_active(f->st, id, &row) != 0)
			return -1;
		snprintf(f->token[id], sizeof(f->token[id]), "%s", row.c.wristband_token);
	}
	/* badges with the cheapest accepted work factor, to keep the suite fast; the PIN test
	 * enrols its own through store_badge_add_pin */
	const uint8_t salt[16] = {7, 7, 7};
	struct badge_record b = {.badge_id = "staff-7", .role = "staff", .added_at = NOW};
	if (pinhash_make("482913", salt, sizeof(salt), PINHASH_ITERATIONS_MIN, b.pin_hash,
	                 sizeof(b.pin_hash)) != 0 ||
	    store_badge_add(f->st, &b) != 0)
		return -1;
	policy_defaults(&f->cfg.policy);
	f->rec = (struct recorder){.st = f->st, .next_serial = 900001, .status = REASON_OK};
	f->cfg.ops = (struct frontdesk_ops){rec_label, rec_reprint, rec_status, rec_sync, &f->rec};
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

static struct desk_event *run(struct fixture *f, const struct desk_effect *fx)
{
	static struct desk_event ev;
	bool answered;
	assert_int_equal(frontdesk_carry_out(f->st, &f->cfg, fx, NOW + 3600, &ev, &answered), 0);
	assert_true(answered);
	assert_int_equal(ev.ticket, fx->ticket);
	return &ev;
}

static struct desk_effect change_fx(enum desk_effect_kind kind, int id)
{
	struct desk_effect fx;
	memset(&fx, 0, sizeof(fx));
	fx.kind = kind;
	fx.ticket = 9;
	snprintf(fx.change.badge, sizeof(fx.change.badge), "doc-2");
	snprintf(fx.change.arrival_id, sizeof(fx.change.arrival_id), "%d", id);
	return fx;
}

static void audit_fx(struct fixture *f, enum audit_action a, enum reason outcome,
                     const struct desk_change *c)
{
	struct desk_effect fx;
	struct desk_event ev;
	bool answered = true;
	memset(&fx, 0, sizeof(fx));
	fx.kind = DESK_FX_AUDIT;
	fx.audit.action = a;
	fx.audit.outcome = outcome;
	fx.audit.change = *c;
	assert_int_equal(frontdesk_carry_out(f->st, &f->cfg, &fx, NOW + 3600, &ev, &answered), 0);
	assert_false(answered);
}

/* ---- PINs ---- */

static void test_pin_hash_salted_slow(void **state)
{
	struct fixture *f = *state;
	struct badge_record a, b;
	assert_int_equal(store_badge_add_pin(f->st, "nurse-3", "staff", "482913", NOW), 0);
	assert_int_equal(store_badge_add_pin(f->st, "doc-2", "doctor", "482913", NOW), 0);
	assert_int_equal(store_badge_get(f->st, "nurse-3", &a), 0);
	assert_int_equal(store_badge_get(f->st, "doc-2", &b), 0);
	assert_non_null(strstr(a.pin_hash, "pbkdf2-sha256$200000$"));
	assert_null(strstr(a.pin_hash, "482913"));
	assert_string_not_equal(a.pin_hash, b.pin_hash); /* same PIN, own salt */
	bool ok;
	assert_int_equal(store_badge_check_pin(f->st, "nurse-3", "482913", &ok), 0);
	assert_true(ok);
	assert_int_equal(store_badge_check_pin(f->st, "nurse-3", "482914", &ok), 0);
	assert_false(ok);
	assert_int_equal(store_badge_check_pin(f->st, "nobody", "482913", &ok), 0);
	assert_false(ok);
	assert_int_equal(store_badge_add_pin(f->st, "nurse-3", "staff", "111111", NOW),
	                 STORE_E_EXISTS);
	assert_int_equal(store_badge_add_pin(f->st, "x", "staff", "12a4", NOW), STORE_E_INVALID);
	/* a PIN stored in plain text (an old or foreign record) never signs in */
	struct badge_record plain = {.badge_id = "old-1", .role = "staff", .pin_hash = "482913"};
	assert_int_equal(store_badge_add(f->st, &plain), 0);
	assert_int_equal(store_badge_check_pin(f->st, "old-1", "482913", &ok), 0);
	assert_false(ok);
	/* deterministic for a given salt; too few iterations are refused */
	const uint8_t salt[16] = {1, 2, 3};
	char h1[PINHASH_TEXT_MAX], h2[PINHASH_TEXT_MAX];
	assert_int_equal(pinhash_make("1234", salt, 16, 10000, h1, sizeof(h1)), 0);
	assert_int_equal(pinhash_make("1234", salt, 16, 10000, h2, sizeof(h2)), 0);
	assert_string_equal(h1, h2);
	assert_true(pinhash_check("1234", h1));
	assert_false(pinhash_check("1235", h1));
	assert_int_equal(pinhash_make("1234", salt, 16, 999, h1, sizeof(h1)), -EINVAL);
	char weak[PINHASH_TEXT_MAX];
	snprintf(weak, sizeof(weak), "pbkdf2-sha256$1%s", strchr(h2 + 14, '$'));
	assert_false(pinhash_check("1234", weak));
	/* through the effect */
	struct desk_effect fx;
	memset(&fx, 0, sizeof(fx));
	fx.kind = DESK_FX_CHECK_PIN;
	fx.ticket = 3;
	snprintf(fx.check_pin.badge, sizeof(fx.check_pin.badge), "staff-7");
	snprintf(fx.check_pin.pin, sizeof(fx.check_pin.pin), "482913");
	assert_int_equal(run(f, &fx)->kind, DESK_EV_PIN_OK);
	snprintf(fx.check_pin.pin, sizeof(fx.check_pin.pin), "000000");
	assert_int_equal(run(f, &fx)->kind, DESK_EV_PIN_BAD);
}

/* ---- search and card ---- */

static struct desk_event *search(struct fixture *f, enum desk_search_by by, const char *q)
{
	struct desk_effect fx;
	memset(&fx, 0, sizeof(fx));
	fx.kind = DESK_FX_SEARCH;
	fx.ticket = 5;
	fx.search.by = by;
	snprintf(fx.search.query, sizeof(fx.search.query), "%s", q);
	struct desk_event *ev = run(f, &fx);
	assert_int_equal(ev->kind, DESK_EV_RESULTS);
	return ev;
}

static void test_search(void **state)
{
	struct fixture *f = *state;
	struct desk_event *ev = search(f, DESK_BY_NAME, "张");
	assert_int_equal(ev->results.reason, REASON_OK);
	assert_int_equal(ev->results.count, 2);
	assert_null(memmem(ev, sizeof(*ev), "张小三", strlen("张小三")));
	assert_null(memmem(ev, sizeof(*ev), "张伟", strlen("张伟")));
	bool seen[2] = {false, false};
	for (int i = 0; i < 2; i++) {
		seen[0] |= strcmp(ev->results.rows[i].name_masked, "张*三") == 0;
		seen[1] |= strcmp(ev->results.rows[i].name_masked, "张*") == 0;
	}
	assert_true(seen[0] && seen[1]);
	/* part of a Latin name, any case; a masked name copied from a screen */
	ev = search(f, DESK_BY_NAME, "smith");
	assert_int_equal(ev->results.count, 1);
	assert_string_equal(ev->results.rows[0].name_masked, "A*** S****");
	assert_string_equal(ev->results.rows[0].batch, "MU210");
	assert_int_equal(ev->results.rows[0].band_serial, f->serial[4]);
	ev = search(f, DESK_BY_NAME, "张*三");
	assert_int_equal(ev->results.count, 1);
	assert_string_equal(ev->results.rows[0].arrival_id, "1");
	ev = search(f, DESK_BY_ROOM, f->room[3]);
	assert_int_equal(ev->results.count, 1);
	assert_string_equal(ev->results.rows[0].arrival_id, "3");
	ev = search(f, DESK_BY_BATCH, "CA908");
	assert_int_equal(ev->results.count, 2);
	char serial[24];
	snprintf(serial, sizeof(serial), "%" PRId64, f->serial[2]);
	ev = search(f, DESK_BY_BAND, serial);
	assert_int_equal(ev->results.count, 1);
	assert_string_equal(ev->results.rows[0].arrival_id, "2");
	assert_int_equal(ev->results.rows[0].risk, RISK_ORANGE);
	ev = search(f, DESK_BY_NAME, "王");
	assert_int_equal(ev->results.count, 0);
	assert_int_equal(ev->results.reason, REASON_OK);
	ev = search(f, DESK_BY_NAME, "%");
	assert_int_equal(ev->results.count, 0); /* LIKE wildcards are literal */
	ev = search(f, DESK_BY_NAME, "***");
	assert_int_equal(ev->results.reason, REASON_BAD_REQUEST);
}

/* More hits than a screen holds: the first DESK_RESULTS_MAX and "more", also for a masked
 * query that filters its candidates. */
static void test_search_more(void **state)
{
	struct fixture *f = *state;
	char csv[4096];
	size_t len = (size_t)snprintf(csv, sizeof(csv),
	                              "batch,name,doc_type,doc_number,category,"
	                              "term,arrival_day\n");
	for (int i = 0; i < 25; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len,
		                        "BUS7,王%c明,passport,W%07d,inbound,14,2026-11-29\n",
		                        'A' + i, i);
	struct manifest_report rep = {0};
	assert_int_equal(store_manifest_import(f->st, csv, len, &rep), 0);
	struct room_spec big = {"1501", 15, 16}, big2 = {"1502", 15, 16};
	assert_int_equal(store_rooms_add(f->st, &big, 1, NULL), 0);
	assert_int_equal(store_rooms_add(f->st, &big2, 1, NULL), 0);
	for (int i = 0; i < 25; i++) {
		struct checkin_record c = {.arrival_id = 5 + i, .at = NOW + i};
		snprintf(c.code_result, sizeof(c.code_result), "green");
		snprintf(c.briefing_hash, sizeof(c.briefing_hash), "sha256:ab");
		snprintf(c.briefing_lang, sizeof(c.briefing_lang), "zh-CN");
		snprintf(c.room, sizeof(c.room), i < 16 ? "1501" : "1502");
		snprintf(c.risk_set_by, sizeof(c.risk_set_by), "kiosk");
		c.planned_release = day_from_unix(NOW, 8 * 3600) + 15;
		snprintf(c.wristband_serial, sizeof(c.wristband_serial), "%d", 7000 + i);
		snprintf(c.wristband_token, sizeof(c.wristband_token), "T%d", i);
		c.timings = (struct checkin_timings){-1, -1, -1, -1};
		assert_int_equal(store_checkin_commit(f->st, &c, NULL), 0);
	}
	struct desk_event *ev = search(f, DESK_BY_NAME, "王");
	assert_int_equal(ev->results.count, DESK_RESULTS_MAX);
	assert_true(ev->results.more);
	assert_string_equal(ev->results.rows[0].arrival_id, "29"); /* newest check-in first */
	ev = search(f, DESK_BY_BATCH, "BUS7");
	assert_int_equal(ev->results.count, DESK_RESULTS_MAX);
	assert_true(ev->results.more);
	ev = search(f, DESK_BY_NAME, "王*明");
	assert_int_equal(ev->results.count, DESK_RESULTS_MAX);
	assert_true(ev->results.more);
	ev = search(f, DESK_BY_ROOM, "1502");
	assert_int_equal(ev->results.count, 9);
	assert_false(ev->results.more);
	ev = search(f, DESK_BY_NAME, "王c");
	assert_int_equal(ev->results.count, 1); /* ASCII case-insensitive */
	assert_string_equal(ev->results.rows[0].name_masked, "王*明");
}

static void test_card_histories(void **state)
{
	struct fixture *f = *state;
	struct desk_effect fx = change_fx(DESK_FX_SET_RISK, 1);
	fx.change.risk = RISK_RED;
	snprintf(fx.change.note, sizeof(fx.change.note), "fever 38.9");
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	fx = change_fx(DESK_FX_PRINT_LABEL, 1);
	fx.change.label = DESK_LABEL_MEAL;
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	audit_fx(f, AUDIT_PRINT_LABEL, REASON_OK, &fx.change);
	struct sec_effect sfx = {.kind = SEC_FX_RECORD_SCAN};
	snprintf(sfx.record.checkpoint, sizeof(sfx.record.checkpoint), "lobby");
	sfx.record.unix_s = NOW + 100;
	sfx.record.colour = SEC_RED;
	sfx.record.reason = REASON_WRONG_PLACE;
	sfx.record.serial = f->serial[1];
	assert_int_equal(security_record_scan(f->st, &sfx, NULL), 0);

	memset(&fx, 0, sizeof(fx));
	fx.kind = DESK_FX_LOAD_CARD;
	fx.ticket = 11;
	snprintf(fx.load_card.arrival_id, sizeof(fx.load_card.arrival_id), "1");
	struct desk_event *ev = run(f, &fx);
	assert_int_equal(ev->kind, DESK_EV_CARD);
	assert_int_equal(ev->card.reason, REASON_OK);
	const struct desk_card *c = &ev->card.card;
	assert_string_equal(c->resident.name_masked, "张*三");
	assert_string_equal(c->doc_masked, "4403**********1235");
	assert_string_equal(c->batch, "CA908");
	assert_string_equal(c->diet, "清真");
	assert_int_equal(c->checked_in_unix, NOW);
	assert_int_equal(c->band_serial, f->serial[1]);
	assert_int_equal(c->resident.risk, RISK_RED);
	assert_int_equal(c->resident.plan.release_day, day_from_unix(NOW, 8 * 3600) + 15);
	assert_int_equal(c->risk_count, 2);
	assert_int_equal(c->risks[0].risk, RISK_RED);
	assert_string_equal(c->risks[0].by, "doc-2");
	assert_string_equal(c->risks[0].note, "fever 38.9");
	assert_int_equal(c->risks[1].risk, RISK_GREEN); /* at intake */
	assert_int_equal(c->label_count, 1);
	assert_int_equal(c->labels[0].label, DESK_LABEL_MEAL);
	assert_int_equal(c->scan_count, 1);
	assert_string_equal(c->scans[0].checkpoint, "lobby");
	assert_int_equal(c->scans[0].colour, SEC_RED);
	assert_int_equal(c->scans[0].reason, REASON_WRONG_PLACE);
	assert_null(memmem(ev, sizeof(*ev), "张小三", strlen("张小三")));
	assert_null(memmem(ev, sizeof(*ev), "440305198001011235", 18));
	snprintf(fx.load_card.arrival_id, sizeof(fx.load_card.arrival_id), "77");
	assert_int_equal(run(f, &fx)->card.reason, REASON_NOT_FOUND);
	snprintf(fx.load_card.arrival_id, sizeof(fx.load_card.arrival_id), "1; DROP");
	assert_int_equal(run(f, &fx)->card.reason, REASON_NOT_FOUND);
}

/* ---- actions ---- */

static enum sec_band band_scans_as(struct fixture *f, int id)
{
	struct security_config sc = {.station = "SZ01", .keys = &f->pub, .nkeys = 1};
	policy_defaults(&sc.policy);
	struct sec_effect fx = {.kind = SEC_FX_LOOKUP};
	struct sec_event ev;
	snprintf(fx.lookup.text, sizeof(fx.lookup.text), "%s", f->token[id]);
	assert_int_equal(security_lookup(f->st, &sc, &fx, &ev), 0);
	return ev.lookup.band_state;
}

static void test_void_band(void **state)
{
	struct fixture *f = *state;
	struct desk_effect fx = change_fx(DESK_FX_VOID_BAND, 2);
	fx.change.serial = f->serial[2];
	snprintf(fx.change.note, sizeof(fx.change.note), "band torn");
	assert_int_equal(band_scans_as(f, 2), SEC_BAND_ACTIVE);
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	audit_fx(f, AUDIT_VOID_BAND, REASON_OK, &fx.change);
	assert_int_equal(band_scans_as(f, 2), SEC_BAND_VOID);
	char serial[24];
	snprintf(serial, sizeof(serial), "%" PRId64, f->serial[2]);
	struct wristband_info w;
	assert_int_equal(store_wristband_get(f->st, serial, &w), 0);
	assert_string_equal(w.reason, "band torn");
	/* again: no longer active; another person's band: refused */
	assert_int_equal(run(f, &fx)->done.reason, REASON_CONFLICT);
	fx = change_fx(DESK_FX_VOID_BAND, 1);
	fx.change.serial = f->serial[3];
	snprintf(fx.change.note, sizeof(fx.change.note), "x");
	assert_int_equal(run(f, &fx)->done.reason, REASON_CONFLICT);
	assert_int_equal(band_scans_as(f, 3), SEC_BAND_ACTIVE);
	/* the audit row */
	struct audit_record au[2];
	size_t n;
	assert_int_equal(store_audit_list(f->st, "arrival:2", "void_band", au, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(au[0].actor, "doc-2");
	char want[96];
	snprintf(want, sizeof(want), "outcome=OK serial=%" PRId64 " note=band torn", f->serial[2]);
	assert_string_equal(au[0].detail, want);
}

static void test_reprint_and_labels(void **state)
{
	struct fixture *f = *state;
	struct desk_effect fx = change_fx(DESK_FX_REPRINT_BAND, 1);
	fx.change.serial = f->serial[1];
	struct desk_event *ev = run(f, &fx);
	assert_int_equal(ev->done.reason, REASON_OK);
	assert_int_equal(ev->done.serial, 900001);
	assert_int_equal(f->rec.reprints, 1);
	assert_int_equal(band_scans_as(f, 1), SEC_BAND_REPLACED);
	/* the card still names the old band: the second reprint is a conflict */
	assert_int_equal(run(f, &fx)->done.reason, REASON_CONFLICT);
	assert_int_equal(f->rec.reprints, 1);
	fx = change_fx(DESK_FX_PRINT_LABEL, 3);
	fx.change.label = DESK_LABEL_DOOR;
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	assert_int_equal(f->rec.labels, 1);
	assert_int_equal(f->rec.last_label, DESK_LABEL_DOOR);
	assert_string_equal(f->rec.last_room, f->room[3]);
	assert_string_equal(f->rec.last_name, "李*");
	f->rec.status = REASON_PRINTER_FAILED;
	assert_int_equal(run(f, &fx)->done.reason, REASON_PRINTER_FAILED);
	f->cfg.ops.print_label = NULL;
	assert_int_equal(run(f, &fx)->done.reason, REASON_PRINTER_FAILED);
}

static void test_risk_release_transfer(void **state)
{
	struct fixture *f = *state;
	struct desk_effect fx = change_fx(DESK_FX_SET_RISK, 3);
	fx.change.risk = RISK_YELLOW;
	assert_int_equal(run(f, &fx)->done.reason, REASON_BAD_REQUEST); /* no why */
	snprintf(fx.change.note, sizeof(fx.change.note), "second assessment");
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	enum risk r;
	assert_int_equal(store_arrival_risk(f->st, 3, &r), 0);
	assert_int_equal(r, RISK_YELLOW);

	fx = change_fx(DESK_FX_SET_STATUS, 3);
	fx.change.status = RESIDENT_RELEASED;
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	struct store_resident sr;
	assert_int_equal(store_resident_get(f->st, 3, &sr), 0);
	assert_int_equal(sr.status, RESIDENT_RELEASED);
	assert_int_equal(sr.ended_at, NOW + 3600);
	struct room_info room;
	assert_int_equal(store_room_get(f->st, f->room[3], &room), 0);
	assert_int_equal(room.state, ROOM_CLEANING);
	assert_int_equal(run(f, &fx)->done.reason, REASON_RELEASED);
	/* the store's own record of the change, and the desk's record of the action */
	audit_fx(f, AUDIT_RELEASE, REASON_OK, &fx.change);
	struct audit_record au[4];
	size_t n;
	assert_int_equal(store_audit_list(f->st, "arrival:3", "release", au, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(au[0].actor, "doc-2");
	assert_int_equal(store_audit_list(f->st, "arrival:3", "mark_released", au, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(au[0].detail, "outcome=OK status=released");

	fx = change_fx(DESK_FX_SET_STATUS, 4);
	fx.change.status = RESIDENT_TRANSFERRED;
	assert_int_equal(run(f, &fx)->done.reason, REASON_BAD_REQUEST); /* a note is required */
	snprintf(fx.change.note, sizeof(fx.change.note), "to No. 3 hospital");
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	assert_int_equal(store_resident_get(f->st, 4, &sr), 0);
	assert_int_equal(sr.status, RESIDENT_TRANSFERRED);
	fx = change_fx(DESK_FX_SET_RISK, 4);
	fx.change.risk = RISK_RED;
	snprintf(fx.change.note, sizeof(fx.change.note), "late");
	assert_int_equal(run(f, &fx)->done.reason, REASON_TRANSFERRED);
	fx = change_fx(DESK_FX_SET_STATUS, 2);
	fx.change.status = RESIDENT_IN_QUARANTINE;
	assert_int_equal(run(f, &fx)->done.reason, REASON_BAD_REQUEST);
}

static void test_extend(void **state)
{
	struct fixture *f = *state;
	struct store_resident sr;
	assert_int_equal(store_resident_get(f->st, 2, &sr), 0);
	hk_day release = sr.planned_release;
	struct desk_effect fx = change_fx(DESK_FX_EXTEND, 2);
	fx.change.from_day = release;
	fx.change.days = 7;
	snprintf(fx.change.note, sizeof(fx.change.note), "positive test");
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	assert_int_equal(store_resident_get(f->st, 2, &sr), 0);
	assert_int_equal(sr.planned_release, release + 7);
	/* the card and the checkpoint show the extension */
	struct desk_effect card = {.kind = DESK_FX_LOAD_CARD, .ticket = 2};
	snprintf(card.load_card.arrival_id, sizeof(card.load_card.arrival_id), "2");
	struct desk_event *ev = run(f, &card);
	assert_int_equal(ev->card.card.resident.plan.release_day, release + 7);
	assert_int_equal(ev->card.card.resident.plan.extended_days, 7);
	/* the same request again is stale: the release moved */
	assert_int_equal(run(f, &fx)->done.reason, REASON_CONFLICT);
	fx.change.from_day = release + 7;
	fx.change.days = 0;
	assert_int_equal(run(f, &fx)->done.reason, REASON_BAD_REQUEST);
	struct audit_record au[2];
	size_t n;
	assert_int_equal(store_audit_list(f->st, "arrival:2", "set_release", au, 2, &n), 0);
	assert_int_equal(n, 1);
	char want[11];
	assert_string_equal(au[0].detail, day_format(release + 7, want));
}

static void test_occupancy(void **state)
{
	struct fixture *f = *state;
	struct desk_effect fx = change_fx(DESK_FX_SET_RISK, 2);
	fx.change.risk = RISK_RED;
	snprintf(fx.change.note, sizeof(fx.change.note), "cough");
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	fx = change_fx(DESK_FX_SET_STATUS, 4);
	fx.change.status = RESIDENT_RELEASED;
	assert_int_equal(run(f, &fx)->done.reason, REASON_OK);
	memset(&fx, 0, sizeof(fx));
	fx.kind = DESK_FX_LOAD_OCCUPANCY;
	fx.ticket = 21;
	/* two weeks on: arrivals 1 and 3 (14 days from tomorrow) leave on day +15 */
	struct desk_event *ev = malloc(sizeof(*ev));
	bool answered;
	int64_t later = NOW + 14 * DAY;
	assert_int_equal(frontdesk_carry_out(f->st, &f->cfg, &fx, later, ev, &answered), 0);
	assert_int_equal(ev->kind, DESK_EV_OCCUPANCY);
	assert_int_equal(ev->occupancy.reason, REASON_OK);
	const struct desk_occupancy *o = &ev->occupancy.occ;
	assert_int_equal(o->room_count, 5);
	assert_int_equal(o->counts[ROOM_OCCUPIED], 3);
	assert_int_equal(o->counts[ROOM_CLEANING], 1);
	assert_int_equal(o->counts[ROOM_FREE], 1);
	assert_int_equal(o->releases_today, 0);
	assert_int_equal(o->releases_tomorrow, 2);
	assert_int_equal(o->floor_count, 2);
	assert_true(o->printer_ok);
	assert_int_equal(o->last_sync_unix, NOW - 90);
	assert_true(o->outbox_pending > 0);
	for (int i = 0; i < o->room_count; i++) {
		if (strcmp(o->rooms[i].number, f->room[2]) == 0)
			assert_int_equal(o->rooms[i].risk, RISK_RED);
		if (strcmp(o->rooms[i].number, f->room[1]) == 0)
			assert_int_equal(o->rooms[i].risk, RISK_GREEN);
	}
	assert_int_equal(o->risk_counts[RISK_RED], 1);
	free(ev);
}

/* Step ev, then carry out every effect (and those its answers bring) on the store and feed
 * the answers back, as the wiring will. Returns the audits written. */
static int drive(struct fixture *f, struct flow_frontdesk *flow, const struct desk_event *ev,
                 int64_t *t, struct desk_effects *out, struct desk_event *ans)
{
	struct desk_effect queue[64];
	int head = 0, tail = 0, audits = 0;
	flow_frontdesk_step(flow, ev, *t += 10, out);
	for (int i = 0; i < out->count && tail < 64; i++)
		queue[tail++] = out->fx[i];
	while (head < tail) {
		bool answered;
		audits += queue[head].kind == DESK_FX_AUDIT;
		assert_int_equal(frontdesk_carry_out(f->st, &f->cfg, &queue[head++],
		                                     NOW + *t / 1000, ans, &answered),
		                 0);
		if (!answered)
			continue;
		flow_frontdesk_step(flow, ans, *t += 10, out);
		for (int i = 0; i < out->count && tail < 64; i++)
			queue[tail++] = out->fx[i];
	}
	return audits;
}

/* The flow drives the service: sign in, search, open the card, void the band. */
static void test_through_the_flow(void **state)
{
	struct fixture *f = *state;
	struct flow_frontdesk *flow = malloc(sizeof(*flow));
	struct desk_effects *out = malloc(sizeof(*out));
	struct desk_event *ev = malloc(sizeof(*ev)), *ans = malloc(sizeof(*ans));
	int64_t t = 1000;
	assert_int_equal(flow_frontdesk_init(flow, NULL), 0);
	/* step ev, then carry out every effect and feed the answers back */
	int audits = 0;
#define STEP(e) audits += drive(f, flow, (e), &t, out, ans)
	memset(ev, 0, sizeof(*ev));
	ev->kind = DESK_EV_BADGE;
	snprintf(ev->badge.id, sizeof(ev->badge.id), "staff-7");
	STEP(ev);
	memset(ev, 0, sizeof(*ev));
	ev->kind = DESK_EV_PIN;
	snprintf(ev->pin.digits, sizeof(ev->pin.digits), "482913");
	STEP(ev);
	assert_true(flow_frontdesk_signed_in(flow));
	memset(ev, 0, sizeof(*ev));
	ev->kind = DESK_EV_SEARCH;
	ev->search.by = DESK_BY_NAME;
	snprintf(ev->search.query, sizeof(ev->search.query), "张");
	STEP(ev);
	assert_int_equal(flow->state, DESK_RESULTS);
	assert_int_equal(flow->session.result_count, 2);
	assert_string_equal(flow->session.results[1].arrival_id, "2");
	memset(ev, 0, sizeof(*ev));
	ev->kind = DESK_EV_OPEN;
	ev->open.index = 1;
	STEP(ev);
	assert_int_equal(flow->state, DESK_CARD);
	assert_int_equal(flow->session.card.band_serial, f->serial[2]);
	memset(ev, 0, sizeof(*ev));
	ev->kind = DESK_EV_ACTION;
	ev->action.action = DESK_ACT_VOID_BAND;
	snprintf(ev->action.note, sizeof(ev->action.note), "lost");
	STEP(ev);
	assert_int_equal(flow->state, DESK_CONFIRM);
	memset(ev, 0, sizeof(*ev));
	ev->kind = DESK_EV_CONFIRM;
	STEP(ev);
	assert_int_equal(flow->state, DESK_CARD);
	assert_int_equal(flow->session.done_reason, REASON_OK);
	assert_int_equal(flow->session.card.band_serial, 0); /* reloaded: no active band */
	assert_int_equal(band_scans_as(f, 2), SEC_BAND_VOID);
#undef STEP
	/* login, card view and the void are on the audit log */
	assert_true(audits >= 3);
	struct audit_record au[4];
	size_t n;
	assert_int_equal(store_audit_list(f->st, "arrival:2", "", au, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(au[0].action, "void_band");
	assert_string_equal(au[1].action, "view_card");
	assert_string_equal(au[0].actor, "staff-7");
	assert_int_equal(store_audit_list(f->st, "", "staff_login", au, 4, &n), 0);
	assert_int_equal(n, 1);
	free(flow);
	free(out);
	free(ev);
	free(ans);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_pin_hash_salted_slow, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_search, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_search_more, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_card_histories, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_void_band, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reprint_and_labels, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_risk_release_transfer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_extend, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_occupancy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_through_the_flow, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
