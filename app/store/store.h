/* app/store/store.h: the station data store: one SQLite schema shared by stationd and every
 * device's local database; typed queries, the check-in transaction and the sync outbox.
 * Schema, migrations and durability are described in docs/store.md.
 *
 * Conventions: actions return 0 or a negative enum store_status; results go to
 * out-parameters. Days are hk_day (stored as "YYYY-MM-DD" text), times are UTC unix
 * seconds given by the caller (the store never reads the clock for a record). Strings in
 * records are fixed NUL-terminated UTF-8 buffers; a value that does not fit is
 * STORE_E_INVALID, never truncated. One struct store is used by one thread at a time. */
#ifndef HK_STORE_H
#define HK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/manifest.h"
#include "app/core/resident.h"
#include "app/core/types.h"

#define STORE_SCHEMA_VERSION 7 /* PRAGMA user_version this build writes */

#define STORE_ID_MAX     64   /* device ids, station ids, badge ids, kids */
#define STORE_ROOM_MAX   16   /* room number "1201" */
#define STORE_SERIAL_MAX 32   /* wristband serial */
#define STORE_TOKEN_MAX  256  /* wristband token text */
#define STORE_HASH_MAX   72   /* briefing version hash, e.g. "sha256:" + hex */
#define STORE_LANG_MAX   16   /* "zh-CN" */
#define STORE_TEXT_MAX   256  /* reasons, notes, details */
#define STORE_KEY_MAX    1024 /* public key text (PEM or base64) */

enum store_status {
	STORE_OK = 0,
	STORE_E_IO = -1,                 /* cannot open, create, read or rename a file */
	STORE_E_CORRUPT = -2,            /* failed the integrity check; file moved aside */
	STORE_E_TOO_NEW = -3,            /* schema newer than this build; file untouched */
	STORE_E_SQL = -4,                /* unexpected SQLite failure; see store_errmsg() */
	STORE_E_NOT_FOUND = -5,          /* no such arrival, room, key, ... */
	STORE_E_EXISTS = -6,             /* a unique value (room number, serial, ...) is taken */
	STORE_E_ALREADY_CHECKED_IN = -7, /* the arrival has an active check-in */
	STORE_E_ROOM_FULL = -8,          /* occupants would exceed capacity */
	STORE_E_ROOM_UNAVAILABLE = -9,   /* room is cleaning or blocked */
	STORE_E_ROOM_OCCUPIED = -10,     /* state change refused while people live there */
	STORE_E_INVALID = -11,           /* argument breaks the contract (too long, bad enum) */
	STORE_E_SEQ = -12,               /* device_seq is not this device's next sequence */
	STORE_E_NO_IDENTITY = -13,       /* the store has no device id yet (store_identity_set) */
	STORE_E_BUSY = -14,              /* locked by another process past the busy timeout */
	STORE_E_NOMEM = -15,             /* out of memory */
	STORE_E_BAD_INPUT = -16,         /* a manifest with bad rows; nothing written */
};

/* Stable English name of a status for logs, e.g. "E_ROOM_FULL"; never NULL. */
const char *store_status_name(int status);

struct store;

struct store_error {
	int code;          /* enum store_status */
	char message[512]; /* English, for logs and the admin's terminal */
};

/* Open (creating if missing) the store at path, check its integrity, and bring its schema
 * up to STORE_SCHEMA_VERSION. Sets WAL, synchronous=FULL, foreign keys, a 5 s busy
 * timeout. A file failing the integrity check (or not a database at all) is renamed to
 * "PATH.corrupt-YYYYMMDDTHHMMSSZ" (with its -wal beside it), a line is logged to stderr,
 * and NULL returned with err->code STORE_E_CORRUPT: the caller decides to start fresh. A
 * file of a newer schema is left alone (STORE_E_TOO_NEW). Returns NULL with *err filled on
 * any failure (err may be NULL). Close with store_close(). */
struct store *store_open(const char *path, struct store_error *err);
void store_close(struct store *st);

/* English detail of the last failure on this handle (SQLite's message); never NULL. */
const char *store_errmsg(const struct store *st);

/* PRAGMA user_version of the open store (STORE_SCHEMA_VERSION after store_open). */
int store_schema_version(struct store *st);

/* Station and device identity. device_id names this store's own records in the outbox;
 * set it once when the device is enrolled (stationctl init, device pairing). */
struct store_identity {
	char station_id[STORE_ID_MAX];
	char device_id[STORE_ID_MAX];
	int64_t next_device_seq; /* the sequence number the next own record gets */
};
int store_identity_get(struct store *st, struct store_identity *out);
/* Sets station and device id; next_device_seq is kept. */
int store_identity_set(struct store *st, const char *station_id, const char *device_id);

/* What a device record (see the outbox section) was written as. */
struct store_written {
	int64_t id;         /* row id in its table */
	int64_t device_seq; /* the sequence number the record carries */
	bool already_had;   /* another device's record this store already held: nothing written */
};

/* ---- arrivals (the manifest) ---- */

/* Insert a; sets a->id. a->id != 0 inserts with that id (replicas copy the station's ids).
 * STORE_E_EXISTS when the same document and expected day is already there. */
int store_arrival_add(struct store *st, struct arrival_record *a);
int store_arrival_get(struct store *st, int64_t id, struct arrival_record *out);
/* The arrival with this health-code subject id; of several, the latest expected day.
 * STORE_E_NOT_FOUND when none. */
int store_arrival_find_subject(struct store *st, const char *subject_id,
                               struct arrival_record *out);
