/* app/sync/client.c: the device's sync client on libcurl: one easy handle (kept-alive
 * connection) on one thread; rounds of push-then-pull; a failure waits an exponentially
 * growing, jittered time; stop aborts a transfer through the progress callback. */
#include "app/sync/client.h"

/* plain prototypes: curl's type-checking macros would also rewrite curl.curl_easy_setopt */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "app/sys/sys.h"

#define BATCH_DEFAULT       100
#define INTERVAL_DEFAULT    5000
#define BACKOFF_MIN_DEF     500
#define BACKOFF_MAX_DEF     60000
#define TIMEOUT_DEFAULT     15000
#define PULL_ROUNDS_MAX     1000 /* pulls per round, so a round always ends */
#define REPLY_MAX           (4 * SYNC_REQUEST_MAX)
#define RENUMBER_ROUNDS_MAX 16 /* renumberings per round: each moves past all held seqs */

void sync_records_free(struct sync_record *records, size_t n)
{
	for (size_t i = 0; records && i < n; i++)
		free(records[i].body);
	free(records);
}

int sync_backoff_ms(int failures, int min_ms, int max_ms, double r)
{
	if (failures < 1)
		return 0;
	int64_t wait = min_ms;
	for (int i = 1; i < failures && wait < max_ms; i++)
		wait *= 2;
	if (wait > max_ms)
		wait = max_ms;
	if (r < 0)
		r = 0;
	if (r >= 1)
		r = 0.999999;
	return (int)(wait / 2 + (int64_t)((double)(wait - wait / 2) * r));
}

/* ---- libcurl, opened at first use (app/sys/sys.h lib_open) ---- */

/* clang-format off */
#define CURL_FNS(X) \
	X(curl_global_init) X(curl_easy_init) X(curl_easy_setopt) X(curl_easy_perform) \
	X(curl_easy_getinfo) X(curl_easy_strerror) X(curl_easy_cleanup) X(curl_slist_append) \
	X(curl_slist_free_all)
/* clang-format on */

static struct {
	CURL_FNS(LIB_POINTER)
} curl;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_loaded;
static char curl_error[SYNC_TEXT_MAX];

static void curl_load_once(void)
{
	void *lib = lib_open("libcurl.so.4", curl_error, sizeof(curl_error));
#define BIND(fn)                                                                                   \
	&&(curl.fn = (__typeof__(curl.fn))lib_sym(lib, #fn, curl_error, sizeof(curl_error)))
	curl_loaded = lib CURL_FNS(BIND);
#undef BIND
	if (curl_loaded && curl.curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(curl_error, sizeof(curl_error), "curl_global_init failed");
		curl_loaded = false;
	}
}

/* true when libcurl is ready; otherwise curl_error says why */
static bool curl_load(void)
{
	pthread_once(&curl_once, curl_load_once);
	return curl_loaded;
}

/* ---- one HTTP exchange ---- */

struct http {
	CURL *curl;
	struct curl_slist *headers;
	const struct sync_client_options *o;
	char device[SYNC_ID_MAX];
	atomic_bool *stop; /* may be NULL */
	char *reply;
	size_t len;
	bool reply_too_big;
	char error[SYNC_TEXT_MAX];
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct http *h = userdata;
	size_t n = size * nmemb;
	if (h->len + n > REPLY_MAX) {
		h->reply_too_big = true;
		return 0;
	}
	char *grown = realloc(h->reply, h->len + n + 1);
	if (!grown)
		return 0;
	h->reply = grown;
	memcpy(h->reply + h->len, ptr, n);
	h->len += n;
	h->reply[h->len] = '\0';
	return n;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	struct http *h = p;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return h->stop && atomic_load(h->stop) ? 1 : 0;
}

static int http_open(struct http *h, const struct sync_client_options *o, atomic_bool *stop)
{
	char auth[SYNC_ID_MAX + SYNC_SECRET_HEX + 32];
	char secret[SYNC_SECRET_HEX + 1];
	memset(h, 0, sizeof(*h));
	h->o = o;
	h->stop = stop;
	snprintf(auth, sizeof(auth), "Bearer %s", o->token ? o->token : "");
	if (!o->url || !sync_token_parse(auth, h->device, secret))
		return SYNC_E_MALFORMED;
	memset(secret, 0, sizeof(secret));
	h->curl = curl.curl_easy_init();
	if (!h->curl)
		return SYNC_E_NOMEM;
	char header[sizeof(auth) + 16];
	snprintf(header, sizeof(header), "Authorization: %s", auth);
	struct curl_slist *l = curl.curl_slist_append(NULL, header);
	memset(header, 0, sizeof(header));
	if (l)
		h->headers = l;
	l = l ? curl.curl_slist_append(h->headers, "Content-Type: application/json") : NULL;
	memset(auth, 0, sizeof(auth));
	if (!l) {
		curl.curl_slist_free_all(h->headers);
		curl.curl_easy_cleanup(h->curl);
		return SYNC_E_NOMEM;
	}
	long timeout = o->timeout_ms > 0 ? o->timeout_ms : TIMEOUT_DEFAULT;
	curl.curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	curl.curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl.curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, timeout);
	curl.curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, timeout < 5000 ? timeout : 5000L);
	curl.curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl.curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
	curl.curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
	curl.curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl.curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, h);
	curl.curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl.curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	if (o->ca_file)
		curl.curl_easy_setopt(h->curl, CURLOPT_CAINFO, o->ca_file);
	return 0;
}

