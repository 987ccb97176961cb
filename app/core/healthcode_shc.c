/* app/core/healthcode_shc.c: SMART Health Cards as a health-code format: "shc:/" + numeric
 * JWS (ES256, raw-DEFLATE payload, "zip":"DEF"), issuer keys from the issuer's JWKS
 * (trust_list_add_shc_jwks()), revocation by rid; and the .smart-health-card file form. */
#include "app/core/b64url.h"
#include "app/core/base45.h"
#include "app/core/healthcode_formats.h"
#include "app/core/jws.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#define SHC_PREFIX      "shc:/"
#define SHC_JWS_MAX     1195  /* characters of JWS one QR code may carry (the standard) */
#define SHC_INFLATE_MAX 65536 /* bytes of payload JSON */
#define FAR_FUTURE      253402300799LL
#define SHC_CARD_TYPE   "https://smarthealth.cards#health-card"

static enum healthcode_detect shc_detect(const char *text, size_t len)
{
	return len >= 5 && memcmp(text, SHC_PREFIX, 5) == 0 ? HEALTHCODE_DETECT_YES
	                                                    : HEALTHCODE_DETECT_NO;
}

static enum reason fail(struct healthcode_result *out, const char *step, enum reason r,
                        const char *detail)
{
	out->step = step;
	healthcode_set_detail(out, "%s", detail);
	return r;
}

static uint8_t *inflate_raw(const uint8_t *in, size_t len, size_t *out_len)
{
	uint8_t *out = malloc(SHC_INFLATE_MAX + 1);
	z_stream zs = {0};
	if (!out || inflateInit2(&zs, -15) != Z_OK) {
		free(out);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = SHC_INFLATE_MAX;
	int rc = inflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	inflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.avail_in != 0) {
		free(out);
		return NULL;
	}
	out[*out_len] = '\0';
	return out;
}

/* A JSON number (integer or fractional) of unix seconds. */
static bool get_time(json_t *v, int64_t *out)
{
	if (!json_is_number(v))
		return false;
	double d = json_number_value(v);
	if (!(d >= 0 && d <= (double)FAR_FUTURE))
		return false;
	*out = (int64_t)d; /* d >= 0: truncation is floor */
	return true;
}

static hk_day day_of(const char *s)
{
	hk_day d;
	char ymd[11];
	if (!s || strlen(s) < 10)
		return -1;
	memcpy(ymd, s, 10);
	ymd[10] = '\0';
	return day_parse(ymd, &d) ? d : -1;
}

static const char *first_code(json_t *concept)
{
	return json_string_value(
	    json_object_get(json_array_get(json_object_get(concept, "coding"), 0), "code"));
}

/* The person and the latest immunization or lab result of the FHIR bundle. */
static bool read_bundle(json_t *bundle, struct healthcode_claims *c)
{
	json_t *entries = json_object_get(bundle, "entry");
	struct healthcode_intl *in = &c->intl;
	bool person = false;
	size_t i;
	json_t *e;
	if (!json_is_array(entries))
		return false;
	in->day = -1;
	json_array_foreach(entries, i, e)
	{
		json_t *res = json_object_get(e, "resource");
		const char *type = json_string_value(json_object_get(res, "resourceType"));
		if (!type)
			return false;
		if (strcmp(type, "Patient") == 0 && !person) {
			json_t *name = json_array_get(json_object_get(res, "name"), 0);
			const char *family = json_string_value(json_object_get(name, "family"));
			json_t *given = json_object_get(name, "given");
			size_t pos = 0, k;
			json_t *g;
			json_array_foreach(given, k, g)
			{
				if (json_is_string(g) && pos < sizeof c->name)
					pos += (size_t)snprintf(c->name + pos, sizeof c->name - pos,
					                        "%s%s", pos ? " " : "",
					                        json_string_value(g));
			}
			if (family && pos < sizeof c->name)
				snprintf(c->name + pos, sizeof c->name - pos, "%s%s",
				         pos ? " " : "", family);
			person = c->name[0] != '\0';
			continue;
		}
		bool imm = strcmp(type, "Immunization") == 0;
		bool lab = strcmp(type, "Observation") == 0;
		if (!imm && !lab)
			continue;
		const char *when = json_string_value(
		    json_object_get(res, imm ? "occurrenceDateTime" : "effectiveDateTime"));
		hk_day day = day_of(when);
		if (day < 0 || day < in->day)
			continue;
		in->day = day;
		in->kind = imm ? HEALTHCODE_KIND_VACCINATION : HEALTHCODE_KIND_TEST;
		const char *code = first_code(json_object_get(res, imm ? "vaccineCode" : "code"));
		snprintf(in->product, sizeof in->product, "%s", code ? code : "");
		const char *value = first_code(json_object_get(res, "valueCodeableConcept"));
		/* SNOMED 260373001 "Detected" */
		in->test_positive = lab && value && strcmp(value, "260373001") == 0;
	}
	if (in->day < 0)
		in->day = 0;
	return true; /* a card need not name a Patient (example 02 does not): name stays "" */
}

static bool has_card_type(json_t *types)
{
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		if (json_is_string(t) && strcmp(json_string_value(t), SHC_CARD_TYPE) == 0)
			return true;
	}
	return false;
}

