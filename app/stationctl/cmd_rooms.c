/* app/stationctl/cmd_rooms.c: `stationctl rooms add|list|state`: the station's rooms. */
#include "app/stationctl/stationctl.h"

#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define RANGE_MAX 2000 /* rooms one command may add */

static const char usage_add[] =
    "Usage: stationctl rooms add ROOMS... --capacity N [--floor N]\n"
    "Add rooms, all or none. ROOMS are numbers (1201), ranges (1201-1240, A101-A120)\n"
    "or comma lists (1201,1203). A room that exists already refuses the whole command.\n\n"
    "  --capacity N  beds per room, 1..16 (required)\n"
    "  --floor N     floor; default: the number without its last two digits (1201 -> 12)\n";
static const char usage_list[] = "Usage: stationctl rooms list\n"
                                 "Show every room with its state, occupants and the planned\n"
                                 "release days of the people in it.\n";
static const char usage_state[] =
    "Usage: stationctl rooms state ROOM free|cleaning|blocked\n"
    "Set a room's state. Refused while people live there; a check-in makes a room\n"
    "occupied.\n";

/* Split "A1201" into prefix "A" and number 1201 with its digit count. */
static int split_number(const char *s, size_t *prefix_len, long *num, int *digits)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == n || n - i > 9)
		return -1;
	*prefix_len = i;
	*digits = (int)(n - i);
	*num = strtol(s + i, NULL, 10);
	return 0;
}

/* The floor of an all-digit number of 3+ digits (1201 -> 12, 901 -> 9). */
static int floor_of(const char *room, int *floor)
{
	size_t n = strlen(room);
	if (n < 3)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)room[i]))
			return -1;
	*floor = atoi(room) / 100;
	return 0;
}

/* Append the rooms one SPEC names ("1201", "1201-1240") to *list; -1 with a message. A
 * floor of INT_MIN means: derive it from each number. */
static int expand_spec(const char *spec, int floor, int capacity, struct room_spec **list,
                       size_t *n)
{
	char buf[64];
	if (strlen(spec) >= sizeof(buf) || !*spec) {
		fprintf(stderr, "rooms add: room '%s' is empty or too long\n", spec);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	char *dash = strchr(buf, '-');
	const char *from = buf, *to = buf;
	if (dash) {
		*dash = '\0';
		to = dash + 1;
	}
	size_t pa = 0, pb = 0;
	long a = 0, b = 0;
	int da = 0, db = 0;
	if (dash &&
	    (split_number(from, &pa, &a, &da) || split_number(to, &pb, &b, &db) || pa != pb ||
	     strncmp(from, to, pa) != 0 || da != db || a > b || b - a >= RANGE_MAX)) {
		fprintf(stderr,
		        "rooms add: '%s' is not a range like 1201-1240 (same prefix and digit "
		        "count, first <= last, at most %d rooms)\n",
		        spec, RANGE_MAX);
		return -1;
	}
	long count = dash ? b - a + 1 : 1;
	struct room_spec *grown = realloc(*list, (*n + (size_t)count) * sizeof(**list));
	if (!grown)
		return -1;
	*list = grown;
	for (long k = 0; k < count; k++) {
		struct room_spec *r = &(*list)[*n];
		char room[80];
		int len = dash ? snprintf(room, sizeof(room), "%.*s%0*ld", (int)pa, from, da, a + k)
		               : snprintf(room, sizeof(room), "%s", from);
		if (len < 0 || len >= STORE_ROOM_MAX) {
			fprintf(stderr, "rooms add: room '%s' is longer than %d characters\n", room,
			        STORE_ROOM_MAX - 1);
			return -1;
		}
		memcpy(r->number, room, (size_t)len + 1);
		r->capacity = capacity;
		r->floor = floor;
		if (floor == INT_MIN && floor_of(room, &r->floor)) {
			fprintf(stderr, "rooms add: give --floor (cannot tell the floor of %s)\n",
			        room);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int rooms_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"floor", required_argument, NULL, 'f'},
	    {"capacity", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	int floor = INT_MIN, capacity = 0, c, status = CTL_USAGE;
	struct room_spec *rooms = NULL;
	size_t n = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_int(optarg, -9, 999, &floor)) {
				fprintf(stderr, "rooms add: --floor '%s' is not a floor number\n",
				        optarg);
				goto out_usage;
			}
			break;
		case 'c':
			if (parse_int(optarg, 1, 16, &capacity)) {
				fprintf(stderr, "rooms add: --capacity '%s' is not 1..16\n",
				        optarg);
				goto out_usage;
			}
			break;
		case 'h':
			fputs(usage_add, stdout);
			return CTL_OK;
		default:
			goto out_usage;
		}
	}
	if (optind >= argc || !capacity) {
		fprintf(stderr, "rooms add: %s\n",
		        optind >= argc ? "no rooms given" : "--capacity is required");
		goto out_usage;
	}
	for (int i = optind; i < argc; i++) {
		char *save = NULL, *copy = strdup(argv[i]);
		if (!copy)
			goto out_free;
		for (char *tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (expand_spec(tok, floor, capacity, &rooms, &n)) {
				free(copy);
				goto out_usage;
			}
		}
		free(copy);
	}
	struct store *st = ctl_store_open(ctl, 1);
	status = CTL_FAILED;
	if (!st)
		goto out_free;
	size_t dup = 0;
	int rc = store_rooms_add(st, rooms, n, &dup);
	if (rc == STORE_E_EXISTS)
		fprintf(stderr, "rooms add: room %s already exists; no rooms added\n",
		        rooms[dup].number);
	else if (rc)
		fprintf(stderr, "rooms add: %s [%s]; no rooms added\n", store_errmsg(st),
		        store_status_name(rc));
	else
		printf("added %zu room%s, %d bed%s each\n", n, n == 1 ? "" : "s", capacity,
		       capacity == 1 ? "" : "s");
	store_close(st);
	status = rc ? CTL_FAILED : CTL_OK;
	goto out_free;
out_usage:
	fputs(usage_add, stderr);
	status = CTL_USAGE;
out_free:
	free(rooms);
	return status;
}

