/* app/kiosk/common.c: what the kiosk's modes share: scanner and camera polling, the texts,
 * the JSON state file for automation and the screenshots. */
#include "app/kiosk/kiosk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <SDL.h>

#include "app/core/reason_text.h"
#include "app/store/store.h"
#include "app/sync/client.h"
#include "app/sync/store_source.h"
#include "app/sys/sys.h"

int kiosk_input_open(struct kiosk_input *in, const struct kiosk_config *kc)
{
	memset(in, 0, sizeof(*in));
	in->scanner_spec = kc->scanner_spec;
	if (strcmp(kc->scanner_spec, "wedge") == 0) {
		struct wedge_config wc = {.max_gap_ms = kc->wedge_gap_ms};
		wedge_init(&in->wedge, &wc);
	} else {
		in->scanner = scanner_open(kc->scanner_spec);
		if (!in->scanner)
			log_warn("scanner %s not available yet (%s); retrying", kc->scanner_spec,
			         strerror(errno));
	}
	if (kc->camera_spec[0]) {
		in->camera = camera_reader_start(kc->camera_spec, 3000);
		if (!in->camera) {
			log_err("camera spec %s is not valid", kc->camera_spec);
			return -EINVAL;
		}
	}
	return 0;
}

void kiosk_input_close(struct kiosk_input *in)
{
	camera_reader_stop(in->camera);
	scanner_close(in->scanner);
	in->camera = NULL;
	in->scanner = NULL;
}

static bool wedge_mode(const struct kiosk_input *in)
{
	return strcmp(in->scanner_spec, "wedge") == 0;
}

/* the wedge scanner is timed by when the keys happened (SDL ticks), not by when the loop got
 * round to them */
void kiosk_input_on_ui(struct kiosk_input *in, const struct ui_event *u)
{
	if (!wedge_mode(in))
		return;
	if (u->type == UI_EVENT_TEXT)
		wedge_feed_text(&in->wedge, u->text, u->time_ms);
	else if (u->type == UI_EVENT_KEY && (u->key == UI_KEY_ENTER || u->key == UI_KEY_TAB))
		wedge_feed_end(&in->wedge, u->key == UI_KEY_ENTER ? WEDGE_END_ENTER : WEDGE_END_TAB,
		               u->time_ms);
}

bool kiosk_input_take_scanner(struct kiosk_input *in, struct scan *out)
{
	bool got = false;
	if (wedge_mode(in))
		return wedge_take(&in->wedge, SDL_GetTicks(), out);
	if (in->scanner) {
		int rc = scanner_read(in->scanner, out, 0);
		if (rc > 0)
			got = true;
		else if (rc == -ENODEV) {
			log_err("scanner %s unplugged; reopening", in->scanner_spec);
			scanner_close(in->scanner);
			in->scanner = NULL;
		}
	}
	if (!in->scanner) {
		int64_t now = clock_mono_ms();
		if (now >= in->next_try_ms) {
			in->scanner = scanner_open(in->scanner_spec);
			in->next_try_ms = now + 1000;
		}
	}
	return got;
}

void kiosk_input_preview(struct kiosk_input *in, struct ui *ui)
{
	int w, h;
	if (in->camera && camera_reader_preview(in->camera, &in->preview_seen, in->preview, &w, &h))
		ui_image_set(ui, DL_IMAGE_CAMERA, in->preview, w, h, w, UI_PIXELS_GRAY8);
}

bool kiosk_input_take_camera(struct kiosk_input *in, bool active, struct scan *out)
{
	if (!in->camera)
		return false;
	camera_reader_set_active(in->camera, active);
	if (!camera_reader_take(in->camera, out->text, sizeof(out->text)))
		return false;
	out->len = strlen(out->text);
	out->truncated = false;
	return true;
}

/* ui.json, frontdesk.json and reasons.json from assets_dir, or NULL after logging what is
 * wrong. */
static struct strings *kiosk_strings_load(const char *assets_dir)
{
	static const char *const files[] = {"strings/ui.json", "strings/frontdesk.json",
	                                    "strings/reasons.json"};
	struct strings *s = strings_new();
	if (!s)
		return NULL;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[600], err[200] = "";
		snprintf(path, sizeof(path), "%s/%s", assets_dir, files[i]);
		size_t len;
		char *json = file_read_all(path, 4 << 20, &len);
		int rc = !json   ? -1
		         : i < 2 ? strings_add_json(s, json, len, err, sizeof(err))
		                 : reason_text_add_json(s, json, len, err, sizeof(err));
		if (rc != 0) {
			log_err("%s: %s", path, json ? err : strerror(errno));
			free(json);
			strings_free(s);
			return NULL;
		}
		free(json);
	}
	return s;
}

