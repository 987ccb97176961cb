/* app/kiosk/frontdesk.c: the front desk's loop: taps become form changes or flow events
 * (app/core/screen_frontdesk.h), a scanned staff badge signs in and a scanned wristband opens
 * its card, the flow's effects are carried out on the store (app/service/frontdesk.h) and
 * labels and reprinted bands go through the print spooler. */
#include "app/kiosk/kiosk.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <SDL.h>

#include "app/core/reason_text.h"
#include "app/core/screen_frontdesk.h"
#include "app/service/frontdesk.h"
#include "app/store/store.h"
#include "app/sync/client.h"
#include "app/sys/sys.h"

#define STAFF_BADGE_PREFIX "HKSTAFF1:" /* QR of a staff badge: prefix + badge id */
#define POST_PRINTED       1           /* ui_post code: a print job finished */
#define DESK_QUEUE_MAX     4

/* What makes a screen new (a screenshot, a fade). */
struct shown {
	enum desk_state state;
	enum lang lang;
	enum desk_card_tab tab;
	enum desk_action form;
	bool typing;
	enum desk_action done;
	enum reason notice;
	int page;
};

struct desk {
	const struct kiosk_config *kc;
	struct store *store;
	struct ui *ui;
	struct strings *strings;
	struct kiosk_input input;
	struct kiosk_print print;
	struct wristband_private_key key;
	struct wristband_public_key pub;
	struct frontdesk_config fc;
	enum reason printer;      /* the spooler's last outcome: REASON_OK, or what went wrong */
	struct kiosk_watch watch; /* the UI loop's systemd watchdog */

	struct flow_frontdesk flow;
	struct desk_form form;
	struct desk_event queue[DESK_QUEUE_MAX]; /* answers waiting to be stepped */
	int queued;

	struct display_list dl;
	struct layout layout;
	struct shown shown;
	int shots;
	char *state_written;
	bool quit;
	struct sync_client *sync; /* NULL without [sync]: everything stays in the local store */
	char sync_line[200];      /* the occupancy view's sync line, refreshed once a second */
	bool sync_warn;
	int64_t sync_line_ms;
};

/* ---- printing (struct frontdesk_ops) ---- */

static void on_print_done(const struct spool_result *r, void *ctx)
{
	struct desk *d = ctx;
	enum reason *why = malloc(sizeof(*why));
	if (!why)
		return;
	*why = r->outcome == SPOOL_PRINTED || r->outcome == SPOOL_MOVED ? REASON_OK : r->reason;
	log_info("print job %" PRId64 " (%s): %s", r->job_id, r->kind,
	         spool_outcome_name(r->outcome));
	if (ui_post(d->ui, POST_PRINTED, why) != 0)
		free(why);
}

/* Dietary words of the manifest (Chinese or English) as the meal label's marks. */
static unsigned diet_flags(const char *diet)
{
	static const struct {
		const char *word;
		unsigned flag;
	} words[] = {{"清真", LABEL_DIET_HALAL},    {"halal", LABEL_DIET_HALAL},
	             {"素", LABEL_DIET_VEGETARIAN}, {"vegetarian", LABEL_DIET_VEGETARIAN},
	             {"软食", LABEL_DIET_SOFT},     {"soft", LABEL_DIET_SOFT},
	             {"老人", LABEL_DIET_ELDERLY},  {"elderly", LABEL_DIET_ELDERLY},
	             {"儿童", LABEL_DIET_CHILD},    {"child", LABEL_DIET_CHILD}};
	unsigned flags = 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(diet, words[i].word))
			flags |= words[i].flag;
	return flags;
}

