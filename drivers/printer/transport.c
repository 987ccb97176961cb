/* drivers/printer/transport.c: device file, TCP, CUPS and directory transports. Each job
 * opens the link afresh (a replugged or rebooted printer is found again), and every wait
 * is bounded by poll() with the transport's timeout. */
#include "drivers/printer/transport.h"

#include <cups/cups.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/sys/sys.h"

/* 1 when fd is ready for `events`, 0 on timeout, -errno. */
static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = events};
	for (;;) {
		int n = poll(&p, 1, timeout_ms);
		if (n >= 0)
			return n > 0;
		if (errno != EINTR)
			return -errno;
	}
}

/* Write all of data to a non-blocking fd; no progress for timeout_ms is -ETIMEDOUT. */
static int write_all(int fd, bool is_socket, const void *data, size_t n, int timeout_ms,
                     size_t *sent)
{
	const uint8_t *p = data;
	*sent = 0;
	while (*sent < n) {
		ssize_t w = is_socket ? send(fd, p + *sent, n - *sent, MSG_NOSIGNAL)
		                      : write(fd, p + *sent, n - *sent);
		if (w > 0) {
			*sent += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int r = wait_fd(fd, POLLOUT, timeout_ms);
		if (r < 0)
			return r;
		if (r == 0)
			return -ETIMEDOUT;
	}
	return 0;
}

static int read_some(int fd, bool is_socket, void *buf, size_t n, int timeout_ms)
{
	int r = wait_fd(fd, POLLIN, timeout_ms);
	if (r <= 0)
		return r;
	ssize_t got = is_socket ? recv(fd, buf, n, 0) : read(fd, buf, n);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	return (int)got;
}

/* ---- device file ---- */

struct dev {
	struct transport base;
	char path[512];
	int fd;
	bool readable;
};

static int dev_begin(struct transport *t, uint64_t job_id)
{
	struct dev *d = (struct dev *)t;
	struct stat st;
	(void)job_id;
	if (stat(d->path, &st) != 0)
		return -errno;
	/* printers (character devices) may answer status; a FIFO or file only takes bytes */
	d->readable = S_ISCHR(st.st_mode);
	int flags = O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	d->fd = open(d->path, flags | (d->readable ? O_RDWR : O_WRONLY | O_APPEND));
	if (d->fd < 0 && d->readable) {
		d->readable = false;
		d->fd = open(d->path, flags | O_WRONLY);
	}
	return d->fd < 0 ? -errno : 0;
}

static int dev_write(struct transport *t, const void *data, size_t n, size_t *sent)
{
	struct dev *d = (struct dev *)t;
	/* a FIFO whose reader went away raises SIGPIPE: keep it to this thread, as EPIPE */
	sigset_t pipe, old;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &old);
	int rc = write_all(d->fd, false, data, n, t->timeout_ms, sent);
	if (rc == -EPIPE) {
		struct timespec zero = {0, 0};
		sigtimedwait(&pipe, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static int dev_read(struct transport *t, void *buf, size_t n, int timeout_ms)
{
	struct dev *d = (struct dev *)t;
	if (!d->readable)
		return -ENOTSUP;
	return read_some(d->fd, false, buf, n, timeout_ms);
}

static int dev_end(struct transport *t)
{
	struct dev *d = (struct dev *)t;
	int rc = 0;
	if (d->fd >= 0 && close(d->fd) != 0 && errno != EINTR)
		rc = -errno;
	d->fd = -1;
	return rc;
}

static void dev_close(struct transport *t)
{
	dev_end(t);
	free(t);
}

static const struct transport_ops dev_ops = {
    .begin = dev_begin,
    .write = dev_write,
    .read = dev_read,
    .end = dev_end,
    .close = dev_close,
};

/* ---- TCP ---- */

struct tcp {
	struct transport base;
	char host[256];
	char port[16];
	int fd;
};

static int tcp_connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int rc = 0;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS) {
			rc = -errno;
			goto out_close;
		}
		rc = wait_fd(fd, POLLOUT, timeout_ms);
		if (rc == 0)
			rc = -ETIMEDOUT;
		if (rc < 0)
			goto out_close;
		int err = 0;
		socklen_t len = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
			err = errno;
		if (err) {
			rc = -err;
			goto out_close;
		}
	}
	return fd;
out_close:
	close(fd);
	return rc;
}

static int tcp_begin(struct transport *t, uint64_t job_id)
{
	struct tcp *c = (struct tcp *)t;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
	(void)job_id;
	if (getaddrinfo(c->host, c->port, &hints, &res) != 0)
		return -EHOSTUNREACH;
	int rc = -EHOSTUNREACH;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		rc = tcp_connect_one(ai, t->timeout_ms);
		if (rc >= 0)
			break;
	}
	freeaddrinfo(res);
	if (rc < 0)
		return rc;
	c->fd = rc;
	return 0;
}

