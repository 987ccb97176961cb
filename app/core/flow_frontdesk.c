/* app/core/flow_frontdesk.c: the front-desk state machine. Pure: the clock comes in as an
 * argument, the store's, printer's and PIN checker's answers come in as events, and every
 * request and audit record goes out as an effect. See docs/flow-frontdesk.md. */
#include "app/core/flow_frontdesk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[DESK_STATE_COUNT] = {
    "SIGNED_OUT",   "PIN",  "PIN_CHECK", "HOME",    "SEARCHING",         "RESULTS",
    "LOADING_CARD", "CARD", "CONFIRM",   "WORKING", "LOADING_OCCUPANCY", "OCCUPANCY"};
static const char *const by_names[DESK_BY_COUNT] = {"room", "name", "batch", "band"};
static const char *const label_names[DESK_LABEL_COUNT] = {"door", "meal", "tube"};
static const char *const action_names[DESK_ACT_COUNT] = {"none",      "print_label", "reprint_band",
                                                         "void_band", "set_risk",    "release",
                                                         "transfer",  "extend"};
static const char *const event_names[DESK_EV_KIND_COUNT] = {
    "DESK_EV_NONE",      "DESK_EV_TICK",   "DESK_EV_TOUCH",   "DESK_EV_BADGE",
    "DESK_EV_PIN",       "DESK_EV_PIN_OK", "DESK_EV_PIN_BAD", "DESK_EV_SEARCH",
    "DESK_EV_RESULTS",   "DESK_EV_OPEN",   "DESK_EV_CARD",    "DESK_EV_ACTION",
    "DESK_EV_CONFIRM",   "DESK_EV_CANCEL", "DESK_EV_DONE",    "DESK_EV_OCCUPANCY_OPEN",
    "DESK_EV_OCCUPANCY", "DESK_EV_BACK",   "DESK_EV_SIGN_OUT"};
static const char *const effect_names[DESK_FX_KIND_COUNT] = {
    "DESK_FX_NONE",        "DESK_FX_CHECK_PIN",    "DESK_FX_SEARCH",         "DESK_FX_LOAD_CARD",
    "DESK_FX_PRINT_LABEL", "DESK_FX_REPRINT_BAND", "DESK_FX_VOID_BAND",      "DESK_FX_SET_RISK",
    "DESK_FX_SET_STATUS",  "DESK_FX_EXTEND",       "DESK_FX_LOAD_OCCUPANCY", "DESK_FX_AUDIT",
    "DESK_FX_CLEAR"};

/* Per action: the effect that carries it out and the audit record of its outcome. */
static const enum desk_effect_kind action_effect[DESK_ACT_COUNT] = {
    [DESK_ACT_PRINT_LABEL] = DESK_FX_PRINT_LABEL,
    [DESK_ACT_REPRINT_BAND] = DESK_FX_REPRINT_BAND,
    [DESK_ACT_VOID_BAND] = DESK_FX_VOID_BAND,
    [DESK_ACT_SET_RISK] = DESK_FX_SET_RISK,
    [DESK_ACT_RELEASE] = DESK_FX_SET_STATUS,
    [DESK_ACT_TRANSFER] = DESK_FX_SET_STATUS,
    [DESK_ACT_EXTEND] = DESK_FX_EXTEND};
static const enum audit_action action_audit[DESK_ACT_COUNT] = {
    [DESK_ACT_PRINT_LABEL] = AUDIT_PRINT_LABEL,
    [DESK_ACT_REPRINT_BAND] = AUDIT_REPRINT_BAND,
    [DESK_ACT_VOID_BAND] = AUDIT_VOID_BAND,
    [DESK_ACT_SET_RISK] = AUDIT_SET_RISK,
    [DESK_ACT_RELEASE] = AUDIT_RELEASE,
    [DESK_ACT_TRANSFER] = AUDIT_TRANSFER,
    [DESK_ACT_EXTEND] = AUDIT_EXTEND};

#define COPY_STR(dst, src) resident_copy_str((dst), sizeof(dst), (src), sizeof(src))

/* ---- small helpers ---- */

static int64_t deadline_after(int64_t now, int32_t ms)
{
	int64_t d = now > INT64_MAX - ms ? INT64_MAX : now + ms;
	return d == 0 ? 1 : d;
}

static uint32_t ticket_new(struct flow_frontdesk *f)
{
	if (++f->next_ticket == 0)
		f->next_ticket = 1;
	return f->next_ticket;
}

