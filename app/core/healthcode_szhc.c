/* app/core/healthcode_szhc.c: the SZHC1 format: "SZHC1:" + a compact JWS (ES256, kid in
 * the protected header) whose payload is the claims as JSON. See docs/health-code.md. */
#include "app/core/healthcode_formats.h"

#include "app/core/b64url.h"
#include "app/core/jws.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#define SZHC_FAMILY     "SZHC"
#define SZHC1_PREFIX    "SZHC1:"
#define HEADER_JSON_MAX 256

static enum healthcode_detect szhc_detect(const char *text, size_t len)
{
	size_t fl = strlen(SZHC_FAMILY);
	if (len < fl || memcmp(text, SZHC_FAMILY, fl) != 0)
		return HEALTHCODE_DETECT_NO;
	size_t i = fl;
	while (i < len && i < fl + 4 && text[i] >= '0' && text[i] <= '9')
		i++;
	if (i == fl || i >= len || text[i] != ':')
		return HEALTHCODE_DETECT_NO; /* "SZHC" then no version: not one of ours */
	size_t pl = strlen(SZHC1_PREFIX);
	if (i + 1 == pl && memcmp(text, SZHC1_PREFIX, pl) == 0)
		return HEALTHCODE_DETECT_YES;
	return HEALTHCODE_DETECT_OTHER_VERSION;
}

/* A string claim of 1..size-1 bytes into dst; false when absent (and required) or bad. */
static bool get_string(json_t *obj, const char *name, char *dst, size_t size, bool required)
{
	json_t *v = json_object_get(obj, name);
	dst[0] = '\0';
	if (!v)
		return !required;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (!s || n == 0 || n >= size || strlen(s) != n)
		return false;
	memcpy(dst, s, n + 1);
	return true;
}

static bool get_time(json_t *obj, const char *name, int64_t *out, bool required)
{
	json_t *v = json_object_get(obj, name);
	if (!v)
		return !required;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 253402300799LL) /* 9999-12-31T23:59:59Z */
		return false;
	*out = (int64_t)json_integer_value(v);
	return true;
}

static bool get_tests(json_t *obj, struct healthcode_claims *c)
{
	json_t *nat = json_object_get(obj, "nat");
	c->n_tests = 0;
	if (!nat)
		return true;
	if (!json_is_array(nat) || json_array_size(nat) > HEALTHCODE_MAX_TESTS)
		return false;
	for (size_t i = 0; i < json_array_size(nat); i++) {
		json_t *t = json_array_get(nat, i);
		const char *day = json_string_value(json_array_get(t, 0));
		const char *res = json_string_value(json_array_get(t, 1));
		struct healthcode_test *out = &c->tests[i];
		if (!json_is_array(t) || json_array_size(t) != 2 || !day || !res ||
		    !day_parse(day, &out->day))
			return false;
		if (strcmp(res, "neg") == 0)
			out->result = HEALTHCODE_NAT_NEGATIVE;
		else if (strcmp(res, "pos") == 0)
			out->result = HEALTHCODE_NAT_POSITIVE;
		else
			return false;
		c->n_tests++;
	}
	return true;
}

static void put_detail(char *detail, size_t size, const char *what)
{
	if (size)
		snprintf(detail, size, "%s", what);
}

