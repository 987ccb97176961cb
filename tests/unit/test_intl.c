/* tests/unit/test_intl.c: the EU DCC and SMART Health Card formats on their public test
 * suites (../shared/testdata, or $HK_TESTDATA; skipped with a message when absent), plus
 * Base45 and SMART numeric decoding. Reads the data at run time; none is copied here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "app/core/b64url.h"
#include "app/core/base45.h"
#include "app/core/jws.h"
#include "app/core/healthcode.h"
#include "app/core/trustlist.h"
#include "drivers/camera/camera.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <png.h>
#include <zlib.h>

static char root[512];

static bool have_testdata(void)
{
	const char *env = getenv("HK_TESTDATA");
	snprintf(root, sizeof root, "%s", env && *env ? env : "../shared/testdata");
	char probe[600];
	snprintf(probe, sizeof probe, "%s/README.md", root);
	FILE *f = fopen(probe, "r");
	if (!f) {
		print_message("SKIP: public test suites not found at %s (set HK_TESTDATA)\n", root);
		return false;
	}
	fclose(f);
	return true;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---------------------------------------------------------------- Base45, numeric */

static void test_base45(void **state)
{
	(void)state;
	uint8_t out[16];
	char enc[32];
	/* RFC 9285 section 4.3 examples */
	assert_int_equal(base45_decode("BB8", 3, out, sizeof out), 2);
	assert_memory_equal(out, "AB", 2);
	assert_int_equal(base45_decode("%69 VD92EX0", 11, out, sizeof out), 7);
	assert_memory_equal(out, "Hello!!", 7);
	assert_int_equal(base45_decode("UJCLQE7W581", 11, out, sizeof out), 7);
	assert_memory_equal(out, "base-45", 7);
	assert_int_equal(base45_encode((const uint8_t *)"ietf!", 5, enc, sizeof enc), 8);
	assert_string_equal(enc, "QED8WEX0");
	assert_int_equal(base45_decode("GGW", 3, out, sizeof out), -EINVAL); /* 65536+ */
	assert_int_equal(base45_decode("ZZ", 2, out, sizeof out), -EINVAL);  /* > 255 */
	assert_int_equal(base45_decode("A", 1, out, sizeof out), -EINVAL);
	assert_int_equal(base45_decode("aB8", 3, out, sizeof out), -EINVAL);
	assert_int_equal(base45_decode("BB8BB8", 6, out, 3), -ENOSPC);
	char s[8];
	assert_int_equal(shc_numeric_decode("56762909", 8, s, sizeof s), 4);
	assert_string_equal(s, "eyJ6");
	assert_int_equal(shc_numeric_decode("567", 3, s, sizeof s), -EINVAL);
	assert_int_equal(shc_numeric_decode("78", 2, s, sizeof s), -EINVAL);
	assert_int_equal(shc_numeric_decode("5a", 2, s, sizeof s), -EINVAL);
}

/* ---------------------------------------------------------------- EU DCC */

enum step {
	ST_PREFIX,
	ST_BASE45,
	ST_INFLATE,
	ST_VERIFY,
	ST_DECODE,
	ST_KEY_USAGE,
	ST_EXPIRY,
	ST_PICTURE,
	ST_COUNT
};
static const char *const step_field[ST_COUNT] = {
    "EXPECTEDUNPREFIX", "EXPECTEDB45DECODE", "EXPECTEDCOMPRESSION",     "EXPECTEDVERIFY",
    "EXPECTEDDECODE",   "EXPECTEDKEYUSAGE",  "EXPECTEDEXPIRATIONCHECK", "EXPECTEDPICTUREDECODE"};

/* Cases where our verdict differs from the suite's, each with the reason. The test fails
 * when a case disagrees that is not listed here, and when a listed case agrees. */
struct known {
	const char *file;
	enum step step;
	const char *why;
};
#define P384                                                                                       \
	"signed ES256 with a P-384 key: COSE (RFC 9053 section 2.1) ties ES256 to P-256, so we "   \
	"add no P-384 signer and find no key"
