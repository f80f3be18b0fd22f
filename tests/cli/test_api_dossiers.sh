# Scenario tests of dossiers over HTTP against a real server
# (tests/cli/api_lib.sh): the whole life of a dossier across two branches
# and a commune -- received at the counter of branch A (CN01), decided by the
# competent commune B (UBND-00070, the applicant's residence Hoàn Kiếm),
# taken, drafted, signed off, sent, received at branch C (CN03) chosen for
# collection, delivered and rated -- then online filing and acceptance, stale
# versions, wrong roles, another agency's dossier, work lists and the
# process control form. Rules: the issue's "The lifecycle" section,
# domain/lifecycle.def, data/procedures.csv (1.004873: 3 working days, with
# a sign-off step; 1.001193: same day, no sign-off).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
user_add admin1 admin ""
user_add leader1 leader ""
user_add off.a officer CN01
user_add off.c officer CN03
user_add spec.b specialist UBND-00070
user_add appr.b approver UBND-00070
user_add spec.x specialist UBND-00082
api_start

call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090012345","full_name":"Nguyễn Văn Bình","phone":"0912345678","password":"Mot-cua-2025-secret"}'
citizen_id=$(jget 'j["id"]')
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001190054321","full_name":"Trần Thị Hoa","phone":"0987654321","password":"Mot-cua-2025-secret"}'
offa=$(login off.a)
offc=$(login off.c)
specb=$(login spec.b)
apprb=$(login appr.b)
specx=$(login spec.x)
leader=$(login leader1)
binh=$(login 001090012345)
hoa=$(login 001190054321)
ok "every test user logs in" sh -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ -n "$4" ] && [ -n "$5" ] && [ -n "$6" ] && [ -n "$7" ] && [ -n "$8" ]' _ "$offa" "$offc" "$specb" "$apprb" "$specx" "$leader" "$binh" "$hoa"

# ---- counter intake at branch A ----
form=$(cat <<EOF
{"procedure":"1.004873",
 "applicant":{"kind":"person","full_name":"Nguyễn Văn Bình","id_number":"001090012345",
              "birth_date":"1990-05-01","phone":"0912345678","address":"12 Hàng Bạc"},
 "residence_commune":"00070",
 "components":[1,{"seq":2,"original_kept":true},3],
 "collection_unit":"CN03",
 "owner_account":"$citizen_id",
 "note":"nhận tại quầy"}
EOF
)
as "$offa" POST /api/v1/dossiers "$form"
ok "counter intake at branch A: 201" eq "$status" 201
id=$(jget 'j["id"]')
code=$(jget 'j["code"]')
ok "state received (portal code 2), version 1" eq "$(jget 'j["state"]') $(jget 'j["portal_code"]') $(jget 'j["version"]')" "received 2 1"
ok "the code takes branch A's identifier" contains "$code" "000.01.CN.H26-"
ok "routed to the commune of residence, not to the branch" eq "$(jget 'j["receiving_unit"]') $(jget 'j["competent_unit"]') $(jget 'j["collection_unit"]')" "CN01 UBND-00070 CN03"
ok "an appointment is set" eq "$(jget 'j["due_at"] is not None and j["received_at"] is not None')" true
ok "Location and ETag" sh -c 'printf "%s" "$1" | grep -q "^Location: /api/v1/dossiers/$2" && printf "%s" "$1" | grep -q "^ETag: \"1\""' _ "$hdrs" "$id"
ok "the officer may now transfer, withdraw, change collection, hand over -- not take" eq "$(jget '"take" in j["actions"]') $(jget '"withdraw" in j["actions"]')" "false true"

as "$offa" GET "/api/v1/dossiers/$id"
ok "the officer reads it by id: 200" eq "$status $(jget 'j["code"]')" "200 $code"
ok "with the applicant's data and components" eq "$(jget 'j["applicant"]["id_number"]') $(jget '[c["status"] for c in j["components"]][:3]') $(jget 'j["components"][1]["original_kept"]')" '001090012345 ["received", "received", "received"] true'
as "$offa" GET "/api/v1/dossiers/$code"
ok "and by code" eq "$status $(jget 'j["id"]')" "200 $id"

# ---- the competent commune ----
as "$specb" GET /api/v1/worklists/agency
ok "it is on commune B's agency work list" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$id\"]"
ok "with its remaining working time" eq "$(jget 'j["items"][0]["remaining_seconds"] is not None')" true
as "$specx" GET /api/v1/worklists/agency
ok "not on another commune's list" eq "$status $(jget 'j["total"]')" "200 0"
as "$specx" GET "/api/v1/dossiers/$id"
ok "another agency's specialist cannot read it: 403" code_is 403 forbidden
as "$specx" POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "nor take it: 403 forbidden" code_is 403 forbidden
as "$offa" POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "an officer cannot take it (wrong role): 403" code_is 403 forbidden
as "$hoa" GET "/api/v1/dossiers/$id"
ok "another citizen does not even see it: 404" code_is 404 not_found

