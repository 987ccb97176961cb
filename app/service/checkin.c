/* app/service/checkin.c: rooms, terms and wristbands for a group, committed at once. */
#include "app/service/checkin.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>

#include <jansson.h>

#include "app/store/store.h"
#include "app/sys/sys.h"

enum risk checkin_initial_risk(enum flow_code code, enum category c)
{
	enum risk r = code == FLOW_CODE_RED      ? RISK_RED
	              : code == FLOW_CODE_YELLOW ? RISK_YELLOW
	                                         : RISK_GREEN;
	if (c == CATEGORY_CLOSE_CONTACT && r < RISK_ORANGE)
		r = RISK_ORANGE;
	return r;
}

/* An international certificate a person showed, as an audit record of the check-in (action
 * "intl_evidence", actor "kiosk", target "arrival:ID", detail JSON: format, kind, day,
 * issuer; no name), so it reaches the station with the other records. Written after the
 * check-in committed: the evidence supports it, never decides it, so a failure is logged and
 * the check-in stands. */
static void evidence_record(struct store *st, const struct person *p, int64_t arrival_id,
                            int64_t now)
{
	const struct flow_evidence *e = &p->evidence;
	if (e->kind == FLOW_EVIDENCE_NONE || (unsigned)e->kind >= FLOW_EVIDENCE_KIND_COUNT)
		return;
	char day[11] = "";
	if (e->day > 0)
		day_format(e->day, day);
	struct audit_record a = {.at = now};
	snprintf(a.actor, sizeof(a.actor), "kiosk");
	snprintf(a.action, sizeof(a.action), "intl_evidence");
	snprintf(a.target, sizeof(a.target), "arrival:%" PRId64, arrival_id);
	json_t *o =
	    json_pack("{s:s%, s:s, s:s, s:b, s:s%}", "format", e->format,
	              strnlen(e->format, sizeof(e->format)), "kind",
	              flow_evidence_kind_name(e->kind), "day", day, "positive", e->test_positive,
	              "issuer", e->issuer, strnlen(e->issuer, sizeof(e->issuer)));
	char *detail = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	int rc = detail && strlen(detail) < sizeof(a.detail) ? 0 : STORE_E_INVALID;
	if (rc == 0) {
		snprintf(a.detail, sizeof(a.detail), "%s", detail);
		rc = store_audit_add(st, &a, NULL);
	}
	if (rc != 0)
		log_warn("check-in of arrival %" PRId64 ": certificate not recorded: %s",
		         arrival_id, store_status_name(rc));
	free(detail);
}

static void fail(struct event *answer, const struct effect *fx, enum reason why)
{
	memset(answer, 0, sizeof(*answer));
	answer->kind = EV_ASSIGN_FAILED;
	answer->ticket = fx->ticket;
	answer->failed.reason = why;
}

static enum reason store_reason(int status)
{
	switch (status) {
	case STORE_E_ALREADY_CHECKED_IN:
		return REASON_ALREADY_CHECKED_IN;
	case STORE_E_ROOM_FULL:
	case STORE_E_ROOM_UNAVAILABLE:
		return REASON_NO_ROOM; /* changed under us: try again */
	default:
		return REASON_STORE_FAILED;
	}
}

/* Whether room is leased to this device and the lease still runs at now. */
static bool leased(const struct store_lease *l, size_t n, const char *room, int64_t now)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i].room, room) == 0)
			return l[i].expires_at > now && !l[i].give_back;
	return false;
}

/* The store's rooms as the room chooser sees them: with leases_only, only the rooms the
 * station leased to this device. Caller frees *out. */
