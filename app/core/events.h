/* app/core/events.h: what reaches the entrance flow (events) and what it asks of the program's
 * wiring (effects), as plain fixed-size data. The wiring turns input, verifier, store and
 * printer results into events and carries effects out; answers carry back the effect's ticket. */
#ifndef HK_CORE_EVENTS_H
#define HK_CORE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/types.h"

#define FLOW_GROUP_MAX      8    /* people in one check-in session, hard cap (config may lower) */
#define FLOW_EFFECTS_MAX    16   /* effects one step can request */
#define FLOW_SCAN_MAX       4097 /* scanned text, bytes incl. NUL: a scanner's longest + 1 */
#define FLOW_ARRIVAL_ID_MAX 40   /* manifest arrival id */
#define FLOW_NAME_MAX       64   /* masked name, UTF-8 */
#define FLOW_DOC_MAX        40   /* masked ID document number */
#define FLOW_GROUP_ID_MAX   40   /* manifest group / family id */
#define FLOW_KEY_MAX        72   /* stable holder key (e.g. hex SHA-256 of the ID document) */
#define FLOW_ROOM_MAX       16   /* room number */
#define FLOW_VERSION_MAX    72   /* briefing text version (hex hash) */
#define FLOW_BADGE_MAX      40   /* staff badge id */
#define FLOW_PIN_MAX        12   /* staff PIN digits */

/* Languages a person can choose. Same order as enum lang of app/core/strings.h (zh-CN, en),
 * so the wiring may convert by value. */
enum flow_lang {
	FLOW_LANG_ZH,
	FLOW_LANG_EN,
	FLOW_LANG_COUNT
};

/* Health-code colour as the verifier read it (same order as enum policy_code_colour). */
enum flow_code {
	FLOW_CODE_GREEN,
	FLOW_CODE_YELLOW,
	FLOW_CODE_RED,
	FLOW_CODE_COUNT
};

/* What the station does with a person; ordered from least to most intervention, so the
 * stricter of two policies is the larger value. FLOW_POLICY_DEFAULT only in EV_VERIFIED. */
enum flow_policy {
	FLOW_POLICY_DEFAULT, /* EV_VERIFIED: no opinion, the flow config decides */
	FLOW_POLICY_ALLOW,
	FLOW_POLICY_STAFF, /* a staff member must approve, with badge and PIN */
	FLOW_POLICY_REFUSE,
	FLOW_POLICY_COUNT
};

/* The facts of an international health credential (EU DCC, SMART Health Card) read as
 * supporting evidence: what the screens show and the check-in records. kind NONE: none.
 * Same order as enum healthcode_kind. */
enum flow_evidence_kind {
	FLOW_EVIDENCE_NONE,
	FLOW_EVIDENCE_VACCINATION,
	FLOW_EVIDENCE_TEST,
	FLOW_EVIDENCE_RECOVERY,
	FLOW_EVIDENCE_KIND_COUNT
};
#define FLOW_EVIDENCE_FORMAT_MAX 8  /* "EU-DCC", "SMART" */
#define FLOW_EVIDENCE_ISSUER_MAX 48 /* issuing country, or a SMART issuer's host name */
struct flow_evidence {
	enum flow_evidence_kind kind; /* of the latest event the credential holds */
	hk_day day;                   /* its day: vaccination, test sample, recovery */
	bool test_positive;           /* test: the result was "detected" */
	char format[FLOW_EVIDENCE_FORMAT_MAX];
	char issuer[FLOW_EVIDENCE_ISSUER_MAX]; /* "DE"; "spec.smarthealth.cards"; "" unknown */
	char name_masked[FLOW_NAME_MAX];       /* the name as the credential gives it, masked */
};

/* One person as the wiring found them: the verifier's result joined with the manifest.
 * Masked fields only: the full name and ID number never enter the flow. */