#define OTHER_DSC                                                                                  \
	"signed by another DSC than the case's certificate: we parse no payload whose signature "  \
	"we cannot check, so this step is never reached"
static const struct known known_disagreements[] = {
    {"ES/2DCode/raw/401.json", ST_VERIFY, P384},
    {"ES/2DCode/raw/401.json", ST_DECODE, P384},
    {"ES/2DCode/raw/402.json", ST_VERIFY, P384},
    {"ES/2DCode/raw/402.json", ST_DECODE, P384},
    {"ES/2DCode/raw/403.json", ST_VERIFY, P384},
    {"ES/2DCode/raw/403.json", ST_DECODE, P384},
    {"PL/1.0.0/2DCode/raw/6.json", ST_DECODE, OTHER_DSC},
    {"PL/1.0.0/2DCode/raw/6.json", ST_KEY_USAGE, OTHER_DSC},
    {"PL/1.0.0/2DCode/raw/6.json", ST_EXPIRY, OTHER_DSC},
    {"PL/1.2.1/2DCode/raw/6.json", ST_DECODE, OTHER_DSC},
    {"PL/1.2.1/2DCode/raw/6.json", ST_KEY_USAGE, OTHER_DSC},
    {"PL/1.2.1/2DCode/raw/6.json", ST_EXPIRY, OTHER_DSC},
    {"PL/1.3.0/2DCode/raw/6.json", ST_DECODE, OTHER_DSC},
    {"PL/1.3.0/2DCode/raw/6.json", ST_KEY_USAGE, OTHER_DSC},
    {"PL/1.3.0/2DCode/raw/6.json", ST_EXPIRY, OTHER_DSC},
    {"IS/2DCode/raw/3.json", ST_KEY_USAGE,
     "the signer certificate names no extended key usage, which the DCC specification reads "
     "as 'may sign every kind'; the case expects a key-usage failure"},
    {"LI/2DCode/raw/4.json", ST_EXPIRY,
     "a test certificate signed by a vaccination-only DSC (EKU ...1847.2021.1.2): we refuse "
     "it for key usage before the expiry step; the case names no key-usage expectation"},
    {NULL, 0, NULL},
};

/* Which step our decoder stopped at: ST_COUNT when it passed all of them. */
static enum step failed_step(const struct healthcode_result *r)
{
	if (!r->format || strcmp(r->format, "EU-DCC") != 0)
		return ST_PREFIX;
	if (!r->step)
		return ST_COUNT;
	static const struct {
		const char *name;
		enum step st;
	} map[] = {{"base45", ST_BASE45},    {"inflate", ST_INFLATE}, {"cose", ST_VERIFY},
	           {"signature", ST_VERIFY}, {"cbor", ST_DECODE},     {"key_usage", ST_KEY_USAGE},
	           {"expiry", ST_EXPIRY},    {"revocation", ST_COUNT}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(r->step, map[i].name) == 0)
			return map[i].st;
	return ST_PREFIX;
}

/* "2021-05-03T18:00:00[.fff...][Z|+hh:mm|+hhmm]" to unix seconds (no zone: UTC). */
static bool parse_clock(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return false;
	const char *p = s + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	int64_t off = 0;
	if (*p == '+' || *p == '-') {
		int oh = 0, om = 0;
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 &&
		    sscanf(p + 1, "%2d%2d", &oh, &om) != 2)
			return false;
		off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
	}
	*out = (int64_t)day_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return true;
}

