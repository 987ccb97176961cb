/* app/core/pinhash.h: staff PINs stored as salted slow hashes (PBKDF2-HMAC-SHA256), checked
 * in constant time. Text form: "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64url, no padding).
 * Pure: the caller supplies the salt (from a CSPRNG). */
#ifndef HK_CORE_PINHASH_H
#define HK_CORE_PINHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PINHASH_ITERATIONS     200000 /* default work factor: ~40 ms on a Pi 4 core */
#define PINHASH_ITERATIONS_MIN 10000  /* stored hashes with fewer are refused as weak */
#define PINHASH_SALT_SIZE      16     /* bytes */
#define PINHASH_SIZE           32     /* derived bytes */
#define PINHASH_TEXT_MAX       112    /* text form incl. NUL, always enough */
#define PINHASH_PIN_MIN        4      /* digits */
#define PINHASH_PIN_MAX        12

/* True for 4..12 ASCII digits. */
bool pinhash_pin_valid(const char *pin);

/* Hash pin with salt (salt_len 8..64 bytes) and iterations (>= PINHASH_ITERATIONS_MIN) into
 * out (out_size bytes incl. NUL; PINHASH_TEXT_MAX is enough). Returns 0; -EINVAL for an
 * invalid PIN or argument; -ENOSPC when out is too small; -EIO when the crypto fails. */
int pinhash_make(const char *pin, const uint8_t *salt, size_t salt_len, int iterations, char *out,
                 size_t out_size);

/* True when pin matches stored. The derived bytes are compared in constant time. Anything
 * not in the text form above (a plain PIN, another scheme, too few iterations) never
 * matches. */
bool pinhash_check(const char *pin, const char *stored);

#endif
