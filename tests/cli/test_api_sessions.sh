# Scenario tests of the JSON API's sessions, CSRF protection, registration
# and user administration, against a real server on 127.0.0.1 with a
# temporary database (tests/cli/api_lib.sh). Expected behaviour: the issue's
# "Accounts and access" section and docs/api.md.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
user_add admin1 admin ""
user_add sup1 supervisor ""
user_add off.a officer CN01
api_start

# ---- login, who am I, logout (cookie) ----
call POST /api/v1/sessions "{\"username\":\"off.a\",\"password\":\"$PW\"}" -c "$_tmp/jar"
ok "login answers 201" eq "$status" 201
ok "with the account" eq "$(jget 'j["account"]["username"] + " " + j["account"]["unit"] + " " + ",".join(j["account"]["roles"])')" "off.a CN01 officer"
ok "a token for Bearer use (43 characters)" eq "$(jget 'len(j["token"])')" 43
csrf=$(jget 'j["csrf_token"]')
token=$(jget 'j["token"]')
ok "and a CSRF token" eq "$(jget 'len(j["csrf_token"])')" 43
ok "the cookie is HttpOnly and SameSite=Lax" contains "$hdrs" "Set-Cookie: motcua_session=$token; Path=/; Max-Age="
ok "(HttpOnly, SameSite=Lax)" sh -c 'printf "%s" "$1" | grep -i "^set-cookie:" | grep -q "HttpOnly" && printf "%s" "$1" | grep -i "^set-cookie:" | grep -q "SameSite=Lax"' _ "$hdrs"
ok "no password hash in the answer" sh -c '! printf "%s" "$1" | grep -q "argon2"' _ "$out"
ok "not Secure by default (plain-HTTP development)" sh -c '! printf "%s" "$1" | grep -i "^set-cookie:" | grep -q "Secure"' _ "$hdrs"

call GET /api/v1/sessions/current -b "$_tmp/jar"
ok "who am I with the cookie: 200" eq "$status" 200
ok "names the account and the way in" eq "$(jget 'j["account"]["username"] + " " + j["via"]')" "off.a cookie"
ok "and gives the CSRF token again" eq "$(jget 'j["csrf_token"]')" "$csrf"

as "$token" GET /api/v1/sessions/current
ok "who am I with Bearer: 200 via bearer" eq "$status $(jget 'j["via"]')" "200 bearer"

call GET /api/v1/sessions/current
ok "who am I without credentials: 401 unauthorized" code_is 401 unauthorized
ok "with WWW-Authenticate" contains "$hdrs" "WWW-Authenticate: Bearer"

as "not-a-real-token-at-all-not-a-real-token-xx" GET /api/v1/procedures
ok "an unknown Bearer token is refused even on a public list: 401" code_is 401 unauthorized
call GET /api/v1/procedures?limit=1 -H "Authorization: Basic b2ZmLmE6eA=="
ok "another Authorization scheme: 401" code_is 401 unauthorized
call GET /api/v1/procedures?limit=1 -H "Cookie: motcua_session=stale-cookie-value"
ok "a stale cookie on a public list is ignored (200)" eq "$status" 200

# ---- CSRF ----
call DELETE /api/v1/sessions/current -b "$_tmp/jar"
ok "a cookie write without X-CSRF-Token: 403 forbidden" code_is 403 forbidden
ok "the detail names the header" contains "$(jget 'j["detail"]')" "X-CSRF-Token"
call DELETE /api/v1/sessions/current -b "$_tmp/jar" -H "X-CSRF-Token: wrong-token"
ok "a wrong X-CSRF-Token: 403" code_is 403 forbidden
call GET /api/v1/sessions/current -b "$_tmp/jar"
ok "the session still works after refused writes" eq "$status" 200
call POST /api/v1/dossiers '{}' -b "$_tmp/jar"
ok "a dossier POST with the cookie and no CSRF header: 403" code_is 403 forbidden
call POST /api/v1/dossiers '{}' -H "Authorization: Bearer $token"
ok "the same POST with Bearer needs no CSRF (the body is checked: 400)" eq "$status" 400

