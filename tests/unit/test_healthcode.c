/* tests/unit/test_healthcode.c: the health-code verifier: one test per reason, every
 * single-byte change of a valid code refused, clock skew both ways, JWKS parsing, revocation,
 * demo keys, subject ids against a fixed vector, the manifest match, and the reason texts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "app/core/b64url.h"
#include "app/core/healthcode.h"
#include "app/core/jws.h"

#define NOW         1795000000LL /* 2026-11-18T07:06:40Z */
#define ISSUER      "gd.hc"
#define DEMO_ISSUER "demo.hc"

struct fixture {
	char pem[512];       /* trusted production key */
	char demo_pem[512];  /* trusted demo key */
	char other_pem[512]; /* a key nobody trusts */
	char kid[TRUST_KID_MAX];
	struct trust_list *trust;
	struct healthcode_config cfg;
	struct healthcode_claims claims; /* a valid green code's claims at NOW */
	char code[HEALTHCODE_TEXT_MAX + 1];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char jwk[TRUST_JWK_MAX], demo_jwk[TRUST_JWK_MAX], other_jwk[TRUST_JWK_MAX];
	char jwks[3 * TRUST_JWK_MAX];
	assert_non_null(f);
	assert_int_equal(healthcode_keygen(ISSUER, false, f->pem, sizeof f->pem, jwk, sizeof jwk),
	                 0);
	assert_int_equal(healthcode_keygen(DEMO_ISSUER, true, f->demo_pem, sizeof f->demo_pem,
	                                   demo_jwk, sizeof demo_jwk),
	                 0);
	assert_int_equal(healthcode_keygen(ISSUER, false, f->other_pem, sizeof f->other_pem,
	                                   other_jwk, sizeof other_jwk),
	                 0);
	snprintf(jwks, sizeof jwks, "{\"keys\":[%s,%s]}", jwk, demo_jwk);
	f->trust = trust_list_new();
	assert_non_null(f->trust);
	assert_int_equal(trust_list_add_jwks(f->trust, jwks, strlen(jwks)), 2);
	assert_int_equal(trust_list_add_jwk(f->trust, jwk, strlen(jwk), f->kid), 0); /* no-op */
	assert_int_equal(f->trust->n_keys, 2);
	f->cfg = (struct healthcode_config){.skew_s = 300, .demo_allowed = false};
	struct healthcode_claims *c = &f->claims;
	strcpy(c->issuer, ISSUER);
	strcpy(c->jti, "cred-0001");
	strcpy(c->subject, "3hf7Ti5d4ukh1SF-iqWg8A");
	strcpy(c->name, "张伟");
	c->iat = NOW - 3600;
	c->nbf = NOW - 3600;
	c->exp = NOW + 20 * 3600;
	c->colour = HEALTHCODE_GREEN;
	c->category = CATEGORY_INBOUND;
	strcpy(c->port, "深圳湾口岸");
	c->entry_time = NOW - 7200;
	c->n_tests = 2;
	c->tests[0] = (struct healthcode_test){day_from_ymd(2026, 11, 17), HEALTHCODE_NAT_NEGATIVE};
	c->tests[1] = (struct healthcode_test){day_from_ymd(2026, 11, 15), HEALTHCODE_NAT_NEGATIVE};
	assert_true(healthcode_issue(c, f->pem, strlen(f->pem), NULL, f->code, sizeof f->code) > 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	trust_list_free(f->trust);
	free(f);
	return 0;
}

static enum reason verify_text(struct fixture *f, const char *text, struct healthcode_result *r)
{
	return healthcode_verify(text, strlen(text), f->trust, &f->cfg, NOW, r);
}

/* Issue claims c with key pem and verify at NOW. */
static enum reason issue_verify(struct fixture *f, const struct healthcode_claims *c,
                                const char *pem, struct healthcode_result *r)
{
	char code[HEALTHCODE_TEXT_MAX + 1];
	assert_true(healthcode_issue(c, pem, strlen(pem), NULL, code, sizeof code) > 0);
	return verify_text(f, code, r);
}

/* "SZHC1:" + a JWS of arbitrary header and payload JSON signed by pem. */
static void sign_raw(const char *pem, const char *header, const char *payload, char *out,
                     size_t size)
{
	EVP_PKEY *k = jws_p256_private_from_pem(pem, strlen(pem));
	assert_non_null(k);
	strcpy(out, "SZHC1:");
	assert_true(jws_es256_compact_sign(k, header, payload, out + 6, size - 6) > 0);
	EVP_PKEY_free(k);
}

static void test_valid_code(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	assert_int_equal(verify_text(f, f->code, &r), REASON_OK);
	assert_true(r.has_claims);
	assert_string_equal(r.format, "SZHC1");
	assert_string_equal(r.kid, f->kid);
	const struct healthcode_claims *c = &r.claims;
	assert_string_equal(c->issuer, ISSUER);
	assert_string_equal(c->jti, "cred-0001");
	assert_string_equal(c->subject, f->claims.subject);
	assert_string_equal(c->name, "张伟");
	assert_string_equal(c->port, "深圳湾口岸");
	assert_int_equal(c->iat, f->claims.iat);
	assert_int_equal(c->nbf, f->claims.nbf);
	assert_int_equal(c->exp, f->claims.exp);
	assert_int_equal(c->entry_time, f->claims.entry_time);
	assert_int_equal(c->colour, HEALTHCODE_GREEN);
	assert_int_equal(c->category, CATEGORY_INBOUND);
	assert_int_equal(c->n_tests, 2);
	assert_int_equal(c->tests[0].day, day_from_ymd(2026, 11, 17));
	assert_int_equal(c->tests[1].result, HEALTHCODE_NAT_NEGATIVE);
	/* a scanner's trailing newline is fine */
	char text[HEALTHCODE_TEXT_MAX + 4];
	snprintf(text, sizeof text, "%s\r\n", f->code);
	assert_int_equal(verify_text(f, text, &r), REASON_OK);
	/* every category round-trips; nbf defaults to iat when absent is covered by parse */
	for (int cat = 0; cat < CATEGORY_COUNT; cat++) {
		struct healthcode_claims c2 = f->claims;
		c2.category = (enum category)cat;
		c2.jti[0] = '\0'; /* the issuer picks one */
		c2.n_tests = 0;
		c2.port[0] = '\0';
		c2.entry_time = 0;
		assert_int_equal(issue_verify(f, &c2, f->pem, &r), REASON_OK);
		assert_int_equal(r.claims.category, cat);
		assert_int_equal(strlen(r.claims.jti), 12);
		assert_int_equal(r.claims.n_tests, 0);
		assert_string_equal(r.claims.port, "");
	}
}

static void test_not_health_code(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	const char *texts[] = {"",         "hello",        "https://example.com/?q=1",
	                       "SZHC:abc", "szhc1:abc",    "SZHC",
	                       "SZHCx:",   " SZHC1:a.b.c", "SZHC12345:a.b.c"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_int_equal(verify_text(f, texts[i], &r), REASON_NOT_HEALTH_CODE);
		assert_false(r.has_claims);
		assert_null(r.format);
	}
	/* "HC1:" is the EU DCC's row of the table now (docs/international.md) */
	assert_int_equal(verify_text(f, "HC1:6BFOXN*TS0BI$ZD", &r), REASON_MALFORMED);
	assert_string_equal(r.format, "EU-DCC");
}

static void test_unsupported_version(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	char text[HEALTHCODE_TEXT_MAX + 8];
	snprintf(text, sizeof text, "SZHC2:%s", f->code + 6);
	assert_int_equal(verify_text(f, text, &r), REASON_UNSUPPORTED_VERSION);
	assert_int_equal(verify_text(f, "SZHC10:x", &r), REASON_UNSUPPORTED_VERSION);
	assert_int_equal(verify_text(f, "SZHC0:x", &r), REASON_UNSUPPORTED_VERSION);
	assert_false(r.has_claims);
}

static void test_malformed(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	char text[2 * HEALTHCODE_TEXT_MAX];
	char hdr[128];
	snprintf(hdr, sizeof hdr, "{\"alg\":\"ES256\",\"kid\":\"%s\"}", f->kid);
	const char *texts[] = {"SZHC1:",   "SZHC1:abc",      "SZHC1:a.b",         "SZHC1:a.b.c.d",
	                       "SZHC1:..", "SZHC1:e30.e30.", "SZHC1:!!!.e30.AAAA"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_int_equal(verify_text(f, texts[i], &r), REASON_MALFORMED);
		assert_string_equal(r.format, "SZHC1");
		assert_true(r.detail[0] != '\0');
	}
	/* headers we refuse, each correctly signed */
	char bad_hdr[4][128];
	snprintf(bad_hdr[0], 128, "{\"alg\":\"none\",\"kid\":\"%s\"}", f->kid);
	snprintf(bad_hdr[1], 128, "{\"alg\":\"HS256\",\"kid\":\"%s\"}", f->kid);
	snprintf(bad_hdr[2], 128, "{\"alg\":\"ES256\",\"kid\":\"%s\",\"crit\":[\"x\"]}", f->kid);
	snprintf(bad_hdr[3], 128, "{\"alg\":\"ES256\"}");
	for (int i = 0; i < 4; i++) {
		sign_raw(f->pem, bad_hdr[i], "{}", text, sizeof text);
		assert_int_equal(verify_text(f, text, &r), REASON_MALFORMED);
	}
	/* payloads we refuse, correctly signed by a trusted key */
	const char *payloads[] = {
	    "not json",
	    "[1,2]",
	    "{\"iss\":\"gd.hc\"}",
	    "{\"iss\":\"gd.hc\",\"iat\":1,\"exp\":2,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"n\","
	    "\"col\":\"purple\",\"cat\":\"inbound\"}",
	    "{\"iss\":\"gd.hc\",\"iat\":1,\"exp\":2,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"n\","
	    "\"col\":\"green\",\"cat\":\"tourist\"}",
	    "{\"iss\":\"gd.hc\",\"iat\":5,\"exp\":5,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"n\","
	    "\"col\":\"green\",\"cat\":\"inbound\"}",
	    "{\"iss\":\"gd.hc\",\"iat\":\"1\",\"exp\":2,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"n\","
	    "\"col\":\"green\",\"cat\":\"inbound\"}",
	    "{\"iss\":\"gd.hc\",\"iat\":1,\"exp\":2,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"n\","
	    "\"col\":\"green\",\"cat\":\"inbound\",\"nat\":[[\"2026-02-30\",\"neg\"]]}",
	    "{\"iss\":\"gd.hc\",\"iat\":1,\"exp\":2,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"n\","
	    "\"col\":\"green\",\"cat\":\"inbound\",\"nat\":[[\"2026-02-03\",\"maybe\"]]}",
	    "{\"iss\":\"gd.hc\",\"iat\":1,\"exp\":2,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"n\","
	    "\"col\":\"green\",\"cat\":\"inbound\",\"nat\":[[\"2026-02-03\",\"neg\"],"
	    "[\"2026-02-03\",\"neg\"],[\"2026-02-03\",\"neg\"],[\"2026-02-03\",\"neg\"],"
	    "[\"2026-02-03\",\"neg\"]]}",
	    "{\"iss\":\"gd.hc\",\"iss\":\"gd.hc\",\"iat\":1,\"exp\":2,\"jti\":\"j\",\"sub\":\"s\","
	    "\"name\":\"n\",\"col\":\"green\",\"cat\":\"inbound\"}",
	    "{\"iss\":\"gd.hc\",\"iat\":1,\"exp\":2,\"jti\":\"j\",\"sub\":\"s\",\"name\":\"\","
	    "\"col\":\"green\",\"cat\":\"inbound\"}",
	};
	for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
		sign_raw(f->pem, hdr, payloads[i], text, sizeof text);
		assert_int_equal(verify_text(f, text, &r), REASON_MALFORMED);
		assert_false(r.has_claims);
	}
	/* a minimal payload with the same header is fine, so the cases above fail for their
	 * own reason */
	sign_raw(f->pem, hdr,
	         "{\"iss\":\"gd.hc\",\"iat\":1795000000,\"exp\":1795100000,\"jti\":\"j\",\"sub\":"
	         "\"s\",\"name\":\"n\",\"col\":\"green\",\"cat\":\"inbound\",\"future\":1}",
	         text, sizeof text);
	assert_int_equal(verify_text(f, text, &r), REASON_OK);
	assert_int_equal(r.claims.nbf, 1795000000);
	/* a signature of the wrong length */
	snprintf(text, sizeof text, "%sAA", f->code);
	assert_int_equal(verify_text(f, text, &r), REASON_MALFORMED);
	/* longer than any code */
	memset(text, 'A', sizeof text - 1);
	memcpy(text, "SZHC1:", 6);
	text[sizeof text - 1] = '\0';
	assert_int_equal(verify_text(f, text, &r), REASON_MALFORMED);
	/* claims too long to issue */
	struct healthcode_claims c = f->claims;
	char out[HEALTHCODE_TEXT_MAX + 1];
	c.exp = c.nbf;
	assert_int_equal(healthcode_issue(&c, f->pem, strlen(f->pem), NULL, out, sizeof out),
	                 -EINVAL);
	assert_int_equal(healthcode_issue(&f->claims, f->pem, strlen(f->pem), NULL, out, 100),
	                 -ENOSPC);
	assert_int_equal(healthcode_issue(&f->claims, "junk", 4, NULL, out, sizeof out), -EINVAL);
}

