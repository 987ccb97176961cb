/* app/kiosk/entrance.c: the entrance kiosk's loop: input becomes flow events, the flow's
 * effects are carried out by the services, and the flow's state is drawn as a screen. Only
 * this thread touches the flow; the print spooler answers through ui_post(). */
#include "app/kiosk/kiosk.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <time.h>
#include <SDL.h>

#include "app/core/briefing.h"
#include "app/core/display.h"
#include "app/core/reason_text.h"
#include "app/core/screen_entrance.h"
#include "app/service/spool.h"
#include "drivers/printer/label.h"
#include "app/service/verify.h"
#include "app/store/store.h"
#include "app/sync/client.h"
#include "app/sys/sys.h"
#include "app/ui/sound.h"
#include "app/ui/ui.h"
#include "drivers/camera/camera.h"
#include "drivers/scanner/scanner.h"

#define STAFF_BADGE_PREFIX "HKSTAFF1:" /* QR of a staff badge: prefix + badge id */
#define POST_PRINTED       1           /* ui_post code: a print job finished */
#define EVENT_QUEUE_MAX    8

struct briefing_text {
	char *text;
	size_t len;
	char version[BRIEFING_VERSION_LEN + 1];
};

struct entrance {
	const struct kiosk_config *kc;
	struct store *store;
	struct ui *ui;
	struct strings *strings;
	struct briefing_text briefing[FLOW_LANG_COUNT];
	struct kiosk_input input;
	struct verify_service *verify;
	struct kiosk_print print; /* the label kit and the spooler */
	struct {
		int64_t job_id;
		uint32_t ticket;
		int index;
	} jobs[FLOW_GROUP_MAX];   /* print jobs the flow waits for: job id -> flow ticket */
	struct kiosk_watch watch; /* the UI loop's systemd watchdog */

	struct flow_entrance flow;
	struct event queue[EVENT_QUEUE_MAX]; /* answers waiting to be stepped */
	int queued;

	struct display_list dl;
	struct layout layout;
	enum flow_state shown_state;
	enum flow_overlay shown_overlay;
	enum flow_lang shown_lang;
	int shots;
	char *state_written; /* the state file's content, to write it only when it changes */
	bool quit;
	struct sync_client *sync;    /* NULL without [sync]: the embedded demo station */
	int64_t briefing_checked_ms; /* when the store was last asked for newer briefing texts */
	char sync_line[200];         /* the staff panel's sync line, refreshed once a second */
	bool sync_warn;
	int64_t sync_line_ms;
	int64_t storage_checked_ms; /* when the store's free disk space was last looked at */
	long long storage_free_mb;  /* what was found then; -1 unknown */
	char storage_line[200];     /* the staff panel's disk line */
};

/* A print job's outcome on the spooler's thread, handed to the UI thread. */
struct print_done {
	int64_t job_id;
	enum spool_outcome outcome;
	enum reason reason;
};

static void step(struct entrance *e, const struct event *ev);

static void enqueue(struct entrance *e, const struct event *ev)
{
	if (e->queued < EVENT_QUEUE_MAX)
		e->queue[e->queued++] = *ev;
	else
		log_err("event queue full: %s dropped", event_kind_name(ev->kind));
}

static enum lang ui_lang(enum flow_lang l)
{
	return l == FLOW_LANG_EN ? LANG_EN : LANG_ZH_CN;
}

/* ---- effects ---- */

static void on_print_done(const struct spool_result *r, void *ctx)
{
	struct entrance *e = ctx;
	struct print_done *pd = malloc(sizeof(*pd));
	if (!pd)
		return;
	*pd = (struct print_done){.job_id = r->job_id, .outcome = r->outcome, .reason = r->reason};
	if (ui_post(e->ui, POST_PRINTED, pd) != 0)
		free(pd);
}

static void remember_job(struct entrance *e, int64_t job_id, uint32_t ticket, int index)
{
	for (int i = 0; i < FLOW_GROUP_MAX; i++) {
		if (e->jobs[i].job_id == 0) {
			e->jobs[i].job_id = job_id;
			e->jobs[i].ticket = ticket;
			e->jobs[i].index = index;
			return;
		}
	}
	log_warn("print job %" PRId64 " not followed: too many at once", job_id);
}

