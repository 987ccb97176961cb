/* app/stationctl/cmd_verify.c: `stationctl verify-code [TEXT]`: what a kiosk would say about
 * a health code, for staff when a person insists their code is valid: one line of JSON. */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/service/verify.h"
#include "app/sys/sys.h"

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

/* The code text from stdin (at most HEALTHCODE_TEXT_MAX bytes are kept: the verifier
 * refuses longer ones anyway). */
static size_t read_stdin(char *buf, size_t size)
{
	size_t len = 0, n;
	char sink[512];
	while (len + 1 < size && (n = fread(buf + len, 1, size - 1 - len, stdin)) > 0)
		len += n;
	while (fread(sink, 1, sizeof(sink), stdin) > 0)
		len = size; /* too long: keep reading so the writer is not blocked, mark it */
	if (len >= size)
		len = size - 1;
	buf[len] = '\0';
	return len;
}

static int run_verify(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"at", required_argument, NULL, 'a'},
	    {"skew", required_argument, NULL, 's'},
	    {"demo", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	struct verify_config cfg;
	verify_config_defaults(&cfg);
	int64_t now = clock_unix_s();
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case 'a':
			ok = parse_i64(optarg, 0, INT64_C(253402300799), &now);
			break;
		case 's':
			ok = parse_i64(optarg, 0, HEALTHCODE_MAX_SKEW_S, &cfg.code.skew_s);
			break;
		case 'd':
			cfg.code.demo_allowed = true;
			break;
		case 'h':
			ctl_usage(&ctl_cmd_verify_code, stdout);
			return CTL_OK;
		default:
			ok = false;
			break;
		}
		if (!ok) {
			if (c == 'a' || c == 's')
				fprintf(stderr, "verify-code: bad --%s value '%s'\n",
				        c == 'a' ? "at" : "skew", optarg);
			ctl_usage(&ctl_cmd_verify_code, stderr);
			return CTL_USAGE;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "verify-code: give at most one code (or none: read stdin)\n");
		ctl_usage(&ctl_cmd_verify_code, stderr);
		return CTL_USAGE;
	}
	static char text[HEALTHCODE_TEXT_MAX + 2];
	size_t len;
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		len = strlen(argv[optind]);
		if (len >= sizeof(text))
			len = sizeof(text) - 1;
		memcpy(text, argv[optind], len);
		text[len] = '\0';
	} else {
		len = read_stdin(text, sizeof(text));
	}

	log_init("stationctl", LOG_LEVEL_WARN); /* the JSON line says it all */
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	struct verify_service *v = verify_service_open(st, &cfg);
	if (!v) {
		fprintf(stderr, "verify-code: cannot load the trust list: %s\n", store_errmsg(st));
		store_close(st);
		return CTL_FAILED;
	}
	struct verify_outcome o;
	char json[2048];
	int status = CTL_FAILED;
	int n = verify_service_check(v, text, len, now, &o) == 0
	            ? healthcode_result_to_json(&o.code, json, sizeof(json))
	            : -EINVAL;
	if (n < 2 || json[n - 1] != '}') {
		fprintf(stderr, "verify-code: no verdict\n");
		goto out_close;
	}
	json[n - 1] = '\0';
	printf("%s,\"manifest\":\"%s\",\"arrival_id\":%" PRId64
	       ",\"answer\":\"%s\",\"policy\":\"%s\",\"at\":%" PRId64 "}\n",
	       json, verify_match_name(o.match), o.arrival_id, reason_code(o.reason),
	       flow_policy_name(o.policy), now);
	status =
	    o.code.reason == REASON_OK || o.code.reason == REASON_YELLOW_CODE ? CTL_OK : CTL_FAILED;
	if (o.reason == REASON_LOOKUP_FAILED)
		status = CTL_FAILED;
out_close:
	explicit_bzero(&o, sizeof(o));
	explicit_bzero(text, sizeof(text));
	verify_service_close(v);
	store_close(st);
	return status;
}

const struct ctl_command ctl_cmd_verify_code = {
    .name = "verify-code",
    .summary = "verify a health code as a kiosk would, and match it with the manifest",
    .usage = "Usage: stationctl verify-code [TEXT|-] [--at UNIX] [--skew S] [--demo]\n"
             "Verify a health code (TEXT, or read from stdin) against the store's trust list\n"
             "and revocations, and look its subject up in the manifest. Prints one line of\n"
             "JSON: the verdict (valid, attention, refused), the reason code, the code's\n"
             "non-secret claims (never the name or the subject id), and the manifest match:\n"
             "\"manifest\" found, walk_in, checked_in or none (refused), \"arrival_id\", and\n"
             "what the kiosk would answer (\"answer\" reason, \"policy\").\n"
             "Exit status 0 when the code is genuine and current (green or yellow), 1 when\n"
             "it is refused (forged, unknown issuer, expired, revoked, demo, red, ...).\n\n"
             "  --at UNIX  verify as at this time (unix seconds), e.g. when the person says\n"
             "             it was valid an hour ago\n"
             "  --skew S   clock skew tolerated, seconds (default 300, at most 86400)\n"
             "  --demo     accept codes of demo keys, as a demo station does\n",
    .run = run_verify,
};