struct person {
	char arrival_id[FLOW_ARRIVAL_ID_MAX]; /* manifest key; "" for a walk-in */
	char name_masked[FLOW_NAME_MAX];      /* "张*三" */
	char doc_masked[FLOW_DOC_MAX];        /* "4403**********1234" */
	char group_id[FLOW_GROUP_ID_MAX];     /* manifest family/group id; "" if none */
	char key[FLOW_KEY_MAX];               /* same holder, same key: refuses duplicate scans */
	enum category category;
	enum flow_code code; /* health-code colour */
	bool minor;          /* under 18: placed with a guardian */
	bool walk_in;        /* set by the flow: admitted by staff without a manifest entry */
	char approved_by[FLOW_BADGE_MAX]; /* set by the flow: badge of the staff who approved */
	/* EV_VERIFIED of an international credential: its facts (reason REASON_EVIDENCE_ONLY).
	 * In the group (FX_CHECKIN): the credential the flow kept for this person, recorded
	 * with the check-in as supporting evidence; kind NONE when none. */
	struct flow_evidence evidence;
};

/* A person's room and wristband, as the store committed them. */
struct assignment {
	char room[FLOW_ROOM_MAX];
	hk_day release_day; /* planned release date */
	int64_t serial;     /* wristband serial */
};

/* Buttons of the entrance screens. The screen maps touches to these; BTN_NONE is a touch
 * that is not on a button (scrolling, tapping the text): it only counts as activity. */
enum button {
	BTN_NONE,
	BTN_THIS_IS_ME,
	BTN_NOT_ME,
	BTN_ADD_DONE,      /* family screen: nobody else to add */
	BTN_REMOVE_MEMBER, /* family screen: arg = index in the list (1..count-1) */
	BTN_CANCEL,        /* start over: ends the session */
	BTN_DISMISS,       /* refusal or done screen: back to the attract screen */
	BTN_CALL_STAFF,
	BTN_CANCEL_CALL,
	BTN_PIN_DIGIT, /* arg = 0..9 */
	BTN_PIN_BACK,
	BTN_PIN_ENTER,
	BTN_PIN_CANCEL,
	BTN_STAFF_APPROVE,
	BTN_STAFF_DENY,
	BTN_STAFF_RESUME, /* close the staff panel, the session goes on */
	BTN_STAFF_END,    /* end the session, back to the attract screen */
	BTN_COUNT
};

enum event_kind {
	EV_NONE,
	EV_TICK,          /* time passed; nothing else */
	EV_SCAN,          /* .scan: text from the scanner box or camera */
	EV_VERIFIED,      /* .verified, ticket of FX_VERIFY */
	EV_TOUCH,         /* .touch */
	EV_LANGUAGE,      /* .language */
	EV_BRIEFING_END,  /* the briefing text was scrolled to its end */
	EV_ACK,           /* .ack: "I have read and will comply" */
	EV_ASSIGNED,      /* .assigned, ticket of FX_CHECKIN: committed */
	EV_ASSIGN_FAILED, /* .failed, ticket of FX_CHECKIN: nothing committed */
	EV_PRINTED,       /* .print, ticket of FX_PRINT or FX_REPRINT */
	EV_PRINT_FAILED,  /* .print */
	EV_STAFF_BADGE,   /* .badge: a staff badge was scanned */
	EV_STAFF_PIN, /* .pin: a PIN typed on a hardware keypad (the screen keypad uses BTN_PIN_*)
	               */
	EV_STAFF_OK,  /* ticket of FX_CHECK_PIN: badge and PIN match */
	EV_STAFF_BAD, /* ticket of FX_CHECK_PIN: they do not */
	EV_STORAGE,   /* .storage: the store's free disk space crossed its threshold */
	EV_KIND_COUNT
};

