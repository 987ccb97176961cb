/* app/sync/server.c: the sync HTTP server: one libmicrohttpd daemon, a thread per
 * connection, requests authenticated before their body is read, bodies bounded, every
 * backend call under one mutex, and a shutdown that drains the requests in flight. */
#include "app/sync/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/sys/sys.h"

struct sync_server {
	struct MHD_Daemon *daemon;
	struct sync_backend *backend;
	pthread_mutex_t lock;   /* serializes backend calls */
	pthread_mutex_t flight; /* guards in_flight, draining */
	pthread_cond_t idle;
	int in_flight;
	bool draining;
	size_t max_body;
	uint16_t port;
};

enum route {
	ROUTE_HEALTH,
	ROUTE_PUSH,
	ROUTE_PULL,
	ROUTE_LEASES,
};

/* Per-request state, from the first call of the handler to the completion callback. */
struct request {
	enum route route;
	struct sync_device device;
	char *body;
	size_t len;
	bool too_large;
	bool answered; /* a reply was queued on the first call */
};

static const struct {
	const char *path;
	const char *method;
	enum route route;
	bool auth;
} routes[] = {
    {"/v1/health", "GET", ROUTE_HEALTH, false},
    {"/v1/push", "POST", ROUTE_PUSH, true},
    {"/v1/pull", "GET", ROUTE_PULL, true},
    {"/v1/leases", "POST", ROUTE_LEASES, true},
};

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned code, char *text)
{
	static const char fallback[] = "{\"v\":1,\"error\":\"E_INTERNAL\",\"detail\":\"\"}";
	struct MHD_Response *r;
	if (text)
		r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	else
		r = MHD_create_response_from_buffer(sizeof(fallback) - 1, (void *)fallback,
		                                    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	if (!text)
		code = MHD_HTTP_INTERNAL_SERVER_ERROR;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (code == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (code == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *detail)
{
	return send_json(c, (unsigned)sync_status_http(status), sync_error_encode(status, detail));
}

/* Authenticate from the Authorization header; 0 or SYNC_E_UNAUTHENTICATED. */
static int request_authenticate(struct sync_server *s, struct MHD_Connection *c,
                                struct sync_device *out)
{
	const char *h =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	char device[SYNC_ID_MAX], secret[SYNC_SECRET_HEX + 1];
	if (!sync_token_parse(h, device, secret)) {
		log_warn("refused a request without a well-formed credential");
		return SYNC_E_UNAUTHENTICATED;
	}
	pthread_mutex_lock(&s->lock);
	int status = s->backend->ops->authenticate(s->backend, device, secret, out);
	pthread_mutex_unlock(&s->lock);
	memset(secret, 0, sizeof(secret));
	if (status == SYNC_E_UNAUTHENTICATED)
		log_warn("refused a request for device %s: unknown, revoked or wrong secret",
		         device);
	return status;
}

static enum MHD_Result handle_push(struct sync_server *s, struct MHD_Connection *c,
                                   struct request *rq)
{
	struct sync_push batch;
	struct sync_push_reply reply;
	char err[160];
	int status = sync_push_decode(rq->body, rq->len, &batch, err, sizeof(err));
	if (status == SYNC_E_MALFORMED) {
		log_warn("push from %s: 400 %s", rq->device.id, err);
		return send_error(c, status, err);
	}
	if (status)
		return send_error(c, status, "cannot decode");
	if (strcmp(batch.device, rq->device.id) != 0) {
		log_warn("push from %s names device %s: 403", rq->device.id, batch.device);
		sync_push_free(&batch);
		return send_error(c, SYNC_E_FORBIDDEN, "a device pushes only its own records");
	}
	for (size_t i = 0; i < batch.n; i++) {
		if (!sync_role_may_push(rq->device.role, batch.records[i].kind)) {
			snprintf(err, sizeof(err), "role %s may not push %s records",
			         sync_role_name(rq->device.role), batch.records[i].kind);
			log_warn("push from %s: 403 %s", rq->device.id, err);
			sync_push_free(&batch);
			return send_error(c, SYNC_E_FORBIDDEN, err);
		}
	}
	pthread_mutex_lock(&s->lock);
	status = s->backend->ops->push(s->backend, &rq->device, &batch, &reply);
	pthread_mutex_unlock(&s->lock);
	size_t n = batch.n;
	sync_push_free(&batch);
	if (status == SYNC_E_MALFORMED) {
		log_warn("push from %s: 400 a record body does not fit its kind", rq->device.id);
		return send_error(c, status, "a record body does not fit its kind");
	}
	if (status) {
		log_err("push from %s: %s", rq->device.id, sync_status_code(status));
		return send_error(c, status, "the station could not store the batch");
	}
	size_t conflicts = 0;
	for (size_t i = 0; i < reply.n; i++)
		conflicts += reply.results[i].status == SYNC_RESULT_CONFLICT;
	log_debug("push from %s: %zu records, held through %lld", rq->device.id, n,
	          (long long)reply.held_through);
	if (conflicts)
		log_warn("push from %s: %zu conflicts flagged to staff", rq->device.id, conflicts);
	char *text = sync_push_reply_encode(&reply);
	sync_push_reply_free(&reply);
	return send_json(c, MHD_HTTP_OK, text);
}

static enum MHD_Result handle_pull(struct sync_server *s, struct MHD_Connection *c,
                                   struct request *rq)
{
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *limit = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
	int64_t since_v;
	int limit_v;
	struct sync_pull_reply reply;
	if (sync_pull_query_parse(since, limit, &since_v, &limit_v)) {
		log_warn("pull from %s: 400 bad since or limit", rq->device.id);
		return send_error(c, SYNC_E_MALFORMED, "since must be 0..2^53, limit 1..1000");
	}
	pthread_mutex_lock(&s->lock);
	int status = s->backend->ops->pull(s->backend, &rq->device, since_v, limit_v, &reply);
	pthread_mutex_unlock(&s->lock);
	if (status) {
		log_err("pull from %s: %s", rq->device.id, sync_status_code(status));
		return send_error(c, status, "the station could not read its changes");
	}
	char *text = sync_pull_reply_encode(&reply);
	sync_pull_reply_free(&reply);
	return send_json(c, MHD_HTTP_OK, text);
}

static enum MHD_Result handle_leases(struct sync_server *s, struct MHD_Connection *c,
                                     struct request *rq)
{
	struct sync_lease_request req;
	struct sync_lease_reply reply;
	char err[160];
	if (sync_lease_request_decode(rq->body, rq->len, &req, err, sizeof(err))) {
		log_warn("leases from %s: 400 %s", rq->device.id, err);
		return send_error(c, SYNC_E_MALFORMED, err);
	}
	pthread_mutex_lock(&s->lock);
	int status = s->backend->ops->lease(s->backend, &rq->device, &req, &reply);
	pthread_mutex_unlock(&s->lock);
	if (status) {
		log_err("leases for %s: %s", rq->device.id, sync_status_code(status));
		return send_error(c, status, "the station could not lease rooms");
	}
	log_info("leases for %s: holds %d rooms, %lld free", rq->device.id, reply.n,
	         (long long)reply.free_rooms);
	return send_json(c, MHD_HTTP_OK, sync_lease_reply_encode(&reply));
}

/* First call of a request: route, authenticate, check the declared size. Returns true when
 * a reply was queued already. */
static bool request_begin(struct sync_server *s, struct MHD_Connection *c, const char *url,
                          const char *method, struct request *rq, enum MHD_Result *ret)
{
	size_t i;
	bool path_known = false;
	for (i = 0; i < sizeof(routes) / sizeof(*routes); i++) {
		if (strcmp(url, routes[i].path) != 0)
			continue;
		path_known = true;
		if (strcmp(method, routes[i].method) == 0)
			break;
	}
	if (i == sizeof(routes) / sizeof(*routes)) {
		*ret = send_error(c, path_known ? SYNC_E_METHOD : SYNC_E_NOT_FOUND,
		                  path_known ? "wrong method" : "no such path");
		return true;
	}
	rq->route = routes[i].route;
	if (routes[i].auth) {
		int status = request_authenticate(s, c, &rq->device);
		if (status) {
			*ret = send_error(c, status,
			                  status == SYNC_E_UNAUTHENTICATED
			                      ? "credential refused"
			                      : "cannot check credential");
			return true;
		}
		if (rq->route == ROUTE_LEASES && !sync_role_may_lease(rq->device.role)) {
			log_warn("leases from %s: 403 role %s", rq->device.id,
			         sync_role_name(rq->device.role));
			*ret =
			    send_error(c, SYNC_E_FORBIDDEN, "this role may not hold room leases");
			return true;
		}
	}
	const char *cl =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > s->max_body) {
		log_warn("request from %s: 413 body of %s bytes",
		         rq->device.id[0] ? rq->device.id : "?", cl);
		*ret = send_error(c, SYNC_E_TOO_LARGE, "request body too large");
		return true;
	}
	return false;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	struct sync_server *s = cls;
	struct request *rq = *con_cls;
	enum MHD_Result ret = MHD_YES;
	(void)version;
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		*con_cls = rq;
		pthread_mutex_lock(&s->flight);
		s->in_flight++;
		pthread_mutex_unlock(&s->flight);
		if (request_begin(s, c, url, method, rq, &ret))
			rq->answered = true;
		return ret;
	}
	if (*upload_data_size) {
		/* After an early reply, or beyond the limit, the rest is read and dropped. */
		if (!rq->answered && !rq->too_large) {
			if (rq->len + *upload_data_size > s->max_body) {
				rq->too_large = true;
				free(rq->body);
				rq->body = NULL;
				rq->len = 0;
			} else {
				char *grown = realloc(rq->body, rq->len + *upload_data_size + 1);
				if (!grown)
					return MHD_NO;
				rq->body = grown;
				memcpy(rq->body + rq->len, upload_data, *upload_data_size);
				rq->len += *upload_data_size;
				rq->body[rq->len] = '\0';
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	if (rq->too_large) {
		log_warn("request from %s: 413 body over %zu bytes", rq->device.id, s->max_body);
		return send_error(c, SYNC_E_TOO_LARGE, "request body too large");
	}
	switch (rq->route) {
	case ROUTE_HEALTH: {
		struct sync_health h = {.status = "ok"};
		snprintf(h.station, sizeof(h.station), "%s", s->backend->station_id);
		return send_json(c, MHD_HTTP_OK, sync_health_encode(&h));
	}
	case ROUTE_PUSH:
		return handle_push(s, c, rq);
	case ROUTE_PULL:
		return handle_pull(s, c, rq);
	case ROUTE_LEASES:
		return handle_leases(s, c, rq);
	}
	return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct sync_server *s = cls;
	struct request *rq = *con_cls;
	(void)c;
	(void)toe;
	if (!rq)
		return;
	free(rq->body);
	free(rq);
	*con_cls = NULL;
	pthread_mutex_lock(&s->flight);
	s->in_flight--;
	if (s->in_flight == 0)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->flight);
}

/* "A.B.C.D:PORT" into an IPv4 socket address. */
static bool parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return false;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return false;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[256];
	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("http: %s", line);
}

struct sync_server *sync_server_start(struct sync_backend *b, const struct sync_server_options *o,
                                      char *err, size_t errlen)
{
	struct sockaddr_in sa;
	if (!parse_listen(o->listen, &sa)) {
		snprintf(err, errlen, "listen address \"%s\" is not IPV4:PORT",
		         o->listen ? o->listen : "");
		return NULL;
	}
	bool tls = o->tls_cert || o->tls_key;
	if (tls && (!o->tls_cert || !o->tls_key)) {
		snprintf(err, errlen, "TLS needs both tls_cert and tls_key");
		return NULL;
	}
	if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errlen, "TLS asked for, but libmicrohttpd was built without it");
		return NULL;
	}
	struct sync_server *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->backend = b;
	s->max_body = o->max_body ? o->max_body : SYNC_REQUEST_MAX;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->flight, NULL);
	pthread_cond_init(&s->idle, NULL);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	                 MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_AUTO;
	if (tls)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls_opts[] = {
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)o->tls_cert},
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->tls_key},
	    {MHD_OPTION_END, 0, NULL},
	};
	s->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
	    s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout_s ? o->timeout_s : 30),
	    MHD_OPTION_CONNECTION_LIMIT, 256u, MHD_OPTION_ARRAY, tls ? tls_opts : &tls_opts[2],
	    MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot serve on %s (address in use, or bad TLS files?)",
		         o->listen);
		goto out_free;
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : ntohs(sa.sin_port);
	return s;
out_free:
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->flight);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return NULL;
}

uint16_t sync_server_port(const struct sync_server *s)
{
	return s->port;
}

void sync_server_stop(struct sync_server *s, int wait_ms)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->flight);
	while (s->in_flight > 0) {
		if (pthread_cond_timedwait(&s->idle, &s->flight, &until) != 0)
			break;
	}
	int left = s->in_flight;
	pthread_mutex_unlock(&s->flight);
	if (left)
		log_warn("stopping with %d requests unfinished; their devices will resend", left);
	MHD_stop_daemon(s->daemon);
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->flight);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
