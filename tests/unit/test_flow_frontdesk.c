/* tests/unit/test_flow_frontdesk.c: the front-desk flow driven through tables of events, each
 * row with the state, notice and effects expected after it: sign-in, bad PINs and the
 * lockout, idle sign-out, search and card, every action with confirm/cancel and audit, the
 * occupancy grid; then random event storms against the invariants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/flow_frontdesk.h"

#define UNIX0 1669700000

/* ---- fixtures the fake store gives ---- */

enum card_kind {
	CARD_OK,          /* A001 in quarantine, band 4711 */
	CARD_RELEASED,    /* A001 released */
	CARD_TRANSFERRED, /* A001 transferred */
	CARD_NO_BAND,     /* A001 without an active band */
	CARD_OTHER,       /* A999: not the one asked for */
	CARD_BROKEN,      /* risk out of range */
};

static void card_of(enum card_kind k, struct desk_card *c)
{
	memset(c, 0, sizeof(*c));
	struct resident *r = &c->resident;
	snprintf(r->arrival_id, sizeof(r->arrival_id), "%s", k == CARD_OTHER ? "A999" : "A001");
	snprintf(r->name_masked, sizeof(r->name_masked), "张*三");
	snprintf(r->room, sizeof(r->room), "1203");
	r->floor = 12;
	r->risk = k == CARD_BROKEN ? (enum risk)8 : RISK_YELLOW;
	r->category = CATEGORY_INBOUND;
	r->care = RESIDENT_CARE_PREGNANT;
	r->status = k == CARD_RELEASED      ? RESIDENT_RELEASED
	            : k == CARD_TRANSFERRED ? RESIDENT_TRANSFERRED
	                                    : RESIDENT_IN_QUARANTINE;
	struct policy p;
	policy_defaults(&p);
	assert_int_equal(policy_plan_make(&p, CATEGORY_INBOUND, NULL, UNIX0 - 86400, &r->plan), 0);
	snprintf(c->doc_masked, sizeof(c->doc_masked), "4403**********1234");
	snprintf(c->batch, sizeof(c->batch), "CA982");
	snprintf(c->room_assigned, sizeof(c->room_assigned), "1203");
	snprintf(c->diet, sizeof(c->diet), "清真 halal");
	c->checked_in_unix = UNIX0 - 86400;
	c->band_serial = k == CARD_NO_BAND ? 0 : 4711;
	c->risk_count = 2;
	c->risks[0] = (struct desk_risk_change){RISK_YELLOW, UNIX0 - 3600, "S-7", "cough"};
	c->risks[1] = (struct desk_risk_change){RISK_GREEN, UNIX0 - 86400, "KIOSK", "intake"};
	c->label_count = 1;
	c->labels[0] = (struct desk_label_printed){DESK_LABEL_DOOR, UNIX0 - 80000};
	c->scan_count = 1;
	snprintf(c->scans[0].checkpoint, sizeof(c->scans[0].checkpoint), "F12-corridor");
	c->scans[0].unix_s = UNIX0 - 600;
	c->scans[0].colour = SEC_GREEN;
	c->scans[0].reason = REASON_OK;
}

static void results_of(int n, struct desk_event *ev)
{
	ev->results.count = n;
	for (int i = 0; i < n && i < DESK_RESULTS_MAX; i++) {
		struct desk_result *r = &ev->results.rows[i];
		snprintf(r->arrival_id, sizeof(r->arrival_id), "A%03d", i + 1);
		snprintf(r->name_masked, sizeof(r->name_masked), "张*%d", i);
		snprintf(r->room, sizeof(r->room), "12%02d", i + 1);
		r->risk = RISK_GREEN;
		r->band_serial = 4711 + i;
	}
}

/* ---- the table runner ---- */

struct row {
	int64_t dt;              /* ms the clock moves before the event */
	enum desk_event_kind ev; /* DESK_EV_NONE: a tick */
	const char *text;        /* badge id, PIN digits, search query, action note */
	int arg;                 /* search by, open index, results count, label/risk/days */
	enum desk_action act;    /* DESK_EV_ACTION */
	enum card_kind card;     /* DESK_EV_CARD */
	enum reason why;         /* answers' reason */
	bool stale;              /* answer with a ticket that is not awaited */
	enum desk_state state;   /* expected after the row */
	enum reason notice;      /* expected f->notice */
	const char *fx;          /* expected effects, e.g. "CHECK_PIN"; "" none */
};

struct run {
	struct flow_frontdesk f;
	int64_t now;
	uint32_t ticket; /* last ticket requested */
	struct desk_effects fx;
	struct desk_effects kept; /* the last step with an action effect */
};

static void fx_describe(const struct desk_effects *e, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < e->count && i < DESK_EFFECTS_MAX; i++) {
		const struct desk_effect *x = &e->fx[i];
		const char *name = desk_effect_kind_name(x->kind) + 8; /* without "DESK_FX_" */
		if (x->kind == DESK_FX_AUDIT)
			name = audit_action_name(x->audit.action);
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "", name);
		if (used >= n)
			break;
	}
}

static struct run *run_new(const struct desk_config *cfg)
{
	struct run *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	assert_int_equal(flow_frontdesk_init(&r->f, cfg), 0);
	r->now = 7000000;
	return r;
}

static void event_fill(const struct run *r, const struct row *w, struct desk_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = w->ev == DESK_EV_NONE ? DESK_EV_TICK : w->ev;
	const char *t = w->text ? w->text : "";
	switch (ev->kind) {
	case DESK_EV_BADGE:
		snprintf(ev->badge.id, sizeof(ev->badge.id), "%s", w->text ? t : "S-1");
		break;
	case DESK_EV_PIN:
		snprintf(ev->pin.digits, sizeof(ev->pin.digits), "%s", w->text ? t : "1234");
		break;
	case DESK_EV_SEARCH:
		ev->search.by = (enum desk_search_by)w->arg;
		snprintf(ev->search.query, sizeof(ev->search.query), "%s", t);
		break;
	case DESK_EV_RESULTS:
		ev->results.reason = w->why;
		results_of(w->arg, ev);
		break;
	case DESK_EV_OPEN:
		ev->open.index = w->arg;
		break;
	case DESK_EV_CARD:
		ev->card.reason = w->why;
		card_of(w->card, &ev->card.card);
		break;
	case DESK_EV_ACTION:
		ev->action.action = w->act;
		ev->action.label = (enum desk_label)w->arg;
		ev->action.risk = (enum risk)w->arg;
		ev->action.days = w->arg;
		snprintf(ev->action.note, sizeof(ev->action.note), "%s", t);
		break;
	case DESK_EV_DONE:
		ev->done.reason = w->why;
		ev->done.serial = 4800;
		break;
	case DESK_EV_OCCUPANCY:
		ev->occupancy.reason = w->why;
		ev->occupancy.occ.room_count = 3;
		for (int i = 0; i < 3; i++) {
			snprintf(ev->occupancy.occ.rooms[i].number, FLOW_ROOM_MAX, "%d", 303 - i);
			ev->occupancy.occ.rooms[i].floor = 3;
			ev->occupancy.occ.rooms[i].state = (enum room_state)i;
		}
		break;
	default:
		break;
	}
	bool answer = ev->kind == DESK_EV_PIN_OK || ev->kind == DESK_EV_PIN_BAD ||
	              ev->kind == DESK_EV_RESULTS || ev->kind == DESK_EV_CARD ||
	              ev->kind == DESK_EV_DONE || ev->kind == DESK_EV_OCCUPANCY;
	if (answer)
		ev->ticket = r->ticket + (w->stale ? 1000 : 0);
}

