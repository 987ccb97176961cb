/* app/core/screens.c: the entrance screens laid out from the layout numbers: a top bar (steps,
 * language at the top right), content, and a bottom bar (call staff at the bottom left, the
 * primary action at the bottom right). */
#include "app/core/screens.h"

#include "app/core/resident.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int max_i(int a, int b)
{
	return a > b ? a : b;
}

static int min_i(int a, int b)
{
	return a < b ? a : b;
}

/* Height for text wrapped at width w: estimated lines (with slack for breaking) x line. */
static int text_h(const struct layout *l, const char *t, enum dl_role role, enum dl_weight wt,
                  int w)
{
	int est = layout_estimate_width(l, t, role, wt) * 23 / 20;
	int lines = w > 0 ? (est + w - 1) / w : 1;
	return max_i(lines, 1) * l->line_h[role];
}

/* Text wrapped in the top of *r, which shrinks; returns the command index. */
static int put_text(struct display_list *dl, const struct layout *l, struct dl_rect *r,
                    const char *t, enum dl_role role, enum dl_weight wt, struct dl_color c,
                    enum dl_align align, int gap_after)
{
	int h = text_h(l, t, role, wt, r->w);
	struct dl_rect box = dl_rect_take_top(r, h, gap_after);
	return dl_add_text(dl, l, box, t, role, wt, c, align, DL_WRAP | DL_MUST_FIT);
}

/* As put_text, but only when the text is estimated to fit in what is left of *r: for texts a
 * small screen may leave out (queue position, repeated advice). Returns -1 when left out. */
static int put_text_opt(struct display_list *dl, const struct layout *l, struct dl_rect *r,
                        const char *t, enum dl_role role, enum dl_weight wt, struct dl_color c,
                        enum dl_align align, int gap_after)
{
	if (text_h(l, t, role, wt, r->w) > r->h)
		return -1;
	return put_text(dl, l, r, t, role, wt, c, align, gap_after);
}

/* The larger of heading and body at which t takes at most max_h. */
static enum dl_role fit_role(const struct layout *l, const char *t, int w, int max_h)
{
	return text_h(l, t, DL_HEADING, DL_BOLD, w) <= max_h ? DL_HEADING : DL_BODY;
}

/* Width of a button for label: its text plus padding, at least min_w. */
static int button_w(const struct layout *l, const char *label, int min_w)
{
	return max_i(layout_estimate_width(l, label, DL_BODY, DL_BOLD) + 3 * l->gap, min_w);
}

static bool same(struct dl_color a, struct dl_color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* The primary action at the bottom right and an optional secondary one left of it. When they
 * do not fit beside call staff (narrow portrait screens), they get their own row above the
 * bottom bar, taken off *content, split evenly. */
static void place_actions(struct display_list *dl, const struct layout *l, struct dl_rect *content,
                          struct dl_rect actions, int primary_id, const char *primary,
                          bool primary_enabled, int secondary_id, const char *secondary)
{
	int pw = button_w(l, primary, actions.w / 2);
	int sw = secondary ? button_w(l, secondary, 3 * l->target_h) : 0;
	int need = pw + (secondary ? l->gap + sw : 0);
	if (need > actions.w) {
		actions = dl_rect_take_bottom(content, l->target_h, l->gap);
		if (secondary) {
			pw = (actions.w - l->gap) / 2;
			sw = actions.w - l->gap - pw;
		} else {
			pw = actions.w;
		}
	}
	struct dl_rect p = dl_rect_take_right(&actions, pw, l->gap);
	dl_add_button_label(dl, l, p, primary_id, primary, DL_GREEN, DL_WHITE, primary_enabled);
	if (secondary) {
		struct dl_rect q = dl_rect_take_right(&actions, sw, l->gap);
		dl_add_button_label(dl, l, q, secondary_id, secondary, DL_CARD, DL_INK, true);
	}
}

/* Background, top bar and the call-staff button. Returns the content rectangle in *content
 * and the free part of the bottom bar (right of call staff) in *actions. */
static void frame(struct display_list *dl, const struct layout *l, const struct strings *s,
                  const struct screen_common *c, struct dl_color bg, bool call_staff,
                  struct dl_rect *content, struct dl_rect *actions)
{
	bool on_colour = !same(bg, DL_PAPER);
	struct dl_color ink = on_colour ? DL_WHITE : DL_INK;
	struct dl_color clear = {0, 0, 0, 0};
	struct dl_color btn_fill = on_colour ? clear : DL_CARD;
	dl_init(dl, l->width, l->height);
	dl_add_fill(dl, (struct dl_rect){0, 0, l->width, l->height}, bg, 0);

	struct dl_rect top = l->top_bar;
	const char *lang_label = strings_get(s, "lang.switch", c->lang);
	struct dl_rect lang =
	    dl_rect_take_right(&top, button_w(l, lang_label, 2 * l->target_h), l->gap);
	dl_add_button_label(dl, l, lang, SCREEN_BTN_LANG, lang_label, btn_fill, ink, true);
	if (c->offline) {
		const char *off = strings_get(s, "staff.offline.short", c->lang);
		int w = layout_estimate_width(l, off, DL_SMALL, DL_BOLD) + 2 * l->gap;
		struct dl_rect pill = dl_rect_take_right(&top, w, l->gap);
		pill.y += (pill.h - l->line_h[DL_SMALL]) / 2;
		pill.h = l->line_h[DL_SMALL];
		dl_add_fill(dl, pill, on_colour ? DL_WHITE : DL_AMBER, pill.h / 2);
		dl_add_text(dl, l, pill, off, DL_SMALL, DL_BOLD, on_colour ? DL_INK : DL_WHITE,
		            DL_CENTER, DL_MUST_FIT | DL_MIDDLE);
	}
	if (c->step >= 0 && !on_colour) {
		const char *labels[SCREEN_STEPS] = {strings_get(s, "steps.scan", c->lang),
		                                    strings_get(s, "steps.confirm", c->lang),
		                                    strings_get(s, "steps.rules", c->lang),
		                                    strings_get(s, "steps.wristband", c->lang)};
		dl_add_steps(dl, l, top, labels, SCREEN_STEPS, c->step, DL_NEUTRAL);
	} else {
		dl_add_text(dl, l, top, strings_get(s, "app.title", c->lang), DL_BODY, DL_BOLD, ink,
		            DL_LEFT, DL_MIDDLE);
	}

	struct dl_rect bottom = l->bottom_bar;
	if (call_staff) {
		const char *label = strings_get(s, "call_staff", c->lang);
		struct dl_rect b =
		    dl_rect_take_left(&bottom, button_w(l, label, 3 * l->target_h), l->gap);
		dl_add_button_label(dl, l, b, SCREEN_BTN_CALL_STAFF, label, btn_fill, ink, true);
	}
	*content = l->content;
	*actions = bottom;
}

/* The countdown over everything, then the result. */
static int finish(struct display_list *dl, const struct layout *l, const struct strings *s,
                  const struct screen_common *c)
{
	if (c->countdown_s > 0) {
		char n[12], text[160];
		snprintf(n, sizeof(n), "%d", c->countdown_s);
		const struct strings_arg args[] = {{"n", n}};
		strings_format(s, "countdown", c->lang, args, 1, text, sizeof(text));
		dl_add_modal(dl, (struct dl_rect){0, 0, l->width, l->height}, DL_SCRIM, 0);
		int w = min_i(l->content.w, 18 * l->px[DL_BODY]);
		struct dl_rect inner = {0, 0, w - 2 * l->gap, 0};
		int th = text_h(l, text, DL_HEADING, DL_BOLD, inner.w);
		int h = l->gap + th + l->gap + l->target_h + l->gap;
		struct dl_rect card = {(l->width - w) / 2, (l->height - h) / 2, w, h};
		dl_add_fill(dl, card, DL_CARD, l->radius);
		struct dl_rect r = dl_rect_inset(card, l->gap);
		put_text(dl, l, &r, text, DL_HEADING, DL_BOLD, DL_INK, DL_CENTER, l->gap);
		const char *stay = strings_get(s, "countdown.stay", c->lang);
		int bw = min_i(button_w(l, stay, 3 * l->target_h), r.w);
		dl_add_button_label(dl, l,
		                    (struct dl_rect){r.x + (r.w - bw) / 2, r.y, bw, l->target_h},
		                    SCREEN_BTN_STAY, stay, DL_NEUTRAL, DL_WHITE, true);
	}
	return dl->full ? -ENOSPC : 0;
}

int screen_attract(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct screen_common *c, bool camera, int pos, int total)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_PAPER, true, &content, &actions);
	struct dl_rect pic, text = content;
	if (l->portrait) {
		int side = min_i(content.w * 3 / 4, content.h / 2);
		pic = dl_rect_take_top(&text, side, 2 * l->gap);
		pic.x += (pic.w - side) / 2;
		pic.w = side;
	} else {
		int side = min_i(content.h, content.w * 2 / 5);
		pic = dl_rect_take_left(&text, side, 2 * l->gap);
		pic.y += (pic.h - side) / 2;
		pic.h = side;
	}
	if (camera) {
		dl_add_image(dl, pic, DL_IMAGE_CAMERA);
	} else {
		dl_add_fill(dl, pic, DL_CARD, l->radius);
		dl_add_icon(dl, dl_rect_inset(pic, pic.w / 8), DL_ICON_PHONE_QR, DL_NEUTRAL,
		            DL_WHITE);
	}
	enum dl_align align = l->portrait ? DL_CENTER : DL_LEFT;
	/* Chinese above, English below in a lighter weight; then how to, in the chosen one.
	 * In landscape the block sits level with the picture's middle. */
	const char *zh = strings_get(s, "attract.title", LANG_ZH_CN);
	const char *en = strings_get(s, "attract.title", LANG_EN);
	const char *hint = strings_get(s, "attract.hint", c->lang);
	int need = text_h(l, zh, DL_HEADING, DL_BOLD, text.w) +
	           text_h(l, en, DL_BODY, DL_REGULAR, text.w) + l->gap +
	           text_h(l, hint, DL_BODY, DL_REGULAR, text.w);
	if (!l->portrait && need < text.h) {
		int shift =
		    (text.h - need) / 3; /* a little above the middle: the queue goes below */
		text.y += shift;
		text.h -= shift;
	}
	put_text(dl, l, &text, zh, DL_HEADING, DL_BOLD, DL_INK, align, 0);
	put_text(dl, l, &text, en, DL_BODY, DL_REGULAR, DL_MUTED, align, l->gap);
	put_text(dl, l, &text, hint, DL_BODY, DL_REGULAR, DL_INK, align, l->gap);
	if (pos > 0 && total > 0) {
		char p[12], t[12], q[160];
		snprintf(p, sizeof(p), "%d", pos);
		snprintf(t, sizeof(t), "%d", total);
		const struct strings_arg args[] = {{"pos", p}, {"total", t}};
		strings_format(s, "attract.queue", c->lang, args, 2, q, sizeof(q));
		put_text_opt(dl, l, &text, q, DL_BODY, DL_BOLD, DL_NEUTRAL, align, 0);
	}
	return finish(dl, l, s, c);
}

