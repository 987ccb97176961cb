/* tests/fuzz/fuzz_wristband.c: libFuzzer harness for wristband tokens: scanned text checked
 * against a real trusted key (first byte even), and fuzzed band fields signed with a fixed
 * test key whose tokens must verify to the same fields (first byte odd).
 * fuzz-sources: app/core/wristband.c app/core/base32.c app/core/types.c
 * fuzz-pkgs: libcrypto */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/wristband.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed test key: the seed tokens in corpus/wristband/ are signed with it. */
static struct wristband_private_key priv = {
    .bytes = {0x48, 0x4b, 0x57, 0x31, 0x2d, 0x66, 0x75, 0x7a, 0x7a, 0x2d, 0x74,
              0x65, 0x73, 0x74, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x6e, 0x6f, 0x74,
              0x2d, 0x66, 0x6f, 0x72, 0x2d, 0x75, 0x73, 0x65, 0x21, 0x21}};
static struct wristband_public_key keys[2]; /* [0] another key, [1] the test key */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct wristband_private_key other = {.bytes = {1}};
	(void)argc;
	(void)argv;
	if (wristband_key_public(&other, &keys[0]) || wristband_key_public(&priv, &keys[1]))
		abort();
	return 0;
}

/* A scanned text: whatever it says, only a token signed by the test key is OK, and then its
 * fields are valid and issuing them again gives back the very same text. */
static void fuzz_scanned(const char *text, size_t len)
{
	struct wristband band, again;
	char tok[WRISTBAND_TOKEN_SIZE];
	enum wristband_result r = wristband_verify(text, len, "SZ03", keys, 2, &band);
	if (r >= WRISTBAND_RESULT_COUNT || !wristband_result_name(r))
		abort();
	enum wristband_result any = wristband_verify(text, len, NULL, keys, 2, NULL);
	if (r == WRISTBAND_OK && any != WRISTBAND_OK)
		abort();
	if (wristband_verify(text, len, NULL, keys, 1, &again) == WRISTBAND_OK)
		abort(); /* the other key signed nothing */
	if (wristband_verify(text, len, NULL, NULL, 0, &again) == WRISTBAND_OK)
		abort();
	if (r != WRISTBAND_OK) {
		static const struct wristband zero;
		if (memcmp(&band, &zero, sizeof band) != 0)
			abort(); /* unverified claims are never handed out */
		return;
	}
	if (!wristband_fields_valid(&band) || strcmp(band.station, "SZ03") != 0)
		abort();
	if (wristband_issue(&band, &priv, tok, sizeof tok) != 0 || strlen(tok) != len ||
	    memcmp(tok, text, len) != 0)
		abort();
}

static size_t take(const uint8_t **d, size_t *n, size_t want, char *out, size_t out_size)
{
	size_t k = want < *n ? want : *n;
	if (k > out_size - 1)
		k = out_size - 1;
	memcpy(out, *d, k);
	out[k] = '\0';
	*d += k;
	*n -= k;
	return k;
}

/* Fuzzed fields: issued when valid, then verify must agree on every field; any one
 * changed character of the token must be refused. */
static void fuzz_fields(const uint8_t *d, size_t n)
{
	struct wristband band = {0}, got;
	char tok[WRISTBAND_TOKEN_SIZE];
	uint8_t lens[2] = {0};
	uint64_t serial = 0;
	uint32_t day = 0;
	if (n < 2 + 8 + 4)
		return;
	memcpy(lens, d, 2);
	memcpy(&serial, d + 2, 8);
	memcpy(&day, d + 10, 4);
	d += 14;
	n -= 14;
	band.serial = (int64_t)serial;
	band.day = (hk_day)(int32_t)day;
	take(&d, &n, lens[0] % 12, band.station, sizeof band.station);
	take(&d, &n, lens[1] % 12, band.room, sizeof band.room);
	/* what is left: mutation positions */
	int rc = wristband_issue(&band, &priv, tok, sizeof tok);
	if (!wristband_fields_valid(&band)) {
		if (rc != -EINVAL || tok[0] != '\0')
			abort();
		return;
	}
	if (rc != 0 || strlen(tok) > WRISTBAND_TOKEN_MAX)
		abort();
	size_t len = strlen(tok);
	if (wristband_verify(tok, len, band.station, keys, 2, &got) != WRISTBAND_OK ||
	    strcmp(got.station, band.station) || strcmp(got.room, band.room) ||
	    got.serial != band.serial || got.day != band.day)
		abort();
	if (wristband_verify(tok, len, band.station, keys, 1, NULL) != WRISTBAND_BAD_SIGNATURE)
		abort();
	const char *other = strcmp(band.station, "X") ? "X" : "Y";
	if (wristband_verify(tok, len, other, keys, 2, NULL) != WRISTBAND_WRONG_STATION)
		abort();
	for (size_t i = 0; i + 1 < n; i += 2) {
		char bad[WRISTBAND_TOKEN_SIZE];
		size_t at = d[i] % len;
		memcpy(bad, tok, len + 1);
		bad[at] = (char)d[i + 1];
		if (bad[at] == tok[at])
			continue;
		if (wristband_verify(bad, len, NULL, keys, 2, NULL) == WRISTBAND_OK)
			abort();
	}
	/* every cut of the token is refused */
	if (len > 0 && wristband_verify(tok, len - 1 - (n ? d[0] % len : 0), NULL, keys, 2, NULL) ==
	                   WRISTBAND_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_fields(data + 1, size - 1);
	else
		fuzz_scanned((const char *)data + 1, size - 1);
	return 0;
}