static struct desk_effect *fx_push(struct desk_effects *out, enum desk_effect_kind kind,
                                   uint32_t ticket)
{
	if (out->count >= DESK_EFFECTS_MAX) {
		out->overflow = true;
		return NULL;
	}
	struct desk_effect *e = &out->fx[out->count++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->ticket = ticket;
	return e;
}

static void fx_audit(struct desk_effects *out, enum audit_action action, enum reason outcome,
                     const struct desk_change *change)
{
	struct desk_effect *e = fx_push(out, DESK_FX_AUDIT, 0);
	if (!e)
		return;
	e->audit.action = action;
	e->audit.outcome = outcome;
	e->audit.change = *change;
	memset(e->audit.change.diet, 0, sizeof(e->audit.change.diet)); /* health detail */
}

/* An audit record about the signed-in (or signing-in) staff member alone. */
static void fx_audit_staff(struct desk_effects *out, enum audit_action action, enum reason outcome,
                           const char *badge, size_t badge_size)
{
	struct desk_change who;
	memset(&who, 0, sizeof(who));
	resident_copy_str(who.badge, sizeof(who.badge), badge, badge_size);
	fx_audit(out, action, outcome, &who);
}

static bool read_bool(const bool *b)
{
	unsigned char v;
	memcpy(&v, b, 1);
	return v != 0;
}

static bool has_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);
	if (n == size)
		return false; /* not terminated */
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return true;
	return false;
}

static bool locked(const struct flow_frontdesk *f, int64_t now)
{
	return f->locked_until_ms != 0 && now < f->locked_until_ms;
}

static bool busy(enum desk_state s)
{
	return s == DESK_SEARCHING || s == DESK_LOADING_CARD || s == DESK_WORKING ||
	       s == DESK_LOADING_OCCUPANCY;
}

/* ---- states ---- */

static void enter(struct flow_frontdesk *f, enum desk_state s, int64_t now)
{
	f->state = s;
	f->deadline_ms = 0;
	if (s == DESK_PIN)
		f->deadline_ms = deadline_after(now, f->cfg.pin_idle_ms);
	else if (s == DESK_PIN_CHECK || busy(s))
		f->deadline_ms = deadline_after(now, f->cfg.reply_ms);
	if (s != DESK_WORKING && s != DESK_CONFIRM)
		memset(&f->session.request, 0, sizeof(f->session.request));
	if (s != DESK_WORKING)
		memset(&f->session.change, 0, sizeof(f->session.change));
	if (s != DESK_CARD && s != DESK_CONFIRM && s != DESK_WORKING && s != DESK_LOADING_CARD)
		memset(&f->session.card, 0, sizeof(f->session.card));
	if (s != DESK_OCCUPANCY)
		memset(&f->session.occ, 0, sizeof(f->session.occ));
	if (!busy(s) && s != DESK_PIN_CHECK)
		f->session.wait_ticket = 0;
}

static void signed_out_show(struct flow_frontdesk *f, enum reason notice)
{
	memset(&f->session, 0, sizeof(f->session));
	f->state = DESK_SIGNED_OUT;
	f->notice = notice;
	f->deadline_ms = 0;
	f->idle_deadline_ms = 0;
}

static void sign_out(struct flow_frontdesk *f, enum reason why, struct desk_effects *out)
{
	fx_audit_staff(out, AUDIT_STAFF_LOGOUT, why, f->session.badge, sizeof(f->session.badge));
	fx_push(out, DESK_FX_CLEAR, 0);
	signed_out_show(f, why == REASON_TIMEOUT ? REASON_TIMEOUT : REASON_OK);
}

static void done_forget(struct desk_session *s)
{
	s->done_action = DESK_ACT_NONE;
	s->done_reason = REASON_OK;
	s->done_serial = 0;
}

static void card_request(struct flow_frontdesk *f, const char *arrival_id, size_t size, int64_t now,
                         struct desk_effects *out)
{
	struct desk_effect *e = fx_push(out, DESK_FX_LOAD_CARD, ticket_new(f));
	if (!e)
		return;
	resident_copy_str(e->load_card.arrival_id, sizeof(e->load_card.arrival_id), arrival_id,
	                  size);
	COPY_STR(f->session.arrival_id, e->load_card.arrival_id);
	enter(f, DESK_LOADING_CARD, now);
	f->session.wait_ticket = e->ticket;
}

/* Leave the card (or a failed load) for the list it came from, or home. */
static void card_leave(struct flow_frontdesk *f, enum reason notice, int64_t now)
{
	struct desk_session *s = &f->session;
	memset(s->arrival_id, 0, sizeof(s->arrival_id));
	memset(s->viewed, 0, sizeof(s->viewed));
	f->notice = notice;
	enter(f, s->back == DESK_RESULTS && s->result_count > 0 ? DESK_RESULTS : DESK_HOME, now);
}

