/* app/core/screens.h: the entrance screens as display lists, built from plain data (what the
 * flow knows) and the UI strings. Pure: the wiring maps the flow's state to these calls, and
 * tests can check what a screen says without a window. */
#ifndef HK_CORE_SCREENS_H
#define HK_CORE_SCREENS_H

#include <stdbool.h>

#include "app/core/display.h"
#include "app/core/strings.h"
#include "app/core/types.h"

/* Button ids the screens use; hit-testing a list returns one of these. */
enum screen_button {
	SCREEN_BTN_NONE = 0,
	SCREEN_BTN_LANG,        /* switch to the other language (top right on every screen) */
	SCREEN_BTN_CALL_STAFF,  /* bottom left on every screen */
	SCREEN_BTN_YES,         /* identity: this is me */
	SCREEN_BTN_NO,          /* identity: not me */
	SCREEN_BTN_FAMILY_DONE, /* family: that is everyone */
	SCREEN_BTN_ACK,         /* briefing: I have read and will comply */
	SCREEN_BTN_STAY,        /* countdown: I am still here */
	SCREEN_BTN_CANCEL_CALL, /* call staff: no longer needed */
	SCREEN_BTN_STAFF_CLOSE, /* staff overlay: close */
	SCREEN_BTN_DISMISS,     /* refusal, done: back to the start */
	SCREEN_BTN_CANCEL,      /* approval: withdraw (the member is not added / start over) */
	SCREEN_BTN_KEY_0 = 100, /* keypad digits: SCREEN_BTN_KEY_0 + digit */
	SCREEN_BTN_KEY_CLEAR = 110,
	SCREEN_BTN_KEY_DELETE,
	SCREEN_BTN_KEY_OK,
	SCREEN_BTN_STAFF_APPROVE = 200, /* staff panel: approve the pending decision */
	SCREEN_BTN_STAFF_DENY,
	SCREEN_BTN_STAFF_RESUME,   /* close the panel, the session goes on */
	SCREEN_BTN_STAFF_END,      /* end the session */
	SCREEN_BTN_REMOVE_0 = 300, /* family: remove list entry i: SCREEN_BTN_REMOVE_0 + i */
	SCREEN_BTN_REMOVE_LAST = SCREEN_BTN_REMOVE_0 + 15,
};

#define SCREEN_SCROLL_BRIEFING 1 /* scroll view id of the briefing text */
#define SCREEN_STEPS           4 /* scan, confirm, rules, wristband */

/* What every screen shows around its content. */
struct screen_common {
	enum lang lang;
	int step;        /* current step 0..3 of the indicator; -1: none (attract, verdicts) */
	int countdown_s; /* > 0: the last seconds before returning to start, shown over all */
	bool offline;    /* the staff-visible offline mark */
};

enum screen_verdict {
	SCREEN_VERDICT_VALID,     /* green, tick */
	SCREEN_VERDICT_REFUSED,   /* red, cross */
	SCREEN_VERDICT_ATTENTION, /* amber, exclamation */
};

/* Each builder starts dl afresh (dl_init at l's size) and returns 0, or -ENOSPC when the list
 * ran out of room. Borrowed strings are copied into dl. */

/* Attract: "scan your health code" in Chinese and English, how to, the picture of a phone
 * (or the camera preview with its guide frame when camera is set), the bus group's queue
 * position when pos > 0. */
int screen_attract(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct screen_common *c, bool camera, int pos, int total);

/* A verdict filling the screen: one colour, one word, an icon, details (detail may be NULL)
 * and a staff-facing code (may be NULL) underneath. */
int screen_verdict(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct screen_common *c, enum screen_verdict v, const char *detail,
                   const char *code);

/* Identity confirmation with masked name and ID ("张*三", "4403**********1234"). */
int screen_identity(struct display_list *dl, const struct layout *l, const struct strings *s,
                    const struct screen_common *c, const char *masked_name, const char *masked_id,
                    enum category category);

