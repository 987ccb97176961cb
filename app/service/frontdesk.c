/* app/service/frontdesk.c: the front desk's effects on the store, one function each. */
#include "app/service/frontdesk.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/mask.h"
#include "app/service/security.h"
#include "app/store/store.h"

#define NAME_CANDIDATES 400 /* rows a masked-name search filters */

static const char *const audit_names[AUDIT_ACTION_COUNT] = {
    [AUDIT_STAFF_LOGIN] = "staff_login",
    [AUDIT_STAFF_PIN_BAD] = "staff_pin_bad",
    [AUDIT_STAFF_LOCKED_OUT] = "staff_locked_out",
    [AUDIT_APPROVE_ADMIT] = "approve_admit",
    [AUDIT_DENY_ADMIT] = "deny_admit",
    [AUDIT_APPROVE_REPRINT] = "approve_reprint",
    [AUDIT_DENY_REPRINT] = "deny_reprint",
    [AUDIT_RESUME] = "resume",
    [AUDIT_END_SESSION] = "end_session",
    [AUDIT_STAFF_LOGOUT] = "staff_logout",
    [AUDIT_STAFF_LOCKED_ATTEMPT] = "staff_locked_attempt",
    [AUDIT_VIEW_CARD] = "view_card",
    [AUDIT_PRINT_LABEL] = "print_label",
    [AUDIT_REPRINT_BAND] = "reprint_band",
    [AUDIT_VOID_BAND] = "void_band",
    [AUDIT_SET_RISK] = "set_risk",
    [AUDIT_RELEASE] = "mark_released",
    [AUDIT_TRANSFER] = "mark_transferred",
    [AUDIT_EXTEND] = "extend",
};

const char *frontdesk_audit_name(enum audit_action a)
{
	return (unsigned)a < AUDIT_ACTION_COUNT && audit_names[a] ? audit_names[a] : "?";
}

static bool parse_id(const char *s, size_t size, int64_t *id)
{
	char buf[FLOW_ARRIVAL_ID_MAX];
	char *end;
	resident_copy_str(buf, sizeof(buf), s, size);
	if (!buf[0] || !isdigit((unsigned char)buf[0]))
		return false;
	*id = strtoll(buf, &end, 10);
	return *end == '\0' && *id > 0;
}

static void copy_cut(char *dst, size_t size, const char *src)
{
	/* cut at a UTF-8 character boundary */
	size_t n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	memset(dst + n, 0, size - n);
}

/* ---- PIN ---- */

static void check_pin(struct store *st, const struct desk_effect *fx, struct desk_event *ans)
{
	char badge[FLOW_BADGE_MAX], pin[FLOW_PIN_MAX + 1];
	bool ok = false;
	resident_copy_str(badge, sizeof(badge), fx->check_pin.badge, sizeof(fx->check_pin.badge));
	resident_copy_str(pin, sizeof(pin), fx->check_pin.pin, sizeof(fx->check_pin.pin));
	if (store_badge_check_pin(st, badge, pin, &ok) != 0)
		ok = false;
	ans->kind = ok ? DESK_EV_PIN_OK : DESK_EV_PIN_BAD;
	memset(pin, 0, sizeof(pin));
}

/* ---- search ---- */

static int result_fill(struct store *st, int64_t id, struct desk_result *r)
{
	struct store_resident sr;
	int rc = store_resident_get(st, id, &sr);
	if (rc)
		return rc;
	memset(r, 0, sizeof(*r));
	snprintf(r->arrival_id, sizeof(r->arrival_id), "%" PRId64, id);
	mask_name(sr.a.name, r->name_masked, sizeof(r->name_masked));
	copy_cut(r->room, sizeof(r->room), sr.room);
	copy_cut(r->batch, sizeof(r->batch), sr.a.batch);
	r->risk = sr.risk;
	r->status = sr.status;
	r->band_serial = sr.band_serial[0] ? strtoll(sr.band_serial, NULL, 10) : 0;
	memset(&sr, 0, sizeof(sr));
	return 0;
}

