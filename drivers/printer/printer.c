/* drivers/printer/printer.c: a printer = a language (encoder + status query) over a
 * transport, chosen by a spec string. A job is encoded first, then the printer is asked
 * whether it is ready, then the bytes are sent: a fault found before sending sends nothing. */
#include "drivers/printer/printer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/printer/encode.h"
#include "drivers/printer/status.h"
#include "drivers/printer/transport.h"

enum status_mode {
	STATUS_DEFAULT,
	STATUS_REQUIRE, /* silence is PRINTER_E_OFFLINE */
	STATUS_ASK,     /* silence: print anyway */
	STATUS_OFF,
};

struct lang {
	const char *name;
	const char *ext;
	int (*encode)(const struct label *l, const struct encode_opts *o, struct bytes *out);
	const char *query; /* status request, or NULL */
	size_t query_len;
	/* true when `reply` is a complete answer; fills *st */
	bool (*parse)(const uint8_t *reply, size_t n, struct printer_status *st);
};

static int png_job(const struct label *l, const struct encode_opts *o, struct bytes *out)
{
	(void)o;
	return png_encode(l, out);
}

static const struct lang langs[] = {
    {"zpl", "zpl", zpl_encode, "~HS", 3, printer_zpl_status_parse},
    {"tspl", "tspl", tspl_encode, "\x1b!?", 3, printer_tspl_status_parse},
    {"escpos", "escpos", escpos_encode, "\x10\x04\x02\x10\x04\x04", 6, printer_escpos_status_parse},
    {"png", "png", png_job, NULL, 0, NULL},
};

