/* app/core/display.c: building display lists, the layout numbers of UI.md, hit-testing. */
#include "app/core/display.h"

#include <string.h>

#include "app/core/textwrap.h"

static int round_div(int a, int b)
{
	return (a + b / 2) / b;
}

void layout_init(struct layout *l, int width, int height)
{
	memset(l, 0, sizeof(*l));
	l->width = width;
	l->height = height;
	l->portrait = height > width;
	int s = width < height ? width : height;
	int over = s > 480 ? s - 480 : 0;
	int body = 28 + round_div(over * 12, 600);
	l->px[DL_BODY] = body;
	l->px[DL_HEADING] = (body * 3 + 1) / 2;
	l->px[DL_DISPLAY] = body * 3;
	l->px[DL_SMALL] = body * 4 / 5;
	/* Everything else scales with the body size: 64 px targets and 16 px gaps at 28 px. */
	l->target_h = round_div(64 * body, 28);
	l->gap = round_div(16 * body, 28);
	l->margin = l->gap;
	l->radius = l->target_h / 5;
	l->bar_h = l->target_h;
	/* The room number: a quarter of the height; in portrait that would not fit five
	 * characters across, so there it is bounded by the width (documented in docs/ui.md). */
	int huge = (height + 3) / 4;
	if (l->portrait) {
		int across = (width - 2 * l->margin) / 3;
		if (huge > across)
			huge = across;
	}
	l->px[DL_HUGE] = huge;
	for (int r = 0; r < DL_ROLE_COUNT; r++)
		l->line_h[r] = (l->px[r] * 3 + 1) / 2;
	int inner_w = width - 2 * l->margin;
	l->top_bar = (struct dl_rect){l->margin, l->margin, inner_w, l->bar_h};
	l->bottom_bar =
	    (struct dl_rect){l->margin, height - l->margin - l->bar_h, inner_w, l->bar_h};
	int top = l->top_bar.y + l->top_bar.h + l->gap;
	l->content = (struct dl_rect){l->margin, top, inner_w, l->bottom_bar.y - l->gap - top};
}

int layout_estimate_width(const struct layout *l, const char *text, enum dl_role role,
                          enum dl_weight weight)
{
	int px = l->px[(unsigned)role < DL_ROLE_COUNT ? role : DL_BODY];
	int64_t w100 = 0; /* in hundredths of a pixel */
	size_t len = strlen(text);
	for (size_t i = 0; i < len;) {
		size_t n;
		uint32_t cp = text_utf8_next(text + i, len - i, &n);
		int em100; /* hundredths of an em, a little over Noto Sans and WenQuanYi */
		if (text_is_cjk(cp))
			em100 = 100;
		else if (cp >= 'A' && cp <= 'Z')
			em100 = 68;
		else if (cp >= '0' && cp <= '9')
			em100 = 58;
		else if (cp == ' ')
			em100 = 26;
		else if (cp == '_' || cp == 'm' || cp == 'w' || cp == '@')
			em100 = 80;
		else
			em100 = 56;
		w100 += (int64_t)em100 * px;
		i += n;
	}
	if (weight == DL_BOLD)
		w100 = w100 * 105 / 100;
	return (int)((w100 + 99) / 100);
}

void dl_init(struct display_list *dl, int width, int height)
{
	dl->width = width;
	dl->height = height;
	dl->count = 0;
	dl->full = false;
	dl->text_used = 0;
}

static struct dl_cmd *push(struct display_list *dl, enum dl_kind kind, struct dl_rect r)
{
	if (dl->count >= DL_MAX_CMDS) {
		dl->full = true;
		return NULL;
	}
	struct dl_cmd *c = &dl->cmds[dl->count];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->rect = r;
	c->enabled = true;
	c->text = DL_TEXT_BYTES; /* no text */
	return c;
}

/* Copy text into the list's text space; false when it does not fit. */
static bool store_text(struct display_list *dl, struct dl_cmd *c, const char *text)
{
	size_t n = strlen(text ? text : "");
	if (n + 1 > DL_TEXT_BYTES - dl->text_used) {
		dl->full = true;
		return false;
	}
	memcpy(dl->text + dl->text_used, text ? text : "", n + 1);
	c->text = dl->text_used;
	dl->text_used += n + 1;
	return true;
}

int dl_add_fill(struct display_list *dl, struct dl_rect r, struct dl_color c, int radius)
{
	struct dl_cmd *cmd = push(dl, DL_FILL, r);
	if (!cmd)
		return -1;
	cmd->color = c;
	cmd->radius = radius;
	return dl->count++;
}

int dl_add_modal(struct display_list *dl, struct dl_rect r, struct dl_color c, int radius)
{
	int i = dl_add_fill(dl, r, c, radius);
	if (i >= 0)
		dl->cmds[i].modal = true;
	return i;
}

