# Scenario test of legal time against a real server whose clock is moved
# between steps (allow_clock_override + MOTCUA_NOW; the server is restarted at
# each new instant, and API tokens outlive the jumps):
#   - a supplement request pauses the clock over the National Day holiday of
#     2025 and the complete dossier restarts it (procedure 1.004873,
#     3 working days, supplement rule "restart" in data/procedures.csv);
#   - the dossier then runs late and gets an apology with a new appointment,
#     once only (max_extensions 1).
# Calendar facts (data/holidays.csv, docs/calendar.md): Mon 1/9/2025 and Tue
# 2/9/2025 were days off (Quốc khánh + the adjacent day); office hours
# 08:00-12:00, 13:00-17:00; day 1 of a period is the working day after the
# reception day (Civil Code 2015 Art. 147), the due instant is 17:00 of day N.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true

api_init
user_add canbo.a officer CN01
user_add cv.xa specialist UBND-00070
token() { "$MOTCUA" user token "$1" --label clock | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
at() { # at INSTANT: (re)start the server with its clock fixed at INSTANT
	[ -n "${_pid:-}" ] && api_stop
	export MOTCUA_NOW="$1"
	api_start
}

at 2025-08-27T09:00
offa=$(token canbo.a)
spec=$(token cv.xa)
call GET /api/v1/procedures/1.004873
comps=$(jget '[c["seq"] for c in j["components"] if c["required"]]')
body='{"procedure":"1.004873",
 "applicant":{"kind":"person","full_name":"Lê Văn Nam","id_number":"001089012345","birth_date":"1989-03-04","phone":"0911222333"},
 "residence_commune":"00070","components":'"$comps"',"collection_unit":"CN01"}'
as "$offa" POST /api/v1/dossiers "$body"
ok "received Wed 27/8/2025 09:00" eq "$status $(jget 'j["received_at"]')" "201 2025-08-27T09:00:00+07:00"
# day 1 Thu 28/8, day 2 Fri 29/8, Mon 1/9 and Tue 2/9 off, day 3 Wed 3/9
ok "due Wed 3/9/2025 17:00 (the holiday skipped)" eq "$(jget 'j["due_at"]')" "2025-09-03T17:00:00+07:00"
ok "routed to the commune of residence" eq "$(jget 'j["competent_unit"]')" "UBND-00070"
id=$(jget 'j["id"]')
as "$spec" POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "taken by the commune" eq "$status $(jget 'j["state"]')" "200 processing"

at 2025-08-28T10:00
as "$spec" POST "/api/v1/dossiers/$id/request_supplement" '{"version":2,"note":"thiếu tờ khai có chữ ký","components":[1]}'
ok "supplement requested: the clock pauses (portal 5)" eq "$status $(jget 'j["state"]') $(jget 'j["portal_code"]')" "200 supplement_requested 5"
ok "the supplement request issues its form" eq "$(jget 'j["form"]')" "supplement"

# The holiday passes while the dossier waits for the applicant.
at 2025-09-04T09:00
as "$offa" POST "/api/v1/dossiers/$id/receive_supplement" '{"version":3,"components":[1]}'
ok "complete dossier back on Thu 4/9 09:00: processing" eq "$status $(jget 'j["state"]')" "200 processing"
# restart: 3 full working days from Thu 4/9: Fri 5/9, Mon 8/9, Tue 9/9
ok "the legal time restarts: due Tue 9/9/2025 17:00" eq "$(jget 'j["due_at"]')" "2025-09-09T17:00:00+07:00"

# Late: the appointment has passed; the agency apologises and sets a new date.
at 2025-09-10T09:00
as "$spec" GET "/api/v1/worklists/agency?overdue=true"
ok "the dossier is in the agency's overdue list" eq "$status $(jget '[i["id"] for i in j["items"]]')" "200 [\"$id\"]"
as "$spec" POST "/api/v1/dossiers/$id/extend" '{"version":4,"note":"cần xác minh thêm tại nơi cư trú trước","new_due":"2025-09-12T17:00"}'
ok "apology and new appointment" eq "$status $(jget 'j["due_at"]') $(jget 'j["form"]')" "200 2025-09-12T17:00:00+07:00 apology"
# the restart gave a new legal time, so the appointment the dossier missed is 9/9
ok "the missed appointment is kept for the indicators" eq "$(jget 'j["original_due_at"]')" "2025-09-09T17:00:00+07:00"
before=$(db_counts)
as "$spec" POST "/api/v1/dossiers/$id/extend" '{"version":5,"note":"lần nữa","new_due":"2025-09-19T17:00"}'
ok "a second extension is refused (max 1): 409 guard_failed" code_is 409 guard_failed
ok "and changes nothing" eq "$(db_counts)" "$before"
code=$(sql "SELECT code FROM dossier WHERE id = '$id'")
call GET "/api/v1/lookup?code=$code&id_last4=2345"
ok "the public lookup shows the new appointment" eq "$status $(jget 'j["due_at"]')" "200 2025-09-12T17:00:00+07:00"

api_stop
ok "the server stops cleanly" eq "$rc" 0
done_testing
