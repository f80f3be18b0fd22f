# Scenario tests of the public pages of the citizen portal (src/web/web_public.c)
# against a real server (tests/cli/api_lib.sh): the home page with the procedure
# search (folded, so that text without diacritics finds the procedures, as the
# issue asks for "khai sinh" and "giay phep xay dung"), its filters and pages, the
# procedure page, the branches sorted by distance, and the status look-up (the
# same service and rate limit as GET /api/v1/lookup: service/lookup.h). Expected
# values come from the reference data in data/ (procedures.csv, units.csv,
# communes.csv) and the issue's page rules (escaping, no personal data, < 100 KB).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
# One procedure made not available online, to see the page say so: a copy of the
# reference data with 3.000466 (Chỉnh sửa nội dung văn bằng, chứng chỉ) at online=none.
api_import_not_online 3.000466
user_add off.a officer CN01
api_start

# size_of PATH: bytes of the page (for the 100 KB rule)
size_of() {
	curl -s -o /dev/null -w '%{size_download}' "$BASE$1"
}
# before A B: text A comes before text B in the last page
before() {
	printf '%s' "$out" | python3 -c 'import sys; s=sys.stdin.read(); a=s.find(sys.argv[1]); b=s.find(sys.argv[2]); sys.exit(0 if 0 <= a < b else 1)' "$1" "$2"
}

# ---- home and search ----
web_get anon /
ok "home: 200" eq "$status" 200
ok "a search field <input type=search name=q>" has 'name="q" type="search"'
ok "filters: sector, agency, online level" sh -c 'printf "%s" "$1" | grep -q "name=\"sector\"" && printf "%s" "$1" | grep -q "name=\"agency\"" && printf "%s" "$1" | grep -q "name=\"level\""' _ "$out"
ok "the sectors of the catalogue are offered" has '<option value="Hộ tịch">Hộ tịch</option>'
ok "Content-Security-Policy without inline script" contains "$hdrs" "script-src 'self'"
ok "all 77 procedures, page 1 of 2" sh -c 'printf "%s" "$1" | grep -q "Tìm thấy 77 thủ tục" && printf "%s" "$1" | grep -q "Trang 1 / 2"' _ "$out"
ok "a link to page 2 keeps the search" has 'href="/?page=2"'
web_get anon "/?page=2"
ok "page 2 holds the remaining 27" eq "$(printf '%s' "$out" | grep -o 'href="/procedures/' | wc -l)" 27

web_get anon "/?q=khai+sinh"
ok "'khai sinh' (no diacritics) finds Đăng ký khai sinh" has 'href="/procedures/1.001193">Đăng ký khai sinh</a>'
ok "and the other birth procedures (6 in all)" has "Tìm thấy 6 thủ tục"
ok "but not marriage registration" sh -c '! printf "%s" "$1" | grep -q "1.000894"' _ "$out"
ok "the row shows agency, legal time, fee, online level, file anywhere" sh -c 'printf "%s" "$1" | grep -q "Ủy ban nhân dân xã, phường nơi cư trú" && printf "%s" "$1" | grep -q "Trong ngày làm việc" && printf "%s" "$1" | grep -q "Không thu phí" && printf "%s" "$1" | grep -q "Trực tuyến toàn trình" && printf "%s" "$1" | grep -q "data-label=\"Nộp tại điểm bất kỳ\">Có<"' _ "$out"
ok "the search text is kept in the field" has 'value="khai sinh"'
web_get anon "/?q=giay+phep+xay+dung"
ok "'giay phep xay dung' finds the building permits" has 'href="/procedures/1.013225">Cấp giấy phép xây dựng mới'
ok "4 of them" has "Tìm thấy 4 thủ tục"
web_get anon "/?q=$(enc 'Giấy phép XÂY DỰNG')"
ok "the same with diacritics and capitals" has "Tìm thấy 4 thủ tục"
web_get anon "/?q=1.0011"
ok "a code prefix finds the procedure" has 'href="/procedures/1.001193"'

web_get anon "/?sector=$(enc 'Hộ tịch')"
ok "sector filter: civil status only" sh -c 'printf "%s" "$1" | grep -q "1.001193" && ! printf "%s" "$1" | grep -q "2.001610"' _ "$out"
ok "the chosen sector stays selected" has '<option value="Hộ tịch" selected>'
web_get anon "/?agency=SO_TAI_CHINH"
ok "agency filter: the Department of Finance's 7 procedures" sh -c 'printf "%s" "$1" | grep -q "Tìm thấy 7 thủ tục" && printf "%s" "$1" | grep -q "2.001610" && ! printf "%s" "$1" | grep -q "1.001193"' _ "$out"
web_get anon "/?agency=xa&q=khai+sinh"
ok "agency 'commune committees': the commune-level ones" sh -c 'printf "%s" "$1" | grep -q "1.001193" && ! printf "%s" "$1" | grep -q "2.000635"' _ "$out"
web_get anon "/?level=full&q=dang+ky+k"
ok "online level filter: full only (birth yes, marriage no)" sh -c 'printf "%s" "$1" | grep -q "1.001193" && ! printf "%s" "$1" | grep -q "1.000894"' _ "$out"
web_get anon "/?level=partial&q=dang+ky+ket+hon"
ok "online level partial: marriage registration" has 'href="/procedures/1.000894"'
web_get anon "/?level=bogus"
ok "an unknown level: 400 page" eq "$status" 400
web_get anon "/?page=0"
ok "page 0: 400" eq "$status" 400
web_get anon "/?q=zzzzqqq"
ok "nothing found: a helpful message" has "Không tìm thấy thủ tục nào"

