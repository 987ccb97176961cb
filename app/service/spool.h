/* app/service/spool.h: the print spooler: jobs queued in the SQLite store are laid out and
 * printed in order on a thread of its own, every step recorded before and after the
 * printer is spoken to, so a job is never printed twice by accident; staff see, retry and
 * cancel what did not print; a wristband reprint voids the old token. docs/printing.md. */
#ifndef HK_SERVICE_SPOOL_H
#define HK_SERVICE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/types.h"
#include "app/core/wristband.h"
#include "app/store/store.h"
#include "drivers/printer/label.h"

/* ---- the job payload: what print_jobs.payload holds ---- */

#define SPOOL_TEXT_MAX 128 /* a display-ready field, bytes with the NUL */

/* Display-ready, already masked fields of one label: never an ID number or a full name.
 * As JSON (version 1, docs/printing.md):
 *   {"v":1,"kind":"wristband","lang":"zh","room":"1208","name":"张*明",
 *    "release":"2026-12-13","risk":"red","token":"HKW1....","copies":1,
 *    "occupants":["张*明"],"care":false,"diet":["halal"],"diet_note":"",
 *    "sample_id":"","date":""}
 * Empty strings, empty lists, false and 0 are left out when encoding. */
struct spool_payload {
	enum label_kind kind;
	enum label_lang lang;
	char room[STORE_ROOM_MAX];
	char name[SPOOL_TEXT_MAX];         /* masked */
	char release[11];                  /* "YYYY-MM-DD" */
	enum risk risk;                    /* wristband and door marker */
	char token[STORE_TOKEN_MAX];       /* QR content */
	char occupants[4][SPOOL_TEXT_MAX]; /* door: masked names */
	bool care;                         /* door: the care heart */
	unsigned diet;                     /* meal: LABEL_DIET_* */
	char diet_note[SPOOL_TEXT_MAX];
	char sample_id[64];
	char date[11];
	int copies; /* 1..9; 0 is taken as 1 */
};

/* Stable names of label kinds and languages in payloads and print_jobs.kind: "wristband",
 * "door", "meal", "sample"; "zh", "en", "both". "?" when out of range. */
const char *spool_kind_name(enum label_kind k);
bool spool_kind_parse(const char *s, enum label_kind *out);
const char *spool_lang_name(enum label_lang l);

/* JSON text of p into *json (malloc'd, the caller frees). 0, -EINVAL (a field out of range),
 * -ENOMEM. */
int spool_payload_encode(const struct spool_payload *p, char **json);
/* Parse a payload; every field is checked (kind, lang, risk, lengths, known diet words).
 * 0 or -EINVAL. */
int spool_payload_decode(const char *json, struct spool_payload *out);
/* The label fields of a payload; the strings point into p, which must outlive out. */
void spool_payload_fields(const struct spool_payload *p, struct label_fields *out);

/* ---- the spooler ---- */

/* What happened to a job, as the completion callback tells it. */
enum spool_outcome {
	SPOOL_PRINTED,   /* handed over completely to the printer */
	SPOOL_WAITING,   /* first failure of a job that will be retried (once per job): tell
	                  * the person to collect the band at the front desk */
	SPOOL_MOVED,     /* moved to the fallback printer */
	SPOOL_FAILED,    /* gave up (attempts or age): waits for staff in the pending list */
	SPOOL_UNCERTAIN, /* may have printed (PARTIAL, or found "printing" at start): staff */
	SPOOL_OUTCOME_COUNT
};
/* "printed", "waiting", "moved", "failed", "uncertain". */
const char *spool_outcome_name(enum spool_outcome o);

struct spool_result {
	int64_t job_id;
	char kind[24];          /* print_jobs.kind */
	char ref[STORE_ID_MAX]; /* print_jobs.ref: a wristband serial, a room */
	enum spool_outcome outcome;
	enum reason reason;  /* REASON_OK when printed; REASON_PAPER_OUT, _PRINTER_OFFLINE, ... */
	const char *printer; /* "primary" or "fallback" */
	int attempts;        /* sends so far */
	int err;             /* the printer's last result: 0, PRINTER_E_* or -errno */
};

/* Called on the spool thread for every outcome; it must not block (the kiosk turns it into
 * a UI event). */
typedef void (*spool_notify_fn)(const struct spool_result *r, void *ctx);

