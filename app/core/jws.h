/* app/core/jws.h: compact JWS (RFC 7515) with ES256 (ECDSA P-256 + SHA-256, RFC 7518
 * section 3.4), and the P-256 JWK pieces (RFC 7517, thumbprint RFC 7638) around it. */
#ifndef HK_CORE_JWS_H
#define HK_CORE_JWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define JWS_ES256_SIG_LEN  64 /* R || S, 32 bytes each, big-endian */
#define JWS_P256_COORD_LEN 32
#define JWS_THUMBPRINT_LEN 43 /* base64url of a SHA-256 digest, without NUL */

/* The three segments of a compact JWS, pointing into the caller's text (borrowed). */
struct jws_compact {
	const char *header; /* base64url, header_len characters */
	size_t header_len;
	const char *payload; /* base64url */
	size_t payload_len;
	const char *signature; /* base64url */
	size_t signature_len;
	size_t signing_input_len; /* header "." payload: starts at header */
};

/* Split "header.payload.signature" (exactly two dots, each segment non-empty).
 * Returns 0, or -EINVAL. */
int jws_compact_split(const char *text, size_t len, struct jws_compact *out);

/* A P-256 public key from its affine coordinates; NULL when the point is not on the curve.
 * The caller frees it with EVP_PKEY_free(). */
EVP_PKEY *jws_p256_public_from_xy(const uint8_t x[JWS_P256_COORD_LEN],
                                  const uint8_t y[JWS_P256_COORD_LEN]);

/* The affine coordinates of a P-256 key (public or private). Returns 0, or -EINVAL when
 * the key is not a P-256 EC key. */
int jws_p256_xy(const EVP_PKEY *key, uint8_t x[JWS_P256_COORD_LEN], uint8_t y[JWS_P256_COORD_LEN]);

/* RFC 7638 thumbprint of a P-256 key: base64url(SHA-256('{"crv":"P-256","kty":"EC",
 * "x":"..","y":".."}')) into out (JWS_THUMBPRINT_LEN + 1 bytes). Returns 0 or -EINVAL. */
int jws_p256_thumbprint(const uint8_t x[JWS_P256_COORD_LEN], const uint8_t y[JWS_P256_COORD_LEN],
                        char out[JWS_THUMBPRINT_LEN + 1]);

/* A new P-256 private key from OpenSSL's CSPRNG; NULL on failure. EVP_PKEY_free() it. */
EVP_PKEY *jws_p256_generate(void);

/* A P-256 private key from PEM text (PKCS#8 or SEC1 "EC PRIVATE KEY"), len bytes;
 * NULL when it is not one. EVP_PKEY_free() it. */
EVP_PKEY *jws_p256_private_from_pem(const char *pem, size_t len);

/* A P-256 private key from its raw 32-byte scalar d (as in a JWK "d"); NULL when d is
 * not a valid scalar (0 or >= the group order). EVP_PKEY_free() it. */
EVP_PKEY *jws_p256_private_from_raw(const uint8_t d[JWS_P256_COORD_LEN]);

/* The private key as unencrypted PKCS#8 PEM into out (out_size bytes, NUL-terminated).
 * Returns the length, or -ENOSPC / -EINVAL. */
int jws_p256_private_to_pem(EVP_PKEY *key, char *out, size_t out_size);

/* ES256 signature (R || S) over len bytes of input with a P-256 private key.
 * Returns 0, or -EINVAL when signing fails. */
int jws_es256_sign(EVP_PKEY *key, const void *input, size_t len, uint8_t sig[JWS_ES256_SIG_LEN]);

/* True when sig is a valid ES256 signature of input under the public key. */
bool jws_es256_verify(EVP_PKEY *key, const void *input, size_t len,
                      const uint8_t sig[JWS_ES256_SIG_LEN]);

/* A compact JWS: base64url(header_json) "." base64url(payload_json) "." base64url(sig),
 * signed with ES256, into out (out_size bytes, NUL-terminated). The JSON texts are used
 * byte for byte. Returns the length written, -ENOSPC, or -EINVAL when signing fails. */
int jws_es256_compact_sign(EVP_PKEY *key, const char *header_json, const char *payload_json,
                           char *out, size_t out_size);

#endif
