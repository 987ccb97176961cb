/* app/core/rooms.c: room choice. The rooms are put in one total order (floor, natural room
 * number) first, so every later tie falls the same way whatever order the caller used. */
#include "app/core/rooms.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#define NO_COHORT INT_MAX /* floor without residents: farthest from any release day */

/* A candidate's rank: lower is better, compared field by field. */
struct rank {
	int kind;  /* single room: 0 own party, 1 shared, 2 empty; split: 0 neighbours, 1 not */
	int waste; /* beds left unused by this party */
	int dist;  /* days between our release day and the nearest on the floor */
	int pos;   /* position in the sorted order: floor, then room number */
};

static bool rank_better(const struct rank *a, const struct rank *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind;
	if (a->waste != b->waste)
		return a->waste < b->waste;
	if (a->dist != b->dist)
		return a->dist < b->dist;
	return a->pos < b->pos;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int rooms_number_compare(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	while (*a && *b) {
		if (!is_digit(*a) || !is_digit(*b)) {
			if (*a != *b)
				return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
			a++;
			b++;
			continue;
		}
		const char *ra = a, *rb = b; /* the runs, leading zeros included */
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		const char *da = a, *db = b; /* significant digits */
		while (is_digit(*a))
			a++;
		while (is_digit(*b))
			b++;
		if (a - da != b - db)
			return a - da < b - db ? -1 : 1;
		int c = memcmp(da, db, (size_t)(a - da));
		if (c)
			return c < 0 ? -1 : 1;
		if (a - ra != b - rb) /* "7" before "007": same value, keep the order total */
			return a - ra < b - rb ? -1 : 1;
	}
	if (*a == *b)
		return 0;
	return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
}

static int room_compare(const struct rooms_room *x, const struct rooms_room *y)
{
	if (x->floor != y->floor)
		return x->floor < y->floor ? -1 : 1;
	return rooms_number_compare(x->number, y->number);
}

/* Stable bottom-up merge sort of indexes into rooms; tmp has n slots. */
static void sort_rooms(const struct rooms_room *rooms, int *ord, int *tmp, int n)
{
	for (int width = 1; width < n; width *= 2) {
		for (int lo = 0; lo < n; lo += 2 * width) {
			int mid = lo + width < n ? lo + width : n;
			int hi = lo + 2 * width < n ? lo + 2 * width : n;
			int i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = room_compare(&rooms[ord[j]], &rooms[ord[i]]) < 0
				               ? ord[j++]
				               : ord[i++];
			while (i < mid)
				tmp[k++] = ord[i++];
			while (j < hi)
				tmp[k++] = ord[j++];
		}
		memcpy(ord, tmp, sizeof(*ord) * (size_t)n);
	}
}

static bool terminated(const char *s, size_t max)
{
	return strnlen(s, max) < max;
}

static bool room_valid(const struct rooms_room *r)
{
	return terminated(r->number, ROOMS_NUMBER_MAX) && terminated(r->party, ROOMS_PARTY_MAX) &&
	       (unsigned)r->state < ROOM_STATE_COUNT && r->capacity >= 0 &&
	       r->capacity <= ROOMS_CAPACITY_MAX && r->occupants >= 0 &&
	       r->occupants <= ROOMS_CAPACITY_MAX;
}

static bool config_valid(const struct rooms_config *cfg)
{
	return cfg->designated_count >= 0 && cfg->designated_count <= ROOMS_FLOORS_MAX;
}

static bool request_valid(const struct rooms_request *req)
{
	if (req->size < 1 || req->size > ROOMS_SIZE_MAX)
		return false;
	if (req->minors < 0 || req->minors > req->size)
		return false;
	if ((unsigned)req->risk >= RISK_COUNT || (unsigned)req->category >= CATEGORY_COUNT)
		return false;
	return !req->group || terminated(req->group, ROOMS_PARTY_MAX);
}

/* Red/orange or flagged by policy: never shares, goes to designated floors if any. */
static bool needs_care(const struct rooms_request *req)
{
	return req->designated || req->risk >= RISK_ORANGE;
}

bool rooms_request_restricted(const struct rooms_config *cfg, const struct rooms_request *req)
{
	return cfg && req && cfg->designated_count > 0 && needs_care(req);
}

static bool floor_designated(const struct rooms_config *cfg, int floor)
{
	for (int i = 0; i < cfg->designated_count; i++)
		if (cfg->designated[i] == floor)
			return true;
	return false;
}

/* May a new room on this floor be given to this request? */
static bool floor_allowed(const struct rooms_config *cfg, bool restricted, int floor)
{
	if (cfg->designated_count == 0)
		return true;
	return restricted == floor_designated(cfg, floor);
}

static bool room_empty(const struct rooms_room *r)
{
	return r->state == ROOM_FREE && r->occupants == 0 && r->capacity >= 1;
}

static bool room_lived_in(const struct rooms_room *r)
{
	return r->state == ROOM_OCCUPIED && r->occupants >= 1 && r->occupants <= r->capacity;
}

static bool has_group(const struct rooms_request *req)
{
	return req->group && req->group[0];
}

/* The party's own room with space for everyone in the request. */
static bool room_joins_party(const struct rooms_config *cfg, const struct rooms_room *r,
                             const struct rooms_request *req, bool restricted)
{
	if (!has_group(req) || !room_lived_in(r) || r->shared || strcmp(r->party, req->group))
		return false;
	if (restricted && !floor_designated(cfg, r->floor))
		return false; /* a red member joins the family only on a designated floor */
	return r->capacity - r->occupants >= req->size;
}

/* An adult travelling alone: no family who might follow them into their room. */
static bool lone_adult(const struct rooms_request *req)
{
	return req->size == 1 && req->minors == 0 && !has_group(req);
}

/* A shared room of singles of the same cohort with a free bed. */
static bool room_takes_single(const struct rooms_config *cfg, const struct rooms_room *r,
                              const struct rooms_request *req)
{
	if (!cfg->shared_rooms || !lone_adult(req) || needs_care(req))
		return false;
	if (!room_lived_in(r) || !r->shared || r->party[0] || r->occupants >= r->capacity)
		return false;
	return r->category == req->category && r->release_day == req->release_day &&
	       floor_allowed(cfg, false, r->floor);
}

/* Days from our release day to the nearest release day of a resident on rooms
 * ord[lo..hi) (one floor); NO_COHORT if nobody lives there. */
static int floor_cohort_distance(const struct rooms_room *rooms, const int *ord, int lo, int hi,
                                 hk_day release)
{
	int best = NO_COHORT;
	for (int i = lo; i < hi; i++) {
		const struct rooms_room *r = &rooms[ord[i]];
		if (!room_lived_in(r))
			continue;
		int64_t d = (int64_t)r->release_day - release;
		if (d < 0)
			d = -d;
		if (d >= NO_COHORT)
			d = NO_COHORT - 1; /* absurd dates still count as lived in */
		if (d < best)
			best = (int)d;
	}
	return best;
}

static int floor_end(const struct rooms_room *rooms, const int *ord, int lo, int n)
{
	int hi = lo + 1;
	while (hi < n && rooms[ord[hi]].floor == rooms[ord[lo]].floor)
		hi++;
	return hi;
}

/* Best single room for the whole party; its sorted position, or -1. */
static int choose_one_room(const struct rooms_config *cfg, const struct rooms_room *rooms,
                           const int *ord, int n, const struct rooms_request *req, bool restricted,
                           int *kind_out)
{
	struct rank best = {0, 0, 0, -1};
	for (int lo = 0, hi; lo < n; lo = hi) {
		hi = floor_end(rooms, ord, lo, n);
		int dist = floor_cohort_distance(rooms, ord, lo, hi, req->release_day);
		for (int i = lo; i < hi; i++) {
			const struct rooms_room *r = &rooms[ord[i]];
			struct rank k = {0, r->capacity - r->occupants - req->size, dist, i};
			if (room_joins_party(cfg, r, req, restricted))
				k.kind = 0;
			else if (room_takes_single(cfg, r, req))
				k.kind = 1;
			else if (req->minors < req->size && room_empty(r) &&
			         r->capacity >= req->size &&
			         floor_allowed(cfg, restricted, r->floor))
				k.kind = 2;
			else
				continue;
			if (best.pos < 0 || rank_better(&k, &best))
				best = k;
		}
	}
	*kind_out = best.kind;
	return best.pos;
}

/* Positions (in cand[0..m)) of the k largest rooms, earlier first among equals, written to
 * pick[] in sorted order; returns their beds. */
static int pick_largest(const struct rooms_room *rooms, const int *ord, const int *cand, int m,
                        int k, int *pick)
{
	int beds = 0, got = 0;
	for (; got < k; got++) {
		int best = -1;
		for (int c = 0; c < m; c++) {
			bool used = false;
			for (int u = 0; u < got; u++)
				used |= pick[u] == c;
			if (used)
				continue;
			if (best < 0 ||
			    rooms[ord[cand[c]]].capacity > rooms[ord[cand[best]]].capacity)
				best = c;
		}
		pick[got] = best;
		beds += rooms[ord[cand[best]]].capacity;
	}
	/* back into sorted (floor, number) order */
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && pick[j - 1] > pick[j]; j--) {
			int t = pick[j];
			pick[j] = pick[j - 1];
			pick[j - 1] = t;
		}
	return beds;
}

