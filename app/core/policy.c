/* app/core/policy.c: quarantine terms, day counting, release days and the entrance's
 * decision table. Pure arithmetic on days; every "now" comes from the caller. */
#include "app/core/policy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const code_colour_names[POLICY_CODE_COLOUR_COUNT] = {"green", "yellow", "red"};
static const char *const action_names[POLICY_ACTION_COUNT] = {
    "admit", "admit_designated", "staff_approval", "call_medic", "refuse"};

/* Reads 1..99 written without a leading zero at *s; advances *s. */
static bool parse_days(const char **s, int *out)
{
	const char *p = *s;
	int v = 0, n = 0;
	if (*p < '1' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9' && n < 3) {
		v = v * 10 + (*p - '0');
		p++;
		n++;
	}
	if (v > POLICY_TERM_DAYS_MAX)
		return false;
	*s = p;
	*out = v;
	return true;
}

bool policy_term_valid(struct policy_term t)
{
	return t.onsite_days >= 1 && t.onsite_days <= POLICY_TERM_DAYS_MAX && t.home_days >= 0 &&
	       t.home_days <= POLICY_TERM_DAYS_MAX;
}

bool policy_term_parse(const char *s, struct policy_term *out)
{
	struct policy_term t = {0, 0};
	if (!s || !parse_days(&s, &t.onsite_days))
		return false;
	if (*s == '+') {
		s++;
		if (!parse_days(&s, &t.home_days))
			return false;
	}
	if (*s != '\0')
		return false;
	*out = t;
	return true;
}

char *policy_term_format(struct policy_term t, char buf[POLICY_TERM_STR_MAX])
{
	buf[0] = '\0';
	if (!policy_term_valid(t))
		return NULL;
	if (t.home_days)
		snprintf(buf, POLICY_TERM_STR_MAX, "%d+%d", t.onsite_days, t.home_days);
	else
		snprintf(buf, POLICY_TERM_STR_MAX, "%d", t.onsite_days);
	return buf;
}

void policy_defaults(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->term[CATEGORY_INBOUND] = (struct policy_term){14, 7};
	p->term[CATEGORY_CLOSE_CONTACT] = (struct policy_term){14, 7};
	p->term[CATEGORY_SECONDARY_CONTACT] = (struct policy_term){14, 0};
	p->tz_offset_s = 8 * 3600;
	p->cutoff_hour = 12;
	for (int c = 0; c < CATEGORY_COUNT; c++) {
		p->code_action[c][POLICY_CODE_GREEN] = POLICY_ADMIT;
		p->code_action[c][POLICY_CODE_YELLOW] = POLICY_ADMIT;
		p->code_action[c][POLICY_CODE_RED] = POLICY_CALL_MEDIC;
	}
	/* Close contacts are sent here because their code turned red: expected, not alarming. */
	p->code_action[CATEGORY_CLOSE_CONTACT][POLICY_CODE_RED] = POLICY_ADMIT_DESIGNATED;
	p->walk_in = POLICY_STAFF_APPROVAL;
}

static bool action_known(enum policy_action a)
{
	return (unsigned)a < POLICY_ACTION_COUNT;
}

bool policy_valid(const struct policy *p)
{
	if (!p || p->cutoff_hour < 0 || p->cutoff_hour > 24)
		return false;
	if (p->tz_offset_s < -14 * 3600 || p->tz_offset_s > 14 * 3600)
		return false;
	for (int c = 0; c < CATEGORY_COUNT; c++) {
		if (!policy_term_valid(p->term[c]))
			return false;
		for (int col = 0; col < POLICY_CODE_COLOUR_COUNT; col++)
			if (!action_known(p->code_action[c][col]))
				return false;
	}
	return p->walk_in == POLICY_REFUSE || p->walk_in == POLICY_STAFF_APPROVAL;
}

