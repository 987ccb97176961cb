/* app/service/spool_submit.c: putting jobs in the print queue from store records (masked
 * on the way), the front desk's view and actions on the queue, and the wristband reprint. */
#include "app/service/spool.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/mask.h"

static int queue_payload(struct store *st, const struct spool_payload *p, const char *ref,
                         int64_t now, int64_t *job_id)
{
	char *json;
	int rc = spool_payload_encode(p, &json);
	if (rc)
		return rc == -ENOMEM ? STORE_E_NOMEM : STORE_E_INVALID;
	rc = store_print_job_add(st, spool_kind_name(p->kind), ref, json, "", now, job_id);
	free(json);
	return rc;
}

int spool_submit(struct store *st, const struct spool_payload *p, const char *ref, int64_t now,
                 int64_t *job_id)
{
	return queue_payload(st, p, ref, now, job_id);
}

/* The wristband payload of a checked-in arrival, for a band with this token. */
static int wristband_payload(struct store *st, int64_t arrival_id, const char *room,
                             const char *token, enum label_lang lang, struct spool_payload *p)
{
	struct checkin_row *row = malloc(sizeof(*row));
	if (!row)
		return STORE_E_NOMEM;
	int status = store_checkin_active(st, arrival_id, row);
	if (status)
		goto out_free;
	memset(p, 0, sizeof(*p));
	p->kind = LABEL_WRISTBAND;
	p->lang = lang;
	p->copies = 1;
	snprintf(p->room, sizeof(p->room), "%s", room);
	snprintf(p->token, sizeof(p->token), "%s", token);
	mask_name(row->a.name, p->name, sizeof(p->name)); /* a cut name is still masked */
	day_format(row->c.planned_release, p->release);
	if (store_arrival_risk(st, arrival_id, &p->risk) != 0)
		p->risk = row->c.risk;
out_free:
	OPENSSL_cleanse(row, sizeof(*row)); /* held a name and a document number */
	free(row);
	return status;
}

int spool_submit_wristband(struct store *st, int64_t arrival_id, enum label_lang lang, int64_t now,
                           int64_t *job_id)
{
	struct wristband_info band;
	struct spool_payload p;
	int status = store_wristband_active(st, arrival_id, &band);
	if (status == 0)
		status = wristband_payload(st, arrival_id, band.room, band.token, lang, &p);
	if (status == 0)
		status = queue_payload(st, &p, band.serial, now, job_id);
	return status;
}

struct door_scan {
	const char *room;
	struct spool_payload *p;
	int n;
	int64_t arrivals[16];
	hk_day release;
};

static int door_each(const struct checkin_row *row, void *ctx)
{
	struct door_scan *d = ctx;
	if (strcmp(row->state, "active") != 0 || strcmp(row->c.room, d->room) != 0)
		return 0;
	if (d->n < 4)
		mask_name(row->a.name, d->p->occupants[d->n], sizeof(d->p->occupants[d->n]));
	if (d->n < 16)
		d->arrivals[d->n] = row->a.id;
	d->n++;
	if (row->c.planned_release > d->release)
		d->release = row->c.planned_release;
	return 0;
}

int spool_submit_door(struct store *st, const char *room, const char *token, bool care,
                      enum label_lang lang, int64_t now, int64_t *job_id)
{
	struct room_info info;
	struct spool_payload p = {.kind = LABEL_DOOR, .lang = lang, .care = care, .copies = 1};
	struct door_scan d = {.room = room, .p = &p};
	if (!room || !token || strlen(token) >= sizeof(p.token))
		return STORE_E_INVALID;
	int status = store_room_get(st, room, &info);
	if (status)
		return status;
	status = store_checkins_each(st, door_each, &d);
	if (status)
		return status;
	snprintf(p.room, sizeof(p.room), "%s", room);
	snprintf(p.token, sizeof(p.token), "%s", token);
	if (d.n > 0)
		day_format(d.release, p.release);
	for (int i = 0; i < d.n && i < 16; i++) {
		enum risk r;
		if (store_arrival_risk(st, d.arrivals[i], &r) == 0 && r > p.risk)
			p.risk = r;
	}
	return queue_payload(st, &p, room, now, job_id);
}

int spool_pending(struct store *st, int64_t now, struct spool_pending **out, size_t *n)
{
	struct print_job *jobs;
	size_t count;
	*out = NULL;
	*n = 0;
	int status = store_print_jobs_list(
	    st, (1u << PRINT_QUEUED) | (1u << PRINT_FAILED) | (1u << PRINT_UNCERTAIN), &jobs,
	    &count);
	if (status)
		return status;
	struct spool_pending *list = count ? calloc(count, sizeof(*list)) : NULL;
	if (count && !list) {
		store_print_jobs_free(jobs, count);
		return STORE_E_NOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		struct spool_pending *e = &list[i];
		e->job_id = jobs[i].id;
		snprintf(e->kind, sizeof(e->kind), "%s", jobs[i].kind);
		snprintf(e->ref, sizeof(e->ref), "%s", jobs[i].ref);
		e->state = jobs[i].state;
		e->reason = jobs[i].reason;
		snprintf(e->printer, sizeof(e->printer), "%s", jobs[i].printer);
		e->attempts = jobs[i].attempts;
		e->age_s = now - jobs[i].queued_at;
	}
	store_print_jobs_free(jobs, count);
	*out = list;
	*n = count;
	return 0;
}