as "$specb" POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "the specialist takes it: processing, version 2" eq "$status $(jget 'j["state"]') $(jget 'j["version"]')" "200 processing 2"
ok "the answer lists the next actions" eq "$(jget '"submit_signoff" in j["actions"] and "complete" not in j["actions"]')" true
as "$specb" POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "a second take with the stale version: 409 version_conflict" code_is 409 version_conflict
as "$specb" POST "/api/v1/dossiers/$id/submit_signoff" -H 'If-Match: "1"'
ok "a stale If-Match: 409 version_conflict" code_is 409 version_conflict
as "$specb" GET "/api/v1/dossiers/$id"
ok "nothing changed: still processing at version 2" eq "$(jget 'j["state"]') $(jget 'j["version"]')" "processing 2"
ok "ETag gives the version" contains "$hdrs" 'ETag: "2"'
as "$specb" POST "/api/v1/dossiers/$id/submit_signoff" '{"version":3}' -H 'If-Match: "2"'
ok "If-Match and version that differ: 400" code_is 400 invalid_argument
as "$specb" POST "/api/v1/dossiers/$id/submit_signoff"
ok "no version at all: 400 missing_argument" code_is 400 missing_argument

as "$specb" POST "/api/v1/dossiers/$id/submit_signoff" -H 'If-Match: "2"'
ok "draft sent for sign-off (If-Match): awaiting_signoff" eq "$status $(jget 'j["state"]') $(jget 'j["version"]')" "200 awaiting_signoff 3"
as "$specb" POST "/api/v1/dossiers/$id/sign_off" -H 'If-Match: "3"'
ok "the specialist cannot sign off (approver only): 403" code_is 403 forbidden
as "$specb" POST "/api/v1/dossiers/$id/deliver" '{"collector_id_number":"001090012345"}' -H 'If-Match: "3"'
ok "deliver is not allowed in this state: 409 action_not_allowed" code_is 409 action_not_allowed
as "$specb" POST "/api/v1/dossiers/$id/fly" -H 'If-Match: "3"'
ok "an unknown action: 404 unknown_action" code_is 404 unknown_action
as "$apprb" POST "/api/v1/dossiers/$id/sign_off" -H 'If-Match: "3"'
ok "the approver signs off: result_ready (portal 9)" eq "$status $(jget 'j["state"]') $(jget 'j["portal_code"]')" "200 result_ready 9"
as "$specb" POST "/api/v1/dossiers/$id/send_result" '{"version":4}'
ok "the result is sent to the branch of collection" eq "$status $(jget 'j["state"]')" "200 result_in_transit"

# ---- return at branch C ----
as "$offa" POST "/api/v1/dossiers/$id/receive_result" '{"version":5}'
ok "branch A is not the branch of collection: 409 guard_failed" code_is 409 guard_failed
as "$offc" GET /api/v1/worklists/collection
ok "it waits on branch C's collection list" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$id\"]"
as "$offc" POST "/api/v1/dossiers/$id/receive_result" '{"version":5}'
ok "branch C receives the result" eq "$status $(jget 'j["state"]')" "200 result_at_branch"
as "$offc" POST "/api/v1/dossiers/$id/deliver" '{"version":6,"collector_id_number":"001190054321"}'
ok "a collector who is not the applicant is refused: 409 guard_failed" code_is 409 guard_failed
as "$offc" POST "/api/v1/dossiers/$id/deliver" '{"version":6,"collector_id_number":"12345"}'
ok "a malformed collector ID number: 400 invalid_cccd" code_is 400 invalid_cccd
as "$offc" POST "/api/v1/dossiers/$id/deliver" '{"version":6,"collector_id_number":"001090012345"}'
ok "delivered to the applicant (portal 10)" eq "$status $(jget 'j["state"]') $(jget 'j["portal_code"]')" "200 delivered 10"

as "$binh" GET "/api/v1/dossiers/$id"
ok "the citizen reads their dossier and may rate it" eq "$status $(jget 'j["actions"]')" '200 ["rate", "complain"]'
ok "the citizen does not see staff accounts" eq "$(jget 'j["holder_account"]')" null
as "$hoa" POST "/api/v1/dossiers/$id/rate" '{"version":7,"rating":"satisfied"}'
ok "another citizen cannot rate it: 404" code_is 404 not_found
as "$binh" POST "/api/v1/dossiers/$id/rate" '{"version":7,"rating":"great"}'
ok "an unknown rating: 400 invalid_argument" code_is 400 invalid_argument
as "$binh" POST "/api/v1/dossiers/$id/rate" '{"version":7,"rating":"satisfied","comment":"nhanh"}'
ok "the applicant rates the outcome" eq "$status $(jget 'j["state"]') $(jget 'j["version"]')" "200 delivered 8"
as "$binh" POST "/api/v1/dossiers/$id/rate" '{"version":8,"rating":"satisfied"}'
ok "only once: 409 guard_failed" code_is 409 guard_failed

