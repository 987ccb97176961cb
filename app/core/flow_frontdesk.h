/* app/core/flow_frontdesk.h: the front desk as a pure state machine: staff sign-in with badge
 * and PIN (rate-limited), search, a resident's card, confirmed and audited actions (labels,
 * wristbands, risk colour, release, transfer, extension) and the occupancy grid. Events and
 * the time in, a new state and a bounded list of effects out. See docs/flow-frontdesk.md. */
#ifndef HK_CORE_FLOW_FRONTDESK_H
#define HK_CORE_FLOW_FRONTDESK_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/events.h"
#include "app/core/flow_security.h"
#include "app/core/resident.h"
#include "app/core/types.h"

#define DESK_EFFECTS_MAX    8    /* effects one step can request (at most 5 are used) */
#define DESK_QUERY_MAX      48   /* search text, bytes incl. NUL */
#define DESK_NOTE_MAX       128  /* staff's "why", UTF-8, bytes incl. NUL */
#define DESK_DIET_MAX       64   /* dietary notes for the meal label */
#define DESK_BATCH_MAX      24   /* arrival batch (flight, train, bus) */
#define DESK_RESULTS_MAX    20   /* search results shown; more: refine the search */
#define DESK_HISTORY_MAX    8    /* newest risk changes, labels and scans on a card */
#define DESK_OCC_ROOMS_MAX  1024 /* rooms on the occupancy grid */
#define DESK_OCC_FLOORS_MAX 64

enum desk_state {
	DESK_SIGNED_OUT,        /* "scan your staff badge" (notice: bad PIN, lockout) */
	DESK_PIN,               /* badge read: PIN entry */
	DESK_PIN_CHECK,         /* FX_CHECK_PIN sent */
	DESK_HOME,              /* signed in: search box, occupancy button */
	DESK_SEARCHING,         /* FX_SEARCH sent */
	DESK_RESULTS,           /* the result list */
	DESK_LOADING_CARD,      /* FX_LOAD_CARD sent */
	DESK_CARD,              /* a resident's card and the action buttons */
	DESK_CONFIRM,           /* an action filled in: confirm or cancel */
	DESK_WORKING,           /* the action sent, waiting for its result */
	DESK_LOADING_OCCUPANCY, /* FX_LOAD_OCCUPANCY sent */
	DESK_OCCUPANCY,         /* the grid */
	DESK_STATE_COUNT
};

enum desk_search_by {
	DESK_BY_ROOM,  /* room number, exact */
	DESK_BY_NAME,  /* a fragment of the masked name ("张", "Z***") */
	DESK_BY_BATCH, /* arrival batch */
	DESK_BY_BAND,  /* wristband serial, digits */
	DESK_BY_COUNT
};

enum desk_label {
	DESK_LABEL_DOOR, /* room door: room number, category, release date */
	DESK_LABEL_MEAL, /* meal bag: room and dietary notes */
	DESK_LABEL_TUBE, /* sample tube for the day's nucleic-acid test */
	DESK_LABEL_COUNT
};

enum desk_action {
	DESK_ACT_NONE,
	DESK_ACT_PRINT_LABEL,  /* .label */
	DESK_ACT_REPRINT_BAND, /* the active band becomes void, a new one prints */
	DESK_ACT_VOID_BAND,    /* .note required */
	DESK_ACT_SET_RISK,     /* .risk, .note required */
	DESK_ACT_RELEASE,
	DESK_ACT_TRANSFER, /* to hospital; .note required */
	DESK_ACT_EXTEND,   /* .days, .note required */
	DESK_ACT_COUNT
};

/* An action as staff filled it in on the card. */
struct desk_request {
	enum desk_action action;
	enum desk_label label;    /* PRINT_LABEL */
	enum risk risk;           /* SET_RISK */
	int days;                 /* EXTEND: 1..POLICY_EXTEND_MAX */
	char note[DESK_NOTE_MAX]; /* why; free text, never a name or ID number */
};

/* One search hit. */
struct desk_result {
	char arrival_id[FLOW_ARRIVAL_ID_MAX];
	char name_masked[FLOW_NAME_MAX];
	char room[FLOW_ROOM_MAX];
	char batch[DESK_BATCH_MAX];
	enum risk risk;
	enum resident_status status;
	int64_t band_serial; /* active band; 0 none */
};