int spool_retry(struct store *st, int64_t job_id, const char *actor, int64_t now)
{
	return store_print_job_decide(st, job_id, PRINT_QUEUED, actor, now, NULL);
}

int spool_cancel(struct store *st, int64_t job_id, const char *actor, int64_t now)
{
	return store_print_job_decide(st, job_id, PRINT_CANCELLED, actor, now, NULL);
}

/* A fresh wristband serial: 48 random bits, as check-ins take them (app/service/checkin.c),
 * so devices working offline never collide. */
static int new_serial(int64_t *serial)
{
	uint8_t b[6];
	if (RAND_bytes(b, sizeof(b)) != 1)
		return -EIO;
	int64_t v = 0;
	for (size_t i = 0; i < sizeof(b); i++)
		v = (v << 8) | b[i];
	*serial = v ? v : 1;
	return 0;
}

int spool_reprint_wristband(struct store *st, const struct spool_reprint *req,
                            struct spool_reprinted *out)
{
	struct spool_reprinted scratch;
	struct wristband_info band;
	struct store_identity id;
	struct spool_payload p;
	char *json = NULL;
	int status;
	if (!out)
		out = &scratch;
	memset(out, 0, sizeof(*out));
	if (!req || !req->key || !req->actor || !req->reason)
		return STORE_E_INVALID;
	struct wristband_replacement *r = calloc(1, sizeof(*r));
	if (!r)
		return STORE_E_NOMEM;
	/* a random serial may (very rarely) be taken already (STORE_E_EXISTS): draw again */
	for (int tries = 0; tries < 3; tries++) {
		status = store_wristband_active(st, req->arrival_id, &band);
		if (status == 0)
			status = store_identity_get(st, &id);
		if (status)
			goto out_free;
		struct wristband w = {.day = day_from_unix(req->now, req->tz_offset_s)};
		if (new_serial(&w.serial) != 0) {
			status = -EIO;
			goto out_free;
		}
		if (strlen(id.station_id) >= sizeof(w.station) ||
		    strlen(band.room) >= sizeof(w.room)) {
			status = STORE_E_INVALID;
			goto out_free;
		}
		memcpy(w.station, id.station_id, strlen(id.station_id) + 1);
		memcpy(w.room, band.room, strlen(band.room) + 1);
		if (!wristband_fields_valid(&w)) {
			status = STORE_E_INVALID;
			goto out_free;
		}
		memset(r, 0, sizeof(*r));
		int rc = wristband_issue(&w, req->key, r->token, sizeof(r->token));
		if (rc) {
			status = rc == -EIO ? -EIO : STORE_E_INVALID;
			goto out_free;
		}
		status = wristband_payload(st, req->arrival_id, band.room, r->token, req->lang, &p);
		if (status)
			goto out_free;
		free(json);
		json = NULL;
		status = spool_payload_encode(&p, &json);
		OPENSSL_cleanse(&p, sizeof(p));
		if (status) {
			status = status == -ENOMEM ? STORE_E_NOMEM : STORE_E_INVALID;
			goto out_free;
		}
		snprintf(r->old_serial, sizeof(r->old_serial), "%s", band.serial);
		snprintf(r->serial, sizeof(r->serial), "%lld", (long long)w.serial);
		r->at = req->now;
		if (strlen(req->actor) >= sizeof(r->actor) ||
		    strlen(req->reason) >= sizeof(r->reason)) {
			status = STORE_E_INVALID;
			goto out_free;
		}
		snprintf(r->actor, sizeof(r->actor), "%s", req->actor);
		snprintf(r->reason, sizeof(r->reason), "%s", req->reason);
		snprintf(r->job_kind, sizeof(r->job_kind), "%s", spool_kind_name(LABEL_WRISTBAND));
		r->job_payload = json;
		struct wristband_replaced done;
		status = store_wristband_replace(st, r, &done);
		if (status == STORE_E_EXISTS)
			continue;
		if (status)
			goto out_free;
		snprintf(out->serial, sizeof(out->serial), "%s", r->serial);
		snprintf(out->token, sizeof(out->token), "%s", r->token);
		snprintf(out->old_serial, sizeof(out->old_serial), "%s", r->old_serial);
		out->job_id = done.job_id;
		goto out_free;
	}
out_free:
	if (json)
		OPENSSL_cleanse(json, strlen(json));
	free(json);
	free(r);
	return status;
}
