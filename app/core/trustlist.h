/* app/core/trustlist.h: the issuer keys a device trusts (a JWKS, RFC 7517), the issuers'
 * subject-hash keys, and the revoked keys and credentials. Built in memory from text the
 * store holds; reads no file. */
#ifndef HK_CORE_TRUSTLIST_H
#define HK_CORE_TRUSTLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define TRUST_KID_MAX    64 /* bytes, NUL included */
#define TRUST_ISSUER_MAX 64 /* bytes, NUL included */
#define TRUST_ID_MAX     64 /* a revoked credential id (jti) or subject, NUL included */
#define TRUST_MAX_KEYS                                                                             \
	16384                     /* signing keys per list (the array grows to this: an            \
	                             EU DCC signer list holds hundreds) */
#define TRUST_MAX_SUBJECT_KEYS 16 /* subject-hash keys per list */
#define TRUST_SUBJECT_KEY_MIN  16 /* bytes of an HMAC subject key */
#define TRUST_SUBJECT_KEY_MAX  64
#define TRUST_JWK_MAX          512 /* bytes of the JWK text trust_key_to_jwk() writes, NUL included */

/* Which format's codes a signing key may sign. */
enum trust_key_kind {
	TRUST_KEY_SZHC, /* our health code: a P-256 JWK bound to an "iss" */
	TRUST_KEY_DCC,  /* EU DCC document signer: an X.509 certificate (P-256 or RSA) */
	TRUST_KEY_SHC,  /* SMART Health Card issuer: a P-256 JWK of the issuer's JWKS */
};

/* EU DCC certificate kinds a document signer may sign (its extended key usage). */
#define TRUST_USAGE_TEST        0x1u
#define TRUST_USAGE_VACCINATION 0x2u
#define TRUST_USAGE_RECOVERY    0x4u
#define TRUST_USAGE_ALL         0x7u

/* One issuer signing key (a P-256 public key; an EU DCC signer may also be RSA). */
struct trust_key {
	char kid[TRUST_KID_MAX];       /* the JWK "kid", else its RFC 7638 thumbprint */
	char issuer[TRUST_ISSUER_MAX]; /* the JWK "iss": the "iss" claim codes must carry */
	EVP_PKEY *pkey;                /* owned by the list */
	bool demo;                     /* "demo": true: only devices in demo mode accept it */
	bool revoked;                  /* codes signed by it are refused (REASON_REVOKED) */
	enum trust_key_kind kind;      /* TRUST_KEY_SZHC unless added by the functions below */
	unsigned usage;                /* DCC: TRUST_USAGE_* its certificate allows */
	int64_t not_before, not_after; /* DCC: the certificate's validity, unix s (0: none) */
};

/* A SMART Health Card revocation: credentials with this rid signed by key kid, issued
 * (nbf) before `before` (INT64_MAX: all of them), are revoked. */
struct trust_rid {
	char kid[TRUST_KID_MAX];
	char rid[24];
	int64_t before;
};

/* One issuer's key for the keyed hash of document numbers (the "sub" claim). */
struct trust_subject_key {
	char kid[TRUST_KID_MAX];
	char issuer[TRUST_ISSUER_MAX];
	uint8_t key[TRUST_SUBJECT_KEY_MAX];
	size_t len;
};

struct trust_list {
	struct trust_key *keys; /* n_keys entries, room for cap_keys, owned */
	int n_keys;
	int cap_keys;
	struct trust_subject_key subject_keys[TRUST_MAX_SUBJECT_KEYS];
	int n_subject_keys;
	char (*revoked)[TRUST_ID_MAX]; /* sorted (strcmp), n_revoked entries, owned */
	size_t n_revoked;
	size_t cap_revoked;
	struct trust_rid *rids; /* SMART revocations, n_rids entries, owned */
	size_t n_rids;
};

/* Room for `more` keys after the n_keys there are (the array may move: pointers into it from
 * trust_list_find_key() do not survive). Returns 0, -ENOSPC beyond TRUST_MAX_KEYS, or
 * -ENOMEM. For the modules that add keys. */
int trust_list_keys_reserve(struct trust_list *t, int more);

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

/* Adds an EU DCC document signer certificate (DER, len bytes). Its kid is the DCC key id:
 * standard base64 of the first 8 bytes of SHA-256 of the DER (12 characters), unless kid
 * is given. The key must be P-256 or RSA (2048..4096 bits); usage comes from the extended
 * key usage (the DCC OIDs 1.3.6.1.4.1.1847.2021.1.1/2/3 test/vaccination/recovery, also
 * under the early arc 1.3.6.1.4.1.0.1847.2021.1.*), all kinds when it names none; issuer is
 * the subject's country (C) or "". Returns 0, -EINVAL, -EEXIST (kid taken by another key),
 * -ENOSPC. The kid is copied to kid_out when not NULL. */
int trust_list_add_dcc_cert(struct trust_list *t, const uint8_t *der, size_t len, const char *kid,
                            char kid_out[TRUST_KID_MAX]);

/* Adds a DCC signer list (len bytes): PEM certificates one after another, or JSON: an array
 * (or {"certificates":[...]}) of objects with "rawData" or "certificate" (base64 DER) and
 * optional "kid". All or nothing. Returns the number of certificates, or the errors of
 * trust_list_add_dcc_cert(). */
int trust_list_add_dcc_signers(struct trust_list *t, const char *text, size_t len);

/* Adds the keys of a SMART Health Card issuer's JWKS (len bytes of JSON), bound to issuer
 * (the "iss" URL of its cards, 1..63 bytes): every key must be EC P-256, "use":"sig" and
 * "alg":"ES256" when present, without "d", and its kid must be its RFC 7638 thumbprint.
 * All or nothing. Returns the number of keys, -EINVAL, -EEXIST, -ENOSPC. */
int trust_list_add_shc_jwks(struct trust_list *t, const char *issuer, const char *json, size_t len);

/* Adds a SMART Health Card revocation list ({"kid","method":"rid","ctr","rids":[...]},
 * len bytes): every rid is base64url of at most 16 characters, optionally ".<unix s>"
 * (revoked when issued before that time); duplicates and other methods are refused; the
 * key kid must be on the list. All or nothing. Returns the number of rids, -EINVAL,
 * -ENOENT (no such key), -ENOMEM. */
int trust_list_add_shc_crl(struct trust_list *t, const char *json, size_t len);

/* Adds one SMART revocation: rid (as in a revocation list: base64url of at most 16
 * characters, optionally ".<unix s>") of the key kid, which must be on the list. The same
 * revocation again is fine. Returns 0, -EINVAL, -ENOENT (no such key), -ENOMEM. */
int trust_list_add_shc_rid(struct trust_list *t, const char *kid, const char *rid);

/* The text of a revocation as a revocation list writes it: "rid" or "rid.<unix s>" (at
 * least 40 bytes of out). */
void trust_rid_format(const struct trust_rid *r, char *out, size_t size);

/* Adds a key of kind DCC or SHC as the store keeps it (k->pkey borrowed: the list takes
 * its own reference; P-256, or RSA 2048..4096 for DCC). Returns 0 (also when the same key
 * is there), -EINVAL, -EEXIST, -ENOSPC. */
int trust_list_add_intl_key(struct trust_list *t, const struct trust_key *k);

/* True when a SMART credential with this rid, signed by kid and issued at nbf (unix s), is
 * revoked. */
bool trust_list_rid_revoked(const struct trust_list *t, const char *kid, const char *rid,
                            int64_t nbf);

#endif
