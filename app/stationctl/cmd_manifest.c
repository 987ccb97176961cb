/* app/stationctl/cmd_manifest.c: `stationctl import-manifest FILE.csv`: all rows or none;
 * every bad row is printed as "line N: reason". */
#include "app/stationctl/stationctl.h"

#include <string.h>

static void print_bad_row(void *ctx, size_t line, const char *reason)
{
	const char *file = ctx;
	fprintf(stderr, "%s: line %zu: %s\n", file, line, reason);
}

static int run_import(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		ctl_usage(&ctl_cmd_import_manifest, stdout);
		return CTL_OK;
	}
	int first = argc > 1 && strcmp(argv[1], "--") == 0 ? 2 : 1;
	if (argc - first != 1 || (first == 1 && argv[1][0] == '-')) {
		fprintf(stderr, "import-manifest: give exactly one CSV file\n");
		ctl_usage(&ctl_cmd_import_manifest, stderr);
		return CTL_USAGE;
	}
	const char *file = argv[first];
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	struct manifest_report rep = {.on_error = print_bad_row, .ctx = (void *)file};
	int rc = store_manifest_import_file(st, file, &rep);
	if (rc == STORE_E_BAD_INPUT) {
		fprintf(stderr, "import-manifest: %zu bad row%s in %s; nothing imported\n",
		        rep.bad_rows, rep.bad_rows == 1 ? "" : "s", file);
	} else if (rc) {
		fprintf(stderr, "import-manifest: %s [%s]; nothing imported\n", store_errmsg(st),
		        store_status_name(rc));
	} else {
		printf("imported %zu arrivals from %s (%s):", rep.rows, file,
		       rep.from_gb18030 ? "GB18030"
		       : rep.had_bom    ? "UTF-8 with BOM"
		                        : "UTF-8");
		for (int c = 0; c < CATEGORY_COUNT; c++)
			printf(" %s %zu%s", category_name((enum category)c), rep.by_category[c],
			       c + 1 < CATEGORY_COUNT ? "," : "\n");
	}
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

const struct ctl_command ctl_cmd_import_manifest = {
    .name = "import-manifest",
    .summary = "import the expected-arrivals manifest (CSV), all rows or none",
    .usage = "Usage: stationctl import-manifest FILE.csv\n"
             "Import expected arrivals. The file is CSV with a header row (columns in\n"
             "docs/manifest.md), UTF-8 with or without BOM, or GB18030 as Excel saves it on\n"
             "Chinese Windows. Every bad row is reported as \"FILE: line N: reason\" and then\n"
             "nothing is imported; rows already in the store are refused the same way.\n",
    .run = run_import,
};
