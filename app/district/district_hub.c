/* app/district/district_hub.c: the hub schema in PostgreSQL, its migrations (schema_version
 * under an advisory lock) and the roles: one login role per station confined by row-level
 * security, reader roles for the command centres. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/district/district.h"
#include "app/district/district_internal.h"

/* Ordered steps; a shipped step is never edited: add one and raise DISTRICT_SCHEMA_VERSION.
 */
static const struct {
	int version;
	const char *sql;
} migrations[] = {
    {1, "DO $$ BEGIN\n"
        "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hub_station') THEN\n"
        "    CREATE ROLE hub_station NOLOGIN;\n"
        "  END IF;\n"
        "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hub_district') THEN\n"
        "    CREATE ROLE hub_district NOLOGIN;\n"
        "  END IF;\n"
        "END $$;\n"
        "CREATE TABLE hub.stations (\n"
        "  station_id text PRIMARY KEY CHECK (station_id ~ '^[A-Za-z0-9_-]{1,63}$'),\n"
        "  role_name name NOT NULL UNIQUE,\n"
        "  added_at timestamptz NOT NULL DEFAULT now()\n"
        ");\n"
        "CREATE TABLE hub.records (\n"
        "  station_id text NOT NULL REFERENCES hub.stations,\n"
        "  device_id text NOT NULL,\n"
        "  device_seq bigint NOT NULL CHECK (device_seq >= 1),\n"
        "  kind text NOT NULL,\n"
        "  at bigint NOT NULL,\n"
        "  body jsonb NOT NULL,\n"
        "  status text NOT NULL DEFAULT 'stored' CHECK (status IN ('stored', 'conflict')),\n"
        "  received_at timestamptz NOT NULL DEFAULT now(),\n"
        "  PRIMARY KEY (station_id, device_id, device_seq)\n"
        ");\n"
        "CREATE INDEX records_kind_at ON hub.records (station_id, kind, at);\n"
        "CREATE TABLE hub.rooms (\n"
        "  station_id text NOT NULL REFERENCES hub.stations,\n"
        "  number text NOT NULL,\n"
        "  floor integer NOT NULL,\n"
        "  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 16),\n"
        "  state text NOT NULL CHECK (state IN ('free', 'occupied', 'cleaning', 'blocked')),\n"
        "  occupants integer NOT NULL CHECK (occupants >= 0),\n"
        "  taken_at bigint NOT NULL,\n"
        "  PRIMARY KEY (station_id, number)\n"
        ");\n"
        "ALTER TABLE hub.records ENABLE ROW LEVEL SECURITY;\n"
        "ALTER TABLE hub.records FORCE ROW LEVEL SECURITY;\n"
        "ALTER TABLE hub.rooms ENABLE ROW LEVEL SECURITY;\n"
        "ALTER TABLE hub.rooms FORCE ROW LEVEL SECURITY;\n"
        "CREATE POLICY station_own ON hub.records TO hub_station\n"
        "  USING (station_id = (SELECT s.station_id FROM hub.stations s\n"
        "                       WHERE s.role_name = current_user))\n"
        "  WITH CHECK (station_id = (SELECT s.station_id FROM hub.stations s\n"
        "                            WHERE s.role_name = current_user));\n"
        "CREATE POLICY station_own ON hub.rooms TO hub_station\n"
        "  USING (station_id = (SELECT s.station_id FROM hub.stations s\n"
        "                       WHERE s.role_name = current_user))\n"
        "  WITH CHECK (station_id = (SELECT s.station_id FROM hub.stations s\n"
        "                            WHERE s.role_name = current_user));\n"
        "CREATE POLICY district_read ON hub.records FOR SELECT TO hub_district USING (true);\n"
        "CREATE POLICY district_read ON hub.rooms FOR SELECT TO hub_district USING (true);\n"
        "GRANT USAGE ON SCHEMA hub TO hub_station, hub_district;\n"
        "GRANT SELECT ON hub.stations, hub.schema_version TO hub_station, hub_district;\n"
        "GRANT SELECT, INSERT ON hub.records TO hub_station;\n"
        "GRANT SELECT, INSERT, UPDATE ON hub.rooms TO hub_station;\n"
        "GRANT SELECT ON hub.records, hub.rooms TO hub_district;\n"
        /* roles are added through these functions, so no program builds SQL from names */
        "CREATE FUNCTION hub.station_add(p_station text, p_role text, p_password text)\n"
        "RETURNS void LANGUAGE plpgsql AS $f$\n"
        "BEGIN\n"
        "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN\n"
        "    EXECUTE format('CREATE ROLE %I LOGIN', p_role);\n"
        "  END IF;\n"
        "  IF p_password IS NOT NULL THEN\n"
        "    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_role, p_password);\n"
        "  END IF;\n"
        "  EXECUTE format('GRANT hub_station TO %I', p_role);\n"
        "  INSERT INTO hub.stations (station_id, role_name) VALUES (p_station, p_role)\n"
        "    ON CONFLICT (station_id) DO UPDATE SET role_name = EXCLUDED.role_name;\n"
        "END $f$;\n"
        "CREATE FUNCTION hub.reader_add(p_role text, p_password text)\n"
        "RETURNS void LANGUAGE plpgsql AS $f$\n"
        "BEGIN\n"
        "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN\n"
        "    EXECUTE format('CREATE ROLE %I LOGIN', p_role);\n"
        "  END IF;\n"
        "  IF p_password IS NOT NULL THEN\n"
        "    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_role, p_password);\n"
        "  END IF;\n"
        "  EXECUTE format('GRANT hub_district TO %I', p_role);\n"
        "END $f$;\n"
        "REVOKE ALL ON FUNCTION hub.station_add(text, text, text) FROM PUBLIC;\n"
        "REVOKE ALL ON FUNCTION hub.reader_add(text, text) FROM PUBLIC;\n"},
};

