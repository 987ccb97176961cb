/* app/service/trust_store.c: health-code keys in and out of the store: checked JWKs in, a
 * trust list out, subject keys found by issuer, and the arrivals' subject ids filled. */
#include "app/service/trust_store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "app/core/b64url.h"
#include "app/core/manifest.h"
#include "app/store/store.h"
#include "app/sys/sys.h"

static void say(char *detail, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *detail, size_t size, const char *fmt, ...)
{
	if (!detail || !size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, size, fmt, ap);
	va_end(ap);
}

static bool is_subject_row(const struct issuer_key *k)
{
	return strcmp(k->alg, TRUST_STORE_ALG_SUBJECT) == 0;
}

/* A subject key's kid when its JWK has none: what healthcode_subject_keygen() uses. */
static void subject_kid(const struct trust_subject_key *k, char kid[TRUST_KID_MAX])
{
	uint8_t digest[32];
	EVP_Digest(k->key, k->len, digest, NULL, EVP_sha256(), NULL);
	b64url_encode(digest, 12, kid, TRUST_KID_MAX);
}

/* The row a checked key of the scratch list becomes. */
static int row_of_subject(const struct trust_subject_key *k, struct issuer_key *row)
{
	char kbuf[B64URL_ENCODED_LEN(TRUST_SUBJECT_KEY_MAX) + 1];
	if (b64url_encode(k->key, k->len, kbuf, sizeof(kbuf)) < 0)
		return -EINVAL;
	snprintf(row->kid, sizeof(row->kid), "%s", k->kid);
	if (!row->kid[0])
		subject_kid(k, row->kid);
	snprintf(row->issuer, sizeof(row->issuer), "%s", k->issuer);
	snprintf(row->alg, sizeof(row->alg), "%s", TRUST_STORE_ALG_SUBJECT);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "oct", "use", "hcsub", "iss",
	                      k->issuer, "kid", row->kid, "k", kbuf);
	OPENSSL_cleanse(kbuf, sizeof(kbuf));
	if (!o)
		return -ENOMEM;
	size_t need = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = -ENOSPC;
	if (need > 0 && need < sizeof(row->public_key)) {
		json_dumpb(o, row->public_key, need, JSON_COMPACT | JSON_PRESERVE_ORDER);
		row->public_key[need] = '\0';
		rc = 0;
	}
	json_decref(o);
	return rc;
}

/* Check one JWK (a JSON object) into a row. 0, or -EINVAL with detail. */
static int row_of_jwk(json_t *jwk, bool demo, struct issuer_key *row, char *detail, size_t size)
{
	struct trust_list *t = trust_list_new();
	char kid[TRUST_KID_MAX];
	int rc = -ENOMEM;
	char *text = NULL;
	if (!t)
		return -ENOMEM;
	if (!json_is_object(jwk)) {
		say(detail, size, "a key is not a JSON object");
		rc = -EINVAL;
		goto out_free;
	}
	if (json_object_get(jwk, "d")) {
		say(detail, size, "a private key (member \"d\") is refused: give the public JWK");
		rc = -EINVAL;
		goto out_free;
	}
	text = json_dumps(jwk, JSON_COMPACT);
	if (!text)
		goto out_free;
	rc = trust_list_add_jwk(t, text, strlen(text), kid);
	if (rc < 0) {
		say(detail, size,
		    "not a key we trust: a P-256 signing key with \"iss\", or an "
		    "\"hcsub\" oct subject key with \"iss\"");
		rc = -EINVAL;
		goto out_free;
	}
	memset(row, 0, sizeof(*row));
	if (t->n_keys == 1) {
		struct trust_key *k = &t->keys[0];
		k->demo = k->demo || demo;
		snprintf(row->kid, sizeof(row->kid), "%s", k->kid);
		snprintf(row->issuer, sizeof(row->issuer), "%s", k->issuer);
		snprintf(row->alg, sizeof(row->alg), "%s", TRUST_STORE_ALG_SIGNING);
		row->demo = k->demo;
		rc =
		    trust_key_to_jwk(k, row->public_key, sizeof(row->public_key)) < 0 ? -EINVAL : 0;
	} else if (t->n_subject_keys == 1) {
		row->demo = demo;
		rc = row_of_subject(&t->subject_keys[0], row);
	} else {
		rc = -EINVAL;
	}
	if (rc == 0 && !row->issuer[0]) {
		say(detail, size, "key %s names no issuer (\"iss\")", row->kid);
		rc = -EINVAL;
	}
out_free:
	if (text) {
		OPENSSL_cleanse(text, strlen(text));
		free(text);
	}
	OPENSSL_cleanse(t->subject_keys, sizeof(t->subject_keys));
	trust_list_free(t);
	return rc;
}

