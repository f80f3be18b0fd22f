# Scenario tests of the citizen pages (src/web/web_citizen.c) against a real
# server (tests/cli/api_lib.sh): sign-up of a citizen and a business (the same
# service as POST /api/v1/accounts: service/account.h), validation messages next
# to the fields with the input kept, CSRF refusal, "my dossiers" limited to the
# applicant's own (worklist_search as the applicant), and online filing
# (intake_submit, as POST /api/v1/dossiers for a citizen: docs/lifecycle.md
# section 4), which a procedure not online refuses. ID numbers are valid
# 12-digit numbers (domain/cccd.h: province 001 Hà Nội, century/sex digit, year).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
# 3.000466 made not available online (a copy of the reference data), to be refused.
api_import_not_online 3.000466
user_add off.a officer CN01
api_start

XSS='<script>alert(1)</script>'
location() {
	printf '%s\n' "$hdrs" | sed -n 's/^Location: //p'
}
dossiers() {
	sql "SELECT count(*) FROM dossier"
}

# ---- sign-up ----
web_get binh /signup
ok "sign-up form: 200 with a CSRF field" sh -c '[ "$2" = 200 ] && [ -n "$3" ] && printf "%s" "$1" | grep -q "id=\"signup-form\""' _ "$out" "$status" "$csrf"
ok "citizen or business, ID number, tax code" sh -c 'printf "%s" "$1" | grep -q "name=\"kind\"" && printf "%s" "$1" | grep -q "name=\"id_number\"" && printf "%s" "$1" | grep -q "name=\"tax_code\""' _ "$out"
web_post binh /signup "_csrf=wrong&kind=citizen&id_number=001090012345&full_name=x&phone=0912345678&password=$PW&password2=$PW"
ok "a wrong CSRF token: 403, nothing registered" sh -c '[ "$2" = 403 ] && [ "$3" = 0 ]' _ "$out" "$status" "$(sql "SELECT count(*) FROM account WHERE kind = 'citizen'")"
web_get binh /signup
web_post binh /signup "kind=citizen&id_number=12345&full_name=$(enc "$XSS")&phone=abc&email=&password=$PW&password2=$PW"
ok "invalid ID number and phone: 400" eq "$status" 400
ok "the message next to the ID number" has 'id="e-id_number">Số định danh cá nhân không hợp lệ'
ok "the message next to the phone" has 'id="e-phone">Số điện thoại không hợp lệ'
ok "a summary at the top" has 'class="form-errors" role="alert"'
ok "the input is kept (ID number, phone)" sh -c 'printf "%s" "$1" | grep -q "name=\"id_number\" type=\"text\" value=\"12345\"" && printf "%s" "$1" | grep -q "value=\"abc\""' _ "$out"
ok "the name typed as a script is kept, escaped" has 'value="&lt;script&gt;alert(1)&lt;/script&gt;"'
ok "and never as markup" sh -c '! printf "%s" "$1" | grep -q "<script>alert"' _ "$out"
ok "the password is not written back" sh -c '! printf "%s" "$1" | grep -q "$2"' _ "$out" "$PW"
web_get binh /signup
web_post binh /signup "kind=citizen&id_number=001090012345&full_name=$(enc 'Nguyễn Văn Bình')&phone=0912345678&password=$PW&password2=other-password-1"
ok "passwords that differ: 400, message at the second" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-password2\">Hai lần nhập mật khẩu không giống nhau"' _ "$out" "$status"
web_post binh /signup "kind=citizen&id_number=001090012345&full_name=$(enc 'Nguyễn Văn Bình')&phone=&email=&password=$PW&password2=$PW"
ok "neither phone nor e-mail: 400 at the phone" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-phone\">Nhập số điện thoại hoặc thư điện tử"' _ "$out" "$status"
web_post binh /signup "kind=citizen&id_number=001090012345&full_name=$(enc 'Nguyễn Văn Bình')&phone=0912345678&email=binh%40example.vn&password=$PW&password2=$PW"
ok "a valid citizen: 303 to /me/dossiers?done=signup" eq "$status $(location)" "303 /me/dossiers?done=signup"
ok "and logged in (session cookie)" contains "$hdrs" "Set-Cookie: motcua_session="
ok "the account exists (username = ID number)" eq "$(sql "SELECT kind || ' ' || full_name FROM account WHERE username = '001090012345'")" "citizen Nguyễn Văn Bình"
web_get binh "$(location)"
ok "my dossiers: 200, a notice, none yet" sh -c '[ "$2" = 200 ] && printf "%s" "$1" | grep -q "Đăng ký thành công" && printf "%s" "$1" | grep -q "Bạn chưa có hồ sơ nào"' _ "$out" "$status"
ok "the name in the header" has '<span class="who">Nguyễn Văn Bình</span>'
web_get other /signup
web_post other /signup "kind=citizen&id_number=001090012345&full_name=X&phone=0912345670&password=$PW&password2=$PW"
ok "the same ID number again: 409, said next to it" sh -c '[ "$2" = 409 ] && printf "%s" "$1" | grep -q "id=\"e-id_number\">Số này đã có tài khoản"' _ "$out" "$status"
web_get hoa /signup
web_post hoa /signup "kind=citizen&id_number=001190054321&full_name=$(enc 'Trần Thị Hoa')&phone=0987654321&password=$PW&password2=$PW"
ok "a second citizen signs up" eq "$status" 303
web_get biz /signup
web_post biz /signup "kind=business&tax_code=12AB&full_name=$(enc 'Công ty TNHH Hoa Sen')&email=info%40hoasen.vn&password=$PW&password2=$PW"
ok "a business with a bad tax code: 400 next to it" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-tax_code\">Mã số thuế không hợp lệ" && printf "%s" "$1" | grep -q "<option value=\"business\" selected>"' _ "$out" "$status"
web_post biz /signup "kind=business&tax_code=0101234567&full_name=$(enc 'Công ty TNHH Hoa Sen')&email=info%40hoasen.vn&password=$PW&password2=$PW"
ok "a business signs up with its tax code" eq "$status $(sql "SELECT kind FROM account WHERE username = '0101234567'")" "303 business"