call DELETE /api/v1/sessions/current -b "$_tmp/jar" -H "X-CSRF-Token: $csrf"
ok "logout with the CSRF header: 200" eq "$status $(jget 'j["logged_out"]')" "200 true"
ok "deletes the cookie" contains "$hdrs" "Set-Cookie: motcua_session=; Path=/; Max-Age=0"
call GET /api/v1/sessions/current -b "$_tmp/jar"
ok "the old cookie no longer works: 401" code_is 401 unauthorized
as "$token" GET /api/v1/sessions/current
ok "nor the same secret as Bearer: 401" code_is 401 unauthorized

# ---- wrong credentials ----
call POST /api/v1/sessions '{"username":"off.a","password":"wrong-password"}'
body_wrong_pw=$out
ok "a wrong password: 401 login_failed" code_is 401 login_failed
call POST /api/v1/sessions '{"username":"nobody.here","password":"wrong-password"}'
ok "an unknown user gets the same answer" eq "$status $out" "401 $body_wrong_pw"
call POST /api/v1/sessions '{"username":"off.a"}'
ok "no password: 400 json_field_missing" code_is 400 json_field_missing
call POST /api/v1/sessions '{"username":"off.a","password":"x","remember":true}'
ok "an unknown field: 400 json_field_unknown" code_is 400 json_field_unknown
call POST /api/v1/sessions -d 'username=off.a&password=x'
ok "a form body: 415 unsupported_media_type" code_is 415 unsupported_media_type
i=0
while [ $i -lt 5 ]; do
	call POST /api/v1/sessions '{"username":"sup1","password":"wrong-password"}'
	i=$((i + 1))
done
call POST /api/v1/sessions "{\"username\":\"sup1\",\"password\":\"$PW\"}"
ok "after 5 failures even the right password is throttled: 429 rate_limited" code_is 429 rate_limited
ok "with Retry-After" contains "$hdrs" "Retry-After: "

# ---- registration of a citizen ----
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090012345","full_name":"Nguyễn Văn Bình","phone":"0912 345 678","password":"binh-password-1"}'
ok "citizen registration: 201" eq "$status" 201
ok "the username is the ID number" eq "$(jget 'j["username"] + " " + j["kind"] + " " + j["phone"]')" "001090012345 citizen 0912345678"
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090012345","full_name":"Nguyễn Văn Bình","phone":"0912345678","password":"binh-password-1"}'
ok "registering twice: 409 db_conflict" code_is 409 db_conflict
call POST /api/v1/accounts '{"kind":"citizen","id_number":"12345","full_name":"X","phone":"0912345678","password":"binh-password-1"}'
ok "an invalid ID number: 400 invalid_cccd" code_is 400 invalid_cccd
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090012399","full_name":"X","phone":"0912345678","password":"short"}'
ok "a weak password: 400 weak_password" code_is 400 weak_password
call POST /api/v1/accounts '{"kind":"person","id_number":"001090012399","full_name":"X","phone":"0912345678","password":"binh-password-1"}'
ok "an unknown kind: 400 json_field_range" code_is 400 json_field_range
call POST /api/v1/accounts '{"kind":"business","tax_code":"0101234567","full_name":"Công ty TNHH Một Cửa","email":"info@example.vn","password":"biz-password-12"}'
ok "business registration: 201" eq "$status $(jget 'j["username"]')" "201 0101234567"
citizen=$(login 001090012345 binh-password-1)
as "$citizen" GET /api/v1/sessions/current
ok "the citizen logs in" eq "$status $(jget 'j["account"]["kind"]')" "200 citizen"

