/* app/core/screen_frontdesk.c: the front desk's screens laid out from the layout numbers, and
 * the on-screen keyboard, forms and pages behind its buttons. Staff-facing: facts are in
 * small type where a card must hold many; every touch target is at least target_h tall. */
#include "app/core/screen_frontdesk.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app/core/policy.h"
#include "app/core/reason_text.h"
#include "app/core/resident.h"

#define KEYS_MAX  40
#define KEY_BYTES 8
#define KBD_COLS  10

/* The station's risk colours with the ink that reads on them (UI.md), and their words. */
static const struct {
	struct dl_color fill, ink;
	const char *key;
} risk_look[RISK_COUNT] = {
    [RISK_GREEN] = {{0x1B, 0x7F, 0x3B, 0xFF}, {0xFF, 0xFF, 0xFF, 0xFF}, "risk.green"},
    [RISK_YELLOW] = {{0xF2, 0xC2, 0x00, 0xFF}, {0x1A, 0x1A, 0x1A, 0xFF}, "risk.yellow"},
    [RISK_ORANGE] = {{0xC2, 0x41, 0x0C, 0xFF}, {0xFF, 0xFF, 0xFF, 0xFF}, "risk.orange"},
    [RISK_RED] = {{0xB3, 0x26, 0x1E, 0xFF}, {0xFF, 0xFF, 0xFF, 0xFF}, "risk.red"},
};

static const struct dl_color clear_colour = {0, 0, 0, 0};

/* What each action slot asks for and says. */
static const struct {
	enum desk_action action;
	enum desk_label label;
	const char *key;     /* button text */
	const char *confirm; /* confirmation template */
	bool form;           /* needs a form (a choice or a required reason) */
} slots[DESK_SLOT_COUNT] = {
    [DESK_SLOT_DOOR] = {DESK_ACT_PRINT_LABEL, DESK_LABEL_DOOR, "desk.act.door", "desk.confirm.door",
                        false},
    [DESK_SLOT_MEAL] = {DESK_ACT_PRINT_LABEL, DESK_LABEL_MEAL, "desk.act.meal", "desk.confirm.meal",
                        false},
    [DESK_SLOT_TUBE] = {DESK_ACT_PRINT_LABEL, DESK_LABEL_TUBE, "desk.act.tube", "desk.confirm.tube",
                        false},
    [DESK_SLOT_REPRINT] = {DESK_ACT_REPRINT_BAND, 0, "desk.act.reprint", "desk.confirm.reprint",
                           false},
    [DESK_SLOT_VOID] = {DESK_ACT_VOID_BAND, 0, "desk.act.void", "desk.confirm.void", true},
    [DESK_SLOT_RISK] = {DESK_ACT_SET_RISK, 0, "desk.act.risk", "desk.confirm.risk", true},
    [DESK_SLOT_RELEASE] = {DESK_ACT_RELEASE, 0, "desk.act.release", "desk.confirm.release", false},
    [DESK_SLOT_TRANSFER] = {DESK_ACT_TRANSFER, 0, "desk.act.transfer", "desk.confirm.transfer",
                            true},
    [DESK_SLOT_EXTEND] = {DESK_ACT_EXTEND, 0, "desk.act.extend", "desk.confirm.extend", true},
};

static int max_i(int a, int b)
{
	return a > b ? a : b;
}

static int min_i(int a, int b)
{
	return a < b ? a : b;
}

static const char *txt(const struct strings *s, const struct desk_form *fm, const char *key)
{
	return strings_get(s, key, fm->lang);
}

/* ---- text that fits ---- */

static int est(const struct layout *l, const char *t, enum dl_role role, enum dl_weight w)
{
	return layout_estimate_width(l, t, role, w);
}

/* in cut (at a character boundary, with an ellipsis) to what is estimated to fit w. */
static void cut_to(const struct layout *l, const char *in, enum dl_role role, enum dl_weight wt,
                   int w, char *out, size_t n)
{
	snprintf(out, n, "%s", in);
	if (est(l, out, role, wt) <= w)
		return;
	size_t len = strlen(out);
	while (len > 0) {
		do
			len--;
		while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80);
		if (len + 4 > n)
			continue;
		memcpy(out + len, "\xE2\x80\xA6", 4); /* U+2026 */
		if (est(l, out, role, wt) <= w)
			return;
	}
	out[0] = '\0';
}

/* One line of text at the top of *r (which shrinks), cut to fit; false when no room. */
static bool put_line(struct display_list *dl, const struct layout *l, struct dl_rect *r,
                     const char *t, enum dl_role role, enum dl_weight wt, struct dl_color c,
                     enum dl_align align)
{
	if (r->h < l->line_h[role])
		return false;
	char buf[512];
	cut_to(l, t, role, wt, r->w, buf, sizeof(buf));
	struct dl_rect box = dl_rect_take_top(r, l->line_h[role], 0);
	dl_add_text(dl, l, box, buf, role, wt, c, align, DL_MUST_FIT | DL_MIDDLE);
	return true;
}

/* Width a button needs for its label, at least min_w. */
static int btn_w(const struct layout *l, const char *label, int min_w)
{
	return max_i(est(l, label, DL_BODY, DL_BOLD) + 3 * l->gap, min_w);
}

/* A button whose label is cut to its width (one line). */
static void button(struct display_list *dl, const struct layout *l, struct dl_rect r, int id,
                   const char *label, struct dl_color fill, struct dl_color ink, bool enabled)
{
	char buf[256];
	cut_to(l, label, DL_BODY, DL_BOLD, r.w - 2 * l->gap, buf, sizeof(buf));
	dl_add_button_label(dl, l, r, id, buf, fill, ink, enabled);
}

/* A pill of text at role size left in *row (which shrinks); false when it does not fit. */
static bool chip(struct display_list *dl, const struct layout *l, struct dl_rect *row,
                 const char *text, enum dl_role role, struct dl_color fill, struct dl_color ink)
{
	int w = est(l, text, role, DL_BOLD) + l->gap;
	if (w > row->w)
		return false;
	struct dl_rect r = dl_rect_take_left(row, w, l->gap / 2);
	dl_add_fill(dl, r, fill, r.h / 2);
	dl_add_text(dl, l, r, text, role, DL_BOLD, ink, DL_CENTER, DL_MUST_FIT | DL_MIDDLE);
	return true;
}

static bool risk_ok(enum risk r)
{
	return (unsigned)r < RISK_COUNT;
}

/* "11-29 14:05" in the station's zone; "" without a clock. */
static void fmt_time(const struct screen_frontdesk_extra *x, int64_t unix_s, char *buf, size_t n)
{
	if (!x || unix_s <= 0) {
		snprintf(buf, n, "-");
		return;
	}
	int64_t local = unix_s + x->tz_offset_s;
	int64_t sod = ((local % 86400) + 86400) % 86400;
	int y, m, d;
	day_to_ymd(day_from_unix(unix_s, x->tz_offset_s), &y, &m, &d);
	snprintf(buf, n, "%02d-%02d %02d:%02d", m, d, (int)(sod / 3600), (int)(sod / 60 % 60));
}

/* A text of frontdesk.json with one {n}-like argument. */
static void fmt1(const struct strings *s, const struct desk_form *fm, const char *key,
                 const char *name, const char *value, char *buf, size_t n)
{
	const struct strings_arg a[] = {{name, value}};
	strings_format(s, key, fm->lang, a, 1, buf, n);
}

static void fmt_int(const struct strings *s, const struct desk_form *fm, const char *key, int v,
                    char *buf, size_t n)
{
	char num[16];
	snprintf(num, sizeof(num), "%d", v);
	fmt1(s, fm, key, "n", num, buf, n);
}

/* A reason's text for staff: "the text (E_CODE)". */
static void reason_line(const struct strings *s, const struct desk_form *fm, enum reason r,
                        char *buf, size_t n)
{
	char key[96];
	const char *t = strings_lookup(s, reason_text_key(r, false, key, sizeof(key)), fm->lang);
	snprintf(buf, n, "%s (%s)", t ? t : "", reason_code(r));
}

/* ---- the frame ---- */

/* Paper, the top bar: title left; language, and when signed in sign-out and occupancy,
 * right. Returns the area below the top bar down to the bottom margin. */
static struct dl_rect frame(struct display_list *dl, const struct layout *l,
                            const struct strings *s, const struct desk_form *fm, const char *title,
                            bool signed_in, bool occupancy)
{
	dl_init(dl, l->width, l->height);
	dl_add_fill(dl, (struct dl_rect){0, 0, l->width, l->height}, DL_PAPER, 0);
	struct dl_rect top = l->top_bar;
	const char *lang = txt(s, fm, "lang.switch");
	button(dl, l, dl_rect_take_right(&top, btn_w(l, lang, 2 * l->target_h), l->gap),
	       SCREEN_BTN_LANG, lang, DL_CARD, DL_INK, true);
	if (signed_in) {
		const char *out = txt(s, fm, "desk.sign_out");
		button(dl, l, dl_rect_take_right(&top, btn_w(l, out, 2 * l->target_h), l->gap),
		       DESK_BTN_SIGN_OUT, out, DL_CARD, DL_INK, true);
		if (occupancy) {
			const char *occ = txt(s, fm, "desk.occupancy");
			button(dl, l,
			       dl_rect_take_right(&top, btn_w(l, occ, 2 * l->target_h), l->gap),
			       DESK_BTN_OCCUPANCY, occ, DL_NEUTRAL, DL_WHITE, true);
		}
	}
	struct dl_rect t = top;
	bool heading =
	    l->line_h[DL_HEADING] <= top.h && est(l, title, DL_HEADING, DL_BOLD) <= top.w;
	put_line(dl, l, &t, title, heading ? DL_HEADING : DL_BODY, DL_BOLD, DL_INK, DL_LEFT);
	int y = l->top_bar.y + l->top_bar.h + l->gap;
	return (struct dl_rect){l->margin, y, l->width - 2 * l->margin, l->height - l->margin - y};
}

