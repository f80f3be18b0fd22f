# Helpers for the JSON API scenario tests (tests/cli/test_api_*.sh): a real
# `motcua serve` on 127.0.0.1 with a temporary SQLite database, driven with
# curl, answers checked with python3. Source it after lib.sh:
#   . "$TOP/tests/cli/lib.sh"; . "$TOP/tests/cli/api_lib.sh"
# Provides:
#   api_init                migrates the database and imports $TOP/data
#   api_import_not_online CODE
#                           imports a copy of $TOP/data with procedure CODE at online=none
#   api_start               starts the server and waits for /healthz; the server gets
#                           SIGTERM when the test exits
#   api_stop                stops it (SIGTERM) and sets $rc to its exit status
#   user_add NAME ROLE UNIT adds a staff user (password $PW; UNIT may be "")
#   login NAME [PASSWORD]   logs in (default $PW); prints the bearer token
#   call METHOD PATH [BODY] [CURL ARGS...]
#                           one request; sets $status (HTTP status), $out (body) and
#                           $hdrs (response headers); BODY (any third argument not
#                           starting with '-') is sent as application/json
#   as TOKEN METHOD PATH [BODY] [CURL ARGS...]    the same with Authorization: Bearer
#   jget 'EXPR'             a Python expression on the JSON in $out (parsed as j)
#   sql 'SELECT ...'        the first column of the first row (python's sqlite3, or psql)
#   db_counts               a fingerprint of the dossier tables (row counts, versions)
# With MOTCUA_TEST_DATABASE=postgresql://... the server runs on a fresh schema of
# that PostgreSQL database instead of a temporary SQLite file.
: "${_tmp:?source lib.sh first}"

# The engine: a fresh schema of the PostgreSQL database MOTCUA_TEST_DATABASE names
# (made and dropped with psql), or a temporary SQLite file when it is not set.
_pgbase=${MOTCUA_TEST_DATABASE:-}
_schema=""
case "$_pgbase" in
postgres*)
	ENGINE=postgresql
	_schema="api_$$"
	psql -X -q -v ON_ERROR_STOP=1 "$_pgbase" -c "CREATE SCHEMA $_schema" >/dev/null || { echo "Bail out! cannot create schema"; exit 1; }
	case "$_pgbase" in *'?'*) _sep='&' ;; *) _sep='?' ;; esac
	MOTCUA_DATABASE="$_pgbase${_sep}options=-c%20search_path%3D$_schema"
	;;
*)
	ENGINE=sqlite
	DB="$_tmp/api.db"
	MOTCUA_DATABASE="sqlite:$DB"
	;;
esac
export MOTCUA_DATABASE
export MOTCUA_PASSWORD_OPSLIMIT=1 MOTCUA_PASSWORD_MEMLIMIT_KIB=8
export MOTCUA_THREADS=4
_pid=""

_api_cleanup() {
	if [ -n "$_pid" ] && kill -0 "$_pid" 2>/dev/null; then
		kill -TERM "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
	fi
	if [ -n "$_schema" ]; then
		psql -X -q "$_pgbase" -c "DROP SCHEMA IF EXISTS $_schema CASCADE" >/dev/null 2>&1
	fi
	rm -rf "$_tmp"
}
trap _api_cleanup EXIT

_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

PW="Mot-cua-2025-secret"

api_init() {
	cd "$_tmp" || exit 1
	"$MOTCUA" db migrate >"$_tmp/setup.log" 2>&1 || { echo "Bail out! db migrate failed"; cat "$_tmp/setup.log"; exit 1; }
	"$MOTCUA" import --data "$TOP/data" >>"$_tmp/setup.log" 2>&1 || { echo "Bail out! import failed"; cat "$_tmp/setup.log"; exit 1; }
}

# Imports a copy of the reference data in which procedure $1 is not available
# online (online=none), after api_init.
api_import_not_online() {
	mkdir -p "$_tmp/data2"
	cp -R "$TOP/data/." "$_tmp/data2/"
	python3 - "$_tmp/data2/procedures.csv" "$1" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
for r in rows:
    if r["code"] == sys.argv[2]:
        r["online"] = "none"
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=rows[0].keys())
    w.writeheader()
    w.writerows(rows)
EOF
	"$MOTCUA" import --data "$_tmp/data2" >>"$_tmp/setup.log" 2>&1 || { echo "Bail out! import failed"; exit 1; }
}

api_start() {
	cd "$_tmp" || exit 1
	PORT=$(_free_port)
	BASE="http://127.0.0.1:$PORT"
	MOTCUA_LISTEN=127.0.0.1:$PORT "$MOTCUA" serve >"$_tmp/serve.out" 2>"$_tmp/serve.err" &
	_pid=$!
	_i=0
	while [ $_i -lt 200 ]; do
		if [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ]; then
			return 0
		fi
		kill -0 "$_pid" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "Bail out! the server did not start"
	cat "$_tmp/serve.err"
	exit 1
}

api_stop() {
	kill -TERM "$_pid"
	_i=0
	while [ $_i -lt 200 ] && kill -0 "$_pid" 2>/dev/null; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -0 "$_pid" 2>/dev/null && kill -KILL "$_pid"
	wait "$_pid"
	rc=$?
	_pid=""
}

