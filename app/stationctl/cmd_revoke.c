/* app/stationctl/cmd_revoke.c: `stationctl revoke-code ISSUER ID`: revoke one health code
 * (its jti) or every code of one person (their subject id, "sub"). */
#include "app/stationctl/stationctl.h"

#include <getopt.h>
#include <string.h>

#include "app/sys/sys.h"

static int run_revoke(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"reason", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	const char *reason = "";
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			reason = optarg;
			break;
		case 'h':
			ctl_usage(&ctl_cmd_revoke_code, stdout);
			return CTL_OK;
		default:
			ctl_usage(&ctl_cmd_revoke_code, stderr);
			return CTL_USAGE;
		}
	}
	if (argc - optind != 2 || !*argv[optind] || !*argv[optind + 1]) {
		fprintf(stderr, "revoke-code: give the issuer and the credential id\n");
		ctl_usage(&ctl_cmd_revoke_code, stderr);
		return CTL_USAGE;
	}
	const char *issuer = argv[optind], *id = argv[optind + 1];
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int rc = store_revocation_add(st, issuer, id, clock_unix_s(), reason);
	if (rc)
		fprintf(stderr, "revoke-code: %s [%s]\n", store_errmsg(st), store_status_name(rc));
	else
		printf("revoked: codes of issuer %s with jti or sub %s\n", issuer, id);
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

const struct ctl_command ctl_cmd_revoke_code = {
    .name = "revoke-code",
    .summary = "revoke a health code (jti) or every code of a subject (sub)",
    .usage = "Usage: stationctl revoke-code ISSUER ID [--reason TEXT]\n"
             "Revoke health codes of ISSUER: ID is a code's \"jti\" (that code) or a\n"
             "subject id \"sub\" (every code of that person). Devices refuse them with\n"
             "E_REVOKED from their next scan on. `verify-code` prints a code's jti.\n\n"
             "  --reason TEXT  why, for the record (no names or ID numbers)\n",
    .run = run_revoke,
};
