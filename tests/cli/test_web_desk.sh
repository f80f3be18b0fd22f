# Scenario tests of the counter desk (src/web/web_desk.c) against a real server
# (tests/cli/api_lib.sh): intake in one screen -- the population check confirms
# the applicant, fills the residence and ticks the components the registry
# replaces, the appointment is computed before anything is saved (docs/lifecycle.md
# §4-5), then the dossier is received and its slip printed -- validation that
# keeps what was typed, the competent unit chosen when it cannot be found, a
# procedure that is not boundary-free, refusal at reception, today's list, the
# online filings, the results waiting at the branch and the search within the
# branch's scope (service/worklist.h). Expected values come from data/
# (procedures 1.004873: 3 working days, [DC] components 2, 3 and 5; 1.004194:
# police registration, not boundary-free; units CN01, CN03, CN07).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
# The server's clock is fixed on Wednesday 25/11/2026 09:30 (office hours), then
# moved to the next morning for today's list.
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true MOTCUA_NOW=2026-11-25T09:30

api_init
cat >"$_tmp/people.csv" <<'EOF'
id_number,full_name,birth_date,sex,residence_commune
001090012345,Nguyễn Văn Bình,1990-05-01,male,00070
001190054321,Trần Thị Hoa,1990-02-03,female,00082
001085000777,Phạm Minh Đức,1985-07-07,male,
EOF
"$MOTCUA" import population "$_tmp/people.csv" >>"$_tmp/setup.log" 2>&1 || { echo "Bail out! population import failed"; exit 1; }
user_add off.a officer CN01
user_add off.c officer CN03
user_add off.e officer CN07
user_add spec.b specialist UBND-00070
user_add appr.b approver UBND-00070
api_start

location() {
	printf '%s' "$hdrs" | sed -n 's/^[Ll]ocation: //p' | head -1
}
lacks() {
	! has "$1"
}
# field_value NAME: the value attribute of the input NAME in the last page
field_value() {
	printf '%s' "$out" | sed -n "s/.*<input id=\"f-$1\" name=\"$1\" type=\"[a-z]*\" value=\"\([^\"]*\)\".*/\1/p" | head -1
}
# selected NAME: the selected option of the select NAME in the last page
selected() {
	printf '%s' "$out" | python3 -c '
import re, sys
s = sys.stdin.read()
m = re.search(r"<select id=\"f-%s\" name=\"%s\"[^>]*>(.*?)</select>" % (sys.argv[1], sys.argv[1]), s, re.S)
o = re.search(r"<option value=\"([^\"]*)\" selected>", m.group(1)) if m else None
print(o.group(1) if o else "")' "$1"
}
checked() {
	has "id=\"f-components-$1\" name=\"components\" value=\"$1\" checked"
}

# ---- who may use the desk ----
web_get anon /desk
ok "anonymous: 303 to the login page" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "^Location: /login?next=%2Fdesk"' _ "$status" "$hdrs"
web_login specb spec.b
web_get specb /desk/intake
ok "a specialist is not an officer: 403" eq "$status" 403
web_get offa /login
web_post offa /login "username=off.a&password=$(enc "$PW")"
ok "an officer lands on the desk after logging in" eq "$status $(location)" "303 /desk"
web_get offa /desk
ok "the desk: 200, today's list of the branch, empty" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "Hồ sơ tiếp nhận hôm nay" && printf "%s" "$2" | grep -q "Không có hồ sơ nào" && printf "%s" "$2" | grep -q "Chi nhánh số 1"' _ "$status" "$out"
ok "the desk offers the branch's tracking book (a GET form to the documents API)" has 'action="/api/v1/branches/CN01/tracking-book.pdf"'
book=$(curl -s -o "$_tmp/book.pdf" -w '%{http_code} %{content_type}' -b "$_tmp/jar.offa" "$BASE/api/v1/branches/CN01/tracking-book.pdf?from=2026-11-01&to=2026-11-25")
ok "the form's answer is the PDF" sh -c '[ "$1" = "200 application/pdf" ] && head -c 5 "$2" | grep -q "%PDF-"' _ "$book" "$_tmp/book.pdf"

