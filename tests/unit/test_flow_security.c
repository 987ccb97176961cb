/* tests/unit/test_flow_security.c: the security post's checkpoint flow: the verdict table
 * (every colour and reason), checkpoint rules, the repeat window, stale answers, timeouts and
 * the wipe, the data age, real signed tokens end to end, and random event storms against
 * the invariants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/flow_security.h"

#define UNIX0 1669700000 /* 2022-11-29 05:33 UTC, 13:33 in the station */

/* ---- answers the fake replica gives ---- */

enum ans {
	A_NONE,
	A_OK,           /* floor 12, inbound, in quarantine */
	A_FLOOR3,       /* floor 3 */
	A_CLOSE,        /* floor 12, close contact */
	A_RELEASED,     /* floor 12, released */
	A_TRANSFERRED,  /* floor 12, transferred to hospital */
	A_VOID,         /* band voided */
	A_REPLACED,     /* band replaced by a reprint */
	A_UNKNOWN_BAND, /* genuine, not in the replica */
	A_NO_RESIDENT,  /* band active, resident missing */
	A_FORGED,       /* bad signature */
	A_WRONG_STATION,
	A_NOT_BAND,
	A_MALFORMED,
	A_UNSUPPORTED,
	A_UNVERIFIABLE,
	A_STORE_FAILED, /* the replica could not be read */
	A_BAD_RISK,     /* risk out of range */
	A_BAD_STATUS,   /* status out of range */
	A_BAD_BAND,     /* band state out of range */
	A_BAD_TOKEN,    /* token result out of range */
	ANS_COUNT
};

static struct policy_plan plan_of(int64_t arrived)
{
	struct policy p;
	struct policy_plan plan;
	policy_defaults(&p);
	assert_int_equal(policy_plan_make(&p, CATEGORY_INBOUND, NULL, arrived, &plan), 0);
	return plan;
}

static void answer_of(enum ans a, struct sec_lookup *out)
{
	memset(out, 0, sizeof(*out));
	out->reason = REASON_OK;
	out->token = WRISTBAND_OK;
	snprintf(out->band.station, sizeof(out->band.station), "SZ01");
	out->band.serial = 4711;
	snprintf(out->band.room, sizeof(out->band.room), "1203");
	out->band_state = SEC_BAND_ACTIVE;
	out->has_resident = true;
	struct resident *r = &out->resident;
	snprintf(r->arrival_id, sizeof(r->arrival_id), "A001");
	snprintf(r->name_masked, sizeof(r->name_masked), "张*三");
	snprintf(r->room, sizeof(r->room), "1203");
	r->floor = 12;
	r->risk = RISK_ORANGE;
	r->category = CATEGORY_INBOUND;
	r->care = RESIDENT_CARE_ELDERLY | RESIDENT_CARE_PSYCH;
	r->status = RESIDENT_IN_QUARANTINE;
	r->plan = plan_of(UNIX0 - 3 * 86400); /* arrived three days ago at 13:33: day 3 */
	switch (a) {
	case A_FLOOR3:
		r->floor = 3;
		snprintf(r->room, sizeof(r->room), "0305");
		break;
	case A_CLOSE:
		r->category = CATEGORY_CLOSE_CONTACT;
		break;
	case A_RELEASED:
		r->status = RESIDENT_RELEASED;
		break;
	case A_TRANSFERRED:
		r->status = RESIDENT_TRANSFERRED;
		break;
	case A_VOID:
		out->band_state = SEC_BAND_VOID;
		break;
	case A_REPLACED:
		out->band_state = SEC_BAND_REPLACED;
		break;
	case A_UNKNOWN_BAND:
		out->band_state = SEC_BAND_UNKNOWN;
		out->has_resident = false;
		memset(r, 0, sizeof(*r));
		break;
	case A_NO_RESIDENT:
		out->has_resident = false;
		memset(r, 0, sizeof(*r));
		break;
	case A_FORGED:
	case A_WRONG_STATION:
	case A_NOT_BAND:
	case A_MALFORMED:
	case A_UNSUPPORTED:
	case A_UNVERIFIABLE:
		memset(out, 0, sizeof(*out)); /* wristband_verify zeroes the band on failure */
		out->token = a == A_FORGED          ? WRISTBAND_BAD_SIGNATURE
		             : a == A_WRONG_STATION ? WRISTBAND_WRONG_STATION
		             : a == A_NOT_BAND      ? WRISTBAND_NOT_WRISTBAND
		             : a == A_MALFORMED     ? WRISTBAND_MALFORMED
		             : a == A_UNSUPPORTED   ? WRISTBAND_UNSUPPORTED_VERSION
		                                    : WRISTBAND_UNVERIFIABLE;
		out->band_state = SEC_BAND_UNKNOWN;
		break;
	case A_STORE_FAILED:
		out->reason = REASON_LOOKUP_FAILED;
		break;
	case A_BAD_RISK:
		r->risk = (enum risk)9;
		break;
	case A_BAD_STATUS:
		r->status = (enum resident_status)7;
		break;
	case A_BAD_BAND:
		out->band_state = (enum sec_band)11;
		break;
	case A_BAD_TOKEN:
		out->token = (enum wristband_result)42;
		break;
	default:
		break;
	}
}

/* ---- the table runner ---- */

struct row {
	int64_t dt;             /* ms the clocks move before the event */
	enum sec_event_kind ev; /* SEC_EV_NONE: a tick */
	const char *text;       /* SEC_EV_SCAN: default "HKW1.BAND-A" */
	enum ans ans;           /* SEC_EV_LOOKED_UP */
	bool stale;             /* answer with a ticket that is not awaited */
	int64_t sync_s;         /* SEC_EV_SYNCED */
	enum sec_state state;   /* expected after the row */
	enum sec_colour colour; /* expected in SEC_VERDICT */
	enum reason reason;     /* expected in SEC_VERDICT */
	const char *fx;         /* expected effects, e.g. "LOOKUP"; "" none */
};

