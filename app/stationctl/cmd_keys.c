/* app/stationctl/cmd_keys.c: `stationctl keys add|import|list|revoke|revoke-rid`: the
 * health-code trust list in the store: issuer signing keys (public), issuer subject keys
 * (secret, never shown), international signers and SMART Health Card revocations. */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "app/service/trust_store.h"
#include "app/sys/sys.h"

#define KEY_FILE_MAX (16 * 1024 * 1024) /* a DCC signer list of thousands of certificates */

static const char usage_add[] =
    "Usage: stationctl keys add FILE.jwk|FILE.jwks [--demo]\n"
    "Trust the keys of a JWK or JWK Set (RFC 7517), all or none:\n"
    "  - issuer signing keys: P-256 public keys {\"kty\":\"EC\",\"crv\":\"P-256\",\"x\",\"y\","
    "\"iss\"};\n"
    "    codes they sign are accepted when their \"iss\" matches;\n"
    "  - issuer subject keys: {\"kty\":\"oct\",\"use\":\"hcsub\",\"iss\",\"k\"}, the secret the "
    "issuer\n"
    "    hashes document numbers with; import-manifest uses it to give every arrival its\n"
    "    subject id. Arrivals without one get it now.\n"
    "Private keys (a JWK with \"d\", a PEM private key) are refused.\n\n"
    "  --demo  mark the keys demo: devices accept their codes only in demo mode\n";
static const char usage_import[] =
    "Usage: stationctl keys import FILE [--shc-issuer URL | --shc-crl]\n"
    "Trust the signing keys of an international health-credential trust list, all or none:\n"
    "  - without --shc-issuer: EU DCC document signers, as PEM certificates or a JSON list\n"
    "    [{\"kid\":..,\"rawData\":base64 DER}]; each certificate's extended key usage says\n"
    "    which kinds (test, vaccination, recovery) it may sign;\n"
    "  - with --shc-issuer URL: the JWKS of the SMART Health Card issuer whose cards carry\n"
    "    \"iss\" = URL (EC P-256 ES256 keys named by their RFC 7638 thumbprint).\n"
    "  - with --shc-crl: a SMART issuer's revocation list (/.well-known/crl/KID.json,\n"
    "    {\"kid\",\"method\":\"rid\",\"ctr\",\"rids\":[...]}) for a trusted SMART key: its\n"
    "    cards with those rids are refused (E_REVOKED) on every device.\n"
    "What such a credential allows at the entrance is the station's policy\n"
    "(docs/international.md).\n";
static const char usage_revoke_rid[] =
    "Usage: stationctl keys revoke-rid KID RID[.TIME]\n"
    "Revoke the SMART Health Cards with revocation id RID signed by the SMART key KID (with\n"
    ".TIME: only those issued before that unix time), as a revocation list of one would.\n"
    "Devices get it like every revocation; such cards are refused (E_REVOKED).\n";
static const char usage_list[] =
    "Usage: stationctl keys list\n"
    "Show every key: kid, kind (signing or subject), issuer, demo, added, revoked.\n"
    "Subject keys are secret: their key material is never printed.\n";
static const char usage_revoke[] =
    "Usage: stationctl keys revoke KID\n"
    "Stop trusting a key. Codes signed by a revoked signing key are refused (E_REVOKED);\n"
    "a revoked subject key is no longer used for subject ids. Keys are never deleted.\n";

