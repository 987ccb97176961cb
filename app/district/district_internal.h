/* app/district/district_internal.h: what the district files share: connecting and error
 * text. Not for programs. */
#ifndef HK_DISTRICT_INTERNAL_H
#define HK_DISTRICT_INTERNAL_H

#include <libpq-fe.h>
#include <stddef.h>

/* Connect with a 10 s connect timeout and TCP keepalives, client messages quiet, a 60 s
 * statement timeout. NULL with err filled (never the password). */
PGconn *district_connect(const char *conninfo, char *err, size_t errlen);
/* err = what + the server's message for res (or the connection's); always returns
 * DISTRICT_E_SQL, or DISTRICT_E_CONNECT when the connection is gone. */
int district_sql_fail(PGconn *c, PGresult *res, const char *what, char *err, size_t errlen);
/* Run one statement without parameters and results; 0 or district_sql_fail's status. */
int district_exec(PGconn *c, const char *sql, char *err, size_t errlen);

#endif
