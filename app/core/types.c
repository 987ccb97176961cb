/* app/core/types.c: names and codes of the shared vocabulary, and calendar arithmetic. */
#include "app/core/types.h"

#include <stdio.h>
#include <string.h>

static const char *const reason_codes[REASON_COUNT] = {
    [REASON_OK] = "OK",
    [REASON_NOT_HEALTH_CODE] = "E_NOT_HEALTH_CODE",
    [REASON_UNSUPPORTED_VERSION] = "E_UNSUPPORTED_VERSION",
    [REASON_MALFORMED] = "E_MALFORMED",
    [REASON_UNKNOWN_ISSUER] = "E_UNKNOWN_ISSUER",
    [REASON_BAD_SIGNATURE] = "E_BAD_SIGNATURE",
    [REASON_EXPIRED] = "E_EXPIRED",
    [REASON_NOT_YET_VALID] = "E_NOT_YET_VALID",
    [REASON_REVOKED] = "E_REVOKED",
    [REASON_DEMO_KEY] = "E_DEMO_KEY",
    [REASON_RED_CODE] = "E_RED_CODE",
    [REASON_YELLOW_CODE] = "E_YELLOW_CODE",
    [REASON_NOT_ON_MANIFEST] = "E_NOT_ON_MANIFEST",
    [REASON_ALREADY_CHECKED_IN] = "E_ALREADY_CHECKED_IN",
    [REASON_NO_ROOM] = "E_NO_ROOM",
    [REASON_GROUP_TOO_LARGE] = "E_GROUP_TOO_LARGE",
    [REASON_PRINTER_FAILED] = "E_PRINTER_FAILED",
    [REASON_STORE_FAILED] = "E_STORE_FAILED",
    [REASON_TIMEOUT] = "E_TIMEOUT",
    [REASON_NOT_ME] = "E_NOT_ME",
    [REASON_STAFF_REQUIRED] = "E_STAFF_REQUIRED",
    [REASON_NO_DESIGNATED_ROOM] = "E_NO_DESIGNATED_ROOM",
    [REASON_ALREADY_ADDED] = "E_ALREADY_ADDED",
    [REASON_NOT_WRISTBAND] = "E_NOT_WRISTBAND",
    [REASON_BAND_FORGED] = "E_BAND_FORGED",
    [REASON_BAND_VOID] = "E_BAND_VOID",
    [REASON_BAND_REPLACED] = "E_BAND_REPLACED",
    [REASON_BAND_UNKNOWN] = "E_BAND_UNKNOWN",
    [REASON_WRONG_STATION] = "E_WRONG_STATION",
    [REASON_WRONG_PLACE] = "E_WRONG_PLACE",
    [REASON_RELEASED] = "E_RELEASED",
    [REASON_TRANSFERRED] = "E_TRANSFERRED",
    [REASON_UNVERIFIABLE] = "E_UNVERIFIABLE",
    [REASON_LOOKUP_FAILED] = "E_LOOKUP_FAILED",
    [REASON_BAD_PIN] = "E_BAD_PIN",
    [REASON_LOCKED_OUT] = "E_LOCKED_OUT",
    [REASON_BAD_REQUEST] = "E_BAD_REQUEST",
    [REASON_NOT_FOUND] = "E_NOT_FOUND",
    [REASON_CONFLICT] = "E_CONFLICT",
    [REASON_PAPER_OUT] = "E_PAPER_OUT",
    [REASON_PRINTER_HEAD_OPEN] = "E_PRINTER_HEAD_OPEN",
    [REASON_PRINTER_PAUSED] = "E_PRINTER_PAUSED",
    [REASON_PRINTER_OFFLINE] = "E_PRINTER_OFFLINE",
    [REASON_PRINT_UNCERTAIN] = "E_PRINT_UNCERTAIN",
    [REASON_PRINT_JOB_INVALID] = "E_PRINT_JOB_INVALID",
    [REASON_KEY_USAGE] = "E_KEY_USAGE",
    [REASON_CHUNKED_CODE] = "E_CHUNKED_CODE",
    [REASON_EVIDENCE_ONLY] = "E_EVIDENCE_ONLY",
    [REASON_INTL_REFUSED] = "E_INTL_NOT_ACCEPTED",
    [REASON_NO_LEASED_ROOM] = "E_NO_LEASED_ROOM",
    [REASON_STORAGE_LOW] = "E_STORAGE_LOW",
};

static const char *const category_names[CATEGORY_COUNT] = {"inbound", "close_contact",
                                                           "secondary_contact"};
static const char *const risk_names[RISK_COUNT] = {"green", "yellow", "orange", "red"};
static const char *const room_state_names[ROOM_STATE_COUNT] = {"free", "occupied", "cleaning",
                                                               "blocked"};

const char *reason_code(enum reason r)
{
	if ((unsigned)r >= REASON_COUNT || !reason_codes[r])
		return "E_UNKNOWN";
	return reason_codes[r];
}

static const char *name_of(const char *const *names, int count, int v)
{
	return v >= 0 && v < count ? names[v] : "?";
}

static int index_of(const char *const *names, int count, const char *s)
{
	for (int i = 0; s && i < count; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *category_name(enum category c)
{
	return name_of(category_names, CATEGORY_COUNT, (int)c);
}

bool category_parse(const char *s, enum category *out)
{
	int i = index_of(category_names, CATEGORY_COUNT, s);
	if (i < 0)
		return false;
	*out = (enum category)i;
	return true;
}

const char *risk_name(enum risk r)
{
	return name_of(risk_names, RISK_COUNT, (int)r);
}

bool risk_parse(const char *s, enum risk *out)
{
	int i = index_of(risk_names, RISK_COUNT, s);
	if (i < 0)
		return false;
	*out = (enum risk)i;
	return true;
}

const char *room_state_name(enum room_state s)
{
	return name_of(room_state_names, ROOM_STATE_COUNT, (int)s);
}

bool room_state_parse(const char *s, enum room_state *out)
{
	int i = index_of(room_state_names, ROOM_STATE_COUNT, s);
	if (i < 0)
		return false;
	*out = (enum room_state)i;
	return true;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
hk_day day_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (hk_day)(era * 146097 + (int)doe - 719468);
}

void day_to_ymd(hk_day day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468; /* 64 bits: every hk_day, INT32_MAX included */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

bool day_parse(const char *s, hk_day *out)
{
	/* exactly YYYY-MM-DD in ASCII digits: sscanf's %d would also take a sign or a space
	 * ("-026-11-29" read as the year -26, found by fuzz_manifest) */
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	hk_day day = day_from_ymd(y, m, d);
	int y2, m2, d2;
	day_to_ymd(day, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		return false; /* 2022-02-30 and the like */
	*out = day;
	return true;
}

char *day_format(hk_day day, char buf[11])
{
	int y, m, d;
	day_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0; /* outside what the format can say; never reached by real dates */
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
	return buf;
}

hk_day day_from_unix(int64_t unix_s, int32_t tz_offset_s)
{
	int64_t local = unix_s + tz_offset_s;
	int64_t day = local / 86400;
	if (local % 86400 < 0)
		day--;
	return (hk_day)day;
}
