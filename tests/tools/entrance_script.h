/* tests/tools/entrance_script.h: drives the real entrance flow (app/core/flow_entrance.h) with
 * events to each of its screens: every state and every overlay, shared by the pure screen test
 * (tests/unit/test_screen_entrance.c) and the window tool (tests/tools/entrance_shots.c).
 * Header-only (static functions) so both can include it. */
#ifndef HK_TESTS_ENTRANCE_SCRIPT_H
#define HK_TESTS_ENTRANCE_SCRIPT_H

#include <stdio.h>
#include <string.h>

#include "app/core/flow_entrance.h"
#include "app/core/screen_entrance.h"

/* What a screen must never show: unmasked or internal data the flow carries. */
#define SCRIPT_KEY       "440301199001011234" /* the holder key: here the full ID number */
#define SCRIPT_ARRIVAL   "ARR-20261129-0042"
#define SCRIPT_GROUP     "GRP-BUS7-FAM3"
#define SCRIPT_BADGE     "STAFF-0815"
#define SCRIPT_PIN       "2468"
#define SCRIPT_PIN_SHOWN "795" /* digits typed on the PIN screen */
#define SCRIPT_NAME      "张*三"
#define SCRIPT_DOC       "4403**********1234"
#define SCRIPT_ROOM      "1203"
#define SCRIPT_VERSION   "3f5a9c0d"
#define SCRIPT_INTL_NAME "M********* E****" /* the name on the certificate, masked */
#define SCRIPT_INTL_ISS  "DE"

enum script_stop {
	STOP_ATTRACT,
	STOP_ATTRACT_QUEUE, /* camera preview, queue position, offline */
	STOP_VERIFYING,
	STOP_IDENTITY,
	STOP_COUNTDOWN, /* identity, 7 s before it is abandoned */
	STOP_FAMILY,    /* the first person only */
	STOP_FAMILY3,   /* three people, a child among them */
	STOP_FAMILY_NOTICE,
	STOP_MEMBER_VERIFYING,
	STOP_BRIEFING,      /* just shown: scroll to the end */
	STOP_BRIEFING_WAIT, /* scrolled to the end, still reading */
	STOP_BRIEFING_READY,
	STOP_CHECKING_IN,
	STOP_PRINTING,
	STOP_DONE,
	STOP_DONE_DESK, /* a wristband failed to print */
	STOP_REFUSED_RED,
	STOP_REFUSED_AMBER,
	STOP_APPROVAL,
	STOP_FAULT,
	STOP_REPRINTING,
	STOP_CALL,
	STOP_PIN,
	STOP_PIN_CHECK,
	STOP_STAFF,      /* signed in, a walk-in waiting for approval */
	STOP_STAFF_IDLE, /* signed in on the identity screen: nothing pending */
	STOP_AFTER_END,  /* a whole visit done and dismissed: attract again */
	STOP_FAMILY6,    /* a full group of six */
	STOP_EVIDENCE,   /* an EU DCC read as supporting evidence: "now scan your health code" */
	STOP_IDENTITY_EVIDENCE, /* the health code after it: identity with the certificate */
	STOP_FAMILY_EVIDENCE,   /* a member's SMART card: the family screen's notice */
	STOP_COUNT
};

static const char *const script_stop_names[STOP_COUNT] = {
    "attract",         "attract-queue",  "verifying",     "identity",         "countdown",
    "family",          "family3",        "family-notice", "member-verifying", "briefing",
    "briefing-wait",   "briefing-ready", "checking-in",   "printing",         "done",
    "done-desk",       "refused-red",    "refused-amber", "approval",         "fault",
    "reprinting",      "call",           "pin",           "pin-check",        "staff",
    "staff-idle",      "after-end",      "family6",       "evidence",         "identity-evidence",
    "family-evidence",
};

struct script {
	struct flow_entrance f;
	struct effects fx;
	int64_t now;
	uint32_t t_verify, t_checkin, t_print, t_pin;
};

enum script_who {
	WHO_ADULT,
	WHO_CHILD,
	WHO_SPOUSE,
	WHO_WALKER,
	WHO_YELLOW,
	WHO_DCC, /* an EU DCC: vaccination, issued by Germany */
	WHO_SHC  /* a SMART Health Card: a negative test, issuer host */
};

