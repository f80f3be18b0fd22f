# Scenario tests of the dossier page (src/web/web_dossier.c) against a real
# server (tests/cli/api_lib.sh): one dossier of 1.004873 (certificate of
# marital status: 3 working days, a sign-off step; data/procedures.csv)
# received at branch A (CN01) for Nguyễn Văn Bình of Hoàn Kiếm, with the
# result to be collected at branch C (CN03), driven from its page alone by
# every role in turn -- the specialist takes it and asks for a supplement,
# the citizen supplies it, the draft is signed off, sent, received at C and
# handed over after the collector check, the citizen rates -- the roles and
# transitions of domain/lifecycle.def. Also: who may open the page (the
# scope rules of docs/lifecycle.md §3: another commune's specialist gets 403,
# another citizen 404), CSRF refusal, a stale version (409 and the fresh
# page), validation that keeps what was typed, notes shown as text, and the
# printable slip.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
# The server's clock is fixed on Wednesday 25/11/2026 09:30 (office hours).
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true MOTCUA_NOW=2026-11-25T09:30

api_init
cat >"$_tmp/people.csv" <<'EOF'
id_number,full_name,birth_date,sex,residence_commune
001090012345,Nguyễn Văn Bình,1990-05-01,male,00070
001190054321,Trần Thị Hoa,1990-02-03,female,00082
EOF
"$MOTCUA" import population "$_tmp/people.csv" >>"$_tmp/setup.log" 2>&1 || { echo "Bail out! population import failed"; exit 1; }
user_add leader1 leader ""
user_add off.a officer CN01
user_add off.c officer CN03
user_add spec.b specialist UBND-00070
user_add spec.b2 specialist UBND-00070
user_add appr.b approver UBND-00070
user_add spec.x specialist UBND-00082
api_start

call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090012345","full_name":"Nguyễn Văn Bình","phone":"0912345678","password":"Mot-cua-2025-secret"}'
binh_id=$(jget 'j["id"]')
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001190054321","full_name":"Trần Thị Hoa","phone":"0987654321","password":"Mot-cua-2025-secret"}'
offa=$(login off.a)

# the dossier, received over the API at branch A
form=$(cat <<EOF
{"procedure":"1.004873",
 "applicant":{"kind":"person","full_name":"Nguyễn Văn Bình","id_number":"001090012345",
              "birth_date":"1990-05-01","phone":"0912345678","address":"12 Hàng Bạc"},
 "components":[1,{"seq":2,"original_kept":true},3],
 "collection_unit":"CN03", "owner_account":"$binh_id"}
EOF
)
as "$offa" POST /api/v1/dossiers "$form"
ok "setup: a dossier received at branch A" eq "$status" 201
id=$(jget 'j["id"]')
code=$(jget 'j["code"]')

# version: the version field of the last page
version() {
	printf '%s' "$out" | sed -n 's/.*name="version" value="\([0-9]*\)".*/\1/p' | head -1
}
# location: the Location header of the last answer
location() {
	printf '%s' "$hdrs" | sed -n 's/^[Ll]ocation: //p' | head -1
}
# act JAR 'action=...&...': opens the dossier page as JAR, then posts the action with
# the version the page showed
act() {
	web_get "$1" "/dossiers/$id"
	_v=$(version)
	web_post "$1" "/dossiers/$id/act" "$2&version=$_v"
}
# state_is STATE: the dossier's state as the API says
state_is() {
	as "$offa" GET "/api/v1/dossiers/$id"
	[ "$(jget 'j["state"]')" = "$1" ]
}
lacks() {
	! has "$1"
}

# ---- who may open the page ----
web_get anon "/dossiers/$id"
ok "anonymous: 303 to the login page" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "^Location: /login?next=%2Fdossiers%2F"' _ "$status" "$hdrs"
web_login specx spec.x
web_get specx "/dossiers/$id"
ok "a specialist of another commune: 403, no personal data" sh -c '[ "$1" = 403 ] && ! printf "%s" "$2" | grep -q -e 001090012345 -e "Nguyễn Văn Bình"' _ "$status" "$out"
web_login hoa 001190054321
web_get hoa "/dossiers/$id"
ok "another citizen: 404, as for no dossier" sh -c '[ "$1" = 404 ] && ! printf "%s" "$2" | grep -q 001090012345' _ "$status" "$out"
web_login binh 001090012345
web_get binh "/dossiers/$id"
ok "the owner opens it: code, state, personal data" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "Hồ sơ $3" && printf "%s" "$2" | grep -q "001090012345" && printf "%s" "$2" | grep -q "Đã tiếp nhận"' _ "$status" "$out" "$code"
ok "the owner does not see staff accounts in the form" sh -c '! printf "%s" "$1" | grep -q "off\.a"' _ "$out"
ok "the owner may withdraw or change the branch, not take it" sh -c 'printf "%s" "$1" | grep -q "id=\"act-form-withdraw\"" && printf "%s" "$1" | grep -q "id=\"act-form-change_collection\"" && ! printf "%s" "$1" | grep -q "act-form-take"' _ "$out"
web_get binh "/dossiers/$code"
ok "the page also opens by code" eq "$status" 200
web_login leader leader1
web_get leader "/dossiers/$id"
ok "a leader reads it, with nothing to do" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "Bạn không có thao tác nào" && ! printf "%s" "$2" | grep -q "act-form-"' _ "$status" "$out"
web_get binh "/dossiers/ffffffffffffffff"
ok "an unknown dossier: 404 page" eq "$status" 404

