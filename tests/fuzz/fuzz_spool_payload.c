/* tests/fuzz/fuzz_spool_payload.c: libFuzzer harness for the print job payload decoder (the
 * JSON a job row holds, read back by the spooler): whatever decodes is in range, every
 * text is terminated inside its field, and it encodes and decodes again to the same thing.
 * fuzz-sources: app/service/spool_payload.c app/core/types.c
 * fuzz-pkgs: jansson */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/service/spool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t size)
{
	if (strnlen(s, size) >= size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct spool_payload p, q;
	char *json = malloc(size + 1);
	if (!json)
		abort();
	memcpy(json, data, size);
	json[size] = '\0';
	memset(&p, 0x5A, sizeof p);
	if (spool_payload_decode(json, &p) != 0) {
		static const struct spool_payload zero;
		if (memcmp(&p, &zero, sizeof p) != 0)
			abort(); /* a refused payload leaves nothing behind */
		free(json);
		return 0;
	}
	free(json);
	if ((unsigned)p.kind >= LABEL_KIND_COUNT || (unsigned)p.lang >= LABEL_LANG_COUNT ||
	    (unsigned)p.risk >= RISK_COUNT || p.copies < 1 || p.copies > 9 || p.diet >= 1u << 5)
		abort();
	check_text(p.room, sizeof p.room);
	check_text(p.name, sizeof p.name);
	check_text(p.release, sizeof p.release);
	check_text(p.token, sizeof p.token);
	check_text(p.diet_note, sizeof p.diet_note);
	check_text(p.sample_id, sizeof p.sample_id);
	check_text(p.date, sizeof p.date);
	for (int i = 0; i < 4; i++)
		check_text(p.occupants[i], sizeof p.occupants[i]);
	struct label_fields f;
	spool_payload_fields(&p, &f);
	if (f.room != p.room || f.token != p.token || f.diet != p.diet)
		abort();
	char *again = NULL;
	if (spool_payload_encode(&p, &again) != 0 || !again)
		abort(); /* what decodes must encode */
	memset(&q, 0x5A, sizeof q);
	if (spool_payload_decode(again, &q) != 0 || memcmp(&p, &q, sizeof p) != 0)
		abort();
	free(again);
	return 0;
}
