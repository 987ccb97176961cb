/* app/core/healthcode_dcc.c: the EU Digital COVID Certificate as a health-code format:
 * "HC1:" + Base45 + zlib + COSE_Sign1 (ES256 or PS256) over a CWT carrying the hcert claim.
 * Key ids name document signer certificates on the trust list (trust_list_add_dcc_cert()). */
#include "app/core/base45.h"
#include "app/core/healthcode_formats.h"
#include "app/core/jws.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <zlib.h>

#define DCC_PREFIX      "HC1:"
#define DCC_MAX_INFLATE 8192 /* bytes of COSE a code may inflate to */
#define COSE_ALG_ES256  (-7)
#define COSE_ALG_PS256  (-37)
#define CWT_HCERT       (-260)
#define FAR_FUTURE      253402300799LL

static enum healthcode_detect dcc_detect(const char *text, size_t len)
{
	if (len >= 4 && memcmp(text, DCC_PREFIX, 4) == 0)
		return HEALTHCODE_DETECT_YES;
	if (len >= 4 && text[0] == 'H' && text[1] == 'C' && text[2] >= '2' && text[2] <= '9' &&
	    text[3] == ':')
		return HEALTHCODE_DETECT_OTHER_VERSION;
	return HEALTHCODE_DETECT_NO;
}

static enum reason fail(struct healthcode_result *out, const char *step, enum reason r,
                        const char *detail)
{
	out->step = step;
	healthcode_set_detail(out, "%s", detail);
	return r;
}

/* The map value of an integer key, or NULL. */
static cbor_item_t *map_int(cbor_item_t *map, int64_t key)
{
	if (!map || !cbor_isa_map(map))
		return NULL;
	struct cbor_pair *p = cbor_map_handle(map);
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		cbor_item_t *k = p[i].key;
		if (cbor_isa_uint(k) && key >= 0 && cbor_get_int(k) == (uint64_t)key)
			return p[i].value;
		if (cbor_isa_negint(k) && key < 0 && cbor_get_int(k) == (uint64_t)(-1 - key))
			return p[i].value;
	}
	return NULL;
}

static cbor_item_t *map_str(cbor_item_t *map, const char *key)
{
	if (!map || !cbor_isa_map(map))
		return NULL;
	struct cbor_pair *p = cbor_map_handle(map);
	size_t n = strlen(key);
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		cbor_item_t *k = p[i].key;
		if (cbor_isa_string(k) && cbor_string_is_definite(k) &&
		    cbor_string_length(k) == n && memcmp(cbor_string_handle(k), key, n) == 0)
			return p[i].value;
	}
	return NULL;
}

static bool get_int(cbor_item_t *v, int64_t *out)
{
	if (v && cbor_is_float(v)) { /* some issuers write times as floats */
		double d = cbor_float_get_float(v);
		if (!(d >= -1e15 && d <= 1e15))
			return false;
		*out = (int64_t)d;
		return true;
	}
	if (!v || !cbor_is_int(v) || cbor_get_int(v) > (uint64_t)INT64_MAX)
		return false;
	*out = cbor_isa_uint(v) ? (int64_t)cbor_get_int(v) : -1 - (int64_t)cbor_get_int(v);
	return true;
}

/* Copy a definite text string (cut to size - 1 bytes); "" when absent or not text. */
static void get_text(cbor_item_t *v, char *out, size_t size)
{
	out[0] = '\0';
	if (!v || !cbor_isa_string(v) || !cbor_string_is_definite(v) || size == 0)
		return;
	size_t n = cbor_string_length(v);
	if (n >= size)
		n = size - 1;
	memcpy(out, cbor_string_handle(v), n);
	out[n] = '\0';
}

static bool get_bytes(cbor_item_t *v, const uint8_t **p, size_t *n)
{
	if (!v || !cbor_isa_bytestring(v) || !cbor_bytestring_is_definite(v))
		return false;
	*p = cbor_bytestring_handle(v);
	*n = cbor_bytestring_length(v);
	return true;
}

/* hk_day of "YYYY-MM-DD..." (a date or an ISO date-time), or -1. */
static hk_day day_of(const char *s)
{
	hk_day d;
	char ymd[11];
	if (strlen(s) < 10)
		return -1;
	memcpy(ymd, s, 10);
	ymd[10] = '\0';
	return day_parse(ymd, &d) ? d : -1;
}

