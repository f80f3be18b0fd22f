#!/bin/sh
# Benchmark of the indicators at city scale (issue 7): builds (or reuses) a
# database of N demo dossiers with `motcua demo --dossiers N`, and prints
#   - the generation rate (dossiers per second) and the database size per
#     million dossiers;
#   - p50 / p95 latency of the indicator reads (`motcua report indicators`)
#     by city, agency, branch and procedure over a month and a year, beside
#     the same received / resolved figures computed naively from the dossier
#     table by SQL (python3's sqlite3 module, so no process start in those).
# The report command's figures include the start of a motcua process (a few
# milliseconds); the naive figures do not.
#
#   bench/indicators.sh [BUILD]          1 million dossiers (reused when present)
#   BENCH_DOSSIERS=200000 bench/indicators.sh build
#   BENCH_10M=1 bench/indicators.sh      also 10 million, if the disk has room
# Databases: $BENCH_DIR (default BUILD/bench), one per size, kept for reuse
# (delete them to measure the generation again).
set -eu
build=${1:-build}
bin="$build/motcua"
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-$build/bench}
reps=${BENCH_REPS:-21}
mkdir -p "$dir"
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 1; }
export MOTCUA_PASSWORD_OPSLIMIT=1 MOTCUA_PASSWORD_MEMLIMIT_KIB=8192

# make N: the database of N dossiers (one year to 2025-12-31, seed 1).
make_db() {
	n=$1
	db="$dir/city-$n.db"
	export MOTCUA_DATABASE="sqlite:$db"
	if [ -s "$db" ] && [ -s "$db.done" ]; then
		echo "reusing $db ($(cat "$db.done"))"
		return 0
	fi
	rm -f "$db" "$db-wal" "$db-shm" "$db.done"
	"$bin" db migrate >/dev/null
	"$bin" import --data "$top/data" >/dev/null
	start=$(date +%s.%N)
	"$bin" demo --dossiers "$n" --days 365 --seed 1 --end 2025-12-31 \
		--accounts-file "$dir/accounts-$n.txt" | grep '^demo city: [0-9]' || true
	end=$(date +%s.%N)
	sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1 || true
	bytes=$(stat -c %s "$db")
	python3 - "$n" "$start" "$end" "$bytes" >"$db.done" <<'EOF'
import sys
n, t0, t1, size = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
s = t1 - t0
print(f"generation: {n} dossiers in {s:.1f} s (whole command), {n / s:.0f} dossiers/s; "
      f"database {size / 2**20:.0f} MiB, {size / 2**30 / (n / 1e6):.2f} GiB per million dossiers")
EOF
	cat "$db.done"
}

# reads N: p50/p95 of the indicator reads and of the naive SQL on the database of N.
reads() {
	n=$1
	db="$dir/city-$n.db"
	export MOTCUA_DATABASE="sqlite:$db"
	python3 - "$bin" "$db" "$reps" <<'EOF'
import sqlite3, subprocess, sys, time
binp, db, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
periods = {"month": ("2025-12-01", "2025-12-31"), "year": ("2025-01-01", "2025-12-31")}
dims = ["city", "agency", "branch", "procedure"]
col = {"city": "''", "agency": "competent_unit", "branch": "receiving_unit",
       "procedure": "procedure_code"}
con = sqlite3.connect(db)
def vn_epoch(day, end=False):
    # Vietnam midnight (UTC+7) of the day, as epoch seconds
    t = con.execute("SELECT CAST(strftime('%s', ?) AS INTEGER)", (day,)).fetchone()[0]
    return t - 7 * 3600 + (86400 if end else 0)
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
def bench(fn):
    fn()  # warm
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1000)
    return pct(ts, 50), pct(ts, 95)
have = subprocess.run([binp, "report", "indicators", "--from", "2025-12-01", "--to",
                       "2025-12-31", "--by", "city"], capture_output=True).returncode == 0
print(f"{'read':28} {'indicators p50/p95 ms':>24} {'naive SQL p50/p95 ms':>24}")
for pname, (f, t) in periods.items():
    a, b = vn_epoch(f), vn_epoch(t, True)
    for d in dims:
        if have:
            p50, p95 = bench(lambda: subprocess.run(
                [binp, "report", "indicators", "--from", f, "--to", t, "--by", d],
                capture_output=True, check=True))
            ind = f"{p50:10.1f} / {p95:8.1f}"
        else:
            ind = f"{'(no report indicators)':>24}"
        # the naive figures: received and resolved (early / on time / late) per group,
        # and in progress at the end, from the dossier and event tables
        sql = (f"SELECT {col[d]} AS k, "
               f"sum(received_at >= {a} AND received_at < {b}), "
               f"sum(resolved_at >= {a} AND resolved_at < {b}), "
               f"sum(received_at < {b} AND (resolved_at IS NULL OR resolved_at >= {b})) "
               f"FROM dossier GROUP BY k")
        late = (f"SELECT {col[d].replace('competent_unit', 'd.competent_unit').replace('receiving_unit', 'd.receiving_unit').replace('procedure_code', 'd.procedure_code')} AS k, "
                f"sum(e.step_result = 'late'), count(*) FROM dossier_event e JOIN dossier d "
                f"ON d.id = e.dossier_id WHERE e.to_state = 'result_ready' AND e.at >= {a} "
                f"AND e.at < {b} GROUP BY k")
        p50, p95 = bench(lambda: (con.execute(sql).fetchall(), con.execute(late).fetchall()))
        print(f"{pname + ' by ' + d:28} {ind:>24} {p50:10.1f} / {p95:8.1f}")
EOF
}

n=${BENCH_DOSSIERS:-1000000}
make_db "$n"
reads "$n"
if [ "${BENCH_10M:-0}" = 1 ]; then
	per_m=$(python3 -c "import os; print(int(os.path.getsize('$dir/city-$n.db') / ($n / 1e6)))")
	need=$((per_m * 10 + per_m * 10 / 5))
	free=$(df -B1 --output=avail "$dir" | tail -1 | tr -d ' ')
	if [ "$free" -lt "$need" ] && [ ! -s "$dir/city-10000000.db.done" ]; then
		echo "10 M: skipped, needs about $((need / 1073741824)) GiB free in $dir, has $((free / 1073741824)) GiB"
	else
		make_db 10000000
		reads 10000000
	fi
fi