static bool picture_decodes(struct qr_decoder *dec, const char *b64, const char *want)
{
	size_t n = strlen(b64);
	uint8_t *png = malloc(n / 4 * 3 + 3);
	int got = png ? EVP_DecodeBlock(png, (const unsigned char *)b64, (int)n) : -1;
	png_image im = {.version = PNG_IMAGE_VERSION};
	bool ok = false;
	if (got > 0 && png_image_begin_read_from_memory(&im, png, (size_t)got)) {
		im.format = PNG_FORMAT_GRAY;
		uint8_t *px = malloc(PNG_IMAGE_SIZE(im));
		if (px && png_image_finish_read(&im, NULL, px, 0, NULL)) {
			struct frame f = {.width = (int)im.width,
			                  .height = (int)im.height,
			                  .stride = (int)im.width,
			                  .luma = px};
			char text[4096];
			int len = qr_decode(dec, &f, text, sizeof text);
			ok = len > 0 && strcmp(text, want) == 0;
		}
		free(px);
		png_image_free(&im);
	}
	free(png);
	return ok;
}

struct tally {
	int checked[ST_COUNT], agreed[ST_COUNT];
	int cases, unknown, no_picture;
};

static void run_dcc_case(const char *path, const char *rel, struct qr_decoder *dec, struct tally *t)
{
	json_t *c = json_load_file(path, 0, NULL);
	json_t *exp = json_object_get(c, "EXPECTEDRESULTS");
	if (json_is_object(json_object_get(exp, "EXPECTEDRESULTS")))
		exp = json_object_get(exp, "EXPECTEDRESULTS");
	json_t *ctx = json_object_get(c, "TESTCTX");
	const char *prefixed = json_string_value(json_object_get(c, "PREFIX"));
	const char *cert = json_string_value(json_object_get(ctx, "CERTIFICATE"));
	int64_t now = 0;
	if (!json_is_object(exp) || !prefixed ||
	    !parse_clock(json_string_value(json_object_get(ctx, "VALIDATIONCLOCK")), &now)) {
		print_message("DCC %s: no PREFIX/EXPECTEDRESULTS/VALIDATIONCLOCK: not a case\n",
		              rel);
		json_decref(c);
		return;
	}
	t->cases++;
	struct trust_list *trust = trust_list_new();
	assert_non_null(trust);
	if (cert) {
		size_t n = strlen(cert);
		uint8_t *der = malloc(n);
		int got = EVP_DecodeBlock(der, (const unsigned char *)cert, (int)n);
		if (got > 0) {
			size_t pad = (n > 0 && cert[n - 1] == '=') + (n > 1 && cert[n - 2] == '=');
			trust_list_add_dcc_cert(trust, der, (size_t)got - pad, NULL, NULL);
		}
		free(der);
	}
	struct healthcode_config cfg = {.skew_s = 0};
	struct healthcode_result r;
	healthcode_verify(prefixed, strlen(prefixed), trust, &cfg, now, &r);
	enum step stop = failed_step(&r);
	for (int s = 0; s < ST_COUNT; s++) {
		json_t *want = json_object_get(exp, step_field[s]);
		if (s == ST_EXPIRY && !want)
			want =
			    json_object_get(exp, "EXPTECTEDEXPIRED"); /* misspelt, same meaning */
		if (!json_is_boolean(want))
			continue;
		bool ours;
		if (s == ST_PICTURE) {
			const char *png = json_string_value(json_object_get(c, "2DCODE"));
			if (!png)
				png = json_string_value(json_object_get(c, "_2DCODE"));
			if (!png) { /* nothing to decode: the step cannot be checked */
				t->no_picture++;
				continue;
			}
			ours = picture_decodes(dec, png, prefixed);
		} else {
			ours = stop > (enum step)s;
		}
		t->checked[s]++;
		bool agree = ours == json_is_true(want);
		const struct known *k = NULL;
		for (size_t i = 0; known_disagreements[i].file; i++)
			if (strcmp(known_disagreements[i].file, rel) == 0 &&
			    known_disagreements[i].step == (enum step)s)
				k = &known_disagreements[i];
		if (agree) {
			t->agreed[s]++;
			if (k) {
				print_message("DCC %s %s: listed as a disagreement but agrees\n",
				              rel, step_field[s]);
				t->unknown++;
			}
		} else if (k) {
			print_message("DCC %s %s: disagree (listed): %s\n", rel, step_field[s],
			              k->why);
		} else {
			print_message("DCC %s %s: expected %s, ours %s (%s step=%s: %s)\n", rel,
			              step_field[s], json_is_true(want) ? "pass" : "fail",
			              ours ? "pass" : "fail", reason_code(r.reason),
			              r.step ? r.step : "-", r.detail);
			t->unknown++;
		}
	}
	trust_list_free(trust);
	json_decref(c);
}

