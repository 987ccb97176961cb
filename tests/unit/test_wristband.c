/* tests/unit/test_wristband.c: app/core/wristband: issue and verify, refusal of every
 * single-character change and every truncation, keys and rotation, the charset, and the
 * proof that the longest token prints as a QR code on a 25 mm band at 203 dpi. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <qrencode.h>
#include <zbar.h>

#include "app/core/wristband.h"

struct keys {
	struct wristband_private_key priv;
	struct wristband_public_key pub;
};

static struct keys key_a, key_b;

/* The longest band the format allows. */
static const struct wristband band_max = {"ZZ99ZZ99", INT64_MAX, "B-1299-Z", 99999};
static const struct wristband band_typical = {"SZ03", 1042, "1201", 19478};

static int setup_keys(void **state)
{
	(void)state;
	if (wristband_key_generate(&key_a.priv, &key_a.pub) != 0 ||
	    wristband_key_generate(&key_b.priv, &key_b.pub) != 0)
		return -1;
	return 0;
}

static void issue_ok(const struct wristband *band, const struct keys *k, char *out)
{
	assert_int_equal(wristband_issue(band, &k->priv, out, WRISTBAND_TOKEN_SIZE), 0);
}

static enum wristband_result verify_with(const char *text, size_t len, const char *station,
                                         const struct keys *k, struct wristband *out)
{
	return wristband_verify(text, len, station, &k->pub, 1, out);
}

static void assert_band_equal(const struct wristband *a, const struct wristband *b)
{
	assert_string_equal(a->station, b->station);
	assert_true(a->serial == b->serial);
	assert_string_equal(a->room, b->room);
	assert_int_equal(a->day, b->day);
}

static void test_round_trip(void **state)
{
	(void)state;
	const struct wristband bands[] = {
	    band_typical,
	    band_max,
	    {"A", 1, "1", 0},
	    {"0", 2, "-", 1},
	    {"X7", 4294967296LL, "9A", 20000},
	};
	for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
		char tok[WRISTBAND_TOKEN_SIZE], again[WRISTBAND_TOKEN_SIZE];
		issue_ok(&bands[i], &key_a, tok);
		issue_ok(&bands[i], &key_a, again);
		assert_string_equal(tok, again); /* deterministic */
		struct wristband got;
		assert_int_equal(verify_with(tok, strlen(tok), bands[i].station, &key_a, &got),
		                 WRISTBAND_OK);
		assert_band_equal(&got, &bands[i]);
	}
}

/* A pinned token: the grammar in docs/wristband.md, and Ed25519 as RFC 8032 defines it
 * (test 1 secret key), so a silent change of format or signature input fails here. */
static void test_known_token(void **state)
{
	(void)state;
	static const uint8_t seed[32] = {
	    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
	    0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
	    0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
	};
	static const uint8_t pub_expected[32] = {
	    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
	    0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
	    0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
	};
	struct keys k;
	memcpy(k.priv.bytes, seed, 32);
	assert_int_equal(wristband_key_public(&k.priv, &k.pub), 0);
	assert_memory_equal(k.pub.bytes, pub_expected, 32);
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_typical, &k, tok);
	/* Cross-checked with Python's cryptography package: docs/wristband.md. */
	assert_string_equal(
	    tok, "HKW1.SZ03.1042.1201.19478."
	         "YAGS7CJFSI7SHPIE2MXYZV6CZ72S57U5IXRLLPLXEM43Q7HKIR4TTEOKQJ65MDRWJTLHFK3MQ"
	         "5O45LBXXNEJ2ZPJW6DKN4JQ76LU6BY");
	assert_int_equal(verify_with(tok, strlen(tok), "SZ03", &k, NULL), WRISTBAND_OK);
	char id[WRISTBAND_KEY_ID_SIZE];
	assert_int_equal(wristband_key_id(&k.pub, id), 0);
	assert_int_equal(strlen(id), 8);
}

static bool in_set(enum wristband_result r, unsigned mask)
{
	return (mask >> r) & 1u;
}
#define SET(r) (1u << (r))