int kiosk_state_write(const char *path, json_t *root, char **written)
{
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!text)
		return -ENOMEM;
	int rc = 0;
	if (!*written || strcmp(text, *written) != 0) {
		rc = file_write_atomic(path, text, strlen(text), 0644);
		free(*written);
		*written = text;
		text = NULL;
	}
	free(text);
	return rc;
}

int kiosk_screenshot(struct ui *ui, const char *dir, int n, const char *name)
{
	char path[768];
	snprintf(path, sizeof(path), "%s/%03d-%s.png", dir, n, name);
	int rc = ui_screenshot(ui, path);
	if (rc != 0)
		log_warn("screenshot %s not written", path);
	return rc;
}

struct store *kiosk_store_open(const struct kiosk_config *kc)
{
	struct store_error serr;
	struct store *st = store_open(kc->store_path, &serr);
	if (!st)
		log_err("store %s: %s", kc->store_path, serr.message);
	return st;
}

int kiosk_band_key_load(const struct kiosk_config *kc, uint8_t key[32])
{
	int rc = kiosk_key_load(kc->band_key_path, key);
	if (rc != 0)
		log_err("wristband signing key %s: %s", kc->band_key_path,
		        rc == -EPERM ? "readable by others (chmod 600)" : strerror(-rc));
	return rc;
}

struct start_job {
	const struct kiosk_config *kc;
	kiosk_first_screen first;
	void *ctx;
	struct strings *strings;
};

/* On the ui's font thread while SDL opens the window: the texts, then the first screen. */
static int start_prepare(void *arg, int width, int height, struct display_list *dl)
{
	struct start_job *job = arg;
	job->strings = kiosk_strings_load(job->kc->assets_dir);
	if (!job->strings)
		return -EINVAL;
	if (!job->first || width <= 0)
		return 0;
	struct layout layout;
	layout_init(&layout, width, height);
	return job->first(job->ctx, &layout, job->strings, dl) == 0 ? 1 : 0;
}

struct ui *kiosk_window_open(const struct kiosk_config *kc, const char *title,
                             struct layout *layout, struct strings **strings,
                             kiosk_first_screen first, void *ctx)
{
	struct start_job job = {.kc = kc, .first = first, .ctx = ctx};
	struct ui_config uc = {
	    .width = kc->width,
	    .height = kc->height,
	    .fullscreen = kc->fullscreen,
	    .kiosk = kc->kiosk_lock,
	    .font_regular = kc->font_regular,
	    .font_bold = kc->font_bold,
	    .title = title,
	    .prepare = start_prepare,
	    .prepare_ctx = &job,
	};
	struct ui *ui = ui_open_config(&uc);
	if (!ui) {
		strings_free(job.strings);
		return NULL;
	}
	int w, h;
	ui_size(ui, &w, &h);
	layout_init(layout, w, h);
	*strings = job.strings;
	return ui;
}

void kiosk_watch_start(struct kiosk_watch *w)
{
	watchdog_init(&w->wd, watchdog_interval_ms());
	w->ui = watchdog_add_part(&w->wd, "ui");
	watchdog_notify("READY=1");
}

void kiosk_watch_beat(struct kiosk_watch *w)
{
	const char *stalled;
	watchdog_alive(&w->wd, w->ui);
	watchdog_tick(&w->wd, clock_mono_ms(), &stalled);
}

void kiosk_watch_stop(void)
{
	watchdog_notify("STOPPING=1");
}

int kiosk_print_open(struct kiosk_print *kp, const struct kiosk_config *kc, spool_notify_fn notify,
                     void *ctx)
{
	memset(kp, 0, sizeof(*kp));
	char labels[600];
	snprintf(labels, sizeof(labels), "%s/strings/labels.json", kc->assets_dir);
	const char *why = NULL;
	kp->kit = label_kit_open(kc->font_regular, labels, &why);
	if (!kp->kit) {
		log_err("labels: %s", why ? why : "cannot open fonts or captions");
		return -EINVAL;
	}
	struct spool_config sc = {
	    .store_path = kc->store_path,
	    .primary = kc->printer_spec,
	    .fallback = kc->printer_fallback,
	    .kit = kp->kit,
	    .notify = notify,
	    .ctx = ctx,
	};
	int err = 0;
	kp->spool = spool_open(&sc, &err);
	if (!kp->spool) {
		log_err("print spooler for %s did not start: %d", kc->printer_spec, err);
		return -EINVAL;
	}
	return 0;
}

