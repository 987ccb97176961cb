/* app/sync/auth.c: device secrets with OpenSSL: SHA-256 for the stored form and
 * CRYPTO_memcmp for comparing; secrets come from getrandom(2). */
#include "app/sync/auth.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static const char hexdigits[] = "0123456789abcdef";

int sync_secret_generate(char hex[SYNC_SECRET_HEX + 1])
{
	unsigned char raw[SYNC_SECRET_HEX / 2];
	size_t got = 0;
	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw); i++) {
		hex[2 * i] = hexdigits[raw[i] >> 4];
		hex[2 * i + 1] = hexdigits[raw[i] & 15];
	}
	hex[SYNC_SECRET_HEX] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

static bool secret_valid(const char *hex)
{
	if (!hex || strlen(hex) != SYNC_SECRET_HEX)
		return false;
	for (int i = 0; i < SYNC_SECRET_HEX; i++)
		if (!strchr(hexdigits, hex[i]) || !hex[i])
			return false;
	return true;
}

int sync_secret_hash(const char *hex, char out[SYNC_HASH_MAX])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (!secret_valid(hex))
		return SYNC_E_MALFORMED;
	if (!EVP_Digest(hex, SYNC_SECRET_HEX, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return SYNC_E_INTERNAL;
	memcpy(out, "sha256:", 7);
	for (int i = 0; i < 32; i++) {
		out[7 + 2 * i] = hexdigits[md[i] >> 4];
		out[7 + 2 * i + 1] = hexdigits[md[i] & 15];
	}
	out[7 + 64] = '\0';
	return 0;
}

bool sync_secret_check(const char *secret, const char *stored)
{
	/* A fixed, never-matching value keeps the work the same for a malformed secret. */
	char computed[SYNC_HASH_MAX] = "sha256:";
	bool ok = sync_secret_hash(secret_valid(secret) ? secret : "", computed) == 0;
	if (!ok)
		memset(computed + 7, 'x', 64);
	computed[71] = '\0';
	char expected[SYNC_HASH_MAX];
	memset(expected, 0, sizeof(expected));
	if (stored && strlen(stored) == 71)
		memcpy(expected, stored, 71);
	else
		ok = false;
	bool same = CRYPTO_memcmp(computed, expected, 71) == 0;
	return ok && same;
}

int sync_token_format(const char *device_id, const char *secret, char token[SYNC_TOKEN_MAX])
{
	if (!sync_device_id_valid(device_id) || !secret_valid(secret))
		return SYNC_E_MALFORMED;
	snprintf(token, SYNC_TOKEN_MAX, "%s.%s", device_id, secret);
	return 0;
}
