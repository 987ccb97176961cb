/* tests/tools/label_print.c: lay out one label and print it through a spec string, or ask
 * a printer's status: the command-line face of drivers/printer, for tests and the demo.
 *   label_print [-l zh|en|both] [-r ROOM] [-n NAME] [-d RELEASE] [-k RISK] [-j JOB_ID]
 *               [-c COPIES] [-s labels.json] [-D DPI] SPEC wristband|door|meal|sample TOKEN
 *   label_print -S SPEC        (status: prints the flags, exit 0 when ready)
 * Exit 0 printed; 1 refused or failed (the code is printed); 2 usage. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/printer/label.h"
#include "drivers/printer/printer.h"

static int usage(void)
{
	fprintf(stderr, "usage: label_print [-l zh|en|both] [-r ROOM] [-n NAME] [-d RELEASE] "
	                "[-k RISK] [-j JOB] [-c COPIES] [-s STRINGS] [-D DPI] SPEC KIND TOKEN\n"
	                "       label_print -S SPEC\n");
	return 2;
}

static int status(const char *spec)
{
	struct printer *p = printer_open(spec);
	struct printer_status st;
	if (!p) {
		fprintf(stderr, "label_print: bad spec\n");
		return 2;
	}
	printer_status(p, &st);
	printer_close(p);
	printf("known=%d offline=%d paper_out=%d head_open=%d paused=%d ribbon_out=%d "
	       "paper_low=%d error=%d\n",
	       st.known, st.offline, st.paper_out, st.head_open, st.paused, st.ribbon_out,
	       st.paper_low, st.error);
	return st.offline || st.paper_out || st.head_open || st.paused || st.ribbon_out || st.error
	           ? 1
	           : 0;
}

int main(int argc, char **argv)
{
	static const char *const kinds[] = {"wristband", "door", "meal", "sample"};
	static const char *const langs[] = {"zh", "en", "both"};
	struct label_fields f = {.room = "1208",
	                         .name = "张*明",
	                         .release = "2022-05-15",
	                         .risk = RISK_GREEN,
	                         .date = "2022-05-01"};
	const char *strings = NULL, *lang = "zh";
	struct printer_job job = {.copies = 1};
	int dpi = 0, opt;
	while ((opt = getopt(argc, argv, "l:r:n:d:k:j:c:s:D:S:")) != -1) {
		switch (opt) {
		case 'l':
			lang = optarg;
			break;
		case 'r':
			f.room = optarg;
			break;
		case 'n':
			f.name = optarg;
			break;
		case 'd':
			f.release = optarg;
			break;
		case 'k':
			if (!risk_parse(optarg, &f.risk))
				return usage();
			break;
		case 'j':
			job.id = strtoull(optarg, NULL, 10);
			break;
		case 'c':
			job.copies = atoi(optarg);
			break;
		case 's':
			strings = optarg;
			break;
		case 'D':
			dpi = atoi(optarg);
			break;
		case 'S':
			return status(optarg);
		default:
			return usage();
		}
	}
	if (argc - optind != 3)
		return usage();
	struct label_spec spec = {.kind = LABEL_KIND_COUNT};
	for (int i = 0; i < LABEL_KIND_COUNT; i++)
		if (strcmp(argv[optind + 1], kinds[i]) == 0)
			spec = label_spec_default((enum label_kind)i);
	spec.lang = LABEL_LANG_COUNT;
	for (int i = 0; i < LABEL_LANG_COUNT; i++)
		if (strcmp(lang, langs[i]) == 0)
			spec.lang = (enum label_lang)i;
	if (spec.kind == LABEL_KIND_COUNT || spec.lang == LABEL_LANG_COUNT)
		return usage();
	if (dpi)
		spec.dpi = dpi;
	f.token = argv[optind + 2];
	f.sample_id = f.token;
	f.occupants[0] = f.name;
	f.diet_note = NULL;
	int rc = 1;
	const char *why = "?";
	struct label_kit *kit = label_kit_open(NULL, strings, &why);
	if (!kit) {
		fprintf(stderr, "label_print: %s\n", why);
		return 1;
	}
	struct label *l = NULL;
	int err = label_layout(kit, &spec, &f, &l);
	if (err) {
		fprintf(stderr, "label_print: layout: %s\n", printer_error_code(err));
		goto out_kit;
	}
	struct printer *p = printer_open(argv[optind]);
	if (!p) {
		fprintf(stderr, "label_print: bad spec\n");
		rc = 2;
		goto out_label;
	}
	job.label = l;
	err = printer_print_job(p, &job);
	printf("%s\n", printer_error_code(err));
	rc = err ? 1 : 0;
	printer_close(p);
out_label:
	label_free(l);
out_kit:
	label_kit_close(kit);
	return rc;
}
