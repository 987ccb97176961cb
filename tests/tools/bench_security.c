/* tests/tools/bench_security.c: the checkpoint lookup (signature check, band, resident,
 * plan) on a store of 5000 checked-in residents in a temporary directory: lookups per
 * second and the slowest one, against the 200 ms budget from scan to verdict.
 * Usage: bench_security [SECONDS] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/service/security.h"
#include "app/store/store.h"

#define RESIDENTS 5000
#define BATCH     500
#define T0        1795939200

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rooms, arrivals and check-ins with real signed bands; tokens[i] for arrival i + 1. */
static int fill(struct store *st, const struct wristband_private_key *key, char (*tokens)[160])
{
	struct room_spec *rooms = calloc(RESIDENTS / 2, sizeof(*rooms));
	struct checkin_record *recs = calloc(BATCH, sizeof(*recs));
	char *csv = NULL;
	int rc = -1;
	if (!rooms || !recs)
		goto out_free;
	for (int i = 0; i < RESIDENTS / 2; i++) {
		rooms[i].floor = 2 + i / 50;
		snprintf(rooms[i].number, sizeof(rooms[i].number), "%d%02d", rooms[i].floor,
		         i % 50);
		rooms[i].capacity = 2;
	}
	if (store_rooms_add(st, rooms, RESIDENTS / 2, NULL) != 0)
		goto out_free;
	/* the manifest in one import: one transaction */
	size_t cap = (size_t)RESIDENTS * 80 + 128, len = 0;
	csv = malloc(cap);
	if (!csv)
		goto out_free;
	len += (size_t)snprintf(csv, cap,
	                        "batch,name,doc_type,doc_number,category,term,arrival_day\n");
	for (int i = 0; i < RESIDENTS; i++)
		len += (size_t)snprintf(
		    csv + len, cap - len, "CA%03d,测试%05d,passport,E%08d,%s,14+7,2026-11-29\n",
		    i / 100, i, i, category_name((enum category)(i % CATEGORY_COUNT)));
	struct manifest_report rep = {0};
	if (store_manifest_import(st, csv, len, &rep) != 0)
		goto out_free;
	for (int b = 0; b < RESIDENTS / BATCH; b++) {
		memset(recs, 0, BATCH * sizeof(*recs));
		for (int j = 0; j < BATCH; j++) {
			int i = b * BATCH + j;
			struct checkin_record *c = &recs[j];
			struct wristband band = {
			    .station = "SZ01", .serial = 1000 + i, .day = 20000};
			snprintf(band.room, sizeof(band.room), "%.8s", rooms[i / 2].number);
			if (wristband_issue(&band, key, tokens[i], 160) != 0)
				goto out_free;
			c->arrival_id = i + 1;
			c->at = T0 + i;
			snprintf(c->code_result, sizeof(c->code_result), "green");
			snprintf(c->briefing_hash, sizeof(c->briefing_hash), "sha256:ab");
			snprintf(c->briefing_lang, sizeof(c->briefing_lang), "zh-CN");
			snprintf(c->room, sizeof(c->room), "%s", band.room);
			snprintf(c->risk_set_by, sizeof(c->risk_set_by), "kiosk");
			c->planned_release = day_from_unix(T0, 8 * 3600) + 15;
			snprintf(c->wristband_serial, sizeof(c->wristband_serial), "%" PRId64,
			         band.serial);
			snprintf(c->wristband_token, sizeof(c->wristband_token), "%s", tokens[i]);
			c->timings = (struct checkin_timings){-1, -1, -1, -1};
		}
		if (store_checkin_commit_group(st, recs, BATCH, NULL) != 0)
			goto out_free;
	}
	rc = 0;
out_free:
	free(rooms);
	free(recs);
	free(csv);
	return rc;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2;
	char dir[] = "/tmp/hk-bench-sec-XXXXXX", path[64], cmd[96];
	char(*tokens)[160] = calloc(RESIDENTS, sizeof(*tokens));
	struct wristband_private_key key;
	struct wristband_public_key pub;
	struct store_error err;
	struct store *st = NULL;
	int status = 1;
	if (!tokens || !mkdtemp(dir))
		goto out_free;
	snprintf(path, sizeof(path), "%s/station.db", dir);
	st = store_open(path, &err);
	if (!st || store_identity_set(st, "SZ01", "bench") != 0 ||
	    wristband_key_generate(&key, &pub) != 0 || fill(st, &key, tokens) != 0) {
		fprintf(stderr, "bench_security: setup failed: %s\n",
		        st ? store_errmsg(st) : "open");
		goto out_close;
	}
	struct security_config cfg = {.station = "SZ01", .keys = &pub, .nkeys = 1};
	policy_defaults(&cfg.policy);
	struct sec_effect fx = {.kind = SEC_FX_LOOKUP, .ticket = 1};
	struct sec_event ev;
	long n = 0;
	double worst = 0, start = now_s(), end = start + seconds;
	unsigned seed = 12345;
	while (now_s() < end) {
		seed = seed * 1103515245u + 12345u;
		int i = (int)((seed >> 8) % RESIDENTS);
		snprintf(fx.lookup.text, sizeof(fx.lookup.text), "%s", tokens[i]);
		double t = now_s();
		if (security_lookup(st, &cfg, &fx, &ev) != 0 || ev.lookup.reason != REASON_OK ||
		    !ev.lookup.has_resident) {
			fprintf(stderr, "bench_security: lookup %d failed\n", i);
			goto out_close;
		}
		double dt = now_s() - t;
		if (dt > worst)
			worst = dt;
		n++;
	}
	double elapsed = now_s() - start;
	printf("security_lookup: %.0f lookups/s, %.2f ms each, slowest %.2f ms (store of %d "
	       "residents; verify, band, resident, plan; budget 200 ms)\n",
	       (double)n / elapsed, elapsed * 1e3 / (double)n, worst * 1e3, RESIDENTS);
	status = worst < 0.2 ? 0 : 1;
out_close:
	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		status = 1;
out_free:
	free(tokens);
	return status;
}