static enum reason print_label(void *ctx, const struct desk_change *c, const struct resident *r,
                               int64_t now)
{
	struct desk *d = ctx;
	const char *station = d->kc->checkin.station;
	char date[11], token[STORE_TOKEN_MAX];
	day_format(day_from_unix(now, d->kc->checkin.policy.tz_offset_s), date);
	int64_t job = 0;
	int rc;
	if (c->label == DESK_LABEL_DOOR) {
		/* the door's QR names the room, nobody in it */
		snprintf(token, sizeof(token), "HKROOM1:%s:%s", station, r->room);
		rc = spool_submit_door(d->store, r->room, token, r->care & RESIDENT_CARE_PSYCH,
		                       LABEL_LANG_BOTH, now, &job);
	} else {
		struct spool_payload p = {.lang = LABEL_LANG_BOTH, .risk = r->risk, .copies = 1};
		snprintf(p.room, sizeof(p.room), "%s", r->room);
		snprintf(p.name, sizeof(p.name), "%s", r->name_masked);
		if (c->label == DESK_LABEL_MEAL) {
			p.kind = LABEL_MEAL;
			p.diet = diet_flags(c->diet);
			snprintf(p.diet_note, sizeof(p.diet_note), "%s", c->diet);
			snprintf(p.token, sizeof(p.token), "HKMEAL1:%s:%s:%s", station, r->room,
			         date);
		} else {
			p.kind = LABEL_SAMPLE;
			snprintf(p.sample_id, sizeof(p.sample_id), "%s-%.4s%.2s%.2s-%s", station,
			         date, date + 5, date + 8, r->arrival_id);
			snprintf(p.token, sizeof(p.token), "%s", p.sample_id);
			snprintf(p.date, sizeof(p.date), "%s", date);
		}
		rc = spool_submit(d->store, &p, r->room, now, &job);
		memset(&p, 0, sizeof(p));
	}
	if (rc != 0) {
		log_err("%s label not queued: %s", desk_label_name(c->label),
		        store_status_name(rc));
		return REASON_PRINT_JOB_INVALID;
	}
	log_info("%s label for room %s queued as job %" PRId64, desk_label_name(c->label), r->room,
	         job);
	spool_kick(d->print.spool);
	return REASON_OK;
}

static enum reason reprint_band(void *ctx, const struct desk_change *c, int64_t now,
                                int64_t *serial)
{
	struct desk *d = ctx;
	char *end;
	long long arrival = strtoll(c->arrival_id, &end, 10);
	struct spool_reprint rq = {
	    .arrival_id = arrival,
	    .actor = c->badge,
	    .reason = c->note[0] ? c->note : "reprint at the front desk",
	    .key = &d->key,
	    .lang = LABEL_LANG_BOTH,
	    .now = now,
	    .tz_offset_s = d->kc->checkin.policy.tz_offset_s,
	};
	struct spool_reprinted out;
	int rc =
	    *end || arrival <= 0 ? STORE_E_INVALID : spool_reprint_wristband(d->store, &rq, &out);
	if (rc != 0) {
		log_err("reprint refused: %s", store_status_name(rc));
		return rc == STORE_E_NOT_FOUND ? REASON_NOT_FOUND : REASON_PRINT_JOB_INVALID;
	}
	log_info("wristband %s replaced by %s", out.old_serial, out.serial);
	*serial = strtoll(out.serial, NULL, 10);
	spool_kick(d->print.spool);
	return REASON_OK;
}

static enum reason printer_status(void *ctx)
{
	return ((struct desk *)ctx)->printer;
}

static int64_t last_sync(void *ctx)
{
	struct desk *d = ctx;
	struct sync_client_status st;
	if (!d->sync)
		return 0;
	sync_client_status(d->sync, &st);
	return st.last_success_ms / 1000;
}

/* Effects that write a record the station must hear of (the outbox): the sync client is
 * started on them at once instead of after its interval. Sign-ins and label prints reach
 * the outbox as their DESK_FX_AUDIT. */
static bool effect_records(enum desk_effect_kind k)
{
	switch (k) {
	case DESK_FX_REPRINT_BAND:
	case DESK_FX_VOID_BAND:
	case DESK_FX_SET_RISK:
	case DESK_FX_SET_STATUS:
	case DESK_FX_EXTEND:
	case DESK_FX_AUDIT:
		return true;
	default:
		return false;
	}
}

/* ---- the flow ---- */