struct event {
	enum event_kind kind;
	uint32_t ticket; /* answers: the ticket of the effect answered; else ignored */
	union {
		struct {
			char text[FLOW_SCAN_MAX];
		} scan;
		struct {
			enum reason reason;      /* REASON_OK, or why the code or person fails */
			enum flow_policy policy; /* the verifier's rules; the stricter of this and
			                            the config wins */
			/* filled when the code was read (any reason but the code errors);
			 * arrival_id "" when not on the manifest */
			struct person person;
		} verified;
		struct {
			enum button button;
			int arg;
		} touch;
		struct {
			enum flow_lang lang;
		} language;
		struct {
			char version[FLOW_VERSION_MAX]; /* version (hash) of the text shown */
		} ack;
		struct {
			int count; /* must equal the group size; in the order of FX_CHECKIN */
			struct assignment a[FLOW_GROUP_MAX];
		} assigned;
		struct {
			enum reason reason; /* REASON_NO_ROOM, REASON_STORE_FAILED, ... */
		} failed;
		struct {
			int index;          /* the FX_PRINT index; 0 for a reprint */
			enum reason reason; /* EV_PRINT_FAILED: why */
			/* reprint: the room and new serial, if known */
			struct assignment assignment;
		} print;
		struct {
			char id[FLOW_BADGE_MAX];
		} badge;
		struct {
			char digits[FLOW_PIN_MAX + 1];
		} pin;
		struct {
			bool low; /* below the configured free space: refuse new visits */
		} storage;
	};
};

/* Step timings of one visit, in milliseconds (0 = not reached). */
struct flow_timings {
	int64_t verdict_ms;  /* scan -> verification result */
	int64_t identity_ms; /* identity shown -> confirmed */
	int64_t family_ms;   /* family list shown -> done adding */
	int64_t briefing_ms; /* briefing shown -> acknowledged (reading time) */
	int64_t checkin_ms;  /* FX_CHECKIN -> EV_ASSIGNED (store) */
	int64_t print_ms;    /* FX_PRINT -> last print result */
	int64_t visit_ms;    /* first scan -> now: up to the ack in FX_CHECKIN, whole visit in
	                        FX_TIMINGS */
};

enum beep {
	BEEP_OK,        /* rising two-tone */
	BEEP_REFUSE,    /* low double beep */
	BEEP_ATTENTION, /* staff needed */
	BEEP_CHIME,     /* wristband printed */
	BEEP_COUNT
};

enum audit_action {
	AUDIT_STAFF_LOGIN, /* badge and PIN accepted */
	AUDIT_STAFF_PIN_BAD,
	AUDIT_STAFF_LOCKED_OUT, /* too many bad PINs: panel closed */
	AUDIT_APPROVE_ADMIT,    /* walk-in, yellow/red code or verifier asked for staff */
	AUDIT_DENY_ADMIT,
	AUDIT_APPROVE_REPRINT,
	AUDIT_DENY_REPRINT,
	AUDIT_RESUME,      /* panel closed, session goes on */
	AUDIT_END_SESSION, /* session ended by staff */
	/* front desk (docs/flow-frontdesk.md): reason is the outcome */
	AUDIT_STAFF_LOGOUT,         /* signed out: REASON_OK by hand, REASON_TIMEOUT idle */
	AUDIT_STAFF_LOCKED_ATTEMPT, /* a sign-in attempt refused unchecked during a lockout */
	AUDIT_VIEW_CARD,            /* a resident's card was opened */
	AUDIT_PRINT_LABEL,
	AUDIT_REPRINT_BAND,
	AUDIT_VOID_BAND,
	AUDIT_SET_RISK,
	AUDIT_RELEASE,
	AUDIT_TRANSFER,
	AUDIT_EXTEND,
	/* entrance out of leased rooms (docs/sync.md): a check-in without a room */
	AUDIT_APPROVE_NO_ROOM,
	AUDIT_DENY_NO_ROOM,
	AUDIT_ACTION_COUNT
};

enum effect_kind {
	FX_NONE,
	FX_VERIFY,    /* .verify: verify the text, join with the manifest; answer EV_VERIFIED */
	FX_CHECKIN,   /* .checkin: choose rooms, commit check-ins + wristbands in one transaction;
	                 answer EV_ASSIGNED or EV_ASSIGN_FAILED */
	FX_PRINT,     /* .print: print one wristband; answer EV_PRINTED / EV_PRINT_FAILED */
	FX_REPRINT,   /* .reprint: replace the active wristband of an arrival and print it */
	FX_BEEP,      /* .beep */
	FX_AUDIT,     /* .audit: write a staff action to the audit log */
	FX_CHECK_PIN, /* .check_pin: answer EV_STAFF_OK or EV_STAFF_BAD */
	FX_CLEAR,     /* personal data wiped from the flow: wipe screen caches and copies too */
	FX_TIMINGS,   /* .timings: final timings of the check-in of FX_CHECKIN's ticket */
	FX_PIN_STATE, /* .pin_state: the staff PIN lockout changed: keep it across restarts */
	FX_KIND_COUNT
};

