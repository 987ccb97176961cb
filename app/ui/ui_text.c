/* app/ui/ui_text.c: fonts by size and weight, measuring and wrapping with them, and the cache
 * of rendered text blocks (one texture per block, least recently used evicted first), so that
 * a frame that shows the same texts renders no glyphs. */
#include "app/ui/ui_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The loader thread: opens SDL2_ttf and both faces while the main thread creates the window,
 * then runs the caller's preparation and renders the first frame's texts
 * (ui_config.prepare). */
static int fonts_load(void *arg)
{
	struct ui *ui = arg;
	const struct ttf_api *ttf = ttf_open(ui->font_error, sizeof(ui->font_error));
	if (!ttf)
		return -ELIBACC;
	if (ttf->TTF_Init() != 0) {
		snprintf(ui->font_error, sizeof(ui->font_error), "TTF_Init: %s", TTF_GetError());
		return -EINVAL;
	}
	ui->ttf = ttf;
	for (int w = DL_REGULAR; w <= DL_BOLD; w++) {
		const struct font_file *file = &ui->font_files[w];
		ui->fonts[w].font = ttf->TTF_OpenFontIndex(file->path, 28, file->face);
		if (!ui->fonts[w].font) {
			snprintf(ui->font_error, sizeof(ui->font_error),
			         "cannot open font %s#%d: %s", file->path, file->face,
			         TTF_GetError());
			return -EINVAL;
		}
		ui->fonts[w].px = 28;
	}
	if (!ui->prepare)
		return 0;
	struct display_list *dl = malloc(sizeof(*dl));
	int rc = dl ? ui->prepare(ui->prepare_ctx, ui->prepare_w, ui->prepare_h, dl) : 0;
	if (rc > 0)
		text_prefetch(ui, dl);
	free(dl);
	if (rc < 0)
		snprintf(ui->font_error, sizeof(ui->font_error), "start-up preparation failed");
	return rc < 0 ? rc : 0;
}

int text_fonts_start(struct ui *ui, const char *regular, const char *bold)
{
	if (!fonts_find(regular, FONT_REGULAR, &ui->font_files[DL_REGULAR])) {
		fprintf(stderr, "ui: no CJK font found (install fonts-noto-cjk)\n");
		return -ENOENT;
	}
	if (!fonts_find(bold && *bold ? bold : NULL, FONT_BOLD, &ui->font_files[DL_BOLD]))
		ui->font_files[DL_BOLD] = ui->font_files[DL_REGULAR];
	/* Parsing a CJK face takes long (its tables cover 65,000 glyphs: about 10 ms each on a
	 * PC, more on a Pi), and so does creating the window, which mostly waits on the display
	 * server: both at once. FreeType's library is not used by the main thread until
	 * text_fonts_wait() joined the loader. */
	ui->font_loader = SDL_CreateThread(fonts_load, "fonts", ui);
	if (!ui->font_loader)
		return fonts_load(ui);
	return 0;
}

int text_fonts_wait(struct ui *ui)
{
	int rc = 0;
	if (ui->font_loader) {
		SDL_WaitThread(ui->font_loader, &rc);
		ui->font_loader = NULL;
	}
	if (rc < 0 || !ui->fonts[DL_REGULAR].font || !ui->fonts[DL_BOLD].font) {
		fprintf(stderr, "ui: %s\n", ui->font_error[0] ? ui->font_error : "no font");
		return rc ? rc : -EINVAL;
	}
	return 0;
}

void text_fonts_close(struct ui *ui)
{
	if (ui->font_loader) {
		SDL_WaitThread(ui->font_loader, NULL);
		ui->font_loader = NULL;
	}
	text_prefetch_drop(ui);
	for (int i = 0; i < 2; i++) {
		if (ui->fonts[i].font)
			ui->ttf->TTF_CloseFont(ui->fonts[i].font);
		ui->fonts[i].font = NULL;
	}
	if (ui->ttf)
		ui->ttf->TTF_Quit();
	ui->ttf = NULL;
}

/* One open face per weight, set to the size asked for: opening a CJK face costs far more
 * than changing the size of an open one (which costs only its glyph cache), and rendered
 * text is cached as textures anyway. */
TTF_Font *text_font(struct ui *ui, int px, int weight)
{
	struct open_font *f = &ui->fonts[weight == DL_BOLD ? DL_BOLD : DL_REGULAR];
	if (!f->font)
		return NULL;
	if (f->px != px) {
		if (ui->ttf->TTF_SetFontSize(f->font, px) != 0) {
			fprintf(stderr, "ui: cannot set the font size %d: %s\n", px,
			        TTF_GetError());
			return NULL;
		}
		f->px = px;
	}
	return f->font;
}