static int tcp_write(struct transport *t, const void *data, size_t n, size_t *sent)
{
	struct tcp *c = (struct tcp *)t;
	return write_all(c->fd, true, data, n, t->timeout_ms, sent);
}

static int tcp_read(struct transport *t, void *buf, size_t n, int timeout_ms)
{
	struct tcp *c = (struct tcp *)t;
	return read_some(c->fd, true, buf, n, timeout_ms);
}

/* Half-close and wait (bounded) for the printer to close its side, so the job is not cut
 * by a reset from unread status bytes. A reset from the printer (it closed with our bytes
 * unread: unplugged or restarted mid-job) is an error: the label may be cut. */
static int tcp_end(struct transport *t)
{
	struct tcp *c = (struct tcp *)t;
	if (c->fd < 0)
		return 0;
	int rc = 0;
	if (shutdown(c->fd, SHUT_WR) != 0)
		rc = -errno;
	char sink[256];
	for (int i = 0; rc == 0 && i < 64; i++) {
		int r = read_some(c->fd, true, sink, sizeof(sink), t->timeout_ms);
		if (r < 0)
			rc = r;
		if (r <= 0)
			break;
	}
	close(c->fd);
	c->fd = -1;
	return rc;
}

static void tcp_close(struct transport *t)
{
	struct tcp *c = (struct tcp *)t;
	if (c->fd >= 0)
		close(c->fd);
	free(t);
}

static const struct transport_ops tcp_ops = {
    .begin = tcp_begin,
    .write = tcp_write,
    .read = tcp_read,
    .end = tcp_end,
    .close = tcp_close,
};

/* ---- CUPS ---- */

/* libcups is opened at the first cups: printer, not at exec (app/sys/sys.h lib_open). */
/* clang-format off */
#define CUPS_FNS(X) \
	X(httpConnect2) X(httpSetTimeout) X(httpClose) X(httpAssembleURIf) X(cupsServer) \
	X(cupsEncryption) X(cupsLastError) X(cupsCreateJob) X(cupsStartDocument) \
	X(cupsCancelJob2) X(cupsWriteRequestData) X(cupsFinishDocument) X(cupsDoRequest) \
	X(ippPort) X(ippGetCount) X(ippGetString) X(ippNewRequest) X(ippAddString) \
	X(ippGetStatusCode) X(ippFindAttribute) X(ippGetInteger) X(ippGetBoolean) \
	X(ippDelete)
/* clang-format on */

static struct {
	CUPS_FNS(LIB_POINTER)
} cups;
static pthread_once_t cups_once = PTHREAD_ONCE_INIT;
static bool cups_loaded;

static void cups_load_once(void)
{
	char err[256];
	void *lib = lib_open("libcups.so.2", err, sizeof(err));
#define BIND(fn) &&(cups.fn = (__typeof__(cups.fn))lib_sym(lib, #fn, err, sizeof(err)))
	cups_loaded = lib CUPS_FNS(BIND);
#undef BIND
	if (!cups_loaded)
		log_err("printer: cups: %s (is libcups2 installed?)", err);
}

static bool cups_load(void)
{
	pthread_once(&cups_once, cups_load_once);
	return cups_loaded;
}

struct cupsq {
	struct transport base;
	char queue[128];
	http_t *http;
	int job;
};

static http_t *cups_connect(int timeout_ms)
{
	int cancel = 0;
	http_t *http = cups.httpConnect2(cups.cupsServer(), cups.ippPort(), NULL, AF_UNSPEC,
	                                 cups.cupsEncryption(), 1, timeout_ms, &cancel);
	if (http)
		cups.httpSetTimeout(http, timeout_ms / 1000.0, NULL, NULL);
	return http;
}

static int cups_errno(void)
{
	ipp_status_t s = cups.cupsLastError();
	if (s == IPP_STATUS_ERROR_NOT_FOUND)
		return -ENOENT;
	if (s == IPP_STATUS_ERROR_NOT_AUTHORIZED || s == IPP_STATUS_ERROR_FORBIDDEN)
		return -EACCES;
	if (s == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS)
		return -EBUSY;
	if (s == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || s == IPP_STATUS_ERROR_INTERNAL)
		return -ECONNREFUSED;
	return -EIO;
}