static void http_close(struct http *h)
{
	free(h->reply);
	if (h->headers)
		curl.curl_slist_free_all(h->headers);
	if (h->curl)
		curl.curl_easy_cleanup(h->curl);
	memset(h, 0, sizeof(*h));
}

/* GET (body NULL) or POST path; 0 with h->reply holding a 200 body, or an error status
 * with h->error saying what. */
static int http_exchange(struct http *h, const char *path, const char *body)
{
	char url[1024];
	long code = 0;
	free(h->reply);
	h->reply = NULL;
	h->len = 0;
	h->reply_too_big = false;
	snprintf(url, sizeof(url), "%s%s", h->o->url, path);
	curl.curl_easy_setopt(h->curl, CURLOPT_URL, url);
	if (body) {
		curl.curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
		curl.curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else {
		curl.curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	}
	CURLcode rc = curl.curl_easy_perform(h->curl);
	if (rc != CURLE_OK) {
		snprintf(h->error, sizeof(h->error), "%s",
		         h->reply_too_big ? "reply too large" : curl.curl_easy_strerror(rc));
		return h->reply_too_big ? SYNC_E_MALFORMED : SYNC_E_NETWORK;
	}
	curl.curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
	if (code == 200)
		return 0;
	struct sync_error_reply e;
	int status;
	if (h->reply && sync_error_decode(h->reply, h->len, &e) == 0) {
		status = sync_status_from_code(e.code);
		snprintf(h->error, sizeof(h->error), "HTTP %ld %.23s: %.160s", code, e.code,
		         e.detail);
	} else {
		status = code == 401   ? SYNC_E_UNAUTHENTICATED
		         : code == 403 ? SYNC_E_FORBIDDEN
		         : code == 413 ? SYNC_E_TOO_LARGE
		         : code == 503 ? SYNC_E_BUSY
		         : code == 400 ? SYNC_E_MALFORMED
		                       : SYNC_E_INTERNAL;
		snprintf(h->error, sizeof(h->error), "HTTP %ld", code);
	}
	return status ? status : SYNC_E_INTERNAL;
}

/* ---- a round ---- */

static int cmp_seq(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The largest seq S of the batch such that every sent seq <= S has a result. */
static int64_t delivered_through(const struct sync_record *recs, size_t n,
                                 const struct sync_push_reply *r, size_t *count)
{
	int64_t *sent = malloc(n * sizeof(*sent));
	int64_t through = 0;
	*count = 0;
	if (!sent)
		return 0;
	for (size_t i = 0; i < n; i++)
		sent[i] = recs[i].seq;
	qsort(sent, n, sizeof(*sent), cmp_seq);
	for (size_t i = 0; i < n; i++) {
		bool held = false;
		for (size_t k = 0; k < r->n && !held; k++)
			held = r->results[k].seq == sent[i];
		if (!held)
			break;
		through = sent[i];
		(*count)++;
	}
	free(sent);
	return through;
}

static bool reply_has_reused(const struct sync_push_reply *r)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->results[k].status == SYNC_RESULT_REUSED)
			return true;
	return false;
}

/* The station holds other records under some sent seqs (this device's store was recreated
 * and numbers from 1 again): the sent records it now holds are delivered, every other
 * undelivered record gets a seq after everything the station and the device have used. */