enum reason healthcode_claims_parse(const char *json, size_t len, struct healthcode_claims *c,
                                    char *detail, size_t detail_size)
{
	enum reason r = REASON_MALFORMED;
	char col[8], cat[24];
	memset(c, 0, sizeof *c);
	json_t *obj = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(obj)) {
		put_detail(detail, detail_size, "payload is not a JSON object");
		goto out_free_json;
	}
	const char *bad = NULL;
	if (!get_string(obj, "iss", c->issuer, sizeof c->issuer, true))
		bad = "iss";
	else if (!get_time(obj, "iat", &c->iat, true))
		bad = "iat";
	else if (!get_time(obj, "exp", &c->exp, true))
		bad = "exp";
	else if (!get_time(obj, "nbf", &c->nbf, false))
		bad = "nbf";
	else if (!get_string(obj, "jti", c->jti, sizeof c->jti, true))
		bad = "jti";
	else if (!get_string(obj, "sub", c->subject, sizeof c->subject, true))
		bad = "sub";
	else if (!get_string(obj, "name", c->name, sizeof c->name, true))
		bad = "name";
	else if (!get_string(obj, "col", col, sizeof col, true))
		bad = "col";
	else if (!get_string(obj, "cat", cat, sizeof cat, true) ||
	         !category_parse(cat, &c->category))
		bad = "cat";
	else if (!get_string(obj, "port", c->port, sizeof c->port, false))
		bad = "port";
	else if (!get_time(obj, "ent", &c->entry_time, false))
		bad = "ent";
	else if (!get_tests(obj, c))
		bad = "nat";
	if (!bad) {
		if (!json_object_get(obj, "nbf"))
			c->nbf = c->iat;
		int i = 0;
		while (i < HEALTHCODE_COLOUR_COUNT &&
		       strcmp(col, healthcode_colour_name((enum healthcode_colour)i)) != 0)
			i++;
		if (i == HEALTHCODE_COLOUR_COUNT)
			bad = "col";
		c->colour = (enum healthcode_colour)i;
	}
	if (!bad && c->exp <= c->nbf)
		bad = "exp (not after nbf)";
	if (bad) {
		if (detail_size)
			snprintf(detail, detail_size, "claim %s missing or invalid", bad);
		goto out_free_json;
	}
	r = REASON_OK;
out_free_json:
	json_decref(obj);
	if (r != REASON_OK)
		memset(c, 0, sizeof *c);
	return r;
}

int healthcode_szhc1_claims_to_json(const struct healthcode_claims *c, char *out, size_t out_size)
{
	int rc = -EINVAL;
	char day[11];
	json_t *obj =
	    json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "iss", c->issuer, "iat",
	              (json_int_t)c->iat, "nbf", (json_int_t)c->nbf, "exp", (json_int_t)c->exp,
	              "jti", c->jti, "sub", c->subject, "name", c->name, "col",
	              healthcode_colour_name(c->colour), "cat", category_name(c->category));
	if (!obj)
		return -EINVAL;
	if (c->port[0] && json_object_set_new(obj, "port", json_string(c->port)) < 0)
		goto out_free_obj;
	if (c->entry_time && json_object_set_new(obj, "ent", json_integer(c->entry_time)) < 0)
		goto out_free_obj;
	if (c->n_tests < 0 || c->n_tests > HEALTHCODE_MAX_TESTS)
		goto out_free_obj;
	if (c->n_tests > 0) {
		json_t *nat = json_array();
		if (json_object_set_new(obj, "nat", nat) < 0)
			goto out_free_obj;
		for (int i = 0; i < c->n_tests; i++)
			if (json_array_append_new(
			        nat, json_pack("[s,s]", day_format(c->tests[i].day, day),
			                       healthcode_nat_name(c->tests[i].result))) < 0)
				goto out_free_obj;
	}
	size_t need = json_dumpb(obj, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (need == 0)
		goto out_free_obj;
	if (need + 1 > out_size) {
		rc = -ENOSPC;
		goto out_free_obj;
	}
	json_dumpb(obj, out, need, JSON_COMPACT | JSON_PRESERVE_ORDER);
	out[need] = '\0';
	rc = (int)need;
out_free_obj:
	json_decref(obj);
	return rc;
}

/* The protected header: {"alg":"ES256","kid":..}; "crit" is refused (RFC 7515 4.1.11:
 * we understand no extension). */