/* Best split of the party over k empty rooms of one floor. On success fills set[0..k) with
 * sorted positions and returns true. cand is scratch of n slots. */
static bool choose_split(const struct rooms_config *cfg, const struct rooms_room *rooms,
                         const int *ord, int n, const struct rooms_request *req, bool restricted,
                         int k, int *cand, int *set)
{
	struct rank best = {0, 0, 0, -1};
	for (int lo = 0, hi; lo < n; lo = hi) {
		hi = floor_end(rooms, ord, lo, n);
		if (!floor_allowed(cfg, restricted, rooms[ord[lo]].floor))
			continue;
		int m = 0;
		for (int i = lo; i < hi; i++)
			if (room_empty(&rooms[ord[i]]))
				cand[m++] = i;
		if (m < k)
			continue;
		int dist = floor_cohort_distance(rooms, ord, lo, hi, req->release_day);
		for (int s = 0; s + k <= m; s++) { /* neighbours: k empty rooms in a row */
			int beds = 0;
			for (int j = s; j < s + k; j++)
				beds += rooms[ord[cand[j]]].capacity;
			struct rank r = {0, beds - req->size, dist, cand[s]};
			if (beds >= req->size && (best.pos < 0 || rank_better(&r, &best))) {
				best = r;
				for (int j = 0; j < k; j++)
					set[j] = cand[s + j];
			}
		}
		int pick[ROOMS_SPLIT_MAX];
		int beds = pick_largest(rooms, ord, cand, m, k, pick);
		struct rank r = {1, beds - req->size, dist, cand[pick[0]]};
		if (beds >= req->size && (best.pos < 0 || rank_better(&r, &best))) {
			best = r;
			for (int j = 0; j < k; j++)
				set[j] = cand[pick[j]];
		}
	}
	return best.pos >= 0;
}

