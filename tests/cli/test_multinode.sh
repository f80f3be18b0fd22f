# Several nodes, one database: two `motcua serve` processes on two ports share
# the database that MOTCUA_TEST_DATABASE names (a fresh schema of that
# PostgreSQL database), or one SQLite file when it is not set. Clients send
# 2000 counter intakes at two branches through both nodes at once, and node B
# is killed (SIGKILL) a third of the way through; its clients go on through
# node A, as behind a load balancer. Afterwards, read from the database:
#   - every acknowledged intake (201) is there, with the code it was given;
#   - dossier codes are unique, and gap-free per receiving unit and day
#     (sequence numbers 1..N: a killed node's transaction left no hole);
#   - node A served to the end.
# Rules: the dossier code and its daily sequence per receiving unit are those of
# src/domain/dossier_code.h; numbers are decided inside the database, never in
# a node's memory (docs/architecture.md, the multi-node rule).
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

base=${MOTCUA_TEST_DATABASE:-}
pids=""
cleanup() {
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	if [ -n "${schema:-}" ]; then
		psql -X -q "$base" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
	fi
	rm -rf "$_tmp"
}
trap cleanup EXIT
case "$base" in
postgres*)
	engine=postgresql
	schema="multi_$$"
	psql -X -q -v ON_ERROR_STOP=1 "$base" -c "CREATE SCHEMA $schema" >/dev/null || exit 1
	case "$base" in *'?'*) sep='&' ;; *) sep='?' ;; esac
	MOTCUA_DATABASE="$base${sep}options=-c%20search_path%3D$schema"
	query() { psql -X -At -F ' ' "$MOTCUA_DATABASE" -c "$1"; }
	;;
*)
	engine=sqlite
	MOTCUA_DATABASE="sqlite:$_tmp/shared.db"
	query() {
		python3 -c "
import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(' '.join(str(x) for x in r))
" "$_tmp/shared.db" "$1"
	}
	;;
esac
export MOTCUA_DATABASE MOTCUA_PASSWORD_OPSLIMIT=1 MOTCUA_PASSWORD_MEMLIMIT_KIB=8 MOTCUA_THREADS=4
PW="Mot-cua-2025-secret"

run db migrate
ok "the shared $engine database is migrated" eq "$rc" 0
run import --data "$TOP/data"
ok "and holds the reference data" eq "$rc" 0
run user add off.a --role officer --unit CN01 --name "Cán bộ A" --password "$PW"
ok "an officer at branch CN01" eq "$rc" 0
run user add off.c --role officer --unit CN03 --name "Cán bộ C" --password "$PW"
ok "an officer at branch CN03" eq "$rc" 0

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
start_node() { # start_node NAME: starts a node, sets NAME_port and NAME_pid
	_port=$(free_port)
	MOTCUA_LISTEN=127.0.0.1:$_port "$MOTCUA" serve >"$_tmp/$1.out" 2>"$_tmp/$1.err" &
	_pid=$!
	pids="$pids $_pid"
	eval "$1_port=$_port $1_pid=$_pid"
	_i=0
	while [ $_i -lt 200 ]; do
		[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$_port/healthz")" = 200 ] && return 0
		kill -0 "$_pid" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "Bail out! node $1 did not start"
	cat "$_tmp/$1.err"
	exit 1
}
start_node a
start_node b
ok "two nodes answer on two ports" test "$a_port" != "$b_port"

cat >"$_tmp/load.py" <<'EOF'
# Load: THREADS clients, each sends its share of TOTAL intakes alternately through
# node A and node B; after KILL_AFTER acknowledged intakes one client kills node B.
# Prints one JSON object: the acknowledged intakes and the failures.
import json, os, signal, sys, threading, urllib.request, urllib.error

a_port, b_port, b_pid, pw = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
TOTAL, THREADS, KILL_AFTER = 2000, 16, 650

def post(port, path, body, token=None):
    req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path),
                                 data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")

tokens = {}
for user in ("off.a", "off.c"):
    st, j = post(a_port, "/api/v1/sessions", {"username": user, "password": pw})
    assert st == 201, (st, j)
    tokens[user] = j["token"]

