/* app/core/manifest.c: header mapping and row validation of the arrivals manifest. The
 * column names and accepted values are documented in docs/manifest.md; keep both in step. */
#include "app/core/manifest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct column_spec {
	const char *name;  /* canonical English header */
	const char *alias; /* Chinese header as station staff write it */
	bool required;
};

static const struct column_spec columns[MANIFEST_COL_COUNT] = {
    [MANIFEST_COL_BATCH] = {"batch", "批次", true},
    [MANIFEST_COL_NAME] = {"name", "姓名", true},
    [MANIFEST_COL_DOC_TYPE] = {"doc_type", "证件类型", true},
    [MANIFEST_COL_DOC_NUMBER] = {"doc_number", "证件号码", true},
    [MANIFEST_COL_NATIONALITY] = {"nationality", "国籍", false},
    [MANIFEST_COL_PHONE] = {"phone", "电话", false},
    [MANIFEST_COL_CATEGORY] = {"category", "类别", true},
    [MANIFEST_COL_TERM] = {"term", "隔离期限", true},
    [MANIFEST_COL_GROUP] = {"group_id", "家庭编号", false},
    [MANIFEST_COL_ARRIVAL_DAY] = {"arrival_day", "预计到达日期", true},
    [MANIFEST_COL_ELDERLY] = {"elderly", "老人", false},
    [MANIFEST_COL_CHILD] = {"child", "儿童", false},
    [MANIFEST_COL_PREGNANT] = {"pregnant", "孕妇", false},
    [MANIFEST_COL_DIETARY] = {"dietary", "饮食", false},
    [MANIFEST_COL_NOTES] = {"notes", "备注", false},
};

static const char *const ignored_columns[] = {"no", "序号"};

struct alias {
	const char *alias;
	const char *canonical;
};

static const struct alias doc_types[] = {
    {"id_card", "id_card"},
    {"passport", "passport"},
    {"hk_macao_permit", "hk_macao_permit"},
    {"taiwan_permit", "taiwan_permit"},
    {"other", "other"},
    {"身份证", "id_card"},
    {"居民身份证", "id_card"},
    {"护照", "passport"},
    {"港澳通行证", "hk_macao_permit"},
    {"港澳居民来往内地通行证", "hk_macao_permit"},
    {"台胞证", "taiwan_permit"},
    {"台湾居民来往大陆通行证", "taiwan_permit"},
    {"其他", "other"},
};

static const struct alias category_aliases[] = {
    {"入境", "inbound"},
    {"入境人员", "inbound"},
    {"密接", "close_contact"},
    {"密切接触者", "close_contact"},
    {"次密接", "secondary_contact"},
    {"密接的密接", "secondary_contact"},
};

