/* app/core/flow_entrance.c: the entrance check-in state machine. Pure: the clock comes in as
 * an argument, results of the verifier, store and printer come in as events, and everything
 * the program must do goes out as effects. See docs/flow-entrance.md. */
#include "app/core/flow_entrance.h"

#include <errno.h>
#include <string.h>

#define COUNTDOWN_MS 10000 /* the countdown shows in the last 10 s */

static const char *const state_names[FLOW_STATE_COUNT] = {
    "ATTRACT",  "VERIFYING",   "IDENTITY",   "FAMILY",   "MEMBER_VERIFYING",
    "BRIEFING", "CHECKING_IN", "PRINTING",   "DONE",     "REFUSED",
    "APPROVAL", "FAULT",       "REPRINTING", "EVIDENCE",
};
static const char *const overlay_names[FLOW_OVERLAY_COUNT] = {"NONE", "CALL", "PIN", "PIN_CHECK",
                                                              "STAFF"};
static const char *const pending_names[FLOW_PENDING_COUNT] = {"NONE", "ADMIT", "REPRINT",
                                                              "NO_ROOM"};

/* Step indicator per state; 0 keeps the step the person was at (refusal, approval, fault). */
static const int step_of_state[FLOW_STATE_COUNT] = {
    [FLOW_ATTRACT] = 1,     [FLOW_VERIFYING] = 1,        [FLOW_IDENTITY] = 2,
    [FLOW_FAMILY] = 2,      [FLOW_MEMBER_VERIFYING] = 2, [FLOW_BRIEFING] = 3,
    [FLOW_CHECKING_IN] = 4, [FLOW_PRINTING] = 4,         [FLOW_DONE] = 4,
    [FLOW_REPRINTING] = 4,  [FLOW_EVIDENCE] = 1,
};

/* ---- small helpers ---- */

/* Copy a fixed-size string that may lack its NUL (events come from other threads and are
 * not trusted to be well formed); dst is always terminated and zero-padded. */
static void copy_str(char *dst, size_t dst_size, const char *src, size_t src_size)
{
	size_t n = strnlen(src, src_size);
	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	memset(dst + n, 0, dst_size - n);
}
#define COPY_STR(dst, src) copy_str((dst), sizeof(dst), (src), sizeof(src))

/* Milliseconds from t to now, 0 when the clock went backwards, saturated. */
static int64_t since(int64_t now, int64_t t)
{
	if (now <= t)
		return 0;
	if (t < 0 && now > INT64_MAX + t)
		return INT64_MAX;
	return now - t;
}

/* The deadline ms after now; never 0, which means "no deadline". */
static int64_t deadline_after(int64_t now, int32_t ms)
{
	int64_t d = now > INT64_MAX - ms ? INT64_MAX : now + ms;
	return d == 0 ? 1 : d;
}

static uint32_t ticket_new(struct flow_entrance *f)
{
	if (++f->next_ticket == 0)
		f->next_ticket = 1;
	return f->next_ticket;
}

