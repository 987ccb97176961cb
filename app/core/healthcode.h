/* app/core/healthcode.h: health codes: read the text a scanner gives, check signature,
 * issuer, revocation and time, and say yes with the claims or no with one reason; match the
 * result against the manifest lookup; issue codes (demo issuer). Format: docs/health-code.md */
#ifndef HK_CORE_HEALTHCODE_H
#define HK_CORE_HEALTHCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/trustlist.h"
#include "app/core/types.h"

#define HEALTHCODE_TEXT_MAX       2048 /* longest scanner text read; longer is REASON_MALFORMED */
#define HEALTHCODE_JTI_MAX        32   /* bytes, NUL included */
#define HEALTHCODE_SUBJECT_MAX    48   /* bytes, NUL included */
#define HEALTHCODE_SUBJECT_LEN    22 /* characters of the subject id healthcode_subject_id() makes */
#define HEALTHCODE_NAME_MAX       96 /* bytes of UTF-8, NUL included */
#define HEALTHCODE_PORT_MAX       48 /* bytes of UTF-8, NUL included */
#define HEALTHCODE_MAX_TESTS      4  /* nucleic-acid results a code carries at most */
#define HEALTHCODE_DEFAULT_SKEW_S 300
#define HEALTHCODE_MAX_SKEW_S     86400 /* larger skews are clamped to this */
#define HEALTHCODE_DETAIL_MAX     128

/* The colour of the code as the issuer set it. */
enum healthcode_colour {
	HEALTHCODE_GREEN,
	HEALTHCODE_YELLOW,
	HEALTHCODE_RED,
	HEALTHCODE_COLOUR_COUNT
};

enum healthcode_nat_result {
	HEALTHCODE_NAT_NEGATIVE,
	HEALTHCODE_NAT_POSITIVE,
	HEALTHCODE_NAT_COUNT
};

struct healthcode_test {
	hk_day day; /* the day the sample was taken */
	enum healthcode_nat_result result;
};

/* International credentials (EU DCC, SMART Health Card): what the latest event was. */
enum healthcode_kind {
	HEALTHCODE_KIND_NONE,
	HEALTHCODE_KIND_VACCINATION,
	HEALTHCODE_KIND_TEST,
	HEALTHCODE_KIND_RECOVERY,
	HEALTHCODE_KIND_COUNT
};
#define HEALTHCODE_INTL_ID_MAX 80 /* bytes of a DCC UVCI, NUL included */
struct healthcode_intl {
	bool present;              /* set by the EU DCC and SMART formats only */
	enum healthcode_kind kind; /* of the latest event the credential holds */
	hk_day day;                /* its day: vaccination, test sample, first positive test */
	char country[4];           /* ISO 3166-1 alpha-2 of the event ("" when not given) */
	char product[48];          /* vaccine product / test type / vaccine code, for staff */
	int dose, doses;           /* vaccination: dose number and series length (0: unknown) */
	bool test_positive;        /* test: the result was "detected" */
	char id[HEALTHCODE_INTL_ID_MAX]; /* DCC certificate id (UVCI), SMART rid; "" if none */
};

/* What a code says. Strings are NUL-terminated UTF-8; absent optional fields are "" or 0. */
struct healthcode_claims {
	char issuer[TRUST_ISSUER_MAX]; /* "iss" */
	char jti[HEALTHCODE_JTI_MAX];  /* "jti": the credential id; "" lets the issuer pick one */
	char subject[HEALTHCODE_SUBJECT_MAX]; /* "sub": healthcode_subject_id() of the document */
	int64_t iat, nbf, exp;                /* unix seconds, UTC */
	char name[HEALTHCODE_NAME_MAX];       /* "name": display name, as on the document */
	enum healthcode_colour colour;        /* "col" */
	enum category category;               /* "cat" */
	char port[HEALTHCODE_PORT_MAX];       /* "port": entry port, optional */
	int64_t entry_time;                   /* "ent": unix seconds, 0 when absent */
	struct healthcode_test tests[HEALTHCODE_MAX_TESTS]; /* "nat", newest first */
	int n_tests;
	struct healthcode_intl intl; /* international credentials only */
};

/* How a device verifies. */
struct healthcode_config {
	int64_t skew_s;    /* clock skew tolerated both ways on nbf/iat/exp, s (0..86400) */
	bool demo_allowed; /* accept codes signed by demo keys (demo station only) */
};

/* The outcome of healthcode_verify(). Only REASON_OK, REASON_YELLOW_CODE and
 * REASON_RED_CODE are verdicts on a valid code; every other reason is a refusal. When
 * has_claims is set, claims were read from a payload whose signature was checked (also for
 * EXPIRED, NOT_YET_VALID, REVOKED, DEMO_KEY: staff may want to see them). */
