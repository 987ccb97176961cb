/* app/core/flow_security.h: the security post's checkpoint as a pure state machine: a
 * wristband scan in, a lookup out, the answer in, a verdict (green / amber / red and why),
 * a scan record, a beep and a timed wipe out. See docs/flow-security.md. */
#ifndef HK_CORE_FLOW_SECURITY_H
#define HK_CORE_FLOW_SECURITY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/events.h"
#include "app/core/resident.h"
#include "app/core/types.h"
#include "app/core/wristband.h"

#define SEC_EFFECTS_MAX 8  /* effects one step can request (at most 4 are used) */
#define SEC_NAME_MAX    40 /* checkpoint name, bytes incl. NUL */
#define SEC_FLOORS_MAX  16 /* floors one checkpoint lets pass */
#define SEC_RECENT_MAX  32 /* recorded scans remembered for the repeat window */

/* The verdict, as the screen colours it. Ordered: higher is more serious. */
enum sec_colour {
	SEC_GREEN, /* OK: let pass */
	SEC_AMBER, /* attention: check by hand, call the desk */
	SEC_RED,   /* stop */
	SEC_COLOUR_COUNT
};

/* A band as the local replica knows it (by station and serial). */
enum sec_band {
	SEC_BAND_ACTIVE,
	SEC_BAND_VOID,     /* voided by the front desk */
	SEC_BAND_REPLACED, /* a reprint replaced it */
	SEC_BAND_UNKNOWN,  /* not in the replica */
	SEC_BAND_COUNT
};

enum sec_state {
	SEC_READY,   /* "scan a wristband"; the data age shows */
	SEC_LOOKING, /* FX_LOOKUP sent; the old screen stays */
	SEC_VERDICT, /* colour, why, and the resident's facts */
	SEC_STATE_COUNT
};

/* One checkpoint. Rules for residents in quarantine: at an exit, nobody passes; elsewhere
 * the floor and category lists decide (empty list: any). Released residents pass an exit
 * green and get amber elsewhere; transferred ones get amber at an exit, red elsewhere. */
struct sec_config {
	char checkpoint[SEC_NAME_MAX]; /* "lobby", "F12-corridor": in every scan record */
	bool exit;                     /* a way off the site */
	int floor_count;               /* 0: every floor */
	int floors[SEC_FLOORS_MAX];    /* residents living on these floors may pass */
	unsigned categories;           /* bits (1u << enum category) that may pass; 0: every */
	int32_t lookup_ms;             /* the lookup answers within this, else amber E_TIMEOUT */
	int32_t verdict_ms;            /* the verdict shows this long, then it is wiped */
	int32_t repeat_ms;             /* same band, same verdict within this: one record */
	int32_t stale_s;               /* replica older than this: data_stale is set */
};

/* What the wiring found for a scanned text: wristband_verify, then the band and its resident
 * in the local replica. */
struct sec_lookup {
	enum reason reason;          /* REASON_OK, or REASON_LOOKUP_FAILED (replica unreadable) */
	enum wristband_result token; /* wristband_verify's result */
	struct wristband band;       /* the token's fields when token is WRISTBAND_OK */
	enum sec_band band_state;    /* when token is WRISTBAND_OK */
	bool has_resident;           /* the band's resident was found */
	struct resident resident;
};

enum sec_event_kind {
	SEC_EV_NONE,
	SEC_EV_TICK,      /* time passed; nothing else */
	SEC_EV_SCAN,      /* .scan: text from the scanner box or camera */
	SEC_EV_LOOKED_UP, /* .lookup, ticket of FX_LOOKUP */
	SEC_EV_SYNCED,    /* .synced: the replica's last successful sync */
	SEC_EV_DISMISS,   /* staff touched the verdict: back to "scan a wristband" now */
	SEC_EV_KIND_COUNT
};

struct sec_event {
	enum sec_event_kind kind;
	uint32_t ticket; /* SEC_EV_LOOKED_UP: the ticket of the FX_LOOKUP answered */
	union {
		struct {
			char text[FLOW_SCAN_MAX];
		} scan;
		struct sec_lookup lookup;
		struct {
			int64_t unix_s; /* when the last sync succeeded, unix seconds */
		} synced;
	};
};

enum sec_effect_kind {
	SEC_FX_NONE,
	SEC_FX_LOOKUP,      /* .lookup: verify and look up; answer SEC_EV_LOOKED_UP */
	SEC_FX_RECORD_SCAN, /* .record: write a scan record to the outbox (no personal data) */
	SEC_FX_BEEP,        /* .beep: BEEP_OK green, BEEP_ATTENTION amber, BEEP_REFUSE red */
	SEC_FX_CLEAR,       /* the verdict was wiped: wipe screen caches and copies too */
	SEC_FX_KIND_COUNT
};

