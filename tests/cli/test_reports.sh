# Scenario test of the periodic reports (docs/reports.md) against a real
# server and the command line, on SQLite or (MOTCUA_TEST_DATABASE) PostgreSQL:
#   - the late list: a dossier resolved late (its late step, officer and
#     delay in working time) and one in progress and late (its holder and the
#     stated reason of its extension), with no ID number in any output;
#   - the satisfaction report; the period report when the indicators are built;
#   - the exports: JSON, CSV (parsed back) and XLSX (unzipped, cells read back),
#     from `motcua report ...`, GET /api/v1/reports/{report} and the page /reports;
#   - who may read (leaders, supervisors; not officers; 401 without a login);
#     every read of the late list is audited; bad input is a 4xx / exit 2.
# Dates (data/holidays.csv: 20-29 August 2025 are working days but the weekend
# 23-24/8; office hours 8 h a day). Procedure 1.004873: 3 working days, with a
# sign-off step (data/procedures.csv). Received Wed 20/8 09:00: legal due
# Mon 25/8 17:00.
#   A  received 20/8 09:00, taken, sent for sign-off and signed on 27/8
#      (10:00): resolved late by 26/8 (8 h) + 27/8 08:00-10:00 (2 h) = 10 h
#   B  received 20/8 10:00, taken, extended on 22/8 with a reason: in
#      progress and late at now (29/8 10:00) by 26, 27, 28/8 (24 h) + 2 h = 26 h
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true