static int cupsq_begin(struct transport *t, uint64_t job_id)
{
	struct cupsq *q = (struct cupsq *)t;
	char title[64];
	snprintf(title, sizeof(title), "healthkiosk job %llu", (unsigned long long)job_id);
	if (!cups_load())
		return -ELIBACC;
	q->http = cups_connect(t->timeout_ms);
	if (!q->http)
		return -ECONNREFUSED;
	q->job = cups.cupsCreateJob(q->http, q->queue, title, 0, NULL);
	if (q->job == 0)
		goto out_close;
	if (cups.cupsStartDocument(q->http, q->queue, q->job, "label", CUPS_FORMAT_RAW, 1) !=
	    HTTP_STATUS_CONTINUE)
		goto out_cancel;
	return 0;
out_cancel:
	cups.cupsCancelJob2(q->http, q->queue, q->job, 0);
out_close:;
	int rc = cups_errno();
	cups.httpClose(q->http);
	q->http = NULL;
	return rc;
}

static int cupsq_write(struct transport *t, const void *data, size_t n, size_t *sent)
{
	struct cupsq *q = (struct cupsq *)t;
	/* an unfinished document is never printed, so a failure here sent nothing */
	*sent = 0;
	if (cups.cupsWriteRequestData(q->http, data, n) != HTTP_STATUS_CONTINUE) {
		cups.cupsCancelJob2(q->http, q->queue, q->job, 0);
		return -EIO;
	}
	return 0;
}

static int cupsq_read(struct transport *t, void *buf, size_t n, int timeout_ms)
{
	(void)t, (void)buf, (void)n, (void)timeout_ms;
	return -ENOTSUP;
}

static int cupsq_end(struct transport *t)
{
	struct cupsq *q = (struct cupsq *)t;
	if (!q->http)
		return 0;
	int rc = cups.cupsFinishDocument(q->http, q->queue) == IPP_STATUS_OK ? 0 : cups_errno();
	cups.httpClose(q->http);
	q->http = NULL;
	return rc;
}

static bool has_reason(ipp_attribute_t *a, const char *prefix)
{
	for (int i = 0; a && i < cups.ippGetCount(a); i++) {
		const char *s = cups.ippGetString(a, i, NULL);
		if (s && strncmp(s, prefix, strlen(prefix)) == 0)
			return true;
	}
	return false;
}

static int cupsq_status(struct transport *t, struct printer_status *st)
{
	struct cupsq *q = (struct cupsq *)t;
	char uri[HTTP_MAX_URI];
	memset(st, 0, sizeof(*st));
	if (!cups_load())
		return -ELIBACC;
	http_t *http = cups_connect(t->timeout_ms);
	if (!http) {
		st->offline = true;
		return 0;
	}
	cups.httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", NULL, "localhost", 0,
	                      "/printers/%s", q->queue);
	ipp_t *req = cups.ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
	cups.ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ipp_t *resp = cups.cupsDoRequest(http, req, "/");
	if (!resp || cups.ippGetStatusCode(resp) > IPP_STATUS_OK_CONFLICTING) {
		st->offline = true;
		goto out_resp;
	}
	ipp_attribute_t *state = cups.ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
	ipp_attribute_t *why =
	    cups.ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD);
	ipp_attribute_t *accepting =
	    cups.ippFindAttribute(resp, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
	st->known = true;
	st->paused = (state && cups.ippGetInteger(state, 0) == IPP_PSTATE_STOPPED) ||
	             (accepting && !cups.ippGetBoolean(accepting, 0)) || has_reason(why, "paused");
	st->paper_out = has_reason(why, "media-empty") || has_reason(why, "media-needed");
	st->paper_low = has_reason(why, "media-low");
	st->head_open = has_reason(why, "door-open") || has_reason(why, "cover-open");
	st->ribbon_out = has_reason(why, "marker-supply-empty");
	st->offline = has_reason(why, "offline");
out_resp:
	cups.ippDelete(resp);
	cups.httpClose(http);
	return 0;
}

static void cupsq_close(struct transport *t)
{
	cupsq_end(t);
	free(t);
}

static const struct transport_ops cups_ops = {
    .begin = cupsq_begin,
    .write = cupsq_write,
    .read = cupsq_read,
    .end = cupsq_end,
    .status = cupsq_status,
    .close = cupsq_close,
};

/* ---- directory of numbered files ---- */

struct dir {
	struct transport base;
	char path[512];
	char ext[8];
	char tmp[640];
	char final[640];
	int fd;
};

/* The next free number: one more than the highest file number in the directory, so a
 * restart never overwrites an earlier print. */
static unsigned dir_next(const char *path)
{
	unsigned max = 0;
	DIR *d = opendir(path);
	if (!d)
		return 1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *end;
		unsigned long n = strtoul(e->d_name, &end, 10);
		if (end != e->d_name && *end == '-' && n > max && n < 1000000000)
			max = (unsigned)n;
	}
	closedir(d);
	return max + 1;
}