struct desk_risk_change {
	enum risk risk;
	int64_t unix_s;
	char by[FLOW_BADGE_MAX]; /* staff badge */
	char note[DESK_NOTE_MAX];
};

struct desk_label_printed {
	enum desk_label label;
	int64_t unix_s;
};

struct desk_scan {
	char checkpoint[SEC_NAME_MAX];
	int64_t unix_s;
	enum sec_colour colour;
	enum reason reason;
};

/* A resident's card; histories newest first. */
struct desk_card {
	struct resident resident; /* plan.release_day: the planned release date */
	char doc_masked[FLOW_DOC_MAX];
	char batch[DESK_BATCH_MAX];
	int64_t checked_in_unix;
	char room_assigned[FLOW_ROOM_MAX]; /* the room given at check-in */
	int64_t band_serial;               /* the active band; 0 none */
	char diet[DESK_DIET_MAX];
	int risk_count;
	struct desk_risk_change risks[DESK_HISTORY_MAX];
	int label_count;
	struct desk_label_printed labels[DESK_HISTORY_MAX];
	int scan_count;
	struct desk_scan scans[DESK_HISTORY_MAX];
};

struct desk_room {
	char number[FLOW_ROOM_MAX];
	int floor;
	enum room_state state;
	enum risk risk; /* highest of its occupants (occupied rooms) */
	int occupants;
	int capacity;
};

struct desk_floor {
	int floor;
	int rooms;
	int counts[ROOM_STATE_COUNT];
};

/* The occupancy view. The wiring fills rooms, releases, printer and sync; the flow sorts the
 * rooms and computes the counts (desk_occupancy_tally). */
struct desk_occupancy {
	int room_count;
	bool truncated; /* the house has more rooms than DESK_OCC_ROOMS_MAX */
	struct desk_room rooms[DESK_OCC_ROOMS_MAX]; /* by floor, then number */
	int counts[ROOM_STATE_COUNT];               /* computed */
	int risk_counts[RISK_COUNT];                /* occupied rooms by risk, computed */
	int floor_count;                            /* computed */
	struct desk_floor floors[DESK_OCC_FLOORS_MAX];
	int releases_today;
	int releases_tomorrow;
	bool printer_ok;
	enum reason printer_reason; /* when not ok: REASON_PRINTER_FAILED ... */
	int64_t last_sync_unix;     /* 0 never */
	int outbox_pending;         /* records not yet pushed */
};

enum desk_event_kind {
	DESK_EV_NONE,
	DESK_EV_TICK,
	DESK_EV_TOUCH,          /* any touch: only counts as activity */
	DESK_EV_BADGE,          /* .badge: a staff badge was scanned */
	DESK_EV_PIN,            /* .pin: the PIN typed (the keypad widget collects digits) */
	DESK_EV_PIN_OK,         /* ticket of FX_CHECK_PIN */
	DESK_EV_PIN_BAD,        /* ticket of FX_CHECK_PIN */
	DESK_EV_SEARCH,         /* .search: staff submitted a search */
	DESK_EV_RESULTS,        /* .results, ticket of FX_SEARCH */
	DESK_EV_OPEN,           /* .open: a result row tapped */
	DESK_EV_CARD,           /* .card, ticket of FX_LOAD_CARD */
	DESK_EV_ACTION,         /* .action: an action filled in on the card */
	DESK_EV_CONFIRM,        /* the confirmation accepted */
	DESK_EV_CANCEL,         /* confirmation or PIN entry cancelled */
	DESK_EV_DONE,           /* .done, ticket of the action's effect */
	DESK_EV_OCCUPANCY_OPEN, /* the occupancy button */
	DESK_EV_OCCUPANCY,      /* .occupancy, ticket of FX_LOAD_OCCUPANCY */
	DESK_EV_BACK,
	DESK_EV_SIGN_OUT,
	DESK_EV_KIND_COUNT
};

