/* tests/unit/test_printer.c: spec strings, and jobs sent to a fake ZPL/TSPL printer on
 * 127.0.0.1 (a thread here, ephemeral port) that records jobs and answers status: paper
 * out in the middle of a batch, a silent printer, a printer that goes away and comes back;
 * a FIFO as device file (no reader, a stalled reader); numbered PNG files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drivers/printer/encode.h"
#include "drivers/printer/printer.h"
#include "drivers/printer/status.h"

#define MAX_JOBS 16

struct fake {
	int lfd;
	uint16_t port;
	pthread_t thread;
	pthread_mutex_t mu;
	bool stop;
	/* behaviour, under mu */
	int paper_out_after; /* report paper out once this many jobs are in; -1 never */
	bool paper_out, head_open, paused, silent;
	uint8_t tspl_status;
	uint8_t escpos_status[2]; /* answers to DLE EOT 2 and DLE EOT 4 */
	/* record, under mu */
	struct bytes jobs[MAX_JOBS];
	int n_jobs;
	int queries;
};

enum query {
	QUERY_ZPL,
	QUERY_TSPL,
	QUERY_ESCPOS,
};

static void fake_reply(struct fake *f, int fd, enum query q)
{
	char msg[160];
	bool zpl = q == QUERY_ZPL;
	pthread_mutex_lock(&f->mu);
	f->queries++;
	bool silent = f->silent;
	bool paper = f->paper_out || (f->paper_out_after >= 0 && f->n_jobs >= f->paper_out_after);
	int n = zpl ? snprintf(msg, sizeof(msg),
	                       "\x02"
	                       "030,%d,%d,0280,000,0,0,0,000,0,0,0\x03\r\n\x02"
	                       "001,0,%d,0,1,2,4,0,00000000,1,000\x03\r\n\x02"
	                       "1234,0\x03\r\n",
	                       paper, f->paused, f->head_open)
	        : q == QUERY_TSPL
	            ? (msg[0] = (char)f->tspl_status, 1)
	            : (msg[0] = (char)f->escpos_status[0], msg[1] = (char)f->escpos_status[1], 2);
	pthread_mutex_unlock(&f->mu);
	if (!silent)
		assert_int_equal(send(fd, msg, (size_t)n, MSG_NOSIGNAL), n);
}

/* Take the status queries out of what arrived and answer them. */
static void fake_answer(struct fake *f, int fd, struct bytes *in)
{
	static const struct {
		const char *q;
		size_t n;
		enum query kind;
	} queries[] = {{"~HS", 3, QUERY_ZPL},
	               {"\x1b!?", 3, QUERY_TSPL},
	               {"\x10\x04\x02\x10\x04\x04", 6, QUERY_ESCPOS}};
	for (size_t k = 0; k < 3; k++) {
		for (size_t i = 0; in->len >= queries[k].n && i + queries[k].n <= in->len; i++) {
			if (memcmp(in->data + i, queries[k].q, queries[k].n) != 0)
				continue;
			memmove(in->data + i, in->data + i + queries[k].n,
			        in->len - i - queries[k].n);
			in->len -= queries[k].n;
			fake_reply(f, fd, queries[k].kind);
			i--;
		}
	}
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
		struct bytes in = {0};
		for (;;) {
			uint8_t buf[65536];
			struct pollfd c = {.fd = fd, .events = POLLIN};
			if (poll(&c, 1, 3000) <= 0)
				break;
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n <= 0)
				break;
			bytes_put(&in, buf, (size_t)n);
			fake_answer(f, fd, &in);
		}
		pthread_mutex_lock(&f->mu);
		if (in.len && f->n_jobs < MAX_JOBS)
			f->jobs[f->n_jobs++] = in;
		else
			bytes_free(&in);
		pthread_mutex_unlock(&f->mu);
		close(fd);
	}
	return NULL;
}

/* Listen on 127.0.0.1:port (0: any free port). */
static void fake_start(struct fake *f, uint16_t port)
{
	f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(f->lfd >= 0);
	int one = 1;
	setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(f->lfd, 8), 0);
	socklen_t len = sizeof(a);
	getsockname(f->lfd, (struct sockaddr *)&a, &len);
	f->port = ntohs(a.sin_port);
	f->stop = false;
	assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
}