# ---- online filing ----
web_get anon /file/1.001193
ok "a visitor is sent to log in first" eq "$status $(location)" "303 /login?next=%2Ffile%2F1.001193"
web_get binh /file/1.001193
ok "filing form: 200 for the citizen" sh -c '[ "$2" = 200 ] && printf "%s" "$1" | grep -q "id=\"file-form\""' _ "$out" "$status"
ok "the applicant's data from the account (name, ID number read-only, phone)" sh -c 'printf "%s" "$1" | grep -q "value=\"Nguyễn Văn Bình\"" && printf "%s" "$1" | grep -q "value=\"001090012345\" readonly" && printf "%s" "$1" | grep -q "value=\"0912345678\""' _ "$out"
ok "the components checklist, population-replaced ones marked" sh -c 'printf "%s" "$1" | grep -q "name=\"components\" value=\"3\"" && printf "%s" "$1" | grep -q "dữ liệu dân cư thay thế"' _ "$out"
ok "where to collect: branches, or post" sh -c 'printf "%s" "$1" | grep -q "<option value=\"CN03\">" && printf "%s" "$1" | grep -q "name=\"by_post\""' _ "$out"
sz=$(curl -s -o /dev/null -w '%{size_download}' -b "$_tmp/jar.binh" "$BASE/file/1.001193")
ok "the filing page is under 100 KB ($sz bytes)" test "$sz" -lt 102400
web_get binh /file/3.000466
ok "a procedure not online: refused clearly (409)" sh -c '[ "$2" = 409 ] && printf "%s" "$1" | grep -q "không hỗ trợ nộp hồ sơ trực tuyến" && ! printf "%s" "$1" | grep -q "file-form"' _ "$out" "$status"
web_get binh /file/9.999999
ok "an unknown procedure: 404" eq "$status" 404

