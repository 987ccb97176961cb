/* app/stationctl/cmd_printjobs.c: `stationctl print-jobs`: the print jobs that need staff
 * (queued, failed, or uncertain: may have printed), and the desk's two decisions on them. */
#include "app/stationctl/stationctl.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/service/spool.h"
#include "app/sys/sys.h"

static const char *state_word(enum print_job_state s)
{
	return s == PRINT_QUEUED ? "queued" : s == PRINT_FAILED ? "failed" : "uncertain";
}

static int list(struct store *st)
{
	struct spool_pending *jobs = NULL;
	size_t n = 0;
	int rc = spool_pending(st, clock_unix_s(), &jobs, &n);
	if (rc != 0) {
		fprintf(stderr, "print-jobs: %s\n", store_status_name(rc));
		return CTL_FAILED;
	}
	printf("%-6s %-10s %-16s %-10s %-22s %-9s %s\n", "job", "kind", "ref", "state", "reason",
	       "attempts", "waiting");
	for (size_t i = 0; i < n; i++)
		printf("%-6" PRId64 " %-10s %-16s %-10s %-22s %-9d %" PRId64 " min\n",
		       jobs[i].job_id, jobs[i].kind, jobs[i].ref, state_word(jobs[i].state),
		       jobs[i].reason == REASON_OK ? "-" : reason_code(jobs[i].reason),
		       jobs[i].attempts, jobs[i].age_s / 60);
	printf("%zu job%s waiting for staff or a printer\n", n, n == 1 ? "" : "s");
	free(jobs);
	return CTL_OK;
}

static int run_printjobs(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		ctl_usage(&ctl_cmd_printjobs, stdout);
		return CTL_OK;
	}
	bool is_list = argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0);
	bool decide = argc == 5 &&
	              (strcmp(argv[1], "retry") == 0 || strcmp(argv[1], "cancel") == 0) &&
	              strcmp(argv[3], "--badge") == 0;
	char *end = NULL;
	long long job = decide ? strtoll(argv[2], &end, 10) : 0;
	if (!is_list && (!decide || *end || job <= 0)) {
		ctl_usage(&ctl_cmd_printjobs, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int rc = CTL_OK;
	if (is_list) {
		rc = list(st);
	} else {
		int s = strcmp(argv[1], "retry") == 0
		            ? spool_retry(st, job, argv[4], clock_unix_s())
		            : spool_cancel(st, job, argv[4], clock_unix_s());
		if (s != 0) {
			fprintf(stderr, "print-jobs: job %lld: %s\n", job,
			        s == STORE_E_NOT_FOUND ? "not waiting for a staff decision"
			                               : store_status_name(s));
			rc = CTL_FAILED;
		} else {
			printf("job %lld: %s (audited, badge %s)\n", job,
			       strcmp(argv[1], "retry") == 0 ? "queued again" : "cancelled",
			       argv[4]);
		}
	}
	store_close(st);
	return rc;
}

const struct ctl_command ctl_cmd_printjobs = {
    .name = "print-jobs",
    .summary = "print jobs waiting for staff: list, retry, cancel",
    .usage = "Usage: stationctl print-jobs [list]\n"
             "       stationctl print-jobs retry|cancel JOB --badge BADGE\n"
             "List the print jobs that did not print: queued (waiting for a printer),\n"
             "failed, and uncertain (the printer stopped mid-job: look whether the label came\n"
             "out before retrying). retry prints the same label again, cancel withdraws it;\n"
             "both are recorded in the audit log with the staff badge.\n",
    .run = run_printjobs,
};