static void step(struct run *r, const struct desk_event *ev, int64_t dt)
{
	r->now += dt;
	flow_frontdesk_step(&r->f, ev, r->now, &r->fx);
	for (int i = 0; i < r->fx.count; i++) {
		const struct desk_effect *x = &r->fx.fx[i];
		if (x->ticket)
			r->ticket = x->ticket;
		if (x->kind >= DESK_FX_PRINT_LABEL && x->kind <= DESK_FX_EXTEND)
			r->kept = r->fx;
	}
}

static void run_rows(struct run *r, const struct row *rows, size_t n)
{
	struct desk_event *ev = calloc(1, sizeof(*ev));
	assert_non_null(ev);
	for (size_t i = 0; i < n; i++) {
		const struct row *w = &rows[i];
		event_fill(r, w, ev);
		step(r, ev, w->dt);
		char got[256];
		fx_describe(&r->fx, got, sizeof(got));
		if (r->f.state != w->state || r->f.notice != w->notice ||
		    (w->fx && strcmp(got, w->fx) != 0)) {
			print_error("row %zu (%s): got %s/%s [%s], want %s/%s [%s]\n", i,
			            desk_event_kind_name(ev->kind), desk_state_name(r->f.state),
			            reason_code(r->f.notice), got, desk_state_name(w->state),
			            reason_code(w->notice), w->fx ? w->fx : "(any)");
			fail();
		}
		assert_false(r->fx.overflow);
		if (r->f.state == DESK_SIGNED_OUT)
			assert_false(flow_frontdesk_has_personal_data(&r->f));
	}
	free(ev);
}

#define RUN(r, rows) run_rows((r), (rows), sizeof(rows) / sizeof((rows)[0]))

static const struct row sign_in[] = {
    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
    {.dt = 2000, .ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
    {.dt = 100, .ev = DESK_EV_PIN_OK, .state = DESK_HOME, .fx = "AUDIT_STAFF_LOGIN"},
};

/* ... and on to A001's card through a search by room with one hit. */
static const struct row to_card[] = {
    {.dt = 1000,
     .ev = DESK_EV_SEARCH,
     .arg = DESK_BY_ROOM,
     .text = "1203",
     .state = DESK_SEARCHING,
     .fx = "SEARCH"},
    {.dt = 50, .ev = DESK_EV_RESULTS, .arg = 1, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
    {.dt = 50, .ev = DESK_EV_CARD, .state = DESK_CARD, .fx = "AUDIT_VIEW_CARD"},
};

static struct desk_config config_test(void)
{
	struct desk_config c;
	flow_frontdesk_config_defaults(&c);
	return c;
}

/* ---- sign-in ---- */

static void test_sign_in_and_out(void **state)
{
	(void)state;
	struct desk_config c = config_test();
	struct run *r = run_new(&c);
	assert_false(flow_frontdesk_signed_in(&r->f));
	const struct row rows[] = {
	    /* nothing reaches through the signed-out screen */
	    {.ev = DESK_EV_SEARCH, .text = "1203", .state = DESK_SIGNED_OUT, .fx = ""},
	    {.ev = DESK_EV_OCCUPANCY_OPEN, .state = DESK_SIGNED_OUT, .fx = ""},
	    {.ev = DESK_EV_PIN, .state = DESK_SIGNED_OUT, .fx = ""},
	    {.ev = DESK_EV_SIGN_OUT, .state = DESK_SIGNED_OUT, .fx = ""},
	    {.ev = DESK_EV_BADGE, .text = "", .state = DESK_SIGNED_OUT, .fx = ""},
	    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	    /* not a PIN: refused, not counted, not checked */
	    {.ev = DESK_EV_PIN,
	     .text = "12a4",
	     .state = DESK_PIN,
	     .notice = REASON_BAD_REQUEST,
	     .fx = ""},
	    {.ev = DESK_EV_PIN,
	     .text = "",
	     .state = DESK_PIN,
	     .notice = REASON_BAD_REQUEST,
	     .fx = ""},
	};
	RUN(r, rows);
	assert_int_equal(r->f.pin_failures, 0);
	const struct row rows2[] = {
	    {.dt = 2000,
	     .ev = DESK_EV_PIN,
	     .text = "0042",
	     .state = DESK_PIN_CHECK,
	     .fx = "CHECK_PIN"},
	};
	RUN(r, rows2);
	assert_string_equal(r->fx.fx[0].check_pin.badge, "S-1");
	assert_string_equal(r->fx.fx[0].check_pin.pin, "0042");
	assert_false(r->f.session.badge[0] == 0);
	const struct row rows3[] = {
	    {.dt = 10, .ev = DESK_EV_PIN_OK, .stale = true, .state = DESK_PIN_CHECK, .fx = ""},
	    {.dt = 10, .ev = DESK_EV_PIN_OK, .state = DESK_HOME, .fx = "AUDIT_STAFF_LOGIN"},
	};
	RUN(r, rows3);
	assert_true(flow_frontdesk_signed_in(&r->f));
	assert_string_equal(r->fx.fx[0].audit.change.badge, "S-1");
	assert_int_equal(r->fx.fx[0].audit.outcome, REASON_OK);
	const struct row twice[] = {
	    {.dt = 10, .ev = DESK_EV_PIN_OK, .state = DESK_HOME, .fx = ""}, /* answered twice */
	};
	RUN(r, twice);
	/* the PIN is gone from the effects with the next step */
	step(r, NULL, 1);
	assert_int_equal(r->fx.count, 0);
	assert_int_equal(r->fx.fx[0].check_pin.pin[0], 0);
	const struct row rows4[] = {
	    {.dt = 1000,
	     .ev = DESK_EV_SIGN_OUT,
	     .state = DESK_SIGNED_OUT,
	     .fx = "AUDIT_STAFF_LOGOUT CLEAR"},
	};
	RUN(r, rows4);
	assert_int_equal(r->fx.fx[0].audit.outcome, REASON_OK);
	assert_string_equal(r->fx.fx[0].audit.change.badge, "S-1");

	/* cancel and time out at the PIN screens */
	const struct row rows5[] = {
	    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	    {.dt = 100, .ev = DESK_EV_CANCEL, .state = DESK_SIGNED_OUT, .fx = ""},
	    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	    {.dt = 29999, .ev = DESK_EV_NONE, .state = DESK_PIN, .fx = ""},
	    {.dt = 1,
	     .ev = DESK_EV_NONE,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_TIMEOUT,
	     .fx = ""},
	    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.dt = 10000,
	     .ev = DESK_EV_NONE,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_TIMEOUT,
	     .fx = ""},
	    /* the late answer signs nobody in */
	    {.dt = 10,
	     .ev = DESK_EV_PIN_OK,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_TIMEOUT,
	     .fx = ""},
	    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.dt = 10, .ev = DESK_EV_CANCEL, .state = DESK_SIGNED_OUT, .fx = ""},
	    {.dt = 10, .ev = DESK_EV_PIN_OK, .state = DESK_SIGNED_OUT, .fx = ""},
	};
	RUN(r, rows5);
	free(r);
}