/* A coloured banner line at the top of *r: what happened last. */
static void banner(struct display_list *dl, const struct layout *l, struct dl_rect *r,
                   const char *text, struct dl_color fill)
{
	if (r->h < l->line_h[DL_BODY])
		return;
	struct dl_rect b = dl_rect_take_top(r, l->line_h[DL_BODY], l->gap / 2);
	dl_add_fill(dl, b, fill, l->radius / 2);
	struct dl_rect in = dl_rect_inset(b, 0);
	in.x += l->gap / 2;
	in.w -= l->gap;
	put_line(dl, l, &in, text, DL_BODY, DL_BOLD, DL_WHITE, DL_LEFT);
}

static void notice_banner(struct display_list *dl, const struct layout *l, const struct strings *s,
                          const struct desk_form *fm, const struct flow_frontdesk *f,
                          struct dl_rect *r)
{
	if (f->notice == REASON_OK)
		return;
	char buf[320];
	reason_line(s, fm, f->notice, buf, sizeof(buf));
	banner(dl, l, r, buf, DL_AMBER);
}

static int finish(struct display_list *dl)
{
	return dl->full ? -ENOSPC : 0;
}

/* ---- the keyboard ---- */

/* The keys of a page as UTF-8 strings; returns how many. */
static int page_keys(const struct strings *s, enum lang lang, enum desk_kbd_page page,
                     char keys[KEYS_MAX][KEY_BYTES])
{
	const char *src;
	switch (page) {
	case DESK_KBD_DIGITS:
		src = "1234567890-";
		break;
	case DESK_KBD_LETTERS:
		src = "QWERTYUIOPASDFGHJKL-ZXCVBNM* ";
		break;
	default:
		src = strings_get(s, "desk.kbd.surnames", lang);
		break;
	}
	int n = 0;
	for (const char *p = src; *p && n < KEYS_MAX;) {
		size_t len = 1;
		while (p[len] && ((unsigned char)p[len] & 0xC0) == 0x80)
			len++;
		if (len < KEY_BYTES) {
			memcpy(keys[n], p, len);
			keys[n][len] = '\0';
			n++;
		}
		p += len;
	}
	return n;
}

/* The rows of keys of the keyboard need this much height (3 key rows and the control row). */
static int keyboard_h(const struct layout *l)
{
	int kg = max_i(l->gap * 5 / 8, 6);
	return 4 * l->target_h + 3 * kg;
}

/* The keyboard in r: the page's keys in rows of ten, then page switches, delete, clear and
 * ok_id (search / done) at the right. */
static void keyboard(struct display_list *dl, const struct layout *l, const struct strings *s,
                     const struct desk_form *fm, struct dl_rect r, int ok_id, const char *ok,
                     bool ok_enabled)
{
	char keys[KEYS_MAX][KEY_BYTES];
	int n = page_keys(s, fm->lang, fm->page, keys);
	int kg = max_i(l->gap * 5 / 8, 6);
	int key_h = min_i((r.h - 3 * kg) / 4, l->target_h * 3 / 2);
	int key_w = (r.w - (KBD_COLS - 1) * kg) / KBD_COLS;
	int rows_w = KBD_COLS * key_w + (KBD_COLS - 1) * kg;
	int x0 = r.x + (r.w - rows_w) / 2;
	for (int i = 0; i < n && i < 3 * KBD_COLS; i++) {
		struct dl_rect k = {x0 + (i % KBD_COLS) * (key_w + kg),
		                    r.y + (i / KBD_COLS) * (key_h + kg), key_w, key_h};
		const char *label =
		    strcmp(keys[i], " ") == 0 ? txt(s, fm, "desk.kbd.space") : keys[i];
		dl_add_button_label(dl, l, k, DESK_BTN_KEY_0 + i, label, DL_CARD, DL_INK, true);
	}
	struct dl_rect row = {x0, r.y + 3 * (key_h + kg), rows_w, key_h};
	static const char *const page_key[DESK_KBD_PAGE_COUNT] = {
	    "desk.kbd.digits", "desk.kbd.letters", "desk.kbd.surnames.label"};
	for (int p = 0; p < DESK_KBD_PAGE_COUNT; p++) {
		const char *label = txt(s, fm, page_key[p]);
		int w = max_i(est(l, label, DL_BODY, DL_BOLD) + 3 * l->gap, key_w);
		bool on = fm->page == (enum desk_kbd_page)p;
		dl_add_button_label(dl, l, dl_rect_take_left(&row, w, kg), DESK_BTN_PAGE_0 + p,
		                    label, on ? DL_NEUTRAL : DL_CARD, on ? DL_WHITE : DL_INK, true);
	}
	const char *del = txt(s, fm, "keypad.delete"), *clr = txt(s, fm, "keypad.clear");
	int okw = max_i(est(l, ok, DL_BODY, DL_BOLD) + 3 * l->gap, 2 * key_w);
	dl_add_button_label(dl, l, dl_rect_take_right(&row, okw, kg), ok_id, ok, DL_GREEN, DL_WHITE,
	                    ok_enabled);
	int dw = est(l, del, DL_BODY, DL_BOLD) + 3 * l->gap;
	int cw = est(l, clr, DL_BODY, DL_BOLD) + 3 * l->gap;
	if (dw + cw + kg <= row.w) {
		dl_add_button_label(dl, l, dl_rect_take_right(&row, dw, kg), DESK_BTN_DELETE, del,
		                    DL_CARD, DL_INK, true);
		dl_add_button_label(dl, l, dl_rect_take_right(&row, cw, kg), DESK_BTN_CLEAR, clr,
		                    DL_CARD, DL_INK, true);
	} else {
		dl_add_button_label(dl, l, dl_rect_take_right(&row, min_i(dw, row.w), kg),
		                    DESK_BTN_DELETE, del, DL_CARD, DL_INK, true);
	}
}

/* A text field: the text typed (or a muted hint) in a white box with a border. */
static void field(struct display_list *dl, const struct layout *l, struct dl_rect r,
                  const char *text, const char *hint)
{
	dl_add_button(dl, r, 0, DL_CARD, DL_NEUTRAL, l->radius / 2, false);
	struct dl_rect in = {r.x + l->gap / 2, r.y + (r.h - l->line_h[DL_BODY]) / 2, r.w - l->gap,
	                     l->line_h[DL_BODY]};
	bool empty = !text || !text[0];
	char buf[DESK_NOTE_MAX + 8];
	snprintf(buf, sizeof(buf), "%s|", empty ? "" : text);
	put_line(dl, l, &in, empty ? hint : buf, DL_BODY, empty ? DL_REGULAR : DL_BOLD,
	         empty ? DL_MUTED : DL_INK, DL_LEFT);
}

/* ---- the screens ---- */

static int signed_out(struct display_list *dl, const struct layout *l, const struct strings *s,
                      const struct flow_frontdesk *f, const struct desk_form *fm)
{
	struct dl_rect r = frame(dl, l, s, fm, txt(s, fm, "desk.title"), false, false);
	int side = min_i(l->px[DL_HEADING] * 3, r.h / 3);
	struct dl_rect icon = dl_rect_take_top(&r, side, l->gap);
	icon.x += (icon.w - side) / 2;
	icon.w = side;
	dl_add_icon(dl, icon, DL_ICON_PERSON, DL_NEUTRAL, DL_PAPER);
	put_line(dl, l, &r, txt(s, fm, "desk.badge"), DL_HEADING, DL_BOLD, DL_INK, DL_CENTER);
	put_line(dl, l, &r, txt(s, fm, "desk.badge.hint"), DL_BODY, DL_REGULAR, DL_MUTED,
	         DL_CENTER);
	char buf[320];
	if (f->lockout_s > 0) {
		fmt_int(s, fm, "desk.locked", f->lockout_s, buf, sizeof(buf));
		banner(dl, l, &r, buf, DL_RED);
	} else if (f->notice != REASON_OK) {
		reason_line(s, fm, f->notice, buf, sizeof(buf));
		banner(dl, l, &r, buf, DL_AMBER);
	}
	return finish(dl);
}

static int wait_screen(struct display_list *dl, const struct layout *l, const struct strings *s,
                       const struct flow_frontdesk *f, const struct desk_form *fm)
{
	const char *key = f->state == DESK_SEARCHING      ? "desk.wait.search"
	                  : f->state == DESK_LOADING_CARD ? "desk.wait.card"
	                  : f->state == DESK_WORKING      ? "desk.wait.action"
	                                                  : "desk.wait.occupancy";
	struct dl_rect r = frame(dl, l, s, fm, txt(s, fm, "desk.title"), false, false);
	int side = min_i(l->px[DL_HEADING] * 2, r.h / 3);
	r.y += (r.h - side - l->gap - l->line_h[DL_HEADING]) / 2;
	struct dl_rect icon = dl_rect_take_top(&r, side, l->gap);
	icon.x += (icon.w - side) / 2;
	icon.w = side;
	dl_add_icon(dl, icon, f->state == DESK_WORKING ? DL_ICON_PRINTER : DL_ICON_PERSON,
	            DL_NEUTRAL, DL_PAPER);
	put_line(dl, l, &r, txt(s, fm, key), DL_HEADING, DL_BOLD, DL_INK, DL_CENTER);
	return finish(dl);
}

