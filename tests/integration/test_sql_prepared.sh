#!/bin/bash
# SQL is only ever prepared statements with bound values (issue 9, Security): no SQL text
# built by string formatting. A scan of the C sources (app/ drivers/ tests/tools/) finds
# every sqlite3_exec / sqlite3_prepare* call and every project function that passes its
# own parameter on to one (a wrapper, found to a fixpoint), and fails when the SQL argument
# of any such call is a buffer written by snprintf/sprintf/strcat/strcpy/memcpy/asprintf or
# a string from sqlite3_mprintf, or when any printf-family format string is SQL with a
# conversion in it. The checker proves itself first on bad and good examples written here.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/tap.sh

cat >"$TMP/sqlscan.py" <<'PY'
import re, sys

SINKS = {"sqlite3_exec": 1, "sqlite3_prepare": 1, "sqlite3_prepare_v2": 1,
         "sqlite3_prepare_v3": 1, "sqlite3_prepare16": 1, "sqlite3_prepare16_v2": 1,
         "sqlite3_prepare16_v3": 1}
# functions that write the buffer given as their first argument
WRITERS = r"(?:v?s(?:n)?printf|strn?cat|strl?cpy|stpn?cpy|memcpy|memmove|sqlite3_v?snprintf)"
SQL_WORDS = r"\b(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|WHERE|VALUES|ATTACH)\b"

