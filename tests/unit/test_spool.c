/* tests/unit/test_spool.c: the print spooler on a real SQLite file and real printers: a
 * png: folder and a fake ZPL printer on 127.0.0.1 (a thread here) that records jobs and
 * answers ~HS, able to run out of paper in the middle of a batch. Proves jobs print in
 * order and once; a job waits out paper out; a dead printer's job moves to the fallback; a
 * job found "printing" at start is made uncertain, not printed; a restart resumes the
 * queue; a reprint voids the old band and its printed QR reads back (zbar) to a token that
 * verifies. Needs a CJK font for the labels: skips clearly without one. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/core/wristband.h"
#include "app/service/spool.h"
#include "app/store/store.h"
#include "drivers/camera/camera.h"
#include "drivers/fonts/fonts.h"
#include "drivers/printer/printer.h"

#define MAX_FAKE_JOBS 32
#define MAX_RESULTS   64

/* ---- a fake ZPL printer on 127.0.0.1 ---- */

struct fake {
	int lfd;
	uint16_t port;
	pthread_t thread;
	pthread_mutex_t mu;
	bool stop;
	int paper_out_after; /* under mu: paper out once this many jobs are in; -1 never */
	int64_t job_ids[MAX_FAKE_JOBS]; /* under mu: the ^FX job id of each job received */
	int n_jobs;
};

static bool fake_paper_out(struct fake *f)
{
	pthread_mutex_lock(&f->mu);
	bool out = f->paper_out_after >= 0 && f->n_jobs >= f->paper_out_after;
	pthread_mutex_unlock(&f->mu);
	return out;
}

/* One connection: answer every ~HS, record what else arrived as a job. */
static void fake_serve(struct fake *f, int fd)
{
	size_t cap = 1 << 20, len = 0;
	char *in = malloc(cap);
	for (;;) {
		struct pollfd c = {.fd = fd, .events = POLLIN};
		if (!in || poll(&c, 1, 3000) <= 0)
			break;
		ssize_t n = recv(fd, in + len, cap - len - 1, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
		in[len] = '\0';
		char *q;
		while ((q = strstr(in, "~HS")) != NULL) {
			char msg[160];
			int m = snprintf(msg, sizeof(msg),
			                 "\x02"
			                 "030,%d,0,0280,000,0,0,0,000,0,0,0\x03\r\n\x02"
			                 "001,0,0,0,1,2,4,0,00000000,1,000\x03\r\n\x02"
			                 "1234,0\x03\r\n",
			                 fake_paper_out(f));
			memmove(q, q + 3, (size_t)(in + len - (q + 3)) + 1);
			len -= 3;
			if (send(fd, msg, (size_t)m, MSG_NOSIGNAL) != m)
				break;
		}
		if (len + 1 >= cap)
			break;
	}
	const char *fx = in ? strstr(in, "^FXhealthkiosk job ") : NULL;
	pthread_mutex_lock(&f->mu);
	if (fx && f->n_jobs < MAX_FAKE_JOBS)
		f->job_ids[f->n_jobs++] = strtoll(fx + strlen("^FXhealthkiosk job "), NULL, 10);
	pthread_mutex_unlock(&f->mu);
	free(in);
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	for (;;) {
		pthread_mutex_lock(&f->mu);
		bool stop = f->stop;
		pthread_mutex_unlock(&f->mu);
		if (stop)
			break;
		struct pollfd p = {.fd = f->lfd, .events = POLLIN};
		if (poll(&p, 1, 20) <= 0)
			continue;
		int fd = accept(f->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		fake_serve(f, fd);
		close(fd);
	}
	return NULL;
}

static int listen_any(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 8), 0);
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

static struct fake *fake_new(int paper_out_after)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	pthread_mutex_init(&f->mu, NULL);
	f->paper_out_after = paper_out_after;
	f->lfd = listen_any(&f->port);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
	return f;
}

static void fake_set_paper_out_after(struct fake *f, int n)
{
	pthread_mutex_lock(&f->mu);
	f->paper_out_after = n;
	pthread_mutex_unlock(&f->mu);
}

static int fake_jobs(struct fake *f, int64_t *ids)
{
	pthread_mutex_lock(&f->mu);
	int n = f->n_jobs;
	if (ids)
		memcpy(ids, f->job_ids, sizeof(f->job_ids));
	pthread_mutex_unlock(&f->mu);
	return n;
}