/* Record the health-code subject id computed from the document ("" clears it). */
int store_arrival_set_subject(struct store *st, int64_t id, const char *subject_id);
/* The same for n arrivals in one transaction: all or none. */
int store_arrivals_set_subjects(struct store *st, const int64_t *ids,
                                const char *const *subject_ids, size_t n);
/* Every arrival with this group id, by id. *out is malloc'd; the caller frees it.
 * *n is 0 (and *out NULL) for an unknown or empty group id. */
int store_arrivals_in_group(struct store *st, const char *group_id, struct arrival_record **out,
                            size_t *n);
int store_arrivals_count(struct store *st, size_t *n);
/* Call fn for every arrival, by id; a non-zero return of fn stops and is returned. */
int store_arrivals_each(struct store *st, int (*fn)(const struct arrival_record *a, void *ctx),
                        void *ctx);

/* ---- manifest import ---- */

struct manifest_report {
	/* filled by the import */
	size_t rows;                        /* arrivals written; 0 when refused */
	size_t by_category[CATEGORY_COUNT]; /* of the rows written */
	size_t bad_rows;                    /* rows refused */
	bool had_bom;                       /* UTF-8 with a byte order mark */
	bool from_gb18030;                  /* the text was converted from GB18030 */
	/* set by the caller (may be NULL): told about every bad row, in line order */
	void (*on_error)(void *ctx, size_t line, const char *reason);
	void *ctx;
};

/* Import a manifest CSV (format: docs/manifest.md) all-or-nothing in one transaction.
 * The text is UTF-8 (BOM optional) or, when not valid UTF-8, GB18030. Every bad row is
 * reported through rep->on_error as (line, reason); if any, nothing is written and the
 * result is STORE_E_BAD_INPUT. Also refuses rows already in the store and repeated rows. */
int store_manifest_import(struct store *st, const char *text, size_t len,
                          struct manifest_report *rep);
/* The same, from a file. STORE_E_IO when it cannot be read (errno kept). */
int store_manifest_import_file(struct store *st, const char *path, struct manifest_report *rep);

/* ---- rooms ---- */

#define STORE_ROOM_RELEASES_MAX 16

struct room_info {
	char number[STORE_ROOM_MAX];
	int floor;
	int capacity;
	enum room_state state;
	int occupants;                            /* current occupancy rows */
	int n_releases;                           /* entries in releases[] */
	hk_day releases[STORE_ROOM_RELEASES_MAX]; /* occupants' planned release days, ascending */
};

struct room_spec {
	char number[STORE_ROOM_MAX]; /* "1201" */
	int floor;
	int capacity; /* beds, 1..16 */
};

/* Add n rooms, all or nothing, each free. STORE_E_EXISTS when one is already there (or
 * named twice; *dup set to its index, dup may be NULL); STORE_E_INVALID for an empty
 * number or a capacity outside 1..16. */
int store_rooms_add(struct store *st, const struct room_spec *rooms, size_t n, size_t *dup);
int store_room_get(struct store *st, const char *number, struct room_info *out);
/* Every room by floor, then number. *out is malloc'd; the caller frees it. */
int store_rooms_list(struct store *st, struct room_info **out, size_t *n);
/* Set free, cleaning or blocked: STORE_E_ROOM_OCCUPIED while occupants live there;
 * ROOM_OCCUPIED is set only by a check-in (STORE_E_INVALID here). */
int store_room_set_state(struct store *st, const char *number, enum room_state state);

/* ---- check-in ---- */

struct checkin_timings {     /* milliseconds; -1 when not measured (schema v2) */
	int32_t verify_ms;   /* code scanned -> verdict shown */
	int32_t confirm_ms;  /* verdict -> identity confirmed */
	int32_t briefing_ms; /* briefing shown -> acknowledged */
	int32_t total_ms;    /* first scan -> this commit */
};

struct checkin_record {
	int64_t arrival_id;
	int64_t at;                         /* unix seconds */
	char device_id[STORE_ID_MAX];       /* "" : this store's own device */
	int64_t device_seq;                 /* 0 : this device's next (own records only) */
	char code_result[16];               /* health-code colour verified: green/yellow/red */
	enum reason code_reason;            /* REASON_OK, or why staff approved anyway */
	char briefing_hash[STORE_HASH_MAX]; /* version hash of the text acknowledged */
	char briefing_lang[STORE_LANG_MAX]; /* "zh-CN", "en", ... */
	char room[STORE_ROOM_MAX];
	enum risk risk;                 /* initial risk colour */
	char risk_set_by[STORE_ID_MAX]; /* staff badge id, or "kiosk" */
	hk_day planned_release;
	char wristband_serial[STORE_SERIAL_MAX];
	char wristband_token[STORE_TOKEN_MAX];
	struct checkin_timings timings;
};

struct checkin_result {
	int64_t checkin_id;
	int64_t device_seq; /* the sequence number the record carries */
	bool already_had;   /* a replicated record this store already held: nothing written */
};

/* Check a person in, in ONE durable transaction: the check-in row, the occupancy row, the
 * room state, the wristband row and the outbox row. Own records (device_id "" or this
 * store's) get this device's next sequence number (or must carry exactly it: peek with
 * store_identity_get() to sign a wristband serial first; otherwise STORE_E_SEQ); records of
 * another device keep theirs and, when already held, set res->already_had. Refuses with
 * STORE_E_NOT_FOUND (arrival or room), STORE_E_ALREADY_CHECKED_IN, STORE_E_ROOM_FULL,
 * STORE_E_ROOM_UNAVAILABLE, STORE_E_EXISTS (wristband serial taken), STORE_E_INVALID. On any
 * failure nothing is written. res may be NULL. */
