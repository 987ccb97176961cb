/* app/core/csv.h: an RFC 4180 CSV reader over a text buffer: quoted fields with embedded
 * commas, quotes and newlines, CRLF or LF line ends, an optional UTF-8 byte order mark.
 * Pure: text in, rows out through a callback; no I/O. */
#ifndef HK_CORE_CSV_H
#define HK_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

enum csv_status {
	CSV_OK = 0,
	CSV_E_NOMEM = -1,
	CSV_E_SYNTAX = -2, /* see csv_error.line and .reason */
};

/* One record. fields[i] are NUL-terminated, unquoted, and borrowed for the duration of the
 * callback only. line is the 1-based physical line on which the record starts. */
struct csv_row {
	size_t line;
	size_t n_fields;
	char **fields;
};

struct csv_error {
	size_t line;        /* 1-based line of the fault */
	const char *reason; /* static English text, e.g. "unterminated quoted field" */
};

/* Called once per record. Return 0 to go on; any other value stops the parse and is
 * returned by csv_parse(). */
typedef int (*csv_row_fn)(const struct csv_row *row, void *ctx);

/* Parse len bytes of text (need not be NUL-terminated). A leading UTF-8 BOM is skipped;
 * empty lines are skipped; a final line without a line end is a record. A NUL byte, a quote
 * inside an unquoted field, text after a closing quote or an unterminated quoted field is
 * CSV_E_SYNTAX with *err filled (err may be NULL). Returns 0, a negative csv_status, or the
 * callback's non-zero value. */
int csv_parse(const char *text, size_t len, csv_row_fn fn, void *ctx, struct csv_error *err);

/* True when len bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
 * Sets *bad_offset (may be NULL) to the offset of the first bad byte otherwise. */
bool csv_utf8_valid(const char *text, size_t len, size_t *bad_offset);

#endif
