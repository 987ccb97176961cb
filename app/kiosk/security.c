/* app/kiosk/security.c: the security post's loop: wristband scans from the scanner box or the
 * camera become flow events, the flow's lookups and scan records are carried out on the local
 * replica (app/service/security.h), and the verdict is drawn full screen with its tone. */
#include "app/kiosk/kiosk.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <SDL.h>

#include "app/core/screen_security.h"
#include "app/service/security.h"
#include "app/store/store.h"
#include "app/sync/client.h"
#include "app/sys/sys.h"
#include "app/ui/sound.h"

#define SEC_QUEUE_MAX 4

struct post {
	const struct kiosk_config *kc;
	struct store *store;
	struct ui *ui;
	struct strings *strings;
	struct kiosk_input input;
	struct wristband_public_key band_key;
	struct security_config sc;
	struct kiosk_watch watch; /* the UI loop's systemd watchdog */

	struct flow_security flow;
	struct sec_event queue[SEC_QUEUE_MAX]; /* lookup answers waiting to be stepped */
	int queued;

	enum lang lang;
	struct display_list dl;
	struct layout layout;
	enum sec_state shown_state;
	uint64_t shown_hash;
	enum lang shown_lang;
	int shots;
	char *state_written;
	bool quit;
	struct sync_client *sync; /* NULL without [sync] */
	int64_t pulled_seen;      /* the store's last successful pull already told the flow */
	int64_t next_pull_check_ms;
};

/* ---- effects ---- */

static void carry_out(struct post *p, const struct sec_effects *fx)
{
	for (int i = 0; i < fx->count; i++) {
		const struct sec_effect *f = &fx->fx[i];
		switch (f->kind) {
		case SEC_FX_LOOKUP: {
			if (p->queued == SEC_QUEUE_MAX) {
				log_err("lookup answer dropped: queue full");
				break;
			}
			if (security_lookup(p->store, &p->sc, f, &p->queue[p->queued]) == 0)
				p->queued++;
			break;
		}
		case SEC_FX_RECORD_SCAN: {
			int rc = security_record_scan(p->store, f, NULL);
			if (rc != 0)
				log_err("scan record not stored: %s", store_status_name(rc));
			else if (p->sync)
				sync_client_kick(p->sync);
			log_info("scan at %s: %s %s (band %s)", f->record.checkpoint,
			         sec_colour_name(f->record.colour), reason_code(f->record.reason),
			         wristband_result_name(f->record.token));
			break;
		}
		case SEC_FX_BEEP:
			sound_play(f->beep.kind == BEEP_OK ? SOUND_OK : SOUND_REFUSE);
			break;
		default:
			break; /* SEC_FX_CLEAR: the flow wiped the verdict; nothing else holds it */
		}
	}
}

/* Step the flow with ev (NULL: a tick), then the lookup answers the effects produced. */
static void step(struct post *p, const struct sec_event *ev)
{
	static struct sec_effects fx;
	flow_security_step(&p->flow, ev, clock_mono_ms(), clock_unix_s(), &fx);
	carry_out(p, &fx);
	for (int guard = 0; p->queued > 0 && guard < 8; guard++) {
		static struct sec_event next;
		next = p->queue[0];
		memmove(p->queue, p->queue + 1, (size_t)(p->queued - 1) * sizeof(p->queue[0]));
		p->queued--;
		memset(&p->queue[p->queued], 0, sizeof(p->queue[0])); /* no copy left behind */
		flow_security_step(&p->flow, &next, clock_mono_ms(), clock_unix_s(), &fx);
		carry_out(p, &fx);
		memset(&next, 0, sizeof(next)); /* the resident's facts: not left behind */
		if (p->flow.state == SEC_VERDICT)
			log_info("verdict %s %s in %" PRId64 " ms",
			         sec_colour_name(p->flow.verdict.colour),
			         reason_code(p->flow.verdict.reason), p->flow.latency_ms);
	}
}

/* ---- input ---- */

static void scanned(struct post *p, const struct scan *sc)
{
	static struct sec_event ev;
	memset(&ev, 0, sizeof(ev));
	if (sc->truncated)
		log_warn("scan cut short (%zu bytes)", sc->len);
	ev.kind = SEC_EV_SCAN;
	size_t n = sc->len < sizeof(ev.scan.text) ? sc->len : sizeof(ev.scan.text) - 1;
	memcpy(ev.scan.text, sc->text, n);
	ev.scan.text[n] = '\0';
	step(p, &ev);
}

