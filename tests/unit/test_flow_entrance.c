/* tests/unit/test_flow_entrance.c: the entrance flow driven through tables of events, each row
 * with the state, overlay, reason and effects expected after it; then random event storms
 * against the invariants (bounded effects, one check-in per session, prints only after the
 * store committed, personal data wiped at the attract screen). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/flow_entrance.h"

/* ---- people the fake verifier knows ---- */

enum who {
	NOBODY,
	ADULT,    /* green, on the manifest */
	CHILD,    /* green, minor, same family */
	SPOUSE,   /* green, same family */
	ADULT2,   /* the same holder as ADULT, another code */
	WALKER,   /* green, not on the manifest */
	YELLOWP,  /* yellow code, on the manifest */
	REDP,     /* red code, on the manifest */
	GRANNY,   /* green, on the manifest */
	BROKEN,   /* category out of range */
	INTL,     /* an EU DCC: a vaccination, supporting evidence only (no manifest match) */
	INTL2,    /* a SMART card: a test */
	INTL_BAD, /* an international credential whose evidence kind is out of range */
	WHO_COUNT
};

static void person_of(enum who w, struct person *p)
{
	static const struct {
		const char *arrival, *name, *doc, *group, *key;
		int category;
		enum flow_code code;
		bool minor;
	} fix[WHO_COUNT] = {
	    [ADULT] = {"A001", "张*三", "4403**********1234", "G7", "k-adult", CATEGORY_INBOUND,
	               FLOW_CODE_GREEN, false},
	    [CHILD] = {"A002", "张*", "4403**********2345", "G7", "k-child", CATEGORY_INBOUND,
	               FLOW_CODE_GREEN, true},
	    [SPOUSE] = {"A003", "李*梅", "4403**********3456", "G7", "k-spouse", CATEGORY_INBOUND,
	                FLOW_CODE_GREEN, false},
	    [ADULT2] = {"A001", "张*三", "4403**********1234", "G7", "k-adult", CATEGORY_INBOUND,
	                FLOW_CODE_GREEN, false},
	    [WALKER] = {"", "W*** K***", "E1*****78", "", "k-walker", CATEGORY_CLOSE_CONTACT,
	                FLOW_CODE_GREEN, false},
	    [YELLOWP] = {"A010", "王*", "1101**********0001", "", "k-yellow",
	                 CATEGORY_SECONDARY_CONTACT, FLOW_CODE_YELLOW, false},
	    [REDP] = {"A011", "赵*", "1101**********0002", "", "k-red", CATEGORY_CLOSE_CONTACT,
	              FLOW_CODE_RED, false},
	    [GRANNY] = {"A012", "周*英", "1101**********0003", "G7", "k-granny", CATEGORY_INBOUND,
	                FLOW_CODE_GREEN, false},
	    [BROKEN] = {"A013", "?", "?", "", "k-broken", 77, FLOW_CODE_GREEN, false},
	    [INTL] = {"", "M********* E****", "", "", "", CATEGORY_INBOUND, FLOW_CODE_GREEN, false},
	    [INTL2] = {"", "A****** J***", "", "", "", CATEGORY_INBOUND, FLOW_CODE_GREEN, false},
	    [INTL_BAD] = {"", "X", "", "", "", CATEGORY_INBOUND, FLOW_CODE_GREEN, false},
	};
	memset(p, 0, sizeof(*p));
	if (w <= NOBODY || w >= WHO_COUNT)
		return;
	snprintf(p->arrival_id, sizeof(p->arrival_id), "%s", fix[w].arrival);
	snprintf(p->name_masked, sizeof(p->name_masked), "%s", fix[w].name);
	snprintf(p->doc_masked, sizeof(p->doc_masked), "%s", fix[w].doc);
	snprintf(p->group_id, sizeof(p->group_id), "%s", fix[w].group);
	snprintf(p->key, sizeof(p->key), "%s", fix[w].key);
	p->category = (enum category)fix[w].category;
	p->code = fix[w].code;
	p->minor = fix[w].minor;
	if (w == INTL || w == INTL2 || w == INTL_BAD) {
		memset(p->arrival_id, 0, sizeof(p->arrival_id));
		memset(p->key, 0, sizeof(p->key));
		memset(p->doc_masked, 0, sizeof(p->doc_masked));
		struct flow_evidence *e = &p->evidence;
		e->kind = w == INTL    ? FLOW_EVIDENCE_VACCINATION
		          : w == INTL2 ? FLOW_EVIDENCE_TEST
		                       : (enum flow_evidence_kind)9;
		e->day = w == INTL ? day_from_ymd(2021, 5, 29) : day_from_ymd(2021, 6, 1);
		snprintf(e->format, sizeof(e->format), w == INTL ? "EU-DCC" : "SMART");
		snprintf(e->issuer, sizeof(e->issuer), w == INTL ? "DE" : "spec.smarthealth.cards");
		snprintf(e->name_masked, sizeof(e->name_masked), "%s", p->name_masked);
	}
}

/* ---- the table runner ---- */

struct row {
	int64_t dt;                /* ms the clock moves before the event */
	enum event_kind ev;        /* EV_NONE: a tick */
	enum who who;              /* EV_VERIFIED */
	enum reason why;           /* EV_VERIFIED, EV_ASSIGN_FAILED, EV_PRINT_FAILED */
	enum flow_policy policy;   /* EV_VERIFIED */
	enum button btn;           /* EV_TOUCH */
	int arg;                   /* EV_TOUCH arg, EV_PRINTED index, EV_LANGUAGE lang */
	int count;                 /* EV_ASSIGNED: rooms given (0: the group size) */
	const char *text;          /* EV_SCAN text, EV_ACK version, EV_STAFF_BADGE, EV_STAFF_PIN */
	bool stale;                /* answer with a ticket that is not awaited */
	enum flow_state state;     /* expected after the row */
	enum flow_overlay overlay; /* expected */
	enum reason reason;        /* expected f->reason */
	const char *fx;            /* expected effects, e.g. "VERIFY BEEP_OK"; "" none */
};

struct run {
	struct flow_entrance f;
	int64_t now;
	uint32_t t_verify, t_checkin, t_print, t_pin; /* last tickets seen */
	struct effects *fx;                           /* effects of the last row */
	struct effects *checkin;                      /* the last FX_CHECKIN seen, kept */
	struct effects *timings;                      /* the last FX_TIMINGS seen, kept */
	int checkins;                                 /* FX_CHECKIN seen */
};

static const char *beep_names[BEEP_COUNT] = {"BEEP_OK", "BEEP_REFUSE", "BEEP_ATTENTION",
                                             "BEEP_CHIME"};

static void fx_describe(const struct effects *e, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < e->count && i < FLOW_EFFECTS_MAX; i++) {
		const struct effect *x = &e->fx[i];
		const char *name = effect_kind_name(x->kind) + 3; /* without "FX_" */
		if (x->kind == FX_BEEP)
			name = beep_names[x->beep.kind];
		else if (x->kind == FX_AUDIT)
			name = audit_action_name(x->audit.action);
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "", name);
		if (used >= n)
			break;
	}
}

static struct run *run_new(const struct flow_config *cfg)
{
	struct run *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->fx = calloc(1, sizeof(*r->fx));
	r->checkin = calloc(1, sizeof(*r->checkin));
	r->timings = calloc(1, sizeof(*r->timings));
	assert_non_null(r->fx);
	assert_non_null(r->checkin);
	assert_non_null(r->timings);
	assert_int_equal(flow_entrance_init(&r->f, cfg), 0);
	r->now = 1000000;
	return r;
}

static void run_free(struct run *r)
{
	free(r->fx);
	free(r->checkin);
	free(r->timings);
	free(r);
}

static void event_fill(struct run *r, const struct row *w, struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = w->ev == EV_NONE ? EV_TICK : w->ev;
	switch (ev->kind) {
	case EV_SCAN:
		snprintf(ev->scan.text, sizeof(ev->scan.text), "%s", w->text ? w->text : "HC1:x");
		break;
	case EV_VERIFIED:
		ev->ticket = r->t_verify;
		ev->verified.reason = w->why;
		ev->verified.policy = w->policy;
		person_of(w->who, &ev->verified.person);
		break;
	case EV_TOUCH:
		ev->touch.button = w->btn;
		ev->touch.arg = w->arg;
		break;
	case EV_LANGUAGE:
		ev->language.lang = (enum flow_lang)w->arg;
		break;
	case EV_ACK:
		snprintf(ev->ack.version, sizeof(ev->ack.version), "%s", w->text ? w->text : "");
		break;
	case EV_ASSIGNED:
		ev->ticket = r->t_checkin;
		ev->assigned.count = w->count ? w->count : r->f.session.count;
		for (int i = 0; i < FLOW_GROUP_MAX; i++) {
			snprintf(ev->assigned.a[i].room, sizeof(ev->assigned.a[i].room), "12%02d",
			         i + 1);
			ev->assigned.a[i].release_day = 20000 + i;
			ev->assigned.a[i].serial = 500 + i;
		}
		break;
	case EV_ASSIGN_FAILED:
		ev->ticket = r->t_checkin;
		ev->failed.reason = w->why;
		break;
	case EV_PRINTED:
	case EV_PRINT_FAILED:
		ev->ticket = r->t_print;
		ev->print.index = w->arg;
		ev->print.reason = w->why;
		snprintf(ev->print.assignment.room, sizeof(ev->print.assignment.room), "1777");
		ev->print.assignment.serial = 901;
		break;
	case EV_STAFF_BADGE:
		snprintf(ev->badge.id, sizeof(ev->badge.id), "%s", w->text ? w->text : "");
		break;
	case EV_STAFF_PIN:
		snprintf(ev->pin.digits, sizeof(ev->pin.digits), "%s", w->text ? w->text : "");
		break;
	case EV_STAFF_OK:
	case EV_STAFF_BAD:
		ev->ticket = r->t_pin;
		break;
	case EV_STORAGE:
		ev->storage.low = w->arg != 0;
		break;
	default:
		break;
	}
	if (w->stale)
		ev->ticket += 1000;
}

static void tickets_note(struct run *r)
{
	for (int i = 0; i < r->fx->count; i++) {
		const struct effect *x = &r->fx->fx[i];
		switch (x->kind) {
		case FX_VERIFY:
			r->t_verify = x->ticket;
			break;
		case FX_CHECKIN:
			r->t_checkin = x->ticket;
			r->checkins++;
			*r->checkin = *r->fx;
			break;
		case FX_PRINT:
		case FX_REPRINT:
			r->t_print = x->ticket;
			break;
		case FX_CHECK_PIN:
			r->t_pin = x->ticket;
			break;
		case FX_TIMINGS:
			*r->timings = *r->fx;
			break;
		default:
			break;
		}
	}
}

static void run_rows(struct run *r, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct row *w = &rows[i];
		struct event ev;
		event_fill(r, w, &ev);
		r->now += w->dt;
		flow_entrance_step(&r->f, &ev, r->now, r->fx);
		tickets_note(r);
		char got[512];
		fx_describe(r->fx, got, sizeof(got));
		if (r->f.state != w->state || r->f.overlay != w->overlay ||
		    r->f.reason != w->reason || (w->fx && strcmp(got, w->fx) != 0)) {
			print_error("row %zu (%s): got %s/%s/%s [%s], want %s/%s/%s [%s]\n", i,
			            event_kind_name(ev.kind), flow_state_name(r->f.state),
			            flow_overlay_name(r->f.overlay), reason_code(r->f.reason), got,
			            flow_state_name(w->state), flow_overlay_name(w->overlay),
			            reason_code(w->reason), w->fx ? w->fx : "(any)");
			fail();
		}
		assert_false(r->fx->overflow);
	}
}

#define RUN(r, rows) run_rows((r), (rows), sizeof(rows) / sizeof((rows)[0]))

static struct flow_config config_test(void)
{
	struct flow_config c;
	flow_config_defaults(&c);
	c.min_read_ms = 20000;
	c.max_group = 4;
	return c;
}

