/* tests/fuzz/fuzz_manifest_store.c: libFuzzer harness for the whole manifest import into a
 * real (in-memory) SQLite store: encoding detection, GB18030 conversion, the CSV and row
 * rules, duplicate checks and the all-or-nothing transaction. An import either writes
 * every row it counts or nothing; every refusal names a line and says why in UTF-8; the
 * same file imported twice is refused the second time and writes nothing.
 * fuzz-sources: app/store/store.c app/store/store_arrivals.c app/store/store_checkin.c
 * fuzz-sources: app/store/store_manifest.c app/store/store_outbox.c app/store/store_print.c
 * fuzz-sources: app/store/store_records.c app/store/store_report.c
 * fuzz-sources: app/store/store_resident.c app/store/store_rooms.c
 * fuzz-sources: app/store/store_schema.c app/store/store_trust.c
 * fuzz-sources: app/store/store_wristband.c app/core/csv.c app/core/manifest.c
 * fuzz-sources: app/core/types.c app/core/rooms.c app/core/wristband.c app/core/base32.c
 * fuzz-sources: app/core/trustlist.c app/core/jws.c app/core/b64url.c app/core/pinhash.c
 * fuzz-pkgs: sqlite3 libcrypto jansson */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/store/store.h"
#include "tests/fuzz/utf8_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static int imports; /* successful ones since the store was opened */

static struct store *open_store(void)
{
	struct store_error err;
	struct store *s = store_open(":memory:", &err);
	if (!s)
		abort();
	return s;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	st = open_store();
	return 0;
}

struct errors {
	size_t n;
	size_t last_line;
};

static void on_error(void *ctx, size_t line, const char *reason)
{
	struct errors *e = ctx;
	if (line < 1 || line < e->last_line || !reason || !*reason ||
	    !fuzz_utf8_valid(reason, strlen(reason)))
		abort();
	e->last_line = line;
	e->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t before, after;
	struct errors e = {0};
	struct manifest_report rep = {.on_error = on_error, .ctx = &e};
	if (store_arrivals_count(st, &before))
		abort();
	int rc = store_manifest_import(st, (const char *)data, size, &rep);
	if (store_arrivals_count(st, &after))
		abort();
	size_t sum = 0;
	for (int c = 0; c < CATEGORY_COUNT; c++)
		sum += rep.by_category[c];
	if (sum != rep.rows)
		abort();
	if (rc != 0) {
		/* refused: nothing written, and the person at the terminal is told why */
		if (rep.rows != 0 || after != before || (rc == STORE_E_BAD_INPUT && e.n == 0) ||
		    rep.bad_rows > e.n)
			abort();
		return 0;
	}
	if (rep.rows == 0 || rep.bad_rows || e.n || after != before + rep.rows)
		abort();
	/* the same file again: every row is already there */
	struct errors e2 = {0};
	struct manifest_report again = {.on_error = on_error, .ctx = &e2};
	if (store_manifest_import(st, (const char *)data, size, &again) != STORE_E_BAD_INPUT ||
	    again.rows != 0 || e2.n == 0)
		abort();
	if (store_arrivals_count(st, &after) || after != before + rep.rows)
		abort();
	/* keep the store small: a fresh one now and then */
	if (++imports >= 64) {
		store_close(st);
		st = open_store();
		imports = 0;
	}
	return 0;
}