static const struct {
	struct dl_color bg;
	enum dl_icon icon;
	const char *word;
} verdicts[] = {
    [SCREEN_VERDICT_VALID] = {DL_GREEN, DL_ICON_CHECK, "verdict.valid"},
    [SCREEN_VERDICT_REFUSED] = {DL_RED, DL_ICON_CROSS, "verdict.refused"},
    [SCREEN_VERDICT_ATTENTION] = {DL_AMBER, DL_ICON_ATTENTION, "verdict.attention"},
};

/* Icon and one big word, centred in *r as a row (landscape) or a column (portrait); the
 * band used is taken off the top of *r. */
static void icon_word(struct display_list *dl, const struct layout *l, struct dl_rect *r,
                      enum dl_icon icon, struct dl_color bg, const char *word, enum dl_role role)
{
	if (role == DL_DISPLAY && layout_estimate_width(l, word, role, DL_BOLD) > r->w)
		role = DL_HEADING; /* a narrow screen: the largest size that fits */
	int side = l->px[role] * 3 / 2;
	int word_w = min_i(layout_estimate_width(l, word, role, DL_BOLD), r->w);
	int line = l->line_h[role];
	if (l->portrait || side + l->gap + word_w > r->w) {
		struct dl_rect ir = dl_rect_take_top(r, side, l->gap);
		ir.x += (ir.w - side) / 2;
		ir.w = side;
		dl_add_icon(dl, ir, icon, DL_WHITE, bg);
		dl_add_text(dl, l, dl_rect_take_top(r, line, l->gap), word, role, DL_BOLD, DL_WHITE,
		            DL_CENTER, DL_MUST_FIT);
		return;
	}
	struct dl_rect row = dl_rect_take_top(r, max_i(side, line), l->gap);
	int x0 = row.x + (row.w - (side + l->gap + word_w)) / 2;
	dl_add_icon(dl, (struct dl_rect){x0, row.y + (row.h - side) / 2, side, side}, icon,
	            DL_WHITE, bg);
	dl_add_text(
	    dl, l,
	    (struct dl_rect){x0 + side + l->gap, row.y, row.x + row.w - x0 - side - l->gap, row.h},
	    word, role, DL_BOLD, DL_WHITE, DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
}

int screen_verdict(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct screen_common *c, enum screen_verdict v, const char *detail,
                   const char *code)
{
	if ((unsigned)v > SCREEN_VERDICT_ATTENTION)
		v = SCREEN_VERDICT_ATTENTION;
	struct dl_rect content, actions;
	frame(dl, l, s, c, verdicts[v].bg, true, &content, &actions);
	const char *word = strings_get(s, verdicts[v].word, c->lang);
	/* centre the block vertically: measure it first */
	int need = max_i(l->px[DL_DISPLAY] * 3 / 2, l->line_h[DL_DISPLAY]) + l->gap;
	if (detail)
		need += text_h(l, detail, DL_BODY, DL_REGULAR, content.w) + l->gap;
	if (code)
		need += l->line_h[DL_SMALL];
	struct dl_rect r = content;
	if (need < r.h) {
		r.y += (r.h - need) / 2;
		r.h = need;
	}
	icon_word(dl, l, &r, verdicts[v].icon, verdicts[v].bg, word, DL_DISPLAY);
	if (detail)
		put_text(dl, l, &r, detail, DL_BODY, DL_REGULAR, DL_WHITE, DL_CENTER, l->gap);
	if (code)
		dl_add_text(dl, l, dl_rect_take_top(&r, l->line_h[DL_SMALL], 0), code, DL_SMALL,
		            DL_REGULAR, DL_WHITE, DL_CENTER, DL_MUST_FIT);
	return finish(dl, l, s, c);
}

int screen_identity(struct display_list *dl, const struct layout *l, const struct strings *s,
                    const struct screen_common *c, const char *masked_name, const char *masked_id,
                    enum category category)
{
	return screen_identity_note(dl, l, s, c, masked_name, masked_id, category, NULL);
}

int screen_identity_note(struct display_list *dl, const struct layout *l, const struct strings *s,
                         const struct screen_common *c, const char *masked_name,
                         const char *masked_id, enum category category, const char *note)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_PAPER, true, &content, &actions);
	place_actions(dl, l, &content, actions, SCREEN_BTN_YES,
	              strings_get(s, "identity.yes", c->lang), true, SCREEN_BTN_NO,
	              strings_get(s, "identity.no", c->lang));

	struct dl_rect r = content;
	const char *title = strings_get(s, "identity.title", c->lang);
	char cat_key[48];
	snprintf(cat_key, sizeof(cat_key), "category.%s", category_name(category));
	const char *labels[3] = {strings_get(s, "identity.name", c->lang),
	                         strings_get(s, "identity.id", c->lang),
	                         strings_get(s, "identity.category", c->lang)};
	const char *values[3] = {masked_name, masked_id, strings_get(s, cat_key, c->lang)};
	enum dl_role roles[3] = {DL_HEADING, DL_BODY, DL_BODY};
	int label_w = 0;
	for (int i = 0; i < 3; i++)
		label_w = max_i(label_w, layout_estimate_width(l, labels[i], DL_BODY, DL_REGULAR));
	int pad = l->gap;
	int value_w = 0;
	for (int i = 0; i < 3; i++)
		value_w = max_i(value_w, layout_estimate_width(l, values[i] ? values[i] : "",
		                                               roles[i], DL_BOLD));
	/* label beside value, or above it when the card is too narrow for both */
	bool stacked = label_w + 2 * l->gap + value_w > r.w - 2 * pad;
	int rows_h = l->line_h[DL_HEADING] + 2 * l->line_h[DL_BODY] + 2 * (l->gap / 2);
	if (stacked)
		rows_h += 3 * l->line_h[DL_SMALL];
	/* a note under the card (small): on a small screen the title gives up its size first */
	bool has_note = note && *note;
	enum dl_role title_role = DL_HEADING;
	if (has_note && text_h(l, title, DL_HEADING, DL_BOLD, r.w) + l->gap + rows_h + 2 * pad +
	                        l->gap / 2 + text_h(l, note, DL_SMALL, DL_REGULAR, r.w) >
	                    r.h)
		title_role = DL_BODY;
	put_text(dl, l, &r, title, title_role, DL_BOLD, DL_INK, DL_LEFT, l->gap);
	struct dl_rect card = dl_rect_take_top(&r, min_i(rows_h + 2 * pad, r.h), 0);
	dl_add_fill(dl, card, DL_CARD, l->radius);
	struct dl_rect in = dl_rect_inset(card, pad);
	for (int i = 0; i < 3; i++) {
		if (stacked) {
			dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[DL_SMALL], 0), labels[i],
			            DL_SMALL, DL_REGULAR, DL_MUTED, DL_LEFT, DL_MUST_FIT);
			dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[roles[i]], l->gap / 2),
			            values[i] ? values[i] : "", roles[i],
			            i == 0 ? DL_BOLD : DL_REGULAR, DL_INK, DL_LEFT, DL_MUST_FIT);
			continue;
		}
		struct dl_rect row = dl_rect_take_top(&in, l->line_h[roles[i]], l->gap / 2);
		struct dl_rect lab = dl_rect_take_left(&row, label_w, 2 * l->gap);
		dl_add_text(dl, l, lab, labels[i], DL_BODY, DL_REGULAR, DL_MUTED, DL_LEFT,
		            DL_MUST_FIT | DL_MIDDLE);
		dl_add_text(dl, l, row, values[i] ? values[i] : "", roles[i],
		            i == 0 ? DL_BOLD : DL_REGULAR, DL_INK, DL_LEFT,
		            DL_MUST_FIT | DL_MIDDLE);
	}
	if (has_note) {
		r.y += l->gap / 2;
		r.h -= l->gap / 2;
		if (put_text_opt(dl, l, &r, note, DL_BODY, DL_REGULAR, DL_NEUTRAL, DL_LEFT, 0) < 0)
			put_text(dl, l, &r, note, DL_SMALL, DL_REGULAR, DL_NEUTRAL, DL_LEFT, 0);
	}
	return finish(dl, l, s, c);
}