static void print_failed_now(struct entrance *e, uint32_t ticket, int index, enum reason why)
{
	struct event ev = {.kind = EV_PRINT_FAILED, .ticket = ticket};
	ev.print.index = index;
	ev.print.reason = why;
	enqueue(e, &ev);
}

/* Wristbands carry both languages: security staff read Chinese, the resident may not. */
static enum label_lang label_lang_of(enum flow_lang l)
{
	(void)l;
	return LABEL_LANG_BOTH;
}

static void do_print(struct entrance *e, const struct effect *fx, int64_t now_s)
{
	/* the band the store committed names the arrival (a walk-in's arrival was made at
	 * check-in, after the flow's copy of the person) */
	char serial[STORE_SERIAL_MAX];
	snprintf(serial, sizeof(serial), "%" PRId64, fx->print.assignment.serial);
	struct wristband_info band;
	int64_t job = 0;
	int rc = store_wristband_get(e->store, serial, &band);
	if (rc == 0)
		rc = spool_submit_wristband(e->store, band.arrival_id,
		                            label_lang_of(fx->print.lang), now_s, &job);
	if (rc != 0) {
		log_err("wristband %s: print job not queued: %s", serial, store_status_name(rc));
		print_failed_now(e, fx->ticket, fx->print.index, REASON_PRINT_JOB_INVALID);
		return;
	}
	remember_job(e, job, fx->ticket, fx->print.index);
	spool_kick(e->print.spool);
}

static void do_reprint(struct entrance *e, const struct effect *fx, int64_t now_s)
{
	char *end;
	long long arrival = strtoll(fx->reprint.person.arrival_id, &end, 10);
	struct spool_reprint rq = {
	    .arrival_id = arrival,
	    .lang = label_lang_of(fx->reprint.lang),
	    .now = now_s,
	    .tz_offset_s = e->kc->checkin.policy.tz_offset_s,
	    .key = &e->kc->checkin.key,
	};
	rq.actor = fx->reprint.approved_by;
	rq.reason = "reprint at the entrance";
	struct spool_reprinted out;
	int rc =
	    *end || arrival <= 0 ? STORE_E_INVALID : spool_reprint_wristband(e->store, &rq, &out);
	if (rc != 0) {
		log_err("reprint refused: %s", store_status_name(rc));
		print_failed_now(e, fx->ticket, 0, REASON_PRINT_JOB_INVALID);
		return;
	}
	log_info("wristband %s replaced by %s", out.old_serial, out.serial);
	if (e->sync)
		sync_client_kick(e->sync);
	remember_job(e, out.job_id, fx->ticket, 0);
	spool_kick(e->print.spool);
}

/* A spooler outcome reaches the flow: printed, or failed for now (the person is told to
 * collect the band at the desk; the job stays queued for the desk). */
static void on_print_outcome(struct entrance *e, const struct print_done *pd)
{
	for (int i = 0; i < FLOW_GROUP_MAX; i++) {
		if (e->jobs[i].job_id != pd->job_id)
			continue;
		if (pd->outcome == SPOOL_MOVED)
			return; /* another printer is trying: wait */
		struct event ev = {.ticket = e->jobs[i].ticket};
		ev.kind = pd->outcome == SPOOL_PRINTED ? EV_PRINTED : EV_PRINT_FAILED;
		ev.print.index = e->jobs[i].index;
		ev.print.reason = pd->reason;
		e->jobs[i].job_id = 0;
		step(e, &ev);
		return;
	}
}

