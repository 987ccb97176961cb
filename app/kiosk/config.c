/* app/kiosk/config.c: the kiosk's configuration file, documented in docs/configuration.md,
 * read into struct kiosk_config over the defaults. */
#include "app/kiosk/kiosk.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/sys/sys.h"

static void defaults(struct kiosk_config *kc)
{
	memset(kc, 0, sizeof(*kc));
	kc->mode = KIOSK_ENTRANCE;
	snprintf(kc->store_path, sizeof(kc->store_path), "/var/lib/healthkiosk/kiosk.db");
	snprintf(kc->assets_dir, sizeof(kc->assets_dir), "assets");
	snprintf(kc->scanner_spec, sizeof(kc->scanner_spec), "wedge");
	snprintf(kc->printer_spec, sizeof(kc->printer_spec), "png:/var/lib/healthkiosk/prints");
	snprintf(kc->band_key_path, sizeof(kc->band_key_path), "/etc/healthkiosk/band.key");
	snprintf(kc->band_pub_path, sizeof(kc->band_pub_path), "/etc/healthkiosk/band.key.pub");
	flow_security_config_defaults(&kc->security);
	kc->store_min_free_mb = 64;
	kc->sync.lease_want = 4;
	kc->sync.interval_s = 5;
	kc->fullscreen = true;
	kc->kiosk_lock = true;
	kc->width = 800;
	kc->height = 480;
	kc->volume = 60;
	kc->skew_s = 300;
	kc->lang = LANG_ZH_CN;
	flow_config_defaults(&kc->flow);
	policy_defaults(&kc->checkin.policy);
	snprintf(kc->checkin.station, sizeof(kc->checkin.station), "SZ01");
}

static bool copy(char *dst, size_t n, const struct config *c, const char *key)
{
	const char *v = config_get(c, key);
	if (!v)
		return true;
	return (size_t)snprintf(dst, n, "%s", v) < n;
}

/* "12,13" -> the floors a checkpoint lets pass (none: every floor). */
static bool parse_checkpoint_floors(const char *s, struct sec_config *sc)
{
	if (!s)
		return true;
	sc->floor_count = 0;
	while (*s) {
		char *end;
		long f = strtol(s, &end, 10);
		if (end == s || f < -9 || f > 999 || sc->floor_count == SEC_FLOORS_MAX)
			return false;
		sc->floors[sc->floor_count++] = (int)f;
		while (*end == ' ' || *end == ',')
			end++;
		s = end;
	}
	return true;
}

/* "13,14" -> designated floors. */
static bool parse_floors(const char *s, struct rooms_config *rc)
{
	rc->designated_count = 0;
	while (s && *s) {
		char *end;
		long f = strtol(s, &end, 10);
		if (end == s || rc->designated_count == ROOMS_FLOORS_MAX)
			return false;
		rc->designated[rc->designated_count++] = (int)f;
		while (*end == ' ' || *end == ',')
			end++;
		s = end;
	}
	return true;
}

static bool parse_policy(const struct config *c, const char *key, enum flow_policy *out)
{
	const char *v = config_get(c, key);
	enum flow_policy p;
	if (!v)
		return true;
	if (!flow_policy_parse(v, &p) || p == FLOW_POLICY_DEFAULT)
		return false;
	*out = p;
	return true;
}

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return -1;                                                                         \
	} while (0)

