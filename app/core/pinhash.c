/* app/core/pinhash.c: PBKDF2-HMAC-SHA256 PIN hashes in a self-describing text form. */
#include "app/core/pinhash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "app/core/b64url.h"

#define PINHASH_PREFIX "pbkdf2-sha256$"
#define ITERATIONS_MAX 10000000

bool pinhash_pin_valid(const char *pin)
{
	if (!pin)
		return false;
	size_t n = strlen(pin);
	if (n < PINHASH_PIN_MIN || n > PINHASH_PIN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return true;
}

static int derive(const char *pin, const uint8_t *salt, size_t salt_len, int iterations,
                  uint8_t out[PINHASH_SIZE])
{
	return PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), salt, (int)salt_len, iterations,
	                         EVP_sha256(), PINHASH_SIZE, out) == 1
	           ? 0
	           : -EIO;
}

int pinhash_make(const char *pin, const uint8_t *salt, size_t salt_len, int iterations, char *out,
                 size_t out_size)
{
	uint8_t dk[PINHASH_SIZE];
	char s64[B64URL_ENCODED_LEN(64) + 1], h64[B64URL_ENCODED_LEN(PINHASH_SIZE) + 1];
	int rc;
	if (out && out_size)
		out[0] = '\0';
	if (!out || !salt || !pinhash_pin_valid(pin) || salt_len < 8 || salt_len > 64 ||
	    iterations < PINHASH_ITERATIONS_MIN || iterations > ITERATIONS_MAX)
		return -EINVAL;
	rc = derive(pin, salt, salt_len, iterations, dk);
	if (rc)
		goto out_wipe;
	if (b64url_encode(salt, salt_len, s64, sizeof(s64)) < 0 ||
	    b64url_encode(dk, sizeof(dk), h64, sizeof(h64)) < 0) {
		rc = -EIO;
		goto out_wipe;
	}
	int n = snprintf(out, out_size, PINHASH_PREFIX "%d$%s$%s", iterations, s64, h64);
	if (n < 0 || (size_t)n >= out_size) {
		out[0] = '\0';
		rc = -ENOSPC;
	}
out_wipe:
	OPENSSL_cleanse(dk, sizeof(dk));
	return rc;
}

bool pinhash_check(const char *pin, const char *stored)
{
	uint8_t salt[64], want[PINHASH_SIZE + 2], got[PINHASH_SIZE];
	bool ok = false;
	if (!pinhash_pin_valid(pin) || !stored ||
	    strncmp(stored, PINHASH_PREFIX, strlen(PINHASH_PREFIX)) != 0)
		return false;
	const char *p = stored + strlen(PINHASH_PREFIX);
	char *end;
	long it = strtol(p, &end, 10);
	if (end == p || *end != '$' || *p == '0' || it < PINHASH_ITERATIONS_MIN ||
	    it > ITERATIONS_MAX)
		return false;
	const char *s = end + 1, *h = strchr(s, '$');
	if (!h)
		return false;
	int salt_len = b64url_decode(s, (size_t)(h - s), salt, sizeof(salt));
	int want_len = b64url_decode(h + 1, strlen(h + 1), want, sizeof(want));
	if (salt_len < 8 || want_len != PINHASH_SIZE)
		return false;
	if (derive(pin, salt, (size_t)salt_len, (int)it, got) == 0)
		ok = CRYPTO_memcmp(got, want, PINHASH_SIZE) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return ok;
}