user_add() {
	if [ -n "$3" ]; then
		"$MOTCUA" user add "$1" --role "$2" --unit "$3" --name "Cán bộ $1" --password "$PW" >>"$_tmp/setup.log" 2>&1
	else
		"$MOTCUA" user add "$1" --role "$2" --name "Cán bộ $1" --password "$PW" >>"$_tmp/setup.log" 2>&1
	fi || { echo "Bail out! user add $1 failed"; tail -3 "$_tmp/setup.log"; exit 1; }
}

call() {
	_m=$1
	_p=$2
	shift 2
	if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
		_b=$1
		shift
		printf '%s' "$_b" >"$_tmp/body"
		curl -s -m 30 -X "$_m" -o "$_tmp/resp" -D "$_tmp/hdrs" -w '%{http_code}' \
			-H 'Content-Type: application/json' --data-binary @"$_tmp/body" "$@" "$BASE$_p" >"$_tmp/status"
	else
		curl -s -m 30 -X "$_m" -o "$_tmp/resp" -D "$_tmp/hdrs" -w '%{http_code}' "$@" "$BASE$_p" >"$_tmp/status"
	fi
	status=$(cat "$_tmp/status")
	out=$(cat "$_tmp/resp")
	hdrs=$(tr -d '\r' <"$_tmp/hdrs")
}

as() {
	_t=$1
	_m=$2
	_p=$3
	shift 3
	if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
		_b=$1
		shift
		call "$_m" "$_p" "$_b" -H "Authorization: Bearer $_t" "$@"
	else
		call "$_m" "$_p" -H "Authorization: Bearer $_t" "$@"
	fi
}

login() {
	_pw=${2:-$PW}
	_body=$(python3 -c 'import json,sys; print(json.dumps({"username":sys.argv[1],"password":sys.argv[2]}))' "$1" "$_pw")
	call POST /api/v1/sessions "$_body"
	if [ "$status" != 201 ]; then
		echo "# login $1 failed: $status $out" >&2
		return 1
	fi
	jget 'j["token"]'
}

jget() {
	printf '%s' "$out" | python3 -c "import json,sys; j=json.load(sys.stdin); v=($1); print(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)" 2>/dev/null
}

# code_is STATUS CODE: the last answer had this HTTP status and error code
code_is() {
	[ "$status" = "$1" ] && [ "$(jget 'j["code"]')" = "$2" ]
}

sql() {
	if [ "$ENGINE" = postgresql ]; then
		psql -X -q -t -A -v ON_ERROR_STOP=1 "$MOTCUA_DATABASE" -c "$1" | head -n 1
	else
		python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute(sys.argv[2]).fetchone()
print(r[0] if r else '')
" "$DB" "$1"
	fi
}

# db_counts: a fingerprint of the tables a dossier write touches (dossiers, their
# events, applicants and components, the outbox, counters, the sum of versions)
db_counts() {
	sql "SELECT (SELECT count(*) FROM dossier) || ' ' || (SELECT count(*) FROM dossier_event)
	     || ' ' || (SELECT count(*) FROM dossier_applicant) || ' ' || (SELECT count(*) FROM dossier_component)
	     || ' ' || (SELECT count(*) FROM outbox) || ' ' || (SELECT count(*) FROM counter)
	     || ' ' || (SELECT coalesce(sum(version), 0) FROM dossier)"
}

# ---- pages (the web layer): a browser-like client with a cookie jar per name ----
#   web_get JAR PATH [CURL ARGS...]      GET a page as JAR (a name: "anon", "officer", ...);
#                                        sets $status, $out (the HTML) and $hdrs; remembers
#                                        the last CSRF field of the page in $csrf
#   web_post JAR PATH 'a=1&b=2' [CURL ARGS...]
#                                        POST a form (urlencoded; _csrf=$csrf is added unless
#                                        the data has one); redirects are not followed, so
#                                        $status is 303 and Location in $hdrs on success
#   web_login JAR USER [PASSWORD]        logs in through /login (password default $PW)
#   has 'TEXT'                           the last page holds TEXT (a fixed string)
#   enc 'TEXT'                           TEXT percent-encoded for a form or query
_web_req() {
	_jar="$_tmp/jar.$1"
	shift
	call "$@" -b "$_jar" -c "$_jar"
	csrf=$(printf '%s' "$out" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
}
web_get() {
	_j=$1
	_p=$2
	shift 2
	_web_req "$_j" GET "$_p" "$@"
}
web_post() {
	_j=$1
	_p=$2
	_d=$3
	shift 3
	case "&$_d" in *"&_csrf="*) ;; *) _d="_csrf=$csrf&$_d" ;; esac
	_keep=$csrf
	_web_req "$_j" POST "$_p" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$_d" "$@"
	[ -n "$csrf" ] || csrf=$_keep
}
web_login() {
	web_get "$1" /login
	web_post "$1" /login "username=$(enc "$2")&password=$(enc "${3:-$PW}")"
	if [ "$status" != 303 ]; then
		echo "# web login $2 failed: $status" >&2
		return 1
	fi
	web_get "$1" /
}
has() {
	printf '%s' "$out" | grep -qF -- "$1"
}
enc() {
	python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}
