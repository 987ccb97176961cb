/* app/core/screen_frontdesk.h: the front desk's flow (struct flow_frontdesk) as screens, and
 * the desk's buttons back to its input: what staff type and pick on the touchscreen (PIN,
 * search text, the action being filled in) lives in struct desk_form until it becomes a flow
 * event. Pure. See docs/flow-frontdesk.md. */
#ifndef HK_CORE_SCREEN_FRONTDESK_H
#define HK_CORE_SCREEN_FRONTDESK_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/display.h"
#include "app/core/flow_frontdesk.h"
#include "app/core/screens.h"
#include "app/core/strings.h"

/* Button ids of the desk's screens (the PIN overlay uses screens.h's keypad ids). */
enum desk_button {
	DESK_BTN_SIGN_OUT = 1000,
	DESK_BTN_OCCUPANCY,
	DESK_BTN_BACK,
	DESK_BTN_SEARCH,     /* the search key of the keyboard */
	DESK_BTN_DELETE,     /* keyboard: delete the last character */
	DESK_BTN_CLEAR,      /* keyboard: empty the field */
	DESK_BTN_PREV,       /* results or occupancy: previous page */
	DESK_BTN_NEXT,       /* results or occupancy: next page */
	DESK_BTN_CONFIRM,    /* confirmation: do it */
	DESK_BTN_CANCEL,     /* confirmation or form: do not */
	DESK_BTN_CONTINUE,   /* form: filled in, on to the confirmation */
	DESK_BTN_NOTE,       /* form: type the note on the keyboard */
	DESK_BTN_TYPED,      /* form keyboard: done typing */
	DESK_BTN_DAYS_MINUS, /* extension form */
	DESK_BTN_DAYS_PLUS,
	DESK_BTN_BY_0 = 1020,     /* search by: + enum desk_search_by */
	DESK_BTN_PAGE_0 = 1030,   /* keyboard page: + enum desk_kbd_page */
	DESK_BTN_TAB_0 = 1040,    /* card tab: + enum desk_card_tab */
	DESK_BTN_RISK_0 = 1050,   /* risk form: + enum risk */
	DESK_BTN_PRESET_0 = 1060, /* form: + index of a preset reason (< DESK_PRESETS) */
	DESK_BTN_ACT_0 = 1070,    /* card actions: + enum desk_act_slot */
	DESK_BTN_KEY_0 = 1100,    /* keyboard: + index of the key on its page (< 40) */
	DESK_BTN_ROW_0 = 1200,    /* result list: + index into the results */
};

#define DESK_PRESETS 3 /* preset reasons offered per action */

/* The keyboard's pages: digits, Latin capitals, common surnames (Chinese names are
 * searched by a character of the masked name; the surname page is the usual one). */
enum desk_kbd_page {
	DESK_KBD_DIGITS,
	DESK_KBD_LETTERS,
	DESK_KBD_SURNAMES,
	DESK_KBD_PAGE_COUNT
};

enum desk_card_tab {
	DESK_TAB_DETAILS, /* check-in details, plan, band */
	DESK_TAB_HISTORY, /* risk colours, labels printed, scans */
	DESK_TAB_ACTIONS, /* the nine action buttons */
	DESK_TAB_COUNT
};

/* The action buttons of a card, in their order on the screen. */
enum desk_act_slot {
	DESK_SLOT_DOOR,
	DESK_SLOT_MEAL,
	DESK_SLOT_TUBE,
	DESK_SLOT_REPRINT,
	DESK_SLOT_VOID,
	DESK_SLOT_RISK,
	DESK_SLOT_RELEASE,
	DESK_SLOT_TRANSFER,
	DESK_SLOT_EXTEND,
	DESK_SLOT_COUNT
};

/* What staff are filling in on the screen. Kept by the wiring, changed only by
 * screen_frontdesk_press() and desk_form_follow(); wiped with the session. */
struct desk_form {
	enum lang lang;
	char pin[FLOW_PIN_MAX + 1]; /* digits typed on the PIN keypad */
	enum desk_search_by by;
	char query[DESK_QUERY_MAX];
	enum desk_kbd_page page;
	enum desk_card_tab tab;
	int results_page;
	int occ_page;
	struct desk_request req; /* the action being filled in; .action NONE: none */
	bool typing;             /* the keyboard is open on req.note */
	enum desk_state seen;    /* the flow state the form last followed */
};

/* What the screens show that the flow does not hold. */
struct screen_frontdesk_extra {
	int64_t now_unix;        /* for "today", times and ages */
	int32_t tz_offset_s;     /* the station's zone */
	bool sync_configured;    /* false: the device has no station to sync with ("no station") */
	const char *sync_status; /* the sync client's line for staff (online / offline since /
	                          * refused, records waiting); NULL: built from the occupancy's
	                          * last sync and outbox count */
	bool sync_warn;          /* sync_status says the station is not reachable: drawn red */
};

/* A fresh form in lang (search by room, the digits page). */
void desk_form_init(struct desk_form *form, enum lang lang);

/* Bring the form in line with the flow after a step: the PIN typed is wiped when the PIN
 * screen is left, the form closes when the card is left or an action was sent, pages go
 * back to the first when a new list arrives, everything but the language is wiped at
 * sign-out. */
void desk_form_follow(struct desk_form *form, const struct flow_frontdesk *f);

/* Build the desk's screen for f and form into dl at l's size: signed out ("scan your staff
 * badge", lockout), the PIN keypad (the entrance's staff keypad), home (search by room,
 * name, batch or band with an on-screen keyboard), the result list, a resident's card
 * (details, history, actions), an action's form (risk colour, days, reason), the
 * confirmation, the occupancy grid, and a wait screen while the store or the printer works.
 * Texts from s (ui.json, frontdesk.json, reasons). x may be NULL (no clock: times are left
 * out; no station). Returns 0 or -ENOSPC. */
int screen_frontdesk_build(struct display_list *dl, const struct layout *l, const struct strings *s,
                           const struct flow_frontdesk *f, const struct desk_form *form,
                           const struct screen_frontdesk_extra *x);

/* A tapped button (id from dl_hit_test) on the screen built for f and form: the form
 * changes, and when the flow must hear of it *ev is filled and true returned (a typed PIN,
 * a search, a row opened, an action filled in, confirm, cancel, back, occupancy, sign-out).
 * s gives the preset reasons' texts. */
bool screen_frontdesk_press(struct desk_form *form, const struct flow_frontdesk *f,
                            const struct strings *s, int id, struct desk_event *ev);

/* The name of a button for automation ("KEY", "SEARCH", "ROW", "ACT", ...) and its
 * argument (key index, row, slot; 0 otherwise). Never NULL ("?" for unknown ids). */
const char *screen_frontdesk_button_name(int id, int *arg);

/* The request a card action slot makes (label, action; risk and days defaulted). */
struct desk_request desk_slot_request(enum desk_act_slot slot);

#endif
