/* drivers/fonts/fonts.c: known locations of CJK fonts on Debian and Raspberry Pi OS. */
#include "drivers/fonts/fonts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct candidate {
	const char *path;
	int face;
	enum font_weight weight;
};

/* In the Noto CJK collections the faces are JP, KR, SC, TC, HK: SC is face 2. */
static const struct candidate candidates[] = {
    {"/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, FONT_BOLD},
    {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, FONT_REGULAR},
    {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, FONT_REGULAR},
    {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, FONT_REGULAR},
};

static bool set(struct font_file *out, const char *path, int face)
{
	if (access(path, R_OK) != 0)
		return false;
	snprintf(out->path, sizeof(out->path), "%s", path);
	out->face = face;
	return true;
}

bool fonts_find(const char *configured, enum font_weight weight, struct font_file *out)
{
	out->path[0] = '\0';
	out->face = 0;
	if (configured && *configured) {
		char path[512];
		snprintf(path, sizeof(path), "%s", configured);
		char *hash = strrchr(path, '#');
		int face = 0;
		if (hash) {
			*hash = '\0';
			face = atoi(hash + 1);
		}
		if (set(out, path, face))
			return true;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
			const struct candidate *c = &candidates[i];
			if (pass == 0 && c->weight != weight)
				continue;
			if (set(out, c->path, c->face))
				return true;
		}
	}
	return false;
}
