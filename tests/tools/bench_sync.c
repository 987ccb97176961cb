/* tests/tools/bench_sync.c: sync throughput and a fault-injection soak against the real
 * stationd (found beside this program: ../bin/stationd) on 127.0.0.1. Prints one line per
 * figure; exits 1 when the soak finds a record lost, duplicated, or a damaged database.
 *   bench_sync [SECONDS]   SECONDS bounds each throughput run (default 2)
 * Soak: 10 devices x 1000 records while the station is killed (SIGKILL) and restarted,
 * stalled (SIGSTOP) past the clients' timeout, batches are resent (delivery marks dropped)
 * and reordered, devices restart mid-run, and device clocks are hours off. */
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app/sync/client.h"
#include "app/sync/device_db.h"
#include "app/sync/station.h"
#include "app/sys/sys.h"

#define DEVICES_MANY 50
#define SOAK_DEVICES 10
#define SOAK_RECORDS 1000

static char dir[64];
static char stationd_path[4096];
static char station_db[128];
static pid_t station_pid;
static unsigned station_port;

static void sleep_ms(int ms)
{
	nanosleep(&(struct timespec){ms / 1000, (long)(ms % 1000) * 1000000L}, NULL);
}

/* Start stationd on port (0: any) and learn its port from its log. */
static int station_start(unsigned port)
{
	char ini[160], logp[160];
	snprintf(ini, sizeof(ini), "%s/stationd.ini", dir);
	snprintf(logp, sizeof(logp), "%s/stationd.log", dir);
	FILE *f = fopen(ini, "w");
	if (!f)
		return -1;
	fprintf(
	    f,
	    "[http]\nlisten = 127.0.0.1:%u\ntimeout = 5\n[store]\npath = %s\n[log]\nlevel = info\n",
	    port, station_db);
	fclose(f);
	unlink(logp);
	station_pid = fork();
	if (station_pid == 0) {
		FILE *l = freopen(logp, "w", stderr);
		(void)l;
		execl(stationd_path, "stationd", "--config", ini, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 400; i++) {
		size_t len;
		char *log = file_read_all(logp, 1 << 20, &len);
		char *at = log ? strstr(log, "listening on 127.0.0.1:") : NULL;
		if (at) {
			station_port = (unsigned)atoi(at + strlen("listening on 127.0.0.1:"));
			free(log);
			return 0;
		}
		free(log);
		sleep_ms(10);
	}
	fprintf(stderr, "bench_sync: stationd did not start (%s)\n", stationd_path);
	return -1;
}

static void station_stop(int sig)
{
	kill(station_pid, sig);
	waitpid(station_pid, NULL, 0);
}

static struct sync_station *station_open(void)
{
	char err[160];
	struct sync_station *st = sync_station_open(station_db, NULL, err, sizeof(err));
	if (!st)
		fprintf(stderr, "bench_sync: %s\n", err);
	return st;
}

/* A device database with n records of kind scan, `at` shifted by skew seconds. */
static struct sync_device_db *device_make(const char *id, int n, int64_t skew)
{
	char path[160], err[160];
	snprintf(path, sizeof(path), "%s/%s.db", dir, id);
	struct sync_device_db *db = sync_device_db_open(path, id, err, sizeof(err));
	if (!db)
		return NULL;
	struct sync_record *recs = calloc((size_t)n, sizeof(*recs));
	char body[] = "{\"serial\":\"HK-000000\",\"checkpoint\":\"gate-1\",\"result\":\"OK\"}";
	for (int i = 0; i < n; i++)
		recs[i] =
		    (struct sync_record){.kind = "scan", .at = clock_unix_s() + skew, .body = body};
	if (sync_device_db_add(db, recs, (size_t)n)) {
		sync_device_db_close(db);
		db = NULL;
	}
	free(recs);
	return db;
}

/* ---- throughput ---- */

struct pusher {
	struct sync_device_db *db;
	char token[SYNC_TOKEN_MAX];
	size_t batch;
	int status;
};

static void *pusher_run(void *arg)
{
	struct pusher *p = arg;
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", station_port);
	struct sync_client_options o = {
	    .url = url, .token = p->token, .batch_max = p->batch, .timeout_ms = 60000};
	p->status = sync_client_round(sync_device_db_source(p->db), &o, NULL);
	return NULL;
}

/* n devices with per records each pushing at once; records per second. */
static double throughput(const char *prefix, int n, int per, size_t batch)
{
	struct sync_station *st = station_open();
	struct pusher *ps = calloc((size_t)n, sizeof(*ps));
	pthread_t *th = calloc((size_t)n, sizeof(*th));
	double rate = -1;
	for (int i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "%s-%d", prefix, i);
		sync_station_device_add(st, id, id, SYNC_ROLE_SECURITY, ps[i].token);
		ps[i].db = device_make(id, per, 0);
		ps[i].batch = batch;
		if (!ps[i].db)
			goto out_free;
	}
	int64_t t0 = clock_mono_ms();
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, pusher_run, &ps[i]);
	bool ok = true;
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		ok = ok && ps[i].status == 0;
	}
	int64_t ms = clock_mono_ms() - t0;
	if (ok)
		rate = (double)n * per * 1000.0 / (double)(ms ? ms : 1);
