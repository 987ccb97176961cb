/* drivers/scanner/scanner.c: the three scanner backends (serial, evdev, wedge) and the
 * spec-string parser that picks one. */
#include "drivers/scanner/scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define LINE_SILENCE_MS 300 /* a partial scan silent this long is reported as truncated */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Bytes arrive from a device; a line assembler turns them into scans. */
struct line {
	char buf[SCAN_MAX + 1];
	size_t len;
	bool overflow;
	int64_t last_ms;
};

static bool line_finish(struct line *l, struct scan *out, bool truncated)
{
	if (l->len == 0 && !l->overflow)
		return false;
	memcpy(out->text, l->buf, l->len);
	out->text[l->len] = '\0';
	out->len = l->len;
	out->truncated = truncated || l->overflow;
	l->len = 0;
	l->overflow = false;
	return true;
}

static void line_add(struct line *l, char c)
{
	if (l->len < SCAN_MAX)
		l->buf[l->len++] = c;
	else
		l->overflow = true;
}

/* Wait for fd to become readable, up to the deadline; 1 readable, 0 timed out, -errno. */
static int wait_readable(int fd, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - now_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, left > 0 ? (int)left : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		if (p.revents & (POLLERR | POLLNVAL))
			return -ENODEV;
		return 1;
	}
}

/* ---- serial (CDC ACM) ---- */

struct serial_scanner {
	struct scanner base;
	int fd;
	struct line line;
	char pend[512]; /* bytes read from the port but not yet consumed */
	size_t pend_len, pend_pos;
};

/* Consume pending bytes up to the end of one scan; true when a scan is complete. */
static bool serial_consume(struct serial_scanner *ss, struct scan *out)
{
	while (ss->pend_pos < ss->pend_len) {
		char c = ss->pend[ss->pend_pos++];
		if (c != '\r' && c != '\n')
			line_add(&ss->line, c);
		else if (line_finish(&ss->line, out, false))
			return true; /* CR of a CRLF: the LF ends an empty line, ignored */
	}
	return false;
}

static int serial_read(struct scanner *s, struct scan *out, int timeout_ms)
{
	struct serial_scanner *ss = (struct serial_scanner *)s;
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		if (serial_consume(ss, out))
			return 1;
		bool partial = ss->line.len > 0 || ss->line.overflow;
		if (partial && now_ms() - ss->line.last_ms > LINE_SILENCE_MS)
			return line_finish(&ss->line, out, true) ? 1 : 0;
		int64_t until = deadline;
		if (partial && ss->line.last_ms + LINE_SILENCE_MS + 1 > until)
			until = ss->line.last_ms + LINE_SILENCE_MS + 1;
		int r = wait_readable(ss->fd, until);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!partial)
				return 0;
			continue; /* the silence check above decides */
		}
		ssize_t n = read(ss->fd, ss->pend, sizeof(ss->pend));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return errno == EIO ? -ENODEV : -errno;
		if (n == 0)
			return -ENODEV; /* hang-up: the device was unplugged */
		ss->pend_len = (size_t)n;
		ss->pend_pos = 0;
		ss->line.last_ms = now_ms();
	}
}

static int serial_fd(struct scanner *s)
{
	return ((struct serial_scanner *)s)->fd;
}

static void serial_close(struct scanner *s)
{
	struct serial_scanner *ss = (struct serial_scanner *)s;
	close(ss->fd);
	free(ss);
}

static const struct scanner_ops serial_ops = {serial_read, serial_fd, serial_close};

static speed_t baud_constant(long baud)
{
	switch (baud) {
	case 9600:
		return B9600;
	case 19200:
		return B19200;
	case 38400:
		return B38400;
	case 57600:
		return B57600;
	case 115200:
		return B115200;
	default:
		return 0;
	}
}

static struct scanner *serial_open(const char *path, long baud)
{
	speed_t speed = baud_constant(baud);
	if (!speed) {
		errno = EINVAL;
		return NULL;
	}
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct termios tio;
	if (tcgetattr(fd, &tio) != 0)
		goto out_close;
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, speed);
	cfsetospeed(&tio, speed);
	if (tcsetattr(fd, TCSANOW, &tio) != 0)
		goto out_close;
	tcflush(fd, TCIFLUSH);
	struct serial_scanner *ss = calloc(1, sizeof(*ss));
	if (!ss)
		goto out_close;
	ss->base.ops = &serial_ops;
	ss->fd = fd;
	return &ss->base;
