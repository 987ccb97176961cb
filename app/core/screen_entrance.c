/* app/core/screen_entrance.c: which screen of screens.h shows each state and overlay of the
 * entrance flow, filled from the flow's fields, and which flow input each button means. */
#include "app/core/screen_entrance.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app/core/reason_text.h"

static enum lang lang_of(const struct flow_entrance *f)
{
	/* enum flow_lang has the order of enum lang (events.h) */
	return (unsigned)f->lang < FLOW_LANG_COUNT ? (enum lang)f->lang : LANG_ZH_CN;
}

/* The reason's text (what happened, or with action what to do) in lang; NULL when the
 * strings hold none, so the screen falls back to its generic text rather than a key. */
static const char *reason_text(const struct strings *s, enum reason r, bool action, enum lang lang)
{
	char key[96];
	return strings_lookup(s, reason_text_key(r, action, key, sizeof(key)), lang);
}

/* Progress of a wait for an answer: how much of the state's timeout has passed. */
static int wait_permille(const struct flow_entrance *f, int32_t timeout_ms)
{
	if (timeout_ms <= 0 || f->main_deadline_ms == 0)
		return -1;
	int64_t left = f->main_deadline_ms - f->now_ms;
	if (left < 0)
		left = 0;
	if (left > timeout_ms)
		left = timeout_ms;
	return (int)((timeout_ms - left) * 1000 / timeout_ms);
}

enum screen_verdict screen_entrance_tone(enum reason r)
{
	switch (r) {
	case REASON_BAD_SIGNATURE:
	case REASON_REVOKED:
	case REASON_DEMO_KEY:
	case REASON_RED_CODE:
	case REASON_YELLOW_CODE:
	case REASON_NOT_ON_MANIFEST:
	case REASON_STAFF_REQUIRED:
		return SCREEN_VERDICT_REFUSED;
	default:
		return SCREEN_VERDICT_ATTENTION;
	}
}

/* "Vaccination 29 May 2021" for an international certificate's latest event; "" for none. */
static void evidence_latest(const struct strings *s, enum lang lang, const struct flow_evidence *e,
                            char *buf, size_t n)
{
	static const char *const keys[FLOW_EVIDENCE_KIND_COUNT] = {
	    [FLOW_EVIDENCE_VACCINATION] = "intl.kind.vaccination",
	    [FLOW_EVIDENCE_TEST] = "intl.kind.test",
	    [FLOW_EVIDENCE_RECOVERY] = "intl.kind.recovery",
	};
	buf[0] = '\0';
	if ((unsigned)e->kind >= FLOW_EVIDENCE_KIND_COUNT || !keys[e->kind])
		return;
	char date[64] = "";
	if (e->day > 0)
		strings_format_day(s, lang, e->day, date, sizeof(date));
	const char *key = e->kind == FLOW_EVIDENCE_TEST && e->test_positive
	                      ? "intl.kind.test_positive"
	                      : keys[e->kind];
	const struct strings_arg args[] = {{"date", date}};
	strings_format(s, key, lang, args, 1, buf, n);
}

/* One line about a certificate kept for a person: "Certificate: Vaccination 29 May 2021
 * (DE)"; without the issuer where space is short (the family screen's notice). */
static void evidence_note(const struct strings *s, enum lang lang, const struct flow_evidence *e,
                          bool issuer, char *buf, size_t n)
{
	char latest[160];
	evidence_latest(s, lang, e, latest, sizeof(latest));
	const struct strings_arg args[] = {{"latest", latest}, {"issuer", e->issuer}};
	strings_format(s, issuer && e->issuer[0] ? "intl.note" : "intl.note.no_issuer", lang, args,
	               2, buf, n);
}

