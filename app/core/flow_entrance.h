/* app/core/flow_entrance.h: the entrance check-in as a pure state machine: events and the
 * time in, a new state and a bounded list of effects out. The entrance screens are a view of
 * struct flow_entrance and decide nothing. See docs/flow-entrance.md for the diagram. */
#ifndef HK_CORE_FLOW_ENTRANCE_H
#define HK_CORE_FLOW_ENTRANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/events.h"
#include "app/core/types.h"

/* The main steps. Staff panels sit on top of them as an overlay (enum flow_overlay). */
enum flow_state {
	FLOW_ATTRACT,          /* "scan your health code"; no session */
	FLOW_VERIFYING,        /* first code sent to the verifier */
	FLOW_IDENTITY,         /* masked name and ID: "this is me" / "not me" */
	FLOW_FAMILY,           /* group list; scan more codes or "done adding" */
	FLOW_MEMBER_VERIFYING, /* a member's code sent to the verifier */
	FLOW_BRIEFING,         /* rules; ack enabled after reading time and scroll to end */
	FLOW_CHECKING_IN,      /* FX_CHECKIN sent, waiting for the store */
	FLOW_PRINTING,         /* FX_PRINT sent for everybody, waiting for the printer */
	FLOW_DONE,             /* room and "take your wristband" (or "collect it at the desk") */
	FLOW_REFUSED,          /* reason shown; back to attract after a while or on touch */
	FLOW_APPROVAL,         /* waiting for a staff decision about a person (reason) */
	FLOW_FAULT,            /* no room or store failure: staff called, nothing to do */
	FLOW_REPRINTING,       /* staff-approved reprint sent to the printer */
	FLOW_EVIDENCE,         /* an international credential was read as supporting evidence:
	                          its facts, and "now scan your health code" */
	FLOW_STATE_COUNT
};

enum flow_overlay {
	FLOW_OVERLAY_NONE,
	FLOW_OVERLAY_CALL,      /* "staff has been called": large colour and reason code */
	FLOW_OVERLAY_PIN,       /* staff badge scanned: PIN keypad */
	FLOW_OVERLAY_PIN_CHECK, /* FX_CHECK_PIN sent */
	FLOW_OVERLAY_STAFF,     /* staff signed in: approve / deny / resume / end */
	FLOW_OVERLAY_COUNT
};

/* The decision a staff member is asked for. */
enum flow_pending {
	FLOW_PENDING_NONE,
	FLOW_PENDING_ADMIT,   /* admit session.candidate (walk-in, yellow/red code, verifier) */
	FLOW_PENDING_REPRINT, /* reprint the wristband of session.candidate (already checked in) */
	FLOW_PENDING_NO_ROOM, /* record the session's check-in without a room (out of leases) */
	FLOW_PENDING_COUNT
};

struct flow_config {
	int32_t idle_ms;          /* identity, family, staff panels: abandoned after this */
	int32_t briefing_idle_ms; /* briefing: abandoned after this without a touch */
	int32_t reply_ms;         /* verifier and PIN check answer within this */
	int32_t checkin_ms;       /* store answers within this, else fault (a late answer is
	                             still taken) */
	int32_t print_ms;         /* printer answers within this, else "collect at the desk" */
	int32_t refusal_ms;       /* refusal screen shown this long */
	int32_t done_ms;          /* done screen shown this long */
	int32_t staff_wait_ms;    /* approval, fault and call-staff screens wait this long */
	int32_t min_read_ms;      /* briefing shown at least this long before the ack */
	enum flow_policy walk_in; /* not on the manifest */
	enum flow_policy yellow;  /* yellow health code */
	enum flow_policy red;     /* red health code */
	int max_group;            /* 1..FLOW_GROUP_MAX; 1 = no family step */
	int pin_attempts;         /* bad PINs before the staff panel closes */
	int32_t pin_lockout_ms;   /* after pin_attempts bad PINs in a row (across visits), staff
	                             badges are refused this long; 0 no lockout */
	enum flow_lang default_lang;
};

/* Everything of one visit. Wiped (all bytes zero) when the session ends. */
struct flow_session {
	int count; /* people in the group, people[0] scanned first */
	struct person people[FLOW_GROUP_MAX];
	struct assignment assigned[FLOW_GROUP_MAX]; /* valid in PRINTING, DONE */
	unsigned char printed[FLOW_GROUP_MAX];      /* 0 waiting, 1 printed, 2 failed */
	struct person candidate;                    /* subject of the pending decision */
	enum flow_pending pending;
	bool pending_member; /* candidate would join the group, not start it */
	bool checked_in;     /* EV_ASSIGNED received: the check-in is committed */
	bool checkin_sent;   /* FX_CHECKIN sent (at most once per session) */
	bool reprint;        /* DONE after a reprint, not a check-in */
	bool no_room;        /* the check-in was approved without a room (out of leases) */
	bool scrolled_end;   /* EV_BRIEFING_END seen in the current language */
	char briefing_version[FLOW_VERSION_MAX];
	/* an international credential read as supporting evidence (EV_VERIFIED with
	 * REASON_EVIDENCE_ONLY and a policy other than REFUSE), kept for the next person
	 * admitted: it goes into that person's evidence and so into FX_CHECKIN; dropped when
	 * the next code is refused */
	struct flow_evidence evidence;
	uint32_t wait_ticket;       /* the answer FX_VERIFY/CHECKIN/PRINT/REPRINT awaits */
	uint32_t checkin_ticket;    /* ticket of FX_CHECKIN */
	uint32_t pin_ticket;        /* the answer FX_CHECK_PIN awaits */
	char badge[FLOW_BADGE_MAX]; /* staff badge in the panel */
	char pin[FLOW_PIN_MAX + 1]; /* digits typed so far (wiped once sent) */
	int pin_len;
	int pin_failures;
	enum flow_overlay overlay_below; /* overlay to go back to when the PIN panel closes */
	int64_t t_scan;                  /* visit started (first scan) */
	int64_t t_step;                  /* current step started */
	int64_t t_family;                /* family list first shown */
	int64_t t_read;                  /* briefing text (in the current language) shown */
	int64_t t_phase;                 /* FX_CHECKIN / FX_PRINT sent */
	struct flow_timings timings;
};