int kiosk_config_load(struct kiosk_config *kc, const char *path, char *err, size_t errlen)
{
	defaults(kc);
	if (!path)
		return 0;
	size_t len;
	char *text = file_read_all(path, 1 << 20, &len);
	if (!text)
		FAIL("%s: %s", path, strerror(errno));
	static struct config c;
	char perr[128];
	int rc = config_parse(&c, text, len, perr, sizeof(perr));
	free(text);
	if (rc != 0)
		FAIL("%s:%s", path, perr);

	const char *mode = config_get_str(&c, "device.role", "entrance");
	if (strcmp(mode, "entrance") == 0)
		kc->mode = KIOSK_ENTRANCE;
	else if (strcmp(mode, "security") == 0)
		kc->mode = KIOSK_SECURITY;
	else if (strcmp(mode, "frontdesk") == 0)
		kc->mode = KIOSK_FRONTDESK;
	else
		FAIL("%s: device.role must be entrance, security or frontdesk", path);
	if (!copy(kc->checkin.station, sizeof(kc->checkin.station), &c, "device.station"))
		FAIL("%s: device.station is longer than %d characters", path,
		     WRISTBAND_STATION_MAX);

	struct {
		char *dst;
		size_t n;
		const char *key;
	} strs[] = {
	    {kc->store_path, sizeof(kc->store_path), "store.path"},
	    {kc->assets_dir, sizeof(kc->assets_dir), "ui.assets"},
	    {kc->scanner_spec, sizeof(kc->scanner_spec), "scanner.spec"},
	    {kc->camera_spec, sizeof(kc->camera_spec), "camera.spec"},
	    {kc->printer_spec, sizeof(kc->printer_spec), "printer.spec"},
	    {kc->printer_fallback, sizeof(kc->printer_fallback), "printer.fallback"},
	    {kc->band_key_path, sizeof(kc->band_key_path), "keys.band_key"},
	    {kc->band_pub_path, sizeof(kc->band_pub_path), "checkpoint.band_public_key"},
	    {kc->security.checkpoint, sizeof(kc->security.checkpoint), "checkpoint.name"},
	    {kc->font_regular, sizeof(kc->font_regular), "ui.font"},
	    {kc->font_bold, sizeof(kc->font_bold), "ui.font_bold"},
	    {kc->screenshots_dir, sizeof(kc->screenshots_dir), "ui.screenshots"},
	    {kc->state_file, sizeof(kc->state_file), "ui.state_file"},
	    {kc->sync.url, sizeof(kc->sync.url), "sync.url"},
	    {kc->sync.token_file, sizeof(kc->sync.token_file), "sync.token_file"},
	    {kc->sync.ca_file, sizeof(kc->sync.ca_file), "sync.ca_file"},
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (!copy(strs[i].dst, strs[i].n, &c, strs[i].key))
			FAIL("%s: %s is too long", path, strs[i].key);

	long v;
	struct {
		const char *key;
		long min, max;
		int *dst;
	} ints[] = {
	    {"ui.width", 320, 7680, &kc->width},
	    {"ui.height", 240, 7680, &kc->height},
	    {"ui.volume", 0, 100, &kc->volume},
	    {"scanner.max_gap_ms", 0, 1000, &kc->wedge_gap_ms},
	    {"healthcode.skew_s", 0, 86400, &kc->skew_s},
	    {"flow.max_group", 1, FLOW_GROUP_MAX, &kc->flow.max_group},
	    {"flow.pin_attempts", 1, 10, &kc->flow.pin_attempts},
	    {"sync.lease_want", 0, 64, &kc->sync.lease_want},
	    {"sync.interval", 1, 3600, &kc->sync.interval_s},
	    {"store.min_free_mb", 0, 16777216, &kc->store_min_free_mb},
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (!config_get_int(&c, ints[i].key, ints[i].min, ints[i].max, *ints[i].dst, &v))
			FAIL("%s: %s must be a whole number from %ld to %ld", path, ints[i].key,
			     ints[i].min, ints[i].max);
		*ints[i].dst = (int)v;
	}
	struct {
		const char *key;
		int32_t *dst;
	} secs[] = {
	    {"ui.idle_timeout_s", &kc->flow.idle_ms},
	    {"flow.briefing_idle_s", &kc->flow.briefing_idle_ms},
	    {"ui.briefing_min_read_s", &kc->flow.min_read_ms},
	    {"flow.refusal_s", &kc->flow.refusal_ms},
	    {"flow.done_s", &kc->flow.done_ms},
	    {"flow.print_s", &kc->flow.print_ms},
	    {"flow.staff_wait_s", &kc->flow.staff_wait_ms},
	};
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		if (!config_get_int(&c, secs[i].key, 1, 3600, *secs[i].dst / 1000, &v))
			FAIL("%s: %s must be seconds from 1 to 3600", path, secs[i].key);
		*secs[i].dst = (int32_t)(v * 1000);
	}
	if (!config_get_int(&c, "flow.pin_lockout_s", 0, 86400, kc->flow.pin_lockout_ms / 1000, &v))
		FAIL("%s: flow.pin_lockout_s must be seconds from 0 to 86400", path);
	kc->flow.pin_lockout_ms = (int32_t)(v * 1000);
	bool b;
	if (!config_get_bool(&c, "ui.fullscreen", kc->fullscreen, &b))
		FAIL("%s: ui.fullscreen must be yes or no", path);
	kc->fullscreen = b;
	kc->kiosk_lock = b;
	if (!config_get_bool(&c, "healthcode.demo", kc->demo, &b))
		FAIL("%s: healthcode.demo must be yes or no", path);
	kc->demo = b;
	const char *intl = config_get(&c, "healthcode.international");
	if (intl && !verify_intl_policy_parse(intl, &kc->intl))
		FAIL("%s: healthcode.international must be evidence or refuse", path);
	const char *lang = config_get(&c, "ui.language");
	if (lang && strcmp(lang, "zh") == 0)
		kc->lang = LANG_ZH_CN;
	else if (lang && !lang_parse(lang, &kc->lang))
		FAIL("%s: ui.language must be zh or en", path);
	kc->flow.default_lang = kc->lang == LANG_EN ? FLOW_LANG_EN : FLOW_LANG_ZH;
	if (!parse_policy(&c, "flow.walk_in", &kc->flow.walk_in) ||
	    !parse_policy(&c, "flow.yellow", &kc->flow.yellow) ||
	    !parse_policy(&c, "flow.red", &kc->flow.red))
		FAIL("%s: flow.walk_in, flow.yellow and flow.red take allow, staff or refuse",
		     path);
	if (!parse_floors(config_get(&c, "rooms.designated_floors"), &kc->checkin.rooms))
		FAIL("%s: rooms.designated_floors is a list like 13,14", path);
	if (!config_get_bool(&c, "rooms.shared", false, &b))
		FAIL("%s: rooms.shared must be yes or no", path);
	kc->checkin.rooms.shared_rooms = b;
	if (!config_get_int(&c, "policy.cutoff_hour", 0, 24, kc->checkin.policy.cutoff_hour, &v))
		FAIL("%s: policy.cutoff_hour must be 0 to 24", path);
	kc->checkin.policy.cutoff_hour = (int)v;
	if (!kc->security.checkpoint[0])
		FAIL("%s: checkpoint.name must not be empty", path);
	if (!config_get_bool(&c, "checkpoint.exit", kc->security.exit, &b))
		FAIL("%s: checkpoint.exit must be yes or no", path);
	kc->security.exit = b;
	if (!parse_checkpoint_floors(config_get(&c, "checkpoint.floors"), &kc->security))
		FAIL("%s: checkpoint.floors is a list like 12,13 (at most %d)", path,
		     SEC_FLOORS_MAX);
	if (kc->sync.url[0] && strncmp(kc->sync.url, "http://", 7) != 0 &&
	    strncmp(kc->sync.url, "https://", 8) != 0)
		FAIL("%s: sync.url must start with http:// or https://", path);
	if (kc->sync.url[0] && !kc->sync.token_file[0])
		FAIL("%s: sync.url needs sync.token_file (the device credential)", path);
	return 0;
}

