/* app/sync/protocol.c: JSON encoding and strict decoding of the sync messages with jansson.
 * Decoders check every member's presence, type and range, refuse unknown and duplicated
 * members, and bound every size, so a hostile body can cost at most SYNC_REQUEST_MAX. */
#include "app/sync/protocol.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	int status;
	const char *code;
	int http;
} status_table[] = {
    {SYNC_OK, "OK", 200},
    {SYNC_E_MALFORMED, "E_MALFORMED", 400},
    {SYNC_E_NOMEM, "E_INTERNAL", 500},
    {SYNC_E_UNAUTHENTICATED, "E_UNAUTHENTICATED", 401},
    {SYNC_E_FORBIDDEN, "E_FORBIDDEN", 403},
    {SYNC_E_BUSY, "E_BUSY", 503},
    {SYNC_E_INTERNAL, "E_INTERNAL", 500},
    {SYNC_E_TOO_LARGE, "E_TOO_LARGE", 413},
    {SYNC_E_NETWORK, "E_NETWORK", 0},
    {SYNC_E_NOT_FOUND, "E_NOT_FOUND", 404},
    {SYNC_E_METHOD, "E_METHOD", 405},
};

const char *sync_status_code(int status)
{
	for (size_t i = 0; i < sizeof(status_table) / sizeof(*status_table); i++)
		if (status_table[i].status == status)
			return status_table[i].code;
	return "E_INTERNAL";
}

int sync_status_http(int status)
{
	for (size_t i = 0; i < sizeof(status_table) / sizeof(*status_table); i++)
		if (status_table[i].status == status)
			return status_table[i].http;
	return 500;
}

int sync_status_from_code(const char *code)
{
	for (size_t i = 0; code && i < sizeof(status_table) / sizeof(*status_table); i++)
		if (strcmp(status_table[i].code, code) == 0)
			return status_table[i].status;
	return SYNC_E_INTERNAL;
}

static const char *const role_names[SYNC_ROLE_COUNT] = {"entrance", "security", "frontdesk"};

const char *sync_role_name(enum sync_role r)
{
	return (unsigned)r < SYNC_ROLE_COUNT ? role_names[r] : "?";
}

bool sync_role_parse(const char *s, enum sync_role *out)
{
	for (int i = 0; s && i < SYNC_ROLE_COUNT; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum sync_role)i;
			return true;
		}
	}
	return false;
}

/* docs/sync.md, "What each role may do". */
static const char *const role_kinds[SYNC_ROLE_COUNT][5] = {
    [SYNC_ROLE_ENTRANCE] = {"checkin", "wristband_void", "scan", "audit", NULL},
    [SYNC_ROLE_SECURITY] = {"scan", "audit", NULL},
    [SYNC_ROLE_FRONTDESK] = {"checkin", "risk_change", "wristband_void", "audit", NULL},
};

bool sync_role_may_push(enum sync_role r, const char *kind)
{
	if ((unsigned)r >= SYNC_ROLE_COUNT || !kind)
		return false;
	for (const char *const *k = role_kinds[r]; *k; k++)
		if (strcmp(*k, kind) == 0)
			return true;
	return false;
}

bool sync_role_may_lease(enum sync_role r)
{
	return r == SYNC_ROLE_ENTRANCE || r == SYNC_ROLE_FRONTDESK;
}

static bool chars_valid(const char *s, size_t max, bool upper, bool digits, bool dash)
{
	size_t n = 0;
	if (!s || !*s)
		return false;
	for (; s[n]; n++) {
		char c = s[n];
		bool ok = (c >= 'a' && c <= 'z') || c == '_' || (upper && c >= 'A' && c <= 'Z') ||
		          (digits && c >= '0' && c <= '9') || (dash && c == '-');
		if (!ok || n + 1 >= max)
			return false;
	}
	return true;
}

bool sync_device_id_valid(const char *s)
{
	return chars_valid(s, SYNC_ID_MAX, true, true, true);
}

bool sync_room_valid(const char *s)
{
	return chars_valid(s, SYNC_ROOM_MAX, true, true, true);
}

bool sync_kind_valid(const char *s)
{
	return chars_valid(s, SYNC_KIND_MAX, false, false, false);
}