static bool zero_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Rows that bring a fresh run to the briefing with ADULT alone. */
static const struct row to_briefing[] = {
    {.ev = EV_SCAN, .text = "HC1:adult", .state = FLOW_VERIFYING, .fx = "VERIFY"},
    {.dt = 300, .ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
    {.dt = 4000, .ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
    {.dt = 2000, .ev = EV_TOUCH, .btn = BTN_ADD_DONE, .state = FLOW_BRIEFING, .fx = ""},
};

/* ... and on to printing. */
static const struct row briefing_to_printing[] = {
    {.dt = 5000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
    {.dt = 25000, .ev = EV_ACK, .text = "sha256:b1", .state = FLOW_CHECKING_IN, .fx = "CHECKIN"},
    {.dt = 700, .ev = EV_ASSIGNED, .state = FLOW_PRINTING, .fx = "PRINT"},
};

/* ---- the happy path ---- */

static void test_single_person_check_in(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	assert_int_equal(r->f.step_no, 1);
	RUN(r, to_briefing);
	assert_int_equal(r->f.step_no, 3);
	const struct row rows[] = {
	    /* the ack is refused before the reading time and before the end of the text */
	    {.dt = 1000, .ev = EV_ACK, .text = "sha256:b1", .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 30000, .ev = EV_ACK, .text = "sha256:b1", .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 1000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 1000, .ev = EV_ACK, .text = "", .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 1000,
	     .ev = EV_ACK,
	     .text = "sha256:b1",
	     .state = FLOW_CHECKING_IN,
	     .fx = "CHECKIN"},
	    {.dt = 1000, .ev = EV_ACK, .text = "sha256:b1", .state = FLOW_CHECKING_IN, .fx = ""},
	    {.dt = 800, .ev = EV_ASSIGNED, .state = FLOW_PRINTING, .fx = "PRINT"},
	    {.dt = 3000,
	     .ev = EV_PRINTED,
	     .arg = 0,
	     .state = FLOW_DONE,
	     .fx = "BEEP_CHIME TIMINGS"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.step_no, 4);

	/* FX_CHECKIN carries the group, the language, the briefing version and the timings */
	const struct effect *ck = effects_find(r->checkin, FX_CHECKIN, 0);
	assert_non_null(ck);
	assert_int_equal(ck->checkin.count, 1);
	assert_string_equal(ck->checkin.people[0].arrival_id, "A001");
	assert_string_equal(ck->checkin.people[0].name_masked, "张*三");
	assert_false(ck->checkin.people[0].walk_in);
	assert_int_equal(ck->checkin.lang, FLOW_LANG_ZH);
	assert_string_equal(ck->checkin.briefing_version, "sha256:b1");
	assert_int_equal(ck->checkin.timings.verdict_ms, 300);
	assert_int_equal(ck->checkin.timings.identity_ms, 4000);
	assert_int_equal(ck->checkin.timings.family_ms, 2000);
	assert_int_equal(ck->checkin.timings.briefing_ms, 34000);
	assert_int_equal(ck->checkin.timings.visit_ms, 300 + 4000 + 2000 + 34000);
	assert_int_equal(ck->checkin.timings.checkin_ms, 0); /* not known yet */
	assert_int_equal(r->checkins, 1);

	/* the print job names the room the store gave */
	assert_string_equal(r->f.session.assigned[0].room, "1201");
	assert_int_equal(r->f.session.assigned[0].serial, 500);

	const struct effect *tm = effects_find(r->timings, FX_TIMINGS, 0);
	assert_non_null(tm);
	assert_int_equal(tm->timings.checkin_ticket, ck->ticket);
	assert_int_equal(tm->timings.timings.briefing_ms, 34000);
	assert_int_equal(tm->timings.timings.checkin_ms, 1000 + 800);
	assert_int_equal(tm->timings.timings.print_ms, 3000);
	assert_int_equal(tm->timings.timings.visit_ms, 300 + 4000 + 2000 + 34000 + 1800 + 3000);

	/* the done screen times out; every byte of the session is zero */
	assert_true(flow_entrance_has_personal_data(&r->f));
	const struct row back[] = {
	    {.dt = 19999, .state = FLOW_DONE, .fx = ""},
	    {.dt = 1, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	};
	RUN(r, back);
	assert_int_equal(effects_find(r->fx, FX_CLEAR, 0)->clear.reason, REASON_OK);
	assert_int_equal(effects_find(r->fx, FX_CLEAR, 0)->clear.from_state, FLOW_DONE);
	assert_true(zero_bytes(r->f.session.people, sizeof(r->f.session.people)));
	assert_true(zero_bytes(&r->f.session.candidate, sizeof(r->f.session.candidate)));
	assert_true(zero_bytes(&r->f.session, sizeof(r->f.session)));
	assert_false(flow_entrance_has_personal_data(&r->f));
	assert_int_equal(r->f.step_no, 1);
	run_free(r);
}

static void test_print_payload_and_order(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, to_briefing);
	const struct row rows[] = {
	    {.ev = EV_LANGUAGE, .arg = FLOW_LANG_EN, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 5000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 25000,
	     .ev = EV_ACK,
	     .text = "sha256:en1",
	     .state = FLOW_CHECKING_IN,
	     .fx = "CHECKIN"},
	    {.ev = EV_ASSIGNED, .state = FLOW_PRINTING, .fx = "PRINT"},
	};
	RUN(r, rows);
	const struct effect *p = effects_find(r->fx, FX_PRINT, 0);
	assert_int_equal(p->print.index, 0);
	assert_int_equal(p->print.lang, FLOW_LANG_EN);
	assert_string_equal(p->print.person.arrival_id, "A001");
	assert_string_equal(p->print.assignment.room, "1201");
	assert_int_equal(p->print.assignment.release_day, 20000);
	assert_int_equal(effects_find(r->checkin, FX_CHECKIN, 0)->checkin.lang, FLOW_LANG_EN);
	run_free(r);
}

/* ---- family ---- */

static void test_family_group(void **state)
{
	(void)state;
	struct flow_config c = config_test(); /* max_group 4 */
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    /* scans while busy are ignored */
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = ""},
	    {.ev = EV_VERIFIED, .who = CHILD, .state = FLOW_FAMILY, .fx = "BEEP_OK"},
	    /* the same holder again: refused within the session, no staff needed */
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = ADULT2,
	     .state = FLOW_FAMILY,
	     .reason = REASON_ALREADY_ADDED,
	     .fx = "BEEP_REFUSE"},
	    /* a bad code for a member: a notice, the group stays */
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .why = REASON_EXPIRED,
	     .state = FLOW_FAMILY,
	     .reason = REASON_EXPIRED,
	     .fx = "BEEP_REFUSE"},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = SPOUSE, .state = FLOW_FAMILY, .fx = "BEEP_OK"},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = GRANNY, .state = FLOW_FAMILY, .fx = "BEEP_OK"},
	    /* the group is full: no verification at all */
	    {.ev = EV_SCAN,
	     .state = FLOW_FAMILY,
	     .reason = REASON_GROUP_TOO_LARGE,
	     .fx = "BEEP_REFUSE"},
	    /* take the spouse off the list (index 2), out-of-range and the first are ignored */
	    {.ev = EV_TOUCH,
	     .btn = BTN_REMOVE_MEMBER,
	     .arg = 0,
	     .state = FLOW_FAMILY,
	     .reason = REASON_GROUP_TOO_LARGE,
	     .fx = ""},
	    {.ev = EV_TOUCH,
	     .btn = BTN_REMOVE_MEMBER,
	     .arg = 9,
	     .state = FLOW_FAMILY,
	     .reason = REASON_GROUP_TOO_LARGE,
	     .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_REMOVE_MEMBER, .arg = 2, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_ADD_DONE, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 21000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
	    {.ev = EV_ACK, .text = "v1", .state = FLOW_CHECKING_IN, .fx = "CHECKIN"},
	    {.ev = EV_ASSIGNED, .state = FLOW_PRINTING, .fx = "PRINT PRINT PRINT"},
	    {.ev = EV_PRINTED, .arg = 2, .state = FLOW_PRINTING, .fx = ""},
	    {.ev = EV_PRINTED, .arg = 2, .state = FLOW_PRINTING, .fx = ""}, /* twice: ignored */
	    {.ev = EV_PRINTED, .arg = 7, .state = FLOW_PRINTING, .fx = ""}, /* no such job */
	    {.ev = EV_PRINTED, .arg = 0, .state = FLOW_PRINTING, .fx = ""},
	    {.ev = EV_PRINT_FAILED,
	     .arg = 1,
	     .why = REASON_PRINTER_FAILED,
	     .state = FLOW_DONE,
	     .reason = REASON_PRINTER_FAILED,
	     .fx = "BEEP_REFUSE TIMINGS"},
	};
	RUN(r, rows);
	const struct effect *ck = effects_find(r->checkin, FX_CHECKIN, 0);
	assert_int_equal(ck->checkin.count, 3);
	assert_string_equal(ck->checkin.people[0].arrival_id, "A001");
	assert_string_equal(ck->checkin.people[1].arrival_id, "A002");
	assert_true(ck->checkin.people[1].minor);
	assert_string_equal(ck->checkin.people[2].arrival_id, "A012");
	assert_int_equal(r->f.session.count, 3);
	assert_true(r->f.session.checked_in); /* the check-in stands without a wristband */
	run_free(r);
}

static void test_group_of_one_skips_family(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	c.max_group = 1;
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_BRIEFING, .fx = ""},
	};
	RUN(r, rows);
	run_free(r);
}

/* ---- refusals of the code ---- */

static void test_code_errors_refused(void **state)
{
	(void)state;
	const enum reason errors[] = {
	    REASON_NOT_HEALTH_CODE,
	    REASON_UNSUPPORTED_VERSION,
	    REASON_MALFORMED,
	    REASON_UNKNOWN_ISSUER,
	    REASON_BAD_SIGNATURE,
	    REASON_EXPIRED,
	    REASON_NOT_YET_VALID,
	    REASON_REVOKED,
	    REASON_DEMO_KEY,
	    REASON_NO_ROOM, /* not a verifier answer: refused all the same */
	};
	struct flow_config c = config_test();
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct run *r = run_new(&c);
		const struct row rows[] = {
		    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
		    {.ev = EV_VERIFIED,
		     .why = errors[i],
		     .state = FLOW_REFUSED,
		     .reason = errors[i],
		     .fx = "BEEP_REFUSE"},
		    {.dt = 11999, .state = FLOW_REFUSED, .reason = errors[i], .fx = ""},
		    {.dt = 1, .state = FLOW_ATTRACT, .fx = "CLEAR"},
		    /* on touch too */
		    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
		    {.ev = EV_VERIFIED,
		     .why = errors[i],
		     .state = FLOW_REFUSED,
		     .reason = errors[i],
		     .fx = "BEEP_REFUSE"},
		    {.ev = EV_TOUCH,
		     .btn = BTN_THIS_IS_ME,
		     .state = FLOW_REFUSED,
		     .reason = errors[i],
		     .fx = ""},
		    {.ev = EV_TOUCH, .btn = BTN_DISMISS, .state = FLOW_ATTRACT, .fx = "CLEAR"},
		    /* and a new scan on the refusal screen starts the next visit */
		    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
		    {.ev = EV_VERIFIED,
		     .why = errors[i],
		     .state = FLOW_REFUSED,
		     .reason = errors[i],
		     .fx = "BEEP_REFUSE"},
		    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
		};
		RUN(r, rows);
		assert_int_equal(r->checkins, 0);
		run_free(r);
	}
}

