/* tests/tools/bench_district.c: records per second into the district hub from 20 stations
 * at once. Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 (fsync on, default
 * settings), migrates the hub, fills one station store through the store API (gen_station,
 * found beside this program), copies it to 20 stations and runs 20 forwarders at once.
 * Needs root (initdb runs as postgres) and the postgresql package; prints a skip line
 * otherwise. Usage: bench_district [SECONDS, unused: the run is one full catch-up] */
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/district/district.h"
#include "app/sys/sys.h"

#define STATIONS 20
#define PGBIN    "/usr/lib/postgresql/15/bin"

static int bench_port;

struct job {
	char store[128];
	char station[16];
	const char *conninfo;
	int batch;
	int status;
	int64_t sent;
	char err[256];
};

static void *job_run(void *arg)
{
	struct job *j = arg;
	struct district_forward_options o = {.conninfo = j->conninfo,
	                                     .store_path = j->store,
	                                     .station_id = j->station,
	                                     .batch = j->batch};
	j->status = district_forward_once(&o, 0, &j->sent, j->err, sizeof(j->err));
	return NULL;
}

/* Run a shell command built from fmt; system()'s status. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* One round of STATIONS forwarders with batch size batch; returns records/s or -1. */
static double round_run(const char *dir, const char *conninfo, int batch, int64_t *total)
{
	struct job jobs[STATIONS];
	pthread_t th[STATIONS];
	static char station_conn[STATIONS][128];
	if (run("psql -X -q '%s' -c 'TRUNCATE hub.records, hub.rooms' >/dev/null", conninfo))
		return -1;
	for (int i = 0; i < STATIONS; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		snprintf(jobs[i].store, sizeof(jobs[i].store), "%s/s%02d.db", dir, i + 1);
		snprintf(jobs[i].station, sizeof(jobs[i].station), "s%02d", i + 1);
		/* each station forwards as its own role, under row-level security */
		snprintf(station_conn[i], sizeof(station_conn[i]),
		         "host=127.0.0.1 port=%d user=%s dbname=postgres", bench_port,
		         jobs[i].station);
		jobs[i].conninfo = station_conn[i];
		jobs[i].batch = batch;
		(void)!run("sqlite3 '%s' 'DELETE FROM district_cursor' 2>/dev/null", jobs[i].store);
	}
	int64_t t0 = clock_mono_ms();
	for (int i = 0; i < STATIONS; i++)
		pthread_create(&th[i], NULL, job_run, &jobs[i]);
	*total = 0;
	int failed = 0;
	for (int i = 0; i < STATIONS; i++) {
		pthread_join(th[i], NULL);
		if (jobs[i].status) {
			fprintf(stderr, "bench_district: %s: %s\n", jobs[i].station, jobs[i].err);
			failed = 1;
		}
		*total += jobs[i].sent;
	}
	int64_t ms = clock_mono_ms() - t0;
	return failed ? -1 : (double)*total * 1000.0 / (double)(ms > 0 ? ms : 1);
}

int main(int argc, char **argv)
{
	(void)argc;
	log_init("bench_district", LOG_LEVEL_WARN);
	if (getuid() != 0 || access(PGBIN "/initdb", X_OK) != 0) {
		printf("district_forward: skipped (needs root and PostgreSQL 15)\n");
		return 0;
	}
	char self[4096], gen[4200], dir[] = "/tmp/hk-bench-district.XXXXXX", err[512];
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(gen, sizeof(gen), "%s/gen_station", dirname(self));
	if (!mkdtemp(dir))
		return 1;
	int status = 1, port = 20000 + (int)(getpid() % 20000);
	char conninfo[256], opts[256];
	bench_port = port;
	snprintf(conninfo, sizeof(conninfo), "host=127.0.0.1 port=%d user=postgres dbname=postgres",
	         port);
	snprintf(opts, sizeof(opts), "-p %d -k %s -c listen_addresses=127.0.0.1", port, dir);
	if (run("chmod 0755 %s && chown postgres %s", dir, dir) ||
	    run("runuser -u postgres -- " PGBIN "/initdb -D %s/data -A trust >/dev/null 2>&1",
	        dir) ||
	    run("runuser -u postgres -- " PGBIN "/pg_ctl -D %s/data -w -l /dev/null start -o '%s' "
	        ">/dev/null",
	        dir, opts)) {
		fprintf(stderr, "bench_district: cannot start PostgreSQL in %s\n", dir);
		goto out_rm;
	}
	if (district_migrate(conninfo, NULL, err, sizeof(err))) {
		fprintf(stderr, "bench_district: %s\n", err);
		goto out_stop;
	}
	char store[256];
	if (run("'%s' '%s/s01.db' 1000 30 7 2026-11-01 >/dev/null 2>&1", gen, dir)) {
		fprintf(stderr, "bench_district: %s failed\n", gen);
		goto out_stop;
	}
	for (int i = 1; i <= STATIONS; i++) {
		char id[16];
		snprintf(id, sizeof(id), "s%02d", i);
		if (district_station_add(conninfo, id, id, NULL, err, sizeof(err))) {
			fprintf(stderr, "bench_district: %s\n", err);
			goto out_stop;
		}
		if (i > 1) {
			snprintf(store, sizeof(store), "%s/%s.db", dir, id);
			if (run("cp %s/s01.db %s", dir, store))
				goto out_stop;
		}
	}
	int batches[] = {500, 50};
	for (size_t k = 0; k < sizeof(batches) / sizeof(batches[0]); k++) {
		int64_t total;
		double rps = round_run(dir, conninfo, batches[k], &total);
		if (rps < 0)
			goto out_stop;
		printf("district_forward, %d stations at once: %.0f records/s into the hub (%lld "
		       "records, batches of %d, PostgreSQL 15 on 127.0.0.1, fsync on, one role per "
		       "station under row-level security)\n",
		       STATIONS, rps, (long long)total, batches[k]);
	}
	status = 0;
out_stop:
	run("runuser -u postgres -- " PGBIN "/pg_ctl -D %s/data -m immediate stop >/dev/null", dir);
out_rm:
	run("rm -rf %s", dir);
	return status;
}