struct effect {
	enum effect_kind kind;
	uint32_t ticket; /* requests that expect an answer: the ticket the answer carries */
	union {
		struct {
			char text[FLOW_SCAN_MAX];
			bool member; /* adding to a group, not the first person */
		} verify;
		struct {
			int count;
			struct person people[FLOW_GROUP_MAX]; /* [0] scanned first */
			enum flow_lang lang;                  /* language acknowledged */
			char briefing_version[FLOW_VERSION_MAX];
			struct flow_timings timings;
			/* "": choose rooms. A staff badge: the kiosk ran out of leased rooms and
			 * this staff member approved recording the check-in without a room (no
			 * wristband; the front desk assigns the room). */
			char no_room_by[FLOW_BADGE_MAX];
		} checkin;
		struct {
			int index; /* position in the group */
			enum flow_lang lang;
			struct person person;
			struct assignment assignment;
		} print;
		struct {
			enum flow_lang lang;
			struct person person;             /* arrival_id names the check-in */
			char approved_by[FLOW_BADGE_MAX]; /* staff badge */
		} reprint;
		struct {
			enum beep kind;
		} beep;
		struct {
			enum audit_action action;
			char badge[FLOW_BADGE_MAX];
			char arrival_id[FLOW_ARRIVAL_ID_MAX]; /* subject; "" if none */
			enum reason reason;                   /* the decision's reason */
		} audit;
		struct {
			char badge[FLOW_BADGE_MAX];
			char pin[FLOW_PIN_MAX + 1];
		} check_pin;
		struct {
			uint32_t checkin_ticket;
			struct flow_timings timings;
		} timings;
		struct {
			int bad;           /* bad PINs in a row now (0 after a lockout starts) */
			int64_t locked_ms; /* the lockout left from now, ms; 0 none */
		} pin_state;
		struct {
			enum reason reason; /* REASON_OK: ended normally; REASON_TIMEOUT: abandoned;
			                       else why it ended */
			int from_state;     /* enum flow_state the session ended in */
		} clear;
	};
};

/* The effects of one step, in order. A step that would exceed FLOW_EFFECTS_MAX sets
 * overflow and drops the rest (never reached by the entrance flow: at most 8 prints + 2). */
struct effects {
	int count;
	bool overflow;
	struct effect fx[FLOW_EFFECTS_MAX];
};

/* Names for logs and tests: "EV_SCAN", "FX_PRINT", "BTN_NOT_ME", "AUDIT_STAFF_LOGIN";
 * "zh"/"en"; "green"/"yellow"/"red"; "default"/"allow"/"staff"/"refuse". Never NULL
 * ("?" when out of range). */
const char *event_kind_name(enum event_kind k);
const char *effect_kind_name(enum effect_kind k);
const char *button_name(enum button b);
const char *audit_action_name(enum audit_action a);
const char *flow_lang_code(enum flow_lang l);
const char *flow_code_name(enum flow_code c);
const char *flow_policy_name(enum flow_policy p);
/* "none", "vaccination", "test", "recovery" ("?" out of range). */
const char *flow_evidence_kind_name(enum flow_evidence_kind k);
/* Parse the names above; false for an unknown name, *out left alone. */
bool flow_lang_parse(const char *s, enum flow_lang *out);
bool flow_policy_parse(const char *s, enum flow_policy *out);

/* The nth (0-based) effect of kind k in e, or NULL. Borrowed from e. */
const struct effect *effects_find(const struct effects *e, enum effect_kind k, int nth);
/* How many effects of kind k e holds. */
int effects_count(const struct effects *e, enum effect_kind k);

#endif
