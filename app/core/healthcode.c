/* app/core/healthcode.c: the table of health-code formats, the checks every format shares
 * (revocation, demo keys, time, colour), the demo issuer, subject ids, the manifest match,
 * and the staff-facing log and JSON lines. */
#include "app/core/healthcode.h"

#include "app/core/b64url.h"
#include "app/core/healthcode_formats.h"
#include "app/core/jws.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define SZHC1_PREFIX "SZHC1:"

static const struct healthcode_format *const formats[] = {
    &healthcode_format_szhc1,
    &healthcode_format_dcc,
    &healthcode_format_shc,
};

static const char *const colour_names[HEALTHCODE_COLOUR_COUNT] = {"green", "yellow", "red"};
static const char *const nat_names[HEALTHCODE_NAT_COUNT] = {"neg", "pos"};
static const char *const kind_names[HEALTHCODE_KIND_COUNT] = {"none", "vaccination", "test",
                                                              "recovery"};

const char *healthcode_kind_name(enum healthcode_kind k)
{
	return (unsigned)k < HEALTHCODE_KIND_COUNT ? kind_names[k] : "?";
}

const struct healthcode_format *const *healthcode_formats(size_t *count)
{
	*count = sizeof formats / sizeof formats[0];
	return formats;
}

const char *healthcode_colour_name(enum healthcode_colour c)
{
	return (unsigned)c < HEALTHCODE_COLOUR_COUNT ? colour_names[c] : "?";
}

const char *healthcode_nat_name(enum healthcode_nat_result r)
{
	return (unsigned)r < HEALTHCODE_NAT_COUNT ? nat_names[r] : "?";
}

void healthcode_set_detail(struct healthcode_result *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof out->detail, fmt, ap);
	va_end(ap);
}

/* Revocation, demo keys, validity period and colour: the same for every format. */
static enum reason check_claims(const struct healthcode_claims *c, const struct trust_key *key,
                                const struct trust_list *trust, const struct healthcode_config *cfg,
                                int64_t now, struct healthcode_result *out)
{
	/* claim times are 0..9999-12-31 and skew is clamped, so nothing here can overflow */
	int64_t skew = cfg->skew_s < 0                       ? 0
	               : cfg->skew_s > HEALTHCODE_MAX_SKEW_S ? HEALTHCODE_MAX_SKEW_S
	                                                     : cfg->skew_s;
	if (key->revoked) {
		healthcode_set_detail(out, "signing key is revoked");
		return REASON_REVOKED;
	}
	if (key->demo && !cfg->demo_allowed) {
		healthcode_set_detail(out, "signed by a demo key; this device is not in demo mode");
		return REASON_DEMO_KEY;
	}
	if (trust_list_is_revoked(trust, c->jti)) {
		healthcode_set_detail(out, "credential jti is revoked");
		return REASON_REVOKED;
	}
	if (trust_list_is_revoked(trust, c->subject)) {
		healthcode_set_detail(out, "every credential of this subject is revoked");
		return REASON_REVOKED;
	}
	if (key->kind == TRUST_KEY_SHC &&
	    trust_list_rid_revoked(trust, key->kid, c->intl.id, c->nbf)) {
		healthcode_set_detail(out,
		                      "SMART Health Card rid is on the issuer's revocation list");
		return REASON_REVOKED;
	}
	if (key->kind != TRUST_KEY_SZHC && trust_list_is_revoked(trust, c->intl.id)) {
		healthcode_set_detail(out, "international credential id (UVCI or rid) is revoked");
		return REASON_REVOKED;
	}
	if (c->nbf - skew > now || c->iat - skew > now) {
		int64_t start = c->nbf > c->iat ? c->nbf : c->iat;
		healthcode_set_detail(out,
		                      "valid from %" PRId64 "; now %" PRId64 ", skew %" PRId64 " s",
		                      start, now, skew);
		return REASON_NOT_YET_VALID;
	}
	/* The EU DCC suites take exp as the last valid second; our codes as the first
	 * invalid one. */
	int64_t last_valid = key->kind == TRUST_KEY_DCC ? c->exp : c->exp - 1;
	if (last_valid + skew < now) {
		healthcode_set_detail(out,
		                      "expired at %" PRId64 "; now %" PRId64 ", skew %" PRId64 " s",
		                      c->exp, now, skew);
		return REASON_EXPIRED;
	}
	if (c->colour == HEALTHCODE_RED) {
		healthcode_set_detail(out, "valid red code");
		return REASON_RED_CODE;
	}
	if (c->colour == HEALTHCODE_YELLOW) {
		healthcode_set_detail(out, "valid yellow code");
		return REASON_YELLOW_CODE;
	}
	return REASON_OK;
}

