/* app/core/trustlist_intl.c: the trust list's keys for international credentials: EU DCC
 * document signer certificates (X.509) and SMART Health Card issuer JWKS and revocation
 * lists. Parses text handed in; reads no file. */
#include "app/core/trustlist.h"

#include "app/core/b64url.h"
#include "app/core/jws.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define DCC_KID_BYTES 8
#define RID_MAX_CHARS 16

/* Append key k (taking pkey's reference) unless its kid is taken. */
static int append_key(struct trust_list *t, struct trust_key *k)
{
	const struct trust_key *old = trust_list_find_key(t, k->kid);
	if (old) {
		bool same = EVP_PKEY_eq(old->pkey, k->pkey) == 1 && old->kind == k->kind &&
		            strcmp(old->issuer, k->issuer) == 0;
		EVP_PKEY_free(k->pkey);
		return same ? 0 : -EEXIST;
	}
	int room = trust_list_keys_reserve(t, 1);
	if (room < 0) {
		EVP_PKEY_free(k->pkey);
		return room;
	}
	t->keys[t->n_keys++] = *k;
	return 0;
}

static void roll_back(struct trust_list *t, int n_keys)
{
	while (t->n_keys > n_keys)
		EVP_PKEY_free(t->keys[--t->n_keys].pkey);
}

/* Usage bits named by one extended-key-usage OID, 0 when it is not a DCC one. */
static unsigned usage_of_oid(const ASN1_OBJECT *obj)
{
	char oid[80];
	static const char *const arcs[] = {"1.3.6.1.4.1.1847.2021.1.",
	                                   "1.3.6.1.4.1.0.1847.2021.1."};
	if (OBJ_obj2txt(oid, sizeof oid, obj, 1) <= 0)
		return 0;
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(arcs[i]);
		if (strncmp(oid, arcs[i], n) == 0 && oid[n] && !oid[n + 1]) {
			switch (oid[n]) {
			case '1':
				return TRUST_USAGE_TEST;
			case '2':
				return TRUST_USAGE_VACCINATION;
			case '3':
				return TRUST_USAGE_RECOVERY;
			}
		}
	}
	return 0;
}

static int64_t unix_of(const ASN1_TIME *at)
{
	struct tm tm;
	if (!at || ASN1_TIME_to_tm(at, &tm) != 1)
		return 0;
	/* days from civil (proleptic Gregorian), no time zone involved */
	int64_t y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

static bool key_acceptable(EVP_PKEY *pkey)
{
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
		int bits = EVP_PKEY_get_bits(pkey);
		return bits >= 2048 && bits <= 4096;
	}
	uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
	return jws_p256_xy(pkey, x, y) == 0;
}

int trust_list_add_dcc_cert(struct trust_list *t, const uint8_t *der, size_t len, const char *kid,
                            char kid_out[TRUST_KID_MAX])
{
	struct trust_key k = {.kind = TRUST_KEY_DCC};
	const unsigned char *p = der;
	int rc = -EINVAL;
	if (!der || len == 0 || len > LONG_MAX)
		return -EINVAL;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (!x || p != der + len)
		goto out_cert;
	if (kid) {
		if (!*kid || strlen(kid) >= sizeof k.kid)
			goto out_cert;
		strcpy(k.kid, kid);
	} else {
		uint8_t digest[32];
		if (!EVP_Digest(der, len, digest, NULL, EVP_sha256(), NULL) ||
		    EVP_EncodeBlock((unsigned char *)k.kid, digest, DCC_KID_BYTES) <= 0)
			goto out_cert;
	}
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++)
		k.usage |= usage_of_oid(sk_ASN1_OBJECT_value(eku, i));
	EXTENDED_KEY_USAGE_free(eku);
	if (!k.usage)
		k.usage = TRUST_USAGE_ALL;
	k.not_before = unix_of(X509_get0_notBefore(x));
	k.not_after = unix_of(X509_get0_notAfter(x));
	X509_NAME *subject = X509_get_subject_name(x);
	int at = X509_NAME_get_index_by_NID(subject, NID_countryName, -1);
	if (at >= 0) {
		ASN1_STRING *c = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
		if (c && ASN1_STRING_length(c) > 0 && ASN1_STRING_length(c) < 4) {
			memcpy(k.issuer, ASN1_STRING_get0_data(c), (size_t)ASN1_STRING_length(c));
			k.issuer[ASN1_STRING_length(c)] = '\0';
		}
	}
	k.pkey = X509_get_pubkey(x);
	if (!k.pkey || !key_acceptable(k.pkey)) {
		EVP_PKEY_free(k.pkey);
		goto out_cert;
	}
	rc = append_key(t, &k);
	if (rc == 0 && kid_out)
		memcpy(kid_out, k.kid, TRUST_KID_MAX);
out_cert:
	X509_free(x);
	return rc;
}