struct healthcode_result {
	enum reason reason;
	const char *format; /* static name of the format that read it, or NULL */
	bool has_claims;
	char kid[TRUST_KID_MAX]; /* key id from the header, "" when not read */
	struct healthcode_claims claims;
	char detail[HEALTHCODE_DETAIL_MAX]; /* English, no personal data: what exactly failed */
	/* The step of decoding that refused the code, a static name ("prefix", "base45",
	 * "inflate", "cose", "jws", "signature", "cbor", "claims", "key_usage", "expiry"...),
	 * NULL when none did. Set by the international formats and the shared time checks. */
	const char *step;
};

/* One health-code format: a row of the table healthcode_verify() walks. detect() looks only
 * at the text; verify() decodes it, finds the key on the trust list, checks the signature
 * and fills out->claims, out->kid, out->has_claims, and *key_out (borrowed from trust).
 * It returns REASON_OK, or MALFORMED / UNSUPPORTED_VERSION / UNKNOWN_ISSUER /
 * BAD_SIGNATURE with out->detail set. Revocation, demo keys, time and colour are checked
 * after it, the same for every format. */
enum healthcode_detect {
	HEALTHCODE_DETECT_NO,            /* not this format */
	HEALTHCODE_DETECT_YES,           /* this format, a version we read */
	HEALTHCODE_DETECT_OTHER_VERSION, /* this format's family, a version we do not read */
};
struct healthcode_format {
	const char *name;
	enum healthcode_detect (*detect)(const char *text, size_t len);
	enum reason (*verify)(const char *text, size_t len, const struct trust_list *trust,
	                      struct healthcode_result *out, const struct trust_key **key_out);
	size_t max_len; /* longest text read; 0: HEALTHCODE_TEXT_MAX */
};

/* The table of formats (count entries), in detection order. */
const struct healthcode_format *const *healthcode_formats(size_t *count);

/* "vaccination", "test", "recovery", "none". Never NULL. */
const char *healthcode_kind_name(enum healthcode_kind k);

/* Verify the text a scanner read (len bytes; trailing CR, LF, tabs and spaces are ignored)
 * at time now (unix seconds) against the trust list. Fills *out completely and returns
 * out->reason. Reads no clock and no file; safe on any input. */
enum reason healthcode_verify(const char *text, size_t len, const struct trust_list *trust,
                              const struct healthcode_config *cfg, int64_t now,
                              struct healthcode_result *out);

/* A .smart-health-card file ({"verifiableCredential":[JWS, ...]}, len bytes of JSON): every
 * JWS is verified as healthcode_verify() verifies a SMART QR code; *out is the first
 * refusal, else the result of the first card. A file that is not such JSON is
 * REASON_MALFORMED. Returns out->reason. */
enum reason healthcode_verify_shc_file(const char *json, size_t len, const struct trust_list *trust,
                                       const struct healthcode_config *cfg, int64_t now,
                                       struct healthcode_result *out);

/* The claims of an SZHC1 payload (len bytes of JSON). Returns REASON_OK, or
 * REASON_MALFORMED with detail (detail_size bytes, may be 0) saying which claim. */
enum reason healthcode_claims_parse(const char *json, size_t len, struct healthcode_claims *out,
                                    char *detail, size_t detail_size);

/* Sign claims as an SZHC1 code ("SZHC1:" + compact JWS) with a P-256 private key in PEM
 * (pem_len bytes). kid NULL uses the key's RFC 7638 thumbprint (what healthcode_keygen()
 * publishes). An empty claims->jti gets 12 random base64url characters. Writes the code
 * text, NUL-terminated, into out (out_size bytes; HEALTHCODE_TEXT_MAX is always enough for
 * claims within the limits above). Returns its length, -EINVAL (bad key or claims) or
 * -ENOSPC. */
int healthcode_issue(const struct healthcode_claims *claims, const char *key_pem, size_t pem_len,
                     const char *kid, char *out, size_t out_size);

/* The same with a key already loaded (from PEM: jws_p256_private_from_pem(), from a raw
 * scalar: jws_p256_private_from_raw()); the key stays the caller's. */
int healthcode_issue_key(const struct healthcode_claims *claims, EVP_PKEY *key, const char *kid,
                         char *out, size_t out_size);

/* A new issuer signing key: the private key as PKCS#8 PEM into pem (pem_size bytes, 256 is
 * enough) and the public JWK for the trust list into jwk (TRUST_JWK_MAX), carrying issuer,
 * kid = RFC 7638 thumbprint, and "demo":true when demo. Returns 0, -EINVAL or -ENOSPC. */
int healthcode_keygen(const char *issuer, bool demo, char *pem, size_t pem_size, char *jwk,
                      size_t jwk_size);

