/* app/service/trust_store.h: the health-code trust list as the station store keeps it: issuer
 * signing keys and issuer subject keys in the issuer_keys table, credential revocations, and
 * the subject ids of the arrivals computed with a subject key. See docs/health-code.md §10. */
#ifndef HK_SERVICE_TRUST_STORE_H
#define HK_SERVICE_TRUST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/healthcode.h"
#include "app/core/trustlist.h"

struct store;

/* issuer_keys.alg of the two kinds of rows. A signing key's public_key column holds its
 * public JWK (trust_key_to_jwk()); a subject key's holds its secret oct JWK, which must
 * never be printed or logged. */
#define TRUST_STORE_ALG_SIGNING "ES256"
#define TRUST_STORE_ALG_SUBJECT "hcsub"
/* International credentials (docs/international.md): an EU DCC document signer, its
 * public_key column {"spki":base64 DER SubjectPublicKeyInfo,"usage":TRUST_USAGE_* bits,
 * "nbf","naf": certificate validity, unix s}; a SMART Health Card issuer key, its column
 * the public JWK and issuer the cards' "iss" URL. */
#define TRUST_STORE_ALG_DCC "DCC"
#define TRUST_STORE_ALG_SHC "SHC-ES256"

/* What trust_store_add_jwks() did with one key of the file. */
struct trust_store_added {
	char kid[TRUST_KID_MAX];
	char issuer[TRUST_ISSUER_MAX];
	bool subject; /* a subject key (secret), else a signing key */
	bool demo;
	bool already; /* the store held this very key already: nothing written */
};
#define TRUST_STORE_ADD_MAX 32 /* keys one call adds at most */

/* Add the keys of a JWK or a JWK Set (len bytes of JSON) to the store at now (unix seconds):
 * every key is checked first (trust_list_add_jwk(): P-256 public signing keys and oct
 * subject keys; a key carrying a private part "d" is refused) and only then written; demo
 * marks every signing key demo (a JWK saying "demo":true is demo anyway). A kid the store
 * already holds for a different key refuses the whole file. Fills added[0..*n) (up to
 * TRUST_STORE_ADD_MAX; more keys is -E2BIG). Returns 0, -EINVAL (not a JWK/JWKS, bad or
 * private key; detail says which, in English), -EEXIST, -E2BIG, or a store status. detail
 * (detail_size bytes, may be NULL) never contains a secret. */
int trust_store_add_jwks(struct store *st, const char *json, size_t len, bool demo, int64_t now,
                         struct trust_store_added *added, size_t *n, char *detail,
                         size_t detail_size);

/* Import the signing keys of an international trust list (len bytes) at now: with
 * shc_issuer NULL a DCC signer list (PEM certificates, or JSON [{"kid","rawData"}],
 * trust_list_add_dcc_signers(); hundreds of signers are usual), else the JWKS of the SMART
 * Health Card issuer whose cards carry "iss" = shc_issuer (trust_list_add_shc_jwks()). All
 * keys are checked first, then written in one transaction. *added receives a malloc'd array
 * of *n entries (what trust_store_add_jwks() reports per key; the caller frees it; NULL
 * and 0 on failure). Returns 0, -EINVAL (detail says why), -EEXIST, -ENOMEM, or a store
 * status. */
int trust_store_import(struct store *st, const char *text, size_t len, const char *shc_issuer,
                       int64_t now, struct trust_store_added **added, size_t *n, char *detail,
                       size_t detail_size);

/* revocations.credential_id of a SMART Health Card rid: "shc-rid:" KID ":" RID[".T"] (no
 * '/', so the station's mirror key ISSUER/ID splits at its last '/'). */
#define TRUST_STORE_RID_PREFIX "shc-rid:"

