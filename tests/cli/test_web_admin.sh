# Scenario tests of the administration pages (src/web/web_admin.c) against a
# real server (tests/cli/api_lib.sh): who may open them (anonymous visitors go
# to the login, other roles get 403), the anti-forgery field, refused forms
# that come back with the message next to the field and what was typed (text
# like <script>alert(1)</script> shown as text), changes that answer 303 with a
# notice and leave an audit row, and an announced holiday that moves the next
# appointment at once while an appointment already given stays.
#
# Expected values: the reference data in data/ (procedure 1.001193 Đăng ký khai
# sinh, 1.004873 with 3 working days; branch CN01); the importer's rules
# (data/README.md); the calendar: 2 Sept 2027 is a Thursday (statutory day off,
# Labour Code 2019 Art. 112(1)), the rule's adjacent day is Fri 3/9 (docs/
# calendar.md), office hours end at 17:00, day 1 of a period is the working day
# after the reception (Civil Code 2015 Art. 147). The server's clock is fixed at
# Tue 31 Aug 2027 09:00 (allow_clock_override + MOTCUA_NOW).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true
export MOTCUA_NOW=2027-08-31T09:00

api_init
user_add quantri admin ""
user_add canbo.a officer CN01
api_start

XSS='<script>alert(1)</script>'
XSS_SHOWN='&lt;script&gt;alert(1)&lt;/script&gt;'

# form_data FORM_ID [NAME=VALUE...]: the fields of a form of the last page (inputs,
# checked boxes, selects, text areas), with the given values put in their place
# (NAME= with nothing removes a field), urlencoded; the CSRF field is left out
# (web_post adds the current one).
form_data() {
	printf '%s' "$out" | python3 -c '
import sys, html.parser, urllib.parse
want, sets = sys.argv[1], sys.argv[2:]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.on = False; self.f = []; self.sel = None; self.ta = None
    def handle_starttag(self, t, a):
        a = dict(a)
        if t == "form": self.on = a.get("id") == want
        if not self.on: return
        n = a.get("name")
        if t == "input" and n and n != "_csrf":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a: self.f.append([n, a.get("value", "on")])
            else: self.f.append([n, a.get("value", "")])
        elif t == "select": self.sel = n; self.first = None; self.chosen = None
        elif t == "option" and self.sel:
            if self.first is None: self.first = a.get("value", "")
            if "selected" in a: self.chosen = a.get("value", "")
        elif t == "textarea": self.ta = [n, ""]; self.f.append(self.ta)
    def handle_endtag(self, t):
        if t == "form": self.on = False
        if t == "select" and self.sel:
            self.f.append([self.sel, self.chosen if self.chosen is not None else self.first]); self.sel = None
        if t == "textarea": self.ta = None
    def handle_data(self, d):
        if self.ta is not None: self.ta[1] += d
p = P(); p.feed(sys.stdin.read())
f = p.f
for s in sets:
    k, v = s.split("=", 1)
    f = [x for x in f if x[0] != k]
    if v != "": f.append([k, v])
print(urllib.parse.urlencode([tuple(x) for x in f]))
' "$@"
}
location() {
	printf '%s\n' "$hdrs" | sed -n 's/^[Ll]ocation: *//p' | head -1
}
audits() {
	sql "SELECT count(*) FROM audit WHERE action = '$1'"
}
lacks() {
	! has "$1"
}
# can_login USER [PASSWORD]: the API's login answers 201 (it changes $out and $status)
can_login() {
	login "$@" >/dev/null 2>&1
}
cannot_login() {
	! login "$@" >/dev/null 2>&1 && [ "$status" = 401 ]
}

# ---- who may come in ----
web_get anon /admin
ok "anonymous: 303 to the login, coming back here" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "/login?next=%2Fadmin"' _ "$status" "$hdrs"
web_login off canbo.a
for path in /admin /admin/procedures /admin/procedures/1.001193 /admin/users /admin/branches/CN01 /admin/holidays; do
	web_get off "$path"
	ok "an officer gets 403 on $path" eq "$status" 403
done
web_post off /admin/holidays "occasion=other&year=2027&days_off=2027-09-01&name_vi=x&name_en=x&source=x"
ok "an officer's POST is refused with 403" eq "$status" 403
web_post off /admin/procedures/1.001193 "fee_vnd=1"
ok "an officer cannot change a procedure" eq "$status" 403
ok "and nothing was announced" eq "$(sql 'SELECT count(*) FROM holiday_announcement')" 0

