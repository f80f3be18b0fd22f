# Scenario test of `motcua demo --dossiers N` (the city-scale demonstration,
# docs/demo.md): a small city on a fresh database prints the account lines
# of the demo's contract, its dossiers are in every main state with late,
# rated and complained-about ones and some still in progress, the portal
# messages are settled as demo data, the audit chain and (when the command
# exists) the indicator counters verify, the same seed on a second fresh
# database gives the same dossiers, and the server's pages work on it.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
api_init

ARGS="--dossiers 2000 --days 30 --seed 5 --end 2025-11-20"
run demo $ARGS --accounts-file "$_tmp/acc.txt"
ok "city demo exits 0" eq "$rc" 0
[ "$rc" = 0 ] || printf '# %s\n' "$err"
ok "one account line per role, as the small demo" eq "$(echo "$out" | grep -cE '^demo account: (admin|leader|supervisor|officer|specialist|approver|citizen) [^ ]+ [A-Za-z0-9]{16}$')" 10
ok "the accounts file holds the same lines" eq "$(grep '^demo account:' "$_tmp/acc.txt")" "$(echo "$out" | grep '^demo account:')"
ok "the summary names the dossiers and the period" contains "$out" "demo city: 2000 dossiers from 2025-10-22 to 2025-11-20T17:00:00+07:00 (seed 5)"

q() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("|".join(str(r[0]) for r in c.execute(sys.argv[2])))' "$1" "$2"; }
n() { q "$DB" "$1"; }

ok "2000 dossiers" eq "$(n 'SELECT count(*) FROM dossier')" 2000
cit=$(echo "$out" | sed -n 's/^demo account: citizen \([^ ]*\) .*/\1/p')
ok "the citizen who can log in has dossiers of their own (/me/dossiers)" test "$(n "SELECT count(*) FROM dossier d JOIN account a ON a.id = d.owner_account WHERE a.username = '$cit'")" -gt 0
ok "2000 residents (half the dossiers, at least 2000)" eq "$(n 'SELECT count(*) FROM population')" 2000
for s in submitted received processing supplement_requested fees_due awaiting_signoff result_ready result_at_branch delivered withdrawn refused_at_reception; do
	ok "some dossiers $s" test "$(n "SELECT count(*) FROM dossier WHERE state = '$s'")" -gt 0
done
online=$(n "SELECT count(*) FROM dossier WHERE channel = 'online'")
ok "30 to 50 % filed online ($online)" test "$online" -ge 600 -a "$online" -le 1000
postal=$(n "SELECT count(*) FROM dossier WHERE received_by_post = 1")
ok "some counter dossiers came by post ($postal), 1 to 10 % of the counter ones, none online" test "$postal" -ge "$(((2000 - online) / 100))" -a "$postal" -le "$(((2000 - online) / 10))" -a "$(n "SELECT count(*) FROM dossier WHERE received_by_post = 1 AND channel = 'online'")" = 0
ok "arrivals at 30 or more branches and points" test "$(n "SELECT count(DISTINCT receiving_unit) FROM dossier d JOIN unit u ON u.code = d.receiving_unit WHERE u.kind IN ('branch', 'point')")" -ge 30
ok "at the counter only when the branches are open (Mon-Sat, 08:00-17:00)" eq "$(n "SELECT count(*) FROM dossier_event WHERE action = 'receive' AND (((at + 25200) / 3600) % 24 < 8 OR ((at + 25200) / 3600) % 24 >= 17 OR ((at + 25200) / 86400 + 4) % 7 = 0)")" 0
late=$(n "SELECT count(*) FROM dossier_event WHERE step_result = 'late' AND to_state = 'result_ready'")
resolved=$(n "SELECT count(*) FROM dossier_event WHERE to_state = 'result_ready' AND from_state <> 'result_ready'")
ok "some resolved late ($late of $resolved), at most 15 %" test "$late" -gt 0 -a "$((late * 100))" -le "$((resolved * 15))"
ok "apologies with a new appointment and a reason" test "$(n "SELECT count(*) FROM dossier_event WHERE action = 'extend' AND note <> '' AND due_at IS NOT NULL")" -gt 0
ok "some rated, some dissatisfied" test "$(n "SELECT count(*) FROM dossier_rating")" -gt 100 -a "$(n "SELECT count(*) FROM dossier_rating WHERE level = 'dissatisfied'")" -gt 0
ok "some complaints" test "$(n "SELECT count(*) FROM dossier_complaint")" -gt 0
ok "payments, some online" test "$(n "SELECT count(*) FROM dossier WHERE paid_channel = 'online'")" -gt 0 -a "$(n "SELECT count(*) FROM dossier WHERE paid_channel = 'counter'")" -gt 0
ok "supplements asked and answered" test "$(n "SELECT count(*) FROM dossier_event WHERE action = 'receive_supplement'")" -gt 0
ok "results by post" test "$(n "SELECT count(*) FROM dossier_event WHERE action = 'confirm_delivery'")" -gt 0
ok "no event after the end" eq "$(n "SELECT count(*) FROM dossier_event WHERE at >= strftime('%s', '2025-11-20 10:00:00')")" 0
ok "every event has its audit row" eq "$(n "SELECT count(*) FROM audit WHERE action LIKE 'dossier.%'")" "$(n 'SELECT count(*) FROM dossier_event')"
ok "no portal message left to send" eq "$(n 'SELECT count(*) FROM outbox WHERE delivered_at IS NULL')" 0
ok "each settled as demo data" eq "$(n "SELECT count(*) FROM outbox WHERE last_error = 'demo data, not sent'")" "$(n 'SELECT count(*) FROM dossier_event')"
ok "foreign keys hold" eq "$(n 'PRAGMA foreign_key_check')" ""
run audit verify
ok "the audit chain is intact" eq "$rc" 0
run report verify
ok "the indicator counters verify" eq "$rc" 0