static void do_checkin(struct entrance *e, const struct effect *fx, int64_t now_s)
{
	struct effect copy = *fx;
	/* walk-ins approved by staff become arrivals first */
	for (int i = 0; i < copy.checkin.count; i++) {
		struct person *p = &copy.checkin.people[i];
		if (p->arrival_id[0])
			continue;
		if (verify_admit_walk_in(e->verify, p->key, p->approved_by, now_s, p->arrival_id) !=
		    0) {
			struct event ev = {.kind = EV_ASSIGN_FAILED, .ticket = fx->ticket};
			ev.failed.reason = REASON_STORE_FAILED;
			enqueue(e, &ev);
			return;
		}
	}
	struct event ev;
	if (checkin_commit(e->store, &e->kc->checkin, &copy, now_s, &ev) != 0) {
		ev = (struct event){.kind = EV_ASSIGN_FAILED, .ticket = fx->ticket};
		ev.failed.reason = REASON_STORE_FAILED;
	}
	if (ev.kind == EV_ASSIGNED && e->sync)
		sync_client_kick(e->sync); /* hand the check-in to the station now */
	if (ev.kind == EV_ASSIGNED)
		log_info("check-in committed: %d people, first band %" PRId64, ev.assigned.count,
		         ev.assigned.a[0].serial);
	else
		log_warn("check-in refused: %s", reason_code(ev.failed.reason));
	enqueue(e, &ev);
}

static void do_audit(struct entrance *e, const struct effect *fx, int64_t now_s)
{
	struct audit_record a = {.at = now_s};
	snprintf(a.actor, sizeof(a.actor), "%s", fx->audit.badge);
	snprintf(a.action, sizeof(a.action), "%s", audit_action_name(fx->audit.action));
	snprintf(a.target, sizeof(a.target), "%s", fx->audit.arrival_id);
	snprintf(a.detail, sizeof(a.detail), "%s", reason_code(fx->audit.reason));
	int rc = store_audit_add(e->store, &a, NULL);
	if (rc != 0)
		log_err("audit record not stored: %s", store_status_name(rc));
	else if (e->sync)
		sync_client_kick(e->sync);
}

#define PIN_LOCKOUT_SCOPE "entrance" /* the store's pin_lockout row of this kiosk mode */

/* The staff PIN lockout changed: kept in the store on the wall clock (the monotonic clock
 * starts again at a reboot), so pulling the plug does not lift it. */
static void pin_state_keep(struct entrance *e, const struct effect *fx)
{
	int64_t wall = clock_unix_ms();
	struct store_pin_lockout l = {
	    .bad = fx->pin_state.bad,
	    .locked_until_ms = fx->pin_state.locked_ms > 0 ? wall + fx->pin_state.locked_ms : 0,
	    .saved_at_ms = wall,
	};
	int rc = store_pin_lockout_set(e->store, PIN_LOCKOUT_SCOPE, &l);
	if (rc != 0)
		log_err("staff PIN lockout not stored (a restart would lift it): %s",
		        store_status_name(rc));
	else if (l.locked_until_ms)
		log_warn("staff sign-in locked for %lld s after %d bad PINs in a row",
		         (long long)(fx->pin_state.locked_ms / 1000), e->kc->flow.pin_attempts);
}

/* The lockout as it was before this start (a restart, a power cut). */
static void pin_state_restore(struct entrance *e)
{
	struct store_pin_lockout l;
	int rc = store_pin_lockout_get(e->store, PIN_LOCKOUT_SCOPE, &l);
	if (rc != 0) {
		log_err("staff PIN lockout not read: %s", store_status_name(rc));
		return;
	}
	int64_t now = clock_mono_ms();
	flow_entrance_pin_restore(&e->flow, l.bad, l.locked_until_ms, clock_unix_ms(), now);
	if (e->flow.pin_locked_until_ms > now)
		log_warn("staff sign-in still locked for %lld s (a PIN lockout from before the "
		         "restart)",
		         (long long)((e->flow.pin_locked_until_ms - now + 999) / 1000));
	else if (e->flow.pin_bad > 0)
		log_info("%d bad staff PINs in a row from before the restart count",
		         e->flow.pin_bad);
}