int trust_store_add_jwks(struct store *st, const char *json, size_t len, bool demo, int64_t now,
                         struct trust_store_added *added, size_t *n, char *detail,
                         size_t detail_size)
{
	struct issuer_key *rows = NULL;
	json_error_t jerr;
	size_t count = 0;
	int rc = -EINVAL;
	*n = 0;
	say(detail, detail_size, "%s", "");
	if (memmem(json, len, "PRIVATE KEY", 11)) {
		say(detail, detail_size, "a PEM private key is refused: give the public JWK");
		return -EINVAL;
	}
	json_t *root = json_loadb(json, len, 0, &jerr);
	if (!json_is_object(root)) {
		say(detail, detail_size, "not a JWK or JWK Set (JSON object expected)");
		goto out_free;
	}
	json_t *keys = json_object_get(root, "keys");
	size_t total = keys ? json_array_size(keys) : 1;
	if ((keys && !json_is_array(keys)) || total == 0) {
		say(detail, detail_size, "a JWK Set needs a non-empty \"keys\" array");
		goto out_free;
	}
	if (total > TRUST_STORE_ADD_MAX) {
		say(detail, detail_size, "more than %d keys in one file", TRUST_STORE_ADD_MAX);
		rc = -E2BIG;
		goto out_free;
	}
	rows = calloc(total, sizeof(*rows));
	if (!rows) {
		rc = -ENOMEM;
		goto out_free;
	}
	/* check everything first: nothing is written unless every key is good */
	for (count = 0; count < total; count++) {
		json_t *jwk = keys ? json_array_get(keys, count) : root;
		struct trust_store_added *a = &added[count];
		rc = row_of_jwk(jwk, demo, &rows[count], detail, detail_size);
		if (rc < 0)
			goto out_free;
		memset(a, 0, sizeof(*a));
		snprintf(a->kid, sizeof(a->kid), "%s", rows[count].kid);
		snprintf(a->issuer, sizeof(a->issuer), "%s", rows[count].issuer);
		a->subject = is_subject_row(&rows[count]);
		a->demo = rows[count].demo;
		struct issuer_key have;
		int got = store_issuer_key_get(st, rows[count].kid, &have);
		if (got == 0) {
			bool same = strcmp(have.alg, rows[count].alg) == 0 &&
			            strcmp(have.public_key, rows[count].public_key) == 0;
			OPENSSL_cleanse(&have, sizeof(have));
			if (!same) {
				say(detail, detail_size, "kid %s is already taken by another key",
				    rows[count].kid);
				rc = -EEXIST;
				goto out_free;
			}
			a->already = true;
		} else if (got != STORE_E_NOT_FOUND) {
			rc = got;
			goto out_free;
		}
		for (size_t j = 0; j < count; j++)
			if (strcmp(rows[j].kid, rows[count].kid) == 0 && !added[j].already) {
				a->already = true; /* named twice in the file: written once */
				break;
			}
	}
	for (size_t i = 0; i < count; i++) {
		if (added[i].already)
			continue;
		rows[i].added_at = now;
		rc = store_issuer_key_add(st, &rows[i]);
		if (rc < 0) {
			say(detail, detail_size, "cannot store key %s: %s", rows[i].kid,
			    store_errmsg(st));
			goto out_free;
		}
	}
	*n = count;
	rc = 0;
out_free:
	if (rows) {
		OPENSSL_cleanse(rows, total * sizeof(*rows));
		free(rows);
	}
	json_decref(root);
	return rc;
}

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t fingerprint_of(const struct issuer_key *rows, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		const struct issuer_key *k = &rows[i];
		h = fnv(h, k->kid, strlen(k->kid) + 1);
		h = fnv(h, k->issuer, strlen(k->issuer) + 1);
		h = fnv(h, k->alg, strlen(k->alg) + 1);
		h = fnv(h, k->public_key, strlen(k->public_key) + 1);
		unsigned char demo = k->demo;
		h = fnv(h, &demo, 1);
		h = fnv(h, &k->revoked_at, sizeof(k->revoked_at));
	}
	return h;
}