static void on_ui_event(struct post *p, const struct ui_event *u)
{
	struct sec_event ev = {0};
	switch (u->type) {
	case UI_EVENT_QUIT:
		p->quit = true;
		break;
	case UI_EVENT_BUTTON:
		switch (screen_security_input(u->id)) {
		case SCREEN_SECURITY_DISMISS:
			ev.kind = SEC_EV_DISMISS;
			step(p, &ev);
			break;
		case SCREEN_SECURITY_LANGUAGE:
			p->lang = p->lang == LANG_EN ? LANG_ZH_CN : LANG_EN;
			break;
		default:
			break;
		}
		break;
	case UI_EVENT_TEXT:
	case UI_EVENT_KEY:
		kiosk_input_on_ui(&p->input, u);
		break;
	default:
		break;
	}
}

static void poll_scanners(struct post *p)
{
	static struct scan sc;
	if (kiosk_input_take_scanner(&p->input, &sc))
		scanned(p, &sc);
	if (kiosk_input_take_camera(&p->input, p->flow.state != SEC_LOOKING, &sc))
		scanned(p, &sc);
	memset(&sc, 0, sizeof(sc));
}

/* ---- output ---- */

/* The screen for the window tests: the verdict's codes, the band's room (from the token) and
 * the buttons. No name and no document number. */
static void write_state(struct post *p)
{
	const struct flow_security *f = &p->flow;
	const struct sec_verdict *v = &f->verdict;
	bool verdict = f->state == SEC_VERDICT;
	json_t *root = json_object();
	json_object_set_new(root, "state", json_string(sec_state_name(f->state)));
	json_object_set_new(root, "checkpoint", json_string(f->cfg.checkpoint));
	json_object_set_new(root, "lang", json_string(lang_tag(p->lang)));
	json_object_set_new(root, "colour", json_string(verdict ? sec_colour_name(v->colour) : ""));
	json_object_set_new(root, "reason", json_string(verdict ? reason_code(v->reason) : ""));
	json_object_set_new(root, "token",
	                    json_string(verdict ? wristband_result_name(v->token) : ""));
	json_object_set_new(
	    root, "band",
	    json_string(verdict && v->token == WRISTBAND_OK ? sec_band_name(v->band_state) : ""));
	json_object_set_new(root, "room",
	                    json_string(verdict && v->has_resident ? v->resident.room
	                                : verdict                  ? v->band.room
	                                                           : ""));
	json_object_set_new(root, "has_resident", json_boolean(verdict && v->has_resident));
	json_object_set_new(root, "recorded", json_boolean(verdict && v->recorded));
	json_object_set_new(root, "repeats", json_integer(verdict ? v->repeats : 0));
	json_object_set_new(root, "latency_ms", json_integer(f->latency_ms));
	json_object_set_new(root, "data_age_s", json_integer(f->data_age_s));
	json_object_set_new(root, "screens", json_integer(p->shots));
	json_t *buttons = json_array();
	for (int i = 0; i < p->dl.count; i++) {
		const struct dl_cmd *c = &p->dl.cmds[i];
		if (c->kind != DL_BUTTON || !c->enabled)
			continue;
		enum screen_security_input in = screen_security_input(c->id);
		if (in == SCREEN_SECURITY_NONE)
			continue;
		json_array_append_new(
		    buttons,
		    json_pack("{s:s,s:i,s:i,s:i,s:i,s:i}", "name",
		              in == SCREEN_SECURITY_DISMISS ? "DISMISS" : "LANGUAGE", "id", c->id,
		              "x", c->rect.x, "y", c->rect.y, "w", c->rect.w, "h", c->rect.h));
	}
	json_object_set_new(root, "buttons", buttons);
	kiosk_state_write(p->kc->state_file, root, &p->state_written);
}

static void draw(struct post *p)
{
	struct screen_security_extra x = {.lang = p->lang, .camera = p->input.camera != NULL};
	if (screen_security_build(&p->dl, &p->layout, p->strings, &p->flow, &x) != 0)
		log_err("screen %s did not fit its display list", sec_state_name(p->flow.state));
	bool new_screen = p->flow.state != p->shown_state || p->flow.shown_hash != p->shown_hash ||
	                  p->lang != p->shown_lang || p->shots == 0;
	/* a verdict appears at once (the 200 ms budget); other screens fade */
	if (new_screen && p->flow.state != SEC_VERDICT)
		ui_draw_fade(p->ui, &p->dl, 120);
	else
		ui_draw(p->ui, &p->dl);
	if (new_screen) {
		p->shown_state = p->flow.state;
		p->shown_hash = p->flow.shown_hash;
		p->shown_lang = p->lang;
		p->shots++;
	}
	if (p->kc->state_file[0])
		write_state(p);
	if (!new_screen || !p->kc->screenshots_dir[0])
		return;
	char name[160];
	if (p->flow.state == SEC_VERDICT)
		snprintf(name, sizeof(name), "%s-%s-%s-%s", sec_state_name(p->flow.state),
		         sec_colour_name(p->flow.verdict.colour),
		         reason_code(p->flow.verdict.reason), lang_tag(p->lang));
	else
		snprintf(name, sizeof(name), "%s-%s", sec_state_name(p->flow.state),
		         lang_tag(p->lang));
	kiosk_screenshot(p->ui, p->kc->screenshots_dir, p->shots, name);
}