static void carry_out(struct desk *d, const struct desk_effects *fx)
{
	for (int i = 0; i < fx->count; i++) {
		const struct desk_effect *e = &fx->fx[i];
		if (e->kind == DESK_FX_AUDIT)
			log_info("audit %s by %s: %s", frontdesk_audit_name(e->audit.action),
			         e->audit.change.badge, reason_code(e->audit.outcome));
		if (e->kind == DESK_FX_CLEAR) {
			desk_form_init(&d->form, d->form.lang);
			continue;
		}
		if (d->queued == DESK_QUEUE_MAX) {
			log_err("answer to %s dropped: queue full", desk_effect_kind_name(e->kind));
			continue;
		}
		bool answered = false;
		if (frontdesk_carry_out(d->store, &d->fc, e, clock_unix_s(), &d->queue[d->queued],
		                        &answered) != 0)
			continue;
		if (answered)
			d->queued++;
		if (d->sync && effect_records(e->kind))
			sync_client_kick(d->sync); /* hand the change to the station now */
	}
}

/* Step the flow with ev (NULL: a tick), then with the answers its effects produced. */
static void step(struct desk *d, const struct desk_event *ev)
{
	static struct desk_effects fx;
	flow_frontdesk_step(&d->flow, ev, clock_mono_ms(), &fx);
	carry_out(d, &fx);
	for (int guard = 0; d->queued > 0 && guard < 8; guard++) {
		static struct desk_event next;
		next = d->queue[0];
		memmove(d->queue, d->queue + 1, (size_t)(d->queued - 1) * sizeof(d->queue[0]));
		d->queued--;
		memset(&d->queue[d->queued], 0, sizeof(d->queue[0]));
		flow_frontdesk_step(&d->flow, &next, clock_mono_ms(), &fx);
		carry_out(d, &fx);
		memset(&next, 0, sizeof(next)); /* personal data: not left behind */
	}
	memset(&fx, 0, sizeof(fx)); /* a PIN to check */
	desk_form_follow(&d->form, &d->flow);
}

/* ---- input ---- */

/* A staff badge signs in; a wristband of this station opens its card. */
static void scanned(struct desk *d, const struct scan *sc)
{
	static struct desk_event ev;
	memset(&ev, 0, sizeof(ev));
	size_t plen = strlen(STAFF_BADGE_PREFIX);
	struct wristband band;
	if (sc->len > plen && strncmp(sc->text, STAFF_BADGE_PREFIX, plen) == 0) {
		ev.kind = DESK_EV_BADGE;
		snprintf(ev.badge.id, sizeof(ev.badge.id), "%.*s", (int)(sc->len - plen),
		         sc->text + plen);
	} else if (wristband_verify(sc->text, sc->len, d->kc->checkin.station, &d->pub, 1, &band) ==
	           WRISTBAND_OK) {
		ev.kind = DESK_EV_SEARCH;
		ev.search.by = DESK_BY_BAND;
		snprintf(ev.search.query, sizeof(ev.search.query), "%" PRId64, band.serial);
		log_info("wristband %" PRId64 " scanned", band.serial);
	} else {
		log_info("scan is neither a staff badge nor a wristband of %s",
		         d->kc->checkin.station);
		return;
	}
	step(d, &ev);
}

static void on_ui_event(struct desk *d, const struct ui_event *u)
{
	static struct desk_event ev;
	switch (u->type) {
	case UI_EVENT_QUIT:
		d->quit = true;
		break;
	case UI_EVENT_TOUCH:
		memset(&ev, 0, sizeof(ev));
		ev.kind = DESK_EV_TOUCH;
		step(d, &ev);
		break;
	case UI_EVENT_BUTTON:
		if (screen_frontdesk_press(&d->form, &d->flow, d->strings, u->id, &ev))
			step(d, &ev);
		memset(&ev, 0, sizeof(ev)); /* a PIN */
		break;
	case UI_EVENT_TEXT:
	case UI_EVENT_KEY:
		kiosk_input_on_ui(&d->input, u);
		break;
	case UI_EVENT_POSTED:
		if (u->code == POST_PRINTED && u->data) {
			d->printer = *(enum reason *)u->data;
			free(u->data);
		}
		break;
	default:
		break;
	}
}

static void poll_scanners(struct desk *d)
{
	static struct scan sc;
	if (kiosk_input_take_scanner(&d->input, &sc))
		scanned(d, &sc);
	if (kiosk_input_take_camera(&d->input, true, &sc))
		scanned(d, &sc);
	memset(&sc, 0, sizeof(sc));
}

/* ---- output ---- */

/* The screen for the window tests: states, codes, counts, the card's room and band, buttons.
 * No name and no document number. */