static int rooms_list(struct ctl *ctl, int argc, char **argv)
{
	if (ctl_wants_help(argc, argv)) {
		fputs(usage_list, stdout);
		return CTL_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "rooms list: unexpected argument '%s'\n", argv[1]);
		fputs(usage_list, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	struct room_info *rooms;
	size_t n;
	int rc = store_rooms_list(st, &rooms, &n);
	if (rc) {
		fprintf(stderr, "rooms list: %s [%s]\n", store_errmsg(st), store_status_name(rc));
		store_close(st);
		return CTL_FAILED;
	}
	int by_state[ROOM_STATE_COUNT] = {0}, beds = 0, taken = 0;
	printf("%-8s %5s  %-9s %5s  %s\n", "room", "floor", "state", "beds", "release days");
	for (size_t i = 0; i < n; i++) {
		const struct room_info *r = &rooms[i];
		char occ[16], day[11];
		snprintf(occ, sizeof(occ), "%d/%d", r->occupants, r->capacity);
		printf("%-8s %5d  %-9s %5s", r->number, r->floor, room_state_name(r->state), occ);
		for (int k = 0; k < r->n_releases; k++)
			printf("%s%s", k ? " " : "  ", day_format(r->releases[k], day));
		printf("\n");
		by_state[r->state]++;
		beds += r->capacity;
		taken += r->occupants;
	}
	printf("%zu rooms: %d free, %d occupied, %d cleaning, %d blocked; %d of %d beds taken\n", n,
	       by_state[ROOM_FREE], by_state[ROOM_OCCUPIED], by_state[ROOM_CLEANING],
	       by_state[ROOM_BLOCKED], taken, beds);
	free(rooms);
	store_close(st);
	return CTL_OK;
}

static int rooms_state(struct ctl *ctl, int argc, char **argv)
{
	enum room_state state;
	if (ctl_wants_help(argc, argv)) {
		fputs(usage_state, stdout);
		return CTL_OK;
	}
	if (argc != 3 || !room_state_parse(argv[2], &state) || state == ROOM_OCCUPIED) {
		fprintf(stderr, "rooms state: give a room and one of free, cleaning, blocked\n");
		fputs(usage_state, stderr);
		return CTL_USAGE;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		return CTL_FAILED;
	int rc = store_room_set_state(st, argv[1], state);
	if (rc)
		fprintf(stderr, "rooms state: %s [%s]\n", store_errmsg(st), store_status_name(rc));
	else
		printf("room %s is now %s\n", argv[1], room_state_name(state));
	store_close(st);
	return rc ? CTL_FAILED : CTL_OK;
}

static int run_rooms(struct ctl *ctl, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		ctl_usage(&ctl_cmd_rooms, argc < 2 ? stderr : stdout);
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (strcmp(argv[1], "add") == 0)
		return rooms_add(ctl, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return rooms_list(ctl, argc - 1, argv + 1);
	if (strcmp(argv[1], "state") == 0)
		return rooms_state(ctl, argc - 1, argv + 1);
	fprintf(stderr, "rooms: unknown subcommand '%s'\n", argv[1]);
	ctl_usage(&ctl_cmd_rooms, stderr);
	return CTL_USAGE;
}

const struct ctl_command ctl_cmd_rooms = {
    .name = "rooms",
    .summary = "add rooms, list them, set a room's state",
    .usage = "Usage: stationctl rooms add ROOMS... --capacity N [--floor N]\n"
             "       stationctl rooms list\n"
             "       stationctl rooms state ROOM free|cleaning|blocked\n"
             "`stationctl rooms SUBCOMMAND --help` tells more.\n",
    .run = run_rooms,
};