/* Standard base64 (padding allowed, no whitespace) into a new buffer. */
static uint8_t *b64_std_decode(const char *s, size_t *out_len)
{
	size_t n = strlen(s);
	if (n == 0 || n % 4 || n > 65536)
		return NULL;
	uint8_t *buf = malloc(n / 4 * 3 + 1);
	if (!buf)
		return NULL;
	int got = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)n);
	if (got < 0) {
		free(buf);
		return NULL;
	}
	size_t pad = (s[n - 1] == '=') + (s[n - 2] == '=');
	*out_len = (size_t)got - pad;
	return buf;
}

static int add_pem_signers(struct trust_list *t, const char *text, size_t len)
{
	BIO *bio = BIO_new_mem_buf(text, (int)len);
	int count = 0, rc = 0;
	if (!bio)
		return -ENOMEM;
	for (;;) {
		X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (!x)
			break;
		unsigned char *der = NULL;
		int n = i2d_X509(x, &der);
		rc = n > 0 ? trust_list_add_dcc_cert(t, der, (size_t)n, NULL, NULL) : -EINVAL;
		OPENSSL_free(der);
		X509_free(x);
		if (rc < 0)
			break;
		count++;
	}
	BIO_free(bio);
	return rc < 0 ? rc : count > 0 ? count : -EINVAL;
}

static int add_json_signers(struct trust_list *t, const char *text, size_t len)
{
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *list = json_is_object(root) ? json_object_get(root, "certificates") : root;
	int rc = -EINVAL, count = 0;
	if (!json_is_array(list) || json_array_size(list) == 0)
		goto out_json;
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		const char *b64 = json_string_value(json_object_get(e, "rawData"));
		if (!b64)
			b64 = json_string_value(json_object_get(e, "certificate"));
		json_t *kid = json_object_get(e, "kid");
		size_t der_len = 0;
		uint8_t *der = b64 ? b64_std_decode(b64, &der_len) : NULL;
		if (!der || (kid && !json_is_string(kid))) {
			free(der);
			rc = -EINVAL;
			goto out_json;
		}
		rc = trust_list_add_dcc_cert(t, der, der_len, json_string_value(kid), NULL);
		free(der);
		if (rc < 0)
			goto out_json;
		count++;
	}
	rc = count;
out_json:
	json_decref(root);
	return rc;
}

int trust_list_add_dcc_signers(struct trust_list *t, const char *text, size_t len)
{
	int n_keys = t->n_keys;
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	int rc = i < len && text[i] == '-' ? add_pem_signers(t, text, len)
	                                   : add_json_signers(t, text, len);
	if (rc < 0)
		roll_back(t, n_keys);
	return rc;
}

static int add_shc_jwk(struct trust_list *t, const char *issuer, json_t *jwk)
{
	uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
	char thumb[JWS_THUMBPRINT_LEN + 1];
	struct trust_key k = {.kind = TRUST_KEY_SHC};
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	const char *crv = json_string_value(json_object_get(jwk, "crv"));
	const char *kid = json_string_value(json_object_get(jwk, "kid"));
	json_t *use = json_object_get(jwk, "use"), *alg = json_object_get(jwk, "alg");
	if (!kty || strcmp(kty, "EC") != 0 || !crv || strcmp(crv, "P-256") != 0 || !kid ||
	    json_object_get(jwk, "d") ||
	    (use && (!json_is_string(use) || strcmp(json_string_value(use), "sig") != 0)) ||
	    (alg && (!json_is_string(alg) || strcmp(json_string_value(alg), "ES256") != 0)))
		return -EINVAL;
	const char *xs = json_string_value(json_object_get(jwk, "x"));
	const char *ys = json_string_value(json_object_get(jwk, "y"));
	if (!xs || !ys || b64url_decode(xs, strlen(xs), x, sizeof x) != (int)sizeof x ||
	    b64url_decode(ys, strlen(ys), y, sizeof y) != (int)sizeof y ||
	    jws_p256_thumbprint(x, y, thumb) < 0 || strcmp(thumb, kid) != 0)
		return -EINVAL;
	k.pkey = jws_p256_public_from_xy(x, y);
	if (!k.pkey)
		return -EINVAL;
	strcpy(k.kid, kid);
	strcpy(k.issuer, issuer);
	return append_key(t, &k);
}

int trust_list_add_shc_jwks(struct trust_list *t, const char *issuer, const char *json, size_t len)
{
	int n_keys = t->n_keys, rc = -EINVAL, count = 0;
	if (!issuer || !*issuer || strlen(issuer) >= TRUST_ISSUER_MAX)
		return -EINVAL;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *keys = json_object_get(root, "keys");
	if (!json_is_array(keys) || json_array_size(keys) == 0)
		goto out_json;
	size_t i;
	json_t *jwk;
	json_array_foreach(keys, i, jwk)
	{
		rc = add_shc_jwk(t, issuer, jwk);
		if (rc < 0)
			goto out_json;
		count++;
	}
	rc = count;
out_json:
	json_decref(root);
	if (rc < 0)
		roll_back(t, n_keys);
	return rc;
}