static void test_malformed_results(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    /* a person whose category is out of range cannot be admitted */
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = BROKEN,
	     .state = FLOW_REFUSED,
	     .reason = REASON_MALFORMED,
	     .fx = "BEEP_REFUSE"},
	    /* a reason out of range */
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
	    {.ev = EV_VERIFIED,
	     .why = (enum reason)999,
	     .who = ADULT,
	     .state = FLOW_REFUSED,
	     .reason = REASON_MALFORMED,
	     .fx = "BEEP_REFUSE"},
	    /* an answer to another request, and a late one, are ignored */
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .stale = true, .state = FLOW_VERIFYING, .fx = ""},
	    {.ev = EV_ASSIGNED, .state = FLOW_VERIFYING, .fx = ""},
	    {.ev = EV_PRINTED, .state = FLOW_VERIFYING, .fx = ""},
	    {.ev = EV_STAFF_OK, .state = FLOW_VERIFYING, .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_CANCEL, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_ATTRACT, .fx = ""},
	};
	RUN(r, rows);
	run_free(r);
}

static void test_not_me(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH,
	     .btn = BTN_NOT_ME,
	     .state = FLOW_REFUSED,
	     .reason = REASON_NOT_ME,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, rows);
	/* the name shown is gone at once, not only when the screen times out */
	assert_true(zero_bytes(r->f.session.people, sizeof(r->f.session.people)));
	assert_int_equal(r->f.session.count, 0);
	run_free(r);
}

/* ---- colour, walk-in and verifier policy ---- */

struct policy_case {
	enum flow_policy walk_in, yellow, red; /* config */
	enum who who;
	enum reason why;         /* verifier reason */
	enum flow_policy policy; /* verifier opinion */
	enum flow_state state;   /* expected */
	enum reason reason;
	const char *fx;
};

static void test_policy_table(void **state)
{
	(void)state;
	const enum flow_policy A = FLOW_POLICY_ALLOW, S = FLOW_POLICY_STAFF, R = FLOW_POLICY_REFUSE;
	const struct policy_case cases[] = {
	    /* red: refused by default, staff when configured, never loosened by the verifier */
	    {S, S, R, REDP, REASON_OK, 0, FLOW_REFUSED, REASON_RED_CODE, "BEEP_REFUSE"},
	    {S, S, R, REDP, REASON_OK, A, FLOW_REFUSED, REASON_RED_CODE, "BEEP_REFUSE"},
	    {S, S, S, REDP, REASON_OK, 0, FLOW_APPROVAL, REASON_RED_CODE, "BEEP_ATTENTION"},
	    {S, S, R, ADULT, REASON_RED_CODE, 0, FLOW_REFUSED, REASON_RED_CODE, "BEEP_REFUSE"},
	    /* yellow: staff by default; allowed or refused when configured */
	    {S, S, R, YELLOWP, REASON_OK, 0, FLOW_APPROVAL, REASON_YELLOW_CODE, "BEEP_ATTENTION"},
	    {S, A, R, YELLOWP, REASON_OK, 0, FLOW_IDENTITY, REASON_OK, "BEEP_OK"},
	    {S, R, R, YELLOWP, REASON_OK, 0, FLOW_REFUSED, REASON_YELLOW_CODE, "BEEP_REFUSE"},
	    {S, A, R, ADULT, REASON_YELLOW_CODE, 0, FLOW_IDENTITY, REASON_OK, "BEEP_OK"},
	    {S, S, R, ADULT, REASON_YELLOW_CODE, 0, FLOW_APPROVAL, REASON_YELLOW_CODE,
	     "BEEP_ATTENTION"},
	    /* walk-in: by policy */
	    {R, S, R, WALKER, REASON_NOT_ON_MANIFEST, 0, FLOW_REFUSED, REASON_NOT_ON_MANIFEST,
	     "BEEP_REFUSE"},
	    {S, S, R, WALKER, REASON_NOT_ON_MANIFEST, 0, FLOW_APPROVAL, REASON_NOT_ON_MANIFEST,
	     "BEEP_ATTENTION"},
	    {A, S, R, WALKER, REASON_NOT_ON_MANIFEST, 0, FLOW_IDENTITY, REASON_OK, "BEEP_OK"},
	    /* an empty arrival id is a walk-in whatever the reason says */
	    {R, S, R, WALKER, REASON_OK, 0, FLOW_REFUSED, REASON_NOT_ON_MANIFEST, "BEEP_REFUSE"},
	    /* yellow walk-in, yellow staff but walk-in refused: refused for the walk-in */
	    {R, S, R, YELLOWP, REASON_NOT_ON_MANIFEST, 0, FLOW_REFUSED, REASON_NOT_ON_MANIFEST,
	     "BEEP_REFUSE"},
	    /* the verifier asks for staff or refuses a green code */
	    {S, S, R, ADULT, REASON_OK, S, FLOW_APPROVAL, REASON_STAFF_REQUIRED, "BEEP_ATTENTION"},
	    {S, S, R, ADULT, REASON_STAFF_REQUIRED, 0, FLOW_APPROVAL, REASON_STAFF_REQUIRED,
	     "BEEP_ATTENTION"},
	    {S, S, R, ADULT, REASON_OK, R, FLOW_REFUSED, REASON_STAFF_REQUIRED, "BEEP_REFUSE"},
	    {S, S, R, ADULT, REASON_OK, (enum flow_policy)42, FLOW_REFUSED, REASON_STAFF_REQUIRED,
	     "BEEP_REFUSE"},
	    {S, A, R, YELLOWP, REASON_OK, S, FLOW_APPROVAL, REASON_YELLOW_CODE, "BEEP_ATTENTION"},
	    /* green on the manifest */
	    {R, R, R, ADULT, REASON_OK, A, FLOW_IDENTITY, REASON_OK, "BEEP_OK"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct policy_case *k = &cases[i];
		struct flow_config c = config_test();
		c.walk_in = k->walk_in;
		c.yellow = k->yellow;
		c.red = k->red;
		struct run *r = run_new(&c);
		const struct row rows[] = {
		    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
		    {.ev = EV_VERIFIED,
		     .who = k->who,
		     .why = k->why,
		     .policy = k->policy,
		     .state = k->state,
		     .reason = k->reason,
		     .fx = k->fx},
		};
		print_message("policy case %zu\n", i);
		RUN(r, rows);
		if (k->state == FLOW_APPROVAL) {
			assert_int_equal(r->f.session.pending, FLOW_PENDING_ADMIT);
			assert_true(flow_entrance_staff_called(&r->f));
			assert_int_equal(r->f.call_reason, k->reason);
		}
		run_free(r);
	}
}

/* ---- staff ---- */

/* Badge, PIN on the screen keypad, accepted. */
static const struct row staff_sign_in[] = {
    {.ev = EV_STAFF_BADGE,
     .text = "S-042",
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = ""},
    {.ev = EV_TOUCH,
     .btn = BTN_PIN_DIGIT,
     .arg = 1,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = ""},
    {.ev = EV_TOUCH,
     .btn = BTN_PIN_DIGIT,
     .arg = 9,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = ""},
    {.ev = EV_TOUCH,
     .btn = BTN_PIN_BACK,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = ""},
    {.ev = EV_TOUCH,
     .btn = BTN_PIN_DIGIT,
     .arg = 2,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = ""},
    {.ev = EV_TOUCH,
     .btn = BTN_PIN_DIGIT,
     .arg = 3,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = ""},
    {.ev = EV_TOUCH,
     .btn = BTN_PIN_DIGIT,
     .arg = 4,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = ""},
    {.ev = EV_TOUCH,
     .btn = BTN_PIN_ENTER,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_PIN_CHECK,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = "CHECK_PIN"},
    {.ev = EV_STAFF_OK,
     .state = FLOW_APPROVAL,
     .overlay = FLOW_OVERLAY_STAFF,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = "AUDIT_STAFF_LOGIN"},
};

static const struct row walk_in_to_approval[] = {
    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
    {.ev = EV_VERIFIED,
     .who = WALKER,
     .why = REASON_NOT_ON_MANIFEST,
     .state = FLOW_APPROVAL,
     .reason = REASON_NOT_ON_MANIFEST,
     .fx = "BEEP_ATTENTION"},
};

static void test_staff_approves_walk_in(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, walk_in_to_approval);
	/* the PIN is kept only until it is sent */
	const struct row first[] = {staff_sign_in[0], staff_sign_in[1], staff_sign_in[2]};
	RUN(r, first);
	assert_int_equal(r->f.session.pin_len, 2);
	assert_string_equal(r->f.session.pin, "19");
	run_rows(r, staff_sign_in + 3, sizeof(staff_sign_in) / sizeof(staff_sign_in[0]) - 3);
	const struct effect *e = effects_find(r->fx, FX_AUDIT, 0);
	assert_string_equal(e->audit.badge, "S-042");
	assert_string_equal(e->audit.arrival_id, ""); /* a walk-in has none */
	assert_int_equal(r->f.session.pin_len, 0);
	assert_true(zero_bytes(r->f.session.pin, sizeof(r->f.session.pin)));
	const struct row rows[] = {
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_APPROVE,
	     .state = FLOW_IDENTITY,
	     .fx = "AUDIT_APPROVE_ADMIT BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_ADD_DONE, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 20000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
	    {.ev = EV_ACK, .text = "v1", .state = FLOW_CHECKING_IN, .fx = "CHECKIN"},
	};
	RUN(r, rows);
	const struct effect *ck = effects_find(r->checkin, FX_CHECKIN, 0);
	assert_true(ck->checkin.people[0].walk_in);
	assert_string_equal(ck->checkin.people[0].approved_by, "S-042");
	assert_string_equal(r->f.session.badge, ""); /* the panel closed: signed out */
	run_free(r);
}

static void test_staff_check_pin_payload_and_hardware_pin(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, walk_in_to_approval);
	const struct row rows[] = {
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-7",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = REASON_NOT_ON_MANIFEST,
	     .fx = ""},
	    /* not digits, empty, too long: nothing sent */
	    {.ev = EV_STAFF_PIN,
	     .text = "12a4",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = REASON_NOT_ON_MANIFEST,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = REASON_NOT_ON_MANIFEST,
	     .fx = ""},
	    {.ev = EV_TOUCH,
	     .btn = BTN_PIN_ENTER,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = REASON_NOT_ON_MANIFEST,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "8642",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = REASON_NOT_ON_MANIFEST,
	     .fx = "CHECK_PIN"},
	};
	RUN(r, rows);
	const struct effect *e = effects_find(r->fx, FX_CHECK_PIN, 0);
	assert_string_equal(e->check_pin.badge, "S-7");
	assert_string_equal(e->check_pin.pin, "8642");
	/* the next step wipes the effect list, PIN included */
	struct effects *out = r->fx;
	flow_entrance_step(&r->f, NULL, r->now, out);
	assert_int_equal(out->count, 0);
	assert_true(zero_bytes(out, sizeof(*out)));
	run_free(r);
}

static void test_staff_denies(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, walk_in_to_approval);
	RUN(r, staff_sign_in);
	const struct row rows[] = {
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_DENY,
	     .state = FLOW_REFUSED,
	     .reason = REASON_NOT_ON_MANIFEST,
	     .fx = "AUDIT_DENY_ADMIT BEEP_REFUSE"},
	};
	RUN(r, rows);
	assert_true(zero_bytes(&r->f.session.candidate, sizeof(r->f.session.candidate)));
	run_free(r);
}