out_free:
	for (int i = 0; i < n; i++)
		sync_device_db_close(ps[i].db);
	free(ps);
	free(th);
	sync_station_close(st);
	return rate;
}

/* ---- soak ---- */

/* A source that injects faults around the device database: reorders each batch and forgets
 * a third of the delivery marks, so batches are resent. */
struct faulty {
	struct sync_source base;
	struct sync_source *inner;
	unsigned seed;
	atomic_long *dropped;
};

static int faulty_pending(struct sync_source *s, size_t max, struct sync_record **out, size_t *n)
{
	struct faulty *f = (struct faulty *)s;
	int status = f->inner->ops->pending(f->inner, max, out, n);
	for (size_t i = *n; !status && i > 1; i--) {
		size_t k = (size_t)rand_r(&f->seed) % i;
		struct sync_record t = (*out)[i - 1];
		(*out)[i - 1] = (*out)[k];
		(*out)[k] = t;
	}
	return status;
}

static int faulty_mark(struct sync_source *s, int64_t through)
{
	struct faulty *f = (struct faulty *)s;
	if (rand_r(&f->seed) % 3 == 0) {
		atomic_fetch_add(f->dropped, 1);
		return 0;
	}
	return f->inner->ops->mark_sent(f->inner, through);
}

static int faulty_renumber(struct sync_source *s, const int64_t *held, size_t n_held,
                           int64_t after_seq, size_t *renumbered, int64_t *first_seq)
{
	struct faulty *f = (struct faulty *)s;
	return f->inner->ops->renumber(f->inner, held, n_held, after_seq, renumbered, first_seq);
}

static int faulty_count(struct sync_source *s, size_t *n)
{
	struct faulty *f = (struct faulty *)s;
	return f->inner->ops->count(f->inner, n);
}

static int faulty_cursor(struct sync_source *s, int64_t *c)
{
	struct faulty *f = (struct faulty *)s;
	return f->inner->ops->cursor(f->inner, c);
}

static int faulty_apply(struct sync_source *s, const struct sync_pull_reply *r)
{
	struct faulty *f = (struct faulty *)s;
	return f->inner->ops->apply(f->inner, r);
}

static void faulty_close(struct sync_source *s)
{
	struct faulty *f = (struct faulty *)s;
	f->inner->ops->close(f->inner);
	free(f);
}

static const struct sync_source_ops faulty_ops = {
    .pending = faulty_pending,
    .mark_sent = faulty_mark,
    .renumber = faulty_renumber,
    .count = faulty_count,
    .cursor = faulty_cursor,
    .apply = faulty_apply,
    .close = faulty_close,
};

struct soaker {
	char id[32];
	char token[SYNC_TOKEN_MAX];
	unsigned seed;
	atomic_long *dropped;
	atomic_bool *stop;
	int restarts;
	bool done;
};

static void *soaker_run(void *arg)
{
	struct soaker *s = arg;
	char url[64], path[160], err[160];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", station_port);
	snprintf(path, sizeof(path), "%s/%s.db", dir, s->id);
	struct sync_client_options o = {.url = url,
	                                .token = s->token,
	                                .batch_max = 50,
	                                .interval_ms = 50,
	                                .backoff_min_ms = 20,
	                                .backoff_max_ms = 400,
	                                .timeout_ms = 500};
	while (!atomic_load(s->stop)) {
		/* a device "restarts": a new handle on its file and a new client, mid-run */
		struct faulty *f = calloc(1, sizeof(*f));
		struct sync_device_db *db = sync_device_db_open(path, s->id, err, sizeof(err));
		if (!f || !db) {
			free(f);
			sync_device_db_close(db);
			return NULL;
		}
		f->base.ops = &faulty_ops;
		f->inner = sync_device_db_source(db);
		f->seed = s->seed++;
		f->dropped = s->dropped;
		struct sync_client *c = sync_client_start(&f->base, &o, err, sizeof(err));
		if (!c)
			return NULL;
		sleep_ms(200 + rand_r(&s->seed) % 600);
		struct sync_client_status st;
		sync_client_status(c, &st);
		sync_client_stop(c);
		s->restarts++;
		if (st.waiting == 0 && st.last_success_ms > 0) {
			s->done = true;
			break;
		}
	}
	return NULL;
}

