/* app/core/screen_security.h: the security post's flow (struct flow_security) as a screen:
 * "scan a wristband" with the data age, or the verdict filling the screen; and the post's
 * buttons back to its input. Pure. */
#ifndef HK_CORE_SCREEN_SECURITY_H
#define HK_CORE_SCREEN_SECURITY_H

#include <stdbool.h>

#include "app/core/display.h"
#include "app/core/flow_security.h"
#include "app/core/screens.h"
#include "app/core/strings.h"

/* What the screen shows that the flow does not hold. */
struct screen_security_extra {
	enum lang lang; /* the language staff chose (the post's flow has none) */
	bool camera;    /* ready: show the camera preview (DL_IMAGE_CAMERA) */
};

/* Build the post's screen for f into dl at l's size. READY and LOOKING: checkpoint name,
 * "scan a wristband" ("checking" while looking up), how old the local data is (a warning when
 * f->data_stale). VERDICT: green / amber / red with one word and an icon, why (the reason's
 * text; "valid" for green), the reason code, and when the resident is known: room, masked
 * name, risk colour with its word, day N of the term, care markers. Texts from s (ui.json and
 * reason_text_add_json()). x may be NULL (Chinese, no camera). Returns 0 or -ENOSPC. */
int screen_security_build(struct display_list *dl, const struct layout *l, const struct strings *s,
                          const struct flow_security *f, const struct screen_security_extra *x);

/* What a tapped button means at the post. */
enum screen_security_input {
	SCREEN_SECURITY_NONE,
	SCREEN_SECURITY_DISMISS,  /* SEC_EV_DISMISS: "next" on a verdict */
	SCREEN_SECURITY_LANGUAGE, /* switch the staff language (x->lang) */
};
enum screen_security_input screen_security_input(int screen_button_id);

/* The verdict colour as a screen tone: green VALID, amber ATTENTION, red REFUSED. */
enum screen_verdict screen_security_tone(enum sec_colour c);

#endif