static void free_rows(struct issuer_key *rows, size_t n)
{
	if (!rows)
		return;
	OPENSSL_cleanse(rows, n * sizeof(*rows));
	free(rows);
}

/* The SMART rid revocations: rows of revocations under TRUST_STORE_RID_PREFIX. */
static int rid_rows(struct store *st, struct revocation_record **rows, size_t *n)
{
	return store_revocations_list(st, TRUST_STORE_RID_PREFIX, rows, n);
}

static uint64_t fingerprint_rids(uint64_t h, const struct revocation_record *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h = fnv(h, rows[i].issuer, strlen(rows[i].issuer) + 1);
		h = fnv(h, rows[i].credential_id, strlen(rows[i].credential_id) + 1);
	}
	return h;
}

int trust_store_fingerprint(struct store *st, uint64_t *out)
{
	struct issuer_key *rows = NULL;
	struct revocation_record *rids = NULL;
	size_t n = 0, n_rids = 0;
	int rc = store_issuer_keys_list(st, &rows, &n);
	if (rc == 0)
		rc = rid_rows(st, &rids, &n_rids);
	if (rc == 0)
		*out = fingerprint_rids(fingerprint_of(rows, n), rids, n_rids);
	free_rows(rows, n);
	free(rids);
	return rc;
}

/* "shc-rid:KID:RID" onto the list; false when it is not such a row or does not load. */
static bool load_rid_row(struct trust_list *t, const struct revocation_record *r)
{
	const char *kid = r->credential_id + strlen(TRUST_STORE_RID_PREFIX);
	const char *colon = strchr(kid, ':');
	char k[TRUST_KID_MAX];
	if (!colon || (size_t)(colon - kid) >= sizeof(k))
		return false;
	memcpy(k, kid, (size_t)(colon - kid));
	k[colon - kid] = '\0';
	const struct trust_key *key = trust_list_find_key(t, k);
	return key && key->kind == TRUST_KEY_SHC && strcmp(key->issuer, r->issuer) == 0 &&
	       trust_list_add_shc_rid(t, k, colon + 1) == 0;
}

/* One DCC or SMART row into the list. */
static int load_intl_row(struct trust_list *t, const struct issuer_key *row)
{
	struct trust_key k = {0};
	int rc = -EINVAL;
	snprintf(k.kid, sizeof(k.kid), "%s", row->kid);
	snprintf(k.issuer, sizeof(k.issuer), "%s", row->issuer);
	if (strcmp(row->alg, TRUST_STORE_ALG_SHC) == 0) {
		char jwks[STORE_KEY_MAX + 16];
		snprintf(jwks, sizeof(jwks), "{\"keys\":[%s]}", row->public_key);
		rc = trust_list_add_shc_jwks(t, row->issuer, jwks, strlen(jwks));
		return rc < 0 ? rc : 0;
	}
	json_t *o = json_loads(row->public_key, 0, NULL);
	const char *spki = json_string_value(json_object_get(o, "spki"));
	uint8_t der[STORE_KEY_MAX];
	int n = spki ? EVP_DecodeBlock(der, (const unsigned char *)spki, (int)strlen(spki)) : -1;
	const unsigned char *p = der;
	if (n > 0) {
		k.kind = TRUST_KEY_DCC;
		k.usage = (unsigned)json_integer_value(json_object_get(o, "usage"));
		k.not_before = json_integer_value(json_object_get(o, "nbf"));
		k.not_after = json_integer_value(json_object_get(o, "naf"));
		k.pkey = d2i_PUBKEY(NULL, &p, n);
		rc = k.pkey ? trust_list_add_intl_key(t, &k) : -EINVAL;
		EVP_PKEY_free(k.pkey);
	}
	json_decref(o);
	return rc;
}

