# Scenario tests of the service-quality indicators (docs/indicators.md):
#   - a city-scale workload from `motcua demo --dossiers` (the live use cases,
#     so the counters are kept as in production) and a small hand-made one over
#     the API, then `motcua report verify`: exit 0 and "match": true;
#   - `motcua report indicators`: the groups of every dimension that every
#     counter has add up to the city's total; one key alone;
#   - a counter row changed behind the service's back: verify exits 1 and says
#     which row; `motcua report rebuild` recounts; verify exits 0 again;
#   - bad arguments exit 2, and so does a database that cannot be opened;
#   - the API: GET /api/v1/indicators and /api/v1/indicators/766 for a leader,
#     403 for an officer, 400 for bad input.
# Runs on SQLite, or on PostgreSQL when MOTCUA_TEST_DATABASE names one
# (tests/cli/api_lib.sh). Calendar: Wed 27/8/2025 is a working day; procedure
# 1.001193 is due the same day at 17:00 when received before 15:00
# (data/procedures.csv).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true

# sqlw 'UPDATE ...': a statement that writes, committed (sql of api_lib.sh reads)
sqlw() {
	if [ "$ENGINE" = postgresql ]; then
		psql -X -q -v ON_ERROR_STOP=1 "$MOTCUA_DATABASE" -c "$1" >/dev/null
	else
		python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute(sys.argv[2])
c.commit()
" "$DB" "$1"
	fi
}

api_init

# ---- a city-scale workload (the demo needs a database without accounts) ----
run demo --dossiers 400 --days 20 --seed 11 --end 2025-08-26
ok "demo: 400 dossiers over 20 days" eq "$rc" 0
run report verify
ok "verify after the demo: exit 0, match" eval '[ "$rc" = 0 ] && [ "$(json_get "j[\"match\"]")" = true ] && [ "$(json_get "j[\"mismatches\"]")" = 0 ] && [ "$(json_get "j[\"dossiers\"]")" -ge 400 ]'

user_add off.a officer CN01
user_add spec.b specialist UBND-00070
user_add leader1 leader ""

