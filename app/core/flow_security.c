/* app/core/flow_security.c: the checkpoint state machine of the security post. Pure: both
 * clocks come in as arguments, the wristband check and the replica lookup come back as an
 * event, and the screen, the outbox and the beeper are asked for by effects. */
#include "app/core/flow_security.h"

#include <errno.h>
#include <string.h>

static const char *const state_names[SEC_STATE_COUNT] = {"READY", "LOOKING", "VERDICT"};
static const char *const colour_names[SEC_COLOUR_COUNT] = {"green", "amber", "red"};
static const char *const band_names[SEC_BAND_COUNT] = {"active", "void", "replaced", "unknown"};
static const char *const event_names[SEC_EV_KIND_COUNT] = {"SEC_EV_NONE",   "SEC_EV_TICK",
                                                           "SEC_EV_SCAN",   "SEC_EV_LOOKED_UP",
                                                           "SEC_EV_SYNCED", "SEC_EV_DISMISS"};
static const char *const effect_names[SEC_FX_KIND_COUNT] = {
    "SEC_FX_NONE", "SEC_FX_LOOKUP", "SEC_FX_RECORD_SCAN", "SEC_FX_BEEP", "SEC_FX_CLEAR"};

#define COPY_STR(dst, src) resident_copy_str((dst), sizeof(dst), (src), sizeof(src))

/* ---- small helpers ---- */

/* The deadline ms after now; never 0, which means "no deadline". */
static int64_t deadline_after(int64_t now, int32_t ms)
{
	int64_t d = now > INT64_MAX - ms ? INT64_MAX : now + ms;
	return d == 0 ? 1 : d;
}

/* Milliseconds from t to now, 0 when the clock went backwards, saturated. */
static int64_t since(int64_t now, int64_t t)
{
	if (now <= t)
		return 0;
	if (t < 0 && now > INT64_MAX + t)
		return INT64_MAX;
	return now - t;
}

/* FNV-1a over the scanned text; never 0, which means "none". Identifies a band (its token
 * is deterministic) without keeping the text. */