int store_checkin_commit(struct store *st, const struct checkin_record *rec,
                         struct checkin_result *res);
/* The same for a family or group: all n check-ins or none. res has n entries (may be NULL). */
int store_checkin_commit_group(struct store *st, const struct checkin_record *recs, size_t n,
                               struct checkin_result *res);

/* End the active check-in of an arrival at `at` (unix seconds), in one transaction: the
 * check-in becomes "released", its occupancy row is closed, the person's active wristbands
 * become void (reason "released"), the room goes to cleaning once nobody is left in it, and
 * an own audit record (action "release", by actor: a staff badge id) with its outbox row
 * says who did it. STORE_E_NOT_FOUND when the arrival is not checked in. w may be NULL. */
int store_checkin_release(struct store *st, int64_t arrival_id, int64_t at, const char *actor,
                          struct store_written *w);

/* The same for a transfer to hospital (schema v3): the check-in ends with outcome
 * "transferred", bands become void (reason "transferred"), the audit action is "transfer"
 * with note (may be NULL or "") as its detail. */
int store_checkin_transfer(struct store *st, int64_t arrival_id, int64_t at, const char *actor,
                           const char *note, struct store_written *w);
/* Move the planned release of an arrival's active check-in to day, in one transaction with
 * an own audit record (action "set_release", detail the new day, by actor) so the change is
 * synced. STORE_E_NOT_FOUND when not checked in. w may be NULL. */
int store_checkin_set_release(struct store *st, int64_t arrival_id, hk_day day, int64_t at,
                              const char *actor, struct store_written *w);

/* A check-in as stored, with its arrival. */
struct checkin_row {
	int64_t id;
	char state[12]; /* "active", "released", "void" */
	struct checkin_record c;
	struct arrival_record a;
};
/* The active check-in of an arrival; STORE_E_NOT_FOUND when none. */
int store_checkin_active(struct store *st, int64_t arrival_id, struct checkin_row *out);
/* Call fn for every check-in by time, then id; a non-zero return of fn stops and is
 * returned. */
int store_checkins_each(struct store *st, int (*fn)(const struct checkin_row *row, void *ctx),
                        void *ctx);

/* ---- residents: what the security post and the front desk read (schema v3) ---- */

/* A person who has been checked in: the arrival, its latest check-in (the active one if
 * any, else the newest ended one) and what follows from it. */
struct store_resident {
	struct arrival_record a;
	bool psych; /* psychological care flag (station-set, schema v3) */
	int64_t checkin_id;
	int64_t checked_in_at; /* unix seconds */
	enum resident_status status;
	int64_t ended_at;          /* release or transfer time; 0 while in quarantine */
	char room[STORE_ROOM_MAX]; /* the check-in's room */
	int floor;                 /* of that room */
	enum risk risk;            /* current: latest risk change since check-in, else initial */
	enum risk initial_risk;    /* set at check-in */
	hk_day planned_release;    /* as stored (extensions included) */
	char band_serial[STORE_SERIAL_MAX]; /* the active band; "" none */
	int32_t total_ms;                   /* intake time; -1 unknown */
};
/* One resident by arrival id; STORE_E_NOT_FOUND when never checked in. One indexed query. */
int store_resident_get(struct store *st, int64_t arrival_id, struct store_resident *out);

enum store_search_by {
	STORE_SEARCH_ROOM,  /* room number, exact: its current residents (else its latest) */
	STORE_SEARCH_NAME,  /* a fragment of the real name (case-insensitive for ASCII) */
	STORE_SEARCH_BATCH, /* batch, exact */
	STORE_SEARCH_BAND,  /* wristband serial, exact (any state) */
};
/* Arrival ids of checked-in residents matching query, active ones first, then newest
 * check-in; at most max into ids[], *more set when there were more. */
int store_residents_search(struct store *st, enum store_search_by by, const char *query,
                           int64_t *ids, size_t max, size_t *n, bool *more);
/* Set or clear the psychological care flag of an arrival. */
int store_arrival_set_psych(struct store *st, int64_t arrival_id, bool psych);

struct audit_record;
struct risk_change;
struct scan_record;
/* Histories of one arrival, newest first, at most max rows each; *n rows written. */
int store_risk_changes_list(struct store *st, int64_t arrival_id, struct risk_change *out,
                            size_t max, size_t *n);
/* Scans of any band the arrival ever had. */
int store_scans_for_arrival(struct store *st, int64_t arrival_id, struct scan_record *out,
                            size_t max, size_t *n);
/* Audit records with this target and action ("" any action). */
int store_audit_list(struct store *st, const char *target, const char *action,
                     struct audit_record *out, size_t max, size_t *n);

/* Current occupants of every room: one row per person living there now. */
struct store_occupant {
	char room[STORE_ROOM_MAX];
	int64_t arrival_id;
	enum risk risk; /* current, as store_resident_get */
	hk_day planned_release;
};
/* *out malloc'd (caller frees), by room then arrival. */
int store_occupants_list(struct store *st, struct store_occupant **out, size_t *n);

/* ---- figures for reports (stationctl report); times are unix seconds, [from, to) ---- */