static void home_show(struct flow_frontdesk *f, enum reason notice, int64_t now)
{
	f->notice = notice;
	card_leave(f, notice, now);
	f->session.back = DESK_HOME;
	enter(f, DESK_HOME, now);
}

/* ---- sign-in ---- */

static void on_badge(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now,
                     struct desk_effects *out)
{
	struct desk_session *s = &f->session;
	if (!ev->badge.id[0] || f->state == DESK_PIN_CHECK || busy(f->state) ||
	    f->state == DESK_CONFIRM)
		return;
	if (flow_frontdesk_signed_in(f)) {
		if (strncmp(s->badge, ev->badge.id, sizeof(s->badge)) == 0)
			return;              /* the same person: nothing changes */
		sign_out(f, REASON_OK, out); /* another staff member takes over */
	}
	if (locked(f, now)) {
		fx_audit_staff(out, AUDIT_STAFF_LOCKED_ATTEMPT, REASON_LOCKED_OUT, ev->badge.id,
		               sizeof(ev->badge.id));
		signed_out_show(f, REASON_LOCKED_OUT);
		return;
	}
	memset(s, 0, sizeof(*s));
	COPY_STR(s->badge, ev->badge.id);
	f->notice = REASON_OK;
	enter(f, DESK_PIN, now);
}

static void on_pin(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now,
                   struct desk_effects *out)
{
	size_t n = strnlen(ev->pin.digits, sizeof(ev->pin.digits));
	bool digits = n > 0 && n <= FLOW_PIN_MAX;
	for (size_t i = 0; digits && i < n; i++)
		digits = ev->pin.digits[i] >= '0' && ev->pin.digits[i] <= '9';
	if (!digits) {
		f->notice = REASON_BAD_REQUEST; /* not a PIN at all: not an attempt */
		return;
	}
	struct desk_effect *e = fx_push(out, DESK_FX_CHECK_PIN, ticket_new(f));
	if (!e)
		return;
	COPY_STR(e->check_pin.badge, f->session.badge);
	memcpy(e->check_pin.pin, ev->pin.digits, n);
	f->notice = REASON_OK;
	enter(f, DESK_PIN_CHECK, now);
	f->session.wait_ticket = e->ticket;
}

static void on_pin_answer(struct flow_frontdesk *f, bool ok, int64_t now, struct desk_effects *out)
{
	struct desk_session *s = &f->session;
	if (ok) {
		f->pin_failures = 0;
		fx_audit_staff(out, AUDIT_STAFF_LOGIN, REASON_OK, s->badge, sizeof(s->badge));
		f->notice = REASON_OK;
		s->back = DESK_HOME;
		enter(f, DESK_HOME, now);
		f->idle_deadline_ms = deadline_after(now, f->cfg.idle_ms);
		return;
	}
	f->pin_failures++;
	fx_audit_staff(out, AUDIT_STAFF_PIN_BAD, REASON_BAD_PIN, s->badge, sizeof(s->badge));
	if (f->pin_failures >= f->cfg.pin_attempts) {
		f->locked_until_ms = deadline_after(now, f->cfg.lockout_ms);
		fx_audit_staff(out, AUDIT_STAFF_LOCKED_OUT, REASON_LOCKED_OUT, s->badge,
		               sizeof(s->badge));
		signed_out_show(f, REASON_LOCKED_OUT);
		return;
	}
	f->notice = REASON_BAD_PIN;
	enter(f, DESK_PIN, now);
}

/* ---- search and card ---- */

static bool query_ok(enum desk_search_by by, const char *q, size_t size)
{
	if (!has_text(q, size))
		return false;
	size_t n = strnlen(q, size);
	for (size_t i = 0; i < n; i++) {
		char c = q[i];
		bool digit = c >= '0' && c <= '9';
		bool alnum = digit || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		if (by == DESK_BY_BAND && !digit)
			return false;
		if (by == DESK_BY_ROOM && !alnum && c != '-')
			return false;
		if ((unsigned char)c < 0x20 || c == 0x7f)
			return false;
	}
	return (unsigned)by < DESK_BY_COUNT;
}