static void fake_stop(struct fake *f)
{
	pthread_mutex_lock(&f->mu);
	f->stop = true;
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	close(f->lfd);
}

static void fake_free(struct fake *f)
{
	for (int i = 0; i < f->n_jobs; i++)
		bytes_free(&f->jobs[i]);
	pthread_mutex_destroy(&f->mu);
}

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));
	pthread_mutex_init(&f->mu, NULL);
	f->paper_out_after = -1;
	fake_start(f, 0);
	return f;
}

static int fake_jobs(struct fake *f)
{
	pthread_mutex_lock(&f->mu);
	int n = f->n_jobs;
	pthread_mutex_unlock(&f->mu);
	return n;
}

/* A job is recorded when the printer side sees the connection close: wait for it. */
static void fake_wait_jobs(struct fake *f, int n)
{
	for (int i = 0; i < 200 && fake_jobs(f) < n; i++)
		usleep(10000);
}

static struct label *sample_label(void)
{
	struct label *l = label_new(200, 120, 203);
	label_box(l, 0, 0, 200, 120, 3);
	label_fill(l, 20, 20, 50, 50, true);
	l->n_qr = 1;
	l->qr[0] = (struct label_qr){.x = 100, .y = 20, .module = 3, .modules = 21, .ecc = 1};
	snprintf(l->qr[0].text, sizeof(l->qr[0].text), "HKW1.token^_~");
	return l;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_specs(void **state)
{
	(void)state;
	static const char *const good[] = {
	    "zpl+tcp://127.0.0.1:9100",
	    "tspl:/dev/usb/lp0",
	    "escpos+cups://QUEUE",
	    "png:var/prints",
	    "zpl://printer.local",
	    "zpl+dir:var/jobs",
	    "tspl+tcp://[::1]:9100",
	    "zpl+tcp://10.0.0.9?timeout_ms=500&native_qr=1&media=mark",
	    "zpl:/dev/usb/lp0?compress=1",
	};
	static const char *const bad[] = {
	    "",
	    "zpl",
	    "pdf:/tmp/x",
	    "zpl+smoke://x",
	    "zpl+tcp://",
	    "escpos+cups://a/b",
	    "zpl+tcp://h?colour=1",
	    "zpl+tcp://h?timeout_ms=0",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct printer *p = printer_open(good[i]);
		if (!p)
			fail_msg("spec rejected: %s", good[i]);
		printer_close(p);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct printer *p = printer_open(bad[i]);
		if (p)
			fail_msg("spec accepted: %s", bad[i]);
	}
	assert_null(printer_open(NULL));
	assert_string_equal(printer_error_code(PRINTER_E_PAPER_OUT), "E_PRINTER_PAPER_OUT");
	assert_non_null(strstr(printer_error_code(-ECONNREFUSED), "ECONNREFUSED"));
}

static void test_zpl_job_arrives_unchanged(void **state)
{
	(void)state;
	struct fake *f = fake_new();
	char spec[128];
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?timeout_ms=2000", f->port);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	struct printer_job job = {.id = 4711, .label = l, .copies = 2};
	assert_int_equal(printer_print_job(p, &job), 0);
	fake_wait_jobs(f, 1);
	struct encode_opts o = {.copies = 2, .job_id = 4711};
	struct bytes want = {0};
	assert_int_equal(zpl_encode(l, &o, &want), 0);
	assert_int_equal(fake_jobs(f), 1);
	assert_int_equal(f->jobs[0].len, want.len);
	assert_memory_equal(f->jobs[0].data, want.data, want.len);
	assert_int_equal(f->queries, 1);
	struct printer_status st;
	assert_int_equal(printer_status(p, &st), 0);
	assert_true(st.known);
	assert_false(st.paper_out || st.head_open || st.paused || st.offline);
	bytes_free(&want);
	printer_close(p);
	/* native QR: the field data escapes ^ ~ _ so the token cannot end the field */
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?native_qr=1", f->port);
	p = printer_open(spec);
	assert_int_equal(printer_print(p, l), 0);
	fake_wait_jobs(f, 2);
	const char *needle = "^FDMA,HKW1.token_5E_5F_7E^FS";
	assert_non_null(memmem(f->jobs[1].data, f->jobs[1].len, needle, strlen(needle)));
	printer_close(p);
	label_free(l);
	fake_stop(f);
	fake_free(f);
	free(f);
}

static void test_paper_out_mid_batch(void **state)
{
	(void)state;
	struct fake *f = fake_new();
	f->paper_out_after = 2;
	char spec[128];
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?timeout_ms=2000", f->port);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	int results[4];
	for (int i = 0; i < 4; i++) {
		struct printer_job job = {.id = (uint64_t)(100 + i), .label = l};
		results[i] = printer_print_job(p, &job);
		fake_wait_jobs(f, i < 2 ? i + 1 : 2);
	}
	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], 0);
	assert_int_equal(results[2], PRINTER_E_PAPER_OUT);
	assert_int_equal(results[3], PRINTER_E_PAPER_OUT);
	/* nothing of the refused jobs reached the printer */
	assert_int_equal(fake_jobs(f), 2);
	assert_non_null(memmem(f->jobs[1].data, f->jobs[1].len, "job 101^FS", 10));
	struct printer_status st;
	assert_int_equal(printer_status(p, &st), 0);
	assert_true(st.known && st.paper_out);
	/* paper reloaded: the refused job goes through on retry */
	pthread_mutex_lock(&f->mu);
	f->paper_out_after = -1;
	f->head_open = true;
	pthread_mutex_unlock(&f->mu);
	struct printer_job retry = {.id = 102, .label = l};
	assert_int_equal(printer_print_job(p, &retry), PRINTER_E_HEAD_OPEN);
	pthread_mutex_lock(&f->mu);
	f->head_open = false;
	f->paused = true;
	pthread_mutex_unlock(&f->mu);
	assert_int_equal(printer_print_job(p, &retry), PRINTER_E_PAUSED);
	pthread_mutex_lock(&f->mu);
	f->paused = false;
	pthread_mutex_unlock(&f->mu);
	assert_int_equal(printer_print_job(p, &retry), 0);
	fake_wait_jobs(f, 3);
	assert_int_equal(fake_jobs(f), 3);
	assert_non_null(memmem(f->jobs[2].data, f->jobs[2].len, "job 102^FS", 10));
	printer_close(p);
	label_free(l);
	fake_stop(f);
	fake_free(f);
	free(f);
}