static int keys_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"demo", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	bool demo = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			demo = true;
			break;
		case 'h':
			fputs(usage_add, stdout);
			return CTL_OK;
		default:
			fputs(usage_add, stderr);
			return CTL_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "keys add: give exactly one key file\n");
		fputs(usage_add, stderr);
		return CTL_USAGE;
	}
	const char *file = argv[optind];
	size_t len;
	char *text = file_read_all(file, KEY_FILE_MAX, &len);
	if (!text) {
		fprintf(stderr, "keys add: %s: %s\n", file, strerror(errno));
		return CTL_FAILED;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st) {
		OPENSSL_cleanse(text, len);
		free(text);
		return CTL_FAILED;
	}
	struct trust_store_added added[TRUST_STORE_ADD_MAX];
	size_t n = 0;
	char detail[256];
	int rc = trust_store_add_jwks(st, text, len, demo, clock_unix_s(), added, &n, detail,
	                              sizeof(detail));
	OPENSSL_cleanse(text, len);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "keys add: %s: %s; nothing added\n", file,
		        detail[0] ? detail : store_errmsg(st));
		store_close(st);
		return CTL_FAILED;
	}
	bool subject = false;
	for (size_t i = 0; i < n; i++) {
		printf("%s %s key %s of issuer %s%s\n",
		       added[i].already ? "already trusted:" : "added",
		       added[i].subject ? "subject" : "signing", added[i].kid, added[i].issuer,
		       added[i].demo ? " (demo)" : "");
		subject = subject || (added[i].subject && !added[i].already);
	}
	int status = CTL_OK;
	for (size_t i = 0; subject && i < n; i++) {
		size_t filled = 0, skipped = 0;
		if (!added[i].subject || added[i].already)
			continue;
		rc = trust_store_fill_subjects(st, added[i].issuer, true, &filled, &skipped);
		if (rc == 0 && filled)
			printf("subject ids set for %zu arrivals (issuer %s)\n", filled,
			       added[i].issuer);
		else if (rc != 0 && rc != -ENOENT) {
			fprintf(stderr, "keys add: subject ids not set: %s\n", store_errmsg(st));
			status = CTL_FAILED;
		}
	}
	store_close(st);
	return status;
}

static int keys_import(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"shc-issuer", required_argument, NULL, 's'},
	    {"shc-crl", no_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	const char *shc_issuer = NULL;
	bool crl = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			shc_issuer = optarg;
			break;
		case 'c':
			crl = true;
			break;
		case 'h':
			fputs(usage_import, stdout);
			return CTL_OK;
		default:
			fputs(usage_import, stderr);
			return CTL_USAGE;
		}
	}
	if (argc - optind != 1 || (crl && shc_issuer)) {
		fprintf(stderr, "keys import: give exactly one file (and --shc-issuer or "
		                "--shc-crl, not both)\n");
		fputs(usage_import, stderr);
		return CTL_USAGE;
	}
	const char *file = argv[optind];
	size_t len;
	char *text = file_read_all(file, KEY_FILE_MAX, &len);
	if (!text) {
		fprintf(stderr, "keys import: %s: %s\n", file, strerror(errno));
		return CTL_FAILED;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st) {
		free(text);
		return CTL_FAILED;
	}
	char detail[256];
	if (crl) {
		size_t fresh = 0, held = 0;
		int rc = trust_store_import_shc_crl(st, text, len, clock_unix_s(), &fresh, &held,
		                                    detail, sizeof(detail));
		free(text);
		if (rc != 0)
			fprintf(stderr, "keys import: %s: %s; nothing added\n", file,
			        detail[0] ? detail : store_errmsg(st));
		else
			printf("SMART revocations: %zu added, %zu already held\n", fresh, held);
		store_close(st);
		return rc ? CTL_FAILED : CTL_OK;
	}
	struct trust_store_added *added = NULL;
	size_t n = 0;
	int rc = trust_store_import(st, text, len, shc_issuer, clock_unix_s(), &added, &n, detail,
	                            sizeof(detail));
	free(text);
	if (rc != 0) {
		fprintf(stderr, "keys import: %s: %s; nothing added\n", file,
		        detail[0] ? detail : store_errmsg(st));
		store_close(st);
		return CTL_FAILED;
	}
	for (size_t i = 0; i < n; i++)
		printf("%s %s key %s of issuer %s\n",
		       added[i].already ? "already trusted:" : "added",
		       shc_issuer ? "SMART" : "DCC signer", added[i].kid,
		       added[i].issuer[0] ? added[i].issuer : "-");
	free(added);
	store_close(st);
	return CTL_OK;
}

static void format_time(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!t || !gmtime_r(&tt, &tm) || !strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 21, "-");
}

