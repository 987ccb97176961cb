/* app/core/wristband.h: wristband tokens: issued and signed (Ed25519) by the station, checked
 * by any device holding only public keys. A token carries no personal data and is written in
 * QR alphanumeric characters; the grammar and the QR size budget are in docs/wristband.md. */
#ifndef HK_CORE_WRISTBAND_H
#define HK_CORE_WRISTBAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/types.h"

#define WRISTBAND_KEY_SIZE    32 /* raw Ed25519 private (seed) or public key, bytes */
#define WRISTBAND_STATION_MAX 8  /* station id: 1-8 characters of [0-9A-Z] */
#define WRISTBAND_ROOM_MAX    8  /* room: 1-8 characters of [0-9A-Z-] */
#define WRISTBAND_SERIAL_MAX  INT64_MAX
#define WRISTBAND_DAY_MAX     99999 /* issue day fits 5 digits: until the year 2243 */
#define WRISTBAND_TOKEN_MAX   152   /* longest token, characters; QR version 6-M holds 154 */
#define WRISTBAND_TOKEN_SIZE  (WRISTBAND_TOKEN_MAX + 1) /* buffer for a token and its NUL */
#define WRISTBAND_KEY_ID_SIZE 9                         /* 8 characters and a NUL */

/* The station's signing key: only stationd (or stationctl) ever holds one. Wipe it with
 * OPENSSL_cleanse or explicit_bzero when done. */
struct wristband_private_key {
	uint8_t bytes[WRISTBAND_KEY_SIZE];
};

/* A verification key, given to every checkpoint device (the trust list). */
struct wristband_public_key {
	uint8_t bytes[WRISTBAND_KEY_SIZE];
};

/* What a band says. Nothing in it identifies a person; the store maps serial to person. */
struct wristband {
	char station[WRISTBAND_STATION_MAX + 1]; /* issuing station, NUL-terminated */
	int64_t serial;                          /* 1 .. WRISTBAND_SERIAL_MAX, unique per station */
	char room[WRISTBAND_ROOM_MAX + 1];       /* room number, NUL-terminated */
	hk_day day;                              /* issue day, 0 .. WRISTBAND_DAY_MAX */
};

/* Outcome of wristband_verify; every value but WRISTBAND_OK means "do not trust". */
enum wristband_result {
	WRISTBAND_OK = 0,
	WRISTBAND_NOT_WRISTBAND,       /* the text is not a wristband token at all */
	WRISTBAND_MALFORMED,           /* starts like one of ours but does not parse */
	WRISTBAND_UNSUPPORTED_VERSION, /* a token format version this build does not read */
	WRISTBAND_WRONG_STATION,       /* well formed, but claims another station (unverified) */
	WRISTBAND_BAD_SIGNATURE,       /* no trusted key signed it: forged or altered */
	WRISTBAND_UNVERIFIABLE,        /* no trusted key given, or the crypto library failed */
	WRISTBAND_RESULT_COUNT
};

/* Stable lower-case name of a result for logs, e.g. "bad_signature"; never NULL. */
const char *wristband_result_name(enum wristband_result r);

/* Make a new random key pair (OpenSSL's CSPRNG). Returns 0, -EINVAL on NULL arguments or
 * -EIO when the crypto library fails (then both outputs are zeroed). */
int wristband_key_generate(struct wristband_private_key *priv, struct wristband_public_key *pub);

/* Derive the public key of a private key. Returns 0, -EINVAL or -EIO. */
int wristband_key_public(const struct wristband_private_key *priv,
                         struct wristband_public_key *pub);

/* Short fingerprint of a public key for people and logs: the first 40 bits of its SHA-256,
 * in base32 (8 characters). out needs WRISTBAND_KEY_ID_SIZE bytes. Returns 0, -EINVAL, -EIO. */
int wristband_key_id(const struct wristband_public_key *pub, char out[WRISTBAND_KEY_ID_SIZE]);

/* True when every field of band is within the limits above (what wristband_issue needs). */
bool wristband_fields_valid(const struct wristband *band);

/* Write the signed token for band into out (NUL-terminated, at most WRISTBAND_TOKEN_MAX
 * characters; out_size counts the NUL). Deterministic: the same band and key give the same
 * token. Returns 0; -EINVAL for NULL arguments or fields that are not valid
 * (wristband_fields_valid); -ENOSPC when out is too small; -EIO when signing fails.
 * On failure out holds "" if out_size > 0. */
int wristband_issue(const struct wristband *band, const struct wristband_private_key *priv,
                    char *out, size_t out_size);

/* Check a scanned text of len bytes (need not be NUL-terminated; any bytes at all are safe).
 * station: the id this device serves; a token of another station is WRONG_STATION. NULL
 * accepts any station (for inspection tools). keys: nkeys trusted public keys; a token
 * signed by any one of them is accepted (key rotation). Checks run in the order of the enum:
 * format, version, station, signature. out (may be NULL) receives the band's fields on
 * WRISTBAND_OK and is zeroed otherwise, so unverified claims are never handed out. */
enum wristband_result wristband_verify(const char *text, size_t len, const char *station,
                                       const struct wristband_public_key *keys, size_t nkeys,
                                       struct wristband *out);

#endif
