/* app/core/reason_text.h: the texts of the reason codes (assets/strings/reasons.json) in the
 * strings table, as "reason.CODE" (what happened), "reason.CODE.action" (what the person
 * should do) and "reason.CODE.staff" (what staff should know or do), so screens look them up
 * like any other text. Pure. */
#ifndef HK_CORE_REASON_TEXT_H
#define HK_CORE_REASON_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/core/strings.h"
#include "app/core/types.h"

/* Add the entries of a reasons document (len bytes: {"E_EXPIRED": {"zh": "...", "en": "...",
 * "action_zh": "...", "action_en": "...", "staff_zh": "...", "staff_en": "..."}, ...}; keys
 * starting with "_" are comments) to s. Returns 0, or -EINVAL with a message in err (errlen bytes;
 * may be NULL) for invalid JSON or an entry that is not an object of strings, or -ENOMEM. On error
 * s is unchanged. */
int reason_text_add_json(struct strings *s, const char *json, size_t len, char *err, size_t errlen);

/* The strings key of reason r: "reason.E_EXPIRED", or with action "reason.E_EXPIRED.action".
 * Writes at most n bytes into buf and returns buf. */
const char *reason_text_key(enum reason r, bool action, char *buf, size_t n);
/* The strings key of the staff's text for r: "reason.E_EXPIRED.staff". */
const char *reason_staff_key(enum reason r, char *buf, size_t n);

#endif