/* Replace each character by each of the 255 other byte values: never accepted, and refused
 * for the reason that belongs to the part of the token that was changed. */
static void check_every_change(const struct wristband *band)
{
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(band, &key_a, tok);
	size_t len = strlen(tok);
	size_t station_end = 5 + strlen(band->station); /* "HKW1." then the station */
	size_t sig_start = len - 103;
	int signature_refusals = 0;
	for (size_t i = 0; i < len; i++) {
		for (int b = 0; b < 256; b++) {
			if ((char)b == tok[i])
				continue;
			char t[WRISTBAND_TOKEN_SIZE];
			memcpy(t, tok, len + 1);
			t[i] = (char)b;
			struct wristband got = {"junk", 7, "junk", 7};
			enum wristband_result r = verify_with(t, len, band->station, &key_a, &got);
			unsigned allowed;
			if (i < 3)
				allowed = SET(WRISTBAND_NOT_WRISTBAND) | SET(WRISTBAND_MALFORMED);
			else if (i == 3)
				allowed =
				    SET(WRISTBAND_UNSUPPORTED_VERSION) | SET(WRISTBAND_MALFORMED);
			else if (i >= 5 && i < station_end)
				allowed = SET(WRISTBAND_WRONG_STATION) | SET(WRISTBAND_MALFORMED);
			else
				allowed = SET(WRISTBAND_BAD_SIGNATURE) | SET(WRISTBAND_MALFORMED);
			if (!in_set(r, allowed))
				fail_msg("position %zu byte %d: %s", i, b,
				         wristband_result_name(r));
			assert_int_equal(got.serial, 0); /* nothing handed out when refused */
			assert_int_equal(got.station[0], 0);
			signature_refusals += r == WRISTBAND_BAD_SIGNATURE;
			if (i >= sig_start && r == WRISTBAND_MALFORMED)
				/* only a character outside base32, or spare bits in the last one */
				assert_true((!(b >= 'A' && b <= 'Z') && !(b >= '2' && b <= '7')) ||
				            i == len - 1);
		}
	}
	/* The signature really was the thing that refused most well-formed changes. */
	assert_true(signature_refusals > (int)len * 20);
}

static void test_every_single_change_refused(void **state)
{
	(void)state;
	check_every_change(&band_typical);
	check_every_change(&band_max);
}

static void test_every_deletion_and_insertion_refused(void **state)
{
	(void)state;
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_typical, &key_a, tok);
	size_t len = strlen(tok);
	for (size_t i = 0; i < len; i++) {
		char t[WRISTBAND_TOKEN_SIZE + 1];
		memcpy(t, tok, i);
		memcpy(t + i, tok + i + 1, len - i);
		assert_int_not_equal(verify_with(t, len - 1, "SZ03", &key_a, NULL), WRISTBAND_OK);
	}
	for (size_t i = 0; i <= len; i++) {
		for (const char *ins = "0A.-7"; *ins; ins++) {
			char t[WRISTBAND_TOKEN_SIZE + 1];
			memcpy(t, tok, i);
			t[i] = *ins;
			memcpy(t + i + 1, tok + i, len - i + 1);
			assert_int_not_equal(verify_with(t, len + 1, "SZ03", &key_a, NULL),
			                     WRISTBAND_OK);
		}
	}
}

static void test_truncated_at_every_length(void **state)
{
	(void)state;
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_max, &key_a, tok);
	size_t len = strlen(tok);
	for (size_t l = 0; l < len; l++) {
		char t[WRISTBAND_TOKEN_SIZE];
		memcpy(t, tok, l);
		t[l] = '\0';
		enum wristband_result want = l < 3 ? WRISTBAND_NOT_WRISTBAND : WRISTBAND_MALFORMED;
		assert_int_equal(verify_with(t, l, band_max.station, &key_a, NULL), want);
	}
	/* A scanner's line end or anything else after the token is refused too. */
	char t[WRISTBAND_TOKEN_SIZE + 2];
	memcpy(t, tok, len);
	memcpy(t + len, "\r\n", 2);
	assert_int_equal(verify_with(t, len + 1, band_max.station, &key_a, NULL),
	                 WRISTBAND_MALFORMED);
	assert_int_equal(verify_with(t, len + 2, band_max.station, &key_a, NULL),
	                 WRISTBAND_MALFORMED);
}