struct printer_impl {
	struct printer base;
	const struct lang *lang;
	struct transport *t;
	enum status_mode status_mode;
	struct encode_opts opts;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Ask over an open transport. 1 answered, 0 silent or cannot read, -errno. */
static int query(struct printer_impl *p, struct printer_status *st)
{
	uint8_t reply[512];
	size_t n = 0, sent;
	if (!p->lang->query || p->status_mode == STATUS_OFF)
		return 0;
	int rc = p->t->ops->read(p->t, reply, 0, 0); /* n == 0: can this link answer at all? */
	if (rc == -ENOTSUP)
		return 0;
	rc = p->t->ops->write(p->t, p->lang->query, p->lang->query_len, &sent);
	if (rc)
		return rc;
	/* a printer that answers does so within milliseconds; when silence is allowed, do not
	 * hold every job for the whole timeout */
	int wait = p->t->timeout_ms;
	if (p->status_mode != STATUS_REQUIRE && wait > 1000)
		wait = 1000;
	int64_t deadline = now_ms() + wait;
	while (n < sizeof(reply)) {
		int left = (int)(deadline - now_ms());
		if (left <= 0)
			return 0;
		int got = p->t->ops->read(p->t, reply + n, sizeof(reply) - n, left);
		if (got < 0)
			return got;
		if (got == 0)
			return 0;
		n += (size_t)got;
		if (p->lang->parse(reply, n, st))
			return 1;
	}
	return 0;
}

/* The error that keeps a job from a printer in state *st, or 0 when it may print. */
static int refusal(const struct printer_status *st)
{
	if (st->paper_out)
		return PRINTER_E_PAPER_OUT;
	if (st->head_open)
		return PRINTER_E_HEAD_OPEN;
	if (st->paused)
		return PRINTER_E_PAUSED;
	if (st->ribbon_out || st->error)
		return PRINTER_E_FAULT;
	if (st->offline)
		return PRINTER_E_OFFLINE;
	return 0;
}

static int impl_print(struct printer *base, const struct printer_job *job)
{
	struct printer_impl *p = (struct printer_impl *)base;
	struct encode_opts o = p->opts;
	struct bytes b = {0};
	struct printer_status st = {0};
	size_t sent = 0;
	o.job_id = job->id;
	o.copies = job->copies > 0 ? job->copies : 1;
	int rc = p->lang->encode(job->label, &o, &b);
	if (rc)
		goto out_bytes;
	if (p->t->ops->status && p->status_mode != STATUS_OFF) {
		rc = p->t->ops->status(p->t, &st);
		if (rc == 0)
			rc = refusal(&st);
		if (rc)
			goto out_bytes;
	}
	rc = p->t->ops->begin(p->t, job->id);
	if (rc)
		goto out_bytes;
	int asked = query(p, &st);
	if (asked < 0) {
		rc = asked;
		goto out_end;
	}
	if (asked == 0 && p->status_mode == STATUS_REQUIRE) {
		rc = PRINTER_E_OFFLINE;
		goto out_end;
	}
	rc = refusal(&st);
	if (rc)
		goto out_end;
	rc = p->t->ops->write(p->t, b.data, b.len, &sent);
	if (rc) {
		if (sent > 0)
			rc = PRINTER_E_PARTIAL;
		goto out_end;
	}
	rc = p->t->ops->end(p->t);
	if (rc)
		rc = PRINTER_E_PARTIAL;
	goto out_bytes;
out_end:
	p->t->ops->end(p->t);
out_bytes:
	bytes_free(&b);
	return rc;
}

static int impl_status(struct printer *base, struct printer_status *st)
{
	struct printer_impl *p = (struct printer_impl *)base;
	memset(st, 0, sizeof(*st));
	if (p->t->ops->status) {
		if (p->t->ops->status(p->t, st) != 0)
			st->offline = true;
		return 0;
	}
	int rc = p->t->ops->begin(p->t, 0);
	if (rc) {
		st->offline = true;
		return 0;
	}
	int asked = query(p, st);
	p->t->ops->end(p->t);
	if (asked <= 0) {
		memset(st, 0, sizeof(*st));
		/* reachable but silent: for ZPL the sign of media out or head open */
		st->offline = p->lang->query && p->status_mode == STATUS_REQUIRE;
	}
	return 0;
}

static void impl_close(struct printer *base)
{
	struct printer_impl *p = (struct printer_impl *)base;
	p->t->ops->close(p->t);
	free(p);
}

static const struct printer_ops impl_ops = {
    .print = impl_print,
    .status = impl_status,
    .close = impl_close,
};

/* Options after '?': k=v&k=v. false on an unknown key or bad value. */
static bool parse_options(char *s, struct printer_impl *p, int *timeout_ms)
{
	char *save = NULL;
	for (char *kv = strtok_r(s, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *v = strchr(kv, '=');
		if (!v)
			return false;
		*v++ = '\0';
		if (strcmp(kv, "timeout_ms") == 0)
			*timeout_ms = atoi(v);
		else if (strcmp(kv, "native_qr") == 0)
			p->opts.native_qr = strcmp(v, "1") == 0;
		else if (strcmp(kv, "compress") == 0)
			p->opts.zpl_compress = strcmp(v, "1") == 0;
		else if (strcmp(kv, "gap_mm") == 0)
			p->opts.gap_mm = atof(v);
		else if (strcmp(kv, "media") == 0 && strcmp(v, "gap") == 0)
			p->opts.media = MEDIA_GAP;
		else if (strcmp(kv, "media") == 0 && strcmp(v, "mark") == 0)
			p->opts.media = MEDIA_BLACK_MARK;
		else if (strcmp(kv, "media") == 0 && strcmp(v, "continuous") == 0)
			p->opts.media = MEDIA_CONTINUOUS;
		else if (strcmp(kv, "status") == 0 && strcmp(v, "require") == 0)
			p->status_mode = STATUS_REQUIRE;
		else if (strcmp(kv, "status") == 0 && strcmp(v, "ask") == 0)
			p->status_mode = STATUS_ASK;
		else if (strcmp(kv, "status") == 0 && strcmp(v, "off") == 0)
			p->status_mode = STATUS_OFF;
		else
			return false;
	}
	return *timeout_ms > 0 && *timeout_ms <= 600000;
}

struct printer *printer_open(const char *spec)
{
	char buf[1024];
	int timeout_ms = 3000;
	if (!spec || strlen(spec) >= sizeof(buf))
		return NULL;
	snprintf(buf, sizeof(buf), "%s", spec);
	struct printer_impl *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->base.ops = &impl_ops;
	char *opts = strchr(buf, '?');
	if (opts) {
		*opts++ = '\0';
		if (!parse_options(opts, p, &timeout_ms))
			goto out_free;
	}
	char *colon = strchr(buf, ':');
	if (!colon)
		goto out_free;
	*colon = '\0';
	char *target = colon + 1, *plus = strchr(buf, '+');
	const char *tname = NULL;
	if (plus) {
		*plus = '\0';
		tname = plus + 1;
	}
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (strcmp(buf, langs[i].name) == 0)
			p->lang = &langs[i];
	if (!p->lang)
		goto out_free;
	enum transport_kind kind;
	bool slashes = strncmp(target, "//", 2) == 0;
	if (!tname)
		kind = strcmp(p->lang->name, "png") == 0 ? TRANSPORT_DIR
		       : slashes                         ? TRANSPORT_TCP
		                                         : TRANSPORT_DEVICE;
	else if (strcmp(tname, "tcp") == 0)
		kind = TRANSPORT_TCP;
	else if (strcmp(tname, "cups") == 0)
		kind = TRANSPORT_CUPS;
	else if (strcmp(tname, "dir") == 0)
		kind = TRANSPORT_DIR;
	else if (strcmp(tname, "dev") == 0 || strcmp(tname, "file") == 0)
		kind = TRANSPORT_DEVICE;
	else
		goto out_free;
	if (slashes && (kind == TRANSPORT_TCP || kind == TRANSPORT_CUPS))
		target += 2;
	else if (slashes && kind == TRANSPORT_DEVICE)
		target += 1; /* file:///dev/usb/lp0 style: keep one slash */
	if (p->status_mode == STATUS_DEFAULT)
		p->status_mode = kind == TRANSPORT_TCP && strcmp(p->lang->name, "zpl") == 0
		                     ? STATUS_REQUIRE
		                     : STATUS_ASK;
	p->t = transport_open(kind, target, p->lang->ext, timeout_ms);
	if (!p->t)
		goto out_free;
	return &p->base;
out_free:
	free(p);
	return NULL;
}

int printer_print_job(struct printer *p, const struct printer_job *job)
{
	if (!p || !job || !job->label)
		return -EINVAL;
	return p->ops->print(p, job);
}

int printer_print(struct printer *p, const struct label *l)
{
	struct printer_job job = {.id = 0, .label = l, .copies = 1};
	return printer_print_job(p, &job);
}

int printer_status(struct printer *p, struct printer_status *st)
{
	if (!p || !st)
		return -EINVAL;
	return p->ops->status(p, st);
}

void printer_close(struct printer *p)
{
	if (p)
		p->ops->close(p);
}

const char *printer_error_code(int err)
{
	static __thread char buf[48];
	switch (err) {
	case 0:
		return "OK";
	case PRINTER_E_PAPER_OUT:
		return "E_PRINTER_PAPER_OUT";
	case PRINTER_E_HEAD_OPEN:
		return "E_PRINTER_HEAD_OPEN";
	case PRINTER_E_PAUSED:
		return "E_PRINTER_PAUSED";
	case PRINTER_E_OFFLINE:
		return "E_PRINTER_OFFLINE";
	case PRINTER_E_FAULT:
		return "E_PRINTER_FAULT";
	case PRINTER_E_PARTIAL:
		return "E_PRINTER_PARTIAL";
	default:
		break;
	}
	const char *name = err < 0 ? strerrorname_np(-err) : NULL;
	snprintf(buf, sizeof(buf), "errno %d (%s)", -err, name ? name : "?");
	return buf;
}
