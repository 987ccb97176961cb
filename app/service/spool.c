/* app/service/spool.c: the spool thread: takes queued jobs from the store oldest first,
 * lays them out, and prints them, writing each step to the store before and after the
 * printer is spoken to; retries with back-off, moves to the fallback printer, gives up
 * after max attempts or age. The job states are described in docs/printing.md. */
#include "app/service/spool.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/sys/sys.h"
#include "drivers/printer/printer.h"

enum {
	PRIMARY,
	FALLBACK,
	N_PRINTERS
};
static const char *const printer_names[N_PRINTERS] = {"primary", "fallback"};

struct spool {
	struct spool_config cfg; /* spec strings below replace the caller's */
	char *primary_spec, *fallback_spec;
	struct store *st;                     /* used only by the thread once started */
	struct printer *printers[N_PRINTERS]; /* fallback may be NULL */
	bool primary_down; /* thread only: the primary failed a job over; probe before use */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, kicked; /* under mu */
};

static const char *const outcome_names[SPOOL_OUTCOME_COUNT] = {"printed", "waiting", "moved",
                                                               "failed", "uncertain"};

const char *spool_outcome_name(enum spool_outcome o)
{
	return (unsigned)o < SPOOL_OUTCOME_COUNT ? outcome_names[o] : "?";
}

static int64_t now_s(void)
{
	return clock_unix_s();
}

static bool stopping(struct spool *s)
{
	pthread_mutex_lock(&s->mu);
	bool stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

/* Sleep up to ms; a kick ends it early only when woken_by_kick. Returns true when stopping. */
static bool spool_wait(struct spool *s, int ms, bool woken_by_kick)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->mu);
	while (!s->stop && !(woken_by_kick && s->kicked))
		if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
			break;
	if (woken_by_kick)
		s->kicked = false;
	bool stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

/* The reason a person or the desk is told for a printer result. */
static enum reason reason_of(int err)
{
	switch (err) {
	case 0:
		return REASON_OK;
	case PRINTER_E_PAPER_OUT:
		return REASON_PAPER_OUT;
	case PRINTER_E_HEAD_OPEN:
		return REASON_PRINTER_HEAD_OPEN;
	case PRINTER_E_PAUSED:
		return REASON_PRINTER_PAUSED;
	case PRINTER_E_PARTIAL:
		return REASON_PRINT_UNCERTAIN;
	case PRINTER_E_OFFLINE:
	case -ECONNREFUSED:
	case -ETIMEDOUT:
	case -EHOSTUNREACH:
	case -ENETUNREACH:
	case -ECONNRESET:
	case -EPIPE:
	case -ENOENT: /* device file gone: unplugged */
	case -ENODEV:
	case -ENXIO: /* nobody reading */
		return REASON_PRINTER_OFFLINE;
	default:
		return REASON_PRINTER_FAILED;
	}
}

/* What a status answer says about printing now: 0, or the PRINTER_E_* keeping it back
 * (the order printer_print_job() uses). */
static int status_refusal(const struct printer_status *ps)
{
	if (ps->paper_out)
		return PRINTER_E_PAPER_OUT;
	if (ps->head_open)
		return PRINTER_E_HEAD_OPEN;
	if (ps->paused)
		return PRINTER_E_PAUSED;
	if (ps->ribbon_out || ps->error)
		return PRINTER_E_FAULT;
	if (ps->offline)
		return PRINTER_E_OFFLINE;
	return 0;
}

static int printer_ready(struct printer *p)
{
	struct printer_status ps;
	if (printer_status(p, &ps) != 0)
		return PRINTER_E_OFFLINE;
	return status_refusal(&ps);
}