# ---- the competent commune's specialist ----
web_login specb spec.b
web_get specb "/dossiers/$id"
ok "spec.b: 200 with the process control form and the receiving officer" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "id=\"timeline\"" && printf "%s" "$2" | grep -q "Tiếp nhận hồ sơ</td>" && printf "%s" "$2" | grep -q " · off.a</td>"' _ "$status" "$out"
ok "remaining working time and the appointment" sh -c 'printf "%s" "$1" | grep -q "id=\"remaining\"" && printf "%s" "$1" | grep -q "id=\"due\""' _ "$out"
ok "the actions of the table for a specialist at 'received'" sh -c 'for a in take transfer request_supplement extend handover; do printf "%s" "$1" | grep -q "id=\"act-form-$a\"" || exit 1; done; ! printf "%s" "$1" | grep -q -e act-form-deliver -e act-form-withdraw' _ "$out"
ok "every action form carries the dossier's version" eq "$(version)" 1

web_post specb "/dossiers/$id/act" "_csrf=forged&action=take&version=1"
ok "a forged CSRF token: 403" eq "$status" 403
web_get binh "/dossiers/$id"
binh_csrf=$csrf
web_get specb "/dossiers/$id"
web_post specb "/dossiers/$id/act" "_csrf=$binh_csrf&action=take&version=1"
ok "another session's token is refused too: 403" eq "$status" 403
ok "nothing changed" state_is received

act specb "action=take"
ok "take from the page: 303 back to the page" sh -c '[ "$1" = 303 ] && [ "$2" = "/dossiers/$3?done=take" ]' _ "$status" "$(location)" "$id"
ok "the dossier is being processed" state_is processing
web_get specb "/dossiers/$id?done=take"
ok "the page says it was done" has "Đã thực hiện: Nhận xử lý."

web_post specb "/dossiers/$id/act" "action=submit_signoff&version=1"
ok "a stale version: 409" eq "$status" 409
ok "with a readable message" has "Hồ sơ vừa được người khác cập nhật"
ok "and the fresh page (version 2, state processing)" sh -c '[ "$(printf "%s" "$1" | sed -n "s/.*name=\"version\" value=\"\([0-9]*\)\".*/\1/p" | head -1)" = 2 ] && printf "%s" "$1" | grep -q "Đang giải quyết"' _ "$out"
ok "nothing changed" state_is processing

web_post specb "/dossiers/$id/act" "action=fly&version=2"
ok "an unknown action: 404" eq "$status" 404
web_get specb "/dossiers/$id/act"
ok "the action address opened by GET (e.g. a language switch after a failed form) leads to the page" eq "$status $(location)" "303 /dossiers/$id"

# ---- validation keeps what was typed ----
act specb "action=reassign&to_account=nobody.here&note=$(enc 'giao lại')"
ok "reassign to an unknown account: 400" eq "$status" 400
ok "the message is next to the field, the typed values kept" sh -c 'printf "%s" "$1" | grep -q "id=\"ae-reassign-to_account\"" && printf "%s" "$1" | grep -q "value=\"nobody.here\"" && printf "%s" "$1" | grep -q "value=\"giao lại\""' _ "$out"
act specb "action=request_supplement&components=3"
ok "a supplement request without its reason: 400" eq "$status" 400
ok "the note is marked and the ticked component kept" sh -c 'printf "%s" "$1" | grep -q "id=\"ae-request_supplement-note\"" && printf "%s" "$1" | grep -q "id=\"a-request_supplement-components-3\" name=\"components\" value=\"3\" checked"' _ "$out"
act specb "action=extend&new_due=tomorrow&note=x"
ok "an extension with a date that is not a date: 400 at the field" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"ae-extend-new_due\""' _ "$status" "$out"
act specb "action=extend&new_due=2020-01-02T10:00&note=x"
ok "an extension to the past: 400 with the rule next to the field" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "Hẹn mới phải sau hẹn hiện tại"' _ "$status" "$out"
ok "nothing changed" state_is processing