def strip(text):
    """Comments and the insides of character literals out; string literals kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1] if c == '"' else "' '")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)

def functions(text):
    """(name, params, body) of every function defined at the top level."""
    for m in re.finditer(r"^[A-Za-z_][^;{}=]*?\b([A-Za-z_]\w*)\s*\(([^;{}]*?)\)\s*\{", text, re.M):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        params = [re.findall(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*$", p.strip()) for p in m.group(2).split(",")]
        yield m.group(1), [p[0] if p else "" for p in params], text[m.end():i - 1], m.end()

def call_args(text, start):
    """Arguments of the call whose '(' is at start, split at top-level commas."""
    depth, i, args, cur = 0, start, [], []
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append("".join(cur).strip())
                return args
        elif c == "," and depth == 1:
            args.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return args

def is_literal(expr):
    return re.fullmatch(r'(?:\s*"(?:[^"\\]|\\.)*"\s*)+', expr) is not None

# Reviewed exceptions: (file, text in the finding, why it is safe). Keep this list short.
ALLOWED = [
    ("app/store/store_report.c", "store_prepare() with SQL 'sql'",
     "stationctl export: the table name is first looked up in sqlite_schema with a bound "
     "parameter, must exist and holds no quote; an identifier cannot be bound"),
    ("app/store/store_report.c", "SQL text in a format string with values: \"SELECT * FROM \\\"%s\\\"",
     "the same statement as above"),
    ("app/sync/station.c", "prepare() with SQL 'sql'",
     "preparef(): puts a table name into {devices} / {rooms}; the names are one of two "
     "literals each, chosen when the station opens (sync_station_open), never a value"),
]

def is_constant(text, body, expr):
    """True when expr is SQL text fixed at compile time: a literal, a const array or
    pointer initialised with one, an element of a static const array of literals, or a
    member of an element of a static const table (whose members are literals)."""
    expr = expr.strip()
    if is_literal(expr):
        return True
    m = re.fullmatch(r"([A-Za-z_]\w*)(\s*\[[^\]]*\])?(\s*(?:\.|->)\s*\w+)?", expr)
    if not m:
        return False
    name, index, member = m.group(1), m.group(2), m.group(3)
    n = re.escape(name)
    if not index and not member:
        return re.search(r"\bconst\s+char\s+(?:\*\s*const\s+)?%s\s*(?:\[\s*\])?\s*=\s*\"" % n,
                         body + text) is not None
    if index and not member:
        return re.search(r"\bstatic\s+const\s+char\s*\*\s*const\s+%s\s*\[" % n, text) is not None
    decl = re.search(r"\bstatic\s+const\s+struct\s*\w*\s*\{([^{}]*)\}\s*%s\s*\[[^\]]*\]\s*=\s*\{" % n, text)
    if not decl:
        return False
    field = member.lstrip(" .->")
    # the member is a const char * of the table, and the table holds only literals and
    # nested braces (no variables)
    if not re.search(r"const\s+char\s*\*\s*%s\s*;" % re.escape(field), decl.group(1)):
        return False
    depth, i = 1, decl.end()
    while i < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    init = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text[decl.end():i - 1])
    return re.fullmatch(r'[\s{}",]*(?:(?:""|NULL|\.\w+\s*=|[\s{}",]|\d+|true|false)[\s{}",]*)*', init) is not None

def constant_parts(text, body, fn, args):
    """The call fn(args) writing a buffer uses only compile-time SQL text."""
    if fn in ("sprintf", "vsprintf", "strcpy", "stpcpy", "strcat", "strlcpy"):
        parts = args[1:2] if fn != "sprintf" else args[1:]
    elif fn in ("snprintf", "strncat", "stpncpy", "memcpy", "memmove"):
        parts = args[2:] if fn == "snprintf" else args[1:2]
    elif fn == "sqlite3_snprintf":
        parts = args[2:]
    elif fn in ("printf", "sqlite3_mprintf", "asprintf"):
        parts = args[1:] if fn == "asprintf" else args
    else:
        return False  # vsnprintf and the like: values from a va_list
    if fn in ("printf", "sqlite3_mprintf"):
        parts = parts[1:]
    elif fn in ("snprintf", "sprintf", "sqlite3_snprintf", "asprintf"):
        if not parts or not is_literal(parts[0]):
            return False
        parts = parts[1:]
    return all(is_constant(text, body, a) for a in parts)

def main(paths):
    files = {}
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as f:
            files[p] = strip(f.read())
    funcs = [(p,) + fn for p, t in files.items() for fn in functions(t)]
    sinks = dict(SINKS)
    problems, rejected = [], []
    changed = True
    while changed:  # wrappers: a function handing its parameter to a sink is a sink
        changed = False
        for path, name, params, body, _ in funcs:
            for sink, idx in list(sinks.items()):
                for m in re.finditer(r"\b%s\s*\(" % re.escape(sink), body):
                    args = call_args(body, m.end() - 1)
                    if idx < len(args) and args[idx] in params and name not in sinks:
                        sinks[name] = params.index(args[idx])
                        changed = True
    for path, name, params, body, pos in funcs:
        for sink, idx in sinks.items():
            for m in re.finditer(r"(?<![\w.>])%s\s*\(" % re.escape(sink), body):
                args = call_args(body, m.end() - 1)
                if idx >= len(args) or is_literal(args[idx]):
                    continue
                expr = args[idx]
                base = re.match(r"\s*\(?\s*(?:const\s+char\s*\*\s*\)\s*)?([A-Za-z_]\w*)", expr)
                where = "%s:%d" % (path, files[path].count("\n", 0, pos + m.start()) + 1)
                if re.search(r"\b(?:sqlite3_v?mprintf|sqlite3_str_\w+|json_dumps)\s*\(", expr):
                    problems.append("%s: %s() of SQL built in place: %s" % (where, sink, expr))
                    continue
                if not base:
                    continue
                var = base.group(1)
                if var in params:
                    continue  # the callers are checked (this function is a sink)
                v = re.escape(var)
                if re.search(r"\b%s\s*=\s*(?:sqlite3_v?mprintf|sqlite3_str_finish|strdup|json_dumps)\s*\(" % v, body) or \
                   re.search(r"\basprintf\s*\(\s*&\s*%s\b" % v, body):
                    problems.append("%s: %s() with SQL '%s' built by string formatting" % (where, sink, var))
                    continue
                for w in re.finditer(r"\b(%s)\s*\(\s*&?\s*%s\b" % (WRITERS, v), body):
                    wargs = call_args(body, w.end(1))
                    if not constant_parts(files[path], body, w.group(1), wargs):
                        problems.append("%s: %s() with SQL '%s' built by string formatting" % (where, sink, var))
                        break
    for path, text in files.items():
        for m in re.finditer(r"\b(v?s?n?printf|v?asprintf|sqlite3_v?mprintf|sqlite3_snprintf|sqlite3_str_v?appendf)\s*\(", text):
            args = call_args(text, m.end() - 1)
            fmt = next((a for a in args if a.startswith('"')), "")
            if re.search(SQL_WORDS, fmt) and re.search(r"%[-+ #0-9.*]*(?:l|ll|z|j|h|hh)?[sdiuxXqQwc]", fmt) \
               and not constant_parts(text, text, m.group(1), args):
                problems.append("%s:%d: SQL text in a format string with values: %s" % (
                    path, text.count("\n", 0, m.start()) + 1, fmt[:80]))
    allowed = []
    for p in problems:
        why = next((a[2] for a in ALLOWED if p.startswith(a[0]) and a[1] in p), None)
        (allowed if why else rejected).append(p + ("  [allowed: %s]" % why if why else ""))
    for p in allowed:
        sys.stderr.write(p + "\n")
    for p in rejected:
        print(p)
    sys.stderr.write("%d files, %d SQL entry points (%s)\n" % (
        len(files), len(sinks), ", ".join(sorted(set(sinks) - set(SINKS)))))
    return 1 if rejected else 0

sys.exit(main(sys.argv[1:]))
PY

scan() {
	python3 "$TMP/sqlscan.py" "$@" >"$TMP/scan.out" 2>"$TMP/scan.err"
}
found() { # the last scan failed and named $1
	grep -q "$1" "$TMP/scan.out"
}

# The checker must catch these (a temporary bad example, never compiled).
cat >"$TMP/bad.c" <<'C'
static int find(sqlite3 *db, const char *name)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT id FROM arrivals WHERE name = '%s'", name);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}
static int run(sqlite3 *db, const char *q)
{
	sqlite3_stmt *s;
	return sqlite3_prepare_v2(db, q, -1, &s, NULL);
}
static int drop_room(sqlite3 *db, const char *room)
{
	char q[128] = "DELETE FROM rooms WHERE room = ";
	strcat(q, room);
	return run(db, q);
}
static int by_id(sqlite3 *db, long id)
{
	char *q = sqlite3_mprintf("UPDATE wristbands SET state = 'void' WHERE id = %ld", id);
	sqlite3_stmt *s;
	return sqlite3_prepare_v3(db, q, -1, 0, &s, NULL);
}
C
scan "$TMP/bad.c"
ok_if "the checker fails on SQL built by snprintf" found "bad.c:5: sqlite3_exec() with SQL 'sql'"
ok_if "the checker fails on SQL built by strcat through a wrapper" found "bad.c:16: run() with SQL 'q'"
ok_if "the checker fails on a format string of SQL" found "bad.c:20: SQL text in a format string with values"
ok_if "the checker fails on SQL from sqlite3_mprintf" found "bad.c:22: sqlite3_prepare_v3() with SQL 'q'"

# ... and pass these: literals, bound values, wrappers called with literals, plain text
# formatting that is not SQL.
cat >"$TMP/good.c" <<'C'
static int run(sqlite3 *db, const char *q, sqlite3_stmt **s)
{
	return sqlite3_prepare_v2(db, q, -1, s, NULL);
}
static int find(sqlite3 *db, const char *name, char *msg, size_t n)
{
	sqlite3_stmt *s;
	const char *sql = "SELECT id FROM arrivals WHERE name = ?1";
	snprintf(msg, n, "looking up %s", "someone");
	if (run(db, "SELECT 1 FROM rooms WHERE room = ?1 " "AND state = 'free'", &s))
		return -1;
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	return sqlite3_prepare_v2(db, sql, -1, &s, NULL) || sqlite3_bind_text(s, 1, name, -1, NULL);
}
C
scan "$TMP/good.c"
ok_if "the checker passes prepared statements with bound values" test "$(cat "$TMP/scan.out")" = ""

mapfile -t sources < <(find app drivers tests/tools -name '*.c' | sort)
scan "${sources[@]}"
rc=$?
sed 's/^/# /' "$TMP/scan.out" "$TMP/scan.err"
ok_if "no SQL built by string formatting in ${#sources[@]} source files" test "$rc" -eq 0
ok_if "the scan saw the store's SQL wrappers" grep -q "SQL entry points ([^)]*[a-z]" "$TMP/scan.err"
finish
