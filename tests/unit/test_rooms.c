/* tests/unit/test_rooms.c: room choice: singles, families (split with minors kept with an
 * adult), full house, too large, cleaning and blocked, designated floors, cohorts, shared
 * rooms, determinism under shuffling, and a seeded random run checking the invariants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/rooms.h"

#define D 19000 /* a release day */

#define FREE(n, f, c)                                                                              \
	{                                                                                          \
		.number = n, .floor = f, .capacity = c, .state = ROOM_FREE                         \
	}
#define IN_STATE(n, f, c, st)                                                                      \
	{                                                                                          \
		.number = n, .floor = f, .capacity = c, .state = st                                \
	}
#define LIVED(n, f, c, occ, rel, p)                                                                \
	{                                                                                          \
		.number = n, .floor = f, .capacity = c, .state = ROOM_OCCUPIED, .occupants = occ,  \
		.release_day = rel, .party = p                                                     \
	}
#define SHARED(n, f, c, occ, rel, cat)                                                             \
	{                                                                                          \
		.number = n, .floor = f, .capacity = c, .state = ROOM_OCCUPIED, .occupants = occ,  \
		.release_day = rel, .category = cat, .shared = true                                \
	}
#define HOUSE(h) h, (int)(sizeof(h) / sizeof(h[0]))

/* "1203:1+2 1204:2+0s": room number, adults + minors, "s" when the room becomes shared. */
static const char *describe(const struct rooms_room *rooms, const struct rooms_assignment *a,
                            char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < a->count; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s:%d+%d%s", i ? " " : "",
		         rooms[a->place[i].room].number, a->place[i].adults, a->place[i].minors,
		         a->place[i].shared ? "s" : "");
	}
	return buf;
}

struct choose_case {
	const char *name;
	const struct rooms_room *rooms;
	int count;
	struct rooms_config cfg;
	struct rooms_request req;
	enum rooms_result want;
	const char *want_rooms; /* "" unless ROOMS_OK */
};

static void run_cases(const struct choose_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct choose_case *c = &cases[i];
		struct rooms_assignment a;
		char got[200];
		if (rooms_choose(&c->cfg, c->rooms, c->count, &c->req, &a) != 0)
			fail_msg("%s: refused as a bad call", c->name);
		describe(c->rooms, &a, got, sizeof(got));
		if (a.result != c->want || strcmp(got, c->want_rooms))
			fail_msg("%s: got %s \"%s\", want %s \"%s\"", c->name,
			         rooms_result_name(a.result), got, rooms_result_name(c->want),
			         c->want_rooms);
		if (a.result != ROOMS_OK)
			assert_int_equal(a.count, 0);
	}
}

#define PEOPLE(sz, mi) .size = sz, .minors = mi, .release_day = D

static const struct rooms_room mixed[] = {
    FREE("1201", 12, 2),
    FREE("1202", 12, 1),
    FREE("1203", 12, 3),
    FREE("1204", 12, 4),
    IN_STATE("1205", 12, 4, ROOM_CLEANING),
    IN_STATE("1206", 12, 6, ROOM_BLOCKED),
};

static const struct rooms_room twins[] = {
    FREE("1201", 12, 2), FREE("1202", 12, 2), FREE("1203", 12, 2),
    FREE("1204", 12, 2), FREE("1301", 13, 2), FREE("1302", 13, 2),
};