/* Store a SMART Health Card revocation list (len bytes of JSON, as an issuer publishes it at
 * /.well-known/crl/KID.json: {"kid","method":"rid","ctr","rids":[...]}) at now. The key kid
 * must be a trusted SMART key; the list is checked whole (trust_list_add_shc_crl(): rid
 * syntax, duplicates, method), then each rid is written to the revocations table (issuer
 * the key's issuer, credential_id TRUST_STORE_RID_PREFIX KID ":" RID, reason naming the
 * list's ctr) in one transaction; the station mirrors revocations to the devices and
 * trust_store_load() puts them on the list. *added and *already (may be NULL) count the rids
 * new and those held before. Returns 0, -EINVAL (detail says why), -ENOENT (no such SMART
 * key), -ENOMEM, or a store status. */
int trust_store_import_shc_crl(struct store *st, const char *json, size_t len, int64_t now,
                               size_t *added, size_t *already, char *detail, size_t detail_size);
/* Revoke one rid (RID or RID.T, as in a list) of the SMART key kid at now, as a list of one
 * (reason "revoked by hand"). *already (may be NULL) is set when it was revoked before.
 * Returns as trust_store_import_shc_crl(). */
int trust_store_revoke_rid(struct store *st, const char *kid, const char *rid, int64_t now,
                           bool *already, char *detail, size_t detail_size);

/* A trust list of the store's signing keys: every row of alg ES256, DCC and SHC-ES256, demo as the
 * row says, revoked rows marked revoked (their codes are E_REVOKED, not E_UNKNOWN_ISSUER). Subject
 * keys are not loaded: a device matches the code's "sub" against subject ids the station
 * computed, and never needs the secret. A row that does not parse is skipped with a warning
 * in the log. *fingerprint (may be NULL) receives trust_store_fingerprint()'s value for the
 * rows read. SMART rids revoked (TRUST_STORE_RID_PREFIX rows of revocations) are on the
 * list too, and in the fingerprint. Returns a new list (trust_list_free()), or NULL with
 * *status (may be NULL) a store status or -ENOMEM. */
struct trust_list *trust_store_load(struct store *st, uint64_t *fingerprint, int *status);

/* A 64-bit digest of every issuer_keys row (kid, issuer, alg, key text, demo, revoked_at)
 * and every SMART rid revoked: it changes whenever a key is added or revoked, or a rid
 * revoked. Returns 0 or a store status. */
int trust_store_fingerprint(struct store *st, uint64_t *out);

/* The subject key of issuer from the store (the oldest one in force), or with issuer NULL
 * the only subject key in force (-EEXIST when several issuers have one). Returns 0,
 * -ENOENT when none, -EEXIST, -EINVAL (a row that does not parse), or a store status. The
 * key is a secret: wipe *out (OPENSSL_cleanse) when done. */
int trust_store_subject_key(struct store *st, const char *issuer, struct trust_subject_key *out);

/* The document type a subject id is computed with, for a manifest doc_type (or any alias
 * manifest_doc_type_canonical() knows): id_card "ID", passport "P", hk_macao_permit "HKM",
 * taiwan_permit "TWP", other "OTHER". NULL when unknown. */
const char *trust_store_doc_type_code(const char *manifest_doc_type);

/* The subject id of a document under key (healthcode_subject_id() with the type mapped as
 * above). Returns 0 or -EINVAL. */
int trust_store_subject_of(const struct trust_subject_key *key, const char *manifest_doc_type,
                           const char *doc_number, char out[HEALTHCODE_SUBJECT_LEN + 1]);

/* Set the subject id of every arrival with the subject key of issuer (NULL: the only one,
 * as trust_store_subject_key()). only_missing leaves arrivals that have one alone. *filled
 * (may be NULL) counts the arrivals written; *skipped (may be NULL) those whose document
 * cannot be hashed. Returns 0, -ENOENT (no subject key), -EEXIST, or a store status. */
int trust_store_fill_subjects(struct store *st, const char *issuer, bool only_missing,
                              size_t *filled, size_t *skipped);

#endif