as "$specb" GET "/api/v1/dossiers/$id/events"
ok "the process control form has one row per step" eq "$status $(jget '[e["action"] for e in j["items"]]')" '200 ["receive", "take", "submit_signoff", "sign_off", "send_result", "receive_result", "deliver", "rate"]'
ok "each row says who acted, from which unit" eq "$(jget '[e["actor_unit"] for e in j["items"]][:7]')" '["CN01", "UBND-00070", "UBND-00070", "UBND-00070", "UBND-00070", "CN03", "CN03"]'
as "$binh" GET "/api/v1/dossiers/$id/events"
ok "the citizen sees the form without staff accounts" eq "$status $(jget 'all(e["actor_account"] is None for e in j["items"])')" "200 true"
as "$specx" GET "/api/v1/dossiers/$id/events"
ok "another agency cannot read the form: 403" code_is 403 forbidden
as "$leader" GET "/api/v1/dossiers/$id"
ok "a leader reads any dossier (read only)" eq "$status $(jget 'j["actions"]')" "200 []"

call GET "/api/v1/lookup?code=$code&id_last4=2345"
ok "the public look-up shows the delivered dossier" eq "$status $(jget 'j["state"]') $(jget 'j["portal_code"]')" "200 delivered 10"
ok "without staff accounts or personal data" sh -c '! printf "%s" "$1" | grep -q -e spec.b -e appr.b -e off.c -e "Nguyễn Văn Bình" -e 001090012345 -e 0912345678' _ "$out"

# ---- online filing and acceptance ----
online=$(cat <<'EOF'
{"procedure":"1.001193",
 "applicant":{"full_name":"Trần Thị Hoa","id_number":"001190054321","birth_date":"1990-02-03","phone":"0987654321"},
 "residence_commune":"00082","components":[1,2,3,4,5],"collection_unit":"CN03"}
EOF
)
as "$hoa" POST /api/v1/dossiers "$online"
ok "a citizen files online: 201 submitted (portal 1), no code yet" eq "$status $(jget 'j["state"]') $(jget 'j["portal_code"]') $(jget 'j["code"]')" "201 submitted 1 null"
oid=$(jget 'j["id"]')
ok "the applicant may withdraw or change the collection branch" eq "$(jget 'sorted(j["actions"])')" '["change_collection", "complain", "withdraw"]'
as "$offc" GET /api/v1/worklists/acceptance
ok "it waits on the acceptance list of the chosen branch" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$oid\"]"
as "$offa" GET /api/v1/worklists/online
ok "not on another branch's list by default" eq "$(jget 'j["total"]')" 0
as "$offa" GET "/api/v1/worklists/online?all_branches=true"
ok "unless all_branches=true" eq "$(jget 'j["total"]')" 1
as "$hoa" POST "/api/v1/dossiers/$oid/accept" '{"version":1}'
ok "the citizen cannot accept it: 403" code_is 403 forbidden
as "$offc" POST "/api/v1/dossiers/$oid/accept" '{"version":1}'
ok "an officer of branch C accepts it: received" eq "$status $(jget 'j["state"]')" "200 received"
ocode=$(jget 'j["code"]')
ok "the code takes branch C's identifier" contains "$ocode" "000.03.CN.H26-"
as "$offc" GET "/api/v1/dossiers/$oid"
ok "routed to Cửa Nam (the residence), received at CN03" eq "$(jget 'j["competent_unit"]') $(jget 'j["receiving_unit"]') $(jget 'j["channel"]')" "UBND-00082 CN03 online"
as "$offa" POST "/api/v1/dossiers/$oid/accept" '{"version":1}'
ok "a second acceptance with the old version: 409" code_is 409 version_conflict
as "$specx" POST "/api/v1/dossiers/$oid/take" '{"version":2}'
ok "Cửa Nam's specialist takes it" eq "$status $(jget 'j["state"]')" "200 processing"
as "$specx" POST "/api/v1/dossiers/$oid/complete" '{"version":3}'
ok "and completes it (no sign-off step)" eq "$status $(jget 'j["state"]')" "200 result_ready"
as "$hoa" GET "/api/v1/dossiers/$oid"
ok "the applicant follows it" eq "$status $(jget 'j["state"]')" "200 result_ready"

