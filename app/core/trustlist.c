/* app/core/trustlist.c: the trust list: issuer keys from JWK / JWKS text (parsed with
 * jansson), subject-hash keys, and revocations kept sorted for binary search. */
#include "app/core/trustlist.h"

#include "app/core/b64url.h"
#include "app/core/jws.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

struct trust_list *trust_list_new(void)
{
	return calloc(1, sizeof(struct trust_list));
}

void trust_list_free(struct trust_list *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n_keys; i++)
		EVP_PKEY_free(t->keys[i].pkey);
	free(t->keys);
	free(t->revoked);
	free(t->rids);
	free(t);
}

int trust_list_keys_reserve(struct trust_list *t, int more)
{
	if (more < 0 || t->n_keys > TRUST_MAX_KEYS - more)
		return -ENOSPC;
	int need = t->n_keys + more;
	if (need <= t->cap_keys)
		return 0;
	int cap = t->cap_keys ? t->cap_keys : 16;
	while (cap < need)
		cap = cap > TRUST_MAX_KEYS / 2 ? TRUST_MAX_KEYS : cap * 2;
	struct trust_key *k = realloc(t->keys, (size_t)cap * sizeof(*k));
	if (!k)
		return -ENOMEM;
	t->keys = k;
	t->cap_keys = cap;
	return 0;
}

static bool copy_str(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n == 0 || n >= size)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

const struct trust_key *trust_list_find_key(const struct trust_list *t, const char *kid)
{
	for (int i = 0; kid && i < t->n_keys; i++)
		if (strcmp(t->keys[i].kid, kid) == 0)
			return &t->keys[i];
	return NULL;
}

const struct trust_subject_key *trust_list_find_subject_key(const struct trust_list *t,
                                                            const char *issuer)
{
	for (int i = 0; issuer && i < t->n_subject_keys; i++)
		if (strcmp(t->subject_keys[i].issuer, issuer) == 0)
			return &t->subject_keys[i];
	return NULL;
}

int trust_list_add_key(struct trust_list *t, const char *issuer, const char *kid, EVP_PKEY *pkey,
                       bool demo)
{
	uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
	struct trust_key k = {.demo = demo};
	if (jws_p256_xy(pkey, x, y) < 0 || !copy_str(k.issuer, sizeof k.issuer, issuer))
		return -EINVAL;
	if (kid) {
		if (!copy_str(k.kid, sizeof k.kid, kid))
			return -EINVAL;
	} else if (jws_p256_thumbprint(x, y, k.kid) < 0) {
		return -EINVAL;
	}
	const struct trust_key *old = trust_list_find_key(t, k.kid);
	if (old) {
		bool same = EVP_PKEY_eq(old->pkey, pkey) == 1 &&
		            strcmp(old->issuer, k.issuer) == 0 && old->demo == demo;
		return same ? 0 : -EEXIST;
	}
	int room = trust_list_keys_reserve(t, 1);
	if (room < 0)
		return room;
	if (!EVP_PKEY_up_ref(pkey))
		return -EINVAL;
	k.pkey = pkey;
	t->keys[t->n_keys++] = k;
	return 0;
}

int trust_list_add_subject_key(struct trust_list *t, const char *issuer, const char *kid,
                               const uint8_t *key, size_t len)
{
	struct trust_subject_key k = {.len = len};
	if (len < TRUST_SUBJECT_KEY_MIN || len > TRUST_SUBJECT_KEY_MAX ||
	    !copy_str(k.issuer, sizeof k.issuer, issuer) ||
	    (kid && !copy_str(k.kid, sizeof k.kid, kid)))
		return -EINVAL;
	memcpy(k.key, key, len);
	for (int i = 0; i < t->n_subject_keys; i++) {
		const struct trust_subject_key *o = &t->subject_keys[i];
		if (strcmp(o->issuer, k.issuer) == 0 && o->len == len &&
		    memcmp(o->key, key, len) == 0)
			return 0;
	}
	if (t->n_subject_keys >= TRUST_MAX_SUBJECT_KEYS)
		return -ENOSPC;
	t->subject_keys[t->n_subject_keys++] = k;
	return 0;
}

