/* app/service/verify.c: FX_VERIFY on the store: trust list kept in step with the issuer_keys
 * rows, revocations looked up live, the manifest match, and the walk-ins staff may admit. */
#include "app/service/verify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/mask.h"
#include "app/service/trust_store.h"
#include "app/store/store.h"
#include "app/sys/sys.h"

struct walk_in {
	bool used;
	uint64_t seq; /* the oldest is pushed out when all are used */
	char key[FLOW_KEY_MAX];
	struct healthcode_claims claims;
};

struct verify_service {
	struct store *st;
	struct verify_config cfg;
	struct trust_list *trust;
	uint64_t fingerprint; /* of the issuer_keys rows trust was built from */
	uint64_t generation;
	uint64_t walk_in_seq;
	struct walk_in walk_ins[VERIFY_WALK_IN_MAX];
};

void verify_config_defaults(struct verify_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->code.skew_s = HEALTHCODE_DEFAULT_SKEW_S;
	cfg->code.demo_allowed = false;
	policy_defaults(&cfg->policy);
	cfg->late_days = 2;
	cfg->early_days = 1;
}

const char *verify_match_name(enum verify_match m)
{
	static const char *const names[] = {"none", "found", "walk_in", "checked_in"};
	return (unsigned)m < VERIFY_MATCH_COUNT ? names[m] : "?";
}

enum flow_policy verify_flow_policy(enum policy_action a)
{
	switch (a) {
	case POLICY_ADMIT:
	case POLICY_ADMIT_DESIGNATED: /* the room choice honours it at check-in */
		return FLOW_POLICY_ALLOW;
	case POLICY_STAFF_APPROVAL:
	case POLICY_CALL_MEDIC: /* the kiosk stops and calls staff; the medic decides */
		return FLOW_POLICY_STAFF;
	default:
		return FLOW_POLICY_REFUSE;
	}
}

int verify_service_reload(struct verify_service *v)
{
	uint64_t fp = 0;
	int status = 0;
	struct trust_list *t = trust_store_load(v->st, &fp, &status);
	if (!t)
		return status ? status : -ENOMEM;
	trust_list_free(v->trust);
	v->trust = t;
	v->fingerprint = fp;
	v->generation++;
	log_info("verify: trust list loaded: %d issuer keys (generation %" PRIu64 ")", t->n_keys,
	         v->generation);
	return 0;
}

uint64_t verify_service_generation(const struct verify_service *v)
{
	return v->generation;
}

struct verify_service *verify_service_open(struct store *st, const struct verify_config *cfg)
{
	struct verify_service *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->st = st;
	if (cfg)
		v->cfg = *cfg;
	else
		verify_config_defaults(&v->cfg);
	if (verify_service_reload(v) != 0) {
		free(v);
		return NULL;
	}
	return v;
}

void verify_service_forget_all(struct verify_service *v)
{
	if (v)
		explicit_bzero(v->walk_ins, sizeof(v->walk_ins));
}

void verify_service_close(struct verify_service *v)
{
	if (!v)
		return;
	verify_service_forget_all(v);
	trust_list_free(v->trust);
	free(v);
}

/* Reload when the issuer_keys rows changed. 0 or a store status. */
static int keep_in_step(struct verify_service *v)
{
	uint64_t fp;
	int rc = trust_store_fingerprint(v->st, &fp);
	if (rc != 0)
		return rc;
	return fp == v->fingerprint ? 0 : verify_service_reload(v);
}

/* Revocations are looked up in the store for the code at hand (the table may be large and
 * changes at any time); a hit goes into the list so that the verifier's own order of checks
 * decides the reason. Returns 1 when something was found revoked, 0 when not, or a store
 * status. */
static int revoked_in_store(struct verify_service *v, const struct healthcode_claims *c)
{
	const char *ids[] = {c->jti, c->subject, c->intl.id}; /* intl.id: a UVCI or rid */
	int found = 0;
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		bool revoked = false;
		if (!ids[i][0] || trust_list_is_revoked(v->trust, ids[i]))
			continue;
		int rc = store_revocation_has(v->st, c->issuer, ids[i], &revoked);
		if (rc != 0)
			return rc;
		if (revoked && trust_list_revoke_id(v->trust, ids[i]) == 0)
			found = 1;
	}
	return found;
}