static void notify(struct spool *s, const struct print_job *job, enum spool_outcome outcome,
                   enum reason reason, int which, int attempts, int err)
{
	log_msg(outcome == SPOOL_PRINTED ? LOG_LEVEL_INFO : LOG_LEVEL_WARN,
	        "spool: job %lld %s %s, %s printer (%s, %d sends)", (long long)job->id, job->kind,
	        outcome_names[outcome], printer_names[which], reason_code(reason), attempts);
	if (!s->cfg.notify)
		return;
	struct spool_result r = {.job_id = job->id,
	                         .outcome = outcome,
	                         .reason = reason,
	                         .printer = printer_names[which],
	                         .attempts = attempts,
	                         .err = err};
	snprintf(r.kind, sizeof(r.kind), "%s", job->kind);
	snprintf(r.ref, sizeof(r.ref), "%s", job->ref);
	s->cfg.notify(&r, s->cfg.ctx);
}

static void log_store(struct spool *s, const char *what, int64_t id, int status)
{
	log_err("spool: job %lld: cannot %s: %s (%s)", (long long)id, what,
	        store_status_name(status), store_errmsg(s->st));
}

/* Jobs left "printing" by a stop while sending may have printed: uncertain, for staff. */
static void spool_recover(struct spool *s)
{
	struct print_job *jobs;
	size_t n, changed;
	int status = store_print_jobs_list(s->st, 1u << PRINT_PRINTING, &jobs, &n);
	if (status == 0)
		status = store_print_jobs_recover(s->st, REASON_PRINT_UNCERTAIN,
		                                  "interrupted while sending", now_s(), &changed);
	if (status) {
		log_store(s, "recover", 0, status);
		return;
	}
	for (size_t i = 0; i < n; i++)
		notify(s, &jobs[i], SPOOL_UNCERTAIN, REASON_PRINT_UNCERTAIN,
		       strcmp(jobs[i].printer, printer_names[FALLBACK]) == 0 ? FALLBACK : PRIMARY,
		       jobs[i].attempts, 0);
	store_print_jobs_free(jobs, n);
}

/* The label of a job, or NULL when its payload cannot be laid out. */
static struct label *job_label(struct spool *s, const struct print_job *job, int *copies)
{
	struct spool_payload *pl = malloc(sizeof(*pl));
	struct label *l = NULL;
	if (!pl)
		return NULL;
	if (spool_payload_decode(job->payload, pl) == 0) {
		struct label_spec spec = s->cfg.media[pl->kind];
		if (spec.dpi == 0)
			spec = label_spec_default(pl->kind);
		spec.kind = pl->kind;
		spec.lang = pl->lang;
		struct label_fields f;
		spool_payload_fields(pl, &f);
		if (label_layout(s->cfg.kit, &spec, &f, &l) != 0)
			l = NULL;
		*copies = pl->copies;
	}
	free(pl);
	return l;
}

/* Where a job starts: its recorded printer, or the fallback while the primary is down
 * (probed first: a primary that answers ready is used again). */
static int job_printer(struct spool *s, const struct print_job *job)
{
	if (!s->printers[FALLBACK])
		return PRIMARY;
	if (strcmp(job->printer, printer_names[FALLBACK]) == 0)
		return FALLBACK;
	if (s->primary_down && printer_ready(s->printers[PRIMARY]) == 0)
		s->primary_down = false;
	if (!s->primary_down)
		return PRIMARY;
	int status = store_print_job_set_printer(s->st, job->id, printer_names[FALLBACK], now_s());
	if (status) {
		log_store(s, "move to the fallback", job->id, status);
		return PRIMARY;
	}
	return FALLBACK;
}

/* One job until it is done, failed, uncertain, cancelled by staff, or the spool stops.
 * Returns 0, or a store status when the store could not record a step (the caller then
 * waits before reading the queue again rather than spin on the same row). */
