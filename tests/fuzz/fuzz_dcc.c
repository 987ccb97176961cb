/* tests/fuzz/fuzz_dcc.c: libFuzzer harness for the EU DCC decoder: the scanner text as is
 * (HC1: + Base45 + zlib + COSE_Sign1), a CWT payload signed and wrapped so every step after
 * the signature sees it, Base45 alone, and the signer-list parser, by the first byte.
 * fuzz-sources: app/core/healthcode.c app/core/healthcode_szhc.c app/core/jws.c
 * fuzz-sources: app/core/healthcode_dcc.c app/core/healthcode_shc.c app/core/base45.c
 * fuzz-sources: app/core/b64url.c app/core/trustlist.c app/core/trustlist_intl.c
 * fuzz-sources: app/core/types.c
 * fuzz-pkgs: libcrypto jansson zlib libcbor */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/base45.h"
#include "app/core/healthcode.h"
#include "app/core/jws.h"

#include <zlib.h>

#define NOW      1620000000LL
#define FUZZ_KID "ZnV6ekRDQzE=" /* base64 of "fuzzDCC1" */

static struct trust_list *trust;
static EVP_PKEY *key;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void init(void)
{
	key = jws_p256_generate();
	trust = trust_list_new();
	struct trust_key k = {.kind = TRUST_KEY_DCC, .usage = TRUST_USAGE_ALL, .pkey = key};
	strcpy(k.kid, FUZZ_KID);
	strcpy(k.issuer, "XX");
	if (!key || !trust || trust_list_add_intl_key(trust, &k) != 0)
		abort();
}

/* A CBOR byte-string header for len bytes, shortest form, at out. Returns its length. */
static size_t bstr_head(uint8_t *out, size_t len)
{
	if (len < 24) {
		out[0] = (uint8_t)(0x40 | len);
		return 1;
	}
	int bytes = len <= 0xff ? 1 : len <= 0xffff ? 2 : 4;
	out[0] = (uint8_t)(0x40 | (bytes == 1 ? 24 : bytes == 2 ? 25 : 26));
	for (int i = 0; i < bytes; i++)
		out[1 + i] = (uint8_t)(len >> (8 * (bytes - 1 - i)));
	return 1 + (size_t)bytes;
}

/* COSE_Sign1 over payload with the harness key, zlib, Base45, "HC1:". */
static char *wrap(const uint8_t *payload, size_t len)
{
	/* protected header {1: -7, 4: h'fuzzDCC1'} */
	static const uint8_t prot[] = {0xa2, 0x01, 0x26, 0x04, 0x48, 'f', 'u',
	                               'z',  'z',  'D',  'C',  'C',  '1'};
	uint8_t *tbs = malloc(len + 64), *cose = malloc(len + 128);
	uint8_t head[5];
	size_t hn = bstr_head(head, len);
	size_t t = 0, c = 0;
	memcpy(tbs, "\x84\x6aSignature1\x4d", 13);
	t = 13;
	memcpy(tbs + t, prot, sizeof prot);
	t += sizeof prot;
	tbs[t++] = 0x40;
	memcpy(tbs + t, head, hn);
	t += hn;
	memcpy(tbs + t, payload, len);
	t += len;
	uint8_t sig[JWS_ES256_SIG_LEN];
	if (jws_es256_sign(key, tbs, t, sig) != 0)
		abort();
	memcpy(cose, "\xd2\x84\x4d", 3);
	c = 3;
	memcpy(cose + c, prot, sizeof prot);
	c += sizeof prot;
	cose[c++] = 0xa0;
	memcpy(cose + c, head, hn);
	c += hn;
	memcpy(cose + c, payload, len);
	c += len;
	cose[c++] = 0x58;
	cose[c++] = 64;
	memcpy(cose + c, sig, 64);
	c += 64;
	uLongf zlen = compressBound(c);
	uint8_t *z = malloc(zlen);
	if (compress(z, &zlen, cose, c) != Z_OK)
		abort();
	size_t cap = 4 + zlen / 2 * 3 + 4;
	char *text = malloc(cap);
	memcpy(text, "HC1:", 4);
	if (base45_encode(z, zlen, text + 4, cap - 4) < 0)
		abort();
	free(tbs);
	free(cose);
	free(z);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!trust)
		init();
	if (size < 1 || size > 4096)
		return 0;
	struct healthcode_config cfg = {.skew_s = 300};
	struct healthcode_result r;
	const uint8_t *in = data + 1;
	size_t n = size - 1;
	switch (data[0] % 4) {
	case 0: {
		char *text = malloc(n + 4);
		memcpy(text, "HC1:", 4);
		memcpy(text + 4, in, n);
		healthcode_verify(text, n + 4, trust, &cfg, NOW, &r);
		free(text);
		break;
	}
	case 1: {
		char *text = wrap(in, n);
		healthcode_verify(text, strlen(text), trust, &cfg, NOW, &r);
		char json[4096];
		healthcode_result_to_json(&r, json, sizeof json);
		free(text);
		break;
	}
	case 2: {
		uint8_t out[4096];
		base45_decode((const char *)in, n, out, sizeof out);
		break;
	}
	case 3: {
		struct trust_list *t = trust_list_new();
		trust_list_add_dcc_signers(t, (const char *)in, n);
		trust_list_free(t);
		break;
	}
	}
	return 0;
}