static void script_person(enum script_who w, struct person *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->arrival_id, sizeof(p->arrival_id), "%s", SCRIPT_ARRIVAL);
	snprintf(p->group_id, sizeof(p->group_id), "%s", SCRIPT_GROUP);
	snprintf(p->key, sizeof(p->key), "%s", SCRIPT_KEY);
	snprintf(p->name_masked, sizeof(p->name_masked), "%s", SCRIPT_NAME);
	snprintf(p->doc_masked, sizeof(p->doc_masked), "%s", SCRIPT_DOC);
	p->category = CATEGORY_INBOUND;
	p->code = FLOW_CODE_GREEN;
	switch (w) {
	case WHO_CHILD:
		snprintf(p->name_masked, sizeof(p->name_masked), "张*");
		p->key[0] = 'c';
		p->arrival_id[0] = 'C';
		p->minor = true;
		break;
	case WHO_SPOUSE:
		snprintf(p->name_masked, sizeof(p->name_masked), "李*梅");
		p->key[0] = 's';
		p->arrival_id[0] = 'S';
		break;
	case WHO_WALKER:
		p->arrival_id[0] = '\0';
		p->category = CATEGORY_CLOSE_CONTACT;
		break;
	case WHO_YELLOW:
		p->code = FLOW_CODE_YELLOW;
		break;
	case WHO_DCC:
	case WHO_SHC:
		/* what the verifier answers for a certificate: no manifest data */
		memset(p, 0, sizeof(*p));
		snprintf(p->name_masked, sizeof(p->name_masked), "%s", SCRIPT_INTL_NAME);
		p->category = CATEGORY_INBOUND;
		p->evidence.kind = w == WHO_DCC ? FLOW_EVIDENCE_VACCINATION : FLOW_EVIDENCE_TEST;
		p->evidence.day =
		    w == WHO_DCC ? day_from_ymd(2021, 5, 29) : day_from_ymd(2021, 6, 1);
		snprintf(p->evidence.format, sizeof(p->evidence.format), "%s",
		         w == WHO_DCC ? "EU-DCC" : "SMART");
		snprintf(p->evidence.issuer, sizeof(p->evidence.issuer), "%s",
		         w == WHO_DCC ? SCRIPT_INTL_ISS : "spec.smarthealth.cards");
		snprintf(p->evidence.name_masked, sizeof(p->evidence.name_masked), "%s",
		         SCRIPT_INTL_NAME);
		break;
	case WHO_ADULT:
		break;
	}
}

/* One step with the clock moved by dt ms; remembers the tickets of the effects. */
static void script_step(struct script *s, struct event *ev, int64_t dt)
{
	s->now += dt;
	flow_entrance_step(&s->f, ev, s->now, &s->fx);
	for (int i = 0; i < s->fx.count; i++) {
		const struct effect *e = &s->fx.fx[i];
		if (e->kind == FX_VERIFY)
			s->t_verify = e->ticket;
		else if (e->kind == FX_CHECKIN)
			s->t_checkin = e->ticket;
		else if (e->kind == FX_PRINT || e->kind == FX_REPRINT)
			s->t_print = e->ticket;
		else if (e->kind == FX_CHECK_PIN)
			s->t_pin = e->ticket;
	}
}

static void script_event(struct script *s, enum event_kind k)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = k;
	script_step(s, &ev, 100);
}

static void script_scan(struct script *s)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_SCAN;
	snprintf(ev.scan.text, sizeof(ev.scan.text), "HC1:DEMO");
	script_step(s, &ev, 100);
}

static void script_verified(struct script *s, enum script_who w, enum reason r)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_VERIFIED;
	ev.ticket = s->t_verify;
	ev.verified.reason = r;
	script_person(w, &ev.verified.person);
	script_step(s, &ev, 300);
}

static void script_touch(struct script *s, enum button b, int arg)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_TOUCH;
	ev.touch.button = b;
	ev.touch.arg = arg;
	script_step(s, &ev, 500);
}

static void script_badge_pin(struct script *s, bool sign_in)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_STAFF_BADGE;
	snprintf(ev.badge.id, sizeof(ev.badge.id), "%s", SCRIPT_BADGE);
	script_step(s, &ev, 500);
	if (!sign_in)
		return;
	for (const char *d = SCRIPT_PIN; *d; d++)
		script_touch(s, BTN_PIN_DIGIT, *d - '0');
	script_touch(s, BTN_PIN_ENTER, 0);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_STAFF_OK;
	ev.ticket = s->t_pin;
	script_step(s, &ev, 200);
}