static void walk(const char *dir, const char *rel, struct qr_decoder *dec, struct tally *t)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	closedir(d);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[1024], sub[512];
		if (name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", dir, name);
			snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", name);
			size_t len = strlen(name);
			if (names[i]->d_type == DT_DIR)
				walk(path, sub, dec, t);
			else if (len > 5 && strcmp(name + len - 5, ".json") == 0)
				run_dcc_case(path, sub, dec, t);
		}
		free(names[i]);
	}
	free(names);
}

static void test_dcc_suite(void **state)
{
	(void)state;
	if (!have_testdata())
		skip();
	char dir[600];
	snprintf(dir, sizeof dir, "%s/dgc", root);
	struct qr_decoder *dec = qr_decoder_new();
	assert_non_null(dec);
	struct tally t = {0};
	walk(dir, "", dec, &t);
	qr_decoder_free(dec);
	print_message("DCC: %d cases; %d name a picture step but carry no 2DCODE PNG\n", t.cases,
	              t.no_picture);
	for (int s = 0; s < ST_COUNT; s++)
		print_message("DCC step %-24s %3d of %3d agree\n", step_field[s], t.agreed[s],
		              t.checked[s]);
	int listed = 0;
	for (size_t i = 0; known_disagreements[i].file; i++)
		listed++;
	print_message("DCC: %d disagreements, each listed with its reason above\n", listed);
	assert_true(t.cases > 250);
	assert_int_equal(t.unknown, 0);
}

/* One DCC case in detail: the facts the kiosk shows, revocation by UVCI, key usage. */
static void test_dcc_facts(void **state)
{
	(void)state;
	if (!have_testdata())
		skip();
	char path[700];
	snprintf(path, sizeof path, "%s/dgc/common/2DCode/raw/CO1.json", root);
	json_t *c = json_load_file(path, 0, NULL);
	assert_non_null(c);
	const char *text = json_string_value(json_object_get(c, "PREFIX"));
	const char *cert =
	    json_string_value(json_object_get(json_object_get(c, "TESTCTX"), "CERTIFICATE"));
	size_t n = strlen(cert);
	uint8_t *der = malloc(n);
	int got = EVP_DecodeBlock(der, (const unsigned char *)cert, (int)n);
	size_t pad = (cert[n - 1] == '=') + (cert[n - 2] == '=');
	struct trust_list *t = trust_list_new();
	char kid[TRUST_KID_MAX];
	assert_int_equal(trust_list_add_dcc_cert(t, der, (size_t)got - pad, NULL, kid), 0);
	assert_string_equal(kid, "Mk0jdOOrzrU=");
	struct healthcode_config cfg = {.skew_s = 0};
	struct healthcode_result r;
	char day[11];
	assert_int_equal(healthcode_verify(text, strlen(text), t, &cfg, 1620064800, &r), REASON_OK);
	assert_string_equal(r.format, "EU-DCC");
	assert_true(r.claims.intl.present);
	assert_int_equal(r.claims.intl.kind, HEALTHCODE_KIND_VACCINATION);
	assert_string_equal(day_format(r.claims.intl.day, day), "2021-02-18");
	assert_string_equal(r.claims.intl.country, "AT");
	assert_int_equal(r.claims.intl.dose, 1);
	assert_int_equal(r.claims.intl.doses, 2);
	assert_string_equal(r.claims.name, "Gabriele Musterfrau-Gößinger");
	char line[512];
	healthcode_log_line(&r, 1620064800, line, sizeof line);
	assert_null(strstr(line, "Gabriele"));
	/* the last second of exp is valid, the next one is not */
	assert_int_equal(healthcode_verify(text, strlen(text), t, &cfg, r.claims.exp, &r),
	                 REASON_OK);
	assert_int_equal(healthcode_verify(text, strlen(text), t, &cfg, r.claims.exp + 1, &r),
	                 REASON_EXPIRED);
	/* one changed character of the Base45 text is refused */
	char *bad = strdup(text);
	bad[100] = bad[100] == 'A' ? 'B' : 'A';
	assert_int_not_equal(healthcode_verify(bad, strlen(bad), t, &cfg, 1620064800, &r),
	                     REASON_OK);
	free(bad);
	/* revoked by its UVCI */
	assert_int_equal(
	    trust_list_revoke_id(t, "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"), 0);
	assert_int_equal(healthcode_verify(text, strlen(text), t, &cfg, 1620064800, &r),
	                 REASON_REVOKED);
	trust_list_free(t);
	/* a signer allowed only tests may not sign this vaccination */
	t = trust_list_new();
	assert_int_equal(trust_list_add_dcc_cert(t, der, (size_t)got - pad, NULL, NULL), 0);
	t->keys[0].usage = TRUST_USAGE_TEST;
	assert_int_equal(healthcode_verify(text, strlen(text), t, &cfg, 1620064800, &r),
	                 REASON_KEY_USAGE);
	assert_string_equal(r.step, "key_usage");
	trust_list_free(t);
	free(der);
	json_decref(c);
}

