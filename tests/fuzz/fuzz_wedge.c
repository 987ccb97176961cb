/* tests/fuzz/fuzz_wedge.c: libFuzzer harness for the keyboard-wedge assembler: a fuzzed
 * script of typed text, end keys and polls at fuzzed times. Every scan taken is terminated,
 * as long as it says, within SCAN_MAX, well-formed UTF-8 when everything typed was, and
 * slow typing (one character at a time, pauses longer than the gap) never makes a scan.
 * fuzz-sources: drivers/scanner/wedge.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/scanner/scanner.h"
#include "tests/fuzz/utf8_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Code points in s, or 0 when it is not well-formed UTF-8. */
static size_t utf8_chars(const char *s)
{
	size_t n = strlen(s), chars = 0;
	for (size_t i = 0; i < n; chars++) {
		uint32_t cp;
		size_t k = fuzz_utf8_char((const unsigned char *)s + i, n - i, &cp);
		if (k == 0)
			return 0;
		i += k;
	}
	return chars;
}

static void check_scan(const struct scan *sc, bool typed_utf8)
{
	if (sc->len > SCAN_MAX || sc->text[sc->len] != '\0' || strlen(sc->text) != sc->len)
		abort();
	if (typed_utf8 && !fuzz_utf8_valid(sc->text, sc->len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wedge w; /* 8 KB */
	static struct scan sc;
	if (size < 3)
		return 0;
	struct wedge_config cfg = {.max_gap_ms = data[0] & 0x80 ? data[0] & 0x7F : 0,
	                           .min_len = data[1] & 0x80 ? data[1] & 0x3F : 0,
	                           .end_keys = data[2] & 3};
	wedge_init(&w, &cfg);
	if (w.cfg.max_gap_ms <= 0 || w.cfg.min_len <= 0 || !w.cfg.end_keys)
		abort();
	int64_t now = (int64_t)data[2] << 20; /* any start: SDL ticks since boot */
	int64_t last_key = -1;
	/* slow typing: one character a key, every pause longer than the gap (with a shortest
	 * scan of one character, any key and Enter is a scan by configuration) */
	bool typed_utf8 = true, slow = w.cfg.min_len >= 2;
	size_t i = 3;
	char text[300];
	while (i < size) {
		uint8_t op = data[i++];
		/* the time step: the low bits of op, sometimes scaled to seconds or hours */
		int64_t step = op >> 4;
		if (op & 0x08)
			step *= 1000;
		if ((op & 0x0C) == 0x0C)
			step *= 3600;
		now += step;
		switch (op & 3) {
		case 0:
		case 1: { /* text: a length byte then that many bytes (no NUL: SDL gives C strings)
			   */
			size_t len = i < size ? data[i++] : 0;
			if (len > size - i)
				len = size - i;
			size_t k = 0;
			for (size_t j = 0; j < len; j++)
				if (data[i + j])
					text[k++] = (char)data[i + j];
			text[k] = '\0';
			i += len;
			size_t chars = utf8_chars(text);
			if (chars == 0 && k > 0)
				typed_utf8 = false;
			if (k == 0)
				break;
			if (chars != 1 || (last_key >= 0 && now - last_key <= w.cfg.max_gap_ms))
				slow = false;
			last_key = now;
			wedge_feed_text(&w, text, now);
			break;
		}
		case 2: /* an end key, sometimes one the config does not take */
			wedge_feed_end(&w, (op & 0x04) ? WEDGE_END_TAB : WEDGE_END_ENTER, now);
			break;
		default:
			memset(&sc, 0x5A, sizeof sc);
			if (wedge_take(&w, now, &sc)) {
				check_scan(&sc, typed_utf8);
				if (slow)
					abort(); /* slow typing came out as a scan */
				/* once per scan: only a second burst still pending may follow */
				bool pending = (int)w.len >= w.cfg.min_len;
				if (wedge_take(&w, now, &sc) && !pending)
					abort();
			}
			break;
		}
	}
	/* long after: whatever is pending comes out (or not) once */
	if (wedge_take(&w, now + 3600 * 1000, &sc)) {
		check_scan(&sc, typed_utf8);
		if (slow)
			abort();
	}
	return 0;
}
