/* app/district/district_report.c: the district command view: per station rooms, arrivals,
 * releases due, residents by risk colour and median intake time, read from the hub in one
 * query under the caller's role; CSV and a self-contained HTML page with SVG charts. */
#include <stdlib.h>
#include <string.h>

#include "app/district/district.h"
#include "app/district/district_internal.h"

/* $1 the day (YYYY-MM-DD), $2 the time zone. A resident is the latest stored check-in of
 * an arrival not followed by a release or transfer; the colour is the newest risk change
 * since that check-in, else the check-in's own. */
static const char report_sql[] =
    "WITH win AS (\n"
    "  SELECT extract(epoch FROM ($1::date)::timestamp AT TIME ZONE $2)::bigint AS t0,\n"
    "         extract(epoch FROM ($1::date + 1)::timestamp AT TIME ZONE $2)::bigint AS t1),\n"
    "ci AS (\n"
    "  SELECT station_id, (body->>'arrival_id')::bigint AS arrival_id, at,\n"
    "         body->>'risk' AS risk, body->>'planned_release' AS release,\n"
    "         (body->'timings'->>'total_ms')::integer AS total_ms\n"
    "  FROM hub.records WHERE kind = 'checkin' AND status = 'stored'),\n"
    "cur AS (\n"
    "  SELECT DISTINCT ON (station_id, arrival_id) * FROM ci\n"
    "  ORDER BY station_id, arrival_id, at DESC),\n"
    "ended AS (\n"
    "  SELECT station_id, substr(body->>'target', 9)::bigint AS arrival_id, max(at) AS at\n"
    "  FROM hub.records WHERE kind = 'audit' AND body->>'action' IN ('release', 'transfer')\n"
    "    AND body->>'target' ~ '^arrival:[0-9]+$' GROUP BY 1, 2),\n"
    "rc AS (\n"
    "  SELECT DISTINCT ON (station_id, arrival_id) station_id,\n"
    "         (body->>'arrival_id')::bigint AS arrival_id, at, body->>'risk' AS risk\n"
    "  FROM hub.records WHERE kind = 'risk_change'\n"
    "  ORDER BY station_id, arrival_id, at DESC, device_seq DESC),\n"
    "res AS (\n"
    "  SELECT c.station_id, c.release,\n"
    "         CASE WHEN r.at >= c.at THEN r.risk ELSE c.risk END AS colour\n"
    "  FROM cur c LEFT JOIN ended e USING (station_id, arrival_id)\n"
    "  LEFT JOIN rc r USING (station_id, arrival_id)\n"
    "  WHERE e.at IS NULL OR e.at < c.at),\n"
    "rs AS (\n"
    "  SELECT station_id, count(*) AS residents,\n"
    "    count(*) FILTER (WHERE release = $1::text) AS rel_today,\n"
    "    count(*) FILTER (WHERE release = to_char($1::date + 1, 'YYYY-MM-DD')) AS rel_tomorrow,\n"
    "    count(*) FILTER (WHERE colour = 'green') AS green,\n"
    "    count(*) FILTER (WHERE colour = 'yellow') AS yellow,\n"
    "    count(*) FILTER (WHERE colour = 'orange') AS orange,\n"
    "    count(*) FILTER (WHERE colour = 'red') AS red\n"
    "  FROM res GROUP BY station_id),\n"
    "ar AS (\n"
    "  SELECT station_id, count(*) AS arrivals,\n"
    "    percentile_cont(0.5) WITHIN GROUP (ORDER BY total_ms)\n"
    "      FILTER (WHERE total_ms >= 0) / 1000.0 AS median_s\n"
    "  FROM ci, win WHERE at >= win.t0 AND at < win.t1 GROUP BY station_id),\n"
    "rm AS (\n"
    "  SELECT station_id,\n"
    "    count(*) FILTER (WHERE state = 'free') AS free,\n"
    "    count(*) FILTER (WHERE state = 'occupied') AS occupied,\n"
    "    count(*) FILTER (WHERE state = 'cleaning') AS cleaning,\n"
    "    count(*) FILTER (WHERE state = 'blocked') AS blocked,\n"
    "    coalesce(sum(capacity - occupants) FILTER (WHERE state = 'free'), 0) AS beds\n"
    "  FROM hub.rooms GROUP BY station_id),\n"
    "seen AS (\n"
    "  SELECT station_id, max(at) AS last_at FROM hub.records GROUP BY station_id),\n"
    "ids AS (\n"
    "  SELECT station_id FROM seen UNION SELECT station_id FROM rm)\n"
    "SELECT ids.station_id, coalesce(rm.free, 0), coalesce(rm.occupied, 0),\n"
    "  coalesce(rm.cleaning, 0), coalesce(rm.blocked, 0), coalesce(rm.beds, 0),\n"
    "  coalesce(rs.residents, 0), coalesce(ar.arrivals, 0), coalesce(rs.rel_today, 0),\n"
    "  coalesce(rs.rel_tomorrow, 0), coalesce(rs.green, 0), coalesce(rs.yellow, 0),\n"
    "  coalesce(rs.orange, 0), coalesce(rs.red, 0), coalesce(ar.median_s, -1),\n"
    "  coalesce(seen.last_at, 0)\n"
    "FROM ids LEFT JOIN rm USING (station_id) LEFT JOIN rs USING (station_id)\n"
    "  LEFT JOIN ar USING (station_id) LEFT JOIN seen USING (station_id)\n"
    "ORDER BY coalesce(rm.beds, 0) DESC, ids.station_id";

