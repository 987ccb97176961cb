/* app/core/mask.h: masking personal data (names, ID numbers, phone numbers) for screens,
 * labels and logs. UTF-8 in, valid UTF-8 out, in the caller's fixed buffer; no allocation.
 * The rules, with examples, are in docs/mask.md. */
#ifndef HK_CORE_MASK_H
#define HK_CORE_MASK_H

#include <stddef.h>

#define MASK_CHAR      '*'
#define MASK_INPUT_MAX 1024 /* bytes of input looked at; anything beyond is ignored */
/* An output buffer this large is never too small. */
#define MASK_OUT_MAX (3 * MASK_INPUT_MAX + 8)

/* Common to the three functions below.
 * in: a NUL-terminated string, borrowed; NULL is taken as "". Only its first MASK_INPUT_MAX
 * bytes are read. Invalid UTF-8 becomes U+FFFD; control characters, bidirectional controls
 * (LRM, RLM, LRE..RLO, LRI..PDI, ALM), zero-width and other invisible format characters
 * are dropped; tabs, line breaks and Unicode spaces count as a plain space.
 * out: out_size bytes, must not overlap in. Always receives valid, NUL-terminated UTF-8
 * (when out_size > 0); when the result does not fit it is cut at a character boundary.
 * Returns 0; -ENOSPC when the result was cut; -EINVAL when out is NULL or out_size is 0. */

/* A person's name. With any CJK character (Han, kana, hangul): the first and the last
 * character stay, every other one becomes '*' (张三 -> 张*, 张小三 -> 张*三,
 * 欧阳小明 -> 欧**明). Otherwise (Latin and other alphabets): the first letter of each
 * part stays, every other letter becomes '*' ("ZHANG San" -> "Z**** S**"). Parts are
 * separated by spaces (collapsed to one, trimmed) and by - . , and middle dots, which stay
 * visible. A name of a single character is fully masked. */
int mask_name(const char *in, char *out, size_t out_size);

/* An identity document number: the first 4 and last 4 characters stay
 * (440301199001011234 -> 4403**********1234); shorter numbers show floor(n/4) at each end,
 * so at least half is always masked and a number of 1-3 characters is fully masked.
 * Spaces are removed. */
int mask_id_number(const char *in, char *out, size_t out_size);

/* A phone number: spaces, '-', '.', '(' and ')' are removed; 11 or more characters keep the
 * first 3 and the last 4 (13812345678 -> 138****5678); shorter ones show half, the larger
 * share at the end (83456789 -> 83****89). A mainland number written +86 / 0086 + 11 digits
 * keeps its prefix: +86 138****5678. */
int mask_phone(const char *in, char *out, size_t out_size);

#endif
