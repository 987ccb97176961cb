/* app/service/verify.h: carry out the entrance flow's FX_VERIFY: verify the health code
 * against the trust list in the store, match its subject against the manifest, and answer
 * EV_VERIFIED with a masked person and the station's policy. Keeps the verified claims of
 * walk-ins until FX_CLEAR, so that a walk-in staff approved can become an arrival. */
#ifndef HK_SERVICE_VERIFY_H
#define HK_SERVICE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/events.h"
#include "app/core/healthcode.h"
#include "app/core/policy.h"

struct store;
struct verify_service;

#define VERIFY_WALK_IN_MAX (2 * FLOW_GROUP_MAX) /* walk-ins remembered until FX_CLEAR */

/* What a genuine international credential (EU DCC, SMART Health Card) allows: it names no
 * subject of our manifest, so it never admits by itself (docs/international.md). */
enum verify_intl_policy {
	VERIFY_INTL_EVIDENCE_ONLY, /* supporting evidence: shown and recorded with the check-in,
	                              then our health code is still required (EV_VERIFIED
	                              REASON_EVIDENCE_ONLY, policy DEFAULT, person.evidence) */
	VERIFY_INTL_REFUSE,        /* not accepted at this station (REASON_INTL_REFUSED) */
	VERIFY_INTL_COUNT
};

/* "evidence", "refuse"; "?" out of range. */
const char *verify_intl_policy_name(enum verify_intl_policy p);
/* Parse those names; false (and *out left alone) for anything else. */
bool verify_intl_policy_parse(const char *s, enum verify_intl_policy *out);

struct verify_config {
	struct healthcode_config code; /* clock skew, demo keys accepted */
	enum verify_intl_policy intl;  /* default VERIFY_INTL_EVIDENCE_ONLY */
	struct policy policy; /* colour and walk-in decisions, zone, terms of walk-in arrivals */
	int late_days;        /* a manifest row matches up to this many days after its
	                         expected day (late flights) ... */
	int early_days;       /* ... and this many days before it; outside: not on the manifest */
};

/* Defaults: skew HEALTHCODE_DEFAULT_SKEW_S, demo keys refused, policy_defaults(), rows
 * match from 1 day early to 2 days late. */
void verify_config_defaults(struct verify_config *cfg);

/* What the manifest said about a genuine code. */
enum verify_match {
	VERIFY_MATCH_NONE,       /* the code was refused (or the lookup failed): no match made */
	VERIFY_MATCH_FOUND,      /* an arrival on the manifest, not checked in */
	VERIFY_MATCH_WALK_IN,    /* a genuine code of nobody on the manifest */
	VERIFY_MATCH_CHECKED_IN, /* an arrival with an active check-in */
	VERIFY_MATCH_COUNT
};

/* The whole outcome of one scan (what verify_code() answers with, and more for staff). */
struct verify_outcome {
	struct healthcode_result code; /* the verifier's result; its claims hold the full name:
	                                  wipe the outcome when done */
	enum verify_match match;
	int64_t arrival_id;      /* FOUND, CHECKED_IN: the store's arrival id; else 0 */
	enum reason reason;      /* EV_VERIFIED's reason */
	enum flow_policy policy; /* EV_VERIFIED's policy */
	struct person person;    /* EV_VERIFIED's person (zero when refused) */
	/* A genuine international credential: match NONE; with VERIFY_INTL_EVIDENCE_ONLY
	 * reason REASON_EVIDENCE_ONLY, policy DEFAULT, the person's name_masked from the
	 * credential and person.evidence what the kiosk shows and records (kind and day of
	 * the latest event, issuer); with VERIFY_INTL_REFUSE reason REASON_INTL_REFUSED,
	 * policy REFUSE, person zero. code.claims.intl holds the rest. */
	bool international;
};

/* A service verifying against st (borrowed; must outlive the service; used by the caller's
 * thread only) with a copy of cfg (NULL: defaults). Loads the trust list now. NULL when out
 * of memory or the store cannot be read. Close with verify_service_close(). */
struct verify_service *verify_service_open(struct store *st, const struct verify_config *cfg);
/* Wipes the remembered walk-ins and frees everything; NULL is fine. */
void verify_service_close(struct verify_service *v);

/* Reload the trust list from the store now. Not needed after changes made through the
 * store: every check compares a fingerprint of the issuer_keys rows and reloads when they
 * changed; revocations of credentials are looked up in the store on every check. Returns 0,
 * or a store status / -ENOMEM (the previous list is kept). */
int verify_service_reload(struct verify_service *v);
/* How many times the trust list was (re)loaded: 1 after open. */
uint64_t verify_service_generation(const struct verify_service *v);

/* Verify text (len bytes, as scanned) at now (unix seconds) and match it with the manifest.
 * Fills *out completely:
 * - refused code (not a code, forged, unknown issuer, expired, revoked, demo key, ...):
 *   reason says why, match NONE, policy DEFAULT, person zero;
 * - store unreadable: REASON_LOOKUP_FAILED;
 * - FOUND: reason OK / YELLOW_CODE / RED_CODE; person from the manifest (masked name and
 *   document number, category, group, minor = the manifest's child flag) with the code's
 *   colour, arrival_id the decimal store id, key the code's subject id;
 * - CHECKED_IN: REASON_ALREADY_CHECKED_IN, the same person (the flow offers a reprint);
 * - WALK_IN: REASON_NOT_ON_MANIFEST, person from the code (masked display name, category,
 *   colour; no document number, arrival_id ""), remembered for verify_admit_walk_in().
 * policy: the stricter of policy_for_code_colour() and, for a walk-in,
 * policy_for_walk_in(), as a flow_policy (admit and admit_designated: ALLOW;
 * staff_approval and call_medic: STAFF; refuse: REFUSE). Returns 0, or -EINVAL. */
int verify_service_check(struct verify_service *v, const char *text, size_t len, int64_t now,
                         struct verify_outcome *out);

/* Carry out fx (an FX_VERIFY effect) at now (unix seconds): *answer becomes EV_VERIFIED with
 * fx's ticket and the reason, policy and person of verify_service_check(). Nothing else of
 * the outcome leaves the service. Returns 0 when *answer was written, -EINVAL when fx is not
 * an FX_VERIFY. */
int verify_code(struct verify_service *v, const struct effect *fx, int64_t now,
                struct event *answer);

/* A walk-in staff approved becomes an arrival before FX_CHECKIN (which needs one): the
 * wiring calls this for every person of the group with walk_in set and arrival_id "", with
 * the person's key and the approving badge, and puts the id it returns into arrival_id.
 * The row is made from the claims verify_service_check() remembered: name, category and
 * subject id from the code, doc_type "other", doc_number "HC-" + the subject id, batch
 * "walk-in", expected today, the category's default term, notes naming the badge. When the
 * subject is on the manifest by now, that arrival's id is returned instead. arrival_id
 * receives the decimal id. Returns 0, -ENOENT (key not remembered: scanned before the last
 * FX_CLEAR, or pushed out), -EINVAL, or a store status. */
int verify_admit_walk_in(struct verify_service *v, const char *key, const char *approved_by,
                         int64_t now, char arrival_id[FLOW_ARRIVAL_ID_MAX]);

/* Forget every remembered walk-in (wipes the memory). Call on FX_CLEAR. */
void verify_service_forget_all(struct verify_service *v);

/* Names in JSON and logs: "none", "found", "walk_in", "checked_in"; "?" out of range. */
const char *verify_match_name(enum verify_match m);

/* The flow_policy of a policy_action, as described at verify_service_check(). */
enum flow_policy verify_flow_policy(enum policy_action a);

#endif
