/* tests/unit/test_verify_service.c: FX_VERIFY carried out on a real store file: a manifest
 * person found with masked fields, a walk-in admitted as an arrival and checked in, a second
 * scan after check-in, colour policies, expired / forged / unknown / demo / revoked codes,
 * and the trust list following key changes in the store without a restart. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <zlib.h>

#include "app/core/b64url.h"
#include "app/core/jws.h"
#include "app/core/mask.h"
#include "app/service/checkin.h"
#include "app/service/trust_store.h"
#include "app/service/verify.h"
#include "app/store/store.h"

/* 2026-11-29 08:00 UTC, 16:00 in Shenzhen: the manifest's day */
#define NOW INT64_C(1795939200)
#define DAY INT64_C(86400)

static const char manifest[] =
    "batch,name,doc_type,doc_number,category,term,group_id,arrival_day,child\n"
    "B1,张伟,id_card,440305198001011235,inbound,14+7,F001,2026-11-29,\n"
    "B1,李娜,passport,E12345678,inbound,14+7,F001,2026-11-29,\n"
    "B1,张小明,passport,E22345678,inbound,14+7,F001,2026-11-29,1\n"
    "B1,王芳,passport,E32345678,close_contact,21+7,,2026-11-29,\n"
    "B1,Alex SMITH,passport,P1234567,inbound,14,,2026-11-29,\n";

struct fixture {
	char dir[64];
	struct store *st;
	struct verify_service *v;
	struct verify_config cfg;
	char pem[512];      /* gd.hc signing key, trusted */
	char demo_pem[512]; /* demo.hc signing key, trusted as demo */
	char new_pem[512];  /* gd.hc second key, not in the store at first */
	char new_jwk[TRUST_JWK_MAX];
	struct trust_subject_key sk;
	struct checkin_config ccfg;
};

