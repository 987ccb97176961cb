/* tests/tools/bench_healthcode.c: how fast one health code verifies (and issues) on this
 * machine: repeats healthcode_verify() on one realistic code for about a second and prints
 * one line per figure for tests/bench/run.sh. Usage: bench_healthcode [SECONDS] */
#include "app/core/healthcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/opensslv.h>

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double budget = argc > 1 ? atof(argv[1]) : 1.0;
	char pem[512], jwk[TRUST_JWK_MAX], code[HEALTHCODE_TEXT_MAX + 1];
	int64_t now = 1795000000;
	struct healthcode_claims c = {
	    .issuer = "gd.hc",
	    .subject = "3hf7Ti5d4ukh1SF-iqWg8A",
	    .name = "张伟",
	    .iat = now - 3600,
	    .nbf = now - 3600,
	    .exp = now + 20 * 3600,
	    .colour = HEALTHCODE_GREEN,
	    .category = CATEGORY_INBOUND,
	    .port = "深圳湾口岸",
	    .entry_time = now - 7200,
	    .n_tests = 2,
	    .tests = {{day_from_ymd(2026, 11, 17), HEALTHCODE_NAT_NEGATIVE},
	              {day_from_ymd(2026, 11, 15), HEALTHCODE_NAT_NEGATIVE}},
	};
	struct trust_list *t = trust_list_new();
	if (!t || healthcode_keygen("gd.hc", false, pem, sizeof pem, jwk, sizeof jwk) < 0 ||
	    trust_list_add_jwk(t, jwk, strlen(jwk), NULL) < 0) {
		fprintf(stderr, "bench_healthcode: setup failed\n");
		return 1;
	}
	/* a realistic trust list: 16 other keys before ours, 10,000 revoked ids */
	for (int i = 0; i < 16; i++) {
		char p2[512], j2[TRUST_JWK_MAX];
		healthcode_keygen("other.hc", false, p2, sizeof p2, j2, sizeof j2);
		trust_list_add_jwk(t, j2, strlen(j2), NULL);
	}
	for (int i = 0; i < 10000; i++) {
		char id[32];
		snprintf(id, sizeof id, "revoked-%05d", i);
		trust_list_revoke_id(t, id);
	}
	int len = healthcode_issue(&c, pem, strlen(pem), NULL, code, sizeof code);
	struct healthcode_config cfg = {.skew_s = 300};
	struct healthcode_result r;
	if (len < 0 || healthcode_verify(code, (size_t)len, t, &cfg, now, &r) != REASON_OK) {
		fprintf(stderr, "bench_healthcode: the code does not verify\n");
		return 1;
	}

	long n = 0;
	double start = seconds_now(), elapsed;
	do {
		for (int i = 0; i < 100; i++)
			if (healthcode_verify(code, (size_t)len, t, &cfg, now, &r) != REASON_OK)
				return 1;
		n += 100;
		elapsed = seconds_now() - start;
	} while (elapsed < budget);
	printf("healthcode_verify: %.0f verifications/s, %.1f us each (one %d-byte SZHC1 code, "
	       "ES256, 17 keys, 10000 revocations; %s)\n",
	       (double)n / elapsed, elapsed / (double)n * 1e6, len, OPENSSL_VERSION_TEXT);

	long m = 0;
	start = seconds_now();
	do {
		for (int i = 0; i < 20; i++)
			if (healthcode_issue(&c, pem, strlen(pem), NULL, code, sizeof code) < 0)
				return 1;
		m += 20;
		elapsed = seconds_now() - start;
	} while (elapsed < budget / 2);
	printf("healthcode_issue: %.0f codes/s, %.1f us each\n", (double)m / elapsed,
	       elapsed / (double)m * 1e6);
	trust_list_free(t);
	return 0;
}