static void on_search(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now,
                      struct desk_effects *out)
{
	struct desk_session *s = &f->session;
	if (!query_ok(ev->search.by, ev->search.query, sizeof(ev->search.query))) {
		f->notice = REASON_BAD_REQUEST;
		return;
	}
	struct desk_effect *e = fx_push(out, DESK_FX_SEARCH, ticket_new(f));
	if (!e)
		return;
	e->search.by = ev->search.by;
	COPY_STR(e->search.query, ev->search.query);
	s->by = ev->search.by;
	COPY_STR(s->query, ev->search.query);
	s->result_count = 0;
	s->more = false;
	memset(s->results, 0, sizeof(s->results));
	done_forget(s);
	card_leave(f, REASON_OK, now);
	enter(f, DESK_SEARCHING, now);
	s->wait_ticket = e->ticket;
}

static bool result_take(struct desk_result *dst, const struct desk_result *src)
{
	memset(dst, 0, sizeof(*dst));
	if ((unsigned)src->risk >= RISK_COUNT || (unsigned)src->status >= RESIDENT_STATUS_COUNT ||
	    !has_text(src->arrival_id, sizeof(src->arrival_id)))
		return false;
	COPY_STR(dst->arrival_id, src->arrival_id);
	COPY_STR(dst->name_masked, src->name_masked);
	COPY_STR(dst->room, src->room);
	COPY_STR(dst->batch, src->batch);
	dst->risk = src->risk;
	dst->status = src->status;
	dst->band_serial = src->band_serial;
	return true;
}

static void on_results(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now,
                       struct desk_effects *out)
{
	struct desk_session *s = &f->session;
	if (ev->results.reason != REASON_OK) {
		home_show(f, REASON_LOOKUP_FAILED, now);
		return;
	}
	int n = ev->results.count;
	if (n < 0)
		n = 0;
	if (n > DESK_RESULTS_MAX)
		n = DESK_RESULTS_MAX;
	s->result_count = 0;
	for (int i = 0; i < n; i++)
		if (result_take(&s->results[s->result_count], &ev->results.rows[i]))
			s->result_count++;
	s->more = read_bool(&ev->results.more) || ev->results.count > DESK_RESULTS_MAX;
	s->back = DESK_RESULTS;
	if (s->result_count == 0) {
		f->notice = REASON_NOT_FOUND;
		enter(f, DESK_RESULTS, now);
	} else if (s->result_count == 1 && !s->more) {
		/* one hit (a band, a single room): straight to the card */
		f->notice = REASON_OK;
		card_request(f, s->results[0].arrival_id, sizeof(s->results[0].arrival_id), now,
		             out);
	} else {
		f->notice = REASON_OK;
		enter(f, DESK_RESULTS, now);
	}
}

static bool card_take(struct desk_card *dst, const struct desk_card *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!resident_take(&dst->resident, &src->resident))
		return false;
	COPY_STR(dst->doc_masked, src->doc_masked);
	COPY_STR(dst->batch, src->batch);
	COPY_STR(dst->room_assigned, src->room_assigned);
	COPY_STR(dst->diet, src->diet);
	dst->checked_in_unix = src->checked_in_unix;
	dst->band_serial = src->band_serial > 0 ? src->band_serial : 0;
	for (int i = 0; i < src->risk_count && i < DESK_HISTORY_MAX; i++) {
		const struct desk_risk_change *r = &src->risks[i];
		if ((unsigned)r->risk >= RISK_COUNT)
			continue;
		struct desk_risk_change *d = &dst->risks[dst->risk_count++];
		d->risk = r->risk;
		d->unix_s = r->unix_s;
		COPY_STR(d->by, r->by);
		COPY_STR(d->note, r->note);
	}
	for (int i = 0; i < src->label_count && i < DESK_HISTORY_MAX; i++) {
		if ((unsigned)src->labels[i].label >= DESK_LABEL_COUNT)
			continue;
		dst->labels[dst->label_count++] = src->labels[i];
	}
	for (int i = 0; i < src->scan_count && i < DESK_HISTORY_MAX; i++) {
		const struct desk_scan *sc = &src->scans[i];
		if ((unsigned)sc->colour >= SEC_COLOUR_COUNT ||
		    (unsigned)sc->reason >= REASON_COUNT)
			continue;
		struct desk_scan *d = &dst->scans[dst->scan_count++];
		COPY_STR(d->checkpoint, sc->checkpoint);
		d->unix_s = sc->unix_s;
		d->colour = sc->colour;
		d->reason = sc->reason;
	}
	return true;
}