/* A stay in the house at one moment: who, since when, the term, and the risk at that moment. */
struct store_stay {
	int64_t arrival_id;
	int64_t checked_in_at;
	char room[STORE_ROOM_MAX];
	enum category category;
	int onsite_days;
	int home_days;
	hk_day planned_release;
	enum risk risk; /* the latest change before t since check-in, else the initial colour */
};
/* Everyone in the house at t (checked in before t, not yet gone at t), by arrival id.
 * *out malloc'd (caller frees). */
int store_stays_at(struct store *st, int64_t t, struct store_stay **out, size_t *n);
/* Check-ins made in [from, to): *count, and their measured intake times (total_ms >= 0)
 * ascending into *ms (malloc'd, caller frees; *n_ms of them). */
int store_intakes_between(struct store *st, int64_t from, int64_t to, size_t *count, int32_t **ms,
                          size_t *n_ms);
/* Check-ins ended in [from, to): released and transferred. */
int store_departures_between(struct store *st, int64_t from, int64_t to, size_t *released,
                             size_t *transferred);
/* Scans in [from, to), and those flagged: amber or red (or, for records without a colour,
 * any result other than REASON_OK). */
int store_scans_between(struct store *st, int64_t from, int64_t to, size_t *all, size_t *flagged);

/* ---- export of a whole table (stationctl export TABLE) ---- */

/* Call fn for the header and every row of table, by rowid: first once with is_header set
 * and the column names in values, then once per row with each column as text
 * (NULL columns as NULL pointers). table must be one of the store's own tables
 * (STORE_E_NOT_FOUND otherwise: nothing outside the schema is read). A non-zero return of
 * fn stops and is returned. */
int store_table_each(struct store *st, const char *table,
                     int (*fn)(bool is_header, int ncols, const char *const *values, void *ctx),
                     void *ctx);

/* ---- outbox: own records not yet pushed (and, on stationd, received ones to forward) ---- */

struct outbox_item {
	int64_t id; /* outbox order */
	char device_id[STORE_ID_MAX];
	int64_t device_seq;
	char kind[24]; /* "checkin", "risk_change", "scan", "audit" */
	char *payload; /* JSON object text; owned by the list */
	int64_t created_at;
};
/* Up to max pending items, oldest first. Free with store_outbox_free(). */
int store_outbox_pending(struct store *st, size_t max, struct outbox_item **items, size_t *n);
void store_outbox_free(struct outbox_item *items, size_t n);
/* Mark the items of device_id ("" : own) with device_seq <= through_seq as sent at now. */
int store_outbox_mark_sent(struct store *st, const char *device_id, int64_t through_seq,
                           int64_t now);
int store_outbox_count(struct store *st, size_t *pending);
/* The station answered `reused` for own records: it holds other records under their seqs (a
 * recreated store numbering from 1 again). In one transaction: mark the own undelivered rows
 * of seqs held[0..n_held) sent at now (the station holds those), then give every other own
 * undelivered row, in outbox order, the seqs base+1, base+2, ..., where base is the larger of
 * after_seq (the station's held_through) and the largest seq this store has taken; the rows
 * naming the old seq (check-ins, wristbands, risk changes, scans, audit lines, waiting
 * check-ins, the payload's device_seq) follow, and the next own record takes the seq after
 * them. *out says what moved. 0 or a negative store status (nothing changed). */
struct store_renumbered {
	size_t renumbered;     /* rows given new seqs */
	int64_t old_first_seq; /* the first of them in outbox order, before and after */
	int64_t first_seq;
};
int store_outbox_renumber(struct store *st, const int64_t *held, size_t n_held, int64_t after_seq,
                          int64_t now, struct store_renumbered *out);

/* ---- other device records: each carries (device_id, device_seq) like a check-in; the
 * written result tells the sequence used and whether it was already held ---- */

struct risk_change {
	int64_t arrival_id;
	int64_t at;
	char device_id[STORE_ID_MAX]; /* "" : own */
	int64_t device_seq;           /* 0 : next own */
	enum risk risk;
	char set_by[STORE_ID_MAX]; /* staff badge id */
	char why[STORE_TEXT_MAX];
};
int store_risk_change_add(struct store *st, const struct risk_change *rc,
                          struct store_written *out);
/* Current risk of an arrival: its latest change, else the active check-in's initial one. */
int store_arrival_risk(struct store *st, int64_t arrival_id, enum risk *out);

struct scan_record {
	int64_t at;
	char device_id[STORE_ID_MAX];
	int64_t device_seq;
	char checkpoint[STORE_ID_MAX]; /* "gate-1", "floor-12" */
	char serial[STORE_SERIAL_MAX]; /* wristband serial read ("" when unreadable) */
	enum reason result;            /* REASON_OK or why the band was refused */
	char colour[8];                /* verdict shown: "green", "amber", "red"; "" unknown (v3) */
};
int store_scan_add(struct store *st, const struct scan_record *s, struct store_written *out);

struct audit_record {
	int64_t at;
	char device_id[STORE_ID_MAX];
	int64_t device_seq;
	char actor[STORE_ID_MAX];  /* badge id of the staff member */
	char action[32];           /* "approve_checkin", "void_wristband", ... */
	char target[STORE_ID_MAX]; /* what it acted on: arrival id, serial, room */
	char detail[STORE_TEXT_MAX];
};
int store_audit_add(struct store *st, const struct audit_record *a, struct store_written *out);

/* ---- wristbands ---- */

