# Scenario tests of the public status look-up GET /api/v1/lookup against a
# real server (tests/cli/api_lib.sh). Expected behaviour: the issue's JSON
# API section and service/lookup.h: a wrong code and a wrong secret get the
# same 404 body; LOOKUP_FAIL_MAX (10) failed look-ups from one address in
# LOOKUP_FAIL_WINDOW get 429 with Retry-After; correct look-ups never count,
# and correct look-ups are never throttled, even from a throttled address;
# another address is not affected (curl --interface 127.0.0.2: every 127/8
# address is local on Linux).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
user_add off.a officer CN01
api_start
offa=$(login off.a)

as "$offa" POST /api/v1/dossiers '{"procedure":"1.001193","applicant":{"full_name":"Phạm Thu Trang","id_number":"001195067890","phone":"0901112233"},"residence_commune":"00070","components":[1,2,3,4,5],"collection_unit":"CN03"}'
ok "a dossier is received at the counter" eq "$status" 201
code=$(jget 'j["code"]')

call GET "/api/v1/lookup?code=$code&id_last4=7890"
ok "look-up with the last 4 digits of the ID number: 200" eq "$status" 200
ok "state, portal code, appointment, where to collect" eq "$(jget 'j["state"]') $(jget 'j["portal_code"]') $(jget 'j["due_at"] is not None') $(jget 'j["collection"]["unit"]')" "received 2 true CN03"
ok "the procedure's names" eq "$(jget 'j["procedure"]["name_vi"]')" "Đăng ký khai sinh"
ok "the history names the unit that acted" eq "$(jget '[(h["action"], h["unit"]) for h in j["history"]]')" '[["receive", "CN01"]]'
ok "no personal data, no staff account" sh -c '! printf "%s" "$1" | grep -q -e "Phạm Thu Trang" -e 001195067890 -e 0901112233 -e off.a -e holder -e actor' _ "$out"
call GET "/api/v1/lookup?code=$code&id_last4=2233"
ok "or with the last 4 digits of the phone: 200" eq "$status" 200

# Correct look-ups never count: more of them than the failure limit.
n=0
i=0
while [ $i -lt 12 ]; do
	call GET "/api/v1/lookup?code=$code&id_last4=7890"
	[ "$status" = 200 ] && n=$((n + 1))
	i=$((i + 1))
done
ok "12 correct look-ups in a row all answer 200" eq "$n" 12

# A wrong code and a wrong secret are indistinguishable.
call GET "/api/v1/lookup?code=000.01.CN.H26-250101-9999&id_last4=7890"
wrong_code="$status $out"
call GET "/api/v1/lookup?code=$code&id_last4=0000"
wrong_secret="$status $out"
ok "a wrong code: 404 not_found" eq "$(printf '%s' "$wrong_code" | cut -c1-3)" 404
ok "a wrong secret gets exactly the same answer" eq "$wrong_secret" "$wrong_code"
call GET "/api/v1/lookup?id_last4=7890"
ok "no code at all: the same answer" eq "$status $out" "$wrong_code"
call GET "/api/v1/lookup?code=$code&id_last4=78a0"
ok "a secret that is not 4 digits: 400 invalid_argument" code_is 400 invalid_argument
call GET "/api/v1/lookup?code=$code"
ok "no secret: 400" code_is 400 invalid_argument

# 3 failures so far (wrong code, wrong secret, no code); 7 more reach the limit.
n=0
i=0
while [ $i -lt 7 ]; do
	call GET "/api/v1/lookup?code=$code&id_last4=$((1000 + i))"
	[ "$status" = 404 ] && n=$((n + 1))
	i=$((i + 1))
done
ok "failures up to the limit of 10 answer 404" eq "$n" 7
call GET "/api/v1/lookup?code=$code&id_last4=1111"
ok "the next one: 429 rate_limited" code_is 429 rate_limited
ok "with Retry-After" contains "$hdrs" "Retry-After: "
call GET "/api/v1/lookup?code=000.01.CN.H26-250101-9998&id_last4=1111"
ok "wrong codes too: 429" code_is 429 rate_limited
call GET "/api/v1/lookup?code=$code&id_last4=7890"
ok "a correct one from the throttled address is never throttled" eq "$status $(jget 'j["code"]')" "200 $code"
call GET "/api/v1/lookup?code=$code&id_last4=7890" --interface 127.0.0.2
ok "a correct look-up from another address still succeeds" eq "$status $(jget 'j["code"]')" "200 $code"
call GET "/api/v1/lookup?code=$code&id_last4=0001" --interface 127.0.0.2
ok "and that address has its own count (404)" code_is 404 not_found

# Staff work is not affected by the public limit.
as "$offa" GET "/api/v1/dossiers/$code"
ok "the officer still reads the dossier" eq "$status" 200

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