PGconn *district_connect(const char *conninfo, char *err, size_t errlen)
{
	/* expand_dbname: conninfo is a full connection string; the later keys are defaults it
	 * may override */
	const char *keys[] = {"connect_timeout",
	                      "keepalives",
	                      "keepalives_idle",
	                      "keepalives_interval",
	                      "keepalives_count",
	                      "dbname",
	                      NULL};
	const char *vals[] = {"10", "1", "30", "10", "3", conninfo, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to the hub: %s", PQerrorMessage(c));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(c);
		return NULL;
	}
	char e2[8];
	if (district_exec(c, "SET client_min_messages = warning; SET statement_timeout = '60s'", e2,
	                  sizeof(e2))) {
		snprintf(err, errlen, "cannot set up the hub session: %s", PQerrorMessage(c));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(c);
		return NULL;
	}
	return c;
}

int district_sql_fail(PGconn *c, PGresult *res, const char *what, char *err, size_t errlen)
{
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!msg || !*msg)
		msg = PQerrorMessage(c);
	snprintf(err, errlen, "%s: %s", what, msg);
	err[strcspn(err, "\n")] = '\0';
	return PQstatus(c) == CONNECTION_OK ? DISTRICT_E_SQL : DISTRICT_E_CONNECT;
}

int district_exec(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	int status = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		status = district_sql_fail(c, r, "statement failed", err, errlen);
	PQclear(r);
	return status;
}

/* The version in place (0 for none) inside the caller's transaction. */
static int schema_version_read(PGconn *c, int *version, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, "SELECT coalesce(max(version), 0) FROM hub.schema_version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		int status = district_sql_fail(c, r, "reading schema_version", err, errlen);
		PQclear(r);
		return status;
	}
	*version = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