static void script_to_briefing(struct script *s)
{
	script_scan(s);
	script_verified(s, WHO_ADULT, REASON_OK);
	script_touch(s, BTN_THIS_IS_ME, 0);
	script_touch(s, BTN_ADD_DONE, 0);
}

static void script_to_printing(struct script *s)
{
	script_to_briefing(s);
	script_event(s, EV_BRIEFING_END);
	script_step(s, NULL, s->f.cfg.min_read_ms);
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_ACK;
	snprintf(ev.ack.version, sizeof(ev.ack.version), "%s", SCRIPT_VERSION);
	script_step(s, &ev, 100);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_ASSIGNED;
	ev.ticket = s->t_checkin;
	ev.assigned.count = 1;
	snprintf(ev.assigned.a[0].room, sizeof(ev.assigned.a[0].room), "%s", SCRIPT_ROOM);
	ev.assigned.a[0].release_day = day_from_ymd(2026, 12, 13);
	ev.assigned.a[0].serial = 77;
	script_step(s, &ev, 400);
}

static void script_print_result(struct script *s, bool ok)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = ok ? EV_PRINTED : EV_PRINT_FAILED;
	ev.ticket = s->t_print;
	ev.print.index = 0;
	ev.print.reason = ok ? REASON_OK : REASON_PRINTER_FAILED;
	script_step(s, &ev, 2000);
}