/* Would the party fit if every room it may use stood empty, blocked ones included? Sets
 * *any if it may use any room at all. */
static bool fits_empty_house(const struct rooms_config *cfg, const struct rooms_room *rooms,
                             const int *ord, int n, const struct rooms_request *req,
                             bool restricted, int *cand, bool *any)
{
	int adults = req->size - req->minors;
	int kmax = adults < ROOMS_SPLIT_MAX ? adults : ROOMS_SPLIT_MAX;
	*any = false;
	for (int lo = 0, hi; lo < n; lo = hi) {
		hi = floor_end(rooms, ord, lo, n);
		if (!floor_allowed(cfg, restricted, rooms[ord[lo]].floor))
			continue;
		int m = 0;
		for (int i = lo; i < hi; i++)
			if (rooms[ord[i]].capacity >= 1)
				cand[m++] = i;
		*any |= m > 0;
		if (m == 0 || kmax < 1)
			continue;
		int pick[ROOMS_SPLIT_MAX];
		if (pick_largest(rooms, ord, cand, m, kmax < m ? kmax : m, pick) >= req->size)
			return true;
	}
	return false;
}

/* Spread the party over the rooms at sorted positions set[0..k): one adult in each, then
 * the minors, then the other adults, room by room. */
static void fill_split(const struct rooms_room *rooms, const int *ord, const int *set, int k,
                       const struct rooms_request *req, struct rooms_assignment *out)
{
	int adults = req->size - req->minors - k, minors = req->minors;
	for (int j = 0; j < k; j++) {
		const struct rooms_room *r = &rooms[ord[set[j]]];
		struct rooms_placement *p = &out->place[j];
		int spare = r->capacity - 1;
		p->room = ord[set[j]];
		p->adults = 1;
		p->minors = minors < spare ? minors : spare;
		minors -= p->minors;
		spare -= p->minors;
		int more = adults < spare ? adults : spare;
		p->adults += more;
		adults -= more;
		p->shared = false;
	}
	out->count = k;
}

