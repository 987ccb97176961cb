/* app/ui/ui_scroll.c: the long-text view (the briefing): plain text with "# " / "## "
 * headings and "- " bullets laid out once per text and width, drawn clipped at a scroll
 * offset, with a scroll bar; tells once when the end has been reached. */
#include "app/ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_text(const char *t)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static void view_free(struct scroll_view *v)
{
	for (int i = 0; i < v->nblocks; i++)
		free(v->blocks[i].text);
	free(v->blocks);
	memset(v, 0, sizeof(*v));
}

void scroll_clear(struct ui *ui)
{
	for (int i = 0; i < UI_MAX_SCROLLS; i++)
		view_free(&ui->scrolls[i]);
}

void scroll_forget_absent(struct ui *ui, const struct display_list *dl)
{
	for (int i = 0; i < UI_MAX_SCROLLS; i++) {
		struct scroll_view *v = &ui->scrolls[i];
		bool shown = false;
		for (int c = 0; v->id && c < dl->count && !shown; c++)
			shown = dl->cmds[c].kind == DL_SCROLL_TEXT && dl->cmds[c].id == v->id;
		if (v->id && !shown)
			view_free(v); /* shown again later: from the top, and its end told again */
	}
}

struct scroll_view *scroll_find(struct ui *ui, int id)
{
	for (int i = 0; i < UI_MAX_SCROLLS; i++)
		if (ui->scrolls[i].id == id && id > 0)
			return &ui->scrolls[i];
	return NULL;
}

static void check_end(struct ui *ui, struct scroll_view *v)
{
	int max = v->content_h - v->view_h;
	if (max < 0)
		max = 0;
	if (v->offset > max)
		v->offset = max;
	if (v->offset < 0)
		v->offset = 0;
	v->at_end = v->offset >= max - 2;
	if (v->at_end && !v->reported) {
		v->reported = true;
		struct ui_event ev = {
		    .type = UI_EVENT_SCROLL_END, .id = v->id, .time_ms = SDL_GetTicks()};
		ui_queue_push(ui, &ev);
	}
}

/* Split the text into blocks and measure them at width w. */
static int layout_view(struct ui *ui, struct scroll_view *v, const struct dl_cmd *cmd,
                       const char *text, int w)
{
	int body = cmd->px;
	int gap = body / 2;
	int cap = 16, n = 0, y = 0;
	struct scroll_block *blocks = calloc((size_t)cap, sizeof(*blocks));
	if (!blocks)
		return -1;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *next = eol ? eol + 1 : p + len;
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
			len--;
		if (len == 0) {
			p = next;
			continue;
		}
		struct scroll_block b = {.px = body, .weight = DL_REGULAR, .color = cmd->color};
		int skip = 0, space_before = gap;
		if (strncmp(p, "# ", 2) == 0) {
			skip = 2;
			b.px = body * 3 / 2;
			b.weight = DL_BOLD;
		} else if (strncmp(p, "## ", 3) == 0) {
			skip = 3;
			b.px = body * 6 / 5;
			b.weight = DL_BOLD;
			space_before = body;
		} else if (strncmp(p, "- ", 2) == 0) {
			skip = 2;
			b.bullet = true;
			b.indent = body;
			space_before = gap / 2;
		}
		if (n == 0)
			space_before = 0;
		b.text = strndup(p + skip, len - (size_t)skip);
		if (!b.text)
			goto fail;
		int bw, skip_h;
		int lines = text_layout(ui, b.text, b.px, b.weight, w - b.indent, &bw, &skip_h);
		if (lines < 0) {
			free(b.text);
			goto fail;
		}
		b.y = y + space_before;
		b.h = lines * skip_h;
		y = b.y + b.h;
		if (n == cap) {
			cap *= 2;
			struct scroll_block *grown = realloc(blocks, (size_t)cap * sizeof(*blocks));
			if (!grown) {
				free(b.text);
				goto fail;
			}
			blocks = grown;
		}
		blocks[n++] = b;
		p = next;
	}
	v->blocks = blocks;
	v->nblocks = n;
	v->content_h = y;
	return 0;
