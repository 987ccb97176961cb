/* app/sys/sys.h: the operating-system plumbing every program shares: logging to stderr
 * (journald picks it up, with priorities), whole-file reads, durable file writes, clocks,
 * libraries opened at first use.
 * Log lines carry reason codes and record ids, never names or ID numbers. */
#ifndef HK_SYS_H
#define HK_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARN = 4,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Name the program in log lines and set the lowest level written (default info). Under
 * systemd (JOURNAL_STREAM set) lines start with "<N>" so journald records the priority;
 * otherwise with a UTC timestamp and the level. */
void log_init(const char *program, enum log_level min);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...)   log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Read a whole file (at most max bytes) into a malloc'ed, NUL-terminated buffer the caller
 * frees; *len gets its length. NULL with errno set (EFBIG when larger than max). */
char *file_read_all(const char *path, size_t max, size_t *len);
/* Write a file durably: a temporary file beside it, fsync, rename, fsync of the folder.
 * mode as for open(2) (0600 for secrets). Returns 0 or -errno. */
int file_write_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* mkdir -p with mode for the folders it creates. Returns 0 or -errno. */
int dir_make(const char *path, unsigned mode);

/* Clocks: wall time in unix seconds and milliseconds; monotonic milliseconds. */
int64_t clock_unix_s(void);
int64_t clock_unix_ms(void);
int64_t clock_mono_ms(void);

/* Libraries that only some set-ups or a later moment need are opened at first use instead of
 * by the loader at exec, which keeps them and their dependencies off the kiosk's start-up
 * (docs/performance.md): libcups (a cups: printer), libcurl (the sync thread), SDL2_ttf
 * (the font thread), the ZXing plugin (a camera). A user lists the functions it calls in an
 * X-macro, keeps a struct of LIB_POINTER members, and fills it with lib_sym once lib_open
 * succeeds. Both return NULL with err saying what is missing. The library stays loaded
 * until exit. */
#define LIB_POINTER(fn) __typeof__(fn) *fn;
void *lib_open(const char *soname, char *err, size_t errlen);
void *lib_sym(void *lib, const char *name, char *err, size_t errlen);
/* The path of one of the project's own plugins: <dir of this program>/../lib/healthkiosk/
 * name, which is $(PREFIX)/lib/healthkiosk once installed and $(BUILD)/lib/healthkiosk in
 * the build tree. 0, or -errno (-ENAMETOOLONG). */
int lib_plugin_path(const char *name, char *out, size_t outlen);

#endif