# ---- a hand-made workload over the API ----
export MOTCUA_NOW=2025-08-27T09:00
api_start
offa=$(login off.a)
specb=$(login spec.b)
lead=$(login leader1)
call GET /api/v1/procedures/1.001193
comps=$(jget '[c["seq"] for c in j["components"] if c["required"]]')
body=$(python3 -c 'import json,sys
print(json.dumps({"procedure":"1.001193","applicant":{"kind":"person","full_name":"Nguyễn Văn An","id_number":"001090012345","phone":"0912345678"},
 "residence_commune":"00070","components":json.loads(sys.argv[1]),"collection_unit":"CN01"}))' "$comps")
as "$offa" POST /api/v1/dossiers "$body"
d1=$(jget 'j["id"]')
as "$offa" POST /api/v1/dossiers "$body"
d2=$(jget 'j["id"]')
as "$specb" POST "/api/v1/dossiers/$d1/take" '{"version":1}'
as "$specb" POST "/api/v1/dossiers/$d1/complete" '{"version":2}'
ok "two dossiers received at CN01, one completed" eq "$status $(jget 'j["state"]')" "200 result_ready"

# a dossier that came by post: received at the branch, counted as received by post
postal=$(printf '%s' "$body" | python3 -c 'import json,sys; j=json.load(sys.stdin); j["received_by_post"]=True; print(json.dumps(j))')
as "$offa" POST /api/v1/dossiers "$postal"
ok "an officer receives a dossier that came by post: 201, channel counter" eq "$status $(jget 'j["state"]')" "201 received"
d3=$(jget 'j["id"]')
as "$offa" GET "/api/v1/dossiers/$d3"
ok "the dossier says it came by post" eq "$(jget 'j["channel"]') $(jget 'j["received_by_post"]')" "counter true"
as "$offa" GET "/api/v1/dossiers/$d1"
ok "the others say they did not" eq "$(jget 'j["received_by_post"]')" false
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090054321","full_name":"Lê Thị Bưu","phone":"0912345679","password":"Mot-cua-2025-secret"}'
citizen=$(login 001090054321)
as "$citizen" POST /api/v1/dossiers "$postal"
ok "an online filing cannot claim to have come by post: 400" code_is 400 invalid_argument

run report verify
ok "verify after live work: exit 0" eq "$rc" 0

# ---- reading ----
run report indicators --from 2025-08-27 --to 2025-08-27 --by branch --key CN01
ok "CN01 on 27/8: received 2 at the counter and 1 by post, 1 resolved on time, 2 more in progress" eval '[ "$rc" = 0 ] && [ "$(json_get "len(j[\"groups\"])")" = 1 ] && [ "$(json_get "j[\"groups\"][0][\"key\"]")" = CN01 ] && [ "$(json_get "j[\"groups\"][0][\"figures\"][\"received_counter\"]")" = 2 ] && [ "$(json_get "j[\"groups\"][0][\"figures\"][\"received_postal\"]")" = 1 ] && [ "$(json_get "j[\"groups\"][0][\"figures\"][\"received\"]")" = 3 ] && [ "$(json_get "j[\"groups\"][0][\"figures\"][\"resolved_on_time\"]")" = 1 ] && [ "$(json_get "j[\"groups\"][0][\"figures\"][\"open_end\"] - j[\"groups\"][0][\"figures\"][\"carried_over\"]")" = 2 ]'
ok "the name of the branch is given" eval '[ -n "$(json_get "j[\"groups\"][0][\"name\"]")" ] && [ "$(json_get "j[\"groups\"][0][\"name\"]")" != CN01 ]'
for dim in city agency branch commune procedure sector; do
	run report indicators --from 2025-07-01 --to 2025-08-31 --by $dim
	sums=$(printf '%s' "$out" | python3 -c '
import json, sys
j = json.load(sys.stdin)
t = j["total"]
bad = [k for k, v in t.items() if isinstance(v, int) and sum(g["figures"][k] for g in j["groups"]) != v]
print("ok" if not bad and t["received"] > 0 else "bad: " + ",".join(bad))')
	ok "by $dim: the groups add up to the total" eq "$rc $sums" "0 ok"
done
run report indicators --from 2025-07-01 --to 2025-08-31 --by officer
ok "by officer: answered" eq "$rc" 0

# ---- a changed counter is found, then recounted ----
sqlw "UPDATE ind_flow SET n = n + 3 WHERE dim = 2 AND key = 'CN01' AND metric = 0"
run report verify
ok "verify after a changed row: exit 1, match false, the row named" eval '[ "$rc" = 1 ] && [ "$(json_get "j[\"match\"]")" = false ] && [ "$(json_get "j[\"mismatches\"]")" -ge 1 ] && contains "$out" "branch '"'"'CN01'"'"' received"'
run report rebuild
ok "rebuild: exit 0, says what differed" eval '[ "$rc" = 0 ] && [ "$(json_get "j[\"mismatches_before\"]")" -ge 1 ]'
run report verify
ok "verify after the rebuild: exit 0" eq "$rc $(json_get 'j["match"]')" "0 true"

# ---- bad input and errors ----
run report
ok "report alone: exit 2" eq "$rc" 2
run report nonsense
ok "an unknown subcommand: exit 2" eq "$rc" 2
run report verify extra
ok "verify takes no arguments: exit 2" eq "$rc" 2
run report indicators --from 2025-08-01 --to 2025-08-31
ok "indicators without --by: exit 2" eq "$rc" 2
run report indicators --from 2025-08-01 --to 2025-08-31 --by nation
ok "an unknown grouping: exit 2" eq "$rc" 2
run report indicators --from 2025-02-30 --to 2025-08-31 --by city
ok "an invalid date: exit 2" eq "$rc" 2
run report indicators --from 2025-08-31 --to 2025-08-01 --by city
ok "a period that ends before it begins: exit 2" eq "$rc" 2
run report indicators --from "" --to 2025-08-01 --by city
ok "an empty argument: exit 2" eq "$rc" 2
run report indicators --from 2025-08-01 --to 2025-08-31 --by city --color red
ok "an unknown option: exit 2" eq "$rc" 2
MOTCUA_DATABASE=sqlite:/dev/null/no/such.db run report verify
ok "verify without a database: exit 2" eq "$rc" 2

# ---- the API ----
as "$lead" GET "/api/v1/indicators?from=2025-08-27&to=2025-08-27&by=branch&key=CN01"
ok "API: a leader reads CN01 (3 received)" eval '[ "$status" = 200 ] && [ "$(jget "j[\"groups\"][0][\"figures\"][\"received\"]")" = 3 ]'
as "$lead" GET "/api/v1/indicators"
ok "API: no parameters: this month by city" eval '[ "$status" = 200 ] && [ "$(jget "j[\"by\"]")" = city ] && [ "$(jget "j[\"from\"]")" = 2025-08-01 ] && [ "$(jget "j[\"to\"]")" = 2025-08-27 ]'
as "$lead" GET "/api/v1/indicators/766?from=2025-08-01&to=2025-08-27"
ok "API: the 766 index, five groups out of 100 points" eval '[ "$status" = 200 ] && [ "$(jget "len(j[\"groups\"])")" = 5 ] && [ "$(jget "j[\"max_points\"]")" = 100.0 ]'
as "$offa" GET "/api/v1/indicators"
ok "API: an officer: 403" code_is 403 forbidden
as "$lead" GET "/api/v1/indicators?by=nation"
ok "API: an unknown grouping: 400" eq "$status" 400
as "$lead" GET "/api/v1/indicators?from=2025-13-01"
ok "API: a bad date: 400" eq "$status" 400
as "$lead" GET "/api/v1/indicators?from="
ok "API: an empty parameter: 400" eq "$status" 400
call GET "/api/v1/indicators"
ok "API: anonymous: 401" eq "$status" 401
api_stop

done_testing