/* Drive a fresh flow in lang to stop (script_expect() says where that must be). */
static void script_run(struct script *s, enum script_stop stop, enum flow_lang lang)
{
	memset(s, 0, sizeof(*s));
	flow_entrance_init(&s->f, NULL);
	s->now = 1000;
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_LANGUAGE;
	ev.language.lang = lang;
	script_step(s, &ev, 0);
	switch (stop) {
	case STOP_ATTRACT:
	case STOP_ATTRACT_QUEUE:
		break;
	case STOP_VERIFYING:
		script_scan(s);
		script_step(s, NULL, 4000); /* the verifier is slow: progress shows */
		break;
	case STOP_IDENTITY:
	case STOP_COUNTDOWN:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_OK);
		if (stop == STOP_COUNTDOWN)
			script_step(s, NULL, s->f.cfg.idle_ms - 7000);
		break;
	case STOP_FAMILY:
	case STOP_FAMILY3:
	case STOP_FAMILY_NOTICE:
	case STOP_MEMBER_VERIFYING:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_OK);
		script_touch(s, BTN_THIS_IS_ME, 0);
		if (stop == STOP_FAMILY)
			break;
		script_scan(s);
		if (stop == STOP_MEMBER_VERIFYING)
			break;
		script_verified(s, WHO_SPOUSE, REASON_OK);
		script_scan(s);
		script_verified(s, WHO_CHILD, REASON_OK);
		if (stop == STOP_FAMILY_NOTICE) {
			script_scan(s);
			script_verified(s, WHO_SPOUSE, REASON_OK); /* the same person again */
		}
		break;
	case STOP_BRIEFING:
	case STOP_BRIEFING_WAIT:
	case STOP_BRIEFING_READY:
		script_to_briefing(s);
		if (stop == STOP_BRIEFING)
			break;
		script_step(s, NULL, 3000);
		script_event(s, EV_BRIEFING_END);
		if (stop == STOP_BRIEFING_READY)
			script_step(s, NULL, s->f.cfg.min_read_ms);
		break;
	case STOP_CHECKING_IN:
		script_to_briefing(s);
		script_event(s, EV_BRIEFING_END);
		script_step(s, NULL, s->f.cfg.min_read_ms);
		memset(&ev, 0, sizeof(ev));
		ev.kind = EV_ACK;
		snprintf(ev.ack.version, sizeof(ev.ack.version), "%s", SCRIPT_VERSION);
		script_step(s, &ev, 100);
		script_step(s, NULL, 2000);
		break;
	case STOP_PRINTING:
		script_to_printing(s);
		break;
	case STOP_DONE:
	case STOP_DONE_DESK:
	case STOP_AFTER_END:
		script_to_printing(s);
		script_print_result(s, stop != STOP_DONE_DESK);
		if (stop == STOP_AFTER_END)
			script_touch(s, BTN_DISMISS, 0);
		break;
	case STOP_REFUSED_RED:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_RED_CODE);
		break;
	case STOP_REFUSED_AMBER:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_EXPIRED);
		break;
	case STOP_APPROVAL:
		script_scan(s);
		script_verified(s, WHO_YELLOW, REASON_YELLOW_CODE);
		break;
	case STOP_FAULT:
		script_to_briefing(s);
		script_event(s, EV_BRIEFING_END);
		script_step(s, NULL, s->f.cfg.min_read_ms);
		memset(&ev, 0, sizeof(ev));
		ev.kind = EV_ACK;
		snprintf(ev.ack.version, sizeof(ev.ack.version), "%s", SCRIPT_VERSION);
		script_step(s, &ev, 100);
		memset(&ev, 0, sizeof(ev));
		ev.kind = EV_ASSIGN_FAILED;
		ev.ticket = s->t_checkin;
		ev.failed.reason = REASON_NO_ROOM;
		script_step(s, &ev, 300);
		break;
	case STOP_REPRINTING:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_ALREADY_CHECKED_IN);
		script_badge_pin(s, true);
		script_touch(s, BTN_STAFF_APPROVE, 0);
		break;
	case STOP_CALL:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_OK);
		script_touch(s, BTN_CALL_STAFF, 0);
		break;
	case STOP_PIN:
	case STOP_PIN_CHECK:
		script_scan(s);
		script_verified(s, WHO_WALKER, REASON_NOT_ON_MANIFEST);
		script_badge_pin(s, false);
		script_touch(s, BTN_PIN_DIGIT, 7); /* never shown: SCRIPT_PIN_SHOWN */
		script_touch(s, BTN_PIN_DIGIT, 9);
		script_touch(s, BTN_PIN_DIGIT, 5);
		if (stop == STOP_PIN_CHECK) {
			script_touch(s, BTN_PIN_ENTER, 0);
		} else { /* one wrong PIN first, then two digits typed */
			script_touch(s, BTN_PIN_ENTER, 0);
			memset(&ev, 0, sizeof(ev));
			ev.kind = EV_STAFF_BAD;
			ev.ticket = s->t_pin;
			script_step(s, &ev, 300);
			script_touch(s, BTN_PIN_DIGIT, 8);
			script_touch(s, BTN_PIN_DIGIT, 6);
		}
		break;
	case STOP_STAFF:
		script_scan(s);
		script_verified(s, WHO_WALKER, REASON_NOT_ON_MANIFEST);
		script_badge_pin(s, true);
		break;
	case STOP_STAFF_IDLE:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_OK);
		script_badge_pin(s, true);
		break;
	case STOP_FAMILY6:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_OK);
		script_touch(s, BTN_THIS_IS_ME, 0);
		for (int i = 1; i < 6; i++) {
			script_scan(s);
			memset(&ev, 0, sizeof(ev));
			ev.kind = EV_VERIFIED;
			ev.ticket = s->t_verify;
			script_person(i % 2 ? WHO_CHILD : WHO_SPOUSE, &ev.verified.person);
			ev.verified.person.key[1] = (char)('a' + i); /* another holder each time */
			ev.verified.person.arrival_id[1] = (char)('a' + i);
			script_step(s, &ev, 300);
		}
		break;
	case STOP_EVIDENCE:
	case STOP_IDENTITY_EVIDENCE:
		script_scan(s);
		script_verified(s, WHO_DCC, REASON_EVIDENCE_ONLY);
		if (stop == STOP_EVIDENCE)
			break;
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_OK);
		break;
	case STOP_FAMILY_EVIDENCE:
		script_scan(s);
		script_verified(s, WHO_ADULT, REASON_OK);
		script_touch(s, BTN_THIS_IS_ME, 0);
		script_scan(s);
		script_verified(s, WHO_SHC, REASON_EVIDENCE_ONLY);
		break;
	case STOP_COUNT:
		break;
	}
}