web_get anon "/?q=$(enc '<script>alert(1)</script>')"
ok "XSS in the search text comes back escaped" has 'value="&lt;script&gt;alert(1)&lt;/script&gt;"'
ok "and never as markup" sh -c '! printf "%s" "$1" | grep -q "<script>alert"' _ "$out"
web_get anon "/?q=$(enc '" onmouseover="alert(1)')"
ok "a quote cannot leave the attribute" sh -c 'printf "%s" "$1" | grep -q "value=\"&quot; onmouseover=&quot;alert(1)\"" && ! printf "%s" "$1" | grep -q "\" onmouseover=\""' _ "$out"

web_get anon / -H 'Cookie: lang=en'
ok "English when the lang cookie says so" has "<h1>Administrative procedures</h1>"

# ---- one procedure ----
web_get anon /procedures/1.001193
ok "procedure page: 200 with its name as title" sh -c '[ "$2" = 200 ] && printf "%s" "$1" | grep -q "<h1>Đăng ký khai sinh</h1>"' _ "$out" "$status"
ok "components marked where the population database replaces them" eq "$(printf '%s' "$out" | grep -o '<tr class="waived">' | wc -l)" 3
ok "required and optional components" sh -c 'printf "%s" "$1" | grep -q "Tờ khai đăng ký khai sinh" && printf "%s" "$1" | grep -q "Khi cần (tùy trường hợp)"' _ "$out"
ok "legal time with the 15:00 cut-off" has "Trong ngày làm việc (nhận sau 15:00 thì trả ngày làm việc tiếp theo)"
ok "competent agency, anywhere, online level" sh -c 'printf "%s" "$1" | grep -q "Ủy ban nhân dân xã, phường nơi cư trú" && printf "%s" "$1" | grep -q "Không phụ thuộc địa giới hành chính" && printf "%s" "$1" | grep -q "Trực tuyến toàn trình"' _ "$out"
ok "the steps" has "Xử lý hồ sơ, ký và cấp kết quả"
ok "a 'Nộp trực tuyến' button to /file/1.001193" has 'href="/file/1.001193" id="file-online">Nộp trực tuyến</a>'
web_get anon /procedures/2.001610
ok "a city procedure: its department, fee and days" sh -c 'printf "%s" "$1" | grep -q "Sở Tài chính thành phố Hà Nội" && printf "%s" "$1" | grep -q "100.000 đồng" && printf "%s" "$1" | grep -q "3 ngày làm việc"' _ "$out"
web_get anon /procedures/3.000466
ok "a procedure not online: no filing button, a plain sentence" sh -c '! printf "%s" "$1" | grep -q "href=\"/file/" && printf "%s" "$1" | grep -q "chưa hỗ trợ nộp hồ sơ trực tuyến"' _ "$out"
web_get anon /procedures/9.999999
ok "an unknown procedure: 404 page" sh -c '[ "$2" = 404 ] && printf "%s" "$1" | grep -q "<h1>"' _ "$out" "$status"

# ---- branches ----
web_get anon /branches
ok "branches: 200, the 42 branches and points of the Centre" sh -c '[ "$2" = 200 ] && printf "%s" "$1" | grep -q "42 điểm phục vụ"' _ "$out" "$status"
ok "with addresses and opening hours in Vietnamese" sh -c 'printf "%s" "$1" | grep -q "258 Võ Chí Công" && printf "%s" "$1" | grep -q "Thứ Hai-Thứ Sáu 08:00-17:00; Thứ Bảy 08:00-12:00"' _ "$out"
ok "a select of communes for the distance" has '<select id="f-commune" name="commune">'
ok "no commune desks unless asked" sh -c '! printf "%s" "$1" | grep -q "unit-UBND-"' _ "$out"
web_get anon "/branches?commune=00070"
ok "from Hoàn Kiếm: distances shown" has "0,0 km"
ok "branch 3 (in Hoàn Kiếm) first, before branch 1 (Tây Hồ)" before 'id="unit-CN03"' 'id="unit-CN01"'
ok "the nearest point before a far branch (Ba Vì)" before 'id="unit-DTN-HOAN-KIEM"' 'id="unit-CN-X-BV-ST-TT"'
ok "the commune stays selected" has '<option value="00070" selected>'
web_get anon "/branches?commune=99999"
ok "an unknown commune: 400 with the message next to the select" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "Không có xã, phường với mã này"' _ "$out" "$status"
web_get anon "/branches?kind=commune&commune=00070"
ok "commune desks on request, the nearest first" before 'id="unit-UBND-00070"' 'id="unit-UBND-00004"'