/* ---------------------------------------------------------------- SMART Health Cards */

#define SHC_ISS "https://spec.smarthealth.cards/examples/issuer"
#define SHC_NOW 1687450800 /* 2023-06-22T16:20Z: after the examples' nbf */

static struct trust_list *shc_trust(bool with_crl)
{
	char path[700];
	size_t len;
	struct trust_list *t = trust_list_new();
	assert_non_null(t);
	snprintf(path, sizeof path, "%s/shc/examples/issuer/.well-known/jwks.json", root);
	char *jwks = slurp(path, &len);
	assert_non_null(jwks);
	assert_int_equal(trust_list_add_shc_jwks(t, SHC_ISS, jwks, len), 2);
	free(jwks);
	if (with_crl) {
		snprintf(path, sizeof path,
		         "%s/shc/examples/issuer/.well-known/crl/"
		         "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
		         root);
		char *crl = slurp(path, &len);
		assert_non_null(crl);
		assert_int_equal(trust_list_add_shc_crl(t, crl, len), 4);
		free(crl);
	}
	return t;
}

static enum reason verify_file(const struct trust_list *t, const char *path, int64_t now,
                               struct healthcode_result *r)
{
	size_t len;
	char *text = slurp(path, &len);
	assert_non_null(text);
	struct healthcode_config cfg = {.skew_s = 300};
	size_t l = strlen(path);
	enum reason rc = l > 18 && strcmp(path + l - 18, ".smart-health-card") == 0
	                     ? healthcode_verify_shc_file(text, len, t, &cfg, now, r)
	                     : healthcode_verify(text, len, t, &cfg, now, r);
	free(text);
	return rc;
}