struct measure_ctx {
	struct ui *ui;
	TTF_Font *font;
};

static int measure(void *ctx, const char *s, size_t len)
{
	struct measure_ctx *m = ctx;
	struct ui *ui = m->ui;
	if (len + 1 > ui->scratch_cap) {
		size_t cap = len + 1 > 4096 ? len + 1 : 4096;
		char *grown = realloc(ui->scratch, cap);
		if (!grown)
			return 1 << 28; /* reads as "does not fit" */
		ui->scratch = grown;
		ui->scratch_cap = cap;
	}
	memcpy(ui->scratch, s, len);
	ui->scratch[len] = '\0';
	int w = 0, h = 0;
	if (len > 0 && ui->ttf->TTF_SizeUTF8(m->font, ui->scratch, &w, &h) != 0)
		return 1 << 28;
	return w;
}

int text_layout(struct ui *ui, const char *text, int px, int weight, int wrap_w, int *w,
                int *line_h)
{
	TTF_Font *font = text_font(ui, px, weight);
	if (!font)
		return -EINVAL;
	struct measure_ctx m = {ui, font};
	int limit = wrap_w > 0 ? wrap_w : 1 << 28;
	int n = text_wrap(text, limit, measure, &m, ui->lines, UI_MAX_LINES);
	if (n > UI_MAX_LINES)
		n = UI_MAX_LINES;
	int widest = 0;
	for (int i = 0; i < n; i++)
		if (ui->lines[i].width > widest)
			widest = ui->lines[i].width;
	*w = widest;
	*line_h = ui->ttf->TTF_FontLineSkip(font);
	return n;
}

static uint32_t rgba_of(struct dl_color c)
{
	return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

static uint64_t hash_key(const char *text, int px, int weight, uint32_t rgba, int wrap_w, int align)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	int params[] = {px, weight, (int)rgba, wrap_w, align};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		h = (h ^ (uint32_t)params[i]) * 1099511628211ULL;
	return h;
}

static void entry_free(struct ui *ui, struct text_entry *e)
{
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	ui->cache_bytes -= e->bytes;
	free(e->text);
	memset(e, 0, sizeof(*e));
	ui->stats.text_entries--;
}

void text_cache_clear(struct ui *ui)
{
	for (int i = 0; i < ui->cache_cap; i++)
		if (ui->cache[i].text)
			entry_free(ui, &ui->cache[i]);
}

/* The block of a text as a surface (NULL for an empty text, with *bw 0, or on error). */
static SDL_Surface *render_surface(struct ui *ui, const char *text, int px, int weight,
                                   struct dl_color c, int wrap_w, int align, int *bw, int *bh,
                                   int *nlines)
{
	int widest, skip;
	int n = text_layout(ui, text, px, weight, wrap_w, &widest, &skip);
	if (n < 0)
		return NULL;
	*bw = widest;
	*bh = n * skip;
	*nlines = n;
	if (widest == 0)
		return NULL; /* nothing visible */
	TTF_Font *font = text_font(ui, px, weight);
	SDL_Surface *block =
	    SDL_CreateRGBSurfaceWithFormat(0, widest, n * skip, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!block)
		return NULL;
	SDL_FillRect(block, NULL, 0);
	SDL_Color color = {c.r, c.g, c.b, c.a};
	/* ui->lines is overwritten by nothing below: TTF_RenderUTF8 does not wrap. */
	for (int i = 0; i < n; i++) {
		struct text_line *ln = &ui->lines[i];
		if (ln->len == 0)
			continue;
		char *copy = strndup(text + ln->start, ln->len);
		if (!copy)
			continue;
		SDL_Surface *s = ui->ttf->TTF_RenderUTF8_Blended(font, copy, color);
		free(copy);
		if (!s)
			continue;
		int x = 0;
		if (align == DL_CENTER)
			x = (widest - ln->width) / 2;
		else if (align == DL_RIGHT)
			x = widest - ln->width;
		SDL_Rect dst = {x, i * skip, s->w, s->h};
		SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
		SDL_BlitSurface(s, NULL, block, &dst);
		SDL_FreeSurface(s);
	}
	return block;
}

static void evict(struct ui *ui)
{
	int oldest = -1;
	for (int i = 0; i < ui->cache_cap; i++) {
		struct text_entry *e = &ui->cache[i];
		if (e->text && (oldest < 0 || e->used < ui->cache[oldest].used))
			oldest = i;
	}
	if (oldest >= 0)
		entry_free(ui, &ui->cache[oldest]);
}