static void fake_free(struct fake *f)
{
	pthread_mutex_lock(&f->mu);
	f->stop = true;
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	close(f->lfd);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

/* ---- fixture: a store, a png folder, a label kit, a key pair, the callback's record ---- */

struct fx {
	char dir[64];
	char db[128];
	char png[128];
	struct store *st;
	struct label_kit *kit;
	struct wristband_private_key priv;
	struct wristband_public_key pub;
	pthread_mutex_t mu;
	struct spool_result results[MAX_RESULTS];
	int n_results;
};

static struct label_kit *kit;
static const char *skip_reason;

static int group_setup(void **state)
{
	(void)state;
	struct font_file ff;
	if (!fonts_find(NULL, FONT_REGULAR, &ff))
		skip_reason = "no CJK font installed (apt-get install fonts-noto-cjk)";
	else
		kit = label_kit_open(NULL, "assets/strings/labels.json", &skip_reason);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	label_kit_close(kit);
	return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct store_error err;
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hk-spool-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/kiosk.db", f->dir);
	snprintf(f->png, sizeof(f->png), "%s/prints", f->dir);
	f->st = store_open(f->db, &err);
	if (!f->st || store_identity_set(f->st, "SZ03", "kiosk-1") ||
	    wristband_key_generate(&f->priv, &f->pub))
		return -1;
	struct room_spec rooms[] = {{"1201", 12, 2}, {"1202", 12, 2}, {"1203", 12, 2}};
	if (store_rooms_add(f->st, rooms, 3, NULL))
		return -1;
	pthread_mutex_init(&f->mu, NULL);
	f->kit = kit;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	pthread_mutex_destroy(&f->mu);
	free(f);
	return 0;
}

#define NEED_KIT()                                                                                 \
	do {                                                                                       \
		if (!kit) {                                                                        \
			fprintf(stderr, "# SKIP: %s\n", skip_reason);                              \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

static void on_result(const struct spool_result *r, void *ctx)
{
	struct fx *f = ctx;
	pthread_mutex_lock(&f->mu);
	if (f->n_results < MAX_RESULTS)
		f->results[f->n_results++] = *r;
	pthread_mutex_unlock(&f->mu);
}

/* Wait up to 10 s for the outcome of a job; the result found, or fail. */
static struct spool_result wait_result(struct fx *f, int64_t job, enum spool_outcome outcome)
{
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&f->mu);
		for (int k = 0; k < f->n_results; k++) {
			if (f->results[k].job_id == job && f->results[k].outcome == outcome) {
				struct spool_result r = f->results[k];
				pthread_mutex_unlock(&f->mu);
				return r;
			}
		}
		pthread_mutex_unlock(&f->mu);
		usleep(10000);
	}
	fail_msg("job %lld never reached %s", (long long)job, spool_outcome_name(outcome));
	return (struct spool_result){0};
}

static int count_results(struct fx *f, enum spool_outcome outcome)
{
	pthread_mutex_lock(&f->mu);
	int n = 0;
	for (int k = 0; k < f->n_results; k++)
		n += f->results[k].outcome == outcome;
	pthread_mutex_unlock(&f->mu);
	return n;
}

static struct spool *open_spool(struct fx *f, const char *primary, const char *fallback)
{
	struct spool_config c = {.store_path = f->db,
	                         .primary = primary,
	                         .fallback = fallback,
	                         .kit = f->kit,
	                         .max_attempts = 5,
	                         .max_age_s = 30,
	                         .fallback_after = 2,
	                         .backoff_ms = 40,
	                         .backoff_max_ms = 160,
	                         .idle_ms = 50,
	                         .notify = on_result,
	                         .ctx = f};
	int err = 1;
	struct spool *s = spool_open(&c, &err);
	if (!s)
		fail_msg("spool_open: %d", err);
	assert_int_equal(err, 0);
	return s;
}

static enum print_job_state job_state(struct fx *f, int64_t id, char printer[STORE_ID_MAX])
{
	struct print_job job;
	assert_int_equal(store_print_job_get(f->st, id, &job), 0);
	if (printer)
		snprintf(printer, STORE_ID_MAX, "%s", job.printer);
	free(job.payload);
	return job.state;
}

/* A person checked in to room with a signed band whose serial is the check-in's sequence
 * number; returns the arrival id. */
static int64_t check_in(struct fx *f, const char *name, const char *room, int n)
{
	struct arrival_record a = {0};
	snprintf(a.batch, sizeof(a.batch), "CA908");
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.doc_type, sizeof(a.doc_type), "passport");
	snprintf(a.doc_number, sizeof(a.doc_number), "E%07d", n);
	a.category = CATEGORY_INBOUND;
	a.onsite_days = 14;
	a.home_days = 7;
	a.expected_day = day_from_ymd(2026, 11, 29);
	assert_int_equal(store_arrival_add(f->st, &a), 0);
	struct store_identity id;
	assert_int_equal(store_identity_get(f->st, &id), 0);
	struct wristband w = {
	    .station = "SZ03", .serial = id.next_device_seq, .day = day_from_ymd(2026, 11, 29)};
	snprintf(w.room, sizeof(w.room), "%s", room);
	struct checkin_record c = {.arrival_id = a.id, .at = time(NULL), .code_reason = REASON_OK};
	c.device_seq = id.next_device_seq;
	snprintf(c.code_result, sizeof(c.code_result), "green");
	snprintf(c.briefing_hash, sizeof(c.briefing_hash), "9f2c0a");
	snprintf(c.briefing_lang, sizeof(c.briefing_lang), "zh-CN");
	snprintf(c.room, sizeof(c.room), "%s", room);
	snprintf(c.risk_set_by, sizeof(c.risk_set_by), "kiosk");
	c.risk = RISK_YELLOW;
	c.planned_release = day_from_ymd(2026, 12, 13);
	snprintf(c.wristband_serial, sizeof(c.wristband_serial), "%lld", (long long)w.serial);
	assert_int_equal(
	    wristband_issue(&w, &f->priv, c.wristband_token, sizeof(c.wristband_token)), 0);
	assert_int_equal(store_checkin_commit(f->st, &c, NULL), 0);
	return a.id;
}

