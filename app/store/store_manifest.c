/* app/store/store_manifest.c: importing the expected-arrivals manifest: encoding detection
 * (UTF-8 with or without BOM, else GB18030 as Excel on Chinese Windows saves it), CSV rows
 * validated by app/core/manifest, and one all-or-nothing transaction. */
#include "app/store/store_internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct import {
	struct store *st;
	struct manifest_report *rep;
	struct manifest_columns cols;
	bool have_header;
	int fatal;     /* a store failure that stops the import */
	int64_t *ids;  /* arrivals written by this import, ascending */
	size_t *lines; /* and the line each came from */
	size_t n_ids;
	size_t cap_ids;
	size_t last_line;
};

static void report(struct import *im, size_t line, const char *reason)
{
	im->rep->bad_rows++;
	if (im->rep->on_error)
		im->rep->on_error(im->rep->ctx, line, reason);
}

/* The line of an earlier row of this import that wrote arrival id, or 0. */
static size_t line_of(const struct import *im, int64_t id)
{
	size_t lo = 0, hi = im->n_ids;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (im->ids[mid] == id)
			return im->lines[mid];
		if (im->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int remember(struct import *im, int64_t id, size_t line)
{
	if (im->n_ids == im->cap_ids) {
		size_t cap = im->cap_ids ? im->cap_ids * 2 : 256;
		int64_t *ids = realloc(im->ids, cap * sizeof(*ids));
		if (!ids)
			return STORE_E_NOMEM;
		im->ids = ids;
		size_t *lines = realloc(im->lines, cap * sizeof(*lines));
		if (!lines)
			return STORE_E_NOMEM;
		im->lines = lines;
		im->cap_ids = cap;
	}
	im->ids[im->n_ids] = id;
	im->lines[im->n_ids++] = line;
	return 0;
}

/* A row refused as a duplicate: tell whether of this file or of an earlier import. */
static int explain_duplicate(struct import *im, const struct arrival_record *a, size_t line)
{
	char day[11], reason[160];
	sqlite3_stmt *s = store_prepare(im->st, "SELECT id FROM arrivals WHERE doc_type = ?1 AND "
	                                        "doc_number = ?2 AND expected_day = ?3");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, a->doc_type, false);
	store_bind_text(s, 2, a->doc_number, false);
	store_bind_text(s, 3, day_format(a->expected_day, day), false);
	int rc = sqlite3_step(s);
	size_t first = rc == SQLITE_ROW ? line_of(im, sqlite3_column_int64(s, 0)) : 0;
	sqlite3_finalize(s);
	if (first)
		snprintf(reason, sizeof(reason),
		         "same doc_type, doc_number and arrival_day as line %zu", first);
	else
		snprintf(reason, sizeof(reason),
		         "this person and arrival_day are already in the store (imported before)");
	report(im, line, reason);
	return 0;
}

static int on_row(const struct csv_row *row, void *ctx)
{
	struct import *im = ctx;
	char reason[256];
	struct arrival_record a;
	im->last_line = row->line;
	if (!im->have_header) {
		im->have_header = true;
		if (manifest_columns_map(row, &im->cols, reason, sizeof(reason))) {
			report(im, row->line, reason);
			return 1; /* without a header no row can be read */
		}
		return 0;
	}
	if (manifest_row_blank(row))
		return 0;
	if (manifest_row_parse(&im->cols, row, &a, reason, sizeof(reason))) {
		report(im, row->line, reason);
		return 0;
	}
	int status = store_arrival_add(im->st, &a);
	if (status == STORE_E_EXISTS)
		status = explain_duplicate(im, &a, row->line);
	else if (status == 0) {
		status = remember(im, a.id, row->line);
		im->rep->rows++;
		im->rep->by_category[a.category]++;
	}
	if (status) {
		im->fatal = status;
		return 1;
	}
	return 0;
}

/* GB18030 text to UTF-8 in a malloc'd buffer. On a byte sequence that is not GB18030 either,
 * returns STORE_E_BAD_INPUT with *bad_offset set. */
static int gb18030_to_utf8(const char *in, size_t len, char **out, size_t *out_len,
                           size_t *bad_offset)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return STORE_E_IO;
	size_t cap = len * 2 + 16; /* GB18030 -> UTF-8 grows at most 2x (+ small tail) */
	char *buf = malloc(cap);
	int status = 0;
	if (!buf) {
		status = STORE_E_NOMEM;
		goto out_close;
	}
	char *src = (char *)in, *dst = buf;
	size_t src_left = len, dst_left = cap;
	if (iconv(cd, &src, &src_left, &dst, &dst_left) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &dst, &dst_left) == (size_t)-1) {
		status = errno == E2BIG ? STORE_E_NOMEM : STORE_E_BAD_INPUT;
		*bad_offset = (size_t)(src - in);
		free(buf);
		goto out_close;
	}
	*out = buf;
	*out_len = cap - dst_left;