struct flow_entrance {
	struct flow_config cfg;
	enum flow_state state;
	enum flow_overlay overlay;
	enum flow_lang lang;      /* shown and recorded; back to cfg.default_lang after a session */
	enum reason reason;       /* what the current screen explains: refusal, fault, family
	                             notice (REASON_OK none), print failure on DONE */
	enum reason call_reason;  /* code on the "staff called" panel; REASON_OK when none shows */
	int step_no;              /* 1 scan, 2 confirm, 3 rules, 4 wristband (step indicator) */
	bool ack_enabled;         /* briefing: the ack button is live */
	int64_t now_ms;           /* time of the last step */
	int64_t deadline_ms;      /* the shown screen times out at this time; 0 never */
	int countdown_s;          /* seconds left when <= 10 on a screen a person may abandon;
	                             -1 otherwise */
	int64_t main_deadline_ms; /* deadline of the main state */
	int64_t overlay_deadline_ms; /* deadline of the overlay */
	uint32_t next_ticket;        /* survives sessions so late answers never match */
	int pin_bad;                 /* bad PINs in a row on this kiosk, across visits */
	int64_t pin_locked_until_ms; /* staff badges refused until then; 0 none */
	bool storage_low; /* EV_STORAGE: the store's disk is nearly full, so a new visit is
	                     refused at its first scan (REASON_STORAGE_LOW) and a visit under
	                     way before its briefing, not after the person has read it */
	struct flow_session session; /* personal data lives here only */
};

/* Defaults: idle 60 s, briefing idle 180 s, replies 10 s, store 15 s, printer 30 s, refusal
 * 12 s, done 20 s, staff wait 300 s, min reading 20 s; walk-in staff, yellow staff, red
 * refuse; groups of up to 6; 3 PIN attempts, then staff badges refused for 5 min; Chinese. */
void flow_config_defaults(struct flow_config *cfg);

/* Start at the attract screen with a copy of cfg (NULL: defaults). Returns 0, or -EINVAL
 * when a value is out of range (timeouts <= 0, max_group not 1..FLOW_GROUP_MAX, ...); f is
 * then set up with the defaults. */
int flow_entrance_init(struct flow_entrance *f, const struct flow_config *cfg);

/* Take one event at now_ms (a monotonic clock in milliseconds; NULL ev is a tick). Every
 * event is accepted in every state: what does not apply is ignored. Timeouts are checked
 * before the event. out is overwritten (its previous contents, personal data included, are
 * wiped) with the effects requested, in order; it must not be NULL. */
void flow_entrance_step(struct flow_entrance *f, const struct event *ev, int64_t now_ms,
                        struct effects *out);

/* Take the staff PIN lockout as it was before a restart (kept from FX_PIN_STATE): bad PINs in
 * a row (capped below cfg.pin_attempts, so the next bad one locks) and when the lockout ends
 * on the wall clock (unix ms; 0 none), with wall_now_ms the wall clock and now_ms the flow's
 * monotonic clock now. The lockout left is capped at cfg.pin_lockout_ms, so a wall clock set
 * backwards cannot make it last longer than one lockout from now (one set forwards ends it
 * early: a restart cannot tell that from time really passed); none when the config has no
 * lockout. Emits nothing; call after flow_entrance_init and before the first step. */
void flow_entrance_pin_restore(struct flow_entrance *f, int bad, int64_t locked_until_wall_ms,
                               int64_t wall_now_ms, int64_t now_ms);

/* True while the panel "staff has been called" shows (an overlay, an approval or a fault). */
bool flow_entrance_staff_called(const struct flow_entrance *f);
/* Milliseconds the briefing must still be shown at now before the ack may be enabled (the
 * minimum reading time, counted from when the text in the current language appeared); 0
 * outside BRIEFING or once read long enough. Does not change f. */
int64_t flow_entrance_read_wait_ms(const struct flow_entrance *f, int64_t now_ms);
/* True when some byte of f->session is not zero. */
bool flow_entrance_has_personal_data(const struct flow_entrance *f);

/* "ATTRACT", "CALL", "ADMIT", ...; never NULL ("?" out of range). */
const char *flow_state_name(enum flow_state s);
const char *flow_overlay_name(enum flow_overlay o);
const char *flow_pending_name(enum flow_pending p);

#endif
