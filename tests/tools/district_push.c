/* tests/tools/district_push.c: one station's forwarder thread (app/district) on a station
 * store, for the district tests: runs until the hub holds everything after the cursor and
 * the rooms were sent (exit 0, prints the records sent), or SECONDS pass (exit 1).
 *   district_push STORE STATION CONNINFO [SECONDS=60] [BATCH=200] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/district/district.h"
#include "app/sys/sys.h"

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: district_push STORE STATION CONNINFO [SECONDS] [BATCH]\n");
		return 2;
	}
	log_init("district_push", LOG_LEVEL_INFO);
	int seconds = argc > 4 ? atoi(argv[4]) : 60;
	struct district_forward_options o = {
	    .conninfo = argv[3],
	    .store_path = argv[1],
	    .station_id = argv[2],
	    .batch = argc > 5 ? atoi(argv[5]) : 200,
	    .interval_ms = 50,
	    .backoff_min_ms = 100,
	    .backoff_max_ms = 800,
	};
	char err[512];
	struct district_forwarder *f = district_forwarder_start(&o, err, sizeof(err));
	if (!f) {
		fprintf(stderr, "district_push: %s\n", err);
		return 1;
	}
	struct district_forward_stats st = {0};
	int64_t deadline = clock_mono_ms() + (int64_t)seconds * 1000;
	int status = 1;
	while (clock_mono_ms() < deadline) {
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
		district_forwarder_stats(f, &st);
		if (st.pending == 0 && st.idle_rounds > 0) {
			status = 0;
			break;
		}
	}
	district_forwarder_stop(f);
	printf("%s sent=%lld batches=%lld failures=%lld pending=%lld\n", argv[2],
	       (long long)st.forwarded, (long long)st.batches, (long long)st.failures,
	       (long long)st.pending);
	return status;
}
