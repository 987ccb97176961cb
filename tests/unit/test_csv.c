/* tests/unit/test_csv.c: the RFC 4180 reader of app/core/csv (BOM, quoting, embedded line
 * breaks, CRLF, line numbers of records and of faults) and the manifest row rules of
 * app/core/manifest (columns, aliases, every validation with its reason). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/core/csv.h"
#include "app/core/manifest.h"

/* Rows flattened as "line|f1|f2|...\n" so that a test compares one string. */
struct collect {
	char text[2048];
	size_t rows;
	int stop_after; /* 0: never */
};

static int collect_row(const struct csv_row *row, void *ctx)
{
	struct collect *c = ctx;
	size_t n = strlen(c->text);
	n += (size_t)snprintf(c->text + n, sizeof(c->text) - n, "%zu", row->line);
	for (size_t i = 0; i < row->n_fields; i++)
		n += (size_t)snprintf(c->text + n, sizeof(c->text) - n, "|%s", row->fields[i]);
	snprintf(c->text + n, sizeof(c->text) - n, "\n");
	c->rows++;
	return c->stop_after && (int)c->rows == c->stop_after ? 7 : 0;
}

static int parse(const char *text, struct collect *c, struct csv_error *err)
{
	memset(c, 0, sizeof(*c));
	return csv_parse(text, strlen(text), collect_row, c, err);
}

static void test_plain_lf_and_crlf(void **state)
{
	(void)state;
	struct collect c;
	assert_int_equal(parse("a,b,c\n1,2,3\n", &c, NULL), 0);
	assert_string_equal(c.text, "1|a|b|c\n2|1|2|3\n");
	assert_int_equal(parse("a,b\r\n1,2\r\n", &c, NULL), 0);
	assert_string_equal(c.text, "1|a|b\n2|1|2\n");
	/* last line without a line end; empty fields kept; blank lines skipped */
	assert_int_equal(parse("a,,c\n\n\r\n,\nx", &c, NULL), 0);
	assert_string_equal(c.text, "1|a||c\n4||\n5|x\n");
}

static void test_bom_is_skipped(void **state)
{
	(void)state;
	struct collect c;
	assert_int_equal(parse("\xEF\xBB\xBFname,batch\r\n张伟,CA908\r\n", &c, NULL), 0);
	assert_string_equal(c.text, "1|name|batch\n2|张伟|CA908\n");
	/* a BOM anywhere else is text */
	assert_int_equal(parse("a\n\xEF\xBB\xBF"
	                       "b\n",
	                       &c, NULL),
	                 0);
	assert_string_equal(c.text, "1|a\n2|\xEF\xBB\xBF"
	                            "b\n");
}

static void test_quotes_and_embedded_newlines(void **state)
{
	(void)state;
	struct collect c;
	const char *text = "name,notes\n"
	                   "\"Li, Na\",\"she said \"\"hi\"\"\"\n"
	                   "Wang,\"two\nlines\"\n"
	                   "\"\",\"three\r\nlines\r\nhere\"\n"
	                   "Chen,after\n";
	assert_int_equal(parse(text, &c, NULL), 0);
	assert_string_equal(c.text, "1|name|notes\n"
	                            "2|Li, Na|she said \"hi\"\n"
	                            "3|Wang|two\nlines\n"
	                            "5||three\r\nlines\r\nhere\n"
	                            "8|Chen|after\n");
}

static void test_syntax_errors_carry_lines(void **state)
{
	(void)state;
	struct collect c;
	struct csv_error err = {0};
	assert_int_equal(parse("a,b\n1,\"open\n2,3\n", &c, &err), CSV_E_SYNTAX);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.reason, "unterminated quoted field");
	assert_int_equal(c.rows, 1); /* the rows before the fault were delivered */

	assert_int_equal(parse("a,b\n1,2\n3,x\"y\n", &c, &err), CSV_E_SYNTAX);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.reason, "quote inside an unquoted field");

	assert_int_equal(parse("a\n\"multi\nline\"x,2\n", &c, &err), CSV_E_SYNTAX);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.reason, "text after a closing quote");

	const char nul[] = "a,b\n1,\0\n";
	memset(&c, 0, sizeof(c));
	assert_int_equal(csv_parse(nul, sizeof(nul) - 1, collect_row, &c, &err), CSV_E_SYNTAX);
	assert_int_equal(err.line, 2);
}

