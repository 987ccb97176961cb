/* tests/tools/gen_station.c: a station's month, written through the real store API: N
 * residents arriving over D days (check-ins with intake times), releases on their planned
 * day, a few transfers, doctors' risk changes and checkpoint scans. Deterministic for a
 * seed. For the daily report's tests and for demos.
 * Usage: gen_station DB [RESIDENTS=500] [DAYS=30] [SEED=1] [FIRST_DAY=2026-11-01] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/policy.h"
#include "app/store/store.h"
#include "app/store/store_internal.h"

#define TZ        (8 * 3600)
#define ROOMS     300
#define ROOMS_CAP 2

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

struct gen_person {
	int64_t id;
	char room[STORE_ROOM_MAX];
	int64_t at;
	hk_day release;
	int state; /* 0 not arrived, 1 in house, 2 gone */
};

struct room_use {
	char number[STORE_ROOM_MAX];
	int used;
	hk_day cleaning_until; /* cleaning rooms are free again on this day */
};

static int64_t local_time(hk_day d, int secs)
{
	return (int64_t)d * 86400 - TZ + secs;
}

static int fail(struct store *st, const char *what, int rc)
{
	fprintf(stderr, "gen_station: %s: %s [%s]\n", what, store_errmsg(st),
	        store_status_name(rc));
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_station DB [RESIDENTS] [DAYS] [SEED] [FIRST_DAY]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 500, days = argc > 3 ? atoi(argv[3]) : 30;
	rng_state = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
	hk_day first = day_from_ymd(2026, 11, 1);
	if ((argc > 5 && !day_parse(argv[5], &first)) || n < 1 || n > 20000 || days < 1 ||
	    days > 365) {
		fprintf(stderr, "gen_station: bad arguments\n");
		return 2;
	}
	struct store_error err;
	struct store *st = store_open(argv[1], &err);
	if (!st) {
		fprintf(stderr, "gen_station: %s\n", err.message);
		return 1;
	}
	/* test data: durability does not matter, speed does (every write is still the API's) */
	sqlite3_exec(st->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	struct policy pol;
	policy_defaults(&pol);
	struct gen_person *people = calloc((size_t)n, sizeof(*people));
	struct room_use *rooms = calloc(ROOMS, sizeof(*rooms));
	struct room_spec *specs = calloc(ROOMS, sizeof(*specs));
	size_t cap = (size_t)n * 96 + 128, len = 0;
	char *csv = malloc(cap);
	int rc = 0;
	if (!people || !rooms || !specs || !csv)
		return 1;
	if ((rc = store_identity_set(st, "SZ01", "gen-kiosk")) != 0)
		return fail(st, "identity", rc);
	for (int i = 0; i < ROOMS; i++) {
		specs[i].floor = 2 + i / 20;
		snprintf(specs[i].number, sizeof(specs[i].number), "%d%02d", specs[i].floor,
		         1 + i % 20);
		specs[i].capacity = ROOMS_CAP;
		memcpy(rooms[i].number, specs[i].number, sizeof(rooms[i].number));
	}
	if ((rc = store_rooms_add(st, specs, ROOMS, NULL)) != 0)
		return fail(st, "rooms", rc);
	static const char *const cats[] = {"inbound", "close_contact", "secondary_contact"};
	static const char *const terms[] = {"14+7", "14", "21+7", "7+7"};
	len += (size_t)snprintf(csv, cap,
	                        "batch,name,doc_type,doc_number,category,term,"
	                        "arrival_day,elderly\n");
	for (int i = 0; i < n; i++) {
		char day[11];
		hk_day d = first + (hk_day)((int64_t)i * days / n);
		len += (size_t)snprintf(csv + len, cap - len,
		                        "B%03d,测试%05d,passport,G%08d,%s,%s,%s,%d\n",
		                        (int)(d - first), i, i, cats[rnd(3)], terms[rnd(4)],
		                        day_format(d, day), rnd(10) == 0);
	}
	struct manifest_report rep = {0};
	if ((rc = store_manifest_import(st, csv, len, &rep)) != 0)
		return fail(st, "manifest", rc);
	for (int i = 0; i < n; i++)
		people[i].id = i + 1;
	/* day by day: rooms cleaned, releases at 10:00, arrivals 08:00-22:00, risk changes and
	 * scans of residents in the house */
	int next = 0, serial = 100000;
	for (hk_day d = first; d < first + days; d++) {
		for (int r = 0; r < ROOMS; r++)
			if (rooms[r].cleaning_until == d && rooms[r].used == 0 &&
			    (rc = store_room_set_state(st, rooms[r].number, ROOM_FREE)) != 0)
				return fail(st, "room free", rc);
		for (int i = 0; i < next; i++) {
			struct gen_person *p = &people[i];
			if (p->state != 1)
				continue;
			bool transfer = rnd(200) == 0;
			if (p->release != d && !transfer)
				continue;
			int64_t t = local_time(d, 10 * 3600 + (int)rnd(3600));
			rc = transfer
			         ? store_checkin_transfer(st, p->id, t, "desk-1", "fever", NULL)
			         : store_checkin_release(st, p->id, t, "desk-1", NULL);
			if (rc)
				return fail(st, "release", rc);
			p->state = 2;
			for (int r = 0; r < ROOMS; r++)
				if (strcmp(rooms[r].number, p->room) == 0 && --rooms[r].used == 0)
					rooms[r].cleaning_until = d + 1;
		}
		/* scans and risk changes before the day's arrivals (00:00-07:59) */
		for (int i = 0; i < next; i++) {
			struct gen_person *p = &people[i];
			if (p->state != 1)
				continue;
			if (rnd(15) == 0) {
				struct risk_change rc2 = {.arrival_id = p->id,
				                          .at = local_time(d, (int)rnd(8 * 3600)),
				                          .risk = (enum risk)rnd(RISK_COUNT)};
				snprintf(rc2.set_by, sizeof(rc2.set_by), "doc-%u", rnd(3));
				snprintf(rc2.why, sizeof(rc2.why), "assessment");
				if ((rc = store_risk_change_add(st, &rc2, NULL)) != 0)
					return fail(st, "risk", rc);
			}
			if (rnd(3) == 0) {
				static const char *const colours[] = {"green", "amber", "red"};
				static const enum reason why[] = {REASON_OK, REASON_BAND_UNKNOWN,
				                                  REASON_WRONG_PLACE};
				int c = rnd(10) < 8 ? 0 : 1 + (int)rnd(2);
				struct scan_record s = {.at = local_time(d, (int)rnd(8 * 3600)),
				                        .result = why[c]};
				snprintf(s.checkpoint, sizeof(s.checkpoint), "F%d-corridor",
				         2 + rnd(15));
				snprintf(s.serial, sizeof(s.serial), "%d", 100000 + i);
				snprintf(s.colour, sizeof(s.colour), "%s", colours[c]);
				if ((rc = store_scan_add(st, &s, NULL)) != 0)
					return fail(st, "scan", rc);
			}
		}
		int64_t t = local_time(d, 8 * 3600);
		while (next < n) {
			struct arrival_record a;
			if ((rc = store_arrival_get(st, people[next].id, &a)) != 0)
				return fail(st, "arrival", rc);
			if (a.expected_day != d)
				break;
			struct gen_person *p = &people[next];
			t += 1 + rnd((unsigned)(14 * 3600 / (n / days + 1)));
			int r0 = (int)rnd(ROOMS), r = -1;
			for (int k = 0; k < ROOMS && r < 0; k++) {
				struct room_use *u = &rooms[(r0 + k) % ROOMS];
				if (u->used < ROOMS_CAP && u->cleaning_until <= d)
					r = (r0 + k) % ROOMS;
			}
			if (r < 0) {
				fprintf(stderr, "gen_station: the house is full\n");
				return 1;
			}
			struct checkin_record c;
			memset(&c, 0, sizeof(c));
			c.arrival_id = p->id;
			c.at = t;
			snprintf(c.code_result, sizeof(c.code_result), "green");
			snprintf(c.briefing_hash, sizeof(c.briefing_hash), "sha256:ab");
			snprintf(c.briefing_lang, sizeof(c.briefing_lang), "zh-CN");
			memcpy(c.room, rooms[r].number, sizeof(c.room));
			c.risk = a.category == CATEGORY_CLOSE_CONTACT ? RISK_ORANGE : RISK_GREEN;
			snprintf(c.risk_set_by, sizeof(c.risk_set_by), "kiosk");
			struct policy_term term = {a.onsite_days, a.home_days};
			struct policy_plan plan;
			if (policy_plan_make(&pol, a.category, &term, t, &plan) != 0)
				return 1;
			c.planned_release = plan.release_day;
			snprintf(c.wristband_serial, sizeof(c.wristband_serial), "%d", serial++);
			snprintf(c.wristband_token, sizeof(c.wristband_token), "HK1.GEN.%d",
			         serial);
			int32_t total = rnd(20) == 0 ? -1 : (int32_t)(40000 + rnd(260000));
			c.timings = (struct checkin_timings){total < 0 ? -1 : 900, -1, -1, total};
			if ((rc = store_checkin_commit(st, &c, NULL)) != 0)
				return fail(st, "checkin", rc);
			memcpy(p->room, c.room, sizeof(p->room));
			p->at = t;
			p->release = c.planned_release;
			p->state = 1;
			rooms[r].used++;
			next++;
		}
	}
	printf("gen_station: %d residents over %d days from day %d\n", next, days, (int)first);
	free(people);
	free(rooms);
	free(specs);
	free(csv);
	store_close(st);
	return 0;
}