enum wristband_state {
	WRISTBAND_ACTIVE,
	WRISTBAND_VOID,
	WRISTBAND_REPLACED
};
struct wristband_info {
	char serial[STORE_SERIAL_MAX];
	int64_t arrival_id;
	char room[STORE_ROOM_MAX];
	int64_t issued_at;
	enum wristband_state state;
	char reason[STORE_TEXT_MAX];
	char token[STORE_TOKEN_MAX];
};
int store_wristband_get(struct store *st, const char *serial, struct wristband_info *out);
/* The active band of an arrival (the latest issued if ever several); STORE_E_NOT_FOUND when
 * the arrival has none. */
int store_wristband_active(struct store *st, int64_t arrival_id, struct wristband_info *out);
/* Mark a band void or replaced with a reason (active -> void/replaced only). */
int store_wristband_set_state(struct store *st, const char *serial, enum wristband_state state,
                              const char *reason);

/* A replacement band (reprint): what store_wristband_replace() writes. */
struct wristband_replacement {
	char old_serial[STORE_SERIAL_MAX]; /* the active band it replaces */
	char serial[STORE_SERIAL_MAX];     /* the new band */
	char token[STORE_TOKEN_MAX];       /* the new band's signed token */
	int64_t device_seq;       /* the own sequence number of the new band's record: exactly the
	                           * next one (peek with store_identity_get() to sign the serial first;
	                           * STORE_E_SEQ otherwise), or 0 for "the next, whatever it is" */
	int64_t at;               /* unix seconds */
	char actor[STORE_ID_MAX]; /* staff badge id */
	char reason[STORE_TEXT_MAX]; /* why: "damaged", "unreadable", "lost", ... */
	/* the print job queued in the same transaction; job_kind "" queues none */
	char job_kind[24];
	const char *job_payload; /* JSON, borrowed */
	char job_printer[STORE_ID_MAX];
};
struct wristband_replaced {
	struct store_written band;  /* the "wristband_void" record (and the new band's seq) */
	struct store_written audit; /* the audit record (action "replace_wristband") */
	int64_t job_id;             /* 0 when no job was queued */
};
/* Replace a band in ONE transaction: the old band (must be active, else STORE_E_NOT_FOUND)
 * becomes "replaced" with r->reason; the new band row (same arrival and room) is written
 * active, carrying the (device_id, device_seq) of an own "wristband_void" record whose
 * outbox row tells the station (and so the security posts) the old serial is void and
 * which serial replaced it; an own audit record says which staff did it; and the print
 * job is queued. STORE_E_EXISTS when the new serial is taken, STORE_E_SEQ (see above),
 * STORE_E_INVALID for empty or long fields. Nothing is written on failure. out may be
 * NULL. */
int store_wristband_replace(struct store *st, const struct wristband_replacement *r,
                            struct wristband_replaced *out);

/* ---- print jobs (device-local queue, schema v2; uncertain, cancelled, reason in v3) ---- */

/* The life of a job (docs/printing.md): queued -> printing -> done | failed | uncertain;
 * failed and uncertain go back to queued when staff retry; queued, failed and uncertain
 * may be cancelled. A job is written "printing" before the printer is spoken to, so one
 * found "printing" when the spooler starts was interrupted and is made uncertain. */
enum print_job_state {
	PRINT_QUEUED,
	PRINT_PRINTING,
	PRINT_DONE,
	PRINT_FAILED,
	PRINT_UNCERTAIN, /* may have printed: never printed again by itself, staff decide */
	PRINT_CANCELLED, /* withdrawn by staff */
	PRINT_STATE_COUNT
};
/* Stable lower-case name: "queued", "printing", "done", "failed", "uncertain", "cancelled";
 * "?" when out of range. */
const char *store_print_job_state_name(enum print_job_state s);

struct print_job {
	int64_t id;
	char kind[24];          /* "wristband", "door", "meal", "sample" */
	char ref[STORE_ID_MAX]; /* what it prints: a wristband serial, a room */
	char *payload;          /* job data (JSON); owned by the job, free with free() */
	enum print_job_state state;
	int attempts;               /* times it went to PRINTING */
	char printer[STORE_ID_MAX]; /* the printer it is on ("primary", "fallback", ...) */
	char error[STORE_TEXT_MAX]; /* English detail of the last failure, for the log */
	enum reason reason;         /* why it last failed; REASON_OK when it has not */
	int64_t created_at;
	int64_t queued_at; /* when it was last queued (added or retried) */
	int64_t updated_at;
};
/* Queue a job (one statement, so one transaction); *id (may be NULL) gets its row id. */
int store_print_job_add(struct store *st, const char *kind, const char *ref, const char *payload,
                        const char *printer, int64_t now, int64_t *id);
/* Oldest queued job into *out (payload malloc'd); STORE_E_NOT_FOUND when none. */
int store_print_job_next(struct store *st, struct print_job *out);
/* A job by id into *out (payload malloc'd); STORE_E_NOT_FOUND when none. */
int store_print_job_get(struct store *st, int64_t id, struct print_job *out);
/* Move a job on; PRINTING counts an attempt; error may be NULL. Unconditional: prefer
 * store_print_job_move(). */
int store_print_job_set_state(struct store *st, int64_t id, enum print_job_state state,
                              const char *error, int64_t now);

/* Move job id from state `from` to `to`, only if it is in `from` (so the spooler and staff
 * on other connections never overwrite each other's step): STORE_E_NOT_FOUND when there is
 * no such job in that state. Sets reason and error (NULL: ""), printer (NULL: kept) and
 * updated_at; PRINTING counts an attempt; QUEUED from FAILED or UNCERTAIN (a staff retry)
 * sets queued_at and restarts the attempt count. */