act specb "action=reassign&to_account=spec.b2"
ok "reassign to another specialist of the commune by username" eq "$status" 303
as "$offa" GET "/api/v1/dossiers/$id"
ok "the new holder is spec.b2's account" eq "$(jget 'j["holder_account"]')" "$(sql "SELECT id FROM account WHERE username = 'spec.b2'")"

xss='<script>alert(1)</script> " onmouseover="x'
act specb "action=request_supplement&components=3&note=$(enc "$xss")"
ok "a supplement request with components: 303" eq "$status" 303
ok "the clock pauses" state_is supplement_requested
web_get specb "/dossiers/$id"
ok "the note shows as text" has '&lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=&quot;x'
ok "and never as markup" lacks '<script>alert(1)'
ok "the pause is shown, the component marked missing" sh -c 'printf "%s" "$1" | grep -q "Tạm dừng tính thời gian" && printf "%s" "$1" | grep -q "class=\"comp-missing\""' _ "$out"

# ---- the citizen supplies the component ----
web_get binh "/dossiers/$id"
ok "the citizen is offered the supplement, with the missing component ticked" sh -c 'printf "%s" "$1" | grep -q "id=\"act-form-receive_supplement\"" && printf "%s" "$1" | grep -q "id=\"a-receive_supplement-components-3\" name=\"components\" value=\"3\" checked"' _ "$out"
act binh "action=receive_supplement&components=3"
ok "and sends it from the page" sh -c '[ "$1" = 303 ] && [ "$2" = "/dossiers/$3?done=receive_supplement" ]' _ "$status" "$(location)" "$id"
ok "processing again" state_is processing

# ---- fees ----
web_login specb2 spec.b2
act specb2 "action=request_fee&fee_vnd=abc"
ok "a fee that is not a number: 400 at the field, the value kept" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"ae-request_fee-fee_vnd\"" && printf "%s" "$2" | grep -q "value=\"abc\""' _ "$status" "$out"
act specb2 "action=request_fee&fee_vnd=$(enc '3.000')"
ok "fees requested (3.000 đ written the Vietnamese way)" state_is fees_due
ok "the amount stored" eq "$(jget 'j["fee_vnd"]')" 3000
web_get binh "/dossiers/$id"
ok "the citizen sees the fee and may record the payment online" sh -c 'printf "%s" "$1" | grep -q "3.000 đ" && printf "%s" "$1" | grep -q "<option value=\"online\" selected>"' _ "$out"
act binh "action=record_payment&payment_channel=online"
ok "paid: processing again" state_is processing

# ---- sign-off and the way back to branch C ----
act specb2 "action=submit_signoff&note=$(enc 'dự thảo')"
ok "the holder submits the draft for sign-off" state_is awaiting_signoff
web_login apprb appr.b
web_get apprb "/dossiers/$id"
ok "the approver sees sign-off, refusal and rework" sh -c 'for a in sign_off refuse return_for_rework; do printf "%s" "$1" | grep -q "id=\"act-form-$a\"" || exit 1; done' _ "$out"
act apprb "action=refuse"
ok "a refusal without its reason: 400, nothing changed" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"ae-refuse-note\""' _ "$status" "$out"
act apprb "action=sign_off"
ok "signed off: the result is ready" state_is result_ready
act specb2 "action=send_result"
ok "the result is sent to branch C" state_is result_in_transit

web_login offa off.a
web_get offa "/dossiers/$id"
ok "branch A (not the branch of collection) may not receive the result" sh -c '[ "$1" = 200 ] && ! printf "%s" "$2" | grep -q "act-form-receive_result"' _ "$status" "$out"
web_login offc off.c
act offc "action=receive_result"
ok "branch C receives the result" state_is result_at_branch
web_get offc "/dossiers/$id"
ok "and is offered the hand-over with the collector check" sh -c 'printf "%s" "$1" | grep -q "id=\"a-deliver-collector_name\"" && printf "%s" "$1" | grep -q "id=\"a-deliver-collector_id_number\""' _ "$out"

act offc "action=deliver&collector_name=$(enc 'Trần Thị Hoa')&collector_id_number=001190054321"
ok "a collector who is neither applicant nor representative: 409" eq "$status" 409
ok "the refusal is next to the ID number, the name kept" sh -c 'printf "%s" "$1" | grep -q "id=\"ae-deliver-collector_id_number\"" && printf "%s" "$1" | grep -q "không khớp với người nộp" && printf "%s" "$1" | grep -q "value=\"Trần Thị Hoa\""' _ "$out"
act offc "action=deliver&collector_name=X&collector_id_number=12345"
ok "a malformed ID number: 400" eq "$status" 400
act offc "action=deliver&collector_id_number=001090012345"
ok "no collector name: 400 at the name" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"ae-deliver-collector_name\""' _ "$status" "$out"
ok "the result is still at the branch" state_is result_at_branch
act offc "action=deliver&collector_name=$(enc 'Nguyễn Văn Bình')&collector_id_number=001090012345"
ok "handed over to the applicant" state_is delivered
web_get offc "/dossiers/$id"
ok "the form records who collected it" has "Người nhận: Nguyễn Văn Bình"
ok "steps are judged early / on time / late" sh -c 'printf "%s" "$1" | grep -q -e ">Trước hạn</td>" -e ">Đúng hạn</td>" -e ">Trễ hạn</td>"' _ "$out"