static int push_renumber(struct sync_source *src, const struct sync_record *recs, size_t n,
                         const struct sync_push_reply *r, int *renumbers,
                         struct sync_client_status *st)
{
	int64_t *held = malloc(n * sizeof(*held));
	size_t n_held = 0, n_reused = 0, moved = 0;
	int64_t first = 0;
	if (!held)
		return SYNC_E_NOMEM;
	for (size_t k = 0; k < r->n; k++) {
		bool sent = false;
		for (size_t i = 0; i < n && !sent; i++)
			sent = recs[i].seq == r->results[k].seq;
		if (!sent)
			continue;
		if (r->results[k].status == SYNC_RESULT_REUSED)
			n_reused++;
		else if (n_held < n)
			held[n_held++] = r->results[k].seq;
	}
	int status = SYNC_E_INTERNAL;
	if (!src->ops->renumber || ++*renumbers > RENUMBER_ROUNDS_MAX) {
		snprintf(st->last_error, sizeof(st->last_error),
		         "push: the station holds other records under this device's seqs");
		goto out_free;
	}
	if ((status = src->ops->renumber(src, held, n_held, r->held_through, &moved, &first))) {
		snprintf(st->last_error, sizeof(st->last_error), "cannot renumber the outbox");
		goto out_free;
	}
	log_warn("sync: the station holds other records under %zu of this device's seqs (a "
	         "recreated store?); %zu undelivered records renumbered from seq %lld",
	         n_reused, moved, (long long)first);
	st->delivered += (int64_t)n_held;
out_free:
	free(held);
	return status;
}

static int round_push(struct http *h, struct sync_source *src, size_t *batch,
                      struct sync_client_status *st)
{
	int renumbers = 0;
	for (;;) {
		struct sync_record *recs = NULL;
		size_t n = 0;
		int status = src->ops->pending(src, *batch, &recs, &n);
		if (status) {
			snprintf(st->last_error, sizeof(st->last_error), "cannot read the outbox");
			return SYNC_E_INTERNAL;
		}
		if (n == 0)
			return 0;
		struct sync_push p = {.records = recs, .n = n};
		snprintf(p.device, sizeof(p.device), "%s", h->device);
		char *text = sync_push_encode(&p);
		if (!text) {
			sync_records_free(recs, n);
			snprintf(st->last_error, sizeof(st->last_error),
			         "an outbox record cannot be encoded");
			return SYNC_E_MALFORMED;
		}
		status = http_exchange(h, "/v1/push", text);
		free(text);
		if (status == SYNC_E_TOO_LARGE && *batch > 1) {
			*batch /= 2; /* smaller batches until they fit */
			sync_records_free(recs, n);
			continue;
		}
		struct sync_push_reply reply;
		if (!status) {
			char err[128];
			status = sync_push_reply_decode(h->reply, h->len, &reply, err, sizeof(err));
			if (status)
				snprintf(h->error, sizeof(h->error), "bad push reply: %s", err);
		}
		if (status) {
			sync_records_free(recs, n);
			snprintf(st->last_error, sizeof(st->last_error), "push: %.200s", h->error);
			return status;
		}
		if (reply_has_reused(&reply)) {
			status = push_renumber(src, recs, n, &reply, &renumbers, st);
			sync_push_reply_free(&reply);
			sync_records_free(recs, n);
			if (status)
				return status;
			continue; /* the renumbered records go out again in this round */
		}
		size_t count;
		int64_t through = delivered_through(recs, n, &reply, &count);
		sync_push_reply_free(&reply);
		sync_records_free(recs, n);
		if (count == 0) {
			snprintf(st->last_error, sizeof(st->last_error),
			         "push: the station answered without holding the batch");
			return SYNC_E_INTERNAL;
		}
		if ((status = src->ops->mark_sent(src, through))) {
			snprintf(st->last_error, sizeof(st->last_error), "cannot mark the outbox");
			return SYNC_E_INTERNAL;
		}
		st->delivered += (int64_t)count;
		if (count < n)
			return 0; /* the rest went unanswered: next round */
	}
}

static int round_pull(struct http *h, struct sync_source *src, struct sync_client_status *st)
{
	for (int i = 0; i < PULL_ROUNDS_MAX; i++) {
		int64_t since;
		char path[96];
		if (src->ops->cursor(src, &since)) {
			snprintf(st->last_error, sizeof(st->last_error),
			         "cannot read the pull cursor");
			return SYNC_E_INTERNAL;
		}
		snprintf(path, sizeof(path), "/v1/pull?since=%lld&limit=%d", (long long)since,
		         SYNC_PULL_LIMIT_DEF);
		int status = http_exchange(h, path, NULL);
		struct sync_pull_reply r;
		if (!status) {
			char err[128];
			status = sync_pull_reply_decode(h->reply, h->len, &r, err, sizeof(err));
			if (!status && r.n && r.changes[0].seq <= since) {
				sync_pull_reply_free(&r);
				snprintf(err, sizeof(err), "changes at or before the cursor");
				status = SYNC_E_MALFORMED;
			}
			if (status)
				snprintf(h->error, sizeof(h->error), "bad pull reply: %s", err);
		}
		if (status) {
			snprintf(st->last_error, sizeof(st->last_error), "pull: %.200s", h->error);
			return status;
		}
		status = src->ops->apply(src, &r);
		bool more = r.more;
		st->cursor = r.cursor;
		sync_pull_reply_free(&r);
		if (status) {
			snprintf(st->last_error, sizeof(st->last_error),
			         "cannot apply pulled changes");
			return SYNC_E_INTERNAL;
		}
		if (!more)
			return 0;
	}
	return 0;
}