int district_migrate(const char *conninfo, int *version, char *err, size_t errlen)
{
	PGconn *c = district_connect(conninfo, err, errlen);
	if (!c)
		return DISTRICT_E_CONNECT;
	int status, have = 0;
	/* the advisory lock serialises migrators; the schema and its version table are
	 * created idempotently first */
	status = district_exec(c,
	                       "BEGIN; SELECT pg_advisory_xact_lock(4847); "
	                       "CREATE SCHEMA IF NOT EXISTS hub; "
	                       "CREATE TABLE IF NOT EXISTS hub.schema_version ("
	                       "  version integer PRIMARY KEY,"
	                       "  applied_at timestamptz NOT NULL DEFAULT now()); COMMIT",
	                       err, errlen);
	if (status)
		goto out_close;
	for (size_t i = 0; i < sizeof(migrations) / sizeof(migrations[0]); i++) {
		status = district_exec(c, "BEGIN; SELECT pg_advisory_xact_lock(4847)", err, errlen);
		if (status)
			goto out_close;
		status = schema_version_read(c, &have, err, errlen);
		if (status)
			goto out_rollback;
		if (have > DISTRICT_SCHEMA_VERSION) {
			snprintf(err, errlen, "hub schema version %d is newer than this build (%d)",
			         have, DISTRICT_SCHEMA_VERSION);
			status = DISTRICT_E_TOO_NEW;
			goto out_rollback;
		}
		if (have >= migrations[i].version) {
			district_exec(c, "ROLLBACK", err, errlen);
			continue;
		}
		status = district_exec(c, migrations[i].sql, err, errlen);
		if (status)
			goto out_rollback;
		char v[16];
		snprintf(v, sizeof(v), "%d", migrations[i].version);
		const char *params[] = {v};
		PGresult *r =
		    PQexecParams(c, "INSERT INTO hub.schema_version (version) VALUES ($1)", 1, NULL,
		                 params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			status = district_sql_fail(c, r, "recording the version", err, errlen);
			PQclear(r);
			goto out_rollback;
		}
		PQclear(r);
		status = district_exec(c, "COMMIT", err, errlen);
		if (status)
			goto out_close;
		have = migrations[i].version;
	}
	if (have == 0)
		status = district_exec(c, "SELECT 1", err, errlen);
	if (version) {
		status = schema_version_read(c, &have, err, errlen);
		*version = have;
	}
	goto out_close;
out_rollback : {
	char e2[8];
	district_exec(c, "ROLLBACK", e2, sizeof(e2));
}
out_close:
	PQfinish(c);
	return status;
}

/* Call a hub.*_add function with up to three text parameters (NULL passes SQL NULL). */
static int call_add(const char *conninfo, const char *sql, int n, const char *const *params,
                    char *err, size_t errlen)
{
	PGconn *c = district_connect(conninfo, err, errlen);
	if (!c)
		return DISTRICT_E_CONNECT;
	int status = 0;
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		status = district_sql_fail(c, r, "adding the role", err, errlen);
	PQclear(r);
	PQfinish(c);
	return status;
}

static bool id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n >= DISTRICT_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

int district_station_add(const char *conninfo, const char *station_id, const char *role,
                         const char *password, char *err, size_t errlen)
{
	if (!id_valid(station_id) || !id_valid(role)) {
		snprintf(err, errlen, "station id and role must be [A-Za-z0-9_-]{1,63}");
		return DISTRICT_E_INVALID;
	}
	const char *params[] = {station_id, role, password};
	return call_add(conninfo, "SELECT hub.station_add($1, $2, $3)", 3, params, err, errlen);
}

int district_reader_add(const char *conninfo, const char *role, const char *password, char *err,
                        size_t errlen)
{
	if (!id_valid(role)) {
		snprintf(err, errlen, "role must be [A-Za-z0-9_-]{1,63}");
		return DISTRICT_E_INVALID;
	}
	const char *params[] = {role, password};
	return call_add(conninfo, "SELECT hub.reader_add($1, $2)", 2, params, err, errlen);
}