/* The same with a note under the card (may be NULL: none): an international certificate read
 * before this code ("International certificate: vaccination ..., issued by DE"). */
int screen_identity_note(struct display_list *dl, const struct layout *l, const struct strings *s,
                         const struct screen_common *c, const char *masked_name,
                         const char *masked_id, enum category category, const char *note);

/* An international health certificate read as supporting evidence (texts already in the
 * screen's language; any may be NULL). */
struct screen_evidence {
	const char *name;   /* the name as the certificate gives it, masked */
	const char *latest; /* kind and day of the latest event: "Vaccination 29 May 2021" */
	const char *issuer; /* issuing country ("DE") or issuer ("spec.smarthealth.cards") */
};
/* "International certificate read" with a tick, the facts in a card (name, latest event,
 * issuer), then what to do next: "Please now scan your health code" beside the phone
 * picture (below the card in portrait), and "start over" (SCREEN_BTN_CANCEL) bottom right. */
int screen_evidence(struct display_list *dl, const struct layout *l, const struct strings *s,
                    const struct screen_common *c, const struct screen_evidence *e);

struct screen_member {
	const char *masked_name;
	const char *relation_key; /* strings key: "family.you", "family.child", "family.member" */
	bool removable;           /* a "remove" button SCREEN_BTN_REMOVE_0 + index */
};
/* Family members placed together, as rows (two columns in landscape, three for more than
 * four people); as many as fit are listed (the count line always says how many). notice (may
 * be NULL): why the last scan was not added, shown in a box above the list, with action (what
 * to do, may be NULL) when a row of the list still fits below. busy: a member's code is being
 * checked; "no one else" and the remove buttons are shown disabled. People are added by
 * scanning: the screen has no "add" button. */
int screen_family(struct display_list *dl, const struct layout *l, const struct strings *s,
                  const struct screen_common *c, const struct screen_member *members, int n,
                  const char *notice, const char *action, bool busy);

/* The briefing: text (from assets/briefing/), scrolled in view SCREEN_SCROLL_BRIEFING; the
 * acknowledge button is enabled once wait_s == 0 and read_to_end is set; a hint says which
 * of the two is missing. */
int screen_briefing(struct display_list *dl, const struct layout *l, const struct strings *s,
                    const struct screen_common *c, const char *text, int wait_s, bool read_to_end);

enum screen_print {
	SCREEN_PRINT_PRINTING,
	SCREEN_PRINT_DONE,
	SCREEN_PRINT_FAILED,  /* collect the wristband at the desk */
	SCREEN_PRINT_NO_ROOM, /* recorded without a room: room and band at the front desk (a
	                       * staff icon, no printer, no "wear your band") */
};
/* Room and wristband: the room number at DL_HUGE, the planned release day, print state.
 * Once printed or failed, a "done" button (SCREEN_BTN_DISMISS) at the bottom right. room
 * NULL or "": no room card (a reprint whose room is not known yet). */
int screen_room(struct display_list *dl, const struct layout *l, const struct strings *s,
                const struct screen_common *c, const char *room, hk_day release,
                enum screen_print print);

/* A refusal: red (SCREEN_VERDICT_REFUSED, a cross) or amber (SCREEN_VERDICT_ATTENTION, an
 * exclamation mark: try again, staff can help) filling the screen; what happened (title, NULL:
 * the generic title), what to do (detail, may be NULL), the reason code for staff, a large
 * call-staff button and "back to start" (SCREEN_BTN_DISMISS). */
int screen_refusal(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct screen_common *c, enum screen_verdict tone, const char *title,
                   const char *detail, const char *code);

/* The call-staff state, readable from across the hall: amber, "staff are on their way",
 * detail (may be NULL: the generic "wait here"), the code at display size (may be NULL). A
 * button bottom left with cancel_id (SCREEN_BTN_CANCEL_CALL: "no longer needed";
 * SCREEN_BTN_CANCEL: "cancel"; 0: none). */