int screen_evidence(struct display_list *dl, const struct layout *l, const struct strings *s,
                    const struct screen_common *c, const struct screen_evidence *e)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_PAPER, true, &content, &actions);
	const char *cancel = strings_get(s, "intl.cancel", c->lang);
	int cw = button_w(l, cancel, 3 * l->target_h);
	if (cw > actions.w)
		actions = dl_rect_take_bottom(&content, l->target_h, l->gap);
	dl_add_button_label(dl, l, dl_rect_take_right(&actions, min_i(cw, actions.w), l->gap),
	                    SCREEN_BTN_CANCEL, cancel, DL_CARD, DL_INK, true);

	const char *labels[3] = {strings_get(s, "intl.name", c->lang),
	                         strings_get(s, "intl.latest", c->lang),
	                         strings_get(s, "intl.issuer", c->lang)};
	const char *values[3] = {e && e->name ? e->name : "", e && e->latest ? e->latest : "",
	                         e && e->issuer ? e->issuer : ""};
	int pad = l->gap;
	int label_w = 0, value_w = 0;
	for (int i = 0; i < 3; i++) {
		label_w = max_i(label_w, layout_estimate_width(l, labels[i], DL_BODY, DL_REGULAR));
		value_w = max_i(value_w, layout_estimate_width(l, values[i], DL_BODY, DL_BOLD));
	}
	/* the facts on the left and what to do next beside them when the card's rows fit
	 * there; else the card across the top and what to do under it */
	struct dl_rect facts = content, next = content;
	bool beside = !l->portrait && label_w + 2 * l->gap + value_w <= content.w * 3 / 5 - 2 * pad;
	if (beside)
		facts = dl_rect_take_left(&next, content.w * 3 / 5, 2 * l->gap);
	int inner_w = facts.w - 2 * pad;
	bool stacked = label_w + 2 * l->gap + value_w > inner_w;
	const char *title = strings_get(s, "intl.title", c->lang);
	int icon = l->line_h[DL_BODY];
	int title_h = text_h(l, title, DL_BODY, DL_BOLD, inner_w - icon - l->gap);
	int rows_h = 3 * l->line_h[DL_BODY] + 2 * (l->gap / 2);
	if (stacked)
		rows_h += 3 * l->line_h[DL_SMALL];
	int card_h = min_i(title_h + l->gap + rows_h + 2 * pad, facts.h);
	if (beside && card_h < facts.h) /* level with the block beside it */
		facts.y += (facts.h - card_h) / 3;
	struct dl_rect card = dl_rect_take_top(&facts, card_h, l->gap / 2);
	if (!beside)
		next = facts;
	dl_add_fill(dl, card, DL_CARD, l->radius);
	struct dl_rect in = dl_rect_inset(card, pad);
	struct dl_rect head = dl_rect_take_top(&in, max_i(title_h, icon), l->gap);
	dl_add_icon(dl, dl_rect_take_left(&head, icon, l->gap), DL_ICON_CHECK, DL_GREEN, DL_CARD);
	dl_add_text(dl, l, head, title, DL_BODY, DL_BOLD, DL_GREEN, DL_LEFT,
	            DL_WRAP | DL_MUST_FIT | DL_MIDDLE);
	for (int i = 0; i < 3; i++) {
		if (stacked) {
			dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[DL_SMALL], 0), labels[i],
			            DL_SMALL, DL_REGULAR, DL_MUTED, DL_LEFT, DL_MUST_FIT);
			dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[DL_BODY], l->gap / 2),
			            values[i], DL_BODY, DL_BOLD, DL_INK, DL_LEFT, DL_MUST_FIT);
			continue;
		}
		struct dl_rect row = dl_rect_take_top(&in, l->line_h[DL_BODY], l->gap / 2);
		struct dl_rect lab = dl_rect_take_left(&row, label_w, 2 * l->gap);
		dl_add_text(dl, l, lab, labels[i], DL_BODY, DL_REGULAR, DL_MUTED, DL_LEFT,
		            DL_MUST_FIT | DL_MIDDLE);
		dl_add_text(dl, l, row, values[i], DL_BODY, DL_BOLD, DL_INK, DL_LEFT,
		            DL_MUST_FIT | DL_MIDDLE);
	}

	/* next: the phone picture and "now scan your health code", level with the card */
	const char *todo = strings_get(s, "intl.next", c->lang);
	const char *why = strings_get(s, "intl.next.detail", c->lang);
	int side = min_i(next.w / 3, l->px[DL_HEADING] * 2);
	enum dl_role role = fit_role(l, todo, next.w, next.h / 2);
	int need = side + l->gap + text_h(l, todo, role, DL_BOLD, next.w) + l->gap +
	           text_h(l, why, DL_BODY, DL_REGULAR, next.w);
	bool picture = need <= next.h;
	if (!picture)
		need -= side + l->gap;
	if (beside && need < next.h) {
		next.y += (next.h - need) / 3;
		next.h -= (next.h - need) / 3;
	}
	if (picture) {
		struct dl_rect pic = dl_rect_take_top(&next, side, l->gap);
		pic.w = side;
		dl_add_fill(dl, pic, DL_CARD, l->radius);
		dl_add_icon(dl, dl_rect_inset(pic, side / 8), DL_ICON_PHONE_QR, DL_NEUTRAL,
		            DL_WHITE);
	}
	put_text(dl, l, &next, todo, role, DL_BOLD, DL_INK, DL_LEFT, l->gap);
	put_text_opt(dl, l, &next, why, DL_BODY, DL_REGULAR, DL_MUTED, DL_LEFT, 0);
	return finish(dl, l, s, c);
}