enum reason healthcode_shc_verify_jws(const char *jws, size_t len, const struct trust_list *trust,
                                      struct healthcode_result *out,
                                      const struct trust_key **key_out)
{
	enum reason r = REASON_MALFORMED;
	struct jws_compact parts;
	uint8_t hdr[512], sig[JWS_ES256_SIG_LEN + 1];
	uint8_t *deflated = NULL, *payload = NULL;
	json_t *header = NULL, *claims = NULL;
	size_t payload_len = 0;
	if (jws_compact_split(jws, len, &parts) < 0)
		return fail(out, "jws", REASON_MALFORMED, "not a compact JWS");
	int n = b64url_decode(parts.header, parts.header_len, hdr, sizeof hdr - 1);
	header =
	    n > 0 ? json_loadb((const char *)hdr, (size_t)n, JSON_REJECT_DUPLICATES, NULL) : NULL;
	const char *alg = json_string_value(json_object_get(header, "alg"));
	const char *zip = json_string_value(json_object_get(header, "zip"));
	const char *kid = json_string_value(json_object_get(header, "kid"));
	if (!alg || strcmp(alg, "ES256") != 0) {
		r = fail(out, "jws", REASON_MALFORMED, "JWS header alg is not ES256");
		goto out_free;
	}
	if (!zip || strcmp(zip, "DEF") != 0) {
		r = fail(out, "jws", REASON_MALFORMED, "JWS header zip is not DEF");
		goto out_free;
	}
	if (!kid || !*kid || strlen(kid) >= sizeof out->kid || json_object_get(header, "crit")) {
		r = fail(out, "jws", REASON_MALFORMED, "JWS header has no usable kid");
		goto out_free;
	}
	strcpy(out->kid, kid);
	const struct trust_key *key = trust_list_find_key(trust, kid);
	if (!key || key->kind != TRUST_KEY_SHC) {
		r = fail(out, "signature", REASON_UNKNOWN_ISSUER, "no trusted SMART issuer key");
		goto out_free;
	}
	if (b64url_decode(parts.signature, parts.signature_len, sig, sizeof sig) !=
	    JWS_ES256_SIG_LEN) {
		r = fail(out, "signature", REASON_BAD_SIGNATURE, "signature is not 64 bytes R||S");
		goto out_free;
	}
	if (!jws_es256_verify(key->pkey, parts.header, parts.signing_input_len, sig)) {
		r = fail(out, "signature", REASON_BAD_SIGNATURE, "signature does not verify");
		goto out_free;
	}
	deflated = malloc(parts.payload_len);
	n = deflated ? b64url_decode(parts.payload, parts.payload_len, deflated, parts.payload_len)
	             : -ENOMEM;
	payload = n > 0 ? inflate_raw(deflated, (size_t)n, &payload_len) : NULL;
	if (!payload) {
		r = fail(out, "inflate", REASON_MALFORMED, "payload is not raw DEFLATE");
		goto out_free;
	}
	claims = json_loadb((const char *)payload, payload_len, JSON_REJECT_DUPLICATES, NULL);
	json_t *vc = json_object_get(claims, "vc");
	struct healthcode_claims *c = &out->claims;
	const char *iss = json_string_value(json_object_get(claims, "iss"));
	if (!iss || !json_is_object(vc) || !has_card_type(json_object_get(vc, "type")) ||
	    !get_time(json_object_get(claims, "nbf"), &c->nbf) ||
	    !read_bundle(json_object_get(json_object_get(vc, "credentialSubject"), "fhirBundle"),
	                 c)) {
		r = fail(out, "claims", REASON_MALFORMED, "payload is not a SMART Health Card");
		goto out_free;
	}
	json_t *exp = json_object_get(claims, "exp");
	if (!exp)
		c->exp = FAR_FUTURE;
	else if (!get_time(exp, &c->exp)) {
		r = fail(out, "claims", REASON_MALFORMED, "exp is not a time");
		goto out_free;
	}
	if (strcmp(iss, key->issuer) != 0) {
		r = fail(out, "claims", REASON_UNKNOWN_ISSUER, "iss is not the key's issuer");
		goto out_free;
	}
	snprintf(c->issuer, sizeof c->issuer, "%s", iss);
	const char *rid = json_string_value(json_object_get(vc, "rid"));
	snprintf(c->intl.id, sizeof c->intl.id, "%s", rid ? rid : "");
	c->iat = c->nbf;
	c->colour = HEALTHCODE_GREEN;
	c->category = CATEGORY_INBOUND;
	c->intl.present = true;
	out->has_claims = true;
	*key_out = key;
	r = REASON_OK;
out_free:
	json_decref(header);
	json_decref(claims);
	free(deflated);
	free(payload);
	return r;
}

static enum reason shc_verify(const char *text, size_t len, const struct trust_list *trust,
                              struct healthcode_result *out, const struct trust_key **key_out)
{
	const char *digits = text + 5;
	size_t n = len - 5;
	size_t i = 0;
	while (i < n && digits[i] >= '0' && digits[i] <= '9')
		i++;
	if (i < n && digits[i] == '/')
		return fail(out, "prefix", REASON_CHUNKED_CODE,
		            "chunked SMART Health Card (shc:/N/M/...), deprecated");
	char *jws = malloc(n / 2 + 1);
	if (!jws)
		return fail(out, "numeric", REASON_MALFORMED, "out of memory");
	int m = shc_numeric_decode(digits, n, jws, n / 2 + 1);
	enum reason r = m <= 0 ? fail(out, "numeric", REASON_MALFORMED, "not SMART numeric digits")
	                : m > SHC_JWS_MAX
	                    ? fail(out, "jws", REASON_MALFORMED, "JWS longer than 1195 characters")
	                    : healthcode_shc_verify_jws(jws, (size_t)m, trust, out, key_out);
	free(jws);
	return r;
}

const struct healthcode_format healthcode_format_shc = {
    .name = "SMART",
    .detect = shc_detect,
    .verify = shc_verify,
    .max_len = 5 + 2 * SHC_JWS_MAX,
};
