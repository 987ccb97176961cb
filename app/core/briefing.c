/* app/core/briefing.c: the version (SHA-256) of a briefing text. */
#include "app/core/briefing.h"

#include <errno.h>
#include <openssl/evp.h>

int briefing_version(const char *text, size_t len, char out[BRIEFING_VERSION_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	out[0] = '\0';
	if (EVP_Digest(text, len, md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
		return -EIO;
	for (unsigned int i = 0; i < md_len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * md_len] = '\0';
	return 0;
}
