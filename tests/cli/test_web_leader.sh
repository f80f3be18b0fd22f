# Scenario tests of the leader overview (web_leader.c) against a real server
# with a known workload and a moved clock (allow_clock_override + MOTCUA_NOW):
# the numbers of today and this month, the charts and their tables, every
# number a link to the list behind it, who may see the overview, bad input,
# and no personal data beyond the applicant's name. What each figure means:
# service/stats.h.
# Calendar facts (docs/calendar.md, data/holidays.csv): Wed 27 and Thu 28
# August 2025 are working days. data/procedures.csv: 1.001193 is due the same
# day at 17:00 (received before the 15:00 cut-off), without sign-off;
# 1.004873 takes 3 working days (due Wed 3/9/2025 17:00 when received 27/8).
# The workload (residence Hoàn Kiếm 00070 -> UBND-00070 decides; Cửa Nam
# 00082 -> UBND-00082):
#   D1 1.001193 received at CN01 27/8 09:00, completed 09:00 (on time), sent to
#      CN01, delivered and rated "satisfied" by its applicant on 27/8
#   D2 1.004873 received at CN01 27/8 09:00, open (due 3/9: on time)
#   D3 1.001193 received at CN03 27/8 09:00, completed 28/8 09:00 (late)
#   D4 1.001193 received at CN01 27/8 09:00 for UBND-00082, open (late since 17:00)
#   O  1.001193 filed online 27/8, accepted at CN01 28/8 09:00 (due 17:00 today: the
#      figures count it late, since they are kept per day: "late by the end of today")
# Now: Thu 28/8/2025 10:00.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true