/* The store row of a DCC or SMART key of a list. */
static int row_of_intl_key(const struct trust_key *k, struct issuer_key *row)
{
	memset(row, 0, sizeof(*row));
	snprintf(row->kid, sizeof(row->kid), "%s", k->kid);
	snprintf(row->issuer, sizeof(row->issuer), "%s", k->issuer);
	if (k->kind == TRUST_KEY_SHC) {
		snprintf(row->alg, sizeof(row->alg), "%s", TRUST_STORE_ALG_SHC);
		return trust_key_to_jwk(k, row->public_key, sizeof(row->public_key)) < 0 ? -EINVAL
		                                                                         : 0;
	}
	snprintf(row->alg, sizeof(row->alg), "%s", TRUST_STORE_ALG_DCC);
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k->pkey, &der);
	char b64[STORE_KEY_MAX];
	if (n <= 0 || (size_t)(n + 2) / 3 * 4 + 1 > sizeof(b64) - 100) {
		OPENSSL_free(der);
		return -EINVAL;
	}
	EVP_EncodeBlock((unsigned char *)b64, der, n);
	OPENSSL_free(der);
	int w = snprintf(row->public_key, sizeof(row->public_key),
	                 "{\"spki\":\"%s\",\"usage\":%u,\"nbf\":%lld,\"naf\":%lld}", b64, k->usage,
	                 (long long)k->not_before, (long long)k->not_after);
	return w > 0 && (size_t)w < sizeof(row->public_key) ? 0 : -EINVAL;
}

int trust_store_import(struct store *st, const char *text, size_t len, const char *shc_issuer,
                       int64_t now, struct trust_store_added **added, size_t *n, char *detail,
                       size_t detail_size)
{
	struct trust_list *t = trust_list_new();
	struct issuer_key *rows = NULL;
	struct trust_store_added *out = NULL;
	size_t fresh = 0;
	int rc = -ENOMEM;
	*added = NULL;
	*n = 0;
	say(detail, detail_size, "%s", "");
	if (!t)
		return -ENOMEM;
	rc = shc_issuer ? trust_list_add_shc_jwks(t, shc_issuer, text, len)
	                : trust_list_add_dcc_signers(t, text, len);
	if (rc < 0) {
		say(detail, detail_size, "%s",
		    rc == -ENOSPC ? "more signers than one trust list holds"
		    : shc_issuer
		        ? "not a SMART issuer JWKS (EC P-256 ES256 keys named by their RFC 7638 "
		          "thumbprint, no private part)"
		        : "not a DCC signer list (PEM certificates or JSON with base64 rawData; "
		          "P-256 or RSA keys)");
		rc = rc == -EEXIST ? -EEXIST : rc == -ENOMEM ? -ENOMEM : -EINVAL;
		goto out_free;
	}
	out = calloc((size_t)t->n_keys + 1, sizeof(*out));
	rows = calloc((size_t)t->n_keys + 1, sizeof(*rows));
	if (!out || !rows) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (int i = 0; i < t->n_keys; i++) {
		struct trust_store_added *a = &out[i];
		struct issuer_key *row = &rows[fresh];
		rc = row_of_intl_key(&t->keys[i], row);
		if (rc < 0) {
			say(detail, detail_size, "key %s cannot be stored", t->keys[i].kid);
			goto out_free;
		}
		snprintf(a->kid, sizeof(a->kid), "%s", row->kid);
		snprintf(a->issuer, sizeof(a->issuer), "%s", row->issuer);
		struct issuer_key have;
		int got = store_issuer_key_get(st, row->kid, &have);
		if (got == 0) {
			if (strcmp(have.alg, row->alg) != 0 ||
			    strcmp(have.public_key, row->public_key) != 0) {
				say(detail, detail_size, "kid %s is already taken by another key",
				    row->kid);
				rc = -EEXIST;
				goto out_free;
			}
			a->already = true;
		} else if (got != STORE_E_NOT_FOUND) {
			rc = got;
			goto out_free;
		} else {
			row->added_at = now;
			fresh++;
		}
	}
	rc = store_issuer_keys_add_all(st, rows, fresh);
	if (rc != 0) {
		say(detail, detail_size, "cannot store the keys: %s", store_errmsg(st));
		goto out_free;
	}
	*added = out;
	*n = (size_t)t->n_keys;
	out = NULL;
out_free:
	free(out);
	free(rows);
	trust_list_free(t);
	return rc;
}