enum reason healthcode_verify(const char *text, size_t len, const struct trust_list *trust,
                              const struct healthcode_config *cfg, int64_t now,
                              struct healthcode_result *out)
{
	memset(out, 0, sizeof *out);
	while (len > 0 && (text[len - 1] == '\r' || text[len - 1] == '\n' || text[len - 1] == ' ' ||
	                   text[len - 1] == '\t'))
		len--;
	out->reason = REASON_NOT_HEALTH_CODE;
	const struct healthcode_format *fmt = NULL;
	enum healthcode_detect seen = HEALTHCODE_DETECT_NO;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0] && !fmt; i++) {
		enum healthcode_detect d = formats[i]->detect(text, len);
		if (d == HEALTHCODE_DETECT_YES)
			fmt = formats[i];
		else if (d == HEALTHCODE_DETECT_OTHER_VERSION)
			seen = d;
	}
	if (!fmt) {
		if (seen == HEALTHCODE_DETECT_OTHER_VERSION) {
			out->reason = REASON_UNSUPPORTED_VERSION;
			healthcode_set_detail(
			    out, "a health-code format version this device does not read");
		} else {
			healthcode_set_detail(out, "no known health-code format");
		}
		return out->reason;
	}
	out->format = fmt->name;
	size_t max = fmt->max_len ? fmt->max_len : HEALTHCODE_TEXT_MAX;
	if (len > max) {
		out->reason = REASON_MALFORMED;
		healthcode_set_detail(out, "%zu bytes, longer than %zu", len, max);
		return out->reason;
	}
	const struct trust_key *key = NULL;
	out->reason = fmt->verify(text, len, trust, out, &key);
	if (out->reason == REASON_OK) {
		out->reason = check_claims(&out->claims, key, trust, cfg, now, out);
		if (out->reason == REASON_EXPIRED || out->reason == REASON_NOT_YET_VALID)
			out->step = "expiry";
		else if (out->reason == REASON_REVOKED)
			out->step = "revocation";
	}
	if (!out->has_claims)
		memset(&out->claims, 0, sizeof out->claims);
	return out->reason;
}

int healthcode_issue_key(const struct healthcode_claims *claims, EVP_PKEY *key, const char *kid,
                         char *out, size_t out_size)
{
	char payload[HEALTHCODE_TEXT_MAX];
	char header[160];
	char thumb[JWS_THUMBPRINT_LEN + 1];
	struct healthcode_claims c = *claims;
	struct healthcode_claims check;
	if (!kid) {
		uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
		if (jws_p256_xy(key, x, y) < 0 || jws_p256_thumbprint(x, y, thumb) < 0)
			return -EINVAL;
		kid = thumb;
	}
	if (!*kid || strlen(kid) >= TRUST_KID_MAX)
		return -EINVAL;
	if (!c.jti[0]) {
		uint8_t id[9];
		if (RAND_bytes(id, sizeof id) != 1)
			return -EINVAL;
		b64url_encode(id, sizeof id, c.jti, sizeof c.jti);
	}
	int n = healthcode_szhc1_claims_to_json(&c, payload, sizeof payload);
	if (n < 0)
		return n;
	/* Only what a verifier would accept is signed. */
	if (healthcode_claims_parse(payload, (size_t)n, &check, NULL, 0) != REASON_OK)
		return -EINVAL;
	json_t *h = json_pack("{s:s, s:s}", "alg", "ES256", "kid", kid);
	size_t hn =
	    h ? json_dumpb(h, header, sizeof header - 1, JSON_COMPACT | JSON_PRESERVE_ORDER) : 0;
	json_decref(h);
	if (hn == 0 || hn >= sizeof header)
		return -EINVAL; /* kid not UTF-8 */
	header[hn] = '\0';
	size_t pl = strlen(SZHC1_PREFIX);
	if (out_size < pl + 1)
		return -ENOSPC;
	memcpy(out, SZHC1_PREFIX, pl);
	int rc = jws_es256_compact_sign(key, header, payload, out + pl, out_size - pl);
	return rc < 0 ? rc : rc + (int)pl;
}

