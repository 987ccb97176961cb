/* tests/tools/bench_printer.c: time to lay out and encode one wristband (render + ZPL,
 * TSPL, ESC/POS, PNG), the font and captions loaded once as the kiosk does. Prints one
 * line per figure, and whether the ZPL median met the target (20 ms by default): a figure to
 * read, not a pass/fail (exit 1 only when it cannot run).
 *   bench_printer [ROUNDS] [TARGET_MS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "drivers/printer/encode.h"
#include "drivers/printer/label.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 50;
	double target = argc > 2 ? atof(argv[2]) : 20.0;
	const char *why = "?";
	if (rounds < 1 || rounds > 10000)
		return 2;
	double t0 = now_ms();
	struct label_kit *kit = label_kit_open(NULL, NULL, &why);
	if (!kit) {
		fprintf(stderr, "bench_printer: %s\n", why);
		return 1;
	}
	double open_ms = now_ms() - t0;
	struct label_spec spec = label_spec_default(LABEL_WRISTBAND);
	struct label_fields f = {
	    .room = "1208",
	    .name = "张*明",
	    .release = "2022-05-15",
	    .risk = RISK_ORANGE,
	    .token = "HKW1.eyJyIjoiMTIwOCIsImQiOiIyMDIyLTA1LTE1IiwiayI6InN0YXRpb24tMDEifQ."
	             "MEUCIQDx3v7Qm0p1Zk9sYl3uT8aRkq2vXw5c8b0Yq1N7s4WgIgV2JmZ3d0",
	};
	static const char *const names[] = {"layout", "layout+zpl", "layout+tspl", "layout+escpos",
	                                    "layout+png"};
	double *t[5];
	for (int k = 0; k < 5; k++)
		t[k] = calloc((size_t)rounds, sizeof(double));
	struct encode_opts o = {.copies = 1};
	for (int i = 0; i < rounds; i++) {
		for (int k = 0; k < 5; k++) {
			struct bytes b = {0};
			struct label *l = NULL;
			double s = now_ms();
			if (label_layout(kit, &spec, &f, &l) != 0)
				return 1;
			if (k == 1)
				zpl_encode(l, &o, &b);
			else if (k == 2)
				tspl_encode(l, &o, &b);
			else if (k == 3)
				escpos_encode(l, &o, &b);
			else if (k == 4)
				png_encode(l, &b);
			t[k][i] = now_ms() - s;
			label_free(l);
			bytes_free(&b);
		}
	}
	printf("printer: font and captions load %.1f ms (once per process)\n", open_ms);
	double zpl_median = 0;
	for (int k = 0; k < 5; k++) {
		qsort(t[k], (size_t)rounds, sizeof(double), cmp_double);
		double median = t[k][rounds / 2], worst = t[k][rounds - 1];
		if (k == 1)
			zpl_median = median;
		printf("printer: wristband 25x280 mm 203 dpi %-14s median %6.2f ms  max %6.2f ms  "
		       "(%d rounds)\n",
		       names[k], median, worst, rounds);
		free(t[k]);
	}
	printf("printer: target render+encode < %.0f ms: %s\n", target,
	       zpl_median < target ? "met" : "MISSED");
	label_kit_close(kit);
	return 0;
}