/* A new random 32-byte subject-hash key of an issuer as an oct JWK
 * {"kty":"oct","use":"hcsub","iss":..,"kid":..,"k":..} into jwk (TRUST_JWK_MAX bytes).
 * It is a secret shared by issuer and stations. Returns 0, -EINVAL or -ENOSPC. */
int healthcode_subject_keygen(const char *issuer, char *jwk, size_t jwk_size);

/* The subject id of a travel document: base64url(first 16 bytes of HMAC-SHA256(key,
 * DOCTYPE ":" NUMBER)) = HEALTHCODE_SUBJECT_LEN characters + NUL into out. doc_type and
 * doc_number are normalised first: ASCII letters upper-cased, spaces and '-' dropped; the
 * results must be 1..8 and 1..32 characters of [A-Z0-9]. Returns 0, or -EINVAL. */
int healthcode_subject_id(const struct trust_subject_key *key, const char *doc_type,
                          const char *doc_number, char out[HEALTHCODE_SUBJECT_LEN + 1]);

/* Names in files, JSON and logs: "green"/"yellow"/"red", "neg"/"pos". Never NULL. */
const char *healthcode_colour_name(enum healthcode_colour c);
const char *healthcode_nat_name(enum healthcode_nat_result r);

/* One English line for the staff log (no name, no subject, no document number):
 * "healthcode E_EXPIRED format=SZHC1 kid=.. iss=.. jti=.. exp=.. detail=..". Writes into
 * out (out_size bytes, truncated if needed, always NUL-terminated). Returns out. */
char *healthcode_log_line(const struct healthcode_result *r, int64_t now, char *out,
                          size_t out_size);

/* The verdict and non-secret claims as one line of JSON (for `stationctl verify-code`):
 * {"verdict":"valid"|"attention"|"refused","reason":"OK"|"E_..","format","kid","iss","jti",
 * "iat","nbf","exp","colour","category","port","entry","nat":[["YYYY-MM-DD","neg"]],
 * "detail"}; claims only when has_claims; never the name or subject. Returns the length,
 * or -ENOSPC. */
int healthcode_result_to_json(const struct healthcode_result *r, char *out, size_t out_size);

/* The manifest match. The caller looks the subject up in today's manifest and says what it
 * found; healthcode_match() decides what happens next under the station's policy. */
enum healthcode_lookup_state {
	HEALTHCODE_LOOKUP_FOUND,      /* an arrival on today's manifest, not yet checked in */
	HEALTHCODE_LOOKUP_NOT_FOUND,  /* nobody with this subject on today's manifest */
	HEALTHCODE_LOOKUP_CHECKED_IN, /* already checked in (has a room and a wristband) */
};
struct healthcode_lookup {
	enum healthcode_lookup_state state;
	const char *masked_name; /* from the manifest, e.g. "张*明", for FOUND and CHECKED_IN */
};
enum healthcode_walkin_policy {
	HEALTHCODE_WALKIN_REFUSE,         /* not on the manifest: refuse, send to the desk */
	HEALTHCODE_WALKIN_STAFF_APPROVAL, /* not on the manifest: admit when staff approve */
};
enum healthcode_yellow_policy {
	HEALTHCODE_YELLOW_REFUSE,           /* refuse at the kiosk, send to the desk */
	HEALTHCODE_YELLOW_CALL_MEDIC,       /* hold for staff and a medic */
	HEALTHCODE_YELLOW_DESIGNATED_FLOOR, /* admit, room on the designated floor */
};
struct healthcode_policy {
	enum healthcode_walkin_policy walkin;
	enum healthcode_yellow_policy yellow;
};
enum healthcode_next {
	HEALTHCODE_NEXT_CONFIRM, /* show masked_name, ask "is this you?", then the briefing */
	HEALTHCODE_NEXT_STAFF_APPROVAL, /* wait for a staff decision (walk-in, yellow code) */
	HEALTHCODE_NEXT_OFFER_REPRINT,  /* checked in already: no second room; staff may reprint */
	HEALTHCODE_NEXT_REFUSE,         /* refused: show the reason's texts */
};
struct healthcode_verdict {
	enum healthcode_next next;
	enum reason reason;    /* REASON_OK for a plain green arrival, else the reason to show */
	bool designated_floor; /* yellow code admitted: assign on the designated floor */
	bool call_medic;       /* alert the medic (red code; yellow under CALL_MEDIC) */
	char masked_name[HEALTHCODE_NAME_MAX]; /* from the lookup, "" when none */
};

/* Decide the next step from a verification result and the caller's manifest lookup (lookup
 * is read only when the code was valid: OK or YELLOW). Pure; fills *out completely. */
void healthcode_match(const struct healthcode_result *r, const struct healthcode_lookup *lookup,
                      const struct healthcode_policy *policy, struct healthcode_verdict *out);

#endif