int healthcode_issue(const struct healthcode_claims *claims, const char *key_pem, size_t pem_len,
                     const char *kid, char *out, size_t out_size)
{
	EVP_PKEY *key = jws_p256_private_from_pem(key_pem, pem_len);
	if (!key)
		return -EINVAL;
	int rc = healthcode_issue_key(claims, key, kid, out, out_size);
	EVP_PKEY_free(key);
	return rc;
}

int healthcode_keygen(const char *issuer, bool demo, char *pem, size_t pem_size, char *jwk,
                      size_t jwk_size)
{
	int rc = -EINVAL;
	EVP_PKEY *key = jws_p256_generate();
	struct trust_list *t = trust_list_new();
	if (!key || !t)
		goto out_free;
	rc = trust_list_add_key(t, issuer, NULL, key, demo);
	if (rc < 0)
		goto out_free;
	rc = jws_p256_private_to_pem(key, pem, pem_size);
	if (rc < 0)
		goto out_free;
	rc = trust_key_to_jwk(&t->keys[0], jwk, jwk_size);
	if (rc > 0)
		rc = 0;
out_free:
	trust_list_free(t);
	EVP_PKEY_free(key);
	return rc;
}

int healthcode_subject_keygen(const char *issuer, char *jwk, size_t jwk_size)
{
	uint8_t key[32], digest[32];
	char k[B64URL_ENCODED_LEN(sizeof key) + 1];
	char kid[B64URL_ENCODED_LEN(12) + 1];
	int rc = -EINVAL;
	if (!issuer || !*issuer || strlen(issuer) >= TRUST_ISSUER_MAX || RAND_bytes(key, 32) != 1)
		return -EINVAL;
	b64url_encode(key, sizeof key, k, sizeof k);
	/* kid: names the key without revealing it */
	EVP_Digest(key, sizeof key, digest, NULL, EVP_sha256(), NULL);
	b64url_encode(digest, 12, kid, sizeof kid);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "oct", "use", "hcsub", "iss",
	                      issuer, "kid", kid, "k", k);
	if (!o)
		return -EINVAL;
	size_t need = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (need == 0)
		goto out_free;
	if (need + 1 > jwk_size) {
		rc = -ENOSPC;
		goto out_free;
	}
	json_dumpb(o, jwk, need, JSON_COMPACT | JSON_PRESERVE_ORDER);
	jwk[need] = '\0';
	rc = 0;
out_free:
	json_decref(o);
	OPENSSL_cleanse(key, sizeof key);
	return rc;
}

/* Upper-case ASCII letters, drop spaces and '-'; the rest must be [A-Z0-9]. */
static bool normalise(const char *in, char *out, size_t max)
{
	size_t o = 0;
	for (; in && *in; in++) {
		unsigned char ch = (unsigned char)*in;
		if (ch == ' ' || ch == '-')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 'a' + 'A');
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) || o >= max)
			return false;
		out[o++] = (char)ch;
	}
	out[o] = '\0';
	return o > 0;
}

int healthcode_subject_id(const struct trust_subject_key *key, const char *doc_type,
                          const char *doc_number, char out[HEALTHCODE_SUBJECT_LEN + 1])
{
	char msg[8 + 1 + 32 + 1];
	char number[33];
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	if (!key || key->len < TRUST_SUBJECT_KEY_MIN || key->len > TRUST_SUBJECT_KEY_MAX ||
	    !normalise(doc_type, msg, 8) || !normalise(doc_number, number, 32))
		return -EINVAL;
	strcat(msg, ":");
	strcat(msg, number);
	if (!HMAC(EVP_sha256(), key->key, (int)key->len, (const unsigned char *)msg, strlen(msg),
	          mac, &mac_len) ||
	    mac_len != 32)
		return -EINVAL;
	return b64url_encode(mac, 16, out, HEALTHCODE_SUBJECT_LEN + 1) == HEALTHCODE_SUBJECT_LEN
	           ? 0
	           : -EINVAL;
}