struct trust_list *trust_store_load(struct store *st, uint64_t *fingerprint, int *status)
{
	struct issuer_key *rows = NULL;
	size_t n = 0;
	int rc = store_issuer_keys_list(st, &rows, &n);
	struct trust_list *t = NULL;
	if (rc != 0)
		goto out_free;
	t = trust_list_new();
	if (!t) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < n; i++) {
		const struct issuer_key *row = &rows[i];
		char kid[TRUST_KID_MAX];
		if (strcmp(row->alg, TRUST_STORE_ALG_DCC) == 0 ||
		    strcmp(row->alg, TRUST_STORE_ALG_SHC) == 0) {
			int got = load_intl_row(t, row);
			if (got < 0)
				log_warn("trust: issuer key %s does not load (%d); skipped",
				         row->kid, got);
			else if (row->revoked_at)
				trust_list_revoke_key(t, row->kid);
			continue;
		}
		if (strcmp(row->alg, TRUST_STORE_ALG_SIGNING) != 0)
			continue;
		int added = trust_list_add_jwk(t, row->public_key, strlen(row->public_key), kid);
		struct trust_key *k =
		    added == 0 ? (struct trust_key *)trust_list_find_key(t, kid) : NULL;
		if (!k) {
			log_warn("trust: issuer key %s does not load (%d); skipped", row->kid,
			         added);
			continue;
		}
		k->demo = k->demo || row->demo;
		if (row->revoked_at)
			trust_list_revoke_key(t, kid);
	}
	struct revocation_record *rids = NULL;
	size_t n_rids = 0;
	rc = rid_rows(st, &rids, &n_rids);
	if (rc != 0) {
		trust_list_free(t);
		t = NULL;
		goto out_free;
	}
	for (size_t i = 0; i < n_rids; i++)
		if (!load_rid_row(t, &rids[i]))
			log_warn("trust: revocation %s of %s names no trusted SMART key; skipped",
			         rids[i].credential_id, rids[i].issuer);
	if (fingerprint)
		*fingerprint = fingerprint_rids(fingerprint_of(rows, n), rids, n_rids);
	free(rids);
out_free:
	free_rows(rows, n);
	if (status)
		*status = rc;
	return t;
}

/* The rids of json (a revocation list) that t does not hold yet, stored; reason says where
 * they came from. */