void kiosk_print_close(struct kiosk_print *kp)
{
	spool_close(kp->spool);
	label_kit_close(kp->kit);
	kp->spool = NULL;
	kp->kit = NULL;
}

json_t *kiosk_state_buttons(const struct display_list *dl, const char *(*name)(int id, int *arg))
{
	json_t *buttons = json_array();
	for (int i = 0; i < dl->count; i++) {
		const struct dl_cmd *c = &dl->cmds[i];
		int arg = 0;
		const char *n = c->kind == DL_BUTTON && c->enabled ? name(c->id, &arg) : "?";
		if (strcmp(n, "?") == 0)
			continue;
		json_array_append_new(buttons,
		                      json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i}", "name", n, "id",
		                                c->id, "arg", arg, "x", c->rect.x, "y", c->rect.y,
		                                "w", c->rect.w, "h", c->rect.h));
	}
	return buttons;
}

/* ---- station sync ---- */

int kiosk_sync_start(const struct kiosk_config *kc, int lease_want, struct sync_client **out)
{
	char token[256], device[SYNC_ID_MAX], err[300];
	*out = NULL;
	if (!kc->sync.url[0])
		return 0;
	int rc = kiosk_token_load(kc->sync.token_file, token, sizeof(token));
	if (rc != 0) {
		log_err("sync token %s: %s", kc->sync.token_file,
		        rc == -EPERM ? "readable by others (chmod 600)" : strerror(-rc));
		return rc;
	}
	if (sync_token_device(token, device) != 0) {
		log_err("sync token %s is not DEVICEID.SECRET", kc->sync.token_file);
		rc = -EINVAL;
		goto out_wipe;
	}
	struct sync_source *src = sync_store_source_open(kc->store_path, device, err, sizeof(err));
	if (!src) {
		log_err("sync: %s", err);
		rc = -EINVAL;
		goto out_wipe;
	}
	struct sync_client_options o = {
	    .url = kc->sync.url,
	    .token = token,
	    .ca_file = kc->sync.ca_file[0] ? kc->sync.ca_file : NULL,
	    .interval_ms = kc->sync.interval_s * 1000,
	    .lease_want = lease_want,
	};
	*out = sync_client_start(src, &o, err, sizeof(err));
	if (!*out) {
		log_err("sync client did not start: %s", err);
		src->ops->close(src);
		rc = -EINVAL;
		goto out_wipe;
	}
	log_info("sync with %s as device %s (%d rooms leased when idle)", kc->sync.url, device,
	         lease_want);
	rc = 0;
out_wipe:
	memset(token, 0, sizeof(token));
	return rc;
}

void kiosk_sync_status_text(struct sync_client *c, const struct strings *s, enum lang lang,
                            long waiting, char *out, size_t n, bool *offline)
{
	struct sync_client_status st;
	char count[24], since[16] = "";
	if (offline)
		*offline = false;
	if (!c) {
		snprintf(out, n, "%s", strings_get(s, "sync.local", lang));
		return;
	}
	sync_client_status(c, &st);
	if (waiting >= 0)
		snprintf(count, sizeof(count), "%ld", waiting);
	else
		snprintf(count, sizeof(count), "%zu", st.waiting);
	const char *key = "sync.online";
	if (st.refused) {
		key = "sync.refused";
	} else if (!st.online && st.last_attempt_ms == 0) {
		key = "sync.connecting";
	} else if (!st.online) {
		key = "sync.offline_never";
		if (st.last_success_ms > 0) {
			time_t t = (time_t)(st.last_success_ms / 1000);
			struct tm tm;
			if (localtime_r(&t, &tm))
				strftime(since, sizeof(since), "%H:%M", &tm);
			key = "sync.offline_since";
		}
	}
	if (offline)
		*offline = !st.online;
	const struct strings_arg args[] = {{"n", count}, {"time", since}};
	if (strings_format(s, key, lang, args, 2, out, n) != 0)
		snprintf(out, n, "%s", key);
}