# The same seed on a second fresh database: the same dossiers.
fp() {
	q "$1" "SELECT count(*) || ':' || sum(version) || ':' || sum(coalesce(due_at, 0)) || ':' || sum(coalesce(resolved_at, 0)) FROM dossier"
	q "$1" "SELECT group_concat(code || '/' || state || '/' || version, ',') FROM (SELECT code, state, version FROM dossier ORDER BY code, submitted_at)"
	q "$1" "SELECT group_concat(level || '=' || n, ',') FROM (SELECT level, count(*) AS n FROM dossier_rating GROUP BY level ORDER BY level)"
	q "$1" "SELECT count(*) || ':' || sum(at) FROM dossier_event"
}
first=$(fp "$DB")
DB1=$DB
DB="$_tmp/second.db"
MOTCUA_DATABASE="sqlite:$DB"
export MOTCUA_DATABASE
"$MOTCUA" db migrate >/dev/null 2>&1 && "$MOTCUA" import --data "$TOP/data" >/dev/null 2>&1
run demo $ARGS --accounts-file "$_tmp/acc2.txt"
ok "second city demo exits 0" eq "$rc" 0
ok "same seed, same dossiers, states, times and ratings" eq "$(fp "$DB")" "$first"
run report indicators --from 2025-10-22 --to 2025-11-20 --by agency
second_ind=$out
second_rc=$rc
MOTCUA_DATABASE="sqlite:$DB1"
run report indicators --from 2025-10-22 --to 2025-11-20 --by agency
ok "same seed, same indicators" eq "$rc $second_rc $out" "0 0 $second_ind"
ok "and they count the dossiers" sh -c 'printf "%s" "$1" | python3 -c "import json,sys; j=json.load(sys.stdin); assert j[\"total\"][\"received\"] > 0"' _ "$out"

# A third run with another seed differs.
DB="$_tmp/third.db"
MOTCUA_DATABASE="sqlite:$DB"
"$MOTCUA" db migrate >/dev/null 2>&1 && "$MOTCUA" import --data "$TOP/data" >/dev/null 2>&1
run demo --dossiers 2000 --days 30 --seed 6 --end 2025-11-20 --accounts-file "$_tmp/acc3.txt"
ok "another seed, other dossiers" test "$(fp "$DB")" != "$first"

# A second demo on a database that has one is refused.
run demo $ARGS --accounts-file "$_tmp/acc4.txt"
ok "a second city demo is refused" eq "$rc" 2
ok "and says why" contains "$err" "fresh database only"

# Bad input.
run demo --days 30
ok "--days without --dossiers exits 2" eq "$rc" 2
run demo --dossiers 0
ok "--dossiers 0 exits 2" eq "$rc" 2
run demo --dossiers 10 --end 2025-13-01
ok "a bad --end exits 2" eq "$rc" 2
run demo --dossiers 10 --days 0
ok "--days 0 exits 2" eq "$rc" 2

# The server's pages on the first city.
DB=$DB1
MOTCUA_DATABASE="sqlite:$DB1"
export MOTCUA_DATABASE
api_start
leader_pw=$(sed -n 's/^demo account: leader lanhdao //p' "$_tmp/acc.txt")
officer_pw=$(sed -n 's/^demo account: officer canbo.cn01 //p' "$_tmp/acc.txt")
spec_pw=$(sed -n 's/^demo account: specialist chuyenvien.tuphap //p' "$_tmp/acc.txt")
web_login L lanhdao "$leader_pw"
ok "the leader logs in" eq "$status" 200
web_get L /overview
ok "the overview page" eq "$status" 200
web_login O canbo.cn01 "$officer_pw"
web_get O /desk
ok "the counter desk of branch 1" eq "$status" 200
web_login S chuyenvien.tuphap "$spec_pw"
web_get S /inbox
ok "the specialist's inbox" eq "$status" 200
did=$(n "SELECT id FROM dossier WHERE competent_unit = 'SO_TU_PHAP' AND code IS NOT NULL ORDER BY code LIMIT 1")
web_get S "/dossiers/$did"
ok "a dossier page ($did)" eq "$status" 200
api_stop
ok "the server stops cleanly" eq "$rc" 0

done_testing