static void remember_walk_in(struct verify_service *v, const struct person *p,
                             const struct healthcode_claims *c)
{
	struct walk_in *slot = NULL;
	for (int i = 0; i < VERIFY_WALK_IN_MAX && !slot; i++)
		if (v->walk_ins[i].used && strcmp(v->walk_ins[i].key, p->key) == 0)
			slot = &v->walk_ins[i];
	for (int i = 0; i < VERIFY_WALK_IN_MAX && !slot; i++)
		if (!v->walk_ins[i].used)
			slot = &v->walk_ins[i];
	if (!slot) {
		slot = &v->walk_ins[0];
		for (int i = 1; i < VERIFY_WALK_IN_MAX; i++)
			if (v->walk_ins[i].seq < slot->seq)
				slot = &v->walk_ins[i];
	}
	explicit_bzero(slot, sizeof(*slot));
	slot->used = true;
	slot->seq = ++v->walk_in_seq;
	snprintf(slot->key, sizeof(slot->key), "%s", p->key);
	slot->claims = *c;
}

static struct walk_in *find_walk_in(struct verify_service *v, const char *key)
{
	for (int i = 0; i < VERIFY_WALK_IN_MAX; i++)
		if (v->walk_ins[i].used && strcmp(v->walk_ins[i].key, key) == 0)
			return &v->walk_ins[i];
	return NULL;
}

/* The arrival of a subject if it is expected around today; STORE_E_NOT_FOUND otherwise. */
static int find_arrival(struct verify_service *v, const char *subject, int64_t now,
                        struct arrival_record *a)
{
	int rc = store_arrival_find_subject(v->st, subject, a);
	if (rc != 0)
		return rc;
	hk_day today = day_from_unix(now, v->cfg.policy.tz_offset_s);
	if (a->expected_day > today + v->cfg.early_days ||
	    a->expected_day < today - v->cfg.late_days)
		return STORE_E_NOT_FOUND;
	return 0;
}

static void person_from_arrival(struct person *p, const struct arrival_record *a)
{
	snprintf(p->arrival_id, sizeof(p->arrival_id), "%" PRId64, a->id);
	mask_name(a->name, p->name_masked, sizeof(p->name_masked));
	mask_id_number(a->doc_number, p->doc_masked, sizeof(p->doc_masked));
	snprintf(p->group_id, sizeof(p->group_id), "%.*s", (int)sizeof(p->group_id) - 1,
	         a->group_id);
	p->category = a->category;
	p->minor = a->child;
}

/* The host of a URL ("https://spec.smarthealth.cards/examples/issuer" -> the middle). */
static void url_host(const char *url, char *out, size_t size)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t n = strcspn(h, "/:?#");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), h);
}

/* What the kiosk shows and records of an international credential: no personal data but
 * the masked name. DCC: the issuing country (CWT iss, else the event's); SMART: the
 * issuer's host. */
static void evidence_from_claims(struct flow_evidence *e, const struct healthcode_result *r)
{
	const struct healthcode_claims *c = &r->claims;
	memset(e, 0, sizeof(*e));
	e->kind = (unsigned)c->intl.kind < FLOW_EVIDENCE_KIND_COUNT
	              ? (enum flow_evidence_kind)c->intl.kind
	              : FLOW_EVIDENCE_NONE;
	e->day = c->intl.day;
	e->test_positive = c->intl.test_positive;
	snprintf(e->format, sizeof(e->format), "%s", r->format ? r->format : "");
	if (strstr(c->issuer, "://"))
		url_host(c->issuer, e->issuer, sizeof(e->issuer));
	else
		snprintf(e->issuer, sizeof(e->issuer), "%.*s", (int)sizeof(e->issuer) - 1,
		         c->issuer[0] ? c->issuer : c->intl.country);
	mask_name(c->name, e->name_masked, sizeof(e->name_masked));
}