# ---- the intake form ----
web_get offa /desk/intake
ok "intake: 200, one form with every procedure to choose" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "id=\"intake-form\"" && [ "$(printf "%s" "$2" | grep -o "<option value=\"[0-9]\.[0-9]*\"" | wc -l)" -ge 77 ]' _ "$status" "$out"
ok "the buttons Kiểm tra and Tiếp nhận" sh -c 'printf "%s" "$1" | grep -q "name=\"step\" value=\"check\"" && printf "%s" "$1" | grep -q "name=\"step\" value=\"receive\""' _ "$out"
ok "Content-Security-Policy without inline script" contains "$hdrs" "script-src 'self'"
web_get offa "/desk/intake?q=khai+sinh"
ok "the procedure search narrows the list (no diacritics needed)" sh -c 'printf "%s" "$1" | grep -q "<option value=\"1.001193\">1.001193 — Đăng ký khai sinh" && ! printf "%s" "$1" | grep -q "<option value=\"1.004873\""' _ "$out"
web_get offa "/desk/intake?procedure=1.004873"
ok "a chosen procedure lists its components and its legal time" sh -c 'printf "%s" "$1" | grep -q "id=\"f-components-1\"" && printf "%s" "$1" | grep -q "3 ngày làm việc"' _ "$out"
# Received Wed 25/11 09:30 (before any cut-off); day 1 of the period is the next
# working day (Civil Code 2015 Art. 147): Thu 26, Fri 27, Mon 30/11 -> 17:00 that day.
ok "the appointment if received now: 25/11/2026 09:30 -> 30/11/2026 17:00" sh -c 'printf "%s" "$1" | grep -q "id=\"appointment-received\">25/11/2026 09:30<" && printf "%s" "$1" | grep -q "id=\"appointment-due\">30/11/2026 17:00<"' _ "$out"
size=$(curl -s -o /dev/null -w '%{size_download}' -b "$_tmp/jar.offa" "$BASE/desk/intake?procedure=1.004873")
ok "the intake page stays under 100 KB ($size bytes)" sh -c '[ "$1" -gt 1000 ] && [ "$1" -lt 102400 ]' _ "$size"

applicant="procedure=1.004873&applicant_kind=person&full_name=$(enc 'Nguyễn Văn Bình')&id_number=001090012345&birth_date=1990-05-01&phone=0912345678&address=$(enc '12 Hàng Bạc')"
web_get offa /desk/intake
web_post offa /desk/intake "$applicant&step=check&_csrf=forged"
ok "a forged CSRF token: 403" eq "$status" 403
audits=$(sql "SELECT count(*) FROM audit WHERE action = 'population.lookup'")
web_get offa /desk/intake
web_post offa /desk/intake "$applicant&collection_unit=CN03&step=check"
ok "Kiểm tra: 200, the match with the population data confirmed" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "class=\"notice pop-result pop-yes\""' _ "$status" "$out"
ok "the residence is filled from the registry (Hoàn Kiếm)" eq "$(selected residence_commune)" 00070
ok "the components the registry replaces are ticked" sh -c 'for k in 2 3 5; do printf "%s" "$1" | grep -q "id=\"f-components-$k\" name=\"components\" value=\"$k\" checked" || exit 1; done' _ "$out"
ok "the others are not" sh -c '! printf "%s" "$1" | grep -q "id=\"f-components-1\" name=\"components\" value=\"1\" checked"' _ "$out"
ok "the appointment is computed" has 'id="appointment-due"'
ok "everything typed is kept" sh -c '[ "$1" = "Nguyễn Văn Bình" ] && [ "$2" = "12 Hàng Bạc" ] && [ "$3" = CN03 ]' _ "$(field_value full_name)" "$(field_value address)" "$(selected collection_unit)"
pop="matched|001090012345|1990-05-01|Nguyễn Văn Bình"
ok "the page remembers whom the check was about" has "value=\"$pop\""
ok "the look-up is audited" eq "$(sql "SELECT count(*) FROM audit WHERE action = 'population.lookup'")" $((audits + 1))
ok "nothing is saved by the check" eq "$(sql "SELECT count(*) FROM dossier")" 0