out_close:
	iconv_close(cd);
	return status;
}

static size_t line_at(const char *text, size_t offset)
{
	size_t line = 1;
	for (size_t i = 0; i < offset; i++)
		line += text[i] == '\n';
	return line;
}

int store_manifest_import(struct store *st, const char *text, size_t len,
                          struct manifest_report *rep)
{
	struct import im = {.st = st, .rep = rep};
	struct csv_error cerr = {0};
	char *converted = NULL;
	size_t bad;
	int status;
	rep->rows = rep->bad_rows = 0;
	memset(rep->by_category, 0, sizeof(rep->by_category));
	rep->had_bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
	rep->from_gb18030 = false;
	if (len >= 2 && ((unsigned char)text[0] == 0xFF || (unsigned char)text[0] == 0xFE) &&
	    ((unsigned char)text[1] ^ (unsigned char)text[0]) == 0x01) {
		/* Excel's "Unicode text": neither UTF-8 nor GB18030, and tab separated */
		report(&im, 1, "UTF-16 text; save the sheet as CSV (UTF-8 or the default CSV)");
		return store_failf(st, STORE_E_BAD_INPUT, "manifest is UTF-16");
	}
	if (!csv_utf8_valid(text, len, &bad)) {
		size_t conv_len;
		if (rep->had_bom ||
		    gb18030_to_utf8(text, len, &converted, &conv_len, &bad) == STORE_E_BAD_INPUT) {
			report(&im, line_at(text, bad), "text is neither UTF-8 nor GB18030");
			return store_failf(st, STORE_E_BAD_INPUT,
			                   "manifest encoding not recognised");
		}
		if (!converted)
			return store_failf(st, STORE_E_NOMEM, "cannot convert from GB18030");
		rep->from_gb18030 = true;
		text = converted;
		len = conv_len;
	}
	status = store_begin(st);
	if (status)
		goto out_free;
	int rc = csv_parse(text, len, on_row, &im, &cerr);
	if (rc == CSV_E_SYNTAX)
		report(&im, cerr.line, cerr.reason);
	else if (rc == CSV_E_NOMEM)
		im.fatal = STORE_E_NOMEM;
	if (!im.fatal && !rep->bad_rows && !im.have_header)
		report(&im, 1, "the file is empty");
	else if (!im.fatal && !rep->bad_rows && rep->rows == 0)
		report(&im, im.last_line, "the file has a header but no arrivals");
	if (im.fatal) {
		status = im.fatal;
		goto out_rollback;
	}
	if (rep->bad_rows) {
		status = store_failf(st, STORE_E_BAD_INPUT, "%zu bad rows; nothing imported",
		                     rep->bad_rows);
		goto out_rollback;
	}
	status = store_commit(st);
	if (status)
		goto out_rollback;
	goto out_free;
out_rollback:
	store_rollback(st);
	rep->rows = 0;
	memset(rep->by_category, 0, sizeof(rep->by_category));
out_free:
	free(im.ids);
	free(im.lines);
	free(converted);
	return status;
}

int store_manifest_import_file(struct store *st, const char *path, struct manifest_report *rep)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int status = 0;
	if (!f)
		return store_failf(st, STORE_E_IO, "cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			char *grown = realloc(text, cap);
			if (!grown) {
				status = store_failf(st, STORE_E_NOMEM, "out of memory reading %s",
				                     path);
				goto out_close;
			}
			text = grown;
		}
		size_t got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		status = store_failf(st, STORE_E_IO, "cannot read %s", path);
		goto out_close;
	}
	status = store_manifest_import(st, text ? text : "", len, rep);
out_close:
	free(text);
	fclose(f);
	return status;
}