out_close : {
	int e = errno;
	close(fd);
	errno = e;
	return NULL;
}
}

/* ---- evdev, grabbed ---- */

char scanner_us_keymap(unsigned code, bool shift)
{
	static const char plain[KEY_SLASH + 1] = {
	    [KEY_1] = '1',          [KEY_2] = '2',           [KEY_3] = '3',
	    [KEY_4] = '4',          [KEY_5] = '5',           [KEY_6] = '6',
	    [KEY_7] = '7',          [KEY_8] = '8',           [KEY_9] = '9',
	    [KEY_0] = '0',          [KEY_MINUS] = '-',       [KEY_EQUAL] = '=',
	    [KEY_Q] = 'q',          [KEY_W] = 'w',           [KEY_E] = 'e',
	    [KEY_R] = 'r',          [KEY_T] = 't',           [KEY_Y] = 'y',
	    [KEY_U] = 'u',          [KEY_I] = 'i',           [KEY_O] = 'o',
	    [KEY_P] = 'p',          [KEY_LEFTBRACE] = '[',   [KEY_RIGHTBRACE] = ']',
	    [KEY_A] = 'a',          [KEY_S] = 's',           [KEY_D] = 'd',
	    [KEY_F] = 'f',          [KEY_G] = 'g',           [KEY_H] = 'h',
	    [KEY_J] = 'j',          [KEY_K] = 'k',           [KEY_L] = 'l',
	    [KEY_SEMICOLON] = ';',  [KEY_APOSTROPHE] = '\'', [KEY_GRAVE] = '`',
	    [KEY_BACKSLASH] = '\\', [KEY_Z] = 'z',           [KEY_X] = 'x',
	    [KEY_C] = 'c',          [KEY_V] = 'v',           [KEY_B] = 'b',
	    [KEY_N] = 'n',          [KEY_M] = 'm',           [KEY_COMMA] = ',',
	    [KEY_DOT] = '.',        [KEY_SLASH] = '/',
	};
	static const char shifted[KEY_SLASH + 1] = {
	    [KEY_1] = '!',          [KEY_2] = '@',          [KEY_3] = '#',
	    [KEY_4] = '$',          [KEY_5] = '%',          [KEY_6] = '^',
	    [KEY_7] = '&',          [KEY_8] = '*',          [KEY_9] = '(',
	    [KEY_0] = ')',          [KEY_MINUS] = '_',      [KEY_EQUAL] = '+',
	    [KEY_LEFTBRACE] = '{',  [KEY_RIGHTBRACE] = '}', [KEY_SEMICOLON] = ':',
	    [KEY_APOSTROPHE] = '"', [KEY_GRAVE] = '~',      [KEY_BACKSLASH] = '|',
	    [KEY_COMMA] = '<',      [KEY_DOT] = '>',        [KEY_SLASH] = '?',
	};
	if (code == KEY_SPACE)
		return ' ';
	if (code > KEY_SLASH || !plain[code])
		return 0;
	char c = plain[code];
	if (!shift)
		return c;
	if (c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 'A');
	return shifted[code];
}

struct evdev_scanner {
	struct scanner base;
	int fd;
	bool shift;
	struct line line;
};

static int evdev_read(struct scanner *s, struct scan *out, int timeout_ms)
{
	struct evdev_scanner *es = (struct evdev_scanner *)s;
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		bool partial = es->line.len > 0 || es->line.overflow;
		if (partial && now_ms() - es->line.last_ms > LINE_SILENCE_MS)
			return line_finish(&es->line, out, true) ? 1 : 0;
		int64_t until = deadline;
		if (partial && es->line.last_ms + LINE_SILENCE_MS + 1 > until)
			until = es->line.last_ms + LINE_SILENCE_MS + 1;
		int r = wait_readable(es->fd, until);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!partial)
				return 0;
			continue;
		}
		struct input_event ev;
		ssize_t n = read(es->fd, &ev, sizeof(ev));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return errno == EIO ? -ENODEV : -errno;
		if (n == 0)
			return -ENODEV;
		if (n != (ssize_t)sizeof(ev) || ev.type != EV_KEY)
			continue;
		if (ev.code == KEY_LEFTSHIFT || ev.code == KEY_RIGHTSHIFT) {
			es->shift = ev.value != 0;
			continue;
		}
		if (ev.value == 0)
			continue; /* key release */
		es->line.last_ms = now_ms();
		if (ev.code == KEY_ENTER || ev.code == KEY_KPENTER || ev.code == KEY_TAB) {
			if (line_finish(&es->line, out, false))
				return 1;
			continue;
		}
		char c = scanner_us_keymap(ev.code, es->shift);
		if (c)
			line_add(&es->line, c);
	}
}

