# Scenario tests of the public catalogue of the JSON API (procedures,
# communes, branches, agencies) on the bundled Hanoi data, against a real
# server (tests/cli/api_lib.sh). Expected values come from the data files
# of data/ (procedures.csv, communes.csv, units.csv).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
api_start

# ---- procedures ----
call GET /api/v1/procedures
ok "the procedure list answers 200 without login" eq "$status" 200
ok "the list shape: items, total, limit, offset" eq "$(jget 'sorted(j.keys())')" '["items", "limit", "offset", "total"]'
n_proc=$(python3 -c "import csv; print(sum(1 for _ in csv.DictReader(open('$TOP/data/procedures.csv'))))")
ok "total = the procedures of data/procedures.csv" eq "$(jget 'j["total"]')" "$n_proc"
ok "default page of 20" eq "$(jget 'len(j["items"])') $(jget 'j["limit"]')" "20 20"
ok "sorted by code" eq "$(jget 'j["items"] == sorted(j["items"], key=lambda p: p["code"])')" true

call GET "/api/v1/procedures?q=khai%20sinh&limit=100"
ok "'khai sinh' (no accents) finds 1.001193 Đăng ký khai sinh" eq "$(jget '[p["name_vi"] for p in j["items"] if p["code"] == "1.001193"]')" '["Đăng ký khai sinh"]'
ok "every match holds 'khai sinh' at the start of a word" eq "$(jget 'all("khai sinh" in p["name_vi"].lower() for p in j["items"])')" true
ok "but not the death registration" eq "$(jget 'any(p["code"] == "1.000656" for p in j["items"])')" false
call GET "/api/v1/procedures?q=Khai%20Sinh&limit=100"
total_khai=$(jget 'j["total"]')
call GET "/api/v1/procedures?q=kh%E1%BA%A3i%20sinh&limit=100"
ok "case and accents do not matter" eq "$(jget 'j["total"]')" "$total_khai"

call GET "/api/v1/procedures?q=giay%20phep%20xay%20dung&limit=100"
ok "'giay phep xay dung' finds the construction permits (1.013225 ...)" eq "$(jget 'sorted(p["code"] for p in j["items"])')" '["1.013225", "1.013226", "1.013227", "1.013228"]'
call GET "/api/v1/procedures?q=phep%20xay&limit=100"
ok "a search may start at any word" eq "$(jget 'j["total"]')" 4
call GET "/api/v1/procedures?q=ep%20xay"
ok "but not inside a word" eq "$(jget 'j["total"]')" 0
call GET "/api/v1/procedures?q=1.0132"
ok "q also matches the start of a code" eq "$(jget 'sorted(p["code"] for p in j["items"])')" '["1.013225", "1.013226", "1.013227", "1.013228", "1.013229"]'

call GET "/api/v1/procedures?level=police&limit=100"
ok "level=police lists the police procedures only" eq "$(jget 'j["total"] > 0 and all(p["level"] == "police" for p in j["items"])')" true
call GET "/api/v1/procedures?agency=SO_TAI_CHINH&limit=100"
ok "agency=SO_TAI_CHINH: the enterprise registrations" eq "$(jget 'j["total"]') $(jget 'all(p["competent_unit"] == "SO_TAI_CHINH" for p in j["items"])')" "7 true"
call GET "/api/v1/procedures?sector=ho%20tich&limit=100"
ok "sector is folded too ('ho tich' = Hộ tịch)" eq "$(jget 'j["total"] > 0 and all(p["sector"] == "Hộ tịch" for p in j["items"])')" true
call GET "/api/v1/procedures?limit=5&offset=5"
page2=$(jget '[p["code"] for p in j["items"]]')
call GET "/api/v1/procedures?limit=10"
ok "offset pages through the same order" eq "$(jget '[p["code"] for p in j["items"]][5:]')" "$page2"

call GET "/api/v1/procedures?limit=101"
ok "limit above 100: 400 out_of_range" code_is 400 out_of_range
call GET "/api/v1/procedures?limit=0"
ok "limit 0: 400 out_of_range" code_is 400 out_of_range
call GET "/api/v1/procedures?limit=ten"
ok "limit not a number: 400 invalid_argument" code_is 400 invalid_argument
call GET "/api/v1/procedures?offset=-1"
ok "a negative offset: 400" eq "$status" 400
call GET "/api/v1/procedures?level=province"
ok "an unknown level: 400 invalid_argument" code_is 400 invalid_argument
call GET "/api/v1/procedures?q="
ok "an empty q: 400 invalid_argument" code_is 400 invalid_argument
long=$(python3 -c 'print("a" * 201)')
call GET "/api/v1/procedures?q=$long"
ok "a q longer than 200 bytes: 400 too_long" code_is 400 too_long
call GET "/api/v1/procedures?q=%FF"
ok "q that is not UTF-8: 400" eq "$status" 400