static int store_crl(struct store *st, const char *json, size_t len, int64_t now,
                     const char *reason, size_t *added, size_t *already, char *detail,
                     size_t detail_size)
{
	struct revocation_record *rows = NULL;
	int rc = -ENOMEM;
	size_t fresh = 0, held = 0;
	say(detail, detail_size, "%s", "");
	struct trust_list *t = trust_store_load(st, NULL, &rc);
	if (!t)
		return rc ? rc : -ENOMEM;
	json_t *root = json_loadb(json, len, 0, NULL);
	const char *kid = json_string_value(json_object_get(root, "kid"));
	const struct trust_key *key = kid ? trust_list_find_key(t, kid) : NULL;
	if (!key || key->kind != TRUST_KEY_SHC) {
		say(detail, detail_size, "%s",
		    kid ? "its kid is no trusted SMART key" : "not a revocation list: no \"kid\"");
		rc = kid ? -ENOENT : -EINVAL;
		goto out_free;
	}
	char issuer[TRUST_ISSUER_MAX];
	snprintf(issuer, sizeof(issuer), "%s", key->issuer);
	size_t before = t->n_rids;
	rc = trust_list_add_shc_crl(t, json, len);
	if (rc < 0) {
		say(detail, detail_size,
		    "not a SMART revocation list {\"kid\",\"method\":\"rid\","
		    "\"ctr\",\"rids\":[...]} (rids base64url of at most 16 "
		    "characters, optionally .TIME; no duplicates)");
		rc = rc == -ENOMEM ? -ENOMEM : -EINVAL;
		goto out_free;
	}
	rows = calloc(t->n_rids - before + 1, sizeof(*rows));
	if (!rows) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (size_t i = before; i < t->n_rids; i++) {
		struct revocation_record *r = &rows[fresh];
		char rid[48];
		trust_rid_format(&t->rids[i], rid, sizeof(rid));
		snprintf(r->issuer, sizeof(r->issuer), "%s", issuer);
		snprintf(r->credential_id, sizeof(r->credential_id), "%s%s:%s",
		         TRUST_STORE_RID_PREFIX, kid, rid);
		snprintf(r->reason, sizeof(r->reason), "%s", reason);
		r->revoked_at = now;
		bool have = false;
		rc = store_revocation_has(st, r->issuer, r->credential_id, &have);
		if (rc != 0)
			goto out_free;
		if (have)
			held++;
		else
			fresh++;
	}
	rc = store_revocations_add_all(st, rows, fresh);
	if (rc != 0)
		say(detail, detail_size, "cannot store the revocations: %s", store_errmsg(st));
out_free:
	if (added)
		*added = rc == 0 ? fresh : 0;
	if (already)
		*already = rc == 0 ? held : 0;
	free(rows);
	json_decref(root);
	trust_list_free(t);
	return rc;
}

int trust_store_import_shc_crl(struct store *st, const char *json, size_t len, int64_t now,
                               size_t *added, size_t *already, char *detail, size_t detail_size)
{
	char reason[64];
	json_t *root = json_loadb(json, len, 0, NULL);
	snprintf(reason, sizeof(reason), "SMART revocation list, ctr %lld",
	         (long long)json_integer_value(json_object_get(root, "ctr")));
	json_decref(root);
	return store_crl(st, json, len, now, reason, added, already, detail, detail_size);
}

int trust_store_revoke_rid(struct store *st, const char *kid, const char *rid, int64_t now,
                           bool *already, char *detail, size_t detail_size)
{
	if (!kid || !rid)
		return -EINVAL;
	json_t *crl =
	    json_pack("{s:s, s:s, s:i, s:[s]}", "kid", kid, "method", "rid", "ctr", 0, "rids", rid);
	char *text = crl ? json_dumps(crl, JSON_COMPACT) : NULL;
	json_decref(crl);
	if (!text)
		return -ENOMEM;
	size_t held = 0;
	int rc = store_crl(st, text, strlen(text), now, "revoked by hand", NULL, &held, detail,
	                   detail_size);
	free(text);
	if (already)
		*already = held > 0;
	return rc;
}