static void on_card(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now,
                    struct desk_effects *out)
{
	struct desk_session *s = &f->session;
	enum reason r = ev->card.reason;
	if (r == REASON_OK && (!card_take(&s->card, &ev->card.card) ||
	                       strcmp(s->card.resident.arrival_id, s->arrival_id) != 0))
		r = REASON_LOOKUP_FAILED; /* unreadable, or not the one asked for */
	else if (r != REASON_OK && r != REASON_NOT_FOUND)
		r = REASON_LOOKUP_FAILED;
	if (r != REASON_OK) {
		card_leave(f, r, now);
		return;
	}
	if (strcmp(s->viewed, s->arrival_id) != 0) {
		struct desk_change c;
		memset(&c, 0, sizeof(c));
		COPY_STR(c.badge, s->badge);
		COPY_STR(c.arrival_id, s->arrival_id);
		fx_audit(out, AUDIT_VIEW_CARD, REASON_OK, &c);
		COPY_STR(s->viewed, s->arrival_id);
	}
	enter(f, DESK_CARD, now);
}

/* ---- actions ---- */

enum reason flow_frontdesk_check_request(const struct desk_card *card,
                                         const struct desk_request *req)
{
	enum desk_action a = req->action;
	if (a <= DESK_ACT_NONE || a >= DESK_ACT_COUNT)
		return REASON_BAD_REQUEST;
	bool note = has_text(req->note, sizeof(req->note));
	if (strnlen(req->note, sizeof(req->note)) == sizeof(req->note))
		return REASON_BAD_REQUEST;
	if (a == DESK_ACT_VOID_BAND) /* allowed whatever the status: a band must be voidable */
		return card->band_serial == 0 ? REASON_NOT_FOUND
		       : note                 ? REASON_OK
		                              : REASON_BAD_REQUEST;
	if (card->resident.status == RESIDENT_RELEASED)
		return REASON_RELEASED;
	if (card->resident.status == RESIDENT_TRANSFERRED)
		return REASON_TRANSFERRED;
	switch (a) {
	case DESK_ACT_PRINT_LABEL:
		return (unsigned)req->label < DESK_LABEL_COUNT ? REASON_OK : REASON_BAD_REQUEST;
	case DESK_ACT_SET_RISK:
		return (unsigned)req->risk < RISK_COUNT && note ? REASON_OK : REASON_BAD_REQUEST;
	case DESK_ACT_TRANSFER:
		return note ? REASON_OK : REASON_BAD_REQUEST;
	case DESK_ACT_EXTEND:
		return req->days >= 1 && req->days <= POLICY_EXTEND_MAX && note
		           ? REASON_OK
		           : REASON_BAD_REQUEST;
	default:
		return REASON_OK; /* reprint, release */
	}
}

static void on_action(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now)
{
	struct desk_session *s = &f->session;
	struct desk_request req;
	memcpy(&req, &ev->action, sizeof(req));
	enum reason r = flow_frontdesk_check_request(&s->card, &req);
	memset(&req, 0, sizeof(req));
	if (r != REASON_OK) {
		f->notice = r;
		return;
	}
	s->request.action = ev->action.action;
	s->request.label = ev->action.label;
	s->request.risk = ev->action.risk;
	s->request.days = ev->action.days;
	COPY_STR(s->request.note, ev->action.note);
	f->notice = REASON_OK;
	enter(f, DESK_CONFIRM, now);
}

static void on_confirm(struct flow_frontdesk *f, int64_t now, struct desk_effects *out)
{
	struct desk_session *s = &f->session;
	const struct desk_request *q = &s->request;
	struct desk_effect *e = fx_push(out, action_effect[q->action], ticket_new(f));
	if (!e)
		return;
	struct desk_change *c = &e->change;
	COPY_STR(c->badge, s->badge);
	COPY_STR(c->arrival_id, s->card.resident.arrival_id);
	COPY_STR(c->room, s->card.resident.room);
	c->serial = s->card.band_serial;
	COPY_STR(c->note, q->note);
	switch (q->action) {
	case DESK_ACT_PRINT_LABEL:
		c->label = q->label;
		if (q->label == DESK_LABEL_MEAL)
			COPY_STR(c->diet, s->card.diet);
		break;
	case DESK_ACT_SET_RISK:
		c->risk = q->risk;
		break;
	case DESK_ACT_RELEASE:
		c->status = RESIDENT_RELEASED;
		break;
	case DESK_ACT_TRANSFER:
		c->status = RESIDENT_TRANSFERRED;
		break;
	case DESK_ACT_EXTEND:
		c->from_day = s->card.resident.plan.release_day;
		c->days = q->days;
		break;
	default:
		break;
	}
	s->change = *c;
	done_forget(s);
	f->state = DESK_WORKING; /* enter() would drop the request */
	f->deadline_ms = deadline_after(now, f->cfg.reply_ms);
	s->wait_ticket = e->ticket;
}

