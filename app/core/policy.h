/* app/core/policy.h: the station's quarantine rules as data: the term per category, the day
 * count and release days, extensions, and what the entrance does with a health-code colour
 * or a walk-in. Pure: time is passed in. The rules in words: docs/policy.md. */
#ifndef HK_CORE_POLICY_H
#define HK_CORE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/types.h"

/* A quarantine term: days on site, then days of home observation. "14" is 14+0, "21+7" is
 * 21 days on site then 7 at home. */
struct policy_term {
	int onsite_days; /* 1..POLICY_TERM_DAYS_MAX */
	int home_days;   /* 0..POLICY_TERM_DAYS_MAX */
};

#define POLICY_TERM_DAYS_MAX 99
#define POLICY_TERM_STR_MAX  6 /* "99+99" and the NUL */
#define POLICY_EXTEND_MAX    366

/* Parse a term exactly: "N" or "N+M", decimal digits only, no sign, no spaces, no leading
 * zero, 1 <= N <= 99, 1 <= M <= 99 (write "14", not "14+0"). False on anything else; *out
 * is left alone then. */
bool policy_term_parse(const char *s, struct policy_term *out);
/* Format a valid term as policy_term_parse reads it ("14", "21+7") into buf; returns buf,
 * or NULL (buf set to "") if the term is not valid. */
char *policy_term_format(struct policy_term t, char buf[POLICY_TERM_STR_MAX]);
bool policy_term_valid(struct policy_term t);

/* The colour of a health code as the verifier read it. */
enum policy_code_colour {
	POLICY_CODE_GREEN,
	POLICY_CODE_YELLOW,
	POLICY_CODE_RED,
	POLICY_CODE_COLOUR_COUNT
};

/* What the entrance does next. Ordered from least to most intervention. */
enum policy_action {
	POLICY_ADMIT,            /* continue self-service check-in */
	POLICY_ADMIT_DESIGNATED, /* continue; the room must be on a designated floor */
	POLICY_STAFF_APPROVAL,   /* continue only after a staff member approves at the kiosk */
	POLICY_CALL_MEDIC,       /* stop; call the station's medic, who decides */
	POLICY_REFUSE,           /* not admitted here; staff direct the person elsewhere */
	POLICY_ACTION_COUNT
};

/* One station's configuration. Fill with policy_defaults(), then change fields. */
struct policy {
	struct policy_term term[CATEGORY_COUNT]; /* default term per category */
	int32_t tz_offset_s;                     /* station zone, seconds east of UTC */
	int cutoff_hour; /* 0..24: arriving before HH:00 local makes the arrival day day 1 */
	enum policy_action code_action[CATEGORY_COUNT][POLICY_CODE_COLOUR_COUNT];
	enum policy_action walk_in; /* not on the manifest: POLICY_REFUSE or _STAFF_APPROVAL */
};

/* Defaults: inbound 14+7, close contact 14+7, secondary contact 14; UTC+8; cut-off 12:00;
 * green admit; yellow admit; red: close contact admit to a designated floor, others call
 * the medic; walk-ins need staff approval. */
void policy_defaults(struct policy *p);
/* True if every field is in range (terms valid, cut-off 0..24, |zone| <= 14 h, actions
 * known, walk_in one of the two allowed). */
bool policy_valid(const struct policy *p);

/* One resident's dates, all station-local days. Plain data: a plan read back from the store
 * is rebuilt by filling the fields. */
struct policy_plan {
	struct policy_term term; /* the term it was made with, before extensions */
	int32_t tz_offset_s;     /* zone the days are counted in */
	hk_day arrival_day;      /* local day of the actual arrival */
	hk_day first_day;        /* "day 1" of the term */
	hk_day release_day;      /* first day off site (the person leaves that day) */
	hk_day home_end_day;     /* first day free of home observation (= release_day if none) */
	int extended_days;       /* days added by extensions so far */
};

/* Plan a term for a person who arrived (checked in) at arrived_at (unix seconds, UTC).
 * term: the manifest's own term for this person, or NULL for the category's default. The
 * count runs from the actual arrival, never from the manifest's expected day: day 1 is the
 * arrival day if the arrival is before the cut-off hour local, else the next day;
 * release_day = first_day + onsite_days; home_end_day = release_day + home_days.
 * Returns 0, or -EINVAL (bad policy, category or term; *out untouched). */
int policy_plan_make(const struct policy *p, enum category c, const struct policy_term *term,
                     int64_t arrived_at, struct policy_plan *out);

/* Extend a plan: the person must stay on site until at least from_day + days (from_day, e.g.
 * the day of a positive test, counts as day 0 of the extension). Never shortens: if the
 * plan already ends later, nothing changes. Home observation moves with the release day.
 * Returns 0, or -EINVAL (days not 1..POLICY_EXTEND_MAX, from_day before arrival). */
int policy_plan_extend(struct policy_plan *plan, hk_day from_day, int days);

/* "Day N" shown at a security post at now (unix seconds): 1 on first_day, onsite days on
 * the last on-site day, 0 on an arrival day after the cut-off, negative before arrival,
 * and beyond the term after release. */
int policy_plan_day(const struct policy_plan *plan, int64_t now);
/* Days on site in all, extensions included (release_day - first_day). */
int policy_plan_onsite_days(const struct policy_plan *plan);

enum policy_phase {
	POLICY_PHASE_NOT_STARTED, /* before day 1 (day 0 or earlier) */
	POLICY_PHASE_ON_SITE,     /* day 1 .. last on-site day */
	POLICY_PHASE_HOME,        /* released, in home observation */
	POLICY_PHASE_DONE         /* free of any obligation */
};
enum policy_phase policy_plan_phase(const struct policy_plan *plan, int64_t now);
/* True from 00:00 local of the release day on: the person may leave the site. */
bool policy_plan_released(const struct policy_plan *plan, int64_t now);

/* The decision table: what the entrance does with a person of category c showing a code of
 * colour col. Out-of-range arguments give POLICY_REFUSE, the safe answer. */
enum policy_action policy_for_code_colour(const struct policy *p, enum category c,
                                          enum policy_code_colour col);
/* What the entrance does with a person who is not on the manifest. */
enum policy_action policy_for_walk_in(const struct policy *p);
/* The reason to show or log when a code's colour is why the entrance stopped or changed
 * course: REASON_RED_CODE, REASON_YELLOW_CODE; REASON_OK for green. */
enum reason policy_code_reason(enum policy_code_colour col);

/* Names in configuration files: "green" "yellow" "red"; "admit" "admit_designated"
 * "staff_approval" "call_medic" "refuse". *_name never NULL ("?"); *_parse false for an
 * unknown name, *out left alone. */
const char *policy_code_colour_name(enum policy_code_colour col);
bool policy_code_colour_parse(const char *s, enum policy_code_colour *out);
const char *policy_action_name(enum policy_action a);
bool policy_action_parse(const char *s, enum policy_action *out);

#endif