static bool parse_rid(const char *s, struct trust_rid *r)
{
	const char *dot = strchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : strlen(s);
	uint8_t bin[RID_MAX_CHARS];
	if (n == 0 || n > RID_MAX_CHARS || b64url_decode(s, n, bin, sizeof bin) < 0)
		return false;
	memcpy(r->rid, s, n);
	r->rid[n] = '\0';
	r->before = INT64_MAX;
	if (dot) {
		char *end = NULL;
		if (!dot[1] || dot[1] < '0' || dot[1] > '9')
			return false;
		long long v = strtoll(dot + 1, &end, 10);
		if (*end || v < 0)
			return false;
		r->before = v;
	}
	return true;
}

int trust_list_add_shc_crl(struct trust_list *t, const char *json, size_t len)
{
	int rc = -EINVAL;
	struct trust_rid *add = NULL;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	const char *kid = json_string_value(json_object_get(root, "kid"));
	const char *method = json_string_value(json_object_get(root, "method"));
	json_t *rids = json_object_get(root, "rids");
	if (!kid || !method || strcmp(method, "rid") != 0 || !json_is_array(rids) ||
	    !json_is_integer(json_object_get(root, "ctr")) || strlen(kid) >= TRUST_KID_MAX)
		goto out_json;
	if (!trust_list_find_key(t, kid)) {
		rc = -ENOENT;
		goto out_json;
	}
	size_t n = json_array_size(rids);
	add = calloc(n ? n : 1, sizeof *add);
	if (!add) {
		rc = -ENOMEM;
		goto out_json;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(rids, i));
		if (!s || !parse_rid(s, &add[i]))
			goto out_json;
		strcpy(add[i].kid, kid);
		for (size_t j = 0; j < i; j++)
			if (strcmp(add[j].rid, add[i].rid) == 0)
				goto out_json; /* duplicate rid */
	}
	struct trust_rid *grown = realloc(t->rids, (t->n_rids + n + 1) * sizeof *grown);
	if (!grown) {
		rc = -ENOMEM;
		goto out_json;
	}
	t->rids = grown;
	memcpy(t->rids + t->n_rids, add, n * sizeof *add);
	t->n_rids += n;
	rc = (int)n;
out_json:
	free(add);
	json_decref(root);
	return rc;
}

int trust_list_add_shc_rid(struct trust_list *t, const char *kid, const char *rid)
{
	struct trust_rid r = {0};
	if (!kid || !rid || strlen(kid) >= TRUST_KID_MAX || !parse_rid(rid, &r))
		return -EINVAL;
	if (!trust_list_find_key(t, kid))
		return -ENOENT;
	strcpy(r.kid, kid);
	for (size_t i = 0; i < t->n_rids; i++)
		if (strcmp(t->rids[i].kid, kid) == 0 && strcmp(t->rids[i].rid, r.rid) == 0 &&
		    t->rids[i].before == r.before)
			return 0;
	struct trust_rid *grown = realloc(t->rids, (t->n_rids + 1) * sizeof *grown);
	if (!grown)
		return -ENOMEM;
	t->rids = grown;
	t->rids[t->n_rids++] = r;
	return 0;
}

void trust_rid_format(const struct trust_rid *r, char *out, size_t size)
{
	if (r->before == INT64_MAX)
		snprintf(out, size, "%s", r->rid);
	else
		snprintf(out, size, "%s.%lld", r->rid, (long long)r->before);
}

bool trust_list_rid_revoked(const struct trust_list *t, const char *kid, const char *rid,
                            int64_t nbf)
{
	if (!rid || !*rid)
		return false;
	for (size_t i = 0; i < t->n_rids; i++)
		if (strcmp(t->rids[i].rid, rid) == 0 && strcmp(t->rids[i].kid, kid) == 0 &&
		    nbf < t->rids[i].before)
			return true;
	return false;
}

int trust_list_add_intl_key(struct trust_list *t, const struct trust_key *k)
{
	struct trust_key copy = *k;
	if ((k->kind != TRUST_KEY_DCC && k->kind != TRUST_KEY_SHC) || !k->pkey || !k->kid[0] ||
	    !memchr(k->kid, '\0', sizeof k->kid) || !memchr(k->issuer, '\0', sizeof k->issuer) ||
	    !key_acceptable(k->pkey) ||
	    (k->kind == TRUST_KEY_SHC && EVP_PKEY_get_base_id(k->pkey) == EVP_PKEY_RSA) ||
	    !EVP_PKEY_up_ref(k->pkey))
		return -EINVAL;
	copy.revoked = false;
	copy.demo = false;
	return append_key(t, &copy);
}