static void test_staff_bad_pin_lockout(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	c.pin_lockout_ms = 60000;
	struct run *r = run_new(&c);
	RUN(r, walk_in_to_approval);
	const enum reason W = REASON_NOT_ON_MANIFEST;
	const struct row rows[] = {
	    {.ev = EV_TOUCH,
	     .btn = BTN_CALL_STAFF,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_CALL,
	     .reason = W,
	     .fx = ""},
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-1",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = W,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "0000",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = W,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_BAD,
	     .stale = true,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = W,
	     .fx = ""},
	    {.ev = EV_STAFF_BAD,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = W,
	     .fx = "AUDIT_STAFF_PIN_BAD PIN_STATE"},
	    /* an answer that came twice does nothing */
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = W,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "1111",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = W,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_BAD,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = W,
	     .fx = "AUDIT_STAFF_PIN_BAD PIN_STATE"},
	    {.ev = EV_STAFF_PIN,
	     .text = "2222",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = W,
	     .fx = "CHECK_PIN"},
	    /* third bad PIN: panel closed, back to the call-staff panel below it */
	    {.ev = EV_STAFF_BAD,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_CALL,
	     .reason = W,
	     .fx = "AUDIT_STAFF_PIN_BAD PIN_STATE AUDIT_STAFF_LOCKED_OUT"},
	    /* staff buttons do nothing without a signed-in panel */
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_APPROVE,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_CALL,
	     .reason = W,
	     .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_CANCEL_CALL, .state = FLOW_APPROVAL, .reason = W, .fx = ""},
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_APPROVE,
	     .state = FLOW_APPROVAL,
	     .reason = W,
	     .fx = ""},
	    /* three bad PINs in a row lock the kiosk's staff sign-in, across badges and visits:
	     * a badge is refused unchecked (audited) until the lockout ends */
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-2",
	     .state = FLOW_APPROVAL,
	     .reason = W,
	     .fx = "AUDIT_STAFF_LOCKED_ATTEMPT"},
	    {.dt = 59000,
	     .ev = EV_STAFF_BADGE,
	     .text = "S-1",
	     .state = FLOW_APPROVAL,
	     .reason = W,
	     .fx = "AUDIT_STAFF_LOCKED_ATTEMPT"},
	    /* after it, a PIN panel opens again and can be cancelled */
	    {.dt = 1000,
	     .ev = EV_STAFF_BADGE,
	     .text = "S-2",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = W,
	     .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_PIN_CANCEL, .state = FLOW_APPROVAL, .reason = W, .fx = ""},
	};
	RUN(r, rows);
	assert_string_equal(r->f.session.badge, "");
	run_free(r);
}

/* The PIN lockout kept across a restart: taken back from the wall clock, capped at one
 * lockout however far the clock went back, none once over or without a lockout; the bad PINs
 * of before the restart count (the next one locks and closes the panel); each change goes out
 * as FX_PIN_STATE for the wiring to keep. */
static void test_staff_pin_lockout_restored(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	c.pin_lockout_ms = 60000;
	const int64_t wall = 1795000000000; /* unix ms */
	const enum reason W = REASON_NOT_ON_MANIFEST;
	const struct row refused = {.ev = EV_STAFF_BADGE,
	                            .text = "S-1",
	                            .state = FLOW_APPROVAL,
	                            .reason = W,
	                            .fx = "AUDIT_STAFF_LOCKED_ATTEMPT"};
	const struct row opens = {.ev = EV_STAFF_BADGE,
	                          .text = "S-1",
	                          .state = FLOW_APPROVAL,
	                          .overlay = FLOW_OVERLAY_PIN,
	                          .reason = W,
	                          .fx = ""};
	/* {saved lockout end - wall now, the lockout left after the restart} */
	const int64_t cases[][2] = {
	    {30000, 30000},               /* killed half way through: the other half */
	    {10LL * 86400 * 1000, 60000}, /* the clock set back 10 days: one lockout, no more */
	    {0, 0},                       /* ended just as the kiosk came back */
	    {-5000, 0},                   /* ended while it was off */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run *r = run_new(&c);
		flow_entrance_pin_restore(&r->f, 0, wall + cases[i][0], wall, r->now);
		RUN(r, walk_in_to_approval);
		if (cases[i][1] > 0) {
			struct row w = refused;
			w.dt = cases[i][1] - 1;
			run_rows(r, &w, 1);
			w.dt = 1;
			w.fx = "";
			w.overlay = FLOW_OVERLAY_PIN;
			run_rows(r, &w, 1);
		} else {
			run_rows(r, &opens, 1);
		}
		run_free(r);
	}

	/* two bad PINs before the restart: the first one after it locks and closes the panel */
	struct run *r = run_new(&c);
	flow_entrance_pin_restore(&r->f, 2, 0, wall, r->now);
	assert_int_equal(r->f.pin_bad, 2);
	assert_int_equal(r->f.pin_locked_until_ms, 0);
	RUN(r, walk_in_to_approval);
	const struct row last_try[] = {
	    opens,
	    {.ev = EV_STAFF_PIN,
	     .text = "0000",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = W,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_BAD,
	     .state = FLOW_APPROVAL,
	     .reason = W,
	     .fx = "AUDIT_STAFF_PIN_BAD PIN_STATE AUDIT_STAFF_LOCKED_OUT"},
	};
	RUN(r, last_try);
	const struct effect *ps = effects_find(r->fx, FX_PIN_STATE, 0);
	assert_non_null(ps);
	assert_int_equal(ps->pin_state.bad, 0);
	assert_int_equal(ps->pin_state.locked_ms, 60000);
	run_rows(r, &refused, 1);
	run_free(r);

	/* one bad PIN, then a good one: each change kept, the count back to zero */
	r = run_new(&c);
	flow_entrance_pin_restore(&r->f, 99, 0, wall, r->now); /* more than the attempts */
	assert_int_equal(r->f.pin_bad, c.pin_attempts - 1);
	flow_entrance_pin_restore(&r->f, 1, 0, wall, r->now);
	RUN(r, walk_in_to_approval);
	const struct row good[] = {
	    opens,
	    {.ev = EV_STAFF_PIN,
	     .text = "1234",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = W,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .reason = W,
	     .fx = "AUDIT_STAFF_LOGIN PIN_STATE"},
	};
	RUN(r, good);
	ps = effects_find(r->fx, FX_PIN_STATE, 0);
	assert_non_null(ps);
	assert_int_equal(ps->pin_state.bad, 0);
	assert_int_equal(ps->pin_state.locked_ms, 0);
	run_free(r);

	/* no lockout configured: a saved one is not taken */
	c.pin_lockout_ms = 0;
	r = run_new(&c);
	flow_entrance_pin_restore(&r->f, 0, wall + 30000, wall, r->now);
	assert_int_equal(r->f.pin_locked_until_ms, 0);
	run_free(r);
}

static void test_staff_resume_and_end(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-9",
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_PIN,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "1234",
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .fx = "AUDIT_STAFF_LOGIN"},
	    /* nothing pending: approve and deny do nothing */
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_APPROVE,
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .fx = ""},
	    /* the person's buttons do not reach through the panel */
	    {.ev = EV_TOUCH,
	     .btn = BTN_THIS_IS_ME,
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_STAFF_RESUME, .state = FLOW_IDENTITY, .fx = "AUDIT_RESUME"},
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-9",
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_PIN,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "1234",
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .fx = "AUDIT_STAFF_LOGIN"},
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_END,
	     .state = FLOW_ATTRACT,
	     .fx = "AUDIT_END_SESSION CLEAR"},
	};
	RUN(r, rows);
	assert_string_equal(effects_find(r->fx, FX_AUDIT, 0)->audit.arrival_id, "A001");
	assert_false(flow_entrance_has_personal_data(&r->f));
	run_free(r);
}

static void test_member_needs_staff(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const enum reason Y = REASON_YELLOW_CODE;
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = YELLOWP,
	     .state = FLOW_APPROVAL,
	     .reason = Y,
	     .fx = "BEEP_ATTENTION"},
	    /* the person gives up on that member: back to the list, the group kept */
	    {.ev = EV_TOUCH, .btn = BTN_CANCEL, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = YELLOWP,
	     .state = FLOW_APPROVAL,
	     .reason = Y,
	     .fx = "BEEP_ATTENTION"},
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-3",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = Y,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "55",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = Y,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .reason = Y,
	     .fx = "AUDIT_STAFF_LOGIN"},
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_DENY,
	     .state = FLOW_FAMILY,
	     .reason = Y,
	     .fx = "AUDIT_DENY_ADMIT BEEP_REFUSE"},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = YELLOWP,
	     .state = FLOW_APPROVAL,
	     .reason = Y,
	     .fx = "BEEP_ATTENTION"},
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-3",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = Y,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "55",
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = Y,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_APPROVAL,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .reason = Y,
	     .fx = "AUDIT_STAFF_LOGIN"},
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_APPROVE,
	     .state = FLOW_FAMILY,
	     .fx = "AUDIT_APPROVE_ADMIT BEEP_OK"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.session.count, 2);
	assert_string_equal(r->f.session.people[1].approved_by, "S-3");
	assert_int_equal(r->f.session.people[1].code, FLOW_CODE_YELLOW);
	run_free(r);
}

/* ---- already checked in: no second room, a reprint with staff ---- */

static void test_already_checked_in_reprint(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const enum reason D = REASON_ALREADY_CHECKED_IN;
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = ADULT,
	     .why = D,
	     .state = FLOW_REFUSED,
	     .reason = D,
	     .fx = "BEEP_REFUSE"},
	    {.ev = EV_TOUCH,
	     .btn = BTN_CALL_STAFF,
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_CALL,
	     .reason = D,
	     .fx = ""},
	    /* the refusal screen would have gone after 12 s; waiting for staff it stays */
	    {.dt = 60000,
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_CALL,
	     .reason = D,
	     .fx = ""},
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-5",
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = D,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "9",
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = D,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .reason = D,
	     .fx = "AUDIT_STAFF_LOGIN"},
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_APPROVE,
	     .state = FLOW_REPRINTING,
	     .fx = "AUDIT_APPROVE_REPRINT REPRINT"},
	    {.ev = EV_PRINTED, .stale = true, .state = FLOW_REPRINTING, .fx = ""},
	    {.ev = EV_PRINTED, .state = FLOW_DONE, .fx = "BEEP_CHIME"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.overlay, FLOW_OVERLAY_NONE);
	assert_int_equal(r->f.call_reason, REASON_OK);
	assert_int_equal(r->checkins, 0);
	assert_true(r->f.session.reprint);
	assert_string_equal(r->f.session.assigned[0].room, "1777");
	assert_string_equal(r->f.session.people[0].arrival_id, "A001");
	run_free(r);

	/* staff may refuse the reprint; without a call the refusal times out as usual */
	r = run_new(&c);
	const struct row deny[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = ADULT,
	     .why = D,
	     .state = FLOW_REFUSED,
	     .reason = D,
	     .fx = "BEEP_REFUSE"},
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-5",
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_PIN,
	     .reason = D,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "9",
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .reason = D,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_REFUSED,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .reason = D,
	     .fx = "AUDIT_STAFF_LOGIN"},
	    {.ev = EV_TOUCH,
	     .btn = BTN_STAFF_DENY,
	     .state = FLOW_REFUSED,
	     .reason = D,
	     .fx = "AUDIT_DENY_REPRINT"},
	    {.dt = 12000, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	};
	RUN(r, deny);
	run_free(r);

	/* a reprint whose printer fails: collect it at the desk */
	r = run_new(&c);
	run_rows(r, rows, 8);
	const struct row fail_print[] = {
	    {.ev = EV_PRINT_FAILED,
	     .why = REASON_PRINTER_FAILED,
	     .state = FLOW_DONE,
	     .reason = REASON_PRINTER_FAILED,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, fail_print);
	run_free(r);

	/* a member who is already checked in is a notice on the list */
	r = run_new(&c);
	const struct row member[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = SPOUSE,
	     .why = D,
	     .state = FLOW_FAMILY,
	     .reason = D,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, member);
	assert_int_equal(r->f.session.count, 1);
	run_free(r);
}

/* ---- store and printer faults ---- */

