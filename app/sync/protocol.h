/* app/sync/protocol.h: the one definition of the station sync messages (docs/sync.md),
 * shared by the device client and stationd: JSON encoders and strict decoders (bounded
 * sizes, exact types, required members, unknown members refused). No I/O. */
#ifndef HK_SYNC_PROTOCOL_H
#define HK_SYNC_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYNC_PROTOCOL_VERSION 1
#define SYNC_ID_MAX           64                 /* device id, station id, bytes incl. NUL */
#define SYNC_KIND_MAX         24                 /* record or change kind, incl. NUL */
#define SYNC_ROOM_MAX         16                 /* room number, incl. NUL */
#define SYNC_KEY_MAX          128                /* change key, incl. NUL */
#define SYNC_SECRET_HEX       64                 /* hex digits of a device secret */
#define SYNC_BATCH_MAX        500                /* records per push */
#define SYNC_BODY_MAX         16384              /* a record or change body, serialized bytes */
#define SYNC_REQUEST_MAX      (1024 * 1024)      /* any message, bytes */
#define SYNC_PULL_LIMIT_MAX   1000               /* changes per pull */
#define SYNC_PULL_LIMIT_DEF   200                /* when the query has no limit */
#define SYNC_LEASE_MAX        64                 /* leases wanted, held or returned */
#define SYNC_SEQ_MAX          (INT64_C(1) << 53) /* largest seq or cursor (exact in JSON) */
#define SYNC_TEXT_MAX         256                /* error detail, incl. NUL */

/* Results of every sync function: 0 or one of these. */
enum sync_status {
	SYNC_OK = 0,
	SYNC_E_MALFORMED = -1, /* a message that does not follow docs/sync.md (400) */
	SYNC_E_NOMEM = -2,
	SYNC_E_UNAUTHENTICATED = -3, /* 401 */
	SYNC_E_FORBIDDEN = -4,       /* 403 */
	SYNC_E_BUSY = -5,            /* 503: retry later */
	SYNC_E_INTERNAL = -6,        /* 500 */
	SYNC_E_TOO_LARGE = -7,       /* 413 */
	SYNC_E_NETWORK = -8,         /* no answer (client side) */
	SYNC_E_NOT_FOUND = -9,       /* 404 */
	SYNC_E_METHOD = -10,         /* 405 */
};

/* The error code string of a status for replies and logs, e.g. "E_MALFORMED"; "OK" for 0;
 * never NULL. sync_status_http() gives the HTTP status (200 for 0). */
const char *sync_status_code(int status);
int sync_status_http(int status);
/* The status for an error code string (SYNC_E_INTERNAL when unknown). */
int sync_status_from_code(const char *code);

/* Device roles, as stored in the devices table. */
enum sync_role {
	SYNC_ROLE_ENTRANCE,
	SYNC_ROLE_SECURITY,
	SYNC_ROLE_FRONTDESK,
	SYNC_ROLE_COUNT
};
const char *sync_role_name(enum sync_role r); /* "entrance", ...; "?" when out of range */
bool sync_role_parse(const char *s, enum sync_role *out);
/* May a device of this role push records of this kind / ask for leases? */
bool sync_role_may_push(enum sync_role r, const char *kind);
bool sync_role_may_lease(enum sync_role r);

/* Syntax checks: device id [A-Za-z0-9_-]{1,63}; room [A-Za-z0-9_-]{1,15}; kind [a-z_]{1,23}. */
bool sync_device_id_valid(const char *s);
bool sync_room_valid(const char *s);
bool sync_kind_valid(const char *s);

/* Split an Authorization header value "Bearer DEVICEID.SECRET" into its parts; secret gets
 * the 64 lower-case hex digits. false (outputs undefined) for anything else. */
bool sync_token_parse(const char *header, char device[SYNC_ID_MAX],
                      char secret[SYNC_SECRET_HEX + 1]);

/* ---- messages. Every decoder takes len bytes of text (need not be NUL-terminated),
 * fills *out, and returns 0, or SYNC_E_MALFORMED with an English reason in err (errlen
 * bytes; err may be NULL) and *out empty, or SYNC_E_NOMEM. Decoded messages own their
 * memory: free with the matching *_free (safe on a zeroed or freed struct). Encoders
 * return malloc'd NUL-terminated compact JSON the caller frees, or NULL when out of
 * memory or when the struct breaks the limits above. ---- */