/* Append a CBOR major-type header (type 0..7, value) at out. Returns its length. */
static size_t cbor_head(uint8_t *out, unsigned type, uint64_t v)
{
	uint8_t t = (uint8_t)(type << 5);
	if (v < 24) {
		out[0] = t | (uint8_t)v;
		return 1;
	}
	int bytes = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffffu ? 4 : 8;
	out[0] = t | (uint8_t)(bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27);
	for (int i = 0; i < bytes; i++)
		out[1 + i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
	return 1 + (size_t)bytes;
}

/* Sig_structure ["Signature1", protected, h'', payload] (RFC 9052 §4.4), malloc'ed. */
static uint8_t *sig_structure(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
                              size_t payload_len, size_t *out_len)
{
	uint8_t *s = malloc(prot_len + payload_len + 64);
	size_t o = 0;
	if (!s)
		return NULL;
	o += cbor_head(s + o, 4, 4);
	o += cbor_head(s + o, 3, 10);
	memcpy(s + o, "Signature1", 10);
	o += 10;
	o += cbor_head(s + o, 2, prot_len);
	memcpy(s + o, prot, prot_len);
	o += prot_len;
	o += cbor_head(s + o, 2, 0);
	o += cbor_head(s + o, 2, payload_len);
	memcpy(s + o, payload, payload_len);
	o += payload_len;
	*out_len = o;
	return s;
}

static bool verify_ps256(EVP_PKEY *key, const uint8_t *msg, size_t len, const uint8_t *sig,
                         size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok = ctx && EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), NULL, key) == 1 &&
	          EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	          EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
	          EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* One CBOR item at p (len bytes): its encoded size, or 0 when it is not well formed, nests
 * deeper than 16, or declares more elements or bytes than remain. Run before cbor_load(),
 * which would otherwise allocate what a hostile length declares. Indefinite lengths
 * (0x5f, 0x7f, 0x9f, 0xbf) are followed to their break. */
static size_t cbor_sane(const uint8_t *p, size_t len, int depth)
{
	if (len == 0 || depth > 16)
		return 0;
	unsigned type = p[0] >> 5, info = p[0] & 0x1f;
	uint64_t v = info;
	size_t o = 1;
	if (info >= 24 && info <= 27) {
		size_t bytes = (size_t)1 << (info - 24);
		if (len < 1 + bytes)
			return 0;
		v = 0;
		for (size_t i = 0; i < bytes; i++)
			v = v << 8 | p[1 + i];
		o += bytes;
	} else if (info == 31) {
		if (type == 0 || type == 1 || type == 6)
			return 0;
		if (type == 7)
			return 0; /* a break outside an indefinite item */
		for (;;) {        /* indefinite: items until the break byte */
			if (o >= len)
				return 0;
			if (p[o] == 0xff)
				return o + 1;
			size_t n = cbor_sane(p + o, len - o, depth + 1);
			if (!n)
				return 0;
			o += n;
			if (type == 5) {
				size_t m = cbor_sane(p + o, len - o, depth + 1);
				if (!m)
					return 0;
				o += m;
			}
		}
	} else if (info > 27) {
		return 0;
	}
	switch (type) {
	case 2:
	case 3:
		return v <= len - o ? o + (size_t)v : 0;
	case 4:
	case 5: {
		uint64_t items = type == 5 ? v * 2 : v;
		if (v > len - o || items > len - o)
			return 0;
		for (uint64_t i = 0; i < items; i++) {
			size_t n = cbor_sane(p + o, len - o, depth + 1);
			if (!n)
				return 0;
			o += n;
		}
		return o;
	}
	case 6: {
		size_t n = cbor_sane(p + o, len - o, depth + 1);
		return n ? o + n : 0;
	}
	default:
		return o;
	}
}

