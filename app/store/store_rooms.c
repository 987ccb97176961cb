/* app/store/store_rooms.c: rooms, their state and who lives in them (occupancy rows whose
 * `until` is NULL), as the room chooser and the admin see them. */
#include "app/store/store_internal.h"

#include <stdlib.h>
#include <string.h>

#define ROOM_SELECT                                                                                \
	"SELECT r.number, r.floor, r.capacity, r.state, "                                          \
	"(SELECT count(*) FROM occupancy o WHERE o.room = r.number AND o.until IS NULL) "          \
	"FROM rooms r "

static int room_from_row(sqlite3_stmt *s, struct room_info *r)
{
	char state[16];
	memset(r, 0, sizeof(*r));
	if (store_column_text(s, 0, r->number, sizeof(r->number)) ||
	    store_column_text(s, 3, state, sizeof(state)) || !room_state_parse(state, &r->state))
		return STORE_E_INVALID;
	r->floor = sqlite3_column_int(s, 1);
	r->capacity = sqlite3_column_int(s, 2);
	r->occupants = sqlite3_column_int(s, 4);
	return 0;
}

/* Fill r->releases from the occupants' active check-ins; rel is prepared and reused. */
static int room_releases(struct store *st, sqlite3_stmt *rel, struct room_info *r)
{
	int rc;
	sqlite3_reset(rel);
	store_bind_text(rel, 1, r->number, false);
	r->n_releases = 0;
	while ((rc = sqlite3_step(rel)) == SQLITE_ROW) {
		char day[16];
		hk_day d;
		if (store_column_text(rel, 0, day, sizeof(day)) || !day_parse(day, &d))
			return store_failf(st, STORE_E_INVALID, "bad release day in room %s",
			                   r->number);
		if (r->n_releases < STORE_ROOM_RELEASES_MAX)
			r->releases[r->n_releases++] = d;
	}
	return rc == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
}

static sqlite3_stmt *releases_prepare(struct store *st)
{
	return store_prepare(st, "SELECT c.planned_release FROM occupancy o "
	                         "JOIN checkins c ON c.id = o.checkin_id "
	                         "WHERE o.room = ?1 AND o.until IS NULL AND c.state = 'active' "
	                         "ORDER BY c.planned_release");
}

int store_rooms_add(struct store *st, const struct room_spec *rooms, size_t n, size_t *dup)
{
	for (size_t i = 0; i < n; i++) {
		if (!*rooms[i].number || !store_fits(rooms[i].number, STORE_ROOM_MAX))
			return store_failf(st, STORE_E_INVALID, "room number empty or too long");
		if (rooms[i].capacity < 1 || rooms[i].capacity > 16)
			return store_failf(st, STORE_E_INVALID, "capacity %d outside 1..16",
			                   rooms[i].capacity);
	}
	int status = store_begin(st);
	if (status)
		return status;
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO rooms (number, floor, capacity, state) VALUES (?1, ?2, ?3, 'free')");
	if (!s) {
		status = STORE_E_SQL;
		goto out_rollback;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(s);
		store_bind_text(s, 1, rooms[i].number, false);
		sqlite3_bind_int(s, 2, rooms[i].floor);
		sqlite3_bind_int(s, 3, rooms[i].capacity);
		if (sqlite3_step(s) != SQLITE_DONE) {
			status = store_fail(st, sqlite3_extended_errcode(st->db));
			if (status == STORE_E_EXISTS) {
				store_failf(st, status, "room %s already exists", rooms[i].number);
				if (dup)
					*dup = i;
			}
			goto out_finalize;
		}
	}
	sqlite3_finalize(s);
	status = store_commit(st);
	if (status)
		goto out_rollback;
	return 0;
out_finalize:
	sqlite3_finalize(s);
out_rollback:
	store_rollback(st);
	return status;
}

int store_room_get(struct store *st, const char *number, struct room_info *out)
{
	sqlite3_stmt *s = store_prepare(st, ROOM_SELECT "WHERE r.number = ?1");
	sqlite3_stmt *rel = releases_prepare(st);
	int status = 0;
	if (!s || !rel) {
		status = STORE_E_SQL;
		goto out;
	}
	store_bind_text(s, 1, number, false);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "no room %s", number);
	else if (rc != SQLITE_ROW)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (!(status = room_from_row(s, out)))
		status = room_releases(st, rel, out);
out:
	sqlite3_finalize(rel);
	sqlite3_finalize(s);
	return status;
}

/* A room and its release days; ctx is the prepared release query. */
static int room_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	int status = room_from_row(s, elem);
	return status ? status : room_releases(st, ctx, elem);
}

int store_rooms_list(struct store *st, struct room_info **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s =
	    store_prepare(st, ROOM_SELECT "ORDER BY r.floor, length(r.number), r.number");
	sqlite3_stmt *rel = releases_prepare(st);
	if (!rel) {
		sqlite3_finalize(s);
		return STORE_E_SQL;
	}
	int status = store_read_list(st, s, sizeof(**out), room_row, rel, NULL, (void **)out, n);
	sqlite3_finalize(rel);
	return status;
}

int store_room_set_state(struct store *st, const char *number, enum room_state state)
{
	struct room_info r;
	if (state == ROOM_OCCUPIED || (unsigned)state >= ROOM_STATE_COUNT)
		return store_failf(st, STORE_E_INVALID, "only a check-in makes a room occupied");
	int status = store_begin(st);
	if (status)
		return status;
	status = store_room_get(st, number, &r);
	if (status)
		goto out_rollback;
	if (r.occupants > 0) {
		status = store_failf(st, STORE_E_ROOM_OCCUPIED, "room %s has %d occupants", number,
		                     r.occupants);
		goto out_rollback;
	}
	sqlite3_stmt *s = store_prepare(st, "UPDATE rooms SET state = ?2 WHERE number = ?1");
	if (!s) {
		status = STORE_E_SQL;
		goto out_rollback;
	}
	store_bind_text(s, 1, number, false);
	store_bind_text(s, 2, room_state_name(state), false);
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	if (status)
		goto out_rollback;
	status = store_commit(st);
	if (status)
		goto out_rollback;
	return 0;
out_rollback:
	store_rollback(st);
	return status;
}