static int evdev_fd(struct scanner *s)
{
	return ((struct evdev_scanner *)s)->fd;
}

static void evdev_close(struct scanner *s)
{
	struct evdev_scanner *es = (struct evdev_scanner *)s;
	ioctl(es->fd, EVIOCGRAB, 0);
	close(es->fd);
	free(es);
}

static const struct scanner_ops evdev_ops = {evdev_read, evdev_fd, evdev_close};

static struct scanner *evdev_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	/* Grab the device so that scans never reach other programs as keystrokes. A
	 * non-device (a FIFO that a test writes events into) cannot be grabbed: ENOTTY. */
	if (ioctl(fd, EVIOCGRAB, 1) != 0 && errno != ENOTTY && errno != EINVAL) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	struct evdev_scanner *es = calloc(1, sizeof(*es));
	if (!es) {
		close(fd);
		return NULL;
	}
	es->base.ops = &evdev_ops;
	es->fd = fd;
	return &es->base;
}

/* ---- wedge, fed by the UI ---- */

struct wedge_scanner {
	struct scanner base;
	struct wedge wedge;
};

static int wedge_read(struct scanner *s, struct scan *out, int timeout_ms)
{
	(void)timeout_ms; /* the UI thread feeds and reads; never wait here */
	struct wedge_scanner *ws = (struct wedge_scanner *)s;
	return wedge_take(&ws->wedge, now_ms(), out) ? 1 : 0;
}

static int wedge_fd(struct scanner *s)
{
	(void)s;
	return -1;
}

static void wedge_close(struct scanner *s)
{
	free(s);
}

static const struct scanner_ops wedge_ops = {wedge_read, wedge_fd, wedge_close};

struct wedge *scanner_wedge(struct scanner *s)
{
	if (!s || s->ops != &wedge_ops)
		return NULL;
	return &((struct wedge_scanner *)s)->wedge;
}

/* ---- spec strings ---- */

struct scanner *scanner_open(const char *spec)
{
	if (!spec) {
		errno = EINVAL;
		return NULL;
	}
	if (strcmp(spec, "wedge") == 0) {
		struct wedge_scanner *ws = calloc(1, sizeof(*ws));
		if (!ws)
			return NULL;
		ws->base.ops = &wedge_ops;
		wedge_init(&ws->wedge, NULL);
		return &ws->base;
	}
	if (strncmp(spec, "evdev:", 6) == 0 && spec[6])
		return evdev_open(spec + 6);
	if (strncmp(spec, "serial:", 7) == 0 && spec[7]) {
		char path[256];
		long baud = 9600;
		const char *comma = strchr(spec + 7, ',');
		size_t n = comma ? (size_t)(comma - (spec + 7)) : strlen(spec + 7);
		if (n >= sizeof(path)) {
			errno = EINVAL;
			return NULL;
		}
		memcpy(path, spec + 7, n);
		path[n] = '\0';
		if (comma) {
			char *end;
			if (strncmp(comma + 1, "baud=", 5) != 0) {
				errno = EINVAL;
				return NULL;
			}
			baud = strtol(comma + 6, &end, 10);
			if (*end) {
				errno = EINVAL;
				return NULL;
			}
		}
		return serial_open(path, baud);
	}
	errno = EINVAL;
	return NULL;
}

int scanner_read(struct scanner *s, struct scan *out, int timeout_ms)
{
	return s->ops->read(s, out, timeout_ms);
}

void scanner_close(struct scanner *s)
{
	if (s)
		s->ops->close(s);
}