bool sync_token_parse(const char *header, char device[SYNC_ID_MAX],
                      char secret[SYNC_SECRET_HEX + 1])
{
	static const char prefix[] = "Bearer ";
	if (!header || strncmp(header, prefix, sizeof(prefix) - 1) != 0)
		return false;
	const char *tok = header + sizeof(prefix) - 1;
	const char *dot = strchr(tok, '.');
	if (!dot || dot == tok || (size_t)(dot - tok) >= SYNC_ID_MAX)
		return false;
	memcpy(device, tok, (size_t)(dot - tok));
	device[dot - tok] = '\0';
	if (!sync_device_id_valid(device))
		return false;
	const char *hex = dot + 1;
	if (strlen(hex) != SYNC_SECRET_HEX)
		return false;
	for (int i = 0; i < SYNC_SECRET_HEX; i++) {
		char c = hex[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		secret[i] = c;
	}
	secret[SYNC_SECRET_HEX] = '\0';
	return true;
}

/* ---- decoding helpers ---- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return SYNC_E_MALFORMED;
}

/* Parse an object message with "v": 1 and only the allowed members. */
static json_t *load_message(const char *text, size_t len, const char *const *allowed, char *err,
                            size_t errlen)
{
	json_error_t jerr;
	if (!text || len > SYNC_REQUEST_MAX) {
		fail(err, errlen, "message missing or larger than %d bytes", SYNC_REQUEST_MAX);
		return NULL;
	}
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		fail(err, errlen, "not JSON: %s at %d", jerr.text, jerr.position);
		return NULL;
	}
	if (!json_is_object(root)) {
		fail(err, errlen, "not a JSON object");
		goto out_free;
	}
	const char *name;
	json_t *value;
	json_object_foreach(root, name, value)
	{
		bool known = strcmp(name, "v") == 0;
		for (const char *const *a = allowed; !known && *a; a++)
			known = strcmp(name, *a) == 0;
		if (!known) {
			fail(err, errlen, "unknown member \"%.32s\"", name);
			goto out_free;
		}
	}
	json_t *v = json_object_get(root, "v");
	if (!json_is_integer(v) || json_integer_value(v) != SYNC_PROTOCOL_VERSION) {
		fail(err, errlen, "\"v\" must be %d", SYNC_PROTOCOL_VERSION);
		goto out_free;
	}
	return root;
out_free:
	json_decref(root);
	return NULL;
}

/* Only the allowed members in a nested object. */
static bool members_only(json_t *obj, const char *const *allowed, const char **bad)
{
	const char *name;
	json_t *value;
	json_object_foreach(obj, name, value)
	{
		bool known = false;
		for (const char *const *a = allowed; !known && *a; a++)
			known = strcmp(name, *a) == 0;
		if (!known) {
			*bad = name;
			return false;
		}
	}
	return true;
}

static bool get_int(json_t *obj, const char *name, int64_t min, int64_t max, int64_t *out)
{
	json_t *v = json_object_get(obj, name);
	if (!json_is_integer(v))
		return false;
	json_int_t x = json_integer_value(v);
	if (x < min || x > max)
		return false;
	*out = x;
	return true;
}

static bool get_str(json_t *obj, const char *name, char *out, size_t max)
{
	json_t *v = json_object_get(obj, name);
	if (!json_is_string(v))
		return false;
	size_t n = json_string_length(v);
	if (n >= max || memchr(json_string_value(v), '\0', n))
		return false;
	memcpy(out, json_string_value(v), n + 1);
	return true;
}

/* A body member: a JSON object, serialized to at most SYNC_BODY_MAX bytes. */
static int get_body(json_t *obj, char **out, char *err, size_t errlen, const char *what,
                    long long seq)
{
	json_t *b = json_object_get(obj, "body");
	if (!json_is_object(b))
		return fail(err, errlen, "%s %lld: \"body\" must be an object", what, seq);
	char *text = json_dumps(b, JSON_COMPACT);
	if (!text)
		return SYNC_E_NOMEM;
	if (strlen(text) > SYNC_BODY_MAX) {
		free(text);
		return fail(err, errlen, "%s %lld: body larger than %d bytes", what, seq,
		            SYNC_BODY_MAX);
	}
	*out = text;
	return 0;
}