static int soak(void)
{
	struct sync_station *st = station_open();
	struct soaker sk[SOAK_DEVICES];
	pthread_t th[SOAK_DEVICES];
	atomic_long dropped;
	atomic_bool stop;
	atomic_init(&dropped, 0);
	atomic_init(&stop, false);
	memset(sk, 0, sizeof(sk));
	for (int i = 0; i < SOAK_DEVICES; i++) {
		snprintf(sk[i].id, sizeof(sk[i].id), "soak-%d", i);
		sync_station_device_add(st, sk[i].id, sk[i].id, SYNC_ROLE_ENTRANCE, sk[i].token);
		/* device clocks from 6 hours slow to 6 hours fast */
		struct sync_device_db *db =
		    device_make(sk[i].id, SOAK_RECORDS, (int64_t)(i - SOAK_DEVICES / 2) * 4320);
		if (!db)
			return -1;
		sync_device_db_close(db);
		sk[i].seed = (unsigned)i * 7919u + 1;
		sk[i].dropped = &dropped;
		sk[i].stop = &stop;
	}
	sync_station_close(st);
	for (int i = 0; i < SOAK_DEVICES; i++)
		pthread_create(&th[i], NULL, soaker_run, &sk[i]);
	int kills = 0, stalls = 0;
	int64_t deadline = clock_mono_ms() + 120000;
	unsigned seed = 42;
	for (;;) {
		bool all = true;
		for (int i = 0; i < SOAK_DEVICES; i++)
			all = all && sk[i].done;
		if (all || clock_mono_ms() > deadline)
			break;
		sleep_ms(150 + rand_r(&seed) % 250);
		if (rand_r(&seed) % 2) {
			station_stop(SIGKILL); /* mid-batch, as likely as not */
			kills++;
			if (station_start(station_port))
				break;
		} else {
			kill(station_pid, SIGSTOP); /* slower than the clients' 500 ms timeout */
			sleep_ms(700);
			kill(station_pid, SIGCONT);
			stalls++;
		}
	}
	atomic_store(&stop, true);
	int restarts = 0;
	for (int i = 0; i < SOAK_DEVICES; i++) {
		pthread_join(th[i], NULL);
		restarts += sk[i].restarts;
	}
	station_stop(SIGTERM);
	st = station_open();
	if (!st)
		return -1;
	int bad = 0;
	int64_t total = 0;
	for (int i = 0; i < SOAK_DEVICES; i++) {
		int64_t held = 0, through = 0;
		if (sync_station_device_held(st, sk[i].id, &held, &through) ||
		    held != SOAK_RECORDS || through != SOAK_RECORDS) {
			fprintf(stderr, "bench_sync: %s: %lld records held, through %lld\n",
			        sk[i].id, (long long)held, (long long)through);
			bad++;
		}
		total += held;
	}
	bool intact = sync_station_integrity_ok(st);
	sync_station_close(st);
	printf("sync soak: %d records from %d devices, %d station kills, %d stalls, %ld batches "
	       "resent, %d device restarts, clocks +-6 h: %lld held, %s, integrity %s\n",
	       SOAK_DEVICES * SOAK_RECORDS, SOAK_DEVICES, kills, stalls,
	       (long)atomic_load(&dropped), restarts, (long long)total,
	       bad ? "NOT exactly once" : "each exactly once", intact ? "ok" : "FAILED");
	if (station_start(station_port) == 0) /* leave the state as found: a station running */
		station_stop(SIGTERM);
	return bad || !intact || total != SOAK_DEVICES * SOAK_RECORDS ? -1 : 0;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 2;
	int status = 0;
	char self[4096];
	log_init("bench_sync", LOG_LEVEL_ERR);
	signal(SIGPIPE, SIG_IGN);
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(stationd_path, sizeof(stationd_path), "%s/../bin/stationd", dirname(self));
	snprintf(dir, sizeof(dir), "/tmp/bench_sync_XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(station_db, sizeof(station_db), "%s/station.db", dir);
	if (station_start(0))
		return 1;
	/* size the single-device run so that it takes about SECONDS at ~5000 records/s */
	int one = seconds > 0 ? seconds * 5000 : 10000;
	double r1 = throughput("one", 1, one, 500);
	double r50 = throughput("many", DEVICES_MANY, one / 10 > 100 ? one / 10 : 100, 100);
	if (r1 < 0 || r50 < 0) {
		fprintf(stderr, "bench_sync: a throughput run failed\n");
		status = 1;
	}
	printf(
	    "sync push, one device to one station: %.0f records/s (%d records, batches of 500)\n",
	    r1, one);
	printf("sync push, %d devices at once: %.0f records/s in total (%d records each, batches "
	       "of 100)\n",
	       DEVICES_MANY, r50, one / 10 > 100 ? one / 10 : 100);
	station_stop(SIGTERM);
	if (soak())
		status = 1;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		status = 1;
	return status;
}