static const char *const by_key[DESK_BY_COUNT] = {"desk.by.room", "desk.by.name", "desk.by.batch",
                                                  "desk.by.band"};

static int home(struct display_list *dl, const struct layout *l, const struct strings *s,
                const struct flow_frontdesk *f, const struct desk_form *fm)
{
	char title[160];
	fmt1(s, fm, "desk.title.staff", "badge", f->session.badge, title, sizeof(title));
	struct dl_rect r = frame(dl, l, s, fm, title, true, true);
	int kh = keyboard_h(l);
	struct dl_rect kbd = dl_rect_take_bottom(&r, kh, 0);
	/* search by: four tabs, then the field */
	struct dl_rect row = dl_rect_take_top(&r, l->target_h, l->gap / 2);
	int kg = max_i(l->gap * 5 / 8, 6);
	for (int b = 0; b < DESK_BY_COUNT; b++) {
		const char *label = txt(s, fm, by_key[b]);
		bool on = fm->by == (enum desk_search_by)b;
		int w = max_i(est(l, label, DL_BODY, DL_BOLD) + 3 * l->gap, l->target_h * 3 / 2);
		dl_add_button_label(dl, l, dl_rect_take_left(&row, w, kg), DESK_BTN_BY_0 + b, label,
		                    on ? DL_NEUTRAL : DL_CARD, on ? DL_WHITE : DL_INK, true);
	}
	static const char *const hint_key[DESK_BY_COUNT] = {"desk.hint.room", "desk.hint.name",
	                                                    "desk.hint.batch", "desk.hint.band"};
	field(dl, l, row, fm->query, txt(s, fm, hint_key[fm->by]));
	/* what went wrong with the last search, or what to do */
	if (f->notice != REASON_OK)
		notice_banner(dl, l, s, fm, f, &r);
	else
		put_line(dl, l, &r, txt(s, fm, "desk.home.hint"), DL_SMALL, DL_REGULAR, DL_MUTED,
		         DL_LEFT);
	keyboard(dl, l, s, fm, kbd, DESK_BTN_SEARCH, txt(s, fm, "desk.search"),
	         fm->query[0] != '\0');
	return finish(dl);
}

static const char *const status_key[RESIDENT_STATUS_COUNT] = {
    "desk.status.in", "desk.status.released", "desk.status.transferred"};

/* Results per page at this size. */
static int rows_per_page(const struct layout *l, int list_h)
{
	int kg = max_i(l->gap * 5 / 8, 6);
	return max_i(1, (list_h + kg) / (l->target_h + kg));
}

/* The bottom bar: back left, then previous / next right when there are pages. */
static void pager(struct display_list *dl, const struct layout *l, const struct strings *s,
                  const struct desk_form *fm, struct dl_rect bar, int page, int pages)
{
	const char *back = txt(s, fm, "desk.back");
	button(dl, l, dl_rect_take_left(&bar, btn_w(l, back, 2 * l->target_h), l->gap),
	       DESK_BTN_BACK, back, DL_CARD, DL_INK, true);
	if (pages <= 1)
		return;
	const char *next = txt(s, fm, "desk.next"), *prev = txt(s, fm, "desk.prev");
	button(dl, l, dl_rect_take_right(&bar, btn_w(l, next, 2 * l->target_h), l->gap),
	       DESK_BTN_NEXT, next, DL_NEUTRAL, DL_WHITE, page + 1 < pages);
	button(dl, l, dl_rect_take_right(&bar, btn_w(l, prev, 2 * l->target_h), l->gap),
	       DESK_BTN_PREV, prev, DL_CARD, DL_INK, page > 0);
	char buf[64];
	snprintf(buf, sizeof(buf), "%d / %d", page + 1, pages);
	dl_add_text(dl, l, bar, buf, DL_BODY, DL_BOLD, DL_MUTED, DL_RIGHT, DL_MUST_FIT | DL_MIDDLE);
}

static int results(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct flow_frontdesk *f, const struct desk_form *fm)
{
	const struct desk_session *se = &f->session;
	char title[200];
	const struct strings_arg a[] = {
	    {"by", txt(s, fm, by_key[se->by < DESK_BY_COUNT ? se->by : 0])}, {"query", se->query}};
	strings_format(s, "desk.results.title", fm->lang, a, 2, title, sizeof(title));
	struct dl_rect r = frame(dl, l, s, fm, title, true, true);
	struct dl_rect bar = dl_rect_take_bottom(&r, l->bar_h, l->gap);
	char buf[200];
	fmt_int(s, fm, se->more ? "desk.results.more" : "desk.results.count", se->result_count, buf,
	        sizeof(buf));
	put_line(dl, l, &r, buf, DL_SMALL, DL_BOLD, DL_MUTED, DL_LEFT);
	int per = rows_per_page(l, r.h);
	int pages = max_i(1, (se->result_count + per - 1) / per);
	int page = min_i(max_i(fm->results_page, 0), pages - 1);
	for (int i = page * per; i < se->result_count && i < (page + 1) * per; i++) {
		const struct desk_result *row = &se->results[i];
		struct dl_rect b = dl_rect_take_top(&r, l->target_h, max_i(l->gap * 5 / 8, 6));
		dl_add_button(dl, b, DESK_BTN_ROW_0 + i, DL_CARD, DL_LINE, l->radius / 2, true);
		struct dl_rect in = {b.x + l->gap / 2, b.y + (b.h - l->line_h[DL_BODY]) / 2,
		                     b.w - l->gap, l->line_h[DL_BODY]};
		char t[200];
		snprintf(t, sizeof(t), "%s", row->room[0] ? row->room : "-");
		struct dl_rect c =
		    dl_rect_take_left(&in, est(l, "00000", DL_BODY, DL_BOLD), l->gap / 2);
		put_line(dl, l, &c, t, DL_BODY, DL_BOLD, DL_INK, DL_LEFT);
		struct dl_rect chips = dl_rect_take_right(&in, in.w / 2, l->gap / 2);
		if (risk_ok(row->risk))
			chip(dl, l, &chips, txt(s, fm, risk_look[row->risk].key), DL_SMALL,
			     risk_look[row->risk].fill, risk_look[row->risk].ink);
		if ((unsigned)row->status < RESIDENT_STATUS_COUNT &&
		    row->status != RESIDENT_IN_QUARANTINE)
			chip(dl, l, &chips, txt(s, fm, status_key[row->status]), DL_SMALL,
			     DL_NEUTRAL, DL_WHITE);
		snprintf(t, sizeof(t), "%s \xC2\xB7 %s", row->name_masked, row->batch);
		put_line(dl, l, &in, t, DL_BODY, DL_REGULAR, DL_INK, DL_LEFT);
	}
	pager(dl, l, s, fm, bar, page, pages);
	return finish(dl);
}

/* Card facts and histories: body size where the card has room for them (1080 lines), small
 * on the 7-inch panel. */
static enum dl_role card_role(const struct layout *l, struct dl_rect r)
{
	return r.h >= 9 * l->line_h[DL_BODY] ? DL_BODY : DL_SMALL;
}

/* "label: value" lines into a column; false once it is full. */
static bool fact(struct display_list *dl, const struct layout *l, const struct strings *s,
                 const struct desk_form *fm, struct dl_rect *col, enum dl_role role,
                 const char *key, const char *value)
{
	char buf[320];
	snprintf(buf, sizeof(buf), "%s  %s", txt(s, fm, key), value && value[0] ? value : "-");
	return put_line(dl, l, col, buf, role, DL_REGULAR, DL_INK, DL_LEFT);
}