/* Parse body text back into JSON for encoding; it must be an object. */
static json_t *body_json(const char *text)
{
	if (!text || strlen(text) > SYNC_BODY_MAX)
		return NULL;
	json_t *b = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	if (b && !json_is_object(b)) {
		json_decref(b);
		return NULL;
	}
	return b;
}

static char *dump_free(json_t *root)
{
	if (!root)
		return NULL;
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return text;
}

/* ---- push ---- */

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Are the n seqs distinct? (sorted copy; n <= SYNC_BATCH_MAX) */
static int seqs_distinct(const int64_t *seqs, size_t n, bool *distinct)
{
	int64_t *copy = malloc((n ? n : 1) * sizeof(*copy));
	if (!copy)
		return SYNC_E_NOMEM;
	memcpy(copy, seqs, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_int64);
	*distinct = true;
	for (size_t i = 1; i < n; i++)
		if (copy[i] == copy[i - 1])
			*distinct = false;
	free(copy);
	return 0;
}

void sync_push_free(struct sync_push *p)
{
	if (!p)
		return;
	for (size_t i = 0; p->records && i < p->n; i++)
		free(p->records[i].body);
	free(p->records);
	p->records = NULL;
	p->n = 0;
}

char *sync_push_encode(const struct sync_push *p)
{
	if (!p || !sync_device_id_valid(p->device) || p->n == 0 || p->n > SYNC_BATCH_MAX)
		return NULL;
	json_t *root = json_pack("{s:i, s:s, s:[]}", "v", SYNC_PROTOCOL_VERSION, "device",
	                         p->device, "records");
	if (!root)
		return NULL;
	json_t *list = json_object_get(root, "records");
	for (size_t i = 0; i < p->n; i++) {
		const struct sync_record *r = &p->records[i];
		if (r->seq < 1 || r->seq > SYNC_SEQ_MAX || !sync_kind_valid(r->kind) || r->at < 0)
			goto out_free;
		json_t *body = body_json(r->body);
		if (!body)
			goto out_free;
		json_t *rec = json_pack("{s:I, s:s, s:I, s:o}", "seq", (json_int_t)r->seq, "kind",
		                        r->kind, "at", (json_int_t)r->at, "body", body);
		if (!rec || json_array_append_new(list, rec))
			goto out_free;
	}
	return dump_free(root);
out_free:
	json_decref(root);
	return NULL;
}

int sync_push_decode(const char *text, size_t len, struct sync_push *out, char *err, size_t errlen)
{
	static const char *const top[] = {"device", "records", NULL};
	static const char *const rec_members[] = {"seq", "kind", "at", "body", NULL};
	int status = SYNC_E_MALFORMED;
	int64_t *seqs = NULL;
	memset(out, 0, sizeof(*out));
	json_t *root = load_message(text, len, top, err, errlen);
	if (!root)
		return SYNC_E_MALFORMED;
	if (!get_str(root, "device", out->device, sizeof(out->device)) ||
	    !sync_device_id_valid(out->device)) {
		fail(err, errlen, "\"device\" must be a device id");
		goto out_free;
	}
	json_t *list = json_object_get(root, "records");
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > SYNC_BATCH_MAX) {
		fail(err, errlen, "\"records\" must be an array of 1..%d records", SYNC_BATCH_MAX);
		goto out_free;
	}
	size_t n = json_array_size(list);
	out->records = calloc(n, sizeof(*out->records));
	seqs = malloc(n * sizeof(*seqs));
	if (!out->records || !seqs) {
		status = SYNC_E_NOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *rec = json_array_get(list, i);
		struct sync_record *r = &out->records[i];
		const char *bad = NULL;
		out->n = i + 1;
		if (!json_is_object(rec)) {
			fail(err, errlen, "record %zu is not an object", i);
			goto out_free;
		}
		if (!members_only(rec, rec_members, &bad)) {
			fail(err, errlen, "record %zu: unknown member \"%.32s\"", i, bad);
			goto out_free;
		}
		if (!get_int(rec, "seq", 1, SYNC_SEQ_MAX, &r->seq)) {
			fail(err, errlen, "record %zu: \"seq\" must be an integer 1..2^53", i);
			goto out_free;
		}
		if (!get_str(rec, "kind", r->kind, sizeof(r->kind)) || !sync_kind_valid(r->kind)) {
			fail(err, errlen, "record %zu: \"kind\" must be [a-z_]{1,23}", i);
			goto out_free;
		}
		if (!get_int(rec, "at", 0, INT64_C(1) << 40, &r->at)) {
			fail(err, errlen, "record %zu: \"at\" must be unix seconds", i);
			goto out_free;
		}
		status = get_body(rec, &r->body, err, errlen, "record", (long long)r->seq);
		if (status)
			goto out_free;
		status = SYNC_E_MALFORMED;
		seqs[i] = r->seq;
	}
	bool distinct;
	status = seqs_distinct(seqs, n, &distinct);
	if (status)
		goto out_free;
	if (!distinct) {
		status = fail(err, errlen, "repeated \"seq\" in one batch");
		goto out_free;
	}
	free(seqs);
	json_decref(root);
	return 0;