static void test_wrong_key_and_no_key(void **state)
{
	(void)state;
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_typical, &key_a, tok);
	size_t len = strlen(tok);
	assert_int_equal(verify_with(tok, len, "SZ03", &key_b, NULL), WRISTBAND_BAD_SIGNATURE);
	assert_int_equal(wristband_verify(tok, len, "SZ03", NULL, 0, NULL), WRISTBAND_UNVERIFIABLE);
	assert_int_equal(wristband_verify(tok, len, "SZ03", &key_a.pub, 0, NULL),
	                 WRISTBAND_UNVERIFIABLE);
	/* An all-zero or all-ones "public key" (not a valid point) verifies nothing. */
	struct wristband_public_key junk[2];
	memset(&junk[0], 0, sizeof junk[0]);
	memset(&junk[1], 0xff, sizeof junk[1]);
	enum wristband_result r = wristband_verify(tok, len, "SZ03", junk, 2, NULL);
	assert_true(r == WRISTBAND_BAD_SIGNATURE || r == WRISTBAND_UNVERIFIABLE);

	/* Fields of one band with the signature of another: refused. */
	struct wristband other = band_typical;
	other.room[3] = '2'; /* 1202 */
	char tok2[WRISTBAND_TOKEN_SIZE], spliced[WRISTBAND_TOKEN_SIZE];
	issue_ok(&other, &key_a, tok2);
	size_t body = len - 103;
	memcpy(spliced, tok2, body);
	memcpy(spliced + body, tok + body, 104);
	assert_int_equal(verify_with(spliced, len, "SZ03", &key_a, NULL), WRISTBAND_BAD_SIGNATURE);
}

static void test_wrong_station(void **state)
{
	(void)state;
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_typical, &key_a, tok);
	size_t len = strlen(tok);
	struct wristband got = band_max;
	assert_int_equal(verify_with(tok, len, "SZ04", &key_a, &got), WRISTBAND_WRONG_STATION);
	assert_int_equal(got.serial, 0);
	assert_int_equal(verify_with(tok, len, "SZ0", &key_a, NULL), WRISTBAND_WRONG_STATION);
	assert_int_equal(verify_with(tok, len, "SZ033", &key_a, NULL), WRISTBAND_WRONG_STATION);
	assert_int_equal(verify_with(tok, len, "", &key_a, NULL), WRISTBAND_WRONG_STATION);
	assert_int_equal(verify_with(tok, len, "sz03", &key_a, NULL), WRISTBAND_WRONG_STATION);
	/* NULL: any station, still signed. */
	assert_int_equal(verify_with(tok, len, NULL, &key_a, &got), WRISTBAND_OK);
	assert_string_equal(got.station, "SZ03");
	assert_int_equal(verify_with(tok, len, NULL, &key_b, NULL), WRISTBAND_BAD_SIGNATURE);
}