static void test_store_faults(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	const enum reason fails[][2] = {
	    {REASON_NO_ROOM, REASON_NO_ROOM},
	    {REASON_STORE_FAILED, REASON_STORE_FAILED},
	    {REASON_GROUP_TOO_LARGE, REASON_GROUP_TOO_LARGE},
	    {REASON_EXPIRED, REASON_STORE_FAILED}, /* not a store reason: a store failure */
	};
	for (size_t i = 0; i < sizeof(fails) / sizeof(fails[0]); i++) {
		struct run *r = run_new(&c);
		RUN(r, to_briefing);
		run_rows(r, briefing_to_printing, 2);
		const struct row rows[] = {
		    {.ev = EV_ASSIGN_FAILED,
		     .why = fails[i][0],
		     .state = FLOW_FAULT,
		     .reason = fails[i][1],
		     .fx = "BEEP_REFUSE"},
		    /* a late EV_ASSIGNED after an explicit failure is not taken */
		    {.ev = EV_ASSIGNED, .state = FLOW_FAULT, .reason = fails[i][1], .fx = ""},
		    {.dt = 299999, .state = FLOW_FAULT, .reason = fails[i][1], .fx = ""},
		    {.dt = 1, .state = FLOW_ATTRACT, .fx = "CLEAR"},
		};
		RUN(r, rows);
		assert_int_equal(r->checkins, 1);
		run_free(r);
	}

	/* the store does not answer: fault; its late answer still prints */
	struct run *r = run_new(&c);
	RUN(r, to_briefing);
	run_rows(r, briefing_to_printing, 2);
	assert_true(!flow_entrance_staff_called(&r->f));
	const struct row late[] = {
	    {.dt = 15000, .state = FLOW_FAULT, .reason = REASON_STORE_FAILED, .fx = "BEEP_REFUSE"},
	    {.ev = EV_ASSIGNED, .state = FLOW_PRINTING, .fx = "PRINT"},
	    {.ev = EV_PRINTED, .state = FLOW_DONE, .fx = "BEEP_CHIME TIMINGS"},
	};
	run_rows(r, late, 1);
	assert_true(flow_entrance_staff_called(&r->f));
	assert_int_equal(r->f.call_reason, REASON_STORE_FAILED);
	run_rows(r, late + 1, 2);
	run_free(r);

	/* rooms for fewer people than asked: a store failure, nothing printed */
	r = run_new(&c);
	RUN(r, to_briefing);
	run_rows(r, briefing_to_printing, 2);
	const struct row short_rows[] = {
	    {.ev = EV_ASSIGNED,
	     .count = 3,
	     .state = FLOW_FAULT,
	     .reason = REASON_STORE_FAILED,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, short_rows);
	run_free(r);
}

/* A synced kiosk out of leased rooms: the person keeps the acknowledged briefing and waits;
 * signed-in staff approve a check-in without a room (the same FX_CHECKIN, naming the badge)
 * or deny it; after the approval nothing is printed and the person goes to the desk. */
static void test_out_of_leased_rooms(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	const enum reason nl = REASON_NO_LEASED_ROOM;
	for (int approve = 0; approve <= 1; approve++) {
		struct run *r = run_new(&c);
		RUN(r, to_briefing);
		run_rows(r, briefing_to_printing, 2);
		const struct row rows[] = {
		    {.ev = EV_ASSIGN_FAILED,
		     .why = nl,
		     .state = FLOW_FAULT,
		     .reason = nl,
		     .fx = "BEEP_REFUSE"},
		    {.ev = EV_STAFF_BADGE,
		     .text = "S-042",
		     .state = FLOW_FAULT,
		     .overlay = FLOW_OVERLAY_PIN,
		     .reason = nl,
		     .fx = ""},
		    {.ev = EV_STAFF_PIN,
		     .text = "1234",
		     .state = FLOW_FAULT,
		     .overlay = FLOW_OVERLAY_PIN_CHECK,
		     .reason = nl,
		     .fx = "CHECK_PIN"},
		    {.ev = EV_STAFF_OK,
		     .state = FLOW_FAULT,
		     .overlay = FLOW_OVERLAY_STAFF,
		     .reason = nl,
		     .fx = "AUDIT_STAFF_LOGIN"},
		};
		RUN(r, rows);
		assert_int_equal(r->f.session.pending, FLOW_PENDING_NO_ROOM);
		assert_true(flow_entrance_staff_called(&r->f));
		if (!approve) {
			const struct row deny[] = {
			    {.ev = EV_TOUCH,
			     .btn = BTN_STAFF_DENY,
			     .state = FLOW_FAULT,
			     .reason = nl,
			     .fx = "AUDIT_DENY_NO_ROOM"},
			};
			RUN(r, deny);
			assert_int_equal(r->f.session.pending, FLOW_PENDING_NONE);
			assert_int_equal(r->checkins, 1);
			run_free(r);
			continue;
		}
		const struct row yes[] = {
		    {.ev = EV_TOUCH,
		     .btn = BTN_STAFF_APPROVE,
		     .state = FLOW_CHECKING_IN,
		     .fx = "AUDIT_APPROVE_NO_ROOM CHECKIN"},
		    {.dt = 300,
		     .ev = EV_ASSIGNED,
		     .state = FLOW_DONE,
		     .reason = nl,
		     .fx = "BEEP_CHIME TIMINGS"},
		};
		RUN(r, yes);
		assert_int_equal(r->checkins, 2);
		const struct effect *ck = effects_find(r->checkin, FX_CHECKIN, 0);
		assert_string_equal(ck->checkin.no_room_by, "S-042");
		assert_string_equal(ck->checkin.briefing_version, "sha256:b1"); /* the ack kept */
		assert_int_equal(ck->checkin.count, 1);
		assert_true(r->f.session.no_room);
		assert_true(r->f.session.checked_in);
		run_free(r);
	}
}

static void test_printer_timeout(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, to_briefing);
	RUN(r, briefing_to_printing);
	const struct row rows[] = {
	    {.dt = 29999, .state = FLOW_PRINTING, .fx = ""},
	    {.dt = 1,
	     .state = FLOW_DONE,
	     .reason = REASON_PRINTER_FAILED,
	     .fx = "BEEP_REFUSE TIMINGS"},
	    /* a late printer answer changes nothing */
	    {.ev = EV_PRINTED, .state = FLOW_DONE, .reason = REASON_PRINTER_FAILED, .fx = ""},
	    /* the next person scanning ends this visit */
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
	};
	RUN(r, rows);
	run_free(r);
}

/* ---- timeouts and the countdown ---- */

static void test_abandoned_at_every_step(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	/* rows to reach each abandonable screen, and its idle time */
	const struct row identity[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	};
	const struct row family[] = {
	    identity[0],
	    identity[1],
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	};
	const struct row fault_rows[] = {
	    to_briefing[0],
	    to_briefing[1],
	    to_briefing[2],
	    to_briefing[3],
	    briefing_to_printing[0],
	    briefing_to_printing[1],
	    {.ev = EV_ASSIGN_FAILED,
	     .why = REASON_NO_ROOM,
	     .state = FLOW_FAULT,
	     .reason = REASON_NO_ROOM,
	     .fx = "BEEP_REFUSE"},
	};
	const struct {
		const struct row *rows;
		size_t n;
		enum flow_state state;
		enum reason reason;
		int32_t idle;
	} cases[] = {
	    {identity, 2, FLOW_IDENTITY, REASON_OK, c.idle_ms},
	    {family, 3, FLOW_FAMILY, REASON_OK, c.idle_ms},
	    {to_briefing, 4, FLOW_BRIEFING, REASON_OK, c.briefing_idle_ms},
	    {walk_in_to_approval, 2, FLOW_APPROVAL, REASON_NOT_ON_MANIFEST, c.staff_wait_ms},
	    {fault_rows, 7, FLOW_FAULT, REASON_NO_ROOM, c.staff_wait_ms},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run *r = run_new(&c);
		run_rows(r, cases[i].rows, cases[i].n);
		int64_t deadline = r->now + cases[i].idle;
		assert_int_equal(r->f.deadline_ms, deadline);
		assert_int_equal(r->f.countdown_s, -1);
		const struct row wait[] = {
		    {.dt = cases[i].idle - 10001,
		     .state = cases[i].state,
		     .reason = cases[i].reason,
		     .fx = ""},
		};
		RUN(r, wait);
		assert_int_equal(r->f.countdown_s, -1);
		const struct row tick = {
		    .dt = 1, .state = cases[i].state, .reason = cases[i].reason, .fx = ""};
		run_rows(r, &tick, 1);
		assert_int_equal(r->f.countdown_s, 10);
		const struct row tick2 = {
		    .dt = 9500, .state = cases[i].state, .reason = cases[i].reason, .fx = ""};
		run_rows(r, &tick2, 1);
		assert_int_equal(r->f.countdown_s, 1);
		/* a touch gives the full time again */
		const struct row touch = {.ev = EV_TOUCH,
		                          .btn = BTN_NONE,
		                          .state = cases[i].state,
		                          .reason = cases[i].reason,
		                          .fx = ""};
		run_rows(r, &touch, 1);
		assert_int_equal(r->f.countdown_s, -1);
		assert_int_equal(r->f.deadline_ms, r->now + cases[i].idle);
		const struct row expire[] = {
		    {.dt = cases[i].idle - 1,
		     .state = cases[i].state,
		     .reason = cases[i].reason,
		     .fx = ""},
		    {.dt = 1, .state = FLOW_ATTRACT, .fx = "CLEAR"},
		};
		RUN(r, expire);
		assert_int_equal(effects_find(r->fx, FX_CLEAR, 0)->clear.reason, REASON_TIMEOUT);
		assert_false(flow_entrance_has_personal_data(&r->f));
		assert_int_equal(r->f.deadline_ms, 0);
		run_free(r);
	}
}

static void test_verifier_silent(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.dt = 10000, .state = FLOW_REFUSED, .reason = REASON_TIMEOUT, .fx = "BEEP_REFUSE"},
	    {.ev = EV_VERIFIED,
	     .who = ADULT,
	     .state = FLOW_REFUSED,
	     .reason = REASON_TIMEOUT,
	     .fx = ""},
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.dt = 10000, .state = FLOW_FAMILY, .reason = REASON_TIMEOUT, .fx = "BEEP_REFUSE"},
	    {.ev = EV_VERIFIED,
	     .who = CHILD,
	     .state = FLOW_FAMILY,
	     .reason = REASON_TIMEOUT,
	     .fx = ""},
	};
	RUN(r, rows);
	assert_int_equal(r->f.session.count, 1);
	run_free(r);
}

/* ---- call staff from every screen ---- */

static void test_call_staff_everywhere(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	const struct row *paths[] = {to_briefing, to_briefing, to_briefing, to_briefing,
	                             to_briefing};
	const size_t lens[] = {0, 1, 2, 3, 4}; /* attract, verifying, identity, family, briefing */
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct run *r = run_new(&c);
		run_rows(r, paths[i], lens[i]);
		enum flow_state s = r->f.state;
		const struct row rows[] = {
		    {.dt = 1000,
		     .ev = EV_TOUCH,
		     .btn = BTN_CALL_STAFF,
		     .state = s,
		     .overlay = FLOW_OVERLAY_CALL,
		     .fx = ""},
		};
		RUN(r, rows);
		assert_true(flow_entrance_staff_called(&r->f));
		assert_int_equal(r->f.call_reason, REASON_STAFF_REQUIRED);
		assert_int_equal(r->f.deadline_ms, r->now + c.staff_wait_ms);
		if (s == FLOW_VERIFYING) {
			/* answers still arrive under the panel */
			const struct row v[] = {{.ev = EV_VERIFIED,
			                         .who = ADULT,
			                         .state = FLOW_IDENTITY,
			                         .overlay = FLOW_OVERLAY_CALL,
			                         .fx = "BEEP_OK"}};
			RUN(r, v);
			s = FLOW_IDENTITY;
		} else if (s != FLOW_ATTRACT) {
			/* the screen below does not time out while the person waits for staff */
			const struct row w[] = {
			    {.dt = 200000, .state = s, .overlay = FLOW_OVERLAY_CALL, .fx = ""}};
			RUN(r, w);
		}
		const struct row cancel[] = {
		    {.ev = EV_TOUCH, .btn = BTN_CANCEL_CALL, .state = s, .fx = ""},
		};
		RUN(r, cancel);
		assert_false(flow_entrance_staff_called(&r->f));
		assert_int_equal(r->f.call_reason, REASON_OK);
		run_free(r);
	}

	/* nobody came: the panel closes, the screen below starts its idle time again */
	struct run *r = run_new(&c);
	run_rows(r, to_briefing, 3);
	const struct row rows[] = {
	    {.ev = EV_TOUCH,
	     .btn = BTN_CALL_STAFF,
	     .state = FLOW_FAMILY,
	     .overlay = FLOW_OVERLAY_CALL,
	     .fx = ""},
	    {.dt = 300000, .state = FLOW_FAMILY, .fx = ""},
	    {.dt = 59999, .state = FLOW_FAMILY, .fx = ""},
	    {.dt = 1, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	};
	RUN(r, rows);

	/* a signed-in staff panel left alone closes itself */
	run_rows(r, to_briefing, 2);
	const struct row idle_staff[] = {
	    {.ev = EV_STAFF_BADGE,
	     .text = "S-1",
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_PIN,
	     .fx = ""},
	    {.ev = EV_STAFF_PIN,
	     .text = "1",
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_PIN_CHECK,
	     .fx = "CHECK_PIN"},
	    {.ev = EV_STAFF_OK,
	     .state = FLOW_IDENTITY,
	     .overlay = FLOW_OVERLAY_STAFF,
	     .fx = "AUDIT_STAFF_LOGIN"},
	    {.dt = 60000, .state = FLOW_IDENTITY, .fx = ""},
	};
	RUN(r, idle_staff);
	assert_string_equal(r->f.session.badge, "");
	run_free(r);
}

