/* tests/tools/sync_device.c: a device for the sync tests and benchmarks, on a device
 * database (app/sync/device_db.h) and the real sync client:
 *   sync_device DB ID add N [KIND [FIRST]]  N own records (body {"n":i}, i from FIRST,
 *                                           default 0); KIND default scan
 *   sync_device DB ID checkin ARRIVAL ROOM  one check-in record
 *   sync_device DB ID checkins FILE         one check-in per line "ARRIVAL ROOM", each in
 *                                           its own transaction as at a kiosk
 *   sync_device DB ID sync URL TOKEN [SECONDS] [BATCH]
 *       run the client thread until nothing waits and a round succeeded (exit 0), or
 *       SECONDS pass (exit 1); prints the final status
 *   sync_device DB ID round URL TOKEN       one round on this thread; exit 0 on success
 *   sync_device DB ID pending               own records not yet delivered
 *   sync_device DB ID replica KIND KEY      a pulled change's body (exit 1 when absent)
 * $SYNC_CA_FILE, when set, is the certificate to trust for https. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/sync/client.h"
#include "app/sync/device_db.h"
#include "app/sys/sys.h"

static void print_status(const struct sync_client_status *st)
{
	printf("waiting=%zu delivered=%lld cursor=%lld online=%d refused=%d failures=%d "
	       "error=%s\n",
	       st->waiting, (long long)st->delivered, (long long)st->cursor, st->online,
	       st->refused, st->failures, st->last_error[0] ? st->last_error : "-");
}

static int run_sync(struct sync_device_db *db, const struct sync_client_options *o, int seconds)
{
	char err[160];
	struct sync_client_status st;
	int64_t start = clock_unix_ms();
	struct sync_client *c = sync_client_start(sync_device_db_source(db), o, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "sync_device: %s\n", err);
		sync_device_db_close(db);
		return 2;
	}
	int64_t deadline = clock_mono_ms() + (int64_t)seconds * 1000;
	bool done = false;
	while (clock_mono_ms() < deadline) {
		sync_client_status(c, &st);
		if (st.waiting == 0 && st.last_success_ms >= start) {
			done = true;
			break;
		}
		nanosleep(&(struct timespec){0, 20 * 1000000L}, NULL);
	}
	sync_client_status(c, &st);
	sync_client_stop(c);
	print_status(&st);
	return done ? 0 : 1;
}

int main(int argc, char **argv)
{
	char err[256];
	if (argc < 4) {
		fprintf(stderr, "usage: sync_device DB ID COMMAND [ARGS]\n");
		return 2;
	}
	log_init("sync_device", LOG_LEVEL_WARN);
	struct sync_device_db *db = sync_device_db_open(argv[1], argv[2], err, sizeof(err));
	if (!db) {
		fprintf(stderr, "sync_device: %s\n", err);
		return 2;
	}
	const char *cmd = argv[3];
	int status = 0;
	if (strcmp(cmd, "add") == 0 && argc >= 5 && argc <= 7) {
		/* in transactions of up to 500, as a busy kiosk would not, to keep tests fast */
		long n = atol(argv[4]), first = argc == 7 ? atol(argv[6]) : 0;
		struct sync_record recs[500];
		char bodies[500][32];
		for (long done = 0; done < n && !status;) {
			size_t k = 0;
			for (; k < 500 && done < n; k++, done++) {
				snprintf(bodies[k], sizeof(bodies[k]), "{\"n\":%ld}", first + done);
				recs[k] = (struct sync_record){.at = (int64_t)time(NULL),
				                               .body = bodies[k]};
				snprintf(recs[k].kind, sizeof(recs[k].kind), "%s",
				         argc >= 6 ? argv[5] : "scan");
			}
			status = sync_device_db_add(db, recs, k);
		}
	} else if (strcmp(cmd, "checkin") == 0 && argc == 6) {
		char body[128];
		snprintf(body, sizeof(body), "{\"arrival_id\":%ld,\"room\":\"%s\"}", atol(argv[4]),
		         argv[5]);
		struct sync_record r = {.kind = "checkin", .at = (int64_t)time(NULL), .body = body};
		status = sync_device_db_add(db, &r, 1);
	} else if (strcmp(cmd, "checkins") == 0 && argc == 5) {
		FILE *in = fopen(argv[4], "r");
		long arrival;
		char room[SYNC_ROOM_MAX], body[128];
		status = in ? 0 : 1;
		while (in && !status && fscanf(in, "%ld %15s", &arrival, room) == 2) {
			snprintf(body, sizeof(body), "{\"arrival_id\":%ld,\"room\":\"%s\"}",
			         arrival, room);
			struct sync_record r = {
			    .kind = "checkin", .at = (int64_t)time(NULL), .body = body};
			status = sync_device_db_add(db, &r, 1);
		}
		if (in)
			fclose(in);
	} else if ((strcmp(cmd, "sync") == 0 && argc >= 6 && argc <= 8) ||
	           (strcmp(cmd, "round") == 0 && argc == 6)) {
		struct sync_client_options o = {
		    .url = argv[4],
		    .token = argv[5],
		    .batch_max = argc == 8 ? (size_t)atol(argv[7]) : 0,
		    .interval_ms = 200,
		    .backoff_min_ms = 50,
		    .backoff_max_ms = 1000,
		    .timeout_ms = 5000,
		    .ca_file = getenv("SYNC_CA_FILE"),
		};
		if (strcmp(cmd, "sync") == 0)
			return run_sync(db, &o, argc >= 7 ? atoi(argv[6]) : 20);
		struct sync_client_status st = {0};
		status = sync_client_round(sync_device_db_source(db), &o, &st);
		print_status(&st);
	} else if (strcmp(cmd, "pending") == 0 && argc == 4) {
		size_t n = 0;
		struct sync_source *src = sync_device_db_source(db);
		if (!(status = src->ops->count(src, &n)))
			printf("%zu\n", n);
	} else if (strcmp(cmd, "replica") == 0 && argc == 6) {
		char *body = sync_device_db_replica(db, argv[4], argv[5]);
		if (body)
			printf("%s\n", body);
		status = body ? 0 : SYNC_E_NOT_FOUND;
		free(body);
	} else {
		fprintf(stderr, "sync_device: unknown command or wrong arguments\n");
		status = 2;
	}
	sync_device_db_close(db);
	return status ? 1 : 0;
}
