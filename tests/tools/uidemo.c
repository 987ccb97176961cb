/* tests/tools/uidemo.c: draws every sample entrance screen in Chinese and English at 800x480,
 * 1920x1080 and 1080x1920, writes screenshots, and reports text that does not fit its box.
 *   uidemo [--out DIR] [--size WxH]... [--windowed-wait]
 * Exit 0 when everything fits and the text cache behaves; 1 on error; 2 on overflows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/core/briefing.h"
#include "app/core/screens.h"
#include "app/core/strings.h"
#include "app/sys/sys.h"
#include "app/ui/ui.h"

static int load_strings(struct strings *s, const char *path)
{
	size_t len;
	char err[200];
	char *json = file_read_all(path, 4u << 20, &len);
	if (!json) {
		fprintf(stderr, "uidemo: cannot read %s\n", path);
		return -ENOENT;
	}
	int rc = strings_add_json(s, json, len, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "uidemo: %s: %s\n", path, err);
	free(json);
	return rc;
}

enum screen_id {
	SCR_ATTRACT,
	SCR_ATTRACT_CAMERA,
	SCR_VERDICT_VALID,
	SCR_VERDICT_ATTENTION,
	SCR_IDENTITY,
	SCR_FAMILY,
	SCR_BRIEFING,
	SCR_BRIEFING_END,
	SCR_ROOM_PRINTING,
	SCR_ROOM_DONE,
	SCR_ROOM_DESK,
	SCR_REFUSAL,
	SCR_CALL_STAFF,
	SCR_STAFF_PIN,
	SCR_COUNTDOWN,
	SCR_COUNT
};

static const char *const screen_names[SCR_COUNT] = {
    "attract",   "attract-camera", "verdict-valid", "verdict-attention", "identity",
    "family",    "briefing",       "briefing-end",  "room-printing",     "room-done",
    "room-desk", "refusal",        "call-staff",    "staff-pin",         "countdown",
};

struct demo {
	struct strings *s;
	char *briefing[LANG_COUNT];
};

static int build(const struct demo *d, enum screen_id id, enum lang lang, const struct layout *l,
                 struct display_list *dl)
{
	const struct strings *s = d->s;
	struct screen_common c = {.lang = lang, .step = 0, .countdown_s = 0, .offline = false};
	const char *brief = d->briefing[lang] ? d->briefing[lang] : d->briefing[LANG_ZH_CN];
	hk_day release = day_from_ymd(2026, 12, 13);
	switch (id) {
	case SCR_ATTRACT:
		c.step = -1;
		return screen_attract(dl, l, s, &c, false, 12, 38);
	case SCR_ATTRACT_CAMERA:
		c.step = 0;
		c.offline = true;
		return screen_attract(dl, l, s, &c, true, 0, 0);
	case SCR_VERDICT_VALID:
		c.step = -1;
		return screen_verdict(dl, l, s, &c, SCREEN_VERDICT_VALID,
		                      strings_get(s, "demo.verdict.detail", lang), NULL);
	case SCR_VERDICT_ATTENTION:
		c.step = -1;
		return screen_verdict(dl, l, s, &c, SCREEN_VERDICT_ATTENTION,
		                      strings_get(s, "verdict.attention.detail", lang),
		                      "E_STAFF_REQUIRED");
	case SCR_IDENTITY:
		c.step = 1;
		return screen_identity(dl, l, s, &c, strings_get(s, "demo.name", lang),
		                       strings_get(s, "demo.id", lang), CATEGORY_CLOSE_CONTACT);
	case SCR_FAMILY: {
		c.step = 1;
		const struct screen_member m[] = {
		    {strings_get(s, "demo.member.1", lang), "family.you", false},
		    {strings_get(s, "demo.member.2", lang), "family.spouse", true},
		    {strings_get(s, "demo.member.3", lang), "family.child", true},
		};
		return screen_family(dl, l, s, &c, m, 3, NULL, NULL, false);
	}
	case SCR_BRIEFING:
		c.step = 2;
		return screen_briefing(dl, l, s, &c, brief, 25, false);
	case SCR_BRIEFING_END:
		c.step = 2;
		return screen_briefing(dl, l, s, &c, brief, 0, true);
	case SCR_ROOM_PRINTING:
		c.step = 3;
		return screen_room(dl, l, s, &c, "1203", release, SCREEN_PRINT_PRINTING);
	case SCR_ROOM_DONE:
		c.step = 3;
		return screen_room(dl, l, s, &c, "1203", release, SCREEN_PRINT_DONE);
	case SCR_ROOM_DESK:
		c.step = 3;
		return screen_room(dl, l, s, &c, "1203", release, SCREEN_PRINT_FAILED);
	case SCR_REFUSAL:
		c.step = -1;
		return screen_refusal(dl, l, s, &c, SCREEN_VERDICT_REFUSED,
		                      strings_get(s, "demo.reason.title", lang),
		                      strings_get(s, "demo.reason.detail", lang), "E_EXPIRED");
	case SCR_CALL_STAFF:
		c.step = -1;
		return screen_call_staff(dl, l, s, &c, NULL, "E_EXPIRED", SCREEN_BTN_CANCEL_CALL);
	case SCR_STAFF_PIN:
		c.offline = true;
		return screen_staff_pin(dl, l, s, &c, 3, true, false);
	case SCR_COUNTDOWN:
		c.step = 1;
		c.countdown_s = 9;
		return screen_identity(dl, l, s, &c, strings_get(s, "demo.name", lang),
		                       strings_get(s, "demo.id", lang), CATEGORY_INBOUND);
	default:
		return -EINVAL;
	}
}

/* A camera-like grey frame for the preview slot: a gradient with a dark square. */
static void fake_frame(uint8_t *y, int w, int h)
{
	for (int j = 0; j < h; j++)
		for (int i = 0; i < w; i++) {
			int v = 90 + (i * 80) / w + (j * 40) / h;
			if (i > w / 3 && i < 2 * w / 3 && j > h / 4 && j < 3 * h / 4)
				v = 230;
			y[j * w + i] = (uint8_t)v;
		}
}