/* ---- language ---- */

static void test_language(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = EV_LANGUAGE, .arg = FLOW_LANG_EN, .state = FLOW_ATTRACT, .fx = ""},
	    {.ev = EV_LANGUAGE, .arg = 7, .state = FLOW_ATTRACT, .fx = ""}, /* no such language */
	};
	RUN(r, rows);
	assert_int_equal(r->f.lang, FLOW_LANG_EN);
	/* chosen at the attract screen and left: back to the default after the idle time */
	const struct row wait[] = {{.dt = 60000, .state = FLOW_ATTRACT, .fx = ""}};
	RUN(r, wait);
	assert_int_equal(r->f.lang, FLOW_LANG_ZH);

	/* switched on every screen, including under a staff panel */
	run_rows(r, to_briefing, 1);
	for (size_t k = 1; k <= 4; k++) {
		enum flow_lang l = k % 2 ? FLOW_LANG_EN : FLOW_LANG_ZH;
		const struct row sw = {.ev = EV_LANGUAGE, .arg = l, .state = r->f.state, .fx = ""};
		run_rows(r, &sw, 1);
		assert_int_equal(r->f.lang, l);
		if (k < 4)
			run_rows(r, &to_briefing[k], 1);
	}
	assert_int_equal(r->f.lang, FLOW_LANG_ZH);
	/* in the briefing a new language means a new text: the gate starts again */
	const struct row brief[] = {
	    {.dt = 25000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
	    {.ev = EV_LANGUAGE, .arg = FLOW_LANG_EN, .state = FLOW_BRIEFING, .fx = ""},
	    {.ev = EV_ACK, .text = "en-v2", .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 20000,
	     .ev = EV_TOUCH,
	     .btn = BTN_CALL_STAFF,
	     .state = FLOW_BRIEFING,
	     .overlay = FLOW_OVERLAY_CALL,
	     .fx = ""},
	    {.ev = EV_LANGUAGE,
	     .arg = FLOW_LANG_ZH,
	     .state = FLOW_BRIEFING,
	     .overlay = FLOW_OVERLAY_CALL,
	     .fx = ""},
	    {.ev = EV_LANGUAGE,
	     .arg = FLOW_LANG_EN,
	     .state = FLOW_BRIEFING,
	     .overlay = FLOW_OVERLAY_CALL,
	     .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_CANCEL_CALL, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 20000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
	    {.ev = EV_ACK, .text = "en-v2", .state = FLOW_CHECKING_IN, .fx = "CHECKIN"},
	};
	RUN(r, brief);
	assert_int_equal(effects_find(r->checkin, FX_CHECKIN, 0)->checkin.lang, FLOW_LANG_EN);
	assert_string_equal(effects_find(r->checkin, FX_CHECKIN, 0)->checkin.briefing_version,
	                    "en-v2");
	/* the next person starts in the default language */
	const struct row end[] = {
	    {.ev = EV_ASSIGNED, .state = FLOW_PRINTING, .fx = "PRINT"},
	    {.ev = EV_PRINTED, .state = FLOW_DONE, .fx = "BEEP_CHIME TIMINGS"},
	    {.ev = EV_LANGUAGE, .arg = FLOW_LANG_ZH, .state = FLOW_DONE, .fx = ""},
	    {.ev = EV_LANGUAGE, .arg = FLOW_LANG_EN, .state = FLOW_DONE, .fx = ""},
	    {.ev = EV_TOUCH, .btn = BTN_DISMISS, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	};
	RUN(r, end);
	assert_int_equal(r->f.lang, FLOW_LANG_ZH);
	run_free(r);
}

static void test_ack_enabled_view(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, to_briefing);
	assert_false(r->f.ack_enabled);
	const struct row a = {.dt = 19999, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""};
	run_rows(r, &a, 1);
	assert_false(r->f.ack_enabled);
	const struct row b = {.dt = 1, .state = FLOW_BRIEFING, .fx = ""};
	run_rows(r, &b, 1);
	assert_true(r->f.ack_enabled);
	/* the staff panel covers the button */
	const struct row d = {.ev = EV_TOUCH,
	                      .btn = BTN_CALL_STAFF,
	                      .state = FLOW_BRIEFING,
	                      .overlay = FLOW_OVERLAY_CALL,
	                      .fx = ""};
	run_rows(r, &d, 1);
	assert_false(r->f.ack_enabled);
	run_free(r);
}

/* ---- configuration and names ---- */

static void test_config_and_names(void **state)
{
	(void)state;
	struct flow_entrance f;
	struct flow_config c;
	flow_config_defaults(&c);
	assert_int_equal(flow_entrance_init(&f, &c), 0);
	assert_int_equal(flow_entrance_init(&f, NULL), 0);
	c.max_group = FLOW_GROUP_MAX + 1;
	assert_int_equal(flow_entrance_init(&f, &c), -EINVAL);
	assert_int_equal(f.cfg.max_group, 6); /* the defaults instead */
	flow_config_defaults(&c);
	c.red = FLOW_POLICY_DEFAULT;
	assert_int_equal(flow_entrance_init(&f, &c), -EINVAL);
	flow_config_defaults(&c);
	c.reply_ms = 0;
	assert_int_equal(flow_entrance_init(&f, &c), -EINVAL);
	assert_int_equal(f.state, FLOW_ATTRACT);
	assert_false(flow_entrance_has_personal_data(&f));

	for (int s = 0; s < FLOW_STATE_COUNT; s++)
		assert_string_not_equal(flow_state_name((enum flow_state)s), "?");
	for (int k = 0; k < EV_KIND_COUNT; k++)
		assert_string_not_equal(event_kind_name((enum event_kind)k), "?");
	for (int k = 0; k < FX_KIND_COUNT; k++)
		assert_string_not_equal(effect_kind_name((enum effect_kind)k), "?");
	for (int k = 0; k < BTN_COUNT; k++)
		assert_string_not_equal(button_name((enum button)k), "?");
	for (int k = 0; k < AUDIT_ACTION_COUNT; k++)
		assert_string_not_equal(audit_action_name((enum audit_action)k), "?");
	assert_string_equal(flow_state_name(FLOW_STATE_COUNT), "?");
	assert_string_equal(effect_kind_name(FX_PRINT), "FX_PRINT");
	assert_string_equal(button_name(BTN_STAFF_END), "BTN_STAFF_END");
	enum flow_lang l = FLOW_LANG_ZH;
	assert_true(flow_lang_parse("en", &l));
	assert_int_equal(l, FLOW_LANG_EN);
	assert_false(flow_lang_parse("fr", &l));
	assert_int_equal(l, FLOW_LANG_EN);
	enum flow_policy p = FLOW_POLICY_ALLOW;
	assert_true(flow_policy_parse("refuse", &p));
	assert_int_equal(p, FLOW_POLICY_REFUSE);
	assert_string_equal(flow_policy_name(FLOW_POLICY_STAFF), "staff");
	assert_string_equal(flow_code_name(FLOW_CODE_RED), "red");
	assert_string_equal(reason_code(REASON_ALREADY_ADDED), "E_ALREADY_ADDED");
}

/* ---- random event storms ---- */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: fixed seed, same storm every run */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static uint32_t rng_below(uint32_t n)
{
	return rng() % n;
}

struct storm {
	uint32_t tickets[8]; /* tickets recently requested, answered at random */
	int n_tickets;
	int checkins_in_session;
	bool assigned_in_session; /* an EV_ASSIGNED with the FX_CHECKIN ticket was sent */
	uint32_t checkin_ticket;
	uint32_t last[FX_KIND_COUNT]; /* last ticket of each request kind */
	int *fx_seen;                 /* effects seen per kind, over every storm */
	int64_t now;
};

static void storm_event(struct storm *st, const struct flow_entrance *f, struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = (enum event_kind)rng_below(EV_KIND_COUNT + 1); /* one past the end too */
	if (st->n_tickets && rng_below(10) < 8)
		ev->ticket = st->tickets[rng_below((uint32_t)st->n_tickets)];
	else
		ev->ticket = rng_below(4) ? rng() : 0;
	switch (ev->kind) {
	case EV_SCAN:
		if (rng_below(8) == 0)
			memset(ev->scan.text, 'A' + (int)rng_below(26), sizeof(ev->scan.text));
		else
			snprintf(ev->scan.text, sizeof(ev->scan.text), "HC1:%u", rng_below(5));
		break;
	case EV_VERIFIED:
		ev->verified.reason =
		    rng_below(5) ? REASON_OK : (enum reason)rng_below(REASON_COUNT + 3);
		ev->verified.policy = (enum flow_policy)rng_below(FLOW_POLICY_COUNT + 1);
		person_of((enum who)rng_below(WHO_COUNT), &ev->verified.person);
		if (ev->verified.person.evidence.kind != FLOW_EVIDENCE_NONE && rng_below(2))
			ev->verified.reason = REASON_EVIDENCE_ONLY; /* as the verifier answers */
		if (rng_below(10) == 0) {                           /* strings without their NUL */
			memset(ev->verified.person.name_masked, 'x',
			       sizeof(ev->verified.person.name_masked));
			memset(ev->verified.person.evidence.issuer, 'x',
			       sizeof(ev->verified.person.evidence.issuer));
		}
		break;
	case EV_TOUCH:
		ev->touch.button = (enum button)rng_below(BTN_COUNT + 1);
		ev->touch.arg = (int)rng_below(14) - 2;
		break;
	case EV_STORAGE:
		if (rng_below(4) == 0) /* not a 0/1 byte: still read as low */
			memset(&ev->storage.low, 0x40, 1);
		else
			ev->storage.low = rng_below(3) == 0;
		break;
	case EV_LANGUAGE:
		ev->language.lang = (enum flow_lang)rng_below(FLOW_LANG_COUNT + 1);
		break;
	case EV_ACK:
		if (rng_below(4))
			snprintf(ev->ack.version, sizeof(ev->ack.version), "v%u", rng_below(3));
		else if (rng_below(2))
			memset(ev->ack.version, 'v', sizeof(ev->ack.version));
		break;
	case EV_ASSIGNED:
		ev->assigned.count = rng_below(4) ? f->session.count : (int)rng_below(12) - 2;
		for (int i = 0; i < FLOW_GROUP_MAX; i++)
			memset(ev->assigned.a[i].room, '1' + i, sizeof(ev->assigned.a[i].room));
		break;
	case EV_ASSIGN_FAILED:
		ev->failed.reason = (enum reason)rng_below(REASON_COUNT + 2);
		break;
	case EV_PRINTED:
	case EV_PRINT_FAILED:
		ev->print.index = (int)rng_below(FLOW_GROUP_MAX + 4) - 2;
		break;
	case EV_STAFF_BADGE:
		snprintf(ev->badge.id, sizeof(ev->badge.id), "S-%u", rng_below(3));
		break;
	case EV_STAFF_PIN:
		if (rng_below(5))
			snprintf(ev->pin.digits, sizeof(ev->pin.digits), "%u", rng_below(10000));
		else
			memset(ev->pin.digits, '7', sizeof(ev->pin.digits));
		break;
	default:
		break;
	}
}

/* An event that makes sense on the current screen, so that the storm reaches the deep states
 * (a reprint needs six right events in a row); its payload is still random. */
static void storm_guided(struct storm *st, const struct flow_entrance *f, struct event *ev)
{
	static const enum reason verdicts[] = {
	    REASON_OK,
	    REASON_OK,
	    REASON_OK,
	    REASON_ALREADY_CHECKED_IN,
	    REASON_NOT_ON_MANIFEST,
	    REASON_YELLOW_CODE,
	    REASON_EXPIRED,
	    REASON_STAFF_REQUIRED,
	};
	storm_event(st, f, ev); /* random payloads */
	enum event_kind k = EV_TICK;
	enum button b = BTN_NONE;
	uint32_t pick = rng_below(4);
	switch (f->overlay) {
	case FLOW_OVERLAY_CALL:
		k = pick ? EV_STAFF_BADGE : EV_TOUCH, b = BTN_CANCEL_CALL;
		break;
	case FLOW_OVERLAY_PIN:
		k = pick ? EV_STAFF_PIN : EV_TOUCH, b = BTN_PIN_CANCEL;
		break;
	case FLOW_OVERLAY_PIN_CHECK:
		k = pick ? EV_STAFF_OK : EV_STAFF_BAD;
		ev->ticket = st->last[FX_CHECK_PIN];
		break;
	case FLOW_OVERLAY_STAFF: {
		static const enum button staff[] = {BTN_STAFF_APPROVE, BTN_STAFF_APPROVE,
		                                    BTN_STAFF_DENY, BTN_STAFF_RESUME,
		                                    BTN_STAFF_END};
		k = EV_TOUCH, b = staff[rng_below(5)];
		break;
	}
	default:
		switch (f->state) {
		case FLOW_ATTRACT:
			k = EV_SCAN;
			break;
		case FLOW_VERIFYING:
		case FLOW_MEMBER_VERIFYING:
			k = EV_VERIFIED;
			ev->ticket = st->last[FX_VERIFY];
			ev->verified.reason = verdicts[rng_below(8)];
			if (ev->verified.person.evidence.kind != FLOW_EVIDENCE_NONE)
				ev->verified.reason = REASON_EVIDENCE_ONLY; /* a certificate */
			break;
		case FLOW_EVIDENCE:
			k = pick ? EV_SCAN : EV_TOUCH, b = BTN_CANCEL;
			break;
		case FLOW_IDENTITY:
			k = EV_TOUCH, b = pick ? BTN_THIS_IS_ME : BTN_NOT_ME;
			break;
		case FLOW_FAMILY:
			k = pick ? EV_SCAN : EV_TOUCH, b = BTN_ADD_DONE;
			break;
		case FLOW_BRIEFING:
			k = pick ? EV_ACK : EV_BRIEFING_END;
			snprintf(ev->ack.version, sizeof(ev->ack.version), "v1");
			break;
		case FLOW_CHECKING_IN:
			k = pick ? EV_ASSIGNED : EV_ASSIGN_FAILED;
			ev->ticket = st->last[FX_CHECKIN];
			ev->assigned.count = f->session.count;
			break;
		case FLOW_PRINTING:
		case FLOW_REPRINTING:
			k = pick ? EV_PRINTED : EV_PRINT_FAILED;
			ev->ticket = st->last[f->state == FLOW_PRINTING ? FX_PRINT : FX_REPRINT];
			ev->print.index = (int)rng_below((uint32_t)f->session.count + 1);
			break;
		case FLOW_REFUSED:
		case FLOW_APPROVAL:
		case FLOW_FAULT:
			k = pick ? EV_STAFF_BADGE : EV_TOUCH, b = BTN_CALL_STAFF;
			break;
		default:
			k = EV_TOUCH, b = BTN_DISMISS;
			break;
		}
	}
	if (k == EV_TOUCH) {
		memset(&ev->touch, 0, sizeof(ev->touch));
		ev->touch.button = b;
	}
	if (k == EV_STAFF_PIN)
		snprintf(ev->pin.digits, sizeof(ev->pin.digits), "%u", rng_below(100));
	if (k == EV_STAFF_BADGE)
		snprintf(ev->badge.id, sizeof(ev->badge.id), "S-%u", rng_below(3));
	ev->kind = k;
}

static void storm_check(struct storm *st, const struct flow_entrance *f, const struct event *ev,
                        const struct effects *out)
{
	assert_true(out->count >= 0 && out->count <= FLOW_EFFECTS_MAX);
	assert_false(out->overflow);
	assert_true((unsigned)f->state < FLOW_STATE_COUNT);
	assert_true((unsigned)f->overlay < FLOW_OVERLAY_COUNT);
	assert_true(f->session.count >= 0 && f->session.count <= f->cfg.max_group);
	assert_true(f->countdown_s >= -1 && f->countdown_s <= 10);
	assert_true(f->step_no >= 1 && f->step_no <= 4);
	for (int i = 0; i < f->session.count; i++) {
		assert_true(strnlen(f->session.people[i].name_masked, FLOW_NAME_MAX) <
		            FLOW_NAME_MAX);
		assert_true((unsigned)f->session.people[i].category < CATEGORY_COUNT);
	}
	bool sent_assigned =
	    ev->kind == EV_ASSIGNED && ev->ticket == st->checkin_ticket && st->checkin_ticket != 0;
	for (int i = 0; i < out->count; i++) {
		const struct effect *x = &out->fx[i];
		assert_true((unsigned)x->kind < FX_KIND_COUNT && x->kind != FX_NONE);
		st->fx_seen[x->kind]++;
		switch (x->kind) {
		case FX_CLEAR:
			st->checkins_in_session = 0;
			st->assigned_in_session = false;
			st->checkin_ticket = 0;
			break;
		case FX_CHECKIN:
			assert_int_equal(++st->checkins_in_session, 1);
			assert_true(x->checkin.count >= 1 && x->checkin.count <= f->cfg.max_group);
			st->checkin_ticket = x->ticket;
			break;
		case FX_PRINT:
			assert_true(sent_assigned);
			st->assigned_in_session = true;
			assert_true(x->print.index >= 0 && x->print.index < f->session.count);
			break;
		default:
			break;
		}
		if (x->ticket)
			st->last[x->kind] = x->ticket;
		if (x->ticket &&
		    (x->kind == FX_VERIFY || x->kind == FX_CHECKIN || x->kind == FX_PRINT ||
		     x->kind == FX_REPRINT || x->kind == FX_CHECK_PIN)) {
			st->tickets[st->n_tickets % 8] = x->ticket;
			if (st->n_tickets < 8)
				st->n_tickets++;
		}
	}
	if (f->state == FLOW_ATTRACT)
		assert_false(flow_entrance_has_personal_data(f));
	if (f->state == FLOW_PRINTING || f->state == FLOW_DONE)
		assert_true(f->session.checked_in || f->session.reprint);
}

static void test_random_storms(void **state)
{
	(void)state;
	struct flow_config cfgs[3];
	for (int i = 0; i < 3; i++)
		cfgs[i] = config_test();
	cfgs[1].max_group = 1;
	cfgs[1].walk_in = FLOW_POLICY_ALLOW;
	cfgs[1].min_read_ms = 0;
	cfgs[2].max_group = FLOW_GROUP_MAX;
	cfgs[2].yellow = FLOW_POLICY_REFUSE;
	cfgs[2].red = FLOW_POLICY_STAFF;
	cfgs[2].min_read_ms = 1000;
	struct flow_entrance *f = calloc(1, sizeof(*f));
	struct effects *out = calloc(1, sizeof(*out));
	struct event *ev = calloc(1, sizeof(*ev));
	assert_non_null(f);
	assert_non_null(out);
	assert_non_null(ev);
	int seen[FLOW_STATE_COUNT] = {0};
	int fx_seen[FX_KIND_COUNT] = {0};
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int round = 0; round < 30; round++) {
		struct storm st = {.now = (int64_t)rng_below(1000000), .fx_seen = fx_seen};
		assert_int_equal(flow_entrance_init(f, &cfgs[round % 3]), 0);
		for (int i = 0; i < 4000; i++) {
			uint32_t jump = rng_below(100);
			st.now += jump < 90   ? rng_below(3000)
			          : jump < 99 ? rng_below(40000)
			                      : rng_below(400000);
			if (rng_below(10) < 7)
				storm_guided(&st, f, ev);
			else
				storm_event(&st, f, ev);
			flow_entrance_step(f, rng_below(50) ? ev : NULL, st.now, out);
			storm_check(&st, f, ev, out);
			seen[f->state]++;
		}
	}
	/* the storm got everywhere, or it proves little */
	for (int s = 0; s < FLOW_STATE_COUNT; s++) {
		print_message("state %-16s visited %d times\n", flow_state_name((enum flow_state)s),
		              seen[s]);
		assert_true(seen[s] > 0);
	}
	for (int k = FX_VERIFY; k < FX_KIND_COUNT; k++) {
		print_message("%-12s %d\n", effect_kind_name((enum effect_kind)k), fx_seen[k]);
		assert_true(fx_seen[k] > 0);
	}
	free(ev);
	free(out);
	free(f);
}

