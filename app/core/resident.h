/* app/core/resident.h: what the security post and the front desk know of one resident, as
 * plain fixed-size data read from the local replica: masked name, room, risk, care markers,
 * status and the term's plan. Masked fields only; the full name and ID never come here. */
#ifndef HK_CORE_RESIDENT_H
#define HK_CORE_RESIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/events.h"
#include "app/core/policy.h"
#include "app/core/types.h"

/* Where a resident stands. Set by the front desk (FX_SET_STATUS); a released or transferred
 * resident stays in the store for the records. */
enum resident_status {
	RESIDENT_IN_QUARANTINE,
	RESIDENT_RELEASED,    /* released by the station: may leave through an exit */
	RESIDENT_TRANSFERRED, /* transferred to hospital */
	RESIDENT_STATUS_COUNT
};

/* Care markers, bits of resident.care; shown as icons on every screen about the person. */
#define RESIDENT_CARE_ELDERLY  0x1u
#define RESIDENT_CARE_CHILD    0x2u
#define RESIDENT_CARE_PREGNANT 0x4u
#define RESIDENT_CARE_PSYCH    0x8u /* psychological care: the "red heart" */
#define RESIDENT_CARE_ALL      0xfu

struct resident {
	char arrival_id[FLOW_ARRIVAL_ID_MAX]; /* manifest key: names the resident in effects */
	char name_masked[FLOW_NAME_MAX];      /* "张*三" */
	char room[FLOW_ROOM_MAX];
	int floor;
	enum risk risk;
	enum category category;
	unsigned care; /* RESIDENT_CARE_* */
	enum resident_status status;
	struct policy_plan plan; /* day N of the term, release day */
};

/* Copy src into dst defensively (src may come from another thread and is not trusted):
 * strings are cut and terminated, care bits outside RESIDENT_CARE_ALL dropped. Returns false
 * (dst then zeroed) when an enum is out of range: a record the screens cannot show. */
bool resident_take(struct resident *dst, const struct resident *src);

/* "in_quarantine", "released", "transferred"; never NULL ("?" out of range). *_parse false
 * for an unknown name, *out left alone. */
const char *resident_status_name(enum resident_status s);
bool resident_status_parse(const char *s, enum resident_status *out);

/* Copy a fixed-size string field that may lack its NUL into another; dst is always
 * terminated and zero-padded, cut when src is longer. Both sizes in bytes. */
void resident_copy_str(char *dst, size_t dst_size, const char *src, size_t src_size);

#endif
