/* app/sync/auth.h: device credentials: a random secret shown once at enrolment, of which
 * the station keeps only a hash, and the constant-time check of a presented secret. */
#ifndef HK_SYNC_AUTH_H
#define HK_SYNC_AUTH_H

#include <stdbool.h>

#include "app/sync/protocol.h"

#define SYNC_HASH_MAX  72 /* "sha256:" + 64 hex digits + NUL (fits the store's devices table) */
#define SYNC_TOKEN_MAX (SYNC_ID_MAX + 1 + SYNC_SECRET_HEX + 1) /* "DEVICEID.SECRET" + NUL */

/* 32 random bytes from the operating system as 64 lower-case hex digits. 0 or -errno. */
int sync_secret_generate(char hex[SYNC_SECRET_HEX + 1]);
/* The stored form of a secret: "sha256:" + hex SHA-256 of the hex text. 0, or
 * SYNC_E_MALFORMED when hex is not 64 lower-case hex digits. */
int sync_secret_hash(const char *hex, char out[SYNC_HASH_MAX]);
/* Does secret hash to stored? Constant time in the secret and the stored hash; false for
 * a stored value of the wrong form. */
bool sync_secret_check(const char *secret, const char *stored);
/* "DEVICEID.SECRET" into token. 0, or SYNC_E_MALFORMED for a bad id or secret. */
int sync_token_format(const char *device_id, const char *secret, char token[SYNC_TOKEN_MAX]);

#endif