static void test_pin_lockout(void **state)
{
	(void)state;
	struct desk_config c = config_test(); /* 3 attempts, 5 min */
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.dt = 100,
	     .ev = DESK_EV_PIN_BAD,
	     .state = DESK_PIN,
	     .notice = REASON_BAD_PIN,
	     .fx = "AUDIT_STAFF_PIN_BAD"},
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.dt = 100,
	     .ev = DESK_EV_PIN_BAD,
	     .state = DESK_PIN,
	     .notice = REASON_BAD_PIN,
	     .fx = "AUDIT_STAFF_PIN_BAD"},
	    /* a failure count survives a new badge: another badge does not buy attempts */
	    {.ev = DESK_EV_CANCEL, .state = DESK_SIGNED_OUT, .fx = ""},
	    {.ev = DESK_EV_BADGE, .text = "S-2", .state = DESK_PIN, .fx = ""},
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.dt = 100,
	     .ev = DESK_EV_PIN_BAD,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_LOCKED_OUT,
	     .fx = "AUDIT_STAFF_PIN_BAD AUDIT_STAFF_LOCKED_OUT"},
	};
	RUN(r, rows);
	assert_int_equal(r->f.lockout_s, 300);
	/* during the lockout: refused without a check, audited each time */
	const struct row locked[] = {
	    {.dt = 1000,
	     .ev = DESK_EV_BADGE,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_LOCKED_OUT,
	     .fx = "AUDIT_STAFF_LOCKED_ATTEMPT"},
	    {.dt = 1000,
	     .ev = DESK_EV_BADGE,
	     .text = "S-3",
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_LOCKED_OUT,
	     .fx = "AUDIT_STAFF_LOCKED_ATTEMPT"},
	};
	RUN(r, locked);
	assert_string_equal(r->fx.fx[0].audit.change.badge, "S-3");
	assert_int_equal(r->fx.fx[0].audit.outcome, REASON_LOCKED_OUT);
	const struct row no_pin[] = {
	    {.ev = DESK_EV_PIN, .state = DESK_SIGNED_OUT, .notice = REASON_LOCKED_OUT, .fx = ""},
	};
	RUN(r, no_pin);
	assert_int_equal(r->f.lockout_s, 298);
	step(r, NULL, 297500);
	assert_int_equal(r->f.lockout_s, 1);
	const struct row after[] = {
	    {.dt = 499,
	     .ev = DESK_EV_BADGE,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_LOCKED_OUT,
	     .fx = "AUDIT_STAFF_LOCKED_ATTEMPT"},
	    /* the lockout is over: a fresh count */
	    {.dt = 1, .ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	};
	RUN(r, after);
	assert_int_equal(r->f.lockout_s, 0);
	assert_int_equal(r->f.pin_failures, 0);
	const struct row fresh[] = {
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.dt = 100,
	     .ev = DESK_EV_PIN_BAD,
	     .state = DESK_PIN,
	     .notice = REASON_BAD_PIN,
	     .fx = "AUDIT_STAFF_PIN_BAD"},
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.dt = 100, .ev = DESK_EV_PIN_OK, .state = DESK_HOME, .fx = "AUDIT_STAFF_LOGIN"},
	};
	RUN(r, fresh);
	assert_int_equal(r->f.pin_failures, 0); /* a success ends the row of failures */
	free(r);

	/* one attempt allowed, one second of lockout */
	c.pin_attempts = 1;
	c.lockout_ms = 1000;
	r = run_new(&c);
	const struct row one[] = {
	    {.ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	    {.ev = DESK_EV_PIN, .state = DESK_PIN_CHECK, .fx = "CHECK_PIN"},
	    {.ev = DESK_EV_PIN_BAD,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_LOCKED_OUT,
	     .fx = "AUDIT_STAFF_PIN_BAD AUDIT_STAFF_LOCKED_OUT"},
	    {.dt = 999,
	     .ev = DESK_EV_BADGE,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_LOCKED_OUT,
	     .fx = "AUDIT_STAFF_LOCKED_ATTEMPT"},
	    {.dt = 1, .ev = DESK_EV_BADGE, .state = DESK_PIN, .fx = ""},
	};
	RUN(r, one);
	free(r);
}

static void test_idle_sign_out_and_takeover(void **state)
{
	(void)state;
	struct desk_config c = config_test(); /* idle 120 s, replies 10 s */
	struct run *r = run_new(&c);
	RUN(r, sign_in);
	const struct row rows[] = {
	    {.dt = 119000, .ev = DESK_EV_TOUCH, .state = DESK_HOME, .fx = ""},
	    {.dt = 119999, .ev = DESK_EV_NONE, .state = DESK_HOME, .fx = ""},
	    {.dt = 1,
	     .ev = DESK_EV_NONE,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_TIMEOUT,
	     .fx = "AUDIT_STAFF_LOGOUT CLEAR"},
	};
	RUN(r, rows);
	assert_int_equal(r->fx.fx[0].audit.outcome, REASON_TIMEOUT);
	assert_false(flow_frontdesk_has_personal_data(&r->f));

	/* not while an action is in flight; its answer restarts the idle time */
	c.reply_ms = 200000;
	free(r);
	r = run_new(&c);
	RUN(r, sign_in);
	RUN(r, to_card);
	const struct row busy[] = {
	    {.dt = 1000,
	     .ev = DESK_EV_ACTION,
	     .act = DESK_ACT_RELEASE,
	     .state = DESK_CONFIRM,
	     .fx = ""},
	    {.dt = 1000, .ev = DESK_EV_CONFIRM, .state = DESK_WORKING, .fx = "SET_STATUS"},
	    {.dt = 150000, .ev = DESK_EV_NONE, .state = DESK_WORKING, .fx = ""},
	    {.dt = 1000, .ev = DESK_EV_SIGN_OUT, .state = DESK_WORKING, .fx = ""},
	    {.dt = 1000,
	     .ev = DESK_EV_DONE,
	     .state = DESK_LOADING_CARD,
	     .fx = "AUDIT_RELEASE LOAD_CARD"},
	    {.dt = 100, .ev = DESK_EV_CARD, .card = CARD_RELEASED, .state = DESK_CARD, .fx = ""},
	    {.dt = 119000, .ev = DESK_EV_NONE, .state = DESK_CARD, .fx = ""},
	    {.dt = 1000,
	     .ev = DESK_EV_NONE,
	     .state = DESK_SIGNED_OUT,
	     .notice = REASON_TIMEOUT,
	     .fx = "AUDIT_STAFF_LOGOUT CLEAR"},
	};
	RUN(r, busy);

	/* another badge signs the first person out and starts over; the same badge changes
	 * nothing */
	RUN(r, sign_in);
	const struct row takeover[] = {
	    {.dt = 10, .ev = DESK_EV_BADGE, .text = "S-1", .state = DESK_HOME, .fx = ""},
	    {.dt = 10,
	     .ev = DESK_EV_BADGE,
	     .text = "S-9",
	     .state = DESK_PIN,
	     .fx = "AUDIT_STAFF_LOGOUT CLEAR"},
	};
	RUN(r, takeover);
	assert_string_equal(r->fx.fx[0].audit.change.badge, "S-1");
	assert_string_equal(r->f.session.badge, "S-9");
	free(r);
}

/* ---- search and card ---- */

