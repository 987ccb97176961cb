/* app/core/trustlist.h: the issuer keys a device trusts (a JWKS, RFC 7517), the issuers'
 * subject-hash keys, and the revoked keys and credentials. Built in memory from text the
 * store holds; reads no file. */
#ifndef HK_CORE_TRUSTLIST_H
#define HK_CORE_TRUSTLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define TRUST_KID_MAX          64 /* bytes, NUL included */
#define TRUST_ISSUER_MAX       64 /* bytes, NUL included */
#define TRUST_ID_MAX           64 /* a revoked credential id (jti) or subject, NUL included */
#define TRUST_MAX_KEYS         64 /* signing keys per list */
#define TRUST_MAX_SUBJECT_KEYS 16 /* subject-hash keys per list */
#define TRUST_SUBJECT_KEY_MIN  16 /* bytes of an HMAC subject key */
#define TRUST_SUBJECT_KEY_MAX  64
#define TRUST_JWK_MAX          512 /* bytes of the JWK text trust_key_to_jwk() writes, NUL included */

/* One issuer signing key (a P-256 public key). */
struct trust_key {
	char kid[TRUST_KID_MAX];       /* the JWK "kid", else its RFC 7638 thumbprint */
	char issuer[TRUST_ISSUER_MAX]; /* the JWK "iss": the "iss" claim codes must carry */
	EVP_PKEY *pkey;                /* owned by the list */
	bool demo;                     /* "demo": true: only devices in demo mode accept it */
	bool revoked;                  /* codes signed by it are refused (REASON_REVOKED) */
};

/* One issuer's key for the keyed hash of document numbers (the "sub" claim). */
struct trust_subject_key {
	char kid[TRUST_KID_MAX];
	char issuer[TRUST_ISSUER_MAX];
	uint8_t key[TRUST_SUBJECT_KEY_MAX];
	size_t len;
};

struct trust_list {
	struct trust_key keys[TRUST_MAX_KEYS];
	int n_keys;
	struct trust_subject_key subject_keys[TRUST_MAX_SUBJECT_KEYS];
	int n_subject_keys;
	char (*revoked)[TRUST_ID_MAX]; /* sorted (strcmp), n_revoked entries, owned */
	size_t n_revoked;
	size_t cap_revoked;
};

/* An empty list; NULL when out of memory. Free with trust_list_free(). */
struct trust_list *trust_list_new(void);
/* Frees the list and every key it holds; NULL is fine. */
void trust_list_free(struct trust_list *t);

/* Adds every key of a JWK Set ({"keys":[...]}, len bytes of JSON text). Signing keys are
 * {"kty":"EC","crv":"P-256","x","y","iss", optional "kid","use":"sig","alg":"ES256",
 * "demo":bool}; subject keys are {"kty":"oct","use":"hcsub","iss","k", optional "kid"}.
 * All or nothing: on any bad key nothing is added. A JWK carrying a private part ("d")
 * is refused. Re-adding an identical key is a no-op. Returns the number of keys in the
 * set, -EINVAL on a bad set, -EEXIST when a kid is already taken by another key, -ENOSPC
 * when the list is full. */
int trust_list_add_jwks(struct trust_list *t, const char *json, size_t len);

/* Adds one JWK (same rules as in a set); its kid is copied to kid_out when not NULL.
 * Returns 0 or the errors of trust_list_add_jwks(). */
int trust_list_add_jwk(struct trust_list *t, const char *json, size_t len,
                       char kid_out[TRUST_KID_MAX]);

/* Adds a signing key given as an EVP_PKEY (P-256; the list takes its own reference).
 * kid may be NULL: the RFC 7638 thumbprint is used. Returns 0, -EINVAL, -EEXIST, -ENOSPC. */
int trust_list_add_key(struct trust_list *t, const char *issuer, const char *kid, EVP_PKEY *pkey,
                       bool demo);

/* Adds a subject-hash key (len bytes, TRUST_SUBJECT_KEY_MIN..MAX). kid may be NULL.
 * Returns 0, -EINVAL, -ENOSPC. */
int trust_list_add_subject_key(struct trust_list *t, const char *issuer, const char *kid,
                               const uint8_t *key, size_t len);

/* Marks the signing key kid revoked. Returns 0, or -ENOENT when no such key. */
int trust_list_revoke_key(struct trust_list *t, const char *kid);

/* Revokes a credential by its "jti" or every credential of a subject by its "sub".
 * Returns 0, -EINVAL (empty or too long), -ENOMEM. */
int trust_list_revoke_id(struct trust_list *t, const char *id);

/* True when id (a jti or sub) was revoked. */
bool trust_list_is_revoked(const struct trust_list *t, const char *id);

/* The signing key with this kid, or NULL. Borrowed from the list. */
const struct trust_key *trust_list_find_key(const struct trust_list *t, const char *kid);

/* The subject-hash key of an issuer (the first added), or NULL. Borrowed. */
const struct trust_subject_key *trust_list_find_subject_key(const struct trust_list *t,
                                                            const char *issuer);

/* The public JWK of a signing key as one line of JSON ({"kty":"EC","crv":"P-256","x",
 * "y","kid","iss","use":"sig","alg":"ES256"[,"demo":true]}) into out (out_size bytes).
 * Returns the length, -ENOSPC or -EINVAL. */
int trust_key_to_jwk(const struct trust_key *k, char *out, size_t out_size);

#endif
