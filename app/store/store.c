/* app/store/store.c: opening the store: integrity check, moving a corrupt file aside,
 * durability settings and schema migrations; identity; the helpers the other store files
 * share (statements, transactions, sequence numbers, error mapping). */
#include "app/store/store_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STORE_APPLICATION_ID 0x484B5354 /* "HKST" in the file header */
#define STORE_BUSY_MS        5000

static const char *const status_names[] = {
    "OK",
    "E_IO",
    "E_CORRUPT",
    "E_TOO_NEW",
    "E_SQL",
    "E_NOT_FOUND",
    "E_EXISTS",
    "E_ALREADY_CHECKED_IN",
    "E_ROOM_FULL",
    "E_ROOM_UNAVAILABLE",
    "E_ROOM_OCCUPIED",
    "E_INVALID",
    "E_SEQ",
    "E_NO_IDENTITY",
    "E_BUSY",
    "E_NOMEM",
    "E_BAD_INPUT",
};

const char *store_status_name(int status)
{
	int i = -status;
	if (i < 0 || (size_t)i >= sizeof(status_names) / sizeof(*status_names))
		return "E_UNKNOWN";
	return status_names[i];
}

static void error_set(struct store_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_set(struct store_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

int store_failf(struct store *st, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

static int status_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_E_BUSY;
	case SQLITE_NOMEM:
		return STORE_E_NOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STORE_E_CORRUPT;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return STORE_E_EXISTS;
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return STORE_E_NOT_FOUND;
		return STORE_E_INVALID;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return STORE_E_IO;
	default:
		return STORE_E_SQL;
	}
}

int store_fail(struct store *st, int sqlite_rc)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "%s (sqlite %d)", sqlite3_errmsg(st->db),
	         sqlite_rc);
	return status_of(sqlite_rc);
}

const char *store_errmsg(const struct store *st)
{
	return st ? st->errmsg : "no store";
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		store_fail(st, rc);
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Run a constant statement that returns no rows we need. */
static int exec_const(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	int status = rc == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_begin(struct store *st)
{
	if (sqlite3_get_autocommit(st->db))
		return exec_const(st, "BEGIN IMMEDIATE");
	int status = exec_const(st, "SAVEPOINT store_nested");
	if (!status)
		st->nested++;
	return status;
}

int store_commit(struct store *st)
{
	if (st->nested > 0) {
		int status = exec_const(st, "RELEASE store_nested");
		if (!status)
			st->nested--;
		return status;
	}
	return exec_const(st, "COMMIT");
}

void store_rollback(struct store *st)
{
	if (st->nested > 0) {
		exec_const(st, "ROLLBACK TO store_nested");
		exec_const(st, "RELEASE store_nested");
		st->nested--;
		return;
	}
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_bind_text(sqlite3_stmt *s, int i, const char *text, bool empty_null)
{
	if (!text || (empty_null && !*text))
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT);
}

int store_column_text(sqlite3_stmt *s, int i, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, i) : 0;
	if (n >= size) {
		dst[0] = '\0';
		return STORE_E_INVALID;
	}
	if (n)
		memcpy(dst, t, n);
	dst[n] = '\0';
	return 0;
}

bool store_fits(const char *s, size_t size)
{
	return s && strnlen(s, size) < size;
}

/* An integer from a one-row constant query such as "PRAGMA user_version". */
static int query_int(struct store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	int rc = sqlite3_step(s);
	int status = 0;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		status = rc == SQLITE_DONE ? STORE_E_SQL : store_fail(st, rc);
	sqlite3_finalize(s);
	return status;
}

int store_schema_version(struct store *st)
{
	int64_t v = -1;
	query_int(st, "PRAGMA user_version", &v);
	return (int)v;
}

/* 0 when the file passes PRAGMA integrity_check; STORE_E_CORRUPT with the first complaint
 * in st->errmsg; another status when the check could not run (busy, I/O). */
static int integrity_check(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL);
	int status = 0;
	if (rc != SQLITE_OK) {
		status = store_fail(st, rc);
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		status = store_fail(st, rc);
		if (status == 0)
			status = STORE_E_SQL;
		goto out;
	}
	const char *first = (const char *)sqlite3_column_text(s, 0);
	if (!first || strcmp(first, "ok") != 0) {
		snprintf(st->errmsg, sizeof(st->errmsg), "integrity_check: %s",
		         first ? first : "(null)");
		for (char *p = st->errmsg; *p; p++)
			if (*p == '\n')
				*p = ' '; /* one log line */
		status = STORE_E_CORRUPT;
	}
out:
	sqlite3_finalize(s);
	return status;
}