static void test_unknown_issuer(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	/* a key nobody trusts */
	assert_int_equal(issue_verify(f, &f->claims, f->other_pem, &r), REASON_UNKNOWN_ISSUER);
	assert_false(r.has_claims);
	/* a trusted key signing for another issuer */
	struct healthcode_claims c = f->claims;
	strcpy(c.issuer, DEMO_ISSUER);
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_UNKNOWN_ISSUER);
	assert_false(r.has_claims);
	assert_string_equal(r.claims.name, "");
}

static void test_bad_signature(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	char code[HEALTHCODE_TEXT_MAX + 1];
	/* another key claiming the trusted key's kid */
	assert_true(healthcode_issue(&f->claims, f->other_pem, strlen(f->other_pem), f->kid, code,
	                             sizeof code) > 0);
	assert_int_equal(verify_text(f, code, &r), REASON_BAD_SIGNATURE);
	assert_false(r.has_claims);
	/* a valid payload of another code spliced under this signature */
	struct healthcode_claims c = f->claims;
	c.colour = HEALTHCODE_RED;
	char other[HEALTHCODE_TEXT_MAX + 1];
	assert_true(healthcode_issue(&c, f->pem, strlen(f->pem), NULL, other, sizeof other) > 0);
	const char *sig = strrchr(f->code, '.');
	char *other_sig = strrchr(other, '.');
	strcpy(other_sig, sig);
	assert_int_equal(verify_text(f, other, &r), REASON_BAD_SIGNATURE);
}

