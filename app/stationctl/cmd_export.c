/* app/stationctl/cmd_export.c: `stationctl export checkins --format csv`: check-ins as CSV
 * for Excel on Chinese Windows: UTF-8 with BOM, CRLF, RFC 4180 quoting, times in China
 * time (UTC+8), and cells that would start a formula defused with a leading apostrophe. */
#include "app/stationctl/stationctl.h"

#include <getopt.h>
#include <string.h>

#define CHINA_TZ_S (8 * 3600)

struct export_ctx {
	FILE *out;
	size_t rows;
};

static void csv_int(FILE *out, long long v, int last)
{
	fprintf(out, "%lld%s", v, last ? "\r\n" : ",");
}

static void csv_ms(FILE *out, int32_t ms)
{
	if (ms >= 0)
		fprintf(out, "%d", (int)ms);
	fputc(',', out);
}

/* "2026-11-29T16:30:05+08:00" */
static void china_time(int64_t unix_s, char buf[32])
{
	hk_day day = day_from_unix(unix_s, CHINA_TZ_S);
	int64_t secs = unix_s + CHINA_TZ_S - (int64_t)day * 86400;
	char d[11];
	snprintf(buf, 32, "%sT%02d:%02d:%02d+08:00", day_format(day, d), (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60));
}

static const char *const header[] = {
    "checkin_id",
    "checked_in_at",
    "state",
    "batch",
    "name",
    "doc_type",
    "doc_number",
    "category",
    "term",
    "group_id",
    "room",
    "risk",
    "risk_set_by",
    "planned_release",
    "code_result",
    "code_reason",
    "briefing_lang",
    "briefing_hash",
    "wristband_serial",
    "device_id",
    "device_seq",
    "verify_ms",
    "confirm_ms",
    "briefing_ms",
    "total_ms",
};
#define N_HEADER (sizeof(header) / sizeof(*header))

static int export_row(const struct checkin_row *row, void *ctx)
{
	struct export_ctx *x = ctx;
	const struct checkin_record *c = &row->c;
	const struct arrival_record *a = &row->a;
	char when[32], release[11], term[16];
	china_time(c->at, when);
	if (a->home_days)
		snprintf(term, sizeof(term), "%d+%d", a->onsite_days, a->home_days);
	else
		snprintf(term, sizeof(term), "%d", a->onsite_days);
	csv_int(x->out, row->id, 0);
	ctl_csv_cell(x->out, when, 0);
	ctl_csv_cell(x->out, row->state, 0);
	ctl_csv_cell(x->out, a->batch, 0);
	ctl_csv_cell(x->out, a->name, 0);
	ctl_csv_cell(x->out, a->doc_type, 0);
	ctl_csv_cell(x->out, a->doc_number, 0);
	ctl_csv_cell(x->out, category_name(a->category), 0);
	ctl_csv_cell(x->out, term, 0);
	ctl_csv_cell(x->out, a->group_id, 0);
	ctl_csv_cell(x->out, c->room, 0);
	ctl_csv_cell(x->out, risk_name(c->risk), 0);
	ctl_csv_cell(x->out, c->risk_set_by, 0);
	ctl_csv_cell(x->out, day_format(c->planned_release, release), 0);
	ctl_csv_cell(x->out, c->code_result, 0);
	ctl_csv_cell(x->out, reason_code(c->code_reason), 0);
	ctl_csv_cell(x->out, c->briefing_lang, 0);
	ctl_csv_cell(x->out, c->briefing_hash, 0);
	ctl_csv_cell(x->out, c->wristband_serial, 0);
	ctl_csv_cell(x->out, c->device_id, 0);
	csv_int(x->out, c->device_seq, 0);
	csv_ms(x->out, c->timings.verify_ms);
	csv_ms(x->out, c->timings.confirm_ms);
	csv_ms(x->out, c->timings.briefing_ms);
	if (c->timings.total_ms >= 0)
		fprintf(x->out, "%d", (int)c->timings.total_ms);
	fputs("\r\n", x->out);
	x->rows++;
	return ferror(x->out) ? STORE_E_IO : 0;
}

/* A row of any table, cells as stored (NULL as empty). */
static int export_table_row(bool is_header, int ncols, const char *const *values, void *ctx)
{
	struct export_ctx *x = ctx;
	if (is_header) /* only once the table is known to exist */
		fputs("\xEF\xBB\xBF", x->out);
	for (int i = 0; i < ncols; i++)
		ctl_csv_cell(x->out, values[i] ? values[i] : "", i + 1 == ncols);
	x->rows += !is_header;
	return ferror(x->out) ? STORE_E_IO : 0;
}

static int run_export(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	const char *format = "csv", *output = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			ctl_usage(&ctl_cmd_export, stdout);
			return CTL_OK;
		default:
			ctl_usage(&ctl_cmd_export, stderr);
			return CTL_USAGE;
		}
	}
	if (optind + 1 != argc || strcmp(format, "csv") != 0) {
		fprintf(stderr, "export: give one table, and only --format csv is known\n");
		ctl_usage(&ctl_cmd_export, stderr);
		return CTL_USAGE;
	}
	const char *table = argv[optind];
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	struct export_ctx x = {.out = stdout};
	int status = CTL_FAILED;
	if (output && !(x.out = fopen(output, "wb"))) {
		perror(output);
		goto out_close;
	}
	int rc;
	if (strcmp(table, "checkins") == 0) {
		fputs("\xEF\xBB\xBF", x.out);
		for (size_t i = 0; i < N_HEADER; i++)
			ctl_csv_cell(x.out, header[i], i + 1 == N_HEADER);
		rc = store_checkins_each(st, export_row, &x);
	} else {
		rc = store_table_each(st, table, export_table_row, &x);
	}
	if (fflush(x.out) != 0 || ferror(x.out))
		rc = rc ? rc : STORE_E_IO;
	if (rc)
		fprintf(stderr, "export: %s [%s]\n",
		        rc == STORE_E_IO ? "cannot write the output" : store_errmsg(st),
		        store_status_name(rc));
	else
		fprintf(stderr, "exported %zu %s%s\n", x.rows,
		        strcmp(table, "checkins") == 0 ? "check-in" : "row",
		        x.rows == 1 ? "" : "s");
	status = rc ? CTL_FAILED : CTL_OK;
	if (output && fclose(x.out) != 0) {
		perror(output);
		status = CTL_FAILED;
	}
out_close:
	store_close(st);
	return status;
}

const struct ctl_command ctl_cmd_export = {
    .name = "export",
    .summary = "export a table as CSV (UTF-8 with BOM, CRLF) for Excel",
    .usage = "Usage: stationctl export TABLE [--format csv] [-o|--output FILE]\n"
             "Write a table of the store as CSV to FILE or standard output. TABLE is\n"
             "`checkins` (every check-in joined with its arrival, times in China time) or\n"
             "any other table of the store by name (arrivals, rooms, occupancy,\n"
             "risk_changes, wristbands, scans, audit_log, badges, outbox, ...), as stored.\n"
             "Either way: UTF-8 with BOM and CRLF line ends (Excel on Chinese Windows\n"
             "opens it as is), RFC 4180 quoting, and a cell starting with = + - @ gets a\n"
             "leading ' so that a spreadsheet never runs it as a formula.\n",
    .run = run_export,
};