/* Rename path (and its -wal) to path.corrupt-STAMP[-N]; drop the -shm. Writes the new name
 * into aside[size]. 0 or -errno. */
static int move_aside(const char *path, char *aside, size_t size)
{
	char stamp[32], from[4200], to[4300];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int n = 0; n < 100; n++) {
		if (n == 0)
			snprintf(aside, size, "%s.corrupt-%s", path, stamp);
		else
			snprintf(aside, size, "%s.corrupt-%s-%d", path, stamp, n);
		if (access(aside, F_OK) != 0)
			break;
	}
	if (rename(path, aside) != 0)
		return -errno;
	if (snprintf(from, sizeof(from), "%s-wal", path) >= (int)sizeof(from) ||
	    snprintf(to, sizeof(to), "%s-wal", aside) >= (int)sizeof(to))
		return 0; /* cannot happen: paths are at most 4095 bytes */
	if (rename(from, to) != 0 && errno != ENOENT)
		fprintf(stderr, "store: could not move %s aside: %s\n", from, strerror(errno));
	if (snprintf(from, sizeof(from), "%s-shm", path) < (int)sizeof(from))
		unlink(from);
	return 0;
}

static int migrate(struct store *st)
{
	for (size_t i = 0; i < store_migrations_count; i++) {
		const struct store_migration *m = &store_migrations[i];
		int status = store_begin(st);
		if (status)
			return status;
		int64_t current = 0;
		status = query_int(st, "PRAGMA user_version", &current);
		if (status)
			goto out_rollback;
		if (current >= m->version) { /* done already, maybe by another process */
			store_rollback(st);
			continue;
		}
		char *msg = NULL;
		int rc = sqlite3_exec(st->db, m->sql, NULL, NULL, &msg);
		if (rc != SQLITE_OK) {
			status = store_failf(st, status_of(rc) ? status_of(rc) : STORE_E_SQL,
			                     "migration to schema %d: %s", m->version,
			                     msg ? msg : sqlite3_errstr(rc));
			sqlite3_free(msg);
			goto out_rollback;
		}
		status = query_int(st, "PRAGMA user_version", &current);
		if (status == 0 && current != m->version)
			status = store_failf(st, STORE_E_SQL, "migration %d left user_version %lld",
			                     m->version, (long long)current);
		if (status)
			goto out_rollback;
		status = store_commit(st);
		if (status)
			goto out_rollback;
		continue;
	out_rollback:
		store_rollback(st);
		return status;
	}
	return 0;
}

struct store *store_open(const char *path, struct store_error *err)
{
	int64_t version = 0, app_id = 0, objects = 0;
	int status;
	struct store *st = calloc(1, sizeof(*st));
	if (!st) {
		error_set(err, STORE_E_NOMEM, "out of memory");
		return NULL;
	}
	if (!path || !*path || !store_fits(path, sizeof(st->path))) {
		error_set(err, STORE_E_INVALID, "store path empty or too long");
		goto out_free;
	}
	snprintf(st->path, sizeof(st->path), "%s", path);
	int rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		error_set(err, STORE_E_IO, "cannot open %s: %s", path,
		          st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto out_close;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);