static void test_time_window_and_skew(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	char code[HEALTHCODE_TEXT_MAX + 1];
	struct healthcode_claims c = f->claims;
	c.iat = c.nbf = NOW - 1000;
	c.exp = NOW + 1000;
	assert_true(healthcode_issue(&c, f->pem, strlen(f->pem), NULL, code, sizeof code) > 0);
	size_t len = strlen(code);
	struct healthcode_config cfg = f->cfg;
	cfg.skew_s = 300;
	/* late clock: expiry tolerated for skew seconds, then refused */
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp - 1, &r), REASON_OK);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp + 299, &r), REASON_OK);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp + 300, &r),
	                 REASON_EXPIRED);
	assert_true(r.has_claims);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp + 86400, &r),
	                 REASON_EXPIRED);
	/* early clock: not-before tolerated for skew seconds */
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.nbf - 300, &r), REASON_OK);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.nbf - 301, &r),
	                 REASON_NOT_YET_VALID);
	assert_true(r.has_claims);
	/* no skew: exact edges; a negative skew counts as none */
	cfg.skew_s = 0;
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp, &r), REASON_EXPIRED);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.nbf, &r), REASON_OK);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.nbf - 1, &r),
	                 REASON_NOT_YET_VALID);
	cfg.skew_s = -1000;
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp, &r), REASON_EXPIRED);
	/* a huge skew is clamped to a day, and extreme clocks do not overflow */
	cfg.skew_s = INT64_MAX;
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp + 86399, &r),
	                 REASON_OK);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, c.exp + 86400, &r),
	                 REASON_EXPIRED);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, INT64_MAX, &r),
	                 REASON_EXPIRED);
	assert_int_equal(healthcode_verify(code, len, f->trust, &cfg, INT64_MIN, &r),
	                 REASON_NOT_YET_VALID);
	/* issued in the future (nbf earlier) is not yet valid either */
	c = f->claims;
	c.nbf = NOW - 100;
	c.iat = NOW + 1000;
	c.exp = NOW + 5000;
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_NOT_YET_VALID);
}

