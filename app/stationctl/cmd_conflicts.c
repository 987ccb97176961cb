/* app/stationctl/cmd_conflicts.c: `stationctl conflicts [resolve ID --by BADGE]`: the records
 * devices pushed that the station held but did not apply (a person checked in twice while
 * offline, a full room, a reprint of another device's band), for staff to settle in person. */
#include "app/stationctl/stationctl.h"

#include <stdlib.h>
#include <string.h>

#include "app/sys/sys.h"

static int conflicts_list(struct ctl *ctl)
{
	struct store_conflict *c = NULL;
	size_t n = 0;
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int rc = store_conflicts_open(st, &c, &n);
	if (rc) {
		fprintf(stderr, "conflicts: %s [%s]\n", store_errmsg(st), store_status_name(rc));
	} else {
		printf("id\tat\trecord\tkind\treason\tarrival\troom\twinner\n");
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%lld\t%s/%lld\t%s\t%s\t%lld\t%s\t%s\n", (long long)c[i].id,
			       (long long)c[i].at, c[i].device_id, (long long)c[i].device_seq,
			       c[i].kind, c[i].reason, (long long)c[i].arrival_id, c[i].room,
			       c[i].winner);
		fprintf(stderr, "%zu open conflict(s)\n", n);
	}
	free(c);
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

static int run_conflicts(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		ctl_usage(&ctl_cmd_conflicts, stdout);
		return CTL_OK;
	}
	if (argc == 1)
		return conflicts_list(ctl);
	char *end = NULL;
	long long id = argc == 5 ? strtoll(argv[2], &end, 10) : 0;
	if (argc != 5 || strcmp(argv[1], "resolve") != 0 || !end || *end || id < 1 ||
	    strcmp(argv[3], "--by") != 0 || !*argv[4]) {
		ctl_usage(&ctl_cmd_conflicts, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int rc = store_conflict_resolve(st, id, argv[4], clock_unix_s());
	if (rc)
		fprintf(stderr, "conflicts: %s [%s]\n", store_errmsg(st), store_status_name(rc));
	else
		printf("conflict %lld resolved\n", id);
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

const struct ctl_command ctl_cmd_conflicts = {
    .name = "conflicts",
    .summary = "list pushed records the station did not apply; mark one resolved",
    .usage = "Usage: stationctl conflicts\n"
             "       stationctl conflicts resolve ID --by BADGE\n"
             "List the open conflicts (tab-separated: id, time, DEVICE/SEQ of the record,\n"
             "kind, reason, arrival, room, the record that won), or mark one resolved after\n"
             "settling it in person (an audit record names BADGE). Reasons:\n"
             "E_ALREADY_CHECKED_IN (checked in at two kiosks while offline; void the second\n"
             "band), E_NO_ROOM (room full or unusable), E_NOT_ISSUER (a kiosk reprinted a band\n"
             "it did not issue).\n",
    .run = run_conflicts,
};