/* Append an effect; NULL when the list is full (overflow is set, the effect dropped). */
static struct effect *fx_push(struct effects *out, enum effect_kind kind, uint32_t ticket)
{
	if (out->count >= FLOW_EFFECTS_MAX) {
		out->overflow = true;
		return NULL;
	}
	struct effect *e = &out->fx[out->count++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->ticket = ticket;
	return e;
}

static void fx_beep(struct effects *out, enum beep kind)
{
	struct effect *e = fx_push(out, FX_BEEP, 0);
	if (e)
		e->beep.kind = kind;
}

static bool state_waits_for_answer(enum flow_state s)
{
	return s == FLOW_VERIFYING || s == FLOW_MEMBER_VERIFYING || s == FLOW_CHECKING_IN ||
	       s == FLOW_PRINTING || s == FLOW_REPRINTING;
}

/* States a person can walk away from: the countdown shows there. */
static bool state_abandonable(enum flow_state s)
{
	return s == FLOW_IDENTITY || s == FLOW_FAMILY || s == FLOW_BRIEFING || s == FLOW_APPROVAL ||
	       s == FLOW_FAULT || s == FLOW_EVIDENCE;
}

static int32_t state_timeout_ms(const struct flow_entrance *f, enum flow_state s)
{
	const struct flow_config *c = &f->cfg;
	switch (s) {
	case FLOW_ATTRACT:
		return f->lang != c->default_lang ? c->idle_ms : 0; /* language back to default */
	case FLOW_VERIFYING:
	case FLOW_MEMBER_VERIFYING:
		return c->reply_ms;
	case FLOW_IDENTITY:
	case FLOW_FAMILY:
	case FLOW_EVIDENCE:
		return c->idle_ms;
	case FLOW_BRIEFING:
		return c->briefing_idle_ms;
	case FLOW_CHECKING_IN:
		return c->checkin_ms;
	case FLOW_PRINTING:
	case FLOW_REPRINTING:
		return c->print_ms;
	case FLOW_DONE:
		return c->done_ms;
	case FLOW_REFUSED:
		return c->refusal_ms;
	case FLOW_APPROVAL:
	case FLOW_FAULT:
		return c->staff_wait_ms;
	case FLOW_STATE_COUNT:
		break;
	}
	return 0;
}

static void main_arm(struct flow_entrance *f, int64_t now)
{
	int32_t ms = state_timeout_ms(f, f->state);
	f->main_deadline_ms = ms > 0 ? deadline_after(now, ms) : 0;
}

static void overlay_arm(struct flow_entrance *f, int64_t now)
{
	int32_t ms = 0;
	switch (f->overlay) {
	case FLOW_OVERLAY_CALL:
		ms = f->cfg.staff_wait_ms;
		break;
	case FLOW_OVERLAY_PIN:
	case FLOW_OVERLAY_STAFF:
		ms = f->cfg.idle_ms;
		break;
	case FLOW_OVERLAY_PIN_CHECK:
		ms = f->cfg.reply_ms;
		break;
	case FLOW_OVERLAY_NONE:
	case FLOW_OVERLAY_COUNT:
		break;
	}
	f->overlay_deadline_ms = ms > 0 ? deadline_after(now, ms) : 0;
}

/* The person did something: the screen they are on starts its idle time again. */
static void activity(struct flow_entrance *f, int64_t now)
{
	if (f->overlay != FLOW_OVERLAY_NONE)
		overlay_arm(f, now);
	else if (!state_waits_for_answer(f->state))
		main_arm(f, now);
}

static void enter(struct flow_entrance *f, enum flow_state s, int64_t now)
{
	f->state = s;
	if (s != FLOW_ATTRACT) /* no session there: its bytes stay zero */
		f->session.t_step = now;
	if (step_of_state[s])
		f->step_no = step_of_state[s];
	main_arm(f, now);
}

static bool person_same(const struct person *a, const struct person *b)
{
	return (a->key[0] && strcmp(a->key, b->key) == 0) ||
	       (a->arrival_id[0] && strcmp(a->arrival_id, b->arrival_id) == 0);
}

static bool group_has(const struct flow_session *s, const struct person *p)
{
	for (int i = 0; i < s->count; i++)
		if (person_same(&s->people[i], p))
			return true;
	return false;
}

/* Take an international credential's facts from an event; false (dst zero) when there are
 * none or they are malformed. */
static bool evidence_take(struct flow_evidence *dst, const struct flow_evidence *src)
{
	memset(dst, 0, sizeof(*dst));
	if ((unsigned)src->kind >= FLOW_EVIDENCE_KIND_COUNT || src->kind == FLOW_EVIDENCE_NONE)
		return false;
	dst->kind = src->kind;
	dst->day = src->day;
	unsigned char positive;
	memcpy(&positive, &src->test_positive, 1);
	dst->test_positive = positive != 0;
	COPY_STR(dst->format, src->format);
	COPY_STR(dst->issuer, src->issuer);
	COPY_STR(dst->name_masked, src->name_masked);
	return true;
}

/* Take a person from an event: strings terminated, flow-owned fields reset. False when an
 * enum is out of range (a malformed result). */
static bool person_take(struct person *dst, const struct person *src)
{
	memset(dst, 0, sizeof(*dst));
	COPY_STR(dst->arrival_id, src->arrival_id);
	COPY_STR(dst->name_masked, src->name_masked);
	COPY_STR(dst->doc_masked, src->doc_masked);
	COPY_STR(dst->group_id, src->group_id);
	COPY_STR(dst->key, src->key);
	unsigned char minor; /* read as a byte: a bool holding anything but 0/1 is no bool */
	memcpy(&minor, &src->minor, 1);
	dst->minor = minor != 0;
	evidence_take(&dst->evidence, &src->evidence);
	bool ok = (unsigned)src->category < CATEGORY_COUNT && (unsigned)src->code < FLOW_CODE_COUNT;
	if (ok) {
		dst->category = src->category;
		dst->code = src->code;
	}
	return ok;
}

static void assignment_take(struct assignment *dst, const struct assignment *src)
{
	memset(dst, 0, sizeof(*dst));
	COPY_STR(dst->room, src->room);
	dst->release_day = src->release_day;
	dst->serial = src->serial;
}

static const struct person *subject(const struct flow_entrance *f)
{
	if (f->session.pending != FLOW_PENDING_NONE)
		return &f->session.candidate;
	return f->session.count > 0 ? &f->session.people[0] : NULL;
}

static void fx_audit(struct flow_entrance *f, struct effects *out, enum audit_action action,
                     enum reason reason)
{
	struct effect *e = fx_push(out, FX_AUDIT, 0);
	if (!e)
		return;
	const struct person *p = subject(f);
	e->audit.action = action;
	e->audit.reason = reason;
	COPY_STR(e->audit.badge, f->session.badge);
	if (p)
		COPY_STR(e->audit.arrival_id, p->arrival_id);
}

/* ---- session ---- */

/* End the visit: every byte of personal data wiped, back to the attract screen. */
static void session_end(struct flow_entrance *f, enum reason why, int64_t now, struct effects *out)
{
	struct effect *e = fx_push(out, FX_CLEAR, 0);
	if (e) {
		e->clear.reason = why;
		e->clear.from_state = (int)f->state;
	}
	memset(&f->session, 0, sizeof(f->session));
	f->overlay = FLOW_OVERLAY_NONE;
	f->overlay_deadline_ms = 0;
	f->reason = REASON_OK;
	f->call_reason = REASON_OK;
	f->lang = f->cfg.default_lang;
	enter(f, FLOW_ATTRACT, now);
}

static void pending_drop(struct flow_session *s)
{
	memset(&s->candidate, 0, sizeof(s->candidate));
	s->pending = FLOW_PENDING_NONE;
	s->pending_member = false;
}

/* Refuse the person who started the session: nothing of theirs is kept. */
static void refuse(struct flow_entrance *f, enum reason r, int64_t now, struct effects *out)
{
	struct flow_session *s = &f->session;
	memset(s->people, 0, sizeof(s->people));
	memset(&s->evidence, 0, sizeof(s->evidence));
	s->count = 0;
	pending_drop(s);
	f->reason = r;
	enter(f, FLOW_REFUSED, now);
	fx_beep(out, BEEP_REFUSE);
}

static void family_show(struct flow_entrance *f, enum reason notice, int64_t now)
{
	f->reason = notice;
	enter(f, FLOW_FAMILY, now);
}

static void briefing_show(struct flow_entrance *f, int64_t now)
{
	f->reason = REASON_OK;
	f->session.scrolled_end = false;
	f->session.t_read = now;
	enter(f, FLOW_BRIEFING, now);
}

/* The briefing, unless the store's disk filled up since the scan: the person is told now,
 * not after reading five minutes of rules that could not be recorded. */
static void briefing_or_refuse(struct flow_entrance *f, int64_t now, struct effects *out)
{
	if (f->storage_low)
		refuse(f, REASON_STORAGE_LOW, now, out);
	else
		briefing_show(f, now);
}

static void fault(struct flow_entrance *f, enum reason r, int64_t now, struct effects *out)
{
	f->reason = r;
	f->call_reason = r;
	enter(f, FLOW_FAULT, now);
	fx_beep(out, BEEP_REFUSE);
}

/* ---- verification ---- */

static void verify_start(struct flow_entrance *f, const struct event *ev, bool member, int64_t now,
                         struct effects *out)
{
	struct effect *e = fx_push(out, FX_VERIFY, ticket_new(f));
	if (!e)
		return;
	COPY_STR(e->verify.text, ev->scan.text);
	e->verify.member = member;
	f->session.wait_ticket = e->ticket;
	if (member) {
		f->reason = REASON_OK;
		enter(f, FLOW_MEMBER_VERIFYING, now);
	} else {
		f->session.t_scan = now;
		enter(f, FLOW_VERIFYING, now);
	}
}

static void admit(struct flow_entrance *f, const struct person *p, bool member, int64_t now,
                  struct effects *out)
{
	struct flow_session *s = &f->session;
	if (s->count >= f->cfg.max_group || s->count >= FLOW_GROUP_MAX) {
		family_show(f, REASON_GROUP_TOO_LARGE, now);
		fx_beep(out, BEEP_REFUSE);
		return;
	}
	struct person *added = &s->people[s->count++];
	*added = *p;
	if (s->evidence.kind != FLOW_EVIDENCE_NONE) {
		added->evidence = s->evidence; /* read just before this person's code */
		memset(&s->evidence, 0, sizeof(s->evidence));
	}
	fx_beep(out, BEEP_OK);
	f->reason = REASON_OK;
	if (member)
		family_show(f, REASON_OK, now);
	else
		enter(f, FLOW_IDENTITY, now);
}

static void verdict_refuse(struct flow_entrance *f, enum reason r, const struct person *p,
                           bool member, int64_t now, struct effects *out)
{
	if (member) {
		memset(&f->session.evidence, 0, sizeof(f->session.evidence));
		family_show(f, r, now);
		fx_beep(out, BEEP_REFUSE);
		return;
	}
	refuse(f, r, now, out);
	if (r == REASON_ALREADY_CHECKED_IN && p->arrival_id[0]) {
		f->session.candidate = *p; /* a staff member may reprint the wristband */
		f->session.pending = FLOW_PENDING_REPRINT;
	}
}

/* An international credential accepted as supporting evidence: kept for the person whose
 * health code comes next; the first person is asked for it on the evidence screen, a member
 * on the family screen (its notice). A second credential replaces the first. */
static void evidence_keep(struct flow_entrance *f, const struct flow_evidence *e, bool member,
                          int64_t now, struct effects *out)
{
	f->session.evidence = *e;
	fx_beep(out, BEEP_OK);
	if (member) {
		family_show(f, REASON_EVIDENCE_ONLY, now);
		return;
	}
	f->reason = REASON_EVIDENCE_ONLY;
	enter(f, FLOW_EVIDENCE, now);
}

static void staff_ask(struct flow_entrance *f, enum reason r, const struct person *p, bool member,
                      int64_t now, struct effects *out)
{
	struct flow_session *s = &f->session;
	s->candidate = *p;
	s->pending = FLOW_PENDING_ADMIT;
	s->pending_member = member;
	f->reason = r;
	f->call_reason = r;
	enter(f, FLOW_APPROVAL, now);
	fx_beep(out, BEEP_ATTENTION);
}

static enum flow_policy policy_max(enum flow_policy a, enum flow_policy b)
{
	return a > b ? a : b;
}

/* The reason behind a decision at level: the colour, then the walk-in, then the verifier. */
static enum reason decision_reason(enum flow_policy level, enum flow_policy by_colour,
                                   enum reason colour_reason, enum flow_policy by_walk_in,
                                   bool walk_in)
{
	if (by_colour >= level && colour_reason != REASON_OK)
		return colour_reason;
	if (by_walk_in >= level && walk_in)
		return REASON_NOT_ON_MANIFEST;
	if (colour_reason != REASON_OK)
		return colour_reason;
	return walk_in ? REASON_NOT_ON_MANIFEST : REASON_STAFF_REQUIRED;
}

static void on_verified(struct flow_entrance *f, const struct event *ev, int64_t now,
                        struct effects *out)
{
	struct flow_session *s = &f->session;
	bool member = f->state == FLOW_MEMBER_VERIFYING;
	enum reason r = ev->verified.reason;
	struct person p;

