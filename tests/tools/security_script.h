/* tests/tools/security_script.h: drives the real security post flow
 * (app/core/flow_security.h) to each of its screens: ready (synced or never), looking up, and
 * green, amber and red verdicts with and without a known resident. Shared by
 * tests/unit/test_screen_security.c and tests/tools/entrance_shots.c. Header-only. */
#ifndef HK_TESTS_SECURITY_SCRIPT_H
#define HK_TESTS_SECURITY_SCRIPT_H

#include <stdio.h>
#include <string.h>

#include "app/core/flow_security.h"
#include "app/core/screen_security.h"

#define SEC_SCRIPT_ARRIVAL "ARR-20261120-0007" /* never shown */
#define SEC_SCRIPT_STATION "HKDEMO1"           /* never shown */
#define SEC_SCRIPT_NAME    "王*芳"
#define SEC_SCRIPT_ROOM    "1207"
#define SEC_SCRIPT_T0      1795000000 /* unix seconds of the first step */

enum sec_stop {
	SEC_STOP_READY_NEVER, /* never synced: the data warning */
	SEC_STOP_READY,       /* synced 5 minutes ago */
	SEC_STOP_LOOKING,
	SEC_STOP_GREEN,      /* orange risk, psychological care and elderly, day 5 of 14 */
	SEC_STOP_AMBER,      /* released resident inside the site */
	SEC_STOP_AMBER_BAND, /* a genuine band the replica does not know: room only */
	SEC_STOP_RED_PLACE,  /* a resident of another floor */
	SEC_STOP_RED_FORGED, /* a band nobody we trust signed */
	SEC_STOP_COUNT
};

static const char *const sec_stop_names[SEC_STOP_COUNT] = {
    "sec-ready-never", "sec-ready",      "sec-looking",   "sec-green",
    "sec-amber",       "sec-amber-band", "sec-red-place", "sec-red-forged",
};

struct sec_script {
	struct flow_security f;
	struct sec_effects fx;
	int64_t now, unix_s;
	uint32_t ticket;
};

static void sec_script_step(struct sec_script *s, const struct sec_event *ev, int64_t dt)
{
	s->now += dt;
	s->unix_s = SEC_SCRIPT_T0 + s->now / 1000;
	flow_security_step(&s->f, ev, s->now, s->unix_s, &s->fx);
	for (int i = 0; i < s->fx.count; i++)
		if (s->fx.fx[i].kind == SEC_FX_LOOKUP)
			s->ticket = s->fx.fx[i].ticket;
}

static void sec_script_run(struct sec_script *s, enum sec_stop stop)
{
	static struct sec_event ev; /* large: not on the stack */
	memset(s, 0, sizeof(*s));
	struct sec_config cfg;
	flow_security_config_defaults(&cfg);
	snprintf(cfg.checkpoint, sizeof(cfg.checkpoint), "3F-East");
	cfg.floor_count = 1;
	cfg.floors[0] = 3;
	flow_security_init(&s->f, &cfg);
	s->now = 1000;
	if (stop != SEC_STOP_READY_NEVER) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = SEC_EV_SYNCED;
		ev.synced.unix_s = SEC_SCRIPT_T0 - 300;
		sec_script_step(s, &ev, 0);
	}
	if (stop <= SEC_STOP_READY)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = SEC_EV_SCAN;
	snprintf(ev.scan.text, sizeof(ev.scan.text), "HKB1.demo-token.%d", (int)stop);
	sec_script_step(s, &ev, 100);
	if (stop == SEC_STOP_LOOKING)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = SEC_EV_LOOKED_UP;
	ev.ticket = s->ticket;
	struct sec_lookup *a = &ev.lookup;
	a->reason = REASON_OK;
	a->token = stop == SEC_STOP_RED_FORGED ? WRISTBAND_BAD_SIGNATURE : WRISTBAND_OK;
	if (a->token == WRISTBAND_OK) {
		snprintf(a->band.station, sizeof(a->band.station), "%s", SEC_SCRIPT_STATION);
		snprintf(a->band.room, sizeof(a->band.room), "%s", SEC_SCRIPT_ROOM);
		a->band.serial = 4711;
	}
	a->band_state = stop == SEC_STOP_AMBER_BAND ? SEC_BAND_UNKNOWN : SEC_BAND_ACTIVE;
	a->has_resident =
	    stop == SEC_STOP_GREEN || stop == SEC_STOP_AMBER || stop == SEC_STOP_RED_PLACE;
	struct resident *r = &a->resident;
	snprintf(r->arrival_id, sizeof(r->arrival_id), "%s", SEC_SCRIPT_ARRIVAL);
	snprintf(r->name_masked, sizeof(r->name_masked), "%s", SEC_SCRIPT_NAME);
	snprintf(r->room, sizeof(r->room), "%s", SEC_SCRIPT_ROOM);
	r->floor = stop == SEC_STOP_RED_PLACE ? 12 : 3;
	r->risk = stop == SEC_STOP_RED_PLACE ? RISK_RED : RISK_ORANGE;
	r->category = CATEGORY_CLOSE_CONTACT;
	r->care = stop == SEC_STOP_GREEN ? RESIDENT_CARE_PSYCH | RESIDENT_CARE_ELDERLY : 0;
	r->status = stop == SEC_STOP_AMBER ? RESIDENT_RELEASED : RESIDENT_IN_QUARANTINE;
	r->plan.tz_offset_s = 8 * 3600;
	hk_day today = day_from_unix(SEC_SCRIPT_T0, 8 * 3600);
	r->plan.arrival_day = today - 5;
	r->plan.first_day = today - 4;
	r->plan.release_day = r->plan.first_day + 14;
	r->plan.home_end_day = r->plan.release_day;
	sec_script_step(s, &ev, 150);
}

/* The colour and state each stop must reach. */
static void sec_script_expect(enum sec_stop stop, enum sec_state *st, enum sec_colour *c)
{
	static const struct {
		enum sec_state st;
		enum sec_colour c;
	} want[SEC_STOP_COUNT] = {
	    [SEC_STOP_READY_NEVER] = {SEC_READY, SEC_GREEN},
	    [SEC_STOP_READY] = {SEC_READY, SEC_GREEN},
	    [SEC_STOP_LOOKING] = {SEC_LOOKING, SEC_GREEN},
	    [SEC_STOP_GREEN] = {SEC_VERDICT, SEC_GREEN},
	    [SEC_STOP_AMBER] = {SEC_VERDICT, SEC_AMBER},
	    [SEC_STOP_AMBER_BAND] = {SEC_VERDICT, SEC_AMBER},
	    [SEC_STOP_RED_PLACE] = {SEC_VERDICT, SEC_RED},
	    [SEC_STOP_RED_FORGED] = {SEC_VERDICT, SEC_RED},
	};
	*st = want[stop].st;
	*c = want[stop].c;
}

#endif
