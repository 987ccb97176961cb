/* app/store/store_internal.h: what the store's files share and nobody else sees: the handle,
 * statement and transaction helpers, sequence numbers and the outbox writer. */
#ifndef HK_STORE_INTERNAL_H
#define HK_STORE_INTERNAL_H

#include <sqlite3.h>

#include "app/store/store.h"

struct store {
	sqlite3 *db;
	char path[4096];
	char errmsg[512];
	bool borrowed; /* db belongs to the caller (store_attach): store_close leaves it open */
	int nested;    /* savepoints opened by store_begin inside the caller's transaction */
	bool own_past; /* store_apply_record(STORE_APPLY_OWN_PAST) is writing an own record made
	                * before this store existed: it takes no seq and writes no outbox row */
};

/* One schema step: applied in its own transaction when user_version < version. */
struct store_migration {
	int version; /* user_version after this step */
	const char *sql;
};
/* The list readers' loop. Steps s (prepared and bound; finalized here in every case) to its
 * end with one element of size bytes per row: row() fills a zeroed element and returns 0,
 * STORE_ROW_SKIP to leave the row out, or a STORE_E_* that ends the read. 0 with the list
 * in *out (free()) and its length in *n, or the error with nothing kept: drop (may be NULL)
 * frees what row() put in each element it touched. */
#define STORE_ROW_SKIP 1
typedef int store_row_fn(struct store *st, sqlite3_stmt *s, void *elem, void *ctx);
int store_read_list(struct store *st, sqlite3_stmt *s, size_t size, store_row_fn *row, void *ctx,
                    void (*drop)(void *elem), void **out, size_t *n);

extern const struct store_migration store_migrations[];
extern const size_t store_migrations_count;

/* Map a SQLite result to a store status and remember SQLite's message. */
int store_fail(struct store *st, int sqlite_rc);
/* Remember an English message and return code. */
int store_failf(struct store *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepare a constant statement; NULL on failure (message kept). */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* BEGIN IMMEDIATE; inside a transaction the caller already holds (a store attached to
 * stationd's connection applying a pushed record), a SAVEPOINT that store_commit releases
 * and store_rollback undoes, so every store action composes into the caller's transaction. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* Bind a NUL-terminated text, or NULL when s is empty and empty_null is set. */
int store_bind_text(sqlite3_stmt *s, int i, const char *text, bool empty_null);
/* Copy column i into dst[size]; "" for NULL. STORE_E_INVALID when it does not fit. */
int store_column_text(sqlite3_stmt *s, int i, char *dst, size_t size);

/* True when s fits (with its NUL) in a buffer of size bytes. */
bool store_fits(const char *s, size_t size);

/* Decide the (device_id, device_seq) of a new record inside the caller's transaction: own
 * records (device_id "" or this store's) take the next sequence number, or must carry
 * exactly it; foreign ones keep theirs (must be > 0). Writes the device id used into
 * dev[STORE_ID_MAX] and sets *own. */
int store_seq_take(struct store *st, const char *device_id, int64_t device_seq,
                   char dev[STORE_ID_MAX], int64_t *seq, bool *own);

/* Append an outbox row (payload: JSON text) inside the caller's transaction. */
int store_outbox_add(struct store *st, const char *device_id, int64_t device_seq, const char *kind,
                     const char *payload, int64_t created_at);

/* Append an own audit record (with its sequence number and outbox row) inside the caller's
 * transaction. */
int store_audit_append_own(struct store *st, const char *actor, const char *action,
                           const char *target, const char *detail, int64_t at,
                           struct store_written *w);

/* The rows of ending an arrival's active check-in as outcome ("released", "transferred") in
 * the caller's transaction: check-in state and outcome, occupancy closed at `at`, active
 * bands void, the room to cleaning when empty. No audit record. room (may be NULL) gets the
 * check-in's room. STORE_E_NOT_FOUND when not checked in. */
int store_checkin_end_rows(struct store *st, int64_t arrival_id, int64_t at, const char *outcome,
                           char room[STORE_ROOM_MAX]);

/* A check-in the station ended ("checkin_end" change, docs/sync.md), applied inside the
 * caller's transaction: the check-in (device_id, seq) held here becomes released,
 * transferred or void, its occupancy row is closed at the body's "at" (now when null), and a
 * room left empty takes the state the station last published for it (`pulled`), else
 * cleaning. Wristbands are left to the station's own wristband_void changes. *applied true
 * when the check-in is held here and now ended (also when it already was: a repeat changes
 * nothing); false with 0 when it is not held here (yet). STORE_E_INVALID for a malformed
 * body or one naming another arrival or room than the check-in held under that key. */
int store_checkin_end_apply(struct store *st, const char *device_id, int64_t seq, const char *body,
                            int64_t now, bool *applied);

#define STORE_ARRIVAL_COLUMNS                                                                      \
	"id, batch, name, doc_type, doc_number, nationality, phone, category, onsite_days, "       \
	"home_days, group_id, elderly, child, pregnant, dietary, notes, expected_day, "            \
	"subject_id"
#define STORE_ARRIVAL_COLUMNS_A                                                                    \
	"a.id, a.batch, a.name, a.doc_type, a.doc_number, a.nationality, a.phone, "                \
	"a.category, a.onsite_days, a.home_days, a.group_id, a.elderly, a.child, "                 \
	"a.pregnant, a.dietary, a.notes, a.expected_day, a.subject_id"
#define STORE_ARRIVAL_NCOLUMNS 18

/* Fill *a from a row selected with STORE_ARRIVAL_COLUMNS(_A) starting at column first. */
int store_arrival_from_row(sqlite3_stmt *s, int first, struct arrival_record *a);

#endif