struct desk_event {
	enum desk_event_kind kind;
	uint32_t ticket; /* answers: the ticket of the effect answered */
	union {
		struct {
			char id[FLOW_BADGE_MAX];
		} badge;
		struct {
			char digits[FLOW_PIN_MAX + 1];
		} pin;
		struct {
			enum desk_search_by by;
			char query[DESK_QUERY_MAX];
		} search;
		struct {
			enum reason reason; /* REASON_OK or REASON_LOOKUP_FAILED */
			int count;
			bool more; /* more hits than DESK_RESULTS_MAX */
			struct desk_result rows[DESK_RESULTS_MAX];
		} results;
		struct {
			int index; /* row of the result list */
		} open;
		struct {
			enum reason reason; /* REASON_OK, REASON_NOT_FOUND, REASON_LOOKUP_FAILED */
			struct desk_card card;
		} card;
		struct desk_request action;
		struct {
			enum reason reason; /* REASON_OK, or why it failed (PRINTER_FAILED, ...) */
			int64_t serial;     /* REPRINT_BAND: the new band's serial */
		} done;
		struct {
			enum reason reason;
			struct desk_occupancy occ;
		} occupancy;
	};
};

enum desk_effect_kind {
	DESK_FX_NONE,
	DESK_FX_CHECK_PIN,      /* .check_pin; answer DESK_EV_PIN_OK / DESK_EV_PIN_BAD */
	DESK_FX_SEARCH,         /* .search; answer DESK_EV_RESULTS */
	DESK_FX_LOAD_CARD,      /* .load_card; answer DESK_EV_CARD */
	DESK_FX_PRINT_LABEL,    /* .change (label, room, diet); answer DESK_EV_DONE */
	DESK_FX_REPRINT_BAND,   /* .change (serial to void); answer DESK_EV_DONE (new serial) */
	DESK_FX_VOID_BAND,      /* .change (serial, note); answer DESK_EV_DONE */
	DESK_FX_SET_RISK,       /* .change (risk, note); answer DESK_EV_DONE */
	DESK_FX_SET_STATUS,     /* .change (status, note); answer DESK_EV_DONE */
	DESK_FX_EXTEND,         /* .change (from_day, days, note); answer DESK_EV_DONE */
	DESK_FX_LOAD_OCCUPANCY, /* answer DESK_EV_OCCUPANCY */
	DESK_FX_AUDIT,          /* .audit: write to the audit log */
	DESK_FX_CLEAR,          /* signed out: wipe screen caches and copies of personal data */
	DESK_FX_KIND_COUNT
};

/* What an action asks of the store; badge is who asks. Fields an action does not use are
 * zero. */
struct desk_change {
	char badge[FLOW_BADGE_MAX];
	char arrival_id[FLOW_ARRIVAL_ID_MAX];
	char room[FLOW_ROOM_MAX];
	int64_t serial;              /* the band on the card: REPRINT_BAND voids it, VOID_BAND */
	enum desk_label label;       /* PRINT_LABEL */
	char diet[DESK_DIET_MAX];    /* PRINT_LABEL meal */
	enum risk risk;              /* SET_RISK */
	enum resident_status status; /* SET_STATUS */
	hk_day from_day; /* EXTEND: the release day shown; policy_plan_extend(plan, from_day, days)
	                    so the release moves days later */
	int days;
	char note[DESK_NOTE_MAX];
};

struct desk_effect {
	enum desk_effect_kind kind;
	uint32_t ticket; /* requests that expect an answer */
	union {
		struct {
			char badge[FLOW_BADGE_MAX];
			char pin[FLOW_PIN_MAX + 1];
		} check_pin;
		struct {
			enum desk_search_by by;
			char query[DESK_QUERY_MAX];
		} search;
		struct {
			char arrival_id[FLOW_ARRIVAL_ID_MAX];
		} load_card;
		struct desk_change change;
		struct {
			enum audit_action action;
			enum reason outcome;       /* REASON_OK, or why it failed or was refused */
			struct desk_change change; /* who, whom and what; diet never */
		} audit;
	};
};

struct desk_effects {
	int count;
	bool overflow; /* never set by this flow */
	struct desk_effect fx[DESK_EFFECTS_MAX];
};

struct desk_config {
	int32_t idle_ms;     /* signed in and untouched this long: signed out */
	int32_t pin_idle_ms; /* PIN entry abandoned after this */
	int32_t reply_ms;    /* store, printer and PIN check answer within this */
	int pin_attempts;    /* bad PINs in a row before the lockout */
	int32_t lockout_ms;  /* sign-in refused this long after pin_attempts bad PINs */
};