static int add_jwk(struct store *st, const char *jwk, bool demo)
{
	struct trust_store_added added[TRUST_STORE_ADD_MAX];
	size_t n;
	char detail[128];
	return trust_store_add_jwks(st, jwk, strlen(jwk), demo, NOW - DAY, added, &n, detail,
	                            sizeof(detail));
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char jwk[TRUST_JWK_MAX], path[128];
	struct store_error err;
	struct manifest_report rep = {0};
	struct wristband_public_key pub;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-verify-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/station.db", f->dir);
	f->st = store_open(path, &err);
	if (!f->st || store_identity_set(f->st, "SZ01", "entrance-1") != 0 ||
	    store_manifest_import(f->st, manifest, sizeof(manifest) - 1, &rep) != 0)
		return -1;
	struct room_spec rooms[] = {{"1201", 12, 2}, {"1202", 12, 2}, {"1301", 13, 1}};
	if (store_rooms_add(f->st, rooms, 3, NULL) != 0)
		return -1;
	if (healthcode_keygen("gd.hc", false, f->pem, sizeof(f->pem), jwk, sizeof(jwk)) != 0 ||
	    add_jwk(f->st, jwk, false) != 0 ||
	    healthcode_subject_keygen("gd.hc", jwk, sizeof(jwk)) != 0 ||
	    add_jwk(f->st, jwk, false) != 0 ||
	    healthcode_keygen("demo.hc", true, f->demo_pem, sizeof(f->demo_pem), jwk,
	                      sizeof(jwk)) != 0 ||
	    add_jwk(f->st, jwk, true) != 0 ||
	    healthcode_keygen("gd.hc", false, f->new_pem, sizeof(f->new_pem), f->new_jwk,
	                      sizeof(f->new_jwk)) != 0)
		return -1;
	if (trust_store_subject_key(f->st, "gd.hc", &f->sk) != 0 ||
	    trust_store_fill_subjects(f->st, "gd.hc", true, NULL, NULL) != 0)
		return -1;
	verify_config_defaults(&f->cfg);
	f->v = verify_service_open(f->st, &f->cfg);
	policy_defaults(&f->ccfg.policy);
	snprintf(f->ccfg.station, sizeof(f->ccfg.station), "SZ01");
	if (!f->v || wristband_key_generate(&f->ccfg.key, &pub) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	verify_service_close(f->v);
	store_close(f->st);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(f);
	return rc;
}

struct code_spec {
	const char *pem;
	const char *iss;
	const char *doc_type, *doc_number, *name;
	enum healthcode_colour colour;
	enum category category;
	int64_t iat, exp;
	const char *jti;
};

/* A code text for spec, with the fixture's subject key (gd.hc). */
static void issue(struct fixture *f, struct code_spec s, char out[HEALTHCODE_TEXT_MAX])
{
	struct healthcode_claims c;
	memset(&c, 0, sizeof(c));
	snprintf(c.issuer, sizeof(c.issuer), "%s", s.iss ? s.iss : "gd.hc");
	snprintf(c.name, sizeof(c.name), "%s", s.name ? s.name : "李娜");
	snprintf(c.jti, sizeof(c.jti), "%s", s.jti ? s.jti : "");
	assert_int_equal(trust_store_subject_of(&f->sk, s.doc_type ? s.doc_type : "passport",
	                                        s.doc_number ? s.doc_number : "E12345678",
	                                        c.subject),
	                 0);
	c.colour = s.colour;
	c.category = s.category;
	c.iat = s.iat ? s.iat : NOW - 3600;
	c.nbf = c.iat;
	c.exp = s.exp ? s.exp : NOW + DAY;
	const char *pem = s.pem ? s.pem : f->pem;
	assert_true(healthcode_issue(&c, pem, strlen(pem), NULL, out, HEALTHCODE_TEXT_MAX) > 0);
}

static struct event verify_at(struct fixture *f, const char *code, int64_t now)
{
	struct effect fx;
	struct event ev;
	memset(&fx, 0, sizeof(fx));
	fx.kind = FX_VERIFY;
	fx.ticket = 41;
	snprintf(fx.verify.text, sizeof(fx.verify.text), "%s", code);
	memset(&ev, 0x5a, sizeof(ev));
	assert_int_equal(verify_code(f->v, &fx, now, &ev), 0);
	assert_int_equal(ev.kind, EV_VERIFIED);
	assert_int_equal(ev.ticket, 41);
	return ev;
}

static struct event verify(struct fixture *f, const char *code)
{
	return verify_at(f, code, NOW);
}

static void assert_person_empty(const struct person *p)
{
	static const struct person zero;
	assert_memory_equal(p, &zero, sizeof(zero));
}

static void check_in(struct fixture *f, const struct person *p)
{
	struct effect fx;
	struct event ev;
	memset(&fx, 0, sizeof(fx));
	fx.kind = FX_CHECKIN;
	fx.ticket = 9;
	fx.checkin.count = 1;
	fx.checkin.people[0] = *p;
	snprintf(fx.checkin.briefing_version, sizeof(fx.checkin.briefing_version), "sha256:ab");
	assert_int_equal(checkin_commit(f->st, &f->ccfg, &fx, NOW, &ev), 0);
	assert_int_equal(ev.kind, EV_ASSIGNED);
}

static void test_found_on_manifest(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX], want[64];
	issue(f, (struct code_spec){0}, code);
	struct event ev = verify(f, code);
	const struct person *p = &ev.verified.person;
	assert_int_equal(ev.verified.reason, REASON_OK);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_ALLOW);
	assert_string_equal(p->arrival_id, "2");
	assert_string_equal(p->name_masked, "李*");
	mask_id_number("E12345678", want, sizeof(want));
	assert_string_equal(p->doc_masked, want);
	assert_string_equal(p->group_id, "F001");
	assert_int_equal(p->category, CATEGORY_INBOUND);
	assert_int_equal(p->code, FLOW_CODE_GREEN);
	assert_false(p->minor);
	assert_false(p->walk_in);
	/* the key is the code's subject: the same holder scanning again gives the same key */
	char sub[HEALTHCODE_SUBJECT_LEN + 1];
	trust_store_subject_of(&f->sk, "passport", "E12345678", sub);
	assert_string_equal(p->key, sub);
	/* no full name or number anywhere in the answer */
	assert_null(memmem(&ev, sizeof(ev), "李娜", strlen("李娜")));
	assert_null(memmem(&ev, sizeof(ev), "E12345678", 9));

	/* the manifest's child flag, the mainland ID card, the manifest's category */
	issue(f, (struct code_spec){.doc_number = "E22345678", .name = "张小明"}, code);
	ev = verify(f, code);
	assert_string_equal(ev.verified.person.arrival_id, "3");
	assert_true(ev.verified.person.minor);
	assert_string_equal(ev.verified.person.name_masked, "张*明");
	issue(f,
	      (struct code_spec){
	          .doc_type = "身份证", .doc_number = "440305198001011235", .name = "张伟"},
	      code);
	ev = verify(f, code);
	assert_string_equal(ev.verified.person.arrival_id, "1");
	assert_string_equal(ev.verified.person.doc_masked, "4403**********1235");
	issue(f, (struct code_spec){.doc_number = "E32345678", .category = CATEGORY_INBOUND}, code);
	ev = verify(f, code);
	assert_string_equal(ev.verified.person.arrival_id, "4");
	assert_int_equal(ev.verified.person.category, CATEGORY_CLOSE_CONTACT);
}