out_free:
	free(seqs);
	sync_push_free(out);
	json_decref(root);
	return status;
}

/* ---- push reply ---- */

static const char *const result_names[SYNC_RESULT_COUNT] = {"stored", "duplicate", "conflict",
                                                            "reused"};

const char *sync_result_name(enum sync_result r)
{
	return (unsigned)r < SYNC_RESULT_COUNT ? result_names[r] : "?";
}

void sync_push_reply_free(struct sync_push_reply *r)
{
	if (!r)
		return;
	free(r->results);
	r->results = NULL;
	r->n = 0;
}

char *sync_push_reply_encode(const struct sync_push_reply *r)
{
	if (!r || r->n > SYNC_BATCH_MAX || r->held_through < 0 || r->held_through > SYNC_SEQ_MAX)
		return NULL;
	json_t *root = json_pack("{s:i, s:[], s:I}", "v", SYNC_PROTOCOL_VERSION, "results",
	                         "held_through", (json_int_t)r->held_through);
	if (!root)
		return NULL;
	json_t *list = json_object_get(root, "results");
	for (size_t i = 0; i < r->n; i++) {
		const struct sync_push_result *x = &r->results[i];
		if (x->seq < 1 || x->seq > SYNC_SEQ_MAX || (unsigned)x->status >= SYNC_RESULT_COUNT)
			goto out_free;
		json_t *item = json_pack("{s:I, s:s}", "seq", (json_int_t)x->seq, "status",
		                         result_names[x->status]);
		if (!item || json_array_append_new(list, item))
			goto out_free;
	}
	return dump_free(root);
out_free:
	json_decref(root);
	return NULL;
}

int sync_push_reply_decode(const char *text, size_t len, struct sync_push_reply *out, char *err,
                           size_t errlen)
{
	static const char *const top[] = {"results", "held_through", NULL};
	static const char *const item_members[] = {"seq", "status", NULL};
	int status = SYNC_E_MALFORMED;
	memset(out, 0, sizeof(*out));
	json_t *root = load_message(text, len, top, err, errlen);
	if (!root)
		return SYNC_E_MALFORMED;
	if (!get_int(root, "held_through", 0, SYNC_SEQ_MAX, &out->held_through)) {
		fail(err, errlen, "\"held_through\" must be an integer 0..2^53");
		goto out_free;
	}
	json_t *list = json_object_get(root, "results");
	if (!json_is_array(list) || json_array_size(list) > SYNC_BATCH_MAX) {
		fail(err, errlen, "\"results\" must be an array of at most %d", SYNC_BATCH_MAX);
		goto out_free;
	}
	size_t n = json_array_size(list);
	out->results = calloc(n ? n : 1, sizeof(*out->results));
	if (!out->results) {
		status = SYNC_E_NOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(list, i);
		struct sync_push_result *x = &out->results[i];
		char name[16];
		const char *bad = NULL;
		if (!json_is_object(item) || !members_only(item, item_members, &bad) ||
		    !get_int(item, "seq", 1, SYNC_SEQ_MAX, &x->seq) ||
		    !get_str(item, "status", name, sizeof(name))) {
			fail(err, errlen, "result %zu must be {seq, status}", i);
			goto out_free;
		}
		int k = 0;
		while (k < SYNC_RESULT_COUNT && strcmp(name, result_names[k]) != 0)
			k++;
		if (k == SYNC_RESULT_COUNT) {
			fail(err, errlen, "result %zu: unknown status", i);
			goto out_free;
		}
		x->status = (enum sync_result)k;
		out->n = i + 1;
	}
	json_decref(root);
	return 0;
out_free:
	sync_push_reply_free(out);
	json_decref(root);
	return status;
}