# ---- user administration ----
admin=$(login admin1)
officer=$(login off.a)
as "$admin" POST /api/v1/users '{"username":"spec.b","roles":["specialist"],"unit":"UBND-00070","full_name":"Chuyên viên B","password":"spec-b-password-1"}'
ok "an admin creates a specialist: 201" eq "$status $(jget 'j["username"] + " " + j["unit"]')" "201 spec.b UBND-00070"
ok "with its Location" contains "$hdrs" "Location: /api/v1/users/spec.b"
as "$admin" POST /api/v1/users '{"username":"spec.b","roles":["specialist"],"unit":"UBND-00070","full_name":"B","password":"spec-b-password-1"}'
ok "the same username twice: 409 db_conflict" code_is 409 db_conflict
as "$admin" POST /api/v1/users '{"username":"x.y","roles":["wizard"],"full_name":"B"}'
ok "an unknown role: 400 json_field_range" code_is 400 json_field_range
as "$admin" POST /api/v1/users '{"username":"x.y","roles":["officer"],"unit":"NO_SUCH_UNIT","full_name":"B"}'
ok "an unknown unit: 404 not_found" code_is 404 not_found
as "$admin" POST /api/v1/users '{"username":"x.y","roles":"officer","unit":"CN01","full_name":"B"}'
ok "roles as a string: 400 json_field_type" code_is 400 json_field_type
as "$officer" POST /api/v1/users '{"username":"x.z","roles":["officer"],"unit":"CN01","full_name":"Z","password":"zz-password-123"}'
ok "an officer cannot create users: 403 forbidden" code_is 403 forbidden
as "$officer" GET /api/v1/users
ok "nor list them: 403" code_is 403 forbidden
as "$citizen" GET /api/v1/users
ok "nor can a citizen: 403" code_is 403 forbidden
as "$admin" GET "/api/v1/users?limit=100"
ok "an admin lists the staff" eq "$status $(jget 'sorted(a["username"] for a in j["items"])')" '200 ["admin1", "off.a", "spec.b", "sup1"]'
ok "citizens are left out unless asked" eq "$(jget 'j["total"]')" 4
as "$admin" GET "/api/v1/users?include_citizens=true"
ok "include_citizens=true adds them" eq "$(jget 'j["total"]')" 6
as "$admin" GET "/api/v1/users?include_citizens=maybe"
ok "a bad boolean: 400 invalid_argument" code_is 400 invalid_argument

specb=$(login spec.b spec-b-password-1)
as "$admin" POST /api/v1/users/spec.b/disable
ok "an admin disables a user: 200" eq "$status $(jget 'j["disabled"]') $(jget 'j["sessions_ended"]')" "200 true 1"
as "$specb" GET /api/v1/sessions/current
ok "the disabled user's session stops working: 401" code_is 401 unauthorized
call POST /api/v1/sessions '{"username":"spec.b","password":"spec-b-password-1"}'
ok "and it cannot log in: 401 login_failed" code_is 401 login_failed
as "$admin" POST /api/v1/users/admin1/disable
ok "an admin cannot disable itself: 403" eq "$status" 403
as "$admin" POST /api/v1/users/spec.b/enable
ok "enable again: 200" eq "$status $(jget 'j["disabled"]')" "200 false"
as "$admin" POST /api/v1/users/no.such.user/disable
ok "disabling an unknown user: 404" code_is 404 not_found

as "$admin" POST /api/v1/users/admin1/tokens '{"label":"portal sync"}'
ok "an admin makes an API token: 201" eq "$status $(jget 'j["label"]')" "201 portal sync"
api_token=$(jget 'j["token"]')
as "$api_token" GET /api/v1/sessions/current
ok "the API token works as Bearer" eq "$status $(jget 'j["api_token"]') $(jget 'j["label"]')" "200 true portal sync"

# Cookie login of the admin: a write needs the CSRF header, a read does not.
call POST /api/v1/sessions "{\"username\":\"admin1\",\"password\":\"$PW\"}" -c "$_tmp/jar.admin"
acsrf=$(jget 'j["csrf_token"]')
call GET /api/v1/users -b "$_tmp/jar.admin"
ok "a cookie read needs no CSRF header" eq "$status" 200
call POST /api/v1/users/off.a/disable -b "$_tmp/jar.admin"
ok "a cookie write without it is refused" code_is 403 forbidden
as "$officer" GET /api/v1/sessions/current
ok "and changed nothing (the officer is still active)" eq "$status" 200
call POST /api/v1/users '{"username":"pt.officer","roles":["officer"],"unit":"CN02","full_name":"Cán bộ CN02","password":"pt-officer-pass-1"}' -b "$_tmp/jar.admin" -H "X-CSRF-Token: $acsrf"
ok "with the header it goes through: 201" eq "$status" 201

# Every staff write above is in the audit log, and the chain verifies.
run audit verify
ok "audit verify passes after the API writes" eq "$rc" 0

api_stop
ok "the server stops on SIGTERM with status 0" eq "$rc" 0

# Behind TLS the cookie is marked Secure (cookie_secure = true).
MOTCUA_COOKIE_SECURE=true api_start
call POST /api/v1/sessions "{\"username\":\"off.a\",\"password\":\"$PW\"}"
ok "with cookie_secure the session cookie is Secure" sh -c 'printf "%s" "$1" | grep -i "^set-cookie: motcua_session=" | grep -q "; Secure"' _ "$hdrs"
api_stop
done_testing
