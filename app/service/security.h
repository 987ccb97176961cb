/* app/service/security.h: carry out the security post's effects on the local store:
 * SEC_FX_LOOKUP (verify the band offline, then the band, its resident and the term's plan)
 * answered with SEC_EV_LOOKED_UP, and SEC_FX_RECORD_SCAN (no personal data) to the outbox. */
#ifndef HK_SERVICE_SECURITY_H
#define HK_SERVICE_SECURITY_H

#include <stddef.h>
#include <stdint.h>

#include "app/core/flow_security.h"
#include "app/core/policy.h"
#include "app/core/resident.h"
#include "app/core/wristband.h"

struct store;
struct store_resident;
struct store_written;

struct security_config {
	char station[WRISTBAND_STATION_MAX + 1]; /* the station this post serves */
	const struct wristband_public_key *keys; /* trusted band keys, borrowed */
	size_t nkeys;
	struct policy policy; /* to rebuild each term's plan (zone, cut-off, terms) */
};

/* Answer fx (a SEC_FX_LOOKUP) from st into *answer (SEC_EV_LOOKED_UP, ticket copied): the
 * token's result; for a verified token the band's state (SEC_BAND_UNKNOWN when the replica
 * does not hold it) and its resident (masked name, room, floor, current risk, category, care
 * markers, status, plan). A band voided by the release or transfer of its resident answers
 * SEC_BAND_ACTIVE with that status, so the status rule decides. A store failure answers reason
 * REASON_LOOKUP_FAILED. One indexed query per lookup after the signature check. Returns 0 when
 * *answer was written, -EINVAL for NULL arguments or another effect. */
int security_lookup(struct store *st, const struct security_config *cfg,
                    const struct sec_effect *fx, struct sec_event *answer);

/* Write fx (a SEC_FX_RECORD_SCAN) as a scan record: checkpoint, time, serial, reason and
 * colour; synced through the outbox. w may be NULL. Returns 0, -EINVAL for another effect,
 * or a negative enum store_status. */
int security_record_scan(struct store *st, const struct sec_effect *fx, struct store_written *w);

/* The resident as the screens see it (masked name, care bits, plan with extensions) from a
 * store row. Returns 0, or -EINVAL when the row cannot be shown (out is zeroed then). */
int security_resident_from_store(const struct store_resident *r, const struct policy *p,
                                 struct resident *out);

#endif