web_post offa /desk/intake "procedure=1.004873&applicant_kind=person&full_name=$(enc 'Nguyễn Văn Bình')&id_number=001090012345&birth_date=1991-05-01&step=check"
ok "a wrong date of birth: not confirmed, nothing ticked" sh -c 'printf "%s" "$1" | grep -q "class=\"pop-result pop-no\"" && ! printf "%s" "$1" | grep -q "value=\"2\" checked"' _ "$out"
web_post offa /desk/intake "procedure=1.004873&applicant_kind=person&full_name=$(enc 'Nguyễn Văn Bình')&id_number=12345&birth_date=1990-05-01&phone=0912345678&step=check"
ok "a malformed ID number: 400, the error next to the field" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"e-id_number\"" && printf "%s" "$2" | grep -q "aria-invalid=\"true\" aria-describedby=\"e-id_number"' _ "$status" "$out"
ok "and the typed values kept" sh -c '[ "$1" = 12345 ] && [ "$2" = 0912345678 ]' _ "$(field_value id_number)" "$(field_value phone)"
web_post offa /desk/intake "applicant_kind=person&full_name=$(enc 'Nguyễn Văn Bình')&step=check"
ok "no procedure, no ID number, no date: 400 with each field marked" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"e-procedure\"" && printf "%s" "$2" | grep -q "id=\"e-id_number\"" && printf "%s" "$2" | grep -q "id=\"e-birth_date\""' _ "$status" "$out"

# ---- receive ----
web_post offa /desk/intake "$applicant&collection_unit=CN03&pop=$(enc "$pop")&components=2&components=3&step=receive&note=$(enc '<b>nhận</b>')"
ok "a required component missing: 400 with its name" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "required component 1" && printf "%s" "$2" | grep -q "id=\"e-components\""' _ "$status" "$out"
ok "and nothing typed is lost" sh -c '[ "$1" = "Nguyễn Văn Bình" ] && printf "%s" "$2" | grep -q "&lt;b&gt;nhận&lt;/b&gt;</textarea>"' _ "$(field_value full_name)" "$out"
ok "the match found by the check is still shown" has 'class="notice pop-result pop-yes"'
web_post offa /desk/intake "procedure=1.004873&applicant_kind=person&full_name=$(enc 'Trần Thị Hoa')&id_number=001190054321&birth_date=1990-02-03&pop=$(enc "$pop")&step=receive"
ok "but not once another person is typed in" sh -c '! printf "%s" "$1" | grep -q "pop-result" && ! printf "%s" "$1" | grep -q "value=\"2\" checked"' _ "$out"
ok "no dossier, no number taken" eq "$(sql "SELECT count(*) FROM dossier") $(sql "SELECT count(*) FROM counter WHERE name LIKE 'seq:%'")" "0 0"

web_post offa /desk/intake "$applicant&collection_unit=CN03&pop=$(enc "$pop")&components=1&original_kept=1&components=2&components=3&step=receive"
ok "Tiếp nhận: 303 to the dossier page" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "^/dossiers/[0-9a-f]\{16\}?done=receive$"' _ "$status" "$(location)"
id=$(location | sed -n 's|^/dossiers/\([0-9a-f]*\)?.*|\1|p')
web_get offa "$(location)"
code=$(sql "SELECT code FROM dossier WHERE id = '$id'")
ok "the page shows the new code, the state and the link to the slip" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "<h1>Hồ sơ $3</h1>" && printf "%s" "$2" | grep -q "Đã tiếp nhận" && printf "%s" "$2" | grep -q "id=\"notice-slip\""' _ "$status" "$out" "$code"
ok "the code takes branch A's identifier" contains "$code" "000.01.CN.H26-"
offa_tok=$(login off.a)
as "$offa_tok" GET "/api/v1/dossiers/$id"
ok "the components as recorded: handed in, replaced, optional" eq "$(jget '",".join(c["status"] for c in j["components"])')" "received,population,population,not_applicable,population,not_applicable"
ok "the residence is the registry's" eq "$(jget 'j["residence_commune"]') $(jget 'j["collection_unit"]')" "00070 CN03"

