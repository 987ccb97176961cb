/* app/core/jws.c: ES256 compact JWS over OpenSSL 3 libcrypto: split, sign, verify, and
 * the P-256 key conversions (coordinates, PEM, RFC 7638 thumbprint) the trust list needs. */
#include "app/core/jws.h"

#include "app/core/b64url.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

int jws_compact_split(const char *text, size_t len, struct jws_compact *out)
{
	const char *dot1 = memchr(text, '.', len);
	if (!dot1)
		return -EINVAL;
	size_t rest = len - (size_t)(dot1 + 1 - text);
	const char *dot2 = memchr(dot1 + 1, '.', rest);
	if (!dot2)
		return -EINVAL;
	size_t tail = len - (size_t)(dot2 + 1 - text);
	if (memchr(dot2 + 1, '.', tail))
		return -EINVAL;
	out->header = text;
	out->header_len = (size_t)(dot1 - text);
	out->payload = dot1 + 1;
	out->payload_len = (size_t)(dot2 - dot1 - 1);
	out->signature = dot2 + 1;
	out->signature_len = tail;
	out->signing_input_len = (size_t)(dot2 - text);
	if (!out->header_len || !out->payload_len || !out->signature_len)
		return -EINVAL;
	return 0;
}

EVP_PKEY *jws_p256_public_from_xy(const uint8_t x[JWS_P256_COORD_LEN],
                                  const uint8_t y[JWS_P256_COORD_LEN])
{
	uint8_t point[1 + 2 * JWS_P256_COORD_LEN];
	point[0] = 0x04; /* uncompressed */
	memcpy(point + 1, x, JWS_P256_COORD_LEN);
	memcpy(point + 1 + JWS_P256_COORD_LEN, y, JWS_P256_COORD_LEN);

	EVP_PKEY *key = NULL;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0),
	    OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
	    OSSL_PARAM_construct_end(),
	};
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx)
		return NULL;
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out_free_ctx;
	EVP_PKEY_CTX *check = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (!check || EVP_PKEY_public_check(check) <= 0) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	EVP_PKEY_CTX_free(check);
out_free_ctx:
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static bool is_p256(const EVP_PKEY *key)
{
	char group[32];
	size_t len = 0;
	if (!key || !EVP_PKEY_is_a(key, "EC"))
		return false;
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
	                                    &len))
		return false;
	return strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0;
}

int jws_p256_xy(const EVP_PKEY *key, uint8_t x[JWS_P256_COORD_LEN], uint8_t y[JWS_P256_COORD_LEN])
{
	int rc = -EINVAL;
	BIGNUM *bx = NULL, *by = NULL;
	if (!is_p256(key))
		return -EINVAL;
	if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &bx) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &by))
		goto out_free_bn;
	if (BN_bn2binpad(bx, x, JWS_P256_COORD_LEN) != JWS_P256_COORD_LEN ||
	    BN_bn2binpad(by, y, JWS_P256_COORD_LEN) != JWS_P256_COORD_LEN)
		goto out_free_bn;
	rc = 0;
out_free_bn:
	BN_free(bx);
	BN_free(by);
	return rc;
}

int jws_p256_thumbprint(const uint8_t x[JWS_P256_COORD_LEN], const uint8_t y[JWS_P256_COORD_LEN],
                        char out[JWS_THUMBPRINT_LEN + 1])
{
	char bx[B64URL_ENCODED_LEN(JWS_P256_COORD_LEN) + 1];
	char by[sizeof bx];
	char canon[160];
	uint8_t digest[SHA256_DIGEST_LENGTH];
	if (b64url_encode(x, JWS_P256_COORD_LEN, bx, sizeof bx) < 0 ||
	    b64url_encode(y, JWS_P256_COORD_LEN, by, sizeof by) < 0)
		return -EINVAL;
	/* RFC 7638 section 3.2: required members only, lexicographic order, no whitespace. */
	int n = snprintf(canon, sizeof canon,
	                 "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", bx, by);
	if (n < 0 || (size_t)n >= sizeof canon)
		return -EINVAL;
	SHA256((const unsigned char *)canon, (size_t)n, digest);
	return b64url_encode(digest, sizeof digest, out, JWS_THUMBPRINT_LEN + 1) < 0 ? -EINVAL : 0;
}

EVP_PKEY *jws_p256_generate(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

EVP_PKEY *jws_p256_private_from_pem(const char *pem, size_t len)
{
	if (len > 0x7fffffff)
		return NULL;
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio)
		return NULL;
	EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (key && !is_p256(key)) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	return key;
}