static void test_revoked(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	assert_int_equal(trust_list_revoke_id(f->trust, "cred-0001"), 0);
	assert_int_equal(verify_text(f, f->code, &r), REASON_REVOKED);
	assert_true(r.has_claims);
	struct healthcode_claims c = f->claims;
	strcpy(c.jti, "cred-0002");
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_OK);
	/* every code of a subject */
	assert_int_equal(trust_list_revoke_id(f->trust, c.subject), 0);
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_REVOKED);
	/* the key itself */
	strcpy(c.subject, "another-subject");
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_OK);
	assert_int_equal(trust_list_revoke_key(f->trust, f->kid), 0);
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_REVOKED);
	assert_int_equal(trust_list_revoke_key(f->trust, "no-such-kid"), -ENOENT);
	assert_int_equal(trust_list_revoke_id(f->trust, ""), -EINVAL);
	/* many ids, in scrambled order: each is found, others are not */
	char id[32];
	for (unsigned i = 0; i < 2000; i++) {
		snprintf(id, sizeof id, "id-%u", (i * 7919u) % 2000u);
		assert_int_equal(trust_list_revoke_id(f->trust, id), 0);
	}
	assert_int_equal(trust_list_revoke_id(f->trust, "id-5"), 0); /* again: no duplicate */
	assert_int_equal(f->trust->n_revoked, 2002);
	for (unsigned i = 0; i < 2000; i++) {
		snprintf(id, sizeof id, "id-%u", i);
		assert_true(trust_list_is_revoked(f->trust, id));
		snprintf(id, sizeof id, "id-%ux", i);
		assert_false(trust_list_is_revoked(f->trust, id));
	}
	for (size_t i = 1; i < f->trust->n_revoked; i++)
		assert_true(strcmp(f->trust->revoked[i - 1], f->trust->revoked[i]) < 0);
}

static void test_demo_key(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	struct healthcode_claims c = f->claims;
	strcpy(c.issuer, DEMO_ISSUER);
	assert_int_equal(issue_verify(f, &c, f->demo_pem, &r), REASON_DEMO_KEY);
	assert_true(r.has_claims);
	f->cfg.demo_allowed = true;
	assert_int_equal(issue_verify(f, &c, f->demo_pem, &r), REASON_OK);
	/* demo mode does not weaken anything else */
	assert_int_equal(issue_verify(f, &f->claims, f->other_pem, &r), REASON_UNKNOWN_ISSUER);
	c.exp = NOW - 1000;
	c.iat = c.nbf = NOW - 5000;
	assert_int_equal(issue_verify(f, &c, f->demo_pem, &r), REASON_EXPIRED);
}

static void test_red_and_yellow(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	struct healthcode_claims c = f->claims;
	c.colour = HEALTHCODE_RED;
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_RED_CODE);
	assert_true(r.has_claims);
	assert_int_equal(r.claims.colour, HEALTHCODE_RED);
	c.colour = HEALTHCODE_YELLOW;
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_YELLOW_CODE);
	assert_true(r.has_claims);
	/* expiry outranks colour: an expired red code says expired */
	c.colour = HEALTHCODE_RED;
	c.exp = NOW - 1000;
	c.iat = c.nbf = NOW - 5000;
	assert_int_equal(issue_verify(f, &c, f->pem, &r), REASON_EXPIRED);
}

