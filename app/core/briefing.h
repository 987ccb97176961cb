/* app/core/briefing.h: the police intake briefing as versioned text. A text's version is the
 * SHA-256 of its exact bytes as loaded (assets/briefing/<lang>.md), so an acknowledgement
 * records precisely what the person was shown; editing the file makes a new version. */
#ifndef HK_CORE_BRIEFING_H
#define HK_CORE_BRIEFING_H

#include <stddef.h>

#define BRIEFING_VERSION_LEN 64 /* hex characters of a version, without the NUL */

/* Write the version of text (len bytes) as 64 lower-case hex characters and a NUL into out.
 * Returns 0, or -EIO when the digest could not be computed (out is then ""). */
int briefing_version(const char *text, size_t len, char out[BRIEFING_VERSION_LEN + 1]);

#endif