EVP_PKEY *jws_p256_private_from_raw(const uint8_t d[JWS_P256_COORD_LEN])
{
	EVP_PKEY *key = NULL;
	uint8_t point[1 + 2 * JWS_P256_COORD_LEN];
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *pub = group ? EC_POINT_new(group) : NULL;
	BIGNUM *priv = BN_bin2bn(d, JWS_P256_COORD_LEN, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	if (!pub || !priv || !bld || BN_is_zero(priv) ||
	    BN_cmp(priv, EC_GROUP_get0_order(group)) >= 0)
		goto out_free;
	/* OpenSSL 3.0 does not derive the public point on import: compute Q = d * G */
	if (!EC_POINT_mul(group, pub, priv, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, point, sizeof point,
	                       NULL) != sizeof point)
		goto out_free;
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point))
		goto out_free;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
		key = NULL;
out_free:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(priv);
	EC_POINT_free(pub);
	EC_GROUP_free(group);
	return key;
}

int jws_p256_private_to_pem(EVP_PKEY *key, char *out, size_t out_size)
{
	int rc = -EINVAL;
	char *data = NULL;
	if (!is_p256(key))
		return -EINVAL;
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return -EINVAL;
	if (!PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
		goto out_free_bio;
	long len = BIO_get_mem_data(bio, &data);
	if (len <= 0)
		goto out_free_bio;
	if ((size_t)len + 1 > out_size) {
		rc = -ENOSPC;
		goto out_free_bio;
	}
	memcpy(out, data, (size_t)len);
	out[len] = '\0';
	rc = (int)len;
out_free_bio:
	BIO_free(bio);
	return rc;
}

int jws_es256_sign(EVP_PKEY *key, const void *input, size_t len, uint8_t sig[JWS_ES256_SIG_LEN])
{
	int rc = -EINVAL;
	unsigned char der[80];
	size_t der_len = sizeof der;
	ECDSA_SIG *es = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		return -EINVAL;
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) <= 0 ||
	    EVP_DigestSign(md, der, &der_len, input, len) <= 0)
		goto out_free_md;
	const unsigned char *p = der;
	es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!es)
		goto out_free_md;
	const BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, 32) != 32 || BN_bn2binpad(s, sig + 32, 32) != 32)
		goto out_free_sig;
	rc = 0;
out_free_sig:
	ECDSA_SIG_free(es);
out_free_md:
	EVP_MD_CTX_free(md);
	return rc;
}

bool jws_es256_verify(EVP_PKEY *key, const void *input, size_t len,
                      const uint8_t sig[JWS_ES256_SIG_LEN])
{
	bool ok = false;
	unsigned char der[80];
	unsigned char *p = der;
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL);
	BIGNUM *s = BN_bin2bn(sig + 32, 32, NULL);
	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		goto out_free_sig;
	}
	/* es owns r and s from here */
	int der_len = i2d_ECDSA_SIG(es, NULL);
	if (der_len <= 0 || (size_t)der_len > sizeof der)
		goto out_free_sig;
	der_len = i2d_ECDSA_SIG(es, &p);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		goto out_free_sig;
	ok = EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
	     EVP_DigestVerify(md, der, (size_t)der_len, input, len) == 1;
	EVP_MD_CTX_free(md);
out_free_sig:
	ECDSA_SIG_free(es);
	return ok;
}

int jws_es256_compact_sign(EVP_PKEY *key, const char *header_json, const char *payload_json,
                           char *out, size_t out_size)
{
	uint8_t sig[JWS_ES256_SIG_LEN];
	int h = b64url_encode((const uint8_t *)header_json, strlen(header_json), out, out_size);
	if (h < 0)
		return h;
	if ((size_t)h + 2 > out_size)
		return -ENOSPC;
	out[h] = '.';
	int p = b64url_encode((const uint8_t *)payload_json, strlen(payload_json), out + h + 1,
	                      out_size - (size_t)h - 1);
	if (p < 0)
		return p;
	size_t signed_len = (size_t)h + 1 + (size_t)p;
	if (signed_len + 2 > out_size)
		return -ENOSPC;
	if (jws_es256_sign(key, out, signed_len, sig) < 0)
		return -EINVAL;
	out[signed_len] = '.';
	int s = b64url_encode(sig, sizeof sig, out + signed_len + 1, out_size - signed_len - 1);
	if (s < 0)
		return s;
	return (int)(signed_len + 1 + (size_t)s);
}