# ---- the slip ----
as "$offa_tok" GET "/api/v1/dossiers/$id"
due=$(jget 'j["due_at"][8:10] + "/" + j["due_at"][5:7] + "/" + j["due_at"][0:4] + " " + j["due_at"][11:16]')
recv=$(jget 'j["received_at"][8:10] + "/" + j["received_at"][5:7] + "/" + j["received_at"][0:4] + " " + j["received_at"][11:16]')
web_get offa "/dossiers/$id/slip"
ok "the slip: 200, its title and the code" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" && printf "%s" "$2" | grep -q "id=\"slip-code\">$3<"' _ "$status" "$out" "$code"
ok "the applicant and the procedure" sh -c 'printf "%s" "$1" | grep -q "<td>Nguyễn Văn Bình</td>" && printf "%s" "$1" | grep -q "Cấp Giấy xác nhận tình trạng hôn nhân (1.004873)"' _ "$out"
ok "the legal time, the reception time and the appointment of the service" sh -c 'printf "%s" "$1" | grep -q "<td>3 ngày làm việc</td>" && printf "%s" "$1" | grep -q "<td>$2</td>" && printf "%s" "$1" | grep -q "<td>$3</td>"' _ "$out" "$recv" "$due"
ok "which are those of the preview" eq "$recv $due" "25/11/2026 09:30 30/11/2026 17:00"
ok "the components received (the original kept) and those waived" sh -c 'printf "%s" "$1" | grep -q "<li>Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (hoặc mẫu điện tử) (bản gốc)</li>" && printf "%s" "$1" | grep -q "id=\"slip-waived\"><li>Giấy tờ tùy thân"' _ "$out"
ok "where to collect (branch C and its address) and the public look-up" sh -c 'printf "%s" "$1" | grep -q "Chi nhánh số 3" && printf "%s" "$1" | grep -q "href=\"/lookup?code="' _ "$out"
ok "a print button for scripts, hidden without them" has 'data-print="" hidden'
web_get anon /static/motcua.css
ok "the print stylesheet hides the site's chrome" sh -c 'printf "%s" "$1" | grep -q "@media print" && printf "%s" "$1" | grep -q "header.site, footer.site"' _ "$out"

# ---- today's list, search ----
web_get offa /desk
ok "today's list holds the dossier, linked to its page" sh -c 'printf "%s" "$1" | grep -q "href=\"/dossiers/$2\">$3</a>" && printf "%s" "$1" | grep -q "Tổng số: 1 hồ sơ"' _ "$out" "$id" "$code"
ok "with its remaining working time" has 'class="due-'
web_get offa "/desk/search?name=nguyen+van+binh"
ok "search by name without diacritics finds it" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "href=\"/dossiers/$3\""' _ "$status" "$out" "$id"
web_get offa "/desk/search?id_number=001090012345"
ok "by ID number" has "href=\"/dossiers/$id\""
web_get offa "/desk/search?phone=0912345678"
ok "by phone" has "href=\"/dossiers/$id\""
web_get offa "/desk/search?code=$(enc "$code")"
ok "by code" has "href=\"/dossiers/$id\""
ok "the criteria are kept in the form" has "value=\"$code\""
web_login offe off.e
web_get offe "/desk/search?code=$(enc "$code")"
ok "another branch does not find it (scope)" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "Tổng số: 0 hồ sơ"' _ "$status" "$out"
web_get offa "/desk/search?name=b"
ok "a one-letter name: 400, the message at the field, the value kept" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"e-name\"" && printf "%s" "$2" | grep -q "value=\"b\""' _ "$status" "$out"
web_get offa "/desk/search?name=$(enc '<script>alert(1)</script>')"
ok "a search text shows as text" sh -c 'printf "%s" "$1" | grep -q "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"" && ! printf "%s" "$1" | grep -q "<script>alert"' _ "$out"