/* The heart of it: no single changed byte anywhere in a valid code yields a valid code. */
static void test_every_byte_flip_refused(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	char text[HEALTHCODE_TEXT_MAX + 1];
	size_t len = strlen(f->code);
	const unsigned char deltas[] = {0x01, 0x02, 0x04, 0x20, 0x80};
	const char sets[] = {'A', 'a', '0', '_', '-', '.', '='};
	int tried = 0;
	for (size_t pos = 0; pos < len; pos++) {
		for (size_t k = 0; k < sizeof deltas + sizeof sets; k++) {
			memcpy(text, f->code, len + 1);
			if (k < sizeof deltas)
				text[pos] = (char)((unsigned char)text[pos] ^ deltas[k]);
			else
				text[pos] = sets[k - sizeof deltas];
			if (text[pos] == f->code[pos])
				continue;
			enum reason got = healthcode_verify(text, len, f->trust, &f->cfg, NOW, &r);
			if (got == REASON_OK || got == REASON_YELLOW_CODE ||
			    got == REASON_RED_CODE) {
				print_error("byte %zu changed to 0x%02x still verifies\n", pos,
				            (unsigned char)text[pos]);
				fail();
			}
			assert_false(r.has_claims);
			tried++;
		}
	}
	assert_true(tried > (int)len * 10);
	/* and the untouched code still passes, so the loop tested something */
	assert_int_equal(verify_text(f, f->code, &r), REASON_OK);
}

static void test_jwks_parsing(void **state)
{
	(void)state;
	struct trust_list *t = trust_list_new();
	char kid[TRUST_KID_MAX];
	/* RFC 7517 appendix A.1 EC key; its RFC 7638 thumbprint computed independently */
	const char *a1 = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":"
	                 "\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\",\"y\":"
	                 "\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\",\"iss\":\"x.hc\"}";
	assert_int_equal(trust_list_add_jwk(t, a1, strlen(a1), kid), 0);
	assert_string_equal(kid, "cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s");
	const struct trust_key *k = trust_list_find_key(t, kid);
	assert_non_null(k);
	assert_string_equal(k->issuer, "x.hc");
	assert_false(k->demo);
	char jwk[TRUST_JWK_MAX];
	assert_true(trust_key_to_jwk(k, jwk, sizeof jwk) > 0);
	assert_non_null(strstr(jwk, "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\""));
	assert_null(strstr(jwk, "demo"));
	assert_int_equal(trust_key_to_jwk(k, jwk, 20), -ENOSPC);

	const char *good_set =
	    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k2\",\"use\":\"sig\","
	    "\"alg\":\"ES256\",\"demo\":true,\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\","
	    "\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\",\"iss\":\"y.hc\"},"
	    "{\"kty\":\"oct\",\"use\":\"hcsub\",\"iss\":\"y.hc\",\"k\":"
	    "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}]}";
	assert_int_equal(trust_list_add_jwks(t, good_set, strlen(good_set)), 2);
	assert_true(trust_list_find_key(t, "k2")->demo);
	const struct trust_subject_key *sk = trust_list_find_subject_key(t, "y.hc");
	assert_non_null(sk);
	assert_int_equal(sk->len, 32);
	assert_int_equal(sk->key[31], 31);
	assert_null(trust_list_find_subject_key(t, "x.hc"));

	const char *x = "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\"";
	const char *y = "\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\"";
	const char *y_off = "\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyN\"";
	char bad[16][600];
	int n = 0;
	snprintf(bad[n++], 600, "not json");
	snprintf(bad[n++], 600, "{}");
	snprintf(bad[n++], 600, "{\"keys\":{}}");
	snprintf(bad[n++], 600, "{\"keys\":[1]}");
	snprintf(bad[n++], 600, "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}");
	snprintf(bad[n++], 600,
	         "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",%s,%s,\"iss\":\"z\"}]}", x, y);
	snprintf(bad[n++], 600, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s}]}", x, y);
	snprintf(bad[n++], 600,
	         "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s,\"iss\":\"z\"}]}", x, y_off);
	snprintf(bad[n++], 600,
	         "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"MKBC\",%s,\"iss\":\"z\"}]}",
	         y);
	snprintf(
	    bad[n++], 600,
	    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s,\"iss\":\"z\",\"d\":\"AAAA\"}]}", x,
	    y);
	snprintf(
	    bad[n++], 600,
	    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s,\"iss\":\"z\",\"alg\":\"ES384\"}]}",
	    x, y);
	snprintf(
	    bad[n++], 600,
	    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s,\"iss\":\"z\",\"use\":\"enc\"}]}",
	    x, y);
	snprintf(
	    bad[n++], 600,
	    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s,\"iss\":\"z\",\"demo\":\"yes\"}]}",
	    x, y);
	snprintf(bad[n++], 600,
	         "{\"keys\":[{\"kty\":\"oct\",\"use\":\"hcsub\",\"iss\":\"z\",\"k\":\"AAAA\"}]}");
	snprintf(bad[n++], 600,
	         "{\"keys\":[{\"kty\":\"oct\",\"use\":\"sig\",\"iss\":\"z\",\"k\":"
	         "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}]}");
	/* one good key then one bad: all or nothing */
	snprintf(
	    bad[n++], 600,
	    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s,\"iss\":\"z\",\"kid\":\"new\"},"
	    "{\"kty\":\"EC\"}]}",
	    x, y);
	int keys = t->n_keys, subject_keys = t->n_subject_keys;
	for (int i = 0; i < n; i++) {
		assert_int_equal(trust_list_add_jwks(t, bad[i], strlen(bad[i])), -EINVAL);
		assert_int_equal(t->n_keys, keys);
		assert_int_equal(t->n_subject_keys, subject_keys);
	}
	assert_null(trust_list_find_key(t, "new"));
	/* a kid already taken by another key */
	char clash[600];
	snprintf(clash, sizeof clash,
	         "{\"kty\":\"EC\",\"crv\":\"P-256\",%s,%s,\"iss\":\"other.hc\",\"kid\":\"k2\"}", x,
	         y);
	assert_int_equal(trust_list_add_jwk(t, clash, strlen(clash), NULL), -EEXIST);
	trust_list_free(t);
}