static void test_search_and_card(void **state)
{
	(void)state;
	struct desk_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, sign_in);
	const struct row rows[] = {
	    /* queries that cannot be right are refused before the store sees them */
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_BAND,
	     .text = "47a1",
	     .state = DESK_HOME,
	     .notice = REASON_BAD_REQUEST,
	     .fx = ""},
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_ROOM,
	     .text = "12 03",
	     .state = DESK_HOME,
	     .notice = REASON_BAD_REQUEST,
	     .fx = ""},
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_NAME,
	     .text = "  ",
	     .state = DESK_HOME,
	     .notice = REASON_BAD_REQUEST,
	     .fx = ""},
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_COUNT,
	     .text = "x",
	     .state = DESK_HOME,
	     .notice = REASON_BAD_REQUEST,
	     .fx = ""},
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_NAME,
	     .text = "张",
	     .state = DESK_SEARCHING,
	     .fx = "SEARCH"},
	    {.ev = DESK_EV_RESULTS, .arg = 5, .stale = true, .state = DESK_SEARCHING, .fx = ""},
	    {.dt = 80, .ev = DESK_EV_RESULTS, .arg = 5, .state = DESK_RESULTS, .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = 5, .state = DESK_RESULTS, .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = -1, .state = DESK_RESULTS, .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = 0, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
	    {.dt = 50, .ev = DESK_EV_CARD, .state = DESK_CARD, .fx = "AUDIT_VIEW_CARD"},
	    {.ev = DESK_EV_BACK, .state = DESK_RESULTS, .fx = ""},
	    {.ev = DESK_EV_BACK, .state = DESK_HOME, .fx = ""},
	};
	RUN(r, rows);
	assert_int_equal(r->f.session.result_count, 5);
	assert_string_equal(r->f.session.query, "张");
	/* the card, on a fresh run: payloads */
	free(r);
	r = run_new(&c);
	RUN(r, sign_in);
	RUN(r, to_card);
	const struct desk_effect *a = &r->fx.fx[0];
	assert_string_equal(a->audit.change.badge, "S-1");
	assert_string_equal(a->audit.change.arrival_id, "A001");
	const struct desk_card *card = &r->f.session.card;
	assert_string_equal(card->resident.name_masked, "张*三");
	assert_int_equal(card->band_serial, 4711);
	assert_int_equal(card->risk_count, 2);
	assert_string_equal(card->risks[0].by, "S-7");
	assert_int_equal(card->label_count, 1);
	assert_int_equal(card->scan_count, 1);
	assert_string_equal(card->scans[0].checkpoint, "F12-corridor");
	assert_int_equal(card->resident.plan.release_day - card->resident.plan.first_day, 14);

	const struct row failures[] = {
	    /* no hits */
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_BATCH,
	     .text = "CA982",
	     .state = DESK_SEARCHING,
	     .fx = "SEARCH"},
	    {.ev = DESK_EV_RESULTS,
	     .arg = 0,
	     .state = DESK_RESULTS,
	     .notice = REASON_NOT_FOUND,
	     .fx = ""},
	    {.ev = DESK_EV_BACK, .state = DESK_HOME, .fx = ""},
	    /* the store fails, or is silent */
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_BAND,
	     .text = "4711",
	     .state = DESK_SEARCHING,
	     .fx = "SEARCH"},
	    {.ev = DESK_EV_RESULTS,
	     .why = REASON_LOOKUP_FAILED,
	     .state = DESK_HOME,
	     .notice = REASON_LOOKUP_FAILED,
	     .fx = ""},
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_BAND,
	     .text = "4711",
	     .state = DESK_SEARCHING,
	     .fx = "SEARCH"},
	    {.dt = 10000,
	     .ev = DESK_EV_NONE,
	     .state = DESK_HOME,
	     .notice = REASON_TIMEOUT,
	     .fx = ""},
	    {.ev = DESK_EV_RESULTS,
	     .arg = 1,
	     .state = DESK_HOME,
	     .notice = REASON_TIMEOUT,
	     .fx = ""},
	    /* a card that is not the one asked for, a broken card, a missing one, a silent
	     * store */
	    {.ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_ROOM,
	     .text = "12",
	     .state = DESK_SEARCHING,
	     .fx = "SEARCH"},
	    {.ev = DESK_EV_RESULTS, .arg = 3, .state = DESK_RESULTS, .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = 2, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
	    {.ev = DESK_EV_CARD,
	     .card = CARD_OTHER,
	     .state = DESK_RESULTS,
	     .notice = REASON_LOOKUP_FAILED,
	     .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = 0, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
	    {.ev = DESK_EV_CARD,
	     .card = CARD_BROKEN,
	     .state = DESK_RESULTS,
	     .notice = REASON_LOOKUP_FAILED,
	     .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = 0, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
	    {.ev = DESK_EV_CARD,
	     .why = REASON_NOT_FOUND,
	     .state = DESK_RESULTS,
	     .notice = REASON_NOT_FOUND,
	     .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = 0, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
	    {.ev = DESK_EV_CARD,
	     .why = (enum reason)555,
	     .state = DESK_RESULTS,
	     .notice = REASON_LOOKUP_FAILED,
	     .fx = ""},
	    {.ev = DESK_EV_OPEN, .arg = 0, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
	    {.dt = 10000,
	     .ev = DESK_EV_NONE,
	     .state = DESK_RESULTS,
	     .notice = REASON_TIMEOUT,
	     .fx = ""},
	    /* back out of a wait */
	    {.ev = DESK_EV_OPEN, .arg = 0, .state = DESK_LOADING_CARD, .fx = "LOAD_CARD"},
	    {.ev = DESK_EV_BACK, .state = DESK_RESULTS, .fx = ""},
	    {.ev = DESK_EV_CARD, .state = DESK_RESULTS, .fx = ""},
	};
	RUN(r, failures);
	assert_int_equal(r->f.session.card.resident.name_masked[0], 0); /* not kept */
	free(r);
}

/* ---- actions ---- */

static void test_every_action(void **state)
{
	(void)state;
	static const struct {
		enum desk_action act;
		int arg;
		const char *note;
		const char *fx;    /* the effect */
		const char *audit; /* its audit record */
	} table[] = {
	    {DESK_ACT_PRINT_LABEL, DESK_LABEL_DOOR, "", "PRINT_LABEL", "AUDIT_PRINT_LABEL"},
	    {DESK_ACT_PRINT_LABEL, DESK_LABEL_MEAL, "", "PRINT_LABEL", "AUDIT_PRINT_LABEL"},
	    {DESK_ACT_PRINT_LABEL, DESK_LABEL_TUBE, "", "PRINT_LABEL", "AUDIT_PRINT_LABEL"},
	    {DESK_ACT_REPRINT_BAND, 0, "lost", "REPRINT_BAND", "AUDIT_REPRINT_BAND"},
	    {DESK_ACT_VOID_BAND, 0, "found in corridor", "VOID_BAND", "AUDIT_VOID_BAND"},
	    {DESK_ACT_SET_RISK, RISK_RED, "fever 38.9", "SET_RISK", "AUDIT_SET_RISK"},
	    {DESK_ACT_SET_RISK, RISK_GREEN, "second assessment", "SET_RISK", "AUDIT_SET_RISK"},
	    {DESK_ACT_RELEASE, 0, "", "SET_STATUS", "AUDIT_RELEASE"},
	    {DESK_ACT_TRANSFER, 0, "ambulance 120", "SET_STATUS", "AUDIT_TRANSFER"},
	    {DESK_ACT_EXTEND, 7, "positive test day 12", "EXTEND", "AUDIT_EXTEND"},
	};
	struct desk_config c = config_test();
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct run *r = run_new(&c);
		RUN(r, sign_in);
		RUN(r, to_card);
		char done_fx[64];
		snprintf(done_fx, sizeof(done_fx), "%s LOAD_CARD", table[i].audit);
		char fail_fx[64];
		snprintf(fail_fx, sizeof(fail_fx), "%s LOAD_CARD", table[i].audit);
		const struct row rows[] = {
		    /* cancel: nothing happens */
		    {.dt = 500,
		     .ev = DESK_EV_ACTION,
		     .act = table[i].act,
		     .arg = table[i].arg,
		     .text = table[i].note,
		     .state = DESK_CONFIRM,
		     .fx = ""},
		    {.dt = 500, .ev = DESK_EV_CANCEL, .state = DESK_CARD, .fx = ""},
		    {.ev = DESK_EV_CONFIRM, .state = DESK_CARD, .fx = ""},
		    /* back from the confirmation is a cancel too */
		    {.dt = 500,
		     .ev = DESK_EV_ACTION,
		     .act = table[i].act,
		     .arg = table[i].arg,
		     .text = table[i].note,
		     .state = DESK_CONFIRM,
		     .fx = ""},
		    {.dt = 500, .ev = DESK_EV_BACK, .state = DESK_CARD, .fx = ""},
		    /* confirm: carried out, audited with its outcome, the card read again */
		    {.dt = 500,
		     .ev = DESK_EV_ACTION,
		     .act = table[i].act,
		     .arg = table[i].arg,
		     .text = table[i].note,
		     .state = DESK_CONFIRM,
		     .fx = ""},
		    {.dt = 500, .ev = DESK_EV_CONFIRM, .state = DESK_WORKING, .fx = table[i].fx},
		    {.ev = DESK_EV_CONFIRM, .state = DESK_WORKING, .fx = ""},
		    {.ev = DESK_EV_BACK, .state = DESK_WORKING, .fx = ""},
		    {.ev = DESK_EV_DONE, .stale = true, .state = DESK_WORKING, .fx = ""},
		    {.dt = 300, .ev = DESK_EV_DONE, .state = DESK_LOADING_CARD, .fx = done_fx},
		    {.ev = DESK_EV_DONE, .state = DESK_LOADING_CARD, .fx = ""},
		    /* no second view audit for the reload */
		    {.dt = 50, .ev = DESK_EV_CARD, .state = DESK_CARD, .fx = ""},
		};
		print_message("action %zu: %s\n", i, desk_action_name(table[i].act));
		RUN(r, rows);
		assert_int_equal(r->f.session.done_action, table[i].act);
		assert_int_equal(r->f.session.done_reason, REASON_OK);
		assert_int_equal(r->f.session.done_serial,
		                 table[i].act == DESK_ACT_REPRINT_BAND ? 4800 : 0);

		/* the action's payload: who, whom, what */
		const struct desk_change *ch = &r->kept.fx[0].change;
		assert_string_equal(ch->badge, "S-1");
		assert_string_equal(ch->arrival_id, "A001");
		assert_string_equal(ch->room, "1203");
		assert_int_equal(ch->serial, 4711);
		assert_string_equal(ch->note, table[i].note);
		switch (table[i].act) {
		case DESK_ACT_PRINT_LABEL:
			assert_int_equal(ch->label, table[i].arg);
			assert_string_equal(ch->diet,
			                    table[i].arg == DESK_LABEL_MEAL ? "清真 halal" : "");
			break;
		case DESK_ACT_SET_RISK:
			assert_int_equal(ch->risk, table[i].arg);
			break;
		case DESK_ACT_RELEASE:
			assert_int_equal(ch->status, RESIDENT_RELEASED);
			break;
		case DESK_ACT_TRANSFER:
			assert_int_equal(ch->status, RESIDENT_TRANSFERRED);
			break;
		case DESK_ACT_EXTEND: {
			assert_int_equal(ch->days, 7);
			struct desk_card card;
			card_of(CARD_OK, &card);
			assert_int_equal(ch->from_day, card.resident.plan.release_day);
			/* what the wiring does with it: the release moves 7 days */
			struct policy_plan plan = card.resident.plan;
			assert_int_equal(policy_plan_extend(&plan, ch->from_day, ch->days), 0);
			assert_int_equal(plan.release_day, card.resident.plan.release_day + 7);
			break;
		}
		default:
			break;
		}

		/* failure: audited with the reason, shown on the card */
		const struct row fail_rows[] = {
		    {.dt = 500,
		     .ev = DESK_EV_ACTION,
		     .act = table[i].act,
		     .arg = table[i].arg,
		     .text = table[i].note,
		     .state = DESK_CONFIRM,
		     .fx = ""},
		    {.dt = 500, .ev = DESK_EV_CONFIRM, .state = DESK_WORKING, .fx = table[i].fx},
		    {.dt = 300,
		     .ev = DESK_EV_DONE,
		     .why = REASON_PRINTER_FAILED,
		     .state = DESK_LOADING_CARD,
		     .fx = fail_fx},
		};
		RUN(r, fail_rows);
		const struct desk_effect *au = &r->fx.fx[0];
		assert_int_equal(au->audit.outcome, REASON_PRINTER_FAILED);
		assert_string_equal(au->audit.change.badge, "S-1");
		assert_string_equal(au->audit.change.arrival_id, "A001");
		assert_string_equal(au->audit.change.note, table[i].note);
		assert_string_equal(au->audit.change.diet, ""); /* never in the audit log */
		const struct row reload[] = {
		    {.dt = 50, .ev = DESK_EV_CARD, .state = DESK_CARD, .fx = ""},
		    /* silence: audited as unknown, the card read again */
		    {.dt = 500,
		     .ev = DESK_EV_ACTION,
		     .act = table[i].act,
		     .arg = table[i].arg,
		     .text = table[i].note,
		     .state = DESK_CONFIRM,
		     .fx = ""},
		    {.dt = 500, .ev = DESK_EV_CONFIRM, .state = DESK_WORKING, .fx = table[i].fx},
		    {.dt = 10000, .ev = DESK_EV_NONE, .state = DESK_LOADING_CARD, .fx = fail_fx},
		    {.dt = 10, .ev = DESK_EV_CARD, .state = DESK_CARD, .fx = ""},
		};
		RUN(r, reload);
		assert_int_equal(r->f.session.done_reason, REASON_TIMEOUT);
		assert_int_equal(r->f.session.done_action, table[i].act);
		free(r);
	}
}

static void test_refused_requests(void **state)
{
	(void)state;
	static const struct {
		enum card_kind card;
		enum desk_action act;
		int arg;
		const char *note;
		enum reason want;
	} table[] = {
	    {CARD_OK, DESK_ACT_NONE, 0, "x", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_COUNT, 0, "x", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_PRINT_LABEL, DESK_LABEL_COUNT, "", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_PRINT_LABEL, -1, "", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_VOID_BAND, 0, "", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_VOID_BAND, 0, " \t ", REASON_BAD_REQUEST},
	    {CARD_NO_BAND, DESK_ACT_VOID_BAND, 0, "lost", REASON_NOT_FOUND},
	    {CARD_RELEASED, DESK_ACT_VOID_BAND, 0, "left site", REASON_OK},
	    {CARD_TRANSFERRED, DESK_ACT_VOID_BAND, 0, "left site", REASON_OK},
	    {CARD_OK, DESK_ACT_SET_RISK, RISK_ORANGE, "", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_SET_RISK, RISK_COUNT, "why", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_TRANSFER, 0, "", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_EXTEND, 0, "why", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_EXTEND, POLICY_EXTEND_MAX + 1, "why", REASON_BAD_REQUEST},
	    {CARD_OK, DESK_ACT_EXTEND, POLICY_EXTEND_MAX, "why", REASON_OK},
	    {CARD_OK, DESK_ACT_EXTEND, 3, "", REASON_BAD_REQUEST},
	    {CARD_NO_BAND, DESK_ACT_REPRINT_BAND, 0, "", REASON_OK},
	    {CARD_RELEASED, DESK_ACT_PRINT_LABEL, DESK_LABEL_MEAL, "", REASON_RELEASED},
	    {CARD_RELEASED, DESK_ACT_RELEASE, 0, "", REASON_RELEASED},
	    {CARD_RELEASED, DESK_ACT_EXTEND, 3, "why", REASON_RELEASED},
	    {CARD_TRANSFERRED, DESK_ACT_REPRINT_BAND, 0, "", REASON_TRANSFERRED},
	    {CARD_TRANSFERRED, DESK_ACT_SET_RISK, RISK_RED, "why", REASON_TRANSFERRED},
	    {CARD_TRANSFERRED, DESK_ACT_TRANSFER, 0, "why", REASON_TRANSFERRED},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct desk_card card;
		card_of(table[i].card, &card);
		struct desk_request q = {.action = table[i].act,
		                         .label = (enum desk_label)table[i].arg,
		                         .risk = (enum risk)table[i].arg,
		                         .days = table[i].arg};
		snprintf(q.note, sizeof(q.note), "%s", table[i].note);
		print_message("request %zu: %s -> %s\n", i, desk_action_name(table[i].act),
		              reason_code(table[i].want));
		assert_int_equal(flow_frontdesk_check_request(&card, &q), table[i].want);
	}
	/* a note without its NUL */
	struct desk_card card;
	card_of(CARD_OK, &card);
	struct desk_request q = {.action = DESK_ACT_RELEASE};
	memset(q.note, 'n', sizeof(q.note));
	assert_int_equal(flow_frontdesk_check_request(&card, &q), REASON_BAD_REQUEST);

	/* through the flow: refused on the card, nothing sent, nothing audited */
	struct desk_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, sign_in);
	const struct row rows[] = {
	    {.dt = 1000,
	     .ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_ROOM,
	     .text = "1203",
	     .state = DESK_SEARCHING,
	     .fx = "SEARCH"},
	    {.dt = 50,
	     .ev = DESK_EV_RESULTS,
	     .arg = 1,
	     .state = DESK_LOADING_CARD,
	     .fx = "LOAD_CARD"},
	    {.dt = 50,
	     .ev = DESK_EV_CARD,
	     .card = CARD_RELEASED,
	     .state = DESK_CARD,
	     .fx = "AUDIT_VIEW_CARD"},
	    {.ev = DESK_EV_ACTION,
	     .act = DESK_ACT_EXTEND,
	     .arg = 3,
	     .text = "why",
	     .state = DESK_CARD,
	     .notice = REASON_RELEASED,
	     .fx = ""},
	    {.ev = DESK_EV_CONFIRM, .state = DESK_CARD, .notice = REASON_RELEASED, .fx = ""},
	    {.ev = DESK_EV_ACTION,
	     .act = DESK_ACT_VOID_BAND,
	     .text = "",
	     .state = DESK_CARD,
	     .notice = REASON_BAD_REQUEST,
	     .fx = ""},
	    {.ev = DESK_EV_ACTION,
	     .act = DESK_ACT_VOID_BAND,
	     .text = "left",
	     .state = DESK_CONFIRM,
	     .fx = ""},
	};
	RUN(r, rows);
	free(r);
}

/* ---- occupancy ---- */

static void room_set(struct desk_room *r, const char *number, int floor, enum room_state st,
                     enum risk risk)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->number, sizeof(r->number), "%s", number);
	r->floor = floor;
	r->state = st;
	r->risk = risk;
	r->occupants = st == ROOM_OCCUPIED ? 1 : 0;
	r->capacity = 2;
}

