/* app/service/security.c: the checkpoint lookup and the scan record on the store. */
#include "app/service/security.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/core/mask.h"
#include "app/store/store.h"

int security_resident_from_store(const struct store_resident *r, const struct policy *p,
                                 struct resident *out)
{
	memset(out, 0, sizeof(*out));
	if ((unsigned)r->a.category >= CATEGORY_COUNT || (unsigned)r->risk >= RISK_COUNT ||
	    (unsigned)r->status >= RESIDENT_STATUS_COUNT)
		return -EINVAL;
	snprintf(out->arrival_id, sizeof(out->arrival_id), "%" PRId64, r->a.id);
	mask_name(r->a.name, out->name_masked, sizeof(out->name_masked)); /* cut is fine */
	snprintf(out->room, sizeof(out->room), "%s", r->room);
	out->floor = r->floor;
	out->risk = r->risk;
	out->category = r->a.category;
	out->care =
	    (r->a.elderly ? RESIDENT_CARE_ELDERLY : 0) | (r->a.child ? RESIDENT_CARE_CHILD : 0) |
	    (r->a.pregnant ? RESIDENT_CARE_PREGNANT : 0) | (r->psych ? RESIDENT_CARE_PSYCH : 0);
	out->status = r->status;
	/* the plan as made at check-in, then moved to the stored release (extensions) */
	struct policy_term term = {r->a.onsite_days, r->a.home_days};
	struct policy_plan *plan = &out->plan;
	if (policy_plan_make(p, r->a.category, &term, r->checked_in_at, plan) != 0 &&
	    policy_plan_make(p, r->a.category, NULL, r->checked_in_at, plan) != 0) {
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	if (r->planned_release != plan->release_day) {
		int home = plan->home_end_day - plan->release_day;
		if (r->planned_release > plan->release_day)
			plan->extended_days = r->planned_release - plan->release_day;
		plan->release_day = r->planned_release;
		plan->home_end_day = r->planned_release + home;
	}
	return 0;
}

static enum sec_band band_state(enum wristband_state s)
{
	switch (s) {
	case WRISTBAND_ACTIVE:
		return SEC_BAND_ACTIVE;
	case WRISTBAND_VOID:
		return SEC_BAND_VOID;
	case WRISTBAND_REPLACED:
		return SEC_BAND_REPLACED;
	}
	return SEC_BAND_UNKNOWN;
}

int security_lookup(struct store *st, const struct security_config *cfg,
                    const struct sec_effect *fx, struct sec_event *answer)
{
	if (!st || !cfg || !fx || !answer || fx->kind != SEC_FX_LOOKUP)
		return -EINVAL;
	memset(answer, 0, sizeof(*answer));
	answer->kind = SEC_EV_LOOKED_UP;
	answer->ticket = fx->ticket;
	struct sec_lookup *a = &answer->lookup;
	a->reason = REASON_OK;
	a->band_state = SEC_BAND_UNKNOWN;
	const char *text = fx->lookup.text;
	size_t len = strnlen(text, sizeof(fx->lookup.text));
	a->token = wristband_verify(text, len, cfg->station, cfg->keys, cfg->nkeys, &a->band);
	if (a->token != WRISTBAND_OK)
		return 0;
	char serial[STORE_SERIAL_MAX];
	struct wristband_info band;
	snprintf(serial, sizeof(serial), "%" PRId64, a->band.serial);
	int rc = store_wristband_get(st, serial, &band);
	if (rc == STORE_E_NOT_FOUND)
		return 0;
	if (rc)
		goto out_failed;
	a->band_state = band_state(band.state);
	struct store_resident r;
	rc = store_resident_get(st, band.arrival_id, &r);
	if (rc == STORE_E_NOT_FOUND)
		return 0;
	if (rc)
		goto out_failed;
	/* a release or transfer voids the bands itself: the resident's status then decides
	 * (a released resident passes an exit), not "void band" */
	if (a->band_state == SEC_BAND_VOID && r.checkin_id &&
	    ((r.status == RESIDENT_RELEASED && strcmp(band.reason, "released") == 0) ||
	     (r.status == RESIDENT_TRANSFERRED && strcmp(band.reason, "transferred") == 0)))
		a->band_state = SEC_BAND_ACTIVE;
	if (security_resident_from_store(&r, &cfg->policy, &a->resident) != 0) {
		memset(&r, 0, sizeof(r));
		goto out_failed;
	}
	memset(&r, 0, sizeof(r)); /* the full name stays no longer than needed */
	a->has_resident = true;
	return 0;
out_failed:
	a->reason = REASON_LOOKUP_FAILED;
	a->has_resident = false;
	memset(&a->resident, 0, sizeof(a->resident));
	return 0;
}

int security_record_scan(struct store *st, const struct sec_effect *fx, struct store_written *w)
{
	if (!st || !fx || fx->kind != SEC_FX_RECORD_SCAN)
		return -EINVAL;
	struct scan_record s;
	memset(&s, 0, sizeof(s));
	s.at = fx->record.unix_s;
	snprintf(s.checkpoint, sizeof(s.checkpoint), "%.*s", (int)sizeof(fx->record.checkpoint),
	         fx->record.checkpoint);
	if (fx->record.token == WRISTBAND_OK && fx->record.serial > 0)
		snprintf(s.serial, sizeof(s.serial), "%" PRId64, fx->record.serial);
	s.result = fx->record.reason;
	snprintf(s.colour, sizeof(s.colour), "%s", sec_colour_name(fx->record.colour));
	return store_scan_add(st, &s, w);
}