/* RFC 7515 appendix A.3: the standard's own ES256 example verifies with our code, and its
 * private scalar gives its public key; so our JWS is JWS, not a look-alike. */
static void test_rfc7515_es256_vector(void **state)
{
	(void)state;
	const char *x_b64 = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
	const char *y_b64 = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
	const char *d_b64 = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
	const char *input = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsD"
	                    "QogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
	const char *sig_b64 = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQ"
	                      "xfKTUJqPP3-Kg6NU1Q";
	uint8_t x[32], y[32], d[32], sig[64], x2[32], y2[32];
	assert_int_equal(b64url_decode(x_b64, strlen(x_b64), x, 32), 32);
	assert_int_equal(b64url_decode(y_b64, strlen(y_b64), y, 32), 32);
	assert_int_equal(b64url_decode(d_b64, strlen(d_b64), d, 32), 32);
	assert_int_equal(b64url_decode(sig_b64, strlen(sig_b64), sig, 64), 64);
	EVP_PKEY *pub = jws_p256_public_from_xy(x, y);
	assert_non_null(pub);
	assert_true(jws_es256_verify(pub, input, strlen(input), sig));
	assert_false(jws_es256_verify(pub, input, strlen(input) - 1, sig));
	sig[10] ^= 1;
	assert_false(jws_es256_verify(pub, input, strlen(input), sig));
	EVP_PKEY *priv = jws_p256_private_from_raw(d);
	assert_non_null(priv);
	assert_int_equal(jws_p256_xy(priv, x2, y2), 0);
	assert_memory_equal(x2, x, 32);
	assert_memory_equal(y2, y, 32);
	/* the RFC key issues a code that verifies under the RFC public key */
	struct trust_list *t = trust_list_new();
	assert_int_equal(trust_list_add_key(t, "joe", NULL, pub, false), 0);
	struct healthcode_claims c = {.issuer = "joe",
	                              .jti = "j",
	                              .subject = "s",
	                              .name = "n",
	                              .iat = NOW,
	                              .nbf = NOW,
	                              .exp = NOW + 60};
	char code[HEALTHCODE_TEXT_MAX + 1];
	struct healthcode_result r;
	struct healthcode_config cfg = {0};
	assert_true(healthcode_issue_key(&c, priv, NULL, code, sizeof code) > 0);
	assert_int_equal(healthcode_verify(code, strlen(code), t, &cfg, NOW, &r), REASON_OK);
	memset(d, 0, sizeof d);
	assert_null(jws_p256_private_from_raw(d));
	memset(d, 0xff, sizeof d);
	assert_null(jws_p256_private_from_raw(d));
	trust_list_free(t);
	EVP_PKEY_free(priv);
	EVP_PKEY_free(pub);
}

static void test_subject_id(void **state)
{
	(void)state;
	struct trust_subject_key key = {.len = 32};
	for (int i = 0; i < 32; i++)
		key.key[i] = (uint8_t)i;
	char sub[HEALTHCODE_SUBJECT_LEN + 1], again[HEALTHCODE_SUBJECT_LEN + 1];
	/* HMAC-SHA256(00..1f, "P:E12345678") = de17fb4e2e5de2e9 21d5217e8aa5a0f0 ...
	 * (openssl dgst -sha256 -mac HMAC), first 16 bytes base64url: */
	assert_int_equal(healthcode_subject_id(&key, "P", "E12345678", sub), 0);
	assert_string_equal(sub, "3hf7Ti5d4ukh1SF-iqWg8A");
	assert_int_equal(healthcode_subject_id(&key, "p", " e1234-5678 ", again), 0);
	assert_string_equal(again, sub);
	assert_int_equal(healthcode_subject_id(&key, "ID", "E12345678", again), 0);
	assert_string_not_equal(again, sub);
	assert_int_equal(healthcode_subject_id(&key, "P", "E12345679", again), 0);
	assert_string_not_equal(again, sub);
	key.key[0] ^= 1;
	assert_int_equal(healthcode_subject_id(&key, "P", "E12345678", again), 0);
	assert_string_not_equal(again, sub);
	assert_int_equal(healthcode_subject_id(&key, "", "E1", again), -EINVAL);
	assert_int_equal(healthcode_subject_id(&key, "P", "", again), -EINVAL);
	assert_int_equal(healthcode_subject_id(&key, "P", "E1/2", again), -EINVAL);
	assert_int_equal(healthcode_subject_id(&key, "P", "张三", again), -EINVAL);
	assert_int_equal(healthcode_subject_id(&key, "PASSPORTX", "E1", again), -EINVAL);
	assert_int_equal(
	    healthcode_subject_id(&key, "P", "123456789012345678901234567890123", again), -EINVAL);
	key.len = 8;
	assert_int_equal(healthcode_subject_id(&key, "P", "E1", again), -EINVAL);
	/* a fresh subject key JWK loads and hashes */
	char jwk[TRUST_JWK_MAX];
	struct trust_list *t = trust_list_new();
	assert_int_equal(healthcode_subject_keygen("gd.hc", jwk, sizeof jwk), 0);
	assert_int_equal(trust_list_add_jwk(t, jwk, strlen(jwk), NULL), 0);
	assert_int_equal(
	    healthcode_subject_id(trust_list_find_subject_key(t, "gd.hc"), "P", "E1", again), 0);
	assert_int_equal(strlen(again), HEALTHCODE_SUBJECT_LEN);
	trust_list_free(t);
}

