# Scenario tests of bad input to the JSON API against a real server
# (tests/cli/api_lib.sh): each is answered with the right 4xx and its
# registry code (base/errors.def), and the database does not change (the
# row counts of dossiers, events, applicants, components, outbox and
# counters, and the sum of dossier versions, read with python's sqlite3).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
user_add off.a officer CN01
user_add spec.b specialist UBND-00070
api_start
offa=$(login off.a)
specb=$(login spec.b)

good='{"procedure":"1.001193","applicant":{"full_name":"Đỗ Minh Châu","id_number":"001095000111"},"residence_commune":"00070","components":[1,2,3,4,5],"collection_unit":"CN01"}'
as "$offa" POST /api/v1/dossiers "$good"
ok "a good form is received (201)" eq "$status" 201
id=$(jget 'j["id"]')
before=$(db_counts)

bad() { # bad STATUS CODE WHAT BODY [CURL ARGS...]: POST /api/v1/dossiers as the officer
	_st=$1
	_code=$2
	_what=$3
	shift 3
	as "$offa" POST /api/v1/dossiers "$@"
	ok "$_what: $_st $_code" code_is "$_st" "$_code"
}

bad 400 invalid_json "malformed JSON" '{"procedure":"1.001193",'
bad 400 invalid_json "not an object" '["procedure"]'
bad 400 invalid_json "trailing garbage" "$good x"
bad 400 json_field_type "a number for a name" '{"procedure":"1.001193","applicant":{"full_name":123,"id_number":"001095000111"}}'
bad 400 json_field_type "a string for a boolean" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"by_post":"yes"}'
bad 400 json_field_type "components as a string" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"components":"1,2"}'
bad 400 json_field_type "a component as a string" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"components":["1"]}'
bad 400 json_field_unknown "an unknown field" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"priority":"high"}'
bad 400 json_field_unknown "an unknown nested field" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111","nickname":"B"}}'
bad 400 json_duplicate_key "a duplicate key" '{"procedure":"1.001193","procedure":"1.000656","applicant":{"full_name":"A","id_number":"001095000111"}}'
bad 400 json_field_missing "no procedure" '{"applicant":{"full_name":"A","id_number":"001095000111"}}'
bad 400 json_field_missing "no applicant" '{"procedure":"1.001193"}'
bad 400 json_field_range "an empty name" '{"procedure":"1.001193","applicant":{"full_name":"","id_number":"001095000111"}}'
bad 400 json_field_range "component 0" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"components":[0]}'
bad 400 json_field_range "an applicant kind that does not exist" '{"procedure":"1.001193","applicant":{"kind":"alien","full_name":"A","id_number":"001095000111"}}'
bad 400 invalid_date "a birth date that does not exist" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111","birth_date":"1995-02-30"}}'
long=$(python3 -c 'print("A" * 300)')
bad 400 json_field_range "a name longer than the limit" "{\"procedure\":\"1.001193\",\"applicant\":{\"full_name\":\"$long\",\"id_number\":\"001095000111\"}}"
many=$(python3 -c 'print(",".join(str(i % 5 + 1) for i in range(65)))')
bad 400 json_field_range "more than 64 components" "{\"procedure\":\"1.001193\",\"applicant\":{\"full_name\":\"A\",\"id_number\":\"001095000111\"},\"components\":[$many]}"
co=$(python3 -c 'import json; print(json.dumps([{"full_name":"B","id_number":"0010950001%02d" % i} for i in range(9)]))')
bad 400 json_field_range "more than 8 further applicants" "{\"procedure\":\"1.001193\",\"applicant\":{\"full_name\":\"A\",\"id_number\":\"001095000111\"},\"co_applicants\":$co}"
bad 400 invalid_cccd "an ID number of 5 digits" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"12345"},"residence_commune":"00070","components":[1,2,3,4,5]}'
bad 400 invalid_cccd "an ID number with an unknown province code" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"999095000111"},"residence_commune":"00070","components":[1,2,3,4,5]}'
bad 400 cccd_mismatch "an ID number that does not match the birth year" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111","birth_date":"1980-01-01"},"residence_commune":"00070","components":[1,2,3,4,5]}'
bad 404 not_found "an unknown procedure" '{"procedure":"9.999999","applicant":{"full_name":"A","id_number":"001095000111"},"residence_commune":"00070"}'
bad 400 missing_argument "a required component missing" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"residence_commune":"00070","components":[1]}'
bad 400 invalid_argument "an unknown commune" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"residence_commune":"99999","components":[1,2,3,4,5]}'
bad 400 competent_unit_required "no residence: the officer must choose the competent unit" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"components":[1,2,3,4,5]}'
bad 400 invalid_argument "a branch that does not return results" '{"procedure":"1.001193","applicant":{"full_name":"A","id_number":"001095000111"},"residence_commune":"00070","components":[1,2,3,4,5],"collection_unit":"SO_TU_PHAP"}'
bad 415 unsupported_media_type "a body that is not declared as JSON" -d "$good" -H "Content-Type: text/plain"