int district_report_read(const char *conninfo, hk_day day, const char *tz,
                         struct district_report *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	char dtext[11];
	if (!tz || !*tz || !day_format(day, dtext)) {
		snprintf(err, errlen, "report: a day and a time zone are required");
		return DISTRICT_E_INVALID;
	}
	PGconn *c = district_connect(conninfo, err, errlen);
	if (!c)
		return DISTRICT_E_CONNECT;
	const char *params[] = {dtext, tz};
	int status = 0;
	/* one snapshot for every figure */
	PGresult *r = PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	PQclear(r);
	r = PQexecParams(c, report_sql, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		status = district_sql_fail(c, r, "reading the report", err, errlen);
		goto out_clear;
	}
	int rows = PQntuples(r);
	out->day = day;
	out->stations = calloc(rows ? (size_t)rows : 1, sizeof(*out->stations));
	if (!out->stations) {
		snprintf(err, errlen, "out of memory");
		status = DISTRICT_E_NOMEM;
		goto out_clear;
	}
	for (int i = 0; i < rows; i++) {
		struct district_station_figures *s = &out->stations[i];
		snprintf(s->station_id, sizeof(s->station_id), "%s", PQgetvalue(r, i, 0));
		s->rooms_free = atoi(PQgetvalue(r, i, 1));
		s->rooms_occupied = atoi(PQgetvalue(r, i, 2));
		s->rooms_cleaning = atoi(PQgetvalue(r, i, 3));
		s->rooms_blocked = atoi(PQgetvalue(r, i, 4));
		s->beds_free = atoi(PQgetvalue(r, i, 5));
		s->residents = atoi(PQgetvalue(r, i, 6));
		s->arrivals_today = atoi(PQgetvalue(r, i, 7));
		s->releases_today = atoi(PQgetvalue(r, i, 8));
		s->releases_tomorrow = atoi(PQgetvalue(r, i, 9));
		for (int k = 0; k < RISK_COUNT; k++)
			s->risk[k] = atoi(PQgetvalue(r, i, 10 + k));
		s->median_intake_s = strtod(PQgetvalue(r, i, 14), NULL);
		s->last_record_at = strtoll(PQgetvalue(r, i, 15), NULL, 10);
		out->beds_free_total += s->beds_free;
	}
	out->count = (size_t)rows;
out_clear:
	PQclear(r);
	PQfinish(c);
	return status;
}

void district_report_free(struct district_report *r)
{
	if (!r)
		return;
	free(r->stations);
	r->stations = NULL;
	r->count = 0;
}

/* Station ids are [A-Za-z0-9_-] (checked by the hub), so no CSV quoting or HTML escaping
 * is needed for them; numbers are numbers. */
int district_report_write_csv(const struct district_report *r, FILE *out)
{
	char day[11];
	day_format(r->day, day);
	fputs("\xEF\xBB\xBF", out);
	fprintf(out, "day,station,rooms_free,rooms_occupied,rooms_cleaning,rooms_blocked,"
	             "beds_free,residents,arrivals_today,releases_today,releases_tomorrow");
	for (int k = 0; k < RISK_COUNT; k++)
		fprintf(out, ",risk_%s", risk_name((enum risk)k));
	fprintf(out, ",median_intake_s,bus_rank\r\n");
	struct district_station_figures t = {0};
	for (size_t i = 0; i < r->count; i++) {
		const struct district_station_figures *s = &r->stations[i];
		fprintf(out, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d", day, s->station_id, s->rooms_free,
		        s->rooms_occupied, s->rooms_cleaning, s->rooms_blocked, s->beds_free,
		        s->residents, s->arrivals_today, s->releases_today, s->releases_tomorrow);
		for (int k = 0; k < RISK_COUNT; k++) {
			fprintf(out, ",%d", s->risk[k]);
			t.risk[k] += s->risk[k];
		}
		if (s->median_intake_s >= 0)
			fprintf(out, ",%.1f,%zu\r\n", s->median_intake_s, i + 1);
		else
			fprintf(out, ",,%zu\r\n", i + 1);
		t.rooms_free += s->rooms_free;
		t.rooms_occupied += s->rooms_occupied;
		t.rooms_cleaning += s->rooms_cleaning;
		t.rooms_blocked += s->rooms_blocked;
		t.beds_free += s->beds_free;
		t.residents += s->residents;
		t.arrivals_today += s->arrivals_today;
		t.releases_today += s->releases_today;
		t.releases_tomorrow += s->releases_tomorrow;
	}
	fprintf(out, "%s,TOTAL,%d,%d,%d,%d,%d,%d,%d,%d,%d", day, t.rooms_free, t.rooms_occupied,
	        t.rooms_cleaning, t.rooms_blocked, t.beds_free, t.residents, t.arrivals_today,
	        t.releases_today, t.releases_tomorrow);
	for (int k = 0; k < RISK_COUNT; k++)
		fprintf(out, ",%d", t.risk[k]);
	fprintf(out, ",,\r\n");
	return ferror(out) ? -1 : 0;
}