static void test_key_rotation(void **state)
{
	(void)state;
	char old_tok[WRISTBAND_TOKEN_SIZE], new_tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_typical, &key_a, old_tok);
	issue_ok(&band_typical, &key_b, new_tok);
	assert_string_not_equal(old_tok, new_tok);
	struct wristband_public_key both[2] = {key_b.pub, key_a.pub};
	struct wristband_public_key only_new[1] = {key_b.pub};
	assert_int_equal(wristband_verify(old_tok, strlen(old_tok), "SZ03", both, 2, NULL),
	                 WRISTBAND_OK);
	assert_int_equal(wristband_verify(new_tok, strlen(new_tok), "SZ03", both, 2, NULL),
	                 WRISTBAND_OK);
	assert_int_equal(wristband_verify(new_tok, strlen(new_tok), "SZ03", only_new, 1, NULL),
	                 WRISTBAND_OK);
	/* The old key retired: its bands are no longer accepted. */
	assert_int_equal(wristband_verify(old_tok, strlen(old_tok), "SZ03", only_new, 1, NULL),
	                 WRISTBAND_BAD_SIGNATURE);
	/* Key ids tell keys apart and are stable. */
	char ida[WRISTBAND_KEY_ID_SIZE], idb[WRISTBAND_KEY_ID_SIZE], ida2[WRISTBAND_KEY_ID_SIZE];
	assert_int_equal(wristband_key_id(&key_a.pub, ida), 0);
	assert_int_equal(wristband_key_id(&key_b.pub, idb), 0);
	assert_int_equal(wristband_key_id(&key_a.pub, ida2), 0);
	assert_string_not_equal(ida, idb);
	assert_string_equal(ida, ida2);
	/* The public key derived from the private one is the one generated with it. */
	struct wristband_public_key derived;
	assert_int_equal(wristband_key_public(&key_a.priv, &derived), 0);
	assert_memory_equal(derived.bytes, key_a.pub.bytes, WRISTBAND_KEY_SIZE);
	assert_memory_not_equal(key_a.pub.bytes, key_b.pub.bytes, WRISTBAND_KEY_SIZE);
}

static void test_issue_refuses_bad_fields(void **state)
{
	(void)state;
	struct wristband bad[] = {
	    {"", 1, "1201", 1},      {"sz03", 1, "1201", 1},      {"SZ 3", 1, "1201", 1},
	    {"SZ.3", 1, "1201", 1},  {"SZ03", 0, "1201", 1},      {"SZ03", -5, "1201", 1},
	    {"SZ03", 1, "", 1},      {"SZ03", 1, "12.1", 1},      {"SZ03", 1, "12a1", 1},
	    {"SZ03", 1, "1201", -1}, {"SZ03", 1, "1201", 100000},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[WRISTBAND_TOKEN_SIZE] = "x";
		assert_false(wristband_fields_valid(&bad[i]));
		assert_int_equal(wristband_issue(&bad[i], &key_a.priv, out, sizeof out), -EINVAL);
		assert_string_equal(out, "");
	}
	/* Unterminated fields (all 9 bytes used) are refused, not read past. */
	struct wristband unterminated = band_typical;
	memset(unterminated.station, 'A', sizeof unterminated.station);
	assert_false(wristband_fields_valid(&unterminated));
	unterminated = band_typical;
	memset(unterminated.room, '1', sizeof unterminated.room);
	assert_false(wristband_fields_valid(&unterminated));
	/* Too small a buffer, NULL arguments. */
	char small[WRISTBAND_TOKEN_SIZE];
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_typical, &key_a, tok);
	assert_int_equal(wristband_issue(&band_typical, &key_a.priv, small, strlen(tok)), -ENOSPC);
	assert_int_equal(wristband_issue(&band_typical, &key_a.priv, small, strlen(tok) + 1), 0);
	assert_string_equal(small, tok);
	assert_int_equal(wristband_issue(NULL, &key_a.priv, small, sizeof small), -EINVAL);
	assert_int_equal(wristband_issue(&band_typical, NULL, small, sizeof small), -EINVAL);
	assert_int_equal(wristband_issue(&band_typical, &key_a.priv, NULL, 10), -EINVAL);
	assert_int_equal(wristband_key_generate(NULL, &key_a.pub), -EINVAL);
}

static void test_charset_and_length(void **state)
{
	(void)state;
	static const char qr_alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
	const struct wristband bands[] = {band_typical, band_max, {"A", 1, "1", 0}};
	for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
		char tok[WRISTBAND_TOKEN_SIZE];
		issue_ok(&bands[i], &key_b, tok);
		size_t len = strlen(tok);
		assert_true(len <= WRISTBAND_TOKEN_MAX);
		assert_int_equal(strspn(tok, qr_alnum), len);
		assert_memory_equal(tok, "HKW1.", 5);
	}
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_max, &key_b, tok);
	assert_int_equal(strlen(tok), WRISTBAND_TOKEN_MAX); /* the limit is the real worst case */
}

