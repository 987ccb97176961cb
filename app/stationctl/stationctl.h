/* app/stationctl/stationctl.h: the station admin CLI's command table. A command is a name,
 * a one-line summary, a usage text and a run function; adding one is one table entry. */
#ifndef HK_STATIONCTL_H
#define HK_STATIONCTL_H

#include <stdio.h>

#include "app/store/store.h"

/* Exit codes of every command. */
enum ctl_exit {
	CTL_OK = 0,
	CTL_FAILED = 1, /* the operation was refused or failed; nothing half-done */
	CTL_USAGE = 2,  /* bad command line */
};

struct ctl {
	const char *db_path; /* --db, $HK_STATION_DB, or var/station.db */
	const char *prog;    /* argv[0] for messages */
};

struct ctl_command {
	const char *name;
	const char *summary;
	const char *usage; /* full --help text, "Usage: ..." first */
	/* argv[0] is the command name; returns an enum ctl_exit. */
	int (*run)(struct ctl *ctl, int argc, char **argv);
};

/* The store for a command; must_exist refuses a missing file (only init creates one).
 * Prints the reason to stderr and returns NULL on failure. Close with store_close(). */
struct store *ctl_store_open(struct ctl *ctl, int must_exist);

/* Print a command's usage to stdout (for --help) or stderr (for a usage error). */
void ctl_usage(const struct ctl_command *cmd, FILE *to);
/* True when argv holds -h or --help before any "--". */
int ctl_wants_help(int argc, char **argv);

/* CSV for Excel on Chinese Windows (the caller writes the UTF-8 BOM first): one cell,
 * RFC 4180 quoted when needed, a leading = + - @ TAB CR defused with an apostrophe; then
 * "," or, when last, CRLF. */
void ctl_csv_cell(FILE *out, const char *s, int last);

extern const struct ctl_command ctl_cmd_init;
extern const struct ctl_command ctl_cmd_rooms;
extern const struct ctl_command ctl_cmd_import_manifest;
extern const struct ctl_command ctl_cmd_export;
extern const struct ctl_command ctl_cmd_bandkey;
extern const struct ctl_command ctl_cmd_printjobs;
extern const struct ctl_command ctl_cmd_keys;
extern const struct ctl_command ctl_cmd_revoke_code;
extern const struct ctl_command ctl_cmd_verify_code;
extern const struct ctl_command ctl_cmd_demo;
extern const struct ctl_command ctl_cmd_devices;
extern const struct ctl_command ctl_cmd_badges;
extern const struct ctl_command ctl_cmd_report;
extern const struct ctl_command ctl_cmd_briefing;
extern const struct ctl_command ctl_cmd_conflicts;

#endif