fail:
	for (int i = 0; i < n; i++)
		free(blocks[i].text);
	free(blocks);
	return -1;
}

static struct scroll_view *view_for(struct ui *ui, const struct dl_cmd *cmd, const char *text,
                                    int w)
{
	uint64_t h = hash_text(text);
	struct scroll_view *v = scroll_find(ui, cmd->id);
	if (v && v->hash == h && v->width == w && v->px == cmd->px)
		return v;
	if (v) {
		view_free(v);
	} else {
		int victim = 0;
		for (int i = 0; i < UI_MAX_SCROLLS; i++) {
			if (ui->scrolls[i].id == 0) {
				victim = i;
				break;
			}
			if (ui->scrolls[i].used < ui->scrolls[victim].used)
				victim = i;
		}
		v = &ui->scrolls[victim];
		view_free(v);
	}
	if (layout_view(ui, v, cmd, text, w) < 0)
		return NULL;
	v->id = cmd->id;
	v->hash = h;
	v->width = w;
	v->px = cmd->px;
	return v;
}

void scroll_draw(struct ui *ui, const struct dl_cmd *cmd, const char *text)
{
	struct dl_rect r = cmd->rect;
	int bar_w = cmd->px / 4 > 6 ? cmd->px / 4 : 6;
	int text_w = r.w - 3 * bar_w;
	struct scroll_view *v = view_for(ui, cmd, text, text_w);
	if (!v)
		return;
	v->used = ++ui->tick;
	v->view_h = r.h;
	check_end(ui, v);
	SDL_Rect clip = {r.x, r.y, r.w, r.h};
	SDL_RenderSetClipRect(ui->ren, &clip);
	for (int i = 0; i < v->nblocks; i++) {
		struct scroll_block *b = &v->blocks[i];
		int top = r.y + b->y - v->offset;
		if (top > r.y + r.h || top + b->h < r.y)
			continue;
		struct text_entry *e =
		    text_get(ui, b->text, b->px, b->weight, b->color, text_w - b->indent, DL_LEFT);
		if (!e || !e->tex)
			continue;
		if (b->bullet) {
			float d = b->px * 0.22f;
			shape_disc(ui->ren, r.x + b->indent * 0.4f, top + b->px * 0.75f, d,
			           b->color);
		}
		SDL_Rect dst = {r.x + b->indent, top, e->w, e->h};
		SDL_RenderCopy(ui->ren, e->tex, NULL, &dst);
	}
	SDL_RenderSetClipRect(ui->ren, NULL);
	if (v->content_h > v->view_h) {
		struct dl_rect track = {r.x + r.w - bar_w, r.y, bar_w, r.h};
		shape_round_rect(ui->ren, track, bar_w / 2, DL_LINE);
		int thumb_h = (int)((int64_t)r.h * r.h / v->content_h);
		if (thumb_h < 2 * bar_w)
			thumb_h = 2 * bar_w;
		int range = v->content_h - v->view_h;
		int thumb_y = r.y + (int)((int64_t)(r.h - thumb_h) * v->offset / range);
		shape_round_rect(ui->ren, (struct dl_rect){track.x, thumb_y, bar_w, thumb_h},
		                 bar_w / 2, DL_MUTED);
	}
}

bool ui_scroll_at_end(const struct ui *ui, int id)
{
	for (int i = 0; i < UI_MAX_SCROLLS; i++)
		if (ui->scrolls[i].id == id && id > 0)
			return ui->scrolls[i].at_end;
	return false;
}

int ui_scroll_permille(const struct ui *ui, int id)
{
	for (int i = 0; i < UI_MAX_SCROLLS; i++) {
		const struct scroll_view *v = &ui->scrolls[i];
		if (v->id != id || id <= 0)
			continue;
		int range = v->content_h - v->view_h;
		return range <= 0 ? 1000 : (int)((int64_t)v->offset * 1000 / range);
	}
	return 0;
}

void ui_scroll_by(struct ui *ui, int id, int dy)
{
	struct scroll_view *v = scroll_find(ui, id);
	if (!v || dy == 0)
		return;
	int before = v->offset;
	v->offset += dy;
	check_end(ui, v);
	if (v->offset != before)
		ui->dirty = true;
}