web_get binh /file/1.001193
before=$(dossiers)
web_post binh /file/1.001193 "_csrf=wrong&full_name=x&components=1&collection_unit=CN03"
ok "filing without the right CSRF token: 403, nothing written" eq "$status $(dossiers)" "403 $before"
web_get binh /file/1.001193
web_post binh /file/1.001193 "full_name=$(enc 'Nguyễn Văn Bình')&phone=0912345678&address=$(enc "$XSS")&residence_commune=00082&components=1&components=2&components=3&components=4&components=5&collection_unit="
ok "no place to collect: 400, message next to the select" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-collection_unit\">Chọn điểm phục vụ nhận kết quả"' _ "$out" "$status"
ok "the input is kept: address (escaped), commune, ticked components" sh -c 'printf "%s" "$1" | grep -q "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"" && printf "%s" "$1" | grep -q "<option value=\"00082\" selected>" && printf "%s" "$1" | grep -q "value=\"4\" checked"' _ "$out"
ok "no script from the input" sh -c '! printf "%s" "$1" | grep -q "<script>alert"' _ "$out"
ok "nothing was written" eq "$(dossiers)" "$before"
web_post binh /file/1.001193 "full_name=$(enc 'Nguyễn Văn Bình')&phone=0912345678&residence_commune=00082&components=1&components=2&collection_unit=CN03"
ok "a required component missing: 400 at the checklist, the service's detail shown" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-components\">Còn thiếu giấy tờ bắt buộc" && printf "%s" "$1" | grep -q "required component 3"' _ "$out" "$status"
ok "the ticked ones stay ticked, the branch stays chosen" sh -c 'printf "%s" "$1" | grep -q "value=\"2\" checked" && printf "%s" "$1" | grep -q "<option value=\"CN03\" selected>"' _ "$out"
web_post binh /file/1.001193 "full_name=$(enc 'Nguyễn Văn Bình')&birth_date=1990-13-45&components=1&components=2&components=3&components=4&components=5&collection_unit=CN03"
ok "a bad date of birth: 400 next to it" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-birth_date\">"' _ "$out" "$status"
web_post binh /file/1.001193 "full_name=$(enc 'Nguyễn Văn Bình')&components=1&components=2&components=3&components=4&components=5&by_post=1&post_address="
ok "by post without an address: 400 next to it" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-post_address\">Nhập địa chỉ nhận kết quả qua bưu chính" && printf "%s" "$1" | grep -q "value=\"1\" checked"' _ "$out" "$status"
web_post binh /file/1.001193 "full_name=$(enc 'Nguyễn Văn Bình')&phone=$(enc '091 234 5678')&residence_commune=00082&components=1&components=2&components=3&components=4&components=5&collection_unit=CN03&note=$(enc 'Xin nhận sớm')"
ok "a complete filing: 303 to the dossier page with done=submitted" sh -c 'case "$1" in "303 /dossiers/"*"?done=submitted") exit 0 ;; *) exit 1 ;; esac' _ "$status $(location)"
id=$(location | sed 's|^/dossiers/\([^?]*\)?.*|\1|')
ok "one dossier more, submitted, owned by the citizen, collected at CN03" eq "$(dossiers) $(sql "SELECT d.state || ' ' || d.channel || ' ' || d.collection_unit || ' ' || a.username || ' ' || d.applicant_phone FROM dossier d JOIN account a ON a.id = d.owner_account WHERE d.id = '$id'")" "$((before + 1)) submitted online CN03 001090012345 0912345678"
web_get binh /me/dossiers
ok "my dossiers lists it with a link to /dossiers/{id}" has "href=\"/dossiers/$id\""
ok "with the procedure's name and the state in plain words" sh -c 'printf "%s" "$1" | grep -q "Đăng ký khai sinh" && printf "%s" "$1" | grep -q "Đã nộp trực tuyến, chờ tiếp nhận"' _ "$out"

