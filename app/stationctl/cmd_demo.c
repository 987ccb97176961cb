/* app/stationctl/cmd_demo.c: `stationctl demo init|issue-code`: a demo health-code issuer for
 * `make run`, training and tests: its key is marked demo, so only a device in demo mode
 * accepts its codes. The private key stays in a 0600 file beside the store. */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "app/core/jws.h"
#include "app/service/qrpng.h"
#include "app/service/trust_store.h"
#include "app/sys/sys.h"

#define DEMO_ISSUER   "demo.hc"
#define DEMO_KEY_FILE "demo/demo-issuer.pem" /* beside the store */
#define PEM_MAX       4096

static const char usage_init[] =
    "Usage: stationctl demo init [--issuer ISS] [--key FILE]\n"
    "Set up the demo issuer: a P-256 signing key (its public JWK goes into the store,\n"
    "marked demo) and a subject key for the issuer (in the store; arrivals without a\n"
    "subject id get one). The private key is written to FILE with mode 0600. Running it\n"
    "again keeps the key in FILE and only adds what the store lacks.\n\n"
    "  --issuer ISS  the issuer name codes carry (default " DEMO_ISSUER ")\n"
    "  --key FILE    the private key (default: " DEMO_KEY_FILE " in the store's folder)\n";
static const char usage_issue[] =
    "Usage: stationctl demo issue-code (--arrival ID | --doc-type T --doc-number N --name NAME)\n"
    "           [--colour green|yellow|red] [--category inbound|close_contact|secondary_contact]\n"
    "           [--expired] [--valid SECONDS] [--at UNIX] [--jti ID] [--key FILE]\n"
    "           [--out FILE.txt] [--png FILE.png [--scale N]]\n"
    "Issue a demo health code. The subject id is computed from the arrival's document\n"
    "(--arrival, the store's arrival id; name and category from the manifest) or from\n"
    "--doc-type (id_card, passport, hk_macao_permit, taiwan_permit, other) and\n"
    "--doc-number, with the demo issuer's subject key, as the station does at import.\n"
    "The code text goes to FILE.txt (else stdout), its QR code to FILE.png.\n\n"
    "  --colour C    code colour (default green)\n"
    "  --category C  default: the arrival's, else inbound\n"
    "  --expired     valid from two days ago until one day ago\n"
    "  --valid S     seconds of validity from --at (default 86400)\n"
    "  --at UNIX     issue time (default now)\n"
    "  --jti ID      the credential id (default: random)\n"
    "  --key FILE    the demo private key (default as for demo init)\n"
    "  --scale N     PNG pixels per QR module, 1..32 (default 4)\n";

/* The default private key path: DEMO_KEY_FILE in the folder of the store. */
static void default_key_path(const struct ctl *ctl, char *out, size_t size)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", ctl->db_path);
	snprintf(out, size, "%s/%s", dirname(buf), DEMO_KEY_FILE);
}

static bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* The private key in path, or NULL (message printed). EVP_PKEY_free() it. */
static EVP_PKEY *load_key(const char *path)
{
	size_t len;
	char *pem = file_read_all(path, PEM_MAX, &len);
	if (!pem) {
		fprintf(stderr, "demo: %s: %s (run `stationctl demo init`)\n", path,
		        strerror(errno));
		return NULL;
	}
	EVP_PKEY *key = jws_p256_private_from_pem(pem, len);
	OPENSSL_cleanse(pem, len);
	free(pem);
	if (!key)
		fprintf(stderr, "demo: %s: not a P-256 private key\n", path);
	return key;
}

static int key_kid(EVP_PKEY *key, char kid[JWS_THUMBPRINT_LEN + 1])
{
	uint8_t x[JWS_P256_COORD_LEN], y[JWS_P256_COORD_LEN];
	return jws_p256_xy(key, x, y) == 0 && jws_p256_thumbprint(x, y, kid) == 0 ? 0 : -EINVAL;
}

/* The public JWK of a private key, as healthcode_keygen() publishes it. */
static int public_jwk(EVP_PKEY *key, const char *issuer, char *jwk, size_t size)
{
	struct trust_list *t = trust_list_new();
	int rc = -ENOMEM;
	if (t) {
		rc = trust_list_add_key(t, issuer, NULL, key, true);
		if (rc == 0)
			rc = trust_key_to_jwk(&t->keys[0], jwk, size) < 0 ? -EINVAL : 0;
	}
	trust_list_free(t);
	return rc;
}