static void test_walk_in_admitted_then_checked_in(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX], id[FLOW_ARRIVAL_ID_MAX];
	issue(f,
	      (struct code_spec){.doc_number = "G99887766",
	                         .name = "赵敏",
	                         .category = CATEGORY_SECONDARY_CONTACT},
	      code);
	struct event ev = verify(f, code);
	struct person p = ev.verified.person;
	assert_int_equal(ev.verified.reason, REASON_NOT_ON_MANIFEST);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_STAFF); /* default: staff approval */
	assert_string_equal(p.arrival_id, "");
	assert_string_equal(p.name_masked, "赵*");
	assert_string_equal(p.doc_masked, "");
	assert_int_equal(p.category, CATEGORY_SECONDARY_CONTACT);
	assert_true(p.key[0]);

	/* unknown key: nothing remembered */
	assert_int_equal(verify_admit_walk_in(f->v, "no-such-key", "B7", NOW, id), -ENOENT);
	assert_int_equal(verify_admit_walk_in(f->v, p.key, "B7", NOW, id), 0);
	struct arrival_record a;
	assert_int_equal(store_arrival_get(f->st, strtoll(id, NULL, 10), &a), 0);
	assert_string_equal(a.name, "赵敏");
	assert_string_equal(a.batch, "walk-in");
	assert_string_equal(a.subject_id, p.key);
	assert_int_equal(a.category, CATEGORY_SECONDARY_CONTACT);
	assert_int_equal(a.onsite_days, f->cfg.policy.term[CATEGORY_SECONDARY_CONTACT].onsite_days);
	assert_int_equal(a.expected_day, day_from_unix(NOW, 8 * 3600));
	assert_non_null(strstr(a.notes, "B7"));
	/* admitted once: the claims are forgotten */
	char again[FLOW_ARRIVAL_ID_MAX];
	assert_int_equal(verify_admit_walk_in(f->v, p.key, "B7", NOW, again), -ENOENT);

	/* the id is what FX_CHECKIN needs */
	snprintf(p.arrival_id, sizeof(p.arrival_id), "%s", id);
	p.walk_in = true;
	check_in(f, &p);

	/* the same code now: on the manifest, checked in, a reprint is offered */
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_ALREADY_CHECKED_IN);
	assert_string_equal(ev.verified.person.arrival_id, id);
	assert_string_equal(ev.verified.person.key, p.key);
}

static void test_walk_in_forgotten_on_clear(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX], id[FLOW_ARRIVAL_ID_MAX];
	char keys[VERIFY_WALK_IN_MAX + 1][FLOW_KEY_MAX];
	for (int i = 0; i <= VERIFY_WALK_IN_MAX; i++) {
		char num[16];
		snprintf(num, sizeof(num), "W%08d", i);
		issue(f, (struct code_spec){.doc_number = num, .name = "Jo DOE"}, code);
		struct event ev = verify(f, code);
		assert_int_equal(ev.verified.reason, REASON_NOT_ON_MANIFEST);
		snprintf(keys[i], FLOW_KEY_MAX, "%s", ev.verified.person.key);
	}
	/* bounded: the oldest was pushed out */
	assert_int_equal(verify_admit_walk_in(f->v, keys[0], "B7", NOW, id), -ENOENT);
	assert_int_equal(verify_admit_walk_in(f->v, keys[VERIFY_WALK_IN_MAX], "B7", NOW, id), 0);
	verify_service_forget_all(f->v);
	for (int i = 1; i < VERIFY_WALK_IN_MAX; i++)
		assert_int_equal(verify_admit_walk_in(f->v, keys[i], "B7", NOW, id), -ENOENT);
}

static void test_walk_in_refused_by_policy(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	verify_service_close(f->v);
	f->cfg.policy.walk_in = POLICY_REFUSE;
	f->v = verify_service_open(f->st, &f->cfg);
	assert_non_null(f->v);
	issue(f, (struct code_spec){.doc_number = "G11111111"}, code);
	struct event ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_NOT_ON_MANIFEST);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_REFUSE);
}

static void test_already_checked_in(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	issue(f, (struct code_spec){.doc_number = "P1234567", .name = "Alex SMITH"}, code);
	struct event ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_OK);
	check_in(f, &ev.verified.person);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_ALREADY_CHECKED_IN);
	assert_string_equal(ev.verified.person.arrival_id, "5");
	assert_string_equal(ev.verified.person.name_masked, "A*** S****");
}

static void test_colour_policies(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	/* defaults: yellow admit; red inbound call the medic; red close contact designated */
	issue(f, (struct code_spec){.colour = HEALTHCODE_YELLOW}, code);
	struct event ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_YELLOW_CODE);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_ALLOW);
	assert_int_equal(ev.verified.person.code, FLOW_CODE_YELLOW);
	issue(f, (struct code_spec){.colour = HEALTHCODE_RED}, code);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_RED_CODE);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_STAFF);
	assert_int_equal(ev.verified.person.code, FLOW_CODE_RED);
	assert_string_equal(ev.verified.person.arrival_id, "2");
	issue(f, (struct code_spec){.doc_number = "E32345678", .colour = HEALTHCODE_RED}, code);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_RED_CODE);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_ALLOW); /* designated floor */

	/* a station refusing yellow codes of inbound travellers */
	verify_service_close(f->v);
	f->cfg.policy.code_action[CATEGORY_INBOUND][POLICY_CODE_YELLOW] = POLICY_REFUSE;
	f->v = verify_service_open(f->st, &f->cfg);
	issue(f, (struct code_spec){.colour = HEALTHCODE_YELLOW}, code);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_YELLOW_CODE);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_REFUSE);
	/* a yellow walk-in: the stricter of colour (refuse) and walk-in (staff) */
	issue(f, (struct code_spec){.doc_number = "G22222222", .colour = HEALTHCODE_YELLOW}, code);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_NOT_ON_MANIFEST);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_REFUSE);
	assert_int_equal(ev.verified.person.code, FLOW_CODE_YELLOW);

	assert_int_equal(verify_flow_policy(POLICY_ADMIT), FLOW_POLICY_ALLOW);
	assert_int_equal(verify_flow_policy(POLICY_ADMIT_DESIGNATED), FLOW_POLICY_ALLOW);
	assert_int_equal(verify_flow_policy(POLICY_STAFF_APPROVAL), FLOW_POLICY_STAFF);
	assert_int_equal(verify_flow_policy(POLICY_CALL_MEDIC), FLOW_POLICY_STAFF);
	assert_int_equal(verify_flow_policy(POLICY_REFUSE), FLOW_POLICY_REFUSE);
	assert_int_equal(verify_flow_policy((enum policy_action)99), FLOW_POLICY_REFUSE);
}

