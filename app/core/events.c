/* app/core/events.c: names of the entrance events and effects, and lookups in an effect list. */
#include "app/core/events.h"

#include <string.h>

static const char *const event_names[EV_KIND_COUNT] = {
    "EV_NONE",      "EV_TICK",         "EV_SCAN",        "EV_VERIFIED",  "EV_TOUCH",
    "EV_LANGUAGE",  "EV_BRIEFING_END", "EV_ACK",         "EV_ASSIGNED",  "EV_ASSIGN_FAILED",
    "EV_PRINTED",   "EV_PRINT_FAILED", "EV_STAFF_BADGE", "EV_STAFF_PIN", "EV_STAFF_OK",
    "EV_STAFF_BAD", "EV_STORAGE",
};

static const char *const effect_names[FX_KIND_COUNT] = {
    "FX_NONE",  "FX_VERIFY",    "FX_CHECKIN", "FX_PRINT",   "FX_REPRINT",   "FX_BEEP",
    "FX_AUDIT", "FX_CHECK_PIN", "FX_CLEAR",   "FX_TIMINGS", "FX_PIN_STATE",
};

static const char *const button_names[BTN_COUNT] = {
    "BTN_NONE",          "BTN_THIS_IS_ME",    "BTN_NOT_ME",     "BTN_ADD_DONE",
    "BTN_REMOVE_MEMBER", "BTN_CANCEL",        "BTN_DISMISS",    "BTN_CALL_STAFF",
    "BTN_CANCEL_CALL",   "BTN_PIN_DIGIT",     "BTN_PIN_BACK",   "BTN_PIN_ENTER",
    "BTN_PIN_CANCEL",    "BTN_STAFF_APPROVE", "BTN_STAFF_DENY", "BTN_STAFF_RESUME",
    "BTN_STAFF_END",
};

static const char *const audit_names[AUDIT_ACTION_COUNT] = {
    "AUDIT_STAFF_LOGIN",
    "AUDIT_STAFF_PIN_BAD",
    "AUDIT_STAFF_LOCKED_OUT",
    "AUDIT_APPROVE_ADMIT",
    "AUDIT_DENY_ADMIT",
    "AUDIT_APPROVE_REPRINT",
    "AUDIT_DENY_REPRINT",
    "AUDIT_RESUME",
    "AUDIT_END_SESSION",
    "AUDIT_STAFF_LOGOUT",
    "AUDIT_STAFF_LOCKED_ATTEMPT",
    "AUDIT_VIEW_CARD",
    "AUDIT_PRINT_LABEL",
    "AUDIT_REPRINT_BAND",
    "AUDIT_VOID_BAND",
    "AUDIT_SET_RISK",
    "AUDIT_RELEASE",
    "AUDIT_TRANSFER",
    "AUDIT_EXTEND",
    "AUDIT_APPROVE_NO_ROOM",
    "AUDIT_DENY_NO_ROOM",
};

static const char *const lang_codes[FLOW_LANG_COUNT] = {"zh", "en"};
static const char *const code_names[FLOW_CODE_COUNT] = {"green", "yellow", "red"};
static const char *const policy_names[FLOW_POLICY_COUNT] = {"default", "allow", "staff", "refuse"};

static const char *name_of(const char *const *names, int count, int v)
{
	return v >= 0 && v < count && names[v] ? names[v] : "?";
}

static int index_of(const char *const *names, int count, const char *s)
{
	for (int i = 0; s && i < count; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *event_kind_name(enum event_kind k)
{
	return name_of(event_names, EV_KIND_COUNT, (int)k);
}

const char *effect_kind_name(enum effect_kind k)
{
	return name_of(effect_names, FX_KIND_COUNT, (int)k);
}

const char *button_name(enum button b)
{
	return name_of(button_names, BTN_COUNT, (int)b);
}

const char *audit_action_name(enum audit_action a)
{
	return name_of(audit_names, AUDIT_ACTION_COUNT, (int)a);
}

const char *flow_lang_code(enum flow_lang l)
{
	return name_of(lang_codes, FLOW_LANG_COUNT, (int)l);
}

const char *flow_code_name(enum flow_code c)
{
	return name_of(code_names, FLOW_CODE_COUNT, (int)c);
}

const char *flow_policy_name(enum flow_policy p)
{
	return name_of(policy_names, FLOW_POLICY_COUNT, (int)p);
}

const char *flow_evidence_kind_name(enum flow_evidence_kind k)
{
	static const char *const names[FLOW_EVIDENCE_KIND_COUNT] = {"none", "vaccination", "test",
	                                                            "recovery"};
	return name_of(names, FLOW_EVIDENCE_KIND_COUNT, (int)k);
}

bool flow_lang_parse(const char *s, enum flow_lang *out)
{
	int i = index_of(lang_codes, FLOW_LANG_COUNT, s);
	if (i < 0)
		return false;
	*out = (enum flow_lang)i;
	return true;
}

bool flow_policy_parse(const char *s, enum flow_policy *out)
{
	int i = index_of(policy_names, FLOW_POLICY_COUNT, s);
	if (i < 0)
		return false;
	*out = (enum flow_policy)i;
	return true;
}

const struct effect *effects_find(const struct effects *e, enum effect_kind k, int nth)
{
	int n = e->count < FLOW_EFFECTS_MAX ? e->count : FLOW_EFFECTS_MAX;
	for (int i = 0; i < n; i++)
		if (e->fx[i].kind == k && nth-- == 0)
			return &e->fx[i];
	return NULL;
}

int effects_count(const struct effects *e, enum effect_kind k)
{
	int n = e->count < FLOW_EFFECTS_MAX ? e->count : FLOW_EFFECTS_MAX, found = 0;
	for (int i = 0; i < n; i++)
		found += e->fx[i].kind == k;
	return found;
}
