/* drivers/scanner/wedge.c: tell a keyboard-wedge scanner's burst of keys from a person
 * typing, by timing alone. Pure: time comes in with every call. */
#include "drivers/scanner/scanner.h"

#include <string.h>

#define WEDGE_SILENCE_FACTOR 6 /* a burst silent this many gaps long has ended unfinished */

void wedge_init(struct wedge *w, const struct wedge_config *cfg)
{
	memset(w, 0, sizeof(*w));
	w->cfg.max_gap_ms = 40;
	w->cfg.min_len = 6;
	w->cfg.end_keys = WEDGE_END_ENTER | WEDGE_END_TAB;
	if (cfg) {
		if (cfg->max_gap_ms > 0)
			w->cfg.max_gap_ms = cfg->max_gap_ms;
		if (cfg->min_len > 0)
			w->cfg.min_len = cfg->min_len;
		if (cfg->end_keys)
			w->cfg.end_keys = cfg->end_keys;
	}
}

static void emit(struct wedge *w, bool truncated)
{
	memcpy(w->ready.text, w->buf, w->len);
	w->ready.text[w->len] = '\0';
	w->ready.len = w->len;
	w->ready.truncated = truncated || w->overflow;
	w->have_scan = true;
	w->len = 0;
	w->overflow = false;
}

/* A key arrives at now_ms: a long pause before it ends the burst in progress. A fast
 * burst long enough to be a scan that stops without its suffix is a cut scan; anything
 * shorter was typing and is dropped. */
static void burst_gap(struct wedge *w, int64_t now_ms)
{
	if (w->len == 0 || now_ms - w->last_ms <= w->cfg.max_gap_ms)
		return;
	if ((int)w->len >= w->cfg.min_len && !w->have_scan)
		emit(w, true);
	w->len = 0;
	w->overflow = false;
}

void wedge_feed_text(struct wedge *w, const char *text, int64_t now_ms)
{
	burst_gap(w, now_ms);
	size_t n = strlen(text);
	if (w->overflow) {
		n = 0; /* the rest of a cut scan is dropped, never glued on after the cut */
	} else if (w->len + n > SCAN_MAX) {
		/* cut at a character boundary: a scan is never left ending in half a character */
		n = SCAN_MAX - w->len;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		w->overflow = true;
	}
	memcpy(w->buf + w->len, text, n);
	w->len += n;
	w->last_ms = now_ms;
}

void wedge_feed_end(struct wedge *w, int end_key, int64_t now_ms)
{
	if (!(w->cfg.end_keys & end_key))
		return;
	burst_gap(w, now_ms);
	if ((int)w->len >= w->cfg.min_len && !w->have_scan)
		emit(w, false);
	w->len = 0;
	w->overflow = false;
}

bool wedge_take(struct wedge *w, int64_t now_ms, struct scan *out)
{
	if (!w->have_scan && (int)w->len >= w->cfg.min_len &&
	    now_ms - w->last_ms > (int64_t)w->cfg.max_gap_ms * WEDGE_SILENCE_FACTOR)
		emit(w, true);
	if (!w->have_scan)
		return false;
	*out = w->ready;
	w->have_scan = false;
	return true;
}