int dl_add_button(struct display_list *dl, struct dl_rect r, int id, struct dl_color fill,
                  struct dl_color border, int radius, bool enabled)
{
	struct dl_cmd *cmd = push(dl, DL_BUTTON, r);
	if (!cmd)
		return -1;
	cmd->id = id;
	cmd->color = fill;
	cmd->color2 = border;
	cmd->radius = radius;
	cmd->enabled = enabled;
	return dl->count++;
}

int dl_add_text(struct display_list *dl, const struct layout *l, struct dl_rect r, const char *text,
                enum dl_role role, enum dl_weight weight, struct dl_color c, enum dl_align align,
                unsigned flags)
{
	struct dl_cmd *cmd = push(dl, DL_TEXT, r);
	if (!cmd)
		return -1;
	if ((unsigned)role >= DL_ROLE_COUNT)
		role = DL_BODY;
	cmd->role = role;
	cmd->px = l->px[role];
	cmd->weight = weight;
	cmd->color = c;
	cmd->align = align;
	cmd->flags = flags;
	if (!store_text(dl, cmd, text))
		return -1;
	return dl->count++;
}

int dl_add_button_label(struct display_list *dl, const struct layout *l, struct dl_rect r, int id,
                        const char *label, struct dl_color fill, struct dl_color ink, bool enabled)
{
	struct dl_color border = {0, 0, 0, 0};
	if (!enabled) {
		fill = DL_DISABLED;
		ink = DL_MUTED;
	}
	if (fill.a == 0 || (fill.r == DL_CARD.r && fill.g == DL_CARD.g && fill.b == DL_CARD.b))
		border = ink;
	int b = dl_add_button(dl, r, id, fill, border, l->radius, enabled);
	if (b < 0)
		return -1;
	struct dl_rect inner = {r.x + l->gap, r.y + l->gap / 4, r.w - 2 * l->gap, r.h - l->gap / 2};
	if (dl_add_text(dl, l, inner, label, DL_BODY, DL_BOLD, ink, DL_CENTER,
	                DL_WRAP | DL_MUST_FIT | DL_MIDDLE) < 0)
		return -1;
	return b;
}

int dl_add_icon(struct display_list *dl, struct dl_rect r, enum dl_icon icon, struct dl_color fg,
                struct dl_color cutout)
{
	struct dl_cmd *cmd = push(dl, DL_ICON, r);
	if (!cmd)
		return -1;
	cmd->icon = icon;
	cmd->color = fg;
	cmd->color2 = cutout;
	return dl->count++;
}

int dl_add_image(struct display_list *dl, struct dl_rect r, enum dl_image_slot slot)
{
	struct dl_cmd *cmd = push(dl, DL_IMAGE, r);
	if (!cmd)
		return -1;
	cmd->icon = slot;
	return dl->count++;
}

int dl_add_scroll_text(struct display_list *dl, const struct layout *l, struct dl_rect r, int id,
                       const char *text, struct dl_color c)
{
	struct dl_cmd *cmd = push(dl, DL_SCROLL_TEXT, r);
	if (!cmd)
		return -1;
	cmd->id = id;
	cmd->role = DL_BODY;
	cmd->px = l->px[DL_BODY];
	cmd->color = c;
	cmd->flags = DL_WRAP;
	if (!store_text(dl, cmd, text))
		return -1;
	return dl->count++;
}

int dl_add_steps(struct display_list *dl, const struct layout *l, struct dl_rect r,
                 const char *const *labels, int n, int current, struct dl_color accent)
{
	if (n <= 0)
		return -1;
	int first = dl->count;
	int disc = l->px[DL_BODY] * 3 / 2;
	if (disc > r.h)
		disc = r.h;
	/* slots as wide as their labels need, the rest shared out evenly */
	int need[16], total = 0;
	if (n > 16)
		n = 16;
	/* when every label does not fit, only the current step keeps its label */
	bool all_labels = true;
	for (int pass = 0; pass < 2; pass++) {
		total = 0;
		for (int i = 0; i < n; i++) {
			bool labelled = all_labels || i == current;
			need[i] = disc + l->gap;
			if (labelled)
				need[i] += l->gap / 2 +
				           layout_estimate_width(l, labels[i] ? labels[i] : "",
				                                 DL_SMALL, DL_BOLD);
			total += need[i];
		}
		if (total <= r.w)
			break;
		all_labels = false;
	}
	bool no_labels = total > r.w; /* not even the current one: numbers only */
	int extra = (r.w - total) / n;
	int x = r.x;
	for (int i = 0; i < n; i++) {
		int slot_w = need[i] + extra;
		int y = r.y + (r.h - disc) / 2;
		bool done = i < current, now = i == current;
		struct dl_color disc_c = (done || now) ? accent : DL_LINE;
		struct dl_color num_c = (done || now) ? DL_WHITE : DL_INK;
		dl_add_fill(dl, (struct dl_rect){x, y, disc, disc}, disc_c, disc / 2);
		char num[12];
		int v = i + 1, k = 0;
		char rev[12];
		do {
			rev[k++] = (char)('0' + v % 10);
			v /= 10;
		} while (v > 0 && k < 11);
		for (int j = 0; j < k; j++)
			num[j] = rev[k - 1 - j];
		num[k] = '\0';
		if (done)
			dl_add_icon(dl, dl_rect_inset((struct dl_rect){x, y, disc, disc}, disc / 6),
			            DL_ICON_CHECK, DL_WHITE, accent);
		else
			dl_add_text(dl, l, (struct dl_rect){x, y, disc, disc}, num, DL_SMALL,
			            DL_BOLD, num_c, DL_CENTER, DL_MUST_FIT | DL_MIDDLE);
		int lx = x + disc + l->gap / 2;
		struct dl_rect lr = {lx, r.y, slot_w - disc - l->gap / 2 - l->gap / 2, r.h};
		if (no_labels || (!all_labels && i != current)) {
			x += slot_w;
			continue;
		}
		dl_add_text(dl, l, lr, labels[i] ? labels[i] : "", DL_SMALL,
		            now ? DL_BOLD : DL_REGULAR, now ? DL_INK : DL_MUTED, DL_LEFT,
		            DL_MUST_FIT | DL_MIDDLE);
		x += slot_w;
	}
	return dl->full ? -1 : first;
}