static int add_jwk(struct store *st, const char *jwk, struct trust_store_added *a)
{
	struct trust_store_added added[TRUST_STORE_ADD_MAX];
	size_t n = 0;
	char detail[256];
	int rc = trust_store_add_jwks(st, jwk, strlen(jwk), true, clock_unix_s(), added, &n, detail,
	                              sizeof(detail));
	if (rc != 0)
		fprintf(stderr, "demo init: %s\n", detail[0] ? detail : store_errmsg(st));
	else
		*a = added[0];
	return rc;
}

static int demo_init(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"issuer", required_argument, NULL, 'i'},
	    {"key", required_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	const char *issuer = NULL, *key_path = NULL;
	char path[4200], pem[512], jwk[TRUST_JWK_MAX];
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			issuer = optarg;
			break;
		case 'k':
			key_path = optarg;
			break;
		case 'h':
			fputs(usage_init, stdout);
			return CTL_OK;
		default:
			fputs(usage_init, stderr);
			return CTL_USAGE;
		}
	}
	if (optind != argc || (issuer && (!*issuer || strlen(issuer) >= TRUST_ISSUER_MAX))) {
		fprintf(stderr, "demo init: unexpected argument or bad --issuer\n");
		fputs(usage_init, stderr);
		return CTL_USAGE;
	}
	if (!key_path) {
		default_key_path(ctl, path, sizeof(path));
		key_path = path;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	EVP_PKEY *key = NULL;
	int status = CTL_FAILED, rc;
	struct trust_store_added signing, subject = {0};
	if (access(key_path, F_OK) == 0) {
		/* a key from an earlier run: keep it, make sure the store trusts it */
		char kid[JWS_THUMBPRINT_LEN + 1];
		struct issuer_key row;
		key = load_key(key_path);
		if (!key || key_kid(key, kid) != 0)
			goto out_close;
		if (!issuer && store_issuer_key_get(st, kid, &row) == 0)
			issuer = row.issuer; /* the issuer it was set up with */
		if (!issuer)
			issuer = DEMO_ISSUER;
		if (public_jwk(key, issuer, jwk, sizeof(jwk)) != 0) {
			fprintf(stderr, "demo init: %s: cannot make the public key\n", key_path);
			goto out_close;
		}
	} else {
		char dir[4200];
		snprintf(dir, sizeof(dir), "%s", key_path);
		if (!issuer)
			issuer = DEMO_ISSUER;
		rc = dir_make(dirname(dir), 0700);
		if (rc == 0 &&
		    healthcode_keygen(issuer, true, pem, sizeof(pem), jwk, sizeof(jwk)) != 0)
			rc = -EINVAL;
		if (rc == 0)
			rc = file_write_atomic(key_path, pem, strlen(pem), 0600);
		OPENSSL_cleanse(pem, sizeof(pem));
		if (rc != 0) {
			fprintf(stderr, "demo init: %s: %s\n", key_path, strerror(-rc));
			goto out_close;
		}
	}
	if (add_jwk(st, jwk, &signing) != 0)
		goto out_close;
	struct trust_subject_key sk;
	rc = trust_store_subject_key(st, signing.issuer, &sk);
	OPENSSL_cleanse(&sk, sizeof(sk));
	if (rc == -ENOENT) {
		char sub_jwk[TRUST_JWK_MAX];
		rc = healthcode_subject_keygen(signing.issuer, sub_jwk, sizeof(sub_jwk));
		if (rc == 0)
			rc = add_jwk(st, sub_jwk, &subject);
		OPENSSL_cleanse(sub_jwk, sizeof(sub_jwk));
	}
	if (rc != 0) {
		fprintf(stderr, "demo init: no subject key for %s\n", signing.issuer);
		goto out_close;
	}
	size_t filled = 0;
	rc = trust_store_fill_subjects(st, signing.issuer, true, &filled, NULL);
	if (rc != 0) {
		fprintf(stderr, "demo init: subject ids not set: %s\n", store_errmsg(st));
		goto out_close;
	}
	printf("demo issuer %s: signing key %s (demo%s), private key %s (0600)\n", signing.issuer,
	       signing.kid, signing.already ? ", already trusted" : "", key_path);
	if (subject.kid[0])
		printf("subject key %s added; subject ids set for %zu arrivals\n", subject.kid,
		       filled);
	status = CTL_OK;
out_close:
	EVP_PKEY_free(key);
	store_close(st);
	return status;
}

struct issue_args {
	const char *key_path, *out, *png, *doc_type, *doc_number, *name;
	int64_t arrival, at, valid;
	int scale;
	bool expired, have_category;
	struct healthcode_claims claims;
};