/* Inflate a zlib stream into a new buffer (at most DCC_MAX_INFLATE bytes). */
static uint8_t *inflate_zlib(const uint8_t *in, size_t len, size_t *out_len)
{
	uint8_t *out = malloc(DCC_MAX_INFLATE);
	z_stream zs = {0};
	if (!out || inflateInit(&zs) != Z_OK) {
		free(out);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = DCC_MAX_INFLATE;
	int rc = inflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	inflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.avail_in != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* The person and the latest event of the hcert payload (the DCC map, claim -260 key 1). */
static bool read_dcc(cbor_item_t *dcc, struct healthcode_claims *c)
{
	char fn[48], gn[48];
	cbor_item_t *nam = map_str(dcc, "nam");
	if (!nam || !cbor_isa_map(nam))
		return false;
	get_text(map_str(nam, "gn"), gn, sizeof gn);
	get_text(map_str(nam, "fn"), fn, sizeof fn);
	if (!gn[0])
		get_text(map_str(nam, "gnt"), gn, sizeof gn);
	if (!fn[0])
		get_text(map_str(nam, "fnt"), fn, sizeof fn);
	if (!fn[0] && !gn[0])
		return false;
	snprintf(c->name, sizeof c->name, "%s%s%s", gn, gn[0] && fn[0] ? " " : "", fn);
	static const char *const groups[] = {"v", "t", "r"};
	static const enum healthcode_kind kinds[] = {
	    HEALTHCODE_KIND_VACCINATION, HEALTHCODE_KIND_TEST, HEALTHCODE_KIND_RECOVERY};
	struct healthcode_intl *in = &c->intl;
	in->day = -1;
	for (size_t g = 0; g < 3; g++) {
		cbor_item_t *arr = map_str(dcc, groups[g]);
		if (!arr || cbor_is_null(arr)) /* early issuers wrote null for absent groups */
			continue;
		if (!cbor_isa_array(arr))
			return false;
		for (size_t i = 0; i < cbor_array_size(arr); i++) {
			cbor_item_t *e = cbor_array_get(arr, i);
			char date[40];
			get_text(map_str(e, g == 0   ? "dt"
			                    : g == 1 ? "sc"
			                             : "fr"),
			         date, sizeof date);
			hk_day day = day_of(date);
			if (day >= in->day) {
				in->day = day;
				in->kind = kinds[g];
				get_text(map_str(e, "co"), in->country, sizeof in->country);
				get_text(map_str(e, "ci"), in->id, sizeof in->id);
				get_text(map_str(e, g == 0   ? "mp"
				                    : g == 1 ? "tt"
				                             : "tg"),
				         in->product, sizeof in->product);
				int64_t v = 0;
				in->dose = g == 0 && get_int(map_str(e, "dn"), &v) ? (int)v : 0;
				in->doses = g == 0 && get_int(map_str(e, "sd"), &v) ? (int)v : 0;
				char tr[16];
				get_text(map_str(e, "tr"), tr, sizeof tr);
				in->test_positive = g == 1 && strcmp(tr, "260373001") == 0;
			}
			cbor_decref(&e);
		}
	}
	if (in->day < 0)
		in->day = 0;
	return true;
}

static unsigned usage_of_kind(enum healthcode_kind k)
{
	return k == HEALTHCODE_KIND_TEST          ? TRUST_USAGE_TEST
	       : k == HEALTHCODE_KIND_VACCINATION ? TRUST_USAGE_VACCINATION
	       : k == HEALTHCODE_KIND_RECOVERY    ? TRUST_USAGE_RECOVERY
	                                          : 0;
}

static enum reason dcc_verify(const char *text, size_t len, const struct trust_list *trust,
                              struct healthcode_result *out, const struct trust_key **key_out)
{
	enum reason r = REASON_MALFORMED;
	uint8_t *raw = NULL, *cose = NULL, *tbs = NULL;
	cbor_item_t *arr = NULL, *prot = NULL, *cwt = NULL;
	size_t raw_len = 0, cose_len = 0, tbs_len = 0;
	struct cbor_load_result res;

	raw = malloc(len);
	int n = raw ? base45_decode(text + 4, len - 4, raw, len) : -ENOMEM;
	if (n <= 0) {
		r = fail(out, "base45", REASON_MALFORMED, "not Base45 after HC1:");
		goto out_free;
	}
	raw_len = (size_t)n;
	if (raw[0] != 0x78) { /* the specification requires zlib (RFC 1950) */
		r = fail(out, "inflate", REASON_MALFORMED, "not zlib-compressed");
		goto out_free;
	}
	cose = inflate_zlib(raw, raw_len, &cose_len);
	if (!cose) {
		r = fail(out, "inflate", REASON_MALFORMED, "zlib data does not inflate");
		goto out_free;
	}
	/* Tags are taken off by hand: CWT (61) around COSE_Sign1 (18) is allowed, nothing
	 * else. (libcbor 0.8 also refuses some tagged arrays it should read.) */
	size_t skip = 0;
	if (cose_len > 2 && cose[0] == 0xd8 && cose[1] == 61)
		skip = 2;
	if (cose_len > skip && cose[skip] == 0xd2)
		skip++;
	else if (cose_len > skip && (cose[skip] & 0xe0) == 0xc0) {
		r = fail(out, "cose", REASON_MALFORMED, "CBOR tag is not COSE_Sign1 (18)");
		goto out_free;
	}
	if (cbor_sane(cose + skip, cose_len - skip, 0) != cose_len - skip) {
		r = fail(out, "cose", REASON_MALFORMED, "not one well-formed CBOR item");
		goto out_free;
	}
	arr = cbor_load(cose + skip, cose_len - skip, &res);
	if (!arr || res.error.code != CBOR_ERR_NONE || res.read != cose_len - skip) {
		r = fail(out, "cose", REASON_MALFORMED, "not one CBOR item");
		goto out_free;
	}
	const uint8_t *prot_b, *payload, *sig;
	size_t prot_len, payload_len, sig_len;
	if (!cbor_isa_array(arr) || cbor_array_size(arr) != 4 ||
	    !get_bytes(cbor_array_handle(arr)[0], &prot_b, &prot_len) ||
	    !cbor_isa_map(cbor_array_handle(arr)[1]) ||
	    !get_bytes(cbor_array_handle(arr)[2], &payload, &payload_len) ||
	    !get_bytes(cbor_array_handle(arr)[3], &sig, &sig_len)) {
		r = fail(out, "cose", REASON_MALFORMED, "not a COSE_Sign1 array");
		goto out_free;
	}
	cbor_item_t *unprot = cbor_array_handle(arr)[1];
	if (prot_len > 0) {
		prot = cbor_sane(prot_b, prot_len, 0) == prot_len
		           ? cbor_load(prot_b, prot_len, &res)
		           : NULL;
		if (!prot || res.read != prot_len || !cbor_isa_map(prot)) {
			r = fail(out, "cose", REASON_MALFORMED, "protected header is not a map");
			goto out_free;
		}
	}
	int64_t alg = 0;
	cbor_item_t *alg_item = map_int(prot, 1);
	if (!alg_item)
		alg_item = map_int(unprot, 1);
	if (!get_int(alg_item, &alg) || (alg != COSE_ALG_ES256 && alg != COSE_ALG_PS256)) {
		r = fail(out, "cose", REASON_MALFORMED, "algorithm is not ES256 or PS256");
		goto out_free;
	}
	const uint8_t *kid_b;
	size_t kid_len;
	cbor_item_t *kid_item = map_int(prot, 4);
	if (!kid_item)
		kid_item = map_int(unprot, 4);
	if (!get_bytes(kid_item, &kid_b, &kid_len) || kid_len == 0 || kid_len > 32) {
		r = fail(out, "cose", REASON_MALFORMED, "no key id (kid)");
		goto out_free;
	}
	EVP_EncodeBlock((unsigned char *)out->kid, kid_b, (int)kid_len);
	const struct trust_key *key = trust_list_find_key(trust, out->kid);
	if (!key || key->kind != TRUST_KEY_DCC) {
		r = fail(out, "signature", REASON_UNKNOWN_ISSUER,
		         "no trusted DCC signer with this kid");
		goto out_free;
	}
	tbs = sig_structure(prot_b, prot_len, payload, payload_len, &tbs_len);
	bool is_rsa = EVP_PKEY_get_base_id(key->pkey) == EVP_PKEY_RSA;
	bool ok = false;
	if (alg == COSE_ALG_ES256 && !is_rsa)
		ok = tbs && sig_len == JWS_ES256_SIG_LEN &&
		     jws_es256_verify(key->pkey, tbs, tbs_len, sig);
	else if (alg == COSE_ALG_PS256 && is_rsa)
		ok = tbs && verify_ps256(key->pkey, tbs, tbs_len, sig, sig_len);
	if (!ok) {
		r = fail(out, "signature", REASON_BAD_SIGNATURE, "COSE signature does not verify");
		goto out_free;
	}
	cwt = cbor_sane(payload, payload_len, 0) == payload_len
	          ? cbor_load(payload, payload_len, &res)
	          : NULL;
	struct healthcode_claims *c = &out->claims;
	cbor_item_t *hcert = map_int(cwt, CWT_HCERT);
	if (!cwt || res.read != payload_len || !cbor_isa_map(cwt) || !map_int(hcert, 1) ||
	    !read_dcc(map_int(hcert, 1), c)) {
		r = fail(out, "cbor", REASON_MALFORMED, "CWT payload lacks a readable hcert claim");
		goto out_free;
	}
	get_text(map_int(cwt, 1), c->issuer, sizeof c->issuer);
	if (!get_int(map_int(cwt, 6), &c->iat))
		c->iat = 0;
	if (!get_int(map_int(cwt, 4), &c->exp))
		c->exp = FAR_FUTURE;
	c->nbf = c->iat;
	c->colour = HEALTHCODE_GREEN;
	c->category = CATEGORY_INBOUND;
	c->intl.present = true;
	if (!c->intl.country[0])
		snprintf(c->intl.country, sizeof c->intl.country, "%.3s", c->issuer);
	out->has_claims = true;
	*key_out = key;
	unsigned need = usage_of_kind(c->intl.kind);
	if (need && !(key->usage & need)) {
		r = fail(out, "key_usage", REASON_KEY_USAGE,
		         "signer certificate's extended key usage excludes this kind");
		goto out_free;
	}
	r = REASON_OK;
out_free:
	free(raw);
	free(cose);
	free(tbs);
	if (arr)
		cbor_decref(&arr);
	if (prot)
		cbor_decref(&prot);
	if (cwt)
		cbor_decref(&cwt);
	return r;
}

const struct healthcode_format healthcode_format_dcc = {
    .name = "EU-DCC",
    .detect = dcc_detect,
    .verify = dcc_verify,
};