int store_print_job_move(struct store *st, int64_t id, enum print_job_state from,
                         enum print_job_state to, enum reason reason, const char *error,
                         const char *printer, int64_t now);
/* A staff decision on a job, in one transaction with an own audit record (actor: the staff
 * badge; action "print_retry" or "print_cancel"; target "job:ID"; detail: kind, ref and the
 * state it left). to = PRINT_QUEUED retries a failed or uncertain job (attempts and age
 * start again); to = PRINT_CANCELLED withdraws a queued, failed or uncertain one.
 * STORE_E_NOT_FOUND when the job is in none of those states (done, printing, or already
 * decided); STORE_E_INVALID for another `to` or no actor. w (may be NULL) gets the audit
 * record. */
int store_print_job_decide(struct store *st, int64_t id, enum print_job_state to, const char *actor,
                           int64_t now, struct store_written *w);
/* Put a queued job on another printer (printer names as in print_job.printer).
 * STORE_E_NOT_FOUND when the job is not queued. */
int store_print_job_set_printer(struct store *st, int64_t id, const char *printer, int64_t now);
/* Every job left PRINTING (the spooler stopped while sending) becomes UNCERTAIN with this
 * reason and error, in one transaction; *n (may be NULL) gets how many. */
int store_print_jobs_recover(struct store *st, enum reason reason, const char *error, int64_t now,
                             size_t *n);
/* Jobs whose state bit (1u << state) is in state_mask, oldest first. *out is malloc'd with
 * each payload; free with store_print_jobs_free(). */
int store_print_jobs_list(struct store *st, unsigned state_mask, struct print_job **out, size_t *n);
void store_print_jobs_free(struct print_job *jobs, size_t n);

/* ---- trust: issuer keys, credential revocations, devices, staff badges ---- */

struct issuer_key {
	char kid[STORE_ID_MAX];
	char issuer[STORE_ID_MAX];
	char alg[16]; /* "ES256", "Ed25519", "SM2" */
	char public_key[STORE_KEY_MAX];
	bool demo; /* a demo key: refused unless the device is in demo mode */
	int64_t added_at;
	int64_t revoked_at; /* 0 when in force */
};
int store_issuer_key_add(struct store *st, const struct issuer_key *k);
/* Add n keys in one transaction: all or none (a signer list of hundreds at once). Returns 0
 * or the status of the first row refused (nothing written then). */
int store_issuer_keys_add_all(struct store *st, const struct issuer_key *keys, size_t n);
int store_issuer_key_get(struct store *st, const char *kid, struct issuer_key *out);
int store_issuer_key_revoke(struct store *st, const char *kid, int64_t at);
/* Every key by kid; *out malloc'd, caller frees. */
int store_issuer_keys_list(struct store *st, struct issuer_key **out, size_t *n);

int store_revocation_add(struct store *st, const char *issuer, const char *credential_id,
                         int64_t at, const char *reason);
int store_revocation_has(struct store *st, const char *issuer, const char *credential_id,
                         bool *revoked);
struct revocation_record {
	char issuer[STORE_ID_MAX];
	char credential_id[STORE_TEXT_MAX];
	int64_t revoked_at;
	char reason[STORE_TEXT_MAX];
};
/* Add n revocations in one transaction (one already there is left as it is): all or none.
 * Returns 0 or the status of the first row refused. */
int store_revocations_add_all(struct store *st, const struct revocation_record *rows, size_t n);
/* Every revocation whose credential_id starts with prefix ("" all), by issuer and id;
 * *out malloc'd (NULL when none), caller frees. Returns 0 or a store status. */
int store_revocations_list(struct store *st, const char *prefix, struct revocation_record **out,
                           size_t *n);

struct device_record {
	char id[STORE_ID_MAX];
	char name[STORE_ID_MAX];
	char role[16]; /* "entrance", "security", "frontdesk", "station" */
	char credential_hash[STORE_HASH_MAX];
	int64_t added_at;
	int64_t revoked_at; /* 0 when in force */
};
int store_device_add(struct store *st, const struct device_record *d);
int store_device_get(struct store *st, const char *id, struct device_record *out);
int store_device_revoke(struct store *st, const char *id, int64_t at);
int store_devices_list(struct store *st, struct device_record **out, size_t *n);

struct badge_record {
	char badge_id[STORE_ID_MAX];
	char role[16]; /* "staff", "doctor", "security", "admin" */
	char pin_hash[STORE_HASH_MAX + 64];
	int64_t added_at;
	int64_t revoked_at;
};
int store_badge_add(struct store *st, const struct badge_record *b);
int store_badge_get(struct store *st, const char *badge_id, struct badge_record *out);
/* Add a badge whose PIN (4..12 digits; borrowed, never stored) is kept only as a salted
 * PBKDF2-HMAC-SHA256 hash (app/core/pinhash.h) with a fresh random salt. STORE_E_EXISTS when
 * the badge is there, STORE_E_INVALID for a bad id, role or PIN. */
int store_badge_add_pin(struct store *st, const char *badge_id, const char *role, const char *pin,
                        int64_t now);
/* *ok true when the badge exists, is not revoked and pin matches its hash (constant-time
 * compare; an unknown badge takes as long as a known one). Returns 0 or a store failure. */
int store_badge_check_pin(struct store *st, const char *badge_id, const char *pin, bool *ok);

/* ---- a kiosk's staff PIN lockout, kept across restarts (schema v7) ---- */

