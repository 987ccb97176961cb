/* tests/tools/band_tool.c: wristbands for the security post's tests: reprint an arrival's band
 * through the spooler's API (the old one becomes "replaced"), sign a band with some other key
 * (a forgery), or write any text as a QR PNG.
 * Usage: band_tool reprint DB KEYFILE ARRIVAL_ID     prints "OLD_SERIAL NEW_SERIAL"
 *        band_tool forge KEYFILE STATION SERIAL ROOM PNG
 *        band_tool qr TEXT PNG */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/core/wristband.h"
#include "app/service/qrpng.h"
#include "app/service/spool.h"
#include "app/store/store.h"

static int key_read(const char *path, struct wristband_private_key *key)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char buf[256] = "";
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	size_t got = 0;
	for (char *p = buf; *p && got < sizeof(key->bytes); p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]))
			return -1;
		char hex[3] = {p[0], p[1], 0};
		key->bytes[got++] = (uint8_t)strtoul(hex, NULL, 16);
		p++;
	}
	memset(buf, 0, sizeof(buf));
	return got == sizeof(key->bytes) ? 0 : -1;
}

static int reprint(const char *db, const char *keyfile, const char *arrival)
{
	struct wristband_private_key key;
	if (key_read(keyfile, &key) != 0) {
		fprintf(stderr, "band_tool: %s: not a band key\n", keyfile);
		return 1;
	}
	struct store_error serr;
	struct store *st = store_open(db, &serr);
	if (!st) {
		fprintf(stderr, "band_tool: %s: %s\n", db, serr.message);
		return 1;
	}
	struct spool_reprint rq = {
	    .arrival_id = strtoll(arrival, NULL, 10),
	    .actor = "TEST",
	    .reason = "damaged",
	    .key = &key,
	    .lang = LABEL_LANG_BOTH,
	    .now = (int64_t)time(NULL),
	    .tz_offset_s = 8 * 3600,
	};
	struct spool_reprinted out;
	int rc = spool_reprint_wristband(st, &rq, &out);
	store_close(st);
	memset(&key, 0, sizeof(key));
	if (rc != 0) {
		fprintf(stderr, "band_tool: reprint refused: %s\n", store_status_name(rc));
		return 1;
	}
	printf("%s %s\n", out.old_serial, out.serial);
	return 0;
}

static int forge(char **argv)
{
	struct wristband_private_key key;
	if (key_read(argv[2], &key) != 0) {
		fprintf(stderr, "band_tool: %s: not a band key\n", argv[2]);
		return 1;
	}
	struct wristband band = {.serial = strtoll(argv[4], NULL, 10)};
	snprintf(band.station, sizeof(band.station), "%s", argv[3]);
	snprintf(band.room, sizeof(band.room), "%s", argv[5]);
	band.day = day_from_unix((int64_t)time(NULL), 8 * 3600);
	char token[WRISTBAND_TOKEN_SIZE];
	int rc = wristband_issue(&band, &key, token, sizeof(token));
	memset(&key, 0, sizeof(key));
	if (rc != 0 || qrpng_write(argv[6], token, 6) != 0) {
		fprintf(stderr, "band_tool: forged band not written\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "reprint") == 0)
		return reprint(argv[2], argv[3], argv[4]);
	if (argc == 7 && strcmp(argv[1], "forge") == 0)
		return forge(argv);
	if (argc == 4 && strcmp(argv[1], "qr") == 0)
		return qrpng_write(argv[3], argv[2], 6) == 0 ? 0 : 1;
	fprintf(stderr, "usage: band_tool reprint DB KEYFILE ARRIVAL_ID\n"
	                "       band_tool forge KEYFILE STATION SERIAL ROOM PNG\n"
	                "       band_tool qr TEXT PNG\n");
	return 2;
}