static const char *const risk_fill[RISK_COUNT] = {"#2e7d32", "#f9a825", "#ef6c00", "#c62828"};

/* Horizontal bars: free places per station, in bus order. */
static void svg_beds(const struct district_report *r, FILE *out)
{
	int max = 1;
	for (size_t i = 0; i < r->count; i++)
		if (r->stations[i].beds_free > max)
			max = r->stations[i].beds_free;
	int h = 24 * (int)r->count + 10;
	fprintf(out,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"%d\" "
	        "role=\"img\" aria-label=\"free places\">\n",
	        h);
	for (size_t i = 0; i < r->count; i++) {
		const struct district_station_figures *s = &r->stations[i];
		int y = 5 + 24 * (int)i, w = (int)(520.0 * s->beds_free / max);
		fprintf(out,
		        "<text x=\"0\" y=\"%d\" font-size=\"13\">%zu. %s</text>"
		        "<rect x=\"150\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#1565c0\"/>"
		        "<text x=\"%d\" y=\"%d\" font-size=\"13\">%d</text>\n",
		        y + 14, i + 1, s->station_id, y, w, 156 + w, y + 14, s->beds_free);
	}
	fputs("</svg>\n", out);
}

/* Stacked bars: residents by risk colour per station. */
static void svg_risk(const struct district_report *r, FILE *out)
{
	int max = 1;
	for (size_t i = 0; i < r->count; i++)
		if (r->stations[i].residents > max)
			max = r->stations[i].residents;
	int h = 24 * (int)r->count + 10;
	fprintf(out,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"%d\" "
	        "role=\"img\" aria-label=\"residents by risk colour\">\n",
	        h);
	for (size_t i = 0; i < r->count; i++) {
		const struct district_station_figures *s = &r->stations[i];
		int y = 5 + 24 * (int)i, x = 150;
		fprintf(out, "<text x=\"0\" y=\"%d\" font-size=\"13\">%s</text>", y + 14,
		        s->station_id);
		for (int k = 0; k < RISK_COUNT; k++) {
			int w = (int)(520.0 * s->risk[k] / max);
			fprintf(out,
			        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\"/>",
			        x, y, w, risk_fill[k]);
			x += w;
		}
		fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%d</text>\n", x + 6, y + 14,
		        s->residents);
	}
	fputs("</svg>\n", out);
}

int district_report_write_html(const struct district_report *r, FILE *out)
{
	char day[11];
	day_format(r->day, day);
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<title>district %s</title>\n<style>\n"
	        "body{font-family:sans-serif;margin:1.5em}"
	        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 7px;"
	        "text-align:right}th{background:#eee}td:first-child{text-align:left}\n"
	        "</style>\n</head>\n<body>\n<h1>%s</h1>\n<p>beds_free_total: <b>%d</b></p>\n",
	        day, day, r->beds_free_total);
	svg_beds(r, out);
	svg_risk(r, out);
	fputs("<table>\n<tr><th>station</th><th>free</th><th>occupied</th><th>cleaning</th>"
	      "<th>beds free</th><th>residents</th><th>arrivals</th><th>release today</th>"
	      "<th>release tomorrow</th>",
	      out);
	for (int k = 0; k < RISK_COUNT; k++)
		fprintf(out, "<th style=\"color:%s\">%s</th>", risk_fill[k],
		        risk_name((enum risk)k));
	fputs("<th>median intake s</th></tr>\n", out);
	for (size_t i = 0; i < r->count; i++) {
		const struct district_station_figures *s = &r->stations[i];
		fprintf(out,
		        "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
		        "<td>%d</td><td>%d</td><td>%d</td>",
		        s->station_id, s->rooms_free, s->rooms_occupied, s->rooms_cleaning,
		        s->beds_free, s->residents, s->arrivals_today, s->releases_today,
		        s->releases_tomorrow);
		for (int k = 0; k < RISK_COUNT; k++)
			fprintf(out, "<td>%d</td>", s->risk[k]);
		if (s->median_intake_s >= 0)
			fprintf(out, "<td>%.1f</td></tr>\n", s->median_intake_s);
		else
			fputs("<td></td></tr>\n", out);
	}
	fputs("</table>\n</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}