static void test_occupancy(void **state)
{
	(void)state;
	struct desk_occupancy *occ = calloc(1, sizeof(*occ));
	assert_non_null(occ);
	room_set(&occ->rooms[0], "1202", 12, ROOM_OCCUPIED, RISK_RED);
	room_set(&occ->rooms[1], "902", 9, ROOM_FREE, RISK_GREEN);
	room_set(&occ->rooms[2], "1201", 12, ROOM_CLEANING, RISK_GREEN);
	room_set(&occ->rooms[3], "910", 9, ROOM_OCCUPIED, RISK_YELLOW);
	room_set(&occ->rooms[4], "1203", 12, (enum room_state)9, RISK_GREEN); /* dropped */
	room_set(&occ->rooms[5], "1204", 12, ROOM_OCCUPIED, (enum risk) - 3); /* dropped */
	room_set(&occ->rooms[6], "1001", 10, ROOM_BLOCKED, RISK_GREEN);
	room_set(&occ->rooms[7], "1205", 12, ROOM_OCCUPIED, RISK_YELLOW);
	occ->room_count = 8;
	desk_occupancy_tally(occ);
	assert_int_equal(occ->room_count, 6);
	const char *order[] = {"902", "910", "1001", "1201", "1202", "1205"};
	for (int i = 0; i < 6; i++)
		assert_string_equal(occ->rooms[i].number, order[i]);
	assert_string_equal(occ->rooms[6].number, ""); /* the rest zeroed */
	assert_int_equal(occ->counts[ROOM_FREE], 1);
	assert_int_equal(occ->counts[ROOM_OCCUPIED], 3);
	assert_int_equal(occ->counts[ROOM_CLEANING], 1);
	assert_int_equal(occ->counts[ROOM_BLOCKED], 1);
	assert_int_equal(occ->risk_counts[RISK_RED], 1);
	assert_int_equal(occ->risk_counts[RISK_YELLOW], 2);
	assert_int_equal(occ->risk_counts[RISK_GREEN], 0);
	assert_int_equal(occ->floor_count, 3);
	assert_int_equal(occ->floors[0].floor, 9);
	assert_int_equal(occ->floors[0].rooms, 2);
	assert_int_equal(occ->floors[2].floor, 12);
	assert_int_equal(occ->floors[2].rooms, 3);
	assert_int_equal(occ->floors[2].counts[ROOM_OCCUPIED], 2);
	/* a count out of range is clamped, never read beyond the array */
	occ->room_count = DESK_OCC_ROOMS_MAX + 5;
	desk_occupancy_tally(occ);
	assert_int_equal(occ->room_count, DESK_OCC_ROOMS_MAX); /* zeroed rooms read as free */
	free(occ);

	/* more floors than rows: every room still counted */
	occ = calloc(1, sizeof(*occ));
	assert_non_null(occ);
	for (int i = 0; i < DESK_OCC_FLOORS_MAX + 6; i++) {
		char n[16];
		snprintf(n, sizeof(n), "%d01", i + 1);
		room_set(&occ->rooms[i], n, i + 1, ROOM_FREE, RISK_GREEN);
	}
	occ->room_count = DESK_OCC_FLOORS_MAX + 6;
	desk_occupancy_tally(occ);
	assert_int_equal(occ->floor_count, DESK_OCC_FLOORS_MAX);
	assert_int_equal(occ->counts[ROOM_FREE], DESK_OCC_FLOORS_MAX + 6);
	free(occ);

	/* through the flow */
	struct desk_config c = config_test();
	struct run *r = run_new(&c);
	RUN(r, sign_in);
	const struct row rows[] = {
	    {.ev = DESK_EV_OCCUPANCY_OPEN, .state = DESK_LOADING_OCCUPANCY, .fx = "LOAD_OCCUPANCY"},
	    {.ev = DESK_EV_OCCUPANCY, .stale = true, .state = DESK_LOADING_OCCUPANCY, .fx = ""},
	    {.dt = 200, .ev = DESK_EV_OCCUPANCY, .state = DESK_OCCUPANCY, .fx = ""},
	};
	RUN(r, rows);
	assert_int_equal(r->f.session.occ.room_count, 3);
	assert_string_equal(r->f.session.occ.rooms[0].number, "301");
	assert_int_equal(r->f.session.occ.counts[ROOM_CLEANING], 1);
	const struct row more[] = {
	    {.ev = DESK_EV_BACK, .state = DESK_HOME, .fx = ""},
	    {.ev = DESK_EV_OCCUPANCY_OPEN, .state = DESK_LOADING_OCCUPANCY, .fx = "LOAD_OCCUPANCY"},
	    {.ev = DESK_EV_OCCUPANCY,
	     .why = REASON_LOOKUP_FAILED,
	     .state = DESK_HOME,
	     .notice = REASON_LOOKUP_FAILED,
	     .fx = ""},
	    {.ev = DESK_EV_OCCUPANCY_OPEN, .state = DESK_LOADING_OCCUPANCY, .fx = "LOAD_OCCUPANCY"},
	    {.dt = 10000,
	     .ev = DESK_EV_NONE,
	     .state = DESK_HOME,
	     .notice = REASON_TIMEOUT,
	     .fx = ""},
	    /* from a card: the card is left */
	    {.dt = 1000,
	     .ev = DESK_EV_SEARCH,
	     .arg = DESK_BY_ROOM,
	     .text = "1203",
	     .state = DESK_SEARCHING,
	     .fx = "SEARCH"},
	    {.dt = 50,
	     .ev = DESK_EV_RESULTS,
	     .arg = 1,
	     .state = DESK_LOADING_CARD,
	     .fx = "LOAD_CARD"},
	    {.dt = 50, .ev = DESK_EV_CARD, .state = DESK_CARD, .fx = "AUDIT_VIEW_CARD"},
	    {.ev = DESK_EV_OCCUPANCY_OPEN, .state = DESK_LOADING_OCCUPANCY, .fx = "LOAD_OCCUPANCY"},
	};
	RUN(r, more);
	assert_int_equal(r->f.session.card.resident.name_masked[0], 0);
	free(r);
}