static int run_size(const struct demo *d, int w, int h, const char *out, int *overflows)
{
	struct ui *ui = ui_open(w, h, UI_WINDOWED);
	if (!ui)
		return -1;
	int rc = 0;
	struct display_list *dl = malloc(sizeof(*dl));
	uint8_t *frame = malloc(640 * 480);
	if (!dl || !frame) {
		rc = -ENOMEM;
		goto out;
	}
	fake_frame(frame, 640, 480);
	struct layout l;
	layout_init(&l, w, h);
	for (int id = 0; id < SCR_COUNT; id++) {
		for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++) {
			if (id == SCR_ATTRACT_CAMERA)
				ui_image_set(ui, DL_IMAGE_CAMERA, frame, 640, 480, 640,
				             UI_PIXELS_GRAY8);
			else
				ui_image_clear(ui, DL_IMAGE_CAMERA);
			if (build(d, (enum screen_id)id, (enum lang)lang, &l, dl) < 0) {
				fprintf(stderr, "uidemo: %s: display list full\n",
				        screen_names[id]);
				rc = -ENOSPC;
				goto out;
			}
			ui_draw(ui, dl);
			if (id == SCR_BRIEFING_END) /* read to the end, as a person would */
				ui_scroll_by(ui, SCREEN_SCROLL_BRIEFING, 1 << 20);
			ui_draw(ui, dl);
			/* an unchanged frame draws nothing and renders no glyphs */
			struct ui_stats before, after;
			ui_get_stats(ui, &before);
			int drew = ui_draw(ui, dl);
			char path[512];
			snprintf(path, sizeof(path), "%s/%s-%s-%dx%d.png", out, screen_names[id],
			         lang_tag((enum lang)lang), w, h);
			if (ui_screenshot(ui, path) < 0) {
				fprintf(stderr, "uidemo: cannot write %s\n", path);
				rc = -EIO;
				goto out;
			}
			ui_get_stats(ui, &after);
			if (drew != 0 || after.text_renders != before.text_renders) {
				fprintf(stderr,
				        "uidemo: %s: unchanged frame redrew (%d) or rendered %lu "
				        "text blocks\n",
				        path, drew, after.text_renders - before.text_renders);
				rc = -EINVAL;
			}
			int bad[32];
			int n = ui_measure_overflows(ui, dl, bad, 32);
			for (int i = 0; i < n && i < 32; i++) {
				const struct dl_cmd *cmd = &dl->cmds[bad[i]];
				printf("OVERFLOW %s cmd %d box %dx%d at %d,%d px %d: %s\n", path,
				       bad[i], cmd->rect.w, cmd->rect.h, cmd->rect.x, cmd->rect.y,
				       cmd->px, dl_text(dl, bad[i]));
			}
			*overflows += n;
			printf("screen %s overflows %d\n", path, n);
		}
	}
	struct ui_stats st;
	ui_get_stats(ui, &st);
	printf("size %dx%d renderer %s frames %lu skipped %lu text renders %lu hits %lu\n", w, h,
	       ui_renderer_name(ui), st.frames_drawn, st.frames_skipped, st.text_renders,
	       st.text_hits);
out:
	free(frame);
	free(dl);
	ui_close(ui);
	return rc;
}

int main(int argc, char **argv)
{
	const char *out = "build/screens";
	setvbuf(stdout, NULL, _IOLBF, 0); /* whole lines, even when stderr shares the file */
	int sizes[8][2], nsizes = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc && nsizes < 8) {
			if (sscanf(argv[++i], "%dx%d", &sizes[nsizes][0], &sizes[nsizes][1]) == 2)
				nsizes++;
		} else {
			fprintf(stderr, "usage: uidemo [--out DIR] [--size WxH]...\n");
			return 1;
		}
	}
	if (nsizes == 0) {
		static const int def[3][2] = {{800, 480}, {1920, 1080}, {1080, 1920}};
		memcpy(sizes, def, sizeof(def));
		nsizes = 3;
	}
	mkdir(out, 0755);
	struct demo d = {.s = strings_new()};
	int rc = 1, overflows = 0;
	if (!d.s || load_strings(d.s, "assets/strings/ui.json") < 0 ||
	    load_strings(d.s, "tests/fixtures/ui/demo.json") < 0)
		goto out;
	for (int l = LANG_ZH_CN; l <= LANG_EN; l++) {
		char path[128];
		size_t len;
		snprintf(path, sizeof(path), "assets/briefing/%s.md", lang_tag((enum lang)l));
		d.briefing[l] = file_read_all(path, 4u << 20, &len);
		char version[BRIEFING_VERSION_LEN + 1];
		if (!d.briefing[l] || briefing_version(d.briefing[l], len, version) < 0) {
			fprintf(stderr, "uidemo: cannot read %s\n", path);
			goto out;
		}
		printf("briefing %s version %s\n", lang_tag((enum lang)l), version);
	}
	for (int i = 0; i < nsizes; i++)
		if (run_size(&d, sizes[i][0], sizes[i][1], out, &overflows) < 0)
			goto out;
	rc = overflows ? 2 : 0;
	printf("overflows %d\n", overflows);
out:
	for (int l = 0; l < LANG_COUNT; l++)
		free(d.briefing[l]);
	strings_free(d.s);
	return rc;
}