/* One family row: the name and relation in a card, "remove" at its right end. */
static void member_row(struct display_list *dl, const struct layout *l, const struct strings *s,
                       const struct screen_common *c, struct dl_rect cell,
                       const struct screen_member *m, int index, bool busy)
{
	char label[160];
	snprintf(label, sizeof(label), "%s \xC2\xB7 %s", m->masked_name ? m->masked_name : "",
	         strings_get(s, m->relation_key ? m->relation_key : "family.member", c->lang));
	dl_add_fill(dl, cell, DL_CARD, l->radius);
	struct dl_rect in = cell;
	if (m->removable) {
		const char *rm = strings_get(s, "family.remove", c->lang);
		struct dl_rect b =
		    dl_rect_take_right(&in, button_w(l, rm, 2 * l->target_h), l->gap);
		dl_add_button_label(dl, l, b, SCREEN_BTN_REMOVE_0 + index, rm, DL_CARD, DL_INK,
		                    !busy);
	}
	in.x += l->gap;
	in.w -= l->gap;
	/* body size always; the relation goes first when both do not fit, then the size */
	if (m->relation_key && index > 0 &&
	    layout_estimate_width(l, label, DL_BODY, DL_BOLD) > in.w)
		snprintf(label, sizeof(label), "%s", m->masked_name ? m->masked_name : "");
	enum dl_role role =
	    layout_estimate_width(l, label, DL_BODY, DL_BOLD) <= in.w ? DL_BODY : DL_SMALL;
	dl_add_text(dl, l, in, label, role, DL_BOLD, index == 0 ? DL_NEUTRAL : DL_INK, DL_LEFT,
	            DL_MUST_FIT | DL_MIDDLE);
}

int screen_family(struct display_list *dl, const struct layout *l, const struct strings *s,
                  const struct screen_common *c, const struct screen_member *members, int n,
                  const char *notice, const char *action, bool busy)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_PAPER, true, &content, &actions);
	place_actions(dl, l, &content, actions, SCREEN_BTN_FAMILY_DONE,
	              strings_get(s, "family.done", c->lang), !busy, 0, NULL);

	struct dl_rect r = content;
	char count[160], nbuf[12];
	snprintf(nbuf, sizeof(nbuf), "%d", n);
	const struct strings_arg args[] = {{"n", nbuf}};
	strings_format(s, "family.count", c->lang, args, 1, count, sizeof(count));
	/* title and count on one line when they fit, else the count under the title; alone,
	 * the person needs the hint (how to add someone) more than a count of one */
	const char *title = strings_get(s, "family.title", c->lang);
	int tw = layout_estimate_width(l, title, DL_HEADING, DL_BOLD);
	int cw = layout_estimate_width(l, count, DL_BODY, DL_BOLD);
	if (n <= 1) {
		put_text(dl, l, &r, title, DL_HEADING, DL_BOLD, DL_INK, DL_LEFT, l->gap / 2);
	} else if (tw + 2 * l->gap + cw <= r.w) {
		struct dl_rect row = dl_rect_take_top(&r, l->line_h[DL_HEADING], l->gap / 2);
		dl_add_text(dl, l, dl_rect_take_left(&row, tw, 2 * l->gap), title, DL_HEADING,
		            DL_BOLD, DL_INK, DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
		dl_add_text(dl, l, row, count, DL_BODY, DL_BOLD, DL_NEUTRAL, DL_RIGHT,
		            DL_MUST_FIT | DL_MIDDLE);
	} else {
		put_text(dl, l, &r, title, DL_HEADING, DL_BOLD, DL_INK, DL_LEFT, 0);
		put_text(dl, l, &r, count, DL_BODY, DL_BOLD, DL_NEUTRAL, DL_LEFT, l->gap / 2);
	}
	/* the status of the last scan: checking, or why that person was not added */
	const char *status = busy ? strings_get(s, "scan.reading", c->lang) : notice;
	char joined[480];
	int cols = l->portrait ? 1 : n > 4 ? 3 : 2;
	if (!busy && notice && action && action[0]) {
		/* what to do as well, when one row of the list still fits below it */
		snprintf(joined, sizeof(joined), "%s%s%s", notice, c->lang == LANG_ZH_CN ? "" : " ",
		         action);
		int h = text_h(l, joined, DL_BODY, DL_BOLD, r.w - 2 * l->gap) + l->gap;
		if (h + l->gap / 2 + l->target_h <= r.h)
			status = joined;
	}
	if (status && status[0]) {
		struct dl_rect inner = {0, 0, r.w - 2 * l->gap, 0};
		int h = text_h(l, status, DL_BODY, DL_BOLD, inner.w) + l->gap;
		struct dl_rect box = dl_rect_take_top(&r, min_i(h, r.h), l->gap / 2);
		dl_add_fill(dl, box, busy ? DL_NEUTRAL : DL_AMBER, l->radius);
		struct dl_rect tb = dl_rect_inset(box, l->gap / 2);
		tb.x += l->gap / 2;
		tb.w -= l->gap;
		dl_add_text(dl, l, tb, status, DL_BODY, DL_BOLD, DL_WHITE, DL_LEFT,
		            DL_WRAP | DL_MUST_FIT | DL_MIDDLE);
	}
	/* two columns in landscape, three for a large group so that everyone fits (above) */
	int rows = (n + cols - 1) / cols;
	int row_h = l->target_h;
	int list_h = rows * row_h + (rows - 1) * l->gap;
	const char *hint = strings_get(s, "family.hint", c->lang);
	/* alone, the hint is shown even at the cost of the list, unless a notice already says
	 * what to do (then the person's own row matters more) */
	bool noticed = status && status[0];
	if ((n <= 1 && !noticed) ||
	    text_h(l, hint, DL_BODY, DL_REGULAR, r.w) + l->gap / 2 + list_h <= r.h)
		put_text(dl, l, &r, hint, DL_BODY, DL_REGULAR, DL_MUTED, DL_LEFT, l->gap / 2);
	int cell_w = (r.w - (cols - 1) * l->gap) / cols;
	for (int i = 0; i < n; i++) {
		struct dl_rect cell = {r.x + (i % cols) * (cell_w + l->gap),
		                       r.y + (i / cols) * (row_h + l->gap), cell_w, row_h};
		if (cell.y + cell.h > r.y + r.h)
			break; /* the count line says how many there are */
		member_row(dl, l, s, c, cell, &members[i], i, busy);
	}
	return finish(dl, l, s, c);
}

int screen_briefing(struct display_list *dl, const struct layout *l, const struct strings *s,
                    const struct screen_common *c, const char *text, int wait_s, bool read_to_end)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_PAPER, true, &content, &actions);
	bool ready = wait_s <= 0 && read_to_end;
	place_actions(dl, l, &content, actions, SCREEN_BTN_ACK,
	              strings_get(s, "briefing.ack", c->lang), ready, 0, NULL);

	struct dl_rect r = content;
	char hint[200];
	if (ready) {
		snprintf(hint, sizeof(hint), "%s", strings_get(s, "briefing.hint.ready", c->lang));
	} else if (!read_to_end) {
		snprintf(hint, sizeof(hint), "%s", strings_get(s, "briefing.hint.scroll", c->lang));
	} else {
		char n[12];
		snprintf(n, sizeof(n), "%d", wait_s);
		const struct strings_arg args[] = {{"n", n}};
		strings_format(s, "briefing.hint.wait", c->lang, args, 1, hint, sizeof(hint));
	}
	enum dl_weight hw = ready ? DL_BOLD : DL_REGULAR;
	struct dl_rect hint_r =
	    dl_rect_take_bottom(&r, text_h(l, hint, DL_BODY, hw, r.w), l->gap / 2);
	dl_add_text(dl, l, hint_r, hint, DL_BODY, hw, ready ? DL_GREEN : DL_MUTED, DL_RIGHT,
	            DL_WRAP | DL_MUST_FIT | DL_MIDDLE);
	dl_add_fill(dl, r, DL_CARD, l->radius);
	dl_add_scroll_text(dl, l, dl_rect_inset(r, l->gap), SCREEN_SCROLL_BRIEFING,
	                   text ? text : "", DL_INK);
	return finish(dl, l, s, c);
}

