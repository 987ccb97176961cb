/* app/store/store_trust.c: what the station trusts: health-code issuer keys, revoked
 * credentials, enrolled devices and staff badges. Typed insert, get, list and revoke. */
#include "app/store/store_internal.h"

#include "app/core/pinhash.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int step_done(struct store *st, sqlite3_stmt *s)
{
	if (!s)
		return STORE_E_SQL;
	int status =
	    sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

static void bind_time_or_null(sqlite3_stmt *s, int i, int64_t t)
{
	if (t)
		sqlite3_bind_int64(s, i, t);
	else
		sqlite3_bind_null(s, i);
}

/* Revoke by key: UPDATE ... SET revoked_at = ?2 WHERE key = ?1 AND revoked_at IS NULL. */
static int revoke(struct store *st, const char *sql, const char *key, int64_t at)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, key, false);
	sqlite3_bind_int64(s, 2, at);
	int status = 0;
	if (sqlite3_step(s) != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	else if (sqlite3_changes(st->db) == 0)
		status = store_failf(st, STORE_E_NOT_FOUND, "nothing in force under %s", key);
	sqlite3_finalize(s);
	return status;
}

int store_issuer_key_add(struct store *st, const struct issuer_key *k)
{
	if (!store_fits(k->kid, sizeof(k->kid)) || !*k->kid ||
	    !store_fits(k->issuer, sizeof(k->issuer)) || !store_fits(k->alg, sizeof(k->alg)) ||
	    !*k->alg || !store_fits(k->public_key, sizeof(k->public_key)) || !*k->public_key)
		return store_failf(st, STORE_E_INVALID, "issuer key field missing or too long");
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO issuer_keys (kid, issuer, alg, "
	                                    "public_key, demo, added_at, revoked_at) VALUES (?1, "
	                                    "?2, ?3, ?4, ?5, ?6, ?7)");
	if (s) {
		store_bind_text(s, 1, k->kid, false);
		store_bind_text(s, 2, k->issuer, false);
		store_bind_text(s, 3, k->alg, false);
		store_bind_text(s, 4, k->public_key, false);
		sqlite3_bind_int(s, 5, k->demo);
		sqlite3_bind_int64(s, 6, k->added_at);
		bind_time_or_null(s, 7, k->revoked_at);
	}
	return step_done(st, s);
}

int store_issuer_keys_add_all(struct store *st, const struct issuer_key *keys, size_t n)
{
	int status = store_begin(st);
	if (status != 0)
		return status;
	for (size_t i = 0; i < n; i++) {
		status = store_issuer_key_add(st, &keys[i]);
		if (status != 0) {
			store_rollback(st);
			return status;
		}
	}
	return store_commit(st);
}

static int key_from_row(sqlite3_stmt *s, struct issuer_key *k)
{
	memset(k, 0, sizeof(*k));
	int bad = store_column_text(s, 0, k->kid, sizeof(k->kid)) |
	          store_column_text(s, 1, k->issuer, sizeof(k->issuer)) |
	          store_column_text(s, 2, k->alg, sizeof(k->alg)) |
	          store_column_text(s, 3, k->public_key, sizeof(k->public_key));
	k->demo = sqlite3_column_int(s, 4) != 0;
	k->added_at = sqlite3_column_int64(s, 5);
	k->revoked_at = sqlite3_column_int64(s, 6);
	return bad ? STORE_E_INVALID : 0;
}

#define KEY_SELECT                                                                                 \
	"SELECT kid, issuer, alg, public_key, demo, added_at, revoked_at FROM issuer_keys "

int store_issuer_key_get(struct store *st, const char *kid, struct issuer_key *out)
{
	sqlite3_stmt *s = store_prepare(st, KEY_SELECT "WHERE kid = ?1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, kid, false);
	int rc = sqlite3_step(s), status;
	if (rc == SQLITE_ROW)
		status = key_from_row(s, out);
	else if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "no issuer key %s", kid);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_issuer_key_revoke(struct store *st, const char *kid, int64_t at)
{
	return revoke(st,
	              "UPDATE issuer_keys SET revoked_at = ?2 WHERE kid = ?1 AND "
	              "revoked_at IS NULL",
	              kid, at);
}

static int key_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	(void)st, (void)ctx;
	return key_from_row(s, elem);
}

int store_issuer_keys_list(struct store *st, struct issuer_key **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, KEY_SELECT "ORDER BY kid");
	return store_read_list(st, s, sizeof(**out), key_row, NULL, NULL, (void **)out, n);
}

