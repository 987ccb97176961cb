/* app/core/rooms.h: choose the room (or rooms) for one person or a family: capacity,
 * families and minors with a guardian, designated floors for red/orange residents, cohorts
 * by release day. Pure and deterministic; the rules in words are in docs/policy.md. */
#ifndef HK_CORE_ROOMS_H
#define HK_CORE_ROOMS_H

#include <stdbool.h>

#include "app/core/types.h"

#define ROOMS_MAX          4096 /* rooms one call may consider */
#define ROOMS_SPLIT_MAX    6    /* most rooms one party is spread over */
#define ROOMS_FLOORS_MAX   8    /* designated floors */
#define ROOMS_NUMBER_MAX   16   /* room number and its NUL */
#define ROOMS_PARTY_MAX    40   /* group id and its NUL */
#define ROOMS_SIZE_MAX     999  /* people in one request */
#define ROOMS_CAPACITY_MAX 99   /* beds in one room */

/* One room as the caller sees it now. Pass only rooms this device may assign (its lease).
 * A room is empty when its state is ROOM_FREE and occupants is 0; a ROOM_FREE room with
 * occupants, or a ROOM_OCCUPIED room without, is inconsistent and never used. */
struct rooms_room {
	char number[ROOMS_NUMBER_MAX]; /* "1203"; unique on its floor */
	int floor;
	int capacity; /* beds, 0..ROOMS_CAPACITY_MAX; 0: never used */
	enum room_state state;
	int occupants;               /* people in it now */
	hk_day release_day;          /* latest planned release of its occupants, if any */
	enum category category;      /* of the occupants of a shared room */
	bool shared;                 /* holds cohorted singles and may take more (see config) */
	char party[ROOMS_PARTY_MAX]; /* group id of the party living here; "" if none/shared */
};

struct rooms_config {
	/* Off (default): a room holds one party, a person or a family, and nobody else. On:
	 * adults travelling alone (no group id) of the same category and the same release day
	 * may share a room. */
	bool shared_rooms;
	/* Floors reserved for red and orange residents. When set, red/orange go only there
	 * and nobody else does (except to join their own family). None: no restriction. */
	int designated_count;
	int designated[ROOMS_FLOORS_MAX];
};

/* Who needs a room. */
struct rooms_request {
	int size;               /* people in the party, 1..ROOMS_SIZE_MAX */
	int minors;             /* of them; each must share a room with an adult of the party */
	enum risk risk;         /* highest in the party; orange and red are restricted */
	bool designated;        /* restricted whatever the risk (policy POLICY_ADMIT_DESIGNATED) */
	enum category category; /* for shared rooms */
	hk_day release_day;     /* planned release (policy_plan.release_day), for cohorts */
	const char *group;      /* borrowed; group or family id, NULL or "" for a lone person */
};

enum rooms_result {
	ROOMS_OK,
	ROOMS_NO_ROOM,             /* nothing fits now; it would in an empty house (full house) */
	ROOMS_GROUP_TOO_LARGE,     /* would not fit even if every usable room were empty */
	ROOMS_NO_DESIGNATED_ROOM,  /* restricted, and the designated floors are full */
	ROOMS_UNACCOMPANIED_MINOR, /* only minors, and no room of their family to join */
	ROOMS_RESULT_COUNT
};

/* One room of an assignment. */
struct rooms_placement {
	int room;   /* index into the caller's rooms array */
	int adults; /* people of the party placed here: adults and minors */
	int minors;
	bool shared; /* the room is (now) a shared room of singles: set rooms_room.shared */
};

struct rooms_assignment {
	enum rooms_result result;
	int count; /* placements; 0 unless result is ROOMS_OK */
	struct rooms_placement place[ROOMS_SPLIT_MAX];
};

/* Choose rooms for req among rooms[0..count-1]. Same rooms and request (in any order of the
 * array) give the same rooms. Writes *out and returns 0 when a decision was made, including
 * "no room" (out->result says which); returns -EINVAL for a bad call: NULL pointers, count
 * not 0..ROOMS_MAX, size not 1..ROOMS_SIZE_MAX, minors not 0..size, unknown risk or
 * category, a bad config, a room with an unterminated string, unknown state or capacity or
 * occupants out of range, or two rooms with the same number on the same floor (*out is
 * then zeroed). Choice order:
 *   1. the party's own room, if it has space for all of them;
 *   2. a shared room of the same category and release day (shared_rooms, lone adults);
 *   3. one empty room: the smallest that fits, then the floor whose residents' release
 *      day is nearest, then floor, then room number in natural order;
 *   4. split over the fewest empty rooms of one floor (at most one room per adult, each
 *      room with a minor also gets an adult), neighbours preferred, then as in 3.
 * Never a room in cleaning or blocked, never more people than beds, never strangers
 * together unless shared_rooms allows it, never across floors. Failing all, the result
 * says why: GROUP_TOO_LARGE if the party would not fit even an empty house, else
 * NO_DESIGNATED_ROOM (restricted) or NO_ROOM. No allocation; about 32 KB of stack. */
int rooms_choose(const struct rooms_config *cfg, const struct rooms_room *rooms, int count,
                 const struct rooms_request *req, struct rooms_assignment *out);

/* Record an ROOMS_OK assignment in the caller's copy of the rooms: occupants, state
 * occupied, release day (the later one), party, category and shared. Returns 0, or
 * -EINVAL if the assignment does not fit these rooms (nothing is changed then). */
int rooms_apply(struct rooms_room *rooms, int count, const struct rooms_request *req,
                const struct rooms_assignment *a);

/* Why, as a reason code for the person or the log: REASON_OK, REASON_NO_ROOM,
 * REASON_GROUP_TOO_LARGE, REASON_NO_DESIGNATED_ROOM, REASON_STAFF_REQUIRED. */
enum reason rooms_result_reason(enum rooms_result r);
/* "ok", "no_room", "group_too_large", "no_designated_room", "unaccompanied_minor"; "?". */
const char *rooms_result_name(enum rooms_result r);

/* Natural order of room numbers: runs of digits compare by value ("9" < "10",
 * "1203" < "1210"), other bytes by value; <0, 0, >0 like strcmp. NULL sorts first. */
int rooms_number_compare(const char *a, const char *b);

/* True if req is restricted to designated floors under cfg (risk orange or red, or the
 * designated flag) and cfg has designated floors. */
bool rooms_request_restricted(const struct rooms_config *cfg, const struct rooms_request *req);

#endif
