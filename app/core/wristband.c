/* app/core/wristband.c: wristband token format, Ed25519 signing and checking through
 * OpenSSL EVP. Token grammar: docs/wristband.md. */
#include "app/core/wristband.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "app/core/base32.h"

#define TAG           "HKW" /* HealthKiosk Wristband */
#define TAG_LEN       3
#define VERSION       '1'
#define SEP           '.'
#define SIG_SIZE      64  /* Ed25519 signature, bytes */
#define SIG_CHARS     103 /* base32_encoded_len(SIG_SIZE) */
#define SERIAL_DIGITS 19  /* INT64_MAX has 19 decimal digits */
#define DAY_DIGITS    5
#define FIELD_COUNT   6 /* tag+version, station, serial, room, day, signature */

_Static_assert(TAG_LEN + 1 + 1 + WRISTBAND_STATION_MAX + 1 + SERIAL_DIGITS + 1 +
                       WRISTBAND_ROOM_MAX + 1 + DAY_DIGITS + 1 + SIG_CHARS ==
                   WRISTBAND_TOKEN_MAX,
               "WRISTBAND_TOKEN_MAX is the longest token the grammar allows");

static const char *const result_names[WRISTBAND_RESULT_COUNT] = {
    [WRISTBAND_OK] = "ok",
    [WRISTBAND_NOT_WRISTBAND] = "not_wristband",
    [WRISTBAND_MALFORMED] = "malformed",
    [WRISTBAND_UNSUPPORTED_VERSION] = "unsupported_version",
    [WRISTBAND_WRONG_STATION] = "wrong_station",
    [WRISTBAND_BAD_SIGNATURE] = "bad_signature",
    [WRISTBAND_UNVERIFIABLE] = "unverifiable",
};