static void test_base64url_strict(void **state)
{
	(void)state;
	uint8_t buf[64], data[40];
	char enc[64];
	for (size_t n = 0; n < sizeof data; n++) {
		for (size_t i = 0; i < n; i++)
			data[i] = (uint8_t)(i * 37 + n);
		int e = b64url_encode(data, n, enc, sizeof enc);
		assert_int_equal(e, B64URL_ENCODED_LEN(n));
		assert_int_equal(b64url_decode(enc, (size_t)e, buf, sizeof buf), (int)n);
		assert_memory_equal(buf, data, n);
	}
	assert_int_equal(b64url_decode("QQ", 2, buf, sizeof buf), 1);
	assert_int_equal(b64url_decode("QR", 2, buf, sizeof buf), -EINVAL); /* unused bits set */
	assert_int_equal(b64url_decode("QQ==", 4, buf, sizeof buf), -EINVAL);
	assert_int_equal(b64url_decode("Q", 1, buf, sizeof buf), -EINVAL);
	assert_int_equal(b64url_decode("+/8A", 4, buf, sizeof buf), -EINVAL);
	assert_int_equal(b64url_decode("-_8A", 4, buf, sizeof buf), 3);
	assert_int_equal(b64url_decode("AAAA", 4, buf, 2), -ENOSPC);
	assert_int_equal(b64url_encode(data, 3, enc, 4), -ENOSPC);
}

static void test_manifest_match(void **state)
{
	(void)state;
	struct healthcode_result ok = {.reason = REASON_OK, .has_claims = true};
	struct healthcode_result yellow = {.reason = REASON_YELLOW_CODE, .has_claims = true};
	struct healthcode_result red = {.reason = REASON_RED_CODE, .has_claims = true};
	struct healthcode_result expired = {.reason = REASON_EXPIRED, .has_claims = true};
	struct healthcode_lookup found = {HEALTHCODE_LOOKUP_FOUND, "张*"};
	struct healthcode_lookup missing = {HEALTHCODE_LOOKUP_NOT_FOUND, NULL};
	struct healthcode_lookup dup = {HEALTHCODE_LOOKUP_CHECKED_IN, "张*"};
	struct healthcode_policy strict = {HEALTHCODE_WALKIN_REFUSE, HEALTHCODE_YELLOW_REFUSE};
	struct healthcode_policy lenient = {HEALTHCODE_WALKIN_STAFF_APPROVAL,
	                                    HEALTHCODE_YELLOW_DESIGNATED_FLOOR};
	struct healthcode_policy medic = {HEALTHCODE_WALKIN_STAFF_APPROVAL,
	                                  HEALTHCODE_YELLOW_CALL_MEDIC};
	const struct {
		const struct healthcode_result *r;
		const struct healthcode_lookup *l;
		const struct healthcode_policy *p;
		enum healthcode_next next;
		enum reason reason;
		bool floor, medic;
		const char *name;
	} cases[] = {
	    {&ok, &found, &strict, HEALTHCODE_NEXT_CONFIRM, REASON_OK, false, false, "张*"},
	    {&ok, &missing, &strict, HEALTHCODE_NEXT_REFUSE, REASON_NOT_ON_MANIFEST, false, false,
	     ""},
	    {&ok, &missing, &lenient, HEALTHCODE_NEXT_STAFF_APPROVAL, REASON_NOT_ON_MANIFEST, false,
	     false, ""},
	    {&ok, &dup, &lenient, HEALTHCODE_NEXT_OFFER_REPRINT, REASON_ALREADY_CHECKED_IN, false,
	     false, "张*"},
	    {&yellow, &found, &strict, HEALTHCODE_NEXT_REFUSE, REASON_YELLOW_CODE, false, false,
	     "张*"},
	    {&yellow, &found, &lenient, HEALTHCODE_NEXT_CONFIRM, REASON_YELLOW_CODE, true, false,
	     "张*"},
	    {&yellow, &found, &medic, HEALTHCODE_NEXT_STAFF_APPROVAL, REASON_YELLOW_CODE, false,
	     true, "张*"},
	    {&yellow, &dup, &lenient, HEALTHCODE_NEXT_OFFER_REPRINT, REASON_ALREADY_CHECKED_IN,
	     false, false, "张*"},
	    {&yellow, &missing, &strict, HEALTHCODE_NEXT_REFUSE, REASON_NOT_ON_MANIFEST, false,
	     false, ""},
	    {&yellow, &missing, &lenient, HEALTHCODE_NEXT_STAFF_APPROVAL, REASON_NOT_ON_MANIFEST,
	     true, false, ""},
	    {&red, &found, &lenient, HEALTHCODE_NEXT_REFUSE, REASON_RED_CODE, false, true, ""},
	    {&expired, &found, &lenient, HEALTHCODE_NEXT_REFUSE, REASON_EXPIRED, false, false, ""},
	    {&expired, &dup, &lenient, HEALTHCODE_NEXT_REFUSE, REASON_EXPIRED, false, false, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct healthcode_verdict v;
		memset(&v, 0x5a, sizeof v);
		healthcode_match(cases[i].r, cases[i].l, cases[i].p, &v);
		assert_int_equal(v.next, cases[i].next);
		assert_int_equal(v.reason, cases[i].reason);
		assert_int_equal(v.designated_floor, cases[i].floor);
		assert_int_equal(v.call_medic, cases[i].medic);
		assert_string_equal(v.masked_name, cases[i].name);
	}
}

static void test_log_and_json_keep_personal_data_out(void **state)
{
	struct fixture *f = *state;
	struct healthcode_result r;
	char line[512], json[2048];
	assert_int_equal(verify_text(f, f->code, &r), REASON_OK);
	healthcode_log_line(&r, NOW, line, sizeof line);
	assert_non_null(strstr(line, "healthcode OK format=SZHC1"));
	assert_non_null(strstr(line, "jti=cred-0001"));
	assert_null(strstr(line, "张伟"));
	assert_null(strstr(line, r.claims.subject));
	assert_true(healthcode_result_to_json(&r, json, sizeof json) > 0);
	json_t *o = json_loads(json, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "verdict")), "valid");
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "OK");
	assert_string_equal(json_string_value(json_object_get(o, "colour")), "green");
	assert_string_equal(json_string_value(json_object_get(o, "category")), "inbound");
	assert_int_equal(json_array_size(json_object_get(o, "nat")), 2);
	json_decref(o);
	assert_null(strstr(json, "张伟"));
	assert_null(strstr(json, r.claims.subject));
	assert_int_equal(healthcode_result_to_json(&r, json, 16), -ENOSPC);
	/* a refusal: reason and detail, no claims */
	assert_int_equal(verify_text(f, "SZHC1:a.b", &r), REASON_MALFORMED);
	assert_true(healthcode_result_to_json(&r, json, sizeof json) > 0);
	assert_non_null(strstr(json, "\"verdict\":\"refused\",\"reason\":\"E_MALFORMED\""));
	assert_null(strstr(json, "\"iss\""));
	healthcode_log_line(&r, NOW, line, 24); /* truncates safely */
	assert_int_equal(strlen(line), 23);
}