# ---- the citizen rates ----
web_get binh "/dossiers/$id"
ok "the citizen may rate now" has 'id="act-form-rate"'
act binh "action=rate&comment=$(enc 'rất nhanh')"
ok "a rating without a level: 400, the comment kept" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "rất nhanh</textarea>"' _ "$status" "$out"
act binh "action=rate&rating=very_satisfied&comment=$(enc 'rất nhanh')"
ok "rated" eq "$status" 303
web_get binh "/dossiers/$id"
ok "no second rating" lacks 'id="act-form-rate"'
as "$offa" GET "/api/v1/dossiers/$id/events"
ok "the process control form has every step done from the pages" eq "$(jget '[e["action"] for e in j["items"]]')" '["receive", "take", "reassign", "request_supplement", "receive_supplement", "request_fee", "record_payment", "submit_signoff", "sign_off", "send_result", "receive_result", "deliver", "rate"]'

# ---- the slip ----
web_get binh "/dossiers/$id/slip"
ok "the owner prints the slip" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" && printf "%s" "$2" | grep -q "id=\"slip-code\">$3<"' _ "$status" "$out" "$code"
web_get specx "/dossiers/$id/slip"
ok "not another commune's specialist" eq "$status" 403
hoa=$(login 001190054321)
as "$hoa" POST /api/v1/dossiers '{"procedure":"1.001193","applicant":{"full_name":"Trần Thị Hoa","id_number":"001190054321","birth_date":"1990-02-03"},"components":[1,2],"collection_unit":"CN03"}'
oid=$(jget 'j["id"]')
web_get hoa "/dossiers/$oid"
ok "an online filing without a code yet: its page" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "Hồ sơ chưa có mã"' _ "$status" "$out"
web_get hoa "/dossiers/$oid/slip"
ok "has no slip yet: 409" eq "$status" 409

# ---- accept at the counter from the page ----
web_get offc "/dossiers/$oid"
ok "an officer may accept or refuse the online filing" sh -c 'printf "%s" "$1" | grep -q "id=\"act-form-accept\"" && printf "%s" "$1" | grep -q "id=\"act-form-refuse_reception\""' _ "$out"
web_post offc "/dossiers/$oid/act" "action=accept&version=1"
ok "accepted: 303 with the notice" eq "$status $(location)" "303 /dossiers/$oid?done=accept"
web_get offc "/dossiers/$oid?done=accept"
ok "the notice offers the slip" has 'id="notice-slip"'

web_get binh "/lang?to=en&back=/"
web_get binh "/dossiers/$id"
ok "in English after the switch" sh -c 'printf "%s" "$1" | grep -q "Process control form" && printf "%s" "$1" | grep -q "Result delivered"' _ "$out"

# The forms of the dossier as signed PDF, linked from its page (docs/documents.md).
web_get specb "/dossiers/$id"
ok "the page links the receipt and the process control form" sh -c 'printf "%s" "$1" | grep -qF "href=\"/api/v1/dossiers/$2/forms/receipt.pdf\"" && printf "%s" "$1" | grep -qF "href=\"/api/v1/dossiers/$2/forms/control.pdf\""' _ "$out" "$id"
pdf_type=$(curl -s -o "$_tmp/receipt.pdf" -w '%{http_code} %{content_type}' -b "$_tmp/jar.specb" "$BASE/api/v1/dossiers/$id/forms/receipt.pdf")
ok "the link gives the PDF to whoever may see the dossier" sh -c '[ "$1" = "200 application/pdf" ] && head -c 5 "$2" | grep -q "%PDF-"' _ "$pdf_type" "$_tmp/receipt.pdf"
pdf_other=$(curl -s -o /dev/null -w '%{http_code}' -b "$_tmp/jar.specx" "$BASE/api/v1/dossiers/$id/forms/receipt.pdf")
ok "not to a specialist of another commune" sh -c '[ "$1" = 403 ] || [ "$1" = 404 ]' _ "$pdf_other"

size=$(curl -s -o /dev/null -w '%{size_download}' -b "$_tmp/jar.specb" "$BASE/dossiers/$id")
ok "the page stays under 100 KB ($size bytes)" sh -c '[ "$1" -gt 1000 ] && [ "$1" -lt 102400 ]' _ "$size"

run audit verify
ok "the audit chain verifies" eq "$rc" 0
api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