static void carry_out(struct entrance *e, const struct effects *fx, int64_t now_s)
{
	for (int i = 0; i < fx->count; i++) {
		const struct effect *f = &fx->fx[i];
		struct event ev;
		switch (f->kind) {
		case FX_VERIFY:
			if (verify_code(e->verify, f, now_s, &ev) == 0) {
				log_info("verified: %s", reason_code(ev.verified.reason));
				enqueue(e, &ev);
			}
			break;
		case FX_CHECKIN:
			do_checkin(e, f, now_s);
			break;
		case FX_PRINT:
			do_print(e, f, now_s);
			break;
		case FX_REPRINT:
			do_reprint(e, f, now_s);
			break;
		case FX_BEEP: {
			if (f->beep.kind == BEEP_REFUSE && e->flow.state == FLOW_REFUSED &&
			    e->flow.reason == REASON_STORAGE_LOW)
				log_warn(
				    "check-in refused before the briefing: the store's disk is "
				    "nearly full (%lld MB free, store.min_free_mb = %d); free "
				    "space "
				    "on the data partition",
				    e->storage_free_mb, e->kc->store_min_free_mb);
			static const enum sound sounds[BEEP_COUNT] = {[BEEP_OK] = SOUND_OK,
			                                              [BEEP_REFUSE] = SOUND_REFUSE,
			                                              [BEEP_ATTENTION] =
			                                                  SOUND_REFUSE,
			                                              [BEEP_CHIME] = SOUND_CHIME};
			sound_play(sounds[f->beep.kind]);
			break;
		}
		case FX_AUDIT:
			do_audit(e, f, now_s);
			break;
		case FX_CHECK_PIN: {
			bool ok = false;
			int rc = store_badge_check_pin(e->store, f->check_pin.badge,
			                               f->check_pin.pin, &ok);
			ev = (struct event){.ticket = f->ticket};
			ev.kind = rc == 0 && ok ? EV_STAFF_OK : EV_STAFF_BAD;
			enqueue(e, &ev);
			break;
		}
		case FX_CLEAR:
			verify_service_forget_all(e->verify);
			break;
		case FX_PIN_STATE:
			pin_state_keep(e, f);
			break;
		case FX_TIMINGS:
			log_info("visit done: verdict %" PRId64 " ms, briefing %" PRId64
			         " ms, print %" PRId64 " ms, whole visit %" PRId64 " ms",
			         f->timings.timings.verdict_ms, f->timings.timings.briefing_ms,
			         f->timings.timings.print_ms, f->timings.timings.visit_ms);
			break;
		default:
			break;
		}
	}
}

/* Step the flow with ev (NULL: a tick), then every answer the effects produced. */
static void step(struct entrance *e, const struct event *ev)
{
	static struct effects fx;
	int64_t now = clock_mono_ms();
	flow_entrance_step(&e->flow, ev, now, &fx);
	carry_out(e, &fx, clock_unix_s());
	for (int guard = 0; e->queued > 0 && guard < 32; guard++) {
		struct event next = e->queue[0];
		memmove(e->queue, e->queue + 1, (size_t)(e->queued - 1) * sizeof(e->queue[0]));
		e->queued--;
		flow_entrance_step(&e->flow, &next, clock_mono_ms(), &fx);
		carry_out(e, &fx, clock_unix_s());
	}
}

/* ---- the store's disk ---- */

/* Look at the free space of the store's file system and tell the flow when it crosses
 * store.min_free_mb: the flow then refuses new visits at their first scan instead of after
 * the briefing, where the commit would fail (which stays the last line of defence). Run at
 * every scan, at start, and every 5 s on the attract screen and the staff panel. */
