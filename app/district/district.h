/* app/district/district.h: the district hub on PostgreSQL (docs/district.md): its schema and
 * migrations, station roles under row-level security, the forwarder that carries what a
 * station's store accepted to the hub, and the command view's figures. */
#ifndef HK_DISTRICT_DISTRICT_H
#define HK_DISTRICT_DISTRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/core/types.h"

#define DISTRICT_SCHEMA_VERSION 1
#define DISTRICT_ID_MAX         64

enum district_status {
	DISTRICT_OK = 0,
	DISTRICT_E_CONNECT = -1, /* the hub cannot be reached or refused the login */
	DISTRICT_E_SQL = -2,     /* a statement failed (message in err) */
	DISTRICT_E_STORE = -3,   /* the station's SQLite store failed */
	DISTRICT_E_INVALID = -4, /* bad argument */
	DISTRICT_E_NOMEM = -5,
	DISTRICT_E_TOO_NEW = -6, /* the hub's schema is newer than this build */
};

/* ---- hub administration (a PostgreSQL superuser or the schema owner's conninfo) ---- */

/* Connect to conninfo (a libpq connection string or postgresql:// URI) and bring the hub
 * schema up to DISTRICT_SCHEMA_VERSION: each step runs in its own transaction under an
 * advisory lock and records itself in hub.schema_version, so two callers at once migrate
 * once. *version gets the version now in place (may be NULL). 0 or a negative status with
 * err (errlen bytes) filled. */
int district_migrate(const char *conninfo, int *version, char *err, size_t errlen);

/* Create (or update the password of) the login role for station_id and map it: the role
 * writes and reads only rows whose station_id is station_id. password may be NULL (a role
 * authenticated by other means, e.g. a client certificate). Same return as above. */
int district_station_add(const char *conninfo, const char *station_id, const char *role,
                         const char *password, char *err, size_t errlen);

/* Create (or update) a login role that reads every station's rows and changes none. */
int district_reader_add(const char *conninfo, const char *role, const char *password, char *err,
                        size_t errlen);

/* ---- the forwarder (stationd's upstream thread) ---- */

struct district_forward_options {
	const char *conninfo;   /* the station role's login; copied */
	const char *store_path; /* the station's SQLite store; copied */
	const char *station_id; /* copied; [A-Za-z0-9_-]{1,63} */
	int batch;              /* records per hub transaction, 1..5000 (0: 500) */
	int interval_ms;        /* pause when caught up (0: 2000) */
	int backoff_min_ms;     /* first pause after a failure (0: 1000) */
	int backoff_max_ms;     /* longest pause (0: 60000) */
};

struct district_forward_stats {
	int64_t forwarded;   /* records the hub accepted from this process (new or held) */
	int64_t batches;     /* committed hub transactions */
	int64_t failures;    /* failed attempts (connection or statement) */
	int64_t pending;     /* records in the store after the forward cursor, last counted */
	int64_t last_ok_ms;  /* clock_unix_ms of the last committed batch, 0 none */
	int64_t idle_rounds; /* rounds that found nothing to send and sent the rooms */
	bool connected;
};

struct district_forwarder;

/* Start the forwarder thread: it connects, sends records after its cursor in batches, and
 * sleeps interval_ms when caught up; on a failure it drops the connection and waits with
 * doubling back-off between backoff_min_ms and backoff_max_ms. It never holds the store
 * beyond one short read or one cursor update. NULL with err on a bad option or when the
 * store cannot be opened. */
struct district_forwarder *district_forwarder_start(const struct district_forward_options *o,
                                                    char *err, size_t errlen);
/* A consistent copy of the thread's counters. */
void district_forwarder_stats(struct district_forwarder *f, struct district_forward_stats *out);
/* Ask the thread to stop, wait for it (at most the statement in flight), free f. NULL ok. */
void district_forwarder_stop(struct district_forwarder *f);

/* One pass on the caller's thread, without a thread or back-off: connect, forward until
 * the store holds nothing after the cursor (or max_batches batches, 0 no limit), disconnect.
 * *sent gets the records sent (may be NULL). 0 or a negative status with err. */
int district_forward_once(const struct district_forward_options *o, int max_batches, int64_t *sent,
                          char *err, size_t errlen);

/* ---- the command view ---- */

struct district_station_figures {
	char station_id[DISTRICT_ID_MAX];
	int rooms_free, rooms_occupied, rooms_cleaning, rooms_blocked;
	int beds_free; /* capacity of free rooms: places the next bus can fill */
	int residents; /* checked in, not released or transferred */
	int arrivals_today;
	int releases_today, releases_tomorrow; /* residents whose planned release is that day */
	int risk[RISK_COUNT];                  /* residents by current colour */
	double median_intake_s;                /* today's check-ins; < 0 when none */
	int64_t last_record_at;                /* newest record's time, unix s; 0 none */
};

struct district_report {
	hk_day day;
	struct district_station_figures *stations; /* by beds_free descending, then id */
	size_t count;
	int beds_free_total;
};

/* Read the figures for day (a calendar day in time zone tz, e.g. "Asia/Shanghai") with
 * the conninfo's role (a district reader sees every station, a station role only its own).
 * Fills *out (free with district_report_free). 0 or a negative status with err. */
int district_report_read(const char *conninfo, hk_day day, const char *tz,
                         struct district_report *out, char *err, size_t errlen);
void district_report_free(struct district_report *r);

/* Write r as CSV (UTF-8 BOM, CRLF, one row per station then a total row) or as one
 * self-contained HTML page with inline SVG charts. 0 or -1 on a write error. */
int district_report_write_csv(const struct district_report *r, FILE *out);
int district_report_write_html(const struct district_report *r, FILE *out);

#endif