static int build_family(struct display_list *dl, const struct layout *l, const struct strings *s,
                        const struct flow_entrance *f, const struct screen_common *c)
{
	const struct flow_session *ss = &f->session;
	struct screen_member m[FLOW_GROUP_MAX];
	int n = ss->count < 0 ? 0 : ss->count > FLOW_GROUP_MAX ? FLOW_GROUP_MAX : ss->count;
	for (int i = 0; i < n; i++) {
		m[i].masked_name = ss->people[i].name_masked;
		m[i].relation_key = i == 0                ? "family.you"
		                    : ss->people[i].minor ? "family.child"
		                                          : "family.member";
		m[i].removable = i > 0;
	}
	/* why the last scan was not added: what happened and what to do */
	const char *what = NULL, *todo = NULL;
	char note[320];
	if (f->reason == REASON_EVIDENCE_ONLY && ss->evidence.kind != FLOW_EVIDENCE_NONE) {
		/* a member's certificate: kept for the member whose code comes next */
		evidence_note(s, c->lang, &ss->evidence, false, note, sizeof(note));
		what = note;
		todo = strings_get(s, "intl.next.member", c->lang);
	} else if (f->reason != REASON_OK) {
		what = reason_text(s, f->reason, false, c->lang);
		todo = reason_text(s, f->reason, true, c->lang);
		if (!what)
			what = reason_code(f->reason);
	}
	return screen_family(dl, l, s, c, m, n, what, todo, f->state == FLOW_MEMBER_VERIFYING);
}

static int build_staff(struct display_list *dl, const struct layout *l, const struct strings *s,
                       const struct flow_entrance *f, const struct screen_common *c,
                       const struct screen_entrance_extra *x)
{
	const struct flow_session *ss = &f->session;
	struct screen_staff st = {.sync_waiting = x->sync_waiting,
	                          .status = x->sync_status,
	                          .status_warn = x->sync_warn,
	                          .storage = x->storage,
	                          .storage_warn = x->storage_warn};
	bool admit = ss->pending == FLOW_PENDING_ADMIT && f->state == FLOW_APPROVAL;
	bool reprint = ss->pending == FLOW_PENDING_REPRINT && f->state == FLOW_REFUSED;
	bool no_room = ss->pending == FLOW_PENDING_NO_ROOM && f->state == FLOW_FAULT;
	if (admit || reprint) {
		st.decision = strings_get(
		    s, admit ? "staff.pending.admit" : "staff.pending.reprint", c->lang);
		st.subject = ss->candidate.name_masked;
	} else if (no_room) {
		st.decision = strings_get(s, "sync.pending.no_room", c->lang);
		st.subject = ss->count > 0 ? ss->people[0].name_masked : NULL;
	}
	char code[160];
	if (f->reason != REASON_OK) {
		char key[96];
		const char *hint =
		    strings_lookup(s, reason_staff_key(f->reason, key, sizeof(key)), c->lang);
		snprintf(code, sizeof(code), "%s%s%s", reason_code(f->reason),
		         hint ? " \xC2\xB7 " : "", hint ? hint : "");
		st.code = code;
		st.reason = reason_text(s, f->reason, false, c->lang);
	}
	return screen_staff_panel(dl, l, s, c, &st);
}

