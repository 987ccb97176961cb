/* tests/tools/hcgen.c: the demo health-code issuer for tests and the demo: makes issuer
 * keys, issues SZHC1 codes from command-line claims (text and QR PNG), verifies codes.
 * Run `hcgen --help`. Not part of a device: it reads files and the clock. */
#include "app/core/healthcode.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <png.h>
#include <qrencode.h>

static const char usage[] =
    "usage: hcgen keygen --issuer ISS [--demo] --key KEY.pem --jwk KEY.jwk [--subject-key "
    "SUB.jwk]\n"
    "       hcgen jwks JWK_FILE...                  (a JWK Set on stdout)\n"
    "       hcgen subject --subject-key SUB.jwk DOCTYPE NUMBER\n"
    "       hcgen issue --key KEY.pem --iss ISS (--sub SUB | --subject-key SUB.jwk --doc "
    "TYPE:NUMBER)\n"
    "                   --name NAME [--colour green|yellow|red] [--category "
    "inbound|close_contact|\n"
    "                   secondary_contact] [--port PORT] [--entry UNIX] [--nat "
    "YYYY-MM-DD:neg|pos]...\n"
    "                   [--iat UNIX] [--nbf UNIX] [--exp UNIX | --valid SECONDS] [--jti ID] [--kid "
    "KID]\n"
    "                   [--png OUT.png [--scale N]]   (code text on stdout)\n"
    "       hcgen verify --jwks TRUST.jwks [--now UNIX] [--skew S] [--demo] [--revoke ID]... "
    "CODE|-\n"
    "                   (result JSON on stdout; exit 0 valid, 1 refused, 2 attention)\n"
    "       hcgen qrinfo CODE|-                     (QR version and modules, ECC level M)\n";

static char *read_file(const char *path, size_t *len_out)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "hcgen: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[len] = '\0';
		if (len_out)
			*len_out = len;
	}
	return buf;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "hcgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_png(const char *path, const char *text, int scale)
{
	volatile int rc = -1;
	QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	FILE *f = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	png_bytep row = NULL;
	if (!qr) {
		fprintf(stderr, "hcgen: QR encoding failed\n");
		return -1;
	}
	int quiet = 4, side = (qr->width + 2 * quiet) * scale;
	f = fopen(path, "wb");
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	row = malloc((size_t)side);
	if (!f || !png || !info || !row || setjmp(png_jmpbuf(png)))
		goto out;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 8, PNG_COLOR_TYPE_GRAY,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < side; y++) {
		int my = y / scale - quiet;
		for (int x = 0; x < side; x++) {
			int mx = x / scale - quiet;
			bool dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
			            (qr->data[my * qr->width + mx] & 1);
			row[x] = dark ? 0 : 255;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "hcgen: %s: cannot write PNG\n", path);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (f)
		fclose(f);
	QRcode_free(qr);
	return rc;
}

static int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {{"issuer", 1, 0, 'i'},      {"demo", 0, 0, 'd'},
	                                     {"key", 1, 0, 'k'},         {"jwk", 1, 0, 'j'},
	                                     {"subject-key", 1, 0, 's'}, {0, 0, 0, 0}};
	const char *issuer = NULL, *key = NULL, *jwk = NULL, *sub = NULL;
	bool demo = false;
	char pem[512], jwk_text[TRUST_JWK_MAX];
	for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
		switch (c) {
		case 'i':
			issuer = optarg;
			break;
		case 'd':
			demo = true;
			break;
		case 'k':
			key = optarg;
			break;
		case 'j':
			jwk = optarg;
			break;
		case 's':
			sub = optarg;
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (!issuer || !key || !jwk) {
		fputs(usage, stderr);
		return 2;
	}
	if (healthcode_keygen(issuer, demo, pem, sizeof pem, jwk_text, sizeof jwk_text) < 0) {
		fprintf(stderr, "hcgen: key generation failed\n");
		return 1;
	}
	strcat(jwk_text, "\n");
	if (write_file(key, pem) < 0 || write_file(jwk, jwk_text) < 0)
		return 1;
	if (sub) {
		if (healthcode_subject_keygen(issuer, jwk_text, sizeof jwk_text - 1) < 0) {
			fprintf(stderr, "hcgen: subject key generation failed\n");
			return 1;
		}
		strcat(jwk_text, "\n");
		if (write_file(sub, jwk_text) < 0)
			return 1;
	}
	return 0;
}

static int cmd_jwks(int argc, char **argv)
{
	fputs("{\"keys\":[", stdout);
	for (int i = 1; i < argc; i++) {
		char *t = read_file(argv[i], NULL);
		if (!t)
			return 1;
		size_t n = strlen(t);
		while (n && (t[n - 1] == '\n' || t[n - 1] == ' '))
			t[--n] = '\0';
		printf("%s%s", i > 1 ? "," : "", t);
		free(t);
	}
	puts("]}");
	return 0;
}

