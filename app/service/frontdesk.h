/* app/service/frontdesk.h: carry out the front desk's effects on the local store (PIN check,
 * search, card, band void, risk, release and transfer, extension, occupancy, audit) and,
 * through a small table of printing operations the wiring fills with the spooler, labels
 * and band reprints; each answered with the flow's result event. */
#ifndef HK_SERVICE_FRONTDESK_H
#define HK_SERVICE_FRONTDESK_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/flow_frontdesk.h"
#include "app/core/policy.h"
#include "app/core/resident.h"

struct store;

/* What the desk needs from the print spooler and the sync client. Every pointer may be NULL:
 * a missing print operation answers REASON_PRINTER_FAILED, a missing status "not ok". */
struct frontdesk_ops {
	/* Queue label c->label for resident r (masked fields only; c->diet for the meal label).
	 * Returns REASON_OK when queued, else why not (REASON_PRINTER_FAILED, ...). */
	enum reason (*print_label)(void *ctx, const struct desk_change *c, const struct resident *r,
	                           int64_t now);
	/* Mark band c->serial replaced, issue and queue a new one for c->arrival_id; the new
	 * serial into *serial. Returns REASON_OK or why not. */
	enum reason (*reprint_band)(void *ctx, const struct desk_change *c, int64_t now,
	                            int64_t *serial);
	/* The printer's state for the occupancy view: REASON_OK or what is wrong. */
	enum reason (*printer_status)(void *ctx);
	/* The last successful sync, unix seconds; 0 never. */
	int64_t (*last_sync)(void *ctx);
	void *ctx;
};

struct frontdesk_config {
	struct policy policy; /* zone for "today", plans for cards and extensions */
	struct frontdesk_ops ops;
};

/* Carry out fx at now (unix seconds) on st. When the flow expects an answer (every effect
 * but DESK_FX_AUDIT and DESK_FX_CLEAR) it is written to *answer with fx's ticket and
 * *answered set; otherwise *answered is false. Results never carry full names or ID
 * numbers: search matches the real name in the store but returns masked names only.
 * Store failures answer REASON_LOOKUP_FAILED (loads) or REASON_STORE_FAILED (actions);
 * a record changed since the card was shown answers REASON_CONFLICT. Returns 0, or -EINVAL
 * for NULL arguments or an unknown effect. */
int frontdesk_carry_out(struct store *st, const struct frontdesk_config *cfg,
                        const struct desk_effect *fx, int64_t now, struct desk_event *answer,
                        bool *answered);

/* The audit log's action name for a, e.g. "print_label" for AUDIT_PRINT_LABEL. Release and
 * transfer are "mark_released" and "mark_transferred": the store itself writes "release",
 * "transfer" and "set_release" records inside the transaction that makes the change, so
 * those count changes, these count staff actions (failed ones included). */
const char *frontdesk_audit_name(enum audit_action a);

#endif