struct run {
	struct flow_security f;
	int64_t now, unix_ms;
	uint32_t t_lookup;
	struct sec_effects fx;
	int records; /* FX_RECORD_SCAN seen */
	struct sec_effect last_record;
};

static const char *const beep_names[BEEP_COUNT] = {"BEEP_OK", "BEEP_REFUSE", "BEEP_ATTENTION",
                                                   "BEEP_CHIME"};

static void fx_describe(const struct sec_effects *e, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < e->count && i < SEC_EFFECTS_MAX; i++) {
		const struct sec_effect *x = &e->fx[i];
		const char *name = sec_effect_kind_name(x->kind) + 7; /* without "SEC_FX_" */
		if (x->kind == SEC_FX_BEEP)
			name = beep_names[x->beep.kind];
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "", name);
		if (used >= n)
			break;
	}
}

static struct run *run_new(const struct sec_config *cfg)
{
	struct run *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	assert_int_equal(flow_security_init(&r->f, cfg), 0);
	r->now = 5000000;
	r->unix_ms = (int64_t)UNIX0 * 1000;
	return r;
}

static void event_fill(const struct run *r, const struct row *w, struct sec_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = w->ev == SEC_EV_NONE ? SEC_EV_TICK : w->ev;
	switch (ev->kind) {
	case SEC_EV_SCAN:
		snprintf(ev->scan.text, sizeof(ev->scan.text), "%s",
		         w->text ? w->text : "HKW1.BAND-A");
		break;
	case SEC_EV_LOOKED_UP:
		ev->ticket = r->t_lookup + (w->stale ? 1000 : 0);
		answer_of(w->ans, &ev->lookup);
		break;
	case SEC_EV_SYNCED:
		ev->synced.unix_s = w->sync_s;
		break;
	default:
		break;
	}
}

static void step(struct run *r, const struct sec_event *ev, int64_t dt)
{
	r->now += dt;
	r->unix_ms += dt;
	flow_security_step(&r->f, ev, r->now, r->unix_ms / 1000, &r->fx);
	for (int i = 0; i < r->fx.count; i++) {
		if (r->fx.fx[i].kind == SEC_FX_LOOKUP)
			r->t_lookup = r->fx.fx[i].ticket;
		if (r->fx.fx[i].kind == SEC_FX_RECORD_SCAN) {
			r->records++;
			r->last_record = r->fx.fx[i];
		}
	}
}

static void run_rows(struct run *r, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct row *w = &rows[i];
		struct sec_event ev;
		event_fill(r, w, &ev);
		step(r, &ev, w->dt);
		char got[256];
		fx_describe(&r->fx, got, sizeof(got));
		bool verdict_ok = r->f.state != SEC_VERDICT || (r->f.verdict.colour == w->colour &&
		                                                r->f.verdict.reason == w->reason);
		if (r->f.state != w->state || !verdict_ok || (w->fx && strcmp(got, w->fx) != 0)) {
			print_error("row %zu (%s): got %s/%s/%s [%s], want %s/%s/%s [%s]\n", i,
			            sec_event_kind_name(ev.kind), sec_state_name(r->f.state),
			            sec_colour_name(r->f.verdict.colour),
			            reason_code(r->f.verdict.reason), got, sec_state_name(w->state),
			            sec_colour_name(w->colour), reason_code(w->reason),
			            w->fx ? w->fx : "(any)");
			fail();
		}
		assert_false(r->fx.overflow);
		if (r->f.state == SEC_READY)
			assert_false(flow_security_has_personal_data(&r->f));
	}
}

#define RUN(r, rows) run_rows((r), (rows), sizeof(rows) / sizeof((rows)[0]))

static struct sec_config corridor12(void)
{
	struct sec_config c;
	flow_security_config_defaults(&c);
	snprintf(c.checkpoint, sizeof(c.checkpoint), "F12-corridor");
	c.floor_count = 1;
	c.floors[0] = 12;
	return c;
}

static struct sec_config lobby(void)
{
	struct sec_config c;
	flow_security_config_defaults(&c);
	snprintf(c.checkpoint, sizeof(c.checkpoint), "lobby");
	c.exit = true;
	return c;
}

/* ---- the verdict table: every colour and reason, through the flow ---- */