/* The replica's age: when the store last applied a pull (kept in the store, so it survives
 * a restart), told to the flow when it moves; read once a second. */
static void replica_age_poll(struct post *p)
{
	int64_t now = clock_mono_ms(), pulled_at = 0;
	if (now < p->next_pull_check_ms)
		return;
	p->next_pull_check_ms = now + 1000;
	if (store_pull_state(p->store, NULL, &pulled_at) != 0 || pulled_at <= p->pulled_seen)
		return;
	p->pulled_seen = pulled_at;
	struct sec_event ev = {.kind = SEC_EV_SYNCED};
	ev.synced.unix_s = pulled_at;
	step(p, &ev);
}

/* ---- start and stop ---- */

static int open_parts(struct post *p)
{
	const struct kiosk_config *kc = p->kc;
	p->store = kiosk_store_open(kc);
	if (!p->store)
		return -EIO;
	int rc = kiosk_public_key_load(kc->band_pub_path, p->band_key.bytes);
	if (rc != 0) {
		log_err("wristband public key %s: %s", kc->band_pub_path, strerror(-rc));
		return rc;
	}
	char kid[WRISTBAND_KEY_ID_SIZE];
	if (wristband_key_id(&p->band_key, kid) == 0)
		log_info("trusting wristbands signed by key %s for station %s", kid,
		         kc->checkin.station);
	snprintf(p->sc.station, sizeof(p->sc.station), "%s", kc->checkin.station);
	p->sc.keys = &p->band_key;
	p->sc.nkeys = 1;
	p->sc.policy = kc->checkin.policy;
	if (kiosk_input_open(&p->input, kc) != 0)
		return -EINVAL;
	return kiosk_sync_start(kc, 0, &p->sync); /* a post holds no room leases */
}

static void close_parts(struct post *p)
{
	sync_client_stop(p->sync);
	p->sync = NULL;
	kiosk_input_close(&p->input);
	strings_free(p->strings);
	free(p->state_written);
	store_close(p->store);
}

int kiosk_run_security(const struct kiosk_config *kc)
{
	static struct post p;
	memset(&p, 0, sizeof(p));
	p.kc = kc;
	p.lang = kc->lang;
	int exit_code = 1;
	if (flow_security_init(&p.flow, &kc->security) != 0) {
		log_err("checkpoint settings out of range");
		return 2;
	}
	p.ui = kiosk_window_open(kc, "healthkiosk security", &p.layout, &p.strings, NULL, NULL);
	if (!p.ui)
		return 1;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0 || sound_open(kc->volume) != 0)
		log_warn("no audio device: the post runs silent");
	if (open_parts(&p) != 0)
		goto out_close;
	/* the data age: the store's last successful pull; "not synced yet" when there was none */
	replica_age_poll(&p);
	p.shown_state = SEC_STATE_COUNT;
	draw(&p);
	kiosk_watch_start(&p.watch);
	log_info("security post %s ready: %dx%d, %s, %d floors", kc->security.checkpoint,
	         p.layout.width, p.layout.height, kc->security.exit ? "exit" : "inside",
	         kc->security.floor_count);

	while (!p.quit) {
		struct ui_event u;
		if (ui_wait_event(p.ui, &u, 50) > 0)
			on_ui_event(&p, &u);
		poll_scanners(&p);
		replica_age_poll(&p);
		step(&p, NULL); /* time passes: the verdict is wiped after its time */
		draw(&p);
		kiosk_watch_beat(&p.watch);
	}
	kiosk_watch_stop();
	log_info("security post stopping");
	exit_code = 0;
out_close:
	close_parts(&p);
	sound_close();
	ui_close(p.ui);
	SDL_Quit();
	memset(&p.flow, 0, sizeof(p.flow)); /* no personal data left behind */
	memset(p.queue, 0, sizeof(p.queue));
	return exit_code;
}
