/* tests/fuzz/fuzz_sync.c: libFuzzer harness for the sync message decoders (the station parses
 * pushes and lease requests from devices, devices parse replies), chosen by the first byte;
 * every message that decodes must encode again and decode to the same thing.
 * fuzz-sources: app/sync/protocol.c
 * fuzz-pkgs: jansson */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/sync/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_push(const char *text, size_t len)
{
	struct sync_push p, q;
	if (sync_push_decode(text, len, &p, NULL, 0) != 0)
		return;
	char *again = sync_push_encode(&p);
	if (!again)
		abort(); /* a decoded batch must always encode */
	if (sync_push_decode(again, strlen(again), &q, NULL, 0) != 0 || q.n != p.n)
		abort();
	for (size_t i = 0; i < p.n; i++)
		if (q.records[i].seq != p.records[i].seq ||
		    strcmp(q.records[i].body, p.records[i].body))
			abort();
	sync_push_free(&q);
	sync_push_free(&p);
	free(again);
}

/* Every result status that decodes (stored, duplicate, conflict, reused) must encode and
 * decode again to the same results. */
static void check_push_reply(const char *text, size_t len)
{
	struct sync_push_reply r, q;
	if (sync_push_reply_decode(text, len, &r, NULL, 0) != 0)
		return;
	char *again = sync_push_reply_encode(&r);
	if (!again || sync_push_reply_decode(again, strlen(again), &q, NULL, 0) != 0 ||
	    q.n != r.n || q.held_through != r.held_through)
		abort();
	for (size_t i = 0; i < r.n; i++)
		if (q.results[i].seq != r.results[i].seq ||
		    q.results[i].status != r.results[i].status)
			abort();
	sync_push_reply_free(&q);
	sync_push_reply_free(&r);
	free(again);
}

static void check_pull(const char *text, size_t len)
{
	struct sync_pull_reply r, q;
	if (sync_pull_reply_decode(text, len, &r, NULL, 0) != 0)
		return;
	char *again = sync_pull_reply_encode(&r);
	if (!again || sync_pull_reply_decode(again, strlen(again), &q, NULL, 0) != 0 ||
	    q.n != r.n || q.cursor != r.cursor)
		abort();
	sync_pull_reply_free(&q);
	sync_pull_reply_free(&r);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	char err[128];
	switch (data[0] % 7) {
	case 0:
		check_push(text, len);
		break;
	case 1: {
		check_push_reply(text, len);
		break;
	}
	case 2:
		check_pull(text, len);
		break;
	case 3: {
		struct sync_lease_request r;
		if (sync_lease_request_decode(text, len, &r, err, sizeof(err)) == 0) {
			char *again = sync_lease_request_encode(&r);
			if (!again)
				abort();
			free(again);
		}
		break;
	}
	case 4: {
		struct sync_lease_reply r;
		if (sync_lease_reply_decode(text, len, &r, err, sizeof(err)) == 0) {
			char *again = sync_lease_reply_encode(&r);
			if (!again)
				abort();
			free(again);
		}
		break;
	}
	case 5: {
		struct sync_error_reply e;
		sync_error_decode(text, len, &e);
		struct sync_health h;
		sync_health_decode(text, len, &h, err, sizeof(err));
		break;
	}
	default: {
		/* the Authorization header and the pull query come as NUL-terminated text */
		char buf[256], dev[SYNC_ID_MAX], secret[SYNC_SECRET_HEX + 1];
		size_t n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
		memcpy(buf, text, n);
		buf[n] = '\0';
		sync_token_parse(buf, dev, secret);
		int64_t since;
		int limit;
		char *amp = strchr(buf, '&');
		if (amp)
			*amp++ = '\0';
		sync_pull_query_parse(buf, amp, &since, &limit);
		break;
	}
	}
	return 0;
}