static void test_expired_and_skew(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	issue(f, (struct code_spec){.iat = NOW - 2 * DAY, .exp = NOW - 100}, code);
	struct event ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_OK); /* within the default 300 s skew */
	verify_service_close(f->v);
	f->cfg.code.skew_s = 0;
	f->v = verify_service_open(f->st, &f->cfg);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_EXPIRED);
	assert_int_equal(ev.verified.policy, FLOW_POLICY_DEFAULT);
	assert_person_empty(&ev.verified.person);
	/* not yet valid */
	issue(f, (struct code_spec){.iat = NOW + 3600, .exp = NOW + DAY}, code);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_NOT_YET_VALID);
}

static void test_forged_and_unknown(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	issue(f, (struct code_spec){0}, code);
	/* a character of the payload changed: never valid */
	char *payload = strchr(code, '.') + 5;
	*payload = *payload == 'A' ? 'B' : 'A';
	struct event ev = verify(f, code);
	assert_true(ev.verified.reason == REASON_BAD_SIGNATURE ||
	            ev.verified.reason == REASON_MALFORMED);
	assert_person_empty(&ev.verified.person);
	/* a key the store does not hold, naming a trusted issuer */
	issue(f, (struct code_spec){.pem = f->new_pem}, code);
	ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_UNKNOWN_ISSUER);
	/* not a health code at all */
	ev = verify(f, "https://example.com/?q=1");
	assert_int_equal(ev.verified.reason, REASON_NOT_HEALTH_CODE);
	ev = verify(f, "");
	assert_int_equal(ev.verified.reason, REASON_NOT_HEALTH_CODE);
}

static void test_demo_refused_unless_allowed(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	issue(f, (struct code_spec){.pem = f->demo_pem, .iss = "demo.hc"}, code);
	struct event ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_DEMO_KEY);
	assert_person_empty(&ev.verified.person);
	verify_service_close(f->v);
	f->cfg.code.demo_allowed = true;
	f->v = verify_service_open(f->st, &f->cfg);
	ev = verify(f, code);
	/* genuine in demo mode; its subject is of gd.hc's key here, so it is found */
	assert_int_equal(ev.verified.reason, REASON_OK);
	assert_string_equal(ev.verified.person.arrival_id, "2");
}

static void test_revoked_live(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX], other[HEALTHCODE_TEXT_MAX];
	issue(f, (struct code_spec){.jti = "jti-one"}, code);
	issue(f, (struct code_spec){.jti = "jti-two"}, other);
	uint64_t gen = verify_service_generation(f->v);
	assert_int_equal(verify(f, code).verified.reason, REASON_OK);
	/* credential revocation: no reload needed, only that code */
	assert_int_equal(store_revocation_add(f->st, "gd.hc", "jti-one", NOW, "test"), 0);
	assert_int_equal(verify(f, code).verified.reason, REASON_REVOKED);
	assert_int_equal(verify(f, other).verified.reason, REASON_OK);
	/* the same jti of another issuer is not revoked */
	assert_int_equal(store_revocation_add(f->st, "demo.hc", "jti-two", NOW, ""), 0);
	assert_int_equal(verify(f, other).verified.reason, REASON_OK);
	/* every code of a subject */
	char sub[HEALTHCODE_SUBJECT_LEN + 1];
	trust_store_subject_of(&f->sk, "passport", "E12345678", sub);
	assert_int_equal(store_revocation_add(f->st, "gd.hc", sub, NOW, ""), 0);
	assert_int_equal(verify(f, other).verified.reason, REASON_REVOKED);
	assert_int_equal(verify_service_generation(f->v), gen);

	/* a revoked signing key: every code it signed */
	issue(f, (struct code_spec){.doc_number = "P1234567"}, code);
	assert_int_equal(verify(f, code).verified.reason, REASON_OK);
	struct trust_list *t = trust_store_load(f->st, NULL, NULL);
	assert_non_null(t);
	char kid[TRUST_KID_MAX] = "";
	for (int i = 0; i < t->n_keys; i++)
		if (strcmp(t->keys[i].issuer, "gd.hc") == 0)
			snprintf(kid, sizeof(kid), "%s", t->keys[i].kid);
	trust_list_free(t);
	assert_int_equal(store_issuer_key_revoke(f->st, kid, NOW), 0);
	assert_int_equal(verify(f, code).verified.reason, REASON_REVOKED);
	assert_int_equal(verify_service_generation(f->v), gen + 1);
}

