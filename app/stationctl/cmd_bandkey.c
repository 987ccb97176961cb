/* app/stationctl/cmd_bandkey.c: `stationctl band-key`: the station's wristband signing key.
 * Entrance kiosks and the front desk hold the private key (they mint bands); security posts
 * hold only the public key, so a stolen checkpoint device cannot mint a band. */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "app/core/wristband.h"
#include "app/sys/sys.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int run_bandkey(struct ctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (ctl_wants_help(argc, argv)) {
		ctl_usage(&ctl_cmd_bandkey, stdout);
		return CTL_OK;
	}
	if (argc != 3 || strcmp(argv[1], "init") != 0) {
		ctl_usage(&ctl_cmd_bandkey, stderr);
		return CTL_USAGE;
	}
	const char *path = argv[2];
	if (access(path, F_OK) == 0) {
		fprintf(stderr,
		        "band-key: %s exists; a new key would void every band issued "
		        "with it, so it is never overwritten\n",
		        path);
		return CTL_FAILED;
	}
	struct wristband_private_key priv;
	struct wristband_public_key pub;
	if (wristband_key_generate(&priv, &pub) != 0) {
		fprintf(stderr, "band-key: key generation failed\n");
		return CTL_FAILED;
	}
	char text[2 * WRISTBAND_KEY_SIZE + 2];
	hex(priv.bytes, sizeof(priv.bytes), text);
	strcat(text, "\n");
	int rc = file_write_atomic(path, text, strlen(text), 0600);
	memset(&priv, 0, sizeof(priv));
	memset(text, 0, sizeof(text));
	if (rc != 0) {
		fprintf(stderr, "band-key: %s: %s\n", path, strerror(-rc));
		return CTL_FAILED;
	}
	char pubpath[4096];
	snprintf(pubpath, sizeof(pubpath), "%s.pub", path);
	hex(pub.bytes, sizeof(pub.bytes), text);
	strcat(text, "\n");
	rc = file_write_atomic(pubpath, text, strlen(text), 0644);
	if (rc != 0) {
		fprintf(stderr, "band-key: %s: %s\n", pubpath, strerror(-rc));
		return CTL_FAILED;
	}
	char kid[WRISTBAND_KEY_ID_SIZE];
	wristband_key_id(&pub, kid);
	printf("band key %s: private %s (0600), public %s\n", kid, path, pubpath);
	return CTL_OK;
}

const struct ctl_command ctl_cmd_bandkey = {
    .name = "band-key",
    .summary = "create the station's wristband signing key",
    .usage = "Usage: stationctl band-key init FILE\n"
             "Create the station's Ed25519 wristband signing key: FILE holds the private key\n"
             "(hex, mode 0600) for entrance kiosks and the front desk; FILE.pub the public key\n"
             "for security posts. An existing FILE is never overwritten.\n",
    .run = run_bandkey,
};
