/* tests/unit/test_store_wristband.c: the reprint transaction (old band replaced, new band,
 * wristband_void and audit records with outbox rows, print job: all or nothing) and the
 * print job life cycle of schema v3 (compare-and-set moves, recovery, listing), on real
 * SQLite files in a fresh temporary folder. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "app/store/store.h"

#define T0 1796000000

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	int64_t arrival;
};

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* A store with one person checked in to room 1201 wearing band "1". */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct store_error err;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-storewb-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/kiosk.db", f->dir);
	f->st = store_open(f->path, &err);
	if (!f->st || store_identity_set(f->st, "SZ03", "kiosk-1"))
		return -1;
	struct arrival_record a = {0};
	snprintf(a.batch, sizeof(a.batch), "CA908");
	snprintf(a.name, sizeof(a.name), "Zhang Xiaoming");
	snprintf(a.doc_type, sizeof(a.doc_type), "passport");
	snprintf(a.doc_number, sizeof(a.doc_number), "E1234567");
	a.category = CATEGORY_INBOUND;
	a.onsite_days = 14;
	a.home_days = 7;
	a.expected_day = day_from_ymd(2026, 11, 29);
	struct room_spec room = {.number = "1201", .floor = 12, .capacity = 2};
	if (store_arrival_add(f->st, &a) || store_rooms_add(f->st, &room, 1, NULL))
		return -1;
	struct checkin_record c = {.arrival_id = a.id, .at = T0, .code_reason = REASON_OK};
	snprintf(c.code_result, sizeof(c.code_result), "green");
	snprintf(c.briefing_hash, sizeof(c.briefing_hash), "9f2c0a");
	snprintf(c.briefing_lang, sizeof(c.briefing_lang), "zh-CN");
	snprintf(c.room, sizeof(c.room), "1201");
	snprintf(c.risk_set_by, sizeof(c.risk_set_by), "kiosk");
	c.planned_release = day_from_ymd(2026, 12, 13);
	snprintf(c.wristband_serial, sizeof(c.wristband_serial), "1");
	snprintf(c.wristband_token, sizeof(c.wristband_token), "HKW1.SZ03.1.1201.OLD");
	if (store_checkin_commit(f->st, &c, NULL))
		return -1;
	f->arrival = a.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct wristband_replacement replacement(const char *serial, int64_t seq)
{
	struct wristband_replacement r = {.device_seq = seq, .at = T0 + 60};
	snprintf(r.old_serial, sizeof(r.old_serial), "1");
	snprintf(r.serial, sizeof(r.serial), "%s", serial);
	snprintf(r.token, sizeof(r.token), "HKW1.SZ03.%s.1201.NEW", serial);
	snprintf(r.actor, sizeof(r.actor), "badge-7");
	snprintf(r.reason, sizeof(r.reason), "damaged");
	snprintf(r.job_kind, sizeof(r.job_kind), "wristband");
	r.job_payload = "{\"v\":1}";
	return r;
}

static size_t outbox_pending(struct store *st)
{
	size_t n;
	assert_int_equal(store_outbox_count(st, &n), 0);
	return n;
}