int screen_room(struct display_list *dl, const struct layout *l, const struct strings *s,
                const struct screen_common *c, const char *room, hk_day release,
                enum screen_print print)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_PAPER, true, &content, &actions);
	if (print != SCREEN_PRINT_PRINTING)
		place_actions(dl, l, &content, actions, SCREEN_BTN_DISMISS,
		              strings_get(s, "common.done", c->lang), true, 0, NULL);
	if (!room || !room[0])
		room = NULL;
	const char *label = strings_get(s, "room.label", c->lang);
	int card_inner_h = l->line_h[DL_HEADING] + l->line_h[DL_HUGE];
	int card_w = room ? layout_estimate_width(l, room, DL_HUGE, DL_BOLD) + 4 * l->gap : 0;
	struct dl_rect card, text = content;
	if (!room) {
		card = (struct dl_rect){0, 0, 0, 0};
	} else if (l->portrait) {
		card = dl_rect_take_top(&text, card_inner_h + 2 * l->gap, 2 * l->gap);
	} else {
		card = dl_rect_take_left(&text, max_i(card_w, content.w * 2 / 5), 2 * l->gap);
		int h = min_i(card.h, card_inner_h + 2 * l->gap);
		card.y += (card.h - h) / 2;
		card.h = h;
	}
	if (room) {
		dl_add_fill(dl, card, DL_NEUTRAL, l->radius);
		struct dl_rect in = dl_rect_inset(card, l->gap);
		dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[DL_HEADING], 0), label,
		            DL_HEADING, DL_REGULAR, DL_WHITE, DL_CENTER, DL_MUST_FIT);
		dl_add_text(dl, l, in, room, DL_HUGE, DL_BOLD, DL_WHITE, DL_CENTER,
		            DL_MUST_FIT | DL_MIDDLE);
	} else {
		struct dl_rect icon = dl_rect_take_top(&text, l->px[DL_HEADING] * 2, l->gap);
		icon.x += (icon.w - l->px[DL_HEADING] * 2) / 2;
		icon.w = l->px[DL_HEADING] * 2;
		/* no room and no band: staff at the desk give both, nothing prints here */
		dl_add_icon(dl, icon,
		            print == SCREEN_PRINT_NO_ROOM ? DL_ICON_PERSON : DL_ICON_PRINTER,
		            DL_NEUTRAL, DL_PAPER);
	}

	char date[64], line[200];
	strings_format_day(s, c->lang, release, date, sizeof(date));
	const struct strings_arg args[] = {{"date", date}, {"room", room ? room : ""}};
	enum dl_align align = l->portrait || !room ? DL_CENTER : DL_LEFT;
	const char *key = print == SCREEN_PRINT_PRINTING  ? "room.printing"
	                  : print == SCREEN_PRINT_DONE    ? "room.take"
	                  : print == SCREEN_PRINT_NO_ROOM ? "sync.room_at_desk"
	                                                  : "room.collect_desk";
	strings_format(s, key, c->lang, args, 2, line, sizeof(line));
	char release_line[200] = "";
	if (release > 0)
		strings_format(s, "room.release", c->lang, args, 2, release_line,
		               sizeof(release_line));
	/* no band yet: nothing to wear */
	const char *wear =
	    print == SCREEN_PRINT_NO_ROOM ? NULL : strings_get(s, "room.wear", c->lang);
	struct dl_rect t = text;
	int rest = text_h(l, release_line, DL_BODY, DL_REGULAR, t.w) + l->gap;
	enum dl_role role = fit_role(l, line, t.w, t.h - rest - l->gap);
	int need = text_h(l, line, role, DL_BOLD, t.w) + l->gap + rest +
	           (wear ? text_h(l, wear, DL_BODY, DL_REGULAR, t.w) : 0);
	if (!l->portrait && need < t.h) {
		t.y += (t.h - need) / 2;
		t.h = need;
	}
	/* the print state in the ink colour: amber text on paper is below 4.5:1 at body size */
	put_text(dl, l, &t, line, role, DL_BOLD, DL_INK, align, l->gap);
	if (release_line[0])
		put_text(dl, l, &t, release_line, DL_BODY, DL_REGULAR, DL_INK, align, l->gap);
	if (wear)
		put_text_opt(dl, l, &t, wear, DL_BODY, DL_REGULAR, DL_MUTED, align, 0);
	return finish(dl, l, s, c);
}

int screen_refusal(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct screen_common *c, enum screen_verdict tone, const char *title,
                   const char *detail, const char *code)
{
	bool amber = tone == SCREEN_VERDICT_ATTENTION;
	struct dl_color bg = amber ? DL_AMBER : DL_RED;
	struct dl_rect content, actions;
	frame(dl, l, s, c, bg, false, &content, &actions);
	/* call staff large, bottom left, white on the colour; "back to start" bottom right */
	const char *call = strings_get(s, "call_staff", c->lang);
	const char *back = strings_get(s, "refusal.dismiss", c->lang);
	int cw = max_i(button_w(l, call, 0), actions.w / 2);
	int bw = button_w(l, back, 3 * l->target_h);
	if (cw + l->gap + bw > actions.w) { /* narrow: back gets its own row above */
		struct dl_rect row = dl_rect_take_bottom(&content, l->target_h, l->gap);
		dl_add_button_label(dl, l, row, SCREEN_BTN_DISMISS, back,
		                    (struct dl_color){0, 0, 0, 0}, DL_WHITE, true);
		dl_add_button_label(dl, l, actions, SCREEN_BTN_CALL_STAFF, call, DL_WHITE, bg,
		                    true);
	} else {
		dl_add_button_label(dl, l, dl_rect_take_left(&actions, cw, l->gap),
		                    SCREEN_BTN_CALL_STAFF, call, DL_WHITE, bg, true);
		dl_add_button_label(dl, l, dl_rect_take_right(&actions, bw, 0), SCREEN_BTN_DISMISS,
		                    back, (struct dl_color){0, 0, 0, 0}, DL_WHITE, true);
	}
	struct dl_rect r = content;
	if (code) /* for staff, small, at the bottom of the content */
		dl_add_text(dl, l, dl_rect_take_bottom(&r, l->line_h[DL_SMALL], l->gap / 2), code,
		            DL_SMALL, DL_BOLD, DL_WHITE, l->portrait ? DL_CENTER : DL_RIGHT,
		            DL_MUST_FIT);
	int side = l->px[DL_HEADING] * 2;
	struct dl_rect icon;
	if (l->portrait) {
		icon = dl_rect_take_top(&r, side, l->gap);
		icon.x += (icon.w - side) / 2;
		icon.w = side;
	} else {
		icon = dl_rect_take_left(&r, side, 2 * l->gap);
		icon.h = side;
	}
	dl_add_icon(dl, icon, amber ? DL_ICON_ATTENTION : DL_ICON_CROSS, DL_WHITE, bg);
	enum dl_align align = l->portrait ? DL_CENTER : DL_LEFT;
	const char *t = title ? title : strings_get(s, "refusal.title", c->lang);
	put_text(dl, l, &r, t, fit_role(l, t, r.w, r.h * 2 / 3), DL_BOLD, DL_WHITE, align, l->gap);
	if (detail)
		put_text(dl, l, &r, detail, DL_BODY, DL_REGULAR, DL_WHITE, align, l->gap);
	put_text_opt(dl, l, &r, strings_get(s, "refusal.what_to_do", c->lang), DL_BODY, DL_BOLD,
	             DL_WHITE, align, 0);
	return finish(dl, l, s, c);
}

int screen_call_staff(struct display_list *dl, const struct layout *l, const struct strings *s,
                      const struct screen_common *c, const char *detail, const char *code,
                      int cancel_id)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_AMBER, false, &content, &actions);
	if (cancel_id) {
		const char *cancel = strings_get(
		    s, cancel_id == SCREEN_BTN_CANCEL ? "common.cancel" : "call_staff.cancel",
		    c->lang);
		struct dl_rect cancel_r =
		    dl_rect_take_left(&actions, button_w(l, cancel, 3 * l->target_h), 0);
		dl_add_button_label(dl, l, cancel_r, cancel_id, cancel,
		                    (struct dl_color){0, 0, 0, 0}, DL_WHITE, true);
	}
	struct dl_rect r = content;
	const char *title = strings_get(s, "call_staff.title", c->lang);
	const char *hint = detail ? detail : strings_get(s, "call_staff.hint", c->lang);
	enum dl_role code_role = DL_DISPLAY;
	if (code && layout_estimate_width(l, code, DL_DISPLAY, DL_BOLD) > r.w)
		code_role = DL_HEADING;
	int need = max_i(l->px[DL_HEADING] * 3 / 2, l->line_h[DL_HEADING]) + l->gap +
	           text_h(l, hint, DL_BODY, DL_REGULAR, r.w) + l->gap +
	           (code ? l->line_h[code_role] : 0);
	if (need > r.h && code_role == DL_DISPLAY) {
		need -= l->line_h[DL_DISPLAY] - l->line_h[DL_HEADING];
		code_role = DL_HEADING;
	}
	if (need < r.h) {
		r.y += (r.h - need) / 2;
		r.h = need;
	}
	icon_word(dl, l, &r, DL_ICON_PERSON, DL_AMBER, title, DL_HEADING);
	put_text(dl, l, &r, hint, DL_BODY, DL_REGULAR, DL_WHITE, DL_CENTER, l->gap);
	if (code)
		dl_add_text(dl, l, dl_rect_take_top(&r, l->line_h[code_role], 0), code, code_role,
		            DL_BOLD, DL_WHITE, DL_CENTER, DL_MUST_FIT);
	return finish(dl, l, s, c);
}

