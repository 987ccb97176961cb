/* drivers/board/watchdog.h: the systemd notify protocol (READY=1, WATCHDOG=1, STATUS=,
 * STOPPING=1) spoken on $NOTIFY_SOCKET, without linking libsystemd; and a heartbeat that
 * is sent only while every part of the program that must stay alive has checked in. */
#ifndef HK_DRIVERS_WATCHDOG_H
#define HK_DRIVERS_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

/* Send one notify message (e.g. "READY=1", "WATCHDOG=1", "STATUS=offline") to the socket
 * named by $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). Returns 1 when
 * sent, 0 when not running under systemd (no NOTIFY_SOCKET), or -errno. */
int watchdog_notify(const char *msg);

/* The watchdog interval systemd asked for ($WATCHDOG_USEC, honouring $WATCHDOG_PID), in
 * milliseconds, or 0 when no watchdog is configured. */
int64_t watchdog_interval_ms(void);

/* Liveness of the parts of the program: each part calls watchdog_alive(part) from its own
 * loop; watchdog_tick(now) sends WATCHDOG=1 at most every interval/2, and only if every
 * registered part checked in since the last heartbeat. A frozen UI loop or camera thread
 * therefore stops the heartbeat and systemd restarts the service. Thread-safe. */
#define WATCHDOG_MAX_PARTS 8
struct watchdog {
	int64_t interval_ms;
	int64_t last_beat_ms;
	int nparts;
	const char *parts[WATCHDOG_MAX_PARTS];
	int alive[WATCHDOG_MAX_PARTS]; /* atomic flags */
};

void watchdog_init(struct watchdog *w, int64_t interval_ms);
/* Register a part by name (a string that outlives w); returns its index or -1. */
int watchdog_add_part(struct watchdog *w, const char *name);
void watchdog_alive(struct watchdog *w, int part);
/* Returns 1 when a heartbeat was sent, 0 when none was due or a part was silent (the
 * silent part's name in *stalled, else NULL), or -errno. */
int watchdog_tick(struct watchdog *w, int64_t now_ms, const char **stalled);

#endif