# ---- search and city list ----
as "$offa" GET "/api/v1/dossiers?name=binh"
ok "staff search by folded name within scope" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$id\"]"
as "$offa" GET "/api/v1/dossiers?id_number=001190054321"
ok "branch A does not find branch C's dossier" eq "$status $(jget 'j["total"]')" "200 0"
as "$leader" GET "/api/v1/dossiers?code=$ocode"
ok "a leader finds any dossier by code" eq "$status $(jget 'j["total"]')" "200 1"
as "$offa" GET "/api/v1/dossiers"
ok "a search without criteria: 400 missing_argument" code_is 400 missing_argument
as "$binh" GET "/api/v1/dossiers"
ok "a citizen lists their own dossiers (my dossiers)" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$id\"]"
as "$hoa" GET "/api/v1/dossiers"
ok "another citizen sees only hers" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$oid\"]"
as "$binh" GET "/api/v1/dossiers?name=hoa"
ok "a citizen's search stays within their own dossiers" eq "$status $(jget 'j["total"]')" "200 0"
as "$leader" GET /api/v1/worklists/city
ok "the city list holds the open dossier" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$oid\"]"
as "$leader" GET "/api/v1/worklists/city?state=delivered"
ok "a state filter" eq "$status" 200
as "$leader" GET "/api/v1/worklists/city?state=nonsense"
ok "an unknown state: 400 unknown_state" code_is 400 unknown_state
as "$offa" GET /api/v1/worklists/agency
ok "an officer has no agency list: 403" code_is 403 forbidden
as "$specb" GET /api/v1/worklists/nothing
ok "an unknown list: 404" code_is 404 not_found
as "$specb" GET "/api/v1/worklists/agency?due_within_hours=8&overdue=true"
ok "due_within_hours and overdue filters" eq "$status" 200
as "$specb" GET "/api/v1/worklists/agency?due_within_hours=-3"
ok "a negative due_within_hours: 400" eq "$status" 400
call GET /api/v1/worklists/agency
ok "work lists need a login: 401" code_is 401 unauthorized

# ---- the counter refuses a dossier ----
as "$offa" POST /api/v1/dossiers '{"procedure":"1.001193","applicant":{"full_name":"Lê Văn Cường","id_number":"001095000111"},"residence_commune":"00070","refusal_reason":"thiếu giấy chứng sinh"}'
ok "a refusal at reception: 201 refused_at_reception (portal 3)" eq "$status $(jget 'j["state"]') $(jget 'j["portal_code"]')" "201 refused_at_reception 3"
as "$binh" POST /api/v1/dossiers '{"procedure":"1.001193","applicant":{"full_name":"X","id_number":"001090012345"},"collection_unit":"CN03","refusal_reason":"x"}'
ok "a citizen cannot refuse: 403" code_is 403 forbidden

# ---- a procedure that is not boundary-free ----
as "$offa" POST /api/v1/dossiers '{"procedure":"1.004194","applicant":{"full_name":"Lê Văn Cường","id_number":"001095000111"},"residence_commune":"00070","components":[1,2,3]}'
ok "police registration at a branch: refused with where to go" eq "$status $(jget 'j["code"]') $(jget 'j["detail"]["refer_unit"]')" "409 guard_failed CA-00070"

# ---- two officers race to accept the same online filing ----
as "$hoa" POST /api/v1/dossiers "$online"
rid=$(jget 'j["id"]')
racers=""
for who in a c; do
	tok=$offa
	[ "$who" = c ] && tok=$offc
	curl -s -m 30 -o "$_tmp/race.$who" -w '%{http_code}\n' -H "Authorization: Bearer $tok" \
		-H 'Content-Type: application/json' -d '{"version":1}' \
		"$BASE/api/v1/dossiers/$rid/accept" >"$_tmp/race.$who.status" &
	racers="$racers $!"
done
wait $racers
race=$(cat "$_tmp/race.a.status" "$_tmp/race.c.status" | sort | tr '\n' ' ')
ok "two officers accept at once: one wins, the other gets 409" eq "$race" "200 409 "
as "$offc" GET "/api/v1/dossiers/$rid/events"
ok "and the dossier was accepted exactly once" eq "$(jget '[e["action"] for e in j["items"]]')" '["submit", "accept"]'

# ---- figures ----
call GET /metrics
ok "/metrics counts dossiers by state" contains "$out" 'motcua_dossiers{state="delivered"} 1'
ok "states without dossiers are 0" contains "$out" 'motcua_dossiers{state="stopped"} 0'
run audit verify
ok "the audit chain verifies after all this" eq "$rc" 0
ok "staff reads of personal data are audited" sh -c '[ "$1" -gt 0 ]' _ "$(sql "SELECT count(*) FROM audit WHERE action = 'dossier.read'")"

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