int screen_staff_pin(struct display_list *dl, const struct layout *l, const struct strings *s,
                     const struct screen_common *c, int digits, bool wrong, bool checking)
{
	struct screen_common plain = *c;
	plain.step = -1;
	struct dl_rect content, actions;
	frame(dl, l, s, &plain, DL_PAPER, false, &content, &actions);
	struct dl_rect all = {0, 0, l->width, l->height};
	dl_add_modal(dl, all, DL_NEUTRAL, 0);
	struct dl_rect r = dl_rect_inset(all, l->margin);
	int key_w = l->target_h * 2, key_h = l->target_h;
	if (l->portrait) { /* room to spare below: bigger keys, easier to hit */
		key_h = l->target_h * 3 / 2;
		key_w = min_i((r.w - 2 * l->gap) / 3, 3 * l->target_h);
	}
	int pad_w = 3 * key_w + 2 * l->gap, pad_h = 4 * key_h + 3 * l->gap;
	struct dl_rect pad, info;
	if (l->portrait) {
		info = r;
		/* keypad in the lower part, leaving the close button its own row below it */
		pad = dl_rect_take_bottom(&info, pad_h + l->target_h + 2 * l->gap, 2 * l->gap);
		pad.h = pad_h;
		pad.x += (pad.w - pad_w) / 2;
		pad.w = pad_w;
	} else {
		info = r;
		pad = dl_rect_take_right(&info, pad_w, 2 * l->gap);
		pad.y += (pad.h - pad_h) / 2;
		pad.h = pad_h;
	}
	static const char *const keys[12] = {"1", "2", "3", "4",  "5", "6",
	                                     "7", "8", "9", NULL, "0", NULL};
	for (int i = 0; i < 12; i++) {
		struct dl_rect k = {pad.x + (i % 3) * (key_w + l->gap),
		                    pad.y + (i / 3) * (key_h + l->gap), key_w, key_h};
		if (i == 9)
			dl_add_button_label(dl, l, k, SCREEN_BTN_KEY_DELETE,
			                    strings_get(s, "keypad.delete", c->lang), DL_CARD,
			                    DL_INK, !checking && digits > 0);
		else if (i == 11)
			dl_add_button_label(dl, l, k, SCREEN_BTN_KEY_OK,
			                    strings_get(s, "keypad.ok", c->lang), DL_GREEN,
			                    DL_WHITE, !checking && digits > 0);
		else
			dl_add_button_label(dl, l, k, SCREEN_BTN_KEY_0 + (keys[i][0] - '0'),
			                    keys[i], DL_CARD, DL_INK, !checking);
	}
	const char *close = strings_get(s, "staff.close", c->lang);
	struct dl_rect close_r =
	    l->portrait ? (struct dl_rect){r.x, r.y + r.h - l->target_h, r.w, l->target_h}
	                : dl_rect_take_bottom(&info, l->target_h, l->gap);
	close_r.w = min_i(button_w(l, close, 3 * l->target_h), close_r.w);
	dl_add_button_label(dl, l, close_r, SCREEN_BTN_STAFF_CLOSE, close,
	                    (struct dl_color){0, 0, 0, 0}, DL_WHITE, true);
	enum dl_align align = l->portrait ? DL_CENTER : DL_LEFT;
	put_text(dl, l, &info, strings_get(s, "staff.title", c->lang), DL_BODY, DL_REGULAR,
	         DL_WHITE, align, 0);
	put_text(dl, l, &info, strings_get(s, "staff.pin", c->lang), DL_HEADING, DL_BOLD, DL_WHITE,
	         align, l->gap);
	char dots[64] = "";
	for (int i = 0; i < digits && i < 12; i++)
		strcat(dots, "\xE2\x97\x8F"); /* U+25CF BLACK CIRCLE */
	dl_add_text(dl, l, dl_rect_take_top(&info, l->line_h[DL_HEADING], l->gap), dots, DL_HEADING,
	            DL_BOLD, DL_WHITE, align, DL_MUST_FIT);
	if (checking)
		put_text(dl, l, &info, strings_get(s, "staff.checking", c->lang), DL_BODY, DL_BOLD,
		         DL_WHITE, align, 0);
	else if (wrong)
		put_text(dl, l, &info, strings_get(s, "staff.pin_wrong", c->lang), DL_BODY, DL_BOLD,
		         DL_WHITE, align, 0);
	if (c->offline)
		put_text_opt(dl, l, &info, strings_get(s, "staff.offline", c->lang), DL_SMALL,
		             DL_REGULAR, DL_WHITE, align, 0);
	return finish(dl, l, s, c);
}

int screen_busy(struct display_list *dl, const struct layout *l, const struct strings *s,
                const struct screen_common *c, enum dl_icon icon, const char *title,
                const char *detail, int permille)
{
	struct dl_rect content, actions;
	frame(dl, l, s, c, DL_PAPER, true, &content, &actions);
	const char *t = title ? title : "";
	int side = l->px[DL_HEADING] * 2;
	int bar_h = max_i(l->gap / 2, 6);
	int need = side + l->gap + text_h(l, t, DL_HEADING, DL_BOLD, content.w) +
	           (detail ? l->gap + text_h(l, detail, DL_BODY, DL_REGULAR, content.w) : 0) +
	           (permille >= 0 ? 2 * l->gap + bar_h : 0);
	struct dl_rect r = content;
	if (need < r.h) {
		r.y += (r.h - need) / 2;
		r.h = need;
	}
	struct dl_rect ir = dl_rect_take_top(&r, side, l->gap);
	ir.x += (ir.w - side) / 2;
	ir.w = side;
	dl_add_icon(dl, ir, icon, DL_NEUTRAL, DL_PAPER);
	put_text(dl, l, &r, t, DL_HEADING, DL_BOLD, DL_INK, DL_CENTER, l->gap);
	if (detail)
		put_text(dl, l, &r, detail, DL_BODY, DL_REGULAR, DL_MUTED, DL_CENTER, l->gap);
	if (permille >= 0) {
		int w = min_i(r.w, 12 * l->px[DL_BODY]);
		struct dl_rect bar = {r.x + (r.w - w) / 2, r.y + l->gap, w, bar_h};
		dl_add_progress(dl, bar, permille, DL_NEUTRAL, DL_LINE);
	}
	return finish(dl, l, s, c);
}