static void say(char *reason, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *reason, size_t size, const char *fmt, ...)
{
	va_list ap;
	if (!reason || size == 0)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(reason, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n < size)
		return;
	/* cut: never leave half a character of a quoted value at the end */
	size_t len = strlen(reason), start = len;
	while (start > 0 && ((unsigned char)reason[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0 || (unsigned char)reason[start - 1] < 0xC0)
		return;
	unsigned char lead = (unsigned char)reason[start - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (len - (start - 1) < need)
		reason[start - 1] = '\0';
}

/* Bytes of a value of n bytes at b quoted in a reason: at most max, never half a
 * character. */
static size_t quote_len(const char *b, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)b[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Bounds of s without ASCII blanks and the ideographic space U+3000 at either end. */
static void trim_bounds(const char *s, const char **b, size_t *n)
{
	const char *e = s + strlen(s);
	for (;;) {
		if (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
		else if (e - s >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - s >= 3 && memcmp(e - 3, "\xE3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	*b = s;
	*n = (size_t)(e - s);
}

static bool equal_fold(const char *s, size_t n, const char *want)
{
	if (strlen(want) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) != tolower((unsigned char)want[i]))
			return false;
	return true;
}

const char *manifest_column_name(enum manifest_column c)
{
	return (unsigned)c < MANIFEST_COL_COUNT ? columns[c].name : "?";
}

int manifest_columns_map(const struct csv_row *header, struct manifest_columns *cols, char *reason,
                         size_t size)
{
	for (int c = 0; c < MANIFEST_COL_COUNT; c++)
		cols->index[c] = -1;
	cols->n_header = header->n_fields;
	for (size_t i = 0; i < header->n_fields; i++) {
		const char *b;
		size_t n;
		trim_bounds(header->fields[i], &b, &n);
		int found = -1;
		for (int c = 0; c < MANIFEST_COL_COUNT && found < 0; c++)
			if (equal_fold(b, n, columns[c].name) || equal_fold(b, n, columns[c].alias))
				found = c;
		if (found < 0) {
			bool ignored = false;
			for (size_t k = 0; k < sizeof(ignored_columns) / sizeof(*ignored_columns);
			     k++)
				ignored |= equal_fold(b, n, ignored_columns[k]);
			if (ignored)
				continue;
			say(reason, size, "unknown column '%.*s' (column %zu)",
			    (int)quote_len(b, n, 60), b, i + 1);
			return -1;
		}
		if (cols->index[found] >= 0) {
			say(reason, size, "column '%s' appears twice", columns[found].name);
			return -1;
		}
		cols->index[found] = (int)i;
	}
	for (int c = 0; c < MANIFEST_COL_COUNT; c++) {
		if (columns[c].required && cols->index[c] < 0) {
			say(reason, size, "required column '%s' is missing", columns[c].name);
			return -1;
		}
	}
	return 0;
}

bool manifest_row_blank(const struct csv_row *row)
{
	for (size_t i = 0; i < row->n_fields; i++) {
		const char *b;
		size_t n;
		trim_bounds(row->fields[i], &b, &n);
		if (n)
			return false;
	}
	return true;
}

static bool parse_int_range(const char *s, size_t n, int lo, int hi, int *out)
{
	if (n == 0 || n > 4)
		return false;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool manifest_term_parse(const char *s, int *onsite_days, int *home_days)
{
	const char *b;
	size_t n;
	if (!s)
		return false;
	trim_bounds(s, &b, &n);
	const char *plus = memchr(b, '+', n);
	int on, home = 0;
	if (!plus)
		return parse_int_range(b, n, 1, 99, &on) &&
		       (*onsite_days = on, *home_days = 0, true);
	if (!parse_int_range(b, (size_t)(plus - b), 1, 99, &on) ||
	    !parse_int_range(plus + 1, n - (size_t)(plus - b) - 1, 0, 99, &home))
		return false;
	*onsite_days = on;
	*home_days = home;
	return true;
}

static const char *alias_lookup(const struct alias *t, size_t count, const char *b, size_t n)
{
	for (size_t i = 0; i < count; i++)
		if (equal_fold(b, n, t[i].alias))
			return t[i].canonical;
	return NULL;
}

const char *manifest_doc_type_canonical(const char *s)
{
	const char *b;
	size_t n;
	if (!s)
		return NULL;
	trim_bounds(s, &b, &n);
	return alias_lookup(doc_types, sizeof(doc_types) / sizeof(*doc_types), b, n);
}

bool manifest_day_parse(const char *s, hk_day *out)
{
	const char *b;
	size_t n;
	if (!s)
		return false;
	trim_bounds(s, &b, &n);
	char buf[16];
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, b, n);
	buf[n] = '\0';
	if (day_parse(buf, out))
		return true;
	/* 2026/11/9 or 2026/11/09 */
	const char *s1 = memchr(buf, '/', n);
	const char *s2 = s1 ? memchr(s1 + 1, '/', (size_t)(buf + n - s1 - 1)) : NULL;
	int y, m, d;
	if (!s2 || !parse_int_range(buf, (size_t)(s1 - buf), 1900, 9999, &y) || (s1 - buf) != 4 ||
	    !parse_int_range(s1 + 1, (size_t)(s2 - s1 - 1), 1, 12, &m) || s2 - s1 - 1 > 2 ||
	    !parse_int_range(s2 + 1, (size_t)(buf + n - s2 - 1), 1, 31, &d) || buf + n - s2 - 1 > 2)
		return false;
	hk_day day = day_from_ymd(y, m, d);
	int y2, m2, d2;
	day_to_ymd(day, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		return false;
	*out = day;
	return true;
}

bool manifest_id_card_valid(const char *s)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[11] = "10X98765432";
	if (!s || strlen(s) != 18)
		return false;
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		sum += (s[i] - '0') * weight[i];
	}
	return toupper((unsigned char)s[17]) == check[sum % 11];
}

/* The trimmed text of a column, or "" when the file has no such column or field. */
static void field_of(const struct manifest_columns *cols, const struct csv_row *row,
                     enum manifest_column c, const char **b, size_t *n)
{
	int i = cols->index[c];
	if (i < 0 || (size_t)i >= row->n_fields) {
		*b = "";
		*n = 0;
		return;
	}
	trim_bounds(row->fields[i], b, n);
}

static int copy_text(const struct manifest_columns *cols, const struct csv_row *row,
                     enum manifest_column c, char *dst, size_t dst_size, char *reason, size_t size)
{
	const char *b;
	size_t n;
	field_of(cols, row, c, &b, &n);
	if (n == 0 && columns[c].required) {
		say(reason, size, "%s is empty", columns[c].name);
		return -1;
	}
	if (n >= dst_size) {
		say(reason, size, "%s is longer than %zu bytes", columns[c].name, dst_size - 1);
		return -1;
	}
	bool free_text = c == MANIFEST_COL_NOTES || c == MANIFEST_COL_DIETARY;
	if (!free_text && (memchr(b, '\n', n) || memchr(b, '\r', n))) {
		say(reason, size, "%s contains a line break", columns[c].name);
		return -1;
	}
	memcpy(dst, b, n);
	dst[n] = '\0';
	return 0;
}

static int parse_flag(const struct manifest_columns *cols, const struct csv_row *row,
                      enum manifest_column c, bool *out, char *reason, size_t size)
{
	static const char *const yes[] = {"1", "y", "yes", "true", "是", "√"};
	static const char *const no[] = {"0", "n", "no", "false", "否"};
	const char *b;
	size_t n;
	field_of(cols, row, c, &b, &n);
	*out = false;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (equal_fold(b, n, yes[i]))
			return (*out = true), 0;
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (equal_fold(b, n, no[i]))
			return 0;
	say(reason, size, "%s must be empty, 1/0, yes/no or 是/否", columns[c].name);
	return -1;
}

static bool doc_number_ok(const char *doc_type, char *num)
{
	for (char *p = num; *p; p++) {
		*p = (char)toupper((unsigned char)*p);
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
	}
	size_t n = strlen(num);
	if (strcmp(doc_type, "id_card") == 0)
		return manifest_id_card_valid(num);
	return n >= 5 && n <= 24;
}

int manifest_row_parse(const struct manifest_columns *cols, const struct csv_row *row,
                       struct arrival_record *out, char *reason, size_t size)
{
	const char *b;
	size_t n;
	char buf[64];
	memset(out, 0, sizeof(*out));
	for (size_t i = cols->n_header; i < row->n_fields; i++) {
		trim_bounds(row->fields[i], &b, &n);
		if (n) {
			say(reason, size, "%zu fields, but the header has %zu", row->n_fields,
			    cols->n_header);
			return -1;
		}
	}
	if (copy_text(cols, row, MANIFEST_COL_BATCH, out->batch, sizeof(out->batch), reason,
	              size) ||
	    copy_text(cols, row, MANIFEST_COL_NAME, out->name, sizeof(out->name), reason, size) ||
	    copy_text(cols, row, MANIFEST_COL_DOC_NUMBER, out->doc_number, sizeof(out->doc_number),
	              reason, size) ||
	    copy_text(cols, row, MANIFEST_COL_NATIONALITY, out->nationality,
	              sizeof(out->nationality), reason, size) ||
	    copy_text(cols, row, MANIFEST_COL_PHONE, out->phone, sizeof(out->phone), reason,
	              size) ||
	    copy_text(cols, row, MANIFEST_COL_GROUP, out->group_id, sizeof(out->group_id), reason,
	              size) ||
	    copy_text(cols, row, MANIFEST_COL_DIETARY, out->dietary, sizeof(out->dietary), reason,
	              size) ||
	    copy_text(cols, row, MANIFEST_COL_NOTES, out->notes, sizeof(out->notes), reason, size))
		return -1;

	field_of(cols, row, MANIFEST_COL_DOC_TYPE, &b, &n);
	const char *doc = NULL;
	if (n < sizeof(buf)) {
		memcpy(buf, b, n);
		buf[n] = '\0';
		doc = manifest_doc_type_canonical(buf);
	}
	if (!doc) {
		say(reason, size,
		    "doc_type '%.*s' is not one of id_card, passport, hk_macao_permit, "
		    "taiwan_permit, other",
		    (int)quote_len(b, n, 40), b);
		return -1;
	}
	snprintf(out->doc_type, sizeof(out->doc_type), "%s", doc);
	if (!doc_number_ok(doc, out->doc_number)) {
		say(reason, size, "doc_number is not a valid %s number", doc);
		return -1;
	}

	field_of(cols, row, MANIFEST_COL_CATEGORY, &b, &n);
	const char *cat = alias_lookup(category_aliases,
	                               sizeof(category_aliases) / sizeof(*category_aliases), b, n);
	if (n < sizeof(buf)) {
		memcpy(buf, b, n);
		buf[n] = '\0';
		for (char *p = buf; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	} else {
		buf[0] = '\0';
	}
	if (!category_parse(cat ? cat : buf, &out->category)) {
		say(reason, size,
		    "category '%.*s' is not one of inbound, close_contact, secondary_contact",
		    (int)quote_len(b, n, 40), b);
		return -1;
	}

	field_of(cols, row, MANIFEST_COL_TERM, &b, &n);
	buf[0] = '\0';
	if (n < sizeof(buf)) {
		memcpy(buf, b, n);
		buf[n] = '\0';
	}
	if (!manifest_term_parse(buf, &out->onsite_days, &out->home_days)) {
		say(reason, size, "term '%.*s' is not like 14, 14+7 or 21+7",
		    (int)quote_len(b, n, 20), b);
		return -1;
	}

	field_of(cols, row, MANIFEST_COL_ARRIVAL_DAY, &b, &n);
	buf[0] = '\0';
	if (n < sizeof(buf)) {
		memcpy(buf, b, n);
		buf[n] = '\0';
	}
	if (!manifest_day_parse(buf, &out->expected_day)) {
		say(reason, size, "arrival_day '%.*s' is not a date like 2026-11-29",
		    (int)quote_len(b, n, 20), b);
		return -1;
	}

	if (parse_flag(cols, row, MANIFEST_COL_ELDERLY, &out->elderly, reason, size) ||
	    parse_flag(cols, row, MANIFEST_COL_CHILD, &out->child, reason, size) ||
	    parse_flag(cols, row, MANIFEST_COL_PREGNANT, &out->pregnant, reason, size))
		return -1;
	return 0;
}
