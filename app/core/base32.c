/* app/core/base32.c: RFC 4648 base32 without padding, strict decoder. */
#include "app/core/base32.h"

#include <errno.h>
#include <stdbool.h>

static const char alphabet[32] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t base32_encoded_len(size_t n)
{
	return n / 5 * 8 + (n % 5 * 8 + 4) / 5;
}

size_t base32_decoded_len(size_t chars)
{
	return chars / 8 * 5 + chars % 8 * 5 / 8;
}

/* Value 0-31 of an alphabet character, or -1. */
static int symbol_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

int base32_encode(const uint8_t *data, size_t n, char *out, size_t out_size)
{
	if (!out || (!data && n > 0))
		return -EINVAL;
	size_t need = base32_encoded_len(n);
	if (need < n || out_size <= need) { /* need < n: the length overflowed */
		if (out_size > 0)
			out[0] = '\0';
		return -ENOSPC;
	}
	uint32_t acc = 0; /* never holds more than 12 bits */
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8 | data[i]) & 0xfffu;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = alphabet[(acc >> bits) & 31u];
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(acc << (5 - bits)) & 31u];
	out[o] = '\0';
	return 0;
}

static bool length_possible(size_t len)
{
	switch (len % 8) {
	case 0:
	case 2:
	case 4:
	case 5:
	case 7:
		return true;
	default:
		return false;
	}
}

int base32_decode(const char *text, size_t len, uint8_t *out, size_t out_size, size_t *out_len)
{
	if ((!text && len > 0) || !length_possible(len))
		return -EINVAL;
	size_t need = base32_decoded_len(len);
	if (need > out_size || (!out && need > 0))
		return -ENOSPC;
	uint32_t acc = 0; /* never holds more than 12 bits */
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int v = symbol_value(text[i]);
		if (v < 0)
			return -EINVAL;
		acc = (acc << 5 | (uint32_t)v) & 0xfffu;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (acc & ((1u << bits) - 1u))
		return -EINVAL; /* non-zero padding bits: a second spelling of the same bytes */
	if (out_len)
		*out_len = o;
	return 0;
}
