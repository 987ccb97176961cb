/* app/core/base45.h: Base45 (RFC 9285), the QR alphanumeric encoding of the EU DCC, and the
 * SMART Health Card numeric QR encoding ("shc:/" + two digits per character). */
#ifndef HK_CORE_BASE45_H
#define HK_CORE_BASE45_H

#include <stddef.h>
#include <stdint.h>

/* Decode len characters of Base45 into out (out_size bytes; len / 3 * 2 + 1 is always
 * enough). Strict: a character outside the 45-symbol alphabet, a length of 1 modulo 3,
 * or a group whose value exceeds 65535 (255 for a final pair) is refused. Returns the
 * number of bytes written, -EINVAL (not Base45) or -ENOSPC. */
int base45_decode(const char *in, size_t len, uint8_t *out, size_t out_size);

/* Encode len bytes as Base45 into out (out_size bytes, NUL-terminated). Returns the length
 * written without the NUL, or -ENOSPC. */
int base45_encode(const uint8_t *in, size_t len, char *out, size_t out_size);

/* Decode the digits of a SMART Health Card numeric QR (what follows "shc:/"): each pair of
 * digits is one character, its value + 45 ('-'..'z'). An odd count, a non-digit, or a pair
 * above 77 ('z') is refused. Writes the characters, NUL-terminated, into out (out_size
 * bytes). Returns the number of characters, -EINVAL or -ENOSPC. */
int shc_numeric_decode(const char *digits, size_t len, char *out, size_t out_size);

#endif