int store_revocation_add(struct store *st, const char *issuer, const char *credential_id,
                         int64_t at, const char *reason)
{
	if (!issuer || !credential_id || !*credential_id || !store_fits(issuer, STORE_ID_MAX) ||
	    !store_fits(credential_id, STORE_TEXT_MAX) ||
	    (reason && !store_fits(reason, STORE_TEXT_MAX)))
		return store_failf(st, STORE_E_INVALID, "revocation field missing or too long");
	sqlite3_stmt *s = store_prepare(
	    st, "INSERT INTO revocations (issuer, credential_id, revoked_at, reason) VALUES (?1, "
	        "?2, ?3, ?4) ON CONFLICT (issuer, credential_id) DO NOTHING");
	if (s) {
		store_bind_text(s, 1, issuer, false);
		store_bind_text(s, 2, credential_id, false);
		sqlite3_bind_int64(s, 3, at);
		store_bind_text(s, 4, reason ? reason : "", false);
	}
	return step_done(st, s);
}

int store_revocation_has(struct store *st, const char *issuer, const char *credential_id,
                         bool *revoked)
{
	sqlite3_stmt *s =
	    store_prepare(st, "SELECT 1 FROM revocations WHERE issuer = ?1 AND credential_id = ?2");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, issuer, false);
	store_bind_text(s, 2, credential_id, false);
	int rc = sqlite3_step(s), status = 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	*revoked = rc == SQLITE_ROW;
	sqlite3_finalize(s);
	return status;
}

int store_revocations_add_all(struct store *st, const struct revocation_record *rows, size_t n)
{
	int status = store_begin(st);
	if (status != 0)
		return status;
	for (size_t i = 0; i < n; i++) {
		status = store_revocation_add(st, rows[i].issuer, rows[i].credential_id,
		                              rows[i].revoked_at, rows[i].reason);
		if (status != 0) {
			store_rollback(st);
			return status;
		}
	}
	return store_commit(st);
}

static int revocation_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	struct revocation_record *r = elem;
	(void)ctx;
	r->revoked_at = sqlite3_column_int64(s, 2);
	if (store_column_text(s, 0, r->issuer, sizeof(r->issuer)) |
	    store_column_text(s, 1, r->credential_id, sizeof(r->credential_id)) |
	    store_column_text(s, 3, r->reason, sizeof(r->reason)))
		return store_failf(st, STORE_E_INVALID, "revocation row too long");
	return 0;
}

int store_revocations_list(struct store *st, const char *prefix, struct revocation_record **out,
                           size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT issuer, credential_id, revoked_at, reason FROM "
	                                    "revocations WHERE substr(credential_id, 1, "
	                                    "length(?1)) = ?1 ORDER BY issuer, credential_id");
	if (s)
		store_bind_text(s, 1, prefix ? prefix : "", false);
	return store_read_list(st, s, sizeof(**out), revocation_row, NULL, NULL, (void **)out, n);
}

int store_device_add(struct store *st, const struct device_record *d)
{
	if (!store_fits(d->id, sizeof(d->id)) || !*d->id || !store_fits(d->name, sizeof(d->name)) ||
	    !store_fits(d->role, sizeof(d->role)) ||
	    !store_fits(d->credential_hash, sizeof(d->credential_hash)))
		return store_failf(st, STORE_E_INVALID, "device field missing or too long");
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO devices (id, name, role, credential_hash, "
	                                    "added_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, "
	                                    "?6)");
	if (s) {
		store_bind_text(s, 1, d->id, false);
		store_bind_text(s, 2, d->name, false);
		store_bind_text(s, 3, d->role, false);
		store_bind_text(s, 4, d->credential_hash, false);
		sqlite3_bind_int64(s, 5, d->added_at);
		bind_time_or_null(s, 6, d->revoked_at);
	}
	return step_done(st, s);
}

#define DEVICE_SELECT "SELECT id, name, role, credential_hash, added_at, revoked_at FROM devices "

static int device_from_row(sqlite3_stmt *s, struct device_record *d)
{
	memset(d, 0, sizeof(*d));
	int bad = store_column_text(s, 0, d->id, sizeof(d->id)) |
	          store_column_text(s, 1, d->name, sizeof(d->name)) |
	          store_column_text(s, 2, d->role, sizeof(d->role)) |
	          store_column_text(s, 3, d->credential_hash, sizeof(d->credential_hash));
	d->added_at = sqlite3_column_int64(s, 4);
	d->revoked_at = sqlite3_column_int64(s, 5);
	return bad ? STORE_E_INVALID : 0;
}