static void test_shc_examples(void **state)
{
	(void)state;
	if (!have_testdata())
		skip();
	struct trust_list *t = shc_trust(true);
	static const char *const valid[] = {
	    "example-00-f-qr-code-numeric-value-0.txt", "example-01-f-qr-code-numeric-value-0.txt",
	    "example-00-e-file.smart-health-card",      "example-01-e-file.smart-health-card",
	    "example-02-e-file.smart-health-card",
	};
	char path[700];
	struct healthcode_result r;
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		snprintf(path, sizeof path, "%s/shc/examples/%s", root, valid[i]);
		enum reason got = verify_file(t, path, SHC_NOW, &r);
		if (got != REASON_OK)
			print_message("%s: %s %s\n", valid[i], reason_code(got), r.detail);
		assert_int_equal(got, REASON_OK);
		assert_true(r.claims.intl.present);
		if (!strstr(valid[i], "-02-"))
			assert_true(r.claims.name[0] != '\0');
		assert_int_not_equal(r.claims.intl.kind, HEALTHCODE_KIND_NONE);
		assert_string_equal(r.claims.issuer, SHC_ISS);
	}
	/* example 00: two doses, the latest 2021-01-29 */
	snprintf(path, sizeof path, "%s/shc/examples/example-00-f-qr-code-numeric-value-0.txt",
	         root);
	verify_file(t, path, SHC_NOW, &r);
	char day[11];
	assert_int_equal(r.claims.intl.kind, HEALTHCODE_KIND_VACCINATION);
	print_message("example 00: latest %s on %s\n", healthcode_kind_name(r.claims.intl.kind),
	              day_format(r.claims.intl.day, day));
	/* example 03 is on the revocation list */
	snprintf(path, sizeof path, "%s/shc/examples/example-03-f-qr-code-numeric-value-0.txt",
	         root);
	assert_int_equal(verify_file(t, path, SHC_NOW, &r), REASON_REVOKED);
	snprintf(path, sizeof path, "%s/shc/examples/example-03-e-file.smart-health-card", root);
	assert_int_equal(verify_file(t, path, SHC_NOW, &r), REASON_REVOKED);
	/* example 02 comes as three chunks: refused with its own reason */
	snprintf(path, sizeof path, "%s/shc/examples/example-02-f-qr-code-numeric-value-0.txt",
	         root);
	assert_int_equal(verify_file(t, path, SHC_NOW, &r), REASON_CHUNKED_CODE);
	/* before nbf; without the issuer's keys */
	snprintf(path, sizeof path, "%s/shc/examples/example-00-f-qr-code-numeric-value-0.txt",
	         root);
	assert_int_equal(verify_file(t, path, 1687450764 - 3600, &r), REASON_NOT_YET_VALID);
	trust_list_free(t);
	t = trust_list_new();
	assert_int_equal(verify_file(t, path, SHC_NOW, &r), REASON_UNKNOWN_ISSUER);
	trust_list_free(t);
}

/* ---------------------------------------------------------------- SMART dev-tools cases */

/* Every file of shc/dev-tools/ and what we answer, from what its name says it breaks.
 * expect is a reason code, "OK" (accepted; note records the standard's warning or why the
 * kiosk does not check it), "KEYS-REFUSED"/"KEYS-OK" for issuer key sets, "CRL-REFUSED" for
 * revocation lists, or "NOT-INPUT" for files a kiosk is never shown (FHIR bundles and
 * unsigned payloads are signed here with a test key and checked as "OK"/a reason). */
struct shc_case {
	const char *file;
	const char *expect;
	const char *note;
};
#include "tests/unit/intl_shc_cases.h"

static char *numeric_of(const char *jws, size_t len)
{
	char *out = malloc(5 + 2 * len + 1);
	strcpy(out, "shc:/");
	for (size_t i = 0; i < len; i++)
		sprintf(out + 5 + 2 * i, "%02d",
		        (unsigned char)jws[i] - 45 < 0 ? 99 : (unsigned char)jws[i] - 45);
	return out;
}

/* Deflate raw and sign payload JSON with key: the JWS a SMART issuer would make. */
static char *sign_payload(EVP_PKEY *key, const char *kid, const char *json, size_t len)
{
	uint8_t *def = malloc(len + 64);
	z_stream zs = {0};
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)json;
	zs.avail_in = (uInt)len;
	zs.next_out = def;
	zs.avail_out = (uInt)len + 64;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t dn = zs.total_out;
	deflateEnd(&zs);
	char hdr[160], h64[256];
	snprintf(hdr, sizeof hdr, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
	b64url_encode((const uint8_t *)hdr, strlen(hdr), h64, sizeof h64);
	size_t cap = strlen(h64) + dn * 2 + 200;
	char *jws = malloc(cap);
	size_t o = (size_t)sprintf(jws, "%s.", h64);
	o += (size_t)b64url_encode(def, dn, jws + o, cap - o);
	uint8_t sig[JWS_ES256_SIG_LEN];
	assert_int_equal(jws_es256_sign(key, jws, o, sig), 0);
	jws[o++] = '.';
	b64url_encode(sig, sizeof sig, jws + o, cap - o);
	free(def);
	return jws;
}