const char *verify_intl_policy_name(enum verify_intl_policy p)
{
	static const char *const names[VERIFY_INTL_COUNT] = {"evidence", "refuse"};
	return (unsigned)p < VERIFY_INTL_COUNT ? names[p] : "?";
}

bool verify_intl_policy_parse(const char *s, enum verify_intl_policy *out)
{
	for (int i = 0; s && i < VERIFY_INTL_COUNT; i++) {
		if (strcmp(s, verify_intl_policy_name((enum verify_intl_policy)i)) == 0) {
			*out = (enum verify_intl_policy)i;
			return true;
		}
	}
	return false;
}

static enum flow_policy stricter(enum flow_policy a, enum flow_policy b)
{
	return a > b ? a : b;
}

int verify_service_check(struct verify_service *v, const char *text, size_t len, int64_t now,
                         struct verify_outcome *out)
{
	struct arrival_record a;
	char line[384];
	if (!v || !out || (!text && len))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->policy = FLOW_POLICY_DEFAULT;
	out->match = VERIFY_MATCH_NONE;
	if (keep_in_step(v) != 0) {
		log_warn("verify: issuer keys unreadable: %s", store_errmsg(v->st));
		out->reason = REASON_LOOKUP_FAILED;
		return 0;
	}
	enum reason r =
	    healthcode_verify(text ? text : "", len, v->trust, &v->cfg.code, now, &out->code);
	if (out->code.has_claims) {
		int rc = revoked_in_store(v, &out->code.claims);
		if (rc < 0) {
			log_warn("verify: revocations unreadable: %s", store_errmsg(v->st));
			out->reason = REASON_LOOKUP_FAILED;
			goto out_log;
		}
		if (rc > 0)
			r = healthcode_verify(text, len, v->trust, &v->cfg.code, now, &out->code);
	}
	out->reason = r;
	if (r != REASON_OK && r != REASON_YELLOW_CODE && r != REASON_RED_CODE)
		goto out_log;

	const struct healthcode_claims *c = &out->code.claims;
	struct person *p = &out->person;
	if (c->intl.present) {
		out->international = true;
		if (v->cfg.intl == VERIFY_INTL_REFUSE) {
			out->reason = REASON_INTL_REFUSED;
			out->policy = FLOW_POLICY_REFUSE;
			goto out_log;
		}
		mask_name(c->name, p->name_masked, sizeof(p->name_masked));
		p->category = c->category;
		evidence_from_claims(&p->evidence, &out->code);
		out->reason = REASON_EVIDENCE_ONLY;
		goto out_log;
	}
	p->code = c->colour == HEALTHCODE_RED      ? FLOW_CODE_RED
	          : c->colour == HEALTHCODE_YELLOW ? FLOW_CODE_YELLOW
	                                           : FLOW_CODE_GREEN;
	snprintf(p->key, sizeof(p->key), "%s", c->subject);
	int rc = find_arrival(v, c->subject, now, &a);
	if (rc == 0) {
		struct checkin_row row;
		int active = store_checkin_active(v->st, a.id, &row);
		if (active != 0 && active != STORE_E_NOT_FOUND) {
			rc = active;
			goto out_lookup_failed;
		}
		person_from_arrival(p, &a);
		out->arrival_id = a.id;
		out->match = active == 0 ? VERIFY_MATCH_CHECKED_IN : VERIFY_MATCH_FOUND;
		explicit_bzero(&row, sizeof(row));
	} else if (rc == STORE_E_NOT_FOUND) {
		mask_name(c->name, p->name_masked, sizeof(p->name_masked));
		p->category = c->category;
		out->match = VERIFY_MATCH_WALK_IN;
	} else {
		goto out_lookup_failed;
	}
	enum policy_action by_colour =
	    policy_for_code_colour(&v->cfg.policy, p->category, (enum policy_code_colour)p->code);
	switch (out->match) {
	case VERIFY_MATCH_CHECKED_IN:
		out->reason = REASON_ALREADY_CHECKED_IN;
		break;
	case VERIFY_MATCH_WALK_IN:
		out->reason = REASON_NOT_ON_MANIFEST;
		out->policy = stricter(verify_flow_policy(by_colour),
		                       verify_flow_policy(policy_for_walk_in(&v->cfg.policy)));
		remember_walk_in(v, p, c);
		break;
	default:
		out->policy = verify_flow_policy(by_colour);
		break;
	}
	goto out_log;

out_lookup_failed:
	log_warn("verify: manifest lookup failed: %s", store_errmsg(v->st));
	memset(&out->person, 0, sizeof(out->person));
	out->match = VERIFY_MATCH_NONE;
	out->reason = REASON_LOOKUP_FAILED;
out_log:
	explicit_bzero(&a, sizeof(a));
	healthcode_log_line(&out->code, now, line, sizeof(line));
	log_info("%s match=%s arrival=%" PRId64 " answer=%s policy=%s", line,
	         verify_match_name(out->match), out->arrival_id, reason_code(out->reason),
	         flow_policy_name(out->policy));
	return 0;
}