static int dir_begin(struct transport *t, uint64_t job_id)
{
	struct dir *d = (struct dir *)t;
	if (mkdir(d->path, 0755) != 0 && errno != EEXIST)
		return -errno;
	unsigned n = dir_next(d->path);
	snprintf(d->final, sizeof(d->final), "%s/%06u-job%llu.%s", d->path, n,
	         (unsigned long long)job_id, d->ext);
	snprintf(d->tmp, sizeof(d->tmp), "%s/.%06u.tmp", d->path, n);
	d->fd = open(d->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	return d->fd < 0 ? -errno : 0;
}

static int dir_write(struct transport *t, const void *data, size_t n, size_t *sent)
{
	struct dir *d = (struct dir *)t;
	return write_all(d->fd, false, data, n, t->timeout_ms, sent);
}

static int dir_end(struct transport *t)
{
	struct dir *d = (struct dir *)t;
	if (d->fd < 0)
		return 0;
	int rc = fsync(d->fd) == 0 ? 0 : -errno;
	if (close(d->fd) != 0 && rc == 0)
		rc = -errno;
	d->fd = -1;
	if (rc == 0 && rename(d->tmp, d->final) != 0)
		rc = -errno;
	if (rc)
		unlink(d->tmp);
	return rc;
}

/* A directory "printer" is ready when it can be written. */
static int dir_status(struct transport *t, struct printer_status *st)
{
	struct dir *d = (struct dir *)t;
	memset(st, 0, sizeof(*st));
	if (mkdir(d->path, 0755) != 0 && errno != EEXIST)
		st->offline = true;
	else
		st->offline = access(d->path, W_OK | X_OK) != 0;
	return 0;
}

static void dir_close(struct transport *t)
{
	struct dir *d = (struct dir *)t;
	if (d->fd >= 0) {
		close(d->fd);
		unlink(d->tmp);
	}
	free(t);
}

static const struct transport_ops dir_ops = {
    .begin = dir_begin,
    .write = dir_write,
    .read = cupsq_read, /* files do not answer */
    .end = dir_end,
    .status = dir_status,
    .close = dir_close,
};

/* ---- open ---- */

static bool copy(char *dst, size_t cap, const char *src)
{
	if (!src || !*src || strlen(src) >= cap)
		return false;
	memcpy(dst, src, strlen(src) + 1);
	return true;
}

static struct transport *open_tcp(const char *target)
{
	struct tcp *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->base.ops = &tcp_ops;
	c->fd = -1;
	snprintf(c->port, sizeof(c->port), "9100");
	const char *host = target, *colon = strrchr(target, ':');
	size_t hlen = colon ? (size_t)(colon - host) : strlen(host);
	if (host[0] == '[') { /* [v6]:port */
		const char *close_br = strchr(host, ']');
		if (!close_br)
			goto out_free;
		host++;
		hlen = (size_t)(close_br - host);
		colon = close_br[1] == ':' ? close_br + 1 : NULL;
	}
	if (hlen == 0 || hlen >= sizeof(c->host))
		goto out_free;
	memcpy(c->host, host, hlen);
	c->host[hlen] = '\0';
	if (colon && !copy(c->port, sizeof(c->port), colon + 1))
		goto out_free;
	return &c->base;
out_free:
	free(c);
	return NULL;
}

struct transport *transport_open(enum transport_kind kind, const char *target, const char *ext,
                                 int timeout_ms)
{
	struct transport *t = NULL;
	switch (kind) {
	case TRANSPORT_DEVICE: {
		struct dev *d = calloc(1, sizeof(*d));
		if (d && copy(d->path, sizeof(d->path), target)) {
			d->base.ops = &dev_ops;
			d->fd = -1;
			t = &d->base;
		} else {
			free(d);
		}
		break;
	}
	case TRANSPORT_TCP:
		t = target && *target ? open_tcp(target) : NULL;
		break;
	case TRANSPORT_CUPS: {
		struct cupsq *q = calloc(1, sizeof(*q));
		if (q && copy(q->queue, sizeof(q->queue), target) && !strchr(target, '/')) {
			q->base.ops = &cups_ops;
			t = &q->base;
		} else {
			free(q);
		}
		break;
	}
	case TRANSPORT_DIR: {
		struct dir *d = calloc(1, sizeof(*d));
		if (d && copy(d->path, sizeof(d->path), target) &&
		    copy(d->ext, sizeof(d->ext), ext)) {
			d->base.ops = &dir_ops;
			d->fd = -1;
			t = &d->base;
		} else {
			free(d);
		}
		break;
	}
	}
	if (t)
		t->timeout_ms = timeout_ms > 0 ? timeout_ms : 3000;
	return t;
}