/* ---- pull ---- */

void sync_pull_reply_free(struct sync_pull_reply *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->changes && i < r->n; i++)
		free(r->changes[i].body);
	free(r->changes);
	r->changes = NULL;
	r->n = 0;
}

/* A change key: 1..127 bytes, no control characters. */
static bool key_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= SYNC_KEY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

char *sync_pull_reply_encode(const struct sync_pull_reply *r)
{
	if (!r || r->n > SYNC_PULL_LIMIT_MAX || r->cursor < 0 || r->cursor > SYNC_SEQ_MAX)
		return NULL;
	json_t *root = json_pack("{s:i, s:[], s:I, s:b}", "v", SYNC_PROTOCOL_VERSION, "changes",
	                         "cursor", (json_int_t)r->cursor, "more", r->more);
	if (!root)
		return NULL;
	json_t *list = json_object_get(root, "changes");
	for (size_t i = 0; i < r->n; i++) {
		const struct sync_change *c = &r->changes[i];
		if (c->seq < 1 || c->seq > SYNC_SEQ_MAX || !sync_kind_valid(c->kind) ||
		    !key_valid(c->key))
			goto out_free;
		json_t *body = body_json(c->body);
		if (!body)
			goto out_free;
		json_t *item = json_pack("{s:I, s:s, s:s, s:o}", "seq", (json_int_t)c->seq, "kind",
		                         c->kind, "key", c->key, "body", body);
		if (!item || json_array_append_new(list, item))
			goto out_free;
	}
	return dump_free(root);
out_free:
	json_decref(root);
	return NULL;
}

int sync_pull_reply_decode(const char *text, size_t len, struct sync_pull_reply *out, char *err,
                           size_t errlen)
{
	static const char *const top[] = {"changes", "cursor", "more", NULL};
	static const char *const item_members[] = {"seq", "kind", "key", "body", NULL};
	int status = SYNC_E_MALFORMED;
	memset(out, 0, sizeof(*out));
	json_t *root = load_message(text, len, top, err, errlen);
	if (!root)
		return SYNC_E_MALFORMED;
	json_t *more = json_object_get(root, "more");
	if (!get_int(root, "cursor", 0, SYNC_SEQ_MAX, &out->cursor) || !json_is_boolean(more)) {
		fail(err, errlen, "\"cursor\" (integer) and \"more\" (boolean) are required");
		goto out_free;
	}
	out->more = json_is_true(more);
	json_t *list = json_object_get(root, "changes");
	if (!json_is_array(list) || json_array_size(list) > SYNC_PULL_LIMIT_MAX) {
		fail(err, errlen, "\"changes\" must be an array of at most %d",
		     SYNC_PULL_LIMIT_MAX);
		goto out_free;
	}
	size_t n = json_array_size(list);
	out->changes = calloc(n ? n : 1, sizeof(*out->changes));
	if (!out->changes) {
		status = SYNC_E_NOMEM;
		goto out_free;
	}
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(list, i);
		struct sync_change *c = &out->changes[i];
		const char *bad = NULL;
		out->n = i + 1;
		if (!json_is_object(item) || !members_only(item, item_members, &bad) ||
		    !get_int(item, "seq", 1, SYNC_SEQ_MAX, &c->seq) ||
		    !get_str(item, "kind", c->kind, sizeof(c->kind)) || !sync_kind_valid(c->kind) ||
		    !get_str(item, "key", c->key, sizeof(c->key)) || !key_valid(c->key)) {
			fail(err, errlen, "change %zu must be {seq, kind, key, body}", i);
			goto out_free;
		}
		if (c->seq <= last) {
			fail(err, errlen, "change %zu: seq not increasing", i);
			goto out_free;
		}
		last = c->seq;
		status = get_body(item, &c->body, err, errlen, "change", (long long)c->seq);
		if (status)
			goto out_free;
		status = SYNC_E_MALFORMED;
	}
	if (n > 0 && out->cursor != last) {
		fail(err, errlen, "\"cursor\" must be the last change's seq");
		goto out_free;
	}
	json_decref(root);
	return 0;
