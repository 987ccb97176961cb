/* drivers/board/watchdog.c: sd_notify over a unix datagram socket, and the all-parts-alive
 * heartbeat. */
#include "drivers/board/watchdog.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int watchdog_notify(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	if (!path || !*path)
		return 0;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	size_t len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(addr.sun_path))
		return -EINVAL;
	memcpy(addr.sun_path, path, len);
	if (path[0] == '@')
		addr.sun_path[0] = '\0'; /* abstract namespace */
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ssize_t n = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&addr, alen);
	int e = errno;
	close(fd);
	return n < 0 ? -e : 1;
}

int64_t watchdog_interval_ms(void)
{
	const char *usec = getenv("WATCHDOG_USEC");
	if (!usec)
		return 0;
	const char *pid = getenv("WATCHDOG_PID");
	if (pid && atol(pid) != (long)getpid())
		return 0; /* meant for another process */
	char *end;
	long long us = strtoll(usec, &end, 10);
	if (*end || us <= 0)
		return 0;
	return us / 1000;
}

void watchdog_init(struct watchdog *w, int64_t interval_ms)
{
	memset(w, 0, sizeof(*w));
	w->interval_ms = interval_ms;
}

int watchdog_add_part(struct watchdog *w, const char *name)
{
	if (w->nparts == WATCHDOG_MAX_PARTS)
		return -1;
	w->parts[w->nparts] = name;
	__atomic_store_n(&w->alive[w->nparts], 1, __ATOMIC_RELEASE);
	return w->nparts++;
}

void watchdog_alive(struct watchdog *w, int part)
{
	if (part >= 0 && part < w->nparts)
		__atomic_store_n(&w->alive[part], 1, __ATOMIC_RELEASE);
}

int watchdog_tick(struct watchdog *w, int64_t now_ms, const char **stalled)
{
	if (stalled)
		*stalled = NULL;
	if (w->interval_ms <= 0 || now_ms - w->last_beat_ms < w->interval_ms / 2)
		return 0;
	for (int i = 0; i < w->nparts; i++) {
		if (!__atomic_load_n(&w->alive[i], __ATOMIC_ACQUIRE)) {
			if (stalled)
				*stalled = w->parts[i];
			return 0;
		}
	}
	for (int i = 0; i < w->nparts; i++)
		__atomic_store_n(&w->alive[i], 0, __ATOMIC_RELEASE);
	w->last_beat_ms = now_ms;
	return watchdog_notify("WATCHDOG=1");
}