static const char *answer_for(const char *dir, const char *name, struct trust_list *examples,
                              struct trust_list *own, EVP_PKEY *own_key, const char *own_kid,
                              char *why, size_t why_size)
{
	char path[1024];
	size_t len;
	struct healthcode_config cfg = {.skew_s = 300};
	struct healthcode_result r;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *text = slurp(path, &len);
	assert_non_null(text);
	const char *ans = NULL;
	size_t n = strlen(name);
	why[0] = '\0';
	if (strstr(name, "fhirBundle") || strstr(name, "-00-a-")) {
		ans = "NOT-INPUT";
	} else if (strstr(name, "-d-jws-") || strstr(name, "qrnumeric") ||
	           strstr(name, "-f-qr-code")) {
		char *qr = strstr(name, "-d-jws-") ? numeric_of(text, len) : strdup(text);
		healthcode_verify(qr, strlen(qr), examples, &cfg, SHC_NOW, &r);
		free(qr);
		ans = reason_code(r.reason);
		snprintf(why, why_size, "%s", r.detail);
	} else if (strstr(name, "-e-file")) {
		healthcode_verify_shc_file(text, len, examples, &cfg, SHC_NOW, &r);
		ans = reason_code(r.reason);
		snprintf(why, why_size, "%s", r.detail);
	} else if (strstr(name, "-b-jws-payload") || strstr(name, "jwspayload")) {
		/* an unsigned payload: sign it as an issuer would, then read it as a kiosk */
		json_t *p = json_loadb(text, len, 0, NULL);
		const char *iss = json_string_value(json_object_get(p, "iss"));
		struct trust_list *t = trust_list_new();
		char jwks[600];
		uint8_t x[32], y[32];
		char xs[64], ys[64];
		jws_p256_xy(own_key, x, y);
		b64url_encode(x, 32, xs, sizeof xs);
		b64url_encode(y, 32, ys, sizeof ys);
		snprintf(jwks, sizeof jwks,
		         "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"%s\",\"x\":\"%s\","
		         "\"y\":\"%s\"}]}",
		         own_kid, xs, ys);
		assert_int_equal(
		    trust_list_add_shc_jwks(t, iss ? iss : SHC_ISS, jwks, strlen(jwks)), 1);
		/* the payload as its file has it, minified the way an issuer signs: trailing
		 * characters kept, so that case stays what it is */
		char *jws = sign_payload(own_key, own_kid, text, len);
		char *qr = numeric_of(jws, strlen(jws));
		healthcode_verify(qr, strlen(qr), t, &cfg, SHC_NOW, &r);
		ans = reason_code(r.reason);
		snprintf(why, why_size, "%s", r.detail);
		free(qr);
		free(jws);
		json_decref(p);
		trust_list_free(t);
	} else if (strstr(name, "key") || strstr(name, ".public.json") || strstr(name, "jwks")) {
		struct trust_list *t = trust_list_new();
		json_t *j = json_loadb(text, len, 0, NULL);
		int rc;
		if (json_object_get(j, "keys"))
			rc = trust_list_add_shc_jwks(t, SHC_ISS, text, len);
		else {
			char *one = NULL;
			json_t *wrap = json_pack("{s:[O]}", "keys", j);
			one = json_dumps(wrap, JSON_COMPACT);
			rc = trust_list_add_shc_jwks(t, SHC_ISS, one, strlen(one));
			free(one);
			json_decref(wrap);
		}
		json_decref(j);
		trust_list_free(t);
		ans = rc > 0 ? "KEYS-OK" : "KEYS-REFUSED";
	} else {
		ans = "NOT-INPUT";
	}
	(void)n;
	(void)own;
	free(text);
	return ans;
}