static void test_silent_zpl_printer_gets_nothing(void **state)
{
	(void)state;
	struct fake *f = fake_new();
	f->silent = true;
	char spec[128];
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?timeout_ms=200", f->port);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	int64_t t0 = now_ms();
	assert_int_equal(printer_print(p, l), PRINTER_E_OFFLINE);
	int64_t took = now_ms() - t0;
	assert_true(took >= 190 && took < 1500);
	struct printer_status st;
	assert_int_equal(printer_status(p, &st), 0);
	assert_false(st.known);
	assert_true(st.offline);
	usleep(50000);
	assert_int_equal(fake_jobs(f), 0);
	printer_close(p);
	/* status=off: the silent printer is printed to blindly, on request */
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?timeout_ms=200&status=off", f->port);
	p = printer_open(spec);
	assert_int_equal(printer_print(p, l), 0);
	fake_wait_jobs(f, 1);
	assert_int_equal(fake_jobs(f), 1);
	printer_close(p);
	label_free(l);
	fake_stop(f);
	fake_free(f);
	free(f);
}

static void test_printer_away_and_back(void **state)
{
	(void)state;
	struct fake *f = fake_new();
	uint16_t port = f->port;
	char spec[128];
	snprintf(spec, sizeof(spec), "zpl+tcp://127.0.0.1:%u?timeout_ms=500", port);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	assert_int_equal(printer_print(p, l), 0);
	fake_wait_jobs(f, 1);
	fake_stop(f);
	assert_int_equal(printer_print(p, l), -ECONNREFUSED);
	struct printer_status st;
	assert_int_equal(printer_status(p, &st), 0);
	assert_true(st.offline);
	fake_start(f, port); /* back on the same address */
	assert_int_equal(printer_print(p, l), 0);
	fake_wait_jobs(f, 2);
	assert_int_equal(fake_jobs(f), 2);
	printer_close(p);
	label_free(l);
	fake_stop(f);
	fake_free(f);
	free(f);
}