out_free:
	sync_pull_reply_free(out);
	json_decref(root);
	return status;
}

/* Decimal digits only, value in [min, max]. */
static bool parse_decimal(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;
	if (!*s || strlen(s) > 16)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

int sync_pull_query_parse(const char *since, const char *limit, int64_t *since_out, int *limit_out)
{
	int64_t s = 0, l = SYNC_PULL_LIMIT_DEF;
	if (since && !parse_decimal(since, 0, SYNC_SEQ_MAX, &s))
		return SYNC_E_MALFORMED;
	if (limit && !parse_decimal(limit, 1, SYNC_PULL_LIMIT_MAX, &l))
		return SYNC_E_MALFORMED;
	*since_out = s;
	*limit_out = (int)l;
	return 0;
}

/* ---- leases ---- */

char *sync_lease_request_encode(const struct sync_lease_request *r)
{
	if (!r || r->want < 0 || r->want > SYNC_LEASE_MAX || r->n_returned < 0 ||
	    r->n_returned > SYNC_LEASE_MAX)
		return NULL;
	json_t *root =
	    json_pack("{s:i, s:i, s:[]}", "v", SYNC_PROTOCOL_VERSION, "want", r->want, "return");
	if (!root)
		return NULL;
	json_t *list = json_object_get(root, "return");
	for (int i = 0; i < r->n_returned; i++) {
		if (!sync_room_valid(r->returned[i]) ||
		    json_array_append_new(list, json_string(r->returned[i]))) {
			json_decref(root);
			return NULL;
		}
	}
	return dump_free(root);
}

int sync_lease_request_decode(const char *text, size_t len, struct sync_lease_request *out,
                              char *err, size_t errlen)
{
	static const char *const top[] = {"want", "return", NULL};
	int64_t want;
	memset(out, 0, sizeof(*out));
	json_t *root = load_message(text, len, top, err, errlen);
	if (!root)
		return SYNC_E_MALFORMED;
	if (!get_int(root, "want", 0, SYNC_LEASE_MAX, &want)) {
		fail(err, errlen, "\"want\" must be an integer 0..%d", SYNC_LEASE_MAX);
		goto out_free;
	}
	out->want = (int)want;
	json_t *list = json_object_get(root, "return");
	if (list && (!json_is_array(list) || json_array_size(list) > SYNC_LEASE_MAX)) {
		fail(err, errlen, "\"return\" must be an array of at most %d rooms",
		     SYNC_LEASE_MAX);
		goto out_free;
	}
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		json_t *room = json_array_get(list, i);
		if (!json_is_string(room) || json_string_length(room) >= SYNC_ROOM_MAX ||
		    !sync_room_valid(json_string_value(room))) {
			fail(err, errlen, "\"return\"[%zu] is not a room number", i);
			goto out_free;
		}
		strcpy(out->returned[i], json_string_value(room));
		out->n_returned = (int)i + 1;
	}
	json_decref(root);
	return 0;
out_free:
	memset(out, 0, sizeof(*out));
	json_decref(root);
	return SYNC_E_MALFORMED;
}

#define LEASE_EXPIRES_MAX (30 * 86400)