api_init
user_add off.a officer CN01
user_add off.c officer CN03
user_add spec.b specialist UBND-00070
user_add leader1 leader ""
user_add sup1 supervisor ""
user_add admin1 admin ""
token() { "$MOTCUA" user token "$1" --label leader | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
at() {
	[ -n "${_pid:-}" ] && api_stop
	export MOTCUA_NOW="$1"
	api_start
}
# fig ID: the numbers linked in the overview's row or block with that id
fig() {
	printf '%s' "$out" | python3 -c '
import re, sys
h = sys.stdin.read()
i = h.find("id=\"" + sys.argv[1] + "\"")
if i < 0:
    print("missing"); sys.exit()
end = {"<tr": "</tr>", "<ul": "</ul>", "<di": "</div>", "<ta": "</table>"}.get(h[h.rfind("<", 0, i):][:3], "</tr>")
part = h[i:h.find(end, i)]
print(" ".join(re.findall(r"<a href=\"[^\"]*\"(?: class=\"figure\")?>([0-9.]+)", part)))' "$1"
}
# ids: the dossier ids linked from the page, in order
ids() {
	printf '%s' "$out" | python3 -c '
import re, sys
print(" ".join(re.findall(r"href=\"/dossiers/([0-9a-f]+)\"", sys.stdin.read())))'
}
# href_of TEXT: the first link whose href contains TEXT (decoded &amp;)
href_of() {
	printf '%s' "$out" | python3 -c '
import re, sys
h = sys.stdin.read()
for u in re.findall(r"href=\"([^\"]*)\"", h):
    u = u.replace("&amp;", "&")
    if sys.argv[1] in u:
        print(u); break' "$1"
}
audits() { sql "SELECT count(*) FROM audit WHERE action = 'stats.list'"; }

at 2025-08-27T09:00
offa=$(token off.a)
offc=$(token off.c)
specb=$(token spec.b)
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090012345","full_name":"Nguyễn Văn An","phone":"0912345678","password":"Mot-cua-2025-secret"}'
cit_id=$(jget 'j["id"]')
cit=$(login 001090012345)
call GET /api/v1/procedures/1.001193
c_same=$(jget '[c["seq"] for c in j["components"] if c["required"]]')
call GET /api/v1/procedures/1.004873
c_sign=$(jget '[c["seq"] for c in j["components"] if c["required"]]')
body() { # body PROCEDURE COMPONENTS COMMUNE [OWNER]
	python3 -c 'import json,sys
b = {"procedure":sys.argv[1],"applicant":{"kind":"person","full_name":"Nguyễn Văn An","id_number":"001090012345","phone":"0912345678"},
     "residence_commune":sys.argv[3],"components":json.loads(sys.argv[2]),"collection_unit":"CN01"}
if len(sys.argv) > 4: b["owner_account"] = sys.argv[4]
print(json.dumps(b))' "$@"
}
as "$offa" POST /api/v1/dossiers "$(body 1.001193 "$c_same" 00070 "$cit_id")"
d1=$(jget 'j["id"]')
as "$offa" POST /api/v1/dossiers "$(body 1.004873 "$c_sign" 00070)"
d2=$(jget 'j["id"]')
as "$offc" POST /api/v1/dossiers "$(body 1.001193 "$c_same" 00070)"
d3=$(jget 'j["id"]')
as "$offa" POST /api/v1/dossiers "$(body 1.001193 "$c_same" 00082)"
d4=$(jget 'j["id"]')
ok "four dossiers received at the counters" eq "$status $(jget 'j["competent_unit"]')" "201 UBND-00082"
as "$cit" POST /api/v1/dossiers "$(body 1.001193 "$c_same" 00070)"
o=$(jget 'j["id"]')
ok "one filed online" eq "$status $(jget 'j["state"]')" "201 submitted"
as "$specb" POST "/api/v1/dossiers/$d1/take" '{"version":1}'
as "$specb" POST "/api/v1/dossiers/$d1/complete" '{"version":2}'
as "$specb" POST "/api/v1/dossiers/$d1/send_result" '{"version":3}'
as "$offa" POST "/api/v1/dossiers/$d1/receive_result" '{"version":4}'
as "$offa" POST "/api/v1/dossiers/$d1/deliver" '{"version":5,"collector_id_number":"001090012345"}'
as "$cit" POST "/api/v1/dossiers/$d1/rate" '{"version":6,"rating":"satisfied"}'
ok "D1 resolved, delivered and rated the same morning" eq "$status $(jget 'j["state"]')" "200 delivered"
as "$specb" POST "/api/v1/dossiers/$d3/take" '{"version":1}'

at 2025-08-28T09:00
as "$offa" POST "/api/v1/dossiers/$o/accept" '{"version":1}'
ok "the online filing is accepted at CN01 the next day" eq "$status $(jget 'j["state"]')" "200 received"
as "$specb" POST "/api/v1/dossiers/$d3/complete" '{"version":2}'
ok "D3 completed a day late" eq "$status $(jget 'j["state"]')" "200 result_ready"

at 2025-08-28T10:00

# ---- who may see it ----
web_get anon /overview
ok "anonymous: 303 to the login page" eval '[ "$status" = 303 ] && printf "%s" "$hdrs" | grep -q "^Location: /login?next=%2Foverview"'
web_login off off.a
web_get off /overview
ok "an officer: 403" eq "$status" 403
web_get off "/overview/list?metric=received"
ok "an officer cannot open a list either: 403" eq "$status" 403
web_login spec spec.b
web_get spec /overview
ok "a specialist: 403" eq "$status" 403
web_login cit 001090012345
web_get cit /overview
ok "a citizen: 403" eq "$status" 403
web_get cit "/overview/list?metric=open_late"
ok "nor a list: 403" eq "$status" 403
web_login sup sup1
web_get sup /overview
ok "a supervisor: 200" eq "$status" 200
web_login adm admin1
web_get adm /overview
ok "an admin: 200" eq "$status" 200

# ---- the numbers ----
web_login lead leader1
web_get lead /overview
ok "a leader: 200, within 100 KB" eval '[ "$status" = 200 ] && [ "$(printf "%s" "$out" | wc -c)" -lt 102400 ]'
ok "received: today 1 (O), this month 5" eq "$(fig fig-received)" "1 5"
ok "online: 1 and 1, with the shares 100% and 20%" eval '[ "$(fig fig-online)" = "1 1" ] && has "(100,0 %)" && has "(20,0 %)"'
ok "resolved: today 1 (D3), this month 2 (D1, D3)" eq "$(fig fig-resolved)" "1 2"
ok "early 0 / 0" eq "$(fig fig-resolved_early)" "0 0"
ok "on time 0 / 1 (D1)" eq "$(fig fig-resolved_on_time)" "0 1"
ok "late 1 / 1 (D3)" eq "$(fig fig-resolved_late)" "1 1"
ok "ratings 0 / 1, satisfied 0 / 1" eq "$(fig fig-rated) $(fig fig-satisfied)" "0 1 0 1"
ok "in progress now: 3, on time 1 (D2), late by the end of today 2 (D4, O due 17:00)" eq "$(fig overview-open)" "3 1 2"
ok "every number links to its list" eq "$(href_of 'metric=received&from=2025-08-01')" "/overview/list?metric=received&from=2025-08-01&to=2025-08-28"

# ---- the charts and their tables ----
ok "four charts, each an image with a title" eval '[ "$(printf "%s" "$out" | grep -o "<svg id=\"chart-[a-z-]*\"[^>]*role=\"img\"" | wc -l)" = 4 ] && has "<title id=\"chart-per-day-t\">" && has "<title id=\"chart-on-time-t\">" && has "<title id=\"chart-overdue-t\">" && has "<title id=\"chart-load-t\">"'
ok "no inline style, no script but the page's own" eval '! has "style=" && [ "$(printf "%s" "$out" | grep -o "<script" | wc -l)" = 1 ]'
ok "received per day: the 27th 4, the 28th 1, in the table with links" eval '[ "$(href_of "from=2025-08-27&to=2025-08-27")" = "/overview/list?metric=received&from=2025-08-27&to=2025-08-27" ] && has "<th scope=\"row\">27/08</th><td class=\"num\"><a href=\"/overview/list?metric=received&amp;from=2025-08-27&amp;to=2025-08-27\">4</a>" && has "<th scope=\"row\">28/08</th><td class=\"num\"><a href=\"/overview/list?metric=received&amp;from=2025-08-28&amp;to=2025-08-28\">1</a>"'
ok "on time by agency: UBND-00070 resolved 2, 1 late, 50%" eval '[ "$(fig table-on-time)" = "2 1" ] && has "50,0 %" && [ -n "$(href_of "metric=resolved_late&from=2025-08-01&to=2025-08-28&unit=UBND-00070")" ]'
ok "late by agency: UBND-00070 1 (O), UBND-00082 1 (D4)" eval '[ "$(fig table-overdue)" = "1 1" ] && [ -n "$(href_of "metric=open_late&from=2025-08-28&to=2025-08-28&unit=UBND-00082")" ]'
ok "load by branch: CN01 4, CN03 1" eval '[ "$(fig table-load)" = "4 1" ] && [ -n "$(href_of "unit=CN01")" ] && [ -n "$(href_of "unit=CN03")" ]'

# ---- the lists behind the numbers ----
a0=$(audits)
web_get lead "/overview/list?metric=received&from=2025-08-01&to=2025-08-28"
ok "received this month: 5 dossiers, each linking to its page" eval '[ "$status" = 200 ] && has "5 hồ sơ" && [ "$(ids | tr " " "\n" | sort | tr "\n" " ")" = "$(printf "%s\n" "$d1" "$d2" "$d3" "$d4" "$o" | sort | tr "\n" " ")" ]'
ok "newest reception first (O)" eq "$(ids | cut -d' ' -f1)" "$o"
ok "the applicant's name, and no other personal data" eval 'has "Nguyễn Văn An" && ! has 001090012345 && ! has 0912345678 && ! has "Hàng"'
ok "the period is said" has "Từ ngày 01/08/2025 đến ngày 28/08/2025"
ok "the read is audited" eq "$(audits)" "$((a0 + 1))"
web_get lead "/overview/list?metric=received&from=2025-08-28"
ok "from alone: that day (O)" eq "$(ids)" "$o"
web_get lead "/overview/list?metric=online"
ok "no period: today (the online one)" eq "$(ids)" "$o"
web_get lead "/overview/list?metric=resolved_late&from=2025-08-01&to=2025-08-28"
ok "resolved late: D3, marked late" eval '[ "$(ids)" = "$d3" ] && has "class=\"due-late\""'
web_get lead "/overview/list?metric=resolved_on_time&from=2025-08-01&to=2025-08-28"
ok "resolved on time: D1" eq "$(ids)" "$d1"
web_get lead "/overview/list?metric=open_late&unit=UBND-00082"
ok "late now at UBND-00082: D4, said to be at this moment" eval '[ "$(ids)" = "$d4" ] && has "Tại thời điểm 28/08/2025 10:00" && has "(UBND-00082)"'
web_get lead "/overview/list?metric=open_on_time"
ok "in progress on time: D2 (O is due today: late by the end of the day)" eq "$(ids)" "$d2"
web_get lead "/overview/list?metric=satisfied&from=2025-08-01&to=2025-08-28"
ok "satisfied ratings: D1, with its level" eval '[ "$(ids)" = "$d1" ] && has "Hài lòng"'
web_get lead "/overview/list?metric=received&from=2025-08-01&to=2025-08-28&unit=CN03"
ok "received at CN03: D3" eq "$(ids)" "$d3"
web_get lead "/overview/list?metric=resolved&from=2025-07-01&to=2025-07-31"
ok "a month without work: 0 dossiers" eval '[ "$status" = 200 ] && has "0 hồ sơ" && [ -z "$(ids)" ]'

# ---- bad input ----
web_get lead "/overview/list?metric=late"
ok "an unknown figure: 400" eq "$status" 400
web_get lead "/overview/list"
ok "no figure: 400" eq "$status" 400
web_get lead "/overview/list?metric=received&from=2025-02-30"
ok "an impossible date: 400 invalid_date" eval '[ "$status" = 400 ] && has "invalid_date"'
web_get lead "/overview/list?metric=received&from=2025-08-28&to=2025-08-01"
ok "a period that ends before it begins: 400" eq "$status" 400
web_get lead "/overview/list?metric=received&from=2024-01-01&to=2025-08-28"
ok "a period over 366 days: 400" eq "$status" 400
web_get lead "/overview/list?metric=received&unit=$(enc 'CN 01')"
ok "a unit code with a space: 400" eq "$status" 400
web_get lead "/overview/list?metric=received&unit=$(enc '<script>')"
ok "markup in the unit comes back as text" eval '[ "$status" = 400 ] && ! has "<script>"'
web_get lead "/overview/list?metric=received&page=0"
ok "page=0: 400" eq "$status" 400

# ---- English ----
web_get lead "/lang?to=en&back=%2Foverview"
web_get lead /overview
ok "in English, shares with a decimal point" eval 'has "<h1>Overview</h1>" && has "(20.0%)" && has "Dossiers received per day"'

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