call GET /api/v1/procedures/1.004873
ok "one procedure: 200" eq "$status $(jget 'j["code"]')" "200 1.004873"
ok "with its components (required, [DC] replaced by population data)" eq "$(jget '[(c["seq"], c["required"], c["population_replaces"]) for c in j["components"]][:3]')" '[[1, true, false], [2, true, true], [3, true, true]]'
ok "and its steps with roles and shares" eq "$(jget '[(s["role"], s["share_pct"]) for s in j["steps"]]')" '[["specialist", 60], ["approver", 25], ["specialist", 15]]'
ok "legal time 3 working days, sign-off needed" eq "$(jget 'j["legal_days"]') $(jget 'j["legal_hours"]') $(jget 'j["needs_signoff"]')" "3 null true"
call GET /api/v1/procedures/9.999999
ok "an unknown procedure: 404 not_found" code_is 404 not_found

# ---- communes, branches, agencies ----
call GET "/api/v1/communes?limit=100"
ok "126 communes and wards of Hanoi" eq "$(jget 'j["total"]')" 126
call GET "/api/v1/communes?q=hoan%20kiem"
ok "'hoan kiem' finds Hoàn Kiếm (00070)" eq "$(jget '[(c["code"], c["name_vi"], c["committee"]) for c in j["items"]]')" '[["00070", "Hoàn Kiếm", "UBND-00070"]]'
call GET "/api/v1/communes?q=00070"
ok "a commune by its code" eq "$(jget 'j["total"]') $(jget 'j["items"][0]["name_vi"]')" "1 Hoàn Kiếm"
call GET "/api/v1/communes?kind=ward&limit=1"
n_wards=$(python3 -c "import csv; print(sum(1 for r in csv.DictReader(open('$TOP/data/communes.csv')) if r['kind'] == 'ward'))")
ok "kind=ward" eq "$(jget 'j["total"]')" "$n_wards"
call GET "/api/v1/communes?kind=city"
ok "an unknown kind: 400" code_is 400 invalid_argument

call GET "/api/v1/branches?limit=100"
ok "branches: only units that receive dossiers" eq "$(jget 'j["total"] > 0 and all(u["receives"] for u in j["items"])')" true
n_recv=$(python3 -c "import csv; print(sum(1 for r in csv.DictReader(open('$TOP/data/units.csv')) if r['receives'] == '1') + sum(1 for _ in csv.DictReader(open('$TOP/data/communes.csv'))))")
ok "the receiving units of units.csv and the commune committees" eq "$(jget 'j["total"]')" "$n_recv"
call GET "/api/v1/branches?kind=branch&limit=100"
ok "kind=branch: CN01 with its identifier" eq "$(jget '[u["identifier"] for u in j["items"] if u["code"] == "CN01"]')" '["000.01.CN.H26"]'
call GET "/api/v1/branches?q=CN03"
ok "a branch by its code" eq "$(jget '[u["code"] for u in j["items"]]')" '["CN03"]'
call GET "/api/v1/branches?kind=department"
ok "a department is not a branch kind: 400" eq "$status" 400

call GET "/api/v1/agencies?kind=department&limit=100"
ok "agencies: the departments" eq "$(jget 'any(u["code"] == "SO_TU_PHAP" for u in j["items"]) and not any(u["receives"] for u in j["items"])')" true
call GET "/api/v1/agencies?commune=00070&limit=100"
ok "the agencies of a commune: its committee and its police" eq "$(jget 'sorted(u["code"] for u in j["items"])')" '["CA-00070", "UBND-00070"]'
call GET "/api/v1/agencies?q=so%20tu%20phap"
ok "agencies are searched by folded name" eq "$(jget '[u["code"] for u in j["items"]]')" '["SO_TU_PHAP"]'

# ---- the HTTP layer around it ----
call POST /api/v1/procedures '{}'
ok "POST on a list: 405 method_not_allowed" code_is 405 method_not_allowed
ok "with Allow" contains "$hdrs" "Allow: GET"
call GET /api/v1/nothing
ok "an unknown path: 404" code_is 404 not_found
call GET "/api/v1/procedures?q=x&limit=1" -H "Accept-Language: en"
call GET "/api/v1/procedures?limit=500" -H "Accept-Language: en"
ok "errors speak English when asked" eq "$(jget 'j["hint"]')" "The value is out of the allowed range."

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
