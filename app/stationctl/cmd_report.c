/* app/stationctl/cmd_report.c: `stationctl report daily`: the day's figures (arrivals, intake
 * time median and 90th percentile, releases, occupancy, colours, tests due, flagged scans)
 * and the last 14 days, as CSV for Excel or as one self-contained HTML page with an inline
 * SVG chart (no scripts, no external files). Days are China time (UTC+8). */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/core/policy.h"

#define SERIES_DAYS   14
#define TEST_DAYS_MAX 32

struct day_figures {
	hk_day day;
	size_t arrivals;
	size_t timed;      /* arrivals with a measured intake time */
	int32_t median_ms; /* nearest-rank; -1 when none timed */
	int32_t p90_ms;
	size_t released;
	size_t transferred;
	size_t occupancy;    /* people in the house at the end of the day */
	size_t rooms_in_use; /* rooms with someone in them then */
	size_t by_risk[RISK_COUNT];
	size_t tests_due;
	size_t scans;
	size_t scans_flagged;
};

struct report {
	struct policy policy;
	int test_days[TEST_DAYS_MAX];
	int n_test_days;
	size_t rooms_total;
	struct day_figures today;
	struct day_figures series[SERIES_DAYS]; /* oldest first; the last is today */
};

/* Nearest-rank percentile of n ascending values: the smallest value with at least p% of the
 * values at or below it. */
static int32_t percentile(const int32_t *v, size_t n, int p)
{
	if (n == 0)
		return -1;
	size_t rank = ((size_t)p * n + 99) / 100;
	return v[rank ? rank - 1 : 0];
}

static int64_t day_start(hk_day d, int32_t tz)
{
	return (int64_t)d * 86400 - tz;
}

