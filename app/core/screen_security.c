/* app/core/screen_security.c: the security post's states mapped to screen_checkpoint(). */
#include "app/core/screen_security.h"

#include <stdio.h>
#include <string.h>

#include "app/core/reason_text.h"

enum screen_verdict screen_security_tone(enum sec_colour c)
{
	switch (c) {
	case SEC_GREEN:
		return SCREEN_VERDICT_VALID;
	case SEC_RED:
		return SCREEN_VERDICT_REFUSED;
	default:
		return SCREEN_VERDICT_ATTENTION;
	}
}

/* "data from 12 min ago" / "3 h ago" / "not synced yet" into buf. */
static void data_age_text(const struct strings *s, enum lang lang, const struct flow_security *f,
                          char *buf, size_t n)
{
	if (f->data_age_s < 0 || f->last_sync_s == 0) {
		snprintf(buf, n, "%s", strings_get(s, "sec.data_never", lang));
		return;
	}
	char num[24];
	bool hours = f->data_age_s >= 2 * 3600;
	snprintf(num, sizeof(num), "%lld",
	         (long long)(hours ? f->data_age_s / 3600 : f->data_age_s / 60));
	const struct strings_arg a[] = {{"n", num}};
	strings_format(s, hours ? "sec.data_age.hours" : "sec.data_age.min", lang, a, 1, buf, n);
}

int screen_security_build(struct display_list *dl, const struct layout *l, const struct strings *s,
                          const struct flow_security *f, const struct screen_security_extra *x)
{
	static const struct screen_security_extra none = {.lang = LANG_ZH_CN};
	if (!x)
		x = &none;
	enum lang lang = (unsigned)x->lang < LANG_COUNT ? x->lang : LANG_ZH_CN;
	char age[160], stale[240];
	data_age_text(s, lang, f, age, sizeof(age));
	if (f->data_stale) {
		snprintf(stale, sizeof(stale), "%s \xC2\xB7 %s",
		         strings_get(s, "sec.data_stale", lang), age);
	}
	struct screen_checkpoint v = {
	    .checkpoint = f->cfg.checkpoint,
	    .verdict = f->state == SEC_VERDICT,
	    .checking = f->state == SEC_LOOKING,
	    .camera = x->camera,
	    .data_age = f->data_stale ? stale : age,
	    .data_stale = f->data_stale,
	    .risk = RISK_COUNT, /* none */
	};
	if (f->state != SEC_VERDICT)
		return screen_checkpoint(dl, l, s, lang, &v);

	const struct sec_verdict *vd = &f->verdict;
	char key[96];
	v.tone = screen_security_tone(vd->colour);
	if (vd->reason == REASON_OK && vd->colour == SEC_GREEN)
		v.why = strings_get(s, "sec.verdict.green.why", lang);
	else
		v.why =
		    strings_lookup(s, reason_text_key(vd->reason, false, key, sizeof(key)), lang);
	v.code = vd->reason != REASON_OK ? reason_code(vd->reason) : NULL;
	if (vd->has_resident) {
		v.has_resident = true;
		v.room = vd->resident.room;
		v.name = vd->resident.name_masked;
		v.risk = vd->resident.risk;
		v.day = vd->day;
		v.days = vd->onsite_days;
		v.care = vd->resident.care;
	} else if (vd->band.room[0]) {
		/* a verified band the replica does not know: its room, nothing personal */
		v.has_resident = true;
		v.room = vd->band.room;
	}
	return screen_checkpoint(dl, l, s, lang, &v);
}

enum screen_security_input screen_security_input(int id)
{
	if (id == SCREEN_BTN_DISMISS)
		return SCREEN_SECURITY_DISMISS;
	if (id == SCREEN_BTN_LANG)
		return SCREEN_SECURITY_LANGUAGE;
	return SCREEN_SECURITY_NONE;
}