# ---- a name that is markup, the competent unit chosen by the officer ----
xss='<script>alert(1)</script> " onmouseover="x'
web_post offa /desk/intake "procedure=1.004873&applicant_kind=person&full_name=$(enc "$xss")&id_number=001095000111&components=1&components=2&components=3&step=receive"
ok "no residence in Hanoi: 400, the officer must choose the competent unit" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"f-competent_unit\"" && printf "%s" "$2" | grep -q "id=\"e-competent_unit\""' _ "$status" "$out"
ok "the name typed comes back as text" sh -c 'printf "%s" "$1" | grep -q "value=\"&lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=&quot;x\"" && ! printf "%s" "$1" | grep -q "<script>alert"' _ "$out"
web_post offa /desk/intake "procedure=1.004873&applicant_kind=person&full_name=$(enc "$xss")&id_number=001095000111&components=1&components=2&components=3&competent_unit=UBND-00070&step=receive"
ok "with the commune chosen it is received" eq "$status" 303
id2=$(location | sed -n 's|^/dossiers/\([0-9a-f]*\)?.*|\1|p')
as "$offa_tok" GET "/api/v1/dossiers/$id2"
ok "the choice is recorded" eq "$(jget 'j["competent_unit"]') $(jget 'j["competent_chosen"]')" "UBND-00070 true"
web_get offa /desk
ok "the list shows that name as text" sh -c 'printf "%s" "$1" | grep -q "&lt;script&gt;alert(1)&lt;/script&gt;" && ! printf "%s" "$1" | grep -q "<script>alert"' _ "$out"

# ---- not boundary-free, refusal at reception ----
web_post offa /desk/intake "procedure=1.004194&applicant_kind=person&full_name=$(enc 'Lê Văn Cường')&id_number=001095000111&residence_commune=00070&components=1&components=2&components=3&step=receive"
ok "a procedure that is not boundary-free: 409 and where to send the applicant" sh -c '[ "$1" = 409 ] && printf "%s" "$2" | grep -q "Hướng dẫn công dân nộp tại:" && printf "%s" "$2" | grep -q "(CA-00070)"' _ "$status" "$out"
web_post offa /desk/intake "procedure=1.001193&applicant_kind=person&full_name=$(enc 'Lê Văn Cường')&id_number=001095000111&residence_commune=00070&step=refuse"
ok "a refusal without its reason: 400 at the field" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"e-refusal_reason\""' _ "$status" "$out"
web_post offa /desk/intake "procedure=1.001193&applicant_kind=person&full_name=$(enc 'Lê Văn Cường')&id_number=001095000111&residence_commune=00070&refusal_reason=$(enc 'thiếu giấy chứng sinh')&step=refuse"
ok "refused at reception: 303 to its page" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "?done=refuse_reception$"' _ "$status" "$(location)"
web_get offa "$(location)"
ok "which shows the state and the reason" sh -c 'printf "%s" "$1" | grep -q "Từ chối tiếp nhận" && printf "%s" "$1" | grep -q "thiếu giấy chứng sinh"' _ "$out"

# ---- online filings and results waiting at the branch ----
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001190054321","full_name":"Trần Thị Hoa","phone":"0987654321","password":"Mot-cua-2025-secret"}'
hoa=$(login 001190054321)
as "$hoa" POST /api/v1/dossiers '{"procedure":"1.001193","applicant":{"full_name":"Trần Thị Hoa","id_number":"001190054321","birth_date":"1990-02-03"},"components":[1,2],"collection_unit":"CN03"}'
oid=$(jget 'j["id"]')
web_login offc off.c
web_get offc /desk/online
ok "the filing waits on the list of the branch chosen for collection" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "href=\"/dossiers/$3\">Chưa có mã<" && printf "%s" "$2" | grep -q "Trần Thị Hoa"' _ "$status" "$out" "$oid"
web_get offa /desk/online
ok "not on another branch's list" lacks "href=\"/dossiers/$oid\""
web_get offa "/desk/online?all=1"
ok "unless every branch's filings are asked for" sh -c 'printf "%s" "$1" | grep -q "href=\"/dossiers/$2\"" && printf "%s" "$1" | grep -q "Nơi trả kết quả"' _ "$out" "$oid"

