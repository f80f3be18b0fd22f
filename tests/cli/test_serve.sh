# Scenario tests of `motcua serve`: it prints its address, answers /healthz
# and /metrics, and exits 0 after SIGTERM (graceful shutdown); bad usage
# exits 2, a port already taken exits 1. Waits are bounded (safety caps).
. "$TOP/tests/cli/lib.sh"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for FILE TEXT: waits until FILE contains TEXT (at most 20 s).
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_exit PID: waits for the server to end (at most 20 s), sets $rc.
wait_exit() {
	i=0
	while [ $i -lt 200 ] && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$1" 2>/dev/null && kill -KILL "$1"
	wait "$1"
	rc=$?
}

cd "$_tmp" || exit 1
# The server refuses a database whose schema is behind; migrate a fresh one.
export MOTCUA_DATABASE="sqlite:$_tmp/serve.db"
port=$(free_port)
MOTCUA_LISTEN=127.0.0.1:$port "$MOTCUA" serve >"$_tmp/behind.out" 2>"$_tmp/behind.err"
rc=$?
ok "an unmigrated database: the server does not start (exit 1)" eq "$rc" 1
ok "and says to run db migrate" contains "$(cat "$_tmp/behind.err")" "run 'motcua db migrate'"
"$MOTCUA" db migrate >/dev/null 2>&1
port=$(free_port)
MOTCUA_LISTEN=127.0.0.1:$port "$MOTCUA" serve >"$_tmp/serve.out" 2>"$_tmp/serve.err" &
pid=$!
ok "the server prints its address" wait_for "$_tmp/serve.out" "listening on http://127.0.0.1:$port"
ok "exactly one line on stdout" eq "$(cat "$_tmp/serve.out")" "listening on http://127.0.0.1:$port"

out=$(curl -s -m 20 -w ' %{http_code}' "http://127.0.0.1:$port/healthz")
ok "GET /healthz answers 200 with the database check" eq "$out" '{"status":"ok","checks":{"database":{"status":"ok"}}} 200'
out=$(curl -s -m 20 -w ' %{http_code}' "http://127.0.0.1:$port/api/v1/nothing-here")
ok "an unknown path answers 404 with the JSON error" eq "$(printf '%s' "${out% *}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])') ${out##* }" "not_found 404"
out=$(curl -s -m 20 "http://127.0.0.1:$port/metrics")
ok "GET /metrics counts the /healthz request" contains "$out" 'motcua_http_requests_total{method="GET",route="/healthz",class="2xx"} 1'

# The port is taken: a second server cannot start.
MOTCUA_LISTEN=127.0.0.1:$port "$MOTCUA" serve >"$_tmp/second.out" 2>"$_tmp/second.err"
rc=$?
err=$(cat "$_tmp/second.err")
ok "a second server on the same port exits 1" eq "$rc" 1
ok "and says it cannot listen" contains "$err" "cannot listen on '127.0.0.1:$port'"

kill -TERM "$pid"
wait_exit "$pid"
ok "SIGTERM: exit status 0" eq "$rc" 0
ok "the shutdown is logged" contains "$(cat "$_tmp/serve.err")" "event=http.stop"
out=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
ok "nothing listens afterwards" eq "$out" "000"

# SIGINT stops it the same way.
port=$(free_port)
MOTCUA_LISTEN=127.0.0.1:$port "$MOTCUA" serve >"$_tmp/serve2.out" 2>"$_tmp/serve2.err" &
pid=$!
wait_for "$_tmp/serve2.out" "listening on"
kill -INT "$pid"
wait_exit "$pid"
ok "SIGINT: exit status 0" eq "$rc" 0

# Bad input.
run serve extra
ok "an extra argument is bad usage (exit 2)" eq "$rc" 2
MOTCUA_LISTEN=nonsense "$MOTCUA" serve >/dev/null 2>&1
rc=$?
ok "a malformed listen address is refused (exit 2)" eq "$rc" 2
MOTCUA_LISTEN=no.such.host.invalid:8080 "$MOTCUA" serve >/dev/null 2>"$_tmp/err"
rc=$?
ok "a listen host that does not resolve is refused (exit 2)" eq "$rc" 2
MOTCUA_THREADS=0 "$MOTCUA" serve >/dev/null 2>&1
rc=$?
ok "zero threads is refused (exit 2)" eq "$rc" 2

done_testing