int screen_call_staff(struct display_list *dl, const struct layout *l, const struct strings *s,
                      const struct screen_common *c, const char *detail, const char *code,
                      int cancel_id);

/* Staff PIN entry over a dimmed screen: digits entered shown as dots, a 3x4 keypad (delete
 * bottom left, OK bottom right), close. checking: the PIN was sent; keys disabled and
 * "checking" shown. */
int screen_staff_pin(struct display_list *dl, const struct layout *l, const struct strings *s,
                     const struct screen_common *c, int digits, bool wrong, bool checking);

/* A step that waits for the machine: an icon, a heading, a detail line (may be NULL) and a
 * progress bar at permille (0..1000; < 0: none). */
int screen_busy(struct display_list *dl, const struct layout *l, const struct strings *s,
                const struct screen_common *c, enum dl_icon icon, const char *title,
                const char *detail, int permille);

/* What the staff panel shows and offers. */
struct screen_staff {
	const char *decision; /* what is pending ("approve walk-in"), NULL: nothing pending */
	const char *subject;  /* masked name of the person concerned, may be NULL */
	const char *reason;   /* what happened, in the panel's language, may be NULL */
	const char *code;     /* reason code and staff hint ("E_YELLOW_CODE"), may be NULL */
	int sync_waiting;     /* records not yet sent; < 0 unknown */
	const char *status;   /* the sync line as the wiring composed it (replaces the line
	                       * from sync_waiting), may be NULL */
	bool status_warn;     /* status shown as an amber pill (the station is not reachable) */
	const char *storage;  /* the store's free disk space as the wiring composed it, may be
	                       * NULL */
	bool storage_warn;    /* storage shown as a warning (below the configured minimum) */
};
/* The signed-in staff panel over a dimmed screen: the pending decision with its reason code,
 * approve / deny (enabled only when a decision is pending), resume and end session, online or
 * offline with the records waiting to sync, the free disk space, and that every action is
 * audited. */
int screen_staff_panel(struct display_list *dl, const struct layout *l, const struct strings *s,
                       const struct screen_common *c, const struct screen_staff *st);

/* The security post: "scan a wristband" or a verdict filling the screen. */
struct screen_checkpoint {
	const char *checkpoint;   /* the configured checkpoint name, shown top left */
	bool verdict;             /* false: ready ("scan a wristband") */
	bool checking;            /* ready: a scan is being looked up */
	bool camera;              /* ready: camera preview instead of the picture */
	enum screen_verdict tone; /* VALID green, ATTENTION amber, REFUSED red */
	const char *why;          /* what the verdict means (reason text), may be NULL */
	const char *code;         /* reason code for staff, may be NULL */
	bool has_resident;        /* the facts below are known */
	const char *room;
	const char *name; /* masked */
	enum risk risk;
	int day, days; /* "day N of M"; day 0: "arrival day" (a late arrival, day 1 is the next
	                  day); day < 0 or days 0: not shown */
	unsigned care; /* RESIDENT_CARE_* bits (app/core/resident.h) */
	const char *data_age; /* for staff: how old the replica is, may be NULL */
	bool data_stale;      /* data_age shown as a warning */
};
/* Ready: checkpoint, picture or camera, "scan a wristband", "checking" while a lookup runs,
 * the data age bottom left. Verdict: the whole screen green / amber / red with an icon and one
 * word at display size, why, and a white card with the room, masked name, risk colour with its
 * word, day N of the term and care markers (a red heart for psychological care); "next"
 * (SCREEN_BTN_DISMISS) bottom right. The language switch is top right on both. */
int screen_checkpoint(struct display_list *dl, const struct layout *l, const struct strings *s,
                      enum lang lang, const struct screen_checkpoint *v);

#endif
