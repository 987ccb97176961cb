/* app/core/base32.h: RFC 4648 base32 (alphabet A-Z 2-7), upper case and without padding,
 * so that binary data fits in QR alphanumeric text. Decoding is strict: one text, one value. */
#ifndef HK_CORE_BASE32_H
#define HK_CORE_BASE32_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed for n bytes (no padding, no NUL): ceil(8n / 5). */
size_t base32_encoded_len(size_t n);

/* Bytes held by a text of `chars` characters: floor(5 * chars / 8). */
size_t base32_decoded_len(size_t chars);

/* Encode n bytes of data into out as NUL-terminated text. out_size counts the NUL and
 * must be at least base32_encoded_len(n) + 1. data may be NULL when n is 0.
 * Returns 0, or -EINVAL (out NULL, data NULL with n > 0), -ENOSPC (out too small; out
 * then holds "" if out_size > 0). */
int base32_encode(const uint8_t *data, size_t n, char *out, size_t out_size);

/* Decode len characters of text (not NUL-terminated; a NUL inside is an invalid character)
 * into out. Strict: only the 32 upper-case alphabet characters, no padding, a length that
 * RFC 4648 can produce (len mod 8 in {0, 2, 4, 5, 7}) and the unused low bits of the last
 * character zero, so each byte string has exactly one accepted text.
 * On success writes base32_decoded_len(len) bytes, stores that count in *out_len (when
 * out_len is not NULL) and returns 0. Returns -EINVAL for a text that is not canonical
 * base32, -ENOSPC when out_size is too small. out may be written to even on failure. */
int base32_decode(const char *text, size_t len, uint8_t *out, size_t out_size, size_t *out_len);

#endif