static uint64_t text_hash(const char *text, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

static uint32_t ticket_new(struct flow_security *f)
{
	if (++f->next_ticket == 0)
		f->next_ticket = 1;
	return f->next_ticket;
}

/* Append an effect; NULL when the list is full (overflow is set, the effect dropped). */
static struct sec_effect *fx_push(struct sec_effects *out, enum sec_effect_kind kind,
                                  uint32_t ticket)
{
	if (out->count >= SEC_EFFECTS_MAX) {
		out->overflow = true;
		return NULL;
	}
	struct sec_effect *e = &out->fx[out->count++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->ticket = ticket;
	return e;
}

static void fx_beep(struct sec_effects *out, enum sec_colour c)
{
	struct sec_effect *e = fx_push(out, SEC_FX_BEEP, 0);
	if (e)
		e->beep.kind = c == SEC_GREEN   ? BEEP_OK
		               : c == SEC_AMBER ? BEEP_ATTENTION
		                                : BEEP_REFUSE;
}

static bool read_bool(const bool *b)
{
	unsigned char v; /* read as a byte: a bool holding anything but 0/1 is no bool */
	memcpy(&v, b, 1);
	return v != 0;
}

/* ---- the verdict table ---- */

static bool floor_allowed(const struct sec_config *cfg, int floor)
{
	if (cfg->floor_count == 0)
		return true;
	for (int i = 0; i < cfg->floor_count; i++)
		if (cfg->floors[i] == floor)
			return true;
	return false;
}

static enum sec_colour judge_token(enum wristband_result token, enum reason *why)
{
	switch (token) {
	case WRISTBAND_OK:
		*why = REASON_OK;
		return SEC_GREEN;
	case WRISTBAND_NOT_WRISTBAND:
		*why = REASON_NOT_WRISTBAND; /* a health code or any other QR: show the band */
		return SEC_AMBER;
	case WRISTBAND_MALFORMED:
		*why = REASON_MALFORMED; /* ours, but unreadable: altered or not printed by us */
		return SEC_RED;
	case WRISTBAND_UNSUPPORTED_VERSION:
		*why = REASON_UNSUPPORTED_VERSION; /* newer than this device: check by hand */
		return SEC_AMBER;
	case WRISTBAND_WRONG_STATION:
		*why = REASON_WRONG_STATION;
		return SEC_RED;
	case WRISTBAND_BAD_SIGNATURE:
		*why = REASON_BAND_FORGED;
		return SEC_RED;
	case WRISTBAND_UNVERIFIABLE:
		*why = REASON_UNVERIFIABLE; /* our fault, not the resident's */
		return SEC_AMBER;
	case WRISTBAND_RESULT_COUNT:
		break;
	}
	*why = REASON_LOOKUP_FAILED;
	return SEC_AMBER;
}

enum sec_colour flow_security_judge(const struct sec_config *cfg, const struct sec_lookup *a,
                                    enum reason *why)
{
	if (a->reason != REASON_OK) {
		*why = REASON_LOOKUP_FAILED;
		return SEC_AMBER;
	}
	enum sec_colour c = judge_token(a->token, why);
	if (*why != REASON_OK)
		return c;
	switch (a->band_state) {
	case SEC_BAND_ACTIVE:
		break;
	case SEC_BAND_VOID:
		*why = REASON_BAND_VOID;
		return SEC_RED;
	case SEC_BAND_REPLACED:
		*why = REASON_BAND_REPLACED;
		return SEC_RED;
	case SEC_BAND_UNKNOWN:
		*why = REASON_BAND_UNKNOWN; /* signed by us: the replica is behind */
		return SEC_AMBER;
	default:
		*why = REASON_LOOKUP_FAILED;
		return SEC_AMBER;
	}
	if (!read_bool(&a->has_resident)) {
		*why = REASON_BAND_UNKNOWN;
		return SEC_AMBER;
	}
	const struct resident *r = &a->resident;
	if ((unsigned)r->risk >= RISK_COUNT || (unsigned)r->category >= CATEGORY_COUNT) {
		*why = REASON_LOOKUP_FAILED;
		return SEC_AMBER;
	}
	switch (r->status) {
	case RESIDENT_TRANSFERRED:
		/* should be gone: at an exit that is an escorted departure, elsewhere a stop */
		*why = REASON_TRANSFERRED;
		return cfg->exit ? SEC_AMBER : SEC_RED;
	case RESIDENT_RELEASED:
		/* may leave: on the way out at an exit, inside elsewhere */
		*why = REASON_RELEASED;
		return cfg->exit ? SEC_GREEN : SEC_AMBER;
	case RESIDENT_IN_QUARANTINE:
		break;
	default:
		*why = REASON_LOOKUP_FAILED;
		return SEC_AMBER;
	}
	bool category_ok = cfg->categories == 0 || (cfg->categories & (1u << r->category)) != 0;
	if (cfg->exit || !floor_allowed(cfg, r->floor) || !category_ok) {
		*why = REASON_WRONG_PLACE;
		return SEC_RED;
	}
	*why = REASON_OK;
	return SEC_GREEN;
}

/* ---- states ---- */

static void verdict_wipe(struct flow_security *f)
{
	memset(&f->verdict, 0, sizeof(f->verdict));
	f->shown_hash = 0;
	f->shown_ms = 0;
}

static void ready_show(struct flow_security *f, struct sec_effects *out)
{
	verdict_wipe(f);
	f->state = SEC_READY;
	f->deadline_ms = 0;
	if (out)
		fx_push(out, SEC_FX_CLEAR, 0);
}

static void lookup_start(struct flow_security *f, const struct sec_event *ev, uint64_t hash,
                         int64_t now, int64_t unix_s, struct sec_effects *out)
{
	struct sec_effect *e = fx_push(out, SEC_FX_LOOKUP, ticket_new(f));
	if (!e)
		return;
	COPY_STR(e->lookup.text, ev->scan.text);
	f->wait_ticket = e->ticket;
	f->wait_hash = hash;
	f->scan_ms = now;
	f->scan_unix_s = unix_s;
	f->state = SEC_LOOKING;
	f->deadline_ms = deadline_after(now, f->cfg.lookup_ms);
}

static void on_scan(struct flow_security *f, const struct sec_event *ev, int64_t now,
                    int64_t unix_s, struct sec_effects *out)
{
	size_t n = strnlen(ev->scan.text, sizeof(ev->scan.text));
	if (n == 0)
		return;
	if (n >= sizeof(ev->scan.text))
		n = sizeof(ev->scan.text) - 1; /* what the lookup will see */
	uint64_t h = text_hash(ev->scan.text, n);
	switch (f->state) {
	case SEC_READY:
		lookup_start(f, ev, h, now, unix_s, out);
		break;
	case SEC_LOOKING:
		if (h != f->wait_hash) /* another band: the newest scan wins */
			lookup_start(f, ev, h, now, unix_s, out);
		break;
	case SEC_VERDICT:
		if (h == f->shown_hash && since(now, f->shown_ms) < f->cfg.repeat_ms) {
			/* the same band again: same verdict, longer on screen, no new record */
			f->verdict.repeats++;
			f->deadline_ms = deadline_after(now, f->cfg.verdict_ms);
			fx_beep(out, f->verdict.colour);
		} else {
			ready_show(f, out);
			lookup_start(f, ev, h, now, unix_s, out);
		}
		break;
	case SEC_STATE_COUNT:
		break;
	}
}

/* True when the same band got the same verdict here within the repeat window. */
static bool recently_recorded(const struct flow_security *f, uint64_t hash, enum sec_colour colour,
                              enum reason why, int64_t now)
{
	for (int i = 0; i < SEC_RECENT_MAX; i++) {
		const struct sec_recent *r = &f->recent[i];
		if (r->hash == hash && r->colour == colour && r->reason == why &&
		    since(now, r->at_ms) < f->cfg.repeat_ms)
			return true;
	}
	return false;
}

static void record_scan(struct flow_security *f, int64_t now, struct sec_effects *out)
{
	const struct sec_verdict *v = &f->verdict;
	struct sec_effect *e = fx_push(out, SEC_FX_RECORD_SCAN, 0);
	if (!e)
		return;
	COPY_STR(e->record.checkpoint, f->cfg.checkpoint);
	e->record.unix_s = f->scan_unix_s;
	e->record.colour = v->colour;
	e->record.reason = v->reason;
	e->record.token = v->token;
	if (v->token == WRISTBAND_OK) {
		COPY_STR(e->record.station, v->band.station);
		e->record.serial = v->band.serial;
	}
	struct sec_recent *r = &f->recent[f->recent_next];
	f->recent_next = (f->recent_next + 1) % SEC_RECENT_MAX;
	r->hash = f->wait_hash;
	r->at_ms = now;
	r->colour = v->colour;
	r->reason = v->reason;
	f->verdict.recorded = true;
}

static void on_looked_up(struct flow_security *f, const struct sec_event *ev, int64_t now,
                         int64_t unix_s, struct sec_effects *out)
{
	const struct sec_lookup *a = &ev->lookup;
	struct sec_verdict *v = &f->verdict;
	enum reason why;

	verdict_wipe(f);
	v->colour = flow_security_judge(&f->cfg, a, &why);
	v->reason = why;
	v->token = (unsigned)a->token < WRISTBAND_RESULT_COUNT ? a->token : WRISTBAND_MALFORMED;
	v->band_state = SEC_BAND_UNKNOWN;
	if (a->reason == REASON_OK && v->token == WRISTBAND_OK) {
		COPY_STR(v->band.station, a->band.station);
		COPY_STR(v->band.room, a->band.room);
		v->band.serial = a->band.serial;
		v->band.day = a->band.day;
		if ((unsigned)a->band_state < SEC_BAND_COUNT)
			v->band_state = a->band_state;
	}
	/* the resident shows with every verdict about a band we know, void ones included */
	if (why != REASON_LOOKUP_FAILED && v->token == WRISTBAND_OK &&
	    read_bool(&a->has_resident) && resident_take(&v->resident, &a->resident)) {
		v->has_resident = true;
		v->day = policy_plan_day(&v->resident.plan, unix_s);
		v->onsite_days = policy_plan_onsite_days(&v->resident.plan);
	}
	f->latency_ms = since(now, f->scan_ms);
	if (!recently_recorded(f, f->wait_hash, v->colour, v->reason, now))
		record_scan(f, now, out);
	fx_beep(out, v->colour);
	f->shown_hash = f->wait_hash;
	f->shown_ms = f->scan_ms;
	f->wait_ticket = 0;
	f->wait_hash = 0;
	f->state = SEC_VERDICT;
	f->deadline_ms = deadline_after(now, f->cfg.verdict_ms);
}

static void timeouts_check(struct flow_security *f, int64_t now, struct sec_effects *out)
{
	if (!f->deadline_ms || now < f->deadline_ms)
		return;
	if (f->state == SEC_LOOKING) {
		/* no answer in time: nothing known, nothing recorded; a rescan looks up afresh */
		f->wait_ticket = 0;
		f->wait_hash = 0;
		verdict_wipe(f);
		f->verdict.colour = SEC_AMBER;
		f->verdict.reason = REASON_TIMEOUT;
		f->verdict.band_state = SEC_BAND_UNKNOWN;
		fx_beep(out, SEC_AMBER);
		f->state = SEC_VERDICT;
		f->deadline_ms = deadline_after(now, f->cfg.verdict_ms);
	} else if (f->state == SEC_VERDICT) {
		ready_show(f, out);
	}
}

static void view_update(struct flow_security *f, int64_t now, int64_t unix_s)
{
	f->now_ms = now;
	f->unix_s = unix_s;
	if (f->last_sync_s == 0) {
		f->data_age_s = -1;
		f->data_stale = true;
	} else {
		f->data_age_s = unix_s > f->last_sync_s ? unix_s - f->last_sync_s : 0;
		f->data_stale = f->data_age_s > f->cfg.stale_s;
	}
}

/* ---- public ---- */

void flow_security_config_defaults(struct sec_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->checkpoint, "checkpoint", sizeof("checkpoint"));
	cfg->lookup_ms = 2000;
	cfg->verdict_ms = 6000;
	cfg->repeat_ms = 30000;
	cfg->stale_s = 3600;
}

static bool config_ok(const struct sec_config *c)
{
	size_t n = strnlen(c->checkpoint, sizeof(c->checkpoint));
	return n > 0 && n < sizeof(c->checkpoint) && c->floor_count >= 0 &&
	       c->floor_count <= SEC_FLOORS_MAX && (c->categories >> CATEGORY_COUNT) == 0 &&
	       c->lookup_ms > 0 && c->verdict_ms > 0 && c->repeat_ms >= 0 && c->stale_s >= 0;
}

int flow_security_init(struct flow_security *f, const struct sec_config *cfg)
{
	int rc = 0;
	memset(f, 0, sizeof(*f));
	if (cfg && config_ok(cfg)) {
		f->cfg = *cfg;
		f->cfg.exit = read_bool(&cfg->exit);
	} else {
		flow_security_config_defaults(&f->cfg);
		rc = cfg ? -EINVAL : 0;
	}
	f->state = SEC_READY;
	view_update(f, 0, 0);
	return rc;
}

void flow_security_step(struct flow_security *f, const struct sec_event *ev, int64_t now_ms,
                        int64_t unix_s, struct sec_effects *out)
{
	memset(out, 0, sizeof(*out)); /* the last step's effects may hold a scanned text */
	timeouts_check(f, now_ms, out);
	if (ev) {
		switch (ev->kind) {
		case SEC_EV_SCAN:
			on_scan(f, ev, now_ms, unix_s, out);
			break;
		case SEC_EV_LOOKED_UP:
			if (f->state == SEC_LOOKING && ev->ticket != 0 &&
			    ev->ticket == f->wait_ticket)
				on_looked_up(f, ev, now_ms, unix_s, out);
			break;
		case SEC_EV_SYNCED:
			if (ev->synced.unix_s > f->last_sync_s)
				f->last_sync_s = ev->synced.unix_s;
			break;
		case SEC_EV_DISMISS:
			if (f->state == SEC_VERDICT)
				ready_show(f, out);
			break;
		case SEC_EV_NONE:
		case SEC_EV_TICK:
		case SEC_EV_KIND_COUNT:
			break;
		}
	}
	view_update(f, now_ms, unix_s);
}

bool flow_security_has_personal_data(const struct flow_security *f)
{
	const unsigned char *p = (const unsigned char *)&f->verdict;
	for (size_t i = 0; i < sizeof(f->verdict); i++)
		if (p[i])
			return true;
	return false;
}

const char *sec_state_name(enum sec_state s)
{
	return (unsigned)s < SEC_STATE_COUNT ? state_names[s] : "?";
}

const char *sec_colour_name(enum sec_colour c)
{
	return (unsigned)c < SEC_COLOUR_COUNT ? colour_names[c] : "?";
}

const char *sec_band_name(enum sec_band b)
{
	return (unsigned)b < SEC_BAND_COUNT ? band_names[b] : "?";
}

const char *sec_event_kind_name(enum sec_event_kind k)
{
	return (unsigned)k < SEC_EV_KIND_COUNT ? event_names[k] : "?";
}

const char *sec_effect_kind_name(enum sec_effect_kind k)
{
	return (unsigned)k < SEC_FX_KIND_COUNT ? effect_names[k] : "?";
}