static void card_details(struct display_list *dl, const struct layout *l, const struct strings *s,
                         const struct desk_form *fm, const struct desk_card *c,
                         const struct screen_frontdesk_extra *x, struct dl_rect r)
{
	const struct resident *p = &c->resident;
	/* the chips: risk with its word, status, care markers */
	enum dl_role role = card_role(l, r);
	struct dl_rect row = dl_rect_take_top(&r, l->line_h[role], l->gap / 2);
	if (risk_ok(p->risk))
		chip(dl, l, &row, txt(s, fm, risk_look[p->risk].key), role, risk_look[p->risk].fill,
		     risk_look[p->risk].ink);
	if ((unsigned)p->status < RESIDENT_STATUS_COUNT)
		chip(dl, l, &row, txt(s, fm, status_key[p->status]), role,
		     p->status == RESIDENT_IN_QUARANTINE ? DL_LINE : DL_NEUTRAL,
		     p->status == RESIDENT_IN_QUARANTINE ? DL_INK : DL_WHITE);
	static const struct {
		unsigned bit;
		const char *key;
	} care[] = {{RESIDENT_CARE_PSYCH, "care.psych"},
	            {RESIDENT_CARE_ELDERLY, "care.elderly"},
	            {RESIDENT_CARE_CHILD, "care.child"},
	            {RESIDENT_CARE_PREGNANT, "care.pregnant"}};
	for (size_t i = 0; i < sizeof(care) / sizeof(care[0]); i++)
		if (p->care & care[i].bit)
			chip(dl, l, &row, txt(s, fm, care[i].key), role,
			     care[i].bit == RESIDENT_CARE_PSYCH ? DL_RED : DL_NEUTRAL, DL_WHITE);
	struct dl_rect left = r, right = r;
	left.w = (r.w - l->gap) / 2;
	right.x = left.x + left.w + l->gap;
	right.w = r.w - left.w - l->gap;
	char buf[160], day[96];
	fact(dl, l, s, fm, &left, role, "desk.card.id", c->doc_masked);
	if ((unsigned)p->category < CATEGORY_COUNT) {
		snprintf(buf, sizeof(buf), "category.%s", category_name(p->category));
		fact(dl, l, s, fm, &left, role, "desk.card.category", txt(s, fm, buf));
	}
	fact(dl, l, s, fm, &left, role, "desk.card.batch", c->batch);
	fmt_time(x, c->checked_in_unix, buf, sizeof(buf));
	fact(dl, l, s, fm, &left, role, "desk.card.checked_in", buf);
	fact(dl, l, s, fm, &left, role, "desk.card.room_assigned", c->room_assigned);
	fact(dl, l, s, fm, &left, role, "desk.card.diet", c->diet);
	if (p->plan.release_day > 0) {
		strings_format_day(s, fm->lang, p->plan.release_day, buf, sizeof(buf));
		fact(dl, l, s, fm, &right, role, "desk.card.release", buf);
		if (p->plan.home_end_day > p->plan.release_day) {
			strings_format_day(s, fm->lang, p->plan.home_end_day, buf, sizeof(buf));
			fact(dl, l, s, fm, &right, role, "desk.card.home_end", buf);
		}
		if (x && x->now_unix > 0) {
			int n = policy_plan_day(&p->plan, x->now_unix);
			if (n <= 0)
				snprintf(buf, sizeof(buf), "%s",
				         txt(s, fm, "desk.card.arrival_day"));
			else
				fmt_int(s, fm, "desk.card.day_n", n, buf, sizeof(buf));
			fact(dl, l, s, fm, &right, role, "desk.card.day", buf);
		}
		char total[12], ext[12];
		snprintf(total, sizeof(total), "%d", policy_plan_onsite_days(&p->plan));
		snprintf(ext, sizeof(ext), "%d", p->plan.extended_days);
		const struct strings_arg a[] = {{"n", total}, {"ext", ext}};
		strings_format(s,
		               p->plan.extended_days > 0 ? "desk.card.days_ext" : "desk.card.days",
		               fm->lang, a, 2, day, sizeof(day));
		fact(dl, l, s, fm, &right, role, "desk.card.term", day);
	}
	if (c->band_serial > 0)
		snprintf(buf, sizeof(buf), "%lld", (long long)c->band_serial);
	else
		snprintf(buf, sizeof(buf), "%s", txt(s, fm, "desk.card.no_band"));
	fact(dl, l, s, fm, &right, role, "desk.card.band", buf);
}

static const char *const label_key[DESK_LABEL_COUNT] = {"desk.label.door", "desk.label.meal",
                                                        "desk.label.tube"};

static void card_history(struct display_list *dl, const struct layout *l, const struct strings *s,
                         const struct desk_form *fm, const struct desk_card *c,
                         const struct screen_frontdesk_extra *x, struct dl_rect r)
{
	enum dl_role role = card_role(l, r);
	struct dl_rect left = r, right = r;
	left.w = (r.w - l->gap) * 11 / 20;
	right.x = left.x + left.w + l->gap;
	right.w = r.w - left.w - l->gap;
	char t[32], buf[320];
	put_line(dl, l, &left, txt(s, fm, "desk.hist.risk"), role, DL_BOLD, DL_NEUTRAL, DL_LEFT);
	/* the note on a line of its own when every change still fits that way */
	int count = c->risk_count < DESK_HISTORY_MAX ? c->risk_count : DESK_HISTORY_MAX;
	bool two_lines = left.h >= 2 * count * l->line_h[role];
	for (int i = 0; i < count; i++) {
		const struct desk_risk_change *h = &c->risks[i];
		if (left.h < l->line_h[role])
			break;
		struct dl_rect row = dl_rect_take_top(&left, l->line_h[role], 0);
		if (risk_ok(h->risk))
			chip(dl, l, &row, txt(s, fm, risk_look[h->risk].key), role,
			     risk_look[h->risk].fill, risk_look[h->risk].ink);
		fmt_time(x, h->unix_s, t, sizeof(t));
		/* the colour given at check-in is recorded by "intake" (app/service/frontdesk.c) */
		const char *by = strcmp(h->by, "intake") == 0 ? txt(s, fm, "desk.hist.intake")
		                 : h->by[0]                   ? h->by
		                                              : "-";
		snprintf(buf, sizeof(buf), "%s %s %s", t, by, two_lines ? "" : h->note);
		put_line(dl, l, &row, buf, role, DL_REGULAR, DL_INK, DL_LEFT);
		if (two_lines && h->note[0]) {
			struct dl_rect note = dl_rect_take_top(&left, l->line_h[role], 0);
			note.x += l->gap;
			note.w -= l->gap;
			put_line(dl, l, &note, h->note, role, DL_REGULAR, DL_MUTED, DL_LEFT);
		}
	}
	if (c->risk_count == 0)
		put_line(dl, l, &left, txt(s, fm, "desk.hist.none"), role, DL_REGULAR, DL_MUTED,
		         DL_LEFT);
	put_line(dl, l, &right, txt(s, fm, "desk.hist.labels"), role, DL_BOLD, DL_NEUTRAL, DL_LEFT);
	int shown = 0;
	for (int i = 0;
	     i < c->label_count && i < DESK_HISTORY_MAX && right.h >= 3 * l->line_h[role];
	     i++, shown++) {
		fmt_time(x, c->labels[i].unix_s, t, sizeof(t));
		unsigned k = c->labels[i].label < DESK_LABEL_COUNT ? c->labels[i].label : 0;
		snprintf(buf, sizeof(buf), "%s  %s", t, txt(s, fm, label_key[k]));
		put_line(dl, l, &right, buf, role, DL_REGULAR, DL_INK, DL_LEFT);
	}
	if (c->label_count == 0)
		put_line(dl, l, &right, txt(s, fm, "desk.hist.none"), role, DL_REGULAR, DL_MUTED,
		         DL_LEFT);
	put_line(dl, l, &right, txt(s, fm, "desk.hist.scans"), role, DL_BOLD, DL_NEUTRAL, DL_LEFT);
	static const char *const colour_key[] = {"sec.verdict.green", "sec.verdict.amber",
	                                         "sec.verdict.red"};
	for (int i = 0; i < c->scan_count && i < DESK_HISTORY_MAX; i++) {
		const struct desk_scan *sc = &c->scans[i];
		fmt_time(x, sc->unix_s, t, sizeof(t));
		unsigned col = (unsigned)sc->colour < 3 ? (unsigned)sc->colour : 1;
		snprintf(buf, sizeof(buf), "%s %s %s%s%s", t, sc->checkpoint,
		         txt(s, fm, colour_key[col]), sc->reason != REASON_OK ? " " : "",
		         sc->reason != REASON_OK ? reason_code(sc->reason) : "");
		if (!put_line(dl, l, &right, buf, role, DL_REGULAR, DL_INK, DL_LEFT))
			break;
	}
	if (c->scan_count == 0)
		put_line(dl, l, &right, txt(s, fm, "desk.hist.none"), role, DL_REGULAR, DL_MUTED,
		         DL_LEFT);
}

/* Whether a slot's action can be asked for on this card. */
static bool slot_allowed(const struct desk_card *c, enum desk_act_slot slot)
{
	if (slot == DESK_SLOT_VOID)
		return c->band_serial > 0;
	if (c->resident.status != RESIDENT_IN_QUARANTINE)
		return false;
	return slot != DESK_SLOT_REPRINT || c->band_serial > 0;
}

static void card_actions(struct display_list *dl, const struct layout *l, const struct strings *s,
                         const struct desk_form *fm, const struct desk_card *c, struct dl_rect r)
{
	int cols = 3, rows = 3;
	int bh = min_i(l->target_h * 3 / 2, (r.h - (rows - 1) * l->gap) / rows);
	int bw = (r.w - (cols - 1) * l->gap) / cols;
	for (int i = 0; i < DESK_SLOT_COUNT; i++) {
		struct dl_rect b = {r.x + (i % cols) * (bw + l->gap),
		                    r.y + (i / cols) * (bh + l->gap), bw, bh};
		bool danger = i == DESK_SLOT_VOID || i == DESK_SLOT_TRANSFER;
		button(dl, l, b, DESK_BTN_ACT_0 + i, txt(s, fm, slots[i].key),
		       danger                  ? DL_RED
		       : i < DESK_SLOT_REPRINT ? DL_NEUTRAL
		                               : DL_CARD,
		       danger || i < DESK_SLOT_REPRINT ? DL_WHITE : DL_INK,
		       slot_allowed(c, (enum desk_act_slot)i));
	}
}

/* The outcome of the last action, on the card. */
static void done_banner(struct display_list *dl, const struct layout *l, const struct strings *s,
                        const struct desk_form *fm, const struct desk_session *se,
                        struct dl_rect *r)
{
	if (se->done_action == DESK_ACT_NONE)
		return;
	char buf[320], key[64];
	if (se->done_reason != REASON_OK) {
		char why[240];
		reason_line(s, fm, se->done_reason, why, sizeof(why));
		fmt1(s, fm, "desk.done.failed", "why", why, buf, sizeof(buf));
		banner(dl, l, r, buf, DL_RED);
		return;
	}
	snprintf(key, sizeof(key), "desk.done.%s", desk_action_name(se->done_action));
	char serial[24];
	snprintf(serial, sizeof(serial), "%lld", (long long)se->done_serial);
	fmt1(s, fm, key, "serial", serial, buf, sizeof(buf));
	banner(dl, l, r, buf, DL_GREEN);
}

