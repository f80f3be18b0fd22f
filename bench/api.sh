#!/bin/sh
# Throughput and latency of the JSON API on loopback, measured with wrk:
#   - the public status lookup (GET /api/v1/lookup, a correct code and secret),
#   - counter intake (POST /api/v1/dossiers by an officer with an API token),
# beside the raw SQLite insert rate of the db layer in the same durability
# mode (bench_db), which is the ceiling for one-row write transactions.
#   bench/api.sh BUILD [SECONDS] [CONNECTIONS]
# Uses a temporary database and a free port; prints wrk's figures.
set -eu
build=$(cd "${1:?usage: bench/api.sh BUILD [SECONDS] [CONNECTIONS]}" && pwd)
secs=${2:-10}
conns=${3:-16}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/motcua"
command -v wrk >/dev/null || { echo "bench/api.sh: wrk is not installed (scripts/install-deps bench)"; exit 1; }
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
export MOTCUA_DATABASE="sqlite:$tmp/bench.db" MOTCUA_LOG_LEVEL=warn
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
export MOTCUA_LISTEN="127.0.0.1:$port"

"$bin" db migrate >/dev/null
"$bin" import --data "$top/data" >/dev/null
"$bin" demo --population 200 --accounts-file "$tmp/accounts.txt" >"$tmp/demo.txt"
token=$("$bin" user token canbo.cn01 --label bench | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
line=$(grep '2.000635 received' "$tmp/demo.txt")
code=$(echo "$line" | awk '{print $3}')
last4=$(echo "$line" | sed 's/.*digits \([0-9]*\))/\1/')

"$bin" serve >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
	curl -sf "http://$MOTCUA_LISTEN/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done

echo "== public lookup: GET /api/v1/lookup ($secs s, $conns connections, 2 threads)"
wrk -t2 -c"$conns" -d"${secs}s" --latency "http://$MOTCUA_LISTEN/api/v1/lookup?code=$code&id_last4=$last4" |
	grep -E 'Latency|Req/Sec|requests in|Requests/sec|Non-2xx|50%|99%'

# Intake: every required component of a city-level procedure (the applicant is
# not in the registry, so nothing is waived), received at branch 1.
body=$(curl -sf "http://$MOTCUA_LISTEN/api/v1/procedures/2.000635" | python3 -c '
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
echo "== counter intake: POST /api/v1/dossiers ($secs s, $conns connections, 2 threads)"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$tmp/intake.lua" "http://$MOTCUA_LISTEN/api/v1/dossiers" |
	grep -E 'Latency|Req/Sec|requests in|Requests/sec|Non-2xx|50%|99%'
n=$(sqlite3 "$tmp/bench.db" "SELECT count(*) FROM dossier")
echo "dossiers in the database after the run: $n"

kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
pid=""
if [ -x "$build/bench/bench_db" ]; then
	echo "== ceiling: raw inserts through the db layer, synchronous=FULL (bench_db)"
	"$build/bench/bench_db" | head -20
fi