/* 64 hex digits and optional whitespace from fd into key. */
static int key_read_hex(int fd, uint8_t key[32])
{
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	int got = 0, rc = -EINVAL;
	for (char *p = buf; *p; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) || got == 32)
			goto out_wipe;
		char hex[3] = {p[0], p[1], 0};
		key[got++] = (uint8_t)strtoul(hex, NULL, 16);
		p++;
	}
	rc = got == 32 ? 0 : -EINVAL;
out_wipe:
	memset(buf, 0, sizeof(buf));
	return rc;
}

int kiosk_key_load(const char *path, uint8_t key[32])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		close(fd);
		return -EPERM; /* a signing key others can read is not a secret any more */
	}
	int rc = key_read_hex(fd, key);
	close(fd);
	return rc;
}

int kiosk_token_load(const char *path, char *token, size_t size)
{
	char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		close(fd);
		return -EPERM; /* a credential others can read is not a secret any more */
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	char *start = buf, *end = buf + n;
	while (*start && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		*--end = '\0';
	int rc = 0;
	if (end == start || (size_t)(end - start) >= size || strpbrk(start, " \t\r\n"))
		rc = -EINVAL;
	else
		memcpy(token, start, (size_t)(end - start) + 1);
	memset(buf, 0, sizeof(buf));
	return rc;
}

int kiosk_public_key_load(const char *path, uint8_t key[32])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = key_read_hex(fd, key);
	close(fd);
	return rc;
}