static int card(struct display_list *dl, const struct layout *l, const struct strings *s,
                const struct flow_frontdesk *f, const struct desk_form *fm,
                const struct screen_frontdesk_extra *x)
{
	const struct desk_card *c = &f->session.card;
	char title[200];
	snprintf(title, sizeof(title), "%s \xC2\xB7 %s", c->resident.room, c->resident.name_masked);
	struct dl_rect r = frame(dl, l, s, fm, title, true, true);
	struct dl_rect bar = dl_rect_take_bottom(&r, l->bar_h, l->gap);
	const char *back = txt(s, fm, "desk.back");
	button(dl, l, dl_rect_take_left(&bar, btn_w(l, back, 2 * l->target_h), l->gap),
	       DESK_BTN_BACK, back, DL_CARD, DL_INK, true);
	static const char *const tab_key[DESK_TAB_COUNT] = {"desk.tab.details", "desk.tab.history",
	                                                    "desk.tab.actions"};
	for (int t = DESK_TAB_COUNT - 1; t >= 0; t--) {
		const char *label = txt(s, fm, tab_key[t]);
		bool on = fm->tab == (enum desk_card_tab)t;
		button(dl, l, dl_rect_take_right(&bar, btn_w(l, label, 2 * l->target_h), l->gap),
		       DESK_BTN_TAB_0 + t, label, on ? DL_NEUTRAL : DL_CARD, on ? DL_WHITE : DL_INK,
		       true);
	}
	if (f->notice != REASON_OK)
		notice_banner(dl, l, s, fm, f, &r);
	else
		done_banner(dl, l, s, fm, &f->session, &r);
	switch (fm->tab) {
	case DESK_TAB_HISTORY:
		card_history(dl, l, s, fm, c, x, r);
		break;
	case DESK_TAB_ACTIONS:
		card_actions(dl, l, s, fm, c, r);
		break;
	default:
		card_details(dl, l, s, fm, c, x, r);
		break;
	}
	return finish(dl);
}

/* The slot a request was made from (for its texts). */
static enum desk_act_slot slot_of(const struct desk_request *q)
{
	for (int i = 0; i < DESK_SLOT_COUNT; i++)
		if (slots[i].action == q->action &&
		    (q->action != DESK_ACT_PRINT_LABEL || slots[i].label == q->label))
			return (enum desk_act_slot)i;
	return DESK_SLOT_DOOR;
}

/* Whether the form may go on to the confirmation. */
static bool form_ready(const struct flow_frontdesk *f, const struct desk_form *fm)
{
	return flow_frontdesk_check_request(&f->session.card, &fm->req) == REASON_OK;
}

static const char *preset_key(const struct desk_request *q, int i, char *buf, size_t n)
{
	snprintf(buf, n, "desk.preset.%s.%d", desk_action_name(q->action), i + 1);
	return buf;
}

/* An action's form: the choice (risk colour, days) and the reason, typed or preset. */
static int action_form(struct display_list *dl, const struct layout *l, const struct strings *s,
                       const struct flow_frontdesk *f, const struct desk_form *fm)
{
	const struct desk_card *c = &f->session.card;
	enum desk_act_slot slot = slot_of(&fm->req);
	char title[240];
	snprintf(title, sizeof(title), "%s \xC2\xB7 %s %s", txt(s, fm, slots[slot].key),
	         c->resident.room, c->resident.name_masked);
	struct dl_rect r = frame(dl, l, s, fm, title, false, false);
	struct dl_rect bar = dl_rect_take_bottom(&r, l->bar_h, l->gap);
	const char *cancel = txt(s, fm, "desk.cancel"), *go = txt(s, fm, "desk.continue");
	button(dl, l, dl_rect_take_left(&bar, btn_w(l, cancel, 2 * l->target_h), l->gap),
	       DESK_BTN_CANCEL, cancel, DL_CARD, DL_INK, true);
	button(dl, l, dl_rect_take_right(&bar, btn_w(l, go, 3 * l->target_h), l->gap),
	       DESK_BTN_CONTINUE, go, DL_GREEN, DL_WHITE, form_ready(f, fm));
	char audited[160];
	cut_to(l, txt(s, fm, "desk.form.audited"), DL_SMALL, DL_REGULAR, bar.w, audited,
	       sizeof(audited));
	dl_add_text(dl, l, bar, audited, DL_SMALL, DL_REGULAR, DL_MUTED, DL_LEFT,
	            DL_MUST_FIT | DL_MIDDLE);
	if (fm->req.action == DESK_ACT_SET_RISK) {
		struct dl_rect row = dl_rect_take_top(&r, l->target_h, l->gap);
		int w = (row.w - 3 * l->gap) / 4;
		for (int k = RISK_RED; k >= RISK_GREEN; k--) {
			bool on = fm->req.risk == (enum risk)k;
			struct dl_rect b = dl_rect_take_left(&row, w, l->gap);
			char label[96];
			snprintf(label, sizeof(label), "%s%s", on ? "\xE2\x9C\x93 " : "",
			         txt(s, fm, risk_look[k].key));
			button(dl, l, b, DESK_BTN_RISK_0 + k, label, risk_look[k].fill,
			       risk_look[k].ink, true);
			if (on) /* never colour alone: the chosen one is framed too */
				dl_add_button(dl, dl_rect_inset(b, -l->gap / 4), 0, clear_colour,
				              DL_INK, l->radius, false);
		}
	} else if (fm->req.action == DESK_ACT_EXTEND) {
		struct dl_rect row = dl_rect_take_top(&r, l->target_h, l->gap);
		dl_add_button_label(dl, l, dl_rect_take_left(&row, 3 * l->target_h / 2, l->gap),
		                    DESK_BTN_DAYS_MINUS, "\xE2\x88\x92", DL_CARD, DL_INK,
		                    fm->req.days > 1);
		char buf[96];
		fmt_int(s, fm, "desk.form.days", fm->req.days, buf, sizeof(buf));
		int w = est(l, buf, DL_HEADING, DL_BOLD) + l->gap;
		struct dl_rect v = dl_rect_take_left(&row, min_i(w, row.w / 2), l->gap);
		put_line(dl, l, &v, buf, DL_HEADING, DL_BOLD, DL_INK, DL_CENTER);
		dl_add_button_label(dl, l, dl_rect_take_left(&row, 3 * l->target_h / 2, l->gap),
		                    DESK_BTN_DAYS_PLUS, "+", DL_CARD, DL_INK,
		                    fm->req.days < POLICY_EXTEND_MAX);
	}
	/* the reason: a field that opens the keyboard, and presets */
	put_line(dl, l, &r, txt(s, fm, "desk.form.why"), DL_SMALL, DL_BOLD, DL_MUTED, DL_LEFT);
	struct dl_rect fr = dl_rect_take_top(&r, l->target_h, l->gap);
	field(dl, l, fr, fm->req.note, txt(s, fm, "desk.form.note_hint"));
	dl_add_button(dl, fr, DESK_BTN_NOTE, clear_colour, clear_colour, l->radius / 2, true);
	if (r.h >= l->target_h) {
		struct dl_rect row = dl_rect_take_top(&r, l->target_h, l->gap);
		int w = (row.w - (DESK_PRESETS - 1) * l->gap) / DESK_PRESETS;
		for (int i = 0; i < DESK_PRESETS; i++) {
			char key[64];
			const char *p =
			    strings_lookup(s, preset_key(&fm->req, i, key, sizeof(key)), fm->lang);
			if (!p)
				continue;
			bool on = strcmp(fm->req.note, p) == 0; /* the one chosen */
			button(dl, l, dl_rect_take_left(&row, w, l->gap), DESK_BTN_PRESET_0 + i, p,
			       on ? DL_NEUTRAL : DL_CARD, on ? DL_WHITE : DL_INK, true);
		}
	}
	return finish(dl);
}

/* The keyboard open on the form's note. */
static int note_keyboard(struct display_list *dl, const struct layout *l, const struct strings *s,
                         const struct desk_form *fm)
{
	struct dl_rect r = frame(dl, l, s, fm, txt(s, fm, "desk.form.why"), false, false);
	struct dl_rect kbd = dl_rect_take_bottom(&r, keyboard_h(l), 0);
	field(dl, l, dl_rect_take_top(&r, l->target_h, l->gap / 2), fm->req.note,
	      txt(s, fm, "desk.form.note_hint"));
	put_line(dl, l, &r, txt(s, fm, "desk.form.no_names"), DL_SMALL, DL_REGULAR, DL_MUTED,
	         DL_LEFT);
	keyboard(dl, l, s, fm, kbd, DESK_BTN_TYPED, txt(s, fm, "desk.form.typed"), true);
	return finish(dl);
}