/* A small label job (a meal label) queued directly. */
static int64_t queue_meal(struct fx *f, const char *room)
{
	struct spool_payload p = {.kind = LABEL_MEAL, .lang = LABEL_LANG_BOTH, .copies = 1};
	snprintf(p.room, sizeof(p.room), "%s", room);
	snprintf(p.token, sizeof(p.token), "MEAL-%s", room);
	p.diet = LABEL_DIET_HALAL | LABEL_DIET_ELDERLY;
	snprintf(p.diet_note, sizeof(p.diet_note), "花生过敏 peanut allergy");
	int64_t id;
	assert_int_equal(spool_submit(f->st, &p, room, time(NULL), &id), 0);
	return id;
}

/* Files in the png folder, in name order (the printer numbers them). */
static int png_files(struct fx *f, char names[][64], int max)
{
	struct dirent **list;
	int n = scandir(f->png, &list, NULL, alphasort), k = 0;
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.' && k < max)
			snprintf(names[k++], 64, "%.63s", list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return k;
}

/* The QR text zbar reads from a printed PNG. */
static void png_decode(struct fx *f, const char *name, char *out, size_t cap)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", f->png, name);
	int w, h;
	uint8_t *grey = image_load_gray(path, &w, &h);
	assert_non_null(grey);
	struct frame fr = {.width = w, .height = h, .stride = w, .luma = grey};
	struct qr_decoder *d = qr_decoder_new();
	assert_non_null(d);
	int n = qr_decode(d, &fr, out, cap);
	qr_decoder_free(d);
	free(grey);
	if (n <= 0)
		fail_msg("no QR read from %s (%d)", name, n);
}