static void test_reload_after_keys_change(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	issue(f, (struct code_spec){.pem = f->new_pem}, code);
	uint64_t gen = verify_service_generation(f->v);
	assert_int_equal(gen, 1);
	assert_int_equal(verify(f, code).verified.reason, REASON_UNKNOWN_ISSUER);
	assert_int_equal(verify_service_generation(f->v), gen); /* nothing changed */
	assert_int_equal(add_jwk(f->st, f->new_jwk, false), 0);
	struct event ev = verify(f, code);
	assert_int_equal(ev.verified.reason, REASON_OK);
	assert_string_equal(ev.verified.person.arrival_id, "2");
	assert_int_equal(verify_service_generation(f->v), gen + 1);
	assert_int_equal(verify_service_reload(f->v), 0);
	assert_int_equal(verify_service_generation(f->v), gen + 2);
	/* adding the same key again changes nothing */
	assert_int_equal(add_jwk(f->st, f->new_jwk, false), 0);
	verify(f, code);
	assert_int_equal(verify_service_generation(f->v), gen + 2);
}

static void test_manifest_day_window(void **state)
{
	struct fixture *f = *state;
	char code[HEALTHCODE_TEXT_MAX];
	/* two days late still matches; five days late is a walk-in; two days early too */
	issue(f, (struct code_spec){.iat = NOW + 2 * DAY, .exp = NOW + 3 * DAY}, code);
	assert_int_equal(verify_at(f, code, NOW + 2 * DAY + 60).verified.reason, REASON_OK);
	issue(f, (struct code_spec){.iat = NOW + 5 * DAY, .exp = NOW + 6 * DAY}, code);
	assert_int_equal(verify_at(f, code, NOW + 5 * DAY + 60).verified.reason,
	                 REASON_NOT_ON_MANIFEST);
	issue(f, (struct code_spec){.iat = NOW - 3 * DAY, .exp = NOW + 6 * DAY}, code);
	assert_int_equal(verify_at(f, code, NOW - 2 * DAY).verified.reason, REASON_NOT_ON_MANIFEST);
	assert_int_equal(verify_at(f, code, NOW - DAY).verified.reason, REASON_OK);
}

static void test_bad_calls(void **state)
{
	struct fixture *f = *state;
	struct effect fx;
	struct event ev;
	memset(&fx, 0, sizeof(fx));
	fx.kind = FX_CHECKIN;
	assert_int_equal(verify_code(f->v, &fx, NOW, &ev), -EINVAL);
	assert_int_equal(verify_code(f->v, NULL, NOW, &ev), -EINVAL);
	char id[FLOW_ARRIVAL_ID_MAX];
	assert_int_equal(verify_admit_walk_in(f->v, "", "B7", NOW, id), -EINVAL);
	assert_string_equal(verify_match_name(VERIFY_MATCH_WALK_IN), "walk_in");
	assert_string_equal(verify_match_name((enum verify_match)42), "?");
}

static void test_keys_into_the_store(void **state)
{
	struct fixture *f = *state;
	struct trust_store_added added[TRUST_STORE_ADD_MAX];
	size_t n = 99;
	char detail[256];
	static const char private_jwk[] = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"iss\":\"x\",\"x\":"
	                                  "\"AA\",\"y\":\"AA\",\"d\":\"AA\"}";
	assert_int_equal(trust_store_add_jwks(f->st, private_jwk, strlen(private_jwk), false, NOW,
	                                      added, &n, detail, sizeof(detail)),
	                 -EINVAL);
	assert_non_null(strstr(detail, "private"));
	assert_int_equal(n, 0);
	static const char pem[] = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n";
	assert_int_equal(trust_store_add_jwks(f->st, pem, strlen(pem), false, NOW, added, &n,
	                                      detail, sizeof(detail)),
	                 -EINVAL);
	/* a set with one bad key adds nothing, not even the good one */
	char set[2 * TRUST_JWK_MAX];
	snprintf(set, sizeof(set), "{\"keys\":[%s,{\"kty\":\"EC\"}]}", f->new_jwk);
	assert_int_equal(trust_store_add_jwks(f->st, set, strlen(set), false, NOW, added, &n,
	                                      detail, sizeof(detail)),
	                 -EINVAL);
	struct issuer_key *keys;
	size_t nkeys;
	assert_int_equal(store_issuer_keys_list(f->st, &keys, &nkeys), 0);
	assert_int_equal(nkeys, 3); /* gd.hc signing and subject keys, demo.hc signing key */
	free(keys);
	/* document types */
	assert_string_equal(trust_store_doc_type_code("passport"), "P");
	assert_string_equal(trust_store_doc_type_code("护照"), "P");
	assert_string_equal(trust_store_doc_type_code("id_card"), "ID");
	assert_null(trust_store_doc_type_code("library card"));
	/* several issuers with subject keys: the caller must choose */
	char jwk[TRUST_JWK_MAX];
	struct trust_subject_key sk;
	assert_int_equal(healthcode_subject_keygen("demo.hc", jwk, sizeof(jwk)), 0);
	assert_int_equal(add_jwk(f->st, jwk, true), 0);
	assert_int_equal(trust_store_subject_key(f->st, NULL, &sk), -EEXIST);
	assert_int_equal(trust_store_subject_key(f->st, "demo.hc", &sk), 0);
	assert_int_equal(trust_store_subject_key(f->st, "nobody", &sk), -ENOENT);
}