static void test_callback_stops(void **state)
{
	(void)state;
	struct collect c;
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	const char *text = "a\nb\nc\n";
	assert_int_equal(csv_parse(text, strlen(text), collect_row, &c, NULL), 7);
	assert_int_equal(c.rows, 2);
}

static void test_utf8_validity(void **state)
{
	(void)state;
	size_t bad = 0;
	assert_true(csv_utf8_valid("plain ascii", 11, NULL));
	assert_true(csv_utf8_valid("张伟 😀", strlen("张伟 😀"), NULL));
	/* GB18030 for 张伟 */
	assert_false(csv_utf8_valid("ab\xD5\xC5\xCE\xB0", 6, &bad));
	assert_int_equal(bad, 2);
	assert_false(csv_utf8_valid("\xC0\xAF", 2, &bad));     /* overlong '/' */
	assert_false(csv_utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
	assert_false(csv_utf8_valid("x\xE5\xBC", 3, &bad));    /* truncated */
	assert_int_equal(bad, 1);
	assert_false(csv_utf8_valid("\xF4\x90\x80\x80", 4, &bad)); /* > U+10FFFF */
}

/* ---- manifest rules ---- */

static const char *header_en[] = {"batch", "name",     "doc_type",    "doc_number", "category",
                                  "term",  "group_id", "arrival_day", "elderly",    "notes"};

static struct csv_row row_of(char **fields, size_t n, size_t line)
{
	struct csv_row r = {.line = line, .n_fields = n, .fields = fields};
	return r;
}

static void map_english(struct manifest_columns *cols)
{
	char *f[10];
	char reason[128];
	for (int i = 0; i < 10; i++)
		f[i] = (char *)header_en[i];
	struct csv_row h = row_of(f, 10, 1);
	assert_int_equal(manifest_columns_map(&h, cols, reason, sizeof(reason)), 0);
}

static void test_manifest_header(void **state)
{
	(void)state;
	struct manifest_columns cols;
	char reason[128];
	char *zh[] = {"序号", " 批次 ",   "姓名",         "证件类型", "证件号码",
	              "类别", "隔离期限", "预计到达日期", "BATCH_X"};
	struct csv_row h = row_of(zh, 8, 1);
	assert_int_equal(manifest_columns_map(&h, &cols, reason, sizeof(reason)), 0);
	assert_int_equal(cols.index[MANIFEST_COL_BATCH], 1);
	assert_int_equal(cols.index[MANIFEST_COL_ARRIVAL_DAY], 7);
	assert_int_equal(cols.index[MANIFEST_COL_PHONE], -1);

	h = row_of(zh, 9, 1);
	assert_int_equal(manifest_columns_map(&h, &cols, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "unknown column 'BATCH_X' (column 9)");

	char *dup[] = {"batch", "name", "Name"};
	h = row_of(dup, 3, 1);
	assert_int_equal(manifest_columns_map(&h, &cols, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "column 'name' appears twice");

	char *missing[] = {"batch", "name", "doc_type", "doc_number", "category", "term"};
	h = row_of(missing, 6, 1);
	assert_int_equal(manifest_columns_map(&h, &cols, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "required column 'arrival_day' is missing");
}

struct row_case {
	const char *fields[10]; /* in header_en order */
	const char *reason;     /* NULL: valid */
};

static void test_manifest_rows(void **state)
{
	(void)state;
	struct manifest_columns cols;
	map_english(&cols);
	static const struct row_case cases[] = {
	    {{"CA908", "张伟", "id_card", "440305198001011235", "inbound", "14+7", "F1",
	      "2026-11-29", "", ""},
	     NULL},
	    {{"CA908", "张伟", "护照", "e1234567", "密接", "14", "", "2026/1/9", "是", ""}, NULL},
	    {{"", "张伟", "id_card", "440305198001011235", "inbound", "14", "", "2026-11-29", "",
	      ""},
	     "batch is empty"},
	    {{"CA908", "张伟", "drivers_licence", "X1234567", "inbound", "14", "", "2026-11-29", "",
	      ""},
	     "doc_type 'drivers_licence' is not one of id_card, passport, hk_macao_permit, "
	     "taiwan_permit, other"},
	    {{"CA908", "张伟", "id_card", "440305198001011234", "inbound", "14", "", "2026-11-29",
	      "", ""},
	     "doc_number is not a valid id_card number"},
	    {{"CA908", "张伟", "passport", "E12", "inbound", "14", "", "2026-11-29", "", ""},
	     "doc_number is not a valid passport number"},
	    {{"CA908", "张伟", "passport", "E1234567", "tourist", "14", "", "2026-11-29", "", ""},
	     "category 'tourist' is not one of inbound, close_contact, secondary_contact"},
	    {{"CA908", "张伟", "passport", "E1234567", "inbound", "14 days", "", "2026-11-29", "",
	      ""},
	     "term '14 days' is not like 14, 14+7 or 21+7"},
	    {{"CA908", "张伟", "passport", "E1234567", "inbound", "14", "", "2026-02-30", "", ""},
	     "arrival_day '2026-02-30' is not a date like 2026-11-29"},
	    {{"CA908", "张伟", "passport", "E1234567", "inbound", "14", "", "2026-11-29", "maybe",
	      ""},
	     "elderly must be empty, 1/0, yes/no or 是/否"},
	    {{"CA908", "张\n伟", "passport", "E1234567", "inbound", "14", "", "2026-11-29", "", ""},
	     "name contains a line break"},
	    {{"CA908", "张伟", "passport", "E1234567", "inbound", "14", "", "2026-11-29", "",
	      "notes may\nspan lines"},
	     NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *f[10];
		char reason[256] = "";
		struct arrival_record a;
		for (int k = 0; k < 10; k++)
			f[k] = (char *)cases[i].fields[k];
		struct csv_row r = row_of(f, 10, i + 2);
		int rc = manifest_row_parse(&cols, &r, &a, reason, sizeof(reason));
		if (!cases[i].reason) {
			if (rc != 0)
				fail_msg("case %zu refused: %s", i, reason);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(reason, cases[i].reason);
		}
	}
	/* the values a valid row yields */
	char *f[] = {" CA908 ", "张伟", "护照",     "e1234567", "次密接",
	             "21+7",    "F1",   "2026/1/9", "是",       ""};
	char reason[128];
	struct arrival_record a;
	struct csv_row r = row_of(f, 10, 2);
	assert_int_equal(manifest_row_parse(&cols, &r, &a, reason, sizeof(reason)), 0);
	assert_string_equal(a.batch, "CA908");
	assert_string_equal(a.doc_type, "passport");
	assert_string_equal(a.doc_number, "E1234567");
	assert_int_equal(a.category, CATEGORY_SECONDARY_CONTACT);
	assert_int_equal(a.onsite_days, 21);
	assert_int_equal(a.home_days, 7);
	assert_int_equal(a.expected_day, day_from_ymd(2026, 1, 9));
	assert_true(a.elderly);
	assert_false(a.child);
	assert_string_equal(a.subject_id, "");

	/* a row longer than the header with text in the extra field */
	char *g[] = {"CA908", "张伟",       "passport", "E1234567", "inbound", "14",
	             "",      "2026-11-29", "",         "",         "stray"};
	r = row_of(g, 11, 3);
	assert_int_equal(manifest_row_parse(&cols, &r, &a, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "11 fields, but the header has 10");
}

/* A value quoted in a reason is cut at a character, and so is a reason too long for its
 * buffer: a reason is always valid UTF-8 (found by tests/fuzz/fuzz_manifest_store.c: a
 * category of Chinese text was cut after 40 bytes, inside a character). */
static void test_manifest_reasons_cut_at_characters(void **state)
{
	(void)state;
	struct manifest_columns cols;
	map_english(&cols);
	/* "x" then 20 three-byte characters: 40 bytes end inside the 14th */
	char category[64] = "x";
	for (int i = 0; i < 20; i++)
		strcat(category, "类");
	char *f[] = {"CA908", "张伟", "passport",   "E1234567", category,
	             "14",    "",     "2026-11-29", "",         ""};
	struct csv_row r = row_of(f, 10, 2);
	struct arrival_record a;
	char reason[256];
	assert_int_equal(manifest_row_parse(&cols, &r, &a, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "category 'x类类类类类类类类类类类类类' is not one of inbound, "
	                            "close_contact, secondary_contact");
	/* the whole reason cut by a small buffer: "category 'x" + 1 byte of 类 + NUL */
	char small[14];
	assert_int_equal(manifest_row_parse(&cols, &r, &a, small, sizeof(small)), -1);
	assert_string_equal(small, "category 'x");
	char fits[15];
	assert_int_equal(manifest_row_parse(&cols, &r, &a, fits, sizeof(fits)), -1);
	assert_string_equal(fits, "category 'x类");
}

static void test_manifest_terms_days_ids(void **state)
{
	(void)state;
	int on = -1, home = -1;
	assert_true(manifest_term_parse("14", &on, &home));
	assert_int_equal(on, 14);
	assert_int_equal(home, 0);
	assert_true(manifest_term_parse(" 21+7 ", &on, &home));
	assert_int_equal(on, 21);
	assert_int_equal(home, 7);
	const char *bad_terms[] = {"", "0", "+7", "14+", "14+7+7", "1a", "100", "14 + 7", "-3"};
	for (size_t i = 0; i < sizeof(bad_terms) / sizeof(*bad_terms); i++)
		assert_false(manifest_term_parse(bad_terms[i], &on, &home));
	hk_day d;
	assert_true(manifest_day_parse("2026-11-29", &d));
	assert_true(manifest_day_parse("2024/2/29", &d));
	assert_int_equal(d, day_from_ymd(2024, 2, 29));
	assert_false(manifest_day_parse("2025/2/29", &d));
	assert_false(manifest_day_parse("26/11/29", &d));
	assert_false(manifest_day_parse("2026/011/29", &d));
	assert_false(manifest_day_parse("29.11.2026", &d));
	assert_true(manifest_id_card_valid("110105194910010015"));
	assert_false(manifest_id_card_valid("11010519491001001X"));
	assert_true(manifest_id_card_valid("440305198001011235"));
	assert_false(manifest_id_card_valid("440305198001011236"));
	assert_false(manifest_id_card_valid("44030519800101123"));
	assert_string_equal(manifest_doc_type_canonical("港澳通行证"), "hk_macao_permit");
	assert_string_equal(manifest_doc_type_canonical("Taiwan_Permit"), "taiwan_permit");
	assert_null(manifest_doc_type_canonical("licence"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_lf_and_crlf),
	    cmocka_unit_test(test_bom_is_skipped),
	    cmocka_unit_test(test_quotes_and_embedded_newlines),
	    cmocka_unit_test(test_syntax_errors_carry_lines),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_utf8_validity),
	    cmocka_unit_test(test_manifest_header),
	    cmocka_unit_test(test_manifest_rows),
	    cmocka_unit_test(test_manifest_terms_days_ids),
	    cmocka_unit_test(test_manifest_reasons_cut_at_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