static int load_rooms(struct store *st, bool leases_only, int64_t now, struct rooms_room **out,
                      int *count)
{
	struct room_info *info = NULL;
	struct store_lease *leases = NULL;
	size_t n = 0, nl = 0, kept = 0;
	int rc = leases_only ? store_leases_list(st, &leases, &nl) : 0;
	if (rc != 0)
		return rc;
	rc = store_rooms_list(st, &info, &n);
	if (rc != 0) {
		free(leases);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		if (!leases_only || leased(leases, nl, info[i].number, now))
			info[kept++] = info[i];
	free(leases);
	n = kept;
	if (n > ROOMS_MAX)
		n = ROOMS_MAX;
	struct rooms_room *rooms = calloc(n ? n : 1, sizeof(*rooms));
	if (!rooms) {
		free(info);
		return STORE_E_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(rooms[i].number, sizeof(rooms[i].number), "%s", info[i].number);
		rooms[i].floor = info[i].floor;
		rooms[i].capacity = info[i].capacity;
		rooms[i].state = info[i].state;
		rooms[i].occupants = info[i].occupants;
		if (info[i].n_releases > 0)
			rooms[i].release_day = info[i].releases[info[i].n_releases - 1];
	}
	free(info);
	*out = rooms;
	*count = (int)n;
	return 0;
}

/* A fresh wristband serial: 48 random bits, so devices working offline never collide. */
static int new_serial(int64_t *serial)
{
	uint8_t b[6];
	if (RAND_bytes(b, sizeof(b)) != 1)
		return -EIO;
	int64_t s = 0;
	for (size_t i = 0; i < sizeof(b); i++)
		s = (s << 8) | b[i];
	*serial = s ? s : 1;
	return 0;
}

int checkin_commit(struct store *st, const struct checkin_config *cfg, const struct effect *fx,
                   int64_t now, struct event *answer)
{
	if (!fx || fx->kind != FX_CHECKIN || fx->checkin.count < 1 ||
	    fx->checkin.count > FLOW_GROUP_MAX)
		return -EINVAL;
	const int n = fx->checkin.count;
	struct arrival_record arrivals[FLOW_GROUP_MAX];
	struct checkin_record recs[FLOW_GROUP_MAX];
	struct rooms_room *rooms = NULL;
	int nrooms = 0;
	memset(recs, 0, sizeof(recs));

	/* who: every person must be a manifest arrival by now (walk-ins were added on
	 * approval); the group's strictest needs decide the room */
	struct rooms_request req = {.size = n, .risk = RISK_GREEN};
	hk_day release = 0;
	for (int i = 0; i < n; i++) {
		const struct person *p = &fx->checkin.people[i];
		char *end;
		long long id = strtoll(p->arrival_id, &end, 10);
		if (!p->arrival_id[0] || *end || id <= 0 ||
		    store_arrival_get(st, id, &arrivals[i]) != 0) {
			fail(answer, fx, REASON_STORE_FAILED);
			return 0;
		}
		const struct arrival_record *a = &arrivals[i];
		struct policy_term term = {a->onsite_days, a->home_days};
		struct policy_plan plan;
		if (policy_plan_make(&cfg->policy, a->category,
		                     policy_term_valid(term) ? &term : NULL, now, &plan) != 0) {
			fail(answer, fx, REASON_STORE_FAILED);
			return 0;
		}
		enum risk r = checkin_initial_risk(p->code, a->category);
		if (r > req.risk)
			req.risk = r;
		if (p->minor || a->child)
			req.minors++;
		enum policy_action act = policy_for_code_colour(&cfg->policy, a->category,
		                                                (enum policy_code_colour)p->code);
		if (act == POLICY_ADMIT_DESIGNATED)
			req.designated = true;
		if (plan.release_day > release)
			release = plan.release_day;
		recs[i] = (struct checkin_record){
		    .arrival_id = id,
		    .at = now,
		    .code_reason = REASON_OK,
		    .risk = r,
		    .planned_release = plan.release_day,
		};
		snprintf(recs[i].code_result, sizeof(recs[i].code_result), "%s",
		         p->code == FLOW_CODE_RED      ? "red"
		         : p->code == FLOW_CODE_YELLOW ? "yellow"
		                                       : "green");
		snprintf(recs[i].briefing_hash, sizeof(recs[i].briefing_hash), "%s",
		         fx->checkin.briefing_version);
		snprintf(recs[i].briefing_lang, sizeof(recs[i].briefing_lang), "%s",
		         fx->checkin.lang == FLOW_LANG_EN ? "en" : "zh-CN");
		snprintf(recs[i].risk_set_by, sizeof(recs[i].risk_set_by), "%s",
		         p->approved_by[0] ? p->approved_by : "kiosk");
		const struct flow_timings *t = &fx->checkin.timings;
		recs[i].timings = (struct checkin_timings){
		    .verify_ms = (int32_t)t->verdict_ms,
		    .confirm_ms = (int32_t)t->identity_ms,
		    .briefing_ms = (int32_t)t->briefing_ms,
		    .total_ms = (int32_t)t->visit_ms,
		};
	}
	req.category = arrivals[0].category;
	req.release_day = release;
	req.group = arrivals[0].group_id;

	/* out of leased rooms, approved by staff: recorded without rooms or bands */
	if (fx->checkin.no_room_by[0]) {
		int rc =
		    store_checkin_without_room(st, recs, (size_t)n, fx->checkin.no_room_by, NULL);
		if (rc != 0) {
			fail(answer, fx, store_reason(rc));
			return 0;
		}
		memset(answer, 0, sizeof(*answer));
		answer->kind = EV_ASSIGNED;
		answer->ticket = fx->ticket;
		answer->assigned.count = n;
		for (int i = 0; i < n; i++)
			answer->assigned.a[i].release_day = recs[i].planned_release;
		return 0;
	}

	/* where */
	if (load_rooms(st, cfg->leases_only, now, &rooms, &nrooms) != 0) {
		fail(answer, fx, REASON_STORE_FAILED);
		return 0;
	}
	struct rooms_assignment as;
	if (rooms_choose(&cfg->rooms, rooms, nrooms, &req, &as) != 0 || as.result != ROOMS_OK) {
		enum reason why =
		    as.result == ROOMS_OK ? REASON_STORE_FAILED : rooms_result_reason(as.result);
		/* among this kiosk's leases: the station may still have a room (docs/sync.md) */
		if (cfg->leases_only && as.result != ROOMS_OK &&
		    as.result != ROOMS_UNACCOMPANIED_MINOR)
			why = REASON_NO_LEASED_ROOM;
		fail(answer, fx, why);
		goto out_free_rooms;
	}
	/* seat adults first, minors after, room by room: each placement's minors share the
	 * room with its adults, as the chooser guarantees */
	int order[FLOW_GROUP_MAX], k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++)
			if ((fx->checkin.people[i].minor || arrivals[i].child) == (pass == 1))
				order[k++] = i;
	int adult_i = 0, minor_i = req.size - req.minors;
	for (int pl = 0; pl < as.count; pl++) {
		const struct rooms_placement *place = &as.place[pl];
		const char *room = rooms[place->room].number;
		for (int a = 0; a < place->adults && adult_i < n; a++)
			snprintf(recs[order[adult_i++]].room, sizeof(recs[0].room), "%s", room);
		for (int m = 0; m < place->minors && minor_i < n; m++)
			snprintf(recs[order[minor_i++]].room, sizeof(recs[0].room), "%s", room);
	}

	/* wristbands, signed before the commit so the token is part of the same transaction */
	int64_t serials[FLOW_GROUP_MAX];
	for (int i = 0; i < n; i++) {
		struct wristband band = {.serial = 0,
		                         .day = day_from_unix(now, cfg->policy.tz_offset_s)};
		snprintf(band.station, sizeof(band.station), "%s", cfg->station);
		snprintf(band.room, sizeof(band.room), "%s", recs[i].room);
		if (!recs[i].room[0] || new_serial(&band.serial) != 0 ||
		    wristband_issue(&band, &cfg->key, recs[i].wristband_token,
		                    sizeof(recs[i].wristband_token)) != 0) {
			fail(answer, fx, REASON_STORE_FAILED);
			goto out_free_rooms;
		}
		serials[i] = band.serial;
		snprintf(recs[i].wristband_serial, sizeof(recs[i].wristband_serial), "%" PRId64,
		         band.serial);
	}
	int rc = store_checkin_commit_group(st, recs, (size_t)n, NULL);
	if (rc != 0) {
		if (rc == STORE_E_SQL || rc == STORE_E_IO ||
		    rc == STORE_E_BUSY) /* the cause, for staff */
			log_err("check-in not stored: %s", store_errmsg(st));
		fail(answer, fx, store_reason(rc));
		goto out_free_rooms;
	}
	memset(answer, 0, sizeof(*answer));
	answer->kind = EV_ASSIGNED;
	answer->ticket = fx->ticket;
	answer->assigned.count = n;
	for (int i = 0; i < n; i++) {
		struct assignment *a = &answer->assigned.a[i];
		snprintf(a->room, sizeof(a->room), "%s", recs[i].room);
		a->release_day = recs[i].planned_release;
		a->serial = serials[i];
		evidence_record(st, &fx->checkin.people[i], recs[i].arrival_id, now);
	}
out_free_rooms:
	free(rooms);
	return 0;
}
