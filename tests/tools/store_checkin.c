/* tests/tools/store_checkin.c: check one arrival into a room through store_checkin_commit(),
 * as the kiosk will, so that scripts can test what follows (export, rooms list).
 * Usage: store_checkin DB ARRIVAL_ID ROOM SERIAL UNIX_TIME RELEASE_DAY [RISK] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/store/store.h"

int main(int argc, char **argv)
{
	if (argc < 7 || argc > 8) {
		fprintf(stderr, "usage: store_checkin DB ARRIVAL_ID ROOM SERIAL UNIX_TIME "
		                "RELEASE_DAY [RISK]\n");
		return 2;
	}
	struct checkin_record c = {0};
	c.arrival_id = strtoll(argv[2], NULL, 10);
	snprintf(c.room, sizeof(c.room), "%s", argv[3]);
	snprintf(c.wristband_serial, sizeof(c.wristband_serial), "%s", argv[4]);
	snprintf(c.wristband_token, sizeof(c.wristband_token), "HK1.%s.TESTSIG", argv[4]);
	c.at = strtoll(argv[5], NULL, 10);
	if (!day_parse(argv[6], &c.planned_release) ||
	    (argc == 8 && !risk_parse(argv[7], &c.risk))) {
		fprintf(stderr, "store_checkin: bad day or risk\n");
		return 2;
	}
	snprintf(c.code_result, sizeof(c.code_result), "green");
	snprintf(c.briefing_hash, sizeof(c.briefing_hash), "sha256:5e1f");
	snprintf(c.briefing_lang, sizeof(c.briefing_lang), "zh-CN");
	snprintf(c.risk_set_by, sizeof(c.risk_set_by), "kiosk");
	c.timings = (struct checkin_timings){900, 2500, 40000, 52000};
	struct store_error err;
	struct store *st = store_open(argv[1], &err);
	if (!st) {
		fprintf(stderr, "store_checkin: %s\n", err.message);
		return 1;
	}
	struct store_identity id;
	int rc = store_identity_get(st, &id);
	if (rc == 0 && !*id.device_id)
		rc = store_identity_set(st, "test-station", "test-kiosk");
	struct checkin_result res;
	if (rc == 0)
		rc = store_checkin_commit(st, &c, &res);
	if (rc)
		fprintf(stderr, "store_checkin: %s [%s]\n", store_errmsg(st),
		        store_status_name(rc));
	else
		printf("checkin %lld seq %lld\n", (long long)res.checkin_id,
		       (long long)res.device_seq);
	store_close(st);
	return rc ? 1 : 0;
}