/* A base64url member of exactly want bytes. */
static bool get_b64_exact(json_t *jwk, const char *name, uint8_t *out, size_t want)
{
	const char *s = json_string_value(json_object_get(jwk, name));
	return s && b64url_decode(s, strlen(s), out, want) == (int)want;
}

/* An optional string member: absent is fine, otherwise it must equal want. */
static bool optional_is(json_t *jwk, const char *name, const char *want)
{
	json_t *v = json_object_get(jwk, name);
	return !v || (json_is_string(v) && strcmp(json_string_value(v), want) == 0);
}

static int add_ec_jwk(struct trust_list *t, json_t *jwk, char kid_out[TRUST_KID_MAX])
{
	uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
	json_t *demo = json_object_get(jwk, "demo");
	json_t *kid = json_object_get(jwk, "kid");
	const char *crv = json_string_value(json_object_get(jwk, "crv"));
	const char *iss = json_string_value(json_object_get(jwk, "iss"));
	if (!crv || strcmp(crv, "P-256") != 0 || json_object_get(jwk, "d") ||
	    !optional_is(jwk, "use", "sig") || !optional_is(jwk, "alg", "ES256") ||
	    (demo && !json_is_boolean(demo)) || (kid && !json_is_string(kid)) || !iss ||
	    !get_b64_exact(jwk, "x", x, sizeof x) || !get_b64_exact(jwk, "y", y, sizeof y))
		return -EINVAL;
	EVP_PKEY *pkey = jws_p256_public_from_xy(x, y);
	if (!pkey)
		return -EINVAL;
	int rc = trust_list_add_key(t, iss, json_string_value(kid), pkey, json_is_true(demo));
	if (rc == 0 && kid_out) {
		const struct trust_key *k = trust_list_find_key(t, json_string_value(kid));
		if (!k) { /* no kid given: it was the thumbprint */
			char tp[JWS_THUMBPRINT_LEN + 1];
			jws_p256_thumbprint(x, y, tp);
			k = trust_list_find_key(t, tp);
		}
		if (k)
			memcpy(kid_out, k->kid, TRUST_KID_MAX);
	}
	EVP_PKEY_free(pkey);
	return rc;
}

static int add_oct_jwk(struct trust_list *t, json_t *jwk, char kid_out[TRUST_KID_MAX])
{
	uint8_t key[TRUST_SUBJECT_KEY_MAX];
	json_t *kid = json_object_get(jwk, "kid");
	const char *use = json_string_value(json_object_get(jwk, "use"));
	const char *iss = json_string_value(json_object_get(jwk, "iss"));
	const char *k = json_string_value(json_object_get(jwk, "k"));
	if (!use || strcmp(use, "hcsub") != 0 || !iss || !k || (kid && !json_is_string(kid)))
		return -EINVAL;
	int n = b64url_decode(k, strlen(k), key, sizeof key);
	if (n < 0)
		return -EINVAL;
	int rc = trust_list_add_subject_key(t, iss, json_string_value(kid), key, (size_t)n);
	if (rc == 0 && kid_out) {
		kid_out[0] = '\0';
		if (kid)
			copy_str(kid_out, TRUST_KID_MAX, json_string_value(kid));
	}
	return rc;
}

static int add_jwk_value(struct trust_list *t, json_t *jwk, char kid_out[TRUST_KID_MAX])
{
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	if (!json_is_object(jwk) || !kty)
		return -EINVAL;
	if (strcmp(kty, "EC") == 0)
		return add_ec_jwk(t, jwk, kid_out);
	if (strcmp(kty, "oct") == 0)
		return add_oct_jwk(t, jwk, kid_out);
	return -EINVAL;
}

