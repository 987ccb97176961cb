/* app/service/checkin.h: carry out the entrance flow's FX_CHECKIN: choose rooms for the
 * group, plan each term, issue signed wristbands and commit everything in one store
 * transaction; answer with EV_ASSIGNED or EV_ASSIGN_FAILED. */
#ifndef HK_SERVICE_CHECKIN_H
#define HK_SERVICE_CHECKIN_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/events.h"
#include "app/core/policy.h"
#include "app/core/rooms.h"
#include "app/core/wristband.h"

struct store;

struct checkin_config {
	struct policy policy;
	struct rooms_config rooms;
	char station[WRISTBAND_STATION_MAX + 1]; /* station id printed into wristbands */
	struct wristband_private_key key;        /* the station's band signing key */
	bool leases_only; /* synced kiosk: rooms only among those the station leased to it
	                   * (store_leases_list); none fits: REASON_NO_LEASED_ROOM */
};

/* Check in the group of fx (an FX_CHECKIN effect) at now (unix seconds) in st, and write
 * the answer into *answer (ticket copied): EV_ASSIGNED with a room, planned release day and
 * wristband serial per person, in the order of fx's people; or EV_ASSIGN_FAILED with
 * REASON_NO_ROOM, REASON_GROUP_TOO_LARGE, REASON_NO_DESIGNATED_ROOM, REASON_NO_LEASED_ROOM,
 * REASON_STAFF_REQUIRED
 * (children without an adult), REASON_ALREADY_CHECKED_IN or REASON_STORE_FAILED. Nothing
 * is written unless the whole group is committed. Returns 0 when *answer was written, or
 * -EINVAL for a call that is not an FX_CHECKIN. */
int checkin_commit(struct store *st, const struct checkin_config *cfg, const struct effect *fx,
                   int64_t now, struct event *answer);

/* The initial risk colour of a person from their health-code colour: green -> green,
 * yellow -> yellow, red -> red; and a close contact is at least orange (key attention)
 * until the station's doctors assess them. */
enum risk checkin_initial_risk(enum flow_code code, enum category c);

#endif