/* The subject key of a one-key JWK file. */
static int load_subject_key(const char *path, struct trust_subject_key *out)
{
	size_t len;
	char *t = read_file(path, &len);
	struct trust_list *tl = trust_list_new();
	int rc = -1;
	if (t && tl && trust_list_add_jwk(tl, t, len, NULL) == 0 && tl->n_subject_keys == 1) {
		*out = tl->subject_keys[0];
		rc = 0;
	} else {
		fprintf(stderr, "hcgen: %s: not a subject key JWK\n", path);
	}
	trust_list_free(tl);
	free(t);
	return rc;
}

static int cmd_subject(int argc, char **argv)
{
	struct trust_subject_key key;
	char sub[HEALTHCODE_SUBJECT_LEN + 1];
	if (argc != 5 || strcmp(argv[1], "--subject-key") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (load_subject_key(argv[2], &key) < 0)
		return 1;
	if (healthcode_subject_id(&key, argv[3], argv[4], sub) < 0) {
		fprintf(stderr, "hcgen: bad document type or number\n");
		return 1;
	}
	puts(sub);
	return 0;
}

static bool parse_i64(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

static bool copy_arg(char *dst, size_t size, const char *src)
{
	if (strlen(src) >= size)
		return false;
	strcpy(dst, src);
	return true;
}

static int cmd_issue(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", 1, 0, 'k'},         {"iss", 1, 0, 'i'},   {"sub", 1, 0, 's'},
	    {"subject-key", 1, 0, 'S'}, {"doc", 1, 0, 'D'},   {"name", 1, 0, 'n'},
	    {"colour", 1, 0, 'c'},      {"color", 1, 0, 'c'}, {"category", 1, 0, 'C'},
	    {"port", 1, 0, 'p'},        {"entry", 1, 0, 'e'}, {"nat", 1, 0, 't'},
	    {"iat", 1, 0, 'a'},         {"nbf", 1, 0, 'b'},   {"exp", 1, 0, 'x'},
	    {"valid", 1, 0, 'v'},       {"jti", 1, 0, 'j'},   {"kid", 1, 0, 'K'},
	    {"png", 1, 0, 'P'},         {"scale", 1, 0, 'Z'}, {0, 0, 0, 0}};
	struct healthcode_claims c = {.colour = HEALTHCODE_GREEN, .category = CATEGORY_INBOUND};
	const char *key_path = NULL, *subkey = NULL, *doc = NULL, *kid = NULL, *png = NULL;
	int64_t now = (int64_t)time(NULL), valid = 24 * 3600, v;
	bool have_iat = false, have_nbf = false, have_exp = false;
	int scale = 4;
	bool ok = true;
	for (int o; ok && (o = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
		switch (o) {
		case 'k':
			key_path = optarg;
			break;
		case 'i':
			ok = copy_arg(c.issuer, sizeof c.issuer, optarg);
			break;
		case 's':
			ok = copy_arg(c.subject, sizeof c.subject, optarg);
			break;
		case 'S':
			subkey = optarg;
			break;
		case 'D':
			doc = optarg;
			break;
		case 'n':
			ok = copy_arg(c.name, sizeof c.name, optarg);
			break;
		case 'c': {
			int i = 0;
			while (i < HEALTHCODE_COLOUR_COUNT &&
			       strcmp(optarg, healthcode_colour_name((enum healthcode_colour)i)))
				i++;
			ok = i < HEALTHCODE_COLOUR_COUNT;
			c.colour = (enum healthcode_colour)i;
			break;
		}
		case 'C':
			ok = category_parse(optarg, &c.category);
			break;
		case 'p':
			ok = copy_arg(c.port, sizeof c.port, optarg);
			break;
		case 'e':
			ok = parse_i64(optarg, &c.entry_time);
			break;
		case 't': {
			char day[11];
			const char *colon = strchr(optarg, ':');
			ok = c.n_tests < HEALTHCODE_MAX_TESTS && colon && colon - optarg == 10;
			if (!ok)
				break;
			memcpy(day, optarg, 10);
			day[10] = '\0';
			struct healthcode_test *t = &c.tests[c.n_tests++];
			ok = day_parse(day, &t->day);
			if (strcmp(colon + 1, "neg") == 0)
				t->result = HEALTHCODE_NAT_NEGATIVE;
			else if (strcmp(colon + 1, "pos") == 0)
				t->result = HEALTHCODE_NAT_POSITIVE;
			else
				ok = false;
			break;
		}
		case 'a':
			ok = parse_i64(optarg, &c.iat);
			have_iat = true;
			break;
		case 'b':
			ok = parse_i64(optarg, &c.nbf);
			have_nbf = true;
			break;
		case 'x':
			ok = parse_i64(optarg, &c.exp);
			have_exp = true;
			break;
		case 'v':
			ok = parse_i64(optarg, &valid);
			break;
		case 'j':
			ok = copy_arg(c.jti, sizeof c.jti, optarg);
			break;
		case 'K':
			kid = optarg;
			break;
		case 'P':
			png = optarg;
			break;
		case 'Z':
			ok = parse_i64(optarg, &v) && v >= 1 && v <= 32;
			scale = (int)v;
			break;
		default:
			ok = false;
			break;
		}
	}
	if (!ok || optind != argc || !key_path || !c.issuer[0] || !c.name[0] ||
	    (!c.subject[0] && !(subkey && doc))) {
		fputs(usage, stderr);
		return 2;
	}
	if (!have_iat)
		c.iat = now;
	if (!have_nbf)
		c.nbf = c.iat;
	if (!have_exp)
		c.exp = c.nbf + valid;
	if (!c.subject[0]) {
		struct trust_subject_key sk;
		char type[16];
		const char *colon = strchr(doc, ':');
		if (!colon || (size_t)(colon - doc) >= sizeof type ||
		    load_subject_key(subkey, &sk) < 0) {
			fprintf(stderr, "hcgen: --doc is TYPE:NUMBER\n");
			return 2;
		}
		memcpy(type, doc, (size_t)(colon - doc));
		type[colon - doc] = '\0';
		if (healthcode_subject_id(&sk, type, colon + 1, c.subject) < 0) {
			fprintf(stderr, "hcgen: bad document type or number\n");
			return 2;
		}
	}
	size_t pem_len;
	char *pem = read_file(key_path, &pem_len);
	char code[HEALTHCODE_TEXT_MAX + 1];
	if (!pem)
		return 1;
	int n = healthcode_issue(&c, pem, pem_len, kid, code, sizeof code);
	free(pem);
	if (n < 0) {
		fprintf(stderr, "hcgen: cannot issue (%s)\n", strerror(-n));
		return 1;
	}
	puts(code);
	if (png && write_png(png, code, scale) < 0)
		return 1;
	return 0;
}

static char *code_arg(const char *arg)
{
	if (strcmp(arg, "-") == 0)
		return read_file("-", NULL);
	return strdup(arg);
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {{"jwks", 1, 0, 'j'},   {"now", 1, 0, 'n'},
	                                     {"skew", 1, 0, 's'},   {"demo", 0, 0, 'd'},
	                                     {"revoke", 1, 0, 'r'}, {0, 0, 0, 0}};
	struct healthcode_config cfg = {.skew_s = HEALTHCODE_DEFAULT_SKEW_S};
	int64_t now = (int64_t)time(NULL);
	const char *jwks = NULL;
	struct trust_list *t = trust_list_new();
	int rc = 2;
	if (!t)
		return 1;
	for (int o; (o = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
		bool ok = true;
		switch (o) {
		case 'j':
			jwks = optarg;
			break;
		case 'n':
			ok = parse_i64(optarg, &now);
			break;
		case 's':
			ok = parse_i64(optarg, &cfg.skew_s);
			break;
		case 'd':
			cfg.demo_allowed = true;
			break;
		case 'r':
			ok = trust_list_revoke_id(t, optarg) == 0;
			break;
		default:
			ok = false;
			break;
		}
		if (!ok)
			goto out_usage;
	}
	if (!jwks || optind + 1 != argc)
		goto out_usage;
	size_t len;
	char *text = read_file(jwks, &len);
	if (!text || trust_list_add_jwks(t, text, len) < 0) {
		fprintf(stderr, "hcgen: %s: not a valid JWK Set\n", jwks);
		free(text);
		rc = 1;
		goto out_free;
	}
	free(text);
	char *code = code_arg(argv[optind]);
	struct healthcode_result res;
	char json[2048];
	if (!code) {
		rc = 1;
		goto out_free;
	}
	enum reason r = healthcode_verify(code, strlen(code), t, &cfg, now, &res);
	free(code);
	if (healthcode_result_to_json(&res, json, sizeof json) < 0) {
		rc = 1;
		goto out_free;
	}
	puts(json);
	rc = r == REASON_OK ? 0 : r == REASON_YELLOW_CODE ? 2 : 1;
	goto out_free;
out_usage:
	fputs(usage, stderr);
out_free:
	trust_list_free(t);
	return rc;
}

static int cmd_qrinfo(int argc, char **argv)
{
	if (argc != 2) {
		fputs(usage, stderr);
		return 2;
	}
	char *code = code_arg(argv[1]);
	if (!code)
		return 1;
	size_t n = strlen(code);
	while (n && (code[n - 1] == '\n' || code[n - 1] == '\r'))
		code[--n] = '\0';
	QRcode *qr = QRcode_encodeString8bit(code, 0, QR_ECLEVEL_M);
	if (!qr) {
		free(code);
		return 1;
	}
	printf("bytes=%zu version=%d modules=%d ecc=M\n", n, qr->version, qr->width);
	QRcode_free(qr);
	free(code);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	argv++;
	argc--;
	if (strcmp(cmd, "keygen") == 0)
		return cmd_keygen(argc, argv);
	if (strcmp(cmd, "jwks") == 0)
		return cmd_jwks(argc, argv);
	if (strcmp(cmd, "subject") == 0)
		return cmd_subject(argc, argv);
	if (strcmp(cmd, "issue") == 0)
		return cmd_issue(argc, argv);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(argc, argv);
	if (strcmp(cmd, "qrinfo") == 0)
		return cmd_qrinfo(argc, argv);
	fputs(usage, stderr);
	return 2;
}