/* The longest piece of q without the mask character (for a masked-name query). */
static void longest_unmasked(const char *q, char *out, size_t size)
{
	const char *best = q, *p = q;
	size_t best_n = 0;
	while (*p) {
		const char *star = strchr(p, MASK_CHAR);
		size_t n = star ? (size_t)(star - p) : strlen(p);
		if (n > best_n) {
			best = p;
			best_n = n;
		}
		if (!star)
			break;
		p = star + 1;
	}
	snprintf(out, size, "%.*s", (int)best_n, best);
}

static void search(struct store *st, const struct desk_effect *fx, struct desk_event *ans)
{
	static const enum store_search_by map[DESK_BY_COUNT] = {[DESK_BY_ROOM] = STORE_SEARCH_ROOM,
	                                                        [DESK_BY_NAME] = STORE_SEARCH_NAME,
	                                                        [DESK_BY_BATCH] =
	                                                            STORE_SEARCH_BATCH,
	                                                        [DESK_BY_BAND] = STORE_SEARCH_BAND};
	char q[DESK_QUERY_MAX], piece[DESK_QUERY_MAX];
	int64_t ids[NAME_CANDIDATES];
	size_t n = 0;
	bool more = false;
	ans->kind = DESK_EV_RESULTS;
	ans->results.reason = REASON_OK;
	resident_copy_str(q, sizeof(q), fx->search.query, sizeof(fx->search.query));
	if ((unsigned)fx->search.by >= DESK_BY_COUNT || !q[0]) {
		ans->results.reason = REASON_BAD_REQUEST;
		return;
	}
	/* staff type part of the real name ("张", "SMITH"), or copy a masked one ("张*三"):
	 * then the unmasked piece finds candidates and their masked names must contain q */
	bool masked = fx->search.by == DESK_BY_NAME && strchr(q, MASK_CHAR) != NULL;
	if (masked)
		longest_unmasked(q, piece, sizeof(piece));
	if (masked && !piece[0]) {
		ans->results.reason = REASON_BAD_REQUEST;
		return;
	}
	int rc = store_residents_search(st, map[fx->search.by], masked ? piece : q, ids,
	                                masked ? NAME_CANDIDATES : DESK_RESULTS_MAX, &n, &more);
	if (rc)
		goto out_failed;
	for (size_t i = 0; i < n; i++) {
		struct desk_result r;
		if ((rc = result_fill(st, ids[i], &r)) != 0)
			goto out_failed;
		if (masked && !strstr(r.name_masked, q))
			continue;
		if (ans->results.count == DESK_RESULTS_MAX) {
			more = true;
			break;
		}
		ans->results.rows[ans->results.count++] = r;
	}
	ans->results.more = more;
	return;
out_failed:
	memset(&ans->results, 0, sizeof(ans->results));
	ans->results.reason = REASON_LOOKUP_FAILED;
}

/* ---- card ---- */

static enum sec_colour colour_parse(const char *s, enum reason result)
{
	for (int c = 0; c < SEC_COLOUR_COUNT; c++)
		if (strcmp(s, sec_colour_name((enum sec_colour)c)) == 0)
			return (enum sec_colour)c;
	return result == REASON_OK ? SEC_GREEN : SEC_AMBER; /* older records: no colour */
}

static bool label_from_detail(const char *detail, enum desk_label *out)
{
	const char *p = strstr(detail, "label=");
	if (!p)
		return false;
	p += 6;
	for (int l = 0; l < DESK_LABEL_COUNT; l++) {
		const char *name = desk_label_name((enum desk_label)l);
		size_t n = strlen(name);
		if (strncmp(p, name, n) == 0 && (p[n] == '\0' || p[n] == ' ')) {
			*out = (enum desk_label)l;
			return true;
		}
	}
	return false;
}