/* Append printf output at *pos of out, never past out_size. */
static void append(char *out, size_t out_size, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *out, size_t out_size, size_t *pos, const char *fmt, ...)
{
	if (*pos >= out_size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + *pos, out_size - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n < out_size - *pos ? (size_t)n : out_size - *pos - 1;
}

/* Log-safe copy: printable ASCII only, no quotes or spaces. */
static const char *safe(const char *s, char *buf, size_t size)
{
	size_t o = 0;
	for (; s && *s && o + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		buf[o++] = ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' ? (char)ch : '?';
	}
	buf[o] = '\0';
	return buf;
}

char *healthcode_log_line(const struct healthcode_result *r, int64_t now, char *out,
                          size_t out_size)
{
	char b1[TRUST_KID_MAX], b2[TRUST_ISSUER_MAX], b3[HEALTHCODE_JTI_MAX];
	size_t pos = 0;
	if (!out_size)
		return out;
	out[0] = '\0';
	append(out, out_size, &pos, "healthcode %s format=%s", reason_code(r->reason),
	       r->format ? r->format : "-");
	if (r->kid[0])
		append(out, out_size, &pos, " kid=%.16s", safe(r->kid, b1, sizeof b1));
	if (r->has_claims)
		append(out, out_size, &pos,
		       " iss=%s jti=%s colour=%s category=%s nbf=%" PRId64 " exp=%" PRId64,
		       safe(r->claims.issuer, b2, sizeof b2), safe(r->claims.jti, b3, sizeof b3),
		       healthcode_colour_name(r->claims.colour), category_name(r->claims.category),
		       r->claims.nbf, r->claims.exp);
	append(out, out_size, &pos, " now=%" PRId64 " detail=\"%s\"", now, r->detail);
	return out;
}

int healthcode_result_to_json(const struct healthcode_result *r, char *out, size_t out_size)
{
	int rc = -ENOSPC;
	char day[11];
	const char *verdict = r->reason == REASON_OK            ? "valid"
	                      : r->reason == REASON_YELLOW_CODE ? "attention"
	                                                        : "refused";
	json_t *o = json_pack("{s:s, s:s, s:s*, s:s*}", "verdict", verdict, "reason",
	                      reason_code(r->reason), "format", r->format, "kid",
	                      r->kid[0] ? r->kid : NULL);
	if (!o)
		return -EINVAL;
	if (r->has_claims) {
		const struct healthcode_claims *c = &r->claims;
		json_t *nat = json_array();
		for (int i = 0; i < c->n_tests; i++)
			json_array_append_new(nat,
			                      json_pack("[s,s]", day_format(c->tests[i].day, day),
			                                healthcode_nat_name(c->tests[i].result)));
		json_object_update_new(
		    o, json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s*, s:I, s:o}", "iss",
		                 c->issuer, "jti", c->jti, "iat", (json_int_t)c->iat, "nbf",
		                 (json_int_t)c->nbf, "exp", (json_int_t)c->exp, "colour",
		                 healthcode_colour_name(c->colour), "category",
		                 category_name(c->category), "port", c->port[0] ? c->port : NULL,
		                 "entry", (json_int_t)c->entry_time, "nat", nat));
	}
	if (r->has_claims && r->claims.intl.present) {
		const struct healthcode_intl *in = &r->claims.intl;
		json_object_set_new(o, "intl",
		                    json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:b}", "kind",
		                              healthcode_kind_name(in->kind), "day",
		                              day_format(in->day, day), "country", in->country,
		                              "product", in->product, "dose", in->dose, "doses",
		                              in->doses, "positive", in->test_positive));
	}
	if (r->step)
		json_object_set_new(o, "step", json_string(r->step));
	json_object_set_new(o, "detail", json_string(r->detail));
	size_t need = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (need > 0 && need + 1 <= out_size) {
		json_dumpb(o, out, need, JSON_COMPACT | JSON_PRESERVE_ORDER);
		out[need] = '\0';
		rc = (int)need;
	}
	json_decref(o);
	return rc;
}

