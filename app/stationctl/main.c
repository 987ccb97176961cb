/* app/stationctl/main.c: stationctl [--db FILE] COMMAND ...: global options and the command
 * table; each command lives in its own cmd_*.c file. */
#include "app/stationctl/stationctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DB "var/station.db"

static const struct ctl_command *const commands[] = {
    /* clang-format off */
    &ctl_cmd_init,
    &ctl_cmd_rooms,
    &ctl_cmd_import_manifest,
    &ctl_cmd_export,
    &ctl_cmd_bandkey,
    &ctl_cmd_printjobs,
    &ctl_cmd_keys,
    &ctl_cmd_revoke_code,
    &ctl_cmd_verify_code,
    &ctl_cmd_demo,
    &ctl_cmd_devices,
    &ctl_cmd_badges,
    &ctl_cmd_report,
    &ctl_cmd_briefing,
    &ctl_cmd_conflicts,
    /* clang-format on */
};
#define N_COMMANDS (sizeof(commands) / sizeof(*commands))

static void main_usage(FILE *to)
{
	fprintf(to, "Usage: stationctl [--db FILE] COMMAND [ARGS...]\n"
	            "Administer the station's data store.\n\n"
	            "Options:\n"
	            "  --db FILE   the store (default: $HK_STATION_DB, else " DEFAULT_DB ")\n"
	            "  -h, --help  this text; COMMAND --help tells about one command\n\n"
	            "Commands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(to, "  %-18s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(to, "\nExit status: 0 done, 1 refused or failed (nothing half-written), "
	            "2 usage error.\n");
}

void ctl_usage(const struct ctl_command *cmd, FILE *to)
{
	fputs(cmd->usage, to);
}

int ctl_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

/* mkdir -p of the folder holding path. 0 or -errno. */
static int make_parent(const char *path)
{
	char dir[4096];
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

struct store *ctl_store_open(struct ctl *ctl, int must_exist)
{
	struct store_error err;
	if (must_exist && access(ctl->db_path, F_OK) != 0) {
		fprintf(stderr, "%s: no store at %s (run `stationctl init` first, or give --db)\n",
		        ctl->prog, ctl->db_path);
		return NULL;
	}
	if (!must_exist) {
		int rc = make_parent(ctl->db_path);
		if (rc) {
			fprintf(stderr, "%s: cannot create the folder of %s: %s\n", ctl->prog,
			        ctl->db_path, strerror(-rc));
			return NULL;
		}
	}
	struct store *st = store_open(ctl->db_path, &err);
	if (!st)
		fprintf(stderr, "%s: %s [%s]\n", ctl->prog, err.message,
		        store_status_name(err.code));
	return st;
}

int main(int argc, char **argv)
{
	struct ctl ctl = {.prog = "stationctl"};
	const char *env = getenv("HK_STATION_DB");
	ctl.db_path = env && *env ? env : DEFAULT_DB;
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			main_usage(stdout);
			return CTL_OK;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc && *argv[i + 1]) {
			ctl.db_path = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--db=", 5) == 0 && argv[i][5]) {
			ctl.db_path = argv[i] + 5;
			i++;
		} else {
			fprintf(stderr, "%s: unknown or incomplete option '%s'\n\n", ctl.prog,
			        argv[i]);
			main_usage(stderr);
			return CTL_USAGE;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "%s: no command given\n\n", ctl.prog);
		main_usage(stderr);
		return CTL_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		main_usage(stdout);
		return CTL_OK;
	}
	for (size_t c = 0; c < N_COMMANDS; c++) {
		if (strcmp(argv[i], commands[c]->name) != 0)
			continue;
		return commands[c]->run(&ctl, argc - i, argv + i);
	}
	fprintf(stderr, "%s: unknown command '%s'\n\n", ctl.prog, argv[i]);
	main_usage(stderr);
	return CTL_USAGE;
}