struct store_pin_lockout {
	int bad;                 /* bad PINs in a row, >= 0 */
	int64_t locked_until_ms; /* wall clock (unix ms) the lockout ends; 0 none */
	int64_t saved_at_ms;     /* wall clock (unix ms) when saved */
};
/* The lockout state saved for scope ("entrance"); *out all zero when none was saved.
 * Returns 0 or a store failure. */
int store_pin_lockout_get(struct store *st, const char *scope, struct store_pin_lockout *out);
/* Save the lockout state of scope, replacing the last one (one durable write).
 * STORE_E_INVALID for an empty or over-long scope, a negative count or time. */
int store_pin_lockout_set(struct store *st, const char *scope, const struct store_pin_lockout *in);

/* ---- records pushed by other devices, applied on the station (schema v5) ---- */

struct sqlite3;
/* A store on a connection the caller already has open on a store file (stationd's sync
 * backend), so store actions join the caller's transaction: inside it store_begin opens a
 * savepoint. The file must be at STORE_SCHEMA_VERSION (run store_open on it first;
 * STORE_E_INVALID or STORE_E_TOO_NEW otherwise). store_close frees the handle and leaves db
 * open. NULL with *err filled on failure (err may be NULL). */
struct store *store_attach(struct sqlite3 *db, struct store_error *err);

enum store_apply_outcome {
	STORE_APPLIED,        /* written into the store's tables */
	STORE_APPLY_HAD,      /* the store already held this (device, seq): nothing written */
	STORE_APPLY_CONFLICT, /* refused by the conflict rules (docs/sync.md); nothing written */
	STORE_APPLY_HELD,     /* not applicable to the tables (reason: the store status, e.g.
	                       * E_NOT_FOUND for an arrival or band the station does not know,
	                       * E_INVALID for a body lacking fields); the caller keeps it */
};
struct store_applied {
	enum store_apply_outcome outcome;
	char reason[32];                /* conflict: E_ALREADY_CHECKED_IN, E_NO_ROOM, E_NOT_ISSUER;
	                                 * held: a store status name; "" when applied */
	char winner[STORE_ID_MAX + 24]; /* E_ALREADY_CHECKED_IN: "DEVICE/SEQ" of the check-in that
	                                 * holds the person */
};
/* store_apply_record flag: a wristband_void applies only to bands the pushing device issued
 * (the entrance role: reprints of its own check-ins); another device's band is E_NOT_ISSUER. */
#define STORE_APPLY_OWN_BANDS_ONLY 1u
/* store_apply_record flag: the pushing device is a front desk, whose audit records of a
 * release, a transfer ("release"/"transfer", target "arrival:ID") or a new release day
 * ("set_release", detail YYYY-MM-DD) also end or change the station's active check-in. */
#define STORE_APPLY_DESK 2u
/* store_apply_record flag: a record of this store's own device id that the store does not
 * hold (made before the device's store was recreated, pulled back from the station to
 * rebuild it); the store's next device seq moves past it, so new records never reuse it. */
#define STORE_APPLY_OWN_PAST 4u

/* Apply the record (device_id, seq) that another device pushed (kind and body as in its
 * outbox row: "checkin", "scan", "audit", "risk_change", "wristband_void") into the store's
 * tables, inside the caller's transaction if one is open, exactly once: a record already
 * held is STORE_APPLY_HAD. A check-in follows store_checkin_commit: a person already checked
 * in is E_ALREADY_CHECKED_IN (winner set), an unknown, full, cleaning or blocked room is
 * E_NO_ROOM; a check-in without a room (out of leases) is held for the front desk. A
 * wristband_void replaces (or, without replaced_by, voids) an active band. Nothing is written
 * unless the outcome is STORE_APPLIED; the caller records conflicts (store_conflict_add).
 * Returns 0 with *out set, or a failure that is not the record's fault (STORE_E_SQL,
 * STORE_E_BUSY, STORE_E_NOMEM, STORE_E_IO; STORE_E_INVALID for a record naming this store's
 * own device id). */
int store_apply_record(struct store *st, const char *device_id, int64_t seq, const char *kind,
                       const char *body, unsigned flags, struct store_applied *out);

/* A pushed record the station held but did not apply, for staff to resolve in person. */
struct store_conflict {
	int64_t id;
	char device_id[STORE_ID_MAX];
	int64_t device_seq;
	char kind[24];
	char reason[32];
	int64_t arrival_id; /* 0 when the record names none */
	char room[STORE_ROOM_MAX];
	char winner[STORE_ID_MAX + 24];
	int64_t at; /* when the station received it */
};
/* Record a conflict (body: the record's JSON) in the caller's transaction; a second call for
 * the same (device_id, seq) changes nothing. room and winner may be NULL. */
int store_conflict_add(struct store *st, const char *device_id, int64_t seq, const char *kind,
                       const char *reason, int64_t arrival_id, const char *room, const char *winner,
                       int64_t at, const char *body);
/* Unresolved conflicts, oldest first; *out malloc'd (caller frees). */
int store_conflicts_open(struct store *st, struct store_conflict **out, size_t *n);
/* Mark conflict id resolved by actor (a staff badge) with an own audit record
 * (action "resolve_conflict"), in one transaction. STORE_E_NOT_FOUND when not open. */
int store_conflict_resolve(struct store *st, int64_t id, const char *actor, int64_t now);

/* ---- briefing texts (schema v5), published to the devices by stationd ---- */

#define STORE_BRIEFING_MAX 12288 /* bytes of UTF-8: fits a 16 KiB sync change body */