/* Every reason code has all four person-facing texts in the asset file, and the Chinese
 * ones are Chinese. Runs from the source tree (tests/run.sh changes there). */
static void test_reason_texts_asset(void **state)
{
	(void)state;
	json_error_t err;
	json_t *root = json_load_file("assets/strings/reasons.json", JSON_REJECT_DUPLICATES, &err);
	if (!root)
		print_error("assets/strings/reasons.json: %s (line %d)\n", err.text, err.line);
	assert_non_null(root);
	const char *fields[] = {"zh", "en", "action_zh", "action_en", "staff_zh", "staff_en"};
	for (int i = 0; i < REASON_COUNT; i++) {
		const char *code = reason_code((enum reason)i);
		json_t *entry = json_object_get(root, code);
		if (!json_is_object(entry))
			print_error("reasons.json lacks %s\n", code);
		assert_true(json_is_object(entry));
		for (int k = 0; k < 6; k++) {
			const char *s = json_string_value(json_object_get(entry, fields[k]));
			if (!s || strlen(s) < 4)
				print_error("reasons.json %s.%s missing or too short\n", code,
				            fields[k]);
			assert_non_null(s);
			assert_true(strlen(s) >= 4);
			bool has_non_ascii = false;
			for (const char *p = s; *p; p++)
				has_non_ascii |= (unsigned char)*p >= 0x80;
			assert_int_equal(has_non_ascii, k % 2 == 0); /* zh is Chinese, en is not */
		}
	}
	/* the staff's texts tell the reasons apart: no two alike in either language */
	for (int i = 0; i < REASON_COUNT; i++) {
		json_t *a = json_object_get(root, reason_code((enum reason)i));
		for (int j = i + 1; j < REASON_COUNT; j++) {
			json_t *b = json_object_get(root, reason_code((enum reason)j));
			for (int k = 4; k < 6; k++)
				assert_string_not_equal(
				    json_string_value(json_object_get(a, fields[k])),
				    json_string_value(json_object_get(b, fields[k])));
		}
	}
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_valid_code, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_health_code, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unsupported_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_issuer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_signature, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_time_window_and_skew, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_revoked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_red_and_yellow, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_byte_flip_refused, setup, teardown),
	    cmocka_unit_test(test_jwks_parsing),
	    cmocka_unit_test(test_rfc7515_es256_vector),
	    cmocka_unit_test(test_subject_id),
	    cmocka_unit_test(test_base64url_strict),
	    cmocka_unit_test(test_manifest_match),
	    cmocka_unit_test_setup_teardown(test_log_and_json_keep_personal_data_out, setup,
	                                    teardown),
	    cmocka_unit_test(test_reason_texts_asset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