web_login adm quantri || { echo "# server stderr:"; tail -5 "$_tmp/serve.err" | sed 's/^/# /'; }
web_get adm /admin
ok "admin: the index" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "href=\"/admin/procedures\"" && printf "%s" "$2" | grep -q "href=\"/admin/users\"" && printf "%s" "$2" | grep -q "href=\"/admin/branches\"" && printf "%s" "$2" | grep -q "href=\"/admin/holidays\""' _ "$status" "$out"
ok "the navigation marks Quản trị as the current page" has 'href="/admin" aria-current="page"'

# ---- procedures ----
web_get adm "/admin/procedures?q=khai+sinh"
ok "search without diacritics finds 1.001193" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "href=\"/admin/procedures/1.001193\""' _ "$status" "$out"
ok "but not marriage registration" lacks "1.000894"
web_get adm "/admin/procedures?q=$(enc "$XSS")"
ok "a search text with markup is shown as text" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -qF "value=\"$3\""' _ "$status" "$out" "$XSS_SHOWN"

web_get adm /admin/procedures/1.001193
ok "the procedure page: three forms" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "id=\"procedure-form\"" && printf "%s" "$2" | grep -q "id=\"components-form\"" && printf "%s" "$2" | grep -q "id=\"steps-form\""' _ "$status" "$out"
ok "the page says appointments already given stay" has "của hồ sơ đã tiếp nhận giữ nguyên"
ok "under 100 KB" sh -c '[ "$(printf "%s" "$1" | wc -c)" -lt 102400 ]' _ "$out"
fields=$(form_data procedure-form)
fee0=$(sql "SELECT fee_vnd FROM procedure WHERE code = '1.001193'")

web_post adm /admin/procedures/1.001193 "_csrf=forged&$(form_data procedure-form fee_vnd=12000)"
ok "a forged anti-forgery field: 403" eq "$status" 403
web_post adm /admin/procedures/1.001193 "_csrf=&$(form_data procedure-form fee_vnd=12000)"
ok "no anti-forgery field: 403" eq "$status" 403
ok "and the fee did not change" eq "$(sql "SELECT fee_vnd FROM procedure WHERE code = '1.001193'")" "$fee0"

web_get adm /admin/procedures/1.001193
web_post adm /admin/procedures/1.001193 "$(form_data procedure-form fee_vnd=-5 "name_vi=$XSS" sector=)"
ok "an invalid form: 400" eq "$status" 400
ok "a summary at the top" has 'class="form-errors" role="alert"'
ok "the fee's message next to the fee field" has "<p class=\"field-error\" id=\"e-fee_vnd\">Không hợp lệ: &#39;-5&#39; is not a whole number"
ok "the empty sector is required" has "<p class=\"field-error\" id=\"e-sector\">Bắt buộc nhập.</p>"
ok "the typed fee is kept" has 'value="-5"'
ok "the typed name is kept, as text" has "$XSS_SHOWN</textarea>"
ok "no markup from the input" lacks "$XSS"
ok "nothing stored, nothing audited" sh -c '[ "$1" = "$2" ] && [ "$3" = 0 ]' _ "$(sql "SELECT fee_vnd FROM procedure WHERE code = '1.001193'")" "$fee0" "$(audits procedure.update)"
web_post adm /admin/procedures/1.001193 "$(form_data procedure-form level=commune competent_kind=department)"
ok "the importer's rule of levels and kinds, next to the kind" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"e-competent_kind\">Không hợp lệ: without a competent_unit"' _ "$status" "$out"

web_get adm /admin/procedures/1.001193
web_post adm /admin/procedures/1.001193 "$(form_data procedure-form fee_vnd=12000 legal_amount=1)"
ok "a valid change: 303 back with a notice flag" sh -c '[ "$1" = 303 ] && [ "$2" = "/admin/procedures/1.001193?done=saved" ]' _ "$status" "$(location)"
ok "stored" eq "$(sql "SELECT fee_vnd || ' ' || legal_days FROM procedure WHERE code = '1.001193'")" "12000 1"
ok "audited once, with the old and new fee" sh -c '[ "$1" = 1 ] && printf "%s" "$2" | grep -q "\"fee_vnd\":\[0,12000\]"' _ "$(audits procedure.update)" "$(sql "SELECT detail FROM audit WHERE action = 'procedure.update'")"
web_get adm "/admin/procedures/1.001193?done=saved"
ok "the notice" has 'class="notice" role="status">Đã lưu thông tin thủ tục.'
web_post adm /admin/procedures/1.001193 "$(form_data procedure-form)"
ok "saving again without change: 303 'unchanged', no audit row" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "done=unchanged" && [ "$3" = 1 ]' _ "$status" "$(location)" "$(audits procedure.update)"