static void test_shc_dev_tools(void **state)
{
	(void)state;
	if (!have_testdata())
		skip();
	char dir[600];
	snprintf(dir, sizeof dir, "%s/shc/dev-tools", root);
	struct trust_list *examples = shc_trust(true);
	EVP_PKEY *own = jws_p256_generate();
	uint8_t x[32], y[32];
	char kid[JWS_THUMBPRINT_LEN + 1], why[HEALTHCODE_DETAIL_MAX];
	jws_p256_xy(own, x, y);
	jws_p256_thumbprint(x, y, kid);
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	int checked = 0, agreed = 0, warned = 0, bad = 0, not_input = 0;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (name[0] == '.' || names[i]->d_type == DT_DIR || strcmp(name, "LICENSE") == 0 ||
		    strcmp(name, "README.md") == 0) {
			free(names[i]);
			continue;
		}
		const struct shc_case *c = NULL;
		for (size_t k = 0; k < sizeof shc_cases / sizeof shc_cases[0]; k++)
			if (strcmp(shc_cases[k].file, name) == 0)
				c = &shc_cases[k];
		const char *ours = answer_for(dir, name, examples, NULL, own, kid, why, sizeof why);
		checked++;
		if (!c) {
			print_message("SHC %s: not in the table (ours %s: %s)\n", name, ours, why);
			bad++;
		} else if (strcmp(c->expect, ours) != 0) {
			print_message("SHC %s: expected %s, ours %s (%s)\n", name, c->expect, ours,
			              why);
			bad++;
		} else {
			agreed++;
			warned += c->note && strcmp(c->expect, "OK") == 0;
			not_input += strcmp(c->expect, "NOT-INPUT") == 0;
		}
		free(names[i]);
	}
	free(names);
	/* badcrl/ holds only cards whose issuer serves the broken lists; the lists its folder
	 * names describe, as the station would import them: */
	const char *kid3 = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
	char crl[300];
	static const char *const bad_rids[] = {
	    "\"duplicate-rid\":[\"FKDIxsTCGlU\",\"FKDIxsTCGlU\"]",
	    "non-base64url-rid:[\"FKD+xs/CGlU\"]", "too-long-rid:[\"FKDIxsTCGlUFKDIxsTCGlU\"]",
	    "bad-time:[\"FKDIxsTCGlU.x\"]"};
	for (size_t i = 0; i < sizeof bad_rids / sizeof bad_rids[0]; i++) {
		const char *list = strchr(bad_rids[i], '[');
		snprintf(crl, sizeof crl,
		         "{\"kid\":\"%s\",\"method\":\"rid\",\"ctr\":1,\"rids\":%s}", kid3, list);
		assert_int_equal(trust_list_add_shc_crl(examples, crl, strlen(crl)), -EINVAL);
	}
	snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"other\",\"ctr\":1,\"rids\":[]}",
	         kid3);
	assert_int_equal(trust_list_add_shc_crl(examples, crl, strlen(crl)),
	                 -EINVAL); /* invalid-method */
	snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"rid\",\"ctr\":1,\"rids\":[]}",
	         "nokey");
	assert_int_equal(trust_list_add_shc_crl(examples, crl, strlen(crl)), -ENOENT);
	print_message("SHC dev-tools: %d files, %d answered as the table says (%d are not kiosk "
	              "inputs; %d cards accepted with a recorded note), %d not\n",
	              checked, agreed, not_input, warned, bad);
	EVP_PKEY_free(own);
	trust_list_free(examples);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base45),        cmocka_unit_test(test_dcc_suite),
	    cmocka_unit_test(test_dcc_facts),     cmocka_unit_test(test_shc_examples),
	    cmocka_unit_test(test_shc_dev_tools),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