static int parse_issue(int argc, char **argv, struct issue_args *a)
{
	static const struct option opts[] = {
	    {"arrival", required_argument, NULL, 'A'},
	    {"doc-type", required_argument, NULL, 't'},
	    {"doc-number", required_argument, NULL, 'n'},
	    {"name", required_argument, NULL, 'N'},
	    {"colour", required_argument, NULL, 'c'},
	    {"color", required_argument, NULL, 'c'},
	    {"category", required_argument, NULL, 'C'},
	    {"expired", no_argument, NULL, 'x'},
	    {"valid", required_argument, NULL, 'v'},
	    {"at", required_argument, NULL, 'a'},
	    {"jti", required_argument, NULL, 'j'},
	    {"key", required_argument, NULL, 'k'},
	    {"out", required_argument, NULL, 'o'},
	    {"png", required_argument, NULL, 'p'},
	    {"scale", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	int64_t v;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case 'A':
			ok = parse_i64(optarg, 1, INT64_MAX, &a->arrival);
			break;
		case 't':
			a->doc_type = optarg;
			break;
		case 'n':
			a->doc_number = optarg;
			break;
		case 'N':
			a->name = optarg;
			ok = *optarg && strlen(optarg) < sizeof(a->claims.name);
			break;
		case 'c': {
			int i = 0;
			while (i < HEALTHCODE_COLOUR_COUNT &&
			       strcmp(optarg, healthcode_colour_name((enum healthcode_colour)i)) !=
			           0)
				i++;
			ok = i < HEALTHCODE_COLOUR_COUNT;
			a->claims.colour = (enum healthcode_colour)i;
			break;
		}
		case 'C':
			ok = category_parse(optarg, &a->claims.category);
			a->have_category = true;
			break;
		case 'x':
			a->expired = true;
			break;
		case 'v':
			ok = parse_i64(optarg, 1, 366 * 86400, &a->valid);
			break;
		case 'a':
			ok = parse_i64(optarg, 3 * 86400, INT64_C(253402300799) - 400 * 86400,
			               &a->at);
			break;
		case 'j':
			ok = *optarg && strlen(optarg) < sizeof(a->claims.jti);
			if (ok)
				snprintf(a->claims.jti, sizeof(a->claims.jti), "%s", optarg);
			break;
		case 'k':
			a->key_path = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'p':
			a->png = optarg;
			break;
		case 's':
			ok = parse_i64(optarg, 1, 32, &v);
			a->scale = (int)v;
			break;
		case 'h':
			fputs(usage_issue, stdout);
			return 1;
		default:
			ok = false;
			break;
		}
		if (!ok) {
			if (c != '?')
				fprintf(stderr, "demo issue-code: bad value '%s'\n", optarg);
			return -1;
		}
	}
	bool by_arrival = a->arrival != 0;
	bool by_doc = a->doc_type || a->doc_number || a->name;
	if (optind != argc || by_arrival == by_doc ||
	    (by_doc && !(a->doc_type && a->doc_number && a->name))) {
		fprintf(stderr,
		        "demo issue-code: give --arrival ID, or --doc-type, --doc-number and "
		        "--name\n");
		return -1;
	}
	return 0;
}