static void test_tspl_status_byte(void **state)
{
	(void)state;
	struct fake *f = fake_new();
	char spec[128];
	snprintf(spec, sizeof(spec), "tspl+tcp://127.0.0.1:%u?timeout_ms=1000&gap_mm=2", f->port);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	static const struct {
		uint8_t byte;
		int want;
	} cases[] = {{0x00, 0},
	             {0x01, PRINTER_E_HEAD_OPEN},
	             {0x04, PRINTER_E_PAPER_OUT},
	             {0x10, PRINTER_E_PAUSED},
	             {0x08, PRINTER_E_FAULT},
	             {0x20, 0}};
	int printed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pthread_mutex_lock(&f->mu);
		f->tspl_status = cases[i].byte;
		pthread_mutex_unlock(&f->mu);
		assert_int_equal(printer_print(p, l), cases[i].want);
		printed += cases[i].want == 0;
		fake_wait_jobs(f, printed);
		assert_int_equal(fake_jobs(f), printed);
	}
	assert_non_null(memmem(f->jobs[0].data, f->jobs[0].len, "GAP 2.0 mm,0 mm\r\n", 17));
	printer_close(p);
	label_free(l);
	fake_stop(f);
	fake_free(f);
	free(f);
}

static void test_escpos_status_bytes(void **state)
{
	(void)state;
	struct fake *f = fake_new();
	char spec[128];
	snprintf(spec, sizeof(spec), "escpos+tcp://127.0.0.1:%u?timeout_ms=1000", f->port);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	static const struct {
		uint8_t cause, paper;
		int want;
	} cases[] = {{0x12, 0x12, 0},
	             {0x12, 0x12 | 0x60, PRINTER_E_PAPER_OUT}, /* paper end sensor */
	             {0x12 | 0x20, 0x12, PRINTER_E_PAPER_OUT}, /* stopped by paper end */
	             {0x12 | 0x04, 0x12, PRINTER_E_HEAD_OPEN}, /* cover open */
	             {0x12 | 0x40, 0x12, PRINTER_E_FAULT},
	             {0x12, 0x12 | 0x0C, 0}}; /* near end: still prints */
	int printed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pthread_mutex_lock(&f->mu);
		f->escpos_status[0] = cases[i].cause;
		f->escpos_status[1] = cases[i].paper;
		pthread_mutex_unlock(&f->mu);
		assert_int_equal(printer_print(p, l), cases[i].want);
		printed += cases[i].want == 0;
		fake_wait_jobs(f, printed);
		assert_int_equal(fake_jobs(f), printed);
	}
	struct printer_status st;
	assert_int_equal(printer_status(p, &st), 0);
	assert_true(st.known && st.paper_low && !st.paper_out);
	printer_close(p);
	/* a silent TSPL printer is printed to after a short wait (status=ask) */
	pthread_mutex_lock(&f->mu);
	f->silent = true;
	pthread_mutex_unlock(&f->mu);
	snprintf(spec, sizeof(spec), "tspl+tcp://127.0.0.1:%u?timeout_ms=200", f->port);
	p = printer_open(spec);
	assert_int_equal(printer_print(p, l), 0);
	fake_wait_jobs(f, printed + 1);
	assert_int_equal(fake_jobs(f), printed + 1);
	assert_int_equal(printer_status(p, &st), 0);
	assert_false(st.known || st.offline);
	printer_close(p);
	label_free(l);
	fake_stop(f);
	fake_free(f);
	free(f);
}

struct fifo_reader {
	char path[256];
	struct bytes got;
};

static void *fifo_read(void *arg)
{
	struct fifo_reader *r = arg;
	int fd = open(r->path, O_RDONLY);
	uint8_t buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		bytes_put(&r->got, buf, (size_t)n);
	close(fd);
	return NULL;
}

static void *fifo_read_a_little(void *arg)
{
	int fd = open(arg, O_RDONLY);
	uint8_t buf[1000];
	assert_true(read(fd, buf, sizeof(buf)) > 0);
	close(fd);
	return NULL;
}