struct store_briefing {
	char lang[STORE_LANG_MAX];
	int64_t version;           /* 1, 2, ... per language */
	char hash[STORE_HASH_MAX]; /* "sha256:" + hex of the text */
	int64_t added_at;
};
/* Add text (len bytes of UTF-8) as the next version of lang's briefing. STORE_E_EXISTS when
 * the latest version already has this text (out tells which), STORE_E_INVALID for an empty,
 * binary, non-UTF-8 or over-long text or a bad language tag. out may be NULL. */
int store_briefing_add(struct store *st, const char *lang, const char *text, size_t len,
                       int64_t now, struct store_briefing *out);
/* The latest version of lang's briefing (added here or pulled from the station) into *out;
 * with text not NULL, also its text (malloc'd, NUL-terminated, the caller frees) and length.
 * STORE_E_NOT_FOUND when the store holds none for lang. */
int store_briefing_latest(struct store *st, const char *lang, struct store_briefing *out,
                          char **text, size_t *len);

/* ---- a device's side of station sync (schema v6, app/store/store_sync.c, docs/sync.md) ---- */

/* One change pulled from the station: (kind, key) names a row, body is its JSON object text;
 * a later seq supersedes an earlier one. Strings borrowed. */
struct store_change {
	int64_t seq;
	const char *kind;
	const char *key;
	const char *body;
};
/* What store_pull_apply did with a batch. */
struct store_pull_result {
	size_t applied;  /* changes written into the store's tables */
	size_t kept;     /* kept only in the `pulled` table: a kind the tables do not hold, an
	                  * own record coming back, or a change the tables refused (an unknown
	                  * key, a malformed body); logged, never retried */
	size_t outdated; /* older than what the store already held: nothing changed */
};
/* Apply n changes into the store's tables and remember cursor and pulled_at (unix seconds,
 * the device's clock) in ONE transaction: room (rooms: floor, capacity, state; a room with
 * people in it here is never set free by the station's view), arrival (the manifest row,
 * upsert by the station's id), risk (a risk change of device "station"), wristband_void by
 * serial (the band becomes void or replaced) and records of other devices by "DEVICE/SEQ"
 * (checkin, risk_change, wristband_void through store_apply_record; a check-in of someone
 * waiting here without a room ends the wait when it applies), issuer_key,
 * revocation ("ISSUER/CREDENTIAL"), briefing (by language and version), badge. Every change
 * is also kept in `pulled` by (kind, key). Applying the same changes again changes nothing.
 * res may be NULL. Returns 0, or a failure not due to a change (STORE_E_BUSY, STORE_E_IO,
 * STORE_E_NOMEM, STORE_E_CORRUPT, STORE_E_SQL) with nothing written. */
int store_pull_apply(struct store *st, const struct store_change *c, size_t n, int64_t cursor,
                     int64_t pulled_at, struct store_pull_result *res);
/* The cursor of the last pull applied (0 at first) and when it was applied (0: never).
 * Either pointer may be NULL. */
int store_pull_state(struct store *st, int64_t *cursor, int64_t *pulled_at);
/* The pulled body of (kind, key) into a malloc'd string the caller frees; STORE_E_NOT_FOUND
 * when none. */
int store_pulled_get(struct store *st, const char *kind, const char *key, char **body);

/* A room the station leased to this device. */
struct store_lease {
	char room[STORE_ROOM_MAX];
	int capacity;
	int64_t expires_at; /* device clock at receipt + the lease's duration */
	bool give_back;     /* returned at the next lease request */
};
/* Replace the leases held by the n the station now lists, in one transaction. */
int store_leases_set(struct store *st, const struct store_lease *l, size_t n);
/* Every lease held, by room; *out malloc'd (caller frees), NULL when none. */
int store_leases_list(struct store *st, struct store_lease **out, size_t *n);
/* The rooms to name in the next lease request's `return`, at most max into rooms[]: those
 * marked give_back, and, when no own check-in waits in the outbox (so the station holds
 * every check-in into them), leased rooms people now live in (the station keeps them out
 * of the free pool; keeping them would hold a lease slot for a room nobody else may use). */
int store_leases_returning(struct store *st, char (*rooms)[STORE_ROOM_MAX], size_t max, size_t *n);
/* Mark a leased room for return. STORE_E_NOT_FOUND when not held. */
int store_lease_give_back(struct store *st, const char *room);
/* Free places in rooms leased to this device, unexpired at now, not marked for return,
 * empty and free here (what the entrance may still assign). */
int store_leases_free_places(struct store *st, int64_t now, int *places);

/* Record own check-ins WITHOUT a room (the device is out of leased rooms; a staff member
 * approved it, approved_by the badge), for n people (a family) all or none: per person an
 * own "checkin" outbox record with room "" and no wristband (the station holds it for the
 * front desk, which assigns the room), an own audit record (action "approve_no_room",
 * target "arrival:ID", by approved_by), and a row in checkins_waiting, in ONE transaction.
 * The room and wristband fields of recs are ignored. STORE_E_ALREADY_CHECKED_IN when an
 * arrival is checked in or already waiting here, STORE_E_NOT_FOUND for an unknown arrival.
 * res (n entries) may be NULL. */
int store_checkin_without_room(struct store *st, const struct checkin_record *recs, size_t n,
                               const char *approved_by, struct checkin_result *res);
/* True in *waiting when the arrival has a room-less check-in waiting here. */
int store_checkin_waiting(struct store *st, int64_t arrival_id, bool *waiting);

#endif