static int spool_run(struct spool *s, struct print_job *job)
{
	int stuck = 0;
	int copies = 1, which, err = 0, failures = 0, backoff = s->cfg.backoff_ms;
	bool told_waiting = false;
	enum reason last = job->reason;
	struct print_job cur = {0};
	struct label *label = job_label(s, job, &copies);
	if (!label) {
		int status = store_print_job_move(s->st, job->id, PRINT_QUEUED, PRINT_FAILED,
		                                  REASON_PRINT_JOB_INVALID,
		                                  "payload cannot be laid out", NULL, now_s());
		if (status)
			log_store(s, "fail", job->id, status);
		else
			notify(s, job, SPOOL_FAILED, REASON_PRINT_JOB_INVALID, PRIMARY,
			       job->attempts, 0);
		return status;
	}
	which = job_printer(s, job);
	while (!stopping(s)) {
		int64_t t = now_s();
		free(cur.payload);
		cur.payload = NULL;
		int status = store_print_job_get(s->st, job->id, &cur);
		if (status || cur.state != PRINT_QUEUED) {
			stuck = status; /* else cancelled or changed by staff */
			break;
		}
		struct printer *p = s->printers[which];
		if (failures > 0) {
			if (t - cur.queued_at > s->cfg.max_age_s) {
				status =
				    store_print_job_move(s->st, job->id, PRINT_QUEUED, PRINT_FAILED,
				                         last, "gave up: too old", NULL, t);
				if (status)
					log_store(s, "fail", job->id, status);
				else
					notify(s, job, SPOOL_FAILED, last, which, cur.attempts,
					       err);
				break;
			}
			/* waiting: ask the printer, and send only once it says it can print */
			int refused = printer_ready(p);
			if (refused) {
				/* the desk sees what the printer says now */
				if (reason_of(refused) != last)
					status = store_print_job_move(
					    s->st, job->id, PRINT_QUEUED, PRINT_QUEUED,
					    reason_of(refused), printer_error_code(refused), NULL,
					    t);
				if (status)
					log_store(s, "record the printer state", job->id, status);
				err = refused;
				last = reason_of(refused);
				failures++;
				goto next;
			}
		}
		status = store_print_job_move(s->st, job->id, PRINT_QUEUED, PRINT_PRINTING, last,
		                              NULL, printer_names[which], t);
		if (status) {
			if (status != STORE_E_NOT_FOUND) { /* else cancelled meanwhile */
				log_store(s, "mark printing", job->id, status);
				stuck = status;
			}
			break;
		}
		struct printer_job pj = {.id = (uint64_t)job->id, .label = label, .copies = copies};
		err = printer_print_job(p, &pj);
		t = now_s();
		int attempts = cur.attempts + 1;
		if (err == 0 || err == PRINTER_E_PARTIAL) {
			bool done = err == 0;
			status = store_print_job_move(
			    s->st, job->id, PRINT_PRINTING, done ? PRINT_DONE : PRINT_UNCERTAIN,
			    reason_of(err), done ? NULL : "sent part way", NULL, t);
			/* not recorded: the job stays "printing" and is uncertain at the next
			 * start, never printed twice */
			if (status)
				log_store(s, "record the result", job->id, status);
			if (done && which == PRIMARY)
				s->primary_down = false;
			notify(s, job, done ? SPOOL_PRINTED : SPOOL_UNCERTAIN, reason_of(err),
			       which, attempts, err);
			break;
		}
		last = reason_of(err);
		failures++;
		status = store_print_job_move(s->st, job->id, PRINT_PRINTING, PRINT_QUEUED, last,
		                              printer_error_code(err), NULL, t);
		if (status) {
			log_store(s, "requeue", job->id, status);
			stuck = status;
			break;
		}
		if (attempts >= s->cfg.max_attempts) {
			status = store_print_job_move(s->st, job->id, PRINT_QUEUED, PRINT_FAILED,
			                              last, printer_error_code(err), NULL, t);
			if (status)
				log_store(s, "fail", job->id, status);
			else
				notify(s, job, SPOOL_FAILED, last, which, attempts, err);
			break;
		}
		if (!told_waiting) {
			notify(s, job, SPOOL_WAITING, last, which, attempts, err);
			told_waiting = true;
		}
	next:
		if (which == PRIMARY && s->printers[FALLBACK] &&
		    failures >= s->cfg.fallback_after) {
			status = store_print_job_set_printer(s->st, job->id,
			                                     printer_names[FALLBACK], now_s());
			if (status == 0) {
				which = FALLBACK;
				s->primary_down = true;
				failures = 0;
				backoff = s->cfg.backoff_ms;
				notify(s, job, SPOOL_MOVED, last, FALLBACK, cur.attempts, err);
				continue;
			}
			log_store(s, "move to the fallback", job->id, status);
		}
		if (spool_wait(s, backoff, false))
			break;
		backoff = backoff * 2 > s->cfg.backoff_max_ms ? s->cfg.backoff_max_ms : backoff * 2;
	}
	free(cur.payload);
	label_free(label);
	return stuck;
}