static int card_fill(struct store *st, const struct policy *policy, int64_t id,
                     struct desk_card *card)
{
	struct store_resident sr;
	struct risk_change risks[DESK_HISTORY_MAX];
	struct scan_record scans[DESK_HISTORY_MAX];
	struct audit_record labels[DESK_HISTORY_MAX];
	char target[STORE_ID_MAX];
	size_t n;
	int rc = store_resident_get(st, id, &sr);
	if (rc)
		return rc;
	memset(card, 0, sizeof(*card));
	if (security_resident_from_store(&sr, policy, &card->resident) != 0) {
		rc = STORE_E_INVALID;
		goto out_wipe;
	}
	mask_id_number(sr.a.doc_number, card->doc_masked, sizeof(card->doc_masked));
	copy_cut(card->batch, sizeof(card->batch), sr.a.batch);
	card->checked_in_unix = sr.checked_in_at;
	copy_cut(card->room_assigned, sizeof(card->room_assigned), sr.room);
	card->band_serial = sr.band_serial[0] ? strtoll(sr.band_serial, NULL, 10) : 0;
	copy_cut(card->diet, sizeof(card->diet), sr.a.dietary);
	if ((rc = store_risk_changes_list(st, id, risks, DESK_HISTORY_MAX, &n)) != 0)
		goto out_wipe;
	for (size_t i = 0; i < n; i++) {
		if (risks[i].at < sr.checked_in_at)
			continue; /* an earlier stay */
		struct desk_risk_change *d = &card->risks[card->risk_count++];
		d->risk = risks[i].risk;
		d->unix_s = risks[i].at;
		copy_cut(d->by, sizeof(d->by), risks[i].set_by);
		copy_cut(d->note, sizeof(d->note), risks[i].why);
	}
	if (card->risk_count < DESK_HISTORY_MAX) { /* the colour given at intake, oldest */
		struct desk_risk_change *d = &card->risks[card->risk_count++];
		d->risk = sr.initial_risk;
		d->unix_s = sr.checked_in_at;
		copy_cut(d->by, sizeof(d->by), "intake");
	}
	snprintf(target, sizeof(target), "arrival:%" PRId64, id);
	if ((rc = store_audit_list(st, target, frontdesk_audit_name(AUDIT_PRINT_LABEL), labels,
	                           DESK_HISTORY_MAX, &n)) != 0)
		goto out_wipe;
	for (size_t i = 0; i < n; i++) {
		enum desk_label l;
		char ok[32];
		snprintf(ok, sizeof(ok), "outcome=%s ", reason_code(REASON_OK));
		if (strncmp(labels[i].detail, ok, strlen(ok)) == 0 &&
		    label_from_detail(labels[i].detail, &l)) {
			card->labels[card->label_count].label = l;
			card->labels[card->label_count++].unix_s = labels[i].at;
		}
	}
	if ((rc = store_scans_for_arrival(st, id, scans, DESK_HISTORY_MAX, &n)) != 0)
		goto out_wipe;
	for (size_t i = 0; i < n; i++) {
		struct desk_scan *d = &card->scans[card->scan_count++];
		copy_cut(d->checkpoint, sizeof(d->checkpoint), scans[i].checkpoint);
		d->unix_s = scans[i].at;
		d->reason = scans[i].result;
		d->colour = colour_parse(scans[i].colour, scans[i].result);
	}
out_wipe:
	memset(&sr, 0, sizeof(sr));
	if (rc)
		memset(card, 0, sizeof(*card));
	return rc;
}

static void load_card(struct store *st, const struct frontdesk_config *cfg,
                      const struct desk_effect *fx, struct desk_event *ans)
{
	int64_t id;
	ans->kind = DESK_EV_CARD;
	if (!parse_id(fx->load_card.arrival_id, sizeof(fx->load_card.arrival_id), &id)) {
		ans->card.reason = REASON_NOT_FOUND;
		return;
	}
	int rc = card_fill(st, &cfg->policy, id, &ans->card.card);
	ans->card.reason = rc == 0                   ? REASON_OK
	                   : rc == STORE_E_NOT_FOUND ? REASON_NOT_FOUND
	                                             : REASON_LOOKUP_FAILED;
}

/* ---- actions ---- */

static enum reason action_reason(int rc)
{
	switch (rc) {
	case 0:
		return REASON_OK;
	case STORE_E_NOT_FOUND:
		return REASON_CONFLICT; /* no longer checked in, band no longer active */
	case STORE_E_INVALID:
		return REASON_BAD_REQUEST;
	default:
		return REASON_STORE_FAILED;
	}
}

/* The resident of the change, checked in now (else REASON_CONFLICT or a status reason). */
static enum reason active_resident(struct store *st, const struct desk_change *c,
                                   struct store_resident *sr)
{
	int64_t id;
	memset(sr, 0, sizeof(*sr));
	if (!parse_id(c->arrival_id, sizeof(c->arrival_id), &id))
		return REASON_NOT_FOUND;
	int rc = store_resident_get(st, id, sr);
	if (rc)
		return rc == STORE_E_NOT_FOUND ? REASON_NOT_FOUND : REASON_STORE_FAILED;
	if (sr->status == RESIDENT_RELEASED)
		return REASON_RELEASED;
	if (sr->status == RESIDENT_TRANSFERRED)
		return REASON_TRANSFERRED;
	return REASON_OK;
}