static void test_replace_writes_everything(void **state)
{
	struct fx *f = *state;
	struct store_identity id;
	assert_int_equal(store_identity_get(f->st, &id), 0);
	assert_int_equal(id.next_device_seq, 2);
	struct wristband_replacement r = replacement("2", id.next_device_seq);
	struct wristband_replaced done;
	assert_int_equal(store_wristband_replace(f->st, &r, &done), 0);
	assert_int_equal(done.band.device_seq, 2);
	assert_int_equal(done.audit.device_seq, 3);
	assert_true(done.job_id > 0);

	struct wristband_info band;
	assert_int_equal(store_wristband_get(f->st, "1", &band), 0);
	assert_int_equal(band.state, WRISTBAND_REPLACED);
	assert_string_equal(band.reason, "damaged");
	assert_int_equal(store_wristband_get(f->st, "2", &band), 0);
	assert_int_equal(band.state, WRISTBAND_ACTIVE);
	assert_int_equal(band.arrival_id, f->arrival);
	assert_string_equal(band.room, "1201");
	assert_string_equal(band.token, "HKW1.SZ03.2.1201.NEW");
	assert_int_equal(store_wristband_active(f->st, f->arrival, &band), 0);
	assert_string_equal(band.serial, "2");

	/* the station learns of the void, and of who did it */
	struct outbox_item *items;
	size_t n;
	assert_int_equal(store_outbox_pending(f->st, 10, &items, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(items[1].kind, "wristband_void");
	assert_non_null(strstr(items[1].payload, "\"serial\":\"1\""));
	assert_non_null(strstr(items[1].payload, "\"replaced_by\":\"2\""));
	assert_non_null(strstr(items[1].payload, "\"state\":\"replaced\""));
	assert_string_equal(items[2].kind, "audit");
	assert_non_null(strstr(items[2].payload, "\"action\":\"replace_wristband\""));
	assert_non_null(strstr(items[2].payload, "\"actor\":\"badge-7\""));
	store_outbox_free(items, n);

	struct print_job job;
	assert_int_equal(store_print_job_get(f->st, done.job_id, &job), 0);
	assert_string_equal(job.kind, "wristband");
	assert_string_equal(job.ref, "2");
	assert_int_equal(job.state, PRINT_QUEUED);
	free(job.payload);

	/* the replaced band cannot be replaced again */
	r = replacement("9", 0);
	assert_int_equal(store_wristband_replace(f->st, &r, NULL), STORE_E_NOT_FOUND);
	/* a serial once used is never given again */
	r = replacement("1", 0);
	snprintf(r.old_serial, sizeof(r.old_serial), "2");
	assert_int_equal(store_wristband_replace(f->st, &r, NULL), STORE_E_EXISTS);
	assert_int_equal(store_wristband_get(f->st, "2", &band), 0);
	assert_int_equal(band.state, WRISTBAND_ACTIVE);
}

static void test_replace_all_or_nothing(void **state)
{
	struct fx *f = *state;
	size_t before = outbox_pending(f->st);
	/* a sequence number that is not the next: nothing written */
	struct wristband_replacement r = replacement("2", 7);
	assert_int_equal(store_wristband_replace(f->st, &r, NULL), STORE_E_SEQ);
	/* the new serial taken (by the old band itself): nothing written */
	r = replacement("1", 0);
	assert_int_equal(store_wristband_replace(f->st, &r, NULL), STORE_E_INVALID);
	/* a payload missing */
	r = replacement("5", 0);
	r.job_payload = NULL;
	assert_int_equal(store_wristband_replace(f->st, &r, NULL), STORE_E_INVALID);
	/* the last step (the print job) refused by the database: everything before it rolls
	 * back */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "CREATE TRIGGER refuse BEFORE INSERT ON print_jobs BEGIN "
	                              "SELECT RAISE(ABORT, 'refused'); END;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	r = replacement("5", 0);
	assert_int_equal(store_wristband_replace(f->st, &r, NULL),
	                 STORE_E_INVALID); /* a constraint */
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER refuse", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	/* no actor */
	r = replacement("5", 0);
	r.actor[0] = '\0';
	assert_int_equal(store_wristband_replace(f->st, &r, NULL), STORE_E_INVALID);
	/* an unknown old band */
	r = replacement("5", 0);
	snprintf(r.old_serial, sizeof(r.old_serial), "404");
	assert_int_equal(store_wristband_replace(f->st, &r, NULL), STORE_E_NOT_FOUND);

	struct wristband_info band;
	assert_int_equal(store_wristband_get(f->st, "1", &band), 0);
	assert_int_equal(band.state, WRISTBAND_ACTIVE);
	assert_int_equal(store_wristband_get(f->st, "5", &band), STORE_E_NOT_FOUND);
	assert_int_equal(outbox_pending(f->st), before);
	struct print_job *jobs;
	size_t n;
	assert_int_equal(store_print_jobs_list(f->st, ~0u, &jobs, &n), 0);
	assert_int_equal(n, 0);
	struct store_identity id;
	assert_int_equal(store_identity_get(f->st, &id), 0);
	assert_int_equal(id.next_device_seq, 2);
}

static void test_job_life_cycle(void **state)
{
	struct fx *f = *state;
	int64_t a, b, c;
	assert_int_equal(store_print_job_add(f->st, "wristband", "1", "{}", "", T0, &a), 0);
	assert_int_equal(store_print_job_add(f->st, "door", "1201", "{}", "", T0 + 1, &b), 0);
	assert_int_equal(store_print_job_add(f->st, "meal", "1201", "{}", "", T0 + 2, &c), 0);

	/* compare-and-set: only from the state named */
	assert_int_equal(store_print_job_move(f->st, a, PRINT_FAILED, PRINT_QUEUED, REASON_OK, NULL,
	                                      NULL, T0 + 3),
	                 STORE_E_NOT_FOUND);
	assert_int_equal(store_print_job_move(f->st, a, PRINT_QUEUED, PRINT_PRINTING, REASON_OK,
	                                      NULL, "primary", T0 + 3),
	                 0);
	assert_int_equal(store_print_job_move(f->st, a, PRINT_PRINTING, PRINT_QUEUED,
	                                      REASON_PAPER_OUT, "E_PRINTER_PAPER_OUT", NULL,
	                                      T0 + 4),
	                 0);
	struct print_job job;
	assert_int_equal(store_print_job_get(f->st, a, &job), 0);
	assert_int_equal(job.state, PRINT_QUEUED);
	assert_int_equal(job.attempts, 1);
	assert_int_equal(job.reason, REASON_PAPER_OUT);
	assert_string_equal(job.printer, "primary");
	assert_string_equal(job.error, "E_PRINTER_PAPER_OUT");
	assert_int_equal(job.queued_at, T0); /* a requeue after a send keeps its age */
	free(job.payload);
	assert_int_equal(store_print_job_set_printer(f->st, a, "fallback", T0 + 5), 0);

	/* a and b left printing by a crash: uncertain, and only they */
	assert_int_equal(store_print_job_move(f->st, a, PRINT_QUEUED, PRINT_PRINTING, REASON_OK,
	                                      NULL, NULL, T0 + 6),
	                 0);
	assert_int_equal(store_print_job_move(f->st, b, PRINT_QUEUED, PRINT_PRINTING, REASON_OK,
	                                      NULL, NULL, T0 + 6),
	                 0);
	size_t n;
	assert_int_equal(
	    store_print_jobs_recover(f->st, REASON_PRINT_UNCERTAIN, "crash", T0 + 7, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_print_job_next(f->st, &job), 0);
	assert_int_equal(job.id, c);
	free(job.payload);
	assert_int_equal(store_print_job_set_printer(f->st, a, "primary", T0), STORE_E_NOT_FOUND);

	struct print_job *jobs;
	assert_int_equal(store_print_jobs_list(f->st, 1u << PRINT_UNCERTAIN, &jobs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(jobs[0].id, a);
	assert_int_equal(jobs[0].reason, REASON_PRINT_UNCERTAIN);
	assert_string_equal(jobs[0].printer, "fallback");
	assert_int_equal(jobs[1].id, b);
	store_print_jobs_free(jobs, n);

	/* staff retry: queued again, attempts and age restart */
	assert_int_equal(store_print_job_move(f->st, a, PRINT_UNCERTAIN, PRINT_QUEUED, REASON_OK,
	                                      NULL, NULL, T0 + 100),
	                 0);
	assert_int_equal(store_print_job_get(f->st, a, &job), 0);
	assert_int_equal(job.attempts, 0);
	assert_int_equal(job.queued_at, T0 + 100);
	assert_int_equal(job.reason, REASON_OK);
	free(job.payload);
	assert_int_equal(store_print_job_move(f->st, b, PRINT_UNCERTAIN, PRINT_CANCELLED, REASON_OK,
	                                      NULL, NULL, T0 + 101),
	                 0);
	assert_int_equal(store_print_jobs_list(f->st, 1u << PRINT_QUEUED, &jobs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(jobs[0].id, a);
	assert_int_equal(jobs[1].id, c);
	store_print_jobs_free(jobs, n);
	assert_int_equal(store_print_jobs_list(f->st, 1u << PRINT_CANCELLED, &jobs, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(jobs[0].id, b);
	store_print_jobs_free(jobs, n);
	assert_string_equal(store_print_job_state_name(PRINT_UNCERTAIN), "uncertain");
	assert_string_equal(store_print_job_state_name(PRINT_STATE_COUNT), "?");
}

static void test_staff_decisions_audited(void **state)
{
	struct fx *f = *state;
	int64_t a, b;
	assert_int_equal(store_print_job_add(f->st, "wristband", "1", "{}", "", T0, &a), 0);
	assert_int_equal(store_print_job_add(f->st, "door", "1201", "{}", "", T0, &b), 0);
	size_t before = outbox_pending(f->st);
	/* a queued job cannot be retried, a printing one cannot be decided at all */
	assert_int_equal(store_print_job_decide(f->st, a, PRINT_QUEUED, "badge-7", T0, NULL),
	                 STORE_E_NOT_FOUND);
	assert_int_equal(
	    store_print_job_move(f->st, a, PRINT_QUEUED, PRINT_PRINTING, REASON_OK, NULL, NULL, T0),
	    0);
	assert_int_equal(store_print_job_decide(f->st, a, PRINT_CANCELLED, "badge-7", T0, NULL),
	                 STORE_E_NOT_FOUND);
	assert_int_equal(store_print_job_decide(f->st, b, PRINT_DONE, "badge-7", T0, NULL),
	                 STORE_E_INVALID);
	assert_int_equal(store_print_job_decide(f->st, b, PRINT_CANCELLED, "", T0, NULL),
	                 STORE_E_INVALID);
	assert_int_equal(outbox_pending(f->st), before);
	/* uncertain -> retried, with the badge in the audit log */
	assert_int_equal(store_print_jobs_recover(f->st, REASON_PRINT_UNCERTAIN, NULL, T0, NULL),
	                 0);
	struct store_written w;
	assert_int_equal(store_print_job_decide(f->st, a, PRINT_QUEUED, "badge-7", T0 + 9, &w), 0);
	assert_true(w.device_seq > 0);
	struct print_job job;
	assert_int_equal(store_print_job_get(f->st, a, &job), 0);
	assert_int_equal(job.state, PRINT_QUEUED);
	assert_int_equal(job.attempts, 0);
	assert_int_equal(job.queued_at, T0 + 9);
	free(job.payload);
	assert_int_equal(
	    store_print_job_decide(f->st, b, PRINT_CANCELLED, "badge-8", T0 + 10, NULL), 0);
	assert_int_equal(
	    store_print_job_decide(f->st, b, PRINT_CANCELLED, "badge-8", T0 + 11, NULL),
	    STORE_E_NOT_FOUND);
	struct outbox_item *items;
	size_t n;
	assert_int_equal(store_outbox_pending(f->st, 10, &items, &n), 0);
	assert_int_equal(n, before + 2);
	assert_non_null(strstr(items[n - 2].payload, "\"action\":\"print_retry\""));
	assert_non_null(strstr(items[n - 2].payload, "\"detail\":\"wristband 1 was uncertain\""));
	assert_non_null(strstr(items[n - 1].payload, "\"action\":\"print_cancel\""));
	assert_non_null(strstr(items[n - 1].payload, "\"actor\":\"badge-8\""));
	store_outbox_free(items, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_replace_writes_everything, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replace_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_job_life_cycle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_staff_decisions_audited, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