big=$(python3 -c 'print("{\"note\":\"" + "x" * 70000 + "\"}")')
bad 413 payload_too_large "a body above 64 KiB" "$big"
python3 -c 'import sys; sys.stdout.write("{\"note\":\"" + "y" * (2 << 20) + "\"}")' >"$_tmp/huge.json"
status=$(curl -s -m 30 -o "$_tmp/resp" -w '%{http_code}' -H "Authorization: Bearer $offa" -H 'Content-Type: application/json' -H 'Expect:' --data-binary @"$_tmp/huge.json" "$BASE/api/v1/dossiers")
out=$(cat "$_tmp/resp")
ok "a 2 MiB body: 413 payload_too_large (answered, not reset)" code_is 413 payload_too_large
call GET /healthz
ok "the server is fine afterwards" eq "$status" 200

after=$(db_counts)
ok "no bad form changed the database" eq "$after" "$before"

# ---- actions ----
act() { # act STATUS CODE WHAT ACTION BODY [CURL ARGS...]: as the specialist
	_st=$1
	_code=$2
	_what=$3
	_a=$4
	shift 4
	as "$specb" POST "/api/v1/dossiers/$id/$_a" "$@"
	ok "$_what: $_st $_code" code_is "$_st" "$_code"
}
act 400 invalid_json "malformed JSON in an action" take '{"version":1'
act 400 json_field_type "a version as a string" take '{"version":"1"}'
act 400 json_field_type "a version as a real" take '{"version":1.0}'
act 400 json_field_range "version 0" take '{"version":0}'
act 400 json_field_unknown "an unknown action field" take '{"version":1,"urgent":true}'
act 400 json_duplicate_key "a duplicate version" take '{"version":1,"version":1}'
act 400 invalid_argument "If-Match that is not a version" take -H 'If-Match: "abc"'
act 400 missing_argument "a supplement request without its note" request_supplement '{"version":1}'
act 400 invalid_time "an extension with a date that is not a time" extend '{"version":1,"note":"late","new_due":"soon"}'
act 409 action_not_allowed "complete before taking" complete '{"version":1}'
act 409 action_not_allowed "deliver in the received state" deliver '{"version":1,"collector_id_number":"001095000111"}'
act 409 version_conflict "a version from the future" take '{"version":7}'
act 404 unknown_action "an action that does not exist" promote '{"version":1}'
as "$specb" POST "/api/v1/dossiers/ffffffffffffffff/take" '{"version":1}'
ok "an unknown dossier: 404 not_found" code_is 404 not_found
as "$offa" POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "the wrong role: 403 forbidden" code_is 403 forbidden
call POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "no login: 401 unauthorized" code_is 401 unauthorized
big=$(python3 -c 'print("{\"version\":1,\"note\":\"" + "x" * 9000 + "\"}")')
act 413 payload_too_large "an action body above 8 KiB" take "$big"
long=$(python3 -c 'print("x" * 1001)')
act 400 json_field_range "a note above 1000 bytes" request_supplement "{\"version\":1,\"note\":\"$long\"}"

as "$specb" GET "/api/v1/dossiers/$id"
ok "the dossier is untouched: received, version 1" eq "$(jget 'j["state"]') $(jget 'j["version"]')" "received 1"
after=$(db_counts)
ok "no bad action changed the database" eq "$after" "$before"
as "$specb" POST "/api/v1/dossiers/$id/take" '{"version":1}'
ok "and the good action still works" eq "$status $(jget 'j["state"]')" "200 processing"

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
