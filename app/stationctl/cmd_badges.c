/* app/stationctl/cmd_badges.c: `stationctl badges add ID --role ROLE`: enrol a staff badge;
 * the PIN is read from standard input (never the command line, which others can see in
 * the process list) and stored only as a salted slow hash. */
#include "app/stationctl/stationctl.h"

#include <getopt.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "app/core/pinhash.h"

/* One line from stdin into buf without its line end; echo off on a terminal. */
static int read_pin(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fputs(prompt, stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = fgets(buf, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!line)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int badges_add(struct ctl *ctl, const char *id, const char *role)
{
	char pin[64], again[64];
	int status = CTL_FAILED;
	if (read_pin("PIN: ", pin, sizeof(pin)) != 0 || !pinhash_pin_valid(pin)) {
		fprintf(stderr, "badges: give the PIN (%d to %d digits) on standard input\n",
		        PINHASH_PIN_MIN, PINHASH_PIN_MAX);
		goto out_wipe;
	}
	if (isatty(STDIN_FILENO) &&
	    (read_pin("PIN again: ", again, sizeof(again)) != 0 || strcmp(pin, again) != 0)) {
		fprintf(stderr, "badges: the two PINs differ\n");
		goto out_wipe;
	}
	struct store *st = ctl_store_open(ctl, 1);
	if (!st)
		goto out_wipe;
	int rc = store_badge_add_pin(st, id, role, pin, (int64_t)time(NULL));
	if (rc)
		fprintf(stderr, "badges: %s [%s]\n", store_errmsg(st), store_status_name(rc));
	else
		fprintf(stderr, "badge %s added (%s)\n", id, role);
	store_close(st);
	status = rc ? CTL_FAILED : CTL_OK;
out_wipe:
	explicit_bzero(pin, sizeof(pin));
	explicit_bzero(again, sizeof(again));
	return status;
}

static int run_badges(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"role", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {0, 0, 0, 0},
	};
	const char *role = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "hr:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 'h':
			ctl_usage(&ctl_cmd_badges, stdout);
			return CTL_OK;
		default:
			ctl_usage(&ctl_cmd_badges, stderr);
			return CTL_USAGE;
		}
	}
	static const char *const roles[] = {"staff", "doctor", "security", "admin"};
	int role_ok = 0;
	for (size_t i = 0; role && i < sizeof(roles) / sizeof(*roles); i++)
		role_ok |= strcmp(role, roles[i]) == 0;
	if (optind + 2 != argc || strcmp(argv[optind], "add") != 0 || !*argv[optind + 1] ||
	    !role_ok) {
		ctl_usage(&ctl_cmd_badges, stderr);
		return CTL_USAGE;
	}
	return badges_add(ctl, argv[optind + 1], role);
}

const struct ctl_command ctl_cmd_badges = {
    .name = "badges",
    .summary = "enrol a staff badge (PIN from standard input)",
    .usage = "Usage: stationctl badges add ID --role staff|doctor|security|admin\n"
             "Enrol the staff badge ID. The PIN (4 to 12 digits) is read from standard\n"
             "input, asked twice without echo on a terminal; it is never taken from the\n"
             "command line. Only a salted PBKDF2-HMAC-SHA256 hash is stored.\n"
             "Example: printf '%s\\n' \"$PIN\" | stationctl badges add staff-7 --role staff\n",
    .run = run_badges,
};
