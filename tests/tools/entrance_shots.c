/* tests/tools/entrance_shots.c: drives the real entrance flow to each of its screens (every
 * state and overlay, tests/tools/entrance_script.h), builds the screen with
 * screen_entrance_build(), draws it in a window and writes a screenshot per screen, language
 * and size; reports text that does not fit its box.
 *   entrance_shots [--out DIR] [--size WxH]...
 * Then the security post's screens (tests/tools/security_script.h) the same way.
 * Writes STOP-LANG-WxH.png; prints "screen PATH overflows N" and an OVERFLOW line per text
 * that does not fit. Exit 0 when everything fits; 1 on error; 2 on overflows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/core/reason_text.h"
#include "app/core/screen_entrance.h"
#include "app/core/strings.h"
#include "app/sys/sys.h"
#include "app/ui/ui.h"
#include "tests/tools/entrance_script.h"
#include "tests/tools/security_script.h"

static int load(struct strings *s, const char *path, bool reasons)
{
	size_t len;
	char err[200] = "";
	char *json = file_read_all(path, 4u << 20, &len);
	if (!json) {
		fprintf(stderr, "entrance_shots: cannot read %s\n", path);
		return -ENOENT;
	}
	int rc = reasons ? reason_text_add_json(s, json, len, err, sizeof(err))
	                 : strings_add_json(s, json, len, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "entrance_shots: %s: %s\n", path, err);
	free(json);
	return rc;
}

/* A camera-like grey frame for the preview slot. */
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

static int run_size(const struct strings *s, char *const *briefing, int w, int h, const char *out,
                    int *overflows)
{
	struct ui *ui = ui_open(w, h, UI_WINDOWED);
	if (!ui)
		return -1;
	int rc = 0;
	struct display_list *dl = malloc(sizeof(*dl));
	struct script *sc = malloc(sizeof(*sc));
	uint8_t *frame = malloc(640 * 480);
	if (!dl || !sc || !frame) {
		rc = -ENOMEM;
		goto out;
	}
	fake_frame(frame, 640, 480);
	ui_image_set(ui, DL_IMAGE_CAMERA, frame, 640, 480, 640, UI_PIXELS_GRAY8);
	struct layout l;
	layout_init(&l, w, h);
	for (int stop = 0; stop < STOP_COUNT; stop++) {
		for (int lang = FLOW_LANG_ZH; lang < FLOW_LANG_COUNT; lang++) {
			script_run(sc, (enum script_stop)stop, (enum flow_lang)lang);
			enum flow_state st;
			enum flow_overlay ov;
			script_expect((enum script_stop)stop, &st, &ov);
			if (sc->f.state != st || sc->f.overlay != ov) {
				fprintf(stderr, "entrance_shots: %s reached %s/%s\n",
				        script_stop_names[stop], flow_state_name(sc->f.state),
				        flow_overlay_name(sc->f.overlay));
				rc = -EINVAL;
				goto out;
			}
			struct screen_entrance_extra x;
			script_extra((enum script_stop)stop, &x, briefing[sc->f.lang]);
			if (screen_entrance_build(dl, &l, s, &sc->f, &x) < 0) {
				fprintf(stderr, "entrance_shots: %s: display list full\n",
				        script_stop_names[stop]);
				rc = -ENOSPC;
				goto out;
			}
			ui_draw(ui, dl);
			if (stop == STOP_BRIEFING_WAIT || stop == STOP_BRIEFING_READY) {
				ui_scroll_by(ui, SCREEN_SCROLL_BRIEFING, 1 << 20);
				ui_draw(ui, dl);
			}
			char path[512];
			snprintf(path, sizeof(path), "%s/%s-%s-%dx%d.png", out,
			         script_stop_names[stop], flow_lang_code((enum flow_lang)lang), w,
			         h);
			if (ui_screenshot(ui, path) < 0) {
				fprintf(stderr, "entrance_shots: cannot write %s\n", path);
				rc = -EIO;
				goto out;
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
	/* the security post's screens, in the same directory */
	static struct sec_script sec;
	for (int stop = 0; stop < SEC_STOP_COUNT; stop++) {
		for (int lang = LANG_ZH_CN; lang <= LANG_EN; lang++) {
			sec_script_run(&sec, (enum sec_stop)stop);
			enum sec_state st;
			enum sec_colour colour;
			sec_script_expect((enum sec_stop)stop, &st, &colour);
			if (sec.f.state != st ||
			    (st == SEC_VERDICT && sec.f.verdict.colour != colour)) {
				fprintf(stderr, "entrance_shots: %s reached %s/%s\n",
				        sec_stop_names[stop], sec_state_name(sec.f.state),
				        sec_colour_name(sec.f.verdict.colour));
				rc = -EINVAL;
				goto out;
			}
			struct screen_security_extra x = {.lang = (enum lang)lang,
			                                  .camera = stop == SEC_STOP_READY};
			if (screen_security_build(dl, &l, s, &sec.f, &x) < 0) {
				rc = -ENOSPC;
				goto out;
			}
			ui_draw(ui, dl);
			char path[512];
			snprintf(path, sizeof(path), "%s/%s-%s-%dx%d.png", out,
			         sec_stop_names[stop], lang == LANG_ZH_CN ? "zh" : "en", w, h);
			if (ui_screenshot(ui, path) < 0) {
				rc = -EIO;
				goto out;
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
out:
	free(frame);
	free(sc);
	free(dl);
	ui_close(ui);
	return rc;
}

int main(int argc, char **argv)
{
	const char *out = "build/entrance";
	setvbuf(stdout, NULL, _IOLBF, 0);
	int sizes[8][2], nsizes = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc && nsizes < 8) {
			if (sscanf(argv[++i], "%dx%d", &sizes[nsizes][0], &sizes[nsizes][1]) == 2)
				nsizes++;
		} else {
			fprintf(stderr, "usage: entrance_shots [--out DIR] [--size WxH]...\n");
			return 1;
		}
	}
	if (nsizes == 0) {
		static const int def[2][2] = {{800, 480}, {1920, 1080}};
		memcpy(sizes, def, sizeof(def));
		nsizes = 2;
	}
	mkdir(out, 0755);
	struct strings *s = strings_new();
	char *briefing[FLOW_LANG_COUNT] = {NULL, NULL};
	int rc = 1, overflows = 0;
	if (!s || load(s, "assets/strings/ui.json", false) < 0 ||
	    load(s, "assets/strings/reasons.json", true) < 0)
		goto out;
	for (int l = 0; l < FLOW_LANG_COUNT; l++) {
		char path[128];
		size_t len;
		snprintf(path, sizeof(path), "assets/briefing/%s.md",
		         l == FLOW_LANG_ZH ? "zh-CN" : "en");
		briefing[l] = file_read_all(path, 4u << 20, &len);
		if (!briefing[l]) {
			fprintf(stderr, "entrance_shots: cannot read %s\n", path);
			goto out;
		}
	}
	for (int i = 0; i < nsizes; i++)
		if (run_size(s, briefing, sizes[i][0], sizes[i][1], out, &overflows) < 0)
			goto out;
	rc = overflows ? 2 : 0;
	printf("overflows %d\n", overflows);
out:
	for (int l = 0; l < FLOW_LANG_COUNT; l++)
		free(briefing[l]);
	strings_free(s);
	return rc;
}
