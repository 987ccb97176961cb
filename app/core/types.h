/* app/core/types.h: the vocabulary every part of the project shares: categories, risk
 * colours, room states, refusal reasons, and calendar days. Pure: no I/O, no clock. */
#ifndef HK_CORE_TYPES_H
#define HK_CORE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* Why a person is in quarantine; decides the term (see policy.h). */
enum category {
	CATEGORY_INBOUND,           /* arrived from abroad through a port or airport */
	CATEGORY_CLOSE_CONTACT,     /* 密接 */
	CATEGORY_SECONDARY_CONTACT, /* 次密接 */
	CATEGORY_COUNT
};

/* Risk level set at intake and by the station's doctors. Ordered: higher is more care. */
enum risk {
	RISK_GREEN,  /* 正常关注 normal */
	RISK_YELLOW, /* 持续关注 continuous attention */
	RISK_ORANGE, /* 重点关注 key attention */
	RISK_RED,    /* 特别关注 special attention */
	RISK_COUNT
};

enum room_state {
	ROOM_FREE,
	ROOM_OCCUPIED,
	ROOM_CLEANING,
	ROOM_BLOCKED,
	ROOM_STATE_COUNT
};

/* Every refusal or fault that can reach a person or the staff log. The stable code string
 * (reason_code()) keys the translated texts in assets/strings/ and the log lines. */
enum reason {
	REASON_OK = 0,
	REASON_NOT_HEALTH_CODE,     /* the scanned text is not a health code at all */
	REASON_UNSUPPORTED_VERSION, /* a health code of a version we do not read */
	REASON_MALFORMED,           /* looks like a health code but does not parse */
	REASON_UNKNOWN_ISSUER,      /* signed by a key not on the trust list */
	REASON_BAD_SIGNATURE,
	REASON_EXPIRED,
	REASON_NOT_YET_VALID,
	REASON_REVOKED,
	REASON_DEMO_KEY, /* signed by a demo key on a device not in demo mode */
	REASON_RED_CODE,
	REASON_YELLOW_CODE,
	REASON_NOT_ON_MANIFEST,
	REASON_ALREADY_CHECKED_IN,
	REASON_NO_ROOM,
	REASON_GROUP_TOO_LARGE, /* the group does not fit any room or set of rooms */
	REASON_PRINTER_FAILED,
	REASON_STORE_FAILED,   /* the local store could not record the check-in */
	REASON_TIMEOUT,        /* abandoned session */
	REASON_NOT_ME,         /* the person said the identity shown is not theirs */
	REASON_STAFF_REQUIRED, /* waiting for a staff decision */
	/* red or orange, and the floors set aside for them are full */
	REASON_NO_DESIGNATED_ROOM,
	REASON_ALREADY_ADDED, /* this person is already in the group being checked in */
	/* security post and front desk (docs/flow-security.md, docs/flow-frontdesk.md) */
	REASON_NOT_WRISTBAND, /* the scanned text is not a wristband token */
	REASON_BAND_FORGED,   /* a wristband token no trusted key signed */
	REASON_BAND_VOID,     /* the band was voided by the front desk */
	REASON_BAND_REPLACED, /* the band was replaced by a reprint: the newer one counts */
	REASON_BAND_UNKNOWN,  /* a genuine band the local replica does not know (yet) */
	REASON_WRONG_STATION, /* a band of another station */
	REASON_WRONG_PLACE,   /* this checkpoint does not let this resident pass */
	REASON_RELEASED,      /* the resident has been released */
	REASON_TRANSFERRED,   /* the resident was transferred to hospital */
	REASON_UNVERIFIABLE,  /* the device cannot check signatures (no trusted key) */
	REASON_LOOKUP_FAILED, /* the local replica could not be read */
	REASON_BAD_PIN,       /* badge and PIN do not match */
	REASON_LOCKED_OUT,    /* too many bad PINs: sign-in refused for a while */
	REASON_BAD_REQUEST,   /* an action's details are missing or out of range */
	REASON_NOT_FOUND,     /* no such resident, band or record */
	REASON_CONFLICT,      /* the record changed since it was shown: reload and retry */
	/* print faults, precise (REASON_PRINTER_FAILED: any other); the job waits or fails */
	REASON_PAPER_OUT,
	REASON_PRINTER_HEAD_OPEN,
	REASON_PRINTER_PAUSED,
	REASON_PRINTER_OFFLINE,   /* unreachable, or silent where it must answer */
	REASON_PRINT_UNCERTAIN,   /* the label may have printed: staff look before reprinting */
	REASON_PRINT_JOB_INVALID, /* the job's data cannot be laid out */
	/* international credentials (docs/international.md) */
	REASON_KEY_USAGE,     /* the signer's certificate may not sign this kind of credential */
	REASON_CHUNKED_CODE,  /* one of several QR codes of a split SMART Health Card */
	REASON_EVIDENCE_ONLY, /* a genuine international credential: supporting evidence only */
	REASON_INTL_REFUSED,  /* a genuine international credential this station does not accept */
	/* station sync (docs/sync.md) */
	REASON_NO_LEASED_ROOM, /* no room leased to this kiosk fits: staff approve a check-in
	                        * without a room; the front desk assigns it */
	/* the kiosk (docs/reliability.md, "Faults") */
	REASON_STORAGE_LOW, /* the store's disk is nearly full: no check-in started, front desk */
	REASON_COUNT
};

/* Stable machine code of a reason, e.g. "E_EXPIRED"; never NULL. */
const char *reason_code(enum reason r);
/* The texts of each reason for the person and for staff, in both languages, are in
 * assets/strings/reasons.json, keyed by reason_code() (app/core/reason_text.h). */

/* Lower-case names used in files, the store and the sync protocol: "inbound",
 * "close_contact", "secondary_contact"; "green", "yellow", "orange", "red"; "free",
 * "occupied", "cleaning", "blocked". *_name() never returns NULL ("?" when out of range);
 * *_parse() returns false for an unknown name and leaves *out alone. */
const char *category_name(enum category c);
bool category_parse(const char *s, enum category *out);
const char *risk_name(enum risk r);
bool risk_parse(const char *s, enum risk *out);
const char *room_state_name(enum room_state s);
bool room_state_parse(const char *s, enum room_state *out);

/* A civil day in the station's time zone, counted from 1970-01-01 (day 0). */
typedef int32_t hk_day;

/* Days from a proleptic Gregorian date; the date from days. */
hk_day day_from_ymd(int y, int m, int d);
void day_to_ymd(hk_day day, int *y, int *m, int *d);
/* Parse "YYYY-MM-DD" (exactly; the date must exist). */
bool day_parse(const char *s, hk_day *out);
/* Format as "YYYY-MM-DD"; buf needs 11 bytes. Returns buf. */
char *day_format(hk_day day, char buf[11]);
/* The station-local day of a UTC unix time, for a zone offset east of UTC in seconds
 * (China: 8 * 3600). */
hk_day day_from_unix(int64_t unix_s, int32_t tz_offset_s);

#endif
