/* app/core/b64url.h: base64url without padding (RFC 4648 section 5), as JWS and JWK use it.
 * Decoding is strict: only the canonical encoding of a byte string is accepted. */
#ifndef HK_CORE_B64URL_H
#define HK_CORE_B64URL_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed to encode n bytes, without the terminating NUL. */
#define B64URL_ENCODED_LEN(n) (((n) / 3) * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))
/* Bytes that decoding n characters yields at most. */
#define B64URL_DECODED_MAX(n) (((n) / 4) * 3 + 2)

/* Encode n bytes of in into out (out_size bytes, room for the NUL included).
 * Returns the length written (without the NUL), or -ENOSPC when out is too small. */
int b64url_encode(const uint8_t *in, size_t n, char *out, size_t out_size);

/* Decode len characters of in into out (out_size bytes). Rejects padding, characters
 * outside the base64url alphabet, impossible lengths (len % 4 == 1) and non-zero unused
 * bits in the last character, so every byte string has exactly one accepted encoding.
 * Returns the number of bytes written, -EINVAL on bad input, -ENOSPC when out is small. */
int b64url_decode(const char *in, size_t len, uint8_t *out, size_t out_size);

#endif
