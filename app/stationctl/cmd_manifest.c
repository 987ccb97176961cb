/* app/stationctl/cmd_manifest.c: `stationctl import-manifest FILE.csv`: all rows or none;
 * every bad row is printed as "line N: reason". */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

#include <openssl/crypto.h>

#include "app/service/trust_store.h"

static void print_bad_row(void *ctx, size_t line, const char *reason)
{
	const char *file = ctx;
	fprintf(stderr, "%s: line %zu: %s\n", file, line, reason);
}

static int run_import(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"issuer", required_argument, NULL, 'i'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	const char *issuer = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			issuer = optarg;
			break;
		case 'h':
			ctl_usage(&ctl_cmd_import_manifest, stdout);
			return CTL_OK;
		default:
			ctl_usage(&ctl_cmd_import_manifest, stderr);
			return CTL_USAGE;
		}
	}
	int first = optind;
	if (argc - first != 1) {
		fprintf(stderr, "import-manifest: give exactly one CSV file\n");
		ctl_usage(&ctl_cmd_import_manifest, stderr);
		return CTL_USAGE;
	}
	const char *file = argv[first];
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	/* whose subject ids arrivals carry: settled before anything is imported */
	struct trust_subject_key key;
	int sub = trust_store_subject_key(st, issuer, &key);
	OPENSSL_cleanse(&key, sizeof(key));
	if (sub == -EEXIST || (sub != 0 && issuer)) {
		fprintf(stderr, "import-manifest: %s; nothing imported\n",
		        sub == -EEXIST   ? "subject keys of several issuers: give --issuer"
		        : sub == -ENOENT ? "no subject key of that issuer in force"
		                         : "subject keys unreadable");
		store_close(st);
		return CTL_FAILED;
	}
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
	if (rc == 0 && sub == -ENOENT) {
		printf("no subject key in the store: health codes will not find these arrivals "
		       "until one is added (stationctl keys add)\n");
	} else if (rc == 0) {
		/* subject ids, so that health codes find their arrival */
		size_t filled = 0, skipped = 0;
		rc = trust_store_fill_subjects(st, issuer, true, &filled, &skipped);
		if (rc == 0)
			printf("subject ids set for %zu arrivals; %zu documents cannot be hashed\n",
			       filled, skipped);
		else
			fprintf(stderr,
			        "import-manifest: arrivals imported, subject ids not set: %s\n",
			        store_errmsg(st));
	}
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

const struct ctl_command ctl_cmd_import_manifest = {
    .name = "import-manifest",
    .summary = "import the expected-arrivals manifest (CSV), all rows or none",
    .usage = "Usage: stationctl import-manifest FILE.csv [--issuer ISS]\n"
             "Import expected arrivals. The file is CSV with a header row (columns in\n"
             "docs/manifest.md), UTF-8 with or without BOM, or GB18030 as Excel saves it on\n"
             "Chinese Windows. Every bad row is reported as \"FILE: line N: reason\" and then\n"
             "nothing is imported; rows already in the store are refused the same way.\n"
             "Then every arrival without a health-code subject id gets one, computed from its\n"
             "document with the issuer's subject key in the store (keys add, demo init).\n\n"
             "  --issuer ISS  whose subject key to use when several issuers have one\n",
    .run = run_import,
};