struct sync_record {
	int64_t seq;              /* device sequence number, 1..SYNC_SEQ_MAX */
	char kind[SYNC_KIND_MAX]; /* "checkin", "scan", "audit", "risk_change", ... */
	int64_t at;               /* device wall clock, unix seconds (not trusted) */
	char *body;               /* compact JSON object text, malloc'd */
};

struct sync_push {
	char device[SYNC_ID_MAX];
	struct sync_record *records; /* n entries, malloc'd; seqs distinct */
	size_t n;                    /* 1..SYNC_BATCH_MAX */
};
char *sync_push_encode(const struct sync_push *p);
int sync_push_decode(const char *text, size_t len, struct sync_push *out, char *err, size_t errlen);
void sync_push_free(struct sync_push *p);

enum sync_result {
	SYNC_RESULT_STORED,    /* new, and held */
	SYNC_RESULT_DUPLICATE, /* already held: nothing changed */
	SYNC_RESULT_CONFLICT,  /* new, held, flagged to staff */
	SYNC_RESULT_REUSED,    /* the station holds another record under this (device, seq):
	                        * nothing stored; the device renumbers and sends it again */
	SYNC_RESULT_COUNT
};
const char *sync_result_name(enum sync_result r);

struct sync_push_result {
	int64_t seq;
	enum sync_result status;
};
struct sync_push_reply {
	struct sync_push_result *results; /* n entries, malloc'd */
	size_t n;                         /* 0..SYNC_BATCH_MAX */
	int64_t held_through;             /* every record 1..held_through is held */
};
char *sync_push_reply_encode(const struct sync_push_reply *r);
int sync_push_reply_decode(const char *text, size_t len, struct sync_push_reply *out, char *err,
                           size_t errlen);
void sync_push_reply_free(struct sync_push_reply *r);

struct sync_change {
	int64_t seq;              /* station change sequence, 1..SYNC_SEQ_MAX, increasing */
	char kind[SYNC_KIND_MAX]; /* "room", "arrival", "checkin", "conflict", ... */
	char key[SYNC_KEY_MAX];   /* what it is about; later (kind, key) supersedes */
	char *body;               /* compact JSON object text, malloc'd */
};
struct sync_pull_reply {
	struct sync_change *changes; /* n entries, malloc'd, seq increasing */
	size_t n;                    /* 0..SYNC_PULL_LIMIT_MAX */
	int64_t cursor;              /* pass as since next time */
	bool more;                   /* further changes wait */
};
char *sync_pull_reply_encode(const struct sync_pull_reply *r);
int sync_pull_reply_decode(const char *text, size_t len, struct sync_pull_reply *out, char *err,
                           size_t errlen);
void sync_pull_reply_free(struct sync_pull_reply *r);

/* The pull query values (either may be NULL when absent): since 0..SYNC_SEQ_MAX (default
 * 0), limit 1..SYNC_PULL_LIMIT_MAX (default SYNC_PULL_LIMIT_DEF), decimal digits only. */
int sync_pull_query_parse(const char *since, const char *limit, int64_t *since_out, int *limit_out);

struct sync_lease_request {
	int want;                                     /* rooms to hold, 0..SYNC_LEASE_MAX */
	char returned[SYNC_LEASE_MAX][SYNC_ROOM_MAX]; /* rooms given back */
	int n_returned;
};
char *sync_lease_request_encode(const struct sync_lease_request *r);
int sync_lease_request_decode(const char *text, size_t len, struct sync_lease_request *out,
                              char *err, size_t errlen);

struct sync_lease {
	char room[SYNC_ROOM_MAX];
	int capacity;       /* places, 1..16 */
	int64_t expires_in; /* seconds from receipt, 1..30 days */
};
struct sync_lease_reply {
	struct sync_lease leases[SYNC_LEASE_MAX];
	int n;
	int64_t free_rooms; /* rooms the station could still lease */
};
char *sync_lease_reply_encode(const struct sync_lease_reply *r);
int sync_lease_reply_decode(const char *text, size_t len, struct sync_lease_reply *out, char *err,
                            size_t errlen);

struct sync_error_reply {
	char code[24];              /* "E_MALFORMED", ... */
	char detail[SYNC_TEXT_MAX]; /* English, for logs */
};
char *sync_error_encode(int status, const char *detail);
int sync_error_decode(const char *text, size_t len, struct sync_error_reply *out);

struct sync_health {
	char status[16]; /* "ok" */
	char station[SYNC_ID_MAX];
};
char *sync_health_encode(const struct sync_health *h);
int sync_health_decode(const char *text, size_t len, struct sync_health *out, char *err,
                       size_t errlen);

#endif