int verify_code(struct verify_service *v, const struct effect *fx, int64_t now,
                struct event *answer)
{
	struct verify_outcome o;
	if (!v || !fx || !answer || fx->kind != FX_VERIFY)
		return -EINVAL;
	size_t len = strnlen(fx->verify.text, sizeof(fx->verify.text));
	int rc = verify_service_check(v, fx->verify.text, len, now, &o);
	if (rc != 0)
		return rc;
	memset(answer, 0, sizeof(*answer));
	answer->kind = EV_VERIFIED;
	answer->ticket = fx->ticket;
	answer->verified.reason = o.reason;
	answer->verified.policy = o.policy;
	answer->verified.person = o.person;
	explicit_bzero(&o, sizeof(o));
	return 0;
}

int verify_admit_walk_in(struct verify_service *v, const char *key, const char *approved_by,
                         int64_t now, char arrival_id[FLOW_ARRIVAL_ID_MAX])
{
	struct arrival_record a;
	if (!v || !key || !*key || !arrival_id)
		return -EINVAL;
	struct walk_in *w = find_walk_in(v, key);
	if (!w)
		return -ENOENT;
	const struct healthcode_claims *c = &w->claims;
	/* on the manifest by now (a second approval, or the manifest was imported since) */
	int rc = find_arrival(v, c->subject, now, &a);
	if (rc == STORE_E_NOT_FOUND) {
		memset(&a, 0, sizeof(a));
		snprintf(a.batch, sizeof(a.batch), "walk-in");
		snprintf(a.name, sizeof(a.name), "%s", c->name);
		snprintf(a.doc_type, sizeof(a.doc_type), "other");
		snprintf(a.doc_number, sizeof(a.doc_number), "HC-%.*s",
		         (int)sizeof(a.doc_number) - 4, c->subject);
		a.category = c->category;
		a.onsite_days = v->cfg.policy.term[c->category].onsite_days;
		a.home_days = v->cfg.policy.term[c->category].home_days;
		a.expected_day = day_from_unix(now, v->cfg.policy.tz_offset_s);
		snprintf(a.subject_id, sizeof(a.subject_id), "%s", c->subject);
		snprintf(a.notes, sizeof(a.notes), "walk-in approved by %s; code of %s",
		         approved_by && *approved_by ? approved_by : "?", c->issuer);
		rc = store_arrival_add(v->st, &a);
		if (rc == STORE_E_EXISTS) /* the same walk-in was added today already */
			rc = find_arrival(v, c->subject, now, &a);
	}
	if (rc == 0) {
		snprintf(arrival_id, FLOW_ARRIVAL_ID_MAX, "%" PRId64, a.id);
		log_info("verify: walk-in admitted as arrival %" PRId64 " by %s", a.id,
		         approved_by && *approved_by ? approved_by : "?");
		explicit_bzero(w, sizeof(*w));
	} else {
		log_warn("verify: walk-in not recorded: %s [%s]", store_errmsg(v->st),
		         store_status_name(rc));
	}
	explicit_bzero(&a, sizeof(a));
	return rc;
}