	status = integrity_check(st);
	if (status == STORE_E_CORRUPT) {
		char aside[4200], why[512];
		snprintf(why, sizeof(why), "%s", st->errmsg);
		sqlite3_close(st->db);
		st->db = NULL;
		int mv = move_aside(path, aside, sizeof(aside));
		if (mv) {
			fprintf(stderr,
			        "store: %s is corrupt (%s) and could not be moved aside: %s\n",
			        path, why, strerror(-mv));
			error_set(err, STORE_E_CORRUPT,
			          "%s is corrupt (%s); moving it aside failed: %s", path, why,
			          strerror(-mv));
		} else {
			fprintf(stderr, "store: %s is corrupt (%s); moved aside to %s\n", path, why,
			        aside);
			error_set(err, STORE_E_CORRUPT, "%s is corrupt (%s); moved aside to %s",
			          path, why, aside);
		}
		goto out_free;
	}
	if (status) {
		error_set(err, status, "cannot check %s: %s", path, st->errmsg);
		goto out_close;
	}
	if ((status = query_int(st, "PRAGMA user_version", &version)) ||
	    (status = query_int(st, "PRAGMA application_id", &app_id)) ||
	    (status = query_int(st, "SELECT count(*) FROM sqlite_schema", &objects))) {
		error_set(err, status, "cannot read %s: %s", path, st->errmsg);
		goto out_close;
	}
	if (version > STORE_SCHEMA_VERSION) {
		error_set(err, STORE_E_TOO_NEW,
		          "%s has schema version %lld, newer than this build's %d; use a newer "
		          "program (the file was not changed)",
		          path, (long long)version, STORE_SCHEMA_VERSION);
		goto out_close;
	}
	if ((app_id != 0 && app_id != STORE_APPLICATION_ID) || (version == 0 && objects > 0)) {
		error_set(err, STORE_E_INVALID, "%s is an SQLite file of another program", path);
		goto out_close;
	}
	if ((status = exec_const(st, "PRAGMA journal_mode = WAL")) ||
	    (status = exec_const(st, "PRAGMA synchronous = FULL")) ||
	    (status = exec_const(st, "PRAGMA foreign_keys = ON"))) {
		error_set(err, status, "cannot configure %s: %s", path, st->errmsg);
		goto out_close;
	}
	status = migrate(st);
	if (status) {
		error_set(err, status, "cannot upgrade %s: %s", path, st->errmsg);
		goto out_close;
	}
	if (err) {
		err->code = 0;
		err->message[0] = '\0';
	}
	return st;

out_close:
	sqlite3_close(st->db);
out_free:
	free(st);
	return NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (!st->borrowed)
		sqlite3_close(st->db);
	free(st);
}

struct store *store_attach(struct sqlite3 *db, struct store_error *err)
{
	int64_t version = -1;
	struct store *st = calloc(1, sizeof(*st));
	if (!st) {
		error_set(err, STORE_E_NOMEM, "out of memory");
		return NULL;
	}
	st->db = db;
	st->borrowed = true;
	snprintf(st->path, sizeof(st->path), "%s",
	         sqlite3_db_filename(db, "main") ? sqlite3_db_filename(db, "main") : "");
	if (query_int(st, "PRAGMA user_version", &version) || version != STORE_SCHEMA_VERSION) {
		error_set(err, version > STORE_SCHEMA_VERSION ? STORE_E_TOO_NEW : STORE_E_INVALID,
		          "%s: schema version %lld, this build needs %d (run store_open first)",
		          st->path, (long long)version, STORE_SCHEMA_VERSION);
		free(st);
		return NULL;
	}
	return st;
}

int store_identity_get(struct store *st, struct store_identity *out)
{
	sqlite3_stmt *s = store_prepare(
	    st, "SELECT station_id, device_id, next_device_seq FROM meta WHERE id = 1");
	if (!s)
		return STORE_E_SQL;
	int rc = sqlite3_step(s);
	int status = 0;
	if (rc == SQLITE_ROW) {
		store_column_text(s, 0, out->station_id, sizeof(out->station_id));
		store_column_text(s, 1, out->device_id, sizeof(out->device_id));
		out->next_device_seq = sqlite3_column_int64(s, 2);
	} else {
		status = rc == SQLITE_DONE ? store_failf(st, STORE_E_SQL, "meta row missing")
		                           : store_fail(st, rc);
	}
	sqlite3_finalize(s);
	return status;
}