# ---- status look-up ----
web_get anon /lookup
ok "lookup form: code and last4" sh -c 'printf "%s" "$1" | grep -q "id=\"lookup-form\"" && printf "%s" "$1" | grep -q "name=\"code\"" && printf "%s" "$1" | grep -q "name=\"last4\""' _ "$out"
offa=$(login off.a)
as "$offa" POST /api/v1/dossiers '{"procedure":"1.001193","applicant":{"full_name":"Phạm Thu Trang","id_number":"001195067890","phone":"0901112233","address":"Số 5 Hàng Bài"},"residence_commune":"00070","components":[1,2,3,4,5],"collection_unit":"CN03"}'
ok "(a dossier received at the counter)" eq "$status" 201
code=$(jget 'j["code"]')
web_get anon "/lookup?code=$code&last4=7890"
ok "lookup with the ID's last 4 digits: 200" eq "$status" 200
ok "the state in plain words and the procedure" sh -c 'printf "%s" "$1" | grep -q "badge st-open\">Đã tiếp nhận<" && printf "%s" "$1" | grep -q "Đăng ký khai sinh"' _ "$out"
ok "the timeline names the action and the branch" sh -c 'printf "%s" "$1" | grep -q "<strong>Tiếp nhận hồ sơ</strong>" && printf "%s" "$1" | grep -q "Chi nhánh số 1"' _ "$out"
ok "the appointment and where to collect" sh -c 'printf "%s" "$1" | grep -q "id=\"lookup-due\">[0-9][0-9]/" && printf "%s" "$1" | grep -q "id=\"lookup-collection\">Chi nhánh số 3"' _ "$out"
ok "no personal data of the applicant, no staff account" sh -c '! printf "%s" "$1" | grep -q -e "Phạm Thu Trang" -e 001195067890 -e 0901112233 -e "Hàng Bài" -e off.a' _ "$out"
web_get anon "/lookup?code=$code&last4=2233"
ok "or with the phone's last 4 digits" eq "$status" 200
web_get anon "/lookup?code=$code&last4=78a0"
ok "last4 not 4 digits: 400, message next to the field, code kept" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-last4\">Nhập đúng 4 chữ số" && printf "%s" "$1" | grep -q "value=\"$3\""' _ "$out" "$status" "$code"
web_get anon "/lookup?code=&last4=1234"
ok "no code: 400, message next to it" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -q "id=\"e-code\">Nhập mã hồ sơ"' _ "$out" "$status"
web_get anon "/lookup?code=$(enc '<script>alert(1)</script>')&last4=1234"
ok "XSS in the code: 404 page with the text escaped" sh -c '[ "$2" = 404 ] && printf "%s" "$1" | grep -q "&lt;script&gt;alert(1)&lt;/script&gt;" && ! printf "%s" "$1" | grep -q "<script>alert"' _ "$out" "$status"

# the rate limit (its own address: 127.0.0.3); 10 failures, then 429
n=0
i=0
while [ $i -lt 10 ]; do
	web_get anon "/lookup?code=$code&last4=$((1000 + i))" --interface 127.0.0.3
	[ "$status" = 404 ] && n=$((n + 1))
	i=$((i + 1))
done
ok "10 wrong look-ups: 404 with a readable message" sh -c '[ "$2" = 10 ] && printf "%s" "$1" | grep -q "Không tìm thấy hồ sơ với mã và 4 chữ số này"' _ "$out" "$n"
web_get anon "/lookup?code=$code&last4=1111" --interface 127.0.0.3
ok "the next: 429 with a readable message and Retry-After" sh -c '[ "$2" = 429 ] && printf "%s" "$1" | grep -q "Bạn đã tra cứu sai quá nhiều lần" && printf "%s" "$1" | grep -q "thử lại sau khoảng [0-9]* phút" && printf "%s" "$3" | grep -q "Retry-After: "' _ "$out" "$status" "$hdrs"
web_get anon "/lookup?code=$code&last4=7890" --interface 127.0.0.3
ok "a correct look-up from that address still works (as the API)" eq "$status" 200

# ---- sizes ----
for pth in / "/?page=2" "/?q=khai+sinh" /procedures/1.001193 /branches "/branches?commune=00070" "/branches?kind=all" "/lookup?code=$code&last4=7890"; do
	sz=$(size_of "$pth")
	ok "$pth is under 100 KB ($sz bytes)" test "$sz" -lt 102400
done

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