static int round_leases(struct http *h, struct sync_source *src, int want,
                        struct sync_client_status *st)
{
	struct sync_lease_request req = {.want = want > SYNC_LEASE_MAX ? SYNC_LEASE_MAX : want};
	struct sync_lease_reply reply;
	char err[128];
	if (!src->ops->leases_returning || !src->ops->leases_set)
		return 0;
	if (src->ops->leases_returning(src, &req)) {
		snprintf(st->last_error, sizeof(st->last_error), "cannot read the leases");
		return SYNC_E_INTERNAL;
	}
	if (want <= 0 && req.n_returned == 0)
		return 0; /* a device that holds no leases does not ask */
	if (req.want < 0)
		req.want = 0;
	char *text = sync_lease_request_encode(&req);
	if (!text)
		return SYNC_E_NOMEM;
	int status = http_exchange(h, "/v1/leases", text);
	free(text);
	if (!status &&
	    (status = sync_lease_reply_decode(h->reply, h->len, &reply, err, sizeof(err))))
		snprintf(h->error, sizeof(h->error), "bad leases reply: %s", err);
	if (status) {
		snprintf(st->last_error, sizeof(st->last_error), "leases: %.200s", h->error);
		return status;
	}
	if (src->ops->leases_set(src, &reply)) {
		snprintf(st->last_error, sizeof(st->last_error), "cannot store the leases");
		return SYNC_E_INTERNAL;
	}
	st->leases = reply.n;
	return 0;
}

static int round_run(struct http *h, struct sync_source *src, size_t *batch,
                     struct sync_client_status *st)
{
	st->last_attempt_ms = clock_unix_ms();
	int status = round_push(h, src, batch, st);
	if (!status)
		status = round_pull(h, src, st);
	if (!status)
		status = round_leases(h, src, h->o->lease_want, st);
	size_t waiting;
	if (src->ops->count(src, &waiting) == 0)
		st->waiting = waiting;
	st->online = status == 0 || (status != SYNC_E_NETWORK && status != SYNC_E_BUSY);
	st->refused = status == SYNC_E_UNAUTHENTICATED || status == SYNC_E_FORBIDDEN;
	if (!status) {
		st->last_success_ms = clock_unix_ms();
		st->last_error[0] = '\0';
		st->failures = 0;
	} else {
		st->failures++;
	}
	return status;
}

static size_t batch_size(const struct sync_client_options *o)
{
	return o->batch_max == 0               ? BATCH_DEFAULT
	       : o->batch_max > SYNC_BATCH_MAX ? SYNC_BATCH_MAX
	                                       : o->batch_max;
}

int sync_client_round(struct sync_source *src, const struct sync_client_options *o,
                      struct sync_client_status *st)
{
	struct http h;
	struct sync_client_status local;
	if (!st) {
		memset(&local, 0, sizeof(local));
		st = &local;
	}
	if (!curl_load()) {
		snprintf(st->last_error, sizeof(st->last_error), "%s", curl_error);
		return SYNC_E_INTERNAL;
	}
	int status = http_open(&h, o, NULL);
	if (status)
		return status;
	size_t batch = batch_size(o);
	status = round_run(&h, src, &batch, st);
	http_close(&h);
	return status;
}

/* ---- the thread ---- */

struct sync_client {
	struct sync_source *src;
	struct sync_client_options o;
	char url[512];
	char token[SYNC_ID_MAX + SYNC_SECRET_HEX + 2];
	char ca_file[512];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
	bool kicked;
	struct sync_client_status status; /* under lock */
	struct http http;
	uint64_t rng;
};