	s->wait_ticket = 0;
	if (!member)
		s->timings.verdict_ms = since(now, s->t_scan);
	if ((unsigned)r >= REASON_COUNT)
		r = REASON_MALFORMED;
	bool sane = person_take(&p, &ev->verified.person);
	bool admissible = r == REASON_OK || r == REASON_YELLOW_CODE || r == REASON_RED_CODE ||
	                  r == REASON_NOT_ON_MANIFEST || r == REASON_STAFF_REQUIRED;
	if (!sane && (admissible || r == REASON_ALREADY_CHECKED_IN))
		r = REASON_MALFORMED; /* a person we cannot show or reprint for */
	if (r == REASON_EVIDENCE_ONLY && sane && ev->verified.policy != FLOW_POLICY_REFUSE &&
	    (unsigned)ev->verified.policy < FLOW_POLICY_COUNT &&
	    p.evidence.kind != FLOW_EVIDENCE_NONE) {
		evidence_keep(f, &p.evidence, member, now, out);
		goto out_wipe;
	}
	if (!admissible || !sane) {
		verdict_refuse(f, r, &p, member, now, out);
		goto out_wipe;
	}
	if (member && group_has(s, &p)) {
		verdict_refuse(f, REASON_ALREADY_ADDED, &p, member, now, out);
		goto out_wipe;
	}

	enum flow_code colour = p.code;
	if (r == REASON_YELLOW_CODE && colour < FLOW_CODE_YELLOW)
		colour = FLOW_CODE_YELLOW;
	if (r == REASON_RED_CODE)
		colour = FLOW_CODE_RED;
	p.code = colour;
	enum flow_policy by_colour = colour == FLOW_CODE_GREEN    ? FLOW_POLICY_ALLOW
	                             : colour == FLOW_CODE_YELLOW ? f->cfg.yellow
	                                                          : f->cfg.red;
	enum reason colour_reason = colour == FLOW_CODE_GREEN    ? REASON_OK
	                            : colour == FLOW_CODE_YELLOW ? REASON_YELLOW_CODE
	                                                         : REASON_RED_CODE;
	p.walk_in = r == REASON_NOT_ON_MANIFEST || !p.arrival_id[0];
	enum flow_policy by_walk_in = p.walk_in ? f->cfg.walk_in : FLOW_POLICY_ALLOW;
	enum flow_policy by_verifier =
	    r == REASON_STAFF_REQUIRED ? FLOW_POLICY_STAFF : FLOW_POLICY_ALLOW;
	if ((unsigned)ev->verified.policy < FLOW_POLICY_COUNT)
		by_verifier = policy_max(by_verifier, ev->verified.policy);
	else
		by_verifier = FLOW_POLICY_REFUSE; /* a verifier opinion we cannot read: safe side */
	enum flow_policy decision = policy_max(policy_max(by_colour, by_walk_in), by_verifier);

