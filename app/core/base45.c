/* app/core/base45.c: Base45 (RFC 9285) and the SMART Health Card numeric QR encoding. */
#include "app/core/base45.h"

#include <errno.h>

static const char alphabet[45] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static int value_of(char c)
{
	for (int i = 0; i < 45; i++)
		if (alphabet[i] == c)
			return i;
	return -1;
}

int base45_decode(const char *in, size_t len, uint8_t *out, size_t out_size)
{
	size_t o = 0;
	if (len % 3 == 1)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 3) {
		size_t group = len - i >= 3 ? 3 : 2;
		unsigned long v = 0, mul = 1;
		for (size_t k = 0; k < group; k++) {
			int d = value_of(in[i + k]);
			if (d < 0)
				return -EINVAL;
			v += (unsigned long)d * mul;
			mul *= 45;
		}
		if ((group == 3 && v > 0xffff) || (group == 2 && v > 0xff))
			return -EINVAL;
		size_t bytes = group == 3 ? 2 : 1;
		if (o + bytes > out_size)
			return -ENOSPC;
		if (bytes == 2)
			out[o++] = (uint8_t)(v >> 8);
		out[o++] = (uint8_t)(v & 0xff);
	}
	return (int)o;
}

int base45_encode(const uint8_t *in, size_t len, char *out, size_t out_size)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i += 2) {
		unsigned v = len - i >= 2 ? (unsigned)in[i] << 8 | in[i + 1] : in[i];
		size_t chars = len - i >= 2 ? 3 : 2;
		if (o + chars + 1 > out_size)
			return -ENOSPC;
		for (size_t k = 0; k < chars; k++) {
			out[o++] = alphabet[v % 45];
			v /= 45;
		}
	}
	if (o + 1 > out_size)
		return -ENOSPC;
	out[o] = '\0';
	return (int)o;
}

int shc_numeric_decode(const char *digits, size_t len, char *out, size_t out_size)
{
	size_t o = 0;
	if (len % 2)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 2) {
		char a = digits[i], b = digits[i + 1];
		if (a < '0' || a > '9' || b < '0' || b > '9')
			return -EINVAL;
		int v = (a - '0') * 10 + (b - '0');
		if (v > 'z' - 45)
			return -EINVAL;
		if (o + 1 >= out_size)
			return -ENOSPC;
		out[o++] = (char)(v + 45);
	}
	if (o >= out_size)
		return -ENOSPC;
	out[o] = '\0';
	return (int)o;
}