/* The action's outcome: audited, shown, and the card read again so it shows the truth. */
static void action_finish(struct flow_frontdesk *f, enum reason outcome, int64_t serial,
                          int64_t now, struct desk_effects *out)
{
	struct desk_session *s = &f->session;
	enum desk_action a = s->request.action;
	fx_audit(out, action_audit[a], outcome, &s->change);
	s->done_action = a;
	s->done_reason = outcome;
	s->done_serial = outcome == REASON_OK && a == DESK_ACT_REPRINT_BAND ? serial : 0;
	f->notice = REASON_OK;
	card_request(f, s->arrival_id, sizeof(s->arrival_id), now, out);
}

static void on_done(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now,
                    struct desk_effects *out)
{
	enum reason r = ev->done.reason;
	if ((unsigned)r >= REASON_COUNT)
		r = REASON_STORE_FAILED;
	action_finish(f, r, ev->done.serial, now, out);
}

/* ---- occupancy ---- */

static int room_order(const void *a, const void *b)
{
	const struct desk_room *x = a, *y = b;
	if (x->floor != y->floor)
		return x->floor < y->floor ? -1 : 1;
	size_t nx = strlen(x->number), ny = strlen(y->number);
	if (nx != ny) /* "902" before "1001" on a floor numbered oddly */
		return nx < ny ? -1 : 1;
	return strcmp(x->number, y->number);
}

static int floor_order(const void *a, const void *b)
{
	const struct desk_floor *x = a, *y = b;
	return x->floor < y->floor ? -1 : x->floor > y->floor;
}

void desk_occupancy_tally(struct desk_occupancy *occ)
{
	int n = occ->room_count < 0                    ? 0
	        : occ->room_count > DESK_OCC_ROOMS_MAX ? DESK_OCC_ROOMS_MAX
	                                               : occ->room_count;
	int kept = 0;
	for (int i = 0; i < n; i++) {
		struct desk_room r = occ->rooms[i];
		r.number[sizeof(r.number) - 1] = 0;
		if ((unsigned)r.state >= ROOM_STATE_COUNT || (unsigned)r.risk >= RISK_COUNT)
			continue;
		if (r.occupants < 0)
			r.occupants = 0;
		occ->rooms[kept++] = r;
	}
	memset(&occ->rooms[kept], 0, (size_t)(DESK_OCC_ROOMS_MAX - kept) * sizeof(occ->rooms[0]));
	occ->room_count = kept;
	occ->truncated = read_bool(&occ->truncated);
	occ->printer_ok = read_bool(&occ->printer_ok);
	if ((unsigned)occ->printer_reason >= REASON_COUNT)
		occ->printer_reason = REASON_PRINTER_FAILED;
	qsort(occ->rooms, (size_t)kept, sizeof(occ->rooms[0]), room_order);
	memset(occ->counts, 0, sizeof(occ->counts));
	memset(occ->risk_counts, 0, sizeof(occ->risk_counts));
	memset(occ->floors, 0, sizeof(occ->floors));
	occ->floor_count = 0;
	for (int i = 0; i < kept; i++) {
		const struct desk_room *r = &occ->rooms[i];
		occ->counts[r->state]++;
		if (r->state == ROOM_OCCUPIED)
			occ->risk_counts[r->risk]++;
		/* rooms are sorted by floor: a new floor starts a new entry */
		struct desk_floor *fl =
		    occ->floor_count ? &occ->floors[occ->floor_count - 1] : NULL;
		if (!fl || fl->floor != r->floor) {
			if (occ->floor_count == DESK_OCC_FLOORS_MAX)
				continue; /* counted in the totals, not in a floor row */
			fl = &occ->floors[occ->floor_count++];
			fl->floor = r->floor;
		}
		fl->rooms++;
		fl->counts[r->state]++;
	}
	qsort(occ->floors, (size_t)occ->floor_count, sizeof(occ->floors[0]), floor_order);
}

static void on_occupancy(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now)
{
	if (ev->occupancy.reason != REASON_OK) {
		home_show(f, REASON_LOOKUP_FAILED, now);
		return;
	}
	enter(f, DESK_OCCUPANCY, now);
	f->session.occ = ev->occupancy.occ;
	desk_occupancy_tally(&f->session.occ);
	f->notice = REASON_OK;
}