static void test_verdict_table(void **state)
{
	(void)state;
	static const struct {
		bool exit;
		enum ans ans;
		enum sec_colour colour;
		enum reason reason;
		const char *beep;
	} table[] = {
	    {false, A_OK, SEC_GREEN, REASON_OK, "BEEP_OK"},
	    {false, A_FLOOR3, SEC_RED, REASON_WRONG_PLACE, "BEEP_REFUSE"},
	    {true, A_OK, SEC_RED, REASON_WRONG_PLACE, "BEEP_REFUSE"},
	    {true, A_RELEASED, SEC_GREEN, REASON_RELEASED, "BEEP_OK"},
	    {false, A_RELEASED, SEC_AMBER, REASON_RELEASED, "BEEP_ATTENTION"},
	    {false, A_TRANSFERRED, SEC_RED, REASON_TRANSFERRED, "BEEP_REFUSE"},
	    {true, A_TRANSFERRED, SEC_AMBER, REASON_TRANSFERRED, "BEEP_ATTENTION"},
	    {false, A_VOID, SEC_RED, REASON_BAND_VOID, "BEEP_REFUSE"},
	    {true, A_VOID, SEC_RED, REASON_BAND_VOID, "BEEP_REFUSE"},
	    {false, A_REPLACED, SEC_RED, REASON_BAND_REPLACED, "BEEP_REFUSE"},
	    {false, A_UNKNOWN_BAND, SEC_AMBER, REASON_BAND_UNKNOWN, "BEEP_ATTENTION"},
	    {false, A_NO_RESIDENT, SEC_AMBER, REASON_BAND_UNKNOWN, "BEEP_ATTENTION"},
	    {false, A_FORGED, SEC_RED, REASON_BAND_FORGED, "BEEP_REFUSE"},
	    {true, A_FORGED, SEC_RED, REASON_BAND_FORGED, "BEEP_REFUSE"},
	    {false, A_WRONG_STATION, SEC_RED, REASON_WRONG_STATION, "BEEP_REFUSE"},
	    {false, A_NOT_BAND, SEC_AMBER, REASON_NOT_WRISTBAND, "BEEP_ATTENTION"},
	    {false, A_MALFORMED, SEC_RED, REASON_MALFORMED, "BEEP_REFUSE"},
	    {false, A_UNSUPPORTED, SEC_AMBER, REASON_UNSUPPORTED_VERSION, "BEEP_ATTENTION"},
	    {false, A_UNVERIFIABLE, SEC_AMBER, REASON_UNVERIFIABLE, "BEEP_ATTENTION"},
	    {false, A_STORE_FAILED, SEC_AMBER, REASON_LOOKUP_FAILED, "BEEP_ATTENTION"},
	    {false, A_BAD_RISK, SEC_AMBER, REASON_LOOKUP_FAILED, "BEEP_ATTENTION"},
	    {false, A_BAD_STATUS, SEC_AMBER, REASON_LOOKUP_FAILED, "BEEP_ATTENTION"},
	    {false, A_BAD_BAND, SEC_AMBER, REASON_LOOKUP_FAILED, "BEEP_ATTENTION"},
	    {false, A_BAD_TOKEN, SEC_AMBER, REASON_LOOKUP_FAILED, "BEEP_ATTENTION"},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct sec_config c = table[i].exit ? lobby() : corridor12();
		struct run *r = run_new(&c);
		char fx[64];
		snprintf(fx, sizeof(fx), "RECORD_SCAN %s", table[i].beep);
		const struct row rows[] = {
		    {.ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
		    {.dt = 40,
		     .ev = SEC_EV_LOOKED_UP,
		     .ans = table[i].ans,
		     .state = SEC_VERDICT,
		     .colour = table[i].colour,
		     .reason = table[i].reason,
		     .fx = fx},
		};
		print_message("verdict %zu: %s %s\n", i, sec_colour_name(table[i].colour),
		              reason_code(table[i].reason));
		RUN(r, rows);
		/* the pure table agrees with the flow */
		struct sec_lookup a;
		enum reason why = REASON_COUNT;
		answer_of(table[i].ans, &a);
		assert_int_equal(flow_security_judge(&c, &a, &why), table[i].colour);
		assert_int_equal(why, table[i].reason);
		/* what the screen shows: the resident only when the band and record were read */
		const struct sec_verdict *v = &r->f.verdict;
		bool shown = table[i].reason != REASON_LOOKUP_FAILED && a.token == WRISTBAND_OK &&
		             a.has_resident;
		assert_int_equal(v->has_resident, shown);
		if (shown) {
			assert_string_equal(v->resident.name_masked, "张*三");
			assert_int_equal(v->resident.care,
			                 RESIDENT_CARE_ELDERLY | RESIDENT_CARE_PSYCH);
			assert_int_equal(v->resident.risk, RISK_ORANGE);
			assert_int_equal(v->day, 3);
			assert_int_equal(v->onsite_days, 14);
		} else {
			assert_string_equal(v->resident.name_masked, "");
		}
		assert_int_equal(r->f.latency_ms, 40);
		free(r);
	}
}

/* ---- checkpoint rules ---- */

static void test_checkpoint_rules(void **state)
{
	(void)state;
	struct sec_config c = corridor12();
	struct sec_lookup a;
	enum reason why;

	/* floors: a list of several, and no list at all */
	c.floor_count = 3;
	c.floors[0] = 3, c.floors[1] = 11, c.floors[2] = 12;
	answer_of(A_FLOOR3, &a);
	assert_int_equal(flow_security_judge(&c, &a, &why), SEC_GREEN);
	c.floors[0] = 4;
	assert_int_equal(flow_security_judge(&c, &a, &why), SEC_RED);
	assert_int_equal(why, REASON_WRONG_PLACE);
	c.floor_count = 0;
	assert_int_equal(flow_security_judge(&c, &a, &why), SEC_GREEN);

	/* categories: a close-contact corridor */
	c.categories = 1u << CATEGORY_CLOSE_CONTACT;
	answer_of(A_OK, &a);
	assert_int_equal(flow_security_judge(&c, &a, &why), SEC_RED);
	assert_int_equal(why, REASON_WRONG_PLACE);
	answer_of(A_CLOSE, &a);
	assert_int_equal(flow_security_judge(&c, &a, &why), SEC_GREEN);
	assert_int_equal(why, REASON_OK);
	/* released and transferred are judged by status, not by floor or category */
	answer_of(A_RELEASED, &a);
	a.resident.floor = 99;
	assert_int_equal(flow_security_judge(&c, &a, &why), SEC_AMBER);
	assert_int_equal(why, REASON_RELEASED);

	/* an exit lets only the released pass, whatever the floor lists say */
	struct sec_config x = lobby();
	x.floor_count = 1;
	x.floors[0] = 12;
	answer_of(A_OK, &a);
	assert_int_equal(flow_security_judge(&x, &a, &why), SEC_RED);
	assert_int_equal(why, REASON_WRONG_PLACE);
	answer_of(A_RELEASED, &a);
	a.resident.floor = 3;
	assert_int_equal(flow_security_judge(&x, &a, &why), SEC_GREEN);
	assert_int_equal(why, REASON_RELEASED);

	/* the band's state comes before the resident's status: a void band of a released
	 * resident does not open the exit */
	answer_of(A_RELEASED, &a);
	a.band_state = SEC_BAND_VOID;
	assert_int_equal(flow_security_judge(&x, &a, &why), SEC_RED);
	assert_int_equal(why, REASON_BAND_VOID);
	/* a failed lookup wins over everything */
	a.reason = REASON_STORE_FAILED;
	assert_int_equal(flow_security_judge(&x, &a, &why), SEC_AMBER);
	assert_int_equal(why, REASON_LOOKUP_FAILED);
}

/* ---- the repeat window ---- */

static void test_repeat_window(void **state)
{
	(void)state;
	struct sec_config c = corridor12(); /* repeat 30 s, verdict 6 s */
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	    /* the same band while its verdict shows: same verdict, longer, no lookup, no record */
	    {.dt = 4000, .ev = SEC_EV_SCAN, .state = SEC_VERDICT, .fx = "BEEP_OK"},
	    {.dt = 4000, .ev = SEC_EV_NONE, .state = SEC_VERDICT, .fx = ""},
	    {.dt = 2100, .ev = SEC_EV_NONE, .state = SEC_READY, .fx = "CLEAR"},
	    /* again after the screen cleared, still within 30 s: looked up, shown, not recorded */
	    {.dt = 5000, .ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 30, .ev = SEC_EV_LOOKED_UP, .ans = A_OK, .state = SEC_VERDICT, .fx = "BEEP_OK"},
	    /* another band: its own verdict and record */
	    {.dt = 1000,
	     .ev = SEC_EV_SCAN,
	     .text = "HKW1.BAND-B",
	     .state = SEC_LOOKING,
	     .fx = "CLEAR LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_FLOOR3,
	     .state = SEC_VERDICT,
	     .colour = SEC_RED,
	     .reason = REASON_WRONG_PLACE,
	     .fx = "RECORD_SCAN BEEP_REFUSE"},
	    /* band A voided meanwhile: a new verdict is a new fact, recorded within the window */
	    {.dt = 1000, .ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "CLEAR LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_VOID,
	     .state = SEC_VERDICT,
	     .colour = SEC_RED,
	     .reason = REASON_BAND_VOID,
	     .fx = "RECORD_SCAN BEEP_REFUSE"},
	    {.dt = 7000, .ev = SEC_EV_NONE, .state = SEC_READY, .fx = "CLEAR"},
	    /* 30 s after the first record of A/green: recorded again */
	    {.dt = 9000, .ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	    /* a band held in front of the camera beyond the window is looked up again */
	    {.dt = 5000, .ev = SEC_EV_SCAN, .state = SEC_VERDICT, .fx = "BEEP_OK"},
	    {.dt = 5000, .ev = SEC_EV_SCAN, .state = SEC_VERDICT, .fx = "BEEP_OK"},
	    {.dt = 5000, .ev = SEC_EV_SCAN, .state = SEC_VERDICT, .fx = "BEEP_OK"},
	    {.dt = 5000, .ev = SEC_EV_SCAN, .state = SEC_VERDICT, .fx = "BEEP_OK"},
	    {.dt = 5000, .ev = SEC_EV_SCAN, .state = SEC_VERDICT, .fx = "BEEP_OK"},
	    {.dt = 5000, .ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "CLEAR LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	};
	RUN(r, rows);
	assert_int_equal(r->records, 5);
	free(r);

	/* repeat_ms 0: every scan is its own record */
	c.repeat_ms = 0;
	r = run_new(&c);
	const struct row zero[] = {
	    {.ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	    {.dt = 100, .ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "CLEAR LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	};
	RUN(r, zero);
	free(r);
}

/* ---- answers that are not awaited ---- */

static void test_stale_answers(void **state)
{
	(void)state;
	struct sec_config c = corridor12();
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    /* an answer nobody asked for */
	    {.ev = SEC_EV_LOOKED_UP, .ans = A_OK, .state = SEC_READY, .fx = ""},
	    {.dt = 10, .ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 10,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .stale = true,
	     .state = SEC_LOOKING,
	     .fx = ""},
	    /* the scanner repeats the same text: one lookup */
	    {.dt = 10, .ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = ""},
	    /* an empty scan is nothing */
	    {.dt = 10, .ev = SEC_EV_SCAN, .text = "", .state = SEC_LOOKING, .fx = ""},
	    /* another band before the answer: the newest scan wins */
	    {.dt = 10,
	     .ev = SEC_EV_SCAN,
	     .text = "HKW1.BAND-B",
	     .state = SEC_LOOKING,
	     .fx = "LOOKUP"},
	};
	RUN(r, rows);
	uint32_t old = r->t_lookup - 1;
	struct sec_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = SEC_EV_LOOKED_UP;
	ev.ticket = old; /* the first lookup's answer, late */
	answer_of(A_VOID, &ev.lookup);
	step(r, &ev, 10);
	assert_int_equal(r->f.state, SEC_LOOKING);
	assert_int_equal(r->fx.count, 0);
	const struct row rest[] = {
	    {.dt = 10,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	    /* answered twice: the second is ignored */
	    {.dt = 10, .ev = SEC_EV_LOOKED_UP, .ans = A_VOID, .state = SEC_VERDICT, .fx = ""},
	};
	RUN(r, rest);
	assert_int_equal(r->f.latency_ms, 20);
	free(r);
}

/* ---- timeouts and the wipe ---- */

static void test_timeouts_and_wipe(void **state)
{
	(void)state;
	struct sec_config c = corridor12();
	c.verdict_ms = 3000;
	c.lookup_ms = 500;
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 20,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	    {.dt = 2999, .ev = SEC_EV_NONE, .state = SEC_VERDICT, .fx = ""},
	    {.dt = 1, .ev = SEC_EV_NONE, .state = SEC_READY, .fx = "CLEAR"},
	    /* dismissed by a touch */
	    {.dt = 100,
	     .ev = SEC_EV_SCAN,
	     .text = "HKW1.BAND-B",
	     .state = SEC_LOOKING,
	     .fx = "LOOKUP"},
	    {.dt = 20,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_VOID,
	     .state = SEC_VERDICT,
	     .colour = SEC_RED,
	     .reason = REASON_BAND_VOID,
	     .fx = "RECORD_SCAN BEEP_REFUSE"},
	    {.dt = 500, .ev = SEC_EV_DISMISS, .state = SEC_READY, .fx = "CLEAR"},
	    {.dt = 500, .ev = SEC_EV_DISMISS, .state = SEC_READY, .fx = ""},
	    /* the lookup does not answer: amber, nothing recorded, then wiped */
	    {.dt = 100,
	     .ev = SEC_EV_SCAN,
	     .text = "HKW1.BAND-C",
	     .state = SEC_LOOKING,
	     .fx = "LOOKUP"},
	    {.dt = 499, .ev = SEC_EV_NONE, .state = SEC_LOOKING, .fx = ""},
	    {.dt = 1,
	     .ev = SEC_EV_NONE,
	     .state = SEC_VERDICT,
	     .colour = SEC_AMBER,
	     .reason = REASON_TIMEOUT,
	     .fx = "BEEP_ATTENTION"},
	    /* its late answer is not taken */
	    {.dt = 10,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .colour = SEC_AMBER,
	     .reason = REASON_TIMEOUT,
	     .fx = ""},
	    /* a rescan of that band is looked up afresh, not repeated */
	    {.dt = 10,
	     .ev = SEC_EV_SCAN,
	     .text = "HKW1.BAND-C",
	     .state = SEC_LOOKING,
	     .fx = "CLEAR LOOKUP"},
	    {.dt = 10,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	    {.dt = 3000, .ev = SEC_EV_NONE, .state = SEC_READY, .fx = "CLEAR"},
	};
	RUN(r, rows);
	assert_false(flow_security_has_personal_data(&r->f));
	assert_int_equal(r->f.deadline_ms, 0);
	/* the scanned text is gone from the effect list too */
	assert_int_equal(r->fx.fx[0].lookup.text[0], 0);
	free(r);
}

/* ---- what is recorded ---- */

static bool contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void test_record_payload(void **state)
{
	(void)state;
	struct sec_config c = corridor12();
	struct run *r = run_new(&c);
	const struct row rows[] = {
	    {.ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 1500,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_OK,
	     .state = SEC_VERDICT,
	     .fx = "RECORD_SCAN BEEP_OK"},
	};
	RUN(r, rows);
	const struct sec_effect *e = &r->last_record;
	assert_string_equal(e->record.checkpoint, "F12-corridor");
	assert_int_equal(e->record.unix_s, UNIX0); /* the scan's time, not the answer's */
	assert_int_equal(e->record.colour, SEC_GREEN);
	assert_int_equal(e->record.reason, REASON_OK);
	assert_int_equal(e->record.token, WRISTBAND_OK);
	assert_string_equal(e->record.station, "SZ01");
	assert_int_equal(e->record.serial, 4711);
	/* no personal data: neither the masked name, the arrival id nor the room */
	assert_false(contains(&r->fx, sizeof(r->fx), "张*三"));
	assert_false(contains(&r->fx, sizeof(r->fx), "A001"));
	assert_false(contains(&r->fx, sizeof(r->fx), "1203"));
	/* while the screen shows them */
	assert_true(contains(&r->f.verdict, sizeof(r->f.verdict), "张*三"));
	free(r);

	/* a forged band: recorded without a serial */
	r = run_new(&c);
	const struct row forged[] = {
	    {.ev = SEC_EV_SCAN, .state = SEC_LOOKING, .fx = "LOOKUP"},
	    {.dt = 30,
	     .ev = SEC_EV_LOOKED_UP,
	     .ans = A_FORGED,
	     .state = SEC_VERDICT,
	     .colour = SEC_RED,
	     .reason = REASON_BAND_FORGED,
	     .fx = "RECORD_SCAN BEEP_REFUSE"},
	};
	RUN(r, forged);
	assert_int_equal(r->last_record.record.serial, 0);
	assert_string_equal(r->last_record.record.station, "");
	assert_int_equal(r->last_record.record.token, WRISTBAND_BAD_SIGNATURE);
	free(r);
}

/* ---- data age ---- */

static void test_data_age(void **state)
{
	(void)state;
	struct sec_config c = corridor12();
	c.stale_s = 600;
	struct run *r = run_new(&c);
	step(r, NULL, 0);
	assert_int_equal(r->f.data_age_s, -1); /* never synced */
	assert_true(r->f.data_stale);
	const struct row rows[] = {
	    {.ev = SEC_EV_SYNCED, .sync_s = UNIX0 - 120, .state = SEC_READY, .fx = ""},
	};
	RUN(r, rows);
	assert_int_equal(r->f.data_age_s, 120);
	assert_false(r->f.data_stale);
	step(r, NULL, 480000);
	assert_int_equal(r->f.data_age_s, 600);
	assert_false(r->f.data_stale);
	step(r, NULL, 1000);
	assert_int_equal(r->f.data_age_s, 601);
	assert_true(r->f.data_stale);
	/* an older sync report does not make the data look older; a newer one refreshes */
	struct sec_event ev = {.kind = SEC_EV_SYNCED};
	ev.synced.unix_s = UNIX0 - 5000;
	step(r, &ev, 0);
	assert_int_equal(r->f.data_age_s, 601);
	ev.synced.unix_s = r->unix_ms / 1000 - 2;
	step(r, &ev, 0);
	assert_int_equal(r->f.data_age_s, 2);
	assert_false(r->f.data_stale);
	/* a wall clock behind the sync time shows 0, not a negative age */
	step(r, NULL, 0);
	flow_security_step(&r->f, NULL, r->now, UNIX0 - 99999, &r->fx);
	assert_int_equal(r->f.data_age_s, 0);
	/* the data age shows through a verdict and does not change the verdict */
	free(r);
}

/* ---- real tokens: issued, scanned, verified, looked up ---- */

struct replica_band {
	int64_t serial;
	enum sec_band state;
	int floor;
	enum resident_status status;
};

/* The wiring, as a test double: wristband_verify, then a tiny replica. */
static void fake_wiring(const char *text, const struct wristband_public_key *keys, size_t nkeys,
                        const struct replica_band *replica, int n, struct sec_lookup *out)
{
	memset(out, 0, sizeof(*out));
	out->token = wristband_verify(text, strlen(text), "SZ01", keys, nkeys, &out->band);
	out->band_state = SEC_BAND_UNKNOWN;
	if (out->token != WRISTBAND_OK)
		return;
	for (int i = 0; i < n; i++) {
		if (replica[i].serial != out->band.serial)
			continue;
		out->band_state = replica[i].state;
		out->has_resident = true;
		snprintf(out->resident.name_masked, sizeof(out->resident.name_masked), "李*");
		snprintf(out->resident.room, sizeof(out->resident.room), "%s", out->band.room);
		out->resident.floor = replica[i].floor;
		out->resident.status = replica[i].status;
		out->resident.plan = plan_of(UNIX0 - 86400);
	}
}

static void test_real_tokens(void **state)
{
	(void)state;
	struct wristband_private_key priv, other_priv;
	struct wristband_public_key pub, other_pub;
	assert_int_equal(wristband_key_generate(&priv, &pub), 0);
	assert_int_equal(wristband_key_generate(&other_priv, &other_pub), 0);
	const struct replica_band replica[] = {
	    {101, SEC_BAND_REPLACED, 12, RESIDENT_IN_QUARANTINE}, /* reprinted as 102 */
	    {102, SEC_BAND_ACTIVE, 12, RESIDENT_IN_QUARANTINE},
	    {103, SEC_BAND_ACTIVE, 7, RESIDENT_IN_QUARANTINE},
	    {104, SEC_BAND_ACTIVE, 7, RESIDENT_RELEASED},
	};
	static const struct {
		int64_t serial;
		const char *station;
		int key; /* 0 ours, 1 another key, 2 ours then altered */
		enum sec_colour colour;
		enum reason reason;
	} cases[] = {
	    {102, "SZ01", 0, SEC_GREEN, REASON_OK},
	    {101, "SZ01", 0, SEC_RED, REASON_BAND_REPLACED},
	    {103, "SZ01", 0, SEC_RED, REASON_WRONG_PLACE},
	    {104, "SZ01", 0, SEC_AMBER, REASON_RELEASED},
	    {105, "SZ01", 0, SEC_AMBER, REASON_BAND_UNKNOWN},
	    {102, "SZ01", 1, SEC_RED, REASON_BAND_FORGED},
	    {102, "SZ01", 2, SEC_RED, REASON_BAND_FORGED},
	    {102, "BJ02", 0, SEC_RED, REASON_WRONG_STATION},
	};
	struct sec_config c = corridor12();
	struct run *r = run_new(&c);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wristband band = {.serial = cases[i].serial, .day = 19300};
		snprintf(band.station, sizeof(band.station), "%s", cases[i].station);
		snprintf(band.room, sizeof(band.room), "1203");
		char token[WRISTBAND_TOKEN_SIZE];
		assert_int_equal(wristband_issue(&band, cases[i].key == 1 ? &other_priv : &priv,
		                                 token, sizeof(token)),
		                 0);
		if (cases[i].key == 2) { /* one character of the signature changed */
			size_t n = strlen(token);
			token[n - 3] = token[n - 3] == 'A' ? 'B' : 'A';
		}
		struct sec_event ev = {.kind = SEC_EV_SCAN};
		snprintf(ev.scan.text, sizeof(ev.scan.text), "%s", token);
		step(r, &ev, 20000);
		assert_int_equal(r->f.state, SEC_LOOKING);
		const struct sec_effect *lk = &r->fx.fx[r->fx.count - 1];
		assert_int_equal(lk->kind, SEC_FX_LOOKUP);
		assert_string_equal(lk->lookup.text, token);
		memset(&ev, 0, sizeof(ev));
		ev.kind = SEC_EV_LOOKED_UP;
		ev.ticket = lk->ticket;
		fake_wiring(token, &pub, 1, replica, 4, &ev.lookup);
		step(r, &ev, 15);
		print_message("band %lld: %s %s\n", (long long)cases[i].serial,
		              sec_colour_name(r->f.verdict.colour),
		              reason_code(r->f.verdict.reason));
		assert_int_equal(r->f.state, SEC_VERDICT);
		assert_int_equal(r->f.verdict.colour, cases[i].colour);
		assert_int_equal(r->f.verdict.reason, cases[i].reason);
		if (cases[i].reason == REASON_OK) {
			assert_int_equal(r->f.verdict.band.serial, 102);
			assert_int_equal(r->f.verdict.day, 1);
		}
	}
	free(r);
}

/* ---- configuration and names ---- */

static void test_config_and_names(void **state)
{
	(void)state;
	struct flow_security *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(flow_security_init(f, NULL), 0);
	assert_string_equal(f->cfg.checkpoint, "checkpoint");
	assert_int_equal(f->state, SEC_READY);
	struct sec_config c = corridor12();
	assert_int_equal(flow_security_init(f, &c), 0);
	assert_string_equal(f->cfg.checkpoint, "F12-corridor");
	struct sec_config bad[6];
	for (int i = 0; i < 6; i++)
		bad[i] = c;
	bad[0].checkpoint[0] = 0;
	bad[1].verdict_ms = 0;
	bad[2].lookup_ms = -1;
	bad[3].floor_count = SEC_FLOORS_MAX + 1;
	bad[4].categories = 1u << CATEGORY_COUNT;
	memset(bad[5].checkpoint, 'x', sizeof(bad[5].checkpoint)); /* no NUL */
	for (int i = 0; i < 6; i++) {
		assert_int_equal(flow_security_init(f, &bad[i]), -EINVAL);
		assert_string_equal(f->cfg.checkpoint, "checkpoint"); /* defaults */
	}
	assert_string_equal(sec_state_name(SEC_VERDICT), "VERDICT");
	assert_string_equal(sec_state_name((enum sec_state)9), "?");
	assert_string_equal(sec_colour_name(SEC_AMBER), "amber");
	assert_string_equal(sec_band_name(SEC_BAND_REPLACED), "replaced");
	assert_string_equal(sec_event_kind_name(SEC_EV_DISMISS), "SEC_EV_DISMISS");
	assert_string_equal(sec_effect_kind_name(SEC_FX_RECORD_SCAN), "SEC_FX_RECORD_SCAN");
	assert_string_equal(sec_effect_kind_name((enum sec_effect_kind) - 1), "?");
	assert_string_equal(reason_code(REASON_BAND_FORGED), "E_BAND_FORGED");
	assert_string_equal(reason_code(REASON_WRONG_PLACE), "E_WRONG_PLACE");
	assert_string_equal(resident_status_name(RESIDENT_TRANSFERRED), "transferred");
	enum resident_status st = RESIDENT_IN_QUARANTINE;
	assert_true(resident_status_parse("released", &st));
	assert_int_equal(st, RESIDENT_RELEASED);
	assert_false(resident_status_parse("gone", &st));
	assert_int_equal(st, RESIDENT_RELEASED);
	free(f);
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

struct storm_record {
	uint64_t band; /* which text */
	int64_t at;
	enum sec_colour colour;
	enum reason reason;
};

static void test_random_storms(void **state)
{
	(void)state;
	struct sec_config cfgs[3] = {corridor12(), lobby(), corridor12()};
	cfgs[2].repeat_ms = 0;
	cfgs[2].floor_count = 0;
	cfgs[2].categories = 1u << CATEGORY_INBOUND;
	struct flow_security *f = calloc(1, sizeof(*f));
	struct sec_effects *out = calloc(1, sizeof(*out));
	struct sec_event *ev = calloc(1, sizeof(*ev));
	assert_non_null(f);
	assert_non_null(out);
	assert_non_null(ev);
	int seen_state[SEC_STATE_COUNT] = {0}, seen_fx[SEC_FX_KIND_COUNT] = {0};
	int seen_colour[SEC_COLOUR_COUNT] = {0};
	rng_state = 0x2545f4914f6cdd1dULL;
	for (int round = 0; round < 24; round++) {
		const struct sec_config *c = &cfgs[round % 3];
		assert_int_equal(flow_security_init(f, c), 0);
		int64_t now = (int64_t)rng_below(1000000), wall = UNIX0;
		uint32_t last_lookup = 0, awaited = 0;
		int awaited_band = -1;
		struct storm_record recs[64];
		int n_recs = 0;
		for (int i = 0; i < 3000; i++) {
			uint32_t jump = rng_below(100);
			int64_t dt = jump < 80   ? rng_below(1500)
			             : jump < 98 ? rng_below(10000)
			                         : rng_below(60000);
			now += dt;
			wall += dt / 1000;
			memset(ev, 0, sizeof(*ev));
			ev->kind = (enum sec_event_kind)rng_below(SEC_EV_KIND_COUNT + 1);
			int band = (int)rng_below(4);
			if (rng_below(10) < 6) /* mostly what a real post sees */
				ev->kind = f->state == SEC_LOOKING && rng_below(3)
				               ? SEC_EV_LOOKED_UP
				               : SEC_EV_SCAN;
			switch (ev->kind) {
			case SEC_EV_SCAN:
				if (rng_below(30) == 0)
					memset(ev->scan.text, 'Q', sizeof(ev->scan.text));
				else
					snprintf(ev->scan.text, sizeof(ev->scan.text),
					         "HKW1.BAND-%d", band);
				break;
			case SEC_EV_LOOKED_UP:
				ev->ticket = rng_below(5) ? last_lookup : rng();
				answer_of((enum ans)rng_below(ANS_COUNT), &ev->lookup);
				if (rng_below(10) == 0)
					memset(ev->lookup.resident.name_masked, 'x',
					       sizeof(ev->lookup.resident.name_masked));
				if (rng_below(20) == 0)
					memset(&ev->lookup.has_resident, 7, 1);
				break;
			case SEC_EV_SYNCED:
				ev->synced.unix_s = wall - rng_below(7200);
				break;
			default:
				break;
			}
			const struct sec_event *sent = rng_below(40) ? ev : NULL;
			bool answers = sent && ev->kind == SEC_EV_LOOKED_UP &&
			               ev->ticket == awaited && awaited != 0 &&
			               f->state == SEC_LOOKING && now < f->deadline_ms;
			flow_security_step(f, sent, now, wall, out);
			/* invariants */
			assert_true(out->count >= 0 && out->count <= 4);
			assert_false(out->overflow);
			assert_true((unsigned)f->state < SEC_STATE_COUNT);
			seen_state[f->state]++;
			if (f->state == SEC_READY) {
				assert_false(flow_security_has_personal_data(f));
				assert_int_equal(f->deadline_ms, 0);
			} else {
				assert_true(f->deadline_ms > 0);
			}
			if (f->state == SEC_LOOKING)
				assert_true(f->wait_ticket != 0);
			if (f->state == SEC_VERDICT) {
				seen_colour[f->verdict.colour]++;
				assert_true((unsigned)f->verdict.colour < SEC_COLOUR_COUNT);
				assert_true((unsigned)f->verdict.reason < REASON_COUNT);
				assert_true(strnlen(f->verdict.resident.name_masked,
				                    FLOW_NAME_MAX) < FLOW_NAME_MAX);
				if (f->verdict.colour == SEC_GREEN)
					assert_true(f->verdict.has_resident);
			}
			int records = 0, lookups = 0, beeps = 0;
			enum beep beep = BEEP_COUNT;
			for (int k = 0; k < out->count; k++) {
				const struct sec_effect *x = &out->fx[k];
				assert_true(x->kind > SEC_FX_NONE && x->kind < SEC_FX_KIND_COUNT);
				seen_fx[x->kind]++;
				if (x->kind == SEC_FX_LOOKUP) {
					lookups++;
					assert_true(x->lookup.text[0] != 0);
					assert_true(strnlen(x->lookup.text, FLOW_SCAN_MAX) <
					            FLOW_SCAN_MAX);
					last_lookup = awaited = x->ticket;
					awaited_band = ev->scan.text[0] == 'Q' ? -1 : band;
				}
				if (x->kind == SEC_FX_BEEP) {
					beeps++;
					beep = x->beep.kind;
				} else if (x->kind != SEC_FX_RECORD_SCAN) {
					beep = BEEP_COUNT; /* the screen moved on after it */
				}
				if (x->kind == SEC_FX_RECORD_SCAN) {
					records++;
					/* a record only answers the awaited lookup */
					assert_true(answers);
					assert_string_equal(x->record.checkpoint, c->checkpoint);
					assert_int_equal(x->record.colour, f->verdict.colour);
					assert_int_equal(x->record.reason, f->verdict.reason);
					/* and never twice for the same band and verdict in the
					 * window */
					for (int q = 0; q < n_recs; q++)
						assert_false(recs[q].band ==
						                 (uint64_t)awaited_band &&
						             awaited_band >= 0 &&
						             recs[q].colour == x->record.colour &&
						             recs[q].reason == x->record.reason &&
						             now - recs[q].at < c->repeat_ms);
					recs[n_recs % 64] = (struct storm_record){
					    (uint64_t)awaited_band, now, x->record.colour,
					    x->record.reason};
					if (n_recs < 64)
						n_recs++;
				}
			}
			if (answers) {
				assert_int_equal(f->state, SEC_VERDICT);
				assert_int_equal(beeps, 1);
			}
			assert_true(records <= 1 && lookups <= 1);
			if (beep != BEEP_COUNT) {
				/* the last beep says the colour of the verdict that shows */
				assert_int_equal(f->state, SEC_VERDICT);
				enum beep want = f->verdict.colour == SEC_GREEN   ? BEEP_OK
				                 : f->verdict.colour == SEC_AMBER ? BEEP_ATTENTION
				                                                  : BEEP_REFUSE;
				assert_int_equal(beep, want);
			}
			if (f->state != SEC_LOOKING)
				awaited = 0;
		}
	}
	for (int s = 0; s < SEC_STATE_COUNT; s++) {
		print_message("state %-8s %d\n", sec_state_name((enum sec_state)s), seen_state[s]);
		assert_true(seen_state[s] > 0);
	}
	for (int k = SEC_FX_LOOKUP; k < SEC_FX_KIND_COUNT; k++) {
		print_message("%-20s %d\n", sec_effect_kind_name((enum sec_effect_kind)k),
		              seen_fx[k]);
		assert_true(seen_fx[k] > 0);
	}
	for (int k = 0; k < SEC_COLOUR_COUNT; k++)
		assert_true(seen_colour[k] > 0);
	free(ev);
	free(out);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verdict_table),     cmocka_unit_test(test_checkpoint_rules),
	    cmocka_unit_test(test_repeat_window),     cmocka_unit_test(test_stale_answers),
	    cmocka_unit_test(test_timeouts_and_wipe), cmocka_unit_test(test_record_payload),
	    cmocka_unit_test(test_data_age),          cmocka_unit_test(test_real_tokens),
	    cmocka_unit_test(test_config_and_names),  cmocka_unit_test(test_random_storms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