/* Everything of one signed-in staff member. Wiped (all bytes zero) at sign-out. */
struct desk_session {
	char badge[FLOW_BADGE_MAX]; /* read at DESK_PIN, signed in from DESK_HOME on */
	enum desk_search_by by;     /* the last search */
	char query[DESK_QUERY_MAX];
	int result_count;
	bool more;
	struct desk_result results[DESK_RESULTS_MAX];
	char arrival_id[FLOW_ARRIVAL_ID_MAX]; /* card requested or shown */
	char viewed[FLOW_ARRIVAL_ID_MAX];     /* card whose opening was audited */
	struct desk_card card;                /* valid in CARD, CONFIRM, WORKING */
	struct desk_request request;          /* CONFIRM, WORKING */
	struct desk_change change;            /* WORKING: what was sent */
	struct desk_occupancy occ;            /* valid in OCCUPANCY */
	uint32_t wait_ticket;                 /* the answer awaited */
	enum desk_state back;                 /* where DESK_EV_BACK leaves the card for */
	enum desk_action done_action;         /* the last action's outcome, for the card */
	enum reason done_reason;
	int64_t done_serial; /* REPRINT_BAND: the new band */
};

struct flow_frontdesk {
	struct desk_config cfg;
	enum desk_state state;
	enum reason notice;       /* what went wrong last: bad PIN, lockout, refused request,
	                             failed load; REASON_OK none */
	int64_t now_ms;           /* time of the last step */
	int64_t deadline_ms;      /* the state's reply or PIN deadline; 0 none */
	int64_t idle_deadline_ms; /* signed in: sign-out at this time; 0 none */
	int pin_failures;         /* bad PINs in a row (survives sign-outs) */
	int64_t locked_until_ms;  /* lockout ends; 0 none */
	int lockout_s;            /* seconds of lockout left, for the screen; 0 none */
	uint32_t next_ticket;
	struct desk_session session; /* personal data lives here only */
};

/* Defaults: idle sign-out 120 s, PIN entry 30 s, replies 10 s, 3 attempts, 5 min lockout. */
void flow_frontdesk_config_defaults(struct desk_config *cfg);

/* Start signed out with a copy of cfg (NULL: defaults). Returns 0, or -EINVAL when a value
 * is out of range (times <= 0, pin_attempts < 1); f is then set up with the defaults. */
int flow_frontdesk_init(struct flow_frontdesk *f, const struct desk_config *cfg);

/* Take one event at now_ms (monotonic, ms; NULL ev is a tick). Timeouts first, then the
 * event; every event is accepted in every state, what does not apply is ignored. out is
 * overwritten with the effects, in order; it must not be NULL. */
void flow_frontdesk_step(struct flow_frontdesk *f, const struct desk_event *ev, int64_t now_ms,
                         struct desk_effects *out);

/* Check a request against the card: REASON_OK, REASON_BAD_REQUEST (missing note, days out
 * of range, unknown label or risk), REASON_NOT_FOUND (no band to void), REASON_RELEASED or
 * REASON_TRANSFERRED (only a void is allowed once a resident left quarantine). */
enum reason flow_frontdesk_check_request(const struct desk_card *card,
                                         const struct desk_request *req);

/* Make occ consistent: drop rooms with enums out of range, clamp room_count, sort rooms by
 * floor then number, compute counts, risk_counts (occupied rooms) and floors (sorted). */
void desk_occupancy_tally(struct desk_occupancy *occ);

/* True while a staff member is signed in (DESK_HOME and after). */
bool flow_frontdesk_signed_in(const struct flow_frontdesk *f);
/* True when some byte of f->session is not zero. */
bool flow_frontdesk_has_personal_data(const struct flow_frontdesk *f);

/* Names for logs and tests; never NULL ("?" out of range): "HOME"; "room" "name" "batch"
 * "band"; "door" "meal" "tube"; "print_label" ... "extend"; "DESK_EV_CARD"; "DESK_FX_AUDIT". */
const char *desk_state_name(enum desk_state s);
const char *desk_search_by_name(enum desk_search_by b);
const char *desk_label_name(enum desk_label l);
const char *desk_action_name(enum desk_action a);
const char *desk_event_kind_name(enum desk_event_kind k);
const char *desk_effect_kind_name(enum desk_effect_kind k);

#endif