static void test_singles_and_families(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct choose_case cases[] = {
	    {"single: the smallest room", HOUSE(mixed), {0}, {PEOPLE(1, 0)}, ROOMS_OK, "1202:1+0"},
	    {"couple", HOUSE(mixed), {0}, {PEOPLE(2, 0)}, ROOMS_OK, "1201:2+0"},
	    {"family of three", HOUSE(mixed), {0}, {PEOPLE(3, 1)}, ROOMS_OK, "1203:2+1"},
	    {"family of four", HOUSE(mixed), {0}, {PEOPLE(4, 2)}, ROOMS_OK, "1204:2+2"},
	    {"five: split over neighbours, never into cleaning or blocked", HOUSE(mixed), {0},
	     {PEOPLE(5, 2)}, ROOMS_OK, "1203:1+2 1204:2+0"},
	    {"one adult and five minors: only one room would do, and it is blocked", HOUSE(mixed),
	     {0}, {PEOPLE(6, 5)}, ROOMS_NO_ROOM, ""},
	    {"one adult and six minors: no room that large", HOUSE(mixed), {0}, {PEOPLE(7, 6)},
	     ROOMS_GROUP_TOO_LARGE, ""},
	    {"twenty adults: the whole house, but rooms are in use", HOUSE(mixed), {0},
	     {PEOPLE(20, 0)}, ROOMS_NO_ROOM, ""},
	    {"twenty-one adults: larger than the house", HOUSE(mixed), {0}, {PEOPLE(21, 0)},
	     ROOMS_GROUP_TOO_LARGE, ""},
	    {"2+2 in twin rooms: a parent with each child", HOUSE(twins), {0}, {PEOPLE(4, 2)},
	     ROOMS_OK, "1201:1+1 1202:1+1"},
	    {"2+1 in twin rooms", HOUSE(twins), {0}, {PEOPLE(3, 1)}, ROOMS_OK, "1201:1+1 1202:1+0"},
	    {"six adults over three rooms", HOUSE(twins), {0}, {PEOPLE(6, 0)}, ROOMS_OK,
	     "1201:2+0 1202:2+0 1203:2+0"},
	    {"eight adults fill a floor", HOUSE(twins), {0}, {PEOPLE(8, 0)}, ROOMS_OK,
	     "1201:2+0 1202:2+0 1203:2+0 1204:2+0"},
	    {"ten adults: never across floors", HOUSE(twins), {0}, {PEOPLE(10, 0)},
	     ROOMS_GROUP_TOO_LARGE, ""},
	    {"one adult, two minors: larger than any room, cannot be split", HOUSE(twins), {0},
	     {PEOPLE(3, 2)}, ROOMS_GROUP_TOO_LARGE, ""},
	    {"no rooms at all (an empty lease): no room, not too large", NULL, 0, {0},
	     {PEOPLE(1, 0)}, ROOMS_NO_ROOM, ""},
	    {"red, no rooms on the designated floor", HOUSE(twins),
	     {.designated_count = 1, .designated = {14}}, {PEOPLE(1, 0), .risk = RISK_RED},
	     ROOMS_NO_DESIGNATED_ROOM, ""},
	};
	/* clang-format on */
	run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static const struct rooms_room neighbours[] = {
    FREE("1201", 12, 2),
    FREE("1202", 12, 3),
    FREE("1203", 12, 2),
    FREE("1204", 12, 4),
};
static const struct rooms_room apart[] = {
    FREE("1201", 12, 3),
    FREE("1202", 12, 1),
    FREE("1203", 12, 3),
};
static const struct rooms_room fewer_on_13[] = {
    FREE("1201", 12, 2), FREE("1202", 12, 2), FREE("1203", 12, 2),
    FREE("1301", 13, 3), FREE("1302", 13, 3),
};
static const struct rooms_room gap[] = {
    FREE("1201", 12, 2),
    LIVED("1202", 12, 2, 2, D, "X"),
    FREE("1203", 12, 2),
    FREE("1204", 12, 4),
};
static const struct rooms_room many_twins[] = {
    FREE("1201", 12, 2), FREE("1202", 12, 2), FREE("1203", 12, 2), FREE("1204", 12, 2),
    FREE("1205", 12, 2), FREE("1206", 12, 2), FREE("1207", 12, 2), FREE("1208", 12, 2),
};

static void test_splits(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct choose_case cases[] = {
	    {"neighbours before less waste", HOUSE(neighbours), {0}, {PEOPLE(6, 4)}, ROOMS_OK,
	     "1203:1+1 1204:1+3"},
	    {"no two neighbours fit: the largest rooms of the floor", HOUSE(apart), {0},
	     {PEOPLE(6, 4)}, ROOMS_OK, "1201:1+2 1203:1+2"},
	    {"fewest rooms wins over the lower floor", HOUSE(fewer_on_13), {0}, {PEOPLE(6, 2)},
	     ROOMS_OK, "1301:1+2 1302:3+0"},
	    {"one room if one fits", HOUSE(gap), {0}, {PEOPLE(4, 0)}, ROOMS_OK, "1204:4+0"},
	    {"a room in use is skipped, never shared", HOUSE(gap), {0}, {PEOPLE(5, 0)}, ROOMS_OK,
	     "1203:2+0 1204:3+0"},
	    {"no more rooms than adults: 2 adults 6 minors in twins", HOUSE(many_twins), {0},
	     {PEOPLE(8, 6)}, ROOMS_GROUP_TOO_LARGE, ""},
	    {"at most six rooms: fourteen adults", HOUSE(many_twins), {0}, {PEOPLE(14, 0)},
	     ROOMS_GROUP_TOO_LARGE, ""},
	    {"six rooms: twelve adults", HOUSE(many_twins), {0}, {PEOPLE(12, 0)}, ROOMS_OK,
	     "1201:2+0 1202:2+0 1203:2+0 1204:2+0 1205:2+0 1206:2+0"},
	    {"4 adults 4 minors in twins: each room an adult and a minor", HOUSE(many_twins), {0},
	     {PEOPLE(8, 4)}, ROOMS_OK, "1201:1+1 1202:1+1 1203:1+1 1204:1+1"},
	};
	/* clang-format on */
	run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static const struct rooms_room full[] = {
    LIVED("1201", 12, 2, 2, D, "A"),
    LIVED("1202", 12, 2, 1, D, "B"),
    IN_STATE("1203", 12, 2, ROOM_CLEANING),
    IN_STATE("1204", 12, 2, ROOM_BLOCKED),
};
static const struct rooms_room inconsistent[] = {
    {.number = "1201", .floor = 12, .capacity = 2, .state = ROOM_FREE, .occupants = 1},
    {.number = "1202", .floor = 12, .capacity = 2, .state = ROOM_OCCUPIED, .party = "B"},
    {.number = "1203", .floor = 12, .capacity = 0, .state = ROOM_FREE},
    {.number = "1204",
     .floor = 12,
     .capacity = 2,
     .state = ROOM_OCCUPIED,
     .occupants = 3,
     .party = "B"},
};

static void test_full_house_and_parties(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct choose_case cases[] = {
	    {"full house: a stranger never takes B's spare bed", HOUSE(full), {0}, {PEOPLE(1, 0)},
	     ROOMS_NO_ROOM, ""},
	    {"full house, shared rooms on: B's room is not a shared room", HOUSE(full),
	     {.shared_rooms = true}, {PEOPLE(1, 0)}, ROOMS_NO_ROOM, ""},
	    {"a later member of family B joins B", HOUSE(full), {0}, {PEOPLE(1, 0), .group = "B"},
	     ROOMS_OK, "1202:1+0"},
	    {"a child of family B joins B", HOUSE(full), {0}, {PEOPLE(1, 1), .group = "B"},
	     ROOMS_OK, "1202:0+1"},
	    {"two more of family B do not fit B's room", HOUSE(full), {0},
	     {PEOPLE(2, 0), .group = "B"}, ROOMS_NO_ROOM, ""},
	    {"a child alone, family not here", HOUSE(full), {0}, {PEOPLE(1, 1), .group = "C"},
	     ROOMS_UNACCOMPANIED_MINOR, ""},
	    {"a child alone, no group", HOUSE(twins), {0}, {PEOPLE(2, 2)},
	     ROOMS_UNACCOMPANIED_MINOR, ""},
	    {"three adults, house full", HOUSE(full), {0}, {PEOPLE(3, 0)}, ROOMS_NO_ROOM, ""},
	    {"inconsistent rooms are never used", HOUSE(inconsistent), {0},
	     {PEOPLE(1, 0), .group = "B"}, ROOMS_NO_ROOM, ""},
	};
	/* clang-format on */
	run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static const struct rooms_room floors[] = {
    FREE("1201", 12, 2),
    FREE("1202", 12, 2),
    FREE("1301", 13, 2),
    FREE("1302", 13, 2),
};
static const struct rooms_room floors_13_full[] = {
    FREE("1201", 12, 2),
    LIVED("1301", 13, 2, 1, D, "R1"),
    LIVED("1302", 13, 2, 2, D, "R2"),
};
static const struct rooms_room floors_12_full[] = {
    LIVED("1201", 12, 2, 2, D, "G"),
    FREE("1301", 13, 2),
};
static const struct rooms_room families_apart[] = {
    LIVED("1201", 12, 4, 2, D, "G"),
    FREE("1202", 12, 2),
    LIVED("1301", 13, 4, 2, D, "R"),
    FREE("1302", 13, 2),
};

#define ON_13                                                                                      \
	{                                                                                          \
		.designated_count = 1, .designated = { 13 }                                        \
	}

static void test_designated_floors(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct choose_case cases[] = {
	    {"green: not on the designated floor", HOUSE(floors), ON_13,
	     {PEOPLE(1, 0), .risk = RISK_GREEN}, ROOMS_OK, "1201:1+0"},
	    {"yellow: not restricted", HOUSE(floors), ON_13, {PEOPLE(1, 0), .risk = RISK_YELLOW},
	     ROOMS_OK, "1201:1+0"},
	    {"orange: designated floor", HOUSE(floors), ON_13, {PEOPLE(1, 0), .risk = RISK_ORANGE},
	     ROOMS_OK, "1301:1+0"},
	    {"red: designated floor", HOUSE(floors), ON_13, {PEOPLE(1, 0), .risk = RISK_RED},
	     ROOMS_OK, "1301:1+0"},
	    {"policy flag: designated floor", HOUSE(floors), ON_13,
	     {PEOPLE(1, 0), .designated = true}, ROOMS_OK, "1301:1+0"},
	    {"red, no designated floor configured: anywhere", HOUSE(floors), {0},
	     {PEOPLE(1, 0), .risk = RISK_RED}, ROOMS_OK, "1201:1+0"},
	    {"red family split on the designated floor", HOUSE(floors), ON_13,
	     {PEOPLE(4, 2), .risk = RISK_RED}, ROOMS_OK, "1301:1+1 1302:1+1"},
	    {"red, designated floor full", HOUSE(floors_13_full), ON_13,
	     {PEOPLE(1, 0), .risk = RISK_RED}, ROOMS_NO_DESIGNATED_ROOM, ""},
	    {"red family larger than the designated floor", HOUSE(floors), ON_13,
	     {PEOPLE(5, 1), .risk = RISK_RED}, ROOMS_GROUP_TOO_LARGE, ""},
	    {"green, designated floor full: elsewhere", HOUSE(floors_13_full), ON_13,
	     {PEOPLE(1, 0)}, ROOMS_OK, "1201:1+0"},
	    {"green never overflows onto the designated floor", HOUSE(floors_12_full), ON_13,
	     {PEOPLE(1, 0)}, ROOMS_NO_ROOM, ""},
	    {"green member joins the family on the designated floor", HOUSE(families_apart), ON_13,
	     {PEOPLE(1, 0), .group = "R"}, ROOMS_OK, "1301:1+0"},
	    {"red member does not join the family off the designated floor", HOUSE(families_apart),
	     ON_13, {PEOPLE(1, 0), .group = "G", .risk = RISK_RED}, ROOMS_OK, "1302:1+0"},
	};
	/* clang-format on */
	run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static const struct rooms_room cohorts[] = {
    FREE("1101", 11, 2),
    FREE("1102", 11, 2),
    LIVED("1201", 12, 2, 1, D + 3, "X"),
    FREE("1202", 12, 2),
    LIVED("1301", 13, 2, 2, D, "Y"),
    FREE("1302", 13, 2),
};
static const struct rooms_room cohort_tie[] = {
    LIVED("1201", 12, 2, 1, D + 2, "X"),
    FREE("1202", 12, 2),
    LIVED("1301", 13, 2, 2, D, "Y"),
    FREE("1302", 13, 2),
};
static const struct rooms_room cohort_or_fit[] = {
    LIVED("1301", 13, 2, 2, D, "Y"),
    FREE("1302", 13, 2),
    FREE("1401", 14, 1),
};
static const struct rooms_room shared[] = {
    SHARED("1201", 12, 2, 1, D, CATEGORY_INBOUND),
    SHARED("1202", 12, 2, 2, D, CATEGORY_INBOUND),
    SHARED("1203", 12, 3, 1, D, CATEGORY_CLOSE_CONTACT),
    FREE("1204", 12, 2),
};

static const struct rooms_room lone[] = {
    LIVED("1201", 12, 2, 1, D, ""),
    FREE("1202", 12, 2),
};

static void test_cohorts_and_shared(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct choose_case cases[] = {
	    {"same release day: floor 13 before the lower floors", HOUSE(cohorts), {0},
	     {.size = 1, .release_day = D}, ROOMS_OK, "1302:1+0"},
	    {"nearest release day: floor 12", HOUSE(cohorts), {0},
	     {.size = 1, .release_day = D + 2}, ROOMS_OK, "1202:1+0"},
	    {"nearest release day: floor 13", HOUSE(cohorts), {0},
	     {.size = 1, .release_day = D + 1}, ROOMS_OK, "1302:1+0"},
	    {"far from both: the nearer; empty floors last", HOUSE(cohorts), {0},
	     {.size = 1, .release_day = D + 10}, ROOMS_OK, "1202:1+0"},
	    {"equally near: the lower floor", HOUSE(cohort_tie), {0},
	     {.size = 1, .release_day = D + 1}, ROOMS_OK, "1202:1+0"},
	    {"a fitting room before a cohort", HOUSE(cohort_or_fit), {0},
	     {.size = 1, .release_day = D}, ROOMS_OK, "1401:1+0"},
	    {"shared: joins a single of the same category and day", HOUSE(shared),
	     {.shared_rooms = true}, {.size = 1, .release_day = D}, ROOMS_OK, "1201:1+0s"},
	    {"shared off: own room", HOUSE(shared), {0}, {.size = 1, .release_day = D}, ROOMS_OK,
	     "1204:1+0"},
	    {"shared: another day opens a new shared room", HOUSE(shared), {.shared_rooms = true},
	     {.size = 1, .release_day = D + 1}, ROOMS_OK, "1204:1+0s"},
	    {"shared: close contacts together", HOUSE(shared), {.shared_rooms = true},
	     {.size = 1, .category = CATEGORY_CLOSE_CONTACT, .release_day = D}, ROOMS_OK,
	     "1203:1+0s"},
	    {"shared: no room of the category yet", HOUSE(shared), {.shared_rooms = true},
	     {.size = 1, .category = CATEGORY_SECONDARY_CONTACT, .release_day = D}, ROOMS_OK,
	     "1204:1+0s"},
	    {"shared: red never shares", HOUSE(shared), {.shared_rooms = true},
	     {.size = 1, .risk = RISK_RED, .release_day = D}, ROOMS_OK, "1204:1+0"},
	    {"shared: a lone person's own room is not a shared room", HOUSE(lone),
	     {.shared_rooms = true}, {.size = 1, .release_day = D}, ROOMS_OK, "1202:1+0s"},
	    {"shared: the first of a family does not share", HOUSE(shared), {.shared_rooms = true},
	     {.size = 1, .release_day = D, .group = "F"}, ROOMS_OK, "1204:1+0"},
	    {"shared: a couple never shares", HOUSE(shared), {.shared_rooms = true},
	     {.size = 2, .release_day = D}, ROOMS_OK, "1204:2+0"},
	};
	/* clang-format on */
	run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_natural_order(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int sign;
	} cases[] = {
	    {"1203", "1210", -1}, {"1210", "1203", 1},
	    {"9", "10", -1},      {"A9", "A10", -1},
	    {"12A", "12B", -1},   {"12", "12A", -1},
	    {"1203", "1203", 0},  {"007", "7", 1},
	    {"7", "007", -1},     {"", "1", -1},
	    {"B1", "A2", 1},      {"1-10", "1-9", 1},
	    {NULL, "1", -1},      {"1", NULL, 1},
	    {NULL, NULL, 0},      {"99999999999999999999", "100000000000000000000", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int c = rooms_number_compare(cases[i].a, cases[i].b);
		int sign = (c > 0) - (c < 0);
		if (sign != cases[i].sign)
			fail_msg("\"%s\" vs \"%s\": %d", cases[i].a ? cases[i].a : "(null)",
			         cases[i].b ? cases[i].b : "(null)", c);
	}
	static const struct rooms_room unordered[] = {
	    FREE("1210", 12, 2),
	    FREE("1203", 12, 2),
	    FREE("1209", 12, 2),
	};
	static const struct rooms_room with_floor_9[] = {
	    FREE("1210", 12, 2),
	    FREE("1203", 12, 2),
	    FREE("910", 9, 2),
	};
	/* clang-format off */
	static const struct choose_case choose[] = {
	    {"1203 before 1209 and 1210", HOUSE(unordered), {0}, {PEOPLE(1, 0)}, ROOMS_OK,
	     "1203:1+0"},
	    {"floor 9 before floor 12", HOUSE(with_floor_9), {0}, {PEOPLE(1, 0)}, ROOMS_OK,
	     "910:1+0"},
	};
	/* clang-format on */
	run_cases(choose, sizeof(choose) / sizeof(choose[0]));
}

static void test_bad_calls(void **state)
{
	(void)state;
	static const struct rooms_room dup[] = {FREE("1201", 12, 2), FREE("1201", 12, 2)};
	static const struct rooms_room same_number_two_floors[] = {FREE("101", 1, 2),
	                                                           FREE("101", 2, 2)};
	struct rooms_room unterminated[1] = {FREE("1201", 12, 2)};
	memset(unterminated[0].number, '7', sizeof(unterminated[0].number));
	struct rooms_config cfg = {0};
	struct rooms_request req = {PEOPLE(1, 0)};
	struct rooms_assignment a;

	assert_int_equal(rooms_choose(&cfg, HOUSE(dup), &req, &a), -EINVAL);
	assert_int_equal(a.result, ROOMS_OK);
	assert_int_equal(a.count, 0);
	assert_int_equal(rooms_choose(&cfg, HOUSE(same_number_two_floors), &req, &a), 0);
	assert_int_equal(a.count, 1);
	assert_int_equal(rooms_choose(&cfg, unterminated, 1, &req, &a), -EINVAL);
	struct rooms_room odd[1] = {FREE("1201", 12, 2)};
	odd[0].state = ROOM_STATE_COUNT;
	assert_int_equal(rooms_choose(&cfg, odd, 1, &req, &a), -EINVAL);
	odd[0] = (struct rooms_room)FREE("1201", 12, ROOMS_CAPACITY_MAX + 1);
	assert_int_equal(rooms_choose(&cfg, odd, 1, &req, &a), -EINVAL);
	odd[0] = (struct rooms_room)FREE("1201", 12, -1);
	assert_int_equal(rooms_choose(&cfg, odd, 1, &req, &a), -EINVAL);
	odd[0] = (struct rooms_room)LIVED("1201", 12, 2, -1, D, "");
	assert_int_equal(rooms_choose(&cfg, odd, 1, &req, &a), -EINVAL);
	odd[0] = (struct rooms_room)LIVED("1201", 12, 2, 1, INT32_MIN, "");
	assert_int_equal(rooms_choose(&cfg, odd, 1, &req, &a), 0); /* absurd day, no overflow */
	odd[0] = (struct rooms_room)FREE("1201", 12, 0);
	assert_int_equal(rooms_choose(&cfg, odd, 1, &req, &a), 0); /* no beds: never used */
	assert_int_equal(a.result, ROOMS_NO_ROOM);
	assert_int_equal(rooms_choose(NULL, HOUSE(twins), &req, &a), -EINVAL);
	assert_int_equal(rooms_choose(&cfg, NULL, 3, &req, &a), -EINVAL);
	assert_int_equal(rooms_choose(&cfg, HOUSE(twins), NULL, &a), -EINVAL);
	assert_int_equal(rooms_choose(&cfg, HOUSE(twins), &req, NULL), -EINVAL);
	assert_int_equal(rooms_choose(&cfg, twins, -1, &req, &a), -EINVAL);
	assert_int_equal(rooms_choose(&cfg, twins, ROOMS_MAX + 1, &req, &a), -EINVAL);

	static const struct rooms_request bad[] = {
	    {PEOPLE(0, 0)},
	    {PEOPLE(2, 3)},
	    {PEOPLE(2, -1)},
	    {PEOPLE(ROOMS_SIZE_MAX + 1, 0)},
	    {PEOPLE(1, 0), .risk = RISK_COUNT},
	    {PEOPLE(1, 0), .category = CATEGORY_COUNT},
	    {PEOPLE(1, 0), .group = "0123456789012345678901234567890123456789"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rooms_choose(&cfg, HOUSE(twins), &bad[i], &a) != -EINVAL)
			fail_msg("bad request %zu accepted", i);
	cfg.designated_count = ROOMS_FLOORS_MAX + 1;
	assert_int_equal(rooms_choose(&cfg, HOUSE(twins), &req, &a), -EINVAL);
	cfg.designated_count = -1;
	assert_int_equal(rooms_choose(&cfg, HOUSE(twins), &req, &a), -EINVAL);
}

/* xorshift32: the test's own generator, so runs are the same everywhere. */
static uint32_t rnd_state;
static uint32_t rnd(void)
{
	uint32_t x = rnd_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rnd_state = x;
}
static int rnd_below(int n)
{
	return (int)(rnd() % (uint32_t)n);
}
static void shuffle(struct rooms_room *r, int *back, int n)
{
	for (int i = 0; i < n; i++)
		back[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = rnd_below(i + 1);
		struct rooms_room t = r[i];
		r[i] = r[j];
		r[j] = t;
		int b = back[i];
		back[i] = back[j];
		back[j] = b;
	}
}

static void test_order_does_not_matter(void **state)
{
	(void)state;
	static const struct {
		const struct rooms_room *rooms;
		int count;
		struct rooms_config cfg;
		struct rooms_request req;
	} cases[] = {
	    {HOUSE(mixed), {0}, {PEOPLE(5, 2)}},
	    {HOUSE(twins), {0}, {PEOPLE(4, 2)}},
	    {HOUSE(apart), {0}, {PEOPLE(6, 4)}},
	    {HOUSE(cohorts), {0}, {.size = 1, .release_day = D + 1}},
	    {HOUSE(shared), {.shared_rooms = true}, {.size = 1, .release_day = D}},
	    {HOUSE(floors), ON_13, {PEOPLE(4, 2), .risk = RISK_RED}},
	    {HOUSE(many_twins), {0}, {PEOPLE(8, 4)}},
	};
	rnd_state = 0x9e3779b9u;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rooms_assignment want, got;
		char w[200], g[200];
		assert_int_equal(rooms_choose(&cases[i].cfg, cases[i].rooms, cases[i].count,
		                              &cases[i].req, &want),
		                 0);
		assert_int_equal(want.result, ROOMS_OK);
		describe(cases[i].rooms, &want, w, sizeof(w));
		for (int round = 0; round < 50; round++) {
			struct rooms_room copy[16];
			int back[16];
			memcpy(copy, cases[i].rooms, sizeof(copy[0]) * (size_t)cases[i].count);
			shuffle(copy, back, cases[i].count);
			assert_int_equal(
			    rooms_choose(&cases[i].cfg, copy, cases[i].count, &cases[i].req, &got),
			    0);
			if (strcmp(describe(copy, &got, g, sizeof(g)), w))
				fail_msg("case %zu round %d: \"%s\" vs \"%s\"", i, round, g, w);
			/* the same call again gives the same answer, byte for byte */
			struct rooms_assignment again;
			assert_int_equal(rooms_choose(&cases[i].cfg, copy, cases[i].count,
			                              &cases[i].req, &again),
			                 0);
			assert_memory_equal(&got, &again, sizeof(got));
		}
	}
}

/* The largest house a call takes: 4096 rooms, all lived in but the last two. */
static void test_large_house(void **state)
{
	(void)state;
	static struct rooms_room house[ROOMS_MAX];
	for (int i = 0; i < ROOMS_MAX; i++) {
		struct rooms_room *r = &house[ROOMS_MAX - 1 - i]; /* given in reverse */
		r->floor = 1 + i / 100;
		snprintf(r->number, sizeof(r->number), "%d%02d", r->floor, i % 100);
		r->capacity = 2;
		r->state = i < ROOMS_MAX - 2 ? ROOM_OCCUPIED : ROOM_FREE;
		r->occupants = i < ROOMS_MAX - 2 ? 1 : 0;
		r->release_day = D;
		snprintf(r->party, sizeof(r->party), "P%d", i);
	}
	struct rooms_config cfg = {0};
	struct rooms_request req = {PEOPLE(4, 2), .group = "F"};
	struct rooms_assignment a;
	char got[200];
	assert_int_equal(rooms_choose(&cfg, house, ROOMS_MAX, &req, &a), 0);
	assert_string_equal(describe(house, &a, got, sizeof(got)), "4194:1+1 4195:1+1");
	req.size = 5; /* three adults: still two rooms would hold 4 only */
	assert_int_equal(rooms_choose(&cfg, house, ROOMS_MAX, &req, &a), 0);
	assert_int_equal(a.result, ROOMS_NO_ROOM);
}

static void test_apply(void **state)
{
	(void)state;
	struct rooms_room house[sizeof(families_apart) / sizeof(families_apart[0])];
	memcpy(house, families_apart, sizeof(house));
	int n = (int)(sizeof(house) / sizeof(house[0]));
	struct rooms_config cfg = {0};
	struct rooms_request req = {.size = 1, .release_day = D + 5, .group = "G"};
	struct rooms_assignment a;
	assert_int_equal(rooms_choose(&cfg, house, n, &req, &a), 0);
	assert_int_equal(rooms_apply(house, n, &req, &a), 0);
	assert_int_equal(house[0].occupants, 3);
	assert_int_equal(house[0].release_day, D + 5); /* the later one */
	assert_string_equal(house[0].party, "G");

	struct rooms_request single = {.size = 1, .release_day = D + 5}; /* floor 12's day */
	cfg.shared_rooms = true;
	assert_int_equal(rooms_choose(&cfg, house, n, &single, &a), 0);
	assert_string_equal(house[a.place[0].room].number, "1202");
	assert_int_equal(rooms_apply(house, n, &single, &a), 0);
	assert_int_equal(house[1].state, ROOM_OCCUPIED);
	assert_true(house[1].shared);
	assert_int_equal(house[1].release_day, D + 5);
	/* a second single of the same cohort now joins */
	assert_int_equal(rooms_choose(&cfg, house, n, &single, &a), 0);
	assert_int_equal(a.place[0].room, 1);
	struct rooms_assignment keep = a;
	assert_int_equal(rooms_apply(house, n, &single, &a), 0);
	assert_int_equal(house[1].occupants, 2);
	/* applying it once more would overfill: refused, nothing changed */
	struct rooms_room before[sizeof(house) / sizeof(house[0])];
	memcpy(before, house, sizeof(house));
	assert_int_equal(rooms_apply(house, n, &single, &keep), -EINVAL);
	assert_memory_equal(before, house, sizeof(house));
	/* mismatched sizes, bad indexes, a room twice, a non-ok result */
	struct rooms_assignment bad = {.result = ROOMS_OK, .count = 1, .place = {{3, 1, 0, false}}};
	struct rooms_request two = {.size = 2, .release_day = D};
	assert_int_equal(rooms_apply(house, n, &two, &bad), -EINVAL);
	bad.place[0].room = n;
	assert_int_equal(rooms_apply(house, n, &single, &bad), -EINVAL);
	bad = (struct rooms_assignment){
	    .result = ROOMS_OK, .count = 2, .place = {{3, 1, 0, false}, {3, 1, 0, false}}};
	assert_int_equal(rooms_apply(house, n, &two, &bad), -EINVAL);
	bad = (struct rooms_assignment){.result = ROOMS_NO_ROOM};
	assert_int_equal(rooms_apply(house, n, &single, &bad), -EINVAL);
	assert_memory_equal(before, house, sizeof(house));
}

static void test_reasons(void **state)
{
	(void)state;
	assert_int_equal(rooms_result_reason(ROOMS_OK), REASON_OK);
	assert_int_equal(rooms_result_reason(ROOMS_NO_ROOM), REASON_NO_ROOM);
	assert_int_equal(rooms_result_reason(ROOMS_GROUP_TOO_LARGE), REASON_GROUP_TOO_LARGE);
	assert_int_equal(rooms_result_reason(ROOMS_NO_DESIGNATED_ROOM), REASON_NO_DESIGNATED_ROOM);
	assert_int_equal(rooms_result_reason(ROOMS_UNACCOMPANIED_MINOR), REASON_STAFF_REQUIRED);
	assert_string_equal(reason_code(REASON_NO_DESIGNATED_ROOM), "E_NO_DESIGNATED_ROOM");
	assert_string_equal(rooms_result_name(ROOMS_GROUP_TOO_LARGE), "group_too_large");
	assert_string_equal(rooms_result_name(ROOMS_RESULT_COUNT), "?");
}

/* The random run: a house of four floors; parties arrive, some leave, rooms are cleaned.
 * After every step the invariants are checked against a model kept by the test. */
#define R_FLOORS 4
#define R_PER    10
#define R_ROOMS  (R_FLOORS * R_PER)
#define R_PARTY  8 /* parties per room the model can hold */

struct model_room {
	bool shared; /* the first party came in as a shared room's single */
	int parties;
	int party[R_PARTY];  /* party numbers */
	int adults[R_PARTY]; /* of that party in this room */
	int minors[R_PARTY];
	bool single[R_PARTY]; /* the party was a lone adult */
	enum category cat[R_PARTY];
	hk_day release[R_PARTY];
};

struct party_info {
	int size_left_out; /* unused members who may come later */
	enum risk risk;
};

static void check_no_fit_missed(const struct rooms_config *cfg, const struct rooms_room *rooms,
                                const struct rooms_request *req, enum rooms_result res)
{
	bool restricted = rooms_request_restricted(cfg, req);
	int adults = req->size - req->minors;
	for (int i = 0; i < R_ROOMS; i++) {
		const struct rooms_room *r = &rooms[i];
		bool designated = cfg->designated_count && r->floor == cfg->designated[0];
		bool allowed = cfg->designated_count == 0 || designated == restricted;
		if (!allowed)
			continue;
		/* a "no room" answer while an empty allowed room could hold everyone */
		if (adults > 0 && r->state == ROOM_FREE && r->occupants == 0 &&
		    r->capacity >= req->size)
			fail_msg("%s although %s was free", rooms_result_name(res), r->number);
		/* "too large" although one room alone could hold them */
		if (res == ROOMS_GROUP_TOO_LARGE && adults > 0 && r->capacity >= req->size)
			fail_msg("too large although %s has %d beds", r->number, r->capacity);
	}
	if (res == ROOMS_NO_DESIGNATED_ROOM)
		assert_true(restricted);
	if (res == ROOMS_UNACCOMPANIED_MINOR)
		assert_int_equal(adults, 0);
}

static void check_house(const struct rooms_config *cfg, const struct rooms_room *rooms,
                        const struct model_room *model)
{
	for (int i = 0; i < R_ROOMS; i++) {
		const struct rooms_room *r = &rooms[i];
		const struct model_room *m = &model[i];
		int people = 0;
		for (int p = 0; p < m->parties; p++) {
			people += m->adults[p] + m->minors[p];
			if (m->minors[p] > 0 && m->adults[p] == 0)
				fail_msg("room %s: minors of party %d without an adult", r->number,
				         m->party[p]);
		}
		assert_int_equal(people, r->occupants);
		if (r->occupants > r->capacity)
			fail_msg("room %s: %d people in %d beds", r->number, r->occupants,
			         r->capacity);
		if (r->occupants > 0)
			assert_int_equal(r->state, ROOM_OCCUPIED);
		if (m->parties > 1) { /* strangers together: only cohorted singles */
			assert_true(cfg->shared_rooms);
			for (int p = 0; p < m->parties; p++) {
				if (!m->single[p] || m->cat[p] != m->cat[0] ||
				    m->release[p] != m->release[0])
					fail_msg("room %s: strangers who may not share", r->number);
			}
		}
	}
}

static void random_run(uint32_t seed, bool shared_rooms, bool designated)
{
	struct rooms_room rooms[R_ROOMS];
	struct model_room model[R_ROOMS];
	static struct party_info parties[4000];
	struct rooms_config cfg = {.shared_rooms = shared_rooms};
	if (designated) {
		cfg.designated_count = 1;
		cfg.designated[0] = 14;
	}
	rnd_state = seed;
	memset(rooms, 0, sizeof(rooms));
	memset(model, 0, sizeof(model));
	for (int i = 0; i < R_ROOMS; i++) {
		rooms[i].floor = 11 + i / R_PER;
		snprintf(rooms[i].number, sizeof(rooms[i].number), "%d%02d", rooms[i].floor,
		         i % R_PER + 1);
		rooms[i].capacity = 1 + rnd_below(4);
		rooms[i].state = rnd_below(12) == 0 ? ROOM_BLOCKED : ROOM_FREE;
	}
	int nparties = 0, ok = 0, refused = 0, splits = 0, joins = 0;
	int by_result[ROOMS_RESULT_COUNT] = {0};
	hk_day today = D;
	for (int step = 0; step < 1500; step++) {
		if (step % 40 == 0)
			today++;
		/* cleaning finishes; someone leaves */
		for (int i = 0; i < R_ROOMS; i++)
			if (rooms[i].state == ROOM_CLEANING && rnd_below(4) == 0)
				rooms[i].state = ROOM_FREE;
		for (int i = 0; i < R_ROOMS; i++) {
			if (rooms[i].state != ROOM_OCCUPIED || rnd_below(40) != 0)
				continue;
			rooms[i].state = ROOM_CLEANING;
			rooms[i].occupants = 0;
			rooms[i].shared = false;
			rooms[i].party[0] = '\0';
			memset(&model[i], 0, sizeof(model[i]));
		}

		/* someone arrives: a new party, or more of an earlier family */
		struct rooms_request req = {0};
		char group[ROOMS_PARTY_MAX];
		int id;
		if (nparties > 0 && rnd_below(5) == 0) {
			id = nparties - 1 - rnd_below(nparties < 20 ? nparties : 20); /* recent */
			req.size = 1 + (rnd_below(4) == 0);
			req.minors = rnd_below(req.size + 1);
			req.risk = parties[id].risk;
		} else {
			id = nparties++;
			int kind = rnd_below(10);
			req.size = kind < 5 ? 1 : kind < 8 ? 2 + rnd_below(3) : 5 + rnd_below(8);
			req.minors = req.size > 1 ? rnd_below(req.size) : 0;
			req.risk = (enum risk)rnd_below(RISK_COUNT);
			parties[id].risk = req.risk;
		}
		snprintf(group, sizeof(group), "G%d", id);
		req.group = req.size == 1 && rnd_below(2) ? NULL : group; /* some come alone */
		req.category = (enum category)(id % CATEGORY_COUNT);
		req.release_day = today + 14 + rnd_below(2);
		req.designated = rnd_below(20) == 0;

		struct rooms_assignment a, b;
		assert_int_equal(rooms_choose(&cfg, rooms, R_ROOMS, &req, &a), 0);
		/* the same house in another order gives the same rooms */
		struct rooms_room copy[R_ROOMS];
		int back[R_ROOMS];
		memcpy(copy, rooms, sizeof(copy));
		shuffle(copy, back, R_ROOMS);
		assert_int_equal(rooms_choose(&cfg, copy, R_ROOMS, &req, &b), 0);
		assert_int_equal(a.result, b.result);
		assert_int_equal(a.count, b.count);
		for (int p = 0; p < a.count; p++) {
			assert_int_equal(a.place[p].room, back[b.place[p].room]);
			assert_int_equal(a.place[p].adults, b.place[p].adults);
			assert_int_equal(a.place[p].minors, b.place[p].minors);
		}

		if (a.result != ROOMS_OK) {
			assert_int_equal(a.count, 0);
			check_no_fit_missed(&cfg, rooms, &req, a.result);
			by_result[a.result]++;
			refused++;
			continue;
		}
		/* the assignment itself */
		int people = 0, minors = 0;
		bool restricted = rooms_request_restricted(&cfg, &req);
		for (int p = 0; p < a.count; p++) {
			const struct rooms_placement *pl = &a.place[p];
			const struct rooms_room *r = &rooms[pl->room];
			assert_true(r->state == ROOM_FREE || r->state == ROOM_OCCUPIED);
			assert_true(r->occupants + pl->adults + pl->minors <= r->capacity);
			assert_int_equal(r->floor, rooms[a.place[0].room].floor); /* one floor */
			for (int q = 0; q < p; q++)
				assert_int_not_equal(a.place[q].room, pl->room);
			if (pl->minors > 0 && pl->adults == 0) {
				/* only a child joining its own family's room with an adult in it */
				bool adult_there = false;
				for (int k = 0; k < model[pl->room].parties; k++)
					adult_there |= model[pl->room].party[k] == id &&
					               model[pl->room].adults[k] > 0;
				assert_true(adult_there);
			}
			bool designated_floor = designated && r->floor == 14;
			bool own_family = req.group && r->occupants > 0 && !strcmp(r->party, group);
			if (restricted)
				assert_true(designated_floor);
			else if (designated && !own_family)
				assert_false(designated_floor);
			people += pl->adults + pl->minors;
			minors += pl->minors;
		}
		assert_int_equal(people, req.size);
		assert_int_equal(minors, req.minors);
		assert_true(a.count <= req.size - req.minors || a.count == 1);
		splits += a.count > 1;
		joins += rooms[a.place[0].room].occupants > 0;

		/* record it, in the rooms and in the model */
		assert_int_equal(rooms_apply(rooms, R_ROOMS, &req, &a), 0);
		for (int p = 0; p < a.count; p++) {
			struct model_room *m = &model[a.place[p].room];
			int k = 0;
			while (k < m->parties && m->party[k] != id)
				k++;
			if (k == m->parties) {
				assert_true(m->parties < R_PARTY);
				if (m->parties == 0)
					m->shared = a.place[p].shared;
				else if (!m->shared || !a.place[p].shared)
					fail_msg("a stranger put into room %s, not shared",
					         rooms[a.place[p].room].number);
				m->parties++;
				m->party[k] = id;
				m->single[k] = req.size == 1 && req.minors == 0;
				m->cat[k] = req.category;
				m->release[k] = req.release_day;
			} else if (!a.place[p].shared) {
				m->single[k] = false; /* the family grew in its own room */
			}
			m->adults[k] += a.place[p].adults;
			m->minors[k] += a.place[p].minors;
		}
		ok++;
		check_house(&cfg, rooms, model);
	}
	printf("# seed %u: ok %d refused %d splits %d joins %d\n", seed, ok, refused, splits,
	       joins);
	/* the run must have exercised the interesting paths, or it proves little */
	assert_true(ok > 300);
	assert_true(refused > 50);
	assert_true(splits > 10);
	assert_true(joins > 10);
	assert_true(by_result[ROOMS_NO_ROOM] > 0);
	assert_true(by_result[ROOMS_GROUP_TOO_LARGE] > 0);
	assert_true(by_result[ROOMS_UNACCOMPANIED_MINOR] > 0);
	assert_true(!designated || by_result[ROOMS_NO_DESIGNATED_ROOM] > 0);
}

static void test_random_invariants(void **state)
{
	(void)state;
	random_run(12345u, false, false);
	random_run(777u, true, false);
	random_run(4242u, false, true);
	random_run(99u, true, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_singles_and_families),
	    cmocka_unit_test(test_splits),
	    cmocka_unit_test(test_full_house_and_parties),
	    cmocka_unit_test(test_designated_floors),
	    cmocka_unit_test(test_cohorts_and_shared),
	    cmocka_unit_test(test_natural_order),
	    cmocka_unit_test(test_bad_calls),
	    cmocka_unit_test(test_order_does_not_matter),
	    cmocka_unit_test(test_large_house),
	    cmocka_unit_test(test_apply),
	    cmocka_unit_test(test_reasons),
	    cmocka_unit_test(test_random_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