struct sec_effect {
	enum sec_effect_kind kind;
	uint32_t ticket; /* SEC_FX_LOOKUP: the ticket its answer carries */
	union {
		struct {
			char text[FLOW_SCAN_MAX];
		} lookup;
		struct {
			char checkpoint[SEC_NAME_MAX];
			int64_t unix_s; /* time of the scan */
			enum sec_colour colour;
			enum reason reason;
			enum wristband_result token;
			char station[WRISTBAND_STATION_MAX + 1]; /* "" unless the token verified */
			int64_t serial;                          /* 0 unless the token verified */
		} record;
		struct {
			enum beep kind;
		} beep;
	};
};

struct sec_effects {
	int count;
	bool overflow; /* never set by this flow: at most 4 effects a step */
	struct sec_effect fx[SEC_EFFECTS_MAX];
};

/* The verdict on screen. Personal data: wiped (all bytes zero) outside SEC_VERDICT. */
struct sec_verdict {
	enum sec_colour colour;
	enum reason reason;
	enum wristband_result token;
	enum sec_band band_state;
	struct wristband band; /* station, serial, room as the token says (token OK only) */
	bool has_resident;
	struct resident resident;
	int day;         /* "day N" of the term at the scan (policy_plan_day), has_resident */
	int onsite_days; /* of the term, extensions included */
	bool recorded;   /* this verdict produced a FX_RECORD_SCAN (false: a repeat) */
	int repeats;     /* further scans of the same band while it showed */
};

/* A recorded scan, kept for the repeat window. No personal data: a hash of the token. */
struct sec_recent {
	uint64_t hash;
	int64_t at_ms;
	enum sec_colour colour;
	enum reason reason;
};

struct flow_security {
	struct sec_config cfg;
	enum sec_state state;
	int64_t now_ms;      /* time of the last step (monotonic) */
	int64_t unix_s;      /* wall time of the last step */
	int64_t deadline_ms; /* the current state times out at this time; 0 never */
	/* data age for staff: -1 when never synced */
	int64_t last_sync_s; /* unix seconds; 0 never */
	int64_t data_age_s;
	bool data_stale;    /* data_age_s > cfg.stale_s, or never synced */
	int64_t latency_ms; /* scan to verdict of the last lookup answered */
	uint32_t next_ticket;
	uint32_t wait_ticket; /* the FX_LOOKUP awaited; 0 none */
	uint64_t wait_hash;   /* of the text being looked up */
	int64_t scan_ms;      /* when that text was scanned */
	int64_t scan_unix_s;  /* the same, wall clock: the time in its scan record */
	uint64_t shown_hash;  /* of the text whose verdict shows */
	int64_t shown_ms;     /* when that text was scanned */
	struct sec_verdict verdict;
	int recent_next; /* ring position */
	struct sec_recent recent[SEC_RECENT_MAX];
};

/* Defaults: checkpoint "checkpoint", not an exit, every floor and category; lookup 2 s,
 * verdict 6 s, repeat window 30 s, stale after 1 h. */
void flow_security_config_defaults(struct sec_config *cfg);

/* Start at SEC_READY with a copy of cfg (NULL: defaults). Returns 0, or -EINVAL when a value
 * is out of range (empty name, timeouts <= 0, repeat_ms < 0, floor_count not
 * 0..SEC_FLOORS_MAX, unknown category bits); f is then set up with the defaults. */
int flow_security_init(struct flow_security *f, const struct sec_config *cfg);

/* Take one event (NULL: a tick). now_ms: monotonic clock for timeouts and the repeat
 * window; unix_s: wall clock for "day N", the scan records and the data age. Timeouts are
 * checked before the event; every event is accepted in every state. out is overwritten with
 * the effects requested, in order; it must not be NULL. */
void flow_security_step(struct flow_security *f, const struct sec_event *ev, int64_t now_ms,
                        int64_t unix_s, struct sec_effects *out);

/* The verdict table: colour and *why for a lookup answer at checkpoint cfg. Pure; the
 * answer is read defensively (out-of-range enums give amber E_LOOKUP_FAILED). */
enum sec_colour flow_security_judge(const struct sec_config *cfg, const struct sec_lookup *a,
                                    enum reason *why);

/* True when some byte of f->verdict is not zero. */
bool flow_security_has_personal_data(const struct flow_security *f);

/* Names for logs and tests: "READY", "green", "active", "SEC_EV_SCAN", "SEC_FX_LOOKUP";
 * never NULL ("?" out of range). */
const char *sec_state_name(enum sec_state s);
const char *sec_colour_name(enum sec_colour c);
const char *sec_band_name(enum sec_band b);
const char *sec_event_kind_name(enum sec_event_kind k);
const char *sec_effect_kind_name(enum sec_effect_kind k);

#endif