/* A self-signed document signer of country "DE" as PEM, appended to *buf (grown). Every
 * certificate differs (serial, name), and so does its key id (a hash of the certificate);
 * every third one has a key of its own. */
static void append_signer(char **buf, size_t *len, int serial, EVP_PKEY **shared)
{
	EVP_PKEY *key = serial % 3 == 0 || !*shared ? EVP_EC_gen("P-256") : *shared;
	X509 *x = X509_new();
	assert_non_null(key);
	assert_non_null(x);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -DAY);
	X509_gmtime_adj(X509_getm_notAfter(x), 365 * DAY);
	X509_NAME *name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"DE", -1, -1, 0);
	char cn[32];
	snprintf(cn, sizeof(cn), "DSC %d", serial);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_set_pubkey(x, key);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	char *p;
	long n = BIO_get_mem_data(b, &p);
	*buf = realloc(*buf, *len + (size_t)n + 1);
	assert_non_null(*buf);
	memcpy(*buf + *len, p, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	BIO_free(b);
	X509_free(x);
	if (!*shared)
		*shared = key;
	else if (key != *shared)
		EVP_PKEY_free(key);
}

/* A real EU DCC signer list holds hundreds of certificates: 500 are imported in one go
 * (one transaction), again as "already trusted", and loaded back for the verifier. */
static void test_many_dcc_signers(void **state)
{
	struct fixture *f = *state;
	enum {
		SIGNERS = 500
	};
	char *pem = NULL, detail[256];
	size_t len = 0, n = 0;
	EVP_PKEY *shared = NULL;
	for (int i = 1; i <= SIGNERS; i++)
		append_signer(&pem, &len, i, &shared);
	EVP_PKEY_free(shared);
	struct trust_list *t = trust_list_new();
	assert_int_equal(trust_list_add_dcc_signers(t, pem, len), SIGNERS);
	assert_int_equal(t->n_keys, SIGNERS);
	struct trust_store_added *added = NULL;
	assert_int_equal(
	    trust_store_import(f->st, pem, len, NULL, NOW, &added, &n, detail, sizeof(detail)), 0);
	assert_int_equal(n, SIGNERS);
	for (size_t i = 0; i < n; i++) {
		assert_false(added[i].already);
		assert_string_equal(added[i].kid, t->keys[i].kid);
		assert_string_equal(added[i].issuer, "DE");
	}
	free(added);
	assert_int_equal(
	    trust_store_import(f->st, pem, len, NULL, NOW, &added, &n, detail, sizeof(detail)), 0);
	assert_int_equal(n, SIGNERS);
	assert_true(added[0].already && added[SIGNERS - 1].already);
	free(added);

	int status = 0;
	struct trust_list *loaded = trust_store_load(f->st, NULL, &status);
	assert_non_null(loaded);
	assert_int_equal(loaded->n_keys, SIGNERS + 2); /* and gd.hc's and demo.hc's */
	for (int i = 0; i < SIGNERS; i++) {
		const struct trust_key *k = trust_list_find_key(loaded, t->keys[i].kid);
		assert_non_null(k);
		assert_int_equal(EVP_PKEY_eq(k->pkey, t->keys[i].pkey), 1);
	}
	/* the verifier follows: its list was reloaded with every signer */
	assert_int_equal(verify_service_reload(f->v), 0);
	/* a list beyond the bound is refused whole, nothing half-added */
	assert_int_equal(trust_list_keys_reserve(t, TRUST_MAX_KEYS), -ENOSPC);
	assert_int_equal(trust_list_keys_reserve(t, -1), -ENOSPC);
	trust_list_free(loaded);
	trust_list_free(t);
	free(pem);
}

/* ---- SMART Health Cards: evidence, and revocation by rid from the store ---- */

#define SHC_ISS "https://issuer.example/shc"