/* ---- configuration and names ---- */

static void test_config_and_names(void **state)
{
	(void)state;
	struct flow_frontdesk *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(flow_frontdesk_init(f, NULL), 0);
	assert_int_equal(f->cfg.pin_attempts, 3);
	struct desk_config bad[5];
	for (int i = 0; i < 5; i++)
		flow_frontdesk_config_defaults(&bad[i]);
	bad[0].idle_ms = 0;
	bad[1].pin_idle_ms = -1;
	bad[2].reply_ms = 0;
	bad[3].pin_attempts = 0;
	bad[4].lockout_ms = 0;
	for (int i = 0; i < 5; i++) {
		bad[i].idle_ms += 1; /* so a default value cannot pass by accident */
		if (i == 0)
			bad[i].idle_ms = 0;
		assert_int_equal(flow_frontdesk_init(f, &bad[i]), -EINVAL);
		assert_int_equal(f->cfg.idle_ms, 120000);
	}
	assert_int_equal(f->state, DESK_SIGNED_OUT);
	assert_string_equal(desk_state_name(DESK_LOADING_OCCUPANCY), "LOADING_OCCUPANCY");
	assert_string_equal(desk_state_name(DESK_STATE_COUNT), "?");
	assert_string_equal(desk_search_by_name(DESK_BY_BAND), "band");
	assert_string_equal(desk_label_name(DESK_LABEL_TUBE), "tube");
	assert_string_equal(desk_action_name(DESK_ACT_EXTEND), "extend");
	assert_string_equal(desk_event_kind_name(DESK_EV_SIGN_OUT), "DESK_EV_SIGN_OUT");
	assert_string_equal(desk_effect_kind_name(DESK_FX_CLEAR), "DESK_FX_CLEAR");
	assert_string_equal(audit_action_name(AUDIT_EXTEND), "AUDIT_EXTEND");
	assert_string_equal(audit_action_name(AUDIT_STAFF_LOCKED_ATTEMPT),
	                    "AUDIT_STAFF_LOCKED_ATTEMPT");
	assert_string_equal(reason_code(REASON_LOCKED_OUT), "E_LOCKED_OUT");
	free(f);
}