/* The request spelled out. */
static void request_text(const struct strings *s, const struct desk_form *fm,
                         const struct desk_card *c, const struct desk_request *q, char *buf,
                         size_t n)
{
	char serial[24], days[16];
	snprintf(serial, sizeof(serial), "%lld", (long long)c->band_serial);
	snprintf(days, sizeof(days), "%d", q->days);
	const char *risk = risk_ok(q->risk) ? txt(s, fm, risk_look[q->risk].key) : "";
	const struct strings_arg a[] = {{"room", c->resident.room},
	                                {"name", c->resident.name_masked},
	                                {"serial", serial},
	                                {"risk", risk},
	                                {"days", days},
	                                {"diet", c->diet[0] ? c->diet : "-"}};
	strings_format(s, slots[slot_of(q)].confirm, fm->lang, a, 6, buf, n);
}

static int confirm(struct display_list *dl, const struct layout *l, const struct strings *s,
                   const struct flow_frontdesk *f, const struct desk_form *fm)
{
	const struct desk_session *se = &f->session;
	struct dl_rect r = frame(dl, l, s, fm, txt(s, fm, "desk.confirm.title"), false, false);
	struct dl_rect bar = dl_rect_take_bottom(&r, l->bar_h, l->gap);
	const char *cancel = txt(s, fm, "desk.cancel"), *ok = txt(s, fm, "desk.confirm");
	bool danger = se->request.action == DESK_ACT_VOID_BAND ||
	              se->request.action == DESK_ACT_TRANSFER ||
	              se->request.action == DESK_ACT_REPRINT_BAND;
	button(dl, l, dl_rect_take_left(&bar, btn_w(l, cancel, 3 * l->target_h), l->gap),
	       DESK_BTN_CANCEL, cancel, DL_CARD, DL_INK, true);
	button(dl, l, dl_rect_take_right(&bar, btn_w(l, ok, 3 * l->target_h), l->gap),
	       DESK_BTN_CONFIRM, ok, danger ? DL_RED : DL_GREEN, DL_WHITE, true);
	char buf[480];
	request_text(s, fm, &se->card, &se->request, buf, sizeof(buf));
	struct dl_rect box = r;
	dl_add_fill(dl, box, DL_CARD, l->radius);
	box = dl_rect_inset(box, l->gap);
	int h = l->line_h[DL_HEADING] * 2;
	struct dl_rect t = dl_rect_take_top(&box, min_i(h, box.h), l->gap / 2);
	dl_add_text(dl, l, t, buf, DL_BODY, DL_BOLD, DL_INK, DL_LEFT, DL_WRAP | DL_MUST_FIT);
	if (se->request.note[0]) {
		char why[320];
		fmt1(s, fm, "desk.confirm.why", "note", se->request.note, why, sizeof(why));
		put_line(dl, l, &box, why, DL_BODY, DL_REGULAR, DL_INK, DL_LEFT);
	}
	put_line(dl, l, &box, txt(s, fm, "desk.form.audited"), DL_SMALL, DL_REGULAR, DL_MUTED,
	         DL_LEFT);
	return finish(dl);
}

/* ---- occupancy ---- */

static struct dl_color room_fill(const struct desk_room *rm, struct dl_color *ink)
{
	*ink = DL_INK;
	switch (rm->state) {
	case ROOM_OCCUPIED:
		if (risk_ok(rm->risk)) {
			*ink = risk_look[rm->risk].ink;
			return risk_look[rm->risk].fill;
		}
		*ink = DL_WHITE;
		return DL_NEUTRAL;
	case ROOM_CLEANING:
		return (struct dl_color){0xBF, 0xD7, 0xEA, 0xFF};
	case ROOM_BLOCKED:
		*ink = DL_WHITE;
		return DL_MUTED;
	default:
		return DL_CARD;
	}
}

/* Rows of cells the floors take at width w, and the cell size. */
struct grid {
	int cell_w, cell_h, label_w, per_row, gap;
};

static struct grid grid_of(const struct layout *l, int w)
{
	struct grid g;
	g.gap = max_i(l->gap / 4, 3);
	g.cell_h = l->line_h[DL_SMALL];
	g.cell_w = est(l, "00000", DL_SMALL, DL_BOLD) + g.gap;
	g.label_w = est(l, "00F", DL_SMALL, DL_BOLD) + l->gap / 2;
	g.per_row = max_i(1, (w - g.label_w + g.gap) / (g.cell_w + g.gap));
	return g;
}

static int floor_rows(const struct grid *g, const struct desk_floor *fl)
{
	return max_i(1, (fl->rooms + g->per_row - 1) / g->per_row);
}

/* The first floor index of each page of the grid for height h and at most max_cells rooms
 * a page (two draw commands each); returns the page count. */
static int grid_pages(const struct grid *g, const struct desk_occupancy *o, int h, int max_cells,
                      int *starts, int max)
{
	int pages = 0, used = h + 1, cells = 0;
	for (int i = 0; i < o->floor_count && i < DESK_OCC_FLOORS_MAX; i++) {
		int need = floor_rows(g, &o->floors[i]) * (g->cell_h + g->gap);
		if (used + need > h || cells + o->floors[i].rooms > max_cells) {
			if (pages == max)
				break;
			starts[pages++] = i;
			used = 0;
			cells = 0;
		}
		used += need;
		cells += o->floors[i].rooms;
	}
	return max_i(pages, 1);
}

static void occupancy_summary(struct display_list *dl, const struct layout *l,
                              const struct strings *s, const struct desk_form *fm,
                              const struct desk_occupancy *o,
                              const struct screen_frontdesk_extra *x, struct dl_rect *r)
{
	char buf[480], sync[200], printer[200];
	char nf[12], no[12], nc[12], nb[12], nt[12], nm[12];
	snprintf(nf, sizeof(nf), "%d", o->counts[ROOM_FREE]);
	snprintf(no, sizeof(no), "%d", o->counts[ROOM_OCCUPIED]);
	snprintf(nc, sizeof(nc), "%d", o->counts[ROOM_CLEANING]);
	snprintf(nb, sizeof(nb), "%d", o->counts[ROOM_BLOCKED]);
	snprintf(nt, sizeof(nt), "%d", o->releases_today);
	snprintf(nm, sizeof(nm), "%d", o->releases_tomorrow);
	const struct strings_arg a[] = {{"free", nf},    {"occupied", no}, {"cleaning", nc},
	                                {"blocked", nb}, {"today", nt},    {"tomorrow", nm}};
	strings_format(s, "desk.occ.counts", fm->lang, a, 6, buf, sizeof(buf));
	put_line(dl, l, r, buf, DL_SMALL, DL_BOLD, DL_INK, DL_LEFT);
	strings_format(s, "desk.occ.releases", fm->lang, a, 6, buf, sizeof(buf));
	put_line(dl, l, r, buf, DL_SMALL, DL_BOLD, DL_INK, DL_LEFT);
	if (o->printer_ok) {
		snprintf(printer, sizeof(printer), "%s", txt(s, fm, "desk.occ.printer_ok"));
	} else {
		char why[200];
		reason_line(s, fm, o->printer_reason, why, sizeof(why));
		fmt1(s, fm, "desk.occ.printer_bad", "why", why, printer, sizeof(printer));
	}
	char pend[12];
	snprintf(pend, sizeof(pend), "%d", o->outbox_pending);
	if (x && x->sync_status) {
		snprintf(sync, sizeof(sync), "%s", x->sync_status);
	} else if (!x || !x->sync_configured) {
		fmt1(s, fm, "desk.occ.no_station", "n", pend, sync, sizeof(sync));
	} else if (o->last_sync_unix <= 0) {
		fmt1(s, fm, "desk.occ.never_synced", "n", pend, sync, sizeof(sync));
	} else {
		char ago[24];
		int64_t min =
		    x->now_unix > o->last_sync_unix ? (x->now_unix - o->last_sync_unix) / 60 : 0;
		snprintf(ago, sizeof(ago), "%lld", (long long)min);
		const struct strings_arg b[] = {{"min", ago}, {"n", pend}};
		strings_format(s, "desk.occ.synced", fm->lang, b, 2, sync, sizeof(sync));
	}
	snprintf(buf, sizeof(buf), "%s \xC2\xB7 %s", printer, sync);
	bool warn = !o->printer_ok || (x && x->sync_status && x->sync_warn);
	put_line(dl, l, r, buf, DL_SMALL, DL_REGULAR, warn ? DL_RED : DL_INK, DL_LEFT);
	/* the legend: never colour alone */
	struct dl_rect row = dl_rect_take_top(r, l->line_h[DL_SMALL], l->gap / 2);
	static const struct {
		enum room_state st;
		enum risk risk;
		const char *key;
	} legend[] = {{ROOM_FREE, RISK_GREEN, "desk.occ.free"},
	              {ROOM_CLEANING, RISK_GREEN, "desk.occ.cleaning"},
	              {ROOM_BLOCKED, RISK_GREEN, "desk.occ.blocked"},
	              {ROOM_OCCUPIED, RISK_GREEN, "risk.green"},
	              {ROOM_OCCUPIED, RISK_YELLOW, "risk.yellow"},
	              {ROOM_OCCUPIED, RISK_ORANGE, "risk.orange"},
	              {ROOM_OCCUPIED, RISK_RED, "risk.red"}};
	for (size_t i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
		struct desk_room rm = {.state = legend[i].st, .risk = legend[i].risk};
		struct dl_color ink, fill = room_fill(&rm, &ink);
		if (!chip(dl, l, &row, txt(s, fm, legend[i].key), DL_SMALL, fill, ink) &&
		    r->h >= l->line_h[DL_SMALL]) {
			row = dl_rect_take_top(r, l->line_h[DL_SMALL], l->gap / 2);
			chip(dl, l, &row, txt(s, fm, legend[i].key), DL_SMALL, fill, ink);
		}
	}
}

