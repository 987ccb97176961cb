/* tests/fuzz/fuzz_healthcode.c: libFuzzer harness for the health-code decoder: the scanner
 * text verifier, the claims parser (alone, and signed so that every check after the
 * signature sees it), the JWKS parser and base64url, chosen by the first byte.
 * fuzz-sources: app/core/healthcode.c app/core/healthcode_szhc.c app/core/jws.c
 * fuzz-sources: app/core/b64url.c app/core/trustlist.c app/core/types.c
 * fuzz-sources: app/core/healthcode_dcc.c app/core/healthcode_shc.c app/core/base45.c
 * fuzz-sources: app/core/trustlist_intl.c
 * fuzz-pkgs: libcrypto jansson zlib libcbor */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/b64url.h"
#include "app/core/healthcode.h"
#include "app/core/jws.h"

#include <stdio.h>

#define NOW 1795000000LL /* the seed codes are valid at this time */

/* Public keys of the seed corpus codes (the private halves are not kept). */
static const char trust_jwks[] =
    "{\"keys\":["
    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"Hf84i26AwBatknxkoxCz1r9bo6Vsi-ZGGOG5o_Y6tmE\","
    "\"y\":\"ijeGLiNvZ6Un_T9abQoa0pB06ohkgPXYANeoWuqL-l8\","
    "\"kid\":\"U74pMo0mUTD9XSvP2-zer9kR04de8ee-JdpsftpPa-g\",\"iss\":\"fuzz.hc\","
    "\"use\":\"sig\",\"alg\":\"ES256\"},"
    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"1Z0O76gmSbEMsXuwBhy94lodBGATJvMZDBOwkci7qi4\","
    "\"y\":\"klcSy5l0VCySH9HNtC_nQ9EUZSOW7vVP4VtG56Krbjo\","
    "\"kid\":\"qi0mEa-ZfbHY5eGJE2MuUZ24p7ENEIU6F5pRmyGXsXg\",\"iss\":\"fuzzdemo.hc\","
    "\"use\":\"sig\",\"alg\":\"ES256\",\"demo\":true}]}";

static struct trust_list *trust;
static EVP_PKEY *signer; /* made at start, trusted for issuer "fuzz.hc": signs fuzzed payloads */
static char signer_kid[TRUST_KID_MAX];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trust = trust_list_new();
	if (!trust || trust_list_add_jwks(trust, trust_jwks, strlen(trust_jwks)) != 2)
		abort();
	trust_list_revoke_id(trust, "revoked-jti");
	signer = jws_p256_generate();
	if (!signer || trust_list_add_key(trust, "fuzz.hc", "fuzz-signer", signer, false) < 0)
		abort();
	strcpy(signer_kid, "fuzz-signer");
	return 0;
}

/* Sign the fuzzed payload with a trusted key: the checks after the signature (claims,
 * issuer, revocation, time, colour) see arbitrary claims. Whatever the parser refuses,
 * the verifier must refuse as malformed; whatever it accepts must not be malformed. */
static void fuzz_signed_payload(const char *payload, size_t len, int64_t now, int64_t skew)
{
	char json[1024], code[HEALTHCODE_TEXT_MAX * 2];
	char header[128];
	struct healthcode_claims c;
	struct healthcode_result r;
	struct healthcode_config cfg = {.skew_s = skew};
	if (len >= sizeof json)
		return;
	memcpy(json, payload, len);
	json[len] = '\0';
	snprintf(header, sizeof header, "{\"alg\":\"ES256\",\"kid\":\"%s\"}", signer_kid);
	strcpy(code, "SZHC1:");
	if (jws_es256_compact_sign(signer, header, json, code + 6, sizeof code - 6) < 0)
		abort();
	enum reason parsed = healthcode_claims_parse(json, strlen(json), &c, NULL, 0);
	enum reason got = healthcode_verify(code, strlen(code), trust, &cfg, now, &r);
	if (strlen(code) > HEALTHCODE_TEXT_MAX)
		return;
	if ((parsed == REASON_MALFORMED) != (got == REASON_MALFORMED))
		abort();
	/* valid means: our issuer, and inside the validity period give or take the skew (a day
	 * at most) */
	if (got == REASON_OK && (strcmp(r.claims.issuer, "fuzz.hc") != 0 ||
	                         r.claims.exp <= now - HEALTHCODE_MAX_SKEW_S ||
	                         r.claims.nbf > now + HEALTHCODE_MAX_SKEW_S))
		abort();
}

static void fuzz_verify(const char *text, size_t len, bool demo, int64_t now, int64_t skew)
{
	struct healthcode_config cfg = {.skew_s = skew, .demo_allowed = demo};
	struct healthcode_result r;
	char line[512], json[2048];
	enum reason got = healthcode_verify(text, len, trust, &cfg, now, &r);
	if (got != r.reason || (unsigned)got >= REASON_COUNT)
		abort();
	healthcode_log_line(&r, now, line, sizeof line);
	healthcode_result_to_json(&r, json, sizeof json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	/* the high bits of the first byte move the clock (also to the extremes) and the skew */
	int64_t now = NOW, skew = mode & 0x20 ? INT64_MAX : 300;
	if (mode & 0x80)
		now = mode & 0x40 ? INT64_MAX : INT64_MIN;
	else if (mode & 0x40)
		now = NOW + (int64_t)((mode >> 3) & 3) * 1000000 - 1500000;
	switch (mode & 3) {
	case 0:
		fuzz_verify(text, len, mode & 4, now, skew);
		break;
	case 1: {
		struct healthcode_claims c;
		char detail[HEALTHCODE_DETAIL_MAX];
		if (mode & 4)
			fuzz_signed_payload(text, len, now, skew);
		else
			healthcode_claims_parse(text, len, &c, detail, sizeof detail);
		break;
	}
	case 2: {
		struct trust_list *t = trust_list_new();
		char kid[TRUST_KID_MAX];
		if (!t)
			abort();
		if (mode & 4)
			trust_list_add_jwk(t, text, len, kid);
		else
			trust_list_add_jwks(t, text, len);
		trust_list_free(t);
		break;
	}
	case 3: {
		uint8_t out[512];
		char back[1024];
		int n = b64url_decode(text, len, out, sizeof out);
		/* strict decoding: what decodes re-encodes to the same text */
		if (n >= 0 && (b64url_encode(out, (size_t)n, back, sizeof back) != (int)len ||
		               memcmp(back, text, len) != 0))
			abort();
		break;
	}
	}
	return 0;
}