int trust_store_subject_key(struct store *st, const char *issuer, struct trust_subject_key *out)
{
	struct issuer_key *rows = NULL;
	size_t n = 0;
	int rc = store_issuer_keys_list(st, &rows, &n);
	if (rc != 0)
		return rc;
	const struct issuer_key *best = NULL;
	rc = -ENOENT;
	for (size_t i = 0; i < n; i++) {
		const struct issuer_key *k = &rows[i];
		if (!is_subject_row(k) || k->revoked_at ||
		    (issuer && strcmp(k->issuer, issuer) != 0))
			continue;
		if (best && !issuer && strcmp(best->issuer, k->issuer) != 0) {
			rc = -EEXIST; /* several issuers: the caller must say which */
			goto out_free;
		}
		if (!best || k->added_at < best->added_at)
			best = k;
	}
	if (!best)
		goto out_free;
	struct trust_list *t = trust_list_new();
	if (!t) {
		rc = -ENOMEM;
		goto out_free;
	}
	rc = trust_list_add_jwk(t, best->public_key, strlen(best->public_key), NULL) == 0 &&
	             t->n_subject_keys == 1
	         ? 0
	         : -EINVAL;
	if (rc == 0)
		*out = t->subject_keys[0];
	OPENSSL_cleanse(t->subject_keys, sizeof(t->subject_keys));
	trust_list_free(t);
out_free:
	free_rows(rows, n);
	return rc;
}

const char *trust_store_doc_type_code(const char *manifest_doc_type)
{
	static const struct {
		const char *manifest, *code;
	} map[] = {
	    {"id_card", "ID"},        {"passport", "P"},  {"hk_macao_permit", "HKM"},
	    {"taiwan_permit", "TWP"}, {"other", "OTHER"},
	};
	const char *canon = manifest_doc_type_canonical(manifest_doc_type);
	for (size_t i = 0; canon && i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(canon, map[i].manifest) == 0)
			return map[i].code;
	return NULL;
}

int trust_store_subject_of(const struct trust_subject_key *key, const char *manifest_doc_type,
                           const char *doc_number, char out[HEALTHCODE_SUBJECT_LEN + 1])
{
	const char *type = trust_store_doc_type_code(manifest_doc_type);
	if (!type)
		return -EINVAL;
	return healthcode_subject_id(key, type, doc_number, out);
}

struct fill {
	const struct trust_subject_key *key;
	bool only_missing;
	int64_t *ids;
	char (*subjects)[HEALTHCODE_SUBJECT_LEN + 1];
	size_t n, cap, skipped;
	int status;
};

static int fill_one(const struct arrival_record *a, void *ctx)
{
	struct fill *f = ctx;
	char sub[HEALTHCODE_SUBJECT_LEN + 1];
	if (f->only_missing && a->subject_id[0])
		return 0;
	if (trust_store_subject_of(f->key, a->doc_type, a->doc_number, sub) != 0) {
		f->skipped++;
		return 0;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		int64_t *ids = realloc(f->ids, cap * sizeof(*ids));
		if (ids)
			f->ids = ids;
		void *subs = realloc(f->subjects, cap * sizeof(*f->subjects));
		if (subs)
			f->subjects = subs;
		if (!ids || !subs) {
			f->status = -ENOMEM;
			return 1;
		}
		f->cap = cap;
	}
	f->ids[f->n] = a->id;
	memcpy(f->subjects[f->n], sub, sizeof(sub));
	f->n++;
	return 0;
}

int trust_store_fill_subjects(struct store *st, const char *issuer, bool only_missing,
                              size_t *filled, size_t *skipped)
{
	struct trust_subject_key key;
	struct fill f = {.key = &key, .only_missing = only_missing};
	const char **subs = NULL;
	int rc = trust_store_subject_key(st, issuer, &key);
	if (rc != 0)
		return rc;
	rc = store_arrivals_each(st, fill_one, &f);
	if (f.status)
		rc = f.status;
	if (rc != 0 || f.n == 0)
		goto out_free;
	subs = malloc(f.n * sizeof(*subs));
	if (!subs) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < f.n; i++)
		subs[i] = f.subjects[i];
	rc = store_arrivals_set_subjects(st, f.ids, subs, f.n);
out_free:
	OPENSSL_cleanse(&key, sizeof(key));
	if (filled)
		*filled = rc == 0 ? f.n : 0;
	if (skipped)
		*skipped = f.skipped;
	free(subs);
	free(f.ids);
	free(f.subjects);
	return rc;
}