static void storage_check(struct entrance *e, int64_t now_ms)
{
	e->storage_checked_ms = now_ms;
	char dir[sizeof(e->kc->store_path)];
	snprintf(dir, sizeof(dir), "%s", e->kc->store_path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir ? 1 : 0] = '\0';
	struct statvfs sv;
	if (statvfs(dir, &sv) != 0) {
		if (e->storage_free_mb >= 0)
			log_warn("store disk space unknown: %s: %s", dir, strerror(errno));
		e->storage_free_mb = -1; /* unknown is not low: the commit still guards */
		return;
	}
	e->storage_free_mb = (long long)(((unsigned long long)sv.f_bavail * sv.f_frsize) >> 20);
	bool low = e->kc->store_min_free_mb > 0 && e->storage_free_mb < e->kc->store_min_free_mb;
	if (low == e->flow.storage_low)
		return;
	if (low)
		log_warn("store disk nearly full: %lld MB free on %s, store.min_free_mb = %d: new "
		         "check-ins are refused at the scan (E_STORAGE_LOW)",
		         e->storage_free_mb, dir, e->kc->store_min_free_mb);
	else
		log_info("store disk space back: %lld MB free on %s: check-ins are taken again",
		         e->storage_free_mb, dir);
	struct event ev = {.kind = EV_STORAGE};
	ev.storage.low = low;
	step(e, &ev);
}

/* ---- input ---- */

static void scanned(struct entrance *e, const struct scan *sc)
{
	static struct event ev;
	memset(&ev, 0, sizeof(ev));
	if (sc->truncated) /* verified as it is: half a code is refused as damaged */
		log_warn("scan cut short (%zu bytes)", sc->len);
	size_t plen = strlen(STAFF_BADGE_PREFIX);
	if (strncmp(sc->text, STAFF_BADGE_PREFIX, plen) == 0) {
		ev.kind = EV_STAFF_BADGE;
		snprintf(ev.badge.id, sizeof(ev.badge.id), "%s", sc->text + plen);
	} else {
		storage_check(e, clock_mono_ms()); /* before the person starts, not at the commit */
		ev.kind = EV_SCAN;
		size_t n = sc->len < sizeof(ev.scan.text) ? sc->len : sizeof(ev.scan.text) - 1;
		memcpy(ev.scan.text, sc->text, n); /* SCAN_MAX < FLOW_SCAN_MAX: never cut */
		ev.scan.text[n] = '\0';
	}
	step(e, &ev);
}

static void on_button(struct entrance *e, int id)
{
	struct event ev;
	if (screen_entrance_event(id, &e->flow, e->briefing[e->flow.lang].version, &ev))
		step(e, &ev);
}

static void on_ui_event(struct entrance *e, const struct ui_event *u)
{
	struct event ev = {0};
	switch (u->type) {
	case UI_EVENT_QUIT:
		e->quit = true;
		break;
	case UI_EVENT_BUTTON:
		on_button(e, u->id);
		break;
	case UI_EVENT_TOUCH:
		ev.kind = EV_TOUCH;
		ev.touch.button = BTN_NONE; /* activity: keeps the session alive */
		step(e, &ev);
		break;
	case UI_EVENT_SCROLL_END:
		ev.kind = EV_BRIEFING_END;
		step(e, &ev);
		break;
	case UI_EVENT_TEXT:
	case UI_EVENT_KEY:
		kiosk_input_on_ui(&e->input, u);
		break;
	case UI_EVENT_POSTED:
		if (u->code == POST_PRINTED && u->data) {
			on_print_outcome(e, u->data);
			free(u->data);
		}
		break;
	default:
		break;
	}
}

static void poll_scanners(struct entrance *e)
{
	static struct scan sc;
	if (kiosk_input_take_scanner(&e->input, &sc))
		scanned(e, &sc);
	bool active = e->flow.state == FLOW_ATTRACT || e->flow.state == FLOW_FAMILY;
	if (active)
		kiosk_input_preview(&e->input, e->ui); /* the live preview on the scan screens */
	if (kiosk_input_take_camera(&e->input, active, &sc))
		scanned(e, &sc);
}

/* ---- output ---- */