int dl_add_progress(struct display_list *dl, struct dl_rect r, int permille, struct dl_color fg,
                    struct dl_color bg)
{
	if (permille < 0)
		permille = 0;
	if (permille > 1000)
		permille = 1000;
	int first = dl_add_fill(dl, r, bg, r.h / 2);
	struct dl_rect done = r;
	done.w = (int)((int64_t)r.w * permille / 1000);
	if (done.w > 0)
		dl_add_fill(dl, done, fg, r.h / 2);
	return dl->full ? -1 : first;
}

const char *dl_text(const struct display_list *dl, int i)
{
	if (i < 0 || i >= dl->count || dl->cmds[i].text >= dl->text_used)
		return "";
	return dl->text + dl->cmds[i].text;
}

bool dl_rect_contains(struct dl_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

struct dl_rect dl_rect_inset(struct dl_rect r, int d)
{
	r.x += d;
	r.y += d;
	r.w -= 2 * d;
	r.h -= 2 * d;
	if (r.w < 0)
		r.w = 0;
	if (r.h < 0)
		r.h = 0;
	return r;
}

int dl_hit_test(const struct display_list *dl, int x, int y)
{
	for (int i = dl->count - 1; i >= 0; i--) {
		const struct dl_cmd *c = &dl->cmds[i];
		if (!dl_rect_contains(c->rect, x, y))
			continue;
		if (c->kind == DL_FILL && c->modal)
			return 0;
		if (c->kind == DL_BUTTON && c->enabled && c->id > 0)
			return c->id;
	}
	return 0;
}

bool dl_equal(const struct display_list *a, const struct display_list *b)
{
	if (a->width != b->width || a->height != b->height || a->count != b->count ||
	    a->text_used != b->text_used)
		return false;
	if (memcmp(a->text, b->text, a->text_used) != 0)
		return false;
	/* Commands are compared field by field: struct padding is not initialised everywhere. */
	for (int i = 0; i < a->count; i++) {
		const struct dl_cmd *p = &a->cmds[i], *q = &b->cmds[i];
		if (p->kind != q->kind || memcmp(&p->rect, &q->rect, sizeof(p->rect)) != 0 ||
		    memcmp(&p->color, &q->color, sizeof(p->color)) != 0 ||
		    memcmp(&p->color2, &q->color2, sizeof(p->color2)) != 0 ||
		    p->radius != q->radius || p->id != q->id || p->enabled != q->enabled ||
		    p->modal != q->modal || p->role != q->role || p->px != q->px ||
		    p->weight != q->weight || p->align != q->align || p->flags != q->flags ||
		    p->icon != q->icon || p->text != q->text)
			return false;
	}
	return true;
}

struct dl_rect dl_rect_take_top(struct dl_rect *r, int h, int gap)
{
	struct dl_rect t = {r->x, r->y, r->w, h};
	r->y += h + gap;
	r->h -= h + gap;
	return t;
}

struct dl_rect dl_rect_take_bottom(struct dl_rect *r, int h, int gap)
{
	struct dl_rect t = {r->x, r->y + r->h - h, r->w, h};
	r->h -= h + gap;
	return t;
}

struct dl_rect dl_rect_take_left(struct dl_rect *r, int w, int gap)
{
	struct dl_rect t = {r->x, r->y, w, r->h};
	r->x += w + gap;
	r->w -= w + gap;
	return t;
}

struct dl_rect dl_rect_take_right(struct dl_rect *r, int w, int gap)
{
	struct dl_rect t = {r->x + r->w - w, r->y, w, r->h};
	r->w -= w + gap;
	return t;
}