/* The size budget: a 25 mm band at 203 dpi has floor(25 / 25.4 * 203) = 199 dots across.
 * Modules of at least 0.5 mm need ceil(0.5 / (25.4 / 203)) = 4 dots (0.5005 mm). So the
 * symbol plus a 4-module quiet zone on each side must be at most 199 / 4 = 49 modules. */
static void assert_fits_band(const QRcode *qr)
{
	assert_non_null(qr);
	int dots_across = 25 * 203 * 10 / 254; /* 199 */
	int dots_per_module = 4;
	assert_true(dots_per_module * 254 * 1000 / 203 / 10 >= 500); /* micrometres: 500 */
	assert_true(qr->version <= 6);
	assert_true((qr->width + 8) * dots_per_module <= dots_across);
}

static void test_qr_fits_band(void **state)
{
	(void)state;
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_max, &key_a, tok);
	size_t len = strlen(tok);
	assert_int_equal(len, WRISTBAND_TOKEN_MAX);

	/* Whatever mode mix libqrencode picks (case-sensitive, only AN and numeric possible). */
	QRcode *qr = QRcode_encodeString(tok, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_fits_band(qr);
	QRcode_free(qr);

	/* The whole token forced into one alphanumeric segment, as a printer's own QR encoder
	 * might write it (ZPL ^BQ "MA,"): the append refuses any non-AN character. */
	QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
	assert_non_null(in);
	assert_int_equal(QRinput_append(in, QR_MODE_AN, (int)len, (const unsigned char *)tok), 0);
	qr = QRcode_encodeInput(in);
	assert_fits_band(qr);
	assert_int_equal(qr->version, 6);
	assert_int_equal(qr->width, 41);
	QRcode_free(qr);
	QRinput_free(in);

	/* And the check can fail: one more character no longer fits version 6-M. */
	char longer[WRISTBAND_TOKEN_SIZE + 8];
	memcpy(longer, tok, len);
	memcpy(longer + len, "0123", 5);
	in = QRinput_new2(0, QR_ECLEVEL_M);
	assert_int_equal(
	    QRinput_append(in, QR_MODE_AN, (int)len + 3, (const unsigned char *)longer), 0);
	qr = QRcode_encodeInput(in);
	assert_non_null(qr);
	assert_true(qr->version > 6);
	QRcode_free(qr);
	QRinput_free(in);
}

/* The band as printed: the longest token at 4 dots per module with its quiet zone on the
 * 199 dots of a 25 mm band, read back by zbar: the same text, and it verifies. */
static void test_qr_reads_back(void **state)
{
	(void)state;
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_max, &key_a, tok);
	QRcode *qr = QRcode_encodeString(tok, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(qr);
	enum {
		DOTS = 199,
		SCALE = 4,
		QUIET = 4
	};
	static unsigned char img[DOTS * DOTS];
	memset(img, 0xff, sizeof img);
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				for (int dy = 0; dy < SCALE; dy++)
					memset(img + ((QUIET + y) * SCALE + dy) * DOTS +
					           (QUIET + x) * SCALE,
					       0, SCALE);
	QRcode_free(qr);

	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_t *zi = zbar_image_create();
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, DOTS, DOTS);
	zbar_image_set_data(zi, img, sizeof img, NULL);
	assert_int_equal(zbar_scan_image(sc, zi), 1);
	const zbar_symbol_t *sym = zbar_image_first_symbol(zi);
	assert_non_null(sym);
	const char *text = zbar_symbol_get_data(sym);
	unsigned int len = zbar_symbol_get_data_length(sym);
	assert_int_equal(len, strlen(tok));
	assert_memory_equal(text, tok, len);
	struct wristband got;
	assert_int_equal(verify_with(text, len, band_max.station, &key_a, &got), WRISTBAND_OK);
	assert_band_equal(&got, &band_max);
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(sc);
}