specb=$(login spec.b)
apprb=$(login appr.b)
as "$specb" POST "/api/v1/dossiers/$id/take" '{"version":1}'
as "$specb" POST "/api/v1/dossiers/$id/submit_signoff" '{"version":2}'
as "$apprb" POST "/api/v1/dossiers/$id/sign_off" '{"version":3}'
as "$specb" POST "/api/v1/dossiers/$id/send_result" '{"version":4}'
ok "setup: the result is on its way to branch C" eq "$status $(jget 'j["state"]')" "200 result_in_transit"
web_get offc /desk/collection
ok "branch C's collection list holds it" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "href=\"/dossiers/$3\">$4</a>"' _ "$status" "$out" "$id" "$code"
web_get offa /desk/collection
ok "branch A's does not" lacks "href=\"/dossiers/$id\""
web_get offa /desk
ok "today's list of branch A holds both dossiers it received" sh -c 'printf "%s" "$1" | grep -q "href=\"/dossiers/$2\"" && printf "%s" "$1" | grep -q "href=\"/dossiers/$3\""' _ "$out" "$id" "$id2"

# ---- pages of a long list ----
i=0
while [ $i -lt 50 ]; do
	as "$offa_tok" POST /api/v1/dossiers '{"procedure":"1.001193","applicant":{"full_name":"Lê Văn Cường","id_number":"001095000111"},"residence_commune":"00070","components":[1,2,3,4,5]}'
	i=$((i + 1))
done
web_get offa /desk
ok "a long list is cut into pages of 50 with a link to the next" sh -c '[ "$(printf "%s" "$1" | grep -o "<a href=\"/dossiers/" | wc -l)" = 50 ] && printf "%s" "$1" | grep -q "href=\"/desk?page=2\" rel=\"next\""' _ "$out"
web_get offa "/desk?page=2"
ok "page 2 holds the rest" sh -c '[ "$1" = 200 ] && [ "$(printf "%s" "$2" | grep -o "<a href=\"/dossiers/" | wc -l)" -ge 1 ] && printf "%s" "$2" | grep -q "rel=\"prev\""' _ "$status" "$out"

web_get offa "/lang?to=en&back=/desk"
web_get offa /desk/intake
ok "in English after the switch" sh -c 'printf "%s" "$1" | grep -q "Receive a dossier" && printf "%s" "$1" | grep -q ">Check</button>"' _ "$out"

# ---- the next morning ----
api_stop
export MOTCUA_NOW=2026-11-26T09:00
api_start
web_login offa off.a
web_get offa "/lang?to=vi&back=/desk"
web_get offa /desk
ok "the next day, today's list is empty" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "Không có hồ sơ nào"' _ "$status" "$out"
web_get offa "/desk?all=1"
ok "while the 52 open dossiers received here are still listed" has "Tổng số: 52 hồ sơ"

# ---- a dossier that came by post ----
web_get offa "/desk/intake?procedure=1.004873"
ok "the reception form asks whether the dossier came by post" has 'name="received_by_post"'
web_post offa /desk/intake "$applicant&collection_unit=CN03&pop=$(enc "$pop")&components=1&components=2&components=3&received_by_post=1&step=receive"
ok "received by post: 303 to the dossier page" eq "$status" 303
pid=$(location | sed -n 's|^/dossiers/\([0-9a-f]*\)?.*|\1|p')
ok "recorded as received by post, channel counter" eq "$(sql "SELECT channel || ' ' || received_by_post FROM dossier WHERE id = '$pid'")" "counter 1"
web_get offa "/dossiers/$pid"
ok "its page says it came by the public postal service" has "Qua dịch vụ bưu chính công ích"

run audit verify
ok "the audit chain verifies" eq "$rc" 0
api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