static void occupancy_request(struct flow_frontdesk *f, int64_t now, struct desk_effects *out)
{
	struct desk_effect *e = fx_push(out, DESK_FX_LOAD_OCCUPANCY, ticket_new(f));
	if (!e)
		return;
	card_leave(f, REASON_OK, now);
	enter(f, DESK_LOADING_OCCUPANCY, now);
	f->session.wait_ticket = e->ticket;
}

/* ---- timeouts ---- */

static void state_expire(struct flow_frontdesk *f, int64_t now, struct desk_effects *out)
{
	switch (f->state) {
	case DESK_PIN:
	case DESK_PIN_CHECK:
		signed_out_show(f, REASON_TIMEOUT);
		break;
	case DESK_SEARCHING:
	case DESK_LOADING_OCCUPANCY:
		home_show(f, REASON_TIMEOUT, now);
		break;
	case DESK_LOADING_CARD:
		card_leave(f, REASON_TIMEOUT, now);
		break;
	case DESK_WORKING:
		/* the outcome is unknown: audited as such, and the card is read again */
		action_finish(f, REASON_TIMEOUT, 0, now, out);
		break;
	default:
		f->deadline_ms = 0;
		break;
	}
}

static void timeouts_check(struct flow_frontdesk *f, int64_t now, struct desk_effects *out)
{
	if (f->locked_until_ms && now >= f->locked_until_ms) {
		f->locked_until_ms = 0;
		f->pin_failures = 0;
	}
	if (f->deadline_ms && now >= f->deadline_ms)
		state_expire(f, now, out);
	if (flow_frontdesk_signed_in(f) && f->state != DESK_WORKING && f->idle_deadline_ms &&
	    now >= f->idle_deadline_ms)
		sign_out(f, REASON_TIMEOUT, out);
}

/* ---- dispatch ---- */

static void on_back(struct flow_frontdesk *f, int64_t now)
{
	switch (f->state) {
	case DESK_CONFIRM:
		enter(f, DESK_CARD, now);
		break;
	case DESK_CARD:
	case DESK_LOADING_CARD:
		card_leave(f, REASON_OK, now);
		break;
	case DESK_RESULTS:
	case DESK_SEARCHING:
	case DESK_OCCUPANCY:
	case DESK_LOADING_OCCUPANCY:
		home_show(f, REASON_OK, now);
		break;
	default:
		break; /* WORKING: the action is in flight */
	}
}

/* True when ev answers what state s awaits. A taken answer restarts the idle time: staff
 * were waiting, not away. */
static bool answers(struct flow_frontdesk *f, const struct desk_event *ev, enum desk_state s,
                    int64_t now)
{
	if (f->state != s || ev->ticket == 0 || ev->ticket != f->session.wait_ticket)
		return false;
	if (flow_frontdesk_signed_in(f))
		f->idle_deadline_ms = deadline_after(now, f->cfg.idle_ms);
	return true;
}

static void dispatch(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now,
                     struct desk_effects *out)
{
	enum desk_state st = f->state;
	bool in = flow_frontdesk_signed_in(f);
	bool idle_state =
	    st == DESK_HOME || st == DESK_RESULTS || st == DESK_CARD || st == DESK_OCCUPANCY;
	bool staff_input = ev->kind == DESK_EV_TOUCH || ev->kind == DESK_EV_BADGE ||
	                   ev->kind == DESK_EV_SEARCH || ev->kind == DESK_EV_OPEN ||
	                   ev->kind == DESK_EV_ACTION || ev->kind == DESK_EV_CONFIRM ||
	                   ev->kind == DESK_EV_CANCEL || ev->kind == DESK_EV_OCCUPANCY_OPEN ||
	                   ev->kind == DESK_EV_BACK;
	if (in && staff_input)
		f->idle_deadline_ms = deadline_after(now, f->cfg.idle_ms);
	switch (ev->kind) {
	case DESK_EV_BADGE:
		on_badge(f, ev, now, out);
		break;
	case DESK_EV_PIN:
		if (st == DESK_PIN)
			on_pin(f, ev, now, out);
		break;
	case DESK_EV_PIN_OK:
	case DESK_EV_PIN_BAD:
		if (answers(f, ev, DESK_PIN_CHECK, now))
			on_pin_answer(f, ev->kind == DESK_EV_PIN_OK, now, out);
		break;
	case DESK_EV_SEARCH:
		if (idle_state)
			on_search(f, ev, now, out);
		break;
	case DESK_EV_RESULTS:
		if (answers(f, ev, DESK_SEARCHING, now))
			on_results(f, ev, now, out);
		break;
	case DESK_EV_OPEN:
		if (st == DESK_RESULTS && ev->open.index >= 0 &&
		    ev->open.index < f->session.result_count) {
			const struct desk_result *r = &f->session.results[ev->open.index];
			f->notice = REASON_OK;
			done_forget(&f->session);
			card_request(f, r->arrival_id, sizeof(r->arrival_id), now, out);
		}
		break;
	case DESK_EV_CARD:
		if (answers(f, ev, DESK_LOADING_CARD, now))
			on_card(f, ev, now, out);
		break;
	case DESK_EV_ACTION:
		if (st == DESK_CARD)
			on_action(f, ev, now);
		break;
	case DESK_EV_CONFIRM:
		if (st == DESK_CONFIRM)
			on_confirm(f, now, out);
		break;
	case DESK_EV_CANCEL:
		if (st == DESK_CONFIRM)
			enter(f, DESK_CARD, now);
		else if (st == DESK_PIN || st == DESK_PIN_CHECK)
			signed_out_show(f, REASON_OK);
		break;
	case DESK_EV_DONE:
		if (answers(f, ev, DESK_WORKING, now))
			on_done(f, ev, now, out);
		break;
	case DESK_EV_OCCUPANCY_OPEN:
		if (idle_state)
			occupancy_request(f, now, out);
		break;
	case DESK_EV_OCCUPANCY:
		if (answers(f, ev, DESK_LOADING_OCCUPANCY, now))
			on_occupancy(f, ev, now);
		break;
	case DESK_EV_BACK:
		on_back(f, now);
		break;
	case DESK_EV_SIGN_OUT:
		if (in && st != DESK_WORKING)
			sign_out(f, REASON_OK, out);
		break;
	case DESK_EV_NONE:
	case DESK_EV_TICK:
	case DESK_EV_TOUCH:
	case DESK_EV_KIND_COUNT:
		break;
	}
}