static int demo_issue(struct ctl *ctl, int argc, char **argv)
{
	struct issue_args a = {.valid = 86400, .scale = 4, .at = clock_unix_s()};
	a.claims.colour = HEALTHCODE_GREEN;
	a.claims.category = CATEGORY_INBOUND;
	char path[4200], kid[JWS_THUMBPRINT_LEN + 1], code[HEALTHCODE_TEXT_MAX + 2];
	int rc = parse_issue(argc, argv, &a);
	if (rc != 0) {
		if (rc < 0)
			fputs(usage_issue, stderr);
		return rc < 0 ? CTL_USAGE : CTL_OK;
	}
	if (!a.key_path) {
		default_key_path(ctl, path, sizeof(path));
		a.key_path = path;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int status = CTL_FAILED;
	struct arrival_record arr;
	struct issuer_key row;
	struct trust_subject_key sk = {0};
	EVP_PKEY *key = load_key(a.key_path);
	memset(&arr, 0, sizeof(arr));
	if (!key || key_kid(key, kid) != 0)
		goto out_close;
	if (store_issuer_key_get(st, kid, &row) != 0 || !row.demo || row.revoked_at) {
		fprintf(stderr,
		        "demo issue-code: the key in %s is not a demo key in force in this store "
		        "(run `stationctl demo init`)\n",
		        a.key_path);
		goto out_close;
	}
	snprintf(a.claims.issuer, sizeof(a.claims.issuer), "%s", row.issuer);
	if (trust_store_subject_key(st, row.issuer, &sk) != 0) {
		fprintf(stderr,
		        "demo issue-code: no subject key for %s (run `stationctl demo init`)\n",
		        row.issuer);
		goto out_close;
	}
	if (a.arrival) {
		rc = store_arrival_get(st, a.arrival, &arr);
		if (rc != 0) {
			fprintf(stderr, "demo issue-code: arrival %" PRId64 ": %s\n", a.arrival,
			        store_status_name(rc));
			goto out_close;
		}
		a.doc_type = arr.doc_type;
		a.doc_number = arr.doc_number;
		a.name = arr.name;
		if (!a.have_category)
			a.claims.category = arr.category;
	}
	if (strlen(a.name) >= sizeof(a.claims.name)) {
		fprintf(stderr, "demo issue-code: the name is longer than a code carries\n");
		goto out_close;
	}
	memcpy(a.claims.name, a.name, strlen(a.name) + 1);
	if (trust_store_subject_of(&sk, a.doc_type, a.doc_number, a.claims.subject) != 0) {
		fprintf(stderr, "demo issue-code: document type or number cannot be hashed (types: "
		                "id_card, passport, hk_macao_permit, taiwan_permit, other)\n");
		goto out_close;
	}
	a.claims.iat = a.expired ? a.at - 2 * 86400 : a.at;
	a.claims.nbf = a.claims.iat;
	a.claims.exp = a.expired ? a.at - 86400 : a.at + a.valid;
	int n = healthcode_issue_key(&a.claims, key, kid, code, sizeof(code) - 1);
	if (n < 0) {
		fprintf(stderr, "demo issue-code: cannot issue (%s)\n", strerror(-n));
		goto out_close;
	}
	code[n] = '\n';
	code[n + 1] = '\0';
	if (a.out) {
		rc = file_write_atomic(a.out, code, (size_t)n + 1, 0644);
		if (rc != 0) {
			fprintf(stderr, "demo issue-code: %s: %s\n", a.out, strerror(-rc));
			goto out_close;
		}
	} else {
		fputs(code, stdout);
	}
	code[n] = '\0';
	if (a.png && (rc = qrpng_write(a.png, code, a.scale)) != 0) {
		fprintf(stderr, "demo issue-code: %s: cannot write the QR PNG (%s)\n", a.png,
		        strerror(-rc));
		goto out_close;
	}
	/* the jti is what revoke-code takes; healthcode_issue_key() picked it when not given */
	fprintf(a.out ? stdout : stderr,
	        "issued a %s demo code of %s: kid %s, valid %" PRId64 "..%" PRId64 "%s%s%s%s\n",
	        healthcode_colour_name(a.claims.colour), row.issuer, kid, a.claims.nbf,
	        a.claims.exp, a.out ? ", text " : "", a.out ? a.out : "", a.png ? ", QR " : "",
	        a.png ? a.png : "");
	status = CTL_OK;
out_close:
	OPENSSL_cleanse(&sk, sizeof(sk));
	explicit_bzero(&arr, sizeof(arr));
	explicit_bzero(&a.claims, sizeof(a.claims));
	EVP_PKEY_free(key);
	store_close(st);
	return status;
}

static int run_demo(struct ctl *ctl, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		ctl_usage(&ctl_cmd_demo, argc < 2 ? stderr : stdout);
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (strcmp(argv[1], "init") == 0)
		return demo_init(ctl, argc - 1, argv + 1);
	if (strcmp(argv[1], "issue-code") == 0)
		return demo_issue(ctl, argc - 1, argv + 1);
	fprintf(stderr, "demo: unknown subcommand '%s'\n", argv[1]);
	ctl_usage(&ctl_cmd_demo, stderr);
	return CTL_USAGE;
}

const struct ctl_command ctl_cmd_demo = {
    .name = "demo",
    .summary = "the demo health-code issuer: set it up, issue codes (text and QR PNG)",
    .usage = "Usage: stationctl demo init [--issuer ISS] [--key FILE]\n"
             "       stationctl demo issue-code (--arrival ID | --doc-type T --doc-number N "
             "--name NAME) ...\n"
             "Codes of the demo issuer are accepted only by devices in demo mode.\n"
             "`stationctl demo SUBCOMMAND --help` tells more.\n",
    .run = run_demo,
};