static void write_state(struct desk *d)
{
	const struct flow_frontdesk *f = &d->flow;
	const struct desk_session *se = &f->session;
	bool card = f->state == DESK_CARD || f->state == DESK_CONFIRM || f->state == DESK_WORKING;
	char serial[24];
	snprintf(serial, sizeof(serial), "%" PRId64, card ? se->card.band_serial : 0);
	json_t *root = json_object();
	json_object_set_new(root, "state", json_string(desk_state_name(f->state)));
	json_object_set_new(root, "lang", json_string(lang_tag(d->form.lang)));
	json_object_set_new(root, "notice", json_string(reason_code(f->notice)));
	json_object_set_new(root, "signed_in", json_boolean(flow_frontdesk_signed_in(f)));
	json_object_set_new(root, "lockout_s", json_integer(f->lockout_s));
	json_object_set_new(root, "query", json_string(d->form.query));
	json_object_set_new(root, "results", json_integer(se->result_count));
	json_object_set_new(root, "tab", json_integer(d->form.tab));
	json_object_set_new(root, "form", json_string(desk_action_name(d->form.req.action)));
	json_object_set_new(root, "room", json_string(card ? se->card.resident.room : ""));
	json_object_set_new(root, "band", json_string(serial));
	json_object_set_new(root, "risk",
	                    json_string(card ? risk_name(se->card.resident.risk) : ""));
	json_object_set_new(
	    root, "status",
	    json_string(card ? resident_status_name(se->card.resident.status) : ""));
	json_object_set_new(root, "done", json_string(desk_action_name(se->done_action)));
	json_object_set_new(root, "done_reason", json_string(reason_code(se->done_reason)));
	json_object_set_new(root, "occupied", json_integer(se->occ.counts[ROOM_OCCUPIED]));
	json_object_set_new(root, "free", json_integer(se->occ.counts[ROOM_FREE]));
	json_object_set_new(root, "sync", json_string(d->sync_line)); /* occupancy view only */
	json_object_set_new(root, "sync_warn", json_boolean(d->sync_line[0] && d->sync_warn));
	json_object_set_new(root, "screens", json_integer(d->shots));
	json_object_set_new(root, "buttons",
	                    kiosk_state_buttons(&d->dl, screen_frontdesk_button_name));
	kiosk_state_write(d->kc->state_file, root, &d->state_written);
}

/* The occupancy view's sync line from the sync client, with the records waiting as counted
 * in the store now; refreshed once a second while the view is up. */
static void sync_line_update(struct desk *d)
{
	int64_t now = clock_mono_ms();
	if (d->flow.state != DESK_OCCUPANCY) {
		d->sync_line[0] = '\0';
		return;
	}
	if (d->sync_line[0] && now - d->sync_line_ms < 1000)
		return;
	d->sync_line_ms = now;
	size_t waiting = 0;
	long n = d->sync && store_outbox_count(d->store, &waiting) == 0 ? (long)waiting : -1;
	kiosk_sync_status_text(d->sync, d->strings, d->form.lang, n, d->sync_line,
	                       sizeof(d->sync_line), &d->sync_warn);
}

static void draw(struct desk *d)
{
	if (d->form.lang != d->shown.lang)
		d->sync_line[0] = '\0';
	sync_line_update(d);
	struct screen_frontdesk_extra x = {
	    .now_unix = clock_unix_s(),
	    .tz_offset_s = d->kc->checkin.policy.tz_offset_s,
	    .sync_configured = d->sync != NULL,
	    .sync_status = d->sync && d->sync_line[0] ? d->sync_line : NULL,
	    .sync_warn = d->sync_warn,
	};
	if (screen_frontdesk_build(&d->dl, &d->layout, d->strings, &d->flow, &d->form, &x) != 0)
		log_err("screen %s did not fit its display list", desk_state_name(d->flow.state));
	struct shown now;
	memset(&now, 0, sizeof(now)); /* compared with memcmp: no stray padding */
	now.state = d->flow.state;
	now.lang = d->form.lang;
	now.tab = d->form.tab;
	now.form = d->form.req.action;
	now.typing = d->form.typing;
	now.done = d->flow.session.done_action;
	now.notice = d->flow.notice;
	now.page = d->form.results_page * 100 + d->form.occ_page;
	bool new_screen = memcmp(&now, &d->shown, sizeof(now)) != 0 || d->shots == 0;
	if (new_screen)
		ui_draw_fade(d->ui, &d->dl, 100);
	else
		ui_draw(d->ui, &d->dl);
	if (new_screen) {
		d->shown = now;
		d->shots++;
	}
	if (d->kc->state_file[0])
		write_state(d);
	if (!new_screen || !d->kc->screenshots_dir[0])
		return;
	char name[160];
	if (now.state == DESK_CARD && now.form != DESK_ACT_NONE)
		snprintf(name, sizeof(name), "CARD-form-%s%s-%s", desk_action_name(now.form),
		         now.typing ? "-keyboard" : "", lang_tag(now.lang));
	else if (now.state == DESK_CARD)
		snprintf(name, sizeof(name), "CARD-tab%d-%s", (int)now.tab, lang_tag(now.lang));
	else
		snprintf(name, sizeof(name), "%s-%s", desk_state_name(now.state),
		         lang_tag(now.lang));
	kiosk_screenshot(d->ui, d->kc->screenshots_dir, d->shots, name);
}