static void test_payload_round_trip(void **state)
{
	(void)state;
	struct spool_payload p = {.kind = LABEL_DOOR,
	                          .lang = LABEL_LANG_EN,
	                          .risk = RISK_RED,
	                          .care = true,
	                          .copies = 2,
	                          .diet = LABEL_DIET_SOFT};
	snprintf(p.room, sizeof(p.room), "1208");
	snprintf(p.occupants[0], sizeof(p.occupants[0]), "张*明");
	snprintf(p.occupants[1], sizeof(p.occupants[1]), "L** Wei");
	snprintf(p.token, sizeof(p.token), "ROOM-1208");
	char *json;
	assert_int_equal(spool_payload_encode(&p, &json), 0);
	struct spool_payload q;
	assert_int_equal(spool_payload_decode(json, &q), 0);
	free(json);
	assert_memory_equal(&p, &q, sizeof(p));
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"v\":2,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"red\"}",
	    "{\"v\":1,\"kind\":\"poster\",\"lang\":\"en\",\"risk\":\"red\"}",
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"fr\",\"risk\":\"red\"}",
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"pink\"}",
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"red\",\"diet\":[\"cake\"]}",
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"red\",\"copies\":10}",
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"red\",\"room\":"
	    "\"12345678901234567\"}",
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"red\",\"occupants\":"
	    "[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"red\",\"name\":\"a\\u0000b\"}",
	    /* an empty occupant would move the next name to its slot when written again
	     * (found by tests/fuzz/fuzz_spool_payload.c) */
	    "{\"v\":1,\"kind\":\"door\",\"lang\":\"en\",\"risk\":\"red\",\"occupants\":"
	    "[\"\",\"b\"]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (spool_payload_decode(bad[i], &q) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
}

/* Three wristbands print in order, once each, are marked done; the first PNG reads back
 * to its band's token, which verifies. */
static void test_prints_in_order(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	int64_t arrivals[3], jobs[3];
	arrivals[0] = check_in(f, "张小明", "1201", 1);
	arrivals[1] = check_in(f, "Li Wei", "1202", 2);
	arrivals[2] = check_in(f, "王芳", "1203", 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(spool_submit_wristband(f->st, arrivals[i], LABEL_LANG_BOTH,
		                                        time(NULL), &jobs[i]),
		                 0);
	/* the payload holds masked names only */
	struct print_job job;
	assert_int_equal(store_print_job_get(f->st, jobs[0], &job), 0);
	assert_non_null(strstr(job.payload, "\"name\":\"张*明\""));
	assert_null(strstr(job.payload, "小"));
	assert_null(strstr(job.payload, "E0000001"));
	free(job.payload);

	char spec[160];
	snprintf(spec, sizeof(spec), "png:%s", f->png);
	struct spool *s = open_spool(f, spec, NULL);
	for (int i = 0; i < 3; i++) {
		struct spool_result r = wait_result(f, jobs[i], SPOOL_PRINTED);
		assert_string_equal(r.printer, "primary");
		assert_string_equal(r.kind, "wristband");
		assert_int_equal(r.attempts, 1);
	}
	spool_close(s);
	/* in order: results and files */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(f->results[i].job_id, jobs[i]);
		assert_int_equal(job_state(f, jobs[i], NULL), PRINT_DONE);
	}
	char names[8][64], want[64];
	assert_int_equal(png_files(f, names, 8), 3);
	for (int i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "%06d-job%lld.png", i + 1, (long long)jobs[i]);
		assert_string_equal(names[i], want);
	}
	char text[256];
	struct wristband_info band;
	png_decode(f, names[0], text, sizeof(text));
	assert_int_equal(store_wristband_active(f->st, arrivals[0], &band), 0);
	assert_string_equal(text, band.token);
	struct wristband w;
	assert_int_equal(wristband_verify(text, strlen(text), "SZ03", &f->pub, 1, &w),
	                 WRISTBAND_OK);
	assert_string_equal(w.room, "1201");
	size_t n;
	struct spool_pending *pending;
	assert_int_equal(spool_pending(f->st, time(NULL), &pending, &n), 0);
	assert_int_equal(n, 0);
	free(pending);
}

/* The printer runs out of paper after two labels: the third waits (nothing sent), the
 * desk sees it, and after the reload the rest print, each exactly once, in order. */