# components: one added on the "new" row; a name with '|' refused on its row
web_get adm /admin/procedures/1.004873
ncomp=$(sql "SELECT count(*) FROM procedure_component WHERE procedure_code = '1.004873'")
new="c$((ncomp + 1))_name"
web_post adm /admin/procedures/1.004873/components "$(form_data components-form "$new=Ảnh chân dung 4x6 $XSS")"
ok "a component added: 303" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "done=components"' _ "$status" "$(location)"
ok "stored as the last component, audited" sh -c '[ "$1" = "$2" ] && [ "$3" = 1 ]' _ "$(sql "SELECT count(*) FROM procedure_component WHERE procedure_code = '1.004873'")" "$((ncomp + 1))" "$(audits procedure.components)"
web_get adm /admin/procedures/1.004873
ok "its name is shown as text" sh -c 'printf "%s" "$1" | grep -qF "value=\"Ảnh chân dung 4x6 $2\""' _ "$out" "$XSS_SHOWN"
web_post adm /admin/procedures/1.004873/components "$(form_data components-form "c1_name=Tờ khai | Bản sao")"
ok "a name holding '|': 400 on its row, input kept" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"e-c1_name\">Không hợp lệ: a component&#39;s name cannot hold" && printf "%s" "$2" | grep -q "value=\"Tờ khai | Bản sao\""' _ "$status" "$out"

# steps: the shares must add up to 100 (the importer's rule)
web_get adm /admin/procedures/1.004873
web_post adm /admin/procedures/1.004873/steps "$(form_data steps-form s1_share=50)"
ok "shares not adding up to 100: 400 with the importer's message" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "add up to 90, not 100" && printf "%s" "$2" | grep -q "value=\"50\""' _ "$status" "$out"
ok "no step change audited" eq "$(audits procedure.steps)" 0

# ---- staff accounts ----
web_get adm /admin/users
ok "the staff list" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "href=\"/admin/users/canbo.a\"" && printf "%s" "$2" | grep -q "id=\"user-form\""' _ "$status" "$out"
web_post adm /admin/users "username=X%20Y&full_name=$(enc "$XSS")&unit_code=CN01&password=short"
ok "an invalid account: 400" eq "$status" 400
ok "username, roles and password have their messages" sh -c 'printf "%s" "$1" | grep -q "id=\"e-username\"" && printf "%s" "$1" | grep -q "Bắt buộc: choose at least one role" && printf "%s" "$1" | grep -q "id=\"e-password\""' _ "$out"
ok "the typed full name is kept, as text" has "value=\"$XSS_SHOWN\""
ok "the typed password is not sent back" lacks 'value="short"'
web_post adm /admin/users "username=new.officer&full_name=$(enc 'Nguyễn Thị Mới')&roles=officer&unit_code=CN02&password=$PW"
ok "a new officer: 303 to the account" sh -c '[ "$1" = 303 ] && [ "$2" = "/admin/users/new.officer?done=created" ]' _ "$status" "$(location)"
ok "audited as account.create" eq "$(audits account.create)" 3
ok "the new officer can log in" can_login new.officer
web_post adm /admin/users "username=new.officer&full_name=Other&roles=officer&unit_code=CN02&password=$PW"
ok "a taken username: 409 on the username field" sh -c '[ "$1" = 409 ] && printf "%s" "$2" | grep -q "id=\"e-username\">Trùng hoặc xung đột"' _ "$status" "$out"
web_get adm /admin/users/new.officer
web_post adm /admin/users/new.officer/disable ""
ok "disable: 303" eq "$status $(location)" "303 /admin/users/new.officer?done=disable"
web_get adm /admin/users/new.officer?done=disable
ok "shown as disabled" has 'id="account-status">Đã khóa</dd>'
ok "a disabled account cannot log in (401)" cannot_login new.officer
web_post adm /admin/users/new.officer/enable ""
ok "enable: 303" eq "$status" 303
web_post adm /admin/users/new.officer/password "password=abc"
ok "a weak new password: 400 next to the field" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "id=\"e-password\">Không hợp lệ:"' _ "$status" "$out"
web_post adm /admin/users/new.officer/password "password=Another-2027-secret"
ok "a new password: 303, audited" sh -c '[ "$1" = 303 ] && [ "$2" = 1 ]' _ "$status" "$(audits account.password)"
ok "it works" can_login new.officer Another-2027-secret
web_post adm /admin/users/quantri/disable ""
ok "an admin cannot disable their own account (403)" eq "$status" 403
web_get adm /admin/users/00109012345
ok "an unknown account: 404" eq "$status" 404

