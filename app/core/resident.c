/* app/core/resident.c: defensive copies and names of the resident facts shared by the
 * security post and the front desk. */
#include "app/core/resident.h"

#include <string.h>

static const char *const status_names[RESIDENT_STATUS_COUNT] = {"in_quarantine", "released",
                                                                "transferred"};

void resident_copy_str(char *dst, size_t dst_size, const char *src, size_t src_size)
{
	size_t n = strnlen(src, src_size);
	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	memset(dst + n, 0, dst_size - n);
}

#define COPY_STR(dst, src) resident_copy_str((dst), sizeof(dst), (src), sizeof(src))

bool resident_take(struct resident *dst, const struct resident *src)
{
	memset(dst, 0, sizeof(*dst));
	if ((unsigned)src->risk >= RISK_COUNT || (unsigned)src->category >= CATEGORY_COUNT ||
	    (unsigned)src->status >= RESIDENT_STATUS_COUNT)
		return false;
	COPY_STR(dst->arrival_id, src->arrival_id);
	COPY_STR(dst->name_masked, src->name_masked);
	COPY_STR(dst->room, src->room);
	dst->floor = src->floor;
	dst->risk = src->risk;
	dst->category = src->category;
	dst->care = src->care & RESIDENT_CARE_ALL;
	dst->status = src->status;
	dst->plan = src->plan;
	return true;
}

const char *resident_status_name(enum resident_status s)
{
	return (unsigned)s < RESIDENT_STATUS_COUNT ? status_names[s] : "?";
}

bool resident_status_parse(const char *s, enum resident_status *out)
{
	for (int i = 0; s && i < RESIDENT_STATUS_COUNT; i++) {
		if (strcmp(status_names[i], s) == 0) {
			*out = (enum resident_status)i;
			return true;
		}
	}
	return false;
}
