/* tests/fuzz/fuzz_printer_status.c: libFuzzer harness for the printers' status answers
 * (ZPL ~HS, TSPL <ESC>!?, ESC/POS DLE EOT), fed whole and byte by byte as the transport
 * reads them: an incomplete answer leaves the status untouched, a complete one says so.
 * fuzz-sources: drivers/printer/status.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/printer/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef bool (*parse_fn)(const uint8_t *reply, size_t n, struct printer_status *st);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const parse_fn fns[] = {printer_zpl_status_parse, printer_tspl_status_parse,
	                               printer_escpos_status_parse};
	if (size < 1)
		return 0;
	parse_fn parse = fns[data[0] % 3];
	const uint8_t *reply = data + 1;
	size_t n = size - 1;
	/* exactly n bytes on the heap: a read past the reply is an ASan error */
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		abort();
	memcpy(copy, reply, n);
	/* as the printer driver reads: a growing prefix until an answer is complete */
	for (size_t k = 0; k <= n; k++) {
		struct printer_status st, before;
		memset(&st, 0x5A, sizeof st); /* not a valid bool: shows what was written */
		before = st;
		bool done = parse(copy, k, &st);
		if (!done && memcmp(&st, &before, sizeof st) != 0)
			abort();
		if (done) {
			if (!st.known)
				abort();
			struct printer_status again;
			memset(&again, 0x5A, sizeof again);
			if (!parse(copy, k, &again) || memcmp(&st, &again, sizeof st) != 0)
				abort(); /* deterministic */
			break;
		}
	}
	free(copy);
	return 0;
}
