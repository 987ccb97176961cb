/* tests/fuzz/fuzz_shc.c: libFuzzer harness for the SMART Health Card decoder: the scanner
 * text as is ("shc:/" + digits), payload JSON deflated and signed so every check after the
 * signature sees it, the .smart-health-card file form, the numeric decoding, and the
 * JWKS and revocation-list parsers, by the first byte.
 * fuzz-sources: app/core/healthcode.c app/core/healthcode_szhc.c app/core/jws.c
 * fuzz-sources: app/core/healthcode_dcc.c app/core/healthcode_shc.c app/core/base45.c
 * fuzz-sources: app/core/b64url.c app/core/trustlist.c app/core/trustlist_intl.c
 * fuzz-sources: app/core/types.c
 * fuzz-pkgs: libcrypto jansson zlib libcbor */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/b64url.h"
#include "app/core/base45.h"
#include "app/core/healthcode.h"
#include "app/core/jws.h"

#include <zlib.h>

#define NOW 1687450800LL
#define ISS "https://fuzz.example/issuer"

static struct trust_list *trust;
static EVP_PKEY *key;
static char kid[JWS_THUMBPRINT_LEN + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void init(void)
{
	uint8_t x[32], y[32];
	key = jws_p256_generate();
	trust = trust_list_new();
	if (!key || !trust || jws_p256_xy(key, x, y) != 0 || jws_p256_thumbprint(x, y, kid) != 0)
		abort();
	struct trust_key k = {.kind = TRUST_KEY_SHC, .pkey = key};
	strcpy(k.kid, kid);
	strcpy(k.issuer, ISS);
	if (trust_list_add_intl_key(trust, &k) != 0)
		abort();
}

/* "shc:/" + digits of a JWS over the raw-deflated payload, signed with the harness key. */
static char *wrap(const uint8_t *payload, size_t len)
{
	uint8_t *def = malloc(len + 64);
	z_stream zs = {0};
	if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	zs.next_in = (Bytef *)(uintptr_t)payload;
	zs.avail_in = (uInt)len;
	zs.next_out = def;
	zs.avail_out = (uInt)len + 64;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	size_t dn = zs.total_out;
	deflateEnd(&zs);
	char hdr[128], jws[8192];
	snprintf(hdr, sizeof hdr, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
	int o = b64url_encode((const uint8_t *)hdr, strlen(hdr), jws, sizeof jws);
	jws[o++] = '.';
	o += b64url_encode(def, dn, jws + o, sizeof jws - (size_t)o);
	uint8_t sig[JWS_ES256_SIG_LEN];
	if (jws_es256_sign(key, jws, (size_t)o, sig) != 0)
		abort();
	jws[o++] = '.';
	o += b64url_encode(sig, sizeof sig, jws + o, sizeof jws - (size_t)o);
	char *text = malloc(5 + 2 * (size_t)o + 1);
	strcpy(text, "shc:/");
	for (int i = 0; i < o; i++)
		sprintf(text + 5 + 2 * i, "%02d", jws[i] - 45);
	free(def);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!trust)
		init();
	if (size < 1 || size > 3000)
		return 0;
	struct healthcode_config cfg = {.skew_s = 300};
	struct healthcode_result r;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0] % 5) {
	case 0: {
		char *text = malloc(n + 5);
		memcpy(text, "shc:/", 5);
		memcpy(text + 5, in, n);
		healthcode_verify(text, n + 5, trust, &cfg, NOW, &r);
		free(text);
		break;
	}
	case 1: {
		char *text = wrap(data + 1, n);
		healthcode_verify(text, strlen(text), trust, &cfg, NOW, &r);
		char json[4096];
		healthcode_result_to_json(&r, json, sizeof json);
		free(text);
		break;
	}
	case 2:
		healthcode_verify_shc_file(in, n, trust, &cfg, NOW, &r);
		break;
	case 3: {
		char out[3000];
		shc_numeric_decode(in, n, out, sizeof out);
		break;
	}
	case 4: {
		struct trust_list *t = trust_list_new();
		trust_list_add_shc_jwks(t, ISS, in, n);
		trust_list_add_shc_crl(trust, in, n);
		trust_list_free(t);
		break;
	}
	}
	return 0;
}