	if (decision >= FLOW_POLICY_REFUSE)
		verdict_refuse(f,
		               decision_reason(FLOW_POLICY_REFUSE, by_colour, colour_reason,
		                               by_walk_in, p.walk_in),
		               &p, member, now, out);
	else if (decision == FLOW_POLICY_STAFF)
		staff_ask(f,
		          decision_reason(FLOW_POLICY_STAFF, by_colour, colour_reason, by_walk_in,
		                          p.walk_in),
		          &p, member, now, out);
	else
		admit(f, &p, member, now, out);
out_wipe:
	memset(&p, 0, sizeof(p));
}

/* ---- check-in and printing ---- */

static void checkin_send(struct flow_entrance *f, const struct event *ev, int64_t now,
                         struct effects *out)
{
	struct flow_session *s = &f->session;
	if (s->checkin_sent || s->count <= 0 || !ev->ack.version[0])
		return;
	struct effect *e = fx_push(out, FX_CHECKIN, ticket_new(f));
	if (!e)
		return;
	COPY_STR(s->briefing_version, ev->ack.version);
	s->timings.briefing_ms = since(now, s->t_step);
	s->timings.visit_ms = since(now, s->t_scan);
	e->checkin.count = s->count;
	memcpy(e->checkin.people, s->people, sizeof(e->checkin.people));
	e->checkin.lang = f->lang;
	COPY_STR(e->checkin.briefing_version, s->briefing_version);
	e->checkin.timings = s->timings;
	s->checkin_sent = true;
	s->checkin_ticket = e->ticket;
	s->wait_ticket = e->ticket;
	s->t_phase = now;
	enter(f, FLOW_CHECKING_IN, now);
}

static void done_show(struct flow_entrance *f, int64_t now, struct effects *out)
{
	struct flow_session *s = &f->session;
	bool failed = false;
	int n = s->reprint ? 1 : s->count;
	for (int i = 0; i < n; i++)
		failed |= s->printed[i] != 1;
	s->wait_ticket = 0;
	s->timings.print_ms = since(now, s->t_phase);
	s->timings.visit_ms = since(now, s->t_scan);
	f->reason = failed ? REASON_PRINTER_FAILED : REASON_OK;
	fx_beep(out, failed ? BEEP_REFUSE : BEEP_CHIME);
	if (!s->reprint) {
		struct effect *e = fx_push(out, FX_TIMINGS, s->checkin_ticket);
		if (e) {
			e->timings.checkin_ticket = s->checkin_ticket;
			e->timings.timings = s->timings;
		}
	}
	enter(f, FLOW_DONE, now);
}

static void on_assigned(struct flow_entrance *f, const struct event *ev, int64_t now,
                        struct effects *out)
{
	struct flow_session *s = &f->session;
	if (ev->assigned.count != s->count) {
		/* the store answered for other people than asked: not something to print from */
		s->wait_ticket = 0;
		fault(f, REASON_STORE_FAILED, now, out);
		return;
	}
	s->checked_in = true;
	s->timings.checkin_ms = since(now, s->t_phase);
	if (s->no_room) {
		/* recorded without a room: no band to print; the front desk assigns the room */
		for (int i = 0; i < s->count; i++)
			assignment_take(&s->assigned[i], &ev->assigned.a[i]);
		s->wait_ticket = 0;
		s->timings.visit_ms = since(now, s->t_scan);
		fx_beep(out, BEEP_CHIME);
		struct effect *e = fx_push(out, FX_TIMINGS, s->checkin_ticket);
		if (e) {
			e->timings.checkin_ticket = s->checkin_ticket;
			e->timings.timings = s->timings;
		}
		f->reason = REASON_NO_LEASED_ROOM;
		enter(f, FLOW_DONE, now);
		return;
	}
	uint32_t ticket = ticket_new(f);
	for (int i = 0; i < s->count; i++) {
		assignment_take(&s->assigned[i], &ev->assigned.a[i]);
		s->printed[i] = 0;
		struct effect *e = fx_push(out, FX_PRINT, ticket);
		if (!e)
			continue;
		e->print.index = i;
		e->print.lang = f->lang;
		e->print.person = s->people[i];
		e->print.assignment = s->assigned[i];
	}
	s->wait_ticket = ticket;
	s->t_phase = now;
	f->reason = REASON_OK;
	enter(f, FLOW_PRINTING, now);
}

static void on_print_result(struct flow_entrance *f, const struct event *ev, int64_t now,
                            struct effects *out)
{
	struct flow_session *s = &f->session;
	int i = ev->print.index;
	if (f->state == FLOW_REPRINTING) {
		s->printed[0] = ev->kind == EV_PRINTED ? 1 : 2;
		if (ev->kind == EV_PRINTED)
			assignment_take(&s->assigned[0], &ev->print.assignment);
		done_show(f, now, out);
		return;
	}
	if (i < 0 || i >= s->count || s->printed[i] != 0)
		return;
	s->printed[i] = ev->kind == EV_PRINTED ? 1 : 2;
	for (int k = 0; k < s->count; k++)
		if (s->printed[k] == 0)
			return;
	done_show(f, now, out);
}

/* ---- staff ---- */

static void call_open(struct flow_entrance *f, int64_t now)
{
	if (f->overlay != FLOW_OVERLAY_NONE)
		return;
	f->overlay = FLOW_OVERLAY_CALL;
	f->call_reason = f->reason != REASON_OK ? f->reason : REASON_STAFF_REQUIRED;
	overlay_arm(f, now);
}

/* Close every staff panel; the main state's idle time starts again. */
static void overlay_close(struct flow_entrance *f, int64_t now)
{
	struct flow_session *s = &f->session;
	f->overlay = FLOW_OVERLAY_NONE;
	f->overlay_deadline_ms = 0;
	memset(s->badge, 0, sizeof(s->badge));
	memset(s->pin, 0, sizeof(s->pin));
	s->pin_len = 0;
	s->pin_ticket = 0;
	s->pin_failures = 0;
	s->overlay_below = FLOW_OVERLAY_NONE;
	if (!state_waits_for_answer(f->state))
		main_arm(f, now);
}

/* Close the PIN panel, back to what was below it (the call-staff panel or nothing). */
static void pin_close(struct flow_entrance *f, int64_t now)
{
	enum flow_overlay below = f->session.overlay_below;
	overlay_close(f, now);
	if (below == FLOW_OVERLAY_CALL)
		call_open(f, now);
}

static void on_badge(struct flow_entrance *f, const struct event *ev, int64_t now,
                     struct effects *out)
{
	struct flow_session *s = &f->session;
	/* at the attract screen there is no visit to decide about */
	if (!ev->badge.id[0] || f->state == FLOW_ATTRACT || f->overlay == FLOW_OVERLAY_PIN_CHECK ||
	    f->overlay == FLOW_OVERLAY_STAFF)
		return;
	if (now < f->pin_locked_until_ms) { /* guessing PINs visit after visit: refused, audited */
		if (f->overlay == FLOW_OVERLAY_PIN)
			pin_close(f, now);
		COPY_STR(s->badge, ev->badge.id);
		fx_audit(f, out, AUDIT_STAFF_LOCKED_ATTEMPT, REASON_LOCKED_OUT);
		memset(s->badge, 0, sizeof(s->badge));
		return;
	}
	if (f->overlay != FLOW_OVERLAY_PIN) {
		s->overlay_below = f->overlay;
		s->pin_failures = 0;
	}
	COPY_STR(s->badge, ev->badge.id);
	memset(s->pin, 0, sizeof(s->pin));
	s->pin_len = 0;
	f->overlay = FLOW_OVERLAY_PIN;
	overlay_arm(f, now);
}

static void pin_submit(struct flow_entrance *f, const char *digits, size_t size, int64_t now,
                       struct effects *out)
{
	struct flow_session *s = &f->session;
	size_t n = strnlen(digits, size);
	if (f->overlay != FLOW_OVERLAY_PIN || n == 0 || n > FLOW_PIN_MAX)
		return;
	for (size_t i = 0; i < n; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return;
	struct effect *e = fx_push(out, FX_CHECK_PIN, ticket_new(f));
	if (!e)
		return;
	COPY_STR(e->check_pin.badge, s->badge);
	memcpy(e->check_pin.pin, digits, n);
	s->pin_ticket = e->ticket;
	memset(s->pin, 0, sizeof(s->pin));
	s->pin_len = 0;
	f->overlay = FLOW_OVERLAY_PIN_CHECK;
	overlay_arm(f, now);
}

/* The PIN lockout as it stands, for the wiring to keep across restarts. */
static void fx_pin_state(struct flow_entrance *f, int64_t now, struct effects *out)
{
	struct effect *e = fx_push(out, FX_PIN_STATE, 0);
	if (!e)
		return;
	e->pin_state.bad = f->pin_bad;
	e->pin_state.locked_ms = now < f->pin_locked_until_ms ? f->pin_locked_until_ms - now : 0;
}

static void on_pin_answer(struct flow_entrance *f, const struct event *ev, int64_t now,
                          struct effects *out)
{
	struct flow_session *s = &f->session;
	s->pin_ticket = 0;
	if (ev->kind == EV_STAFF_OK) {
		bool had_bad = f->pin_bad != 0;
		s->pin_failures = 0;
		f->pin_bad = 0;
		f->overlay = FLOW_OVERLAY_STAFF;
		overlay_arm(f, now);
		fx_audit(f, out, AUDIT_STAFF_LOGIN, f->reason);
		if (had_bad)
			fx_pin_state(f, now, out);
		return;
	}
	s->pin_failures++;
	fx_audit(f, out, AUDIT_STAFF_PIN_BAD, f->reason);
	bool locks = ++f->pin_bad >= f->cfg.pin_attempts && f->cfg.pin_lockout_ms > 0;
	if (locks) {
		f->pin_bad = 0;
		f->pin_locked_until_ms = now + f->cfg.pin_lockout_ms;
	}
	fx_pin_state(f, now, out); /* kept before the screen changes: pulling the plug now
	                              does not forget it */
	/* the panel closes with the lockout too: bad PINs of earlier visits (or from before a
	 * restart) count, so this panel gives no further tries */
	if (s->pin_failures >= f->cfg.pin_attempts || locks) {
		fx_audit(f, out, AUDIT_STAFF_LOCKED_OUT, f->reason);
		pin_close(f, now);
		return;
	}
	f->overlay = FLOW_OVERLAY_PIN;
	overlay_arm(f, now);
}

static void staff_decide(struct flow_entrance *f, bool approve, int64_t now, struct effects *out)
{
	struct flow_session *s = &f->session;
	enum reason why = f->reason;
	if (s->pending == FLOW_PENDING_ADMIT && f->state == FLOW_APPROVAL) {
		fx_audit(f, out, approve ? AUDIT_APPROVE_ADMIT : AUDIT_DENY_ADMIT, why);
		struct person p = s->candidate;
		bool member = s->pending_member;
		COPY_STR(p.approved_by, s->badge);
		pending_drop(s);
		overlay_close(f, now);
		if (approve)
			admit(f, &p, member, now, out);
		else
			verdict_refuse(f, why, &p, member, now, out);
		memset(&p, 0, sizeof(p));
	} else if (s->pending == FLOW_PENDING_NO_ROOM && f->state == FLOW_FAULT) {
		fx_audit(f, out, approve ? AUDIT_APPROVE_NO_ROOM : AUDIT_DENY_NO_ROOM, why);
		if (!approve) {
			pending_drop(s);
			overlay_close(f, now);
			return;
		}
		struct effect *e = fx_push(out, FX_CHECKIN, ticket_new(f));
		if (!e)
			return;
		e->checkin.count = s->count;
		memcpy(e->checkin.people, s->people, sizeof(e->checkin.people));
		e->checkin.lang = f->lang;
		COPY_STR(e->checkin.briefing_version, s->briefing_version);
		e->checkin.timings = s->timings;
		COPY_STR(e->checkin.no_room_by, s->badge);
		s->no_room = true;
		s->checkin_ticket = e->ticket;
		s->wait_ticket = e->ticket;
		s->t_phase = now;
		pending_drop(s);
		overlay_close(f, now);
		f->reason = REASON_OK;
		enter(f, FLOW_CHECKING_IN, now);
	} else if (s->pending == FLOW_PENDING_REPRINT && f->state == FLOW_REFUSED) {
		fx_audit(f, out, approve ? AUDIT_APPROVE_REPRINT : AUDIT_DENY_REPRINT, why);
		if (!approve) {
			pending_drop(s);
			overlay_close(f, now);
			return;
		}
		struct effect *e = fx_push(out, FX_REPRINT, ticket_new(f));
		if (!e)
			return;
		e->reprint.lang = f->lang;
		e->reprint.person = s->candidate;
		COPY_STR(e->reprint.approved_by, s->badge);
		s->people[0] = s->candidate;
		s->count = 1;
		s->reprint = true;
		s->printed[0] = 0;
		s->wait_ticket = e->ticket;
		s->t_phase = now;
		pending_drop(s);
		overlay_close(f, now);
		f->reason = REASON_OK;
		enter(f, FLOW_REPRINTING, now);
	}
}

static void overlay_touch(struct flow_entrance *f, enum button b, int arg, int64_t now,
                          struct effects *out)
{
	struct flow_session *s = &f->session;
	switch (f->overlay) {
	case FLOW_OVERLAY_CALL:
		if (b == BTN_CANCEL_CALL)
			overlay_close(f, now);
		break;
	case FLOW_OVERLAY_PIN:
		if (b == BTN_PIN_DIGIT && arg >= 0 && arg <= 9 && s->pin_len < FLOW_PIN_MAX)
			s->pin[s->pin_len++] = (char)('0' + arg);
		else if (b == BTN_PIN_BACK && s->pin_len > 0)
			s->pin[--s->pin_len] = 0;
		else if (b == BTN_PIN_ENTER)
			pin_submit(f, s->pin, sizeof(s->pin), now, out);
		else if (b == BTN_PIN_CANCEL)
			pin_close(f, now);
		break;
	case FLOW_OVERLAY_PIN_CHECK:
		if (b == BTN_PIN_CANCEL)
			pin_close(f, now);
		break;
	case FLOW_OVERLAY_STAFF:
		if (b == BTN_STAFF_APPROVE || b == BTN_STAFF_DENY) {
			staff_decide(f, b == BTN_STAFF_APPROVE, now, out);
		} else if (b == BTN_STAFF_RESUME) {
			fx_audit(f, out, AUDIT_RESUME, f->reason);
			overlay_close(f, now);
		} else if (b == BTN_STAFF_END) {
			fx_audit(f, out, AUDIT_END_SESSION, f->reason);
			session_end(f, REASON_OK, now, out);
		}
		break;
	case FLOW_OVERLAY_NONE:
	case FLOW_OVERLAY_COUNT:
		break;
	}
}

/* ---- the person's input ---- */

static void on_touch(struct flow_entrance *f, const struct event *ev, int64_t now,
                     struct effects *out)
{
	struct flow_session *s = &f->session;
	enum button b = ev->touch.button;
	int arg = ev->touch.arg;