static int keys_list(struct ctl *ctl, int argc, char **argv)
{
	(void)argv;
	if (ctl_wants_help(argc, argv)) {
		fputs(usage_list, stdout);
		return CTL_OK;
	}
	if (argc != 1) {
		fputs(usage_list, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	struct issuer_key *keys = NULL;
	size_t n = 0;
	int rc = store_issuer_keys_list(st, &keys, &n);
	if (rc) {
		fprintf(stderr, "keys list: %s [%s]\n", store_errmsg(st), store_status_name(rc));
		store_close(st);
		return CTL_FAILED;
	}
	printf("%-44s %-8s %-24s %-5s %-20s %s\n", "KID", "KIND", "ISSUER", "DEMO", "ADDED",
	       "REVOKED");
	size_t in_force = 0;
	for (size_t i = 0; i < n; i++) {
		char added[21], revoked[21];
		format_time(keys[i].added_at, added);
		format_time(keys[i].revoked_at, revoked);
		bool subject = strcmp(keys[i].alg, TRUST_STORE_ALG_SUBJECT) == 0;
		printf("%-44s %-8s %-24s %-5s %-20s %s\n", keys[i].kid,
		       subject                                         ? "subject"
		       : strcmp(keys[i].alg, TRUST_STORE_ALG_DCC) == 0 ? "dcc"
		       : strcmp(keys[i].alg, TRUST_STORE_ALG_SHC) == 0 ? "smart"
		                                                       : "signing",
		       keys[i].issuer, keys[i].demo ? "yes" : "no", added, revoked);
		in_force += keys[i].revoked_at == 0;
	}
	printf("%zu keys, %zu in force\n", n, in_force);
	OPENSSL_cleanse(keys, n * sizeof(*keys));
	free(keys);
	store_close(st);
	return CTL_OK;
}

static int keys_revoke(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		fputs(usage_revoke, stdout);
		return CTL_OK;
	}
	if (argc != 2 || !*argv[1]) {
		fprintf(stderr, "keys revoke: give one kid\n");
		fputs(usage_revoke, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int rc = store_issuer_key_revoke(st, argv[1], clock_unix_s());
	if (rc)
		fprintf(stderr, "keys revoke: %s [%s]\n", store_errmsg(st), store_status_name(rc));
	else
		printf("key %s revoked\n", argv[1]);
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

static int keys_revoke_rid(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		fputs(usage_revoke_rid, stdout);
		return CTL_OK;
	}
	if (argc != 3 || !*argv[1] || !*argv[2]) {
		fprintf(stderr, "keys revoke-rid: give a SMART key's kid and a rid\n");
		fputs(usage_revoke_rid, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	char detail[256];
	bool already = false;
	int rc = trust_store_revoke_rid(st, argv[1], argv[2], clock_unix_s(), &already, detail,
	                                sizeof(detail));
	if (rc == -EINVAL)
		fprintf(stderr,
		        "keys revoke-rid: %s is not a rid (base64url, at most 16 "
		        "characters, optionally .TIME)\n",
		        argv[2]);
	else if (rc)
		fprintf(stderr, "keys revoke-rid: %s\n", detail[0] ? detail : store_errmsg(st));
	else
		printf("rid %s of key %s %s\n", argv[2], argv[1],
		       already ? "was revoked already" : "revoked");
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

static int run_keys(struct ctl *ctl, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		ctl_usage(&ctl_cmd_keys, argc < 2 ? stderr : stdout);
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (strcmp(argv[1], "add") == 0)
		return keys_add(ctl, argc - 1, argv + 1);
	if (strcmp(argv[1], "import") == 0)
		return keys_import(ctl, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return keys_list(ctl, argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke") == 0)
		return keys_revoke(ctl, argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke-rid") == 0)
		return keys_revoke_rid(ctl, argc - 1, argv + 1);
	fprintf(stderr, "keys: unknown subcommand '%s'\n", argv[1]);
	ctl_usage(&ctl_cmd_keys, stderr);
	return CTL_USAGE;
}

const struct ctl_command ctl_cmd_keys = {
    .name = "keys",
    .summary = "health-code issuer keys: add (JWK/JWKS), import, list, revoke, revoke-rid",
    .usage = "Usage: stationctl keys add FILE.jwk|FILE.jwks [--demo]\n"
             "       stationctl keys import FILE [--shc-issuer URL]  (EU DCC signers, SMART JWKS)\n"
             "       stationctl keys import --shc-crl FILE  (a SMART revocation list)\n"
             "       stationctl keys list\n"
             "       stationctl keys revoke KID\n"
             "       stationctl keys revoke-rid KID RID[.TIME]  (a SMART card's revocation id)\n"
             "`stationctl keys SUBCOMMAND --help` tells more.\n",
    .run = run_keys,
};