static void *spool_main(void *arg)
{
	struct spool *s = arg;
	spool_recover(s);
	while (!stopping(s)) {
		struct print_job job;
		int status = store_print_job_next(s->st, &job);
		if (status == 0) {
			status = spool_run(s, &job);
			free(job.payload);
			if (status == 0)
				continue;
		} else if (status != STORE_E_NOT_FOUND)
			log_store(s, "read the queue", 0, status);
		spool_wait(s, s->cfg.idle_ms, true);
	}
	return NULL;
}

static void spool_free(struct spool *s)
{
	for (int i = 0; i < N_PRINTERS; i++)
		printer_close(s->printers[i]);
	store_close(s->st);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->primary_spec);
	free(s->fallback_spec);
	free(s);
}

struct spool *spool_open(const struct spool_config *cfg, int *err)
{
	struct store_error serr;
	pthread_condattr_t ca;
	int status = -EINVAL;
	if (!cfg || !cfg->store_path || !cfg->primary || !*cfg->primary || !cfg->kit)
		goto out_err;
	struct spool *s = calloc(1, sizeof(*s));
	if (!s) {
		status = -ENOMEM;
		goto out_err;
	}
	s->cfg = *cfg;
	struct spool_config *c = &s->cfg;
	c->max_attempts = c->max_attempts > 0 ? c->max_attempts : 5;
	c->max_age_s = c->max_age_s > 0 ? c->max_age_s : 600;
	c->fallback_after = c->fallback_after > 0 ? c->fallback_after : 3;
	c->backoff_ms = c->backoff_ms > 0 ? c->backoff_ms : 500;
	c->backoff_max_ms = c->backoff_max_ms > 0 ? c->backoff_max_ms : 15000;
	if (c->backoff_max_ms < c->backoff_ms)
		c->backoff_max_ms = c->backoff_ms;
	c->idle_ms = c->idle_ms > 0 ? c->idle_ms : 1000;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	s->primary_spec = strdup(cfg->primary);
	s->fallback_spec = cfg->fallback && *cfg->fallback ? strdup(cfg->fallback) : NULL;
	if (!s->primary_spec || (cfg->fallback && *cfg->fallback && !s->fallback_spec)) {
		status = -ENOMEM;
		goto out_free;
	}
	c->primary = s->primary_spec;
	c->fallback = s->fallback_spec;
	c->store_path = NULL; /* not kept: only for the open below */
	s->printers[PRIMARY] = printer_open(s->primary_spec);
	s->printers[FALLBACK] = s->fallback_spec ? printer_open(s->fallback_spec) : NULL;
	if (!s->printers[PRIMARY] || (s->fallback_spec && !s->printers[FALLBACK])) {
		status = -EINVAL;
		goto out_free;
	}
	s->st = store_open(cfg->store_path, &serr);
	if (!s->st) {
		status = serr.code;
		goto out_free;
	}
	status = -pthread_create(&s->thread, NULL, spool_main, s);
	if (status)
		goto out_free;
	if (err)
		*err = 0;
	return s;
out_free:
	spool_free(s);
out_err:
	if (err)
		*err = status;
	return NULL;
}

void spool_kick(struct spool *s)
{
	pthread_mutex_lock(&s->mu);
	s->kicked = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void spool_close(struct spool *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	spool_free(s);
}