static void test_paper_out_mid_batch(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	struct fake *fake = fake_new(2);
	int64_t jobs[4];
	for (int i = 0; i < 4; i++)
		jobs[i] = queue_meal(f, "1201");
	char spec[160];
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?timeout_ms=1000", fake->port);
	struct spool *s = open_spool(f, spec, NULL);
	wait_result(f, jobs[1], SPOOL_PRINTED);
	struct spool_result r = wait_result(f, jobs[2], SPOOL_WAITING);
	assert_int_equal(r.reason, REASON_PAPER_OUT);
	assert_int_equal(r.err, PRINTER_E_PAPER_OUT);
	usleep(400000); /* several back-off rounds of status checks */
	assert_int_equal(fake_jobs(fake, NULL), 2);
	struct spool_pending *pending;
	size_t n;
	assert_int_equal(spool_pending(f->st, time(NULL), &pending, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pending[0].job_id, jobs[2]);
	assert_int_equal(pending[0].state, PRINT_QUEUED);
	assert_int_equal(pending[0].reason, REASON_PAPER_OUT);
	assert_int_equal(pending[0].attempts, 1); /* waiting asks the printer, sends nothing */
	assert_int_equal(pending[1].job_id, jobs[3]);
	free(pending);

	fake_set_paper_out_after(fake, -1); /* paper reloaded */
	wait_result(f, jobs[3], SPOOL_PRINTED);
	spool_close(s);
	int64_t ids[MAX_FAKE_JOBS];
	assert_int_equal(fake_jobs(fake, ids), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ids[i], jobs[i]);
		assert_int_equal(job_state(f, jobs[i], NULL), PRINT_DONE);
	}
	assert_int_equal(count_results(f, SPOOL_PRINTED), 4);
	fake_free(fake);
}

/* Nobody listens on the primary's port: the job moves to the fallback and prints there;
 * the next job goes straight to the fallback while the primary stays dead. */
static void test_dead_printer_fallback(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	uint16_t port;
	close(listen_any(&port)); /* a port nobody listens on */
	char primary[160], fallback[160];
	snprintf(primary, sizeof(primary), "zpl+tcp://127.0.0.1:%u?timeout_ms=500", port);
	snprintf(fallback, sizeof(fallback), "png:%s", f->png);
	int64_t first = queue_meal(f, "1201");
	struct spool *s = open_spool(f, primary, fallback);
	struct spool_result r = wait_result(f, first, SPOOL_WAITING);
	assert_int_equal(r.reason, REASON_PRINTER_OFFLINE);
	assert_string_equal(r.printer, "primary");
	wait_result(f, first, SPOOL_MOVED);
	r = wait_result(f, first, SPOOL_PRINTED);
	assert_string_equal(r.printer, "fallback");
	int64_t second = queue_meal(f, "1202");
	spool_kick(s);
	r = wait_result(f, second, SPOOL_PRINTED);
	assert_string_equal(r.printer, "fallback");
	spool_close(s);
	assert_int_equal(count_results(f, SPOOL_MOVED), 1);
	char printer[STORE_ID_MAX];
	assert_int_equal(job_state(f, first, printer), PRINT_DONE);
	assert_string_equal(printer, "fallback");
	assert_int_equal(job_state(f, second, printer), PRINT_DONE);
	assert_string_equal(printer, "fallback");
	char names[8][64];
	assert_int_equal(png_files(f, names, 8), 2);
}

/* A printer that never comes back and no fallback: the job fails after max age, stays on
 * the desk's list, and a staff retry queues it again. */