/* ---- public ---- */

void flow_frontdesk_config_defaults(struct desk_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->idle_ms = 120000;
	cfg->pin_idle_ms = 30000;
	cfg->reply_ms = 10000;
	cfg->pin_attempts = 3;
	cfg->lockout_ms = 300000;
}

int flow_frontdesk_init(struct flow_frontdesk *f, const struct desk_config *cfg)
{
	int rc = 0;
	memset(f, 0, sizeof(*f));
	if (cfg && cfg->idle_ms > 0 && cfg->pin_idle_ms > 0 && cfg->reply_ms > 0 &&
	    cfg->pin_attempts >= 1 && cfg->lockout_ms > 0) {
		f->cfg = *cfg;
	} else {
		flow_frontdesk_config_defaults(&f->cfg);
		rc = cfg ? -EINVAL : 0;
	}
	signed_out_show(f, REASON_OK);
	return rc;
}

void flow_frontdesk_step(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now_ms,
                         struct desk_effects *out)
{
	memset(out, 0, sizeof(*out)); /* the last step's effects may hold a PIN or names */
	timeouts_check(f, now_ms, out);
	if (ev)
		dispatch(f, ev, now_ms, out);
	f->now_ms = now_ms;
	f->lockout_s = 0;
	if (locked(f, now_ms))
		f->lockout_s = (int)((f->locked_until_ms - now_ms + 999) / 1000);
}

bool flow_frontdesk_signed_in(const struct flow_frontdesk *f)
{
	return f->state >= DESK_HOME && f->state < DESK_STATE_COUNT;
}

bool flow_frontdesk_has_personal_data(const struct flow_frontdesk *f)
{
	const unsigned char *p = (const unsigned char *)&f->session;
	for (size_t i = 0; i < sizeof(f->session); i++)
		if (p[i])
			return true;
	return false;
}

const char *desk_state_name(enum desk_state s)
{
	return (unsigned)s < DESK_STATE_COUNT ? state_names[s] : "?";
}

const char *desk_search_by_name(enum desk_search_by b)
{
	return (unsigned)b < DESK_BY_COUNT ? by_names[b] : "?";
}

const char *desk_label_name(enum desk_label l)
{
	return (unsigned)l < DESK_LABEL_COUNT ? label_names[l] : "?";
}

const char *desk_action_name(enum desk_action a)
{
	return (unsigned)a < DESK_ACT_COUNT ? action_names[a] : "?";
}

const char *desk_event_kind_name(enum desk_event_kind k)
{
	return (unsigned)k < DESK_EV_KIND_COUNT ? event_names[k] : "?";
}

const char *desk_effect_kind_name(enum desk_effect_kind k)
{
	return (unsigned)k < DESK_FX_KIND_COUNT ? effect_names[k] : "?";
}