# ---- branches ----
web_get adm /admin/branches
ok "the branches and points" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "href=\"/admin/branches/CN01\""' _ "$status" "$out"
web_get adm /admin/branches/CN01
ok "the branch form" has 'id="branch-form"'
web_post adm /admin/branches/CN01 "$(form_data branch-form lat=10.7769 lon=106.7009 phone=abc "address=$XSS")"
ok "Ho Chi Minh City's coordinates and a bad phone: 400" eq "$status" 400
ok "latitude out of Hanoi's box, next to it" has 'id="e-lat">Không hợp lệ: 10.7769 is out of range'
ok "the phone's message" has 'id="e-phone">'
ok "the typed values are kept, the address as text" sh -c 'printf "%s" "$1" | grep -q "value=\"10.7769\"" && printf "%s" "$1" | grep -qF "$2</textarea>"' _ "$out" "$XSS_SHOWN"
web_post adm /admin/branches/CN01 "$(form_data branch-form lat=21.0285 lon=105.8542 "phone=024 3825 3536")"
ok "a valid change: 303" eq "$status $(location)" "303 /admin/branches/CN01?done=saved"
ok "stored (the phone normalized), audited" eq "$(sql "SELECT phone || ' ' || lat_e6 FROM unit WHERE code = 'CN01'") $(audits unit.update)" "02438253536 21028500 1"

# ---- holidays ----
offa=$("$MOTCUA" user token canbo.a --label web-admin | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
call GET /api/v1/procedures/1.004873
comps=$(jget '[c["seq"] for c in j["components"] if c["required"]]')
dossier='{"procedure":"1.004873",
 "applicant":{"kind":"person","full_name":"Lê Văn Nam","id_number":"001089012345","birth_date":"1989-03-04","phone":"0911222333"},
 "residence_commune":"00070","components":'"$comps"',"collection_unit":"CN01"}'
as "$offa" POST /api/v1/dossiers "$dossier"
first=$(jget 'j["id"]')
# Tue 31/8 09:00 + 3 working days: Wed 1/9, (Thu 2/9, Fri 3/9 off by the rule), Mon 6/9, Tue 7/9
ok "before: due Tue 7/9/2027 17:00" eq "$status $(jget 'j["due_at"]')" "201 2027-09-07T17:00:00+07:00"

# A second node on the same database, checking for announcements every second
# (calendar_sync_seconds): it started before the announcement below.
base1=$BASE pid1=$_pid
MOTCUA_CALENDAR_SYNC_SECONDS=1 api_start
base2=$BASE pid2=$_pid
BASE=$base1 _pid=$pid1

web_get adm "/admin/holidays?year=2027"
ok "the year's calendar lists National Day" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "Thứ Năm 02/09/2027"' _ "$status" "$out"
ok "the page says appointments already given stay" has "không thay đổi khi lịch thay đổi"
web_post adm /admin/holidays "occasion=national_day&year=2027&days_off=2027-09-01&work_days=&name_vi=$(enc "$XSS")&name_en=x&source=TB%201"
ok "an announcement without 2/9: 400" eq "$status" 400
ok "the message names the statutory day, next to the days off" has "id=\"e-days_off\">Không hợp lệ: the announcement for national_day 2027 lacks its statutory day off &#39;2027-09-02&#39;"
ok "the typed dates and name are kept (as text)" sh -c 'printf "%s" "$1" | grep -q "value=\"2027-09-01\"" && printf "%s" "$1" | grep -qF "value=\"$2\""' _ "$out" "$XSS_SHOWN"
web_post adm /admin/holidays "occasion=national_day&year=2027&days_off=2027-09-04&name_vi=x&name_en=x&source=x"
ok "a Saturday as a day off: 400" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "falls on a weekend"' _ "$status" "$out"
web_post adm /admin/holidays "_csrf=&occasion=national_day&year=2027&days_off=2027-09-01,2027-09-02,2027-09-03&name_vi=x&name_en=x&source=x"
ok "no anti-forgery field: 403" eq "$status" 403
ok "nothing stored yet" eq "$(sql 'SELECT count(*) FROM holiday_announcement')" 0