api_init
user_add off.a officer CN01
user_add spec.b specialist UBND-00070
user_add appr.b approver UBND-00070
user_add leader1 leader ""
user_add sup1 supervisor ""
token() { "$MOTCUA" user token "$1" --label reports | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
at() { # at INSTANT: (re)start the server with its clock fixed at INSTANT
	[ -n "${_pid:-}" ] && api_stop
	export MOTCUA_NOW="$1"
	api_start
}
header() { printf '%s\n' "$hdrs" | sed -n "s/^$1: //Ip" | head -n 1; }
# xlsx_cell FILE SHEET REF: the value of a cell (shared strings resolved)
xlsx_cell() {
	python3 - "$1" "$2" "$3" <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
ss = [''.join(t.text or '' for t in si.iter(M + 't'))
      for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si')]
for c in ET.fromstring(z.read('xl/worksheets/sheet%s.xml' % sys.argv[2])).iter(M + 'c'):
    if c.get('r') == sys.argv[3]:
        v = c.find(M + 'v')
        print('' if v is None else ss[int(v.text)] if c.get('t') == 's' else v.text)
EOF
}
# csv_rows FILE: the records of a CSV file as JSON (the BOM checked and dropped)
csv_rows() {
	python3 - "$1" <<'EOF'
import csv, io, json, sys
data = open(sys.argv[1], 'rb').read()
assert data.startswith(b'\xef\xbb\xbf'), 'no BOM'
text = data[3:].decode('utf-8')
assert '\r\n' in text and '\n' not in text.replace('\r\n', ''), 'not CRLF'
print(json.dumps([r for r in csv.reader(io.StringIO(text, newline=''))], ensure_ascii=False))
EOF
}

form() { # form NAME
	printf '{"procedure":"1.004873","applicant":{"kind":"person","full_name":"%s","id_number":"001090012345","birth_date":"1990-05-01","phone":"0912345678","address":"12 Hàng Bạc, Hoàn Kiếm"},"residence_commune":"00070","components":%s,"collection_unit":"CN01"}' "$1" "$comps"
}

at 2025-08-20T09:00
offa=$(token off.a)
specb=$(token spec.b)
apprb=$(token appr.b)
leader=$(token leader1)
sup=$(token sup1)
call GET /api/v1/procedures/1.004873
comps=$(jget '[c["seq"] for c in j["components"] if c["required"]]')
as "$offa" POST /api/v1/dossiers "$(form 'Nguyễn Văn Đức')"
ok "dossier A received on 20/8/2025" eq "$status" 201
a_id=$(jget 'j["id"]')
a_code=$(jget 'j["code"]')
ok "its legal due: Mon 25/8/2025 17:00" eq "$(jget 'j["due_at"]')" "2025-08-25T17:00:00+07:00"
as "$specb" POST "/api/v1/dossiers/$a_id/take" '{"version":1}'
at 2025-08-20T10:00
as "$offa" POST /api/v1/dossiers "$(form 'Trần Thị Hoa')"
b_id=$(jget 'j["id"]')
b_code=$(jget 'j["code"]')
as "$specb" POST "/api/v1/dossiers/$b_id/take" '{"version":1}'
at 2025-08-22T10:00
as "$specb" POST "/api/v1/dossiers/$b_id/extend" '{"version":2,"note":"cần xác minh <script>alert(1)</script>","new_due":"2025-09-12T17:00"}'
ok "B extended with an apology and a reason" eq "$status" 200
at 2025-08-27T09:00
as "$specb" POST "/api/v1/dossiers/$a_id/submit_signoff" '{"version":2}'
at 2025-08-27T10:00
as "$apprb" POST "/api/v1/dossiers/$a_id/sign_off" '{"version":3}'
ok "A signed off on 27/8 10:00, after its due" eq "$status $(jget 'j["state"]')" "200 result_ready"
at 2025-08-29T10:00
export MOTCUA_NOW=2025-08-29T10:00 # for the command line too
audits() { sql "SELECT count(*) FROM audit WHERE action = 'reports.late'"; }

# ---- the API ----
n0=$(audits)
as "$leader" GET "/api/v1/reports/late?from=2025-08-01&to=2025-08-29"
ok "late list: 200 for a leader" eq "$status" 200
ok "two late dossiers, the earliest due first (A, B)" eq "$(jget '[j["total_rows"]] + [r["code"] for r in j["sections"][0]["rows"]]')" "[2, \"$a_code\", \"$b_code\"]"
ok "A: resolved late, its late step (the specialist's) by Cán bộ spec.b, 10 working hours" eq "$(jget '[(r["status"], r["step"], r["officer"], r["delay"], r["due_at"]) for r in j["sections"][0]["rows"]][0]')" '["Đã giải quyết, quá hạn", "Thẩm định hồ sơ, dự thảo kết quả", "Cán bộ spec.b", 36000, "2025-08-25T17:00:00+07:00"]'
ok "B: in progress and late by 26 working hours, its holder and the extension's reason" eq "$(jget '[(r["status"], r["officer"], r["delay"], r["reason"], r["resolved_at"]) for r in j["sections"][0]["rows"]][1]')" '["Đang giải quyết, quá hạn", "Cán bộ spec.b", 93600, "cần xác minh <script>alert(1)</script>", null]'
ok "applicants' names are shown" eq "$(jget 'j["sections"][0]["rows"][1]["applicant"]')" "Trần Thị Hoa"
ok "but no ID number, address or phone" sh -c '! printf "%s" "$1" | grep -qE "001090012345|Hàng Bạc|0912345678"' _ "$out"
ok "no-store" eq "$(header Cache-Control)" "no-store"
ok "the read is audited" eq "$(audits)" "$((n0 + 1))"
as "$leader" GET "/api/v1/reports/late?from=2025-08-01&to=2025-08-29&limit=1&offset=1&lang=en"
ok "a page of the list, in English" eq "$(jget '[j["total_rows"], len(j["sections"][0]["rows"]), j["sections"][0]["rows"][0]["status"], j["sections"][0]["columns"][9]["header"]]')" '[2, 1, "In progress, late", "Delay (working hours)"]'
as "$sup" GET "/api/v1/reports/late?from=2025-08-26&to=2025-08-26"
ok "a supervisor may read; at the end of 26/8 A and B were late by one working day" eq "$(jget '[r["delay"] for r in j["sections"][0]["rows"]]')" "[28800, 28800]"
as "$leader" GET "/api/v1/reports/late?from=2025-08-01&to=2025-08-29&format=csv"
ok "CSV: 200 text/csv" eq "$status $(header Content-Type)" "200 text/csv; charset=utf-8"
ok "attachment with a file name" eq "$(header Content-Disposition)" 'attachment; filename="report-late-2025-08-01-2025-08-29.csv"'
cp "$_tmp/resp" "$_tmp/late.csv"
ok "parsed back: caption, header, the two rows; A's delay 10.00 h" eq "$(csv_rows "$_tmp/late.csv" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r), r[0][0], r[1][0], r[2][0]==sys.argv[1], r[2][9], r[3][10])' "$a_code")" "4 Hồ sơ quá hạn Mã hồ sơ True 10.00 cần xác minh <script>alert(1)</script>"
as "$leader" GET "/api/v1/reports/late?from=2025-08-01&to=2025-08-29&format=xlsx"
ok "XLSX: 200 with the spreadsheet type" eq "$status $(header Content-Type)" "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
cp "$_tmp/resp" "$_tmp/late-api.xlsx"
ok "the workbook holds A's code in A6 and B's in A7" eq "$(xlsx_cell "$_tmp/late-api.xlsx" 1 A6) $(xlsx_cell "$_tmp/late-api.xlsx" 1 A7)" "$a_code $b_code"
ok "and A's delay in working hours in J6" eq "$(xlsx_cell "$_tmp/late-api.xlsx" 1 J6)" "10"
ok "with the Vietnamese header in A5" eq "$(xlsx_cell "$_tmp/late-api.xlsx" 1 A5)" "Mã hồ sơ"
ok "three reads, three audit rows" eq "$(audits)" "$((n0 + 5))"

as "$leader" GET "/api/v1/reports/satisfaction?from=2025-08-01&to=2025-08-29"
ok "satisfaction: A resolved at UBND-00070, nobody dissatisfied: 766 = 100 %" eq "$(jget '[(r["code"], r["resolved"], r["unsatisfied"], r["satisfaction_766"]) for r in j["sections"][0]["rows"]]')" '[["UBND-00070", 1, 0, 1.0]]'
ok "by receiving unit: CN01" eq "$(jget '[r["code"] for r in j["sections"][1]["rows"]]')" '["CN01"]'
ok "satisfaction reads are not audited (no personal data)" eq "$(audits)" "$((n0 + 5))"

as "$leader" GET "/api/v1/reports/period?from=2025-08-01&to=2025-08-29"
ok "period report: 200" eq "$status" 200
ok "total: received 2, resolved 1 late, 1 in progress late" eq "$(jget '[j["sections"][0]["total"][k] for k in ("received", "resolved", "resolved_late", "open", "open_late")]')" "[2, 1, 1, 1, 1]"
ok "groups add up to the total (by agency and by procedure)" eq "$(jget 'all(sum(r[c["key"]] or 0 for r in s["rows"]) == (s["total"][c["key"]] or 0) for s in j["sections"] for c in s["columns"] if c["kind"] == "integer")')" "true"

# bad input and access
as "$leader" GET "/api/v1/reports/late?from=2025-02-30"
ok "a bad date: 400 invalid_date with a hint and the detail" eq "$status $(jget 'j["code"]') $(jget '"hint" in j and "detail" in j')" "400 invalid_date true"
as "$leader" GET "/api/v1/reports/late?from=2025-08-29&to=2025-08-01"
ok "a period that ends before it begins: 400" code_is 400 invalid_date
as "$leader" GET "/api/v1/reports/satisfaction?from=2024-01-01&to=2025-01-01"
ok "a period of 367 days: 400 out_of_range" code_is 400 out_of_range
as "$leader" GET "/api/v1/reports/late?format=pdf"
ok "an unknown format: 400" code_is 400 invalid_argument
as "$leader" GET "/api/v1/reports/late?limit=501"
ok "a page larger than 500: 400" code_is 400 out_of_range
as "$leader" GET "/api/v1/reports/satisfaction?limit=5"
ok "limit on another report: 400" code_is 400 invalid_argument
as "$leader" GET "/api/v1/reports/late?from="
ok "an empty parameter: 400" code_is 400 missing_argument
as "$leader" GET "/api/v1/reports/weekly"
ok "an unknown report: 404" code_is 404 not_found
as "$offa" GET "/api/v1/reports/late"
ok "an officer may not read the reports: 403" code_is 403 forbidden
call GET "/api/v1/reports/late"
ok "without a login: 401" eq "$status" 401
ok "refused reads are not audited" eq "$(audits)" "$((n0 + 5))"

# ---- the command line ----
run report late --from 2025-08-01 --to 2025-08-29
ok "motcua report late: JSON with A and B" eq "$(json_get '[r["code"] for r in j["sections"][0]["rows"]]')" "[\"$a_code\", \"$b_code\"]"
ok "the same delays as the API" eq "$(json_get '[r["delay"] for r in j["sections"][0]["rows"]]')" "[36000, 93600]"
run report late --from 2025-08-01 --to 2025-08-29 --format xlsx --out "$_tmp/late.xlsx"
ok "--format xlsx --out FILE: a summary" eq "$(json_get '[j["report"], j["format"], j["rows"]]')" '["late", "xlsx", 2]'
ok "the file opens and holds the codes" eq "$(xlsx_cell "$_tmp/late.xlsx" 1 A6) $(xlsx_cell "$_tmp/late.xlsx" 1 A7)" "$a_code $b_code"
ok "the title in A1" eq "$(xlsx_cell "$_tmp/late.xlsx" 1 A1)" "Danh sách hồ sơ quá hạn"
ok "no temporary file left behind" sh -c '! ls "$1".partial 2>/dev/null' _ "$_tmp/late.xlsx"
"$MOTCUA" report satisfaction --from 2025-08-01 --to 2025-08-29 --format csv --lang en >"$_tmp/sat.csv" 2>/dev/null
ok "--format csv on standard output, in English" eq "$(csv_rows "$_tmp/sat.csv" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0][0], r[1][0], r[2][1], r[2][9], r[3][0])')" "By competent agency Competent agency UBND-00070 1 Total"
run report late --from 2025-02-30
ok "a bad date: exit 2" eq "$rc" 2
run report late --from 2025-08-29 --to 2025-08-01
ok "a reversed period: exit 2" eq "$rc" 2
run report satisfaction --from 2024-01-01 --to 2025-01-01
ok "367 days: exit 2" eq "$rc" 2
run report late --format pdf
ok "an unknown format: exit 2" eq "$rc" 2
run report late --bogus 1
ok "an unknown option: exit 2" eq "$rc" 2
run report late --from
ok "an option without its value: exit 2" eq "$rc" 2
run report late --from ""
ok "an empty value: exit 2" eq "$rc" 2
run report satisfaction --limit 5
ok "--limit on another report: exit 2" eq "$rc" 2

# ---- the page ----
web_login leader "leader1"
ok "leaders see 'Báo cáo' in the navigation" has 'href="/reports"'
web_get leader "/reports?report=late&from=2025-08-01&to=2025-08-29"
ok "the late list page: 200" eq "$status" 200
ok "with A's code linking to its dossier" has "href=\"/dossiers/$a_id\""
ok "the reason escaped" has "cần xác minh &lt;script&gt;alert(1)&lt;/script&gt;"
ok "and never as markup" sh -c '! printf "%s" "$1" | grep -qF "<script>alert(1)"' _ "$out"
ok "download links to the API" has "/api/v1/reports/late?format=xlsx&amp;from=2025-08-01&amp;to=2025-08-29&amp;lang=vi"
ok "the count" has "2 hồ sơ quá hạn"
ok "no ID number on the page" sh -c '! printf "%s" "$1" | grep -q "001090012345"' _ "$out"
web_get leader "/reports?report=satisfaction&from=2025-08-01&to=2025-08-29"
ok "the satisfaction page: 200 with its tables" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "id=\"report-satisfaction-agency\""' _ "$status" "$out"
ok "the 766 satisfaction as a percentage" has "100,0 %"
web_get leader "/reports?report=late&from=2025-02-30&to=2025-08-29"
ok "a bad date: 400, the form again with the message and the value typed" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "Ngày không hợp lệ" && printf "%s" "$2" | grep -q "value=\"2025-02-30\""' _ "$status" "$out"
web_get leader "/reports?report=weekly"
ok "an unknown report: 400" eq "$status" 400
web_login officer "off.a"
web_get officer "/reports"
ok "an officer gets 403" eq "$status" 403
ok "and no 'Báo cáo' link" sh -c '! printf "%s" "$1" | grep -q "href=\"/reports\""' _ "$out"
call GET "/reports"
ok "a visitor is sent to the login" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -qi "^Location: /login"' _ "$status" "$hdrs"

done_testing