void healthcode_match(const struct healthcode_result *r, const struct healthcode_lookup *lookup,
                      const struct healthcode_policy *policy, struct healthcode_verdict *out)
{
	memset(out, 0, sizeof *out);
	out->next = HEALTHCODE_NEXT_REFUSE;
	out->reason = r->reason;
	if (r->reason != REASON_OK && r->reason != REASON_YELLOW_CODE) {
		out->call_medic = r->reason == REASON_RED_CODE;
		return;
	}
	if (lookup->masked_name && lookup->state != HEALTHCODE_LOOKUP_NOT_FOUND)
		snprintf(out->masked_name, sizeof out->masked_name, "%s", lookup->masked_name);
	bool yellow = r->reason == REASON_YELLOW_CODE;
	switch (lookup->state) {
	case HEALTHCODE_LOOKUP_CHECKED_IN:
		out->next = HEALTHCODE_NEXT_OFFER_REPRINT;
		out->reason = REASON_ALREADY_CHECKED_IN;
		return;
	case HEALTHCODE_LOOKUP_NOT_FOUND:
		out->reason = REASON_NOT_ON_MANIFEST;
		out->next = policy->walkin == HEALTHCODE_WALKIN_STAFF_APPROVAL
		                ? HEALTHCODE_NEXT_STAFF_APPROVAL
		                : HEALTHCODE_NEXT_REFUSE;
		out->call_medic = yellow && policy->yellow == HEALTHCODE_YELLOW_CALL_MEDIC;
		out->designated_floor =
		    yellow && policy->yellow == HEALTHCODE_YELLOW_DESIGNATED_FLOOR;
		if (yellow && policy->yellow == HEALTHCODE_YELLOW_REFUSE)
			out->next = HEALTHCODE_NEXT_REFUSE;
		return;
	case HEALTHCODE_LOOKUP_FOUND:
		break;
	}
	if (!yellow) {
		out->next = HEALTHCODE_NEXT_CONFIRM;
		return;
	}
	switch (policy->yellow) {
	case HEALTHCODE_YELLOW_REFUSE:
		out->next = HEALTHCODE_NEXT_REFUSE;
		break;
	case HEALTHCODE_YELLOW_CALL_MEDIC:
		out->next = HEALTHCODE_NEXT_STAFF_APPROVAL;
		out->call_medic = true;
		break;
	case HEALTHCODE_YELLOW_DESIGNATED_FLOOR:
		out->next = HEALTHCODE_NEXT_CONFIRM;
		out->designated_floor = true;
		break;
	}
}

enum reason healthcode_verify_shc_file(const char *json, size_t len, const struct trust_list *trust,
                                       const struct healthcode_config *cfg, int64_t now,
                                       struct healthcode_result *out)
{
	struct healthcode_result one;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *list = json_object_get(root, "verifiableCredential");
	memset(out, 0, sizeof *out);
	out->format = healthcode_format_shc.name;
	out->reason = REASON_MALFORMED;
	healthcode_set_detail(out, "not a .smart-health-card file");
	if (!json_is_array(list) || json_array_size(list) == 0)
		goto out_json;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *jws = json_string_value(json_array_get(list, i));
		const struct trust_key *key = NULL;
		memset(&one, 0, sizeof one);
		one.format = healthcode_format_shc.name;
		one.reason = jws ? healthcode_shc_verify_jws(jws, strlen(jws), trust, &one, &key)
		                 : REASON_MALFORMED;
		if (!jws)
			healthcode_set_detail(&one, "verifiableCredential entry is not a string");
		if (one.reason == REASON_OK) {
			one.reason = check_claims(&one.claims, key, trust, cfg, now, &one);
			if (one.reason == REASON_EXPIRED || one.reason == REASON_NOT_YET_VALID)
				one.step = "expiry";
			else if (one.reason == REASON_REVOKED)
				one.step = "revocation";
		}
		if (!one.has_claims)
			memset(&one.claims, 0, sizeof one.claims);
		if (i == 0 || one.reason != REASON_OK)
			*out = one;
		if (one.reason != REASON_OK)
			break;
	}
out_json:
	json_decref(root);
	return out->reason;
}