/* The current screen and its buttons, for the demo driver and the window tests. */
static void write_state(struct entrance *e)
{
	json_t *root = json_object();
	json_object_set_new(root, "state", json_string(flow_state_name(e->flow.state)));
	json_object_set_new(root, "overlay", json_string(flow_overlay_name(e->flow.overlay)));
	json_object_set_new(root, "lang", json_string(lang_tag(ui_lang(e->flow.lang))));
	json_object_set_new(root, "reason", json_string(reason_code(e->flow.reason)));
	json_object_set_new(root, "ack_enabled", json_boolean(e->flow.ack_enabled));
	json_object_set_new(root, "people", json_integer(e->flow.session.count));
	json_object_set_new(root, "storage_low", json_boolean(e->flow.storage_low));
	json_object_set_new(root, "screens", json_integer(e->shots));
	json_t *buttons = json_array();
	for (int i = 0; i < e->dl.count; i++) {
		const struct dl_cmd *c = &e->dl.cmds[i];
		if (c->kind != DL_BUTTON || !c->enabled)
			continue;
		enum button b = BTN_NONE;
		int arg = 0;
		enum screen_input in = screen_entrance_input(c->id, &b, &arg);
		const char *name = in == SCREEN_INPUT_LANGUAGE ? "LANGUAGE"
		                   : in == SCREEN_INPUT_TOUCH  ? button_name(b)
		                                               : "ACK";
		if (strncmp(name, "BTN_", 4) == 0)
			name += 4;
		if (in == SCREEN_INPUT_NONE)
			continue;
		json_array_append_new(buttons,
		                      json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i}", "name", name,
		                                "arg", arg, "id", c->id, "x", c->rect.x, "y",
		                                c->rect.y, "w", c->rect.w, "h", c->rect.h));
	}
	json_object_set_new(root, "buttons", buttons);
	kiosk_state_write(e->kc->state_file, root, &e->state_written);
}

/* The staff panel's sync line; only while staff are signed in (residents never see it). */
static void sync_line_update(struct entrance *e)
{
	int64_t now = clock_mono_ms();
	if (e->flow.overlay != FLOW_OVERLAY_STAFF ||
	    (e->sync_line[0] && now - e->sync_line_ms < 1000))
		return;
	e->sync_line_ms = now;
	size_t waiting = 0; /* counted in the store: the staff login just written included */
	long n = e->sync && store_outbox_count(e->store, &waiting) == 0 ? (long)waiting : -1;
	kiosk_sync_status_text(e->sync, e->strings, ui_lang(e->flow.lang), n, e->sync_line,
	                       sizeof(e->sync_line), &e->sync_warn);
}

/* The staff panel's disk line: free space on the store's file system, a warning below
 * store.min_free_mb. */
static void storage_line_update(struct entrance *e)
{
	e->storage_line[0] = '\0';
	if (e->flow.overlay != FLOW_OVERLAY_STAFF || e->storage_free_mb < 0)
		return;
	char n[24];
	snprintf(n, sizeof(n), "%lld", e->storage_free_mb);
	const struct strings_arg args[] = {{"n", n}};
	strings_format(e->strings, e->flow.storage_low ? "staff.storage.low" : "staff.storage.ok",
	               ui_lang(e->flow.lang), args, 1, e->storage_line, sizeof(e->storage_line));
}

/* The screen for e's flow; also the first screen, built before the window exists. */
static int build(void *ctx, const struct layout *layout, const struct strings *strings,
                 struct display_list *dl)
{
	const struct entrance *e = ctx;
	struct screen_entrance_extra x = {
	    .briefing = e->briefing[e->flow.lang].text,
	    .camera = e->input.camera != NULL,
	    .sync_waiting = -1,
	    .sync_status = e->sync_line[0] ? e->sync_line : NULL,
	    .sync_warn = e->sync_warn,
	    .storage = e->storage_line[0] ? e->storage_line : NULL,
	    .storage_warn = e->flow.storage_low,
	};
	return screen_entrance_build(dl, layout, strings, &e->flow, &x);
}