lock = threading.Lock()
acked, failed, by_node = [], [], {"a": 0, "b": 0}
killed = threading.Event()

def form(n):
    return {"procedure": "1.004873",
            "applicant": {"kind": "person", "full_name": "Nguyễn Văn Khách %d" % n,
                          "id_number": "001090%06d" % n, "birth_date": "1990-05-01",
                          "phone": "09%08d" % n, "address": "%d Hàng Bạc" % n},
            "residence_commune": "00070", "components": [1, 2, 3]}

def client(t):
    user = "off.a" if t % 2 == 0 else "off.c"
    for i in range(t, TOTAL, THREADS):
        node = "b" if i % 2 and not killed.is_set() else "a"
        port = b_port if node == "b" else a_port
        try:
            st, j = post(port, "/api/v1/dossiers", form(i), tokens[user])
        except Exception as ex:  # node B went away under this request: not acknowledged
            with lock:
                failed.append({"n": i, "node": node, "error": type(ex).__name__})
            continue
        with lock:
            if st == 201:
                acked.append({"n": i, "node": node, "id": j["id"], "code": j["code"]})
                by_node[node] += 1
                if len(acked) == KILL_AFTER and not killed.is_set():
                    os.kill(b_pid, signal.SIGKILL)
                    killed.set()
            else:
                failed.append({"n": i, "node": node, "status": st, "body": j})

threads = [threading.Thread(target=client, args=(t,)) for t in range(THREADS)]
for th in threads: th.start()
for th in threads: th.join()
print(json.dumps({"acked": acked, "failed": failed, "by_node": by_node,
                  "killed": killed.is_set()}))
EOF
python3 "$_tmp/load.py" "$a_port" "$b_port" "$b_pid" "$PW" >"$_tmp/load.json" 2>"$_tmp/load.err"
ok "the load ran" eq "$?" 0
out=$(cat "$_tmp/load.json")
echo "# load: $(json_get '{"acked": len(j["acked"]), "failed": len(j["failed"]), "by_node": j["by_node"]}')"
echo "# failures: $(json_get '__import__("collections").Counter(f["node"] + ":" + (f.get("error") or "%s %s" % (f.get("status"), (f.get("body") or {}).get("detail"))) for f in j["failed"]).most_common(5)')"
ok "node B was killed mid-load" eq "$(json_get 'j["killed"]')" true
ok "both nodes acknowledged intakes" eq "$(json_get 'j["by_node"]["a"] > 0 and j["by_node"]["b"] > 0')" true
ok "thousands of intakes were acknowledged" eq "$(json_get 'len(j["acked"]) >= 1900')" true
ok "only requests cut by the kill failed" eq "$(json_get 'all("error" in f and f["node"] == "b" for f in j["failed"])')" true
ok "node A is still serving" eq "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$a_port/healthz")" 200

query "SELECT id, code FROM dossier" >"$_tmp/db.txt"
python3 - "$_tmp/load.json" "$_tmp/db.txt" >"$_tmp/check.json" <<'EOF'
import json, sys, collections
load = json.load(open(sys.argv[1]))
rows = dict(line.split() for line in open(sys.argv[2]) if line.strip())
missing = [a for a in load["acked"] if rows.get(a["id"]) != a["code"]]
codes = list(rows.values())
seqs = collections.defaultdict(list)
for c in codes:
    head, _, n = c.rpartition("-")
    seqs[head].append(int(n))
gaps = {h: sorted(v) for h, v in seqs.items() if sorted(v) != list(range(1, len(v) + 1))}
print(json.dumps({"rows": len(rows), "missing": missing[:5], "nmissing": len(missing),
                  "unique": len(set(codes)) == len(codes), "units": len(seqs),
                  "gaps": {h: v[:10] for h, v in list(gaps.items())[:3]}}))
EOF
out=$(cat "$_tmp/check.json")
ok "every acknowledged intake is in the database with its code" eq "$(json_get 'j["nmissing"]')" 0
ok "dossier codes are unique" eq "$(json_get 'j["unique"]')" true
ok "codes are gap-free per unit and day" eq "$(json_get 'j["gaps"]')" "{}"
ok "two receiving units were numbered" eq "$(json_get 'j["units"] >= 2')" true

done_testing