static enum reason read_header(const struct jws_compact *jws, struct healthcode_result *out)
{
	uint8_t raw[HEADER_JSON_MAX];
	enum reason r = REASON_MALFORMED;
	int n = b64url_decode(jws->header, jws->header_len, raw, sizeof raw);
	if (n < 0) {
		healthcode_set_detail(out, "header is not base64url");
		return r;
	}
	json_t *h = json_loadb((const char *)raw, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	const char *alg = json_string_value(json_object_get(h, "alg"));
	json_t *kid = json_object_get(h, "kid");
	if (!json_is_object(h))
		healthcode_set_detail(out, "header is not a JSON object");
	else if (!alg || strcmp(alg, "ES256") != 0)
		healthcode_set_detail(out, "header alg is not ES256");
	else if (json_object_get(h, "crit"))
		healthcode_set_detail(out, "header has crit");
	else if (!json_is_string(kid) || json_string_length(kid) == 0 ||
	         json_string_length(kid) >= TRUST_KID_MAX ||
	         strlen(json_string_value(kid)) != json_string_length(kid))
		healthcode_set_detail(out, "header kid missing or invalid");
	else {
		memcpy(out->kid, json_string_value(kid), json_string_length(kid) + 1);
		r = REASON_OK;
	}
	json_decref(h);
	return r;
}

/* Printable form of a kid for the detail line: at most 16 safe characters. */
static void kid_for_log(const char *kid, char out[20])
{
	size_t o = 0;
	for (size_t i = 0; kid[i] && o < 16; i++) {
		unsigned char ch = (unsigned char)kid[i];
		out[o++] = ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' ? (char)ch : '?';
	}
	out[o] = '\0';
}

static enum reason szhc1_verify(const char *text, size_t len, const struct trust_list *trust,
                                struct healthcode_result *out, const struct trust_key **key_out)
{
	struct jws_compact jws;
	uint8_t sig[JWS_ES256_SIG_LEN];
	uint8_t payload[HEALTHCODE_TEXT_MAX];
	char kid_log[20];
	size_t pl = strlen(SZHC1_PREFIX);
	*key_out = NULL;
	if (jws_compact_split(text + pl, len - pl, &jws) < 0) {
		healthcode_set_detail(out, "not a compact JWS (header.payload.signature)");
		return REASON_MALFORMED;
	}
	enum reason r = read_header(&jws, out);
	if (r != REASON_OK)
		return r;
	kid_for_log(out->kid, kid_log);
	const struct trust_key *key = trust_list_find_key(trust, out->kid);
	if (!key) {
		healthcode_set_detail(out, "kid %s not on the trust list", kid_log);
		return REASON_UNKNOWN_ISSUER;
	}
	if (b64url_decode(jws.signature, jws.signature_len, sig, sizeof sig) != (int)sizeof sig) {
		healthcode_set_detail(out, "signature is not 64 bytes of base64url");
		return REASON_MALFORMED;
	}
	if (!jws_es256_verify(key->pkey, jws.header, jws.signing_input_len, sig)) {
		healthcode_set_detail(out, "ES256 signature does not verify under kid %s", kid_log);
		return REASON_BAD_SIGNATURE;
	}
	int n = b64url_decode(jws.payload, jws.payload_len, payload, sizeof payload);
	if (n < 0) {
		healthcode_set_detail(out, "payload is not base64url");
		return REASON_MALFORMED;
	}
	r = healthcode_claims_parse((const char *)payload, (size_t)n, &out->claims, out->detail,
	                            sizeof out->detail);
	if (r != REASON_OK)
		return r;
	if (strcmp(out->claims.issuer, key->issuer) != 0) {
		/* signed, but by a key not trusted for this issuer: the claims count for nothing */
		memset(&out->claims, 0, sizeof out->claims);
		healthcode_set_detail(out, "iss does not match the issuer of kid %s", kid_log);
		return REASON_UNKNOWN_ISSUER;
	}
	out->has_claims = true;
	*key_out = key;
	return REASON_OK;
}

const struct healthcode_format healthcode_format_szhc1 = {
    .name = "SZHC1",
    .detect = szhc_detect,
    .verify = szhc1_verify,
};
