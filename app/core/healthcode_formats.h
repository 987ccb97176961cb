/* app/core/healthcode_formats.h: the formats healthcode.c lists in its table, and helpers
 * they share. Only healthcode*.c include this; callers use healthcode.h. Adding a format:
 * one file defining a struct healthcode_format, one line here, one row in the table. */
#ifndef HK_CORE_HEALTHCODE_FORMATS_H
#define HK_CORE_HEALTHCODE_FORMATS_H

#include "app/core/healthcode.h"

extern const struct healthcode_format healthcode_format_szhc1;
extern const struct healthcode_format healthcode_format_dcc;
extern const struct healthcode_format healthcode_format_shc;

/* A SMART Health Card JWS (len characters, without "shc:/"): the verify step of the SMART
 * format, shared with healthcode_verify_shc_file(). */
enum reason healthcode_shc_verify_jws(const char *jws, size_t len, const struct trust_list *trust,
                                      struct healthcode_result *out,
                                      const struct trust_key **key_out);

/* Encode claims as the SZHC1 payload JSON into out. Returns the length, -EINVAL, -ENOSPC. */
int healthcode_szhc1_claims_to_json(const struct healthcode_claims *c, char *out, size_t out_size);

/* printf into out->detail (English, no personal data). */
void healthcode_set_detail(struct healthcode_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