int store_identity_set(struct store *st, const char *station_id, const char *device_id)
{
	if (!store_fits(station_id, STORE_ID_MAX) || !store_fits(device_id, STORE_ID_MAX) ||
	    !*device_id)
		return store_failf(st, STORE_E_INVALID, "station or device id empty or too long");
	sqlite3_stmt *s =
	    store_prepare(st, "UPDATE meta SET station_id = ?1, device_id = ?2 WHERE id = 1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, station_id, false);
	store_bind_text(s, 2, device_id, false);
	int rc = sqlite3_step(s);
	int status = rc == SQLITE_DONE ? 0 : store_fail(st, rc);
	sqlite3_finalize(s);
	return status;
}

int store_seq_take(struct store *st, const char *device_id, int64_t device_seq,
                   char dev[STORE_ID_MAX], int64_t *seq, bool *own)
{
	struct store_identity id;
	int status = store_identity_get(st, &id);
	if (status)
		return status;
	if (!device_id || !store_fits(device_id, STORE_ID_MAX))
		return store_failf(st, STORE_E_INVALID, "device id too long");
	*own = !*device_id || strcmp(device_id, id.device_id) == 0;
	if (*own && st->own_past && *device_id)
		*own = false; /* rebuilt from the station like another device's record */
	if (!*own) {
		if (device_seq <= 0)
			return store_failf(st, STORE_E_INVALID, "record of %s without a sequence",
			                   device_id);
		snprintf(dev, STORE_ID_MAX, "%s", device_id);
		*seq = device_seq;
		return 0;
	}
	if (!*id.device_id)
		return store_failf(st, STORE_E_NO_IDENTITY, "this store has no device id yet");
	if (device_seq != 0 && device_seq != id.next_device_seq)
		return store_failf(st, STORE_E_SEQ, "sequence %lld is not the next (%lld)",
		                   (long long)device_seq, (long long)id.next_device_seq);
	sqlite3_stmt *s =
	    store_prepare(st, "UPDATE meta SET next_device_seq = next_device_seq + 1 WHERE id = 1");
	if (!s)
		return STORE_E_SQL;
	int rc = sqlite3_step(s);
	status = rc == SQLITE_DONE ? 0 : store_fail(st, rc);
	sqlite3_finalize(s);
	if (status)
		return status;
	snprintf(dev, STORE_ID_MAX, "%s", id.device_id);
	*seq = id.next_device_seq;
	return 0;
}

/* Make room for element n of the malloc'd array *p of *cap elements of size bytes (doubling,
 * 16 at first). Returns 0 or STORE_E_NOMEM (*p unchanged). */
static int store_grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *q = realloc(*p, ncap * size);
	if (!q)
		return STORE_E_NOMEM;
	*p = q;
	*cap = ncap;
	return 0;
}

int store_read_list(struct store *st, sqlite3_stmt *s, size_t size, store_row_fn *row, void *ctx,
                    void (*drop)(void *elem), void **out, size_t *n)
{
	char *list = NULL;
	size_t count = 0, cap = 0;
	int rc, status = 0;
	*out = NULL;
	*n = 0;
	if (!s)
		return STORE_E_SQL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((status = store_grow((void **)&list, &cap, count, size)))
			goto out_free;
		void *elem = list + count * size;
		memset(elem, 0, size);
		status = row(st, s, elem, ctx);
		if (status == STORE_ROW_SKIP)
			continue;
		count++;
		if (status)
			goto out_free;
	}
	if (rc != SQLITE_DONE) {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
		goto out_free;
	}
	sqlite3_finalize(s);
	*out = list;
	*n = count;
	return 0;
out_free:
	for (size_t i = 0; drop && i < count; i++)
		drop(list + i * size);
	free(list);
	sqlite3_finalize(s);
	return status;
}