static int occupancy(struct display_list *dl, const struct layout *l, const struct strings *s,
                     const struct flow_frontdesk *f, const struct desk_form *fm,
                     const struct screen_frontdesk_extra *x)
{
	const struct desk_occupancy *o = &f->session.occ;
	struct dl_rect r = frame(dl, l, s, fm, txt(s, fm, "desk.occ.title"), true, false);
	struct dl_rect bar = dl_rect_take_bottom(&r, l->bar_h, l->gap);
	occupancy_summary(dl, l, s, fm, o, x, &r);
	struct grid g = grid_of(l, r.w);
	int starts[DESK_OCC_FLOORS_MAX];
	/* room for the pager's commands after the grid */
	int max_cells = max_i((DL_MAX_CMDS - dl->count - 16) * 2 / 5, 1);
	int pages = grid_pages(&g, o, r.h, max_cells, starts, DESK_OCC_FLOORS_MAX);
	int page = min_i(max_i(fm->occ_page, 0), pages - 1);
	int first = o->floor_count > 0 ? starts[page] : 0;
	int end = page + 1 < pages ? starts[page + 1] : o->floor_count;
	int ri = 0; /* rooms are sorted by floor: skip to the first floor shown */
	while (ri < o->room_count && first < o->floor_count &&
	       o->rooms[ri].floor < o->floors[first].floor)
		ri++;
	for (int fi = first; fi < end && fi < DESK_OCC_FLOORS_MAX; fi++) {
		const struct desk_floor *fl = &o->floors[fi];
		int rows = floor_rows(&g, fl);
		struct dl_rect band =
		    dl_rect_take_top(&r, rows * (g.cell_h + g.gap) - g.gap, g.gap);
		char label[16];
		snprintf(label, sizeof(label), "%dF", fl->floor);
		struct dl_rect lb = {band.x, band.y, g.label_w - l->gap / 2, g.cell_h};
		dl_add_text(dl, l, lb, label, DL_SMALL, DL_BOLD, DL_MUTED, DL_LEFT,
		            DL_MUST_FIT | DL_MIDDLE);
		int k = 0;
		for (; ri < o->room_count && o->rooms[ri].floor == fl->floor; ri++, k++) {
			const struct desk_room *rm = &o->rooms[ri];
			if (k >= max_cells)
				continue;
			struct dl_rect cell = {
			    band.x + g.label_w + (k % g.per_row) * (g.cell_w + g.gap),
			    band.y + (k / g.per_row) * (g.cell_h + g.gap), g.cell_w, g.cell_h};
			if (cell.y + cell.h > band.y + band.h)
				continue;
			struct dl_color ink, fill = room_fill(rm, &ink);
			dl_add_button(dl, cell, 0, fill,
			              rm->state == ROOM_FREE ? DL_LINE : clear_colour, g.gap,
			              false);
			dl_add_text(dl, l, cell, rm->number, DL_SMALL, DL_BOLD, ink, DL_CENTER,
			            DL_MUST_FIT | DL_MIDDLE);
		}
	}
	if (o->truncated)
		put_line(dl, l, &r, txt(s, fm, "desk.occ.truncated"), DL_SMALL, DL_REGULAR,
		         DL_MUTED, DL_LEFT);
	pager(dl, l, s, fm, bar, page, pages);
	return finish(dl);
}

int screen_frontdesk_build(struct display_list *dl, const struct layout *l, const struct strings *s,
                           const struct flow_frontdesk *f, const struct desk_form *form,
                           const struct screen_frontdesk_extra *x)
{
	struct desk_form fm = *form;
	if ((unsigned)fm.lang >= LANG_COUNT)
		fm.lang = LANG_ZH_CN;
	if ((unsigned)fm.by >= DESK_BY_COUNT)
		fm.by = DESK_BY_ROOM;
	if ((unsigned)fm.page >= DESK_KBD_PAGE_COUNT)
		fm.page = DESK_KBD_DIGITS;
	struct screen_common c = {.lang = fm.lang, .step = -1};
	int rc;
	switch (f->state) {
	case DESK_SIGNED_OUT:
		rc = signed_out(dl, l, s, f, &fm);
		break;
	case DESK_PIN:
	case DESK_PIN_CHECK:
		rc = screen_staff_pin(dl, l, s, &c, (int)strlen(fm.pin),
		                      f->notice == REASON_BAD_PIN, f->state == DESK_PIN_CHECK);
		break;
	case DESK_HOME:
		rc = home(dl, l, s, f, &fm);
		break;
	case DESK_RESULTS:
		rc = results(dl, l, s, f, &fm);
		break;
	case DESK_CARD:
		if (fm.req.action != DESK_ACT_NONE)
			rc = fm.typing ? note_keyboard(dl, l, s, &fm)
			               : action_form(dl, l, s, f, &fm);
		else
			rc = card(dl, l, s, f, &fm, x);
		break;
	case DESK_CONFIRM:
		rc = confirm(dl, l, s, f, &fm);
		break;
	case DESK_OCCUPANCY:
		rc = occupancy(dl, l, s, f, &fm, x);
		break;
	default:
		rc = wait_screen(dl, l, s, f, &fm);
		break;
	}
	memset(&fm, 0, sizeof(fm)); /* the copy held a PIN and a note */
	return rc;
}

/* ---- input ---- */

void desk_form_init(struct desk_form *form, enum lang lang)
{
	memset(form, 0, sizeof(*form));
	form->lang = lang;
	form->by = DESK_BY_ROOM;
	form->page = DESK_KBD_DIGITS;
	form->seen = DESK_SIGNED_OUT;
}

void desk_form_follow(struct desk_form *form, const struct flow_frontdesk *f)
{
	enum desk_state was = form->seen;
	if (f->state == was)
		return;
	if (f->state != DESK_PIN && f->state != DESK_PIN_CHECK)
		memset(form->pin, 0, sizeof(form->pin));
	if (!flow_frontdesk_signed_in(f)) {
		if (f->state == DESK_SIGNED_OUT)
			desk_form_init(form, form->lang);
		form->seen = f->state;
		return;
	}
	if (f->state == DESK_RESULTS && was != DESK_LOADING_CARD)
		form->results_page = 0;
	if (f->state == DESK_OCCUPANCY)
		form->occ_page = 0;
	if (f->state == DESK_CARD && was == DESK_LOADING_CARD &&
	    f->session.done_action == DESK_ACT_NONE)
		form->tab = DESK_TAB_DETAILS;
	if (f->state != DESK_CARD) {
		memset(&form->req, 0, sizeof(form->req));
		form->typing = false;
	}
	form->seen = f->state;
}

/* Append a key's text to a field of n bytes. */
static void type_into(char *dst, size_t n, const char *key)
{
	size_t used = strlen(dst), add = strlen(key);
	if (used + add < n)
		memcpy(dst + used, key, add + 1);
}

/* Remove the last UTF-8 character. */
static void delete_last(char *dst)
{
	size_t len = strlen(dst);
	while (len > 0) {
		len--;
		if (((unsigned char)dst[len] & 0xC0) != 0x80)
			break;
	}
	memset(dst + len, 0, strlen(dst + len));
}

static enum desk_kbd_page page_for(enum desk_search_by by, enum lang lang)
{
	switch (by) {
	case DESK_BY_NAME:
		return lang == LANG_EN ? DESK_KBD_LETTERS : DESK_KBD_SURNAMES;
	case DESK_BY_BATCH:
		return DESK_KBD_LETTERS;
	default:
		return DESK_KBD_DIGITS;
	}
}

/* A key of the keyboard into the field it is typing (the search or the note). */
static void press_key(struct desk_form *fm, const struct strings *s, int id)
{
	if (id >= DESK_BTN_PAGE_0 && id < DESK_BTN_PAGE_0 + DESK_KBD_PAGE_COUNT) {
		fm->page = (enum desk_kbd_page)(id - DESK_BTN_PAGE_0);
		return;
	}
	char *dst = fm->typing ? fm->req.note : fm->query;
	size_t n = fm->typing ? sizeof(fm->req.note) : sizeof(fm->query);
	if (id == DESK_BTN_DELETE) {
		delete_last(dst);
	} else if (id == DESK_BTN_CLEAR) {
		memset(dst, 0, n);
	} else if (id >= DESK_BTN_KEY_0 && id < DESK_BTN_KEY_0 + KEYS_MAX) {
		char keys[KEYS_MAX][KEY_BYTES];
		int k = id - DESK_BTN_KEY_0;
		if (k < page_keys(s, fm->lang, fm->page, keys))
			type_into(dst, n, keys[k]);
	}
}

static bool is_key(int id)
{
	return id == DESK_BTN_DELETE || id == DESK_BTN_CLEAR ||
	       (id >= DESK_BTN_PAGE_0 && id < DESK_BTN_PAGE_0 + DESK_KBD_PAGE_COUNT) ||
	       (id >= DESK_BTN_KEY_0 && id < DESK_BTN_KEY_0 + KEYS_MAX);
}

struct desk_request desk_slot_request(enum desk_act_slot slot)
{
	struct desk_request q = {0};
	if ((unsigned)slot >= DESK_SLOT_COUNT)
		return q;
	q.action = slots[slot].action;
	q.label = slots[slot].label;
	q.risk = RISK_COUNT; /* nothing chosen yet */
	q.days = 7;
	return q;
}