/* ---- start and stop ---- */

static int open_parts(struct desk *d)
{
	const struct kiosk_config *kc = d->kc;
	d->store = kiosk_store_open(kc);
	if (!d->store)
		return -EIO;
	int rc = kiosk_band_key_load(kc, d->key.bytes);
	if (rc != 0)
		return rc;
	if ((rc = wristband_key_public(&d->key, &d->pub)) != 0) {
		log_err("wristband signing key %s: no public key derived", kc->band_key_path);
		return rc;
	}
	if (kiosk_print_open(&d->print, kc, on_print_done, d) != 0)
		return -EINVAL;
	d->fc.policy = kc->checkin.policy;
	d->fc.ops = (struct frontdesk_ops){.print_label = print_label,
	                                   .reprint_band = reprint_band,
	                                   .printer_status = printer_status,
	                                   .last_sync = last_sync,
	                                   .ctx = d};
	if (kiosk_input_open(&d->input, kc) != 0)
		return -EINVAL;
	/* the desk leases no rooms: it assigns none on its own (docs/flow-frontdesk.md, "Sync") */
	return kiosk_sync_start(kc, 0, &d->sync);
}

static void close_parts(struct desk *d)
{
	sync_client_stop(d->sync); /* a transfer in progress is resent next time */
	d->sync = NULL;
	kiosk_input_close(&d->input);
	kiosk_print_close(&d->print);
	strings_free(d->strings);
	free(d->state_written);
	store_close(d->store);
	memset(&d->key, 0, sizeof(d->key));
}

int kiosk_run_frontdesk(const struct kiosk_config *kc)
{
	static struct desk d;
	memset(&d, 0, sizeof(d));
	d.kc = kc;
	int exit_code = 1;
	if (flow_frontdesk_init(&d.flow, NULL) != 0)
		return 2;
	desk_form_init(&d.form, kc->lang);
	d.ui = kiosk_window_open(kc, "healthkiosk front desk", &d.layout, &d.strings, NULL, NULL);
	if (!d.ui)
		return 1;
	if (open_parts(&d) != 0)
		goto out_close;
	d.shown.state = DESK_STATE_COUNT;
	draw(&d);
	kiosk_watch_start(&d.watch);
	log_info("front desk ready: %dx%d, printer %s", d.layout.width, d.layout.height,
	         kc->printer_spec);
	while (!d.quit) {
		struct ui_event u;
		if (ui_wait_event(d.ui, &u, 50) > 0)
			on_ui_event(&d, &u);
		poll_scanners(&d);
		step(&d, NULL); /* time passes: idle sign-out, lockout, reply deadlines */
		draw(&d);
		kiosk_watch_beat(&d.watch);
	}
	kiosk_watch_stop();
	log_info("front desk stopping");
	exit_code = 0;
out_close:
	close_parts(&d);
	ui_close(d.ui);
	SDL_Quit();
	memset(&d.flow, 0, sizeof(d.flow)); /* no personal data left behind */
	memset(&d.form, 0, sizeof(d.form));
	memset(d.queue, 0, sizeof(d.queue));
	return exit_code;
}