# the officer accepts it (API); the citizen sees the code; anyone with the code and 4 digits
offa=$(login off.a)
as "$offa" POST "/api/v1/dossiers/$id/accept" '{"version":1}'
ok "(an officer accepts it)" eq "$status" 200
ocode=$(jget 'j["code"]')
web_get binh /me/dossiers
ok "my dossiers now shows its code and appointment" sh -c 'printf "%s" "$1" | grep -q "$2" && printf "%s" "$1" | grep -q "badge st-open\">Đã tiếp nhận<"' _ "$out" "$ocode"
web_get anon "/lookup?code=$ocode&last4=2345"
ok "the look-up shows it, collection at branch 3, no name" sh -c '[ "$2" = 200 ] && printf "%s" "$1" | grep -q "id=\"lookup-collection\">Chi nhánh số 3" && ! printf "%s" "$1" | grep -q "Nguyễn Văn Bình"' _ "$out" "$status"

# another citizen sees none of it
web_get hoa /me/dossiers
ok "another citizen's list does not show it" sh -c '[ "$2" = 200 ] && printf "%s" "$1" | grep -q "Bạn chưa có hồ sơ nào" && ! printf "%s" "$1" | grep -q -e "$3" -e "$4"' _ "$out" "$status" "$id" "$ocode"
web_get hoa "/dossiers/$id"
ok "nor can she open the dossier page (403/404, no personal data)" sh -c 'case "$2" in 403 | 404) ! printf "%s" "$1" | grep -q -e "Nguyễn Văn Bình" -e 0912345678 ;; *) exit 1 ;; esac' _ "$out" "$status"
web_get hoa /me/dossiers?page=x
ok "a bad page number: 400" eq "$status" 400

# staff are not applicants
web_login offw off.a
web_get offw /me/dossiers
ok "an officer gets 403 on my dossiers" eq "$status" 403
web_get offw /file/1.001193
ok "and on the filing form" eq "$status" 403
web_get anon /me/dossiers
ok "a visitor is sent to log in" eq "$status $(location)" "303 /login?next=%2Fme%2Fdossiers"

# a business files through a representative
web_get biz /file/2.001610
ok "the business form: tax code read-only, representative fields" sh -c 'printf "%s" "$1" | grep -q "value=\"0101234567\" readonly" && printf "%s" "$1" | grep -q "name=\"representative_name\""' _ "$out"
web_post biz /file/2.001610 "full_name=$(enc 'Công ty TNHH Hoa Sen')&email=info%40hoasen.vn&components=1&components=2&components=3&components=4&collection_unit=CN01"
ok "without a representative: 400 next to it" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-representative_name\">"' _ "$out" "$status"
comps=$(as "$offa" GET /api/v1/procedures/2.001610 >/dev/null; jget '"&".join("components=%d" % c["seq"] for c in j["components"] if c["required"])')
web_post biz /file/2.001610 "full_name=$(enc 'Công ty TNHH Hoa Sen')&email=info%40hoasen.vn&representative_name=$(enc 'Lê Văn Nam')&representative_id_number=001085012345&authorisation_doc=$(enc 'Giấy ủy quyền số 12/2026')&$comps&by_post=1&post_address=$(enc 'Số 1 Tràng Tiền, Hoàn Kiếm')"
ok "with one, by post: 303 to the dossier page" sh -c 'case "$1" in "303 /dossiers/"*) exit 0 ;; *) exit 1 ;; esac' _ "$status $(location)"
bid=$(location | sed 's|^/dossiers/\([^?]*\)?.*|\1|')
ok "an organisation's dossier, by post" eq "$(sql "SELECT applicant_kind || ' ' || applicant_tax_code || ' ' || by_post FROM dossier WHERE id = '$bid'")" "organisation 0101234567 1"

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