/* ---- random event storms ---- */

static uint64_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static uint32_t rng_below(uint32_t n)
{
	return rng() % n;
}

static void storm_event(struct desk_event *ev, uint32_t last_ticket)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = (enum desk_event_kind)rng_below(DESK_EV_KIND_COUNT + 1);
	ev->ticket = rng_below(5) ? last_ticket : rng();
	switch (ev->kind) {
	case DESK_EV_BADGE:
		snprintf(ev->badge.id, sizeof(ev->badge.id), "S-%u", rng_below(3));
		break;
	case DESK_EV_PIN:
		if (rng_below(6))
			snprintf(ev->pin.digits, sizeof(ev->pin.digits), "%u", rng_below(10000));
		else
			memset(ev->pin.digits, '7', sizeof(ev->pin.digits));
		break;
	case DESK_EV_SEARCH:
		ev->search.by = (enum desk_search_by)rng_below(DESK_BY_COUNT + 1);
		if (rng_below(8))
			snprintf(ev->search.query, sizeof(ev->search.query), "%u", rng_below(2000));
		else
			memset(ev->search.query, 'q', sizeof(ev->search.query));
		break;
	case DESK_EV_RESULTS:
		ev->results.reason = rng_below(6) ? REASON_OK : REASON_LOOKUP_FAILED;
		results_of((int)rng_below(DESK_RESULTS_MAX + 3) - 1, ev);
		if (rng_below(10) == 0)
			ev->results.rows[0].risk = (enum risk)77;
		if (rng_below(10) == 0)
			memset(ev->results.rows[0].arrival_id, 'z',
			       sizeof(ev->results.rows[0].arrival_id));
		break;
	case DESK_EV_OPEN:
		ev->open.index = (int)rng_below(DESK_RESULTS_MAX + 2) - 1;
		break;
	case DESK_EV_CARD:
		ev->card.reason =
		    rng_below(6) ? REASON_OK : (enum reason)rng_below(REASON_COUNT + 2);
		card_of((enum card_kind)rng_below(6), &ev->card.card);
		ev->card.card.risk_count = (int)rng_below(DESK_HISTORY_MAX + 4) - 2;
		if (rng_below(8) == 0)
			memset(ev->card.card.diet, 'd', sizeof(ev->card.card.diet));
		break;
	case DESK_EV_ACTION:
		ev->action.action = (enum desk_action)rng_below(DESK_ACT_COUNT + 1);
		ev->action.label = (enum desk_label)rng_below(DESK_LABEL_COUNT + 1);
		ev->action.risk = (enum risk)rng_below(RISK_COUNT + 1);
		ev->action.days = (int)rng_below(20) - 2;
		if (rng_below(4))
			snprintf(ev->action.note, sizeof(ev->action.note), "n%u", rng_below(9));
		break;
	case DESK_EV_DONE:
		ev->done.reason =
		    rng_below(3) ? REASON_OK : (enum reason)rng_below(REASON_COUNT + 2);
		ev->done.serial = rng();
		break;
	case DESK_EV_OCCUPANCY:
		ev->occupancy.reason = rng_below(6) ? REASON_OK : REASON_LOOKUP_FAILED;
		ev->occupancy.occ.room_count = (int)rng_below(40) - 3;
		for (int i = 0; i < 40; i++) {
			ev->occupancy.occ.rooms[i].floor = (int)rng_below(5);
			ev->occupancy.occ.rooms[i].state =
			    (enum room_state)rng_below(ROOM_STATE_COUNT + 1);
			snprintf(ev->occupancy.occ.rooms[i].number, FLOW_ROOM_MAX, "%u",
			         rng_below(500));
		}
		break;
	default:
		break;
	}
}

/* An event that fits the screen, so the storm reaches the deep states. */
static void storm_guided(struct desk_event *ev, const struct flow_frontdesk *f, uint32_t ticket)
{
	static const enum desk_event_kind by_state[DESK_STATE_COUNT][3] = {
	    [DESK_SIGNED_OUT] = {DESK_EV_BADGE, DESK_EV_BADGE, DESK_EV_TICK},
	    [DESK_PIN] = {DESK_EV_PIN, DESK_EV_PIN, DESK_EV_CANCEL},
	    [DESK_PIN_CHECK] = {DESK_EV_PIN_OK, DESK_EV_PIN_BAD, DESK_EV_PIN_OK},
	    [DESK_HOME] = {DESK_EV_SEARCH, DESK_EV_SEARCH, DESK_EV_OCCUPANCY_OPEN},
	    [DESK_SEARCHING] = {DESK_EV_RESULTS, DESK_EV_RESULTS, DESK_EV_BACK},
	    [DESK_RESULTS] = {DESK_EV_OPEN, DESK_EV_OPEN, DESK_EV_BACK},
	    [DESK_LOADING_CARD] = {DESK_EV_CARD, DESK_EV_CARD, DESK_EV_CARD},
	    [DESK_CARD] = {DESK_EV_ACTION, DESK_EV_ACTION, DESK_EV_BACK},
	    [DESK_CONFIRM] = {DESK_EV_CONFIRM, DESK_EV_CONFIRM, DESK_EV_CANCEL},
	    [DESK_WORKING] = {DESK_EV_DONE, DESK_EV_DONE, DESK_EV_TICK},
	    [DESK_LOADING_OCCUPANCY] = {DESK_EV_OCCUPANCY, DESK_EV_OCCUPANCY, DESK_EV_TICK},
	    [DESK_OCCUPANCY] = {DESK_EV_BACK, DESK_EV_SIGN_OUT, DESK_EV_SEARCH},
	};
	enum desk_event_kind k = by_state[f->state][rng_below(3)];
	do {
		storm_event(ev, ticket);
	} while (ev->kind != k && rng_below(50)); /* same kind, random payload */
	ev->kind = k;
	ev->ticket = ticket;
	if (k == DESK_EV_SEARCH) {
		ev->search.by = DESK_BY_ROOM;
		snprintf(ev->search.query, sizeof(ev->search.query), "%u", rng_below(2000));
	}
	if (k == DESK_EV_CARD && rng_below(4)) {
		ev->card.reason = REASON_OK;
		card_of((enum card_kind)rng_below(4), &ev->card.card);
		snprintf(ev->card.card.resident.arrival_id, FLOW_ARRIVAL_ID_MAX, "%s",
		         f->session.arrival_id);
	}
	if (k == DESK_EV_ACTION && rng_below(2)) {
		ev->action.action = (enum desk_action)(1 + rng_below(DESK_ACT_COUNT - 1));
		ev->action.days = 1 + (int)rng_below(9);
		ev->action.label = (enum desk_label)rng_below(DESK_LABEL_COUNT);
		ev->action.risk = (enum risk)rng_below(RISK_COUNT);
		snprintf(ev->action.note, sizeof(ev->action.note), "why");
	}
}