const char *wristband_result_name(enum wristband_result r)
{
	if ((unsigned)r >= WRISTBAND_RESULT_COUNT)
		return "?";
	return result_names[r];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool station_char(char c)
{
	return is_digit(c) || is_upper(c);
}

static bool room_char(char c)
{
	return is_digit(c) || is_upper(c) || c == '-';
}

/* Characters a version-1 token may contain at all. */
static bool token_char(char c)
{
	return is_digit(c) || is_upper(c) || c == '-' || c == SEP;
}

/* A field of 1..max characters all accepted by ok(). */
static bool field_valid(const char *s, size_t len, size_t max, bool (*ok)(char))
{
	if (len < 1 || len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!ok(s[i]))
			return false;
	return true;
}

/* Canonical decimal: 1..max_digits digits, no leading zero unless the number is 0, value at
 * most limit. */
static bool decimal_parse(const char *s, size_t len, size_t max_digits, int64_t limit, int64_t *out)
{
	if (len < 1 || len > max_digits || (len > 1 && s[0] == '0'))
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		int d = s[i] - '0';
		if (v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool wristband_fields_valid(const struct wristband *band)
{
	if (!band)
		return false;
	size_t sl = strnlen(band->station, sizeof band->station);
	size_t rl = strnlen(band->room, sizeof band->room);
	return sl < sizeof band->station &&
	       field_valid(band->station, sl, WRISTBAND_STATION_MAX, station_char) &&
	       rl < sizeof band->room &&
	       field_valid(band->room, rl, WRISTBAND_ROOM_MAX, room_char) && band->serial >= 1 &&
	       band->serial <= WRISTBAND_SERIAL_MAX && band->day >= 0 &&
	       band->day <= WRISTBAND_DAY_MAX;
}

int wristband_key_generate(struct wristband_private_key *priv, struct wristband_public_key *pub)
{
	if (!priv || !pub)
		return -EINVAL;
	int rc = -EIO;
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	if (!ctx)
		goto out_clear;
	if (EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, &pkey) != 1)
		goto out_free_ctx;
	size_t plen = sizeof priv->bytes, qlen = sizeof pub->bytes;
	if (EVP_PKEY_get_raw_private_key(pkey, priv->bytes, &plen) != 1 ||
	    EVP_PKEY_get_raw_public_key(pkey, pub->bytes, &qlen) != 1 ||
	    plen != sizeof priv->bytes || qlen != sizeof pub->bytes)
		goto out_free_key;
	rc = 0;
out_free_key:
	EVP_PKEY_free(pkey);
out_free_ctx:
	EVP_PKEY_CTX_free(ctx);
out_clear:
	if (rc != 0) {
		OPENSSL_cleanse(priv->bytes, sizeof priv->bytes);
		memset(pub->bytes, 0, sizeof pub->bytes);
	}
	return rc;
}

int wristband_key_public(const struct wristband_private_key *priv, struct wristband_public_key *pub)
{
	if (!priv || !pub)
		return -EINVAL;
	EVP_PKEY *pkey =
	    EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv->bytes, sizeof priv->bytes);
	if (!pkey)
		return -EIO;
	size_t len = sizeof pub->bytes;
	int rc =
	    EVP_PKEY_get_raw_public_key(pkey, pub->bytes, &len) == 1 && len == sizeof pub->bytes
	        ? 0
	        : -EIO;
	EVP_PKEY_free(pkey);
	return rc;
}

int wristband_key_id(const struct wristband_public_key *pub, char out[WRISTBAND_KEY_ID_SIZE])
{
	if (!pub || !out)
		return -EINVAL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (EVP_Digest(pub->bytes, sizeof pub->bytes, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen < 5) {
		out[0] = '\0';
		return -EIO;
	}
	return base32_encode(md, 5, out, WRISTBAND_KEY_ID_SIZE);
}

/* The signed part of a token: "HKW1.STATION.SERIAL.ROOM.DAY". Returns its length, or -1. */
static int body_format(const struct wristband *band, char *out, size_t out_size)
{
	int n = snprintf(out, out_size, "%s%c%c%s%c%lld%c%s%c%ld", TAG, VERSION, SEP, band->station,
	                 SEP, (long long)band->serial, SEP, band->room, SEP, (long)band->day);
	return n > 0 && (size_t)n < out_size ? n : -1;
}

int wristband_issue(const struct wristband *band, const struct wristband_private_key *priv,
                    char *out, size_t out_size)
{
	if (out && out_size > 0)
		out[0] = '\0';
	if (!band || !priv || !out || !wristband_fields_valid(band))
		return -EINVAL;
	char body[WRISTBAND_TOKEN_SIZE];
	int blen = body_format(band, body, sizeof body);
	if (blen < 0)
		return -EINVAL; /* cannot happen for valid fields; the limits guarantee it fits */
	if ((size_t)blen + 1 + SIG_CHARS + 1 > out_size)
		return -ENOSPC;

	int rc = -EIO;
	unsigned char sig[SIG_SIZE];
	size_t siglen = sizeof sig;
	EVP_PKEY *pkey =
	    EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv->bytes, sizeof priv->bytes);
	if (!pkey)
		return -EIO;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		goto out_free_key;
	if (EVP_DigestSignInit(md, NULL, NULL, NULL, pkey) != 1 ||
	    EVP_DigestSign(md, sig, &siglen, (const unsigned char *)body, (size_t)blen) != 1 ||
	    siglen != SIG_SIZE)
		goto out_free_md;
	memcpy(out, body, (size_t)blen);
	out[blen] = SEP;
	if (base32_encode(sig, sizeof sig, out + blen + 1, out_size - (size_t)blen - 1) != 0) {
		out[0] = '\0';
		goto out_free_md;
	}
	rc = 0;
out_free_md:
	EVP_MD_CTX_free(md);
out_free_key:
	EVP_PKEY_free(pkey);
	return rc;
}

/* 1 when key signed msg with sig, 0 when not, -1 when the library failed. */
static int signature_check(const struct wristband_public_key *key, const char *msg, size_t len,
                           const unsigned char sig[SIG_SIZE])
{
	int rc = -1;
	EVP_PKEY *pkey =
	    EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key->bytes, sizeof key->bytes);
	if (!pkey)
		return -1;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		goto out_free_key;
	if (EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) != 1)
		goto out_free_md;
	/* 1 = valid; 0 = invalid; negative = error, which for a well-formed 64-byte signature
	 * and 32-byte key means an invalid encoding, so also "not signed by this key". */
	rc = EVP_DigestVerify(md, sig, SIG_SIZE, (const unsigned char *)msg, len) == 1 ? 1 : 0;
