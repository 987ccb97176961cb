/* app/core/csv.c: RFC 4180 CSV reader (see csv.h) and a UTF-8 validity check used to tell
 * a UTF-8 file from a GB18030 one. */
#include "app/core/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct csv_parser {
	const char *text;
	size_t len;
	size_t pos;
	size_t line;
	char *out;      /* unquoted field text of the current record, NUL-separated */
	size_t out_len; /* bytes used in out */
	char **fields;
	size_t n_fields;
	size_t cap_fields;
	struct csv_error *err;
};

static int fail(struct csv_parser *p, size_t line, const char *reason)
{
	if (p->err) {
		p->err->line = line;
		p->err->reason = reason;
	}
	return CSV_E_SYNTAX;
}

/* Length of the line end at pos: 2 for CRLF, 1 for LF or a lone CR, 0 for none. */
static size_t line_end_at(const struct csv_parser *p, size_t pos)
{
	if (pos >= p->len)
		return 0;
	if (p->text[pos] == '\n')
		return 1;
	if (p->text[pos] == '\r')
		return pos + 1 < p->len && p->text[pos + 1] == '\n' ? 2 : 1;
	return 0;
}

static int field_begin(struct csv_parser *p)
{
	if (p->n_fields == p->cap_fields) {
		size_t cap = p->cap_fields ? p->cap_fields * 2 : 16;
		char **f = realloc(p->fields, cap * sizeof(*f));
		if (!f)
			return CSV_E_NOMEM;
		p->fields = f;
		p->cap_fields = cap;
	}
	/* Store the offset now; turned into pointers once the record is complete. */
	p->fields[p->n_fields++] = (char *)(uintptr_t)p->out_len;
	return 0;
}

/* Reads one field at p->pos into p->out. Leaves pos on the separator, line end or end. */
static int field_read(struct csv_parser *p)
{
	int rc = field_begin(p);
	if (rc)
		return rc;
	if (p->pos < p->len && p->text[p->pos] == '"') {
		size_t start_line = p->line;
		p->pos++;
		for (;;) {
			if (p->pos >= p->len)
				return fail(p, start_line, "unterminated quoted field");
			char c = p->text[p->pos];
			if (c == '\0')
				return fail(p, p->line, "NUL byte in text");
			if (c == '"') {
				if (p->pos + 1 < p->len && p->text[p->pos + 1] == '"') {
					p->out[p->out_len++] = '"';
					p->pos += 2;
					continue;
				}
				p->pos++;
				if (p->pos < p->len && p->text[p->pos] != ',' &&
				    !line_end_at(p, p->pos))
					return fail(p, p->line, "text after a closing quote");
				break;
			}
			size_t eol = line_end_at(p, p->pos);
			if (eol) {
				memcpy(p->out + p->out_len, p->text + p->pos, eol);
				p->out_len += eol;
				p->pos += eol;
				p->line++;
				continue;
			}
			p->out[p->out_len++] = c;
			p->pos++;
		}
	} else {
		while (p->pos < p->len && p->text[p->pos] != ',' && !line_end_at(p, p->pos)) {
			char c = p->text[p->pos];
			if (c == '"')
				return fail(p, p->line, "quote inside an unquoted field");
			if (c == '\0')
				return fail(p, p->line, "NUL byte in text");
			p->out[p->out_len++] = c;
			p->pos++;
		}
	}
	p->out[p->out_len++] = '\0';
	return 0;
}

static int record_read(struct csv_parser *p, csv_row_fn fn, void *ctx)
{
	size_t start_line = p->line;
	p->n_fields = 0;
	p->out_len = 0;
	for (;;) {
		int rc = field_read(p);
		if (rc)
			return rc;
		if (p->pos < p->len && p->text[p->pos] == ',') {
			p->pos++;
			continue;
		}
		break;
	}
	size_t eol = line_end_at(p, p->pos);
	if (eol) {
		p->pos += eol;
		p->line++;
	}
	for (size_t i = 0; i < p->n_fields; i++)
		p->fields[i] = p->out + (uintptr_t)p->fields[i];
	struct csv_row row = {.line = start_line, .n_fields = p->n_fields, .fields = p->fields};
	return fn(&row, ctx);
}

int csv_parse(const char *text, size_t len, csv_row_fn fn, void *ctx, struct csv_error *err)
{
	struct csv_parser p = {.text = text, .len = len, .line = 1, .err = err};
	int rc = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	p.out = malloc(len + 1);
	if (!p.out)
		return CSV_E_NOMEM;
	while (p.pos < p.len) {
		size_t eol = line_end_at(&p, p.pos);
		if (eol) { /* an empty line */
			p.pos += eol;
			p.line++;
			continue;
		}
		rc = record_read(&p, fn, ctx);
		if (rc)
			break;
	}
	free(p.fields);
	free(p.out);
	return rc;
}

bool csv_utf8_valid(const char *text, size_t len, size_t *bad_offset)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			goto bad;
		}
		if (i + n >= len)
			goto bad; /* truncated sequence */
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto bad;
		i += n + 1;
	}
	return true;
bad:
	if (bad_offset)
		*bad_offset = i;
	return false;
}
