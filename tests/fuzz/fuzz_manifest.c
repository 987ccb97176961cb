/* tests/fuzz/fuzz_manifest.c: libFuzzer harness for the manifest CSV: the CSV reader, the
 * header map and the row rules, on the raw text (first byte even) or on rows under a fixed
 * valid header (first byte odd); then the field parsers alone on the same bytes.
 * fuzz-sources: app/core/csv.c app/core/manifest.c app/core/types.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/csv.h"
#include "app/core/manifest.h"
#include "tests/fuzz/utf8_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char header[] = "batch,name,doc_type,doc_number,nationality,phone,category,term,"
                             "group_id,arrival_day,elderly,child,pregnant,dietary,notes\n";

struct ctx {
	bool have_header;
	bool header_ok;
	bool text_utf8; /* the whole text is well-formed UTF-8 */
	size_t last_line;
	struct manifest_columns cols;
};

static void check_string(const char *s, size_t size, bool utf8)
{
	size_t len = strnlen(s, size);
	if (len >= size || (utf8 && !fuzz_utf8_valid(s, len)))
		abort();
}

static void check_record(const struct arrival_record *a, bool utf8)
{
	check_string(a->batch, sizeof a->batch, utf8);
	check_string(a->name, sizeof a->name, utf8);
	check_string(a->doc_type, sizeof a->doc_type, utf8);
	check_string(a->doc_number, sizeof a->doc_number, utf8);
	check_string(a->nationality, sizeof a->nationality, utf8);
	check_string(a->phone, sizeof a->phone, utf8);
	check_string(a->group_id, sizeof a->group_id, utf8);
	check_string(a->dietary, sizeof a->dietary, utf8);
	check_string(a->notes, sizeof a->notes, utf8);
	check_string(a->subject_id, sizeof a->subject_id, utf8);
	if (a->id != 0 || a->subject_id[0] || a->batch[0] == '\0' || a->name[0] == '\0')
		abort();
	if ((unsigned)a->category >= CATEGORY_COUNT || a->onsite_days < 1 || a->onsite_days > 99 ||
	    a->home_days < 0 || a->home_days > 99)
		abort();
	if (!manifest_doc_type_canonical(a->doc_type) ||
	    strcmp(manifest_doc_type_canonical(a->doc_type), a->doc_type) != 0)
		abort();
	if (strcmp(a->doc_type, "id_card") == 0 && !manifest_id_card_valid(a->doc_number))
		abort();
}

static int on_row(const struct csv_row *row, void *p)
{
	struct ctx *c = p;
	char reason[160];
	if (row->n_fields == 0 || !row->fields || row->line < c->last_line)
		abort();
	c->last_line = row->line;
	for (size_t i = 0; i < row->n_fields; i++)
		if (!row->fields[i])
			abort();
	if (!c->have_header) {
		c->have_header = true;
		memset(reason, 'x', sizeof reason);
		c->header_ok = manifest_columns_map(row, &c->cols, reason, sizeof reason) == 0;
		if (!c->header_ok) {
			check_string(reason, sizeof reason, c->text_utf8);
			return 0;
		}
		for (int k = 0; k < MANIFEST_COL_COUNT; k++)
			if (c->cols.index[k] < -1 || c->cols.index[k] >= (int)c->cols.n_header)
				abort();
		return 0;
	}
	if (!c->header_ok || manifest_row_blank(row))
		return 0;
	struct arrival_record a;
	memset(reason, 'x', sizeof reason);
	if (manifest_row_parse(&c->cols, row, &a, reason, sizeof reason) == 0)
		check_record(&a, c->text_utf8);
	else
		check_string(reason, sizeof reason, c->text_utf8);
	/* a small reason buffer must be cut at a character, not overrun */
	char small[7];
	if (manifest_row_parse(&c->cols, row, &a, small, sizeof small) != 0)
		check_string(small, sizeof small, c->text_utf8);
	return 0;
}

static void fuzz_fields(const char *s)
{
	int on, home;
	hk_day day;
	if (manifest_term_parse(s, &on, &home) && (on < 1 || on > 99 || home < 0 || home > 99))
		abort();
	if (manifest_day_parse(s, &day) && (day < -719468 || day > 2932896))
		abort(); /* years 0..9999 */
	manifest_id_card_valid(s);
	const char *t = manifest_doc_type_canonical(s);
	if (t && manifest_doc_type_canonical(t) != t && strcmp(manifest_doc_type_canonical(t), t))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool with_header = data[0] & 1;
	size_t hlen = with_header ? sizeof header - 1 : 0, n = size - 1;
	char *text = malloc(hlen + n + 1);
	if (!text)
		abort();
	memcpy(text, header, hlen);
	memcpy(text + hlen, data + 1, n);
	text[hlen + n] = '\0';
	struct ctx c = {0};
	size_t bad;
	c.text_utf8 = csv_utf8_valid(text, hlen + n, &bad);
	if (c.text_utf8 != fuzz_utf8_valid(text, hlen + n))
		abort();
	if (!c.text_utf8 && bad >= hlen + n)
		abort();
	struct csv_error err = {0};
	int rc = csv_parse(text, hlen + n, on_row, &c, &err);
	if (rc != 0 && rc != CSV_E_SYNTAX && rc != CSV_E_NOMEM)
		abort();
	if (rc == CSV_E_SYNTAX && (!err.reason || err.line < 1))
		abort();
	if (!memchr(text, '\0', hlen + n))
		fuzz_fields(text + hlen);
	free(text);
	return 0;
}
