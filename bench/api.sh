#!/bin/sh
# Throughput and latency of the JSON API on loopback, measured with wrk:
#   - the public status lookup (GET /api/v1/lookup, a correct code and secret),
#   - counter intake (POST /api/v1/dossiers by an officer with an API token),
# beside the raw SQLite insert rate of the db layer in the same durability
# mode (bench_db), which is the ceiling for one-row write transactions.
#   bench/api.sh BUILD [SECONDS] [CONNECTIONS]
# Environment: BENCH_ENGINE=sqlite (default) or postgresql (a throwaway server
# with fsync on, scripts/pg-start), BENCH_NODES=1 (default) or 2 (two
# `motcua serve` processes on one database, each loaded by its own wrk with
# half the connections). Uses a temporary database and free ports.
set -eu
build=$(cd "${1:?usage: bench/api.sh BUILD [SECONDS] [CONNECTIONS]}" && pwd)
secs=${2:-10}
conns=${3:-16}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/motcua"
command -v wrk >/dev/null || { echo "bench/api.sh: wrk is not installed (scripts/install-deps bench)"; exit 1; }
tmp=$(mktemp -d)
engine=${BENCH_ENGINE:-sqlite}
nodes=${BENCH_NODES:-1}
pgdir=""
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; [ -n "$pgdir" ] && "$top/scripts/pg-stop" "$pgdir"; rm -rf "$tmp"' EXIT
if [ "$engine" = postgresql ]; then
	pgdir=$(mktemp -d /tmp/motcua-bench-pg.XXXXXX)
	MOTCUA_DATABASE=$(MOTCUA_PG_DURABLE=on "$top/scripts/pg-start" "$pgdir")
else
	MOTCUA_DATABASE="sqlite:$tmp/bench.db"
fi
export MOTCUA_DATABASE MOTCUA_LOG_LEVEL=warn
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

"$bin" db migrate >/dev/null
"$bin" import --data "$top/data" >/dev/null
"$bin" demo --population 200 --accounts-file "$tmp/accounts.txt" >"$tmp/demo.txt"
token=$("$bin" user token canbo.cn01 --label bench | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
line=$(grep '2.000635 received' "$tmp/demo.txt")
code=$(echo "$line" | awk '{print $3}')
last4=$(echo "$line" | sed 's/.*digits \([0-9]*\))/\1/')

addrs=""
for n in $(seq 1 "$nodes"); do
	addr="127.0.0.1:$(free_port)"
	MOTCUA_LISTEN=$addr "$bin" serve >"$tmp/serve$n.log" 2>&1 &
	pids="$pids $!"
	addrs="$addrs $addr"
	for _ in $(seq 1 100); do
		curl -sf "http://$addr/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
done
first=$(echo $addrs | awk '{print $1}')
per=$((conns / nodes))
[ "$per" -ge 1 ] || per=1

# load PATH [SCRIPT]: wrk on every node at once; per-node figures and the sum.
load() {
	wpids=""
	for a in $addrs; do
		if [ -n "${2:-}" ]; then
			wrk -t2 -c"$per" -d"${secs}s" --latency -s "$2" "http://$a$1" >"$tmp/wrk.$a" 2>&1 &
		else
			wrk -t2 -c"$per" -d"${secs}s" --latency "http://$a$1" >"$tmp/wrk.$a" 2>&1 &
		fi
		wpids="$wpids $!"
	done
	for w in $wpids; do wait "$w" || true; done
	total=0
	for a in $addrs; do
		echo "-- node $a"
		grep -E 'Latency |requests in|Requests/sec|Non-2xx|50%|99%' "$tmp/wrk.$a"
		r=$(sed -n 's/^Requests\/sec: *//p' "$tmp/wrk.$a")
		total=$(python3 -c "print(round($total + ${r:-0}, 1))")
	done
	echo "== total: $total requests/s over $nodes node(s)"
}

echo "== engine $engine, $nodes node(s), $secs s, $conns connections in all"
echo "== public lookup: GET /api/v1/lookup"
load "/api/v1/lookup?code=$code&id_last4=$last4"

# Intake: every required component of a city-level procedure (the applicant is
# not in the registry, so nothing is waived), received at branch 1.
body=$(curl -sf "http://$first/api/v1/procedures/2.000635" | python3 -c '
import json,sys
p=json.load(sys.stdin)
comps=[c["seq"] for c in p.get("components",[]) if c.get("required")]
print(json.dumps({"procedure":"2.000635","applicant":{"kind":"person","full_name":"Trần Thị Bích","id_number":"001190012345","birth_date":"1990-05-01","phone":"0912345678"},"residence_commune":"00070","components":comps,"collection_unit":"CN01"}))')
cat >"$tmp/intake.lua" <<LUA
wrk.method = "POST"
wrk.body = [[$body]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
echo "== counter intake: POST /api/v1/dossiers"
load /api/v1/dossiers "$tmp/intake.lua"
if [ "$engine" = sqlite ]; then
	echo "dossiers in the database after the run: $(sqlite3 "$tmp/bench.db" "SELECT count(*) FROM dossier")"
else
	echo "dossiers in the database after the run: $(psql -X -At "$MOTCUA_DATABASE" -c "SELECT count(*) FROM dossier")"
fi
for p in $pids; do kill -TERM "$p" 2>/dev/null; done
wait 2>/dev/null || true
pids=""
if [ "$engine" = sqlite ] && [ -x "$build/bench/bench_db" ]; then
	echo "== ceiling: raw inserts through the db layer, synchronous=FULL (bench_db)"
	"$build/bench/bench_db" | head -20
fi