static enum reason print_label(struct store *st, const struct frontdesk_config *cfg,
                               const struct desk_change *c, int64_t now)
{
	struct store_resident sr;
	struct resident r;
	enum reason why = active_resident(st, c, &sr);
	if (why == REASON_OK && security_resident_from_store(&sr, &cfg->policy, &r) != 0)
		why = REASON_STORE_FAILED;
	memset(&sr, 0, sizeof(sr));
	if (why != REASON_OK)
		return why;
	if ((unsigned)c->label >= DESK_LABEL_COUNT)
		return REASON_BAD_REQUEST;
	if (!cfg->ops.print_label)
		return REASON_PRINTER_FAILED;
	return cfg->ops.print_label(cfg->ops.ctx, c, &r, now);
}

static enum reason reprint_band(struct store *st, const struct frontdesk_config *cfg,
                                const struct desk_change *c, int64_t now, int64_t *serial)
{
	struct store_resident sr;
	enum reason why = active_resident(st, c, &sr);
	bool same = strtoll(sr.band_serial, NULL, 10) == c->serial;
	memset(&sr, 0, sizeof(sr));
	if (why != REASON_OK)
		return why;
	if (c->serial != 0 && !same)
		return REASON_CONFLICT; /* another band became the active one meanwhile */
	if (!cfg->ops.reprint_band)
		return REASON_PRINTER_FAILED;
	return cfg->ops.reprint_band(cfg->ops.ctx, c, now, serial);
}

static enum reason void_band(struct store *st, const struct desk_change *c)
{
	char serial[STORE_SERIAL_MAX], note[DESK_NOTE_MAX];
	struct wristband_info band;
	int64_t id;
	if (c->serial <= 0 || !parse_id(c->arrival_id, sizeof(c->arrival_id), &id))
		return REASON_BAD_REQUEST;
	resident_copy_str(note, sizeof(note), c->note, sizeof(c->note));
	if (!note[0])
		return REASON_BAD_REQUEST;
	snprintf(serial, sizeof(serial), "%" PRId64, c->serial);
	int rc = store_wristband_get(st, serial, &band);
	if (rc == 0 && band.arrival_id != id)
		return REASON_CONFLICT;
	if (rc == 0 && band.state != WRISTBAND_ACTIVE)
		return REASON_CONFLICT;
	if (rc == 0)
		rc = store_wristband_set_state(st, serial, WRISTBAND_VOID, note);
	return rc == STORE_E_NOT_FOUND ? REASON_NOT_FOUND : action_reason(rc);
}

static enum reason set_risk(struct store *st, const struct desk_change *c, int64_t now)
{
	struct store_resident sr;
	enum reason why = active_resident(st, c, &sr);
	int64_t id = sr.a.id;
	memset(&sr, 0, sizeof(sr));
	if (why != REASON_OK)
		return why;
	struct risk_change rc = {.arrival_id = id, .at = now, .risk = c->risk};
	resident_copy_str(rc.set_by, sizeof(rc.set_by), c->badge, sizeof(c->badge));
	resident_copy_str(rc.why, sizeof(rc.why), c->note, sizeof(c->note));
	if ((unsigned)c->risk >= RISK_COUNT || !rc.set_by[0] || !rc.why[0])
		return REASON_BAD_REQUEST;
	return action_reason(store_risk_change_add(st, &rc, NULL));
}

static enum reason set_status(struct store *st, const struct desk_change *c, int64_t now)
{
	char badge[FLOW_BADGE_MAX], note[DESK_NOTE_MAX];
	struct store_resident sr;
	enum reason why = active_resident(st, c, &sr);
	int64_t id = sr.a.id;
	memset(&sr, 0, sizeof(sr));
	if (why != REASON_OK)
		return why;
	resident_copy_str(badge, sizeof(badge), c->badge, sizeof(c->badge));
	resident_copy_str(note, sizeof(note), c->note, sizeof(c->note));
	if (!badge[0])
		return REASON_BAD_REQUEST;
	switch (c->status) {
	case RESIDENT_RELEASED:
		return action_reason(store_checkin_release(st, id, now, badge, NULL));
	case RESIDENT_TRANSFERRED:
		if (!note[0])
			return REASON_BAD_REQUEST;
		return action_reason(store_checkin_transfer(st, id, now, badge, note, NULL));
	default:
		return REASON_BAD_REQUEST;
	}
}