static void test_random_storms(void **state)
{
	(void)state;
	struct desk_config cfgs[2];
	flow_frontdesk_config_defaults(&cfgs[0]);
	flow_frontdesk_config_defaults(&cfgs[1]);
	cfgs[1].pin_attempts = 1;
	cfgs[1].lockout_ms = 20000;
	cfgs[1].idle_ms = 15000;
	cfgs[1].reply_ms = 3000;
	struct flow_frontdesk *f = calloc(1, sizeof(*f));
	struct desk_effects *out = calloc(1, sizeof(*out));
	struct desk_event *ev = calloc(1, sizeof(*ev));
	assert_non_null(f);
	assert_non_null(out);
	assert_non_null(ev);
	int seen_state[DESK_STATE_COUNT] = {0}, seen_fx[DESK_FX_KIND_COUNT] = {0};
	int seen_audit[AUDIT_ACTION_COUNT] = {0};
	rng_state = 0x853c49e6748fea9bULL;
	for (int round = 0; round < 20; round++) {
		assert_int_equal(flow_frontdesk_init(f, &cfgs[round % 2]), 0);
		int64_t now = (int64_t)rng_below(1000000);
		uint32_t ticket = 0;
		bool signed_in = false;
		enum desk_action confirmed = DESK_ACT_NONE; /* in flight, awaiting its audit */
		for (int i = 0; i < 3000; i++) {
			uint32_t jump = rng_below(100);
			now += jump < 85   ? rng_below(2000)
			       : jump < 99 ? rng_below(20000)
			                   : rng_below(200000);
			if (rng_below(10) < 7)
				storm_guided(ev, f, ticket);
			else
				storm_event(ev, ticket);
			enum desk_state before = f->state;
			bool was_locked = f->locked_until_ms && now < f->locked_until_ms;
			flow_frontdesk_step(f, rng_below(40) ? ev : NULL, now, out);
			/* worst case: an action times out (audit, reload), the idle time is up
			 * (audit, clear), a badge in a lockout (audit) */
			assert_true(out->count >= 0 && out->count <= 5);
			assert_false(out->overflow);
			assert_true((unsigned)f->state < DESK_STATE_COUNT);
			assert_true((unsigned)f->notice < REASON_COUNT);
			seen_state[f->state]++;
			int checks = 0;
			for (int k = 0; k < out->count; k++) {
				const struct desk_effect *x = &out->fx[k];
				assert_true(x->kind > DESK_FX_NONE && x->kind < DESK_FX_KIND_COUNT);
				seen_fx[x->kind]++;
				if (x->ticket)
					ticket = x->ticket;
				switch (x->kind) {
				case DESK_FX_CHECK_PIN:
					checks++;
					assert_false(was_locked); /* never checked in a lockout */
					assert_int_equal(before, DESK_PIN);
					break;
				case DESK_FX_PRINT_LABEL:
				case DESK_FX_REPRINT_BAND:
				case DESK_FX_VOID_BAND:
				case DESK_FX_SET_RISK:
				case DESK_FX_SET_STATUS:
				case DESK_FX_EXTEND:
					/* only after a confirmation, by someone signed in */
					assert_int_equal(before, DESK_CONFIRM);
					assert_true(signed_in);
					assert_true(x->change.badge[0] != 0);
					assert_true(x->change.arrival_id[0] != 0);
					assert_int_equal(confirmed, DESK_ACT_NONE);
					confirmed = f->session.request.action;
					break;
				case DESK_FX_AUDIT:
					seen_audit[x->audit.action]++;
					assert_true((unsigned)x->audit.action < AUDIT_ACTION_COUNT);
					assert_true(x->audit.change.badge[0] != 0);
					assert_int_equal(x->audit.change.diet[0], 0);
					if (x->audit.action >= AUDIT_PRINT_LABEL) {
						/* every confirmed action audited exactly once */
						assert_true(confirmed != DESK_ACT_NONE);
						confirmed = DESK_ACT_NONE;
					}
					if (x->audit.action == AUDIT_STAFF_LOGIN)
						signed_in = true;
					if (x->audit.action == AUDIT_STAFF_LOGOUT) {
						assert_true(signed_in);
						signed_in = false;
					}
					break;
				case DESK_FX_CLEAR:
					assert_false(signed_in);
					break;
				default:
					break;
				}
			}
			assert_true(checks <= 1);
			assert_int_equal(signed_in, flow_frontdesk_signed_in(f));
			if (!signed_in && f->state != DESK_PIN && f->state != DESK_PIN_CHECK)
				assert_false(flow_frontdesk_has_personal_data(f));
			if (f->state == DESK_WORKING)
				assert_true(confirmed != DESK_ACT_NONE);
			else
				assert_int_equal(confirmed, DESK_ACT_NONE);
			if (f->state == DESK_CARD || f->state == DESK_CONFIRM)
				assert_string_equal(f->session.card.resident.arrival_id,
				                    f->session.arrival_id);
			assert_true(f->session.result_count >= 0 &&
			            f->session.result_count <= DESK_RESULTS_MAX);
			assert_true(f->session.occ.room_count >= 0 &&
			            f->session.occ.room_count <= DESK_OCC_ROOMS_MAX);
		}
	}
	for (int s = 0; s < DESK_STATE_COUNT; s++) {
		print_message("state %-18s %d\n", desk_state_name((enum desk_state)s),
		              seen_state[s]);
		assert_true(seen_state[s] > 0);
	}
	for (int k = DESK_FX_CHECK_PIN; k < DESK_FX_KIND_COUNT; k++) {
		print_message("%-24s %d\n", desk_effect_kind_name((enum desk_effect_kind)k),
		              seen_fx[k]);
		assert_true(seen_fx[k] > 0);
	}
	for (int a = AUDIT_STAFF_LOGIN; a < AUDIT_ACTION_COUNT; a++) {
		if ((a >= AUDIT_APPROVE_ADMIT && a <= AUDIT_END_SESSION) ||
		    a == AUDIT_APPROVE_NO_ROOM || a == AUDIT_DENY_NO_ROOM)
			continue; /* the entrance's */
		print_message("%-28s %d\n", audit_action_name((enum audit_action)a), seen_audit[a]);
		assert_true(seen_audit[a] > 0);
	}
	free(ev);
	free(out);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sign_in_and_out),
	    cmocka_unit_test(test_pin_lockout),
	    cmocka_unit_test(test_idle_sign_out_and_takeover),
	    cmocka_unit_test(test_search_and_card),
	    cmocka_unit_test(test_every_action),
	    cmocka_unit_test(test_refused_requests),
	    cmocka_unit_test(test_occupancy),
	    cmocka_unit_test(test_config_and_names),
	    cmocka_unit_test(test_random_storms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