static void draw(struct entrance *e)
{
	const enum flow_lang fl = e->flow.lang;
	if (e->flow.overlay != FLOW_OVERLAY_STAFF || fl != e->shown_lang)
		e->sync_line[0] = '\0';
	sync_line_update(e);
	storage_line_update(e);
	if (build(e, &e->layout, e->strings, &e->dl) != 0)
		log_err("screen %s did not fit its display list", flow_state_name(e->flow.state));
	bool new_screen = e->flow.state != e->shown_state || e->flow.overlay != e->shown_overlay ||
	                  fl != e->shown_lang || e->shots == 0;
	if (new_screen)
		ui_draw_fade(e->ui, &e->dl, 120);
	else
		ui_draw(e->ui, &e->dl);
	if (e->kc->state_file[0])
		write_state(e);
	if (!new_screen)
		return;
	e->shown_state = e->flow.state;
	e->shown_overlay = e->flow.overlay;
	e->shown_lang = fl;
	e->shots++;
	if (e->kc->screenshots_dir[0]) {
		char name[160];
		snprintf(name, sizeof(name), "%s%s%s-%s", flow_state_name(e->flow.state),
		         e->flow.overlay ? "-" : "",
		         e->flow.overlay ? flow_overlay_name(e->flow.overlay) : "",
		         lang_tag(ui_lang(fl)));
		kiosk_screenshot(e->ui, e->kc->screenshots_dir, e->shots, name);
	}
}

/* ---- start and stop ---- */

/* The police briefing in each language, with its version (the hash recorded at the ack). */
static int load_briefings(struct entrance *e)
{
	static const char *const briefing_files[FLOW_LANG_COUNT] = {"briefing/zh-CN.md",
	                                                            "briefing/en.md"};
	for (int l = 0; l < FLOW_LANG_COUNT; l++) {
		char path[600];
		snprintf(path, sizeof(path), "%s/%s", e->kc->assets_dir, briefing_files[l]);
		struct briefing_text *b = &e->briefing[l];
		b->text = file_read_all(path, 1 << 20, &b->len);
		if (!b->text || briefing_version(b->text, b->len, b->version) != 0) {
			log_err("%s: %s", path, b->text ? "cannot hash" : strerror(errno));
			return -EINVAL;
		}
		log_info("briefing %s version %.12s", lang_tag(ui_lang((enum flow_lang)l)),
		         b->version);
	}
	return 0;
}

/* The station publishes briefing texts (`stationctl briefing add`, pulled into the store):
 * the newest one the store holds for a language replaces the text shown, checked every
 * 5 s on the attract screen only, so a person reads and acknowledges one text from start
 * to end, and its version (the hash of that very text) is what their check-in records. */
static void adopt_station_briefings(struct entrance *e, int64_t now_ms)
{
	if (e->flow.state != FLOW_ATTRACT || now_ms - e->briefing_checked_ms < 5000)
		return;
	e->briefing_checked_ms = now_ms;
	for (int l = 0; l < FLOW_LANG_COUNT; l++) {
		const char *tag = lang_tag(ui_lang((enum flow_lang)l));
		struct store_briefing info;
		char *text, version[BRIEFING_VERSION_LEN + 1];
		size_t len;
		if (store_briefing_latest(e->store, tag, &info, &text, &len) != 0)
			continue;
		if (briefing_version(text, len, version) != 0 ||
		    strcmp(version, e->briefing[l].version) == 0) {
			free(text);
			continue;
		}
		struct briefing_text *b = &e->briefing[l];
		free(b->text);
		b->text = text;
		b->len = len;
		memcpy(b->version, version, sizeof(b->version));
		log_info("briefing %s version %.12s from the station (its version %lld)", tag,
		         version, (long long)info.version);
	}
}

static int open_parts(struct entrance *e)
{
	const struct kiosk_config *kc = e->kc;
	e->store = kiosk_store_open(kc);
	if (!e->store)
		return -EIO;
	uint8_t key[32];
	int rc = kiosk_band_key_load(kc, key);
	if (rc != 0)
		return rc;
	struct kiosk_config *mut = (struct kiosk_config *)kc;
	memcpy(mut->checkin.key.bytes, key, sizeof(key));
	memset(key, 0, sizeof(key));

	struct verify_config vc;
	verify_config_defaults(&vc);
	vc.code.skew_s = kc->skew_s;
	vc.code.demo_allowed = kc->demo;
	vc.intl = kc->intl;
	vc.policy = kc->checkin.policy;
	e->verify = verify_service_open(e->store, &vc);
	if (!e->verify) {
		log_err("health-code verifier could not load the trust list");
		return -EINVAL;
	}
	if (kiosk_print_open(&e->print, kc, on_print_done, e) != 0)
		return -EINVAL;
	if (kiosk_input_open(&e->input, kc) != 0)
		return -EINVAL;
	/* with a station: rooms only from this kiosk's leases, records handed over */
	if ((rc = kiosk_sync_start(kc, kc->sync.lease_want, &e->sync)) != 0)
		return rc;
	mut->checkin.leases_only = e->sync != NULL;
	return 0;
}