static bool test_due(const struct report *r, const struct store_stay *y, hk_day d)
{
	struct policy_term term = {y->onsite_days, y->home_days};
	struct policy_plan plan;
	if (policy_plan_make(&r->policy, y->category, &term, y->checked_in_at, &plan) != 0)
		return false;
	int n = policy_plan_day(&plan, day_start(d, r->policy.tz_offset_s) + 12 * 3600);
	for (int i = 0; i < r->n_test_days; i++)
		if (r->test_days[i] == n)
			return true;
	return false;
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int figures(struct store *st, const struct report *r, hk_day d, struct day_figures *f)
{
	int32_t tz = r->policy.tz_offset_s;
	int64_t from = day_start(d, tz), to = day_start(d + 1, tz);
	int32_t *ms = NULL;
	struct store_stay *stays = NULL;
	const char **rooms = NULL;
	size_t n = 0;
	memset(f, 0, sizeof(*f));
	f->day = d;
	int rc = store_intakes_between(st, from, to, &f->arrivals, &ms, &f->timed);
	if (rc)
		goto out_free;
	f->median_ms = percentile(ms, f->timed, 50);
	f->p90_ms = percentile(ms, f->timed, 90);
	if ((rc = store_departures_between(st, from, to, &f->released, &f->transferred)) ||
	    (rc = store_scans_between(st, from, to, &f->scans, &f->scans_flagged)) ||
	    (rc = store_stays_at(st, to, &stays, &n)))
		goto out_free;
	f->occupancy = n;
	rooms = calloc(n ? n : 1, sizeof(*rooms));
	if (!rooms) {
		rc = STORE_E_NOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < n; i++) {
		f->by_risk[stays[i].risk]++;
		f->tests_due += test_due(r, &stays[i], d);
		rooms[i] = stays[i].room;
	}
	qsort(rooms, n, sizeof(*rooms), compare_str);
	for (size_t i = 0; i < n; i++)
		f->rooms_in_use += i == 0 || strcmp(rooms[i], rooms[i - 1]) != 0;
out_free:
	free(ms);
	free(stays);
	free(rooms);
	return rc;
}

/* ---- CSV ---- */

static void csv_num(FILE *out, const char *name, long long v)
{
	char buf[32];
	ctl_csv_cell(out, name, 0);
	if (v >= 0)
		snprintf(buf, sizeof(buf), "%lld", v);
	else
		buf[0] = '\0';
	ctl_csv_cell(out, buf, 1);
}

static void write_csv(FILE *out, const struct report *r)
{
	const struct day_figures *f = &r->today;
	char d[11];
	fputs("\xEF\xBB\xBF", out);
	ctl_csv_cell(out, "metric", 0);
	ctl_csv_cell(out, "value", 1);
	ctl_csv_cell(out, "date", 0);
	ctl_csv_cell(out, day_format(f->day, d), 1);
	csv_num(out, "arrivals", (long long)f->arrivals);
	csv_num(out, "intake_timed", (long long)f->timed);
	csv_num(out, "intake_median_ms", f->median_ms);
	csv_num(out, "intake_p90_ms", f->p90_ms);
	csv_num(out, "releases", (long long)f->released);
	csv_num(out, "transfers", (long long)f->transferred);
	csv_num(out, "occupancy", (long long)f->occupancy);
	csv_num(out, "rooms_in_use", (long long)f->rooms_in_use);
	csv_num(out, "rooms_total", (long long)r->rooms_total);
	for (int k = 0; k < RISK_COUNT; k++) {
		char name[32];
		snprintf(name, sizeof(name), "risk_%s", risk_name((enum risk)k));
		csv_num(out, name, (long long)f->by_risk[k]);
	}
	csv_num(out, "tests_due", (long long)f->tests_due);
	csv_num(out, "scans", (long long)f->scans);
	csv_num(out, "scans_flagged", (long long)f->scans_flagged);
	fputs("\r\n", out);
	static const char *const head[] = {"date", "arrivals", "occupancy", "releases"};
	for (int i = 0; i < 4; i++)
		ctl_csv_cell(out, head[i], i == 3);
	for (int i = 0; i < SERIES_DAYS; i++) {
		const struct day_figures *s = &r->series[i];
		fprintf(out, "%s,%zu,%zu,%zu\r\n", day_format(s->day, d), s->arrivals, s->occupancy,
		        s->released);
	}
}

/* ---- HTML ---- */

static void html_row(FILE *out, const char *name, long long v, const char *unit)
{
	if (v < 0)
		fprintf(out, "<tr><th>%s</th><td>&#8211;</td></tr>\n", name);
	else
		fprintf(out, "<tr><th>%s</th><td>%lld%s</td></tr>\n", name, v, unit);
}

/* Bars for arrivals (scale on the right), a line for residents (scale on the left), dates
 * under the bars. Colours are attributes, so the SVG also stands on its own. */
static void write_chart(FILE *out, const struct report *r)
{
	const int w = 720, h = 260, left = 44, right = 44, bottom = 30, top = 20;
	const int plot_w = w - left - right, plot_h = h - bottom - top;
	size_t max_occ = 1, max_arr = 1;
	for (int i = 0; i < SERIES_DAYS; i++) {
		if (r->series[i].occupancy > max_occ)
			max_occ = r->series[i].occupancy;
		if (r->series[i].arrivals > max_arr)
			max_arr = r->series[i].arrivals;
	}
	double step = (double)plot_w / SERIES_DAYS;
	fprintf(out,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"residents and arrivals, last %d "
	        "days\" font-family=\"sans-serif\">\n",
	        w, h, w, h, SERIES_DAYS);
	fprintf(out,
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n"
	        "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#c0392b\" "
	        "text-anchor=\"end\">%zu</text>\n"
	        "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#2b6cb0\">%zu</text>\n"
	        "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>\n"
	        "<text x=\"%d\" y=\"%d\" font-size=\"11\">0</text>\n",
	        left, h - bottom, w - right, h - bottom, left - 4, top + 4, max_occ, w - right + 4,
	        top + 4, max_arr, left - 4, h - bottom, w - right + 4, h - bottom);
	for (int i = 0; i < SERIES_DAYS; i++) {
		const struct day_figures *s = &r->series[i];
		double x = left + step * i;
		double bh = (double)plot_h * (double)s->arrivals / (double)max_arr;
		int y, m, d;
		day_to_ymd(s->day, &y, &m, &d);
		fprintf(
		    out,
		    "<rect class=\"arr\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		    "fill=\"#7aa6d8\"><title>%02d-%02d arrivals %zu</title></rect>\n"
		    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%02d-%02d"
		    "</text>\n",
		    x + step * 0.15, (double)(h - bottom) - bh, step * 0.7, bh, m, d, s->arrivals,
		    x + step / 2, h - bottom + 14, m, d);
	}
	fputs("<polyline class=\"occ\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" "
	      "points=\"",
	      out);
	for (int i = 0; i < SERIES_DAYS; i++) {
		double x = left + step * i + step / 2;
		double y = (double)(h - bottom) -
		           (double)plot_h * (double)r->series[i].occupancy / (double)max_occ;
		fprintf(out, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	fputs("\"/>\n</svg>\n", out);
}

static void write_html(FILE *out, const struct report *r)
{
	const struct day_figures *f = &r->today;
	char d[11];
	day_format(f->day, d);
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	        "<title>Daily report %s</title>\n<style>\n"
	        "body{font-family:sans-serif;margin:2em;color:#222}\n"
	        "table{border-collapse:collapse;margin-bottom:1.5em}\n"
	        "th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}\n"
	        "td{text-align:right}\n.arr{fill:#7aa6d8}\n.occ{stroke:#c0392b;stroke-width:2}\n"
	        ".key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}\n"
	        "</style>\n</head>\n<body>\n<h1>Daily report %s</h1>\n<table>\n",
	        d, d);
	html_row(out, "Arrivals", (long long)f->arrivals, "");
	html_row(out, "Intake time, median", f->median_ms < 0 ? -1 : f->median_ms / 1000, " s");
	html_row(out, "Intake time, 90th percentile", f->p90_ms < 0 ? -1 : f->p90_ms / 1000, " s");
	html_row(out, "Releases", (long long)f->released, "");
	html_row(out, "Transfers to hospital", (long long)f->transferred, "");
	html_row(out, "Residents at the end of the day", (long long)f->occupancy, "");
	fprintf(out, "<tr><th>Rooms in use</th><td>%zu / %zu</td></tr>\n", f->rooms_in_use,
	        r->rooms_total);
	for (int k = RISK_COUNT - 1; k >= 0; k--) {
		char name[32];
		snprintf(name, sizeof(name), "Risk %s", risk_name((enum risk)k));
		html_row(out, name, (long long)f->by_risk[k], "");
	}
	html_row(out, "Tests due", (long long)f->tests_due, "");
	html_row(out, "Scans", (long long)f->scans, "");
	html_row(out, "Scans flagged (amber or red)", (long long)f->scans_flagged, "");
	fprintf(out,
	        "</table>\n<h2>Last %d days</h2>\n<p class=\"key\"><span class=\"arr\" "
	        "style=\"background:#7aa6d8\"></span>arrivals<span style=\"background:#c0392b"
	        "\"></span>residents at the end of the day</p>\n",
	        SERIES_DAYS);
	write_chart(out, r);
	fputs("<table>\n<tr><th>Date</th><th>Arrivals</th><th>Residents</th><th>Releases</th>"
	      "</tr>\n",
	      out);
	for (int i = 0; i < SERIES_DAYS; i++) {
		const struct day_figures *s = &r->series[i];
		fprintf(out, "<tr><th>%s</th><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n",
		        day_format(s->day, d), s->arrivals, s->occupancy, s->released);
	}
	fputs("</table>\n</body>\n</html>\n", out);
}

static bool parse_test_days(const char *s, struct report *r)
{
	r->n_test_days = 0;
	while (*s) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (end == s || errno || v < 1 || v > 366 || r->n_test_days == TEST_DAYS_MAX)
			return false;
		r->test_days[r->n_test_days++] = (int)v;
		if (*end == ',')
			end++;
		else if (*end)
			return false;
		s = end;
	}
	return r->n_test_days > 0;
}

static int run_report(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"date", required_argument, NULL, 'd'}, {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},  {"test-days", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},       {0, 0, 0, 0},
	};
	struct report *r = calloc(1, sizeof(*r));
	const char *format = "csv", *output = NULL, *date = NULL;
	int c, status = CTL_USAGE;
	if (!r)
		return CTL_FAILED;
	policy_defaults(&r->policy);
	parse_test_days("1,4,7,10,14,21", r);
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			date = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			if (!parse_test_days(optarg, r)) {
				fprintf(stderr,
				        "report: --test-days wants day numbers like 1,4,7\n");
				goto out_free;
			}
			break;
		case 'h':
			ctl_usage(&ctl_cmd_report, stdout);
			status = CTL_OK;
			goto out_free;
		default:
			ctl_usage(&ctl_cmd_report, stderr);
			goto out_free;
		}
	}
	hk_day day = day_from_unix((int64_t)time(NULL), r->policy.tz_offset_s);
	if (optind + 1 != argc || strcmp(argv[optind], "daily") != 0 ||
	    (strcmp(format, "csv") != 0 && strcmp(format, "html") != 0) ||
	    (date && !day_parse(date, &day))) {
		ctl_usage(&ctl_cmd_report, stderr);
		goto out_free;
	}
	status = CTL_FAILED;
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		goto out_free;
	struct room_info *rooms = NULL;
	int rc = store_rooms_list(st, &rooms, &r->rooms_total);
	free(rooms);
	if (!rc)
		rc = figures(st, r, day, &r->today);
	for (int i = 0; !rc && i < SERIES_DAYS; i++)
		rc = figures(st, r, day - (SERIES_DAYS - 1) + i, &r->series[i]);
	if (rc) {
		fprintf(stderr, "report: %s [%s]\n", store_errmsg(st), store_status_name(rc));
		goto out_close;
	}
	FILE *out = output ? fopen(output, "wb") : stdout;
	if (!out) {
		perror(output);
		goto out_close;
	}
	if (strcmp(format, "csv") == 0)
		write_csv(out, r);
	else
		write_html(out, r);
	status = fflush(out) == 0 && !ferror(out) ? CTL_OK : CTL_FAILED;
	if (output && fclose(out) != 0)
		status = CTL_FAILED;
	if (status != CTL_OK)
		fprintf(stderr, "report: cannot write the output\n");
out_close:
	store_close(st);
out_free:
	free(r);
	return status;
}

const struct ctl_command ctl_cmd_report = {
    .name = "report",
    .summary = "the daily report as CSV or a self-contained HTML page",
    .usage = "Usage: stationctl report daily [--date YYYY-MM-DD] [--format csv|html]\n"
             "                                [--out FILE] [--test-days 1,4,7,10,14,21]\n"
             "The day's figures (China time; default today): arrivals; intake time per\n"
             "person, median and 90th percentile (nearest rank, of check-ins with a measured\n"
             "time); releases and transfers; residents and rooms in use at the end of the\n"
             "day, by risk colour; nucleic-acid tests due (residents whose day N of the term\n"
             "is one of --test-days); scans, and those flagged amber or red; then arrivals,\n"
             "residents and releases for each of the last 14 days.\n"
             "csv: UTF-8 with BOM and CRLF, for Excel on Chinese Windows.\n"
             "html: one self-contained page (inline style and SVG chart, no scripts).\n",
    .run = run_report,
};