static void test_device_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/hk-printer-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct fifo_reader r = {0};
	snprintf(r.path, sizeof(r.path), "%s/lp0", dir);
	char spec[300];
	snprintf(spec, sizeof(spec), "escpos:%s?timeout_ms=200", r.path);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	/* unplugged: no device node */
	assert_int_equal(printer_print(p, l), -ENOENT);
	assert_int_equal(mkfifo(r.path, 0600), 0);
	/* node present, nobody reading */
	assert_int_equal(printer_print(p, l), -ENXIO);
	pthread_t th;
	pthread_create(&th, NULL, fifo_read, &r);
	usleep(20000);
	assert_int_equal(printer_print(p, l), 0);
	pthread_join(th, NULL);
	struct encode_opts o = {.copies = 1};
	struct bytes want = {0};
	assert_int_equal(escpos_encode(l, &o, &want), 0);
	assert_int_equal(r.got.len, want.len);
	assert_memory_equal(r.got.data, want.data, want.len);
	bytes_free(&want);
	bytes_free(&r.got);
	label_free(l);
	/* a reader that stops reading: a job larger than the pipe times out part way */
	l = label_new(800, 2000, 203);
	int hold = open(r.path, O_RDONLY | O_NONBLOCK);
	assert_true(hold >= 0);
	int64_t t0 = now_ms();
	assert_int_equal(printer_print(p, l), PRINTER_E_PARTIAL);
	assert_true(now_ms() - t0 < 2000);
	close(hold);
	/* the reader goes away mid-job: EPIPE, not a SIGPIPE that kills the program */
	pthread_create(&th, NULL, fifo_read_a_little, r.path);
	usleep(20000);
	assert_int_equal(printer_print(p, l), PRINTER_E_PARTIAL);
	pthread_join(th, NULL);
	label_free(l);
	printer_close(p);
	unlink(r.path);
	rmdir(dir);
}

static void test_png_directory(void **state)
{
	(void)state;
	char dir[] = "/tmp/hk-prints-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char spec[300], path[400];
	snprintf(spec, sizeof(spec), "png:%s/out", dir);
	struct printer *p = printer_open(spec);
	struct label *l = sample_label();
	struct printer_job job = {.id = 9, .label = l};
	assert_int_equal(printer_print_job(p, &job), 0);
	job.id = 10;
	assert_int_equal(printer_print_job(p, &job), 0);
	printer_close(p);
	/* a restart continues the numbering, never overwrites */
	p = printer_open(spec);
	job.id = 11;
	assert_int_equal(printer_print_job(p, &job), 0);
	struct printer_status st;
	assert_int_equal(printer_status(p, &st), 0);
	assert_false(st.offline);
	printer_close(p);
	static const char *const names[] = {"000001-job9.png", "000002-job10.png",
	                                    "000003-job11.png"};
	struct bytes want = {0};
	assert_int_equal(png_encode(l, &want), 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/out/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		if (!f)
			fail_msg("missing %s", path);
		uint8_t buf[8192];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		assert_int_equal(n, want.len);
		assert_memory_equal(buf, want.data, n);
		unlink(path);
	}
	bytes_free(&want);
	snprintf(path, sizeof(path), "%s/out", dir);
	assert_int_equal(rmdir(path), 0); /* no temporary files left behind */
	rmdir(dir);
	label_free(l);
}

/* ~HS fields count by position, empty ones included: "030,,1" is pause, not paper out
 * (found by tests/fuzz/fuzz_printer_status.c; strtok used to skip the empty field). */
static void test_zpl_status_empty_fields(void **state)
{
	(void)state;
	static const char reply[] = "\x02"
	                            "030,,1\x03\r\n\x02"
	                            ",,,1\x03\r\n\x02"
	                            "1234,0\x03\r\n";
	struct printer_status st = {0};
	assert_true(printer_zpl_status_parse((const uint8_t *)reply, sizeof reply - 1, &st));
	assert_true(st.known);
	assert_false(st.paper_out);
	assert_true(st.paused);
	assert_false(st.head_open);
	assert_true(st.ribbon_out);
	/* an answer cut before its third string is not an answer, and changes nothing */
	struct printer_status cut = {0};
	assert_false(printer_zpl_status_parse((const uint8_t *)reply, 20, &cut));
	assert_false(cut.known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_specs),
	    cmocka_unit_test(test_zpl_job_arrives_unchanged),
	    cmocka_unit_test(test_paper_out_mid_batch),
	    cmocka_unit_test(test_silent_zpl_printer_gets_nothing),
	    cmocka_unit_test(test_printer_away_and_back),
	    cmocka_unit_test(test_tspl_status_byte),
	    cmocka_unit_test(test_escpos_status_bytes),
	    cmocka_unit_test(test_zpl_status_empty_fields),
	    cmocka_unit_test(test_device_file),
	    cmocka_unit_test(test_png_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