static bool same_key(const struct text_entry *e, uint64_t h, const char *text, int px, int weight,
                     uint32_t rgba, int wrap_w, int align)
{
	return e->text && e->hash == h && e->px == px && e->weight == weight && e->rgba == rgba &&
	       e->wrap_w == wrap_w && e->align == align && strcmp(e->text, text) == 0;
}

/* Take the block text_prefetch() rendered for these parameters: true with *block (NULL for
 * an empty text) and its size, or false when there is none. */
static bool ready_take(struct ui *ui, uint64_t h, const char *text, int px, int weight,
                       uint32_t rgba, int wrap_w, int align, SDL_Surface **block, int *bw, int *bh,
                       int *n)
{
	for (int i = 0; i < ui->nready; i++) {
		struct text_entry *r = &ui->ready[i];
		if (!same_key(r, h, text, px, weight, rgba, wrap_w, align))
			continue;
		*block = r->block;
		*bw = r->w;
		*bh = r->h;
		*n = r->lines;
		r->block = NULL;
		free(r->text);
		r->text = NULL; /* taken */
		return true;
	}
	return false;
}

void text_prefetch(struct ui *ui, const struct display_list *dl)
{
	struct text_entry *ready = calloc((size_t)dl->count, sizeof(*ready));
	if (!ready)
		return;
	int n = 0;
	for (int i = 0; i < dl->count; i++) {
		const struct dl_cmd *c = &dl->cmds[i];
		if (c->kind != DL_TEXT)
			continue;
		struct text_entry *r = &ready[n];
		r->text = strdup(dl_text(dl, i));
		if (!r->text)
			break;
		r->px = c->px;
		r->weight = c->weight;
		r->rgba = rgba_of(c->color);
		r->wrap_w = text_wrap_width(c);
		r->align = c->align;
		r->hash = hash_key(r->text, r->px, r->weight, r->rgba, r->wrap_w, r->align);
		r->block = render_surface(ui, r->text, r->px, r->weight, c->color, r->wrap_w,
		                          r->align, &r->w, &r->h, &r->lines);
		n++;
	}
	ui->ready = ready;
	ui->nready = n;
}

void text_prefetch_drop(struct ui *ui)
{
	for (int i = 0; i < ui->nready; i++) {
		free(ui->ready[i].text);
		SDL_FreeSurface(ui->ready[i].block);
	}
	free(ui->ready);
	ui->ready = NULL;
	ui->nready = 0;
}

struct text_entry *text_get(struct ui *ui, const char *text, int px, int weight, struct dl_color c,
                            int wrap_w, int align)
{
	uint32_t rgba = rgba_of(c);
	uint64_t h = hash_key(text, px, weight, rgba, wrap_w, align);
	int free_slot = -1;
	for (int i = 0; i < ui->cache_cap; i++) {
		struct text_entry *e = &ui->cache[i];
		if (!e->text) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (same_key(e, h, text, px, weight, rgba, wrap_w, align)) {
			e->used = ++ui->tick;
			ui->stats.text_hits++;
			return e;
		}
	}
	if (free_slot < 0) {
		evict(ui);
		for (int i = 0; i < ui->cache_cap && free_slot < 0; i++)
			if (!ui->cache[i].text)
				free_slot = i;
	}
	if (free_slot < 0)
		return NULL;
	struct text_entry *e = &ui->cache[free_slot];
	int bw = 0, bh = 0, n = 0;
	SDL_Surface *block;
	bool prepared =
	    ready_take(ui, h, text, px, weight, rgba, wrap_w, align, &block, &bw, &bh, &n);
	if (!prepared)
		block = render_surface(ui, text, px, weight, c, wrap_w, align, &bw, &bh, &n);
	SDL_Texture *tex = block ? SDL_CreateTextureFromSurface(ui->ren, block) : NULL;
	SDL_FreeSurface(block);
	if (!tex && bw > 0)
		return NULL;
	if (tex)
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	e->text = strdup(text);
	if (!e->text) {
		if (tex)
			SDL_DestroyTexture(tex);
		return NULL;
	}
	e->hash = h;
	e->px = px;
	e->weight = weight;
	e->rgba = rgba;
	e->wrap_w = wrap_w;
	e->align = align;
	e->tex = tex;
	e->w = bw;
	e->h = bh;
	e->lines = n;
	e->bytes = (size_t)bw * (size_t)bh * 4;
	e->used = ++ui->tick;
	ui->cache_bytes += e->bytes;
	ui->stats.text_entries++;
	if (prepared)
		ui->stats.text_prepared++;
	else
		ui->stats.text_renders++;
	while (ui->cache_bytes > ui->cache_max_bytes && ui->stats.text_entries > 1) {
		/* never evict the entry just made: it is the newest */
		evict(ui);
	}
	return e;
}