/* ---- the store's disk nearly full (docs/reliability.md, "Faults") ---- */

/* Storage low: a new visit is refused at its first scan (the code not even sent to the
 * verifier), a visit under way is refused where it would go on to the briefing, and a person
 * already reading the briefing goes on (the commit's own failure is the last line). */
static void test_storage_low_refused_before_briefing(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const enum reason L = REASON_STORAGE_LOW;
	const struct row at_scan[] = {
	    {.ev = EV_STORAGE, .arg = 1, .state = FLOW_ATTRACT, .fx = ""},
	    {.ev = EV_SCAN,
	     .text = "HC1:adult",
	     .state = FLOW_REFUSED,
	     .reason = L,
	     .fx = "BEEP_REFUSE"},
	    /* the next person scanning over the refusal: refused as well, nothing verified */
	    {.dt = 3000,
	     .ev = EV_SCAN,
	     .text = "HC1:spouse",
	     .state = FLOW_REFUSED,
	     .reason = L,
	     .fx = "CLEAR BEEP_REFUSE"},
	    {.dt = 12000, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	    /* space freed: the next scan is verified as usual */
	    {.ev = EV_STORAGE, .arg = 0, .state = FLOW_ATTRACT, .fx = ""},
	    {.ev = EV_SCAN, .text = "HC1:adult", .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.dt = 300, .ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.dt = 4000, .ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    /* the disk fills while the family is added: refused at "done", before the rules */
	    {.ev = EV_STORAGE, .arg = 1, .state = FLOW_FAMILY, .fx = ""},
	    {.dt = 2000,
	     .ev = EV_TOUCH,
	     .btn = BTN_ADD_DONE,
	     .state = FLOW_REFUSED,
	     .reason = L,
	     .fx = "BEEP_REFUSE"},
	    {.ev = EV_TOUCH, .btn = BTN_DISMISS, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	};
	RUN(r, at_scan);
	assert_int_equal(r->checkins, 0);
	assert_false(flow_entrance_has_personal_data(&r->f));
	assert_true(r->f.storage_low);
	run_free(r);

	/* a kiosk without the family step: refused at "this is me" */
	c.max_group = 1;
	r = run_new(&c);
	const struct row single[] = {
	    {.ev = EV_SCAN, .text = "HC1:adult", .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.dt = 300, .ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_STORAGE, .arg = 1, .state = FLOW_IDENTITY, .fx = ""},
	    {.dt = 4000,
	     .ev = EV_TOUCH,
	     .btn = BTN_THIS_IS_ME,
	     .state = FLOW_REFUSED,
	     .reason = L,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, single);
	assert_int_equal(r->f.session.count, 0);
	run_free(r);

	/* already reading: the check-in is tried (and fails at the commit if it must) */
	c = config_test();
	r = run_new(&c);
	RUN(r, to_briefing);
	const struct row reading[] = {
	    {.ev = EV_STORAGE, .arg = 1, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 5000, .ev = EV_BRIEFING_END, .state = FLOW_BRIEFING, .fx = ""},
	    {.dt = 25000,
	     .ev = EV_ACK,
	     .text = "sha256:b1",
	     .state = FLOW_CHECKING_IN,
	     .fx = "CHECKIN"},
	    {.ev = EV_ASSIGN_FAILED,
	     .why = REASON_STORE_FAILED,
	     .state = FLOW_FAULT,
	     .reason = REASON_STORE_FAILED,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, reading);
	run_free(r);

	/* an evidence screen waiting for the health code: the code is refused too */
	r = run_new(&c);
	const struct row evidence[] = {
	    {.ev = EV_SCAN, .text = "HC1:dcc", .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL,
	     .why = REASON_EVIDENCE_ONLY,
	     .state = FLOW_EVIDENCE,
	     .reason = REASON_EVIDENCE_ONLY,
	     .fx = "BEEP_OK"},
	    {.ev = EV_STORAGE,
	     .arg = 1,
	     .state = FLOW_EVIDENCE,
	     .reason = REASON_EVIDENCE_ONLY,
	     .fx = ""},
	    {.ev = EV_SCAN,
	     .text = "HC1:adult",
	     .state = FLOW_REFUSED,
	     .reason = L,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, evidence);
	assert_int_equal(r->f.session.evidence.kind, FLOW_EVIDENCE_NONE);
	run_free(r);
}

/* ---- international credentials (docs/international.md) ---- */

/* A DCC read first: the evidence screen asks for the health code; the certificate goes to
 * the person whose code comes next and into FX_CHECKIN, and nowhere else. */
static void test_intl_evidence_then_health_code(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const enum reason E = REASON_EVIDENCE_ONLY;
	const struct row rows[] = {
	    {.ev = EV_SCAN, .text = "HC1:dcc", .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.dt = 300,
	     .ev = EV_VERIFIED,
	     .who = INTL,
	     .why = E,
	     .state = FLOW_EVIDENCE,
	     .reason = E,
	     .fx = "BEEP_OK"},
	    /* touches elsewhere do nothing; the health code is scanned next */
	    {.dt = 2000,
	     .ev = EV_TOUCH,
	     .btn = BTN_THIS_IS_ME,
	     .state = FLOW_EVIDENCE,
	     .reason = E,
	     .fx = ""},
	    {.dt = 2000,
	     .ev = EV_SCAN,
	     .text = "HC1:adult",
	     .state = FLOW_VERIFYING,
	     .reason = E,
	     .fx = "VERIFY"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.step_no, 1);
	assert_int_equal(r->f.session.evidence.kind, FLOW_EVIDENCE_VACCINATION);
	assert_int_equal(r->f.session.count, 0);
	const struct row rows2[] = {
	    {.dt = 300, .ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	};
	RUN(r, rows2);
	/* attached to the person admitted, gone from the session's slot */
	const struct flow_evidence *e = &r->f.session.people[0].evidence;
	assert_int_equal(e->kind, FLOW_EVIDENCE_VACCINATION);
	assert_int_equal(e->day, day_from_ymd(2021, 5, 29));
	assert_string_equal(e->issuer, "DE");
	assert_string_equal(e->format, "EU-DCC");
	assert_string_equal(e->name_masked, "M********* E****");
	assert_int_equal(r->f.session.evidence.kind, FLOW_EVIDENCE_NONE);
	/* the manifest person is who checks in: name and arrival from the health code */
	assert_string_equal(r->f.session.people[0].arrival_id, "A001");
	const struct row rows3[] = {
	    {.dt = 4000, .ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    {.dt = 2000, .ev = EV_TOUCH, .btn = BTN_ADD_DONE, .state = FLOW_BRIEFING, .fx = ""},
	};
	RUN(r, rows3);
	RUN(r, briefing_to_printing);
	const struct effect *ck = effects_find(r->checkin, FX_CHECKIN, 0);
	assert_non_null(ck);
	assert_int_equal(ck->checkin.people[0].evidence.kind, FLOW_EVIDENCE_VACCINATION);
	assert_string_equal(ck->checkin.people[0].evidence.issuer, "DE");
	run_free(r);
}

/* A second certificate replaces the first; a refused health code drops it; the evidence
 * screen times out and can be left, personal data wiped. */
static void test_intl_evidence_dropped(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const enum reason E = REASON_EVIDENCE_ONLY;
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL,
	     .why = E,
	     .state = FLOW_EVIDENCE,
	     .reason = E,
	     .fx = "BEEP_OK"},
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .reason = E, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL2,
	     .why = E,
	     .state = FLOW_EVIDENCE,
	     .reason = E,
	     .fx = "BEEP_OK"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.session.evidence.kind, FLOW_EVIDENCE_TEST);
	assert_string_equal(r->f.session.evidence.issuer, "spec.smarthealth.cards");
	const struct row rows2[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .reason = E, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = ADULT,
	     .why = REASON_EXPIRED,
	     .state = FLOW_REFUSED,
	     .reason = REASON_EXPIRED,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, rows2);
	assert_true(zero_bytes(&r->f.session.evidence, sizeof(r->f.session.evidence)));

	/* left alone on the evidence screen: the countdown, then back to the start */
	const struct row rows3[] = {
	    {.ev = EV_TOUCH, .btn = BTN_DISMISS, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL,
	     .why = E,
	     .state = FLOW_EVIDENCE,
	     .reason = E,
	     .fx = "BEEP_OK"},
	    {.dt = 55000, .state = FLOW_EVIDENCE, .reason = E, .fx = ""},
	};
	RUN(r, rows3);
	assert_int_equal(r->f.countdown_s, 5);
	const struct row rows4[] = {
	    {.dt = 5000, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL,
	     .why = E,
	     .state = FLOW_EVIDENCE,
	     .reason = E,
	     .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_CANCEL, .state = FLOW_ATTRACT, .fx = "CLEAR"},
	};
	RUN(r, rows4);
	assert_false(flow_entrance_has_personal_data(&r->f));
	run_free(r);
}

/* The station refuses certificates (verifier policy REFUSE, or E_INTL_NOT_ACCEPTED), and a
 * malformed one: a refusal screen, nothing kept. */
static void test_intl_refused(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const enum reason E = REASON_EVIDENCE_ONLY, N = REASON_INTL_REFUSED;
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL,
	     .why = E,
	     .policy = FLOW_POLICY_REFUSE,
	     .state = FLOW_REFUSED,
	     .reason = E,
	     .fx = "BEEP_REFUSE"},
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = NOBODY,
	     .why = N,
	     .policy = FLOW_POLICY_REFUSE,
	     .state = FLOW_REFUSED,
	     .reason = N,
	     .fx = "BEEP_REFUSE"},
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL_BAD,
	     .why = E,
	     .state = FLOW_REFUSED,
	     .reason = E,
	     .fx = "BEEP_REFUSE"},
	    /* evidence only is never an admission, whatever the verifier's policy says */
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "CLEAR VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = ADULT,
	     .why = E,
	     .policy = FLOW_POLICY_ALLOW,
	     .state = FLOW_REFUSED,
	     .reason = E,
	     .fx = "BEEP_REFUSE"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.session.evidence.kind, FLOW_EVIDENCE_NONE);
	assert_int_equal(r->f.session.count, 0);
	run_free(r);
}

/* A member's certificate on the family screen: kept for the member scanned next. */
static void test_intl_member_evidence(void **state)
{
	(void)state;
	struct flow_config c = config_test();
	struct run *r = run_new(&c);
	const enum reason E = REASON_EVIDENCE_ONLY;
	const struct row rows[] = {
	    {.ev = EV_SCAN, .state = FLOW_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = ADULT, .state = FLOW_IDENTITY, .fx = "BEEP_OK"},
	    {.ev = EV_TOUCH, .btn = BTN_THIS_IS_ME, .state = FLOW_FAMILY, .fx = ""},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL2,
	     .why = E,
	     .state = FLOW_FAMILY,
	     .reason = E,
	     .fx = "BEEP_OK"},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = SPOUSE, .state = FLOW_FAMILY, .fx = "BEEP_OK"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.session.count, 2);
	assert_int_equal(r->f.session.people[0].evidence.kind, FLOW_EVIDENCE_NONE);
	assert_int_equal(r->f.session.people[1].evidence.kind, FLOW_EVIDENCE_TEST);
	/* a refused member's code drops a certificate read for them */
	const struct row rows2[] = {
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = INTL,
	     .why = E,
	     .state = FLOW_FAMILY,
	     .reason = E,
	     .fx = "BEEP_OK"},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED,
	     .who = GRANNY,
	     .why = REASON_REVOKED,
	     .state = FLOW_FAMILY,
	     .reason = REASON_REVOKED,
	     .fx = "BEEP_REFUSE"},
	    {.ev = EV_SCAN, .state = FLOW_MEMBER_VERIFYING, .fx = "VERIFY"},
	    {.ev = EV_VERIFIED, .who = GRANNY, .state = FLOW_FAMILY, .fx = "BEEP_OK"},
	};
	RUN(r, rows2);
	assert_int_equal(r->f.session.count, 3);
	assert_int_equal(r->f.session.people[2].evidence.kind, FLOW_EVIDENCE_NONE);
	assert_int_equal(flow_evidence_kind_name(FLOW_EVIDENCE_RECOVERY)[0], 'r');
	assert_string_equal(flow_evidence_kind_name((enum flow_evidence_kind)7), "?");
	assert_string_equal(flow_state_name(FLOW_EVIDENCE), "EVIDENCE");
	run_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_person_check_in),
	    cmocka_unit_test(test_print_payload_and_order),
	    cmocka_unit_test(test_family_group),
	    cmocka_unit_test(test_group_of_one_skips_family),
	    cmocka_unit_test(test_code_errors_refused),
	    cmocka_unit_test(test_malformed_results),
	    cmocka_unit_test(test_not_me),
	    cmocka_unit_test(test_policy_table),
	    cmocka_unit_test(test_staff_approves_walk_in),
	    cmocka_unit_test(test_staff_check_pin_payload_and_hardware_pin),
	    cmocka_unit_test(test_staff_denies),
	    cmocka_unit_test(test_staff_bad_pin_lockout),
	    cmocka_unit_test(test_staff_pin_lockout_restored),
	    cmocka_unit_test(test_staff_resume_and_end),
	    cmocka_unit_test(test_member_needs_staff),
	    cmocka_unit_test(test_already_checked_in_reprint),
	    cmocka_unit_test(test_store_faults),
	    cmocka_unit_test(test_out_of_leased_rooms),
	    cmocka_unit_test(test_printer_timeout),
	    cmocka_unit_test(test_abandoned_at_every_step),
	    cmocka_unit_test(test_verifier_silent),
	    cmocka_unit_test(test_call_staff_everywhere),
	    cmocka_unit_test(test_language),
	    cmocka_unit_test(test_ack_enabled_view),
	    cmocka_unit_test(test_config_and_names),
	    cmocka_unit_test(test_random_storms),
	    cmocka_unit_test(test_intl_evidence_then_health_code),
	    cmocka_unit_test(test_intl_evidence_dropped),
	    cmocka_unit_test(test_intl_refused),
	    cmocka_unit_test(test_intl_member_evidence),
	    cmocka_unit_test(test_storage_low_refused_before_briefing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