/* The state and overlay each stop must reach (checks the script, not the screens). */
static void script_expect(enum script_stop stop, enum flow_state *st, enum flow_overlay *ov)
{
	static const struct {
		enum flow_state st;
		enum flow_overlay ov;
	} want[STOP_COUNT] = {
	    [STOP_ATTRACT] = {FLOW_ATTRACT, FLOW_OVERLAY_NONE},
	    [STOP_ATTRACT_QUEUE] = {FLOW_ATTRACT, FLOW_OVERLAY_NONE},
	    [STOP_VERIFYING] = {FLOW_VERIFYING, FLOW_OVERLAY_NONE},
	    [STOP_IDENTITY] = {FLOW_IDENTITY, FLOW_OVERLAY_NONE},
	    [STOP_COUNTDOWN] = {FLOW_IDENTITY, FLOW_OVERLAY_NONE},
	    [STOP_FAMILY] = {FLOW_FAMILY, FLOW_OVERLAY_NONE},
	    [STOP_FAMILY3] = {FLOW_FAMILY, FLOW_OVERLAY_NONE},
	    [STOP_FAMILY_NOTICE] = {FLOW_FAMILY, FLOW_OVERLAY_NONE},
	    [STOP_MEMBER_VERIFYING] = {FLOW_MEMBER_VERIFYING, FLOW_OVERLAY_NONE},
	    [STOP_BRIEFING] = {FLOW_BRIEFING, FLOW_OVERLAY_NONE},
	    [STOP_BRIEFING_WAIT] = {FLOW_BRIEFING, FLOW_OVERLAY_NONE},
	    [STOP_BRIEFING_READY] = {FLOW_BRIEFING, FLOW_OVERLAY_NONE},
	    [STOP_CHECKING_IN] = {FLOW_CHECKING_IN, FLOW_OVERLAY_NONE},
	    [STOP_PRINTING] = {FLOW_PRINTING, FLOW_OVERLAY_NONE},
	    [STOP_DONE] = {FLOW_DONE, FLOW_OVERLAY_NONE},
	    [STOP_DONE_DESK] = {FLOW_DONE, FLOW_OVERLAY_NONE},
	    [STOP_REFUSED_RED] = {FLOW_REFUSED, FLOW_OVERLAY_NONE},
	    [STOP_REFUSED_AMBER] = {FLOW_REFUSED, FLOW_OVERLAY_NONE},
	    [STOP_APPROVAL] = {FLOW_APPROVAL, FLOW_OVERLAY_NONE},
	    [STOP_FAULT] = {FLOW_FAULT, FLOW_OVERLAY_NONE},
	    [STOP_REPRINTING] = {FLOW_REPRINTING, FLOW_OVERLAY_NONE},
	    [STOP_CALL] = {FLOW_IDENTITY, FLOW_OVERLAY_CALL},
	    [STOP_PIN] = {FLOW_APPROVAL, FLOW_OVERLAY_PIN},
	    [STOP_PIN_CHECK] = {FLOW_APPROVAL, FLOW_OVERLAY_PIN_CHECK},
	    [STOP_STAFF] = {FLOW_APPROVAL, FLOW_OVERLAY_STAFF},
	    [STOP_STAFF_IDLE] = {FLOW_IDENTITY, FLOW_OVERLAY_STAFF},
	    [STOP_AFTER_END] = {FLOW_ATTRACT, FLOW_OVERLAY_NONE},
	    [STOP_FAMILY6] = {FLOW_FAMILY, FLOW_OVERLAY_NONE},
	    [STOP_EVIDENCE] = {FLOW_EVIDENCE, FLOW_OVERLAY_NONE},
	    [STOP_IDENTITY_EVIDENCE] = {FLOW_IDENTITY, FLOW_OVERLAY_NONE},
	    [STOP_FAMILY_EVIDENCE] = {FLOW_FAMILY, FLOW_OVERLAY_NONE},
	};
	*st = want[stop].st;
	*ov = want[stop].ov;
}

#endif

/* What the program around the flow would hand in at each stop. */
static void script_extra(enum script_stop stop, struct screen_entrance_extra *x,
                         const char *briefing)
{
	memset(x, 0, sizeof(*x));
	x->briefing = briefing;
	x->sync_waiting = -1;
	if (stop == STOP_ATTRACT_QUEUE) {
		x->camera = true;
		x->queue_pos = 12;
		x->queue_total = 38;
		x->offline = true;
	}
	if (stop == STOP_STAFF) {
		x->offline = true;
		x->sync_waiting = 17;
	}
	if (stop == STOP_STAFF_IDLE)
		x->sync_waiting = 0;
}