static void test_gives_up_then_staff_retry(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	int64_t job = queue_meal(f, "1201");
	struct spool_config c = {.store_path = f->db,
	                         .primary = "png:/proc/hk-no-such-folder",
	                         .kit = f->kit,
	                         .max_age_s = 1,
	                         .backoff_ms = 50,
	                         .backoff_max_ms = 100,
	                         .idle_ms = 50,
	                         .notify = on_result,
	                         .ctx = f};
	struct spool *s = spool_open(&c, NULL);
	assert_non_null(s);
	struct spool_result r = wait_result(f, job, SPOOL_FAILED);
	assert_int_equal(r.reason, REASON_PRINTER_OFFLINE);
	spool_close(s);
	struct spool_pending *pending;
	size_t n;
	assert_int_equal(spool_pending(f->st, time(NULL), &pending, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pending[0].state, PRINT_FAILED);
	assert_int_equal(pending[0].reason, REASON_PRINTER_OFFLINE);
	free(pending);
	assert_int_equal(spool_cancel(f->st, job + 100, "badge-7", time(NULL)), STORE_E_NOT_FOUND);
	assert_int_equal(spool_retry(f->st, job, "badge-7", time(NULL)), 0);
	assert_int_equal(spool_retry(f->st, job, "badge-7", time(NULL)),
	                 STORE_E_NOT_FOUND); /* queued */
	char spec[160];
	snprintf(spec, sizeof(spec), "png:%s", f->png);
	s = open_spool(f, spec, NULL);
	wait_result(f, job, SPOOL_PRINTED);
	spool_close(s);
	assert_int_equal(job_state(f, job, NULL), PRINT_DONE);
}

/* A crash while sending left a job "printing": at start it becomes uncertain and is not
 * printed; the queue behind it goes on; a cancelled job never prints. */
static void test_crash_leaves_uncertain(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	int64_t sent = queue_meal(f, "1201");
	int64_t cancelled = queue_meal(f, "1202");
	int64_t next = queue_meal(f, "1203");
	assert_int_equal(store_print_job_move(f->st, sent, PRINT_QUEUED, PRINT_PRINTING, REASON_OK,
	                                      NULL, "primary", time(NULL)),
	                 0);
	assert_int_equal(spool_cancel(f->st, cancelled, "badge-7", time(NULL)), 0);
	char spec[160];
	snprintf(spec, sizeof(spec), "png:%s", f->png);
	struct spool *s = open_spool(f, spec, NULL);
	struct spool_result r = wait_result(f, sent, SPOOL_UNCERTAIN);
	assert_int_equal(r.reason, REASON_PRINT_UNCERTAIN);
	wait_result(f, next, SPOOL_PRINTED);
	spool_close(s);
	char names[8][64], want[64];
	assert_int_equal(png_files(f, names, 8), 1);
	snprintf(want, sizeof(want), "000001-job%lld.png", (long long)next);
	assert_string_equal(names[0], want);
	assert_int_equal(job_state(f, sent, NULL), PRINT_UNCERTAIN);
	assert_int_equal(job_state(f, cancelled, NULL), PRINT_CANCELLED);
	struct spool_pending *pending;
	size_t n;
	assert_int_equal(spool_pending(f->st, time(NULL), &pending, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pending[0].job_id, sent);
	assert_int_equal(pending[0].state, PRINT_UNCERTAIN);
	assert_int_equal(pending[0].reason, REASON_PRINT_UNCERTAIN);
	free(pending);
}

/* A spool stopped while its printer is out of paper leaves the job queued; the next spool
 * prints it once the paper is back: once, not twice. */
static void test_restart_resumes(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	struct fake *fake = fake_new(0);
	int64_t job = queue_meal(f, "1201");
	char spec[160];
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?timeout_ms=1000", fake->port);
	struct spool *s = open_spool(f, spec, NULL);
	wait_result(f, job, SPOOL_WAITING);
	spool_close(s);
	assert_int_equal(job_state(f, job, NULL), PRINT_QUEUED);
	int64_t later = queue_meal(f, "1202"); /* queued while no spool runs */
	fake_set_paper_out_after(fake, -1);
	s = open_spool(f, spec, NULL);
	wait_result(f, later, SPOOL_PRINTED);
	spool_close(s);
	int64_t ids[MAX_FAKE_JOBS];
	assert_int_equal(fake_jobs(fake, ids), 2);
	assert_int_equal(ids[0], job);
	assert_int_equal(ids[1], later);
	assert_int_equal(count_results(f, SPOOL_PRINTED), 2);
	fake_free(fake);
}

/* A reprint replaces the band in the store, the new token verifies and is what prints;
 * the old band is "replaced" for the security posts. */
static void test_reprint_voids_old_band(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	int64_t arrival = check_in(f, "Zhang Xiaoming", "1202", 7);
	struct wristband_info old;
	assert_int_equal(store_wristband_active(f->st, arrival, &old), 0);
	struct spool_reprint req = {.arrival_id = arrival,
	                            .actor = "badge-7",
	                            .reason = "damaged",
	                            .key = &f->priv,
	                            .lang = LABEL_LANG_EN,
	                            .now = time(NULL),
	                            .tz_offset_s = 8 * 3600};
	struct spool_reprinted out;
	assert_int_equal(spool_reprint_wristband(f->st, &req, &out), 0);
	assert_string_equal(out.old_serial, old.serial);
	assert_string_not_equal(out.serial, old.serial);
	assert_true(out.job_id > 0);

	struct wristband_info band;
	assert_int_equal(store_wristband_get(f->st, old.serial, &band), 0);
	assert_int_equal(band.state, WRISTBAND_REPLACED);
	assert_string_equal(band.reason, "damaged");
	assert_int_equal(store_wristband_active(f->st, arrival, &band), 0);
	assert_string_equal(band.serial, out.serial);
	assert_string_equal(band.token, out.token);
	struct wristband w;
	assert_int_equal(wristband_verify(out.token, strlen(out.token), "SZ03", &f->pub, 1, &w),
	                 WRISTBAND_OK);
	assert_int_equal(w.serial, strtoll(out.serial, NULL, 10));
	assert_string_equal(w.room, "1202");
	/* the old token still carries a valid signature: what voids it is the store state */
	assert_int_equal(wristband_verify(old.token, strlen(old.token), "SZ03", &f->pub, 1, NULL),
	                 WRISTBAND_OK);
	/* a second reprint replaces the new band, never the old one again */
	req.reason = "lost";
	struct spool_reprinted again;
	assert_int_equal(spool_reprint_wristband(f->st, &req, &again), 0);
	assert_string_equal(again.old_serial, out.serial);
	assert_int_equal(spool_cancel(f->st, again.job_id, "badge-7", time(NULL)), 0);
	/* not checked in: nothing to reprint */
	req.arrival_id = arrival + 1000;
	assert_int_equal(spool_reprint_wristband(f->st, &req, NULL), STORE_E_NOT_FOUND);

	char spec[160];
	snprintf(spec, sizeof(spec), "png:%s", f->png);
	struct spool *s = open_spool(f, spec, NULL);
	wait_result(f, out.job_id, SPOOL_PRINTED);
	spool_close(s);
	char names[8][64], text[256];
	assert_int_equal(png_files(f, names, 8), 1);
	png_decode(f, names[0], text, sizeof(text));
	assert_string_equal(text, out.token);
}

struct fifo_reader {
	char path[256];
	size_t got;
};

static void *fifo_read_all(void *arg)
{
	struct fifo_reader *r = arg;
	int fd = open(r->path, O_RDONLY);
	char buf[4096];
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		r->got += (size_t)n;
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* A device whose reader stops part way through a job (larger than the pipe): the label
 * may have come out, so the job is uncertain and not sent again; a staff retry prints it
 * once the device reads again. */
static void test_partial_is_uncertain(void **state)
{
	struct fx *f = *state;
	NEED_KIT();
	struct fifo_reader r = {0};
	snprintf(r.path, sizeof(r.path), "%s/lp0", f->dir);
	assert_int_equal(mkfifo(r.path, 0600), 0);
	struct spool_payload p = {.kind = LABEL_DOOR, .lang = LABEL_LANG_ZH, .copies = 1};
	snprintf(p.room, sizeof(p.room), "1201");
	snprintf(p.occupants[0], sizeof(p.occupants[0]), "张*明");
	snprintf(p.token, sizeof(p.token), "ROOM-1201");
	int64_t job;
	assert_int_equal(spool_submit(f->st, &p, "1201", time(NULL), &job), 0);
	int hold = open(r.path, O_RDONLY | O_NONBLOCK); /* a reader that never reads */
	assert_true(hold >= 0);
	char spec[300];
	snprintf(spec, sizeof(spec), "zpl:%s?timeout_ms=200", r.path);
	struct spool *s = open_spool(f, spec, NULL);
	struct spool_result res = wait_result(f, job, SPOOL_UNCERTAIN);
	assert_int_equal(res.err, PRINTER_E_PARTIAL);
	assert_int_equal(res.reason, REASON_PRINT_UNCERTAIN);
	usleep(300000);
	close(hold);
	struct print_job row;
	assert_int_equal(store_print_job_get(f->st, job, &row), 0);
	assert_int_equal(row.state, PRINT_UNCERTAIN);
	assert_int_equal(row.attempts, 1);
	free(row.payload);
	assert_int_equal(count_results(f, SPOOL_UNCERTAIN), 1);
	/* staff looked: nothing came out; retry with the printer reading again */
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, fifo_read_all, &r), 0);
	usleep(20000);
	assert_int_equal(spool_retry(f->st, job, "badge-7", time(NULL)), 0);
	spool_kick(s);
	wait_result(f, job, SPOOL_PRINTED);
	spool_close(s);
	pthread_join(th, NULL);
	assert_true(r.got > 65536);
	assert_int_equal(job_state(f, job, NULL), PRINT_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_payload_round_trip),
	    cmocka_unit_test_setup_teardown(test_prints_in_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_paper_out_mid_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dead_printer_fallback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gives_up_then_staff_retry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_crash_leaves_uncertain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restart_resumes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_partial_is_uncertain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reprint_voids_old_band, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