static double random_unit(struct sync_client *c)
{
	/* xorshift64*: jitter only needs to spread devices apart, not to be secret */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

static void *client_thread(void *arg)
{
	struct sync_client *c = arg;
	/* libcurl is opened here, off the kiosk's start-up path */
	int opened = curl_load() ? http_open(&c->http, &c->o, &c->stop) : SYNC_E_INTERNAL;
	if (opened) {
		pthread_mutex_lock(&c->lock);
		snprintf(c->status.last_error, sizeof(c->status.last_error), "%s",
		         opened == SYNC_E_INTERNAL ? curl_error : "cannot start an HTTP session");
		c->status.failures = 1;
		pthread_mutex_unlock(&c->lock);
		log_err("sync: %s; not syncing", c->status.last_error);
		return NULL;
	}
	size_t batch = batch_size(&c->o);
	int interval = c->o.interval_ms > 0 ? c->o.interval_ms : INTERVAL_DEFAULT;
	int bmin = c->o.backoff_min_ms > 0 ? c->o.backoff_min_ms : BACKOFF_MIN_DEF;
	int bmax = c->o.backoff_max_ms > 0 ? c->o.backoff_max_ms : BACKOFF_MAX_DEF;
	while (!atomic_load(&c->stop)) {
		struct sync_client_status st;
		pthread_mutex_lock(&c->lock);
		st = c->status;
		c->kicked = false;
		pthread_mutex_unlock(&c->lock);
		int status = round_run(&c->http, c->src, &batch, &st);
		int wait =
		    status ? sync_backoff_ms(st.failures, bmin, bmax, random_unit(c)) : interval;
		st.next_retry_ms = status ? wait : 0;
		if (status && st.failures == 1)
			log_warn("sync: %s; retrying with back-off", st.last_error);
		pthread_mutex_lock(&c->lock);
		c->status = st;
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += wait / 1000;
		until.tv_nsec += (long)(wait % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		/* a kick shortens the normal interval, never a back-off */
		while (!atomic_load(&c->stop) && !(c->kicked && !status)) {
			if (pthread_cond_timedwait(&c->wake, &c->lock, &until) == ETIMEDOUT)
				break;
		}
		pthread_mutex_unlock(&c->lock);
	}
	return NULL;
}

struct sync_client *sync_client_start(struct sync_source *src, const struct sync_client_options *o,
                                      char *err, size_t errlen)
{
	struct sync_client *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->src = src;
	c->o = *o;
	if (!o->url || !o->token || strlen(o->url) >= sizeof(c->url) ||
	    strlen(o->token) >= sizeof(c->token) ||
	    (o->ca_file && strlen(o->ca_file) >= sizeof(c->ca_file))) {
		snprintf(err, errlen, "sync url, token or ca_file missing or too long");
		goto out_free;
	}
	snprintf(c->url, sizeof(c->url), "%s", o->url);
	snprintf(c->token, sizeof(c->token), "%s", o->token);
	c->o.url = c->url;
	c->o.token = c->token;
	if (o->ca_file) {
		snprintf(c->ca_file, sizeof(c->ca_file), "%s", o->ca_file);
		c->o.ca_file = c->ca_file;
	}
	atomic_init(&c->stop, false);
	char auth[sizeof(c->token) + 8], device[SYNC_ID_MAX], secret[SYNC_SECRET_HEX + 1];
	snprintf(auth, sizeof(auth), "Bearer %s", c->token);
	bool token_ok = sync_token_parse(auth, device, secret);
	memset(auth, 0, sizeof(auth));
	memset(secret, 0, sizeof(secret));
	if (!token_ok) {
		snprintf(err, errlen, "sync token is not DEVICEID.SECRET");
		goto out_free;
	}
	if (getrandom(&c->rng, sizeof(c->rng), 0) != sizeof(c->rng) || !c->rng)
		c->rng = (uint64_t)clock_mono_ms() | 1;
	size_t waiting = 0;
	src->ops->count(src, &waiting);
	c->status.waiting = waiting;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&c->thread, NULL, client_thread, c) != 0) {
		snprintf(err, errlen, "cannot start the sync thread");
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		goto out_free;
	}
	return c;
out_free:
	memset(c->token, 0, sizeof(c->token));
	free(c);
	return NULL;
}

void sync_client_status(struct sync_client *c, struct sync_client_status *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->status;
	pthread_mutex_unlock(&c->lock);
}

void sync_client_kick(struct sync_client *c)
{
	pthread_mutex_lock(&c->lock);
	c->kicked = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

void sync_client_stop(struct sync_client *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	atomic_store(&c->stop, true);
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	http_close(&c->http);
	c->src->ops->close(c->src);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	memset(c->token, 0, sizeof(c->token));
	free(c);
}