static void test_classification(void **state)
{
	(void)state;
	char tok[WRISTBAND_TOKEN_SIZE];
	issue_ok(&band_typical, &key_a, tok);
	size_t len = strlen(tok);
	char t[WRISTBAND_TOKEN_SIZE];
	struct {
		const char *text;
		enum wristband_result want;
	} cases[] = {
	    {"", WRISTBAND_NOT_WRISTBAND},
	    {"https://hk.example/c/123", WRISTBAND_NOT_WRISTBAND},
	    {"HKX1.SZ03.1.1.1.", WRISTBAND_NOT_WRISTBAND},
	    {"hkw1.sz03.1042.1201.19478.ABC", WRISTBAND_MALFORMED},
	    {"HKw1.", WRISTBAND_MALFORMED},
	    {"HKW2.ANYTHING AT ALL", WRISTBAND_UNSUPPORTED_VERSION},
	    {"HKWZ", WRISTBAND_UNSUPPORTED_VERSION},
	    {"HKW", WRISTBAND_MALFORMED},
	    {"HKW.", WRISTBAND_MALFORMED},
	    {"HKW1", WRISTBAND_MALFORMED},
	    {"HKW1......", WRISTBAND_MALFORMED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(
		    verify_with(cases[i].text, strlen(cases[i].text), "SZ03", &key_a, NULL),
		    cases[i].want);
	assert_int_equal(wristband_verify(NULL, 5, "SZ03", &key_a.pub, 1, NULL),
	                 WRISTBAND_NOT_WRISTBAND);

	/* Non-canonical numbers: a leading zero gives a second spelling; refused before the
	 * signature is even looked at. "HKW1.SZ03.1042." -> "HKW1.SZ03.01042." */
	size_t serial_at = strlen("HKW1.SZ03.");
	memcpy(t, tok, serial_at);
	t[serial_at] = '0';
	memcpy(t + serial_at + 1, tok + serial_at, len - serial_at + 1);
	assert_int_equal(verify_with(t, len + 1, "SZ03", &key_a, NULL), WRISTBAND_MALFORMED);

	/* Over-long input of valid characters. */
	char big[400];
	memset(big, 'A', sizeof big);
	memcpy(big, tok, len);
	assert_int_equal(verify_with(big, sizeof big, "SZ03", &key_a, NULL), WRISTBAND_MALFORMED);
	assert_true(strcmp(wristband_result_name(WRISTBAND_BAD_SIGNATURE), "bad_signature") == 0);
	assert_string_equal(wristband_result_name((enum wristband_result)99), "?");
	for (int r = 0; r < WRISTBAND_RESULT_COUNT; r++)
		assert_string_not_equal(wristband_result_name((enum wristband_result)r), "?");
}

/* Random bytes and random well-shaped strings: never accepted, never a crash (ASan). */
static void test_hostile_input(void **state)
{
	(void)state;
	uint32_t seed = 2022;
	static const char shape[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-......";
	for (int n = 0; n < 3000; n++) {
		char t[200];
		seed = seed * 1103515245u + 12345u;
		size_t len = (seed >> 16) % sizeof t;
		bool shaped = n % 2;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			t[i] =
			    shaped ? shape[(seed >> 16) % (sizeof shape - 1)] : (char)(seed >> 16);
		}
		if (shaped && len >= 5)
			memcpy(t, "HKW1.", 5);
		assert_int_not_equal(verify_with(t, len, NULL, &key_a, NULL), WRISTBAND_OK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_known_token),
	    cmocka_unit_test(test_every_single_change_refused),
	    cmocka_unit_test(test_every_deletion_and_insertion_refused),
	    cmocka_unit_test(test_truncated_at_every_length),
	    cmocka_unit_test(test_wrong_key_and_no_key),
	    cmocka_unit_test(test_wrong_station),
	    cmocka_unit_test(test_key_rotation),
	    cmocka_unit_test(test_issue_refuses_bad_fields),
	    cmocka_unit_test(test_charset_and_length),
	    cmocka_unit_test(test_qr_fits_band),
	    cmocka_unit_test(test_qr_reads_back),
	    cmocka_unit_test(test_classification),
	    cmocka_unit_test(test_hostile_input),
	};
	return cmocka_run_group_tests(tests, setup_keys, NULL);
}