web_get adm "/admin/holidays?year=2027"
web_post adm /admin/holidays "occasion=national_day&year=2027&days_off=$(enc '2027-09-01, 02/09/2027, 2027-09-03')&work_days=2027-08-28&name_vi=$(enc 'Nghỉ lễ Quốc khánh 2027 (giả định)')&name_en=$(enc 'National Day 2027 (hypothetical)')&source=$(enc "Thông báo giả định $XSS")"
ok "an announced swap: 303 with a notice flag" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "/admin/holidays?done=announced&year=2027"' _ "$status" "$(location)"
ok "stored as 4 days, audited" eq "$(sql 'SELECT count(*) FROM holiday_announcement') $(audits holiday.announce)" "4 1"
web_get adm "/admin/holidays?done=announced&year=2027"
ok "the notice" has "Đã thêm thông báo"
ok "the calendar now lists Wed 1/9, marked as added here" sh -c 'printf "%s" "$1" | grep -q "Thứ Tư 01/09/2027" && printf "%s" "$1" | grep -q "thêm tại trang này"' _ "$out"
ok "the make-up Saturday 28/8 is listed" has "Thứ Bảy 28/08/2027"
ok "the source is shown as text" sh -c 'printf "%s" "$1" | grep -qF "Thông báo giả định $2" && ! printf "%s" "$1" | grep -qF "$3"' _ "$out" "$XSS_SHOWN" "$XSS"
as "$offa" POST /api/v1/dossiers "$dossier"
# now 1/9, 2/9, 3/9 are off: Mon 6/9, Tue 7/9, Wed 8/9
ok "at once, in the running server: a new dossier is due Wed 8/9/2027 17:00" eq "$status $(jget 'j["due_at"]')" "201 2027-09-08T17:00:00+07:00"
as "$offa" GET "/api/v1/dossiers/$first"
ok "the appointment already given stays Tue 7/9" eq "$(jget 'j["due_at"]')" "2027-09-07T17:00:00+07:00"
# the second node picks the announcement up within its sync period
BASE=$base2
_i=0
while :; do
	as "$offa" POST /api/v1/dossiers "$dossier"
	[ "$(jget 'j["due_at"]')" = "2027-09-08T17:00:00+07:00" ] || [ $_i -ge 50 ] && break
	sleep 0.2
	_i=$((_i + 1))
done
ok "the other node, within its sync period: due Wed 8/9/2027 17:00" eq "$status $(jget 'j["due_at"]')" "201 2027-09-08T17:00:00+07:00"
_pid=$pid2
api_stop
ok "the other node stops cleanly" eq "$rc" 0
BASE=$base1 _pid=$pid1

batch=$(sql 'SELECT batch FROM holiday_announcement LIMIT 1')
web_get adm "/admin/holidays?year=2027"
web_post adm "/admin/holidays/$batch/withdraw" "_csrf=forged"
ok "withdrawing with a forged field: 403" eq "$status" 403
web_post adm "/admin/holidays/$batch/withdraw" ""
ok "withdrawn: 303" eq "$status $(location)" "303 /admin/holidays?done=withdrawn"
ok "the rows are gone, audited" eq "$(sql 'SELECT count(*) FROM holiday_announcement') $(audits holiday.withdraw)" "0 1"
as "$offa" POST /api/v1/dossiers "$dossier"
ok "the rule again: due Tue 7/9/2027" eq "$(jget 'j["due_at"]')" "2027-09-07T17:00:00+07:00"
web_post adm "/admin/holidays/0123456789abcdef/withdraw" ""
ok "an unknown announcement: 404" eq "$status" 404

# ---- the server stops cleanly; the audit chain is intact after all of this ----
api_stop
ok "the server exited 0" eq "$rc" 0
ok "no sanitizer report from the server" sh -c '! grep -qE "runtime error|Sanitizer" "$1"' _ "$_tmp/serve.err"
run audit verify
ok "motcua audit verify: the chain holds" eq "$rc" 0

done_testing