static enum reason extend(struct store *st, const struct frontdesk_config *cfg,
                          const struct desk_change *c, int64_t now)
{
	char badge[FLOW_BADGE_MAX];
	struct store_resident sr;
	struct resident r;
	enum reason why = active_resident(st, c, &sr);
	if (why == REASON_OK && security_resident_from_store(&sr, &cfg->policy, &r) != 0)
		why = REASON_STORE_FAILED;
	int64_t id = sr.a.id;
	memset(&sr, 0, sizeof(sr));
	if (why != REASON_OK)
		return why;
	resident_copy_str(badge, sizeof(badge), c->badge, sizeof(c->badge));
	if (!badge[0] || !c->note[0])
		return REASON_BAD_REQUEST;
	if (c->from_day != r.plan.release_day)
		return REASON_CONFLICT; /* the release moved since the card was shown */
	if (policy_plan_extend(&r.plan, c->from_day, c->days) != 0)
		return REASON_BAD_REQUEST;
	return action_reason(
	    store_checkin_set_release(st, id, r.plan.release_day, now, badge, NULL));
}

/* ---- occupancy ---- */

static void load_occupancy(struct store *st, const struct frontdesk_config *cfg, int64_t now,
                           struct desk_event *ans)
{
	struct room_info *rooms = NULL;
	struct store_occupant *occ = NULL;
	size_t nrooms = 0, nocc = 0, pending = 0;
	struct desk_occupancy *o = &ans->occupancy.occ;
	hk_day today = day_from_unix(now, cfg->policy.tz_offset_s);
	ans->kind = DESK_EV_OCCUPANCY;
	if (store_rooms_list(st, &rooms, &nrooms) != 0 ||
	    store_occupants_list(st, &occ, &nocc) != 0 || store_outbox_count(st, &pending) != 0) {
		memset(o, 0, sizeof(*o));
		ans->occupancy.reason = REASON_LOOKUP_FAILED;
		goto out_free;
	}
	for (size_t i = 0; i < nrooms; i++) {
		if (o->room_count == DESK_OCC_ROOMS_MAX) {
			o->truncated = true;
			break;
		}
		struct desk_room *d = &o->rooms[o->room_count++];
		copy_cut(d->number, sizeof(d->number), rooms[i].number);
		d->floor = rooms[i].floor;
		d->state = rooms[i].state;
		d->capacity = rooms[i].capacity;
		d->occupants = rooms[i].occupants;
		d->risk = RISK_GREEN;
		/* occupants are sorted by room number (binary order): the first of this room */
		size_t lo = 0, hi = nocc;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(occ[mid].room, rooms[i].number) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < nocc && strcmp(occ[k].room, rooms[i].number) == 0; k++)
			if (occ[k].risk > d->risk)
				d->risk = occ[k].risk;
	}
	for (size_t k = 0; k < nocc; k++) {
		o->releases_today += occ[k].planned_release == today;
		o->releases_tomorrow += occ[k].planned_release == today + 1;
	}
	o->printer_reason =
	    cfg->ops.printer_status ? cfg->ops.printer_status(cfg->ops.ctx) : REASON_PRINTER_FAILED;
	o->printer_ok = o->printer_reason == REASON_OK;
	o->last_sync_unix = cfg->ops.last_sync ? cfg->ops.last_sync(cfg->ops.ctx) : 0;
	o->outbox_pending = pending > INT32_MAX ? INT32_MAX : (int)pending;
	desk_occupancy_tally(o);
	ans->occupancy.reason = REASON_OK;
out_free:
	free(rooms);
	free(occ);
}

/* ---- audit ---- */