static void roll_back(struct trust_list *t, int n_keys, int n_subject_keys)
{
	while (t->n_keys > n_keys)
		EVP_PKEY_free(t->keys[--t->n_keys].pkey);
	t->n_subject_keys = n_subject_keys;
}

int trust_list_add_jwks(struct trust_list *t, const char *json, size_t len)
{
	int n_keys = t->n_keys, n_subject_keys = t->n_subject_keys;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *keys = json_object_get(root, "keys");
	int rc = -EINVAL;
	if (!json_is_array(keys))
		goto out_free_json;
	for (size_t i = 0; i < json_array_size(keys); i++) {
		rc = add_jwk_value(t, json_array_get(keys, i), NULL);
		if (rc < 0) {
			roll_back(t, n_keys, n_subject_keys);
			goto out_free_json;
		}
	}
	rc = (int)json_array_size(keys);
out_free_json:
	json_decref(root);
	return rc;
}

int trust_list_add_jwk(struct trust_list *t, const char *json, size_t len,
                       char kid_out[TRUST_KID_MAX])
{
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	int rc = root ? add_jwk_value(t, root, kid_out) : -EINVAL;
	json_decref(root);
	return rc;
}

int trust_list_revoke_key(struct trust_list *t, const char *kid)
{
	struct trust_key *k = (struct trust_key *)trust_list_find_key(t, kid);
	if (!k)
		return -ENOENT;
	k->revoked = true;
	return 0;
}

/* Index of the first entry not less than id. */
static size_t lower_bound(const struct trust_list *t, const char *id)
{
	size_t lo = 0, hi = t->n_revoked;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->revoked[mid], id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool trust_list_is_revoked(const struct trust_list *t, const char *id)
{
	if (!id || !*id)
		return false;
	size_t i = lower_bound(t, id);
	return i < t->n_revoked && strcmp(t->revoked[i], id) == 0;
}

int trust_list_revoke_id(struct trust_list *t, const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n >= TRUST_ID_MAX)
		return -EINVAL;
	size_t i = lower_bound(t, id);
	if (i < t->n_revoked && strcmp(t->revoked[i], id) == 0)
		return 0;
	if (t->n_revoked == t->cap_revoked) {
		size_t cap = t->cap_revoked ? t->cap_revoked * 2 : 64;
		void *p = realloc(t->revoked, cap * TRUST_ID_MAX);
		if (!p)
			return -ENOMEM;
		t->revoked = p;
		t->cap_revoked = cap;
	}
	memmove(t->revoked[i + 1], t->revoked[i], (t->n_revoked - i) * TRUST_ID_MAX);
	memcpy(t->revoked[i], id, n + 1);
	t->n_revoked++;
	return 0;
}

int trust_key_to_jwk(const struct trust_key *k, char *out, size_t out_size)
{
	uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
	char bx[B64URL_ENCODED_LEN(JWS_P256_COORD_LEN) + 1], by[sizeof bx];
	int rc = -EINVAL;
	if (jws_p256_xy(k->pkey, x, y) < 0)
		return -EINVAL;
	b64url_encode(x, sizeof x, bx, sizeof bx);
	b64url_encode(y, sizeof y, by, sizeof by);
	json_t *jwk =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256", "x",
	              bx, "y", by, "kid", k->kid, "iss", k->issuer, "use", "sig", "alg", "ES256");
	if (!jwk)
		return -EINVAL;
	if (k->demo && json_object_set_new(jwk, "demo", json_true()) < 0)
		goto out_free_jwk;
	size_t need = json_dumpb(jwk, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (need == 0)
		goto out_free_jwk;
	if (need + 1 > out_size) {
		rc = -ENOSPC;
		goto out_free_jwk;
	}
	json_dumpb(jwk, out, need, JSON_COMPACT | JSON_PRESERVE_ORDER);
	out[need] = '\0';
	rc = (int)need;
out_free_jwk:
	json_decref(jwk);
	return rc;
}