/* The shc:/ text of a card with rid (NULL: none) and nbf, signed by key (kid). */
static char *shc_card(EVP_PKEY *key, const char *kid, const char *rid, int64_t nbf)
{
	char json[1024];
	snprintf(json, sizeof json,
	         "{\"iss\":\"" SHC_ISS "\",\"nbf\":%lld,\"vc\":{\"type\":[\"https://"
	         "smarthealth.cards#health-card\"]%s%s%s,\"credentialSubject\":{\"fhirVersion\":"
	         "\"4.0.1\",\"fhirBundle\":{\"resourceType\":\"Bundle\",\"type\":\"collection\","
	         "\"entry\":[{\"fullUrl\":\"resource:0\",\"resource\":{\"resourceType\":"
	         "\"Patient\",\"name\":[{\"family\":\"Anyperson\",\"given\":[\"John\"]}]}},"
	         "{\"fullUrl\":\"resource:1\",\"resource\":{\"resourceType\":\"Immunization\","
	         "\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"system\":\"http://"
	         "hl7.org/fhir/sid/cvx\",\"code\":\"207\"}]},\"patient\":{\"reference\":"
	         "\"resource:0\"},\"occurrenceDateTime\":\"2021-05-29\"}}]}}}}",
	         (long long)nbf, rid ? ",\"rid\":\"" : "", rid ? rid : "", rid ? "\"" : "");
	size_t len = strlen(json);
	uint8_t def[1024];
	z_stream zs = {0};
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)json;
	zs.avail_in = (uInt)len;
	zs.next_out = def;
	zs.avail_out = sizeof def;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t dn = zs.total_out;
	deflateEnd(&zs);
	char hdr[160], jws[2048];
	snprintf(hdr, sizeof hdr, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
	int o = b64url_encode((const uint8_t *)hdr, strlen(hdr), jws, sizeof jws);
	assert_true(o > 0);
	jws[o++] = '.';
	o += b64url_encode(def, dn, jws + o, sizeof jws - (size_t)o);
	uint8_t sig[JWS_ES256_SIG_LEN];
	assert_int_equal(jws_es256_sign(key, jws, (size_t)o, sig), 0);
	jws[o++] = '.';
	o += b64url_encode(sig, sizeof sig, jws + o, sizeof jws - (size_t)o);
	char *text = malloc(5 + 2 * (size_t)o + 1);
	strcpy(text, "shc:/");
	for (int i = 0; i < o; i++)
		sprintf(text + 5 + 2 * i, "%02d", jws[i] - 45);
	return text;
}

static void check_text(struct fixture *f, const char *text, struct verify_outcome *o)
{
	assert_int_equal(verify_service_check(f->v, text, strlen(text), NOW, o), 0);
}