static void audit(struct store *st, const struct desk_effect *fx, int64_t now)
{
	const struct desk_change *c = &fx->audit.change;
	struct audit_record a;
	char note[DESK_NOTE_MAX], day[11];
	int n;
	memset(&a, 0, sizeof(a));
	a.at = now;
	resident_copy_str(a.actor, sizeof(a.actor), c->badge, sizeof(c->badge));
	if (!a.actor[0])
		snprintf(a.actor, sizeof(a.actor), "-");
	snprintf(a.action, sizeof(a.action), "%s", frontdesk_audit_name(fx->audit.action));
	if (c->arrival_id[0])
		snprintf(a.target, sizeof(a.target), "arrival:%.*s", (int)sizeof(c->arrival_id),
		         c->arrival_id);
	resident_copy_str(note, sizeof(note), c->note, sizeof(c->note));
	n = snprintf(a.detail, sizeof(a.detail), "outcome=%s", reason_code(fx->audit.outcome));
	switch (fx->audit.action) {
	case AUDIT_PRINT_LABEL:
		n += snprintf(a.detail + n, sizeof(a.detail) - (size_t)n, " label=%s",
		              desk_label_name(c->label));
		break;
	case AUDIT_REPRINT_BAND:
	case AUDIT_VOID_BAND:
		n += snprintf(a.detail + n, sizeof(a.detail) - (size_t)n, " serial=%" PRId64,
		              c->serial);
		break;
	case AUDIT_SET_RISK:
		n += snprintf(a.detail + n, sizeof(a.detail) - (size_t)n, " risk=%s",
		              risk_name(c->risk));
		break;
	case AUDIT_RELEASE:
	case AUDIT_TRANSFER:
		n += snprintf(a.detail + n, sizeof(a.detail) - (size_t)n, " status=%s",
		              resident_status_name(c->status));
		break;
	case AUDIT_EXTEND:
		n += snprintf(a.detail + n, sizeof(a.detail) - (size_t)n, " from=%s days=%d",
		              day_format(c->from_day, day), c->days);
		break;
	default:
		break;
	}
	if (note[0] && n > 0 && (size_t)n < sizeof(a.detail))
		snprintf(a.detail + n, sizeof(a.detail) - (size_t)n, " note=%s", note);
	if (store_audit_add(st, &a, NULL) != 0)
		fprintf(stderr, "frontdesk: audit %s not written: %s\n", a.action,
		        store_errmsg(st));
}

int frontdesk_carry_out(struct store *st, const struct frontdesk_config *cfg,
                        const struct desk_effect *fx, int64_t now, struct desk_event *answer,
                        bool *answered)
{
	if (!st || !cfg || !fx || !answer || !answered)
		return -EINVAL;
	*answered = false;
	if (fx->kind == DESK_FX_AUDIT) {
		audit(st, fx, now);
		return 0;
	}
	if (fx->kind == DESK_FX_CLEAR)
		return 0; /* nothing of the session is kept here */
	memset(answer, 0, sizeof(*answer));
	answer->ticket = fx->ticket;
	*answered = true;
	enum reason r = REASON_OK;
	int64_t serial = 0;
	switch (fx->kind) {
	case DESK_FX_CHECK_PIN:
		check_pin(st, fx, answer);
		return 0;
	case DESK_FX_SEARCH:
		search(st, fx, answer);
		return 0;
	case DESK_FX_LOAD_CARD:
		load_card(st, cfg, fx, answer);
		return 0;
	case DESK_FX_LOAD_OCCUPANCY:
		load_occupancy(st, cfg, now, answer);
		return 0;
	case DESK_FX_PRINT_LABEL:
		r = print_label(st, cfg, &fx->change, now);
		break;
	case DESK_FX_REPRINT_BAND:
		r = reprint_band(st, cfg, &fx->change, now, &serial);
		break;
	case DESK_FX_VOID_BAND:
		r = void_band(st, &fx->change);
		break;
	case DESK_FX_SET_RISK:
		r = set_risk(st, &fx->change, now);
		break;
	case DESK_FX_SET_STATUS:
		r = set_status(st, &fx->change, now);
		break;
	case DESK_FX_EXTEND:
		r = extend(st, cfg, &fx->change, now);
		break;
	default:
		*answered = false;
		return -EINVAL;
	}
	answer->kind = DESK_EV_DONE;
	answer->done.reason = r;
	answer->done.serial = r == REASON_OK ? serial : 0;
	return 0;
}