char *sync_lease_reply_encode(const struct sync_lease_reply *r)
{
	if (!r || r->n < 0 || r->n > SYNC_LEASE_MAX || r->free_rooms < 0)
		return NULL;
	json_t *root = json_pack("{s:i, s:[], s:I}", "v", SYNC_PROTOCOL_VERSION, "leases",
	                         "free_rooms", (json_int_t)r->free_rooms);
	if (!root)
		return NULL;
	json_t *list = json_object_get(root, "leases");
	for (int i = 0; i < r->n; i++) {
		const struct sync_lease *l = &r->leases[i];
		if (!sync_room_valid(l->room) || l->capacity < 1 || l->capacity > 16 ||
		    l->expires_in < 1 || l->expires_in > LEASE_EXPIRES_MAX)
			goto out_free;
		json_t *item = json_pack("{s:s, s:i, s:I}", "room", l->room, "capacity",
		                         l->capacity, "expires_in", (json_int_t)l->expires_in);
		if (!item || json_array_append_new(list, item))
			goto out_free;
	}
	return dump_free(root);
out_free:
	json_decref(root);
	return NULL;
}

int sync_lease_reply_decode(const char *text, size_t len, struct sync_lease_reply *out, char *err,
                            size_t errlen)
{
	static const char *const top[] = {"leases", "free_rooms", NULL};
	static const char *const item_members[] = {"room", "capacity", "expires_in", NULL};
	memset(out, 0, sizeof(*out));
	json_t *root = load_message(text, len, top, err, errlen);
	if (!root)
		return SYNC_E_MALFORMED;
	json_t *list = json_object_get(root, "leases");
	if (!get_int(root, "free_rooms", 0, SYNC_SEQ_MAX, &out->free_rooms) ||
	    !json_is_array(list) || json_array_size(list) > SYNC_LEASE_MAX) {
		fail(err, errlen, "\"leases\" (at most %d) and \"free_rooms\" are required",
		     SYNC_LEASE_MAX);
		goto out_free;
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *item = json_array_get(list, i);
		struct sync_lease *l = &out->leases[i];
		int64_t cap;
		const char *bad = NULL;
		if (!json_is_object(item) || !members_only(item, item_members, &bad) ||
		    !get_str(item, "room", l->room, sizeof(l->room)) || !sync_room_valid(l->room) ||
		    !get_int(item, "capacity", 1, 16, &cap) ||
		    !get_int(item, "expires_in", 1, LEASE_EXPIRES_MAX, &l->expires_in)) {
			fail(err, errlen, "lease %zu must be {room, capacity 1..16, expires_in}",
			     i);
			goto out_free;
		}
		l->capacity = (int)cap;
		out->n = (int)i + 1;
	}
	json_decref(root);
	return 0;
out_free:
	memset(out, 0, sizeof(*out));
	json_decref(root);
	return SYNC_E_MALFORMED;
}

/* ---- errors and health ---- */

char *sync_error_encode(int status, const char *detail)
{
	return dump_free(json_pack("{s:i, s:s, s:s}", "v", SYNC_PROTOCOL_VERSION, "error",
	                           sync_status_code(status), "detail", detail ? detail : ""));
}

int sync_error_decode(const char *text, size_t len, struct sync_error_reply *out)
{
	static const char *const top[] = {"error", "detail", NULL};
	memset(out, 0, sizeof(*out));
	json_t *root = load_message(text, len, top, NULL, 0);
	if (!root)
		return SYNC_E_MALFORMED;
	int status = 0;
	if (!get_str(root, "error", out->code, sizeof(out->code)))
		status = SYNC_E_MALFORMED;
	json_t *d = json_object_get(root, "detail");
	if (json_is_string(d))
		snprintf(out->detail, sizeof(out->detail), "%s", json_string_value(d));
	json_decref(root);
	return status;
}

char *sync_health_encode(const struct sync_health *h)
{
	return dump_free(json_pack("{s:i, s:s, s:s}", "v", SYNC_PROTOCOL_VERSION, "status",
	                           h->status, "station", h->station));
}

int sync_health_decode(const char *text, size_t len, struct sync_health *out, char *err,
                       size_t errlen)
{
	static const char *const top[] = {"status", "station", NULL};
	memset(out, 0, sizeof(*out));
	json_t *root = load_message(text, len, top, err, errlen);
	if (!root)
		return SYNC_E_MALFORMED;
	int status = 0;
	if (!get_str(root, "status", out->status, sizeof(out->status)) ||
	    !get_str(root, "station", out->station, sizeof(out->station)))
		status = fail(err, errlen, "\"status\" and \"station\" are required");
	json_decref(root);
	return status;
}