int screen_entrance_build(struct display_list *dl, const struct layout *l, const struct strings *s,
                          const struct flow_entrance *f, const struct screen_entrance_extra *x)
{
	static const struct screen_entrance_extra none = {.sync_waiting = -1};
	if (!x)
		x = &none;
	const struct flow_session *ss = &f->session;
	struct screen_common c = {
	    .lang = lang_of(f),
	    .step = f->step_no >= 1 && f->step_no <= SCREEN_STEPS ? f->step_no - 1 : -1,
	    .countdown_s = f->countdown_s > 0 ? f->countdown_s : 0,
	    .offline = x->offline,
	};

	switch (f->overlay) {
	case FLOW_OVERLAY_CALL:
		return screen_call_staff(dl, l, s, &c, NULL, reason_code(f->call_reason),
		                         SCREEN_BTN_CANCEL_CALL);
	case FLOW_OVERLAY_PIN:
	case FLOW_OVERLAY_PIN_CHECK:
		return screen_staff_pin(dl, l, s, &c, ss->pin_len, ss->pin_failures > 0,
		                        f->overlay == FLOW_OVERLAY_PIN_CHECK);
	case FLOW_OVERLAY_STAFF:
		return build_staff(dl, l, s, f, &c, x);
	case FLOW_OVERLAY_NONE:
	case FLOW_OVERLAY_COUNT:
		break;
	}

	const struct assignment *a = &ss->assigned[0];
	switch (f->state) {
	case FLOW_ATTRACT:
		return screen_attract(dl, l, s, &c, x->camera, x->queue_pos, x->queue_total);
	case FLOW_VERIFYING:
		return screen_busy(dl, l, s, &c, DL_ICON_PHONE_QR,
		                   strings_get(s, "scan.reading", c.lang),
		                   strings_get(s, "scan.checking.detail", c.lang),
		                   wait_permille(f, f->cfg.reply_ms));
	case FLOW_IDENTITY: {
		const struct person *p = &ss->people[0];
		char note[320] = "";
		if (p->evidence.kind != FLOW_EVIDENCE_NONE)
			evidence_note(s, c.lang, &p->evidence, true, note, sizeof(note));
		return screen_identity_note(dl, l, s, &c, p->name_masked, p->doc_masked,
		                            p->category, note[0] ? note : NULL);
	}
	case FLOW_EVIDENCE: {
		char latest[160];
		evidence_latest(s, c.lang, &ss->evidence, latest, sizeof(latest));
		struct screen_evidence e = {.name = ss->evidence.name_masked,
		                            .latest = latest,
		                            .issuer = ss->evidence.issuer};
		return screen_evidence(dl, l, s, &c, &e);
	}
	case FLOW_FAMILY:
	case FLOW_MEMBER_VERIFYING:
		return build_family(dl, l, s, f, &c);
	case FLOW_BRIEFING: {
		/* the hint and the button follow the flow: enabled exactly when it is */
		int64_t wait_ms = flow_entrance_read_wait_ms(f, f->now_ms);
		int wait_s = (int)((wait_ms + 999) / 1000);
		bool end = ss->scrolled_end;
		if (f->ack_enabled) {
			wait_s = 0;
			end = true;
		} else if (end && wait_s == 0) {
			wait_s = 1;
		}
		return screen_briefing(dl, l, s, &c, x->briefing, wait_s, end);
	}
	case FLOW_CHECKING_IN:
		return screen_busy(dl, l, s, &c, DL_ICON_CHECK,
		                   strings_get(s, "checkin.busy", c.lang), NULL,
		                   wait_permille(f, f->cfg.checkin_ms));
	case FLOW_PRINTING:
	case FLOW_REPRINTING:
		return screen_room(dl, l, s, &c, a->room, a->release_day, SCREEN_PRINT_PRINTING);
	case FLOW_DONE:
		return screen_room(dl, l, s, &c, a->room, a->release_day,
		                   ss->no_room              ? SCREEN_PRINT_NO_ROOM
		                   : f->reason == REASON_OK ? SCREEN_PRINT_DONE
		                                            : SCREEN_PRINT_FAILED);
	case FLOW_REFUSED:
		return screen_refusal(dl, l, s, &c, screen_entrance_tone(f->reason),
		                      reason_text(s, f->reason, false, c.lang),
		                      reason_text(s, f->reason, true, c.lang),
		                      reason_code(f->reason));
	case FLOW_APPROVAL: {
		/* what happened, then "wait here": staff come to the person, so the reason's own
		 * advice for a refusal ("go to the front desk") would contradict the heading */
		const char *what = reason_text(s, f->reason, false, c.lang);
		const char *todo = strings_get(s, "call_staff.hint", c.lang);
		char detail[400];
		snprintf(detail, sizeof(detail), "%s%s%s", what ? what : "",
		         what && todo && c.lang != LANG_ZH_CN ? " " : "", todo ? todo : "");
		return screen_call_staff(dl, l, s, &c, detail[0] ? detail : NULL,
		                         reason_code(f->reason), SCREEN_BTN_CANCEL);
	}
	case FLOW_FAULT:
		return screen_call_staff(dl, l, s, &c, reason_text(s, f->reason, false, c.lang),
		                         reason_code(f->reason), 0);
	case FLOW_STATE_COUNT:
		break;
	}
	return screen_attract(dl, l, s, &c, x->camera, 0, 0);
}