int rooms_choose(const struct rooms_config *cfg, const struct rooms_room *rooms, int count,
                 const struct rooms_request *req, struct rooms_assignment *out)
{
	int ord[ROOMS_MAX], scratch[ROOMS_MAX];
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!cfg || !req || count < 0 || count > ROOMS_MAX || (count && !rooms))
		return -EINVAL;
	if (!config_valid(cfg) || !request_valid(req))
		return -EINVAL;
	for (int i = 0; i < count; i++) {
		if (!room_valid(&rooms[i]))
			return -EINVAL;
		ord[i] = i;
	}
	sort_rooms(rooms, ord, scratch, count);
	for (int i = 1; i < count; i++)
		if (room_compare(&rooms[ord[i - 1]], &rooms[ord[i]]) == 0)
			return -EINVAL; /* the same room twice: could be given out twice */

	bool restricted = rooms_request_restricted(cfg, req);
	int adults = req->size - req->minors;
	int kind;
	int pos = choose_one_room(cfg, rooms, ord, count, req, restricted, &kind);
	if (pos >= 0) {
		out->result = ROOMS_OK;
		out->count = 1;
		out->place[0] = (struct rooms_placement){
		    .room = ord[pos],
		    .adults = adults,
		    .minors = req->minors,
		    .shared = kind == 1 || (kind == 2 && cfg->shared_rooms && lone_adult(req) &&
		                            !needs_care(req)),
		};
		return 0;
	}
	if (adults == 0) {
		out->result = ROOMS_UNACCOMPANIED_MINOR;
		return 0;
	}
	int kmax = adults < ROOMS_SPLIT_MAX ? adults : ROOMS_SPLIT_MAX;
	for (int k = 2; k <= kmax; k++) {
		int set[ROOMS_SPLIT_MAX];
		if (choose_split(cfg, rooms, ord, count, req, restricted, k, scratch, set)) {
			out->result = ROOMS_OK;
			fill_split(rooms, ord, set, k, req, out);
			return 0;
		}
	}
	bool any;
	if (!fits_empty_house(cfg, rooms, ord, count, req, restricted, scratch, &any) && any)
		out->result = ROOMS_GROUP_TOO_LARGE;
	else if (restricted)
		out->result = ROOMS_NO_DESIGNATED_ROOM;
	else
		out->result = ROOMS_NO_ROOM;
	return 0;
}

int rooms_apply(struct rooms_room *rooms, int count, const struct rooms_request *req,
                const struct rooms_assignment *a)
{
	if (!rooms || !req || !a || a->result != ROOMS_OK || a->count < 1 ||
	    a->count > ROOMS_SPLIT_MAX || !request_valid(req))
		return -EINVAL;
	int people = 0, minors = 0;
	for (int i = 0; i < a->count; i++) {
		const struct rooms_placement *p = &a->place[i];
		if (p->room < 0 || p->room >= count || p->adults < 0 || p->minors < 0 ||
		    p->adults + p->minors < 1)
			return -EINVAL;
		for (int j = 0; j < i; j++)
			if (a->place[j].room == p->room)
				return -EINVAL;
		const struct rooms_room *r = &rooms[p->room];
		bool ok_state = room_empty(r) || room_lived_in(r);
		if (!ok_state || r->occupants + p->adults + p->minors > r->capacity)
			return -EINVAL;
		people += p->adults + p->minors;
		minors += p->minors;
	}
	if (people != req->size || minors != req->minors)
		return -EINVAL;
	for (int i = 0; i < a->count; i++) {
		const struct rooms_placement *p = &a->place[i];
		struct rooms_room *r = &rooms[p->room];
		if (r->occupants == 0 || req->release_day > r->release_day)
			r->release_day = req->release_day;
		r->occupants += p->adults + p->minors;
		r->state = ROOM_OCCUPIED;
		r->category = req->category;
		r->shared = p->shared;
		if (p->shared || !has_group(req))
			r->party[0] = '\0';
		else
			memcpy(r->party, req->group, strlen(req->group) + 1);
	}
	return 0;
}

enum reason rooms_result_reason(enum rooms_result r)
{
	switch (r) {
	case ROOMS_OK:
		return REASON_OK;
	case ROOMS_NO_ROOM:
		return REASON_NO_ROOM;
	case ROOMS_GROUP_TOO_LARGE:
		return REASON_GROUP_TOO_LARGE;
	case ROOMS_NO_DESIGNATED_ROOM:
		return REASON_NO_DESIGNATED_ROOM;
	default:
		return REASON_STAFF_REQUIRED;
	}
}

const char *rooms_result_name(enum rooms_result r)
{
	static const char *const names[ROOMS_RESULT_COUNT] = {
	    "ok", "no_room", "group_too_large", "no_designated_room", "unaccompanied_minor"};
	return (unsigned)r < ROOMS_RESULT_COUNT ? names[r] : "?";
}