int screen_staff_panel(struct display_list *dl, const struct layout *l, const struct strings *s,
                       const struct screen_common *c, const struct screen_staff *st)
{
	struct screen_common plain = *c;
	plain.step = -1;
	struct dl_rect content, actions;
	frame(dl, l, s, &plain, DL_PAPER, false, &content, &actions);
	struct dl_rect all = {0, 0, l->width, l->height};
	dl_add_modal(dl, all, DL_NEUTRAL, 0);
	struct dl_rect r = dl_rect_inset(all, l->margin);
	bool pending = st->decision != NULL;

	/* actions: approve / deny on one row (when pending), resume / end on the bottom row */
	struct dl_rect bottom = dl_rect_take_bottom(&r, l->target_h, l->gap);
	int half = (bottom.w - l->gap) / 2;
	dl_add_button_label(dl, l, dl_rect_take_left(&bottom, half, l->gap), SCREEN_BTN_STAFF_END,
	                    strings_get(s, "staff.end_session", c->lang), DL_RED, DL_WHITE, true);
	dl_add_button_label(dl, l, bottom, SCREEN_BTN_STAFF_RESUME,
	                    strings_get(s, "staff.resume", c->lang), DL_CARD, DL_INK, true);
	if (pending) {
		struct dl_rect row = dl_rect_take_bottom(&r, l->target_h, l->gap);
		dl_add_button_label(dl, l, dl_rect_take_left(&row, half, l->gap),
		                    SCREEN_BTN_STAFF_DENY, strings_get(s, "staff.deny", c->lang),
		                    DL_CARD, DL_INK, true);
		dl_add_button_label(dl, l, row, SCREEN_BTN_STAFF_APPROVE,
		                    strings_get(s, "staff.approve", c->lang), DL_GREEN, DL_WHITE,
		                    true);
	}

	/* status line at the top: title left, online/offline and records waiting right */
	char status[200];
	bool warn = st->status ? st->status_warn : c->offline;
	if (st->status) {
		snprintf(status, sizeof(status), "%s", st->status);
	} else if (st->sync_waiting >= 0) {
		char n[12];
		snprintf(n, sizeof(n), "%d", st->sync_waiting);
		const struct strings_arg args[] = {{"n", n}};
		strings_format(s, c->offline ? "staff.sync.offline" : "staff.sync.online", c->lang,
		               args, 1, status, sizeof(status));
	} else {
		snprintf(
		    status, sizeof(status), "%s",
		    strings_get(s, c->offline ? "staff.offline.short" : "staff.online", c->lang));
	}
	const char *title = strings_get(s, "staff.title", c->lang);
	struct dl_rect head = dl_rect_take_top(&r, l->line_h[DL_HEADING], l->gap / 2);
	int tw = min_i(layout_estimate_width(l, title, DL_HEADING, DL_BOLD), head.w / 2);
	dl_add_text(dl, l, dl_rect_take_left(&head, tw, l->gap), title, DL_HEADING, DL_BOLD,
	            DL_WHITE, DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
	if (warn) {
		int pw =
		    min_i(layout_estimate_width(l, status, DL_SMALL, DL_BOLD) + 2 * l->gap, head.w);
		struct dl_rect pill = dl_rect_take_right(&head, pw, 0);
		pill.y += (pill.h - l->line_h[DL_SMALL]) / 2;
		pill.h = l->line_h[DL_SMALL];
		dl_add_fill(dl, pill, DL_AMBER, pill.h / 2);
		dl_add_text(dl, l, pill, status, DL_SMALL, DL_BOLD, DL_WHITE, DL_CENTER,
		            DL_MUST_FIT | DL_MIDDLE);
	} else {
		dl_add_text(dl, l, head, status, DL_SMALL, DL_REGULAR, DL_WHITE, DL_RIGHT,
		            DL_MUST_FIT | DL_MIDDLE);
	}

	/* the decision */
	const char *decision =
	    pending ? st->decision : strings_get(s, "staff.pending.none", c->lang);
	put_text(dl, l, &r, decision, fit_role(l, decision, r.w, l->line_h[DL_HEADING]), DL_BOLD,
	         DL_WHITE, DL_LEFT, l->gap / 2);
	if (st->subject && st->subject[0])
		put_text_opt(dl, l, &r, st->subject, DL_BODY, DL_BOLD, DL_WHITE, DL_LEFT,
		             l->gap / 2);
	if (st->code && st->code[0])
		put_text_opt(dl, l, &r, st->code, DL_SMALL, DL_BOLD, DL_WHITE, DL_LEFT, l->gap / 2);
	if (st->reason && st->reason[0])
		put_text_opt(dl, l, &r, st->reason, DL_BODY, DL_REGULAR, DL_WHITE, DL_LEFT,
		             l->gap / 2);
	if (st->storage && st->storage[0])
		put_text_opt(dl, l, &r, st->storage, DL_SMALL,
		             st->storage_warn ? DL_BOLD : DL_REGULAR, DL_WHITE, DL_LEFT,
		             l->gap / 2);
	put_text_opt(dl, l, &r, strings_get(s, "staff.audit_note", c->lang), DL_SMALL, DL_REGULAR,
	             DL_WHITE, DL_LEFT, 0);
	return finish(dl, l, s, c);
}

/* The station's risk colours on labels and cards, each with its word (UI.md). */
static const struct {
	struct dl_color fill, ink;
	const char *key;
} risk_look[RISK_COUNT] = {
    [RISK_GREEN] = {{0x1B, 0x7F, 0x3B, 0xFF}, {0xFF, 0xFF, 0xFF, 0xFF}, "risk.green"},
    [RISK_YELLOW] = {{0xF2, 0xC2, 0x00, 0xFF}, {0x1A, 0x1A, 0x1A, 0xFF}, "risk.yellow"},
    [RISK_ORANGE] = {{0xC2, 0x41, 0x0C, 0xFF}, {0xFF, 0xFF, 0xFF, 0xFF}, "risk.orange"},
    [RISK_RED] = {{0xB3, 0x26, 0x1E, 0xFF}, {0xFF, 0xFF, 0xFF, 0xFF}, "risk.red"},
};

/* A pill with text at body size, left in *row (which shrinks); false when it does not fit. */
static bool chip(struct display_list *dl, const struct layout *l, struct dl_rect *row,
                 const char *text, struct dl_color fill, struct dl_color ink)
{
	int w = layout_estimate_width(l, text, DL_BODY, DL_BOLD) + 2 * l->gap;
	if (w > row->w)
		return false;
	struct dl_rect r = dl_rect_take_left(row, w, l->gap / 2);
	dl_add_fill(dl, r, fill, r.h / 2);
	dl_add_text(dl, l, r, text, DL_BODY, DL_BOLD, ink, DL_CENTER, DL_MUST_FIT | DL_MIDDLE);
	return true;
}

/* Top bar of the checkpoint screens: its name left, the language switch right. */
static void checkpoint_bar(struct display_list *dl, const struct layout *l, const struct strings *s,
                           enum lang lang, const struct screen_checkpoint *v, bool on_colour)
{
	struct dl_color ink = on_colour ? DL_WHITE : DL_INK;
	struct dl_rect top = l->top_bar;
	const char *lang_label = strings_get(s, "lang.switch", lang);
	struct dl_rect lb =
	    dl_rect_take_right(&top, button_w(l, lang_label, 2 * l->target_h), l->gap);
	dl_add_button_label(dl, l, lb, SCREEN_BTN_LANG, lang_label,
	                    on_colour ? (struct dl_color){0, 0, 0, 0} : DL_CARD, ink, true);
	char name[160];
	const struct strings_arg args[] = {{"name", v->checkpoint ? v->checkpoint : ""}};
	strings_format(s, "sec.checkpoint", lang, args, 1, name, sizeof(name));
	enum dl_role role =
	    layout_estimate_width(l, name, DL_BODY, DL_BOLD) <= top.w ? DL_BODY : DL_SMALL;
	dl_add_text(dl, l, top, name, role, DL_BOLD, ink, DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
}

/* The data age bottom left: plain for staff, a warning pill when stale. */
static void data_age(struct display_list *dl, const struct layout *l, struct dl_rect *bottom,
                     const struct screen_checkpoint *v, bool on_colour)
{
	if (!v->data_age)
		return;
	int w =
	    min_i(layout_estimate_width(l, v->data_age, DL_SMALL, DL_BOLD) + 2 * l->gap, bottom->w);
	struct dl_rect r = dl_rect_take_left(bottom, w, l->gap);
	if (v->data_stale) {
		r.y += (r.h - l->line_h[DL_SMALL]) / 2;
		r.h = l->line_h[DL_SMALL];
		dl_add_fill(dl, r, on_colour ? DL_WHITE : DL_AMBER, r.h / 2);
		dl_add_text(dl, l, r, v->data_age, DL_SMALL, DL_BOLD, on_colour ? DL_INK : DL_WHITE,
		            DL_CENTER, DL_MUST_FIT | DL_MIDDLE);
	} else {
		dl_add_text(dl, l, r, v->data_age, DL_SMALL, DL_REGULAR,
		            on_colour ? DL_WHITE : DL_MUTED, DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
	}
}

static int checkpoint_ready(struct display_list *dl, const struct layout *l,
                            const struct strings *s, enum lang lang,
                            const struct screen_checkpoint *v)
{
	dl_init(dl, l->width, l->height);
	dl_add_fill(dl, (struct dl_rect){0, 0, l->width, l->height}, DL_PAPER, 0);
	checkpoint_bar(dl, l, s, lang, v, false);
	struct dl_rect bottom = l->bottom_bar;
	data_age(dl, l, &bottom, v, false);
	struct dl_rect content = l->content, pic, text = content;
	if (l->portrait) {
		int side = min_i(content.w * 3 / 4, content.h / 2);
		pic = dl_rect_take_top(&text, side, 2 * l->gap);
		pic.x += (pic.w - side) / 2;
		pic.w = side;
	} else {
		int side = min_i(content.h, content.w * 2 / 5);
		pic = dl_rect_take_left(&text, side, 2 * l->gap);
		pic.y += (pic.h - side) / 2;
		pic.h = side;
	}
	if (v->camera) {
		dl_add_image(dl, pic, DL_IMAGE_CAMERA);
	} else {
		dl_add_fill(dl, pic, DL_CARD, l->radius);
		dl_add_icon(dl, dl_rect_inset(pic, pic.w / 8), DL_ICON_PHONE_QR, DL_NEUTRAL,
		            DL_WHITE);
	}
	enum dl_align align = l->portrait ? DL_CENTER : DL_LEFT;
	const char *title = strings_get(s, "sec.ready", lang);
	const char *hint = strings_get(s, "sec.ready.hint", lang);
	int need = text_h(l, title, DL_HEADING, DL_BOLD, text.w) + l->gap +
	           text_h(l, hint, DL_BODY, DL_REGULAR, text.w) + l->gap + l->line_h[DL_BODY];
	if (!l->portrait && need < text.h) {
		text.y += (text.h - need) / 2;
		text.h = need;
	}
	put_text(dl, l, &text, title, DL_HEADING, DL_BOLD, DL_INK, align, l->gap);
	put_text(dl, l, &text, hint, DL_BODY, DL_REGULAR, DL_MUTED, align, l->gap);
	if (v->checking)
		put_text_opt(dl, l, &text, strings_get(s, "sec.checking", lang), DL_BODY, DL_BOLD,
		             DL_NEUTRAL, align, 0);
	return dl->full ? -ENOSPC : 0;
}

/* The resident's facts on a white card in r. */
static void checkpoint_card(struct display_list *dl, const struct layout *l,
                            const struct strings *s, enum lang lang,
                            const struct screen_checkpoint *v, struct dl_rect r)
{
	dl_add_fill(dl, r, DL_CARD, l->radius);
	struct dl_rect in = dl_rect_inset(r, l->gap);
	char buf[160];
	const struct strings_arg room_arg[] = {{"room", v->room ? v->room : ""}};
	strings_format(s, "sec.room", lang, room_arg, 1, buf, sizeof(buf));
	enum dl_role big =
	    layout_estimate_width(l, buf, DL_DISPLAY, DL_BOLD) <= in.w ? DL_DISPLAY : DL_HEADING;
	if (l->line_h[big] + l->line_h[DL_HEADING] + 2 * l->line_h[DL_BODY] + 3 * l->gap / 2 > in.h)
		big = DL_HEADING;
	dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[big], 0), buf, big, DL_BOLD, DL_INK,
	            DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
	if (v->name && v->name[0])
		dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[DL_HEADING], l->gap / 2),
		            v->name, DL_HEADING, DL_BOLD, DL_INK, DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
	if ((unsigned)v->risk >= RISK_COUNT && v->days <= 0 && !v->care)
		return;
	/* risk with its word and the care markers (psychological care first, as a red heart)
	 * as chips flowing over rows; then day N of M when there is room */
	static const struct {
		unsigned bit;
		const char *key;
	} care[] = {{RESIDENT_CARE_PSYCH, "care.psych"},
	            {RESIDENT_CARE_ELDERLY, "care.elderly"},
	            {RESIDENT_CARE_CHILD, "care.child"},
	            {RESIDENT_CARE_PREGNANT, "care.pregnant"}};
	struct dl_rect row = {in.x, in.y, in.w, 0};
	for (int i = -1; i < (int)(sizeof(care) / sizeof(care[0])); i++) {
		const char *text;
		struct dl_color fill, ink = DL_WHITE;
		if (i < 0) {
			if ((unsigned)v->risk >= RISK_COUNT)
				continue;
			text = strings_get(s, risk_look[v->risk].key, lang);
			fill = risk_look[v->risk].fill;
			ink = risk_look[v->risk].ink;
		} else if (v->care & care[i].bit) {
			fill = care[i].bit == RESIDENT_CARE_PSYCH ? DL_RED : DL_NEUTRAL;
			if (care[i].bit == RESIDENT_CARE_PSYCH) {
				snprintf(buf, sizeof(buf), "\xE2\x99\xA5 %s",
				         strings_get(s, care[i].key, lang));
				text = buf;
			} else {
				text = strings_get(s, care[i].key, lang);
			}
		} else {
			continue;
		}
		if (row.h == 0 || !chip(dl, l, &row, text, fill, ink)) {
			if (in.h < l->line_h[DL_BODY])
				break;
			row = dl_rect_take_top(&in, l->line_h[DL_BODY], l->gap / 2);
			chip(dl, l, &row, text, fill, ink);
		}
	}
	/* day 0 is a late arrival's arrival day (day 1 is the next day, docs/policy.md): it is
	 * called that, never "day 0"; before arrival nothing is said */
	if (v->days > 0 && v->day >= 0 && in.h >= l->line_h[DL_BODY]) {
		char n[12], t[12];
		snprintf(n, sizeof(n), "%d", v->day);
		snprintf(t, sizeof(t), "%d", v->days);
		const struct strings_arg a[] = {{"n", n}, {"total", t}};
		strings_format(s, v->day == 0 ? "sec.day.arrival" : "sec.day", lang, a, 2, buf,
		               sizeof(buf));
		dl_add_text(dl, l, dl_rect_take_top(&in, l->line_h[DL_BODY], 0), buf, DL_BODY,
		            DL_BOLD, DL_INK, DL_LEFT, DL_MUST_FIT | DL_MIDDLE);
	}
}

int screen_checkpoint(struct display_list *dl, const struct layout *l, const struct strings *s,
                      enum lang lang, const struct screen_checkpoint *v)
{
	if (!v->verdict)
		return checkpoint_ready(dl, l, s, lang, v);
	enum screen_verdict tone =
	    (unsigned)v->tone > SCREEN_VERDICT_ATTENTION ? SCREEN_VERDICT_ATTENTION : v->tone;
	static const char *const words[] = {[SCREEN_VERDICT_VALID] = "sec.verdict.green",
	                                    [SCREEN_VERDICT_REFUSED] = "sec.verdict.red",
	                                    [SCREEN_VERDICT_ATTENTION] = "sec.verdict.amber"};
	struct dl_color bg = verdicts[tone].bg;
	dl_init(dl, l->width, l->height);
	dl_add_fill(dl, (struct dl_rect){0, 0, l->width, l->height}, bg, 0);
	checkpoint_bar(dl, l, s, lang, v, true);
	struct dl_rect bottom = l->bottom_bar;
	const char *next = strings_get(s, "sec.next", lang);
	dl_add_button_label(dl, l,
	                    dl_rect_take_right(&bottom, button_w(l, next, 3 * l->target_h), l->gap),
	                    SCREEN_BTN_DISMISS, next, DL_WHITE, DL_INK, true);
	data_age(dl, l, &bottom, v, true);
	if (v->code) /* for staff, with the data age: it never crowds out the verdict */
		dl_add_text(dl, l, bottom, v->code, DL_SMALL, DL_BOLD, DL_WHITE, DL_RIGHT,
		            DL_MUST_FIT | DL_MIDDLE);

	struct dl_rect content = l->content, card = {0, 0, 0, 0}, r = content;
	if (v->has_resident) {
		if (l->portrait)
			card = dl_rect_take_bottom(&r, r.h / 2, l->gap);
		else
			card = dl_rect_take_right(&r, r.w / 2, 2 * l->gap);
	}
	const char *word = strings_get(s, words[tone], lang);
	/* icon and word side by side at display size; a narrow column takes heading size */
	enum dl_role role = DL_DISPLAY;
	if (l->px[DL_DISPLAY] * 3 / 2 + l->gap +
	        layout_estimate_width(l, word, DL_DISPLAY, DL_BOLD) >
	    r.w)
		role = DL_HEADING;
	int need = l->portrait ? l->px[role] * 3 / 2 + l->gap + l->line_h[role] + l->gap
	                       : max_i(l->px[role] * 3 / 2, l->line_h[role]) + l->gap;
	if (v->why)
		need += text_h(l, v->why, DL_BODY, DL_BOLD, r.w) + l->gap;
	if (need < r.h) {
		r.y += (r.h - need) / 2;
		r.h = need;
	}
	icon_word(dl, l, &r, verdicts[tone].icon, bg, word, role);
	if (v->why)
		put_text_opt(dl, l, &r, v->why, DL_BODY, DL_BOLD, DL_WHITE, DL_CENTER, l->gap);
	if (v->has_resident)
		checkpoint_card(dl, l, s, lang, v, card);
	return dl->full ? -ENOSPC : 0;
}