static bool press_pin(struct desk_form *fm, int id, struct desk_event *ev)
{
	size_t len = strlen(fm->pin);
	if (id >= SCREEN_BTN_KEY_0 && id <= SCREEN_BTN_KEY_0 + 9) {
		if (len < FLOW_PIN_MAX)
			fm->pin[len] = (char)('0' + id - SCREEN_BTN_KEY_0);
		return false;
	}
	if (id == SCREEN_BTN_KEY_DELETE && len > 0) {
		fm->pin[len - 1] = '\0';
		return false;
	}
	if (id == SCREEN_BTN_KEY_OK && len > 0) {
		ev->kind = DESK_EV_PIN;
		memcpy(ev->pin.digits, fm->pin, sizeof(ev->pin.digits));
		memset(fm->pin, 0, sizeof(fm->pin));
		return true;
	}
	if (id == SCREEN_BTN_STAFF_CLOSE) {
		memset(fm->pin, 0, sizeof(fm->pin));
		ev->kind = DESK_EV_CANCEL;
		return true;
	}
	return false;
}

/* Buttons of a card, its form and the note keyboard. */
static bool press_card(struct desk_form *fm, const struct flow_frontdesk *f,
                       const struct strings *s, int id, struct desk_event *ev)
{
	if (fm->req.action != DESK_ACT_NONE && fm->typing) {
		if (id == DESK_BTN_TYPED)
			fm->typing = false;
		else if (is_key(id))
			press_key(fm, s, id);
		return false;
	}
	if (fm->req.action != DESK_ACT_NONE) {
		if (id == DESK_BTN_CANCEL) {
			memset(&fm->req, 0, sizeof(fm->req));
		} else if (id == DESK_BTN_NOTE) {
			fm->typing = true;
			fm->page = DESK_KBD_LETTERS;
		} else if (id >= DESK_BTN_RISK_0 && id < DESK_BTN_RISK_0 + RISK_COUNT) {
			fm->req.risk = (enum risk)(id - DESK_BTN_RISK_0);
		} else if (id == DESK_BTN_DAYS_MINUS && fm->req.days > 1) {
			fm->req.days--;
		} else if (id == DESK_BTN_DAYS_PLUS && fm->req.days < POLICY_EXTEND_MAX) {
			fm->req.days++;
		} else if (id >= DESK_BTN_PRESET_0 && id < DESK_BTN_PRESET_0 + DESK_PRESETS) {
			char key[64];
			const char *p = strings_lookup(
			    s, preset_key(&fm->req, id - DESK_BTN_PRESET_0, key, sizeof(key)),
			    fm->lang);
			if (p)
				snprintf(fm->req.note, sizeof(fm->req.note), "%s", p);
		} else if (id == DESK_BTN_CONTINUE && form_ready(f, fm)) {
			ev->kind = DESK_EV_ACTION;
			ev->action = fm->req;
			memset(&fm->req, 0, sizeof(fm->req));
			return true;
		}
		return false;
	}
	if (id >= DESK_BTN_TAB_0 && id < DESK_BTN_TAB_0 + DESK_TAB_COUNT) {
		fm->tab = (enum desk_card_tab)(id - DESK_BTN_TAB_0);
		return false;
	}
	if (id >= DESK_BTN_ACT_0 && id < DESK_BTN_ACT_0 + DESK_SLOT_COUNT) {
		enum desk_act_slot slot = (enum desk_act_slot)(id - DESK_BTN_ACT_0);
		if (!slot_allowed(&f->session.card, slot))
			return false;
		struct desk_request q = desk_slot_request(slot);
		if (slots[slot].form) {
			fm->req = q;
			fm->typing = false;
			return false;
		}
		ev->kind = DESK_EV_ACTION;
		ev->action = q;
		return true;
	}
	if (id == DESK_BTN_BACK) {
		ev->kind = DESK_EV_BACK;
		return true;
	}
	return false;
}

bool screen_frontdesk_press(struct desk_form *form, const struct flow_frontdesk *f,
                            const struct strings *s, int id, struct desk_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (id == SCREEN_BTN_LANG) {
		form->lang = form->lang == LANG_EN ? LANG_ZH_CN : LANG_EN;
		if (form->by == DESK_BY_NAME && form->page != DESK_KBD_DIGITS)
			form->page = page_for(form->by, form->lang);
		return false;
	}
	if (f->state == DESK_PIN || f->state == DESK_PIN_CHECK)
		return f->state == DESK_PIN && press_pin(form, id, ev);
	if (!flow_frontdesk_signed_in(f))
		return false;
	if (id == DESK_BTN_SIGN_OUT) {
		ev->kind = DESK_EV_SIGN_OUT;
		return true;
	}
	if (id == DESK_BTN_OCCUPANCY) {
		ev->kind = DESK_EV_OCCUPANCY_OPEN;
		return true;
	}
	switch (f->state) {
	case DESK_HOME:
		if (id >= DESK_BTN_BY_0 && id < DESK_BTN_BY_0 + DESK_BY_COUNT) {
			form->by = (enum desk_search_by)(id - DESK_BTN_BY_0);
			form->page = page_for(form->by, form->lang);
			memset(form->query, 0, sizeof(form->query));
		} else if (is_key(id)) {
			press_key(form, s, id);
		} else if (id == DESK_BTN_SEARCH && form->query[0]) {
			ev->kind = DESK_EV_SEARCH;
			ev->search.by = form->by;
			memcpy(ev->search.query, form->query, sizeof(ev->search.query));
			return true;
		}
		return false;
	case DESK_RESULTS:
		if (id >= DESK_BTN_ROW_0 && id < DESK_BTN_ROW_0 + DESK_RESULTS_MAX) {
			ev->kind = DESK_EV_OPEN;
			ev->open.index = id - DESK_BTN_ROW_0;
			return true;
		}
		if (id == DESK_BTN_PREV && form->results_page > 0)
			form->results_page--;
		else if (id == DESK_BTN_NEXT)
			form->results_page++; /* clamped when drawn */
		else if (id == DESK_BTN_BACK) {
			ev->kind = DESK_EV_BACK;
			return true;
		}
		return false;
	case DESK_CARD:
		return press_card(form, f, s, id, ev);
	case DESK_CONFIRM:
		if (id == DESK_BTN_CONFIRM) {
			ev->kind = DESK_EV_CONFIRM;
			return true;
		}
		if (id == DESK_BTN_CANCEL) {
			ev->kind = DESK_EV_CANCEL;
			return true;
		}
		return false;
	case DESK_OCCUPANCY:
		if (id == DESK_BTN_PREV && form->occ_page > 0)
			form->occ_page--;
		else if (id == DESK_BTN_NEXT)
			form->occ_page++;
		else if (id == DESK_BTN_BACK) {
			ev->kind = DESK_EV_BACK;
			return true;
		}
		return false;
	default:
		return false;
	}
}

const char *screen_frontdesk_button_name(int id, int *arg)
{
	static const struct {
		int first, count;
		const char *name;
	} names[] = {
	    {SCREEN_BTN_LANG, 1, "LANGUAGE"},
	    {SCREEN_BTN_KEY_0, 10, "PIN_DIGIT"},
	    {SCREEN_BTN_KEY_DELETE, 1, "PIN_DELETE"},
	    {SCREEN_BTN_KEY_OK, 1, "PIN_ENTER"},
	    {SCREEN_BTN_STAFF_CLOSE, 1, "PIN_CLOSE"},
	    {DESK_BTN_SIGN_OUT, 1, "SIGN_OUT"},
	    {DESK_BTN_OCCUPANCY, 1, "OCCUPANCY"},
	    {DESK_BTN_BACK, 1, "BACK"},
	    {DESK_BTN_SEARCH, 1, "SEARCH"},
	    {DESK_BTN_DELETE, 1, "DELETE"},
	    {DESK_BTN_CLEAR, 1, "CLEAR"},
	    {DESK_BTN_PREV, 1, "PREV"},
	    {DESK_BTN_NEXT, 1, "NEXT"},
	    {DESK_BTN_CONFIRM, 1, "CONFIRM"},
	    {DESK_BTN_CANCEL, 1, "CANCEL"},
	    {DESK_BTN_CONTINUE, 1, "CONTINUE"},
	    {DESK_BTN_NOTE, 1, "NOTE"},
	    {DESK_BTN_TYPED, 1, "TYPED"},
	    {DESK_BTN_DAYS_MINUS, 1, "DAYS_MINUS"},
	    {DESK_BTN_DAYS_PLUS, 1, "DAYS_PLUS"},
	    {DESK_BTN_BY_0, DESK_BY_COUNT, "BY"},
	    {DESK_BTN_PAGE_0, DESK_KBD_PAGE_COUNT, "KBD_PAGE"},
	    {DESK_BTN_TAB_0, DESK_TAB_COUNT, "TAB"},
	    {DESK_BTN_RISK_0, RISK_COUNT, "RISK"},
	    {DESK_BTN_PRESET_0, DESK_PRESETS, "PRESET"},
	    {DESK_BTN_ACT_0, DESK_SLOT_COUNT, "ACT"},
	    {DESK_BTN_KEY_0, KEYS_MAX, "KEY"},
	    {DESK_BTN_ROW_0, DESK_RESULTS_MAX, "ROW"},
	};
	int dummy;
	if (!arg)
		arg = &dummy;
	*arg = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (id >= names[i].first && id < names[i].first + names[i].count) {
			*arg = id - names[i].first;
			return names[i].name;
		}
	return "?";
}
