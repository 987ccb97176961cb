/* app/core/screen_entrance.h: the entrance flow's state as a screen. One pure function maps
 * every (state, overlay) of struct flow_entrance to the screens of screens.h, and one maps a
 * tapped button back to the flow's input: the flow decides, the screens show. */
#ifndef HK_CORE_SCREEN_ENTRANCE_H
#define HK_CORE_SCREEN_ENTRANCE_H

#include <stdbool.h>

#include "app/core/display.h"
#include "app/core/events.h"
#include "app/core/flow_entrance.h"
#include "app/core/screens.h"
#include "app/core/strings.h"

/* What the screens show that the flow does not hold. All fields may be zero. */
struct screen_entrance_extra {
	const char *briefing;    /* the briefing text in f->lang, NUL-terminated (borrowed); NULL:
	                            an empty text */
	bool camera;             /* attract: show the camera preview (DL_IMAGE_CAMERA) */
	int queue_pos;           /* attract: place in the current bus batch, 1-based; 0 unknown */
	int queue_total;         /* attract: people in the batch; 0 unknown */
	bool offline;            /* the store cannot reach the station server (staff mark) */
	int sync_waiting;        /* staff panel: records not yet synced; < 0 unknown */
	const char *sync_status; /* staff panel: the sync line (kiosk_sync_status_text), NULL:
	                          * from sync_waiting; residents never see it */
	bool sync_warn;          /* staff panel: sync_status as a warning (station unreachable) */
	const char *storage;     /* staff panel: the store's free disk space ("staff.storage.*"),
	                          * NULL: not shown */
	bool storage_warn;       /* staff panel: storage below the configured minimum */
};

/* Build the screen for f into dl (started afresh) at l's size, in f->lang. Texts come from s:
 * assets/strings/ui.json plus the reason texts (reason_text_add_json()). Reads f only;
 * f->now_ms is the time used for the briefing's remaining reading time and the progress of
 * waiting screens, so the wiring builds after each flow_entrance_step(). x may be NULL.
 * Returns 0, or -ENOSPC when the list ran out of room. Personal data shown: masked name and ID
 * only, and only while f holds them. */
int screen_entrance_build(struct display_list *dl, const struct layout *l, const struct strings *s,
                          const struct flow_entrance *f, const struct screen_entrance_extra *x);

/* What a tapped screen button (enum screen_button id, from dl_hit_test() or ui events)
 * asks of the flow. */
enum screen_input {
	SCREEN_INPUT_NONE,     /* no input for the flow */
	SCREEN_INPUT_TOUCH,    /* EV_TOUCH with the button and arg given */
	SCREEN_INPUT_LANGUAGE, /* EV_LANGUAGE: switch to the other language */
	SCREEN_INPUT_ACK,      /* EV_ACK with the version of the briefing text shown */
};
enum screen_input screen_entrance_input(int screen_button_id, enum button *b, int *arg);

/* True when the id is an EV_TOUCH button; *b and *arg set (arg 0 when the button has none).
 * False for the language button, the acknowledgement (see screen_entrance_input()) and
 * unknown ids; *b = BTN_NONE and *arg = 0 then. */
bool screen_entrance_button(int screen_button_id, enum button *b, int *arg);

/* The whole event for a tapped button: EV_TOUCH, EV_LANGUAGE (the language other than
 * f->lang) or EV_ACK carrying briefing_version (the version of the text shown; may be NULL
 * for other buttons). *ev is zeroed first. Returns false (ev->kind EV_NONE) when the id means
 * nothing to the flow. */
bool screen_entrance_event(int screen_button_id, const struct flow_entrance *f,
                           const char *briefing_version, struct event *ev);

/* The colour a refusal is shown in: SCREEN_VERDICT_REFUSED (red: the person cannot be checked
 * in as things stand: red code, forged or withdrawn code, not on the list, staff said no) or
 * SCREEN_VERDICT_ATTENTION (amber: try again, or staff will sort it out). */
enum screen_verdict screen_entrance_tone(enum reason r);

#endif
