/* app/stationctl/cmd_briefing.c: `stationctl briefing add LANG FILE`: a new version of the
 * police briefing text in one language; stationd publishes it to the devices. */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/sys/sys.h"

/* The whole file into a malloc'd buffer; NULL (errno set) on failure or over max bytes. */
static char *read_all(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf)
		goto out_close;
	*len = fread(buf, 1, max + 1, f);
	if (ferror(f) || *len > max) {
		if (!ferror(f))
			errno = EFBIG;
		free(buf);
		buf = NULL;
	}
out_close:
	fclose(f);
	return buf;
}

static int run_briefing(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		ctl_usage(&ctl_cmd_briefing, stdout);
		return CTL_OK;
	}
	if (argc != 4 || strcmp(argv[1], "add") != 0) {
		ctl_usage(&ctl_cmd_briefing, stderr);
		return CTL_USAGE;
	}
	const char *lang = argv[2], *path = argv[3];
	size_t len = 0;
	char *text = read_all(path, STORE_BRIEFING_MAX, &len);
	if (!text) {
		fprintf(stderr, "briefing: %s: %s\n", path, strerror(errno));
		return CTL_FAILED;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st) {
		free(text);
		return CTL_FAILED;
	}
	struct store_briefing b;
	int rc = store_briefing_add(st, lang, text, len, clock_unix_s(), &b);
	if (rc)
		fprintf(stderr, "briefing: %s [%s]\n", store_errmsg(st), store_status_name(rc));
	else
		printf("briefing %s version %lld %s\n", b.lang, (long long)b.version, b.hash);
	store_close(st);
	free(text);
	return rc ? CTL_FAILED : CTL_OK;
}

const struct ctl_command ctl_cmd_briefing = {
    .name = "briefing",
    .summary = "add a new version of the briefing text in one language",
    .usage = "Usage: stationctl briefing add LANG FILE\n"
             "Store FILE (UTF-8 text, at most 12288 bytes) as the next version of the\n"
             "briefing in LANG (\"zh-CN\", \"en\", ...). stationd publishes the latest\n"
             "version of every language to the devices (pull kind \"briefing\", key LANG).\n"
             "Refused when the latest version already has this text.\n",
    .run = run_briefing,
};