	activity(f, now);
	if (f->overlay != FLOW_OVERLAY_NONE) {
		overlay_touch(f, b, arg, now, out);
		return;
	}
	if (b == BTN_CALL_STAFF) {
		call_open(f, now);
		return;
	}
	switch (f->state) {
	case FLOW_IDENTITY:
		if (b == BTN_THIS_IS_ME) {
			s->timings.identity_ms = since(now, s->t_step);
			if (f->cfg.max_group > 1) {
				s->t_family = now;
				family_show(f, REASON_OK, now);
			} else {
				briefing_or_refuse(f, now, out);
			}
		} else if (b == BTN_NOT_ME) {
			refuse(f, REASON_NOT_ME, now, out);
		} else if (b == BTN_CANCEL) {
			session_end(f, REASON_OK, now, out);
		}
		break;
	case FLOW_FAMILY:
		if (b == BTN_ADD_DONE) {
			s->timings.family_ms = since(now, s->t_family);
			briefing_or_refuse(f, now, out);
		} else if (b == BTN_REMOVE_MEMBER && arg >= 1 && arg < s->count) {
			memmove(&s->people[arg], &s->people[arg + 1],
			        (size_t)(s->count - arg - 1) * sizeof(s->people[0]));
			memset(&s->people[--s->count], 0, sizeof(s->people[0]));
			f->reason = REASON_OK;
		} else if (b == BTN_CANCEL) {
			session_end(f, REASON_OK, now, out);
		}
		break;
	case FLOW_APPROVAL:
		if (b == BTN_CANCEL && s->pending_member) {
			pending_drop(s);
			family_show(f, REASON_OK, now);
		} else if (b == BTN_CANCEL) {
			session_end(f, REASON_OK, now, out);
		}
		break;
	case FLOW_VERIFYING:
	case FLOW_MEMBER_VERIFYING:
	case FLOW_BRIEFING:
	case FLOW_EVIDENCE:
		if (b == BTN_CANCEL)
			session_end(f, REASON_OK, now, out);
		break;
	case FLOW_REFUSED:
	case FLOW_DONE:
	case FLOW_FAULT:
		if (b == BTN_DISMISS || b == BTN_CANCEL)
			session_end(f, f->reason, now, out);
		break;
	case FLOW_ATTRACT:
	case FLOW_CHECKING_IN:
	case FLOW_PRINTING:
	case FLOW_REPRINTING:
	case FLOW_STATE_COUNT:
		break;
	}
}

/* The first code of a visit: verified, or refused at once when the check-in could not be
 * stored (the code is not even read: nothing of the person is kept). */
static void first_scan(struct flow_entrance *f, const struct event *ev, int64_t now,
                       struct effects *out)
{
	if (!f->storage_low) {
		verify_start(f, ev, false, now, out);
		return;
	}
	f->session.t_scan = now;
	refuse(f, REASON_STORAGE_LOW, now, out);
}

static void on_scan(struct flow_entrance *f, const struct event *ev, int64_t now,
                    struct effects *out)
{
	if (f->overlay != FLOW_OVERLAY_NONE || !ev->scan.text[0])
		return;
	switch (f->state) {
	case FLOW_REFUSED:
	case FLOW_DONE:
		/* the next person is already scanning: this visit is over */
		session_end(f, f->reason, now, out);
		first_scan(f, ev, now, out);
		break;
	case FLOW_ATTRACT:
	case FLOW_EVIDENCE: /* the health code after the credential (the session goes on) */
		first_scan(f, ev, now, out);
		break;
	case FLOW_FAMILY:
		if (f->session.count >= f->cfg.max_group) {
			family_show(f, REASON_GROUP_TOO_LARGE, now);
			fx_beep(out, BEEP_REFUSE);
		} else {
			verify_start(f, ev, true, now, out);
		}
		break;
	default:
		break; /* busy or past the scanning steps */
	}
}

static void on_language(struct flow_entrance *f, const struct event *ev, int64_t now)
{
	if ((unsigned)ev->language.lang >= FLOW_LANG_COUNT || ev->language.lang == f->lang)
		return;
	f->lang = ev->language.lang;
	if (f->state == FLOW_BRIEFING) {
		/* another text: read it from the top, for the minimum time */
		f->session.scrolled_end = false;
		f->session.t_read = now;
	}
	activity(f, now);
}

static bool ack_allowed(const struct flow_entrance *f, int64_t now)
{
	return f->state == FLOW_BRIEFING && f->overlay == FLOW_OVERLAY_NONE &&
	       f->session.scrolled_end && since(now, f->session.t_read) >= f->cfg.min_read_ms;
}

/* ---- timeouts ---- */

static void overlay_expire(struct flow_entrance *f, int64_t now)
{
	if (f->overlay == FLOW_OVERLAY_PIN || f->overlay == FLOW_OVERLAY_PIN_CHECK)
		pin_close(f, now);
	else
		overlay_close(f, now); /* a signed-in panel is never left open */
}

static void main_expire(struct flow_entrance *f, int64_t now, struct effects *out)
{
	struct flow_session *s = &f->session;
	switch (f->state) {
	case FLOW_ATTRACT:
		f->lang = f->cfg.default_lang;
		main_arm(f, now);
		break;
	case FLOW_VERIFYING:
		s->wait_ticket = 0;
		refuse(f, REASON_TIMEOUT, now, out);
		break;
	case FLOW_MEMBER_VERIFYING:
		s->wait_ticket = 0;
		family_show(f, REASON_TIMEOUT, now);
		fx_beep(out, BEEP_REFUSE);
		break;
	case FLOW_CHECKING_IN:
		/* the store's answer may still come: wait_ticket stays and a late EV_ASSIGNED is
		 * taken in FAULT */
		fault(f, REASON_STORE_FAILED, now, out);
		break;
	case FLOW_PRINTING:
	case FLOW_REPRINTING:
		for (int i = 0; i < FLOW_GROUP_MAX; i++)
			if (s->printed[i] == 0)
				s->printed[i] = 2;
		done_show(f, now, out);
		break;
	case FLOW_DONE:
	case FLOW_REFUSED:
		session_end(f, f->reason, now, out);
		break;
	case FLOW_IDENTITY:
	case FLOW_FAMILY:
	case FLOW_BRIEFING:
	case FLOW_APPROVAL:
	case FLOW_FAULT:
	case FLOW_EVIDENCE:
		session_end(f, REASON_TIMEOUT, now, out);
		break;
	case FLOW_STATE_COUNT:
		break;
	}
}

static void timeouts_check(struct flow_entrance *f, int64_t now, struct effects *out)
{
	if (f->overlay != FLOW_OVERLAY_NONE && f->overlay_deadline_ms &&
	    now >= f->overlay_deadline_ms)
		overlay_expire(f, now);
	if (f->main_deadline_ms && now >= f->main_deadline_ms &&
	    (f->overlay == FLOW_OVERLAY_NONE || state_waits_for_answer(f->state)))
		main_expire(f, now, out);
}

static void view_update(struct flow_entrance *f, int64_t now)
{
	f->now_ms = now;
	f->ack_enabled = ack_allowed(f, now);
	f->deadline_ms =
	    f->overlay != FLOW_OVERLAY_NONE ? f->overlay_deadline_ms : f->main_deadline_ms;
	if (!flow_entrance_staff_called(f))
		f->call_reason = REASON_OK;
	f->countdown_s = -1;
	bool shows = f->overlay != FLOW_OVERLAY_NONE ? f->overlay != FLOW_OVERLAY_PIN_CHECK
	                                             : state_abandonable(f->state);
	if (shows && f->deadline_ms) {
		int64_t left = since(f->deadline_ms, now);
		if (left > 0 && left <= COUNTDOWN_MS)
			f->countdown_s = (int)((left + 999) / 1000);
	}
}

/* ---- public ---- */

void flow_config_defaults(struct flow_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->idle_ms = 60000;
	cfg->briefing_idle_ms = 180000;
	cfg->reply_ms = 10000;
	cfg->checkin_ms = 15000;
	cfg->print_ms = 30000;
	cfg->refusal_ms = 12000;
	cfg->done_ms = 20000;
	cfg->staff_wait_ms = 300000;
	cfg->min_read_ms = 20000;
	cfg->walk_in = FLOW_POLICY_STAFF;
	cfg->yellow = FLOW_POLICY_STAFF;
	cfg->red = FLOW_POLICY_REFUSE;
	cfg->max_group = 6;
	cfg->pin_attempts = 3;
	cfg->pin_lockout_ms = 300000;
	cfg->default_lang = FLOW_LANG_ZH;
}

static bool policy_ok(enum flow_policy p)
{
	return p >= FLOW_POLICY_ALLOW && p <= FLOW_POLICY_REFUSE;
}

static bool config_ok(const struct flow_config *c)
{
	return c->idle_ms > 0 && c->briefing_idle_ms > 0 && c->reply_ms > 0 && c->checkin_ms > 0 &&
	       c->print_ms > 0 && c->refusal_ms > 0 && c->done_ms > 0 && c->staff_wait_ms > 0 &&
	       c->min_read_ms >= 0 && policy_ok(c->walk_in) && policy_ok(c->yellow) &&
	       policy_ok(c->red) && c->max_group >= 1 && c->max_group <= FLOW_GROUP_MAX &&
	       c->pin_attempts >= 1 && c->pin_lockout_ms >= 0 &&
	       (unsigned)c->default_lang < FLOW_LANG_COUNT;
}

int flow_entrance_init(struct flow_entrance *f, const struct flow_config *cfg)
{
	int rc = 0;
	memset(f, 0, sizeof(*f));
	if (cfg && config_ok(cfg)) {
		f->cfg = *cfg;
	} else {
		flow_config_defaults(&f->cfg);
		rc = cfg ? -EINVAL : 0;
	}
	f->lang = f->cfg.default_lang;
	enter(f, FLOW_ATTRACT, 0);
	view_update(f, 0);
	return rc;
}

static void dispatch(struct flow_entrance *f, const struct event *ev, int64_t now_ms,
                     struct effects *out)
{
	struct flow_session *s = &f->session;
	bool answer = ev->ticket != 0 && ev->ticket == s->wait_ticket;
	switch (ev->kind) {
	case EV_SCAN:
		on_scan(f, ev, now_ms, out);
		break;
	case EV_VERIFIED:
		if (answer && (f->state == FLOW_VERIFYING || f->state == FLOW_MEMBER_VERIFYING))
			on_verified(f, ev, now_ms, out);
		break;
	case EV_TOUCH:
		on_touch(f, ev, now_ms, out);
		break;
	case EV_LANGUAGE:
		on_language(f, ev, now_ms);
		break;
	case EV_BRIEFING_END:
		if (f->state == FLOW_BRIEFING && f->overlay == FLOW_OVERLAY_NONE) {
			s->scrolled_end = true;
			activity(f, now_ms);
		}
		break;
	case EV_ACK:
		if (ack_allowed(f, now_ms))
			checkin_send(f, ev, now_ms, out);
		break;
	case EV_ASSIGNED:
	case EV_ASSIGN_FAILED:
		if (!answer || ev->ticket != s->checkin_ticket || s->checked_in)
			break;
		if (f->state != FLOW_CHECKING_IN && f->state != FLOW_FAULT)
			break;
		if (ev->kind == EV_ASSIGNED) {
			on_assigned(f, ev, now_ms, out);
		} else {
			enum reason r = ev->failed.reason;
			s->wait_ticket = 0;
			if (r != REASON_NO_ROOM && r != REASON_GROUP_TOO_LARGE &&
			    r != REASON_NO_LEASED_ROOM)
				r = REASON_STORE_FAILED;
			fault(f, r, now_ms, out);
			/* out of this kiosk's leased rooms, not after a room-less approval: staff
			 * may record the check-in without a room (the person's ack is kept) */
			if (r == REASON_NO_LEASED_ROOM && !s->no_room)
				s->pending = FLOW_PENDING_NO_ROOM;
		}
		break;
	case EV_PRINTED:
	case EV_PRINT_FAILED:
		if (answer && (f->state == FLOW_PRINTING || f->state == FLOW_REPRINTING))
			on_print_result(f, ev, now_ms, out);
		break;
	case EV_STAFF_BADGE:
		on_badge(f, ev, now_ms, out);
		break;
	case EV_STAFF_PIN:
		pin_submit(f, ev->pin.digits, sizeof(ev->pin.digits), now_ms, out);
		break;
	case EV_STAFF_OK:
	case EV_STAFF_BAD:
		if (f->overlay == FLOW_OVERLAY_PIN_CHECK && ev->ticket != 0 &&
		    ev->ticket == s->pin_ticket)
			on_pin_answer(f, ev, now_ms, out);
		break;
	case EV_STORAGE: {
		unsigned char low; /* read as a byte: a bool holding anything but 0/1 is no bool */
		memcpy(&low, &ev->storage.low, 1);
		f->storage_low = low != 0;
		break;
	}
	case EV_NONE:
	case EV_TICK:
	case EV_KIND_COUNT:
		break;
	}
}

void flow_entrance_step(struct flow_entrance *f, const struct event *ev, int64_t now_ms,
                        struct effects *out)
{
	memset(out, 0, sizeof(*out)); /* the last step's effects may hold personal data */
	timeouts_check(f, now_ms, out);
	if (ev)
		dispatch(f, ev, now_ms, out);
	view_update(f, now_ms);
}

void flow_entrance_pin_restore(struct flow_entrance *f, int bad, int64_t locked_until_wall_ms,
                               int64_t wall_now_ms, int64_t now_ms)
{
	f->pin_bad = bad < 0 ? 0 : bad >= f->cfg.pin_attempts ? f->cfg.pin_attempts - 1 : bad;
	f->pin_locked_until_ms = 0;
	if (f->cfg.pin_lockout_ms <= 0 || locked_until_wall_ms <= wall_now_ms)
		return;
	/* the wall clock may have been set back while the kiosk was off: never longer than a
	 * whole lockout from now */
	int64_t left = since(locked_until_wall_ms, wall_now_ms);
	if (left > f->cfg.pin_lockout_ms)
		left = f->cfg.pin_lockout_ms;
	f->pin_locked_until_ms = deadline_after(now_ms, (int32_t)left);
}

bool flow_entrance_staff_called(const struct flow_entrance *f)
{
	return f->overlay == FLOW_OVERLAY_CALL || f->state == FLOW_APPROVAL ||
	       f->state == FLOW_FAULT;
}

int64_t flow_entrance_read_wait_ms(const struct flow_entrance *f, int64_t now_ms)
{
	if (f->state != FLOW_BRIEFING)
		return 0;
	int64_t read = since(now_ms, f->session.t_read);
	return read >= f->cfg.min_read_ms ? 0 : f->cfg.min_read_ms - read;
}

bool flow_entrance_has_personal_data(const struct flow_entrance *f)
{
	const unsigned char *p = (const unsigned char *)&f->session;
	for (size_t i = 0; i < sizeof(f->session); i++)
		if (p[i])
			return true;
	return false;
}

const char *flow_state_name(enum flow_state s)
{
	return (unsigned)s < FLOW_STATE_COUNT ? state_names[s] : "?";
}

const char *flow_overlay_name(enum flow_overlay o)
{
	return (unsigned)o < FLOW_OVERLAY_COUNT ? overlay_names[o] : "?";
}

const char *flow_pending_name(enum flow_pending p)
{
	return (unsigned)p < FLOW_PENDING_COUNT ? pending_names[p] : "?";
}