int store_device_get(struct store *st, const char *id, struct device_record *out)
{
	sqlite3_stmt *s = store_prepare(st, DEVICE_SELECT "WHERE id = ?1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, id, false);
	int rc = sqlite3_step(s), status;
	if (rc == SQLITE_ROW)
		status = device_from_row(s, out);
	else if (rc == SQLITE_DONE)
		status = store_failf(st, STORE_E_NOT_FOUND, "no device %s", id);
	else
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	sqlite3_finalize(s);
	return status;
}

int store_device_revoke(struct store *st, const char *id, int64_t at)
{
	return revoke(st, "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
	              id, at);
}

static int device_row(struct store *st, sqlite3_stmt *s, void *elem, void *ctx)
{
	(void)st, (void)ctx;
	return device_from_row(s, elem);
}

int store_devices_list(struct store *st, struct device_record **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, DEVICE_SELECT "ORDER BY id");
	return store_read_list(st, s, sizeof(**out), device_row, NULL, NULL, (void **)out, n);
}

int store_badge_add(struct store *st, const struct badge_record *b)
{
	if (!store_fits(b->badge_id, sizeof(b->badge_id)) || !*b->badge_id ||
	    !store_fits(b->role, sizeof(b->role)) ||
	    !store_fits(b->pin_hash, sizeof(b->pin_hash)) || !*b->pin_hash)
		return store_failf(st, STORE_E_INVALID, "badge field missing or too long");
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO badges (badge_id, role, pin_hash, "
	                                    "added_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (s) {
		store_bind_text(s, 1, b->badge_id, false);
		store_bind_text(s, 2, b->role, false);
		store_bind_text(s, 3, b->pin_hash, false);
		sqlite3_bind_int64(s, 4, b->added_at);
		bind_time_or_null(s, 5, b->revoked_at);
	}
	return step_done(st, s);
}

int store_badge_get(struct store *st, const char *badge_id, struct badge_record *out)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT badge_id, role, pin_hash, added_at, revoked_at "
	                                    "FROM badges WHERE badge_id = ?1");
	if (!s)
		return STORE_E_SQL;
	store_bind_text(s, 1, badge_id, false);
	int rc = sqlite3_step(s), status = 0;
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		status = store_column_text(s, 0, out->badge_id, sizeof(out->badge_id)) |
		         store_column_text(s, 1, out->role, sizeof(out->role)) |
		         store_column_text(s, 2, out->pin_hash, sizeof(out->pin_hash));
		status = status ? STORE_E_INVALID : 0;
		out->added_at = sqlite3_column_int64(s, 3);
		out->revoked_at = sqlite3_column_int64(s, 4);
	} else if (rc == SQLITE_DONE) {
		status = store_failf(st, STORE_E_NOT_FOUND, "no badge %s", badge_id);
	} else {
		status = store_fail(st, sqlite3_extended_errcode(st->db));
	}
	sqlite3_finalize(s);
	return status;
}

int store_badge_add_pin(struct store *st, const char *badge_id, const char *role, const char *pin,
                        int64_t now)
{
	struct badge_record b;
	uint8_t salt[PINHASH_SALT_SIZE];
	memset(&b, 0, sizeof(b));
	if (!badge_id || !role || !store_fits(badge_id, sizeof(b.badge_id)) ||
	    !store_fits(role, sizeof(b.role)) || !pinhash_pin_valid(pin))
		return store_failf(st, STORE_E_INVALID, "badge id, role or PIN not valid");
	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return store_failf(st, STORE_E_IO, "no random salt");
	snprintf(b.badge_id, sizeof(b.badge_id), "%s", badge_id);
	snprintf(b.role, sizeof(b.role), "%s", role);
	b.added_at = now;
	int rc = pinhash_make(pin, salt, sizeof(salt), PINHASH_ITERATIONS, b.pin_hash,
	                      sizeof(b.pin_hash));
	if (rc)
		return store_failf(st, STORE_E_INVALID, "cannot hash the PIN");
	rc = store_badge_add(st, &b);
	if (rc == STORE_E_SQL && sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = store_failf(st, STORE_E_EXISTS, "badge %s exists", badge_id);
	OPENSSL_cleanse(&b, sizeof(b));
	return rc;
}

int store_badge_check_pin(struct store *st, const char *badge_id, const char *pin, bool *ok)
{
	/* An unknown or revoked badge costs the same hash as a known one: no timing oracle. */
	static const char dummy[] = "pbkdf2-sha256$200000$AAAAAAAAAAAAAAAAAAAAAA$"
	                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	struct badge_record b;
	*ok = false;
	int rc = store_badge_get(st, badge_id ? badge_id : "", &b);
	if (rc && rc != STORE_E_NOT_FOUND)
		return rc;
	bool known = rc == 0 && b.revoked_at == 0;
	bool match = pinhash_check(pin, known ? b.pin_hash : dummy);
	*ok = known && match;
	OPENSSL_cleanse(&b, sizeof(b));
	return 0;
}