int policy_plan_make(const struct policy *p, enum category c, const struct policy_term *term,
                     int64_t arrived_at, struct policy_plan *out)
{
	if (!policy_valid(p) || (unsigned)c >= CATEGORY_COUNT || !out)
		return -EINVAL;
	struct policy_term t = term ? *term : p->term[c];
	if (!policy_term_valid(t))
		return -EINVAL;
	hk_day arrival = day_from_unix(arrived_at, p->tz_offset_s);
	int64_t local = arrived_at + p->tz_offset_s;
	int64_t second_of_day = local - (int64_t)arrival * 86400;
	struct policy_plan plan = {
	    .term = t,
	    .tz_offset_s = p->tz_offset_s,
	    .arrival_day = arrival,
	    .first_day = arrival + (second_of_day >= (int64_t)p->cutoff_hour * 3600 ? 1 : 0),
	};
	plan.release_day = plan.first_day + t.onsite_days;
	plan.home_end_day = plan.release_day + t.home_days;
	*out = plan;
	return 0;
}

int policy_plan_extend(struct policy_plan *plan, hk_day from_day, int days)
{
	if (!plan || days < 1 || days > POLICY_EXTEND_MAX || from_day < plan->arrival_day)
		return -EINVAL;
	hk_day until = from_day + days;
	if (until <= plan->release_day)
		return 0;
	int added = until - plan->release_day;
	plan->release_day = until;
	plan->home_end_day += added;
	plan->extended_days += added;
	return 0;
}

static hk_day plan_today(const struct policy_plan *plan, int64_t now)
{
	return day_from_unix(now, plan->tz_offset_s);
}

int policy_plan_day(const struct policy_plan *plan, int64_t now)
{
	return plan_today(plan, now) - plan->first_day + 1;
}

int policy_plan_onsite_days(const struct policy_plan *plan)
{
	return plan->release_day - plan->first_day;
}

enum policy_phase policy_plan_phase(const struct policy_plan *plan, int64_t now)
{
	hk_day today = plan_today(plan, now);
	if (today < plan->first_day)
		return POLICY_PHASE_NOT_STARTED;
	if (today < plan->release_day)
		return POLICY_PHASE_ON_SITE;
	if (today < plan->home_end_day)
		return POLICY_PHASE_HOME;
	return POLICY_PHASE_DONE;
}

bool policy_plan_released(const struct policy_plan *plan, int64_t now)
{
	return plan_today(plan, now) >= plan->release_day;
}

enum policy_action policy_for_code_colour(const struct policy *p, enum category c,
                                          enum policy_code_colour col)
{
	if (!p || (unsigned)c >= CATEGORY_COUNT || (unsigned)col >= POLICY_CODE_COLOUR_COUNT)
		return POLICY_REFUSE;
	enum policy_action a = p->code_action[c][col];
	return action_known(a) ? a : POLICY_REFUSE;
}

enum policy_action policy_for_walk_in(const struct policy *p)
{
	if (p && p->walk_in == POLICY_STAFF_APPROVAL)
		return POLICY_STAFF_APPROVAL;
	return POLICY_REFUSE;
}

enum reason policy_code_reason(enum policy_code_colour col)
{
	switch (col) {
	case POLICY_CODE_GREEN:
		return REASON_OK;
	case POLICY_CODE_YELLOW:
		return REASON_YELLOW_CODE;
	default:
		return REASON_RED_CODE;
	}
}

static int index_of(const char *const *names, int count, const char *s)
{
	for (int i = 0; s && i < count; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *policy_code_colour_name(enum policy_code_colour col)
{
	return (unsigned)col < POLICY_CODE_COLOUR_COUNT ? code_colour_names[col] : "?";
}

bool policy_code_colour_parse(const char *s, enum policy_code_colour *out)
{
	int i = index_of(code_colour_names, POLICY_CODE_COLOUR_COUNT, s);
	if (i < 0)
		return false;
	*out = (enum policy_code_colour)i;
	return true;
}

const char *policy_action_name(enum policy_action a)
{
	return action_known(a) ? action_names[a] : "?";
}

bool policy_action_parse(const char *s, enum policy_action *out)
{
	int i = index_of(action_names, POLICY_ACTION_COUNT, s);
	if (i < 0)
		return false;
	*out = (enum policy_action)i;
	return true;
}