static void close_parts(struct entrance *e)
{
	sync_client_stop(e->sync); /* a transfer in progress is resent next time */
	e->sync = NULL;
	kiosk_input_close(&e->input);
	kiosk_print_close(&e->print);
	verify_service_close(e->verify);
	for (int l = 0; l < FLOW_LANG_COUNT; l++)
		free(e->briefing[l].text);
	strings_free(e->strings);
	free(e->state_written);
	store_close(e->store);
}

int kiosk_run_entrance(const struct kiosk_config *kc)
{
	static struct entrance e;
	memset(&e, 0, sizeof(e));
	e.kc = kc;
	int exit_code = 1;
	if (flow_entrance_init(&e.flow, &kc->flow) != 0) {
		log_err("flow settings out of range");
		return 2;
	}
	/* The welcome screen first, then everything else: a person walking up sees the kiosk
	 * ready while the store, the verifier, the printer and the camera open (a scan made
	 * meanwhile waits in SDL's queue). */
	e.ui = kiosk_window_open(kc, "healthkiosk", &e.layout, &e.strings, build, &e);
	if (!e.ui)
		return 1;
	e.shown_state = FLOW_STATE_COUNT;
	draw(&e);
	struct timespec first;
	clock_gettime(CLOCK_REALTIME, &first);
	struct ui_stats st;
	ui_get_stats(e.ui, &st);
	log_info("first frame on screen: first-frame-realtime-us=%lld (texts: %lu rendered "
	         "ahead, %lu here)",
	         (long long)first.tv_sec * 1000000 + first.tv_nsec / 1000, st.text_prepared,
	         st.text_renders);
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0 || sound_open(kc->volume) != 0)
		log_warn("no audio device: the kiosk runs silent");
	if (load_briefings(&e) != 0 || open_parts(&e) != 0)
		goto out_close;
	pin_state_restore(&e);
	/* SDL turns SIGTERM and SIGINT into SDL_QUIT, which ui_wait_event() reports */
	if (kc->exit_after_first_frame)
		e.quit = true;
	e.storage_free_mb = 0;
	storage_check(&e, clock_mono_ms()); /* a full disk is in the log from the start */
	kiosk_watch_start(&e.watch);
	log_info("entrance kiosk ready: %dx%d, renderer %s", e.layout.width, e.layout.height,
	         ui_renderer_name(e.ui));

	while (!e.quit) {
		struct ui_event u;
		if (ui_wait_event(e.ui, &u, 50) > 0)
			on_ui_event(&e, &u);
		poll_scanners(&e);
		step(&e, NULL); /* time passes: timeouts, countdown */
		draw(&e);
		adopt_station_briefings(&e, clock_mono_ms());
		int64_t now = clock_mono_ms();
		if ((e.flow.state == FLOW_ATTRACT || e.flow.overlay == FLOW_OVERLAY_STAFF) &&
		    now - e.storage_checked_ms >= 5000)
			storage_check(&e, now);
		kiosk_watch_beat(&e.watch);
	}
	kiosk_watch_stop();
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		log_info("entrance kiosk stopping: peak-rss-kb=%ld", ru.ru_maxrss);
	else
		log_info("entrance kiosk stopping");
	exit_code = 0;
out_close:
	close_parts(&e);
	sound_close();
	ui_close(e.ui);
	SDL_Quit();
	memset(&e.flow, 0, sizeof(e.flow)); /* no personal data left behind */
	return exit_code;
}