enum screen_input screen_entrance_input(int id, enum button *b, int *arg)
{
	*b = BTN_NONE;
	*arg = 0;
	if (id >= SCREEN_BTN_KEY_0 && id <= SCREEN_BTN_KEY_0 + 9) {
		*b = BTN_PIN_DIGIT;
		*arg = id - SCREEN_BTN_KEY_0;
		return SCREEN_INPUT_TOUCH;
	}
	if (id >= SCREEN_BTN_REMOVE_0 && id <= SCREEN_BTN_REMOVE_LAST) {
		*b = BTN_REMOVE_MEMBER;
		*arg = id - SCREEN_BTN_REMOVE_0;
		return SCREEN_INPUT_TOUCH;
	}
	switch (id) {
	case SCREEN_BTN_LANG:
		return SCREEN_INPUT_LANGUAGE;
	case SCREEN_BTN_ACK:
		return SCREEN_INPUT_ACK;
	case SCREEN_BTN_CALL_STAFF:
		*b = BTN_CALL_STAFF;
		break;
	case SCREEN_BTN_YES:
		*b = BTN_THIS_IS_ME;
		break;
	case SCREEN_BTN_NO:
		*b = BTN_NOT_ME;
		break;
	case SCREEN_BTN_FAMILY_DONE:
		*b = BTN_ADD_DONE;
		break;
	case SCREEN_BTN_STAY:
		*b = BTN_NONE; /* "I am still here": a touch, which resets the idle time */
		break;
	case SCREEN_BTN_CANCEL_CALL:
		*b = BTN_CANCEL_CALL;
		break;
	case SCREEN_BTN_STAFF_CLOSE:
		*b = BTN_PIN_CANCEL;
		break;
	case SCREEN_BTN_DISMISS:
		*b = BTN_DISMISS;
		break;
	case SCREEN_BTN_CANCEL:
		*b = BTN_CANCEL;
		break;
	case SCREEN_BTN_KEY_DELETE:
		*b = BTN_PIN_BACK;
		break;
	case SCREEN_BTN_KEY_OK:
		*b = BTN_PIN_ENTER;
		break;
	case SCREEN_BTN_STAFF_APPROVE:
		*b = BTN_STAFF_APPROVE;
		break;
	case SCREEN_BTN_STAFF_DENY:
		*b = BTN_STAFF_DENY;
		break;
	case SCREEN_BTN_STAFF_RESUME:
		*b = BTN_STAFF_RESUME;
		break;
	case SCREEN_BTN_STAFF_END:
		*b = BTN_STAFF_END;
		break;
	default:
		return SCREEN_INPUT_NONE;
	}
	return SCREEN_INPUT_TOUCH;
}

bool screen_entrance_button(int id, enum button *b, int *arg)
{
	if (screen_entrance_input(id, b, arg) == SCREEN_INPUT_TOUCH)
		return true;
	*b = BTN_NONE;
	*arg = 0;
	return false;
}

bool screen_entrance_event(int id, const struct flow_entrance *f, const char *briefing_version,
                           struct event *ev)
{
	enum button b;
	int arg;
	memset(ev, 0, sizeof(*ev));
	switch (screen_entrance_input(id, &b, &arg)) {
	case SCREEN_INPUT_TOUCH:
		ev->kind = EV_TOUCH;
		ev->touch.button = b;
		ev->touch.arg = arg;
		return true;
	case SCREEN_INPUT_LANGUAGE:
		ev->kind = EV_LANGUAGE;
		ev->language.lang = f->lang == FLOW_LANG_ZH ? FLOW_LANG_EN : FLOW_LANG_ZH;
		return true;
	case SCREEN_INPUT_ACK:
		ev->kind = EV_ACK;
		if (briefing_version)
			snprintf(ev->ack.version, sizeof(ev->ack.version), "%s", briefing_version);
		return true;
	case SCREEN_INPUT_NONE:
		break;
	}
	return false;
}