out_free_md:
	EVP_MD_CTX_free(md);
out_free_key:
	EVP_PKEY_free(pkey);
	return rc;
}

static bool ascii_upper_equal(char c, char upper)
{
	return c == upper || (c >= 'a' && c <= 'z' && c - 'a' + 'A' == upper);
}

/* Format and version, before anything else is read. */
static enum wristband_result tag_check(const char *text, size_t len)
{
	if (len < TAG_LEN)
		return WRISTBAND_NOT_WRISTBAND;
	for (size_t i = 0; i < TAG_LEN; i++)
		if (!ascii_upper_equal(text[i], TAG[i]))
			return WRISTBAND_NOT_WRISTBAND;
	/* Ours in the wrong case: a scanner typing under Caps Lock, say "malformed". */
	if (memcmp(text, TAG, TAG_LEN) != 0 || len < TAG_LEN + 1)
		return WRISTBAND_MALFORMED;
	char v = text[TAG_LEN];
	if (v == VERSION)
		return WRISTBAND_OK;
	return station_char(v) ? WRISTBAND_UNSUPPORTED_VERSION : WRISTBAND_MALFORMED;
}

enum wristband_result wristband_verify(const char *text, size_t len, const char *station,
                                       const struct wristband_public_key *keys, size_t nkeys,
                                       struct wristband *out)
{
	struct wristband band;
	memset(&band, 0, sizeof band);
	if (out)
		memset(out, 0, sizeof *out);
	if (!text)
		return WRISTBAND_NOT_WRISTBAND;
	enum wristband_result r = tag_check(text, len);
	if (r != WRISTBAND_OK)
		return r;
	if (len > WRISTBAND_TOKEN_MAX)
		return WRISTBAND_MALFORMED;
	for (size_t i = 0; i < len; i++)
		if (!token_char(text[i]))
			return WRISTBAND_MALFORMED;

	/* Split at the separators: exactly FIELD_COUNT fields. */
	size_t start[FIELD_COUNT], flen[FIELD_COUNT];
	size_t nf = 0, from = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != SEP)
			continue;
		if (nf == FIELD_COUNT)
			return WRISTBAND_MALFORMED;
		start[nf] = from;
		flen[nf] = i - from;
		nf++;
		from = i + 1;
	}
	if (nf != FIELD_COUNT || flen[0] != TAG_LEN + 1)
		return WRISTBAND_MALFORMED;

	const char *st = text + start[1], *room = text + start[3];
	int64_t serial, day;
	if (!field_valid(st, flen[1], WRISTBAND_STATION_MAX, station_char) ||
	    !decimal_parse(text + start[2], flen[2], SERIAL_DIGITS, WRISTBAND_SERIAL_MAX,
	                   &serial) ||
	    serial < 1 || !field_valid(room, flen[3], WRISTBAND_ROOM_MAX, room_char) ||
	    !decimal_parse(text + start[4], flen[4], DAY_DIGITS, WRISTBAND_DAY_MAX, &day) ||
	    flen[5] != SIG_CHARS)
		return WRISTBAND_MALFORMED;
	unsigned char sig[SIG_SIZE];
	size_t siglen = 0;
	if (base32_decode(text + start[5], flen[5], sig, sizeof sig, &siglen) != 0 ||
	    siglen != SIG_SIZE)
		return WRISTBAND_MALFORMED;

	memcpy(band.station, st, flen[1]);
	memcpy(band.room, room, flen[3]);
	band.serial = serial;
	band.day = (hk_day)day;
	if (station && strncmp(station, band.station, sizeof band.station) != 0)
		return WRISTBAND_WRONG_STATION;
	if (!keys || nkeys == 0)
		return WRISTBAND_UNVERIFIABLE;

	/* The signed body is everything before the separator that precedes the signature. */
	bool failed = false;
	for (size_t k = 0; k < nkeys; k++) {
		int ok = signature_check(&keys[k], text, start[5] - 1, sig);
		if (ok == 1) {
			if (out)
				*out = band;
			return WRISTBAND_OK;
		}
		failed |= ok < 0;
	}
	return failed ? WRISTBAND_UNVERIFIABLE : WRISTBAND_BAD_SIGNATURE;
}