static void test_shc_evidence_and_rids(void **state)
{
	struct fixture *f = *state;
	EVP_PKEY *key = EVP_EC_gen("P-256");
	uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
	char kid[TRUST_KID_MAX], x64[64], y64[64], jwks[512], detail[256];
	assert_non_null(key);
	assert_int_equal(jws_p256_xy(key, x, y), 0);
	assert_int_equal(jws_p256_thumbprint(x, y, kid), 0);
	b64url_encode(x, sizeof x, x64, sizeof x64);
	b64url_encode(y, sizeof y, y64, sizeof y64);
	snprintf(jwks, sizeof jwks,
	         "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"%s\",\"use\":\"sig\",\"alg\":\"ES256\","
	         "\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}]}",
	         kid, x64, y64);
	struct trust_store_added *added = NULL;
	size_t n = 0;
	assert_int_equal(trust_store_import(f->st, jwks, strlen(jwks), SHC_ISS, NOW, &added, &n,
	                                    detail, sizeof(detail)),
	                 0);
	free(added);
	static const char rid_a[] = "MTIzNDU2Nzg", rid_b[] = "YWJjZGVmZ2g", rid_c[] = "cXdlcnR5dWk";
	char *card_a = shc_card(key, kid, rid_a, NOW - 600);
	char *card_b = shc_card(key, kid, rid_b, NOW - 600);
	char *card_c = shc_card(key, kid, rid_c, NOW - 600);
	struct verify_outcome o;

	/* genuine: evidence only, with what the kiosk shows and records */
	check_text(f, card_a, &o);
	assert_int_equal(o.reason, REASON_EVIDENCE_ONLY);
	assert_int_equal(o.policy, FLOW_POLICY_DEFAULT);
	assert_true(o.international);
	assert_int_equal(o.match, VERIFY_MATCH_NONE);
	const struct flow_evidence *e = &o.person.evidence;
	assert_int_equal(e->kind, FLOW_EVIDENCE_VACCINATION);
	assert_int_equal(e->day, day_from_ymd(2021, 5, 29));
	assert_string_equal(e->format, "SMART");
	assert_string_equal(e->issuer, "issuer.example");
	assert_null(strstr(e->name_masked, "Anyperson"));
	assert_true(e->name_masked[0] != '\0');
	assert_string_equal(o.person.arrival_id, "");

	/* revoked in the store by hand: the same service refuses it now (its list reloads) */
	bool already = true;
	assert_int_equal(
	    trust_store_revoke_rid(f->st, kid, rid_a, NOW, &already, detail, sizeof(detail)), 0);
	assert_false(already);
	check_text(f, card_a, &o);
	assert_int_equal(o.reason, REASON_REVOKED);
	check_text(f, card_b, &o);
	assert_int_equal(o.reason, REASON_EVIDENCE_ONLY);
	assert_int_equal(
	    trust_store_revoke_rid(f->st, kid, rid_a, NOW, &already, detail, sizeof(detail)), 0);
	assert_true(already);

	/* a list: b revoked for cards issued before NOW (ours are), c only before long ago */
	char crl[512];
	size_t fresh = 0, held = 0;
	snprintf(crl, sizeof crl,
	         "{\"kid\":\"%s\",\"method\":\"rid\",\"ctr\":2,\"rids\":[\"%s\",\"%s.%lld\","
	         "\"%s.%lld\"]}",
	         kid, rid_a, rid_b, (long long)NOW, rid_c, (long long)(NOW - 30 * DAY));
	assert_int_equal(trust_store_import_shc_crl(f->st, crl, strlen(crl), NOW, &fresh, &held,
	                                            detail, sizeof(detail)),
	                 0);
	assert_int_equal(fresh, 2);
	assert_int_equal(held, 1);
	check_text(f, card_b, &o);
	assert_int_equal(o.reason, REASON_REVOKED);
	check_text(f, card_c, &o);
	assert_int_equal(o.reason, REASON_EVIDENCE_ONLY);

	/* bad lists change nothing: an unknown kid, a duplicate, a rid that is no base64url,
	 * a DCC or our own key's kid */
	static const char *const bad[] = {
	    "{\"kid\":\"nokey\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"cXdlcnR5dWk\"]}",
	    "{\"kid\":\"@\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"cXdlcnR5dWk\","
	    "\"cXdlcnR5dWk\"]}",
	    "{\"kid\":\"@\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"r1\"]}",
	    "{\"kid\":\"@\",\"method\":\"other\",\"ctr\":1,\"rids\":[\"cXdlcnR5dWk\"]}",
	    "{\"method\":\"rid\",\"ctr\":1,\"rids\":[]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *at = strchr(bad[i], '@');
		if (at)
			snprintf(crl, sizeof crl, "%.*s%s%s", (int)(at - bad[i]), bad[i], kid,
			         at + 1);
		else
			snprintf(crl, sizeof crl, "%s", bad[i]);
		assert_true(trust_store_import_shc_crl(f->st, crl, strlen(crl), NOW, &fresh, &held,
		                                       detail, sizeof(detail)) < 0);
		assert_true(detail[0] != '\0');
	}
	struct issuer_key *keys;
	size_t nkeys;
	assert_int_equal(store_issuer_keys_list(f->st, &keys, &nkeys), 0);
	size_t gd = 0; /* a gd.hc (SZHC1) key: not a SMART key (the list is in kid order) */
	while (gd < nkeys && strcmp(keys[gd].issuer, "gd.hc") != 0)
		gd++;
	assert_true(gd < nkeys);
	snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"%s\"]}",
	         keys[gd].kid, rid_c);
	free(keys);
	assert_int_equal(trust_store_import_shc_crl(f->st, crl, strlen(crl), NOW, &fresh, &held,
	                                            detail, sizeof(detail)),
	                 -ENOENT);
	struct revocation_record *rows;
	assert_int_equal(store_revocations_list(f->st, TRUST_STORE_RID_PREFIX, &rows, &n), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(rows[i].issuer, SHC_ISS);
	free(rows);
	check_text(f, card_c, &o);
	assert_int_equal(o.reason, REASON_EVIDENCE_ONLY);

	/* a station that refuses certificates */
	struct verify_config cfg = f->cfg;
	cfg.intl = VERIFY_INTL_REFUSE;
	struct verify_service *v = verify_service_open(f->st, &cfg);
	assert_non_null(v);
	assert_int_equal(verify_service_check(v, card_c, strlen(card_c), NOW, &o), 0);
	assert_int_equal(o.reason, REASON_INTL_REFUSED);
	assert_int_equal(o.policy, FLOW_POLICY_REFUSE);
	assert_int_equal(o.person.evidence.kind, FLOW_EVIDENCE_NONE);
	assert_string_equal(o.person.name_masked, "");
	verify_service_close(v);
	enum verify_intl_policy p = VERIFY_INTL_EVIDENCE_ONLY;
	assert_true(verify_intl_policy_parse("refuse", &p));
	assert_int_equal(p, VERIFY_INTL_REFUSE);
	assert_false(verify_intl_policy_parse("staff", &p));
	assert_string_equal(verify_intl_policy_name(VERIFY_INTL_EVIDENCE_ONLY), "evidence");
	free(card_a);
	free(card_b);
	free(card_c);
	EVP_PKEY_free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_found_on_manifest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_in_admitted_then_checked_in, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_in_forgotten_on_clear, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_in_refused_by_policy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_already_checked_in, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_colour_policies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_expired_and_skew, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_forged_and_unknown, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_refused_unless_allowed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_revoked_live, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reload_after_keys_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_manifest_day_window, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_calls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keys_into_the_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_dcc_signers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shc_evidence_and_rids, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