struct spool_config {
	const char *store_path; /* the spool opens its own connection (never shared) */
	const char *primary;    /* printer spec (printer_open) */
	const char *fallback;   /* printer spec, or NULL/"" for none */
	struct label_kit *kit;  /* borrowed; used only by the spool thread until spool_close() */
	/* the media of each kind (dpi 0: label_spec_default()); lang is the payload's */
	struct label_spec media[LABEL_KIND_COUNT];
	int max_attempts;   /* sends that failed before a job fails; 0: 5 */
	int max_age_s;      /* a job queued longer than this fails; 0: 600 */
	int fallback_after; /* failures (sends or status checks) on the primary before a job
	                     * moves to the fallback; 0: 3 */
	int backoff_ms;     /* first wait after a failure, doubled up to backoff_max_ms; 0: 500 */
	int backoff_max_ms; /* 0: 15000 */
	int idle_ms;        /* how often the queue is read when nobody calls spool_kick; 0: 1000 */
	spool_notify_fn notify; /* may be NULL */
	void *ctx;
};

struct spool;

/* Open the store and both printers, then start the thread. The thread first marks every
 * job left "printing" (a crash while sending) as uncertain (notified as SPOOL_UNCERTAIN),
 * then prints queued jobs oldest first. NULL with *err (may be NULL) set to a negative
 * store status or -errno (-EINVAL: bad config or printer spec). Stop with spool_close(). */
struct spool *spool_open(const struct spool_config *cfg, int *err);
/* Wake the thread: a job was queued (or retried) on another connection. */
void spool_kick(struct spool *s);
/* Stop after the job being sent (a send is never cut), join, close. A queued job stays
 * queued for the next start. NULL is ignored. */
void spool_close(struct spool *s);

/* ---- queueing: each helper is one store transaction on the caller's connection ---- */

/* Queue the wristband of an arrival's active check-in: its active band's serial and token,
 * masked name, room, planned release, current risk. ref = the serial. STORE_E_NOT_FOUND
 * when not checked in or without an active band. job_id may be NULL. */
int spool_submit_wristband(struct store *st, int64_t arrival_id, enum label_lang lang, int64_t now,
                           int64_t *job_id);
/* Queue a room's door label: masked names of the people checked in there (at most 4),
 * the latest planned release, the highest risk; token is the QR text (a room token).
 * ref = the room. */
int spool_submit_door(struct store *st, const char *room, const char *token, bool care,
                      enum label_lang lang, int64_t now, int64_t *job_id);
/* Queue any payload the caller built (meal, sample tube); ref says what it prints. */
int spool_submit(struct store *st, const struct spool_payload *p, const char *ref, int64_t now,
                 int64_t *job_id);

/* ---- the front desk ---- */

struct spool_pending {
	int64_t job_id;
	char kind[24];
	char ref[STORE_ID_MAX];
	enum print_job_state state; /* PRINT_QUEUED, PRINT_FAILED or PRINT_UNCERTAIN */
	enum reason reason;         /* why it last failed (REASON_OK: not yet tried) */
	char printer[STORE_ID_MAX];
	int attempts;
	int64_t age_s; /* since it was (last) queued */
};
/* Queued, failed and uncertain jobs, oldest first, into *out (malloc'd, caller frees). */
int spool_pending(struct store *st, int64_t now, struct spool_pending **out, size_t *n);
/* Staff (actor: badge id, audited in the same transaction): print a failed or uncertain
 * job again (same label, same token: for an uncertain wristband only after seeing it did
 * not come out; otherwise reprint). STORE_E_NOT_FOUND when the job is not failed or
 * uncertain. Call spool_kick() after. */
int spool_retry(struct store *st, int64_t job_id, const char *actor, int64_t now);
/* Staff, audited: withdraw a queued, failed or uncertain job. STORE_E_NOT_FOUND otherwise. */
int spool_cancel(struct store *st, int64_t job_id, const char *actor, int64_t now);

/* ---- reprint ---- */

struct spool_reprint {
	int64_t arrival_id;
	const char *actor;                       /* staff badge id */
	const char *reason;                      /* "damaged", "unreadable", "lost" */
	const struct wristband_private_key *key; /* the station's signing key, borrowed */
	enum label_lang lang;
	int64_t now;         /* unix seconds */
	int32_t tz_offset_s; /* the station's zone (China: 8 * 3600), for the issue day */
};
struct spool_reprinted {
	char serial[STORE_SERIAL_MAX]; /* the new band */
	char token[STORE_TOKEN_MAX];
	char old_serial[STORE_SERIAL_MAX];
	int64_t job_id;
};
/* Replace the arrival's active band and queue its print, in ONE store transaction
 * (store_wristband_replace): the old band "replaced", a new serial (48 random bits, as
 * check-ins take them, so offline devices never collide) signed with key for the store's
 * station, the new band row, the wristband_void and audit records, the print job.
 * STORE_E_NOT_FOUND when the arrival is not checked in or has no active band;
 * STORE_E_INVALID when the station id or room cannot go into a token; -EIO when signing
 * fails. out may be NULL. Call spool_kick() after. */
int spool_reprint_wristband(struct store *st, const struct spool_reprint *req,
                            struct spool_reprinted *out);

#endif
